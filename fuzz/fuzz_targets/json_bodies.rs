//! Every request body the API reads, from raw bytes, parsed against a site.
#![no_main]

#[path = "../../domain/tests/parsers/mod.rs"]
#[allow(dead_code)] // Each target uses its own part.
mod parsers;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    parsers::json_bodies(data);
});
