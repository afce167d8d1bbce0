//! Sending HTTP requests: the [`Transport`] trait and the default
//! [`HyperTransport`] (hyper with rustls; `http://` and `https://`).
//!
//! Bodies stream both ways: a transport sends a request whose body is a
//! [`ByteStream`] and returns as soon as the response head arrives, with the
//! body still streaming. The pipeline reads whole bodies for ordinary
//! operations ([`HttpResponse`]) and hands streaming ones to the caller.
//!
//! Tests and users bring their own transport by implementing the trait.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use bytes::Bytes;

use crate::bytestream::ByteStream;
use crate::error::TransportError;

/// A request, its body streamed.
pub type HttpRequest = http::Request<ByteStream>;
/// A response as the transport returns it: the head, and the body still
/// streaming.
pub type StreamingResponse = http::Response<ByteStream>;
/// A response with its whole body read (what response parsers see).
pub type HttpResponse = http::Response<Bytes>;
/// The future a transport returns.
pub type SendFuture =
    Pin<Box<dyn Future<Output = Result<StreamingResponse, TransportError>> + Send + 'static>>;

/// Sends one HTTP request and returns its response.
pub trait Transport: Send + Sync + fmt::Debug + 'static {
    /// Sends the request and resolves when the response head has arrived;
    /// the response body streams from there. A transport reports only
    /// failures to get a response; any HTTP status is a response.
    fn send(&self, request: HttpRequest) -> SendFuture;
}

/// The default transport: a pooled hyper client with rustls (webpki roots),
/// HTTP/1.1 and HTTP/2.
#[derive(Clone)]
pub struct HyperTransport {
    client: hyper_util::client::legacy::Client<
        hyper_rustls::HttpsConnector<hyper_util::client::legacy::connect::HttpConnector>,
        ByteStream,
    >,
}

impl fmt::Debug for HyperTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HyperTransport")
    }
}

impl Default for HyperTransport {
    fn default() -> Self {
        Self::new()
    }
}

/// How long the default transport waits for a TCP connection.
pub const DEFAULT_CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

impl HyperTransport {
    /// A transport with default settings (`TCP_NODELAY` on, connect timeout
    /// [`DEFAULT_CONNECT_TIMEOUT`]).
    pub fn new() -> Self {
        Self::with_connect_timeout(DEFAULT_CONNECT_TIMEOUT)
    }

    /// A transport that gives up connecting after `timeout` (a
    /// [`TransportError`] that says the request was not sent, so it is
    /// always safe to retry).
    pub fn with_connect_timeout(timeout: std::time::Duration) -> Self {
        Self::builder().connect_timeout(timeout).build()
    }

    /// Settings for a transport, starting from the defaults.
    pub fn builder() -> HyperTransportBuilder {
        HyperTransportBuilder {
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            http2_only: false,
            tcp_nodelay: true,
        }
    }
}

/// Builds a [`HyperTransport`]:
///
/// ```
/// use std::time::Duration;
/// use tinsmith_runtime::HyperTransport;
///
/// let transport = HyperTransport::builder()
///     .connect_timeout(Duration::from_secs(3))
///     .http2_only(true)
///     .tcp_nodelay(true)
///     .build();
/// ```
#[derive(Debug, Clone)]
pub struct HyperTransportBuilder {
    connect_timeout: std::time::Duration,
    http2_only: bool,
    tcp_nodelay: bool,
}

impl HyperTransportBuilder {
    /// How long to wait for a TCP connection (default
    /// [`DEFAULT_CONNECT_TIMEOUT`]).
    pub fn connect_timeout(mut self, timeout: std::time::Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Speak only HTTP/2: over TLS as negotiated by ALPN, and over plain
    /// `http://` with prior knowledge (h2c). Event streams that send and
    /// receive at once need HTTP/2; HTTPS endpoints negotiate it anyway,
    /// so this matters for plain-text endpoints such as a local service.
    pub fn http2_only(mut self, yes: bool) -> Self {
        self.http2_only = yes;
        self
    }

    /// Set `TCP_NODELAY` on each connection (default `true`): small
    /// requests and HTTP/2 frames go out at once instead of waiting for
    /// Nagle's algorithm to fill a segment, which otherwise adds tens of
    /// milliseconds to some round trips (it meets the peer's delayed ACK).
    /// Turn it off only to trade latency for fewer packets.
    pub fn tcp_nodelay(mut self, yes: bool) -> Self {
        self.tcp_nodelay = yes;
        self
    }

    /// The transport.
    pub fn build(self) -> HyperTransport {
        let mut http = hyper_util::client::legacy::connect::HttpConnector::new();
        http.enforce_http(false);
        http.set_nodelay(self.tcp_nodelay);
        http.set_connect_timeout(Some(self.connect_timeout));
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_webpki_roots()
            .https_or_http()
            .enable_http1()
            .enable_http2()
            .wrap_connector(http);
        let client =
            hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
                .http2_only(self.http2_only)
                .build(connector);
        HyperTransport { client }
    }
}

impl Transport for HyperTransport {
    fn send(&self, request: HttpRequest) -> SendFuture {
        let client = self.client.clone();
        Box::pin(async move {
            let response = client.request(request).await.map_err(|e| {
                if e.is_connect() {
                    TransportError::not_sent("could not connect", e)
                } else if refused(&e) {
                    TransportError::not_sent("the server refused the stream", e)
                } else {
                    TransportError::with_source("request failed", e)
                }
            })?;
            Ok(response.map(ByteStream::from_http_body))
        })
    }
}

/// True when `error` (or an error in its source chain) means the
/// connection or the HTTP/2 stream ended under the request: the peer closed
/// or reset the TCP connection, an HTTP/1.1 message ended short, or an
/// HTTP/2 stream was reset (`RST_STREAM`) or cut by a `GOAWAY`. A fault the
/// server makes (aborting a body midway) is one of these over either HTTP
/// version, so callers classify it the same way.
pub(crate) fn connection_lost(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut source = Some(error);
    while let Some(e) = source {
        if let Some(e) = e.downcast_ref::<hyper::Error>()
            && (e.is_incomplete_message() || e.is_closed() || e.is_canceled())
        {
            return true;
        }
        if let Some(e) = e.downcast_ref::<h2::Error>() {
            // h2 keeps its I/O cause out of the source chain.
            if let Some(io) = e.get_io() {
                return io_lost(io);
            }
            if e.is_reset() || e.is_go_away() {
                return true;
            }
        }
        if let Some(e) = e.downcast_ref::<std::io::Error>()
            && io_lost(e)
        {
            return true;
        }
        source = e.source();
    }
    false
}

fn io_lost(error: &std::io::Error) -> bool {
    matches!(
        error.kind(),
        std::io::ErrorKind::ConnectionReset
            | std::io::ErrorKind::ConnectionAborted
            | std::io::ErrorKind::BrokenPipe
            | std::io::ErrorKind::UnexpectedEof
    )
}

/// True when an HTTP/2 server refused the stream (`REFUSED_STREAM`, RFC 9113
/// §8.7): it did not process the request, so sending it again is safe.
fn refused(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut source = Some(error);
    while let Some(e) = source {
        if let Some(e) = e.downcast_ref::<h2::Error>() {
            return e.reason() == Some(h2::Reason::REFUSED_STREAM);
        }
        source = e.source();
    }
    false
}
