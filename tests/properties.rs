//! Property tests: for any input, in any language, the JSON report parses and every reported
//! position lies inside the file. Inputs mix tracking-call fragments with arbitrary text so that
//! calls, objects, templates and broken syntax all occur.

use proptest::prelude::*;
use std::path::Path;
use tracklint::model::Language;

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("mixpanel.track(".to_string()),
        Just("tracker.people.set(".to_string()),
        Just("TRACKER = Mixpanel::Tracker.new('t')\n".to_string()),
        Just("mp = Mixpanel('t')\n".to_string()),
        Just("import mixpanel from 'mixpanel-browser';\n".to_string()),
        Just("use mixpanel_rs::Mixpanel; let mp = Mixpanel::init(\"t\", None);\n".to_string()),
        Just("mp.track(".to_string()),
        Just("'signed_up'".to_string()),
        Just("user.email".to_string()),
        Just("{ '$ignore_time' => true }".to_string()),
        Just("{\"is_pro\": True}".to_string()),
        Just("json!({\"a\": true})".to_string()),
        Just(", ".to_string()),
        Just(")".to_string()),
        Just("(".to_string()),
        Just("[".to_string()),
        Just("{".to_string()),
        Just("}".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\r".to_string()),
        Just("<script>".to_string()),
        Just("</script>".to_string()),
        Just("\"<%= current_user.email %>\"".to_string()),
        Just("{{ user.email }}".to_string()),
        Just("# tracklint: ignore[email-as-distinct-id]\n".to_string()),
        Just("// tracklint: ignore[nope]\n".to_string()),
        Just("é漢😀".to_string()),
        ".{0,12}",
    ]
}

fn source() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(fragment(), 0..48).prop_map(|parts| parts.concat().into_bytes()),
        prop::collection::vec(any::<u8>(), 0..256),
    ]
}

/// Every diagnostic's line and column exist in the file as the report describes it.
fn check(language: Language, bytes: &[u8]) -> Result<(), TestCaseError> {
    let report = tracklint::lint_bytes(Path::new("input"), language, bytes)
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    let json = tracklint::report::json::check(&report);
    let value: serde_json::Value =
        serde_json::from_str(&json).map_err(|e| TestCaseError::fail(format!("JSON does not parse: {e}")))?;
    let file = &report.files[0];
    let (lines, _) = file.lines.line_col(&file.source, file.source.len());
    for d in value["diagnostics"].as_array().map(|a| a.as_slice()).unwrap_or_default() {
        let line = d["line"].as_u64().unwrap_or(0) as usize;
        let end_line = d["end_line"].as_u64().unwrap_or(0) as usize;
        prop_assert!(line >= 1 && line <= lines, "line {line} of {lines}");
        prop_assert!(end_line >= line && end_line <= lines, "end line {end_line} of {lines}");
        prop_assert!(d["column"].as_u64().unwrap_or(0) >= 1);
    }
    for d in &file.diagnostics {
        prop_assert!(d.span.start <= d.span.end && d.span.end <= file.source.len());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn ruby(bytes in source()) { check(Language::Ruby, &bytes)?; }

    #[test]
    fn javascript(bytes in source()) { check(Language::JavaScript, &bytes)?; }

    #[test]
    fn tsx(bytes in source()) { check(Language::Tsx, &bytes)?; }

    #[test]
    fn python(bytes in source()) { check(Language::Python, &bytes)?; }

    #[test]
    fn rust(bytes in source()) { check(Language::Rust, &bytes)?; }

    #[test]
    fn template(bytes in source()) { check(Language::Template, &bytes)?; }
}
