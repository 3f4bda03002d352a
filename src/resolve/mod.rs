//! Project-wide receiver resolution: decides which call sites are SDK calls. A receiver is a
//! client when it is bound to an SDK constructor or module (in this file, or exported/global from
//! another), or carries a conventional name while the project shows it uses that SDK.

mod apply;
mod types;
pub mod values;

use crate::frontend::FileFacts;
use crate::model::{BindingSource, Call, CallSite, Language, ModuleMember, Receiver, ScopeId};
use crate::profile::{LoadedProfile, Method, Profiles, WrapperReceiver, build_call};
use crate::text::base_name;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// A dependency manifest: where it is, which registry it names packages of, and which
/// profile packages it lists.
pub struct Manifest {
    pub dir: PathBuf,
    pub ecosystem: &'static str,
    pub packages: HashSet<String>,
    /// The package's own name (`package.json`'s `name`): a workspace package of a monorepo is
    /// imported by it (`@acme/analytics`).
    pub name: Option<String>,
}

/// One parsed file as resolution sees it.
pub struct FileInput<'a> {
    pub path: &'a Path,
    pub language: Language,
    pub facts: &'a FileFacts,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Resolution {
    /// A client of the profile at this index.
    Client(usize),
    /// Known to be something else.
    NotClient,
    /// Bound to something we cannot see into (a call's result, an unresolved import).
    Unknown,
}

/// How deep alias and import chains are followed.
const MAX_HOPS: usize = 8;

/// Answers already worked out, by name then `(file, scope, skip_local)`; keyed by name first so
/// that a lookup borrows the name and only an insert allocates. Minified bundles bind the same
/// one-letter names thousands of times; without this, alias chains fan out exponentially.
type Memo = RefCell<HashMap<Box<str>, HashMap<(usize, ScopeId, bool), Resolution>>>;

fn remember(memo: &Memo, name: &str, key: (usize, ScopeId, bool), resolution: Resolution) {
    let mut memo = memo.borrow_mut();
    match memo.get_mut(name) {
        Some(by_place) => {
            by_place.insert(key, resolution);
        }
        None => {
            memo.insert(name.into(), HashMap::from([(key, resolution)]));
        }
    }
}

/// A file's bindings by name, and its scope tree numbered in pre-order so that "scope `a`
/// holds scope `b`" is two comparisons: finding the bindings a site sees costs the bindings of
/// that name, not a hash lookup per enclosing scope (deeply nested code made that quadratic).
/// Two allocations a file (every file's index is held through resolution): the bindings
/// sorted by name, and one row per scope.
struct NameIndex<'a> {
    /// (name as receivers spell it without its sigil, binding index), sorted: a name's
    /// bindings are one run of it, in source order.
    by_name: Vec<(&'a str, u32)>,
    /// Per scope: the pre-order number of the scope, that of the last scope inside it, and its
    /// depth. A scope the tree does not reach (a malformed parent list) holds only itself.
    scopes: Vec<ScopeRow>,
}

#[derive(Clone, Copy)]
struct ScopeRow {
    enter: u32,
    exit: u32,
    depth: u32,
}

impl<'a> NameIndex<'a> {
    fn new(facts: &'a FileFacts) -> Self {
        let mut by_name: Vec<(&str, u32)> = facts
            .bindings
            .iter()
            .enumerate()
            .map(|(b, binding)| (base_name(&binding.name), b as u32))
            .collect();
        by_name.sort_unstable();
        let n = facts.scope_parents.len();
        let mut children: Vec<Vec<u32>> = vec![Vec::new(); n];
        for (id, &parent) in facts.scope_parents.iter().enumerate().skip(1) {
            if (parent as usize) < n && parent as usize != id {
                children[parent as usize].push(id as u32);
            }
        }
        let mut scopes = vec![ScopeRow { enter: u32::MAX, exit: 0, depth: 0 }; n];
        let mut counter = 0u32;
        // Iterative depth-first walk from the top level: (scope, next child to visit).
        let mut stack: Vec<(u32, usize)> = Vec::new();
        if n > 0 {
            scopes[0].enter = 0;
            counter = 1;
            stack.push((0, 0));
        }
        while let Some(&mut (scope, ref mut next)) = stack.last_mut() {
            let scope = scope as usize;
            if let Some(&child) = children[scope].get(*next) {
                *next += 1;
                let c = child as usize;
                if scopes[c].enter == u32::MAX {
                    scopes[c].enter = counter;
                    counter += 1;
                    scopes[c].depth = scopes[scope].depth + 1;
                    stack.push((child, 0));
                }
            } else {
                scopes[scope].exit = counter.saturating_sub(1);
                stack.pop();
            }
        }
        NameIndex { by_name, scopes }
    }

    /// The bindings named `name`, in source order.
    fn named(&self, name: &str) -> impl Iterator<Item = usize> + use<'_, 'a> {
        let from = self.by_name.partition_point(|&(n, _)| n < name);
        let to = self.by_name.partition_point(|&(n, _)| n <= name);
        self.by_name[from..to].iter().map(|&(_, b)| b as usize)
    }

    /// Whether `outer` is `inner` or one of the scopes around it.
    fn holds(&self, outer: ScopeId, inner: ScopeId) -> bool {
        if outer == inner {
            return true;
        }
        let (o, i) = (outer as usize, inner as usize);
        match (self.scopes.get(o), self.scopes.get(i)) {
            (Some(o), Some(i)) => {
                o.enter != u32::MAX && i.enter != u32::MAX && o.enter <= i.enter && i.enter <= o.exit
            }
            _ => false,
        }
    }

    /// The bindings of `name` at the file's top level: scope 0, then those with no scope.
    fn top_level(&self, facts: &FileFacts, name: &str) -> Vec<usize> {
        let at = |scope: Option<ScopeId>| self.named(name).filter(move |&b| facts.bindings[b].scope == scope);
        at(Some(0)).chain(at(None)).collect()
    }
}

pub struct Resolver<'a> {
    pub(crate) files: &'a [FileInput<'a>],
    profiles: &'a Profiles,
    /// The project's own tracking functions, inferred in earlier rounds.
    summaries: &'a crate::infer::Summaries,
    /// Files by path and Python module name: the same in every inference round, built once.
    modules: std::borrow::Cow<'a, ModuleIndex>,
    /// Ruby constants, globals and methods, visible from every Ruby file.
    pub(crate) ruby_globals: HashMap<&'a str, Vec<(usize, &'a BindingSource)>>,
    /// Swift globals (`let analytics = Analytics(..)` at the top of a file), visible from every
    /// Swift file of the module.
    swift_globals: HashMap<&'a str, Vec<(usize, &'a BindingSource)>>,
    /// Ruby classes and modules the project defines (last segment): such a name is the app's
    /// own, never an SDK client by its name alone (a `class Analytics` wrapper in an app on
    /// the gem whose old module was `Analytics`).
    ruby_classes: HashSet<&'a str>,
    names: Vec<NameIndex<'a>>,
    evidence: HashSet<usize>,
    /// What each file shows of the SDKs in `evidence` (manifests aside), when collected.
    evidence_by_file: Vec<Vec<usize>>,
    manifests: &'a [Manifest],
    /// Profiles whose package any manifest lists.
    manifest_listed: HashSet<usize>,
    /// Manifests by their directory: the one governing a file is found up its ancestors.
    manifest_dirs: HashMap<&'a Path, Vec<&'a Manifest>>,
    /// Go files by directory: a Go package is a directory, and its files see each other's
    /// top-level names.
    go_packages: HashMap<&'a Path, Vec<usize>>,
    /// String constants by (registry of the language, name); `None` when two definitions of one
    /// name disagree.
    constants: HashMap<(&'static str, String), Option<crate::model::Value>>,
    /// Per language, the method names of client constructions a profile's `[init]` reads.
    constructor_names: HashMap<Language, HashSet<String>>,
    /// Swift types the project declares as stand-ins for an SDK's (see [`crate::model::StandIn`]),
    /// with the profile each stands in for.
    stand_ins: HashMap<&'a str, usize>,
    /// Declared Python wrappers' parameters, worked out on first use.
    wrapper_params: std::sync::OnceLock<HashMap<String, Option<Vec<String>>>>,
    /// Classes (types with methods) the project defines, by ecosystem, built on first use.
    project_classes: std::sync::OnceLock<HashSet<(&'static str, &'a str)>>,
}

/// Where imports lead: files by path, and Python files by every dotted module name they can
/// be imported as (`app.analytics`, `analytics` for `app/analytics.py`). It depends on the
/// paths alone, so inference builds it once for all its rounds.
#[derive(Clone, Debug, Default)]
pub struct ModuleIndex {
    by_path: HashMap<PathBuf, usize>,
    python_modules: HashMap<String, usize>,
    /// JavaScript-family files by the last segment of their path without its extension (and
    /// `index` files also by their directory's name), with that path as `/`-separated text:
    /// the candidates for a path-like specifier (`@/lib/analytics`), found without looking at
    /// every file of the project for every import.
    pub(crate) js_by_name: HashMap<String, Vec<(usize, String)>>,
}

impl ModuleIndex {
    pub fn new(files: &[FileInput]) -> ModuleIndex {
        let by_path = files.iter().enumerate().map(|(i, f)| (f.path.to_path_buf(), i)).collect();
        let mut python_modules = HashMap::new();
        for (i, f) in files.iter().enumerate().filter(|(_, f)| f.language == Language::Python) {
            for name in python_module_names(f.path) {
                python_modules.entry(name).or_insert(i);
            }
        }
        let mut js_by_name: HashMap<String, Vec<(usize, String)>> = HashMap::new();
        for (i, f) in files.iter().enumerate().filter(|(_, f)| f.language.is_js_family()) {
            let text = f.path.with_extension("").to_string_lossy().replace('\\', "/");
            let mut names = text.rsplit('/');
            let last = names.next().unwrap_or_default().to_string();
            if last == "index"
                && let Some(dir) = names.next()
            {
                js_by_name.entry(dir.to_string()).or_default().push((i, text.clone()));
            }
            js_by_name.entry(last).or_default().push((i, text));
        }
        ModuleIndex { by_path, python_modules, js_by_name }
    }
}

/// The dotted names a Python file can be imported under, shortest last.
fn python_module_names(path: &Path) -> Vec<String> {
    let mut parts: Vec<String> = path
        .components()
        .filter_map(|c| match c {
            std::path::Component::Normal(s) => s.to_str().map(str::to_string),
            _ => None,
        })
        .collect();
    let Some(file) = parts.pop() else { return Vec::new() };
    let stem = file.strip_suffix(".py").or_else(|| file.strip_suffix(".pyi")).unwrap_or(&file);
    if stem != "__init__" {
        parts.push(stem.to_string());
    }
    (0..parts.len()).map(|i| parts[i..].join(".")).collect()
}

fn is_relative(module: &str) -> bool {
    module.starts_with("./") || module.starts_with("../")
}

/// Where a resolver's evidence (the SDKs the project visibly uses) comes from.
pub enum Evidence {
    /// Given: an earlier round's, on the same files.
    Known(HashSet<usize>),
    /// Collected from the files, but for those whose contribution is given (a file unchanged
    /// since the run that collected it, in a project whose other files tell it the same).
    Collect(Vec<Option<Vec<usize>>>),
}

impl<'a> Resolver<'a> {
    pub fn new(files: &'a [FileInput<'a>], profiles: &'a Profiles, manifests: &'a [Manifest]) -> Self {
        let modules = std::borrow::Cow::Owned(ModuleIndex::new(files));
        Self::build(files, profiles, manifests, modules, Evidence::Collect(Vec::new()))
    }

    /// [`Resolver::new`] for a round of inference: the module index, built once (same files,
    /// same order), and the evidence as [`Evidence`] says. Evidence that a project uses an SDK
    /// is a constructor or import of it, which the literal prefilter never skips, so files read
    /// in later rounds add none: the first round's stands.
    pub fn for_round(
        files: &'a [FileInput<'a>],
        profiles: &'a Profiles,
        manifests: &'a [Manifest],
        modules: &'a ModuleIndex,
        evidence: Evidence,
    ) -> Self {
        Self::build(files, profiles, manifests, std::borrow::Cow::Borrowed(modules), evidence)
    }

    /// JavaScript-family files whose path (without extension) ends in `name`, or that are
    /// the `index` of a directory so named, with that path as text.
    pub(crate) fn js_files_named(&self, name: &str) -> &[(usize, String)] {
        self.modules.js_by_name.get(name).map(Vec::as_slice).unwrap_or_default()
    }

    /// The Go files of `file`'s package (its directory), itself included.
    pub(crate) fn go_package_of(&self, file: usize) -> &[usize] {
        let dir = self.files[file].path.parent().unwrap_or(Path::new(""));
        self.go_packages.get(dir).map(Vec::as_slice).unwrap_or_default()
    }

    /// The Go files of the package an import path names: the directory whose path ends with
    /// the most of the import's segments (`example.com/shop/internal/track` is
    /// `internal/track`), when one directory does.
    pub(crate) fn go_package_for_import(&self, module: &str) -> &[usize] {
        let segments: Vec<&str> = module.split('/').collect();
        let mut best: Option<(usize, &Path)> = None;
        let mut tie = false;
        for dir in self.go_packages.keys() {
            let dir_segments: Vec<String> = dir.iter().map(|s| s.to_string_lossy().into_owned()).collect();
            let shared = segments
                .iter()
                .rev()
                .zip(dir_segments.iter().rev())
                .take_while(|(a, b)| **a == b.as_str())
                .count();
            if shared == 0 {
                continue;
            }
            match best {
                Some((n, _)) if n > shared => {}
                Some((n, _)) if n == shared => tie = true,
                _ => {
                    best = Some((shared, dir));
                    tie = false;
                }
            }
        }
        match best {
            Some((_, dir)) if !tie => self.go_packages.get(dir).map(Vec::as_slice).unwrap_or_default(),
            _ => &[],
        }
    }

    pub(crate) fn profiles(&self) -> &Profiles {
        self.profiles
    }

    /// The profiles the project visibly uses.
    pub fn evidence(&self) -> &HashSet<usize> {
        &self.evidence
    }

    /// What each file shows of them (manifests aside), when this resolver collected them,
    /// given away: empty when they were given ([`Evidence::Known`]), or taken already.
    pub fn take_evidence_by_file(&mut self) -> Vec<Vec<usize>> {
        std::mem::take(&mut self.evidence_by_file)
    }

    fn build(
        files: &'a [FileInput<'a>],
        profiles: &'a Profiles,
        manifests: &'a [Manifest],
        modules: std::borrow::Cow<'a, ModuleIndex>,
        evidence: Evidence,
    ) -> Self {
        let mut ruby_globals: HashMap<&str, Vec<(usize, &BindingSource)>> = HashMap::new();
        let mut swift_globals: HashMap<&str, Vec<(usize, &BindingSource)>> = HashMap::new();
        let mut ruby_classes: HashSet<&str> = HashSet::new();
        for (i, f) in files.iter().enumerate() {
            if f.language == Language::Ruby {
                ruby_classes.extend(f.facts.classes.iter().map(|c| base_name(&c.name)));
            }
            let globals = match f.language {
                Language::Ruby => &mut ruby_globals,
                Language::Swift => &mut swift_globals,
                _ => continue,
            };
            for b in f.facts.bindings.iter().filter(|b| b.global) {
                globals.entry(base_name(&b.name)).or_default().push((i, &b.source));
            }
        }
        use rayon::prelude::*;
        let names = files.par_iter().map(|f| NameIndex::new(f.facts)).collect();
        let mut resolver = Resolver {
            files,
            profiles,
            summaries: crate::infer::Summaries::none(),
            modules,
            ruby_globals,
            swift_globals,
            ruby_classes,
            names,
            evidence: HashSet::new(),
            evidence_by_file: Vec::new(),
            manifests: &[],
            manifest_listed: HashSet::new(),
            manifest_dirs: HashMap::new(),
            go_packages: HashMap::new(),
            wrapper_params: std::sync::OnceLock::new(),
            project_classes: std::sync::OnceLock::new(),
            constants: HashMap::new(),
            stand_ins: HashMap::new(),
            constructor_names: Language::ALL
                .iter()
                .map(|&l| (l, profiles.constructor_names(l).into_iter().collect()))
                .collect(),
        };
        for f in files {
            for (name, value) in &f.facts.constants {
                let key = (f.language.ecosystem(), name.clone());
                match resolver.constants.get(&key) {
                    Some(Some(existing)) if existing.kind != value.kind => {
                        resolver.constants.insert(key, None);
                    }
                    Some(_) => {}
                    None => {
                        resolver.constants.insert(key, Some(value.clone()));
                    }
                }
            }
        }
        resolver.stand_ins = resolver.stand_in_profiles();
        resolver.manifests = manifests;
        for (i, f) in files.iter().enumerate().filter(|(_, f)| f.language == Language::Go) {
            resolver.go_packages.entry(f.path.parent().unwrap_or(Path::new(""))).or_default().push(i);
        }
        for m in manifests {
            resolver.manifest_dirs.entry(m.dir.as_path()).or_default().push(m);
        }
        resolver.manifest_listed = (0..profiles.list.len())
            .filter(|&p| manifests.iter().any(|m| resolver.manifest_lists(m, p)))
            .collect();
        match evidence {
            Evidence::Known(known) => resolver.evidence = known,
            Evidence::Collect(kept) => {
                resolver.evidence_by_file = resolver.collect_evidence(kept);
                resolver.evidence = resolver.evidence_by_file.iter().flatten().copied().collect();
                resolver.evidence.extend(&resolver.manifest_listed);
            }
        }
        resolver
    }

    /// The SDK each Swift stand-in type stands in for: a profile one of whose types (or factory
    /// modules) has the stand-in's name, or whose vendor the name contains (`SegmentAnalytics`),
    /// and which has a method the stand-in declares. A name that fits two SDKs stands for none.
    fn stand_in_profiles(&self) -> HashMap<&'a str, usize> {
        let mut candidates: HashMap<&'a str, (bool, Vec<usize>)> = HashMap::new();
        let files: &'a [FileInput<'a>] = self.files;
        for stand_in in
            files.iter().filter(|f| f.language == Language::Swift).flat_map(|f| &f.facts.stand_ins)
        {
            let name = stand_in.name.as_str();
            let lower = name.to_ascii_lowercase();
            for (p, profile) in self.profiles_for(Language::Swift) {
                let declares = stand_in.methods.iter().any(|m| {
                    profile.methods.iter().any(|pm| pm.path.first() == Some(m))
                        || profile.clients.factory_methods.contains(m)
                });
                if !declares {
                    continue;
                }
                let named = profile.clients.classes.iter().any(|c| c.split('.').nth(1) == Some(name))
                    || profile.clients.factory_modules.iter().any(|m| m == name);
                // `SegmentAnalytics`, `AmplitudeClient`: the vendor first, for an SDK that has a
                // client type (not `MinHeap`, not a global like GTM's `dataLayer`).
                let has_type =
                    !profile.clients.classes.is_empty() || !profile.clients.factory_modules.is_empty();
                let vendor = profile.id.split('-').next().unwrap_or_default();
                if !(named || has_type && vendor.len() >= 4 && lower.starts_with(vendor)) {
                    continue;
                }
                let entry = candidates.entry(name).or_insert((named, Vec::new()));
                match (entry.0, named) {
                    // A profile that has the type by name beats one whose vendor the name contains.
                    (false, true) => *entry = (true, vec![p]),
                    (true, false) => {}
                    _ if !entry.1.contains(&p) => entry.1.push(p),
                    _ => {}
                }
            }
        }
        candidates.into_iter().filter_map(|(name, (_, ps))| (ps.len() == 1).then(|| (name, ps[0]))).collect()
    }

    /// Resolution that also sees the project's own tracking functions.
    pub fn with_summaries(mut self, summaries: &'a crate::infer::Summaries) -> Self {
        self.summaries = summaries;
        self
    }

    fn manifest_lists(&self, manifest: &Manifest, profile: usize) -> bool {
        let profile = &self.profiles.list[profile];
        profile.ecosystems().contains(&manifest.ecosystem)
            && profile.packages.iter().any(|pkg| manifest.packages.contains(pkg))
    }

    /// Whether the manifest that governs `file` lists the profile's package: the nearest
    /// manifest of the profile's registry above the file (a monorepo's apps each have their
    /// own), or any manifest when none is above it.
    fn listed_for(&self, file: usize, profile: usize) -> bool {
        let path = self.files[file].path;
        let ecosystems = self.profiles.list[profile].ecosystems();
        // The deepest directory above the file with a manifest of the profile's registry.
        for dir in path.ancestors().skip(1) {
            let Some(here) = self.manifest_dirs.get(dir) else { continue };
            let mut relevant = here.iter().filter(|m| ecosystems.contains(&m.ecosystem)).peekable();
            if relevant.peek().is_some() {
                return relevant.any(|m| self.manifest_lists(m, profile));
            }
        }
        self.manifest_listed.contains(&profile)
    }

    /// What each file shows of the profiles the project uses (a constructor or import, a
    /// vendor's page snippet), sorted; the project's evidence is their union with the
    /// manifests'. Each file's is its own, so the files are looked at in parallel (each worker
    /// with its own memo), and a file whose `kept` contribution is given is not looked at.
    fn collect_evidence(&self, kept: Vec<Option<Vec<usize>>>) -> Vec<Vec<usize>> {
        use rayon::prelude::*;
        let snippet_globals: std::sync::OnceLock<HashSet<(&str, bool)>> = std::sync::OnceLock::new();
        // The receivers a snippet's evidence is written on (`heap` of `heap.load`, `analytics`):
        // a file whose identifiers include none of them has no such call, and its packed call
        // sites are not decoded to look.
        let receivers: HashSet<&str> = self
            .snippet_vendors()
            .flat_map(|p| {
                let called =
                    p.clients.evidence_calls.iter().filter_map(|c| c.split_once('.').map(|(r, _)| r));
                called.chain(p.clients.conventional_names.iter().map(String::as_str))
            })
            .collect();
        let of_file = |memo: &Memo, i: usize, f: &FileInput| -> Vec<usize> {
            let mut evidence: Vec<usize> = Vec::new();
            let add = |evidence: &mut Vec<usize>, p: usize| {
                if !evidence.contains(&p) {
                    evidence.push(p);
                }
            };
            let direct =
                f.facts.bindings.iter().map(|b| &b.source).filter(|s| !matches!(s, BindingSource::Alias(_)));
            for source in direct {
                if let Resolution::Client(p) = self.resolve_source(i, 0, source, MAX_HOPS, memo) {
                    add(&mut evidence, p);
                }
            }
            // A vendor's snippet loaded by the page (`heap.load('id')`). The identifiers are
            // not hashed when inference is off: then every file is looked at.
            if f.facts.words.is_empty() || receivers.iter().any(|r| f.facts.mentions(r)) {
                for site in f.facts.sites().iter().filter(|s| s.root.is_none()) {
                    let [receiver, method] = site.callee.as_slice() else { continue };
                    let on_window = f.facts.window_receivers.contains(receiver);
                    for (p, profile) in self.profiles_for(f.language) {
                        let named =
                            |c: &String| c.split_once('.') == Some((receiver.as_str(), method.as_str()));
                        // A variable of that name in some module (`const analytics = new
                        // Analytics(..)` on the server) is not the page's global; an
                        // assignment to `window.analytics` is.
                        let defined = |window_only: bool| {
                            snippet_globals
                                .get_or_init(|| self.defined_snippet_globals())
                                .contains(&(receiver.as_str(), window_only))
                        };
                        if profile.clients.evidence_calls.iter().any(named)
                            || (!evidence.contains(&p)
                                && ((vendor_global_call(profile, site, receiver, method) && !defined(false))
                                    || (on_window
                                        && window_global_call(profile, receiver, method)
                                        && !defined(true))))
                        {
                            add(&mut evidence, p);
                        }
                    }
                }
            }
            evidence.sort_unstable();
            evidence
        };
        let mut kept = kept;
        kept.resize(self.files.len(), None);
        kept.into_par_iter()
            .zip(self.files.par_iter())
            .enumerate()
            .map_init(Memo::default, |memo, (i, (kept, f))| kept.unwrap_or_else(|| of_file(memo, i, f)))
            .collect()
    }

    /// The vendors that ship a page snippet (their profiles name the snippet's calls): only
    /// they have a global a page script defines.
    fn snippet_vendors(&self) -> impl Iterator<Item = &LoadedProfile> {
        self.profiles.list.iter().filter(|p| !p.clients.evidence_calls.is_empty())
    }

    /// The snippet globals (`heap`, `analytics`, ..) some file of the project defines itself
    /// (`const heap = new MinHeap()`, `window.analytics = ..`): those names are the project's.
    /// Each is listed with `false`, and also with `true` when assigned on `window`.
    fn defined_snippet_globals(&self) -> HashSet<(&str, bool)> {
        let globals: HashSet<&str> = self
            .snippet_vendors()
            .flat_map(|p| p.clients.conventional_names.iter().map(String::as_str))
            .collect();
        self.files
            .iter()
            .flat_map(|f| &f.facts.bindings)
            .flat_map(|b| {
                let (name, on_window) = match b.name.strip_prefix("window.") {
                    Some(name) => (name, true),
                    None => (b.name.as_str(), false),
                };
                let name = globals.get(name).copied();
                [name.map(|n| (n, false)), name.filter(|_| on_window).map(|n| (n, true))]
            })
            .flatten()
            .collect()
    }

    /// The tracking calls of one file.
    pub fn calls(&self, file: usize) -> Vec<Call> {
        let f = &self.files[file];
        let memo = Memo::default();
        let mut calls = Vec::new();
        for site in f.facts.sites().iter() {
            let before = calls.len();
            if let Some(init) = self.init_call(file, site, &memo) {
                calls.push(init);
                continue;
            }
            self.sdk_calls(file, site, &memo, &mut calls);
            if calls.len() == before && !self.summaries.is_empty() {
                calls.extend(apply::wrapper_calls(self, self.summaries, file, site));
            }
        }
        for call in &mut calls {
            self.resolve_event_constant(file, call);
            values::with_local_properties(self, file, call);
            if let Some(properties) = &mut call.properties {
                self.resolve_constant_keys(file, properties, 0);
            }
        }
        let mut calls: Vec<Call> =
            calls.into_iter().flat_map(|call| values::expand(self, file, call)).collect();
        if !f.facts.annotated.is_empty() {
            for call in &mut calls {
                types::declare(f.facts, call);
            }
        }
        // Every file's calls are held until the report: no room to spare in each list.
        calls.shrink_to_fit();
        calls
    }

    /// The `Init` call of a site that builds an SDK's client (`Mixpanel::Tracker.new(token)`,
    /// `Mixpanel(token)`, `new PostHog(key)`, `Mixpanel::init(token)`), as its profile's
    /// `[init]` reads it.
    fn init_call(&self, file: usize, site: &crate::model::CallSite, memo: &Memo) -> Option<Call> {
        let f = &self.files[file];
        // Most sites are not constructions: the method name is checked before anything is built.
        let last = match (&site.root, site.callee.last()) {
            (Some(Receiver::Constructor(text)), None) => text.rsplit(['.', ':', ' ']).next().unwrap_or(text),
            (None | Some(Receiver::Type(_)), Some(method)) => method.as_str(),
            _ => return None,
        };
        if !self.constructor_names.get(&f.language).is_some_and(|names| names.contains(last)) {
            return None;
        }
        let separator = if f.language == Language::Rust { "::" } else { "." };
        let text = match (&site.root, site.callee.as_slice()) {
            (Some(Receiver::Constructor(text)), []) => text.clone(),
            (None, callee @ [_, ..]) => callee.join(separator),
            (Some(Receiver::Type(path)), [method]) => format!("{path}::{method}"),
            _ => return None,
        };
        let constructor = BindingSource::Constructor(text);
        let Resolution::Client(p) = self.resolve_source(file, site.scope, &constructor, MAX_HOPS, memo)
        else {
            return None;
        };
        let mut call = crate::profile::build_init(&self.profiles.list[p], site)?;
        // A token held in a constant is checked as its literal: where it is written when the
        // constant is in this file, at the use when it is in another (a settings module).
        for value in [&mut call.token, &mut call.secret].into_iter().flatten().map(|v| &mut **v) {
            if let crate::model::ValueKind::Path(path) = &value.kind
                && let Some((constant, here)) = self.constant_value(file, &path.segments)
            {
                *value = if here { constant } else { crate::model::Value::new(constant.kind, value.span) };
            }
        }
        Some(call)
    }

    /// The SDK call a site makes, if its receiver resolves to a client (or a declared wrapper).
    fn sdk_calls(&self, file: usize, site: &crate::model::CallSite, memo: &Memo, calls: &mut Vec<Call>) {
        let f = &self.files[file];
        let site = &*self.keyword_dict_spread(file, site, false);
        {
            for split in [2usize, 1] {
                if site.callee.len() < split {
                    continue;
                }
                let (receiver, method) = site.callee.split_at(site.callee.len() - split);
                let path: Vec<&str> = method.iter().map(String::as_str).collect();
                // Resolving a receiver costs more than asking whether any SDK has the method.
                if !self.profiles_for(f.language).any(|(_, profile)| profile.has_method(&path)) {
                    continue;
                }
                // A team's wrappers are trusted by the receiver name the config gives.
                if let Some((profile, m)) = self.wrapper_for(file, receiver, &site.root, &path, site) {
                    let site = self.keywords_in_place(file, &path, site);
                    calls.push(build_call(profile, m, &site));
                    break;
                }
                let resolution = match (receiver.last(), &site.root) {
                    // A member of a type or object, by its qualified text: Swift
                    // `PostHogSDK.shared.capture(..)` (a type the file does not bind), Kotlin
                    // `Firebase.analytics.logEvent(..)` (an imported object; else the member's
                    // own name).
                    (Some(name), _)
                        if receiver[0].starts_with(|c: char| c.is_ascii_uppercase())
                            && match f.language {
                                Language::Swift => {
                                    self.visible_bindings(file, site.scope, &receiver[0]).is_empty()
                                }
                                Language::Kotlin | Language::Java => receiver.len() >= 2,
                                _ => false,
                            } =>
                    {
                        let member = BindingSource::Constructor(receiver.join("."));
                        match self.resolve_source(file, site.scope, &member, MAX_HOPS, memo) {
                            Resolution::Client(p) => Resolution::Client(p),
                            other if f.language == Language::Swift => other,
                            _ => self.resolve_name(file, site.scope, base_name(name), MAX_HOPS, false, memo),
                        }
                    }
                    (Some(name), _) => {
                        self.resolve_name(file, site.scope, base_name(name), MAX_HOPS, false, memo)
                    }
                    // Nuxt's `provide: { posthog: () => client }`, read back with
                    // `const { $posthog } = useNuxtApp()` and called: `$posthog().capture(..)`
                    // is the provided client, named as the SDK's Vue global.
                    (None, Some(Receiver::Constructor(text)))
                        if self.nuxt_provided(file, site.scope, text) =>
                    {
                        self.resolve_name(file, site.scope, text, MAX_HOPS, false, memo)
                    }
                    (None, Some(Receiver::Constructor(text))) => self.resolve_source(
                        file,
                        site.scope,
                        &BindingSource::Constructor(text.clone()),
                        MAX_HOPS,
                        memo,
                    ),
                    (None, Some(Receiver::Require(module))) => self.resolve_source(
                        file,
                        site.scope,
                        &BindingSource::Module { module: module.clone(), member: ModuleMember::Default },
                        MAX_HOPS,
                        memo,
                    ),
                    (None, Some(Receiver::Type(path))) => self.by_type(f.language, path),
                    // `track('X')` after `import { track } from '@amplitude/analytics-browser'`.
                    (None, None) => {
                        if let Some((profile, m)) = self.bare_function(file, site, &path) {
                            calls.push(build_call(profile, m, site));
                            break;
                        }
                        Resolution::NotClient
                    }
                };
                let Resolution::Client(p) = resolution else { continue };
                let profile = &self.profiles.list[p];
                if let Some(m) = profile.method(&path, &site.args) {
                    // `hash = { event: .., user_id: .. }` then `Analytics.track(hash)`: an options
                    // object's roles are the keys of the one object the local holds.
                    let local = m.spec.reads_options_object().then(|| self.with_local_objects(file, site));
                    calls.push(build_call(profile, m, local.flatten().as_ref().unwrap_or(site)));
                    break;
                }
                // A message built in a local first (`dataLayer.push(purchase)`): the method
                // may need what the object says (GTM's `event`).
                if profile.has_method(&path)
                    && let Some(site) = self.with_local_objects(file, site)
                    && let Some(m) = profile.method(&path, &site.args)
                {
                    calls.push(build_call(profile, m, &site));
                    break;
                }
            }
        }
    }

    /// The site with each positional argument that is a local holding one object replaced by
    /// that object, when there is one.
    fn with_local_objects(&self, file: usize, site: &CallSite) -> Option<CallSite> {
        let mut changed = false;
        let args = site
            .args
            .iter()
            .map(|a| match values::local_object(self, file, site, &a.value).filter(|_| a.keyword.is_none()) {
                Some(object) => {
                    changed = true;
                    crate::model::Arg { keyword: None, value: object }
                }
                None => a.clone(),
            })
            .collect();
        changed.then(|| CallSite { args, ..site.clone() })
    }

    /// Keys held in project constants (`[KEYS.orderId: id]`) read as the constants' values; an
    /// entry whose constant is not known is dropped, and its object marked as holding keys we
    /// cannot see.
    fn resolve_constant_keys(&self, file: usize, value: &mut crate::model::Value, depth: usize) {
        use crate::model::ValueKind;
        if depth > 16 {
            return;
        }
        match &mut value.kind {
            ValueKind::Object(object) => {
                let mut unknown = false;
                object.entries.retain_mut(|entry| {
                    self.resolve_constant_keys(file, &mut entry.value, depth + 1);
                    let Some(constant) = entry.key_constant() else { return true };
                    let segments: Vec<String> = constant.split('.').map(str::to_string).collect();
                    match self.constant(file, &segments) {
                        Some(key) if !key.is_empty() => {
                            entry.key = key;
                            true
                        }
                        _ => {
                            unknown = true;
                            false
                        }
                    }
                });
                object.has_spread |= unknown;
            }
            ValueKind::Array(items) => {
                for item in items {
                    self.resolve_constant_keys(file, item, depth + 1);
                }
            }
            _ => {}
        }
    }

    /// An event name held in a project constant (`TRACKER.track(id, EVENT_SIGNED_UP)`,
    /// `mixpanel.track(EVENTS.SIGNED_UP)`) is read as its value, at the place it is used.
    fn resolve_event_constant(&self, file: usize, call: &mut Call) {
        let Some(event) = &mut call.event else { return };
        let crate::model::ValueKind::Path(path) = &event.kind else { return };
        if let Some(value) = self.constant(file, &path.segments) {
            event.kind = crate::model::ValueKind::Str(value);
        }
    }

    /// The string a constant path holds: the file's own definition first (`EVENT_NAME` in each
    /// worker holds its own event), then the project's, when all its definitions agree.
    /// An SDK's own constant (`AnalyticsEventSignUp`) when the project defines none of that name.
    pub(crate) fn constant(&self, file: usize, segments: &[String]) -> Option<String> {
        match self.constant_value(file, segments) {
            Some((value, _)) => value.as_str().map(str::to_string),
            None => {
                let joined = segments.join(".");
                self.profiles_for(self.files[file].language)
                    .find_map(|(_, p)| p.constants.get(&joined).cloned())
            }
        }
    }

    /// The value of the project constant `segments` names, and whether it is defined in `file`
    /// (its span is then where the literal is written).
    pub(crate) fn constant_value(
        &self,
        file: usize,
        segments: &[String],
    ) -> Option<(crate::model::Value, bool)> {
        let joined = segments.join(".");
        let last = segments.last().map(|s| base_name(s).to_string()).unwrap_or_default();
        let own = self.files[file]
            .facts
            .constants
            .iter()
            .filter(|(name, _)| *name == joined || *name == last)
            .map(|(_, value)| value)
            .collect::<Vec<_>>();
        // One definition, or several that agree (`MIXPANEL_TOKEN` and `Settings.MIXPANEL_TOKEN`
        // for a class attribute): the one named exactly, else the first.
        if let Some(first) = own.first()
            && own.iter().all(|v| v.kind == first.kind)
        {
            return Some(((*first).clone(), true));
        }
        let eco = self.files[file].language.ecosystem();
        let found = [joined, last]
            .into_iter()
            .find_map(|name| self.constants.get(&(eco, name)).cloned().flatten())
            .map(|v| (v, false));
        if found.is_some() {
            return found;
        }
        // Imported under another name (`import { EVENTS as E } from './events'`): the
        // constant is known by its exported name.
        let (first, rest) = segments.split_first()?;
        let exported = self.files[file].facts.bindings.iter().find_map(|b| match &b.source {
            BindingSource::Module { member: ModuleMember::Named(member), .. }
                if b.name == *first && member != first =>
            {
                Some(member.clone())
            }
            _ => None,
        })?;
        let renamed: Vec<String> = std::iter::once(exported).chain(rest.iter().cloned()).collect();
        let joined = renamed.join(".");
        self.constants.get(&(eco, joined)).cloned().flatten().map(|v| (v, false))
    }

    /// A bare call of an SDK's function: imported by name from an SDK module that exports its
    /// methods (`track('X')` after `import { track } from '@amplitude/analytics-browser'`), or,
    /// when the file does not bind the name at all, a vendor's global function (`gtag(..)`
    /// from the page's snippet).
    fn bare_function(
        &self,
        file: usize,
        site: &crate::model::CallSite,
        path: &[&str],
    ) -> Option<(&LoadedProfile, &Method)> {
        let [name] = path else { return None };
        let f = &self.files[file];
        let bindings = self.visible_bindings(file, site.scope, name);
        if bindings.is_empty() {
            return self.profiles_for(f.language).find_map(|(_, profile)| {
                if !profile.clients.functions.iter().any(|g| g == name) {
                    return None;
                }
                profile.method(&[name], &site.args).map(|m| (profile, m))
            });
        }
        bindings.into_iter().find_map(|b| {
            let BindingSource::Module { module, member: ModuleMember::Named(member) } =
                &f.facts.bindings[b].source
            else {
                return None;
            };
            self.profiles_for(f.language).find_map(|(_, profile)| {
                if !profile.clients.modules.contains(module) {
                    return None;
                }
                profile.method(&[member.as_str()], &site.args).map(|m| (profile, m))
            })
        })
    }

    /// A receiver that is a type or module path (`posthog_rs::Event`).
    fn by_type(&self, language: Language, path: &str) -> Resolution {
        let dotted = path.replace("::", ".");
        self.profiles_for(language)
            .find(|(_, p)| p.clients.types.contains(&dotted))
            .map_or(Resolution::NotClient, |(i, _)| Resolution::Client(i))
    }

    /// The modules a Swift file imports (`import Mixpanel`).
    fn swift_imports(&self, file: usize) -> impl Iterator<Item = &str> {
        self.files[file].facts.bindings.iter().filter_map(|b| match &b.source {
            BindingSource::Module { module, member: ModuleMember::Namespace } if *module == b.name => {
                Some(module.as_str())
            }
            _ => None,
        })
    }

    /// `MP(token)` after `from mixpanel import Mixpanel as MP` is `mixpanel.Mixpanel`;
    /// `new PostHog(key)` after `import { PostHog } from 'posthog-node'` is `posthog-node.PostHog`.
    fn qualify(&self, file: usize, scope: ScopeId, callee: &str) -> Option<String> {
        let callee = callee.strip_prefix("new ").unwrap_or(callee).replace("::", ".");
        let (root, rest) = match callee.split_once('.') {
            Some((root, rest)) => (root, Some(rest)),
            None => (callee.as_str(), None),
        };
        let f = &self.files[file];
        let module = self.visible_bindings(file, scope, root).into_iter().find_map(|b| {
            match &f.facts.bindings[b].source {
                BindingSource::Module { module, member } => {
                    let module = self.sdk_module(f.language, module);
                    Some(match member {
                        ModuleMember::Named(n) => format!("{module}.{n}"),
                        _ => module.to_string(),
                    })
                }
                _ => None,
            }
        })?;
        Some(match rest {
            Some(rest) => format!("{module}.{rest}"),
            None => module,
        })
    }

    /// The wrapper method whose declared receiver name or bare function this call matches.
    /// (A `useAnalytics()` receiver is a constructor of its profile and resolves like any other.)
    fn wrapper_for(
        &self,
        file: usize,
        receiver: &[String],
        root: &Option<Receiver>,
        path: &[&str],
        site: &crate::model::CallSite,
    ) -> Option<(&LoadedProfile, &Method)> {
        let f = &self.files[file];
        self.profiles_for(f.language).find_map(|(_, profile)| {
            let matches = match profile.wrapper.as_ref()? {
                WrapperReceiver::Bare => receiver.is_empty() && root.is_none(),
                WrapperReceiver::Name(name) => {
                    receiver.last().is_some_and(|last| {
                        last == name || base_name(last) == name || last.trim_start_matches(['@', '$']) == name
                    }) || receiver.join(".") == *name
                        // Ruby `segment(user).track(..)`: a helper method called with arguments.
                        || (receiver.is_empty()
                            && matches!(root, Some(Receiver::Constructor(text)) if text == name))
                        // A bare call inside the wrapper's own module or class.
                        || (receiver.is_empty() && root.is_none() && self.inside_module(file, site.scope, name))
                }
                WrapperReceiver::Call(_) => false,
            };
            if matches { profile.method(path, &site.args).map(|m| (profile, m)) } else { None }
        })
    }

    /// Whether code in `scope` of `file` is inside the module or class `name`: the file is
    /// `name.py` / `name.js` (any case of it), or a method of class or module `name` holds it.
    fn inside_module(&self, file: usize, scope: ScopeId, name: &str) -> bool {
        let f = &self.files[file];
        let simple = name.rsplit(['.', ':']).next().unwrap_or(name);
        let stem = f.path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        let module_file = f.language != Language::Ruby
            && (stem == simple || crate::naming::normalize(stem) == crate::naming::normalize(simple));
        module_file || f.facts.owner_at(scope) == Some(simple)
    }

    /// `client.track(**kwargs)` where `kwargs = dict(distinct_id=.., event_name=..)` (or a
    /// `{'distinct_id': ..}` literal) was built just before: the entries are the keywords.
    /// `partly`: a call of the project's own function (`log_to_mixpanel.delay(**data)`), whose
    /// `**kwargs` parameter takes what is not known: the known entries are the keywords even
    /// when the dict spreads others in (or is updated later), and a `**` argument stays for
    /// the rest. An SDK call is expanded only from a dict known whole.
    fn keyword_dict_spread<'s>(
        &self,
        file: usize,
        site: &'s crate::model::CallSite,
        partly: bool,
    ) -> std::borrow::Cow<'s, crate::model::CallSite> {
        let f = &self.files[file];
        let spread =
            site.args.iter().position(|a| a.keyword.as_deref() == Some(crate::frontend::FORWARDED_KEYWORDS));
        let Some(at) = spread.filter(|_| f.language == Language::Python) else {
            return std::borrow::Cow::Borrowed(site);
        };
        let crate::model::ValueKind::Path(p) = &site.args[at].value.kind else {
            return std::borrow::Cow::Borrowed(site);
        };
        let assigned = f.facts.assigned_before(&p.segments[0], site.scope, site.span.start);
        let [value] = assigned.as_slice() else { return std::borrow::Cow::Borrowed(site) };
        let crate::model::ValueKind::Object(obj) = &value.kind else {
            return std::borrow::Cow::Borrowed(site);
        };
        if obj.has_spread && !partly {
            return std::borrow::Cow::Borrowed(site);
        }
        let mut expanded = site.clone();
        let rest = expanded.args.remove(at);
        if partly {
            expanded.args.push(rest);
        }
        expanded.args.extend(
            obj.entries
                .iter()
                .map(|e| crate::model::Arg { keyword: Some(e.key.clone()), value: e.value.clone() }),
        );
        std::borrow::Cow::Owned(expanded)
    }

    /// The positional parameters of each declared Python wrapper method, from its definitions
    /// in the project; `None` when two definitions disagree.
    fn declared_wrapper_params(&self) -> HashMap<String, Option<Vec<String>>> {
        let wanted: HashSet<&str> = self
            .profiles
            .list
            .iter()
            .filter(|p| p.wrapper.is_some() && p.supports(Language::Python))
            .flat_map(|p| p.methods.iter().filter_map(|m| m.path.last().map(String::as_str)))
            .collect();
        let mut out: HashMap<String, Option<Vec<String>>> = HashMap::new();
        if wanted.is_empty() {
            return out;
        }
        for g in self.files.iter().filter(|g| g.language == Language::Python) {
            for d in g.facts.functions.iter().filter(|d| wanted.contains(d.name.as_str())) {
                let names: Vec<String> = d
                    .params
                    .iter()
                    .filter(|p| matches!(p.kind, crate::model::ParamKind::Positional(_)))
                    .map(|p| p.name.clone())
                    .collect();
                match out.get(&d.name) {
                    Some(Some(known)) if *known != names => {
                        out.insert(d.name.clone(), None);
                    }
                    Some(_) => {}
                    None => {
                        out.insert(d.name.clone(), Some(names));
                    }
                }
            }
        }
        out
    }

    /// A declared wrapper's arguments with Python keyword arguments moved to the positions
    /// their parameters have in the wrapper's `def` (`log_event(user.id, event="Signed Up")`
    /// for `def log_event(user_id, event)` and `event = 2`).
    fn keywords_in_place<'s>(
        &self,
        file: usize,
        path: &[&str],
        site: &'s crate::model::CallSite,
    ) -> std::borrow::Cow<'s, crate::model::CallSite> {
        let language = self.files[file].language;
        let [method] = path else { return std::borrow::Cow::Borrowed(site) };
        if language != Language::Python || site.args.iter().all(|a| a.keyword.is_none()) {
            return std::borrow::Cow::Borrowed(site);
        }
        let wrapper_params = self.wrapper_params.get_or_init(|| self.declared_wrapper_params());
        let Some(Some(params)) = wrapper_params.get(*method) else { return std::borrow::Cow::Borrowed(site) };
        let mut slots: Vec<Option<crate::model::Arg>> = Vec::new();
        let mut rest = Vec::new();
        for arg in &site.args {
            if arg.keyword.is_none() {
                slots.push(Some(arg.clone()));
            }
        }
        for arg in site.args.iter().filter(|a| a.keyword.is_some()) {
            match params.iter().position(|p| Some(p.as_str()) == arg.keyword.as_deref()) {
                Some(i) => {
                    if slots.len() <= i {
                        slots.resize(i + 1, None);
                    }
                    if slots[i].is_none() {
                        slots[i] = Some(crate::model::Arg { keyword: None, value: arg.value.clone() });
                        continue;
                    }
                    rest.push(arg.clone());
                }
                None => rest.push(arg.clone()),
            }
        }
        // A gap is an argument left to its default: nothing known is there.
        let mut moved = site.clone();
        moved.args = slots
            .into_iter()
            .map(|slot| {
                slot.unwrap_or_else(|| crate::model::Arg {
                    keyword: None,
                    value: crate::model::Value::new(
                        crate::model::ValueKind::Unknown(String::new()),
                        crate::model::Span::new(site.span.start, site.span.start),
                    ),
                })
            })
            .chain(rest)
            .collect();
        std::borrow::Cow::Owned(moved)
    }

    fn profiles_for(&self, language: Language) -> impl Iterator<Item = (usize, &LoadedProfile)> {
        self.profiles.list.iter().enumerate().filter(move |(_, p)| p.supports(language))
    }

    /// Combines what several bindings of one name say: any client wins, then any definite no.
    fn combine(results: impl Iterator<Item = Resolution>) -> Option<Resolution> {
        let mut combined = None;
        for r in results {
            match r {
                Resolution::Client(_) => return Some(r),
                Resolution::NotClient => combined = Some(Resolution::NotClient),
                Resolution::Unknown => {
                    combined.get_or_insert(Resolution::Unknown);
                }
            }
        }
        combined
    }

    /// What `name` means to code in `scope` of `file`.
    fn resolve_name(
        &self,
        file: usize,
        scope: ScopeId,
        name: &str,
        hops: usize,
        skip_local: bool,
        memo: &Memo,
    ) -> Resolution {
        if hops == 0 {
            return Resolution::Unknown;
        }
        let key = (file, scope, skip_local);
        if let Some(known) = memo.borrow().get(name).and_then(|by_place| by_place.get(&key)) {
            return *known;
        }
        // A name met again while it is being resolved is a cycle (`a = b; b = a`).
        remember(memo, name, key, Resolution::Unknown);
        let resolution = self.resolve_unmemoized(file, scope, name, hops, skip_local, memo);
        remember(memo, name, key, resolution);
        resolution
    }

    /// The bindings of `name` that code in `scope` sees: its own and enclosing scopes' locals,
    /// and file-wide names.
    /// A function's own local (a parameter, a variable) hides a field or global of the same
    /// name: `function ping(client: LocalClient)` is not the class's `this.client`.
    pub(crate) fn visible_bindings(&self, file: usize, scope: ScopeId, name: &str) -> Vec<usize> {
        let f = &self.files[file];
        let index = &self.names[file];
        // Innermost scope first, each scope's bindings in source order.
        let mut local: Vec<(std::cmp::Reverse<u32>, usize)> = Vec::new();
        let (mut unscoped, mut top) = (Vec::new(), Vec::new());
        for b in index.named(name) {
            match f.facts.bindings[b].scope {
                None => unscoped.push(b),
                Some(0) => top.push(b),
                Some(s) if index.holds(s, scope) => {
                    let depth = if s == scope {
                        u32::MAX
                    } else {
                        index.scopes.get(s as usize).map_or(0, |row| row.depth)
                    };
                    local.push((std::cmp::Reverse(depth), b));
                }
                Some(_) => {}
            }
        }
        if local.is_empty() {
            unscoped.extend(top);
            unscoped
        } else {
            local.sort_by_key(|&(depth, _)| depth);
            local.into_iter().map(|(_, b)| b).collect()
        }
    }

    /// `$name` taken from `useNuxtApp()` in this scope: a value a Nuxt plugin provides.
    fn nuxt_provided(&self, file: usize, scope: ScopeId, name: &str) -> bool {
        let f = &self.files[file];
        f.language.is_js_family()
            && name.starts_with('$')
            && self.visible_bindings(file, scope, name).into_iter().any(|b| {
                matches!(&f.facts.bindings[b].source,
                    BindingSource::CallMember { callee, .. } if callee == "useNuxtApp")
            })
    }

    /// Whether the project defines methods of a class (a Rust type) of this name, in the
    /// language family of `language`.
    fn is_project_class(&self, language: Language, ty: &str) -> bool {
        let classes = self.project_classes.get_or_init(|| {
            self.files
                .iter()
                .flat_map(|f| {
                    let ecosystem = f.language.ecosystem();
                    f.facts.functions.iter().filter_map(move |d| Some((ecosystem, d.owner.as_deref()?)))
                })
                .collect()
        });
        let name = ty.rsplit(['.', ':']).next().unwrap_or(ty);
        classes.contains(&(language.ecosystem(), name))
    }

    /// [`Self::resolve_name`] without the memo: local bindings, then Ruby globals, then the name.
    fn resolve_unmemoized(
        &self,
        file: usize,
        scope: ScopeId,
        name: &str,
        hops: usize,
        skip_local: bool,
        memo: &Memo,
    ) -> Resolution {
        let f = &self.files[file];
        let mut known = None;
        if !skip_local {
            let visible = self.visible_bindings(file, scope, name);
            known = Self::combine(visible.into_iter().filter_map(|b| {
                let b = &f.facts.bindings[b];
                let at = b.scope.unwrap_or(0);
                Some(match &b.source {
                    // A type we cannot see into leaves the name to its other bindings, or to
                    // what it says by itself. A class of the project's own is not a client
                    // (`constructor(private analytics: AnalyticsService)`, `State(analytics):
                    // State<Analytics>`: `analytics` is not Segment's, whatever its name).
                    BindingSource::Typed(ty) => {
                        match self.resolve_source(
                            file,
                            at,
                            &BindingSource::Constructor(ty.clone()),
                            hops - 1,
                            memo,
                        ) {
                            Resolution::Client(p) => Resolution::Client(p),
                            _ if (f.language.is_js_family() || f.language == Language::Rust)
                                && self.is_project_class(f.language, ty) =>
                            {
                                Resolution::NotClient
                            }
                            _ => return None,
                        }
                    }
                    // `const mixpanel = window.mixpanel`: the same name from an outer scope.
                    BindingSource::Alias(other) if base_name(other) == name => {
                        self.resolve_name(file, at, name, hops - 1, true, memo)
                    }
                    source => self.resolve_source(file, at, source, hops - 1, memo),
                })
            }));
        }
        // Go: the package's other files' top-level names.
        if known.is_none() && f.language == Language::Go {
            let others = self.go_package_of(file).iter().copied().filter(|&g| g != file);
            known = Self::combine(others.flat_map(|g| {
                let bindings = self.names[g].top_level(self.files[g].facts, name);
                bindings
                    .into_iter()
                    .map(|b| {
                        self.resolve_source(g, 0, &self.files[g].facts.bindings[b].source, hops - 1, memo)
                    })
                    .collect::<Vec<_>>()
            }));
        }
        // Ruby's constants, globals and methods, and Swift's globals: visible from every file (a
        // Ruby file's own are seen again only when its locals are skipped).
        let globals = match f.language {
            Language::Ruby => self.ruby_globals.get(name),
            Language::Swift => self.swift_globals.get(name),
            _ => None,
        };
        if known.is_none()
            && let Some(globals) = globals
        {
            let own_again = skip_local && f.language == Language::Ruby;
            known = Self::combine(
                globals
                    .iter()
                    .filter(|(g, _)| *g != file || own_again)
                    .map(|(g, source)| self.resolve_source(*g, 0, source, hops - 1, memo)),
            );
        }
        match known {
            // A name bound to something else is not a client, whatever its name says.
            Some(r @ (Resolution::Client(_) | Resolution::NotClient)) => r,
            // Bound to something we cannot see into (`const mixpanel = useMixpanel()`): only a
            // name that says Mixpanel by itself is trusted.
            Some(Resolution::Unknown) => self.by_name(file, name, false),
            None if f.language == Language::Ruby && self.ruby_classes.contains(name) => Resolution::NotClient,
            None => self.by_name(file, name, true),
        }
    }

    fn by_name(&self, file: usize, name: &str, conventional: bool) -> Resolution {
        // Profiles the file's manifest lists come first: `tracker` in an app on the old
        // `mixpanel` gem.
        let (listed, rest): (Vec<_>, Vec<_>) =
            self.profiles_for(self.files[file].language).partition(|(p, _)| self.listed_for(file, *p));
        for (p, profile) in listed.into_iter().chain(rest) {
            if profile.clients.names.iter().any(|n| n == name) {
                return Resolution::Client(p);
            }
            if conventional
                && self.evidence.contains(&p)
                && profile.clients.conventional_names.iter().any(|n| n == name)
            {
                return Resolution::Client(p);
            }
        }
        Resolution::NotClient
    }

    fn resolve_source(
        &self,
        file: usize,
        scope: ScopeId,
        source: &BindingSource,
        hops: usize,
        memo: &Memo,
    ) -> Resolution {
        if hops == 0 {
            return Resolution::Unknown;
        }
        let f = &self.files[file];
        match source {
            BindingSource::Typed(ty) => {
                match self.resolve_source(file, scope, &BindingSource::Constructor(ty.clone()), hops, memo) {
                    Resolution::Client(p) => Resolution::Client(p),
                    _ => Resolution::Unknown,
                }
            }
            BindingSource::Constructor(text) => {
                let text = text.strip_prefix("::").unwrap_or(text);
                let qualified = self.qualify(file, scope, text);
                let dotted = text.strip_prefix("new ").unwrap_or(text).replace("::", ".");
                // `Heap.shared`, `SegmentAnalytics()` where the project's `Heap` stands in for the SDK.
                if f.language == Language::Swift
                    && let Some(&p) = self.stand_ins.get(dotted.split('.').next().unwrap_or_default())
                {
                    return Resolution::Client(p);
                }
                // Swift imports whole modules: `Analytics(..)` in a file that imports `Segment`
                // may be `Segment.Analytics`.
                let imported: Vec<String> = match f.language {
                    Language::Swift => self.swift_imports(file).map(|m| format!("{m}.{dotted}")).collect(),
                    _ => Vec::new(),
                };
                let builds =
                    |profile: &LoadedProfile| {
                        profile.clients.constructors.iter().any(|c| c == text)
                            || profile.clients.classes.iter().any(|c| {
                                Some(c) == qualified.as_ref() || *c == dotted || imported.contains(c)
                            })
                    };
                // Two SDKs with one constructor (the `mixpanel` and `mixpanel-ruby` gems both
                // define `Mixpanel::Tracker`): the one the manifests list wins.
                let mut candidates = self.profiles_for(f.language).filter(|(_, p)| builds(p));
                if let Some((first, _)) = candidates.next() {
                    let listed = std::iter::once(first)
                        .chain(candidates.map(|(p, _)| p))
                        .find(|&p| self.listed_for(file, p));
                    return Resolution::Client(listed.unwrap_or(first));
                }
                // `Mixpanel.init(...)` on a factory module.
                if let Some((object, method)) = text.rsplit_once('.') {
                    for (p, profile) in self.profiles_for(f.language) {
                        if !profile.clients.factory_methods.iter().any(|m| m == method) {
                            continue;
                        }
                        let module = object
                            .strip_prefix("require('")
                            .and_then(|m| m.strip_suffix("')"))
                            .map(str::to_string)
                            .or_else(|| self.module_of(file, object));
                        // `amplitude.getInstance()` on the global a vendor's page snippet
                        // defines, once the project shows it loads the snippet.
                        let snippet_global = module.is_none()
                            && profile.clients.conventional_names.iter().any(|n| n == object)
                            && self.evidence.contains(&p)
                            && self.visible_bindings(file, scope, object).is_empty();
                        if snippet_global
                            || module.is_some_and(|m| profile.clients.factory_modules.contains(&m))
                        {
                            return Resolution::Client(p);
                        }
                    }
                }
                // `import { init } from '@amplitude/node'; const client = init(KEY)`: the
                // factory imported by name (under any local name) and called bare.
                if !text.contains(['.', ':', '(']) {
                    let factory = self.visible_bindings(file, scope, text).into_iter().find_map(|b| {
                        let BindingSource::Module { module, member: ModuleMember::Named(n) } =
                            &f.facts.bindings[b].source
                        else {
                            return None;
                        };
                        let module = self.sdk_module(f.language, module);
                        self.profiles_for(f.language).find_map(|(p, profile)| {
                            (profile.clients.factory_modules.iter().any(|m| m == module)
                                && profile.clients.factory_methods.contains(n))
                            .then_some(p)
                        })
                    });
                    if let Some(p) = factory {
                        return Resolution::Client(p);
                    }
                }
                // `this.client = posthog.init(key)`: an SDK's `init` returns the client.
                if let Some(receiver) = text.strip_suffix(".init")
                    && !receiver.contains(['.', ':', '('])
                    && let Resolution::Client(p) =
                        self.resolve_name(file, scope, receiver, hops - 1, false, memo)
                {
                    return Resolution::Client(p);
                }
                // `Rails.configuration.mixpanel.new(..)`: a class kept in the app's settings
                // under the SDK's own name, in a project that uses that SDK.
                if let Some(receiver) = text.strip_suffix(".new")
                    && let Some((_, setting)) = receiver.rsplit_once('.')
                    && setting.starts_with(|c: char| c.is_ascii_lowercase())
                {
                    let named = self.profiles_for(f.language).find(|(p, profile)| {
                        profile.clients.names.iter().any(|n| n == setting) && self.evidence.contains(p)
                    });
                    if let Some((p, _)) = named {
                        return Resolution::Client(p);
                    }
                }
                // `X.new` / `new X()` builds some other class.
                if text.ends_with(".new") || text.starts_with("new ") {
                    return Resolution::NotClient;
                }
                // `get_client()`: a project function whose return value is bound to its name.
                if (matches!(f.language, Language::Python | Language::Go) || f.language.is_js_family())
                    && !text.contains(['.', ':', '('])
                {
                    return match self.resolve_name(file, scope, text, hops - 1, false, memo) {
                        Resolution::Client(p) => Resolution::Client(p),
                        _ => Resolution::Unknown,
                    };
                }
                // Any other call may return anything.
                Resolution::Unknown
            }
            BindingSource::Module { module, member } => {
                let module = &self.sdk_module(f.language, module).to_string();
                for (p, profile) in self.profiles_for(f.language) {
                    let whole_module = matches!(member, ModuleMember::Default | ModuleMember::Namespace);
                    // `import { analytics } from 'meteor/okgrow:analytics'`: the module's
                    // client under the SDK's own name.
                    let named_client = matches!(member, ModuleMember::Named(n)
                        if profile.clients.conventional_names.contains(n) || profile.clients.names.contains(n));
                    if (whole_module || named_client)
                        && (profile.clients.modules.contains(module)
                            || (profile.clients.conventional_modules.contains(module)
                                && self.listed_for(file, p)))
                    {
                        return Resolution::Client(p);
                    }
                    if profile.clients.factory_modules.contains(module) {
                        return Resolution::NotClient;
                    }
                }
                let export_name = match member {
                    ModuleMember::Default => "default",
                    ModuleMember::Named(n) => n.as_str(),
                    ModuleMember::Namespace => return Resolution::Unknown,
                };
                // A project file: relative, a Python module, or behind a path alias
                // (`@/lib/segment`, `~/plugins/analytics`).
                let Some(target) = self.project_module(file, module) else {
                    return Resolution::Unknown;
                };
                let exports = self.files[target].facts.exports.iter().filter(|e| e.name == export_name);
                Self::combine(exports.map(|e| self.resolve_source(target, 0, &e.source, hops - 1, memo)))
                    .unwrap_or(Resolution::Unknown)
            }
            BindingSource::Alias(name) => {
                self.resolve_name(file, scope, base_name(name), hops - 1, false, memo)
            }
            BindingSource::AnyOf(options) => {
                Self::combine(options.iter().map(|o| self.resolve_source(file, scope, o, hops - 1, memo)))
                    .unwrap_or(Resolution::NotClient)
            }
            BindingSource::Other => Resolution::NotClient,
            // What a project function returns is not seen into.
            BindingSource::CallMember { .. } => Resolution::Unknown,
        }
    }

    /// The module a name in this file was imported or required from.
    /// `posthog-js/dist/module.slim.js` is `posthog-js`: a file inside an SDK's package is the
    /// package, when a profile knows the package.
    fn sdk_module<'m>(&self, language: Language, module: &'m str) -> &'m str {
        if !language.is_js_family() || module.starts_with('.') {
            return module;
        }
        let segments = if module.starts_with('@') { 2 } else { 1 };
        let end = module.match_indices('/').nth(segments - 1).map_or(module.len(), |(i, _)| i);
        let package = &module[..end];
        let known = package.len() < module.len()
            && self.profiles_for(language).any(|(_, p)| {
                p.clients.modules.iter().chain(&p.clients.factory_modules).any(|m| m == package)
                    || p.clients
                        .classes
                        .iter()
                        .any(|c| c.strip_prefix(package).is_some_and(|r| r.starts_with('.')))
            });
        if known { package } else { module }
    }

    fn module_of(&self, file: usize, name: &str) -> Option<String> {
        self.files[file].facts.bindings.iter().find_map(|b| match &b.source {
            BindingSource::Module { module, member: ModuleMember::Default | ModuleMember::Namespace }
                if b.name == name =>
            {
                Some(module.clone())
            }
            _ => None,
        })
    }

    /// `from .analytics import mp` (relative to the file) or `from app.analytics import mp`
    /// (any project file importable under that name).
    pub(crate) fn resolve_python_module(&self, file: usize, module: &str) -> Option<usize> {
        let dots = module.chars().take_while(|&c| c == '.').count();
        if dots == 0 {
            return self.modules.python_modules.get(module).copied();
        }
        let mut dir = self.files[file].path.parent()?.to_path_buf();
        for _ in 1..dots {
            dir = dir.parent()?.to_path_buf();
        }
        let rest = &module[dots..];
        let base = if rest.is_empty() { dir } else { dir.join(rest.replace('.', "/")) };
        let mut file_py = base.clone().into_os_string();
        file_py.push(".py");
        [PathBuf::from(file_py), base.join("__init__.py")]
            .iter()
            .find_map(|c| self.modules.by_path.get(crate::fsutil::clean(c).as_path()).copied())
    }

    /// The project file a module specifier names: relative paths, Python modules, and path-like
    /// specifiers (`@/lib/analytics`, `utils/Mixpanel`) that end in a project file.
    pub(crate) fn project_module(&self, file: usize, module: &str) -> Option<usize> {
        let f = &self.files[file];
        if f.language == Language::Python {
            return self.resolve_python_module(file, module);
        }
        if is_relative(module) {
            return self.resolve_module_path(file, module);
        }
        if let Some(found) = self.workspace_module(module) {
            return Some(found);
        }
        let tail = module.trim_start_matches("@/").trim_start_matches("~/").trim_start_matches('/');
        if tail.is_empty() || !tail.contains('/') && !module.starts_with("@/") && !module.starts_with("~/") {
            return None;
        }
        // Path aliases (`@/frontend/..` for `frontend/src/..`) are the project's own: the longest
        // suffix of the specifier that names exactly one project file decides.
        let segments: Vec<&str> = tail.split('/').collect();
        let candidates = self.js_files_named(segments.last().copied().unwrap_or_default());
        // `~lib/analytics`, `#lib/analytics`, `$lib/analytics`: the first segment is an alias
        // (tsconfig `paths`, Node subpath imports, SvelteKit), not a directory; what follows it
        // alone may decide. A scoped package (`@scope/name`) is not one.
        let aliased = segments.first().is_some_and(|s| s.starts_with(['~', '#', '$']));
        let tries = if aliased { segments.len() } else { segments.len().saturating_sub(1).max(1) };
        for k in 0..tries {
            let suffix = segments[k..].join("/");
            let (ending, index_ending) = (format!("/{suffix}"), format!("/{suffix}/index"));
            let mut matches: Vec<usize> = candidates
                .iter()
                .filter(|(_, text)| {
                    text.ends_with(&ending) || *text == suffix || text.ends_with(&index_ending)
                })
                .map(|(i, _)| *i)
                .collect();
            matches.dedup();
            match matches.as_slice() {
                [only] => return Some(*only),
                [] => continue,
                _ => return self.in_own_package(file, &matches),
            }
        }
        None
    }

    /// Of several files a path-like specifier could name, the one in the importing file's own
    /// npm package: a monorepo's apps (`ui/`, `ui-next/`) each resolve `src/utils/track`
    /// against their own `baseUrl`.
    fn in_own_package(&self, file: usize, matches: &[usize]) -> Option<usize> {
        let path = self.files[file].path;
        let package = self
            .manifests
            .iter()
            .filter(|m| m.ecosystem == "npm" && path.starts_with(&m.dir))
            .max_by_key(|m| m.dir.components().count())?;
        let deeper =
            |m: &&Manifest| m.ecosystem == "npm" && m.dir != package.dir && m.dir.starts_with(&package.dir);
        let mut own = matches.iter().copied().filter(|&i| {
            let other = self.files[i].path;
            other.starts_with(&package.dir)
                && !self.manifests.iter().filter(deeper).any(|m| other.starts_with(&m.dir))
        });
        match (own.next(), own.next()) {
            (Some(only), None) => Some(only),
            _ => None,
        }
    }

    pub(crate) fn resolve_module_path(&self, file: usize, module: &str) -> Option<usize> {
        let dir = self.files[file].path.parent()?;
        self.module_at(crate::fsutil::clean(&dir.join(module)))
    }

    /// `@acme/analytics` or `@acme/analytics/events`: a workspace package of the project (a
    /// `package.json` of the tree with that `name`), its entry (`src/index`, `index`) or the
    /// module under it.
    fn workspace_module(&self, module: &str) -> Option<usize> {
        self.manifests.iter().filter(|m| m.ecosystem == "npm").find_map(|m| {
            let name = m.name.as_deref()?;
            let rest = module.strip_prefix(name)?;
            let rest = match rest.strip_prefix('/') {
                Some(rest) => rest,
                None if rest.is_empty() => "",
                None => return None,
            };
            let bases: Vec<PathBuf> = if rest.is_empty() {
                ["src/index", "index", "lib/index"].iter().map(|b| m.dir.join(b)).collect()
            } else {
                vec![m.dir.join(rest), m.dir.join("src").join(rest)]
            };
            bases.iter().find_map(|b| self.module_at(crate::fsutil::clean(b)))
        })
    }

    /// The project file at `base`, with or without a JavaScript-family extension, or its index.
    fn module_at(&self, base: PathBuf) -> Option<usize> {
        let mut candidates = vec![base.clone()];
        for ext in ["js", "ts", "mjs", "cjs", "jsx", "tsx"] {
            let mut with_ext = base.clone().into_os_string();
            with_ext.push(format!(".{ext}"));
            candidates.push(PathBuf::from(with_ext));
            candidates.push(base.join(format!("index.{ext}")));
        }
        candidates.iter().find_map(|c| self.modules.by_path.get(c.as_path()).copied())
    }
}

/// One of the vendor's own methods called on its snippet's global through `window`
/// (`window.analytics?.track(name, props)` in a wrapper): the page loads the snippet (when no
/// file of the project defines that name; the caller checks), whatever the arguments.
fn window_global_call(profile: &LoadedProfile, receiver: &str, method: &str) -> bool {
    !profile.clients.evidence_calls.is_empty()
        && profile.clients.conventional_names.iter().any(|n| n == receiver)
        && profile.methods.iter().any(|m| m.path.len() == 1 && m.path[0] == method)
}

/// The vendor's own track call with a literal event on its snippet's global (`heap.track('Login',
/// ..)`): evidence the page loads the snippet when no file of the project defines that name
/// (the caller checks). A variable event name or another method is no evidence; only a vendor
/// that ships a page snippet (it names the snippet's calls) has such a global.
fn vendor_global_call(profile: &LoadedProfile, site: &CallSite, receiver: &str, method: &str) -> bool {
    let literal_event = site
        .args
        .first()
        .is_some_and(|a| a.keyword.is_none() && matches!(a.value.kind, crate::model::ValueKind::Str(_)));
    literal_event
        && !profile.clients.evidence_calls.is_empty()
        && profile.clients.conventional_names.iter().any(|n| n == receiver)
        && profile
            .methods
            .iter()
            .any(|m| m.kind == crate::model::CallKind::Track && m.path.len() == 1 && m.path[0] == method)
}
