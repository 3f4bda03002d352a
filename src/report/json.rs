//! The JSON output: a versioned contract other tools parse (documented in the README).

use super::event_label;
use crate::text::display_path;
use crate::{FileReport, Report};
use serde::Serialize;

#[derive(Serialize)]
struct JsonFix<'a> {
    applicability: crate::diagnostic::Applicability,
    replacement: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    rule: &'a str,
    severity: crate::diagnostic::Severity,
    message: &'a str,
    help: &'a str,
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    fix: Option<JsonFix<'a>>,
    /// The project's own functions between this call site and the SDK, outermost first
    /// (empty for a direct SDK call).
    via: Vec<JsonVia>,
    /// Other places the finding points at, in this file or another.
    related: Vec<JsonRelated<'a>>,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    message: &'a str,
    path: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

/// Each related place of `d` (a finding in `file`) with its path and position.
fn related<'a>(file: &FileReport, d: &'a crate::diagnostic::Diagnostic) -> Vec<JsonRelated<'a>> {
    d.related
        .iter()
        .map(|r| match &r.elsewhere {
            Some(place) => JsonRelated {
                message: &r.message,
                path: display_path(&place.path),
                line: place.line,
                column: place.column,
                end_line: place.end_line,
                end_column: place.end_column,
            },
            None => {
                let (line, column) = file.lines.line_col(&file.source, r.span.start);
                let (end_line, end_column) = file.lines.line_col(&file.source, r.span.end);
                JsonRelated {
                    message: &r.message,
                    path: display_path(&file.path),
                    line,
                    column,
                    end_line,
                    end_column,
                }
            }
        })
        .collect()
}

#[derive(Serialize)]
struct JsonVia {
    name: String,
    path: String,
    line: usize,
}

fn via(chain: &[crate::model::Via]) -> Vec<JsonVia> {
    chain
        .iter()
        .map(|v| JsonVia { name: v.name.clone(), path: display_path(&v.path), line: v.line })
        .collect()
}

#[derive(Serialize)]
struct JsonError {
    path: String,
    message: String,
}

#[derive(Serialize)]
struct Summary {
    files_scanned: usize,
    files_with_calls: usize,
    calls: usize,
    diagnostics: usize,
    errors: Vec<JsonError>,
    skipped: Vec<JsonError>,
}

#[derive(Serialize)]
struct JsonCall {
    event: Option<String>,
    dynamic: bool,
    kind: &'static str,
    sdk: String,
    method: String,
    path: String,
    line: usize,
    column: usize,
    via: Vec<JsonVia>,
    /// The function or method the call is in, when it has a name.
    function: Option<String>,
    /// The properties written at the call, each with the type its value shows.
    properties: Vec<crate::property_type::PropertyType>,
}

#[derive(Serialize)]
struct EventsOutput {
    version: u32,
    /// The commit of the checked repository, when the current directory is in one.
    commit: Option<String>,
    calls: Vec<JsonCall>,
    summary: Summary,
}

fn position(file: &FileReport, offset: usize) -> (usize, usize) {
    file.lines.line_col(&file.source, offset)
}

fn summary(report: &Report) -> Summary {
    Summary {
        files_scanned: report.files_scanned,
        files_with_calls: report.files_with_calls(),
        calls: report.call_count(),
        diagnostics: report.diagnostic_count(),
        errors: report
            .errors
            .iter()
            .map(|e| JsonError { path: display_path(&e.path), message: e.message.clone() })
            .collect(),
        skipped: report
            .skipped
            .iter()
            .map(|e| JsonError { path: display_path(&e.path), message: e.message.clone() })
            .collect(),
    }
}

pub fn check(report: &Report) -> String {
    let mut out = Vec::new();
    match write_check(&mut out, report) {
        Ok(()) => String::from_utf8(out).unwrap_or_default(),
        Err(e) => format!("{{\"error\": \"{e}\"}}"),
    }
}

/// `check`'s JSON written to `out`: serde_json's pretty layout, with the diagnostics (nearly
/// all of a large report) rendered a batch at a time in parallel and written in order. Only
/// one batch is ever held as text.
pub fn write_check(out: &mut dyn std::io::Write, report: &Report) -> std::io::Result<()> {
    // 256 diagnostics a task (~250 KB of text), 8 tasks between two writes (2 MB held).
    write_check_in(out, report, 256, 8)
}

/// [`write_check`] with `task` diagnostics rendered by one task and `batch` tasks rendered
/// between two writes.
fn write_check_in(
    out: &mut dyn std::io::Write,
    report: &Report,
    task: usize,
    batch: usize,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    let findings = super::findings(report);
    out.write_all(b"{\n  \"version\": 1,\n  \"diagnostics\": [")?;
    let tasks: Vec<&[super::Finding]> = findings.chunks(task).collect();
    for (b, batch) in tasks.chunks(batch).enumerate() {
        let texts: Vec<std::io::Result<Vec<u8>>> = batch
            .par_iter()
            .enumerate()
            .map(|(t, task)| {
                let mut text = Vec::with_capacity(task.len() * 1024);
                for (i, finding) in task.iter().enumerate() {
                    let first = b == 0 && t == 0 && i == 0;
                    text.extend_from_slice(if first { b"\n" } else { b",\n" });
                    let one = serde_json::to_vec_pretty(&json_diagnostic(finding)).map_err(json_error)?;
                    indent(&mut text, &one, b"    ");
                }
                Ok(text)
            })
            .collect();
        for text in texts {
            out.write_all(&text?)?;
        }
    }
    out.write_all(if findings.is_empty() { b"],\n  \"summary\": " } else { b"\n  ],\n  \"summary\": " })?;
    let summary = serde_json::to_vec_pretty(&summary(report)).map_err(json_error)?;
    let mut text = Vec::with_capacity(summary.len() + 64);
    indent(&mut text, &summary, b"  ");
    out.write_all(text.strip_prefix(b"  ".as_slice()).unwrap_or(&text))?;
    out.write_all(b"\n}")
}

/// `json` (serde_json's pretty text of one value) appended to `out` with every line indented
/// by `by`. JSON text has no raw newline inside a string, so every newline ends a line.
fn indent(out: &mut Vec<u8>, json: &[u8], by: &[u8]) {
    for (i, line) in json.split(|b| *b == b'\n').enumerate() {
        if i > 0 {
            out.push(b'\n');
        }
        out.extend_from_slice(by);
        out.extend_from_slice(line);
    }
}

/// A serde_json error as an I/O error; the writer's own errors keep their kind (a closed pipe
/// is not a failure of ours).
fn json_error(e: serde_json::Error) -> std::io::Error {
    match e.io_error_kind() {
        Some(kind) => std::io::Error::new(kind, e),
        None => std::io::Error::other(e),
    }
}

fn json_diagnostic<'a>(f: &'a super::Finding<'a>) -> JsonDiagnostic<'a> {
    let d = f.diagnostic;
    let fix = d.fix.as_ref().map(|fix| {
        let (line, column) = position(f.file, fix.span.start);
        let (end_line, end_column) = position(f.file, fix.span.end);
        JsonFix {
            applicability: fix.applicability,
            replacement: &fix.replacement,
            line,
            column,
            end_line,
            end_column,
        }
    });
    JsonDiagnostic {
        rule: d.rule,
        severity: d.severity,
        message: &d.message,
        help: &d.help,
        path: &f.path,
        line: f.line,
        column: f.column,
        end_line: f.end_line,
        end_column: f.end_column,
        fix,
        via: via(&d.via),
        related: related(f.file, d),
    }
}

pub fn events(report: &Report) -> String {
    let mut calls = Vec::new();
    for file in &report.files {
        let path = display_path(&file.path);
        for c in &file.listed_calls() {
            let (line, column) = position(file, c.span.start);
            let event = event_label(c);
            calls.push(JsonCall {
                dynamic: event.as_deref() == Some("<dynamic>"),
                event: event.filter(|e| e != "<dynamic>"),
                kind: c.kind.name(),
                sdk: c.sdk.to_string(),
                method: c.method.to_string(),
                path: path.clone(),
                line,
                column,
                via: via(&c.via),
                function: c.context.function_name.clone(),
                properties: crate::property_type::of_call(c),
            });
        }
    }
    let commit = report.commit.clone();
    let out = EventsOutput { version: 1, commit, calls, summary: summary(report) };
    serde_json::to_string_pretty(&out).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

/// One event of the inventory: its calls (as YAML lines) and its properties' types.
type InventoryEntry = (Vec<String>, std::collections::BTreeMap<String, serde_json::Value>);

/// `tracklint events --format yaml`: per event (literal names; `null` for calls whose name is
/// computed), its calls and the union of its properties with their types. Every scalar is a
/// JSON string or flow value, which YAML reads as written.
pub fn events_yaml(report: &Report) -> String {
    use std::collections::BTreeMap;
    let quote = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into());
    let mut events: BTreeMap<Option<String>, InventoryEntry> = BTreeMap::new();
    for file in &report.files {
        let path = display_path(&file.path);
        for c in file.listed_calls().iter().filter(|c| c.kind.is_event()) {
            let (line, _) = position(file, c.span.start);
            let name = c.listed_event().map(str::to_string);
            let entry = events.entry(name).or_default();
            let mut call = format!(
                "      - path: {}\n        line: {line}\n        sdk: {}\n",
                quote(&path),
                quote(&c.sdk)
            );
            if let Some(function) = &c.context.function_name {
                call.push_str(&format!("        function: {}\n", quote(function)));
            }
            if !c.via.is_empty() {
                let chain: Vec<String> = c.via.iter().map(|v| quote(&v.name)).collect();
                call.push_str(&format!("        via: [{}]\n", chain.join(", ")));
            }
            entry.0.push(call);
            for p in crate::property_type::of_call(c) {
                match entry.1.get_mut(&p.name) {
                    Some(existing) => crate::property_type::merge(existing, p.ty),
                    None => {
                        entry.1.insert(p.name, p.ty);
                    }
                }
            }
        }
    }
    let commit = report.commit.clone();
    let mut out = String::from("# tracklint events inventory\n");
    out.push_str(&format!("commit: {}\n", commit.map_or("null".to_string(), |c| quote(&c))));
    out.push_str("events:\n");
    for (name, (calls, props)) in &events {
        out.push_str(&format!("  - name: {}\n", name.as_deref().map_or("null".to_string(), quote)));
        out.push_str("    calls:\n");
        for call in calls {
            out.push_str(call);
        }
        if props.is_empty() {
            out.push_str("    properties: {}\n");
        } else {
            out.push_str("    properties:\n");
            for (key, ty) in props {
                out.push_str(&format!("      {}: {}\n", quote(key), ty));
            }
        }
    }
    out
}

#[derive(Serialize)]
struct WrappersOutput<'a> {
    version: u32,
    wrappers: &'a [crate::infer::WrapperInfo],
}

/// `tracklint wrappers --format json`.
pub fn wrappers(report: &Report) -> String {
    let out = WrappersOutput { version: 1, wrappers: &report.wrappers };
    serde_json::to_string_pretty(&out).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

#[cfg(test)]
mod tests {
    /// What serde_json writes for the whole document at once: the layout the batched writer
    /// must reproduce byte for byte.
    fn written_whole(report: &crate::Report) -> Vec<u8> {
        #[derive(serde::Serialize)]
        struct Whole<'a> {
            version: u32,
            diagnostics: Vec<super::JsonDiagnostic<'a>>,
            summary: super::Summary,
        }
        let findings = crate::report::findings(report);
        let whole = Whole {
            version: 1,
            diagnostics: findings.iter().map(super::json_diagnostic).collect(),
            summary: super::summary(report),
        };
        serde_json::to_vec_pretty(&whole).unwrap_or_else(|e| panic!("{e}"))
    }

    fn written_in_batches(report: &crate::Report, task: usize, batch: usize) -> Vec<u8> {
        let mut out = Vec::new();
        super::write_check_in(&mut out, report, task, batch).unwrap_or_else(|e| panic!("{e}"));
        out
    }

    #[test]
    fn the_batched_json_is_what_serde_json_writes_whole() {
        let lint = |path: &str| {
            let options =
                crate::Options { paths: vec![std::path::PathBuf::from(path)], ..crate::Options::default() };
            crate::lint(&options).unwrap_or_else(|e| panic!("{e}"))
        };
        // Many findings (more than one task and one batch), fixes, related places, wrappers.
        let report = lint("fixtures");
        assert!(report.diagnostic_count() > 100, "{}", report.diagnostic_count());
        let whole = String::from_utf8_lossy(&written_whole(&report)).into_owned();
        for (task, batch) in [(256, 64), (3, 2), (1, 1), (7, 1000)] {
            let batched = written_in_batches(&report, task, batch);
            assert_eq!(String::from_utf8_lossy(&batched), whole, "{task} {batch}");
        }
        // No finding at all: `"diagnostics": []`.
        let clean = lint("fixtures/event-name-style/good.rb");
        assert_eq!(clean.diagnostic_count(), 0);
        assert_eq!(written_in_batches(&clean, 256, 64), written_whole(&clean));
    }
}
