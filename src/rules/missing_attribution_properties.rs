//! ## What it does
//! Opt-in. For the events listed in `tracklint.toml`, finds server-side track calls whose
//! properties are a literal object without the first-touch attribution properties (by default
//! `initial_referrer`, `initial_referring_domain`, `utm_source`, `utm_medium`, `utm_campaign`).
//! Properties that spread or merge another object (`{...attribution}`, `props.merge(...)`) or
//! come from a variable are taken to carry them.
//!
//! ## Why is this bad?
//! Server-side events do not carry the browser's referrer and UTM tags on their own; without
//! them, conversions cannot be segmented by acquisition channel.
//!
//! ## Example
//! ```ruby
//! tracker.track(user.id, 'Subscription Started', 'plan' => plan)
//! ```
//!
//! Use instead:
//! ```ruby
//! tracker.track(user.id, 'Subscription Started', user.attribution.merge('plan' => plan))
//! ```
//!
//! ## Fix safety
//! No automatic fix: the attribution has to be stored at sign-up first.

use super::{FileCalls, FixAvailability, Rule, RuleMeta, Scope};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{CallKind, Platform, ValueKind};

pub struct MissingAttributionProperties;

static META: RuleMeta = RuleMeta {
    id: "missing-attribution-properties",
    module: module_path!(),
    practice: 4,
    default_severity: Severity::Warning,
    summary: "Configured server-side events carry first-touch attribution (referrer, UTM tags)",
    fix: FixAvailability::None,
    kinds: &[CallKind::Track, CallKind::Import],
    scope: Scope::File,
    options: &OPTIONS,
};

super::options::rule_options! {
    /// The server-side events (exact names) that must carry first-touch attribution; without
    /// any the rule does nothing.
    #[example = "[\"Subscription Started\"]"]
    events: Vec<String> = Vec::new(),
    /// The first-touch properties those events must carry.
    #[example = "[\"initial_referrer\", \"utm_source\"]"]
    properties: Vec<String> = DEFAULT_PROPERTIES.iter().map(|p| p.to_string()).collect(),
}

/// The first-touch properties asked for by default.
const DEFAULT_PROPERTIES: &[&str] =
    &["initial_referrer", "initial_referring_domain", "utm_source", "utm_medium", "utm_campaign"];

impl Rule for MissingAttributionProperties {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_file(&self, file: &FileCalls, severity: Severity, out: &mut Vec<Diagnostic>) {
        let options = Options::of(file.settings);
        if options.events.is_empty() {
            return;
        }
        for call in file.calls.iter().filter(|c| c.kind.is_event() && c.platform == Platform::Server) {
            let Some(event) = &call.event else { continue };
            let ValueKind::Str(name) = &event.kind else { continue };
            if !options.events.iter().any(|e| e == name) {
                continue;
            }
            let missing: Vec<&str> = match call.properties.as_ref().map(|p| &p.kind) {
                None | Some(ValueKind::Null) => options.properties.iter().map(String::as_str).collect(),
                Some(ValueKind::Object(obj)) if !obj.has_spread => {
                    options.properties.iter().map(String::as_str).filter(|p| obj.get(p).is_none()).collect()
                }
                _ => continue,
            };
            if missing.is_empty() {
                continue;
            }
            let span = call.properties.as_ref().map_or(call.span, |p| p.span);
            out.push(Diagnostic::new(
                META.id,
                severity,
                span,
                format!("`{name}` is sent without first-touch attribution ({})", missing.join(", ")),
                "store the referrer and UTM tags at sign-up and merge them into this event's properties"
                    .to_string(),
            ));
        }
    }
}
