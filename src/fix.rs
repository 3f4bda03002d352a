//! Autofix: applies the fixes of a report to the files on disk (`--fix`), or shows them as a
//! unified diff (`--diff`). Fixes are applied from the end of each file backwards; a fix that
//! overlaps one already chosen is left for the next run; files with a parse error, files that
//! changed since they were read, and files read with replaced bytes (invalid UTF-8) are never
//! touched. Writes are atomic ([`crate::fsutil::write_atomic`]).

use crate::diagnostic::Applicability;
use crate::text::display_path;
use crate::{FileReport, Report};
use std::path::PathBuf;

#[derive(Default)]
pub struct Outcome {
    /// Files written (or, with `--diff`, that would be).
    pub files: Vec<PathBuf>,
    pub fixes: usize,
    /// The unified diff, when asked for.
    pub diff: String,
    pub errors: Vec<String>,
}

/// The fixed text of one file, and how many fixes went in.
fn fixed_text(file: &FileReport, unsafe_fixes: bool) -> Option<(String, usize)> {
    let mut fixes: Vec<&crate::diagnostic::Fix> = file
        .diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .filter(|f| unsafe_fixes || f.applicability == Applicability::Safe)
        .collect();
    if fixes.is_empty() {
        return None;
    }
    fixes.sort_by_key(|f| std::cmp::Reverse((f.span.start, f.span.end)));
    let mut text = file.source.clone();
    let mut applied = 0;
    let mut floor = usize::MAX;
    for fix in fixes {
        // From the end backwards: a fix must end before the start of the last one applied.
        if fix.span.end > floor || fix.span.start > fix.span.end || fix.span.end > text.len() {
            continue;
        }
        if !text.is_char_boundary(fix.span.start) || !text.is_char_boundary(fix.span.end) {
            continue;
        }
        text.replace_range(fix.span.start..fix.span.end, &fix.replacement);
        floor = fix.span.start;
        applied += 1;
    }
    (applied > 0 && text != file.source).then_some((text, applied))
}

pub fn apply(report: &Report, unsafe_fixes: bool, diff_only: bool) -> Outcome {
    let mut outcome = Outcome { files: Vec::new(), fixes: 0, diff: String::new(), errors: Vec::new() };
    for file in &report.files {
        if file.syntax_error {
            continue;
        }
        let Some((fixed, count)) = fixed_text(file, unsafe_fixes) else { continue };
        // What is on disk must be exactly what was linted (plus a byte-order mark).
        // Bounded: a file that grew (or was swapped for a device) since it was read is not ours
        // to rewrite, and must not stall the run.
        let on_disk = match crate::fsutil::read_bounded(&file.path, file.source.len() as u64 + 4, None) {
            Ok(bytes) => bytes,
            Err(e) => {
                outcome.errors.push(format!("{}: cannot read for fixing: {e}", display_path(&file.path)));
                continue;
            }
        };
        let (bom, body) = match on_disk.strip_prefix("\u{feff}".as_bytes()) {
            Some(rest) => ("\u{feff}", rest),
            None => ("", on_disk.as_slice()),
        };
        if body != file.source.as_bytes() {
            outcome.errors.push(format!(
                "{}: changed since it was read (or has invalid UTF-8); not fixed",
                display_path(&file.path)
            ));
            continue;
        }
        if diff_only {
            outcome.diff.push_str(&unified_diff(&display_path(&file.path), &file.source, &fixed));
        } else if let Err(e) = crate::fsutil::write_atomic(&file.path, format!("{bom}{fixed}").as_bytes()) {
            outcome.errors.push(format!("{}: cannot write: {e}", display_path(&file.path)));
            continue;
        }
        outcome.files.push(file.path.clone());
        outcome.fixes += count;
    }
    outcome
}

/// The change as a unified diff with three lines of context, one hunk per group of changes
/// (fixes far apart are separate hunks), from the `similar` crate.
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    let diff = similar::TextDiff::from_lines(old, new);
    diff.unified_diff().context_radius(3).header(&format!("a/{path}"), &format!("b/{path}")).to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn diff_of_one_changed_line() {
        let d = super::unified_diff("a.rb", "1\n2\n3\n4\n5\n6\n7\n8\n", "1\n2\n3\n4\nfive\n6\n7\n8\n");
        assert_eq!(d, "--- a/a.rb\n+++ b/a.rb\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
    }

    #[test]
    fn fixes_far_apart_are_separate_hunks() {
        let old: String = (1..=60).map(|n| format!("{n}\n")).collect();
        let new = old.replace("\n5\n", "\nfive\n").replace("\n46\n", "\nforty-six\n");
        let d = super::unified_diff("a.rb", &old, &new);
        assert_eq!(d.matches("\n@@ ").count() + usize::from(d.starts_with("@@")), 2, "{d}");
        assert!(d.contains("@@ -2,7 +2,7 @@") && d.contains("@@ -43,7 +43,7 @@"), "{d}");
        assert_eq!(d.lines().count(), 2 + 2 * 9, "two hunks (a header and 8 lines each): {d}");
        let last = super::unified_diff("a.rb", "a\nb", "a\nc");
        assert!(last.ends_with("+c\n\\ No newline at end of file\n"), "{last}");
    }
}
