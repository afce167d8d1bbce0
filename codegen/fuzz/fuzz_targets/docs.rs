//! Documentation text (CommonMark with HTML, as models write it) through
//! the rustdoc converter: it must never panic, and what it returns must be
//! lines without line breaks inside them.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for line in tinsmith::rust::docs::rustdoc_lines(text) {
        assert!(!line.contains('\n'), "{line:?}");
    }
    let summary = tinsmith::rust::docs::summary(text, "Title");
    assert!(!summary.contains('\n'));
});
