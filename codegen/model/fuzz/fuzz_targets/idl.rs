//! Fuzzes the whole load pipeline with arbitrary IDL text: parsing, assembly,
//! validation and both diagnostic renderings must never panic or hang.
//! A model that loads cleanly must read back the same from the JSON AST
//! written for it.
#![no_main]

use libfuzzer_sys::fuzz_target;

mod written_back;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let loaded = tinsmith_model::Loader::new().source("fuzz.smithy", text).load();
    let _ = tinsmith_model::diagnostics::render(&loaded.sources, &loaded.diagnostics, Default::default(), false);
    let _ = tinsmith_model::diagnostics::render(&loaded.sources, &loaded.diagnostics, tinsmith_model::diagnostics::Format::Short, false);
    if !loaded.has_errors() {
        written_back::check(&loaded.model);
    }
});
