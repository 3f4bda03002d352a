//! Baselines: adopt tracklint on a codebase with existing findings and fail only on new ones.
//! `tracklint baseline` records every current finding by rule, path and a fingerprint of the
//! offending line's text (not its number: edits elsewhere do not resurrect it); `check
//! --baseline FILE` drops the recorded ones and, with `--show-fixed`, lists those that are gone.

use crate::Report;
use crate::report::file_fingerprints;
use crate::text::display_path;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::path::Path;

pub const DEFAULT_FILE: &str = ".tracklint-baseline.json";

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Entry {
    pub rule: String,
    pub path: String,
    pub fingerprint: String,
    /// Where it was when recorded; informative only.
    pub line: usize,
    pub message: String,
}

#[derive(Serialize, Deserialize)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

pub fn from_report(report: &Report) -> Baseline {
    let mut findings = Vec::new();
    for file in &report.files {
        let path = display_path(&file.path);
        for (d, fingerprint) in file.diagnostics.iter().zip(file_fingerprints(file)) {
            findings.push(Entry {
                rule: d.rule.to_string(),
                path: path.clone(),
                fingerprint,
                line: file.lines.line_of(d.span.start),
                message: d.message.clone(),
            });
        }
    }
    findings.sort();
    Baseline { version: 1, findings }
}

pub fn write(path: &Path, baseline: &Baseline) -> Result<(), String> {
    let text = serde_json::to_string_pretty(baseline).map_err(|e| e.to_string())? + "\n";
    crate::fsutil::write_atomic(path, text.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

pub fn load(path: &Path) -> Result<Baseline, String> {
    let text = crate::fsutil::read_text(path, crate::fsutil::DATA_LIMIT, None)
        .map_err(|e| format!("cannot read baseline {}: {e}", path.display()))?;
    let baseline: Baseline = serde_json::from_str(&text)
        .map_err(|e| format!("{} is not a tracklint baseline: {e}", path.display()))?;
    if baseline.version != 1 {
        return Err(format!(
            "{}: baseline version {} is not supported (1 is)",
            path.display(),
            baseline.version
        ));
    }
    Ok(baseline)
}

/// Removes the baseline's findings from the report; returns the baseline entries that no
/// longer occur (fixed since). Only files the report covers can say an entry is fixed.
pub fn apply(report: &mut Report, baseline: &Baseline) -> Vec<Entry> {
    let key = |e: &Entry| (e.rule.clone(), e.path.clone(), e.fingerprint.clone());
    let known: HashSet<(String, String, String)> = baseline.findings.iter().map(key).collect();
    let mut seen: HashSet<(String, String, String)> = HashSet::new();
    for file in &mut report.files {
        let path = display_path(&file.path);
        let mut prints = file_fingerprints(file).into_iter();
        file.diagnostics.retain(|d| {
            let id = (d.rule.to_string(), path.clone(), prints.next().unwrap_or_default());
            let new = !known.contains(&id);
            seen.insert(id);
            new
        });
    }
    let checked: HashSet<String> = report.scanned.iter().map(|p| display_path(p)).collect();
    baseline
        .findings
        .iter()
        .filter(|e| checked.contains(&e.path) && !seen.contains(&key(e)))
        .cloned()
        .collect()
}
