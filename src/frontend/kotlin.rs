//! Kotlin front-end (tree-sitter-kotlin-ng).
//!
//! `import com.mixpanel.android.mpmetrics.MixpanelAPI` binds `MixpanelAPI` to that package's
//! member, so constructors and factories are qualified by their import
//! (`com.mixpanel.android.mpmetrics.MixpanelAPI.getInstance`). Named arguments
//! (`capture(event = "x", properties = ..)`) are keywords. The property containers of the
//! Android SDKs are objects: `mapOf("plan" to p)`, `JSONObject().put("plan", p)`,
//! `JSONObject().apply { put("plan", p) }`, `buildJsonObject { put("plan", p) }`,
//! `Properties().putValue("plan", p)`. An `object`'s or a class's methods belong to it, and a
//! receiver that is a type (`AnalyticsManager.track(..)`) is read as that type by the resolver.

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

/// Higher-order functions whose lambda runs once per element: a call inside is in a loop.
const EACH: &[&str] = &["forEach", "forEachIndexed", "map", "mapNotNull", "flatMap", "filter", "onEach"];

fn enter(w: &mut Walk, node: Node, ancestors: &[Node]) {
    match node.kind() {
        "import" => record_import(w, node),
        "class_declaration" | "object_declaration" => {
            if let Some(name) = node.field(Field::Name) {
                let owner = text(name, w.src).to_string();
                w.push_owner(node, owner);
            }
        }
        "class_parameter" => record_class_parameter(w, node),
        "function_declaration" => define_function(w, node),
        "lambda_literal" => {
            // `users.forEach { u -> .. }`: the lambda runs per element.
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
            let iterable = named_children(node)
                .into_iter()
                .rev()
                .find(|c| {
                    !matches!(c.kind(), "variable_declaration" | "block" | "multi_variable_declaration")
                })
                .map(|c| short_text(c, w.src))
                .unwrap_or_default();
            w.push_loop(node, "for", iterable);
        }
        "while_statement" | "do_while_statement" => w.push_loop(node, "while", String::new()),
        "property_declaration" => record_property(w, node),
        "assignment" => record_assignment(w, node),
        "call_expression" => record_call(w, node, ancestors.last().copied()),
        _ => {}
    }
}

/// `import com.posthog.PostHog`, `import com.posthog.PostHog as PH`: the last segment (or the
/// alias) is bound to that member of the package. `import com.posthog.*` binds nothing.
fn record_import(w: &mut Walk, node: Node) {
    let children = named_children(node);
    let Some(path) = children.iter().find(|c| c.kind() == "qualified_identifier") else { return };
    if text(node, w.src).trim_end().ends_with('*') {
        return;
    }
    let path = super::compact_text(*path, w.src);
    let Some((package, member)) = path.rsplit_once('.') else { return };
    let bound = children
        .iter()
        .rev()
        .find(|c| c.kind() == "identifier")
        .map_or(member.to_string(), |alias| text(*alias, w.src).to_string());
    let source = BindingSource::Module {
        module: package.to_string(),
        member: ModuleMember::Named(member.to_string()),
    };
    w.bind(bound, source, false, false);
}

/// `class Checkout(private val analytics: Analytics)`: a typed member of the class.
fn record_class_parameter(w: &mut Walk, node: Node) {
    let children = named_children(node);
    let Some(name) = children.iter().find(|c| c.kind() == "identifier") else { return };
    let Some(ty) = children.iter().find_map(|c| type_name(*c, w.src)) else { return };
    let member = has_token(node, "val") || has_token(node, "var");
    let name = text(*name, w.src).to_string();
    w.bind(name, BindingSource::Typed(ty), false, !member);
}

/// `fun track(event: String, props: Map<String, Any> = emptyMap())`: positional parameters that
/// callers may also name.
fn define_function(w: &mut Walk, node: Node) {
    let Some(name) = node.field(Field::Name) else { return };
    let mut params = Vec::new();
    let mut typed = Vec::new();
    let list = named_children(node).into_iter().find(|c| c.kind() == "function_value_parameters");
    let mut variadic_next = false;
    for child in list.map(named_children).unwrap_or_default() {
        match child.kind() {
            "parameter_modifiers" => variadic_next = text(child, w.src).contains("vararg"),
            "parameter" => {
                let parts = named_children(child);
                let Some(param) = parts.iter().find(|c| c.kind() == "identifier") else { continue };
                let param = text(*param, w.src).to_string();
                let kind =
                    if variadic_next { ParamKind::Rest } else { ParamKind::Positional(params.len() + 1) };
                variadic_next = false;
                params.push(Param { name: param.clone(), kind });
                if let Some(ty) = parts.iter().find_map(|c| type_name(*c, w.src)) {
                    typed.push((param, ty));
                }
            }
            _ => {}
        }
    }
    let line = name.start_position().row + 1;
    w.define_function(node.id(), text(name, w.src).to_string(), params, span_of(name), line);
    for (param, ty) in typed {
        w.bind(param, BindingSource::Typed(ty), false, true);
    }
}

/// A declared type without nullability and type arguments (`MixpanelAPI?` is `MixpanelAPI`);
/// `None` for the standard library's.
fn type_name(node: Node, src: &str) -> Option<String> {
    let mut node = node;
    for _ in 0..4 {
        match node.kind() {
            "nullable_type" => node = node.named_child(0)?,
            "user_type" => {
                let name = super::compact_text(node, src);
                let name = name.split('<').next().unwrap_or(&name).to_string();
                let builtin = matches!(
                    name.as_str(),
                    "String"
                        | "Int"
                        | "Long"
                        | "Double"
                        | "Float"
                        | "Boolean"
                        | "Any"
                        | "Unit"
                        | "Map"
                        | "List"
                        | "MutableMap"
                        | "Context"
                        | "JSONObject"
                );
                return (!builtin).then_some(name);
            }
            _ => return None,
        }
    }
    None
}

/// `val mixpanel = MixpanelAPI.getInstance(..)`, `lateinit var mixpanel: MixpanelAPI`,
/// `val mixpanel by lazy { MixpanelAPI.getInstance(..) }`, `const val SIGNED_UP = "Signed Up"`.
fn record_property(w: &mut Walk, node: Node) {
    let children = named_children(node);
    let Some(declaration) = children.iter().find(|c| c.kind() == "variable_declaration") else { return };
    let Some(name) = named_children(*declaration).into_iter().find(|c| c.kind() == "identifier") else {
        return;
    };
    let declared = named_children(*declaration).into_iter().find_map(|c| type_name(c, w.src));
    // The value: the expression after `=`, or the last expression of a `by lazy { .. }` block.
    let value_node = children
        .iter()
        .copied()
        .rev()
        .find(|c| {
            !matches!(
                c.kind(),
                "modifiers" | "variable_declaration" | "property_delegate" | "getter" | "setter"
            )
        })
        .or_else(|| {
            let delegate = children.iter().find(|c| c.kind() == "property_delegate")?;
            let lambda = find_kind(*delegate, "lambda_literal", 4)?;
            named_children(lambda).into_iter().rev().find(|c| c.kind() != "lambda_parameters")
        });
    let source = match (value_node, declared) {
        (Some(v), _) => expression_source(v, w.src),
        (None, Some(ty)) => BindingSource::Typed(ty),
        (None, None) => return,
    };
    let name_text = text(name, w.src).to_string();
    let owner = w.current_owner();
    let in_function = w.current_scope() != 0;
    if let Some(v) = value_node
        && !in_function
    {
        let value_now = value(v, w.src, 0);
        if super::is_constant_value(&value_now) {
            if let Some(owner) = &owner {
                w.facts.constants.push((format!("{owner}.{name_text}"), value_now.clone()));
            }
            w.facts.constants.push((name_text.clone(), value_now));
        }
    }
    if in_function {
        let src = w.src;
        w.bind_variable(name_text, source, || {
            value_node.map_or(Value::new(ValueKind::Null, span_of(name)), |v| value(v, src, 0))
        });
    } else if owner.is_some() {
        // A member: `mixpanel` / `this.mixpanel` in every method of the class or object.
        w.bind(name_text, source, false, false);
    } else {
        // A top-level property: visible to the package's other files.
        w.facts.exports.push(crate::model::Export { name: name_text.clone(), source: source.clone() });
        w.bind(name_text, source, true, false);
    }
}

/// The first descendant of a kind, within a few levels.
fn find_kind<'t>(node: Node<'t>, kind: &str, depth: usize) -> Option<Node<'t>> {
    if node.kind() == kind {
        return Some(node);
    }
    if depth == 0 {
        return None;
    }
    named_children(node).into_iter().find_map(|c| find_kind(c, kind, depth - 1))
}

/// `mixpanel = MixpanelAPI.getInstance(..)`, `this.client = client`.
fn record_assignment(w: &mut Walk, node: Node) {
    let (Some(target), Some(result)) = (node.field(Field::Left), node.field(Field::Right)) else { return };
    let source = expression_source(result, w.src);
    match target.kind() {
        "identifier" => {
            let name = text(target, w.src).to_string();
            let src = w.src;
            w.local_value(&name, || value(result, src, 0));
            w.assign(name, source);
        }
        "navigation_expression" => {
            if let Some((receiver, member)) = split_member(target, w.src)
                && receiver == "this"
            {
                w.bind(member, source, false, false);
            }
        }
        _ => {}
    }
}

fn expression_source(node: Node, src: &str) -> BindingSource {
    let node = unwrap(node);
    match node.kind() {
        "call_expression" => match node.named_child(0) {
            Some(f) if matches!(f.kind(), "identifier" | "navigation_expression") => {
                BindingSource::Constructor(super::compact_text(f, src).replace("?.", "."))
            }
            _ => BindingSource::Other,
        },
        "identifier" => BindingSource::Alias(text(node, src).to_string()),
        "navigation_expression" => match split_member(node, src) {
            // `Firebase.analytics`: a member of an object or type, by its text (qualified through
            // the object's import when resolved), like a factory call.
            Some((receiver, _))
                if receiver.starts_with(|c: char| c.is_ascii_uppercase()) && !receiver.contains('(') =>
            {
                BindingSource::Constructor(super::compact_text(node, src).replace("?.", "."))
            }
            Some((_, member)) => BindingSource::Alias(member),
            None => BindingSource::Other,
        },
        _ => BindingSource::Other,
    }
}

/// A member access as (receiver text, member).
fn split_member(node: Node, src: &str) -> Option<(String, String)> {
    if node.kind() != "navigation_expression" {
        return None;
    }
    let (receiver, member) = navigation(node)?;
    Some((super::compact_text(receiver, src), text(member, src).to_string()))
}

/// The receiver and the member's name of `a.b` / `a?.b`.
fn navigation(node: Node) -> Option<(Node, Node)> {
    let children = named_children(node);
    let (member, receiver) = (*children.last()?, *children.first()?);
    (member.kind() == "identifier" && children.len() >= 2).then_some((receiver, member))
}

/// Looks through `x!!` and parentheses.
fn unwrap(mut node: Node) -> Node {
    for _ in 0..MAX_VALUE_DEPTH {
        let inner = match node.kind() {
            "unary_expression" if node.field(Field::Operator).is_some_and(|o| o.kind() == "!!") => {
                node.field(Field::Argument)
            }
            "parenthesized_expression" => node.named_child(0),
            _ => None,
        };
        match inner {
            Some(inner) => node = inner,
            None => return node,
        }
    }
    node
}

/// A call site; `outer` is the node around it (a call of it with a trailing block).
fn record_call(w: &mut Walk, node: Node, outer: Option<Node>) {
    let Some(function) = node.named_child(0) else { return };
    record_local_put(w, node, function);
    // The method's name first: a long builder chain is not read once per link.
    let method = match function.kind() {
        "identifier" => function,
        "navigation_expression" => match function
            .named_child(u32::try_from(function.named_child_count().saturating_sub(1)).unwrap_or(0))
        {
            Some(m) => m,
            None => return,
        },
        _ => return,
    };
    if !w.options.keeps(text(method, w.src)) {
        return;
    }
    let (callee, root) = match function.kind() {
        "identifier" => (vec![text(function, w.src).to_string()], None),
        "navigation_expression" => match chain(function, w.src) {
            Some(found) => found,
            None => return,
        },
        _ => return,
    };
    if callee.is_empty() {
        return;
    }
    let mut args = arguments(node, w.src, 0);
    // `logEvent(name) { .. }` parses as a call of the call `logEvent(name)` with the block.
    if let Some(outer) = outer.filter(|o| o.kind() == "call_expression" && o.named_child(0) == Some(node)) {
        args.extend(param_block(outer, w.src, 0));
    }
    w.push_site(callee, root, args, span_of(node));
}

/// `bundle.putString("k", v)` on a local that holds a property container (`val bundle =
/// Bundle()`): the entry is the container's.
fn record_local_put(w: &mut Walk, node: Node, function: Node) {
    if function.kind() != "navigation_expression" || w.current_scope() == 0 {
        return;
    }
    let Some((receiver, method)) = navigation(function) else { return };
    let method_text = text(method, w.src);
    if receiver.kind() != "identifier" || !(method_text.starts_with("put") || method_text == "accumulate") {
        return;
    }
    let src = w.src;
    w.set_local_entry(text(receiver, src), || {
        super::jvm_put_entry(method_text, &arguments(node, src, 0), span_of(method), src).flatten()
    });
}

/// The segments of a member chain (`this.analytics?.track`, `AnalyticsManager.track`), and how
/// it starts when that is a call (`MixpanelAPI.getInstance(ctx, t).track`).
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
            "identifier" => {
                segments.push(text(current, src).to_string());
                break;
            }
            "this_expression" => {
                segments.push("this".to_string());
                break;
            }
            "unary_expression" | "parenthesized_expression" => {
                let inner = unwrap(current);
                if inner.id() == current.id() {
                    return None;
                }
                current = inner;
            }
            "call_expression" => {
                let function = current.named_child(0)?;
                if !matches!(function.kind(), "identifier" | "navigation_expression")
                    || function.byte_range().len() > MAX_CALLEE_TEXT
                {
                    return None;
                }
                root = Some(Receiver::Constructor(super::compact_text(function, src).replace("?.", ".")));
                break;
            }
            _ => return None,
        }
    }
    segments.reverse();
    Some((segments, root))
}

/// `f(a, name = b)`: positional and named arguments; a trailing lambda is not an argument.
fn arguments(call: Node, src: &str, depth: usize) -> Vec<Arg> {
    if depth > MAX_VALUE_DEPTH {
        return Vec::new();
    }
    let list = named_children(call).into_iter().find(|c| c.kind() == "value_arguments");
    let mut args: Vec<Arg> = list
        .map(named_children)
        .unwrap_or_default()
        .into_iter()
        .filter(|c| c.kind() == "value_argument")
        .filter_map(|arg| {
            let parts = named_children(arg);
            let named = parts.len() >= 2 && has_token(arg, "=") && parts[0].kind() == "identifier";
            let keyword = named.then(|| text(parts[0], src).to_string());
            let v = *parts.last()?;
            Some(Arg { keyword, value: value(v, src, depth + 1) })
        })
        .collect();
    args.extend(param_block(call, src, depth));
    args
}

/// Firebase KTX's `logEvent(name) { param("k", v) }`: a trailing block of `param` calls is the
/// call's last argument, an object of those parameters.
fn param_block(call: Node, src: &str, depth: usize) -> Option<Arg> {
    let lambda = named_children(call).into_iter().find(|c| c.kind() == "annotated_lambda")?;
    let body = find_kind(lambda, "lambda_literal", 2)?;
    let params = named_children(body).into_iter().any(|s| {
        s.kind() == "call_expression"
            && s.named_child(0).is_some_and(|f| f.kind() == "identifier" && text(f, src) == "param")
    });
    params.then(|| Arg {
        keyword: None,
        value: Value::new(ValueKind::Object(puts(lambda, src, depth)), span_of(lambda)),
    })
}

fn has_token(node: Node, token: &str) -> bool {
    let mut cursor = node.walk();
    node.children(&mut cursor).any(|c| !c.is_named() && c.kind() == token)
}

pub fn value(node: Node, src: &str, depth: usize) -> Value {
    let span = span_of(node);
    if depth > MAX_VALUE_DEPTH {
        return Value::new(ValueKind::Unknown(short_text(node, src)), span);
    }
    let kind = match node.kind() {
        "string_literal" | "multiline_string_literal" => string(node, src, depth),
        "boolean_literal" => ValueKind::Bool(text(node, src) == "true"),
        "null_literal" => ValueKind::Null,
        "identifier" if matches!(text(node, src), "true" | "false") => {
            ValueKind::Bool(text(node, src) == "true")
        }
        "identifier" if text(node, src) == "null" => ValueKind::Null,
        "number_literal" | "float_literal" | "integer_literal" | "long_literal" | "real_literal" => {
            ValueKind::Number(text(node, src).to_string())
        }
        "unary_expression" | "parenthesized_expression" => {
            let inner = unwrap(node);
            if inner.id() != node.id() {
                return value(inner, src, depth + 1);
            }
            match (node.field(Field::Operator).map(|o| o.kind()), node.field(Field::Argument)) {
                (Some("-"), Some(a)) if a.kind().ends_with("literal") => {
                    ValueKind::Number(text(node, src).to_string())
                }
                _ => ValueKind::Unknown(short_text(node, src)),
            }
        }
        "if_expression" => {
            let branches: Vec<Value> = named_children(node)
                .into_iter()
                .filter(|c| c.id() != node.field(Field::Condition).map_or(usize::MAX, |n| n.id()))
                .filter(|c| c.kind() != "block" || c.named_child_count() == 1)
                .map(|c| match c.kind() {
                    "block" => c
                        .named_child(0)
                        .map_or(Value::new(ValueKind::Null, span_of(c)), |e| value(e, src, depth + 1)),
                    _ => value(c, src, depth + 1),
                })
                .collect();
            if branches.len() == 2 {
                ValueKind::OneOf(branches)
            } else {
                ValueKind::Unknown(short_text(node, src))
            }
        }
        "binary_expression" => {
            let op = node.field(Field::Operator).map(|o| o.kind());
            match (op, node.field(Field::Left), node.field(Field::Right)) {
                (Some("+"), Some(l), Some(r)) => crate::frontend::literal::join_template(
                    value(l, src, depth + 1),
                    value(r, src, depth + 1),
                )
                .unwrap_or_else(|| ValueKind::Unknown(short_text(node, src))),
                // `name ?: "Guest"`: either.
                (Some("?:"), Some(l), Some(r)) => {
                    ValueKind::OneOf(vec![value(l, src, depth + 1), value(r, src, depth + 1)])
                }
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

/// `"Signed Up"`, `"Viewed ${screen.name}"`, `"Viewed $screen"`: text with escapes decoded;
/// interpolations make a template.
fn string(node: Node, src: &str, depth: usize) -> ValueKind {
    let mut parts = vec![String::new()];
    let mut exprs = Vec::new();
    let children = named_children(node);
    let mut i = 0;
    while i < children.len() {
        let child = children[i];
        match child.kind() {
            "string_content" => {
                let piece = text(child, src);
                // `$name`: the grammar leaves a lone `$` before the name's text.
                let next = children.get(i + 1).filter(|n| n.kind() == "string_content");
                if piece == "$"
                    && let Some(next) = next
                {
                    let rest = text(*next, src);
                    let ident_len =
                        rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len());
                    if ident_len > 0 && !rest.starts_with(|c: char| c.is_ascii_digit()) {
                        let name = &rest[..ident_len];
                        let start = next.start_byte();
                        let path = Path { segments: vec![name.to_string()], text: name.to_string() };
                        exprs.push(Value::new(
                            ValueKind::Path(path),
                            crate::model::Span::new(start, start + ident_len),
                        ));
                        parts.push(rest[ident_len..].to_string());
                        i += 2;
                        continue;
                    }
                }
                if let Some(last) = parts.last_mut() {
                    last.push_str(piece);
                }
            }
            "escape_sequence" => {
                if let Some(last) = parts.last_mut() {
                    last.push_str(&unescape(text(child, src)));
                }
            }
            "interpolation" => {
                let inner = child.named_child(0).unwrap_or(child);
                exprs.push(value(inner, src, depth + 1));
                parts.push(String::new());
            }
            _ => {}
        }
        i += 1;
    }
    if exprs.is_empty() {
        ValueKind::Str(parts.pop().unwrap_or_default())
    } else {
        ValueKind::Template(Template { static_parts: parts, exprs })
    }
}

/// A call's value. Property containers are objects: `mapOf("k" to v)`, `JSONObject()` with
/// `.put(k, v)` chained or in `.apply { }`, `buildJsonObject { put(k, v) }`,
/// `Properties().putValue(k, v)` and Segment's `Traits().putEmail(e)`.
fn call_value(node: Node, src: &str, depth: usize) -> ValueKind {
    if let Some(obj) = container(node, src, depth) {
        return ValueKind::Object(obj);
    }
    let callee = node.named_child(0).map(|f| super::compact_text(f, src)).unwrap_or_default();
    let args = arguments(node, src, depth);
    ValueKind::Call { callee, args: args.into_iter().map(|a| a.value).collect() }
}

fn container(node: Node, src: &str, depth: usize) -> Option<Object> {
    if depth > MAX_VALUE_DEPTH {
        return None;
    }
    let function = node.named_child(0)?;
    let lambda = named_children(node).into_iter().find(|c| c.kind() == "annotated_lambda");
    match function.kind() {
        "identifier" => {
            let name = text(function, src);
            match name {
                "mapOf" | "mutableMapOf" | "hashMapOf" | "linkedMapOf" | "bundleOf" => {
                    Some(pairs(node, src, depth))
                }
                "JSONObject" | "Properties" | "Traits" | "HashMap" | "JsonObject" | "Bundle" => {
                    // `JSONObject(mapOf(..))`: the map's entries.
                    let args = arguments(node, src, depth);
                    match args.first().map(|a| &a.value.kind) {
                        Some(ValueKind::Object(obj)) => Some(obj.clone()),
                        None => Some(Object::default()),
                        Some(_) => None,
                    }
                }
                "buildJsonObject" => Some(lambda.map(|l| puts(l, src, depth)).unwrap_or_default()),
                _ => None,
            }
        }
        "navigation_expression" => {
            // The receiver's node, not its text: a long builder chain is not copied per link.
            let (receiver, method) = navigation(function)?;
            if receiver.kind() != "call_expression" {
                return None;
            }
            let method = text(method, src);
            let mut obj = container(receiver, src, depth + 1)?;
            match method {
                "apply" => {
                    if let Some(l) = lambda {
                        let more = puts(l, src, depth);
                        obj.has_spread |= more.has_spread;
                        obj.entries.extend(more.entries);
                    }
                }
                _ => add_put(&mut obj, method, &arguments(node, src, depth), function, src)?,
            }
            Some(obj)
        }
        _ => None,
    }
}

/// The `put(k, v)` calls of a builder lambda.
fn puts(lambda: Node, src: &str, depth: usize) -> Object {
    let mut obj = Object::default();
    let Some(body) = find_kind(lambda, "lambda_literal", 2) else { return obj };
    for statement in named_children(body) {
        if statement.kind() != "call_expression" {
            continue;
        }
        let Some(function) = statement.named_child(0).filter(|f| f.kind() == "identifier") else { continue };
        let method = text(function, src).to_string();
        if add_put(&mut obj, &method, &arguments(statement, src, depth + 1), function, src).is_none() {
            obj.has_spread = true;
        }
    }
    obj
}

/// One `put("k", v)` / `putString("k", v)` / `param("k", v)` / `putEmail(v)` into the object.
fn add_put(obj: &mut Object, method: &str, args: &[Arg], function: Node, src: &str) -> Option<()> {
    match super::jvm_put_entry(method, args, span_of(function), src)? {
        Some(entry) => obj.entries.push(entry),
        None => obj.has_spread = true,
    }
    Some(())
}

/// `mapOf("plan" to p, "n" to 3)`.
fn pairs(node: Node, src: &str, depth: usize) -> Object {
    let mut obj = Object::default();
    let Some(list) = named_children(node).into_iter().find(|c| c.kind() == "value_arguments") else {
        return obj;
    };
    for arg in named_children(list).into_iter().filter(|c| c.kind() == "value_argument") {
        let Some(pair) = arg.named_child(0).filter(|p| p.kind() == "infix_expression") else {
            obj.has_spread = true;
            continue;
        };
        let parts = named_children(pair);
        let [k, op, v] = parts.as_slice() else {
            obj.has_spread = true;
            continue;
        };
        if text(*op, src) != "to" {
            obj.has_spread = true;
            continue;
        }
        match value(*k, src, depth + 1).kind {
            ValueKind::Str(key) => obj.entries.push(Entry {
                key,
                key_text: text(*k, src).to_string(),
                key_span: span_of(*k),
                value: value(*v, src, depth + 1),
            }),
            _ => obj.has_spread = true,
        }
    }
    obj
}

/// `user.email`, `this.user.id`, `user?.email`: a static path.
fn path(node: Node, src: &str) -> Option<Path> {
    let mut segments = Vec::new();
    let mut current = node;
    for _ in 0..MAX_VALUE_DEPTH {
        match current.kind() {
            "identifier" => segments.push(text(current, src).to_string()),
            "this_expression" => segments.push("this".to_string()),
            "navigation_expression" => {
                let (target, member) = navigation(current)?;
                segments.push(text(member, src).to_string());
                current = target;
                continue;
            }
            "unary_expression" => {
                let inner = unwrap(current);
                if inner.id() == current.id() {
                    return None;
                }
                current = inner;
                continue;
            }
            _ => return None,
        }
        segments.reverse();
        return Some(Path { segments, text: short_text(node, src) });
    }
    None
}
