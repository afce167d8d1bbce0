//! Sending an event stream: items in, the frames of a body out.
//!
//! Both ends send with this: a client its request stream ([`EventInput`]),
//! a server its answer ([`EventStream`]). They differ in what happens when
//! the stream cannot go on. A server tells the client why, in a message
//! (Smithy's streaming spec: a modeled error as an `exception` message,
//! anything else as an `error` message), because a bare cut would leave the
//! client guessing; a client has no such message to send, so its request
//! body is cut short and the service sees a broken request. Either way
//! nothing follows the fault, not even the end-of-stream marker, which
//! only ever means "finished cleanly".
//!
//! [`EventInput`]: super::EventInput
//! [`EventStream`]: super::EventStream

use std::panic::AssertUnwindSafe;
use std::pin::Pin;

use bytes::Bytes;
use futures_util::{FutureExt as _, StreamExt as _};

use super::frame::Message;
use super::{END_OF_STREAM, StreamEnd, StreamError, StreamErrorKind};
use crate::bytestream::ByteStream;
use crate::error::BoxError;

/// The `:error-code` of an `error` message for a fault the producer did
/// not name: a panic, an event that does not encode, a received stream
/// passed on that broke.
pub(super) const INTERNAL_FAILURE: &str = "InternalFailure";

/// The longest `:error-message` sent, in bytes (header strings may be up
/// to 32 KiB; a message is for people).
const MAX_ERROR_MESSAGE: usize = 1024;

/// What to do when the stream cannot go on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Faults {
    /// Send an `exception` or `error` message, then end (servers).
    Messages,
    /// End the body with an error (clients).
    Cut,
}

/// How items become messages.
pub(super) struct Encoding<T, E> {
    pub event: fn(&T) -> Result<Message, String>,
    pub exception: fn(&E) -> Result<Message, String>,
    pub end: StreamEnd,
    pub faults: Faults,
}

type Items<T, E> = Pin<Box<dyn futures_core::Stream<Item = Result<T, StreamError<E>>> + Send>>;

struct Sending<T, E> {
    /// `None` once the stream has ended: what the producer held is
    /// released then, not when the body is dropped.
    items: Option<Items<T, E>>,
    encoding: Encoding<T, E>,
    initial: Option<Message>,
    done: bool,
    /// The span the body was made in (a served call's, with its request
    /// id and chain): the producer runs in it, so what it logs while the
    /// stream is sent, after the handler has returned, is still the call's.
    span: tracing::Span,
}

/// The body that sends `items` (after `initial`, when there is one).
pub(super) fn body<T: 'static, E: 'static>(
    items: Items<T, E>,
    encoding: Encoding<T, E>,
    initial: Option<Message>,
) -> ByteStream {
    let sending = Sending {
        items: Some(items),
        encoding,
        initial,
        done: false,
        span: tracing::Span::current(),
    };
    ByteStream::from_stream(futures_util::stream::unfold(sending, |mut s| async move {
        if s.done {
            return None;
        }
        if let Some(initial) = s.initial.take() {
            let bytes = frame(&initial, &mut s);
            return Some((bytes, s));
        }
        let items = s.items.as_mut()?;
        // A producer that panics is reported, not passed on as a cut.
        let next = tracing::Instrument::instrument(items.next(), s.span.clone());
        let next = AssertUnwindSafe(next).catch_unwind().await;
        let outcome = match next {
            Ok(Some(Ok(event))) => (s.encoding.event)(&event)
                .map_err(|e| Fault::from(format!("an event could not be encoded: {e}"))),
            Ok(Some(Err(error))) => Err(fault(error, s.encoding.exception)),
            Ok(None) => {
                s.done = true;
                s.items = None;
                if s.encoding.end == StreamEnd::BodyEnd {
                    return None;
                }
                let bytes = frame(&marker(), &mut s);
                return Some((bytes, s));
            }
            Err(panic) => {
                let why = panic
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                // The panic's text is for the log, not for the other end.
                s.span.in_scope(|| {
                    tracing::error!(panic = %why, "an event stream's producer panicked; the stream ends");
                });
                Err(Fault::Unmodeled {
                    code: INTERNAL_FAILURE.to_owned(),
                    message: "the stream's producer failed".to_owned(),
                })
            }
        };
        let message = match outcome {
            Ok(message) => message,
            Err(fault) => {
                s.done = true;
                s.items = None;
                match s.encoding.faults {
                    Faults::Cut => return Some((Err(BoxError::from(fault.to_string())), s)),
                    Faults::Messages => fault.into_message(),
                }
            }
        };
        let bytes = frame(&message, &mut s);
        Some((bytes, s))
    }))
}

/// Why a stream stopped, as the other end will be told.
enum Fault {
    /// A modeled error, already its `exception` message.
    Exception(Message),
    /// An `error` message.
    Unmodeled { code: String, message: String },
}

impl From<String> for Fault {
    /// A fault of our own making (an event that does not encode).
    fn from(message: String) -> Self {
        Fault::Unmodeled {
            code: INTERNAL_FAILURE.to_owned(),
            message,
        }
    }
}

impl std::fmt::Display for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Fault::Exception(m) => write!(
                f,
                "the stream ended with the error `{}`",
                m.str_header(":exception-type").unwrap_or_default()
            ),
            Fault::Unmodeled { code, message } => write!(f, "{code}: {message}"),
        }
    }
}

impl Fault {
    fn into_message(self) -> Message {
        match self {
            Fault::Exception(message) => message,
            Fault::Unmodeled { code, message } => error_message(&code, &message),
        }
    }
}

/// The fault for an error a producer yielded.
fn fault<E>(error: StreamError<E>, exception: fn(&E) -> Result<Message, String>) -> Fault {
    let text = error.detail();
    match error.into_kind() {
        StreamErrorKind::Modeled(e) => match exception(&e) {
            Ok(message) => Fault::Exception(message),
            Err(why) => Fault::from(format!("an error could not be encoded: {why}")),
        },
        StreamErrorKind::Unmodeled { code } => Fault::Unmodeled {
            code,
            message: text,
        },
        // A received stream passed on, which broke: say how.
        kind => Fault::from(format!(
            "{}{}",
            kind_text(&kind),
            if text.is_empty() {
                String::new()
            } else {
                format!(": {text}")
            }
        )),
    }
}

fn kind_text<E>(kind: &StreamErrorKind<E>) -> &'static str {
    match kind {
        StreamErrorKind::Incomplete => "a stream this one relays ended early",
        StreamErrorKind::Corrupt => "a stream this one relays is corrupt",
        StreamErrorKind::Undecodable => {
            "a stream this one relays has an event that does not decode"
        }
        StreamErrorKind::Transport => "reading a stream this one relays failed",
        StreamErrorKind::Modeled(_) | StreamErrorKind::Unmodeled { .. } => "the stream failed",
    }
}

/// An `error` message (Smithy's streaming spec: `:error-code` and
/// `:error-message`, no payload).
fn error_message(code: &str, message: &str) -> Message {
    let mut end = message.len().min(MAX_ERROR_MESSAGE);
    while !message.is_char_boundary(end) {
        end -= 1;
    }
    let mut code_end = code.len().min(MAX_ERROR_MESSAGE);
    while !code.is_char_boundary(code_end) {
        code_end -= 1;
    }
    Message::new(Bytes::new())
        .with_str(":message-type", "error")
        .with_str(":error-code", &code[..code_end])
        .with_str(":error-message", &message[..end])
}

/// The end-of-stream marker (`tinsmith.api#endOfStream`).
fn marker() -> Message {
    Message::new(Bytes::new())
        .with_str(":message-type", "event")
        .with_str(":event-type", END_OF_STREAM)
}

/// One message's frame. A message too large to frame is replaced by an
/// `error` message saying so (servers), or cuts the body (clients); either
/// way the stream ends.
fn frame<T, E>(message: &Message, sending: &mut Sending<T, E>) -> Result<Bytes, BoxError> {
    message.encode().or_else(|e| {
        sending.done = true;
        match sending.encoding.faults {
            Faults::Cut => Err(BoxError::from(format!("encoding an event failed: {e}"))),
            Faults::Messages => error_message(
                INTERNAL_FAILURE,
                &format!("an event could not be framed: {e}"),
            )
            .encode()
            .map_err(|e| BoxError::from(e.to_string())),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eventstream::Decoder;

    /// Events are strings; `"unencodable"` does not encode.
    fn encoding(faults: Faults, end: StreamEnd) -> Encoding<String, String> {
        Encoding {
            event: |e| {
                if e == "unencodable" {
                    return Err("no".to_owned());
                }
                Ok(Message::new(e.clone())
                    .with_str(":message-type", "event")
                    .with_str(":event-type", "text"))
            },
            exception: |e| {
                Ok(Message::new(e.clone())
                    .with_str(":message-type", "exception")
                    .with_str(":exception-type", "oops"))
            },
            end,
            faults,
        }
    }

    fn items(items: Vec<Result<String, StreamError<String>>>) -> Items<String, String> {
        Box::pin(futures_util::stream::iter(items))
    }

    /// The messages of a body, and whether it ended with an error.
    async fn sent(body: ByteStream) -> (Vec<Message>, bool) {
        let mut body = body;
        let mut decoder = Decoder::new();
        let mut failed = false;
        while let Some(chunk) = body.next().await {
            match chunk {
                Ok(chunk) => decoder.feed(&chunk),
                Err(_) => {
                    failed = true;
                    break;
                }
            }
        }
        let mut messages = Vec::new();
        while let Some(m) = decoder.next_message().unwrap() {
            messages.push(m);
        }
        (messages, failed)
    }

    fn kinds(messages: &[Message]) -> Vec<String> {
        messages
            .iter()
            .map(|m| {
                let kind = m.str_header(":message-type").unwrap_or_default();
                match kind {
                    "event" => m.str_header(":event-type").unwrap_or_default().to_owned(),
                    other => other.to_owned(),
                }
            })
            .collect()
    }

    #[tokio::test]
    async fn the_marker_follows_a_clean_end_only() {
        let e = |s: &str| Ok(s.to_owned());
        let sending = super::body(
            items(vec![e("a"), e("b")]),
            encoding(Faults::Messages, StreamEnd::Marker),
            None,
        );
        let (messages, failed) = sent(sending).await;
        assert_eq!(kinds(&messages), ["text", "text", END_OF_STREAM]);
        assert!(!failed);

        let sending = super::body(
            items(vec![
                e("a"),
                Err(StreamError::from("bad".to_owned())),
                e("never"),
            ]),
            encoding(Faults::Messages, StreamEnd::Marker),
            None,
        );
        let (messages, _) = sent(sending).await;
        assert_eq!(kinds(&messages), ["text", "exception"]);
        assert_eq!(messages[1].payload().as_ref(), b"bad");
    }

    #[tokio::test]
    async fn an_event_that_does_not_encode_ends_the_stream_with_an_error_message() {
        let sending = super::body(
            items(vec![Ok("unencodable".to_owned()), Ok("never".to_owned())]),
            encoding(Faults::Messages, StreamEnd::Marker),
            None,
        );
        let (messages, _) = sent(sending).await;
        assert_eq!(kinds(&messages), ["error"]);
        assert_eq!(
            messages[0].str_header(":error-code"),
            Some(INTERNAL_FAILURE)
        );
    }

    #[tokio::test]
    async fn a_client_cuts_its_body_instead_of_sending_a_message() {
        let sending = super::body(
            items(vec![Ok("a".to_owned()), Ok("unencodable".to_owned())]),
            encoding(Faults::Cut, StreamEnd::Marker),
            None,
        );
        let (messages, failed) = sent(sending).await;
        assert_eq!(kinds(&messages), ["text"]);
        assert!(failed, "the body ends with an error");
    }

    #[tokio::test]
    async fn a_panic_is_an_error_message_and_the_initial_message_goes_first() {
        let panicking: Items<String, String> = Box::pin(futures_util::StreamExt::map(
            futures_util::stream::iter(0..3),
            |i| {
                assert!(i < 1, "boom");
                Ok(i.to_string())
            },
        ));
        let initial = Message::new(Bytes::new())
            .with_str(":message-type", "event")
            .with_str(":event-type", "initial-response");
        let sending = super::body(
            panicking,
            encoding(Faults::Messages, StreamEnd::BodyEnd),
            Some(initial),
        );
        let (messages, _) = sent(sending).await;
        assert_eq!(kinds(&messages), ["initial-response", "text", "error"]);
        let text = messages[2].str_header(":error-message").unwrap();
        assert!(!text.contains("boom"), "{text}");
    }

    #[test]
    fn error_messages_are_cut_at_a_character_boundary() {
        let long = "é".repeat(MAX_ERROR_MESSAGE);
        let message = error_message("Code", &long);
        let sent = message.str_header(":error-message").unwrap();
        assert!(sent.len() <= MAX_ERROR_MESSAGE);
        assert!(sent.chars().all(|c| c == 'é'));
    }
}
