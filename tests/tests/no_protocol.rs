//! A service that declares no protocol trait (the shape of Smithy's
//! quickstart model): without a choice generation names the option; with
//! `--protocol` / `Builder::protocol` the client speaks it to a server.

use axum::extract::{Path, RawQuery};
use axum::response::Response;
use axum::routing::get;
use serde_json::json;
use tinsmith_tests::corpus::forecasts;

const MODEL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/models/quickstart.smithy");

fn model() -> tinsmith::model::Model {
    let loaded = tinsmith::Loader::new().path(MODEL).load();
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    loaded.model
}

#[test]
fn without_a_protocol_the_error_names_the_option_and_what_fits() {
    let error = tinsmith::rust::generate(&model(), &Default::default()).unwrap_err();
    let text = error.to_string();
    assert!(
        text.contains("declares no supported protocol (declared: none"),
        "{text}"
    );
    assert!(text.contains("--protocol <shape id>"), "{text}");
    assert!(text.contains("Builder::protocol"), "{text}");
}

#[test]
fn a_protocol_is_named_by_shape_id_or_by_name() {
    use tinsmith::rust::ProtocolKind;
    for (id, kind) in [
        ("aws.protocols#restJson1", ProtocolKind::RestJson1),
        ("restJson1", ProtocolKind::RestJson1),
        ("smithy.protocols#rpcv2Cbor", ProtocolKind::RpcV2Cbor),
        ("awsJson1_0", ProtocolKind::AwsJson1_0),
        ("aws.protocols#awsQuery", ProtocolKind::AwsQuery),
        ("restXml", ProtocolKind::RestXml),
    ] {
        assert_eq!(ProtocolKind::from_trait_id(id), Some(kind), "{id}");
    }
    assert_eq!(ProtocolKind::from_trait_id("aws.protocols#soap"), None);
    let error = tinsmith::Builder::new()
        .model(MODEL)
        .protocol("soap")
        .out_dir(std::env::temp_dir())
        .quiet(true)
        .generate()
        .unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("`soap` is not a supported protocol (supported: aws.protocols#restJson1"),
        "{error}"
    );
}

/// The same model generates for every protocol that can carry it.
#[test]
fn every_supported_protocol_can_be_chosen() {
    let model = model();
    for kind in tinsmith::rust::ProtocolKind::ALL {
        let options = tinsmith::rust::Options {
            protocol: Some(kind),
            ..Default::default()
        };
        let module = tinsmith::rust::generate_module(&model, &options)
            .unwrap_or_else(|e| panic!("{kind:?}: {e}"));
        syn::parse_file(&module).unwrap_or_else(|e| panic!("{kind:?}: {e}"));
    }
}

fn reply(status: u16, error_type: Option<&str>, body: serde_json::Value) -> Response {
    let mut response = axum::http::Response::builder()
        .status(status)
        .header("content-type", "application/json");
    if let Some(kind) = error_type {
        response = response.header("x-amzn-errortype", kind);
    }
    response
        .body(axum::body::Body::from(body.to_string()))
        .unwrap()
}

#[tokio::test]
async fn the_chosen_protocol_talks_to_a_server() {
    let app = axum::Router::new()
        .route(
            "/cities/{id}",
            get(|Path(id): Path<String>| async move {
                match id.as_str() {
                    "oslo" => reply(200, None, json!({"name": "Oslo", "tomorrow": -3.5})),
                    _ => reply(
                        404,
                        Some("NoSuchCity"),
                        json!({"message": format!("no city {id}")}),
                    ),
                }
            }),
        )
        .route(
            "/cities",
            get(|RawQuery(query): RawQuery| async move {
                match query.as_deref().unwrap_or_default().contains("nextToken=2") {
                    false => reply(
                        200,
                        None,
                        json!({"items": ["oslo", "rome"], "nextToken": "2"}),
                    ),
                    true => reply(200, None, json!({"items": ["lima"]})),
                }
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let client = forecasts::Client::new(
        tinsmith_runtime::Config::builder()
            .endpoint(&endpoint)
            .build(),
    );

    let city = client.get_city().city_id("oslo").send().await.unwrap();
    assert_eq!(city.name, "Oslo");
    assert_eq!(city.tomorrow, Some(-3.5));

    let error = client
        .get_city()
        .city_id("nowhere")
        .send()
        .await
        .unwrap_err();
    let Some(forecasts::error::GetCityError::NoSuchCity(e)) = error.as_service_error() else {
        panic!("{error:?}")
    };
    assert_eq!(e.message.as_deref(), Some("no city nowhere"));

    let ids = client
        .list_cities()
        .into_paginator()
        .items()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(ids, ["oslo", "rome", "lima"]);
}
