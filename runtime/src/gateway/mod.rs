//! The hub of the hub/worker pattern: a JSON-RPC 2.0 gateway that
//! authenticates callers and routes each call named `worker/method` to the
//! worker of that name.
//!
//! ```text
//! caller ──JSON-RPC──▶ gateway ──JSON-RPC──▶ worker "notes"  (generated, Rust)
//!        Authorization   │  x-caller-context  worker "py"     (any language)
//!                        │  x-request-chain: <id>@gateway
//!                        └─ registry.toml: name → base URL (reloaded on change)
//! ```
//!
//! For each call the gateway:
//!
//! 1. authenticates the caller ([`Authenticate`]; [`BearerTokens`] for
//!    static tokens): an unknown caller gets `401` and the JSON-RPC error
//!    `-32001`, and nothing is forwarded;
//! 2. finds the worker named before the method's first `/` in the
//!    [`Registry`] (a [TOML file](registry) re-read when it changes): an
//!    unknown worker is the standard `-32601` (method not found);
//! 3. forwards the request object with the tinsmith client runtime (the
//!    [`Config`] given to the builder: retries with backoff and budget, a
//!    circuit breaker per worker, timeouts), adding the caller's context in
//!    [`CALLER_HEADER`] and extending the request chain with
//!    `<request id>@<gateway name>`, so the worker's spans and its own
//!    calls carry it;
//! 4. answers with the worker's response object, or — when the worker did
//!    not answer one — `-32003` (`WorkerUnavailable`: refused, timed out,
//!    circuit open) or `-32004` (`WorkerFailed`: an answer that is not
//!    JSON-RPC).
//!
//! Batches are split and forwarded call by call (a few at a time, in
//! order), so one batch may reach several workers; notifications are
//! forwarded as notifications.
//!
//! Calls that stream events (JSON-RPC 2.0's event streams, see
//! [`server::json_rpc`](crate::server::json_rpc)) are forwarded as they
//! arrive, never buffered: the gateway reads the request's first message
//! alone (the `initial-request` event holding the request object), routes
//! and rewrites it like any request object, and sends the rest of the
//! caller's stream behind it; a streamed answer is passed back once its
//! `initial-response` event is checked to answer the call, and the
//! worker's events follow as the worker sends them, in both directions at
//! once. A stream is sent once: it is never retried. A worker need not be generated: any
//! JSON-RPC 2.0 endpoint works. Generated workers (`jsonRpc2` services
//! whose `methodPrefix` is `<name>/`) read the caller with
//! [`Request::caller`](crate::server::Request::caller); hand-written axum
//! ones with the [`Caller`] and [`Incoming`](crate::server::Incoming)
//! extractors.
//!
//! Gateway errors carry their type in `data.__type`
//! (`tinsmith.gateway#WorkerUnavailable`, ...), which generated clients
//! read as the error's code.
//!
//! Behind the `gateway` cargo feature (with `server`).

pub mod registry;

use std::future::Future;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, StatusCode, header};
use serde_json::{Value, json};

pub use crate::server::{CALLER_HEADER, Caller};
pub use registry::{Registry, RegistryError, Worker};

use crate::bytestream::ByteStream;
use crate::chain::RequestChain;
use crate::config::Config;
use crate::error::{ErrorStatus, ProvideErrorStatus, SdkError};
use crate::eventstream::{SERVER_MAX_MESSAGE_LEN, prepend, split_first};
use crate::pipeline::{OperationInfo, ParseError};
use crate::server::json_rpc::{self, Answer, Envelope};
use crate::transport::HttpResponse;

/// The JSON-RPC error code of a call whose caller is not authenticated.
pub const UNAUTHENTICATED: i64 = -32001;
/// The JSON-RPC error code of a call its worker did not answer (refused,
/// timed out, circuit open).
pub const WORKER_UNAVAILABLE: i64 = -32003;
/// The JSON-RPC error code of a call whose worker answered something that
/// is not a JSON-RPC response.
pub const WORKER_FAILED: i64 = -32004;

/// Decides who is calling, from the headers of a call.
pub trait Authenticate: Send + Sync + 'static {
    /// The authenticated caller, or `None` to refuse the call (`401`).
    fn authenticate(&self, headers: &HeaderMap) -> Option<Caller>;
}

impl<F> Authenticate for F
where
    F: Fn(&HeaderMap) -> Option<Caller> + Send + Sync + 'static,
{
    fn authenticate(&self, headers: &HeaderMap) -> Option<Caller> {
        self(headers)
    }
}

/// Callers by static bearer token (`Authorization: Bearer <token>`). Tokens
/// are kept as SHA-256 digests and compared in constant time, every known
/// token each time, so timing tells neither a token's length nor which
/// token matched.
#[derive(Clone, Default)]
pub struct BearerTokens {
    tokens: Vec<([u8; 32], Caller)>,
}

impl BearerTokens {
    /// No tokens yet: every call is refused.
    pub fn new() -> Self {
        BearerTokens::default()
    }

    /// The tokens with one more: `token` authenticates `caller`.
    pub fn with_token(mut self, token: impl Into<String>, caller: Caller) -> Self {
        self.tokens.push((digest(token.into().as_bytes()), caller));
        self
    }
}

impl std::fmt::Debug for BearerTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The tokens are secrets: only the callers are shown.
        f.debug_list()
            .entries(self.tokens.iter().map(|(_, caller)| caller.id()))
            .finish()
    }
}

impl Authenticate for BearerTokens {
    fn authenticate(&self, headers: &HeaderMap) -> Option<Caller> {
        let value = headers.get(header::AUTHORIZATION)?.as_bytes();
        let (scheme, token) = value.split_at_checked(7)?;
        if !scheme.eq_ignore_ascii_case(b"bearer ") {
            return None;
        }
        use subtle::ConstantTimeEq as _;
        let given = digest(token);
        let mut found = None;
        for (known, caller) in &self.tokens {
            if bool::from(known.ct_eq(&given)) {
                found = Some(caller);
            }
        }
        found.cloned()
    }
}

fn digest(token: &[u8]) -> [u8; 32] {
    use sha2::Digest as _;
    sha2::Sha256::digest(token).into()
}

/// Why a gateway could not be built.
#[derive(Debug)]
pub struct GatewayError(String);

impl std::fmt::Display for GatewayError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for GatewayError {}

/// Builds a [`Gateway`].
#[derive(Default)]
pub struct GatewayBuilder {
    name: Option<String>,
    path: Option<String>,
    registry: Option<Registry>,
    file: Option<PathBuf>,
    reload_every: Option<Duration>,
    authenticate: Option<Box<dyn Authenticate>>,
    client: Option<Config>,
    trust_incoming_ids: bool,
}

impl std::fmt::Debug for GatewayBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GatewayBuilder")
            .field("name", &self.name)
            .field("path", &self.path)
            .field("registry", &self.registry)
            .field("file", &self.file)
            .finish_non_exhaustive()
    }
}

impl GatewayBuilder {
    /// The gateway's name in request chains (`<request id>@<name>`;
    /// default `gateway`): letters, digits, `-`, `_` and `.`.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The path callers post to (default `/api/rpc`): segments of letters,
    /// digits, `-`, `_`, `.` and `~`.
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// A fixed registry of workers.
    pub fn registry(mut self, registry: Registry) -> Self {
        self.registry = Some(registry);
        self
    }

    /// The registry of workers in a TOML file ([`registry`]), read when the
    /// gateway is built and again when it changes (checked at most every
    /// [`reload_every`](Self::reload_every), on the calls that arrive). A
    /// changed file that does not read is logged and the workers stay as
    /// they were.
    pub fn registry_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.file = Some(path.into());
        self
    }

    /// How often the registry file is checked for changes (default 1 s; only
    /// with [`registry_file`](Self::registry_file)). Replace the file
    /// atomically (write another, then rename it over): a file caught half
    /// written may read as a smaller registry.
    pub fn reload_every(mut self, every: Duration) -> Self {
        self.reload_every = Some(every);
        self
    }

    /// Who may call (required).
    pub fn authenticate(mut self, authenticate: impl Authenticate) -> Self {
        self.authenticate = Some(Box::new(authenticate));
        self
    }

    /// How calls are forwarded: retries, retry budget, circuit breaker,
    /// timeouts and the largest answer of the tinsmith client runtime. Its
    /// endpoint and credentials are not used: each worker's URL is, with
    /// the headers the registry gives it. By default: the default retry
    /// policy (a call is resent only when it surely never reached the
    /// worker: a refused connection), a circuit breaker per worker host and
    /// port (five consecutive failures open it for 10 s; timeouts count),
    /// 10 s per attempt and 30 s per call, and answers up to 4 MiB.
    pub fn client_config(mut self, config: Config) -> Self {
        self.client = Some(config);
        self
    }

    /// Take the caller's `x-request-id` and `x-request-chain` (`true`), for
    /// a gateway behind another service of the same system, or start each
    /// call afresh (`false`, the default): at the edge, ids and chain
    /// entries are whatever the caller claims, so the chain a worker sees
    /// starts with the gateway's own `<fresh id>@<name>`.
    pub fn trust_incoming_ids(mut self, trust: bool) -> Self {
        self.trust_incoming_ids = trust;
        self
    }

    /// The gateway.
    ///
    /// # Errors
    /// No authenticator, both or neither of a registry and a registry file,
    /// a registry file that does not read, a path not starting with `/`.
    pub fn build(self) -> Result<Gateway, GatewayError> {
        let authenticate = self.authenticate.ok_or_else(|| {
            GatewayError("a gateway needs an authenticator: .authenticate(..)".into())
        })?;
        let path = self.path.unwrap_or_else(|| "/api/rpc".to_owned());
        let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~');
        if !path.starts_with('/') || !path[1..].split('/').all(|s| s.chars().all(plain)) {
            return Err(GatewayError(format!(
                "`{path}` is not a path of plain segments (`/api/rpc`)"
            )));
        }
        let name = self.name.unwrap_or_else(|| "gateway".to_owned());
        if name.is_empty() || !name.chars().all(|c| plain(c) && c != '~') {
            return Err(GatewayError(format!(
                "`{name}` is not a gateway name (letters, digits, `-`, `_`, `.`)"
            )));
        }
        if self.reload_every.is_some() && self.file.is_none() {
            return Err(GatewayError(
                ".reload_every(..) needs a .registry_file(..) to reload".into(),
            ));
        }
        let (registry, source) = match (self.registry, self.file) {
            (Some(registry), None) => (registry, Source::Fixed),
            (None, Some(file)) => {
                let text = std::fs::read_to_string(&file)
                    .map_err(|e| GatewayError(format!("{}: {e}", file.display())))?;
                let registry = Registry::from_toml(&text)
                    .map_err(|e| GatewayError(format!("{}: {e}", file.display())))?;
                let state = FileState {
                    text,
                    error: None,
                    read_error: None,
                };
                let every = self.reload_every.unwrap_or(Duration::from_secs(1));
                let checked = Mutex::new(Instant::now());
                (
                    registry,
                    Source::File(file, every, checked, tokio::sync::Mutex::new(state)),
                )
            }
            _ => {
                return Err(GatewayError(
                    "give a gateway either .registry(..) or .registry_file(..)".into(),
                ));
            }
        };
        let client = self.client.unwrap_or_else(|| {
            Config::builder()
                .circuit_breaker(Default::default())
                .attempt_timeout(Duration::from_secs(10))
                .operation_timeout(Duration::from_secs(30))
                .max_response_body(4 << 20)
                .build()
        });
        Ok(Gateway {
            inner: Arc::new(Inner {
                name,
                trust_incoming_ids: self.trust_incoming_ids,
                path,
                registry: RwLock::new(Arc::new(registry)),
                source,
                authenticate,
                client,
            }),
        })
    }
}

/// A JSON-RPC 2.0 gateway (see the [module](self)): serve it with
/// [`Gateway::router`]. Clones share the registry and the circuit breakers.
#[derive(Clone)]
pub struct Gateway {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Gateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gateway")
            .field("name", &self.inner.name)
            .field("path", &self.inner.path)
            .field("registry", &self.registry())
            .finish_non_exhaustive()
    }
}

struct Inner {
    name: String,
    trust_incoming_ids: bool,
    path: String,
    registry: RwLock<Arc<Registry>>,
    source: Source,
    authenticate: Box<dyn Authenticate>,
    client: Config,
}

/// Where the registry comes from.
enum Source {
    Fixed,
    /// A file, checked at most this often (last at `Instant`); reads hold
    /// the `FileState` lock, so they cannot finish out of order.
    File(
        PathBuf,
        Duration,
        Mutex<Instant>,
        tokio::sync::Mutex<FileState>,
    ),
}

struct FileState {
    /// The text last read (taken, or rejected with `error`).
    text: String,
    /// Why `text` is not a registry, if it is not.
    error: Option<String>,
    /// Why the file could not be read at the last check, if it could not
    /// (logged once per change).
    read_error: Option<String>,
}

impl Gateway {
    /// Starts a gateway.
    pub fn builder() -> GatewayBuilder {
        GatewayBuilder::default()
    }

    /// The workers as the gateway knows them now.
    pub fn registry(&self) -> Arc<Registry> {
        Arc::clone(
            &self
                .inner
                .registry
                .read()
                .unwrap_or_else(|e| e.into_inner()),
        )
    }

    /// Reads the registry file again now: `Ok(true)` when it changed and
    /// the gateway took it, `Ok(false)` when there is no file or it has not
    /// changed since it was last read.
    ///
    /// # Errors
    /// The file cannot be read, or changed into something that is not a
    /// registry; the workers stay as they were.
    pub async fn reload(&self) -> Result<bool, RegistryError> {
        match self.inner.reload().await {
            Reload::Unchanged => Ok(false),
            Reload::Taken => Ok(true),
            Reload::Failed { error, .. } => Err(error),
        }
    }

    /// An axum router taking `POST`s of JSON-RPC requests at the gateway's
    /// path.
    pub fn router(&self) -> axum::Router {
        let inner = Arc::clone(&self.inner);
        let handler = move |request: axum::extract::Request| {
            let inner = Arc::clone(&inner);
            async move { inner.handle(request).await }
        };
        axum::Router::new().route(
            &self.inner.path,
            axum::routing::post(crate::server::linger::lingering(handler)),
        )
    }
}

/// What reading the registry file did.
enum Reload {
    Unchanged,
    Taken,
    /// Not taken; `new` when this failure differs from the last one.
    Failed {
        error: RegistryError,
        new: bool,
    },
}

impl Inner {
    async fn reload(&self) -> Reload {
        let Source::File(path, _, checked, state) = &self.source else {
            return Reload::Unchanged;
        };
        let mut state = state.lock().await;
        *checked.lock().unwrap_or_else(|e| e.into_inner()) = Instant::now();
        let text = match tokio::fs::read_to_string(path).await {
            Ok(text) => text,
            Err(e) => {
                let message = format!("{}: {e}", path.display());
                let new = state.read_error.as_deref() != Some(message.as_str());
                state.read_error = Some(message.clone());
                let error = RegistryError::new(message);
                return Reload::Failed { error, new };
            }
        };
        state.read_error = None;
        if text == state.text {
            // The text last read: taken, or rejected before.
            return match &state.error {
                None => Reload::Unchanged,
                Some(message) => Reload::Failed {
                    error: RegistryError::new(message.clone()),
                    new: false,
                },
            };
        }
        let outcome = Registry::from_toml(&text);
        state.text = text;
        match outcome {
            Ok(registry) => {
                state.error = None;
                if registry.workers().next().is_none() {
                    tracing::warn!(file = %path.display(), "the worker registry names no worker");
                }
                *self.registry.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(registry);
                Reload::Taken
            }
            Err(error) => {
                let message = error.to_string();
                let new = state.error.as_deref() != Some(message.as_str());
                state.error = Some(message);
                Reload::Failed { error, new }
            }
        }
    }

    /// Reloads the registry file if it is due for a check.
    async fn refresh(&self) {
        let Source::File(path, every, checked, _) = &self.source else {
            return;
        };
        {
            let mut checked = checked.lock().unwrap_or_else(|e| e.into_inner());
            if checked.elapsed() < *every {
                return;
            }
            // Other calls meanwhile do not check again.
            *checked = Instant::now();
        }
        match self.reload().await {
            Reload::Taken => tracing::info!(file = %path.display(), "worker registry reloaded"),
            Reload::Failed { error, new: true } => tracing::warn!(
                file = %path.display(),
                error = %error,
                "worker registry not reloaded; the workers stay as they were"
            ),
            Reload::Unchanged | Reload::Failed { .. } => {}
        }
    }

    async fn handle(&self, request: axum::extract::Request) -> axum::response::Response {
        let (parts, body) = request.into_parts();
        let headers = parts.headers.clone();
        let (request_id, chain) = if self.trust_incoming_ids {
            crate::server::incoming_ids(&headers)
        } else {
            (uuid::Uuid::new_v4().to_string(), RequestChain::default())
        };
        let Some(caller) = self.authenticate.authenticate(&headers) else {
            let message = "the caller is not authenticated";
            let refused = gateway_error(UNAUTHENTICATED, "Unauthenticated", message, None);
            let answer = json_rpc::response(Value::Null, Err(refused));
            let mut response = json_rpc::answered(Some(answer).into(), &request_id);
            *response.status_mut() = StatusCode::UNAUTHORIZED;
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            return response;
        };
        self.refresh().await;
        let registry = self.registry.read().map(|r| Arc::clone(&r));
        let registry = registry.unwrap_or_else(|e| Arc::clone(&e.into_inner()));
        let caller_header = caller.header_value();
        if caller_header.len() > crate::server::caller::MAX_HEADER_LEN {
            // Workers would not read it, and take the call as anonymous.
            tracing::error!(
                caller = caller.id(),
                "the caller's context is too large for a header; call refused"
            );
            let message = "the caller's context is too large";
            let refused = gateway_error(-32603, "CallerTooLarge", message, None);
            let answer = json_rpc::response(Value::Null, Err(refused));
            return json_rpc::answered(Some(answer).into(), &request_id);
        }
        let context = (&*registry, &caller, &caller_header, &chain);
        if crate::json::json_rpc_streams(&headers) {
            let body = ByteStream::from_http_body(body);
            let answer = self
                .forward_stream(context, &headers, body, &request_id)
                .await;
            return json_rpc::answered(answer, &request_id);
        }
        let body = {
            use axum::extract::FromRequest as _;
            let request = axum::extract::Request::from_parts(parts, body);
            match Bytes::from_request(request, &()).await {
                Ok(body) => body,
                Err(rejection) => return axum::response::IntoResponse::into_response(rejection),
            }
        };
        let answer = json_rpc::answer_body(
            &headers,
            body,
            &request_id,
            |request, id, batched| async move {
                match json_rpc::envelope(request) {
                    Ok(request) => self.forward(context, request, None, &id, batched).await,
                    Err(answer) => answer.into(),
                }
            },
        )
        .await;
        json_rpc::answered(answer, &request_id)
    }

    /// Forwards a call whose request body is an event stream: the request
    /// object is its `initial-request` event, read alone to route the call
    /// and rewritten for the worker; the rest of the stream follows as it
    /// arrives.
    async fn forward_stream(
        &self,
        context: (&Registry, &Caller, &HeaderValue, &RequestChain),
        headers: &HeaderMap,
        body: ByteStream,
        request_id: &str,
    ) -> Answer {
        let refused = |code: i64, kind: &str, message: &str| {
            let error = gateway_error(code, kind, message, None);
            Answer::Object(Some(json_rpc::response(Value::Null, Err(error))))
        };
        if crate::server::rpc::encoded(headers) {
            let message = "an event stream cannot have a Content-Encoding";
            return refused(-32600, "InvalidRequest", message);
        }
        // The same codes as a worker's own router gives.
        let (first, rest) = match split_first(body, SERVER_MAX_MESSAGE_LEN).await {
            Ok(split) => split,
            Err(problem) => return refused(-32700, "ParseError", &problem),
        };
        if !crate::eventstream::wire::is_event(&first, "initial-request") {
            let message = "an event stream's first message must be the `initial-request` event \
                           holding the request object";
            return refused(-32600, "InvalidRequest", message);
        }
        let request = match serde_json::from_slice::<Value>(first.payload()) {
            Ok(request) => request,
            Err(e) => {
                let message = format!("the `initial-request` event is not JSON: {e}");
                return refused(-32700, "ParseError", &message);
            }
        };
        let request = match json_rpc::envelope(request) {
            Ok(request) => request,
            Err(answer) => return Answer::Object(answer),
        };
        self.forward(context, request, Some(rest), request_id, false)
            .await
    }

    /// Forwards one call to its worker, answered: nothing for a
    /// notification. The worker gets the request object as its registry
    /// entry asks (the method with or without the worker's name), as the
    /// body or, for a call that streams events (`events`: the stream after
    /// its `initial-request`), as the `initial-request` of the stream. A
    /// streamed answer is passed on as it arrives, once its
    /// `initial-response` is checked to answer this call; inside a batch
    /// (`batched`) it has no place and is refused.
    async fn forward(
        &self,
        (registry, caller, caller_header, chain): (&Registry, &Caller, &HeaderValue, &RequestChain),
        request: Envelope,
        events: Option<ByteStream>,
        request_id: &str,
        batched: bool,
    ) -> Answer {
        let Some((name, _)) = request
            .method
            .split_once('/')
            .filter(|(name, method)| !name.is_empty() && !method.is_empty())
        else {
            let message = format!("`{}` is not `worker/method`", request.method);
            let unknown = gateway_error(-32601, "UnknownWorker", &message, None);
            return request.answer(Err(unknown)).into();
        };
        let Some(worker) = registry.worker(name) else {
            let message = format!("no worker is named `{name}`");
            let unknown = gateway_error(-32601, "UnknownWorker", &message, Some(name));
            return request.answer(Err(unknown)).into();
        };
        let object = Bytes::from(forwarded_request(&request, worker.strip_name()).to_string());
        let (body, content_type) = match events {
            None => (ByteStream::new(object), "application/json"),
            Some(events) => {
                let initial = crate::eventstream::wire::event(
                    "initial-request",
                    Some("application/json"),
                    object,
                );
                let Ok(initial) = initial.encode() else {
                    let message = "the request object is too large to forward";
                    let invalid = gateway_error(-32600, "InvalidRequest", message, None);
                    return request.answer(Err(invalid)).into();
                };
                (prepend(initial, events), crate::eventstream::CONTENT_TYPE)
            }
        };
        tracing::debug!(caller = caller.id(), worker = name, "forwarding");
        let send = self.send(worker, (body, content_type), caller_header, batched);
        let sent = crate::server::traced(&self.name, &request.method, request_id, chain, send);
        let answered = match sent.await {
            // A response object answering this call: relayed as it is.
            Ok(WorkerAnswer::Object(Some(answer))) if answers(&answer, &request) => {
                Ok(Answer::Object(Some(answer)))
            }
            Ok(WorkerAnswer::Object(Some(_))) => Err(Unanswered::Failed(
                "an answer that is not a response object to this call",
            )),
            Ok(WorkerAnswer::Object(None)) if request.notification => Ok(Answer::Object(None)),
            Ok(WorkerAnswer::Object(None)) => Err(Unanswered::Failed("no answer")),
            Ok(WorkerAnswer::Events(_)) if batched => Err(Unanswered::Failed(
                "a streamed answer to a call inside a batch",
            )),
            // The opening is read within the worker's time limit too.
            Ok(WorkerAnswer::Events(events)) => {
                let opening = opening_answers(*events, &request);
                match worker.timeout() {
                    Some(limit) => tokio::time::timeout(limit, opening)
                        .await
                        .unwrap_or(Err(Unanswered::Unavailable("timed out"))),
                    None => opening.await,
                }
            }
            Err(e) => Err(e),
        };
        if request.notification {
            return Answer::Object(None);
        }
        let (code, kind, message) = match answered {
            Ok(answer) => return answer,
            Err(Unanswered::Unavailable(why)) => (
                WORKER_UNAVAILABLE,
                "WorkerUnavailable",
                format!("worker `{name}` is unavailable: {why}"),
            ),
            Err(Unanswered::Failed(why)) => (
                WORKER_FAILED,
                "WorkerFailed",
                format!("worker `{name}` failed: {why}"),
            ),
        };
        let error = gateway_error(code, kind, &message, Some(name));
        request.answer(Err(error)).into()
    }

    /// Posts a request to a worker with the client runtime (a request
    /// object is resent as the retry policy allows; an event stream is
    /// sent once), marked with [`json_rpc::BATCHED_HEADER`] when it was
    /// part of a batch: the worker's answer.
    fn send(
        &self,
        worker: &Worker,
        (mut body, content_type): (ByteStream, &'static str),
        caller_header: &HeaderValue,
        batched: bool,
    ) -> impl Future<Output = Result<WorkerAnswer, Unanswered>> + Send + 'static {
        let mut config = self.client.clone();
        if let Some(limit) = worker.timeout() {
            // Inside the pipeline, so a timeout counts for the breaker: an
            // attempt times out (and is recorded) before the whole call
            // does, which would drop it unrecorded.
            let attempt = limit.mul_f64(0.9);
            config.operation_timeout = Some(limit);
            config.attempt_timeout =
                Some(config.attempt_timeout.map_or(attempt, |t| t.min(attempt)));
        }
        if let Some(bytes) = worker.max_answer_bytes() {
            config.max_response_body = Some(bytes);
        }
        let endpoint = crate::endpoint::Endpoint {
            url: worker.url().to_owned(),
            properties: Default::default(),
            headers: worker
                .headers()
                .iter()
                .map(|(k, v)| (k.clone(), vec![v.clone()]))
                .collect(),
        };
        let path = worker.path().to_owned();
        let caller_header = caller_header.clone();
        async move {
            let info = OperationInfo {
                service: "gateway",
                operation: "forward",
                // A call that may have reached the worker is not resent.
                idempotent: false,
                auth: &[],
                optional_auth: true,
                endpoint: Some(&endpoint),
            };
            let build = |url: &str| {
                let mut request = http::Request::new(body.take_for_attempt());
                *request.method_mut() = http::Method::POST;
                *request.uri_mut() = format!("{url}{path}")
                    .parse()
                    .map_err(|e| crate::error::ConstructionError::new(format!("{e}")))?;
                let headers = request.headers_mut();
                headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
                headers.insert(CALLER_HEADER, caller_header.clone());
                if batched {
                    headers.insert(json_rpc::BATCHED_HEADER, HeaderValue::from_static("true"));
                }
                Ok(request)
            };
            let streamed = |response: crate::transport::StreamingResponse| {
                Ok(WorkerAnswer::Events(Box::new(response.into_body())))
            };
            let whole = |response| read_answer(response).map(WorkerAnswer::Object);
            let invoke = crate::pipeline::invoke_streaming_when(
                &config,
                info,
                build,
                crate::json::json_rpc_streams,
                streamed,
                whole,
            );
            match invoke.await {
                Ok(answer) => Ok(answer),
                // A response object with an HTTP error status is relayed.
                Err(SdkError::Service(e)) if e.err().answer.is_some() => {
                    Ok(WorkerAnswer::Object(e.into_err().answer))
                }
                Err(e) => {
                    // The details (addresses, errors) are for the gateway's
                    // log, not for callers.
                    tracing::warn!(worker = %endpoint.url, error = %e, "a worker did not answer");
                    Err(Unanswered::from(e))
                }
            }
        }
    }
}

/// A request object as the gateway forwards it: the caller's, with the
/// method without the worker's name when `strip` (as the worker's registry
/// entry asks), and nothing the caller added beyond JSON-RPC's members.
fn forwarded_request(request: &Envelope, strip: bool) -> Value {
    let mut forwarded = serde_json::Map::new();
    forwarded.insert("jsonrpc".into(), "2.0".into());
    let method = match request.method.split_once('/') {
        Some((_, method)) if strip => method,
        _ => &request.method,
    };
    forwarded.insert("method".into(), method.into());
    if let Some(params) = &request.params {
        forwarded.insert("params".into(), params.clone());
    }
    if !request.notification {
        forwarded.insert("id".into(), request.id.clone());
    }
    Value::Object(forwarded)
}

/// What a worker answered.
enum WorkerAnswer {
    /// A response object, or nothing (an empty body).
    Object(Option<Value>),
    /// An event stream, still arriving.
    Events(Box<ByteStream>),
}

/// A worker's streamed answer to `request`, passed on when its first
/// message is the `initial-response` event holding a response object to
/// this call with its `result` (a failure is never streamed).
async fn opening_answers(events: ByteStream, request: &Envelope) -> Result<Answer, Unanswered> {
    let opening = split_first(events, SERVER_MAX_MESSAGE_LEN)
        .await
        .and_then(|(first, rest)| {
            if !crate::eventstream::wire::is_event(&first, "initial-response") {
                return Err("the first message is not the `initial-response` event".to_owned());
            }
            let answer = serde_json::from_slice::<Value>(first.payload())
                .map_err(|e| format!("the `initial-response` event is not JSON: {e}"))?;
            if !answers(&answer, request) || answer.get("result").is_none() {
                return Err("the `initial-response` event holds no result for this call".into());
            }
            let first = first.encode().map_err(|e| e.to_string())?;
            Ok(prepend(first, rest))
        });
    match opening {
        Ok(stream) => Ok(Answer::Events(Box::new(stream))),
        Err(why) => {
            // The details are for the gateway's log, not for callers.
            tracing::warn!(error = %why, "a worker's streamed answer does not open with its answer");
            Err(Unanswered::Failed(
                "a stream that does not open with its answer",
            ))
        }
    }
}

/// True when `answer` is a JSON-RPC 2.0 response object to `request`: the
/// version, its id, and exactly one of `result` and `error`.
fn answers(answer: &Value, request: &Envelope) -> bool {
    answer.get("jsonrpc").and_then(Value::as_str) == Some("2.0")
        && answer.get("id") == Some(&request.id)
        && (answer.get("result").is_some() != answer.get("error").is_some())
}

/// A worker's answer: its response object (also from an HTTP error status,
/// which counts as a failure for retries and the circuit breaker), nothing
/// for an empty body, else a failure.
fn read_answer(response: HttpResponse) -> Result<Option<Value>, ParseError<WorkerError>> {
    let status = response.status();
    if status.is_success() && response.body().is_empty() {
        return Ok(None);
    }
    let answer = serde_json::from_slice::<Value>(response.body())
        .ok()
        .filter(|v| v.get("jsonrpc").is_some());
    if status.is_success() {
        return match answer {
            Some(answer) => Ok(Some(answer)),
            None => Err(ParseError::Unparseable(crate::error::ResponseError::new(
                "the answer is not a JSON-RPC response",
                ErrorStatus::builder().http_status(status.as_u16()).build(),
            ))),
        };
    }
    Err(ParseError::Service(Box::new(WorkerError {
        status: ErrorStatus::builder()
            .http_status(status.as_u16())
            .message(format!("HTTP status {status}"))
            .build(),
        answer,
    })))
}

/// A worker's answer with an HTTP error status.
#[derive(Debug)]
struct WorkerError {
    status: ErrorStatus,
    /// The response object it carried, if any.
    answer: Option<Value>,
}

impl std::fmt::Display for WorkerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.status, f)
    }
}

impl ProvideErrorStatus for WorkerError {
    fn status(&self) -> &ErrorStatus {
        &self.status
    }
}

/// Why a call got no response object from its worker, as callers are told
/// it (the details go to the gateway's log).
enum Unanswered {
    /// No answer: refused, timed out, circuit open, overloaded.
    Unavailable(&'static str),
    /// An answer that is not a response object to the call.
    Failed(&'static str),
}

impl From<SdkError<WorkerError>> for Unanswered {
    fn from(error: SdkError<WorkerError>) -> Self {
        match error {
            SdkError::Service(e) => match e.err().status.http_status() {
                Some(502..=504) => Unanswered::Unavailable("overloaded or down"),
                _ => Unanswered::Failed("an HTTP error without a response object"),
            },
            SdkError::Response(_) => {
                Unanswered::Failed("an answer that is not JSON-RPC, or too large")
            }
            SdkError::CircuitOpen(_) => Unanswered::Unavailable("circuit open"),
            SdkError::Timeout(_) => Unanswered::Unavailable("timed out"),
            SdkError::Transport(_) => Unanswered::Unavailable("unreachable"),
            SdkError::Construction(_) => Unanswered::Failed("the call could not be forwarded"),
        }
    }
}

/// A gateway error object: `code`, `message`, and `data` with the error's
/// type (`tinsmith.gateway#<kind>`), message and worker.
fn gateway_error(code: i64, kind: &str, message: &str, worker: Option<&str>) -> Value {
    let mut data = json!({"__type": format!("tinsmith.gateway#{kind}"), "message": message});
    if let Some(worker) = worker {
        data["worker"] = Value::String(worker.to_owned());
    }
    json_rpc::error(code, message, Some(data))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_tokens_name_their_callers() {
        let tokens = BearerTokens::new()
            .with_token("s3cret", Caller::new("ana"))
            .with_token("other", Caller::new("bo"));
        let with = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::AUTHORIZATION, HeaderValue::from_str(value).unwrap());
            tokens.authenticate(&headers).map(|c| c.id().to_owned())
        };
        assert_eq!(with("Bearer s3cret").as_deref(), Some("ana"));
        assert_eq!(with("bearer other").as_deref(), Some("bo"));
        assert_eq!(with("Bearer s3cre"), None);
        assert_eq!(with("Basic s3cret"), None);
        assert_eq!(with("Bearer"), None);
        assert_eq!(tokens.authenticate(&HeaderMap::new()), None);
        assert!(!format!("{tokens:?}").contains("s3cret"));
    }

    #[tokio::test]
    async fn the_registry_file_reloads_when_it_changes() {
        let dir = std::env::temp_dir().join(format!("tinsmith-registry-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("registry.toml");
        let one = "[workers.a]\nurl = \"http://127.0.0.1:1\"\n";
        std::fs::write(&file, one).unwrap();
        let gateway = Gateway::builder()
            .registry_file(&file)
            .authenticate(BearerTokens::new())
            .build()
            .unwrap();
        assert_eq!(gateway.reload().await, Ok(false));
        // Gone for a while: an error, the workers kept; back as it was:
        // unchanged.
        std::fs::remove_file(&file).unwrap();
        assert!(gateway.reload().await.is_err());
        assert!(gateway.registry().worker("a").is_some());
        std::fs::write(&file, one).unwrap();
        assert_eq!(gateway.reload().await, Ok(false));
        // Broken: rejected, and still rejected until it changes.
        std::fs::write(&file, "[workers.a]\nurl = 1\n").unwrap();
        assert!(gateway.reload().await.is_err());
        assert!(gateway.reload().await.is_err());
        assert!(gateway.registry().worker("a").is_some());
        // Changed for the better: taken.
        std::fs::write(&file, "[workers.b]\nurl = \"http://127.0.0.1:2\"\n").unwrap();
        assert_eq!(gateway.reload().await, Ok(true));
        assert!(gateway.registry().worker("a").is_none());
        assert!(gateway.registry().worker("b").is_some());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_gateway_needs_an_authenticator_and_one_registry() {
        let e = Gateway::builder()
            .registry(Registry::new())
            .build()
            .unwrap_err();
        assert!(e.to_string().contains("authenticator"), "{e}");
        let e = Gateway::builder()
            .authenticate(BearerTokens::new())
            .build()
            .unwrap_err();
        assert!(e.to_string().contains("registry"), "{e}");
        let e = Gateway::builder()
            .authenticate(BearerTokens::new())
            .registry_file("/nonexistent/registry.toml")
            .build()
            .unwrap_err();
        assert!(e.to_string().contains("/nonexistent/registry.toml"), "{e}");
    }
}
