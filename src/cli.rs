//! Command-line interface: argument definitions and the commands they run.

use crate::config::Config;
use crate::diagnostic::Severity;
use crate::report::{human, json};
use crate::{Options, lint, rules};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "tracklint",
    version,
    about = "Lints analytics instrumentation (Mixpanel, Segment, PostHog, Amplitude)"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check tracking calls and report problems.
    Check(CheckArgs),
    /// List the tracking calls found (the inventory for a tracking plan).
    Events(EventsArgs),
    /// List the project's own tracking functions that were inferred: which parameter fills
    /// which role of the SDK call, the chain down to the SDK, and how many call sites use each.
    Wrappers(WrappersArgs),
    /// Record every current finding in a baseline file, so that `check --baseline` reports only
    /// new ones.
    Baseline(BaselineArgs),
    /// List every rule.
    Rules {
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Write a commented starter tracklint.toml in the current directory.
    Init,
    /// Print a rule's documentation.
    Explain {
        /// The rule id, e.g. `event-name-style`.
        rule: String,
    },
    /// Internal tools for development and benchmarking.
    #[command(hide = true)]
    Debug {
        #[command(subcommand)]
        command: DebugCommand,
    },
}

#[derive(Subcommand, Debug)]
pub enum DebugCommand {
    /// Parse files and print the call sites the front-end extracts.
    Sites { paths: Vec<PathBuf> },
    /// Walk, read and parse every candidate file, nothing else: the benchmark's parse floor.
    Parse(WalkArgs),
}

#[derive(Args, Debug)]
pub struct WalkArgs {
    /// Files or directories to check.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Also lint node_modules, vendor, dist and build directories.
    #[arg(long)]
    pub no_default_excludes: bool,
    /// Parse every file, even those with no trigger word (slower; for debugging).
    #[arg(long, hide = true)]
    pub no_prefilter: bool,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Use this config file instead of the nearest tracklint.toml.
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Ignore every config file: built-in defaults only.
    #[arg(long, conflicts_with = "config")]
    pub isolated: bool,
    /// Skip files larger than this many bytes (generated bundles, data dumps).
    #[arg(long, value_name = "BYTES", default_value_t = crate::DEFAULT_MAX_FILE_SIZE)]
    pub max_file_size: u64,
    /// Give up on a file whose parse takes longer than this many milliseconds.
    #[arg(long, value_name = "MS", default_value_t = crate::frontend::DEFAULT_PARSE_TIMEOUT_MS)]
    pub parse_timeout: u64,
    /// List on stderr what was not linted on purpose (symlinks, special files, default excludes).
    #[arg(long, short)]
    pub verbose: bool,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub walk: WalkArgs,
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
    /// Write the report to this file (atomically) instead of standard output.
    #[arg(long, value_name = "PATH")]
    pub output_file: Option<PathBuf>,
    /// Print diagnostics only, no summary.
    #[arg(long, short)]
    pub quiet: bool,
    /// The lowest severity that makes the exit code 1.
    #[arg(long, value_enum, default_value_t = FailOn::Info)]
    pub fail_on: FailOn,
    /// Exit 0 even when there are findings (2 still means an error).
    #[arg(long)]
    pub exit_zero: bool,
    /// Report only findings that are not in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// With --baseline: also list baseline entries that no longer occur.
    #[arg(long, requires = "baseline")]
    pub show_fixed: bool,
    /// Apply safe fixes to the files, then report what is left.
    #[arg(long)]
    pub fix: bool,
    /// With --fix or --diff: apply unsafe fixes too (event renames).
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print the fixes as a unified diff instead of writing them; exit 1 if there are any.
    #[arg(long, conflicts_with = "fix")]
    pub diff: bool,
    /// Report only files changed since this git revision (cross-file analysis still sees the
    /// whole project).
    #[arg(long, value_name = "REV", conflicts_with = "staged")]
    pub changed_since: Option<String>,
    /// Report only files staged in git (for pre-commit hooks).
    #[arg(long)]
    pub staged: bool,
    /// Lint standard input as the contents of this file (for editors).
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,
    /// Never draw the progress bar.
    #[arg(long)]
    pub no_progress: bool,
    /// Check the events against this tracking plan (CSV or JSON; `tracklint events --format csv`
    /// writes one). Also `plan = "..."` in tracklint.toml.
    #[arg(long, value_name = "PLAN")]
    pub plan: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct BaselineArgs {
    #[command(flatten)]
    pub walk: WalkArgs,
    /// Where to write the baseline.
    #[arg(long, value_name = "FILE", default_value = crate::baseline::DEFAULT_FILE)]
    pub file: PathBuf,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum CheckFormat {
    Human,
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// GitHub Actions annotations (workflow commands).
    Github,
    /// `path:line:col: rule message`, one a line.
    Concise,
    /// JUnit XML, one test case per finding.
    Junit,
}

#[derive(Args, Debug)]
pub struct EventsArgs {
    #[command(flatten)]
    pub walk: WalkArgs,
    /// `csv` writes a tracking plan (one row per event) that `check --plan` reads.
    #[arg(long, value_enum, default_value_t = EventsFormat::Human)]
    pub format: EventsFormat,
}

#[derive(Parser, Debug)]
pub struct WrappersArgs {
    #[command(flatten)]
    pub walk: WalkArgs,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum EventsFormat {
    Human,
    Json,
    /// A tracking plan: event, required properties, status, number of calls.
    Csv,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum FailOn {
    Error,
    Warning,
    Info,
}

impl FailOn {
    fn severity(self) -> Severity {
        match self {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
            FailOn::Info => Severity::Info,
        }
    }
}

/// Exit codes: 0 clean, 1 findings at or above the failing severity, 2 usage or internal error.
pub const EXIT_CLEAN: i32 = 0;
pub const EXIT_FINDINGS: i32 = 1;
pub const EXIT_ERROR: i32 = 2;

/// The options for a walk, with the config loaded; a broken config is reported and is `Err`.
fn options(args: &WalkArgs) -> Result<Options, i32> {
    let loaded = if args.isolated {
        Ok(Config::default())
    } else if let Some(path) = &args.config {
        Config::load(path)
    } else {
        Config::discover(args.paths.first().map(PathBuf::as_path).unwrap_or(std::path::Path::new(".")))
    };
    let config = loaded.map_err(|e| {
        eprint!("{}", human::config_error(&e, &human::Style { color: stderr_color() }));
        EXIT_ERROR
    })?;
    Ok(Options {
        nested_configs: !args.isolated && args.config.is_none(),
        paths: args.paths.clone(),
        default_excludes: !args.no_default_excludes,
        prefilter: !args.no_prefilter,
        config,
        max_file_size: args.max_file_size,
        parse_timeout_ms: args.parse_timeout,
        stdin: None,
        progress: false,
        plan: None,
    })
}

fn check(args: CheckArgs) -> i32 {
    configure_threads(args.walk.threads);
    let mut options = match options(&args.walk) {
        Ok(o) => o,
        Err(code) => return code,
    };
    options.progress = !args.no_progress && std::io::stderr().is_terminal();
    // A plan named on the command line is the user's choice; one named by a config stays inside
    // the config's directory.
    let plan = match (&args.plan, &options.config.plan) {
        (Some(path), _) => Some((path.clone(), None)),
        (None, Some(path)) => Some((path.clone(), Some(options.config.root().to_path_buf()))),
        (None, None) => None,
    };
    if let Some((path, within)) = plan {
        match crate::plan::load(&path, within.as_deref()) {
            Ok(plan) => options.plan = Some(plan),
            Err(e) => {
                eprintln!("error: {e}");
                return EXIT_ERROR;
            }
        }
    }
    if let Some(path) = &args.stdin_filename {
        let mut text = Vec::new();
        if let Err(e) = std::io::Read::read_to_end(&mut std::io::stdin(), &mut text) {
            eprintln!("error: cannot read standard input: {e}");
            return EXIT_ERROR;
        }
        options.stdin = Some((path.clone(), text));
    }
    let baseline = match &args.baseline {
        Some(path) => match crate::baseline::load(path) {
            Ok(b) => Some(b),
            Err(e) => {
                eprintln!("error: {e}");
                return EXIT_ERROR;
            }
        },
        None => None,
    };
    let changed = if args.staged || args.changed_since.is_some() {
        let since = match &args.changed_since {
            Some(rev) => crate::changed::Since::Revision(rev),
            None => crate::changed::Since::Staged,
        };
        let dir = options.paths.first().cloned().unwrap_or_else(|| PathBuf::from("."));
        match crate::changed::changed_files(&dir, since) {
            Ok(set) => Some(set),
            Err(e) => {
                eprintln!("error: {e}");
                return EXIT_ERROR;
            }
        }
    } else {
        None
    };
    let mut report = match lint(&options) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_ERROR;
        }
    };
    // Only the files in scope are reported and fixed: `--staged`, `--changed-since` and
    // `--stdin-filename` never rewrite anything else.
    let stdin_path = args.stdin_filename.as_deref().map(crate::fsutil::clean);
    let in_scope = |path: &std::path::Path| {
        if let Some(changed) = &changed {
            let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
            if !changed.contains(&canonical) {
                return false;
            }
        }
        stdin_path.as_ref().is_none_or(|p| path == p)
    };
    report.files.retain(|f| in_scope(&f.path));
    report.scanned.retain(|p| in_scope(p));
    if args.fix || args.diff {
        // The editor's buffer is not the file on disk: its fixes are never written there.
        let outcome = if stdin_path.is_some() && !args.diff {
            eprintln!(
                "warning: --fix does not write files with --stdin-filename (use --diff to see the fixes)"
            );
            crate::fix::Outcome::default()
        } else {
            crate::fix::apply(&report, args.unsafe_fixes, args.diff)
        };
        for e in &outcome.errors {
            eprintln!("warning: {}", crate::text::visible(e));
        }
        if args.diff {
            // The diff is the output; the exit code says whether there is anything to fix.
            let code = print(&outcome.diff);
            return if code != EXIT_CLEAN || report.internal_errors > 0 {
                EXIT_ERROR
            } else if outcome.fixes > 0 && !args.exit_zero {
                EXIT_FINDINGS
            } else {
                EXIT_CLEAN
            };
        }
        if outcome.fixes > 0 {
            eprintln!("fixed {} finding(s) in {} file(s)", outcome.fixes, outcome.files.len());
            // Report what is left, from the files as they are now.
            options.stdin = None;
            report = match lint(&options) {
                Ok(r) => r,
                Err(e) => {
                    eprintln!("error: {e}");
                    return EXIT_ERROR;
                }
            };
            report.files.retain(|f| in_scope(&f.path));
            report.scanned.retain(|p| in_scope(p));
        }
    }
    let fixed = match &baseline {
        Some(b) => crate::baseline::apply(&mut report, b),
        None => Vec::new(),
    };
    if args.walk.verbose {
        eprint!("{}", human::skipped(&report));
    }
    // Files that could not be read or parsed are named on stderr; JSON and SARIF carry them.
    if !matches!(args.format, CheckFormat::Json | CheckFormat::Sarif) {
        eprint!("{}", human::errors(&report));
    }
    let text = match args.format {
        CheckFormat::Human => human::check(
            &report,
            &human::Style { color: color_enabled() && args.output_file.is_none() },
            args.quiet,
        ),
        CheckFormat::Json => json::check(&report) + "\n",
        CheckFormat::Sarif => crate::report::sarif::check(&report) + "\n",
        CheckFormat::Github => crate::report::github::check(&report),
        CheckFormat::Concise => crate::report::concise::check(&report),
        CheckFormat::Junit => crate::report::junit::check(&report),
    };
    if args.show_fixed {
        for e in &fixed {
            // The baseline file is the repository's: its text is shown, not obeyed.
            eprintln!(
                "fixed since the baseline: {}:{}: {} {}",
                crate::text::visible(&e.path),
                e.line,
                crate::text::visible(&e.rule),
                crate::text::visible(&e.message)
            );
        }
    }
    let written = match &args.output_file {
        Some(path) => match crate::fsutil::write_atomic(path, text.as_bytes()) {
            Ok(()) => EXIT_CLEAN,
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", path.display());
                EXIT_ERROR
            }
        },
        None => print(&text),
    };
    if written != EXIT_CLEAN || report.internal_errors > 0 {
        return EXIT_ERROR;
    }
    let threshold = args.fail_on.severity();
    let failing = report.files.iter().flat_map(|f| &f.diagnostics).any(|d| d.severity >= threshold);
    // The process ends next: freeing every file's sources and facts one by one is wasted time
    // (2% of a run on a dense tree).
    std::mem::forget(report);
    drop(text);
    if failing && !args.exit_zero { EXIT_FINDINGS } else { EXIT_CLEAN }
}

fn stderr_color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

fn init() -> i32 {
    let path = std::path::Path::new(crate::config::CONFIG_NAMES[0]);
    if std::fs::symlink_metadata(path).is_ok() {
        eprintln!("error: {} already exists; not overwriting it", path.display());
        return EXIT_ERROR;
    }
    // The project's own tracking functions, as inference finds them, for review.
    let options = Options { config: Config::default(), ..Options::default() };
    let mut text = crate::config::starter();
    if let Ok(report) = lint(&options) {
        if let Some(line) = measured_style(&report) {
            text = text.replacen("# style = \"readable\"\n", &line, 1);
        }
        let entries = crate::infer::starter_entries(&report.wrappers);
        if !entries.is_empty() {
            text.push_str(
                "\n# Tracking functions of this project, inferred from their bodies (`tracklint wrappers`\n\
                 # lists them). Inference finds them without these entries; uncomment one to pin it,\n\
                 # or set `[inference] enabled = false` and keep the ones you want.\n",
            );
            text.push_str(&entries);
        }
    }
    // Created exclusively: a dangling link planted under the name is never written through.
    match crate::fsutil::create_new(path, text.as_bytes()) {
        Ok(()) => {
            eprintln!("wrote {}", path.display());
            EXIT_CLEAN
        }
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", path.display());
            EXIT_ERROR
        }
    }
}

/// The naming convention the project's event names already follow, as a `style` (or
/// `pattern`) line for `[rules.event-name-style]`: when at least five distinct literal names
/// are tracked and four in five follow one convention other than the default readable one.
/// Written so that a first run reports the names that break the team's convention, not every
/// name that follows it.
fn measured_style(report: &crate::Report) -> Option<String> {
    use crate::naming::NameStyle;
    let mut names: Vec<&str> = report
        .files
        .iter()
        .flat_map(|f| &f.calls)
        .filter_map(|c| c.event.as_ref().and_then(|e| e.as_str()))
        .filter(|n| !n.starts_with('$'))
        .collect();
    names.sort_unstable();
    names.dedup();
    if names.len() < 5 {
        return None;
    }
    const PASCAL: &str = "^[A-Z][a-z0-9]+([A-Z][a-z0-9]*)+$";
    let pascal = regex::Regex::new(PASCAL).ok()?;
    let count = |ok: &dyn Fn(&str) -> bool| names.iter().filter(|n| ok(n)).count();
    let mut candidates: Vec<(String, usize)> = [NameStyle::Snake, NameStyle::Camel, NameStyle::Kebab]
        .into_iter()
        .map(|style| (format!("style = \"{}\"", style.name()), count(&|n| style.problem(n).is_none())))
        .collect();
    candidates
        .push((format!("pattern = \"{PASCAL}\"            # PascalCase"), count(&|n| pascal.is_match(n))));
    let readable = count(&|n| NameStyle::Readable.problem(n).is_none());
    let (line, hits) = candidates.into_iter().max_by_key(|(_, n)| *n)?;
    if hits * 5 < names.len() * 4 || hits <= readable {
        return None;
    }
    Some(format!(
        "# readable (the default) would report most of this project's names: {hits} of {} follow this\n# convention (measured by `tracklint init`).\n{line}\n",
        names.len()
    ))
}

fn color_enabled() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

fn print(text: &str) -> i32 {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|_| stdout.flush()) {
        Ok(()) => EXIT_CLEAN,
        // A closed pipe (`tracklint check | head`) is not an error of ours.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_CLEAN,
        Err(e) => {
            eprintln!("error: cannot write output: {e}");
            EXIT_ERROR
        }
    }
}

fn configure_threads(threads: Option<usize>) {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        // More threads than cores only costs memory; a huge number would exhaust the process.
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        if n > cores {
            eprintln!("note: --threads {n} capped at {cores}, the number of cores");
        }
        builder = builder.num_threads(n.clamp(1, cores));
    }
    // Ignore the error: the pool can only be configured once per process.
    let _ = builder.build_global();
}

/// The report of a command that only reads (`baseline`, `events`, `wrappers`); a usage,
/// config or run error has been printed and is the exit code.
fn walk_and_lint(walk: &WalkArgs) -> Result<crate::Report, i32> {
    configure_threads(walk.threads);
    let options = options(walk)?;
    lint(&options).map_err(|e| {
        eprintln!("error: {e}");
        EXIT_ERROR
    })
}

pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Check(args) => check(args),
        Command::Baseline(args) => {
            let report = match walk_and_lint(&args.walk) {
                Ok(r) => r,
                Err(code) => return code,
            };
            eprint!("{}", human::errors(&report));
            let baseline = crate::baseline::from_report(&report);
            match crate::baseline::write(&args.file, &baseline) {
                Ok(()) => {
                    eprintln!("wrote {} findings to {}", baseline.findings.len(), args.file.display());
                    if report.internal_errors > 0 { EXIT_ERROR } else { EXIT_CLEAN }
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    EXIT_ERROR
                }
            }
        }
        Command::Events(args) => {
            let report = match walk_and_lint(&args.walk) {
                Ok(r) => r,
                Err(code) => return code,
            };
            if args.walk.verbose {
                eprint!("{}", human::skipped(&report));
            }
            let text = match args.format {
                EventsFormat::Human => {
                    eprint!("{}", human::errors(&report));
                    human::events(&report)
                }
                EventsFormat::Json => json::events(&report) + "\n",
                EventsFormat::Csv => crate::plan::from_report(&report),
            };
            let code = print(&text);
            if report.internal_errors > 0 { EXIT_ERROR } else { code }
        }
        Command::Wrappers(args) => {
            let report = match walk_and_lint(&args.walk) {
                Ok(r) => r,
                Err(code) => return code,
            };
            let text = match args.format {
                Format::Human => {
                    eprint!("{}", human::errors(&report));
                    human::wrappers(&report)
                }
                Format::Json => json::wrappers(&report) + "\n",
            };
            let code = print(&text);
            if report.internal_errors > 0 { EXIT_ERROR } else { code }
        }
        Command::Rules { format } => print(&rules_table(format)),
        Command::Init => init(),
        Command::Explain { rule } => match rules::find(&rule) {
            Some(r) => print(&format!("# {}\n\n{}", r.meta().id, r.meta().explanation())),
            None => {
                let ids: Vec<&str> = rules::RULES.iter().map(|r| r.meta().id).collect();
                let hint = crate::text::closest(&rule, &ids)
                    .map(|c| format!(" (did you mean `{c}`?)"))
                    .unwrap_or_default();
                eprintln!("error: unknown rule `{rule}`{hint}; `tracklint rules` lists them");
                EXIT_ERROR
            }
        },
        Command::Debug { command: DebugCommand::Sites { paths } } => debug_sites(&paths),
        Command::Debug { command: DebugCommand::Parse(args) } => {
            configure_threads(args.threads);
            let options = match options(&args) {
                Ok(o) => o,
                Err(code) => return code,
            };
            match crate::parse_floor(&options) {
                Ok(s) => print(&format!(
                    "parsed {} files ({} bytes), {} with syntax errors, {} skipped\n",
                    s.files - s.skipped,
                    s.bytes,
                    s.with_syntax_errors,
                    s.skipped
                )),
                Err(e) => {
                    eprintln!("error: {e}");
                    EXIT_ERROR
                }
            }
        }
    }
}

fn rules_table(format: Format) -> String {
    match format {
        Format::Json => {
            let rows: Vec<serde_json::Value> = rules::RULES
                .iter()
                .map(|r| {
                    let m = r.meta();
                    serde_json::json!({"id": m.id, "severity": m.default_severity, "practice": m.practice, "scope": m.scope.name(), "summary": m.summary, "fix": m.fix == rules::FixAvailability::Sometimes})
                })
                .collect();
            serde_json::to_string_pretty(&rows).unwrap_or_default() + "\n"
        }
        Format::Human => {
            let mut out = String::new();
            for r in rules::RULES {
                let m = r.meta();
                let practice = if m.practice == 0 { "-".to_string() } else { m.practice.to_string() };
                out.push_str(&format!(
                    "{:<33} {:<8} practice {:<3} {}\n",
                    m.id,
                    m.default_severity.name(),
                    practice,
                    m.summary
                ));
            }
            out
        }
    }
}

fn debug_sites(paths: &[PathBuf]) -> i32 {
    let profiles = match crate::profile::Profiles::builtin() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_ERROR;
        }
    };
    let options = crate::frontend::ExtractOptions::per_language(&profiles);
    let mut out = String::new();
    for path in paths {
        let Some(language) = crate::walk::language_of(path) else { continue };
        let Ok(source) = std::fs::read_to_string(path) else {
            eprintln!("error: cannot read {}", path.display());
            return EXIT_ERROR;
        };
        let Some(options) = options.get(&language) else { continue };
        match crate::frontend::extract(language, &source, options) {
            Ok(facts) => out.push_str(&format!("{}:\n{:#?}\n", path.display(), facts)),
            Err(e) => out.push_str(&format!("{}: {e:?}\n", path.display())),
        }
    }
    print(&out)
}
