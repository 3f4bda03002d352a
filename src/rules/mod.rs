//! The rule registry. Each rule is one file: its `//!` doc comment is its documentation
//! (`tracklint explain`), its `RuleMeta` its metadata, its `check_file` its logic.

mod backfill_missing_ignore_time;
mod boolean_people_property;
pub mod custom;
mod dynamic_event_name;
mod email_as_distinct_id;
mod event_before_alias;
pub mod event_name_style;
mod event_tracked_in_many_places;
mod hardcoded_project_secret;
mod hardcoded_project_token;
mod inconsistent_event_name;
mod key_event_without_profile_update;
mod missing_attribution_properties;
mod missing_profile_deletion;
mod missing_required_property;
mod misspelled_reserved_property;
pub mod options;
mod pii_in_event_properties;
mod tracking_in_request_cycle;
mod unknown_event;
mod untracked_plan_event;
pub mod unused_suppression;
pub mod unused_wrapper;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Call, CallKind, Language};
pub use options::RuleSettings;
use std::path::Path;

include!(concat!(env!("OUT_DIR"), "/rule_docs.rs"));

pub struct RuleMeta {
    /// The public id: kebab-case, stable.
    pub id: &'static str,
    /// `module_path!()` of the rule's file, which keys its documentation.
    pub module: &'static str,
    /// The practice it enforces (PRACTICES.md, 1-10; 0 for tracklint's own housekeeping).
    pub practice: u8,
    pub default_severity: Severity,
    pub summary: &'static str,
    /// Whether the rule offers fixes.
    pub fix: FixAvailability,
    /// The call kinds the rule reads; files without them skip the rule.
    pub kinds: &'static [CallKind],
    /// Whether the rule reads one file's calls or the whole project's.
    pub scope: Scope,
    /// The rule's own options (`rule_options!` in its file), or [`options::NO_OPTIONS`].
    pub options: &'static options::OptionsSpec,
}

impl std::fmt::Debug for RuleMeta {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    File,
    Project,
}

impl Scope {
    pub fn name(self) -> &'static str {
        match self {
            Scope::File => "file",
            Scope::Project => "project",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixAvailability {
    None,
    Sometimes,
}

impl RuleMeta {
    /// The rule's documentation: its file's doc comment.
    pub fn doc(&self) -> &'static str {
        let file = self.module.rsplit("::").next().unwrap_or(self.module);
        RULE_DOCS.iter().find(|(m, _)| *m == file).map(|(_, d)| *d).unwrap_or("")
    }

    /// What `tracklint explain` prints: the documentation and the generated options section.
    pub fn explanation(&self) -> String {
        format!(
            "{}

{}",
            self.doc().trim_end(),
            self.options.markdown(self.id)
        )
    }
}

/// What a file rule sees: the file's calls and enough about the file to explain findings.
pub struct FileCalls<'a> {
    pub path: &'a Path,
    pub language: Language,
    pub source: &'a str,
    pub calls: &'a [Call],
    /// The rule options for this file (defaults, config, overrides).
    pub settings: &'a RuleSettings,
    /// The file's path relative to the directory of the config that governs it, as the
    /// config's globs match it.
    pub config_path: &'a Path,
    /// The SDK profiles: what rules know about each SDK (token formats, secret formats).
    pub profiles: &'a crate::profile::Profiles,
}

impl<'a> FileCalls<'a> {
    /// The file's calls of the kinds the rule reads.
    pub fn calls_for(&self, meta: &'a RuleMeta) -> impl Iterator<Item = &'a Call> + use<'a> {
        self.calls.iter().filter(move |c| meta.kinds.contains(&c.kind))
    }
}

pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    /// A rule over one file's calls.
    fn check_file(&self, _file: &FileCalls, _severity: Severity, _out: &mut Vec<Diagnostic>) {}

    /// A rule over the whole project's calls; each finding names the file it points at.
    fn check_project(
        &self,
        _project: &ProjectCalls,
        _settings: &RuleSettings,
        _severity: Severity,
        _out: &mut Vec<(usize, Diagnostic)>,
    ) {
    }
}

/// Every file's calls, for the rules that need the whole project in view.
pub struct ProjectCalls<'a> {
    pub files: Vec<ProjectFile<'a>>,
    /// The tracking plan, when one is given. Findings about the plan itself use the file index
    /// `files.len()`.
    pub plan: Option<&'a crate::plan::Plan>,
    /// The SDK profiles: what rules know about each SDK.
    pub profiles: &'a crate::profile::Profiles,
}

pub struct ProjectFile<'a> {
    pub path: &'a Path,
    pub language: Language,
    pub source: &'a str,
    /// The file's calls as project rules see them.
    pub calls: &'a [ProjectCall],
    /// Built on first use, once per file: messages that name many places stay linear.
    pub lines: std::sync::OnceLock<crate::diagnostic::LineIndex>,
}

impl ProjectFile<'_> {
    /// Where `span` is in this file, for a finding in another file that points here.
    pub fn place(&self, span: crate::model::Span) -> crate::diagnostic::Elsewhere {
        let lines = self.lines.get_or_init(|| crate::diagnostic::LineIndex::new(self.source));
        let (line, column) = lines.line_col(self.source, span.start);
        let (end_line, end_column) = lines.line_col(self.source, span.end);
        crate::diagnostic::Elsewhere { path: self.path.to_path_buf(), line, column, end_line, end_column }
    }

    /// The 1-based line of a byte offset in this file.
    pub fn line_of(&self, offset: usize) -> usize {
        self.lines.get_or_init(|| crate::diagnostic::LineIndex::new(self.source)).line_of(offset)
    }
}

impl<'a> ProjectCalls<'a> {
    /// `d`, a finding in file `from`, pointing also at `span` in file `to` (the same file or
    /// another).
    pub fn relate(
        &self,
        d: Diagnostic,
        from: usize,
        to: usize,
        span: crate::model::Span,
        message: &str,
    ) -> Diagnostic {
        match self.files.get(to) {
            Some(_) if to == from => d.with_related(span, message),
            Some(file) => d.with_related_elsewhere(file.place(span), span, message),
            None => d,
        }
    }

    /// Every event call with a literal name, `$` events excepted: (file index, call, name).
    pub fn literal_events(&self) -> impl Iterator<Item = (usize, &'a ProjectCall, &'a str)> + '_ {
        self.files.iter().enumerate().flat_map(|(f, file)| {
            file.calls.iter().filter(|c| c.kind.is_event()).filter_map(move |call| {
                match &call.event.as_ref()?.kind {
                    crate::model::ValueKind::Str(name) if !name.starts_with('$') => {
                        Some((f, call, name.as_str()))
                    }
                    _ => None,
                }
            })
        })
    }
}

/// A call as project rules read it. Every call of the project is held at once for them, so a
/// view keeps only what one of them reads (about half a [`Call`]'s size): not the identities,
/// the modifiers, the IP, the token and secret, a property's value, declared property types,
/// the wrapper chain, the enclosing loop and task. The properties stay on profile updates (a
/// `$deleted` flag marks a deletion) and, with a tracking plan, on every call (its required
/// properties). A project rule that needs one more field adds it here.
#[derive(Clone, Debug)]
pub struct ProjectCall {
    pub sdk: crate::model::Shared,
    pub method: crate::model::Shared,
    pub kind: CallKind,
    pub platform: crate::model::Platform,
    /// The client sends from a background queue (see [`Call::queued`]).
    pub queued: bool,
    pub span: crate::model::Span,
    pub event: Option<crate::model::Value>,
    pub properties: Option<crate::model::Value>,
    pub property_name: Option<Box<crate::model::Value>>,
    pub context: ProjectContext,
}

/// What project rules read of a call's [`crate::model::CallContext`].
#[derive(Clone, Debug, Default)]
pub struct ProjectContext {
    pub function_name: Option<String>,
    pub request_handler: bool,
    pub deferred: bool,
    pub file_request: Option<&'static str>,
}

impl ProjectCall {
    /// The view of `call` (its fields moved, not copied).
    pub fn of(call: Call, plan: bool) -> ProjectCall {
        let properties = if plan || call.kind.updates_profile() { call.properties } else { None };
        ProjectCall {
            sdk: call.sdk,
            method: call.method,
            kind: call.kind,
            platform: call.platform,
            queued: call.queued,
            span: call.span,
            event: call.event,
            properties,
            property_name: call.property_name,
            context: ProjectContext {
                function_name: call.context.function_name,
                request_handler: call.context.request_handler,
                deferred: call.context.deferred,
                file_request: call.context.file_request,
            },
        }
    }
}

/// The new name as a literal in the original quote style; `None` when that cannot be done simply.
pub(super) fn requote(source: &str, span: crate::model::Span, name: &str) -> Option<String> {
    if name.is_empty() {
        return None;
    }
    let original = source.get(span.start..span.end)?;
    let quote = match original.chars().next()? {
        q @ ('\'' | '"' | '`') => q,
        // A Ruby symbol (`:signed_up`) becomes a string; Mixpanel receives the same JSON.
        ':' => '\'',
        _ => return None,
    };
    if name.contains(quote) || name.contains('\\') || (quote != '\'' && name.contains(['#', '$'])) {
        return None;
    }
    Some(format!("{quote}{name}{quote}"))
}

/// Runs every enabled project-wide rule.
/// The rules run side by side (each reads every file's calls); their findings come out in the
/// order of [`RULES`], as if run one after another.
pub fn check_project(project: &ProjectCalls, settings: &RuleSettings) -> Vec<(usize, Diagnostic)> {
    use rayon::prelude::*;
    let timed = std::env::var_os("TRACKLINT_TIMINGS").is_some_and(|v| !v.is_empty());
    let found: Vec<Vec<(usize, Diagnostic)>> = RULES
        .par_iter()
        .map(|rule| {
            let started = std::time::Instant::now();
            let meta = rule.meta();
            // Overrides are applied per finding: a file where the rule is off drops it.
            let severity = settings.severity(meta.id, meta.default_severity).unwrap_or(meta.default_severity);
            let mut out = Vec::new();
            rule.check_project(project, settings, severity, &mut out);
            let took = started.elapsed();
            if timed && took.as_millis() > 0 {
                eprintln!("timing: project rule {}: {:.1} ms", meta.id, took.as_secs_f64() * 1000.0);
            }
            out
        })
        .collect();
    found.into_iter().flatten().collect()
}

pub static RULES: &[&dyn Rule] = &[
    &event_name_style::EventNameStyle,
    &email_as_distinct_id::EmailAsDistinctId,
    &event_before_alias::EventBeforeAlias,
    &boolean_people_property::BooleanPeopleProperty,
    &backfill_missing_ignore_time::BackfillMissingIgnoreTime,
    &dynamic_event_name::DynamicEventName,
    &inconsistent_event_name::InconsistentEventName,
    &event_tracked_in_many_places::EventTrackedInManyPlaces,
    &misspelled_reserved_property::MisspelledReservedProperty,
    &pii_in_event_properties::PiiInEventProperties,
    &tracking_in_request_cycle::TrackingInRequestCycle,
    &missing_profile_deletion::MissingProfileDeletion,
    &key_event_without_profile_update::KeyEventWithoutProfileUpdate,
    &missing_attribution_properties::MissingAttributionProperties,
    &hardcoded_project_secret::HardcodedProjectSecret,
    &hardcoded_project_token::HardcodedProjectToken,
    &unknown_event::UnknownEvent,
    &missing_required_property::MissingRequiredProperty,
    &untracked_plan_event::UntrackedPlanEvent,
    &unused_suppression::UnusedSuppression,
    &unused_wrapper::UnusedWrapper,
];

/// `--select`, `--extend-select` and `--ignore`: which rules' findings a run reports. A pattern
/// is a rule id, a prefix of whole words (`event` selects `event-name-style`,
/// `event-before-alias`...), or `ALL`.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Only these (all rules when `None`).
    pub select: Option<Vec<String>>,
    /// These too, on top of `select`.
    pub extend_select: Vec<String>,
    /// Never these.
    pub ignore: Vec<String>,
}

impl Selection {
    fn matches(pattern: &str, id: &str) -> bool {
        let pattern = pattern.trim_end_matches('-');
        pattern == "ALL"
            || id == pattern
            || (!pattern.is_empty() && id.strip_prefix(pattern).is_some_and(|rest| rest.starts_with('-')))
    }

    /// Whether findings of rule `id` are reported.
    pub fn allows(&self, id: &str) -> bool {
        let selected = self.select.as_ref().is_none_or(|s| s.iter().any(|p| Self::matches(p, id)))
            || self.extend_select.iter().any(|p| Self::matches(p, id));
        selected && !self.ignore.iter().any(|p| Self::matches(p, id))
    }

    /// The first pattern that names no rule among `ids`, if any (a typo the user should hear of).
    pub fn unknown<'a>(&'a self, ids: &[&str]) -> Option<&'a str> {
        self.select
            .iter()
            .flatten()
            .chain(&self.extend_select)
            .chain(&self.ignore)
            .find(|p| !ids.iter().any(|id| Self::matches(p, id)))
            .map(String::as_str)
    }
}

pub fn find(id: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|r| r.meta().id == id)
}

/// Runs every rule that has something to read in this file.
pub fn check_file(file: &FileCalls) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for rule in RULES {
        let meta = rule.meta();
        let Some(severity) = file.settings.severity(meta.id, meta.default_severity) else { continue };
        // Rules with no call kinds read the source itself.
        if meta.kinds.is_empty() || file.calls.iter().any(|c| meta.kinds.contains(&c.kind)) {
            rule.check_file(file, severity, &mut out);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_is_documented_unique_and_has_fixtures() {
        let mut ids = std::collections::HashSet::new();
        for rule in RULES {
            let meta = rule.meta();
            assert!(ids.insert(meta.id), "duplicate rule id {}", meta.id);
            let doc = meta.doc();
            for section in
                ["## What it does", "## Why is this bad?", "## Example", "Use instead:", "## Fix safety"]
            {
                assert!(doc.contains(section), "{} doc lacks `{section}`", meta.id);
            }
            let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(meta.id);
            assert!(fixtures.is_dir(), "{} has no fixtures folder", meta.id);
            assert!((0..=10).contains(&meta.practice));
        }
    }
}
