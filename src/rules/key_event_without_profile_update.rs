//! ## What it does
//! Opt-in. For the key events listed in `tracklint.toml`, finds track calls whose function
//! (or file, at the top level) does not also stamp the People profile with a timestamp: a
//! `people.set` / `set_once` (Python `people_set`) with a `*_at`, `*_date` or `*_time` property.
//!
//! ## Why is this bad?
//! Messaging and cohorts work on profiles: "posted in the last 7 days" needs
//! `last_posted_at` on the profile, not only a `Post Created` event.
//!
//! ## Example
//! ```ruby
//! def create
//!   tracker.track(current_user.id, 'Post Created')
//! end
//! ```
//!
//! Use instead:
//! ```ruby
//! def create
//!   tracker.track(current_user.id, 'Post Created')
//!   tracker.people.set(current_user.id, 'last_posted_at' => Time.now)
//! end
//! ```
//!
//! ## Fix safety
//! No automatic fix: the property name and value are the application's.

use super::{FileCalls, FixAvailability, Rule, RuleMeta, Scope};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Call, CallKind, ValueKind};

pub struct KeyEventWithoutProfileUpdate;

static META: RuleMeta = RuleMeta {
    id: "key-event-without-profile-update",
    module: module_path!(),
    practice: 5,
    default_severity: Severity::Warning,
    summary: "Key events (configured) also stamp a `*_at` timestamp on the profile",
    fix: FixAvailability::None,
    kinds: &[CallKind::Track, CallKind::Import],
    scope: Scope::File,
    options: &OPTIONS,
};

super::options::rule_options! {
    /// The key events (exact names) the rule applies to; without any the rule does nothing.
    #[example = "[\"Post Created\", \"Order Completed\"]"]
    events: Vec<String> = Vec::new(),
}

fn stamps_time(call: &Call) -> bool {
    if !matches!(call.kind, CallKind::PeopleSet | CallKind::PeopleSetOnce) {
        return false;
    }
    // `last_posted_at`, `postedDate`, `lastPostedAt`.
    let timestampy = |k: &str| {
        let lower = k.to_ascii_lowercase();
        ["_at", "_date", "_time"].iter().any(|s| lower.ends_with(s))
            || ["At", "Date", "Time"].iter().any(|s| k.ends_with(s))
    };
    let keys = call
        .properties
        .as_ref()
        .and_then(|p| p.as_object())
        .is_some_and(|o| o.entries.iter().any(|e| timestampy(&e.key)));
    let name = call.property_name.as_ref().and_then(|v| match &v.kind {
        ValueKind::Str(s) => Some(s.as_str()),
        _ => None,
    });
    keys || name.is_some_and(timestampy)
}

impl Rule for KeyEventWithoutProfileUpdate {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_file(&self, file: &FileCalls, severity: Severity, out: &mut Vec<Diagnostic>) {
        let key_events = &Options::of(file.settings).events;
        if key_events.is_empty() {
            return;
        }
        for call in file.calls.iter().filter(|c| c.kind.is_event()) {
            let Some(event) = &call.event else { continue };
            let ValueKind::Str(name) = &event.kind else { continue };
            if !key_events.iter().any(|k| k == name) {
                continue;
            }
            if file.calls.iter().any(|c| c.scope == call.scope && stamps_time(c)) {
                continue;
            }
            out.push(Diagnostic::new(
                META.id,
                severity,
                event.span,
                format!(
                    "`{name}` is a key event, but this flow does not stamp the profile with when it happened"
                ),
                "also set a timestamp on the profile, e.g. `people.set(id, 'last_<event>_at' => now)`"
                    .to_string(),
            ));
        }
    }
}
