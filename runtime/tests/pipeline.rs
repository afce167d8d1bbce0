//! The request pipeline against a real HTTP server on 127.0.0.1.

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tinsmith_runtime::error::ConstructionError;
use tinsmith_runtime::pipeline::{OperationInfo, ParseError, invoke};
use tinsmith_runtime::{Config, ErrorStatus, ProvideErrorStatus, RetryConfig, SdkError};

/// Serves `respond(n)` for the n-th request (1-based); returns the base URL and the counter.
async fn server(respond: fn(u32) -> (u16, Duration)) -> (String, Arc<AtomicU32>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let count = Arc::new(AtomicU32::new(0));
    let counter = count.clone();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let counter = counter.clone();
            tokio::spawn(async move {
                let service = service_fn(move |_req| {
                    let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
                    async move {
                        let (status, delay) = respond(n);
                        tokio::time::sleep(delay).await;
                        Ok::<_, Infallible>(
                            hyper::Response::builder()
                                .status(status)
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
    (url, count)
}

mod common;

use common::{SAFE as INFO, TestError};

async fn call(config: &Config, info: OperationInfo<'_>) -> Result<String, SdkError<TestError>> {
    invoke(
        config,
        info,
        |endpoint| {
            http::Request::get(format!("{endpoint}/op"))
                .body(tinsmith_runtime::ByteStream::empty())
                .map_err(|e| ConstructionError::with_source("bad request", e))
        },
        |response| {
            let body = String::from_utf8_lossy(response.body()).into_owned();
            if response.status().is_success() {
                Ok(body)
            } else {
                let status = ErrorStatus::builder()
                    .http_status(response.status().as_u16())
                    .message(body)
                    .build();
                Err(ParseError::Service(Box::new(TestError(status))))
            }
        },
    )
    .await
}

fn config(url: &str) -> Config {
    Config::builder()
        .endpoint(url)
        .retry(RetryConfig::default().with_initial_backoff(Duration::from_millis(1)))
        .build()
}

#[tokio::test]
async fn succeeds_and_retries_transient_errors() {
    let (url, count) = server(|n| (if n < 3 { 503 } else { 200 }, Duration::ZERO)).await;
    assert_eq!(call(&config(&url), INFO).await.unwrap(), "#3");
    assert_eq!(count.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn gives_up_after_max_attempts_with_the_last_error() {
    let (url, count) = server(|_| (503, Duration::ZERO)).await;
    let err = call(&config(&url), INFO).await.unwrap_err();
    let SdkError::Service(service) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(service.attempts(), 3);
    assert_eq!(service.err().status().http_status(), Some(503));
    assert_eq!(service.err().status().message(), Some("#3"));
    assert_eq!(count.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let (url, count) = server(|_| (400, Duration::ZERO)).await;
    assert!(matches!(
        call(&config(&url), INFO).await,
        Err(SdkError::Service(_))
    ));
    assert_eq!(count.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn slow_attempts_time_out() {
    let (url, _) = server(|_| (200, Duration::from_secs(5))).await;
    let config = Config::builder()
        .endpoint(&url)
        .attempt_timeout(Duration::from_millis(50))
        .retry(RetryConfig::disabled())
        .build();
    let err = call(&config, INFO).await.unwrap_err();
    assert!(
        matches!(&err, SdkError::Timeout(t) if t.after() == Duration::from_millis(50)),
        "{err:?}"
    );
}

#[tokio::test]
async fn operation_timeout_bounds_all_retries() {
    let (url, _) = server(|_| (503, Duration::from_millis(30))).await;
    let config = Config::builder()
        .endpoint(&url)
        .operation_timeout(Duration::from_millis(100))
        .retry(
            RetryConfig::default()
                .with_max_attempts(100)
                .with_initial_backoff(Duration::from_millis(1)),
        )
        .build();
    let err = call(&config, INFO).await.unwrap_err();
    assert!(
        matches!(&err, SdkError::Timeout(t) if t.to_string().starts_with("operation timed out")),
        "{err:?}"
    );
}

#[tokio::test]
async fn transport_failures_are_retried_only_when_idempotent() {
    // Bind and drop a listener to get a port nobody listens on.
    let port = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let err = call(
        &config(&url),
        OperationInfo {
            idempotent: false,
            ..INFO
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(err, SdkError::Transport(_)), "{err:?}");
}

#[tokio::test]
async fn a_missing_endpoint_is_a_construction_error() {
    let err = call(&Config::builder().build(), INFO).await.unwrap_err();
    assert!(
        matches!(&err, SdkError::Construction(e) if e.message().contains("no endpoint")),
        "{err:?}"
    );
}
