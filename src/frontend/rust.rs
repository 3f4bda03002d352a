//! Rust front-end (syn). Paths are qualified through the file's `use` items, so `Event::new`
//! after `use posthog_rs::Event` is `posthog_rs::Event::new`. Property maps are followed
//! within a function: `let mut props = HashMap::new(); props.insert("k", v);` and posthog-rs
//! `event.insert_prop(k, v)` add entries to the object the tracking call sees.

use super::{ExtractOptions, FileFacts, MAX_VALUE_DEPTH, ParseFailure, Walk};
use crate::model::{
    Arg, BindingSource, CallSite, Entry, Object, Path, Receiver, ScopeId, Span, Template, Value, ValueKind,
};
use proc_macro2::{Delimiter, TokenStream, TokenTree};
use std::collections::HashMap;
use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{Expr, Lit, Member, Pat};

/// syn's parser, its syntax tree's drop and our visitor recurse on nesting, and on chains of
/// operators and method calls (`1 + 1 + ...` is a left-deep tree): deeper files are skipped
/// before they can overflow a stack.
pub const MAX_NESTING: usize = 256;
/// Operator and `.` tokens in one statement.
pub const MAX_CHAIN: usize = 2_000;
/// The stack syn gets, whatever thread the file is linted on.
const PARSE_STACK: usize = 64 << 20;

pub fn extract(source: &str, options: &ExtractOptions) -> Result<FileFacts, ParseFailure> {
    let (depth, chain) = nesting_depth(source);
    if depth > MAX_NESTING {
        return Err(ParseFailure::TooDeep(format!("brackets nest more than {MAX_NESTING} levels deep")));
    }
    if chain > MAX_CHAIN {
        return Err(ParseFailure::TooDeep(format!("one statement chains more than {MAX_CHAIN} operators")));
    }
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .name("tracklint-syn".into())
            .stack_size(PARSE_STACK)
            .spawn_scoped(scope, || extract_here(source, options));
        match worker {
            Ok(handle) => match handle.join() {
                Ok(facts) => Ok(facts),
                // A bug of ours: re-raised so the file boundary reports it as an internal error.
                Err(panic) => std::panic::resume_unwind(panic),
            },
            // Parsing on a smaller stack could overflow and abort the whole run: this file is
            // reported instead.
            Err(e) => Err(ParseFailure::Grammar(format!("cannot start the Rust parser's thread: {e}"))),
        }
    })
}

fn extract_here(source: &str, options: &ExtractOptions) -> FileFacts {
    let facts = match syn::parse_file(source) {
        Ok(file) => {
            let mut extractor = Extractor {
                walk: Walk::new(source, options),
                uses: HashMap::new(),
                maps: HashMap::new(),
                events: HashMap::new(),
            };
            // `use` items apply to the whole file, wherever they are written.
            for item in &file.items {
                if let syn::Item::Use(u) = item {
                    collect_uses(&u.tree, String::new(), &mut extractor.uses);
                }
            }
            extractor.visit_file(&file);
            extractor.walk.facts
        }
        Err(e) => {
            let range = e.span().byte_range();
            FileFacts { syntax_error: Some(Span::new(range.start, range.end)), ..FileFacts::default() }
        }
    };
    // Spans of this file are no longer needed; the thread's source map would grow otherwise.
    proc_macro2::extra::invalidate_current_thread_spans();
    facts
}

/// The deepest nesting (brackets, and generic angle brackets within a statement) and the longest
/// run of operator tokens within one statement, measured on tokens: strings (raw, byte, C),
/// char literals (`')'`), lifetimes and nested block comments are skipped as the compiler
/// lexes them, so no literal can hide nesting from the check. Estimates that err high.
fn nesting_depth(source: &str) -> (usize, usize) {
    let bytes = source.as_bytes();
    let (mut depth, mut max, mut i) = (0usize, 0usize, 0usize);
    let (mut chain, mut max_chain) = (0usize, 0usize);
    // Open `<` in the current statement: `Vec<Vec<..>>` nests in syn as brackets do.
    let mut angles = 0usize;
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'(' | b'[' | b'{' => {
                depth += 1;
                if b == b'{' {
                    chain = 0;
                    angles = 0;
                }
            }
            b')' | b']' | b'}' => {
                depth = depth.saturating_sub(1);
                if b == b'}' {
                    chain = 0;
                    angles = 0;
                }
            }
            b';' => {
                chain = 0;
                angles = 0;
            }
            // A comma ends an expression: an array of 10,000 negative numbers is not a chain.
            b',' => chain = 0,
            // `1.5` is a number, not a method call.
            b'.' if i > 0 && bytes[i - 1].is_ascii_digit() => {}
            b'<' => {
                chain += 1;
                // A generic opens right after a name or `::` (`Vec<`, `::<`); a comparison
                // usually has a space. Either way it only errs high.
                if i > 0 && (ident(bytes[i - 1]) || bytes[i - 1] == b':') {
                    angles += 1;
                }
            }
            b'>' => {
                chain += 1;
                let arrow = i > 0 && matches!(bytes[i - 1], b'-' | b'=');
                if !arrow {
                    angles = angles.saturating_sub(1);
                }
            }
            b'+' | b'-' | b'*' | b'%' | b'&' | b'|' | b'^' | b'!' | b'.' | b'?' | b'=' => chain += 1,
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => i = skip_block_comment(bytes, i),
            b'"' => i = skip_string(bytes, i),
            // Raw strings: `r"..."`, `r#"..."#`, `br##"..."##`, `cr"..."`.
            b'r' if (i == 0 || !ident(bytes[i - 1]) || matches!(bytes[i - 1], b'b' | b'c'))
                && matches!(bytes.get(i + 1), Some(b'"' | b'#')) =>
            {
                if let Some(end) = skip_raw_string(bytes, i + 1) {
                    i = end;
                }
            }
            b'\'' => i = skip_char_or_lifetime(bytes, i),
            _ => {}
        }
        max = max.max(depth + angles);
        if matches!(
            b,
            b'+' | b'-' | b'*' | b'%' | b'&' | b'|' | b'^' | b'!' | b'.' | b'?' | b'=' | b'<' | b'>'
        ) {
            max_chain = max_chain.max(chain);
        }
        i += 1;
    }
    (max, max_chain)
}

/// The index of the closing quote of the string opening at `i`.
fn skip_string(bytes: &[u8], mut i: usize) -> usize {
    i += 1;
    while i < bytes.len() && bytes[i] != b'"' {
        i += if bytes[i] == b'\\' { 2 } else { 1 };
    }
    i
}

/// After the `r` of a raw string (at the first `#` or `"`): the index of its last byte.
fn skip_raw_string(bytes: &[u8], mut i: usize) -> Option<usize> {
    let hashes = bytes[i..].iter().take_while(|&&b| b == b'#').count();
    i += hashes;
    if bytes.get(i) != Some(&b'"') {
        return None;
    }
    i += 1;
    while i < bytes.len() {
        if bytes[i] == b'"' && bytes[i + 1..].iter().take(hashes).filter(|&&b| b == b'#').count() == hashes {
            return Some(i + hashes);
        }
        i += 1;
    }
    Some(bytes.len())
}

/// Block comments nest in Rust.
fn skip_block_comment(bytes: &[u8], mut i: usize) -> usize {
    let mut level = 0usize;
    while i + 1 < bytes.len() {
        match (bytes[i], bytes[i + 1]) {
            (b'/', b'*') => {
                level += 1;
                i += 2;
            }
            (b'*', b'/') => {
                level -= 1;
                i += 2;
                if level == 0 {
                    return i - 1;
                }
            }
            _ => i += 1,
        }
    }
    bytes.len()
}

/// A char literal (`')'`, `'\''`, `'\u{1F600}'`, `'é'`) is skipped whole; a lifetime (`'a`)
/// is left for the scan to go on after its quote.
fn skip_char_or_lifetime(bytes: &[u8], i: usize) -> usize {
    match bytes.get(i + 1) {
        Some(b'\\') => {
            // An escape: the literal ends at the next quote after it.
            let mut j = i + 3;
            while j < bytes.len() && bytes[j] != b'\'' && j < i + 16 {
                j += 1;
            }
            j
        }
        Some(_) => {
            // One character (of up to four bytes, by its UTF-8 lead byte) then a quote.
            let len = match bytes[i + 1] {
                b if b >= 0xf0 => 4,
                b if b >= 0xe0 => 3,
                b if b >= 0xc0 => 2,
                _ => 1,
            };
            if bytes.get(i + 1 + len) == Some(&b'\'') { i + 1 + len } else { i }
        }
        None => i,
    }
}

fn collect_uses(tree: &syn::UseTree, prefix: String, out: &mut HashMap<String, String>) {
    let join = |name: &str| if prefix.is_empty() { name.to_string() } else { format!("{prefix}::{name}") };
    match tree {
        syn::UseTree::Path(p) => collect_uses(&p.tree, join(&p.ident.to_string()), out),
        syn::UseTree::Name(n) => {
            let name = n.ident.to_string();
            if name == "self" {
                if let Some(last) = prefix.rsplit("::").next() {
                    out.insert(last.to_string(), prefix.clone());
                }
            } else {
                out.insert(name.clone(), join(&name));
            }
        }
        syn::UseTree::Rename(r) => {
            out.insert(r.rename.to_string(), join(&r.ident.to_string()));
        }
        syn::UseTree::Group(g) => {
            for t in &g.items {
                collect_uses(t, prefix.clone(), out);
            }
        }
        syn::UseTree::Glob(_) => {}
    }
}

struct Extractor<'s> {
    walk: Walk<'s>,
    /// Local name to full path, from `use` items.
    uses: HashMap<String, String>,
    /// Maps built by `insert` calls, by (variable, scope).
    maps: HashMap<(String, ScopeId), Value>,
    /// posthog-rs events (`let mut e = Event::new(..)`) by (variable, scope): the site index.
    events: HashMap<(String, ScopeId), usize>,
}

fn span_of<T: Spanned>(node: &T) -> Span {
    let r = node.span().byte_range();
    Span::new(r.start, r.end)
}

/// The named type behind references and smart pointers: `&Analytics`, `Arc<Analytics>`.
fn type_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Reference(r) => type_name(&r.elem),
        syn::Type::Path(p) => {
            let last = p.path.segments.last()?;
            let name = last.ident.to_string();
            // Smart pointers, and the extractors of axum (`State<T>`, `Extension<T>`) and actix
            // (`web::Data<T>`), which dereference to what they hold.
            if matches!(name.as_str(), "Arc" | "Rc" | "Box" | "Option" | "State" | "Extension" | "Data")
                && let syn::PathArguments::AngleBracketed(args) = &last.arguments
                && let Some(syn::GenericArgument::Type(inner)) = args.args.first()
            {
                return type_name(inner);
            }
            name.starts_with(|c: char| c.is_ascii_uppercase()).then_some(name)
        }
        _ => None,
    }
}

fn path_segments(path: &syn::Path) -> Vec<String> {
    path.segments.iter().map(|s| s.ident.to_string()).collect()
}

impl Extractor<'_> {
    fn text(&self, span: Span) -> String {
        let raw = self.walk.src.get(span.start..span.end).unwrap_or("");
        let squeezed: String = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if squeezed.len() > 120 {
            format!("{}…", squeezed.chars().take(120).collect::<String>())
        } else {
            squeezed
        }
    }

    /// `Event` → `posthog_rs::Event` through the file's `use` items.
    fn qualify(&self, segments: &[String]) -> String {
        let Some((first, rest)) = segments.split_first() else { return String::new() };
        let mut out = self.uses.get(first).cloned().unwrap_or_else(|| first.clone());
        for s in rest {
            out.push_str("::");
            out.push_str(s);
        }
        out
    }

    /// Visits a function body in its own scope, marked as request code when it is a handler.
    fn in_function(&mut self, attrs: &[syn::Attribute], sig: &syn::Signature, visit: impl FnOnce(&mut Self)) {
        let mut params = Vec::new();
        let mut position = 0;
        for input in &sig.inputs {
            // `self` is the receiver, not an argument.
            let syn::FnArg::Typed(typed) = input else { continue };
            position += 1;
            if let Pat::Ident(ident) = &*typed.pat {
                params.push(crate::model::Param {
                    name: ident.ident.to_string(),
                    kind: crate::model::ParamKind::Positional(position),
                });
            }
        }
        let line = sig.ident.span().start().line;
        self.walk.define_function(usize::MAX, sig.ident.to_string(), params, span_of(&sig.ident), line);
        // `analytics: &Analytics`: the parameter is an instance of its type; so is what an
        // extractor pattern takes out (`State(analytics): State<Analytics>`), which says only
        // that much (its name may still be an SDK's conventional one for an SDK type).
        for input in &sig.inputs {
            let syn::FnArg::Typed(typed) = input else { continue };
            let Some(ty) = type_name(&typed.ty) else { continue };
            let (name, source) = match &*typed.pat {
                Pat::Ident(ident) => (&ident.ident, BindingSource::Constructor(format!("{ty}::new"))),
                Pat::TupleStruct(t) if t.elems.len() == 1 => match t.elems.first() {
                    Some(Pat::Ident(ident)) => (&ident.ident, BindingSource::Typed(ty)),
                    _ => continue,
                },
                _ => continue,
            };
            self.walk.bind(name.to_string(), source, false, true);
        }
        let handler = self.is_handler(attrs, sig);
        if handler {
            self.walk.push_request_frame();
        }
        visit(self);
        if handler {
            self.walk.pop_frame();
        }
        self.walk.pop_frame();
    }

    /// An actix/rocket route attribute (`#[get("/")]`, `#[post(..)]`, `#[handler]`) or an
    /// axum/actix extractor among the parameters (`Json<..>`, `State<..>`, `HttpRequest`).
    fn is_handler(&self, attrs: &[syn::Attribute], sig: &syn::Signature) -> bool {
        let attributed = attrs.iter().any(|a| {
            a.path().segments.last().is_some_and(|s| {
                matches!(
                    s.ident.to_string().as_str(),
                    "get" | "post" | "put" | "patch" | "delete" | "route" | "handler"
                )
            })
        });
        attributed
            || sig.inputs.iter().any(|input| {
                let syn::FnArg::Typed(t) = input else { return false };
                let ty = self.text(span_of(&*t.ty));
                ["Json<", "Form<", "State<", "Query<", "HttpRequest", "web::", "Extension<", "TypedHeader<"]
                    .iter()
                    .any(|m| ty.contains(m))
            })
    }

    fn scope(&self) -> ScopeId {
        self.walk.current_scope()
    }

    fn record_site(
        &mut self,
        callee: Vec<String>,
        root: Option<Receiver>,
        args: Vec<Arg>,
        span: Span,
    ) -> usize {
        let args = args
            .into_iter()
            .map(|mut a| {
                self.substitute_map(&mut a.value);
                a
            })
            .collect();
        let (scope, order, context) = self.walk.position();
        self.walk.facts.sites.push(CallSite { callee, root, args, span, scope, order, context });
        self.walk.facts.sites.len() - 1
    }

    /// A variable holding a map built in this function is seen as that map.
    fn substitute_map(&self, value: &mut Value) {
        if let ValueKind::Path(p) = &value.kind
            && let [name] = p.segments.as_slice()
            && let Some(map) = self.lookup_map(name)
        {
            value.kind = map.kind.clone();
        }
    }

    fn lookup_map(&self, name: &str) -> Option<&Value> {
        self.map_scope(name).and_then(|scope| self.maps.get(&(name.to_string(), scope)))
    }

    /// The innermost visible scope that holds a map named `name`.
    fn map_scope(&self, name: &str) -> Option<ScopeId> {
        let key = |scope| (name.to_string(), scope);
        self.walk.facts.scope_chain(self.scope()).find(|&scope| self.maps.contains_key(&key(scope)))
    }

    fn method_call(&mut self, call: &syn::ExprMethodCall) {
        let method = call.method.to_string();
        let receiver_name = simple_name(&call.receiver);
        // `props.insert("k", v)` on a map we follow.
        // (Most `insert` calls are on other maps: the values are read only for a followed one.)
        if method == "insert"
            && let Some(name) = &receiver_name
            && call.args.len() == 2
            && let Some(scope) = self.map_scope(name)
        {
            let key = self.value(&call.args[0], 0);
            let val = self.value(&call.args[1], 0);
            if let Some(ValueKind::Object(obj)) =
                self.maps.get_mut(&(name.clone(), scope)).map(|v| &mut v.kind)
            {
                push_entry(obj, key, val);
                return;
            }
        }
        // `event.insert_prop("k", v)?` on a posthog-rs event (a profile's `property_methods`).
        if self.walk.options.property_methods.contains(&method)
            && let Some(name) = &receiver_name
            && call.args.len() == 2
            && let Some(&site) = self.events.get(&(name.clone(), self.scope()))
        {
            let key = self.value(&call.args[0], 0);
            let val = self.value(&call.args[1], 0);
            let span = span_of(call);
            if let Some(site) = self.walk.facts.sites.get_mut(site) {
                while site.args.len() < 2 {
                    site.args.push(Arg { keyword: None, value: Value::new(ValueKind::Null, site.span) });
                }
                if site.args.len() < 3 {
                    site.args.push(Arg {
                        keyword: None,
                        value: Value::new(ValueKind::Object(Object::default()), span),
                    });
                }
                if let ValueKind::Object(obj) = &mut site.args[2].value.kind {
                    push_entry(obj, key, val);
                }
            }
            return;
        }
        if !self.walk.options.keeps(&method) {
            return;
        }
        let mut callee = Vec::new();
        let mut root = None;
        if !self.receiver_segments(&call.receiver, &mut callee, &mut root) {
            return;
        }
        callee.push(method);
        let args = call.args.iter().map(|a| Arg { keyword: None, value: self.value(a, 0) }).collect();
        self.record_site(callee, root, args, span_of(call));
    }

    /// `self.mixpanel.people`, `state.mp`, `MIXPANEL.get().unwrap()`: name segments of a receiver.
    fn receiver_segments(&self, expr: &Expr, out: &mut Vec<String>, root: &mut Option<Receiver>) -> bool {
        let mut stack = Vec::new();
        let mut current = expr;
        loop {
            match current {
                Expr::Path(p) => {
                    let segs = path_segments(&p.path);
                    if segs.len() == 1 {
                        if segs[0] != "self" || stack.is_empty() {
                            stack.push(segs[0].clone());
                        }
                    } else {
                        *root = Some(Receiver::Type(self.qualify(&segs)));
                    }
                    break;
                }
                Expr::Field(f) => {
                    match &f.member {
                        Member::Named(n) => stack.push(n.to_string()),
                        Member::Unnamed(_) => return false,
                    }
                    current = &f.base;
                }
                Expr::MethodCall(m) if m.args.is_empty() => {
                    // Accessors that hand the client through: `.lock()`, `.get()`, `.unwrap()`.
                    current = &m.receiver;
                }
                Expr::Await(a) => current = &a.base,
                Expr::Try(t) => current = &t.expr,
                Expr::Paren(p) => current = &p.expr,
                Expr::Reference(r) => current = &r.expr,
                Expr::Call(c) => {
                    let Expr::Path(p) = &*c.func else { return false };
                    *root = Some(Receiver::Constructor(self.qualify(&path_segments(&p.path))));
                    break;
                }
                _ => return false,
            }
            if stack.len() > MAX_VALUE_DEPTH {
                return false;
            }
        }
        out.extend(stack.into_iter().rev());
        true
    }

    /// `Event::new(event, id)`, `posthog_rs::Event::new(..)`: a call of a function in a path.
    fn path_call(&mut self, call: &syn::ExprCall) -> Option<usize> {
        let Expr::Path(p) = &*call.func else { return None };
        let segs = path_segments(&p.path);
        let (last, parent) = segs.split_last()?;
        // `track_signup(&client, user.id)`: a plain function, one of the project's own.
        if parent.is_empty() && self.walk.options.keeps(last) {
            let args = call.args.iter().map(|a| Arg { keyword: None, value: self.value(a, 0) }).collect();
            return Some(self.record_site(vec![last.clone()], None, args, span_of(call)));
        }
        if parent.is_empty() || !self.walk.options.keeps(last) {
            return None;
        }
        let root = Receiver::Type(self.qualify(parent));
        let args = call.args.iter().map(|a| Arg { keyword: None, value: self.value(a, 0) }).collect();
        Some(self.record_site(vec![last.clone()], Some(root), args, span_of(call)))
    }

    /// `Track { user, event, properties, .. }`: Segment's message structs are the call.
    fn struct_literal(&mut self, s: &syn::ExprStruct) {
        let segs = path_segments(&s.path);
        let Some((last, _)) = segs.split_last() else { return };
        if !self.walk.options.method_names.contains(last) {
            return;
        }
        let qualified = self.qualify(&segs);
        let Some((parent, _)) = qualified.rsplit_once("::") else { return };
        let object = Value::new(self.struct_value(s, 0), span_of(s));
        self.record_site(
            vec![last.clone()],
            Some(Receiver::Type(parent.to_string())),
            vec![Arg { keyword: None, value: object }],
            span_of(s),
        );
    }

    fn local(&mut self, local: &syn::Local) {
        let Some(init) = &local.init else { return };
        let name = match &local.pat {
            Pat::Ident(i) => i.ident.to_string(),
            Pat::Type(t) => match &*t.pat {
                Pat::Ident(i) => i.ident.to_string(),
                _ => return,
            },
            _ => return,
        };
        let expr = strip(&init.expr);
        let scope = self.scope();
        // Maps followed through later `insert` calls.
        if let Expr::Call(c) = expr
            && let Expr::Path(p) = &*c.func
        {
            let segs = path_segments(&p.path);
            let ctor = segs.len() >= 2
                && matches!(segs[segs.len() - 1].as_str(), "new" | "with_capacity" | "default")
                && matches!(segs[segs.len() - 2].as_str(), "HashMap" | "BTreeMap" | "Map" | "IndexMap");
            if ctor {
                self.maps.insert(
                    (name.clone(), scope),
                    Value::new(ValueKind::Object(Object::default()), span_of(expr)),
                );
            }
        }
        if let Expr::Macro(m) = expr
            && m.mac.path.is_ident("json")
            && let v @ Value { kind: ValueKind::Object(_), .. } = self.value(expr, 0)
        {
            self.maps.insert((name.clone(), scope), v);
        }
        let value = self.value(expr, 0);
        self.walk.local_value(&name, || value);
        let source = self.source(expr);
        self.walk.bind(name, source, false, true);
    }

    fn source(&self, expr: &Expr) -> BindingSource {
        match strip(expr) {
            Expr::Call(c) => match &*c.func {
                Expr::Path(p) => BindingSource::Constructor(self.qualify(&path_segments(&p.path))),
                _ => BindingSource::Other,
            },
            Expr::Path(p) if p.path.segments.len() == 1 => {
                BindingSource::Alias(path_segments(&p.path).join("::"))
            }
            Expr::Field(f) => match &f.member {
                Member::Named(n) => BindingSource::Alias(n.to_string()),
                Member::Unnamed(_) => BindingSource::Other,
            },
            _ => BindingSource::Other,
        }
    }

    fn struct_value(&self, s: &syn::ExprStruct, depth: usize) -> ValueKind {
        let name = s.path.segments.last().map(|l| l.ident.to_string()).unwrap_or_default();
        // A profile's modifiers struct (mixpanel-rs `Modifiers`): fields sent as `$field`.
        let dollar_fields =
            self.walk.options.modifiers_structs.iter().find(|(s, _)| *s == name).map(|(_, f)| f.as_slice());
        let mut obj = Object::default();
        for field in &s.fields {
            let Member::Named(n) = &field.member else { continue };
            let key_text = n.to_string();
            let key = if dollar_fields.is_some_and(|f| f.contains(&key_text)) {
                format!("${key_text}")
            } else {
                key_text.clone()
            };
            obj.entries.push(Entry {
                key,
                key_text,
                key_span: span_of(n),
                value: self.value(&field.expr, depth + 1),
            });
        }
        // `..Default::default()` leaves the other fields empty; any other base is unknown.
        if let Some(rest) = &s.rest {
            let text = self.text(span_of(rest));
            obj.has_spread = !text.ends_with("default()");
        }
        ValueKind::Object(obj)
    }

    pub fn value(&self, expr: &Expr, depth: usize) -> Value {
        let span = span_of(expr);
        if depth > MAX_VALUE_DEPTH {
            return Value::new(ValueKind::Unknown(self.text(span)), span);
        }
        let kind = match expr {
            Expr::Lit(l) => lit_value(&l.lit),
            Expr::Reference(r) => return Value::new(self.value(&r.expr, depth + 1).kind, span),
            Expr::Paren(p) => return Value::new(self.value(&p.expr, depth + 1).kind, span),
            Expr::Group(g) => return Value::new(self.value(&g.expr, depth + 1).kind, span),
            Expr::Try(t) => return Value::new(self.value(&t.expr, depth + 1).kind, span),
            Expr::Await(a) => return Value::new(self.value(&a.base, depth + 1).kind, span),
            Expr::Unary(u) if matches!(u.op, syn::UnOp::Neg(_)) => ValueKind::Number(self.text(span)),
            Expr::Array(a) => ValueKind::Array(a.elems.iter().map(|e| self.value(e, depth + 1)).collect()),
            Expr::Struct(s) => self.struct_value(s, depth),
            Expr::Call(c) => {
                let callee = match &*c.func {
                    Expr::Path(p) => self.qualify(&path_segments(&p.path)),
                    other => self.text(span_of(other)),
                };
                let args: Vec<Value> = c.args.iter().map(|a| self.value(a, depth + 1)).collect();
                let last = callee.rsplit("::").next().unwrap_or(&callee);
                match (last, args.as_slice()) {
                    // `Some(x)`, `String::from(x)`: the value inside.
                    ("Some" | "from", [only]) => return Value::new(only.kind.clone(), span),
                    _ => ValueKind::Call { callee, args },
                }
            }
            Expr::MethodCall(m) => {
                let method = m.method.to_string();
                if m.args.is_empty()
                    && matches!(
                        method.as_str(),
                        "to_string" | "to_owned" | "into" | "clone" | "as_str" | "as_ref" | "unwrap"
                    )
                {
                    return Value::new(self.value(&m.receiver, depth + 1).kind, span);
                }
                // `user.email()`: a getter reads like a field.
                if m.args.is_empty()
                    && let ValueKind::Path(mut p) = self.value(&m.receiver, depth + 1).kind
                {
                    p.segments.push(method);
                    p.text = self.text(span);
                    ValueKind::Path(p)
                } else {
                    let args = m.args.iter().map(|a| self.value(a, depth + 1)).collect();
                    ValueKind::Call {
                        callee: format!("{}.{}", self.text(span_of(&*m.receiver)), method),
                        args,
                    }
                }
            }
            Expr::Path(p) => {
                let segs = path_segments(&p.path);
                if segs == ["None"] {
                    ValueKind::Null
                } else {
                    ValueKind::Path(Path { segments: segs, text: self.text(span) })
                }
            }
            Expr::Field(_) | Expr::Index(_) => match self.path(expr) {
                Some(p) => ValueKind::Path(p),
                None => ValueKind::Unknown(self.text(span)),
            },
            Expr::Macro(m) => self.macro_value(&m.mac, depth),
            // `if plan.is_paid() { "Plan Upgraded" } else { "plan_viewed" }`, `match`: each arm.
            Expr::If(_) | Expr::Match(_) => match self.branch_values(expr, depth) {
                Some(options) => ValueKind::OneOf(options),
                None => ValueKind::Unknown(self.text(span)),
            },
            Expr::Block(b) => match b.block.stmts.last() {
                Some(syn::Stmt::Expr(last, None)) => {
                    return Value::new(self.value(last, depth + 1).kind, span);
                }
                _ => ValueKind::Unknown(self.text(span)),
            },
            _ => ValueKind::Unknown(self.text(span)),
        };
        Value::new(kind, span)
    }

    /// The values an `if … else` chain or a `match` ends with, one per branch; `None` without
    /// an `else`, or with a branch that ends in a statement.
    fn branch_values(&self, expr: &Expr, depth: usize) -> Option<Vec<Value>> {
        let block_value = |block: &syn::Block| match block.stmts.last() {
            Some(syn::Stmt::Expr(last, None)) => Some(self.value(last, depth + 1)),
            _ => None,
        };
        let mut out = Vec::new();
        match expr {
            Expr::If(i) => {
                out.push(block_value(&i.then_branch)?);
                let (_, otherwise) = i.else_branch.as_ref()?;
                match &**otherwise {
                    Expr::If(_) if depth < MAX_VALUE_DEPTH => {
                        out.extend(self.branch_values(otherwise, depth + 1)?)
                    }
                    other => out.push(self.value(other, depth + 1)),
                }
            }
            Expr::Match(m) => {
                for arm in &m.arms {
                    out.push(self.value(&arm.body, depth + 1));
                }
            }
            _ => return None,
        }
        (!out.is_empty()).then_some(out)
    }

    fn path(&self, expr: &Expr) -> Option<Path> {
        let mut segments = Vec::new();
        let mut current = expr;
        for _ in 0..MAX_VALUE_DEPTH {
            match current {
                Expr::Path(p) if p.path.segments.len() == 1 => {
                    segments.push(p.path.segments[0].ident.to_string());
                    segments.reverse();
                    return Some(Path { segments, text: self.text(span_of(expr)) });
                }
                Expr::Field(f) => {
                    match &f.member {
                        Member::Named(n) => segments.push(n.to_string()),
                        Member::Unnamed(i) => segments.push(i.index.to_string()),
                    }
                    current = &f.base;
                }
                Expr::Index(i) => {
                    match self.value(&i.index, MAX_VALUE_DEPTH).kind {
                        ValueKind::Str(s) => segments.push(s),
                        ValueKind::Number(n) => segments.push(n),
                        _ => return None,
                    }
                    current = &i.expr;
                }
                Expr::Reference(r) => current = &r.expr,
                Expr::Paren(p) => current = &p.expr,
                _ => return None,
            }
        }
        None
    }

    /// `json!({...})`, `json!(x)`, `format!("{} Viewed", page)`.
    fn macro_value(&self, mac: &syn::Macro, depth: usize) -> ValueKind {
        let name = mac.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
        match name.as_str() {
            "json" => self.json_tokens(mac.tokens.clone(), depth),
            "format" => {
                let mut tokens = mac.tokens.clone().into_iter();
                let Some(TokenTree::Literal(first)) = tokens.next() else {
                    return ValueKind::Unknown(self.text(span_of(mac)));
                };
                let Ok(Lit::Str(s)) = syn::parse_str::<Lit>(&first.to_string()) else {
                    return ValueKind::Unknown(self.text(span_of(mac)));
                };
                let text = s.value();
                if !text.contains('{') {
                    return ValueKind::Str(text);
                }
                let mut template = Template::default();
                let mut current = String::new();
                let mut chars = text.chars().peekable();
                while let Some(c) = chars.next() {
                    if c == '{' && chars.peek() != Some(&'{') {
                        let hole: String = chars.by_ref().take_while(|&c| c != '}').collect();
                        template.static_parts.push(std::mem::take(&mut current));
                        let span = span_of(mac);
                        template.exprs.push(Value::new(ValueKind::Unknown(hole), span));
                    } else if c == '{' {
                        chars.next();
                        current.push('{');
                    } else {
                        current.push(c);
                    }
                }
                template.static_parts.push(current);
                ValueKind::Template(template)
            }
            _ => ValueKind::Unknown(self.text(span_of(mac))),
        }
    }

    /// The value of `json!` tokens: objects, arrays, literals, and Rust expressions inside.
    fn json_tokens(&self, tokens: TokenStream, depth: usize) -> ValueKind {
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        if depth > MAX_VALUE_DEPTH {
            return ValueKind::Unknown(String::new());
        }
        if let [TokenTree::Group(g)] = trees.as_slice() {
            match g.delimiter() {
                Delimiter::Brace => {
                    let mut obj = Object::default();
                    for entry in split_commas(g.stream()) {
                        let Some(colon) =
                            entry.iter().position(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ':'))
                        else {
                            obj.has_spread = true;
                            continue;
                        };
                        let (key_tokens, value_tokens) = entry.split_at(colon);
                        let value_tokens: TokenStream = value_tokens[1..].iter().cloned().collect();
                        let key_stream: TokenStream = key_tokens.iter().cloned().collect();
                        let key_span = key_tokens
                            .first()
                            .map(|t| t.span().byte_range())
                            .map_or(Span::default(), |r| Span::new(r.start, r.end));
                        let key_text = self.text(key_span);
                        let key = match syn::parse2::<Lit>(key_stream) {
                            Ok(Lit::Str(s)) => s.value(),
                            _ => key_text.clone(),
                        };
                        let value = self.json_value(value_tokens, depth + 1);
                        obj.entries.push(Entry { key, key_text, key_span, value });
                    }
                    return ValueKind::Object(obj);
                }
                Delimiter::Bracket => {
                    return ValueKind::Array(
                        split_commas(g.stream())
                            .into_iter()
                            .map(|t| self.json_value(t.into_iter().collect(), depth + 1))
                            .collect(),
                    );
                }
                _ => {}
            }
        }
        self.json_value(trees.into_iter().collect(), depth).kind
    }

    fn json_value(&self, tokens: TokenStream, depth: usize) -> Value {
        let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
        let span = match (trees.first(), trees.last()) {
            (Some(a), Some(b)) => Span::new(a.span().byte_range().start, b.span().byte_range().end),
            _ => Span::default(),
        };
        match trees.as_slice() {
            [TokenTree::Group(g)] if matches!(g.delimiter(), Delimiter::Brace | Delimiter::Bracket) => {
                Value::new(self.json_tokens(tokens, depth), span)
            }
            [TokenTree::Ident(i)] if i == "null" => Value::new(ValueKind::Null, span),
            _ => match syn::parse2::<Expr>(tokens) {
                Ok(expr) => self.value(&expr, depth + 1),
                Err(_) => Value::new(ValueKind::Unknown(self.text(span)), span),
            },
        }
    }
}

fn split_commas(stream: TokenStream) -> Vec<Vec<TokenTree>> {
    let mut out = vec![Vec::new()];
    for t in stream {
        if matches!(&t, TokenTree::Punct(p) if p.as_char() == ',') {
            out.push(Vec::new());
        } else if let Some(last) = out.last_mut() {
            last.push(t);
        }
    }
    out.retain(|e| !e.is_empty());
    out
}

fn push_entry(obj: &mut Object, key: Value, value: Value) {
    match key.kind {
        ValueKind::Str(k) => {
            let key_text = k.clone();
            obj.entries.push(Entry { key: k, key_text, key_span: key.span, value });
        }
        // A key we cannot read: the object holds something we cannot see.
        _ => obj.has_spread = true,
    }
}

fn lit_value(lit: &Lit) -> ValueKind {
    match lit {
        Lit::Str(s) => ValueKind::Str(s.value()),
        Lit::Bool(b) => ValueKind::Bool(b.value),
        Lit::Int(i) => ValueKind::Number(i.base10_digits().to_string()),
        Lit::Float(f) => ValueKind::Number(f.base10_digits().to_string()),
        Lit::Char(c) => ValueKind::Str(c.value().to_string()),
        _ => ValueKind::Unknown(String::new()),
    }
}

/// Looks through `&`, parentheses, `.await` and `?`.
fn strip(mut expr: &Expr) -> &Expr {
    for _ in 0..MAX_VALUE_DEPTH {
        expr = match expr {
            Expr::Reference(r) => &r.expr,
            Expr::Paren(p) => &p.expr,
            Expr::Await(a) => &a.base,
            Expr::Try(t) => &t.expr,
            Expr::Group(g) => &g.expr,
            _ => return expr,
        };
    }
    expr
}

/// The variable a method is called on, if it is a plain name.
fn simple_name(expr: &Expr) -> Option<String> {
    match strip(expr) {
        Expr::Path(p) if p.path.segments.len() == 1 => Some(p.path.segments[0].ident.to_string()),
        _ => None,
    }
}

impl<'ast> Visit<'ast> for Extractor<'_> {
    fn visit_item_const(&mut self, c: &'ast syn::ItemConst) {
        let v = self.value(&c.expr, 0);
        if super::is_constant_value(&v) {
            self.walk.facts.constants.push((c.ident.to_string(), v));
        }
        visit::visit_item_const(self, c);
    }

    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        self.in_function(&f.attrs, &f.sig, |this| visit::visit_item_fn(this, f));
    }

    fn visit_item_impl(&mut self, i: &'ast syn::ItemImpl) {
        // Methods of `impl Analytics` are `Analytics::track`.
        let owner = match &*i.self_ty {
            syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        };
        match owner {
            Some(owner) => {
                self.walk.push_owner_frame(owner);
                visit::visit_item_impl(self, i);
                self.walk.pop_frame();
            }
            None => visit::visit_item_impl(self, i),
        }
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        self.in_function(&f.attrs, &f.sig, |this| visit::visit_impl_item_fn(this, f));
    }

    fn visit_expr_closure(&mut self, c: &'ast syn::ExprClosure) {
        self.walk.push_scope_frame(None);
        visit::visit_expr_closure(self, c);
        self.walk.pop_frame();
    }

    fn visit_expr_for_loop(&mut self, l: &'ast syn::ExprForLoop) {
        let iterable = self.text(span_of(&*l.expr));
        self.visit_expr(&l.expr);
        self.walk.push_loop_frame("for", iterable, span_of(l));
        self.visit_pat(&l.pat);
        self.visit_block(&l.body);
        self.walk.pop_frame();
    }

    fn visit_expr_while(&mut self, l: &'ast syn::ExprWhile) {
        self.walk.push_loop_frame("while", String::new(), span_of(l));
        visit::visit_expr_while(self, l);
        self.walk.pop_frame();
    }

    fn visit_expr_loop(&mut self, l: &'ast syn::ExprLoop) {
        self.walk.push_loop_frame("loop", String::new(), span_of(l));
        visit::visit_expr_loop(self, l);
        self.walk.pop_frame();
    }

    fn visit_local(&mut self, l: &'ast syn::Local) {
        // The initialiser runs first: `let e = Event::new(..)` records its site, then binds.
        visit::visit_local(self, l);
        self.local(l);
        if let (Some(init), Pat::Ident(name)) = (&l.init, &l.pat)
            && let Expr::Call(c) = strip(&init.expr)
            && self.walk.facts.sites.last().is_some_and(|s| s.span == span_of(c))
        {
            let site = self.walk.facts.sites.len() - 1;
            self.events.insert((name.ident.to_string(), self.scope()), site);
        }
    }

    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        // Arguments and receiver first, so sites keep source order with nested calls.
        let iterates = matches!(call.method.to_string().as_str(), "for_each" | "try_for_each");
        self.visit_expr(&call.receiver);
        if iterates {
            let iterable = self.text(span_of(&*call.receiver));
            self.walk.push_loop_frame("for_each", iterable, span_of(call));
        }
        for a in &call.args {
            self.visit_expr(a);
        }
        if iterates {
            self.walk.pop_frame();
        }
        self.method_call(call);
    }

    /// A macro's arguments, when they are expressions (`make_route!(router, "/signup",
    /// track("Signed Up"))`, `println!("{}", client.capture(e))`, `tokio::join!(..)`): the
    /// calls in them are read like any other. Token trees that are not expressions (`json!`
    /// objects, patterns, item definitions) are left alone.
    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        let name = m.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
        if matches!(name.as_str(), "json" | "macro_rules") {
            return;
        }
        let parser = syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated;
        if let Ok(args) = m.parse_body_with(parser) {
            for arg in &args {
                self.visit_expr(arg);
            }
        }
    }

    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        visit::visit_expr_call(self, call);
        self.path_call(call);
    }

    fn visit_expr_struct(&mut self, s: &'ast syn::ExprStruct) {
        visit::visit_expr_struct(self, s);
        self.struct_literal(s);
        // `AppState { mixpanel: Mixpanel::init(..) }`: the field holds the client.
        for field in &s.fields {
            if let Member::Named(n) = &field.member {
                let source = self.source(&field.expr);
                if !matches!(source, BindingSource::Other) {
                    self.walk.bind(n.to_string(), source, false, false);
                }
            }
        }
    }

    fn visit_expr_assign(&mut self, a: &'ast syn::ExprAssign) {
        visit::visit_expr_assign(self, a);
        let name = match &*a.left {
            Expr::Field(f) => match &f.member {
                Member::Named(n) => Some((n.to_string(), false)),
                Member::Unnamed(_) => None,
            },
            other => simple_name(other).map(|n| (n, true)),
        };
        if let Some((name, local)) = name {
            let source = self.source(&a.right);
            self.walk.bind(name, source, false, local);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_and_long_chains_are_refused_before_parsing() {
        let options = ExtractOptions::default();
        let deep = format!("fn main() {{ let x = {}1{}; }}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(matches!(extract(&deep, &options), Err(ParseFailure::TooDeep(_))));
        for chain in [" + 1", ".b()", "-", "&"] {
            let long = format!("fn main() {{ let x = a{}; }}", chain.repeat(20_000));
            assert!(matches!(extract(&long, &options), Err(ParseFailure::TooDeep(_))), "{chain}");
        }
    }

    #[test]
    fn the_deepest_accepted_file_parses_on_a_small_stack() {
        // At the limits, on a thread with the usual 2 MiB: syn runs on its own larger stack.
        let options = ExtractOptions::default();
        let near = format!(
            "fn main() {{ let x = {}a{}{}; }}",
            "(".repeat(MAX_NESTING - 2),
            " + 1".repeat(MAX_CHAIN / 2 - 10),
            ")".repeat(MAX_NESTING - 2)
        );
        let handle = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || extract(&near, &options).map(|f| f.syntax_error.is_none()))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(handle.join(), Ok(Ok(true))));
    }

    #[test]
    fn uses_qualify_paths() {
        let mut uses = HashMap::new();
        let file: syn::File =
            match syn::parse_str("use posthog_rs::{Event, client as ph}; use analytics::message::{self};") {
                Ok(f) => f,
                Err(e) => panic!("{e}"),
            };
        for item in &file.items {
            if let syn::Item::Use(u) = item {
                collect_uses(&u.tree, String::new(), &mut uses);
            }
        }
        assert_eq!(uses.get("Event").map(String::as_str), Some("posthog_rs::Event"));
        assert_eq!(uses.get("ph").map(String::as_str), Some("posthog_rs::client"));
        assert_eq!(uses.get("message").map(String::as_str), Some("analytics::message"));
    }
}

#[cfg(test)]
mod nesting_tests {
    use super::nesting_depth;

    #[test]
    fn literals_cannot_hide_nesting() {
        // Each `')'` would close a bracket for a scan that does not know char literals.
        let hidden = format!("fn f() {{ let x = {}0{}; }}", "(')', ".repeat(300), ")".repeat(300));
        assert!(nesting_depth(&hidden).0 > 300);
        let raw =
            format!("fn f() {{ let s = r#\")))\"#; let x = {}0{}; }}", "(".repeat(300), ")".repeat(300));
        assert!(nesting_depth(&raw).0 > 300);
        let comment = format!("/* ) /* ) */ ) */ fn f() {{ {}0{} }}", "[".repeat(300), "]".repeat(300));
        assert!(nesting_depth(&comment).0 > 300);
    }

    #[test]
    fn generics_count_and_lifetimes_do_not_confuse() {
        let generics = format!("type T = {}u8{};", "Vec<".repeat(300), ">".repeat(300));
        assert!(nesting_depth(&generics).0 >= 300);
        let ordinary = "fn f<'a>(x: &'a str) -> Vec<Option<&'a str>> { if a < b { c } else { d }; '(' }";
        assert!(nesting_depth(ordinary).0 < 8, "{:?}", nesting_depth(ordinary));
    }
}
