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
    /// A transport with default settings (connect timeout
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
///     .build();
/// ```
#[derive(Debug, Clone)]
pub struct HyperTransportBuilder {
    connect_timeout: std::time::Duration,
    http2_only: bool,
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

    /// The transport.
    pub fn build(self) -> HyperTransport {
        let mut http = hyper_util::client::legacy::connect::HttpConnector::new();
        http.enforce_http(false);
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
                } else {
                    TransportError::with_source("request failed", e)
                }
            })?;
            Ok(response.map(ByteStream::from_http_body))
        })
    }
}
