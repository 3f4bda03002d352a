//! Text helpers every layer may use: how repository text is shown safely, how paths are
//! displayed, how close two names are. Depends on nothing in the crate.

use std::path::Path;

/// The path as shown to users: relative to the current directory when possible, `/` separators.
pub fn display_path(path: &Path) -> String {
    // Asked of the system once: a report shows tens of thousands of paths, and tracklint never
    // changes its directory.
    static CWD: std::sync::OnceLock<Option<std::path::PathBuf>> = std::sync::OnceLock::new();
    let rel = if path.is_absolute() {
        let cwd = CWD.get_or_init(|| std::env::current_dir().ok());
        cwd.as_deref().and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
    } else {
        None
    };
    let shown = rel.as_deref().unwrap_or(path);
    let text = shown.to_string_lossy().replace('\\', "/");
    text.strip_prefix("./").map(str::to_string).unwrap_or(text)
}

/// Text from the repository (paths, event names, messages that quote them) as a terminal or a CI
/// log may show it: control characters, line breaks, C1 controls and bidirectional overrides
/// become visible escapes (`\n`, `\u{1b}`), so nothing printed can move the cursor, start a line
/// that a CI runner reads as a command (`::add-mask::`), or reorder what is shown.
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if needs_escape(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Characters [`visible`] escapes: every control character but tab, and the invisible
/// direction controls.
pub fn needs_escape(c: char) -> bool {
    (c.is_control() && c != '\t') || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A source text for a snippet: every character [`visible`] would escape (other than line
/// breaks) becomes as many `?` as it has bytes, so offsets into the text stay valid.
pub fn visible_same_width(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| needs_escape(c) && c != '\n' && c != '\r') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if needs_escape(c) && c != '\n' && c != '\r' {
            out.extend(std::iter::repeat_n('?', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The candidate closest to `word` by edit distance, if it is close enough to be a typo.
pub fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (edit_distance(word, c), *c))
        .filter(|(d, c)| *d <= (c.len() / 3).max(2))
        .min()
        .map(|(_, c)| c)
}

/// Edits between two names, a swap of neighbours counting as one (`$emial` is one from
/// `$email`).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

/// The last segment of a `::`-qualified name (`Mixpanel::Tracker` → `Tracker`).
pub fn base_name(name: &str) -> &str {
    name.rsplit("::").next().unwrap_or(name)
}
