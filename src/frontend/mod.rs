//! Front-ends: source text to [`FileFacts`] (call sites, bindings, exports). They know syntax and
//! nothing about SDKs; profile matching happens later, once every file's bindings are known.

pub mod go;
pub mod java;
pub mod javascript;
pub mod kotlin;
pub mod literal;
pub mod python;
pub mod ruby;
pub mod rust;
pub mod swift;
pub mod template;

use crate::model::{
    Binding, BindingSource, CallContext, CallSite, Export, FunctionDef, Language, LocalValue, LoopInfo,
    Param, ScopeId, Span, Value,
};
use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use tree_sitter::{Node, Parser, Tree};

/// What one file contributes to the project.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct FileFacts {
    /// The call sites as the front-end found them; empty once [`Self::compact`] has packed
    /// them. Read them with [`Self::sites`].
    pub sites: Vec<CallSite>,
    /// The call sites, postcard-encoded: most of a file's facts by size, and read once or
    /// twice per run (resolving the file's calls, collecting evidence), so every file but the
    /// ones being resolved keeps them as bytes (about a tenth of their size as values).
    #[serde(with = "crate::model::serde_bytes_boxed")]
    pub packed_sites: Box<[u8]>,
    pub bindings: Vec<Binding>,
    pub exports: Vec<Export>,
    /// The first syntax error, if the parser had to recover.
    pub syntax_error: Option<Span>,
    /// The enclosing scope of each scope (index = scope id; the file's top level is 0).
    pub scope_parents: Vec<ScopeId>,
    /// String constants: `EVENT_SIGNED_UP = 'signed_up'`, `EVENTS.SIGNED_UP` of a JS object
    /// constant, `const SIGNED_UP: &str = ".."`. Event names held in them are checked as if
    /// written at the call.
    /// The value keeps its span (where the literal is written) and may be a fallback form
    /// (`ENV.fetch('TOKEN', '..')`), which only the token rule reads.
    pub constants: Vec<(String, Value)>,
    /// Function and method definitions, for wrapper inference.
    pub functions: Vec<FunctionDef>,
    /// Values assigned to local variables, in source order.
    pub locals: Vec<LocalValue>,
    /// Classes and modules, with their superclass and included modules.
    pub classes: Vec<crate::model::ClassDef>,
    /// Every identifier the file mentions, hashed ([`word_hash`]) and sorted: whether a later
    /// round of wrapper inference must read the file again, answered without reading it.
    pub words: Box<[u32]>,
    /// TypeScript: the file's interfaces and type aliases, by name.
    pub type_decls: Vec<(String, crate::model::TypeShape)>,
    /// TypeScript: parameters and variables declared with a type.
    pub annotated: Vec<crate::model::Annotated>,
    /// Swift: types whose methods all do nothing, with those methods' names (see
    /// [`crate::model::StandIn`]).
    pub stand_ins: Vec<crate::model::StandIn>,
    /// JavaScript: receivers written on `window` (`window.analytics.track(..)`): a page's
    /// global, which a vendor's snippet defines.
    pub window_receivers: Vec<String>,
}

/// FNV-1a of an identifier's bytes.
pub fn word_hash(word: &[u8]) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for &b in word {
        hash ^= u32::from(b);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash
}

/// The hashes of every identifier (`[A-Za-z0-9_$]+`, not starting with a digit) in a text,
/// sorted and distinct. One pass: the hash is built as the word is scanned, and repeats are
/// dropped by a small open-addressing set before the (short) sort.
pub fn word_hashes(bytes: &[u8]) -> Box<[u32]> {
    const WORD: [bool; 256] = {
        let mut table = [false; 256];
        let mut b = 0;
        while b < 256 {
            let c = b as u8;
            table[b] = c.is_ascii_alphanumeric() || c == b'_' || c == b'$';
            b += 1;
        }
        table
    };
    let mut seen = DistinctHashes::with_capacity(bytes.len() / 16);
    let mut i = 0;
    while i < bytes.len() {
        let first = bytes[i];
        if !WORD[first as usize] {
            i += 1;
            continue;
        }
        let mut hash: u32 = 0x811c_9dc5;
        while i < bytes.len() && WORD[bytes[i] as usize] {
            hash ^= u32::from(bytes[i]);
            hash = hash.wrapping_mul(0x0100_0193);
            i += 1;
        }
        if !first.is_ascii_digit() {
            seen.insert(hash);
        }
    }
    let mut out = seen.into_values();
    out.sort_unstable();
    out.into_boxed_slice()
}

/// A set of hashes (open addressing, linear probing; 0 marks an empty slot and is kept apart).
struct DistinctHashes {
    slots: Vec<u32>,
    len: usize,
    zero: bool,
}

impl DistinctHashes {
    fn with_capacity(expected: usize) -> Self {
        let size = (expected.max(32) * 2).next_power_of_two();
        DistinctHashes { slots: vec![0; size], len: 0, zero: false }
    }

    fn insert(&mut self, hash: u32) {
        if hash == 0 {
            self.zero = true;
            return;
        }
        if (self.len + 1) * 2 > self.slots.len() {
            let grown = vec![0; self.slots.len() * 2];
            let old = std::mem::replace(&mut self.slots, grown);
            self.len = 0;
            for h in old.into_iter().filter(|&h| h != 0) {
                self.insert(h);
            }
        }
        let mask = self.slots.len() - 1;
        // Fibonacci hashing spreads FNV's low bits.
        let mut slot = (hash.wrapping_mul(0x9E37_79B9) as usize) & mask;
        loop {
            match self.slots[slot] {
                0 => {
                    self.slots[slot] = hash;
                    self.len += 1;
                    return;
                }
                h if h == hash => return,
                _ => slot = (slot + 1) & mask,
            }
        }
    }

    fn into_values(self) -> Vec<u32> {
        let mut out: Vec<u32> = self.slots.into_iter().filter(|&h| h != 0).collect();
        if self.zero {
            out.push(0);
        }
        out
    }
}

impl FileFacts {
    /// Packs the call sites into bytes (see [`Self::packed_sites`]) and trims every list to
    /// its length: a file's facts are held from its extraction to the end of resolution.
    pub fn compact(&mut self) {
        if !self.sites.is_empty()
            && let Ok(bytes) = postcard::to_allocvec(&self.sites)
        {
            self.packed_sites = bytes.into_boxed_slice();
            self.sites = Vec::new();
        }
        self.bindings.shrink_to_fit();
        self.exports.shrink_to_fit();
        self.scope_parents.shrink_to_fit();
        self.constants.shrink_to_fit();
        self.functions.shrink_to_fit();
        self.locals.shrink_to_fit();
        self.classes.shrink_to_fit();
        self.type_decls.shrink_to_fit();
        self.annotated.shrink_to_fit();
        self.stand_ins.shrink_to_fit();
    }

    /// The call sites, decoded when they were packed. Bytes that do not decode (a damaged
    /// cache entry) give none.
    pub fn sites(&self) -> std::borrow::Cow<'_, [CallSite]> {
        if self.packed_sites.is_empty() {
            std::borrow::Cow::Borrowed(&self.sites)
        } else {
            std::borrow::Cow::Owned(postcard::from_bytes(&self.packed_sites).unwrap_or_default())
        }
    }

    /// A hash of what the file tells the rest of the project, without positions: its names,
    /// bindings, exports, constants, functions, locals, classes and types. Another file's calls
    /// are resolved from these (and from the summaries of its functions, compared on their
    /// own), never from this file's call sites or positions; so when an edit leaves this hash
    /// as it was, every other file resolves as before. Words are left out: a comment adds some
    /// and changes no resolution. `None` if the facts do not encode.
    pub fn outward_digest(&self) -> Option<u128> {
        let outward = (
            &self.bindings,
            &self.exports,
            &self.scope_parents,
            &self.constants,
            &self.functions,
            &self.locals,
            &self.classes,
            &self.type_decls,
            &self.annotated,
            &self.stand_ins,
            &self.window_receivers,
        );
        let bytes = crate::model::without_positions(|| postcard::to_allocvec(&outward)).ok()?;
        Some(xxhash_rust::xxh3::xxh3_128(&bytes))
    }

    /// The argument a call of a function of this file gives back: `clean(user, props)` is
    /// `props` when `def clean(user, data)` returns `data` on every path that returns a value,
    /// amended in place or not (what the caller passed is what is sent), never set again.
    pub fn passed_back<'v>(
        &self,
        callee: &str,
        args: &'v [crate::model::Value],
    ) -> Option<&'v crate::model::Value> {
        let mut defs = self.functions.iter().filter(|f| f.name == callee && f.owner.is_none());
        let (Some(def), None) = (defs.next(), defs.next()) else { return None };
        let crate::model::Returns::Name(name) = &def.returns else { return None };
        let param = def.params.iter().find(|p| p.name == *name)?;
        // `name = name.lower(); return name` gives back another value.
        if self.locals.iter().any(|l| l.name == *name && self.scope_sees(l.scope, def.scope)) {
            return None;
        }
        match param.kind {
            crate::model::ParamKind::Positional(n) => args.get(n.checked_sub(1)?),
            _ => None,
        }
    }

    /// What a call of a same-file, top-level function gives back, read at the call: the
    /// argument it passes back ([`Self::passed_back`]), or the values its returns give
    /// (`return user.email or user.username` in `def get_user_id(user)`), a parameter in them
    /// replaced by the argument passed for it (`request.user.email`). `None` when that cannot
    /// be read: a return of the function's own local, a parameter passed no plain path.
    pub fn given_back(
        &self,
        callee: &str,
        args: &[crate::model::Value],
        at: Span,
    ) -> Option<Vec<crate::model::Value>> {
        use crate::model::{ParamKind, Returns, Value, ValueKind};
        if let Some(passed) = self.passed_back(callee, args) {
            return Some(vec![passed.clone()]);
        }
        let mut defs = self.functions.iter().filter(|f| f.name == callee && f.owner.is_none());
        let (Some(def), None) = (defs.next(), defs.next()) else { return None };
        let Returns::Values(values) = &def.returns else { return None };
        let own_local =
            |name: &str| self.locals.iter().any(|l| l.name == name && self.scope_sees(l.scope, def.scope));
        fn read(
            v: &Value,
            at: Span,
            def: &crate::model::FunctionDef,
            args: &[Value],
            own_local: &dyn Fn(&str) -> bool,
        ) -> Option<Value> {
            let kind = match &v.kind {
                ValueKind::Path(path) => {
                    let (first, rest) = path.segments.split_first()?;
                    match def.params.iter().find(|p| p.name == *first) {
                        Some(param) => {
                            let ParamKind::Positional(n) = param.kind else { return None };
                            let ValueKind::Path(arg) = &args.get(n.checked_sub(1)?)?.kind else {
                                return None;
                            };
                            if own_local(first) {
                                return None;
                            }
                            let mut segments = arg.segments.clone();
                            segments.extend(rest.iter().cloned());
                            let text =
                                format!("{}{}", arg.text, path.text.get(first.len()..).unwrap_or_default());
                            ValueKind::Path(crate::model::Path { segments, text })
                        }
                        None if own_local(first) || matches!(first.as_str(), "self" | "this") => return None,
                        None => v.kind.clone(),
                    }
                }
                ValueKind::OneOf(options) => ValueKind::OneOf(
                    options.iter().map(|o| read(o, at, def, args, own_local)).collect::<Option<Vec<_>>>()?,
                ),
                kind => kind.clone(),
            };
            Some(Value::new(kind, at))
        }
        values.iter().map(|v| read(v, at, def, args, &own_local)).collect()
    }

    /// Whether the file may mention `word` (false means it certainly does not).
    pub fn mentions(&self, word: &str) -> bool {
        self.words.binary_search(&word_hash(word.as_bytes())).is_ok()
    }
}

/// A string method applied to a value: the text it makes when the value is a literal
/// (`'Signed Up'.freeze`, `'signup'.upper()`), and still a template when the value is one
/// (`"#{x} click".capitalize` is as dynamic as the template). `None`: not a string method.
pub fn string_method(receiver: Value, method: &str) -> Option<crate::model::ValueKind> {
    use crate::model::ValueKind;
    let transform = |s: &str| -> Option<String> {
        Some(match method {
            "freeze" | "dup" | "to_s" | "to_str" | "-@" | "+@" | "toString" | "valueOf" | "to_string"
            | "to_owned" | "into" | "as_str" | "clone" => s.to_string(),
            "downcase" | "lower" | "toLowerCase" | "toLocaleLowerCase" | "to_lowercase" => s.to_lowercase(),
            "upcase" | "upper" | "toUpperCase" | "toLocaleUpperCase" | "to_uppercase" => s.to_uppercase(),
            "strip" | "trim" | "squish" => s.trim().to_string(),
            "capitalize" | "title" | "titleize" | "titlecase" => {
                let mut chars = s.chars();
                match chars.next() {
                    Some(first) if method == "capitalize" => {
                        first.to_uppercase().chain(chars.as_str().to_lowercase().chars()).collect()
                    }
                    // Title case: each word's first letter up, the rest down.
                    Some(_) => s
                        .split(' ')
                        .map(|w| {
                            let mut cs = w.chars();
                            cs.next()
                                .map(|f| {
                                    f.to_uppercase()
                                        .chain(cs.as_str().to_lowercase().chars())
                                        .collect::<String>()
                                })
                                .unwrap_or_default()
                        })
                        .collect::<Vec<_>>()
                        .join(" "),
                    None => String::new(),
                }
            }
            _ => return None,
        })
    };
    match receiver.kind {
        ValueKind::Str(s) => transform(&s).map(ValueKind::Str),
        // The static parts change case too; what matters is that the name stays dynamic.
        ValueKind::Template(mut t) => {
            transform("")?;
            if !matches!(method, "capitalize" | "title" | "titleize" | "titlecase") {
                for part in &mut t.static_parts {
                    *part = transform(part)?;
                }
            }
            Some(ValueKind::Template(t))
        }
        _ => None,
    }
}

/// The keyword that marks a list passed on whole (`*args`, `...args`) among a call's arguments.
pub const FORWARDED_LIST: &str = "*";
/// The keyword that marks keywords passed on whole (`**kwargs`).
pub const FORWARDED_KEYWORDS: &str = "**";

/// `*args` / `...args` (`list`) or `**kwargs` passed on whole, as an argument that no position
/// or keyword of an SDK method reads: wrapper inference sees the parameter pass through.
pub fn forwarded(list: bool, name: &str, span: crate::model::Span) -> crate::model::Arg {
    let keyword = if list { FORWARDED_LIST } else { FORWARDED_KEYWORDS };
    crate::model::Arg {
        keyword: Some(keyword.to_string()),
        value: Value::new(
            crate::model::ValueKind::Path(crate::model::Path {
                segments: vec![name.to_string()],
                text: name.to_string(),
            }),
            span,
        ),
    }
}

/// A constant's value worth keeping: a string literal, or a string given as an environment
/// variable's fallback (`ENV.fetch('TOKEN', '..')`, `os.environ.get(.., '..')`,
/// `process.env.TOKEN || '..'`), which the token rule reads.
pub fn is_constant_value(value: &Value) -> bool {
    use crate::model::ValueKind;
    match &value.kind {
        ValueKind::Str(_) => true,
        ValueKind::Call { args, .. } => matches!(args.last().map(|a| &a.kind), Some(ValueKind::Str(_))),
        ValueKind::OneOf(options) => options.iter().any(|o| matches!(o.kind, ValueKind::Str(_))),
        _ => false,
    }
}

/// Whether a name reads as a constant: `SIGNED_UP`, `EVENT_NAMES`.
pub fn is_constant_name(name: &str) -> bool {
    name.chars().any(|c| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

impl FileFacts {
    /// `scope`, then each enclosing scope out to the file's top level.
    pub fn scope_chain(&self, scope: ScopeId) -> impl Iterator<Item = ScopeId> + '_ {
        let mut next = Some(scope);
        // Bounded: a malformed parent list cannot loop.
        (0..=self.scope_parents.len()).map_while(move |_| {
            let current = next?;
            next = self.scope_parents.get(current as usize).copied().filter(|&parent| parent != current);
            Some(current)
        })
    }

    /// The class or module whose method holds `scope` (the innermost function's owner).
    pub fn owner_at(&self, scope: ScopeId) -> Option<&str> {
        self.scope_chain(scope)
            .find_map(|s| self.functions.iter().find(|f| f.scope == s))
            .and_then(|f| f.owner.as_deref())
    }

    /// What the local `name` was assigned before `before` (a byte offset) in `scope` or the
    /// scopes around it, in source order.
    pub fn assigned_before(&self, name: &str, scope: ScopeId, before: usize) -> Vec<&crate::model::Value> {
        let chain: Vec<ScopeId> = self.scope_chain(scope).collect();
        let mut assigned: Vec<&LocalValue> = self
            .locals
            .iter()
            .filter(|l| l.name == name && chain.contains(&l.scope) && l.value.span.start < before)
            .collect();
        // The last assignment that is a statement of a block holding the place is the one the
        // place sees: those before it are overwritten on every way there.
        assigned.sort_by_key(|l| l.value.span.start);
        if let Some(last) = assigned.iter().rposition(|l| l.block.start <= before && before < l.block.end) {
            assigned.drain(..last);
        }
        assigned.into_iter().map(|l| &l.value).collect()
    }

    /// Whether code in `inner` sees local variables of `outer` (same scope or nested in it).
    pub fn scope_sees(&self, inner: ScopeId, outer: ScopeId) -> bool {
        self.scope_chain(inner).any(|s| s == outer)
    }
}

/// What one `return` (or a Ruby method's last expression) gives back.
pub enum Returned<'a> {
    /// A bare name: a parameter passed back, or a local.
    Name(&'a str),
    /// A value a caller can read without running the function: a literal, a path, a choice
    /// of those (`user.email or user.username`).
    Value(Value),
    /// Anything else, or nothing (a bare `return`).
    Other,
}

impl<'s> Returned<'s> {
    /// What `return <node>` (or a Ruby method's last expression `node`) gives back, read with
    /// the language's own `value`: a bare identifier is a name, nothing is nothing.
    pub fn of(node: Option<Node>, src: &'s str, value: fn(Node, &str, usize) -> Value) -> Returned<'s> {
        match node {
            Some(n) if n.kind() == "identifier" => Returned::Name(text(n, src)),
            Some(n) => Returned::value(value(n, src, 0)),
            None => Returned::Other,
        }
    }

    /// What `return <value>` gives back, `value` being the expression as the front-end reads
    /// it (a bare name is [`Returned::Name`], told apart by the caller).
    pub fn value(value: Value) -> Returned<'static> {
        fn readable(v: &Value, depth: usize) -> bool {
            use crate::model::ValueKind;
            match &v.kind {
                ValueKind::Str(_) | ValueKind::Null | ValueKind::Path(_) => true,
                ValueKind::OneOf(options) => {
                    depth < 2
                        && options.len() <= MAX_RETURNED_VALUES
                        && options.iter().all(|o| readable(o, depth + 1))
                }
                _ => false,
            }
        }
        if readable(&value, 0) { Returned::Value(value) } else { Returned::Other }
    }
}

/// Values a function's returns are read as at most (more: it gives back something else).
const MAX_RETURNED_VALUES: usize = 8;

/// The most entries a module-level object may have to be kept as a local's value.
const MAX_MODULE_OBJECT: usize = 32;

/// What the front-ends need to know to keep a call site: the method names any profile has.
#[derive(Default)]
pub struct ExtractOptions {
    pub method_names: HashSet<String>,
    /// Keep every call site, whatever its method: set when a file is read again for wrapper
    /// inference, so that one more read serves every later round (a hook's result is called by
    /// whatever name the caller gives it: `const send = useTrack(); send(..)`).
    pub keep_all_calls: bool,
    /// Methods of an event value that add one `(key, value)` property (posthog-rs
    /// `insert_prop`), from the profiles' `[builder]`.
    pub property_methods: Vec<String>,
    /// Structs whose literal is a profile's modifiers, with the fields sent as `$field`.
    pub modifiers_structs: Vec<(String, Vec<String>)>,
}

impl ExtractOptions {
    /// Whether call sites of this method name are kept.
    pub fn keeps(&self, method: &str) -> bool {
        self.keep_all_calls || self.method_names.contains(method)
    }
}

impl ExtractOptions {
    /// One set of options per language: a Ruby file keeps no site for a Rust SDK's `new`.
    pub fn per_language(
        profiles: &crate::profile::Profiles,
    ) -> std::collections::HashMap<Language, ExtractOptions> {
        Language::ALL
            .iter()
            .map(|&l| {
                let (property_methods, modifiers_structs) = profiles.builder_facts(l);
                (
                    l,
                    ExtractOptions {
                        property_methods,
                        modifiers_structs,
                        method_names: profiles
                            .method_names(l)
                            .into_iter()
                            .chain(profiles.constructor_names(l))
                            .chain(profiles.evidence_call_names(l))
                            .collect(),
                        keep_all_calls: false,
                    },
                )
            })
            .collect()
    }
}

/// Deeper values than this are recorded as unknown rather than recursed into.
pub const MAX_VALUE_DEPTH: usize = 48;

/// The longest callee text kept as a receiver's constructor: a constructor or factory is a
/// short path, a long chain of calls is not one (and is not copied once per link).
pub const MAX_CALLEE_TEXT: usize = 256;

/// A setter's or getter's name as its property (`FirstName` of `SetFirstName` is `firstName`,
/// `People` of `getPeople()` is `people`).
/// What a JVM `put`-style call adds to a property container: `put("k", v)` (a `JSONObject`, a
/// map), `putString("k", v)` (an Android `Bundle`), KTX's `param("k", v)`, a key held in a
/// constant (`putString(FirebaseAnalytics.Param.ITEM_ID, id)`), Segment's one-argument setter
/// `putEmail(v)`. `Some(None)` for a put whose key cannot be read (the container may then hold
/// anything), `None` for a call that is not a put.
pub fn jvm_put_entry(
    method: &str,
    args: &[crate::model::Arg],
    method_span: Span,
    src: &str,
) -> Option<Option<crate::model::Entry>> {
    use crate::model::{Entry, ValueKind};
    match args {
        [k, v] if method == "param" || method == "accumulate" || method.starts_with("put") => {
            Some(match &k.value.kind {
                ValueKind::Str(key) => Some(Entry {
                    key: key.clone(),
                    key_text: src.get(k.value.span.start..k.value.span.end).unwrap_or(key).to_string(),
                    key_span: k.value.span,
                    value: v.value.clone(),
                }),
                ValueKind::Path(path) => Some(Entry::with_constant_key(path, k.value.span, v.value.clone())),
                _ => None,
            })
        }
        [_] if method == "putAll" => Some(None),
        [v] if method.starts_with("put") && method.len() > 3 => Some(Some(Entry {
            key: lower_first(&method[3..]),
            key_text: method.to_string(),
            key_span: method_span,
            value: v.value.clone(),
        })),
        _ => None,
    }
}

pub fn lower_first(name: &str) -> String {
    let mut key = name.to_string();
    if let Some(first) = key.get(..1) {
        let lower = first.to_ascii_lowercase();
        key.replace_range(..1, &lower);
    }
    key
}

#[derive(Debug)]
pub enum ParseFailure {
    /// The grammar could not be loaded (a build problem, reported as an internal error).
    Grammar(String),
    /// Nesting deeper than the recursive parser can take safely; says what and the limit.
    TooDeep(String),
    /// The parser gave up (cancelled or timed out).
    NoTree,
}

thread_local! {
    static PARSERS: RefCell<Vec<(Language, Parser, FieldTable)>> = const { RefCell::new(Vec::new()) };
}

/// The grammar fields the front-ends read. `child_by_field_name` looks a name up by string
/// comparison on every call; the ids are resolved once per grammar instead.
#[derive(Clone, Copy, Debug)]
pub enum Field {
    Alias,
    Alternative,
    Argument,
    Arguments,
    Attribute,
    Block,
    Body,
    BoundIdentifier,
    Collection,
    Condition,
    Consequence,
    Constructor,
    Declaration,
    DeclarationKind,
    Expr,
    Expression,
    ExternalName,
    Field,
    Function,
    IfFalse,
    IfNil,
    IfTrue,
    Index,
    Key,
    Left,
    Lhs,
    Method,
    ModuleName,
    Name,
    Object,
    Op,
    Operand,
    Operation,
    Operator,
    Parameters,
    Path,
    Property,
    Receiver,
    Result,
    Rhs,
    Right,
    Source,
    Subscript,
    Suffix,
    Target,
    Type,
    Value,
    Wrapped,
}

const FIELD_NAMES: [&str; 48] = [
    "alias",
    "alternative",
    "argument",
    "arguments",
    "attribute",
    "block",
    "body",
    "bound_identifier",
    "collection",
    "condition",
    "consequence",
    "constructor",
    "declaration",
    "declaration_kind",
    "expr",
    "expression",
    "external_name",
    "field",
    "function",
    "if_false",
    "if_nil",
    "if_true",
    "index",
    "key",
    "left",
    "lhs",
    "method",
    "module_name",
    "name",
    "object",
    "op",
    "operand",
    "operation",
    "operator",
    "parameters",
    "path",
    "property",
    "receiver",
    "result",
    "rhs",
    "right",
    "source",
    "subscript",
    "suffix",
    "target",
    "type",
    "value",
    "wrapped",
];

type FieldTable = [Option<std::num::NonZeroU16>; FIELD_NAMES.len()];

fn field_table(grammar: &tree_sitter::Language) -> FieldTable {
    let mut table = [None; FIELD_NAMES.len()];
    for (slot, name) in table.iter_mut().zip(FIELD_NAMES) {
        *slot = grammar.field_id_for_name(name);
    }
    table
}

thread_local! {
    /// The field table of the grammar of the file being extracted on this thread.
    static CURRENT_FIELDS: std::cell::Cell<FieldTable> = const { std::cell::Cell::new([None; FIELD_NAMES.len()]) };
}

/// Field access by pre-resolved id.
pub trait NodeFields<'t> {
    fn field(&self, field: Field) -> Option<Node<'t>>;
}

impl<'t> NodeFields<'t> for Node<'t> {
    fn field(&self, field: Field) -> Option<Node<'t>> {
        let id = CURRENT_FIELDS.with(|t| t.get()[field as usize])?;
        self.child_by_field_id(id.get())
    }
}

/// Parses that take longer than this are cancelled and the file reported as skipped.
pub const DEFAULT_PARSE_TIMEOUT_MS: u64 = 10_000;

static PARSE_TIMEOUT_MS: AtomicU64 = AtomicU64::new(DEFAULT_PARSE_TIMEOUT_MS);

/// Sets the per-file parse timeout for every thread.
pub fn set_parse_timeout_ms(ms: u64) {
    PARSE_TIMEOUT_MS.store(ms, Ordering::Relaxed);
}

/// Parses with a per-thread parser for the language, reused across files, and makes
/// [`NodeFields::field`] read this language's field ids on this thread.
pub fn parse(language: Language, source: &str) -> Result<Tree, ParseFailure> {
    PARSERS.with(|cell| {
        let mut parsers = cell.borrow_mut();
        let idx = match parsers.iter().position(|(l, _, _)| *l == language) {
            Some(i) => i,
            None => {
                let mut parser = Parser::new();
                let grammar: tree_sitter::Language = match language {
                    Language::Ruby => tree_sitter_ruby::LANGUAGE.into(),
                    Language::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
                    Language::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
                    Language::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
                    Language::Python => tree_sitter_python::LANGUAGE.into(),
                    Language::Go => tree_sitter_go::LANGUAGE.into(),
                    Language::Swift => tree_sitter_swift::LANGUAGE.into(),
                    Language::Kotlin => tree_sitter_kotlin_ng::LANGUAGE.into(),
                    Language::Java => tree_sitter_java::LANGUAGE.into(),
                    // Script blocks may be TypeScript (`lang="ts"`, Astro frontmatter); TypeScript
                    // reads plain JavaScript too.
                    Language::Template => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
                    Language::Rust => {
                        return Err(ParseFailure::Grammar("Rust is parsed with syn, not tree-sitter".into()));
                    }
                };
                parser.set_language(&grammar).map_err(|e| ParseFailure::Grammar(e.to_string()))?;
                let fields = field_table(&grammar);
                parsers.push((language, parser, fields));
                parsers.len() - 1
            }
        };
        let (_, parser, fields) = &mut parsers[idx];
        // The tree about to be returned is read with this grammar's field ids.
        CURRENT_FIELDS.with(|t| t.set(*fields));
        let timeout = std::time::Duration::from_millis(PARSE_TIMEOUT_MS.load(Ordering::Relaxed));
        let deadline = std::time::Instant::now() + timeout;
        let bytes = source.as_bytes();
        let mut read = |offset: usize, _: tree_sitter::Point| bytes.get(offset..).unwrap_or_default();
        let mut progress = |_: &tree_sitter::ParseState| {
            if std::time::Instant::now() > deadline {
                std::ops::ControlFlow::Break(())
            } else {
                std::ops::ControlFlow::Continue(())
            }
        };
        let options = tree_sitter::ParseOptions::new().progress_callback(&mut progress);
        match parser.parse_with_options(&mut read, None, Some(options)) {
            Some(tree) => Ok(tree),
            None => {
                // A cancelled parse would otherwise resume on the next file.
                parser.reset();
                Err(ParseFailure::NoTree)
            }
        }
    })
}

pub fn extract(
    language: Language,
    source: &str,
    options: &ExtractOptions,
) -> Result<FileFacts, ParseFailure> {
    match language {
        Language::Rust => return rust::extract(source, options),
        Language::Template => return template::extract(source, options),
        _ => {}
    }
    let tree = parse(language, source)?;
    let mut facts = match language {
        Language::Ruby => ruby::extract(&tree, source, options),
        Language::Python => python::extract(&tree, source, options),
        Language::Go => go::extract(&tree, source, options),
        Language::Swift => swift::extract(&tree, source, options),
        Language::Kotlin => kotlin::extract(&tree, source, options),
        Language::Java => java::extract(&tree, source, options),
        _ => javascript::extract(&tree, source, options),
    };
    if tree.root_node().has_error() {
        facts.syntax_error = first_error(tree.root_node());
    }
    Ok(facts)
}

/// The first ERROR or MISSING node in document order, found without recursion.
pub(super) fn first_error(root: Node) -> Option<Span> {
    let mut cursor = root.walk();
    loop {
        let node = cursor.node();
        if node.is_error() || node.is_missing() {
            return Some(Span::new(node.start_byte(), node.end_byte()));
        }
        if node.has_error() && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return None;
            }
        }
    }
}

pub fn span_of(node: Node) -> Span {
    Span::new(node.start_byte(), node.end_byte())
}

pub fn text<'s>(node: Node, src: &'s str) -> &'s str {
    src.get(node.byte_range()).unwrap_or("")
}

/// A node's text without whitespace: a callee or type as one token (`analytics.New`,
/// `mixpanel.Mixpanel`, `this.mp` written across lines).
pub fn compact_text(node: Node, src: &str) -> String {
    text(node, src).chars().filter(|c| !c.is_whitespace()).collect()
}

/// Source text squeezed onto one line and cut to a readable length, for messages.
pub fn short_text(node: Node, src: &str) -> String {
    let mut out = String::new();
    let mut last_space = false;
    for ch in text(node, src).chars() {
        if ch.is_whitespace() {
            if !last_space && !out.is_empty() {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.push(ch);
            last_space = false;
        }
        if out.len() > 120 {
            out.push('…');
            break;
        }
    }
    out
}

/// What a function returns when called: the value of the last `return` at the top of its body
/// (Python's `def get_client()`, JavaScript's `function getClient()`; both grammars name the
/// body `body` and the statement `return_statement`), an arrow function's expression body, or,
/// for a returned local assigned once at the top of the body, the value it was assigned.
pub fn returned_value<'t>(function: Node<'t>, src: &str) -> Option<Node<'t>> {
    let body = function.field(Field::Body)?;
    // `() => new PostHog(key)`: an arrow function's expression body is what it returns.
    if function.kind() == "arrow_function" && body.kind() != "statement_block" {
        return Some(body);
    }
    let statements = named_children(body);
    let last = statements.iter().rev().find(|c| c.kind() == "return_statement")?;
    let returned = named_children(*last).into_iter().next()?;
    if returned.kind() != "identifier" {
        return Some(returned);
    }
    // `const client = new PostHog(key); return client` (PostHog's own Next.js example): a local
    // declared once in the body, with a value, is what it returns.
    let name = text(returned, src);
    let mut assigned = statements.iter().flat_map(|s| body_assignments(*s, name, src));
    match (assigned.next(), assigned.next()) {
        (Some(value), None) if !matches!(text(value, src), "null" | "undefined" | "None" | "nil") => {
            Some(value)
        }
        _ => Some(returned),
    }
}

/// The values a statement of a function body assigns to `name` itself: a JavaScript
/// `const`/`let`/`var` declarator, or a plain assignment (`name = ..`, JavaScript or Python).
fn body_assignments<'t>(statement: Node<'t>, name: &str, src: &str) -> Vec<Node<'t>> {
    let assignment = |node: Node<'t>| {
        let left = node.field(Field::Left).or_else(|| node.field(Field::Name))?;
        (left.kind() == "identifier" && text(left, src) == name)
            .then(|| node.field(Field::Right).or_else(|| node.field(Field::Value)))?
    };
    match statement.kind() {
        "lexical_declaration" | "variable_declaration" => named_children(statement)
            .into_iter()
            .filter(|d| d.kind() == "variable_declarator")
            .filter_map(assignment)
            .collect(),
        "expression_statement" => named_children(statement)
            .into_iter()
            .filter(|e| matches!(e.kind(), "assignment" | "assignment_expression"))
            .filter_map(assignment)
            .collect(),
        _ => Vec::new(),
    }
}

/// Named children, skipping comments (they are "extras" and may sit between arguments).
pub fn named_children(node: Node) -> Vec<Node> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor).filter(|c| c.kind() != "comment").collect()
}

/// A plain string or symbol literal's text (`'track'`, `"track"`, `:track`); `None` for an
/// interpolated, escaped or prefixed (`f".."`, `b".."`) one, and for anything else.
pub fn guard_literal(node: Node, src: &str) -> Option<String> {
    match node.kind() {
        "simple_symbol" => Some(text(node, src).trim_start_matches(':').to_string()),
        "string" => {
            let mut content = None;
            for child in named_children(node) {
                match child.kind() {
                    "string_start" if text(child, src).chars().any(|c| c.is_ascii_alphabetic()) => {
                        return None;
                    }
                    "string_start" | "string_end" => {}
                    "string_content" | "string_fragment" if content.is_none() => {
                        content = Some(text(child, src).to_string());
                    }
                    _ => return None,
                }
            }
            Some(content.unwrap_or_default())
        }
        _ => None,
    }
}

/// `action == 'track'` (or `'track' === action`): the variable and the literal it is compared
/// with. Parentheses around the comparison are looked through.
pub fn equality_guard(condition: Node, src: &str) -> Option<(String, String)> {
    let mut node = condition;
    while node.kind() == "parenthesized_expression" {
        node = *named_children(node).first()?;
    }
    if !matches!(node.kind(), "binary" | "binary_expression" | "comparison_operator") {
        return None;
    }
    let [left, right] = named_children(node)[..] else { return None };
    if !matches!(src.get(left.end_byte()..right.start_byte()).map(str::trim), Some("==" | "===")) {
        return None;
    }
    let (variable, literal) = if left.kind() == "identifier" { (left, right) } else { (right, left) };
    (variable.kind() == "identifier")
        .then(|| guard_literal(literal, src))
        .flatten()
        .map(|value| (text(variable, src).to_string(), value))
}

/// Whether `node` is the branch its parent (`if`, `elsif`, `elif`) takes when the parent's
/// condition holds, and that condition compares a variable with a literal.
pub fn guarded_branch(node: Node, parent: Node, src: &str) -> Option<(String, String)> {
    if parent.field(Field::Consequence)?.id() != node.id() {
        return None;
    }
    equality_guard(parent.field(Field::Condition)?, src)
}

enum FrameKind {
    Scope {
        id: ScopeId,
        name: Option<String>,
    },
    /// A class, module or object literal whose functions are its members.
    Owner(String),
    Loop(LoopInfo),
    Task(String),
    Request,
    Guard(crate::model::Guard),
}

struct Frame {
    node_id: usize,
    kind: FrameKind,
}

/// Traversal state shared by the tree-sitter front-ends: the stack of enclosing functions, loops
/// and tasks, and the facts collected so far.
pub struct Walk<'s> {
    pub src: &'s str,
    pub options: &'s ExtractOptions,
    pub facts: FileFacts,
    frames: Vec<Frame>,
    next_scope: ScopeId,
    next_order: u32,
    /// Names a function declares `global` (Python), by the function's node id: read once.
    pub globals: std::collections::HashMap<usize, Vec<String>>,
}

impl<'s> Walk<'s> {
    pub fn new(src: &'s str, options: &'s ExtractOptions) -> Self {
        // Scope 0 is the file's top level, its own parent.
        let facts = FileFacts { scope_parents: vec![0], ..FileFacts::default() };
        Walk {
            src,
            options,
            facts,
            frames: Vec::new(),
            next_scope: 1,
            next_order: 0,
            globals: std::collections::HashMap::new(),
        }
    }

    pub fn push_scope(&mut self, node: Node, name: Option<String>) {
        let id = self.next_scope;
        self.next_scope += 1;
        let parent = self.current_scope();
        self.facts.scope_parents.push(parent);
        self.frames.push(Frame { node_id: node.id(), kind: FrameKind::Scope { id, name } });
    }

    pub fn push_loop(&mut self, node: Node, method: &str, iterable: String) {
        self.frames.push(Frame {
            node_id: node.id(),
            kind: FrameKind::Loop(LoopInfo { method: method.to_string(), iterable, span: span_of(node) }),
        });
    }

    /// Scope and loop frames for front-ends that do not walk a tree-sitter tree (syn): pushed
    /// and popped by the caller.
    pub fn push_scope_frame(&mut self, name: Option<String>) {
        let id = self.next_scope;
        self.next_scope += 1;
        let parent = self.current_scope();
        self.facts.scope_parents.push(parent);
        self.frames.push(Frame { node_id: usize::MAX, kind: FrameKind::Scope { id, name } });
    }

    pub fn push_loop_frame(&mut self, method: &str, iterable: String, span: Span) {
        self.frames.push(Frame {
            node_id: usize::MAX,
            kind: FrameKind::Loop(LoopInfo { method: method.to_string(), iterable, span }),
        });
    }

    pub fn pop_frame(&mut self) {
        self.frames.pop();
    }

    /// Functions defined in the node's subtree are members of `name`.
    pub fn push_owner(&mut self, node: Node, name: String) {
        self.frames.push(Frame { node_id: node.id(), kind: FrameKind::Owner(name) });
    }

    pub fn push_owner_frame(&mut self, name: String) {
        self.frames.push(Frame { node_id: usize::MAX, kind: FrameKind::Owner(name) });
    }

    /// The class, module or object the current position is directly in (not inside a function
    /// of it).
    pub fn current_owner(&self) -> Option<String> {
        for frame in self.frames.iter().rev() {
            match &frame.kind {
                FrameKind::Owner(name) => return Some(name.clone()),
                FrameKind::Scope { .. } => return None,
                _ => {}
            }
        }
        None
    }

    /// Opens a function's scope and records its definition (call before its body is walked).
    pub fn define_function(
        &mut self,
        node_id: usize,
        name: String,
        params: Vec<Param>,
        span: Span,
        line: usize,
    ) {
        let owner = self.current_owner();
        let id = self.next_scope;
        self.next_scope += 1;
        let parent = self.current_scope();
        self.facts.scope_parents.push(parent);
        self.frames.push(Frame { node_id, kind: FrameKind::Scope { id, name: Some(name.clone()) } });
        self.facts.functions.push(FunctionDef {
            name,
            owner,
            scope: id,
            params,
            span,
            line,
            singleton: false,
            returns: crate::model::Returns::Nothing,
            runs_later: false,
        });
    }

    /// A `return` in the function being walked: what it gives back ([`Returned`]). It
    /// belongs to the innermost scope: a `return` in an anonymous function (a callback) is its
    /// own.
    pub fn returned(&mut self, name: Returned) {
        let function = self.frames.iter().rev().find_map(|f| match &f.kind {
            FrameKind::Scope { id, name } => Some(name.as_ref().map(|_| *id)),
            _ => None,
        });
        self.returned_from(function.flatten(), name);
    }

    /// [`Self::returned`] for a language whose `return` in a block returns from the method the
    /// block is in (Ruby): it belongs to the innermost named scope.
    pub fn returned_through_blocks(&mut self, name: Returned) {
        let function = self.frames.iter().rev().find_map(|f| match &f.kind {
            FrameKind::Scope { id, name: Some(_) } => Some(*id),
            _ => None,
        });
        self.returned_from(function, name);
    }

    fn returned_from(&mut self, function: Option<ScopeId>, returned: Returned) {
        use crate::model::Returns;
        let Some(def) = function.and_then(|id| self.facts.functions.iter_mut().rev().find(|f| f.scope == id))
        else {
            return;
        };
        let null = |v: &Value| matches!(v.kind, crate::model::ValueKind::Null);
        def.returns = match (std::mem::take(&mut def.returns), returned) {
            (Returns::Nothing, Returned::Name(name)) => Returns::Name(name.to_string()),
            (Returns::Name(before), Returned::Name(name)) if before == name => Returns::Name(before),
            // `if (!key) return null; .. return client`: a guard gives nothing, the name is
            // what the function gives when it gives something.
            (Returns::Name(before), Returned::Value(v)) if null(&v) => Returns::Name(before),
            (Returns::Values(values), Returned::Name(name)) if values.iter().all(null) => {
                Returns::Name(name.to_string())
            }
            (Returns::Nothing, Returned::Value(value)) => Returns::Values(vec![value]),
            (Returns::Values(mut values), Returned::Value(value)) if values.len() < MAX_RETURNED_VALUES => {
                if !values.contains(&value) {
                    values.push(value);
                }
                Returns::Values(values)
            }
            _ => Returns::Other,
        };
    }

    /// Records what a local variable holds at this point.
    pub fn local_value(&mut self, name: &str, value: impl FnOnce() -> Value) {
        self.local_value_in(name, None, value);
    }

    /// [`Self::local_value`], for an assignment that is a statement of `block` (its span).
    pub fn local_value_in(&mut self, name: &str, block: Option<Span>, value: impl FnOnce() -> Value) {
        let scope = self.current_scope();
        let value = value();
        // Flows into a wrapper's call are read inside functions; at the top of a module only a
        // name or a small object is kept (`const purchase = { event: .. }` pushed below it),
        // not every module-level table.
        let small = match &value.kind {
            crate::model::ValueKind::Str(_) => true,
            crate::model::ValueKind::Object(o) => o.entries.len() <= MAX_MODULE_OBJECT,
            _ => false,
        };
        if scope == 0 && !small {
            return;
        }
        self.facts.locals.push(LocalValue {
            scope,
            name: name.to_string(),
            value,
            block: block.unwrap_or_default(),
        });
    }

    /// `event.attributes = value` on a local that holds an object: the object has that member
    /// (its last value wins; a local that holds no object is left as it is). The object is
    /// amended where it was built, so the calls that send it see the member.
    pub fn set_local_member(&mut self, name: &str, member: &str, at: Span, value: impl FnOnce() -> Value) {
        self.set_local_entry(name, || {
            Some(crate::model::Entry {
                key: member.to_string(),
                key_text: member.to_string(),
                key_span: at,
                value: value(),
            })
        });
    }

    /// An entry set on the object a local of the current function holds (`params["plan"] = ..`
    /// in Swift, `event.customAttributes = ..`); see [`Walk::set_local_member`].
    pub fn set_local_entry(&mut self, name: &str, entry: impl FnOnce() -> Option<crate::model::Entry>) {
        let scope = self.current_scope();
        if scope == 0 {
            return;
        }
        let Some(crate::model::ValueKind::Object(object)) = self
            .facts
            .locals
            .iter_mut()
            .rev()
            .find(|l| l.scope == scope && l.name == name)
            .map(|l| &mut l.value.kind)
        else {
            return;
        };
        if object.entries.len() >= MAX_MODULE_OBJECT * 4 {
            return;
        }
        let Some(entry) = entry() else {
            // A key we cannot read: the object may hold anything.
            object.has_spread = true;
            return;
        };
        // The last value of a key wins (a key held in a constant is only known later).
        if !entry.key.is_empty() {
            object.entries.retain(|e| e.key != entry.key);
        }
        object.entries.push(entry);
    }

    /// A variable assigned here: what it holds now (for wrapper inference), an export when it
    /// is at the top of the module (other files import it), and its binding.
    pub fn bind_variable(&mut self, name: String, source: BindingSource, value: impl FnOnce() -> Value) {
        self.bind_variable_in(name, source, None, value);
    }

    /// [`Self::bind_variable`], for an assignment that is a statement of `block` (its span).
    pub fn bind_variable_in(
        &mut self,
        name: String,
        source: BindingSource,
        block: Option<Span>,
        value: impl FnOnce() -> Value,
    ) {
        self.local_value_in(&name, block, value);
        if self.current_scope() == 0 {
            self.facts.exports.push(Export { name: name.clone(), source: source.clone() });
        }
        self.bind(name, source, false, true);
    }

    /// Marks the node's subtree as request-handling code.
    pub fn push_request(&mut self, node: Node) {
        self.frames.push(Frame { node_id: node.id(), kind: FrameKind::Request });
    }

    pub fn push_request_frame(&mut self) {
        self.frames.push(Frame { node_id: usize::MAX, kind: FrameKind::Request });
    }

    /// Marks the node's subtree as a branch taken when `name` equals one of `values`.
    pub fn push_guard(&mut self, node: Node, name: String, mut values: Vec<String>) {
        // `when 'track', :track`: one value.
        let mut seen = HashSet::new();
        values.retain(|v| seen.insert(v.clone()));
        self.frames
            .push(Frame { node_id: node.id(), kind: FrameKind::Guard(crate::model::Guard { name, values }) });
    }

    pub fn push_task(&mut self, node: Node, name: String) {
        self.frames.push(Frame { node_id: node.id(), kind: FrameKind::Task(name) });
    }

    /// The innermost function scope at the current position (0 at the top level).
    pub fn current_scope(&self) -> ScopeId {
        self.frames
            .iter()
            .rev()
            .find_map(|f| match f.kind {
                FrameKind::Scope { id, .. } => Some(id),
                _ => None,
            })
            .unwrap_or(0)
    }

    /// Records a name binding; `local` ones are visible only in the current scope and below.
    pub fn bind(&mut self, name: String, source: BindingSource, global: bool, local: bool) {
        let scope = local.then(|| self.current_scope());
        self.facts.bindings.push(Binding { name, source, global, scope });
    }

    /// An assignment to a variable declared in an enclosing scope (`let segment;` at the top,
    /// `segment = new Analytics(..)` in `init`) binds it where it was declared.
    pub fn assign(&mut self, name: String, source: BindingSource) {
        let current = self.current_scope();
        let declared = self
            .facts
            .bindings
            .iter()
            .rev()
            .filter(|b| b.name == name)
            .find_map(|b| b.scope.filter(|&s| self.facts.scope_sees(current, s)));
        let scope = Some(declared.unwrap_or(current));
        self.facts.bindings.push(Binding { name, source, global: false, scope });
    }

    /// Records a call site at the current position (its scope, order and context).
    pub fn push_site(
        &mut self,
        callee: Vec<String>,
        root: Option<crate::model::Receiver>,
        args: Vec<crate::model::Arg>,
        span: Span,
    ) {
        let (scope, order, context) = self.position();
        self.facts.sites.push(CallSite { callee, root, args, span, scope, order, context });
    }

    /// The scope and context of a call at the current position.
    pub fn position(&mut self) -> (ScopeId, u32, CallContext) {
        let mut scope = 0;
        let mut context = CallContext::default();
        let mut found_scope = false;
        for frame in self.frames.iter().rev() {
            match &frame.kind {
                FrameKind::Scope { id, name } if !found_scope => {
                    scope = *id;
                    context.function_name = name.clone();
                    found_scope = true;
                }
                FrameKind::Loop(info) if context.enclosing_loop.is_none() && !found_scope => {
                    context.enclosing_loop = Some(Box::new(info.clone()));
                }
                FrameKind::Task(name) if context.rake_task.is_none() => {
                    context.rake_task = Some(name.clone());
                }
                FrameKind::Guard(guard) if context.guard.is_none() && !found_scope => {
                    context.guard = Some(Box::new(guard.clone()));
                }
                FrameKind::Request => context.request_handler = true,
                _ => {}
            }
        }
        let order = self.next_order;
        self.next_order += 1;
        (scope, order, context)
    }

    /// Visits every node in document order without recursion; `enter` may push frames, which
    /// are popped when their node is left. `enter` also gets the node's ancestors, innermost
    /// last: tree-sitter's `Node::parent` searches down from the root, which is quadratic on
    /// the deep trees of bundled code.
    pub fn run<'t>(&mut self, tree: &'t Tree, mut enter: impl FnMut(&mut Walk<'s>, Node<'t>, &[Node<'t>])) {
        let mut cursor = tree.walk();
        let mut ancestors: Vec<Node<'t>> = Vec::new();
        loop {
            let node = cursor.node();
            // Keyword tokens share kind names with nodes (`function`, `while`): skip them.
            if node.is_named() {
                enter(self, node, &ancestors);
            }
            if cursor.goto_first_child() {
                ancestors.push(node);
                continue;
            }
            loop {
                let left = cursor.node().id();
                while self.frames.last().is_some_and(|f| f.node_id == left) {
                    self.frames.pop();
                }
                if cursor.goto_next_sibling() {
                    break;
                }
                if !cursor.goto_parent() {
                    return;
                }
                ancestors.pop();
            }
        }
    }
}

/// The `n`th ancestor (1 = parent) from a stack of ancestors, innermost last.
/// The block an assignment runs in unconditionally, as [`LocalValue::block`] records it: its
/// statement (`wrappers`, the assignment's parent, e.g. `expression_statement`; none when the
/// assignment is itself a statement) is a direct child of a node of one of the `blocks` kinds.
/// `None` otherwise (`x = 1 if c`, `c && (x = 1)`): the assignment may not run.
pub fn statement_block(ancestors: &[Node], wrappers: &[&str], blocks: &[&str]) -> Option<Span> {
    let mut up = ancestors.iter().rev();
    if !wrappers.is_empty() {
        up.next().filter(|s| wrappers.contains(&s.kind()))?;
    }
    let block = up.next().filter(|b| blocks.contains(&b.kind()))?;
    Some(Span::new(block.start_byte(), block.end_byte()))
}

pub fn ancestor<'t>(ancestors: &[Node<'t>], n: usize) -> Option<Node<'t>> {
    ancestors.len().checked_sub(n).and_then(|i| ancestors.get(i)).copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CallSite, ValueKind};

    fn sites(language: Language, src: &str) -> Vec<CallSite> {
        let options = ExtractOptions {
            method_names: ["track", "set"].iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        };
        match extract(language, src, &options) {
            Ok(facts) => facts.sites,
            Err(e) => panic!("parse failed: {e:?}"),
        }
    }

    fn outward(language: Language, src: &str) -> Option<u128> {
        let options = ExtractOptions {
            method_names: ["track", "set"].iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        };
        extract(language, src, &options).ok()?.outward_digest()
    }

    #[test]
    fn what_a_file_tells_others_ignores_moves_and_comments_but_not_names_or_values() {
        let ruby = "module Events\n  SIGNUP = 'Signed Up'\n  def self.track(user, name)\n    T.track(user.id, name)\n  end\nend\n";
        let base = outward(Language::Ruby, ruby);
        assert!(base.is_some());
        // Moved down by a comment, or the call inside changed: the same to other files.
        assert_eq!(outward(Language::Ruby, &format!("# new comment\n\n{ruby}")), base);
        assert_eq!(outward(Language::Ruby, &ruby.replace("user.id, name", "user.id, name, {}")), base);
        // A constant's value, a parameter, a function's name: other files see the change.
        assert_ne!(outward(Language::Ruby, &ruby.replace("Signed Up", "Signed In")), base);
        assert_ne!(outward(Language::Ruby, &ruby.replace("(user, name)", "(user, event)")), base);
        assert_ne!(outward(Language::Ruby, &ruby.replace("self.track", "self.send_event")), base);
        let js = "export const EVENTS = { SIGNUP: 'Signed Up' };\nexport function track(name) { mixpanel.track(name) }\n";
        let base = outward(Language::JavaScript, js);
        assert_eq!(outward(Language::JavaScript, &format!("// c\n{js}")), base);
        assert_ne!(outward(Language::JavaScript, &js.replace("export function", "function")), base);
    }

    fn kinds(site: &CallSite) -> Vec<String> {
        site.args
            .iter()
            .map(|a| match &a.value.kind {
                ValueKind::Str(s) => format!("str:{s}"),
                ValueKind::Template(t) => format!("template:{}", t.exprs.len()),
                ValueKind::Bool(b) => format!("bool:{b}"),
                ValueKind::Number(n) => format!("num:{n}"),
                ValueKind::Null => "null".into(),
                ValueKind::Path(p) => format!("path:{}", p.segments.join(".")),
                ValueKind::Object(o) => {
                    format!(
                        "object:{}{}",
                        o.entries.iter().map(|e| e.key.as_str()).collect::<Vec<_>>().join(","),
                        if o.has_spread { "+spread" } else { "" }
                    )
                }
                ValueKind::Array(a) => format!("array:{}", a.len()),
                ValueKind::Call { callee, .. } => format!("call:{callee}"),
                ValueKind::OneOf(options) => format!("one-of:{}", options.len()),
                ValueKind::Unknown(_) => "unknown".into(),
            })
            .collect()
    }

    #[test]
    fn ruby_values_are_classified() {
        let s = sites(
            Language::Ruby,
            r##"t.track(params[:user][:email], "#{x} Viewed", { :"$ignore_time" => true, 'a' => nil, b: 1.5, **opts }, ip = 0)
t.track @user.email, :signed_up, %w[a b], Time.now.utc, 'a' + b
t.track(*args)"##,
        );
        // A list passed on whole is kept, marked, for wrapper inference: no position reads it.
        assert_eq!(s.len(), 3);
        assert_eq!(s[2].args[0].keyword.as_deref(), Some(FORWARDED_LIST));
        assert_eq!(kinds(&s[2]), ["path:args"]);
        assert_eq!(
            kinds(&s[0]),
            ["path:params.user.email", "template:1", "object:$ignore_time,a,b+spread", "num:0"]
        );
        assert_eq!(
            kinds(&s[1]),
            ["path:@user.email", "str:signed_up", "array:2", "path:Time.now.utc", "template:1"]
        );
        assert_eq!(s[0].callee, ["t", "track"]);
    }

    #[test]
    fn ruby_brace_less_hash_is_one_trailing_argument() {
        let s = sites(Language::Ruby, "tracker.people.set(id, props, '$ignore_time' => true, 'x' => 1)");
        assert_eq!(kinds(&s[0]), ["path:id", "path:props", "object:$ignore_time,x"]);
        assert_eq!(s[0].callee, ["tracker", "people", "set"]);
    }

    #[test]
    fn javascript_values_are_classified() {
        let s = sites(
            Language::TypeScript,
            r#"window.mixpanel?.track(`${page} Viewed`, { $ignore_time: true, 'b': null, email, ...rest, [k]: 1 }, user!.profile["email"], (x as any).y, new Date(), 'a' + b, undefined);
this.mp.people.set(String(user.id), [1, 2], -1);
mixpanel.track(...args);"#,
        );
        assert_eq!(s.len(), 3);
        assert_eq!(s[2].args[0].keyword.as_deref(), Some(FORWARDED_LIST));
        assert_eq!(s[0].callee, ["mixpanel", "track"]);
        assert_eq!(
            kinds(&s[0]),
            [
                "template:1",
                "object:$ignore_time,b,email+spread",
                "path:user.profile.email",
                "path:x.y",
                "call:new Date",
                "template:1",
                "null"
            ]
        );
        assert_eq!(s[1].callee, ["mp", "people", "set"]);
        assert_eq!(kinds(&s[1]), ["call:String", "array:2", "unknown"]);
    }

    #[test]
    fn scopes_nest() {
        let options = ExtractOptions {
            method_names: ["track"].iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        };
        let facts =
            match extract(Language::JavaScript, "function a() { const f = () => { x.track(1) }; }", &options)
            {
                Ok(f) => f,
                Err(e) => panic!("{e:?}"),
            };
        let inner = facts.sites[0].scope;
        assert_eq!(inner, 2);
        assert_eq!(facts.scope_parents, [0, 0, 1]);
        assert!(facts.scope_sees(inner, 1) && facts.scope_sees(inner, 0) && !facts.scope_sees(1, inner));
    }
}
