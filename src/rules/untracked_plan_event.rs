//! ## What it does
//! With a tracking plan, lists the plan's events that no call in the checked code tracks
//! (deprecated and removed ones excepted). Events tracked with a computed name cannot be seen,
//! so a project with dynamic event names may get entries here that are in fact tracked.
//!
//! ## Why is this bad?
//! A planned event that is never sent leaves a hole in every report that expects it; often the
//! code tracks it under another spelling.
//!
//! ## Example
//! ```text
//! event,required_properties,status
//! Trial Started,,active        <- nothing tracks `Trial Started`
//! ```
//!
//! Use instead:
//! ```ruby
//! tracker.track(user.id, 'Trial Started')
//! ```
//!
//! ## Fix safety
//! No automatic fix: the event has to be instrumented, or removed from the plan.

use super::RuleSettings;
use super::{FixAvailability, ProjectCalls, Rule, RuleMeta, Scope};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::CallKind;
use std::collections::HashSet;

pub struct UntrackedPlanEvent;

static META: RuleMeta = RuleMeta {
    id: "untracked-plan-event",
    module: module_path!(),
    practice: 1,
    default_severity: Severity::Info,
    summary: "With a tracking plan: every planned event is tracked somewhere",
    fix: FixAvailability::None,
    kinds: &[CallKind::Track, CallKind::Import],
    scope: Scope::Project,
    options: &super::options::NO_OPTIONS,
};

impl Rule for UntrackedPlanEvent {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_project(
        &self,
        project: &ProjectCalls,
        _settings: &RuleSettings,
        severity: Severity,
        out: &mut Vec<(usize, Diagnostic)>,
    ) {
        let Some(plan) = project.plan else { return };
        let tracked: HashSet<&str> = project.literal_events().map(|(_, _, name)| name).collect();
        for entry in &plan.events {
            if entry.is_retired() || tracked.contains(entry.name.as_str()) {
                continue;
            }
            out.push((
                project.files.len(),
                Diagnostic::new(
                    META.id,
                    severity,
                    entry.span,
                    format!(
                        "`{}` is in the tracking plan but no call in the checked code tracks it",
                        entry.name
                    ),
                    "instrument it, or mark it deprecated in the plan".to_string(),
                ),
            ));
        }
    }
}
