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
//! forwarded as notifications. A worker need not be generated: any
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
use crate::pipeline::{OperationInfo, ParseError};
use crate::server::json_rpc::{self, Envelope};
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

/// Callers by static bearer token (`Authorization: Bearer <token>`),
/// compared in constant time.
#[derive(Clone, Default)]
pub struct BearerTokens {
    tokens: Vec<(Vec<u8>, Caller)>,
}

impl BearerTokens {
    /// No tokens yet: every call is refused.
    pub fn new() -> Self {
        BearerTokens::default()
    }

    /// The tokens with one more: `token` authenticates `caller`.
    pub fn with_token(mut self, token: impl Into<String>, caller: Caller) -> Self {
        self.tokens.push((token.into().into_bytes(), caller));
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
        self.tokens
            .iter()
            .find(|(known, _)| same(known, token))
            .map(|(_, caller)| caller.clone())
    }
}

/// Compares two secrets in time that depends only on their lengths.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
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
    /// default `gateway`).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The path callers post to (default `/api/rpc`).
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

    /// How often the registry file is checked for changes (default 1 s).
    pub fn reload_every(mut self, every: Duration) -> Self {
        self.reload_every = Some(every);
        self
    }

    /// Who may call (required).
    pub fn authenticate(mut self, authenticate: impl Authenticate) -> Self {
        self.authenticate = Some(Box::new(authenticate));
        self
    }

    /// How calls are forwarded: retries, retry budget, circuit breaker and
    /// timeouts of the tinsmith client runtime (its endpoint is ignored:
    /// each worker's URL is used). By default: the default retry policy
    /// (a call that may have reached the worker is not resent), a circuit
    /// breaker per worker, and a 30 s limit per call.
    pub fn client_config(mut self, config: Config) -> Self {
        self.client = Some(config);
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
        if !path.starts_with('/') {
            return Err(GatewayError(format!("`{path}` is not a path")));
        }
        let (registry, source) = match (self.registry, self.file) {
            (Some(registry), None) => (registry, Source::Fixed),
            (None, Some(file)) => {
                let text = std::fs::read_to_string(&file)
                    .map_err(|e| GatewayError(format!("{}: {e}", file.display())))?;
                let registry = Registry::from_toml(&text)
                    .map_err(|e| GatewayError(format!("{}: {e}", file.display())))?;
                let state = FileState {
                    checked: Instant::now(),
                    text,
                };
                let every = self.reload_every.unwrap_or(Duration::from_secs(1));
                (registry, Source::File(file, every, Mutex::new(state)))
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
                .operation_timeout(Duration::from_secs(30))
                .build()
        });
        Ok(Gateway {
            inner: Arc::new(Inner {
                name: self.name.unwrap_or_else(|| "gateway".to_owned()),
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
    path: String,
    registry: RwLock<Arc<Registry>>,
    source: Source,
    authenticate: Box<dyn Authenticate>,
    client: Config,
}

/// Where the registry comes from.
enum Source {
    Fixed,
    /// A file, checked at most this often.
    File(PathBuf, Duration, Mutex<FileState>),
}

struct FileState {
    checked: Instant,
    /// The text the registry was last read from.
    text: String,
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

    /// Reads the registry file again now: `Ok(true)` when it changed (and
    /// the gateway took it), `Ok(false)` when unchanged or there is no file.
    ///
    /// # Errors
    /// The file changed but cannot be read or is not a registry; the
    /// workers stay as they were.
    pub async fn reload(&self) -> Result<bool, RegistryError> {
        self.inner.reload().await
    }

    /// An axum router taking `POST`s of JSON-RPC requests at the gateway's
    /// path.
    pub fn router(&self) -> axum::Router {
        let inner = Arc::clone(&self.inner);
        let handler = move |headers: HeaderMap, body: Bytes| {
            let inner = Arc::clone(&inner);
            async move { inner.handle(headers, body).await }
        };
        axum::Router::new().route(&self.inner.path, axum::routing::post(handler))
    }
}

impl Inner {
    async fn reload(&self) -> Result<bool, RegistryError> {
        let Source::File(path, _, state) = &self.source else {
            return Ok(false);
        };
        let text = tokio::fs::read_to_string(path)
            .await
            .map_err(|e| RegistryError::new(format!("{}: {e}", path.display())))?;
        let mut state = state.lock().unwrap_or_else(|e| e.into_inner());
        state.checked = Instant::now();
        if text == state.text {
            return Ok(false);
        }
        // A bad file is read once per change, not on every check.
        state.text.clone_from(&text);
        let registry = Registry::from_toml(&text)?;
        *self.registry.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(registry);
        Ok(true)
    }

    /// Reloads the registry file if it is due for a check.
    async fn refresh(&self) {
        let Source::File(path, every, state) = &self.source else {
            return;
        };
        {
            let mut state = state.lock().unwrap_or_else(|e| e.into_inner());
            if state.checked.elapsed() < *every {
                return;
            }
            // Other calls meanwhile do not check again.
            state.checked = Instant::now();
        }
        match self.reload().await {
            Ok(true) => tracing::info!(file = %path.display(), "worker registry reloaded"),
            Ok(false) => {}
            Err(e) => tracing::warn!(
                file = %path.display(),
                error = %e,
                "worker registry not reloaded; the workers stay as they were"
            ),
        }
    }

    async fn handle(&self, headers: HeaderMap, body: Bytes) -> axum::response::Response {
        let (request_id, chain) = crate::server::incoming_ids(&headers);
        let Some(caller) = self.authenticate.authenticate(&headers) else {
            let refused = json_rpc::error(UNAUTHENTICATED, "the caller is not authenticated", None);
            let answer = json_rpc::response(Value::Null, Err(refused));
            let mut response = json_rpc::answered(Some(answer), &request_id);
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
        let context = (&*registry, &caller, &caller_header, &chain);
        let answer = json_rpc::answer_body(&headers, body, &request_id, |request, id| async move {
            match json_rpc::envelope(request) {
                Ok(request) => self.forward(context, request, &id).await,
                Err(answer) => answer,
            }
        })
        .await;
        json_rpc::answered(answer, &request_id)
    }

    /// Forwards one call to its worker, answered: `None` for a
    /// notification.
    async fn forward(
        &self,
        (registry, caller, caller_header, chain): (&Registry, &Caller, &HeaderValue, &RequestChain),
        request: Envelope,
        request_id: &str,
    ) -> Option<Value> {
        let Some((name, method)) = request
            .method
            .split_once('/')
            .filter(|(name, method)| !name.is_empty() && !method.is_empty())
        else {
            let message = format!("`{}` is not `worker/method`", request.method);
            let unknown = gateway_error(-32601, "UnknownWorker", &message, None);
            return request.answer(Err(unknown));
        };
        let Some(worker) = registry.worker(name) else {
            let message = format!("no worker is named `{name}`");
            let unknown = gateway_error(-32601, "UnknownWorker", &message, Some(name));
            return request.answer(Err(unknown));
        };
        let mut forwarded = json!({
            "jsonrpc": "2.0",
            "method": if worker.strip_name() { method } else { &request.method },
            "params": request.params,
        });
        if !request.notification {
            forwarded["id"] = request.id.clone();
        }
        tracing::debug!(caller = caller.id(), worker = name, "forwarding");
        let send = self.send(worker, Bytes::from(forwarded.to_string()), caller_header);
        let sent = crate::server::traced(&self.name, &request.method, request_id, chain, send);
        let answered = match worker.timeout() {
            Some(limit) => tokio::time::timeout(limit, sent).await.unwrap_or_else(|_| {
                Err(Unanswered::Unavailable(format!("no answer in {limit:?}")))
            }),
            None => sent.await,
        };
        let outcome = match answered {
            Ok(Some(Value::Object(mut answer))) => {
                // The worker's response object, with the caller's id.
                answer.insert("id".into(), request.id.clone());
                return (!request.notification).then_some(Value::Object(answer));
            }
            Ok(_) => Ok(Value::Null),
            Err(Unanswered::Unavailable(why)) => {
                let message = format!("worker `{name}` is unavailable: {why}");
                Err(gateway_error(
                    WORKER_UNAVAILABLE,
                    "WorkerUnavailable",
                    &message,
                    Some(name),
                ))
            }
            Err(Unanswered::Failed(why)) => {
                let message = format!("worker `{name}` failed: {why}");
                Err(gateway_error(
                    WORKER_FAILED,
                    "WorkerFailed",
                    &message,
                    Some(name),
                ))
            }
        };
        request.answer(outcome)
    }

    /// Posts a request object to a worker with the client runtime: the
    /// worker's answer (`None` when it answered nothing, as for
    /// notifications).
    fn send(
        &self,
        worker: &Worker,
        body: Bytes,
        caller_header: &HeaderValue,
    ) -> impl Future<Output = Result<Option<Value>, Unanswered>> + Send + 'static {
        let config = self.client.clone();
        let endpoint = crate::endpoint::Endpoint {
            url: worker.url().to_owned(),
            properties: Default::default(),
            headers: Default::default(),
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
                let mut request = http::Request::new(ByteStream::new(body.clone()));
                *request.method_mut() = http::Method::POST;
                *request.uri_mut() = format!("{url}{path}")
                    .parse()
                    .map_err(|e| crate::error::ConstructionError::new(format!("{e}")))?;
                let headers = request.headers_mut();
                headers.insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                );
                headers.insert(CALLER_HEADER, caller_header.clone());
                Ok(request)
            };
            match crate::pipeline::invoke(&config, info, build, read_answer).await {
                Ok(answer) => Ok(answer),
                // A response object with an HTTP error status is relayed.
                Err(SdkError::Service(e)) if e.err().answer.is_some() => Ok(e.into_err().answer),
                Err(e) => Err(Unanswered::from(e)),
            }
        }
    }
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

impl ProvideErrorStatus for WorkerError {
    fn status(&self) -> &ErrorStatus {
        &self.status
    }
}

/// Why a call got no response object from its worker.
enum Unanswered {
    /// No answer: refused, timed out, circuit open.
    Unavailable(String),
    /// An answer that is not JSON-RPC.
    Failed(String),
}

impl From<SdkError<WorkerError>> for Unanswered {
    fn from(error: SdkError<WorkerError>) -> Self {
        match error {
            SdkError::Service(e) => {
                Unanswered::Failed(e.err().status.message().unwrap_or("").to_owned())
            }
            SdkError::Response(e) => Unanswered::Failed(e.to_string()),
            SdkError::CircuitOpen(e) => Unanswered::Unavailable(e.to_string()),
            SdkError::Timeout(e) => Unanswered::Unavailable(e.to_string()),
            SdkError::Transport(e) => Unanswered::Unavailable(e.to_string()),
            SdkError::Construction(e) => Unanswered::Failed(e.to_string()),
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
