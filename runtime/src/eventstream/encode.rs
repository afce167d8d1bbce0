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
    items: Items<T, E>,
    encoding: Encoding<T, E>,
    initial: Option<Message>,
    done: bool,
}

/// The body that sends `items` (after `initial`, when there is one).
pub(super) fn body<T: 'static, E: 'static>(
    items: Items<T, E>,
    encoding: Encoding<T, E>,
    initial: Option<Message>,
) -> ByteStream {
    let sending = Sending {
        items,
        encoding,
        initial,
        done: false,
    };
    ByteStream::from_stream(futures_util::stream::unfold(sending, |mut s| async move {
        if s.done {
            return None;
        }
        if let Some(initial) = s.initial.take() {
            let bytes = frame(&initial, &mut s);
            return Some((bytes, s));
        }
        // A producer that panics is reported, not passed on as a cut.
        let next = AssertUnwindSafe(s.items.next()).catch_unwind().await;
        let outcome = match next {
            Ok(Some(Ok(event))) => (s.encoding.event)(&event)
                .map_err(|e| Fault::from(format!("an event could not be encoded: {e}"))),
            Ok(Some(Err(error))) => Err(fault(error, s.encoding.exception)),
            Ok(None) => {
                s.done = true;
                if s.encoding.end == StreamEnd::BodyEnd {
                    return None;
                }
                let bytes = frame(&marker(), &mut s);
                return Some((bytes, s));
            }
            Err(_) => {
                tracing::error!("an event stream's producer panicked; the stream ends");
                Err(Fault::Unmodeled {
                    code: INTERNAL_FAILURE.to_owned(),
                    message: "the service failed while producing the stream".to_owned(),
                })
            }
        };
        let message = match outcome {
            Ok(message) => message,
            Err(fault) => {
                s.done = true;
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
