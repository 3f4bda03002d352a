//! ## What it does
//! Finds personal data sent as event properties (and super properties): keys that name an
//! email, phone number, full or first/last name, postal address, password, card number, social
//! security number or birth date (`email`, `user_email`, `phoneNumber`, `full_name`,
//! `password`), and values that are an email (`user.email`, `params[:email]`) whatever the key.
//! A key whose value is a flag or a count says nothing personal (`mobile: isMobile()`,
//! `phone: user.phone?`, `email: emails.length > 0`). An object nested in the properties is
//! sent with them, so its keys are read too (`user: { email: user.email }` is reported as
//! `user.email`); the `allow` option takes either the key or its dotted path.
//! Profile updates are not events: a profile's `$email`, `$phone` and `$name` are where that
//! data belongs, and are never reported, nor what PostHog's `$set` and `$set_once` inside an
//! event's properties put on the person.
//!
//! ## Why is this bad?
//! Event properties are copied into every event, kept for years, exported to warehouses and
//! visible to everyone with project access; deleting a person's data later means finding it in
//! every event. Personal data on the profile is one record, easy to update and delete.
//!
//! ## Example
//! ```ruby
//! tracker.track(user.id, 'Order Completed', 'email' => user.email)
//! ```
//!
//! Use instead:
//! ```ruby
//! tracker.track(user.id, 'Order Completed')
//! tracker.people.set(user.id, '$email' => user.email)
//! ```
//!
//! ## Fix safety
//! No automatic fix: removing a property may break a report that uses it.

use super::{FileCalls, FixAvailability, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{CallKind, Object, ValueKind};

pub struct PiiInEventProperties;

static META: RuleMeta = RuleMeta {
    id: "pii-in-event-properties",
    module: module_path!(),
    practice: 0,
    default_severity: Severity::Warning,
    summary: "No emails, phone numbers, names, addresses or passwords in event properties",
    fix: FixAvailability::None,
    kinds: &[CallKind::Track, CallKind::Import, CallKind::Register],
    scope: super::Scope::File,
    options: &OPTIONS,
};

super::options::rule_options! {
    /// Property keys that are never reported, for data the team sends on purpose (a hashed or
    /// consented field); matched exactly.
    #[example = "[\"contact_email_hash\"]"]
    allow: Vec<String> = Vec::new(),
}

/// The words of a key: `userEmail`, `user_email`, `User Email` are `user`, `email`.
fn words(key: &str) -> Vec<String> {
    crate::naming::normalize(key).split(' ').map(str::to_string).collect()
}

/// What kind of personal data a key names, if any. The key's last word decides, so
/// `user_email` and `phoneNumber` count and `email_verified` or `phone_verified_at` do not.
fn pii_kind(key: &str) -> Option<&'static str> {
    if key.starts_with('$') || key.starts_with("mp_") {
        return None;
    }
    let w = words(key);
    // `has_email`, `is_phone_verified`: a flag about the data, not the data.
    if w.first()
        .is_some_and(|f| matches!(f.as_str(), "has" | "is" | "no" | "with" | "without" | "missing" | "valid"))
    {
        return None;
    }
    let last = w.last().map(String::as_str).unwrap_or("");
    let before = w.len().checked_sub(2).and_then(|i| w.get(i)).map(String::as_str).unwrap_or("");
    match (before, last) {
        (_, "email" | "emailaddress") | ("e", "mail") | ("email", "address") => Some("an email address"),
        (_, "phone" | "mobile" | "msisdn" | "telephone" | "phonenumber") | ("phone" | "mobile", "number") => {
            Some("a phone number")
        }
        ("full" | "first" | "last" | "given" | "family", "name")
        | (_, "fullname" | "firstname" | "lastname" | "surname") => Some("a person's name"),
        (_, "password" | "passwd" | "pwd" | "passcode") => Some("a password"),
        (_, "ssn") | ("security", "number") => Some("a social security number"),
        ("card", "number") | ("credit", "card") | (_, "cvv" | "cvc" | "iban") => Some("payment card details"),
        ("ip" | "mac" | "wallet" | "web" | "url" | "server", "address") => None,
        (_, "address" | "street" | "streetaddress") => Some("a postal address"),
        (_, "dob" | "birthday" | "birthdate") | ("of", "birth") => Some("a birth date"),
        _ => None,
    }
}

fn email_valued(value: &crate::model::Value) -> bool {
    match &value.kind {
        ValueKind::Path(p) => p.segments.last().is_some_and(|s| pii_kind(s) == Some("an email address")),
        ValueKind::Str(s) => {
            let s = s.trim();
            s.len() < 200
                && !s.contains(' ')
                && s.split_once('@').is_some_and(|(a, b)| !a.is_empty() && b.contains('.'))
        }
        _ => false,
    }
}

/// A value that is a yes/no answer, whatever its key says: `isMobile()`, `user.is_mobile`,
/// `mobile?`, `!phone.nil?`, `count > 0`.
fn flag_valued(value: &crate::model::Value) -> bool {
    let predicate = |name: &str| {
        let last = name.rsplit(['.', ':']).next().unwrap_or(name);
        let rest = |prefix: &str| last.strip_prefix(prefix);
        last.ends_with('?')
            || ["is", "has", "can", "should", "was", "did", "uses"].iter().any(|p| {
                rest(p).is_some_and(|r| r.starts_with('_') || r.starts_with(|c: char| c.is_ascii_uppercase()))
            })
    };
    match &value.kind {
        ValueKind::Bool(_) => true,
        ValueKind::Call { callee, .. } => predicate(callee),
        ValueKind::Path(p) => p.segments.last().is_some_and(|s| predicate(s)),
        ValueKind::Unknown(text) => {
            let text = text.trim();
            text.starts_with('!')
                || text.starts_with("not ")
                || ["==", "!=", ">=", "<=", " > ", " < ", " is None", " is not None"]
                    .iter()
                    .any(|op| text.contains(op))
        }
        ValueKind::OneOf(options) => {
            options.iter().all(|o| flag_valued(o) || matches!(o.kind, ValueKind::Null))
        }
        _ => false,
    }
}

/// `nowhere_else`: the vendor forbids personal data in user properties too (Google Analytics),
/// so the help says to drop it rather than move it.
/// `within`: the keys of the objects this one is nested in (`user` for `{ user: { email } }`),
/// whose properties are sent with the event as well.
fn check_object(
    obj: &Object,
    within: &str,
    call: &crate::model::Call,
    nowhere_else: bool,
    allow: &[String],
    severity: Severity,
    out: &mut Vec<Diagnostic>,
) {
    let method = &call.method;
    for entry in obj.entries.iter() {
        let key = if within.is_empty() { entry.key.clone() } else { format!("{within}.{}", entry.key) };
        if allow.contains(&entry.key) || allow.contains(&key) {
            continue;
        }
        // `distinct_id` inside the properties is the call's identity: email-as-distinct-id's.
        if call.identities.iter().any(|i| i.value.span == entry.value.span) {
            continue;
        }
        // PostHog's `$set`, `$set_once` and `$unset` in an event's properties update the person.
        if within.is_empty() && matches!(entry.key.as_str(), "$set" | "$set_once" | "$unset") {
            continue;
        }
        // An object under a key that names no personal data is sent too, key by key
        // (`user: { email: .. }`); one under a personal key (`address: {..}`) is reported whole.
        if let ValueKind::Object(inner) = &entry.value.kind
            && pii_kind(&entry.key).is_none()
        {
            check_object(inner, &key, call, nowhere_else, allow, severity, out);
            continue;
        }
        // A flag or a count says nothing personal, whatever the key.
        let literal = matches!(entry.value.kind, ValueKind::Bool(_) | ValueKind::Number(_) | ValueKind::Null)
            || flag_valued(&entry.value);
        let (span, what) = if let Some(kind) = pii_kind(&entry.key).filter(|_| !literal) {
            (entry.key_span, kind)
        } else if email_valued(&entry.value) {
            (entry.value.span, "an email address")
        } else {
            continue;
        };
        out.push(
            Diagnostic::new(
                META.id,
                severity,
                span,
                format!("event property `{key}` of `{method}` sends {what} with every event"),
                if nowhere_else {
                    format!("drop it: {} forbids personal data in events and user properties", call.vendor)
                } else {
                    format!("keep personal data on {}, or drop it", call.person_properties)
                },
            )
            .with_label("personal data"),
        );
    }
}

impl Rule for PiiInEventProperties {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_file(&self, file: &FileCalls, severity: Severity, out: &mut Vec<Diagnostic>) {
        let allow = &Options::of(file.settings).allow;
        for call in file.calls_for(&META) {
            if let Some(obj) = call.properties.as_ref().and_then(|p| p.as_object()) {
                let nowhere_else = file.profiles.get(&call.sdk).is_some_and(|p| p.no_personal_data);
                check_object(obj, "", call, nowhere_else, allow, severity, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn personal_keys() {
        for key in [
            "email",
            "user_email",
            "userEmail",
            "phone",
            "phoneNumber",
            "full_name",
            "firstName",
            "password",
            "address",
            "credit_card_number",
            "dob",
        ] {
            assert!(super::pii_kind(key).is_some(), "{key}");
        }
        for key in [
            "plan",
            "name",
            "product_name",
            "ip_address",
            "page",
            "referrer",
            "$name",
            "email_verified",
            "phone_verified_at",
            "password_changed_at",
            "has_email",
            "email_count",
        ] {
            assert!(super::pii_kind(key).is_none(), "{key}");
        }
    }
}
