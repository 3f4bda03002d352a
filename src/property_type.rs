//! The types of the properties a call sends, in the vocabulary of the events inventory and the
//! plans written from the code: `string`, `number`, `boolean`, `null`, `{"object": {key:
//! type}}`, `{"array": type}`, `{"one_of": [..]}` or `unknown`.

#[derive(serde::Serialize)]
pub struct PropertyType {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: serde_json::Value,
}

/// The type a value shows where it is written: `string`, `number`, `boolean`, `null`, an
/// object with its keys' types, an array with its items' type, a choice of types, or
/// `unknown` (a variable, a call).
fn value_type(value: &crate::model::Value, depth: usize) -> serde_json::Value {
    use crate::model::ValueKind;
    use serde_json::json;
    if depth > 8 {
        return json!("unknown");
    }
    match &value.kind {
        ValueKind::Str(_) | ValueKind::Template(_) => json!("string"),
        ValueKind::Number(_) => json!("number"),
        ValueKind::Bool(_) => json!("boolean"),
        ValueKind::Null => json!("null"),
        ValueKind::Object(o) => {
            let keys: serde_json::Map<String, serde_json::Value> =
                o.entries.iter().map(|e| (e.key.clone(), value_type(&e.value, depth + 1))).collect();
            json!({ "object": keys })
        }
        ValueKind::Array(items) => {
            let item = items.first().map_or(json!("unknown"), |v| value_type(v, depth + 1));
            json!({ "array": item })
        }
        ValueKind::OneOf(options) => choice(options.iter().map(|o| value_type(o, depth + 1))),
        _ => json!("unknown"),
    }
}

/// A choice of types: each once, a single type as itself.
fn choice(types: impl Iterator<Item = serde_json::Value>) -> serde_json::Value {
    let mut out: Vec<serde_json::Value> = Vec::new();
    for t in types {
        if !out.contains(&t) {
            out.push(t);
        }
    }
    if out.len() == 1 { out.remove(0) } else { serde_json::json!({ "one_of": out }) }
}

/// A declared type in the inventory's vocabulary (the same as [`value_type`]'s).
fn shape_type(shape: &crate::model::TypeShape, depth: usize) -> serde_json::Value {
    use crate::model::TypeShape;
    use serde_json::json;
    if depth > 8 {
        return json!("unknown");
    }
    match shape {
        TypeShape::String => json!("string"),
        TypeShape::Number => json!("number"),
        TypeShape::Boolean => json!("boolean"),
        TypeShape::Null => json!("null"),
        TypeShape::Object(fields) => {
            let keys: serde_json::Map<String, serde_json::Value> =
                fields.iter().map(|(k, s)| (k.clone(), shape_type(s, depth + 1))).collect();
            json!({ "object": keys })
        }
        TypeShape::Array(item) => json!({ "array": shape_type(item, depth + 1) }),
        TypeShape::OneOf(options) => choice(options.iter().map(|o| shape_type(o, depth + 1))),
        TypeShape::AllOf(_) | TypeShape::Named(_) | TypeShape::Unknown => json!("unknown"),
    }
}

/// The properties of a call, as name and type: the object written at the call (an entry whose
/// value shows no type takes the type its variable is declared with), or the fields of the
/// type a properties variable is declared with (TypeScript).
pub fn of_call(call: &crate::model::Call) -> Vec<PropertyType> {
    let declared = call.property_types.as_deref().map_or(&[][..], Vec::as_slice);
    let declared_type = |key: &str| declared.iter().find(|(k, _)| k == key).map(|(_, s)| shape_type(s, 0));
    match call.properties.as_ref().and_then(|p| p.as_object()) {
        Some(object) => object
            .entries
            .iter()
            .map(|e| {
                let shown = value_type(&e.value, 0);
                let ty = match declared_type(&e.key) {
                    Some(declared) if shown == "unknown" => declared,
                    _ => shown,
                };
                PropertyType { name: e.key.clone(), ty }
            })
            .collect(),
        None => {
            declared.iter().map(|(k, s)| PropertyType { name: k.clone(), ty: shape_type(s, 0) }).collect()
        }
    }
}

/// What a property is across calls: its one type, or the choice of the types calls send.
pub fn merge(existing: &mut serde_json::Value, ty: serde_json::Value) {
    if *existing == ty {
        return;
    }
    let mut options =
        existing.get("one_of").and_then(|o| o.as_array()).cloned().unwrap_or_else(|| vec![existing.clone()]);
    if !options.contains(&ty) {
        options.push(ty);
    }
    *existing = serde_json::json!({ "one_of": options });
}
