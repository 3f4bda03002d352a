//! SARIF 2.1.0, for GitHub code scanning and other SARIF viewers. Every rule is described in
//! `tool.driver.rules`; each result has its rule, level, message, 1-based region, the fix when
//! there is one, and a fingerprint that survives edits elsewhere in the file.

use crate::Report;
use crate::diagnostic::Severity;
use crate::rules::RULES;
use serde_json::{Value, json};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// `event-name-style` → `EventNameStyle`.
fn pascal(id: &str) -> String {
    id.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
        })
        .collect()
}

/// The first paragraph under "What it does".
fn what_it_does(doc: &str) -> String {
    let body = doc.split("## What it does").nth(1).unwrap_or(doc);
    let paragraph = body.trim_start().split("\n\n").next().unwrap_or("");
    paragraph.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn region(line: usize, column: usize, end_line: usize, end_column: usize) -> Value {
    json!({ "startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column })
}

pub fn check(report: &Report) -> String {
    let findings = super::findings(report);
    let mut rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            let m = r.meta();
            json!({
                "id": m.id,
                "name": pascal(m.id),
                "shortDescription": { "text": m.summary },
                "fullDescription": { "text": what_it_does(m.doc()) },
                "help": { "text": m.doc(), "markdown": m.doc() },
                "helpUri": help_uri(m),
                "defaultConfiguration": { "level": level(m.default_severity) },
                "properties": { "practice": m.practice },
            })
        })
        .collect();
    let mut ids: Vec<String> = RULES.iter().map(|r| r.meta().id.to_string()).collect();
    // A project's custom rules are rules too.
    for f in &findings {
        if !ids.iter().any(|i| i == f.rule()) {
            ids.push(f.rule().to_string());
            rules.push(json!({
                "id": f.rule(),
                "name": pascal(f.rule()),
                "shortDescription": { "text": format!("Custom rule `{}` from tracklint.toml", f.rule()) },
                "defaultConfiguration": { "level": level(f.severity()) },
            }));
        }
    }
    // Fingerprints are computed per file (occurrences count within a file).
    let prints: Vec<Vec<String>> = report.files.iter().map(super::file_fingerprints).collect();
    let file_index: std::collections::HashMap<*const crate::FileReport, usize> =
        report.files.iter().enumerate().map(|(i, f)| (f as *const crate::FileReport, i)).collect();
    let fingerprint = |f: &super::Finding| {
        let file = file_index.get(&(f.file as *const crate::FileReport)).copied().unwrap_or(0);
        prints.get(file).and_then(|p| p.get(f.index)).cloned().unwrap_or_default()
    };
    // Each result is written out as soon as it is built: a tree of every result at once takes
    // several times the memory of the text.
    let results: Vec<String> = findings
        .iter()
        .map(|f| {
            let d = f.diagnostic;
            let mut result = json!({
                "ruleId": d.rule,
                "ruleIndex": ids.iter().position(|i| i == d.rule).unwrap_or(0),
                "level": level(d.severity),
                "message": { "text": format!("{} Fix: {}", d.message, d.help) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": artifact(&f.path),
                        "region": region(f.line, f.column, f.end_line, f.end_column),
                    }
                }],
                "partialFingerprints": { "tracklint/v1": fingerprint(f) },
            });
            // The project's own functions between this call and the SDK, where each is defined,
            // then the finding's other places (in this file or another).
            let mut related: Vec<Value> = d
                .via
                .iter()
                .map(|v| {
                    json!({
                        "message": { "text": format!("through `{}`", v.name) },
                        "physicalLocation": {
                            "artifactLocation": artifact(&crate::text::display_path(&v.path)),
                            "region": { "startLine": v.line },
                        },
                    })
                })
                .collect();
            for r in &d.related {
                let (path, start, end) = match &r.elsewhere {
                    Some(place) => (
                        crate::text::display_path(&place.path),
                        (place.line, place.column),
                        (place.end_line, place.end_column),
                    ),
                    None => (
                        f.path.clone(),
                        f.file.lines.line_col(&f.file.source, r.span.start),
                        f.file.lines.line_col(&f.file.source, r.span.end),
                    ),
                };
                related.push(json!({
                    "message": { "text": r.message },
                    "physicalLocation": {
                        "artifactLocation": artifact(&path),
                        "region": region(start.0, start.1, end.0, end.1),
                    },
                }));
            }
            if !related.is_empty() {
                for (i, r) in related.iter_mut().enumerate() {
                    r["id"] = json!(i);
                }
                result["relatedLocations"] = Value::Array(related);
            }
            if let Some(fix) = &d.fix {
                let (line, column) = f.file.lines.line_col(&f.file.source, fix.span.start);
                let (end_line, end_column) = f.file.lines.line_col(&f.file.source, fix.span.end);
                result["fixes"] = json!([{
                    "description": { "text": format!("{} fix: replace with `{}`", match fix.applicability {
                        crate::diagnostic::Applicability::Safe => "Safe",
                        crate::diagnostic::Applicability::Unsafe => "Unsafe",
                    }, fix.replacement) },
                    "artifactChanges": [{
                        "artifactLocation": artifact(&f.path),
                        "replacements": [{
                            "deletedRegion": region(line, column, end_line, end_column),
                            "insertedContent": { "text": fix.replacement },
                        }],
                    }],
                }]);
            }
            serde_json::to_string(&result).unwrap_or_default()
        })
        .collect();
    drop(findings);
    let sarif = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "tracklint",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": env!("CARGO_PKG_REPOSITORY"),
                    "rules": rules,
                }
            },
            // Columns count characters, as in every other tracklint output.
            "columnKind": "unicodeCodePoints",
            "results": RESULTS_SLOT,
        }],
    });
    let skeleton = serde_json::to_string_pretty(&sarif).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    let slot = format!("\"{RESULTS_SLOT}\"");
    let total: usize = results.iter().map(|r| r.len() + 2).sum();
    let mut out = String::with_capacity(skeleton.len() + total + 4);
    match skeleton.split_once(&slot) {
        Some((before, after)) => {
            out.push_str(before);
            out.push('[');
            for (i, r) in results.iter().enumerate() {
                out.push_str(if i == 0 { "\n" } else { ",\n" });
                out.push_str(r);
            }
            out.push_str("\n]");
            out.push_str(after);
        }
        None => out.push_str(&skeleton),
    }
    out
}

/// Where a rule is documented: its file, whose doc comment is its documentation.
fn help_uri(meta: &crate::rules::RuleMeta) -> String {
    let file = meta.module.rsplit("::").next().unwrap_or(meta.module);
    format!("{}/blob/main/src/rules/{file}.rs", env!("CARGO_PKG_REPOSITORY"))
}

/// Where the results go in the serialised skeleton (a string no rule or path can produce: the
/// skeleton holds only tool metadata).
const RESULTS_SLOT: &str = "@@tracklint-results@@";

/// Where a finding is: relative paths against the checkout root (`%SRCROOT%`), absolute ones as
/// `file://` URIs.
fn artifact(path: &str) -> Value {
    if path.starts_with('/') {
        json!({ "uri": format!("file://{}", uri(path)) })
    } else {
        json!({ "uri": uri(path), "uriBaseId": "%SRCROOT%" })
    }
}

/// A relative path as a URI reference (RFC 3986): every byte outside the unreserved set and `/`
/// is percent-encoded, so `app/(app)/[id]/page.tsx` and `100%.js` are valid `uri` values.
pub fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod uri_tests {
    #[test]
    fn paths_are_percent_encoded() {
        assert_eq!(super::uri("app/(app)/[id]/page.tsx"), "app/%28app%29/%5Bid%5D/page.tsx");
        assert_eq!(super::uri("100%.js"), "100%25.js");
        assert_eq!(super::uri("a b/é.rb"), "a%20b/%C3%A9.rb");
    }
}
