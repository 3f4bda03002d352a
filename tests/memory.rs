//! Memory per file on a tree where every file has tracking calls: what each more file costs
//! at the peak, from the peak at N files and at 4N (the process's own start-up cancels out).
//! The peak is the one the process reports with `TRACKLINT_TIMINGS` (Linux `/proc`), so the
//! test says nothing where the system does not tell.

mod common;

use common::{Scratch, bin};

/// An app-like file with five tracking calls, properties, a profile update and an identify.
fn store(i: usize) -> String {
    format!(
        "import mixpanel from 'mixpanel-browser';\n\
         import {{ api }} from '../api';\n\n\
         export class Feature{i}Store {{\n\
         \x20 constructor(user) {{ this.user = user; this.items = []; }}\n\
         \x20 async load() {{\n\
         \x20   const response = await api.get(`/items/${{this.user.id}}`);\n\
         \x20   this.items = response.data.map((item) => ({{ ...item, selected: false }}));\n\
         \x20   mixpanel.track('Items Loaded {i}', {{ count: this.items.length, source: 'store' }});\n\
         \x20 }}\n\
         \x20 add(item) {{\n\
         \x20   this.items.push(item);\n\
         \x20   mixpanel.track('item_added', {{ id: item.id, price: item.price }});\n\
         \x20   mixpanel.people.set({{ last_item: item.name, has_items: true }});\n\
         \x20 }}\n\
         \x20 identify() {{\n\
         \x20   mixpanel.identify(this.user.id);\n\
         \x20   mixpanel.register({{ plan: this.user.plan }});\n\
         \x20 }}\n\
         }}\n"
    )
}

/// The peak resident memory, in MB, that a `check` of `files` files reports.
fn peak_mb(files: usize) -> Option<f64> {
    let t = Scratch::new(&format!("memory-{files}"));
    for i in 0..files {
        t.write(&format!("web/part{}/feature_{i}.js", i / 500), store(i));
    }
    let out = bin()
        .current_dir(&t.path)
        .env("TRACKLINT_TIMINGS", "1")
        .env("TRACKLINT_NO_CACHE", "1")
        .args(["check", "--isolated", "--threads", "1", "--format", "json", "."])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr);
    stderr
        .lines()
        .filter_map(|l| l.rsplit_once("peak ")?.1.strip_suffix(" MB)")?.parse::<f64>().ok())
        .reduce(f64::max)
}

#[test]
fn each_file_costs_a_bounded_amount_of_memory_at_the_peak() {
    let (Some(small), Some(large)) = (peak_mb(400), peak_mb(1600)) else {
        eprintln!("the system does not report peak memory: nothing measured");
        return;
    };
    let per_file_kb = (large - small) * 1024.0 / 1200.0;
    // Measured on this corpus: 26 KB per file when every file's call sites were held as
    // values, each call copied its profile's names and the report was built as one text
    // (2026-12-01), 13 KB after.
    assert!(
        per_file_kb < 18.0,
        "{per_file_kb:.1} KB per file at the peak ({small} MB at 400 files, {large} MB at 1600)"
    );
}
