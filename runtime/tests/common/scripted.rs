//! A scripted HTTP server on 127.0.0.1 and an operation that calls it,
//! for the resilience and tracing tests.
#![allow(dead_code)] // Each test binary uses its part.

use std::convert::Infallible;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tinsmith_runtime::error::ConstructionError;
use tinsmith_runtime::pipeline::{OperationInfo, ParseError, invoke};
use tinsmith_runtime::{Config, RetryConfig, SdkError};

use super::TestError;

/// What the server saw: the headers of each request.
pub type Seen = Arc<Mutex<Vec<http::HeaderMap>>>;

/// Serves `respond(n)` (status) for the n-th request; answers with a
/// request id of its own.
pub async fn server(respond: fn(u32) -> u16) -> (String, Arc<AtomicU32>, Seen) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let count = Arc::new(AtomicU32::new(0));
    let seen: Seen = Arc::default();
    let (counter, log) = (count.clone(), seen.clone());
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let (counter, log) = (counter.clone(), log.clone());
            tokio::spawn(async move {
                let service = service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                    let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
                    log.lock().unwrap().push(req.headers().clone());
                    async move {
                        Ok::<_, Infallible>(
                            hyper::Response::builder()
                                .status(respond(n))
                                .header("x-amzn-requestid", format!("server-{n}"))
                                .body(Full::new(Bytes::from(format!("#{n}"))))
                                .unwrap(),
                        )
                    }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    (url, count, seen)
}

pub async fn call(config: &Config, info: OperationInfo<'_>) -> Result<String, SdkError<TestError>> {
    invoke(
        config,
        info,
        |endpoint| {
            http::Request::post(format!("{endpoint}/op"))
                .header("authorization", "Bearer secret-token")
                .body(tinsmith_runtime::ByteStream::empty())
                .map_err(|e| ConstructionError::with_source("bad request", e))
        },
        |response| {
            if response.status().is_success() {
                Ok(String::from_utf8_lossy(response.body()).into_owned())
            } else {
                let status = tinsmith_runtime::binding::error_status(
                    &response,
                    None,
                    None,
                    None,
                    Default::default(),
                );
                Err(ParseError::Service(Box::new(TestError(status))))
            }
        },
    )
    .await
}

pub fn fast_retries(attempts: u32) -> RetryConfig {
    RetryConfig::default()
        .with_max_attempts(attempts)
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(2))
}
