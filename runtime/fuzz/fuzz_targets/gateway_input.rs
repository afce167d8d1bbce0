//! What a gateway and its workers read from outside the code: the worker
//! registry (TOML text, re-read while the gateway runs) and the caller
//! context header a worker decodes. Neither may panic; a caller context
//! that decodes encodes back to itself.

#![no_main]

use libfuzzer_sys::fuzz_target;
use tinsmith_runtime::gateway::{Caller, Registry};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(registry) = Registry::from_toml(text)
    {
        for (name, worker) in registry.workers() {
            assert!(!name.is_empty() && !name.contains('/'));
            assert!(worker.url().starts_with("http"));
        }
    }
    if let Some(caller) = Caller::from_header_value(data) {
        let again = Caller::from_header_value(caller.header_value().as_bytes());
        assert_eq!(again.as_ref(), Some(&caller));
    }
});
