//! SDK profiles: which receivers are clients of an SDK and, per method, which argument holds the
//! event, the identity, the properties and the modifiers. Profiles are data (`rules/*.toml`),
//! embedded in the binary; a team's wrappers use the same schema.

use crate::model::{
    Arg, Call, CallKind, CallSite, Identity, IdentityRole, Language, Platform, Value, ValueKind,
};
use serde::Deserialize;

// The built-in profiles, embedded at compile time: every `rules/*.toml` (build.rs).
include!(concat!(env!("OUT_DIR"), "/profiles.rs"));

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub id: String,
    pub languages: Vec<String>,
    pub platform: Platform,
    #[serde(default)]
    pub packages: Vec<String>,
    #[serde(default)]
    pub clients: Clients,
    #[serde(default)]
    pub methods: Vec<MethodSpec>,
    /// Whether the SDK has Mixpanel's `$ignore_time` profile modifier (backfill rule).
    #[serde(default)]
    pub ignore_time: bool,
    /// The product the events land in, as messages name it (`PostHog`).
    #[serde(default)]
    pub vendor: String,
    /// The vendor documents lowercase snake case event names (`pricing_page_viewed`, with
    /// optional `category:` prefixes): without a configured style they are accepted.
    #[serde(default)]
    pub snake_case_events: bool,
    /// Where personal data about a user belongs in this product, for help texts: "the
    /// profile (`$email`, `$phone`, `$name` with `people.set`)".
    #[serde(default)]
    pub person_properties: String,
    /// How a client is built (`clients.constructors`, `classes`, a factory's method): where
    /// its token and secret are, and whether it sends from a queue.
    #[serde(default)]
    pub init: InitSpec,
    /// Key formats that are secrets wherever they are written (`phx_...`), or in files that
    /// use this SDK.
    #[serde(default)]
    pub secrets: Vec<SecretSpec>,
    /// The vendor documents no naming convention for event names (Datadog RUM actions): without
    /// a configured style, event-name-style leaves them alone.
    #[serde(default)]
    pub free_event_names: bool,
    /// Another profile builds the same client (`Mixpanel::Tracker.new`): that one is meant
    /// unless a manifest lists this one. Secondary profiles come after the others.
    #[serde(default)]
    pub secondary: bool,
    /// Rust: methods on an event value that add one property (`insert_prop(key, value)`), and
    /// the struct whose fields are the profile modifiers (`Modifiers { ignore_time, .. }`).
    #[serde(default)]
    pub builder: BuilderSpec,
    /// Names the SDK defines for its own event names and parameter keys
    /// (`AnalyticsEventSignUp` = `sign_up`): read where a call uses them and the project does
    /// not define a constant of that name.
    #[serde(default)]
    pub constants: std::collections::BTreeMap<String, String>,
    /// The vendor forbids personal data in events and user properties alike (Google Analytics):
    /// there is nowhere to move it, so help says to drop it.
    #[serde(default)]
    pub no_personal_data: bool,
}

/// The construction of a client (a `[init]` table).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InitSpec {
    /// Where the project token is (a position, a keyword or an object key).
    pub token: Option<ArgRef>,
    /// Where a secret is: an API secret, a server write key.
    pub secret: Option<ArgRef>,
    /// What a written token looks like (a regex): others (`'YOUR_TOKEN'`) are placeholders.
    pub token_format: Option<String>,
    /// What a written secret looks like, and what to call it in messages.
    pub secret_format: Option<String>,
    pub secret_name: Option<String>,
    /// The client sends from a background queue: calls never wait on the analytics API.
    #[serde(default)]
    pub queues: bool,
    /// A block given to the construction makes the client hand messages to it
    /// (`Mixpanel::Tracker.new(token) { |type, message| .. }`): it queues.
    #[serde(default)]
    pub queues_with_block: bool,
    /// Keyword arguments that make the client queue (`Mixpanel(token, consumer=..)`).
    #[serde(default)]
    pub queues_with: Vec<String>,
}

/// A secret recognised by its text.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecretSpec {
    /// A regex whose first group is the secret.
    pub pattern: String,
    /// What it is, for the message: "a PostHog personal API key".
    pub what: String,
    /// Reported in files of any language; otherwise in files of this SDK's languages.
    #[serde(default)]
    pub anywhere: bool,
    /// Only in files whose text has this word (`ixpanel` for a constant named `*_API_SECRET`).
    pub near: Option<String>,
    /// A word every match contains, so that the prefilter reads files that hold only a secret.
    pub trigger: Option<String>,
}

/// Rust builder facts (a `[builder]` table).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BuilderSpec {
    /// Methods of the event value that add one `(key, value)` property.
    #[serde(default)]
    pub property_methods: Vec<String>,
    /// The struct whose literal fields hold the profile modifiers (`Modifiers`).
    pub modifiers_struct: Option<String>,
    /// Its fields the SDK sends as `$field` (`ignore_time` → `$ignore_time`).
    #[serde(default)]
    pub modifier_fields: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Clients {
    /// Callee texts whose result is a client (`Mixpanel::Tracker.new`).
    #[serde(default)]
    pub constructors: Vec<String>,
    /// Modules whose default export is a client instance.
    #[serde(default)]
    pub modules: Vec<String>,
    /// Modules that are clients only once a manifest lists the profile's package
    /// (`import analytics` is Segment's only if a requirements file says so).
    #[serde(default)]
    pub conventional_modules: Vec<String>,
    /// Modules whose export makes clients through one of `factory_methods`.
    #[serde(default)]
    pub factory_modules: Vec<String>,
    #[serde(default)]
    pub factory_methods: Vec<String>,
    /// Receiver names that are evidence on their own.
    #[serde(default)]
    pub names: Vec<String>,
    /// Receiver names that count only once the project shows it uses the SDK.
    #[serde(default)]
    pub conventional_names: Vec<String>,
    /// Classes, qualified by the module they are imported from (`posthog-node.PostHog`,
    /// `mixpanel.Mixpanel`, `mixpanel_rs.Mixpanel.init`), whose construction makes a client.
    #[serde(default)]
    pub classes: Vec<String>,
    /// Qualified types or modules that are receivers themselves (`posthog_rs.Event` in
    /// `Event::new(..)`, `analytics.message` for Segment's Rust message structs).
    #[serde(default)]
    pub types: Vec<String>,
    /// Global functions that are the SDK's own calls (`gtag(..)`, defined by the vendor's
    /// page snippet), unless the file binds the name to something else.
    #[serde(default)]
    pub functions: Vec<String>,
    /// Calls that show the project loads the vendor's snippet (`heap.load('id')`): evidence
    /// that its conventional global names are the vendor's.
    #[serde(default)]
    pub evidence_calls: Vec<String>,
}

/// Where an argument sits: a 1-based position, a keyword or object key, or `N.key` (a key inside
/// the object at position N).
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum ArgRef {
    Position(usize),
    Name(String),
    /// The first of several places that is present: `[3, "meta"]` is the third positional
    /// argument or the `meta` keyword.
    AnyOf(Vec<ArgRef>),
}

impl ArgRef {
    /// Whether the role is read from a key of the first argument (`"1.event"`): the method
    /// takes an options object (Segment's `track({ event, userId })`).
    pub fn in_first_object(&self) -> bool {
        match self {
            ArgRef::Name(n) => n.starts_with("1."),
            ArgRef::AnyOf(all) => all.iter().any(ArgRef::in_first_object),
            ArgRef::Position(_) => false,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MethodSpec {
    pub name: crate::model::Shared,
    pub kind: String,
    /// For a method of kind `init` (`mixpanel.init(token, config)`): the token and a secret.
    pub token: Option<ArgRef>,
    pub secret: Option<ArgRef>,
    pub event: Option<ArgRef>,
    pub identity: Option<ArgRef>,
    pub alias_new: Option<ArgRef>,
    pub alias_original: Option<ArgRef>,
    pub properties: Option<ArgRef>,
    pub modifiers: Option<ArgRef>,
    pub ip: Option<ArgRef>,
    /// A string where the properties go means `(name, value)` and shifts later positions by one.
    #[serde(default)]
    pub name_value_form: bool,
    /// The one property a call sets by name and value where both are labelled (Swift
    /// `people.set(property: "plan", to: "Pro")`).
    pub property_name: Option<ArgRef>,
    pub property_value: Option<ArgRef>,
    #[serde(default)]
    pub ignore_time_in_properties: bool,
    pub modifiers_hint: Option<crate::model::Shared>,
    /// The spec applies only to calls with at least / at most this many positional arguments
    /// (posthog-python's `capture` changed its argument order in 6.0).
    pub min_positional: Option<usize>,
    pub max_positional: Option<usize>,
    /// The spec applies only when the first positional argument is this string (`gtag('event',
    /// name, params)`; `gtag('config', id)` is not a tracking call).
    pub first_literal: Option<String>,
    /// The spec applies only when the event role is present (`dataLayer.push({ event })`; a
    /// push without an event is not a tracking call).
    #[serde(default)]
    pub requires_event: bool,
    /// The SDK adds the `$` to known modifier keys itself (zevarito's `mixpanel` gem turns
    /// `:ignore_time` into `$ignore_time`).
    #[serde(default)]
    pub modifiers_add_dollar: bool,
}

impl MethodSpec {
    /// Whether the call's event or identity is a key of its first argument (Segment's
    /// `track(user_id: .., event: ..)`): the method takes one options object.
    pub fn reads_options_object(&self) -> bool {
        [&self.event, &self.identity, &self.alias_new].into_iter().flatten().any(ArgRef::in_first_object)
    }
}

/// Where personal data belongs, in help texts, when a profile does not say.
pub const DEFAULT_PERSON_PROPERTIES: &str = "the user's profile";

/// A method spec checked and ready to match.
#[derive(Debug, Clone)]
pub struct Method {
    pub path: Vec<String>,
    pub kind: CallKind,
    pub spec: MethodSpec,
}

impl Method {
    fn matches_path(&self, path: &[&str]) -> bool {
        self.path.len() == path.len() && self.path.iter().zip(path).all(|(a, b)| a == b)
    }
}

#[derive(Debug, Clone)]
pub struct LoadedProfile {
    pub id: crate::model::Shared,
    pub secondary: bool,
    pub free_event_names: bool,
    pub init: InitSpec,
    /// `init.token_format` and `init.secret_format`, compiled.
    pub token_format: Option<regex::Regex>,
    pub secret_format: Option<regex::Regex>,
    /// `secrets`, their patterns compiled.
    pub secrets: Vec<(regex::Regex, SecretSpec)>,
    pub builder: BuilderSpec,
    pub languages: Vec<&'static str>,
    pub platform: Platform,
    pub packages: Vec<String>,
    pub clients: Clients,
    pub methods: Vec<Method>,
    /// Set for a team's wrapper from `tracklint.toml`: its receiver is trusted by name.
    pub wrapper: Option<WrapperReceiver>,
    pub ignore_time: bool,
    pub vendor: crate::model::Shared,
    pub snake_case_events: bool,
    /// Never empty: "the user's profile" when the profile does not say.
    pub person_properties: crate::model::Shared,
    /// The SDK's own constants (`constants` in the profile).
    pub constants: std::collections::BTreeMap<String, String>,
    pub no_personal_data: bool,
}

/// How a wrapper's receiver is written in `[[wrappers]] receiver`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WrapperReceiver {
    /// No receiver: a bare function call, `track_event(user, 'Signed Up')`.
    Bare,
    /// A name: `Analytics`, `TrackEventJob`, `analytics` (also `this.analytics`, `@analytics`).
    Name(String),
    /// A function whose result is the wrapper: `useAnalytics()`.
    Call(String),
}

impl LoadedProfile {
    pub fn supports(&self, language: Language) -> bool {
        self.languages.contains(&language.name())
    }

    /// The registries this profile's `packages` are published on.
    pub fn ecosystems(&self) -> Vec<&'static str> {
        let mut out: Vec<&'static str> =
            self.languages.iter().map(|l| crate::language::ecosystem_of_name(l)).collect();
        out.dedup();
        out
    }

    /// Whether any spec has this method path.
    pub fn has_method(&self, path: &[&str]) -> bool {
        self.methods.iter().any(|m| m.matches_path(path))
    }

    /// The spec for a call of `path` with these arguments.
    pub fn method(&self, path: &[&str], args: &[Arg]) -> Option<&Method> {
        let positional = args.iter().filter(|a| a.keyword.is_none()).count();
        let found = Args::new(args);
        self.methods.iter().find(|m| {
            m.matches_path(path)
                && m.spec.min_positional.is_none_or(|min| positional >= min)
                && m.spec.max_positional.is_none_or(|max| positional <= max)
                && m.spec.first_literal.as_ref().is_none_or(|want| {
                    found.positional(1).and_then(|v| v.as_str()).is_some_and(|first| first == want)
                })
                && (!m.spec.requires_event || m.spec.event.as_ref().is_some_and(|e| found.get(e).is_some()))
        })
    }
}

pub struct Profiles {
    pub list: Vec<LoadedProfile>,
}

/// A profile failed to load; carries the profile name and the reason.
#[derive(Debug)]
pub struct ProfileError {
    pub profile: String,
    pub message: String,
}

impl std::fmt::Display for ProfileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "profile `{}`: {}", self.profile, self.message)
    }
}

impl Profiles {
    /// The embedded profiles, parsed once per process (the language server lints on every
    /// edit).
    pub fn builtin() -> Result<Profiles, ProfileError> {
        static LOADED: std::sync::OnceLock<Result<Vec<LoadedProfile>, (String, String)>> =
            std::sync::OnceLock::new();
        let loaded = LOADED.get_or_init(|| {
            let mut list = Vec::new();
            for (name, text) in BUILTIN {
                list.push(load(name, text).map_err(|e| (e.profile, e.message))?);
            }
            // File-name order, secondary profiles last: the first that builds a client is meant.
            list.sort_by_key(|p: &LoadedProfile| p.secondary);
            Ok(list)
        });
        match loaded {
            Ok(list) => Ok(Profiles { list: list.clone() }),
            Err((profile, message)) => {
                Err(ProfileError { profile: profile.clone(), message: message.clone() })
            }
        }
    }

    /// The built-in profiles plus a config's wrappers.
    pub fn with_wrappers(wrappers: Vec<LoadedProfile>) -> Result<Profiles, ProfileError> {
        let mut profiles = Profiles::builtin()?;
        profiles.list.extend(wrappers);
        Ok(profiles)
    }

    /// The method names of bare-function wrappers, for the prefilter.
    pub fn bare_functions(&self, language: Language) -> Vec<String> {
        self.list
            .iter()
            .filter(|p| p.wrapper == Some(WrapperReceiver::Bare) && p.supports(language))
            .flat_map(|p| p.methods.iter().filter_map(|m| m.path.last().cloned()))
            .collect()
    }

    pub fn get(&self, id: &str) -> Option<&LoadedProfile> {
        self.list.iter().find(|p| p.id == id)
    }

    /// Every method name (the last path segment) a front-end should keep call sites for in
    /// files of `language`.
    pub fn method_names(&self, language: Language) -> Vec<String> {
        let mut names: Vec<String> = self
            .list
            .iter()
            .filter(|p| p.supports(language))
            .flat_map(|p| p.methods.iter().filter_map(|m| m.path.last().cloned()))
            .collect();
        names.sort();
        names.dedup();
        names
    }
}

/// Every `*.toml` profile in a directory (for tools and tests that drive the library with
/// SDKs of their own), in file-name order.
pub fn load_dir(dir: &std::path::Path) -> Result<Vec<LoadedProfile>, ProfileError> {
    let err = |message: String| ProfileError { profile: dir.display().to_string(), message };
    let mut paths: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| err(e.to_string()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    let mut out = Vec::new();
    for path in paths {
        let text = crate::fsutil::read_text(&path, crate::fsutil::CONFIG_LIMIT, Some(dir))
            .map_err(|e| err(format!("{}: {e}", path.display())))?;
        let name = path.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
        out.push(load(&name, &text)?);
    }
    Ok(out)
}

pub fn load(name: &str, text: &str) -> Result<LoadedProfile, ProfileError> {
    let err = |message: String| ProfileError { profile: name.to_string(), message };
    let raw: Profile = toml::from_str(text).map_err(|e| err(e.to_string()))?;
    let mut languages = Vec::new();
    for l in &raw.languages {
        // The language table names every language a profile can be for.
        match crate::language::LANGUAGES.iter().map(|k| k.name).find(|k| k == l) {
            Some(k) => languages.push(k),
            None => return Err(err(format!("unknown language `{l}`"))),
        }
    }
    let mut methods = Vec::new();
    for spec in raw.methods {
        let kind = CallKind::from_name(&spec.kind)
            .ok_or_else(|| err(format!("method `{}`: unknown kind `{}`", spec.name, spec.kind)))?;
        let path = spec.name.split('.').map(str::to_string).collect();
        methods.push(Method { path, kind, spec });
    }
    let compile = |pattern: &str| {
        regex::Regex::new(pattern).map_err(|e| err(format!("invalid regex `{pattern}`: {e}")))
    };
    let token_format = raw.init.token_format.as_deref().map(compile).transpose()?;
    let secret_format = raw.init.secret_format.as_deref().map(compile).transpose()?;
    let mut secrets = Vec::new();
    for secret in raw.secrets {
        secrets.push((compile(&secret.pattern)?, secret));
    }
    Ok(LoadedProfile {
        id: raw.id.into(),
        secondary: raw.secondary,
        free_event_names: raw.free_event_names,
        init: raw.init,
        token_format,
        secret_format,
        secrets,
        builder: raw.builder,
        languages,
        platform: raw.platform,
        packages: raw.packages,
        clients: raw.clients,
        methods,
        wrapper: None,
        ignore_time: raw.ignore_time,
        vendor: raw.vendor.into(),
        snake_case_events: raw.snake_case_events,
        person_properties: if raw.person_properties.is_empty() {
            DEFAULT_PERSON_PROPERTIES.into()
        } else {
            raw.person_properties.into()
        },
        constants: raw.constants,
        no_personal_data: raw.no_personal_data,
    })
}

/// Builds the model call for a site whose receiver resolved to `profile` and whose method is `method`.
pub fn build_call(profile: &LoadedProfile, method: &Method, site: &CallSite) -> Call {
    let spec = &method.spec;
    let args = Args::new(&site.args);
    // In the name/value form (`people.set('plan', 'pro')`) every position after the properties
    // argument moves one to the right.
    let props_pos = match &spec.properties {
        Some(ArgRef::Position(p)) => Some(*p),
        // `[1, "properties"]`: the position, where a label may stand instead (Swift).
        Some(ArgRef::AnyOf(options)) => options.iter().find_map(|o| match o {
            ArgRef::Position(p) => Some(*p),
            _ => None,
        }),
        _ => None,
    };
    let name_value = spec.name_value_form
        && props_pos.and_then(|p| args.positional(p)).is_some_and(|v| matches!(v.kind, ValueKind::Str(_)));
    let shift = |r: &ArgRef| -> ArgRef {
        match (r, props_pos) {
            (ArgRef::Position(p), Some(pp)) if name_value && *p > pp => ArgRef::Position(p + 1),
            _ => r.clone(),
        }
    };
    let get = |r: &Option<ArgRef>| r.as_ref().and_then(|r| args.get(&shift(r))).cloned();

    let mut identities = Vec::new();
    let mut push_identity = |role: IdentityRole, r: &Option<ArgRef>| {
        if let Some(value) = get(r) {
            identities.push(Identity { role, value });
        }
    };
    let identity_role =
        if method.kind == CallKind::Identify { IdentityRole::Identify } else { IdentityRole::DistinctId };
    push_identity(identity_role, &spec.identity);
    push_identity(IdentityRole::AliasNew, &spec.alias_new);
    push_identity(IdentityRole::AliasOriginal, &spec.alias_original);

    let (properties, property_name, property_value) = if name_value {
        let p = props_pos.unwrap_or(1);
        // Swift labels the value (`people.set("plan", to: "Pro")`).
        let value = args.positional(p + 1).cloned().or_else(|| get(&spec.property_value));
        (None, args.positional(p).cloned(), value)
    } else {
        (get(&spec.properties), get(&spec.property_name), get(&spec.property_value))
    };

    Call {
        sdk: profile.id.clone(),
        platform: profile.platform,
        kind: method.kind,
        method: spec.name.clone(),
        span: site.span,
        event: get(&spec.event),
        identities: {
            identities.shrink_to_fit();
            identities
        },
        properties,
        property_name: property_name.map(Box::new),
        property_value: property_value.map(Box::new),
        modifiers: if spec.modifiers_add_dollar {
            get(&spec.modifiers).and_then(add_dollar_to_modifiers).map(Box::new)
        } else {
            get(&spec.modifiers).map(Box::new)
        },
        ip: get(&spec.ip).map(Box::new),
        token: get(&spec.token).map(Box::new),
        secret: get(&spec.secret).map(Box::new),
        queued: profile.init.queues,
        property_types: None,
        ignore_time_in_properties: spec.ignore_time_in_properties,
        ignore_time_supported: profile.ignore_time,
        vendor: profile.vendor.clone(),
        snake_case_events: profile.snake_case_events,
        person_properties: profile.person_properties.clone(),
        modifiers_hint: spec.modifiers_hint.clone(),
        scope: site.scope,
        order: site.order,
        context: site.context.clone(),
        via: Vec::new(),
        event_from_parameter: false,
        inner_event: None,
    }
}

/// `{ignore_time: true}` as an SDK that adds the `$` itself sends it: `{$ignore_time: true}`.
/// A plain id where the hash of request properties may go means no modifiers were given.
fn add_dollar_to_modifiers(mut value: Value) -> Option<Value> {
    let ValueKind::Object(obj) = &mut value.kind else { return None };
    for entry in &mut obj.entries {
        if matches!(entry.key.as_str(), "ignore_time" | "ip" | "time" | "ignore_alias") {
            entry.key = format!("${}", entry.key);
        }
    }
    Some(value)
}

/// The `Init` call a construction of `profile`'s client makes (`Mixpanel::Tracker.new(token)`),
/// when the profile says where its token or secret is or how it queues.
pub fn build_init(profile: &LoadedProfile, site: &CallSite) -> Option<Call> {
    let init = &profile.init;
    let args = Args::new(&site.args);
    let get = |r: &Option<ArgRef>| r.as_ref().and_then(|r| args.get(r)).cloned();
    let token = get(&init.token);
    let secret = get(&init.secret);
    let block = site.args.iter().any(|a| a.keyword.as_deref() == Some(crate::model::BLOCK_ARG));
    let asked = (init.queues_with_block && block)
        || site.args.iter().any(|a| a.keyword.as_ref().is_some_and(|k| init.queues_with.contains(k)));
    if token.is_none() && secret.is_none() && !init.queues && !asked {
        return None;
    }
    let method = Method {
        path: vec![crate::model::CONSTRUCTION.to_string()],
        kind: CallKind::Init,
        spec: MethodSpec::new(crate::model::CONSTRUCTION, "init"),
    };
    let mut call = build_call(profile, &method, site);
    call.token = token.map(Box::new);
    call.secret = secret.map(Box::new);
    call.queued = init.queues || asked;
    Some(call)
}

impl Profiles {
    /// The method names of client constructions a front-end should keep sites for in files of
    /// `language` (`new` of `Mixpanel::Tracker.new`, `Mixpanel` of `mixpanel.Mixpanel`, `init`
    /// of a factory), for the profiles whose `[init]` says something.
    /// The method names of `evidence_calls` for `language` (`load` of `heap.load`): call sites
    /// the front-ends keep so that resolution can see the snippet.
    pub fn evidence_call_names(&self, language: Language) -> Vec<String> {
        let mut names: Vec<String> = self
            .list
            .iter()
            .filter(|p| p.supports(language))
            .flat_map(|p| {
                p.clients.evidence_calls.iter().filter_map(|c| c.rsplit('.').next().map(str::to_string))
            })
            .collect();
        names.sort();
        names.dedup();
        names
    }

    pub fn constructor_names(&self, language: Language) -> Vec<String> {
        let mut names: Vec<String> = self
            .list
            .iter()
            .filter(|p| p.supports(language) && p.init.says_something())
            .flat_map(|p| {
                let c = &p.clients;
                c.constructors
                    .iter()
                    .chain(&c.classes)
                    .filter_map(|t| t.rsplit(['.', ':']).next())
                    .chain(c.factory_methods.iter().map(String::as_str))
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .filter(|n| !n.is_empty())
            .collect();
        names.sort();
        names.dedup();
        names
    }
}

impl Profiles {
    /// Rust builder facts of every profile for `language`: the methods that add one property
    /// to an event value, and each modifiers struct with the fields sent with a `$`.
    pub fn builder_facts(&self, language: Language) -> (Vec<String>, Vec<(String, Vec<String>)>) {
        let mut methods = Vec::new();
        let mut structs = Vec::new();
        for p in self.list.iter().filter(|p| p.supports(language)) {
            methods.extend(p.builder.property_methods.iter().cloned());
            if let Some(s) = &p.builder.modifiers_struct {
                structs.push((s.clone(), p.builder.modifier_fields.clone()));
            }
        }
        (methods, structs)
    }
}

impl MethodSpec {
    /// A spec with no argument roles.
    pub fn new(name: &str, kind: &str) -> MethodSpec {
        MethodSpec {
            name: name.into(),
            kind: kind.to_string(),
            token: None,
            secret: None,
            event: None,
            identity: None,
            alias_new: None,
            alias_original: None,
            properties: None,
            modifiers: None,
            ip: None,
            name_value_form: false,
            property_name: None,
            property_value: None,
            ignore_time_in_properties: false,
            modifiers_hint: None,
            min_positional: None,
            max_positional: None,
            first_literal: None,
            requires_event: false,
            modifiers_add_dollar: false,
        }
    }
}

impl InitSpec {
    pub fn says_something(&self) -> bool {
        self.token.is_some()
            || self.secret.is_some()
            || self.queues
            || self.queues_with_block
            || !self.queues_with.is_empty()
    }
}

/// Argument lookup by position, keyword or object key.
struct Args<'a> {
    args: &'a [Arg],
}

impl<'a> Args<'a> {
    fn new(args: &'a [Arg]) -> Self {
        Args { args }
    }

    fn positional(&self, pos: usize) -> Option<&'a Value> {
        self.args.iter().filter(|a| a.keyword.is_none()).nth(pos.checked_sub(1)?).map(|a| &a.value)
    }

    fn get(&self, r: &ArgRef) -> Option<&'a Value> {
        match r {
            ArgRef::Position(p) => self.positional(*p),
            ArgRef::AnyOf(options) => {
                // A keyword written at the call is that parameter, whatever the positions say
                // (`capture(distinct_id, event="x")`: the one positional is not the event).
                let keyword = options.iter().find_map(|o| match o {
                    ArgRef::Name(name) if !name.contains('.') => self
                        .args
                        .iter()
                        .find(|a| a.keyword.as_deref() == Some(name.as_str()))
                        .map(|a| &a.value),
                    _ => None,
                });
                keyword.or_else(|| options.iter().find_map(|o| self.get(o)))
            }
            ArgRef::Name(name) => {
                if let Some((pos, keys)) = name.split_once('.')
                    && let Ok(pos) = pos.parse::<usize>()
                {
                    // `2.distinct_id`, `1.user.user_id`: keys inside the object at a position.
                    let mut value = self.positional(pos)?;
                    for key in keys.split('.') {
                        value = &value.as_object()?.get(key)?.value;
                    }
                    return Some(value);
                }
                if let Some(a) = self.args.iter().find(|a| a.keyword.as_deref() == Some(name.as_str())) {
                    return Some(&a.value);
                }
                self.args.iter().find_map(|a| a.value.as_object().and_then(|o| o.get(name)).map(|e| &e.value))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_profiles_load() {
        let profiles = Profiles::builtin().expect("built-in profiles are valid");
        assert!(profiles.get("mixpanel-ruby").is_some());
        assert!(profiles.get("mixpanel-node").is_some());
        assert!(profiles.get("mixpanel-browser").is_some());
        assert_eq!(profiles.list.len(), BUILTIN.len());
    }

    #[test]
    fn unknown_kind_is_an_error() {
        let e =
            load("x", "id='x'\nlanguages=['ruby']\nplatform='server'\n[[methods]]\nname='t'\nkind='trak'\n")
                .err()
                .map(|e| e.to_string());
        assert_eq!(e.as_deref(), Some("profile `x`: method `t`: unknown kind `trak`"));
    }
}
