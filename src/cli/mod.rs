//! Command-line interface: argument definitions and the commands they run.

use crate::config::Config;
use crate::diagnostic::Severity;
use crate::report::{human, json};
mod check;
mod debug;
mod init;
mod lsp;
mod rule_list;

use crate::{Options, lint};
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
    /// Print a shell completion script (`tracklint completions bash > /etc/bash_completion.d/tracklint`).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff: `tracklint man > tracklint.1`).
    Man,
    /// Run the language server over stdio, for editors (VS Code, Neovim, Helix...).
    Lsp,
    /// Print the JSON Schema of tracklint.toml, for editors that complete TOML.
    Schema,
    /// Remove the cache directory (`.tracklint_cache`) that `check` would use for these paths.
    Clean {
        /// The checked paths whose cache to remove.
        #[arg(default_value = ".")]
        paths: Vec<PathBuf>,
        /// The cache directory, when it is not the default one.
        #[arg(long, value_name = "DIR", env = "TRACKLINT_CACHE_DIR")]
        cache_dir: Option<PathBuf>,
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
    /// List on stderr what was not linted on purpose (symlinks, special files, default excludes),
    /// and what the cache did.
    #[arg(long, short)]
    pub verbose: bool,
    /// Read and parse every file; neither read nor write the cache. Also `TRACKLINT_NO_CACHE=1`.
    #[arg(long, env = "TRACKLINT_NO_CACHE", value_parser = clap::builder::FalseyValueParser::new())]
    pub no_cache: bool,
    /// Where the cache goes (default: `.tracklint_cache` beside the config file, or in the
    /// checked directory). Also `TRACKLINT_CACHE_DIR`.
    #[arg(long, value_name = "DIR", env = "TRACKLINT_CACHE_DIR")]
    pub cache_dir: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to colour output to a stream that is (or is not) a terminal.
    pub fn enabled(self, terminal: bool) -> bool {
        let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0");
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto if set("FORCE_COLOR") => true,
            ColorChoice::Auto => terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }
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
    /// Report only these rules (ids or prefixes of whole words: `event`, `hardcoded`; `ALL`),
    /// comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Option<Vec<String>>,
    /// Report these rules too, on top of `--select`.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub extend_select: Vec<String>,
    /// Never report these rules.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Vec<String>,
    /// Print how many findings each rule has (`[*]`: some can be fixed) instead of the findings.
    #[arg(long)]
    pub statistics: bool,
    /// Colour in human output: `auto` (a terminal, unless NO_COLOR; FORCE_COLOR forces it),
    /// `always` or `never`.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
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
    /// `csv`, `json-schema`, `segment` and `amplitude-csv` write a tracking plan from the code
    /// that `check --plan` reads; `json` and `yaml` are the inventory.
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
    /// The inventory per event: its calls (where, in which function, which SDK) and its
    /// properties with their types.
    Yaml,
    /// A tracking plan as JSON Schema per event (title, typed properties, required keys).
    JsonSchema,
    /// A tracking plan as a Segment Protocols tracking plan (`rules.events`).
    Segment,
    /// A tracking plan as Amplitude Data's events CSV (a row per event and per property).
    AmplitudeCsv,
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
        max_file_size: args.max_file_size,
        parse_timeout_ms: args.parse_timeout,
        stdin: None,
        progress: false,
        plan: None,
        extra_profiles: Vec::new(),
        selection: None,
        cache: None,
        cache_dir: if args.no_cache {
            None
        } else {
            Some(cache_dir(args.cache_dir.as_deref(), &args.paths, &config))
        },
        config,
    })
}

/// Where the cache of a run on `paths` goes: the given directory; else `.tracklint_cache` in
/// the directory of the config file; else in the current directory when every path is inside
/// it; else in the first checked directory (or the directory of the first checked file).
fn cache_dir(given: Option<&std::path::Path>, paths: &[PathBuf], config: &Config) -> PathBuf {
    use crate::cache::disk::DIR_NAME;
    if let Some(dir) = given {
        return dir.to_path_buf();
    }
    if let Some(config) = &config.path {
        return config.parent().unwrap_or(std::path::Path::new(".")).join(DIR_NAME);
    }
    let absolute = |p: &std::path::Path| std::path::absolute(p).map(|p| crate::fsutil::clean(&p));
    if let Ok(cwd) = absolute(std::path::Path::new("."))
        && paths.iter().all(|p| absolute(p).is_ok_and(|p| p.starts_with(&cwd)))
    {
        return PathBuf::from(DIR_NAME);
    }
    let first = paths.first().map(PathBuf::as_path).unwrap_or(std::path::Path::new("."));
    let dir = if first.is_dir() { first } else { first.parent().unwrap_or(std::path::Path::new(".")) };
    dir.join(DIR_NAME)
}

/// `tracklint clean`: removes the cache directory a check of `paths` would use.
fn clean(given: Option<&std::path::Path>, paths: &[PathBuf]) -> i32 {
    // A broken config does not stop the cache from being removed: it is found without it.
    let config = Config::discover(paths.first().map(PathBuf::as_path).unwrap_or(std::path::Path::new(".")))
        .unwrap_or_default();
    let dir = cache_dir(given, paths, &config);
    let shown = crate::text::visible(&dir.to_string_lossy()).into_owned();
    match crate::cache::disk::remove(&dir) {
        Ok(true) => {
            eprintln!("removed {shown}");
            EXIT_CLEAN
        }
        Ok(false) => {
            eprintln!("no cache at {shown}");
            EXIT_CLEAN
        }
        Err(e) => {
            eprintln!("error: {}", crate::text::visible(&e));
            EXIT_ERROR
        }
    }
}

fn stderr_color() -> bool {
    ColorChoice::Auto.enabled(std::io::stderr().is_terminal())
}

fn print(text: &str) -> i32 {
    print_with(|out| out.write_all(text.as_bytes()))
}

/// Writes to standard output what `write` makes, as it makes it.
fn print_with(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> i32 {
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    match write(&mut stdout).and_then(|_| stdout.flush()) {
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
        Command::Check(args) => check::check(args),
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
                EventsFormat::Yaml => json::events_yaml(&report),
                EventsFormat::JsonSchema => crate::plan::json_schemas(&report),
                EventsFormat::Segment => crate::plan::segment(&report),
                EventsFormat::AmplitudeCsv => crate::plan::amplitude_csv(&report),
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
        Command::Rules { format } => print(&rule_list::rules_table(format)),
        Command::Init => init::init(),
        Command::Explain { rule } => rule_list::explain(&rule),
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(
                shell,
                &mut <Cli as clap::CommandFactory>::command(),
                "tracklint",
                &mut out,
            );
            print(&String::from_utf8_lossy(&out))
        }
        Command::Lsp => lsp::lsp(),
        Command::Clean { paths, cache_dir: given } => clean(given.as_deref(), &paths),
        Command::Schema => {
            print(&(serde_json::to_string_pretty(&crate::schema::config_schema()).unwrap_or_default() + "\n"))
        }
        Command::Man => {
            let mut out = Vec::new();
            match clap_mangen::Man::new(<Cli as clap::CommandFactory>::command()).render(&mut out) {
                Ok(()) => print(&String::from_utf8_lossy(&out)),
                Err(e) => {
                    eprintln!("error: {e}");
                    EXIT_ERROR
                }
            }
        }
        Command::Debug { command: DebugCommand::Sites { paths } } => debug::debug_sites(&paths),
        Command::Debug { command: DebugCommand::Parse(args) } => debug::parse_floor(&args),
    }
}
