//! Memory stays flat while the generated Chat client consumes 1,000,000
//! events from an in-process server on 127.0.0.1: the stream decodes one
//! message at a time and never buffers the stream. Run with
//! `cargo bench -p tinsmith-tests --bench eventstream_memory`; it prints
//! the process's peak resident set (Linux `VmHWM`, which includes the
//! server) after the first 10,000 events and after all of them, and the
//! rate. Flat means the two peaks are (nearly) the same.
//!
//! Set `TINSMITH_EVENTS` to consume another number of events.

#![allow(missing_docs)]

#[path = "support/rss.rs"]
mod rss;

#[path = "../tests/common/chat_server.rs"]
mod chat_server;

use rss::report;
use std::time::Instant;

use chat_server::ChatServer;
use futures_util::StreamExt as _;

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` must not run this.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let events: i64 = std::env::var("TINSMITH_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let server = ChatServer::start().await;
        let client = chat::Client::new(
            tinsmith_runtime::Config::builder()
                .endpoint(&server.endpoint)
                .build(),
        );
        report("started");
        let started = Instant::now();
        let mut output = client
            .subscribe_room()
            .room(format!("many-{events}"))
            .send()
            .await
            .unwrap();
        let mut expected = 1;
        while let Some(event) = output.events.next().await {
            let event = event.unwrap();
            assert_eq!(event.as_message().unwrap().sequence, expected);
            if expected == 10_000 {
                report("after 10,000 events");
            }
            expected += 1;
        }
        assert_eq!(expected - 1, events);
        assert_eq!(output.events.ended_cleanly(), Some(true));
        let elapsed = started.elapsed();
        report(&format!("after {events} events"));
        println!(
            "{events} events in {:.2} s ({:.0} events/s)",
            elapsed.as_secs_f64(),
            events as f64 / elapsed.as_secs_f64()
        );
    });
}
