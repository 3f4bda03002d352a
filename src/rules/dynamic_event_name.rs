//! ## What it does
//! Finds event names built at run time: interpolation (`"#{feature} Viewed"`,
//! `` `Clicked ${id}` ``, f-strings, ERB/Django tags inside a script's string), concatenation
//! (`'Viewed ' + page`), `%` and `format!` formatting. A name held in a variable, parameter or
//! constant is not reported: it is one name, defined elsewhere. String constants defined in
//! the project (`EVENT_SIGNED_UP = 'signed_up'`, `Events::SIGNED_UP`, JS
//! `const EVENTS = { SIGNED_UP: '...' }`, Python `SIGNED_UP = '...'`, Rust `const`) are read
//! as their value, so `event-name-style` and the other rules check the name they hold.
//!
//! ## Why is this bad?
//! Every distinct value becomes its own event: the project fills with `Viewed Pricing`,
//! `Viewed pricing`, `Viewed 1234`, no report can group them, and the event list becomes
//! unusable. The varying part belongs in a property.
//!
//! ## Example
//! ```js
//! mixpanel.track(`${page} Viewed`)
//! ```
//!
//! Use instead:
//! ```js
//! mixpanel.track('Page Viewed', { page })
//! ```
//!
//! ## Fix safety
//! No automatic fix: which property should carry the varying part is a design decision.

use super::{FileCalls, FixAvailability, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{CallKind, ValueKind};

pub struct DynamicEventName;

static META: RuleMeta = RuleMeta {
    id: "dynamic-event-name",
    module: module_path!(),
    practice: 1,
    default_severity: Severity::Warning,
    summary: "Event names are fixed strings; the varying part goes in a property",
    fix: FixAvailability::None,
    kinds: &[CallKind::Track, CallKind::Import, CallKind::TimeEvent],
    scope: super::Scope::File,
    options: &super::options::NO_OPTIONS,
};

impl Rule for DynamicEventName {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_file(&self, file: &FileCalls, severity: Severity, out: &mut Vec<Diagnostic>) {
        for call in file.calls_for(&META) {
            // A wrapper passing its parameter on: the name is checked where the wrapper is called.
            if call.event_from_parameter {
                continue;
            }
            let Some(event) = &call.event else { continue };
            let ValueKind::Template(t) = &event.kind else { continue };
            let fixed: String = t.static_parts.concat();
            let shape = event.display();
            let help = if fixed.trim().is_empty() {
                "use a fixed event name and send the value as a property".to_string()
            } else {
                format!(
                    "use a fixed name such as `{}` and send the varying part as a property",
                    fixed.split_whitespace().collect::<Vec<_>>().join(" ")
                )
            };
            out.push(
                Diagnostic::new(
                    META.id,
                    severity,
                    event.span,
                    format!("the event name `{shape}` is built at run time: every distinct value becomes its own event"),
                    help,
                )
                .with_label("built at run time"),
            );
        }
    }
}
