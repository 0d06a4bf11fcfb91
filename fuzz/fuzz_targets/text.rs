//! Every parser of a line or field of text, on the bytes as the server decodes them.
#![no_main]

#[path = "../../domain/tests/parsers/mod.rs"]
#[allow(dead_code)] // Each target uses its own part.
mod parsers;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    parsers::text(&String::from_utf8_lossy(data));
});
