//! Untrusted event-stream bytes through the incremental decoder, cut into
//! chunks at fuzzer-chosen boundaries: it must return messages or a
//! `FrameError`, never panic or allocate beyond one message's bound, and
//! every message it returns must re-encode to a frame that decodes to the
//! same message.

#![no_main]

use libfuzzer_sys::fuzz_target;
use tinsmith_runtime::eventstream::{Message, frame::Decoder};

fuzz_target!(|data: &[u8]| {
    let Some((&cut, bytes)) = data.split_first() else {
        return;
    };
    let chunk = usize::from(cut).max(1);
    let mut decoder = Decoder::new();
    for piece in bytes.chunks(chunk) {
        decoder.feed(piece);
        loop {
            match decoder.next_message() {
                Ok(Some(message)) => {
                    if let Ok(frame) = message.encode() {
                        assert_eq!(Message::decode(&frame).as_ref(), Ok(&message));
                    }
                }
                Ok(None) => break,
                Err(_) => return,
            }
        }
    }
    let _ = decoder.finish();
});
