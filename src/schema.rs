//! The JSON Schema of `tracklint.toml` (`tracklint schema`), for editors that complete and
//! check TOML against one (Taplo, Even Better TOML). The `[rules]` part is generated from the
//! rules' own option declarations (`rule_options!`), the rest from the config's shape; unknown
//! keys are refused, as the config itself refuses them.

use crate::naming::NameStyle;
use crate::rules::options::OptionDoc;
use serde_json::{Value, json};

/// The schema of one option, from its declared Rust type.
fn option_schema(option: &OptionDoc) -> Value {
    let ty = option.ty.replace(' ', "");
    let doc = option.doc.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut schema = if ty.contains("BTreeMap") {
        let values: Vec<&str> = NameStyle::ALL.iter().map(|s| s.name()).collect();
        json!({ "type": "object", "additionalProperties": { "enum": values } })
    } else if ty.starts_with("Vec<") || ty == "Globs" {
        json!({ "type": "array", "items": { "type": "string" } })
    } else if ty.contains("usize") {
        json!({ "type": "integer", "minimum": 0 })
    } else if ty.contains("NameStyle") {
        json!({ "enum": NameStyle::ALL.iter().map(|s| s.name()).collect::<Vec<_>>() })
    } else if ty.contains("IdManagement") {
        json!({ "enum": ["legacy", "original", "simplified"] })
    } else {
        json!({ "type": "string" })
    };
    schema["description"] = Value::String(doc);
    schema
}

/// Where an argument is: a 1-based position, a keyword or object key, or the first present of
/// several.
fn arg_ref() -> Value {
    json!({ "anyOf": [
        { "type": "integer", "minimum": 1 },
        { "type": "string" },
        { "type": "array", "items": { "anyOf": [{ "type": "integer", "minimum": 1 }, { "type": "string" }] } },
    ] })
}

/// The `[rules]` table: one table per rule id, its severity and its own options.
fn rules_table() -> Value {
    let mut properties = serde_json::Map::new();
    for rule in crate::rules::RULES {
        let meta = rule.meta();
        let mut options = serde_json::Map::new();
        options.insert(
            "severity".into(),
            json!({ "enum": ["error", "warning", "info", "off"], "description": format!("default: {}", meta.default_severity.name()) }),
        );
        for option in meta.options.docs {
            options.insert(option.toml_key(), option_schema(option));
        }
        properties.insert(
            meta.id.to_string(),
            json!({ "type": "object", "description": meta.summary, "properties": options, "additionalProperties": false }),
        );
    }
    json!({ "type": "object", "properties": properties, "additionalProperties": false })
}

/// The whole schema.
pub fn config_schema() -> Value {
    let kinds: Vec<&str> = crate::model::CallKind::ALL.iter().map(|k| k.name()).collect();
    let strings = json!({ "type": "array", "items": { "type": "string" } });
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "tracklint.toml",
        "description": "Configuration for tracklint (`tracklint explain RULE` documents each rule)",
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "exclude": { "description": "Globs (relative to the config) never linted, on top of .gitignore", "type": "array", "items": { "type": "string" } },
            "plan": { "description": "A tracking plan (CSV or JSON), relative to the config", "type": "string" },
            "rules": rules_table(),
            "overrides": {
                "description": "Other rule settings for some files",
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["files"],
                    "additionalProperties": false,
                    "properties": { "files": strings, "rules": rules_table() },
                },
            },
            "wrappers": {
                "description": "The project's own tracking functions, checked like SDK calls",
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["language", "method", "kind"],
                    "additionalProperties": false,
                    "properties": {
                        "language": { "enum": crate::language::wrapper_language_names() },
                        "receiver": { "type": "string" },
                        "method": { "type": "string" },
                        "kind": { "enum": kinds },
                        "event": arg_ref(),
                        "identity": arg_ref(),
                        "properties": arg_ref(),
                        "modifiers": arg_ref(),
                        "alias-new": arg_ref(),
                        "alias-original": arg_ref(),
                        "platform": { "enum": ["server", "browser"] },
                    },
                },
            },
            "custom-rules": {
                "description": "Team conventions as declarative rules",
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "message"],
                    "additionalProperties": false,
                    "properties": {
                        "id": { "type": "string", "pattern": "^[a-z0-9-]+$" },
                        "message": { "type": "string" },
                        "help": { "type": "string" },
                        "severity": { "enum": ["error", "warning", "info", "off"] },
                        "events": { "type": "string" },
                        "event-must-match": { "type": "string" },
                        "event-must-not-match": { "type": "string" },
                        "forbidden-properties": strings,
                        "required-properties": strings,
                    },
                },
            },
            "inference": {
                "type": "object",
                "additionalProperties": false,
                "properties": { "enabled": { "type": "boolean", "description": "Infer the project's own tracking functions (default true)" } },
            },
        },
    })
}
