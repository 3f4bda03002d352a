//! String literal helpers shared by the tree-sitter front-ends: escape sequences and `+`
//! concatenations, which Ruby, JavaScript and Python read alike.

use crate::model::{Template, Value, ValueKind};

/// Decodes one escape sequence as Ruby, JavaScript and Python read it in a double-quoted string:
/// `\n`, `\x41`, `\u00e9`, `\u{1F600}`, octal `\101`, a line continuation (nothing), and any
/// other escaped character as itself. An invalid code point decodes to U+FFFD.
pub fn unescape(seq: &str) -> String {
    let Some(body) = seq.strip_prefix('\\') else { return seq.to_string() };
    let hex = |digits: &str| {
        u32::from_str_radix(digits, 16).ok().and_then(char::from_u32).unwrap_or('\u{fffd}').to_string()
    };
    let mut chars = body.chars();
    let Some(first) = chars.next() else { return String::new() };
    let rest = chars.as_str();
    match first {
        'n' => "\n".into(),
        't' => "\t".into(),
        'r' => "\r".into(),
        'a' => "\u{7}".into(),
        'b' => "\u{8}".into(),
        'e' => "\u{1b}".into(),
        'f' => "\u{c}".into(),
        'v' => "\u{b}".into(),
        's' if rest.is_empty() => " ".into(),
        'x' if !rest.is_empty() => hex(rest),
        'u' if rest.starts_with('{') => {
            // Ruby's `\u{41 42}` holds several code points.
            rest.trim_matches(['{', '}']).split_whitespace().map(hex).collect()
        }
        'u' | 'U' if !rest.is_empty() => hex(rest),
        '0'..='7' if rest.chars().all(|c| matches!(c, '0'..='7')) => {
            u32::from_str_radix(body, 8).ok().and_then(char::from_u32).unwrap_or('\u{fffd}').to_string()
        }
        // A backslash before a line break continues the string on the next line.
        '\n' | '\r' => String::new(),
        _ => body.to_string(),
    }
}

/// Joins two operands of `+` into a template when at least one side is string-like.
pub fn join_template(l: Value, r: Value) -> Option<ValueKind> {
    let stringy = |v: &Value| matches!(v.kind, ValueKind::Str(_) | ValueKind::Template(_));
    if !stringy(&l) && !stringy(&r) {
        return None;
    }
    let mut t = Template::default();
    for v in [l, r] {
        match v.kind {
            ValueKind::Str(s) => match t.static_parts.len().cmp(&t.exprs.len()) {
                std::cmp::Ordering::Greater => {
                    if let Some(last) = t.static_parts.last_mut() {
                        last.push_str(&s);
                    }
                }
                _ => t.static_parts.push(s),
            },
            ValueKind::Template(inner) => {
                for (i, part) in inner.static_parts.into_iter().enumerate() {
                    if i == 0 && t.static_parts.len() > t.exprs.len() {
                        if let Some(last) = t.static_parts.last_mut() {
                            last.push_str(&part);
                        }
                    } else {
                        t.static_parts.push(part);
                    }
                    if let Some(e) = inner.exprs.get(i) {
                        t.exprs.push(e.clone());
                    }
                }
            }
            _ => {
                if t.static_parts.len() == t.exprs.len() {
                    t.static_parts.push(String::new());
                }
                t.exprs.push(v);
            }
        }
    }
    if t.static_parts.len() == t.exprs.len() {
        t.static_parts.push(String::new());
    }
    Some(ValueKind::Template(t))
}
