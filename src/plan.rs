//! Tracking plans: the events a team has agreed to track, as CSV or JSON.
//!
//! CSV: a header row naming the columns `event` (or `name`), optionally `required_properties`
//! (or `properties`; names separated by `;`, `|` or spaces) and `status`; other columns are
//! ignored. JSON: an array of `{"name", "required_properties", "status"}` objects, or an object
//! with such an array under `events`. `tracklint events --format csv` writes a plan in this
//! format from the code.
//!
//! Also read as they are exported elsewhere:
//! - a Segment Protocols tracking plan (its API's JSON: `{"rules": {"events": [{"name",
//!   "rules": <JSON Schema of the event>}]}}`, also wrapped in `tracking_plan`): the required
//!   properties are the schema's `properties.properties.required`;
//! - JSON Schema per event: an array (or `events`) of schemas with a `title` (the event name),
//!   `properties` and `required`.

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
        header.iter().position(|h| {
            names.contains(&h.text.trim().to_ascii_lowercase().replace([' ', '-'], "_").as_str())
        })
    };
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

fn parse_json(source: &str) -> Result<Vec<PlanEvent>, String> {
    let value: serde_json::Value = serde_json::from_str(source.trim_start_matches('\u{feff}'))
        .map_err(|e| format!("not valid JSON: {e}"))?;
    const SHAPE: &str = "a JSON plan is an array of events, an object with an `events` array, or a Segment Protocols tracking plan (`rules.events`)";
    let list = match &value {
        serde_json::Value::Array(a) => a,
        serde_json::Value::Object(o) => {
            let plan = o.get("tracking_plan").and_then(|t| t.as_object()).unwrap_or(o);
            plan.get("events")
                .or_else(|| plan.get("rules").and_then(|r| r.get("events")))
                .and_then(|e| e.as_array())
                .ok_or(SHAPE)?
        }
        _ => return Err(SHAPE.into()),
    };
    let mut events = Vec::new();
    let mut cursor = 0;
    for item in list {
        let name = item
            .get("name")
            .or_else(|| item.get("event"))
            .or_else(|| item.get("title"))
            .and_then(|n| n.as_str())
            .ok_or("every event in a JSON plan has a `name` (or a JSON Schema `title`)")?;
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

/// A plan written from the code: one row per literal event name, with the properties every
/// call of it sends (literal objects only).
fn to_csv(events: &[(String, Vec<String>, usize)]) -> String {
    let quote = |s: &str| {
        // A cell a spreadsheet would run as a formula gets a leading `'` (the parser drops it).
        let s = if s.starts_with(FORMULA_STARTS) || s.starts_with('\'') && s[1..].starts_with(FORMULA_STARTS)
        {
            format!("'{s}")
        } else {
            s.to_string()
        };
        let plain = !s.contains([',', '"', '\n', '\r']) && s.trim() == s;
        if plain { s } else { format!("\"{}\"", s.replace('"', "\"\"")) }
    };
    let mut out = String::from("event,required_properties,status,calls\n");
    for (name, props, calls) in events {
        let mut joined = props.join(";");
        // One property whose name holds a separator still needs a `;` to be read back whole.
        if props.len() == 1 && joined.contains(['|', ',', ' ', '\t', '\n', '\r']) {
            joined.push(';');
        }
        out.push_str(&format!("{},{},active,{}\n", quote(name), quote(&joined), calls));
    }
    out
}

/// The code's events as a tracking plan: every literal event name, with the properties that
/// every call of it sends in a literal object.
pub fn from_report(report: &crate::Report) -> String {
    use crate::model::ValueKind;
    let mut events: std::collections::BTreeMap<String, (Option<Vec<String>>, usize)> = Default::default();
    for call in report.files.iter().flat_map(|f| &f.calls).filter(|c| c.kind.is_event()) {
        let Some(ValueKind::Str(name)) = call.event.as_ref().map(|e| &e.kind) else { continue };
        let entry = events.entry(name.clone()).or_insert((None, 0));
        entry.1 += 1;
        // Keys a call visibly sends: none without properties, unknown for a variable or merge.
        let keys: Option<Vec<String>> = match call.properties.as_ref().map(|p| &p.kind) {
            None | Some(ValueKind::Null) => Some(Vec::new()),
            Some(ValueKind::Object(obj)) if !obj.has_spread => Some(
                obj.entries
                    .iter()
                    .map(|e| e.key.clone())
                    .filter(|k| !matches!(k.as_str(), "distinct_id" | "$distinct_id" | "token" | "time"))
                    .collect(),
            ),
            _ => None,
        };
        if let Some(keys) = keys {
            entry.0 = Some(match entry.0.take() {
                None => keys,
                Some(common) => common.into_iter().filter(|k| keys.contains(k)).collect(),
            });
        }
    }
    let rows: Vec<(String, Vec<String>, usize)> =
        events.into_iter().map(|(name, (props, calls))| (name, props.unwrap_or_default(), calls)).collect();
    to_csv(&rows)
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
        let csv = to_csv(&[("Order, Completed".into(), vec!["a".into(), "b".into()], 2)]);
        let events = parse_csv(&csv).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(events[0].name, "Order, Completed");
        assert_eq!(events[0].required, ["a", "b"]);
    }
}
