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
            let placeholder = if line.contains("sdk-styles") {
                "# sdk-styles = { posthog-js = \"snake\" }\n"
            } else {
                "# style = \"readable\"\n"
            };
            text = text.replacen(placeholder, &line, 1);
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

/// A convention a set of event names follows: the config line, how many names follow it, of
/// how many, and the style when it is one (PascalCase is a pattern).
struct Measured {
    line: String,
    hits: usize,
    total: usize,
    style: Option<crate::naming::NameStyle>,
}

/// The convention `names` (distinct, literal, no `$` names) already follow: at least five names,
/// four in five following one convention other than the default readable one.
fn measure(names: &[String]) -> Option<Measured> {
    use crate::naming::NameStyle;
    if names.len() < 5 {
        return None;
    }
    const PASCAL: &str = "^[A-Z][a-z0-9]+([A-Z][a-z0-9]*)+$";
    let pascal = regex::Regex::new(PASCAL).ok()?;
    let count = |ok: &dyn Fn(&str) -> bool| names.iter().filter(|n| ok(n)).count();
    let mut candidates: Vec<Measured> = [NameStyle::Snake, NameStyle::Camel, NameStyle::Kebab]
        .into_iter()
        .map(|style| Measured {
            line: format!("style = \"{}\"", style.name()),
            hits: count(&|n| style.problem(n).is_none()),
            total: names.len(),
            style: Some(style),
        })
        .collect();
    candidates.push(Measured {
        line: format!("pattern = \"{PASCAL}\"            # PascalCase"),
        hits: count(&|n| pascal.is_match(n)),
        total: names.len(),
        style: None,
    });
    let readable = count(&|n| NameStyle::Readable.problem(n).is_none());
    let best = candidates.into_iter().max_by_key(|m| m.hits)?;
    (best.hits * 5 >= names.len() * 4 && best.hits > readable).then_some(best)
}

/// The distinct literal event names of the calls of `sdk` (all SDKs when `None`).
fn event_names(report: &crate::Report, sdk: Option<&str>) -> Vec<String> {
    let mut names: Vec<String> = report
        .files
        .iter()
        .flat_map(|f| f.listed_calls())
        .filter(|c| sdk.is_none_or(|s| c.sdk == s))
        .filter_map(|c| c.event.as_ref().and_then(|e| e.as_str()).map(str::to_string))
        .filter(|n| !n.starts_with('$'))
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// The lines to write into `[rules.event-name-style]` for the conventions the project's event
/// names already follow: one `style` (or `pattern`) when its SDKs agree; `sdk-styles` when
/// they differ (PostHog snake case in the browser, readable Mixpanel names on the server).
/// Written so that a first run reports the names that break the team's convention, not every
/// name that follows it.
fn measured_style(report: &crate::Report) -> Option<String> {
    let mut sdks: Vec<crate::model::Shared> =
        report.files.iter().flat_map(|f| f.listed_calls()).map(|c| c.sdk).collect();
    sdks.sort_unstable();
    sdks.dedup();
    let per_sdk: Vec<(&str, Option<Measured>)> =
        sdks.iter().map(|sdk| (sdk.as_str(), measure(&event_names(report, Some(sdk))))).collect();
    let measured_sdks = per_sdk.iter().filter(|(_, m)| m.is_some()).count();
    let sizable = per_sdk.iter().filter(|(sdk, _)| event_names(report, Some(sdk)).len() >= 5).count();
    let lines: std::collections::BTreeSet<&str> =
        per_sdk.iter().filter_map(|(_, m)| m.as_ref().map(|m| m.line.as_str())).collect();
    // SDKs with enough names that follow different conventions (or only some of them one).
    if sizable > 1 && measured_sdks > 0 && (lines.len() > 1 || measured_sdks < sizable) {
        let entries: Vec<String> = per_sdk
            .iter()
            .filter_map(|(sdk, m)| {
                let m = m.as_ref()?;
                Some(format!("{sdk} = \"{}\"", m.style?.name()))
            })
            .collect();
        let counts: Vec<String> = per_sdk
            .iter()
            .filter_map(|(sdk, m)| m.as_ref().map(|m| format!("{sdk}: {} of {}", m.hits, m.total)))
            .collect();
        if !entries.is_empty() {
            return Some(format!(
                "# This project's SDKs name events differently (measured by `tracklint init`: {}).\nsdk-styles = {{ {} }}\n",
                counts.join(", "),
                entries.join(", ")
            ));
        }
    }
    let m = measure(&event_names(report, None))?;
    Some(format!(
        "# readable (the default) would report most of this project's names: {} of {} follow this\n# convention (measured by `tracklint init`).\n{}\n",
        m.hits, m.total, m.line
    ))
}
