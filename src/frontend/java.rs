//! Java front-end (tree-sitter-java), for Android apps: the same SDKs as Kotlin.
//!
//! `import com.mixpanel.android.mpmetrics.MixpanelAPI` binds `MixpanelAPI` to that package's
//! member, so factories and types are qualified by their import. A getter without arguments
//! in a receiver chain is its property (`mixpanel.getPeople().set(..)` is `people.set`, as
//! Kotlin writes it). `new JSONObject().put("k", v)`, `new Properties().putValue("k", v)` and
//! `new HashMap<>()` are objects.

use super::{
    ExtractOptions, Field, FileFacts, MAX_CALLEE_TEXT, MAX_VALUE_DEPTH, NodeFields, Walk, lower_first,
    named_children, short_text, span_of, text,
};
use crate::frontend::literal::unescape;
use crate::model::{
    Arg, BindingSource, ModuleMember, Object, Param, ParamKind, Path, Receiver, Value, ValueKind,
};
use tree_sitter::{Node, Tree};

pub fn extract(tree: &Tree, src: &str, options: &ExtractOptions) -> FileFacts {
    let mut walk = Walk::new(src, options);
    walk.run(tree, enter);
    walk.facts
}

fn enter(w: &mut Walk, node: Node, _ancestors: &[Node]) {
    match node.kind() {
        "import_declaration" => record_import(w, node),
        "class_declaration" | "interface_declaration" | "enum_declaration" => {
            if let Some(name) = node.field(Field::Name) {
                let owner = text(name, w.src).to_string();
                w.push_owner(node, owner);
            }
        }
        "method_declaration" | "constructor_declaration" => define_function(w, node),
        "lambda_expression" => w.push_scope(node, None),
        "enhanced_for_statement" => {
            let iterable = node.field(Field::Value).map(|v| short_text(v, w.src)).unwrap_or_default();
            w.push_loop(node, "for", iterable);
        }
        "for_statement" => w.push_loop(node, "for", String::new()),
        "while_statement" | "do_statement" => w.push_loop(node, "while", String::new()),
        "field_declaration" | "local_variable_declaration" => record_declaration(w, node),
        "assignment_expression" => record_assignment(w, node),
        "method_invocation" => record_call(w, node),
        _ => {}
    }
}

/// `import com.posthog.PostHog;`: `PostHog` bound to that member of the package. Wildcard and
/// static imports bind nothing.
fn record_import(w: &mut Walk, node: Node) {
    let whole = text(node, w.src);
    if whole.contains('*') || whole.trim_start().starts_with("import static") {
        return;
    }
    let Some(path) = named_children(node).into_iter().find(|c| c.kind() == "scoped_identifier") else {
        return;
    };
    let path = super::compact_text(path, w.src);
    let Some((package, member)) = path.rsplit_once('.') else { return };
    let source = BindingSource::Module {
        module: package.to_string(),
        member: ModuleMember::Named(member.to_string()),
    };
    w.bind(member.to_string(), source, false, false);
}

fn define_function(w: &mut Walk, node: Node) {
    let Some(name) = node.field(Field::Name) else { return };
    let mut params = Vec::new();
    let mut typed = Vec::new();
    for param in node.field(Field::Parameters).map(named_children).unwrap_or_default() {
        let Some(param_name) = param.field(Field::Name).or_else(|| {
            // `String... rest`: the name is inside the declarator.
            named_children(param)
                .into_iter()
                .find(|c| c.kind() == "variable_declarator")
                .and_then(|d| d.field(Field::Name))
        }) else {
            continue;
        };
        let param_name = text(param_name, w.src).to_string();
        let kind = match param.kind() {
            "spread_parameter" => ParamKind::Rest,
            "formal_parameter" => ParamKind::Positional(params.len() + 1),
            _ => continue,
        };
        params.push(Param { name: param_name.clone(), kind });
        if let Some(ty) = param.field(Field::Type).and_then(|t| type_name(t, w.src)) {
            typed.push((param_name, ty));
        }
    }
    let line = name.start_position().row + 1;
    let function = match node.kind() {
        "constructor_declaration" => "init".to_string(),
        _ => text(name, w.src).to_string(),
    };
    w.define_function(node.id(), function, params, span_of(name), line);
    for (param, ty) in typed {
        w.bind(param, BindingSource::Typed(ty), false, true);
    }
}

/// A declared type without type arguments; `None` for the language's own.
fn type_name(node: Node, src: &str) -> Option<String> {
    let node = match node.kind() {
        "generic_type" => node.named_child(0)?,
        _ => node,
    };
    if !matches!(node.kind(), "type_identifier" | "scoped_type_identifier") {
        return None;
    }
    let name = super::compact_text(node, src);
    let builtin = matches!(
        name.as_str(),
        "String"
            | "Integer"
            | "Long"
            | "Double"
            | "Boolean"
            | "Object"
            | "Map"
            | "List"
            | "Context"
            | "JSONObject"
    );
    (!builtin).then_some(name)
}

/// `private MixpanelAPI mixpanel;`, `static final String SIGNED_UP = "Signed Up";`,
/// `MixpanelAPI mp = MixpanelAPI.getInstance(c, t);`.
fn record_declaration(w: &mut Walk, node: Node) {
    let declared = node.field(Field::Type).and_then(|t| type_name(t, w.src));
    let field = node.kind() == "field_declaration";
    let mut cursor = node.walk();
    let declarators: Vec<Node> = node.children_by_field_name("declarator", &mut cursor).collect();
    let owner = w.current_owner();
    for declarator in declarators {
        let Some(name) = declarator.field(Field::Name) else { continue };
        let name_text = text(name, w.src).to_string();
        let value_node = declarator.field(Field::Value);
        let source = match (value_node, &declared) {
            (Some(v), _) => expression_source(v, w.src),
            (None, Some(ty)) => BindingSource::Typed(ty.clone()),
            (None, None) => continue,
        };
        if field {
            if let Some(v) = value_node {
                let value_now = value(v, w.src, 0);
                if super::is_constant_value(&value_now) {
                    if let Some(owner) = &owner {
                        w.facts.constants.push((format!("{owner}.{name_text}"), value_now.clone()));
                    }
                    w.facts.constants.push((name_text.clone(), value_now));
                }
            }
            w.bind(name_text, source, false, false);
        } else {
            let src = w.src;
            w.bind_variable(name_text, source, || {
                value_node.map_or(Value::new(ValueKind::Null, span_of(name)), |v| value(v, src, 0))
            });
        }
    }
}

/// `mixpanel = MixpanelAPI.getInstance(c, t);`, `this.mixpanel = ..`.
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
        "field_access" => {
            if target.field(Field::Object).is_some_and(|o| o.kind() == "this")
                && let Some(field) = target.field(Field::Field)
            {
                w.bind(text(field, w.src).to_string(), source, false, false);
            }
        }
        _ => {}
    }
}

fn expression_source(node: Node, src: &str) -> BindingSource {
    match node.kind() {
        "method_invocation" => match callee_text(node, src) {
            Some(text) => BindingSource::Constructor(text),
            None => BindingSource::Other,
        },
        "object_creation_expression" => match node.field(Field::Type).and_then(|t| type_name(t, src)) {
            Some(ty) => BindingSource::Constructor(format!("new {ty}")),
            None => BindingSource::Other,
        },
        "identifier" => BindingSource::Alias(text(node, src).to_string()),
        "field_access" => match node.field(Field::Field) {
            Some(f) => BindingSource::Alias(text(f, src).to_string()),
            None => BindingSource::Other,
        },
        "parenthesized_expression" | "cast_expression" => {
            match node.field(Field::Value).or_else(|| node.named_child(0)) {
                Some(inner) if inner.id() != node.id() => expression_source(inner, src),
                _ => BindingSource::Other,
            }
        }
        _ => BindingSource::Other,
    }
}

/// `MixpanelAPI.getInstance`, `Analytics.with`: a call's callee as written, when short.
fn callee_text(call: Node, src: &str) -> Option<String> {
    let name = text(call.field(Field::Name)?, src);
    let text = match call.field(Field::Object) {
        Some(object) if matches!(object.kind(), "identifier" | "field_access" | "this") => {
            if object.byte_range().len() > MAX_CALLEE_TEXT {
                return None;
            }
            format!("{}.{name}", super::compact_text(object, src))
        }
        Some(_) => return None,
        None => name.to_string(),
    };
    Some(text)
}

fn record_call(w: &mut Walk, node: Node) {
    let Some(method) = node.field(Field::Name) else { return };
    record_local_put(w, node, method);
    let method = text(method, w.src).to_string();
    if !w.options.keeps(&method) {
        return;
    }
    let (mut callee, root) = match node.field(Field::Object) {
        None => (Vec::new(), None),
        Some(object) => match chain(object, w.src) {
            Some(found) => found,
            None => return,
        },
    };
    callee.push(method);
    let args = arguments(node, w.src, 0);
    w.push_site(callee, root, args, span_of(node));
}

/// `bundle.putString("k", v)` on a local that holds a property container (`Bundle bundle = new
/// Bundle();`): the entry is the container's.
fn record_local_put(w: &mut Walk, node: Node, method: Node) {
    let method_text = text(method, w.src);
    if w.current_scope() == 0 || !method_text.starts_with("put") {
        return;
    }
    let Some(receiver) = node.field(Field::Object).filter(|o| o.kind() == "identifier") else { return };
    let src = w.src;
    w.set_local_entry(text(receiver, src), || {
        super::jvm_put_entry(method_text, &arguments(node, src, 0), span_of(method), src).flatten()
    });
}

/// The receiver's segments (`this.mixpanel`, `mixpanel.getPeople()` as `mixpanel.people`), and
/// how it starts when that is a call (`MixpanelAPI.getInstance(c, t).track`) or a construction.
fn chain(node: Node, src: &str) -> Option<(Vec<String>, Option<Receiver>)> {
    let mut segments = Vec::new();
    let mut current = node;
    let mut root = None;
    for _ in 0..MAX_VALUE_DEPTH {
        match current.kind() {
            "identifier" => {
                segments.push(text(current, src).to_string());
                break;
            }
            "this" => {
                segments.push("this".to_string());
                break;
            }
            "field_access" => {
                segments.push(text(current.field(Field::Field)?, src).to_string());
                current = current.field(Field::Object)?;
            }
            "parenthesized_expression" => current = current.named_child(0)?,
            "method_invocation" => {
                let name = text(current.field(Field::Name)?, src);
                let no_args = current.field(Field::Arguments).is_some_and(|a| a.named_child_count() == 0);
                // `getPeople()`: the property `people`.
                if let Some(property) = name
                    .strip_prefix("get")
                    .filter(|p| no_args && p.starts_with(|c: char| c.is_ascii_uppercase()))
                    && let Some(object) = current.field(Field::Object)
                {
                    segments.push(lower_first(property));
                    current = object;
                    continue;
                }
                root = Some(Receiver::Constructor(callee_text(current, src)?));
                break;
            }
            "object_creation_expression" => {
                let ty = type_name(current.field(Field::Type)?, src)?;
                root = Some(Receiver::Constructor(format!("new {ty}")));
                break;
            }
            _ => return None,
        }
    }
    segments.reverse();
    Some((segments, root))
}

fn arguments(call: Node, src: &str, depth: usize) -> Vec<Arg> {
    if depth > MAX_VALUE_DEPTH {
        return Vec::new();
    }
    call.field(Field::Arguments)
        .map(named_children)
        .unwrap_or_default()
        .into_iter()
        .map(|a| Arg { keyword: None, value: value(a, src, depth + 1) })
        .collect()
}

pub fn value(node: Node, src: &str, depth: usize) -> Value {
    let span = span_of(node);
    if depth > MAX_VALUE_DEPTH {
        return Value::new(ValueKind::Unknown(short_text(node, src)), span);
    }
    let kind = match node.kind() {
        "string_literal" => string(node, src),
        "true" => ValueKind::Bool(true),
        "false" => ValueKind::Bool(false),
        "null_literal" => ValueKind::Null,
        "decimal_integer_literal"
        | "hex_integer_literal"
        | "octal_integer_literal"
        | "binary_integer_literal"
        | "decimal_floating_point_literal"
        | "hex_floating_point_literal" => ValueKind::Number(text(node, src).to_string()),
        "parenthesized_expression" => match node.named_child(0) {
            Some(inner) => return value(inner, src, depth + 1),
            None => ValueKind::Unknown(short_text(node, src)),
        },
        "ternary_expression" => ValueKind::OneOf(
            [Field::Consequence, Field::Alternative]
                .into_iter()
                .filter_map(|f| node.field(f))
                .map(|n| value(n, src, depth + 1))
                .collect(),
        ),
        "binary_expression" => match (
            node.field(Field::Operator).map(|o| o.kind()),
            node.field(Field::Left),
            node.field(Field::Right),
        ) {
            (Some("+"), Some(l), Some(r)) => {
                crate::frontend::literal::join_template(value(l, src, depth + 1), value(r, src, depth + 1))
                    .unwrap_or_else(|| ValueKind::Unknown(short_text(node, src)))
            }
            _ => ValueKind::Unknown(short_text(node, src)),
        },
        "object_creation_expression" | "method_invocation" => match container(node, src, depth) {
            Some(obj) => ValueKind::Object(obj),
            None => {
                let callee = match node.kind() {
                    "method_invocation" => callee_text(node, src).unwrap_or_else(|| short_text(node, src)),
                    _ => format!(
                        "new {}",
                        node.field(Field::Type).map(|t| short_text(t, src)).unwrap_or_default()
                    ),
                };
                let args = arguments(node, src, depth);
                ValueKind::Call { callee, args: args.into_iter().map(|a| a.value).collect() }
            }
        },
        _ => match path(node, src) {
            Some(p) => ValueKind::Path(p),
            None => ValueKind::Unknown(short_text(node, src)),
        },
    };
    Value::new(kind, span)
}

/// `"Signed Up"` with escapes decoded.
fn string(node: Node, src: &str) -> ValueKind {
    let mut out = String::new();
    for child in named_children(node) {
        match child.kind() {
            "string_fragment" | "multiline_string_fragment" => out.push_str(text(child, src)),
            "escape_sequence" => out.push_str(&unescape(text(child, src))),
            // A string template (a preview feature): not static text.
            _ => return ValueKind::Unknown(short_text(node, src)),
        }
    }
    ValueKind::Str(out)
}

/// `new JSONObject()`, `new HashMap<>()`, `new Properties().putValue("k", v)`,
/// `new JSONObject().put("k", v)`: property containers as objects.
fn container(node: Node, src: &str, depth: usize) -> Option<Object> {
    if depth > MAX_VALUE_DEPTH {
        return None;
    }
    match node.kind() {
        "object_creation_expression" => {
            let ty = node.field(Field::Type)?;
            let ty = match ty.kind() {
                "generic_type" => ty.named_child(0)?,
                _ => ty,
            };
            let known = matches!(
                text(ty, src),
                "JSONObject" | "HashMap" | "LinkedHashMap" | "Properties" | "Traits" | "Bundle"
            );
            let empty = node.field(Field::Arguments).is_some_and(|a| a.named_child_count() == 0);
            (known && empty).then(Object::default)
        }
        "method_invocation" => {
            let object = node.field(Field::Object)?;
            if !matches!(object.kind(), "object_creation_expression" | "method_invocation") {
                return None;
            }
            let method = text(node.field(Field::Name)?, src);
            let mut obj = container(object, src, depth + 1)?;
            let args = arguments(node, src, depth);
            match super::jvm_put_entry(method, &args, span_of(node.field(Field::Name)?), src)? {
                Some(entry) => obj.entries.push(entry),
                None => obj.has_spread = true,
            }
            Some(obj)
        }
        _ => None,
    }
}

/// `user.email`, `this.user.id`, `user.getEmail()` (a getter is its property).
fn path(node: Node, src: &str) -> Option<Path> {
    let mut segments = Vec::new();
    let mut current = node;
    for _ in 0..MAX_VALUE_DEPTH {
        match current.kind() {
            "identifier" => segments.push(text(current, src).to_string()),
            "this" => segments.push("this".to_string()),
            "field_access" => {
                segments.push(text(current.field(Field::Field)?, src).to_string());
                current = current.field(Field::Object)?;
                continue;
            }
            "method_invocation" => {
                let name = text(current.field(Field::Name)?, src);
                let no_args = current.field(Field::Arguments).is_some_and(|a| a.named_child_count() == 0);
                let property = name
                    .strip_prefix("get")
                    .filter(|p| no_args && p.starts_with(|c: char| c.is_ascii_uppercase()))?;
                segments.push(lower_first(property));
                current = current.field(Field::Object)?;
                continue;
            }
            _ => return None,
        }
        segments.reverse();
        return Some(Path { segments, text: short_text(node, src) });
    }
    None
}
