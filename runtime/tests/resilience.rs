//! Resilience against a real HTTP server on 127.0.0.1 that scripts its
//! failures: retry budget, safety of retries, circuit breaker, request ids
//! and chains, interceptors (tracing is in `tracing.rs`).

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tinsmith_runtime::chain::RequestChain;
use tinsmith_runtime::interceptor::AttemptInfo;
use tinsmith_runtime::pipeline::OperationInfo;
use tinsmith_runtime::transport::{HttpRequest, StreamingResponse};
use tinsmith_runtime::{
    CircuitBreakerConfig, Config, Interceptor, ProvideErrorStatus, RetryConfig, SdkError,
};

mod common;

use common::SAFE;
use common::scripted::{call, fast_retries, server};

#[tokio::test]
async fn a_503_then_success() {
    let (url, count, _) = server(|n| if n == 1 { 503 } else { 200 }).await;
    let config = Config::builder()
        .endpoint(&url)
        .retry(fast_retries(3))
        .build();
    assert_eq!(call(&config, SAFE).await.unwrap(), "#2");
    assert_eq!(count.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn throttling_then_success_backs_off() {
    let (url, count, _) = server(|n| if n == 1 { 429 } else { 200 }).await;
    let config = Config::builder()
        .endpoint(&url)
        .retry(
            RetryConfig::default()
                .with_initial_backoff(Duration::from_millis(200))
                .with_max_backoff(Duration::from_millis(200)),
        )
        .build();
    let started = std::time::Instant::now();
    // Full jitter may pick a short delay; over several calls the backoff shows.
    let mut waited = Duration::ZERO;
    for _ in 0..5 {
        count.store(0, Ordering::SeqCst);
        let t = std::time::Instant::now();
        assert_eq!(call(&config, SAFE).await.unwrap(), "#2");
        waited += t.elapsed();
    }
    assert!(
        waited > Duration::from_millis(100),
        "backoff observed: {waited:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn an_exhausted_budget_fails_fast() {
    let (url, count, _) = server(|_| 503).await;
    // 10 tokens: two ordinary retries (5 each), then nothing.
    let config = Config::builder()
        .endpoint(&url)
        .retry(fast_retries(10))
        .retry_budget(Some(10))
        .build();
    let err = call(&config, SAFE).await.unwrap_err();
    assert!(matches!(err, SdkError::Service(_)), "{err:?}");
    assert_eq!(
        count.load(Ordering::SeqCst),
        3,
        "first attempt + 2 paid retries"
    );
    // The budget is spent: the next call gets no retry at all (0 extra attempts).
    let before = count.load(Ordering::SeqCst);
    let err = call(&config, SAFE).await.unwrap_err();
    let SdkError::Service(service) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(service.attempts(), 1);
    assert_eq!(count.load(Ordering::SeqCst) - before, 1);
    assert_eq!(config.retry_budget().unwrap().available(), 0);
}

#[tokio::test]
async fn a_request_that_may_have_been_processed_is_not_repeated_unless_safe() {
    let (url, count, _) = server(|_| 500).await;
    let config = Config::builder()
        .endpoint(&url)
        .retry(fast_retries(3))
        .build();
    let unsafe_op = OperationInfo {
        idempotent: false,
        ..SAFE
    };
    call(&config, unsafe_op).await.unwrap_err();
    assert_eq!(count.load(Ordering::SeqCst), 1, "not repeated");
    call(&config, SAFE).await.unwrap_err();
    assert_eq!(count.load(Ordering::SeqCst), 4, "repeated when idempotent");
}

#[tokio::test]
async fn the_circuit_opens_fails_fast_probes_and_closes() {
    // Fails until request 4, then succeeds.
    let (url, count, _) = server(|n| if n <= 3 { 503 } else { 200 }).await;
    let config = Config::builder()
        .endpoint(&url)
        .retry(RetryConfig::disabled())
        .circuit_breaker(
            CircuitBreakerConfig::default()
                .with_failure_threshold(3)
                .with_cool_down(Duration::from_millis(100)),
        )
        .build();
    for _ in 0..3 {
        assert!(matches!(
            call(&config, SAFE).await,
            Err(SdkError::Service(_))
        ));
    }
    // Open: 10 calls, none sent.
    for _ in 0..10 {
        let err = call(&config, SAFE).await.unwrap_err();
        assert!(matches!(err, SdkError::CircuitOpen(_)), "{err:?}");
    }
    assert_eq!(count.load(Ordering::SeqCst), 3, "nothing sent while open");
    tokio::time::sleep(Duration::from_millis(120)).await;
    // Half-open: one probe goes through and succeeds; the circuit closes.
    assert_eq!(call(&config, SAFE).await.unwrap(), "#4");
    assert_eq!(call(&config, SAFE).await.unwrap(), "#5");
    assert_eq!(count.load(Ordering::SeqCst), 5);
}

#[tokio::test]
async fn request_ids_and_the_chain_reach_the_server_and_its_id_comes_back() {
    let (url, _, seen) = server(|_| 404).await;
    let config = Config::builder().endpoint(&url).build();
    let chain = RequestChain::parse("a1@gateway").with("b2", "orders");
    let err = chain.scope(call(&config, SAFE)).await.unwrap_err();
    let headers = seen.lock().unwrap()[0].clone();
    assert_eq!(headers["x-request-chain"], "a1@gateway, b2@orders");
    let id = headers["x-request-id"].to_str().unwrap();
    assert_eq!(id.len(), 36, "a fresh UUID: {id}");
    let SdkError::Service(service) = err else {
        panic!()
    };
    assert_eq!(service.err().status().request_id(), Some("server-1"));

    // Outside a scope: an id, no chain; every request a fresh id.
    call(&config, SAFE).await.unwrap_err();
    let seen = seen.lock().unwrap();
    assert!(seen[1].get("x-request-chain").is_none());
    assert_ne!(seen[0]["x-request-id"], seen[1]["x-request-id"]);
}

#[derive(Debug)]
struct Tag(&'static str, Arc<Mutex<Vec<String>>>);

impl Interceptor for Tag {
    fn modify_request(&self, request: &mut HttpRequest, info: AttemptInfo<'_>) {
        self.1
            .lock()
            .unwrap()
            .push(format!("{} request {}", self.0, info.attempt));
        request
            .headers_mut()
            .append("x-tag", http::HeaderValue::from_static(self.0));
    }

    fn read_response(&self, response: &StreamingResponse, info: AttemptInfo<'_>) {
        self.1.lock().unwrap().push(format!(
            "{} response {} {}",
            self.0,
            info.attempt,
            response.status().as_u16()
        ));
    }
}

#[tokio::test]
async fn interceptors_run_in_order_on_every_attempt() {
    let (url, _, seen) = server(|n| if n == 1 { 503 } else { 200 }).await;
    let log = Arc::new(Mutex::new(Vec::new()));
    let config = Config::builder()
        .endpoint(&url)
        .retry(fast_retries(2))
        .interceptor(Tag("first", log.clone()))
        .interceptor(Tag("second", log.clone()))
        .build();
    call(&config, SAFE).await.unwrap();
    assert_eq!(
        *log.lock().unwrap(),
        [
            "first request 1",
            "second request 1",
            "first response 1 503",
            "second response 1 503",
            "first request 2",
            "second request 2",
            "first response 2 200",
            "second response 2 200",
        ]
    );
    let tags: Vec<_> = seen.lock().unwrap()[1]
        .get_all("x-tag")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    assert_eq!(tags, ["first", "second"]);
}

/// The request id and the chain are new on every request: they are sent
/// never-indexed (RFC 7541 §7.1.3), so an HTTP/2 connection does not fill
/// both ends' HPACK tables with values used once.
#[tokio::test]
async fn per_request_ids_are_sent_never_indexed() {
    #[derive(Debug)]
    struct Sensitivity(Arc<Mutex<Vec<(String, bool)>>>);
    impl Interceptor for Sensitivity {
        fn modify_request(&self, request: &mut HttpRequest, _: AttemptInfo<'_>) {
            let mut seen = self.0.lock().unwrap();
            for (name, value) in request.headers() {
                seen.push((name.to_string(), value.is_sensitive()));
            }
        }
    }
    let (url, _, _) = server(|_| 404).await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let config = Config::builder()
        .endpoint(&url)
        .interceptor(Sensitivity(seen.clone()))
        .build();
    let chain = RequestChain::parse("a1@gateway");
    chain.scope(call(&config, SAFE)).await.unwrap_err();
    let seen = seen.lock().unwrap();
    for header in ["x-request-id", "x-request-chain"] {
        assert!(
            seen.contains(&(header.to_owned(), true)),
            "{header} sent never-indexed: {seen:?}"
        );
    }
}
