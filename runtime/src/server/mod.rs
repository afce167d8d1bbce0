//! Serving a modeled service: what a generated server module builds on.
//!
//! A crate generated with server support has a `server` module holding a
//! trait with one async method per operation and a `router` function that
//! turns an implementation of it into an axum [`Router`](axum::Router).
//! This module holds what every such server shares:
//!
//! * [`Request`], what a handler receives: the typed input, with the HTTP
//!   headers and the request id of the call;
//! * [`Status`], a failure the model does not describe, answered as an
//!   unmodeled error with its code and message;
//! * [`validate`], the constraint traits checked before a handler runs;
//! * [`rpc`], the framing of the RPC protocols (awsJson1_0, awsJson1_1,
//!   rpcv2Cbor, rpcv2Json): which operation a request calls, and how
//!   outputs and errors are written;
//! * [`rest`], the routing of the REST protocols (restJson1) by the
//!   operations' `@http` traits, and the parts of their requests and
//!   responses;
//! * [`json_rpc`], the framing of our own JSON-RPC 2.0 protocol;
//! * [`caller`], who made a call as a gateway vouches for it, and the ids
//!   a call arrived with, for workers behind a [gateway](crate::gateway);
//! * [`linger`], how every router reads what a caller still sends after
//!   its answer, so the connection closes cleanly.
//!
//! Behind the `server` cargo feature, so a client-only crate compiles none
//! of it.

pub mod caller;
pub mod json_rpc;
pub mod linger;
pub mod rest;
pub mod rpc;
pub mod validate;

pub use axum;
pub use caller::{CALLER_HEADER, Caller, Incoming};

use http::HeaderMap;

use crate::chain::RequestChain;

/// A call as its handler receives it: the operation's typed input, and
/// what came with it.
#[derive(Debug)]
pub struct Request<T> {
    input: T,
    headers: HeaderMap,
    request_id: String,
    chain: RequestChain,
}

impl<T> Request<T> {
    /// A request with `input`, no headers and a fresh request id (for
    /// calling a handler directly, in tests).
    pub fn new(input: T) -> Self {
        Request {
            input,
            headers: HeaderMap::new(),
            request_id: uuid::Uuid::new_v4().to_string(),
            chain: RequestChain::default(),
        }
    }

    /// The request as a call delivered it.
    pub(crate) fn from_call(
        input: T,
        headers: HeaderMap,
        request_id: String,
        chain: RequestChain,
    ) -> Self {
        Request {
            input,
            headers,
            request_id,
            chain,
        }
    }

    /// The operation's input.
    pub fn input(&self) -> &T {
        &self.input
    }

    /// The operation's input, taking it out of the request.
    pub fn into_input(self) -> T {
        self.input
    }

    /// The HTTP headers of the call.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The id of this call: the caller's `x-request-id` (what tinsmith
    /// clients send) or `x-amzn-requestid` when it sent one, else a fresh
    /// UUID. The response carries it back in `x-amzn-requestid`.
    pub fn request_id(&self) -> &str {
        &self.request_id
    }

    /// The upstream requests of this call, oldest first, as the caller's
    /// `x-request-chain` header lists them (`<id>@<service>`; empty when
    /// it sent none). The handler runs inside this chain extended with
    /// `<request id>@<service>`, so the calls it makes with tinsmith
    /// clients carry the whole chain on
    /// ([`RequestChain::current`](crate::chain::RequestChain::current)).
    pub fn chain(&self) -> &RequestChain {
        &self.chain
    }

    /// The caller a gateway authenticated and vouches for in the
    /// [`CALLER_HEADER`] header; `None` when the call carries none (or a
    /// malformed one). See [`caller`] on when to trust it.
    pub fn caller(&self) -> Option<Caller> {
        Caller::from_headers(&self.headers)
    }
}

/// A failure the model does not describe: answered as an error with this
/// code (a shape name or id, as the protocol's `__type`), message and HTTP
/// status, and — a rich status — typed details and metadata. Clients read
/// it as an unhandled error with this code and message, its details in
/// [`ErrorStatus::details`](crate::ErrorStatus::details) (typed with
/// `detail::<T>()`) and its metadata in
/// [`ErrorStatus::metadata`](crate::ErrorStatus::metadata).
///
/// The wire form, per protocol: the error document holds `__type`,
/// `message` and, when there are details, `__details`, a list of
/// documents each with its shape id in `__type` beside the structure's
/// members (JSON; CBOR maps in rpcv2Cbor). Metadata are response headers,
/// except in JSON-RPC 2.0, where one HTTP response may answer a whole batch:
/// there they are the object `__metadata` of the error's `data`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    code: String,
    message: String,
    http_status: u16,
    details: Vec<crate::ErrorDetail>,
    metadata: Vec<(http::HeaderName, http::HeaderValue)>,
}

/// Headers the framing of a reply sets, which metadata may not replace.
const RESERVED_HEADERS: &[&str] = &[
    "connection",
    "content-encoding",
    "content-length",
    "content-type",
    "date",
    "keep-alive",
    "proxy-connection",
    "smithy-protocol",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "x-amzn-errortype",
    "x-amzn-query-error",
    "x-amzn-requestid",
];

impl Status {
    /// A failure with `code` and `message`, answered with HTTP status 500
    /// (change it with [`Status::with_http_status`]).
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        Status {
            code: code.into(),
            message: message.into(),
            http_status: 500,
            details: Vec::new(),
            metadata: Vec::new(),
        }
    }

    /// An internal failure (`InternalFailure`, HTTP status 500).
    pub fn internal(message: impl Into<String>) -> Self {
        Status::new("InternalFailure", message)
    }

    /// The same failure answered with `http_status` (kept in 400..=599;
    /// anything else becomes 500).
    pub fn with_http_status(mut self, http_status: u16) -> Self {
        self.http_status = if (400..=599).contains(&http_status) {
            http_status
        } else {
            500
        };
        self
    }

    /// The failure with one more typed detail: a structure of the model
    /// (`ErrorDetail::of(&value)` for a generated one, with the `serde`
    /// feature), which the client decodes into its generated type.
    pub fn with_detail(mut self, detail: crate::ErrorDetail) -> Self {
        self.details.push(detail);
        self
    }

    /// The failure with one more metadata entry, sent as a response header
    /// (in JSON-RPC 2.0, in `data.__metadata`); an entry of the same name
    /// is replaced.
    ///
    /// # Errors
    /// When `name` is not a header name, `value` not a header value, or
    /// the name is one the protocol's framing sets (`content-type`,
    /// `x-amzn-requestid`, ...).
    pub fn with_metadata(mut self, name: &str, value: &str) -> Result<Self, InvalidMetadata> {
        let invalid = || InvalidMetadata(name.to_owned());
        let name = http::HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid())?;
        if RESERVED_HEADERS.contains(&name.as_str()) {
            return Err(invalid());
        }
        let value = http::HeaderValue::from_str(value).map_err(|_| invalid())?;
        self.metadata.retain(|(n, _)| *n != name);
        self.metadata.push((name, value));
        Ok(self)
    }

    /// The error code.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The HTTP status the failure is answered with.
    pub fn http_status(&self) -> u16 {
        self.http_status
    }

    /// The typed details.
    pub fn details(&self) -> &[crate::ErrorDetail] {
        &self.details
    }

    /// The metadata entries (name, value).
    pub fn metadata_entries(&self) -> impl Iterator<Item = (&str, &str)> {
        self.metadata
            .iter()
            .map(|(n, v)| (n.as_str(), v.to_str().unwrap_or_default()))
    }

    /// The error document of this failure (`__type`, `message`,
    /// `__details`; `__metadata` when `metadata_in_body`).
    pub(crate) fn document(&self, metadata_in_body: bool) -> serde_json::Value {
        let mut document = serde_json::json!({"__type": self.code, "message": self.message});
        if !self.details.is_empty() {
            let details = self.details.iter().map(crate::ErrorDetail::to_json);
            document["__details"] = details.collect();
        }
        if metadata_in_body && !self.metadata.is_empty() {
            let metadata = self
                .metadata_entries()
                .map(|(n, v)| (n.to_owned(), serde_json::Value::from(v)));
            document["__metadata"] = serde_json::Value::Object(metadata.collect());
        }
        document
    }

    /// The metadata as headers.
    pub(crate) fn headers(&self) -> &[(http::HeaderName, http::HeaderValue)] {
        &self.metadata
    }
}

/// A metadata entry a [`Status`] cannot carry: its name (see
/// [`Status::with_metadata`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidMetadata(String);

impl std::fmt::Display for InvalidMetadata {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "`{}` cannot be error metadata (not a header, or one the protocol sets)",
            self.0
        )
    }
}

impl std::error::Error for InvalidMetadata {}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for Status {}

/// The longest request id a server takes from its caller.
const MAX_ID_LEN: usize = 128;

/// The most upstream entries a server keeps of its caller's chain (the
/// most recent ones).
const MAX_CHAIN_LEN: usize = 32;

/// The request id and upstream chain a call arrived with: `x-request-id`
/// (else `x-amzn-requestid`, else a fresh UUID) and `x-request-chain`.
/// The header names are the client defaults
/// ([`REQUEST_ID_HEADER`](crate::config::REQUEST_ID_HEADER),
/// [`REQUEST_CHAIN_HEADER`](crate::config::REQUEST_CHAIN_HEADER)); clients
/// that rename them are not read.
pub(crate) fn incoming_ids(headers: &HeaderMap) -> (String, RequestChain) {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .filter(|v| !v.is_empty())
    };
    // An id becomes a chain entry (`<id>@<service>`): one that could forge
    // entries (`,`, `@`, spaces) or bloat every downstream header is
    // replaced by a fresh one.
    let request_id = header(crate::config::REQUEST_ID_HEADER)
        .or_else(|| header("x-amzn-requestid"))
        .filter(|id| {
            id.len() <= MAX_ID_LEN
                && !id.contains(|c: char| c == ',' || c == '@' || c.is_whitespace())
        })
        .map_or_else(|| uuid::Uuid::new_v4().to_string(), str::to_owned);
    let mut chain = RequestChain::parse(header(crate::config::REQUEST_CHAIN_HEADER).unwrap_or(""));
    // Entries are `<id>@<service>` of plain characters; anything else is
    // not an entry a tinsmith service wrote, and is dropped.
    chain.retain(|entry| {
        let plain = |s: &str, extra: &[char]| {
            !s.is_empty()
                && s.chars().all(|c| {
                    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') || extra.contains(&c)
                })
        };
        entry
            .split_once('@')
            .is_some_and(|(id, service)| plain(id, &[':', '~']) && plain(service, &[]))
    });
    chain.keep_last(MAX_CHAIN_LEN);
    (request_id, chain)
}

/// Runs `call` (a call of `operation` on `service`) inside the caller's
/// chain extended with this request, in a tracing span that names the
/// operation, the request id and the chain.
pub(crate) async fn traced<F: std::future::Future>(
    service: &str,
    operation: &str,
    request_id: &str,
    chain: &RequestChain,
    call: F,
) -> F::Output {
    use tracing::Instrument as _;
    let span = tracing::info_span!(
        "serve",
        service,
        operation,
        request_id,
        chain = chain.header_value().unwrap_or_default(),
    );
    chain
        .clone()
        .with(request_id, service)
        .scope(call)
        .instrument(span)
        .await
}
