//! Message ↔ member helpers for generated event codecs: typed `@eventHeader`
//! values, `@eventPayload` text and blobs, and the `:message-type`,
//! `:event-type` and `:content-type` headers every event carries. Hidden
//! from docs; generated code is its only intended caller.

pub use bytes::Bytes;

use super::frame::{HeaderText, HeaderValue, Message};
use crate::{Blob, DateTime};

/// A Rust type an `@eventHeader` member can have, with its header type.
pub trait HeaderType: Sized {
    /// The value, when the header has this type.
    fn from_header(value: &HeaderValue) -> Option<Self>;
    /// The header for this value.
    fn to_header(&self) -> HeaderValue;
}

macro_rules! header_type {
    ($ty:ty, $variant:ident) => {
        impl HeaderType for $ty {
            fn from_header(value: &HeaderValue) -> Option<Self> {
                match value {
                    HeaderValue::$variant(v) => Some(v.clone()),
                    _ => None,
                }
            }
            fn to_header(&self) -> HeaderValue {
                HeaderValue::$variant(self.clone())
            }
        }
    };
}

header_type!(bool, Bool);
header_type!(i8, Byte);
header_type!(i16, Short);
header_type!(i32, Int);
header_type!(i64, Long);
header_type!(DateTime, Timestamp);

impl HeaderType for String {
    fn from_header(value: &HeaderValue) -> Option<Self> {
        match value {
            HeaderValue::String(v) => Some(v.as_str().to_owned()),
            _ => None,
        }
    }
    fn to_header(&self) -> HeaderValue {
        HeaderValue::String(self.clone().into())
    }
}

impl HeaderType for Blob {
    fn from_header(value: &HeaderValue) -> Option<Self> {
        match value {
            HeaderValue::Bytes(b) => Some(Blob::new(b.to_vec())),
            _ => None,
        }
    }
    fn to_header(&self) -> HeaderValue {
        HeaderValue::Bytes(Bytes::copy_from_slice(self.as_bytes()))
    }
}

/// Reads the `@eventHeader` called `name`: `Ok(None)` when it is absent, an
/// error when it has another type.
pub fn header<T: HeaderType>(message: &Message, name: &str) -> Result<Option<T>, String> {
    match message.header(name) {
        None => Ok(None),
        Some(value) => T::from_header(value)
            .map(Some)
            .ok_or_else(|| format!("header `{name}` has the wrong type ({})", type_name(value))),
    }
}

fn type_name(value: &HeaderValue) -> &'static str {
    match value {
        HeaderValue::Bool(_) => "boolean",
        HeaderValue::Byte(_) => "byte",
        HeaderValue::Short(_) => "short",
        HeaderValue::Int(_) => "integer",
        HeaderValue::Long(_) => "long",
        HeaderValue::Bytes(_) => "byte array",
        HeaderValue::String(_) => "string",
        HeaderValue::Timestamp(_) => "timestamp",
        HeaderValue::Uuid(_) => "uuid",
    }
}

/// The payload as text (an `@eventPayload` string).
pub fn payload_text(message: &Message) -> Result<String, String> {
    std::str::from_utf8(message.payload())
        .map(str::to_owned)
        .map_err(|_| "the payload is not UTF-8 text".to_owned())
}

/// The payload as a blob (an `@eventPayload` blob).
pub fn payload_blob(message: &Message) -> Blob {
    Blob::new(message.payload().to_vec())
}

/// True when `message` is an `event` message of `event_type`.
pub fn is_event(message: &Message, event_type: &str) -> bool {
    message.str_header(":message-type") == Some("event")
        && message.str_header(":event-type") == Some(event_type)
}

/// An `event` message of `event_type`, with its payload and, when the
/// event has a payload member, its content type.
pub fn event(
    event_type: &'static str,
    content_type: Option<&'static str>,
    payload: Bytes,
) -> Message {
    let message = Message::new(payload)
        .with_str(
            HeaderText::from_static(":message-type"),
            HeaderText::from_static("event"),
        )
        .with_str(
            HeaderText::from_static(":event-type"),
            HeaderText::from_static(event_type),
        );
    match content_type {
        Some(content_type) => message.with_str(
            HeaderText::from_static(":content-type"),
            HeaderText::from_static(content_type),
        ),
        None => message,
    }
}

/// Adds an `@eventHeader` member's header.
pub fn with_header<T: HeaderType>(message: Message, name: &'static str, value: &T) -> Message {
    message.with_header(HeaderText::from_static(name), value.to_header())
}

/// Turns an event message written by a generated writer into the
/// `exception` message of a modeled error: `:message-type` becomes
/// `exception` and `:event-type` becomes `:exception-type` (the error
/// member's name); every other header and the payload stay.
pub fn exception(event: Message) -> Message {
    let mut message = Message::new(event.payload().clone());
    for header in event.headers() {
        message = match header.name() {
            ":message-type" => message.with_str(
                HeaderText::from_static(":message-type"),
                HeaderText::from_static("exception"),
            ),
            ":event-type" => message.with_header(
                HeaderText::from_static(":exception-type"),
                header.value().clone(),
            ),
            _ => message.with_header(header.name(), header.value().clone()),
        };
    }
    message
}
