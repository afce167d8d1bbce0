//! The gateway against workers that misbehave, on 127.0.0.1: answers to
//! another call, answers too large, no answer, a worker that hangs (a
//! timeout that counts for the circuit breaker), and params forwarded as
//! the caller sent them.

use std::time::Duration;

use bytes::Bytes;
use serde_json::{Value, json};
use tinsmith_runtime::gateway::{BearerTokens, Caller, Gateway, Registry, Worker};

/// A worker that answers each method its own wrong way.
async fn misbehaving_worker() -> String {
    let handler = |body: Bytes| async move {
        let request: Value = serde_json::from_slice(&body).unwrap_or_default();
        let id = request["id"].clone();
        let method = request["method"].as_str().unwrap_or_default().to_owned();
        let answer = match method.as_str() {
            "bad/Echo" => json!({"jsonrpc": "2.0", "id": id, "result": request["params"]}),
            "bad/WrongId" => json!({"jsonrpc": "2.0", "id": "someone else", "result": 1}),
            "bad/Both" => json!({"jsonrpc": "2.0", "id": id, "result": 1, "error": {}}),
            "bad/Huge" => json!({"jsonrpc": "2.0", "id": id, "result": "x".repeat(64 << 10)}),
            "bad/Hang" => {
                tokio::time::sleep(Duration::from_secs(30)).await;
                Value::Null
            }
            _ => {
                // Nothing, with 200.
                return axum::response::Response::new(axum::body::Body::empty());
            }
        };
        axum::response::Response::new(axum::body::Body::from(answer.to_string()))
    };
    let app = axum::Router::new().route("/api/rpc", axum::routing::post(handler));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    address
}

async fn call(gateway: &axum::Router, body: Value) -> (u16, Value) {
    let request = http::Request::post("/api/rpc")
        .header("authorization", "Bearer t")
        .body(Bytes::from(body.to_string()))
        .unwrap();
    let response = tinsmith_runtime::test_util::serve(gateway.clone(), request).await;
    let answer = serde_json::from_slice(response.body()).unwrap_or(Value::Null);
    (response.status().as_u16(), answer)
}

fn request(method: &str, params: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": 9, "method": method, "params": params})
}

#[tokio::test]
async fn answers_that_are_not_answers_to_the_call_are_worker_failures() {
    let worker = Worker::new(&misbehaving_worker().await)
        .unwrap()
        .with_max_answer_bytes(16 << 10)
        .with_timeout(Duration::from_millis(300));
    let gateway = Gateway::builder()
        .registry(Registry::new().with_worker("bad", worker).unwrap())
        .authenticate(BearerTokens::new().with_token("t", Caller::new("ana")))
        .build()
        .unwrap()
        .router();

    // Params go as the caller sent them, by position too.
    let (status, answer) = call(&gateway, request("bad/Echo", json!([1, "two"]))).await;
    assert_eq!(status, 200);
    assert_eq!(answer["result"], json!([1, "two"]));
    assert_eq!(answer["id"], 9);

    for method in ["bad/WrongId", "bad/Both", "bad/Huge", "bad/Nothing"] {
        let (status, answer) = call(&gateway, request(method, json!({}))).await;
        assert_eq!(status, 200);
        assert_eq!(answer["id"], 9, "{method}: {answer}");
        assert_eq!(answer["error"]["code"], -32004, "{method}: {answer}");
        assert_eq!(
            answer["error"]["data"]["__type"], "tinsmith.gateway#WorkerFailed",
            "{method}"
        );
    }

    // A worker that hangs times out, and each timeout counts for the
    // breaker (five open it): the sixth call is not even sent.
    let mut messages = Vec::new();
    for _ in 0..6 {
        let (_, answer) = call(&gateway, request("bad/Hang", json!({}))).await;
        assert_eq!(answer["error"]["code"], -32003, "{answer}");
        messages.push(answer["error"]["message"].as_str().unwrap().to_owned());
    }
    assert!(messages[0].ends_with("timed out"), "{messages:#?}");
    assert!(messages[5].ends_with("circuit open"), "{messages:#?}");
}

#[tokio::test]
async fn a_gateway_refuses_bad_names_and_paths() {
    for (name, path) in [("gate way", "/api/rpc"), ("gw", "/api/{x}"), ("gw", "/:x")] {
        let built = Gateway::builder()
            .name(name)
            .path(path)
            .registry(Registry::new())
            .authenticate(BearerTokens::new())
            .build();
        assert!(built.is_err(), "{name} {path}");
    }
}

/// A hand-written axum worker reads the caller and the ids through the
/// extractors, and `Incoming::scope` makes the chain current for the calls
/// it makes.
#[tokio::test]
async fn a_hand_written_worker_reads_the_caller_and_the_chain() {
    use tinsmith_runtime::chain::RequestChain;
    use tinsmith_runtime::server::Incoming;

    let handler = |caller: Caller, incoming: Incoming, body: Bytes| async move {
        let request: Value = serde_json::from_slice(&body).unwrap_or_default();
        let current = incoming
            .scope("worker", "Who", async { RequestChain::current() })
            .await
            .unwrap_or_default();
        let answer = json!({
            "jsonrpc": "2.0",
            "id": request["id"],
            "result": {
                "caller": caller.id(),
                "role": caller.attribute("role"),
                "chain": incoming.chain.entries(),
                "current": current.entries(),
                "requestId": incoming.request_id,
            },
        });
        axum::response::Response::new(axum::body::Body::from(answer.to_string()))
    };
    let app = axum::Router::new().route("/api/rpc", axum::routing::post(handler));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });

    let caller = Caller::new("ana").with_attribute("role", "admin");
    let gateway = Gateway::builder()
        .registry(
            Registry::new()
                .with_worker("hand", Worker::new(&address).unwrap())
                .unwrap(),
        )
        .authenticate(BearerTokens::new().with_token("t", caller))
        .build()
        .unwrap()
        .router();
    let (status, answer) = call(&gateway, request("hand/Who", json!({}))).await;
    assert_eq!(status, 200, "{answer}");
    let result = &answer["result"];
    assert_eq!(result["caller"], "ana");
    assert_eq!(result["role"], "admin");
    let chain = result["chain"].as_array().unwrap();
    assert_eq!(chain.len(), 1, "{result}");
    assert!(chain[0].as_str().unwrap().ends_with("@gateway"));
    // Inside the scope, the chain goes on with this worker's request.
    let current = result["current"].as_array().unwrap();
    assert_eq!(current.len(), 2, "{result}");
    assert_eq!(
        current[1].as_str().unwrap(),
        format!("{}@worker", result["requestId"].as_str().unwrap())
    );

    // Without the gateway, the `Caller` extractor refuses the call.
    let direct = http::Request::post("/api/rpc")
        .body(Bytes::from(request("hand/Who", json!({})).to_string()))
        .unwrap();
    let app = axum::Router::new().route(
        "/api/rpc",
        axum::routing::post(|_caller: Caller| async { "reached" }),
    );
    let response = tinsmith_runtime::test_util::serve(app, direct).await;
    assert_eq!(response.status(), 401);
}
