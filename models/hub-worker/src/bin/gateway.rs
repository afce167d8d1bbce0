//! The hub: `gateway [ADDRESS] [REGISTRY]` (default `127.0.0.1:7100` and
//! this example's `registry.toml`) takes JSON-RPC 2.0 calls at `/api/rpc`
//! named `worker/method` and forwards them to the workers the registry
//! names, re-reading it when it changes. Callers authenticate with
//! `Authorization: Bearer <token>`, the tokens given in `HUB_TOKENS` as
//! `id[:role]=token,...` (required).

use std::time::Duration;

use tinsmith_runtime::gateway::Gateway;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    hub_worker::log_to_stdout();
    let mut args = std::env::args().skip(1);
    let address = args.next().unwrap_or("127.0.0.1:7100".into());
    let registry = args
        .next()
        .unwrap_or(concat!(env!("CARGO_MANIFEST_DIR"), "/registry.toml").into());
    // No default token: a gateway anyone can call is not a demo to leave
    // running by accident.
    let tokens = std::env::var("HUB_TOKENS")
        .map_err(|_| "set HUB_TOKENS to the callers' tokens: `id[:role]=token,...`")?;
    let gateway = Gateway::builder()
        .registry_file(&registry)
        .reload_every(Duration::from_millis(200))
        .authenticate(hub_worker::tokens(&tokens)?)
        .build()?;
    let listener = tokio::net::TcpListener::bind(&address).await?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, gateway.router()).await?;
    Ok(())
}
