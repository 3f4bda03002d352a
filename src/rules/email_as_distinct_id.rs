//! ## What it does
//! Checks the value used as the user's identity: the distinct_id of track and People calls
//! (positional, or the `distinct_id` key of the properties where the SDK reads it there), both
//! ids of `alias`, and the id given to `identify`. It fires when that value is an email,
//! username, login or phone number: a name such as `email`, `user.email`, `params[:email]`,
//! `user_email`, `username`, `login` (also a form field's `emailInput`, `username_value`), or a
//! literal or interpolation containing `@`.
//!
//! A database id (`user.id`, `user_id`, `uuid`) never fires, and an email sent as an event or
//! profile *property* is not an identity and is left alone.
//!
//! ## Why is this bad?
//! Emails and usernames change. When they do, Mixpanel sees a new user: the profile and the
//! event history split in two, and under Simplified ID Merge two `$user_id`s cannot be merged.
//!
//! ## Example
//! ```ruby
//! tracker.track(user.email, 'Signed Up')
//! ```
//!
//! Use instead:
//! ```ruby
//! tracker.track(user.id, 'Signed Up')
//! tracker.people.set(user.id, '$email' => user.email)
//! ```
//!
//! ## Fix safety
//! No automatic fix: which id to use is a decision about the data model.

use super::{FileCalls, FixAvailability, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{CallKind, Value, ValueKind};
use crate::naming::split_words;

pub struct EmailAsDistinctId;

static META: RuleMeta = RuleMeta {
    id: "email-as-distinct-id",
    module: module_path!(),
    practice: 3,
    default_severity: Severity::Error,
    summary: "The distinct_id is the user's database id, never an email, username or phone",
    fix: FixAvailability::None,
    kinds: CallKind::ALL,
    scope: super::Scope::File,
    options: &OPTIONS,
};

super::options::rule_options! {
    /// Extra identifier names that hold emails in your code base, matched against the last
    /// segment of a value (`user.contact_address`).
    #[example = "[\"contact_address\"]"]
    names: Vec<String> = Vec::new(),
}

/// Method calls that only reformat a value (`email.downcase`), looked through when naming it.
const TRANSFORMS: &[&str] = &[
    "downcase",
    "strip",
    "to_s",
    "lower",
    "toLowerCase",
    "trim",
    "toString",
    "squish",
    "chomp",
    "toLocaleLowerCase",
];

impl Rule for EmailAsDistinctId {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_file(&self, file: &FileCalls, severity: Severity, out: &mut Vec<Diagnostic>) {
        for call in file.calls {
            for identity in &call.identities {
                let Some(what) = personal_identifier(&identity.value)
                    .or_else(|| configured_name(&identity.value, &Options::of(file.settings).names))
                else {
                    continue;
                };
                let shown = identity.value.display();
                out.push(Diagnostic::new(
                    META.id,
                    severity,
                    identity.value.span,
                    format!(
                        "`{shown}` ({what}) is used as {} of `{}`: it can change, and the user's history then splits in two",
                        identity.role.describe(),
                        call.method
                    ),
                    format!("identify users by their database id (e.g. `user.id`) and keep the email on {}", call.person_properties),
                ).with_label(format!("{what}, not a database id")));
            }
        }
    }
}

/// A value whose last name is one the team configured as holding emails (`names`).
fn configured_name(value: &Value, names: &[String]) -> Option<&'static str> {
    let last = match &value.kind {
        ValueKind::Path(p) => p.segments.last()?,
        _ => return None,
    };
    let last = last.trim_start_matches(['@', '$', ':']);
    names.iter().any(|n| n == last).then_some("an email address (a configured name)")
}

/// Why the value is an email, username, login or phone, or `None` when there is no evidence.
pub fn personal_identifier(value: &Value) -> Option<&'static str> {
    match &value.kind {
        ValueKind::Str(s) if s.contains('@') => Some("an email address"),
        ValueKind::Template(t) => {
            if t.static_parts.iter().any(|p| p.contains('@')) {
                return Some("an email address");
            }
            t.exprs.iter().find_map(personal_identifier)
        }
        ValueKind::Path(p) => name_kind(&p.segments),
        // `user.email.downcase()`, `String(user.email)`
        ValueKind::Call { callee, args } => {
            let segments: Vec<String> =
                callee.split(['.', ':']).filter(|s| !s.is_empty()).map(str::to_string).collect();
            if args.is_empty() {
                name_kind(&segments)
            } else if args.len() == 1 && matches!(callee.as_str(), "String" | "str") {
                personal_identifier(&args[0])
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Classifies the last meaningful segment of a path by its words.
fn name_kind(segments: &[String]) -> Option<&'static str> {
    let mut segs = segments;
    while let Some((last, rest)) = segs.split_last() {
        if TRANSFORMS.contains(&last.trim_end_matches(['!', '?'])) && !rest.is_empty() {
            segs = rest;
        } else {
            break;
        }
    }
    let last = segs.last()?;
    let mut words: Vec<String> =
        split_words(last.trim_start_matches(['@', '$', ':'])).iter().map(|w| w.to_lowercase()).collect();
    // A form's field holds what it names: `emailInput`, `email_value`.
    if words.len() > 1 && words.last().is_some_and(|w| w == "input" || w == "value") {
        words.pop();
    }
    let ends = |tail: &[&str]| {
        words.len() >= tail.len() && words[words.len() - tail.len()..].iter().zip(tail).all(|(a, b)| a == b)
    };
    if ends(&["email"])
        || ends(&["email", "address"])
        || ends(&["e", "mail"])
        || ends(&["mail"]) && words.len() == 1
    {
        Some("an email")
    } else if ends(&["username"])
        || ends(&["user", "name"])
        || ends(&["login"])
        || ends(&["handle"]) && words.len() == 1
    {
        Some("a username")
    } else if ends(&["phone"])
        || ends(&["phone", "number"])
        || ends(&["mobile", "number"])
        || ends(&["msisdn"])
    {
        Some("a phone number")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Path, Span};

    fn path(text: &str) -> Value {
        let segments = text.split('.').map(str::to_string).collect();
        Value::new(ValueKind::Path(Path { segments, text: text.to_string() }), Span::default())
    }

    #[test]
    fn classifies_identity_names() {
        for p in [
            "email",
            "user.email",
            "params.email",
            "user_email",
            "current_user.email.downcase",
            "contactEmail",
            "username",
            "user.login",
            "user.phone_number",
            "@user.email_address",
            "this.emailInput",
            "form.username_value",
        ] {
            assert!(personal_identifier(&path(p)).is_some(), "{p}");
        }
        for p in [
            "user.id",
            "user_id",
            "uuid",
            "user.email_id",
            "user.email_verified",
            "email_hash",
            "user.name",
            "account.token",
        ] {
            assert_eq!(personal_identifier(&path(p)), None, "{p}");
        }
    }

    #[test]
    fn literals_with_at_signs_are_emails() {
        let v = Value::new(ValueKind::Str("ann@example.com".into()), Span::default());
        assert_eq!(personal_identifier(&v), Some("an email address"));
        let v = Value::new(ValueKind::Str("12345".into()), Span::default());
        assert_eq!(personal_identifier(&v), None);
    }
}
