//! Collects each rule's module doc comment (`//!` lines of `src/rules/<rule>.rs`) so that
//! `tracklint explain` prints exactly the documentation that sits beside the rule's code, and
//! embeds every SDK profile of `rules/`.

use std::fmt::Write as _;
use std::{env, fs, path::Path};

fn main() {
    println!("cargo:rerun-if-changed=src/rules");
    let mut out = String::from(
        "/// (module name, doc text) for every rule file.\npub const RULE_DOCS: &[(&str, &str)] = &[\n",
    );
    for (path, stem) in files("src/rules", "rs") {
        if stem == "mod" {
            continue;
        }
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
    build_id();
}

/// A hash of every source file and profile: what the per-file cache (`.tracklint_cache/`) is
/// keyed by besides the version, so that no build ever reads facts another build wrote (their
/// shape or meaning may differ even when the version number does not).
fn build_id() {
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=Cargo.lock");
    let mut files = Vec::new();
    let mut stack = vec![Path::new("src").to_path_buf(), Path::new("rules").to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).into_iter().flatten().filter_map(Result::ok) {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.push(Path::new("Cargo.lock").to_path_buf());
    files.sort();
    // FNV-1a, 64 bits: no dependency, and collisions only cost a cache miss.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for path in files {
        for byte in path.to_string_lossy().bytes().chain(fs::read(&path).unwrap_or_default()) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    println!("cargo:rustc-env=TRACKLINT_BUILD_ID={hash:016x}");
}

/// Every SDK profile in `rules/`, embedded: adding an SDK is adding its TOML file.
fn profiles() -> String {
    println!("cargo:rerun-if-changed=rules");
    let mut out = String::from(
        "/// (file stem, text) of every SDK profile in `rules/`, in file-name order.\npub const BUILTIN: &[(&str, &str)] = &[\n",
    );
    for (path, stem) in files("rules", "toml") {
        let absolute = fs::canonicalize(&path).unwrap_or(path.clone());
        let _ = writeln!(out, "    ({stem:?}, include_str!({:?})),", absolute.display().to_string());
    }
    out.push_str("];\n");
    out
}

/// The files of `dir` with this extension, in name order, with their stems; each one a
/// reason to run this script again.
fn files(dir: &str, extension: &str) -> Vec<(std::path::PathBuf, String)> {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_else(|_| Vec::new());
    entries.sort();
    entries
        .into_iter()
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some(extension))
        .filter_map(|p| {
            let stem = p.file_stem()?.to_str()?.to_string();
            println!("cargo:rerun-if-changed={}", p.display());
            Some((p, stem))
        })
        .collect()
}

fn write(name: &str, text: &str) {
    let dest = Path::new(&env::var("OUT_DIR").unwrap_or_else(|_| ".".into())).join(name);
    if let Err(e) = fs::write(&dest, text) {
        panic!("cannot write {}: {e}", dest.display());
    }
}
