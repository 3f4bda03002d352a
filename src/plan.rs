//! Tracking plans: the events a team has agreed to track, as CSV or JSON.
//!
//! CSV: a header row naming the columns `event` (or `name`), optionally `required_properties`
//! (or `properties`; names separated by `;`, `|` or spaces) and `status`; other columns are
//! ignored. JSON: an array of `{"name", "required_properties", "status"}` objects, or an object
//! with such an array under `events`. `tracklint events --format csv` writes a plan in this
//! format from the code.
//!
//! Also read as they are exported elsewhere:
//! - a Segment Protocols tracking plan (its Config API's JSON: `{"rules": {"events": [{"name",
//!   "rules": <JSON Schema of the event>}]}}`, also wrapped in `tracking_plan`; or its Public
//!   API's rules, `{"data": {"rules": [{"type": "TRACK", "key", "jsonSchema"}]}}`): the
//!   required properties are the schema's `properties.properties.required`;
//! - JSON Schema per event: an array (or `events`) of schemas with a `title` (the event name),
//!   `properties` and `required`;
//! - CSV with one row per event property (Amplitude Data's export, Avo-style sheets): a header
//!   with a property-name column (`Event Property Name`, `Property Name` or `Property`) beside
//!   the event column (`Object Name` when there is an `Object Type` column, else `Event`,
//!   `Event Name` or `Name`); a row with an event starts it, the rows below with a property add
//!   it, required when its `Property Required` (or `Required`, `Presence`) cell says so.
//!
//! `tracklint events --format json-schema|segment|amplitude-csv` writes the code's events in
//! those formats, and `check --plan` reads each back.

use crate::model::Span;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct PlanEvent {
    pub name: String,
    pub required: Vec<String>,
    pub status: Option<String>,
    /// Where the entry is in the plan file (its line), for findings about it.
    pub span: Span,
}

impl PlanEvent {
    /// The plan says the event must no longer be tracked.
    pub fn is_retired(&self) -> bool {
        self.status.as_deref().is_some_and(|s| {
            matches!(
                s.to_ascii_lowercase().as_str(),
                "deprecated" | "removed" | "retired" | "deleted" | "blocked"
            )
        })
    }
}

#[derive(Debug, Clone)]
pub struct Plan {
    pub path: PathBuf,
    pub source: String,
    pub events: Vec<PlanEvent>,
    /// Each name's first entry, for lookups in constant time.
    by_name: std::collections::HashMap<String, usize>,
    /// The same by normalised name (`Signed Up`, `signed_up` and `signedUp` are one).
    by_normalized: std::collections::HashMap<String, usize>,
}

impl Plan {
    pub fn new(path: PathBuf, source: String, events: Vec<PlanEvent>) -> Plan {
        let mut by_name = std::collections::HashMap::with_capacity(events.len());
        let mut by_normalized = std::collections::HashMap::with_capacity(events.len());
        for (i, e) in events.iter().enumerate() {
            by_name.entry(e.name.clone()).or_insert(i);
            by_normalized.entry(crate::naming::normalize(&e.name)).or_insert(i);
        }
        Plan { path, source, events, by_name, by_normalized }
    }

    /// The entry whose name is this one written another way.
    pub fn get_normalized(&self, name: &str) -> Option<&PlanEvent> {
        self.by_normalized.get(&crate::naming::normalize(name)).and_then(|&i| self.events.get(i))
    }

    pub fn get(&self, name: &str) -> Option<&PlanEvent> {
        self.by_name.get(name).and_then(|&i| self.events.get(i))
    }
}

/// Loads a plan; `within` keeps a plan named by a config inside the config's directory.
pub fn load(path: &Path, within: Option<&Path>) -> Result<Plan, String> {
    let bytes = crate::fsutil::read_bounded(path, crate::fsutil::DATA_LIMIT, within)
        .map_err(|e| format!("cannot read plan {}: {e}", crate::text::visible(&path.to_string_lossy())))?;
    let source = String::from_utf8_lossy(&bytes).into_owned();
    let trimmed = source.trim_start_matches('\u{feff}').trim_start();
    let json = path.extension().is_some_and(|e| e == "json") || trimmed.starts_with(['[', '{']);
    let events = if json { parse_json(&source) } else { parse_csv(&source) }
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(Plan::new(path.to_path_buf(), source, events))
}

/// Required properties: `;`-separated when there is a `;` (what `events --format csv` writes,
/// so names with spaces survive), else separated by `|`, `,` or whitespace.
fn split_properties(text: &str) -> Vec<String> {
    let separators: &[char] = if text.contains(';') { &[';'] } else { &['|', ',', ' ', '\t', '\n', '\r'] };
    text.split(separators).map(str::trim).filter(|p| !p.is_empty()).map(str::to_string).collect()
}

/// One CSV field: its text, and whether it was quoted (quoted text is taken exactly).
struct Field {
    text: String,
    quoted: bool,
}

impl Field {
    /// The cell's value: unquoted cells are trimmed, and the `'` that [`to_csv`] puts before a
    /// cell a spreadsheet would run as a formula is taken off again.
    fn value(&self) -> String {
        let text = if self.quoted { self.text.as_str() } else { self.text.trim() };
        match text.strip_prefix('\'') {
            Some(rest) if rest.starts_with(FORMULA_STARTS) => rest.to_string(),
            _ => text.to_string(),
        }
    }
}

/// What a spreadsheet reads as the start of a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// CSV records with the byte span of each (RFC 4180 quoting, `""` escapes, newlines in quotes).
fn csv_records(source: &str) -> Result<Vec<(Vec<Field>, Span)>, String> {
    let mut records = Vec::new();
    let mut fields = Vec::new();
    let mut field = Field { text: String::new(), quoted: false };
    let mut quoted = false;
    let mut start = 0;
    let mut quote_at = 0;
    let mut chars = source.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek().is_some_and(|(_, n)| *n == '"') => {
                field.text.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.text.push(c),
            (false, '"') if field.text.trim().is_empty() => {
                field = Field { text: String::new(), quoted: true };
                quoted = true;
                quote_at = i;
            }
            (false, ',') => {
                fields.push(std::mem::replace(&mut field, Field { text: String::new(), quoted: false }))
            }
            (false, '\r') if chars.peek().is_some_and(|(_, n)| *n == '\n') => {}
            (false, '\n' | '\r') => {
                fields.push(std::mem::replace(&mut field, Field { text: String::new(), quoted: false }));
                records.push((std::mem::take(&mut fields), Span::new(start, i)));
                start = i + 1;
            }
            (false, c) => field.text.push(c),
        }
    }
    if quoted {
        let line = source[..quote_at].matches('\n').count() + 1;
        return Err(format!("line {line}: a quoted field is never closed"));
    }
    if !field.text.is_empty() || field.quoted || !fields.is_empty() {
        fields.push(field);
        records.push((fields, Span::new(start, source.len())));
    }
    records.retain(|(f, _)| f.iter().any(|x| x.quoted || !x.text.trim().is_empty()));
    Ok(records)
}

fn parse_csv(source: &str) -> Result<Vec<PlanEvent>, String> {
    let mut records = csv_records(source.trim_start_matches('\u{feff}'))?.into_iter();
    let offset = source.len() - source.trim_start_matches('\u{feff}').len();
    let Some((header, _)) = records.next() else {
        return Err("the plan is empty: a CSV plan starts with a header naming an `event` column".into());
    };
    let column = |names: &[&str]| {
        // The first of the names the header has, in the order given (names are preference).
        names.iter().find_map(|name| {
            header.iter().position(|h| h.text.trim().to_ascii_lowercase().replace([' ', '-'], "_") == *name)
        })
    };
    if let Some(property_col) = column(&["event_property_name", "property_name", "property"]) {
        return parse_csv_rows(records, offset, &column, property_col);
    }
    let name_col =
        column(&["event", "name", "event_name"]).ok_or("the CSV header has no `event` or `name` column")?;
    let props_col = column(&["required_properties", "properties", "required"]);
    let status_col = column(&["status"]);
    Ok(records
        .filter_map(|(fields, span)| {
            let name = fields.get(name_col)?.value();
            (!name.is_empty()).then(|| PlanEvent {
                name,
                required: props_col
                    .and_then(|c| fields.get(c))
                    .map(|p| split_properties(&p.value()))
                    .unwrap_or_default(),
                status: status_col
                    .and_then(|c| fields.get(c))
                    .map(|s| s.value().trim().to_string())
                    .filter(|s| !s.is_empty()),
                span: Span::new(span.start + offset, span.end + offset),
            })
        })
        .collect())
}

/// A CSV plan with one row per event property (Amplitude Data's export has event rows with
/// `Object Type` = `Event` and, below each, rows with `Property Type` = `Event Property`; simpler
/// sheets write the event on its first row and leave the cell empty below).
fn parse_csv_rows(
    records: impl Iterator<Item = (Vec<Field>, Span)>,
    offset: usize,
    column: &dyn Fn(&[&str]) -> Option<usize>,
    property_col: usize,
) -> Result<Vec<PlanEvent>, String> {
    let type_col = column(&["object_type"]);
    let event_col = match type_col {
        Some(_) => column(&["object_name", "event_name", "event"]),
        None => column(&["event_name", "event", "name", "event_type"]),
    }
    .ok_or(
        "the CSV header has a property column but no event column (`Event`, `Event Name` or `Object Name`)",
    )?;
    let required_col = column(&[
        "property_required",
        "required",
        "is_required",
        "property_is_required",
        "presence",
        "property_presence",
    ]);
    let action_col = column(&["action"]);
    let status_col = column(&["status", "event_status", "event_schema_status"]);
    let property_kind_col = column(&["property_type"]);
    let property_status_col = column(&["property_schema_status", "property_status"]);
    let mut events: Vec<PlanEvent> = Vec::new();
    let mut by_name: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    // The event the rows below belong to; none after a row for another kind of object.
    let mut current: Option<usize> = None;
    for (fields, span) in records {
        let cell = |c: Option<usize>| c.and_then(|c| fields.get(c)).map(Field::value).unwrap_or_default();
        let lower = |c: Option<usize>| cell(c).trim().to_ascii_lowercase();
        let action = lower(action_col);
        let object_type = lower(type_col);
        let event = cell(Some(event_col));
        let event_row = match type_col {
            Some(_) => object_type == "event" && !event.is_empty(),
            None => !event.is_empty(),
        };
        if !event_row && !object_type.is_empty() {
            // A property group, a user property: what follows is not an event's.
            current = None;
            continue;
        }
        if event_row {
            let status = cell(status_col).trim().to_string();
            // `Remove` takes the event out of the plan on import; an `unexpected` event was
            // seen in the data but never planned: both are not in the plan.
            if action == "remove" || status.eq_ignore_ascii_case("unexpected") {
                current = None;
                continue;
            }
            let i = *by_name.entry(event.clone()).or_insert_with(|| {
                events.push(PlanEvent {
                    name: event,
                    required: Vec::new(),
                    status: None,
                    span: Span::new(span.start + offset, span.end + offset),
                });
                events.len() - 1
            });
            if let Some(entry) = events.get_mut(i).filter(|_| !status.is_empty()) {
                entry.status = Some(status);
            }
            current = Some(i);
        }
        let property = cell(Some(property_col));
        let kind = lower(property_kind_col);
        let planned = !property.is_empty()
            // Amplitude says which kind of property a row is (`Event Property`); elsewhere the
            // column holds the value's type (`string`), which says nothing against it.
            && (!kind.ends_with("property") || kind == "event property")
            && !matches!(action.as_str(), "remove" | "ignore")
            && lower(property_status_col) != "unexpected";
        if !planned || !required(&lower(required_col)) {
            continue;
        }
        if let Some(entry) = current.and_then(|i| events.get_mut(i))
            && !entry.required.contains(&property)
        {
            entry.required.push(property);
        }
    }
    Ok(events)
}

/// A cell that says a property is required.
fn required(cell: &str) -> bool {
    matches!(cell, "true" | "yes" | "y" | "1" | "x" | "required" | "always" | "always sent")
}

fn parse_json(source: &str) -> Result<Vec<PlanEvent>, String> {
    let value: serde_json::Value = serde_json::from_str(source.trim_start_matches('\u{feff}'))
        .map_err(|e| format!("not valid JSON: {e}"))?;
    const SHAPE: &str = "a JSON plan is an array of events, an object with an `events` array, or a Segment Protocols tracking plan (`rules.events`)";
    let list = match &value {
        serde_json::Value::Array(a) => a,
        serde_json::Value::Object(o) => {
            let plan =
                o.get("tracking_plan").or_else(|| o.get("data")).and_then(|t| t.as_object()).unwrap_or(o);
            plan.get("events")
                .or_else(|| plan.get("rules").and_then(|r| r.get("events")))
                .or_else(|| plan.get("rules"))
                .and_then(|e| e.as_array())
                .ok_or(SHAPE)?
        }
        _ => return Err(SHAPE.into()),
    };
    let mut events = Vec::new();
    let mut cursor = 0;
    for item in list {
        // Segment's Public API lists every rule: only `TRACK` rules are events.
        let public_rule = item.get("jsonSchema").is_some() || item.get("key").is_some();
        if public_rule
            && item.get("type").and_then(|t| t.as_str()).is_some_and(|t| !t.eq_ignore_ascii_case("track"))
        {
            continue;
        }
        let name = item
            .get("key")
            .filter(|_| public_rule)
            .or_else(|| item.get("name"))
            .or_else(|| item.get("event"))
            .or_else(|| item.get("title"))
            .and_then(|n| n.as_str())
            .ok_or(
                "every event in a JSON plan has a `name` (or a JSON Schema `title`, a Segment rule `key`)",
            )?;
        let strings = |v: &serde_json::Value| -> Vec<String> {
            v.as_array()
                .map(|a| a.iter().filter_map(|p| p.as_str().map(str::to_string)).collect())
                .unwrap_or_default()
        };
        let required = match item.get("required_properties").or_else(|| item.get("properties")) {
            Some(serde_json::Value::Array(a)) => {
                a.iter().filter_map(|p| p.as_str().map(str::to_string)).collect()
            }
            Some(serde_json::Value::String(s)) => split_properties(s),
            // JSON Schema per event: `required` beside the `properties` object.
            Some(serde_json::Value::Object(_)) => item.get("required").map(strings).unwrap_or_default(),
            // Segment Protocols: the event's schema requires `properties.<name>`.
            _ => item
                .get("rules")
                .or_else(|| item.get("jsonSchema"))
                .and_then(|r| r.pointer("/properties/properties/required"))
                .map(strings)
                .unwrap_or_default(),
        };
        // The entry's line: where its name is written.
        let quoted = serde_json::to_string(name).unwrap_or_default();
        // Entries are in file order: searching on from the last one keeps loading linear.
        let at = source
            .get(cursor..)
            .and_then(|rest| rest.find(&quoted))
            .map(|i| cursor + i)
            .unwrap_or(cursor.min(source.len()));
        cursor = at + quoted.len();
        let line_start = source[..at].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[at..].find('\n').map_or(source.len(), |i| at + i);
        events.push(PlanEvent {
            name: name.to_string(),
            required,
            status: item.get("status").and_then(|s| s.as_str()).map(str::to_string),
            span: Span::new(line_start, line_end),
        });
    }
    Ok(events)
}

/// A CSV cell: quoted when it has to be, and a cell a spreadsheet would run as a formula gets a
/// leading `'` (the reader drops it).
fn csv_cell(s: &str) -> String {
    let s = if s.starts_with(FORMULA_STARTS) || s.starts_with('\'') && s[1..].starts_with(FORMULA_STARTS) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    let plain = !s.contains([',', '"', '\n', '\r']) && s.trim() == s;
    if plain { s } else { format!("\"{}\"", s.replace('"', "\"\"")) }
}

/// A plan written from the code: one row per literal event name, with the properties every
/// call of it sends (literal objects only).
fn to_csv(events: &[CodeEvent]) -> String {
    let mut out = String::from("event,required_properties,status,calls\n");
    for event in events {
        let mut joined = event.required.join(";");
        // One property whose name holds a separator still needs a `;` to be read back whole.
        if event.required.len() == 1 && joined.contains(['|', ',', ' ', '\t', '\n', '\r']) {
            joined.push(';');
        }
        out.push_str(&format!("{},{},active,{}\n", csv_cell(&event.name), csv_cell(&joined), event.calls));
    }
    out
}

/// An event as the code tracks it, for the plan writers.
struct CodeEvent {
    name: String,
    calls: usize,
    /// The keys every call of it visibly sends (a call with a variable or a spread as its
    /// properties says nothing either way).
    required: Vec<String>,
    /// Every key any call sends, with its type in the inventory's vocabulary.
    properties: Vec<(String, serde_json::Value)>,
}

/// Keys the SDKs fill in themselves, not properties a plan lists.
fn reserved_key(key: &str) -> bool {
    matches!(key, "distinct_id" | "$distinct_id" | "token" | "time")
}

/// The code's events: every literal event name, in name order.
fn code_events(report: &crate::Report) -> Vec<CodeEvent> {
    use crate::model::ValueKind;
    let mut events: std::collections::BTreeMap<String, CodeEvent> = Default::default();
    // Per event, the keys every call so far sends (None until a call shows its keys).
    let mut common: std::collections::HashMap<String, Vec<String>> = Default::default();
    for call in report.files.iter().flat_map(|f| f.listed_calls()).filter(|c| c.kind.is_event()) {
        let Some(name) = call.listed_event() else { continue };
        let entry = events.entry(name.to_string()).or_insert_with(|| CodeEvent {
            name: name.to_string(),
            calls: 0,
            required: Vec::new(),
            properties: Vec::new(),
        });
        entry.calls += 1;
        let keys: Option<Vec<String>> = match call.properties.as_ref().map(|p| &p.kind) {
            None | Some(ValueKind::Null) => Some(Vec::new()),
            Some(ValueKind::Object(obj)) if !obj.has_spread => {
                Some(obj.entries.iter().map(|e| e.key.clone()).filter(|k| !reserved_key(k)).collect())
            }
            _ => None,
        };
        if let Some(keys) = keys {
            match common.get_mut(name) {
                None => {
                    common.insert(name.to_string(), keys);
                }
                Some(so_far) => so_far.retain(|k| keys.contains(k)),
            }
        }
        for p in crate::property_type::of_call(&call).into_iter().filter(|p| !reserved_key(&p.name)) {
            match entry.properties.iter_mut().find(|(k, _)| *k == p.name) {
                Some((_, existing)) => crate::property_type::merge(existing, p.ty),
                None => entry.properties.push((p.name, p.ty)),
            }
        }
    }
    events
        .into_values()
        .map(|mut e| {
            e.required = common.remove(&e.name).unwrap_or_default();
            e
        })
        .collect()
}

/// The code's events as a tracking plan (CSV): every literal event name, with the properties
/// that every call of it sends in a literal object.
pub fn from_report(report: &crate::Report) -> String {
    to_csv(&code_events(report))
}

/// A type of the inventory's vocabulary as JSON Schema (`unknown` allows anything).
fn json_schema_of(ty: &serde_json::Value) -> serde_json::Value {
    use serde_json::{Value, json};
    match ty {
        Value::String(t) if matches!(t.as_str(), "string" | "number" | "boolean" | "null") => {
            json!({ "type": t })
        }
        Value::Object(o) => {
            if let Some(Value::Object(keys)) = o.get("object") {
                let properties: serde_json::Map<String, Value> =
                    keys.iter().map(|(k, t)| (k.clone(), json_schema_of(t))).collect();
                json!({ "type": "object", "properties": properties })
            } else if let Some(item) = o.get("array") {
                json!({ "type": "array", "items": json_schema_of(item) })
            } else if let Some(Value::Array(options)) = o.get("one_of") {
                json!({ "anyOf": options.iter().map(json_schema_of).collect::<Vec<_>>() })
            } else {
                json!({})
            }
        }
        _ => json!({}),
    }
}

/// The JSON Schema of an event's properties object.
fn properties_schema(event: &CodeEvent) -> serde_json::Value {
    let properties: serde_json::Map<String, serde_json::Value> =
        event.properties.iter().map(|(k, t)| (k.clone(), json_schema_of(t))).collect();
    serde_json::json!({ "type": "object", "properties": properties, "required": event.required })
}

/// The code's events as JSON Schema per event: an array of schemas, each titled with the
/// event's name, its properties typed as the code sends them, the keys every call sends required.
pub fn json_schemas(report: &crate::Report) -> String {
    let schemas: Vec<serde_json::Value> = code_events(report)
        .iter()
        .map(|e| {
            let mut schema = properties_schema(e);
            if let Some(object) = schema.as_object_mut() {
                object.insert("$schema".into(), "https://json-schema.org/draft/2020-12/schema".into());
                object.insert("title".into(), e.name.clone().into());
            }
            schema
        })
        .collect();
    serde_json::to_string_pretty(&schemas).unwrap_or_default() + "\n"
}

/// The code's events as a Segment Protocols tracking plan (the Config API's shape: each event's
/// `rules` a JSON Schema of the whole event, its properties under `properties.properties`).
pub fn segment(report: &crate::Report) -> String {
    let events: Vec<serde_json::Value> = code_events(report)
        .iter()
        .map(|e| {
            serde_json::json!({
                "name": e.name,
                "description": "",
                "version": 1,
                "rules": {
                    "$schema": "http://json-schema.org/draft-07/schema#",
                    "type": "object",
                    "properties": { "properties": properties_schema(e) },
                },
            })
        })
        .collect();
    let plan = serde_json::json!({ "display_name": "tracklint", "rules": { "events": events } });
    serde_json::to_string_pretty(&plan).unwrap_or_default() + "\n"
}

/// The columns of Amplitude Data's events export, in its order (taken from a real export).
const AMPLITUDE_COLUMNS: [&str; 41] = [
    "Action",
    "Object Type",
    "Object Name",
    "Event Display Name",
    "Object Owner",
    "Object Description",
    "Event Category",
    "Tags",
    "Event Schema Status",
    "Event Activity",
    "Event Hidden From Dropdowns",
    "Event Hidden From Persona Results",
    "Event Hidden From Pathfinder",
    "Event Hidden From Timeline",
    "Event Source",
    "Event 30 Day Volume",
    "Event 30 Day Queries",
    "Event First Seen",
    "Event Last Seen",
    "Property Type",
    "Property Group Names",
    "Event Property Name",
    "Property Description",
    "Property Value Type",
    "Property Schema Status",
    "Property Required",
    "Property Visibility",
    "Property Is Array",
    "String Property Value Min Length",
    "String Property Value Max Length",
    "Number Is Integer",
    "Number Property Value Min",
    "Number Property Value Max",
    "Array Unique Items",
    "Array Min Items",
    "Array Max Items",
    "Enum Values",
    "Const Value",
    "Property Regex",
    "Property First Seen",
    "Property Last Seen",
];

/// The code's events as Amplitude Data's events CSV: a row per event (`Object Type` `Event`),
/// and below it a row per property (`Property Type` `Event Property`) with its value type,
/// whether it is an array, and whether every call sends it.
pub fn amplitude_csv(report: &crate::Report) -> String {
    let at = |name: &str| AMPLITUDE_COLUMNS.iter().position(|c| *c == name).unwrap_or(0);
    let row = |cells: &[(&str, &str)]| {
        let mut fields = vec![String::new(); AMPLITUDE_COLUMNS.len()];
        for (column, value) in cells {
            fields[at(column)] = csv_cell(value);
        }
        fields.join(",") + "\n"
    };
    let mut out = AMPLITUDE_COLUMNS.join(",") + "\n";
    for event in code_events(report) {
        out.push_str(&row(&[("Object Type", "Event"), ("Object Name", &event.name)]));
        for (key, ty) in &event.properties {
            let (item, array) = match ty.get("array") {
                Some(item) => (item, "TRUE"),
                None => (ty, "FALSE"),
            };
            let value_type =
                item.as_str().filter(|t| matches!(*t, "string" | "number" | "boolean")).unwrap_or("any");
            let required = if event.required.contains(key) { "TRUE" } else { "FALSE" };
            out.push_str(&row(&[
                ("Property Type", "Event Property"),
                ("Event Property Name", key),
                ("Property Value Type", value_type),
                ("Property Required", required),
                ("Property Is Array", array),
            ]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_quotes_and_header_names() {
        let src = "Name,Required Properties,Status,Notes\n\"Order Completed\",\"revenue; currency\",active,\"a, b\"\nSigned Up,,deprecated,\n";
        let events = parse_csv(src).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(events.len(), 2);
        assert_eq!(events[0].name, "Order Completed");
        assert_eq!(events[0].required, ["revenue", "currency"]);
        assert_eq!(events[1].status.as_deref(), Some("deprecated"));
        assert_eq!(&src[events[1].span.start..events[1].span.end], "Signed Up,,deprecated,");
    }

    #[test]
    fn json_plans() {
        let events = parse_json(r#"{"events": [{"name": "A", "required_properties": ["x"]}, {"event": "B", "properties": "y z"}]}"#)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(events[1].required, ["y", "z"]);
        assert!(parse_json("[{\"nme\": 1}]").is_err());
    }

    #[test]
    fn csv_round_trips() {
        let csv = to_csv(&[CodeEvent {
            name: "Order, Completed".into(),
            calls: 2,
            required: vec!["a".into(), "b".into()],
            properties: Vec::new(),
        }]);
        let events = parse_csv(&csv).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(events[0].name, "Order, Completed");
        assert_eq!(events[0].required, ["a", "b"]);
    }
}
