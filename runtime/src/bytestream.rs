//! [`ByteStream`]: a body that is streamed, never necessarily held whole in
//! memory — the type of `@streaming` blob members, and the body type every
//! [`Transport`](crate::Transport) sends and receives.
//!
//! A `ByteStream` comes from memory (`Bytes`, `Vec<u8>`, `String`, static
//! data), from a file path (read in chunks; its length is known, so
//! `Content-Length` is sent), from any `Stream` of byte chunks or any
//! `AsyncRead`, or from a response. It is read with [`ByteStream::collect_bytes`],
//! [`ByteStream::collect_string`], [`ByteStream::write_to_path`],
//! [`ByteStream::write_to`], [`ByteStream::async_read`], or as a
//! `futures_core::Stream<Item = Result<Bytes, ByteStreamError>>`. Reading
//! methods take `&mut self`, so they work on the body lent to a scoped
//! (`send_with`) closure as well as on an owned one.
//!
//! Bodies from memory or a file can be sent again (retries open the file
//! anew); bodies from a `Stream` or an `AsyncRead` are sent once, so a
//! request carrying one is not retried.

use std::fmt;
use std::future::Future;
use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, ready};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use futures_util::TryStreamExt;
use http_body::{Frame, SizeHint};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt as _};

use crate::error::BoxError;

/// Chunk size used when reading files and readers.
const CHUNK: usize = 64 * 1024;

type BoxStream = Pin<Box<dyn Stream<Item = Result<Bytes, BoxError>> + Send>>;
type BoxBody = Pin<Box<dyn http_body::Body<Data = Bytes, Error = BoxError> + Send>>;
type Opening = Pin<Box<dyn Future<Output = io::Result<tokio::fs::File>> + Send>>;

/// A streamed body. See the [module documentation](self).
pub struct ByteStream {
    kind: Kind,
    /// The longest a read may wait for the next chunk, with its timer.
    idle: Option<Idle>,
}

enum Kind {
    /// In memory; `done` once its one chunk was yielded.
    Memory { data: Bytes, done: bool },
    /// A file, opened on first read.
    File(FileBody),
    /// A caller's stream, read once.
    Stream {
        stream: BoxStream,
        length: Option<u64>,
    },
    /// An HTTP body (a response from the transport).
    Http(BoxBody),
    /// Lent to a scope: emptied when the scope ends (see [`ScopeGuard`]).
    Scoped(Arc<Mutex<Option<Box<ByteStream>>>>),
    /// Read to its end, taken, or failed.
    Done,
}

struct FileBody {
    path: PathBuf,
    length: u64,
    opening: Option<Opening>,
    reader: Option<tokio_util::io::ReaderStream<tokio::io::Take<tokio::fs::File>>>,
    remaining: u64,
}

struct Idle {
    limit: Duration,
    /// Made the first time a read has to wait: a body that is already
    /// there (most small responses) never touches the timer.
    timer: Option<Pin<Box<tokio::time::Sleep>>>,
    armed: bool,
}

/// Why reading a [`ByteStream`] failed.
#[derive(Debug)]
pub struct ByteStreamError {
    kind: ByteStreamErrorKind,
    source: Option<BoxError>,
}

/// The kind of a [`ByteStreamError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ByteStreamErrorKind {
    /// Reading or writing a file or reader failed.
    Io,
    /// The connection failed while the body was being received or sent.
    Transport,
    /// The connection ended before the whole body arrived: the peer closed
    /// or reset it, an HTTP/1.1 body ended short of its length, or an
    /// HTTP/2 stream was reset (`RST_STREAM`) or cut by a `GOAWAY`. The
    /// same fault is this kind over either HTTP version.
    Incomplete,
    /// No data arrived within the read timeout.
    Timeout,
    /// The body was lent to a `send_with` closure that has ended.
    Released,
    /// The body is not valid UTF-8 (from [`ByteStream::collect_string`]).
    InvalidUtf8,
    /// The caller's stream failed.
    Source,
    /// The body is longer than the reader allows
    /// ([`ByteStream::collect_bytes_up_to`], a client's
    /// `max_response_body`).
    TooLarge,
}

impl ByteStreamError {
    fn new(kind: ByteStreamErrorKind, source: Option<BoxError>) -> Self {
        ByteStreamError { kind, source }
    }

    fn io(e: io::Error) -> Self {
        Self::new(ByteStreamErrorKind::Io, Some(Box::new(e)))
    }

    /// What went wrong.
    pub fn kind(&self) -> ByteStreamErrorKind {
        self.kind
    }

    /// True when the body stalled longer than the read timeout.
    pub fn is_timeout(&self) -> bool {
        self.kind == ByteStreamErrorKind::Timeout
    }
}

impl fmt::Display for ByteStreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.kind {
            ByteStreamErrorKind::Io => "reading or writing the body failed",
            ByteStreamErrorKind::Transport => "the connection failed while streaming the body",
            ByteStreamErrorKind::Incomplete => "the connection ended before the whole body arrived",
            ByteStreamErrorKind::Timeout => "the body stalled: no data within the read timeout",
            ByteStreamErrorKind::Released => {
                "the body was released when its send_with closure ended"
            }
            ByteStreamErrorKind::InvalidUtf8 => "the body is not valid UTF-8",
            ByteStreamErrorKind::Source => "the body's source stream failed",
            ByteStreamErrorKind::TooLarge => "the body is larger than allowed",
        })?;
        if let Some(source) = &self.source {
            write!(f, ": {source}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ByteStreamError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

impl From<ByteStreamError> for io::Error {
    fn from(e: ByteStreamError) -> Self {
        let kind = match e.kind {
            ByteStreamErrorKind::Timeout => io::ErrorKind::TimedOut,
            ByteStreamErrorKind::InvalidUtf8 => io::ErrorKind::InvalidData,
            ByteStreamErrorKind::TooLarge => io::ErrorKind::FileTooLarge,
            _ => io::ErrorKind::Other,
        };
        io::Error::new(kind, e)
    }
}

impl ByteStream {
    fn of(kind: Kind) -> Self {
        ByteStream { kind, idle: None }
    }

    /// A body of `data`, held in memory.
    pub fn new(data: impl Into<Bytes>) -> Self {
        Self::of(Kind::Memory {
            data: data.into(),
            done: false,
        })
    }

    /// An empty body.
    pub fn empty() -> Self {
        Self::new(Bytes::new())
    }

    /// A body of static data (not copied).
    pub fn from_static(data: &'static [u8]) -> Self {
        Self::new(Bytes::from_static(data))
    }

    /// The file at `path`, read in chunks when the body is sent, never
    /// whole. Its length is read now (so `Content-Length` can be sent); the
    /// file is opened anew for each attempt, so the request can be retried.
    pub async fn from_path(path: impl AsRef<Path>) -> io::Result<Self> {
        let path = path.as_ref().to_owned();
        let length = tokio::fs::metadata(&path).await?.len();
        Ok(Self::of(Kind::File(FileBody {
            path,
            length,
            opening: None,
            reader: None,
            remaining: length,
        })))
    }

    /// A body read from `stream`, chunk by chunk; its length is unknown, so
    /// it is sent with chunked transfer encoding. It can be sent only once.
    pub fn from_stream<S, E>(stream: S) -> Self
    where
        S: Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<BoxError> + 'static,
    {
        Self::of(Kind::Stream {
            stream: Box::pin(TryStreamExt::map_err(stream, Into::into)),
            length: None,
        })
    }

    /// Like [`from_stream`](Self::from_stream), for a stream that yields
    /// exactly `length` bytes (sent as `Content-Length`).
    pub fn from_sized_stream<S, E>(stream: S, length: u64) -> Self
    where
        S: Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<BoxError> + 'static,
    {
        Self::of(Kind::Stream {
            stream: Box::pin(TryStreamExt::map_err(stream, Into::into)),
            length: Some(length),
        })
    }

    /// A body read from `reader` in chunks; sent once, length unknown.
    pub fn from_async_read(reader: impl AsyncRead + Send + 'static) -> Self {
        Self::from_stream(tokio_util::io::ReaderStream::with_capacity(reader, CHUNK))
    }

    /// A body read from any `http_body::Body` (a custom transport's
    /// response); sent once.
    pub fn from_http_body<B>(body: B) -> Self
    where
        B: http_body::Body<Data = Bytes> + Send + 'static,
        B::Error: Into<BoxError>,
    {
        Self::of(Kind::Http(Box::pin(http_body_util::BodyExt::map_err(
            body,
            Into::into,
        ))))
    }

    /// Ends reads that wait longer than `limit` for the next chunk with a
    /// [`ByteStreamErrorKind::Timeout`] error.
    pub fn with_read_timeout(mut self, limit: Duration) -> Self {
        self.idle = Some(Idle {
            limit,
            timer: None,
            armed: false,
        });
        self
    }

    /// The number of bytes left to read, when known.
    pub fn content_length(&self) -> Option<u64> {
        http_body::Body::size_hint(self).exact()
    }

    /// A fresh copy of this body from its start, when its source can be
    /// read again (memory and files); `None` for one-shot sources.
    pub fn try_clone(&self) -> Option<ByteStream> {
        let kind = match &self.kind {
            Kind::Memory { data, .. } => Kind::Memory {
                data: data.clone(),
                done: false,
            },
            Kind::File(file) => Kind::File(FileBody {
                path: file.path.clone(),
                length: file.length,
                opening: None,
                reader: None,
                remaining: file.length,
            }),
            _ => return None,
        };
        Some(ByteStream {
            kind,
            idle: self.idle.as_ref().map(|idle| Idle {
                limit: idle.limit,
                timer: None,
                armed: false,
            }),
        })
    }

    /// The whole body, when it is in memory and unread (for signing, and
    /// for storing in an outbox).
    #[cfg(any(feature = "aws", feature = "outbox"))]
    pub(crate) fn in_memory(&self) -> Option<&[u8]> {
        match &self.kind {
            Kind::Memory { data, done: false } => Some(data),
            _ => None,
        }
    }

    /// True when [`try_clone`](Self::try_clone) gives a copy, so a request
    /// carrying this body can be sent again.
    pub fn is_replayable(&self) -> bool {
        matches!(self.kind, Kind::Memory { .. } | Kind::File(_))
    }

    /// The body for one attempt of a request (used by generated code): a
    /// fresh copy when the source can be read again, else the body itself,
    /// leaving this one empty.
    #[doc(hidden)]
    pub fn take_for_attempt(&mut self) -> ByteStream {
        match self.try_clone() {
            Some(copy) => copy,
            None => std::mem::take(self),
        }
    }

    /// The next chunk; `None` at the end of the body.
    pub async fn next_chunk(&mut self) -> Option<Result<Bytes, ByteStreamError>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Reads the rest of the body into memory.
    pub async fn collect_bytes(&mut self) -> Result<Bytes, ByteStreamError> {
        self.collect_bytes_up_to(usize::MAX).await
    }

    /// Reads the rest of the body into memory, failing with
    /// [`ByteStreamErrorKind::TooLarge`] as soon as it holds more than
    /// `limit` bytes.
    pub async fn collect_bytes_up_to(&mut self, limit: usize) -> Result<Bytes, ByteStreamError> {
        /// The most memory a declared length reserves up front: a peer's
        /// `Content-Length` is a claim, not a promise.
        const MAX_RESERVE: u64 = 8 << 20;
        let too_large = || ByteStreamError::new(ByteStreamErrorKind::TooLarge, None);
        let mut first: Option<Bytes> = None;
        let mut rest: Vec<u8> = Vec::new();
        let mut total = 0usize;
        while let Some(chunk) = self.next_chunk().await {
            let chunk = chunk?;
            total = total.saturating_add(chunk.len());
            if total > limit {
                return Err(too_large());
            }
            match &first {
                None => first = Some(chunk),
                Some(head) => {
                    if rest.is_empty() {
                        let hint = self.content_length().unwrap_or(0).min(MAX_RESERVE) as usize;
                        rest.reserve(head.len().saturating_add(chunk.len()).saturating_add(hint));
                        rest.extend_from_slice(head);
                    }
                    rest.extend_from_slice(&chunk);
                }
            }
        }
        Ok(if rest.is_empty() {
            first.unwrap_or_default()
        } else {
            Bytes::from(rest)
        })
    }

    /// Reads the rest of the body as UTF-8 text.
    pub async fn collect_string(&mut self) -> Result<String, ByteStreamError> {
        let bytes = self.collect_bytes().await?;
        String::from_utf8(bytes.into())
            .map_err(|e| ByteStreamError::new(ByteStreamErrorKind::InvalidUtf8, Some(Box::new(e))))
    }

    /// Writes the rest of the body to `writer`, chunk by chunk, and flushes
    /// it; returns the number of bytes written.
    pub async fn write_to<W>(&mut self, writer: &mut W) -> Result<u64, ByteStreamError>
    where
        W: AsyncWrite + Unpin + ?Sized,
    {
        let io = ByteStreamError::io;
        let mut written = 0u64;
        while let Some(chunk) = self.next_chunk().await {
            let chunk = chunk?;
            writer.write_all(&chunk).await.map_err(io)?;
            written += chunk.len() as u64;
        }
        writer.flush().await.map_err(io)?;
        Ok(written)
    }

    /// Writes the rest of the body to a new file at `path` (replacing any
    /// file there); returns the number of bytes written.
    pub async fn write_to_path(&mut self, path: impl AsRef<Path>) -> Result<u64, ByteStreamError> {
        let mut file = tokio::fs::File::create(path)
            .await
            .map_err(ByteStreamError::io)?;
        let written = self.write_to(&mut file).await?;
        file.sync_all().await.map_err(ByteStreamError::io)?;
        Ok(written)
    }

    /// The rest of the body as an `AsyncRead`, borrowing it.
    pub fn async_read(&mut self) -> impl AsyncRead + Send + Unpin + '_ {
        tokio_util::io::StreamReader::new(self)
    }

    /// The body as an `AsyncRead`.
    pub fn into_async_read(self) -> impl AsyncRead + Send + Unpin {
        tokio_util::io::StreamReader::new(self)
    }

    /// Lends this body to a scope: from now on it reads through a shared
    /// slot that the returned guard empties when dropped, so the body (and
    /// the connection under it) is released when the scope ends even if the
    /// caller moved the body elsewhere. Used by generated `send_with`.
    #[doc(hidden)]
    pub fn scope(&mut self) -> ScopeGuard {
        let inner = std::mem::take(self);
        let slot = Arc::new(Mutex::new(Some(Box::new(inner))));
        self.kind = Kind::Scoped(slot.clone());
        ScopeGuard { slot }
    }

    fn poll_data(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes, ByteStreamError>>> {
        let result = match &mut self.kind {
            Kind::Memory { data, done } => {
                if *done || data.is_empty() {
                    *done = true;
                    None
                } else {
                    *done = true;
                    Some(Ok(data.clone()))
                }
            }
            Kind::File(file) => ready!(file.poll_next(cx)),
            Kind::Stream { stream, .. } => ready!(stream.as_mut().poll_next(cx))
                .map(|r| r.map_err(|e| ByteStreamError::new(ByteStreamErrorKind::Source, Some(e)))),
            Kind::Http(body) => loop {
                match ready!(body.as_mut().poll_frame(cx)) {
                    None => break None,
                    Some(Ok(frame)) => match frame.into_data() {
                        Ok(data) if data.is_empty() => continue,
                        Ok(data) => break Some(Ok(data)),
                        Err(_trailers) => continue,
                    },
                    Some(Err(e)) => {
                        let kind = if crate::transport::connection_lost(&*e) {
                            ByteStreamErrorKind::Incomplete
                        } else {
                            ByteStreamErrorKind::Transport
                        };
                        break Some(Err(ByteStreamError::new(kind, Some(e))));
                    }
                }
            },
            Kind::Scoped(slot) => {
                let mut slot = match slot.lock() {
                    Ok(slot) => slot,
                    Err(poisoned) => poisoned.into_inner(),
                };
                match slot.as_mut() {
                    Some(inner) => ready!(Pin::new(&mut **inner).poll_next(cx)),
                    None => Some(Err(ByteStreamError::new(
                        ByteStreamErrorKind::Released,
                        None,
                    ))),
                }
            }
            Kind::Done => None,
        };
        match &result {
            // The end, or an error: nothing more will be read.
            None | Some(Err(_)) => {
                if !matches!(self.kind, Kind::Memory { .. }) {
                    self.kind = Kind::Done;
                }
            }
            Some(Ok(_)) => {}
        }
        Poll::Ready(result)
    }
}

impl FileBody {
    fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes, ByteStreamError>>> {
        let io = ByteStreamError::io;
        loop {
            if let Some(reader) = &mut self.reader {
                return Poll::Ready(match ready!(Pin::new(reader).poll_next(cx)) {
                    Some(Ok(chunk)) => {
                        self.remaining = self.remaining.saturating_sub(chunk.len() as u64);
                        Some(Ok(chunk))
                    }
                    Some(Err(e)) => Some(Err(io(e))),
                    None if self.remaining > 0 => Some(Err(io(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        format!(
                            "{} shrank while it was being sent ({} bytes missing)",
                            self.path.display(),
                            self.remaining
                        ),
                    )))),
                    None => None,
                });
            }
            let opening = self
                .opening
                .get_or_insert_with(|| Box::pin(tokio::fs::File::open(self.path.clone())));
            let file = ready!(opening.as_mut().poll(cx)).map_err(io);
            self.opening = None;
            match file {
                Ok(file) => {
                    // Send exactly the length announced, even if the file grew.
                    let limited = tokio::io::AsyncReadExt::take(file, self.length);
                    self.reader = Some(tokio_util::io::ReaderStream::with_capacity(limited, CHUNK));
                }
                Err(e) => return Poll::Ready(Some(Err(e))),
            }
        }
    }
}

/// Releases a scoped body when dropped (see [`ByteStream::scope`]).
#[doc(hidden)]
#[derive(Debug)]
pub struct ScopeGuard {
    slot: Arc<Mutex<Option<Box<ByteStream>>>>,
}

impl Drop for ScopeGuard {
    fn drop(&mut self) {
        let body = match self.slot.lock() {
            Ok(mut slot) => slot.take(),
            Err(poisoned) => poisoned.into_inner().take(),
        };
        drop(body);
    }
}

impl Default for ByteStream {
    fn default() -> Self {
        Self::empty()
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = match &self.kind {
            Kind::Memory { .. } => "memory",
            Kind::File(_) => "file",
            Kind::Stream { .. } => "stream",
            Kind::Http(_) => "http",
            Kind::Scoped(_) => "scoped",
            Kind::Done => "done",
        };
        f.debug_struct("ByteStream")
            .field("source", &source)
            .field("content_length", &self.content_length())
            .finish()
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, ByteStreamError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        let polled = this.poll_data(cx);
        let Some(idle) = &mut this.idle else {
            return polled;
        };
        match polled {
            Poll::Ready(item) => {
                idle.armed = false;
                Poll::Ready(item)
            }
            Poll::Pending => {
                let deadline = (!idle.armed).then(|| tokio::time::Instant::now() + idle.limit);
                let timer = match (&mut idle.timer, deadline) {
                    (Some(timer), Some(deadline)) => {
                        timer.as_mut().reset(deadline);
                        timer
                    }
                    (slot, deadline) => slot.get_or_insert_with(|| {
                        let deadline =
                            deadline.unwrap_or_else(|| tokio::time::Instant::now() + idle.limit);
                        Box::pin(tokio::time::sleep_until(deadline))
                    }),
                };
                idle.armed = true;
                ready!(timer.as_mut().poll(cx));
                let limit = idle.limit;
                this.kind = Kind::Done;
                Poll::Ready(Some(Err(ByteStreamError::new(
                    ByteStreamErrorKind::Timeout,
                    Some(format!("no data for {limit:?}").into()),
                ))))
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        // Chunks, not bytes: at most one chunk per byte.
        let hint = http_body::Body::size_hint(self);
        (
            usize::from(hint.lower() > 0),
            hint.upper().map(|n| n as usize),
        )
    }
}

impl http_body::Body for ByteStream {
    type Data = Bytes;
    type Error = ByteStreamError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, ByteStreamError>>> {
        self.poll_next(cx)
            .map(|item| item.map(|r| r.map(Frame::data)))
    }

    fn is_end_stream(&self) -> bool {
        match &self.kind {
            Kind::Memory { data, done } => *done || data.is_empty(),
            Kind::File(file) => file.remaining == 0,
            Kind::Stream { length, .. } => *length == Some(0),
            Kind::Http(body) => body.is_end_stream(),
            Kind::Scoped(_) => false,
            Kind::Done => true,
        }
    }

    fn size_hint(&self) -> SizeHint {
        match &self.kind {
            Kind::Memory { data, done } => {
                SizeHint::with_exact(if *done { 0 } else { data.len() as u64 })
            }
            Kind::File(file) => SizeHint::with_exact(file.remaining),
            Kind::Stream {
                length: Some(length),
                ..
            } => SizeHint::with_exact(*length),
            Kind::Stream { length: None, .. } | Kind::Scoped(_) => SizeHint::default(),
            Kind::Http(body) => body.size_hint(),
            Kind::Done => SizeHint::with_exact(0),
        }
    }
}

macro_rules! from_memory {
    ($($ty:ty),*) => {$(
        impl From<$ty> for ByteStream {
            fn from(data: $ty) -> Self {
                ByteStream::new(data)
            }
        }
    )*};
}
from_memory!(Bytes, Vec<u8>, String, &'static str, &'static [u8]);

impl From<crate::Blob> for ByteStream {
    fn from(blob: crate::Blob) -> Self {
        ByteStream::new(blob.into_inner())
    }
}
