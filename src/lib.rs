//! tracklint: a static linter for analytics instrumentation.
//!
//! The pipeline runs in one direction: walk → read → prefilter → parse → extract call sites →
//! resolve receivers against SDK profiles (project-wide) → file rules → report. Everything up
//! to resolution is per file and runs in parallel.

pub mod baseline;
pub mod cache;
pub mod changed;
pub mod cli;
pub mod config;
pub mod context;
pub mod diagnostic;
pub mod fix;
pub mod frontend;
pub mod harness;
mod incremental;
pub use harness::{ParseStats, fuzz_config, fuzz_file, lint_bytes, parse_floor};
pub mod fsutil;
pub mod infer;
pub mod language;
pub mod manifest;
pub mod model;
pub mod naming;
pub mod plan;
pub mod prefilter;
pub mod profile;
pub mod progress;
pub mod property_type;
pub mod report;
pub mod resolve;
pub mod rules;
pub mod schema;
pub mod suppress;
pub mod text;

pub mod walk;

use diagnostic::{Diagnostic, LineIndex};
use frontend::{ExtractOptions, FileFacts};
use model::{Call, Language, PackedCalls};
use profile::Profiles;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

/// Files larger than this are skipped with a notice (generated bundles, data dumps).
pub const DEFAULT_MAX_FILE_SIZE: u64 = 2 * 1024 * 1024;

pub struct Options {
    pub paths: Vec<PathBuf>,
    pub default_excludes: bool,
    pub max_file_size: u64,
    /// Skip files that contain no trigger word before parsing them.
    pub prefilter: bool,
    pub config: config::Config,
    /// Per-file parse timeout, in milliseconds.
    pub parse_timeout_ms: u64,
    /// Text that stands in for this file's contents (`--stdin-filename`, for editors).
    pub stdin: Option<(PathBuf, Vec<u8>)>,
    /// A progress bar on stderr for long runs (only drawn on a terminal).
    pub progress: bool,
    /// The tracking plan to check the events against.
    pub plan: Option<plan::Plan>,
    /// Configs in directories below the checked ones govern their files (off with `--config`
    /// and `--isolated`).
    pub nested_configs: bool,
    /// SDK profiles beyond the built-in ones, loaded by whoever drives the library: an SDK is
    /// one profile, nothing else (`profile::load_dir`).
    pub extra_profiles: Vec<profile::LoadedProfile>,
    /// Which rules' findings are reported (`--select`, `--extend-select`, `--ignore`).
    pub selection: Option<rules::Selection>,
    /// Files read and parsed by earlier runs of this process (the language server's), reused
    /// while they are unchanged.
    pub cache: Option<std::sync::Arc<LintCache>>,
    /// The directory of the per-file cache kept on disk between runs (`.tracklint_cache/`);
    /// `None` reads and parses every file.
    pub cache_dir: Option<PathBuf>,
}

/// What one file gave an earlier run, for [`Options::cache`].
#[derive(Clone)]
pub struct CachedFile {
    outcome: Outcome,
    key: Option<CacheKey>,
    all_sites: bool,
}

/// The cache a long-lived process keeps between runs.
pub type LintCache = cache::FileCache<CachedFile>;

impl Default for Options {
    fn default() -> Self {
        Options {
            paths: vec![PathBuf::from(".")],
            default_excludes: true,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            prefilter: true,
            config: config::Config::default(),
            parse_timeout_ms: frontend::DEFAULT_PARSE_TIMEOUT_MS,
            stdin: None,
            progress: false,
            plan: None,
            nested_configs: true,
            extra_profiles: Vec::new(),
            selection: None,
            cache: None,
            cache_dir: None,
        }
    }
}

/// A file that could not be linted, or only partly.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct FileError {
    pub path: PathBuf,
    pub message: String,
}

/// One linted file with what was found in it.
pub struct FileReport {
    pub path: PathBuf,
    /// The parser had to recover somewhere: fixes are never applied to such a file.
    pub syntax_error: bool,
    pub source: String,
    pub lines: LineIndex,
    /// The file's calls, packed: [`Self::calls`] decodes them.
    pub calls: PackedCalls,
    /// How many of them `events` lists ([`Self::listed_calls`]).
    pub listed: usize,
    pub diagnostics: Vec<Diagnostic>,
}

pub struct Report {
    /// Files with calls or diagnostics, sorted by path.
    pub files: Vec<FileReport>,
    pub errors: Vec<FileError>,
    /// Entries not linted on purpose (symlinks, special files, default excludes).
    pub skipped: Vec<FileError>,
    pub files_scanned: usize,
    /// Every file linted, with or without findings: what a baseline entry can be fixed in.
    pub scanned: Vec<PathBuf>,
    /// Bugs of ours caught at a file boundary; they make the exit code 2.
    pub internal_errors: usize,
    /// The project's own tracking functions, as inferred.
    pub wrappers: Vec<infer::WrapperInfo>,
    /// What the on-disk cache did, when there is one.
    pub cache: Option<CacheStats>,
    /// The commit checked out in the git repository the (first) checked path is in.
    pub commit: Option<String>,
}

/// What the on-disk cache did in one run.
#[derive(Debug, Clone, Default)]
pub struct CacheStats {
    pub dir: PathBuf,
    /// Files whose facts came from the cache (not parsed).
    pub hits: usize,
    /// Files read and parsed (not in the cache, or changed).
    pub misses: usize,
    /// Why the cache could not be read or written, if so (the run went on without it).
    pub warnings: Vec<String>,
    /// Whether the cache file was written.
    pub written: bool,
    /// Wrapper inference was answered from the cache (every file unchanged).
    pub inference_reused: bool,
    /// The whole run was answered from the last run's results (every file and setting
    /// unchanged): nothing was resolved or checked again.
    pub results_reused: bool,
    /// Wrapper inference started from the last run's: (files resolved again, files).
    pub inference_resolved: Option<(usize, usize)>,
}

impl FileReport {
    pub fn new(
        path: PathBuf,
        source: String,
        lines: LineIndex,
        calls: &[Call],
        diagnostics: Vec<Diagnostic>,
    ) -> FileReport {
        FileReport {
            path,
            syntax_error: false,
            source,
            lines,
            calls: PackedCalls::pack(calls),
            listed: listed_calls(calls).count(),
            diagnostics,
        }
    }

    /// Every call found in the file, decoded.
    pub fn calls(&self) -> Vec<Call> {
        self.calls.unpack()
    }

    /// The calls as `events` lists them (see [`listed_calls`]).
    pub fn listed_calls(&self) -> Vec<Call> {
        let calls = self.calls();
        let keep: Vec<bool> = (0..calls.len()).map(|i| is_listed(&calls, i)).collect();
        calls.into_iter().zip(keep).filter_map(|(call, keep)| keep.then_some(call)).collect()
    }
}

/// The calls as `events` lists them: a call whose event can be one of several names is
/// listed once per name, but not again for each identity it may send.
/// Client constructions (`Init`) are not tracking calls and are not listed.
pub fn listed_calls(calls: &[Call]) -> impl Iterator<Item = &Call> {
    (0..calls.len()).filter(|&i| is_listed(calls, i)).map(|i| &calls[i])
}

fn is_listed(calls: &[Call], i: usize) -> bool {
    let c = &calls[i];
    !c.is_construction()
        && !calls[..i]
            .iter()
            .rev()
            .take_while(|p| p.span == c.span)
            .any(|p| p.kind == c.kind && p.sdk == c.sdk && report::event_label(p) == report::event_label(c))
}

impl Report {
    pub fn diagnostic_count(&self) -> usize {
        self.files.iter().map(|f| f.diagnostics.len()).sum()
    }

    pub fn call_count(&self) -> usize {
        self.files.iter().map(|f| f.listed).sum()
    }

    pub fn files_with_calls(&self) -> usize {
        self.files.iter().filter(|f| f.listed > 0).count()
    }
}

/// An error that stops the whole run (exit code 2).
#[derive(Debug)]
pub struct FatalError(pub String);

impl std::fmt::Display for FatalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Clone)]
enum Outcome {
    /// Read and, if it had a trigger word, parsed.
    Parsed {
        source: String,
        facts: Box<FileFacts>,
        suppressions: Vec<suppress::Suppression>,
        notes: Vec<String>,
    },
    Skipped(String),
    Failed(String),
    Internal(String),
}

pub fn lint(options: &Options) -> Result<Report, FatalError> {
    let timings = progress::Timings::from_env();
    let mut walked = start(options)?;
    let nested = if options.nested_configs { nested_configs(options, &walked)? } else { Vec::new() };
    let configs = config::Configs::new(&options.config, nested);
    if configs.all().count() > 1 {
        let explicit: Vec<PathBuf> = options.paths.iter().map(|p| fsutil::clean(p)).collect();
        walked.files.retain(|(path, _)| explicit.contains(path) || !configs.for_path(path).is_excluded(path));
    }
    let wrappers: Vec<profile::LoadedProfile> = options
        .extra_profiles
        .iter()
        .cloned()
        .chain(configs.all().flat_map(|c| c.wrappers.iter().cloned()))
        .collect();
    let profiles =
        Profiles::with_wrappers(wrappers).map_err(|e| FatalError(format!("internal error: {e}")))?;
    timings.mark("walk");
    let prefilter = prefilter::Prefilter::per_language(&profiles)
        .map_err(|e| FatalError(format!("internal error: {e}")))?;
    let extract_options = ExtractOptions::per_language(&profiles);
    if let Some(cache) = &options.cache {
        cache.begin(extraction_fingerprint(options, &extract_options));
    }
    let disk = options
        .cache_dir
        .as_ref()
        // What resolution reads besides the files: the manifests (packages, workspace names),
        // hashed once, only when there is a cache to key.
        .map(|dir| {
            let fingerprint = disk_fingerprint(options, &extract_options, &prefilter);
            DiskCache::open(dir, fingerprint, manifest::manifests_hash(&walked.manifests))
        });
    timings.mark("load the cache");

    let progress = progress::Progress::new(options.progress, walked.files.len());
    let outcomes: Vec<Read> = walked
        .files
        .par_iter()
        .inspect(|_| progress.tick())
        .map(|(path, language)| {
            // The buffer being edited is never taken from a cache.
            let edited = options.stdin.as_ref().is_some_and(|(p, _)| fsutil::clean(p) == *path);
            let run = || match (&options.cache, &disk) {
                // A long-lived process: its own cache first, then (on its first lint) the disk's.
                (Some(cache), disk) if !edited => {
                    let kept = cache.get_or(
                        path,
                        || {
                            let read = match disk {
                                Some(disk) => disk
                                    .read_through(path, *language, options, &prefilter, &extract_options)
                                    .decoded(|| {
                                        process_file(
                                            path,
                                            *language,
                                            options,
                                            &prefilter,
                                            &extract_options,
                                            true,
                                        )
                                    }),
                                None => {
                                    let (outcome, key) = process_file(
                                        path,
                                        *language,
                                        options,
                                        &prefilter,
                                        &extract_options,
                                        false,
                                    );
                                    Read::fresh(outcome, key)
                                }
                            };
                            CachedFile { outcome: read.outcome, key: read.key, all_sites: read.all_sites }
                        },
                        |c| matches!(c.outcome, Outcome::Parsed { .. } | Outcome::Skipped(_)),
                    );
                    Read {
                        outcome: kept.outcome,
                        key: kept.key,
                        all_sites: kept.all_sites,
                        fresh: true,
                        packed_facts: None,
                        before: None,
                    }
                }
                (_, Some(disk)) if !edited => {
                    disk.read_through(path, *language, options, &prefilter, &extract_options)
                }
                _ => {
                    let (outcome, key) =
                        process_file(path, *language, options, &prefilter, &extract_options, false);
                    Read::fresh(outcome, key)
                }
            };
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)).unwrap_or_else(|panic| {
                let what = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                Read::fresh(
                    Outcome::Internal(format!(
                        "internal error while linting this file (please report it): {what}"
                    )),
                    None,
                )
            })
        })
        .collect();

    let mut errors: Vec<FileError> =
        walked.errors.into_iter().map(|(path, message)| FileError { path, message }).collect();
    let mut internal_errors = 0;
    let mut parsed: Vec<ParsedFile> = Vec::with_capacity(walked.files.len());
    // Files skipped on purpose (binary, too large), kept in the cache as such.
    let mut skipped_files: Vec<(PathBuf, String, CacheKey)> = Vec::new();
    for ((path, language), Read { outcome, key, all_sites, fresh, packed_facts, before }) in
        walked.files.iter().zip(outcomes)
    {
        match outcome {
            Outcome::Parsed { source, facts, suppressions, notes } => {
                let syntax_error = match &packed_facts {
                    Some((_, syntax_error)) => *syntax_error,
                    None => facts.syntax_error.is_some(),
                };
                errors.extend(
                    notes.iter().map(|message| FileError { path: path.clone(), message: message.clone() }),
                );
                parsed.push(ParsedFile {
                    path: path.clone(),
                    language: *language,
                    source,
                    facts: *facts,
                    suppressions,
                    all_sites,
                    notes,
                    key,
                    fresh,
                    packed_facts: packed_facts.map(|(bytes, _)| bytes),
                    syntax_error,
                    before,
                });
            }
            Outcome::Skipped(message) => {
                if let Some(key) = key {
                    skipped_files.push((path.clone(), message.clone(), key));
                }
                errors.push(FileError { path: path.clone(), message })
            }
            Outcome::Failed(message) => errors.push(FileError { path: path.clone(), message }),
            Outcome::Internal(message) => {
                internal_errors += 1;
                errors.push(FileError { path: path.clone(), message });
            }
        }
    }

    progress.finish();
    if timings.enabled() {
        let trees = parsed.iter().filter(|f| !f.facts.scope_parents.is_empty()).count();
        timings.note(&format!("{trees} of {} files parsed", parsed.len()));
    }
    timings.mark("read, prefilter, parse, extract");
    // Every file as the last run saw it, with the same settings: its results stand.
    let reused = disk.as_ref().and_then(|d| d.reuse_results(&parsed, options, &configs));
    let results_cache = disk.as_ref().map(|d| (d.location.sibling(RESULTS_FILE), d.manifests));
    let (summaries, per_file, plan_findings, cache) = match reused {
        Some(Reused { summaries, files, plan }) => {
            let cache = disk.map(|disk| CacheStats {
                results_reused: true,
                ..disk.finish(&parsed, &skipped_files, None)
            });
            timings.mark("results from the cache");
            (summaries, files, plan, cache)
        }
        None => {
            // The run needs every file's facts: those from the cache are decoded now (one
            // that does not decode is read and parsed again).
            parsed.par_iter_mut().for_each(|file| {
                let Some(bytes) = file.packed_facts.take() else { return };
                match decode_facts(&bytes) {
                    Some(facts) => file.facts = facts,
                    None => {
                        let read = process_file(
                            &file.path,
                            file.language,
                            options,
                            &prefilter,
                            &extract_options,
                            true,
                        );
                        if let (Outcome::Parsed { source, facts, suppressions, .. }, key) = read {
                            file.read_anew(source, *facts, suppressions, key, false);
                        }
                    }
                }
            });
            timings.mark("decode cached facts");
            let packages = manifest::manifest_packages(&walked.manifests, &profiles);
            let (summaries, mut precomputed, inferred) = if options.config.inference_disabled {
                (infer::Summaries::default(), None, None)
            } else if let Some(summaries) = disk.as_ref().and_then(|d| d.project_summaries(&parsed)) {
                // Every file is the one the cached inference was made from: its result stands.
                (summaries, None, None)
            } else {
                let seed = disk.as_ref().and_then(|d| d.inference_seed(&parsed, options, &configs));
                timings.mark("inference: the last run's result read");
                let Inferred { summaries, calls, evidence, evidence_by_file, resolved } =
                    infer_wrappers(&mut parsed, options, &profiles, &packages, seed);
                // At the round limit every file's calls are resolved again below: none is kept.
                let resolved = resolved.filter(|_| calls.is_some());
                (summaries, calls, Some((evidence, evidence_by_file, resolved)))
            };
            timings.mark("wrapper inference");
            let forwarding = summaries.forwarding_calls();
            // Inference's last round already resolved every file with the final summaries.
            let all_calls: Vec<PackedCalls> = match precomputed.take() {
                Some(calls) if calls.len() == parsed.len() => calls,
                _ => {
                    let inputs = file_inputs(&parsed);
                    let resolver =
                        resolve::Resolver::new(&inputs, &profiles, &packages).with_summaries(&summaries);
                    timings.mark("project index and evidence");
                    (0..inputs.len()).into_par_iter().map(|i| PackedCalls::pack(&resolver.calls(i))).collect()
                }
            };
            // The facts have served: the cache keeps them, and nothing after resolution reads them
            // (the calls do). Freed now, they are not held through the rules and the report.
            let cache = disk.map(|disk| {
                let mut warnings = Vec::new();
                if let Some((evidence, evidence_by_file, resolved)) = &inferred
                    && let Err(e) = disk.store_inference(
                        &parsed,
                        options,
                        &configs,
                        (evidence, evidence_by_file),
                        &all_calls,
                        resolved.as_deref(),
                    )
                {
                    warnings.push(e);
                }
                let summaries = (!options.config.inference_disabled).then_some(&summaries);
                let mut stats = disk.finish(&parsed, &skipped_files, summaries);
                stats.warnings.extend(warnings);
                stats.inference_resolved = inferred
                    .as_ref()
                    .and_then(|(_, _, resolved)| resolved.as_ref())
                    .map(|r| (r.iter().filter(|r| **r).count(), parsed.len()));
                stats
            });
            timings.mark("write the cache");
            parsed.par_iter_mut().for_each(|file| {
                file.syntax_error = file.facts.syntax_error.is_some();
                file.facts = FileFacts::default();
            });
            // Per file, what the report needs of its calls besides the calls (the count `events`
            // lists, the wrapper each call site calls first and the methods called), taken while
            // they are decoded for the file rules.
            let want_methods = configs.all().any(|c| !c.declared.is_empty());
            // Two passes over the calls, so that what project rules read (every file's calls at
            // once) and what file rules find (every file's findings) are never held together:
            // the views are dropped before the first file rule runs. First pass: each file's
            // calls marked and placed, what the report needs of them, and the project's view.
            let (prepared, views): (Vec<PreparedFile>, Vec<Vec<rules::ProjectCall>>) = all_calls
                .into_par_iter()
                .enumerate()
                .map(|(i, packed)| {
                    let file = &parsed[i];
                    let mut calls = packed.unpack();
                    let (changed, place) = prepare_calls(&mut calls, i, file, &forwarding);
                    let shown = ShownCalls::of(&calls, want_methods);
                    // Encoded again only when marking changed what is packed.
                    let packed = if changed { PackedCalls::pack(&calls) } else { packed };
                    (
                        PreparedFile { calls: packed, shown, place },
                        project_views(calls, options.plan.is_some()),
                    )
                })
                .unzip();
            timings.mark("resolve receivers, project views");
            let (found, plan_findings) =
                check_project(&parsed, views, &configs, options.plan.as_ref(), &profiles);
            timings.mark("project rules");
            // Second pass, file by file: decoded again for the file rules, then only what the
            // report shows is kept.
            let per_file: Vec<ReportedFile> = prepared
                .into_par_iter()
                .zip(found)
                .zip(&parsed)
                .map(|((PreparedFile { calls: packed, shown, place }, found), file)| {
                    let config = configs.for_path(&file.path);
                    let mut calls = packed.unpack();
                    place_calls(&mut calls, &place);
                    let mut diagnostics = file_rules(&calls, file, config, &profiles);
                    diagnostics.extend(found);
                    if shown.through_wrappers && !diagnostics.is_empty() {
                        name_the_wrappers(&calls, &mut diagnostics);
                    }
                    drop(calls);
                    let (diagnostics, lines) = apply_suppressions(file, diagnostics, config);
                    ReportedFile {
                        listed: shown.listed,
                        first_wrappers: shown.first_wrappers,
                        methods: shown.methods,
                        calls: packed,
                        diagnostics,
                        lines,
                    }
                })
                .collect();
            timings.mark("suppressions");
            let mut cache = cache;
            // The key of the files as inference left them (files it read again are cached with
            // every call site, and a next run starts from those entries), not as first read.
            if let Some((location, manifests)) = &results_cache
                && let Some(key) = results_key(&parsed, *manifests, options, &configs)
            {
                if let Err(e) = store_results(location, key, &parsed, &per_file, &plan_findings)
                    && let Some(stats) = &mut cache
                {
                    stats.warnings.push(e);
                }
                timings.mark("write the results");
            }
            (summaries, per_file, plan_findings, cache)
        }
    };

    let mut files = Vec::new();
    let mut first_wrappers: Vec<(usize, model::Via, usize)> = Vec::new();
    let mut methods_called: HashSet<(model::Shared, model::Shared)> = HashSet::new();
    for (ParsedFile { path, source, syntax_error, .. }, reported) in parsed.into_iter().zip(per_file) {
        let ReportedFile { calls, listed, mut diagnostics, lines, first_wrappers: wrapped, methods } =
            reported;
        if calls.is_empty() && diagnostics.is_empty() {
            continue;
        }
        first_wrappers.extend(wrapped.into_iter().map(|(via, start)| (files.len(), via, start)));
        methods_called.extend(methods);
        diagnostics
            .sort_by(|a, b| (a.span.start, a.rule, &a.message).cmp(&(b.span.start, b.rule, &b.message)));
        // One call site sending two events (`track(user, 'A' if x else 'B')`) is two calls; a
        // finding about the site itself comes from each, word for word: it is said once.
        diagnostics.dedup_by(|a, b| a.rule == b.rule && a.span == b.span && a.message == b.message);
        files.push(FileReport { path, syntax_error, source, lines, calls, listed, diagnostics });
    }
    let unused: Vec<FileReport> =
        configs.all().filter_map(|c| unused_wrappers(options, c, &methods_called)).collect();
    files.extend(unused);
    if let Some(plan) = &options.plan
        && !plan_findings.is_empty()
    {
        // Findings about the plan itself point into the plan file.
        let lines = LineIndex::new(&plan.source);
        files.push(FileReport::new(plan.path.clone(), plan.source.clone(), lines, &[], plan_findings));
    }
    // `--select`, `--extend-select`, `--ignore`: what is reported (suppressions were matched
    // against every rule first, so none is reported unused for a rule left out here).
    if let Some(selection) = &options.selection {
        for file in &mut files {
            file.diagnostics.retain(|d| selection.allows(d.rule));
        }
    }
    errors.sort();
    let skipped = walked.skipped.into_iter().map(|(path, message)| FileError { path, message }).collect();
    let scanned: Vec<PathBuf> = walked.files.into_iter().map(|(path, _)| path).collect();
    let wrappers = summaries.describe(
        first_wrappers.iter().map(|(file, via, start)| (files[*file].path.as_path(), via, *start)),
        text::display_path,
    );
    let commit = checked_commit(options);
    timings.mark("the report assembled");
    Ok(Report {
        files,
        errors,
        skipped,
        files_scanned: scanned.len(),
        scanned,
        internal_errors,
        wrappers,
        cache,
        commit,
    })
}

/// The commit of the repository the first checked path is in (not the current directory's).
fn checked_commit(options: &Options) -> Option<String> {
    let path = options.stdin.as_ref().map(|(p, _)| p).or(options.paths.first())?;
    let path = std::path::absolute(path).ok()?;
    let dir = if path.is_dir() { path } else { path.parent()?.to_path_buf() };
    fsutil::git_commit(&dir)
}

/// The configs found by the walk below the checked directories, and those above the other
/// paths given, apart from the main one; a broken one stops the run as the main one does.
fn nested_configs(options: &Options, walked: &walk::Walked) -> Result<Vec<config::Config>, FatalError> {
    let same = |a: &std::path::Path, b: &std::path::Path| {
        std::fs::canonicalize(a).ok().zip(std::fs::canonicalize(b).ok()).is_some_and(|(a, b)| a == b)
    };
    let main = options.config.path.clone();
    let mut seen: Vec<PathBuf> = main.iter().cloned().collect();
    let mut out = Vec::new();
    let shown = |e: config::ConfigError| {
        FatalError(format!("{}: {}", text::visible(&e.path.to_string_lossy()), text::visible(&e.message)))
    };
    for path in &walked.configs {
        if seen.iter().any(|s| same(s, path)) {
            continue;
        }
        seen.push(path.clone());
        if let Some(config) = config::Config::load_nested(path).map_err(shown)? {
            out.push(config);
        }
    }
    for path in options.paths.iter().skip(1) {
        let config = config::Config::discover(path).map_err(shown)?;
        if let Some(p) = &config.path
            && !seen.iter().any(|s| same(s, p))
        {
            seen.push(p.clone());
            out.push(config);
        }
    }
    Ok(out)
}

/// `unused-wrapper`: declared wrappers no call went through, reported in the config file.
/// Only when the run checks the whole directory the config governs (a subset of files says
/// nothing about the rest).
fn unused_wrappers(
    options: &Options,
    config: &config::Config,
    methods_called: &HashSet<(model::Shared, model::Shared)>,
) -> Option<FileReport> {
    let path = config.path.as_ref()?;
    if config.declared.is_empty() || options.stdin.is_some() {
        return None;
    }
    let root = std::path::absolute(config.root()).ok()?;
    let whole = options
        .paths
        .iter()
        .any(|p| std::path::absolute(p).is_ok_and(|p| p.is_dir() && root.starts_with(fsutil::clean(&p))));
    if !whole {
        return None;
    }
    let rule = &rules::unused_wrapper::META;
    let severity = config.base_settings().severity(rule.id, rule.default_severity)?;
    let diagnostics = rules::unused_wrapper::check(&config.declared, methods_called, severity);
    if diagnostics.is_empty() {
        return None;
    }
    let source = config.source.clone();
    Some(FileReport::new(path.clone(), source.clone(), LineIndex::new(&source), &[], diagnostics))
}

/// A file's calls (placed in the file) as project rules read them.
fn project_views(calls: Vec<Call>, plan: bool) -> Vec<rules::ProjectCall> {
    // Not `collect()`: it would reuse the calls' buffer in place, and the views would keep
    // holding a `Call`'s size each (41 MB of 20,000 dense files' peak was that).
    let mut views = Vec::with_capacity(calls.len());
    views.extend(calls.into_iter().map(|call| rules::ProjectCall::of(call, plan)));
    views
}

/// Runs the project-wide rules over every file's calls as they read them ([`project_views`],
/// dropped when the rules are done) and files their findings with the file they point at, at
/// that file's severity (overrides apply where the finding is). Returns each file's findings
/// and those about the plan itself.
fn check_project(
    parsed: &[ParsedFile],
    views: Vec<Vec<rules::ProjectCall>>,
    configs: &config::Configs,
    plan: Option<&plan::Plan>,
    profiles: &Profiles,
) -> (Vec<Vec<Diagnostic>>, Vec<Diagnostic>) {
    let mut about_plan = Vec::new();
    let found = {
        let project = rules::ProjectCalls {
            files: parsed
                .iter()
                .zip(views.iter())
                .map(|(p, calls)| rules::ProjectFile {
                    path: &p.path,
                    language: p.language,
                    source: &p.source,
                    calls,
                    lines: std::sync::OnceLock::new(),
                })
                .collect(),
            plan,
            profiles,
        };
        rules::check_project(&project, configs.main.base_settings())
    };
    drop(views);
    let mut per_file: Vec<Vec<Diagnostic>> = vec![Vec::new(); parsed.len()];
    for (file, mut diagnostic) in found {
        if file == parsed.len() {
            about_plan.push(diagnostic);
            continue;
        }
        let Some((parsed_file, slot)) = parsed.get(file).zip(per_file.get_mut(file)) else { continue };
        let settings = configs.for_path(&parsed_file.path).for_file(&parsed_file.path);
        if let Some(severity) = settings.rules.severity(diagnostic.rule, diagnostic.severity) {
            diagnostic.severity = severity;
            slot.push(diagnostic);
        }
    }
    about_plan.sort_by_key(|d| d.span.start);
    (per_file, about_plan)
}

/// Applies a file's suppression comments (and reports the unused ones).
fn apply_suppressions(
    file: &ParsedFile,
    mut diagnostics: Vec<Diagnostic>,
    config: &config::Config,
) -> (Vec<Diagnostic>, LineIndex) {
    let ParsedFile { path, source, suppressions, .. } = file;
    let settings = config.for_file(path);
    let lines = LineIndex::new(source);
    let used = suppress::apply(&mut diagnostics, suppressions, |offset| lines.line_of(offset));
    let custom: Vec<&str> = config.custom_rules.iter().map(|c| c.id).collect();
    rules::unused_suppression::report(suppressions, &used, &settings.rules, &custom, &mut diagnostics);
    (diagnostics, lines)
}

/// Where inference starts: from nothing, or from the last run's result on the same files,
/// some of which changed without changing what they tell other files
/// (`DiskCache::inference_seed`).
struct InferenceSeed {
    /// The last run's summaries, and every file's calls resolved with them.
    summaries: infer::Summaries,
    calls: Vec<PackedCalls>,
    /// The SDKs the project visibly used then: a file that changed may add or remove some,
    /// and then every file resolves differently.
    evidence: HashSet<usize>,
    /// What each file showed of them then, for the files that did not change.
    evidence_by_file: Vec<Option<Vec<usize>>>,
    /// The files that changed, to resolve again.
    dirty: Vec<bool>,
}

/// What wrapper inference gives the rest of the run.
struct Inferred {
    summaries: infer::Summaries,
    /// Every file's calls, resolved with the final summaries (`None` at the round limit).
    calls: Option<Vec<PackedCalls>>,
    /// The SDKs the project visibly uses, and what each file shows of them, for a next run's
    /// seed.
    evidence: HashSet<usize>,
    evidence_by_file: Vec<Vec<usize>>,
    /// By file: resolved at least once, when inference started from a seed.
    resolved: Option<Vec<bool>>,
}

/// Finds the project's own tracking functions in rounds: summarise the functions whose body
/// makes a tracking call with a parameter, then read the files that mention one of them (their
/// call sites), and again, until nothing new is found or [`infer::MAX_ROUNDS`] rounds have run.
fn infer_wrappers(
    parsed: &mut [ParsedFile],
    options: &Options,
    profiles: &Profiles,
    packages: &[resolve::Manifest],
    seed: Option<InferenceSeed>,
) -> Inferred {
    let mut summaries = infer::Summaries::default();
    let mut seen: HashSet<infer::Trigger> = HashSet::new();
    let mut constants_read = false;
    let timings = progress::Timings::from_env();
    // Paths and their order stay the same through the rounds; only facts change.
    let modules = resolve::ModuleIndex::new(&file_inputs(parsed));
    let mut evidence: Option<HashSet<usize>> = None;
    let mut evidence_by_file: Vec<Vec<usize>> = Vec::new();
    let mut kept_evidence: Vec<Option<Vec<usize>>> = Vec::new();
    // The last round's calls and the summaries they were resolved with, while no file's facts
    // changed since in what they tell other files: a file that mentions no summary that
    // changed, and whose own facts did not change (`dirty`), keeps its calls.
    let mut previous: Option<(Vec<PackedCalls>, infer::Summaries)> = None;
    let mut dirty: Vec<bool> = Vec::new();
    let mut expected_evidence = None;
    let mut resolved: Option<Vec<bool>> = None;
    if let Some(seed) = seed {
        summaries = seed.summaries.clone();
        previous = Some((seed.calls, seed.summaries));
        dirty = seed.dirty;
        expected_evidence = Some(seed.evidence);
        kept_evidence = seed.evidence_by_file;
        resolved = Some(vec![false; parsed.len()]);
    }
    for round in 1..=infer::MAX_ROUNDS {
        let (next, calls, triggers) = {
            let inputs = file_inputs(parsed);
            let known = match evidence.take() {
                Some(known) => resolve::Evidence::Known(known),
                None => resolve::Evidence::Collect(std::mem::take(&mut kept_evidence)),
            };
            let mut resolver = resolve::Resolver::for_round(&inputs, profiles, packages, &modules, known)
                .with_summaries(&summaries);
            // Collected in the first round only; later rounds are given the union.
            if round == 1 {
                evidence_by_file = resolver.take_evidence_by_file();
            }
            // A seed whose evidence differs was resolved under other SDKs: nothing of it stands.
            if expected_evidence.take().is_some_and(|expected| expected != *resolver.evidence()) {
                previous = None;
                timings.note("inference: the SDKs in evidence changed, every file is resolved again");
            }
            evidence = Some(resolver.evidence().clone());
            timings.mark("inference: project index");
            let (calls, redo): (Vec<PackedCalls>, Vec<bool>) = match previous.take() {
                Some((before, used)) if before.len() == inputs.len() => {
                    let changed = summaries.changed_since(&used);
                    let redo: Vec<bool> = parsed
                        .iter()
                        .enumerate()
                        .map(|(i, f)| dirty.get(i) == Some(&true) || changed.affects(i, f.language, &f.facts))
                        .collect();
                    if timings.enabled() {
                        timings.note(&format!(
                            "inference: {} files resolved again ({})",
                            redo.iter().filter(|r| **r).count(),
                            changed.describe()
                        ));
                    }
                    let calls = before
                        .into_par_iter()
                        .enumerate()
                        .map(|(i, old)| if redo[i] { PackedCalls::pack(&resolver.calls(i)) } else { old })
                        .collect();
                    (calls, redo)
                }
                _ => (
                    (0..inputs.len())
                        .into_par_iter()
                        .map(|i| PackedCalls::pack(&resolver.calls(i)))
                        .collect(),
                    vec![true; inputs.len()],
                ),
            };
            dirty.clear();
            if let Some(resolved) = &mut resolved {
                resolved.iter_mut().zip(&redo).for_each(|(r, redo)| *r |= *redo);
            }
            let infer_inputs: Vec<infer::InferInput> = parsed
                .iter()
                .zip(&calls)
                .map(|(f, calls)| infer::InferInput {
                    path: &f.path,
                    language: f.language,
                    facts: &f.facts,
                    calls,
                    source: &f.source,
                })
                .collect();
            timings.mark("inference: resolve every file");
            // The current summaries were made from the calls every file not resolved again
            // still has.
            let next = infer::summarise_again(&infer_inputs, &summaries, &redo);
            let triggers = next.triggers(&infer_inputs);
            timings.mark("inference: summarise");
            (next, calls, triggers)
        };
        let fresh: Vec<infer::Trigger> = triggers.into_iter().filter(|t| !seen.contains(t)).collect();
        if !fresh.is_empty() {
            let used = std::mem::replace(&mut summaries, next);
            seen.extend(fresh.iter().cloned());
            let read = reread_for_wrappers(parsed, options, profiles, &fresh, false);
            // Files read again with every call site kept: they alone need resolving again,
            // unless one now tells other files something new (a file read for the first time).
            if !read.outward_changed {
                dirty = read.files;
                previous = Some((calls, used));
            }
            timings.mark("inference: read call sites");
            continue;
        }
        if !next.same_as(&summaries) {
            let used = std::mem::replace(&mut summaries, next);
            previous = Some((calls, used));
            continue;
        }
        // A fixed point: these calls are the final ones, unless event constants defined in
        // files not read yet change them.
        if !constants_read {
            constants_read = true;
            if read_constants(parsed, options, profiles, &calls) {
                continue;
            }
        }
        timings.note(&format!("inference: a fixed point after {round} rounds"));
        let evidence = evidence.unwrap_or_default();
        return Inferred { summaries, calls: Some(calls), evidence, evidence_by_file, resolved };
    }
    timings.note("inference: stopped at the round limit");
    Inferred { summaries, calls: None, evidence: evidence.unwrap_or_default(), evidence_by_file, resolved }
}

/// What a file's outcome depends on besides its bytes: the names extraction keeps, the
/// prefilter, the limits and whether inference wants word hashes.
fn extraction_fingerprint(options: &Options, extract: &HashMap<Language, ExtractOptions>) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for language in Language::ALL {
        if let Some(e) = extract.get(&language) {
            let mut names: Vec<&String> = e.method_names.iter().collect();
            names.sort();
            (language.name(), names, &e.property_methods, &e.modifiers_structs).hash(&mut hasher);
        }
    }
    (options.prefilter, options.config.inference_disabled, options.max_file_size, options.parse_timeout_ms)
        .hash(&mut hasher);
    hasher.finish()
}

/// What the on-disk cache's file is keyed by besides the build: extraction and the prefilter.
fn disk_fingerprint(
    options: &Options,
    extract_options: &HashMap<Language, ExtractOptions>,
    prefilter: &HashMap<Language, prefilter::Prefilter>,
) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    extraction_fingerprint(options, extract_options).hash(&mut hasher);
    for language in Language::ALL {
        prefilter.get(&language).map(prefilter::Prefilter::fingerprint).hash(&mut hasher);
    }
    hasher.finish()
}

/// Every parsed file as resolution reads it.
fn file_inputs(parsed: &[ParsedFile]) -> Vec<resolve::FileInput<'_>> {
    parsed
        .iter()
        .map(|f| resolve::FileInput { path: &f.path, language: f.language, facts: &f.facts })
        .collect()
}

/// Event names passed as constants defined in files that hold no tracking call
/// (`TrackEvent::SIGNED_UP` in `app/models/track_event.rb`): those files are read too, so the
/// constants' values are checked where they are used. Whether any file was read.
fn read_constants(
    parsed: &mut [ParsedFile],
    options: &Options,
    profiles: &Profiles,
    calls: &[PackedCalls],
) -> bool {
    let mut wanted: Vec<infer::Trigger> = parsed
        .par_iter()
        .zip(calls)
        .flat_map_iter(|(f, calls)| {
            let calls = calls.unpack();
            // Event names, and the token and secret a client is built with (a settings
            // module's `MIXPANEL_TOKEN`).
            let mut paths: Vec<&[String]> = Vec::new();
            for value in
                calls.iter().flat_map(|c| [c.event.as_ref(), c.token.as_deref(), c.secret.as_deref()])
            {
                constant_paths(value, &f.facts, 2, &mut paths);
            }
            paths
                .into_iter()
                // `TrackEvent::SIGNED_UP`, `Events.SIGNED_UP`: the module and the name.
                .flat_map(|segments| segments.iter().flat_map(|s| s.split("::")))
                .filter(|part| part.starts_with(|c: char| c.is_ascii_uppercase()))
                .map(|part| infer::Trigger::word(part.to_string(), f.language))
                .collect::<Vec<_>>()
        })
        .collect();
    wanted.sort();
    wanted.dedup();
    !wanted.is_empty() && reread_for_wrappers(parsed, options, profiles, &wanted, true).any()
}

/// Files read again for inference ([`reread_for_wrappers`]).
struct Reread {
    /// By file: read again.
    files: Vec<bool>,
    /// A file read again tells other files something it did not (it was read for the first
    /// time, or its [`FileFacts::outward_digest`] changed): every file must be resolved again.
    outward_changed: bool,
}

impl Reread {
    fn any(&self) -> bool {
        self.files.contains(&true)
    }
}

/// The names a value may take from constants: its own path, the options of a choice, and
/// what a local of that name is assigned anywhere in the file (`event = None`, then
/// `event = INSTANCE_CREATED` in a branch), `hops` locals deep. Only what to read is decided
/// from these; the value is resolved where it is used.
fn constant_paths<'f>(
    value: Option<&'f model::Value>,
    facts: &'f FileFacts,
    hops: usize,
    out: &mut Vec<&'f [String]>,
) {
    let Some(value) = value else { return };
    match &value.kind {
        model::ValueKind::Path(p) => {
            out.push(&p.segments);
            if let [name] = p.segments.as_slice()
                && hops > 0
            {
                for local in facts.locals.iter().filter(|l| l.name == *name) {
                    constant_paths(Some(&local.value), facts, hops - 1, out);
                }
            }
        }
        model::ValueKind::OneOf(options) if hops > 0 => {
            for option in options {
                constant_paths(Some(option), facts, hops - 1, out);
            }
        }
        _ => {}
    }
}

/// Reads again, with the summarised names among the call sites kept, the files that mention
/// one of the `fresh` names (with `unread_only`, only files the prefilter skipped so far).
fn reread_for_wrappers(
    parsed: &mut [ParsedFile],
    options: &Options,
    profiles: &Profiles,
    fresh: &[infer::Trigger],
    unread_only: bool,
) -> Reread {
    // Every call site is kept, whatever its method: one more read serves every later round.
    let mut extract: HashMap<Language, ExtractOptions> = ExtractOptions::per_language(profiles);
    for options in extract.values_mut() {
        options.keep_all_calls = true;
    }
    // No literal prefilter: the file's hashed identifiers already said it mentions a name.
    let no_prefilter = HashMap::new();
    // Files read again are kept in the on-disk cache as read with every call site.
    let keyed = options.cache_dir.is_some();
    let triggers = infer::TriggerSet::new(fresh);
    let outcomes: Vec<Option<(Outcome, Option<CacheKey>)>> = parsed
        .par_iter()
        .map(|f| {
            // A file read with every call site kept needs no other read; one the front-end
            // already read holds its constants; one that mentions none of the names is skipped
            // without reading it.
            if f.all_sites
                || (unread_only && !f.facts.scope_parents.is_empty())
                || !triggers.any_matches(&f.path, f.language, &f.facts)
            {
                return None;
            }
            let run = || process_file(&f.path, f.language, options, &no_prefilter, &extract, keyed);
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)).ok()
        })
        .collect();
    if std::env::var_os("TRACKLINT_TIMINGS").is_some() {
        let parsed_again = outcomes
            .iter()
            .filter(
                |o| matches!(o, Some((Outcome::Parsed { facts, .. }, _)) if !facts.scope_parents.is_empty()),
            )
            .count();
        let twice = outcomes
            .iter()
            .zip(parsed.iter())
            .filter(|(o, f)| o.is_some() && !f.facts.scope_parents.is_empty())
            .count();
        eprintln!(
            "timing: inference parses {parsed_again} files again ({twice} parsed before) for {} triggers",
            fresh.len()
        );
        if std::env::var_os("TRACKLINT_TIMINGS_NAMES").is_some() {
            for t in fresh {
                let n = parsed.iter().filter(|f| t.matches(&f.path, f.language, &f.facts)).count();
                eprintln!("timing:   {t:?} matches {n} files");
            }
        }
    }
    let mut reread = Reread { files: vec![false; parsed.len()], outward_changed: false };
    for ((file, outcome), read) in parsed.iter_mut().zip(outcomes).zip(&mut reread.files) {
        // A file without any of the names keeps what it had; so does one that failed now.
        // What the first read noted stands (the run reports each file's notes once, from it).
        if let Some((Outcome::Parsed { source, facts, suppressions, .. }, key)) = outcome
            && !facts.scope_parents.is_empty()
        {
            if !reread.outward_changed {
                let was =
                    (!file.facts.scope_parents.is_empty()).then(|| file.facts.outward_digest()).flatten();
                reread.outward_changed = was.is_none() || was != facts.outward_digest();
            }
            file.read_anew(source, *facts, suppressions, key, true);
            *read = true;
        }
    }
    reread
}

/// What the report shows of a file's calls, besides the calls themselves.
struct ShownCalls {
    /// How many calls `events` lists.
    listed: usize,
    /// The wrapper each call site calls first, and where the site starts.
    first_wrappers: Vec<(model::Via, usize)>,
    /// The (SDK, method) pairs called, when a config declares wrappers (`unused-wrapper`).
    methods: Vec<(model::Shared, model::Shared)>,
    /// A call goes through the project's own functions (findings name them).
    through_wrappers: bool,
}

impl ShownCalls {
    fn of(calls: &[Call], want_methods: bool) -> ShownCalls {
        let mut methods: Vec<(model::Shared, model::Shared)> = if want_methods {
            calls.iter().map(|c| (c.sdk.clone(), c.method.clone())).collect()
        } else {
            Vec::new()
        };
        methods.sort();
        methods.dedup();
        ShownCalls {
            listed: listed_calls(calls).count(),
            first_wrappers: calls
                .iter()
                .filter_map(|c| Some((c.via.first()?.clone(), c.span.start)))
                .collect(),
            methods,
            through_wrappers: calls.iter().any(|c| !c.via.is_empty()),
        }
    }
}

/// One file's calls between the two passes over them: packed, what the report shows of them,
/// and where the file's code runs (not packed with them: it is the file's, worked out once).
struct PreparedFile {
    calls: PackedCalls,
    shown: ShownCalls,
    place: context::FilePlace,
}

/// Marks the calls of one parsed file whose event is their wrapper's parameter and places them
/// in the file; returns whether a call changed in a way its packed form keeps, and the place.
fn prepare_calls(
    calls: &mut [Call],
    index: usize,
    file: &ParsedFile,
    forwarding: &HashSet<(usize, model::Span)>,
) -> (bool, context::FilePlace) {
    let mut changed = false;
    for call in calls.iter_mut() {
        let from_parameter = forwarding.contains(&(index, call.span));
        changed |= call.event_from_parameter != from_parameter;
        call.event_from_parameter = from_parameter;
    }
    // Where the file's code runs matters only to its calls.
    let place = if calls.is_empty() {
        context::FilePlace::default()
    } else {
        context::of_file(&file.path, file.language)
    };
    place_calls(calls, &place);
    (changed, place)
}

/// Where the file's code runs, on each of its calls.
fn place_calls(calls: &mut [Call], place: &context::FilePlace) {
    for call in calls {
        call.context.file_request = place.request;
        call.context.file_backfill = place.backfill.clone();
    }
}

/// The file rules' findings in one parsed file (suppressions not yet applied).
fn file_rules(
    calls: &[Call],
    file: &ParsedFile,
    config: &config::Config,
    profiles: &Profiles,
) -> Vec<Diagnostic> {
    let ParsedFile { path, language, source, .. } = file;
    let settings = config.for_file(path);
    let file = rules::FileCalls {
        path,
        language: *language,
        source,
        calls,
        settings: &settings.rules,
        config_path: &settings.relative,
        profiles,
    };
    let mut diagnostics = rules::check_file(&file);
    rules::custom::check(&config.custom_rules, calls, &mut diagnostics);
    // A wrapper that sends to two SDKs, or a call whose event can be one of two names, makes
    // two calls at one site; two calls send one local's properties: a finding about one place
    // is one finding.
    if diagnostics.len() > 1 {
        let mut seen = HashSet::new();
        diagnostics.retain(|d| seen.insert((d.rule, d.span, d.message.clone())));
    }
    diagnostics
}

/// A finding at a call of the project's own tracking function says which function, and where
/// it is defined: the SDK call is there, not here.
fn name_the_wrappers(calls: &[Call], diagnostics: &mut [Diagnostic]) {
    let mut through: Vec<&Call> = calls.iter().filter(|c| !c.via.is_empty()).collect();
    if through.is_empty() {
        return;
    }
    through.sort_by_key(|c| (c.span.start, std::cmp::Reverse(c.span.end)));
    for d in diagnostics.iter_mut() {
        // The innermost wrapper call around the finding: calls starting at or before it; or
        // the call whose value is written elsewhere (`name = cond ? 'A' : 'B'` above it).
        let before = through.partition_point(|c| c.span.start <= d.span.start);
        let around = || through[..before].iter().rev().take(64).filter(|c| d.span.end <= c.span.end);
        let tightest = around().map(|c| c.span.end - c.span.start).min();
        let around = around().filter(|c| Some(c.span.end - c.span.start) == tightest);
        let written_elsewhere = || {
            through.iter().find(|c| {
                c.event.iter().chain(c.identities.iter().map(|i| &i.value)).any(|v| v.span == d.span)
            })
        };
        // One wrapper call can reach several SDK calls (`sign_in` tracks and increments), each
        // through its own chain, and a finding at that call names only what they share.
        let shared = around.map(|c| c.via.as_slice()).reduce(|a, b| {
            let same = a.iter().zip(b).take_while(|(x, y)| x == y).count();
            &a[..same]
        });
        let via = match shared {
            Some(via) => via,
            None => match written_elsewhere() {
                Some(call) => call.via.as_slice(),
                None => continue,
            },
        };
        if via.is_empty() {
            continue;
        }
        let chain: Vec<String> = via
            .iter()
            .map(|v| format!("`{}`, {}:{}", v.name, text::visible(&text::display_path(&v.path)), v.line))
            .collect();
        d.message.push_str(&format!(" (through {})", chain.join(" → ")));
        d.via = via.to_vec();
    }
}

/// What the report keeps of a file's calls after the rules.
struct ReportedFile {
    calls: PackedCalls,
    listed: usize,
    /// The wrapper each call site calls first, and where the site starts.
    first_wrappers: Vec<(model::Via, usize)>,
    /// The (SDK, method) pairs called, when a config declares wrappers (`unused-wrapper`).
    methods: Vec<(model::Shared, model::Shared)>,
    diagnostics: Vec<Diagnostic>,
    lines: LineIndex,
}

/// A file that was read and parsed, waiting for project-wide resolution.
struct ParsedFile {
    path: PathBuf,
    language: Language,
    /// Empty when the file holds no call site and no suppression (nothing will show it).
    source: String,
    facts: FileFacts,
    suppressions: Vec<suppress::Suppression>,
    /// Read again for wrapper inference with every call site kept.
    all_sites: bool,
    /// What reading it noted (syntax errors, invalid UTF-8), for the cache.
    notes: Vec<String>,
    /// The file's stamp and content hash when it was read, for the on-disk cache.
    key: Option<CacheKey>,
    /// Read and parsed in this run (or its cache entry changed): its entry must be written.
    fresh: bool,
    /// The facts as the cache stored them, until the run decodes them into `facts` (a run
    /// answered from its results never does).
    packed_facts: Option<Box<[u8]>>,
    /// The parser had to recover somewhere (kept when the facts are dropped).
    syntax_error: bool,
    /// Changed since its cache entry was written: what that entry said to other files (see
    /// [`Before`]).
    before: Option<Before>,
}

/// A changed file's cache entry as it was: the content hash it was made from, and its facts
/// as stored. When the new facts tell other files the same ([`FileFacts::outward_digest`]),
/// inference need not resolve those files again; the old facts are decoded only to ask that.
struct Before {
    hash: u128,
    facts: Box<[u8]>,
}

impl Before {
    /// What the old facts told other files.
    fn outward_digest(&self) -> Option<u128> {
        decode_facts(&self.facts)?.outward_digest()
    }
}

impl ParsedFile {
    /// The file as read and parsed again in this run (its cache entry is written anew).
    fn read_anew(
        &mut self,
        source: String,
        facts: FileFacts,
        suppressions: Vec<suppress::Suppression>,
        key: Option<CacheKey>,
        all_sites: bool,
    ) {
        self.syntax_error = facts.syntax_error.is_some();
        self.source = source;
        self.facts = facts;
        self.packed_facts = None;
        self.suppressions = suppressions;
        self.all_sites = all_sites;
        self.key = key;
        self.fresh = true;
    }
}

/// What `check` and the parse floor share before reading files: the paths exist, the parse
/// timeout is set, and the walk's files minus the config's excludes (files named on the
/// command line are kept).
fn start(options: &Options) -> Result<walk::Walked, FatalError> {
    for path in options.paths.iter().filter(|p| options.stdin.as_ref().is_none_or(|(s, _)| s != *p)) {
        let shown = text::visible(&path.to_string_lossy()).into_owned();
        let meta = match std::fs::metadata(path) {
            Ok(meta) => meta,
            Err(_) if std::fs::symlink_metadata(path).is_ok() => {
                return Err(FatalError(format!("{shown}: a symbolic link whose target does not exist")));
            }
            Err(_) => return Err(FatalError(format!("path not found: {shown}"))),
        };
        // A path the user named that cannot be read is an error, not a clean run.
        let readable = if meta.is_dir() {
            std::fs::read_dir(path).map(|_| ())
        } else if meta.is_file() {
            std::fs::File::open(path).map(|_| ())
        } else {
            Ok(())
        };
        if let Err(e) = readable {
            return Err(FatalError(format!("cannot read {shown}: {e}")));
        }
    }
    frontend::set_parse_timeout_ms(options.parse_timeout_ms);
    let mut walked = walk::walk(
        &options.paths,
        &walk::WalkOptions {
            default_excludes: options.default_excludes,
            threads: rayon::current_num_threads(),
        },
    );
    let explicit: Vec<PathBuf> = options.paths.iter().map(|p| fsutil::clean(p)).collect();
    walked.files.retain(|(path, _)| explicit.contains(path) || !options.config.is_excluded(path));
    // The editor's buffer is linted whether or not the file exists on disk yet.
    if let Some((path, _)) = &options.stdin {
        let path = fsutil::clean(path);
        let Some(language) = walk::language_of(&path) else {
            return Err(FatalError(format!(
                "--stdin-filename {}: not a file tracklint reads (Ruby, JavaScript, TypeScript, Python, Rust or an HTML template)",
                path.display()
            )));
        };
        if !walked.files.iter().any(|(p, _)| *p == path) {
            walked.files.push((path, language));
            walked.files.sort();
        }
    }
    Ok(walked)
}

/// Reads and processes one file; with `keyed`, also its stamp and content hash for the
/// on-disk cache.
fn process_file(
    path: &std::path::Path,
    language: Language,
    options: &Options,
    prefilter: &HashMap<Language, prefilter::Prefilter>,
    extract_options: &HashMap<Language, ExtractOptions>,
    keyed: bool,
) -> (Outcome, Option<CacheKey>) {
    // Debug builds only: the tests' way to make a bug of ours happen in one file.
    #[cfg(debug_assertions)]
    if let Some(trigger) = std::env::var_os("TRACKLINT_TEST_PANIC")
        && path.to_string_lossy().contains(trigger.to_string_lossy().as_ref())
    {
        panic!("test panic in {}", path.display());
    }
    let stdin = options.stdin.as_ref().filter(|(p, _)| fsutil::clean(p) == path).map(|(_, text)| text);
    if let Some(text) = stdin {
        if text.len() as u64 > options.max_file_size {
            return (too_large(text.len() as u64, options), None);
        }
        return (process_bytes(text.clone(), language, options, prefilter, extract_options), None);
    }
    // The stamp is taken before the read: a write during the read changes it for next time.
    let stamp = if keyed {
        std::fs::symlink_metadata(path).ok().and_then(|m| cache::disk::Stamp::of(&m))
    } else {
        None
    };
    match read_bytes(path, options) {
        Ok(bytes) => {
            let key = keyed.then(|| CacheKey { stamp, hash: cache::disk::content_hash(&bytes) });
            (process_bytes(bytes, language, options, prefilter, extract_options), key)
        }
        Err(outcome @ Outcome::Skipped(_)) => (outcome, keyed.then_some(CacheKey { stamp, hash: 0 })),
        Err(outcome) => (outcome, None),
    }
}

fn too_large(size: u64, options: &Options) -> Outcome {
    Outcome::Skipped(format!(
        "skipped: {} bytes is over the {} byte limit for one file",
        size, options.max_file_size
    ))
}

/// One bounded read of a file on disk.
fn read_bytes(path: &std::path::Path, options: &Options) -> Result<Vec<u8>, Outcome> {
    // Bounded at the read: the file may have grown (or changed kind) since the walk; a path
    // that turned into a FIFO would block the read for ever.
    match fsutil::read_regular(path, options.max_file_size, None) {
        Ok(b) => Ok(b),
        Err(fsutil::ReadError::TooLarge(size)) => Err(too_large(size, options)),
        Err(fsutil::ReadError::NotRegular) => Err(Outcome::Skipped("skipped: not a regular file".into())),
        Err(fsutil::ReadError::Refused(e)) => Err(Outcome::Failed(format!("cannot read: {e}"))),
    }
}

/// A file's text as the front-ends read it: invalid UTF-8 replaced (with a note), no
/// byte-order mark.
fn decode(bytes: Vec<u8>, notes: &mut Vec<String>) -> String {
    let mut source = match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            notes.push(format!("invalid UTF-8 at byte {at}; linted with the invalid bytes replaced"));
            String::from_utf8_lossy(e.as_bytes()).into_owned()
        }
    };
    // Editors do not count a byte-order mark as a column.
    if source.starts_with('\u{feff}') {
        source.drain(..3);
    }
    source
}

/// Prefilters, parses and extracts one file's bytes.
fn process_bytes(
    bytes: Vec<u8>,
    language: Language,
    options: &Options,
    prefilter: &HashMap<Language, prefilter::Prefilter>,
    extract_options: &HashMap<Language, ExtractOptions>,
) -> Outcome {
    if bytes.iter().take(8192).any(|&b| b == 0) {
        return Outcome::Skipped("skipped: binary file (contains NUL bytes)".into());
    }
    // What later inference rounds ask of a file they would otherwise read again.
    let words =
        if options.config.inference_disabled { Box::default() } else { frontend::word_hashes(&bytes) };
    if options.prefilter && prefilter.get(&language).is_some_and(|p| !p.is_match(&bytes)) {
        return Outcome::Parsed {
            source: String::new(),
            facts: Box::new(FileFacts { words, ..FileFacts::default() }),
            suppressions: Vec::new(),
            notes: Vec::new(),
        };
    }
    let mut notes = Vec::new();
    let source = decode(bytes, &mut notes);
    let Some(extract_options) = extract_options.get(&language) else {
        return Outcome::Internal(format!("internal error: no extraction options for {}", language.name()));
    };
    match frontend::extract(language, &source, extract_options) {
        Ok(mut facts) => {
            facts.words = words;
            if let Some(span) = facts.syntax_error {
                let (line, col) = LineIndex::new(&source).line_col(&source, span.start);
                notes.push(format!(
                    "syntax error at {line}:{col} (or syntax the parser does not know); the rest of the file was still checked"
                ));
            }
            let suppressions = suppress::parse(&source);
            // Source-reading rules (tokens, secrets) look at files that bind a client too.
            let keep = !facts.sites.is_empty() || !suppressions.is_empty() || !facts.bindings.is_empty();
            facts.compact();
            let facts = Box::new(facts);
            Outcome::Parsed { source: if keep { source } else { String::new() }, facts, suppressions, notes }
        }
        Err(frontend::ParseFailure::NoTree) => Outcome::Skipped(format!(
            "skipped: parsing took longer than the {} ms limit (--parse-timeout)",
            options.parse_timeout_ms
        )),
        Err(frontend::ParseFailure::TooDeep(what)) => {
            Outcome::Skipped(format!("skipped: {what}, deeper than tracklint parses safely"))
        }
        Err(frontend::ParseFailure::Grammar(e)) => {
            Outcome::Internal(format!("internal error: cannot load grammar: {e}"))
        }
    }
}

/// A file's stamp and content hash when it was read.
#[derive(Clone, Copy)]
struct CacheKey {
    stamp: Option<cache::disk::Stamp>,
    hash: u128,
}

/// What reading one file gave, and how.
struct Read {
    outcome: Outcome,
    key: Option<CacheKey>,
    /// Its facts keep every call site (a cache entry written after inference read it again).
    all_sites: bool,
    /// Its cache entry must be written.
    fresh: bool,
    /// From the cache: the facts as stored, decoded only if the run needs them (a run
    /// answered from its results does not), and whether the parser had to recover.
    packed_facts: Option<(Box<[u8]>, bool)>,
    /// Changed since its cache entry: what the entry said to other files.
    before: Option<Before>,
}

impl Read {
    fn fresh(outcome: Outcome, key: Option<CacheKey>) -> Read {
        Read { outcome, key, all_sites: false, fresh: true, packed_facts: None, before: None }
    }

    /// The read with its facts decoded (for a process that keeps it between runs); bytes
    /// that do not decode are read and parsed anew by `reread`.
    fn decoded(mut self, reread: impl FnOnce() -> (Outcome, Option<CacheKey>)) -> Read {
        let Some((bytes, _)) = self.packed_facts.take() else { return self };
        match (decode_facts(&bytes), &mut self.outcome) {
            (Some(decoded), Outcome::Parsed { facts, .. }) => {
                **facts = decoded;
                self
            }
            _ => {
                let (outcome, key) = reread();
                Read::fresh(outcome, key)
            }
        }
    }
}

/// A file's facts as the cache stores them (postcard bytes).
fn decode_facts(bytes: &[u8]) -> Option<FileFacts> {
    postcard::from_bytes(bytes).ok()
}

/// A file's facts written into its cache entry as bytes: encoded now, or kept as read.
enum FactsBytes<'a> {
    Encode(&'a FileFacts),
    Kept(&'a [u8]),
}

impl serde::Serialize for FactsBytes<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            FactsBytes::Encode(facts) => {
                let bytes = postcard::to_allocvec(facts).map_err(serde::ser::Error::custom)?;
                s.serialize_bytes(&bytes)
            }
            FactsBytes::Kept(bytes) => s.serialize_bytes(bytes),
        }
    }
}

/// A file's entry in the on-disk cache. The variants and fields are those of
/// [`CachedRecordRef`], which writes them.
#[derive(serde::Deserialize, serde::Serialize)]
enum CachedRecord {
    Parsed {
        /// The facts, encoded on their own: decoded only when the run needs them.
        #[serde(with = "model::serde_bytes_boxed")]
        facts: Box<[u8]>,
        syntax_error: bool,
        suppressions: Vec<suppress::Suppression>,
        notes: Vec<String>,
        /// The file's text is needed (it has call sites, bindings or suppressions): it is read
        /// again, and its hash checked, on a hit.
        keeps_source: bool,
        all_sites: bool,
    },
    Skipped(String),
}

/// [`CachedRecord`] by reference, for writing without copying every file's facts.
#[derive(serde::Serialize)]
enum CachedRecordRef<'a> {
    Parsed {
        facts: FactsBytes<'a>,
        syntax_error: bool,
        suppressions: &'a [suppress::Suppression],
        notes: &'a [String],
        keeps_source: bool,
        all_sites: bool,
    },
    Skipped(&'a str),
}

/// An entry to write: one made in this run, or one kept from the cache file (a file this run
/// did not look at).
#[derive(serde::Serialize)]
#[serde(untagged)]
enum RecordToWrite<'a> {
    Now(CachedRecordRef<'a>),
    Kept(&'a CachedRecord),
}

/// The on-disk cache during one run: the entries read from its file, taken as files are
/// looked at; what is left at the end are files this run did not look at.
struct DiskCache {
    location: cache::disk::Location,
    entries: std::sync::Mutex<HashMap<String, cache::disk::Entry<CachedRecord>>>,
    hits: std::sync::atomic::AtomicUsize,
    misses: std::sync::atomic::AtomicUsize,
    warnings: Vec<String>,
    /// The file could not be trusted or there was none: it is written whatever happens.
    rebuild: bool,
    /// The file as loaded, with the changes written beside it since: a run that changes few
    /// entries writes only the changes.
    layers: Option<cache::disk::Layers>,
    /// What inference found in the run that wrote the cache, with the hash of the files it
    /// was made from ([`project_hash`]).
    project: std::sync::Mutex<Option<(u128, infer::Summaries)>>,
    /// The cached inference was used (nothing to write for it).
    project_used: std::sync::atomic::AtomicBool,
    /// The inference file as loaded for a seed that was granted, to write this run's changes
    /// over.
    inference_layers: std::sync::Mutex<Option<cache::disk::Layers>>,
    /// The hash of the project's manifests, part of what inference and results are keyed by.
    manifests: u128,
}

/// Where the project's inference result is kept, beside the file entries.
const PROJECT_FILE: &str = "project";

/// Where a run's results are kept (calls and findings per file), for a next run on the same
/// files with the same settings.
const RESULTS_FILE: &str = "results";

/// One entry of the results file, as written: a file's results (suppressions applied,
/// `--select` not: it only filters what is shown), or, under the name "", the findings about
/// the tracking plan.
#[derive(serde::Serialize)]
enum ResultRecordRef<'a> {
    File {
        calls: &'a PackedCalls,
        listed: usize,
        first_wrappers: &'a [(model::Via, usize)],
        methods: &'a [(model::Shared, model::Shared)],
        diagnostics: &'a [Diagnostic],
    },
    Plan(&'a [Diagnostic]),
}

/// [`ResultRecordRef`] as read back (the variants and fields in the same order).
#[derive(serde::Deserialize)]
#[serde(rename = "ResultRecordRef")]
enum ResultRecord {
    File {
        calls: PackedCalls,
        listed: usize,
        first_wrappers: Vec<(model::Via, usize)>,
        methods: Vec<(model::Shared, model::Shared)>,
        diagnostics: Vec<diagnostic::StoredDiagnostic>,
    },
    Plan(Vec<diagnostic::StoredDiagnostic>),
}

/// A run answered from the results file.
struct Reused {
    summaries: infer::Summaries,
    files: Vec<ReportedFile>,
    plan: Vec<Diagnostic>,
}

/// What a run's results depend on besides the build (the cache file is per build): every
/// file's path and content, every config's path and text, the plan's, the working directory
/// (paths in messages are shown relative to it). `None` when a run's results are not kept: a
/// file without a content hash (an editor's buffer), a long-lived process, profiles given
/// in code.
fn results_key(
    parsed: &[ParsedFile],
    manifests: u128,
    options: &Options,
    configs: &config::Configs,
) -> Option<u128> {
    let mut bytes = project_hash(parsed, manifests)?.to_le_bytes().to_vec();
    let mut texts = settings_texts(options, configs)?;
    if let Some(plan) = &options.plan {
        texts.push(plan.path.as_os_str().as_encoded_bytes());
        texts.push(plan.source.as_bytes());
    }
    let cwd = std::env::current_dir().unwrap_or_default();
    texts.push(cwd.as_os_str().as_encoded_bytes());
    for text in texts {
        bytes.extend_from_slice(&(text.len() as u64).to_le_bytes());
        bytes.extend_from_slice(text);
    }
    Some(cache::disk::content_hash(&bytes))
}

/// What a run's kept results and inference depend on in its settings: every config's path and
/// text, and how inference runs. `None` when nothing of the run is kept: an editor's buffer, a
/// long-lived process, profiles given in code.
fn settings_texts<'a>(options: &'a Options, configs: &'a config::Configs) -> Option<Vec<&'a [u8]>> {
    if options.stdin.is_some() || options.cache.is_some() || !options.extra_profiles.is_empty() {
        return None;
    }
    let mut texts: Vec<&[u8]> = Vec::new();
    for config in configs.all() {
        texts.push(config.path.as_deref().map(|p| p.as_os_str().as_encoded_bytes()).unwrap_or_default());
        texts.push(config.source.as_bytes());
    }
    texts.push(if options.config.inference_disabled { b"inference off" } else { b"inference on" });
    texts.push(if options.nested_configs { b"nested configs" } else { b"one config" });
    Some(texts)
}

/// Writes the run's results under `key` (every entry carries it).
fn store_results(
    location: &cache::disk::Location,
    key: u128,
    parsed: &[ParsedFile],
    per_file: &[ReportedFile],
    plan_findings: &[Diagnostic],
) -> Result<(), String> {
    let entry = |record| cache::disk::Entry { stamp: None, hash: key, record };
    let mut entries = vec![(String::new(), entry(ResultRecordRef::Plan(plan_findings)))];
    for (file, reported) in parsed.iter().zip(per_file) {
        if reported.calls.is_empty() && reported.diagnostics.is_empty() {
            continue;
        }
        let Some(name) = cache_name(&file.path) else { return Err("a path is not UTF-8".into()) };
        let record = ResultRecordRef::File {
            calls: &reported.calls,
            listed: reported.listed,
            first_wrappers: &reported.first_wrappers,
            methods: &reported.methods,
            diagnostics: &reported.diagnostics,
        };
        entries.push((name, entry(record)));
    }
    location.store(&entries)
}

/// The files of a run, in order, as what inference depends on: their paths, contents (hashes)
/// and whether they were read with every call site, and the manifests' hash
/// ([`manifest::manifests_hash`]). `None` if a file has no content hash (the editor's buffer).
fn project_hash(parsed: &[ParsedFile], manifests: u128) -> Option<u128> {
    let mut bytes = Vec::with_capacity(parsed.len() * 64 + 16);
    bytes.extend_from_slice(&manifests.to_le_bytes());
    for file in parsed {
        let key = file.key?;
        bytes.extend_from_slice(file.path.as_os_str().as_encoded_bytes());
        bytes.push(0);
        bytes.extend_from_slice(&key.hash.to_le_bytes());
        bytes.push(u8::from(file.all_sites));
    }
    Some(cache::disk::content_hash(&bytes))
}

/// The key of a file in the cache: its absolute path, when it is UTF-8.
fn cache_name(path: &std::path::Path) -> Option<String> {
    std::path::absolute(path).ok()?.into_os_string().into_string().ok()
}

impl DiskCache {
    fn open(dir: &std::path::Path, fingerprint: u64, manifests: u128) -> DiskCache {
        let location = cache::disk::Location::new(dir, fingerprint);
        let (entries, warning, layers) = location.load_layered::<CachedRecord>();
        let rebuild = entries.is_empty();
        let (mut project, _) = location.sibling(PROJECT_FILE).load::<infer::Summaries>();
        let project = project.remove("").map(|entry| (entry.hash, entry.record));
        DiskCache {
            project: std::sync::Mutex::new(project),
            project_used: Default::default(),
            inference_layers: Default::default(),
            location,
            entries: std::sync::Mutex::new(entries),
            hits: Default::default(),
            misses: Default::default(),
            warnings: warning
                .map(|w| format!("the cache was not used and is rebuilt: {w}"))
                .into_iter()
                .collect(),
            rebuild,
            layers,
            manifests,
        }
    }

    /// The cached inference result, when every file of this run is unchanged since it was
    /// made (and none was parsed anew).
    fn project_summaries(&self, parsed: &[ParsedFile]) -> Option<infer::Summaries> {
        use std::sync::atomic::Ordering::Relaxed;
        if self.misses.load(Relaxed) > 0 {
            return None;
        }
        let hash = project_hash(parsed, self.manifests)?;
        let mut project = self.project.lock().unwrap_or_else(|e| e.into_inner());
        // Left in place otherwise: a changed project may still start from it.
        if project.as_ref().is_some_and(|(made_from, _)| *made_from == hash) {
            self.project_used.store(true, Relaxed);
            return project.take().map(|(_, summaries)| summaries);
        }
        None
    }

    /// The results of the last run, when it ran on these very files (every one unchanged)
    /// with the same settings, and every finding's rule is one of this run's.
    fn reuse_results(
        &self,
        parsed: &[ParsedFile],
        options: &Options,
        configs: &config::Configs,
    ) -> Option<Reused> {
        use std::sync::atomic::Ordering::Relaxed;
        if self.misses.load(Relaxed) > 0 {
            return None;
        }
        let key = results_key(parsed, self.manifests, options, configs)?;
        let (mut entries, _) = self.location.sibling(RESULTS_FILE).load::<ResultRecord>();
        if entries.is_empty() || entries.values().any(|e| e.hash != key) {
            return None;
        }
        let rule = |stored: diagnostic::StoredDiagnostic| -> Option<Diagnostic> {
            let id = rules::find(&stored.rule).map(|r| r.meta().id).or_else(|| {
                configs.all().flat_map(|c| &c.custom_rules).find(|c| c.id == stored.rule).map(|c| c.id)
            })?;
            Some(stored.into_diagnostic(id))
        };
        let plan = match entries.remove("")?.record {
            ResultRecord::Plan(stored) => stored.into_iter().map(rule).collect::<Option<Vec<_>>>()?,
            ResultRecord::File { .. } => return None,
        };
        let mut files = Vec::with_capacity(parsed.len());
        for file in parsed {
            let record = cache_name(&file.path).and_then(|name| entries.remove(&name)).map(|e| e.record);
            let reported = match record {
                None => ReportedFile {
                    calls: PackedCalls::default(),
                    listed: 0,
                    first_wrappers: Vec::new(),
                    methods: Vec::new(),
                    diagnostics: Vec::new(),
                    lines: LineIndex::new(""),
                },
                Some(ResultRecord::File { calls, listed, first_wrappers, methods, diagnostics }) => {
                    ReportedFile {
                        calls,
                        listed,
                        first_wrappers,
                        methods,
                        diagnostics: diagnostics.into_iter().map(rule).collect::<Option<Vec<_>>>()?,
                        lines: LineIndex::new(&file.source),
                    }
                }
                Some(ResultRecord::Plan(_)) => return None,
            };
            files.push(reported);
        }
        // An entry for a file this run does not have: not the same files.
        if !entries.is_empty() {
            return None;
        }
        let summaries = if options.config.inference_disabled {
            infer::Summaries::default()
        } else {
            self.project_summaries(parsed)?
        };
        Some(Reused { summaries, files, plan })
    }

    fn take(&self, name: &str) -> Option<cache::disk::Entry<CachedRecord>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).remove(name)
    }

    /// The file's outcome from its entry when the file is unchanged (by stamp, or else by
    /// content), otherwise from reading and parsing it.
    fn read_through(
        &self,
        path: &std::path::Path,
        language: Language,
        options: &Options,
        prefilter: &HashMap<Language, prefilter::Prefilter>,
        extract_options: &HashMap<Language, ExtractOptions>,
    ) -> Read {
        use std::sync::atomic::Ordering::Relaxed;
        let entry = cache_name(path).and_then(|name| self.take(&name));
        let Some(entry) = entry else {
            self.misses.fetch_add(1, Relaxed);
            let (outcome, key) = process_file(path, language, options, prefilter, extract_options, true);
            return Read::fresh(outcome, key);
        };
        let stamp = std::fs::symlink_metadata(path).ok().and_then(|m| cache::disk::Stamp::of(&m));
        let keeps_source = matches!(entry.record, CachedRecord::Parsed { keeps_source: true, .. });
        let served = |record: CachedRecord, source: String, key: CacheKey, fresh: bool| {
            self.hits.fetch_add(1, Relaxed);
            let (outcome, all_sites, packed_facts) = match record {
                CachedRecord::Parsed { facts, syntax_error, suppressions, notes, all_sites, .. } => {
                    let outcome = Outcome::Parsed { source, facts: Box::default(), suppressions, notes };
                    (outcome, all_sites, Some((facts, syntax_error)))
                }
                CachedRecord::Skipped(message) => (Outcome::Skipped(message), false, None),
            };
            Read { outcome, key: Some(key), all_sites, fresh, packed_facts, before: None }
        };
        if stamp.is_some() && entry.stamp == stamp && !keeps_source {
            return served(entry.record, String::new(), CacheKey { stamp, hash: entry.hash }, false);
        }
        // The stamp changed (or the text is needed): the content decides.
        let bytes = match read_bytes(path, options) {
            Ok(bytes) => bytes,
            Err(outcome) => {
                self.misses.fetch_add(1, Relaxed);
                let key = matches!(outcome, Outcome::Skipped(_)).then_some(CacheKey { stamp, hash: 0 });
                return Read::fresh(outcome, key);
            }
        };
        let hash = cache::disk::content_hash(&bytes);
        if hash == entry.hash && !matches!(entry.record, CachedRecord::Skipped(_)) {
            let source = if keeps_source { decode(bytes, &mut Vec::new()) } else { String::new() };
            // A new stamp is written, so that the next run need not read the file.
            let fresh = entry.stamp != stamp;
            return served(entry.record, source, CacheKey { stamp, hash }, fresh);
        }
        self.misses.fetch_add(1, Relaxed);
        let before = match entry.record {
            CachedRecord::Parsed { facts, .. } => Some(Before { hash: entry.hash, facts }),
            CachedRecord::Skipped(_) => None,
        };
        Read {
            before,
            ..Read::fresh(
                process_bytes(bytes, language, options, prefilter, extract_options),
                Some(CacheKey { stamp, hash }),
            )
        }
    }

    /// Writes the cache file when anything changed: this run's files, and the entries of files
    /// it did not look at that still exist.
    fn finish(
        self,
        parsed: &[ParsedFile],
        skipped: &[(PathBuf, String, CacheKey)],
        summaries: Option<&infer::Summaries>,
    ) -> CacheStats {
        use std::sync::atomic::Ordering::Relaxed;
        let mut stats = CacheStats {
            dir: self.location.dir().to_path_buf(),
            hits: self.hits.load(Relaxed),
            misses: self.misses.load(Relaxed),
            warnings: self.warnings,
            written: false,
            inference_reused: self.project_used.load(Relaxed),
            results_reused: false,
            inference_resolved: None,
        };
        let kept = self.entries.into_inner().unwrap_or_else(|e| e.into_inner());
        let before = kept.len();
        let kept: Vec<(String, cache::disk::Entry<CachedRecord>)> =
            kept.into_iter().filter(|(name, _)| std::fs::symlink_metadata(name).is_ok()).collect();
        let changed = self.rebuild
            || kept.len() != before
            || parsed.iter().any(|f| f.fresh && f.key.is_some())
            || stats.misses > 0;
        // The inference result, for a next run on the same files.
        if let Some(summaries) = summaries
            && !self.project_used.load(Relaxed)
            && let Some(hash) = project_hash(parsed, self.manifests)
        {
            let entry = ("", cache::disk::Entry { stamp: None, hash, record: summaries });
            if let Err(e) = self.location.sibling(PROJECT_FILE).store(&[entry]) {
                stats.warnings.push(e);
            }
        }
        if !changed {
            return stats;
        }
        // Every entry, and whether this run changed it.
        let mut entries: Vec<(String, cache::disk::Entry<RecordToWrite>, bool)> = Vec::new();
        for file in parsed {
            let (Some(key), Some(name)) = (file.key, cache_name(&file.path)) else { continue };
            let record = CachedRecordRef::Parsed {
                facts: match &file.packed_facts {
                    Some(bytes) => FactsBytes::Kept(bytes),
                    None => FactsBytes::Encode(&file.facts),
                },
                syntax_error: file.syntax_error,
                suppressions: &file.suppressions,
                notes: &file.notes,
                keeps_source: !file.source.is_empty(),
                all_sites: file.all_sites,
            };
            entries.push((
                name,
                cache::disk::Entry { stamp: key.stamp, hash: key.hash, record: RecordToWrite::Now(record) },
                file.fresh,
            ));
        }
        for (path, message, key) in skipped {
            let Some(name) = cache_name(path) else { continue };
            let record = RecordToWrite::Now(CachedRecordRef::Skipped(message));
            // A skipped file's entry serves by its stamp only (its hash is not taken).
            entries.push((name, cache::disk::Entry { stamp: key.stamp, hash: key.hash, record }, true));
        }
        for (name, entry) in &kept {
            entries.push((
                name.clone(),
                cache::disk::Entry {
                    stamp: entry.stamp,
                    hash: entry.hash,
                    record: RecordToWrite::Kept(&entry.record),
                },
                false,
            ));
        }
        match self.location.store_over(self.layers.as_ref().filter(|_| !self.rebuild), entries) {
            Ok(()) => stats.written = true,
            Err(e) => stats.warnings.push(e),
        }
        stats
    }
}

#[cfg(test)]
mod tests {
    use crate::manifest::names_package;

    #[test]
    fn a_file_deleted_after_the_walk_is_a_read_error_not_a_crash() {
        // The walk listed it; by the time it is read it is gone.
        let profiles = crate::profile::Profiles::builtin().unwrap_or_else(|e| panic!("{e}"));
        let prefilter =
            super::prefilter::Prefilter::per_language(&profiles).unwrap_or_else(|e| panic!("{e}"));
        let extract = super::ExtractOptions::per_language(&profiles);
        let gone = std::env::temp_dir().join(format!("tracklint-gone-{}.rb", std::process::id()));
        let (outcome, _) = super::process_file(
            &gone,
            super::Language::Ruby,
            &super::Options::default(),
            &prefilter,
            &extract,
            false,
        );
        assert!(matches!(outcome, super::Outcome::Failed(m) if m.starts_with("cannot read")));
    }

    #[test]
    fn cached_facts_that_do_not_decode_are_read_again() {
        use super::*;
        let dir = std::env::temp_dir().join(format!("tracklint-facts-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let write = |name: &str, text: &str| {
            let path = dir.join(name);
            std::fs::create_dir_all(path.parent().unwrap_or(&dir)).unwrap_or_else(|e| panic!("{e}"));
            std::fs::write(path, text).unwrap_or_else(|e| panic!("{e}"));
        };
        write("app/a.rb", "TRACKER = Mixpanel::Tracker.new(ENV['T'])\nTRACKER.track(u.id, 'signed_up')\n");
        write("app/b.rb", "TRACKER.track(u.id, 'User Invited', 'email' => u.email)\n");
        let options =
            Options { paths: vec![dir.clone()], cache_dir: Some(dir.join("cache")), ..Options::default() };
        let findings = |report: &Report| -> Vec<(PathBuf, &'static str)> {
            report.files.iter().flat_map(|f| f.diagnostics.iter().map(|d| (f.path.clone(), d.rule))).collect()
        };
        let cold = lint(&options).unwrap_or_else(|e| panic!("{e}"));
        assert!(!findings(&cold).is_empty());
        // Every entry's facts replaced by bytes that do not decode (the checksum made anew),
        // and the results removed: the run needs the facts.
        let profiles = Profiles::with_wrappers(Vec::new()).unwrap_or_else(|e| panic!("{e}"));
        let extract = ExtractOptions::per_language(&profiles);
        let prefilter = prefilter::Prefilter::per_language(&profiles).unwrap_or_else(|e| panic!("{e}"));
        let location =
            cache::disk::Location::new(&dir.join("cache"), disk_fingerprint(&options, &extract, &prefilter));
        let (entries, warning) = location.load::<CachedRecord>();
        assert!(warning.is_none() && entries.len() >= 2, "{warning:?} {}", entries.len());
        let broken: Vec<(String, cache::disk::Entry<CachedRecord>)> = entries
            .into_iter()
            .map(|(name, mut entry)| {
                if let CachedRecord::Parsed { facts, .. } = &mut entry.record {
                    *facts = vec![0xff; 8].into_boxed_slice();
                }
                (name, entry)
            })
            .collect();
        location.store(&broken).unwrap_or_else(|e| panic!("{e}"));
        std::fs::remove_file(location.sibling(RESULTS_FILE).file()).unwrap_or_else(|e| panic!("{e}"));
        let warm = lint(&options).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(findings(&warm), findings(&cold));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn evidence_is_what_each_file_shows_and_a_kept_contribution_is_not_looked_at_again() {
        use super::*;
        let profiles = Profiles::builtin().unwrap_or_else(|e| panic!("{e}"));
        let extract = ExtractOptions::per_language(&profiles);
        let dir = std::env::temp_dir().join(format!("tracklint-evidence-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        let texts = ["TRACKER = Mixpanel::Tracker.new(ENV['T'])\n", "def f(u)\n  u.save\nend\n"];
        let facts: Vec<(PathBuf, FileFacts)> = texts
            .iter()
            .enumerate()
            .map(|(i, text)| {
                let path = dir.join(format!("{i}.rb"));
                std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
                let options = Options { prefilter: false, ..Options::default() };
                match process_file(&path, Language::Ruby, &options, &HashMap::new(), &extract, false).0 {
                    Outcome::Parsed { facts, .. } => (path, *facts),
                    _ => panic!("{i}.rb not parsed"),
                }
            })
            .collect();
        let _ = std::fs::remove_dir_all(&dir);
        let inputs: Vec<resolve::FileInput> = facts
            .iter()
            .map(|(path, facts)| resolve::FileInput { path, language: Language::Ruby, facts })
            .collect();
        let modules = resolve::ModuleIndex::new(&inputs);
        let collect = |kept: Vec<Option<Vec<usize>>>| {
            let mut resolver = resolve::Resolver::for_round(
                &inputs,
                &profiles,
                &[],
                &modules,
                resolve::Evidence::Collect(kept),
            );
            (resolver.evidence().clone(), resolver.take_evidence_by_file())
        };
        let (all, by_file) = collect(Vec::new());
        assert!(!by_file[0].is_empty() && by_file[1].is_empty(), "{by_file:?}");
        assert_eq!(all, by_file[0].iter().copied().collect::<HashSet<usize>>());
        // The first file's contribution given (as kept for an unchanged file): taken as it is.
        let (kept, _) = collect(vec![Some(Vec::new()), None]);
        assert!(kept.is_empty(), "{kept:?}");
        // Left out (a changed file's): looked at again.
        let (again, _) = collect(vec![None, Some(Vec::new())]);
        assert_eq!(again, all);
    }

    #[test]
    fn manifest_names_whole_packages_only() {
        assert!(names_package("gem 'mixpanel'\n", "mixpanel"));
        assert!(!names_package("gem 'mixpanel-ruby'\n", "mixpanel"));
        assert!(names_package("    mixpanel (4.1.1)\n", "mixpanel"));
        assert!(names_package("mixpanel==4.10.0\nposthog>=3\n", "posthog"));
        assert!(names_package("posthog-rs = \"0.2\"\n", "posthog-rs"));
        assert!(!names_package("\"@segment/analytics-node\": \"1\"", "analytics-node"));
        assert!(names_package("\"@segment/analytics-node\": \"1\"", "@segment/analytics-node"));
    }
}
