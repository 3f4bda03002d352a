//! Diagnostics are plain data; renderers in `report/` read only these structs.

use crate::model::Span;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Keeps the program's meaning; may be applied automatically.
    Safe,
    /// Changes what is sent (e.g. renames an event); needs a person's decision.
    Unsafe,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fix {
    pub applicability: Applicability,
    pub span: Span,
    pub replacement: String,
}

/// Another place a finding points at: in the same file (`elsewhere` is `None`, the span is
/// into the finding's file) or in another file of the project.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Related {
    pub span: Span,
    pub message: String,
    pub elsewhere: Option<Elsewhere>,
}

/// A related place in another file, its position computed where that file's text was at hand.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Elsewhere {
    pub path: std::path::PathBuf,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

/// One finding in one file. Serialised for the on-disk cache (read back as a
/// [`StoredDiagnostic`]: the fields of the two stay in the same order).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diagnostic {
    pub rule: &'static str,
    pub severity: Severity,
    pub span: Span,
    pub message: String,
    pub help: String,
    /// A few words shown under the primary span in human output.
    pub label: Option<String>,
    pub related: Vec<Related>,
    pub fix: Option<Fix>,
    /// For a finding at a call of the project's own tracking function: the functions between
    /// it and the SDK, outermost first.
    pub via: Vec<crate::model::Via>,
}

/// A [`Diagnostic`] as the cache gives it back: its rule id is text until it is matched
/// with a rule of this run ([`Self::into_diagnostic`]).
#[derive(Deserialize)]
#[serde(rename = "Diagnostic")]
pub struct StoredDiagnostic {
    pub rule: String,
    severity: Severity,
    span: Span,
    message: String,
    help: String,
    label: Option<String>,
    related: Vec<Related>,
    fix: Option<Fix>,
    via: Vec<crate::model::Via>,
}

impl StoredDiagnostic {
    /// The finding, with `rule` (the static id of the rule named by [`Self::rule`]).
    pub fn into_diagnostic(self, rule: &'static str) -> Diagnostic {
        let StoredDiagnostic { severity, span, message, help, label, related, fix, via, .. } = self;
        Diagnostic { rule, severity, span, message, help, label, related, fix, via }
    }
}

impl Diagnostic {
    pub fn new(rule: &'static str, severity: Severity, span: Span, message: String, help: String) -> Self {
        Diagnostic {
            rule,
            severity,
            span,
            message,
            help,
            label: None,
            related: Vec::new(),
            fix: None,
            via: Vec::new(),
        }
    }

    pub fn with_related(mut self, span: Span, message: impl Into<String>) -> Self {
        self.related.push(Related { span, message: message.into(), elsewhere: None });
        self
    }

    /// A related place in another file.
    pub fn with_related_elsewhere(
        mut self,
        place: Elsewhere,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        self.related.push(Related { span, message: message.into(), elsewhere: Some(place) });
        self
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }
}

/// Maps byte offsets to 1-based lines and character columns.
pub struct LineIndex {
    line_starts: Vec<usize>,
    /// Characters before each multiple of [`CHECKPOINT`] bytes; empty for an ASCII text, whose
    /// columns are byte distances. A column is then found in bounded time on any line length.
    char_checkpoints: Vec<usize>,
}

const CHECKPOINT: usize = 4096;

/// Whether a byte starts a character (is not a UTF-8 continuation byte).
fn starts_char(b: &u8) -> bool {
    (b & 0xc0) != 0x80
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => line_starts.push(i + 1),
                // A lone CR ends a line too (old Mac files); CRLF is handled by the `\n`.
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => line_starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        let char_checkpoints = if text.is_ascii() {
            Vec::new()
        } else {
            let mut total = 0;
            let mut checkpoints = Vec::with_capacity(bytes.len() / CHECKPOINT + 1);
            for chunk in bytes.chunks(CHECKPOINT) {
                checkpoints.push(total);
                total += chunk.iter().filter(|b| starts_char(b)).count();
            }
            checkpoints
        };
        LineIndex { line_starts, char_checkpoints }
    }

    /// The characters in `text[..offset]`.
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        if self.char_checkpoints.is_empty() {
            return offset;
        }
        let block = offset / CHECKPOINT;
        let before = self.char_checkpoints.get(block).copied().unwrap_or(0);
        let from = block * CHECKPOINT;
        before + text.as_bytes().get(from..offset).map_or(0, |b| b.iter().filter(|b| starts_char(b)).count())
    }

    /// The 1-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }

    /// The byte offset where 0-based line `n` starts.
    pub fn line_start(&self, n: usize) -> Option<usize> {
        self.line_starts.get(n).copied()
    }

    /// 1-based line and 1-based column counted in characters.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let column = self.chars_before(text, offset) - self.chars_before(text, start);
        (line + 1, column + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_of_counts_every_line_ending() {
        let text = "a\r\nb\rc\nd";
        let index = LineIndex::new(text);
        for (offset, line) in [(0, 1), (3, 2), (5, 3), (7, 4)] {
            assert_eq!(index.line_of(offset), line, "{offset}");
            assert_eq!(index.line_of(offset), index.line_col(text, offset).0, "{offset}");
        }
    }

    #[test]
    fn columns_count_characters_and_all_line_endings() {
        let text = "ab\r\ncé x\rz\ny";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), (1, 1));
        assert_eq!(idx.line_col(text, 4), (2, 1));
        // `x` comes after the two-byte `é`.
        assert_eq!(idx.line_col(text, text.find('x').unwrap_or(0)), (2, 4));
        assert_eq!(idx.line_col(text, text.find('z').unwrap_or(0)), (3, 1));
        assert_eq!(idx.line_col(text, text.find('y').unwrap_or(0)), (4, 1));
    }

    #[test]
    fn columns_on_long_lines_agree_with_counting_characters() {
        let text = format!("x\n{}", "aé€😀b".repeat(3000));
        let idx = LineIndex::new(&text);
        for (offset, _) in text.char_indices().step_by(997) {
            let expected = text[..offset].rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            assert_eq!(idx.line_col(&text, offset).1, expected, "at {offset}");
            assert_eq!(idx.line_of(offset), idx.line_col(&text, offset).0);
        }
    }
}
