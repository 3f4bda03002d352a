//! Ruby front-end (tree-sitter-ruby).

use super::literal::{join_template, unescape};
use super::{
    ExtractOptions, Field, FileFacts, MAX_VALUE_DEPTH, NodeFields, Walk, ancestor, named_children,
    short_text, span_of, text,
};
use crate::model::{Arg, BindingSource, Entry, Object, Path, Receiver, Template, Value, ValueKind};
use tree_sitter::{Node, Tree};

/// Block-taking methods that iterate over a collection.
const LOOP_METHODS: &[&str] = &[
    "find_each",
    "find_in_batches",
    "in_batches",
    "each",
    "each_with_index",
    "each_with_object",
    "each_slice",
    "each_batch",
    "map",
    "flat_map",
    "collect",
    "times",
    "loop",
];

pub fn extract(tree: &Tree, src: &str, options: &ExtractOptions) -> FileFacts {
    let mut walk = Walk::new(src, options);
    walk.run(tree, enter);
    walk.facts
}

fn enter(w: &mut Walk, node: Node, ancestors: &[Node]) {
    match node.kind() {
        "method" | "singleton_method" => {
            let name_node = node.field(Field::Name);
            let name = name_node.map(|n| text(n, w.src).to_string());
            if let Some(name) = &name
                && let Some(source) = method_result(node, w.src)
            {
                w.bind(name.clone(), source, true, false);
            }
            // `def event_details; { event: 'Main Page', properties: {..} }; end`: the hash an
            // argument-less method of a class returns, for the class's calls that send it
            // (`Analytics.track(current_user, event_details)`).
            if let Some(name) = &name
                && node.kind() == "method"
                && node.field(Field::Parameters).is_none()
                && let Some(owner) = w.current_owner()
                && let Some(body) = node.field(Field::Body)
                && let [only] = named_children(body).as_slice()
                && let Some(hash) = returned_hash(*only, w.src)
            {
                let returned = value(hash, w.src, 0);
                w.facts.constants.push((format!("{owner}#{name}"), returned));
            }
            match (name, name_node) {
                (Some(name), Some(name_node)) => {
                    let params = parameters(node, w.src);
                    let line = name_node.start_position().row + 1;
                    w.define_function(node.id(), name, params, span_of(name_node), line);
                    // A method gives back its last expression: `props[:at] = now; props`.
                    let last = node.field(Field::Body).and_then(|b| named_children(b).into_iter().last());
                    w.returned_through_blocks(crate::frontend::Returned::of(last, w.src, value));
                    // `def self.call`, or any method of `class << self`.
                    let in_singleton_class = ancestors
                        .iter()
                        .rev()
                        .find(|a| matches!(a.kind(), "class" | "module" | "singleton_class"))
                        .is_some_and(|a| a.kind() == "singleton_class");
                    if (node.kind() == "singleton_method" || in_singleton_class)
                        && let Some(f) = w.facts.functions.last_mut()
                    {
                        f.singleton = true;
                    }
                }
                _ => w.push_scope(node, None),
            }
        }
        "return" => {
            let given = node.named_child(0).map(|a| match a.kind() {
                "argument_list" => named_children(a),
                _ => vec![a],
            });
            let one = match given.as_deref() {
                Some([one]) => Some(*one),
                _ => None,
            };
            w.returned_through_blocks(crate::frontend::Returned::of(one, w.src, value));
        }
        "class" | "module" => {
            // `class Admin::UsersController`: the last segment names it.
            if let Some(name) = node.field(Field::Name) {
                let name = match name.field(Field::Name) {
                    Some(last) => text(last, w.src),
                    None => text(name, w.src),
                };
                let superclass = node
                    .child_by_field_name("superclass")
                    .and_then(|s| named_children(s).into_iter().next())
                    .map(|s| crate::text::base_name(text(s, w.src)).to_string());
                w.facts.classes.push(crate::model::ClassDef {
                    name: name.to_string(),
                    superclass,
                    mixins: Vec::new(),
                });
                w.push_owner(node, name.to_string());
            }
        }
        "do_block" | "block" => {
            if let Some(call) = ancestor(ancestors, 1).filter(|p| p.kind() == "call") {
                enter_block_of(w, node, call);
            }
        }
        "for" => {
            let iterable = node.field(Field::Value).map(|v| short_text(v, w.src)).unwrap_or_default();
            w.push_loop(node, "for", iterable);
        }
        "while" | "until" => w.push_loop(node, node.kind(), String::new()),
        // `case action when 'track', 'alias'`: the branch runs for those values only.
        "when" => {
            let subject = ancestor(ancestors, 1)
                .filter(|c| c.kind() == "case")
                .and_then(|c| c.field(Field::Value))
                .filter(|v| v.kind() == "identifier");
            if let Some(subject) = subject {
                let values: Option<Vec<String>> = named_children(node)
                    .into_iter()
                    .filter(|p| p.kind() == "pattern")
                    .map(|p| {
                        named_children(p).first().and_then(|l| crate::frontend::guard_literal(*l, w.src))
                    })
                    .collect();
                if let Some(values) = values.filter(|v| !v.is_empty()) {
                    w.push_guard(node, text(subject, w.src).to_string(), values);
                }
            }
        }
        // `if action == 'track'` / `elsif ..`: the branch taken when it holds.
        "then" => {
            if let Some(parent) = ancestor(ancestors, 1).filter(|p| matches!(p.kind(), "if" | "elsif"))
                && let Some((name, value)) = crate::frontend::guarded_branch(node, parent, w.src)
            {
                w.push_guard(node, name, vec![value]);
            }
        }
        "assignment" | "operator_assignment" => record_assignment(w, node, ancestors),
        "call" => {
            record_mixin(w, node);
            record_runs_later(w, node, ancestors);
            record_call(w, node);
        }
        _ => {}
    }
}

/// The hash literal a method's only expression gives back: `{ email: user.email }`, also
/// filtered (`{ .. }.reject { |_, v| v.blank? }`, `.compact`, `.select`, `.except(..)`): each
/// key written there is sent whenever its value is present.
fn returned_hash<'t>(node: Node<'t>, src: &str) -> Option<Node<'t>> {
    match node.kind() {
        "hash" => Some(node),
        "call" => {
            let method = node.field(Field::Method).map(|m| text(m, src))?;
            let receiver = node.field(Field::Receiver).filter(|r| r.kind() == "hash")?;
            matches!(method, "reject" | "select" | "filter" | "compact" | "except" | "delete_if" | "keep_if")
                .then_some(receiver)
        }
        _ => None,
    }
}

/// `include Trackable` in a class body: its methods are the class's.
fn record_mixin(w: &mut Walk, node: Node) {
    if node.field(Field::Receiver).is_some() {
        return;
    }
    let Some(method) = node.field(Field::Method) else { return };
    if !matches!(text(method, w.src), "include" | "extend" | "prepend") {
        return;
    }
    let Some(owner) = w.current_owner() else { return };
    let Some(args) = node.field(Field::Arguments) else { return };
    let mixins: Vec<String> = named_children(args)
        .into_iter()
        .filter(|a| matches!(a.kind(), "constant" | "scope_resolution"))
        .map(|a| crate::text::base_name(text(a, w.src)).to_string())
        .collect();
    if let Some(class) = w.facts.classes.iter_mut().rev().find(|c| c.name == owner) {
        class.mixins.extend(mixins);
    }
}

/// `handle_asynchronously :track` (delayed_job) in a class body, after `def track`: every
/// call of the method enqueues a job that runs it. In `class << self` it is the class method.
fn record_runs_later(w: &mut Walk, node: Node, ancestors: &[Node]) {
    if node.field(Field::Receiver).is_some()
        || node.field(Field::Method).is_none_or(|m| text(m, w.src) != "handle_asynchronously")
    {
        return;
    }
    let Some(owner) = w.current_owner() else { return };
    let Some(args) = node.field(Field::Arguments) else { return };
    let Some(first) = named_children(args).into_iter().next().filter(|a| a.kind() == "simple_symbol") else {
        return;
    };
    let name = text(first, w.src).trim_start_matches(':');
    let singleton = ancestors
        .iter()
        .rev()
        .find(|a| matches!(a.kind(), "class" | "module" | "singleton_class"))
        .is_some_and(|a| a.kind() == "singleton_class");
    for f in w.facts.functions.iter_mut().rev() {
        if f.name == name && f.owner.as_deref() == Some(owner.as_str()) && f.singleton == singleton {
            f.runs_later = true;
            break;
        }
    }
}

/// A method's parameters: positional (with or without a default), keyword, `*rest`, `**opts`.
fn parameters(method: Node, src: &str) -> Vec<crate::model::Param> {
    use crate::model::{Param, ParamKind};
    let Some(list) = method.field(Field::Parameters) else { return Vec::new() };
    let mut params = Vec::new();
    let mut position = 0;
    for p in named_children(list) {
        let name = |n: Node| n.field(Field::Name).map(|n| text(n, src).to_string());
        let (name, kind) = match p.kind() {
            "identifier" => {
                position += 1;
                (Some(text(p, src).to_string()), ParamKind::Positional(position))
            }
            "optional_parameter" => {
                position += 1;
                (name(p), ParamKind::Positional(position))
            }
            "keyword_parameter" => (name(p), ParamKind::Keyword),
            "splat_parameter" => (name(p), ParamKind::Rest),
            "hash_splat_parameter" => (name(p), ParamKind::KeywordRest),
            "destructured_parameter" => {
                position += 1;
                continue;
            }
            _ => continue,
        };
        if let Some(name) = name {
            params.push(Param { name, kind });
        }
    }
    params
}

/// Pushes a loop frame for `records.find_each do ... end` and a task frame for rake `task`.
fn enter_block_of(w: &mut Walk, block: Node, call: Node) {
    let Some(method) = call.field(Field::Method) else { return };
    let method = text(method, w.src);
    let receiver = call.field(Field::Receiver);
    if LOOP_METHODS.contains(&method) {
        let iterable = receiver.map(|r| short_text(r, w.src)).unwrap_or_default();
        w.push_loop(block, method, iterable);
    } else if method == "task" && receiver.is_none() {
        let name = call
            .field(Field::Arguments)
            .and_then(|args| named_children(args).into_iter().next())
            .map(|first| task_name(first, w.src))
            .unwrap_or_default();
        w.push_task(block, name);
    }
}

/// `task :name`, `task name: :dep`, `task :name => :dep`, `task 'name'`.
fn task_name(first: Node, src: &str) -> String {
    let node = if first.kind() == "pair" { first.field(Field::Key).unwrap_or(first) } else { first };
    match value(node, src, 0).kind {
        ValueKind::Str(s) => s,
        _ => text(node, src).trim_end_matches(':').to_string(),
    }
}

/// The binding a method definition provides: `def tracker; @tracker ||= Mixpanel::Tracker.new(..); end`.
fn method_result(method: Node, src: &str) -> Option<BindingSource> {
    let body = method.field(Field::Body)?;
    let last = named_children(body).into_iter().last()?;
    Some(expression_source(last, src))
}

fn record_assignment(w: &mut Walk, node: Node, ancestors: &[Node]) {
    let (Some(left), Some(right)) = (node.field(Field::Left), node.field(Field::Right)) else {
        return;
    };
    let (name, global) = match left.kind() {
        "identifier" | "instance_variable" | "class_variable" => (text(left, w.src), false),
        "global_variable" | "constant" => (text(left, w.src), true),
        "scope_resolution" => match left.field(Field::Name) {
            Some(n) => (text(n, w.src), true),
            None => return,
        },
        // `self.tracker = ...`
        "call" => match left.field(Field::Method) {
            Some(m) => (text(m, w.src), false),
            None => return,
        },
        _ => return,
    };
    if matches!(left.kind(), "constant" | "scope_resolution")
        && let v = value(right, w.src, 0)
        && super::is_constant_value(&v)
    {
        w.facts.constants.push((name.to_string(), v));
    }
    // `self.event_name = 'Report Exported'` in a class body (a Rails `class_attribute`): what
    // `event_name` and `self.event_name` hold in the class's methods.
    if left.kind() == "call"
        && left.field(Field::Receiver).is_some_and(|r| r.kind() == "self")
        && w.current_scope() == 0
        && let Some(owner) = w.current_owner()
        && let v = value(right, w.src, 0)
        && matches!(v.kind, ValueKind::Str(_))
    {
        w.facts.constants.push((format!("{owner}.{name}"), v));
    }
    let source = expression_source(right, w.src);
    // Only plain local variables are confined to their method.
    let local = left.kind() == "identifier";
    if local && node.kind() == "assignment" {
        let src = w.src;
        // A statement of its block (not `x = 1 if c`): what the block's later statements see.
        let blocks = ["body_statement", "then", "else", "do", "program", "block_body", "begin"];
        let block = super::statement_block(ancestors, &[], &blocks);
        w.local_value_in(name, block, || value(right, src, 0));
    }
    w.bind(name.to_string(), source, global, local);
}

/// What an expression assigns: a constructor call, another name, or something else.
fn expression_source(node: Node, src: &str) -> BindingSource {
    expression_source_at(node, src, 0)
}

/// Bounded: `a || (b || (c || ...))` thousands deep must not exhaust the stack.
fn expression_source_at(node: Node, src: &str, depth: usize) -> BindingSource {
    if depth > MAX_VALUE_DEPTH {
        return BindingSource::Other;
    }
    let node = unwrap(node);
    match node.kind() {
        "call" => {
            if node.field(Field::Arguments).is_some()
                || node.field(Field::Block).is_some()
                || node.field(Field::Method).is_some_and(|m| text(m, src) == "new")
            {
                BindingSource::Constructor(callee_text(node, src))
            } else {
                match node.field(Field::Method) {
                    Some(m) => BindingSource::Alias(text(m, src).to_string()),
                    None => BindingSource::Other,
                }
            }
        }
        "identifier" | "instance_variable" | "global_variable" | "constant" | "class_variable" => {
            BindingSource::Alias(text(node, src).to_string())
        }
        "assignment" | "operator_assignment" => match node.field(Field::Right) {
            Some(r) => expression_source_at(r, src, depth + 1),
            None => BindingSource::Other,
        },
        "if" | "unless" | "elsif" | "conditional" => {
            let mut options = Vec::new();
            for field in ["consequence", "alternative"] {
                let Some(branch) = node.child_by_field_name(field) else { continue };
                let value = match branch.kind() {
                    "then" | "else" => named_children(branch).into_iter().last(),
                    _ => Some(branch),
                };
                if let Some(value) = value {
                    options.push(expression_source_at(value, src, depth + 1));
                }
            }
            BindingSource::AnyOf(options)
        }
        "binary" if node.field(Field::Operator).is_some_and(|o| matches!(text(o, src), "||" | "or")) => {
            let sides = [node.field(Field::Left), node.field(Field::Right)];
            BindingSource::AnyOf(
                sides.into_iter().flatten().map(|n| expression_source_at(n, src, depth + 1)).collect(),
            )
        }
        _ => BindingSource::Other,
    }
}

/// Looks through `begin ... end` and parentheses to the value they produce.
fn unwrap(mut node: Node) -> Node {
    for _ in 0..MAX_VALUE_DEPTH {
        match node.kind() {
            "parenthesized_statements" | "begin" | "body_statement" => {
                match named_children(node).into_iter().last() {
                    Some(last) => node = last,
                    None => return node,
                }
            }
            _ => return node,
        }
    }
    node
}

/// `Mixpanel::Tracker.new`: receiver and method of a call, without arguments or spaces.
fn callee_text(call: Node, src: &str) -> String {
    let method = call.field(Field::Method).map(|m| text(m, src)).unwrap_or("");
    let mut out = match call.field(Field::Receiver) {
        Some(r) => {
            let mut t: String = super::compact_text(r, src);
            if let Some(stripped) = t.strip_prefix("::") {
                t = stripped.to_string();
            }
            t.push('.');
            t
        }
        None => String::new(),
    };
    out.push_str(method);
    out
}

fn record_call(w: &mut Walk, node: Node) {
    let Some(method) = node.field(Field::Method) else { return };
    let method_name = text(method, w.src);
    if !w.options.keeps(method_name) {
        return;
    }
    let mut callee = Vec::new();
    let mut root = None;
    if let Some(receiver) = node.field(Field::Receiver)
        && !receiver_segments(receiver, w.src, &mut callee, &mut root)
    {
        return;
    }
    // A construction keeps its class's whole name (`Mixpanel::Tracker.new`), as bindings do.
    if method_name == "new"
        && let Some(receiver) = node.field(Field::Receiver).filter(|r| r.kind() == "scope_resolution")
        && callee.len() == 1
    {
        callee[0] = text(receiver, w.src).trim_start_matches("::").to_string();
    }
    callee.push(method_name.to_string());
    let Some(mut args) = arguments(node, w.src) else { return };
    // A block given to a construction is the client's consumer (`Tracker.new(t) { |type, m| .. }`).
    if method_name == "new" && node.field(Field::Block).is_some() {
        args.push(Arg {
            keyword: Some(crate::model::BLOCK_ARG.to_string()),
            value: Value::new(ValueKind::Unknown("block".into()), span_of(node)),
        });
    }
    w.push_site(callee, root, args, span_of(node));
}

/// Flattens a receiver into name segments; false when it is not a static chain.
fn receiver_segments(node: Node, src: &str, out: &mut Vec<String>, root: &mut Option<Receiver>) -> bool {
    // Iterative: walk down the receiver chain, then reverse.
    let mut stack = Vec::new();
    let mut current = node;
    loop {
        match current.kind() {
            "identifier" | "instance_variable" | "global_variable" | "class_variable" | "constant" => {
                stack.push(text(current, src).to_string());
                break;
            }
            "scope_resolution" => {
                let name = current.field(Field::Name).map(|n| text(n, src)).unwrap_or("");
                stack.push(name.to_string());
                break;
            }
            "self" => break,
            "parenthesized_statements" => match named_children(current).into_iter().last() {
                Some(inner) => current = inner,
                None => return false,
            },
            "call" => {
                let has_args =
                    current.field(Field::Arguments).is_some() || current.field(Field::Block).is_some();
                let method = current.field(Field::Method).map(|m| text(m, src)).unwrap_or("");
                if has_args || method == "new" {
                    *root = Some(Receiver::Constructor(callee_text(current, src)));
                    break;
                }
                stack.push(method.to_string());
                match current.field(Field::Receiver) {
                    Some(r) => current = r,
                    None => break,
                }
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

/// The call's arguments; `None` when a splat makes positions unknowable.
fn arguments(call: Node, src: &str) -> Option<Vec<Arg>> {
    let Some(list) = call.field(Field::Arguments) else { return Some(Vec::new()) };
    let mut args = Vec::new();
    let mut trailing = TrailingHash::default();
    for child in named_children(list) {
        match child.kind() {
            "pair" | "hash_splat_argument" => trailing.add(child, src, 0),
            "splat_argument" => {
                match named_children(child).into_iter().next().filter(|n| n.kind() == "identifier") {
                    Some(name) => args.push(super::forwarded(true, text(name, src), span_of(child))),
                    None => return None,
                }
            }
            "forward_argument" => return None,
            "block_argument" => {}
            _ => {
                let node = if child.kind() == "assignment" {
                    // `ip = 0` passed as an argument evaluates to its right-hand side.
                    child.field(Field::Right).unwrap_or(child)
                } else {
                    child
                };
                args.push(Arg { keyword: None, value: value(node, src, 0) });
            }
        }
    }
    if let Some(hash) = trailing.into_value() {
        args.push(Arg { keyword: None, value: hash });
    }
    Some(args)
}

/// Brace-less `key => value` pairs (and `**opts`) of a call, which Ruby passes as one trailing
/// hash argument.
#[derive(Default)]
struct TrailingHash {
    object: Object,
    span: Option<(usize, usize)>,
}

impl TrailingHash {
    /// A `pair` or `hash_splat_argument` of the call, at `depth`.
    fn add(&mut self, child: Node, src: &str, depth: usize) {
        let (start, _) = *self.span.get_or_insert((child.start_byte(), child.end_byte()));
        self.span = Some((start, child.end_byte()));
        if child.kind() == "pair" {
            if let Some(entry) = pair_entry(child, src, depth) {
                self.object.entries.push(entry);
            }
        } else {
            self.object.has_spread = true;
            if let Some(inner) = named_children(child).into_iter().next() {
                self.object.spreads.push(value(inner, src, depth + 1));
            }
        }
    }

    fn into_value(self) -> Option<Value> {
        let (start, end) = self.span?;
        Some(Value::new(ValueKind::Object(self.object), crate::model::Span::new(start, end)))
    }
}

fn pair_entry(pair: Node, src: &str, depth: usize) -> Option<Entry> {
    let key = pair.field(Field::Key)?;
    let val = pair.field(Field::Value)?;
    let key_text = text(key, src).to_string();
    let key_str = match key.kind() {
        "hash_key_symbol" | "identifier" | "constant" => key_text.clone(),
        _ => match value(key, src, depth + 1).kind {
            ValueKind::Str(s) => s,
            _ => key_text.clone(),
        },
    };
    Some(Entry { key: key_str, key_text, key_span: span_of(key), value: value(val, src, depth + 1) })
}

/// Classifies an expression into a [`Value`].
pub fn value(node: Node, src: &str, depth: usize) -> Value {
    let span = span_of(node);
    if depth > MAX_VALUE_DEPTH {
        return Value::new(ValueKind::Unknown(short_text(node, src)), span);
    }
    let kind = match node.kind() {
        "string" | "delimited_symbol" => string_value(node, src, depth),
        "simple_symbol" => ValueKind::Str(text(node, src).trim_start_matches(':').to_string()),
        "hash_key_symbol" => ValueKind::Str(text(node, src).to_string()),
        "true" => ValueKind::Bool(true),
        "false" => ValueKind::Bool(false),
        "nil" => ValueKind::Null,
        "integer" | "float" => ValueKind::Number(text(node, src).to_string()),
        "hash" => {
            let mut obj = Object::default();
            for child in named_children(node) {
                match child.kind() {
                    "pair" => {
                        if let Some(e) = pair_entry(child, src, depth) {
                            obj.entries.push(e);
                        }
                    }
                    "hash_splat_argument" => {
                        obj.has_spread = true;
                        if let Some(inner) = named_children(child).into_iter().next() {
                            obj.spreads.push(value(inner, src, depth + 1));
                        }
                    }
                    _ => obj.has_spread = true,
                }
            }
            ValueKind::Object(obj)
        }
        "array" | "string_array" | "symbol_array" => ValueKind::Array(
            named_children(node)
                .into_iter()
                .map(|c| {
                    if c.kind() == "bare_string" || c.kind() == "bare_symbol" {
                        Value::new(ValueKind::Str(text(c, src).to_string()), span_of(c))
                    } else {
                        value(c, src, depth + 1)
                    }
                })
                .collect(),
        ),
        "parenthesized_statements" => match named_children(node).as_slice() {
            [only] => return value(*only, src, depth + 1),
            _ => ValueKind::Unknown(short_text(node, src)),
        },
        "binary" if node.field(Field::Operator).is_some_and(|o| matches!(text(o, src), "||" | "or")) => {
            match (node.field(Field::Left), node.field(Field::Right)) {
                (Some(l), Some(r)) => {
                    ValueKind::OneOf(vec![value(l, src, depth + 1), value(r, src, depth + 1)])
                }
                _ => ValueKind::Unknown(short_text(node, src)),
            }
        }
        "binary" => concatenation(node, src, depth),
        "conditional" => match (node.field(Field::Consequence), node.field(Field::Alternative)) {
            (Some(a), Some(b)) => ValueKind::OneOf(vec![value(a, src, depth + 1), value(b, src, depth + 1)]),
            _ => ValueKind::Unknown(short_text(node, src)),
        },
        // `if c then 'A' else 'B' end` as a value: the last expression of each branch.
        "if" | "unless" => match branch_values(node, src, depth) {
            Some(options) => ValueKind::OneOf(options),
            None => ValueKind::Unknown(short_text(node, src)),
        },
        "call" => call_value(node, src, depth),
        _ => match path(node, src) {
            Some(p) => ValueKind::Path(p),
            None => ValueKind::Unknown(short_text(node, src)),
        },
    };
    Value::new(kind, span)
}

fn string_value(node: Node, src: &str, depth: usize) -> ValueKind {
    let mut template = Template::default();
    let mut current = String::new();
    let mut interpolated = false;
    let single = text(node, src).starts_with('\'');
    for child in named_children(node) {
        match child.kind() {
            "string_content" if single => current.push_str(&single_quoted(text(child, src))),
            "string_content" => current.push_str(text(child, src)),
            "escape_sequence" => current.push_str(&unescape(text(child, src))),
            "interpolation" => {
                interpolated = true;
                template.static_parts.push(std::mem::take(&mut current));
                let inner = named_children(child).into_iter().last();
                let v = match inner {
                    Some(inner) => value(inner, src, depth + 1),
                    None => Value::new(ValueKind::Unknown(String::new()), span_of(child)),
                };
                template.exprs.push(v);
            }
            _ => {}
        }
    }
    if interpolated {
        template.static_parts.push(current);
        ValueKind::Template(template)
    } else {
        ValueKind::Str(current)
    }
}

/// The text of a single-quoted Ruby string, where only `\'` and `\\` are escapes.
fn single_quoted(content: &str) -> String {
    let mut out = String::with_capacity(content.len());
    let mut chars = content.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && matches!(chars.peek(), Some('\'' | '\\')) {
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The values an `if`/`unless`/`elsif` chain can end with: the last expression of each
/// branch; `None` without an `else` (the value may be `nil`) or with an empty branch.
fn branch_values(node: Node, src: &str, depth: usize) -> Option<Vec<Value>> {
    let mut out = Vec::new();
    let mut current = node;
    for _ in 0..16 {
        out.push(value(last_statement(current.field(Field::Consequence)?)?, src, depth + 1));
        let alternative = current.field(Field::Alternative)?;
        match alternative.kind() {
            "elsif" => current = alternative,
            _ => {
                out.push(value(last_statement(alternative)?, src, depth + 1));
                return Some(out);
            }
        }
    }
    None
}

fn last_statement(branch: Node<'_>) -> Option<Node<'_>> {
    named_children(branch).into_iter().last()
}

fn concatenation(node: Node, src: &str, depth: usize) -> ValueKind {
    let op = node.field(Field::Operator).map(|o| text(o, src));
    let (Some(left), Some(right)) = (node.field(Field::Left), node.field(Field::Right)) else {
        return ValueKind::Unknown(short_text(node, src));
    };
    if op != Some("+") {
        return ValueKind::Unknown(short_text(node, src));
    }
    let l = value(left, src, depth + 1);
    let r = value(right, src, depth + 1);
    join_template(l, r).unwrap_or_else(|| ValueKind::Unknown(short_text(node, src)))
}

fn call_value(node: Node, src: &str, depth: usize) -> ValueKind {
    let has_args = node.field(Field::Arguments).is_some() || node.field(Field::Block).is_some();
    // `'Signed Up'.freeze` is the string; `"#{x} click".capitalize` stays a template.
    if !has_args
        && let (Some(receiver), Some(method)) = (node.field(Field::Receiver), node.field(Field::Method))
        && matches!(receiver.kind(), "string" | "simple_symbol" | "delimited_symbol")
        && let Some(kind) = super::string_method(value(receiver, src, depth + 1), text(method, src))
    {
        return kind;
    }
    if !has_args && let Some(p) = path(node, src) {
        return ValueKind::Path(p);
    }
    let mut args = Vec::new();
    // `props.merge(plan: 'pro')`: brace-less pairs are one hash, as in a call site's arguments.
    let mut trailing = TrailingHash::default();
    for child in node.field(Field::Arguments).map(named_children).unwrap_or_default() {
        match child.kind() {
            "pair" => trailing.add(child, src, depth + 1),
            _ => args.push(value(child, src, depth + 1)),
        }
    }
    args.extend(trailing.into_value());
    ValueKind::Call { callee: callee_text(node, src), args }
}

/// `user.email`, `@user.email`, `params[:user][:email]`, `current_user&.id`: a static path.
fn path(node: Node, src: &str) -> Option<Path> {
    let mut segments = Vec::new();
    let mut current = node;
    for _ in 0..MAX_VALUE_DEPTH {
        match current.kind() {
            "identifier" | "instance_variable" | "global_variable" | "class_variable" | "constant"
            | "self" => {
                segments.push(text(current, src).to_string());
                segments.reverse();
                return Some(Path { segments, text: short_text(node, src) });
            }
            "scope_resolution" => {
                segments.push(text(current, src).to_string());
                segments.reverse();
                return Some(Path { segments, text: short_text(node, src) });
            }
            "call" => {
                if current.field(Field::Arguments).is_some() || current.field(Field::Block).is_some() {
                    return None;
                }
                segments.push(text(current.field(Field::Method)?, src).to_string());
                current = current.field(Field::Receiver)?;
            }
            "element_reference" => {
                let object = current.field(Field::Object)?;
                let index: Vec<Node> =
                    named_children(current).into_iter().filter(|c| c.id() != object.id()).collect();
                let [index] = index.as_slice() else { return None };
                match value(*index, src, MAX_VALUE_DEPTH).kind {
                    ValueKind::Str(s) => segments.push(s),
                    ValueKind::Number(n) => segments.push(n),
                    _ => return None,
                }
                current = object;
            }
            _ => return None,
        }
    }
    None
}

#[cfg(test)]
mod escape_tests {
    use super::{single_quoted, unescape};

    #[test]
    fn escapes_decode_as_the_languages_read_them() {
        assert_eq!(unescape("\\u00e9"), "é");
        assert_eq!(unescape("\\x41"), "A");
        assert_eq!(unescape("\\u{1F600}"), "😀");
        assert_eq!(unescape("\\u{41 42}"), "AB");
        assert_eq!(unescape("\\101"), "A");
        assert_eq!(unescape("\\\n"), "");
        assert_eq!(unescape("\\e"), "\u{1b}");
        assert_eq!(unescape("\\'"), "'");
        assert_eq!(unescape("\\u{110000}"), "\u{fffd}");
        assert_eq!(single_quoted("it\\'s a \\\\ and \\n"), "it's a \\ and \\n");
    }
}
