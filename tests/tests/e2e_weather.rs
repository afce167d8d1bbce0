//! End-to-end: the generated Weather client (restJson1) against a real HTTP
//! server on 127.0.0.1 (axum) that implements the model. Covers every HTTP
//! binding, pagination, modeled and unmodeled errors, malformed responses,
//! timeouts and retries of throttling and server errors.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt as _;
use serde_json::{Value, json};
use tinsmith_runtime::{DateTime, Document, ProvideErrorStatus, RetryConfig, SdkError};
use weather::error::{CreateCityError, GetCityError, GetCurrentTimeError, GetForecastError};
use weather::types::{CityCoordinates, CityKind, Observation, Severity, SnowReport};

/// What the server saw of the last request.
#[derive(Debug, Clone, Default)]
struct Seen {
    method: String,
    path: String,
    query: String,
    headers: HeaderMap,
    body: Bytes,
}

#[derive(Default)]
struct Server {
    last: Mutex<Seen>,
    /// Calls per path, for retry tests.
    calls: Mutex<HashMap<String, usize>>,
    list_calls: AtomicUsize,
    /// The bearer token the server accepts.
    valid_token: Mutex<String>,
}

fn json_response(status: u16, body: Value) -> Response {
    (
        StatusCode::from_u16(status).unwrap(),
        [
            ("content-type", "application/json"),
            ("x-amzn-requestid", "req-1234"),
        ],
        body.to_string(),
    )
        .into_response()
}

fn error(status: u16, kind: &str, body: Value) -> Response {
    let mut response = json_response(status, body);
    response
        .headers_mut()
        .insert("x-amzn-errortype", kind.parse().unwrap());
    response
}

async fn handle(State(server): State<Arc<Server>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, 1 << 20).await.unwrap();
    let path = parts.uri.path().to_owned();
    let query = parts.uri.query().unwrap_or_default().to_owned();
    *server.last.lock().unwrap() = Seen {
        method: parts.method.to_string(),
        path: path.clone(),
        query: query.clone(),
        headers: parts.headers.clone(),
        body: body.clone(),
    };
    let calls = {
        let mut calls = server.calls.lock().unwrap();
        let n = calls.entry(path.clone()).or_default();
        *n += 1;
        *n
    };
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match (parts.method.clone(), segments.as_slice()) {
        (Method::GET, ["cities", "secret"]) => {
            let token = parts
                .headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            if token == format!("Bearer {}", server.valid_token.lock().unwrap()) {
                json_response(
                    200,
                    json!({"name": "Secret", "coordinates": {"latitude": 0, "longitude": 0}}),
                )
            } else {
                error(401, "Unauthorized", json!({"message": "token expired"}))
            }
        }
        (Method::GET, ["cities", "seattle"]) => json_response(
            200,
            json!({"name": "Seattle", "coordinates": {"latitude": 47.5, "longitude": -122.25}}),
        ),
        (Method::GET, ["cities", "atlantis"]) => error(
            404,
            "NoSuchResource",
            json!({"resourceType": "City", "message": "no city called atlantis"}),
        ),
        // No error type at all: the status (404) identifies `NoSuchResource`.
        (Method::GET, ["cities", "lemuria"]) => json_response(404, json!({"resourceType": "City"})),
        (Method::GET, ["cities", "teapot"]) => json_response(
            418,
            json!({"code": "ImATeapot", "message": "short and stout"}),
        ),
        (Method::GET, ["cities", "garbled"]) => {
            (StatusCode::OK, "this is not json").into_response()
        }
        (Method::GET, ["cities", "wrongtype"]) => json_response(
            200,
            json!({"name": 5, "coordinates": {"latitude": 1, "longitude": 2}}),
        ),
        (Method::GET, ["cities", "incomplete"]) => json_response(200, json!({"name": "X"})),
        (Method::GET, ["cities", "slow"]) => {
            tokio::time::sleep(Duration::from_secs(5)).await;
            json_response(200, json!({}))
        }
        (Method::GET, ["cities"]) => {
            server.list_calls.fetch_add(1, Ordering::SeqCst);
            let token = query
                .split('&')
                .find_map(|p| p.strip_prefix("nextToken="))
                .unwrap_or("");
            let (items, next) = match token {
                "" => (vec!["a", "b"], Some("page2")),
                "page2" => (vec!["c"], Some("page3")),
                "page3" => (vec!["d", "e"], None),
                _ => return error(400, "BadToken", json!({})),
            };
            let items: Vec<Value> = items
                .into_iter()
                .map(|id| json!({"cityId": id, "name": id.to_uppercase()}))
                .collect();
            let mut body = json!({ "items": items });
            if let Some(next) = next {
                body["nextToken"] = json!(next);
            }
            json_response(200, body)
        }
        (Method::POST, ["cities"]) => {
            let input: Value = serde_json::from_slice(&body).unwrap();
            if input["name"] == "Seattle" {
                // A legacy service: error type in the body, full shape id and a suffix.
                return json_response(
                    409,
                    json!({
                        "__type": "example.weather#CityAlreadyExists:http://internal/validate/",
                        "message": "Seattle exists",
                        "existingCityId": "seattle"
                    }),
                );
            }
            json_response(
                201,
                json!({"cityId": input["name"].as_str().unwrap().to_lowercase()}),
            )
        }
        (Method::PUT, ["cities", _, "reports", ..]) => {
            let mut response = (
                StatusCode::ACCEPTED,
                [
                    ("content-type", "application/json"),
                    ("etag", "\"v7\""),
                    ("x-accepted-at", "Tue, 14 Nov 2023 22:13:20 GMT"),
                    ("x-meta-region", "north"),
                ],
                json!({"reportId": "r-1", "storedAt": 1_700_000_000.5}).to_string(),
            )
                .into_response();
            response
                .headers_mut()
                .insert("x-meta-source", "station".parse().unwrap());
            response
        }
        (Method::GET, ["cities", _, "radar"]) => (
            StatusCode::OK,
            [("content-type", "image/png"), ("x-frame-count", "3")],
            vec![0x89u8, b'P', b'N', b'G', 0, 255],
        )
            .into_response(),
        (Method::PUT, ["cities", _, "notes"]) => StatusCode::OK.into_response(),
        (Method::GET, ["cities", _, "metadata"]) => json_response(
            200,
            json!({"population": 750000, "tags": ["rainy", "coffee"], "coastal": true}),
        ),
        (Method::GET, ["current-time"]) if calls <= 2 => {
            error(429, "ThrottlingError", json!({"message": "slow down"}))
        }
        (Method::GET, ["current-time"]) => json_response(200, json!({"time": 1_700_000_000})),
        (Method::GET, ["cities", "flaky", "forecast"]) if calls <= 1 => {
            error(503, "ServiceUnavailable", json!({"message": "try later"}))
        }
        (Method::GET, ["cities", "down", "forecast"]) => {
            error(503, "ServiceUnavailable", json!({"message": "still down"}))
        }
        (Method::GET, ["cities", _, "forecast"]) => json_response(
            200,
            json!({
                "chanceOfRain": 0.75,
                "alerts": {
                    "message": "Storm", "severity": "warning",
                    "next": {"message": "Wind", "severity": "advisory"}
                }
            }),
        ),
        _ => error(
            400,
            "UnknownRoute",
            json!({"message": format!("no route for {path}")}),
        ),
    }
}

async fn start() -> (weather::Client, Arc<Server>) {
    start_with(|b| b).await
}

async fn start_with(
    configure: impl FnOnce(tinsmith_runtime::ConfigBuilder) -> tinsmith_runtime::ConfigBuilder,
) -> (weather::Client, Arc<Server>) {
    let server = Arc::new(Server::default());
    let app = axum::Router::new()
        .fallback(handle)
        .with_state(server.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    *server.valid_token.lock().unwrap() = "token-0".to_owned();
    let builder = weather::Config::builder()
        .endpoint(format!("http://{addr}"))
        .bearer_token(tinsmith_runtime::auth::StaticIdentity::new("token-0"))
        .retry(
            RetryConfig::default()
                .with_max_attempts(3)
                .with_initial_backoff(Duration::from_millis(1))
                .with_max_backoff(Duration::from_millis(5)),
        );
    (weather::Client::new(configure(builder).build()), server)
}

fn last(server: &Server) -> Seen {
    server.last.lock().unwrap().clone()
}

#[tokio::test]
async fn get_with_a_label_reads_the_json_body() {
    let (client, server) = start().await;
    let city = client.get_city().city_id("seattle").send().await.unwrap();
    assert_eq!(city.name, "Seattle");
    assert_eq!(
        city.coordinates,
        CityCoordinates::builder()
            .latitude(47.5)
            .longitude(-122.25)
            .build()
            .unwrap()
    );
    let seen = last(&server);
    assert_eq!(
        (seen.method.as_str(), seen.path.as_str()),
        ("GET", "/cities/seattle")
    );
    assert!(seen.body.is_empty());
    assert!(seen.headers.get("content-type").is_none());
}

#[tokio::test]
async fn labels_are_percent_encoded() {
    let (client, server) = start().await;
    let _ = client.get_city().city_id("new york").send().await;
    assert_eq!(last(&server).path, "/cities/new%20york");
}

#[tokio::test]
async fn missing_required_input_is_a_construction_error_before_sending() {
    let (client, server) = start().await;
    let err = client.get_city().send().await.unwrap_err();
    let SdkError::Construction(e) = &err else {
        panic!("{err:?}")
    };
    assert!(e.to_string().contains("cityId"), "{e}");
    assert!(server.calls.lock().unwrap().is_empty());
}

#[tokio::test]
async fn modeled_error_carries_typed_value_and_rich_status() {
    let (client, _) = start().await;
    let err = client
        .get_city()
        .city_id("atlantis")
        .send()
        .await
        .unwrap_err();
    let Some(GetCityError::NoSuchResource(e)) = err.as_service_error() else {
        panic!("{err:?}")
    };
    assert_eq!(e.resource_type, "City");
    assert_eq!(e.status().code(), Some("NoSuchResource"));
    assert_eq!(e.status().message(), Some("no city called atlantis"));
    assert_eq!(e.status().request_id(), Some("req-1234"));
    assert_eq!(e.status().http_status(), Some(404));
    assert!(!e.is_retryable());
    assert!(err.to_string().contains("no city called atlantis"), "{err}");
}

#[tokio::test]
async fn error_without_a_type_is_identified_by_its_http_error_status() {
    let (client, _) = start().await;
    let err = client
        .get_city()
        .city_id("lemuria")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err.as_service_error(),
            Some(GetCityError::NoSuchResource(_))
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn unmodeled_error_is_unhandled_with_its_code_and_message() {
    let (client, _) = start().await;
    let err = client
        .get_city()
        .city_id("teapot")
        .send()
        .await
        .unwrap_err();
    let Some(service_error) = err.as_service_error() else {
        panic!("{err:?}")
    };
    assert!(service_error.is_unhandled());
    let status = service_error.status();
    assert_eq!(status.code(), Some("ImATeapot"));
    assert_eq!(status.message(), Some("short and stout"));
    assert_eq!(status.http_status(), Some(418));
}

#[tokio::test]
async fn error_type_in_the_body_is_sanitized_and_matched() {
    let (client, _) = start().await;
    let err = client
        .create_city()
        .name("Seattle")
        .coordinates(
            CityCoordinates::builder()
                .latitude(1.0)
                .longitude(2.0)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap_err();
    let Some(CreateCityError::CityAlreadyExists(e)) = err.as_service_error() else {
        panic!("{err:?}")
    };
    assert_eq!(e.message, "Seattle exists");
    assert_eq!(e.existing_city_id.as_deref(), Some("seattle"));
    assert_eq!(e.status().code(), Some("CityAlreadyExists"));
}

#[tokio::test]
async fn malformed_responses_are_typed_errors_not_panics() {
    let (client, _) = start().await;
    for city in ["garbled", "wrongtype", "incomplete"] {
        let err = client.get_city().city_id(city).send().await.unwrap_err();
        let SdkError::Response(e) = &err else {
            panic!("{city}: {err:?}")
        };
        assert_eq!(e.status().http_status(), Some(200), "{city}");
        match city {
            "garbled" => assert!(e.to_string().contains("not valid JSON"), "{e}"),
            "wrongtype" => assert!(e.to_string().contains("name: expected a string"), "{e}"),
            _ => assert!(e.to_string().contains("coordinates"), "{e}"),
        }
    }
}

#[tokio::test]
async fn a_slow_server_times_out() {
    let (client, _) = start_with(|b| b.attempt_timeout(Duration::from_millis(100))).await;
    let started = std::time::Instant::now();
    let err = client.get_city().city_id("slow").send().await.unwrap_err();
    assert!(matches!(err, SdkError::Timeout(_)), "{err:?}");
    // GetCity is @readonly, so the timed-out attempts were retried (3 in all).
    assert!(started.elapsed() < Duration::from_secs(4));
}

#[tokio::test]
async fn operation_timeout_bounds_all_attempts() {
    let (client, _) = start_with(|b| b.operation_timeout(Duration::from_millis(150))).await;
    let err = client.get_city().city_id("slow").send().await.unwrap_err();
    assert!(matches!(err, SdkError::Timeout(_)), "{err:?}");
    assert!(err.to_string().contains("operation"), "{err}");
}

#[tokio::test]
async fn throttling_errors_are_retried_until_success() {
    let (client, server) = start().await;
    let out = client.get_current_time().send().await.unwrap();
    assert_eq!(out.time, DateTime::from_secs(1_700_000_000));
    assert_eq!(server.calls.lock().unwrap()["/current-time"], 3);
}

#[tokio::test]
async fn retryable_server_errors_are_retried_and_exhaustion_is_reported() {
    let (client, server) = start().await;
    let forecast = client.get_forecast().city_id("flaky").send().await.unwrap();
    assert_eq!(forecast.chance_of_rain, Some(0.75));
    let alert = forecast.alerts.unwrap();
    assert_eq!(alert.severity, Severity::Warning);
    assert_eq!(alert.next.unwrap().message, "Wind");

    let err = client
        .get_forecast()
        .city_id("down")
        .send()
        .await
        .unwrap_err();
    let SdkError::Service(service) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(service.attempts(), 3);
    let GetForecastError::ServiceUnavailable(e) = service.err() else {
        panic!("{err:?}")
    };
    assert!(e.is_retryable() && !e.is_throttling());
    assert_eq!(server.calls.lock().unwrap()["/cities/down/forecast"], 3);
    let _: &dyn ProvideErrorStatus = service.err();
}

#[tokio::test]
async fn throttling_flag_comes_from_the_model() {
    let (client, _) = start_with(|b| b.retry(RetryConfig::disabled())).await;
    let err = client.get_current_time().send().await.unwrap_err();
    let Some(GetCurrentTimeError::ThrottlingError(e)) = err.as_service_error() else {
        panic!("{err:?}")
    };
    assert!(e.is_throttling() && e.is_retryable());
    assert_eq!(e.message.as_deref(), Some("slow down"));
}

#[tokio::test]
async fn paginator_streams_pages_and_items_lazily() {
    let (client, server) = start().await;
    let pages: Vec<_> = client
        .list_cities()
        .page_size(2)
        .into_paginator()
        .pages()
        .collect()
        .await;
    assert_eq!(pages.len(), 3);
    assert!(last(&server).query.contains("pageSize=2"));

    let items = client
        .list_cities()
        .into_paginator()
        .items()
        .collect_all()
        .await
        .unwrap();
    let ids: Vec<_> = items.iter().map(|c| c.city_id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "c", "d", "e"]);

    // Taking one item sends one request.
    let before = server.list_calls.load(Ordering::SeqCst);
    let mut items = client.list_cities().into_paginator().items();
    let first = items.next().await.unwrap().unwrap();
    assert_eq!(first.city_id, "a");
    assert_eq!(server.list_calls.load(Ordering::SeqCst), before + 1);
}

#[tokio::test]
async fn json_body_members_timestamps_and_documents_are_sent() {
    let (client, server) = start().await;
    let out = client
        .create_city()
        .name("Portland")
        .coordinates(
            CityCoordinates::builder()
                .latitude(45.5)
                .longitude(-122.5)
                .build()
                .unwrap(),
        )
        .tags(vec!["rose".to_owned()])
        .founded(DateTime::from_secs(0))
        .notes(Document::from("nice"))
        .mayor_phone("555-0100")
        .send()
        .await
        .unwrap();
    assert_eq!(out.city_id, "portland");
    let seen = last(&server);
    assert_eq!(seen.headers["content-type"], "application/json");
    let body: Value = serde_json::from_slice(&seen.body).unwrap();
    assert_eq!(
        body,
        json!({
            "name": "Portland",
            "coordinates": {"latitude": 45.5, "longitude": -122.5},
            "tags": ["rose"],
            "founded": "1970-01-01T00:00:00Z",
            "notes": "nice",
            "mayorPhone": "555-0100"
        })
    );
}

#[tokio::test]
async fn sensitive_members_are_redacted_in_debug_output() {
    let input = weather::types::CreateCityInput::builder()
        .name("X")
        .coordinates(
            CityCoordinates::builder()
                .latitude(0.0)
                .longitude(0.0)
                .build()
                .unwrap(),
        )
        .mayor_phone("555-0100")
        .build()
        .unwrap();
    let debug = format!("{input:?}");
    assert!(!debug.contains("555-0100"), "{debug}");
    assert!(
        debug.contains("*** Sensitive Data Redacted ***") || debug.contains("redacted"),
        "{debug}"
    );
}

#[tokio::test]
async fn every_request_binding_reaches_the_server() {
    let (client, server) = start().await;
    let out = client
        .put_report()
        .city_id("seattle")
        .station("north/roof top")
        .language("en")
        .tags(vec!["a".to_owned(), "b c".to_owned()])
        .extra(HashMap::from([
            ("lang".to_owned(), "ignored".to_owned()),
            ("unit".to_owned(), "metric".to_owned()),
        ]))
        .reported_at(DateTime::from_secs(1_700_000_000))
        .flags(vec!["x".to_owned(), "y,z".to_owned()])
        .priority(2)
        .meta_value(HashMap::from([("source".to_owned(), "test".to_owned())]))
        .observation(Observation::Snow(
            SnowReport::builder()
                .depth_cm(12.5)
                .fresh_snow(true)
                .build()
                .unwrap(),
        ))
        .send()
        .await
        .unwrap();
    let seen = last(&server);
    assert_eq!(seen.method, "PUT");
    // The greedy label keeps its `/`; the space is encoded.
    assert_eq!(seen.path, "/cities/seattle/reports/north/roof%20top");
    let mut query: Vec<&str> = seen.query.split('&').collect();
    query.sort();
    // `@httpQuery("lang")` wins over the same key in `@httpQueryParams`.
    assert_eq!(
        query,
        ["format=v2", "lang=en", "tag=a", "tag=b%20c", "unit=metric"]
    );
    assert_eq!(
        seen.headers["x-reported-at"],
        "Tue, 14 Nov 2023 22:13:20 GMT"
    );
    assert_eq!(seen.headers["x-flags"], "x, \"y,z\"");
    assert_eq!(seen.headers["x-priority"], "2");
    assert_eq!(seen.headers["x-meta-source"], "test");
    assert_eq!(seen.headers["content-type"], "application/json");
    let body: Value = serde_json::from_slice(&seen.body).unwrap();
    assert_eq!(body, json!({"snow": {"depthCm": 12.5, "fresh_snow": true}}));

    // Every response binding: status code, headers, prefix headers, payload.
    assert_eq!(out.status, Some(202));
    assert_eq!(out.etag.as_deref(), Some("\"v7\""));
    assert_eq!(out.accepted_at, Some(DateTime::from_secs(1_700_000_000)));
    let meta = out.meta.unwrap();
    assert_eq!(meta["region"], "north");
    assert_eq!(meta["source"], "station");
    let receipt = out.receipt.unwrap();
    assert_eq!(receipt.report_id, "r-1");
    assert_eq!(
        receipt.stored_at,
        Some(DateTime::from_secs_and_nanos(1_700_000_000, 500_000_000))
    );
}

#[tokio::test]
async fn union_payload_with_a_unit_member() {
    let (client, server) = start().await;
    client
        .put_report()
        .city_id("seattle")
        .station("s")
        .observation(Observation::Clear)
        .send()
        .await
        .unwrap();
    let body: Value = serde_json::from_slice(&last(&server).body).unwrap();
    assert_eq!(body, json!({"clear": {}}));
}

#[tokio::test]
async fn blob_payload_with_media_type_and_header() {
    let (client, _) = start().await;
    let radar = client.get_radar().city_id("seattle").send().await.unwrap();
    assert_eq!(radar.frames, Some(3));
    assert_eq!(
        radar.image.unwrap().as_bytes(),
        &[0x89, b'P', b'N', b'G', 0, 255]
    );
}

#[tokio::test]
async fn string_payload_is_sent_as_text() {
    let (client, server) = start().await;
    client
        .put_city_notes()
        .city_id("seattle")
        .notes("Bring an umbrella ☔")
        .send()
        .await
        .unwrap();
    let seen = last(&server);
    assert_eq!(seen.headers["content-type"], "text/plain");
    assert_eq!(
        std::str::from_utf8(&seen.body).unwrap(),
        "Bring an umbrella ☔"
    );
}

#[tokio::test]
async fn document_payload_is_read_whole() {
    let (client, _) = start().await;
    let out = client
        .get_city_metadata()
        .city_id("seattle")
        .send()
        .await
        .unwrap();
    let Some(Document::Object(map)) = out.metadata else {
        panic!("{:?}", out.metadata)
    };
    assert_eq!(map["coastal"], Document::Bool(true));
    assert_eq!(
        map["tags"],
        Document::Array(vec![Document::from("rainy"), Document::from("coffee")])
    );
}

#[tokio::test]
async fn unknown_enum_values_are_kept() {
    assert_eq!(CityKind::from("hamlet").as_str(), "hamlet");
    assert!(matches!(CityKind::from("town"), CityKind::Town));
}

#[tokio::test]
async fn transport_failure_is_a_transport_error() {
    // Nothing listens on this port once the listener is dropped.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let client = weather::Client::new(
        weather::Config::builder()
            .endpoint(format!("http://{addr}"))
            .bearer_token(tinsmith_runtime::auth::StaticIdentity::new("t"))
            .retry(RetryConfig::disabled())
            .build(),
    );
    let err = client.get_city().city_id("x").send().await.unwrap_err();
    assert!(matches!(err, SdkError::Transport(_)), "{err:?}");
}

/// The SDK generated by `build.rs` through `tinsmith::Builder` works the same.
#[tokio::test]
async fn build_script_sdk_talks_to_the_same_server() {
    let (client, _) = start().await;
    let config = client.config().clone();
    let client = tinsmith_tests::weather::Client::new(config);
    let city = client.get_city().city_id("seattle").send().await.unwrap();
    assert_eq!(city.name, "Seattle");
}

/// Hands out `token-N`; `refresh` moves to the next N and counts refreshes.
#[derive(Debug, Default)]
struct RotatingToken {
    current: AtomicUsize,
    refreshes: AtomicUsize,
}

impl tinsmith_runtime::auth::IdentityProvider for RotatingToken {
    fn identity(&self) -> tinsmith_runtime::auth::IdentityFuture<'_> {
        let n = self.current.load(Ordering::SeqCst);
        Box::pin(async move { Ok(tinsmith_runtime::auth::Identity::new(format!("token-{n}"))) })
    }

    fn refresh(&self) -> tinsmith_runtime::auth::IdentityFuture<'_> {
        self.refreshes.fetch_add(1, Ordering::SeqCst);
        let n = self.current.fetch_add(1, Ordering::SeqCst) + 1;
        Box::pin(async move {
            // A slow token endpoint, so concurrent failures overlap.
            tokio::time::sleep(Duration::from_millis(50)).await;
            Ok(tinsmith_runtime::auth::Identity::new(format!("token-{n}")))
        })
    }
}

#[tokio::test]
async fn a_401_refreshes_the_token_once_and_retries() {
    let tokens = Arc::new(RotatingToken::default());
    let provider = tokens.clone();
    let (client, server) = start_with(move |b| b.bearer_token(provider)).await;
    *server.valid_token.lock().unwrap() = "token-1".to_owned();
    let city = client.get_city().city_id("secret").send().await.unwrap();
    assert_eq!(city.name, "Secret");
    assert_eq!(tokens.refreshes.load(Ordering::SeqCst), 1);
    assert_eq!(server.calls.lock().unwrap()["/cities/secret"], 2);

    // A token that stays invalid: one refresh, one resend, then the 401.
    *server.valid_token.lock().unwrap() = "never".to_owned();
    let err = client
        .get_city()
        .city_id("secret")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.as_service_error().unwrap().status().http_status(),
        Some(401)
    );
    assert_eq!(tokens.refreshes.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn twenty_concurrent_401s_trigger_one_refresh() {
    let tokens = Arc::new(RotatingToken::default());
    let provider = tokens.clone();
    let (client, server) = start_with(move |b| b.bearer_token(provider)).await;
    *server.valid_token.lock().unwrap() = "token-1".to_owned();
    let calls = (0..20).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.get_city().city_id("secret").send().await })
    });
    for call in calls {
        assert_eq!(call.await.unwrap().unwrap().name, "Secret");
    }
    assert_eq!(
        tokens.refreshes.load(Ordering::SeqCst),
        1,
        "single-flight refresh"
    );
}

#[tokio::test]
async fn operations_that_need_credentials_say_so() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let client = weather::Client::new(
        weather::Config::builder()
            .endpoint(format!("http://{}", listener.local_addr().unwrap()))
            .build(),
    );
    let err = client.get_city().city_id("x").send().await.unwrap_err();
    assert!(
        matches!(&err, SdkError::Construction(e) if e.to_string().contains("needs credentials")),
        "{err:?}"
    );
}
