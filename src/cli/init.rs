//! `tracklint init`: a starter config with the project's measured naming convention and its
//! inferred wrappers.

use super::*;

pub(super) fn init() -> i32 {
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
