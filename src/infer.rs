//! Wrapper inference: the project's own tracking functions, found from their bodies.
//!
//! A function is a wrapper when a tracking call in its body (an SDK call whose client resolved,
//! or a call of another wrapper) takes one of the function's parameters in a role: the event
//! name, an identity, the properties, the modifiers. The parameter may reach the role through a
//! local variable, a member (`user.email`: the call site's argument then stands for `user`), a
//! string conversion (`event.to_s`, `str(event)`), or an object built for the call
//! (`{ ...props, plan }`, `props.merge(..)`, `{**extra}`). A name proves nothing by itself.
//!
//! A summary is the same data as a declared `[[wrappers]]` entry, derived: for each tracking
//! call in the body, which parameter flows where. Call sites of a summarised function become
//! tracking calls of their own, with the call site's arguments in the roles and a `via` chain
//! naming the functions in between, so findings land where the value is written. Summaries are
//! derived in rounds (a wrapper of a wrapper is found once the inner one is), to a fixed point
//! bounded by [`MAX_DEPTH`].

use crate::frontend::FileFacts;
use crate::model::{
    Call, FunctionDef, IdentityRole, Language, Object, Param, ParamKind, Path, Span, Value, ValueKind, Via,
};
use crate::text::base_name;
use std::collections::{HashMap, HashSet};

/// How many functions may stand between a call site and the SDK.
pub const MAX_DEPTH: usize = 4;
/// Rounds of inference at most: a wrapper chain of [`MAX_DEPTH`] needs a round per level, and
/// each level's call sites may be reached through a class or global found one round later.
pub const MAX_ROUNDS: usize = 2 * MAX_DEPTH + 2;

/// Method names that run another function later: the enqueue is the call site.
pub(crate) const DEFERRED_METHODS: &[&str] = &[
    "perform_later",
    "perform_now",
    "perform_async",
    "perform_in",
    "perform_at",
    "perform_inline",
    "enqueue",
    "enqueue_in",
    "enqueue_at",
    "delay",
    "apply_async",
];

/// The inferred tracking functions of a project.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Summaries {
    pub list: Vec<Summary>,
    by_name: HashMap<String, Vec<usize>>,
}

/// One tracking function and what its body sends.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Summary {
    /// The file (index into the resolver's files) and function (index into its functions).
    pub file: usize,
    pub function: usize,
    pub name: String,
    pub owner: Option<String>,
    pub ecosystem: &'static str,
    /// The function as call sites name it in messages.
    pub via: Via,
    pub templates: Vec<CallTemplate>,
}

/// [`Summary`] as read from the cache: the ecosystem as text, checked against the language
/// table and turned back into its `&'static str`.
#[derive(serde::Deserialize)]
struct SummaryRead {
    file: usize,
    function: usize,
    name: String,
    owner: Option<String>,
    ecosystem: String,
    via: Via,
    templates: Vec<CallTemplate>,
}

impl<'de> serde::Deserialize<'de> for Summary {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Summary, D::Error> {
        let read = SummaryRead::deserialize(deserializer)?;
        let ecosystem = crate::language::LANGUAGES
            .iter()
            .map(|l| l.ecosystem)
            .find(|e| *e == read.ecosystem)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown ecosystem {:?}", read.ecosystem)))?;
        let SummaryRead { file, function, name, owner, via, templates, .. } = read;
        Ok(Summary { file, function, name, owner, ecosystem, via, templates })
    }
}

/// One tracking call in a wrapper's body, as a pattern for its call sites.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CallTemplate {
    /// The inner call: SDK, kind, method and what lies below it (`via`).
    pub call: Call,
    pub event: Option<Flow>,
    pub identities: Vec<(IdentityRole, Flow)>,
    pub properties: Option<ObjectFlow>,
    pub property_name: Option<Flow>,
    pub property_value: Option<Flow>,
    pub modifiers: Option<Flow>,
    /// Modifiers written in the wrapper itself (`$ignore_time` set for every caller).
    pub fixed_modifiers: Option<Value>,
    /// The inner call's place: (file, span).
    pub inner: (usize, Span),
    /// The inner call passes the function's `*args` (`...args`) and/or `**kwargs` on whole
    /// (`def track(*args): mp.track(*args)`): a call site's own arguments are the SDK call's.
    pub forwards: Forwards,
    /// The call lies in a branch taken only when this parameter equals one of these literals
    /// (`case action when 'track'`): call sites passing another value do not reach it, nor,
    /// for a dispatcher that passes its arguments on, sites whose value is not written out.
    pub guard: Option<(Param, Vec<String>)>,
    /// The SDK call's one argument is a parameter's object passed on, perhaps with entries of
    /// the wrapper's own merged in (`client.track(options.merge(user_id: user.id))`,
    /// `analytics.track({ ...payload, userId })`): a call site's object is the SDK's options.
    pub options: Option<(Param, Vec<crate::model::Entry>)>,
}

/// Which of a function's rest parameters an inner call passes on whole.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Forwards {
    pub positional: bool,
    pub keywords: bool,
}

impl Forwards {
    pub(crate) fn any(self) -> bool {
        self.positional || self.keywords
    }
}

impl CallTemplate {
    /// The names of the parameters that flow into the call.
    fn params(&self) -> impl Iterator<Item = &str> {
        let props =
            self.properties.iter().flat_map(|p| p.whole.iter().chain(p.entries.iter().map(|(_, _, f)| f)));
        self.event
            .iter()
            .chain(self.identities.iter().map(|(_, f)| f))
            .chain(props)
            .chain(&self.property_name)
            .chain(&self.property_value)
            .chain(&self.modifiers)
            .map(|f| f.param.name.as_str())
    }

    /// Whether the call takes nothing from the function's parameters but an options object
    /// ([`Self::options`]): for an SDK that reads no options object, the call site learns
    /// nothing from it.
    pub(crate) fn only_options(&self) -> bool {
        self.params().next().is_none() && !self.forwards.any()
    }
}

/// A parameter and the members read from it (`user` then `email` for `user.email`).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Flow {
    pub param: Param,
    pub members: Vec<String>,
}

/// An object built for the call from parameters.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ObjectFlow {
    /// Parameters spread or merged in whole.
    pub whole: Vec<Flow>,
    /// Entries whose value is a parameter: (key, key as written, flow).
    pub entries: Vec<(String, String, Flow)>,
    /// The object also holds what no call site sets (literal entries, other spreads).
    pub partial: bool,
}

impl Summaries {
    /// No summaries, for resolution without inference.
    pub fn none() -> &'static Summaries {
        static NONE: std::sync::OnceLock<Summaries> = std::sync::OnceLock::new();
        NONE.get_or_init(Summaries::default)
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub(crate) fn named(&self, name: &str) -> impl Iterator<Item = (usize, &Summary)> {
        self.by_name.get(name).into_iter().flatten().map(|&i| (i, &self.list[i]))
    }

    /// What a file must contain to call a summarised function, as precisely as resolution
    /// needs it: a file is read again only if some trigger matches it.
    ///
    /// - Every function: its own file (bare calls in the module that defines it).
    /// - A class's method: the class's name alone (`X.new`, `X.perform_later`, `include X`,
    ///   `x: X`), or the method's name with evidence of how the class is reached: in Ruby a
    ///   known subclass or including class (bare calls in it) or a global holding an instance
    ///   (`def event_logger; @event_logger ||= Tracker.new; end`); in JavaScript and Python
    ///   an import of the defining module, which names the module's file (below the two
    ///   files' common directory).
    /// - A module-level function (or a hook): its name, with an import of its module, except
    ///   in Ruby and Rust, where a function is called by its name alone.
    pub fn triggers(&self, files: &[InferInput]) -> Vec<Trigger> {
        let mut out: Vec<Trigger> = Vec::new();
        let ruby = if self.list.iter().any(|s| s.ecosystem == "gem") {
            RubyReach::new(files)
        } else {
            RubyReach::default()
        };
        for s in &self.list {
            let Some(home) = files.get(s.file) else { continue };
            let name = s.name.trim_end_matches("()").to_string();
            let ecosystem = s.ecosystem;
            let module = || Some(home.path.to_path_buf());
            out.push(Trigger { ecosystem, words: vec![name.clone()], module: None, only: module() });
            let owner = s.owner.as_deref().filter(|o| *o != "default" && *o != "return");
            match (owner, ecosystem) {
                // Ruby and Rust reach functions by name; so do Swift (a module's globals need no
                // import) and Kotlin (a package's top-level functions).
                (None, "gem" | "crate" | "swift" | "jvm") => {
                    out.push(Trigger { ecosystem, words: vec![name], module: None, only: None })
                }
                (None, _) => out.push(Trigger { ecosystem, words: vec![name], module: module(), only: None }),
                // A global Vue mixin's method: any component calls it, importing nothing.
                (Some(crate::frontend::javascript::GLOBAL_MIXIN), _) => {
                    out.push(Trigger { ecosystem, words: vec![name], module: None, only: None })
                }
                (Some(owner), _) => {
                    out.push(Trigger { ecosystem, words: vec![owner.to_string()], module: None, only: None });
                    match ecosystem {
                        "gem" => {
                            for reach in ruby.of(owner) {
                                // A module included in a module included in a class (a
                                // concern's `included do include Analytics::Mixpanel end`): the
                                // files that include what reaches the owner so far say what else
                                // does (those that mention the owner itself are read already).
                                out.push(Trigger {
                                    ecosystem,
                                    words: vec![reach.clone(), "include".to_string()],
                                    module: None,
                                    only: None,
                                });
                                out.push(Trigger {
                                    ecosystem,
                                    words: vec![name.clone(), reach],
                                    module: None,
                                    only: None,
                                });
                            }
                        }
                        "crate" => {
                            out.push(Trigger { ecosystem, words: vec![name], module: None, only: None })
                        }
                        _ => out.push(Trigger { ecosystem, words: vec![name], module: module(), only: None }),
                    }
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// Whether two rounds inferred the same functions with the same templates (summaries are
    /// built in file and call order, so equal sets compare equal in order).
    pub fn same_as(&self, other: &Summaries) -> bool {
        self.list == other.list
    }

    /// What differs from `before`: the summaries added, removed or changed, as the names a
    /// file must mention to reach one (the function's name, its class) and their own files.
    /// Resolution finds summaries by name only, so a file that mentions none of them resolves
    /// as it did with `before` (given the same facts).
    pub fn changed_since(&self, before: &Summaries) -> Changed {
        let mut changed = Changed::default();
        let names: HashSet<&String> = self.by_name.keys().chain(before.by_name.keys()).collect();
        for name in names {
            let now: Vec<&Summary> = self.named(name).map(|(_, s)| s).collect();
            let then: Vec<&Summary> = before.named(name).map(|(_, s)| s).collect();
            if now == then {
                continue;
            }
            for s in now.into_iter().chain(then) {
                changed.homes.insert(s.file);
                let word = s.name.trim_end_matches("()");
                for w in std::iter::once(word).chain(s.owner.as_deref()) {
                    changed.words.insert((s.ecosystem, crate::frontend::word_hash(w.as_bytes())));
                }
            }
        }
        changed
    }

    /// The inner calls whose event name is a wrapper's parameter, by file: checked at the call
    /// sites instead.
    pub fn forwarding_calls(&self) -> HashSet<(usize, Span)> {
        self.list.iter().flat_map(|s| &s.templates).filter(|t| t.event.is_some()).map(|t| t.inner).collect()
    }
}

/// What makes a file worth reading again for call sites: it mentions every word, it imports
/// the `module` file (its path's words below the two files' common directory), and it is the
/// `only` file if one is named.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Trigger {
    pub ecosystem: &'static str,
    pub words: Vec<String>,
    pub module: Option<std::path::PathBuf>,
    pub only: Option<std::path::PathBuf>,
}

impl Trigger {
    /// A file that holds one of these words (an event constant's module or name).
    pub fn word(word: String, language: Language) -> Trigger {
        Trigger { ecosystem: language.ecosystem(), words: vec![word], module: None, only: None }
    }

    pub fn matches(&self, path: &std::path::Path, language: Language, facts: &FileFacts) -> bool {
        if language.ecosystem() != self.ecosystem {
            return false;
        }
        if let Some(only) = &self.only {
            return only == path;
        }
        if !self.words.iter().all(|w| facts.mentions(w)) {
            return false;
        }
        match &self.module {
            Some(module) if module != path => {
                module_words(module, path, language).iter().all(|w| facts.mentions(w))
            }
            _ => true,
        }
    }
}

/// Summaries that changed between two rounds ([`Summaries::changed_since`]).
#[derive(Default)]
pub struct Changed {
    /// (ecosystem, word hash) of the names a call of a changed summary spells.
    words: HashSet<(&'static str, u32)>,
    /// The files that define a changed summary (bare calls in its own module).
    homes: HashSet<usize>,
}

impl Changed {
    /// For timings: how many names and files changed.
    pub fn describe(&self) -> String {
        format!("{} names, {} files", self.words.len(), self.homes.len())
    }

    /// Whether the file's calls may differ: it defines a changed summary or mentions its name.
    pub fn affects(&self, file: usize, language: Language, facts: &FileFacts) -> bool {
        if self.homes.contains(&file) {
            return true;
        }
        let ecosystem = language.ecosystem();
        if self.words.len() <= 32 {
            self.words.iter().any(|(e, h)| *e == ecosystem && facts.words.binary_search(h).is_ok())
        } else {
            facts.words.iter().any(|h| self.words.contains(&(ecosystem, *h)))
        }
    }
}

/// Triggers indexed by their first word, so that which files mention one of thousands of
/// triggers is answered from each file's words, not by trying every trigger on every file.
pub struct TriggerSet<'t> {
    by_word: std::collections::HashMap<(&'static str, u32), Vec<&'t Trigger>>,
    by_path: std::collections::HashMap<&'t std::path::Path, Vec<&'t Trigger>>,
    /// Triggers with no word (every file of their ecosystem is a candidate).
    wordless: Vec<&'t Trigger>,
}

impl<'t> TriggerSet<'t> {
    pub fn new(triggers: &'t [Trigger]) -> TriggerSet<'t> {
        let mut set =
            TriggerSet { by_word: Default::default(), by_path: Default::default(), wordless: Vec::new() };
        for t in triggers {
            if let Some(only) = &t.only {
                set.by_path.entry(only.as_path()).or_default().push(t);
            } else if let Some(first) = t.words.first() {
                let hash = crate::frontend::word_hash(first.as_bytes());
                set.by_word.entry((t.ecosystem, hash)).or_default().push(t);
            } else {
                set.wordless.push(t);
            }
        }
        set
    }

    /// Whether any trigger matches the file (as [`Trigger::matches`] would say).
    pub fn any_matches(&self, path: &std::path::Path, language: Language, facts: &FileFacts) -> bool {
        let ecosystem = language.ecosystem();
        let check = |t: &&Trigger| t.matches(path, language, facts);
        self.by_path.get(path).is_some_and(|ts| ts.iter().any(check))
            || self.wordless.iter().any(check)
            || (!self.by_word.is_empty()
                && facts
                    .words
                    .iter()
                    .any(|&h| self.by_word.get(&(ecosystem, h)).is_some_and(|ts| ts.iter().any(check))))
    }
}

/// The words an import of `module` from `from` must spell: the module's path segments below
/// the directory the two files share (`../billing/analytics` names `billing` and
/// `analytics`), at most the last two for JavaScript (a path alias such as `@/lib/analytics`
/// or `lib/analytics` may leave out the rest) and the last one for Python (`from service
/// import x` resolves from anywhere). `index`, `__init__` and `mod` files are their directory.
fn module_words(module: &std::path::Path, from: &std::path::Path, language: Language) -> Vec<String> {
    let mut segments: Vec<&std::ffi::OsStr> = module.parent().into_iter().flat_map(|p| p.iter()).collect();
    let stem = module.file_stem().unwrap_or_default();
    let index = matches!(stem.to_str(), Some("index" | "__init__" | "mod"));
    // A workspace package's entry (`packages/analytics/src/index.ts`) is imported by the
    // package's name (`@acme/analytics`), which names its directory alone.
    let package_entry = language.is_js_family() && index && segments.last().is_some_and(|s| *s == "src");
    // A Go package is its directory, whatever its files are named.
    if !index && language != Language::Go {
        segments.push(stem);
    }
    let from_dir: Vec<&std::ffi::OsStr> = from.parent().into_iter().flat_map(|p| p.iter()).collect();
    let common = segments.iter().zip(&from_dir).take_while(|(a, b)| a == b).count();
    let mut below = segments[common.min(segments.len())..].to_vec();
    // `src` is left out by path aliases (`@/lib/..`) and package names (`@acme/analytics/events`).
    if language.is_js_family() {
        below.retain(|s| *s != "src");
    }
    // Python and Go name an imported module by its last segment (`track.Event(..)`).
    let keep = if matches!(language, Language::Python | Language::Go) || package_entry { 1 } else { 2 };
    below[below.len().saturating_sub(keep)..]
        .iter()
        .flat_map(|s| {
            s.to_str()
                .unwrap_or_default()
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$'))
                .filter(|w| !w.is_empty() && !w.starts_with(|c: char| c.is_ascii_digit()))
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The Ruby names through which a class's methods are called without naming it: classes and
/// modules that inherit or include it (bare calls in their methods), at any depth among the
/// files read, and globals holding an instance (`TRACKER = Tracker.new`, a method
/// `def event_logger; @event_logger ||= Tracker.new; end`). Indexed once per round.
#[derive(Default)]
struct RubyReach<'a> {
    /// Class or module → the classes that inherit or include it.
    heirs: HashMap<&'a str, Vec<&'a str>>,
    /// Class → the globals that hold one of its instances.
    holders: HashMap<String, Vec<String>>,
}

impl<'a> RubyReach<'a> {
    fn new(files: &'a [InferInput]) -> Self {
        let mut reach = RubyReach::default();
        for f in files.iter().filter(|f| f.language == Language::Ruby) {
            for c in &f.facts.classes {
                for parent in c.superclass.iter().chain(&c.mixins) {
                    reach.heirs.entry(parent.as_str()).or_default().push(c.name.as_str());
                }
            }
            for b in f.facts.bindings.iter().filter(|b| b.global) {
                let sources = match &b.source {
                    crate::model::BindingSource::AnyOf(options) => options.iter().collect(),
                    other => vec![other],
                };
                for source in sources {
                    if let crate::model::BindingSource::Constructor(text) = source {
                        let name = base_name(b.name.trim_start_matches(['@', '$'])).to_string();
                        reach.holders.entry(constructed_class(text)).or_default().push(name);
                    }
                }
            }
        }
        reach
    }

    fn of(&self, owner: &str) -> Vec<String> {
        let mut out: Vec<&str> = vec![owner];
        let mut i = 0;
        while i < out.len() && out.len() < 256 {
            for heir in self.heirs.get(out[i]).into_iter().flatten() {
                if !out.contains(heir) {
                    out.push(heir);
                }
            }
            i += 1;
        }
        let mut names: Vec<String> = out[1..].iter().map(|s| s.to_string()).collect();
        for holder in self.holders.get(owner).into_iter().flatten() {
            if !names.contains(holder) {
                names.push(holder.clone());
            }
        }
        names
    }
}

fn language_of_ecosystem(ecosystem: &str) -> Language {
    crate::language::LANGUAGES
        .iter()
        .find(|l| l.ecosystem == ecosystem)
        .map(|l| l.language)
        .unwrap_or(Language::JavaScript)
}

/// A file as inference reads it.
pub struct InferInput<'a> {
    pub path: &'a std::path::Path,
    pub language: Language,
    pub facts: &'a FileFacts,
    /// The file's tracking calls, packed.
    pub calls: &'a crate::model::PackedCalls,
    /// The file's text (empty for a file that holds no call).
    pub source: &'a str,
}

/// Derives the summaries from every file's tracking calls (direct, and through summaries of
/// an earlier round).
pub fn summarise(files: &[InferInput]) -> Summaries {
    summarise_again(files, &Summaries::default(), &[])
}

/// [`summarise`], with the summaries of every file `redo` does not name taken from `before`
/// (made from the same files, in the same order): a file's summaries depend on its own facts
/// and calls alone, so a file whose calls were not resolved again has the ones it had.
pub fn summarise_again(files: &[InferInput], before: &Summaries, redo: &[bool]) -> Summaries {
    use rayon::prelude::*;
    // `before.list` is in file order: each file's summaries are one run of it.
    let mut kept: Vec<&[Summary]> = vec![&[]; files.len()];
    for run in before.list.chunk_by(|a, b| a.file == b.file) {
        if let Some(slot) = kept.get_mut(run[0].file) {
            *slot = run;
        }
    }
    let per_file: Vec<Vec<Summary>> = files
        .par_iter()
        .enumerate()
        .map(|(fi, file)| match redo.get(fi) {
            Some(false) => kept[fi].to_vec(),
            _ => summarise_file(fi, file),
        })
        .collect();
    let mut summaries = Summaries { list: per_file.into_iter().flatten().collect(), ..Summaries::default() };
    for (i, s) in summaries.list.iter().enumerate() {
        summaries.by_name.entry(s.name.clone()).or_default().push(i);
    }
    summaries
}

/// The summaries of one file's functions, in the order of their first tracking call.
fn summarise_file(fi: usize, file: &InferInput) -> Vec<Summary> {
    let mut list: Vec<Summary> = Vec::new();
    if file.calls.is_empty() || file.facts.functions.is_empty() {
        return list;
    }
    let mut index: HashMap<usize, usize> = HashMap::new();
    let by_scope: HashMap<u32, usize> =
        file.facts.functions.iter().enumerate().map(|(i, f)| (f.scope, i)).collect();
    let mut locals: HashMap<&str, Vec<&crate::model::LocalValue>> = HashMap::new();
    for l in &file.facts.locals {
        locals.entry(l.name.as_str()).or_default().push(l);
    }
    let sites = file.facts.sites();
    let calls = file.calls.unpack();
    for call in &calls {
        if call.via.len() >= MAX_DEPTH {
            continue;
        }
        let Some(func_index) = file.facts.scope_chain(call.scope).find_map(|s| by_scope.get(&s).copied())
        else {
            continue;
        };
        let func = &file.facts.functions[func_index];
        // Recursion: a function is not its own wrapper.
        if call.via.iter().any(|v| v.line == func.line && v.path == file.path) {
            continue;
        }
        let ctx = FlowContext {
            facts: file.facts,
            sites: &sites,
            locals: &locals,
            func,
            call_scope: call.scope,
            call_start: call.span.start,
        };
        // Functions only a framework calls: a React component (`function Signup(props)`,
        // rendered, never called) and a view whose values all come from its request.
        if file.language.is_js_family()
            && func.owner.is_none()
            && func.name.starts_with(|c: char| c.is_ascii_uppercase())
        {
            continue;
        }
        let Some(mut template) = template(&ctx, call, fi) else { continue };
        // `props.delete('$ignore_time')` moved into the modifiers before the call: the wrapper
        // reads the modifier from its properties argument, as Node's `set` does.
        if reads_ignore_time_from(&template, file.source.get(func.span.start..call.span.start)) {
            template.call.ignore_time_in_properties = true;
            // The modifiers are the wrapper's own making, from those properties.
            template.fixed_modifiers = None;
            template.modifiers = None;
        }
        if !template.forwards.any()
            && template.options.is_none()
            && template.params().all(|p| matches!(p, "request" | "req"))
        {
            continue;
        }
        let slot = *index.entry(func_index).or_insert_with(|| {
            list.push(Summary {
                file: fi,
                function: func_index,
                name: func.name.clone(),
                owner: func.owner.clone(),
                ecosystem: file.language.ecosystem(),
                via: Via { name: qualified_name(func), path: file.path.to_path_buf(), line: func.line },
                templates: Vec::new(),
            });
            list.len() - 1
        });
        list[slot].templates.push(template);
    }
    // `if ready then tracker.track(*args) else tracker.alias(*args)`: which call the
    // arguments reach depends on something the call site does not say; none is assumed. A
    // dispatcher on a parameter (`case action when 'track' then tracker.track(*args)`) says it:
    // its branches are kept, each for the values that reach it.
    for summary in &mut list {
        if summary.templates.iter().filter(|t| t.forwards.any()).count() > 1 {
            summary.templates.retain(|t| !t.forwards.any() || t.guard.is_some());
        }
    }
    list.retain(|s| !s.templates.is_empty());
    list
}

/// Whether the wrapper's body, before its call, reads `$ignore_time` out of the parameter its
/// properties come from (`props.delete('$ignore_time')`, `props.pop("$ignore_time")`,
/// `props[:ignore_time]`) on one line. Mentioning `$ignore_time` is not enough: a wrapper that
/// always sends it in its own modifiers reads nothing from its callers.
fn reads_ignore_time_from(template: &CallTemplate, body: Option<&str>) -> bool {
    let (Some(props), Some(body)) = (&template.properties, body) else { return false };
    let params: Vec<&str> = props.whole.iter().map(|f| f.param.name.as_str()).collect();
    body.lines().any(|line| {
        line.contains("ignore_time")
            && params.iter().any(|p| {
                [".delete(", ".pop(", "[", ".get(", ".fetch("]
                    .iter()
                    .any(|read| line.contains(&format!("{p}{read}")))
            })
    })
}

/// `Analytics.track_event`, or the bare name of a module-level function.
fn qualified_name(func: &FunctionDef) -> String {
    match func.owner.as_deref() {
        Some(owner) if owner != "default" && owner != "return" => format!("{owner}.{}", func.name),
        _ => func.name.clone(),
    }
}

struct FlowContext<'a> {
    facts: &'a FileFacts,
    /// The file's call sites, decoded once for all its calls.
    sites: &'a [crate::model::CallSite],
    /// The file's local values by name.
    locals: &'a HashMap<&'a str, Vec<&'a crate::model::LocalValue>>,
    func: &'a FunctionDef,
    call_scope: u32,
    call_start: usize,
}

/// Methods that return a hash holding the receiver's entries and the argument's.
const MERGES: &[&str] = &[
    ".merge",
    ".merge!",
    ".deep_merge",
    ".reverse_merge",
    ".with_defaults",
    ".update",
    ".with_indifferent_access",
];

/// An empty default a parameter falls back to (`{}`, `None`, `nil`, `null`).
fn is_empty_default(value: &Value) -> bool {
    match &value.kind {
        ValueKind::Null => true,
        ValueKind::Object(o) => o.entries.is_empty() && o.spreads.is_empty() && !o.has_spread,
        _ => false,
    }
}

/// String conversions that keep a value's identity, and methods that return the same string.
fn is_conversion(name: &str) -> bool {
    crate::model::is_string_conversion(name) || matches!(name, "to_str" | "freeze" | "to_sym" | "dup")
}

impl FlowContext<'_> {
    /// The values a local variable of the function held before the call.
    fn locals(&self, name: &str) -> Vec<&Value> {
        let mut found: Vec<&crate::model::LocalValue> = self
            .locals
            .get(name)
            .into_iter()
            .flatten()
            .copied()
            .filter(|l| {
                l.value.span.start < self.call_start
                    && self.facts.scope_sees(self.call_scope, l.scope)
                    && self.facts.scope_sees(l.scope, self.func.scope)
            })
            .collect();
        found.sort_by_key(|l| l.value.span.start);
        found.last().map(|l| vec![&l.value]).unwrap_or_default()
    }

    fn param(&self, name: &str) -> Option<&Param> {
        self.func.params.iter().find(|p| p.name == name)
    }

    fn flow(&self, value: &Value, depth: usize) -> Option<Flow> {
        if depth > 8 {
            return None;
        }
        match &value.kind {
            ValueKind::Path(path) => {
                let segments = crate::model::without_conversions(&path.segments, is_conversion);
                let (first, members) = segments.split_first()?;
                if let Some(param) = self.param(first) {
                    return Some(Flow { param: param.clone(), members: members.to_vec() });
                }
                let local = self.locals(first).into_iter().next()?;
                let mut flow = self.flow(local, depth + 1)?;
                flow.members.extend(members.iter().cloned());
                Some(flow)
            }
            ValueKind::Call { callee, args } if args.len() == 1 && is_conversion(base_name(callee)) => {
                self.flow(&args[0], depth + 1)
            }
            ValueKind::Call { callee, args } => self.flow(self.facts.passed_back(callee, args)?, depth + 1),
            ValueKind::Template(t) if t.exprs.len() == 1 && t.static_parts.iter().all(String::is_empty) => {
                self.flow(&t.exprs[0], depth + 1)
            }
            _ => None,
        }
    }

    fn object_flow(&self, value: &Value, depth: usize) -> Option<ObjectFlow> {
        if depth > 8 {
            return None;
        }
        if let Some(flow) = self.flow(value, depth) {
            return Some(ObjectFlow { whole: vec![flow], ..ObjectFlow::default() });
        }
        let mut out = ObjectFlow::default();
        match &value.kind {
            ValueKind::Object(obj) => self.merge_object(obj, &mut out, depth),
            // `props.merge(plan: 'pro')`, `Object.assign({}, props, {..})`, `dict(props, a=1)`.
            ValueKind::Call { callee, args } => {
                let merged = MERGES.iter().find_map(|m| callee.strip_suffix(m));
                if let Some(receiver) = merged {
                    let path = Value::new(
                        ValueKind::Path(Path {
                            segments: receiver.split('.').map(str::to_string).collect(),
                            text: receiver.to_string(),
                        }),
                        value.span,
                    );
                    match self.flow(&path, depth + 1) {
                        Some(f) => out.whole.push(f),
                        None => out.partial = true,
                    }
                } else if !matches!(callee.as_str(), "Object.assign" | "dict" | "Hash" | "Map") {
                    return None;
                }
                for arg in args {
                    match self.object_flow(arg, depth + 1) {
                        Some(inner) => {
                            out.whole.extend(inner.whole);
                            out.entries.extend(inner.entries);
                            out.partial |= inner.partial;
                        }
                        None => {
                            if !matches!(&arg.kind, ValueKind::Object(o) if o.entries.is_empty() && !o.has_spread)
                            {
                                out.partial = true;
                            }
                        }
                    }
                }
            }
            ValueKind::Path(path) if path.segments.len() == 1 => {
                let local = self.locals(&path.segments[0]).into_iter().next()?;
                return self.object_flow(local, depth + 1);
            }
            // `properties or {}`, `props || {}`, `props ?? {}`: the parameter's object, or an
            // empty one when the call site passes none (which then sends no properties either).
            ValueKind::OneOf(options) => {
                let mut given = options.iter().filter(|o| !is_empty_default(o));
                let (Some(one), None) = (given.next(), given.next()) else { return None };
                let flow = self.flow(one, depth + 1)?;
                return Some(ObjectFlow { whole: vec![flow], ..ObjectFlow::default() });
            }
            _ => return None,
        }
        (!out.whole.is_empty() || !out.entries.is_empty()).then_some(out)
    }

    fn merge_object(&self, obj: &Object, out: &mut ObjectFlow, depth: usize) {
        for entry in &obj.entries {
            match self.flow(&entry.value, depth + 1) {
                Some(f) => out.entries.push((entry.key.clone(), entry.key_text.clone(), f)),
                None => out.partial = true,
            }
        }
        for spread in &obj.spreads {
            match self.object_flow(spread, depth + 1) {
                Some(inner) => {
                    out.whole.extend(inner.whole);
                    out.entries.extend(inner.entries);
                    out.partial |= inner.partial;
                }
                None => out.partial = true,
            }
        }
        if obj.has_spread && obj.spreads.is_empty() {
            out.partial = true;
        }
    }
}

fn template(ctx: &FlowContext, call: &Call, file: usize) -> Option<CallTemplate> {
    let forwards = forwarded_params(ctx, call);
    let options = options_param(ctx, call);
    let event = call.event.as_ref().and_then(|v| ctx.flow(v, 0));
    let identities: Vec<(IdentityRole, Flow)> =
        call.identities.iter().filter_map(|i| ctx.flow(&i.value, 0).map(|f| (i.role, f))).collect();
    // Entries read from a parameter's member (`id: item.id`) are written whole in the wrapper
    // and checked there; they carry nothing to a call site.
    let properties = call.properties.as_ref().and_then(|v| ctx.object_flow(v, 0)).and_then(|mut p| {
        let before = p.entries.len();
        p.entries.retain(|(_, _, f)| f.members.is_empty());
        p.partial |= p.entries.len() < before;
        (!p.whole.is_empty() || !p.entries.is_empty()).then_some(p)
    });
    let property_name = call.property_name.as_ref().and_then(|v| ctx.flow(v, 0));
    let property_value = call.property_value.as_ref().and_then(|v| ctx.flow(v, 0));
    let modifiers = call.modifiers.as_ref().and_then(|v| ctx.flow(v, 0));
    let any = event.is_some()
        || !identities.is_empty()
        || properties.is_some()
        || property_name.is_some()
        || property_value.is_some()
        || modifiers.is_some()
        || forwards.any()
        || options.is_some();
    if !any {
        return None;
    }
    let fixed_modifiers = if modifiers.is_none() { call.modifiers.as_deref().cloned() } else { None };
    Some(CallTemplate {
        call: call.clone(),
        event,
        identities,
        properties,
        property_name,
        property_value,
        modifiers,
        fixed_modifiers,
        inner: (file, call.span),
        forwards,
        guard: call.context.guard.as_deref().and_then(|g| {
            let param =
                ctx.func.params.iter().find(|p| {
                    p.name == g.name && !matches!(p.kind, ParamKind::Rest | ParamKind::KeywordRest)
                })?;
            Some((param.clone(), g.values.clone()))
        }),
        options,
    })
}

/// `client.track(options)`, `client.track(options.merge(user_id: id))`, `analytics.track({
/// ...payload, userId })`: the parameter whose object is the call's one argument, and the
/// entries the wrapper adds. Not `*args` (see [`forwarded_params`]), nor a member of a
/// parameter (`opts.event`).
fn options_param(ctx: &FlowContext, call: &Call) -> Option<(Param, Vec<crate::model::Entry>)> {
    let site = ctx.sites.iter().find(|s| s.span == call.span)?;
    let [arg] = &site.args[..] else { return None };
    if arg.keyword.is_some() {
        return None;
    }
    let receiver;
    let (whole, own) = match &arg.value.kind {
        ValueKind::Object(obj) if obj.spreads.len() == 1 => (&obj.spreads[0], obj.entries.clone()),
        ValueKind::Object(_) => return None,
        // `options.merge(user_id: user.id)`: the receiver, with the literal hashes merged in.
        ValueKind::Call { callee, args } => {
            let name = MERGES.iter().find_map(|m| callee.strip_suffix(m))?;
            let mut own = Vec::new();
            // A hash held in a local (`traits = { user_id: user.id }`) is read; what cannot be
            // read adds entries no call site can see, and none is assumed.
            for a in args {
                let held = match &a.kind {
                    ValueKind::Path(p) if p.segments.len() == 1 => {
                        ctx.locals(&p.segments[0]).into_iter().next()
                    }
                    _ => Some(a),
                };
                if let Some(ValueKind::Object(obj)) = held.map(|v| &v.kind) {
                    own.extend(obj.entries.iter().cloned());
                }
            }
            let path =
                Path { segments: name.split('.').map(str::to_string).collect(), text: name.to_string() };
            receiver = Value::new(ValueKind::Path(path), arg.value.span);
            (&receiver, own)
        }
        _ => (&arg.value, Vec::new()),
    };
    let flow = ctx.flow(whole, 0)?;
    (flow.members.is_empty() && !matches!(flow.param.kind, ParamKind::Rest)).then_some((flow.param, own))
}

/// Whether the call passes the function's own `*args` / `**kwargs` on whole.
fn forwarded_params(ctx: &FlowContext, call: &Call) -> Forwards {
    let mut forwards = Forwards::default();
    let Some(site) = ctx.sites.iter().find(|s| s.span == call.span) else { return forwards };
    for arg in &site.args {
        let (Some(keyword), ValueKind::Path(p)) = (arg.keyword.as_deref(), &arg.value.kind) else { continue };
        let Some(param) = ctx.func.params.iter().find(|q| p.segments.len() == 1 && q.name == p.segments[0])
        else {
            continue;
        };
        match (keyword, &param.kind) {
            (crate::frontend::FORWARDED_LIST, ParamKind::Rest) => forwards.positional = true,
            (crate::frontend::FORWARDED_KEYWORDS, ParamKind::KeywordRest) => forwards.keywords = true,
            _ => {}
        }
    }
    // Other positional arguments before the list shift the positions: not handled.
    if forwards.positional && site.args.iter().any(|a| a.keyword.is_none()) {
        forwards.positional = false;
    }
    forwards
}

/// `AnalyticsService.new` → `AnalyticsService`; `new Analytics` → `Analytics`;
/// `useAnalytics` stays a function name.
pub(crate) fn constructed_class(text: &str) -> String {
    let text = text.strip_prefix("new ").unwrap_or(text);
    let text = text.strip_suffix(".new").or_else(|| text.strip_suffix("::new")).unwrap_or(text);
    base_name(text.rsplit('.').next().unwrap_or(text)).to_string()
}

/// An inferred wrapper as `tracklint wrappers` lists it and `init` writes it.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct WrapperInfo {
    /// `Analytics.track_event`.
    pub name: String,
    /// The method as a call site spells it, and the receiver (`Analytics`), if any.
    pub method: String,
    pub receiver: Option<String>,
    pub path: String,
    pub line: usize,
    pub language: &'static str,
    /// One entry per tracking call in the body.
    pub calls: Vec<WrapperCall>,
    /// The functions below this one, down to the SDK.
    pub chain: Vec<String>,
    pub call_sites: usize,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct WrapperCall {
    pub sdk: String,
    pub kind: &'static str,
    /// The same as `[[wrappers]]` keys: (`event`, `2`), (`identity`, `"user_id"`). Roles read
    /// through a member (`user.email`) have no config spelling and are left out.
    #[serde(skip)]
    pub config: Vec<(&'static str, String)>,
    /// Role → the parameter (and members) that fills it, e.g. `event` → `event`,
    /// `distinct_id` → `user.id`.
    pub roles: Vec<(String, String)>,
    /// The call is made only for some values of a parameter (a dispatcher's branch):
    /// `action == 'track'`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
}

/// A flow as a `[[wrappers]]` argument reference: a position, a keyword, or `N.key`.
fn config_ref(flow: &Flow) -> Option<String> {
    if !flow.members.is_empty() {
        return None;
    }
    match &flow.param.kind {
        ParamKind::Positional(n) => Some(n.to_string()),
        ParamKind::Keyword => Some(toml_string(&flow.param.name)),
        ParamKind::Field { position, key } => Some(toml_string(&format!("{position}.{key}"))),
        ParamKind::Rest | ParamKind::KeywordRest => None,
    }
}

/// `[[wrappers]]` entries for the inferred functions, commented out for review.
pub fn starter_entries(wrappers: &[WrapperInfo]) -> String {
    let mut out = String::new();
    for w in wrappers.iter().filter(|w| w.call_sites > 0) {
        for call in w.calls.iter().filter(|c| !c.config.is_empty()) {
            // Names and paths are the repository's: one line each, and quoted as TOML, so none
            // can end the comment and write a live entry into the file.
            out.push_str(&format!(
                "\n# {} ({}:{}), {} call site{}\n",
                crate::text::visible(&w.name),
                crate::text::visible(&w.path),
                w.line,
                w.call_sites,
                if w.call_sites == 1 { "" } else { "s" }
            ));
            out.push_str("# [[wrappers]]\n");
            out.push_str(&format!("# language = {}\n", toml_string(w.language)));
            if let Some(receiver) = &w.receiver {
                out.push_str(&format!("# receiver = {}\n", toml_string(receiver)));
            }
            out.push_str(&format!("# method = {}\n", toml_string(w.method.trim_end_matches("()"))));
            out.push_str(&format!("# kind = {}\n", toml_string(call.kind)));
            for (key, value) in &call.config {
                out.push_str(&format!("# {key} = {value}\n"));
            }
        }
    }
    out
}

/// A one-line TOML basic string: quotes, backslashes and control characters escaped.
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn flow_text(flow: &Flow) -> String {
    std::iter::once(flow.param.name.as_str())
        .chain(flow.members.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join(".")
}

impl Summaries {
    /// What was inferred, with the number of call sites found for each (from the final calls).
    pub fn describe<'c>(
        &self,
        first_wrappers: impl Iterator<Item = (&'c std::path::Path, &'c Via, usize)>,
        display: impl Fn(&std::path::Path) -> String,
    ) -> Vec<WrapperInfo> {
        // Call sites by the wrapper they call first; a site of a wrapper with two tracking
        // calls counts once.
        let mut sites: HashMap<&Via, HashSet<(&std::path::Path, usize)>> = HashMap::new();
        for (path, first, start) in first_wrappers {
            sites.entry(first).or_default().insert((path, start));
        }
        let mut out: Vec<WrapperInfo> = self
            .list
            .iter()
            .map(|s| {
                let calls = s
                    .templates
                    .iter()
                    .map(|t| {
                        let mut roles = Vec::new();
                        if let Some(f) = &t.event {
                            roles.push(("event".to_string(), flow_text(f)));
                        }
                        for (role, f) in &t.identities {
                            let name = match role {
                                IdentityRole::DistinctId => "distinct_id",
                                IdentityRole::AliasNew => "alias",
                                IdentityRole::AliasOriginal => "alias_original",
                                IdentityRole::Identify => "identity",
                            };
                            roles.push((name.to_string(), flow_text(f)));
                        }
                        if let Some(p) = &t.properties {
                            let mut parts: Vec<String> = p.whole.iter().map(flow_text).collect();
                            parts.extend(p.entries.iter().map(|(k, _, f)| format!("{k}: {}", flow_text(f))));
                            roles.push(("properties".to_string(), parts.join(", ")));
                        }
                        if let Some(f) = &t.property_name {
                            roles.push(("property".to_string(), flow_text(f)));
                        }
                        if let Some(f) = &t.property_value {
                            roles.push(("value".to_string(), flow_text(f)));
                        }
                        if let Some(f) = &t.modifiers {
                            roles.push(("modifiers".to_string(), flow_text(f)));
                        }
                        let mut config = Vec::new();
                        let mut key = |name: &'static str, f: Option<&Flow>| {
                            if let Some(spelling) = f.and_then(config_ref) {
                                config.push((name, spelling));
                            }
                        };
                        key("event", t.event.as_ref());
                        for (role, f) in &t.identities {
                            let name = match role {
                                IdentityRole::AliasNew => "alias_new",
                                IdentityRole::AliasOriginal => "alias_original",
                                _ => "identity",
                            };
                            key(name, Some(f));
                        }
                        let whole =
                            t.properties.as_ref().filter(|p| p.entries.is_empty() && p.whole.len() == 1);
                        key("properties", whole.and_then(|p| p.whole.first()));
                        key("modifiers", t.modifiers.as_ref());
                        // A `[[wrappers]]` entry cannot say "only for this value": none is offered.
                        let when = t.guard.as_ref().map(|(param, values)| {
                            let values: Vec<String> = values.iter().map(|v| format!("{v:?}")).collect();
                            config.clear();
                            format!("{} is {}", param.name, values.join(" or "))
                        });
                        WrapperCall {
                            sdk: t.call.sdk.to_string(),
                            kind: t.call.kind.name(),
                            roles,
                            config,
                            when,
                        }
                    })
                    .collect();
                let chain = s
                    .templates
                    .first()
                    .map(|t| t.call.via.iter().map(|v| v.name.clone()).collect())
                    .unwrap_or_default();
                // A hook's or a module's members, a global mixin's methods: called bare.
                let receiver = s.owner.clone().filter(|o| {
                    !matches!(o.as_str(), "default" | "return" | crate::frontend::javascript::GLOBAL_MIXIN)
                });
                WrapperInfo {
                    name: s.via.name.clone(),
                    method: s.name.clone(),
                    receiver,
                    path: display(&s.via.path),
                    line: s.via.line,
                    language: language_of_ecosystem(s.ecosystem).name(),
                    calls,
                    chain,
                    call_sites: sites.get(&s.via).map_or(0, |set| set.len()),
                }
            })
            .collect();
        out.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(module: &str, from: &str, language: Language) -> Vec<String> {
        module_words(std::path::Path::new(module), std::path::Path::new(from), language)
    }

    #[test]
    fn an_import_names_the_module_below_the_common_directory() {
        let js = Language::TypeScript;
        assert_eq!(words("web/src/lib/analytics.ts", "web/src/pages/a.tsx", js), ["lib", "analytics"]);
        assert_eq!(words("web/src/lib/analytics.ts", "web/src/lib/x.ts", js), ["analytics"]);
        // `'../analytics'` from a file below the module's directory names only the file.
        assert_eq!(words("web/src/analytics.ts", "web/src/pages/deep/a.tsx", js), ["analytics"]);
        // A path alias may skip the leading directories: two segments at most.
        assert_eq!(words("a/b/c/d/track.ts", "x/y.ts", js), ["d", "track"]);
        // An index file is its directory; hyphens split words as the word index does.
        assert_eq!(words("app/hooks/use-track/index.ts", "app/pages/p.ts", js), ["hooks", "use", "track"]);
        assert!(words("app/hooks/index.ts", "app/hooks/sub/p.ts", js).is_empty());
        // A workspace package, imported by its name (`@acme/analytics`, `@acme/analytics/events`).
        assert_eq!(words("packages/analytics/src/index.ts", "apps/web/app/page.tsx", js), ["analytics"]);
        assert_eq!(
            words("packages/analytics/src/events.ts", "apps/web/app/page.tsx", js),
            ["analytics", "events"]
        );
        // Python: `from service import x` resolves from anywhere, so only the file's name.
        let py = Language::Python;
        assert_eq!(words("server/org/service.py", "server/user/views.py", py), ["service"]);
        assert_eq!(words("server/org/__init__.py", "server/user/views.py", py), ["org"]);
    }

    #[test]
    fn a_generic_method_name_alone_does_not_trigger_a_read() {
        let facts = |text: &str| FileFacts {
            words: crate::frontend::word_hashes(text.as_bytes()),
            ..FileFacts::default()
        };
        let module = std::path::PathBuf::from("server/org/service.py");
        let trigger = Trigger {
            ecosystem: "pypi",
            words: vec!["create".into()],
            module: Some(module.clone()),
            only: None,
        };
        let py = Language::Python;
        let elsewhere = std::path::Path::new("server/billing/views.py");
        assert!(!trigger.matches(elsewhere, py, &facts("Invoice.create(amount)")));
        assert!(trigger.matches(elsewhere, py, &facts("from server.org.service import org\norg.create(x)")));
        // The defining module itself, and only in its own ecosystem.
        assert!(trigger.matches(&module, py, &facts("def create(self): ...\ncreate()")));
        assert!(!trigger.matches(elsewhere, Language::Ruby, &facts("service.create")));
        let only = Trigger {
            ecosystem: "pypi",
            words: vec!["create".into()],
            module: None,
            only: Some(module.clone()),
        };
        assert!(!only.matches(elsewhere, py, &facts("service.create")));
    }

    #[test]
    fn starter_entries_cannot_write_a_live_line() {
        let planted = WrapperInfo {
            name: "x\n[[wrappers]]\nmethod = \"evil\"".into(),
            method: "track\"\n[inference]".into(),
            receiver: Some("A\nB".into()),
            path: "a\nb.rb".into(),
            line: 1,
            language: "ruby",
            calls: vec![WrapperCall {
                sdk: "mixpanel-ruby".into(),
                kind: "track",
                roles: Vec::new(),
                config: vec![("event", "2".into())],
                when: None,
            }],
            chain: Vec::new(),
            call_sites: 1,
        };
        let text = starter_entries(&[planted]);
        assert!(text.lines().all(|l| l.is_empty() || l.starts_with('#')), "{text}");
        let uncommented: String = text
            .lines()
            .filter_map(|l| l.strip_prefix("# "))
            .filter(|l| !l.contains("call site"))
            .collect::<Vec<_>>()
            .join("\n");
        let parsed: Result<toml::Table, _> = toml::from_str(&uncommented);
        assert!(parsed.is_ok(), "{uncommented}");
    }
}
