//! Client configuration shared by every generated client: endpoint (or the
//! values endpoint rules take), transport, timeouts (attempt, operation,
//! body read), retry policy and budget, circuit breaker, request-id headers
//! and interceptors; with the `aws` feature, the region and credentials.

use std::sync::Arc;
use std::time::Duration;

use std::collections::{BTreeMap, HashMap};

use crate::auth::{CachedIdentity, IdentityProvider, SchemeKind};
use crate::circuit::{Breakers, CircuitBreakerConfig};
use crate::endpoint::Value;
use crate::interceptor::Interceptor;
use crate::retry::{RetryBudget, RetryConfig};
use crate::transport::{HyperTransport, Transport};

/// Default header carrying each request's fresh id.
pub const REQUEST_ID_HEADER: &str = "x-request-id";
/// Default header carrying the ids of the upstream requests (`id@service, ...`).
pub const REQUEST_CHAIN_HEADER: &str = "x-request-chain";

/// How long a response body may stall before reading it fails (see
/// [`ConfigBuilder::read_timeout`]).
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// Configuration of a client.
#[derive(Debug, Clone)]
pub struct Config {
    pub(crate) endpoint: Option<String>,
    pub(crate) transport: Arc<dyn Transport>,
    pub(crate) attempt_timeout: Option<Duration>,
    pub(crate) operation_timeout: Option<Duration>,
    pub(crate) read_timeout: Option<Duration>,
    pub(crate) max_response_body: Option<usize>,
    pub(crate) retry: RetryConfig,
    pub(crate) budget: Option<Arc<RetryBudget>>,
    pub(crate) breakers: Option<Arc<Breakers>>,
    /// `None` when the configured name is not a valid header name.
    pub(crate) request_id_header: Option<http::HeaderName>,
    pub(crate) chain_header: Option<http::HeaderName>,
    pub(crate) interceptors: Vec<Arc<dyn Interceptor>>,
    pub(crate) identities: HashMap<SchemeKind, Arc<CachedIdentity>>,
    pub(crate) refresh_on_403: bool,
    pub(crate) allow_unsigned: bool,
    pub(crate) idempotency_token: Option<TokenProvider>,
    pub(crate) endpoint_params: BTreeMap<String, Value>,
    #[cfg(feature = "aws")]
    pub(crate) aws: AwsSettings,
}

/// The region, credentials and clock offset of a client of AWS services.
#[cfg(feature = "aws")]
#[derive(Debug, Clone, Default)]
pub(crate) struct AwsSettings {
    pub(crate) region: Option<String>,
    pub(crate) credentials: Option<Arc<crate::aws::credentials::CredentialsCache>>,
    /// How far the service's clock is ahead of ours, in milliseconds,
    /// learned from a rejected signature (shared by clones).
    pub(crate) clock_skew_ms: Arc<std::sync::atomic::AtomicI64>,
}

/// Makes idempotency tokens (see [`ConfigBuilder::idempotency_token_provider`]).
#[derive(Clone)]
pub(crate) struct TokenProvider(Arc<dyn Fn() -> String + Send + Sync>);

impl std::fmt::Debug for TokenProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenProvider")
    }
}

impl Config {
    /// Starts a configuration.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// The endpoint requests are sent to.
    pub fn endpoint(&self) -> Option<&str> {
        self.endpoint.as_deref()
    }

    /// A value for endpoint rules: a client context parameter by its name
    /// (`ForcePathStyle`) or a built-in by its (`AWS::UseFIPS`), as set with
    /// [`ConfigBuilder::endpoint_param`].
    pub fn endpoint_param(&self, name: &str) -> Option<&Value> {
        self.endpoint_params.get(name)
    }

    /// The AWS region (with the `aws` feature).
    #[cfg(feature = "aws")]
    pub fn region(&self) -> Option<&str> {
        self.aws.region.as_deref()
    }

    /// The retry policy.
    pub fn retry(&self) -> &RetryConfig {
        &self.retry
    }

    /// The retry budget, if any (shared by clones of this configuration).
    pub fn retry_budget(&self) -> Option<&RetryBudget> {
        self.budget.as_deref()
    }

    /// A token for an `@idempotencyToken` member the caller left unset: a
    /// random UUID, unless a provider was configured.
    pub fn idempotency_token(&self) -> String {
        match &self.idempotency_token {
            Some(provider) => (provider.0)(),
            None => crate::idempotency_token(),
        }
    }
}

/// Builds a [`Config`].
#[derive(Debug, Clone, Default)]
pub struct ConfigBuilder {
    endpoint: Option<String>,
    transport: Option<Arc<dyn Transport>>,
    attempt_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
    read_timeout: Option<Option<Duration>>,
    max_response_body: Option<usize>,
    retry: Option<RetryConfig>,
    budget: Option<Option<u32>>,
    circuit_breaker: Option<CircuitBreakerConfig>,
    request_id_headers: Option<(String, String)>,
    interceptors: Vec<Arc<dyn Interceptor>>,
    identities: HashMap<SchemeKind, Arc<CachedIdentity>>,
    refresh_on_403: bool,
    allow_unsigned: bool,
    idempotency_token: Option<TokenProvider>,
    endpoint_params: BTreeMap<String, Value>,
    #[cfg(feature = "aws")]
    aws: AwsSettings,
}

impl ConfigBuilder {
    /// The base URL of the service, e.g. `https://api.example.com`.
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Some(url.into());
        self
    }

    /// The HTTP transport (default: [`HyperTransport`]).
    pub fn transport(mut self, transport: impl Transport) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// The longest one attempt (request and response) may take.
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// The longest a whole operation, retries included, may take.
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.operation_timeout = Some(timeout);
        self
    }

    /// The longest a response body may stall: a read that waits longer for
    /// the next chunk fails with a timeout (default
    /// [`DEFAULT_READ_TIMEOUT`]; `None` waits forever). It guards streamed
    /// bodies after `send` returned, where the attempt and operation
    /// timeouts no longer apply.
    pub fn read_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.read_timeout = Some(timeout);
        self
    }

    /// The largest response body read whole (every response but a streamed
    /// output's) that the client accepts, in bytes; a longer one fails the
    /// call with a response error as soon as it passes the limit, so a
    /// misbehaving service cannot exhaust memory (default: no limit).
    pub fn max_response_body(mut self, bytes: usize) -> Self {
        self.max_response_body = Some(bytes);
        self
    }

    /// The retry policy (default: [`RetryConfig::default`]).
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// The retry budget shared by every call of this client (and its
    /// clones): `Some(tokens)` (default 500, see [`RetryBudget`]) or `None`
    /// for no budget.
    pub fn retry_budget(mut self, tokens: Option<u32>) -> Self {
        self.budget = Some(tokens);
        self
    }

    /// Turns on a circuit breaker per endpoint (off by default; see
    /// [`crate::circuit`]).
    pub fn circuit_breaker(mut self, config: CircuitBreakerConfig) -> Self {
        self.circuit_breaker = Some(config);
        self
    }

    /// The headers carrying the request id and the upstream chain
    /// (defaults: [`REQUEST_ID_HEADER`], [`REQUEST_CHAIN_HEADER`]). A name
    /// that is not a valid HTTP header name (RFC 9110 §5.1) turns that
    /// header off. Both are sent never-indexed (RFC 7541 §7.1.3: each value
    /// is unique, so HPACK would only fill its table), which `http` marks
    /// as sensitive: an interceptor that prints the request's headers with
    /// `Debug` sees `Sensitive` for them; read them with
    /// `HeaderValue::to_str`.
    pub fn request_id_headers(mut self, id: impl Into<String>, chain: impl Into<String>) -> Self {
        self.request_id_headers = Some((id.into(), chain.into()));
        self
    }

    /// Adds an interceptor; interceptors run in the order they were added
    /// (see [`Interceptor`]).
    pub fn interceptor(mut self, interceptor: impl Interceptor) -> Self {
        self.interceptors.push(Arc::new(interceptor));
        self
    }

    /// Credentials for `@httpBearerAuth` (see [`crate::auth`]).
    pub fn bearer_token(mut self, provider: impl IdentityProvider) -> Self {
        self.identities.insert(
            SchemeKind::Bearer,
            Arc::new(CachedIdentity::new(Arc::new(provider))),
        );
        self
    }

    /// Credentials for `@httpApiKeyAuth`.
    pub fn api_key(mut self, provider: impl IdentityProvider) -> Self {
        self.identities.insert(
            SchemeKind::ApiKey,
            Arc::new(CachedIdentity::new(Arc::new(provider))),
        );
        self
    }

    /// Credentials for `@httpBasicAuth` (`Identity::basic(user, password)`).
    pub fn basic_auth(mut self, provider: impl IdentityProvider) -> Self {
        self.identities.insert(
            SchemeKind::Basic,
            Arc::new(CachedIdentity::new(Arc::new(provider))),
        );
        self
    }

    /// Also refresh credentials and retry once on 403 (always on 401).
    pub fn refresh_auth_on_403(mut self, refresh: bool) -> Self {
        self.refresh_on_403 = refresh;
        self
    }

    /// Sends operations unsigned whose only auth schemes are ones this
    /// client has no credentials for and cannot sign with otherwise (such as
    /// `aws.auth#sigv4` without a credentials provider, or without the
    /// runtime's `aws` feature; default `false`: such calls fail with a
    /// construction error and nothing is sent). For an [`Interceptor`] that signs them itself, or a local
    /// service that does not check signatures.
    pub fn allow_unsigned(mut self, allow: bool) -> Self {
        self.allow_unsigned = allow;
        self
    }

    /// Sets a value endpoint rules take (`smithy.rules#endpointRuleSet`): a
    /// client context parameter of the service by its name
    /// (`.endpoint_param("ForcePathStyle", true)` for S3), or a built-in by
    /// its (`.endpoint_param("AWS::UseFIPS", true)`). The generated client
    /// reads it when it builds the rules' parameters for each call; a name
    /// the service's rules do not use is ignored.
    pub fn endpoint_param(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.endpoint_params.insert(name.into(), value.into());
        self
    }

    /// The AWS region requests go to and are signed for (`us-east-1`).
    #[cfg(feature = "aws")]
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.aws.region = Some(region.into());
        self
    }

    /// Credentials for `aws.auth#sigv4`: fixed [`Credentials`](crate::aws::Credentials)
    /// or any [`ProvideCredentials`](crate::aws::ProvideCredentials). The
    /// client caches them and reloads them before they expire.
    #[cfg(feature = "aws")]
    pub fn credentials_provider(mut self, provider: impl crate::aws::ProvideCredentials) -> Self {
        self.aws.credentials = Some(Arc::new(crate::aws::credentials::CredentialsCache::new(
            Arc::new(provider),
        )));
        self
    }

    /// Uses FIPS endpoints (the `AWS::UseFIPS` built-in).
    #[cfg(feature = "aws")]
    pub fn use_fips(self, fips: bool) -> Self {
        self.endpoint_param("AWS::UseFIPS", fips)
    }

    /// Uses dual-stack (IPv4 and IPv6) endpoints (the `AWS::UseDualStack`
    /// built-in).
    #[cfg(feature = "aws")]
    pub fn use_dual_stack(self, dual_stack: bool) -> Self {
        self.endpoint_param("AWS::UseDualStack", dual_stack)
    }

    /// Sets up the client the way the AWS CLI is: the region from
    /// `AWS_REGION`, `AWS_DEFAULT_REGION` or the selected profile
    /// (`AWS_PROFILE`, else `default`) unless one was set, and credentials
    /// from the environment or that profile
    /// ([`DefaultCredentials`](crate::aws::DefaultCredentials)) unless a
    /// provider was set. Reads the profile files now; credentials load on
    /// the first call.
    #[cfg(feature = "aws")]
    pub fn aws_defaults(mut self) -> Self {
        if self.aws.region.is_none() {
            self.aws.region = crate::aws::profile::region();
        }
        if self.aws.credentials.is_none() {
            self = self.credentials_provider(crate::aws::DefaultCredentials::new());
        }
        self
    }

    /// Makes idempotency tokens with `provider` instead of random UUIDs
    /// (for tests that need fixed tokens).
    pub fn idempotency_token_provider(
        mut self,
        provider: impl Fn() -> String + Send + Sync + 'static,
    ) -> Self {
        self.idempotency_token = Some(TokenProvider(Arc::new(provider)));
        self
    }

    /// Builds the configuration.
    pub fn build(self) -> Config {
        Config {
            endpoint: self.endpoint,
            transport: self
                .transport
                .unwrap_or_else(|| Arc::new(HyperTransport::new())),
            attempt_timeout: self.attempt_timeout,
            operation_timeout: self.operation_timeout,
            read_timeout: self.read_timeout.unwrap_or(Some(DEFAULT_READ_TIMEOUT)),
            max_response_body: self.max_response_body,
            retry: self.retry.unwrap_or_default(),
            budget: match self.budget {
                None => Some(Arc::new(RetryBudget::default())),
                Some(None) => None,
                Some(Some(tokens)) => Some(Arc::new(RetryBudget::new(tokens))),
            },
            breakers: self.circuit_breaker.map(|c| Arc::new(Breakers::new(c))),
            request_id_header: header_name(
                self.request_id_headers
                    .as_ref()
                    .map_or(REQUEST_ID_HEADER, |(id, _)| id),
            ),
            chain_header: header_name(
                self.request_id_headers
                    .as_ref()
                    .map_or(REQUEST_CHAIN_HEADER, |(_, chain)| chain),
            ),
            interceptors: self.interceptors,
            identities: self.identities,
            refresh_on_403: self.refresh_on_403,
            allow_unsigned: self.allow_unsigned,
            idempotency_token: self.idempotency_token,
            endpoint_params: self.endpoint_params,
            #[cfg(feature = "aws")]
            aws: self.aws,
        }
    }
}

fn header_name(name: &str) -> Option<http::HeaderName> {
    http::HeaderName::from_bytes(name.as_bytes()).ok()
}
