//! Declarative custom rules from `[[custom-rules]]` in `tracklint.toml`: event-name regexes,
//! forbidden property names and required properties per event. They report like built-in
//! rules, under their own ids.

use crate::diagnostic::Diagnostic;
use crate::model::{Call, CallKind, ValueKind};

/// A declarative rule from `[[custom-rules]]`.
#[derive(Debug)]
pub struct CustomRule {
    pub id: &'static str,
    pub message: String,
    pub help: String,
    pub severity: Option<crate::diagnostic::Severity>,
    pub events: Option<regex::Regex>,
    pub event_must_match: Option<regex::Regex>,
    pub event_must_not_match: Option<regex::Regex>,
    pub forbidden_properties: Vec<String>,
    pub required_properties: Vec<String>,
}

pub fn check(rules: &[CustomRule], calls: &[Call], out: &mut Vec<Diagnostic>) {
    for rule in rules {
        let Some(severity) = rule.severity else { continue };
        for call in calls {
            let name = match call.event.as_ref().map(|e| &e.kind) {
                Some(ValueKind::Str(name)) if call.kind.is_event() => Some(name.as_str()),
                _ => None,
            };
            let applies = match (&rule.events, name) {
                (None, _) => true,
                (Some(filter), Some(name)) => filter.is_match(name),
                (Some(_), None) => false,
            };
            if !applies {
                continue;
            }
            let report =
                |span, message: String| Diagnostic::new(rule.id, severity, span, message, rule.help.clone());
            if let (Some(name), Some(event)) = (name, &call.event) {
                if let Some(must) = &rule.event_must_match
                    && !must.is_match(name)
                {
                    out.push(report(
                        event.span,
                        format!("{}: `{name}` does not match `{must}`", rule.message),
                    ));
                }
                if let Some(must_not) = &rule.event_must_not_match
                    && must_not.is_match(name)
                {
                    out.push(report(event.span, format!("{}: `{name}` matches `{must_not}`", rule.message)));
                }
            }
            let object = match call.properties.as_ref().map(|p| &p.kind) {
                Some(ValueKind::Object(o)) => Some(o),
                _ => None,
            };
            // Event properties: those of the event itself and super properties (`register`),
            // which ride along with every later event. Profile properties are another matter
            // (`$email` on a profile is how Mixpanel expects it).
            let sends_event_properties = call.kind.is_event() || call.kind == CallKind::Register;
            if let Some(object) = object.filter(|_| sends_event_properties) {
                for entry in &object.entries {
                    if rule.forbidden_properties.iter().any(|f| f == &entry.key) {
                        out.push(report(
                            entry.key_span,
                            format!("{}: property `{}` is forbidden", rule.message, entry.key),
                        ));
                    }
                }
            }
            // Required properties need evidence: a literal object with no spread, or none at all.
            if let (Some(_), Some(event)) = (name, &call.event) {
                let present: Option<Vec<&str>> = match (&call.properties, object) {
                    (None, _) => Some(Vec::new()),
                    (Some(_), Some(o)) if !o.has_spread => {
                        Some(o.entries.iter().map(|e| e.key.as_str()).collect())
                    }
                    _ => None,
                };
                if let Some(present) = present {
                    let missing: Vec<&str> = rule
                        .required_properties
                        .iter()
                        .map(String::as_str)
                        .filter(|r| !present.contains(r))
                        .collect();
                    if !missing.is_empty() {
                        out.push(report(
                            event.span,
                            format!(
                                "{}: missing required propert{} `{}`",
                                rule.message,
                                if missing.len() == 1 { "y" } else { "ies" },
                                missing.join("`, `")
                            ),
                        ));
                    }
                }
            }
        }
    }
}
