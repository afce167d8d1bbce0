//! The request pipeline every generated operation runs.
//!
//! For each attempt: ask the endpoint's circuit breaker (if configured),
//! build the request, add a fresh request id and the current request chain
//! ([`crate::chain`]), run the interceptors, send it with the attempt
//! timeout, let the interceptors read the response head, read the body
//! (whole, or left streaming for `@streaming` outputs) and parse it. A
//! request whose body comes from a one-shot stream is never resent. A failure is
//! classified by [`crate::classify`]; it is retried only when the table
//! allows it for this operation, attempts remain, and the retry budget can
//! pay for it — with exponential backoff and full jitter in between. The
//! whole loop runs within the operation timeout.
//!
//! Tracing: a `tinsmith.operation` span per call (service, operation) and a
//! `tinsmith.attempt` span per attempt (attempt, request id, status,
//! duration). Only these fields are recorded: never headers, bodies or
//! member values, so nothing sensitive reaches the logs.

use std::future::Future;
use std::time::Instant;

use tracing::Instrument as _;

use crate::auth::AuthScheme;
use crate::bytestream::ByteStream;
use crate::chain::RequestChain;
use crate::circuit::Permit;
use crate::classify::{Failure, classify};
use crate::config::Config;
use crate::error::{
    ConstructionError, ProvideErrorStatus, ResponseError, SdkError, TimeoutError, TransportError,
};
use crate::interceptor::AttemptInfo;
use crate::retry::{RETRY_COST, TIMEOUT_RETRY_COST};
use crate::transport::{HttpRequest, HttpResponse, StreamingResponse};

/// What parsing a response produced when it was not the output.
#[derive(Debug)]
pub enum ParseError<E> {
    /// The service answered with an error (modeled or not), boxed so the
    /// parser's `Result` stays small.
    Service(Box<E>),
    /// The response could not be understood.
    Unparseable(ResponseError),
}

/// A modeled error read from a response (used by generated code): the
/// value with the response's status, or an unparseable-response error
/// naming the error's code. Generic only in the error shape, so a crate
/// compiles it once per error shape rather than once per operation using it.
pub fn modeled<T>(
    read: Result<T, crate::json::DeError>,
    code: &str,
    status: crate::error::ErrorStatus,
    retry: crate::error::Retry,
) -> Result<crate::error::ModeledError<T>, ResponseError> {
    match read {
        Ok(value) => Ok(crate::error::ModeledError::new(value, status, retry)),
        Err(e) => Err(unreadable_error(code, e, status)),
    }
}

fn unreadable_error(
    code: &str,
    error: crate::json::DeError,
    status: crate::error::ErrorStatus,
) -> ResponseError {
    ResponseError::new(format!("{code}: {error}"), status)
}

/// An operation's error read from an error response (used by generated
/// code), as the response parser returns it.
pub fn service_error<E>(read: Result<E, ResponseError>) -> ParseError<E> {
    match read {
        Ok(error) => ParseError::Service(Box::new(error)),
        Err(e) => ParseError::Unparseable(e),
    }
}

/// Facts about the operation the pipeline needs.
#[derive(Debug, Clone, Copy)]
pub struct OperationInfo<'a> {
    /// The service's name.
    pub service: &'static str,
    /// The operation's name.
    pub operation: &'static str,
    /// True when sending the request twice is safe (`@readonly`,
    /// `@idempotent`, or an `@idempotencyToken` member).
    pub idempotent: bool,
    /// The auth schemes the operation accepts, in the model's order.
    pub auth: &'static [AuthScheme],
    /// `@optionalAuth`: send unsigned when no configured credential fits.
    pub optional_auth: bool,
    /// The endpoint the service's rules resolved for this call (its URL,
    /// headers and auth properties); `None` sends to the configured
    /// endpoint.
    pub endpoint: Option<&'a crate::endpoint::Endpoint>,
}

impl OperationInfo<'static> {
    /// The facts of an operation of `service` that accepts `auth`: not
    /// idempotent, auth required, sent to the configured endpoint. A
    /// `const fn`, so generated code declares each operation's facts as a
    /// constant: `OperationInfo::new("Weather", "GetCity", AUTH).idempotent()`.
    pub const fn new(
        service: &'static str,
        operation: &'static str,
        auth: &'static [AuthScheme],
    ) -> Self {
        OperationInfo {
            service,
            operation,
            idempotent: false,
            auth,
            optional_auth: false,
            endpoint: None,
        }
    }

    /// Marks the operation idempotent: sending it twice is safe.
    pub const fn idempotent(mut self) -> Self {
        self.idempotent = true;
        self
    }

    /// Marks the operation `@optionalAuth`.
    pub const fn optional_auth(mut self) -> Self {
        self.optional_auth = true;
        self
    }
}

impl OperationInfo<'_> {
    /// These facts for a call to the endpoint the service's rules resolved.
    pub fn with_endpoint(self, endpoint: &crate::endpoint::Endpoint) -> OperationInfo<'_> {
        OperationInfo {
            endpoint: Some(endpoint),
            ..self
        }
    }
}

/// Runs one operation whose response is read whole. `build` makes the
/// request for the endpoint (it is called once per attempt); `parse` turns a
/// response into the output or an error.
pub async fn invoke<O, E>(
    config: &Config,
    info: OperationInfo<'_>,
    mut build: impl FnMut(&str) -> Result<HttpRequest, ConstructionError> + Send,
    parse: impl Fn(HttpResponse) -> Result<O, ParseError<E>> + Sync,
) -> Result<O, SdkError<E>>
where
    O: Send + 'static,
    E: ProvideErrorStatus + Send + 'static,
{
    let read = Erased::new(Buffered(parse));
    unerase(run_erased(config, info, &mut build, &read).await)
}

/// Runs one operation whose successful response body streams to the
/// caller: `output` reads a 2xx response's head and takes its body (still
/// streaming, with the configured read timeout); any other response is read
/// whole and handed to `error`. The operation and attempt timeouts end when
/// the response head arrives; from then on the read timeout guards the body.
pub async fn invoke_streaming<O, E>(
    config: &Config,
    info: OperationInfo<'_>,
    mut build: impl FnMut(&str) -> Result<HttpRequest, ConstructionError> + Send,
    output: impl Fn(StreamingResponse) -> Result<O, ParseError<E>> + Sync,
    error: impl Fn(HttpResponse) -> ParseError<E> + Sync,
) -> Result<O, SdkError<E>>
where
    O: Send + 'static,
    E: ProvideErrorStatus + Send + 'static,
{
    let read = Erased::new(Streaming {
        streams: |_: &http::HeaderMap| true,
        output,
        whole: |response| Err(error(response)),
    });
    unerase(run_erased(config, info, &mut build, &read).await)
}

/// Like [`invoke_streaming`], for protocols where a successful response
/// streams only when its headers say so (`streams`: JSON-RPC 2.0's event
/// streams, sent as `application/vnd.amazon.eventstream` while every other
/// answer is a JSON response object). `output` reads a 2xx response that
/// streams from its head; any other response is read whole and handed to
/// `whole`.
pub async fn invoke_streaming_when<O, E>(
    config: &Config,
    info: OperationInfo<'_>,
    mut build: impl FnMut(&str) -> Result<HttpRequest, ConstructionError> + Send,
    streams: fn(&http::HeaderMap) -> bool,
    output: impl Fn(StreamingResponse) -> Result<O, ParseError<E>> + Sync,
    whole: impl Fn(HttpResponse) -> Result<O, ParseError<E>> + Sync,
) -> Result<O, SdkError<E>>
where
    O: Send + 'static,
    E: ProvideErrorStatus + Send + 'static,
{
    let read = Erased::new(Streaming {
        streams,
        output,
        whole,
    });
    unerase(run_erased(config, info, &mut build, &read).await)
}

// The request loop is compiled once, not once per operation: `invoke` and
// `invoke_streaming` erase the output and error types (and the closures)
// before calling it, and restore them after. A crate with hundreds of
// operations would otherwise carry hundreds of copies of the loop.

/// An output with its type erased.
type AnyOutput = Box<dyn std::any::Any + Send>;

/// An operation error with its type erased; it still answers what the
/// loop asks of errors (status, retryable, throttling).
type AnyError = Box<dyn DynError>;

/// [`ProvideErrorStatus`], and a way back to the concrete type.
trait DynError: ProvideErrorStatus + Send {
    fn into_any(self: Box<Self>) -> Box<dyn std::any::Any + Send>;
}

impl<E: ProvideErrorStatus + Send + 'static> DynError for E {
    fn into_any(self: Box<Self>) -> Box<dyn std::any::Any + Send> {
        self
    }
}

impl ProvideErrorStatus for AnyError {
    fn status(&self) -> &crate::error::ErrorStatus {
        (**self).status()
    }

    fn is_retryable(&self) -> bool {
        (**self).is_retryable()
    }

    fn is_throttling(&self) -> bool {
        (**self).is_throttling()
    }
}

/// A reader whose output and error come out erased.
struct Erased<R, O, E> {
    read: R,
    types: std::marker::PhantomData<fn() -> (O, E)>,
}

impl<R, O, E> Erased<R, O, E> {
    fn new(read: R) -> Self {
        Erased {
            read,
            types: std::marker::PhantomData,
        }
    }
}

fn erase<O, E>(read: Result<O, ParseError<E>>) -> Result<AnyOutput, ParseError<AnyError>>
where
    O: Send + 'static,
    E: ProvideErrorStatus + Send + 'static,
{
    match read {
        Ok(output) => Ok(Box::new(output)),
        Err(ParseError::Service(e)) => Err(ParseError::Service(Box::new(e as AnyError))),
        Err(ParseError::Unparseable(e)) => Err(ParseError::Unparseable(e)),
    }
}

impl<R, O, E> Read<AnyOutput, AnyError> for Erased<R, O, E>
where
    R: Read<O, E>,
    O: Send + 'static,
    E: ProvideErrorStatus + Send + 'static,
{
    fn streams(&self, status: http::StatusCode, headers: &http::HeaderMap) -> bool {
        self.read.streams(status, headers)
    }

    fn head(&self, response: StreamingResponse) -> Result<AnyOutput, ParseError<AnyError>> {
        erase(self.read.head(response))
    }

    fn whole(&self, response: HttpResponse) -> Result<AnyOutput, ParseError<AnyError>> {
        erase(self.read.whole(response))
    }
}

/// The one instance of the request loop.
async fn run_erased(
    config: &Config,
    info: OperationInfo<'_>,
    build: &mut (dyn FnMut(&str) -> Result<HttpRequest, ConstructionError> + Send),
    read: &(dyn Read<AnyOutput, AnyError> + Sync),
) -> Result<AnyOutput, SdkError<AnyError>> {
    run(config, info, build, read).await
}

/// Restores the types `invoke` erased. They always match, as the values
/// came from the reader `invoke` made; were they ever not to, the caller
/// gets an error rather than a panic.
fn unerase<O: 'static, E: 'static>(
    result: Result<AnyOutput, SdkError<AnyError>>,
) -> Result<O, SdkError<E>> {
    let mismatch = || {
        SdkError::Response(ResponseError::new(
            "internal error: the response reader returned another type",
            Default::default(),
        ))
    };
    match result {
        Ok(output) => output.downcast::<O>().map(|o| *o).map_err(|_| mismatch()),
        Err(error) => Err(error
            .try_map_service(|e| e.into_any().downcast::<E>().map(|e| *e).ok())
            .unwrap_or_else(mismatch)),
    }
}

/// How an operation reads its response.
trait Read<O, E> {
    /// True when a response with this status and headers is read from its
    /// head, its body left streaming.
    fn streams(&self, status: http::StatusCode, headers: &http::HeaderMap) -> bool;
    /// Reads a response whose body is still streaming.
    fn head(&self, response: StreamingResponse) -> Result<O, ParseError<E>>;
    /// Reads a response read whole.
    fn whole(&self, response: HttpResponse) -> Result<O, ParseError<E>>;
}

impl<O, E, T: Read<O, E> + ?Sized> Read<O, E> for &T {
    fn streams(&self, status: http::StatusCode, headers: &http::HeaderMap) -> bool {
        (**self).streams(status, headers)
    }

    fn head(&self, response: StreamingResponse) -> Result<O, ParseError<E>> {
        (**self).head(response)
    }

    fn whole(&self, response: HttpResponse) -> Result<O, ParseError<E>> {
        (**self).whole(response)
    }
}

struct Buffered<P>(P);

impl<O, E, P: Fn(HttpResponse) -> Result<O, ParseError<E>>> Read<O, E> for Buffered<P> {
    fn streams(&self, _status: http::StatusCode, _headers: &http::HeaderMap) -> bool {
        false
    }

    fn head(&self, _response: StreamingResponse) -> Result<O, ParseError<E>> {
        unreachable!("a buffered operation never streams its response")
    }

    fn whole(&self, response: HttpResponse) -> Result<O, ParseError<E>> {
        (self.0)(response)
    }
}

struct Streaming<S, P, W> {
    /// Whether a 2xx response with these headers streams.
    streams: S,
    output: P,
    whole: W,
}

impl<O, E, S, P, W> Read<O, E> for Streaming<S, P, W>
where
    S: Fn(&http::HeaderMap) -> bool,
    P: Fn(StreamingResponse) -> Result<O, ParseError<E>>,
    W: Fn(HttpResponse) -> Result<O, ParseError<E>>,
{
    fn streams(&self, status: http::StatusCode, headers: &http::HeaderMap) -> bool {
        status.is_success() && (self.streams)(headers)
    }

    fn head(&self, response: StreamingResponse) -> Result<O, ParseError<E>> {
        (self.output)(response)
    }

    fn whole(&self, response: HttpResponse) -> Result<O, ParseError<E>> {
        (self.whole)(response)
    }
}

async fn run<O, E>(
    config: &Config,
    info: OperationInfo<'_>,
    build: impl FnMut(&str) -> Result<HttpRequest, ConstructionError>,
    read: impl Read<O, E>,
) -> Result<O, SdkError<E>>
where
    E: ProvideErrorStatus,
{
    let span = tracing::info_span!(
        "tinsmith.operation",
        service = info.service,
        operation = info.operation
    );
    let attempts = run_attempts(config, info, build, read);
    let result = match config.operation_timeout {
        Some(limit) => match tokio::time::timeout(limit, attempts)
            .instrument(span.clone())
            .await
        {
            Ok(result) => result,
            Err(_) => Err(SdkError::Timeout(TimeoutError::new("operation", limit))),
        },
        None => attempts.instrument(span.clone()).await,
    };
    if let Err(e) = &result {
        span.in_scope(|| tracing::debug!(error = %short_kind(e), "operation failed"));
    }
    result
}

/// Sends one attempt and reads its response: the head, then (unless the
/// operation streams it) the whole body.
async fn send_attempt<O, E>(
    config: &Config,
    request: HttpRequest,
    attempt_info: AttemptInfo<'_>,
    span: &tracing::Span,
    read: &impl Read<O, E>,
    server_time: &std::sync::atomic::AtomicI64,
) -> Result<Result<O, ParseError<E>>, (Failure, SdkError<E>)> {
    let exchange = async {
        let response = config.transport.send(request).await.map_err(|e| {
            let failure = if e.is_not_sent() {
                Failure::NotSent
            } else {
                Failure::Transport
            };
            (failure, SdkError::Transport(e))
        })?;
        span.record("status", response.status().as_u16());
        if !response.status().is_success()
            && let Some(date) = response.headers().get(http::header::DATE)
            && let Ok(date) = httpdate::parse_http_date(date.to_str().unwrap_or_default())
            && let Ok(since) = date.duration_since(std::time::UNIX_EPOCH)
        {
            server_time.store(
                since.as_millis() as i64,
                std::sync::atomic::Ordering::Relaxed,
            );
        }
        for interceptor in &config.interceptors {
            interceptor.read_response(&response, attempt_info);
        }
        let response = match config.read_timeout {
            Some(limit) => response.map(|body| body.with_read_timeout(limit)),
            None => response,
        };
        if read.streams(response.status(), response.headers()) {
            return Ok(read.head(response));
        }
        let (parts, mut body) = response.into_parts();
        let limit = config.max_response_body.unwrap_or(usize::MAX);
        let body = body.collect_bytes_up_to(limit).await.map_err(|e| {
            match (e.is_timeout(), config.read_timeout) {
                _ if e.kind() == crate::bytestream::ByteStreamErrorKind::TooLarge => (
                    Failure::Unparseable,
                    SdkError::Response(ResponseError::new(
                        format!("the response body is larger than {limit} bytes"),
                        crate::error::ErrorStatus::builder()
                            .http_status(parts.status.as_u16())
                            .build(),
                    )),
                ),
                (true, Some(limit)) => (
                    Failure::Timeout,
                    SdkError::Timeout(TimeoutError::new("read", limit)),
                ),
                _ => (
                    Failure::Transport,
                    SdkError::Transport(TransportError::with_source(
                        "reading the response body failed",
                        e,
                    )),
                ),
            }
        })?;
        Ok(read.whole(http::Response::from_parts(parts, body)))
    };
    match with_timeout(config, exchange).await {
        Ok(result) => result,
        Err(timeout) => Err((Failure::Timeout, SdkError::Timeout(timeout))),
    }
}

fn short_kind<E>(e: &SdkError<E>) -> &'static str {
    match e {
        SdkError::Construction(_) => "construction",
        SdkError::Timeout(_) => "timeout",
        SdkError::Transport(_) => "transport",
        SdkError::Response(_) => "unparseable response",
        SdkError::Service(_) => "service error",
        SdkError::CircuitOpen(_) => "circuit open",
    }
}

async fn run_attempts<O, E: ProvideErrorStatus>(
    config: &Config,
    info: OperationInfo<'_>,
    mut build: impl FnMut(&str) -> Result<HttpRequest, ConstructionError>,
    read: impl Read<O, E>,
) -> Result<O, SdkError<E>> {
    let (endpoint, endpoint_headers) = target(config, &info)?;
    let chain = RequestChain::current().and_then(|c| c.header_value());
    let mut signer = Signer::choose(config, info).await?;
    let mut attempt = 0;
    loop {
        attempt += 1;
        let permit = admit(config, breaker_key(endpoint))?;
        let request_id = uuid::Uuid::new_v4().to_string();
        let attempt_span = tracing::info_span!(
            "tinsmith.attempt",
            attempt,
            request_id = %request_id,
            status = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let attempt_info = AttemptInfo {
            service: info.service,
            operation: info.operation,
            attempt,
        };
        let mut request = build(endpoint).map_err(SdkError::Construction)?;
        apply_headers(&mut request, &endpoint_headers);
        add_ids(config, &mut request, &request_id, chain.as_deref());
        for interceptor in &config.interceptors {
            interceptor.modify_request(&mut request, attempt_info);
        }
        // Signed last, so the signature covers every header added above.
        if let Some(signer) = &signer {
            signer.sign(config, &mut request)?;
        }
        // A body from a one-shot source cannot be sent twice.
        let replayable = request.body().is_replayable();
        let server_time = std::sync::atomic::AtomicI64::new(0);
        let outcome = send_attempt(
            config,
            request,
            attempt_info,
            &attempt_span,
            &read,
            &server_time,
        )
        .instrument(attempt_span.clone())
        .await;
        attempt_span.record("duration_ms", started.elapsed().as_millis() as u64);
        let (failure, error) = match failure_of(outcome, attempt) {
            Ok(output) => {
                record_breaker(config, breaker_key(endpoint), permit, false);
                if let Some(budget) = &config.budget {
                    budget.refund();
                }
                attempt_span.in_scope(|| tracing::debug!("attempt succeeded"));
                return Ok(output);
            }
            Err(failed) => failed,
        };
        let decision = classify(failure, config.refresh_on_403);
        record_breaker(
            config,
            breaker_key(endpoint),
            permit,
            decision.breaker_failure,
        );
        attempt_span.in_scope(|| tracing::debug!(?failure, "attempt failed"));
        // A signature rejected for our clock: correct the offset and resend once.
        if replayable
            && let Some(signer) = &mut signer
            && signer.correct_clock_once(config, &error, &server_time, &attempt_span)
        {
            continue;
        }
        // Rejected credentials: refresh once (single-flight) and resend once.
        if decision.refresh_auth
            && replayable
            && let Some(signer) = &mut signer
            && signer.refresh_once(&attempt_span).await?
        {
            continue;
        }
        let may_retry = decision.allows_retry(info.idempotent)
            && replayable
            && attempt < config.retry.max_attempts()
            && spend_budget(config, &decision, failure, &attempt_span);
        if !may_retry {
            return Err(error);
        }
        drop(error);
        tokio::time::sleep(config.retry.backoff(attempt)).await;
    }
}

/// The credentials of one call: the first scheme the operation accepts
/// that the client has credentials for, and the credential in use.
struct Signer {
    credential: Credential,
    refreshed: bool,
    /// The clock offset was corrected once in this call.
    #[cfg(feature = "aws")]
    clock_corrected: bool,
}

enum Credential {
    /// A bearer token, API key or basic-auth pair.
    Token {
        scheme: AuthScheme,
        cache: std::sync::Arc<crate::auth::CachedIdentity>,
        /// The identity's generation (for single-flight refresh) and itself.
        identity: (u64, crate::auth::Identity),
    },
    /// AWS credentials for SigV4.
    #[cfg(feature = "aws")]
    SigV4 {
        cache: std::sync::Arc<crate::aws::credentials::CredentialsCache>,
        credentials: (u64, crate::aws::Credentials),
        scope: crate::aws::sigv4::SigningScope,
        unsigned_payload: bool,
    },
}

fn construction<E>(message: String) -> SdkError<E> {
    SdkError::Construction(ConstructionError::new(message))
}

/// Error codes with which AWS services reject a signature made with a
/// clock too far from theirs.
#[cfg(feature = "aws")]
const CLOCK_SKEW_CODES: &[&str] = &[
    "RequestTimeTooSkewed",
    "RequestExpired",
    "RequestInTheFuture",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "AuthFailure",
];

/// A clock within this much of the service's is left alone.
#[cfg(feature = "aws")]
const CLOCK_SKEW_TOLERANCE_MS: i64 = 4 * 60 * 1000;

impl Signer {
    /// Picks the scheme and fetches its credential; `None` when the
    /// operation needs none (or `@optionalAuth` lets it go without).
    async fn choose<E>(
        config: &Config,
        info: OperationInfo<'_>,
    ) -> Result<Option<Self>, SdkError<E>> {
        for scheme in info.auth {
            let credential = match scheme {
                #[cfg(feature = "aws")]
                AuthScheme::SigV4 {
                    name,
                    unsigned_payload,
                } => {
                    let Some(cache) = &config.aws.credentials else {
                        continue;
                    };
                    let scope = crate::aws::sigv4::SigningScope::new(
                        name,
                        config.aws.region.as_deref(),
                        info.endpoint,
                    )
                    .map_err(|e| {
                        construction(format!("{}.{}: {e}", info.service, info.operation))
                    })?;
                    let credentials = cache.get().await.map_err(|e| {
                        SdkError::Construction(ConstructionError::with_source("no credentials", e))
                    })?;
                    Credential::SigV4 {
                        cache: cache.clone(),
                        credentials,
                        scope,
                        unsigned_payload: *unsigned_payload,
                    }
                }
                scheme => {
                    let Some(cache) = scheme.kind().and_then(|kind| config.identities.get(&kind))
                    else {
                        continue;
                    };
                    let identity = cache.get().await.map_err(|e| {
                        SdkError::Construction(ConstructionError::with_source("no credentials", e))
                    })?;
                    Credential::Token {
                        scheme: *scheme,
                        cache: cache.clone(),
                        identity,
                    }
                }
            };
            return Ok(Some(Signer {
                credential,
                refreshed: false,
                #[cfg(feature = "aws")]
                clock_corrected: false,
            }));
        }
        if info.auth.is_empty() || info.optional_auth {
            return Ok(None);
        }
        let unsupported: Vec<&str> = info
            .auth
            .iter()
            .filter_map(|s| match s {
                AuthScheme::Unsupported(id) => Some(*id),
                AuthScheme::SigV4 { .. } => Some("aws.auth#sigv4"),
                _ => None,
            })
            .collect();
        // Without credentials, a scheme the runtime could sign with is as
        // good as one it cannot: `allow_unsigned` lets such calls go out
        // unsigned (to a local service that checks no signature).
        if unsupported.len() == info.auth.len() && config.allow_unsigned {
            return Ok(None);
        }
        let signable = |s: &AuthScheme| {
            !matches!(s, AuthScheme::Unsupported(_))
                && (cfg!(feature = "aws") || !matches!(s, AuthScheme::SigV4 { .. }))
        };
        if !info.auth.iter().any(signable) {
            return Err(construction(format!(
                "{}.{} must be signed with {}, which this client cannot do; nothing was sent \
                 (allow_unsigned on the client's config sends it unsigned, for an interceptor \
                 that signs it or a service that does not check)",
                info.service,
                info.operation,
                unsupported.join(" or ")
            )));
        }
        let wanted: Vec<&str> = info.auth.iter().map(AuthScheme::setting).collect();
        Err(construction(format!(
            "{}.{} needs credentials for one of: {}; nothing was sent",
            info.service,
            info.operation,
            wanted.join(", ")
        )))
    }

    #[cfg_attr(not(feature = "aws"), allow(unused_variables))]
    fn sign<E>(&self, config: &Config, request: &mut HttpRequest) -> Result<(), SdkError<E>> {
        match &self.credential {
            Credential::Token {
                scheme, identity, ..
            } => {
                scheme.apply(request, &identity.1);
                Ok(())
            }
            #[cfg(feature = "aws")]
            Credential::SigV4 {
                credentials,
                scope,
                unsigned_payload,
                ..
            } => crate::aws::sigv4::sign_request(
                request,
                &credentials.1,
                scope,
                *unsigned_payload,
                skewed_now(config),
                crate::aws::sigv4::Placement::Headers,
            )
            .map_err(construction),
        }
    }

    /// After a SigV4 signature was rejected for its time (by error code,
    /// with the service's `Date` more than a few minutes from ours): stores
    /// the offset on the client and says to resend, once per call.
    #[cfg_attr(not(feature = "aws"), allow(unused_variables))]
    fn correct_clock_once<E: ProvideErrorStatus>(
        &mut self,
        config: &Config,
        error: &SdkError<E>,
        server_time: &std::sync::atomic::AtomicI64,
        span: &tracing::Span,
    ) -> bool {
        #[cfg(feature = "aws")]
        if let Credential::SigV4 { .. } = self.credential
            && !self.clock_corrected
            && let SdkError::Service(e) = error
            && let Some(code) = e.err().status().code()
            && CLOCK_SKEW_CODES.contains(&code)
        {
            let server = server_time.load(std::sync::atomic::Ordering::Relaxed);
            let millis = |t: std::time::SystemTime| {
                t.duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_millis() as i64)
            };
            // Judged against the clock the signature used (ours plus the
            // stored offset), so an offset that became wrong (the host's
            // clock was fixed) is corrected too; stored against ours.
            let signed_at = millis(skewed_now(config));
            let offset = server - millis(std::time::SystemTime::now());
            if server > 0 && (server - signed_at).abs() > CLOCK_SKEW_TOLERANCE_MS {
                self.clock_corrected = true;
                config
                    .aws
                    .clock_skew_ms
                    .store(offset, std::sync::atomic::Ordering::Relaxed);
                span.in_scope(|| tracing::debug!(offset_ms = offset, "clock skew corrected"));
                return true;
            }
        }
        false
    }

    /// Refreshes the credential the first time it is rejected; `false` when
    /// it was already refreshed once in this call.
    async fn refresh_once<E>(&mut self, span: &tracing::Span) -> Result<bool, SdkError<E>> {
        if self.refreshed {
            return Ok(false);
        }
        self.refreshed = true;
        span.in_scope(|| tracing::debug!("credentials rejected; refreshing"));
        let failed = |e| {
            SdkError::Construction(ConstructionError::with_source(
                "refreshing credentials failed",
                e,
            ))
        };
        match &mut self.credential {
            Credential::Token {
                cache, identity, ..
            } => *identity = cache.refresh(identity.0).await.map_err(failed)?,
            #[cfg(feature = "aws")]
            Credential::SigV4 {
                cache, credentials, ..
            } => *credentials = cache.refresh(credentials.0).await.map_err(failed)?,
        }
        Ok(true)
    }
}

/// The URL a call goes to: the resolved endpoint's, else the configured
/// one (an error when there is neither).
pub(crate) fn target_url<'a, E>(
    config: &'a Config,
    info: &OperationInfo<'a>,
) -> Result<&'a str, SdkError<E>> {
    match info.endpoint {
        Some(resolved) => Ok(resolved.url.as_str()),
        None => config.endpoint.as_deref().ok_or_else(|| {
            construction(format!(
                "no endpoint configured for {}; set one with Config::builder().endpoint(..)",
                info.service
            ))
        }),
    }
}

/// The headers a resolved endpoint adds to each request.
type EndpointHeaders = Vec<(http::HeaderName, http::HeaderValue)>;

/// Where a call goes: the resolved endpoint's URL (else the configured
/// one) and its headers.
fn target<'a, E>(
    config: &'a Config,
    info: &OperationInfo<'a>,
) -> Result<(&'a str, EndpointHeaders), SdkError<E>> {
    Ok((target_url(config, info)?, endpoint_headers(info.endpoint)?))
}

/// The longest a presigned request may stay valid (SigV4 allows seven
/// days).
#[cfg(feature = "aws")]
pub const MAX_PRESIGNED_EXPIRY: std::time::Duration = std::time::Duration::from_secs(7 * 24 * 3600);

/// Builds an operation's request and signs it for `expires_in` with the
/// signature in the query string, without sending it (used by generated
/// `presigned` methods). The result can be sent by any HTTP client, without
/// credentials, until it expires.
#[cfg(feature = "aws")]
pub async fn presign<E>(
    config: &Config,
    info: OperationInfo<'_>,
    expires_in: std::time::Duration,
    build: impl FnOnce(&str) -> Result<HttpRequest, ConstructionError>,
) -> Result<crate::aws::sigv4::PresignedRequest, SdkError<E>> {
    if expires_in > MAX_PRESIGNED_EXPIRY || expires_in < std::time::Duration::from_secs(1) {
        return Err(construction(format!(
            "a presigned request is valid for between one second and seven days, not {expires_in:?}"
        )));
    }
    let (endpoint, endpoint_headers) = target(config, &info)?;
    let mut request = build(endpoint).map_err(SdkError::Construction)?;
    // Whoever sends it sets the length (of a body they bring); only the
    // headers the request needs are signed.
    request.headers_mut().remove(http::header::CONTENT_LENGTH);
    apply_headers(&mut request, &endpoint_headers);
    let Some(Signer {
        credential: Credential::SigV4 {
            credentials, scope, ..
        },
        ..
    }) = Signer::choose(config, info).await?
    else {
        return Err(construction(format!(
            "{}.{} cannot be presigned: presigning needs SigV4 credentials \
             (credentials_provider or aws_defaults)",
            info.service, info.operation
        )));
    };
    crate::aws::sigv4::sign_request(
        &mut request,
        &credentials.1,
        &scope,
        true,
        skewed_now(config),
        crate::aws::sigv4::Placement::Query(expires_in),
    )
    .map_err(construction)?;
    Ok(crate::aws::sigv4::PresignedRequest::new(request))
}

/// Now, by the service's clock as far as a rejected signature taught us.
#[cfg(feature = "aws")]
fn skewed_now(config: &Config) -> std::time::SystemTime {
    let skew = config
        .aws
        .clock_skew_ms
        .load(std::sync::atomic::Ordering::Relaxed);
    let now = std::time::SystemTime::now();
    if skew >= 0 {
        now + std::time::Duration::from_millis(skew as u64)
    } else {
        now - std::time::Duration::from_millis(skew.unsigned_abs())
    }
}

/// Sets the endpoint's headers on a request: each replaces any value the
/// request's own bindings gave that header (the rules have the last word),
/// keeping every value the endpoint lists.
fn apply_headers(request: &mut HttpRequest, headers: &EndpointHeaders) {
    for (name, _) in headers {
        request.headers_mut().remove(name);
    }
    for (name, value) in headers {
        request.headers_mut().append(name.clone(), value.clone());
    }
}

/// The resolved endpoint's headers, checked once per call.
fn endpoint_headers<E>(
    endpoint: Option<&crate::endpoint::Endpoint>,
) -> Result<EndpointHeaders, SdkError<E>> {
    let mut headers = Vec::new();
    for (name, values) in endpoint.iter().flat_map(|e| &e.headers) {
        for value in values {
            let (Ok(name), Ok(value)) = (
                http::HeaderName::from_bytes(name.as_bytes()),
                http::HeaderValue::from_str(value),
            ) else {
                return Err(construction(format!(
                    "the endpoint's header `{name}: {value}` is not a valid header"
                )));
            };
            headers.push((name, value));
        }
    }
    Ok(headers)
}

/// The key of an endpoint URL's circuit breaker: its scheme and authority,
/// so paths (an S3 bucket in path-style addressing) share their host's
/// breaker.
fn breaker_key(url: &str) -> &str {
    let start = url.find("://").map_or(0, |i| i + 3);
    let end = url[start..]
        .find(['/', '?'])
        .map_or(url.len(), |i| start + i);
    &url[..end]
}

/// Asks the endpoint's circuit breaker (if configured) to let an attempt through.
fn admit<E>(config: &Config, endpoint: &str) -> Result<Option<Permit>, SdkError<E>> {
    let Some(breakers) = &config.breakers else {
        return Ok(None);
    };
    breakers.admit(endpoint).map(Some).map_err(|open| {
        tracing::debug!(endpoint, "circuit open; not sending");
        SdkError::CircuitOpen(Box::new(open))
    })
}

/// Adds the attempt's request id and the upstream chain.
fn add_ids(config: &Config, request: &mut HttpRequest, request_id: &str, chain: Option<&str>) {
    add_id_header(request, config.request_id_header.as_ref(), request_id);
    if let Some(chain) = chain {
        add_id_header(request, config.chain_header.as_ref(), chain);
    }
}

/// Sets a header whose value is new on every request. It is marked
/// never-indexed (RFC 7541 §7.1.3): an HTTP/2 connection would otherwise
/// add each value to both ends' HPACK tables only to evict it, which
/// costs more than the rest of the call's own work.
fn add_id_header(request: &mut HttpRequest, name: Option<&http::HeaderName>, value: &str) {
    if let (Some(name), Ok(mut value)) = (name, http::HeaderValue::from_str(value)) {
        value.set_sensitive(true);
        request.headers_mut().insert(name.clone(), value);
    }
}

/// The output, or the failure an attempt's outcome is for the error-mode
/// table, with the error to report if it is not retried.
fn failure_of<O, E: ProvideErrorStatus>(
    outcome: Result<Result<O, ParseError<E>>, (Failure, SdkError<E>)>,
    attempt: u32,
) -> Result<O, (Failure, SdkError<E>)> {
    match outcome {
        Ok(Ok(output)) => Ok(output),
        Ok(Err(ParseError::Service(e))) => {
            let failure = Failure::Status {
                status: e.status().http_status().unwrap_or(0),
                retryable: e.is_retryable(),
                throttling: e.is_throttling(),
            };
            Err((failure, SdkError::service(*e, attempt)))
        }
        Ok(Err(ParseError::Unparseable(e))) => Err((Failure::Unparseable, SdkError::Response(e))),
        Err(failed) => Err(failed),
    }
}

/// Pays for a retry from the client's budget (if any); throttling and
/// timeouts cost more. `false` when the budget is exhausted.
fn spend_budget(
    config: &Config,
    decision: &crate::classify::Decision,
    failure: Failure,
    span: &tracing::Span,
) -> bool {
    let Some(budget) = &config.budget else {
        return true;
    };
    let cost = if decision.throttling || failure == Failure::Timeout {
        TIMEOUT_RETRY_COST
    } else {
        RETRY_COST
    };
    let paid = budget.try_spend(cost);
    if !paid {
        span.in_scope(|| tracing::warn!("retry budget exhausted; not retrying"));
    }
    paid
}

fn record_breaker(config: &Config, endpoint: &str, permit: Option<Permit>, failed: bool) {
    if let (Some(breakers), Some(permit)) = (&config.breakers, permit) {
        breakers.record(endpoint, permit, failed);
    }
}

async fn with_timeout<T>(config: &Config, fut: impl Future<Output = T>) -> Result<T, TimeoutError> {
    match config.attempt_timeout {
        Some(limit) => tokio::time::timeout(limit, fut)
            .await
            .map_err(|_| TimeoutError::new("attempt", limit)),
        None => Ok(fut.await),
    }
}

/// Lends `output` to `f` and releases its streaming body (selected by
/// `body`) when `f` ends: when its future completes, panics, or is dropped.
/// The body is lent through [`ByteStream::scope`], so a body moved out of
/// the output is released too. A panic in `f` resumes after the release.
/// Generated `send_with` methods call this.
pub async fn scoped<O, R>(
    mut output: O,
    body: fn(&mut O) -> &mut ByteStream,
    f: impl AsyncFnOnce(&mut O) -> R,
) -> R {
    use futures_util::FutureExt as _;
    let guard = body(&mut output).scope();
    let result = std::panic::AssertUnwindSafe(f(&mut output))
        .catch_unwind()
        .await;
    drop(guard);
    drop(output);
    match result {
        Ok(value) => value,
        Err(panic) => std::panic::resume_unwind(panic),
    }
}
