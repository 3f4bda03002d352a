//! CI, pre-commit and editor integration, seen from outside: every output format parsed back,
//! baselines across edits, autofix (then a clean check), changed-file runs, standard input.

mod common;

use common::{Scratch, bin, findings, json, run, run_in};
use std::io::Write;
use std::process::Stdio;

const BAD_RUBY: &str = "TRACKER = Mixpanel::Tracker.new(ENV['T'])\n\ndef signed_up(user)\n  TRACKER.track(user.email, 'signed_up')\nend\n";

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The SARIF of every fixture folder (one run) and of a project whose paths need encoding
/// (`app/(app)/[id]/page.tsx`, `100%.js`), validated against the published SARIF 2.1.0 schema
/// (`tests/sarif-schema-2.1.0.json`, untouched) by the reference `jsonschema` validator. It
/// needs Python's `jsonschema` (`.ci/run` installs it under target/), so it runs when asked.
#[test]
#[ignore]
fn sarif_validates_against_the_sarif_2_1_0_schema() {
    let t = Scratch::new("sarif-paths");
    let bad =
        "import mixpanel from 'mixpanel-browser';\nmixpanel.track('signed_up', { email: user.email });\n";
    t.write("app/(app)/[id]/page.tsx", bad);
    t.write("web/100%.js", bad);
    let mut reports = vec![json(&run_in(&t.path, &["check", "--format", "sarif", "."]))];
    let dirs = fixture_dirs();
    for dir in &dirs {
        reports.push(json(&run(&["check", "--format", "sarif", "--exit-zero", dir])));
    }
    let uris: Vec<String> = reports[0]["runs"][0]["results"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter_map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().map(str::to_string)
        })
        .collect();
    assert!(uris.iter().any(|u| u == "app/%28app%29/%5Bid%5D/page.tsx"), "{uris:?}");
    assert!(uris.iter().any(|u| u == "web/100%25.js"), "{uris:?}");
    let all = t.path.join("reports.json");
    std::fs::write(&all, serde_json::to_string(&reports).unwrap_or_default())
        .unwrap_or_else(|e| panic!("{e}"));
    let schema = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/sarif-schema-2.1.0.json");
    if let Err(problems) = validate_json(schema, "Draft7Validator", &all) {
        panic!("SARIF does not validate ({} reports):\n{problems}", reports.len());
    }
}

/// Every fixture folder, as `fixtures/<name>`, sorted.
fn fixture_dirs() -> Vec<String> {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut dirs: Vec<String> = std::fs::read_dir(&fixtures)
        .map(|d| {
            d.flatten()
                .filter(|e| e.path().is_dir())
                .map(|e| format!("fixtures/{}", e.file_name().to_string_lossy()))
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    dirs
}

/// Validates each report of a JSON array file against a schema with Python's reference
/// `jsonschema` (the given draft's validator, after checking the schema itself).
fn validate_json(schema: &str, validator: &str, reports: &std::path::Path) -> Result<(), String> {
    let script = format!(
        "import json, sys, jsonschema\n\
schema = json.load(open(sys.argv[1]))\n\
jsonschema.{validator}.check_schema(schema)\n\
validator = jsonschema.{validator}(schema)\n\
problems = [f'{{i}}: {{e.message}} at {{list(e.absolute_path)}}' for i, r in enumerate(json.load(open(sys.argv[2]))) for e in validator.iter_errors(r)]\n\
print('\\n'.join(problems[:20]))\n\
sys.exit(1 if problems else 0)\n"
    );
    let out = std::process::Command::new("python3")
        .args(["-c", &script, schema])
        .arg(reports)
        .output()
        .unwrap_or_else(|e| panic!("python3: {e}"));
    if out.status.success() {
        Ok(())
    } else {
        Err(format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
    }
}

#[test]
fn sarif_describes_every_rule_and_result() {
    let out =
        run(&["check", "--format", "sarif", "fixtures/backfill-missing-ignore-time", "fixtures/segment"]);
    assert_eq!(out.status.code(), Some(1));
    let sarif = json(&out);
    let run0 = &sarif["runs"][0];
    let rules = run0["tool"]["driver"]["rules"].as_array().cloned().unwrap_or_default();
    for id in [
        "event-name-style",
        "email-as-distinct-id",
        "event-before-alias",
        "boolean-people-property",
        "backfill-missing-ignore-time",
        "unused-suppression",
    ] {
        let rule = rules.iter().find(|r| r["id"] == id).unwrap_or_else(|| panic!("{id} not in driver.rules"));
        for key in ["name", "shortDescription", "fullDescription", "help", "helpUri", "defaultConfiguration"]
        {
            assert!(!rule[key].is_null(), "{id} lacks {key}");
        }
        // The help link is the rule's own file, whose doc comment is its documentation.
        let help = rule["helpUri"].as_str().unwrap_or_default();
        let file = help.rsplit("/src/rules/").next().unwrap_or_default();
        assert!(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules").join(file).is_file(),
            "{id}: {help}"
        );
    }
    assert!(run0["tool"]["driver"]["informationUri"].as_str().is_some_and(|u| u.starts_with("https://")));
    let results = run0["results"].as_array().cloned().unwrap_or_default();
    let json_report = json(&run(&[
        "check",
        "--format",
        "json",
        "fixtures/backfill-missing-ignore-time",
        "fixtures/segment",
    ]));
    assert_eq!(results.len(), findings(&json_report).len());
    let first = &results[0];
    let region = &first["locations"][0]["physicalLocation"]["region"];
    assert!(
        region["startLine"].as_u64().unwrap_or(0) >= 1 && region["startColumn"].as_u64().unwrap_or(0) >= 1
    );
    assert_eq!(first["partialFingerprints"]["tracklint/v1"].as_str().map(str::len), Some(16));
    // The Ruby `ip`-slot fix is carried as a SARIF fix.
    assert!(results.iter().any(|r| {
        r["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"]
            .as_str()
            .is_some_and(|t| t.starts_with("nil, "))
    }));
}

#[test]
fn github_concise_and_junit_formats() {
    let target = "fixtures/email-as-distinct-id/bad.rb";
    let expected = findings(&json(&run(&["check", "--format", "json", target])));
    assert!(!expected.is_empty());

    let github = stdout(&run(&["check", "--format", "github", target]));
    let pattern = regex::Regex::new(
        r"^::(error|warning|notice) file=([^,]+),line=(\d+),col=(\d+),endLine=\d+,endColumn=\d+,title=([a-z-]+)::.+$",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let mut seen = Vec::new();
    for line in github.lines() {
        let c = pattern.captures(line).unwrap_or_else(|| panic!("not a workflow command: {line}"));
        seen.push((
            c[2].to_string(),
            c[3].parse::<u64>().unwrap_or(0),
            c[4].parse::<u64>().unwrap_or(0),
            c[5].to_string(),
        ));
    }
    seen.sort();
    assert_eq!(seen, expected);

    let concise = stdout(&run(&["check", "--format", "concise", target]));
    let mut seen: Vec<(String, u64, u64, String)> = concise
        .lines()
        .map(|l| {
            let mut parts = l.splitn(4, ':');
            let path = parts.next().unwrap_or_default().to_string();
            let line = parts.next().and_then(|x| x.parse().ok()).unwrap_or(0);
            let col = parts.next().and_then(|x| x.parse().ok()).unwrap_or(0);
            // `warning[event-name-style] message`: the severity, then the rule.
            let tag = parts.next().unwrap_or_default().split_whitespace().next().unwrap_or_default();
            let (severity, rule) = tag.trim_end_matches(']').split_once('[').unwrap_or_default();
            assert!(["error", "warning", "info"].contains(&severity), "{l}");
            (path, line, col, rule.to_string())
        })
        .collect();
    seen.sort();
    assert_eq!(seen, expected);

    let junit = stdout(&run(&["check", "--format", "junit", target]));
    let doc = roxmltree::Document::parse(&junit)
        .unwrap_or_else(|e| panic!("JUnit XML does not parse: {e}\n{junit}"));
    let cases: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("testcase")).collect();
    assert_eq!(cases.len(), expected.len());
    assert!(cases.iter().all(|c| {
        c.children().any(|f| f.has_tag_name("failure") && f.attribute("type") == Some("email-as-distinct-id"))
    }));
    let suite =
        doc.descendants().find(|n| n.has_tag_name("testsuite")).unwrap_or_else(|| panic!("no testsuite"));
    assert_eq!(suite.attribute("failures"), Some(expected.len().to_string().as_str()));
}

#[test]
fn output_file_and_exit_zero() {
    let t = Scratch::new("output-file");
    t.write("app.rb", BAD_RUBY);
    let out = run_in(&t.path, &["check", "--format", "json", "--output-file", "report.json", "app.rb"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let written = std::fs::read(t.path.join("report.json")).unwrap_or_default();
    let report: serde_json::Value = serde_json::from_slice(&written).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(findings(&report).len(), 2);
    let out = run_in(&t.path, &["check", "--exit-zero", "app.rb"]);
    assert_eq!(out.status.code(), Some(0));
    let out = run_in(&t.path, &["check", "--fail-on", "error", "--format", "concise", "app.rb"]);
    assert_eq!(out.status.code(), Some(1), "email-as-distinct-id is an error");
}

#[test]
fn baseline_survives_edits_that_shift_lines() {
    let t = Scratch::new("baseline");
    t.write("app.rb", BAD_RUBY);
    let out = run_in(&t.path, &["baseline", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(t.path.join(".tracklint-baseline.json").is_file());
    // Nothing new: clean.
    let out = run_in(&t.path, &["check", "--baseline", ".tracklint-baseline.json", "--format", "json", "."]);
    assert_eq!(out.status.code(), Some(0));
    assert!(findings(&json(&out)).is_empty());
    // Lines shift above the old findings, and a new finding arrives.
    let edited = BAD_RUBY.replace(
        "def signed_up",
        "# a comment\n# another\n\ndef logged_in(user)\n  TRACKER.track(user.email, 'User Logged In')\nend\n\ndef signed_up",
    );
    t.write("app.rb", &edited);
    let out = run_in(&t.path, &["check", "--baseline", ".tracklint-baseline.json", "--format", "json", "."]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(findings(&json(&out)), [("app.rb".to_string(), 7, 17, "email-as-distinct-id".to_string())]);
    // The old findings fixed: --show-fixed names them.
    t.write(
        "app.rb",
        edited.replace("TRACKER.track(user.email, 'signed_up')", "TRACKER.track(user.id, 'User Signed Up')"),
    );
    let out = run_in(
        &t.path,
        &["check", "--baseline", ".tracklint-baseline.json", "--show-fixed", "--format", "json", "."],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("fixed since the baseline: app.rb:4: email-as-distinct-id"), "{stderr}");
    assert!(stderr.contains("fixed since the baseline: app.rb:4: event-name-style"), "{stderr}");
}

#[test]
fn fix_then_check_is_clean_and_untouched_files_are_identical() {
    let t = Scratch::new("fix");
    let backfill = "TRACKER = Mixpanel::Tracker.new(ENV['T'])\n\ntask sync: :environment do\n  User.find_each do |u|\n    TRACKER.people.set(u.id, { '$name' => u.name }, '$ignore_time' => true)\n  end\nend\n";
    t.write("lib/tasks/sync.rake", backfill);
    t.write("app/events.rb", "TRACKER = Mixpanel::Tracker.new(ENV['T'])\nTRACKER.track(u.id, 'signed_up')\n");
    let clean = "TRACKER = Mixpanel::Tracker.new(ENV['T'])\nTRACKER.track(u.id, 'User Signed Up')\n";
    t.write("app/clean.rb", clean);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(
            t.path.join("lib/tasks/sync.rake"),
            std::fs::Permissions::from_mode(0o640),
        );
    }

    // --diff shows, writes nothing, exits 1.
    let out = run_in(&t.path, &["check", "--diff", "."]);
    assert_eq!(out.status.code(), Some(1));
    let diff = stdout(&out);
    assert!(
        diff.contains("--- a/lib/tasks/sync.rake")
            && diff.contains(
                "+    TRACKER.people.set(u.id, { '$name' => u.name }, nil, { '$ignore_time' => true })"
            ),
        "{diff}"
    );
    assert!(!diff.contains("app/events.rb"), "the rename is unsafe: {diff}");
    assert_eq!(std::fs::read_to_string(t.path.join("lib/tasks/sync.rake")).unwrap_or_default(), backfill);

    // --fix applies the safe fix only.
    let out = run_in(&t.path, &["check", "--fix", "--format", "json", "."]);
    let left = findings(&json(&out));
    assert!(!left.iter().any(|f| f.3 == "backfill-missing-ignore-time"), "{left:?}");
    assert!(left.iter().any(|f| f.3 == "event-name-style"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(t.path.join("lib/tasks/sync.rake"))
            .map(|m| m.permissions().mode() & 0o777)
            .unwrap_or(0);
        assert_eq!(mode, 0o640, "permissions are kept");
    }
    // --unsafe-fixes renames the event; then nothing is left and the clean file is untouched.
    let out = run_in(&t.path, &["check", "--fix", "--unsafe-fixes", "--format", "json", "."]);
    assert!(findings(&json(&out)).is_empty(), "{}", stdout(&out));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(t.path.join("app/events.rb")).unwrap_or_default(),
        "TRACKER = Mixpanel::Tracker.new(ENV['T'])\nTRACKER.track(u.id, 'Signed Up')\n"
    );
    assert_eq!(std::fs::read(t.path.join("app/clean.rb")).unwrap_or_default(), clean.as_bytes());
    let out = run_in(&t.path, &["check", "."]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn a_file_with_a_parse_error_is_never_fixed() {
    let t = Scratch::new("fix-broken");
    let broken = "TRACKER = Mixpanel::Tracker.new(ENV['T'])\nTRACKER.track(u.id, 'signed_up')\ndef (\n";
    t.write("broken.rb", broken);
    let _ = run_in(&t.path, &["check", "--fix", "--unsafe-fixes", "."]);
    assert_eq!(std::fs::read_to_string(t.path.join("broken.rb")).unwrap_or_default(), broken);
}

#[test]
fn a_killed_fix_leaves_every_file_old_or_new() {
    let t = Scratch::new("fix-kill");
    let old = "TRACKER = Mixpanel::Tracker.new(ENV['T'])\nTRACKER.track(u.id, 'signed_up')\n";
    let new = "TRACKER = Mixpanel::Tracker.new(ENV['T'])\nTRACKER.track(u.id, 'Signed Up')\n";
    let files = 600;
    let reset = || {
        for i in 0..files {
            t.write(&format!("app/f{i}.rb"), old);
        }
    };
    let spawn = || {
        bin()
            .current_dir(&t.path)
            .args(["check", "--fix", "--unsafe-fixes", "--threads", "2", "."])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{e}"))
    };
    // How long a whole run takes on this machine, to kill the next ones part-way through.
    reset();
    let start = std::time::Instant::now();
    let _ = spawn().wait();
    let whole = start.elapsed();
    let mut partial_rounds = 0;
    for tenth in [3u32, 5, 7, 9] {
        reset();
        let mut child = spawn();
        std::thread::sleep(whole * tenth / 10);
        let _ = child.kill();
        let _ = child.wait();
        let mut fixed = 0;
        for i in 0..files {
            let text = std::fs::read_to_string(t.path.join(format!("app/f{i}.rb"))).unwrap_or_default();
            assert!(
                text == old || text == new,
                "killed at {tenth}/10: f{i}.rb is neither old nor new: {text:?}"
            );
            fixed += usize::from(text == new);
        }
        partial_rounds += usize::from(fixed > 0 && fixed < files);
        eprintln!("killed at {tenth}/10 of {whole:?}: {fixed}/{files} files fixed");
    }
    eprintln!("{partial_rounds} rounds were killed in the middle of writing");
}

#[test]
fn changed_since_and_staged_report_only_changed_files_with_whole_project_context() {
    let t = Scratch::new("changed");
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git").current_dir(&t.path).args(args).output();
        assert!(out.as_ref().is_ok_and(|o| o.status.success()), "git {args:?}: {out:?}");
    };
    git(&["init", "-q"]);
    git(&["config", "user.email", "t@example.com"]);
    git(&["config", "user.name", "t"]);
    // The client lives in a file that will not change.
    t.write("config/initializers/mixpanel.rb", "TRACKER = Mixpanel::Tracker.new(ENV['T'])\n");
    t.write("app/a.rb", "def a(u)\n  TRACKER.track(u.email, 'User Signed Up')\nend\n");
    t.write("app/b.rb", "def b(u)\n  TRACKER.track(u.email, 'User Logged In')\nend\n");
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "base"]);
    t.write("app/b.rb", "def b(u)\n  TRACKER.track(u.email, 'User Logged Out')\nend\n");
    t.write("app/new.rb", "def n(u)\n  TRACKER.track(u.email, 'User Joined')\nend\n");

    let out = run_in(&t.path, &["check", "--changed-since", "HEAD", "--format", "json", "."]);
    let paths: Vec<String> = findings(&json(&out)).into_iter().map(|f| f.0).collect();
    assert_eq!(paths, ["app/b.rb", "app/new.rb"]);

    git(&["add", "app/new.rb"]);
    let out = run_in(&t.path, &["check", "--staged", "--format", "json", "."]);
    let paths: Vec<String> = findings(&json(&out)).into_iter().map(|f| f.0).collect();
    assert_eq!(paths, ["app/new.rb"]);

    let out = run_in(&t.path, &["check", "--changed-since", "no-such-rev", "."]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn stdin_is_linted_as_the_named_file() {
    let t = Scratch::new("stdin");
    t.write("config/initializers/mixpanel.rb", "TRACKER = Mixpanel::Tracker.new(ENV['T'])\n");
    t.write("app/a.rb", "def a(u)\n  TRACKER.track(u.id, 'User Signed Up')\nend\n");
    // Another file has a problem of its own (a NUL byte): the editor is not told about it.
    t.write("app/blob.rb", "TRACKER.track(1, 'x')\0\n");
    let mut child = bin()
        .current_dir(&t.path)
        .args(["check", "--format", "json", "--stdin-filename", "app/a.rb", "."])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(b"def a(u)\n\n  TRACKER.track(u.email, 'User Signed Up')\nend\n");
    }
    let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    // The buffer, not the file on disk, and the client from another file.
    let report = json(&out);
    assert_eq!(findings(&report), [("app/a.rb".to_string(), 3, 17, "email-as-distinct-id".to_string())]);
    assert_eq!(report["summary"]["errors"], serde_json::json!([]), "{report}");
    assert!(String::from_utf8_lossy(&out.stderr).is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// The hook definition: `check --staged` over the whole project (no file names passed, so a
/// client in another file is seen), and it runs for every file tracklint reads.
#[test]
fn the_pre_commit_hook_checks_the_project_for_every_language() {
    let hooks = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/.pre-commit-hooks.yaml"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(hooks.contains("entry: tracklint check --staged"), "{hooks}");
    assert!(hooks.contains("pass_filenames: false"), "{hooks}");
    let files = hooks
        .lines()
        .find_map(|l| l.trim().strip_prefix("files: "))
        .map(|f| f.trim_matches('\''))
        .unwrap_or_else(|| panic!("no files pattern: {hooks}"));
    let re = regex::Regex::new(files).unwrap_or_else(|e| panic!("{e}"));
    for info in tracklint::language::LANGUAGES {
        for ext in info.extensions {
            assert!(re.is_match(&format!("app/x.{ext}")), "the hook skips .{ext}");
        }
        for name in info.file_names {
            assert!(re.is_match(&format!("app/{name}")) && re.is_match(name), "the hook skips {name}");
        }
    }
    assert!(re.is_match("app/views/a.html.erb"));
    assert!(!re.is_match("README.md") && !re.is_match("tracklint.toml"));
}

/// The real `pre-commit` from PyPI against this repository's hook definition. Slow (installs a
/// hook environment), so it runs when asked: `.ci/run` does.
#[test]
#[ignore]
fn pre_commit_blocks_a_bad_commit_and_passes_a_good_one() {
    let hooks = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/.pre-commit-hooks.yaml"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(hooks.contains("id: tracklint") && hooks.contains("language: rust"));
    // The hook is installed from a clone of this repository, as a user's `repo:` entry would
    // (pre-commit builds it with `cargo install`; a shared target directory keeps that warm).
    let here = env!("CARGO_MANIFEST_DIR");
    let head = std::process::Command::new("git").current_dir(here).args(["rev-parse", "HEAD"]).output();
    let head = head.map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string()).unwrap_or_default();
    assert!(!head.is_empty(), "the hook is tested from a git checkout");
    let t = Scratch::new("pre-commit");
    // pre-commit's environments and the hook's build stay under this build's target directory.
    let target = format!("{here}/target");
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .current_dir(&t.path)
            .args(args)
            .env("PRE_COMMIT_HOME", format!("{target}/pre-commit-home"))
            .env("CARGO_TARGET_DIR", format!("{target}/pre-commit-hook"))
            .output()
            .unwrap_or_else(|e| panic!("{e}"))
    };
    assert!(git(&["init", "-q"]).status.success());
    git(&["config", "user.email", "t@example.com"]);
    git(&["config", "user.name", "t"]);
    // `args` add flags to the hook's own `check --staged`.
    t.write(
        ".pre-commit-config.yaml",
        format!(
            "repos:\n- repo: {here}\n  rev: {head}\n  hooks:\n  - id: tracklint\n    args: [--fail-on, error]\n"
        ),
    );
    // The client is defined in a file that is not staged with the bad call: the hook checks
    // the project, so the call is still known as Mixpanel's.
    t.write("config/initializers/mixpanel.rb", "TRACKER = Mixpanel::Tracker.new(ENV['T'])\n");
    git(&["add", "."]);
    let pre_commit = std::env::var("PRE_COMMIT").unwrap_or_else(|_| "pre-commit".into());
    let install = std::process::Command::new(&pre_commit)
        .current_dir(&t.path)
        .arg("install")
        .env("PRE_COMMIT_HOME", format!("{target}/pre-commit-home"))
        .output();
    assert!(install.as_ref().is_ok_and(|o| o.status.success()), "pre-commit install: {install:?}");
    assert!(git(&["commit", "-q", "-m", "base"]).status.success());

    t.write("app/bad.rb", "def signup(u)\n  TRACKER.track(u.email, 'User Signed Up')\nend\n");
    git(&["add", "app/bad.rb"]);
    let bad = git(&["commit", "-q", "-m", "bad"]);
    let said = format!("{}{}", String::from_utf8_lossy(&bad.stdout), String::from_utf8_lossy(&bad.stderr));
    assert!(!bad.status.success(), "the hook must block: {said}");
    assert!(said.contains("email-as-distinct-id"), "{said}");

    // A warning does not block with `--fail-on error`; the error is gone.
    t.write("app/bad.rb", "def signup(u)\n  TRACKER.track(u.id, 'signed_up')\nend\n");
    git(&["add", "app/bad.rb"]);
    let good = git(&["commit", "-q", "-m", "good"]);
    assert!(
        good.status.success(),
        "{}{}",
        String::from_utf8_lossy(&good.stdout),
        String::from_utf8_lossy(&good.stderr)
    );
}

/// The composite GitHub Action: it runs `check` with flags `check` has, writes SARIF, uploads
/// it, and ends with the check's exit code. Its shell steps are run here with a stand-in
/// `GITHUB_OUTPUT` and the binary under test.
#[test]
fn the_github_action_runs_check_and_keeps_its_exit_code() {
    let action = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/action.yml"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(action.contains("using: composite") && action.contains("github/codeql-action/upload-sarif"));
    // The Check step's script, as the runner would execute it.
    let step =
        action.split("- name: Check").nth(1).and_then(|s| s.split("- name:").next()).unwrap_or_default();
    let script: String = step
        .split("run: |")
        .nth(1)
        .unwrap_or_default()
        .lines()
        .map(|l| l.strip_prefix("        ").unwrap_or(l.trim_start()))
        .collect::<Vec<_>>()
        .join("\n");
    let t = Scratch::new("action");
    t.write("app.rb", BAD_RUBY);
    let exe_dir = std::path::Path::new(env!("CARGO_BIN_EXE_tracklint"))
        .parent()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let run_step = |fail_on: &str| {
        let outputs = t.path.join(format!("outputs-{fail_on}"));
        let out = std::process::Command::new("bash")
            .arg("-c")
            .arg(&script)
            .current_dir(&t.path)
            .env("PATH", format!("{exe_dir}:{}", std::env::var("PATH").unwrap_or_default()))
            .env("RUNNER_TEMP", &t.path)
            .env("GITHUB_OUTPUT", &outputs)
            .env("TRACKLINT_PATHS", ".")
            .env("TRACKLINT_FAIL_ON", fail_on)
            .env("TRACKLINT_ARGS", "--ignore hardcoded-project-token")
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        (
            std::fs::read_to_string(outputs).unwrap_or_default(),
            String::from_utf8_lossy(&out.stdout).to_string(),
        )
    };
    let (outputs, log) = run_step("error");
    assert!(outputs.contains("status=1"), "{outputs}");
    assert!(log.contains("::error file=app.rb"), "the log annotates the finding: {log}");
    let sarif = json_file(&t.path.join("tracklint.sarif"));
    assert_eq!(sarif["version"], "2.1.0");
    // `--fail-on error` with only warnings and info left: the job passes.
    t.write("app.rb", "TRACKER = Mixpanel::Tracker.new(ENV['T'])\nTRACKER.track(u.id, 'signed_up')\n");
    let (outputs, _) = run_step("error");
    assert!(outputs.contains("status=0"), "{outputs}");
}

fn json_file(path: &std::path::Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap_or_default()).unwrap_or_else(|e| panic!("{e}"))
}

/// The JSON of `events` and `check` on every fixture folder validates against the schemas the
/// repository publishes (`schemas/events.schema.json`, `schemas/check.schema.json`, JSON
/// Schema 2020-12), which are themselves checked as schemas. Needs Python's `jsonschema`.
#[test]
#[ignore]
fn json_outputs_validate_against_the_published_schemas() {
    let dirs = fixture_dirs();
    let t = Scratch::new("json-schemas");
    for (kind, args) in [
        ("events", vec!["events", "--format", "json"]),
        ("check", vec!["check", "--format", "json", "--exit-zero"]),
    ] {
        let reports: Vec<serde_json::Value> = dirs
            .iter()
            .map(|dir| {
                let mut a = args.clone();
                a.push(dir);
                json(&run(&a))
            })
            .collect();
        assert!(reports.iter().any(|r| r["calls"].as_array().is_some_and(|c| !c.is_empty())
            || r["diagnostics"].as_array().is_some_and(|d| !d.is_empty())));
        let all = t.path.join(format!("{kind}.json"));
        std::fs::write(&all, serde_json::to_string(&reports).unwrap_or_default())
            .unwrap_or_else(|e| panic!("{e}"));
        let schema = format!("{}/schemas/{kind}.schema.json", env!("CARGO_MANIFEST_DIR"));
        if let Err(problems) = validate_json(&schema, "Draft202012Validator", &all) {
            panic!("{kind} JSON does not validate:\n{problems}");
        }
    }
}
