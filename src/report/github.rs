//! GitHub Actions workflow commands: each finding becomes an annotation on the pull request.
//! `::error file=app.rb,line=4,col=17,endLine=4,endColumn=27,title=rule::message`.

use crate::Report;
use crate::diagnostic::Severity;

/// Data escaping of workflow commands.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
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
