//! ## What it does
//! Finds a project token written as a literal in server code where the SDK client is built:
//! `Mixpanel::Tracker.new('0123...')`, `Mixpanel('0123...')`, Node `Mixpanel.init('0123...')`,
//! `Mixpanel::init("0123...")`, `Posthog('phc_...')`, `PostHog::Client.new(api_key: 'phc_...')`,
//! `new PostHog('phc_...')`, also through a constant of the same file
//! (`MIXPANEL_TOKEN = '0123...'` then `Mixpanel::Tracker.new(MIXPANEL_TOKEN)`, a Python class
//! attribute, a Rust `const`), and a token given as an environment variable's fallback
//! (`ENV.fetch('MIXPANEL_TOKEN', '0123...')`, `os.environ.get(.., '0123...')`,
//! `process.env.MIXPANEL_TOKEN || '0123...'`), reported where the literal is written. Browser code is not
//! reported: its token ships to every visitor anyway (a build-time variable is still the better
//! habit).
//!
//! ## Why is this bad?
//! Not a secret, but a token fixed in code sends development, test and staging traffic to the
//! production project: test data pollutes the reports, and a separate development project
//! (practice 10) cannot be switched in per environment.
//!
//! ## Example
//! ```ruby
//! TRACKER = Mixpanel::Tracker.new('0123456789abcdef0123456789abcdef')
//! ```
//!
//! Use instead:
//! ```ruby
//! TRACKER = Mixpanel::Tracker.new(ENV.fetch('MIXPANEL_TOKEN'))
//! ```
//!
//! ## Fix safety
//! No automatic fix: the environment variable has to be provided where the code runs.

use super::{FileCalls, FixAvailability, Rule, RuleMeta, Scope};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Language;
use regex::Regex;
use std::sync::OnceLock;

pub struct HardcodedProjectToken;

static META: RuleMeta = RuleMeta {
    id: "hardcoded-project-token",
    module: module_path!(),
    practice: 10,
    default_severity: Severity::Info,
    summary: "Server code reads the project token from configuration, not a literal",
    fix: FixAvailability::None,
    kinds: &[],
    scope: Scope::File,
    options: &super::options::NO_OPTIONS,
};

const TOKEN: &str = r#"['"]([0-9a-f]{32}|phc_[A-Za-z0-9]{20,})['"]"#;

/// A token given as an environment variable's fallback is still the token every environment
/// without the variable sends to: `ENV.fetch('MIXPANEL_TOKEN', '0123..')`,
/// `os.environ.get("TOKEN", "0123..")`, `os.getenv(..)`, `process.env.TOKEN || '0123..'`,
/// `env::var("TOKEN").unwrap_or("0123..")`.
const FALLBACK: &str = r#"(?:ENV\.fetch\(\s*['"][^'"]*['"]\s*,\s*|ENV\[\s*['"][^'"]*['"]\s*\]\s*\|\|\s*|os\.environ\.get\(\s*['"][^'"]*['"]\s*,\s*|os\.getenv\(\s*['"][^'"]*['"]\s*,\s*|process\.env\.[A-Za-z0-9_]+\s*(?:\|\||\?\?)\s*|(?:std::)?env::var\([^)]*\)\s*\.unwrap_or\(\s*)"#;

/// Where each language builds a server client, up to its token argument.
fn constructors(language: Language) -> Option<&'static str> {
    Some(match language {
        Language::Ruby => {
            r"(?:Mixpanel::Tracker\.new|PostHog::Client\.new|Segment::Analytics\.new)\(\s*(?:api_key:\s*|write_key:\s*)?"
        }
        Language::Python => {
            r"\b(?:Mixpanel|Posthog|Amplitude)\(\s*(?:project_api_key\s*=\s*|api_key\s*=\s*)?"
        }
        Language::Rust => r"(?:Mixpanel::init|posthog_rs::client)\(\s*&?",
        // Node only: `Mixpanel.init` with a capital M is the server SDK's factory.
        Language::JavaScript | Language::TypeScript | Language::Tsx => {
            r"(?:\bMixpanel\.init|new\s+PostHog)\(\s*"
        }
        Language::Template => return None,
    })
}

/// Each language's two patterns, compiled once: the client built from a token literal (or an
/// environment variable's literal fallback), and from a constant (`Mixpanel::Tracker.new(
/// MIXPANEL_TOKEN)`, `Mixpanel(settings.MIXPANEL_TOKEN)`, `Mixpanel::init(&TOKEN, ..)`), whose
/// name it captures.
struct Patterns {
    literal: Regex,
    constant: Regex,
}

fn patterns(language: Language) -> Option<&'static Patterns> {
    static ALL: OnceLock<Vec<(Language, Option<Patterns>)>> = OnceLock::new();
    let all = ALL.get_or_init(|| {
        Language::ALL
            .iter()
            .filter_map(|&l| {
                let c = constructors(l)?;
                let literal = Regex::new(&format!("{c}(?:{FALLBACK})?{TOKEN}")).ok();
                let constant = Regex::new(&format!(
                    r"{c}&?(?:[A-Za-z_][A-Za-z0-9_]*(?:\.|::))*([A-Z][A-Z0-9_]{{2,}})\b"
                ))
                .ok();
                Some((l, literal.zip(constant).map(|(literal, constant)| Patterns { literal, constant })))
            })
            .collect()
    });
    all.iter().find(|(l, _)| *l == language).and_then(|(_, p)| p.as_ref())
}

/// Where the file defines `name` as a token literal (`MIXPANEL_TOKEN = '...'`,
/// `const TOKEN: &str = "..."`, a class attribute, or an environment variable's fallback):
/// the literal's span.
fn constant_value(source: &str, name: &str) -> Option<(usize, usize)> {
    let re = Regex::new(&format!(
        r#"(?m)^[ \t]*(?:pub(?:\([^)]*\))?\s+)?(?:const\s+|static\s+|let\s+|var\s+|export\s+const\s+)?{}\s*(?::[^=\n]+)?=\s*(?:{FALLBACK})?{TOKEN}"#,
        regex::escape(name)
    ))
    .ok()?;
    let m = re.captures(source)?.get(1)?;
    Some((m.start(), m.end()))
}

impl Rule for HardcodedProjectToken {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_file(&self, file: &FileCalls, severity: Severity, out: &mut Vec<Diagnostic>) {
        let Some(Patterns { literal, constant: constants }) = patterns(file.language) else { return };
        // In JavaScript, only a file that loads a server SDK is server code
        // (`import Mixpanel from 'mixpanel-browser'` can spell the browser SDK the same way).
        if file.language.is_js_family() {
            let server =
                ["'mixpanel'", "\"mixpanel\"", "posthog-node"].iter().any(|m| file.source.contains(m));
            if !server {
                return;
            }
        }
        let mut found: Vec<(usize, usize)> = literal
            .captures_iter(file.source)
            .filter_map(|c| c.get(1))
            .map(|m| (m.start(), m.end()))
            .collect();
        // A constant defined in the same file holds the literal.
        for caps in constants.captures_iter(file.source) {
            if let Some(at) = caps.get(1).and_then(|name| constant_value(file.source, name.as_str())) {
                found.push(at);
            }
        }
        found.sort();
        found.dedup();
        for (start, end) in found {
            out.push(
                Diagnostic::new(
                    META.id,
                    severity,
                    crate::model::Span::new(start, end),
                    "the project token is a literal in server code: every environment sends to this one project".to_string(),
                    "read it from the environment (`ENV['MIXPANEL_TOKEN']`, `os.environ[...]`, `process.env...`) with no literal fallback, and use a separate development project"
                        .to_string(),
                )
                .with_label("a fixed project token"),
            );
        }
    }
}

#[cfg(test)]
mod constant_tests {
    use super::*;

    #[test]
    fn a_constant_holding_the_token_is_found_where_it_is_defined() {
        let src = "MIXPANEL_TOKEN = '0123456789abcdef0123456789abcdef'\nTRACKER = Mixpanel::Tracker.new(MIXPANEL_TOKEN)\n";
        let re = &patterns(Language::Ruby).expect("pattern").constant;
        let name = re.captures(src).and_then(|c| c.get(1)).map(|m| m.as_str().to_string());
        assert_eq!(name.as_deref(), Some("MIXPANEL_TOKEN"));
        assert_eq!(constant_value(src, "MIXPANEL_TOKEN"), Some((18, 50)));
    }
}
