//! `path:line:col: severity[rule] message`, one finding a line: for grep, editors and quickfix
//! lists.

use crate::Report;

pub fn check(report: &Report) -> String {
    super::findings(report)
        .iter()
        .map(|f| {
            format!(
                "{}:{}:{}: {}[{}] {}\n",
                crate::text::visible(&f.path),
                f.line,
                f.column,
                f.severity().name(),
                f.rule(),
                crate::text::visible(&f.diagnostic.message)
            )
        })
        .collect()
}
