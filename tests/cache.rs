//! The cache a long-lived process (the language server) keeps between lints: unchanged files
//! are neither read nor parsed again, a changed file is, the edited buffer always is, and a
//! change in what extraction depends on (a declared wrapper) drops every entry.

mod common;

use common::Scratch;
use std::path::PathBuf;
use std::sync::Arc;
use tracklint::{LintCache, Options, config::Config, lint};

fn findings(options: &Options) -> Vec<(String, String)> {
    let report = lint(options).unwrap_or_else(|e| panic!("{e}"));
    let mut out: Vec<(String, String)> = report
        .files
        .iter()
        .flat_map(|f| f.diagnostics.iter().map(move |d| (f.path.display().to_string(), d.rule.to_string())))
        .collect();
    out.sort();
    out
}

#[test]
fn unchanged_files_come_from_the_cache_and_changes_do_not() {
    let t = Scratch::new("cache");
    t.write("config/mixpanel.rb", "TRACKER = Mixpanel::Tracker.new(ENV['T'])\n");
    t.write("app/a.rb", "def a(u)\n  TRACKER.track(u.id, 'signed_up')\nend\n");
    t.write("app/b.rb", "def b(u)\n  TRACKER.track(u.id, 'User Invited')\nend\n");
    let cache = Arc::new(LintCache::new());
    let options = |stdin: Option<&str>| Options {
        paths: vec![PathBuf::from(&t.path)],
        config: Config::default(),
        nested_configs: false,
        cache: Some(Arc::clone(&cache)),
        stdin: stdin.map(|text| (t.path.join("app/b.rb"), text.as_bytes().to_vec())),
        ..Options::default()
    };
    let first = findings(&options(None));
    assert_eq!(first.len(), 1, "{first:?}");
    assert_eq!(cache.hits(), 0);
    // Nothing changed: every file from the cache, the same findings.
    assert_eq!(findings(&options(None)), first);
    assert_eq!(cache.hits(), 3);
    // One file changed on disk (another size): it is read again, the others are not.
    t.write("app/a.rb", "def a(u)\n  TRACKER.track(u.email, 'signed_up')\nend\n");
    let changed = findings(&options(None));
    assert_eq!(changed.len(), 2, "the change is seen: {changed:?}");
    assert_eq!(cache.hits(), 5);
    // The edited buffer is always linted as it is, never from the cache.
    let buffer = findings(&options(Some("def b(u)\n  TRACKER.track(u.email, 'User Invited')\nend\n")));
    assert!(buffer.iter().any(|(p, r)| p.ends_with("b.rb") && r == "email-as-distinct-id"), "{buffer:?}");
    assert_eq!(cache.hits(), 7);
    // A declared wrapper changes what extraction keeps: nothing is reused.
    t.write(
        "tracklint.toml",
        "[[wrappers]]\nlanguage = \"ruby\"\nmethod = \"track_it\"\nkind = \"track\"\nevent = 1\n",
    );
    let with_config = Options {
        config: Config::discover(&t.path).unwrap_or_else(|e| panic!("{}", e.message)),
        ..options(None)
    };
    findings(&with_config);
    assert_eq!(cache.hits(), 7, "entries made under other extraction options are dropped");
}
