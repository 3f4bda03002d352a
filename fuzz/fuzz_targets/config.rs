//! Any bytes as `tracklint.toml`: a config or a config error, never a panic; an error's span
//! lies inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    tracklint::fuzz_config(data);
});
