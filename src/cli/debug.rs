//! `tracklint debug`: the front-ends' raw facts, and the parse-only floor the benchmark uses.

use super::*;

pub(super) fn debug_sites(paths: &[PathBuf]) -> i32 {
    let profiles = match crate::profile::Profiles::builtin() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_ERROR;
        }
    };
    let options = crate::frontend::ExtractOptions::per_language(&profiles);
    let mut out = String::new();
    for path in paths {
        let Some(language) = crate::walk::language_of(path) else { continue };
        let Ok(source) = std::fs::read_to_string(path) else {
            eprintln!("error: cannot read {}", path.display());
            return EXIT_ERROR;
        };
        let Some(options) = options.get(&language) else { continue };
        match crate::frontend::extract(language, &source, options) {
            Ok(facts) => out.push_str(&format!("{}:\n{:#?}\n", path.display(), facts)),
            Err(e) => out.push_str(&format!("{}: {e:?}\n", path.display())),
        }
    }
    print(&out)
}

/// The parse-only floor: walk, read and parse, nothing else.
pub(super) fn parse_floor(args: &WalkArgs) -> i32 {
    configure_threads(args.threads);
    let options = match options(args) {
        Ok(o) => o,
        Err(code) => return code,
    };
    match crate::parse_floor(&options) {
        Ok(s) => print(&format!(
            "parsed {} files ({} bytes), {} with syntax errors, {} skipped\n",
            s.files - s.skipped,
            s.bytes,
            s.with_syntax_errors,
            s.skipped
        )),
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_ERROR
        }
    }
}
