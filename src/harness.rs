//! Entry points for the harnesses around the pipeline: the fuzz targets (a file's bytes or a
//! config's, never a panic), the property tests (`lint_bytes`) and the benchmark's parse-only
//! floor (`tracklint debug parse-floor`).

use crate::*;

/// Lints one file's bytes in memory, as `check` would lint a project holding only that file
/// (no manifests, default config). For the fuzz targets and property tests: whatever the input,
/// this returns a report and never panics.
#[doc(hidden)]
pub fn lint_bytes(path: &std::path::Path, language: Language, bytes: &[u8]) -> Result<Report, FatalError> {
    // Loaded once: fuzzers call this thousands of times a second.
    static BUILTIN: std::sync::OnceLock<Option<(Profiles, HashMap<Language, ExtractOptions>)>> =
        std::sync::OnceLock::new();
    let (profiles, extract) = BUILTIN
        .get_or_init(|| {
            let profiles = Profiles::builtin().ok()?;
            let extract = ExtractOptions::per_language(&profiles);
            Some((profiles, extract))
        })
        .as_ref()
        .ok_or_else(|| FatalError("internal error: the built-in profiles do not load".into()))?;
    // The bytes go through the same reading, decoding and extraction as a file on disk; the
    // prefilter is off so that every input is parsed.
    let options =
        Options { stdin: Some((path.to_path_buf(), bytes.to_vec())), prefilter: false, ..Options::default() };
    let mut errors = Vec::new();
    let (source, facts, suppressions) =
        match process_file(path, language, &options, &HashMap::new(), extract, false).0 {
            Outcome::Parsed { source, facts, suppressions, notes } => {
                errors
                    .extend(notes.into_iter().map(|message| FileError { path: path.to_path_buf(), message }));
                (source, *facts, suppressions)
            }
            Outcome::Skipped(message) | Outcome::Failed(message) | Outcome::Internal(message) => {
                errors.push(FileError { path: path.to_path_buf(), message });
                (String::new(), FileFacts::default(), Vec::new())
            }
        };
    let parsed = [ParsedFile {
        path: path.to_path_buf(),
        language,
        source,
        facts,
        suppressions,
        all_sites: false,
        notes: Vec::new(),
        key: None,
        fresh: false,
        packed_facts: None,
        syntax_error: false,
        before: None,
    }];
    let inputs = [resolve::FileInput { path: &parsed[0].path, language, facts: &parsed[0].facts }];
    let resolver = resolve::Resolver::new(&inputs, profiles, &[]);
    let config = config::Config::default();
    let mut calls = resolver.calls(0);
    let _ = prepare_calls(&mut calls, 0, &parsed[0], &HashSet::new());
    let views = vec![project_views(calls.clone(), false)];
    let (found, _) =
        check_project(&parsed, views, &config::Configs::new(&config, Vec::new()), None, profiles);
    let mut diagnostics = file_rules(&calls, &parsed[0], &config, profiles);
    diagnostics.extend(found.into_iter().flatten());
    let (diagnostics, lines) = apply_suppressions(&parsed[0], diagnostics, &config);
    let [ParsedFile { path, source, facts, .. }] = parsed;
    let scanned = vec![path.clone()];
    let syntax_error = facts.syntax_error.is_some();
    Ok(Report {
        files: vec![FileReport { syntax_error, ..FileReport::new(path, source, lines, &calls, diagnostics) }],
        errors,
        skipped: Vec::new(),
        files_scanned: 1,
        scanned,
        internal_errors: 0,
        wrappers: Vec::new(),
        cache: None,
        commit: None,
    })
}

/// The fuzz targets' body: lint any bytes as a file of `language` and check what a user relies
/// on: the JSON report parses, and every span lies inside the source on a char boundary.
#[doc(hidden)]
pub fn fuzz_file(language: Language, bytes: &[u8]) {
    let path = std::path::Path::new("fuzz.input");
    let Ok(report) = lint_bytes(path, language, bytes) else { return };
    for file in &report.files {
        let len = file.source.len();
        let calls = file.calls();
        let spans = file.diagnostics.iter().map(|d| d.span).chain(calls.iter().map(|c| c.span));
        for span in spans {
            assert!(span.start <= span.end && span.end <= len, "span {span:?} outside a {len}-byte file");
            assert!(file.source.is_char_boundary(span.start) && file.source.is_char_boundary(span.end));
        }
    }
    let json = report::json::check(&report);
    assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok(), "the JSON report does not parse");
}

/// The config fuzz target's body.
#[doc(hidden)]
pub fn fuzz_config(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let path = std::path::Path::new("tracklint.toml");
    if let Err(e) = config::Config::parse(path, &text, PathBuf::from("/project")) {
        let _ = report::human::config_error(&e, &report::human::Style { color: false });
    }
}

/// What the parse-only floor did: the cost of walking, reading and parsing every candidate file
/// with nothing else, the baseline the benchmark compares `check` against.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ParseStats {
    pub files: usize,
    pub bytes: usize,
    pub with_syntax_errors: usize,
    pub skipped: usize,
}

/// Walks, reads and parses every candidate file (no prefilter, no extraction, no rules).
pub fn parse_floor(options: &Options) -> Result<ParseStats, FatalError> {
    let walked = start(options)?;
    let stats = walked
        .files
        .par_iter()
        .map(|(path, language)| {
            let mut stats = ParseStats { files: 1, ..ParseStats::default() };
            let bytes = match std::fs::metadata(path) {
                Ok(m) if m.len() <= options.max_file_size => std::fs::read(path).ok(),
                _ => None,
            };
            let Some(bytes) = bytes else {
                stats.skipped = 1;
                return stats;
            };
            stats.bytes = bytes.len();
            let source = String::from_utf8_lossy(&bytes);
            match frontend::parse(*language, &source) {
                Ok(tree) if tree.root_node().has_error() => stats.with_syntax_errors = 1,
                Ok(_) => {}
                Err(_) => stats.skipped = 1,
            }
            stats
        })
        .reduce(ParseStats::default, |a, b| ParseStats {
            files: a.files + b.files,
            bytes: a.bytes + b.bytes,
            with_syntax_errors: a.with_syntax_errors + b.with_syntax_errors,
            skipped: a.skipped + b.skipped,
        });
    Ok(stats)
}
