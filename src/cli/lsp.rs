//! `tracklint lsp`: a language server over stdio. Open and changed buffers are linted as they
//! are (unsaved text), in the context of the workspace: clients and wrappers defined in other
//! files are seen, and the nearest `tracklint.toml` is read again on every lint, so a changed
//! config applies at once. Diagnostics carry the rule id; code actions offer each finding's
//! fix (safe, or marked unsafe) and a suppression comment; hover explains the rule.

use super::*;
use lsp_server::{Connection, Message, Notification, Request, Response};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::path::Path;

/// What the server keeps for one open document.
struct Document {
    text: String,
    language: Option<crate::model::Language>,
    findings: Vec<Finding>,
}

/// One diagnostic as published, with what code actions and hover need.
struct Finding {
    range: Value,
    rule: &'static str,
    /// (range, replacement, safe)
    fix: Option<(Value, String, bool)>,
    /// 0-based line of the finding's start.
    line: usize,
}

pub(super) fn lsp() -> i32 {
    let (connection, io_threads) = Connection::stdio();
    let capabilities = json!({
        "textDocumentSync": { "openClose": true, "change": 1, "save": true },
        "codeActionProvider": { "codeActionKinds": ["quickfix"] },
        "hoverProvider": true,
    });
    let init = match connection.initialize(capabilities) {
        Ok(params) => params,
        Err(e) => {
            eprintln!("error: the language client did not initialize: {e}");
            return EXIT_ERROR;
        }
    };
    let root = workspace_root(&init);
    // Files of the workspace read and parsed by earlier lints, reused while unchanged: a lint
    // after an edit reads the buffer and what changed on disk, nothing else.
    let cache = std::sync::Arc::new(crate::LintCache::new());
    let mut docs: HashMap<String, Document> = HashMap::new();
    for message in &connection.receiver {
        match message {
            Message::Request(request) => {
                match connection.handle_shutdown(&request) {
                    Ok(true) => break,
                    Ok(false) => {}
                    Err(e) => {
                        eprintln!("error: {e}");
                        return EXIT_ERROR;
                    }
                }
                let response = answer(&request, &docs);
                if connection.sender.send(Message::Response(response)).is_err() {
                    break;
                }
            }
            Message::Notification(n) => {
                for (uri, diagnostics) in notice(&n, &mut docs, &root, &cache) {
                    let params = json!({ "uri": uri, "diagnostics": diagnostics });
                    let note = Notification::new("textDocument/publishDiagnostics".into(), params);
                    if connection.sender.send(Message::Notification(note)).is_err() {
                        break;
                    }
                }
            }
            Message::Response(_) => {}
        }
    }
    drop(connection);
    match io_threads.join() {
        Ok(()) => EXIT_CLEAN,
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_ERROR
        }
    }
}

/// The workspace the client opened: its root URI or first folder, else the current directory.
fn workspace_root(init: &Value) -> PathBuf {
    let uri = init["workspaceFolders"][0]["uri"].as_str().or_else(|| init["rootUri"].as_str());
    uri.and_then(path_of).or_else(|| std::env::current_dir().ok()).unwrap_or_else(|| PathBuf::from("."))
}

/// A `file://` URI as a path (percent-decoded); `None` for other schemes.
fn path_of(uri: &str) -> Option<PathBuf> {
    let encoded = uri.strip_prefix("file://")?;
    let bytes = encoded.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(b) = encoded.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(PathBuf::from(String::from_utf8_lossy(&out).into_owned()))
}

/// The documents whose diagnostics change with this notification, and their diagnostics.
fn notice(
    n: &Notification,
    docs: &mut HashMap<String, Document>,
    root: &Path,
    cache: &std::sync::Arc<crate::LintCache>,
) -> Vec<(String, Vec<Value>)> {
    let uri = n.params["textDocument"]["uri"].as_str().unwrap_or_default().to_string();
    match n.method.as_str() {
        "textDocument/didOpen" => {
            let text = n.params["textDocument"]["text"].as_str().unwrap_or_default().to_string();
            docs.insert(uri.clone(), Document { language: None, text, findings: Vec::new() });
        }
        "textDocument/didChange" => {
            // Full synchronisation: the last change is the whole text.
            let changes = n.params["contentChanges"].as_array();
            let Some(text) = changes.and_then(|c| c.last()).and_then(|c| c["text"].as_str()) else {
                return Vec::new();
            };
            match docs.get_mut(&uri) {
                Some(doc) => doc.text = text.to_string(),
                None => {
                    docs.insert(
                        uri.clone(),
                        Document { language: None, text: text.into(), findings: Vec::new() },
                    );
                }
            }
        }
        "textDocument/didSave" => {}
        "textDocument/didClose" => {
            docs.remove(&uri);
            return vec![(uri, Vec::new())];
        }
        // A config or another file changed: every open document is linted again.
        "workspace/didChangeWatchedFiles" | "workspace/didChangeConfiguration" => {
            let uris: Vec<String> = docs.keys().cloned().collect();
            return uris.into_iter().map(|u| (u.clone(), lint_document(&u, docs, root, cache))).collect();
        }
        _ => return Vec::new(),
    }
    let diagnostics = lint_document(&uri, docs, root, cache);
    vec![(uri, diagnostics)]
}

/// Lints one open document as it is in the editor, with the workspace as its project.
fn lint_document(
    uri: &str,
    docs: &mut HashMap<String, Document>,
    root: &Path,
    cache: &std::sync::Arc<crate::LintCache>,
) -> Vec<Value> {
    let Some(doc) = docs.get_mut(uri) else { return Vec::new() };
    let Some(path) = path_of(uri) else { return Vec::new() };
    doc.findings.clear();
    doc.language = crate::walk::language_of(&path);
    if doc.language.is_none() {
        return Vec::new();
    }
    // The nearest config, read again on every lint: an edited tracklint.toml applies at once.
    let config = match Config::discover(&path) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("tracklint: {}", crate::text::visible(&e.message));
            Config::default()
        }
    };
    // The first lint starts from the on-disk cache a `check` left (and writes it); later ones
    // have the server's own.
    let cache_dir = cache.is_empty().then(|| super::cache_dir(None, &[root.to_path_buf()], &config));
    let options = Options {
        paths: vec![root.to_path_buf()],
        config,
        stdin: Some((path.clone(), doc.text.clone().into_bytes())),
        cache: Some(std::sync::Arc::clone(cache)),
        cache_dir,
        ..Options::default()
    };
    let Ok(report) = lint(&options) else { return Vec::new() };
    let absolute = std::path::absolute(&path).unwrap_or(path);
    let Some(file) = report.files.iter().find(|f| {
        std::path::absolute(&f.path)
            .is_ok_and(|p| crate::fsutil::clean(&p) == crate::fsutil::clean(&absolute))
    }) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for d in &file.diagnostics {
        let range = range_value(&file.source, &file.lines, d.span);
        let fix = d.fix.as_ref().map(|f| {
            (
                range_value(&file.source, &file.lines, f.span),
                f.replacement.clone(),
                f.applicability == crate::diagnostic::Applicability::Safe,
            )
        });
        let line = file.lines.line_of(d.span.start).saturating_sub(1);
        out.push(json!({
            "range": range,
            "severity": match d.severity {
                crate::diagnostic::Severity::Error => 1,
                crate::diagnostic::Severity::Warning => 2,
                crate::diagnostic::Severity::Info => 3,
            },
            "code": d.rule,
            "source": "tracklint",
            "message": format!("{}\nhelp: {}", d.message, d.help),
        }));
        doc.findings.push(Finding { range, rule: d.rule, fix, line });
    }
    out
}

/// An LSP position: 0-based line, character offset in UTF-16 code units.
fn position(source: &str, lines: &crate::diagnostic::LineIndex, offset: usize) -> Value {
    let line = lines.line_of(offset).saturating_sub(1);
    let start = lines.line_start(line).unwrap_or(0);
    let character: usize =
        source.get(start..offset.min(source.len())).map_or(0, |t| t.encode_utf16().count());
    json!({ "line": line, "character": character })
}

fn range_value(source: &str, lines: &crate::diagnostic::LineIndex, span: crate::model::Span) -> Value {
    json!({ "start": position(source, lines, span.start), "end": position(source, lines, span.end) })
}

/// Whether LSP range `a` and `b` overlap (both inclusive of their ends).
fn overlaps(a: &Value, b: &Value) -> bool {
    let key = |p: &Value| (p["line"].as_u64().unwrap_or(0), p["character"].as_u64().unwrap_or(0));
    key(&a["start"]) <= key(&b["end"]) && key(&b["start"]) <= key(&a["end"])
}

/// The response to a request: code actions, hover, or "not supported".
fn answer(request: &Request, docs: &HashMap<String, Document>) -> Response {
    let uri = request.params["textDocument"]["uri"].as_str().unwrap_or_default();
    let doc = docs.get(uri);
    match request.method.as_str() {
        "textDocument/codeAction" => {
            let wanted = &request.params["range"];
            let mut actions = Vec::new();
            for f in doc.map(|d| d.findings.as_slice()).unwrap_or_default() {
                if !overlaps(&f.range, wanted) {
                    continue;
                }
                if let Some((range, replacement, safe)) = &f.fix {
                    actions.push(json!({
                        "title": format!("Fix {}: replace with `{replacement}`{}", f.rule, if *safe { "" } else { " (unsafe)" }),
                        "kind": "quickfix",
                        "isPreferred": safe,
                        "edit": { "changes": { uri: [{ "range": range, "newText": replacement }] } },
                    }));
                }
                if let Some(doc) = doc {
                    actions.push(suppression(uri, doc, f));
                }
            }
            Response::new_ok(request.id.clone(), actions)
        }
        "textDocument/hover" => {
            let at = &request.params["position"];
            let point = json!({ "start": at, "end": at });
            let found = doc.and_then(|d| d.findings.iter().find(|f| overlaps(&f.range, &point)));
            let hover = found.and_then(|f| crate::rules::find(f.rule)).map(|rule| {
                json!({ "contents": { "kind": "markdown", "value": format!("# {}\n\n{}", rule.meta().id, rule.meta().explanation()) } })
            });
            Response::new_ok(request.id.clone(), hover.unwrap_or(Value::Null))
        }
        _ => Response::new_err(request.id.clone(), -32601, format!("unsupported request {}", request.method)),
    }
}

/// "Suppress rule on this line": a `tracklint: ignore[rule]` comment at the end of the
/// finding's line, in the language's comment syntax.
fn suppression(uri: &str, doc: &Document, f: &Finding) -> Value {
    use crate::model::Language;
    let marker = match doc.language {
        Some(Language::Ruby | Language::Python) => "#",
        _ => "//",
    };
    let line_text = doc.text.split('\n').nth(f.line).unwrap_or("").trim_end_matches('\r');
    let end = json!({ "line": f.line, "character": line_text.encode_utf16().count() });
    json!({
        "title": format!("Suppress {} on this line", f.rule),
        "kind": "quickfix",
        "edit": { "changes": { uri: [{
            "range": { "start": end, "end": end },
            "newText": format!(" {marker} tracklint: ignore[{}] reason", f.rule),
        }] } },
    })
}
