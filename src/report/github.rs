//! GitHub Actions workflow commands: each finding becomes an annotation on the pull request.
//! `::error file=app.rb,line=4,col=17,endLine=4,endColumn=27,title=rule::message`.

use crate::Report;
use crate::diagnostic::Severity;

/// Data escaping of workflow commands.
fn escape_data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            // Escapes and direction controls from the repository are shown, not obeyed.
            c if crate::text::needs_escape(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// Property values also escape the separators.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn check(report: &Report) -> String {
    super::findings(report)
        .iter()
        .map(|f| {
            let level = match f.severity() {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            format!(
                "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
                escape_property(&f.path),
                f.line,
                f.column,
                f.end_line,
                f.end_column,
                escape_property(f.rule()),
                escape_data(&format!("{} (fix: {})", f.diagnostic.message, f.diagnostic.help))
            )
        })
        .collect()
}
