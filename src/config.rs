//! `tracklint.toml`: rule severities and options, per-path overrides, a team's own tracking
//! wrappers and declarative custom rules. The file's shape is a public contract: keys are only
//! ever added. Unknown keys are errors, reported with their span and a "did you mean".

use crate::diagnostic::Severity;
use crate::model::DeclaredWrapper;
use crate::model::{CallKind, Platform};
use crate::profile::{ArgRef, Clients, LoadedProfile, Method, MethodSpec, WrapperReceiver};
use crate::rules::custom::CustomRule;
use crate::rules::options::RuleSettings;
use globset::{Glob, GlobSet, GlobSetBuilder};
use regex::Regex;
use serde::Deserialize;
use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

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
    /// Read by each rule's own options type from the spanned document ([`read_layer`]).
    #[serde(default, rename = "rules")]
    _rules: Option<serde::de::IgnoredAny>,
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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverride {
    files: Vec<Spanned<String>>,
    #[serde(default, rename = "rules")]
    _rules: Option<serde::de::IgnoredAny>,
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

/// A loaded configuration (the defaults when there is no file).
#[derive(Debug, Default)]
pub struct Config {
    /// The file it came from; globs are relative to its directory.
    pub path: Option<PathBuf>,
    root: PathBuf,
    /// The working directory the checked paths are relative to, read once.
    cwd: PathBuf,
    exclude: Option<GlobSet>,
    /// The `[rules]` table; `settings` is it applied to the defaults.
    rules: RuleLayer,
    settings: Arc<RuleSettings>,
    overrides: Vec<(GlobSet, RuleLayer)>,
    /// The settings of each combination of overrides a file matched, built on first use.
    combined: Mutex<HashMap<Vec<usize>, Arc<RuleSettings>>>,
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
        let absolute_root = |c: &Config| std::path::absolute(c.root()).ok().map(|p| crate::fsutil::clean(&p));
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
        let absolute = crate::fsutil::clean(&self.cwd.join(path));
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
        // Rule tables are read from the spanned document, so that each rule's own options type
        // reports a bad value where it is written.
        let document =
            toml::de::DeTable::parse(source).map_err(|e| error(e.span(), e.message().to_string(), None))?;
        let mut top = document.get_ref();
        if is_pyproject {
            let tracklint =
                entry(top, "tool").and_then(|t| t.get_ref().as_table()).and_then(|t| entry(t, "tracklint"));
            match tracklint.and_then(|t| t.get_ref().as_table()) {
                Some(table) => top = table,
                None => return Ok(Config::default()),
            }
        }
        let pointed = |(span, message, help): Located| error(Some(span), message, help);
        let rules = entry(top, "rules").map(read_layer).transpose().map_err(pointed)?.unwrap_or_default();
        let settings = Arc::new(combine(&[&rules]));
        let override_tables: Vec<_> = entry(top, "overrides")
            .and_then(|o| o.get_ref().as_array())
            .map(|a| a.iter().map(|t| t.get_ref().as_table().and_then(|t| entry(t, "rules"))).collect())
            .unwrap_or_default();
        let mut overrides = Vec::new();
        for (i, o) in raw.overrides.iter().enumerate() {
            let globs = glob_set(&o.files).map_err(|(s, m)| error(Some(s), m, None))?;
            let layer = override_tables
                .get(i)
                .copied()
                .flatten()
                .map(read_layer)
                .transpose()
                .map_err(pointed)?
                .unwrap_or_default();
            overrides.push((globs, layer));
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
                    sdk: profile.id.to_string(),
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
            rules,
            settings,
            overrides,
            combined: Mutex::default(),
            wrappers,
            custom_rules,
            plan,
        })
    }

    /// `path` as the config's globs see it: relative to the config's directory, `/`-separated.
    fn relative(&self, path: &Path) -> PathBuf {
        let absolute = crate::fsutil::clean(&self.cwd.join(path));
        absolute.strip_prefix(&self.root).map(Path::to_path_buf).unwrap_or(absolute)
    }

    pub fn is_excluded(&self, path: &Path) -> bool {
        self.exclude.as_ref().is_some_and(|g| g.is_match(self.relative(path)))
    }

    /// The settings before any `[[overrides]]`: what project-wide rules run with.
    pub fn base_settings(&self) -> &RuleSettings {
        &self.settings
    }

    /// The rule settings for one file (the overrides that match it applied, in order) and its
    /// path as the config's globs see it.
    pub fn for_file(&self, path: &Path) -> FileSettings {
        let relative = self.relative(path);
        let matched: Vec<usize> = self
            .overrides
            .iter()
            .enumerate()
            .filter(|(_, (g, _))| g.is_match(&relative))
            .map(|(i, _)| i)
            .collect();
        if matched.is_empty() {
            return FileSettings { rules: Arc::clone(&self.settings), relative };
        }
        // A poisoned lock only means another thread panicked mid-insert; the map is still whole.
        let mut combined = self.combined.lock().unwrap_or_else(|e| e.into_inner());
        let rules = combined
            .entry(matched.clone())
            .or_insert_with(|| {
                let mut layers = vec![&self.rules];
                layers.extend(matched.iter().map(|&i| &self.overrides[i].1));
                Arc::new(combine(&layers))
            })
            .clone();
        FileSettings { rules, relative }
    }
}

/// What [`Config::for_file`] answers.
pub struct FileSettings {
    pub rules: Arc<RuleSettings>,
    /// The file's path relative to the config's directory, `/`-separated, as globs match it.
    pub relative: PathBuf,
}

/// One `[rules]` table as written: per rule, its severity (when set) and its other keys.
#[derive(Debug, Default)]
struct RuleLayer {
    rules: Vec<(&'static crate::rules::RuleMeta, Option<Option<Severity>>, toml::Table)>,
}

/// The entry `key` of a spanned table.
fn entry<'a, 'i>(table: &'a DeTable<'i>, key: &str) -> Option<&'a Spanned<DeValue<'i>>> {
    table.iter().find(|(k, _)| k.get_ref() == key).map(|(_, v)| v)
}

/// A TOML error from reading a value, with the span it points at (or `fallback`'s).
fn pointed_error(e: toml::de::Error, fallback: &Range<usize>) -> Located {
    let (message, help) = explain_toml_error(e.message());
    (e.span().unwrap_or_else(|| fallback.clone()), message, help)
}

/// Reads a `[rules]` table: every id must be a rule's, every table valid for the rule's options
/// (each rule's own type reads it, so a bad value is reported where it is written).
fn read_layer<'i>(table: &Spanned<DeValue<'i>>) -> Result<RuleLayer, Located> {
    let Some(entries) = table.get_ref().as_table() else {
        return Err((table.span(), "`rules` must be a table of rule ids".into(), None));
    };
    let ids: Vec<&str> = crate::rules::RULES.iter().map(|r| r.meta().id).collect();
    let mut layer = RuleLayer::default();
    for (key, value) in entries.iter() {
        let Some(rule) = crate::rules::find(key.get_ref()) else {
            let hint = crate::text::closest(key.get_ref(), &ids).map(|c| format!("did you mean `{c}`?"));
            return Err((
                key.span(),
                format!("unknown rule `{}`; expected one of {}", key.get_ref(), ids.join(", ")),
                hint,
            ));
        };
        let meta = rule.meta();
        let Some(body) = value.get_ref().as_table() else {
            return Err((value.span(), format!("`rules.{}` must be a table", meta.id), None));
        };
        let mut severity = None;
        let mut options = DeTable::new();
        let mut plain = toml::Table::new();
        for (k, v) in body.iter() {
            let read = |v: &Spanned<DeValue<'i>>| toml::de::ValueDeserializer::from(v.clone());
            if k.get_ref() == "severity" {
                let s = SeveritySetting::deserialize(read(v)).map_err(|e| pointed_error(e, &v.span()))?;
                severity = Some(s.severity());
            } else {
                options.insert(k.clone(), v.clone());
                let value = toml::Value::deserialize(read(v)).map_err(|e| pointed_error(e, &v.span()))?;
                plain.insert(k.get_ref().to_string(), value);
            }
        }
        let spanned = Spanned::new(value.span(), DeValue::Table(options));
        (meta.options.parse)(toml::de::ValueDeserializer::from(spanned))
            .map_err(|e| pointed_error(e, &value.span()))?;
        layer.rules.push((meta, severity, plain));
    }
    Ok(layer)
}

/// The settings of `layers` applied in order to the defaults: severities replace, option keys
/// replace key by key (a rule's `replaces` drop what a later key supersedes).
fn combine(layers: &[&RuleLayer]) -> RuleSettings {
    let mut settings = RuleSettings::default();
    let mut tables: Vec<(&'static crate::rules::RuleMeta, toml::Table)> = Vec::new();
    for layer in layers {
        for (meta, severity, table) in &layer.rules {
            if let Some(severity) = severity {
                settings.set_severity(meta.id, *severity);
            }
            if table.is_empty() {
                continue;
            }
            let i = match tables.iter().position(|(m, _)| m.id == meta.id) {
                Some(i) => i,
                None => {
                    tables.push((meta, toml::Table::new()));
                    tables.len() - 1
                }
            };
            let merged = &mut tables[i].1;
            for (key, superseded) in meta.options.replaces {
                if table.contains_key(*key) {
                    merged.remove(*superseded);
                }
            }
            merged.extend(table.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
    }
    for (meta, table) in tables {
        // Every key was read once already; a merge of valid tables is valid.
        if let Ok(options) = (meta.options.parse_merged)(toml::Value::Table(table)) {
            settings.set_options(options);
        }
    }
    settings
}

type Pointed = (Range<usize>, String);
/// A config error with a help line.
type Located = (Range<usize>, String, Option<String>);

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

fn wrapper_profile(w: RawWrapper) -> Result<LoadedProfile, (Option<Range<usize>>, String)> {
    let language = w.language.get_ref().as_str();
    let languages = crate::language::wrapper_language_names();
    if !languages.contains(&language) {
        let hint = crate::text::closest(language, &languages)
            .map(|c| format!(" (did you mean `{c}`?)"))
            .unwrap_or_default();
        return Err((
            Some(w.language.span()),
            format!("unknown language `{language}`{hint}; one of {}", languages.join(", ")),
        ));
    }
    let Some(kind) = CallKind::from_name(w.kind.get_ref()) else {
        let names = CallKind::names();
        let hint = crate::text::closest(w.kind.get_ref(), &names)
            .map(|c| format!(" (did you mean `{c}`?)"))
            .unwrap_or_default();
        return Err((Some(w.kind.span()), format!("unknown call kind `{}`{hint}", w.kind.get_ref())));
    };
    // A JavaScript helper is used from TypeScript too, and the other way round.
    let languages = crate::language::sharing_sdks(language);
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
    // Front-end and app code identifies once and tracks anonymously; everything else passes ids.
    let platform =
        w.platform.unwrap_or(if languages.contains(&"javascript") || languages.contains(&"swift") {
            Platform::Browser
        } else {
            Platform::Server
        });
    let spec = MethodSpec {
        event: w.event,
        identity: w.identity,
        alias_new: w.alias_new,
        alias_original: w.alias_original,
        properties: w.properties,
        modifiers: w.modifiers,
        ..MethodSpec::new(&w.method, w.kind.get_ref())
    };
    // Wrappers of one receiver merge into one profile, so the id names the receiver (the
    // method is reported beside it); bare functions share the plain `wrapper`.
    let id = match &receiver {
        WrapperReceiver::Bare => "wrapper".to_string(),
        WrapperReceiver::Name(r) => format!("wrapper:{r}"),
        WrapperReceiver::Call(f) => format!("wrapper:{f}()"),
    };
    Ok(LoadedProfile {
        secondary: false,
        free_event_names: false,
        init: Default::default(),
        token_format: None,
        secret_format: None,
        secrets: Vec::new(),
        builder: Default::default(),
        id: id.into(),
        languages,
        platform,
        packages: Vec::new(),
        clients,
        methods: vec![Method { path: vec![w.method], kind, spec }],
        wrapper: Some(receiver),
        // A team wraps Mixpanel far more often than anything else; a modifiers position says so.
        ignore_time: true,
        vendor: crate::model::Shared::default(),
        snake_case_events: false,
        person_properties: crate::profile::DEFAULT_PERSON_PROPERTIES.into(),
        constants: Default::default(),
        no_personal_data: false,
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
    let hint = crate::text::closest(field, &candidates).map(|c| format!("did you mean `{c}`?"));
    let list = if candidates.is_empty() {
        String::new()
    } else {
        format!("; expected one of {}", candidates.join(", "))
    };
    (format!("unknown {what} `{field}`{list}"), hint)
}

/// The commented starter config `tracklint init` writes: every rule's table, generated from
/// the rules' own options (`fixtures/config/tracklint.example.toml` is a copy, kept equal by a
/// test).
pub fn starter() -> String {
    let mut out = String::from(STARTER_HEAD);
    for rule in crate::rules::RULES {
        let meta = rule.meta();
        out.push_str(&meta.options.starter(meta.id, meta.default_severity));
        out.push('\n');
    }
    out.push_str(STARTER_TAIL);
    out
}

const STARTER_HEAD: &str = r#"# tracklint.toml: configuration for tracklint (https://github.com/tracklint/tracklint).
# Every key is optional; without this file tracklint runs with the defaults shown here.
# `tracklint rules` lists the rules, `tracklint explain RULE` documents one.

# Globs (relative to this file) that are never linted, on top of .gitignore.
exclude = []

# A tracking plan (CSV or JSON, relative to this file) to check events against; write one
# from the code with `tracklint events --format csv > tracking-plan.csv`.
# plan = "tracking-plan.csv"

"#;

const STARTER_TAIL: &str = r#"# Different settings for some files:
# [[overrides]]
# files = ["spec/**", "test/**"]
# rules.event-name-style.severity = "off"

# Your own tracking functions, checked like direct SDK calls. Positions are 1-based, or a
# keyword / object-key name.
# [[wrappers]]
# language = "ruby"           # ruby | javascript | typescript | python | rust
# receiver = "Analytics"      # omit for a bare function; "useAnalytics()" for a hook's result
# method = "track_event"
# kind = "track"              # track, alias, identify, people-set, people-set-once, ...
# identity = 1
# event = 2
# properties = 3

# Team conventions that need no code:
# [[custom-rules]]
# id = "no-pii-properties"
# message = "personal data must not be sent as an event property"
# severity = "error"
# forbidden-properties = ["email", "phone"]
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(Path::new("tracklint.toml"), text, PathBuf::from("/project"))
    }

    #[test]
    fn starter_config_is_valid() {
        if let Err(e) = parse(&starter()) {
            panic!("{e} at {:?}", e.span);
        }
    }

    #[test]
    fn the_starter_file_is_the_generated_one() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/config/tracklint.example.toml");
        if std::env::var_os("TRACKLINT_BLESS").is_some() {
            std::fs::write(&path, starter()).unwrap_or_else(|e| panic!("{e}"));
        }
        let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            on_disk == starter(),
            "fixtures/config/tracklint.example.toml is stale: run with TRACKLINT_BLESS=1"
        );
    }

    /// Every documented example is a valid value of its option: the starter config with each
    /// rule option uncommented parses, and sets what it says.
    #[test]
    fn every_option_example_is_valid() {
        let tables: String = crate::rules::RULES
            .iter()
            .map(|r| r.meta().options.starter(r.meta().id, r.meta().default_severity))
            .collect();
        let text: String = tables
            .lines()
            .map(|line| match line.strip_prefix("# ") {
                Some(option)
                    if option
                        .split_once(" = ")
                        .is_some_and(|(k, _)| k.chars().all(|c| c.is_ascii_lowercase() || c == '-')) =>
                {
                    format!("{option}\n")
                }
                _ => format!("{line}\n"),
            })
            .collect();
        let config = parse(&text).unwrap_or_else(|e| panic!("{}: {:?}\n{text}", e.message, e.span));
        let with_options = crate::rules::RULES.iter().filter(|r| !r.meta().options.docs.is_empty()).count();
        assert_eq!(config.base_settings().configured_rules(), with_options, "{text}");
        assert!(with_options >= 7);
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
        assert!(Arc::ptr_eq(&app.rules, &config.settings), "no override: the config's own settings");
        assert_eq!(app.rules.severity("event-name-style", Severity::Warning), Some(Severity::Error));
        let spec = config.for_file(Path::new("/project/spec/a_spec.rb"));
        assert_eq!(spec.rules.severity("event-name-style", Severity::Warning), None);
    }

    #[test]
    fn override_options_merge_key_by_key_and_a_style_drops_the_pattern() {
        let config = parse(
            "[rules.event-name-style]\npattern = \"^[A-Z]\"\nallow = [\"^Legacy\"]\n\
             [[overrides]]\nfiles = [\"spec/**\"]\nrules.event-name-style.style = \"snake\"\n\
             [[overrides]]\nfiles = [\"spec/old/**\"]\nrules.event-name-style.allow = []\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let options = |path: &str| {
            let file = config.for_file(Path::new(path));
            let o = crate::rules::event_name_style::Options::of(&file.rules).clone();
            (o.style.map(|s| s.name()), o.pattern.map(|p| p.to_string()), o.allow.len())
        };
        assert_eq!(options("/project/app/a.rb"), (None, Some("^[A-Z]".to_string()), 1));
        assert_eq!(options("/project/spec/a.rb"), (Some("snake"), None, 1));
        assert_eq!(options("/project/spec/old/a.rb"), (Some("snake"), None, 0));
        // One combination, built once.
        let again = config.for_file(Path::new("/project/spec/b.rb"));
        assert!(Arc::ptr_eq(&again.rules, &config.for_file(Path::new("/project/spec/a.rb")).rules));
    }

    #[test]
    fn a_bad_option_value_points_at_its_value() {
        let text = "[rules.email-as-distinct-id]\nnames = \"email\"\n";
        let e = parse(text).err().unwrap_or_else(|| panic!("accepted"));
        assert_eq!(&text[e.span.clone().unwrap_or_default()], "\"email\"", "{}", e.message);
        let text = "[rules.email-as-distinct-id]\nnmes = [\"email\"]\n";
        let e = parse(text).err().unwrap_or_else(|| panic!("accepted"));
        assert!(e.message.starts_with("unknown key `nmes`"), "{}", e.message);
        assert_eq!(e.help.as_deref(), Some("did you mean `names`?"));
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
