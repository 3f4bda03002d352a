//! ## What it does
//! Checks that the event name of a `track` call is a readable phrase (`User Signed Up`,
//! `Viewed Home Page`, `Contribution confirmed`) and not a machine-style identifier: snake_case,
//! SCREAMING_CASE, kebab-case, camelCase/PascalCase words, dotted or slash paths, colon
//! namespaces, a lone lower-case word, all caps, or stray whitespace.
//!
//! Only string literals are checked: interpolated or computed names are left alone, and
//! Mixpanel's own `$`-prefixed events (`$mp_web_page_view`) never fire. Short acronyms inside a
//! phrase (`SMS Code Sent`, `iOS App Opened`) and brand names (`GitHub`) are fine.
//!
//! ## Why is this bad?
//! Funnels, reports and Lexicon are read by people. `signed_up`, `SignedUp` and `signed-up` are
//! three different events to Mixpanel, and machine-style names slow down every analysis.
//!
//! ## Example
//! ```ruby
//! tracker.track(user.id, 'signed_up')
//! ```
//!
//! Use instead:
//! ```ruby
//! tracker.track(user.id, 'Signed Up')
//! ```
//!
//! ## Fix safety
//! The suggested rewrite (`signed_up` → `Signed Up`) is **unsafe**: renaming an event splits its
//! history in the analytics project. Rename it in Lexicon too, or merge the two names there.
//!
//! ## Options
//! The default style is `readable` (Title Case or Sentence case phrases).

use super::{FileCalls, FixAvailability, Rule, RuleMeta};
use crate::diagnostic::{Applicability, Diagnostic, Fix, Severity};
use crate::model::{CallKind, ValueKind};
use crate::naming::{readable_problem, to_title_phrase};

pub struct EventNameStyle;

static META: RuleMeta = RuleMeta {
    id: "event-name-style",
    module: "event_name_style",
    practice: 1,
    default_severity: Severity::Warning,
    summary: "Event names are readable phrases such as `User Signed Up`, not `signed_up`",
    fix: FixAvailability::Sometimes,
    kinds: &[CallKind::Track, CallKind::Import, CallKind::TimeEvent],
};

impl Rule for EventNameStyle {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_file(&self, file: &FileCalls, severity: Severity, out: &mut Vec<Diagnostic>) {
        for call in file.calls.iter().filter(|c| META.kinds.contains(&c.kind)) {
            let Some(event) = &call.event else { continue };
            let ValueKind::Str(name) = &event.kind else { continue };
            if name.starts_with('$') {
                continue;
            }
            let Some(problem) = readable_problem(name) else { continue };
            let suggestion = to_title_phrase(name);
            let mut help = if suggestion.is_empty() {
                "name the event with a readable phrase such as `User Signed Up`".to_string()
            } else {
                format!("rename it to `{suggestion}`")
            };
            help.push_str(" (renaming splits the event's history in Mixpanel; see `tracklint explain event-name-style`)");
            let mut d = Diagnostic::new(
                META.id,
                severity,
                event.span,
                format!("`{name}` is not a readable event name: it {problem}"),
                help,
            );
            if let Some(replacement) = requote(file.source, event.span, &suggestion) {
                d = d.with_fix(Fix { applicability: Applicability::Unsafe, span: event.span, replacement });
            }
            out.push(d);
        }
    }
}

/// The new name as a literal in the original quote style; `None` when that cannot be done simply.
fn requote(source: &str, span: crate::model::Span, name: &str) -> Option<String> {
    if name.is_empty() {
        return None;
    }
    let original = source.get(span.start..span.end)?;
    let quote = match original.chars().next()? {
        q @ ('\'' | '"' | '`') => q,
        // A Ruby symbol (`:signed_up`) becomes a string; Mixpanel receives the same JSON.
        ':' => '\'',
        _ => return None,
    };
    if name.contains(quote) || name.contains('\\') || (quote != '\'' && name.contains(['#', '$'])) {
        return None;
    }
    Some(format!("{quote}{name}{quote}"))
}
