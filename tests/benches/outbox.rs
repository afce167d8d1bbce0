//! Throughput and peak memory of the durable outbox against a plain loop of
//! `send()`, through the generated Inventory client (`AdjustStock`,
//! awsJson1_0) and an in-process server on 127.0.0.1.
//!
//! Run with `cargo bench -p tinsmith-tests --bench outbox`. Each phase runs
//! in its own process, so each peak resident set (Linux `VmHWM`, which
//! includes the in-process server) is that phase's own:
//!
//! * `send`: one task calls `send().await` for each record, one after another;
//! * `outbox`: 64 tasks enqueue the same records (fsync per commit, the
//!   default), while the outbox sends them in commit order, one at a time;
//! * `outbox-normal`: the same with `Durability::Normal`.
//!
//! It prints records per second enqueued (until the last `enqueue`
//! returned) and delivered (until the outbox drained), and the ratio of the
//! outbox's delivery rate to the `send` loop's. Set
//! `TINSMITH_OUTBOX_RECORDS` for another count (default 20,000).

#![allow(missing_docs)]

#[path = "support/rss.rs"]
mod rss;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use inventory::types::StockChange;
use tinsmith_runtime::outbox::{Durability, OutboxConfig};

const PRODUCERS: u64 = 64;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(phase) = args
        .iter()
        .position(|a| a == "--phase")
        .map(|i| args[i + 1].clone())
    {
        return run_phase(&phase);
    }
    // `cargo bench` passes `--bench`; `cargo test --benches` runs nothing.
    if !args.iter().any(|a| a == "--bench") {
        return;
    }
    let mut rates = Vec::new();
    for phase in ["send", "outbox", "outbox-normal"] {
        let output = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--phase", phase])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&output.stdout);
        print!("{text}");
        assert!(output.status.success(), "{phase} failed");
        let delivered: f64 = text
            .lines()
            .find_map(|l| l.strip_prefix("delivered/s "))
            .and_then(|v| v.trim().parse().ok())
            .unwrap();
        rates.push(delivered);
    }
    println!(
        "delivery rate, outbox / send loop: {:.2} (fsync per commit), {:.2} (Durability::Normal)",
        rates[1] / rates[0],
        rates[2] / rates[0]
    );
}

fn run_phase(phase: &str) {
    let records: u64 = std::env::var("TINSMITH_OUTBOX_RECORDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let received = Arc::new(AtomicU64::new(0));
        let endpoint = serve(received.clone()).await;
        let client =
            inventory::Client::new(inventory::Config::builder().endpoint(endpoint).build());
        let adjust = |seq: u64| {
            client
                .adjust_stock()
                .sku("SKU-1")
                .change(StockChange::Delta(seq as i32))
        };
        let started = Instant::now();
        let dir =
            std::env::temp_dir().join(format!("tinsmith-outbox-bench-{}", std::process::id()));
        match phase {
            "send" => {
                for seq in 0..records {
                    adjust(seq).send().await.unwrap();
                }
                let elapsed = started.elapsed();
                println!("send loop: {records} records in {elapsed:.2?}");
                println!("delivered/s {:.0}", records as f64 / elapsed.as_secs_f64());
            }
            _ => {
                std::fs::create_dir_all(&dir).unwrap();
                let durability = if phase == "outbox" {
                    Durability::Full
                } else {
                    Durability::Normal
                };
                let outbox = Arc::new(
                    client
                        .outbox(
                            dir.join("bench.db"),
                            OutboxConfig::default().with_durability(durability),
                        )
                        .await
                        .unwrap(),
                );
                let mut producers = Vec::new();
                for p in 0..PRODUCERS {
                    let (outbox, client) = (outbox.clone(), client.clone());
                    producers.push(tokio::spawn(async move {
                        let mut seq = p;
                        while seq < records {
                            let request = client
                                .adjust_stock()
                                .sku("SKU-1")
                                .change(StockChange::Delta(seq as i32));
                            outbox.enqueue(request).await.unwrap();
                            seq += PRODUCERS;
                        }
                    }));
                }
                for producer in producers {
                    producer.await.unwrap();
                }
                let enqueued = started.elapsed();
                let report = outbox.flush(Duration::from_secs(600)).await;
                assert!(report.is_drained());
                let delivered = started.elapsed();
                println!(
                    "{phase}: {records} records enqueued in {enqueued:.2?} by {PRODUCERS} tasks, \
                     delivered in {delivered:.2?}"
                );
                println!("enqueued/s {:.0}", records as f64 / enqueued.as_secs_f64());
                println!(
                    "delivered/s {:.0}",
                    records as f64 / delivered.as_secs_f64()
                );
                let _ = std::fs::remove_dir_all(&dir);
            }
        }
        assert_eq!(received.load(Ordering::Relaxed), records);
    });
    rss::report(phase);
}

async fn serve(received: Arc<AtomicU64>) -> String {
    let app = axum::Router::new().fallback(move || {
        let received = received.clone();
        async move {
            received.fetch_add(1, Ordering::Relaxed);
            (
                [("content-type", "application/x-amz-json-1.0")],
                r#"{"quantity":1}"#,
            )
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}
