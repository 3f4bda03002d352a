//! ## What it does
//! Finds server-side People updates that run in a backfill and are sent without
//! `$ignore_time: true` in the place the SDK reads it. A call is in a backfill when:
//! - it sits in a rake `task` block, or in a file under `lib/tasks/`, `db/migrate/`, `db/data/`,
//!   `script/`, `scripts/`, `bin/` or a Django `management/commands/`, or a `.rake` file;
//! - its file or enclosing method is named for a backfill, migration, sync or import
//!   (`backfill_profiles`, `sync_users.rb`);
//! - it runs inside a loop over records: `find_each`, `find_in_batches`, `in_batches`, or
//!   `each`/`map`/`forEach`/`for ... of` over a query (`User.where(...)`, `User.all`) or a
//!   collection named for users, accounts, customers, members or profiles.
//!
//! `$ignore_time` only counts where the SDK reads it: mixpanel-ruby's fourth argument
//! (`people.set(id, props, nil, {'$ignore_time' => true})`), mixpanel-node's modifiers
//! argument (or, for `set`/`set_once` only, inside the properties). It gets its own message
//! when it is put in the Ruby `ip` slot (a brace-less `'$ignore_time' => true` third argument
//! is sent as `$ip`), inside the properties (where it is stored as a profile property named
//! `$ignore_time`), spelled without the `$`, or not `true`.
//!
//! ## Why is this bad?
//! Every profile update moves the profile's Last Seen to now, unless it carries
//! `$ignore_time`. A backfill without it makes every user look active "a few minutes ago",
//! and every cohort built on recent activity is wrong from then on.
//!
//! ## Example
//! ```ruby
//! User.find_each do |user|
//!   tracker.people.set(user.id, '$email' => user.email)
//! end
//! ```
//!
//! Use instead:
//! ```ruby
//! User.find_each do |user|
//!   tracker.people.set(user.id, { '$email' => user.email }, nil, { '$ignore_time' => true })
//! end
//! ```
//!
//! ## Fix safety
//! When a Ruby `$ignore_time` hash sits in the `ip` slot, the fix inserts `nil,` before it so
//! that it becomes the fourth argument. It is safe: it sends what the code meant to send.

use super::options::{Globs, Pattern};
use super::{FileCalls, FixAvailability, Rule, RuleMeta};
use crate::diagnostic::{Applicability, Diagnostic, Fix, Severity};
use crate::model::{Call, CallKind, Object, Platform, Span, Value, ValueKind};

pub struct BackfillMissingIgnoreTime;

static META: RuleMeta = RuleMeta {
    id: "backfill-missing-ignore-time",
    module: module_path!(),
    practice: 9,
    default_severity: Severity::Error,
    summary: "Backfills of People profiles send `$ignore_time` so Last Seen is not reset",
    fix: FixAvailability::Sometimes,
    kinds: &[
        CallKind::PeopleSet,
        CallKind::PeopleSetOnce,
        CallKind::PeopleIncrement,
        CallKind::PeopleAppend,
        CallKind::PeopleUnion,
        CallKind::PeopleRemove,
        CallKind::PeopleUnset,
        CallKind::PeopleTrackCharge,
        CallKind::PeopleClearCharges,
    ],
    scope: super::Scope::File,
    options: &OPTIONS,
};

super::options::rule_options! {
    /// Globs (relative to the config's directory) of extra backfill files.
    #[example = "[\"scripts/**\", \"db/data/**\"]"]
    paths: Globs = Globs::default(),
    /// Regexes of function or method names that mark a backfill.
    #[example = "[\"^sync_\", \"backfill\"]"]
    functions: Vec<Pattern> = Vec::new(),
}

/// Loop methods that only ever iterate over database records.
const BATCH_METHODS: &[&str] = &["find_each", "find_in_batches", "in_batches", "each_batch"];
const RECORD_WORDS: &[&str] = &[
    "user",
    "account",
    "customer",
    "member",
    "profile",
    "subscriber",
    "people",
    "person",
    "contact",
    "record",
    "row",
];
const QUERY_MARKERS: &[&str] = &[
    ".all",
    ".where(",
    ".find(",
    ".find_by_sql(",
    ".joins(",
    ".includes(",
    ".order(",
    ".limit(",
    ".select(",
    ".objects.",
    ".filter(",
    ".findAll(",
    ".findMany(",
    ".scan(",
];

enum Status {
    Sent,
    Unknown,
    Missing,
    InIpSlot(Span),
    InProperties(Span),
    Misspelled(Span, String),
    NotTrue(Span, String),
}

impl Rule for BackfillMissingIgnoreTime {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_file(&self, file: &FileCalls, severity: Severity, out: &mut Vec<Diagnostic>) {
        let options = Options::of(file.settings);
        let configured_path = options
            .paths
            .is_match(file.config_path)
            .then(|| format!("in `{}`, a configured backfill path", file.path.display()));
        for call in
            file.calls_for(&META).filter(|c| c.platform == Platform::Server && c.ignore_time_supported)
        {
            let file_reason =
                call.context.file_backfill.as_deref().map(str::to_string).or_else(|| configured_path.clone());
            let Some(reason) = call_reason(call)
                .or_else(|| configured_function(call, &options.functions))
                .or_else(|| file_reason.clone())
            else {
                continue;
            };
            let hint = call
                .modifiers_hint
                .as_deref()
                .unwrap_or("pass `$ignore_time: true` in the modifiers argument");
            let (span, message, fix) = match ignore_time_status(call) {
                Status::Sent | Status::Unknown => continue,
                Status::Missing => (
                    call.span,
                    format!(
                        "`{}` {reason} is sent without `$ignore_time`: every backfilled profile's Last Seen becomes now",
                        call.method
                    ),
                    None,
                ),
                Status::InIpSlot(span) => (
                    span,
                    format!(
                        "`$ignore_time` is in the third argument of `{}` {reason}, which mixpanel-ruby sends as `$ip`: `$ignore_time` is never sent and Last Seen becomes now",
                        call.method
                    ),
                    ip_slot_fix(file.source, span),
                ),
                Status::InProperties(span) => (
                    span,
                    format!(
                        "`$ignore_time` is inside the properties of `{}` {reason}, so it is stored as a profile property and Last Seen still becomes now",
                        call.method
                    ),
                    None,
                ),
                Status::Misspelled(span, key) => (
                    span,
                    format!(
                        "`{key}` is not `$ignore_time`: Mixpanel ignores it, so `{}` {reason} still moves Last Seen to now",
                        call.method
                    ),
                    None,
                ),
                Status::NotTrue(span, value) => (
                    span,
                    format!(
                        "`$ignore_time` is `{value}` in `{}` {reason}: only the boolean `true` keeps Last Seen unchanged",
                        call.method
                    ),
                    None,
                ),
            };
            let mut d =
                Diagnostic::new(META.id, severity, span, message, format!("send it as a modifier: `{hint}`"))
                    .with_label("moves Last Seen to now");
            if let Some(fix) = fix {
                d = d.with_fix(fix);
            }
            out.push(d);
        }
    }
}

fn ignore_time_status(call: &Call) -> Status {
    if let Some(modifiers) = &call.modifiers {
        return match &modifiers.kind {
            ValueKind::Object(obj) => object_status(obj),
            ValueKind::Null => Status::Missing,
            ValueKind::Bool(_) | ValueKind::Number(_) | ValueKind::Str(_) => Status::Missing,
            _ => Status::Unknown,
        };
    }
    if let Some(Value { kind: ValueKind::Object(obj), .. }) = call.ip.as_deref()
        && let Some(entry) = obj.get("$ignore_time")
    {
        return Status::InIpSlot(call.ip.as_ref().map(|v| v.span).unwrap_or(entry.key_span));
    }
    match &call.properties {
        Some(Value { kind: ValueKind::Object(obj), .. }) => {
            if call.ignore_time_in_properties {
                return object_status(obj);
            }
            if let Some(entry) = obj.get("$ignore_time") {
                return Status::InProperties(entry.key_span);
            }
            if let Some(entry) = obj.entries.iter().find(|e| is_misspelling(&e.key)) {
                return Status::Misspelled(entry.key_span, entry.key_text.clone());
            }
            Status::Missing
        }
        // Node's `set` reads `$ignore_time` from properties we cannot see.
        Some(_) if call.ignore_time_in_properties => Status::Unknown,
        _ => Status::Missing,
    }
}

fn object_status(obj: &Object) -> Status {
    if let Some(entry) = obj.get("$ignore_time") {
        return match &entry.value.kind {
            ValueKind::Bool(true) => Status::Sent,
            ValueKind::Bool(false) | ValueKind::Null | ValueKind::Str(_) | ValueKind::Number(_) => {
                Status::NotTrue(entry.value.span, entry.value.display())
            }
            _ => Status::Unknown,
        };
    }
    if let Some(entry) = obj.entries.iter().find(|e| is_misspelling(&e.key)) {
        return Status::Misspelled(entry.key_span, entry.key_text.clone());
    }
    if obj.has_spread {
        return Status::Unknown;
    }
    Status::Missing
}

/// `ignore_time`, `ignoreTime`, `$ignoreTime`, `:ignore_time`, `$ignore_tme`: the modifier
/// without its exact spelling (one finding for one slip, from whichever rule owns the call).
pub(super) fn is_misspelling(key: &str) -> bool {
    let letters = key.chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_ascii_lowercase();
    key != "$ignore_time"
        && (letters == "ignoretime"
            || key.starts_with('$') && crate::text::edit_distance(&letters, "ignoretime") == 1)
}

/// Moves a Ruby hash from the `ip` slot to the fourth argument by inserting `nil` before it.
pub(super) fn ip_slot_fix(source: &str, span: Span) -> Option<Fix> {
    let text = source.get(span.start..span.end)?;
    let replacement = if text.trim_start().starts_with('{') {
        format!("nil, {text}")
    } else {
        format!("nil, {{ {text} }}")
    };
    Some(Fix { applicability: Applicability::Safe, span, replacement })
}

/// Whether this rule looks at the call at all: a Mixpanel server-side profile update in a
/// backfill. (misspelled-reserved-property leaves such calls' `$ignore_time` to this rule.)
pub(super) fn in_backfill(file: &FileCalls, call: &Call) -> bool {
    META.kinds.contains(&call.kind)
        && call.platform == Platform::Server
        && call.ignore_time_supported
        && (call_reason(call).is_some()
            || configured_function(call, &Options::of(file.settings).functions).is_some()
            || Options::of(file.settings).paths.is_match(file.config_path)
            || call.context.file_backfill.is_some())
}

/// Why the call's own position makes it a backfill: a rake task, a named method, a record loop.
fn call_reason(call: &Call) -> Option<String> {
    if let Some(task) = &call.context.rake_task {
        return Some(format!("in rake task `{task}`"));
    }
    if let Some(name) = &call.context.function_name
        && crate::context::has_backfill_word(name)
    {
        return Some(format!("in `{name}`"));
    }
    let lp = call.context.enclosing_loop.as_ref()?;
    let over_records = BATCH_METHODS.contains(&lp.method.as_str()) || iterates_records(&lp.iterable);
    over_records.then(|| {
        if lp.iterable.is_empty() {
            format!("inside `{}`", lp.method)
        } else {
            format!("inside a loop over `{}`", lp.iterable)
        }
    })
}

/// A call inside a function whose name matches a configured `functions` regex.
fn configured_function(call: &Call, patterns: &[Pattern]) -> Option<String> {
    let name = call.context.function_name.as_ref()?;
    patterns
        .iter()
        .any(|p| p.0.is_match(name))
        .then(|| format!("in `{name}`, a configured backfill function"))
}

fn iterates_records(iterable: &str) -> bool {
    if iterable.is_empty() {
        return false;
    }
    if QUERY_MARKERS.iter().any(|m| iterable.contains(m)) {
        return true;
    }
    // `users`, `@accounts`, `inactive_members`: the collection's own name.
    let last = iterable
        .rsplit(|c: char| !(c.is_alphanumeric() || c == '_'))
        .find(|s| !s.is_empty())
        .unwrap_or("")
        .to_lowercase();
    RECORD_WORDS.iter().any(|w| last.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_loops() {
        assert!(iterates_records("User.where(active: true)"));
        assert!(iterates_records("User.all"));
        assert!(iterates_records("@users"));
        assert!(iterates_records("inactive_members"));
        assert!(!iterates_records("[1, 2, 3]"));
        assert!(!iterates_records("items"));
        assert!(!iterates_records(""));
    }

    #[test]
    fn misspellings() {
        for k in ["ignore_time", "ignoreTime", "$ignoreTime", "IGNORE_TIME"] {
            assert!(is_misspelling(k), "{k}");
        }
        assert!(!is_misspelling("$ignore_time"));
        assert!(!is_misspelling("ignore"));
    }
}
