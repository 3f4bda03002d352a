//! Human output: each finding rendered by miette with a source snippet, then a summary line.

use super::{display_path, event_label};
use crate::Report;
use crate::diagnostic::{Diagnostic as Finding, Severity};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode};
use std::fmt;

/// One finding in the shape miette renders.
struct Rendered<'a> {
    finding: &'a Finding,
    source: &'a NamedSource<String>,
    labels: Vec<LabeledSpan>,
}

impl fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl std::error::Error for Rendered<'_> {}

impl miette::Diagnostic for Rendered<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.finding.help))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
}

pub struct Style {
    pub color: bool,
}

pub fn handler(style: &Style) -> GraphicalReportHandler {
    let theme = if style.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    GraphicalReportHandler::new_themed(theme).with_width(110).with_context_lines(1)
}

fn label_for(finding: &Finding) -> String {
    match (&finding.fix, &finding.label) {
        (Some(fix), _) => format!("{} fix: `{}`", fix_word(fix.applicability), fix.replacement),
        (None, Some(label)) => label.clone(),
        (None, None) => "here".to_string(),
    }
}

fn fix_word(a: crate::diagnostic::Applicability) -> &'static str {
    match a {
        crate::diagnostic::Applicability::Safe => "safe",
        crate::diagnostic::Applicability::Unsafe => "unsafe",
    }
}

pub fn check(report: &Report, style: &Style, quiet: bool) -> String {
    let handler = handler(style);
    let mut out = String::new();
    for file in &report.files {
        if file.diagnostics.is_empty() {
            continue;
        }
        let path = display_path(&file.path);
        let source = NamedSource::new(path.clone(), file.source.clone());
        for d in &file.diagnostics {
            let mut labels = vec![LabeledSpan::new_primary_with_span(
                Some(label_for(d)),
                (d.span.start, d.span.end - d.span.start),
            )];
            for r in &d.related {
                labels.push(LabeledSpan::new_with_span(
                    Some(r.message.clone()),
                    (r.span.start, r.span.end - r.span.start),
                ));
            }
            let rendered = Rendered { finding: d, source: &source, labels };
            let (line, col) = file.lines.line_col(&file.source, d.span.start);
            out.push_str(&format!("{path}:{line}:{col}: {} [{}]\n", d.severity, d.rule));
            if handler.render_report(&mut out, &rendered).is_err() {
                out.push_str(&format!("  {}\n", d.message));
            }
            out.push('\n');
        }
    }
    if !quiet {
        out.push_str(&summary_line(report));
    }
    out
}

fn summary_line(report: &Report) -> String {
    let count =
        |s: Severity| report.files.iter().flat_map(|f| &f.diagnostics).filter(|d| d.severity == s).count();
    let total = report.diagnostic_count();
    let files = report.files.iter().filter(|f| !f.diagnostics.is_empty()).count();
    let mut line = if total == 0 {
        "No problems found".to_string()
    } else {
        format!(
            "Found {total} problem{} ({} error{}, {} warning{}, {} info) in {files} file{}",
            plural(total),
            count(Severity::Error),
            plural(count(Severity::Error)),
            count(Severity::Warning),
            plural(count(Severity::Warning)),
            count(Severity::Info),
            plural(files)
        )
    };
    line.push_str(&format!(
        "; {} file{} scanned, {} tracking call{} in {} file{}.\n",
        report.files_scanned,
        plural(report.files_scanned),
        report.call_count(),
        plural(report.call_count()),
        report.files_with_calls(),
        plural(report.files_with_calls())
    ));
    line
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// File problems (unreadable, skipped, syntax errors) for stderr.
pub fn errors(report: &Report) -> String {
    report.errors.iter().map(|e| format!("warning: {}: {}\n", display_path(&e.path), e.message)).collect()
}

/// What `--verbose` adds on stderr: every entry not linted on purpose.
pub fn skipped(report: &Report) -> String {
    report.skipped.iter().map(|e| format!("skipped: {}: {}\n", display_path(&e.path), e.message)).collect()
}

pub fn events(report: &Report) -> String {
    let mut rows: Vec<[String; 4]> = Vec::new();
    for file in &report.files {
        let path = display_path(&file.path);
        for c in &file.calls {
            let (line, _) = file.lines.line_col(&file.source, c.span.start);
            rows.push([
                event_label(c).unwrap_or_else(|| "-".into()),
                c.kind.name().to_string(),
                c.sdk.clone(),
                format!("{path}:{line}"),
            ]);
        }
    }
    let header = ["EVENT".to_string(), "KIND".to_string(), "SDK".to_string(), "LOCATION".to_string()];
    let mut widths = header.clone().map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(&header).chain(rows.iter()) {
        let cells: Vec<String> = row.iter().zip(widths).map(|(c, w)| format!("{c:<w$}")).collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out.push_str(&format!(
        "{} tracking call{} in {} file{}.\n",
        rows.len(),
        plural(rows.len()),
        report.files_with_calls(),
        plural(report.files_with_calls())
    ));
    out
}

/// A config error as a miette report pointing into the TOML file.
pub fn config_error(e: &crate::config::ConfigError, style: &Style) -> String {
    let mut diagnostic = miette::MietteDiagnostic::new(e.message.clone())
        .with_code("tracklint::config")
        .with_severity(miette::Severity::Error);
    if let Some(span) = &e.span {
        diagnostic = diagnostic.with_label(LabeledSpan::at(span.clone(), "here"));
    }
    if let Some(help) = &e.help {
        diagnostic = diagnostic.with_help(help.clone());
    }
    let report = miette::Report::new(diagnostic)
        .with_source_code(NamedSource::new(e.path.display().to_string(), e.source.clone()));
    let mut out = String::new();
    if handler(style).render_report(&mut out, report.as_ref()).is_err() {
        out = format!("error: {e}\n");
    }
    out
}
