//! Tracking plans: the code's events written as a plan and checked back, plans in JSON, and
//! broken plans.

mod common;

use common::{Scratch, findings, json, run, run_in};

#[test]
fn a_plan_written_from_the_code_checks_clean() {
    for project in ["fixtures/example-app", "fixtures/segment", "fixtures/posthog"] {
        let csv = run(&["events", "--format", "csv", project]);
        assert_eq!(csv.status.code(), Some(0));
        let text = String::from_utf8_lossy(&csv.stdout).to_string();
        assert!(text.starts_with("event,required_properties,status,calls\n"), "{text}");
        let t = Scratch::new("plan-roundtrip");
        let plan = t.write("plan.csv", &text);
        let plan_arg = plan.to_string_lossy().to_string();
        let report = json(&run(&["check", "--format", "json", "--plan", &plan_arg, project]));
        let plan_rules: Vec<_> = findings(&report)
            .into_iter()
            .filter(|f| {
                matches!(f.3.as_str(), "unknown-event" | "missing-required-property" | "untracked-plan-event")
            })
            .collect();
        assert!(plan_rules.is_empty(), "{project}: {plan_rules:?}");
    }
}

#[test]
fn the_plan_reports_unknown_missing_and_untracked_events() {
    let t = Scratch::new("plan-check");
    t.write(
        "plan.json",
        r#"{"events": [
  {"name": "Order Completed", "required_properties": ["revenue", "currency"]},
  {"name": "Trial Started"},
  {"name": "Old Event", "status": "deprecated"}
]}
"#,
    );
    t.write(
        "app/orders.rb",
        "TRACKER = Mixpanel::Tracker.new(ENV['T'])\nTRACKER.track(u.id, 'Order Completed', 'revenue' => 1)\nTRACKER.track(u.id, 'Order Shipped')\nTRACKER.track(u.id, 'Old Event')\n",
    );
    let out = run_in(&t.path, &["check", "--format", "json", "--plan", "plan.json", "."]);
    assert_eq!(out.status.code(), Some(1));
    let got: Vec<_> = findings(&json(&out))
        .into_iter()
        .filter(|f| !matches!(f.3.as_str(), "event-tracked-in-many-places"))
        .collect();
    assert_eq!(
        got,
        [
            ("app/orders.rb".to_string(), 2, 40, "missing-required-property".to_string()),
            ("app/orders.rb".to_string(), 3, 21, "unknown-event".to_string()),
            ("app/orders.rb".to_string(), 4, 21, "unknown-event".to_string()),
            ("plan.json".to_string(), 3, 1, "untracked-plan-event".to_string()),
        ]
    );
    // The same plan named in tracklint.toml.
    t.write("tracklint.toml", "plan = \"plan.json\"\n");
    let out = run_in(&t.path, &["check", "--format", "json", "."]);
    assert_eq!(findings(&json(&out)).iter().filter(|f| f.3 == "unknown-event").count(), 2);
}

#[test]
fn a_broken_plan_is_a_usage_error() {
    let t = Scratch::new("plan-broken");
    t.write("plan.csv", "description,owner\nx,y\n");
    t.write("app.rb", "x = 1\n");
    let out = run_in(&t.path, &["check", "--plan", "plan.csv", "."]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no `event` or `name` column"));
    let out = run_in(&t.path, &["check", "--plan", "missing.csv", "."]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read plan"));
}

/// A Segment Protocols tracking plan as its API exports it (each event's rules are a JSON Schema
/// of the whole event, properties under `properties.properties`), and JSON Schema per event:
/// both check the code as the native plan does.
#[test]
fn segment_protocols_and_json_schema_plans_are_read() {
    let t = Scratch::new("plan-formats");
    t.write(
        "segment.json",
        r#"{"tracking_plan": {"display_name": "Shop", "rules": {"events": [
  {"name": "Order Completed", "description": "", "version": 1, "rules": {
    "$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
    "properties": {"properties": {"type": "object",
      "properties": {"revenue": {"type": "number"}, "currency": {"type": "string"}},
      "required": ["revenue", "currency"]}}}},
  {"name": "Trial Started", "version": 1, "rules": {"type": "object", "properties": {}}}
]}}}
"#,
    );
    t.write(
        "schemas.json",
        r#"[
  {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "Order Completed", "type": "object",
   "properties": {"revenue": {"type": "number"}, "currency": {"type": "string"}}, "required": ["revenue", "currency"]},
  {"title": "Trial Started", "type": "object", "properties": {}}
]
"#,
    );
    t.write(
        "app/orders.rb",
        "TRACKER = Mixpanel::Tracker.new(ENV['T'])\nTRACKER.track(u.id, 'Order Completed', 'revenue' => 1)\nTRACKER.track(u.id, 'Order Shipped')\n",
    );
    for plan in ["segment.json", "schemas.json"] {
        let out = run_in(&t.path, &["check", "--format", "json", "--plan", plan, "app"]);
        let got: Vec<_> = findings(&json(&out))
            .into_iter()
            .filter(|f| {
                matches!(f.3.as_str(), "unknown-event" | "missing-required-property" | "untracked-plan-event")
            })
            .collect();
        assert_eq!(
            got,
            [
                ("app/orders.rb".to_string(), 2, 40, "missing-required-property".to_string()),
                ("app/orders.rb".to_string(), 3, 21, "unknown-event".to_string()),
                (
                    plan.to_string(),
                    if plan == "segment.json" { 7 } else { 4 },
                    1,
                    "untracked-plan-event".to_string()
                ),
            ],
            "{plan}"
        );
    }
}
