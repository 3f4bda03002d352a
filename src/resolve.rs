//! Project-wide receiver resolution: decides which call sites are SDK calls. A receiver is a
//! client when it is bound to an SDK constructor or module (in this file, or exported/global from
//! another), or carries a conventional name while the project shows it uses that SDK.

use crate::frontend::FileFacts;
use crate::model::{BindingSource, Call, Language, ModuleMember, Receiver};
use crate::profile::{LoadedProfile, Profiles, build_call};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// One parsed file as resolution sees it.
pub struct FileInput<'a> {
    pub path: &'a Path,
    pub language: Language,
    pub facts: &'a FileFacts,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Resolution {
    Client(usize),
    NotClient,
}

/// How deep alias and import chains are followed.
const MAX_HOPS: usize = 8;

pub struct Resolver<'a> {
    files: &'a [FileInput<'a>],
    profiles: &'a Profiles,
    by_path: HashMap<&'a Path, usize>,
    /// Ruby constants, globals and methods, visible from every Ruby file.
    ruby_globals: HashMap<&'a str, Vec<(usize, &'a BindingSource)>>,
    evidence: HashSet<usize>,
}

fn base_name(name: &str) -> &str {
    name.rsplit("::").next().unwrap_or(name)
}

fn is_relative(module: &str) -> bool {
    module.starts_with("./") || module.starts_with("../")
}

impl<'a> Resolver<'a> {
    /// `manifest_packages` are dependency names found in Gemfile/package.json files.
    pub fn new(
        files: &'a [FileInput<'a>],
        profiles: &'a Profiles,
        manifest_packages: &HashSet<String>,
    ) -> Self {
        let by_path = files.iter().enumerate().map(|(i, f)| (f.path, i)).collect();
        let mut ruby_globals: HashMap<&str, Vec<(usize, &BindingSource)>> = HashMap::new();
        for (i, f) in files.iter().enumerate() {
            if f.language == Language::Ruby {
                for b in f.facts.bindings.iter().filter(|b| b.global) {
                    ruby_globals.entry(base_name(&b.name)).or_default().push((i, &b.source));
                }
            }
        }
        let mut resolver = Resolver { files, profiles, by_path, ruby_globals, evidence: HashSet::new() };
        resolver.evidence = resolver.collect_evidence(manifest_packages);
        resolver
    }

    /// Profiles the project visibly uses: a constructor or import anywhere, or a manifest entry.
    fn collect_evidence(&self, manifest_packages: &HashSet<String>) -> HashSet<usize> {
        let mut evidence = HashSet::new();
        for (p, profile) in self.profiles.list.iter().enumerate() {
            if profile.packages.iter().any(|pkg| manifest_packages.contains(pkg)) {
                evidence.insert(p);
            }
        }
        for (i, f) in self.files.iter().enumerate() {
            let direct =
                f.facts.bindings.iter().map(|b| &b.source).filter(|s| !matches!(s, BindingSource::Alias(_)));
            for source in direct {
                if let Resolution::Client(p) = self.resolve_source(i, source, MAX_HOPS) {
                    evidence.insert(p);
                }
            }
        }
        evidence
    }

    /// The tracking calls of one file.
    pub fn calls(&self, file: usize) -> Vec<Call> {
        let f = &self.files[file];
        let mut cache: HashMap<&str, Resolution> = HashMap::new();
        let mut calls = Vec::new();
        for site in &f.facts.sites {
            for split in [2usize, 1] {
                if site.callee.len() < split {
                    continue;
                }
                let (receiver, method) = site.callee.split_at(site.callee.len() - split);
                let resolution = match (receiver.last(), &site.root) {
                    (Some(name), _) => *cache
                        .entry(name.as_str())
                        .or_insert_with(|| self.resolve_name(file, base_name(name), MAX_HOPS, false)),
                    (None, Some(Receiver::Constructor(text))) => {
                        self.resolve_source(file, &BindingSource::Constructor(text.clone()), MAX_HOPS)
                    }
                    (None, Some(Receiver::Require(module))) => self.resolve_source(
                        file,
                        &BindingSource::Module { module: module.clone(), member: ModuleMember::Default },
                        MAX_HOPS,
                    ),
                    (None, None) => Resolution::NotClient,
                };
                let Resolution::Client(p) = resolution else { continue };
                let profile = &self.profiles.list[p];
                let path: Vec<&str> = method.iter().map(String::as_str).collect();
                if let Some(m) = profile.method(&path) {
                    calls.push(build_call(profile, m, site));
                    break;
                }
            }
        }
        calls
    }

    fn profiles_for(&self, language: Language) -> impl Iterator<Item = (usize, &LoadedProfile)> {
        self.profiles.list.iter().enumerate().filter(move |(_, p)| p.supports(language))
    }

    fn resolve_name(&self, file: usize, name: &str, hops: usize, skip_local: bool) -> Resolution {
        if hops == 0 {
            return Resolution::NotClient;
        }
        let f = &self.files[file];
        let mut shadowed = false;
        if !skip_local {
            let mut local = f.facts.bindings.iter().filter(|b| base_name(&b.name) == name).peekable();
            shadowed = local.peek().is_some();
            for b in local {
                let r = match &b.source {
                    // `const mixpanel = window.mixpanel`: the same name from an outer scope.
                    BindingSource::Alias(other) if base_name(other) == name => {
                        self.resolve_name(file, name, hops - 1, true)
                    }
                    source => self.resolve_source(file, source, hops - 1),
                };
                if let Resolution::Client(_) = r {
                    return r;
                }
            }
            // A name this file binds to something else is not a client, whatever other files say.
            if shadowed {
                return Resolution::NotClient;
            }
        }
        if f.language == Language::Ruby
            && let Some(globals) = self.ruby_globals.get(name)
        {
            for (g, source) in globals.iter().filter(|(g, _)| *g != file || skip_local) {
                if let Resolution::Client(p) = self.resolve_source(*g, source, hops - 1) {
                    return Resolution::Client(p);
                }
            }
            if !globals.is_empty() && !skip_local {
                shadowed = true;
            }
        }
        if shadowed {
            return Resolution::NotClient;
        }
        for (p, profile) in self.profiles_for(f.language) {
            if profile.clients.names.iter().any(|n| n == name) {
                return Resolution::Client(p);
            }
            if self.evidence.contains(&p) && profile.clients.conventional_names.iter().any(|n| n == name) {
                return Resolution::Client(p);
            }
        }
        Resolution::NotClient
    }

    fn resolve_source(&self, file: usize, source: &BindingSource, hops: usize) -> Resolution {
        if hops == 0 {
            return Resolution::NotClient;
        }
        let f = &self.files[file];
        match source {
            BindingSource::Constructor(text) => {
                let text = text.strip_prefix("::").unwrap_or(text);
                for (p, profile) in self.profiles_for(f.language) {
                    if profile.clients.constructors.iter().any(|c| c == text) {
                        return Resolution::Client(p);
                    }
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
                        if module.is_some_and(|m| profile.clients.factory_modules.contains(&m)) {
                            return Resolution::Client(p);
                        }
                    }
                }
                Resolution::NotClient
            }
            BindingSource::Module { module, member } => {
                for (p, profile) in self.profiles_for(f.language) {
                    if profile.clients.modules.contains(module)
                        && matches!(member, ModuleMember::Default | ModuleMember::Namespace)
                    {
                        return Resolution::Client(p);
                    }
                }
                if is_relative(module) {
                    let export_name = match member {
                        ModuleMember::Default => "default",
                        ModuleMember::Named(n) => n.as_str(),
                        ModuleMember::Namespace => return Resolution::NotClient,
                    };
                    if let Some(target) = self.resolve_module_path(file, module) {
                        for export in
                            self.files[target].facts.exports.iter().filter(|e| e.name == export_name)
                        {
                            if let r @ Resolution::Client(_) =
                                self.resolve_source(target, &export.source, hops - 1)
                            {
                                return r;
                            }
                        }
                    }
                }
                Resolution::NotClient
            }
            BindingSource::Alias(name) => self.resolve_name(file, base_name(name), hops - 1, false),
            BindingSource::Other => Resolution::NotClient,
        }
    }

    /// The module a name in this file was imported or required from.
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

    fn resolve_module_path(&self, file: usize, module: &str) -> Option<usize> {
        let dir = self.files[file].path.parent()?;
        let base = crate::walk::clean(&dir.join(module));
        let mut candidates = vec![base.clone()];
        for ext in ["js", "ts", "mjs", "cjs", "jsx", "tsx"] {
            let mut with_ext = base.clone().into_os_string();
            with_ext.push(format!(".{ext}"));
            candidates.push(PathBuf::from(with_ext));
            candidates.push(base.join(format!("index.{ext}")));
        }
        candidates.iter().find_map(|c| self.by_path.get(c.as_path()).copied())
    }
}
