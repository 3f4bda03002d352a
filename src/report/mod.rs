//! Renderers. Each reads only the [`crate::Report`] data: diagnostics, calls and errors.

pub mod human;
pub mod json;

use std::path::Path;

/// The path as shown to users: relative to the current directory when possible, `/` separators.
pub fn display_path(path: &Path) -> String {
    let rel = if path.is_absolute() {
        std::env::current_dir().ok().and_then(|cwd| path.strip_prefix(&cwd).ok().map(Path::to_path_buf))
    } else {
        None
    };
    let shown = rel.as_deref().unwrap_or(path);
    let text = shown.to_string_lossy().replace('\\', "/");
    text.strip_prefix("./").map(str::to_string).unwrap_or(text)
}

/// The event name of a call as the inventory shows it.
pub fn event_label(call: &crate::model::Call) -> Option<String> {
    let event = call.event.as_ref()?;
    Some(match &event.kind {
        crate::model::ValueKind::Str(s) => s.clone(),
        _ => "<dynamic>".to_string(),
    })
}
