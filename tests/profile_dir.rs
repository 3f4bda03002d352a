//! Adding an SDK is one TOML file: a profile loaded from a directory (`tests/profiles/sdk`, an
//! SDK no code knows) makes its calls, its token, its secret key format and its synchronous
//! client visible to every rule. Without the profile the same app has no finding at all.

use std::path::{Path, PathBuf};
use tracklint::{Options, config::Config, lint, profile};

fn findings(extra: Vec<profile::LoadedProfile>) -> Vec<(String, usize, usize)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/profiles/app");
    let options = Options {
        paths: vec![PathBuf::from(&root)],
        config: Config::default(),
        nested_configs: false,
        extra_profiles: extra,
        ..Options::default()
    };
    let report = lint(&options).unwrap_or_else(|e| panic!("{e}"));
    let mut out = Vec::new();
    for file in &report.files {
        for d in &file.diagnostics {
            let (line, column) = file.lines.line_col(&file.source, d.span.start);
            out.push((d.rule.to_string(), line, column));
        }
    }
    out.sort();
    out
}

#[test]
fn a_profile_from_a_directory_is_a_whole_sdk() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/profiles/sdk");
    let sdk = profile::load_dir(&dir).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sdk.len(), 1);
    assert_eq!(
        findings(sdk),
        vec![
            ("event-name-style".to_string(), 6, 33),
            ("hardcoded-project-secret".to_string(), 2, 19),
            ("hardcoded-project-token".to_string(), 1, 35),
            ("tracking-in-request-cycle".to_string(), 6, 5),
        ]
    );
}

#[test]
fn without_the_profile_the_sdk_is_unknown() {
    assert_eq!(findings(Vec::new()), Vec::<(String, usize, usize)>::new());
}

#[test]
fn a_broken_profile_is_an_error_naming_it() {
    let dir = std::env::temp_dir().join(format!("tracklint-profiles-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.join("bad.toml"), "id = \"bad\"\nlanguages = [\"cobol\"]\nplatform = \"server\"\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let e = profile::load_dir(&dir).err().map(|e| e.to_string()).unwrap_or_default();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(e.contains("bad") && e.contains("cobol"), "{e}");
}
