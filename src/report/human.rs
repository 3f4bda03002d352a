//! Human output: each finding rendered by miette with a source snippet, then a summary line.

use super::event_label;
use crate::Report;
use crate::diagnostic::{Diagnostic as Finding, Severity};
use crate::text::{display_path, visible, visible_same_width};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode};
use std::fmt;

/// One finding in the shape miette renders.
struct Rendered<'a> {
    finding: &'a Finding,
    source: &'a dyn SourceCode,
    labels: Vec<LabeledSpan>,
    message: String,
    help: String,
}

impl fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
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
        Some(Box::new(&self.help))
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

/// Lines longer than this are cut around the finding in snippets: a minified line is printed
/// once per finding, and whole it would multiply the output by its length.
const LONG_LINE: usize = 240;

/// A few lines of a file, cut where they are long, that miette reads as if they were the file:
/// line numbers are the file's.
struct Excerpt {
    name: String,
    text: String,
    first_line: usize,
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let inner = self.text.read_span(span, before, after)?;
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line() + self.first_line,
            inner.column(),
            inner.line_count(),
        )))
    }
}

/// The largest char boundary of `text` at or below `at`.
fn floor_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The finding's line with one line of context each side, each cut to a window when long, and
/// the finding's span (clamped to its first line) within that text.
fn excerpt(
    path: &str,
    source: &str,
    lines: &crate::diagnostic::LineIndex,
    d: &Finding,
) -> (Excerpt, (usize, usize)) {
    let line = lines.line_of(d.span.start);
    let line_range = |n: usize| -> Option<(usize, usize)> {
        let start = lines.line_start(n)?;
        let end = lines.line_start(n + 1).map_or(source.len(), |e| e);
        let body = source.get(start..end).unwrap_or("");
        Some((start, start + body.trim_end_matches(['\n', '\r']).len()))
    };
    let first = line.saturating_sub(2);
    let mut text = String::new();
    let mut span = (0, 0);
    for n in first..line + 1 {
        let Some((start, end)) = line_range(n) else { continue };
        let (from, to) = if n + 1 == line {
            let s = d.span.start.clamp(start, end);
            let e = d.span.end.clamp(s, end).min(s + LONG_LINE);
            if end - start <= LONG_LINE {
                (start, end)
            } else {
                (
                    floor_boundary(source, s.saturating_sub(80).max(start)),
                    floor_boundary(source, (e + 80).min(end)),
                )
            }
        } else {
            (start, floor_boundary(source, end.min(start + LONG_LINE)))
        };
        if from > start {
            text.push('…');
        }
        if n + 1 == line {
            let s = d.span.start.clamp(from, to);
            let e = d.span.end.clamp(s, to).min(s + LONG_LINE);
            span = (text.len() + (s - from), floor_boundary(source, e) - s);
        }
        text.push_str(&visible_same_width(source.get(from..to).unwrap_or("")));
        if to < end {
            text.push('…');
        }
        text.push('\n');
    }
    (Excerpt { name: path.to_string(), text, first_line: first }, span)
}

pub fn check(report: &Report, style: &Style, quiet: bool) -> String {
    let mut out = Vec::new();
    // Writing to memory cannot fail.
    let _ = write_check(&mut out, report, style, quiet);
    String::from_utf8(out).unwrap_or_default()
}

/// `check`'s text written to `sink` one finding at a time.
pub fn write_check(
    sink: &mut dyn std::io::Write,
    report: &Report,
    style: &Style,
    quiet: bool,
) -> std::io::Result<()> {
    let handler = handler(style);
    let mut out = String::new();
    for file in &report.files {
        if file.diagnostics.is_empty() {
            continue;
        }
        let path = visible(&display_path(&file.path)).into_owned();
        for d in &file.diagnostics {
            let (source, labels) = match whole_lines(&path, file, d) {
                Some(shown) => shown,
                None => {
                    // Long lines: the finding's line, cut around it, related places in the label.
                    let (excerpt, (start, len)) = excerpt(&path, &file.source, &file.lines, d);
                    let mut label = visible(&label_for(d)).into_owned();
                    for r in d.related.iter().filter(|r| r.elsewhere.is_none()) {
                        let (line, col) = file.lines.line_col(&file.source, r.span.start);
                        label.push_str(&format!("; {} at {line}:{col}", visible(&r.message)));
                    }
                    (excerpt, vec![LabeledSpan::new_primary_with_span(Some(label), (start, len))])
                }
            };
            let source = &source;
            let rendered = Rendered {
                finding: d,
                source,
                labels,
                message: visible(&d.message).into_owned(),
                help: visible(&d.help).into_owned(),
            };
            let (line, col) = file.lines.line_col(&file.source, d.span.start);
            out.push_str(&format!("{path}:{line}:{col}: {} [{}]\n", d.severity, d.rule));
            if handler.render_report(&mut out, &rendered).is_err() {
                out.push_str(&format!("  {}\n", visible(&d.message)));
            }
            // Places in other files, as locations an editor or terminal can follow.
            for r in &d.related {
                if let Some(place) = &r.elsewhere {
                    out.push_str(&format!(
                        "  = related: {}:{}:{}: {}\n",
                        visible(&display_path(&place.path)),
                        place.line,
                        place.column,
                        visible(&r.message)
                    ));
                }
            }
            out.push('\n');
            sink.write_all(out.as_bytes())?;
            out.clear();
        }
    }
    if !quiet {
        out.push_str(&summary_line(report));
    }
    sink.write_all(out.as_bytes())
}

/// The lines the snippet shows (the finding's, its related places', one of context each side)
/// as an excerpt with every label in it, when they are few and short enough to print whole.
/// Only these lines are copied: miette would otherwise scan the file from its start per finding.
fn whole_lines(path: &str, file: &crate::FileReport, d: &Finding) -> Option<(Excerpt, Vec<LabeledSpan>)> {
    let line_of = |offset: usize| file.lines.line_of(offset) - 1;
    let mut lines: Vec<usize> = vec![line_of(d.span.start), line_of(d.span.end)];
    let here: Vec<&crate::diagnostic::Related> = d.related.iter().filter(|r| r.elsewhere.is_none()).collect();
    lines.extend(here.iter().flat_map(|r| [line_of(r.span.start), line_of(r.span.end)]));
    let (low, high) = (*lines.iter().min()?, *lines.iter().max()?);
    // A snippet spanning many lines is long whatever their widths.
    if high - low > 40 {
        return None;
    }
    let first = low.saturating_sub(1);
    let start = file.lines.line_start(first)?;
    let end = file.lines.line_start(high + 2).unwrap_or(file.source.len());
    let mut line_start = start;
    for n in first..=high + 1 {
        let Some(next) = file.lines.line_start(n + 1) else { break };
        if next - line_start > LONG_LINE + 2 {
            return None;
        }
        line_start = next;
    }
    if file.source.len() - line_start > LONG_LINE + 2 && file.lines.line_start(high + 2).is_none() {
        return None;
    }
    let text = visible_same_width(file.source.get(start..end)?).into_owned();
    let shift = |span: crate::model::Span| (span.start - start, span.end - span.start);
    let mut labels =
        vec![LabeledSpan::new_primary_with_span(Some(visible(&label_for(d)).into_owned()), shift(d.span))];
    for r in here {
        labels.push(LabeledSpan::new_with_span(Some(visible(&r.message).into_owned()), shift(r.span)));
    }
    Some((Excerpt { name: path.to_string(), text, first_line: first }, labels))
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
    line.push_str(&fixable_line(report));
    line
}

/// "3 fixable with `--fix` (2 more with `--unsafe-fixes`)", when any finding has a fix.
fn fixable_line(report: &Report) -> String {
    use crate::diagnostic::Applicability;
    let fixes = |a: Applicability| {
        report
            .files
            .iter()
            .flat_map(|f| &f.diagnostics)
            .filter(|d| d.fix.as_ref().is_some_and(|f| f.applicability == a))
            .count()
    };
    let (safe, unsafe_) = (fixes(Applicability::Safe), fixes(Applicability::Unsafe));
    match (safe, unsafe_) {
        (0, 0) => String::new(),
        (0, u) => format!("{u} fixable with `--fix --unsafe-fixes`.\n"),
        (s, 0) => format!("{s} fixable with `--fix`.\n"),
        (s, u) => format!("{s} fixable with `--fix` ({u} more with `--unsafe-fixes`).\n"),
    }
}

/// Findings counted per rule, most first, for `--statistics`: the count, the rule, and `[*]`
/// when some of them can be fixed.
pub fn statistics(report: &Report) -> String {
    let mut counts: Vec<(&str, usize, bool)> = Vec::new();
    for d in report.files.iter().flat_map(|f| &f.diagnostics) {
        match counts.iter_mut().find(|(r, _, _)| *r == d.rule) {
            Some(entry) => {
                entry.1 += 1;
                entry.2 |= d.fix.is_some();
            }
            None => counts.push((d.rule, 1, d.fix.is_some())),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let width = counts.iter().map(|(_, n, _)| n.to_string().len()).max().unwrap_or(1);
    let mut out: String = counts
        .iter()
        .map(|(rule, n, fixable)| format!("{n:>width$}  {rule}{}\n", if *fixable { "  [*]" } else { "" }))
        .collect();
    out.push_str(&summary_line(report));
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// File problems (unreadable, skipped, syntax errors) for stderr.
pub fn errors(report: &Report) -> String {
    report
        .errors
        .iter()
        .map(|e| format!("warning: {}: {}\n", visible(&display_path(&e.path)), visible(&e.message)))
        .collect()
}

/// What `--verbose` adds on stderr: every entry not linted on purpose.
pub fn skipped(report: &Report) -> String {
    let mut out: String = report
        .skipped
        .iter()
        .map(|e| format!("skipped: {}: {}\n", visible(&display_path(&e.path)), visible(&e.message)))
        .collect();
    if let Some(cache) = &report.cache {
        out.push_str(&format!(
            "cache: {} files unchanged, {} read and parsed{}{} ({}{})\n",
            cache.hits,
            cache.misses,
            match (cache.inference_reused, cache.results_reused) {
                (true, true) => ", wrapper inference reused, results reused",
                (true, false) => ", wrapper inference reused",
                (false, true) => ", results reused",
                (false, false) => "",
            },
            match cache.inference_resolved {
                Some((again, of)) => format!(", wrapper inference redone for {again} of {of} files"),
                None => String::new(),
            },
            visible(&display_path(&cache.dir)),
            if cache.written { ", updated" } else { "" }
        ));
    }
    out
}

/// Why the cache could not be used, if so (the run went on without it).
pub fn cache_warnings(report: &Report) -> String {
    let Some(cache) = &report.cache else { return String::new() };
    cache.warnings.iter().map(|w| format!("warning: cache: {}\n", visible(w))).collect()
}

pub fn events(report: &Report) -> String {
    let mut rows: Vec<[String; 5]> = Vec::new();
    for file in &report.files {
        let path = display_path(&file.path);
        for c in &file.listed_calls() {
            let line = file.lines.line_of(c.span.start);
            rows.push([
                shorten(&visible(&event_label(c).unwrap_or_else(|| "-".into()))),
                c.kind.name().to_string(),
                visible(&c.sdk).into_owned(),
                format!("{}:{line}", visible(&path)),
                c.via.first().map(|v| visible(&v.name).into_owned()).unwrap_or_default(),
            ]);
        }
    }
    let header = [
        "EVENT".to_string(),
        "KIND".to_string(),
        "SDK".to_string(),
        "LOCATION".to_string(),
        "VIA".to_string(),
    ];
    let mut widths = header.clone().map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(&header).chain(rows.iter()) {
        // Padded by hand: a format width over 65,535 (a huge event name) panics.
        let cells: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(c, w)| {
                let mut cell = c.clone();
                cell.extend(std::iter::repeat_n(' ', w.saturating_sub(c.chars().count())));
                cell
            })
            .collect();
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

/// `tracklint wrappers`: each inferred tracking function, what fills each role, its chain.
pub fn wrappers(report: &Report) -> String {
    let mut out = String::new();
    for w in &report.wrappers {
        out.push_str(&format!(
            "{}  {}:{}  ({} call site{})\n",
            visible(&w.name),
            visible(&w.path),
            w.line,
            w.call_sites,
            plural(w.call_sites)
        ));
        for call in &w.calls {
            let roles: Vec<String> =
                call.roles.iter().map(|(role, from)| format!("{role} ← {}", visible(from))).collect();
            let when = call.when.as_ref().map(|w| format!(" when {}", visible(w))).unwrap_or_default();
            out.push_str(&format!(
                "    {} ({}){when}: {}\n",
                call.kind,
                visible(&call.sdk),
                roles.join(", ")
            ));
        }
        if !w.chain.is_empty() {
            let chain: Vec<String> = w.chain.iter().map(|c| visible(c).into_owned()).collect();
            out.push_str(&format!("    through {}\n", chain.join(" → ")));
        }
    }
    out.push_str(&format!(
        "{} tracking function{} inferred (`[inference] enabled = false` in tracklint.toml turns this off).\n",
        report.wrappers.len(),
        plural(report.wrappers.len())
    ));
    out
}

/// A cell cut to a readable width: an event name can be any length.
fn shorten(text: &str) -> String {
    const MAX: usize = 120;
    match text.char_indices().nth(MAX) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// A config error as a miette report pointing into the TOML file.
pub fn config_error(e: &crate::config::ConfigError, style: &Style) -> String {
    // The config is the repository's file: its text (and the keys quoted in messages) is shown
    // with control characters made visible.
    let mut diagnostic = miette::MietteDiagnostic::new(visible(&e.message).into_owned())
        .with_code("tracklint::config")
        .with_severity(miette::Severity::Error);
    if let Some(span) = &e.span {
        diagnostic = diagnostic.with_label(LabeledSpan::at(span.clone(), "here"));
    }
    if let Some(help) = &e.help {
        diagnostic = diagnostic.with_help(visible(help).into_owned());
    }
    let source = visible_same_width(&e.source).into_owned();
    let report = miette::Report::new(diagnostic)
        .with_source_code(NamedSource::new(&*visible(&e.path.display().to_string()), source));
    let mut out = String::new();
    if handler(style).render_report(&mut out, report.as_ref()).is_err() {
        out = format!("error: {}\n", visible(&e.to_string()));
    }
    out
}
