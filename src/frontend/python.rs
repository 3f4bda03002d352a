//! Python front-end (tree-sitter-python).

use super::{
    ExtractOptions, Field, FileFacts, MAX_VALUE_DEPTH, NodeFields, Walk, named_children, short_text, span_of,
    text,
};
use crate::frontend::literal::{join_template, unescape};
use crate::model::{
    Arg, BindingSource, Entry, Export, ModuleMember, Object, Path, Receiver, Template, Value, ValueKind,
};
use tree_sitter::{Node, Tree};

pub fn extract(tree: &Tree, src: &str, options: &ExtractOptions) -> FileFacts {
    let mut walk = Walk::new(src, options);
    walk.run(tree, enter);
    walk.facts
}

fn enter(w: &mut Walk, node: Node, ancestors: &[Node]) {
    match node.kind() {
        "function_definition" => {
            match node.field(Field::Name) {
                Some(name_node) => {
                    let in_class = w.current_owner().is_some();
                    // `def get_client(): return Mixpanel(token)`: calling it gives a client.
                    if !in_class && let Some(returned) = crate::frontend::returned_value(node, w.src) {
                        let name = text(name_node, w.src).to_string();
                        let source = expression_source(returned, w.src);
                        if w.current_scope() == 0 {
                            w.facts.exports.push(Export { name: name.clone(), source: source.clone() });
                        }
                        w.bind(name, source, false, true);
                    }
                    // A Celery task made with `bind=True` receives the task as its first argument.
                    let params = parameters(node, w.src, in_class || bound_task(node, w.src));
                    let line = name_node.start_position().row + 1;
                    w.define_function(
                        node.id(),
                        text(name_node, w.src).to_string(),
                        params,
                        span_of(name_node),
                        line,
                    );
                    bind_typed_parameters(w, node);
                }
                None => w.push_scope(node, None),
            }
            if is_view(node, ancestors, w.src) {
                w.push_request(node);
            }
        }
        "lambda" => w.push_scope(node, None),
        "return_statement" => w.returned(crate::frontend::Returned::of(node.named_child(0), w.src, value)),
        "class_definition" => {
            if let Some(name) = node.field(Field::Name) {
                // `class SignupTask(BaseTask, Mixin)`: its bases, for attributes it overrides.
                let bases: Vec<String> = node
                    .child_by_field_name("superclasses")
                    .map(|list| {
                        named_children(list)
                            .into_iter()
                            .filter(|b| matches!(b.kind(), "identifier" | "attribute"))
                            .map(|b| text(b, w.src).rsplit('.').next().unwrap_or_default().to_string())
                            .collect()
                    })
                    .unwrap_or_default();
                let mut bases = bases.into_iter();
                w.facts.classes.push(crate::model::ClassDef {
                    name: text(name, w.src).to_string(),
                    superclass: bases.next(),
                    mixins: bases.collect(),
                });
                w.push_owner(node, text(name, w.src).to_string());
            }
        }
        "for_statement" => {
            let iterable = node.field(Field::Right).map(|v| short_text(v, w.src)).unwrap_or_default();
            w.push_loop(node, "for", iterable);
        }
        "while_statement" => w.push_loop(node, "while", String::new()),
        // `if action == "track":` / `elif ..`: the block taken when it holds.
        "block" => {
            if let Some(parent) =
                super::ancestor(ancestors, 1).filter(|p| matches!(p.kind(), "if_statement" | "elif_clause"))
                && let Some((name, value)) = crate::frontend::guarded_branch(node, parent, w.src)
            {
                w.push_guard(node, name, vec![value]);
            }
        }
        // `match action: case "track":`: the case runs for that value.
        "case_clause" => {
            let subject = super::ancestor(ancestors, 2)
                .filter(|m| m.kind() == "match_statement")
                .and_then(|m| m.child_by_field_name("subject"))
                .filter(|s| s.kind() == "identifier");
            let patterns: Vec<Node> =
                named_children(node).into_iter().filter(|c| c.kind() == "case_pattern").collect();
            if let (Some(subject), [pattern]) = (subject, &patterns[..])
                && let Some(value) =
                    named_children(*pattern).first().and_then(|l| crate::frontend::guard_literal(*l, w.src))
            {
                w.push_guard(node, text(subject, w.src).to_string(), vec![value]);
            }
        }
        "assignment" => record_assignment(w, node, ancestors),
        "import_statement" | "import_from_statement" => record_import(w, node),
        "call" => record_call(w, node),
        _ => {}
    }
}

/// `def send(client: Posthog)`: the parameter holds an instance of its annotated class
/// (`Optional[Posthog]`, `Posthog | None` and FastAPI's `Annotated[Posthog, Depends(..)]` too).
/// FastAPI's `ph=Depends(get_posthog)` holds what the dependency returns.
fn bind_typed_parameters(w: &mut Walk, function: Node) {
    let Some(list) = function.field(Field::Parameters) else { return };
    for p in named_children(list) {
        if p.kind() == "default_parameter"
            && let (Some(name), Some(value)) = (p.field(Field::Name), p.field(Field::Value))
            && let Some(dependency) = fastapi_dependency(value, w.src)
        {
            w.bind(text(name, w.src).to_string(), BindingSource::Constructor(dependency), false, true);
            continue;
        }
        if !matches!(p.kind(), "typed_parameter" | "typed_default_parameter") {
            continue;
        }
        let name = match p.kind() {
            "typed_default_parameter" => p.field(Field::Name),
            _ => named_children(p).into_iter().find(|c| c.kind() == "identifier"),
        };
        let (Some(name), Some(ty)) = (name, p.child_by_field_name("type")) else { continue };
        let mut ty_text = text(ty, w.src).trim().to_string();
        if let Some(inner) = ty_text.strip_prefix("Annotated[").and_then(|t| t.strip_suffix(']')) {
            ty_text = inner.split(',').next().unwrap_or_default().trim().to_string();
        }
        if let Some(inner) = ty_text.strip_prefix("Optional[").and_then(|t| t.strip_suffix(']')) {
            ty_text = inner.to_string();
        }
        if let Some((first, rest)) = ty_text.split_once('|')
            && rest.trim() == "None"
        {
            ty_text = first.trim().to_string();
        }
        let is_class = ty_text.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            && ty_text.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '.');
        if is_class {
            w.bind(text(name, w.src).to_string(), BindingSource::Typed(ty_text), false, true);
        }
    }
}

/// `Depends(get_posthog)` (FastAPI): the dependency function, whose return value the
/// parameter receives.
fn fastapi_dependency(value: Node, src: &str) -> Option<String> {
    if value.kind() != "call" || value.field(Field::Function).map(|f| text(f, src)) != Some("Depends") {
        return None;
    }
    let args = value.field(Field::Arguments)?;
    let [dependency] = &named_children(args)[..] else { return None };
    (dependency.kind() == "identifier").then(|| text(*dependency, src).to_string())
}

/// `@shared_task(bind=True)`, `@app.task(bind=True, ..)`: a Celery task whose first parameter
/// is the task itself (`self`), not an argument of `.delay(..)`.
fn bound_task(function: Node, src: &str) -> bool {
    let Some(decorated) = function.parent().filter(|p| p.kind() == "decorated_definition") else {
        return false;
    };
    named_children(decorated).into_iter().filter(|d| d.kind() == "decorator").any(|d| {
        let Some(call) = named_children(d).into_iter().find(|c| c.kind() == "call") else { return false };
        let callee = call.field(Field::Function).map(|f| text(f, src)).unwrap_or_default();
        let is_task = callee == "shared_task" || callee.ends_with(".task") || callee == "task";
        is_task
            && call.field(Field::Arguments).is_some_and(|args| {
                named_children(args).into_iter().any(|a| {
                    a.kind() == "keyword_argument"
                        && a.field(Field::Name).is_some_and(|n| text(n, src) == "bind")
                        && a.field(Field::Value).is_some_and(|v| text(v, src) == "True")
                })
            })
    })
}

/// A function's parameters. In a class the first one (`self`, `cls`) is the receiver, not an
/// argument; a `@staticmethod` has none, but its first parameter is rarely a wrapper's.
fn parameters(function: Node, src: &str, in_class: bool) -> Vec<crate::model::Param> {
    use crate::model::{Param, ParamKind};
    let Some(list) = function.field(Field::Parameters) else { return Vec::new() };
    let mut params = Vec::new();
    let mut position = 0;
    let mut keyword_only = false;
    let mut skipped_receiver = !in_class;
    for p in named_children(list) {
        let name_of = |n: Node| -> Option<String> {
            match n.kind() {
                "identifier" => Some(text(n, src).to_string()),
                "list_splat_pattern" | "dictionary_splat_pattern" => {
                    named_children(n).into_iter().next().map(|i| text(i, src).to_string())
                }
                _ => n.field(Field::Name).map(|i| text(i, src).to_string()),
            }
        };
        let inner =
            if p.kind() == "typed_parameter" { named_children(p).into_iter().next().unwrap_or(p) } else { p };
        let (name, kind) = match inner.kind() {
            "identifier" | "default_parameter" | "typed_default_parameter" => {
                if !skipped_receiver {
                    skipped_receiver = true;
                    continue;
                }
                if keyword_only {
                    (name_of(inner), ParamKind::Keyword)
                } else {
                    position += 1;
                    (name_of(inner), ParamKind::Positional(position))
                }
            }
            "list_splat_pattern" => {
                keyword_only = true;
                (name_of(inner), ParamKind::Rest)
            }
            "keyword_separator" => {
                keyword_only = true;
                continue;
            }
            "dictionary_splat_pattern" => (name_of(inner), ParamKind::KeywordRest),
            _ => continue,
        };
        if let Some(name) = name {
            params.push(Param { name, kind });
        }
    }
    params
}

/// A Django view (first parameter `request`, or `self, request` in a class-based view) or a
/// function under a route decorator (`@app.route`, `@app.get`, `@router.post`, `@api_view`).
fn is_view(function: Node, ancestors: &[Node], src: &str) -> bool {
    let params: Vec<String> = function
        .field(Field::Parameters)
        .map(|p| {
            named_children(p)
                .into_iter()
                .map(|n| text(n, src).split([':', '=']).next().unwrap_or("").trim().to_string())
                .collect()
        })
        .unwrap_or_default();
    let first = params.iter().find(|p| *p != "self");
    if first.is_some_and(|p| p == "request") {
        return true;
    }
    let Some(decorated) = super::ancestor(ancestors, 1).filter(|p| p.kind() == "decorated_definition") else {
        return false;
    };
    named_children(decorated).into_iter().filter(|d| d.kind() == "decorator").any(|d| {
        let t = text(d, src);
        [".route(", ".get(", ".post(", ".put(", ".patch(", ".delete(", "api_view"]
            .iter()
            .any(|m| t.contains(m))
    })
}

/// Whether the function around the assignment declares `global name`: the assignment then
/// binds the module's name (`global _client; _client = Mixpanel(key)` in a factory). Each
/// function's `global` statements are read once.
fn declared_global(w: &mut Walk, name: &str, ancestors: &[Node]) -> bool {
    if !w.src.contains("global ") {
        return false;
    }
    let Some(function) = ancestors.iter().rev().find(|a| a.kind() == "function_definition") else {
        return false;
    };
    let src = w.src;
    let names = w.globals.entry(function.id()).or_insert_with(|| {
        let mut names = Vec::new();
        let Some(body) = function.field(Field::Body) else { return names };
        let mut stack = named_children(body);
        let mut seen = 0;
        while let Some(n) = stack.pop() {
            seen += 1;
            if seen > 100_000 {
                break;
            }
            match n.kind() {
                "global_statement" => {
                    names.extend(named_children(n).iter().map(|id| text(*id, src).to_string()))
                }
                "function_definition" | "class_definition" => {}
                _ => stack.extend(named_children(n)),
            }
        }
        names
    });
    names.iter().any(|n| n == name)
}

fn record_assignment(w: &mut Walk, node: Node, ancestors: &[Node]) {
    let (Some(left), Some(right)) = (node.field(Field::Left), node.field(Field::Right)) else {
        return;
    };
    if left.kind() == "identifier" && declared_global(w, text(left, w.src), ancestors) {
        w.facts.bindings.push(crate::model::Binding {
            name: text(left, w.src).to_string(),
            source: expression_source(right, w.src),
            global: false,
            scope: Some(0),
        });
        return;
    }
    let source = expression_source(right, w.src);
    match left.kind() {
        "identifier" => {
            let name = text(left, w.src).to_string();
            let v = value(right, w.src, 0);
            if super::is_constant_value(&v) {
                // `event_name = "Job Done"` in a class body: what `self.event_name` holds.
                if let Some(owner) = w.current_owner() {
                    w.facts.constants.push((format!("{owner}.{name}"), v.clone()));
                }
                if super::is_constant_name(&name) {
                    w.facts.constants.push((name.clone(), v));
                }
            }
            let src = w.src;
            // A statement of its block: what the block's later statements see.
            let block = super::statement_block(ancestors, &["expression_statement"], &["block", "module"]);
            // Module-level names can be imported by other files.
            w.bind_variable_in(name, source, block, || value(right, src, 0));
        }
        // `self.mp = Mixpanel(token)`: every method of the class sees it.
        "attribute" => {
            if let Some(attr) = left.field(Field::Attribute) {
                // `def __init__(self, mxp: Mixpanel): self.mxp = mxp`: the injected client's
                // class, which the parameter's name no longer reaches from another method.
                let typed = (right.kind() == "identifier")
                    .then(|| {
                        let scope = w.current_scope();
                        w.facts.bindings.iter().rev().find(|b| {
                            b.scope == Some(scope)
                                && b.name == text(right, w.src)
                                && matches!(b.source, BindingSource::Typed(_))
                        })
                    })
                    .flatten()
                    .map(|b| b.source.clone());
                w.bind(text(attr, w.src).to_string(), typed.unwrap_or(source), false, false);
            }
        }
        _ => {}
    }
}

/// `import mixpanel`, `import segment.analytics as analytics`, `from mixpanel import Mixpanel as MP`.
fn record_import(w: &mut Walk, node: Node) {
    let from = node.field(Field::ModuleName).map(|m| text(m, w.src).to_string());
    let mut cursor = node.walk();
    let names: Vec<Node> = node.children_by_field_name("name", &mut cursor).collect();
    for name in names {
        let (target, alias) = match name.kind() {
            "aliased_import" => {
                let Some(target) = name.field(Field::Name) else { continue };
                (
                    text(target, w.src).to_string(),
                    name.field(Field::Alias).map(|a| text(a, w.src).to_string()),
                )
            }
            _ => (text(name, w.src).to_string(), None),
        };
        let (bound, source) = match &from {
            Some(module) => (
                alias.unwrap_or_else(|| target.clone()),
                BindingSource::Module { module: module.clone(), member: ModuleMember::Named(target) },
            ),
            None => match alias {
                Some(alias) => {
                    (alias, BindingSource::Module { module: target, member: ModuleMember::Namespace })
                }
                // `import a.b` binds `a`.
                None => {
                    let root = target.split('.').next().unwrap_or(&target).to_string();
                    (root.clone(), BindingSource::Module { module: root, member: ModuleMember::Namespace })
                }
            },
        };
        w.bind(bound, source, false, true);
    }
}

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
        "call" => match node.field(Field::Function) {
            Some(f) => BindingSource::Constructor(callee_text(f, src)),
            None => BindingSource::Other,
        },
        "identifier" => BindingSource::Alias(text(node, src).to_string()),
        "attribute" => match node.field(Field::Attribute) {
            Some(a) => BindingSource::Alias(text(a, src).to_string()),
            None => BindingSource::Other,
        },
        "boolean_operator" => {
            let sides = [node.field(Field::Left), node.field(Field::Right)];
            BindingSource::AnyOf(
                sides.into_iter().flatten().map(|n| expression_source_at(n, src, depth + 1)).collect(),
            )
        }
        // `a if cond else b`: the value is `a` or `b`.
        "conditional_expression" => {
            let parts = named_children(node);
            BindingSource::AnyOf(
                [parts.first(), parts.get(2)]
                    .into_iter()
                    .flatten()
                    .map(|n| expression_source_at(*n, src, depth + 1))
                    .collect(),
            )
        }
        _ => BindingSource::Other,
    }
}

/// Looks through parentheses and `await`.
fn unwrap(mut node: Node) -> Node {
    for _ in 0..MAX_VALUE_DEPTH {
        match node.kind() {
            "parenthesized_expression" | "await" => match named_children(node).into_iter().last() {
                Some(inner) => node = inner,
                None => return node,
            },
            _ => return node,
        }
    }
    node
}

/// `mixpanel.Mixpanel`, `Posthog`: a callee as dotted text without spaces.
fn callee_text(node: Node, src: &str) -> String {
    super::compact_text(node, src)
}

fn record_call(w: &mut Walk, node: Node) {
    let Some(function) = node.field(Field::Function) else { return };
    let (receiver, method) = match function.kind() {
        "attribute" => (function.field(Field::Object), function.field(Field::Attribute)),
        "identifier" => (None, Some(function)),
        _ => return,
    };
    let Some(method) = method else { return };
    let method_name = text(method, w.src);
    if !w.options.keeps(method_name) {
        return;
    }
    let mut callee = Vec::new();
    let mut root = None;
    if let Some(receiver) = receiver
        && !receiver_segments(receiver, w.src, &mut callee, &mut root)
    {
        return;
    }
    callee.push(method_name.to_string());
    let Some(args) = arguments(node, w.src) else { return };
    w.push_site(callee, root, args, span_of(node));
}

fn receiver_segments(node: Node, src: &str, out: &mut Vec<String>, root: &mut Option<Receiver>) -> bool {
    let mut stack = Vec::new();
    let mut current = node;
    loop {
        match current.kind() {
            "identifier" => {
                let name = text(current, src);
                // `self.mp.track`: the attribute is what the class bound.
                if !matches!(name, "self" | "cls") || stack.is_empty() {
                    stack.push(name.to_string());
                }
                break;
            }
            "attribute" => {
                let Some(attr) = current.field(Field::Attribute) else { return false };
                stack.push(text(attr, src).to_string());
                match current.field(Field::Object) {
                    Some(o) => current = o,
                    None => return false,
                }
            }
            "parenthesized_expression" | "await" => match named_children(current).into_iter().last() {
                Some(inner) => current = inner,
                None => return false,
            },
            "call" => {
                let Some(f) = current.field(Field::Function) else { return false };
                *root = Some(Receiver::Constructor(callee_text(f, src)));
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

/// Positional and keyword arguments; `None` when `*args` makes positions unknowable.
fn arguments(call: Node, src: &str) -> Option<Vec<Arg>> {
    let Some(list) = call.field(Field::Arguments) else { return Some(Vec::new()) };
    if list.kind() != "argument_list" {
        return Some(Vec::new());
    }
    let mut args = Vec::new();
    for child in named_children(list) {
        match child.kind() {
            // `*args` / `**kwargs` passed on whole: a wrapper forwarding its parameters.
            "list_splat" | "dictionary_splat" => {
                let inner = named_children(child).into_iter().next().filter(|n| n.kind() == "identifier");
                match inner {
                    Some(name) => args.push(super::forwarded(
                        child.kind() == "list_splat",
                        text(name, src),
                        span_of(child),
                    )),
                    None if child.kind() == "list_splat" => return None,
                    None => {}
                }
            }
            "keyword_argument" => {
                let (Some(name), Some(v)) = (child.field(Field::Name), child.field(Field::Value)) else {
                    continue;
                };
                args.push(Arg { keyword: Some(text(name, src).to_string()), value: value(v, src, 0) });
            }
            _ => args.push(Arg { keyword: None, value: value(child, src, 0) }),
        }
    }
    Some(args)
}

pub fn value(node: Node, src: &str, depth: usize) -> Value {
    let span = span_of(node);
    if depth > MAX_VALUE_DEPTH {
        return Value::new(ValueKind::Unknown(short_text(node, src)), span);
    }
    let kind = match node.kind() {
        "string" => string_value(node, src, depth),
        "concatenated_string" => {
            let mut parts = named_children(node).into_iter().map(|c| value(c, src, depth + 1));
            match parts.next() {
                Some(first) => parts
                    .try_fold(first, |acc, next| {
                        let joined = join_template(acc.clone(), next)?;
                        Some(Value::new(joined, span))
                    })
                    .map(|v| v.kind)
                    .unwrap_or_else(|| ValueKind::Unknown(short_text(node, src))),
                None => ValueKind::Str(String::new()),
            }
        }
        "true" => ValueKind::Bool(true),
        "false" => ValueKind::Bool(false),
        "none" => ValueKind::Null,
        "integer" | "float" => ValueKind::Number(text(node, src).to_string()),
        "unary_operator" => ValueKind::Number(text(node, src).to_string()),
        "dictionary" => {
            let mut obj = Object::default();
            for child in named_children(node) {
                match child.kind() {
                    "pair" => {
                        let (Some(k), Some(v)) = (child.field(Field::Key), child.field(Field::Value)) else {
                            continue;
                        };
                        let key_value = value(k, src, depth + 1);
                        let key_text = text(k, src).to_string();
                        let key = match key_value.kind {
                            ValueKind::Str(s) => s,
                            _ => key_text.clone(),
                        };
                        obj.entries.push(Entry {
                            key,
                            key_text,
                            key_span: span_of(k),
                            value: value(v, src, depth + 1),
                        });
                    }
                    "dictionary_splat" => {
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
        "list" | "tuple" | "set" => {
            ValueKind::Array(named_children(node).into_iter().map(|c| value(c, src, depth + 1)).collect())
        }
        "parenthesized_expression" | "await" => match named_children(node).as_slice() {
            [only] => return value(*only, src, depth + 1),
            _ => ValueKind::Unknown(short_text(node, src)),
        },
        // `a if cond else b`: the body, the condition, the alternative.
        "conditional_expression" => match named_children(node).as_slice() {
            [a, _, b] => ValueKind::OneOf(vec![value(*a, src, depth + 1), value(*b, src, depth + 1)]),
            _ => ValueKind::Unknown(short_text(node, src)),
        },
        "boolean_operator" if node.field(Field::Operator).is_some_and(|o| text(o, src) == "or") => {
            match (node.field(Field::Left), node.field(Field::Right)) {
                (Some(l), Some(r)) => {
                    ValueKind::OneOf(vec![value(l, src, depth + 1), value(r, src, depth + 1)])
                }
                _ => ValueKind::Unknown(short_text(node, src)),
            }
        }
        "binary_operator" => {
            let op = node.field(Field::Operator).map(|o| text(o, src));
            match (op, node.field(Field::Left), node.field(Field::Right)) {
                (Some("+"), Some(l), Some(r)) => {
                    join_template(value(l, src, depth + 1), value(r, src, depth + 1))
                        .unwrap_or_else(|| ValueKind::Unknown(short_text(node, src)))
                }
                // `'%s Viewed' % page`: a format string with holes.
                (Some("%"), Some(l), Some(r)) => match value(l, src, depth + 1).kind {
                    ValueKind::Str(s) if s.contains('%') => ValueKind::Template(Template {
                        static_parts: vec![s, String::new()],
                        exprs: vec![value(r, src, depth + 1)],
                    }),
                    _ => ValueKind::Unknown(short_text(node, src)),
                },
                _ => ValueKind::Unknown(short_text(node, src)),
            }
        }
        "call" => call_value(node, src, depth),
        _ => match path(node, src) {
            Some(p) => ValueKind::Path(p),
            None => ValueKind::Unknown(short_text(node, src)),
        },
    };
    Value::new(kind, span)
}

/// A call's value. Calls with keyword arguments only (`BaseEvent(event_type=..)`, `dict(a=1)`)
/// are objects keyed by keyword: that is how the SDK reads them.
fn call_value(node: Node, src: &str, depth: usize) -> ValueKind {
    let callee = node.field(Field::Function).map(|f| callee_text(f, src)).unwrap_or_default();
    let Some(list) = node.field(Field::Arguments).filter(|l| l.kind() == "argument_list") else {
        return ValueKind::Call { callee, args: Vec::new() };
    };
    let children = named_children(list);
    // `"Signed Up".strip()`, `f"{plan} click".title()`: still the string, or still dynamic.
    if children.is_empty()
        && let Some(f) = node.field(Field::Function).filter(|f| f.kind() == "attribute")
        && let (Some(object), Some(method)) = (f.field(Field::Object), f.field(Field::Attribute))
        && matches!(object.kind(), "string" | "concatenated_string")
        && let Some(kind) = super::string_method(value(object, src, depth + 1), text(method, src))
    {
        return kind;
    }
    let keywords = children.iter().all(|c| matches!(c.kind(), "keyword_argument" | "dictionary_splat"));
    if keywords && !children.is_empty() {
        let mut obj = Object::default();
        for child in children {
            match (child.field(Field::Name), child.field(Field::Value)) {
                (Some(k), Some(v)) => obj.entries.push(Entry {
                    key: text(k, src).to_string(),
                    key_text: text(k, src).to_string(),
                    key_span: span_of(k),
                    value: value(v, src, depth + 1),
                }),
                _ => {
                    obj.has_spread = true;
                    if child.kind() == "dictionary_splat"
                        && let Some(inner) = named_children(child).into_iter().next()
                    {
                        obj.spreads.push(value(inner, src, depth + 1));
                    }
                }
            }
        }
        return ValueKind::Object(obj);
    }
    let args = children
        .into_iter()
        .filter(|c| c.kind() != "keyword_argument")
        .map(|c| value(c, src, depth + 1))
        .collect();
    ValueKind::Call { callee, args }
}

fn string_value(node: Node, src: &str, depth: usize) -> ValueKind {
    let mut template = Template::default();
    let mut current = String::new();
    let mut interpolated = false;
    let raw = node
        .named_child(0)
        .filter(|c| c.kind() == "string_start")
        .is_some_and(|s| text(s, src).to_ascii_lowercase().contains('r'));
    for child in named_children(node) {
        match child.kind() {
            "string_content" => {
                // Escapes are children of string_content in this grammar.
                let mut last = child.start_byte();
                let mut cursor = child.walk();
                for esc in child.named_children(&mut cursor) {
                    current.push_str(src.get(last..esc.start_byte()).unwrap_or(""));
                    let t = text(esc, src);
                    current.push_str(&if raw { t.to_string() } else { unescape(t) });
                    last = esc.end_byte();
                }
                current.push_str(src.get(last..child.end_byte()).unwrap_or(""));
            }
            "escape_sequence" => current.push_str(&unescape(text(child, src))),
            "interpolation" => {
                interpolated = true;
                template.static_parts.push(std::mem::take(&mut current));
                let inner = child.field(Field::Expression).or_else(|| child.named_child(0));
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

/// `user.email`, `request.user.email`, `data['email']`: a static path.
fn path(node: Node, src: &str) -> Option<Path> {
    let mut segments = Vec::new();
    let mut current = node;
    for _ in 0..MAX_VALUE_DEPTH {
        match current.kind() {
            "identifier" => {
                segments.push(text(current, src).to_string());
                segments.reverse();
                return Some(Path { segments, text: short_text(node, src) });
            }
            "attribute" => {
                segments.push(text(current.field(Field::Attribute)?, src).to_string());
                current = current.field(Field::Object)?;
            }
            "subscript" => {
                let index = current.field(Field::Subscript)?;
                match value(index, src, MAX_VALUE_DEPTH).kind {
                    ValueKind::Str(s) => segments.push(s),
                    ValueKind::Number(n) => segments.push(n),
                    _ => return None,
                }
                current = current.field(Field::Value)?;
            }
            // `data.get('email')`: the key read.
            "call" => {
                let f = current.field(Field::Function)?;
                if f.kind() != "attribute" || text(f.field(Field::Attribute)?, src) != "get" {
                    return None;
                }
                let args = named_children(current.field(Field::Arguments)?);
                match args.first().map(|a| value(*a, src, MAX_VALUE_DEPTH).kind) {
                    Some(ValueKind::Str(s)) => segments.push(s),
                    _ => return None,
                }
                current = f.field(Field::Object)?;
            }
            _ => return None,
        }
    }
    None
}
