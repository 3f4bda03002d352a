//! The language server, spoken to as an editor does: over pipes, with LSP's framed JSON-RPC.
//! initialize → didOpen (an unsaved buffer whose client is defined in another file) →
//! publishDiagnostics → codeAction (the fix and a suppression) → hover → didChange →
//! shutdown/exit.

mod common;

use common::Scratch;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

struct Client {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Client {
    fn start(dir: &std::path::Path) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tracklint"))
            .arg("lsp")
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start the server: {e}"));
        let stdin = child.stdin.take().unwrap_or_else(|| panic!("no stdin"));
        let stdout = BufReader::new(child.stdout.take().unwrap_or_else(|| panic!("no stdout")));
        Client { child, stdin, stdout }
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap_or_else(|e| panic!("{e}"));
        self.stdin.flush().unwrap_or_else(|e| panic!("{e}"));
    }

    fn receive(&mut self) -> Value {
        let mut length = 0;
        loop {
            let mut line = String::new();
            let read = self.stdout.read_line(&mut line).unwrap_or_else(|e| panic!("{e}"));
            assert!(read > 0, "the server closed its output");
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(n) = line.strip_prefix("Content-Length: ") {
                length = n.parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; length];
        self.stdout.read_exact(&mut body).unwrap_or_else(|e| panic!("{e}"));
        serde_json::from_slice(&body).unwrap_or_else(|e| panic!("{e}"))
    }

    /// The next message that answers request `id`, or the next notification of `method`.
    fn wait(&mut self, id: Option<u64>, method: &str) -> Value {
        for _ in 0..50 {
            let m = self.receive();
            if id.is_some_and(|id| m["id"] == id) || (id.is_none() && m["method"] == method) {
                return m;
            }
        }
        panic!("no {method} from the server");
    }

    fn request(&mut self, id: u64, method: &str, params: Value) -> Value {
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        self.wait(Some(id), method)
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }
}

fn uri(path: &std::path::Path) -> String {
    format!("file://{}", path.display())
}

#[test]
fn an_editor_conversation() {
    let t = Scratch::new("lsp");
    t.write("config/initializers/mixpanel.rb", "TRACKER = Mixpanel::Tracker.new(ENV['T'])\n");
    // On disk the file is clean; the editor's unsaved buffer is not.
    t.write("app/signup.rb", "def signup(u)\nend\n");
    let root = std::fs::canonicalize(&t.path).unwrap_or_else(|e| panic!("{e}"));
    let file = root.join("app/signup.rb");
    let mut client = Client::start(&root);
    let init = client.request(
        1,
        "initialize",
        json!({ "processId": null, "rootUri": uri(&root), "capabilities": {} }),
    );
    assert_eq!(init["result"]["capabilities"]["hoverProvider"], true, "{init}");
    client.notify("initialized", json!({}));

    let text = "def signup(u)\n  TRACKER.track(u.email, 'signed_up')\nend\n";
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri(&file), "languageId": "ruby", "version": 1, "text": text } }),
    );
    let published = client.wait(None, "textDocument/publishDiagnostics");
    assert_eq!(published["params"]["uri"], uri(&file));
    let diagnostics = published["params"]["diagnostics"].as_array().cloned().unwrap_or_default();
    let mut seen: Vec<(String, u64, u64)> = diagnostics
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                d["range"]["start"]["line"].as_u64().unwrap_or(99),
                d["range"]["start"]["character"].as_u64().unwrap_or(99),
            )
        })
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        [("email-as-distinct-id".to_string(), 1, 16), ("event-name-style".to_string(), 1, 25)],
        "{published}"
    );

    // The first lint leaves the on-disk cache a later server (or `check`) starts from.
    assert!(root.join(".tracklint_cache/CACHEDIR.TAG").is_file());

    // The rename fix (unsafe, so not preferred) and a suppression comment.
    let style = diagnostics.iter().find(|d| d["code"] == "event-name-style").cloned().unwrap_or_default();
    let actions = client.request(
        2,
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri(&file) }, "range": style["range"], "context": { "diagnostics": [style] } }),
    );
    let actions = actions["result"].as_array().cloned().unwrap_or_default();
    let edit_text =
        |a: &Value| a["edit"]["changes"][uri(&file)][0]["newText"].as_str().unwrap_or_default().to_string();
    let fix =
        actions.iter().find(|a| a["title"].as_str().is_some_and(|t| t.starts_with("Fix event-name-style")));
    assert_eq!(fix.map(edit_text).as_deref(), Some("'Signed Up'"), "{actions:?}");
    assert_eq!(fix.map(|f| f["isPreferred"].clone()), Some(json!(false)));
    let suppress = actions.iter().find(|a| a["title"] == "Suppress event-name-style on this line");
    assert_eq!(
        suppress.map(edit_text).as_deref(),
        Some(" # tracklint: ignore[event-name-style] reason"),
        "{actions:?}"
    );
    assert_eq!(
        suppress.map(|a| a["edit"]["changes"][uri(&file)][0]["range"]["start"]["character"].clone()),
        Some(json!(37))
    );

    // Hover over the finding explains the rule.
    let hover = client.request(
        3,
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri(&file) }, "position": { "line": 1, "character": 28 } }),
    );
    let value = hover["result"]["contents"]["value"].as_str().unwrap_or_default();
    assert!(value.contains("# event-name-style") && value.contains("## What it does"), "{hover}");

    // The edit fixes both: nothing is left to report.
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri(&file), "version": 2 }, "contentChanges": [{ "text": "def signup(u)\n  TRACKER.track(u.id, 'Signed Up')\nend\n" }] }),
    );
    let again = client.wait(None, "textDocument/publishDiagnostics");
    assert_eq!(again["params"]["diagnostics"], json!([]), "{again}");

    let shutdown = client.request(4, "shutdown", Value::Null);
    assert!(shutdown.get("error").is_none(), "{shutdown}");
    client.notify("exit", Value::Null);
    let status = client.child.wait().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(status.code(), Some(0));
}
