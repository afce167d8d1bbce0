//! A load run through the gateway on 127.0.0.1: the Notes worker and the
//! gateway served in this process on real sockets, and the generated Notes
//! client making `hub-load [CALLS] [CONCURRENCY]` calls (default 10,000 at
//! 64) of `notes/AddNote` and `notes/WhoAmI`, alternately. Prints the
//! throughput, latency percentiles and errors (0 expected). Run it with
//! `--release`.

use std::time::{Duration, Instant};

use futures_util::StreamExt as _;
use hub_worker::notes::{Client, Config};
use tinsmith_runtime::RetryConfig;
use tinsmith_runtime::auth::StaticIdentity;
use tinsmith_runtime::gateway::{Gateway, Registry, Worker};

async fn serve(router: axum::Router) -> std::io::Result<String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, router).await });
    Ok(address)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let calls: usize = args.next().map_or(Ok(10_000), |a| a.parse())?;
    let concurrency: usize = args.next().map_or(Ok(64), |a| a.parse())?;
    if calls == 0 || concurrency == 0 {
        return Err("make at least one call, at least one at a time".into());
    }

    let worker = serve(hub_worker::worker_router()).await?;
    let registry = Registry::new().with_worker("notes", Worker::new(&worker)?)?;
    let gateway = Gateway::builder()
        .registry(registry)
        .authenticate(hub_worker::tokens("load=load-token")?)
        .build()?;
    let gateway = serve(gateway.router()).await?;
    let client = Client::new(
        Config::builder()
            .endpoint(&gateway)
            .bearer_token(StaticIdentity::new("load-token"))
            .retry(RetryConfig::disabled())
            .build(),
    );
    // Warm the connection pools.
    client.who_am_i().send().await?;

    let started = Instant::now();
    let outcomes: Vec<(Duration, bool)> = futures_util::stream::iter(0..calls)
        .map(|i| {
            let client = client.clone();
            async move {
                let start = Instant::now();
                let ok = if i % 2 == 0 {
                    client
                        .add_note()
                        .text(format!("note {i}"))
                        .send()
                        .await
                        .is_ok_and(|out| out.author == "load")
                } else {
                    client
                        .who_am_i()
                        .send()
                        .await
                        .is_ok_and(|out| out.chain.len() == 1)
                };
                (start.elapsed(), ok)
            }
        })
        .buffer_unordered(concurrency)
        .collect()
        .await;
    let elapsed = started.elapsed();
    let mut latencies: Vec<Duration> = outcomes.iter().map(|(d, _)| *d).collect();
    latencies.sort();
    let errors = outcomes.iter().filter(|(_, ok)| !ok).count();
    let at = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
    println!(
        "{calls} calls at concurrency {concurrency} through the gateway in {:.2} s: \
         {:.0} calls/s; latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms; errors {errors}",
        elapsed.as_secs_f64(),
        calls as f64 / elapsed.as_secs_f64(),
        at(0.50).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3,
        at(1.0).as_secs_f64() * 1e3,
    );
    if errors > 0 {
        return Err(format!("{errors} calls failed").into());
    }
    Ok(())
}
