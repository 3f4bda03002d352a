//! ## What it does
//! Finds People profile updates (`people.set`, `people.set_once`, in both the object form and
//! the `(name, value)` form; Python's `people_set`; Amplitude's `Identify().set`) that set a
//! property to a boolean literal, and the same on the other ways a profile is written: the
//! traits of an `identify` call (Segment, PostHog) and a `$set` / `$set_once` object inside
//! event properties (PostHog). Reserved `$` properties never fire.
//!
//! ## Why is this bad?
//! A timestamp answers both "did they?" and "when?"; a boolean answers only the first.
//! `last_posted_at: Time.now` lets you build cohorts such as "posted in the last 7 days" and
//! time-based messages; `has_posted: true` never can.
//!
//! ## Example
//! ```ruby
//! tracker.people.set(user.id, 'has_posted' => true)
//! ```
//!
//! Use instead:
//! ```ruby
//! tracker.people.set(user.id, 'last_posted_at' => Time.now)
//! ```
//!
//! ## Fix safety
//! No automatic fix: the timestamp to record lives in the application.

use super::{FileCalls, FixAvailability, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{CallKind, Span, ValueKind};

pub struct BooleanPeopleProperty;

static META: RuleMeta = RuleMeta {
    id: "boolean-people-property",
    module: module_path!(),
    practice: 8,
    default_severity: Severity::Warning,
    summary: "Profile properties hold timestamps (`last_posted_at`), not booleans (`has_posted`)",
    fix: FixAvailability::None,
    kinds: &[CallKind::PeopleSet, CallKind::PeopleSetOnce, CallKind::Identify, CallKind::Track],
    scope: super::Scope::File,
    options: &super::options::NO_OPTIONS,
};

impl Rule for BooleanPeopleProperty {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_file(&self, file: &FileCalls, severity: Severity, out: &mut Vec<Diagnostic>) {
        for call in file.calls_for(&META) {
            let mut found: Vec<(String, bool, Span)> = Vec::new();
            let properties = call.properties.as_ref().and_then(|p| p.as_object());
            // Profile properties: the whole object of a profile update or identify, or the
            // `$set` objects an event carries.
            let profile_objects: Vec<&crate::model::Object> = match (call.kind, properties) {
                (CallKind::Track, Some(obj)) => ["$set", "$set_once"]
                    .iter()
                    .filter_map(|k| obj.get(k).and_then(|e| e.value.as_object()))
                    .collect(),
                (_, Some(obj)) => vec![obj],
                (_, None) => Vec::new(),
            };
            for obj in profile_objects {
                for entry in &obj.entries {
                    if let ValueKind::Bool(b) = entry.value.kind {
                        found.push((entry.key.clone(), b, entry.value.span));
                    }
                }
            }
            if let (Some(name), Some(value)) = (&call.property_name, &call.property_value)
                && let (ValueKind::Str(name), ValueKind::Bool(b)) = (&name.kind, &value.kind)
            {
                found.push((name.clone(), *b, value.span));
            }
            for (key, b, span) in found {
                if key.starts_with('$') {
                    continue;
                }
                out.push(
                    Diagnostic::new(
                        META.id,
                        severity,
                        span,
                        format!(
                            "profile property `{key}` is set to `{b}`: a boolean says whether, never when"
                        ),
                        format!(
                            "store when it happened instead, e.g. `{}` set to the current time",
                            timestamp_name(&key)
                        ),
                    )
                    .with_label("a boolean; a timestamp says more"),
                );
            }
        }
    }
}

/// `has_posted` → `last_posted_at`, `is_verified` → `verified_at`, `premium` → `premium_at`.
fn timestamp_name(key: &str) -> String {
    let camel = key.chars().any(|c| c.is_uppercase()) && !key.contains('_');
    let snake: String = if camel {
        crate::naming::split_words(key).iter().map(|w| w.to_lowercase()).collect::<Vec<_>>().join("_")
    } else {
        key.to_lowercase()
    };
    let name = if let Some(rest) = snake.strip_prefix("has_") {
        format!("last_{rest}_at")
    } else if let Some(rest) = snake.strip_prefix("is_") {
        format!("{rest}_at")
    } else {
        format!("{snake}_at")
    };
    if camel {
        let words: Vec<String> = name.split('_').map(str::to_string).collect();
        words
            .iter()
            .enumerate()
            .map(|(i, w)| if i == 0 { w.clone() } else { crate::naming::to_title_phrase(w) })
            .collect()
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn suggests_timestamp_names() {
        assert_eq!(super::timestamp_name("has_posted"), "last_posted_at");
        assert_eq!(super::timestamp_name("is_verified"), "verified_at");
        assert_eq!(super::timestamp_name("premium"), "premium_at");
        assert_eq!(super::timestamp_name("hasPosted"), "lastPostedAt");
    }
}
