//! A repository is hostile input: what it holds (links, configs, plans, names) never makes
//! tracklint write outside the tree, print a secret, inject a command into a CI log, or crash.
//! Each test plants one attack and checks what a user would see.

mod common;

use common::{Scratch, run_in};
use std::process::Command;

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

const BAD_EVENT: &str = "tracker = Mixpanel::Tracker.new(ENV['T'])\ntracker.track(user.id, 'signed_up')\n";

#[cfg(unix)]
#[test]
fn a_config_linked_to_a_secret_is_refused_and_never_printed() {
    let t = Scratch::new("config-secret");
    let secret = Scratch::new("config-secret-outside");
    secret.write("credentials", "https://user:hunter2-SECRET@example.com\n");
    std::os::unix::fs::symlink(secret.path.join("credentials"), t.path.join("tracklint.toml"))
        .unwrap_or_else(|e| panic!("{e}"));
    t.write("app.rb", BAD_EVENT);
    let out = run_in(&t.path, &["check", "."]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let text = stderr(&out) + &stdout(&out);
    assert!(text.contains("leads outside the project"), "{text}");
    assert!(!text.contains("hunter2"), "the secret reached the log: {text}");
}

#[cfg(unix)]
#[test]
fn a_plan_linked_out_of_the_tree_is_refused() {
    let t = Scratch::new("plan-link");
    let secret = Scratch::new("plan-link-outside");
    secret.write("env", "event\nAWS_SECRET=hunter2\n");
    std::os::unix::fs::symlink(secret.path.join("env"), t.path.join("plan.csv"))
        .unwrap_or_else(|e| panic!("{e}"));
    t.write("tracklint.toml", "plan = \"plan.csv\"\n");
    t.write("app.rb", BAD_EVENT);
    let out = run_in(&t.path, &["check", "."]);
    assert_eq!(out.status.code(), Some(2));
    let text = stderr(&out) + &stdout(&out);
    assert!(text.contains("leads outside the project") && !text.contains("hunter2"), "{text}");
}

#[cfg(unix)]
#[test]
fn device_files_as_plan_and_gitignore_do_not_hang_or_exhaust_memory() {
    let t = Scratch::new("dev-zero");
    std::os::unix::fs::symlink("/dev/zero", t.path.join(".gitignore")).unwrap_or_else(|e| panic!("{e}"));
    t.write("app.rb", BAD_EVENT);
    let out = run_in(&t.path, &["check", "--format", "concise", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).contains("app.rb:2:24: warning[event-name-style]"), "the other results are kept");
    assert!(stderr(&out).contains(".gitignore: ignore file not read"), "{}", stderr(&out));
    let out = run_in(&t.path, &["check", "--plan", "/dev/zero", "."]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not a regular file"), "{}", stderr(&out));
}

#[cfg(unix)]
#[test]
fn init_does_not_write_through_a_dangling_link() {
    let t = Scratch::new("init-link");
    let outside = Scratch::new("init-link-outside");
    let target = outside.path.join("planted.toml");
    std::os::unix::fs::symlink(&target, t.path.join("tracklint.toml")).unwrap_or_else(|e| panic!("{e}"));
    let out = run_in(&t.path, &["init"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!target.exists(), "init wrote through the link");
}

#[cfg(unix)]
#[test]
fn output_file_and_baseline_refuse_links_and_predictable_temporaries() {
    let t = Scratch::new("write-links");
    let outside = Scratch::new("write-links-outside");
    let victim = outside.write("victim", "untouched");
    t.write("app.rb", BAD_EVENT);
    std::os::unix::fs::symlink(&victim, t.path.join("report.json")).unwrap_or_else(|e| panic!("{e}"));
    let out = run_in(&t.path, &["check", "--format", "json", "--output-file", "report.json", "."]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    std::os::unix::fs::symlink(&victim, t.path.join(".tracklint-baseline.json"))
        .unwrap_or_else(|e| panic!("{e}"));
    let out = run_in(&t.path, &["baseline", "."]);
    assert_ne!(out.status.code(), Some(0));
    // The temporary name `--fix` used to write to, planted as a link.
    for pid in 0..64 {
        let _ = std::os::unix::fs::symlink(&victim, t.path.join(format!(".app.rb.tracklint-{pid}.tmp")));
    }
    let _ = run_in(&t.path, &["check", "--fix", "--unsafe-fixes", "."]);
    assert_eq!(std::fs::read_to_string(&victim).unwrap_or_default(), "untouched");
}

fn git(dir: &std::path::Path, args: &[&str]) {
    let ok = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.email=t@example.com", "-c", "user.name=t"])
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(ok, "git {args:?} failed");
}

#[test]
fn fixes_stay_inside_the_staged_scope() {
    let t = Scratch::new("fix-scope");
    git(&t.path, &["init", "-q"]);
    t.write("staged.rb", BAD_EVENT);
    let other = t.write("other.rb", BAD_EVENT);
    git(&t.path, &["add", "staged.rb"]);
    let out = run_in(&t.path, &["check", "--staged", "--fix", "--unsafe-fixes", "."]);
    assert!(out.status.code().is_some_and(|c| c < 2), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(&other).unwrap_or_default(),
        BAD_EVENT,
        "an unstaged file was rewritten"
    );
    let staged = std::fs::read_to_string(t.path.join("staged.rb")).unwrap_or_default();
    assert!(staged.contains("'Signed Up'"), "{staged}");
}

#[test]
fn staged_names_git_would_quote_are_still_checked() {
    let t = Scratch::new("quoted-names");
    git(&t.path, &["init", "-q"]);
    t.write("caf\u{e9} \"x\".rb", BAD_EVENT);
    git(&t.path, &["add", "."]);
    let out = run_in(&t.path, &["check", "--staged", "--format", "concise", "."]);
    assert_eq!(out.status.code(), Some(1), "the gate passed: {}", stderr(&out));
    assert!(stdout(&out).contains("event-name-style"));
}

#[test]
fn control_characters_from_the_repository_are_escaped_in_every_text_format() {
    let t = Scratch::new("inject");
    t.write("app.js", "mixpanel.track(\"a\\n::add-mask::b\\u001b[31m\");\nmixpanel.track('\u{202e}evil');\n");
    for format in ["human", "concise", "github"] {
        let out = run_in(&t.path, &["check", "--format", format, "."]);
        let text = stdout(&out);
        assert!(!text.contains('\u{1b}') && !text.contains('\u{202e}'), "{format}: raw control in {text:?}");
        for line in text.lines() {
            assert!(!line.starts_with("::add-mask::"), "{format}: injected command line {line:?}");
        }
    }
}

#[test]
fn csv_inventory_never_starts_a_cell_with_a_formula_and_reads_back_clean() {
    let t = Scratch::new("formula");
    t.write(
        "app.js",
        "mixpanel.track('=HYPERLINK(\"http://x\")', { 'Plan Name': 1 });\nmixpanel.track(' Padded ', {a: 1, b: 2});\nmixpanel.track('-1 Thing');\n",
    );
    let out = run_in(&t.path, &["events", "--format", "csv", "."]);
    let csv = stdout(&out);
    for line in csv.lines() {
        let first = line.trim_start_matches('"');
        assert!(!first.starts_with(['=', '+', '-', '@']), "formula cell: {line}");
    }
    t.write("plan.csv", &csv);
    let out = run_in(&t.path, &["check", "--isolated", "--plan", "plan.csv", "--format", "json", "."]);
    let report = common::json(&out);
    let plan_rules: Vec<_> = common::findings(&report)
        .into_iter()
        .filter(|f| {
            matches!(f.3.as_str(), "unknown-event" | "missing-required-property" | "untracked-plan-event")
        })
        .collect();
    assert!(plan_rules.is_empty(), "{plan_rules:?}\n{csv}");
}

#[test]
fn malformed_csv_plans_are_errors() {
    let t = Scratch::new("bad-csv");
    t.write("app.rb", BAD_EVENT);
    t.write("open.csv", "event\n\"Signed Up\n");
    t.write("empty.csv", "");
    for plan in ["open.csv", "empty.csv"] {
        let out = run_in(&t.path, &["check", "--plan", plan, "."]);
        assert_eq!(out.status.code(), Some(2), "{plan}: {}", stderr(&out));
    }
}

#[test]
fn unreadable_path_arguments_are_errors() {
    let t = Scratch::new("dangling-arg");
    #[cfg(unix)]
    std::os::unix::fs::symlink(t.path.join("nowhere"), t.path.join("gone.rb"))
        .unwrap_or_else(|e| panic!("{e}"));
    let out = run_in(&t.path, &["check", "gone.rb"]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(!stdout(&out).contains("No problems found"));
}

#[test]
fn a_huge_event_name_and_a_huge_thread_count_do_not_crash() {
    let t = Scratch::new("huge-name");
    t.write("app.js", format!("mixpanel.track('{}');\n", "a".repeat(70_000)));
    let out = run_in(&t.path, &["events", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = run_in(&t.path, &["check", "--threads", "100000", "--format", "concise", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("capped"), "{}", stderr(&out));
}

#[test]
fn long_lines_are_cut_in_human_output() {
    let t = Scratch::new("amplify");
    t.write("app.js", "mixpanel.track(\"signed_up\");".repeat(2000) + "\n");
    let out = run_in(&t.path, &["check", "."]);
    let bytes = out.stdout.len();
    // 2,000 findings on one 54 KB line: whole, that line would be printed 2,000 times (108 MB).
    assert!(bytes < 4_000_000, "{bytes} bytes of output");
}

#[test]
fn hidden_directories_and_a_config_above_the_repository_are_visible_decisions() {
    let outer = Scratch::new("above-git");
    outer.write("tracklint.toml", "[rules]\nevent-name-style = \"off\"\n");
    let repo = outer.path.join("repo");
    std::fs::create_dir_all(&repo).unwrap_or_else(|e| panic!("{e}"));
    git(&repo, &["init", "-q"]);
    std::fs::write(repo.join("app.rb"), BAD_EVENT).unwrap_or_else(|e| panic!("{e}"));
    std::fs::create_dir_all(repo.join(".hidden")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(repo.join(".hidden/x.rb"), BAD_EVENT).unwrap_or_else(|e| panic!("{e}"));
    let out = run_in(&repo, &["check", "--verbose", "--format", "concise", "."]);
    assert_eq!(out.status.code(), Some(1), "the config above the repository applied");
    assert!(stdout(&out).contains("app.rb:2:24: warning[event-name-style]"));
    assert!(stderr(&out).contains(".hidden: hidden"), "{}", stderr(&out));
}

#[test]
fn show_fixed_speaks_only_of_files_that_were_checked() {
    let t = Scratch::new("show-fixed");
    t.write("a.rb", BAD_EVENT);
    t.write("b.rb", BAD_EVENT);
    let out = run_in(&t.path, &["baseline", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // Only a.rb is checked: b.rb's entry is neither fixed nor reported.
    let out = run_in(&t.path, &["check", "--baseline", ".tracklint-baseline.json", "--show-fixed", "a.rb"]);
    assert!(!stderr(&out).contains("b.rb"), "{}", stderr(&out));
    std::fs::write(t.path.join("a.rb"), "x = 1\n").unwrap_or_else(|e| panic!("{e}"));
    let out = run_in(&t.path, &["check", "--baseline", ".tracklint-baseline.json", "--show-fixed", "a.rb"]);
    assert!(stderr(&out).contains("fixed since the baseline: a.rb"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("b.rb"), "{}", stderr(&out));
}

#[test]
fn junit_carries_no_character_xml_cannot_hold() {
    let t = Scratch::new("junit-fffe");
    t.write("app.js", "mixpanel.track('bad\u{fffe}name_\u{ffff}');\n");
    let out = run_in(&t.path, &["check", "--format", "junit", "."]);
    let text = stdout(&out);
    assert!(!text.contains('\u{fffe}') && !text.contains('\u{ffff}'), "{text}");
    assert!(text.contains("\\ufffe"), "{text}");
}

#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8_is_listed_as_skipped() {
    use std::os::unix::ffi::OsStrExt;
    let t = Scratch::new("non-utf8-name");
    t.write("ok.rb", BAD_EVENT);
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.rb");
    if std::fs::write(t.path.join(name), BAD_EVENT).is_err() {
        return; // the file system refuses such names
    }
    let out = run_in(&t.path, &["check", "--verbose", "--format", "json", "."]);
    let report = common::json(&out);
    let skipped = report["summary"]["skipped"].to_string();
    assert!(skipped.contains("not valid UTF-8"), "{skipped}");
}

#[test]
fn config_errors_and_baseline_text_are_shown_not_obeyed() {
    let t = Scratch::new("config-escape");
    t.write("app.rb", BAD_EVENT);
    t.write("tracklint.toml", "[rules]\n\"evil\u{1b}[2J\" = \"off\"\n# \u{1b}]0;title\u{7}\n");
    let out = run_in(&t.path, &["check", "."]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!stderr(&out).contains('\u{1b}') && !stderr(&out).contains('\u{7}'), "{:?}", stderr(&out));
    std::fs::remove_file(t.path.join("tracklint.toml")).unwrap_or_else(|e| panic!("{e}"));
    // A baseline shipped with the repository, whose entry is fixed: its text is escaped.
    t.write(
        ".tracklint-baseline.json",
        "{\"version\": 1, \"findings\": [{\"rule\": \"event-name-style\", \"path\": \"app.rb\", \"line\": 9, \
         \"fingerprint\": \"0\", \"message\": \"x\\n::add-mask::y\\u001b[31m\"}]}",
    );
    let out = run_in(&t.path, &["check", "--baseline", ".tracklint-baseline.json", "--show-fixed", "."]);
    let text = stderr(&out);
    assert!(text.contains("fixed since the baseline: app.rb:9"), "{text}");
    assert!(!text.contains('\u{1b}') && !text.lines().any(|l| l.starts_with("::")), "{text:?}");
}

#[test]
fn a_directory_named_like_the_config_is_not_a_config() {
    let t = Scratch::new("config-dir");
    t.write("tracklint.toml/x", "");
    t.write("app.rb", BAD_EVENT);
    let out = run_in(&t.path, &["check", "--format", "concise", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}
