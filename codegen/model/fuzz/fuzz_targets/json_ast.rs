//! Fuzzes the JSON AST front end: arbitrary bytes as a `.json` model file
//! must load into diagnostics, never a panic.
//! A model that loads cleanly must read back the same from the JSON AST
//! written for it.
#![no_main]

use libfuzzer_sys::fuzz_target;

mod written_back;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let loaded = tinsmith_model::Loader::new().source("fuzz.json", text).load();
    let _ = tinsmith_model::diagnostics::render(&loaded.sources, &loaded.diagnostics, Default::default(), false);
    if !loaded.has_errors() {
        written_back::check(&loaded.model);
    }
});
