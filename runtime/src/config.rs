//! Client configuration shared by every generated client: endpoint,
//! transport, timeouts and retry policy.

use std::sync::Arc;
use std::time::Duration;

use crate::retry::RetryConfig;
use crate::transport::{HyperTransport, Transport};

/// Configuration of a client.
#[derive(Debug, Clone)]
pub struct Config {
    pub(crate) endpoint: Option<String>,
    pub(crate) transport: Arc<dyn Transport>,
    pub(crate) attempt_timeout: Option<Duration>,
    pub(crate) operation_timeout: Option<Duration>,
    pub(crate) retry: RetryConfig,
    pub(crate) idempotency_token: Option<TokenProvider>,
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

    /// The retry policy.
    pub fn retry(&self) -> &RetryConfig {
        &self.retry
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
    retry: Option<RetryConfig>,
    idempotency_token: Option<TokenProvider>,
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

    /// The retry policy (default: [`RetryConfig::default`]).
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
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
            retry: self.retry.unwrap_or_default(),
            idempotency_token: self.idempotency_token,
        }
    }
}
