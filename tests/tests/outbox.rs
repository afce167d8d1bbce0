//! The durable outbox end to end: the generated Inventory client's outbox
//! (`AdjustStock`, awsJson1_0, with an `@idempotencyToken`) against a real
//! HTTP server on 127.0.0.1 (axum) that logs every adjustment it receives.
//!
//! Each record carries its sequence number as the adjustment's delta, so the
//! server's log shows order, losses and duplicates: duplicates as the raw
//! requests and after deduplication by the idempotency token, as a service
//! that honours the token would see them.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use inventory::types::StockChange;
use serde_json::{Value, json};
use tinsmith_runtime::outbox::{OnFailure, Outbox, OutboxConfig, OutboxError, RecordId, WhenFull};
use tinsmith_runtime::{CircuitBreakerConfig, Interceptor, RetryConfig};

/// What the server received.
#[derive(Default)]
struct Ledger {
    /// Every `AdjustStock` request: SKU, delta, client token.
    arrivals: Mutex<Vec<(String, i64, String)>>,
    /// SKUs refused with a `ValidationError`.
    refused: Mutex<HashSet<String>>,
    /// SKUs answered with `503 Service Unavailable`.
    unavailable: Mutex<HashSet<String>>,
}

impl Ledger {
    fn arrivals(&self) -> Vec<(String, i64, String)> {
        self.arrivals.lock().unwrap().clone()
    }

    /// The first arrival of each token, in arrival order: what a service
    /// honouring the token applies.
    fn applied(&self) -> Vec<(String, i64)> {
        let mut seen = HashSet::new();
        self.arrivals()
            .into_iter()
            .filter(|(_, _, token)| seen.insert(token.clone()))
            .map(|(sku, delta, _)| (sku, delta))
            .collect()
    }
}

fn reply(status: u16, body: Value) -> Response {
    (
        StatusCode::from_u16(status).unwrap(),
        [("content-type", "application/x-amz-json-1.0")],
        body.to_string(),
    )
        .into_response()
}

async fn handle(State(ledger): State<Arc<Ledger>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let target = parts
        .headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = axum::body::to_bytes(body, 1 << 20).await.unwrap();
    let input: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    if target != "Inventory.AdjustStock" {
        return reply(400, json!({"__type": "UnknownOperationException"}));
    }
    let sku = input["sku"].as_str().unwrap_or_default().to_owned();
    let delta = input["change"]["delta"].as_i64().unwrap_or(-1);
    let token = input["clientToken"].as_str().unwrap_or_default().to_owned();
    ledger
        .arrivals
        .lock()
        .unwrap()
        .push((sku.clone(), delta, token));
    if ledger.unavailable.lock().unwrap().contains(&sku) {
        return reply(503, json!({"__type": "ServiceUnavailable"}));
    }
    if ledger.refused.lock().unwrap().contains(&sku) {
        return reply(
            400,
            json!({"__type": "ValidationError", "message": format!("{sku} is retired")}),
        );
    }
    reply(200, json!({ "quantity": delta }))
}

/// A server that can go down and come back on the same address.
struct Server {
    addr: SocketAddr,
    ledger: Arc<Ledger>,
    running: Option<(
        tokio::sync::oneshot::Sender<()>,
        tokio::task::JoinHandle<()>,
    )>,
}

impl Server {
    async fn start() -> Server {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut server = Server {
            addr: listener.local_addr().unwrap(),
            ledger: Arc::default(),
            running: None,
        };
        server.serve(listener);
        server
    }

    fn serve(&mut self, listener: tokio::net::TcpListener) {
        let app = axum::Router::new()
            .fallback(handle)
            .with_state(self.ledger.clone());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = stopped.await;
                })
                .await
                .unwrap()
        });
        self.running = Some((stop, task));
    }

    /// Stops listening and closes every connection.
    async fn down(&mut self) {
        if let Some((stop, task)) = self.running.take() {
            let _ = stop.send(());
            let _ = task.await;
        }
    }

    async fn up(&mut self) {
        let listener = tokio::net::TcpListener::bind(self.addr).await.unwrap();
        self.serve(listener);
    }

    fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }
}

/// Counts attempts (each HTTP request the client makes).
#[derive(Debug, Clone, Default)]
struct Attempts(Arc<AtomicUsize>);

impl Interceptor for Attempts {
    fn modify_request(
        &self,
        _request: &mut tinsmith_runtime::transport::HttpRequest,
        _info: tinsmith_runtime::interceptor::AttemptInfo<'_>,
    ) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

fn client(endpoint: &str, attempts: &Attempts) -> inventory::Client {
    let config = inventory::Config::builder()
        .endpoint(endpoint)
        .retry(
            RetryConfig::default()
                .with_max_attempts(2)
                .with_initial_backoff(Duration::from_millis(5))
                .with_max_backoff(Duration::from_millis(20)),
        )
        .attempt_timeout(Duration::from_secs(5))
        .interceptor(attempts.clone())
        .build();
    inventory::Client::new(config)
}

fn adjust(client: &inventory::Client, sku: &str, seq: i64) -> inventory::operation::AdjustStock {
    client
        .adjust_stock()
        .sku(sku)
        .change(StockChange::Delta(seq as i32))
}

/// Enqueues an adjustment of `sku` by `seq` under `key`.
async fn put(
    outbox: &Outbox,
    client: &inventory::Client,
    key: &str,
    sku: &str,
    seq: i64,
) -> RecordId {
    outbox
        .enqueue_keyed(key, adjust(client, sku, seq))
        .await
        .unwrap()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "tinsmith-outbox-{name}-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn fast() -> OutboxConfig {
    OutboxConfig::default()
        .with_retry_interval(Duration::from_millis(20), Duration::from_millis(200))
}

/// 100,000 records from 64 concurrent producers, under one key: each
/// arrives exactly once, in commit order, with the default (synced)
/// durability.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_thousand_records_arrive_once_each_in_commit_order() {
    const RECORDS: i64 = 100_000;
    const PRODUCERS: i64 = 64;
    let server = Server::start().await;
    let dir = temp_dir("order");
    let attempts = Attempts::default();
    let client = client(&server.endpoint(), &attempts);
    let outbox = Arc::new(client.outbox(dir.join("outbox.db"), fast()).await.unwrap());
    let started = Instant::now();
    let mut producers = Vec::new();
    for p in 0..PRODUCERS {
        let (outbox, client) = (outbox.clone(), client.clone());
        producers.push(tokio::spawn(async move {
            let mut ids = Vec::new();
            for i in 0..RECORDS / PRODUCERS + i64::from(p < RECORDS % PRODUCERS) {
                let seq = p + i * PRODUCERS;
                ids.push((
                    outbox.enqueue(adjust(&client, "SKU", seq)).await.unwrap(),
                    seq,
                ));
            }
            ids
        }));
    }
    let mut committed: Vec<(RecordId, i64)> = Vec::new();
    for producer in producers {
        committed.extend(producer.await.unwrap());
    }
    let enqueued = started.elapsed();
    let report = outbox.flush(Duration::from_secs(300)).await;
    let delivered = started.elapsed();
    assert!(report.is_drained(), "{report:?}");
    assert_eq!(report.failed, 0);
    committed.sort();
    let expected: Vec<i64> = committed.iter().map(|(_, seq)| *seq).collect();
    let arrivals = server.ledger.arrivals();
    let arrived: Vec<i64> = arrivals.iter().map(|(_, delta, _)| *delta).collect();
    assert_eq!(arrived.len(), RECORDS as usize, "each record once");
    assert!(arrived == expected, "arrivals follow commit order");
    let tokens: HashSet<&str> = arrivals.iter().map(|(_, _, t)| t.as_str()).collect();
    assert_eq!(tokens.len(), RECORDS as usize, "one token per record");
    let stats = outbox.stats().await.unwrap();
    assert_eq!((stats.pending, stats.failed, stats.bytes), (0, 0, 0));
    assert_eq!(stats.delivered, RECORDS as u64);
    eprintln!(
        "outbox: {RECORDS} records enqueued in {enqueued:?}, all delivered after {delivered:?}; {} attempts",
        attempts.0.load(Ordering::Relaxed)
    );
    let _ = std::fs::remove_dir_all(dir);
}

/// The server goes away: the circuit opens and the sender waits for its
/// probes instead of spinning; the queue fills to its bound and the
/// producer waits; when the server is back, everything drains in order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outage_fills_the_queue_pauses_the_producer_then_drains() {
    let mut server = Server::start().await;
    let dir = temp_dir("outage");
    let attempts = Attempts::default();
    let config = inventory::Config::builder()
        .endpoint(server.endpoint())
        .retry(
            RetryConfig::default()
                .with_max_attempts(2)
                .with_initial_backoff(Duration::from_millis(5)),
        )
        .circuit_breaker(
            CircuitBreakerConfig::default()
                .with_failure_threshold(3)
                .with_cool_down(Duration::from_millis(250)),
        )
        .interceptor(attempts.clone())
        .build();
    let client = inventory::Client::new(config);
    let outbox = Arc::new(
        client
            .outbox(
                dir.join("outbox.db"),
                OutboxConfig::default()
                    .with_max_records(50)
                    .with_retry_interval(Duration::from_millis(1), Duration::from_millis(5)),
            )
            .await
            .unwrap(),
    );
    server.down().await;
    let enqueued = Arc::new(AtomicU32::new(0));
    let producer = {
        let (outbox, client, enqueued) = (outbox.clone(), client.clone(), enqueued.clone());
        tokio::spawn(async move {
            for seq in 0..200 {
                outbox.enqueue(adjust(&client, "SKU", seq)).await.unwrap();
                enqueued.fetch_add(1, Ordering::Relaxed);
            }
        })
    };
    tokio::time::sleep(Duration::from_millis(400)).await;
    let before = attempts.0.load(Ordering::Relaxed);
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let during = attempts.0.load(Ordering::Relaxed) - before;
    // The producer waits at the bound.
    assert_eq!(enqueued.load(Ordering::Relaxed), 50);
    let stats = outbox.stats().await.unwrap();
    assert_eq!(stats.pending, 50);
    assert!(stats.oldest_pending.unwrap() >= Duration::from_millis(1000));
    // The sender's own pause is 1–5 ms; without the open circuit it would
    // try hundreds of times a second. With it: one probe per cool-down.
    assert!(during <= 12, "{during} attempts in one second of outage");
    assert!(!producer.is_finished());
    server.up().await;
    tokio::time::timeout(Duration::from_secs(30), producer)
        .await
        .expect("the producer resumes")
        .unwrap();
    let report = outbox.flush(Duration::from_secs(30)).await;
    assert!(report.is_drained(), "{report:?}");
    let applied: Vec<i64> = server
        .ledger
        .applied()
        .into_iter()
        .map(|(_, d)| d)
        .collect();
    assert_eq!(applied, (0..200).collect::<Vec<_>>());
    let _ = std::fs::remove_dir_all(dir);
}

/// A refused record stops its key and nothing else; it is listed with its
/// error; retrying it sends it before the records behind it; discarding
/// one lets its key go on. With `OnFailure::Skip`, its key goes on at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_record_stops_its_key_until_retried_or_discarded() {
    let server = Server::start().await;
    server.ledger.refused.lock().unwrap().insert("BAD".into());
    let dir = temp_dir("failed");
    let attempts = Attempts::default();
    let client = client(&server.endpoint(), &attempts);
    let outbox = client.outbox(dir.join("outbox.db"), fast()).await.unwrap();
    put(&outbox, &client, "a", "A", 1).await;
    let bad = put(&outbox, &client, "a", "BAD", 2).await;
    put(&outbox, &client, "a", "A", 3).await;
    put(&outbox, &client, "b", "B", 1).await;
    put(&outbox, &client, "b", "B", 2).await;
    let report = outbox.flush(Duration::from_millis(1500)).await;
    assert_eq!((report.pending, report.failed), (1, 1));
    let mut applied = server.ledger.applied();
    applied.sort();
    assert_eq!(
        applied,
        [("A", 1), ("B", 1), ("B", 2), ("BAD", 2)].map(|(s, d)| (s.to_owned(), d))
    );
    let failed = outbox.failed(10).await.unwrap();
    assert_eq!(failed.len(), 1);
    let record = &failed[0];
    assert_eq!(record.id, bad);
    assert_eq!(record.key.as_deref(), Some("a"));
    assert_eq!(record.operation, "AdjustStock");
    assert_eq!(record.attempts, 1);
    let failure = record.failure.as_ref().unwrap();
    assert_eq!(failure.code.as_deref(), Some("ValidationError"));
    assert_eq!(failure.message.as_deref(), Some("BAD is retired"));
    assert_eq!(failure.http_status, Some(400));
    let pending = outbox.pending(10).await.unwrap();
    assert_eq!(pending.len(), 1);
    assert!(pending[0].failure.is_none());

    // Retried: it goes first (with its token), then the record it held back.
    server.ledger.refused.lock().unwrap().clear();
    let before = server.ledger.arrivals().len();
    outbox.retry(bad).await.unwrap();
    assert!(outbox.flush(Duration::from_secs(10)).await.is_drained());
    let arrivals = server.ledger.arrivals();
    let tail: Vec<(&str, i64)> = arrivals[before..]
        .iter()
        .map(|(sku, delta, _)| (sku.as_str(), *delta))
        .collect();
    assert_eq!(tail, [("BAD", 2), ("A", 3)]);
    let bad_tokens: HashSet<&str> = arrivals
        .iter()
        .filter(|(sku, _, _)| sku == "BAD")
        .map(|(_, _, token)| token.as_str())
        .collect();
    assert_eq!(
        bad_tokens.len(),
        1,
        "a retried record keeps its idempotency token"
    );
    assert!(matches!(
        outbox.retry(bad).await,
        Err(OutboxError::NoSuchRecord(id)) if id == bad
    ));

    // Discarded: the key goes on without it.
    server.ledger.refused.lock().unwrap().insert("BAD".into());
    let bad = put(&outbox, &client, "a", "BAD", 4).await;
    put(&outbox, &client, "a", "A", 5).await;
    let report = outbox.flush(Duration::from_millis(1000)).await;
    assert_eq!((report.pending, report.failed), (1, 1));
    outbox.discard(bad).await.unwrap();
    let report = outbox.flush(Duration::from_secs(10)).await;
    assert_eq!((report.pending, report.failed), (0, 0));
    assert_eq!(
        server.ledger.applied().last().unwrap(),
        &("A".to_owned(), 5)
    );
    drop(outbox);

    // Skip: the key does not wait.
    let skip = client
        .outbox(dir.join("skip.db"), fast().with_on_failure(OnFailure::Skip))
        .await
        .unwrap();
    skip.enqueue_keyed("c", adjust(&client, "BAD", 6))
        .await
        .unwrap();
    skip.enqueue_keyed("c", adjust(&client, "C", 7))
        .await
        .unwrap();
    let report = skip.flush(Duration::from_secs(10)).await;
    assert_eq!((report.pending, report.failed), (0, 1));
    assert_eq!(
        server.ledger.applied().last().unwrap(),
        &("C".to_owned(), 7)
    );
    let _ = std::fs::remove_dir_all(dir);
}

/// The database's size limit stands in for a full disk: the enqueue that
/// does not fit fails with `DiskFull`, everything committed before is
/// delivered, and once it is, there is room again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_is_a_typed_error_and_loses_nothing_committed() {
    let mut server = Server::start().await;
    server.down().await;
    let dir = temp_dir("full");
    let attempts = Attempts::default();
    let client = client(&server.endpoint(), &attempts);
    let outbox = client
        .outbox(
            dir.join("outbox.db"),
            fast().with_max_file_bytes(Some(128 * 1024)),
        )
        .await
        .unwrap();
    let sku = |seq: i64| format!("{seq:04}-{}", "X".repeat(2000));
    let mut committed = 0;
    let error = loop {
        match outbox
            .enqueue(adjust(&client, &sku(committed), committed))
            .await
        {
            Ok(_) => committed += 1,
            Err(e) => break e,
        }
        assert!(committed < 1000, "the size limit never hit");
    };
    assert!(matches!(error, OutboxError::DiskFull), "{error:?}");
    assert!(committed > 10, "{committed}");
    // Still full: the next one fails too, and nothing is lost.
    assert!(matches!(
        outbox
            .enqueue(adjust(&client, &sku(committed), committed))
            .await,
        Err(OutboxError::DiskFull)
    ));
    assert_eq!(outbox.stats().await.unwrap().pending, committed as u64);
    server.up().await;
    assert!(outbox.flush(Duration::from_secs(30)).await.is_drained());
    let applied: Vec<i64> = server
        .ledger
        .applied()
        .into_iter()
        .map(|(_, d)| d)
        .collect();
    assert_eq!(applied, (0..committed).collect::<Vec<_>>());
    // Delivered records made room.
    outbox
        .enqueue(adjust(&client, &sku(committed), committed))
        .await
        .unwrap();
    assert!(outbox.flush(Duration::from_secs(10)).await.is_drained());
    let _ = std::fs::remove_dir_all(dir);
}

/// Bounds that fail fast; one outbox per file; one service per file;
/// what a closed outbox left is sent by the next one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bounds_locks_services_and_reopening() {
    let mut server = Server::start().await;
    server.down().await;
    let dir = temp_dir("open");
    let path = dir.join("outbox.db");
    let attempts = Attempts::default();
    let client = client(&server.endpoint(), &attempts);
    let config = fast().with_max_records(3).with_when_full(WhenFull::Fail);
    let outbox = client.outbox(&path, config.clone()).await.unwrap();
    for seq in 0..3 {
        outbox.enqueue(adjust(&client, "SKU", seq)).await.unwrap();
    }
    assert!(matches!(
        outbox.enqueue(adjust(&client, "SKU", 3)).await,
        Err(OutboxError::Full { records: 3, .. })
    ));
    let small = client
        .outbox(dir.join("small.db"), fast().with_max_bytes(100))
        .await
        .unwrap();
    assert!(matches!(
        small.enqueue(adjust(&client, "SKU", 0)).await,
        Err(OutboxError::TooLarge { limit: 100, .. })
    ));
    // A missing required member is refused before anything is stored.
    assert!(matches!(
        outbox.enqueue(client.adjust_stock().sku("SKU")).await,
        Err(OutboxError::Construction(_))
    ));
    assert!(matches!(
        client.outbox(&path, config.clone()).await,
        Err(OutboxError::Locked)
    ));
    let weather = weather::Client::new(
        weather::Config::builder()
            .endpoint(server.endpoint())
            .build(),
    );
    let report = outbox.close(Duration::from_millis(50)).await;
    assert_eq!((report.pending, report.failed), (3, 0));
    assert!(matches!(
        weather.outbox(&path, OutboxConfig::default()).await,
        Err(OutboxError::WrongService { .. })
    ));
    server.up().await;
    let outbox = client.outbox(&path, config).await.unwrap();
    assert!(outbox.flush(Duration::from_secs(10)).await.is_drained());
    let applied: Vec<i64> = server
        .ledger
        .applied()
        .into_iter()
        .map(|(_, d)| d)
        .collect();
    assert_eq!(applied, [0, 1, 2]);
    let _ = std::fs::remove_dir_all(dir);
}

/// Runs of a child process killed with SIGKILL at random moments.
const CRASH_RUNS: u32 = 50;
/// Records each child enqueues (it is usually killed before the end).
const CHILD_RECORDS: i64 = 400;

/// A child process, killed with SIGKILL at a random moment, 50 times, then
/// run to completion: every record whose commit a child reported reaches
/// the server; no token arrives twice in a way a token-honouring service
/// would apply twice; each run's records are applied in order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_survive_fifty_kill_nines() {
    let server = Server::start().await;
    let dir = temp_dir("crash");
    let db = dir.join("outbox.db");
    let mut committed: BTreeSet<(String, i64)> = BTreeSet::new();
    let mut random = Lcg(0x5eed_u64 ^ u64::from(std::process::id()));
    for run in 0..=CRASH_RUNS {
        let last = run == CRASH_RUNS;
        let mut child = child_process(
            &db,
            &server.endpoint(),
            run,
            if last { 0 } else { CHILD_RECORDS },
        );
        let stdout = child.stdout.take().unwrap();
        let lines = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .collect::<Vec<_>>()
        });
        if last {
            let status = child.wait().unwrap();
            assert!(status.success());
        } else {
            let wait = Duration::from_millis(random.next() % 400);
            tokio::time::sleep(wait).await;
            child.kill().unwrap();
            child.wait().unwrap();
        }
        let lines = lines.join().unwrap();
        if last {
            assert!(lines.iter().any(|l| l.contains("drained")), "{lines:?}");
        }
        for line in lines {
            if let Some(rest) = line.split("committed ").nth(1) {
                let mut parts = rest.split_whitespace();
                let sku = parts.next().unwrap().to_owned();
                let seq: i64 = parts.next().unwrap().parse().unwrap();
                committed.insert((sku, seq));
            }
        }
    }
    let arrivals = server.ledger.arrivals();
    let applied = server.ledger.applied();
    let delivered: BTreeSet<(String, i64)> = applied.iter().cloned().collect();
    let lost: Vec<_> = committed.difference(&delivered).collect();
    let raw_duplicates = arrivals.len() - delivered.len();
    let token_duplicates = applied.len() - delivered.len();
    let mut order: HashMap<&str, i64> = HashMap::new();
    for (sku, seq) in &applied {
        let previous = order.insert(sku, *seq);
        assert!(
            previous.is_none_or(|p| p < *seq),
            "{sku}: {seq} after {previous:?}"
        );
    }
    eprintln!(
        "outbox crash test: {CRASH_RUNS} kills; {} records committed (reported), {} delivered, \
         {} lost, {raw_duplicates} duplicate requests without token deduplication, \
         {token_duplicates} with it",
        committed.len(),
        delivered.len(),
        lost.len()
    );
    assert!(
        committed.len() > 100,
        "the children committed too little to prove anything"
    );
    assert!(lost.is_empty(), "lost: {lost:?}");
    assert_eq!(token_duplicates, 0);
    let _ = std::fs::remove_dir_all(dir);
}

fn child_process(db: &Path, endpoint: &str, run: u32, records: i64) -> std::process::Child {
    std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "outbox_child",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("OUTBOX_CHILD_DB", db)
        .env("OUTBOX_CHILD_ENDPOINT", endpoint)
        .env("OUTBOX_CHILD_RUN", run.to_string())
        .env("OUTBOX_CHILD_RECORDS", records.to_string())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

/// The child of `records_survive_fifty_kill_nines` (does nothing when run
/// on its own): opens the outbox, enqueues its run's records under the
/// run's key, reporting each commit, then waits for the outbox to drain.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "the child process of records_survive_fifty_kill_nines"]
async fn outbox_child() {
    let Ok(db) = std::env::var("OUTBOX_CHILD_DB") else {
        return;
    };
    let endpoint = std::env::var("OUTBOX_CHILD_ENDPOINT").unwrap();
    let run: u32 = std::env::var("OUTBOX_CHILD_RUN").unwrap().parse().unwrap();
    let records: i64 = std::env::var("OUTBOX_CHILD_RECORDS")
        .unwrap()
        .parse()
        .unwrap();
    let client = client(&endpoint, &Attempts::default());
    // The killed parent's lock is gone with its process.
    let outbox = client.outbox(&db, fast()).await.unwrap();
    let sku = format!("RUN-{run}");
    let mut out = std::io::stdout().lock();
    for seq in 0..records {
        outbox
            .enqueue_keyed(sku.as_str(), adjust(&client, &sku, seq))
            .await
            .unwrap();
        use std::io::Write as _;
        writeln!(out, "committed {sku} {seq}").unwrap();
        out.flush().unwrap();
    }
    drop(out);
    let report = outbox.close(Duration::from_secs(120)).await;
    assert!(report.is_drained(), "{report:?}");
    println!("drained");
}

/// A small deterministic generator for kill times.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

/// A key whose records the service keeps answering with `503` does not
/// hold back other keys, even with more of its records waiting than the
/// sender reads ahead; it drains once the service recovers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_key_does_not_hold_back_other_keys() {
    let server = Server::start().await;
    server
        .ledger
        .unavailable
        .lock()
        .unwrap()
        .insert("SLOW".into());
    let dir = temp_dir("stalled");
    let attempts = Attempts::default();
    let client = client(&server.endpoint(), &attempts);
    let outbox = client.outbox(dir.join("outbox.db"), fast()).await.unwrap();
    for seq in 0..600 {
        put(&outbox, &client, "slow", "SLOW", seq).await;
    }
    for seq in 0..20 {
        put(&outbox, &client, "fast", "FAST", seq).await;
    }
    let report = outbox.flush(Duration::from_secs(3)).await;
    assert_eq!(report.pending, 600, "{report:?}");
    let fast: Vec<i64> = server
        .ledger
        .applied()
        .into_iter()
        .filter(|(sku, _)| sku == "FAST")
        .map(|(_, d)| d)
        .collect();
    assert_eq!(fast, (0..20).collect::<Vec<_>>());
    server.ledger.unavailable.lock().unwrap().clear();
    assert!(outbox.flush(Duration::from_secs(60)).await.is_drained());
    let slow: Vec<i64> = server
        .ledger
        .applied()
        .into_iter()
        .filter(|(sku, _)| sku == "SLOW")
        .map(|(_, d)| d)
        .collect();
    assert_eq!(slow, (0..600).collect::<Vec<_>>());
    let _ = std::fs::remove_dir_all(dir);
}

/// With `OnFailure::Skip`, retrying a failed record while its key has
/// records waiting sends it, then the rest, in order: nothing hangs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retrying_while_the_key_has_records_waiting_sends_everything() {
    let mut server = Server::start().await;
    server.ledger.refused.lock().unwrap().insert("BAD".into());
    let dir = temp_dir("retry-busy");
    let attempts = Attempts::default();
    let client = client(&server.endpoint(), &attempts);
    let outbox = client
        .outbox(
            dir.join("outbox.db"),
            fast().with_on_failure(OnFailure::Skip),
        )
        .await
        .unwrap();
    let bad = put(&outbox, &client, "", "BAD", 0).await;
    let report = outbox.flush(Duration::from_secs(10)).await;
    assert_eq!((report.pending, report.failed), (0, 1));
    server.down().await;
    for seq in 1..=300 {
        put(&outbox, &client, "", "GOOD", seq).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    server.ledger.refused.lock().unwrap().clear();
    outbox.retry(bad).await.unwrap();
    server.up().await;
    let report = outbox.flush(Duration::from_secs(60)).await;
    assert!(report.is_drained(), "{report:?}");
    assert_eq!(report.failed, 0);
    let applied: Vec<i64> = server
        .ledger
        .applied()
        .into_iter()
        .map(|(_, d)| d)
        .collect();
    assert_eq!(applied, (0..=300).collect::<Vec<_>>());
    let _ = std::fs::remove_dir_all(dir);
}

/// A key with two failed records (left by a run that skipped failures),
/// reopened with `StopKey`: retrying the first sends it and stops at the
/// second; the record behind both waits until that one is settled too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_stops_at_each_of_its_failed_records_in_turn() {
    let server = Server::start().await;
    server
        .ledger
        .refused
        .lock()
        .unwrap()
        .extend(["BAD1".to_owned(), "BAD2".to_owned()]);
    let dir = temp_dir("barrier");
    let path = dir.join("outbox.db");
    let attempts = Attempts::default();
    let client = client(&server.endpoint(), &attempts);
    let skip = client
        .outbox(&path, fast().with_on_failure(OnFailure::Skip))
        .await
        .unwrap();
    let first = put(&skip, &client, "k", "BAD1", 1).await;
    let second = put(&skip, &client, "k", "BAD2", 2).await;
    let report = skip.close(Duration::from_secs(10)).await;
    assert_eq!((report.pending, report.failed), (0, 2));

    let outbox = client.outbox(&path, fast()).await.unwrap();
    put(&outbox, &client, "k", "A", 3).await;
    server.ledger.refused.lock().unwrap().remove("BAD1");
    outbox.retry(first).await.unwrap();
    let report = outbox.flush(Duration::from_millis(1000)).await;
    assert_eq!((report.pending, report.failed), (1, 1));
    let sent: Vec<String> = server
        .ledger
        .arrivals()
        .into_iter()
        .map(|(sku, _, _)| sku)
        .collect();
    assert_eq!(sent, ["BAD1", "BAD2", "BAD1"], "A waits behind BAD2");
    outbox.discard(second).await.unwrap();
    assert!(outbox.flush(Duration::from_secs(10)).await.is_drained());
    assert_eq!(
        server.ledger.applied().last().unwrap(),
        &("A".to_owned(), 3)
    );
    let _ = std::fs::remove_dir_all(dir);
}
