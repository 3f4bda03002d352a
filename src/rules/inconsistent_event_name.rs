//! ## What it does
//! Finds one event spelled several ways across the project: `User Signed Up`, `user signed up`,
//! `User signed up`, `User Signed-Up` are compared with case, separators and whitespace
//! ignored. Among the spellings that follow the configured naming style, the one used most
//! often (the first one found, on a tie) is taken as the project's; every other such spelling
//! is reported where it is tracked, with the count and the first place of the chosen one.
//! Spellings that break the style (`user_signed_up`) are `event-name-style`'s to report, with
//! the same suggestion, so nothing is reported twice or with conflicting advice. Only literal
//! names count; `$` events never do.
//!
//! ## Why is this bad?
//! Event names are case- and spelling-sensitive: each variant is a separate event, so funnels
//! and counts built on one silently miss the others.
//!
//! ## Example
//! ```ruby
//! tracker.track(user.id, 'User Signed Up')   # app/models/user.rb
//! tracker.track(user.id, 'user signed up')   # app/controllers/signups_controller.rb
//! ```
//!
//! Use instead:
//! ```ruby
//! tracker.track(user.id, 'User Signed Up')   # everywhere
//! ```
//!
//! ## Fix safety
//! The fix rewrites the variant into the project's spelling and is **unsafe**: the variant's
//! history stays under the old name in the analytics project (merge them in Lexicon).

use super::RuleSettings;
use super::{FixAvailability, ProjectCalls, Rule, RuleMeta};
use crate::diagnostic::{Applicability, Diagnostic, Fix, Severity};
use crate::model::{CallKind, Span};
use crate::naming::{NameStyle, normalize, readable_problem};
use std::collections::BTreeMap;

pub struct InconsistentEventName;

static META: RuleMeta = RuleMeta {
    id: "inconsistent-event-name",
    module: module_path!(),
    practice: 1,
    default_severity: Severity::Warning,
    summary: "One event has one spelling across the project (not `User Signed Up` and `user signed up`)",
    fix: FixAvailability::Sometimes,
    kinds: &[CallKind::Track, CallKind::Import],
    scope: super::Scope::Project,
    options: &super::options::NO_OPTIONS,
};

/// Each spelling of one normalized name, with its places (file, span) in path order.
type Spellings<'a> = BTreeMap<&'a str, Vec<(usize, Span)>>;

impl Rule for InconsistentEventName {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_project(
        &self,
        project: &ProjectCalls,
        settings: &RuleSettings,
        severity: Severity,
        out: &mut Vec<(usize, Diagnostic)>,
    ) {
        let style = super::event_name_style::Options::of(settings);
        let conforms = |name: &str| match &style.pattern {
            Some(pattern) => pattern.0.is_match(name),
            None => match style.style.unwrap_or(NameStyle::Readable) {
                NameStyle::Readable => readable_problem(name).is_none(),
                chosen => chosen.problem(name).is_none(),
            },
        } || style.allow.iter().any(|r| r.0.is_match(name));
        let mut groups: BTreeMap<String, Spellings> = BTreeMap::new();
        let mut order: Vec<(usize, Span)> = Vec::new();
        for (f, call, name) in project.literal_events() {
            let Some(event) = &call.event else { continue };
            if name.trim().is_empty() || !conforms(name) {
                continue;
            }
            groups.entry(normalize(name)).or_default().entry(name).or_default().push((f, event.span));
            order.push((f, event.span));
        }
        let first_seen = |places: &[(usize, Span)]| {
            places.iter().filter_map(|p| order.iter().position(|o| o == p)).min().unwrap_or(usize::MAX)
        };
        for spellings in groups.values().filter(|g| g.len() > 1) {
            let Some((&canonical, places)) = spellings
                .iter()
                .max_by(|a, b| a.1.len().cmp(&b.1.len()).then_with(|| first_seen(b.1).cmp(&first_seen(a.1))))
            else {
                continue;
            };
            let Some(&(cf, cspan)) = places.first() else { continue };
            let where_ = format!(
                "{}:{}",
                crate::text::display_path(project.files[cf].path),
                project.files[cf].line_of(cspan.start)
            );
            for (&spelling, variant_places) in spellings.iter().filter(|(s, _)| **s != canonical) {
                for &(f, span) in variant_places {
                    let message = format!(
                        "`{spelling}` is also spelled `{canonical}` ({} call{}, first at {where_}): they are two different events",
                        places.len(),
                        if places.len() == 1 { "" } else { "s" }
                    );
                    let help = format!("use one spelling everywhere: `{canonical}`");
                    let mut d = Diagnostic::new(META.id, severity, span, message, help)
                        .with_label("another spelling of the same event");
                    d = project.relate(d, f, cf, cspan, &format!("spelled `{canonical}` here"));
                    if let Some(replacement) = super::requote(project.files[f].source, span, canonical) {
                        d = d.with_fix(Fix { applicability: Applicability::Unsafe, span, replacement });
                    }
                    out.push((f, d));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn spellings_of_one_event_normalize_alike() {
        let n = crate::naming::normalize;
        assert_eq!(n("User Signed Up"), "user signed up");
        for variant in [
            "user signed up",
            "User signed up",
            "User Signed-Up",
            "user_signed_up",
            "userSignedUp",
            "User  Signed Up",
        ] {
            assert_eq!(n(variant), "user signed up", "{variant}");
        }
        assert_ne!(n("User Signed In"), n("User Signed Up"));
    }
}
