//! Tracking plans: the events a team has agreed to track, as CSV or JSON.
//!
//! CSV: a header row naming the columns `event` (or `name`), optionally `required_properties`
//! (or `properties`; names separated by `;`, `|` or spaces) and `status`; other columns are
//! ignored. JSON: an array of `{"name", "required_properties", "status"}` objects, or an object
//! with such an array under `events`. `tracklint events --format csv` writes a plan in this
//! format from the code.

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
}

impl Plan {
    pub fn get(&self, name: &str) -> Option<&PlanEvent> {
        self.events.iter().find(|e| e.name == name)
    }
}

pub fn load(path: &Path) -> Result<Plan, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read plan {}: {e}", path.display()))?;
    let source = String::from_utf8_lossy(&bytes).into_owned();
    let trimmed = source.trim_start_matches('\u{feff}').trim_start();
    let json = path.extension().is_some_and(|e| e == "json") || trimmed.starts_with(['[', '{']);
    let events = if json { parse_json(&source) } else { parse_csv(&source) }
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(Plan { path: path.to_path_buf(), source, events })
}

fn split_properties(text: &str) -> Vec<String> {
    text.split([';', '|', ',', ' ', '\t', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

/// CSV records with the byte span of each (RFC 4180 quoting, `""` escapes, newlines in quotes).
fn csv_records(source: &str) -> Vec<(Vec<String>, Span)> {
    let mut records = Vec::new();
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut start = 0;
    let mut chars = source.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek().is_some_and(|(_, n)| *n == '"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => fields.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                fields.push(std::mem::take(&mut field));
                records.push((std::mem::take(&mut fields), Span::new(start, i)));
                start = i + 1;
            }
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !fields.is_empty() {
        fields.push(field);
        records.push((fields, Span::new(start, source.len())));
    }
    records.retain(|(f, _)| f.iter().any(|x| !x.trim().is_empty()));
    records
}

fn parse_csv(source: &str) -> Result<Vec<PlanEvent>, String> {
    let mut records = csv_records(source.trim_start_matches('\u{feff}')).into_iter();
    let offset = source.len() - source.trim_start_matches('\u{feff}').len();
    let Some((header, _)) = records.next() else { return Ok(Vec::new()) };
    let column = |names: &[&str]| {
        header
            .iter()
            .position(|h| names.contains(&h.trim().to_ascii_lowercase().replace([' ', '-'], "_").as_str()))
    };
    let name_col =
        column(&["event", "name", "event_name"]).ok_or("the CSV header has no `event` or `name` column")?;
    let props_col = column(&["required_properties", "properties", "required"]);
    let status_col = column(&["status"]);
    Ok(records
        .filter_map(|(fields, span)| {
            let name = fields.get(name_col)?.trim().to_string();
            (!name.is_empty()).then(|| PlanEvent {
                name,
                required: props_col
                    .and_then(|c| fields.get(c))
                    .map(|p| split_properties(p))
                    .unwrap_or_default(),
                status: status_col
                    .and_then(|c| fields.get(c))
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty()),
                span: Span::new(span.start + offset, span.end + offset),
            })
        })
        .collect())
}

fn parse_json(source: &str) -> Result<Vec<PlanEvent>, String> {
    let value: serde_json::Value = serde_json::from_str(source.trim_start_matches('\u{feff}'))
        .map_err(|e| format!("not valid JSON: {e}"))?;
    let list = match &value {
        serde_json::Value::Array(a) => a,
        serde_json::Value::Object(o) => o
            .get("events")
            .and_then(|e| e.as_array())
            .ok_or("a JSON plan is an array of events or an object with an `events` array")?,
        _ => return Err("a JSON plan is an array of events or an object with an `events` array".into()),
    };
    let mut events = Vec::new();
    for item in list {
        let name = item
            .get("name")
            .or_else(|| item.get("event"))
            .and_then(|n| n.as_str())
            .ok_or("every event in a JSON plan has a `name`")?;
        let required = match item.get("required_properties").or_else(|| item.get("properties")) {
            Some(serde_json::Value::Array(a)) => {
                a.iter().filter_map(|p| p.as_str().map(str::to_string)).collect()
            }
            Some(serde_json::Value::String(s)) => split_properties(s),
            _ => Vec::new(),
        };
        // The entry's line: where its name is written.
        let quoted = serde_json::to_string(name).unwrap_or_default();
        let at = source.find(&quoted).unwrap_or(0);
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
        if s.contains([',', '"', '\n']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
    };
    let mut out = String::from("event,required_properties,status,calls\n");
    for (name, props, calls) in events {
        out.push_str(&format!("{},{},active,{}\n", quote(name), quote(&props.join(";")), calls));
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
