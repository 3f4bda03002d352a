//! Collects each rule's module doc comment (`//!` lines of `src/rules/<rule>.rs`) so that
//! `tracklint explain` prints exactly the documentation that sits beside the rule's code.

use std::fmt::Write as _;
use std::{env, fs, path::Path};

fn main() {
    println!("cargo:rerun-if-changed=src/rules");
    let mut out = String::from(
        "/// (module name, doc text) for every rule file.\npub const RULE_DOCS: &[(&str, &str)] = &[\n",
    );
    let mut entries: Vec<_> = fs::read_dir("src/rules")
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_else(|_| Vec::new());
    entries.sort();
    for path in entries {
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else { continue };
        if stem == "mod" || path.extension().and_then(|e| e.to_str()) != Some("rs") {
            continue;
        }
        println!("cargo:rerun-if-changed={}", path.display());
        let text = fs::read_to_string(&path).unwrap_or_default();
        let doc: Vec<&str> = text
            .lines()
            .take_while(|l| l.starts_with("//!"))
            .map(|l| l.strip_prefix("//! ").unwrap_or(l.strip_prefix("//!").unwrap_or(l)))
            .collect();
        let _ = writeln!(out, "    ({stem:?}, {:?}),", doc.join("\n"));
    }
    out.push_str("];\n");
    write("rule_docs.rs", &out);
    write("profiles.rs", &profiles());
}

/// Every SDK profile in `rules/`, embedded: adding an SDK is adding its TOML file.
fn profiles() -> String {
    println!("cargo:rerun-if-changed=rules");
    let mut out = String::from(
        "/// (file stem, text) of every SDK profile in `rules/`, in file-name order.\npub const BUILTIN: &[(&str, &str)] = &[\n",
    );
    let mut entries: Vec<_> = fs::read_dir("rules")
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_else(|_| Vec::new());
    entries.sort();
    for path in entries {
        if path.extension().and_then(|e| e.to_str()) != Some("toml") {
            continue;
        }
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else { continue };
        println!("cargo:rerun-if-changed={}", path.display());
        let absolute = fs::canonicalize(&path).unwrap_or(path.clone());
        let _ = writeln!(out, "    ({stem:?}, include_str!({:?})),", absolute.display().to_string());
    }
    out.push_str("];\n");
    out
}

fn write(name: &str, text: &str) {
    let dest = Path::new(&env::var("OUT_DIR").unwrap_or_else(|_| ".".into())).join(name);
    if let Err(e) = fs::write(&dest, text) {
        panic!("cannot write {}: {e}", dest.display());
    }
}
