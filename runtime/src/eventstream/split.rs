//! Reading the first message of a stream alone, and putting a message back
//! in front of one: how a JSON-RPC 2.0 server or gateway finds the call an
//! event-stream request opens with (its `initial-request`), then hands the
//! rest of the stream on as it arrives, never buffered.

use bytes::Bytes;
use futures_util::StreamExt as _;

use super::{Decoder, Message};
use crate::bytestream::{ByteStream, ByteStreamError};

/// The first message of `body` and the body after it (what was read past
/// the message comes first), refusing a message longer than `max_len`
/// bytes before reading it.
///
/// # Errors
/// The body ends, or cannot be read, before a whole message; the message
/// is damaged or too long. The error says which, for the caller.
pub(crate) async fn split_first(
    mut body: ByteStream,
    max_len: usize,
) -> Result<(Message, ByteStream), String> {
    let mut decoder = Decoder::with_max_message_len(max_len);
    loop {
        match decoder.next_message() {
            Ok(Some(message)) => {
                let rest = decoder.into_buffered();
                return Ok((message, prepend(rest, body)));
            }
            Ok(None) => {}
            Err(e) => return Err(format!("the stream's first message cannot be read: {e}")),
        }
        match body.next().await {
            Some(Ok(chunk)) => decoder.feed_bytes(chunk),
            Some(Err(e)) => return Err(format!("the stream could not be read: {e}")),
            None if decoder.buffered() == 0 => {
                return Err("the stream ended before its first message".to_owned());
            }
            None => return Err("the stream ended inside its first message".to_owned()),
        }
    }
}

/// `first`, then `body`: the bytes `split_first` read past a message (any
/// part of the next ones) put back, or a message put in front.
pub(crate) fn prepend(first: Bytes, body: ByteStream) -> ByteStream {
    if first.is_empty() {
        return body;
    }
    let first = futures_util::stream::once(async move { Ok::<_, ByteStreamError>(first) });
    ByteStream::from_stream(first.chain(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(payload: &'static [u8]) -> Bytes {
        Message::new(Bytes::from_static(payload)).encode().unwrap()
    }

    async fn collect(mut body: ByteStream) -> Vec<u8> {
        body.collect_bytes_up_to(usize::MAX).await.unwrap().to_vec()
    }

    #[tokio::test]
    async fn the_first_message_comes_out_and_the_rest_stays_whole() {
        let (one, two, three) = (frame(b"one"), frame(b"two"), frame(b"three"));
        let mut all = Vec::new();
        for f in [&one, &two, &three] {
            all.extend_from_slice(f);
        }
        // Cut at every byte: the rest is always what followed the first.
        for cut in 1..all.len() {
            let chunks = vec![
                Ok::<_, ByteStreamError>(Bytes::copy_from_slice(&all[..cut])),
                Ok(Bytes::copy_from_slice(&all[cut..])),
            ];
            let body = ByteStream::from_stream(futures_util::stream::iter(chunks));
            let (first, rest) = split_first(body, 1024).await.unwrap();
            assert_eq!(first.payload().as_ref(), b"one");
            assert_eq!(
                collect(rest).await,
                all[one.len()..].to_vec(),
                "cut at {cut}"
            );
        }
    }

    #[tokio::test]
    async fn a_short_damaged_or_oversized_stream_is_refused() {
        let one = frame(b"one");
        let cases: [(Bytes, &str); 4] = [
            (Bytes::new(), "before its first message"),
            (one.slice(..one.len() - 1), "inside its first message"),
            (
                {
                    let mut bad = one.to_vec();
                    *bad.last_mut().unwrap() ^= 1;
                    Bytes::from(bad)
                },
                "cannot be read",
            ),
            (frame(&[b'x'; 600]), "cannot be read"),
        ];
        for (body, expected) in cases {
            let error = split_first(ByteStream::new(body), 512).await.unwrap_err();
            assert!(error.contains(expected), "{error}");
        }
    }
}
