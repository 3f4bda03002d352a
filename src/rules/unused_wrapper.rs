//! ## What it does
//! Reports a `[[wrappers]]` entry in `tracklint.toml` that matches no call anywhere in the
//! checked project: its `receiver`, `method` or `language` does not fit how the code calls it.
//!
//! ## Why is this bad?
//! A wrapper is declared so that every call through the team's own tracking function is
//! checked. An entry that matches nothing looks like coverage and gives none: every call it was
//! meant for goes unchecked, silently. Like `unused-suppression`, tracklint keeps the
//! configuration honest.
//!
//! ## Example
//! ```toml
//! [[wrappers]]
//! language = "ruby"
//! receiver = "Analytic"   # the module is `Analytics`
//! method = "track_event"
//! kind = "track"
//! event = 2
//! ```
//!
//! Use instead:
//! ```toml
//! [[wrappers]]
//! language = "ruby"
//! receiver = "Analytics"
//! method = "track_event"
//! kind = "track"
//! event = 2
//! ```
//!
//! ## Fix safety
//! No automatic fix: correct the entry (`tracklint events` lists the calls found, with the
//! wrapper they went through), or delete it.
//!
//! ## Notes
//! It runs when the whole project of the config
//! is checked (the config's directory or one above it), not on a subset of files, where an
//! unused entry says nothing.

use super::{FixAvailability, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Shared, Span};

pub struct UnusedWrapper;

pub static META: RuleMeta = RuleMeta {
    id: "unused-wrapper",
    module: module_path!(),
    // Not one of the ten practices: it keeps the configuration honest.
    practice: 0,
    default_severity: Severity::Warning,
    summary: "A `[[wrappers]]` entry in tracklint.toml that matches no call",
    fix: FixAvailability::None,
    kinds: &[],
    scope: super::Scope::Project,
    options: &super::options::NO_OPTIONS,
};

impl Rule for UnusedWrapper {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
}

/// The declared wrappers no call went through, as findings in the config file.
pub fn check(
    declared: &[crate::model::DeclaredWrapper],
    methods_called: &std::collections::HashSet<(Shared, Shared)>,
    severity: Severity,
) -> Vec<Diagnostic> {
    let used: std::collections::HashSet<(&str, &str)> =
        methods_called.iter().map(|(sdk, method)| (sdk.as_str(), method.as_str())).collect();
    let mut out = Vec::new();
    for d in declared {
        if used.contains(&(d.sdk.as_str(), d.method.as_str())) {
            continue;
        }
        out.push(
            Diagnostic::new(
                META.id,
                severity,
                Span::new(d.span.start, d.span.end),
                format!(
                    "the wrapper `{}` ({}) matches no call in the project: the calls it was declared for are not checked",
                    d.shown, d.language
                ),
                "compare its `receiver`, `method` and `language` with a call site (`tracklint events` lists what is found), or delete the entry".to_string(),
            )
            .with_label("matches no call"),
        );
    }
    out
}
