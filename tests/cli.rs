//! The binary as users meet it: exit codes, output formats, bad input, subcommands.

mod common;

use common::{Scratch, findings, json, run, run_in};

const EXAMPLE: &str = "fixtures/example-app";

#[test]
fn exit_codes() {
    assert_eq!(run(&["check", EXAMPLE]).status.code(), Some(1));
    let clean = Scratch::new("clean");
    clean.write(
        "app.rb",
        "TRACKER = Mixpanel::Tracker.new(ENV['T'])\nTRACKER.track(user.id, 'User Signed Up')\n",
    );
    assert_eq!(run_in(&clean.path, &["check"]).status.code(), Some(0));
    assert_eq!(run(&["check", "--no-such-flag"]).status.code(), Some(2));
    let missing = run(&["check", "does/not/exist"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("path not found: does/not/exist"));
}

#[test]
fn fail_on_sets_the_threshold() {
    let dir = Scratch::new("failon");
    dir.write("a.rb", "TRACKER = Mixpanel::Tracker.new(ENV['T'])\nTRACKER.track(user.id, 'signed_up')\n");
    assert_eq!(run_in(&dir.path, &["check"]).status.code(), Some(1));
    assert_eq!(run_in(&dir.path, &["check", "--fail-on", "warning"]).status.code(), Some(1));
    assert_eq!(run_in(&dir.path, &["check", "--fail-on", "error"]).status.code(), Some(0));
}

#[test]
fn json_contract() {
    let out = run(&["check", "--format", "json", EXAMPLE]);
    let report = json(&out);
    assert_eq!(report["version"], 1);
    let diags = report["diagnostics"].as_array().cloned().unwrap_or_default();
    assert!(!diags.is_empty());
    for d in &diags {
        for key in
            ["rule", "severity", "message", "help", "path", "line", "column", "end_line", "end_column", "fix"]
        {
            assert!(d.get(key).is_some(), "missing {key} in {d}");
        }
        assert!(
            d["path"].as_str().is_some_and(|p| p.starts_with("fixtures/example-app/") && !p.contains('\\'))
        );
        assert!(d["line"].as_u64().unwrap_or(0) >= 1 && d["column"].as_u64().unwrap_or(0) >= 1);
        assert!(matches!(d["severity"].as_str(), Some("error" | "warning" | "info")));
    }
    let keys: Vec<_> = findings(&report);
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "diagnostics are sorted by path, line, column, rule");
    let summary = &report["summary"];
    assert_eq!(summary["files_scanned"], 14);
    assert_eq!(summary["files_with_calls"], 8);
    assert_eq!(summary["calls"], 21);
    assert_eq!(summary["diagnostics"], diags.len());
    assert_eq!(summary["errors"], serde_json::json!([]));
    // The fix of the style rule is carried, marked unsafe.
    let fix = diags
        .iter()
        .find(|d| {
            d["rule"] == "event-name-style"
                && d["path"].as_str().is_some_and(|p| p.ends_with("registrations_controller.rb"))
        })
        .map(|d| d["fix"].clone())
        .unwrap_or_default();
    assert_eq!(fix["applicability"], "unsafe");
    assert_eq!(fix["replacement"], "'Email Confirmed'");
    assert_eq!(
        (fix["line"].as_u64(), fix["column"].as_u64(), fix["end_column"].as_u64()),
        (Some(13), Some(36), Some(53))
    );
    // Identical run to run, and with one or two threads.
    let again = run(&["check", "--format", "json", "--threads", "1", EXAMPLE]);
    assert_eq!(out.stdout, again.stdout);
}

#[test]
fn human_output_has_locations_snippets_and_no_colour_off_a_terminal() {
    let out = run(&["check", EXAMPLE]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(
        "fixtures/example-app/app/controllers/posts_controller.rb:5:57: warning [boolean-people-property]"
    ));
    assert!(
        text.contains("tracker.people.set(current_user.id, 'has_posted' => true)"),
        "snippet missing:\n{text}"
    );
    assert!(text.contains("help: store when it happened instead, e.g. `last_posted_at`"));
    assert!(text.contains("the alias comes here"), "related span missing");
    assert!(!text.contains('\u{1b}'), "ANSI escapes in piped output");
    assert!(text.contains("Found 19 problems (8 errors, 7 warnings, 4 info) in 6 files; 14 files scanned"));
    let quiet = run(&["check", "--quiet", EXAMPLE]);
    assert!(!String::from_utf8_lossy(&quiet.stdout).contains("Found 19 problems"));
}

#[test]
fn ruby_ignore_time_traps_say_exactly_why() {
    let out = run(&["check", "--format", "json", "fixtures/backfill-missing-ignore-time/bad.rb"]);
    let report = json(&out);
    let diags = report["diagnostics"].as_array().cloned().unwrap_or_default();
    let at = |line: u64| diags.iter().find(|d| d["line"] == line).cloned().unwrap_or_default();
    assert_eq!(
        at(6)["message"],
        "`people.set` in rake task `backfill_profiles` is sent without `$ignore_time`: every backfilled profile's Last Seen becomes now"
    );
    let ip = at(7);
    assert!(ip["message"].as_str().is_some_and(|m| m.contains("which mixpanel-ruby sends as `$ip`")), "{ip}");
    assert_eq!(ip["fix"]["applicability"], "safe");
    assert_eq!(ip["fix"]["replacement"], "nil, { '$ignore_time' => true }");
    let props = at(8);
    assert!(
        props["message"].as_str().is_some_and(
            |m| m.contains("inside the properties") && m.contains("stored as a profile property")
        )
    );
    assert!(at(9)["message"].as_str().is_some_and(|m| m.starts_with("`ignore_time` is not `$ignore_time`")));
    assert!(at(10)["message"].as_str().is_some_and(|m| m.contains("is `\"true\"`")));
    assert!(
        at(18)["message"]
            .as_str()
            .is_some_and(|m| m.contains("inside a loop over `User.where(active: true)`"))
    );
    assert!(
        at(6)["help"]
            .as_str()
            .is_some_and(|h| h.contains("tracker.people.set(id, props, nil, {'$ignore_time' => true})"))
    );
}

#[test]
fn events_inventory() {
    let out = run(&["events", "--format", "json", EXAMPLE]);
    assert_eq!(out.status.code(), Some(0));
    let report = json(&out);
    let calls = report["calls"].as_array().cloned().unwrap_or_default();
    assert_eq!(calls.len(), 21);
    let dynamic = calls.iter().find(|c| {
        c["path"] == "fixtures/example-app/app/javascript/components/Checkout.tsx" && c["line"] == 7
    });
    assert_eq!(
        dynamic.map(|c| (c["dynamic"].clone(), c["event"].clone(), c["sdk"].clone())),
        Some((serde_json::json!(true), serde_json::Value::Null, serde_json::json!("mixpanel-browser")))
    );
    let human = String::from_utf8_lossy(&run(&["events", EXAMPLE]).stdout).to_string();
    assert!(
        human
            .lines()
            .next()
            .is_some_and(|l| l.starts_with("EVENT") && l.contains("SDK") && l.contains("LOCATION"))
    );
    assert!(
        human.contains("Invoice Paid")
            && human.contains("mixpanel-node")
            && human.contains("sync-profiles.ts:11")
    );
    assert!(human.contains("21 tracking calls in 8 files."));
}

#[test]
fn bad_input_keeps_the_other_results() {
    let dir = Scratch::new("badinput");
    dir.write("good.rb", "TRACKER = Mixpanel::Tracker.new(ENV['T'])\nTRACKER.track(user.id, 'signed_up')\n");
    dir.write("broken.rb", "def x(\n  TRACKER.track(user.email, 'User Signed Up')\n  end end end (((\n");
    dir.write(
        "latin1.js",
        b"import mixpanel from 'mixpanel-browser';\n// caf\xe9\nmixpanel.track('page_viewed');\n",
    );
    dir.write("blob.rb", b"track\x00\x01\x02 binary");
    dir.write("empty.ts", "");
    dir.write("bom.js", "\u{feff}import mixpanel from 'mixpanel-browser';\nmixpanel.track('bom_event');\n");
    dir.write("crlf.rb", "TRACKER.track(u.id, 'a')\r\nTRACKER.track(u.id, 'crlf_event')\r\n");
    let out = run_in(&dir.path, &["check", "--format", "json", "."]);
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out);
    let found = findings(&report);
    let expect =
        |path: &str, line: u64, col: u64, rule: &str| (path.to_string(), line, col, rule.to_string());
    assert!(found.contains(&expect("good.rb", 2, 24, "event-name-style")), "{found:?}");
    assert!(found.contains(&expect("broken.rb", 2, 17, "email-as-distinct-id")), "{found:?}");
    assert!(found.contains(&expect("latin1.js", 3, 16, "event-name-style")), "{found:?}");
    assert!(found.contains(&expect("bom.js", 2, 16, "event-name-style")), "{found:?}");
    assert!(found.contains(&expect("crlf.rb", 2, 21, "event-name-style")), "{found:?}");
    let errors = report["summary"]["errors"].as_array().cloned().unwrap_or_default();
    let error_for = |p: &str| {
        errors.iter().find(|e| e["path"] == p).and_then(|e| e["message"].as_str().map(str::to_string))
    };
    assert!(error_for("blob.rb").is_some_and(|m| m.contains("binary")));
    assert!(error_for("latin1.js").is_some_and(|m| m.contains("invalid UTF-8")));
    assert!(error_for("broken.rb").is_some_and(|m| m.starts_with("syntax error at")));
    assert_eq!(error_for("empty.ts"), None);
    assert_eq!(report["summary"]["files_scanned"], 7);
}

#[test]
fn walker_skips_dependencies_and_ignored_files_but_not_explicit_paths() {
    let dir = Scratch::new("walk");
    let line = "import mixpanel from 'mixpanel-browser';\nmixpanel.track('bad_name');\n";
    dir.write("src/app.js", line);
    dir.write("node_modules/pkg/index.js", line);
    dir.write("vendor/lib.js", line);
    dir.write("dist/bundle.js", line);
    dir.write("public/app.min.js", line);
    dir.write("generated/out.js", line);
    dir.write(".gitignore", "generated/\n");
    let paths = |args: &[&str]| -> Vec<String> {
        findings(&json(&run_in(&dir.path, args))).into_iter().map(|f| f.0).collect()
    };
    assert_eq!(paths(&["check", "--format", "json"]), vec!["src/app.js".to_string()]);
    assert_eq!(
        paths(&["check", "--format", "json", "generated/out.js"]),
        vec!["generated/out.js".to_string()]
    );
    let all = paths(&["check", "--format", "json", "--no-default-excludes"]);
    assert!(
        all.contains(&"node_modules/pkg/index.js".to_string()) && all.contains(&"vendor/lib.js".to_string())
    );
}

/// Tests are skipped by default: their tracking calls send nothing anyone analyses, and their
/// made-up names (`test_event`, `foo`) are not the app's. A test directory or a test file by its
/// name; read when asked for (`--no-default-excludes`, or the tests' own directory), and never
/// counted as a place of the app's events.
#[test]
fn tests_are_not_linted_unless_asked_for() {
    let dir = Scratch::new("walk-tests");
    dir.write("Gemfile", "gem 'mixpanel-ruby'\n");
    let call = |event: &str| format!("TRACKER = Mixpanel::Tracker.new('t')\nTRACKER.track(1, '{event}')\n");
    dir.write("app/models/order.rb", call("Order Completed"));
    dir.write("spec/models/order_spec.rb", call("Order completed"));
    dir.write("test/order_test.rb", call("foo"));
    dir.write("app/models/order_test.rb", call("bar"));
    dir.write("lib/tasks/orders_spec_helper.rb", call("Order Completed"));
    let found = |args: &[&str]| -> Vec<(String, String)> {
        let mut found: Vec<(String, String)> =
            findings(&json(&run_in(&dir.path, args))).into_iter().map(|f| (f.0, f.3)).collect();
        found.sort();
        found
    };
    // The spec's misspelling is not compared with the app's event, the tests' names not styled.
    assert_eq!(found(&["check", "--isolated", "--format", "json"]), []);
    let all = found(&["check", "--isolated", "--format", "json", "--no-default-excludes"]);
    for (path, rule) in [
        ("app/models/order_test.rb", "event-name-style"),
        ("spec/models/order_spec.rb", "inconsistent-event-name"),
        ("test/order_test.rb", "event-name-style"),
    ] {
        assert!(all.contains(&(path.to_string(), rule.to_string())), "{path} {rule}: {all:?}");
    }
    assert_eq!(
        found(&["check", "--isolated", "--format", "json", "test"]),
        [("test/order_test.rb".to_string(), "event-name-style".to_string())]
    );
    let verbose = run_in(&dir.path, &["check", "--isolated", "--verbose", "."]);
    let said = String::from_utf8_lossy(&verbose.stderr);
    assert!(said.contains("default exclude (tests; --no-default-excludes reads them)"), "{said}");
    assert!(said.contains("default exclude (a test; --no-default-excludes reads it)"), "{said}");
}

#[test]
fn explain_and_rules() {
    let out = run(&["explain", "event-name-style"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("## What it does") && text.contains("## Fix safety") && text.contains("'Signed Up'")
    );
    let unknown = run(&["explain", "event-name-styel"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("did you mean `event-name-style`?"));
    let rules = json(&run(&["rules", "--format", "json"]));
    let ids: Vec<&str> =
        rules.as_array().map(|a| a.iter().filter_map(|r| r["id"].as_str()).collect()).unwrap_or_default();
    assert_eq!(
        ids,
        [
            "event-name-style",
            "email-as-distinct-id",
            "event-before-alias",
            "boolean-people-property",
            "backfill-missing-ignore-time",
            "dynamic-event-name",
            "inconsistent-event-name",
            "event-tracked-in-many-places",
            "misspelled-reserved-property",
            "pii-in-event-properties",
            "tracking-in-request-cycle",
            "missing-profile-deletion",
            "key-event-without-profile-update",
            "missing-attribution-properties",
            "hardcoded-project-secret",
            "hardcoded-project-token",
            "unknown-event",
            "missing-required-property",
            "untracked-plan-event",
            "unused-suppression",
            "unused-wrapper"
        ]
    );
}

#[test]
fn limits_skip_files_with_a_reason_and_keep_the_rest() {
    let s = Scratch::new("limits");
    let mut big = String::from("import mixpanel from 'mixpanel-browser';\n");
    for i in 0..20_000 {
        big.push_str(&format!("mixpanel.track('Event {i}', {{ a: [1, 2, {{ b: {i} }}] }});\n"));
    }
    s.write("big.js", &big);
    s.write("small.js", "import mixpanel from 'mixpanel-browser';\nmixpanel.track('signed_up');\n");
    let errors_of = |out: &std::process::Output| -> Vec<(String, String)> {
        json(out)["summary"]["errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|e| {
                        (
                            e["path"].as_str().unwrap_or_default().to_string(),
                            e["message"].as_str().unwrap_or_default().to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let timed_out = run_in(&s.path, &["check", "--format", "json", "--parse-timeout", "1", "."]);
    assert_eq!(timed_out.status.code(), Some(1));
    assert_eq!(findings(&json(&timed_out)), vec![("small.js".into(), 2, 16, "event-name-style".into())]);
    let errors = errors_of(&timed_out);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, "big.js");
    assert!(errors[0].1.contains("longer than the 1 ms limit"), "{errors:?}");

    let too_big = run_in(&s.path, &["check", "--format", "json", "--max-file-size", "1000", "."]);
    assert_eq!(findings(&json(&too_big)), vec![("small.js".into(), 2, 16, "event-name-style".into())]);
    let errors = errors_of(&too_big);
    assert!(errors.len() == 1 && errors[0].1.contains("over the 1000 byte limit"), "{errors:?}");

    // With the defaults the big file is parsed and all its calls are seen.
    let normal = json(&run_in(&s.path, &["check", "--format", "json", "."]));
    assert_eq!(normal["summary"]["calls"], 20_001);
}

/// The rules of every finding `check` reports with these extra arguments, sorted and deduped.
fn rules_with(extra: &[&str]) -> (Option<i32>, Vec<String>) {
    let mut args = vec!["check", "--format", "json", EXAMPLE];
    args.extend_from_slice(extra);
    let out = run(&args);
    if out.status.code() == Some(2) {
        return (Some(2), Vec::new());
    }
    let mut rules: Vec<String> = findings(&json(&out)).into_iter().map(|(_, _, _, r)| r).collect();
    rules.sort();
    rules.dedup();
    (out.status.code(), rules)
}

#[test]
fn select_extend_select_and_ignore_choose_what_is_reported() {
    let (_, all) = rules_with(&[]);
    assert!(all.len() >= 6, "{all:?}");
    let (_, only) = rules_with(&["--select", "event-name-style,email-as-distinct-id"]);
    assert_eq!(only, ["email-as-distinct-id", "event-name-style"]);
    // A prefix of whole words: `event` is event-name-style and event-before-alias, not `events`.
    let (_, prefix) = rules_with(&["--select", "event", "--ignore", "event-before-alias"]);
    assert_eq!(prefix, ["event-name-style"]);
    let (_, extended) = rules_with(&["--select", "email", "--extend-select", "boolean-people-property"]);
    assert_eq!(extended, ["boolean-people-property", "email-as-distinct-id"]);
    let (_, ignored) = rules_with(&["--ignore", "event-name-style"]);
    assert_eq!(ignored.len(), all.len() - 1);
    assert!(!ignored.contains(&"event-name-style".to_string()));
    // Nothing left to report: exit 0.
    let (code, none) = rules_with(&["--select", "untracked-plan-event"]);
    assert_eq!((code, none.len()), (Some(0), 0));
    let typo = run(&["check", "--select", "evnt-name-style", EXAMPLE]);
    assert_eq!(typo.status.code(), Some(2));
    let said = String::from_utf8_lossy(&typo.stderr);
    assert!(said.contains("`evnt-name-style` names no rule (did you mean `event-name-style`?)"), "{said}");
}

#[test]
fn statistics_and_the_fixable_summary() {
    let out = run(&["check", "--statistics", EXAMPLE]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    let first = text.lines().next().unwrap_or_default();
    assert!(first.trim_start().starts_with(char::is_numeric) && first.contains("  "), "{text}");
    let counted: usize = text
        .lines()
        .take_while(|l| l.trim_start().starts_with(char::is_numeric))
        .filter_map(|l| l.split_whitespace().next()?.parse::<usize>().ok())
        .sum();
    let total = findings(&json(&run(&["check", "--format", "json", EXAMPLE]))).len();
    assert_eq!(counted, total, "{text}");
    assert!(text.contains("event-name-style  [*]"), "{text}");
    let human = String::from_utf8_lossy(&run(&["check", EXAMPLE]).stdout).to_string();
    assert!(
        human.contains("fixable with `--fix`") && human.contains("more with `--unsafe-fixes`"),
        "{human}"
    );
}

#[test]
fn color_is_chosen_by_flag_and_environment() {
    let colored = |args: &[&str], force: Option<&str>| {
        let mut cmd = common::bin();
        cmd.args(args).env_remove("FORCE_COLOR");
        if let Some(v) = force {
            cmd.env("FORCE_COLOR", v);
        }
        let out = cmd.output().unwrap_or_else(|e| panic!("{e}"));
        String::from_utf8_lossy(&out.stdout).contains('\u{1b}')
    };
    assert!(colored(&["check", "--color", "always", EXAMPLE], None));
    assert!(!colored(&["check", "--color", "never", EXAMPLE], Some("1")));
    // Output to a pipe: no colour, unless FORCE_COLOR says so.
    assert!(!colored(&["check", EXAMPLE], None));
    assert!(colored(&["check", EXAMPLE], Some("1")));
    assert!(!colored(&["check", EXAMPLE], Some("0")));
}

#[test]
fn completions_and_man_page() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = run(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = String::from_utf8_lossy(&out.stdout);
        assert!(script.contains("tracklint") && script.contains("select"), "{shell}: {script}");
    }
    let man = run(&["man"]);
    assert_eq!(man.status.code(), Some(0));
    let page = String::from_utf8_lossy(&man.stdout);
    assert!(page.contains(".TH tracklint 1") && page.contains("check"), "{page}");
}

/// The inventory a data team reads: per call, the enclosing function and the properties with
/// the types their values show, and the repository's commit.
#[test]
fn events_json_carries_functions_property_types_and_the_commit() {
    let t = Scratch::new("inventory");
    t.write(
        "app/orders.rb",
        "TRACKER = Mixpanel::Tracker.new(ENV['T'])\n\ndef complete(order)\n  TRACKER.track(order.user_id, 'Order Completed', 'total' => 9.5, 'coupon' => nil, 'gift' => true,\n    'items' => [{ 'sku' => 'a', 'qty' => 2 }], 'currency' => order.currency, 'plan' => order.pro? ? 'pro' : 'free')\nend\n",
    );
    let report = json(&run_in(&t.path, &["events", "--format", "json", "."]));
    let call = &report["calls"][0];
    assert_eq!(call["function"], "complete");
    let types: Vec<(String, serde_json::Value)> = call["properties"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|p| (p["name"].as_str().unwrap_or_default().to_string(), p["type"].clone()))
        .collect();
    use serde_json::json;
    assert_eq!(
        types,
        [
            ("total".to_string(), json!("number")),
            ("coupon".to_string(), json!("null")),
            ("gift".to_string(), json!("boolean")),
            ("items".to_string(), json!({ "array": { "object": { "sku": "string", "qty": "number" } } })),
            ("currency".to_string(), json!("unknown")),
            ("plan".to_string(), json!("string")),
        ]
    );
    // Outside a git repository there is no commit; inside, HEAD's.
    assert!(report["commit"].is_null() || report["commit"].as_str().is_some_and(|c| c.len() == 40));
    let here = json(&run(&["events", "--format", "json", EXAMPLE]));
    let head = std::process::Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output();
    if let Ok(head) = head
        && head.status.success()
    {
        assert_eq!(here["commit"], String::from_utf8_lossy(&head.stdout).trim());
    }
}

/// TypeScript: a property's type is the one its variable is declared with, and a properties
/// variable typed with an interface or alias lists that type's fields (extended, intersected,
/// nested, through arrays and unions). Recursive declarations end.
#[test]
fn events_types_come_from_typescript_declarations() {
    let t = Scratch::new("inventory-ts");
    t.write(
        "src/checkout.ts",
        r#"import mixpanel from 'mixpanel-browser';

interface Item { sku: string; price: number }
interface BaseProps { source: 'web' | 'ios' }
export interface CheckoutProps extends BaseProps {
  order_id: string;
  items: Item[];
  coupon?: string | null;
  'gift-wrap': boolean;
}
type Plan = 'free' | 'pro';
type UpgradeProps = { plan: Plan; seats: number } & { trial: boolean };
interface Node { next: Node; label: string }
type Loop = Again;
type Again = Loop;

export function trackCheckout(props: CheckoutProps) {
  mixpanel.track('Checkout Completed', props);
}

export function upgrade(plan: Plan, seats: number, user: { admin: boolean }, node: Node, loop: Loop) {
  const trial: boolean = seats < 3;
  mixpanel.track('Plan Upgraded', { plan, seats, trial, admin: user.admin, label: node.next.label, loop, note: 'x' });
  const changed: UpgradeProps = { plan, seats, trial };
  mixpanel.track('Plan Changed', changed);
}
"#,
    );
    let report = json(&run_in(&t.path, &["events", "--format", "json", "."]));
    let types = |event: &str| -> Vec<(String, serde_json::Value)> {
        let calls = report["calls"].as_array().map(Vec::as_slice).unwrap_or_default();
        let call = calls.iter().find(|c| c["event"] == event).unwrap_or_else(|| panic!("{event}: {report}"));
        call["properties"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|p| (p["name"].as_str().unwrap_or_default().to_string(), p["type"].clone()))
            .collect()
    };
    use serde_json::json;
    let pair = |k: &str, v: serde_json::Value| (k.to_string(), v);
    assert_eq!(
        types("Checkout Completed"),
        [
            pair("source", json!("string")),
            pair("order_id", json!("string")),
            pair("items", json!({ "array": { "object": { "sku": "string", "price": "number" } } })),
            pair("coupon", json!({ "one_of": ["string", "null"] })),
            pair("gift-wrap", json!("boolean")),
        ]
    );
    assert_eq!(
        types("Plan Upgraded"),
        [
            pair("plan", json!("string")),
            pair("seats", json!("number")),
            pair("trial", json!("boolean")),
            pair("admin", json!("boolean")),
            pair("label", json!("string")),
            pair("loop", json!("unknown")),
            pair("note", json!("string")),
        ]
    );
    assert_eq!(
        types("Plan Changed"),
        [pair("plan", json!("string")), pair("seats", json!("number")), pair("trial", json!("boolean"))]
    );
}

#[test]
fn events_yaml_groups_calls_and_properties_by_event() {
    let t = Scratch::new("inventory-yaml");
    t.write(
        "app/orders.rb",
        "TRACKER = Mixpanel::Tracker.new(ENV['T'])\n\ndef complete(order)\n  TRACKER.track(order.user_id, 'Order Completed', 'total' => 9.5)\nend\n\ndef refund(order)\n  TRACKER.track(order.user_id, 'Order Completed', 'total' => order.total, 'refund' => true)\nend\n",
    );
    let out = run_in(&t.path, &["events", "--format", "yaml", "."]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "# tracklint events inventory\ncommit: null\nevents:\n  - name: \"Order Completed\"\n    calls:\n      - path: \"app/orders.rb\"\n        line: 4\n        sdk: \"mixpanel-ruby\"\n        function: \"complete\"\n      - path: \"app/orders.rb\"\n        line: 8\n        sdk: \"mixpanel-ruby\"\n        function: \"refund\"\n    properties:\n      \"refund\": \"boolean\"\n      \"total\": {\"one_of\":[\"number\",\"unknown\"]}\n"
    );
}

#[test]
fn a_reader_that_stops_early_is_not_an_error_in_any_streamed_format() {
    // Far more output than a pipe holds, so the writer meets the closed pipe mid-report.
    let t = Scratch::new("closed-pipe");
    t.write("a.js", "mixpanel.track('signed_up');\n".repeat(3000));
    for format in ["human", "json"] {
        let mut child = common::bin()
            .current_dir(&t.path)
            .args(["check", "--isolated", "--no-cache", "--format", format, "."])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{e}"));
        let mut first = [0u8; 16];
        let mut stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
        std::io::Read::read_exact(&mut stdout, &mut first).unwrap_or_else(|e| panic!("{e}"));
        drop(stdout);
        let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{format}: {stderr}");
        assert!(!stderr.contains("cannot write output"), "{format}: {stderr}");
    }
}
