//! End-to-end over our JSON-RPC 2.0 protocol (`tinsmith.protocols#jsonRpc2`):
//! the generated Echo client against the generated Echo server on
//! 127.0.0.1 (`tests/models/server/json-rpc.smithy`: calls at `/api/rpc`
//! named `echo/<operation>`), then raw JSON-RPC bodies as any other client
//! would send them: batches, notifications, and every standard error code.

mod common;

use std::sync::Mutex;

use serde_json::{Value, json};
use tinsmith_runtime::chain::RequestChain;
use tinsmith_runtime::server::{Request, Status};
use tinsmith_runtime::{DateTime, ErrorDetail, ProvideErrorStatus, RetryConfig};
use tinsmith_tests::echo::error::FailError;
use tinsmith_tests::echo::server::{self, Echo};
use tinsmith_tests::echo::types::{FailInput, How, Oops, SayInput, SayOutput};
use tinsmith_tests::echo::{Client, Config};

/// Echoes, counts pings (notifications included), and records the ids
/// each `say` saw: its request id, the caller's chain, and the chain calls
/// made from the handler would carry.
#[derive(Default)]
struct Handler {
    pings: Mutex<usize>,
    seen: Mutex<Vec<Seen>>,
}

/// A request id, the caller's chain, and the chain of calls made inside.
type Seen = (String, Vec<String>, Vec<String>);

impl Echo for &'static Handler {
    async fn say(&self, request: Request<SayInput>) -> Result<SayOutput, server::SayError> {
        let current = RequestChain::current().unwrap_or_default();
        self.seen.lock().unwrap().push((
            request.request_id().to_owned(),
            request.chain().entries().to_vec(),
            current.entries().to_vec(),
        ));
        let input = request.into_input();
        let text = input.text.unwrap_or_default();
        // `times` has a default, filled in when the caller leaves it out.
        let times = usize::try_from(input.times.unwrap_or(0)).unwrap_or(0);
        Ok(SayOutput::builder()
            .text(text.repeat(times))
            .at(input.at)
            .build()?)
    }

    async fn ping(&self, _request: Request<()>) -> Result<(), server::PingError> {
        *self.pings.lock().unwrap() += 1;
        Ok(())
    }

    async fn fail(&self, request: Request<FailInput>) -> Result<(), server::FailError> {
        match request.into_input().how {
            Some(How::Modeled) => Err(Oops::builder().message("oops").code(7).build()?.into()),
            // A rich status: a typed detail and metadata, both in `data`.
            Some(How::Status) => Err(Status::new("Busy", "come back later")
                // `?` works on both: a failure to encode is an internal one.
                .with_detail(ErrorDetail::of(
                    &SayOutput::builder().text("later").build()?,
                )?)
                .with_metadata("retry-after", "5")?
                .into()),
            _ => panic!("asked to"),
        }
    }
}

async fn start() -> (Client, String, &'static Handler) {
    let handler: &'static Handler = Box::leak(Box::default());
    let app = server::router(handler);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let endpoint = format!("http://{addr}");
    let config = Config::builder()
        .endpoint(endpoint.clone())
        .retry(RetryConfig::disabled())
        .build();
    (Client::new(config), endpoint, handler)
}

#[tokio::test]
async fn the_client_calls_the_server() {
    let (client, _, handler) = start().await;
    let out = client
        .say()
        .text("hi ")
        .times(2)
        .at(DateTime::from_secs(1_700_000_000))
        .send()
        .await
        .unwrap();
    assert_eq!(out.text, "hi hi ");
    assert_eq!(out.at, Some(DateTime::from_secs(1_700_000_000)));
    // The default of `times` (1) when the client leaves it out.
    let out = client.say().text("once").send().await.unwrap();
    assert_eq!(out.text, "once");
    client.ping().send().await.unwrap();
    assert_eq!(*handler.pings.lock().unwrap(), 1);
}

#[tokio::test]
async fn the_request_chain_reaches_the_handler_and_its_own_calls() {
    let (client, _, handler) = start().await;
    RequestChain::parse("gw-1@gateway")
        .scope(client.say().text("x").send())
        .await
        .unwrap();
    let seen = handler.seen.lock().unwrap();
    let (request_id, chain, current) = &seen[0];
    assert!(!request_id.is_empty());
    assert_eq!(chain, &["gw-1@gateway"]);
    // Calls the handler makes carry the chain with this request appended.
    assert_eq!(
        current,
        &["gw-1@gateway".to_owned(), format!("{request_id}@Echo")]
    );
}

#[tokio::test]
async fn failures_arrive_typed() {
    let (client, _, _) = start().await;
    let err = client.fail().how(How::Modeled).send().await.unwrap_err();
    let Some(FailError::Oops(e)) = err.as_service_error() else {
        panic!("{err:?}")
    };
    assert_eq!((e.message.as_str(), e.code), ("oops", Some(7)));
    assert_eq!(e.status().code(), Some("Oops"));

    let err = client.fail().how(How::Status).send().await.unwrap_err();
    let e = err.as_service_error().unwrap();
    assert!(e.is_unhandled(), "{err:?}");
    assert_eq!(e.status().code(), Some("Busy"));
    assert_eq!(e.status().message(), Some("come back later"));
    let detail = e.status().detail::<SayOutput>().unwrap().unwrap();
    assert_eq!(detail.text, "later");
    assert_eq!(e.status().metadata("retry-after"), Some("5"));

    let err = client.fail().how(How::Panic).send().await.unwrap_err();
    assert_eq!(
        err.as_service_error().unwrap().status().code(),
        Some("InternalFailure")
    );

    // Constraints are checked before the handler: params it cannot take.
    let err = client.say().text("").send().await.unwrap_err();
    let e = err.as_service_error().unwrap();
    assert_eq!(e.status().code(), Some("ValidationException"));
}

/// Posts `body` to the server's JSON-RPC path; the status and the parsed
/// body (`Null` when empty).
async fn post(endpoint: &str, body: &str) -> (u16, Value) {
    let addr = endpoint.trim_start_matches("http://").parse().unwrap();
    let headers = [("content-type", "application/json")];
    let (status, _, bytes) = common::post_raw(addr, "/api/rpc", &headers, body).await;
    let value = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap()
    };
    (status, value)
}

#[tokio::test]
async fn batches_and_notifications() {
    let (_, endpoint, handler) = start().await;
    let batch = json!([
        {"jsonrpc": "2.0", "id": 1, "method": "echo/Say", "params": {"text": "a", "times": 3}},
        {"jsonrpc": "2.0", "method": "echo/Ping"},
        {"jsonrpc": "2.0", "id": "two", "method": "echo/Fail", "params": {"how": "MODELED"}},
    ]);
    let (status, answers) = post(&endpoint, &batch.to_string()).await;
    assert_eq!(status, 200);
    assert_eq!(
        answers,
        json!([
            {"jsonrpc": "2.0", "id": 1, "result": {"text": "aaa"}},
            {"jsonrpc": "2.0", "id": "two", "error": {
                "code": -32000,
                "message": "oops",
                "data": {"__type": "tinsmith.tests.jsonrpc#Oops", "message": "oops", "code": 7},
            }},
        ])
    );
    assert_eq!(*handler.pings.lock().unwrap(), 1, "the notification ran");
    // Each call of a batch has a request id of its own.
    let batch = json!([
        {"jsonrpc": "2.0", "id": 1, "method": "echo/Say", "params": {"text": "a"}},
        {"jsonrpc": "2.0", "id": 2, "method": "echo/Say", "params": {"text": "b"}},
    ]);
    post(&endpoint, &batch.to_string()).await;
    let ids: Vec<String> = handler
        .seen
        .lock()
        .unwrap()
        .iter()
        .map(|s| s.0.clone())
        .collect();
    assert_eq!(ids.len(), 3);
    assert!(ids[1].ends_with(".0") && ids[2].ends_with(".1"), "{ids:?}");
    assert_eq!(ids[1].trim_end_matches(".0"), ids[2].trim_end_matches(".1"));

    // Notifications alone: nothing to answer.
    let (status, body) = post(&endpoint, r#"{"jsonrpc":"2.0","method":"echo/Ping"}"#).await;
    assert_eq!((status, body), (204, Value::Null));
    let (status, _) = post(&endpoint, r#"[{"jsonrpc":"2.0","method":"echo/Ping"}]"#).await;
    assert_eq!(status, 204);
    assert_eq!(*handler.pings.lock().unwrap(), 3);

    // A call without output has a null result.
    let (_, answer) = post(
        &endpoint,
        r#"{"jsonrpc":"2.0","id":9,"method":"echo/Ping"}"#,
    )
    .await;
    assert_eq!(answer, json!({"jsonrpc": "2.0", "id": 9, "result": null}));
}

#[tokio::test]
async fn the_standard_error_codes() {
    let (_, endpoint, _) = start().await;
    let code = |answer: &Value| answer["error"]["code"].as_i64();
    let (status, answer) = post(&endpoint, "{not json").await;
    assert_eq!((status, code(&answer)), (200, Some(-32700)));
    assert_eq!(answer["id"], Value::Null);
    let (_, answer) = post(&endpoint, "[]").await;
    assert_eq!(code(&answer), Some(-32600));
    let (_, answer) = post(
        &endpoint,
        r#"{"jsonrpc":"1.0","id":1,"method":"echo/Ping"}"#,
    )
    .await;
    assert_eq!(code(&answer), Some(-32600));
    assert_eq!(answer["id"], 1, "an id read is an id answered");
    let too_many = format!(
        "[{}]",
        vec![r#"{"jsonrpc":"2.0","method":"echo/Ping"}"#; 1001].join(",")
    );
    let (_, answer) = post(&endpoint, &too_many).await;
    assert_eq!(
        code(&answer),
        Some(-32600),
        "a batch holds at most 1000 calls"
    );
    let (_, answer) = post(&endpoint, r#"{"jsonrpc":"2.0","id":1}"#).await;
    assert_eq!(code(&answer), Some(-32600));
    let (_, answers) = post(&endpoint, "[1]").await;
    assert_eq!(code(&answers[0]), Some(-32600));
    let (_, answer) = post(
        &endpoint,
        r#"{"jsonrpc":"2.0","id":1,"method":"echo/Nope"}"#,
    )
    .await;
    assert_eq!(code(&answer), Some(-32601));
    let (_, answer) = post(&endpoint, r#"{"jsonrpc":"2.0","id":1,"method":"Say"}"#).await;
    assert_eq!(code(&answer), Some(-32601), "the method prefix is required");
    let (_, answer) = post(
        &endpoint,
        r#"{"jsonrpc":"2.0","id":1,"method":"echo/Say","params":["a"]}"#,
    )
    .await;
    assert_eq!(code(&answer), Some(-32602));
    let (_, answer) = post(
        &endpoint,
        r#"{"jsonrpc":"2.0","id":1,"method":"echo/Say","params":{}}"#,
    )
    .await;
    assert_eq!(code(&answer), Some(-32602), "a required member is missing");
    let (_, answer) = post(
        &endpoint,
        r#"{"jsonrpc":"2.0","id":1,"method":"echo/Say","params":{"text":""}}"#,
    )
    .await;
    assert_eq!(code(&answer), Some(-32602));
    assert_eq!(answer["error"]["data"]["fieldList"][0]["path"], "/text");
    let (_, answer) = post(
        &endpoint,
        r#"{"jsonrpc":"2.0","id":1,"method":"echo/Fail","params":{"how":"PANIC"}}"#,
    )
    .await;
    assert_eq!(code(&answer), Some(-32603));
}
