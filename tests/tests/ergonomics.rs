//! What real runs found hard to use, each against a real awsJson1_0 server
//! on 127.0.0.1 (axum) serving `tests/models/ergonomics.smithy`:
//! paginators whose tokens are a map (DynamoDB's `LastEvaluatedKey`), a
//! structure or an integer, and whose items are a map or a sparse list;
//! modeled error messages however the member and the wire key are cased;
//! the awsQuery error code of an `@awsQueryCompatible` service; `Debug` of
//! errors; builders without a `Result` when nothing is required; per-entry
//! appenders; an operation whose only auth scheme cannot be signed; and an
//! input-only event stream without an `Unknown` to send.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use tinsmith_runtime::{Config, ProvideErrorStatus, RetryConfig, SdkError};
use tinsmith_tests::corpus::{signed, tables};

use tables::error::TagTableError;
use tables::types::{AttributeValue, Cursor, Page};

/// Every request the server saw: target and body.
#[derive(Default)]
struct Seen(Mutex<Vec<(String, Value)>>);

fn reply(status: u16, headers: &[(&str, &str)], body: Value) -> Response {
    let mut response = (
        StatusCode::from_u16(status).unwrap(),
        [("content-type", "application/x-amz-json-1.0")],
        body.to_string(),
    )
        .into_response();
    for (name, value) in headers {
        response.headers_mut().insert(
            axum::http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
            value.parse().unwrap(),
        );
    }
    response
}

const NAMES: [&str; 5] = ["a", "b", "c", "d", "e"];

/// Two names from `start`, and where the next page starts, if anywhere.
fn page_of(start: usize) -> (Vec<&'static str>, Option<usize>) {
    let end = (start + 2).min(NAMES.len());
    let next = (end < NAMES.len()).then_some(end);
    (NAMES[start..end].to_vec(), next)
}

async fn handle(State(seen): State<Arc<Seen>>, request: Request) -> Response {
    let target = request
        .headers()
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = axum::body::to_bytes(request.into_body(), 1 << 20)
        .await
        .unwrap();
    let input: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    seen.0.lock().unwrap().push((target.clone(), input.clone()));
    let operation = target.rsplit('.').next().unwrap_or_default();
    match operation {
        // Items are `{"id": {"S": <name>}}`; the token is the last key read.
        "Scan" => {
            let start = input["ExclusiveStartKey"]["id"]["S"]
                .as_str()
                .and_then(|after| NAMES.iter().position(|n| *n == after))
                .map_or(0, |i| i + 1);
            let (names, next) = page_of(start);
            let items: Vec<Value> = names.iter().map(|n| json!({"id": {"S": n}})).collect();
            // The last page says "no more" with an empty key.
            let last = match next {
                Some(_) => json!({"id": {"S": names.last().unwrap()}}),
                None => json!({}),
            };
            reply(200, &[], json!({"Items": items, "LastEvaluatedKey": last}))
        }
        "ListByCursor" => {
            let cursor = &input["cursor"];
            let start = cursor["after"]
                .as_str()
                .and_then(|after| NAMES.iter().position(|n| *n == after))
                .map_or(0, |i| i + 1);
            assert_eq!(
                cursor["generation"].as_i64().unwrap_or(7),
                7,
                "the whole structure comes back"
            );
            let (names, next) = page_of(start);
            let mut page = json!({"names": names});
            if next.is_some() {
                page["next"] = json!({"after": names.last().unwrap(), "generation": 7});
            }
            reply(200, &[], json!({"page": page}))
        }
        "ListByOffset" => {
            let start = input["offset"].as_u64().unwrap_or(0) as usize;
            let (names, next) = page_of(start);
            reply(200, &[], json!({"names": names, "nextOffset": next}))
        }
        "ListTags" => {
            let (tags, token) = match input["token"].as_str() {
                None => (json!({"a": "1", "b": "2"}), json!("page-2")),
                Some(_) => (json!({"c": "3"}), json!("")),
            };
            reply(200, &[], json!({"tags": tags, "token": token}))
        }
        "ListSparse" => reply(200, &[], json!({"values": ["a", null, "b"]})),
        "TagTable" => match input["table"].as_str().unwrap_or_default() {
            "missing" => reply(
                400,
                &[("x-amzn-query-error", "AWS.Tables.NonExistentTable;Sender")],
                json!({"__type": "NoSuchTable", "message": "no table named missing"}),
            ),
            "full" => reply(
                400,
                &[],
                json!({"__type": "TooManyTags", "ErrorMessage": "at most 2 tags", "limit": 2}),
            ),
            "busy" => reply(
                400,
                &[],
                json!({"__type": "Conflict", "Message": "the table is busy"}),
            ),
            _ => reply(200, &[], json!({})),
        },
        "Retire" => match input["table"].as_str().unwrap_or_default() {
            "old" => reply(400, &[], json!({"__type": "Gone", "message": "long gone"})),
            _ => {
                assert_eq!(input["reason"], "policy");
                assert_eq!(input["mode"], "LATER");
                assert_eq!(input["when"], json!({"after": 30}));
                reply(200, &[], json!({"note": "", "previous": {"size": 3}}))
            }
        },
        _ => reply(400, &[], json!({"__type": "UnknownOperation"})),
    }
}

async fn serve() -> (String, Arc<Seen>) {
    let seen = Arc::new(Seen::default());
    let app = axum::Router::new()
        .fallback(handle)
        .with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), seen)
}

fn config(endpoint: &str) -> tinsmith_runtime::ConfigBuilder {
    Config::builder()
        .endpoint(endpoint)
        .retry(RetryConfig::disabled())
}

async fn client() -> (tables::Client, Arc<Seen>) {
    let (endpoint, seen) = serve().await;
    (tables::Client::new(config(&endpoint).build()), seen)
}

fn id_of(item: &HashMap<String, AttributeValue>) -> String {
    item["id"].as_s().unwrap().clone()
}

#[tokio::test]
async fn a_map_token_pages_like_dynamodb_and_an_empty_key_ends_the_pages() {
    let (client, seen) = client().await;
    let items = client
        .scan()
        .table_name("t")
        .limit(2)
        .into_paginator()
        .items()
        .collect_all()
        .await
        .unwrap();
    let ids: Vec<String> = items.iter().map(id_of).collect();
    assert_eq!(ids, NAMES);
    let sent: Vec<Value> = seen
        .0
        .lock()
        .unwrap()
        .iter()
        .map(|(_, body)| body["ExclusiveStartKey"].clone())
        .collect();
    assert_eq!(
        sent,
        [
            Value::Null,
            json!({"id": {"S": "b"}}),
            json!({"id": {"S": "d"}})
        ],
        "each page's key is sent back as it came"
    );
}

#[tokio::test]
async fn a_structure_token_nested_in_the_output_round_trips() {
    let (client, seen) = client().await;
    let names = client
        .list_by_cursor()
        .into_paginator()
        .items()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(names, NAMES);
    assert_eq!(seen.0.lock().unwrap().len(), 3);
}

#[tokio::test]
async fn an_integer_token_round_trips() {
    let (client, _) = client().await;
    let pages = client
        .list_by_offset()
        .into_paginator()
        .pages()
        .collect_all()
        .await
        .unwrap();
    let offsets: Vec<Option<i32>> = pages.iter().map(|p| p.next_offset).collect();
    assert_eq!(offsets, [Some(2), Some(4), None]);
}

#[tokio::test]
async fn map_items_are_entries_and_sparse_items_keep_their_holes() {
    let (client, _) = client().await;
    let mut tags = client
        .list_tags()
        .into_paginator()
        .items()
        .collect_all()
        .await
        .unwrap();
    tags.sort();
    let expected: Vec<(String, String)> = [("a", "1"), ("b", "2"), ("c", "3")]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    assert_eq!(tags, expected);

    let values = client
        .list_sparse()
        .into_paginator()
        .items()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(values, [Some("a".to_owned()), None, Some("b".to_owned())]);
}

#[test]
fn tokens_that_cannot_round_trip_get_a_warning_and_no_paginator() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/models/ergonomics.smithy");
    let loaded = tinsmith::Loader::new().path(path).load();
    let warnings: Vec<String> = loaded
        .diagnostics
        .iter()
        .map(|d| d.message.clone())
        .filter(|m| m.contains("cannot be sent back"))
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("Mismatched"), "{}", warnings[0]);
    let source = include_str!(concat!(env!("OUT_DIR"), "/tables.rs"));
    assert!(source.contains("pub struct ScanPaginator"));
    assert!(!source.contains("pub struct MismatchedPaginator"));
}

async fn tag_error(client: &tables::Client, table: &str) -> SdkError<TagTableError> {
    client.tag_table().table(table).send().await.unwrap_err()
}

#[tokio::test]
async fn modeled_messages_are_filled_however_they_are_cased() {
    let (client, _) = client().await;

    // Member `Message` (required), wire key `message`.
    let error = tag_error(&client, "missing").await;
    let Some(TagTableError::NoSuchTable(e)) = error.as_service_error() else {
        panic!("{error:?}")
    };
    assert_eq!(e.message, "no table named missing");
    assert_eq!(e.status().message(), Some("no table named missing"));
    // Display says it once.
    assert_eq!(
        error.to_string(),
        "service error: NoSuchTable: no table named missing (HTTP 400)"
    );

    // Member `errorMessage`, wire key `ErrorMessage`.
    let error = tag_error(&client, "full").await;
    let Some(TagTableError::TooManyTags(e)) = error.as_service_error() else {
        panic!("{error:?}")
    };
    assert_eq!(e.error_message.as_deref(), Some("at most 2 tags"));
    assert_eq!(e.limit, Some(2));

    // Member `message`, wire key `Message`.
    let error = tag_error(&client, "busy").await;
    let Some(TagTableError::Conflict(e)) = error.as_service_error() else {
        panic!("{error:?}")
    };
    assert_eq!(e.message.as_deref(), Some("the table is busy"));
}

#[tokio::test]
async fn a_query_compatible_service_exposes_the_awsquery_code() {
    let (client, _) = client().await;
    let error = tag_error(&client, "missing").await;
    let status = error.as_service_error().unwrap().status();
    let query = status.query_error().expect("the x-amzn-query-error header");
    assert_eq!(query.code(), "AWS.Tables.NonExistentTable");
    assert_eq!(query.fault(), "Sender");
}

#[tokio::test]
async fn debug_of_an_error_is_flat_and_shows_the_body_as_text() {
    let (client, _) = client().await;
    let error = tag_error(&client, "missing").await;
    let debug = format!("{error:?}");
    assert!(
        debug.starts_with("Service { error: NoSuchTable("),
        "{debug}"
    );
    assert!(
        debug.contains(r#"body: "{\"__type\":\"NoSuchTable\""#),
        "the body reads as text: {debug}"
    );
    assert!(!debug.contains("[123,"), "not a byte array: {debug}");
    assert!(!debug.contains("inner"), "no internal layers: {debug}");
}

#[tokio::test]
async fn appenders_add_entries_beside_the_whole_collection_setters() {
    let (client, seen) = client().await;
    client
        .tag_table()
        .table("t")
        .tag("owner", "ada")
        .tag("team", "db")
        .label("prod")
        .label("eu")
        .send()
        .await
        .unwrap();
    let (target, body) = seen.0.lock().unwrap().pop().unwrap();
    assert_eq!(target, "Tables.TagTable");
    assert_eq!(body["tags"], json!({"owner": "ada", "team": "db"}));
    assert_eq!(body["labels"], json!(["prod", "eu"]));

    // The input builder has them too, and the whole-collection setter
    // replaces what was appended.
    let input = tables::types::TagTableInput::builder()
        .label("x")
        .labels(vec!["y".to_owned()])
        .label("z")
        .table("t")
        .build()
        .unwrap();
    assert_eq!(input.labels, Some(vec!["y".to_owned(), "z".to_owned()]));
}

#[test]
fn builders_with_nothing_required_return_the_value() {
    // No `?`, no `unwrap`: nothing can be missing.
    let page: Page = Page::builder().names(vec!["a".to_owned()]).build();
    assert_eq!(page.names.as_deref(), Some(&["a".to_owned()][..]));
    // A required member keeps the `Result`.
    let missing = Cursor::builder().after("a").build().unwrap_err();
    assert!(missing.to_string().contains("generation"), "{missing}");
}

#[tokio::test]
async fn an_operation_that_only_takes_sigv4_is_refused_before_sending() {
    let (endpoint, seen) = serve().await;
    let client = signed::Client::new(config(&endpoint).build());
    let error = client.tag_table().table("t").send().await.unwrap_err();
    let SdkError::Construction(e) = &error else {
        panic!("expected a construction error, got {error:?}")
    };
    assert!(e.to_string().contains("aws.auth#sigv4"), "{e}");
    assert!(seen.0.lock().unwrap().is_empty(), "nothing was sent");

    // Allowed explicitly, it goes out unsigned.
    let client = signed::Client::new(config(&endpoint).allow_unsigned(true).build());
    client.tag_table().table("t").send().await.unwrap();
    assert_eq!(seen.0.lock().unwrap().len(), 1);
}

#[test]
fn an_event_stream_the_client_only_sends_has_no_unknown_variant() {
    let source = include_str!(concat!(env!("OUT_DIR"), "/tables.rs"));
    let file = syn::parse_file(source).unwrap();
    let chunks = find_enum(&file.items, "Chunks").expect("the Chunks union");
    let variants: Vec<String> = chunks
        .variants
        .iter()
        .map(|v| v.ident.to_string())
        .collect();
    assert_eq!(variants, ["Chunk"]);
    // A union the client reads keeps it.
    let attribute = find_enum(&file.items, "AttributeValue").unwrap();
    assert!(attribute.variants.iter().any(|v| v.ident == "Unknown"));
}

fn find_enum<'a>(items: &'a [syn::Item], name: &str) -> Option<&'a syn::ItemEnum> {
    items.iter().find_map(|item| match item {
        syn::Item::Enum(e) if e.ident == name => Some(e),
        syn::Item::Mod(m) => m
            .content
            .as_ref()
            .and_then(|(_, items)| find_enum(items, name)),
        _ => None,
    })
}

/// The crate names its own deprecated items (error enums, serializers,
/// readers) without a warning: CI builds it with `-D warnings`. A user who
/// names them gets the warning, so this test allows it.
#[tokio::test]
#[allow(deprecated)]
async fn deprecated_operations_errors_members_and_variants_work_without_warnings() {
    use tables::types::{RetireMode, RetireWhen};
    let (client, _) = client().await;
    let output = client
        .retire()
        .table("t")
        .reason("policy")
        .mode(RetireMode::Later)
        .when(RetireWhen::After(30))
        .send()
        .await
        .unwrap();
    assert_eq!(output.note.as_deref(), Some(""));
    assert_eq!(output.previous.and_then(|p| p.size), Some(3));

    let error = client.retire().table("old").send().await.unwrap_err();
    let Some(tables::error::RetireError::Gone(e)) = error.as_service_error() else {
        panic!("{error:?}")
    };
    assert_eq!(e.message.as_deref(), Some("long gone"));
}
