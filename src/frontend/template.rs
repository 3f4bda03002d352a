//! Templates (`.html`, `.html.erb`, `.vue`, `.svelte`, `.astro`, `.haml`, `.slim`): the
//! JavaScript inside `<script>` blocks (Astro's frontmatter, HAML's `:javascript` and Slim's
//! `javascript:` filters, event handler attributes such as Vue's `@click="..."`) is parsed in
//! place. Everything else is blanked byte for byte, newlines kept, so every offset, line and
//! column is the file's own.
//!
//! Template output tags inside a script (ERB `"<%= current_user.email %>"`, Django/Jinja
//! `"{{ user.email }}"`) become identifiers of the same length for the parser, and afterwards
//! values that keep their server-side expression: the rules see the path `current_user.email`,
//! not a string of placeholder characters. Code and comment tags (`<% if %>`, `{% if %}`) are
//! blanked.

use super::{ExtractOptions, FileFacts, ParseFailure, first_error, javascript, parse};
use crate::model::{Language, Path, Span, Template, Value, ValueKind};

struct TagKind {
    open: &'static str,
    close: &'static str,
}

/// ERB (`<% %>`, `<%= %>`), Django/Jinja/Handlebars (`{{ }}`, `{% %}`, `{# #}`) tags, and
/// Ruby's `#{ }` interpolation, which only HAML and Slim filters read (the last kind).
const TAG_KINDS: [TagKind; 5] = [
    TagKind { open: "<%", close: "%>" },
    TagKind { open: "{{", close: "}}" },
    TagKind { open: "{%", close: "%}" },
    TagKind { open: "{#", close: "#}" },
    TagKind { open: "#{", close: "}" },
];

/// A script region: the byte range of its body, and what holds it.
#[derive(Clone, Copy)]
struct Region {
    start: usize,
    end: usize,
    kind: RegionKind,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum RegionKind {
    /// A `<script>` element's body or Astro's frontmatter.
    Script,
    /// A HAML or Slim filter, whose `#{..}` is Ruby interpolation.
    Filter,
    /// An event handler attribute's value (Vue `@click="track('Saved')"`, `v-on:`, Alpine
    /// `x-on:`), between its quotes.
    Handler,
}

/// Finds template tags in one script region, in order. Each kind's next opening is searched for
/// again only once the scan has passed it, so a region is read a bounded number of times
/// however many tags it holds.
struct TagScanner {
    /// Per kind: where its next opening is at or after the last search (`usize::MAX`: none).
    next: [Option<usize>; TAG_KINDS.len()],
}

impl TagScanner {
    /// `interpolation`: `#{..}` counts (a HAML or Slim filter).
    fn new(interpolation: bool) -> Self {
        let mut next = [None; TAG_KINDS.len()];
        if !interpolation {
            next[TAG_KINDS.len() - 1] = Some(usize::MAX);
        }
        TagScanner { next }
    }

    /// The first template tag starting in `at..end`.
    fn next_tag(&mut self, source: &str, at: usize, end: usize) -> Option<(usize, &'static TagKind)> {
        let mut best: Option<(usize, &'static TagKind)> = None;
        for (slot, kind) in self.next.iter_mut().zip(&TAG_KINDS) {
            let found = match *slot {
                Some(usize::MAX) => continue,
                Some(p) if p >= at => p,
                _ => {
                    let p =
                        source.get(at..end).and_then(|r| r.find(kind.open)).map_or(usize::MAX, |o| at + o);
                    *slot = Some(p);
                    p
                }
            };
            if found != usize::MAX && best.is_none_or(|(b, _)| found < b) {
                best = Some((found, kind));
            }
        }
        best
    }
}

/// A template output tag inside a script block, with its server-side expression.
struct ErbTag {
    span: Span,
    expr: String,
}

pub fn extract(source: &str, options: &ExtractOptions) -> Result<FileFacts, ParseFailure> {
    let (virtual_source, tags) = script_view(source);
    let tree = parse(Language::Template, &virtual_source)?;
    let mut facts = javascript::extract(&tree, &virtual_source, options);
    if tree.root_node().has_error() {
        facts.syntax_error = first_error(tree.root_node());
    }
    if !tags.is_empty() {
        for site in &mut facts.sites {
            for arg in &mut site.args {
                restore_erb(&mut arg.value, source, &tags, 0);
            }
        }
    }
    Ok(facts)
}

/// The script regions of a template, in order.
fn script_regions(source: &str) -> Vec<Region> {
    let mut regions: Vec<Region> = tag_regions(source)
        .into_iter()
        .map(|(start, end)| Region { start, end, kind: RegionKind::Script })
        .collect();
    let filters = filter_regions(source).into_iter().map(|(start, end)| Region {
        start,
        end,
        kind: RegionKind::Filter,
    });
    let handlers = handler_regions(source).into_iter().map(|(start, end)| Region {
        start,
        end,
        kind: RegionKind::Handler,
    });
    for region in filters.chain(handlers) {
        if !regions.iter().any(|r| region.start < r.end && r.start < region.end) {
            regions.push(region);
        }
    }
    regions.sort_by_key(|r| r.start);
    regions
}

/// Event handler attributes (`@click="..."`, `v-on:submit.prevent='...'`, `x-on:click="..."`):
/// the JavaScript between the quotes.
fn handler_regions(source: &str) -> Vec<(usize, usize)> {
    let bytes = source.as_bytes();
    let mut regions = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let prefix = if bytes[at] == b'@' {
            1
        } else if bytes[at..].starts_with(b"v-on:") || bytes[at..].starts_with(b"x-on:") {
            5
        } else {
            at += 1;
            continue;
        };
        // An attribute starts after whitespace: not an email's or a decorator's `@`.
        if at == 0 || !bytes[at - 1].is_ascii_whitespace() {
            at += 1;
            continue;
        }
        let name_start = at + prefix;
        let mut i = name_start;
        while i < bytes.len()
            && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'-' | b'_' | b'.' | b':'))
        {
            i += 1;
        }
        let quote = bytes.get(i + 1).copied();
        if i == name_start || bytes.get(i) != Some(&b'=') || !matches!(quote, Some(b'"' | b'\'')) {
            at = i.max(at + 1);
            continue;
        }
        let body = i + 2;
        let Some(len) = bytes[body..].iter().position(|&b| Some(b) == quote) else { break };
        if len > 0 {
            regions.push((body, body + len));
        }
        at = body + len + 1;
    }
    regions
}

/// HAML's `:javascript` and Slim's `javascript:` filters: the lines indented deeper than the
/// filter's own line, blank lines included, up to the first line that is not.
fn filter_regions(source: &str) -> Vec<(usize, usize)> {
    let indent = |line: &str| line.len() - line.trim_start_matches([' ', '\t']).len();
    let mut regions = Vec::new();
    let mut open: Option<(usize, usize)> = None;
    let mut at = 0;
    for line in source.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let blank = content.trim().is_empty();
        if let Some((start, depth)) = open
            && !blank
            && indent(content) <= depth
        {
            regions.push((start, at));
            open = None;
        }
        if open.is_none() && matches!(content.trim(), ":javascript" | "javascript:") {
            open = Some((at + line.len(), indent(content)));
        }
        at += line.len();
    }
    if let Some((start, _)) = open {
        regions.push((start, source.len()));
    }
    regions.retain(|(start, end)| start < end);
    regions
}

/// The bodies of `<script>` elements (and Astro's frontmatter) as (start, end) byte ranges.
fn tag_regions(source: &str) -> Vec<(usize, usize)> {
    let mut regions = Vec::new();
    if let Some(front) = astro_frontmatter(source) {
        regions.push(front);
    }
    let lower = source.to_ascii_lowercase();
    let mut at = 0;
    while let Some(found) = lower.get(at..).and_then(|rest| rest.find("<script")) {
        let tag_start = at + found;
        let after_name = tag_start + "<script".len();
        // `<scripts>` or `<script-x>` is another element.
        if lower.as_bytes().get(after_name).is_some_and(|b| !(b.is_ascii_whitespace() || *b == b'>')) {
            at = after_name;
            continue;
        }
        let Some(tag_end) = start_tag_end(lower.as_bytes(), after_name) else {
            break;
        };
        // `<script type="application/ld+json" set:html={..} />` (Astro, JSX): no body.
        if lower.as_bytes()[tag_end - 1] == b'/' {
            at = tag_end + 1;
            continue;
        }
        let attributes = lower.get(after_name..tag_end).unwrap_or("");
        let body_start = tag_end + 1;
        let body_end = lower
            .get(body_start..)
            .and_then(|rest| rest.find("</script"))
            .map_or(source.len(), |e| body_start + e);
        if is_javascript(attributes) {
            regions.push((body_start, body_end));
        }
        at = body_end;
    }
    regions
}

/// The `>` that closes a start tag whose attributes begin at `from`: not one inside a quoted
/// value or inside an attribute expression in braces (Astro's and JSX's `set:html={a => ..}`,
/// strings in it skipped whole). One pass; `None` when the tag never closes.
fn start_tag_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    for (i, &b) in bytes.iter().enumerate().skip(from) {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None => match b {
                b'"' | b'\'' => quote = Some(b),
                b'`' if depth > 0 => quote = Some(b),
                b'{' => depth += 1,
                b'}' => depth = depth.saturating_sub(1),
                b'>' if depth == 0 => return Some(i),
                _ => {}
            },
        }
    }
    None
}

/// `type="text/template"`, JSON and other data blocks are not code.
fn is_javascript(attributes: &str) -> bool {
    let Some(at) = attributes.find("type=") else { return true };
    let value = attributes[at + 5..].trim_start_matches(['"', '\'']);
    ["text/javascript", "application/javascript", "module", "text/babel", "text/typescript", "ts"]
        .iter()
        .any(|t| value.starts_with(t))
}

/// Astro's `---` frontmatter is TypeScript; a YAML front matter (Jekyll) is not, so only one
/// that imports or declares something counts.
fn astro_frontmatter(source: &str) -> Option<(usize, usize)> {
    let rest = source.strip_prefix("---")?;
    let body_start = 3 + rest.find('\n')? + 1;
    let body_len = source.get(body_start..)?.find("\n---")?;
    let body = source.get(body_start..body_start + body_len)?;
    let code = ["import ", "const ", "let ", "Astro."].iter().any(|k| body.contains(k));
    code.then_some((body_start, body_start + body_len))
}

/// The source with everything outside script bodies blanked and ERB tags inside them replaced;
/// same length, same line breaks.
fn script_view(source: &str) -> (String, Vec<ErbTag>) {
    let bytes = source.as_bytes();
    let mut out: Vec<u8> = bytes.iter().map(|&b| if b == b'\n' || b == b'\r' { b } else { b' ' }).collect();
    let mut tags = Vec::new();
    for Region { start, end, kind: region } in script_regions(source) {
        out[start..end].copy_from_slice(&bytes[start..end]);
        // Ends whatever statement the previous block left open: on the element's `>`, at the
        // end of a filter's line, on a handler's opening quote (its closing one ends it too).
        let before = if region == RegionKind::Filter { start.checked_sub(2) } else { start.checked_sub(1) };
        let ends = |b: u8| match region {
            RegionKind::Script => b == b'>',
            RegionKind::Filter => b != b'\r',
            RegionKind::Handler => true,
        };
        if let Some(i) = before.filter(|&i| ends(bytes[i])) {
            out[i] = b';';
        }
        if region == RegionKind::Handler && end < out.len() {
            out[end] = b';';
        }
        let mut at = start;
        let mut scanner = TagScanner::new(region == RegionKind::Filter);
        while let Some((open, kind)) = scanner.next_tag(source, at, end) {
            let Some(close) = source
                .get(open + 2..end)
                .and_then(|r| r.find(kind.close))
                .map(|c| open + 2 + c + kind.close.len())
            else {
                break;
            };
            let inner = &source[open + 2..close - kind.close.len()];
            let output = match kind.close {
                "%>" if kind.open == "<%" => inner.starts_with('=') || inner.starts_with("-="),
                "}}" | "}" => true,
                _ => false,
            };
            let single_line = !inner.contains('\n');
            for b in out[open..close].iter_mut() {
                if *b != b'\n' && *b != b'\r' {
                    // An output tag reads as an identifier; code and comment tags as blanks.
                    *b = if output && single_line { b'_' } else { b' ' };
                }
            }
            if output && single_line {
                let expr = if kind.open == "{{" {
                    // `{{ user.email|escapejs }}`: the filters format the value.
                    inner.split('|').next().unwrap_or(inner).trim()
                } else {
                    inner.trim_start_matches('-').trim_start_matches('=').trim_end_matches('-').trim()
                };
                tags.push(ErbTag { span: Span::new(open, close), expr: expr.to_string() });
            }
            at = close;
        }
    }
    // Every byte written is ASCII or copied whole from a UTF-8 region whose edges are ASCII.
    let text = String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    (text, tags)
}

/// Puts the Ruby expressions back where the parser saw placeholders.
fn restore_erb(value: &mut Value, source: &str, tags: &[ErbTag], depth: usize) {
    if depth > super::MAX_VALUE_DEPTH {
        return;
    }
    // Tags are in source order and never overlap: the ones inside are one run, found by search.
    let from = tags.partition_point(|t| t.span.start < value.span.start);
    let to = from + tags[from..].partition_point(|t| t.span.start < value.span.end);
    let inside: Vec<&ErbTag> = tags[from..to].iter().filter(|t| t.span.end <= value.span.end).collect();
    if inside.is_empty() {
        return;
    }
    match &mut value.kind {
        ValueKind::Path(_) | ValueKind::Unknown(_) if inside.len() == 1 && inside[0].span == value.span => {
            value.kind = erb_value(&inside[0].expr);
        }
        // `"<%= user.email %>"` is the expression; `"Viewed <%= page %>"` a template.
        ValueKind::Str(_) => {
            let (open, close) = (value.span.start + 1, value.span.end.saturating_sub(1));
            if let [only] = inside.as_slice()
                && only.span == Span::new(open, close)
            {
                value.kind = erb_value(&only.expr);
                return;
            }
            let mut template = Template::default();
            let mut at = open;
            for tag in &inside {
                template.static_parts.push(source.get(at..tag.span.start).unwrap_or("").to_string());
                template.exprs.push(Value::new(erb_value(&tag.expr), tag.span));
                at = tag.span.end;
            }
            template.static_parts.push(source.get(at..close).unwrap_or("").to_string());
            value.kind = ValueKind::Template(template);
        }
        ValueKind::Object(obj) => {
            for entry in &mut obj.entries {
                restore_erb(&mut entry.value, source, tags, depth + 1);
            }
        }
        ValueKind::Array(items) => {
            for item in items {
                restore_erb(item, source, tags, depth + 1);
            }
        }
        ValueKind::Call { args, .. } => {
            for arg in args {
                restore_erb(arg, source, tags, depth + 1);
            }
        }
        ValueKind::Template(t) => {
            for e in &mut t.exprs {
                restore_erb(e, source, tags, depth + 1);
            }
        }
        _ => {}
    }
}

/// A Ruby expression as a value: `current_user.email`, `@user.id.to_json`, `params[:email]`
/// are paths; anything else keeps its text.
fn erb_value(expr: &str) -> ValueKind {
    let mut e = expr.trim();
    for prefix in ["raw ", "j ", "h ", "escape_javascript ", "json_escape "] {
        e = e.strip_prefix(prefix).unwrap_or(e).trim();
    }
    for wrapper in ["raw(", "j(", "h(", "escape_javascript(", "json_escape("] {
        if let Some(inner) = e.strip_prefix(wrapper).and_then(|r| r.strip_suffix(')')) {
            e = inner.trim();
        }
    }
    for suffix in [".to_json", ".html_safe", ".to_s"] {
        e = e.strip_suffix(suffix).unwrap_or(e);
    }
    let mut segments = Vec::new();
    for part in e.split('.') {
        let (name, mut rest) = part.split_once('[').map_or((part, ""), |(n, r)| (n, r));
        let valid = |s: &str| {
            let s = s.trim_start_matches(['@', '$']).trim_end_matches(['?', '!']);
            !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        };
        if !valid(name) {
            return ValueKind::Unknown(expr.to_string());
        }
        segments.push(name.to_string());
        // `params[:user][:email]`
        while !rest.is_empty() {
            let Some((key, after)) = rest.split_once(']') else {
                return ValueKind::Unknown(expr.to_string());
            };
            let key = key.trim().trim_start_matches(':').trim_matches(['\'', '"']);
            if !valid(key) {
                return ValueKind::Unknown(expr.to_string());
            }
            segments.push(key.to_string());
            rest = after.strip_prefix('[').unwrap_or(after);
        }
    }
    ValueKind::Path(Path { segments, text: expr.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn view_keeps_offsets_and_lines() {
        let src =
            "<div>\n<script>\nmixpanel.track('A', {e: \"<%= current_user.email %>\"});\n</script>\n<p>x</p>";
        let (view, tags) = script_view(src);
        assert_eq!(view.len(), src.len());
        assert_eq!(view.matches('\n').count(), src.matches('\n').count());
        assert!(view.contains("mixpanel.track('A', {e: \"__"));
        assert!(!view.contains("div"));
        assert_eq!(tags.len(), 1);
        assert_eq!(tags[0].expr, "current_user.email");
    }

    #[test]
    fn erb_expressions_become_paths() {
        assert_eq!(
            erb_value("raw current_user.email.to_json"),
            ValueKind::Path(Path {
                segments: vec!["current_user".into(), "email".into()],
                text: "raw current_user.email.to_json".into()
            })
        );
        assert!(
            matches!(erb_value("params[:user][:email]"), ValueKind::Path(p) if p.segments == ["params", "user", "email"])
        );
        assert!(matches!(erb_value("a ? b : c"), ValueKind::Unknown(_)));
    }

    #[test]
    fn django_tags_are_values_and_blanks() {
        let src =
            "<script>{% if user %}mixpanel.identify(\"{{ user.email|escapejs }}\");{% endif %}</script>";
        let (view, tags) = script_view(src);
        assert_eq!(view.len(), src.len());
        assert!(!view.contains("endif"));
        assert_eq!(tags.len(), 1);
        assert_eq!(tags[0].expr, "user.email");
    }

    #[test]
    fn data_scripts_are_not_code() {
        assert!(tag_regions("<script type=\"text/template\">x</script>").is_empty());
        assert_eq!(tag_regions("<script lang=\"ts\">x</script>"), vec![(18, 19)]);
        assert!(tag_regions("<scripts>x</scripts>").is_empty());
    }

    #[test]
    fn haml_and_slim_filters_are_script_regions() {
        let haml = "- title 'Home'\n:javascript\n  analytics.track('Viewed Home');\n\n  go();\n%br\n";
        let body = haml.find("  analytics").unwrap_or_default();
        assert_eq!(filter_regions(haml), vec![(body, haml.find("%br").unwrap_or_default())]);
        let slim = "div\n  javascript:\n    mixpanel.identify(\"#{current_user.email}\")\n  p x\n";
        let (view, tags) = script_view(slim);
        assert!(view.contains("mixpanel.identify(\""), "{view}");
        assert!(!view.contains("p x"));
        assert_eq!(tags.len(), 1);
        assert_eq!(tags[0].expr, "current_user.email");
        // Event handler attributes are code; an email's `@` and other attributes are not.
        let vue = "<a @click=\"track('A'); x = 1\" href=\"b@c.d\">e@f.g</a><b v-on:submit.prevent='go()'>";
        let spans: Vec<&str> = handler_regions(vue).into_iter().map(|(a, b)| &vue[a..b]).collect();
        assert_eq!(spans, ["track('A'); x = 1", "go()"]);
        // A `#{` in a `<script>` element is JavaScript text, not Ruby.
        let (_, tags) = script_view("<script>track('#{x}')</script>");
        assert!(tags.is_empty());
    }

    #[test]
    fn a_self_closing_script_with_an_attribute_expression_has_no_body() {
        // Astro: a JSON-LD block written as `set:html={..}` with an arrow and a `>` in a string,
        // closed by `/>`; the page's script after it is still read.
        let astro = "<script type=\"application/ld+json\" set:html={JSON.stringify({ a: (x) => x, b: \"1>0\" })} />\n<p>hi</p>\n<script is:inline>\n  posthog.capture('Clicked CTA');\n</script>\n";
        let body = astro.find("\n  posthog").unwrap_or_default();
        let end = astro.rfind("</script>").unwrap_or_default();
        assert_eq!(tag_regions(astro), vec![(body, end)]);
        // A quoted `>` in an ordinary attribute does not end the tag either.
        let html = "<script data-x=\"a>b\">track('A')</script>";
        assert_eq!(
            tag_regions(html),
            vec![(html.find("track").unwrap_or_default(), html.find("</").unwrap_or_default())]
        );
    }
}
