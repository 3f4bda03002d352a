//! ## What it does
//! Checks that the event name of a `track` call is a readable phrase (`User Signed Up`,
//! `Viewed Home Page`, `Contribution confirmed`) and not a machine-style identifier: snake_case,
//! SCREAMING_CASE, kebab-case, camelCase/PascalCase words, dotted or slash paths, colon
//! namespaces, a lone lower-case word, all caps, or stray whitespace.
//!
//! A vendor that documents lowercase snake_case names (PostHog: `user_signed_up`, with optional
//! `category:` prefixes) is held to its own advice: such names pass there, and the suggested
//! rename of a machine-style name is snake_case (`signedUp` → `signed_up`), not a phrase.
//! A name one call sends to two SDKs (a wrapper calling Firebase and Mixpanel) cannot follow
//! both conventions: it passes when one of them documents its snake case, and a name neither
//! allows is one finding, not one per SDK.
//!
//! Only string literals are checked: interpolated or computed names are left alone, and
//! Mixpanel's own `$`-prefixed events (`$mp_web_page_view`) never fire. Short acronyms inside a
//! phrase (`SMS Code Sent`, `iOS App Opened`) and brand names (`GitHub`) are fine.
//!
//! ## Why is this bad?
//! Funnels, reports and Lexicon are read by people. `signed_up`, `SignedUp` and `signed-up` are
//! three different events to Mixpanel, and machine-style names slow down every analysis.
//!
//! ## Example
//! ```ruby
//! tracker.track(user.id, 'signed_up')
//! ```
//!
//! Use instead:
//! ```ruby
//! tracker.track(user.id, 'Signed Up')
//! ```
//!
//! ## Fix safety
//! The suggested rewrite (`signed_up` → `Signed Up`) is **unsafe**: renaming an event splits its
//! history in the analytics project. Rename it in Lexicon too, or merge the two names there.

use super::options::Pattern;
use super::{FileCalls, FixAvailability, Rule, RuleMeta};
use crate::diagnostic::{Applicability, Diagnostic, Fix, Severity};
use crate::model::{CallKind, ValueKind};
use crate::naming::{NameStyle, readable_problem};

pub struct EventNameStyle;

static META: RuleMeta = RuleMeta {
    id: "event-name-style",
    module: module_path!(),
    practice: 1,
    default_severity: Severity::Warning,
    summary: "Event names are readable phrases such as `User Signed Up`, not `signed_up`",
    fix: FixAvailability::Sometimes,
    kinds: &[CallKind::Track, CallKind::Import, CallKind::TimeEvent],
    scope: super::Scope::File,
    options: &OPTIONS,
};

super::options::rule_options! {
    replaces: [("style", "pattern")],
    /// The naming convention: `readable` (Title Case or Sentence case phrases), `title` (`User
    /// Signed Up`), `sentence` (`User signed up`), `snake` (`user_signed_up`), `camel`
    /// (`userSignedUp`), `kebab` (`user-signed-up`) or `object-action-title` (Segment's `Order
    /// Completed`). Unset, each call is held to its vendor's documented convention: readable
    /// names, and PostHog's lowercase `category:object_action` too.
    #[example = "\"readable\""]
    style: Option<NameStyle> = None,
    /// A regex every name must match, instead of a style (PostHog's `category:object_action` is
    /// `"^[a-z]+:[a-z]+_[a-z]+$"`). Setting `style` in an override drops it there.
    #[example = "\"^[A-Z][a-z]+( [A-Z][a-z]+)*$\""]
    pattern: Option<Pattern> = None,
    /// Regexes of names that always pass.
    #[example = "[\"^Legacy \"]"]
    allow: Vec<Pattern> = Vec::new(),
    /// A convention per SDK (profile id, as `tracklint events` names it), over `style` and
    /// `pattern` for that SDK's calls: a project whose browser events are PostHog snake case
    /// and whose server events are readable Mixpanel names. `tracklint init` writes it when
    /// the SDKs' names follow different conventions.
    #[example = "{ posthog-js = \"snake\" }"]
    sdk_styles: std::collections::BTreeMap<String, NameStyle> = Default::default(),
}

/// `pricing_page_viewed`, `signup_flow:pricing_page_viewed`: PostHog's own convention.
fn is_snake_with_categories(name: &str) -> bool {
    let word = |w: &str| {
        !w.is_empty()
            && w.starts_with(|c: char| c.is_ascii_lowercase())
            && w.split('_')
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()))
    };
    name.split(':').all(word)
}

impl Rule for EventNameStyle {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_file(&self, file: &FileCalls, severity: Severity, out: &mut Vec<Diagnostic>) {
        let options = Options::of(file.settings);
        // One name sent to two SDKs (a wrapper calling Firebase and Mixpanel) cannot follow both
        // vendors' conventions: where one of them documents the name's snake case, it passes.
        let snake_accepted: std::collections::HashSet<crate::model::Span> = file
            .calls_for(&META)
            .filter(|c| {
                c.snake_case_events
                    && options.sdk_styles.get(c.sdk.as_str()).or(options.style.as_ref()).is_none()
            })
            .filter_map(|c| c.event.as_ref())
            .filter(|e| matches!(&e.kind, ValueKind::Str(name) if is_snake_with_categories(name)))
            .map(|e| e.span)
            .collect();
        let mut reported = std::collections::HashSet::new();
        for call in file.calls_for(&META) {
            let Some(event) = &call.event else { continue };
            let ValueKind::Str(name) = &event.kind else { continue };
            // One finding per written name, however many SDKs it reaches.
            if (options.pattern.is_none() && snake_accepted.contains(&event.span))
                || reported.contains(&event.span)
            {
                continue;
            }
            if name.starts_with('$') || options.allow.iter().any(|r| r.0.is_match(name)) {
                continue;
            }
            let sdk_style = options.sdk_styles.get(call.sdk.as_str()).copied();
            let configured = sdk_style.or(options.style);
            // A vendor with no naming convention of its own is held to none by default.
            if configured.is_none()
                && options.pattern.is_none()
                && file.profiles.get(&call.sdk).is_some_and(|p| p.free_event_names)
            {
                continue;
            }
            let style = configured.unwrap_or(NameStyle::Readable);
            let pattern = options.pattern.as_ref().filter(|_| sdk_style.is_none());
            let (message, suggestion) = if let Some(pattern) = pattern {
                if pattern.0.is_match(name) {
                    continue;
                }
                (
                    format!("`{name}` does not match the configured event-name pattern `{pattern}`"),
                    String::new(),
                )
            } else if style == NameStyle::Readable {
                let Some(problem) = readable_problem(name) else { continue };
                // A vendor that documents lowercase snake case (PostHog) is held to its own advice,
                // and the rename follows it (`brev-cli-feedback` → `brev_cli_feedback`).
                let vendor_snake = configured.is_none() && call.snake_case_events;
                if vendor_snake && is_snake_with_categories(name) {
                    continue;
                }
                let suggested = if vendor_snake { NameStyle::Snake } else { style };
                let message = if vendor_snake {
                    format!(
                        "`{name}` is neither a readable event name nor {}'s lowercase snake_case: it {problem}",
                        call.vendor
                    )
                } else {
                    format!("`{name}` is not a readable event name: it {problem}")
                };
                (message, suggested.suggestion(name).unwrap_or_default())
            } else {
                let Some(problem) = style.problem(name) else { continue };
                (
                    format!(
                        "`{name}` does not follow the `{}` naming convention: it {problem}",
                        style.name()
                    ),
                    style.suggestion(name).unwrap_or_default(),
                )
            };
            let mut help = if suggestion.is_empty() || suggestion == *name {
                format!("name the event like `{}`", style.example())
            } else {
                format!("rename it to `{suggestion}`")
            };
            help.push_str(&format!(
                " (renaming splits the event's history in {}; see `tracklint explain event-name-style`)",
                if call.vendor.is_empty() { "your analytics tool" } else { &call.vendor }
            ));
            let mut d = Diagnostic::new(META.id, severity, event.span, message, help);
            if !suggestion.is_empty()
                && suggestion != *name
                && let Some(replacement) = super::requote(file.source, event.span, &suggestion)
            {
                d = d.with_fix(Fix { applicability: Applicability::Unsafe, span: event.span, replacement });
            }
            reported.insert(event.span);
            out.push(d);
        }
    }
}
