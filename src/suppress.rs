//! Inline suppressions: `tracklint: ignore[rule-id, ...] reason` in a comment at the end of a
//! finding's line (it applies to that line only) or in a comment alone on the line before (it
//! applies to the next line), and `tracklint: ignore-file[rule-id, ...]` anywhere in a file.
//! Suppressions that match nothing, and a bare `tracklint: ignore` without rule ids, are
//! reported as `unused-suppression`.

use crate::diagnostic::Diagnostic;
use crate::model::Span;

/// The marker every suppression starts with; also a prefilter trigger, so that files with
/// only a stale suppression are still read.
pub const MARKER: &str = "tracklint:";

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Suppression {
    /// 1-based line of the comment.
    pub line: usize,
    pub file_wide: bool,
    /// The comment is alone on its line: it applies to the next line, not its own.
    pub own_line: bool,
    /// Each rule id with its span in the comment.
    pub rules: Vec<(String, Span)>,
    /// A `tracklint: ignore` with no `[rule-id]` list, which suppresses nothing: the span of
    /// the marker.
    pub bare: Option<Span>,
}

/// Finds the suppression comments in a file's text.
pub fn parse(source: &str) -> Vec<Suppression> {
    let mut out = Vec::new();
    if !source.contains(MARKER) {
        return out;
    }
    let mut line_start = 0;
    for (index, line) in source.split_inclusive('\n').enumerate() {
        let mut search = 0;
        // Only in a comment: `#`, `//` or `/*` earlier on the line (or a `*` block line). Where
        // the first comment opener is, found once per line, however many markers it holds.
        let block_line = line.trim_start().starts_with('*');
        let comment_at = [line.find('#'), line.find("//"), line.find("/*")].into_iter().flatten().min();
        while let Some(found) = line[search..].find(MARKER) {
            let at = search + found;
            search = at + MARKER.len();
            let in_comment = block_line || comment_at.is_some_and(|c| c < at);
            if !in_comment {
                continue;
            }
            let rest = line[search..].trim_start();
            let offset = line_start + line.len() - line[search..].len() + (line[search..].len() - rest.len());
            // JSX writes a comment alone on a line as `{/* .. */}`.
            let own_line = comment_at.is_some_and(|c| matches!(line[..c].trim(), "" | "{")) || block_line;
            let (file_wide, after) = if let Some(r) = rest.strip_prefix("ignore-file[") {
                (true, r)
            } else if let Some(r) = rest.strip_prefix("ignore[") {
                (false, r)
            } else {
                // `tracklint: ignore` (or `ignore-file`) with no list, said in so many words.
                let word_end =
                    rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).unwrap_or(rest.len());
                if matches!(&rest[..word_end], "ignore" | "ignore-file") {
                    let start = line_start + at;
                    out.push(Suppression {
                        line: index + 1,
                        file_wide: false,
                        own_line,
                        rules: Vec::new(),
                        bare: Some(Span::new(start, offset + word_end)),
                    });
                }
                continue;
            };
            let Some(close) = after.find(']') else { continue };
            let list_start = offset + (rest.len() - after.len());
            let mut rules = Vec::new();
            let mut pos = 0;
            for part in after[..close].split(',') {
                let trimmed = part.trim();
                if !trimmed.is_empty() {
                    let lead = part.len() - part.trim_start().len();
                    let start = list_start + pos + lead;
                    rules.push((trimmed.to_string(), Span::new(start, start + trimmed.len())));
                }
                pos += part.len() + 1;
            }
            out.push(Suppression { line: index + 1, file_wide, own_line, rules, bare: None });
        }
        line_start += line.len();
    }
    out
}

/// Drops suppressed diagnostics and answers, for each suppression, which of its rule ids
/// matched one (`unused-suppression` reports the others). `line_of` maps a byte offset to its
/// 1-based line.
pub fn apply(
    diagnostics: &mut Vec<Diagnostic>,
    suppressions: &[Suppression],
    line_of: impl Fn(usize) -> usize,
) -> Vec<Vec<bool>> {
    let mut used: Vec<Vec<bool>> = suppressions.iter().map(|s| vec![false; s.rules.len()]).collect();
    if suppressions.is_empty() {
        return used;
    }
    // The suppressions that can apply to a line: file-wide ones, and those by line number.
    let file_wide: Vec<usize> = (0..suppressions.len()).filter(|&i| suppressions[i].file_wide).collect();
    let mut by_line: std::collections::HashMap<usize, Vec<usize>> = std::collections::HashMap::new();
    for (i, s) in suppressions.iter().enumerate().filter(|(_, s)| !s.file_wide) {
        by_line.entry(s.line).or_default().push(i);
    }
    diagnostics.retain(|d| {
        let line = line_of(d.span.start);
        let mut keep = true;
        // A trailing comment covers its own line; a comment alone on a line, the next one.
        let near = [(line, false), (line.saturating_sub(1), true)]
            .into_iter()
            .filter(|(l, _)| *l > 0)
            .flat_map(|(l, own_line)| {
                by_line
                    .get(&l)
                    .into_iter()
                    .flatten()
                    .copied()
                    .filter(move |&i| suppressions[i].own_line == own_line)
            });
        for i in file_wide.iter().copied().chain(near) {
            let (s, used) = (&suppressions[i], &mut used[i]);
            for ((rule, _), used) in s.rules.iter().zip(used.iter_mut()) {
                if rule == d.rule {
                    *used = true;
                    keep = false;
                }
            }
        }
        keep
    });
    used
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_comments_in_every_syntax() {
        let src = "a # tracklint: ignore[event-name-style] legacy\n// tracklint: ignore[a, b]\n/* tracklint: ignore-file[c] */\nx = 'tracklint: ignore[d]'\n";
        let s = parse(src);
        assert_eq!(s.len(), 3, "{s:?}");
        assert_eq!(s[0].line, 1);
        assert_eq!(&src[s[0].rules[0].1.start..s[0].rules[0].1.end], "event-name-style");
        assert_eq!(s[1].rules.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(&src[s[1].rules[1].1.start..s[1].rules[1].1.end], "b");
        assert!(s[2].file_wide);
    }
}
