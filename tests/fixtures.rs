//! Every fixture line marked `expect: rule@column` must produce exactly that diagnostic, and
//! every other line must stay silent. Each fixture folder is linted as one project.

mod common;

use common::{findings, json, run};
use std::path::{Path, PathBuf};

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Parses `expect: rule@12, other-rule@3` markers.
fn expectations(root: &Path, dir: &Path) -> Vec<(String, u64, u64, String)> {
    let mut out = Vec::new();
    for file in files_under(dir) {
        let Ok(text) = std::fs::read_to_string(&file) else { continue };
        let rel = file.strip_prefix(root).unwrap_or(&file).to_string_lossy().replace('\\', "/");
        for (i, line) in text.lines().enumerate() {
            let Some((_, markers)) = line.split_once("expect: ") else { continue };
            for marker in markers.split(',') {
                let marker = marker.trim();
                let (rule, col) = marker
                    .split_once('@')
                    .unwrap_or_else(|| panic!("{rel}:{}: marker `{marker}` lacks @column", i + 1));
                // A marker inside `/* ... */` ends before the comment's close.
                let digits: String = col.chars().take_while(char::is_ascii_digit).collect();
                let col: u64 =
                    digits.parse().unwrap_or_else(|_| panic!("{rel}:{}: bad column in `{marker}`", i + 1));
                out.push((rel.clone(), i as u64 + 1, col, rule.to_string()));
            }
        }
    }
    out.sort();
    out
}

fn fixture_dirs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .map(|rd| rd.flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect())
        .unwrap_or_default();
    dirs.sort();
    dirs
}

#[test]
fn fixtures_match_their_expectations() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dirs = fixture_dirs();
    assert!(dirs.len() >= 6, "fixture folders are missing");
    let mut failures = Vec::new();
    for dir in dirs {
        let rel = dir.strip_prefix(root).unwrap_or(&dir).to_string_lossy().to_string();
        let output = run(&["check", "--format", "json", &rel]);
        let actual = findings(&json(&output));
        let expected = expectations(root, &dir);
        if actual != expected {
            let missing: Vec<_> = expected.iter().filter(|e| !actual.contains(e)).collect();
            let unexpected: Vec<_> = actual.iter().filter(|a| !expected.contains(a)).collect();
            failures.push(format!("{rel}:\n  missing: {missing:?}\n  unexpected: {unexpected:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_rule_fires_in_every_language() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let rules = json(&run(&["rules", "--format", "json"]));
    let ids: Vec<(String, String)> = rules
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|r| Some((r["id"].as_str()?.to_string(), r["scope"].as_str()?.to_string())))
                .collect()
        })
        .unwrap_or_default();
    assert!(!ids.is_empty());
    for (name, scope) in ids {
        let dir = root.join("fixtures").join(&name);
        let expected = expectations(root, &dir);
        if scope == "project" {
            // A project rule's fixture is a small app: the finding in one language, the place it
            // conflicts with in another, and files that stay silent.
            let firing: std::collections::BTreeSet<&str> = expected
                .iter()
                .filter(|(_, _, _, rule)| rule == &name)
                .filter_map(|(p, _, _, _)| p.rsplit('.').next())
                .collect();
            assert!(!firing.is_empty(), "fixtures/{name} has no `expect: {name}` line");
            let files = files_under(&dir);
            let silent = files.iter().filter(|f| {
                let rel = f.strip_prefix(root).unwrap_or(f).to_string_lossy().replace('\\', "/");
                !expected.iter().any(|(p, _, _, _)| *p == rel)
            });
            assert!(silent.count() > 0, "fixtures/{name} has no file that stays silent");
            let languages: std::collections::BTreeSet<_> = files
                .iter()
                .filter_map(|f| f.extension().and_then(|e| e.to_str()).map(str::to_string))
                .collect();
            assert!(languages.len() >= 2, "fixtures/{name} spans one language only");
            continue;
        }
        for ext in ["rb", "js", "ts"] {
            let bad = format!("fixtures/{name}/bad.{ext}");
            assert!(
                expected.iter().any(|(p, _, _, rule)| p == &bad && rule == &name),
                "{bad} has no `expect: {name}` line"
            );
            assert!(dir.join(format!("good.{ext}")).is_file(), "fixtures/{name}/good.{ext} is missing");
        }
    }
}

#[test]
fn prefilter_loses_no_finding() {
    for dir in fixture_dirs() {
        let rel = format!("fixtures/{}", dir.file_name().and_then(|n| n.to_str()).unwrap_or_default());
        let with = findings(&json(&run(&["check", "--format", "json", &rel])));
        let without = findings(&json(&run(&["check", "--format", "json", "--no-prefilter", &rel])));
        assert_eq!(with, without, "{rel}");
    }
}

#[test]
fn output_is_identical_with_one_or_two_threads() {
    let one = run(&["check", "--format", "json", "--threads", "1", "fixtures"]);
    let two = run(&["check", "--format", "json", "--threads", "2", "fixtures"]);
    assert!(!findings(&json(&one)).is_empty());
    assert_eq!(one.stdout, two.stdout);
    let human_one = run(&["check", "--threads", "1", "fixtures"]);
    let human_two = run(&["check", "--threads", "2", "fixtures"]);
    assert_eq!(human_one.stdout, human_two.stdout);
}
