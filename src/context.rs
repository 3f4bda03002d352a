//! Where code runs, from where its file lives: a Rails controller, a view, an API route, a
//! rake task, a migration, a management command, a script. Computed once per file (the
//! pipeline copies it into each call's [`crate::model::CallContext`]); rules read the context,
//! never paths.

use crate::model::Language;
use std::path::{Component, Path};
use std::sync::Arc;

/// What a file's location says about the code in it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FilePlace {
    /// The file handles web requests: "a Rails controller", "a view", "an API route"...
    pub request: Option<&'static str>,
    /// Every profile update in the file is part of a backfill, and why ("in `lib/tasks/`").
    pub backfill: Option<Arc<str>>,
}

/// The place of the file at `path` (as given on the command line or found by the walk).
pub fn of_file(path: &Path, language: Language) -> FilePlace {
    FilePlace { request: request_context(path, language), backfill: path_reason(path).map(Arc::from) }
}

/// Words in a file or method name that say it is a batch job over existing data.
const BACKFILL_WORDS: &[&str] = &[
    "backfill",
    "backfills",
    "backfilling",
    "migrate",
    "migrates",
    "migrating",
    "migration",
    "migrations",
    "sync",
    "syncs",
    "syncing",
    "resync",
    "import",
    "imports",
    "importer",
    "importing",
    "reindex",
];
const BACKFILL_DIRS: &[&[&str]] = &[
    &["lib", "tasks"],
    &["db", "migrate"],
    &["db", "data"],
    &["script"],
    &["scripts"],
    &["bin"],
    &["management", "commands"],
];

/// Whether a name has a word that marks a backfill (`backfill_users`, `MigrateProfiles`).
pub fn has_backfill_word(name: &str) -> bool {
    crate::naming::split_words(name).iter().any(|w| BACKFILL_WORDS.contains(&w.to_lowercase().as_str()))
}

/// Where request-handling code lives, by language.
fn request_context(path: &Path, language: Language) -> Option<&'static str> {
    let parts: Vec<&str> = path
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => s.to_str(),
            _ => None,
        })
        .collect();
    let (file, dirs) = parts.split_last()?;
    let has_dir = |d: &str| dirs.contains(&d);
    let pair = |a: &str, b: &str| dirs.windows(2).any(|w| w[0] == a && w[1] == b);
    match language {
        Language::Ruby if pair("app", "controllers") => Some("a Rails controller"),
        Language::Python if *file == "views.py" || has_dir("views") || *file == "routes.py" => Some("a view"),
        Language::JavaScript | Language::TypeScript | Language::Tsx => {
            let stem = file.split('.').next().unwrap_or("");
            if pair("pages", "api") || (has_dir("app") && stem == "route") {
                Some("an API route")
            } else if has_dir("routes") || has_dir("controllers") {
                Some("a route handler")
            } else {
                None
            }
        }
        Language::Rust if has_dir("handlers") || has_dir("routes") => Some("a request handler"),
        _ => None,
    }
}

/// Why the file's location makes every profile update in it part of a backfill.
fn path_reason(path: &Path) -> Option<String> {
    let parts: Vec<String> = path
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => s.to_str().map(str::to_string),
            _ => None,
        })
        .collect();
    let (file, dirs) = parts.split_last()?;
    if file.ends_with(".rake") {
        return Some(format!("in rake file `{}`", path.display()));
    }
    for pattern in BACKFILL_DIRS {
        if dirs.windows(pattern.len()).any(|w| w.iter().zip(pattern.iter()).all(|(a, b)| a == b)) {
            return Some(format!("in `{}/`", pattern.join("/")));
        }
    }
    let stem = file.split('.').next().unwrap_or(file);
    has_backfill_word(stem).then(|| format!("in `{file}`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backfill_paths() {
        assert!(path_reason(Path::new("lib/tasks/users.rake")).is_some());
        assert!(path_reason(Path::new("app/db/migrate/2020_add.rb")).is_some());
        assert!(path_reason(Path::new("scripts/backfill_profiles.js")).is_some());
        assert!(path_reason(Path::new("app/jobs/sync_users_job.rb")).is_some());
        assert!(path_reason(Path::new("app/controllers/users_controller.rb")).is_none());
        assert!(path_reason(Path::new("app/models/binder.rb")).is_none());
        assert!(path_reason(Path::new("app/models/important_notice.rb")).is_none());
    }

    #[test]
    fn request_code_by_location() {
        let at = |p: &str, l| request_context(Path::new(p), l);
        assert_eq!(at("app/controllers/orders_controller.rb", Language::Ruby), Some("a Rails controller"));
        assert_eq!(at("shop/views.py", Language::Python), Some("a view"));
        assert_eq!(at("pages/api/track.ts", Language::TypeScript), Some("an API route"));
        assert_eq!(at("app/models/order.rb", Language::Ruby), None);
    }
}
