//! `@pattern` text, as a model may hold it, through the rewrite servers
//! check patterns with: it must never panic, a rewrite it accepts must
//! compile, and matching with it must not panic either.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(pattern) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(engine) = tinsmith::rust::pattern::rewrite(pattern) else {
        return;
    };
    let regex = fancy_regex::Regex::new(&engine).expect("an accepted rewrite compiles");
    for value in ["", "a", "abc-123_XYZ", "Größe 😀\t\n", pattern] {
        let _ = regex.is_match(value);
    }
});
