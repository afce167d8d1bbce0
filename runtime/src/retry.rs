//! The basic retry policy: up to `max_attempts`, exponential backoff with
//! full jitter, capped at `max_backoff`. (Budgets, circuit breaking and the
//! full error-mode table come with the resilience work.)

use std::time::Duration;

/// How a client retries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryConfig {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
}

impl Default for RetryConfig {
    /// Three attempts, backoff from 50 ms up to 5 s.
    fn default() -> Self {
        RetryConfig {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(50),
            max_backoff: Duration::from_secs(5),
        }
    }
}

impl RetryConfig {
    /// Never retry.
    pub fn disabled() -> Self {
        RetryConfig {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Sets the total number of attempts (at least 1).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the backoff before the first retry (doubling after each).
    pub fn with_initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// Sets the longest backoff.
    pub fn with_max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The total number of attempts.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The delay before attempt `attempt + 1`, after `attempt` failed
    /// (1-based): uniformly random in `[0, min(max, initial * 2^(attempt-1))]`.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let exp = self
            .initial_backoff
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(20));
        let cap = exp.min(self.max_backoff);
        cap.mul_f64(fastrand::f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_capped_and_jittered() {
        let r = RetryConfig::default()
            .with_initial_backoff(Duration::from_millis(100))
            .with_max_backoff(Duration::from_millis(300));
        for attempt in 1..10 {
            let cap =
                Duration::from_millis(100 * (1 << (attempt - 1))).min(Duration::from_millis(300));
            for _ in 0..50 {
                assert!(r.backoff(attempt) <= cap);
            }
        }
        let distinct: std::collections::HashSet<_> = (0..20).map(|_| r.backoff(3)).collect();
        assert!(distinct.len() > 1, "jitter varies the delay");
    }
}

/// A token bucket shared by every request of a client, so a failing
/// dependency cannot turn each call into several (a retry storm): a retry
/// spends tokens (more for timeouts and throttling), a success refunds one,
/// and when the bucket is empty failures are returned at once.
#[derive(Debug)]
pub struct RetryBudget {
    capacity: u32,
    tokens: std::sync::Mutex<u32>,
}

/// Tokens a retry after an ordinary failure spends.
pub const RETRY_COST: u32 = 5;
/// Tokens a retry after a timeout or throttling spends.
pub const TIMEOUT_RETRY_COST: u32 = 10;

impl RetryBudget {
    /// A full bucket of `capacity` tokens.
    pub fn new(capacity: u32) -> Self {
        RetryBudget {
            capacity,
            tokens: std::sync::Mutex::new(capacity),
        }
    }

    /// Takes `cost` tokens for a retry; false (and nothing taken) when the
    /// bucket has fewer.
    pub fn try_spend(&self, cost: u32) -> bool {
        let mut tokens = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        if *tokens >= cost {
            *tokens -= cost;
            true
        } else {
            false
        }
    }

    /// Refunds a token after a success, up to the capacity.
    pub fn refund(&self) {
        let mut tokens = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        *tokens = (*tokens + 1).min(self.capacity);
    }

    /// Tokens left.
    pub fn available(&self) -> u32 {
        *self.tokens.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Default for RetryBudget {
    /// 500 tokens: 100 ordinary retries, or 50 after timeouts, before
    /// failures are returned at once.
    fn default() -> Self {
        RetryBudget::new(500)
    }
}
