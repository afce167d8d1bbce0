//! Download throughput on loopback: the generated Storage client reading a
//! streamed `@streaming` body (`send_with`, chunk by chunk) against raw
//! hyper reading the same response from the same server. The goal is a
//! ratio of at least 0.95: the generated layers (pipeline, retries, scoped
//! body, read timeout) should cost next to nothing per byte.

#![allow(missing_docs)] // criterion_group! generates undocumented functions.

#[path = "../tests/common/storage_server.rs"]
mod storage_server;

use bytes::Bytes;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use http_body_util::{BodyExt as _, Empty};
use storage_server::StorageServer;

/// Bytes per download.
const SIZE: u64 = 64 * 1024 * 1024;

fn download(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let server = runtime.block_on(StorageServer::start());
    let client = storage::Client::new(
        tinsmith_runtime::Config::builder()
            .endpoint(&server.endpoint)
            .build(),
    );
    let raw = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build_http::<Empty<Bytes>>();
    let url: hyper::Uri = format!("{}/buckets/gen/objects/{SIZE}", server.endpoint)
        .parse()
        .unwrap();

    let mut group = c.benchmark_group("download_64MiB");
    group.throughput(Throughput::Bytes(SIZE));
    group.sample_size(20);
    group.bench_function("generated_client", |b| {
        b.iter(|| {
            runtime.block_on(async {
                let read = client
                    .get_object()
                    .bucket("gen")
                    .key(SIZE.to_string())
                    .send_with(async |output| {
                        let mut read = 0u64;
                        while let Some(chunk) = output.body.next_chunk().await {
                            read += chunk?.len() as u64;
                        }
                        Ok::<_, tinsmith_runtime::ByteStreamError>(read)
                    })
                    .await
                    .unwrap();
                assert_eq!(read, SIZE);
            })
        })
    });
    group.bench_function("raw_hyper", |b| {
        b.iter(|| {
            runtime.block_on(async {
                let response = raw.get(url.clone()).await.unwrap();
                let mut body = response.into_body();
                let mut read = 0u64;
                while let Some(frame) = body.frame().await {
                    if let Ok(data) = frame.unwrap().into_data() {
                        read += data.len() as u64;
                    }
                }
                assert_eq!(read, SIZE);
            })
        })
    });
    group.finish();
}

criterion_group!(benches, download);
criterion_main!(benches);
