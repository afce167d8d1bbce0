//! Event streams (`@streaming` unions): the message codec ([`frame`]), the
//! response side ([`EventStream`], a `futures_core::Stream` of
//! `Result<Event, StreamError<E>>`) and the request side ([`EventInput`],
//! built from any `Stream` of events or fed through a bounded
//! [`EventSender`]).
//!
//! Generated servers use the same two types the other way round: a
//! request's stream reaches the handler as an [`EventInput`] that yields
//! `Result<Event, StreamError<Infallible>>` (the same fault kinds a client
//! reports), and the handler answers with an [`EventStream`] built from any
//! `Stream` of events or of results ([`EventStream::from_results`]). A
//! modeled error it yields is sent as its `exception` message, anything
//! else that ends it early (an unmodeled error, a panic, an event that
//! does not encode) as an `error` message; either way the stream ends
//! there, and a clean end is followed by the end-of-stream marker where
//! the service promises one.
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

mod encode;
pub mod frame;
#[cfg(feature = "server")]
mod split;
#[doc(hidden)]
pub mod wire;

use std::collections::VecDeque;
use std::convert::Infallible;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

/// The `futures` stream trait, which [`EventStream`] implements and
/// [`EventInput`] accepts (re-exported so generated SDKs need no
/// dependency of their own).
pub use futures_core::Stream;

use crate::bytestream::{ByteStream, ByteStreamError};
use crate::error::BoxError;
pub use frame::{Decoder, FrameError, FrameErrorKind, Header, HeaderText, HeaderValue, Message};
#[cfg(feature = "server")]
pub(crate) use split::{prepend, split_first};

/// The content type of an event-stream body.
pub const CONTENT_TYPE: &str = "application/vnd.amazon.eventstream";

/// The `:event-type` of the end-of-stream marker that services with the
/// `tinsmith.api#endOfStream` trait send last (and expect last).
pub const END_OF_STREAM: &str = "end-of-stream";

/// The longest message a generated server accepts in a request's stream
/// (2 MiB, as much as axum's default limit on a whole request body): a
/// longer one ends the stream as `Corrupt` before anything of it is
/// allocated. Clients accept up to [`frame::MAX_MESSAGE_LEN`].
pub const SERVER_MAX_MESSAGE_LEN: usize = 2 * 1024 * 1024;

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

    /// An error the model does not describe, sent to the other end as an
    /// `error` message with `:error-code` `code` and `:error-message`
    /// `message` (servers end an answer's stream with it).
    pub fn unmodeled(code: impl Into<String>, message: impl Into<String>) -> Self {
        StreamError::new(
            StreamErrorKind::Unmodeled { code: code.into() },
            message.into(),
        )
    }

    /// The message and the source, without the kind: what an `error`
    /// message passing this error on says.
    fn detail(&self) -> String {
        match (&self.message, &self.source) {
            (Some(m), Some(s)) => format!("{m}: {s}"),
            (Some(m), None) => m.clone(),
            (None, Some(s)) => s.to_string(),
            (None, None) => String::new(),
        }
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

impl<E> From<E> for StreamError<E> {
    /// The stream's modeled error, sent as its `exception` message.
    fn from(error: E) -> Self {
        StreamError::new(StreamErrorKind::Modeled(error), None)
    }
}

impl<E: fmt::Debug> fmt::Display for StreamError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            StreamErrorKind::Incomplete => f.write_str("the event stream ended early")?,
            StreamErrorKind::Corrupt => f.write_str("the event stream is corrupt")?,
            StreamErrorKind::Undecodable => f.write_str("an event could not be decoded")?,
            StreamErrorKind::Modeled(e) => write!(f, "the stream ended with an error: {e:?}")?,
            StreamErrorKind::Unmodeled { code } => {
                write!(f, "the stream ended with an unmodeled error `{code}`")?
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
    /// Encodes an event (input streams; output streams, on servers).
    pub encode_event: fn(&T) -> Result<Message, String>,
    /// Encodes a modeled error as an `exception` message (output streams,
    /// on servers).
    pub encode_exception: fn(&E) -> Result<Message, String>,
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
    /// A codec that reads and writes nothing (the encoders and the event
    /// decoder fail, and every exception is unmodeled), for generated
    /// codecs to fill in: `EventCodec { decode_event, ..EventCodec::new(end) }`.
    pub const fn new(end: StreamEnd) -> Self {
        EventCodec {
            decode_event: not_received,
            decode_exception: no_exceptions,
            encode_event: not_sent,
            encode_exception: no_exception_sent,
            end,
        }
    }

    /// A codec for a stream the client only receives.
    pub const fn receiving(
        decode_event: fn(&str, &Message) -> Result<T, String>,
        decode_exception: fn(&str, &Message) -> Option<Result<E, String>>,
        end: StreamEnd,
    ) -> Self {
        EventCodec {
            decode_event,
            decode_exception,
            ..EventCodec::new(end)
        }
    }

    /// A codec for a stream the client only sends.
    pub const fn sending(encode_event: fn(&T) -> Result<Message, String>, end: StreamEnd) -> Self {
        EventCodec {
            encode_event,
            ..EventCodec::new(end)
        }
    }
}

fn not_sent<T>(_: &T) -> Result<Message, String> {
    Err("this stream's events are not sent from this end".to_owned())
}

fn no_exception_sent<E>(_: &E) -> Result<Message, String> {
    Err("this stream's errors are not sent from this end".to_owned())
}

fn not_received<T>(_: &str, _: &Message) -> Result<T, String> {
    Err("this stream's events are not received at this end".to_owned())
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

/// The items of an event stream produced here rather than read from a
/// body.
type BoxResults<T, E> = Pin<Box<dyn Stream<Item = Result<T, StreamError<E>>> + Send>>;

/// A response's event stream: `Result<T, StreamError<E>>` items, ending
/// after the first error. See the [module documentation](self).
///
/// A client reads one from a response. A server (or a test standing in
/// for one) builds one from its own events with
/// [`from_stream`](Self::from_stream), [`from_events`](Self::from_events)
/// or [`from_results`](Self::from_results).
pub struct EventStream<T, E> {
    /// Events produced here (a server's answer), read instead of `body`.
    local: Option<BoxResults<T, E>>,
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
        EventStream::new(ByteStream::empty(), EventCodec::new(StreamEnd::BodyEnd))
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
            local: None,
            body,
            decoder: Decoder::new(),
            codec,
            ready: VecDeque::new(),
            state: State::Open,
            pending: None,
            body_done: false,
        }
    }

    /// Decodes the events of a request body a server received: as
    /// [`new`](Self::new), with messages limited to
    /// [`SERVER_MAX_MESSAGE_LEN`].
    fn received(body: ByteStream, codec: EventCodec<T, E>) -> Self {
        EventStream {
            decoder: Decoder::with_max_message_len(SERVER_MAX_MESSAGE_LEN),
            ..EventStream::new(body, codec)
        }
    }

    /// The body the events are read from (the scoped API releases it).
    /// Events produced here are dropped with it.
    #[doc(hidden)]
    pub fn body_mut(&mut self) -> &mut ByteStream {
        self.local = None;
        &mut self.body
    }

    /// Takes the stream's first message when it is an event of
    /// `event_type` (awsJson's `initial-response`); anything else stays
    /// in the stream, errors included, for the consumer to read.
    #[doc(hidden)]
    pub async fn take_initial(&mut self, event_type: &str) -> Option<Message> {
        std::future::poll_fn(|cx| self.poll_first_message(cx)).await;
        let first = self.ready.front()?;
        if wire::is_event(first, event_type) {
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

/// The `message` member of an exception's JSON or CBOR payload, if there
/// is one.
fn payload_message(message: &Message) -> Option<String> {
    if message.str_header(":content-type") == Some("application/cbor") {
        let body = crate::cbor::parse_body(message.payload()).ok()?;
        return crate::cbor::error_message(&body);
    }
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
            if let Some(local) = &mut this.local {
                return match ready!(local.as_mut().poll_next(cx)) {
                    Some(Ok(event)) => Poll::Ready(Some(Ok(event))),
                    Some(Err(error)) => {
                        this.local = None;
                        this.fail(error)
                    }
                    None => {
                        this.local = None;
                        this.state = State::Ended(true);
                        Poll::Ready(None)
                    }
                };
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
                            "the body ended without the end-of-stream marker this service's streams end with"
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

impl<T: Send + 'static, E: Send + 'static> EventStream<T, E> {
    /// A stream of the events of `events`, in order, as they come; it ends
    /// cleanly when `events` does.
    pub fn from_stream(events: impl Stream<Item = T> + Send + 'static) -> Self {
        Self::from_results(futures_util::StreamExt::map(
            events,
            Ok::<T, StreamError<E>>,
        ))
    }

    /// A stream of `events`, in order (they are all at hand already).
    pub fn from_events(events: impl IntoIterator<Item = T>) -> Self {
        let events: Vec<T> = events.into_iter().collect();
        Self::from_stream(futures_util::stream::iter(events))
    }

    /// A stream of events and errors: it ends after the first `Err`. An
    /// `Err` of the stream's modeled error `E` becomes its `exception`
    /// message when a server sends the stream; a [`StreamError`] of any
    /// other kind (say [`StreamError::unmodeled`]) becomes an `error`
    /// message.
    pub fn from_results<X>(results: impl Stream<Item = Result<T, X>> + Send + 'static) -> Self
    where
        X: Into<StreamError<E>> + 'static,
    {
        EventStream {
            local: Some(Box::pin(futures_util::StreamExt::map(results, |r| {
                r.map_err(Into::into)
            }))),
            ..EventStream::default()
        }
    }

    /// The response body for this stream (generated servers call this once
    /// per response): each event as its message, then the end-of-stream
    /// marker where the codec has one. The first error is sent as an
    /// `exception` (modeled) or `error` message and ends the body; so does
    /// a panic while producing an event. `initial` (awsJson's
    /// `initial-response`) is sent first.
    #[doc(hidden)]
    pub fn take_body(&mut self, codec: EventCodec<T, E>, initial: Option<Message>) -> ByteStream {
        // A stream that already failed (a relayed one the handler read
        // into) must not look finished: its end says so.
        let events: BoxResults<T, E> = if self.ended_cleanly() == Some(false) {
            *self = EventStream::default();
            Box::pin(futures_util::stream::iter([Err(StreamError::unmodeled(
                encode::INTERNAL_FAILURE,
                "the stream had already failed before it was sent",
            ))]))
        } else {
            Box::pin(std::mem::take(self))
        };
        encode::body(
            events,
            encode::Encoding {
                event: codec.encode_event,
                exception: codec.encode_exception,
                end: codec.end,
                faults: encode::Faults::Messages,
            },
            initial,
        )
    }
}

/// A request's event stream: any `Stream` of events, or the receiving end
/// of [`EventInput::channel`]. The end of the stream ends the request body
/// (after the end-of-stream marker, for services that expect one).
///
/// On a generated server the handler receives the client's stream as an
/// `EventInput`: a `Stream` of `Result<T, StreamError<Infallible>>`, ending
/// after the first error, with the same fault kinds a client's
/// [`EventStream`] reports (the client cut the stream short, a damaged
/// frame, an event that does not decode, an `error` message). A client
/// built with events yields them as `Ok`.
pub struct EventInput<T> {
    events: Option<BoxResults<T, Infallible>>,
}

impl<T: Send + 'static> EventInput<T> {
    /// Sends the events of `stream`, in order, as they come.
    pub fn new(stream: impl Stream<Item = T> + Send + 'static) -> Self {
        EventInput {
            events: Some(Box::pin(futures_util::StreamExt::map(stream, Ok))),
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

    /// The events of a request body, decoded with `codec` (generated
    /// servers call this). Exceptions are not decoded: a client has none
    /// to send, so one arrives as `Unmodeled`.
    #[doc(hidden)]
    pub fn received<E>(body: ByteStream, codec: EventCodec<T, E>) -> Self {
        EventInput {
            events: Some(Box::pin(EventStream::received(body, receiving(codec)))),
        }
    }

    /// Like [`received`](Self::received), dropping a first message that
    /// is an event of `event_type` (an RPC protocol's `initial-request`,
    /// for an input without other members): the handler gets the stream at
    /// once, not after the client's first message.
    #[doc(hidden)]
    pub fn received_skipping<E>(
        body: ByteStream,
        codec: EventCodec<T, E>,
        event_type: &'static str,
    ) -> Self {
        let stream = EventStream::received(body, receiving(codec));
        let events = futures_util::stream::unfold(
            (stream, false),
            move |(mut stream, started)| async move {
                if !started {
                    stream.take_initial(event_type).await;
                }
                let next = futures_util::StreamExt::next(&mut stream).await?;
                Some((next, (stream, true)))
            },
        );
        EventInput {
            events: Some(Box::pin(events)),
        }
    }

    /// Like [`received`](Self::received), after taking the stream's first
    /// message when it is an event of `event_type` (the RPC protocols'
    /// `initial-request`, which carries the input's other members); any
    /// other first message, or a fault, stays in the stream for the
    /// handler to read.
    #[doc(hidden)]
    pub async fn received_after<E>(
        body: ByteStream,
        codec: EventCodec<T, E>,
        event_type: &str,
    ) -> (Option<Message>, Self) {
        let mut stream = EventStream::received(body, receiving(codec));
        let initial = stream.take_initial(event_type).await;
        let input = EventInput {
            events: Some(Box::pin(stream)),
        };
        (initial, input)
    }

    /// The request body for this stream (generated code calls this once per
    /// request; an event stream is sent once).
    /// `initial` (awsJson's `initial-request`) is sent before the events.
    /// An event that does not encode, or an error of a received stream
    /// passed on, cuts the body short: the service sees a broken request.
    pub fn take_body<E: 'static>(
        &mut self,
        codec: EventCodec<T, E>,
        initial: Option<Message>,
    ) -> ByteStream {
        let events = self
            .events
            .take()
            .unwrap_or_else(|| Box::pin(futures_util::stream::empty()));
        encode::body(
            events,
            encode::Encoding {
                event: codec.encode_event,
                exception: |never: &Infallible| match *never {},
                end: codec.end,
                faults: encode::Faults::Cut,
            },
            initial,
        )
    }
}

/// The codec a server reads a request's stream with: events decoded as
/// `codec` decodes them, exceptions not (a client has none to send, so one
/// arrives as `Unmodeled`).
fn receiving<T, E>(codec: EventCodec<T, E>) -> EventCodec<T, Infallible> {
    EventCodec {
        decode_event: codec.decode_event,
        encode_event: codec.encode_event,
        ..EventCodec::new(codec.end)
    }
}

/// What an input event-stream member's setter takes: any `Stream` of
/// events (`Send + 'static`), or an [`EventInput`] (the receiving end of
/// [`EventInput::channel`], or one a server received and passes on).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a stream of `{T}` events that can be sent",
    note = "a request's events come from a `Stream<Item = {T}> + Send + 'static`, or an `EventInput<{T}>`"
)]
pub trait IntoEventInput<T> {
    /// The request stream.
    fn into_event_input(self) -> EventInput<T>;
}

impl<T: Send + 'static, S: Stream<Item = T> + Send + 'static> IntoEventInput<T> for S {
    fn into_event_input(self) -> EventInput<T> {
        EventInput::new(self)
    }
}

impl<T> IntoEventInput<T> for EventInput<T> {
    fn into_event_input(self) -> EventInput<T> {
        self
    }
}

impl<T> Stream for EventInput<T> {
    type Item = Result<T, StreamError<Infallible>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        let Some(events) = &mut this.events else {
            return Poll::Ready(None);
        };
        let next = ready!(events.as_mut().poll_next(cx));
        if !matches!(next, Some(Ok(_))) {
            // Ended, cleanly or not: release the body now.
            this.events = None;
        }
        Poll::Ready(next)
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
