//! Rule options. Each rule declares its own (`rule_options!` next to its code: the type, its
//! defaults and its documentation); the config keeps each rule's severity and hands the rest of
//! its table to the rule's type. The `## Options` section of `tracklint explain` and the rule
//! tables of the starter config are generated from the same declaration.

use crate::diagnostic::Severity;
use globset::{Glob, GlobSet, GlobSetBuilder};
use regex::Regex;
use std::any::{Any, TypeId};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// A rule's options, parsed; read back with the rule's own `Options::of(settings)`.
pub type AnyOptions = Arc<dyn Any + Send + Sync>;

/// One option as documented: its key (snake case, written kebab-case in TOML), its doc comment,
/// and an example value in TOML syntax.
pub struct OptionDoc {
    pub key: &'static str,
    /// The Rust type as declared, for the config's JSON Schema.
    pub ty: &'static str,
    pub doc: &'static str,
    pub example: &'static str,
}

impl OptionDoc {
    /// The key as written in `tracklint.toml`.
    pub fn toml_key(&self) -> String {
        self.key.replace('_', "-")
    }
}

/// What a rule declares about its options.
pub struct OptionsSpec {
    /// Reads one rule table as written (without `severity`), errors pointing into the file.
    pub parse: fn(toml::de::ValueDeserializer<'_>) -> Result<AnyOptions, toml::de::Error>,
    /// Reads the merge of several tables (the config's and its overrides'), each already read
    /// once with [`OptionsSpec::parse`].
    pub parse_merged: fn(toml::Value) -> Result<AnyOptions, toml::de::Error>,
    pub docs: &'static [OptionDoc],
    /// `(a, b)`: setting `a` in a later table (an override) unsets `b` from earlier ones, as a
    /// `style` set for some files drops the project's `pattern` there.
    pub replaces: &'static [(&'static str, &'static str)],
}

/// The options of a rule with none but `severity`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct NoOptions {}

pub static NO_OPTIONS: OptionsSpec = OptionsSpec {
    parse: |d| {
        let _: NoOptions = serde::Deserialize::deserialize(d)?;
        Ok(Arc::new(()))
    },
    parse_merged: |v| {
        let _: NoOptions = serde::Deserialize::deserialize(v)?;
        Ok(Arc::new(()))
    },
    docs: &[],
    replaces: &[],
};

impl OptionsSpec {
    /// The `## Options` section of the rule's documentation.
    pub fn markdown(&self, rule: &str) -> String {
        let mut out = format!("## Options\nIn `tracklint.toml`, `[rules.{rule}]`:\n");
        out.push_str("- `severity`: `\"error\"`, `\"warning\"`, `\"info\"` or `\"off\"`.\n");
        for option in self.docs {
            let doc = option.doc.split_whitespace().collect::<Vec<_>>().join(" ");
            out.push_str(&format!(
                "- `{}`: {doc} Example: `{} = {}`.\n",
                option.toml_key(),
                option.toml_key(),
                option.example
            ));
        }
        out
    }

    /// The rule's table in the starter config: the severity live, each option commented out
    /// with its documentation.
    pub fn starter(&self, rule: &str, severity: Severity) -> String {
        let mut out = format!("[rules.{rule}]\nseverity = \"{}\"\n", severity.name());
        for option in self.docs {
            for line in wrap(option.doc, 90) {
                out.push_str(&format!("# {line}\n"));
            }
            out.push_str(&format!("# {} = {}\n", option.toml_key(), option.example));
        }
        out
    }
}

/// A doc comment folded to lines of at most `width` characters.
fn wrap(doc: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in doc.split_whitespace() {
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Declares a rule's `Options`: each field with its doc comment, an `#[example = "toml"]` and
/// its default. Generates the serde type (kebab-case keys, unknown keys refused), its `Default`,
/// the rule's `OPTIONS` spec and `Options::of(settings)`.
macro_rules! rule_options {
    (
        $(replaces: [$(($a:literal, $b:literal)),* $(,)?],)?
        $(
            $(#[doc = $doc:literal])*
            #[example = $example:literal]
            $name:ident: $ty:ty = $default:expr,
        )*
    ) => {
        #[derive(Debug, Clone, serde::Deserialize)]
        #[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
        pub struct Options {
            $( $(#[doc = $doc])* pub $name: $ty, )*
        }

        impl Default for Options {
            fn default() -> Self {
                Options { $($name: $default,)* }
            }
        }

        pub static OPTIONS: $crate::rules::options::OptionsSpec = $crate::rules::options::OptionsSpec {
            parse: |d| {
                let options: Options = serde::Deserialize::deserialize(d)?;
                Ok(std::sync::Arc::new(options))
            },
            parse_merged: |v| {
                let options: Options = serde::Deserialize::deserialize(v)?;
                Ok(std::sync::Arc::new(options))
            },
            docs: &[$($crate::rules::options::OptionDoc {
                key: stringify!($name),
                ty: stringify!($ty),
                doc: concat!($($doc, "\n"),*),
                example: $example,
            }),*],
            replaces: &[$($(($a, $b)),*)?],
        };

        impl Options {
            /// This rule's options where `settings` apply (the defaults when none were set).
            pub fn of(settings: &$crate::rules::options::RuleSettings) -> &Options {
                static DEFAULT: std::sync::OnceLock<Options> = std::sync::OnceLock::new();
                settings.options_of::<Options>().unwrap_or_else(|| DEFAULT.get_or_init(Options::default))
            }
        }
    };
}
pub(crate) use rule_options;

/// The severities and options every built-in rule runs with in one file, after the defaults,
/// the config and its overrides.
#[derive(Debug, Clone, Default)]
pub struct RuleSettings {
    severities: BTreeMap<&'static str, Option<Severity>>,
    options: HashMap<TypeId, AnyOptions>,
}

impl RuleSettings {
    /// The severity a rule reports with here; `None` when it is off.
    pub fn severity(&self, rule: &str, default: Severity) -> Option<Severity> {
        match self.severities.get(rule) {
            Some(setting) => *setting,
            None => Some(default),
        }
    }

    pub fn set_severity(&mut self, rule: &'static str, severity: Option<Severity>) {
        self.severities.insert(rule, severity);
    }

    pub fn set_options(&mut self, options: AnyOptions) {
        // `as_ref` reaches the value inside the `Arc`, whose type is the rule's `Options`.
        let id = options.as_ref().type_id();
        self.options.insert(id, options);
    }

    /// How many rules have options set here.
    pub fn configured_rules(&self) -> usize {
        self.options.len()
    }

    /// The options of type `O` when a config set any.
    pub fn options_of<O: Any>(&self) -> Option<&O> {
        self.options.get(&TypeId::of::<O>())?.downcast_ref::<O>()
    }
}

/// A regular expression option, compiled when the config is read (an invalid one is reported at
/// its string).
#[derive(Debug, Clone)]
pub struct Pattern(pub Regex);

impl<'de> serde::Deserialize<'de> for Pattern {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Regex::new(&text).map(Pattern).map_err(|e| {
            let detail = e.to_string();
            let last = detail.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("invalid").trim();
            serde::de::Error::custom(format!(
                "invalid regex `{text}`: {}",
                last.trim_start_matches("error: ")
            ))
        })
    }
}

impl std::fmt::Display for Pattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// A list of globs relative to the config's directory; `dir` and `dir/` also mean everything
/// under `dir`. Empty matches nothing.
#[derive(Debug, Clone, Default)]
pub struct Globs(pub Option<GlobSet>);

impl Globs {
    pub fn is_match(&self, path: &std::path::Path) -> bool {
        self.0.as_ref().is_some_and(|g| g.is_match(path))
    }

    /// Compiles `globs`, or says which one is invalid.
    pub fn new<'a>(globs: impl IntoIterator<Item = &'a str>) -> Result<Globs, String> {
        let mut builder = GlobSetBuilder::new();
        let mut any = false;
        for original in globs {
            let text = original.trim_start_matches("./");
            let glob = Glob::new(text).map_err(|e| format!("invalid glob `{original}`: {}", e.kind()))?;
            builder.add(glob);
            any = true;
            let dir = text.trim_end_matches('/');
            if !dir.contains(['*', '?', '[', '{'])
                && let Ok(g) = Glob::new(&format!("{dir}/**"))
            {
                builder.add(g);
            }
        }
        if !any {
            return Ok(Globs(None));
        }
        builder.build().map(|g| Globs(Some(g))).map_err(|e| e.to_string())
    }
}

impl<'de> serde::Deserialize<'de> for Globs {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let globs = Vec::<String>::deserialize(d)?;
        Globs::new(globs.iter().map(String::as_str)).map_err(serde::de::Error::custom)
    }
}
