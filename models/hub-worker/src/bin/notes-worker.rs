//! The Notes worker, generated from `notes.smithy`: JSON-RPC 2.0 at
//! `/api/rpc`. `notes-worker [ADDRESS]` (default `127.0.0.1:7101`; port 0
//! picks one). Prints `listening on http://<address>`, then one line per
//! call with its request id and chain.

#[tokio::main]
async fn main() -> std::io::Result<()> {
    hub_worker::log_to_stdout();
    let address = std::env::args().nth(1).unwrap_or("127.0.0.1:7101".into());
    let listener = tokio::net::TcpListener::bind(&address).await?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, hub_worker::worker_router()).await
}
