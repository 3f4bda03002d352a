//! Applying wrapper summaries at call sites: which summarised functions a call site reaches
//! (receivers, imports, Ruby ancestors, factories), and the tracking calls it then makes, with the
//! call site's arguments bound to the roles the summary found.

use super::Resolver;
use crate::infer::{CallTemplate, DEFERRED_METHODS, Flow, ObjectFlow, Summaries, Summary, constructed_class};
use crate::model::*;
use crate::text::base_name;
use std::collections::HashSet;

/// The tracking calls a call site of summarised functions makes, one per tracking call in the
/// function's body.
pub fn wrapper_calls(resolver: &Resolver, summaries: &Summaries, file: usize, site: &CallSite) -> Vec<Call> {
    let mut out = Vec::new();
    let site = &*resolver.keyword_dict_spread(file, site, true);
    for (summary, args, deferred) in targets(resolver, summaries, file, site) {
        let function = &resolver.files[summary.file].facts.functions[summary.function];
        let params = &function.params;
        let deferred = deferred || function.runs_later;
        for template in &summary.templates {
            // A branch taken for some values of a parameter: not reached from a site that
            // writes out another value. A dispatcher's branch (it passes the site's arguments
            // on) is reached only from a site that writes out one of its values: which SDK call
            // a value not written out selects is unknown.
            if let Some((param, values)) = &template.guard {
                let passed = argument(param, &args, params);
                let selected = match passed.as_ref().map(|v| &v.kind) {
                    Some(ValueKind::Str(s)) => Some(values.contains(s)),
                    _ => None,
                };
                if selected == Some(false) || (selected.is_none() && template.forwards.any()) {
                    continue;
                }
            }
            let mut call = instantiate(summary, template, site, &args, params);
            if template.forwards.any() {
                forward(resolver, template, site, (&args, params), &mut call);
            }
            if let Some((param, own)) = &template.options
                && !pass_options(resolver, template, (file, site), (param, own), (&args, params), &mut call)
                && template.only_options()
            {
                continue;
            }
            // An enqueued job tracks later, in a worker: not in this request.
            if deferred {
                call.context.deferred = true;
                call.context.request_handler = false;
            }
            out.push(call);
        }
    }
    out
}

/// Which summarised functions a call site calls, with the arguments they receive (an enqueue
/// passes all but its scheduling arguments on) and whether the call runs later.
fn targets<'s>(
    resolver: &Resolver,
    summaries: &'s Summaries,
    file: usize,
    site: &CallSite,
) -> Vec<(&'s Summary, Vec<Arg>, bool)> {
    let (found, deferred) = targets_now_or_later(resolver, summaries, file, site);
    found.into_iter().map(|(s, a)| (s, a, deferred)).collect()
}

fn targets_now_or_later<'s>(
    resolver: &Resolver,
    summaries: &'s Summaries,
    file: usize,
    site: &CallSite,
) -> (Vec<(&'s Summary, Vec<Arg>)>, bool) {
    let f = &resolver.files[file];
    let eco = f.language.ecosystem();
    let Some((method, receiver)) = site.callee.split_last() else { return (Vec::new(), false) };
    let same_family = |s: &&Summary| s.ecosystem == eco;
    let mut found: Vec<(&Summary, Vec<Arg>)> = Vec::new();

    // Deferred calls: `TrackJob.perform_later(..)`, `task.delay(..)`, `queue.enqueue(fn, ..)`.
    if DEFERRED_METHODS.contains(&method.as_str()) {
        let class = receiver.last().map(|r| base_name(r).to_string()).or_else(|| match &site.root {
            // `TrackJob.set(wait: 5.minutes).perform_later(..)`
            Some(Receiver::Constructor(text)) => {
                text.strip_suffix(".set").map(|c| base_name(c.rsplit('.').next().unwrap_or(c)).to_string())
            }
            _ => None,
        });
        let skip =
            |n: usize| site.args.iter().filter(|a| a.keyword.is_none()).skip(n).cloned().collect::<Vec<_>>();
        match method.as_str() {
            "perform_later" | "perform_now" | "perform_async" | "perform_inline" | "perform_in"
            | "perform_at" => {
                let dropped = usize::from(matches!(method.as_str(), "perform_in" | "perform_at"));
                if let Some(class) = &class {
                    for (_, s) in summaries.named("perform").filter(|(_, s)| s.owner.as_ref() == Some(class))
                    {
                        found.push((s, skip(dropped)));
                    }
                }
            }
            // Celery: `track_event.delay(..)`, `.apply_async(args=[..], kwargs={..})`.
            "delay" | "apply_async" if eco == "pypi" => {
                if let Some(task) = &class {
                    let args = if method == "apply_async" {
                        apply_async_args(&site.args)
                    } else {
                        site.args.clone()
                    };
                    for (_, s) in summaries.named(task).filter(|(_, s)| s.ecosystem == eco) {
                        found.push((s, args.clone()));
                    }
                }
            }
            // Resque.enqueue(Klass, ..), RQ `queue.enqueue(fn, ..)`.
            "enqueue" | "enqueue_in" | "enqueue_at" => {
                let dropped = usize::from(method != "enqueue");
                let target = site.args.iter().filter(|a| a.keyword.is_none()).nth(dropped);
                // `Resque.enqueue(Jobs::SendEvent, ..)`: the job's own name.
                if let Some(ValueKind::Path(p)) = target.map(|a| &a.value.kind)
                    && let Some(last) = p.segments.last().map(|s| base_name(s))
                {
                    let rest = skip(dropped + 1);
                    for (_, s) in summaries.named("perform").filter(|(_, s)| s.owner.as_deref() == Some(last))
                    {
                        found.push((s, rest.clone()));
                    }
                    for (_, s) in summaries.named(last).filter(|(_, s)| s.ecosystem == eco) {
                        found.push((s, rest.clone()));
                    }
                }
            }
            _ => {}
        }
        if !found.is_empty() {
            return (found, method != "perform_now" && method != "perform_inline");
        }
    }
    // delayed_job: `user.delay.track_signup(..)` calls `track_signup` later.
    let (receiver, later): (&[String], bool) = match receiver.split_last() {
        Some((last, rest)) if last == "delay" && eco == "gem" => (rest, true),
        _ => (receiver, false),
    };
    // `const track = useAnalyticsTrack(); track(..)`: the function a hook returns.
    if receiver.is_empty() && site.root.is_none() {
        let f = &resolver.files[file];
        for b in resolver.visible_bindings(file, site.scope, method) {
            if let crate::model::BindingSource::Constructor(callee) = &f.facts.bindings[b].source {
                let returned = format!("{}()", base_name(callee.rsplit('.').next().unwrap_or(callee)));
                let hits: Vec<&Summary> =
                    summaries.named(&returned).map(|(_, s)| s).filter(same_family).collect();
                if !hits.is_empty() {
                    return (hits.into_iter().map(|s| (s, site.args.clone())).collect(), false);
                }
            }
        }
    }
    // `import { trackEvent as te } from './analytics'`, `import te from './analytics'`,
    // `from analytics import track as t`: the function is called by another name than its own.
    let imported =
        (receiver.is_empty() && site.root.is_none()).then(|| imported_name(resolver, file, site, method));
    let name = imported.flatten();
    let candidates: Vec<&Summary> =
        summaries.named(name.as_deref().unwrap_or(method)).map(|(_, s)| s).filter(same_family).collect();
    if candidates.is_empty() {
        return (found, false);
    }
    let args = site.args.clone();
    let matched = match (receiver.last(), &site.root) {
        // A bare call, or through `self` / `this`.
        (None, None) => bare_targets(resolver, file, site, method, &candidates),
        (Some(r), _) if r == "self" || r == "cls" => {
            candidates.iter().copied().filter(|s| s.file == file).collect()
        }
        // Swift `AnalyticsManager.shared.track(..)`, `Tracker.log(..)`, Kotlin
        // `AnalyticsManager.track(..)` of an `object`: a method of the project's type, through its
        // singleton or statically (a type is visible module-wide, or imported).
        (Some(_), _) if is_type_receiver(resolver, file, site.scope, &receiver[0]) => candidates
            .iter()
            .copied()
            .filter(|s| s.owner.as_deref() == Some(receiver[0].as_str()))
            .filter(|s| fits(&resolver.files[s.file].facts.functions[s.function].params, &site.args))
            .collect(),
        (Some(r), _) => receiver_targets(resolver, file, site.scope, base_name(r), &candidates, 3),
        (None, Some(Receiver::Type(path))) => {
            let last = path.rsplit("::").next().unwrap_or(path);
            // `analytics::capture(..)`: a free function of the Rust module `analytics`
            // (`analytics.rs`, `analytics/mod.rs`). `Analytics::track_signup(..)`: an associated
            // function of the project's type (`Analytics::track(&a, ..)` passes the receiver
            // first: not the same positions).
            let module = f.language == Language::Rust && last.starts_with(|c: char| c.is_ascii_lowercase());
            candidates
                .iter()
                .copied()
                .filter(|s| {
                    if module {
                        s.owner.is_none() && rust_module_name(resolver.files[s.file].path) == Some(last)
                    } else {
                        s.owner.as_deref() == Some(last)
                    }
                })
                .filter(|s| fits(&resolver.files[s.file].facts.functions[s.function].params, &site.args))
                .collect()
        }
        (None, Some(Receiver::Constructor(text))) => {
            // `Analytics.new.track(..)`, `new Analytics().track(..)`, `useAnalytics().track(..)`.
            let mut class = constructed_class(text);
            // Ruby `new(user).call(..)`, `self.new(..)` in a class method: the class's own.
            if f.language == Language::Ruby
                && matches!(class.as_str(), "new" | "self")
                && let Some(owner) = f.facts.owner_at(site.scope)
            {
                class = owner.to_string();
            }
            let mut by_class: Vec<&Summary> =
                candidates.iter().copied().filter(|s| s.owner.as_deref() == Some(class.as_str())).collect();
            if by_class.is_empty() {
                by_class = factory_targets(resolver, file, site.scope, &class, &candidates);
            }
            if by_class.is_empty() {
                by_class = singleton_targets(resolver, file, site.scope, text, &candidates);
            }
            by_class
        }
        _ => Vec::new(),
    };
    let matched =
        if f.language == Language::Ruby { ruby_method_kind(resolver, file, site, matched) } else { matched };
    found.extend(matched.into_iter().map(|s| (s, args.clone())));
    (found, later)
}

/// Ruby: a class's `self.call` and its instances' `call` share a name; which one a site calls
/// depends on its receiver: a class name calls the class method, an instance (`new(..)`, a
/// variable) the instance method, `self` or no receiver the kind of the method it is in.
/// Only a choice between the two kinds of one name is made; anything else is kept.
fn ruby_method_kind<'s>(
    resolver: &Resolver,
    file: usize,
    site: &CallSite,
    matched: Vec<&'s Summary>,
) -> Vec<&'s Summary> {
    let is_singleton =
        |s: &Summary| resolver.files[s.file].facts.functions.get(s.function).is_some_and(|d| d.singleton);
    let both = |s: &Summary| {
        matched.iter().any(|o| o.owner == s.owner && o.name == s.name && is_singleton(o) != is_singleton(s))
    };
    if !matched.iter().any(|s| both(s)) {
        return matched;
    }
    let facts = resolver.files[file].facts;
    let caller_is_singleton = || {
        facts
            .scope_chain(site.scope)
            .find_map(|scope| facts.functions.iter().find(|d| d.scope == scope))
            .is_some_and(|d| d.singleton)
    };
    let receiver = site.callee.split_last().map(|(_, r)| r).unwrap_or_default();
    let wants_singleton = match (receiver.last(), &site.root) {
        (Some(r), _) if r == "self" => caller_is_singleton(),
        (Some(r), _) => r.starts_with(|c: char| c.is_ascii_uppercase()),
        (None, Some(Receiver::Constructor(_))) => false,
        (None, None) => caller_is_singleton(),
        _ => return matched,
    };
    matched.iter().copied().filter(|s| !both(s) || is_singleton(s) == wants_singleton).collect()
}

/// The name a bare call's function has where it is defined, when the call names it otherwise
/// through an import of a project module (renamed, or its default export).
fn imported_name(resolver: &Resolver, file: usize, site: &CallSite, method: &str) -> Option<String> {
    let facts = resolver.files[file].facts;
    resolver.visible_bindings(file, site.scope, method).into_iter().find_map(|b| {
        let crate::model::BindingSource::Module { module, member } = &facts.bindings[b].source else {
            return None;
        };
        let name = defined_name(resolver, resolver.project_module(file, module)?, member)?;
        (name != method).then_some(name)
    })
}

/// The name an imported member has in the project module `target` that defines it: what its
/// export names (`export { send as track }`, the default export), or, in Python, where every
/// top-level name is exported, the name itself.
fn defined_name(resolver: &Resolver, target: usize, member: &ModuleMember) -> Option<String> {
    match member {
        ModuleMember::Named(n) => export_local_name(resolver, target, n)
            .or_else(|| (resolver.files[target].language == Language::Python).then(|| n.clone())),
        ModuleMember::Default => export_local_name(resolver, target, "default"),
        ModuleMember::Namespace => None,
    }
}

/// The name a Rust file is a module under: `analytics` for `analytics.rs` and
/// `analytics/mod.rs`.
fn rust_module_name(path: &std::path::Path) -> Option<&str> {
    match path.file_stem()?.to_str()? {
        "mod" => path.parent()?.file_name()?.to_str(),
        stem => Some(stem),
    }
}

/// `args=[a, b], kwargs={'k': v}` of Celery's `apply_async` as call arguments.
fn apply_async_args(args: &[Arg]) -> Vec<Arg> {
    let mut out = Vec::new();
    let positional = args.iter().find(|a| a.keyword.as_deref() == Some("args")).or_else(|| args.first());
    if let Some(ValueKind::Array(items)) = positional.map(|a| &a.value.kind) {
        out.extend(items.iter().map(|v| Arg { keyword: None, value: v.clone() }));
    }
    let kwargs = args.iter().find(|a| a.keyword.as_deref() == Some("kwargs")).or_else(|| args.get(1));
    if let Some(ValueKind::Object(obj)) = kwargs.map(|a| &a.value.kind) {
        out.extend(obj.entries.iter().map(|e| Arg { keyword: Some(e.key.clone()), value: e.value.clone() }));
    }
    out
}

/// Targets of a call with no receiver: a function of the same file; an imported function;
/// a member of what a hook returns (`const { track } = useAnalytics()`); in Ruby, a method of
/// the caller's class, its superclasses or their included modules (a concern's helper).
fn bare_targets<'s>(
    resolver: &Resolver,
    file: usize,
    site: &CallSite,
    method: &str,
    candidates: &[&'s Summary],
) -> Vec<&'s Summary> {
    let here: Vec<&Summary> = candidates.iter().copied().filter(|s| s.file == file).collect();
    if !here.is_empty() {
        return here;
    }
    let language = resolver.files[file].language;
    // A method of a global Vue mixin, called by a component as its own.
    if language.is_js_family() {
        let mixin: Vec<&Summary> = candidates
            .iter()
            .copied()
            .filter(|s| s.owner.as_deref() == Some(crate::frontend::javascript::GLOBAL_MIXIN))
            .collect();
        if !mixin.is_empty() {
            return mixin;
        }
    }
    // Swift: a global function of the module; Kotlin: a top-level function of the package or
    // imported (any file of the language in the project).
    if matches!(language, Language::Swift | Language::Kotlin) {
        return candidates
            .iter()
            .copied()
            .filter(|s| s.owner.is_none() && resolver.files[s.file].language == language)
            .collect();
    }
    // Go: a function of the same package (another file of the directory).
    if resolver.files[file].language == Language::Go {
        let package = resolver.go_package_of(file);
        return candidates
            .iter()
            .copied()
            .filter(|s| s.owner.is_none() && package.contains(&s.file))
            .collect();
    }
    let f = &resolver.files[file];
    let facts = f.facts;
    for b in resolver.visible_bindings(file, site.scope, method) {
        match &facts.bindings[b].source {
            crate::model::BindingSource::Module { module, member } => {
                let Some(target) = resolver.project_module(file, module) else { continue };
                if matches!(member, ModuleMember::Namespace) {
                    continue;
                }
                let wanted = defined_name(resolver, target, member);
                let hits: Vec<&Summary> = candidates
                    .iter()
                    .copied()
                    .filter(|s| {
                        s.file == target && (wanted.as_deref() == Some(s.name.as_str()) || s.name == method)
                    })
                    .collect();
                if !hits.is_empty() {
                    return hits;
                }
            }
            crate::model::BindingSource::CallMember { callee, .. } => {
                let hits = factory_targets(resolver, file, site.scope, callee, candidates);
                if !hits.is_empty() {
                    return hits;
                }
            }
            _ => {}
        }
    }
    // Rust: a function must be imported by name; one function of that name in the crate that
    // tracks is the one.
    if f.language == Language::Rust {
        let free: Vec<&Summary> = candidates.iter().copied().filter(|s| s.owner.is_none()).collect();
        if let [only] = free.as_slice()
            && !facts.functions.iter().any(|d| d.name == method)
        {
            return vec![*only];
        }
    }
    if f.language == Language::Ruby {
        let defines_own = facts.functions.iter().any(|d| d.name == method);
        // Included modules and base classes: the caller's class, its superclasses and the
        // modules any of them include (a concern's helper called bare in a controller).
        if !defines_own && let Some(class) = facts.owner_at(site.scope) {
            let reach = ruby_ancestors(resolver, class);
            for ancestor in &reach {
                let hits: Vec<&Summary> = candidates
                    .iter()
                    .copied()
                    .filter(|s| s.owner.as_deref() == Some(ancestor.as_str()))
                    .collect();
                if !hits.is_empty() {
                    return hits;
                }
            }
        }
    }
    Vec::new()
}

/// A Ruby class, then what its methods can call bare: its modules, its superclass and theirs,
/// nearest first.
fn ruby_ancestors(resolver: &Resolver, class: &str) -> Vec<String> {
    let mut out: Vec<String> = vec![class.to_string()];
    let mut i = 0;
    while i < out.len() && out.len() < 64 {
        let current = out[i].clone();
        for g in resolver.files.iter().filter(|g| g.language == Language::Ruby) {
            for c in g.facts.classes.iter().filter(|c| c.name == current) {
                for next in c.mixins.iter().chain(&c.superclass) {
                    if !out.contains(next) {
                        out.push(next.clone());
                    }
                }
            }
        }
        i += 1;
    }
    out
}

/// Whether a call's arguments can be a call of a function with these parameters: no more
/// positional arguments than it takes (a trailing hash may be Ruby keywords), and at least one
/// when it takes any, by position or by name (Swift's labels, Kotlin's and Python's named
/// arguments: `logEvent(named: "x")`).
fn fits(params: &[Param], args: &[Arg]) -> bool {
    let positional = args.iter().filter(|a| a.keyword.is_none()).count();
    let named = args
        .iter()
        .filter_map(|a| a.keyword.as_deref())
        .filter(|k| params.iter().any(|p| matches!(p.kind, ParamKind::Positional(_)) && p.name == *k))
        .count();
    let takes = params.iter().filter(|p| matches!(p.kind, ParamKind::Positional(_))).count();
    let rest = params.iter().any(|p| matches!(p.kind, ParamKind::Rest));
    let keywords = params.iter().any(|p| matches!(p.kind, ParamKind::Keyword | ParamKind::KeywordRest));
    let required = params.iter().filter(|p| matches!(p.kind, ParamKind::Positional(_))).count().min(1);
    rest || (positional + named >= required && positional <= takes + usize::from(keywords))
}

/// The local name a module exports under `name` (`export default Mixpanel` → `Mixpanel`;
/// `export let Mixpanel = actions` → `actions`), following the module's own aliases.
fn export_local_name(resolver: &Resolver, file: usize, name: &str) -> Option<String> {
    let facts = resolver.files[file].facts;
    let mut local = facts.exports.iter().find(|e| e.name == name).map(|e| match &e.source {
        crate::model::BindingSource::Alias(local) => local.clone(),
        crate::model::BindingSource::Constructor(text) => constructed_class(text),
        _ => name.to_string(),
    })?;
    for _ in 0..3 {
        let next = facts.bindings.iter().find_map(|b| match &b.source {
            crate::model::BindingSource::Alias(other) if b.name == local && *other != local => {
                Some(other.clone())
            }
            crate::model::BindingSource::Constructor(text) if b.name == local && text.starts_with("new ") => {
                Some(constructed_class(text))
            }
            _ => None,
        });
        match next {
            Some(n) => local = n,
            None => break,
        }
    }
    Some(local)
}

/// `AnalyticsService.getInstance()`: a static method of the class that gives back what the
/// class keeps on itself (`return AnalyticsService.instance`, `return this.instance`, Python
/// `return cls._instance`) is the class's singleton. For `text` (`Class.method`), the summaries
/// of that class's methods among `candidates`, in the file defining it (the call's own, or one
/// the class is imported from).
fn singleton_targets<'s>(
    resolver: &Resolver,
    file: usize,
    scope: u32,
    text: &str,
    candidates: &[&'s Summary],
) -> Vec<&'s Summary> {
    let Some((class, method)) =
        text.split_once('.').filter(|(c, m)| !c.is_empty() && !m.contains(['.', '(']))
    else {
        return Vec::new();
    };
    let kept_on_class = |v: &Value| match &v.kind {
        ValueKind::Path(p) => {
            p.segments.len() == 2
                && (p.segments[0] == class || matches!(p.segments[0].as_str(), "this" | "cls"))
        }
        _ => false,
    };
    let accessor = |home: usize| {
        resolver.files[home].facts.functions.iter().any(|d| match &d.returns {
            crate::model::Returns::Values(values) => {
                d.name == method
                    && d.owner.as_deref() == Some(class)
                    && values.iter().any(kept_on_class)
                    && values.iter().all(|v| matches!(v.kind, ValueKind::Null) || kept_on_class(v))
            }
            _ => false,
        })
    };
    let Some(home) =
        std::iter::once(file).chain(imported_files(resolver, file, scope, class)).find(|&h| accessor(h))
    else {
        return Vec::new();
    };
    candidates.iter().copied().filter(|s| s.file == home && s.owner.as_deref() == Some(class)).collect()
}

/// The project files `name` is imported from, where `scope` of `file` sees it.
fn imported_files(resolver: &Resolver, file: usize, scope: u32, name: &str) -> Vec<usize> {
    let f = &resolver.files[file];
    resolver
        .visible_bindings(file, scope, name)
        .into_iter()
        .filter_map(|b| match &f.facts.bindings[b].source {
            crate::model::BindingSource::Module { module, .. } => resolver.project_module(file, module),
            _ => None,
        })
        .collect()
}

/// A function defined in the same file as the factory a receiver came from: the members of
/// what `useAnalytics()` or `getTracker()` returns.
fn factory_targets<'s>(
    resolver: &Resolver,
    file: usize,
    scope: u32,
    factory: &str,
    candidates: &[&'s Summary],
) -> Vec<&'s Summary> {
    let factory = base_name(factory.rsplit('.').next().unwrap_or(factory));
    let mut homes: Vec<usize> = Vec::new();
    if resolver.files[file].facts.functions.iter().any(|d| d.name == factory) {
        homes.push(file);
    }
    homes.extend(imported_files(resolver, file, scope, factory));
    // A method of a class the factory's file defines is reached only when the factory returns
    // an instance of that class (`getTracker()` returning `new Tracker()`), not when it returns
    // anything else (`get_client()` returning an SDK client is no `Tracker.capture`).
    let returned: Vec<String> = homes
        .iter()
        .flat_map(|&home| {
            let facts = resolver.files[home].facts;
            facts.bindings.iter().filter(|b| b.name == factory).filter_map(|b| match &b.source {
                crate::model::BindingSource::Constructor(text) => Some(constructed_class(text)),
                _ => None,
            })
        })
        .collect();
    let reachable = |s: &Summary| match &s.owner {
        Some(owner) if resolver.files[s.file].facts.classes.iter().any(|c| c.name == *owner) => {
            returned.contains(owner)
        }
        _ => true,
    };
    let hits: Vec<&Summary> =
        candidates.iter().copied().filter(|s| homes.contains(&s.file) && reachable(s)).collect();
    // What the factory returns is defined in its body (`const track = ..; return { track }`):
    // then a same-named method of a class elsewhere in its file is not it.
    let inside: Vec<&Summary> = hits
        .iter()
        .copied()
        .filter(|s| {
            let facts = resolver.files[s.file].facts;
            let Some(member) = facts.functions.get(s.function) else { return false };
            facts
                .functions
                .iter()
                .filter(|d| d.name == factory && d.scope != member.scope)
                .any(|d| facts.scope_sees(member.scope, d.scope))
        })
        .collect();
    if !inside.is_empty() {
        return inside;
    }
    // A factory returning a call's result (`return new PostHog(key)`, `return fetch(..)`) does
    // not return the free functions of its file.
    if returned.is_empty() { hits } else { hits.into_iter().filter(|s| s.owner.is_some()).collect() }
}

/// Targets of `X.method(..)`: a class or module named X; an instance (`x = Collector()`,
/// `@tracker = AnalyticsService.new`); an imported module or object. Aliases are followed
/// `hops` deep.
fn receiver_targets<'s>(
    resolver: &Resolver,
    file: usize,
    scope: u32,
    receiver: &str,
    candidates: &[&'s Summary],
    hops: usize,
) -> Vec<&'s Summary> {
    let f = &resolver.files[file];
    let name = receiver.trim_start_matches(['@', '$']);
    let by_owner = |owner: &str| -> Vec<&'s Summary> {
        candidates.iter().copied().filter(|s| s.owner.as_deref() == Some(owner)).collect()
    };
    // Ruby constants are global; elsewhere a class of the same file is in reach.
    let owned = by_owner(name);
    if !owned.is_empty() && (f.language == Language::Ruby || owned.iter().any(|s| s.file == file)) {
        return owned;
    }
    let mut sources: Vec<&crate::model::BindingSource> = resolver
        .visible_bindings(file, scope, receiver)
        .into_iter()
        .map(|b| &f.facts.bindings[b].source)
        .collect();
    if sources.is_empty() && f.language == Language::Ruby {
        // `@tracker` assigned in another method of the class; a method of a base class or
        // concern (`def event_logger; @event_logger ||= GenericEventTracker.new; end`).
        sources.extend(f.facts.bindings.iter().filter(|b| b.name == receiver).map(|b| &b.source));
        if sources.is_empty() {
            sources.extend(resolver.ruby_globals.get(base_name(name)).into_iter().flatten().map(|(_, s)| *s));
        }
    }
    for source in sources {
        match source {
            crate::model::BindingSource::Constructor(text) => {
                let class = constructed_class(text);
                let hits = by_owner(&class);
                if !hits.is_empty() {
                    return hits;
                }
                let hits = factory_targets(resolver, file, scope, &class, candidates);
                if !hits.is_empty() {
                    return hits;
                }
                // `const analytics = AnalyticsService.getInstance()`.
                let hits = singleton_targets(resolver, file, scope, text, candidates);
                if !hits.is_empty() {
                    return hits;
                }
            }
            // `track.Event(..)` on an imported Go package: its functions, in any of its files.
            crate::model::BindingSource::Module { module, .. } if f.language == Language::Go => {
                let package = resolver.go_package_for_import(module);
                let hits: Vec<&Summary> = candidates
                    .iter()
                    .copied()
                    .filter(|s| s.owner.is_none() && package.contains(&s.file))
                    .collect();
                if !hits.is_empty() {
                    return hits;
                }
            }
            crate::model::BindingSource::Module { module, member } => {
                let target = resolver.project_module(file, module);
                let in_target: Vec<&Summary> =
                    candidates.iter().copied().filter(|s| Some(s.file) == target).collect();
                let wanted = match member {
                    ModuleMember::Namespace => None,
                    ModuleMember::Default => target.and_then(|t| export_local_name(resolver, t, "default")),
                    ModuleMember::Named(n) => {
                        target.and_then(|t| export_local_name(resolver, t, n)).or_else(|| Some(n.clone()))
                    }
                };
                let hits: Vec<&Summary> = match &wanted {
                    // `import * as analytics`, `import app.analytics as analytics`: module functions.
                    None => in_target.iter().copied().filter(|s| s.owner.is_none()).collect(),
                    Some(w) => in_target
                        .iter()
                        .copied()
                        .filter(|s| {
                            s.owner.as_deref() == Some(w.as_str()) || s.owner.as_deref() == Some("default")
                        })
                        .collect(),
                };
                // `from app import analytics` where `app/analytics.py` is a module (also when
                // `app` is a namespace package, without an `__init__.py` of its own), and
                // `from . import analytics`, the package the file is in.
                let hits = match member {
                    ModuleMember::Named(n) if hits.is_empty() && f.language == Language::Python => {
                        let submodule = if module.ends_with('.') {
                            format!("{module}{n}")
                        } else {
                            format!("{module}.{n}")
                        };
                        match resolver.resolve_python_module(file, &submodule) {
                            Some(t) => candidates
                                .iter()
                                .copied()
                                .filter(|s| s.file == t && s.owner.is_none())
                                .collect(),
                            None => hits,
                        }
                    }
                    _ => hits,
                };
                if !hits.is_empty() {
                    return hits;
                }
            }
            // Swift and Kotlin `tracker: Tracker` (a parameter, a property): the type's methods.
            crate::model::BindingSource::Typed(ty)
                if matches!(f.language, Language::Swift | Language::Kotlin | Language::Java) =>
            {
                let hits = by_owner(ty.rsplit('.').next().unwrap_or(ty));
                if !hits.is_empty() {
                    return hits;
                }
            }
            // TypeScript `constructor(private analytics: AnalyticsService)` (NestJS, Angular),
            // `analytics: AnalyticsService` fields and parameters, Python's
            // `def handle(service: AnalyticsService)`, Rust extractor patterns
            // (`State(analytics): State<Analytics>`): the class's methods, from the
            // file the type is imported from when classes of that name are defined in several.
            crate::model::BindingSource::Typed(ty)
                if f.language.is_js_family() || matches!(f.language, Language::Rust | Language::Python) =>
            {
                let class = ty.rsplit(['.', ':']).next().unwrap_or(ty);
                let hits = by_owner(class);
                let mut homes: Vec<usize> = hits.iter().map(|s| s.file).collect();
                homes.dedup();
                if homes.len() > 1 {
                    let imported = imported_files(resolver, file, scope, class).into_iter().next();
                    let home = imported.or_else(|| homes.contains(&file).then_some(file));
                    let narrowed: Vec<&Summary> =
                        hits.iter().copied().filter(|s| Some(s.file) == home).collect();
                    if !narrowed.is_empty() {
                        return narrowed;
                    }
                    continue;
                }
                if !hits.is_empty() {
                    return hits;
                }
            }
            crate::model::BindingSource::CallMember { callee, .. } => {
                let hits = factory_targets(resolver, file, scope, callee, candidates);
                if !hits.is_empty() {
                    return hits;
                }
            }
            // `@event_logger = event_logger`: what the other name holds.
            crate::model::BindingSource::Alias(other) if hops > 0 && other != receiver => {
                let hits = receiver_targets(resolver, file, scope, other, candidates, hops - 1);
                if !hits.is_empty() {
                    return hits;
                }
            }
            crate::model::BindingSource::AnyOf(options) if hops > 0 => {
                for option in options {
                    if let crate::model::BindingSource::Constructor(text) = option {
                        let hits = by_owner(&constructed_class(text));
                        if !hits.is_empty() {
                            return hits;
                        }
                    }
                }
            }
            _ => {}
        }
    }
    Vec::new()
}

/// The argument a parameter receives at a call site.
fn argument(param: &Param, args: &[Arg], params: &[Param]) -> Option<Value> {
    let positional: Vec<&Value> = args.iter().filter(|a| a.keyword.is_none()).map(|a| &a.value).collect();
    let by_keyword =
        || args.iter().find(|a| a.keyword.as_deref() == Some(param.name.as_str())).map(|a| a.value.clone());
    // Ruby passes keywords as a trailing hash.
    let in_trailing_hash = |key: &str| -> Option<Value> {
        let last = positional.last()?;
        let obj = last.as_object()?;
        obj.get(key).map(|e| e.value.clone())
    };
    match &param.kind {
        ParamKind::Positional(n) => {
            positional.get(n.checked_sub(1)?).map(|v| (*v).clone()).or_else(by_keyword)
        }
        ParamKind::Keyword => by_keyword().or_else(|| in_trailing_hash(&param.name)),
        ParamKind::Field { position, key } => {
            let obj = positional.get(position.checked_sub(1)?)?;
            obj.as_object()?.get(key).map(|e| e.value.clone())
        }
        ParamKind::KeywordRest => {
            // The keyword arguments no named parameter takes.
            let named: HashSet<&str> = params.iter().map(|p| p.name.as_str()).collect();
            let mut obj = Object::default();
            let mut span: Option<Span> = None;
            for a in args.iter().filter(|a| a.keyword.as_deref().is_some_and(|k| !named.contains(k))) {
                let key = a.keyword.clone().unwrap_or_default();
                span = Some(span.map_or(a.value.span, |s| {
                    Span::new(s.start.min(a.value.span.start), s.end.max(a.value.span.end))
                }));
                // `**more` passed on: keywords not known here.
                if key == crate::frontend::FORWARDED_KEYWORDS {
                    obj.has_spread = true;
                    obj.spreads.push(a.value.clone());
                    continue;
                }
                obj.entries.push(Entry {
                    key: key.clone(),
                    key_text: key,
                    key_span: a.value.span,
                    value: a.value.clone(),
                });
            }
            if obj.entries.is_empty() && !obj.has_spread {
                // Ruby's `**opts`: the trailing hash, less the declared keywords.
                let last = positional.last()?;
                let hash = last.as_object()?;
                let mut rest = hash.clone();
                rest.entries.retain(|e| !named.contains(e.key.as_str()));
                return Some(Value::new(ValueKind::Object(rest), last.span));
            }
            Some(Value::new(ValueKind::Object(obj), span?))
        }
        ParamKind::Rest => None,
    }
}

/// The value a flow carries at a call site: the argument, then each member read from it.
fn bind(flow: &Flow, args: &[Arg], params: &[Param]) -> Option<Value> {
    let mut value = argument(&flow.param, args, params)?;
    for member in &flow.members {
        value = match value.kind {
            ValueKind::Path(mut p) => {
                p.segments.push(member.clone());
                p.text = format!("{}.{member}", p.text);
                Value::new(ValueKind::Path(p), value.span)
            }
            ValueKind::Object(obj) => obj.get(member).map(|e| e.value.clone())?,
            other => {
                let text = format!("{}.{member}", Value::new(other, value.span).display());
                Value::new(ValueKind::Unknown(text), value.span)
            }
        };
    }
    Some(value)
}

fn bind_object(flow: &ObjectFlow, args: &[Arg], params: &[Param], site_span: Span) -> Option<Value> {
    let mut obj = Object::default();
    let mut spans: Vec<Span> = Vec::new();
    let mut any = false;
    for whole in &flow.whole {
        let Some(value) = bind(whole, args, params) else { continue };
        any = true;
        if flow.whole.len() == 1 && flow.entries.is_empty() && !flow.partial {
            return Some(value);
        }
        spans.push(value.span);
        match value.kind {
            ValueKind::Object(inner) => {
                obj.entries.extend(inner.entries);
                obj.spreads.extend(inner.spreads);
                obj.has_spread |= inner.has_spread;
            }
            _ => {
                obj.has_spread = true;
                obj.spreads.push(value);
            }
        }
    }
    for (key, key_text, f) in &flow.entries {
        let Some(value) = bind(f, args, params) else { continue };
        any = true;
        spans.push(value.span);
        obj.entries.push(Entry { key: key.clone(), key_text: key_text.clone(), key_span: value.span, value });
    }
    if !any {
        return None;
    }
    obj.has_spread |= flow.partial;
    let span = match spans.as_slice() {
        [only] => *only,
        _ => site_span,
    };
    Some(Value::new(ValueKind::Object(obj), span))
}

/// A value written in the wrapper, placed at the call site (its own spans are another file's).
fn respan(value: &Value, span: Span) -> Value {
    let kind = match &value.kind {
        ValueKind::Object(obj) => {
            let mut obj = obj.clone();
            for e in &mut obj.entries {
                e.key_span = span;
                e.value = respan(&e.value, span);
            }
            obj.spreads = obj.spreads.iter().map(|v| respan(v, span)).collect();
            ValueKind::Object(obj)
        }
        ValueKind::Array(items) => ValueKind::Array(items.iter().map(|v| respan(v, span)).collect()),
        ValueKind::Template(t) => {
            let mut t = t.clone();
            t.exprs = t.exprs.iter().map(|v| respan(v, span)).collect();
            ValueKind::Template(t)
        }
        ValueKind::Call { callee, args } => {
            ValueKind::Call { callee: callee.clone(), args: args.iter().map(|v| respan(v, span)).collect() }
        }
        other => other.clone(),
    };
    Value::new(kind, span)
}

fn instantiate(
    summary: &Summary,
    template: &CallTemplate,
    site: &CallSite,
    args: &[Arg],
    params: &[Param],
) -> Call {
    let mut call = template.call.clone();
    call.span = site.span;
    call.scope = site.scope;
    call.order = site.order;
    call.context = site.context.clone();
    // A job enqueued anywhere down the chain tracks later, off this request.
    if template.call.context.deferred {
        call.context.deferred = true;
        call.context.request_handler = false;
    }
    call.via = std::iter::once(summary.via.clone()).chain(template.call.via.iter().cloned()).collect();
    call.event_from_parameter = false;
    // Declared types are read where the call is written, in its own file.
    call.property_types = None;
    call.event = template.event.as_ref().and_then(|f| bind(f, args, params));
    call.inner_event = match (&template.event, &template.call.event) {
        (None, Some(Value { kind: ValueKind::Str(name), .. })) => Some(name.clone()),
        (None, None) => template.call.inner_event.clone(),
        _ => None,
    };
    call.identities = template
        .identities
        .iter()
        .filter_map(|(role, f)| bind(f, args, params).map(|value| Identity { role: *role, value }))
        .collect();
    call.properties = template.properties.as_ref().and_then(|f| bind_object(f, args, params, site.span));
    call.property_name = template.property_name.as_ref().and_then(|f| bind(f, args, params)).map(Box::new);
    call.property_value = template.property_value.as_ref().and_then(|f| bind(f, args, params)).map(Box::new);
    call.modifiers = match &template.modifiers {
        Some(f) => bind(f, args, params).map(Box::new),
        None => template.fixed_modifiers.as_ref().map(|m| Box::new(respan(m, site.span))),
    };
    call.ip = None;
    call
}

/// A call site of a function that passes `*args` / `**kwargs` on to the SDK: the SDK call
/// is built again from the site's own arguments (positional ones for `*args`, keywords for
/// `**kwargs`), exactly as if the site called the SDK.
fn forward(
    resolver: &Resolver,
    template: &CallTemplate,
    site: &CallSite,
    (args, params): (&[Arg], &[Param]),
    call: &mut Call,
) {
    let Some((profile, method)) = sdk_method(resolver, template) else { return };
    // `def perform(action, *args)`: the list starts after the positional parameters.
    let skip = params
        .iter()
        .take_while(|p| !matches!(p.kind, ParamKind::Rest))
        .filter(|p| matches!(p.kind, ParamKind::Positional(_)))
        .count();
    let mut passed = site.clone();
    let positional =
        args.iter().filter(|a| a.keyword.is_none()).skip(skip).filter(|_| template.forwards.positional);
    let keywords = args.iter().filter(|a| a.keyword.is_some()).filter(|_| template.forwards.keywords);
    passed.args = positional.chain(keywords).cloned().collect();
    take_roles(call, crate::profile::build_call(profile, method, &passed));
}

/// The SDK method a template's inner call is, in its profile.
fn sdk_method<'r>(
    resolver: &'r Resolver,
    template: &CallTemplate,
) -> Option<(&'r crate::profile::LoadedProfile, &'r crate::profile::Method)> {
    let profile = resolver.profiles().list.iter().find(|p| p.id == template.call.sdk)?;
    let method = profile.methods.iter().find(|m| m.path.join(".") == template.call.method.as_str())?;
    Some((profile, method))
}

/// The roles of an SDK call built again from a call site's own arguments.
fn take_roles(call: &mut Call, rebuilt: Call) {
    call.event = rebuilt.event;
    call.identities = rebuilt.identities;
    call.properties = rebuilt.properties;
    call.property_name = rebuilt.property_name;
    call.property_value = rebuilt.property_value;
    call.modifiers = rebuilt.modifiers;
    call.ip = rebuilt.ip;
}

/// A call site of a wrapper that hands its parameter's object to the SDK as the call's
/// options (`client.track(options.merge(user_id: user.id))`): the SDK call is built again from
/// the site's object, with the wrapper's own entries where the site has none of that key
/// (placed at the site: they are written in the wrapper, not here). False when the SDK does
/// not read its roles from an options object (the call keeps what the other roles gave).
fn pass_options(
    resolver: &Resolver,
    template: &CallTemplate,
    (file, site): (usize, &CallSite),
    (param, own): (&Param, &[Entry]),
    (args, params): (&[Arg], &[Param]),
    call: &mut Call,
) -> bool {
    let Some((profile, method)) = sdk_method(resolver, template) else { return false };
    let spec = &method.spec;
    if !spec.reads_options_object() {
        return false;
    }
    let Some(passed_value) = argument(param, args, params) else { return true };
    // `hash = { event: .. }` then `track(hash)`: the object the site's local holds.
    let passed_value =
        super::values::local_object(resolver, file, site, &passed_value).unwrap_or(passed_value);
    let ValueKind::Object(mut object) = passed_value.kind else { return true };
    for entry in own {
        if !object.entries.iter().any(|e| e.key == entry.key) {
            let mut entry = entry.clone();
            entry.key_span = site.span;
            entry.value = respan(&entry.value, site.span);
            object.entries.push(entry);
        }
    }
    let mut passed = site.clone();
    passed.args =
        vec![Arg { keyword: None, value: Value::new(ValueKind::Object(object), passed_value.span) }];
    take_roles(call, crate::profile::build_call(profile, method, &passed));
    true
}

/// A receiver that names a type: Swift's types are visible module-wide (no binding), Kotlin's
/// are imported (a binding to a package member) or in the same package.
fn is_type_receiver(resolver: &Resolver, file: usize, scope: crate::model::ScopeId, name: &str) -> bool {
    let f = &resolver.files[file];
    if !matches!(f.language, Language::Swift | Language::Kotlin | Language::Java)
        || !name.starts_with(|c: char| c.is_ascii_uppercase())
    {
        return false;
    }
    resolver.visible_bindings(file, scope, name).into_iter().all(|b| {
        matches!(f.language, Language::Kotlin | Language::Java)
            && matches!(f.facts.bindings[b].source, crate::model::BindingSource::Module { .. })
    })
}
