//! ## What it does
//! Finds Mixpanel's reserved properties and modifiers written so that Mixpanel does not read
//! them (Mixpanel SDK calls only):
//! - a `$` property Mixpanel does not define but that is one or two typos from one it does
//!   (`$ignore_tme`, `$ignoretime`, `$emial`);
//! - the `$ignore_time` modifier spelled without its `$` or in another case (`ignore_time`,
//!   `ignoreTime`, `:ignore_time`, `$ignoreTime`);
//! - `$ignore_time` put where the SDK does not read it: inside the properties of a Ruby, Python
//!   or browser profile update (it becomes a profile property), in mixpanel-ruby's third (`ip`)
//!   argument, or in any browser profile update (browser SDKs have no modifiers).
//!
//! In a backfill, `$ignore_time` problems are reported by `backfill-missing-ignore-time`
//! instead, so each problem is reported once. The Rust `Modifiers { ignore_time: .. }` field and
//! the old `mixpanel` gem's `ignore_time:` key are the correct spellings there.
//!
//! ## Why is this bad?
//! Mixpanel silently ignores what it does not recognise: a misspelled `$ignore_time` moves
//! every profile's Last Seen to now, and a misspelled `$email` or `$name` never shows in the
//! profile's standard fields.
//!
//! ## Example
//! ```ruby
//! tracker.people.set(user.id, { '$name' => user.name }, nil, { ignore_time: true })
//! ```
//!
//! Use instead:
//! ```ruby
//! tracker.people.set(user.id, { '$name' => user.name }, nil, { '$ignore_time' => true })
//! ```
//!
//! ## Fix safety
//! Respelling a key (`ignore_time` → `$ignore_time`, `$ignore_tme` → `$ignore_time`) and moving
//! a Ruby hash out of the `ip` slot (`nil, {...}`) are **safe**: they send what the code meant.
//! Keys passed as Python keyword arguments (`dict(ignore_time=True)`) cannot be respelled and
//! get no fix.

use super::{FileCalls, FixAvailability, Rule, RuleMeta};
use crate::diagnostic::{Applicability, Diagnostic, Fix, Severity};
use crate::model::{Call, CallKind, Entry, Language, Object, Platform, Value, ValueKind};

pub struct MisspelledReservedProperty;

static META: RuleMeta = RuleMeta {
    id: "misspelled-reserved-property",
    module: module_path!(),
    practice: 9,
    default_severity: Severity::Warning,
    summary: "Reserved `$` properties and the `$ignore_time` modifier are spelled and placed as Mixpanel reads them",
    fix: FixAvailability::Sometimes,
    kinds: &[
        CallKind::Track,
        CallKind::Import,
        CallKind::Register,
        CallKind::PeopleSet,
        CallKind::PeopleSetOnce,
        CallKind::PeopleIncrement,
        CallKind::PeopleAppend,
        CallKind::PeopleUnion,
        CallKind::PeopleRemove,
        CallKind::PeopleUnset,
        CallKind::PeopleDeleteUser,
        CallKind::PeopleTrackCharge,
        CallKind::PeopleClearCharges,
    ],
    scope: super::Scope::File,
    options: &super::options::NO_OPTIONS,
};

/// `$` names Mixpanel defines (reserved and default event and profile properties, modifiers,
/// profile operations), from Mixpanel's property reference.
const RESERVED: &[&str] = &[
    "$distinct_id",
    "$time",
    "$insert_id",
    "$device_id",
    "$user_id",
    "$event_name",
    "$identified_id",
    "$anon_id",
    "$anon_distinct_id",
    "$distinct_ids",
    "$ignore",
    "$source",
    "$partner_id",
    "$duration",
    "$duration_s",
    "$event_count",
    "$origin_start",
    "$origin_end",
    "$current_url",
    "$referrer",
    "$referring_domain",
    "$initial_referrer",
    "$initial_referring_domain",
    "$os",
    "$browser",
    "$browser_version",
    "$device",
    "$screen_height",
    "$screen_width",
    "$city",
    "$region",
    "$country_code",
    "$timezone",
    "$lib_version",
    "$import",
    "$name",
    "$first_name",
    "$last_name",
    "$email",
    "$phone",
    "$avatar",
    "$created",
    "$last_seen",
    "$transactions",
    "$amount",
    "$unsubscribed",
    "$android_devices",
    "$ios_devices",
    "$token",
    "$ip",
    "$ignore_time",
    "$ignore_alias",
    "$latitude",
    "$longitude",
    "$group_key",
    "$group_id",
    "$set",
    "$set_once",
    "$add",
    "$append",
    "$union",
    "$remove",
    "$unset",
    "$delete",
    "$mp_web_page_view",
    "$create_alias",
    "$identify",
    "$merge",
    "$had_persisted_distinct_id",
    "$search_engine",
    "$app_version",
    "$manufacturer",
    "$model",
    "$carrier",
    "$wifi",
    "$bluetooth_enabled",
];

/// The reserved name a `$` key was probably meant to be.
fn intended(key: &str) -> Option<&'static str> {
    if !key.starts_with('$') || key.len() < 5 || RESERVED.contains(&key) {
        return None;
    }
    let lower = key.to_ascii_lowercase();
    if let Some(r) = RESERVED.iter().find(|r| r.replace('_', "") == lower.replace('_', "")) {
        return Some(r);
    }
    // One slip (a letter missing, extra, wrong, or two swapped) is a typo; two edits are as
    // likely another name (`$reason` is not `$region`).
    RESERVED.iter().copied().find(|r| r.len() >= 6 && crate::text::edit_distance(&lower, r) == 1)
}

/// The key respelled in the syntax it was written in; `None` for keyword arguments.
fn respell(language: Language, entry: &Entry, name: &str) -> Option<String> {
    let text = entry.key_text.as_str();
    if let Some(q) = text.chars().next().filter(|c| matches!(c, '\'' | '"' | '`')) {
        return Some(format!("{q}{name}{q}"));
    }
    if let Some(rest) = text.strip_prefix(':') {
        let _ = rest;
        return Some(format!(":\"{name}\""));
    }
    match language {
        // `ignore_time: true` becomes `"$ignore_time": true`.
        Language::Ruby => Some(format!("\"{name}\"")),
        Language::Python | Language::Rust => None,
        // A bare JS key: `$ignore_time` is a valid identifier.
        _ => Some(name.to_string()),
    }
}

fn push(
    out: &mut Vec<Diagnostic>,
    severity: Severity,
    span: crate::model::Span,
    message: String,
    help: String,
    fix: Option<Fix>,
) {
    let mut d =
        Diagnostic::new(META.id, severity, span, message, help).with_label("Mixpanel does not read this");
    if let Some(fix) = fix {
        d = d.with_fix(fix);
    }
    out.push(d);
}

impl MisspelledReservedProperty {
    fn typos(
        &self,
        file: &FileCalls,
        obj: &Object,
        method: &str,
        severity: Severity,
        out: &mut Vec<Diagnostic>,
    ) {
        for entry in &obj.entries {
            if entry.key.eq_ignore_ascii_case("$ignore_time")
                || super::backfill_missing_ignore_time::is_misspelling(&entry.key)
            {
                continue;
            }
            let Some(name) = intended(&entry.key) else { continue };
            let fix = respell(file.language, entry, name).map(|replacement| Fix {
                applicability: Applicability::Safe,
                span: entry.key_span,
                replacement,
            });
            push(
                out,
                severity,
                entry.key_span,
                format!("`{}` in `{method}` is not a Mixpanel property: did you mean `{name}`?", entry.key),
                format!("spell it `{name}`"),
                fix,
            );
        }
    }

    fn ignore_time(&self, file: &FileCalls, call: &Call, severity: Severity, out: &mut Vec<Diagnostic>) {
        let hint =
            call.modifiers_hint.as_deref().unwrap_or("pass `$ignore_time: true` in the modifiers argument");
        let objects =
            [(call.modifiers.as_deref(), true), (call.properties.as_ref(), call.ignore_time_in_properties)];
        for (value, read_here) in objects {
            let Some(Value { kind: ValueKind::Object(obj), .. }) = value else { continue };
            for entry in &obj.entries {
                if super::backfill_missing_ignore_time::is_misspelling(&entry.key) {
                    let fix = read_here.then(|| respell(file.language, entry, "$ignore_time")).flatten().map(
                        |replacement| Fix {
                            applicability: Applicability::Safe,
                            span: entry.key_span,
                            replacement,
                        },
                    );
                    push(
                        out,
                        severity,
                        entry.key_span,
                        format!(
                            "`{}` is not the `$ignore_time` modifier: Mixpanel ignores it, so `{}` moves Last Seen to now",
                            entry.key_text, call.method
                        ),
                        format!("spell it `$ignore_time`: `{hint}`"),
                        fix,
                    );
                } else if entry.key == "$ignore_time" && !read_here && call.kind.updates_profile() {
                    let message = if call.platform == Platform::Browser {
                        format!(
                            "`$ignore_time` in `{}` becomes a profile property: browser SDKs have no modifiers",
                            call.method
                        )
                    } else {
                        format!(
                            "`$ignore_time` inside the properties of `{}` is stored as a profile property, not read as a modifier",
                            call.method
                        )
                    };
                    let help = if call.platform == Platform::Browser {
                        "send backfills from the server, where the SDK takes `$ignore_time`".to_string()
                    } else {
                        format!("move it to the modifiers: `{hint}`")
                    };
                    push(out, severity, entry.key_span, message, help, None);
                }
            }
        }
        // mixpanel-ruby's third argument is `ip`: a hash there is sent as `$ip`.
        if let Some(Value { kind: ValueKind::Object(obj), span, .. }) = call.ip.as_deref()
            && obj.get("$ignore_time").is_some()
        {
            push(
                out,
                severity,
                *span,
                format!(
                    "`$ignore_time` is in the third argument of `{}`, which mixpanel-ruby sends as `$ip`: it is never read",
                    call.method
                ),
                format!("make it the fourth argument: `{hint}`"),
                super::backfill_missing_ignore_time::ip_slot_fix(file.source, *span),
            );
        }
    }
}

impl Rule for MisspelledReservedProperty {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_file(&self, file: &FileCalls, severity: Severity, out: &mut Vec<Diagnostic>) {
        for call in file.calls_for(&META).filter(|c| c.ignore_time_supported) {
            for value in [call.properties.as_ref(), call.modifiers.as_deref()] {
                if let Some(obj) = value.as_ref().and_then(|v| v.as_object()) {
                    self.typos(file, obj, &call.method, severity, out);
                }
            }
            if call.kind.is_people() && !super::backfill_missing_ignore_time::in_backfill(file, call) {
                self.ignore_time(file, call, severity, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn typos_of_reserved_names() {
        assert_eq!(super::intended("$ignore_tme"), Some("$ignore_time"));
        assert_eq!(super::intended("$ignoretime"), Some("$ignore_time"));
        assert_eq!(super::intended("$emial"), Some("$email"));
        assert_eq!(super::intended("$email"), None);
        assert_eq!(super::intended("$my_custom_thing"), None);
        assert_eq!(super::intended("$reason"), None, "two edits from `$region`: another name");
        assert_eq!(super::intended("plan"), None);
    }
}
