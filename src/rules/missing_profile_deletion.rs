//! ## What it does
//! Finds account deletion that leaves the People profile behind. It fires only on evidence
//! that the project deletes accounts: a Mixpanel call in a method named for it (`destroy`,
//! `delete_account`, `deactivate`, `close_account`, `cancel_account`) or an event that says so
//! (`Account Deleted`, `User Deactivated`, `Account Closed`), in a project that writes People
//! profiles but never deletes or deactivates one: no `people.delete_user`, `people_delete` or
//! `delete` call anywhere, and no profile update that marks one (a `$deactivated`,
//! `deactivated_at`, `deleted_at`, `closed_at` or `churned_at` property). It points at the
//! account-deletion code.
//!
//! ## Why is this bad?
//! When an account is cancelled its profile stays: messages keep going to people who left,
//! they keep counting in cohorts, and a deletion request under privacy law cannot be honoured.
//!
//! ## Example
//! ```ruby
//! def destroy
//!   current_user.destroy   # the Mixpanel profile lives on
//! end
//! ```
//!
//! Use instead:
//! ```ruby
//! def destroy
//!   tracker.people.delete_user(current_user.id)
//!   current_user.destroy
//! end
//! ```
//!
//! ## Fix safety
//! No automatic fix: where accounts are deleted is the application's to say.

use super::RuleSettings;
use super::{FixAvailability, ProjectCall, ProjectCalls, Rule, RuleMeta, Scope};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::CallKind;

pub struct MissingProfileDeletion;

static META: RuleMeta = RuleMeta {
    id: "missing-profile-deletion",
    module: module_path!(),
    practice: 7,
    default_severity: Severity::Info,
    summary: "A project that writes People profiles also deletes or deactivates them",
    fix: FixAvailability::None,
    kinds: &[CallKind::PeopleSet, CallKind::PeopleSetOnce, CallKind::PeopleDeleteUser],
    scope: Scope::Project,
    options: &super::options::NO_OPTIONS,
};

/// A profile update that records the account's end.
fn marks_deactivation(call: &ProjectCall) -> bool {
    let keys = call.properties.as_ref().and_then(|p| p.as_object()).into_iter().flat_map(|o| &o.entries);
    let name = call.property_name.as_ref().and_then(|v| v.as_str());
    keys.map(|e| e.key.as_str()).chain(name).any(|k| {
        let k = k.trim_start_matches('$');
        let lower;
        let k = if k.bytes().any(|b| b.is_ascii_uppercase()) {
            lower = k.to_ascii_lowercase();
            lower.as_str()
        } else {
            k
        };
        ["deactivated", "deleted", "closed", "churned", "cancelled", "canceled", "unsubscribed"].iter().any(
            |w| {
                k.starts_with(w)
                    || k.ends_with(w)
                    || k.match_indices(w).any(|(i, _)| k.as_bytes().get(i.wrapping_sub(1)) == Some(&b'_'))
            },
        )
    })
}

/// Whether the file is about users or accounts (`users_controller.rb`,
/// `registrations_controller.rb`), by its name.
fn about_accounts(path: &std::path::Path) -> bool {
    path.file_stem().and_then(|s| s.to_str()).is_some_and(|stem| {
        let stem = stem.to_ascii_lowercase();
        ["user", "account", "registration", "member", "profile", "customer"].iter().any(|w| stem.contains(w))
    })
}

/// Why the call sits in account-deletion code, if it does. A generic `destroy` counts only in
/// a file about users or accounts ([`about_accounts`]): a post's or a follow's `destroy`
/// deletes no account.
fn account_deletion(call: &ProjectCall, about_accounts: &mut impl FnMut() -> bool) -> Option<String> {
    if let Some(name) = &call.context.function_name
        && matches!(name.as_str(), "destroy" | "deactivate")
        && about_accounts()
    {
        return Some(format!("`{name}`"));
    }
    if let Some(name) = &call.context.function_name
        && matches!(
            name.as_str(),
            "delete_account"
                | "destroy_account"
                | "deactivate"
                | "deactivate_account"
                | "close_account"
                | "cancel_account"
                | "deleteAccount"
                | "deactivateAccount"
                | "closeAccount"
        )
    {
        return Some(format!("`{name}`"));
    }
    let event = call.event.as_ref()?.as_str()?;
    // Most names hold none of the subjects: those are not split into words.
    if event.is_ascii() {
        let lower = event.to_ascii_lowercase();
        if !["account", "user", "profile", "membership"].iter().any(|w| lower.contains(w)) {
            return None;
        }
    }
    let words = crate::naming::normalize(event);
    let subject = words.split(' ').any(|w| matches!(w, "account" | "user" | "profile" | "membership"));
    let ended =
        words.split(' ').any(|w| matches!(w, "deleted" | "closed" | "deactivated" | "removed" | "erased"));
    (subject && ended).then(|| format!("`{event}`"))
}

impl Rule for MissingProfileDeletion {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_project(
        &self,
        project: &ProjectCalls,
        _settings: &RuleSettings,
        severity: Severity,
        out: &mut Vec<(usize, Diagnostic)>,
    ) {
        // Only an SDK with a profile deletion call (its profile has a `people-delete-user`
        // method: Mixpanel's) can be asked to use it.
        let deletes: std::collections::HashSet<&str> = project
            .profiles
            .list
            .iter()
            .filter(|p| p.methods.iter().any(|m| m.kind == CallKind::PeopleDeleteUser))
            .map(|p| p.id.as_str())
            .collect();
        let mixpanel = |c: &&ProjectCall| deletes.contains(c.sdk.as_str());
        let mut writes_profiles = false;
        let mut deletions: Vec<(usize, &ProjectCall, String)> = Vec::new();
        for (f, file) in project.files.iter().enumerate() {
            let mut about = None;
            let mut about_accounts = || *about.get_or_insert_with(|| about_accounts(file.path));
            for call in file.calls.iter().filter(mixpanel) {
                if call.kind == CallKind::PeopleDeleteUser || marks_deactivation(call) {
                    return;
                }
                writes_profiles |= call.kind.updates_profile();
                if let Some(evidence) = account_deletion(call, &mut about_accounts) {
                    deletions.push((f, call, evidence));
                }
            }
        }
        if !writes_profiles {
            return;
        }
        for (f, call, evidence) in deletions {
            out.push((
                f,
                Diagnostic::new(
                    META.id,
                    severity,
                    call.span,
                    format!("{evidence} deletes an account, but the People profile stays: the project never deletes or deactivates one"),
                    "delete the profile here with `people.delete_user(id)` (Python `people_delete`), or set a `$deactivated_at`-style property"
                        .to_string(),
                )
                .with_label("account deletion"),
            ));
        }
    }
}
