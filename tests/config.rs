//! `tracklint.toml`: wrappers, styles, overrides, custom rules, excludes, broken configs, init.

mod common;

use common::{Scratch, findings, json, run, run_in};

const RUBY_APP: &str = "TRACKER = Mixpanel::Tracker.new('t')\n\
def create(user)\n  TRACKER.track(user.id, 'signed_up')\n  TRACKER.track(user.id, 'User Signed Up')\nend\n";

fn rules_at(report: &serde_json::Value) -> Vec<(u64, String)> {
    findings(report).into_iter().map(|(_, line, _, rule)| (line, rule)).collect()
}

#[test]
fn wrapped_app_gets_the_findings_of_direct_calls() {
    let report = json(&run(&["check", "--format", "json", "fixtures/wrapped-app"]));
    let all = findings(&report);
    let side = |prefix: &str| -> Vec<(String, u64, String)> {
        let mut v: Vec<_> = all
            .iter()
            .filter_map(|(path, line, _, rule)| {
                let rest = path.strip_prefix(prefix)?;
                Some((rest.to_string(), *line, rule.clone()))
            })
            .collect();
        v.sort();
        v
    };
    let wrapped = side("fixtures/wrapped-app/wrapped/");
    let direct = side("fixtures/wrapped-app/direct/");
    assert_eq!(wrapped.len(), 5, "{wrapped:?}");
    assert_eq!(wrapped, direct);
    // Every wrapper shape is recognised, the hook's result used directly included.
    let events = json(&run(&["events", "--format", "json", "fixtures/wrapped-app/wrapped"]));
    // (sdk, method, event) of every call made through a wrapper.
    let through_wrappers: Vec<(String, String, String)> = events["calls"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|c| c["sdk"].as_str().is_some_and(|s| s.starts_with("wrapper:")))
                .map(|c| {
                    let field = |k: &str| c[k].as_str().unwrap_or_default().to_string();
                    (field("sdk"), field("method"), c["event"].to_string())
                })
                .collect()
        })
        .unwrap_or_default();
    let mut sdks: Vec<&str> = through_wrappers.iter().map(|(s, _, _)| s.as_str()).collect();
    sdks.sort();
    sdks.dedup();
    assert_eq!(sdks, ["wrapper:Analytics", "wrapper:TrackEventJob", "wrapper:useAnalytics()"]);
    let methods: Vec<(String, String)> = through_wrappers.into_iter().map(|(_, m, e)| (m, e)).collect();
    for (method, event) in [
        ("track_event", "\"signed_up\""),
        ("set_profile", "null"),
        ("perform_later", "\"Plan Selected\""),
        ("identify", "null"),
        // The hook's result used directly, `useAnalytics().track(...)`.
        ("track", "\"Signup Completed\""),
    ] {
        assert!(methods.contains(&(method.into(), event.into())), "{method} {event} not in {methods:?}");
    }
    // Without the config the wrappers are inferred from their bodies: the same findings.
    let isolated = json(&run(&["check", "--format", "json", "--isolated", "fixtures/wrapped-app/wrapped"]));
    let configured = json(&run(&["check", "--format", "json", "fixtures/wrapped-app/wrapped"]));
    assert_eq!(findings(&isolated), findings(&configured));
    // With inference off and no wrappers declared, they are unknown calls.
    let s = Scratch::new("inference-off");
    s.write("tracklint.toml", "[inference]\nenabled = false\n");
    let off = json(&run(&[
        "check",
        "--format",
        "json",
        "--config",
        &s.path.join("tracklint.toml").to_string_lossy(),
        "fixtures/wrapped-app/wrapped",
    ]));
    assert!(findings(&off).is_empty(), "{:?}", findings(&off));
}

#[test]
fn bare_function_wrappers_and_job_enqueues() {
    let s = Scratch::new("bare");
    s.write(
        "tracklint.toml",
        "[[wrappers]]\nlanguage = \"ruby\"\nmethod = \"track_event\"\nkind = \"track\"\nidentity = 1\nevent = 2\n\n\
         [[wrappers]]\nlanguage = \"typescript\"\nmethod = \"trackEvent\"\nkind = \"track\"\nevent = \"name\"\n",
    );
    s.write("app/a.rb", "def go(user)\n  track_event(user.email, 'Signed Up')\nend\n");
    s.write("web/a.ts", "export const go = () => trackEvent({ name: 'signed_up' });\n");
    let report = json(&run_in(&s.path, &["check", "--format", "json", "."]));
    let got: Vec<(String, u64, u64, String)> = findings(&report);
    assert_eq!(
        got,
        vec![
            ("app/a.rb".into(), 2, 15, "email-as-distinct-id".into()),
            ("web/a.ts".into(), 1, 44, "event-name-style".into()),
        ]
    );
}

#[test]
fn style_option_changes_the_convention() {
    let s = Scratch::new("style");
    s.write("app.rb", RUBY_APP);
    let default = json(&run_in(&s.path, &["check", "--format", "json", "."]));
    assert_eq!(rules_at(&default), vec![(3, "event-name-style".to_string())]);
    s.write("tracklint.toml", "[rules.event-name-style]\nstyle = \"snake\"\n");
    let snake = json(&run_in(&s.path, &["check", "--format", "json", "."]));
    assert_eq!(rules_at(&snake), vec![(4, "event-name-style".to_string())]);
    let message = snake["diagnostics"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("`snake` naming convention"), "{message}");
    assert_eq!(snake["diagnostics"][0]["fix"]["replacement"], "'user_signed_up'");
    s.write(
        "tracklint.toml",
        "[rules.event-name-style]\npattern = \"^[A-Z][a-z]+( [A-Z][a-z]+)*$\"\nallow = [\"^signed_\"]\n",
    );
    let pattern = json(&run_in(&s.path, &["check", "--format", "json", "."]));
    assert!(findings(&pattern).is_empty());
}

#[test]
fn severities_and_overrides() {
    let s = Scratch::new("overrides");
    s.write("app/a.rb", RUBY_APP);
    s.write("spec/a_spec.rb", RUBY_APP);
    s.write(
        "tracklint.toml",
        "[rules.event-name-style]\nseverity = \"error\"\n\n[[overrides]]\nfiles = [\"spec/**\"]\nrules.event-name-style.severity = \"off\"\n",
    );
    let out = run_in(&s.path, &["check", "--format", "json", "--fail-on", "error", "."]);
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out);
    assert_eq!(findings(&report), vec![("app/a.rb".into(), 3, 26, "event-name-style".into())]);
    assert_eq!(report["diagnostics"][0]["severity"], "error");
}

#[test]
fn exclude_globs_skip_files() {
    let s = Scratch::new("exclude");
    s.write("app/a.rb", RUBY_APP);
    s.write("legacy/b.rb", RUBY_APP);
    s.write(".tracklint.toml", "exclude = [\"legacy/**\"]\n");
    let report = json(&run_in(&s.path, &["check", "--format", "json", "."]));
    assert_eq!(findings(&report), vec![("app/a.rb".into(), 3, 26, "event-name-style".into())]);
    // Named on the command line, an excluded file is still linted.
    let explicit = json(&run_in(&s.path, &["check", "--format", "json", "legacy/b.rb"]));
    assert_eq!(findings(&explicit).len(), 1);
}

#[test]
fn rule_options_reach_the_rules() {
    let s = Scratch::new("options");
    s.write(
        "tracklint.toml",
        "[rules.email-as-distinct-id]\nnames = [\"contact_address\"]\n\n\
         [rules.backfill-missing-ignore-time]\npaths = [\"ops/**\"]\nfunctions = [\"^resync\"]\n\n\
         [rules.event-before-alias]\nid-management = \"simplified\"\n",
    );
    s.write(
        "app/a.rb",
        "TRACKER = Mixpanel::Tracker.new('t')\n\
         def create(user)\n  TRACKER.track(user.contact_address, 'Signed Up')\n  TRACKER.track(user.id, 'Signed Up')\n  TRACKER.alias(user.id, cookies[:id])\nend\n\
         def resync_profiles(user)\n  TRACKER.people.set(user.id, { 'plan' => user.plan })\nend\n",
    );
    s.write("ops/fix.rb", "TRACKER.people.set(1, { 'plan' => 'pro' })\n");
    let report = json(&run_in(&s.path, &["check", "--format", "json", "."]));
    assert_eq!(
        findings(&report),
        vec![
            ("app/a.rb".into(), 3, 17, "email-as-distinct-id".into()),
            ("app/a.rb".into(), 8, 3, "backfill-missing-ignore-time".into()),
            ("ops/fix.rb".into(), 1, 1, "backfill-missing-ignore-time".into()),
        ]
    );
}

#[test]
fn custom_rules_report_like_built_in_ones() {
    let s = Scratch::new("custom");
    s.write(
        "tracklint.toml",
        "[rules.pii-in-event-properties]\nseverity = \"off\"\n\n[[custom-rules]]\nid = \"no-pii-properties\"\nmessage = \"personal data must not be an event property\"\nseverity = \"error\"\nforbidden-properties = [\"email\", \"phone\"]\n\n\
         [[custom-rules]]\nid = \"order-events-carry-revenue\"\nmessage = \"order events need revenue\"\nevents = \"^Order \"\nrequired-properties = [\"revenue\", \"currency\"]\n",
    );
    s.write(
        "web/a.js",
        "import mixpanel from 'mixpanel-browser';\nmixpanel.track('Order Completed', { revenue: 10, email: user.email });\nmixpanel.track('Page Viewed', { phone: p });\nmixpanel.track('Order Refunded', { ...base });\nmixpanel.people.set({ email: user.email });\nmixpanel.register({ phone: p });\n",
    );
    let out = run_in(&s.path, &["check", "--format", "json", "."]);
    let report = json(&out);
    assert_eq!(
        findings(&report),
        vec![
            ("web/a.js".into(), 2, 16, "order-events-carry-revenue".into()),
            ("web/a.js".into(), 2, 50, "no-pii-properties".into()),
            ("web/a.js".into(), 3, 33, "no-pii-properties".into()),
            // Super properties travel with every event; a profile's email does not fire.
            ("web/a.js".into(), 6, 21, "no-pii-properties".into()),
        ]
    );
    let messages: Vec<&str> = report["diagnostics"]
        .as_array()
        .map(|a| a.iter().filter_map(|d| d["message"].as_str()).collect())
        .unwrap_or_default();
    assert!(messages.iter().any(|m| m.contains("missing required property `currency`")), "{messages:?}");
    let human = run_in(&s.path, &["check", "."]);
    assert!(String::from_utf8_lossy(&human.stdout).contains("[no-pii-properties]"));
}

fn config_error(toml: &str) -> String {
    let s = Scratch::new("broken");
    s.write("tracklint.toml", toml);
    s.write("a.rb", RUBY_APP);
    let out = run_in(&s.path, &["check", "."]);
    assert_eq!(out.status.code(), Some(2), "{toml}");
    String::from_utf8_lossy(&out.stderr).to_string()
}

#[test]
fn broken_configs_exit_2_with_a_pointed_message() {
    let e = config_error("[rules.event-name-style\nstyle = 1\n");
    assert!(e.contains("tracklint.toml") && e.contains("[rules.event-name-style"), "{e}");

    let e = config_error("exclude = []\nexcludes = [\"x\"]\n");
    assert!(e.contains("unknown key `excludes`") && e.contains("did you mean `exclude`?"), "{e}");
    assert!(e.contains("2 │ excludes = [\"x\"]"), "the snippet shows the line: {e}");

    let e = config_error("[rules.event-name-stile]\nseverity = \"off\"\n");
    assert!(
        e.contains("unknown rule `event-name-stile`") && e.contains("did you mean `event-name-style`?"),
        "{e}"
    );

    let e = config_error("[rules.event-name-style]\npattern = \"^[A-Z\"\n");
    assert!(e.contains("invalid regex `^[A-Z`"), "{e}");
    assert!(e.contains("2 │ pattern = \"^[A-Z\""), "{e}");

    let e = config_error("[rules.event-name-style]\nstyle = \"screaming\"\n");
    assert!(e.contains("unknown variant `screaming`"), "{e}");

    let e = config_error("[[wrappers]]\nlanguage = \"rubby\"\nmethod = \"t\"\nkind = \"track\"\n");
    assert!(e.contains("unknown language `rubby` (did you mean `ruby`?)"), "{e}");

    let missing = run(&["check", "--config", "/nonexistent/tracklint.toml", "fixtures/example-app"]);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn init_writes_a_starter_config_once() {
    let s = Scratch::new("init");
    let first = run_in(&s.path, &["init"]);
    assert_eq!(first.status.code(), Some(0));
    let written = std::fs::read_to_string(s.path.join("tracklint.toml")).unwrap_or_default();
    assert!(written.contains("[rules.event-name-style]"));
    s.write("a.rb", RUBY_APP);
    // The starter config is valid and keeps the defaults.
    let report = json(&run_in(&s.path, &["check", "--format", "json", "."]));
    assert_eq!(rules_at(&report), vec![(3, "event-name-style".to_string())]);
    assert_eq!(run_in(&s.path, &["init"]).status.code(), Some(2));
}

#[test]
fn explicit_config_path_and_isolated() {
    let s = Scratch::new("explicit");
    s.write("app.rb", RUBY_APP);
    s.write("conf/strict.toml", "[rules.event-name-style]\nstyle = \"snake\"\n");
    s.write("tracklint.toml", "[rules.event-name-style]\nseverity = \"off\"\n");
    let nearest = json(&run_in(&s.path, &["check", "--format", "json", "."]));
    assert!(findings(&nearest).is_empty());
    let explicit =
        json(&run_in(&s.path, &["check", "--format", "json", "--config", "conf/strict.toml", "."]));
    assert_eq!(rules_at(&explicit), vec![(4, "event-name-style".to_string())]);
    let isolated = json(&run_in(&s.path, &["check", "--format", "json", "--isolated", "."]));
    assert_eq!(rules_at(&isolated), vec![(3, "event-name-style".to_string())]);
}

/// (path, line, rule) of every finding of `check` run in `dir` with these arguments.
fn found_in(dir: &std::path::Path, args: &[&str]) -> Vec<(String, u64, String)> {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let out = common::run_in(dir, &all);
    assert!(out.status.code() != Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    common::findings(&json(&out)).into_iter().map(|(p, l, _, r)| (p, l, r)).collect()
}

#[test]
fn the_nearest_config_governs_each_file_whatever_the_argument_order() {
    let s = common::Scratch::new("nested-configs");
    std::fs::create_dir_all(s.path.join(".git")).unwrap_or_default();
    s.write("web/tracklint.toml", "[rules.event-name-style]\nstyle = \"snake\"\n");
    s.write("web/a.js", "import mixpanel from 'mixpanel-browser';\nmixpanel.track('Signed Up');\nmixpanel.track('signed_up');\n");
    s.write(
        "backend/pyproject.toml",
        "[project]\nname = \"backend\"\n\n[tool.tracklint.rules.event-name-style]\nseverity = \"off\"\n",
    );
    s.write("backend/b.py", "from mixpanel import Mixpanel\nimport os\nmp = Mixpanel(os.environ['T'])\nmp.track('1', 'signed_up')\n");
    s.write("c.js", "import mixpanel from 'mixpanel-browser';\nmixpanel.track('order_paid');\n");
    let style = |found: &[(String, u64, String)]| -> Vec<(String, u64)> {
        found.iter().filter(|(_, _, r)| r == "event-name-style").map(|(p, l, _)| (p.clone(), *l)).collect()
    };
    let expected = vec![("c.js".to_string(), 2), ("web/a.js".to_string(), 2)];
    assert_eq!(style(&found_in(&s.path, &["."])), expected);
    assert_eq!(style(&found_in(&s.path, &["backend", "web", "c.js"])), expected);
    assert_eq!(style(&found_in(&s.path, &["c.js", "web", "backend"])), expected);
    // `--isolated` reads no config at all; `--config` applies one to every file.
    assert_eq!(style(&found_in(&s.path, &["--isolated", "."])).len(), 3);
    assert_eq!(
        style(&found_in(&s.path, &["--config", "web/tracklint.toml", "."])),
        [("web/a.js".to_string(), 2)]
    );
}

#[test]
fn a_broken_nested_config_is_an_error_that_names_it() {
    let s = common::Scratch::new("nested-broken");
    std::fs::create_dir_all(s.path.join(".git")).unwrap_or_default();
    s.write("web/tracklint.toml", "[rules.event-name-style]\nstyle = \"snake_case\"\n");
    s.write("web/a.js", "import mixpanel from 'mixpanel-browser';\nmixpanel.track('Signed Up');\n");
    let out = common::run_in(&s.path, &["check", "."]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("web/tracklint.toml") && stderr.contains("snake_case"), "{stderr}");
}

#[test]
fn init_writes_the_convention_the_project_already_follows() {
    let s = Scratch::new("init-style");
    std::fs::create_dir_all(s.path.join(".git")).unwrap_or_default();
    let mut js = String::from("import mixpanel from 'mixpanel-browser';\n");
    for name in ["cart_viewed", "cart_emptied", "order_paid", "order_refunded", "user_invited", "Legacy Name"]
    {
        js.push_str(&format!("mixpanel.track('{name}');\n"));
    }
    s.write("web/app.js", &js);
    let before = found_in(&s.path, &["."]).into_iter().filter(|(_, _, r)| r == "event-name-style").count();
    assert_eq!(before, 5);
    assert_eq!(run_in(&s.path, &["init"]).status.code(), Some(0));
    let written = std::fs::read_to_string(s.path.join("tracklint.toml")).unwrap_or_default();
    assert!(written.contains("\nstyle = \"snake\"\n") && written.contains("5 of 6"), "{written}");
    // Only the name that breaks the team's own convention is left.
    let after: Vec<(String, u64, String)> =
        found_in(&s.path, &["."]).into_iter().filter(|(_, _, r)| r == "event-name-style").collect();
    assert_eq!(after, [("web/app.js".to_string(), 7, "event-name-style".to_string())]);
}

#[test]
fn init_writes_a_convention_per_sdk_when_the_sdks_differ() {
    let s = Scratch::new("init-sdk-styles");
    std::fs::create_dir_all(s.path.join(".git")).unwrap_or_default();
    let mut js = String::from("import mixpanel from 'mixpanel-browser';\n");
    for name in ["cartViewed", "cartEmptied", "orderPaid", "orderRefunded", "userInvited", "Page Shared"] {
        js.push_str(&format!("mixpanel.track('{name}');\n"));
    }
    s.write("web/app.js", &js);
    let mut rb = String::from("TRACKER = Mixpanel::Tracker.new(ENV['MIXPANEL_TOKEN'])\n");
    for name in
        ["Order Paid", "Order Refunded", "User Invited", "Cart Emptied", "Plan Changed", "plan_cancelled"]
    {
        rb.push_str(&format!("TRACKER.track(user.id, '{name}')\n"));
    }
    s.write("app/jobs/billing.rb", &rb);
    assert_eq!(run_in(&s.path, &["init"]).status.code(), Some(0));
    let written = std::fs::read_to_string(s.path.join("tracklint.toml")).unwrap_or_default();
    assert!(written.contains("\nsdk-styles = { mixpanel-browser = \"camel\" }\n"), "{written}");
    assert!(written.contains("mixpanel-browser: 5 of 6"), "{written}");
    // Each SDK is held to its own convention: the readable name among the browser's camelCase
    // ones, the snake_case name among the server's readable ones.
    let after: Vec<(String, u64, String)> =
        found_in(&s.path, &["."]).into_iter().filter(|(_, _, r)| r == "event-name-style").collect();
    assert_eq!(
        after,
        [
            ("app/jobs/billing.rb".to_string(), 7, "event-name-style".to_string()),
            ("web/app.js".to_string(), 7, "event-name-style".to_string()),
        ]
    );
}

#[test]
fn the_schema_names_every_rule_and_option() {
    let out = run(&["schema"]);
    assert_eq!(out.status.code(), Some(0));
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    let rules = &schema["properties"]["rules"]["properties"];
    let listed = json(&run(&["rules", "--format", "json"]));
    for rule in listed.as_array().map(Vec::as_slice).unwrap_or_default() {
        let id = rule["id"].as_str().unwrap_or_default();
        assert!(rules[id]["properties"]["severity"]["enum"].is_array(), "{id}");
    }
    assert_eq!(rules["event-name-style"]["properties"]["style"]["enum"][0], "readable");
    assert_eq!(rules["event-tracked-in-many-places"]["properties"]["max-places"]["type"], "integer");
    assert_eq!(rules["backfill-missing-ignore-time"]["properties"]["paths"]["type"], "array");
    assert_eq!(schema["properties"]["wrappers"]["items"]["properties"]["kind"]["enum"][0], "track");
}

/// Every config in the repository (and the starter with every option uncommented) is valid for
/// the schema, and a misspelled key is not, by the reference `jsonschema` validator (Python;
/// `.ci/run` installs it under target/), so it runs when asked.
#[test]
#[ignore]
fn the_schema_accepts_real_configs_and_refuses_typos() {
    let schema = String::from_utf8_lossy(&run(&["schema"]).stdout).to_string();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut configs: Vec<(String, String)> = Vec::new();
    let mut stack = vec![root.join("fixtures")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.file_name().is_some_and(|n| n == "tracklint.toml") {
                configs
                    .push((path.display().to_string(), std::fs::read_to_string(&path).unwrap_or_default()));
            }
        }
    }
    let starter =
        std::fs::read_to_string(root.join("fixtures/config/tracklint.example.toml")).unwrap_or_default();
    let mut in_rules = false;
    let uncommented: String = starter
        .lines()
        .map(|l| {
            if l.starts_with('[') {
                in_rules = l.starts_with("[rules.");
            }
            // The commented examples after the rule tables (`# [[overrides]]`...) stay comments.
            if l.starts_with("# [") {
                in_rules = false;
            }
            match l.strip_prefix("# ") {
                Some(o)
                    if in_rules
                        && o.split_once(" = ")
                            .is_some_and(|(k, _)| k.chars().all(|c| c.is_ascii_lowercase() || c == '-')) =>
                {
                    format!("{o}\n")
                }
                _ => format!("{l}\n"),
            }
        })
        .collect();
    configs.push(("starter, uncommented".into(), uncommented));
    let as_json = |text: &str| -> serde_json::Value {
        let value: toml::Value = toml::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        serde_json::to_value(value).unwrap_or_default()
    };
    let good: Vec<serde_json::Value> = configs.iter().map(|(_, text)| as_json(text)).collect();
    assert!(good.len() >= 8, "{configs:?}");
    let bad = vec![
        as_json("[rules.event-name-style]\nstlye = \"snake\"\n"),
        as_json("[rules.event-name-stile]\nseverity = \"off\"\n"),
        as_json("[[wrappers]]\nlanguage = \"rubby\"\nmethod = \"t\"\nkind = \"track\"\n"),
    ];
    let t = Scratch::new("schema");
    t.write("schema.json", &schema);
    t.write("good.json", serde_json::to_string(&good).unwrap_or_default());
    t.write("bad.json", serde_json::to_string(&bad).unwrap_or_default());
    let script = "import json, sys, jsonschema\n\
v = jsonschema.Draft7Validator(json.load(open(sys.argv[1])))\n\
good = [list(v.iter_errors(c)) for c in json.load(open(sys.argv[2]))]\n\
bad = [list(v.iter_errors(c)) for c in json.load(open(sys.argv[3]))]\n\
print([[e.message for e in errs] for errs in good if errs], [len(errs) for errs in bad])\n\
sys.exit(0 if all(not e for e in good) and all(bad) else 1)\n";
    let out = std::process::Command::new("python3")
        .current_dir(&t.path)
        .args(["-c", script, "schema.json", "good.json", "bad.json"])
        .output()
        .unwrap_or_else(|e| panic!("python3: {e}"));
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
