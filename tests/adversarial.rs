//! Hostile input, generated here rather than committed: binary files with source names, broken
//! encodings, odd line endings, a 20 MB minified bundle, 10,000-level nesting in every
//! language, 100,000 calls in one file, empty and broken files, symlink loops, links out of the
//! tree and dangling links, a FIFO, a directory named like a source file, a 10,000-file tree.
//! For each: no crash, no hang, exit 0/1 for the rest of the tree, the problem named in
//! `summary.errors` or `summary.skipped`, and the healthy files' findings all reported.

mod common;

use common::{Scratch, bin, findings};
use std::path::Path;
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

/// Runs tracklint and fails the test instead of hanging when it takes longer than `limit`.
fn run_bounded(dir: &Path, args: &[&str], limit: Duration) -> (Output, Duration) {
    let start = Instant::now();
    let mut child = bin()
        .current_dir(dir)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run tracklint: {e}"));
    // Read the pipes on their own threads so a large report cannot block the child.
    let mut stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
    let mut stderr = child.stderr.take().unwrap_or_else(|| panic!("no stderr"));
    let out_thread = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = std::io::Read::read_to_end(&mut stdout, &mut buf);
        buf
    });
    let err_thread = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = std::io::Read::read_to_end(&mut stderr, &mut buf);
        buf
    });
    let status = loop {
        if let Ok(Some(status)) = child.try_wait() {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("tracklint {args:?} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stdout = out_thread.join().unwrap_or_default();
    let stderr = err_thread.join().unwrap_or_default();
    (Output { status, stdout, stderr }, start.elapsed())
}

fn report(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}); stderr:\n{}", String::from_utf8_lossy(&output.stderr)))
}

/// `(path, message)` of `summary.errors` or `summary.skipped`.
fn listed(report: &serde_json::Value, key: &str) -> Vec<(String, String)> {
    report["summary"][key]
        .as_array()
        .map(|a| a.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|e| {
            (
                e["path"].as_str().unwrap_or_default().to_string(),
                e["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn assert_listed(entries: &[(String, String)], path: &str, needle: &str) {
    assert!(
        entries.iter().any(|(p, m)| p == path && m.contains(needle)),
        "`{path}` is not listed with `{needle}`: {entries:#?}"
    );
}

const HEALTHY_RUBY: &str = "TRACKER = Mixpanel::Tracker.new(ENV['T'])\n\ndef signed_up(user)\n  TRACKER.track(user.email, 'User Signed Up')\nend\n";

fn nested(open: &str, close: &str, depth: usize) -> String {
    format!("{}1{}", open.repeat(depth), close.repeat(depth))
}

#[test]
fn a_hostile_tree_keeps_every_healthy_finding() {
    let t = Scratch::new("hostile");
    // The healthy files, one per language, each with one known finding.
    t.write("healthy/app.rb", HEALTHY_RUBY);
    t.write(
        "healthy/app.py",
        "from mixpanel import Mixpanel\n\nmp = Mixpanel('t')\nmp.track(user.email, 'User Signed Up')\n",
    );
    t.write(
        "healthy/main.go",
        "package main\n\nimport \"github.com/posthog/posthog-go\"\n\nfunc f(c posthog.Client, u *User) {\n\tc.Enqueue(posthog.Capture{DistinctId: u.Email, Event: \"signed_up\"})\n}\n",
    );
    t.write(
        "healthy/main.rs",
        "use mixpanel_rs::Mixpanel;\n\nasync fn f(u: &U) {\n    let mp = Mixpanel::init(\"t\", None);\n    mp.people.set(&u.email, props, None).await;\n}\n",
    );
    t.write("healthy/app.js", "import mixpanel from 'mixpanel-browser';\nmixpanel.identify(user.email);\n");

    // Binary content behind source names.
    t.write("binary.rb", b"\x00\x01\x02TRACKER.track(user.email, 'X')\x00\xff".as_slice());
    t.write("binary.js", [0u8, 159, 146, 150, 0, 0, 1].as_slice());
    // Invalid UTF-8 in a string literal and in an identifier; the call is still read.
    t.write(
        "invalid_utf8.rb",
        b"TRACKER = Mixpanel::Tracker.new('t')\nna\xffme = 1\nTRACKER.track(user.email, 'Sig\xfe Up')\n"
            .as_slice(),
    );
    // A byte-order mark, CRLF and lone-CR line endings: positions must still be right.
    t.write("bom.rb", format!("\u{feff}{HEALTHY_RUBY}"));
    t.write("crlf.rb", HEALTHY_RUBY.replace('\n', "\r\n"));
    t.write("lone_cr.js", "import mixpanel from 'mixpanel-browser';\r\r  mixpanel.identify(user.email);\r");
    // A 20 MB single-line bundle.
    let mut bundle = String::with_capacity(20 * 1024 * 1024 + 64);
    while bundle.len() < 20 * 1024 * 1024 {
        bundle.push_str("var a=function(b){return b&&b.track&&b.track('x',{c:[1,2,3]})};");
    }
    t.write("bundle.js", &bundle);
    // 10,000-level nesting in every language, in and around tracking calls.
    let n = 10_000;
    t.write(
        "deep.rb",
        format!(
            "TRACKER = Mixpanel::Tracker.new('t')\nx = {}\nTRACKER.track(1, 'A', {})\ny = a {}\n",
            nested("[", "]", n),
            nested("{a: ", "}", n),
            "|| b ".repeat(n)
        ),
    );
    t.write(
        "deep.js",
        format!(
            "import mixpanel from 'mixpanel-browser';\nconst x = {};\nmixpanel.track('A', {});\nconst y = a{};\nconst z = w{};\n",
            nested("[", "]", n),
            nested("{a: ", "}", n),
            " || b".repeat(n),
            ".b".repeat(n)
        ),
    );
    t.write(
        "deep.py",
        format!(
            "from mixpanel import Mixpanel\nmp = Mixpanel('t')\nx = {}\nmp.track(1, 'A', {})\ny = a{}\n",
            nested("(", ")", n),
            nested("{'a': ", "}", n),
            " or b".repeat(n)
        ),
    );
    t.write(
        "deep.rs",
        format!("use mixpanel_rs::Mixpanel;\nfn main() {{ let x = {}; }}\n", nested("(", ")", n)),
    );
    t.write(
        "chain.rs",
        format!("use mixpanel_rs::Mixpanel;\nfn main() {{ let x = 1{}; }}\n", " + 1".repeat(n)),
    );
    t.write(
        "deep.go",
        format!(
            "package main\n\nimport \"github.com/segmentio/analytics-go\"\n\nvar c = analytics.New(\"k\")\n\nfunc main() {{\n\tx := {}\n\tc.Enqueue(analytics.Track{{Event: \"A\", Properties: analytics.NewProperties(){}}})\n\ty := map[string]any{{\"a\": {}}}\n}}\n",
            nested("(", ")", n),
            ".Set(\"k\", 1)".repeat(n),
            nested("map[string]any{\"a\": ", "}", n)
        ),
    );
    t.write("broken.go", "package main\nfunc ( { c.Enqueue(analytics.Track{");
    t.write(
        "healthy/App.swift",
        "import PostHog\n\nfunc f(user: User) {\n    PostHogSDK.shared.identify(user.email)\n}\n",
    );
    t.write(
        "deep.swift",
        format!(
            "import Mixpanel\nlet mp = Mixpanel.mainInstance()\nlet x = {}\nmp.track(event: \"A\", properties: {})\nlet y = a{}\nlet z = f{}\n",
            nested("[", "]", n),
            nested("[\"a\": ", "]", n),
            ".b".repeat(n),
            "(1)".repeat(2_000)
        ),
    );
    t.write("broken.swift", "func ( { Mixpanel.mainInstance().track(event: ");
    // Long call chains on a tracked method: each link is not read again from the start.
    t.write(
        "chain.swift",
        format!("import Mixpanel\nlet k = Mixpanel.mainInstance(){}\n", ".track(event: \"x\")".repeat(3_000)),
    );
    t.write(
        "healthy/App.kt",
        "import com.posthog.PostHog\n\nfun f(user: User) {\n    PostHog.identify(user.email)\n}\n",
    );
    t.write(
        "deep.kt",
        format!(
            "import com.mixpanel.android.mpmetrics.MixpanelAPI\nval mp = MixpanelAPI.getInstance(ctx, \"t\", true)\nval x = {}\nfun f() {{ mp.trackMap(\"A\", {}) }}\nval y = a{}\nval j = JSONObject(){}\nval k = mp{}\n",
            nested("listOf(", ")", n),
            nested("mapOf(\"a\" to ", ")", n),
            ".b".repeat(n),
            ".put(\"k\", 1)".repeat(n),
            ".track(\"x\", null)".repeat(3_000)
        ),
    );
    t.write("broken.kt", "fun ( { mp.track(");
    t.write(
        "healthy/App.java",
        "import com.mixpanel.android.mpmetrics.MixpanelAPI;\n\nclass App {\n    void f(MixpanelAPI mp, User user) {\n        mp.identify(user.email);\n    }\n}\n",
    );
    t.write(
        "Deep.java",
        format!(
            "import com.mixpanel.android.mpmetrics.MixpanelAPI;\nclass Deep {{\n  MixpanelAPI mp;\n  Object x = {};\n  void f() {{ mp.track(\"A\", new JSONObject(){}); Object y = a{}; mp{}; }}\n}}\n",
            nested("f(", ")", n),
            ".put(\"k\", 1)".repeat(n),
            ".b".repeat(n),
            ".track(\"x\", null)".repeat(3_000)
        ),
    );
    t.write("Broken.java", "class { void f( { mp.track(");
    // Empty, whitespace-only, and nothing but a syntax error.
    t.write("empty.rb", "");
    t.write("blank.py", "   \n\n\t\n");
    t.write("broken.js", ")(}{ mixpanel.track(");
    t.write("broken.rs", "fn ( { mixpanel.track(");
    // A directory named like a source file, holding a healthy file.
    t.write("views.rb/inner.rb", HEALTHY_RUBY);
    // Links: a loop, one out of the tree, a dangling one; and a FIFO.
    let outside = Scratch::new("outside");
    outside.write("secret.rb", HEALTHY_RUBY);
    #[cfg(unix)]
    {
        use std::os::unix::fs::symlink;
        let _ = std::fs::create_dir_all(t.path.join("links"));
        symlink("..", t.path.join("links/loop")).unwrap_or_else(|e| panic!("{e}"));
        symlink(outside.path.join("secret.rb"), t.path.join("links/outside.rb"))
            .unwrap_or_else(|e| panic!("{e}"));
        symlink("nowhere.rb", t.path.join("links/dangling.rb")).unwrap_or_else(|e| panic!("{e}"));
        let status = std::process::Command::new("mkfifo").arg(t.path.join("fifo.rb")).status();
        assert!(status.is_ok_and(|s| s.success()), "mkfifo failed");
    }

    let (output, took) =
        run_bounded(&t.path, &["check", "--format", "json", "--verbose", "."], Duration::from_secs(60));
    let r = report(&output);
    assert_eq!(output.status.code(), Some(1), "stderr:\n{}", String::from_utf8_lossy(&output.stderr));
    let found = findings(&r);
    let expected = [
        ("bom.rb", 4, 17, "email-as-distinct-id"),
        ("crlf.rb", 4, 17, "email-as-distinct-id"),
        ("healthy/app.js", 2, 19, "email-as-distinct-id"),
        ("healthy/app.py", 4, 10, "email-as-distinct-id"),
        ("healthy/app.rb", 4, 17, "email-as-distinct-id"),
        ("healthy/main.go", 6, 40, "email-as-distinct-id"),
        ("healthy/App.swift", 4, 32, "email-as-distinct-id"),
        ("healthy/App.kt", 4, 22, "email-as-distinct-id"),
        ("healthy/App.java", 5, 21, "email-as-distinct-id"),
        ("healthy/main.rs", 5, 19, "email-as-distinct-id"),
        ("invalid_utf8.rb", 3, 15, "email-as-distinct-id"),
        ("lone_cr.js", 3, 21, "email-as-distinct-id"),
        ("views.rb/inner.rb", 4, 17, "email-as-distinct-id"),
    ];
    for (path, line, col, rule) in expected {
        let want = (path.to_string(), line, col, rule.to_string());
        assert!(found.contains(&want), "missing {want:?} in {found:#?}");
    }
    let errors = listed(&r, "errors");
    assert_listed(&errors, "binary.rb", "binary");
    assert_listed(&errors, "binary.js", "binary");
    assert_listed(&errors, "invalid_utf8.rb", "invalid UTF-8");
    assert_listed(&errors, "bundle.js", "byte limit");
    assert_listed(&errors, "deep.rs", "nest more than 256 levels");
    assert_listed(&errors, "chain.rs", "more than 2000 operators");
    assert_listed(&errors, "broken.js", "syntax error");
    assert_listed(&errors, "broken.rs", "syntax error");
    assert_listed(&errors, "broken.go", "syntax error");
    assert_listed(&errors, "broken.swift", "syntax error");
    assert_listed(&errors, "broken.kt", "syntax error");
    assert_listed(&errors, "Broken.java", "syntax error");
    #[cfg(unix)]
    {
        let skipped = listed(&r, "skipped");
        assert_listed(&skipped, "links/loop", "symbolic link");
        assert_listed(&skipped, "links/outside.rb", "symbolic link");
        assert_listed(&skipped, "links/dangling.rb", "symbolic link");
        assert_listed(&skipped, "fifo.rb", "not a regular file");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("skipped: fifo.rb: not a regular file"), "--verbose lists skips:\n{stderr}");
    }
    // The secret behind the outside link was never read.
    assert!(!found.iter().any(|f| f.0.contains("secret")));
    assert!(took < Duration::from_secs(60));
}

#[test]
fn a_named_fifo_is_refused_not_read() {
    #[cfg(unix)]
    {
        let t = Scratch::new("fifo");
        let status = std::process::Command::new("mkfifo").arg(t.path.join("pipe.rb")).status();
        assert!(status.is_ok_and(|s| s.success()), "mkfifo failed");
        t.write("ok.rb", HEALTHY_RUBY);
        let (output, _) =
            run_bounded(&t.path, &["check", "--format", "json", "pipe.rb", "ok.rb"], Duration::from_secs(20));
        assert_eq!(output.status.code(), Some(1));
        let r = report(&output);
        assert_listed(&listed(&r, "errors"), "pipe.rb", "not a regular file");
        assert_eq!(findings(&r).len(), 1);
    }
}

#[test]
fn a_hundred_thousand_calls_in_one_file() {
    let t = Scratch::new("many-calls");
    let mut src = String::from("TRACKER = Mixpanel::Tracker.new('t')\n");
    for i in 0..100_000 {
        src.push_str(&format!("TRACKER.track(u{i}.id, 'User Signed Up')\n"));
    }
    src.push_str("TRACKER.track(user.email, 'User Signed Up')\n");
    t.write("many.rb", &src);
    let (output, _) = run_bounded(
        &t.path,
        &["check", "--format", "json", "--max-file-size", "10000000", "."],
        Duration::from_secs(60),
    );
    assert_eq!(output.status.code(), Some(1));
    let r = report(&output);
    assert_eq!(r["summary"]["calls"], 100_001);
    assert_eq!(findings(&r), [("many.rb".to_string(), 100_002, 15, "email-as-distinct-id".to_string())]);
}

#[test]
fn a_ten_thousand_file_tree() {
    let t = Scratch::new("wide");
    for i in 0..10_000 {
        let dir = i % 100;
        t.write(&format!("d{dir}/f{i}.rb"), format!("class C{i}\n  def call; {i}; end\nend\n"));
    }
    t.write("d7/tracking.rb", HEALTHY_RUBY);
    let (output, _) = run_bounded(&t.path, &["check", "--format", "json", "."], Duration::from_secs(60));
    assert_eq!(output.status.code(), Some(1));
    let r = report(&output);
    assert_eq!(r["summary"]["files_scanned"], 10_001);
    assert_eq!(findings(&r), [("d7/tracking.rb".to_string(), 4, 17, "email-as-distinct-id".to_string())]);
}

#[test]
fn a_panic_in_one_file_is_an_internal_error_and_the_run_goes_on() {
    let t = Scratch::new("panic");
    t.write("healthy.rb", HEALTHY_RUBY);
    t.write("boom.rb", HEALTHY_RUBY);
    let output = bin()
        .current_dir(&t.path)
        .env("TRACKLINT_TEST_PANIC", "boom.rb")
        .args(["check", "--format", "json", "."])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    // Exit 2: an internal error happened, even though there are findings.
    assert_eq!(output.status.code(), Some(2));
    let r = report(&output);
    assert_listed(&listed(&r, "errors"), "boom.rb", "internal error while linting this file");
    assert_eq!(findings(&r), [("healthy.rb".to_string(), 4, 17, "email-as-distinct-id".to_string())]);
}
