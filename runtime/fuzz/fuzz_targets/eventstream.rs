//! Untrusted event-stream bytes through the incremental decoder, cut into
//! chunks at fuzzer-chosen boundaries: it must return messages or a
//! `FrameError`, never panic or allocate beyond one message's bound, and
//! every message it returns must re-encode to a frame that decodes to the
//! same message.
//!
//! The first byte picks the chunk size (its low 7 bits) and the mode (its
//! high bit). Raw mode feeds the rest as it is. Framed mode treats the rest
//! as headers and payload (split at a position the next two bytes choose)
//! and wraps them in a prelude and CRCs that match, so mutations reach the
//! header parser instead of dying at a checksum.

#![no_main]

use libfuzzer_sys::fuzz_target;
use tinsmith_runtime::eventstream::{Message, frame::Decoder};

/// A frame around `headers` and `payload` with a valid prelude and CRCs.
fn framed(headers: &[u8], payload: &[u8]) -> Vec<u8> {
    let total = (16 + headers.len() + payload.len()) as u32;
    let mut out = Vec::with_capacity(total as usize);
    out.extend_from_slice(&total.to_be_bytes());
    out.extend_from_slice(&(headers.len() as u32).to_be_bytes());
    let prelude_crc = crc32fast::hash(&out);
    out.extend_from_slice(&prelude_crc.to_be_bytes());
    out.extend_from_slice(headers);
    out.extend_from_slice(payload);
    let crc = crc32fast::hash(&out);
    out.extend_from_slice(&crc.to_be_bytes());
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let chunk = usize::from(first & 0x7f).max(1);
    let owned;
    let bytes = if first & 0x80 != 0 {
        let Some((split, body)) = rest.split_first_chunk::<2>() else {
            return;
        };
        let at = usize::from(u16::from_be_bytes(*split)).min(body.len());
        owned = framed(&body[..at], &body[at..]);
        &owned[..]
    } else {
        rest
    };
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
