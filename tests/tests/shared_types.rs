//! A shared-types library generated once (a types-only SDK of
//! `tinsmith.tests.common`) and two services that use its types from there
//! (`Builder::extern_types`), over restJson1 and awsJson1_0 against servers
//! on 127.0.0.1; and the serde form of generated types.

use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::post;
use serde_json::json;
use tinsmith_tests::corpus::{alerts, common, places};

use common::types::{Confidence, Coordinates, Level, Measurement, Reading};

fn reading() -> Reading {
    Reading::builder()
        .at(Coordinates::builder()
            .latitude(59.9)
            .longitude(10.7)
            .build()
            .unwrap())
        .taken(tinsmith_runtime::DateTime::from_secs(1_700_000_000))
        .value(Measurement::Level(Level::Major))
        .labels([("site".to_owned(), "roof".to_owned())])
        .raw(tinsmith_runtime::Blob::new(b"\x00\x01".to_vec()))
        .note("private")
        .build()
        .unwrap()
}

/// The services' fields have the library's types, not copies of them: a
/// value built with the library goes into both clients and comes back out.
#[test]
fn both_services_use_the_one_library_type() {
    let input: alerts::types::RaiseAlertInput = alerts::types::RaiseAlertInput::builder()
        .station("s1")
        .reading(reading())
        .level(Level::Severe)
        .build()
        .unwrap();
    let shared: &Reading = input.reading.as_ref().unwrap();
    let output = places::types::GetStationOutput::builder()
        .at(shared.at.clone())
        .latest(shared.clone())
        .reading(places::types::Reading2::builder().count(2).build())
        .build()
        .unwrap();
    assert_eq!(output.latest.as_ref(), Some(shared));
    // The service's own `Reading2` is its own type beside the shared `Reading`.
    assert_eq!(output.reading.and_then(|r| r.count), Some(2));
}

fn reply(status: u16, headers: &[(&str, &str)], body: serde_json::Value) -> Response {
    let mut response = axum::http::Response::builder().status(status);
    for (k, v) in headers {
        response = response.header(*k, *v);
    }
    response
        .body(axum::body::Body::from(body.to_string()))
        .unwrap()
}

#[tokio::test]
async fn clients_of_both_services_send_and_receive_the_shared_types() {
    let app = axum::Router::new()
        .route(
            "/stations/{station}/alerts",
            post(
                |axum::extract::Path(station): axum::extract::Path<String>,
                 body: String| async move {
                    let sent: serde_json::Value = serde_json::from_str(&body).unwrap();
                    if station != "s1" {
                        return reply(
                            404,
                            &[("x-amzn-errortype", "NoSuchStation")],
                            json!({"message": "unknown", "station": station}),
                        );
                    }
                    assert_eq!(sent["level"], json!(5));
                    assert_eq!(sent["reading"]["value"], json!({"level": 3}));
                    reply(
                        200,
                        &[("content-type", "application/json")],
                        json!({"area": sent["reading"]["at"], "reading": sent["reading"]}),
                    )
                },
            ),
        )
        .route(
            "/",
            post(|headers: HeaderMap, body: String| async move {
                assert_eq!(headers["x-amz-target"], "Places.GetStation");
                let sent: serde_json::Value = serde_json::from_str(&body).unwrap();
                match sent["station"].as_str() {
                    Some("s1") => reply(
                        200,
                        &[("content-type", "application/x-amz-json-1.0")],
                        json!({
                            "at": {"latitude": 1.5, "longitude": -2.0},
                            "latest": {
                                "at": {"latitude": 1.5, "longitude": -2.0},
                                "taken": "2023-11-14T22:13:20Z",
                                "value": {"celsius": 21.5},
                                "confidence": "low"
                            }
                        }),
                    ),
                    _ => reply(
                        400,
                        &[("content-type", "application/x-amz-json-1.0")],
                        json!({"__type": "tinsmith.tests.common#NoSuchStation", "message": "gone"}),
                    ),
                }
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let config = tinsmith_runtime::Config::builder()
        .endpoint(&endpoint)
        .build();

    let alerts = alerts::Client::new(config.clone());
    let raised = alerts
        .raise_alert()
        .station("s1")
        .reading(reading())
        .level(Level::Severe)
        .send()
        .await
        .unwrap();
    assert_eq!(raised.area, reading().at);
    let echoed = raised.reading.unwrap();
    assert_eq!(echoed.value, Some(Measurement::Level(Level::Major)));
    assert_eq!(echoed.confidence, Confidence::High, "the default is filled");
    let error = alerts
        .raise_alert()
        .station("s2")
        .reading(reading())
        .send()
        .await
        .unwrap_err();
    let Some(alerts::error::RaiseAlertError::NoSuchStation(e)) = error.as_service_error() else {
        panic!("{error:?}")
    };
    let shared: &common::types::NoSuchStation = e;
    assert_eq!(shared.station.as_deref(), Some("s2"));

    let places = places::Client::new(config);
    let station = places.get_station().station("s1").send().await.unwrap();
    assert_eq!(station.at.latitude, 1.5);
    let latest = station.latest.unwrap();
    assert_eq!(latest.confidence, Confidence::Low);
    assert_eq!(latest.value, Some(Measurement::Celsius(21.5)));
    let error = places.get_station().station("s9").send().await.unwrap_err();
    let Some(places::error::GetStationError::NoSuchStation(e)) = error.as_service_error() else {
        panic!("{error:?}")
    };
    assert_eq!(e.message, "gone");
}

/// Structures are maps keyed by member names, optional members absent when
/// unset; unions are one-key maps; enums are their values; timestamps are
/// RFC 3339 text and blobs base64.
#[test]
fn serde_form_is_the_models_own() {
    let value = serde_json::to_value(reading()).unwrap();
    assert_eq!(
        value,
        json!({
            "at": {"latitude": 59.9, "longitude": 10.7},
            "taken": "2023-11-14T22:13:20Z",
            "value": {"level": 3},
            "confidence": "high",
            "sensors": 1,
            "labels": {"site": "roof"},
            "raw": "AAE=",
            "note": "private"
        })
    );
    let back: Reading = serde_json::from_value(value).unwrap();
    assert_eq!(back, reading());
}

/// Deserializing goes through the builder: required members are checked,
/// defaults filled, values this version does not know kept.
#[test]
fn deserializing_builds_through_the_builder() {
    let minimal: Reading = serde_json::from_value(json!({
        "at": {"latitude": 0.0, "longitude": 0.0},
        "taken": "2026-12-02T10:00:00.5Z",
        "confidence": "medium",
        "value": {"event": null},
        "corrects": {
            "at": {"latitude": 1.0, "longitude": 1.0},
            "taken": 0,
            "extra": {"a": [1, "b", null]}
        },
        "unknownMember": true
    }))
    .unwrap();
    assert_eq!(minimal.sensors, 1, "@default 1");
    assert_eq!(minimal.confidence.as_str(), "medium");
    assert!(matches!(minimal.confidence, Confidence::Unknown(_)));
    assert_eq!(minimal.value, Some(Measurement::Event));
    let corrected = minimal.corrects.as_deref().unwrap();
    assert_eq!(corrected.taken, tinsmith_runtime::DateTime::from_secs(0));
    assert!(corrected.extra.is_some());

    let missing = serde_json::from_value::<Reading>(json!({"at": {"latitude": 0.0}}))
        .unwrap_err()
        .to_string();
    assert!(missing.contains("longitude"), "{missing}");
    let wrong = serde_json::from_value::<Reading>(json!({"at": 5})).unwrap_err();
    assert!(wrong.to_string().contains("invalid type"), "{wrong}");
}

/// A union member this version does not know is read as `Unknown`, which
/// has no serde form of its own (nothing of it was kept); a `Unit` member
/// is written as Smithy writes it, `{}`.
#[test]
fn unions_are_maps_with_one_entry() {
    assert_eq!(
        serde_json::from_value::<Measurement>(json!({"kelvin": 3})).unwrap(),
        Measurement::Unknown
    );
    let error = serde_json::to_string(&Measurement::Unknown).unwrap_err();
    assert!(error.to_string().contains("Measurement"), "{error}");
    assert_eq!(
        serde_json::to_value(Measurement::Event).unwrap(),
        json!({"event": {}})
    );
    for form in [json!({"event": {}}), json!({"event": null})] {
        assert_eq!(
            serde_json::from_value::<Measurement>(form).unwrap(),
            Measurement::Event
        );
    }
    for wrong in [
        json!({}),
        json!({"level": 1, "celsius": 2.0}),
        json!("event"),
    ] {
        assert!(
            serde_json::from_value::<Measurement>(wrong.clone()).is_err(),
            "{wrong}"
        );
    }
}

/// Values JSON has no number for keep Smithy's forms, and a document
/// written as `null` reads back as the document `null`, not as absent.
#[test]
fn non_finite_floats_and_null_documents_round_trip() {
    let mut value = reading();
    value.at.latitude = f64::NAN;
    value.at.longitude = f64::NEG_INFINITY;
    value.value = Some(Measurement::Celsius(f32::INFINITY));
    value.extra = Some(tinsmith_runtime::Document::Null);
    let json = serde_json::to_value(&value).unwrap();
    assert_eq!(
        json["at"],
        json!({"latitude": "NaN", "longitude": "-Infinity"})
    );
    assert_eq!(json["extra"], json!(null));
    let back: Reading = serde_json::from_value(json).unwrap();
    assert!(back.at.latitude.is_nan());
    assert_eq!(back.at.longitude, f64::NEG_INFINITY);
    assert_eq!(back.extra, Some(tinsmith_runtime::Document::Null));
}

/// Generation's own rules for types-only SDKs and mappings.
#[test]
fn types_only_generation_refuses_what_it_cannot_hold() {
    let dir = std::env::temp_dir().join(format!("tinsmith-shared-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("service.smithy"),
        "$version: \"2\"\nnamespace ex\nuse aws.protocols#restJson1\n\
         @restJson1 service S { version: \"1\", operations: [Get], rename: { \"ex.lib#Item\": \"Thing\" } }\n\
         @http(method: \"GET\", uri: \"/\") @readonly operation Get { output := { item: ex.lib#Item } }\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("lib.smithy"),
        "$version: \"2\"\nnamespace ex.lib\nstructure Item { id: String }\n",
    )
    .unwrap();
    let loaded = tinsmith::Loader::new().path(&dir).load();
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    let model = loaded.model;
    // --types-only leaves out operation inputs and outputs.
    let options = tinsmith::rust::Options {
        types_only: true,
        ..Default::default()
    };
    let module = tinsmith::rust::generate_module(&model, &options).unwrap();
    assert!(module.contains("pub struct Item"), "{module}");
    assert!(!module.contains("GetOutput"), "{module}");
    // A renamed shape cannot come from a crate that names it otherwise.
    let options = tinsmith::rust::Options {
        extern_types: [("ex.lib".to_owned(), "lib_types".to_owned())].into(),
        ..Default::default()
    };
    let error = tinsmith::rust::generate_module(&model, &options).unwrap_err();
    assert!(
        error.to_string().contains("the service renames it"),
        "{error}"
    );
}

fn load(dir_name: &str, files: &[(&str, &str)]) -> tinsmith::model::Model {
    let dir = std::env::temp_dir().join(format!("tinsmith-{dir_name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
    let loaded = tinsmith::Loader::new().path(&dir).load();
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    loaded.model
}

/// An event-stream union is a stream, not a value: a crate of types alone
/// cannot hold it, whether generated as one or mapped as one.
#[test]
fn event_streams_are_not_shared_types() {
    let model = load(
        "shared-stream",
        &[
            (
                "lib.smithy",
                "$version: \"2\"\nnamespace ex.lib\n@streaming union Events { tick: Tick }\nstructure Tick { n: Integer }\n",
            ),
            (
                "service.smithy",
                "$version: \"2\"\nnamespace ex\nuse aws.protocols#restJson1\n\
                 @restJson1 service S { version: \"1\", operations: [Watch] }\n\
                 @http(method: \"GET\", uri: \"/\") @readonly operation Watch { output := { @httpPayload events: ex.lib#Events } }\n",
            ),
        ],
    );
    let types_only = tinsmith::rust::Options {
        types_only: true,
        namespaces: vec!["ex.lib".to_owned()],
        ..Default::default()
    };
    let error = tinsmith::rust::generate_module(&model, &types_only).unwrap_err();
    assert!(error.to_string().contains("event stream"), "{error}");
    let mapped = tinsmith::rust::Options {
        extern_types: [("ex.lib".to_owned(), "lib_types".to_owned())].into(),
        ..Default::default()
    };
    let error = tinsmith::rust::generate_module(&model, &mapped).unwrap_err();
    assert!(error.to_string().contains("event stream"), "{error}");
}

/// Two namespaces generated into one crate are named as that crate names
/// them: a name both use gets the same alternate in the service.
#[test]
fn namespaces_mapped_to_one_crate_are_named_as_one_plan() {
    let model = load(
        "shared-two",
        &[
            (
                "lib.smithy",
                "$version: \"2\"\nnamespace ex.geo\nstructure Point { x: Integer }\n",
            ),
            (
                "places.smithy",
                "$version: \"2\"\nnamespace ex.places\nstructure Point { label: String }\nstructure Place { at: ex.geo#Point, spot: Point }\n",
            ),
            (
                "service.smithy",
                "$version: \"2\"\nnamespace ex\nuse aws.protocols#restJson1\n\
                 @restJson1 service S { version: \"1\", operations: [Get] }\n\
                 @http(method: \"GET\", uri: \"/\") @readonly operation Get { output := { place: ex.places#Place } }\n",
            ),
        ],
    );
    let library = tinsmith::rust::generate_module(
        &model,
        &tinsmith::rust::Options {
            types_only: true,
            namespaces: vec!["ex.geo".to_owned(), "ex.places".to_owned()],
            ..Default::default()
        },
    )
    .unwrap();
    // The library holds both `Point`s, one under an alternate name.
    let alternate = ["PointValue", "Point2"]
        .into_iter()
        .find(|name| library.contains(&format!("pub struct {name} ")))
        .unwrap_or_else(|| panic!("{library}"));
    let service = tinsmith::rust::generate_module(
        &model,
        &tinsmith::rust::Options {
            extern_types: [
                ("ex.geo".to_owned(), "lib_types".to_owned()),
                ("ex.places".to_owned(), "lib_types".to_owned()),
            ]
            .into(),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(
        service.contains(&format!("lib_types::types::{alternate}")),
        "{service}"
    );
}

/// The build.rs front end refuses what the CLI refuses.
#[test]
fn builder_options_that_contradict_each_other_are_errors() {
    let error = tinsmith::Builder::new()
        .model("models/shared")
        .types_only(true)
        .service("tinsmith.tests.alerts#Alerts")
        .out_dir(std::env::temp_dir())
        .quiet(true)
        .generate()
        .unwrap_err();
    assert!(error.to_string().contains("drop the .service"), "{error}");
    let error = tinsmith::Builder::new()
        .model("models/shared")
        .namespace("tinsmith.tests.common")
        .out_dir(std::env::temp_dir())
        .quiet(true)
        .generate()
        .unwrap_err();
    assert!(
        error.to_string().contains("add .types_only(true)"),
        "{error}"
    );
}
