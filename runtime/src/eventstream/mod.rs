//! Event streams (`@streaming` unions): the message codec ([`frame`]), the
//! response side ([`EventStream`], a `futures_core::Stream` of
//! `Result<Event, StreamError<E>>`) and the request side ([`EventInput`],
//! built from any `Stream` of events or fed through a bounded
//! [`EventSender`]).
//!
//! The rule of the response side: a stream never skips what it cannot
//! read. Every fault — the connection lost, the body ending inside a frame,
//! a CRC mismatch, a message that does not decode into its event, an
//! exception or error message, a missing end-of-stream marker where the
//! service promised one — is yielded as an `Err(StreamError)` saying which,
//! and the stream ends after it. So a consumer can always tell "finished"
//! ([`EventStream::ended_cleanly`]) from "broken".
//!
//! Message binding (Smithy's streaming spec): `:message-type` is `event`
//! (`:event-type` names the union member), `exception` (`:exception-type`
//! names a modeled error member) or `error` (`:error-code`,
//! `:error-message`: an error the model does not describe). Generated code
//! supplies the per-member decoding as an [`EventCodec`].

pub mod frame;
#[doc(hidden)]
pub mod wire;

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use bytes::Bytes;
/// The `futures` stream trait, which [`EventStream`] implements and
/// [`EventInput`] accepts (re-exported so generated SDKs need no
/// dependency of their own).
pub use futures_core::Stream;

use crate::bytestream::{ByteStream, ByteStreamError};
use crate::error::BoxError;
pub use frame::{Decoder, FrameError, FrameErrorKind, Header, HeaderText, HeaderValue, Message};

/// The content type of an event-stream body.
pub const CONTENT_TYPE: &str = "application/vnd.amazon.eventstream";

/// The `:event-type` of the end-of-stream marker that services with the
/// `tinsmith.api#endOfStream` trait send last (and expect last).
pub const END_OF_STREAM: &str = "end-of-stream";

/// `flags` bit: the stream ended before the service finished it.
pub const FLAG_INCOMPLETE: u32 = 1;

/// Why an event stream ended with an error.
#[derive(Debug)]
pub struct StreamError<E> {
    kind: StreamErrorKind<E>,
    flags: u32,
    message: Option<String>,
    source: Option<BoxError>,
}

/// The kind of a [`StreamError`]; `E` is the stream's modeled error type.
#[derive(Debug)]
pub enum StreamErrorKind<E> {
    /// The body ended before a clean end: connection lost, a partial frame
    /// at the end, or no end-of-stream marker where the service promised
    /// one.
    Incomplete,
    /// A frame is damaged: bad prelude, bad CRC, malformed headers.
    Corrupt,
    /// A whole, intact message did not decode into its event (wrong
    /// payload, missing or mistyped headers).
    Undecodable,
    /// The service sent one of the stream's modeled errors.
    Modeled(E),
    /// The service sent an error the model does not describe.
    Unmodeled {
        /// `:error-code` (or the unknown `:exception-type`).
        code: String,
    },
    /// Reading the body failed (I/O, or the read timeout).
    Transport,
}

impl<E> StreamError<E> {
    fn new(kind: StreamErrorKind<E>, message: impl Into<Option<String>>) -> Self {
        let flags = match kind {
            StreamErrorKind::Modeled(_) | StreamErrorKind::Unmodeled { .. } => 0,
            _ => FLAG_INCOMPLETE,
        };
        StreamError {
            kind,
            flags,
            message: message.into(),
            source: None,
        }
    }

    fn with_source(mut self, source: impl Into<BoxError>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// What happened.
    pub fn kind(&self) -> &StreamErrorKind<E> {
        &self.kind
    }

    /// What happened, owned (the modeled error by value).
    pub fn into_kind(self) -> StreamErrorKind<E> {
        self.kind
    }

    /// Flag bits; [`FLAG_INCOMPLETE`] (bit 0) when the stream ended before
    /// the service finished it.
    pub fn flags(&self) -> u32 {
        self.flags
    }

    /// True when the stream ended before the service finished it.
    pub fn is_incomplete(&self) -> bool {
        self.flags & FLAG_INCOMPLETE != 0
    }

    /// The message: the service's for errors it sent, ours otherwise.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The modeled error, when the service sent one.
    pub fn modeled(&self) -> Option<&E> {
        match &self.kind {
            StreamErrorKind::Modeled(e) => Some(e),
            _ => None,
        }
    }

    /// True when reading stalled longer than the read timeout.
    pub fn is_timeout(&self) -> bool {
        self.source
            .as_ref()
            .and_then(|s| s.downcast_ref::<ByteStreamError>())
            .is_some_and(ByteStreamError::is_timeout)
    }
}

impl<E: fmt::Debug> fmt::Display for StreamError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            StreamErrorKind::Incomplete => f.write_str("the event stream ended early")?,
            StreamErrorKind::Corrupt => f.write_str("the event stream is corrupt")?,
            StreamErrorKind::Undecodable => f.write_str("an event could not be decoded")?,
            StreamErrorKind::Modeled(e) => write!(f, "the service sent an error event: {e:?}")?,
            StreamErrorKind::Unmodeled { code } => {
                write!(f, "the service sent an unmodeled error `{code}`")?
            }
            StreamErrorKind::Transport => f.write_str("reading the event stream failed")?,
        }
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        if let Some(source) = &self.source {
            write!(f, ": {source}")?;
        }
        Ok(())
    }
}

impl<E: fmt::Debug> std::error::Error for StreamError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// How a generated SDK decodes and encodes one stream's messages.
pub struct EventCodec<T, E> {
    /// Decodes an `event` message of the given `:event-type` (unknown types
    /// become the event enum's `Unknown`); `Err` says what did not decode.
    pub decode_event: fn(&str, &Message) -> Result<T, String>,
    /// Decodes an `exception` message of the given `:exception-type`:
    /// `None` when the type is not modeled.
    pub decode_exception: fn(&str, &Message) -> Option<Result<E, String>>,
    /// Encodes an event (input streams).
    pub encode_event: fn(&T) -> Result<Message, String>,
    /// How a stream ends: with an end-of-stream marker, or when the body does.
    pub end: StreamEnd,
}

/// How an event stream ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StreamEnd {
    /// When the body ends (the `vnd.amazon.eventstream` default).
    BodyEnd,
    /// With an end-of-stream marker event, which the service promises and
    /// expects (`tinsmith.api#endOfStream`); a body that ends without one
    /// is `Incomplete`.
    Marker,
}

impl<T, E> EventCodec<T, E> {
    /// A codec for a stream the client only receives.
    pub const fn receiving(
        decode_event: fn(&str, &Message) -> Result<T, String>,
        decode_exception: fn(&str, &Message) -> Option<Result<E, String>>,
        end: StreamEnd,
    ) -> Self {
        EventCodec {
            decode_event,
            decode_exception,
            encode_event: not_sent,
            end,
        }
    }

    /// A codec for a stream the client only sends.
    pub const fn sending(encode_event: fn(&T) -> Result<Message, String>, end: StreamEnd) -> Self {
        EventCodec {
            decode_event: not_received,
            decode_exception: no_exceptions,
            encode_event,
            end,
        }
    }
}

fn not_sent<T>(_: &T) -> Result<Message, String> {
    Err("this stream is not sent by clients".to_owned())
}

fn not_received<T>(_: &str, _: &Message) -> Result<T, String> {
    Err("this stream is not received by clients".to_owned())
}

fn no_exceptions<E>(_: &str, _: &Message) -> Option<Result<E, String>> {
    None
}

impl<T, E> Clone for EventCodec<T, E> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T, E> Copy for EventCodec<T, E> {}

impl<T, E> fmt::Debug for EventCodec<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventCodec")
            .field("end", &self.end)
            .finish_non_exhaustive()
    }
}

/// A response's event stream: `Result<T, StreamError<E>>` items, ending
/// after the first error. See the [module documentation](self).
pub struct EventStream<T, E> {
    body: ByteStream,
    decoder: Decoder,
    codec: EventCodec<T, E>,
    ready: VecDeque<Message>,
    state: State,
    /// A failure met while looking for the initial message, reported by
    /// the next `poll_next`.
    pending: Option<Box<StreamError<E>>>,
    /// The body ended while looking for the initial message.
    body_done: bool,
}

impl<T, E> Default for EventStream<T, E> {
    /// A stream without events that ends cleanly.
    fn default() -> Self {
        EventStream::new(
            ByteStream::empty(),
            EventCodec {
                decode_event: not_received,
                decode_exception: no_exceptions,
                encode_event: not_sent,
                end: StreamEnd::BodyEnd,
            },
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Open,
    /// Ended; `true` when cleanly.
    Ended(bool),
}

impl<T, E> EventStream<T, E> {
    /// Decodes the events of `body` (generated code calls this).
    pub fn new(body: ByteStream, codec: EventCodec<T, E>) -> Self {
        EventStream {
            body,
            decoder: Decoder::new(),
            codec,
            ready: VecDeque::new(),
            state: State::Open,
            pending: None,
            body_done: false,
        }
    }

    /// The body the events are read from (the scoped API releases it).
    #[doc(hidden)]
    pub fn body_mut(&mut self) -> &mut ByteStream {
        &mut self.body
    }

    /// Takes the stream's first message when it is an event of
    /// `event_type` (awsJson's `initial-response`); anything else stays
    /// in the stream, errors included, for the consumer to read.
    #[doc(hidden)]
    pub async fn take_initial(&mut self, event_type: &str) -> Option<Message> {
        std::future::poll_fn(|cx| self.poll_first_message(cx)).await;
        let first = self.ready.front()?;
        if first.str_header(":message-type") == Some("event")
            && first.str_header(":event-type") == Some(event_type)
        {
            self.ready.pop_front()
        } else {
            None
        }
    }

    /// Reads until one whole message is buffered, or until the body ends
    /// or fails (the failure then surfaces on the next `poll_next`).
    fn poll_first_message(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        loop {
            if !self.ready.is_empty() || self.state != State::Open || self.pending.is_some() {
                return Poll::Ready(());
            }
            match self.decoder.next_message() {
                Ok(Some(message)) => {
                    self.ready.push_back(message);
                    return Poll::Ready(());
                }
                Ok(None) => {}
                Err(e) => {
                    self.pending = Some(Box::new(frame_failure(e)));
                    return Poll::Ready(());
                }
            }
            match ready!(Pin::new(&mut self.body).poll_next(cx)) {
                Some(Ok(chunk)) => self.decoder.feed_bytes(chunk),
                Some(Err(e)) => {
                    self.pending = Some(Box::new(body_failure(e)));
                    return Poll::Ready(());
                }
                None => {
                    self.body_done = true;
                    return Poll::Ready(());
                }
            }
        }
    }

    /// `Some(true)` once the stream has ended cleanly, `Some(false)` once
    /// it has ended with an error, `None` while it is still open.
    pub fn ended_cleanly(&self) -> Option<bool> {
        match self.state {
            State::Open => None,
            State::Ended(clean) => Some(clean),
        }
    }

    fn fail(&mut self, error: StreamError<E>) -> Poll<Option<Result<T, StreamError<E>>>> {
        self.state = State::Ended(false);
        self.ready.clear();
        Poll::Ready(Some(Err(error)))
    }

    /// Turns one message into an item; `None` for the end marker.
    fn read(&mut self, message: &Message) -> Option<Result<T, StreamError<E>>> {
        let text = |name: &str| message.str_header(name).map(str::to_owned);
        match message.str_header(":message-type") {
            Some("event") => {
                let Some(event_type) = message.str_header(":event-type") else {
                    return Some(Err(StreamError::new(
                        StreamErrorKind::Undecodable,
                        "an event message has no `:event-type` header".to_owned(),
                    )));
                };
                if self.codec.end == StreamEnd::Marker && event_type == END_OF_STREAM {
                    return None;
                }
                Some((self.codec.decode_event)(event_type, message).map_err(|e| {
                    StreamError::new(
                        StreamErrorKind::Undecodable,
                        format!("event `{event_type}`: {e}"),
                    )
                }))
            }
            Some("exception") => {
                let exception_type = text(":exception-type").unwrap_or_default();
                Some(Err(
                    match (self.codec.decode_exception)(&exception_type, message) {
                        Some(Ok(error)) => StreamError::new(
                            StreamErrorKind::Modeled(error),
                            payload_message(message),
                        ),
                        Some(Err(e)) => StreamError::new(
                            StreamErrorKind::Undecodable,
                            format!("exception `{exception_type}`: {e}"),
                        ),
                        None => StreamError::new(
                            StreamErrorKind::Unmodeled {
                                code: exception_type,
                            },
                            payload_message(message),
                        ),
                    },
                ))
            }
            Some("error") => Some(Err(StreamError::new(
                StreamErrorKind::Unmodeled {
                    code: text(":error-code").unwrap_or_default(),
                },
                text(":error-message"),
            ))),
            other => Some(Err(StreamError::new(
                StreamErrorKind::Undecodable,
                format!("unknown `:message-type` {other:?}"),
            ))),
        }
    }
}

/// The error for a frame the decoder rejected.
fn frame_failure<E>(e: FrameError) -> StreamError<E> {
    let kind = if e.is_corrupt() {
        StreamErrorKind::Corrupt
    } else {
        StreamErrorKind::Incomplete
    };
    StreamError::new(kind, None).with_source(e)
}

/// The error for a body that failed to read: a connection that ended
/// mid-body is `Incomplete` (whatever the HTTP version), anything else
/// (a read timeout, a local failure) is `Transport`.
fn body_failure<E>(e: ByteStreamError) -> StreamError<E> {
    let kind = match e.kind() {
        crate::bytestream::ByteStreamErrorKind::Incomplete => StreamErrorKind::Incomplete,
        _ => StreamErrorKind::Transport,
    };
    StreamError::new(kind, None).with_source(e)
}

/// The `message` member of a JSON exception payload, if there is one.
fn payload_message(message: &Message) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(message.payload()).ok()?;
    value
        .get("message")
        .or_else(|| value.get("Message"))
        .and_then(|m| m.as_str())
        .map(str::to_owned)
}

impl<T, E> Stream for EventStream<T, E> {
    type Item = Result<T, StreamError<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if this.state != State::Open {
                return Poll::Ready(None);
            }
            if let Some(message) = this.ready.pop_front() {
                match this.read(&message) {
                    None => {
                        this.state = State::Ended(true);
                        return Poll::Ready(None);
                    }
                    Some(Ok(event)) => return Poll::Ready(Some(Ok(event))),
                    Some(Err(error)) => return this.fail(error),
                }
            }
            if let Some(error) = this.pending.take() {
                return this.fail(*error);
            }
            match this.decoder.next_message() {
                Ok(Some(message)) => {
                    this.ready.push_back(message);
                    continue;
                }
                Ok(None) => {}
                Err(e) => return this.fail(frame_failure(e)),
            }
            let next = if this.body_done {
                None
            } else {
                ready!(Pin::new(&mut this.body).poll_next(cx))
            };
            match next {
                Some(Ok(chunk)) => this.decoder.feed_bytes(chunk),
                Some(Err(e)) => return this.fail(body_failure(e)),
                None => {
                    if let Err(e) = this.decoder.finish() {
                        return this.fail(
                            StreamError::new(StreamErrorKind::Incomplete, None).with_source(e),
                        );
                    }
                    if this.codec.end == StreamEnd::Marker {
                        return this.fail(StreamError::new(
                            StreamErrorKind::Incomplete,
                            "the body ended without the end-of-stream marker the service promises"
                                .to_owned(),
                        ));
                    }
                    this.state = State::Ended(true);
                    return Poll::Ready(None);
                }
            }
        }
    }
}

impl<T, E> fmt::Debug for EventStream<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

type BoxEvents<T> = Pin<Box<dyn Stream<Item = T> + Send>>;

/// A request's event stream: any `Stream` of events, or the receiving end
/// of [`EventInput::channel`]. The end of the stream ends the request body
/// (after the end-of-stream marker, for services that expect one).
pub struct EventInput<T> {
    events: Option<BoxEvents<T>>,
}

impl<T: Send + 'static> EventInput<T> {
    /// Sends the events of `stream`, in order, as they come.
    pub fn new(stream: impl Stream<Item = T> + Send + 'static) -> Self {
        EventInput {
            events: Some(Box::pin(stream)),
        }
    }

    /// Sends `events`, in order (they are all at hand already).
    pub fn from_events(events: impl IntoIterator<Item = T>) -> Self {
        let events: Vec<T> = events.into_iter().collect();
        EventInput::new(futures_util::stream::iter(events))
    }

    /// A bounded channel: the sender waits while `capacity` events are
    /// queued and not yet written to the connection (backpressure, never
    /// unbounded buffering). Dropping every sender ends the stream.
    pub fn channel(capacity: usize) -> (EventSender<T>, EventInput<T>) {
        let (tx, rx) = tokio::sync::mpsc::channel(capacity.max(1));
        let stream = futures_util::stream::unfold(rx, |mut rx| async move {
            rx.recv().await.map(|event| (event, rx))
        });
        (EventSender { tx }, EventInput::new(stream))
    }

    /// The request body for this stream (generated code calls this once per
    /// request; an event stream is sent once).
    /// `initial` (awsJson's `initial-request`) is sent before the events.
    pub fn take_body<E: 'static>(
        &mut self,
        codec: EventCodec<T, E>,
        initial: Option<Message>,
    ) -> ByteStream {
        let events = self
            .events
            .take()
            .unwrap_or_else(|| Box::pin(futures_util::stream::empty()));
        let encode = codec.encode_event;
        let frames = futures_util::StreamExt::map(events, move |event| {
            encode(&event)
                .and_then(|m| m.encode().map_err(|e| e.to_string()))
                .map_err(|e| BoxError::from(format!("encoding an event failed: {e}")))
        });
        let first = initial.map(|m| m.encode().map_err(|e| BoxError::from(e.to_string())));
        let frames = futures_util::StreamExt::chain(futures_util::stream::iter(first), frames);
        if codec.end == StreamEnd::Marker {
            let marker = Message::new(Bytes::new())
                .with_str(":message-type", "event")
                .with_str(":event-type", END_OF_STREAM)
                .encode()
                .map_err(|e| BoxError::from(e.to_string()));
            let end = futures_util::stream::once(async move { marker });
            ByteStream::from_stream(futures_util::StreamExt::chain(frames, end))
        } else {
            ByteStream::from_stream(frames)
        }
    }
}

impl<T> Stream for EventInput<T> {
    type Item = T;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        match &mut self.get_mut().events {
            Some(events) => events.as_mut().poll_next(cx),
            None => Poll::Ready(None),
        }
    }
}

impl<T> Default for EventInput<T> {
    /// An empty stream.
    fn default() -> Self {
        EventInput { events: None }
    }
}

impl<T> fmt::Debug for EventInput<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventInput")
            .field("taken", &self.events.is_none())
            .finish()
    }
}

/// The sending end of [`EventInput::channel`].
#[derive(Debug)]
pub struct EventSender<T> {
    tx: tokio::sync::mpsc::Sender<T>,
}

impl<T> Clone for EventSender<T> {
    fn clone(&self) -> Self {
        EventSender {
            tx: self.tx.clone(),
        }
    }
}

/// The request stream is gone (the request ended or failed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamClosed;

impl fmt::Display for StreamClosed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the request's event stream is closed")
    }
}

impl std::error::Error for StreamClosed {}

impl<T> EventSender<T> {
    /// Queues an event, waiting while the channel is full.
    pub async fn send(&self, event: T) -> Result<(), StreamClosed> {
        self.tx.send(event).await.map_err(|_| StreamClosed)
    }
}
