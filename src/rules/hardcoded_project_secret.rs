//! ## What it does
//! Finds secrets written into source: PostHog personal API keys (`phx_...`) and project secret
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
use crate::model::{Language, Span};
use regex::Regex;
use std::sync::OnceLock;

pub struct HardcodedProjectSecret;

static META: RuleMeta = RuleMeta {
    id: "hardcoded-project-secret",
    module: module_path!(),
    practice: 10,
    default_severity: Severity::Error,
    summary: "No analytics API secrets or personal keys in source",
    fix: FixAvailability::None,
    kinds: &[],
    scope: Scope::File,
    options: &super::options::NO_OPTIONS,
};

fn patterns() -> &'static [(Regex, &'static str)] {
    static PATTERNS: OnceLock<Vec<(Regex, &'static str)>> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        [
            (r#"['"`](phx_[A-Za-z0-9]{20,})['"`]"#, "a PostHog personal API key"),
            (r#"['"`](phs_[A-Za-z0-9]{20,})['"`]"#, "a PostHog project secret key"),
            (r#"\b(?:api_)?secret['"]?\s*(?:=>|[:=])\s*['"]([0-9a-f]{32})['"]"#, "a Mixpanel API secret"),
            (
                r#"ServiceAccountCredentials(?:\.new)?\([^)]*?\bsecret\s*[:=]\s*['"]([A-Za-z0-9]{20,})['"]"#,
                "a Mixpanel service-account secret",
            ),
        ]
        .into_iter()
        .filter_map(|(p, what)| Regex::new(p).ok().map(|r| (r, what)))
        .collect()
    })
}

/// Segment write keys where the server SDK is built, by language.
fn segment_pattern(language: Language) -> Option<&'static Regex> {
    static RUBY: OnceLock<Option<Regex>> = OnceLock::new();
    static PYTHON: OnceLock<Option<Regex>> = OnceLock::new();
    static NODE: OnceLock<Option<Regex>> = OnceLock::new();
    static RUST: OnceLock<Option<Regex>> = OnceLock::new();
    let (cell, pattern) = match language {
        Language::Ruby => (
            &RUBY,
            r#"Segment::Analytics\.new\(\s*(?:\{\s*)?:?write_key(?::|\s*=>)\s*['"]([A-Za-z0-9]{16,})['"]"#,
        ),
        Language::Python => (
            &PYTHON,
            r#"(?:\banalytics\.write_key\s*=\s*|\bClient\(\s*(?:write_key\s*=\s*)?)['"]([A-Za-z0-9]{16,})['"]"#,
        ),
        Language::JavaScript | Language::TypeScript | Language::Tsx => {
            (&NODE, r#"new\s+Analytics\(\s*(?:\{\s*writeKey:\s*)?['"]([A-Za-z0-9]{16,})['"]"#)
        }
        Language::Rust => (&RUST, r#"\.send\(\s*"([A-Za-z0-9]{16,})""#),
        Language::Template => return None,
    };
    cell.get_or_init(|| Regex::new(pattern).ok()).as_ref()
}

/// Secrets in a source text: (span of the literal's contents, what it is).
pub(super) fn secrets(source: &str, language: Language) -> Vec<(Span, &'static str)> {
    let mut out = Vec::new();
    if let Some(re) = segment_pattern(language) {
        for caps in re.captures_iter(source) {
            if let Some(m) = caps.get(1) {
                out.push((Span::new(m.start(), m.end()), "a Segment write key in server code"));
            }
        }
    }
    for (re, what) in patterns() {
        for caps in re.captures_iter(source) {
            if let Some(m) = caps.get(1) {
                out.push((Span::new(m.start(), m.end()), *what));
            }
        }
    }
    // `MIXPANEL_API_SECRET = '<32 hex>'` beside a Mixpanel client: a constant of any case.
    static CONSTANT: OnceLock<Option<Regex>> = OnceLock::new();
    let constant = CONSTANT.get_or_init(|| {
        Regex::new(
            r#"(?i)\b[a-z0-9_]*api_secret\s*(?::\s*&(?:'static\s+)?str\s*)?=\s*['"]([0-9a-f]{32})['"]"#,
        )
        .ok()
    });
    if let Some(re) = constant
        && source.contains("ixpanel")
    {
        for caps in re.captures_iter(source) {
            if let Some(m) = caps.get(1) {
                out.push((Span::new(m.start(), m.end()), "a Mixpanel API secret"));
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
        for (span, what) in secrets(file.source, file.language) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segment_write_keys_in_server_code() {
        let py = secrets(
            "import analytics\nanalytics.write_key = \"Xb7TqL2mN9pR4sW8vY3zA6cD\"\n",
            Language::Python,
        );
        assert_eq!(py.len(), 1);
        let browser = secrets(
            "AnalyticsBrowser.load({ writeKey: \"Xb7TqL2mN9pR4sW8vY3zA6cD\" })",
            Language::TypeScript,
        );
        assert!(browser.is_empty());
    }
}
