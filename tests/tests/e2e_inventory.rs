//! End-to-end: the generated Inventory client (awsJson1_0) against a real
//! HTTP server on 127.0.0.1 (axum) keeping items in memory.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use inventory::error::{AdjustStockError, GetItemError, PutItemError};
use inventory::types::{Category, Item, StockChange};
use serde_json::{Value, json};
use tinsmith_runtime::{Blob, DateTime, ProvideErrorStatus, RetryConfig};

#[derive(Default)]
struct Server {
    items: Mutex<BTreeMap<String, Value>>,
    /// Every request: target header, content type and body.
    requests: Mutex<Vec<(String, String, Value)>>,
    /// Adjustments fail with a throttling error this many times first.
    throttle: Mutex<usize>,
}

fn reply(status: u16, body: Value) -> Response {
    (
        StatusCode::from_u16(status).unwrap(),
        [
            ("content-type", "application/x-amz-json-1.0"),
            ("x-amzn-requestid", "inv-42"),
        ],
        body.to_string(),
    )
        .into_response()
}

fn fail(status: u16, kind: &str, message: &str) -> Response {
    reply(status, json!({"__type": kind, "message": message}))
}

async fn handle(State(server): State<Arc<Server>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let header = |name: &str| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let target = header("x-amz-target");
    let content_type = header("content-type");
    let body = axum::body::to_bytes(body, 1 << 20).await.unwrap();
    let input: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    server
        .requests
        .lock()
        .unwrap()
        .push((target.clone(), content_type, input.clone()));
    if parts.method != "POST" || parts.uri.path() != "/" {
        return fail(404, "UnknownOperation", "awsJson uses POST /");
    }
    let mut items = server.items.lock().unwrap();
    let sku = |v: &Value| v["sku"].as_str().unwrap_or_default().to_owned();
    match target.as_str() {
        "Inventory.PutItem" => {
            let item = input["item"].clone();
            if item["name"] == "" {
                return reply(
                    400,
                    json!({
                        "__type": "example.inventory#ValidationError",
                        "message": "invalid item",
                        "fields": {"name": "must not be empty"}
                    }),
                );
            }
            items.insert(sku(&item), item);
            reply(200, json!({"version": items.len()}))
        }
        "Inventory.GetItem" => match items.get(&sku(&input)) {
            Some(item) => reply(200, json!({ "item": item })),
            None => reply(
                400,
                json!({"__type": "example.inventory#ItemNotFound", "message": "no such item", "sku": sku(&input)}),
            ),
        },
        "Inventory.DeleteItem" => match items.remove(&sku(&input)) {
            Some(_) => reply(200, json!({})),
            None => fail(400, "ItemNotFound", "nothing to delete"),
        },
        "Inventory.ListItems" => {
            let start = input["nextToken"]
                .as_str()
                .and_then(|t| t.parse::<usize>().ok())
                .unwrap_or(0);
            let limit = input["limit"].as_u64().unwrap_or(2) as usize;
            let all: Vec<&Value> = items
                .values()
                .filter(|i| input["category"].is_null() || i["category"] == input["category"])
                .collect();
            let page: Vec<&Value> = all.iter().skip(start).take(limit).copied().collect();
            let mut body = json!({ "items": page });
            if start + limit < all.len() {
                body["nextToken"] = json!((start + limit).to_string());
            }
            reply(200, body)
        }
        "Inventory.AdjustStock" => {
            let mut throttle = server.throttle.lock().unwrap();
            if *throttle > 0 {
                *throttle -= 1;
                return fail(400, "ThrottlingException", "slow down");
            }
            let Some(item) = items.get_mut(&sku(&input)) else {
                return fail(400, "ItemNotFound", "no such item");
            };
            let current = item["quantity"].as_i64().unwrap_or(0);
            let change = &input["change"];
            let quantity = match (change.get("delta"), change.get("set")) {
                (Some(d), None) => current + d.as_i64().unwrap(),
                (None, Some(s)) => s.as_i64().unwrap(),
                _ => return fail(400, "ValidationError", "bad union"),
            };
            item["quantity"] = json!(quantity);
            reply(200, json!({ "quantity": quantity }))
        }
        "Inventory.Crash" => fail(500, "InternalError", "boom"),
        _ => fail(400, "UnknownOperationException", "unknown target"),
    }
}

async fn start() -> (inventory::Client, Arc<Server>) {
    let server = Arc::new(Server::default());
    let app = axum::Router::new()
        .fallback(handle)
        .with_state(server.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let config = inventory::Config::builder()
        .endpoint(format!("http://{addr}"))
        .retry(
            RetryConfig::default()
                .with_max_attempts(3)
                .with_initial_backoff(Duration::from_millis(1)),
        )
        .build();
    (inventory::Client::new(config), server)
}

fn hammer(sku: &str, quantity: i32) -> Item {
    Item::builder()
        .sku(sku)
        .name(format!("Hammer {sku}"))
        .category(Category::Tools)
        .quantity(quantity)
        .price_cents(1999_i64)
        .thumbnail(Blob::new(vec![1u8, 2, 3]))
        .updated_at(DateTime::from_secs(1_600_000_000))
        .build()
        .unwrap()
}

#[tokio::test]
async fn requests_are_post_root_with_target_and_content_type() {
    let (client, server) = start().await;
    let out = client
        .put_item()
        .item(hammer("H-1", 5))
        .send()
        .await
        .unwrap();
    assert_eq!(out.version, 1);
    let requests = server.requests.lock().unwrap();
    let (target, content_type, body) = &requests[0];
    assert_eq!(target, "Inventory.PutItem");
    assert_eq!(content_type, "application/x-amz-json-1.0");
    assert_eq!(
        body,
        &json!({"item": {
            "sku": "H-1", "name": "Hammer H-1", "category": "TOOLS", "quantity": 5,
            "priceCents": 1999, "thumbnail": "AQID", "updatedAt": 1_600_000_000
        }})
    );
}

#[tokio::test]
async fn round_trip_of_every_member_type() {
    let (client, _) = start().await;
    let item = hammer("H-2", 7);
    client.put_item().item(item.clone()).send().await.unwrap();
    let got = client.get_item().sku("H-2").send().await.unwrap();
    assert_eq!(got.item, item);
}

#[tokio::test]
async fn modeled_errors_by_shape_id_and_by_name() {
    let (client, _) = start().await;
    let err = client.get_item().sku("NOPE").send().await.unwrap_err();
    let Some(GetItemError::ItemNotFound(e)) = err.as_service_error() else {
        panic!("{err:?}")
    };
    assert_eq!(e.message, "no such item");
    assert_eq!(e.sku.as_deref(), Some("NOPE"));
    assert_eq!(e.status().request_id(), Some("inv-42"));
    assert_eq!(e.status().code(), Some("ItemNotFound"));

    let err = client
        .put_item()
        .item(
            Item::builder()
                .sku("X")
                .name("")
                .category(Category::Garden)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap_err();
    let Some(PutItemError::ValidationError(e)) = err.as_service_error() else {
        panic!("{err:?}")
    };
    assert_eq!(e.fields.as_ref().unwrap()["name"], "must not be empty");
}

#[tokio::test]
async fn unit_output_and_errors_of_delete() {
    let (client, _) = start().await;
    client
        .put_item()
        .item(hammer("D-1", 1))
        .send()
        .await
        .unwrap();
    let () = client.delete_item().sku("D-1").send().await.unwrap();
    let err = client.delete_item().sku("D-1").send().await.unwrap_err();
    assert!(
        err.as_service_error().unwrap().is_item_not_found(),
        "{err:?}"
    );
}

#[tokio::test]
async fn union_input_and_throttling_retry_reuse_the_idempotency_token() {
    let (client, server) = start().await;
    client
        .put_item()
        .item(hammer("A-1", 10))
        .send()
        .await
        .unwrap();
    *server.throttle.lock().unwrap() = 2;
    let out = client
        .adjust_stock()
        .sku("A-1")
        .change(StockChange::Delta(-3))
        .send()
        .await
        .unwrap();
    assert_eq!(out.quantity, 7);
    let requests = server.requests.lock().unwrap();
    let tokens: Vec<&Value> = requests
        .iter()
        .filter(|(t, _, _)| t == "Inventory.AdjustStock")
        .map(|(_, _, body)| &body["clientToken"])
        .collect();
    assert_eq!(tokens.len(), 3, "two throttled attempts, then success");
    assert!(
        tokens[0].as_str().is_some_and(|t| t.len() == 36),
        "{tokens:?}"
    );
    assert!(tokens.iter().all(|t| *t == tokens[0]), "{tokens:?}");
}

#[tokio::test]
async fn retries_exhausted_report_throttling() {
    let (client, server) = start().await;
    client
        .put_item()
        .item(hammer("T-1", 1))
        .send()
        .await
        .unwrap();
    *server.throttle.lock().unwrap() = 10;
    let err = client
        .adjust_stock()
        .sku("T-1")
        .change(StockChange::Set(0))
        .send()
        .await
        .unwrap_err();
    let Some(AdjustStockError::ThrottlingException(e)) = err.as_service_error() else {
        panic!("{err:?}")
    };
    assert!(e.is_throttling());
    assert!(err.as_service_error().unwrap().is_throttling());
}

#[tokio::test]
async fn paginator_follows_tokens_in_the_body() {
    let (client, _) = start().await;
    for i in 0..5 {
        client
            .put_item()
            .item(hammer(&format!("P-{i}"), i))
            .send()
            .await
            .unwrap();
    }
    let skus: Vec<String> = client
        .list_items()
        .limit(2)
        .into_paginator()
        .items()
        .collect_all()
        .await
        .unwrap()
        .into_iter()
        .map(|i| i.sku)
        .collect();
    assert_eq!(skus, ["P-0", "P-1", "P-2", "P-3", "P-4"]);
}
