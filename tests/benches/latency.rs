//! Small-request latency on loopback over h2c: the generated Storage
//! client's `HeadObject` (pipeline, retry policy, breaker bookkeeping,
//! response parsing) against raw hyper sending the same request over the
//! same kind of connection (HTTP/2 prior knowledge, `TCP_NODELAY`). The
//! goal is a ratio of at most 1.15 at the median and at the 99th
//! percentile.
//!
//! Criterion measures the mean and median; the tail is what users feel,
//! so the bench also times single requests, alternating the two clients
//! in rounds, and prints p50 and p99 of each and their ratios.

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

fn small_requests(c: &mut Criterion) {
    let setup = Setup::new();
    // Open both connections before anything is timed.
    setup.runtime.block_on(async {
        setup.generated().await;
        setup.raw().await;
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

/// Times single requests, alternating the clients in rounds of 100, and
/// prints p50 and p99 of each with their ratios.
fn percentiles(setup: &Setup) {
    let mut generated = Vec::with_capacity(SAMPLES);
    let mut raw = Vec::with_capacity(SAMPLES);
    setup.runtime.block_on(async {
        while generated.len() < SAMPLES {
            for _ in 0..100 {
                let start = Instant::now();
                setup.generated().await;
                generated.push(start.elapsed());
            }
            for _ in 0..100 {
                let start = Instant::now();
                setup.raw().await;
                raw.push(start.elapsed());
            }
        }
    });
    let (g50, g99) = p50_p99(&mut generated);
    let (r50, r99) = p50_p99(&mut raw);
    println!(
        "head_object_h2c, {SAMPLES} requests each: generated p50 {g50:?} p99 {g99:?}; \
         raw hyper p50 {r50:?} p99 {r99:?}; ratio p50 {:.2} p99 {:.2}",
        g50.as_secs_f64() / r50.as_secs_f64(),
        g99.as_secs_f64() / r99.as_secs_f64(),
    );
}

fn p50_p99(samples: &mut [Duration]) -> (Duration, Duration) {
    samples.sort_unstable();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    (at(0.50), at(0.99))
}

criterion_group!(benches, small_requests);
criterion_main!(benches);
