//! Swift front-end (tree-sitter-swift).
//!
//! Swift calls label their arguments (`track(event: "Signed Up", properties: [..])`): a label is
//! the argument's keyword, so profiles name SDK parameters by label and unlabelled ones by
//! position. A module's files see each other's types without imports, and `import Mixpanel`
//! binds the module's name (`Mixpanel.mainInstance()` is a factory of that module). A
//! receiver chain rooted at a type (`PostHogSDK.shared.capture(..)`,
//! `AnalyticsManager.shared.track(..)`) is kept as written; the resolver reads it as the type's
//! singleton. An initializer called with labels only (`BaseEvent(eventType: "..")`) is a
//! record: its value is an object keyed by the labels.

use super::{
    ExtractOptions, Field, FileFacts, MAX_CALLEE_TEXT, MAX_VALUE_DEPTH, NodeFields, Walk, named_children,
    short_text, span_of, text,
};
use crate::frontend::literal::unescape;
use crate::model::{
    Arg, BindingSource, Entry, ModuleMember, Object, Param, ParamKind, Path, Receiver, Template, Value,
    ValueKind,
};
use tree_sitter::{Node, Tree};

pub fn extract(tree: &Tree, src: &str, options: &ExtractOptions) -> FileFacts {
    let mut walk = Walk::new(src, options);
    walk.run(tree, enter);
    walk.facts
}

/// Higher-order methods whose closure runs once per element: a call inside is in a loop.
const EACH: &[&str] = &["forEach", "map", "compactMap", "flatMap", "filter", "reduce"];

fn enter(w: &mut Walk, node: Node, ancestors: &[Node]) {
    match node.kind() {
        "import_declaration" => record_import(w, node),
        "class_declaration" => {
            let Some(name) = node.field(Field::Name) else { return };
            // `extension AnalyticsManager`: its methods belong to the extended type.
            let owner = super::compact_text(name, w.src);
            let owner = owner.split('<').next().unwrap_or(&owner).to_string();
            if node.field(Field::DeclarationKind).is_some_and(|k| text(k, w.src) == "enum") {
                record_enum_cases(w, node, &owner);
            }
            if let Some(methods) = stub_methods(node, w.src) {
                w.facts.stand_ins.push(crate::model::StandIn { name: owner.clone(), methods });
            }
            w.push_owner(node, owner);
        }
        "function_declaration" | "init_declaration" => define_function(w, node),
        "lambda_literal" => {
            // `users.forEach { u in .. }`: the closure runs per element.
            let call = super::ancestor(ancestors, 2).filter(|c| c.kind() == "call_expression");
            if let Some((receiver, method)) =
                call.and_then(|c| c.named_child(0)).and_then(|f| split_member(f, w.src))
                && EACH.contains(&method.as_str())
            {
                w.push_loop(node, &method, receiver);
            }
            w.push_scope(node, None);
        }
        "for_statement" => {
            let iterable = node.field(Field::Collection).map(|c| short_text(c, w.src)).unwrap_or_default();
            w.push_loop(node, "for", iterable);
        }
        "while_statement" | "repeat_while_statement" => w.push_loop(node, "while", String::new()),
        "property_declaration" => record_property(w, node),
        "if_statement" | "guard_statement" => record_optional_bindings(w, node),
        "assignment" => record_assignment(w, node),
        "call_expression" => record_call(w, node),
        _ => {}
    }
}

/// `import Mixpanel`, `@_exported import Segment`, `import struct Foo.Bar`: the module's name
/// is bound to the module for the whole file.
fn record_import(w: &mut Walk, node: Node) {
    let Some(path) = named_children(node).into_iter().find(|c| c.kind() == "identifier") else { return };
    let module = super::compact_text(path, w.src);
    let root = module.split('.').next().unwrap_or(&module).to_string();
    w.bind(
        root.clone(),
        BindingSource::Module { module: root, member: ModuleMember::Namespace },
        false,
        false,
    );
}

/// `enum Event: String { case signUp = "Sign Up"; case logout }`: each case's raw value is a
/// constant `Event.signUp` (a `String` enum's case without one is its own name).
fn record_enum_cases(w: &mut Walk, node: Node, owner: &str) {
    let string_backed = named_children(node)
        .into_iter()
        .filter(|c| c.kind() == "inheritance_specifier")
        .any(|c| text(c, w.src) == "String");
    let Some(body) = node.field(Field::Body) else { return };
    for entry in named_children(body).into_iter().filter(|c| c.kind() == "enum_entry") {
        let mut cursor = entry.walk();
        let names: Vec<Node> = entry.children_by_field_name("name", &mut cursor).collect();
        let mut cursor = entry.walk();
        let raws: Vec<Node> = entry.children_by_field_name("raw_value", &mut cursor).collect();
        // `case a = "A", b = "B"`: names and raw values pair up in order.
        for (i, name) in names.iter().enumerate() {
            let name_text = text(*name, w.src);
            let value = match raws.get(i).filter(|_| raws.len() == names.len()) {
                Some(raw) => value(*raw, w.src, 0),
                None if string_backed && raws.is_empty() => {
                    Value::new(ValueKind::Str(name_text.to_string()), span_of(*name))
                }
                None => continue,
            };
            if matches!(value.kind, ValueKind::Str(_)) {
                w.facts.constants.push((format!("{owner}.{name_text}"), value.clone()));
                // `.signUp` where the type is implied (a parameter of type `Event`): the case
                // alone, which the project resolves only when no other enum has it.
                w.facts.constants.push((format!(".{name_text}"), value));
            }
        }
    }
}

/// The methods of a type whose methods all do nothing, or `None`: each body is empty or only
/// makes a new instance (`static func shared() -> Pendo { Pendo() }`), and there is at least one.
fn stub_methods(node: Node, src: &str) -> Option<Vec<String>> {
    let body = node.field(Field::Body)?;
    let mut methods = Vec::new();
    for member in named_children(body) {
        match member.kind() {
            "function_declaration" => {
                let name = member.field(Field::Name)?;
                if !does_nothing(member.field(Field::Body)?, src) {
                    return None;
                }
                methods.push(text(name, src).to_string());
            }
            "init_declaration" if !member.field(Field::Body).is_some_and(|b| does_nothing(b, src)) => {
                return None;
            }
            _ => {}
        }
    }
    (!methods.is_empty()).then_some(methods)
}

/// A function body that is empty, or only returns a new instance or `nil`.
fn does_nothing(body: Node, src: &str) -> bool {
    let statements: Vec<Node> = named_children(body)
        .into_iter()
        .flat_map(|c| if c.kind() == "statements" { named_children(c) } else { vec![c] })
        .filter(|c| c.kind() != "comment" && c.kind() != "multiline_comment")
        .collect();
    match statements.as_slice() {
        [] => true,
        [only] => {
            let expr = match only.kind() {
                "control_transfer_statement" => match only.named_child(0) {
                    Some(e) => e,
                    None => return true,
                },
                _ => *only,
            };
            match expr.kind() {
                "call_expression" => {
                    let callee = expr.named_child(0).map(|c| text(c, src)).unwrap_or_default();
                    let args = arguments(expr, src);
                    callee.starts_with(|c: char| c.is_ascii_uppercase())
                        && callee.chars().all(|c| c.is_alphanumeric() || c == '_')
                        && args.is_empty()
                }
                _ => text(expr, src) == "nil",
            }
        }
        _ => false,
    }
}

/// `func track(_ event: String, properties: [String: Any]? = nil)`, `init(client: Analytics)`:
/// parameters by position, named by their inner name (a labelled argument is matched by its
/// label, which is that name unless the declaration gives both).
fn define_function(w: &mut Walk, node: Node) {
    let name = match node.kind() {
        "init_declaration" => "init".to_string(),
        _ => match node.field(Field::Name) {
            Some(n) => text(n, w.src).to_string(),
            None => return,
        },
    };
    let name_node = node.field(Field::Name).unwrap_or(node);
    let mut params = Vec::new();
    let mut typed = Vec::new();
    for param in named_children(node).into_iter().filter(|c| c.kind() == "parameter") {
        let mut cursor = param.walk();
        let mut names = param.children_by_field_name("name", &mut cursor);
        let Some(inner) = names.next() else { continue };
        let ty = names.next();
        let inner = text(inner, w.src).to_string();
        let label = param.field(Field::ExternalName).map(|l| text(l, w.src));
        let variadic = ty.is_some_and(|_| text(param, w.src).trim_end().ends_with("..."));
        let kind = if variadic { ParamKind::Rest } else { ParamKind::Positional(params.len() + 1) };
        // `func track(event name: String)`: callers write `event:`, the body reads `name`.
        let param_name = match label {
            Some(l) if l != "_" && l != inner => l.to_string(),
            _ => inner.clone(),
        };
        params.push(Param { name: param_name, kind });
        if let Some(ty) = ty.and_then(|t| type_name(t, w.src)) {
            typed.push((inner, ty));
        }
    }
    let line = name_node.start_position().row + 1;
    w.define_function(node.id(), name, params, span_of(name_node), line);
    for (param, ty) in typed {
        w.bind(param, BindingSource::Typed(ty), false, true);
    }
}

/// A declared type without optionality and generics (`PostHogSDK?` is `PostHogSDK`); `None`
/// for the standard library's types and collections.
fn type_name(node: Node, src: &str) -> Option<String> {
    let mut node = node;
    for _ in 0..4 {
        match node.kind() {
            "optional_type" | "implicitly_unwrapped_type" => node = node.field(Field::Wrapped)?,
            "user_type" => {
                let name = super::compact_text(node, src);
                let name = name.split('<').next().unwrap_or(&name).to_string();
                let builtin = matches!(
                    name.as_str(),
                    "String"
                        | "Int"
                        | "Double"
                        | "Float"
                        | "Bool"
                        | "Any"
                        | "AnyObject"
                        | "Date"
                        | "URL"
                        | "Data"
                );
                return (!builtin).then_some(name);
            }
            _ => return None,
        }
    }
    None
}

/// `let mixpanel = Mixpanel.mainInstance()`, `var client: PostHogSDK?`,
/// `static let signUp = "Sign Up"`: a binding (file-wide for a type's members), a constant
/// when the value is one, and the local value inside functions.
fn record_property(w: &mut Walk, node: Node) {
    let Some(name) = node.field(Field::Name).and_then(|p| p.field(Field::BoundIdentifier).or(Some(p))) else {
        return;
    };
    if name.kind() != "simple_identifier" {
        return;
    }
    let name_text = text(name, w.src).to_string();
    let value_node = node.field(Field::Value);
    let declared = named_children(node)
        .into_iter()
        .find(|c| c.kind() == "type_annotation")
        .and_then(|t| t.field(Field::Name))
        .and_then(|t| type_name(t, w.src));
    let owner = w.current_owner();
    let in_function = w.current_scope() != 0;
    // `var dataLayer: [[String: Any]] = []` at the top of a file: an empty collection says
    // nothing of what the name is (an SDK's global is still read by its name).
    let empty_collection = value_node.map(unwrap).is_some_and(|v| {
        matches!(v.kind(), "array_literal" | "dictionary_literal") && v.named_child_count() == 0
    });
    if empty_collection && owner.is_none() && !in_function {
        return;
    }
    let source = match (value_node, declared) {
        (Some(v), _) => expression_source(v, w.src),
        (None, Some(ty)) => BindingSource::Typed(ty),
        (None, None) => return,
    };
    if let Some(v) = value_node {
        let value_now = value(v, w.src, 0);
        if !in_function && super::is_constant_value(&value_now) {
            let constant = match &owner {
                Some(owner) => format!("{owner}.{name_text}"),
                None => name_text.clone(),
            };
            w.facts.constants.push((constant, value_now));
        }
    }
    if in_function {
        let src = w.src;
        w.bind_variable(name_text, source, || {
            value_node.map_or(Value::new(ValueKind::Null, span_of(name)), |v| value(v, src, 0))
        });
    } else if owner.is_some() {
        // A type's stored property: `self.client` / `client` in every method of the type.
        w.bind(name_text, source, false, false);
    } else {
        // A global: visible to the module's other files.
        w.facts.exports.push(crate::model::Export { name: name_text.clone(), source: source.clone() });
        w.bind(name_text, source, true, false);
    }
}

/// `if let event = MPEvent(name: "Buy", type: .other) { .. }`, `guard let client = ..`: each name
/// bound in the condition holds its value (unwrapped) where the statement's scope can see it.
fn record_optional_bindings(w: &mut Walk, node: Node) {
    if w.current_scope() == 0 {
        return;
    }
    // Each child with the field it fills (`bound_identifier`, `condition`).
    let mut children: Vec<(bool, Node)> = Vec::new();
    let mut cursor = node.walk();
    if cursor.goto_first_child() {
        loop {
            children.push((cursor.field_name() == Some("bound_identifier"), cursor.node()));
            if !cursor.goto_next_sibling() {
                break;
            }
        }
    }
    for (i, &(bound, child)) in children.iter().enumerate() {
        if !bound || child.kind() != "simple_identifier" {
            continue;
        }
        // `name = value`: the value is the first named node after the `=` that follows the name.
        let rest = &children[i + 1..];
        let Some(eq) = rest.iter().position(|(_, c)| c.kind() == "=") else { continue };
        if rest[..eq].iter().any(|(_, c)| c.is_named() && c.kind() != "type_annotation") {
            continue;
        }
        let Some((_, value_node)) = rest[eq + 1..].iter().find(|(_, c)| c.is_named()) else { continue };
        let name = text(child, w.src).to_string();
        let source = expression_source(*value_node, w.src);
        let src = w.src;
        let value_node = *value_node;
        w.bind_variable(name, source, || value(value_node, src, 0));
    }
}

/// `params[key]`: the local's name and the key's node, for a subscript with one key.
fn subscript<'t>(node: Node<'t>, src: &str) -> Option<(String, Node<'t>)> {
    let callee = node.named_child(0).filter(|c| c.kind() == "simple_identifier")?;
    let suffix = node.named_child(1).filter(|c| c.kind() == "call_suffix")?;
    let arguments = suffix.named_child(0).filter(|c| c.kind() == "value_arguments")?;
    if arguments.child(0).is_none_or(|open| open.kind() != "[") {
        return None;
    }
    let arguments = named_children(arguments);
    let [argument] = arguments.as_slice() else { return None };
    let key = argument.named_child(0)?;
    Some((text(callee, src).to_string(), key))
}

/// `self.client = client`, `analytics = Analytics(configuration: ..)`.
fn record_assignment(w: &mut Walk, node: Node) {
    let (Some(target), Some(result)) = (node.field(Field::Target), node.field(Field::Result)) else { return };
    let target = named_children(target).into_iter().next().unwrap_or(target);
    let source = expression_source(result, w.src);
    match target.kind() {
        "simple_identifier" => {
            let name = text(target, w.src).to_string();
            let src = w.src;
            w.local_value(&name, || value(result, src, 0));
            w.assign(name, source);
        }
        // `params["plan"] = plan`, `params[AnalyticsParameterItemID] = id` on a local dictionary.
        "call_expression" => {
            let Some((name, key)) = subscript(target, w.src) else { return };
            let src = w.src;
            w.set_local_entry(&name, || dictionary_entry(key, value(result, src, 0), src, 0));
        }
        "navigation_expression" => match split_member(target, w.src) {
            Some((receiver, member)) if receiver == "self" => w.bind(member, source, false, false),
            // `event.customAttributes = [..]` on a local built as a record (`MPEvent(name: ..)`):
            // the record holds that member from here on.
            Some((receiver, member)) if !receiver.contains('.') => {
                let src = w.src;
                w.set_local_member(&receiver, &member, span_of(target), || value(result, src, 0));
            }
            _ => {}
        },
        _ => {}
    }
}

/// What a name is bound to by its value.
fn expression_source(node: Node, src: &str) -> BindingSource {
    let node = unwrap(node);
    match node.kind() {
        "call_expression" => match node.named_child(0) {
            Some(f) if matches!(f.kind(), "simple_identifier" | "navigation_expression") => {
                BindingSource::Constructor(super::compact_text(f, src))
            }
            _ => BindingSource::Other,
        },
        "simple_identifier" => BindingSource::Alias(text(node, src).to_string()),
        "navigation_expression" => match split_member(node, src) {
            // `let client = PostHogSDK.shared`: a type's singleton, by its text.
            Some((receiver, _)) if receiver.starts_with(|c: char| c.is_ascii_uppercase()) => {
                BindingSource::Constructor(super::compact_text(node, src))
            }
            Some((_, member)) => BindingSource::Alias(member),
            None => BindingSource::Other,
        },
        "ternary_expression" => BindingSource::AnyOf(
            [Field::IfTrue, Field::IfFalse]
                .into_iter()
                .filter_map(|f| node.field(f))
                .map(|n| expression_source(n, src))
                .collect(),
        ),
        _ => BindingSource::Other,
    }
}

/// A member access as (receiver text, member): `Mixpanel.mainInstance` is
/// (`Mixpanel`, `mainInstance`).
fn split_member(node: Node, src: &str) -> Option<(String, String)> {
    if node.kind() != "navigation_expression" {
        return None;
    }
    let (receiver, member) = navigation(node)?;
    Some((super::compact_text(receiver, src), text(member, src).to_string()))
}

/// The receiver and the member's name of `a.b` / `a?.b`.
fn navigation(node: Node) -> Option<(Node, Node)> {
    let member = node.field(Field::Suffix)?.field(Field::Suffix)?;
    (member.kind() == "simple_identifier").then_some(())?;
    Some((node.field(Field::Target)?, member))
}

/// Looks through `try`, `await`, `x!`, `x?` and parentheses.
fn unwrap(mut node: Node) -> Node {
    for _ in 0..MAX_VALUE_DEPTH {
        let inner = match node.kind() {
            "try_expression" | "await_expression" => node.field(Field::Expr),
            "postfix_expression" => node.field(Field::Target),
            "tuple_expression" if node.named_child_count() == 1 => node.named_child(0),
            _ => None,
        };
        match inner {
            Some(inner) => node = inner,
            None => return node,
        }
    }
    node
}

fn record_call(w: &mut Walk, node: Node) {
    let Some(function) = node.named_child(0) else { return };
    let mut callee = Vec::new();
    let mut root = None;
    let method = match function.kind() {
        "simple_identifier" => text(function, w.src).to_string(),
        "navigation_expression" => {
            // The method's name first: a long chain is not read once per link.
            let named = function.field(Field::Suffix).and_then(|s| s.field(Field::Suffix));
            if !named.is_some_and(|m| w.options.keeps(text(m, w.src))) {
                return;
            }
            let Some((chain, start)) = chain(function, w.src) else { return };
            if let Some(start) = start {
                root = Some(start);
            }
            callee = chain;
            match callee.pop() {
                Some(m) => m,
                None => return,
            }
        }
        _ => return,
    };
    if !w.options.keeps(&method) {
        return;
    }
    callee.push(method);
    let args = arguments(node, w.src);
    w.push_site(callee, root, args, span_of(node));
}

/// The segments of a member chain (`self.analytics?.track`, `PostHogSDK.shared.capture`), and
/// how it starts when that is a call (`Mixpanel.mainInstance().track`).
fn chain(node: Node, src: &str) -> Option<(Vec<String>, Option<Receiver>)> {
    let mut segments = Vec::new();
    let mut current = node;
    let mut root = None;
    for _ in 0..MAX_VALUE_DEPTH {
        match current.kind() {
            "navigation_expression" => {
                let (target, member) = navigation(current)?;
                segments.push(text(member, src).to_string());
                current = target;
            }
            "simple_identifier" => {
                segments.push(text(current, src).to_string());
                break;
            }
            "self_expression" => {
                segments.push("self".to_string());
                break;
            }
            "postfix_expression" => current = current.field(Field::Target)?,
            "call_expression" => {
                let function = current.named_child(0)?;
                if !matches!(function.kind(), "simple_identifier" | "navigation_expression")
                    || function.byte_range().len() > MAX_CALLEE_TEXT
                {
                    return None;
                }
                root = Some(Receiver::Constructor(super::compact_text(function, src)));
                break;
            }
            _ => return None,
        }
    }
    segments.reverse();
    Some((segments, root))
}

fn arguments(call: Node, src: &str) -> Vec<Arg> {
    arguments_with_depth(call, src, 0)
}

pub fn value(node: Node, src: &str, depth: usize) -> Value {
    let span = span_of(node);
    if depth > MAX_VALUE_DEPTH {
        return Value::new(ValueKind::Unknown(short_text(node, src)), span);
    }
    let kind = match node.kind() {
        "line_string_literal" | "multi_line_string_literal" | "raw_string_literal" => {
            string(node, src, depth)
        }
        "boolean_literal" => ValueKind::Bool(text(node, src) == "true"),
        "nil_literal" | "nil" => ValueKind::Null,
        "integer_literal" | "real_literal" | "hex_literal" | "oct_literal" | "bin_literal" => {
            ValueKind::Number(text(node, src).to_string())
        }
        "prefix_expression"
            if node.field(Field::Operation).is_some_and(|o| text(o, src) == "-")
                && node.field(Field::Target).is_some_and(|t| t.kind().ends_with("_literal")) =>
        {
            ValueKind::Number(text(node, src).to_string())
        }
        // `.signUp`: a case of the enum the parameter's type implies.
        "prefix_expression"
            if node.field(Field::Operation).is_some_and(|o| text(o, src) == ".")
                && node.field(Field::Target).is_some_and(|t| t.kind() == "simple_identifier") =>
        {
            let case = node.field(Field::Target).map(|t| text(t, src)).unwrap_or_default();
            ValueKind::Path(Path { segments: vec![format!(".{case}")], text: short_text(node, src) })
        }
        "try_expression" | "await_expression" | "postfix_expression" | "tuple_expression" => {
            let inner = unwrap(node);
            if inner.id() == node.id() {
                ValueKind::Unknown(short_text(node, src))
            } else {
                return value(inner, src, depth + 1);
            }
        }
        "dictionary_literal" => dictionary(node, src, depth),
        "array_literal" => {
            let mut cursor = node.walk();
            let elements: Vec<Node> = node.children_by_field_name("element", &mut cursor).collect();
            ValueKind::Array(elements.into_iter().map(|e| value(e, src, depth + 1)).collect())
        }
        "ternary_expression" => ValueKind::OneOf(
            [Field::IfTrue, Field::IfFalse]
                .into_iter()
                .filter_map(|f| node.field(f))
                .map(|n| value(n, src, depth + 1))
                .collect(),
        ),
        // `name ?? "Guest"`: either.
        "nil_coalescing_expression" => ValueKind::OneOf(
            [Field::Value, Field::IfNil]
                .into_iter()
                .filter_map(|f| node.field(f))
                .map(|n| value(n, src, depth + 1))
                .collect(),
        ),
        "additive_expression" => match (
            node.field(Field::Op).map(|o| text(o, src)),
            node.field(Field::Lhs),
            node.field(Field::Rhs),
        ) {
            (Some("+"), Some(l), Some(r)) => {
                crate::frontend::literal::join_template(value(l, src, depth + 1), value(r, src, depth + 1))
                    .unwrap_or_else(|| ValueKind::Unknown(short_text(node, src)))
            }
            _ => ValueKind::Unknown(short_text(node, src)),
        },
        "call_expression" => call_value(node, src, depth),
        _ => match path(node, src) {
            Some(p) => ValueKind::Path(p),
            None => ValueKind::Unknown(short_text(node, src)),
        },
    };
    Value::new(kind, span)
}

/// `"Signed Up"`, `"Viewed \(screen)"`, `"""..."""`: text with escapes decoded; interpolations
/// make a template.
fn string(node: Node, src: &str, depth: usize) -> ValueKind {
    let mut parts = vec![String::new()];
    let mut exprs = Vec::new();
    let mut cursor = node.walk();
    for (i, child) in node.children(&mut cursor).enumerate() {
        let field = node.field_name_for_child(i as u32);
        match (field, child.kind()) {
            (Some("text"), _) => {
                if let Some(last) = parts.last_mut() {
                    last.push_str(text(child, src));
                }
            }
            (_, "str_escaped_char") => {
                if let Some(last) = parts.last_mut() {
                    last.push_str(&unescape(text(child, src)));
                }
            }
            (Some("interpolation"), _) => {
                let inner = child.field(Field::Value).unwrap_or(child);
                exprs.push(value(inner, src, depth + 1));
                parts.push(String::new());
            }
            _ => {}
        }
    }
    if exprs.is_empty() {
        let mut only = parts.pop().unwrap_or_default();
        if node.kind() == "multi_line_string_literal" {
            // The lines between the delimiters, without the delimiters' own line breaks.
            only = only.strip_prefix('\n').unwrap_or(&only).to_string();
            if let Some(stripped) = only.strip_suffix('\n') {
                only = stripped.to_string();
            }
        }
        ValueKind::Str(only)
    } else {
        ValueKind::Template(Template { static_parts: parts, exprs })
    }
}

/// `["plan": plan, "count": 3]`: keys and values alternate under the `key` and `value` fields.
fn dictionary(node: Node, src: &str, depth: usize) -> ValueKind {
    let mut obj = Object::default();
    let mut cursor = node.walk();
    let mut key: Option<Node> = None;
    for (i, child) in node.children(&mut cursor).enumerate() {
        match node.field_name_for_child(i as u32) {
            Some("key") => key = Some(child),
            Some("value") => {
                let Some(k) = key.take() else { continue };
                match dictionary_entry(k, value(child, src, depth + 1), src, depth) {
                    Some(entry) => obj.entries.push(entry),
                    // A key we cannot read: the object may hold anything.
                    None => obj.has_spread = true,
                }
            }
            _ => {}
        }
    }
    ValueKind::Object(obj)
}

/// One entry of a dictionary, in a literal (`["plan": p]`) or set on a local (`params["plan"] =
/// p`): a string key, or a key held in a constant (`KEYS.orderId`, read when the call is
/// resolved); `None` for a key we cannot read.
fn dictionary_entry(key: Node, value_of_entry: Value, src: &str, depth: usize) -> Option<Entry> {
    match value(key, src, depth + 1).kind {
        ValueKind::Str(text) => Some(Entry {
            key: text,
            key_text: super::text(key, src).to_string(),
            key_span: span_of(key),
            value: value_of_entry,
        }),
        ValueKind::Path(path) => Some(Entry::with_constant_key(&path, span_of(key), value_of_entry)),
        _ => None,
    }
}

/// A call's value; an initializer called with labels only (`BaseEvent(eventType: "X",
/// eventProperties: [..])`, `Configuration(writeKey: key)`) is a record keyed by its labels.
fn call_value(node: Node, src: &str, depth: usize) -> ValueKind {
    let function = node.named_child(0);
    let callee = function.map(|f| super::compact_text(f, src)).unwrap_or_default();
    let args = arguments_with_depth(node, src, depth);
    let type_like =
        callee.rsplit('.').next().is_some_and(|last| last.starts_with(|c: char| c.is_ascii_uppercase()));
    if type_like && !args.is_empty() && args.iter().all(|a| a.keyword.is_some()) {
        let entries = args
            .into_iter()
            .map(|a| {
                let key = a.keyword.unwrap_or_default();
                Entry { key_text: key.clone(), key, key_span: a.value.span, value: a.value }
            })
            .collect();
        return ValueKind::Object(Object { entries, ..Object::default() });
    }
    ValueKind::Call { callee, args: args.into_iter().map(|a| a.value).collect() }
}

fn arguments_with_depth(call: Node, src: &str, depth: usize) -> Vec<Arg> {
    if depth > MAX_VALUE_DEPTH {
        return Vec::new();
    }
    let Some(suffix) = named_children(call).into_iter().find(|c| c.kind() == "call_suffix") else {
        return Vec::new();
    };
    let Some(list) = named_children(suffix).into_iter().find(|c| c.kind() == "value_arguments") else {
        return Vec::new();
    };
    named_children(list)
        .into_iter()
        .filter(|c| c.kind() == "value_argument")
        .filter_map(|arg| {
            let keyword = arg.field(Field::Name).map(|l| text(l, src).trim().to_string());
            let v = arg.field(Field::Value)?;
            Some(Arg { keyword, value: value(v, src, depth + 1) })
        })
        .collect()
}

/// `user.email`, `self.user.id`, `Event.signUp.rawValue` and `event.rawValue` (the case itself,
/// whose raw value is a constant): a static path.
fn path(node: Node, src: &str) -> Option<Path> {
    let mut segments = Vec::new();
    let mut current = node;
    for _ in 0..MAX_VALUE_DEPTH {
        match current.kind() {
            "simple_identifier" => segments.push(text(current, src).to_string()),
            "self_expression" => segments.push("self".to_string()),
            "navigation_expression" => {
                let (target, member) = navigation(current)?;
                segments.push(text(member, src).to_string());
                current = target;
                continue;
            }
            "postfix_expression" => {
                current = current.field(Field::Target)?;
                continue;
            }
            _ => return None,
        }
        segments.reverse();
        if segments.len() >= 2 && segments.last().is_some_and(|s| s == "rawValue") {
            segments.pop();
        }
        return Some(Path { segments, text: short_text(node, src) });
    }
    None
}
