//! The human rendering users read, compared to a reviewed snapshot. Regenerate after an
//! intended change with `TRACKLINT_BLESS=1 cargo test --test snapshot` and review the diff.

mod common;

use common::run;
use std::path::Path;

#[test]
fn human_rendering_of_the_example_app() {
    let out = run(&["check", "fixtures/example-app"]);
    let actual = String::from_utf8_lossy(&out.stdout).to_string();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/example-app.txt");
    if std::env::var_os("TRACKLINT_BLESS").is_some() {
        std::fs::write(&path, &actual).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(actual == expected, "human output changed; diff it against {}:\n{actual}", path.display());
}
