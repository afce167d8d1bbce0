//! Peak memory of streaming 1 GiB each way through the generated Storage
//! client: a download written to a file (`send_with` + `write_to_path`),
//! then that file uploaded (`ByteStream::from_path`). Run with
//! `cargo bench -p tinsmith-tests --bench streaming_memory`; it prints the
//! process's peak resident set (Linux `VmHWM`, which includes the
//! in-process server) before and after each transfer. The goal is a peak
//! under 32 MiB: bodies stream, nothing holds the whole object.
//!
//! Set `TINSMITH_STREAM_BYTES` to move another amount.

#![allow(missing_docs)]

#[path = "support/rss.rs"]
mod rss;

#[path = "../tests/common/storage_server.rs"]
mod storage_server;

use rss::report;
use std::time::Instant;

use storage_server::StorageServer;
use tinsmith_runtime::ByteStream;

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` must not run 1 GiB.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let size: u64 = std::env::var("TINSMITH_STREAM_BYTES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1 << 30);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let server = StorageServer::start().await;
        let client = storage::Client::new(
            tinsmith_runtime::Config::builder()
                .endpoint(&server.endpoint)
                .build(),
        );
        report("started");
        let path = std::env::temp_dir().join(format!("tinsmith-1gib-{}.bin", std::process::id()));

        let started = Instant::now();
        let written = client
            .get_object()
            .bucket("gen")
            .key(size.to_string())
            .send_with(async |output| output.body.write_to_path(&path).await)
            .await
            .unwrap();
        assert_eq!(written, size);
        let secs = started.elapsed().as_secs_f64();
        println!(
            "download {size} bytes to a file: {secs:.2} s ({:.0} MiB/s)",
            size as f64 / secs / 1048576.0
        );
        report("after download");

        let started = Instant::now();
        let output = client
            .put_object()
            .bucket("sink")
            .key("big")
            .body(ByteStream::from_path(&path).await.unwrap())
            .send()
            .await
            .unwrap();
        let secs = started.elapsed().as_secs_f64();
        let upload = server.uploads().pop().unwrap();
        assert_eq!(upload.received, size);
        assert_eq!(output.etag.as_deref(), Some(upload.sha256.as_str()));
        println!(
            "upload {size} bytes from a file: {secs:.2} s ({:.0} MiB/s)",
            size as f64 / secs / 1048576.0
        );
        report("after upload");
        let _ = std::fs::remove_file(&path);
    });
}
