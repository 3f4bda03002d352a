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
//! ## Options
//! Only `severity` in `[rules.unused-suppression]`. Suppression syntax: in a comment on the
//! finding's line or the line before, `tracklint: ignore[rule-a, rule-b] reason`; anywhere in
//! the file, `tracklint: ignore-file[rule-a]`. Ruby and Python `#`, JavaScript, TypeScript and
//! Rust `//` or `/* */`.

use super::{FileCalls, FixAvailability, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};

pub struct UnusedSuppression;

pub static META: RuleMeta = RuleMeta {
    id: "unused-suppression",
    module: "unused_suppression",
    // Not one of the ten practices: it keeps suppressions honest.
    practice: 0,
    default_severity: Severity::Warning,
    summary: "A `tracklint: ignore[...]` comment that suppresses nothing",
    fix: FixAvailability::None,
    kinds: &[],
    scope: super::Scope::File,
};

impl Rule for UnusedSuppression {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Runs after every other rule, in [`crate::suppress::apply`], where the suppressions and
    /// what they matched are known; there is nothing to do per call.
    fn check_file(&self, _file: &FileCalls, _severity: Severity, _out: &mut Vec<Diagnostic>) {}
}
