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

/// The plan findings of `check --plan PLAN app` run in `dir`.
fn plan_findings(dir: &std::path::Path, plan: &str) -> Vec<(String, u64, u64, String)> {
    let out = run_in(dir, &["check", "--format", "json", "--plan", plan, "app"]);
    findings(&json(&out))
        .into_iter()
        .filter(|f| {
            matches!(f.3.as_str(), "unknown-event" | "missing-required-property" | "untracked-plan-event")
        })
        .collect()
}

/// The line of a plan file where `needle` is first written.
fn line_of(text: &str, needle: &str) -> u64 {
    text.find(needle).map_or(0, |at| text[..at].matches('\n').count() as u64 + 1)
}

const ORDERS_V1: &str = "TRACKER = Mixpanel::Tracker.new(ENV['T'])\nTRACKER.track(u.id, 'Order Completed', 'revenue' => 1, 'currency' => 'USD')\nTRACKER.track(u.id, 'Order Completed', 'revenue' => 2.5, 'currency' => 'EUR', 'coupon' => 'X')\nTRACKER.track(u.id, 'Trial Started', 'plan' => 'pro')\n";
const ORDERS_V2: &str = "TRACKER = Mixpanel::Tracker.new(ENV['T'])\nTRACKER.track(u.id, 'Order Completed', 'revenue' => 1)\nTRACKER.track(u.id, 'Order Shipped')\n";

/// Every plan format `events` writes is read back by `check --plan`: the code it was written
/// from checks clean, and code that drifts from it is caught (an event the plan does not
/// list, a property every call sent that one call drops, a planned event no longer tracked).
#[test]
fn plans_written_in_every_format_read_back() {
    for (format, file) in [
        ("csv", "plan.csv"),
        ("json-schema", "plan.schema.json"),
        ("segment", "segment.json"),
        ("amplitude-csv", "amplitude.csv"),
    ] {
        let t = Scratch::new("plan-formats-written");
        t.write("app/orders.rb", ORDERS_V1);
        let out = run_in(&t.path, &["events", "--format", format, "app"]);
        assert_eq!(out.status.code(), Some(0), "{format}");
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        t.write(file, &text);
        assert_eq!(plan_findings(&t.path, file), [], "{format}: {text}");
        t.write("app/orders.rb", ORDERS_V2);
        let mut expected = vec![
            ("app/orders.rb".to_string(), 2, 40, "missing-required-property".to_string()),
            ("app/orders.rb".to_string(), 3, 21, "unknown-event".to_string()),
            (file.to_string(), line_of(&text, "Trial Started"), 1, "untracked-plan-event".to_string()),
        ];
        expected.sort();
        assert_eq!(plan_findings(&t.path, file), expected, "{format}: {text}");
    }
}

/// What each written format says beyond the names: types and required keys.
#[test]
fn written_plans_carry_types_and_required_keys() {
    let t = Scratch::new("plan-formats-types");
    t.write("app/orders.rb", ORDERS_V1);
    let schemas = json(&run_in(&t.path, &["events", "--format", "json-schema", "app"]));
    let order = &schemas[0];
    assert_eq!(order["title"], "Order Completed");
    assert_eq!(order["required"], serde_json::json!(["revenue", "currency"]));
    assert_eq!(order["properties"]["revenue"], serde_json::json!({"type": "number"}));
    assert_eq!(order["properties"]["coupon"], serde_json::json!({"type": "string"}));
    let segment = json(&run_in(&t.path, &["events", "--format", "segment", "app"]));
    let rules = &segment["rules"]["events"][1];
    assert_eq!(rules["name"], "Trial Started");
    assert_eq!(rules["rules"]["properties"]["properties"]["required"], serde_json::json!(["plan"]));
    let csv = run_in(&t.path, &["events", "--format", "amplitude-csv", "app"]);
    let csv = String::from_utf8_lossy(&csv.stdout).to_string();
    let rows: Vec<&str> = csv.lines().collect();
    assert!(rows[0].starts_with("Action,Object Type,Object Name,"), "{csv}");
    assert_eq!(rows[1], format!(",Event,Order Completed{}", ",".repeat(38)));
    assert_eq!(
        rows[2],
        format!("{},Event Property,,revenue,,number,,TRUE,,FALSE{}", ",".repeat(18), ",".repeat(13))
    );
    assert!(rows[4].contains(",coupon,,string,,FALSE,"), "{csv}");
}

/// An Amplitude Data events export as it comes (quoted multi-line descriptions, `IGNORE` rows
/// for unexpected properties and deleted events, a property group), and a simpler sheet with
/// one row per property (the event written once, presence in words).
#[test]
fn amplitude_and_property_row_csv_plans_are_read() {
    let t = Scratch::new("plan-amplitude");
    let header = "Action,Object Type,Object Name,Event Display Name,Object Owner,Object Description,Event Category,Tags,Event Schema Status,Event Activity,Event Hidden From Dropdowns,Event Hidden From Persona Results,Event Hidden From Pathfinder,Event Hidden From Timeline,Event Source,Event 30 Day Volume,Event 30 Day Queries,Event First Seen,Event Last Seen,Property Type,Property Group Names,Event Property Name,Property Description,Property Value Type,Property Schema Status,Property Required,Property Visibility,Property Is Array,String Property Value Min Length,String Property Value Max Length,Number Is Integer,Number Property Value Min,Number Property Value Max,Array Unique Items,Array Min Items,Array Max Items,Enum Values,Const Value,Property Regex,Property First Seen,Property Last Seen";
    let property = |action: &str, name: &str, status: &str, required: &str| {
        format!(
            "{action}{},Event Property,,{name},,string,{status},{required},VISIBLE,FALSE{}",
            ",".repeat(18),
            ",".repeat(13)
        )
    };
    let event = |action: &str, name: &str, description: &str, status: &str| {
        format!(
            "{action},Event,{name},,owner@example.com,{description},,,{status},ACTIVE,FALSE,FALSE,FALSE,FALSE,,0,0,,{}",
            ",".repeat(22)
        )
    };
    let plan = [
        header.to_string(),
        event("", "Order Completed", "\"Sent when an order is paid.\n\nSee \"\"Checkout\"\", step 3.\"", ""),
        property("", "revenue", "", "TRUE"),
        property("", "currency", "", "TRUE"),
        property("IGNORE", "[Amplitude] Session Replay ID", "UNEXPECTED", "TRUE"),
        event("IGNORE", "Old Event", "", "DELETED"),
        format!(",Property Group,Cart{}", ",".repeat(38)),
        property("", "cart_id", "", "TRUE"),
        event("", "Trial Started", "", ""),
        property("", "plan", "", "FALSE"),
    ]
    .join("\n")
        + "\n";
    t.write("amplitude.csv", &plan);
    t.write(
        "app/orders.rb",
        "TRACKER = Mixpanel::Tracker.new(ENV['T'])\nTRACKER.track(u.id, 'Order Completed', 'revenue' => 1)\nTRACKER.track(u.id, 'Order Shipped')\nTRACKER.track(u.id, 'Old Event')\n",
    );
    assert_eq!(
        plan_findings(&t.path, "amplitude.csv"),
        [
            ("amplitude.csv".to_string(), 11, 1, "untracked-plan-event".to_string()),
            ("app/orders.rb".to_string(), 2, 40, "missing-required-property".to_string()),
            ("app/orders.rb".to_string(), 3, 21, "unknown-event".to_string()),
            ("app/orders.rb".to_string(), 4, 21, "unknown-event".to_string()),
        ]
    );
    let out = run_in(&t.path, &["check", "--plan", "amplitude.csv", "app"]);
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(text.contains("`Old Event` is deleted in the tracking plan"), "{text}");
    assert!(text.contains("`currency`"), "{text}");
    assert!(!text.contains("Session Replay"), "{text}");

    t.write(
        "sheet.csv",
        "Event Name,Property Name,Property Type,Presence\nOrder Completed,revenue,number,Always sent\n,currency,string,Always sent\n,coupon,string,Sometimes sent\nOld Event,,,\nTrial Started,plan,string,Sometimes sent\n",
    );
    let mut got = plan_findings(&t.path, "sheet.csv");
    got.retain(|f| f.1 != 4 || f.3 != "unknown-event");
    assert_eq!(
        got,
        [
            ("app/orders.rb".to_string(), 2, 40, "missing-required-property".to_string()),
            ("app/orders.rb".to_string(), 3, 21, "unknown-event".to_string()),
            ("sheet.csv".to_string(), 6, 1, "untracked-plan-event".to_string()),
        ]
    );
}

/// Segment's Public API lists a tracking plan's rules of every type: the `TRACK` rules are the
/// events, their `key` the name, their `jsonSchema` the required properties.
#[test]
fn segment_public_api_rules_are_read() {
    let t = Scratch::new("plan-segment-public");
    t.write(
        "rules.json",
        r#"{"data": {"rules": [
  {"type": "IDENTIFY", "version": 1, "jsonSchema": {"properties": {"traits": {"required": ["email"]}}}},
  {"type": "TRACK", "key": "Order Completed", "version": 2, "jsonSchema": {"type": "object",
    "properties": {"properties": {"type": "object", "required": ["revenue", "currency"]}}}},
  {"type": "TRACK", "key": "Trial Started", "version": 1, "jsonSchema": {}}
]}}
"#,
    );
    t.write(
        "app/orders.rb",
        "TRACKER = Mixpanel::Tracker.new(ENV['T'])\nTRACKER.track(u.id, 'Order Completed', 'revenue' => 1)\nTRACKER.track(u.id, 'Order Shipped')\n",
    );
    assert_eq!(
        plan_findings(&t.path, "rules.json"),
        [
            ("app/orders.rb".to_string(), 2, 40, "missing-required-property".to_string()),
            ("app/orders.rb".to_string(), 3, 21, "unknown-event".to_string()),
            ("rules.json".to_string(), 5, 1, "untracked-plan-event".to_string()),
        ]
    );
}
