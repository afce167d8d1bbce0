//! The error-mode table: what the client does with each kind of failure.
//!
//! One function, [`classify`], decides for every failed attempt whether it
//! may be retried, whether it is throttling (which backs off and spends more
//! of the retry budget), whether the credentials should be refreshed, and
//! whether it counts against the endpoint's circuit breaker.
//!
//! | failure | retried | throttling | refresh auth | breaker failure |
//! |---|---|---|---|---|
//! | connection refused / reset before the request was sent | always | no | no | yes |
//! | transport error after the request may have been sent | if safe to repeat | no | no | yes |
//! | timeout (attempt) | if safe to repeat | no | no | yes |
//! | 400 Bad Request | no | no | no | no |
//! | 401 Unauthorized | once, after a refresh | no | yes | no |
//! | 403 Forbidden | once, after a refresh, only if the auth scheme refreshes on 403 | no | scheme's choice | no |
//! | 404 Not Found | no | no | no | no |
//! | 408 Request Timeout | always (not processed) | no | no | no |
//! | 429 Too Many Requests | always (not processed) | yes | no | no |
//! | 500 Internal Server Error | if safe to repeat | no | no | yes |
//! | 502 Bad Gateway | if safe to repeat | no | no | yes |
//! | 503 Service Unavailable | always (not processed) | no | no | yes |
//! | 504 Gateway Timeout | if safe to repeat | no | no | yes |
//! | modeled `@retryable` error | always (the model says so) | no | no | no |
//! | modeled `@retryable(throttling: true)` | always | yes | no | no |
//! | unparseable response | no | no | no | no |
//!
//! "Safe to repeat" means the operation is `@readonly` or `@idempotent`, or
//! carries an `@idempotencyToken`; otherwise a request that may already have
//! been processed is not sent again.

/// A failed attempt, as the classifier sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The request never left: connection refused, DNS, TLS handshake.
    NotSent,
    /// The transport failed after the request may have been sent.
    Transport,
    /// The attempt timed out.
    Timeout,
    /// The service answered with an error.
    Status {
        /// The HTTP status code.
        status: u16,
        /// The model marks the error `@retryable`.
        retryable: bool,
        /// The model marks the error `@retryable(throttling: true)`.
        throttling: bool,
    },
    /// The response could not be understood.
    Unparseable,
}

/// Whether a failure may be retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// Never.
    No,
    /// Always: the request was not processed, or the model says so.
    Yes,
    /// Only when the operation is safe to repeat.
    IfSafe,
}

/// What to do about a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    /// Whether to retry.
    pub retry: Retry,
    /// Throttling: back off, and spend more of the retry budget.
    pub throttling: bool,
    /// Refresh the credentials and retry once (401; 403 where the scheme says so).
    pub refresh_auth: bool,
    /// Counts as a failure of the endpoint for the circuit breaker.
    pub breaker_failure: bool,
}

const fn decision(
    retry: Retry,
    throttling: bool,
    refresh_auth: bool,
    breaker_failure: bool,
) -> Decision {
    Decision {
        retry,
        throttling,
        refresh_auth,
        breaker_failure,
    }
}

/// Classifies a failure; `refresh_on_403` comes from the auth scheme.
pub fn classify(failure: Failure, refresh_on_403: bool) -> Decision {
    use Retry::{IfSafe, No, Yes};
    match failure {
        Failure::NotSent => decision(Yes, false, false, true),
        Failure::Transport | Failure::Timeout => decision(IfSafe, false, false, true),
        Failure::Unparseable => decision(No, false, false, false),
        Failure::Status {
            throttling: true, ..
        } => decision(Yes, true, false, false),
        Failure::Status {
            retryable: true, ..
        } => decision(Yes, false, false, false),
        Failure::Status { status, .. } => match status {
            401 => decision(No, false, true, false),
            403 => decision(No, false, refresh_on_403, false),
            408 => decision(Yes, false, false, false),
            429 => decision(Yes, true, false, false),
            503 => decision(Yes, false, false, true),
            500 | 502 | 504 => decision(IfSafe, false, false, true),
            _ if status >= 500 => decision(No, false, false, true),
            _ => decision(No, false, false, false),
        },
    }
}

impl Decision {
    /// True when this failure may be retried for an operation that is (or
    /// is not) safe to repeat.
    pub fn allows_retry(&self, safe_to_repeat: bool) -> bool {
        match self.retry {
            Retry::No => false,
            Retry::Yes => true,
            Retry::IfSafe => safe_to_repeat,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(status: u16) -> Failure {
        Failure::Status {
            status,
            retryable: false,
            throttling: false,
        }
    }

    /// Every row of the table in the module docs.
    #[test]
    fn the_error_mode_table() {
        let rows: &[(Failure, Retry, bool, bool, bool)] = &[
            (Failure::NotSent, Retry::Yes, false, false, true),
            (Failure::Transport, Retry::IfSafe, false, false, true),
            (Failure::Timeout, Retry::IfSafe, false, false, true),
            (status(400), Retry::No, false, false, false),
            (status(401), Retry::No, false, true, false),
            (status(403), Retry::No, false, false, false),
            (status(404), Retry::No, false, false, false),
            (status(408), Retry::Yes, false, false, false),
            (status(429), Retry::Yes, true, false, false),
            (status(500), Retry::IfSafe, false, false, true),
            (status(502), Retry::IfSafe, false, false, true),
            (status(503), Retry::Yes, false, false, true),
            (status(504), Retry::IfSafe, false, false, true),
            (
                Failure::Status {
                    status: 400,
                    retryable: true,
                    throttling: false,
                },
                Retry::Yes,
                false,
                false,
                false,
            ),
            (
                Failure::Status {
                    status: 400,
                    retryable: true,
                    throttling: true,
                },
                Retry::Yes,
                true,
                false,
                false,
            ),
            (Failure::Unparseable, Retry::No, false, false, false),
        ];
        for (failure, retry, throttling, refresh, breaker) in rows {
            let d = classify(*failure, false);
            assert_eq!(
                (d.retry, d.throttling, d.refresh_auth, d.breaker_failure),
                (*retry, *throttling, *refresh, *breaker),
                "{failure:?}"
            );
        }
        assert!(classify(status(403), true).refresh_auth);
        assert!(!classify(status(500), false).allows_retry(false));
        assert!(classify(status(500), false).allows_retry(true));
    }
}
