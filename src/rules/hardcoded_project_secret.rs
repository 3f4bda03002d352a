//! ## What it does
//! Finds secrets written into source, as the SDK profiles describe them (a client
//! construction's `[init] secret`, and `[[secrets]]` key formats): PostHog personal API keys (`phx_...`) and project secret
//! keys (`phs_...`), a Mixpanel API secret given as a literal (`secret: '...'` in
//! `Mixpanel.init`, `api_secret='...'`, or a constant such as `MIXPANEL_API_SECRET = '<32 hex>'`
//! in a file that uses Mixpanel), and Mixpanel service-account secrets passed as literals
//! (`ServiceAccountCredentials(..., secret='...')`), and Segment write keys in server code
//! (`Segment::Analytics.new(write_key: '...')`, `new Analytics({ writeKey: '...' })` from
//! `@segment/analytics-node`, Python `analytics.write_key = '...'` or `Client('...')`, Rust
//! `send("...", ..)`): anyone holding a server write key can send data as the backend. Project
//! tokens (`phc_...`, a browser
//! Mixpanel token) are public by design and never fire this rule (see
//! `hardcoded-project-token`). Values read from the environment never fire.
//!
//! ## Why is this bad?
//! A secret in the repository is readable by everyone with access to it, its history and its
//! forks; it grants export, import or deletion rights on the analytics project.
//!
//! ## Example
//! ```js
//! const mp = Mixpanel.init(token, { secret: "0123456789abcdef0123456789abcdef" });
//! ```
//!
//! Use instead:
//! ```js
//! const mp = Mixpanel.init(token, { secret: process.env.MIXPANEL_API_SECRET });
//! ```
//!
//! ## Fix safety
//! No automatic fix: the secret must also be rotated, since it is in the history.

use super::{FileCalls, FixAvailability, Rule, RuleMeta, Scope};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{CallKind, Platform, Span};

pub struct HardcodedProjectSecret;

static META: RuleMeta = RuleMeta {
    id: "hardcoded-project-secret",
    module: module_path!(),
    practice: 10,
    default_severity: Severity::Error,
    summary: "No analytics API secrets or personal keys in source",
    fix: FixAvailability::None,
    // Key formats are found in any file, calls or not.
    kinds: &[],
    scope: Scope::File,
    options: &super::options::NO_OPTIONS,
};

/// Every secret in the file: (where the literal is, what it is).
pub(super) fn secrets(file: &FileCalls) -> Vec<(Span, String)> {
    let mut out = Vec::new();
    // A secret passed where a server client is built (`Mixpanel.init(token, { secret })`,
    // `Segment::Analytics.new(write_key: ..)`), directly, through a constant or as a fallback.
    for call in file.calls.iter().filter(|c| c.kind == CallKind::Init && c.platform == Platform::Server) {
        let Some(secret) = &call.secret else { continue };
        let Some(profile) = file.profiles.get(&call.sdk) else { continue };
        let Some(format) = &profile.secret_format else { continue };
        let mut written = Vec::new();
        super::hardcoded_project_token::literals(secret, &mut written);
        let what = profile.init.secret_name.clone().unwrap_or_else(|| format!("a {} secret", profile.vendor));
        out.extend(
            written
                .into_iter()
                .filter(|(text, _)| format.is_match(text))
                .map(|(_, span)| (super::hardcoded_project_token::unquoted(file.source, span), what.clone())),
        );
    }
    // Key formats that are secrets by their text.
    for profile in &file.profiles.list {
        for (pattern, spec) in &profile.secrets {
            let applies = (spec.anywhere || profile.supports(file.language))
                && spec.near.as_deref().is_none_or(|word| file.source.contains(word));
            if !applies {
                continue;
            }
            for caps in pattern.captures_iter(file.source) {
                if let Some(m) = caps.get(1) {
                    out.push((Span::new(m.start(), m.end()), spec.what.clone()));
                }
            }
        }
    }
    out.sort_by_key(|(span, _)| (span.start, span.end));
    out.dedup_by_key(|(span, _)| *span);
    out
}

impl Rule for HardcodedProjectSecret {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_file(&self, file: &FileCalls, severity: Severity, out: &mut Vec<Diagnostic>) {
        for (span, what) in secrets(file) {
            out.push(
                Diagnostic::new(
                    META.id,
                    severity,
                    span,
                    format!("{what} is written into the source"),
                    "read it from the environment or a secret store, and rotate it: it is in the history"
                        .to_string(),
                )
                .with_label("a secret"),
            );
        }
    }
}
