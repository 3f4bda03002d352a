//! ## What it does
//! Within one flow (a method or function body, in source order), finds calls that reach the
//! user's new identity before `alias` links it:
//! - on the server (mixpanel-ruby, mixpanel-node), a `track`, `import` or People call whose
//!   distinct_id is the alias's **new** id, placed before the `alias` call;
//! - in the browser (mixpanel-browser), `identify(x)` before `alias(x)`.
//!
//! Calls with the original (anonymous) id are fine, and so is a browser `track` before `alias`
//! (it is sent with the anonymous id). Identities are compared as written (`user.id` and
//! `user.id.to_s` are the same). Calls in different methods or files are never compared: their
//! order at run time is unknowable.
//!
//! ## Why is this bad?
//! Under Legacy ID Management and Original ID Merge, `alias` is what joins the anonymous
//! visitor to the signed-up user, and it can be called once. Events sent to the new id before
//! the alias start a separate identity: sign-up funnels break and the alias may be refused.
//!
//! ## Example
//! ```ruby
//! tracker.track(user.id, 'User Signed Up')
//! tracker.alias(user.id, anonymous_id)
//! ```
//!
//! Use instead:
//! ```ruby
//! tracker.alias(user.id, anonymous_id)
//! tracker.track(user.id, 'User Signed Up')
//! ```
//!
//! ## Fix safety
//! No automatic fix: moving calls can change what the surrounding code does.

use super::{FileCalls, FixAvailability, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Call, CallKind, IdentityRole, Platform};

pub struct EventBeforeAlias;

static META: RuleMeta = RuleMeta {
    id: "event-before-alias",
    module: module_path!(),
    practice: 6,
    default_severity: Severity::Error,
    summary: "Alias the new user id before any other call uses it",
    fix: FixAvailability::None,
    kinds: &[CallKind::Alias],
    scope: super::Scope::File,
    options: &OPTIONS,
};

super::options::rule_options! {
    /// The project's ID management: `legacy` or `original` keep the rule on; `simplified` turns
    /// it off, because projects on Simplified ID Merge ignore `alias` and merge on `identify`.
    #[example = "\"legacy\""]
    id_management: IdManagement = IdManagement::Legacy,
}

/// Mixpanel's identity management versions.
#[derive(Debug, Clone, Copy, Default, serde::Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum IdManagement {
    /// Legacy ID management: `alias` links an anonymous id to a new one, once.
    #[default]
    Legacy,
    Original,
    /// Simplified ID merge: `identify` merges on its own; the alias rule does not apply.
    Simplified,
}

impl Rule for EventBeforeAlias {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_file(&self, file: &FileCalls, severity: Severity, out: &mut Vec<Diagnostic>) {
        // Simplified ID merge has no alias step to get wrong.
        if Options::of(file.settings).id_management == IdManagement::Simplified {
            return;
        }
        for alias in file.calls.iter().filter(|c| c.kind == CallKind::Alias) {
            let Some(new_id) = alias.identity(IdentityRole::AliasNew) else { continue };
            let Some(key) = new_id.identity_key() else { continue };
            for early in file
                .calls
                .iter()
                .filter(|c| c.scope == alias.scope && c.order < alias.order && c.sdk == alias.sdk)
            {
                let Some(role) = early_role(early) else { continue };
                let Some(id) = early.identity(role) else { continue };
                if id.identity_key().as_deref() != Some(key.as_str()) {
                    continue;
                }
                let shown = id.display();
                let flow =
                    alias.context.function_name.as_deref().map(|f| format!(" in `{f}`")).unwrap_or_default();
                out.push(
                    Diagnostic::new(
                        META.id,
                        severity,
                        early.span,
                        format!(
                            "`{}` uses `{shown}` before `alias` links it{flow}: those events stay on a separate identity and the sign-up funnel breaks",
                            early.method
                        ),
                        format!("call `alias` first, right after sign-up, then `{}`", early.method),
                    )
                    .with_label(format!("sends `{shown}` before the alias"))
                    .with_related(alias.span, "the alias comes here"),
                );
            }
        }
    }
}

/// Which identity of an earlier call must not be the alias's new id.
fn early_role(call: &Call) -> Option<IdentityRole> {
    match call.platform {
        Platform::Server if call.kind.is_event() || call.kind.is_people() => Some(IdentityRole::DistinctId),
        Platform::Browser if call.kind == CallKind::Identify => Some(IdentityRole::Identify),
        _ => None,
    }
}
