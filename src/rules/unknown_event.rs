//! ## What it does
//! With a tracking plan (`check --plan PLAN`, or `plan = "..."` in `tracklint.toml`), finds
//! events tracked in code that the plan does not list, and events the plan marks `deprecated`,
//! `removed`, `retired`, `deleted` or `blocked`. Only literal event names are compared; `$` events never fire.
//!
//! ## Why is this bad?
//! An event outside the plan is one nobody has agreed on: it has no owner, no definition and no
//! place in the reports, and it is often a typo of a planned one.
//!
//! ## Example
//! ```ruby
//! tracker.track(user.id, 'Signed Up Completed')   # the plan says `User Signed Up`
//! ```
//!
//! Use instead:
//! ```ruby
//! tracker.track(user.id, 'User Signed Up')
//! ```
//!
//! ## Fix safety
//! No automatic fix: either the code or the plan is wrong. `tracklint events --format csv`
//! writes a plan from the code to start one.

use super::RuleSettings;
use super::{FixAvailability, ProjectCalls, Rule, RuleMeta, Scope};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::CallKind;

pub struct UnknownEvent;

static META: RuleMeta = RuleMeta {
    id: "unknown-event",
    module: module_path!(),
    practice: 1,
    default_severity: Severity::Warning,
    summary: "With a tracking plan: every tracked event is in the plan and not deprecated",
    fix: FixAvailability::None,
    kinds: &[CallKind::Track, CallKind::Import],
    scope: Scope::Project,
    options: &super::options::NO_OPTIONS,
};

impl Rule for UnknownEvent {
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
        let plan_name = crate::text::display_path(&plan.path);
        for (f, call, name) in project.literal_events() {
            let Some(event) = &call.event else { continue };
            let (message, help) = match plan.get(name) {
                Some(entry) if entry.is_retired() => (
                    format!(
                        "`{name}` is {} in the tracking plan {plan_name}",
                        entry.status.as_deref().unwrap_or_default().to_ascii_lowercase()
                    ),
                    "stop tracking it, or track its replacement from the plan".to_string(),
                ),
                Some(_) => continue,
                None => {
                    let close = plan.get_normalized(name);
                    (
                        format!("`{name}` is not in the tracking plan {plan_name}"),
                        match close {
                            Some(e) => format!("the plan has `{}`: use that spelling", e.name),
                            None => "add it to the plan, or track an event the plan lists".to_string(),
                        },
                    )
                }
            };
            out.push((
                f,
                Diagnostic::new(META.id, severity, event.span, message, help).with_label("not in the plan"),
            ));
        }
    }
}
