//! Small-request latency on loopback over h2c: the generated Storage
//! client's `HeadObject` (pipeline, retry policy, breaker bookkeeping,
//! response parsing) against raw hyper sending the same request over the
//! same kind of connection (HTTP/2 prior knowledge, `TCP_NODELAY`). The
//! goal is a ratio of at most 1.15 at the median and at the 99th
//! percentile.
//!
//! Criterion measures the mean and median; the tail is what users feel,
//! so the bench also times single requests, alternating the clients
//! request by request, and prints p50 and p99 of each and their ratios.
//! Two more figures split the difference: the transport alone
//! (`HyperTransport::send` with the same request, no pipeline) and the
//! pipeline alone (`head_object_pipeline_only`: a transport that answers
//! at once, so what is left is the client's own work per call).

#![allow(missing_docs)] // criterion_group! generates undocumented functions.

#[path = "../tests/common/storage_server.rs"]
mod storage_server;

use std::time::{Duration, Instant};

use bytes::Bytes;
use criterion::{Criterion, criterion_group, criterion_main};
use http_body_util::{BodyExt as _, Empty};
use storage_server::StorageServer;

/// Requests per client in the percentile run.
const SAMPLES: usize = 20_000;

struct Setup {
    runtime: tokio::runtime::Runtime,
    client: storage::Client,
    raw: hyper_util::client::legacy::Client<
        hyper_util::client::legacy::connect::HttpConnector,
        Empty<Bytes>,
    >,
    uri: hyper::Uri,
    transport: tinsmith_runtime::HyperTransport,
}

impl Setup {
    fn new() -> Setup {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .unwrap();
        let server = runtime.block_on(StorageServer::start());
        server.put("b", "k", Bytes::from_static(b"small"));
        let client = storage::Client::new(
            tinsmith_runtime::Config::builder()
                .endpoint(&server.endpoint)
                .transport(
                    tinsmith_runtime::HyperTransport::builder()
                        .http2_only(true)
                        .build(),
                )
                .build(),
        );
        let mut connector = hyper_util::client::legacy::connect::HttpConnector::new();
        connector.set_nodelay(true);
        let raw = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
            .http2_only(true)
            .build(connector);
        let uri = format!("{}/buckets/b/objects/k", server.endpoint)
            .parse()
            .unwrap();
        Setup {
            runtime,
            client,
            raw,
            uri,
            transport: tinsmith_runtime::HyperTransport::builder()
                .http2_only(true)
                .build(),
        }
    }

    async fn generated(&self) {
        let output = self
            .client
            .head_object()
            .bucket("b")
            .key("k")
            .send()
            .await
            .unwrap();
        assert_eq!(output.content_length, Some(5));
    }

    async fn transport(&self) {
        use tinsmith_runtime::Transport as _;
        let request = hyper::Request::head(self.uri.clone())
            .body(tinsmith_runtime::ByteStream::default())
            .unwrap();
        let response = self.transport.send(request).await.unwrap();
        assert!(response.status().is_success());
        let mut body = response.into_body();
        assert!(body.collect_bytes().await.unwrap().is_empty());
    }

    async fn raw(&self) {
        let request = hyper::Request::head(self.uri.clone())
            .body(Empty::new())
            .unwrap();
        let response = self.raw.request(request).await.unwrap();
        assert!(response.status().is_success());
        // Read the (empty) body to its end, as any client must.
        let body = response.into_body().collect().await.unwrap();
        assert!(body.to_bytes().is_empty());
    }
}

/// Answers every request at once with an empty `200`.
#[derive(Debug)]
struct Canned;

impl tinsmith_runtime::Transport for Canned {
    fn send(
        &self,
        _request: tinsmith_runtime::transport::HttpRequest,
    ) -> tinsmith_runtime::transport::SendFuture {
        Box::pin(async {
            Ok(hyper::Response::builder()
                .header("content-length", "5")
                .body(tinsmith_runtime::ByteStream::default())
                .unwrap())
        })
    }
}

fn pipeline_only(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let client = storage::Client::new(
        tinsmith_runtime::Config::builder()
            .endpoint("http://127.0.0.1:1")
            .transport(Canned)
            .build(),
    );
    c.bench_function("head_object_pipeline_only", |b| {
        b.iter(|| {
            runtime.block_on(async {
                let output = client
                    .head_object()
                    .bucket("b")
                    .key("k")
                    .send()
                    .await
                    .unwrap();
                assert_eq!(output.content_length, Some(5));
            })
        })
    });
}

fn small_requests(c: &mut Criterion) {
    let setup = Setup::new();
    // Open both connections before anything is timed.
    setup.runtime.block_on(async {
        setup.generated().await;
        setup.raw().await;
        setup.transport().await;
    });

    let mut group = c.benchmark_group("head_object_h2c");
    group.bench_function("generated_client", |b| {
        b.iter(|| setup.runtime.block_on(setup.generated()))
    });
    group.bench_function("raw_hyper", |b| {
        b.iter(|| setup.runtime.block_on(setup.raw()))
    });
    group.finish();

    percentiles(&setup);
}

/// Times single requests, alternating the clients request by request (so
/// both see the same machine), and prints p50 and p99 of each with their
/// ratios.
fn percentiles(setup: &Setup) {
    let mut generated = Vec::with_capacity(SAMPLES);
    let mut raw = Vec::with_capacity(SAMPLES);
    let mut transport = Vec::with_capacity(SAMPLES);
    setup.runtime.block_on(async {
        while generated.len() < SAMPLES {
            let start = Instant::now();
            setup.generated().await;
            generated.push(start.elapsed());
            let start = Instant::now();
            setup.raw().await;
            raw.push(start.elapsed());
            let start = Instant::now();
            setup.transport().await;
            transport.push(start.elapsed());
        }
    });
    let (g50, g99) = p50_p99(&mut generated);
    let (r50, r99) = p50_p99(&mut raw);
    let (t50, t99) = p50_p99(&mut transport);
    println!(
        "head_object_h2c, {SAMPLES} requests each: generated p50 {g50:?} p99 {g99:?}; \
         raw hyper p50 {r50:?} p99 {r99:?}; ratio p50 {:.2} p99 {:.2} \
         (transport alone p50 {t50:?} p99 {t99:?})",
        g50.as_secs_f64() / r50.as_secs_f64(),
        g99.as_secs_f64() / r99.as_secs_f64(),
    );
}

fn p50_p99(samples: &mut [Duration]) -> (Duration, Duration) {
    samples.sort_unstable();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    (at(0.50), at(0.99))
}

criterion_group!(benches, pipeline_only, small_requests);
criterion_main!(benches);
