//! Go front-end (tree-sitter-go).
//!
//! Go SDKs send messages as struct literals: `client.Enqueue(analytics.Track{Event: "..",
//! UserId: id, Properties: analytics.NewProperties().Set("plan", plan)})`. A call whose first
//! argument is a literal of a package's type is kept with the type's name as the last segment
//! of its callee (`client.Enqueue.Track`) and the literal as an object, so that profiles name
//! the message type like a method (`Enqueue.Track`) and its fields like keyword arguments
//! (`1.Event`). Property builders (`NewProperties().Set(k, v)`, `NewTraits().SetEmail(v)`) are
//! objects too.

use super::{
    ExtractOptions, Field, FileFacts, MAX_VALUE_DEPTH, NodeFields, Walk, named_children, short_text, span_of,
    text,
};
use crate::frontend::literal::unescape;
use crate::model::{
    Arg, BindingSource, Entry, Export, ModuleMember, Object, Param, ParamKind, Path, Value, ValueKind,
};
use tree_sitter::{Node, Tree};

pub fn extract(tree: &Tree, src: &str, options: &ExtractOptions) -> FileFacts {
    MESSAGES.with(|m| m.borrow_mut().clear());
    let mut walk = Walk::new(src, options);
    walk.run(tree, enter);
    MESSAGES.with(|m| m.borrow_mut().clear());
    walk.facts
}

thread_local! {
    /// Message literals assigned to local names in the file being read (`msg :=
    /// analytics.Track{..}`): scope, name, the message type and the literal's value.
    static MESSAGES: std::cell::RefCell<Vec<(crate::model::ScopeId, String, String, Value)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// The type name of a literal of a package's type (`analytics.Track{..}`, `&posthog.Capture{..}`).
fn message_type(node: Node, src: &str) -> Option<String> {
    let literal = unwrap(node);
    if literal.kind() != "composite_literal" {
        return None;
    }
    let ty = literal.field(Field::Type).filter(|t| t.kind() == "qualified_type")?;
    Some(text(ty.field(Field::Name)?, src).to_string())
}

fn enter(w: &mut Walk, node: Node, _ancestors: &[Node]) {
    match node.kind() {
        "function_declaration" | "method_declaration" => define_function(w, node),
        "func_literal" => w.push_scope(node, None),
        "for_statement" => {
            let iterable = named_children(node)
                .into_iter()
                .find(|c| c.kind() == "range_clause")
                .and_then(|r| r.field(Field::Right))
                .map(|r| short_text(r, w.src))
                .unwrap_or_default();
            w.push_loop(node, "for", iterable);
        }
        "import_spec" => record_import(w, node),
        "short_var_declaration" | "assignment_statement" => {
            if let (Some(left), Some(right)) = (node.field(Field::Left), node.field(Field::Right)) {
                record_binding(w, left, right);
            }
        }
        "var_spec" | "const_spec" => record_var(w, node),
        // `type Tracker struct { client analytics.Client }`: `t.client` in its methods.
        "field_declaration" => {
            if let Some(ty) = node.field(Field::Type).and_then(|t| type_name(t, w.src)) {
                let mut cursor = node.walk();
                let names: Vec<String> = node
                    .children_by_field_name("name", &mut cursor)
                    .map(|n| text(n, w.src).to_string())
                    .collect();
                for name in names {
                    w.bind(name, BindingSource::Typed(ty.clone()), false, false);
                }
            }
        }
        "call_expression" => record_call(w, node),
        _ => {}
    }
}

/// `func Track(c analytics.Client, user *User, event string)`; a method's receiver
/// (`func (t *Tracker) Send(..)`) is not an argument, and its type is the method's owner.
fn define_function(w: &mut Walk, node: Node) {
    let Some(name) = node.field(Field::Name) else { return };
    let owner = node.field(Field::Receiver).and_then(|r| {
        let declaration = named_children(r).into_iter().next()?;
        let ty = declaration.field(Field::Type)?;
        Some(text(ty, w.src).trim_start_matches('*').to_string())
    });
    let mut params = Vec::new();
    let mut typed = Vec::new();
    if let Some(list) = node.field(Field::Parameters) {
        for declaration in named_children(list) {
            let ty = declaration.field(Field::Type).map(|t| type_name(t, w.src));
            let mut cursor = declaration.walk();
            for param in declaration.children_by_field_name("name", &mut cursor) {
                let position = params.len() + 1;
                let kind = if declaration.kind() == "variadic_parameter_declaration" {
                    ParamKind::Rest
                } else {
                    ParamKind::Positional(position)
                };
                params.push(Param { name: text(param, w.src).to_string(), kind });
                if let Some(ty) = ty.clone().flatten() {
                    typed.push((text(param, w.src).to_string(), ty));
                }
            }
        }
    }
    // `func getClient() (posthog.Client, error)`: calling it gives a client.
    let result = node.field(Field::Result).and_then(|r| match r.kind() {
        "parameter_list" => named_children(r).into_iter().next().and_then(|p| p.field(Field::Type)),
        _ => Some(r),
    });
    if owner.is_none()
        && let Some(ty) = result.and_then(|r| type_name(r, w.src))
    {
        let name = text(name, w.src).to_string();
        w.facts.exports.push(Export { name: name.clone(), source: BindingSource::Typed(ty.clone()) });
        w.bind(name, BindingSource::Typed(ty), false, false);
    }
    if let Some(owner) = owner {
        w.push_owner(node, owner);
    }
    let line = name.start_position().row + 1;
    w.define_function(node.id(), text(name, w.src).to_string(), params, span_of(name), line);
    for (param, ty) in typed {
        w.bind(param, BindingSource::Typed(ty), false, true);
    }
}

/// A package's type as written (`analytics.Client`, `*mixpanel.ApiClient`), without pointers;
/// `None` for the language's own types.
fn type_name(node: Node, src: &str) -> Option<String> {
    let mut node = node;
    for _ in 0..4 {
        match node.kind() {
            "pointer_type" => node = named_children(node).into_iter().next()?,
            "qualified_type" => {
                return Some(super::compact_text(node, src));
            }
            _ => return None,
        }
    }
    None
}

/// `import analytics "github.com/segmentio/analytics-go/v3"`: the package's name (its alias, or
/// the last segment of its path that is not a major version) bound to the module, the path
/// without its `/vN` suffix (profiles name a module once for all its major versions).
fn record_import(w: &mut Walk, node: Node) {
    let Some(path) = node.field(Field::Path) else { return };
    let path_text = string_text(path, w.src);
    let module = module_path(&path_text);
    let bound = match node.field(Field::Name) {
        Some(alias) if alias.kind() == "package_identifier" => text(alias, w.src).to_string(),
        Some(_) => return,
        None => {
            let last = module.rsplit('/').next().unwrap_or(&module);
            // `analytics-go` is package `analytics`; `posthog-go` is `posthog`.
            let name = last.strip_suffix("-go").unwrap_or(last);
            name.strip_prefix("go-").unwrap_or(name).to_string()
        }
    };
    w.bind(bound, BindingSource::Module { module, member: ModuleMember::Namespace }, false, true);
}

/// An import path without its major-version suffix (`/v3`) and `gopkg.in`'s `.v3`.
pub fn module_path(path: &str) -> String {
    let path = path.trim_end_matches('/');
    if let Some((head, tail)) = path.rsplit_once('/')
        && tail.strip_prefix('v').is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    {
        return head.to_string();
    }
    if let Some((head, tail)) = path.rsplit_once(".v")
        && !tail.is_empty()
        && tail.bytes().all(|b| b.is_ascii_digit())
    {
        return head.to_string();
    }
    path.to_string()
}

/// `client := analytics.New(key)`, `client, err := posthog.NewWithConfig(..)`, `mp = other`.
fn record_binding(w: &mut Walk, left: Node, right: Node) {
    let names = named_children(left);
    let values = named_children(right);
    for (i, name) in names.iter().enumerate() {
        // `a, b := f()`: the call's first result is the client; the rest (errors) are not.
        let value = match (values.get(i), values.len()) {
            (Some(v), _) => *v,
            (None, 1) if i == 0 => values[0],
            _ => continue,
        };
        bind_one(w, *name, value);
    }
}

fn bind_one(w: &mut Walk, name: Node, value_node: Node) {
    // `msg := analytics.Track{..}`: a message built before it is sent.
    if name.kind() == "identifier"
        && let Some(ty) = message_type(value_node, w.src)
    {
        let scope = w.current_scope();
        let v = value(unwrap(value_node), w.src, 0);
        MESSAGES.with(|m| m.borrow_mut().push((scope, text(name, w.src).to_string(), ty, v)));
    }
    let source = expression_source(value_node, w.src);
    match name.kind() {
        "identifier" => {
            let name = text(name, w.src).to_string();
            if name == "_" {
                return;
            }
            let src = w.src;
            w.bind_variable(name, source, || value(value_node, src, 0));
        }
        // `s.client = analytics.New(key)`: the field, for every method of the type.
        "selector_expression" => {
            if let Some(field) = name.field(Field::Field) {
                w.bind(text(field, w.src).to_string(), source, false, false);
            }
        }
        _ => {}
    }
}

/// `var client = analytics.New(key)`, `const EventSignedUp = "User Signed Up"`,
/// `var client analytics.Client`.
fn record_var(w: &mut Walk, node: Node) {
    let mut cursor = node.walk();
    let names: Vec<Node> = node.children_by_field_name("name", &mut cursor).collect();
    let values = node.field(Field::Value).map(named_children).unwrap_or_default();
    if values.is_empty() {
        if let Some(ty) = node.field(Field::Type).and_then(|t| type_name(t, w.src)) {
            for name in names {
                let global = w.current_scope() == 0;
                w.bind(text(name, w.src).to_string(), BindingSource::Typed(ty.clone()), false, !global);
            }
        }
        return;
    }
    for (name, v) in names.iter().zip(values) {
        let value_now = value(v, w.src, 0);
        let name_text = text(*name, w.src).to_string();
        if super::is_constant_value(&value_now) && w.current_scope() == 0 {
            w.facts.constants.push((name_text, value_now));
        }
        bind_one(w, *name, v);
    }
}

fn expression_source(node: Node, src: &str) -> BindingSource {
    let node = unwrap(node);
    match node.kind() {
        "call_expression" => match node.field(Field::Function) {
            Some(f) => BindingSource::Constructor(super::compact_text(f, src)),
            None => BindingSource::Other,
        },
        "identifier" => BindingSource::Alias(text(node, src).to_string()),
        "selector_expression" => match node.field(Field::Field) {
            Some(f) => BindingSource::Alias(text(f, src).to_string()),
            None => BindingSource::Other,
        },
        // `&analytics.Config{..}`, `analytics.Track{..}`: a value, not a client.
        _ => BindingSource::Other,
    }
}

/// Looks through parentheses, `&x` and `*x`.
fn unwrap(mut node: Node) -> Node {
    for _ in 0..MAX_VALUE_DEPTH {
        match node.kind() {
            "parenthesized_expression" => match named_children(node).into_iter().next() {
                Some(inner) => node = inner,
                None => return node,
            },
            "unary_expression" if node.field(Field::Operator).is_some() => match node.field(Field::Operand) {
                Some(inner)
                    if matches!(inner.kind(), "composite_literal" | "identifier" | "selector_expression") =>
                {
                    node = inner
                }
                _ => return node,
            },
            _ => return node,
        }
    }
    node
}

fn record_call(w: &mut Walk, node: Node) {
    let Some(function) = node.field(Field::Function) else { return };
    let (receiver, method) = match function.kind() {
        "selector_expression" => (function.field(Field::Operand), function.field(Field::Field)),
        "identifier" => (None, Some(function)),
        _ => return,
    };
    let Some(method) = method else { return };
    let method_name = text(method, w.src);
    let first = node.field(Field::Arguments).and_then(|list| named_children(list).into_iter().next());
    // `client.Enqueue(analytics.Track{..})`: the message type names the call; so does a
    // message built in a local first (`client.Enqueue(msg)`), whose literal is the argument.
    let mut message = first.and_then(|f| message_type(f, w.src)).map(|ty| (ty, None));
    if message.is_none()
        && let Some(first) = first.map(unwrap).filter(|f| f.kind() == "identifier")
    {
        let name = text(first, w.src);
        let scope = w.current_scope();
        message = MESSAGES.with(|m| {
            m.borrow()
                .iter()
                .rev()
                .find(|(s, n, _, _)| n == name && w.facts.scope_sees(scope, *s))
                .map(|(_, _, ty, v)| (ty.clone(), Some(v.clone())))
        });
    }
    if !w.options.keeps(method_name) && message.as_ref().is_none_or(|(m, _)| !w.options.keeps(m)) {
        return;
    }
    let mut args = arguments(node, w.src);
    let mut callee = Vec::new();
    if let Some(receiver) = receiver
        && !receiver_segments(receiver, w.src, &mut callee)
    {
        return;
    }
    callee.push(method_name.to_string());
    if let Some((ty, literal)) = message {
        callee.push(ty);
        if let (Some(literal), Some(arg)) = (literal, args.first_mut()) {
            arg.value = literal;
        }
    }
    w.push_site(callee, None, std::mem::take(&mut args), span_of(node));
}

/// `client`, `s.client`, `t.mp`: the receiver as segments; a method's own receiver variable
/// (`s` in `s.client`) is dropped where a field follows, as fields are bound by name.
fn receiver_segments(node: Node, src: &str, out: &mut Vec<String>) -> bool {
    let mut stack = Vec::new();
    let mut current = node;
    loop {
        match current.kind() {
            "identifier" => {
                if stack.is_empty() {
                    stack.push(text(current, src).to_string());
                }
                break;
            }
            "selector_expression" => {
                let Some(field) = current.field(Field::Field) else { return false };
                stack.push(text(field, src).to_string());
                match current.field(Field::Operand) {
                    Some(o) => current = o,
                    None => return false,
                }
            }
            "parenthesized_expression" => match named_children(current).into_iter().next() {
                Some(inner) => current = inner,
                None => return false,
            },
            _ => return false,
        }
        if stack.len() > MAX_VALUE_DEPTH {
            return false;
        }
    }
    stack.reverse();
    out.extend(stack);
    true
}

fn arguments(call: Node, src: &str) -> Vec<Arg> {
    let Some(list) = call.field(Field::Arguments) else { return Vec::new() };
    named_children(list)
        .into_iter()
        .map(|child| match child.kind() {
            // `f(args...)`: a wrapper passing its variadic parameter on.
            "variadic_argument" => match named_children(child).into_iter().next() {
                Some(inner) if inner.kind() == "identifier" => {
                    super::forwarded(true, text(inner, src), span_of(child))
                }
                _ => Arg { keyword: None, value: value(child, src, 0) },
            },
            _ => {
                let inner = unwrap(child);
                Arg { keyword: None, value: value(inner, src, 0) }
            }
        })
        .collect()
}

pub fn value(node: Node, src: &str, depth: usize) -> Value {
    let span = span_of(node);
    if depth > MAX_VALUE_DEPTH {
        return Value::new(ValueKind::Unknown(short_text(node, src)), span);
    }
    let kind = match node.kind() {
        "interpreted_string_literal" | "raw_string_literal" => ValueKind::Str(string_text(node, src)),
        "true" => ValueKind::Bool(true),
        "false" => ValueKind::Bool(false),
        "nil" => ValueKind::Null,
        "int_literal" | "float_literal" => ValueKind::Number(text(node, src).to_string()),
        "parenthesized_expression" => match named_children(node).as_slice() {
            [only] => return value(*only, src, depth + 1),
            _ => ValueKind::Unknown(short_text(node, src)),
        },
        "unary_expression" => {
            match (node.field(Field::Operator).map(|o| text(o, src)), node.field(Field::Operand)) {
                (Some("&"), Some(inner)) => return value(inner, src, depth + 1),
                (Some("-"), Some(inner)) if inner.kind().ends_with("_literal") => {
                    ValueKind::Number(text(node, src).to_string())
                }
                _ => ValueKind::Unknown(short_text(node, src)),
            }
        }
        "composite_literal" => composite(node, src, depth),
        "binary_expression" => {
            let op = node.field(Field::Operator).map(|o| text(o, src));
            match (op, node.field(Field::Left), node.field(Field::Right)) {
                (Some("+"), Some(l), Some(r)) => crate::frontend::literal::join_template(
                    value(l, src, depth + 1),
                    value(r, src, depth + 1),
                )
                .unwrap_or_else(|| ValueKind::Unknown(short_text(node, src))),
                _ => ValueKind::Unknown(short_text(node, src)),
            }
        }
        "call_expression" => call_value(node, src, depth),
        _ => match path(node, src) {
            Some(p) => ValueKind::Path(p),
            None => ValueKind::Unknown(short_text(node, src)),
        },
    };
    Value::new(kind, span)
}

/// `map[string]any{"plan": p}`, `analytics.Track{Event: e}`: objects (keys as written: a
/// struct's field names, a map's string keys); `[]string{..}`: an array.
fn composite(node: Node, src: &str, depth: usize) -> ValueKind {
    let Some(body) = node.field(Field::Body) else { return ValueKind::Unknown(short_text(node, src)) };
    let elements = named_children(body);
    let keyed = elements.iter().any(|e| e.kind() == "keyed_element");
    let element_value = |e: Node| -> Value {
        match named_children(e).into_iter().next() {
            Some(inner) if inner.kind() == "literal_value" => {
                Value::new(ValueKind::Unknown(short_text(inner, src)), span_of(inner))
            }
            Some(inner) => value(inner, src, depth + 1),
            None => Value::new(ValueKind::Unknown(short_text(e, src)), span_of(e)),
        }
    };
    if !keyed {
        let is_array =
            node.field(Field::Type).is_some_and(|t| matches!(t.kind(), "slice_type" | "array_type"));
        if is_array || elements.is_empty() {
            return ValueKind::Array(elements.into_iter().map(element_value).collect());
        }
        return ValueKind::Unknown(short_text(node, src));
    }
    let mut obj = Object::default();
    for element in elements {
        let (Some(k), Some(v)) = (element.field(Field::Key), element.field(Field::Value)) else {
            obj.has_spread = true;
            continue;
        };
        let key_node = named_children(k).into_iter().next().unwrap_or(k);
        let key_text = text(key_node, src).to_string();
        let key = match value(key_node, src, depth + 1).kind {
            ValueKind::Str(s) => s,
            _ => key_text.clone(),
        };
        obj.entries.push(Entry { key, key_text, key_span: span_of(key_node), value: element_value(v) });
    }
    ValueKind::Object(obj)
}

/// Functions that return a pointer to their one argument.
const POINTER_HELPERS: [&str; 12] = [
    "String",
    "NewString",
    "Bool",
    "NewBool",
    "Int",
    "Int64",
    "NewInt64",
    "Float64",
    "NewFloat64",
    "Ptr",
    "ToPtr",
    "PtrTo",
];

/// A call's value. Property builders are objects: `analytics.NewProperties().Set("plan", p)`
/// (`posthog.NewProperties()` too) has the key `plan`; `analytics.NewTraits().SetEmail(e)`
/// has `email`.
fn call_value(node: Node, src: &str, depth: usize) -> ValueKind {
    let callee = node.field(Field::Function).map(|f| super::compact_text(f, src)).unwrap_or_default();
    let args: Vec<Node> = node.field(Field::Arguments).map(named_children).unwrap_or_default();
    if let Some(obj) = builder(node, src, depth) {
        return ValueKind::Object(obj);
    }
    // A pointer helper (`sp.NewString("add-to-basket")`, `aws.String(..)`, `lo.ToPtr(..)`): Go
    // has no literal pointers, so optional fields are written through one; its value is the
    // argument's.
    let helper = callee.rsplit('.').next().unwrap_or_default();
    if let [only] = args.as_slice()
        && POINTER_HELPERS.contains(&helper)
    {
        return value(*only, src, depth + 1).kind;
    }
    ValueKind::Call { callee, args: args.into_iter().map(|a| value(a, src, depth + 1)).collect() }
}

fn builder(node: Node, src: &str, depth: usize) -> Option<Object> {
    let function = node.field(Field::Function)?;
    if function.kind() != "selector_expression" {
        return None;
    }
    let method = text(function.field(Field::Field)?, src);
    let operand = function.field(Field::Operand)?;
    if matches!(method, "NewProperties" | "NewTraits" | "NewContext") {
        return Some(Object::default());
    }
    let setter = method.strip_prefix("Set")?;
    if operand.kind() != "call_expression" || depth > MAX_VALUE_DEPTH {
        return None;
    }
    let mut obj = builder(operand, src, depth + 1)?;
    let args = node.field(Field::Arguments).map(named_children).unwrap_or_default();
    let (key, key_text, key_span, value_node) = match (setter, args.as_slice()) {
        ("", [k, v]) => {
            let key = match value(*k, src, depth + 1).kind {
                ValueKind::Str(s) => s,
                _ => {
                    obj.has_spread = true;
                    return Some(obj);
                }
            };
            (key, text(*k, src).to_string(), span_of(*k), *v)
        }
        // `SetFirstName(..)` sets `firstName`, Segment's trait.
        (name, [v]) if !name.is_empty() => {
            (super::lower_first(name), method.to_string(), span_of(function.field(Field::Field)?), *v)
        }
        _ => return None,
    };
    obj.entries.push(Entry { key, key_text, key_span, value: value(value_node, src, depth + 1) });
    Some(obj)
}

/// A string literal's text: escapes decoded in `"..."`, raw in `` `...` ``.
fn string_text(node: Node, src: &str) -> String {
    let raw = text(node, src);
    if node.kind() == "raw_string_literal" {
        return raw.trim_start_matches('`').trim_end_matches('`').to_string();
    }
    let mut out = String::new();
    for child in named_children(node) {
        match child.kind() {
            "escape_sequence" => out.push_str(&unescape(text(child, src))),
            _ => out.push_str(text(child, src)),
        }
    }
    out
}

/// `user.Email`, `req.User.ID`, `claims["email"]`: a static path.
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
            "selector_expression" => {
                segments.push(text(current.field(Field::Field)?, src).to_string());
                current = current.field(Field::Operand)?;
            }
            "index_expression" => {
                match value(current.field(Field::Index)?, src, MAX_VALUE_DEPTH).kind {
                    ValueKind::Str(s) => segments.push(s),
                    ValueKind::Number(n) => segments.push(n),
                    _ => return None,
                }
                current = current.field(Field::Operand)?;
            }
            _ => return None,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::module_path;

    #[test]
    fn major_versions_are_one_module() {
        assert_eq!(module_path("github.com/segmentio/analytics-go/v3"), "github.com/segmentio/analytics-go");
        assert_eq!(module_path("github.com/posthog/posthog-go"), "github.com/posthog/posthog-go");
        assert_eq!(module_path("gopkg.in/segmentio/analytics-go.v3"), "gopkg.in/segmentio/analytics-go");
        assert_eq!(module_path("github.com/x/vault"), "github.com/x/vault");
    }
}
