//! `tracklint check`: lint, report in the chosen format, fix, compare with a baseline.

use super::*;

pub(super) fn check(args: CheckArgs) -> i32 {
    configure_threads(args.walk.threads);
    let mut options = match options(&args.walk) {
        Ok(o) => o,
        Err(code) => return code,
    };
    options.progress = !args.no_progress && std::io::stderr().is_terminal();
    if args.select.is_some() || !args.extend_select.is_empty() || !args.ignore.is_empty() {
        let selection = crate::rules::Selection {
            select: args.select.clone(),
            extend_select: args.extend_select.clone(),
            ignore: args.ignore.clone(),
        };
        let mut ids: Vec<&str> = crate::rules::RULES.iter().map(|r| r.meta().id).collect();
        ids.extend(options.config.custom_rules.iter().map(|c| c.id));
        if let Some(unknown) = selection.unknown(&ids) {
            let hint = crate::text::closest(unknown, &ids)
                .map(|c| format!(" (did you mean `{c}`?)"))
                .unwrap_or_default();
            eprintln!(
                "error: `{}` names no rule{hint}; `tracklint rules` lists them",
                crate::text::visible(unknown)
            );
            return EXIT_ERROR;
        }
        options.selection = Some(selection);
    }
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
    // An editor asked about one buffer: other files' read errors and skips are not its news.
    if stdin_path.is_some() {
        report.errors.retain(|e| in_scope(&e.path));
        report.skipped.retain(|e| in_scope(&e.path));
    }
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
    eprint!("{}", human::cache_warnings(&report));
    // Files that could not be read or parsed are named on stderr; JSON and SARIF carry them.
    if !matches!(args.format, CheckFormat::Json | CheckFormat::Sarif) {
        eprint!("{}", human::errors(&report));
    }
    // Written as it is made: the report of a large tree is never held whole as text.
    let render = |out: &mut dyn Write| -> std::io::Result<()> {
        match args.format {
            CheckFormat::Human if args.statistics => out.write_all(human::statistics(&report).as_bytes()),
            CheckFormat::Human => human::write_check(
                out,
                &report,
                &human::Style {
                    color: args.color.enabled(std::io::stdout().is_terminal()) && args.output_file.is_none(),
                },
                args.quiet,
            ),
            CheckFormat::Json => {
                json::write_check(out, &report)?;
                out.write_all(b"\n")
            }
            CheckFormat::Sarif => out.write_all((crate::report::sarif::check(&report) + "\n").as_bytes()),
            CheckFormat::Github => out.write_all(crate::report::github::check(&report).as_bytes()),
            CheckFormat::Concise => out.write_all(crate::report::concise::check(&report).as_bytes()),
            CheckFormat::Junit => out.write_all(crate::report::junit::check(&report).as_bytes()),
        }
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
    let timings = crate::progress::Timings::from_env();
    let written = match &args.output_file {
        Some(path) => match crate::fsutil::write_atomic_with(path, render) {
            Ok(()) => EXIT_CLEAN,
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", path.display());
                EXIT_ERROR
            }
        },
        None => print_with(render),
    };
    timings.mark("write the report");
    if written != EXIT_CLEAN || report.internal_errors > 0 {
        return EXIT_ERROR;
    }
    let threshold = args.fail_on.severity();
    let failing = report.files.iter().flat_map(|f| &f.diagnostics).any(|d| d.severity >= threshold);
    // The process ends next: freeing every file's sources and facts one by one is wasted time
    // (2% of a run on a dense tree).
    std::mem::forget(report);
    if failing && !args.exit_zero { EXIT_FINDINGS } else { EXIT_CLEAN }
}
