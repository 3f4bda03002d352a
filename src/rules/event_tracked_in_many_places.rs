//! ## What it does
//! Finds an event tracked from both browser code (a browser SDK: mixpanel-browser, posthog-js,
//! Segment's analytics.js, Amplitude's browser SDK) and server code, and reports the browser
//! call sites with the server ones listed. With the `max-places` option, it also reports an
//! event tracked from more call sites than that, at its first call, listing them all.
//! Only literal event names count.
//!
//! ## Why is this bad?
//! The same event sent from two places double counts, or the two drift apart (different
//! properties, one of them blocked by an ad blocker). Key events belong in one place, preferably
//! the backend, where they cannot be blocked and the data is authoritative.
//!
//! ## Example
//! ```js
//! mixpanel.track('Order Completed') // web/checkout.js, while app/models/order.rb tracks it too
//! ```
//!
//! Use instead:
//! ```ruby
//! tracker.track(order.user_id, 'Order Completed') # only on the server, once
//! ```
//!
//! ## Fix safety
//! No automatic fix: which place to keep is a product decision.

use super::RuleSettings;
use super::{FixAvailability, ProjectCalls, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{CallKind, Platform, Span};
use crate::text::display_path;
use std::collections::BTreeMap;

pub struct EventTrackedInManyPlaces;

static META: RuleMeta = RuleMeta {
    id: "event-tracked-in-many-places",
    module: module_path!(),
    practice: 2,
    default_severity: Severity::Info,
    summary: "Each event is tracked in one place, not from both the browser and the server",
    fix: FixAvailability::None,
    kinds: &[CallKind::Track, CallKind::Import],
    scope: super::Scope::Project,
    options: &OPTIONS,
};

super::options::rule_options! {
    /// Also report events tracked from more call sites than this (off when unset).
    #[example = "3"]
    max_places: Option<usize> = None,
}

/// A list of places, cut to a readable length.
fn places_text(project: &ProjectCalls, places: &[(usize, Span, Platform)]) -> String {
    let mut shown: Vec<String> = places
        .iter()
        .take(5)
        .map(|&(f, span, _)| {
            format!("{}:{}", display_path(project.files[f].path), project.files[f].line_of(span.start))
        })
        .collect();
    if places.len() > 5 {
        shown.push(format!("and {} more", places.len() - 5));
    }
    shown.join(", ")
}

impl Rule for EventTrackedInManyPlaces {
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
        let mut by_name: BTreeMap<&str, Vec<(usize, Span, Platform)>> = BTreeMap::new();
        for (f, call, name) in project.literal_events() {
            by_name.entry(name).or_default().push((f, call.span, call.platform));
        }
        for (name, places) in &by_name {
            let server: Vec<_> = places.iter().copied().filter(|p| p.2 == Platform::Server).collect();
            let browser: Vec<_> = places.iter().copied().filter(|p| p.2 == Platform::Browser).collect();
            if !server.is_empty() && !browser.is_empty() {
                let server_text = places_text(project, &server);
                for &(f, span, _) in &browser {
                    let mut d = Diagnostic::new(
                        META.id,
                        severity,
                        span,
                        format!("`{name}` is tracked both here in the browser and on the server ({server_text}): it is counted twice or the two drift apart"),
                        "track it in one place, preferably the server, and remove the other".to_string(),
                    )
                    .with_label("also tracked on the server");
                    for &(sf, sspan, _) in server.iter().take(5) {
                        d = project.relate(d, f, sf, sspan, "tracked on the server here");
                    }
                    out.push((f, d));
                }
                continue;
            }
            if let Some(max) = Options::of(settings).max_places
                && places.len() > max
                && let Some(&(f, span, _)) = places.first()
            {
                let mut d = Diagnostic::new(
                    META.id,
                    severity,
                    span,
                    format!(
                        "`{name}` is tracked from {} places (more than {max}): {}",
                        places.len(),
                        places_text(project, places)
                    ),
                    "track the event where it happens once (a model callback, a service) and call that"
                        .to_string(),
                );
                for &(pf, pspan, _) in places.iter().skip(1).take(5) {
                    d = project.relate(d, f, pf, pspan, "also tracked here");
                }
                out.push((f, d));
            }
        }
    }
}
