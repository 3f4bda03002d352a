//! The language-neutral model that rules read. Front-ends produce [`CallSite`]s (syntax only);
//! profile matching turns them into [`Call`]s (SDK semantics). Rules never see syntax trees.

use std::fmt;

/// A byte range in one source file. Line and column are computed only when reporting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default, serde::Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

thread_local! {
    /// Set while this thread encodes facts to compare them without their positions
    /// ([`without_positions`]).
    static POSITIONS_HIDDEN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` with every [`Span`] (and [`FunctionDef::line`]) it serializes written as zero: what
/// a file tells other files, compared across an edit that only moved its code.
pub fn without_positions<T>(f: impl FnOnce() -> T) -> T {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            POSITIONS_HIDDEN.with(|hidden| hidden.set(self.0));
        }
    }
    let _restore = Restore(POSITIONS_HIDDEN.with(|hidden| hidden.replace(true)));
    f()
}

/// A position as serialized: zero while positions are hidden.
fn position(value: usize) -> usize {
    if POSITIONS_HIDDEN.with(std::cell::Cell::get) { 0 } else { value }
}

fn serialize_position<S: serde::Serializer>(value: &usize, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(position(*value) as u64)
}

impl serde::Serialize for Span {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = s.serialize_struct("Span", 2)?;
        out.serialize_field("start", &position(self.start))?;
        out.serialize_field("end", &position(self.end))?;
        out.end()
    }
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
}

pub use crate::language::Language;

/// A statically known value of an argument, object entry or array element.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Value {
    pub kind: ValueKind,
    pub span: Span,
}

/// How deep values and types may nest when they are decoded. Front-ends stop at
/// [`crate::frontend::MAX_VALUE_DEPTH`], but decoding is recursive and a cache file is
/// untrusted (a repository can ship a `.tracklint_cache/`): without a bound, a crafted entry
/// nested a million levels deep would overflow the stack and abort the run.
const MAX_DECODED_DEPTH: u32 = 256;

thread_local! {
    static DECODE_DEPTH: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// One level of nesting being decoded, released when dropped.
struct DecodeLevel;

impl DecodeLevel {
    fn enter<E: serde::de::Error>() -> Result<DecodeLevel, E> {
        DECODE_DEPTH.with(|depth| {
            if depth.get() >= MAX_DECODED_DEPTH {
                return Err(E::custom("values nested too deeply"));
            }
            depth.set(depth.get() + 1);
            Ok(DecodeLevel)
        })
    }
}

impl Drop for DecodeLevel {
    fn drop(&mut self) {
        DECODE_DEPTH.with(|depth| depth.set(depth.get().saturating_sub(1)));
    }
}

/// [`Value`]'s fields as decoded, one level counted.
#[derive(serde::Deserialize)]
#[serde(rename = "Value")]
struct ValueFields {
    kind: ValueKind,
    span: Span,
}

impl<'de> serde::Deserialize<'de> for Value {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        let _level = DecodeLevel::enter::<D::Error>()?;
        let ValueFields { kind, span } = ValueFields::deserialize(d)?;
        Ok(Value { kind, span })
    }
}

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum ValueKind {
    /// A string or symbol literal with its decoded text.
    Str(String),
    /// An interpolated string or a concatenation: static text plus the embedded expressions.
    Template(Template),
    Bool(bool),
    Number(String),
    /// `nil`, `null`, `undefined`, `None`.
    Null,
    /// A variable or member path whose segments are all static: `user.email`, `params[:email]`.
    Path(Path),
    Object(Object),
    Array(Vec<Value>),
    /// A call with arguments, `new X()`, or similar; `text` is the callee as written.
    Call {
        callee: String,
        args: Vec<Value>,
    },
    /// One of several values, chosen at run time: `cond ? 'A' : 'B'`, `a || b`, `x if c else y`,
    /// Ruby's `if … else … end` as an expression.
    OneOf(Vec<Value>),
    /// Anything else (lambdas, operators, splats); the raw source text is kept for messages.
    Unknown(String),
}

#[derive(Clone, Debug, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Template {
    /// The literal pieces, in order.
    pub static_parts: Vec<String>,
    /// The interpolated expressions, in order.
    pub exprs: Vec<Value>,
}

/// A dotted access path. Segments keep their sigils (`@user`) and are normalised (`params[:email]`
/// becomes `params`, `email`).
#[derive(Clone, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Path {
    pub segments: Vec<String>,
    /// The expression as written in the source, for messages.
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Object {
    pub entries: Vec<Entry>,
    /// The object spreads or merges something we cannot see (`...base`, `**opts`).
    pub has_spread: bool,
    /// What is spread or merged in, where it is an expression (`...props`, `**extra`,
    /// `props.merge(..)`'s receiver): a wrapper's parameter passed through whole.
    pub spreads: Vec<Value>,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Entry {
    /// The key as the SDK will see it on the wire (`:"$ignore_time"` becomes `$ignore_time`).
    pub key: String,
    /// How the key was written, e.g. `:ignore_time`, `'$ignore_time'`, `ignoreTime`.
    pub key_text: String,
    pub key_span: Span,
    pub value: Value,
}

impl Entry {
    /// An entry whose key is held in a project constant (`KEYS.orderId: id`, `[PROPS.PLAN]: p`):
    /// its `key` is empty and `key_text` names the constant until resolution reads it
    /// ([`Entry::key_constant`]).
    pub fn with_constant_key(path: &Path, key_span: Span, value: Value) -> Self {
        Entry { key: String::new(), key_text: path.text.clone(), key_span, value }
    }

    /// The constant that holds this entry's key, if the key is one not yet read.
    pub fn key_constant(&self) -> Option<&str> {
        (self.key.is_empty() && !self.key_text.is_empty() && !self.key_text.starts_with(['"', '\'', '`']))
            .then_some(self.key_text.as_str())
    }
}

impl Value {
    pub fn new(kind: ValueKind, span: Span) -> Self {
        Value { kind, span }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            ValueKind::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&Object> {
        match &self.kind {
            ValueKind::Object(o) => Some(o),
            _ => None,
        }
    }

    /// A short, stable text for comparing identities and for messages.
    pub fn display(&self) -> String {
        match &self.kind {
            ValueKind::Str(s) => format!("{s:?}"),
            ValueKind::Template(t) => {
                let mut out = String::new();
                for (i, part) in t.static_parts.iter().enumerate() {
                    out.push_str(part);
                    if let Some(e) = t.exprs.get(i) {
                        out.push('{');
                        out.push_str(&e.display());
                        out.push('}');
                    }
                }
                out
            }
            ValueKind::Bool(b) => b.to_string(),
            ValueKind::Number(n) => n.clone(),
            ValueKind::Null => "nil".to_string(),
            ValueKind::Path(p) => p.text.clone(),
            ValueKind::Object(_) => "{...}".to_string(),
            ValueKind::Array(_) => "[...]".to_string(),
            ValueKind::Call { callee, .. } => format!("{callee}(...)"),
            ValueKind::OneOf(options) => options.iter().map(Value::display).collect::<Vec<_>>().join(" | "),
            ValueKind::Unknown(t) => t.clone(),
        }
    }

    /// A key that is equal for two expressions naming the same identity (`user.id` and
    /// `user.id.to_s`), or `None` when the value is not a stable expression.
    pub fn identity_key(&self) -> Option<String> {
        match &self.kind {
            ValueKind::Str(s) => Some(format!("str:{s}")),
            ValueKind::Number(n) => Some(format!("num:{n}")),
            ValueKind::Path(p) => {
                Some(format!("path:{}", without_conversions(&p.segments, is_string_conversion).join(".")))
            }
            ValueKind::Call { callee, args } if args.len() == 1 && is_string_conversion(callee) => {
                args[0].identity_key()
            }
            _ => None,
        }
    }
}

/// A path without the conversions at its end (`user.id.to_s` is `user.id`); the root stays.
pub fn without_conversions(segments: &[String], is_conversion: impl Fn(&str) -> bool) -> &[String] {
    let mut segs = segments;
    while let Some((last, rest)) = segs.split_last() {
        if is_conversion(last) && !rest.is_empty() {
            segs = rest;
        } else {
            break;
        }
    }
    segs
}

/// Conversions that keep a value's identity: `user.id.to_s`, `String(id)`, `str(id)`.
pub fn is_string_conversion(name: &str) -> bool {
    matches!(name, "to_s" | "toString" | "String" | "str" | "to_string" | "string")
}

impl Object {
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.key == key)
    }
}

/// What a tracking call does, independent of SDK spelling.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum CallKind {
    Track,
    Import,
    TimeEvent,
    Alias,
    Identify,
    Register,
    Init,
    Reset,
    PeopleSet,
    PeopleSetOnce,
    PeopleIncrement,
    PeopleAppend,
    PeopleUnion,
    PeopleRemove,
    PeopleUnset,
    PeopleDeleteUser,
    PeopleTrackCharge,
    PeopleClearCharges,
}

impl CallKind {
    pub const ALL: &'static [CallKind] = &[
        CallKind::Track,
        CallKind::Import,
        CallKind::TimeEvent,
        CallKind::Alias,
        CallKind::Identify,
        CallKind::Register,
        CallKind::Init,
        CallKind::Reset,
        CallKind::PeopleSet,
        CallKind::PeopleSetOnce,
        CallKind::PeopleIncrement,
        CallKind::PeopleAppend,
        CallKind::PeopleUnion,
        CallKind::PeopleRemove,
        CallKind::PeopleUnset,
        CallKind::PeopleDeleteUser,
        CallKind::PeopleTrackCharge,
        CallKind::PeopleClearCharges,
    ];

    /// The public, kebab-case name used in profiles, config and output.
    pub fn name(self) -> &'static str {
        match self {
            CallKind::Track => "track",
            CallKind::Import => "import",
            CallKind::TimeEvent => "time-event",
            CallKind::Alias => "alias",
            CallKind::Identify => "identify",
            CallKind::Register => "register",
            CallKind::Init => "init",
            CallKind::Reset => "reset",
            CallKind::PeopleSet => "people-set",
            CallKind::PeopleSetOnce => "people-set-once",
            CallKind::PeopleIncrement => "people-increment",
            CallKind::PeopleAppend => "people-append",
            CallKind::PeopleUnion => "people-union",
            CallKind::PeopleRemove => "people-remove",
            CallKind::PeopleUnset => "people-unset",
            CallKind::PeopleDeleteUser => "people-delete-user",
            CallKind::PeopleTrackCharge => "people-track-charge",
            CallKind::PeopleClearCharges => "people-clear-charges",
        }
    }

    /// Every kind's name, for messages.
    pub fn names() -> Vec<&'static str> {
        CallKind::ALL.iter().map(|k| k.name()).collect()
    }

    pub fn from_name(name: &str) -> Option<CallKind> {
        CallKind::ALL.iter().copied().find(|k| k.name() == name)
    }

    /// Calls that send an event under a name.
    pub fn is_event(self) -> bool {
        matches!(self, CallKind::Track | CallKind::Import)
    }

    /// Calls that write to a People profile.
    pub fn is_people(self) -> bool {
        matches!(
            self,
            CallKind::PeopleSet
                | CallKind::PeopleSetOnce
                | CallKind::PeopleIncrement
                | CallKind::PeopleAppend
                | CallKind::PeopleUnion
                | CallKind::PeopleRemove
                | CallKind::PeopleUnset
                | CallKind::PeopleDeleteUser
                | CallKind::PeopleTrackCharge
                | CallKind::PeopleClearCharges
        )
    }

    /// People calls that update (not delete) the profile, and so move its Last Seen.
    pub fn updates_profile(self) -> bool {
        self.is_people() && self != CallKind::PeopleDeleteUser
    }
}

impl fmt::Display for CallKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Where the SDK runs: decides which practices apply (browser code cannot send `$ignore_time`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    Server,
    Browser,
}

/// The role an identity argument plays in a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum IdentityRole {
    /// The user the event or profile update is about.
    DistinctId,
    /// The id an alias call introduces.
    AliasNew,
    /// The id an alias call links the new one to.
    AliasOriginal,
    /// The id passed to identify.
    Identify,
}

impl IdentityRole {
    pub fn describe(self) -> &'static str {
        match self {
            IdentityRole::DistinctId => "the distinct_id",
            IdentityRole::AliasNew => "the new alias id",
            IdentityRole::AliasOriginal => "the original id of the alias",
            IdentityRole::Identify => "the identified user id",
        }
    }
}

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Identity {
    pub role: IdentityRole,
    pub value: Value,
}

/// Loops and tasks around a call: what makes it part of a batch job.
#[derive(Clone, Debug, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct CallContext {
    /// The innermost loop, if any.
    pub enclosing_loop: Option<Box<LoopInfo>>,
    /// The name of the enclosing rake `task`, if any.
    pub rake_task: Option<String>,
    /// The name of the enclosing method or function, if it has one.
    pub function_name: Option<String>,
    /// The code handles a web request: an Express/Koa/Fastify route callback, a Flask route or
    /// a Django view (first parameter `request`), an actix/axum/rocket handler.
    pub request_handler: bool,
    /// The call enqueues a job that tracks later (`TrackJob.perform_later`, `task.delay`).
    pub deferred: bool,
    /// The innermost branch of its function the call lies in that is taken only when a
    /// variable equals one of some literals (`when 'track'`, `case "track":`,
    /// `if action == "track"`): a dispatcher's call is reached for those values only.
    pub guard: Option<Box<Guard>>,
    /// The file handles web requests, by where it lives (the `context` module).
    #[serde(skip)]
    pub file_request: Option<&'static str>,
    /// Every profile update in the file is part of a backfill, by where it lives, and why.
    #[serde(skip)]
    pub file_backfill: Option<std::sync::Arc<str>>,
}

/// A branch condition on a variable's value: `case action when 'track', 'alias'` is
/// `action` in `["track", "alias"]`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Guard {
    pub name: String,
    pub values: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LoopInfo {
    /// `find_each`, `each`, `forEach`, `for`, `for-of`, `while`, ...
    pub method: String,
    /// The collection iterated over, as written (may be empty for `while`).
    pub iterable: String,
    pub span: Span,
}

/// Identifies a function body (or the file's top level) within one file.
pub type ScopeId = u32;

/// A call site as the front-end sees it: a callee path and arguments, no SDK knowledge yet.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CallSite {
    /// The receiver chain and method: `@tracker.people.set` is `["@tracker", "people", "set"]`.
    /// The root may be a [`Receiver::Constructor`] or module expression instead of a name.
    pub callee: Vec<String>,
    /// How the receiver chain starts when it is not a plain name.
    pub root: Option<Receiver>,
    pub args: Vec<Arg>,
    pub span: Span,
    pub scope: ScopeId,
    pub order: u32,
    pub context: CallContext,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Receiver {
    /// `Mixpanel::Tracker.new(...)`, `Mixpanel.init(...)`: the callee text of a call expression.
    Constructor(String),
    /// `require('mixpanel')`: the module name.
    Require(String),
    /// A type or module path used as the receiver, qualified through the file's imports:
    /// `Event::new(..)` after `use posthog_rs::Event` is `posthog_rs::Event`.
    Type(String),
}

/// The keyword of the argument that stands for a block given to a call (`Tracker.new(t) { .. }`).
pub const BLOCK_ARG: &str = "&block";

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Arg {
    /// Set for Python-style keyword arguments; Ruby keyword hashes are one positional object.
    pub keyword: Option<String>,
    pub value: Value,
}

/// A name bound to something that may be an SDK client, found while extracting a file.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Binding {
    /// The name as receivers spell it: `tracker`, `@tracker`, `$tracker`, `MIXPANEL`.
    pub name: String,
    pub source: BindingSource,
    /// Visible to other files (Ruby constants, globals and methods; JS exports).
    pub global: bool,
    /// The function scope a local variable belongs to; `None` for names visible file-wide
    /// (Ruby instance variables, constants and methods, JS `this.x` members).
    pub scope: Option<ScopeId>,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum BindingSource {
    /// Assigned from a constructor call, recorded by its callee text.
    Constructor(String),
    /// Imported or required from a module: `import x from 'mod'`, `const x = require('mod')`.
    Module { module: String, member: ModuleMember },
    /// Assigned from another name (`const mp = mixpanel`), resolved later.
    Alias(String),
    /// A member of what a call returns: `const { track } = useAnalytics()`.
    CallMember { callee: String, member: String },
    /// One of several values (`a || b`, `cond ? a : b`, `if ... else ... end`).
    AnyOf(Vec<BindingSource>),
    /// Declared with a type (`client: PostHog`, `def send(client: Posthog)`): an instance of
    /// it when the type is an SDK's class; otherwise it says nothing either way.
    Typed(String),
    /// Assigned from anything else: the name is known not to be a client.
    Other,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ModuleMember {
    /// The default export or the whole CommonJS module.
    Default,
    /// `import * as x`.
    Namespace,
    /// `import { x }` / `const { x } = require(...)`.
    Named(String),
}

/// What a JS module exports, so an import from it can be followed.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Export {
    /// `default` for default exports and `module.exports =`.
    pub name: String,
    /// The local name or constructor it exports.
    pub source: BindingSource,
}

/// A function or method definition, with what a call site needs to map its arguments.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FunctionDef {
    pub name: String,
    /// The class, module or object it is a member of (`Analytics` for `def self.track` in
    /// `module Analytics`; `default` for a method of `export default { .. }`).
    pub owner: Option<String>,
    /// The scope of its body.
    pub scope: ScopeId,
    pub params: Vec<Param>,
    /// Where it is defined (its name), and that place's 1-based line.
    pub span: Span,
    #[serde(serialize_with = "serialize_position")]
    pub line: usize,
    /// A class method (Ruby `def self.call`, or a method of `class << self`): a class's
    /// `self.call` and its instances' `call` are two functions.
    #[serde(default)]
    pub singleton: bool,
    /// What its `return` statements give back, when they all return one bare name
    /// (`return props` in `def clean(props): ...; return props`).
    #[serde(default)]
    pub returns: Returns,
    /// Every call of it runs later, in a job (delayed_job's `handle_asynchronously :track`
    /// in its class): what it tracks is not sent while its caller waits.
    #[serde(default)]
    pub runs_later: bool,
}

/// What a function's `return` statements give back, as far as a name can tell.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Returns {
    /// No `return` with a value seen.
    #[default]
    Nothing,
    /// Every `return` returns this name.
    Name(String),
    /// Every `return` gives one of these: literals, paths, choices of them
    /// (`return user.email or user.username`, `return "anonymous"`), never a bare name.
    Values(Vec<Value>),
    /// Something else, or two different names.
    Other,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Param {
    pub name: String,
    pub kind: ParamKind,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ParamKind {
    /// The Nth positional parameter (1-based, `self` not counted). Python's can also be passed
    /// by keyword.
    Positional(usize),
    /// Passed only by keyword: Ruby `event:`, Python after `*`.
    Keyword,
    /// A key of the object destructured at a position: JS `({ name, id })`.
    Field { position: usize, key: String },
    /// `*args`, `...args`.
    Rest,
    /// `**kwargs`, Ruby `**opts`.
    KeywordRest,
}

/// A class or module, with what its methods can reach: the superclass and the modules it
/// includes (`class PostsController < ApplicationController; include Trackable`).
#[derive(Clone, Debug, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct ClassDef {
    pub name: String,
    pub superclass: Option<String>,
    pub mixins: Vec<String>,
}

/// A type the project declares whose methods all do nothing (empty bodies, or one that returns a
/// new instance): `class Heap { static let shared = Heap(); func track(_ event: String, ..) {} }`.
/// Named like an SDK's type and declaring that SDK's methods, it stands in for the SDK (a target
/// that builds without it, a fixture), and its calls are read as the SDK's.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StandIn {
    pub name: String,
    pub methods: Vec<String>,
}

/// A value held in a local variable: `name = cond ? 'A' : 'B'` (one entry per assignment).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LocalValue {
    pub scope: ScopeId,
    pub name: String,
    pub value: Value,
    /// The block the assignment is a statement of (so it runs whenever a later statement of
    /// the block does): a call inside it after the assignment sees this value and no earlier
    /// one. Empty when not known, or when the assignment is conditional (`x = 1 if c`).
    #[serde(default)]
    pub block: Span,
}

/// One function a call goes through on its way to the SDK: `Analytics.track_event` defined at
/// `app/lib/analytics.rb:12`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Via {
    pub name: String,
    pub path: std::path::PathBuf,
    pub line: usize,
}

/// A name every call of a profile shares (its SDK id, vendor, method name, help phrases):
/// cloned by reference count, so tens of thousands of calls hold one copy.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Shared(std::sync::Arc<str>);

impl Shared {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Shared {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&*self.0, f)
    }
}

impl From<&str> for Shared {
    fn from(s: &str) -> Self {
        Shared(s.into())
    }
}

impl From<String> for Shared {
    fn from(s: String) -> Self {
        Shared(s.into())
    }
}

impl PartialEq<&str> for Shared {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

/// A [`Shared`] name as binary encodings write it: its text, or, inside one file's packed
/// calls, the number of the name written earlier in them ([`PackedCalls`]: every call of a
/// profile repeats its SDK, vendor and help phrases, 44% of the bytes before).
#[derive(serde::Serialize)]
enum NameOut<'a> {
    Text(&'a str),
    Earlier(u32),
}

#[derive(serde::Deserialize)]
enum NameIn<'a> {
    #[serde(borrow)]
    Text(std::borrow::Cow<'a, str>),
    Earlier(u32),
}

/// How many names one file's packed calls number (profiles give a call a handful).
const MAX_NAMES_PER_PACK: usize = 64;

thread_local! {
    /// The names written so far while this thread packs a file's calls ([`PackedCalls::pack`]).
    static PACKING: std::cell::RefCell<Option<Vec<std::sync::Arc<str>>>> = const { std::cell::RefCell::new(None) };
    /// The names read so far while this thread unpacks a file's calls.
    static UNPACKING: std::cell::RefCell<Option<Vec<Shared>>> = const { std::cell::RefCell::new(None) };
}

/// Sets a thread's name table for one pack or unpack, and clears it again however that ends.
struct NameTable<T: 'static>(&'static std::thread::LocalKey<std::cell::RefCell<Option<Vec<T>>>>);

impl<T: 'static> NameTable<T> {
    fn start(key: &'static std::thread::LocalKey<std::cell::RefCell<Option<Vec<T>>>>) -> Self {
        key.with(|t| *t.borrow_mut() = Some(Vec::new()));
        NameTable(key)
    }
}

impl<T: 'static> Drop for NameTable<T> {
    fn drop(&mut self) {
        self.0.with(|t| *t.borrow_mut() = None);
    }
}

impl serde::Serialize for Shared {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            return s.serialize_str(&self.0);
        }
        let earlier = PACKING.with(|table| {
            let mut table = table.borrow_mut();
            let names = table.as_mut()?;
            if let Some(i) = names.iter().position(|n| std::sync::Arc::ptr_eq(n, &self.0) || **n == *self.0) {
                return Some(i as u32);
            }
            if names.len() < MAX_NAMES_PER_PACK {
                names.push(self.0.clone());
            }
            None
        });
        match earlier {
            Some(i) => NameOut::Earlier(i).serialize(s),
            None => NameOut::Text(&self.0).serialize(s),
        }
    }
}

impl<'de> serde::Deserialize<'de> for Shared {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if d.is_human_readable() {
            let text = std::borrow::Cow::<str>::deserialize(d)?;
            return Ok(Shared::interned(&text));
        }
        match NameIn::deserialize(d)? {
            NameIn::Text(text) => {
                let name = Shared::interned(&text);
                UNPACKING.with(|table| {
                    if let Some(names) = table.borrow_mut().as_mut()
                        && names.len() < MAX_NAMES_PER_PACK
                    {
                        names.push(name.clone());
                    }
                });
                Ok(name)
            }
            // Only inside packed calls, and only to a name read before: anything else is a
            // damaged or crafted entry, refused.
            NameIn::Earlier(i) => UNPACKING
                .with(|table| table.borrow().as_ref().and_then(|names| names.get(i as usize).cloned()))
                .ok_or_else(|| serde::de::Error::custom("a name refers to none written before it")),
        }
    }
}

/// Packed bytes (call sites, calls) as one byte string (postcard writes a length and the
/// bytes), not as a sequence of numbers.
pub(crate) mod serde_bytes_boxed {
    pub fn serialize<S: serde::Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(bytes)
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Box<[u8]>, D::Error> {
        struct Bytes;
        impl serde::de::Visitor<'_> for Bytes {
            type Value = Box<[u8]>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("bytes")
            }
            fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Self::Value, E> {
                Ok(v.into())
            }
            fn visit_byte_buf<E: serde::de::Error>(self, v: Vec<u8>) -> Result<Self::Value, E> {
                Ok(v.into_boxed_slice())
            }
        }
        d.deserialize_bytes(Bytes)
    }
}

/// How many distinct names one thread keeps for decoding: profiles have a few hundred; a
/// damaged or crafted cache entry cannot grow the table beyond this.
const MAX_INTERNED: usize = 4096;

thread_local! {
    static INTERNED: std::cell::RefCell<std::collections::HashSet<std::sync::Arc<str>>> =
        std::cell::RefCell::new(std::collections::HashSet::new());
}

impl Shared {
    /// The name as decoded calls hold it: one copy per thread for every call that names it
    /// (decoding would otherwise give each call its own copy of `mixpanel`, `track`, ...).
    pub fn interned(text: &str) -> Shared {
        INTERNED.with(|table| {
            let mut table = table.borrow_mut();
            if let Some(kept) = table.get(text) {
                return Shared(kept.clone());
            }
            let name: std::sync::Arc<str> = text.into();
            if table.len() < MAX_INTERNED {
                table.insert(name.clone());
            }
            Shared(name)
        })
    }
}

/// A file's calls as bytes (postcard), between the steps that read them: in memory a call
/// is a tree of values and strings (about a kilobyte), as bytes a tenth of that, and a run
/// holds every file's calls from resolution to the report.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PackedCalls {
    #[serde(with = "serde_bytes_boxed")]
    bytes: Box<[u8]>,
    count: u32,
}

impl PackedCalls {
    pub fn pack(calls: &[Call]) -> PackedCalls {
        if calls.is_empty() {
            return PackedCalls::default();
        }
        let _names = NameTable::start(&PACKING);
        match postcard::to_allocvec(calls) {
            Ok(bytes) => PackedCalls { bytes: bytes.into_boxed_slice(), count: calls.len() as u32 },
            // Encoding into memory fails only on a type postcard cannot write, a bug of ours
            // that every test would show.
            Err(_) => PackedCalls::default(),
        }
    }

    /// The calls, decoded (the bytes are ours, written by [`Self::pack`] in this run).
    pub fn unpack(&self) -> Vec<Call> {
        if self.bytes.is_empty() {
            return Vec::new();
        }
        let _names = NameTable::start(&UNPACKING);
        postcard::from_bytes(&self.bytes).unwrap_or_default()
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    pub fn len(&self) -> usize {
        self.count as usize
    }
}

/// A tracking call: a call site matched to an SDK profile.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Call {
    pub sdk: Shared,
    pub platform: Platform,
    pub kind: CallKind,
    /// The method as the profile names it, e.g. `people.set`.
    pub method: Shared,
    pub span: Span,
    pub event: Option<Value>,
    pub identities: Vec<Identity>,
    pub properties: Option<Value>,
    /// For name/value forms such as `people.set('plan', 'pro')`.
    pub property_name: Option<Box<Value>>,
    pub property_value: Option<Box<Value>>,
    pub modifiers: Option<Box<Value>>,
    /// Mixpanel Ruby's `ip` parameter, which sits right before the modifiers.
    pub ip: Option<Box<Value>>,
    /// Whether the SDK moves `$ignore_time` from the properties to the modifiers (Node `set`).
    pub ignore_time_in_properties: bool,
    /// Whether the SDK has the `$ignore_time` modifier at all (Mixpanel's do, others don't).
    pub ignore_time_supported: bool,
    /// How the SDK spells the modifiers argument in help texts, e.g. `nil, {'$ignore_time' => true}`.
    pub modifiers_hint: Option<Shared>,
    /// The product the events land in (`Mixpanel`, `PostHog`); empty for a declared wrapper.
    pub vendor: Shared,
    /// The vendor documents lowercase snake case event names (PostHog).
    pub snake_case_events: bool,
    /// Where personal data about a user belongs in this product (help texts).
    pub person_properties: Shared,
    pub scope: ScopeId,
    pub order: u32,
    pub context: CallContext,
    /// For a call of the project's own tracking function: the functions between this call site
    /// and the SDK, outermost first. Empty for a direct SDK call.
    pub via: Vec<Via>,
    /// The SDK call inside a wrapper whose event name is the wrapper's parameter: the name is
    /// checked where the wrapper is called, not here.
    pub event_from_parameter: bool,
    /// A call of the project's own function whose SDK call names its event itself
    /// (`trackSignup(props)` where `trackSignup` sends `track('Signed Up', props)`): that name,
    /// so the inventory lists the event with the properties this call site sends. Rules read
    /// [`Self::event`], which stays empty: the name is written, and checked, in the function.
    #[serde(default)]
    pub inner_event: Option<String>,
    /// A client's construction (kind `Init`): the project token and a secret as passed.
    pub token: Option<Box<Value>>,
    pub secret: Option<Box<Value>>,
    /// The client sends from a background queue: the SDK always does, or this construction
    /// asks it to (a consumer block, a `consumer=` keyword).
    pub queued: bool,
    /// The properties' types where the code declares them (TypeScript): the fields of the
    /// interface a properties variable is typed with, or the declared type of a variable
    /// an entry's value reads. For the inventory; no rule reads them.
    pub property_types: Option<Box<Vec<(String, TypeShape)>>>,
}

/// A type as the code declares it (TypeScript annotations, interfaces and type aliases).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub enum TypeShape {
    String,
    Number,
    Boolean,
    Null,
    /// An object type's fields, in declaration order.
    Object(Vec<(String, TypeShape)>),
    Array(Box<TypeShape>),
    OneOf(Vec<TypeShape>),
    /// `A & B`, `interface C extends A { .. }`: an object with the fields of every part.
    AllOf(Vec<TypeShape>),
    /// A type named in the annotation: an interface or alias of the same file, resolved when
    /// it is read.
    Named(String),
    Unknown,
}

/// [`TypeShape`]'s variants as decoded, one level counted: the same variants in the same order
/// (the cache encodes a variant by its index; a test round-trips each).
#[derive(serde::Deserialize)]
#[serde(rename = "TypeShape")]
enum TypeShapeVariants {
    String,
    Number,
    Boolean,
    Null,
    Object(Vec<(String, TypeShape)>),
    Array(Box<TypeShape>),
    OneOf(Vec<TypeShape>),
    AllOf(Vec<TypeShape>),
    Named(String),
    Unknown,
}

impl<'de> serde::Deserialize<'de> for TypeShape {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<TypeShape, D::Error> {
        let _level = DecodeLevel::enter::<D::Error>()?;
        Ok(match TypeShapeVariants::deserialize(d)? {
            TypeShapeVariants::String => TypeShape::String,
            TypeShapeVariants::Number => TypeShape::Number,
            TypeShapeVariants::Boolean => TypeShape::Boolean,
            TypeShapeVariants::Null => TypeShape::Null,
            TypeShapeVariants::Object(fields) => TypeShape::Object(fields),
            TypeShapeVariants::Array(item) => TypeShape::Array(item),
            TypeShapeVariants::OneOf(options) => TypeShape::OneOf(options),
            TypeShapeVariants::AllOf(parts) => TypeShape::AllOf(parts),
            TypeShapeVariants::Named(name) => TypeShape::Named(name),
            TypeShapeVariants::Unknown => TypeShape::Unknown,
        })
    }
}

impl TypeShape {
    /// A choice of types: nested choices flattened, each type once, a single type as itself.
    pub fn choice(options: impl IntoIterator<Item = TypeShape>) -> TypeShape {
        let mut out: Vec<TypeShape> = Vec::new();
        for option in options {
            let flat = match option {
                TypeShape::OneOf(nested) => nested,
                other => vec![other],
            };
            for o in flat {
                if !out.contains(&o) {
                    out.push(o);
                }
            }
        }
        if out.len() == 1 { out.remove(0) } else { TypeShape::OneOf(out) }
    }
}

/// A name whose type is declared: a typed parameter or variable (`props: CheckoutProps`).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Annotated {
    pub name: String,
    /// The function scope it is declared in.
    pub scope: ScopeId,
    pub shape: TypeShape,
}

/// The method name of a client's construction (an `Init` call made by `Tracker.new(..)`,
/// `new PostHog(..)`, `Mixpanel(..)`), as opposed to an SDK's own `init` method.
pub const CONSTRUCTION: &str = "(construction)";

impl Call {
    /// The event name the inventory lists the call under: its literal event, or the one the
    /// project's function it calls names itself ([`Self::inner_event`]).
    pub fn listed_event(&self) -> Option<&str> {
        match &self.event {
            Some(event) => event.as_str(),
            None => self.inner_event.as_deref(),
        }
    }

    /// A client's construction: not a call of the SDK, not listed among tracking calls.
    pub fn is_construction(&self) -> bool {
        self.kind == CallKind::Init && self.method == CONSTRUCTION
    }

    pub fn identity(&self, role: IdentityRole) -> Option<&Value> {
        self.identities.iter().find(|i| i.role == role).map(|i| &i.value)
    }
}

/// One declared wrapper method and where its entry is in the config.
#[derive(Debug, Clone)]
pub struct DeclaredWrapper {
    /// The calls it makes carry this SDK id and method.
    pub sdk: String,
    pub method: String,
    /// `Analytics.track_event`, as messages name it.
    pub shown: String,
    pub language: &'static str,
    pub span: std::ops::Range<usize>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(kind: ValueKind) -> Value {
        Value { kind, span: Span { start: 0, end: 0 } }
    }

    #[test]
    fn values_and_types_round_trip_through_the_cache_encoding() {
        let nested = value(ValueKind::Array(vec![value(ValueKind::Object(Object {
            entries: vec![],
            ..Object::default()
        }))]));
        let bytes = postcard::to_allocvec(&nested).unwrap_or_default();
        assert_eq!(postcard::from_bytes::<Value>(&bytes).ok(), Some(nested));
        let shapes = vec![
            TypeShape::String,
            TypeShape::Number,
            TypeShape::Boolean,
            TypeShape::Null,
            TypeShape::Object(vec![("a".into(), TypeShape::Array(Box::new(TypeShape::Named("T".into()))))]),
            TypeShape::OneOf(vec![TypeShape::Unknown, TypeShape::AllOf(vec![TypeShape::String])]),
        ];
        let bytes = postcard::to_allocvec(&shapes).unwrap_or_default();
        assert_eq!(postcard::from_bytes::<Vec<TypeShape>>(&bytes).ok(), Some(shapes));
    }

    #[test]
    fn packed_calls_write_each_name_once_and_refuse_a_reference_to_none() {
        let help = "people properties (`people.set`), not event properties";
        let names: Vec<Shared> =
            ["mixpanel-ruby", help, "track", "mixpanel-ruby", help].into_iter().map(Shared::from).collect();
        let packed = {
            let _table = NameTable::start(&PACKING);
            postcard::to_allocvec(&names).unwrap_or_default()
        };
        let plain = postcard::to_allocvec(&names).unwrap_or_default();
        assert!(
            packed.len() + help.len() + "mixpanel-ruby".len() <= plain.len(),
            "{} vs {}",
            packed.len(),
            plain.len()
        );
        let back = {
            let _table = NameTable::start(&UNPACKING);
            postcard::from_bytes::<Vec<Shared>>(&packed).ok()
        };
        assert_eq!(back.as_ref(), Some(&names));
        // Outside an unpack, and past the names read so far, a reference is refused.
        assert!(postcard::from_bytes::<Vec<Shared>>(&packed).is_err());
        let crafted =
            postcard::to_allocvec(&vec![NameOut::Text("a"), NameOut::Earlier(1)]).unwrap_or_default();
        let _table = NameTable::start(&UNPACKING);
        assert!(postcard::from_bytes::<Vec<Shared>>(&crafted).is_err());
        // Text formats (the JSON report) write the name itself.
        assert_eq!(serde_json::to_string(&names[0]).ok().as_deref(), Some("\"mixpanel-ruby\""));
    }

    /// A value nested `depth` levels deep, encoded by hand (encoding it would recurse too).
    fn nested_array_bytes(depth: usize) -> Vec<u8> {
        let one =
            postcard::to_allocvec(&value(ValueKind::Array(vec![value(ValueKind::Null)]))).unwrap_or_default();
        let null = postcard::to_allocvec(&value(ValueKind::Null)).unwrap_or_default();
        let span = postcard::to_allocvec(&Span { start: 0, end: 0 }).unwrap_or_default();
        let prefix = &one[..one.len() - null.len() - span.len()];
        let mut bytes = prefix.repeat(depth);
        bytes.extend_from_slice(&null);
        bytes.extend(span.repeat(depth));
        bytes
    }

    #[test]
    fn a_crafted_cache_entry_nested_without_end_is_refused_not_a_stack_overflow() {
        assert!(postcard::from_bytes::<Value>(&nested_array_bytes(100)).is_ok());
        assert!(postcard::from_bytes::<Value>(&nested_array_bytes(1_000_000)).is_err());
        let array =
            postcard::to_allocvec(&TypeShape::Array(Box::new(TypeShape::Unknown))).unwrap_or_default();
        let mut deep = array[..array.len() - 1].repeat(1_000_000);
        deep.extend_from_slice(&array[array.len() - 1..]);
        assert!(postcard::from_bytes::<TypeShape>(&deep).is_err());
        // The bound is per decode: a refused entry leaves the next one decodable.
        assert!(postcard::from_bytes::<Value>(&nested_array_bytes(200)).is_ok());
    }
}
