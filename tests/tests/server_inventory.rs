//! End-to-end: the generated Inventory client (awsJson1_0) against the
//! Inventory *server* generated from the same model (`Builder::server`),
//! served by axum on 127.0.0.1. Every operation round-trips; modeled errors
//! arrive typed with their members; unmodeled failures, handler panics,
//! malformed input and unknown operations arrive as errors with the
//! protocol's codes; the request id goes both ways.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::time::Duration;

use serde_json::{Value, json};
use tinsmith_runtime::server::{Request, Status};
use tinsmith_runtime::{Blob, DateTime, ErrorDetail, ProvideErrorStatus, RetryConfig};
use tinsmith_tests::served_inventory::error::{AdjustStockError, GetItemError, PutItemError};
use tinsmith_tests::served_inventory::server::{self, Inventory};
use tinsmith_tests::served_inventory::types::{
    AdjustStockInput, AdjustStockOutput, Category, DeleteItemInput, GetItemInput, GetItemOutput,
    Item, ItemNotFound, ListItemsInput, ListItemsOutput, PutItemInput, PutItemOutput, StockChange,
    ValidationError,
};
use tinsmith_tests::served_inventory::{Client, Config};

/// An in-memory inventory, written against the generated trait.
#[derive(Default)]
struct Store {
    items: Mutex<BTreeMap<String, Item>>,
    /// The request ids handlers saw, in order.
    request_ids: Mutex<Vec<String>>,
}

fn not_found(sku: &str) -> ItemNotFound {
    ItemNotFound::builder()
        .message("no such item")
        .sku(sku)
        .build()
        .unwrap()
}

impl Inventory for Store {
    async fn put_item(
        &self,
        request: Request<PutItemInput>,
    ) -> Result<PutItemOutput, server::PutItemError> {
        self.request_ids
            .lock()
            .unwrap()
            .push(request.request_id().to_owned());
        // `@required` input members are checked before the handler runs.
        let item = request.into_input().item.expect("required");
        if item.name.is_empty() {
            return Err(ValidationError::builder()
                .message("invalid item")
                .fields(HashMap::from([(
                    "name".to_owned(),
                    "must not be empty".to_owned(),
                )]))
                .build()
                .unwrap()
                .into());
        }
        if item.name == "panic" {
            panic!("the handler gave up");
        }
        if item.name == "teapot" {
            // A rich status: the item as a typed detail, and metadata.
            return Err(Status::new("Teapot", "short and stout")
                .with_http_status(418)
                .with_detail(ErrorDetail::of(&item).unwrap())
                .with_metadata("retry-after", "5")
                .unwrap()
                .into());
        }
        let mut items = self.items.lock().unwrap();
        items.insert(item.sku.clone(), item);
        Ok(PutItemOutput::builder()
            .version(items.len() as i64)
            .build()
            .unwrap())
    }

    async fn get_item(
        &self,
        request: Request<GetItemInput>,
    ) -> Result<GetItemOutput, server::GetItemError> {
        let sku = request.input().sku.as_deref().expect("required");
        let item = self.items.lock().unwrap().get(sku).cloned();
        match item {
            // A build error would be an internal failure (`From<BuildError>`).
            Some(item) => Ok(GetItemOutput::builder().item(item).build()?),
            None => Err(not_found(sku).into()),
        }
    }

    async fn list_items(
        &self,
        request: Request<ListItemsInput>,
    ) -> Result<ListItemsOutput, server::ListItemsError> {
        let input = request.into_input();
        let limit = input.limit.unwrap_or(2).max(1) as usize;
        let items = self.items.lock().unwrap();
        let matching: Vec<&Item> = items
            .values()
            .filter(|i| input.category.as_ref().is_none_or(|c| *c == i.category))
            .filter(|i| input.next_token.as_ref().is_none_or(|t| i.sku > *t))
            .collect();
        let page: Vec<Item> = matching.iter().take(limit).map(|i| (*i).clone()).collect();
        let next = (matching.len() > limit).then(|| page.last().unwrap().sku.clone());
        Ok(ListItemsOutput::builder()
            .items(page)
            .next_token(next)
            .build()
            .unwrap())
    }

    async fn delete_item(
        &self,
        request: Request<DeleteItemInput>,
    ) -> Result<(), server::DeleteItemError> {
        let sku = request.input().sku.as_deref().expect("required");
        match self.items.lock().unwrap().remove(sku) {
            Some(_) => Ok(()),
            None => Err(not_found(sku).into()),
        }
    }

    async fn adjust_stock(
        &self,
        request: Request<AdjustStockInput>,
    ) -> Result<AdjustStockOutput, server::AdjustStockError> {
        let input = request.into_input();
        let (sku, change) = (
            input.sku.expect("required"),
            input.change.expect("required"),
        );
        let mut items = self.items.lock().unwrap();
        let Some(item) = items.get_mut(&sku) else {
            return Err(not_found(&sku).into());
        };
        item.quantity = match change {
            StockChange::Delta(d) => item.quantity + d,
            StockChange::Set(s) => s,
            other => return Err(Status::new("BadChange", format!("{other:?}")).into()),
        };
        Ok(AdjustStockOutput::builder()
            .quantity(item.quantity)
            .build()
            .unwrap())
    }
}

async fn start() -> (Client, std::net::SocketAddr) {
    let app = server::router(Store::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let config = Config::builder()
        .endpoint(format!("http://{addr}"))
        .retry(
            RetryConfig::default()
                .with_max_attempts(1)
                .with_initial_backoff(Duration::from_millis(1)),
        )
        .build();
    (Client::new(config), addr)
}

fn hammer(sku: &str, quantity: i32) -> Item {
    Item::builder()
        .sku(sku)
        .name(format!("Hammer {sku}"))
        .category(Category::Tools)
        .quantity(quantity)
        .price_cents(1999_i64)
        .attributes(HashMap::from([("grip".to_owned(), "rubber".to_owned())]))
        .thumbnail(Blob::new(vec![1u8, 2, 3]))
        .updated_at(DateTime::from_secs(1_600_000_000))
        .supplier_notes("ask for Bo")
        .build()
        .unwrap()
}

#[tokio::test]
async fn every_operation_round_trips() {
    let (client, _) = start().await;
    let item = hammer("H-1", 5);
    let put = client.put_item().item(item.clone()).send().await.unwrap();
    assert_eq!(put.version, 1);
    let got = client.get_item().sku("H-1").send().await.unwrap();
    assert_eq!(got.item, item);

    let adjusted = client
        .adjust_stock()
        .sku("H-1")
        .change(StockChange::Delta(-2))
        .send()
        .await
        .unwrap();
    assert_eq!(adjusted.quantity, 3);
    let set = client
        .adjust_stock()
        .sku("H-1")
        .change(StockChange::Set(10))
        .send()
        .await
        .unwrap();
    assert_eq!(set.quantity, 10);

    for sku in ["H-2", "H-3"] {
        client.put_item().item(hammer(sku, 1)).send().await.unwrap();
    }
    let first = client.list_items().limit(2).send().await.unwrap();
    assert_eq!(first.items.len(), 2);
    assert_eq!(first.next_token.as_deref(), Some("H-2"));
    let rest = client
        .list_items()
        .limit(2)
        .next_token("H-2")
        .send()
        .await
        .unwrap();
    assert_eq!(rest.items.len(), 1);
    assert_eq!(rest.next_token, None);
    let garden = client
        .list_items()
        .category(Category::Garden)
        .send()
        .await
        .unwrap();
    assert!(garden.items.is_empty());

    let () = client.delete_item().sku("H-3").send().await.unwrap();
    let err = client.get_item().sku("H-3").send().await.unwrap_err();
    assert!(
        err.as_service_error().unwrap().is_item_not_found(),
        "{err:?}"
    );
}

#[tokio::test]
async fn modeled_errors_arrive_typed_with_their_members() {
    let (client, _) = start().await;
    let err = client.get_item().sku("NOPE").send().await.unwrap_err();
    let Some(GetItemError::ItemNotFound(e)) = err.as_service_error() else {
        panic!("{err:?}")
    };
    assert_eq!(e.message, "no such item");
    assert_eq!(e.sku.as_deref(), Some("NOPE"));
    assert_eq!(e.status().code(), Some("ItemNotFound"));
    assert_eq!(e.status().http_status(), Some(400));
    assert!(e.status().request_id().is_some());

    let nameless = Item::builder()
        .sku("X")
        .name("")
        .category(Category::Garden)
        .build()
        .unwrap();
    let err = client.put_item().item(nameless).send().await.unwrap_err();
    let Some(PutItemError::ValidationError(e)) = err.as_service_error() else {
        panic!("{err:?}")
    };
    assert_eq!(e.fields.as_ref().unwrap()["name"], "must not be empty");

    let err = client
        .adjust_stock()
        .sku("NOPE")
        .change(StockChange::Set(1))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err.as_service_error(),
            Some(AdjustStockError::ItemNotFound(_))
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn unmodeled_failures_and_panics_arrive_with_code_message_and_status() {
    let (client, _) = start().await;
    let teapot = Item::builder()
        .sku("T-1")
        .name("teapot")
        .category(Category::Kitchen)
        .build()
        .unwrap();
    let err = client.put_item().item(teapot).send().await.unwrap_err();
    let e = err.as_service_error().expect("a service error");
    assert!(e.is_unhandled(), "{err:?}");
    assert_eq!(e.status().code(), Some("Teapot"));
    assert_eq!(e.status().message(), Some("short and stout"));
    assert_eq!(e.status().http_status(), Some(418));
    // Its detail, decoded into the generated type, and its metadata.
    let detail = e.status().detail::<Item>().unwrap().unwrap();
    assert_eq!(detail.name, "teapot");
    assert_eq!(e.status().details()[0].shape_id(), "example.inventory#Item");
    assert_eq!(e.status().metadata("retry-after"), Some("5"));
    // A detail of a shape the status does not carry is none.
    assert_eq!(e.status().detail::<ItemNotFound>(), Ok(None));

    let panics = Item::builder()
        .sku("P-1")
        .name("panic")
        .category(Category::Kitchen)
        .build()
        .unwrap();
    let err = client.put_item().item(panics).send().await.unwrap_err();
    let e = err.as_service_error().expect("a service error");
    assert_eq!(e.status().code(), Some("InternalFailure"));
    assert_eq!(e.status().http_status(), Some(500));
    // The server is still up.
    client
        .put_item()
        .item(hammer("OK-1", 1))
        .send()
        .await
        .unwrap();
}

/// Posts `body` with `target` to the server, as a raw HTTP client would.
async fn post(
    addr: std::net::SocketAddr,
    target: Option<&str>,
    body: &str,
) -> (u16, Value, http::HeaderMap) {
    let mut headers = vec![
        ("content-type", "application/x-amz-json-1.0"),
        ("x-amzn-requestid", "caller-7"),
    ];
    headers.extend(target.map(|t| ("x-amz-target", t)));
    let (status, headers, bytes) = common::post_raw(addr, "/", &headers, body).await;
    (status, serde_json::from_slice(&bytes).unwrap(), headers)
}

#[tokio::test]
async fn framing_errors_have_the_protocol_codes() {
    let (_, addr) = start().await;
    let (status, body, headers) = post(addr, Some("Inventory.GetItem"), "{not json").await;
    assert_eq!(status, 400);
    assert_eq!(body["__type"], "SerializationException");
    assert_eq!(headers["x-amzn-requestid"], "caller-7");
    assert_eq!(headers["content-type"], "application/x-amz-json-1.0");

    // A required member missing never reaches the handler: it is a
    // constraint violation (the operation models no
    // `smithy.framework#ValidationException`, so a plain one).
    let (status, body, _) = post(addr, Some("Inventory.GetItem"), "{}").await;
    assert_eq!(status, 400);
    assert_eq!(body["__type"], "ValidationException");
    assert_eq!(
        body["fieldList"],
        json!([{"path": "/sku", "message": "Value at '/sku' failed to satisfy constraint: Member must not be null"}])
    );
    // Nor does a nested structure without its required members, each
    // reported at its pointer.
    let (status, body, _) = post(
        addr,
        Some("Inventory.PutItem"),
        r#"{"item":{"sku":"X","name":null}}"#,
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["__type"], "ValidationException");
    let paths: Vec<&str> = body["fieldList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["/item/name", "/item/category"], "{body}");

    let (status, body, _) = post(addr, Some("Inventory.Nope"), "{}").await;
    assert_eq!(status, 400);
    assert_eq!(body["__type"], "UnknownOperationException");
    let (status, body, _) = post(addr, Some("Other.GetItem"), "{}").await;
    assert_eq!(status, 400);
    assert_eq!(body["__type"], "UnknownOperationException");
    let (status, _, _) = post(addr, None, "{}").await;
    assert_eq!(status, 400);

    // Constraint traits are checked before the handler: `Sku`'s @pattern,
    // `Category`'s values.
    let (status, body, _) = post(addr, Some("Inventory.GetItem"), r#"{"sku":"bad sku"}"#).await;
    assert_eq!(status, 400);
    assert_eq!(body["__type"], "ValidationException");
    assert_eq!(body["fieldList"][0]["path"], "/sku");
    let item = r#"{"item":{"sku":"X-1","name":"x","category":"TOYS"}}"#;
    let (status, body, _) = post(addr, Some("Inventory.PutItem"), item).await;
    assert_eq!(status, 400);
    assert_eq!(
        body["fieldList"][0]["message"],
        "Value at '/item/category' failed to satisfy constraint: Member must satisfy enum value set: [TOOLS, GARDEN, KITCHEN]"
    );

    // A modeled error names its absolute shape id, in the body and header.
    let (status, body, headers) = post(addr, Some("Inventory.GetItem"), r#"{"sku":"NOPE"}"#).await;
    assert_eq!(status, 400);
    assert_eq!(
        body,
        json!({"__type": "example.inventory#ItemNotFound", "message": "no such item", "sku": "NOPE"})
    );
    assert_eq!(
        headers["x-amzn-errortype"],
        "example.inventory#ItemNotFound"
    );
}

#[tokio::test]
async fn handlers_see_the_callers_request_id() {
    let store = std::sync::Arc::new(Store::default());
    struct Shared(std::sync::Arc<Store>);
    impl Inventory for Shared {
        async fn put_item(
            &self,
            request: Request<PutItemInput>,
        ) -> Result<PutItemOutput, server::PutItemError> {
            self.0.put_item(request).await
        }
        async fn get_item(
            &self,
            request: Request<GetItemInput>,
        ) -> Result<GetItemOutput, server::GetItemError> {
            self.0.get_item(request).await
        }
        async fn list_items(
            &self,
            request: Request<ListItemsInput>,
        ) -> Result<ListItemsOutput, server::ListItemsError> {
            self.0.list_items(request).await
        }
        async fn delete_item(
            &self,
            request: Request<DeleteItemInput>,
        ) -> Result<(), server::DeleteItemError> {
            self.0.delete_item(request).await
        }
        async fn adjust_stock(
            &self,
            request: Request<AdjustStockInput>,
        ) -> Result<AdjustStockOutput, server::AdjustStockError> {
            self.0.adjust_stock(request).await
        }
    }
    let app = server::router(Shared(store.clone()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let item = json!({"item": {"sku": "R-1", "name": "Rake", "category": "GARDEN"}});
    let (status, body, headers) = post(addr, Some("Inventory.PutItem"), &item.to_string()).await;
    assert_eq!((status, &body), (200, &json!({"version": 1})));
    assert_eq!(headers["x-amzn-requestid"], "caller-7");
    assert_eq!(*store.request_ids.lock().unwrap(), ["caller-7"]);
}
