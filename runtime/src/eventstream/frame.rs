//! The `application/vnd.amazon.eventstream` message format: [`Message`]s of
//! typed [`Header`]s and a payload, framed by a prelude (total length,
//! headers length, prelude CRC32) and closed by a CRC32 of the whole
//! message.
//!
//! [`Decoder`] is incremental: feed it chunks cut anywhere, take whole
//! messages out. Lengths are checked against [`MAX_MESSAGE_LEN`] and each
//! other before anything is allocated, and both CRCs before a message is
//! parsed, so hostile input costs at most one bounded buffer and yields a
//! [`FrameError`], never a panic. [`Message::encode`] is the inverse.

use std::fmt;

use bytes::{Buf as _, BufMut as _, Bytes, BytesMut};

use crate::DateTime;

/// Prelude (12 bytes) plus the trailing message CRC (4 bytes).
const OVERHEAD: usize = 16;
const PRELUDE: usize = 12;
/// The largest payload the format allows (24 MiB).
pub const MAX_PAYLOAD_LEN: usize = 24 * 1024 * 1024;
/// The largest encoded headers the format allows (128 KiB).
pub const MAX_HEADERS_LEN: usize = 128 * 1024;
/// The largest message the decoder accepts: the format's own bounds.
pub const MAX_MESSAGE_LEN: usize = OVERHEAD + MAX_HEADERS_LEN + MAX_PAYLOAD_LEN;

/// One event-stream message.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Message {
    headers: Vec<Header>,
    payload: Bytes,
}

/// A message header: a name and a typed value.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    name: HeaderText,
    value: HeaderValue,
}

/// The text of a header name or `string` value: UTF-8 checked once, and
/// for decoded messages a slice of the received bytes (no copy). Reads as
/// a `&str`.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct HeaderText(bytestring::ByteString);

impl HeaderText {
    /// Text known at compile time (no allocation).
    pub const fn from_static(text: &'static str) -> Self {
        HeaderText(bytestring::ByteString::from_static(text))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn from_utf8(bytes: Bytes) -> Option<Self> {
        bytestring::ByteString::try_from(bytes).ok().map(HeaderText)
    }
}

impl std::ops::Deref for HeaderText {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl From<String> for HeaderText {
    fn from(text: String) -> Self {
        HeaderText(text.into())
    }
}

impl From<&str> for HeaderText {
    /// Copies the text ([`HeaderText::from_static`] does not).
    fn from(text: &str) -> Self {
        HeaderText(text.into())
    }
}

impl From<HeaderText> for String {
    fn from(text: HeaderText) -> Self {
        text.as_str().to_owned()
    }
}

impl PartialEq<str> for HeaderText {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for HeaderText {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl fmt::Debug for HeaderText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for HeaderText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The value of a [`Header`], one of the format's ten types.
#[derive(Debug, Clone, PartialEq)]
pub enum HeaderValue {
    /// `boolean_true` / `boolean_false`.
    Bool(bool),
    /// `byte`.
    Byte(i8),
    /// `short`.
    Short(i16),
    /// `integer`.
    Int(i32),
    /// `long`.
    Long(i64),
    /// `byte_array`.
    Bytes(Bytes),
    /// `string`.
    String(HeaderText),
    /// `timestamp` (milliseconds on the wire).
    Timestamp(DateTime),
    /// `uuid`.
    Uuid([u8; 16]),
}

impl Header {
    /// A header.
    pub fn new(name: impl Into<HeaderText>, value: HeaderValue) -> Self {
        Header {
            name: name.into(),
            value,
        }
    }

    /// Its name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its value.
    pub fn value(&self) -> &HeaderValue {
        &self.value
    }
}

impl HeaderValue {
    /// The value as text, when it is a `string`.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            HeaderValue::String(s) => Some(s),
            _ => None,
        }
    }
}

impl Message {
    /// A message with a payload and no headers.
    pub fn new(payload: impl Into<Bytes>) -> Self {
        Message {
            headers: Vec::new(),
            payload: payload.into(),
        }
    }

    /// Adds a header (replacing one of the same name).
    pub fn with_header(mut self, name: impl Into<HeaderText>, value: HeaderValue) -> Self {
        let name = name.into();
        self.headers.retain(|h| h.name != name);
        self.headers.push(Header { name, value });
        self
    }

    /// Adds a `string` header.
    pub fn with_str(self, name: impl Into<HeaderText>, value: impl Into<HeaderText>) -> Self {
        self.with_header(name, HeaderValue::String(value.into()))
    }

    /// The headers, in wire order.
    pub fn headers(&self) -> &[Header] {
        &self.headers
    }

    /// The value of the header called `name`.
    pub fn header(&self, name: &str) -> Option<&HeaderValue> {
        self.headers
            .iter()
            .find(|h| h.name == name)
            .map(|h| &h.value)
    }

    /// The text of the `string` header called `name`.
    pub fn str_header(&self, name: &str) -> Option<&str> {
        self.header(name).and_then(HeaderValue::as_str)
    }

    /// The payload.
    pub fn payload(&self) -> &Bytes {
        &self.payload
    }

    /// Encodes the message into its wire form.
    pub fn encode(&self) -> Result<Bytes, FrameError> {
        let mut headers = BytesMut::new();
        for header in &self.headers {
            let name = header.name.as_bytes();
            if name.is_empty() || name.len() > usize::from(u8::MAX) {
                return Err(FrameError::new(
                    FrameErrorKind::InvalidHeader,
                    "a header name must be 1 to 255 bytes",
                ));
            }
            headers.put_u8(name.len() as u8);
            headers.put_slice(name);
            match &header.value {
                HeaderValue::Bool(true) => headers.put_u8(0),
                HeaderValue::Bool(false) => headers.put_u8(1),
                HeaderValue::Byte(v) => {
                    headers.put_u8(2);
                    headers.put_i8(*v);
                }
                HeaderValue::Short(v) => {
                    headers.put_u8(3);
                    headers.put_i16(*v);
                }
                HeaderValue::Int(v) => {
                    headers.put_u8(4);
                    headers.put_i32(*v);
                }
                HeaderValue::Long(v) => {
                    headers.put_u8(5);
                    headers.put_i64(*v);
                }
                HeaderValue::Bytes(v) => {
                    headers.put_u8(6);
                    put_sized(&mut headers, v)?;
                }
                HeaderValue::String(v) => {
                    headers.put_u8(7);
                    put_sized(&mut headers, v.as_bytes())?;
                }
                HeaderValue::Timestamp(v) => {
                    headers.put_u8(8);
                    // In i128: near i64::MIN, seconds × 1000 overflows even
                    // when seconds × 1000 + millis (the decoded value) fits.
                    let millis =
                        i128::from(v.secs()) * 1000 + i128::from(v.subsec_nanos() / 1_000_000);
                    let millis = i64::try_from(millis).unwrap_or(if millis < 0 {
                        i64::MIN
                    } else {
                        i64::MAX
                    });
                    headers.put_i64(millis);
                }
                HeaderValue::Uuid(v) => {
                    headers.put_u8(9);
                    headers.put_slice(v);
                }
            }
        }
        if headers.len() > MAX_HEADERS_LEN {
            return Err(FrameError::new(
                FrameErrorKind::TooLarge,
                format!(
                    "headers of {} bytes exceed {MAX_HEADERS_LEN}",
                    headers.len()
                ),
            ));
        }
        if self.payload.len() > MAX_PAYLOAD_LEN {
            return Err(FrameError::new(
                FrameErrorKind::TooLarge,
                format!(
                    "a payload of {} bytes exceeds {MAX_PAYLOAD_LEN}",
                    self.payload.len()
                ),
            ));
        }
        let total = OVERHEAD + headers.len() + self.payload.len();
        let mut out = BytesMut::with_capacity(total);
        out.put_u32(total as u32);
        out.put_u32(headers.len() as u32);
        out.put_u32(crc32fast::hash(&out[..8]));
        out.put_slice(&headers);
        out.put_slice(&self.payload);
        out.put_u32(crc32fast::hash(&out));
        Ok(out.freeze())
    }

    /// Decodes exactly one whole message.
    pub fn decode(frame: &[u8]) -> Result<Message, FrameError> {
        let mut decoder = Decoder::new();
        decoder.feed(frame);
        match decoder.next_message()? {
            Some(message) if decoder.buffered() == 0 => Ok(message),
            Some(_) => Err(FrameError::new(
                FrameErrorKind::InvalidPrelude,
                "bytes after the message",
            )),
            None => Err(FrameError::new(
                FrameErrorKind::Truncated,
                format!("{} bytes are not a whole message", frame.len()),
            )),
        }
    }
}

fn put_sized(out: &mut BytesMut, data: &[u8]) -> Result<(), FrameError> {
    let len = u16::try_from(data.len())
        .ok()
        .filter(|n| *n <= i16::MAX as u16)
        .ok_or_else(|| {
            FrameError::new(
                FrameErrorKind::InvalidHeader,
                "a header value must be shorter than 32 KiB",
            )
        })?;
    out.put_u16(len);
    out.put_slice(data);
    Ok(())
}

/// Why a frame could not be decoded or encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameError {
    kind: FrameErrorKind,
    message: String,
}

/// The kind of a [`FrameError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FrameErrorKind {
    /// The prelude's lengths are impossible (too small, too large, or
    /// inconsistent).
    InvalidPrelude,
    /// The prelude CRC does not match.
    PreludeCrc,
    /// The message CRC does not match.
    MessageCrc,
    /// A header is malformed (unknown type, bad UTF-8, runs past the end).
    InvalidHeader,
    /// A message is larger than the format allows.
    TooLarge,
    /// The input ended inside a message.
    Truncated,
}

impl FrameError {
    fn new(kind: FrameErrorKind, message: impl Into<String>) -> Self {
        FrameError {
            kind,
            message: message.into(),
        }
    }

    /// What went wrong.
    pub fn kind(&self) -> FrameErrorKind {
        self.kind
    }

    /// True for CRC mismatches and impossible preludes: the bytes were
    /// damaged, as opposed to cut short.
    pub fn is_corrupt(&self) -> bool {
        self.kind != FrameErrorKind::Truncated
    }
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FrameError {}

/// An incremental message decoder.
///
/// Chunks given as [`Bytes`] ([`Decoder::feed_bytes`]) are not copied when
/// they hold whole messages: payloads are slices of them. Only a message
/// split across chunks is gathered into the decoder's own buffer.
#[derive(Debug)]
pub struct Decoder {
    /// The last chunk, not yet copied (only when `buffer` is empty).
    input: Bytes,
    /// Bytes of a message split across chunks.
    buffer: BytesMut,
    /// The checked total length of the message being gathered in `buffer`.
    pending: Option<usize>,
    /// The longest message accepted.
    max_message_len: usize,
}

impl Default for Decoder {
    fn default() -> Self {
        Decoder {
            input: Bytes::new(),
            buffer: BytesMut::new(),
            pending: None,
            max_message_len: MAX_MESSAGE_LEN,
        }
    }
}

/// How much of a message split across chunks is reserved ahead of its
/// bytes: a prelude's declared length is not a reason to allocate it.
const RESERVE_AHEAD: usize = 64 * 1024;

impl Decoder {
    /// A decoder with an empty buffer.
    pub fn new() -> Self {
        Self::default()
    }

    /// A decoder that refuses messages longer than `max` bytes (at most
    /// [`MAX_MESSAGE_LEN`]) as [`FrameErrorKind::InvalidPrelude`]: what a
    /// server reading untrusted streams uses.
    pub fn with_max_message_len(max: usize) -> Self {
        Decoder {
            max_message_len: max.min(MAX_MESSAGE_LEN),
            ..Self::default()
        }
    }

    /// Appends received bytes (copied).
    pub fn feed(&mut self, chunk: &[u8]) {
        self.spill();
        self.buffer.extend_from_slice(chunk);
    }

    /// Appends a received chunk, without copying it when possible.
    pub fn feed_bytes(&mut self, chunk: Bytes) {
        if self.buffer.is_empty() && self.input.is_empty() {
            self.input = chunk;
        } else {
            self.spill();
            self.buffer.extend_from_slice(&chunk);
        }
    }

    /// Moves the uncopied chunk into the buffer.
    fn spill(&mut self) {
        if !self.input.is_empty() {
            self.buffer.extend_from_slice(&self.input);
            self.input = Bytes::new();
        }
    }

    /// Bytes received but not yet returned as messages.
    pub fn buffered(&self) -> usize {
        self.input.len() + self.buffer.len()
    }

    /// The next whole message, `None` when more bytes are needed, or an
    /// error when the bytes cannot be a message (after which the decoder
    /// should not be used).
    pub fn next_message(&mut self) -> Result<Option<Message>, FrameError> {
        if !self.input.is_empty() {
            // Whole messages are sliced out of the chunk itself.
            if self.input.len() >= PRELUDE {
                let total = check_prelude(&self.input[..PRELUDE], self.max_message_len)?;
                if self.input.len() >= total {
                    return parse_frame(self.input.split_to(total)).map(Some);
                }
            }
            self.spill();
        }
        let total = match self.pending {
            Some(total) => total,
            None => {
                if self.buffer.len() < PRELUDE {
                    return Ok(None);
                }
                let total = check_prelude(&self.buffer[..PRELUDE], self.max_message_len)?;
                self.buffer
                    .reserve(total.saturating_sub(self.buffer.len()).min(RESERVE_AHEAD));
                self.pending = Some(total);
                total
            }
        };
        if self.buffer.len() < total {
            return Ok(None);
        }
        self.pending = None;
        parse_frame(self.buffer.split_to(total).freeze()).map(Some)
    }

    /// The bytes received and not yet returned as messages, giving up the
    /// decoder (what follows a message read alone, to pass on).
    #[cfg_attr(not(feature = "server"), allow(dead_code))]
    pub(crate) fn into_buffered(mut self) -> Bytes {
        if self.buffer.is_empty() {
            return self.input;
        }
        self.spill();
        self.buffer.freeze()
    }

    /// Called at the end of the input: an error when a partial message is
    /// left over.
    pub fn finish(&self) -> Result<(), FrameError> {
        match self.buffered() {
            0 => Ok(()),
            n => Err(FrameError::new(
                FrameErrorKind::Truncated,
                format!("the stream ended inside a message ({n} bytes of it received)"),
            )),
        }
    }
}

fn be32(bytes: &[u8]) -> u32 {
    u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])
}

/// Checks a 12-byte prelude and returns the message's total length (at
/// most `max`).
fn check_prelude(prelude: &[u8], max: usize) -> Result<usize, FrameError> {
    let total = be32(&prelude[0..4]) as usize;
    let headers = be32(&prelude[4..8]) as usize;
    if crc32fast::hash(&prelude[..8]) != be32(&prelude[8..12]) {
        return Err(FrameError::new(
            FrameErrorKind::PreludeCrc,
            "the prelude CRC does not match",
        ));
    }
    if !(OVERHEAD..=max).contains(&total) {
        return Err(FrameError::new(
            FrameErrorKind::InvalidPrelude,
            format!("a message length of {total} bytes is outside {OVERHEAD}..={max}"),
        ));
    }
    if headers > total - OVERHEAD || headers > MAX_HEADERS_LEN {
        return Err(FrameError::new(
            FrameErrorKind::InvalidPrelude,
            format!("headers of {headers} bytes do not fit a message of {total} bytes"),
        ));
    }
    Ok(total)
}

/// Checks the message CRC of a whole frame (its prelude already checked)
/// and parses it; the payload is a slice of `frame`.
fn parse_frame(frame: Bytes) -> Result<Message, FrameError> {
    let total = frame.len();
    if crc32fast::hash(&frame[..total - 4]) != be32(&frame[total - 4..]) {
        return Err(FrameError::new(
            FrameErrorKind::MessageCrc,
            "the message CRC does not match",
        ));
    }
    let headers_len = be32(&frame[4..8]) as usize;
    let headers = parse_headers(frame.slice(PRELUDE..PRELUDE + headers_len))?;
    let payload = frame.slice(PRELUDE + headers_len..total - 4);
    Ok(Message { headers, payload })
}

/// Parses the headers; names and `string` values are slices of `all`.
fn parse_headers(all: Bytes) -> Result<Vec<Header>, FrameError> {
    let bad = |what: &str| FrameError::new(FrameErrorKind::InvalidHeader, what.to_owned());
    let mut headers = Vec::with_capacity(4);
    let mut data: &[u8] = &all;
    // The offset of `data` within `all`.
    let at = |data: &[u8]| all.len() - data.len();
    while !data.is_empty() {
        let name_len = usize::from(data.get_u8());
        if name_len == 0 || data.len() < name_len + 1 {
            return Err(bad("a header name is empty or runs past the headers"));
        }
        let start = at(data);
        let name = HeaderText::from_utf8(all.slice(start..start + name_len))
            .ok_or_else(|| bad("a header name is not UTF-8"))?;
        data.advance(name_len);
        let ty = data.get_u8();
        let need = |data: &[u8], n: usize| {
            if data.len() < n {
                Err(bad("a header value runs past the headers"))
            } else {
                Ok(())
            }
        };
        let value = match ty {
            0 => HeaderValue::Bool(true),
            1 => HeaderValue::Bool(false),
            2 => {
                need(data, 1)?;
                HeaderValue::Byte(data.get_i8())
            }
            3 => {
                need(data, 2)?;
                HeaderValue::Short(data.get_i16())
            }
            4 => {
                need(data, 4)?;
                HeaderValue::Int(data.get_i32())
            }
            5 => {
                need(data, 8)?;
                HeaderValue::Long(data.get_i64())
            }
            6 | 7 => {
                need(data, 2)?;
                let len = usize::from(data.get_u16());
                need(data, len)?;
                let start = at(data);
                let bytes = all.slice(start..start + len);
                let value = if ty == 6 {
                    HeaderValue::Bytes(bytes)
                } else {
                    HeaderValue::String(
                        HeaderText::from_utf8(bytes)
                            .ok_or_else(|| bad("a string header is not UTF-8"))?,
                    )
                };
                data.advance(len);
                value
            }
            8 => {
                need(data, 8)?;
                let millis = data.get_i64();
                HeaderValue::Timestamp(DateTime::from_secs_and_nanos(
                    millis.div_euclid(1000),
                    (millis.rem_euclid(1000) as u32) * 1_000_000,
                ))
            }
            9 => {
                need(data, 16)?;
                let mut uuid = [0u8; 16];
                uuid.copy_from_slice(&data[..16]);
                data.advance(16);
                HeaderValue::Uuid(uuid)
            }
            other => return Err(bad(&format!("unknown header type {other}"))),
        };
        headers.push(Header { name, value });
    }
    Ok(headers)
}
