//! ## What it does
//! Finds a project token written as a literal in server code where the SDK client is built:
//! `Mixpanel::Tracker.new('0123...')`, `Mixpanel('0123...')`, Node `Mixpanel.init('0123...')`,
//! `Mixpanel::init("0123...")`, `Posthog('phc_...')`, `PostHog::Client.new(api_key: 'phc_...')`,
//! `new PostHog('phc_...')`. Browser code is not reported: its token ships to every visitor
//! anyway (a build-time variable is still the better habit).
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
    module: "hardcoded_project_token",
    practice: 10,
    default_severity: Severity::Info,
    summary: "Server code reads the project token from configuration, not a literal",
    fix: FixAvailability::None,
    kinds: &[],
    scope: Scope::File,
};

const TOKEN: &str = r#"['"]([0-9a-f]{32}|phc_[A-Za-z0-9]{20,})['"]"#;

fn pattern(language: Language) -> Option<&'static Regex> {
    static RUBY: OnceLock<Option<Regex>> = OnceLock::new();
    static PYTHON: OnceLock<Option<Regex>> = OnceLock::new();
    static RUST: OnceLock<Option<Regex>> = OnceLock::new();
    static NODE: OnceLock<Option<Regex>> = OnceLock::new();
    let (cell, constructors) = match language {
        Language::Ruby => (
            &RUBY,
            r"(?:Mixpanel::Tracker\.new|PostHog::Client\.new|Segment::Analytics\.new)\(\s*(?:api_key:\s*|write_key:\s*)?",
        ),
        Language::Python => {
            (&PYTHON, r"\b(?:Mixpanel|Posthog|Amplitude)\(\s*(?:project_api_key\s*=\s*|api_key\s*=\s*)?")
        }
        Language::Rust => (&RUST, r"(?:Mixpanel::init|posthog_rs::client)\(\s*&?"),
        // Node only: `Mixpanel.init` with a capital M is the server SDK's factory.
        Language::JavaScript | Language::TypeScript | Language::Tsx => {
            (&NODE, r"(?:\bMixpanel\.init|new\s+PostHog)\(\s*")
        }
        Language::Template => return None,
    };
    cell.get_or_init(|| Regex::new(&format!("{constructors}{TOKEN}")).ok()).as_ref()
}

impl Rule for HardcodedProjectToken {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_file(&self, file: &FileCalls, severity: Severity, out: &mut Vec<Diagnostic>) {
        let Some(re) = pattern(file.language) else { return };
        // In JavaScript, only a file that loads a server SDK is server code
        // (`import Mixpanel from 'mixpanel-browser'` can spell the browser SDK the same way).
        if file.language.is_js_family() {
            let server =
                ["'mixpanel'", "\"mixpanel\"", "posthog-node"].iter().any(|m| file.source.contains(m));
            if !server {
                return;
            }
        }
        for caps in re.captures_iter(file.source) {
            let Some(m) = caps.get(1) else { continue };
            out.push(
                Diagnostic::new(
                    META.id,
                    severity,
                    crate::model::Span::new(m.start(), m.end()),
                    "the project token is a literal in server code: every environment sends to this one project".to_string(),
                    "read it from the environment (`ENV['MIXPANEL_TOKEN']`, `os.environ[...]`, `process.env...`) and use a separate development project"
                        .to_string(),
                )
                .with_label("a fixed project token"),
            );
        }
    }
}
