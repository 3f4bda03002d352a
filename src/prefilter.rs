//! The literal prefilter: one Aho-Corasick pass over a file's bytes decides whether it can hold
//! anything a profile matches. Most files of a real repository cannot, and are never parsed.
//!
//! The trigger set is derived from the loaded profiles, so a new profile or wrapper widens it
//! by itself:
//! - every method's first path segment as a member access, `.track` / `.people`, that ends at an
//!   identifier boundary (`.tracking` and `.trackEvent` are not triggers), since every call site
//!   spells its method that way (`x.track`, `x&.track`, `x?.track`, `x\n  .track`, and Ruby's
//!   `Analytics::track`);
//! - the names that bind a client in a file with no call (`TRACKER = Mixpanel::Tracker.new`,
//!   `import mixpanel from 'mixpanel-browser'`): constructor roots, modules and self-evident
//!   client names, anywhere;
//! - `tracklint:`, the suppression marker.
//!
//! Method names every codebase calls on its own objects (`.set`, `.delete`, `.new`, `.import`:
//! the old `mixpanel` gem and posthog-rs have such methods) are not triggers by themselves:
//! they would make most files candidates. A file calling them on an SDK client still holds the
//! client's constructor, module or name, or another SDK method.

use crate::model::Language;
use crate::profile::Profiles;
use aho_corasick::AhoCorasick;
use std::collections::HashMap;

/// Method names too common to mark a file on their own.
const GENERIC_METHODS: &[&str] = &[
    "set",
    "set_once",
    "delete",
    "increment",
    "unset",
    "import",
    "new",
    "reset",
    "remove",
    "append",
    "union",
    // GTM's `dataLayer.push` and Pendo's `pendo.initialize` are found by their receivers' names.
    "push",
    "initialize",
];

pub struct Prefilter {
    matcher: AhoCorasick,
    /// Per pattern: whether the match must end at an identifier boundary.
    word_end: Vec<bool>,
    /// A hash of the patterns: which files the prefilter lets through, for the file cache.
    fingerprint: u64,
}

fn is_identifier_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

impl Prefilter {
    /// One prefilter per language, from the profiles of that language only (a Ruby file is not
    /// read for a Rust SDK's `new`).
    pub fn per_language(
        profiles: &Profiles,
    ) -> Result<HashMap<Language, Prefilter>, aho_corasick::BuildError> {
        Language::ALL.iter().map(|&l| Ok((l, Prefilter::new(profiles, l)?))).collect()
    }

    pub fn new(profiles: &Profiles, language: Language) -> Result<Self, aho_corasick::BuildError> {
        let mut patterns: Vec<(String, bool)> = Vec::new();
        for profile in profiles.list.iter().filter(|p| p.supports(language)) {
            for method in &profile.methods {
                if let Some(first) = method.path.first()
                    && !GENERIC_METHODS.contains(&first.as_str())
                {
                    patterns.push((format!(".{first}"), true));
                    // Ruby also calls a module's method as `Analytics::track(..)`.
                    if language == Language::Ruby {
                        patterns.push((format!("::{first}"), true));
                    }
                }
            }
            let clients = &profile.clients;
            for constructor in &clients.constructors {
                let root = constructor
                    .trim_start_matches("new ")
                    .trim_start_matches("::")
                    .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
                    .next()
                    .unwrap_or_default();
                patterns.push((root.to_string(), false));
            }
            for word in clients.modules.iter().chain(&clients.factory_modules).chain(&clients.names) {
                patterns.push((word.clone(), false));
            }
            // A vendor's global function (`gtag(..)`), called with no receiver, and the calls
            // that show a page loads a vendor's snippet (`heap.load`).
            patterns
                .extend(clients.functions.iter().chain(&clients.evidence_calls).map(|f| (f.clone(), true)));
            // A class or type is imported from its module, whose root name the file then holds.
            for qualified in clients.classes.iter().chain(&clients.types) {
                let root = qualified.split('.').next().unwrap_or_default();
                patterns.push((root.to_string(), false));
            }
        }
        // Secrets are found in the source itself (hardcoded-project-secret): a profile's key
        // formats in its languages, or in every language when they are secrets anywhere.
        for profile in &profiles.list {
            for (_, secret) in &profile.secrets {
                if (secret.anywhere || profile.supports(language))
                    && let Some(trigger) = &secret.trigger
                {
                    patterns.push((trigger.clone(), false));
                }
            }
        }
        // A file with only a (stale) suppression comment must still be read.
        patterns.push((crate::suppress::MARKER.to_string(), false));
        // Calls with no receiver (a team's `track_event(...)` helper) match the bare name.
        patterns.extend(profiles.bare_functions(language).into_iter().map(|f| (f, true)));
        patterns.retain(|(p, _)| !p.is_empty() && p != ".");
        patterns.sort();
        patterns.dedup();
        let matcher = AhoCorasick::new(patterns.iter().map(|(p, _)| p))?;
        let fingerprint = {
            use std::hash::{Hash, Hasher};
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            patterns.hash(&mut hasher);
            hasher.finish()
        };
        Ok(Prefilter { matcher, word_end: patterns.iter().map(|(_, w)| *w).collect(), fingerprint })
    }

    /// What decides which files pass: equal fingerprints let the same files through.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// Whether the bytes contain at least one trigger.
    pub fn is_match(&self, bytes: &[u8]) -> bool {
        self.matcher.find_overlapping_iter(bytes).any(|m| {
            !self.word_end[m.pattern().as_usize()]
                || bytes.get(m.end()).is_none_or(|&next| !is_identifier_byte(next))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prefilter() -> Prefilter {
        let config = crate::config::Config::parse(
            std::path::Path::new("tracklint.toml"),
            "[[wrappers]]\nlanguage = \"ruby\"\nmethod = \"track_event\"\nkind = \"track\"\nevent = 2\n",
            std::path::PathBuf::from("/project"),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let profiles = Profiles::with_wrappers(config.wrappers).unwrap_or_else(|e| panic!("{e}"));
        Prefilter::new(&profiles, Language::Ruby).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn member_calls_match_at_word_boundaries() {
        let p = prefilter();
        assert!(p.is_match(b"tracker.track('x')"));
        assert!(p.is_match(b"tracker&.track 'x'"));
        assert!(p.is_match(b"mp?.track('x')"));
        assert!(p.is_match(b"client\n  .track('x')"));
        assert!(p.is_match(b"t.people.set(1, {})"));
        assert!(p.is_match(b"a.import_events(id, 'Signed Up')"));
        assert!(p.is_match(b"foo.track"));
        assert!(p.is_match(b"Analytics::track(user_id: 1, event: 'x')"));
        assert!(
            !p.is_match(b"Analytics::tracking; this.tracking = true; this.trackEvent(x); soundtrack.play()")
        );
    }

    #[test]
    fn client_bindings_match_anywhere() {
        let p = prefilter();
        assert!(p.is_match(b"TRACKER = Mixpanel::Tracker.new(ENV['T'])"));
        let profiles = Profiles::builtin().unwrap_or_else(|e| panic!("{e}"));
        let js = Prefilter::new(&profiles, Language::JavaScript).unwrap_or_else(|e| panic!("{e}"));
        assert!(js.is_match(b"import mp from 'mixpanel-browser'; export default mp"));
        assert!(!js.is_match(b"import x from 'y'; export default x"));
    }

    #[test]
    fn triggers_are_per_language() {
        let profiles = Profiles::builtin().unwrap_or_else(|e| panic!("{e}"));
        let ruby = Prefilter::new(&profiles, Language::Ruby).unwrap_or_else(|e| panic!("{e}"));
        let rust = Prefilter::new(&profiles, Language::Rust).unwrap_or_else(|e| panic!("{e}"));
        // posthog-rs's `Event::new` must not make every Ruby `X.new` a candidate, nor the old
        // mixpanel gem's `set` / `delete` every Ruby file.
        assert!(!ruby.is_match(b"user = User.new(params)"));
        assert!(!ruby.is_match(b"cache.delete(key); settings.set(:a, 1)"));
        assert!(rust.is_match(b"use posthog_rs::Event;"));
        assert!(!rust.is_match(b"fn main() { let v = Vec::new(); }"));
    }

    #[test]
    fn bare_functions_match_as_words() {
        let p = prefilter();
        assert!(p.is_match(b"track_event(user, 'Signed Up')"));
        assert!(!p.is_match(b"track_events_table"));
    }
}
