//! `tracklint.toml`: rule severities and options, per-path overrides, a team's own tracking
//! wrappers and declarative custom rules. The file's shape is a public contract: keys are only
//! ever added. Unknown keys are errors, reported with their span and a "did you mean".

use crate::diagnostic::Severity;
use crate::model::{CallKind, Platform};
use crate::naming::NameStyle;
use crate::profile::{ArgRef, Clients, LoadedProfile, Method, MethodSpec, WrapperReceiver};
use globset::{Glob, GlobSet, GlobSetBuilder};
use regex::Regex;
use serde::Deserialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The names a config file may have, looked up in this order in each directory.
pub const CONFIG_NAMES: &[&str] = &["tracklint.toml", ".tracklint.toml"];
/// Every file a config can live in: `pyproject.toml` counts when it has `[tool.tracklint]`.
pub const CONFIG_FILES: &[&str] = &["tracklint.toml", ".tracklint.toml", "pyproject.toml"];

/// `pyproject.toml`: only its `[tool.tracklint]` table is ours.
#[derive(Debug, Default, Deserialize)]
struct RawPyproject {
    #[serde(default)]
    tool: RawTools,
}

#[derive(Debug, Default, Deserialize)]
struct RawTools {
    tracklint: Option<RawConfig>,
}

/// Whether a `pyproject.toml`'s text holds a tracklint table.
fn has_tracklint_table(text: &str) -> bool {
    text.lines().any(|l| l.trim_start().starts_with("[tool.tracklint"))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    rules: RawRules,
    #[serde(default)]
    overrides: Vec<RawOverride>,
    #[serde(default)]
    wrappers: Vec<Spanned<RawWrapper>>,
    #[serde(default, rename = "custom-rules")]
    custom_rules: Vec<Spanned<RawCustomRule>>,
    /// A tracking plan (CSV or JSON), relative to the config file.
    plan: Option<String>,
    #[serde(default)]
    inference: RawInference,
}

/// `[inference]`: finding the project's own tracking functions.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInference {
    /// Infer wrappers from their bodies (on by default).
    #[serde(default = "yes")]
    enabled: bool,
}

impl Default for RawInference {
    fn default() -> Self {
        RawInference { enabled: true }
    }
}

fn yes() -> bool {
    true
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRules {
    #[serde(rename = "event-name-style")]
    event_name_style: Option<RawEventNameStyle>,
    #[serde(rename = "email-as-distinct-id")]
    email_as_distinct_id: Option<RawEmail>,
    #[serde(rename = "event-before-alias")]
    event_before_alias: Option<RawAlias>,
    #[serde(rename = "boolean-people-property")]
    boolean_people_property: Option<RawSeverityOnly>,
    #[serde(rename = "backfill-missing-ignore-time")]
    backfill_missing_ignore_time: Option<RawBackfill>,
    #[serde(rename = "unused-suppression")]
    unused_suppression: Option<RawSeverityOnly>,
    #[serde(rename = "unused-wrapper")]
    unused_wrapper: Option<RawSeverityOnly>,
    #[serde(rename = "dynamic-event-name")]
    dynamic_event_name: Option<RawSeverityOnly>,
    #[serde(rename = "inconsistent-event-name")]
    inconsistent_event_name: Option<RawSeverityOnly>,
    #[serde(rename = "event-tracked-in-many-places")]
    event_tracked_in_many_places: Option<RawManyPlaces>,
    #[serde(rename = "misspelled-reserved-property")]
    misspelled_reserved_property: Option<RawSeverityOnly>,
    #[serde(rename = "pii-in-event-properties")]
    pii_in_event_properties: Option<RawSeverityOnly>,
    #[serde(rename = "unknown-event")]
    unknown_event: Option<RawSeverityOnly>,
    #[serde(rename = "missing-required-property")]
    missing_required_property: Option<RawSeverityOnly>,
    #[serde(rename = "untracked-plan-event")]
    untracked_plan_event: Option<RawSeverityOnly>,
    #[serde(rename = "tracking-in-request-cycle")]
    tracking_in_request_cycle: Option<RawSeverityOnly>,
    #[serde(rename = "missing-profile-deletion")]
    missing_profile_deletion: Option<RawSeverityOnly>,
    #[serde(rename = "hardcoded-project-secret")]
    hardcoded_project_secret: Option<RawSeverityOnly>,
    #[serde(rename = "hardcoded-project-token")]
    hardcoded_project_token: Option<RawSeverityOnly>,
    #[serde(rename = "key-event-without-profile-update")]
    key_event_without_profile_update: Option<RawEventList>,
    #[serde(rename = "missing-attribution-properties")]
    missing_attribution_properties: Option<RawAttribution>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEventList {
    severity: Option<SeveritySetting>,
    /// The key events (exact names) the rule applies to; none means the rule is off.
    #[serde(default)]
    events: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAttribution {
    severity: Option<SeveritySetting>,
    #[serde(default)]
    events: Vec<String>,
    properties: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawManyPlaces {
    severity: Option<SeveritySetting>,
    /// Report an event tracked from more than this many call sites.
    #[serde(rename = "max-places")]
    max_places: Option<usize>,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SeveritySetting {
    Error,
    Warning,
    Info,
    Off,
}

impl SeveritySetting {
    fn severity(self) -> Option<Severity> {
        match self {
            SeveritySetting::Error => Some(Severity::Error),
            SeveritySetting::Warning => Some(Severity::Warning),
            SeveritySetting::Info => Some(Severity::Info),
            SeveritySetting::Off => None,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSeverityOnly {
    severity: Option<SeveritySetting>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEventNameStyle {
    severity: Option<SeveritySetting>,
    style: Option<NameStyle>,
    pattern: Option<Spanned<String>>,
    #[serde(default)]
    allow: Vec<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEmail {
    severity: Option<SeveritySetting>,
    #[serde(default)]
    names: Vec<String>,
}

#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum IdManagement {
    /// Mixpanel's legacy ID management: `alias` links an anonymous id to a new one, once.
    #[default]
    Legacy,
    Original,
    /// Simplified ID merge: `identify` merges on its own; the alias rule does not apply.
    Simplified,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAlias {
    severity: Option<SeveritySetting>,
    #[serde(rename = "id-management")]
    id_management: Option<IdManagement>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBackfill {
    severity: Option<SeveritySetting>,
    #[serde(default)]
    paths: Vec<Spanned<String>>,
    #[serde(default)]
    functions: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverride {
    files: Vec<Spanned<String>>,
    #[serde(default)]
    rules: RawRules,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawWrapper {
    language: Spanned<String>,
    receiver: Option<String>,
    method: String,
    kind: Spanned<String>,
    event: Option<ArgRef>,
    identity: Option<ArgRef>,
    properties: Option<ArgRef>,
    modifiers: Option<ArgRef>,
    #[serde(alias = "alias_new")]
    alias_new: Option<ArgRef>,
    #[serde(alias = "alias_original")]
    alias_original: Option<ArgRef>,
    platform: Option<Platform>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawCustomRule {
    id: Spanned<String>,
    message: String,
    help: Option<String>,
    #[serde(default = "default_custom_severity")]
    severity: SeveritySetting,
    /// Which events the rule applies to (a regex on the name); all when absent.
    events: Option<Spanned<String>>,
    event_must_match: Option<Spanned<String>>,
    event_must_not_match: Option<Spanned<String>>,
    #[serde(default)]
    forbidden_properties: Vec<String>,
    #[serde(default)]
    required_properties: Vec<String>,
}

fn default_custom_severity() -> SeveritySetting {
    SeveritySetting::Warning
}

/// A declarative rule from `[[custom-rules]]`.
#[derive(Debug)]
pub struct CustomRule {
    pub id: &'static str,
    pub message: String,
    pub help: String,
    pub severity: Option<Severity>,
    pub events: Option<Regex>,
    pub event_must_match: Option<Regex>,
    pub event_must_not_match: Option<Regex>,
    pub forbidden_properties: Vec<String>,
    pub required_properties: Vec<String>,
}

/// The options every built-in rule reads, after defaults, the config and its overrides.
#[derive(Debug, Clone)]
pub struct RuleSettings {
    severities: BTreeMap<&'static str, Option<Severity>>,
    pub style: NameStyle,
    /// Whether `style` was set in the config: without it each SDK's own convention applies.
    pub style_configured: bool,
    pub pattern: Option<Regex>,
    pub allow: Vec<Regex>,
    pub email_names: Vec<String>,
    pub id_management: IdManagement,
    pub backfill_paths: Option<GlobSet>,
    pub backfill_functions: Vec<Regex>,
    /// `event-tracked-in-many-places`: more call sites than this is too many (off when unset).
    pub max_places: Option<usize>,
    /// `key-event-without-profile-update`: the key events (the rule is off without them).
    pub key_events: Vec<String>,
    /// `missing-attribution-properties`: the events that must carry first-touch attribution.
    pub attribution_events: Vec<String>,
    pub attribution_properties: Vec<String>,
}

/// The first-touch properties `missing-attribution-properties` asks for by default.
pub const DEFAULT_ATTRIBUTION_PROPERTIES: &[&str] =
    &["initial_referrer", "initial_referring_domain", "utm_source", "utm_medium", "utm_campaign"];

impl Default for RuleSettings {
    fn default() -> Self {
        RuleSettings {
            severities: BTreeMap::new(),
            style: NameStyle::Readable,
            style_configured: false,
            pattern: None,
            allow: Vec::new(),
            email_names: Vec::new(),
            id_management: IdManagement::Legacy,
            backfill_paths: None,
            backfill_functions: Vec::new(),
            max_places: None,
            key_events: Vec::new(),
            attribution_events: Vec::new(),
            attribution_properties: DEFAULT_ATTRIBUTION_PROPERTIES.iter().map(|p| p.to_string()).collect(),
        }
    }
}

impl RuleSettings {
    /// The severity a rule reports with here; `None` when it is off.
    pub fn severity(&self, rule: &str, default: Severity) -> Option<Severity> {
        match self.severities.get(rule) {
            Some(setting) => *setting,
            None => Some(default),
        }
    }
}

/// A loaded configuration (the defaults when there is no file).
#[derive(Debug, Default)]
pub struct Config {
    /// The file it came from; globs are relative to its directory.
    pub path: Option<PathBuf>,
    root: PathBuf,
    /// The working directory the checked paths are relative to, read once.
    cwd: PathBuf,
    exclude: Option<GlobSet>,
    settings: RuleSettings,
    overrides: Vec<(GlobSet, RuleSettingsPatch)>,
    pub wrappers: Vec<LoadedProfile>,
    pub custom_rules: Vec<CustomRule>,
    /// The tracking plan named by `plan = "..."`, resolved against the config's directory.
    pub plan: Option<PathBuf>,
    /// `[inference] enabled = false` turns wrapper inference off.
    pub inference_disabled: bool,
    /// Each `[[wrappers]]` entry as written, for `unused-wrapper`.
    pub declared: Vec<DeclaredWrapper>,
    /// The config's text, where findings about it point.
    pub source: String,
}

/// The configs of one run: the one found for the first path (or named with `--config`), and
/// those in directories below or beside it, each governing the files under its directory (the
/// nearest wins, as in ruff).
pub struct Configs<'a> {
    pub main: &'a Config,
    /// (the config's directory, absolute; the config), deepest first; the main one among them
    /// when it was found rather than named.
    scoped: Vec<(PathBuf, Option<Config>)>,
    /// For files under no config: the built-in defaults.
    defaults: Config,
    cwd: PathBuf,
}

impl<'a> Configs<'a> {
    /// `nested` empty and a main config named with `--config` (or none found): the main one
    /// governs every file. Otherwise each file gets the config nearest above it.
    pub fn new(main: &'a Config, nested: Vec<Config>) -> Configs<'a> {
        let absolute_root = |c: &Config| std::path::absolute(c.root()).ok().map(|p| crate::walk::clean(&p));
        let mut scoped: Vec<(PathBuf, Option<Config>)> = Vec::new();
        if !nested.is_empty()
            && main.path.is_some()
            && let Some(root) = absolute_root(main)
        {
            scoped.push((root, None));
        }
        scoped.extend(nested.into_iter().filter_map(|c| Some((absolute_root(&c)?, Some(c)))));
        scoped.sort_by_key(|(root, _)| std::cmp::Reverse(root.components().count()));
        Configs {
            main,
            scoped,
            defaults: Config::default(),
            cwd: std::env::current_dir().unwrap_or_default(),
        }
    }

    /// The config that governs `path`: the nearest one above it.
    pub fn for_path(&self, path: &Path) -> &Config {
        if self.scoped.is_empty() {
            return self.main;
        }
        let absolute = crate::walk::clean(&self.cwd.join(path));
        self.scoped
            .iter()
            .find(|(root, _)| absolute.starts_with(root))
            .map(|(_, c)| c.as_ref().unwrap_or(self.main))
            .unwrap_or(&self.defaults)
    }

    /// Every config of the run, the main one first.
    pub fn all(&self) -> impl Iterator<Item = &Config> {
        std::iter::once(self.main).chain(self.scoped.iter().filter_map(|(_, c)| c.as_ref()))
    }
}

/// One declared wrapper method and where its entry is in the config.
#[derive(Debug, Clone)]
pub struct DeclaredWrapper {
    /// The calls it makes carry this SDK id and method.
    pub sdk: String,
    pub method: String,
    /// `Analytics.track_event`, as messages name it.
    pub shown: String,
    pub language: &'static str,
    pub span: Range<usize>,
}

/// One `[rules]` table, compiled; applied on top of the settings before it.
#[derive(Debug, Default)]
struct RuleSettingsPatch {
    severities: Vec<(&'static str, Option<Severity>)>,
    style: Option<NameStyle>,
    pattern: Option<Regex>,
    allow: Option<Vec<Regex>>,
    email_names: Option<Vec<String>>,
    id_management: Option<IdManagement>,
    backfill_paths: Option<GlobSet>,
    backfill_functions: Option<Vec<Regex>>,
    max_places: Option<usize>,
    key_events: Option<Vec<String>>,
    attribution_events: Option<Vec<String>>,
    attribution_properties: Option<Vec<String>>,
}

impl RuleSettingsPatch {
    fn apply(&self, s: &mut RuleSettings) {
        for (rule, sev) in &self.severities {
            s.severities.insert(rule, *sev);
        }
        if let Some(max) = self.max_places {
            s.max_places = Some(max);
        }
        if let Some(events) = &self.key_events {
            s.key_events = events.clone();
        }
        if let Some(events) = &self.attribution_events {
            s.attribution_events = events.clone();
        }
        if let Some(properties) = &self.attribution_properties {
            s.attribution_properties = properties.clone();
        }
        if let Some(style) = self.style {
            s.style = style;
            s.style_configured = true;
            s.pattern = None;
        }
        if let Some(p) = &self.pattern {
            s.pattern = Some(p.clone());
        }
        if let Some(a) = &self.allow {
            s.allow = a.clone();
        }
        if let Some(n) = &self.email_names {
            s.email_names = n.clone();
        }
        if let Some(m) = self.id_management {
            s.id_management = m;
        }
        if let Some(g) = &self.backfill_paths {
            s.backfill_paths = Some(g.clone());
        }
        if let Some(f) = &self.backfill_functions {
            s.backfill_functions = f.clone();
        }
    }
}

/// A config error: the message, and the file and span it points at.
#[derive(Debug)]
pub struct ConfigError {
    pub path: PathBuf,
    pub source: String,
    pub span: Option<Range<usize>>,
    pub message: String,
    pub help: Option<String>,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

impl Config {
    /// The config that applies to `start`: the nearest `tracklint.toml` or `.tracklint.toml` in
    /// it or its ancestors, up to the root of the git repository holding it (a config above the
    /// repository belongs to someone else). A discovered config must be a regular file inside
    /// the directory it was found in: a link out of the project is refused, not read.
    pub fn discover(start: &Path) -> Result<Config, ConfigError> {
        let absolute = std::path::absolute(start).unwrap_or_else(|_| start.to_path_buf());
        let first_dir = if absolute.is_dir() { Some(absolute.as_path()) } else { absolute.parent() };
        for dir in first_dir.into_iter().flat_map(Path::ancestors) {
            for name in CONFIG_NAMES {
                let candidate = dir.join(name);
                // A directory of that name is not a config; a link or anything else is read
                // (or refused) by the bounded reader, with a message.
                if std::fs::symlink_metadata(&candidate).is_ok_and(|m| !m.is_dir()) {
                    return Config::load_within(&candidate, Some(dir));
                }
            }
            let pyproject = dir.join("pyproject.toml");
            if std::fs::symlink_metadata(&pyproject).is_ok_and(|m| m.is_file())
                && let Some(config) = Config::load_nested(&pyproject)?
            {
                return Ok(config);
            }
            if dir.join(".git").exists() {
                break;
            }
        }
        Ok(Config::default())
    }

    /// Loads a config the user named (`--config`): any regular file within the size limit.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        Config::load_within(path, None)
    }

    /// A config file found by the walk below a checked directory; `None` for a
    /// `pyproject.toml` without a `[tool.tracklint]` table.
    pub fn load_nested(path: &Path) -> Result<Option<Config>, ConfigError> {
        let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let read = crate::fsutil::read_text(path, crate::fsutil::CONFIG_LIMIT, Some(dir));
        // A `pyproject.toml` is the Python project's, not ours: one without our table (or one
        // that cannot be read) is no config. Read once.
        if path.file_name().is_some_and(|n| n == "pyproject.toml") {
            return match read {
                Ok(text) if has_tracklint_table(&text) => Config::from_text(path, Ok(text)).map(Some),
                _ => Ok(None),
            };
        }
        Config::from_text(path, read).map(Some)
    }

    fn load_within(path: &Path, within: Option<&Path>) -> Result<Config, ConfigError> {
        Config::from_text(path, crate::fsutil::read_text(path, crate::fsutil::CONFIG_LIMIT, within))
    }

    /// A config from its text as read (a refused read is the error).
    fn from_text(
        path: &Path,
        read: Result<String, crate::fsutil::ReadRefused>,
    ) -> Result<Config, ConfigError> {
        let source = read.map_err(|e| ConfigError {
            path: path.to_path_buf(),
            source: String::new(),
            span: None,
            message: format!("cannot read the config file: {e}"),
            help: None,
        })?;
        let root = std::path::absolute(path)
            .ok()
            .and_then(|p| p.parent().map(Path::to_path_buf))
            .unwrap_or_else(|| PathBuf::from("."));
        Config::parse(path, &source, root)
    }

    /// The directory the config's relative paths (`plan`, globs) start from.
    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn parse(path: &Path, source: &str, root: PathBuf) -> Result<Config, ConfigError> {
        let error = |span: Option<Range<usize>>, message: String, help: Option<String>| ConfigError {
            path: path.to_path_buf(),
            source: source.to_string(),
            span,
            message,
            help,
        };
        let is_pyproject = path.file_name().is_some_and(|n| n == "pyproject.toml");
        let raw: RawConfig = if is_pyproject {
            toml::from_str::<RawPyproject>(source).map(|p| p.tool.tracklint.unwrap_or_default())
        } else {
            toml::from_str(source)
        }
        .map_err(|e| {
            let (message, help) = explain_toml_error(e.message());
            error(e.span(), message, help)
        })?;
        let mut custom_rules = Vec::new();
        for rule in raw.custom_rules {
            let span = rule.span();
            let rule = rule.into_inner();
            let id = rule.id.get_ref();
            let id_ok = !id.is_empty()
                && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !id_ok {
                return Err(error(
                    Some(rule.id.span()),
                    format!("custom rule id `{id}` must be kebab-case (a-z, 0-9 and -)"),
                    None,
                ));
            }
            if crate::rules::find(id).is_some() || custom_rules.iter().any(|c: &CustomRule| c.id == id) {
                return Err(error(Some(rule.id.span()), format!("rule id `{id}` is already taken"), None));
            }
            let checks = rule.event_must_match.is_some()
                || rule.event_must_not_match.is_some()
                || !rule.forbidden_properties.is_empty()
                || !rule.required_properties.is_empty();
            if !checks {
                return Err(error(
                    Some(span),
                    format!("custom rule `{id}` checks nothing"),
                    Some("give it `event-must-match`, `event-must-not-match`, `forbidden-properties` or `required-properties`".into()),
                ));
            }
            let compile = |r: &Option<Spanned<String>>| -> Result<Option<Regex>, ConfigError> {
                r.as_ref().map(|r| regex_of(r).map_err(|(s, m)| error(Some(s), m, None))).transpose()
            };
            custom_rules.push(CustomRule {
                // Rule ids live for the whole run, like the built-in ones.
                id: Box::leak(id.clone().into_boxed_str()),
                help: rule.help.unwrap_or_else(|| "see the custom rule in tracklint.toml".into()),
                message: rule.message,
                severity: rule.severity.severity(),
                events: compile(&rule.events)?,
                event_must_match: compile(&rule.event_must_match)?,
                event_must_not_match: compile(&rule.event_must_not_match)?,
                forbidden_properties: rule.forbidden_properties,
                required_properties: rule.required_properties,
            });
        }
        let settings_patch = compile_rules(&raw.rules).map_err(|(s, m)| error(Some(s), m, None))?;
        let mut settings = RuleSettings::default();
        settings_patch.apply(&mut settings);
        let mut overrides = Vec::new();
        for o in &raw.overrides {
            let globs = glob_set(&o.files).map_err(|(s, m)| error(Some(s), m, None))?;
            let patch = compile_rules(&o.rules).map_err(|(s, m)| error(Some(s), m, None))?;
            overrides.push((globs, patch));
        }
        let exclude = if raw.exclude.is_empty() {
            None
        } else {
            Some(glob_set(&raw.exclude).map_err(|(s, m)| error(Some(s), m, None))?)
        };
        let mut wrappers: Vec<LoadedProfile> = Vec::new();
        let mut declared = Vec::new();
        for w in raw.wrappers {
            let span = w.span();
            let profile = wrapper_profile(w.into_inner())
                .map_err(|(s, m)| error(Some(s.unwrap_or(span.clone())), m, None))?;
            for m in &profile.methods {
                let method = m.path.join(".");
                let shown = match &profile.wrapper {
                    Some(WrapperReceiver::Name(r)) => format!("{r}.{method}"),
                    Some(WrapperReceiver::Call(f)) => format!("{f}().{method}"),
                    _ => method.clone(),
                };
                declared.push(DeclaredWrapper {
                    sdk: profile.id.clone(),
                    method,
                    shown,
                    language: profile.languages.first().copied().unwrap_or_default(),
                    span: span.clone(),
                });
            }
            // Methods of one receiver form one client, as an SDK's do.
            match wrappers.iter_mut().find(|p| {
                p.wrapper == profile.wrapper
                    && p.languages == profile.languages
                    && p.platform == profile.platform
            }) {
                Some(existing) => existing.methods.extend(profile.methods),
                None => wrappers.push(profile),
            }
        }
        let plan = raw.plan.as_ref().map(|p| root.join(p));
        let inference_disabled = !raw.inference.enabled;
        Ok(Config {
            inference_disabled,
            declared,
            source: source.to_string(),
            path: Some(path.to_path_buf()),
            root,
            cwd: std::env::current_dir().unwrap_or_default(),
            exclude,
            settings,
            overrides,
            wrappers,
            custom_rules,
            plan,
        })
    }

    /// `path` as the config's globs see it: relative to the config's directory, `/`-separated.
    fn relative(&self, path: &Path) -> PathBuf {
        let absolute = crate::walk::clean(&self.cwd.join(path));
        absolute.strip_prefix(&self.root).map(Path::to_path_buf).unwrap_or(absolute)
    }

    pub fn is_excluded(&self, path: &Path) -> bool {
        self.exclude.as_ref().is_some_and(|g| g.is_match(self.relative(path)))
    }

    /// The rule settings for one file (the overrides that match it applied) and whether it is a
    /// configured backfill path. Borrowed unless an override matches.
    /// The settings before any `[[overrides]]`: what project-wide rules run with.
    pub fn base_settings(&self) -> &RuleSettings {
        &self.settings
    }

    pub fn for_file(&self, path: &Path) -> FileSettings<'_> {
        let borrowed = FileSettings { rules: Cow::Borrowed(&self.settings), backfill_path: false };
        if self.overrides.is_empty() && self.settings.backfill_paths.is_none() {
            return borrowed;
        }
        let relative = self.relative(path);
        let mut file = borrowed;
        for (globs, patch) in &self.overrides {
            if globs.is_match(&relative) {
                patch.apply(file.rules.to_mut());
            }
        }
        file.backfill_path = file.rules.backfill_paths.as_ref().is_some_and(|g| g.is_match(&relative));
        file
    }
}

/// What [`Config::for_file`] answers.
pub struct FileSettings<'c> {
    pub rules: Cow<'c, RuleSettings>,
    /// The file matches a `backfill-missing-ignore-time.paths` glob (after overrides).
    pub backfill_path: bool,
}

type Pointed = (Range<usize>, String);

fn regex_of(r: &Spanned<String>) -> Result<Regex, Pointed> {
    Regex::new(r.get_ref()).map_err(|e| {
        let detail = e.to_string();
        let last = detail.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("invalid").trim();
        (r.span(), format!("invalid regex `{}`: {}", r.get_ref(), last.trim_start_matches("error: ")))
    })
}

fn glob_set(globs: &[Spanned<String>]) -> Result<GlobSet, Pointed> {
    let mut builder = GlobSetBuilder::new();
    for g in globs {
        let text = g.get_ref().trim_start_matches("./");
        let glob = Glob::new(text)
            .map_err(|e| (g.span(), format!("invalid glob `{}`: {}", g.get_ref(), e.kind())))?;
        builder.add(glob);
        // `legacy` and `legacy/` mean the directory and everything in it.
        let dir = text.trim_end_matches('/');
        if !dir.contains(['*', '?', '[', '{'])
            && let Ok(g) = Glob::new(&format!("{dir}/**"))
        {
            builder.add(g);
        }
    }
    builder.build().map_err(|e| (globs.first().map(|g| g.span()).unwrap_or(0..0), e.to_string()))
}

fn compile_rules(raw: &RawRules) -> Result<RuleSettingsPatch, Pointed> {
    let mut patch = RuleSettingsPatch::default();
    let mut severity = |rule: &'static str, s: Option<SeveritySetting>| {
        if let Some(s) = s {
            patch.severities.push((rule, s.severity()));
        }
    };
    severity("event-name-style", raw.event_name_style.as_ref().and_then(|r| r.severity));
    severity("email-as-distinct-id", raw.email_as_distinct_id.as_ref().and_then(|r| r.severity));
    severity("event-before-alias", raw.event_before_alias.as_ref().and_then(|r| r.severity));
    severity("boolean-people-property", raw.boolean_people_property.as_ref().and_then(|r| r.severity));
    severity(
        "backfill-missing-ignore-time",
        raw.backfill_missing_ignore_time.as_ref().and_then(|r| r.severity),
    );
    severity("unused-suppression", raw.unused_suppression.as_ref().and_then(|r| r.severity));
    severity("unused-wrapper", raw.unused_wrapper.as_ref().and_then(|r| r.severity));
    severity("dynamic-event-name", raw.dynamic_event_name.as_ref().and_then(|r| r.severity));
    severity("inconsistent-event-name", raw.inconsistent_event_name.as_ref().and_then(|r| r.severity));
    severity(
        "event-tracked-in-many-places",
        raw.event_tracked_in_many_places.as_ref().and_then(|r| r.severity),
    );
    severity(
        "misspelled-reserved-property",
        raw.misspelled_reserved_property.as_ref().and_then(|r| r.severity),
    );
    severity("pii-in-event-properties", raw.pii_in_event_properties.as_ref().and_then(|r| r.severity));
    severity("unknown-event", raw.unknown_event.as_ref().and_then(|r| r.severity));
    severity("missing-required-property", raw.missing_required_property.as_ref().and_then(|r| r.severity));
    severity("untracked-plan-event", raw.untracked_plan_event.as_ref().and_then(|r| r.severity));
    severity("missing-profile-deletion", raw.missing_profile_deletion.as_ref().and_then(|r| r.severity));
    severity("tracking-in-request-cycle", raw.tracking_in_request_cycle.as_ref().and_then(|r| r.severity));
    severity("hardcoded-project-secret", raw.hardcoded_project_secret.as_ref().and_then(|r| r.severity));
    severity("hardcoded-project-token", raw.hardcoded_project_token.as_ref().and_then(|r| r.severity));
    severity(
        "key-event-without-profile-update",
        raw.key_event_without_profile_update.as_ref().and_then(|r| r.severity),
    );
    severity(
        "missing-attribution-properties",
        raw.missing_attribution_properties.as_ref().and_then(|r| r.severity),
    );
    if let Some(r) = &raw.key_event_without_profile_update
        && !r.events.is_empty()
    {
        patch.key_events = Some(r.events.clone());
    }
    if let Some(r) = &raw.missing_attribution_properties {
        if !r.events.is_empty() {
            patch.attribution_events = Some(r.events.clone());
        }
        if let Some(p) = &r.properties {
            patch.attribution_properties = Some(p.clone());
        }
    }
    if let Some(max) = raw.event_tracked_in_many_places.as_ref().and_then(|r| r.max_places) {
        patch.max_places = Some(max);
    }
    if let Some(r) = &raw.event_name_style {
        patch.style = r.style;
        if let Some(p) = &r.pattern {
            patch.pattern = Some(regex_of(p)?);
        }
        if !r.allow.is_empty() {
            patch.allow = Some(r.allow.iter().map(regex_of).collect::<Result<_, _>>()?);
        }
    }
    if let Some(r) = &raw.email_as_distinct_id
        && !r.names.is_empty()
    {
        patch.email_names = Some(r.names.clone());
    }
    if let Some(r) = &raw.event_before_alias {
        patch.id_management = r.id_management;
    }
    if let Some(r) = &raw.backfill_missing_ignore_time {
        if !r.paths.is_empty() {
            patch.backfill_paths = Some(glob_set(&r.paths)?);
        }
        if !r.functions.is_empty() {
            patch.backfill_functions = Some(r.functions.iter().map(regex_of).collect::<Result<_, _>>()?);
        }
    }
    Ok(patch)
}

const WRAPPER_LANGUAGES: &[&str] = &["ruby", "javascript", "typescript", "python", "rust"];

fn wrapper_profile(w: RawWrapper) -> Result<LoadedProfile, (Option<Range<usize>>, String)> {
    let language = w.language.get_ref().as_str();
    if !WRAPPER_LANGUAGES.contains(&language) {
        let hint = crate::cli::closest(language, WRAPPER_LANGUAGES)
            .map(|c| format!(" (did you mean `{c}`?)"))
            .unwrap_or_default();
        return Err((
            Some(w.language.span()),
            format!("unknown language `{language}`{hint}; one of {}", WRAPPER_LANGUAGES.join(", ")),
        ));
    }
    let Some(kind) = CallKind::from_name(w.kind.get_ref()) else {
        let names = CallKind::names();
        let hint = crate::cli::closest(w.kind.get_ref(), &names)
            .map(|c| format!(" (did you mean `{c}`?)"))
            .unwrap_or_default();
        return Err((Some(w.kind.span()), format!("unknown call kind `{}`{hint}", w.kind.get_ref())));
    };
    // A JavaScript helper is used from TypeScript too, and the other way round.
    let languages: Vec<&'static str> = match language {
        "ruby" => vec!["ruby"],
        "javascript" | "typescript" => vec!["javascript", "typescript"],
        "python" => vec!["python"],
        _ => vec!["rust"],
    };
    let mut clients = Clients::default();
    let receiver = match w.receiver.as_deref().map(str::trim) {
        None | Some("") => WrapperReceiver::Bare,
        Some(r) => match r.strip_suffix("()") {
            // `useAnalytics()`: the function returns the wrapper object.
            Some(function) => {
                clients.constructors.push(function.to_string());
                WrapperReceiver::Call(function.to_string())
            }
            None => WrapperReceiver::Name(r.to_string()),
        },
    };
    // Front-end code identifies once and tracks anonymously; everything else passes ids.
    let platform = w.platform.unwrap_or(if languages.contains(&"javascript") {
        Platform::Browser
    } else {
        Platform::Server
    });
    let spec = MethodSpec {
        name: w.method.clone(),
        kind: w.kind.get_ref().clone(),
        event: w.event,
        identity: w.identity,
        alias_new: w.alias_new,
        alias_original: w.alias_original,
        properties: w.properties,
        modifiers: w.modifiers,
        ip: None,
        name_value_form: false,
        ignore_time_in_properties: false,
        modifiers_hint: None,
        min_positional: None,
        max_positional: None,
        modifiers_add_dollar: false,
    };
    // Wrappers of one receiver merge into one profile, so the id names the receiver (the
    // method is reported beside it); bare functions share the plain `wrapper`.
    let id = match &receiver {
        WrapperReceiver::Bare => "wrapper".to_string(),
        WrapperReceiver::Name(r) => format!("wrapper:{r}"),
        WrapperReceiver::Call(f) => format!("wrapper:{f}()"),
    };
    Ok(LoadedProfile {
        id,
        languages,
        platform,
        packages: Vec::new(),
        clients,
        methods: vec![Method { path: vec![w.method], kind, spec }],
        wrapper: Some(receiver),
        // A team wraps Mixpanel far more often than anything else; a modifiers position says so.
        ignore_time: true,
        vendor: String::new(),
        snake_case_events: false,
        person_properties: String::new(),
    })
}

/// Rewrites serde's "unknown field" messages with a "did you mean".
fn explain_toml_error(message: &str) -> (String, Option<String>) {
    let message = message.trim().to_string();
    let Some(rest) = message.strip_prefix("unknown field `") else { return (message, None) };
    let Some((field, expected)) = rest.split_once('`') else { return (message, None) };
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    let is_rule_table = candidates.contains(&"event-name-style");
    let what = if is_rule_table { "rule" } else { "key" };
    let hint = crate::cli::closest(field, &candidates).map(|c| format!("did you mean `{c}`?"));
    let list = if candidates.is_empty() {
        String::new()
    } else {
        format!("; expected one of {}", candidates.join(", "))
    };
    (format!("unknown {what} `{field}`{list}"), hint)
}

/// The commented starter config `tracklint init` writes.
pub const STARTER: &str = include_str!("../fixtures/config/tracklint.example.toml");

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(Path::new("tracklint.toml"), text, PathBuf::from("/project"))
    }

    #[test]
    fn starter_config_is_valid() {
        if let Err(e) = parse(STARTER) {
            panic!("{e} at {:?}", e.span);
        }
    }

    #[test]
    fn unknown_rule_gets_a_suggestion_and_span() {
        let text = "[rules.event-name-stile]\nstyle = \"snake\"\n";
        let e = parse(text).err().unwrap_or_else(|| panic!("accepted"));
        assert!(e.message.starts_with("unknown rule `event-name-stile`"), "{}", e.message);
        assert_eq!(e.help.as_deref(), Some("did you mean `event-name-style`?"));
        let span = e.span.unwrap_or_default();
        assert!(text[span].contains("event-name-stile"));
    }

    #[test]
    fn bad_regex_points_at_the_string() {
        let text = "[rules.event-name-style]\npattern = \"^[A-Z\"\n";
        let e = parse(text).err().unwrap_or_else(|| panic!("accepted"));
        assert!(e.message.starts_with("invalid regex `^[A-Z`"), "{}", e.message);
        assert_eq!(&text[e.span.unwrap_or_default()], "\"^[A-Z\"");
    }

    #[test]
    fn overrides_apply_by_path() {
        let config = parse(
            "[rules.event-name-style]\nseverity = \"error\"\n[[overrides]]\nfiles = [\"spec/**\"]\nrules.event-name-style.severity = \"off\"\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let app = config.for_file(Path::new("/project/app/a.rb"));
        assert!(matches!(app.rules, Cow::Borrowed(_)));
        assert_eq!(app.rules.severity("event-name-style", Severity::Warning), Some(Severity::Error));
        let spec = config.for_file(Path::new("/project/spec/a_spec.rb"));
        assert_eq!(spec.rules.severity("event-name-style", Severity::Warning), None);
    }

    #[test]
    fn exclude_globs_are_relative_to_the_config() {
        let config =
            parse("exclude = [\"legacy\", \"**/*.generated.js\"]\n").unwrap_or_else(|e| panic!("{e}"));
        assert!(config.is_excluded(Path::new("/project/legacy/a.rb")));
        assert!(config.is_excluded(Path::new("/project/web/x.generated.js")));
        assert!(!config.is_excluded(Path::new("/project/app/legacy.rb")));
    }
}
