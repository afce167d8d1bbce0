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
}

/// Builds a [`Config`].
#[derive(Debug, Clone, Default)]
pub struct ConfigBuilder {
    endpoint: Option<String>,
    transport: Option<Arc<dyn Transport>>,
    attempt_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
    retry: Option<RetryConfig>,
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
        }
    }
}
