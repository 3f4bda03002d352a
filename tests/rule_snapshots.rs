//! One reviewed snapshot per rule (`tests/snapshots/rules/<rule>.snap`), like ruff's snapshots
//! or clippy's `.fixed` files: every finding the rule makes on its fixtures with its full
//! message, help, fix and related places, then the fixes as the diff `--diff --unsafe-fixes`
//! prints. The `expect:` markers (tests/fixtures.rs) pin where findings are; these pin what
//! they say. After an intended change: `TRACKLINT_BLESS=1 cargo test --test rule_snapshots`,
//! then review the diff of the snapshots.

mod common;

use common::{json, run};
use std::fmt::Write as _;
use std::path::Path;

fn rule_ids() -> Vec<String> {
    let rules = json(&run(&["rules", "--format", "json"]));
    rules
        .as_array()
        .or_else(|| rules["rules"].as_array())
        .map(|a| a.iter().filter_map(|r| r["id"].as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

/// The snapshot text of one rule: its findings on `fixtures/<rule>`, then the fixes' diff.
fn snapshot(rule: &str) -> String {
    let dir = format!("fixtures/{rule}");
    let report = json(&run(&["check", "--format", "json", "--exit-zero", &dir]));
    let mut out = format!("# {rule} on {dir}\n");
    for d in report["diagnostics"].as_array().map(Vec::as_slice).unwrap_or_default() {
        if d["rule"].as_str() != Some(rule) {
            continue;
        }
        let _ = writeln!(
            out,
            "\n{}:{}:{}: {}\n  message: {}\n  help: {}",
            d["path"].as_str().unwrap_or(""),
            d["line"],
            d["column"],
            d["severity"].as_str().unwrap_or(""),
            d["message"].as_str().unwrap_or(""),
            d["help"].as_str().unwrap_or("")
        );
        if let Some(fix) = d["fix"].as_object() {
            let _ = writeln!(
                out,
                "  fix ({}): {}",
                fix["applicability"].as_str().unwrap_or(""),
                fix["replacement"].as_str().unwrap_or("")
            );
        }
        for r in d["related"].as_array().map(Vec::as_slice).unwrap_or_default() {
            let _ = writeln!(
                out,
                "  related: {}:{}:{}: {}",
                r["path"].as_str().unwrap_or(""),
                r["line"],
                r["column"],
                r["message"].as_str().unwrap_or("")
            );
        }
        for v in d["via"].as_array().map(Vec::as_slice).unwrap_or_default() {
            let _ = writeln!(
                out,
                "  via: {} ({}:{})",
                v["name"].as_str().unwrap_or(""),
                v["path"].as_str().unwrap_or(""),
                v["line"]
            );
        }
    }
    let diff = run(&["check", "--diff", "--unsafe-fixes", &dir]);
    let diff = String::from_utf8_lossy(&diff.stdout);
    out.push_str("\n## fixed (--diff --unsafe-fixes)\n");
    out.push_str(if diff.trim().is_empty() { "(no fixes)\n" } else { &diff });
    out
}

#[test]
fn every_rule_has_a_reviewed_snapshot() {
    let ids = rule_ids();
    assert!(ids.len() >= 20, "rules listed: {ids:?}");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/rules");
    let bless = std::env::var_os("TRACKLINT_BLESS").is_some();
    let mut stale = Vec::new();
    for rule in &ids {
        let actual = snapshot(rule);
        assert!(actual.contains(&format!("{rule}:")) || actual.contains("fixtures/"), "{actual}");
        let path = dir.join(format!("{rule}.snap"));
        if bless {
            std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
            std::fs::write(&path, &actual).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
            continue;
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_default();
        if actual != expected {
            stale.push(format!("{}:\n{actual}", path.display()));
        }
    }
    assert!(
        stale.is_empty(),
        "snapshots differ (bless with TRACKLINT_BLESS=1 and review):\n{}",
        stale.join("\n")
    );
}

#[test]
fn a_snapshot_shows_message_help_fix_and_the_fixed_text() {
    let text = snapshot("event-name-style");
    assert!(text.contains("message: `signed_up` is not a readable event name"), "{text}");
    assert!(text.contains("fix (unsafe): 'Signed Up'"), "{text}");
    assert!(text.contains("+") && text.contains("Signed Up"), "{text}");
}
