//! The request pipeline every generated operation runs: build the request
//! against the endpoint, send it with a per-attempt timeout, parse the
//! response, retry what may be retried with backoff, all within an optional
//! operation timeout.

use std::future::Future;

use crate::config::Config;
use crate::error::{ConstructionError, ProvideErrorStatus, ResponseError, SdkError, TimeoutError};
use crate::transport::{HttpRequest, HttpResponse};

/// What parsing a response produced when it was not the output.
#[derive(Debug)]
pub enum ParseError<E> {
    /// The service answered with an error (modeled or not), boxed so the
    /// parser's `Result` stays small.
    Service(Box<E>),
    /// The response could not be understood.
    Unparseable(ResponseError),
}

/// Facts about the operation the pipeline needs.
#[derive(Debug, Clone, Copy)]
pub struct OperationInfo {
    /// The service's name.
    pub service: &'static str,
    /// The operation's name.
    pub operation: &'static str,
    /// True when sending the request twice is safe (`@readonly`, `@idempotent`).
    pub idempotent: bool,
}

/// Runs one operation. `build` makes the request for the endpoint (it is
/// called once per attempt); `parse` turns a response into the output or an
/// error.
pub async fn invoke<O, E>(
    config: &Config,
    info: OperationInfo,
    build: impl Fn(&str) -> Result<HttpRequest, ConstructionError>,
    parse: impl Fn(HttpResponse) -> Result<O, ParseError<E>>,
) -> Result<O, SdkError<E>>
where
    E: ProvideErrorStatus,
{
    let attempts = run_attempts(config, info, build, parse);
    match config.operation_timeout {
        Some(limit) => match tokio::time::timeout(limit, attempts).await {
            Ok(result) => result,
            Err(_) => Err(SdkError::Timeout(TimeoutError::new("operation", limit))),
        },
        None => attempts.await,
    }
}

async fn run_attempts<O, E: ProvideErrorStatus>(
    config: &Config,
    info: OperationInfo,
    build: impl Fn(&str) -> Result<HttpRequest, ConstructionError>,
    parse: impl Fn(HttpResponse) -> Result<O, ParseError<E>>,
) -> Result<O, SdkError<E>> {
    let Some(endpoint) = config.endpoint.as_deref() else {
        return Err(SdkError::Construction(ConstructionError::new(format!(
            "no endpoint configured for {}; set one with Config::builder().endpoint(..)",
            info.service
        ))));
    };
    let max_attempts = config.retry.max_attempts();
    let mut attempt = 0;
    loop {
        attempt += 1;
        let request = build(endpoint).map_err(SdkError::Construction)?;
        let outcome = with_timeout(config, config.transport.send(request)).await;
        let error = match outcome {
            Ok(Ok(response)) => match parse(response) {
                Ok(output) => return Ok(output),
                Err(ParseError::Service(e)) => {
                    let e = *e;
                    let retry = e.is_retryable()
                        || e.is_throttling()
                        || transient(e.status().http_status());
                    if !retry || attempt >= max_attempts {
                        return Err(SdkError::service(e, attempt));
                    }
                    SdkError::service(e, attempt)
                }
                Err(ParseError::Unparseable(e)) => return Err(SdkError::Response(e)),
            },
            // The request may or may not have reached the service: only
            // idempotent operations are retried after a transport failure.
            Ok(Err(e)) if info.idempotent && attempt < max_attempts => SdkError::Transport(e),
            Ok(Err(e)) => return Err(SdkError::Transport(e)),
            Err(timeout) if info.idempotent && attempt < max_attempts => SdkError::Timeout(timeout),
            Err(timeout) => return Err(SdkError::Timeout(timeout)),
        };
        drop(error);
        tokio::time::sleep(config.retry.backoff(attempt)).await;
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

/// Server-side statuses that say "try again": 500, 502, 503, 504, 429.
fn transient(status: Option<u16>) -> bool {
    matches!(status, Some(429 | 500 | 502 | 503 | 504))
}
