//! ## What it does
//! Finds a project token written as a literal in server code where the SDK client is built
//! (where each SDK's profile says its construction takes the token, `[init] token`, and what a
//! token looks like, `token_format`):
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
use crate::model::{CallKind, Platform, Value, ValueKind};

pub struct HardcodedProjectToken;

static META: RuleMeta = RuleMeta {
    id: "hardcoded-project-token",
    module: module_path!(),
    practice: 10,
    default_severity: Severity::Info,
    summary: "Server code reads the project token from configuration, not a literal",
    fix: FixAvailability::None,
    kinds: &[CallKind::Init],
    scope: Scope::File,
    options: &super::options::NO_OPTIONS,
};

/// The literals a token argument can be: the literal itself, each branch of a choice
/// (`process.env.TOKEN || '..'`), and an environment variable's fallback
/// (`ENV.fetch('TOKEN', '..')`, `os.environ.get('TOKEN', '..')`, `env::var(..).unwrap_or(..)`).
pub(super) fn literals(value: &Value, out: &mut Vec<(String, crate::model::Span)>) {
    match &value.kind {
        ValueKind::Str(s) => out.push((s.clone(), value.span)),
        ValueKind::OneOf(options) => options.iter().for_each(|o| literals(o, out)),
        ValueKind::Call { callee, args } if is_fallback(callee) => {
            if let Some(last) = args.last().filter(|_| args.len() >= 2 || callee.ends_with("unwrap_or")) {
                literals(last, out);
            }
        }
        _ => {}
    }
}

/// The span of a string literal's text, without its quotes: where a secret scanner points.
pub(super) fn unquoted(source: &str, span: crate::model::Span) -> crate::model::Span {
    let quoted = |at: usize| matches!(source.as_bytes().get(at), Some(b'\'' | b'"' | b'`'));
    if span.end >= span.start + 2 && quoted(span.start) && quoted(span.end - 1) {
        crate::model::Span::new(span.start + 1, span.end - 1)
    } else {
        span
    }
}

/// A read of configuration that takes a default: `ENV.fetch`, `os.environ.get`, `os.getenv`,
/// `config.get`, `.unwrap_or`.
fn is_fallback(callee: &str) -> bool {
    let last = callee.rsplit(['.', ':']).next().unwrap_or(callee);
    matches!(last, "fetch" | "get" | "getenv" | "unwrap_or")
}

impl Rule for HardcodedProjectToken {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_file(&self, file: &FileCalls, severity: Severity, out: &mut Vec<Diagnostic>) {
        let mut found = Vec::new();
        for call in file.calls_for(&META).filter(|c| c.platform == Platform::Server) {
            let Some(token) = &call.token else { continue };
            let Some(format) = file.profiles.get(&call.sdk).and_then(|p| p.token_format.as_ref()) else {
                continue;
            };
            let mut written = Vec::new();
            literals(token, &mut written);
            // A literal written here is quoted; a constant of another file (a settings module)
            // carries its value at the use, which is a name.
            found.extend(written.into_iter().filter(|(text, _)| format.is_match(text)).map(|(_, span)| {
                let inner = unquoted(file.source, span);
                (inner, inner != span)
            }));
        }
        found.sort_by_key(|(s, _)| (s.start, s.end));
        found.dedup_by_key(|(s, _)| *s);
        for (span, here) in found {
            let message = if here {
                "the project token is a literal in server code: every environment sends to this one project"
                    .to_string()
            } else {
                let name = file.source.get(span.start..span.end).unwrap_or("this constant");
                format!(
                    "`{name}` holds the project token as a literal (in another file): every environment sends to this one project"
                )
            };
            out.push(
                Diagnostic::new(
                    META.id,
                    severity,
                    span,
                    message,
                    "read it from the environment (`ENV['MIXPANEL_TOKEN']`, `os.environ[...]`, `process.env...`) with no literal fallback, and use a separate development project"
                        .to_string(),
                )
                .with_label("a fixed project token"),
            );
        }
    }
}
