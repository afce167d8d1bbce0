//! Request-id chains across services.
//!
//! Every request a client sends carries a fresh id in the request-id header
//! (default `x-request-id`). When the call is made inside [`RequestChain::scope`]
//! — for example in a server handler that received a chain — the chain
//! header (default `x-request-chain`) carries the ids of the upstream
//! requests as `id@service` entries, so one user request can be traced
//! through a gateway and its workers.
//!
//! ```
//! use tinsmith_runtime::chain::RequestChain;
//! # async fn handler(incoming_chain: Option<&str>, incoming_id: &str) {
//! // In a handler of the `orders` service that received a request:
//! let chain = RequestChain::parse(incoming_chain.unwrap_or("")).with(incoming_id, "orders");
//! chain.scope(async {
//!     // Calls made here send `x-request-chain: <upstream...>, <incoming_id>@orders`.
//! }).await;
//! # }
//! ```

use std::future::Future;

tokio::task_local! {
    static CURRENT: RequestChain;
}

/// The ids of the upstream requests, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestChain {
    entries: Vec<String>,
}

impl RequestChain {
    /// Parses a chain header value (`id@service, id@service`).
    pub fn parse(header: &str) -> Self {
        RequestChain {
            entries: header
                .split(',')
                .map(str::trim)
                .filter(|e| !e.is_empty())
                .map(str::to_owned)
                .collect(),
        }
    }

    /// The chain extended with one more request (`id@service`).
    pub fn with(mut self, request_id: &str, service: &str) -> Self {
        self.entries.push(format!("{request_id}@{service}"));
        self
    }

    /// Keeps only the entries `keep` accepts.
    pub fn retain(&mut self, keep: impl FnMut(&String) -> bool) {
        self.entries.retain(keep);
    }

    /// Drops the oldest entries beyond the `n` most recent ones.
    pub fn keep_last(&mut self, n: usize) {
        let excess = self.entries.len().saturating_sub(n);
        self.entries.drain(..excess);
    }

    /// The entries, oldest first.
    pub fn entries(&self) -> &[String] {
        &self.entries
    }

    /// The header value, or `None` for an empty chain.
    pub fn header_value(&self) -> Option<String> {
        (!self.entries.is_empty()).then(|| self.entries.join(", "))
    }

    /// Runs `future` with this chain as the current one: clients called
    /// inside send it.
    pub async fn scope<F: Future>(self, future: F) -> F::Output {
        CURRENT.scope(self, future).await
    }

    /// The chain of the current scope, if any.
    pub fn current() -> Option<RequestChain> {
        CURRENT.try_with(Clone::clone).ok()
    }
}
