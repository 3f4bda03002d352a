//! ## What it does
//! With a tracking plan that lists required properties for an event, finds calls of that event
//! whose properties are a literal object (no spread or merge of something unseen) without one
//! of them, or that send no properties at all. Properties passed in a variable are not
//! reported: their keys are not visible.
//!
//! ## Why is this bad?
//! Reports built on a required property (revenue by plan, sign-ups by channel) silently drop
//! every event that lacks it.
//!
//! ## Example
//! ```js
//! mixpanel.track('Order Completed', { total })   // the plan requires revenue and currency
//! ```
//!
//! Use instead:
//! ```js
//! mixpanel.track('Order Completed', { revenue: total, currency })
//! ```
//!
//! ## Fix safety
//! No automatic fix: the values live in the application.

use super::RuleSettings;
use super::{FixAvailability, ProjectCalls, Rule, RuleMeta, Scope};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{CallKind, ValueKind};

pub struct MissingRequiredProperty;

static META: RuleMeta = RuleMeta {
    id: "missing-required-property",
    module: module_path!(),
    practice: 1,
    default_severity: Severity::Warning,
    summary: "With a tracking plan: events carry the properties the plan requires",
    fix: FixAvailability::None,
    kinds: &[CallKind::Track, CallKind::Import],
    scope: Scope::Project,
    options: &super::options::NO_OPTIONS,
};

impl Rule for MissingRequiredProperty {
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
        for (f, call, name) in project.literal_events() {
            let Some(entry) = plan.get(name).filter(|e| !e.required.is_empty()) else { continue };
            let missing: Vec<&str> = match call.properties.as_ref().map(|p| &p.kind) {
                None | Some(ValueKind::Null) => entry.required.iter().map(String::as_str).collect(),
                Some(ValueKind::Object(obj)) if !obj.has_spread => {
                    entry.required.iter().map(String::as_str).filter(|r| obj.get(r).is_none()).collect()
                }
                // A variable, a merge, a call: its keys are not visible.
                _ => continue,
            };
            if missing.is_empty() {
                continue;
            }
            let span = call.properties.as_ref().map_or(call.span, |p| p.span);
            let list = missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ");
            out.push((
                f,
                Diagnostic::new(
                    META.id,
                    severity,
                    span,
                    format!("`{name}` is sent without {list}, which the tracking plan requires"),
                    format!("add {list} to the properties"),
                )
                .with_label("missing required properties"),
            ));
        }
    }
}
