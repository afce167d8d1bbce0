//! Models through the whole generator: any model the loader accepts must
//! plan and render without a panic (generation may still refuse it with a
//! `GenerateError`), a client alone and with its server (whose `@pattern`
//! checks are rewritten for, and compiled by, the server's engine).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let loaded = tinsmith::Loader::new().source("fuzz.smithy", text).load();
    if loaded.has_errors() {
        return;
    }
    let _ = tinsmith::rust::generate(&loaded.model, &Default::default());
    let server = tinsmith::rust::Options {
        server: true,
        ..Default::default()
    };
    let _ = tinsmith::rust::generate(&loaded.model, &server);
});
