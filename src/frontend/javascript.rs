//! JavaScript and TypeScript front-end (tree-sitter-javascript, tree-sitter-typescript).

use super::literal::{join_template, unescape};
use super::{
    ExtractOptions, Field, FileFacts, MAX_VALUE_DEPTH, NodeFields, Walk, ancestor, named_children,
    short_text, span_of, text,
};
use crate::model::{
    Annotated, Arg, BindingSource, CallSite, Entry, Export, ModuleMember, Object, Path, Receiver, Template,
    TypeShape, Value, ValueKind,
};
use tree_sitter::{Node, Tree};

/// Methods that call their function argument once per element.
const LOOP_METHODS: &[&str] = &["forEach", "map", "flatMap", "each", "reduce", "filter", "some", "every"];

/// Global objects that are dropped from receiver chains: `window.mixpanel` is `mixpanel`.
const GLOBALS: &[&str] = &["window", "globalThis", "self", "global"];

pub fn extract(tree: &Tree, src: &str, options: &ExtractOptions) -> FileFacts {
    let mut walk = Walk::new(src, options);
    walk.run(tree, enter);
    walk.facts
}

fn enter(w: &mut Walk, node: Node, ancestors: &[Node]) {
    match node.kind() {
        "function_declaration"
        | "generator_function_declaration"
        | "function_expression"
        | "function"
        | "generator_function"
        | "arrow_function"
        | "method_definition" => {
            match function_name(node, ancestors, w.src) {
                Some(name) => {
                    // `function getClient() { .. return client; }` at the top of a module:
                    // calling it gives what it returns last (a lazily built SDK client).
                    if node.kind() == "function_declaration"
                        && w.current_scope() == 0
                        && let Some(returned) = crate::frontend::returned_value(node, w.src)
                    {
                        w.bind(name.clone(), expression_source(returned, w.src), false, true);
                    }
                    let params = parameters(node, w.src);
                    let at = node.field(Field::Name).map_or_else(
                        || crate::model::Span::new(node.start_byte(), node.start_byte()),
                        span_of,
                    );
                    let line = node.field(Field::Name).unwrap_or(node).start_position().row + 1;
                    w.define_function(node.id(), name, params, at, line);
                    if let Some(owner) = assigned_owner(ancestors, w.src)
                        && let Some(f) = w.facts.functions.last_mut()
                    {
                        f.owner = Some(owner);
                    }
                }
                None => w.push_scope(node, None),
            }
            bind_typed_parameters(w, node, ancestors);
            if let Some((method, iterable)) = callback_loop(ancestors, w.src) {
                w.push_loop(node, &method, iterable);
            }
            if route_callback(ancestors, w.src) {
                w.push_request(node);
            }
        }
        "return_statement" => w.returned(crate::frontend::Returned::of(node.named_child(0), w.src, value)),
        // `private client: PostHog;`: the field holds an instance of the type.
        // `private readonly client = new Analytics(..)` (a NestJS service, an Angular one):
        // what it is initialised with, seen by every method as `this.client`.
        "public_field_definition" | "field_definition" => {
            let name = node.field(Field::Name).or_else(|| node.field(Field::Property));
            if let Some(name) = name {
                let source = match (declared_type(node, w.src), node.field(Field::Value)) {
                    (Some(ty), _) => Some(BindingSource::Typed(ty)),
                    (None, Some(value)) if !is_function_node(value) => Some(expression_source(value, w.src)),
                    _ => None,
                };
                if let Some(source) = source {
                    w.bind(text(name, w.src).to_string(), source, false, false);
                }
            }
        }
        // `enum Events { SignedUp = 'Signed Up' }`: `Events.SignedUp` holds the name.
        "enum_declaration" => {
            if let (Some(name), Some(body)) = (node.field(Field::Name), node.field(Field::Body)) {
                let name = text(name, w.src).to_string();
                for member in named_children(body).into_iter().filter(|m| m.kind() == "enum_assignment") {
                    if let (Some(key), Some(v)) = (member.field(Field::Name), member.field(Field::Value))
                        && let v = value(v, w.src, 0)
                        && matches!(v.kind, ValueKind::Str(_))
                    {
                        let key = text(key, w.src).trim_matches(['\'', '"']).to_string();
                        w.facts.constants.push((format!("{name}.{key}"), v));
                    }
                }
            }
        }
        // `interface CheckoutProps { total: number }`, `type Plan = 'free' | 'pro'`: what the
        // inventory reports as the type of a property declared with them.
        "interface_declaration" | "type_alias_declaration" => record_type_decl(w, node),
        "class_declaration" | "class" | "abstract_class_declaration" => {
            if let Some(name) = node.field(Field::Name) {
                w.push_owner(node, text(name, w.src).to_string());
            }
        }
        // An object literal's methods are members of what it is bound to or exported as.
        "object" => {
            if let Some(owner) = object_owner(ancestors, w.src) {
                w.push_owner(node, owner);
            }
        }
        "for_in_statement" => {
            let iterable = node.field(Field::Right).map(|r| short_text(r, w.src)).unwrap_or_default();
            let method = if node.field(Field::Operator).is_some_and(|o| text(o, w.src) == "in") {
                "for-in"
            } else {
                "for-of"
            };
            w.push_loop(node, method, iterable);
        }
        "for_statement" => w.push_loop(node, "for", String::new()),
        "while_statement" | "do_statement" => w.push_loop(node, "while", String::new()),
        // `switch (action) { case 'track': .. }`: the case runs for that value. One reached by
        // falling through an empty case above (`case 'a': case 'b':`) is narrowed to its own
        // value: a call site passing `'a'` is missed, never given the wrong call.
        "switch_case" => {
            let subject = ancestor(ancestors, 2)
                .filter(|s| s.kind() == "switch_statement")
                .and_then(|s| s.field(Field::Value))
                .and_then(|v| named_children(v).first().copied())
                .filter(|v| v.kind() == "identifier");
            if let (Some(subject), Some(value)) = (subject, node.field(Field::Value))
                && let Some(value) = crate::frontend::guard_literal(value, w.src)
            {
                w.push_guard(node, text(subject, w.src).to_string(), vec![value]);
            }
        }
        // `if (action === 'track') { .. }`: the branch taken when it holds.
        "statement_block" | "expression_statement" => {
            if let Some(parent) = ancestor(ancestors, 1).filter(|p| p.kind() == "if_statement")
                && let Some((name, value)) = crate::frontend::guarded_branch(node, parent, w.src)
            {
                w.push_guard(node, name, vec![value]);
            }
        }
        "variable_declarator" => {
            if let Some(name) = node.field(Field::Name) {
                record_annotated(w, name, node);
            }
            match (node.field(Field::Name), node.field(Field::Value)) {
                (Some(name), Some(value)) => record_declarator(w, ancestors, name, value),
                // `let segment;`: declared here, assigned elsewhere. `declare const analytics: ..`
                // defines nothing: it types a global some script provides (a vendor's snippet).
                (Some(name), None)
                    if name.kind() == "identifier"
                        && !ancestors.iter().any(|a| a.kind() == "ambient_declaration") =>
                {
                    w.bind(text(name, w.src).to_string(), BindingSource::Other, false, true)
                }
                _ => {}
            }
        }
        "assignment_expression" => record_assignment(w, node, ancestors),
        "import_statement" => record_import(w, node),
        "export_statement" => record_export(w, node),
        "call_expression" => record_call(w, node),
        "new_expression" => record_new(w, node),
        _ => {}
    }
}

fn function_name(node: Node, ancestors: &[Node], src: &str) -> Option<String> {
    if let Some(name) = node.field(Field::Name) {
        return Some(text(name, src).to_string());
    }
    // `const handler = () => ...`, `handler: function () {}`
    let mut parent = ancestor(ancestors, 1)?;
    let mut up = 1;
    // `const track = useCallback((event) => ..., [])`: the callback is the function named.
    if parent.kind() == "arguments"
        && let Some(call) = ancestor(ancestors, 2).filter(|c| c.kind() == "call_expression")
        && call
            .field(Field::Function)
            .is_some_and(|f| matches!(text(f, src), "useCallback" | "React.useCallback"))
        && named_children(parent).first().is_some_and(|first| first.id() == node.id())
    {
        parent = ancestor(ancestors, 3)?;
        up = 3;
    }
    match parent.kind() {
        "variable_declarator" => parent.field(Field::Name).map(|n| text(n, src).to_string()),
        "pair" => parent.field(Field::Key).map(|n| text(n, src).to_string()),
        "export_statement" => Some("default".to_string()),
        // `const useTrack = () => useCallback((e) => track(e), [])`: the function `useTrack`
        // returns, named `useTrack()`.
        "arrow_function" | "return_statement" | "statement_block" => {
            returned_by(ancestors, up, src).map(|f| format!("{f}()"))
        }
        "assignment_expression" => {
            let left = parent.field(Field::Left)?;
            let left_text: String = super::compact_text(left, src);
            if left_text == "module.exports" {
                return Some("default".to_string());
            }
            let _ = up;
            left.field(Field::Property).map(|p| text(p, src).to_string())
        }
        _ => None,
    }
}

/// `analyticsService.logEvent = function (..) {..}`, `Tracker.prototype.track = function ..`: the
/// object a function is assigned onto is its owner (`analyticsService`, `Tracker`), so calls
/// through that object reach it. Not `exports.x` / `module.exports.x` (the module's own
/// functions) nor `this.x` / `window.x`.
fn assigned_owner(ancestors: &[Node], src: &str) -> Option<String> {
    let parent = ancestor(ancestors, 1).filter(|p| p.kind() == "assignment_expression")?;
    let left = parent.field(Field::Left).filter(|l| l.kind() == "member_expression")?;
    let mut object = left.field(Field::Object)?;
    // `Tracker.prototype.track`: a method of `Tracker`'s instances.
    if object.kind() == "member_expression"
        && object.field(Field::Property).is_some_and(|p| text(p, src) == "prototype")
    {
        object = object.field(Field::Object)?;
    }
    let name = text(object, src);
    (object.kind() == "identifier"
        && !matches!(name, "exports" | "module" | "window" | "globalThis" | "self"))
    .then(|| name.to_string())
}

/// The name of the function whose result is the function at `ancestors[len - up]`'s child: the
/// arrow body or `return` of a named function.
fn returned_by(ancestors: &[Node], up: usize, src: &str) -> Option<String> {
    let mut i = up;
    while let Some(node) = ancestor(ancestors, i) {
        match node.kind() {
            "return_statement" | "statement_block" | "parenthesized_expression" => i += 1,
            "arrow_function" | "function_expression" | "function_declaration" | "function" => {
                if let Some(name) = node.field(Field::Name) {
                    return Some(text(name, src).to_string());
                }
                let parent = ancestor(ancestors, i + 1)?;
                return match parent.kind() {
                    "variable_declarator" => parent.field(Field::Name).map(|n| text(n, src).to_string()),
                    _ => None,
                };
            }
            _ => return None,
        }
        if i > up + 4 {
            return None;
        }
    }
    None
}

/// `const analytics = { track() {} }`, `export default { .. }`, `module.exports = { .. }`: the
/// name an object literal's methods are reached through.
fn object_owner(ancestors: &[Node], src: &str) -> Option<String> {
    let mut parent = ancestor(ancestors, 1)?;
    let mut up = 1;
    while matches!(parent.kind(), "parenthesized_expression" | "as_expression" | "satisfies_expression") {
        up += 1;
        parent = ancestor(ancestors, up)?;
    }
    match parent.kind() {
        "variable_declarator" => {
            parent.field(Field::Name).filter(|n| n.kind() == "identifier").map(|n| text(n, src).to_string())
        }
        "export_statement" => Some("default".to_string()),
        "assignment_expression" => {
            let left: String = super::compact_text(parent.field(Field::Left)?, src);
            (left == "module.exports").then(|| "default".to_string())
        }
        // `return { track, identify }` from a hook or factory: members of what it returns.
        "return_statement" => Some("return".to_string()),
        // `Vue.mixin({ methods: { track() {} } })`, `app.mixin(..)`: every component's methods.
        "pair" => {
            let key = parent.field(Field::Key).map(|k| text(k, src))?;
            let call = ancestor(ancestors, up + 3).filter(|c| c.kind() == "call_expression")?;
            let global = key == "methods"
                && ancestor(ancestors, up + 2).is_some_and(|a| a.kind() == "arguments")
                && call.field(Field::Function).is_some_and(|f| text(f, src).ends_with(".mixin"));
            global.then(|| GLOBAL_MIXIN.to_string())
        }
        _ => None,
    }
}

/// The owner of a global mixin's methods (`Vue.mixin({ methods: { .. } })`): any component
/// calls them as its own (`this.track(..)`, `track(..)` in its template).
pub const GLOBAL_MIXIN: &str = "Vue.mixin";

/// A function's parameters: positional, with defaults, destructured objects (each key), rest.
fn parameters(function: Node, src: &str) -> Vec<crate::model::Param> {
    use crate::model::{Param, ParamKind};
    let mut params = Vec::new();
    // `x => ...` has one parameter and no list.
    if let Some(single) = function.child_by_field_name("parameter") {
        params.push(Param { name: text(single, src).to_string(), kind: ParamKind::Positional(1) });
        return params;
    }
    let Some(list) = function.field(Field::Parameters) else { return params };
    for (i, p) in named_children(list).into_iter().enumerate() {
        let position = i + 1;
        // TypeScript wraps each in `required_parameter` / `optional_parameter`.
        let mut pattern = match p.kind() {
            "required_parameter" | "optional_parameter" => match p.child_by_field_name("pattern") {
                Some(pattern) => pattern,
                None => continue,
            },
            _ => p,
        };
        if pattern.kind() == "assignment_pattern" {
            match pattern.field(Field::Left) {
                Some(left) => pattern = left,
                None => continue,
            }
        }
        match pattern.kind() {
            "identifier" => params
                .push(Param { name: text(pattern, src).to_string(), kind: ParamKind::Positional(position) }),
            "this" => {}
            "rest_pattern" => {
                if let Some(id) = named_children(pattern).into_iter().find(|c| c.kind() == "identifier") {
                    params.push(Param { name: text(id, src).to_string(), kind: ParamKind::Rest });
                }
            }
            "object_pattern" => {
                for prop in named_children(pattern) {
                    let (key, local) = match prop.kind() {
                        "shorthand_property_identifier_pattern" => (text(prop, src), text(prop, src)),
                        "object_assignment_pattern" => match prop.field(Field::Left) {
                            Some(l) => (text(l, src), text(l, src)),
                            None => continue,
                        },
                        "pair_pattern" => match (prop.field(Field::Key), prop.field(Field::Value)) {
                            (Some(k), Some(v)) => {
                                let v = if v.kind() == "assignment_pattern" {
                                    v.field(Field::Left).unwrap_or(v)
                                } else {
                                    v
                                };
                                (text(k, src), text(v, src))
                            }
                            _ => continue,
                        },
                        _ => continue,
                    };
                    params.push(Param {
                        name: local.to_string(),
                        kind: ParamKind::Field { position, key: key.to_string() },
                    });
                }
            }
            _ => {}
        }
    }
    params
}

/// `users.forEach(u => ...)`: the method and the collection, when the function is such a callback.
/// A function passed to `app.get('/path', ...)`, `router.post(...)`, `fastify.put(...)`: a route
/// handler (the route is a string starting with `/`).
fn route_callback(ancestors: &[Node], src: &str) -> bool {
    let Some(args) = ancestor(ancestors, 1).filter(|p| p.kind() == "arguments") else { return false };
    let Some(call) = ancestor(ancestors, 2).filter(|p| p.kind() == "call_expression") else { return false };
    let Some(method) = call
        .field(Field::Function)
        .filter(|f| f.kind() == "member_expression")
        .and_then(|f| f.field(Field::Property))
        .map(|p| text(p, src))
    else {
        return false;
    };
    if !matches!(
        method,
        "get" | "post" | "put" | "patch" | "delete" | "del" | "all" | "use" | "route" | "options" | "head"
    ) {
        return false;
    }
    named_children(args)
        .first()
        .is_some_and(|first| matches!(value(*first, src, MAX_VALUE_DEPTH).kind, ValueKind::Str(ref s) if s.starts_with('/')))
}

fn callback_loop(ancestors: &[Node], src: &str) -> Option<(String, String)> {
    ancestor(ancestors, 1).filter(|p| p.kind() == "arguments")?;
    let call = ancestor(ancestors, 2).filter(|p| p.kind() == "call_expression")?;
    let callee = call.field(Field::Function).filter(|f| f.kind() == "member_expression")?;
    let method = text(callee.field(Field::Property)?, src);
    if !LOOP_METHODS.contains(&method) {
        return None;
    }
    let object = callee.field(Field::Object)?;
    Some((method.to_string(), short_text(object, src)))
}

/// `x || []`, `window.x || {}`: the value is the global `name` itself, or a stub for it.
fn keeps_global(name: &str, value: Node, src: &str) -> bool {
    value.kind() == "binary_expression"
        && value.field(Field::Operator).is_some_and(|o| text(o, src) == "||")
        && value.field(Field::Left).is_some_and(|l| {
            let left = text(l, src);
            left == name || left.strip_prefix("window.") == Some(name)
        })
        && value.field(Field::Right).is_some_and(|r| matches!(r.kind(), "array" | "object"))
}

/// `ancestors` are the declarator's: its declaration, then maybe an `export` statement.
fn record_declarator(w: &mut Walk, ancestors: &[Node], name: Node, value: Node) {
    let exported = ancestor(ancestors, 2).is_some_and(|p| p.kind() == "export_statement");
    match name.kind() {
        "identifier" => {
            let name = text(name, w.src).to_string();
            // `var analytics = analytics || [];` (a vendor's older page snippet): the page's
            // global, or its stub until the script loads; not another value.
            if keeps_global(&name, value, w.src) {
                return;
            }
            // `const getClient = () => new PostHog(key)` at the top of a module: calling it
            // gives what it returns, as for a `function` declaration.
            let returned = (matches!(value.kind(), "arrow_function" | "function_expression" | "function")
                && w.current_scope() == 0)
                .then(|| crate::frontend::returned_value(value, w.src))
                .flatten();
            let source = expression_source(returned.unwrap_or(value), w.src);
            record_constant(w, &name, value);
            if !is_function_node(value) {
                let src = w.src;
                let declarations = ["lexical_declaration", "variable_declaration"];
                let block = super::statement_block(ancestors, &declarations, STATEMENT_LISTS);
                w.local_value_in(&name, block, || self::value(value, src, 0));
            }
            if exported {
                w.facts
                    .exports
                    .push(Export { name: name.clone(), source: BindingSource::Alias(name.clone()) });
            }
            w.bind(name, source, exported, true);
        }
        // `const { people } = require('mixpanel-browser')`, `const { init } = ...`
        "object_pattern" => {
            let source = expression_source(value, w.src);
            for prop in named_children(name) {
                let (key, local) = match prop.kind() {
                    "shorthand_property_identifier_pattern" => {
                        let t = text(prop, w.src);
                        (t, t)
                    }
                    "pair_pattern" => match (prop.field(Field::Key), prop.field(Field::Value)) {
                        (Some(k), Some(v)) if v.kind() == "identifier" => (text(k, w.src), text(v, w.src)),
                        _ => continue,
                    },
                    _ => continue,
                };
                let member_source = match &source {
                    BindingSource::Module { module, member: ModuleMember::Default } => {
                        BindingSource::Module {
                            module: module.clone(),
                            member: ModuleMember::Named(key.to_string()),
                        }
                    }
                    // `const { track } = useAnalytics()`: a member of what a function returns.
                    BindingSource::Constructor(callee) => {
                        BindingSource::CallMember { callee: callee.clone(), member: key.to_string() }
                    }
                    _ => BindingSource::Other,
                };
                w.bind(local.to_string(), member_source, false, true);
            }
        }
        _ => {}
    }
}

/// The class a type annotation names (`: PostHog`, `: Analytics | null`), without generics;
/// `None` for anything else (a union of two classes, a function type, a primitive).
fn declared_type(node: Node, src: &str) -> Option<String> {
    let annotation = node.child_by_field_name("type")?;
    let mut ty = named_children(annotation).into_iter().next()?;
    if ty.kind() == "union_type" {
        let named: Vec<Node> = named_children(ty)
            .into_iter()
            .filter(|t| !matches!(text(*t, src), "null" | "undefined") && t.kind() != "literal_type")
            .collect();
        let [only] = named.as_slice() else { return None };
        ty = *only;
    }
    if ty.kind() == "generic_type" {
        ty = ty.field(Field::Name)?;
    }
    matches!(ty.kind(), "type_identifier" | "nested_type_identifier").then(|| text(ty, src).to_string())
}

/// A name declared with a type (`props: CheckoutProps`, `const total: number = ..`), in the
/// current scope; `declaration` is the node whose `type` field holds the annotation.
fn record_annotated(w: &mut Walk, name: Node, declaration: Node) {
    if name.kind() != "identifier" {
        return;
    }
    let Some(annotation) = declaration.child_by_field_name("type") else { return };
    let shape = type_shape(annotation, w.src, 0);
    if shape != TypeShape::Unknown {
        let scope = w.current_scope();
        w.facts.annotated.push(Annotated { name: text(name, w.src).to_string(), scope, shape });
    }
}

/// `interface X extends Base { .. }` and `type X = ..`, by name.
fn record_type_decl(w: &mut Walk, node: Node) {
    let (Some(name), Some(body)) =
        (node.field(Field::Name), node.field(Field::Body).or_else(|| node.field(Field::Value)))
    else {
        return;
    };
    let mut shape = type_shape(body, w.src, 0);
    if node.kind() == "interface_declaration" {
        let bases: Vec<TypeShape> = named_children(node)
            .into_iter()
            .filter(|c| c.kind() == "extends_type_clause")
            .flat_map(named_children)
            .map(|base| type_shape(base, w.src, 0))
            .collect();
        if !bases.is_empty() {
            shape = TypeShape::AllOf(bases.into_iter().chain(std::iter::once(shape)).collect());
        }
    }
    w.facts.type_decls.push((text(name, w.src).to_string(), shape));
}

/// A TypeScript type as a shape: primitives, object types with their fields, arrays, unions,
/// intersections, and names left to resolve against the file's declarations.
fn type_shape(ty: Node, src: &str, depth: usize) -> TypeShape {
    if depth > MAX_TYPE_DEPTH {
        return TypeShape::Unknown;
    }
    let inner = |n: Node| {
        named_children(n).into_iter().next().map_or(TypeShape::Unknown, |t| type_shape(t, src, depth + 1))
    };
    match ty.kind() {
        "type_annotation" | "parenthesized_type" | "readonly_type" | "opting_type_annotation" => inner(ty),
        "predefined_type" => match text(ty, src) {
            "string" => TypeShape::String,
            "number" | "bigint" => TypeShape::Number,
            "boolean" => TypeShape::Boolean,
            "null" | "undefined" | "void" => TypeShape::Null,
            _ => TypeShape::Unknown,
        },
        "literal_type" => match named_children(ty).first().map(|c| c.kind()) {
            Some("string") => TypeShape::String,
            Some("number" | "unary_expression") => TypeShape::Number,
            Some("true" | "false") => TypeShape::Boolean,
            Some("null" | "undefined") => TypeShape::Null,
            _ => TypeShape::Unknown,
        },
        "template_literal_type" => TypeShape::String,
        "type_identifier" => match text(ty, src) {
            "String" => TypeShape::String,
            "Number" => TypeShape::Number,
            "Boolean" => TypeShape::Boolean,
            name => TypeShape::Named(name.to_string()),
        },
        "generic_type" => {
            let name = ty.field(Field::Name).map(|n| text(n, src)).unwrap_or_default();
            let first = named_children(ty).into_iter().find(|c| c.kind() == "type_arguments").map(&inner);
            match (name, first) {
                ("Array" | "ReadonlyArray", Some(item)) => TypeShape::Array(Box::new(item)),
                ("Partial" | "Readonly" | "Required", Some(of)) => of,
                ("Record", _) => TypeShape::Object(Vec::new()),
                _ => TypeShape::Unknown,
            }
        }
        "array_type" => TypeShape::Array(Box::new(inner(ty))),
        // `a | b | c` nests: one flat list of distinct options.
        "union_type" => {
            TypeShape::choice(named_children(ty).into_iter().map(|t| type_shape(t, src, depth + 1)))
        }
        "intersection_type" => {
            TypeShape::AllOf(named_children(ty).into_iter().map(|t| type_shape(t, src, depth + 1)).collect())
        }
        "object_type" | "interface_body" => TypeShape::Object(
            named_children(ty)
                .into_iter()
                .filter(|m| m.kind() == "property_signature")
                .filter_map(|m| {
                    let name = m.field(Field::Name)?;
                    let key = text(name, src).trim_matches(['\'', '"']).to_string();
                    let shape = m
                        .child_by_field_name("type")
                        .map_or(TypeShape::Unknown, |t| type_shape(t, src, depth + 1));
                    Some((key, shape))
                })
                .collect(),
        ),
        _ => TypeShape::Unknown,
    }
}

/// How deep a written type is read (types nest without end only in hostile files).
const MAX_TYPE_DEPTH: usize = 24;

/// Typed parameters hold an instance of their type (`send(client: PostHog)`); a constructor's
/// parameter property (`constructor(private client: PostHog)`) is also a field every method
/// reads as `this.client`. The `loaded` callback of an SDK's `init` receives the client
/// (`posthog.init(key, { loaded: (ph) => ph.capture(..) })`).
fn bind_typed_parameters(w: &mut Walk, function: Node, ancestors: &[Node]) {
    if let Some(list) = function.field(Field::Parameters) {
        for p in named_children(list) {
            if !matches!(p.kind(), "required_parameter" | "optional_parameter") {
                continue;
            }
            let Some(pattern) = p.child_by_field_name("pattern").filter(|n| n.kind() == "identifier") else {
                continue;
            };
            record_annotated(w, pattern, p);
            let Some(ty) = declared_type(p, w.src) else { continue };
            let name = text(pattern, w.src).to_string();
            let source = BindingSource::Typed(ty);
            let field = named_children(p).into_iter().any(|c| c.kind() == "accessibility_modifier")
                || (0..p.child_count()).filter_map(|i| p.child(i)).any(|c| c.kind() == "readonly");
            if field {
                w.bind(name.clone(), source.clone(), false, false);
            }
            w.bind(name, source, false, true);
        }
    }
    // `{ loaded: (ph) => .. }` as an argument of `x.init(..)`: `ph` is `x`.
    let [.., call, arguments, object, pair] = ancestors else { return };
    if pair.kind() == "pair"
        && pair.field(Field::Key).is_some_and(|k| text(k, w.src) == "loaded")
        && object.kind() == "object"
        && arguments.kind() == "arguments"
        && call.kind() == "call_expression"
        && let Some(callee) = call.field(Field::Function).filter(|f| f.kind() == "member_expression")
        && callee.field(Field::Property).is_some_and(|m| text(m, w.src) == "init")
        && let Some(client) = callee.field(Field::Object).filter(|o| o.kind() == "identifier")
    {
        let first = function
            .child_by_field_name("parameter")
            .or_else(|| function.field(Field::Parameters).and_then(|l| named_children(l).into_iter().next()));
        let first =
            first.map(|p| p.child_by_field_name("pattern").unwrap_or(p)).filter(|p| p.kind() == "identifier");
        if let Some(param) = first {
            w.bind(
                text(param, w.src).to_string(),
                BindingSource::Alias(text(client, w.src).to_string()),
                false,
                true,
            );
        }
    }
}

/// `const SIGNED_UP = 'Signed Up'`, `const EVENTS = { SIGNED_UP: 'Signed Up' } as const`.
fn record_constant(w: &mut Walk, name: &str, value_node: Node) {
    let v = value(value_node, w.src, 0);
    match v.kind {
        ValueKind::Object(obj) => {
            for entry in obj.entries {
                if let ValueKind::Str(_) = entry.value.kind {
                    w.facts.constants.push((format!("{name}.{}", entry.key), entry.value));
                }
            }
        }
        _ if super::is_constant_name(name) && super::is_constant_value(&v) => {
            w.facts.constants.push((name.to_string(), v))
        }
        _ => {}
    }
}

/// Nodes whose children are statements run in order (a block, a module).
const STATEMENT_LISTS: &[&str] = &["statement_block", "program"];

fn record_assignment(w: &mut Walk, node: Node, ancestors: &[Node]) {
    let (Some(left), Some(right)) = (node.field(Field::Left), node.field(Field::Right)) else {
        return;
    };
    let left_text: String = super::compact_text(left, w.src);
    let source = expression_source(right, w.src);
    // CommonJS exports.
    if left_text == "module.exports" {
        w.facts.exports.push(Export { name: "default".into(), source: source.clone() });
        if let Some(obj) = unwrap(right).filter(|r| r.kind() == "object") {
            export_object_members(w, obj);
        }
        return;
    }
    if let Some(name) =
        left_text.strip_prefix("module.exports.").or_else(|| left_text.strip_prefix("exports."))
    {
        w.facts.exports.push(Export { name: name.to_string(), source });
        return;
    }
    let name = match left.kind() {
        "identifier" => text(left, w.src),
        "member_expression" => match left.field(Field::Property) {
            Some(p) => text(p, w.src),
            None => return,
        },
        _ => return,
    };
    // The SDK's own loader stub (`window.mixpanel = b` in the snippet) puts the real client
    // on the page: a global set from a plain name is not a different object.
    if left.kind() == "member_expression"
        && left
            .field(Field::Object)
            .is_some_and(|o| matches!(text(o, w.src), "window" | "globalThis" | "self" | "global"))
        && matches!(right.kind(), "identifier" | "binary_expression" | "array")
    {
        return;
    }
    // `this.mixpanel = ...` is seen by every method; `mp = ...` where `mp` was declared.
    if left.kind() == "identifier" {
        if !is_function_node(right) {
            let src = w.src;
            // A statement of its block (not `c && (x = 1)`): what its later statements see.
            let block = super::statement_block(ancestors, &["expression_statement"], STATEMENT_LISTS);
            w.local_value_in(name, block, || value(right, src, 0));
        }
        w.assign(name.to_string(), source);
    } else {
        w.bind(name.to_string(), source, false, false);
    }
}

fn is_function_node(node: Node) -> bool {
    matches!(
        node.kind(),
        "arrow_function" | "function_expression" | "function" | "generator_function" | "class"
    )
}

/// `module.exports = { mixpanel, track }`: each shorthand member is a named export.
fn export_object_members(w: &mut Walk, obj: Node) {
    for member in named_children(obj) {
        match member.kind() {
            "shorthand_property_identifier" => {
                let name = text(member, w.src).to_string();
                w.facts.exports.push(Export { name: name.clone(), source: BindingSource::Alias(name) });
            }
            "pair" => {
                if let (Some(k), Some(v)) = (member.field(Field::Key), member.field(Field::Value)) {
                    let source = expression_source(v, w.src);
                    w.facts.exports.push(Export { name: text(k, w.src).to_string(), source });
                }
            }
            _ => {}
        }
    }
}

fn record_import(w: &mut Walk, node: Node) {
    let Some(source) = node.field(Field::Source) else { return };
    let module = string_literal(source, w.src).unwrap_or_default();
    for child in named_children(node) {
        if child.kind() != "import_clause" {
            continue;
        }
        for part in named_children(child) {
            match part.kind() {
                "identifier" => w.bind(
                    text(part, w.src).to_string(),
                    BindingSource::Module { module: module.clone(), member: ModuleMember::Default },
                    false,
                    true,
                ),
                "namespace_import" => {
                    if let Some(id) = named_children(part).into_iter().find(|c| c.kind() == "identifier") {
                        let source =
                            BindingSource::Module { module: module.clone(), member: ModuleMember::Namespace };
                        w.bind(text(id, w.src).to_string(), source, false, true);
                    }
                }
                "named_imports" => {
                    for spec in named_children(part).into_iter().filter(|c| c.kind() == "import_specifier") {
                        let Some(imported) = spec.field(Field::Name) else { continue };
                        let local = spec.field(Field::Alias).unwrap_or(imported);
                        let imported = text(imported, w.src);
                        let member = if imported == "default" {
                            ModuleMember::Default
                        } else {
                            ModuleMember::Named(imported.to_string())
                        };
                        let source = BindingSource::Module { module: module.clone(), member };
                        w.bind(text(local, w.src).to_string(), source, false, true);
                    }
                }
                _ => {}
            }
        }
    }
}

fn record_export(w: &mut Walk, node: Node) {
    let is_default = (0..node.child_count()).filter_map(|i| node.child(i)).any(|c| c.kind() == "default");
    let declaration = node.field(Field::Declaration);
    // `export function track() {}`, `export default function track() {}`, `export class A {}`.
    if let Some(decl) = declaration
        && matches!(
            decl.kind(),
            "function_declaration"
                | "generator_function_declaration"
                | "class_declaration"
                | "abstract_class_declaration"
        )
        && let Some(name) = decl.field(Field::Name)
    {
        let name = text(name, w.src).to_string();
        let exported = if is_default { "default".to_string() } else { name.clone() };
        w.facts.exports.push(Export { name: exported, source: BindingSource::Alias(name) });
        return;
    }
    if is_default {
        if let Some(value) = node.field(Field::Value).or(declaration) {
            let source = expression_source(value, w.src);
            w.facts.exports.push(Export { name: "default".into(), source });
        }
        return;
    }
    // `export { mp, mp as default }`
    for clause in named_children(node).into_iter().filter(|c| c.kind() == "export_clause") {
        for spec in named_children(clause).into_iter().filter(|c| c.kind() == "export_specifier") {
            let Some(local) = spec.field(Field::Name) else { continue };
            let exported = spec.field(Field::Alias).unwrap_or(local);
            w.facts.exports.push(Export {
                name: text(exported, w.src).to_string(),
                source: BindingSource::Alias(text(local, w.src).to_string()),
            });
        }
    }
}

/// Looks through parentheses, `await`, type assertions and non-null assertions.
fn unwrap(node: Node) -> Option<Node> {
    let mut current = node;
    for _ in 0..MAX_VALUE_DEPTH {
        match current.kind() {
            "parenthesized_expression"
            | "await_expression"
            | "non_null_expression"
            | "as_expression"
            | "satisfies_expression"
            | "type_assertion" => {
                current = named_children(current).into_iter().find(|c| !is_type_node(c.kind()))?;
            }
            _ => return Some(current),
        }
    }
    None
}

fn is_type_node(kind: &str) -> bool {
    kind.ends_with("_type")
        || kind == "type_identifier"
        || kind == "type_arguments"
        || kind == "predefined_type"
}

fn expression_source(node: Node, src: &str) -> BindingSource {
    expression_source_at(node, src, 0)
}

/// Bounded: `a || (b || (c || ...))` thousands deep must not exhaust the stack.
fn expression_source_at(node: Node, src: &str, depth: usize) -> BindingSource {
    if depth > MAX_VALUE_DEPTH {
        return BindingSource::Other;
    }
    let Some(node) = unwrap(node) else { return BindingSource::Other };
    match node.kind() {
        "call_expression" => {
            if let Some(module) = require_module(node, src) {
                return BindingSource::Module { module, member: ModuleMember::Default };
            }
            let Some(function) = node.field(Field::Function) else { return BindingSource::Other };
            // `require('mixpanel').people`: a member of a module.
            BindingSource::Constructor(callee_text(function, src))
        }
        "new_expression" => match node.field(Field::Constructor) {
            // `new class AnalyticsService { .. }`: a singleton of the class written in place.
            Some(c) if c.kind() == "class" => match c.field(Field::Name) {
                Some(name) => BindingSource::Constructor(format!("new {}", text(name, src))),
                None => BindingSource::Other,
            },
            Some(c) => BindingSource::Constructor(format!("new {}", callee_text(c, src))),
            None => BindingSource::Other,
        },
        "member_expression" => {
            if let Some(object) = node.field(Field::Object).and_then(unwrap)
                && let Some(module) =
                    (object.kind() == "call_expression").then(|| require_module(object, src)).flatten()
                && let Some(prop) = node.field(Field::Property)
            {
                return BindingSource::Module {
                    module,
                    member: ModuleMember::Named(text(prop, src).to_string()),
                };
            }
            match node.field(Field::Property) {
                Some(p) => BindingSource::Alias(text(p, src).to_string()),
                None => BindingSource::Other,
            }
        }
        "identifier" => BindingSource::Alias(text(node, src).to_string()),
        "ternary_expression" => BindingSource::AnyOf(
            ["consequence", "alternative"]
                .into_iter()
                .filter_map(|f| node.child_by_field_name(f))
                .map(|n| expression_source_at(n, src, depth + 1))
                .collect(),
        ),
        "binary_expression"
            if node.field(Field::Operator).is_some_and(|o| matches!(text(o, src), "||" | "??")) =>
        {
            BindingSource::AnyOf(
                ["left", "right"]
                    .into_iter()
                    .filter_map(|f| node.child_by_field_name(f))
                    .map(|n| expression_source_at(n, src, depth + 1))
                    .collect(),
            )
        }
        _ => BindingSource::Other,
    }
}

/// `require('mixpanel')` → `mixpanel`.
fn require_module(call: Node, src: &str) -> Option<String> {
    let function = call.field(Field::Function)?;
    if function.kind() != "identifier" || text(function, src) != "require" {
        return None;
    }
    let args = call.field(Field::Arguments)?;
    let first = named_children(args).into_iter().next()?;
    string_literal(first, src)
}

fn string_literal(node: Node, src: &str) -> Option<String> {
    match value(node, src, 0).kind {
        ValueKind::Str(s) => Some(s),
        _ => None,
    }
}

/// A callee as text with module calls normalised: `require('mixpanel').init`, `Mixpanel.init`.
fn callee_text(node: Node, src: &str) -> String {
    // Iterative: a member chain in generated code can be thousands of links long.
    let mut props: Vec<&str> = Vec::new();
    let mut current = node;
    let root = loop {
        let Some(node) = unwrap(current) else { break String::new() };
        match node.kind() {
            "member_expression" => {
                props.push(node.field(Field::Property).map(|p| text(p, src)).unwrap_or(""));
                match node.field(Field::Object) {
                    Some(o) => current = o,
                    None => break String::new(),
                }
            }
            "call_expression" => match require_module(node, src) {
                Some(m) => break format!("require('{m}')"),
                None => break short_text(node, src),
            },
            "this" => break String::new(),
            "identifier" if GLOBALS.contains(&text(node, src)) => break String::new(),
            _ => break super::compact_text(node, src),
        }
    };
    let mut out = root;
    for prop in props.into_iter().rev() {
        if !out.is_empty() {
            out.push('.');
        }
        out.push_str(prop);
    }
    out
}

fn record_call(w: &mut Walk, node: Node) {
    let Some(function) = node.field(Field::Function).and_then(unwrap) else { return };
    let method: String = match function.kind() {
        "member_expression" => match function.field(Field::Property) {
            // Checked before anything is allocated: most calls are not tracking calls.
            Some(p) if w.options.keeps(text(p, w.src)) => text(p, w.src).to_string(),
            _ => return,
        },
        "identifier" if w.options.keeps(text(function, w.src)) => text(function, w.src).to_string(),
        // `mixpanel["track"](...)`
        "subscript_expression" => match function.field(Field::Index).and_then(|i| string_literal(i, w.src)) {
            Some(m) if w.options.keeps(m.as_str()) => m,
            _ => return,
        },
        _ => return,
    };
    let mut callee = Vec::new();
    let mut root = None;
    if function.kind() != "identifier" {
        let Some(object) = function.field(Field::Object) else { return };
        if !receiver_segments(object, w.src, &mut callee, &mut root) {
            return;
        }
        // `window.analytics.track(..)`: a page global, named as one.
        if let [name] = callee.as_slice()
            && text(object, w.src).strip_prefix("window.") == Some(name.as_str())
            && !w.facts.window_receivers.contains(name)
        {
            w.facts.window_receivers.push(name.clone());
        }
    }
    callee.push(method);
    let Some(args) = arguments(node, w.src) else { return };
    w.push_site(callee, root, args, span_of(node));
}

/// `new PostHog(key)`: a construction of a class whose name a profile's `[init]` reads.
fn record_new(w: &mut Walk, node: Node) {
    let Some(constructor) = node.field(Field::Constructor) else { return };
    let name = callee_text(constructor, w.src);
    let last = name.rsplit('.').next().unwrap_or(&name);
    if !w.options.keeps(last) {
        return;
    }
    let Some(args) = arguments(node, w.src) else { return };
    let root = Some(Receiver::Constructor(format!("new {name}")));
    let (scope, order, context) = w.position();
    w.facts.sites.push(CallSite {
        callee: Vec::new(),
        root,
        args,
        span: span_of(node),
        scope,
        order,
        context,
    });
}

fn receiver_segments(node: Node, src: &str, out: &mut Vec<String>, root: &mut Option<Receiver>) -> bool {
    let mut stack = Vec::new();
    let mut current = node;
    loop {
        let Some(c) = unwrap(current) else { return false };
        current = c;
        match current.kind() {
            "identifier" => {
                let name = text(current, src);
                if !GLOBALS.contains(&name) {
                    stack.push(name.to_string());
                }
                break;
            }
            "this" => break,
            "member_expression" => {
                let Some(prop) = current.field(Field::Property) else { return false };
                stack.push(text(prop, src).to_string());
                let Some(object) = current.field(Field::Object) else { return false };
                current = object;
            }
            "subscript_expression" => {
                let Some(key) = current.field(Field::Index).and_then(|i| string_literal(i, src)) else {
                    return false;
                };
                stack.push(key);
                let Some(object) = current.field(Field::Object) else { return false };
                current = object;
            }
            "call_expression" => {
                *root = Some(match require_module(current, src) {
                    Some(m) => Receiver::Require(m),
                    None => match current.field(Field::Function) {
                        Some(f) => Receiver::Constructor(callee_text(f, src)),
                        None => return false,
                    },
                });
                break;
            }
            "new_expression" => {
                let Some(c) = current.field(Field::Constructor) else { return false };
                *root = Some(Receiver::Constructor(format!("new {}", callee_text(c, src))));
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

fn arguments(call: Node, src: &str) -> Option<Vec<Arg>> {
    let Some(list) = call.field(Field::Arguments) else { return Some(Vec::new()) };
    if list.kind() != "arguments" {
        // A tagged template: track`...` is not a tracking call.
        return None;
    }
    let mut args = Vec::new();
    for child in named_children(list) {
        if child.kind() == "spread_element" {
            match named_children(child).into_iter().next().filter(|n| n.kind() == "identifier") {
                Some(name) => {
                    args.push(super::forwarded(true, text(name, src), span_of(child)));
                    continue;
                }
                None => return None,
            }
        }
        args.push(Arg { keyword: None, value: value(child, src, 0) });
    }
    Some(args)
}

pub fn value(node: Node, src: &str, depth: usize) -> Value {
    let span = span_of(node);
    if depth > MAX_VALUE_DEPTH {
        return Value::new(ValueKind::Unknown(short_text(node, src)), span);
    }
    let kind = match node.kind() {
        "string" => {
            let mut s = String::new();
            for child in named_children(node) {
                match child.kind() {
                    "escape_sequence" => s.push_str(&unescape(text(child, src))),
                    _ => s.push_str(text(child, src)),
                }
            }
            ValueKind::Str(s)
        }
        "template_string" => template_value(node, src, depth),
        "true" => ValueKind::Bool(true),
        "false" => ValueKind::Bool(false),
        "null" | "undefined" => ValueKind::Null,
        "number" => ValueKind::Number(text(node, src).to_string()),
        "object" => object_value(node, src, depth),
        "array" => {
            ValueKind::Array(named_children(node).into_iter().map(|c| value(c, src, depth + 1)).collect())
        }
        "parenthesized_expression"
        | "await_expression"
        | "non_null_expression"
        | "as_expression"
        | "satisfies_expression"
        | "type_assertion" => match unwrap(node) {
            Some(inner) if inner.id() != node.id() => return Value { span, ..value(inner, src, depth + 1) },
            _ => ValueKind::Unknown(short_text(node, src)),
        },
        "binary_expression" => {
            let op = node.field(Field::Operator).map(|o| text(o, src));
            match (op, node.field(Field::Left), node.field(Field::Right)) {
                (Some("+"), Some(l), Some(r)) => {
                    join_template(value(l, src, depth + 1), value(r, src, depth + 1))
                        .unwrap_or_else(|| ValueKind::Unknown(short_text(node, src)))
                }
                (Some("||" | "??"), Some(l), Some(r)) => {
                    ValueKind::OneOf(vec![value(l, src, depth + 1), value(r, src, depth + 1)])
                }
                _ => ValueKind::Unknown(short_text(node, src)),
            }
        }
        "ternary_expression" => match (node.field(Field::Consequence), node.field(Field::Alternative)) {
            (Some(a), Some(b)) => ValueKind::OneOf(vec![value(a, src, depth + 1), value(b, src, depth + 1)]),
            _ => ValueKind::Unknown(short_text(node, src)),
        },
        "call_expression" => {
            let callee = node.field(Field::Function).map(|f| callee_text(f, src)).unwrap_or_default();
            let mut args: Vec<Value> = node
                .field(Field::Arguments)
                .filter(|a| a.kind() == "arguments")
                .map(|a| named_children(a).into_iter().map(|c| value(c, src, depth + 1)).collect())
                .unwrap_or_default();
            // `Object.freeze({ .. })` is the object it freezes (a common way to write an enum).
            if callee == "Object.freeze"
                && args.len() == 1
                && let Some(frozen) = args.pop()
            {
                return Value { span, ..frozen };
            }
            // `'Signed Up'.toLowerCase()`, `` `${x} click`.trim() ``
            let method_of = node
                .field(Field::Function)
                .filter(|f| f.kind() == "member_expression" && args.is_empty())
                .and_then(|f| Some((f.field(Field::Object)?, f.field(Field::Property)?)));
            if let Some((object, property)) = method_of
                && matches!(object.kind(), "string" | "template_string")
                && let Some(kind) = super::string_method(value(object, src, depth + 1), text(property, src))
            {
                kind
            } else {
                ValueKind::Call { callee, args }
            }
        }
        "new_expression" => {
            let callee = node
                .field(Field::Constructor)
                .map(|c| format!("new {}", callee_text(c, src)))
                .unwrap_or_default();
            ValueKind::Call { callee, args: Vec::new() }
        }
        _ => match path(node, src) {
            Some(p) => ValueKind::Path(p),
            None => ValueKind::Unknown(short_text(node, src)),
        },
    };
    Value::new(kind, span)
}

fn template_value(node: Node, src: &str, depth: usize) -> ValueKind {
    let mut t = Template::default();
    let mut current = String::new();
    let mut interpolated = false;
    for child in named_children(node) {
        match child.kind() {
            "string_fragment" => current.push_str(text(child, src)),
            "escape_sequence" => current.push_str(&unescape(text(child, src))),
            "template_substitution" => {
                interpolated = true;
                t.static_parts.push(std::mem::take(&mut current));
                let v = match named_children(child).into_iter().next() {
                    Some(inner) => value(inner, src, depth + 1),
                    None => Value::new(ValueKind::Unknown(String::new()), span_of(child)),
                };
                t.exprs.push(v);
            }
            _ => {}
        }
    }
    if interpolated {
        t.static_parts.push(current);
        ValueKind::Template(t)
    } else {
        ValueKind::Str(current)
    }
}

fn object_value(node: Node, src: &str, depth: usize) -> ValueKind {
    let mut obj = Object::default();
    for member in named_children(node) {
        match member.kind() {
            "pair" => {
                let (Some(k), Some(v)) = (member.field(Field::Key), member.field(Field::Value)) else {
                    continue;
                };
                let key_text = text(k, src).to_string();
                let key = match k.kind() {
                    "property_identifier" | "number" => key_text.clone(),
                    "string" => string_literal(k, src).unwrap_or_else(|| key_text.clone()),
                    // `[PROPS.PLAN]: plan`: read from the constant when the call is resolved.
                    "computed_property_name"
                        if let Some(ValueKind::Path(path)) = k
                            .named_child(0)
                            .filter(|c| c.kind() == "member_expression")
                            .map(|c| value(c, src, depth + 1).kind) =>
                    {
                        obj.entries.push(Entry::with_constant_key(
                            &path,
                            span_of(k),
                            value(v, src, depth + 1),
                        ));
                        continue;
                    }
                    // Any other computed key `[name]` is unknown: the object may hold anything.
                    _ => {
                        obj.has_spread = true;
                        continue;
                    }
                };
                obj.entries.push(Entry {
                    key,
                    key_text,
                    key_span: span_of(k),
                    value: value(v, src, depth + 1),
                });
            }
            "shorthand_property_identifier" => {
                let name = text(member, src).to_string();
                let span = span_of(member);
                obj.entries.push(Entry {
                    key: name.clone(),
                    key_text: name.clone(),
                    key_span: span,
                    value: Value::new(
                        ValueKind::Path(Path { segments: vec![name.clone()], text: name }),
                        span,
                    ),
                });
            }
            "spread_element" => {
                obj.has_spread = true;
                if let Some(inner) = named_children(member).into_iter().next() {
                    obj.spreads.push(value(inner, src, depth + 1));
                }
            }
            _ => {}
        }
    }
    ValueKind::Object(obj)
}

fn path(node: Node, src: &str) -> Option<Path> {
    let mut segments = Vec::new();
    let mut current = node;
    for _ in 0..MAX_VALUE_DEPTH {
        current = unwrap(current)?;
        match current.kind() {
            "identifier" | "this" => {
                segments.push(text(current, src).to_string());
                segments.reverse();
                return Some(Path { segments, text: short_text(node, src) });
            }
            "member_expression" => {
                segments.push(text(current.field(Field::Property)?, src).to_string());
                current = current.field(Field::Object)?;
            }
            "subscript_expression" => {
                let index = current.field(Field::Index)?;
                match value(index, src, MAX_VALUE_DEPTH).kind {
                    ValueKind::Str(s) => segments.push(s),
                    ValueKind::Number(n) => segments.push(n),
                    _ => return None,
                }
                current = current.field(Field::Object)?;
            }
            _ => return None,
        }
    }
    None
}
