//! ## What it does
//! Reports a `tracklint: ignore[rule-id]` (or `ignore-file[rule-id]`) comment that suppresses
//! nothing: the rule no longer fires there, the rule is off, or the id is not a rule at all.
//!
//! ## Why is this bad?
//! Stale suppressions hide the next real finding on that line and tell readers a problem
//! exists where there is none. Like ruff's `RUF100`, tracklint keeps them honest.
//!
//! ## Example
//! ```ruby
//! tracker.track(user.id, 'User Signed Up') # tracklint: ignore[event-name-style] legacy name
//! ```
//!
//! Use instead:
//! ```ruby
//! tracker.track(user.id, 'User Signed Up')
//! ```
//!
//! ## Fix safety
//! No automatic fix: delete the comment, or the id from its list.
//!
//! ## Notes
//! Suppression syntax: in a comment on the
//! finding's line or the line before, `tracklint: ignore[rule-a, rule-b] reason`; anywhere in
//! the file, `tracklint: ignore-file[rule-a]`. Ruby and Python `#`, JavaScript, TypeScript and
//! Rust `//` or `/* */`.

use super::{FileCalls, FixAvailability, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::suppress::Suppression;

pub struct UnusedSuppression;

pub static META: RuleMeta = RuleMeta {
    id: "unused-suppression",
    module: module_path!(),
    // Not one of the ten practices: it keeps suppressions honest.
    practice: 0,
    default_severity: Severity::Warning,
    summary: "A `tracklint: ignore[...]` comment that suppresses nothing",
    fix: FixAvailability::None,
    kinds: &[],
    scope: super::Scope::File,
    options: &super::options::NO_OPTIONS,
};

impl Rule for UnusedSuppression {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Runs after every other rule ([`report`]), where the suppressions and what they matched
    /// are known; there is nothing to do per call.
    fn check_file(&self, _file: &FileCalls, _severity: Severity, _out: &mut Vec<Diagnostic>) {}
}

/// Reports each suppression entry that matched nothing (`used` as [`crate::suppress::apply`]
/// answered), with a "did you mean" for an id that is no rule's. `custom` are the ids of the
/// config's custom rules.
pub fn report(
    suppressions: &[Suppression],
    used: &[Vec<bool>],
    settings: &super::RuleSettings,
    custom: &[&str],
    diagnostics: &mut Vec<Diagnostic>,
) {
    let Some(severity) = settings.severity(META.id, META.default_severity) else { return };
    let mut known: Vec<&str> = super::RULES.iter().map(|r| r.meta().id).collect();
    known.extend(custom);
    for s in suppressions {
        if let Some(span) = s.bare {
            diagnostics.push(Diagnostic::new(
                META.id,
                severity,
                span,
                "`tracklint: ignore` without rule ids suppresses nothing".to_string(),
                "name the rules it is for: `tracklint: ignore[rule-id] reason` (`tracklint rules` lists the ids)"
                    .to_string(),
            ));
        }
    }
    for (s, used) in suppressions.iter().zip(used) {
        for ((rule, span), used) in s.rules.iter().zip(used) {
            if *used || rule == META.id {
                continue;
            }
            let (message, help) = if known.contains(&rule.as_str()) {
                (
                    format!("this suppression of `{rule}` suppresses nothing"),
                    "remove it: the rule does not fire here (any more)".to_string(),
                )
            } else {
                let hint = crate::text::closest(rule, &known)
                    .map(|c| format!("did you mean `{c}`? "))
                    .unwrap_or_default();
                (
                    format!("`{rule}` is not a rule id, so this suppression suppresses nothing"),
                    format!("{hint}`tracklint rules` lists the ids"),
                )
            };
            diagnostics.push(Diagnostic::new(META.id, severity, *span, message, help));
        }
    }
}
