//! Errors of a service call.
//!
//! [`SdkError`] separates what went wrong: the request could not be built
//! ([`SdkError::Construction`]), the call timed out, the transport failed,
//! the response could not be understood, or the service answered with an
//! error ([`SdkError::Service`], carrying the operation's typed error `E`).
//! Every service error carries an [`ErrorStatus`]: code, message, request
//! id, HTTP status and the raw body.
//!
//! The large parts are boxed so `Result<T, SdkError<E>>` stays small.

use std::error::Error as StdError;
use std::fmt;

/// A boxed error that can cross threads.
pub type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// What the service said about an error, beyond its type.
///
/// Its `Debug` is one flat record that reads well in a log: the fields that
/// are set, and the body as text (lossy UTF-8, cut after
/// [`DEBUG_BODY_LIMIT`] bytes, with its length).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ErrorStatus {
    // Boxed: every error value carries a status, and errors travel in
    // `Result`s that should stay small.
    inner: Box<StatusFields>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct StatusFields {
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    http_status: Option<u16>,
    query_error: Option<QueryError>,
    raw_body: Vec<u8>,
    details: Vec<ErrorDetail>,
    metadata: Vec<(String, String)>,
}

/// A typed detail of an error: a structure of the model, named by its
/// shape id, that a server attached to an unmodeled failure
/// (`server::Status::with_detail`) to say more than a code and a message
/// — which field to fix, when to retry, a link to help.
///
/// On the wire it is one entry of the error document's `__details` list:
/// the structure's members in their serde form (what the generated types'
/// `serde` feature reads and writes) with its absolute shape id in
/// `__type`, in the protocol's codec (JSON, or CBOR for rpcv2Cbor).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorDetail {
    shape_id: String,
    members: serde_json::Value,
}

/// A detail that could not be decoded into the type asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetailError(String);

impl fmt::Display for DetailError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DetailError {}

/// The most details a client keeps of one error.
pub(crate) const MAX_DETAILS: usize = 32;

impl ErrorDetail {
    /// A detail of the shape `shape_id` (absolute: `example.weather#RetryInfo`)
    /// with these members.
    pub fn new(
        shape_id: impl Into<String>,
        members: std::collections::BTreeMap<String, crate::Document>,
    ) -> Self {
        ErrorDetail {
            shape_id: shape_id.into(),
            members: crate::json::ser_document(&crate::Document::Object(members)),
        }
    }

    /// A detail of a generated structure, in its serde form.
    ///
    /// # Errors
    /// When the value does not serialize (a generated type always does).
    #[cfg(feature = "serde")]
    pub fn of<T: crate::Shape + serde::Serialize>(value: &T) -> Result<Self, DetailError> {
        let members = serde_json::to_value(value).map_err(|e| DetailError(e.to_string()))?;
        Ok(ErrorDetail {
            shape_id: T::SHAPE_ID.to_owned(),
            members,
        })
    }

    /// The shape id of the detail's structure.
    pub fn shape_id(&self) -> &str {
        &self.shape_id
    }

    /// The detail's members as an untyped document.
    pub fn document(&self) -> crate::Document {
        crate::json::de_document(&self.members)
    }

    /// The detail decoded into `T`, whatever its shape id.
    ///
    /// # Errors
    /// When the members are not a `T` in its serde form.
    #[cfg(feature = "serde")]
    pub fn decode<T: serde::de::DeserializeOwned>(&self) -> Result<T, DetailError> {
        T::deserialize(&self.members)
            .map_err(|e| DetailError(format!("a `{}` detail: {e}", self.shape_id)))
    }

    /// The wire form: the members with `__type`.
    #[cfg(feature = "server")]
    pub(crate) fn to_json(&self) -> serde_json::Value {
        let mut map = match &self.members {
            serde_json::Value::Object(map) => map.clone(),
            _ => serde_json::Map::new(),
        };
        map.insert("__type".into(), self.shape_id.clone().into());
        serde_json::Value::Object(map)
    }

    /// Reads the wire form: an object with a string `__type`.
    pub(crate) fn from_json(value: serde_json::Value) -> Option<Self> {
        let serde_json::Value::Object(mut map) = value else {
            return None;
        };
        let Some(serde_json::Value::String(shape_id)) = map.remove("__type") else {
            return None;
        };
        Some(ErrorDetail {
            shape_id,
            members: serde_json::Value::Object(map),
        })
    }

    /// The details of an error document's `__details` list (at most
    /// [`MAX_DETAILS`]; entries that are not details are skipped).
    pub(crate) fn list_from_json(document: &serde_json::Value) -> Vec<ErrorDetail> {
        match document.get("__details") {
            Some(serde_json::Value::Array(items)) => items
                .iter()
                .take(MAX_DETAILS)
                .filter_map(|item| ErrorDetail::from_json(item.clone()))
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// The error code an `@awsQueryCompatible` service sends for clients of its
/// older awsQuery protocol, in the `x-amzn-query-error` header
/// (`<code>;<fault>`): programs moving from an awsQuery client can keep
/// matching the codes they know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    code: String,
    fault: String,
}

impl QueryError {
    /// Parses `<code>;<fault>`; `None` unless both parts are there.
    pub fn parse(header: &str) -> Option<QueryError> {
        let (code, fault) = header.split_once(';')?;
        (!code.is_empty() && !fault.is_empty()).then(|| QueryError {
            code: code.to_owned(),
            fault: fault.to_owned(),
        })
    }

    /// The awsQuery error code (`AWS.SimpleQueueService.NonExistentQueue`).
    pub fn code(&self) -> &str {
        &self.code
    }

    /// Whose fault it is: `Sender` (the caller) or `Receiver` (the service).
    pub fn fault(&self) -> &str {
        &self.fault
    }
}

impl ErrorStatus {
    /// A builder for an `ErrorStatus` (used by generated protocol code).
    pub fn builder() -> ErrorStatusBuilder {
        ErrorStatusBuilder::default()
    }

    /// The error code: the modeled error's name, or the code the service sent.
    pub fn code(&self) -> Option<&str> {
        self.inner.code.as_deref()
    }

    /// The human-readable message, if the service sent one.
    pub fn message(&self) -> Option<&str> {
        self.inner.message.as_deref()
    }

    /// The request id the service assigned, for support requests and tracing.
    pub fn request_id(&self) -> Option<&str> {
        self.inner.request_id.as_deref()
    }

    /// The HTTP status code of the response.
    pub fn http_status(&self) -> Option<u16> {
        self.inner.http_status
    }

    /// The response body as received (the error's raw details).
    pub fn raw_body(&self) -> &[u8] {
        &self.inner.raw_body
    }

    /// The awsQuery error code and fault an `@awsQueryCompatible` service
    /// sent beside its own code.
    pub fn query_error(&self) -> Option<&QueryError> {
        self.inner.query_error.as_ref()
    }

    /// The typed details the service attached to the error (see
    /// [`ErrorDetail`]), in the order it sent them.
    pub fn details(&self) -> &[ErrorDetail] {
        &self.inner.details
    }

    /// The first detail whose shape is `T`'s, decoded: `Ok(None)` when
    /// there is none.
    ///
    /// ```ignore
    /// if let Ok(Some(retry)) = error.status().detail::<RetryInfo>() { ... }
    /// ```
    ///
    /// # Errors
    /// A detail of `T`'s shape id that is not a `T`.
    #[cfg(feature = "serde")]
    pub fn detail<T: crate::Shape + serde::de::DeserializeOwned>(
        &self,
    ) -> Result<Option<T>, DetailError> {
        self.inner
            .details
            .iter()
            .find(|d| d.shape_id == T::SHAPE_ID)
            .map(ErrorDetail::decode)
            .transpose()
    }

    /// A metadata value of the error by name (ASCII case-insensitive): in
    /// JSON-RPC 2.0 an entry of the error's `data.__metadata`, else a header
    /// of the error response (the first of a repeated one).
    pub fn metadata(&self, name: &str) -> Option<&str> {
        self.inner
            .metadata
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every metadata entry (name, value): the body's in its order, then
    /// the response headers (whose order HTTP does not keep), at most 64.
    pub fn metadata_entries(&self) -> impl Iterator<Item = (&str, &str)> {
        self.inner
            .metadata
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
    }
}

/// How much of the body `Debug` of an [`ErrorStatus`] shows.
pub const DEBUG_BODY_LIMIT: usize = 512;

impl fmt::Debug for ErrorStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fields = &self.inner;
        let mut out = f.debug_struct("ErrorStatus");
        if let Some(code) = &fields.code {
            out.field("code", code);
        }
        if let Some(message) = &fields.message {
            out.field("message", message);
        }
        if let Some(id) = &fields.request_id {
            out.field("request_id", id);
        }
        if let Some(status) = fields.http_status {
            out.field("http_status", &status);
        }
        if let Some(query) = &fields.query_error {
            out.field(
                "query_error",
                &format_args!("{};{}", query.code, query.fault),
            );
        }
        if !fields.details.is_empty() {
            let types: Vec<&str> = fields.details.iter().map(ErrorDetail::shape_id).collect();
            out.field("details", &types);
        }
        if !fields.raw_body.is_empty() {
            out.field("body", &BodyText(&fields.raw_body));
        }
        out.finish()
    }
}

/// A body as text for `Debug`: lossy UTF-8, cut at a character boundary
/// after [`DEBUG_BODY_LIMIT`] bytes, with the whole length when cut.
struct BodyText<'a>(&'a [u8]);

impl fmt::Debug for BodyText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = String::from_utf8_lossy(&self.0[..self.0.len().min(DEBUG_BODY_LIMIT)]);
        if self.0.len() <= DEBUG_BODY_LIMIT {
            return write!(f, "{text:?}");
        }
        // A cut inside a character leaves a replacement character at the end.
        let text = text.trim_end_matches(char::REPLACEMENT_CHARACTER);
        write!(f, "{text:?}… ({} bytes)", self.0.len())
    }
}

impl fmt::Display for ErrorStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let code = self.inner.code.as_deref().unwrap_or("unknown error");
        write!(f, "{code}")?;
        if let Some(message) = &self.inner.message {
            write!(f, ": {message}")?;
        }
        match (self.inner.http_status, &self.inner.request_id) {
            (Some(status), Some(id)) => write!(f, " (HTTP {status}, request id {id})"),
            (Some(status), None) => write!(f, " (HTTP {status})"),
            (None, Some(id)) => write!(f, " (request id {id})"),
            (None, None) => Ok(()),
        }
    }
}

/// Builds an [`ErrorStatus`].
#[derive(Debug, Clone, Default)]
pub struct ErrorStatusBuilder {
    inner: ErrorStatus,
}

impl ErrorStatusBuilder {
    /// Sets the error code.
    pub fn code(mut self, code: impl Into<String>) -> Self {
        self.inner.inner.code = Some(code.into());
        self
    }

    /// Sets the message.
    pub fn message(mut self, message: impl Into<String>) -> Self {
        self.inner.inner.message = Some(message.into());
        self
    }

    /// Sets the request id.
    pub fn request_id(mut self, id: impl Into<String>) -> Self {
        self.inner.inner.request_id = Some(id.into());
        self
    }

    /// Sets the HTTP status.
    pub fn http_status(mut self, status: u16) -> Self {
        self.inner.inner.http_status = Some(status);
        self
    }

    /// Sets the raw body.
    pub fn raw_body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.inner.inner.raw_body = body.into();
        self
    }

    /// Sets the message only when there is one.
    pub fn set_message(mut self, message: Option<String>) -> Self {
        self.inner.inner.message = message;
        self
    }

    /// Sets the request id only when there is one.
    pub fn set_request_id(mut self, id: Option<String>) -> Self {
        self.inner.inner.request_id = id;
        self
    }

    /// Sets the typed details.
    pub fn details(mut self, details: Vec<ErrorDetail>) -> Self {
        self.inner.inner.details = details;
        self
    }

    /// Sets the metadata (header names and values).
    pub fn metadata(mut self, metadata: Vec<(String, String)>) -> Self {
        self.inner.inner.metadata = metadata;
        self
    }

    /// Sets the awsQuery error code only when there is one.
    pub fn set_query_error(mut self, error: Option<QueryError>) -> Self {
        self.inner.inner.query_error = error;
        self
    }

    /// Builds the status.
    pub fn build(self) -> ErrorStatus {
        self.inner
    }
}

/// Implemented by every operation error: access to the status and to what
/// the model says about retrying.
pub trait ProvideErrorStatus {
    /// The error's status.
    fn status(&self) -> &ErrorStatus;

    /// True when the model marks the error `@retryable` (or it is a
    /// transient server-side failure).
    fn is_retryable(&self) -> bool {
        false
    }

    /// True when the error means the client is being throttled.
    fn is_throttling(&self) -> bool {
        false
    }
}

/// An operation's error enum, as generated: each variant holds an error
/// that knows its status (a [`ModeledError`] or an [`UnhandledError`]).
/// Every `OperationError` is a [`ProvideErrorStatus`] through its variant.
pub trait OperationError {
    /// The error inside the variant.
    fn variant(&self) -> &dyn ProvideErrorStatus;
}

impl<T: OperationError> ProvideErrorStatus for T {
    fn status(&self) -> &ErrorStatus {
        self.variant().status()
    }

    fn is_retryable(&self) -> bool {
        self.variant().is_retryable()
    }

    fn is_throttling(&self) -> bool {
        self.variant().is_throttling()
    }
}

/// What the model says about retrying an error (`@retryable`, spec:
/// "Behavior traits").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Retry {
    /// No `@retryable`: the error is retried only if the error-mode table
    /// ([`crate::classify`]) says so by its status.
    NotModeled,
    /// `@retryable`: a transient error, safe to retry.
    Retryable,
    /// `@retryable(throttling: true)`: the service asks the client to slow down.
    Throttling,
}

/// A modeled error (an `@error` structure) together with the status of the
/// response that carried it. Dereferences to the structure, so its members
/// read as fields: `err.resource_type`.
#[derive(Clone, PartialEq)]
pub struct ModeledError<T> {
    // Boxed: error structures can be large, and error enums hold one
    // variant per modeled error.
    value: Box<T>,
    status: ErrorStatus,
    retry: Retry,
}

impl<T> ModeledError<T> {
    /// Used by generated code: the error, its status, and what the model's
    /// `@retryable` trait says.
    #[doc(hidden)]
    pub fn new(value: T, status: ErrorStatus, retry: Retry) -> Self {
        ModeledError {
            value: Box::new(value),
            status,
            retry,
        }
    }

    /// The error structure.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The error structure, owned.
    pub fn into_value(self) -> T {
        *self.value
    }

    /// The response's status: code, message, request id, HTTP status, raw body.
    pub fn status(&self) -> &ErrorStatus {
        &self.status
    }

    /// True when the model marks this error `@retryable`.
    pub fn is_retryable(&self) -> bool {
        self.retry != Retry::NotModeled
    }

    /// True when the model marks this error `@retryable(throttling: true)`.
    pub fn is_throttling(&self) -> bool {
        self.retry == Retry::Throttling
    }
}

impl<T> ProvideErrorStatus for ModeledError<T> {
    fn status(&self) -> &ErrorStatus {
        &self.status
    }

    fn is_retryable(&self) -> bool {
        ModeledError::is_retryable(self)
    }

    fn is_throttling(&self) -> bool {
        ModeledError::is_throttling(self)
    }
}

impl<T> std::ops::Deref for ModeledError<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T: fmt::Debug> fmt::Debug for ModeledError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("ModeledError");
        out.field("value", &self.value)
            .field("status", &self.status);
        if self.retry != Retry::NotModeled {
            out.field("retry", &self.retry);
        }
        out.finish()
    }
}

impl<T> fmt::Display for ModeledError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.status)
    }
}

impl<T: fmt::Debug> StdError for ModeledError<T> {}

/// An error the model does not describe (a code this client does not know).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnhandledError {
    status: ErrorStatus,
}

impl UnhandledError {
    /// Wraps a status.
    pub fn new(status: ErrorStatus) -> Self {
        UnhandledError { status }
    }

    /// The status.
    pub fn status(&self) -> &ErrorStatus {
        &self.status
    }
}

/// Not retryable or throttling: the model says nothing about the error.
impl ProvideErrorStatus for UnhandledError {
    fn status(&self) -> &ErrorStatus {
        &self.status
    }
}

impl fmt::Display for UnhandledError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unhandled service error: {}", self.status)
    }
}

impl StdError for UnhandledError {}

/// The service answered with an error.
pub struct ServiceError<E> {
    error: E,
    attempts: u32,
}

impl<E> ServiceError<E> {
    /// The operation's typed error.
    pub fn err(&self) -> &E {
        &self.error
    }

    /// The operation's typed error, owned.
    pub fn into_err(self) -> E {
        self.error
    }

    /// How many attempts were made.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl<E: fmt::Debug> fmt::Debug for ServiceError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceError")
            .field("error", &self.error)
            .field("attempts", &self.attempts)
            .finish()
    }
}

/// The failure of one service call.
///
/// Its `Debug` is flat: `Service { error: .., attempts: 1 }` rather than
/// the boxes it is made of.
#[non_exhaustive]
pub enum SdkError<E> {
    /// The request could not be built (missing required input, bad value).
    Construction(ConstructionError),
    /// An attempt or the whole operation took longer than allowed.
    Timeout(TimeoutError),
    /// The request did not get a response (connection refused, reset, DNS...).
    Transport(TransportError),
    /// A response arrived but could not be understood.
    Response(ResponseError),
    /// The service answered with an error.
    Service(Box<ServiceError<E>>),
    /// The endpoint's circuit breaker is open; nothing was sent.
    CircuitOpen(Box<crate::circuit::CircuitOpenError>),
}

impl<E> SdkError<E> {
    /// Wraps an operation error.
    pub fn service(error: E, attempts: u32) -> Self {
        SdkError::Service(Box::new(ServiceError { error, attempts }))
    }

    /// This error with the service's error converted by `f`; `None` when
    /// `f` cannot convert it.
    pub(crate) fn try_map_service<F>(self, f: impl FnOnce(E) -> Option<F>) -> Option<SdkError<F>> {
        Some(match self {
            SdkError::Construction(e) => SdkError::Construction(e),
            SdkError::Timeout(e) => SdkError::Timeout(e),
            SdkError::Transport(e) => SdkError::Transport(e),
            SdkError::Response(e) => SdkError::Response(e),
            SdkError::Service(s) => SdkError::Service(Box::new(ServiceError {
                error: f(s.error)?,
                attempts: s.attempts,
            })),
            SdkError::CircuitOpen(e) => SdkError::CircuitOpen(e),
        })
    }

    /// The operation's typed error, when the service sent one.
    pub fn as_service_error(&self) -> Option<&E> {
        match self {
            SdkError::Service(s) => Some(&s.error),
            _ => None,
        }
    }

    /// The operation's typed error, owned, when the service sent one.
    pub fn into_service_error(self) -> Option<E> {
        match self {
            SdkError::Service(s) => Some(s.error),
            _ => None,
        }
    }
}

impl<E: fmt::Debug> fmt::Debug for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SdkError::Construction(e) => f.debug_tuple("Construction").field(e).finish(),
            SdkError::Timeout(e) => f.debug_tuple("Timeout").field(e).finish(),
            SdkError::Transport(e) => f.debug_tuple("Transport").field(e).finish(),
            SdkError::Response(e) => f.debug_tuple("Response").field(e).finish(),
            SdkError::Service(e) => f
                .debug_struct("Service")
                .field("error", &e.error)
                .field("attempts", &e.attempts)
                .finish(),
            SdkError::CircuitOpen(e) => f.debug_tuple("CircuitOpen").field(e).finish(),
        }
    }
}

impl<E: fmt::Display> fmt::Display for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SdkError::Construction(e) => write!(f, "failed to construct request: {e}"),
            SdkError::Timeout(e) => write!(f, "{e}"),
            SdkError::Transport(e) => write!(f, "{e}"),
            SdkError::Response(e) => write!(f, "{e}"),
            SdkError::Service(e) => write!(f, "service error: {}", e.error),
            SdkError::CircuitOpen(e) => write!(f, "{e}"),
        }
    }
}

impl<E: StdError + 'static> StdError for SdkError<E> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            SdkError::Construction(e) => Some(e),
            SdkError::Timeout(e) => Some(e),
            SdkError::Transport(e) => Some(e),
            SdkError::Response(e) => Some(e),
            SdkError::Service(e) => Some(&e.error),
            SdkError::CircuitOpen(e) => Some(&**e),
        }
    }
}

/// The failure of a `send_with` call: the call itself failed (nothing was
/// lent to the closure), or the closure returned an error of its own.
///
/// ```
/// # use tinsmith_runtime::error::{SendWithError, UnhandledError};
/// fn report(e: SendWithError<UnhandledError, std::io::Error>) -> String {
///     match e {
///         SendWithError::Call(call) => format!("the request failed: {call}"),
///         SendWithError::Closure(io) => format!("writing the body failed: {io}"),
///     }
/// }
/// ```
#[derive(Debug)]
pub enum SendWithError<E, X> {
    /// Sending the request failed, or the service answered with an error.
    Call(SdkError<E>),
    /// The closure returned this error (after the call succeeded).
    Closure(X),
}

impl<E, X> SendWithError<E, X> {
    /// The call's error, when the call failed.
    pub fn as_call_error(&self) -> Option<&SdkError<E>> {
        match self {
            SendWithError::Call(e) => Some(e),
            SendWithError::Closure(_) => None,
        }
    }

    /// The closure's error, when the closure failed.
    pub fn as_closure_error(&self) -> Option<&X> {
        match self {
            SendWithError::Call(_) => None,
            SendWithError::Closure(e) => Some(e),
        }
    }
}

impl<E: fmt::Display, X: fmt::Display> fmt::Display for SendWithError<E, X> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SendWithError::Call(e) => write!(f, "{e}"),
            SendWithError::Closure(e) => write!(f, "the send_with closure failed: {e}"),
        }
    }
}

impl<E, X> StdError for SendWithError<E, X>
where
    E: StdError + 'static,
    X: StdError + 'static,
{
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            SendWithError::Call(e) => Some(e),
            SendWithError::Closure(e) => Some(e),
        }
    }
}

macro_rules! boxed_error {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug)]
        pub struct $name {
            message: String,
            source: Option<BoxError>,
        }

        impl $name {
            /// An error with a message.
            pub fn new(message: impl Into<String>) -> Self {
                $name { message: message.into(), source: None }
            }

            /// An error with a message and an underlying cause.
            pub fn with_source(message: impl Into<String>, source: impl Into<BoxError>) -> Self {
                $name { message: message.into(), source: Some(source.into()) }
            }

            /// What happened.
            pub fn message(&self) -> &str {
                &self.message
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!($what, ": {}"), self.message)?;
                if let Some(source) = &self.source {
                    write!(f, ": {source}")?;
                }
                Ok(())
            }
        }

        impl StdError for $name {
            fn source(&self) -> Option<&(dyn StdError + 'static)> {
                self.source.as_deref().map(|s| s as &(dyn StdError + 'static))
            }
        }
    };
}

boxed_error!(
    /// The request could not be built.
    ConstructionError,
    "invalid request"
);
/// The request did not get a response.
#[derive(Debug)]
pub struct TransportError {
    message: String,
    source: Option<BoxError>,
    not_sent: bool,
}

impl TransportError {
    /// An error with a message (the request may have been sent).
    pub fn new(message: impl Into<String>) -> Self {
        TransportError {
            message: message.into(),
            source: None,
            not_sent: false,
        }
    }

    /// An error with a message and an underlying cause (the request may have been sent).
    pub fn with_source(message: impl Into<String>, source: impl Into<BoxError>) -> Self {
        TransportError {
            message: message.into(),
            source: Some(source.into()),
            not_sent: false,
        }
    }

    /// A failure before any byte of the request left (connection refused,
    /// DNS, TLS handshake): retrying cannot repeat the operation.
    pub fn not_sent(message: impl Into<String>, source: impl Into<BoxError>) -> Self {
        TransportError {
            not_sent: true,
            ..Self::with_source(message, source)
        }
    }

    /// What happened.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// True when the request certainly did not reach the service.
    pub fn is_not_sent(&self) -> bool {
        self.not_sent
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "transport error: {}", self.message)?;
        if let Some(source) = &self.source {
            write!(f, ": {source}")?;
        }
        Ok(())
    }
}

impl StdError for TransportError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|s| s as &(dyn StdError + 'static))
    }
}

impl From<crate::BuildError> for ConstructionError {
    fn from(e: crate::BuildError) -> Self {
        ConstructionError::with_source("input is incomplete", e)
    }
}

/// A time limit was hit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeoutError {
    what: &'static str,
    after: std::time::Duration,
}

impl TimeoutError {
    /// `what` ("attempt" or "operation") did not finish within `after`.
    pub fn new(what: &'static str, after: std::time::Duration) -> Self {
        TimeoutError { what, after }
    }

    /// The limit that was hit.
    pub fn after(&self) -> std::time::Duration {
        self.after
    }
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} timed out after {:?}", self.what, self.after)
    }
}

impl StdError for TimeoutError {}

/// A response that could not be understood (malformed body, wrong types).
#[derive(Debug)]
pub struct ResponseError {
    // Boxed: the status is large and this error is rare.
    inner: Box<(String, ErrorStatus)>,
}

impl ResponseError {
    /// Describes why the response could not be parsed.
    pub fn new(message: impl Into<String>, status: ErrorStatus) -> Self {
        ResponseError {
            inner: Box::new((message.into(), status)),
        }
    }

    /// The HTTP status, request id and raw body of the response.
    pub fn status(&self) -> &ErrorStatus {
        &self.inner.1
    }
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unparseable response: {}", self.inner.0)?;
        if let Some(code) = self.inner.1.http_status() {
            write!(f, " (HTTP {code})")?;
        }
        Ok(())
    }
}

impl StdError for ResponseError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_are_read_from_an_error_document_and_bounded() {
        let mut items = vec![
            serde_json::json!({"__type": "ex#RetryInfo", "seconds": 5}),
            serde_json::json!({"seconds": 5}),
            serde_json::json!("not a detail"),
            serde_json::json!({"__type": 7}),
        ];
        items.extend((0..100).map(|i| serde_json::json!({"__type": "ex#Many", "i": i})));
        let details = ErrorDetail::list_from_json(&serde_json::json!({"__details": items}));
        assert_eq!(details.len(), MAX_DETAILS - 3);
        assert_eq!(details[0].shape_id(), "ex#RetryInfo");
        let mut members = std::collections::BTreeMap::new();
        members.insert("seconds".to_owned(), crate::Document::from(5_i64));
        assert_eq!(details[0].document(), crate::Document::Object(members));
        assert!(ErrorDetail::list_from_json(&serde_json::json!({"__details": 1})).is_empty());
    }

    #[test]
    fn results_stay_small() {
        // A Result of a small output and an SdkError must not balloon.
        assert!(
            std::mem::size_of::<SdkError<[u8; 512]>>() <= 48,
            "{}",
            std::mem::size_of::<SdkError<[u8; 512]>>()
        );
    }

    #[test]
    fn status_displays_everything_it_knows() {
        let s = ErrorStatus::builder()
            .code("Throttled")
            .message("slow down")
            .http_status(429)
            .request_id("r-1")
            .build();
        assert_eq!(
            s.to_string(),
            "Throttled: slow down (HTTP 429, request id r-1)"
        );
    }

    #[test]
    fn debug_is_flat_and_shows_the_body_as_text() {
        let status = ErrorStatus::builder()
            .code("NoSuchKey")
            .message("gone")
            .http_status(404)
            .raw_body(&br#"{"message":"gone"}"#[..])
            .build();
        assert_eq!(
            format!("{status:?}"),
            r#"ErrorStatus { code: "NoSuchKey", message: "gone", http_status: 404, body: "{\"message\":\"gone\"}" }"#
        );
        let long = ErrorStatus::builder()
            .raw_body("é".repeat(DEBUG_BODY_LIMIT))
            .build();
        let debug = format!("{long:?}");
        assert!(
            debug.ends_with(&format!("… ({} bytes) }}", 2 * DEBUG_BODY_LIMIT)),
            "{debug}"
        );
        assert!(!debug.contains('\u{fffd}'), "no half character: {debug}");

        let error: SdkError<UnhandledError> = SdkError::service(UnhandledError::new(status), 2);
        let debug = format!("{error:?}");
        assert!(
            debug.starts_with(
                "Service { error: UnhandledError { status: ErrorStatus { code: \"NoSuchKey\""
            ),
            "{debug}"
        );
        assert!(debug.ends_with("attempts: 2 }"), "{debug}");
    }

    #[test]
    fn query_error_codes_parse() {
        let q = QueryError::parse("AWS.SimpleQueueService.NonExistentQueue;Sender").unwrap();
        assert_eq!(
            (q.code(), q.fault()),
            ("AWS.SimpleQueueService.NonExistentQueue", "Sender")
        );
        assert_eq!(QueryError::parse("NoFault"), None);
        assert_eq!(QueryError::parse(";Sender"), None);
    }
}
