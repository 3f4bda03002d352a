//! Declared types (TypeScript) for the inventory: a call's properties typed through the
//! annotations, interfaces and type aliases of its file.

use crate::frontend::FileFacts;
use crate::model::{Call, ScopeId, TypeShape, Value, ValueKind};

/// How many named types are followed through one another (`type A = B`, `interface C extends
/// A`); a cycle ends here.
const MAX_NAMED: usize = 16;

/// Sets the call's `property_types` from what its file declares: the fields of the type a
/// properties variable is declared with, or the declared type of each entry's variable.
pub fn declare(facts: &FileFacts, call: &mut Call) {
    let Some(properties) = &call.properties else { return };
    let scope = call.scope;
    let typed: Vec<(String, TypeShape)> = match &properties.kind {
        ValueKind::Object(object) => object
            .entries
            .iter()
            .filter_map(|e| {
                let shape = value_shape(facts, &e.value, scope)?;
                Some((e.key.clone(), shape))
            })
            .collect(),
        _ => match value_shape(facts, properties, scope) {
            Some(TypeShape::Object(fields)) => fields,
            _ => Vec::new(),
        },
    };
    if !typed.is_empty() {
        call.property_types = Some(Box::new(typed));
    }
}

/// The declared type of a variable or member path (`props`, `user.plan`), resolved.
fn value_shape(facts: &FileFacts, value: &Value, scope: ScopeId) -> Option<TypeShape> {
    let ValueKind::Path(path) = &value.kind else { return None };
    let (root, members) = path.segments.split_first()?;
    let mut shape = resolve(facts, declared(facts, root, scope)?.clone(), 0);
    for member in members {
        shape = match shape {
            TypeShape::Object(fields) => fields.into_iter().find(|(k, _)| k == member)?.1,
            _ => return None,
        };
    }
    (shape != TypeShape::Unknown).then_some(shape)
}

/// The type a name is declared with in this scope or an enclosing one.
fn declared<'f>(facts: &'f FileFacts, name: &str, scope: ScopeId) -> Option<&'f TypeShape> {
    let mut scope = scope;
    // Scopes nest no deeper than there are scopes: the walk up ends even on a broken table.
    for _ in 0..=facts.scope_parents.len() {
        if let Some(a) = facts.annotated.iter().find(|a| a.scope == scope && a.name == name) {
            return Some(&a.shape);
        }
        let parent = *facts.scope_parents.get(scope as usize)?;
        if parent == scope {
            return None;
        }
        scope = parent;
    }
    None
}

/// A shape with its names replaced by the file's declarations (unknown when not declared here).
fn resolve(facts: &FileFacts, shape: TypeShape, named: usize) -> TypeShape {
    match shape {
        TypeShape::Named(name) => {
            if named >= MAX_NAMED {
                return TypeShape::Unknown;
            }
            match facts.type_decls.iter().find(|(n, _)| *n == name) {
                Some((_, decl)) => resolve(facts, decl.clone(), named + 1),
                None => TypeShape::Unknown,
            }
        }
        TypeShape::Object(fields) => {
            TypeShape::Object(fields.into_iter().map(|(k, s)| (k, resolve(facts, s, named))).collect())
        }
        TypeShape::Array(item) => TypeShape::Array(Box::new(resolve(facts, *item, named))),
        TypeShape::OneOf(options) => TypeShape::choice(options.into_iter().map(|o| resolve(facts, o, named))),
        TypeShape::AllOf(parts) => {
            let mut fields: Vec<(String, TypeShape)> = Vec::new();
            for part in parts {
                // A part we cannot see into adds nothing: the fields we know are still sent.
                if let TypeShape::Object(more) = resolve(facts, part, named) {
                    for (k, s) in more {
                        match fields.iter_mut().find(|(f, _)| *f == k) {
                            Some(existing) => existing.1 = s,
                            None => fields.push((k, s)),
                        }
                    }
                }
            }
            TypeShape::Object(fields)
        }
        other => other,
    }
}
