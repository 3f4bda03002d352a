//! Renderers. Each reads only the [`crate::Report`] data: diagnostics, calls and errors.

pub mod human;
pub mod json;

use crate::text::display_path;

/// The event name of a call as the inventory shows it: `<dynamic>` for a computed one.
pub fn event_label(call: &crate::model::Call) -> Option<String> {
    match (call.listed_event(), &call.event) {
        (Some(name), _) => Some(name.to_string()),
        (None, Some(_)) => Some("<dynamic>".to_string()),
        (None, None) => None,
    }
}

pub mod concise;
pub mod github;
pub mod junit;
pub mod sarif;

use crate::diagnostic::{Diagnostic, Severity};
use crate::{FileReport, Report};

/// One diagnostic with everything a line-oriented format prints, positions resolved.
pub struct Finding<'a> {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub diagnostic: &'a Diagnostic,
    pub file: &'a FileReport,
    /// The diagnostic's index in its file's list (what [`file_fingerprints`] is indexed by).
    pub index: usize,
}

impl Finding<'_> {
    pub fn rule(&self) -> &'static str {
        self.diagnostic.rule
    }

    pub fn severity(&self) -> Severity {
        self.diagnostic.severity
    }
}

/// Every diagnostic of the report, in path and position order. Positions are worked out file
/// by file in parallel; the sort is stable, so equal keys keep file and list order.
pub fn findings(report: &Report) -> Vec<Finding<'_>> {
    use rayon::prelude::*;
    let mut out: Vec<Finding<'_>> = report
        .files
        .par_iter()
        .flat_map_iter(|file| {
            let path = display_path(&file.path);
            file.diagnostics.iter().enumerate().map(move |(index, d)| {
                let (line, column) = file.lines.line_col(&file.source, d.span.start);
                let (end_line, end_column) = file.lines.line_col(&file.source, d.span.end);
                Finding { path: path.clone(), line, column, end_line, end_column, diagnostic: d, file, index }
            })
        })
        .collect();
    out.par_sort_by(|a, b| (&a.path, a.line, a.column, a.rule()).cmp(&(&b.path, b.line, b.column, b.rule())));
    out
}

/// The fingerprint of each diagnostic of a file, in order: rule, path, the offending line's text
/// and, for identical ones, which occurrence it is. Line numbers are not part of it, so an edit
/// elsewhere in the file keeps every fingerprint.
pub fn file_fingerprints(file: &FileReport) -> Vec<String> {
    let path = display_path(&file.path);
    let mut seen: std::collections::HashMap<(String, &str), usize> = std::collections::HashMap::new();
    let mut order: Vec<usize> = (0..file.diagnostics.len()).collect();
    // Occurrences count in source order, whatever order the diagnostics are in.
    order.sort_by_key(|&i| (file.diagnostics[i].span.start, file.diagnostics[i].rule));
    let mut out = vec![String::new(); file.diagnostics.len()];
    for i in order {
        let d = &file.diagnostics[i];
        let text = normalized_text(file, d);
        let n = seen.entry((text.clone(), d.rule)).or_insert(0);
        out[i] = fingerprint(d.rule, &path, &text, *n);
        *n += 1;
    }
    out
}

/// The offending source text with whitespace squeezed: what identifies a finding when lines
/// move. The whole source line is used, so two findings on one expression differ by rule only.
/// On a line longer than [`FINGERPRINT_LINE`] bytes (minified code) only the span and a little
/// around it count, so fingerprinting many findings on one line stays linear.
fn normalized_text(file: &FileReport, d: &Diagnostic) -> String {
    let src = &file.source;
    let line = file.lines.line_of(d.span.start);
    let start = file.lines.line_start(line - 1).unwrap_or(0).min(d.span.start);
    let end = file.lines.line_start(line).map_or(src.len(), |next| next.max(d.span.end));
    let (start, end) = if end - start > FINGERPRINT_LINE {
        let floor = |mut at: usize| {
            while !src.is_char_boundary(at) {
                at -= 1;
            }
            at
        };
        (
            floor(d.span.start.saturating_sub(64).max(start)),
            floor((d.span.end + 64).min(end).min(d.span.start + FINGERPRINT_LINE)),
        )
    } else {
        (start, end)
    };
    src.get(start..end).unwrap_or("").split_whitespace().collect::<Vec<_>>().join(" ")
}

const FINGERPRINT_LINE: usize = 1024;

/// A 64-bit FNV-1a hash of rule, path, text and occurrence, as 16 hex digits.
pub fn fingerprint(rule: &str, path: &str, text: &str, occurrence: usize) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [rule, "\0", path, "\0", text, "\0", &occurrence.to_string()] {
        for byte in part.bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}
