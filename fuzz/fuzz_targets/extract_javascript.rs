//! Any bytes, read as a javascript file: extraction, resolution and every rule must not panic, and
//! every span must lie inside the source.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tracklint::model::Language;

fuzz_target!(|data: &[u8]| {
    tracklint::fuzz_file(Language::JavaScript, data);
});
