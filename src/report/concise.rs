//! `path:line:col: rule message`, one finding a line: for grep, editors and quickfix lists.

use crate::Report;

pub fn check(report: &Report) -> String {
    super::findings(report)
        .iter()
        .map(|f| {
            format!(
                "{}:{}:{}: {} {}\n",
                super::visible(&f.path),
                f.line,
                f.column,
                f.rule(),
                super::visible(&f.diagnostic.message)
            )
        })
        .collect()
}
