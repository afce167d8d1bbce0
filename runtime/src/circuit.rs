//! A circuit breaker per endpoint: after `failure_threshold` consecutive
//! failures (transport errors, timeouts, 5xx — see [`crate::classify`]) the
//! circuit opens and calls fail at once with [`CircuitOpenError`] instead of
//! hammering an unresponsive server. After `cool_down` one probe request is
//! let through (half-open): success closes the circuit, failure opens it
//! again. Other calls meanwhile are told how long until the next probe; a
//! probe whose outcome never comes (its call was dropped) holds the circuit
//! for one cool-down at most, then another probe goes.
//!
//! Off by default: a client cannot know how a service fails, and the retry
//! budget already stops retry storms. Turn it on with
//! `ConfigBuilder::circuit_breaker`.

use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Circuit breaker settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CircuitBreakerConfig {
    failure_threshold: u32,
    cool_down: Duration,
}

impl Default for CircuitBreakerConfig {
    /// Opens after 5 consecutive failures; probes after 10 s.
    fn default() -> Self {
        CircuitBreakerConfig {
            failure_threshold: 5,
            cool_down: Duration::from_secs(10),
        }
    }
}

impl CircuitBreakerConfig {
    /// Consecutive failures that open the circuit (at least 1).
    pub fn with_failure_threshold(mut self, failures: u32) -> Self {
        self.failure_threshold = failures.max(1);
        self
    }

    /// How long the circuit stays open before a probe.
    pub fn with_cool_down(mut self, cool_down: Duration) -> Self {
        self.cool_down = cool_down;
        self
    }
}

#[derive(Debug, Clone, Copy)]
enum State {
    Closed {
        failures: u32,
    },
    Open {
        until: Instant,
    },
    /// A probe is out. If its outcome never comes (its call was dropped),
    /// another probe is let through after one more cool-down.
    Probing {
        until: Instant,
    },
}

/// The breakers of a client, one per endpoint.
#[derive(Debug)]
pub(crate) struct Breakers {
    config: CircuitBreakerConfig,
    states: Mutex<HashMap<String, State>>,
}

/// A call the circuit let through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Permit {
    /// The circuit is closed.
    Normal,
    /// The one probe of a half-open circuit.
    Probe,
}

impl Breakers {
    pub(crate) fn new(config: CircuitBreakerConfig) -> Self {
        Breakers {
            config,
            states: Mutex::new(HashMap::new()),
        }
    }

    /// Asks to send a request to `endpoint`.
    pub(crate) fn admit(&self, endpoint: &str) -> Result<Permit, CircuitOpenError> {
        let mut states = self.states.lock().unwrap_or_else(|e| e.into_inner());
        let state = states
            .entry(endpoint.to_owned())
            .or_insert(State::Closed { failures: 0 });
        let now = Instant::now();
        match *state {
            State::Closed { .. } => Ok(Permit::Normal),
            State::Open { until } | State::Probing { until } if now >= until => {
                *state = State::Probing {
                    until: now + self.config.cool_down,
                };
                Ok(Permit::Probe)
            }
            State::Open { until } | State::Probing { until } => Err(CircuitOpenError {
                endpoint: endpoint.to_owned(),
                retry_after: until - now,
            }),
        }
    }

    /// Records the outcome of an admitted request.
    pub(crate) fn record(&self, endpoint: &str, permit: Permit, failed: bool) {
        let mut states = self.states.lock().unwrap_or_else(|e| e.into_inner());
        let state = states
            .entry(endpoint.to_owned())
            .or_insert(State::Closed { failures: 0 });
        let open = State::Open {
            until: Instant::now() + self.config.cool_down,
        };
        *state = match (*state, permit, failed) {
            (_, Permit::Probe, true) => open,
            (_, Permit::Probe, false) => State::Closed { failures: 0 },
            (State::Closed { failures }, Permit::Normal, true) => {
                if failures + 1 >= self.config.failure_threshold {
                    open
                } else {
                    State::Closed {
                        failures: failures + 1,
                    }
                }
            }
            (State::Closed { .. }, Permit::Normal, false) => State::Closed { failures: 0 },
            // A request admitted before the circuit opened: its outcome
            // changes nothing now.
            (other, Permit::Normal, _) => other,
        };
    }
}

/// The endpoint's circuit is open: the call was not sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CircuitOpenError {
    endpoint: String,
    retry_after: Duration,
}

impl CircuitOpenError {
    /// The endpoint whose circuit is open.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// How long until a probe will be let through.
    pub fn retry_after(&self) -> Duration {
        self.retry_after
    }
}

impl fmt::Display for CircuitOpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "circuit open for {}: not sending (next probe in {:?})",
            self.endpoint, self.retry_after
        )
    }
}

impl std::error::Error for CircuitOpenError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_probes_and_closes() {
        let breakers = Breakers::new(
            CircuitBreakerConfig::default()
                .with_failure_threshold(2)
                .with_cool_down(Duration::from_millis(20)),
        );
        let e = "http://x";
        for _ in 0..2 {
            let p = breakers.admit(e).unwrap();
            breakers.record(e, p, true);
        }
        assert!(breakers.admit(e).is_err(), "open after 2 failures");
        std::thread::sleep(Duration::from_millis(25));
        let probe = breakers.admit(e).unwrap();
        assert_eq!(probe, Permit::Probe);
        assert!(breakers.admit(e).is_err(), "one probe at a time");
        breakers.record(e, probe, false);
        assert_eq!(breakers.admit(e).unwrap(), Permit::Normal, "closed again");
    }

    #[test]
    fn a_probe_whose_call_was_dropped_does_not_wedge_the_circuit() {
        let breakers = Breakers::new(
            CircuitBreakerConfig::default()
                .with_failure_threshold(1)
                .with_cool_down(Duration::from_millis(20)),
        );
        let e = "http://x";
        let p = breakers.admit(e).unwrap();
        breakers.record(e, p, true);
        std::thread::sleep(Duration::from_millis(25));
        // The probe's outcome never comes.
        assert_eq!(breakers.admit(e).unwrap(), Permit::Probe);
        let waiting = breakers.admit(e).unwrap_err();
        assert!(
            waiting.retry_after() > Duration::ZERO,
            "callers are told how long"
        );
        std::thread::sleep(Duration::from_millis(25));
        let probe = breakers.admit(e).unwrap();
        assert_eq!(probe, Permit::Probe, "another probe after a cool-down");
        breakers.record(e, probe, false);
        assert_eq!(breakers.admit(e).unwrap(), Permit::Normal);
    }
}
