//! Models whose names collide with every name the generator adds
//! (`tests/models/adversarial/`): they compile (the crate would not build
//! otherwise), and the renamed items still mean what the model says — each
//! value, member and error keeps its wire name, and no two collapse into one.

use tinsmith_runtime::test_util::TestTransport;
use tinsmith_runtime::{Config, ProvideErrorStatus, RetryConfig};
use tinsmith_tests::corpus::{
    adversarial_cbor, adversarial_documents, adversarial_operations, adversarial_types,
};

fn config(transport: &TestTransport) -> Config {
    Config::builder()
        .endpoint("https://example.com")
        .transport(transport.clone())
        .retry(RetryConfig::disabled())
        .build()
}

#[test]
fn enum_values_that_collide_stay_distinct_and_keep_their_wire_values() {
    use adversarial_types::types::{LegacyEnum, Level, OddEnum};
    for values in [OddEnum::values(), LegacyEnum::values()] {
        let mut seen = std::collections::BTreeSet::new();
        for value in values {
            assert!(seen.insert(*value), "{value} is listed twice");
        }
    }
    for value in OddEnum::values() {
        let parsed = OddEnum::from(*value);
        assert!(!matches!(parsed, OddEnum::Unknown(_)), "{value} is known");
        assert_eq!(parsed.as_str(), *value);
    }
    assert_eq!(OddEnum::from("UNKNOWN"), OddEnum::UnknownValue2);
    assert_eq!(OddEnum::from("unknown-value"), OddEnum::UnknownValue);
    assert_eq!(OddEnum::from("err").as_str(), "err");
    assert!(matches!(OddEnum::from("else"), OddEnum::Unknown(_)));
    for value in LegacyEnum::values() {
        assert_eq!(LegacyEnum::from(*value).as_str(), *value);
    }
    assert_eq!(LegacyEnum::from("unknown"), LegacyEnum::UnknownValue);
    for value in Level::values() {
        assert_eq!(Level::from(*value).value(), *value);
    }
    assert_eq!(Level::from(1), Level::UnknownValue2);
}

#[test]
fn union_members_that_collide_keep_their_accessors_apart() {
    use adversarial_types::types::{Accessors, Choice};
    let a = Accessors::XY(String::from("x_y"));
    let b = Accessors::Xy(String::from("xy"));
    assert_eq!(a.as_xy().map(String::as_str), Some("x_y"));
    assert_eq!(b.as_xy_2().map(String::as_str), Some("xy"));
    assert!(!a.is_xy_2() && !b.is_xy());
    assert!(Choice::Unknown.is_unknown());
    assert!(!Choice::UnknownValue(String::new()).is_unknown());
}

#[test]
fn builders_report_members_by_their_model_names() {
    use adversarial_types::types::Locals;
    let err = Locals::builder().input("i").build().unwrap_err();
    assert_eq!(
        err.missing(),
        ["missing", "missing_value", "builder", "object", "value"]
    );
    let locals = Locals::builder()
        .missing("m")
        .missing_value("mv")
        .input("i")
        .builder_value("b")
        .object("o")
        .value("v")
        .build()
        .unwrap();
    assert_eq!(
        (locals.missing.as_str(), locals.builder.as_str()),
        ("m", "b")
    );
}

#[tokio::test]
async fn members_that_collide_are_sent_under_their_own_names() {
    use adversarial_types::types::{KeywordCollections, Keywords, Setters};
    let transport = TestTransport::new(200, &[], "{}");
    let client = adversarial_types::Client::new(config(&transport));
    let setters = Setters::builder()
        .build_value_2("build")
        .build_value("build_value")
        .set_build("set_build")
        .default_value("default")
        .clone_value("clone")
        .foo("foo")
        .set_foo("set_foo")
        .foo_bar("fooBar")
        .foo_bar_value("foo_bar")
        .build();
    let keywords = Keywords::builder()
        .r#type("type")
        .self_("self")
        .self_value("self_")
        .crate_("crate")
        .build();
    // Whole collections by their setters, one entry by their appenders.
    let collections = KeywordCollections::builder()
        .super_(vec![String::from("a")])
        .push_super("b")
        .self_([(String::from("k"), String::from("v"))])
        .insert_self("k2", "v2")
        .build();
    client
        .put_thing()
        .setters(setters)
        .keywords(keywords)
        .keyword_collections(collections)
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = serde_json::from_slice(transport.last_request().body()).unwrap();
    for (key, value) in [
        ("build", "build"),
        ("build_value", "build_value"),
        ("set_build", "set_build"),
        ("default", "default"),
        ("clone", "clone"),
        ("foo", "foo"),
        ("set_foo", "set_foo"),
        ("fooBar", "fooBar"),
        ("foo_bar", "foo_bar"),
    ] {
        assert_eq!(body["setters"][key], value, "{key} in {body}");
    }
    for key in ["type", "self", "self_", "crate"] {
        assert_eq!(body["keywords"][key], key, "{key} in {body}");
    }
    assert_eq!(
        body["keywordCollections"],
        serde_json::json!({"super": ["a", "b"], "self": {"k": "v", "k2": "v2"}})
    );
}

#[tokio::test]
async fn operations_that_collide_keep_their_own_requests() {
    let transport = TestTransport::new(200, &[], "{}");
    let client = adversarial_operations::Client::new(config(&transport));
    client.get_foo().send().await.unwrap();
    assert_eq!(transport.last_request().uri().path(), "/get-foo");
    client.get_foo_value().send().await.unwrap();
    assert_eq!(transport.last_request().uri().path(), "/get_foo");
    client.new_value().send().await.unwrap();
    assert_eq!(transport.last_request().uri().path(), "/new");
    client.clone_value().send().await.unwrap();
    assert_eq!(transport.last_request().uri().path(), "/clone");
    client.sdk_error().send().await.unwrap();
    assert_eq!(transport.last_request().uri().path(), "/sdk-error");
    client.list_things_paginator().send().await.unwrap();
    assert_eq!(transport.last_request().uri().path(), "/things-paginator");
}

#[tokio::test]
async fn labels_and_host_labels_that_collide_fill_their_own_places() {
    let transport = TestTransport::new(200, &[], "{}");
    let client = adversarial_operations::Client::new(config(&transport));
    client
        .labels()
        .foo_bar("one")
        .foo_bar_value("two")
        .rest("a/b")
        .host_a("x")
        .host_a_value("y")
        .label_foo_bar("body")
        .send()
        .await
        .unwrap();
    let request = transport.last_request();
    assert_eq!(request.uri().path(), "/labels/one/two/a/b");
    assert_eq!(request.uri().host(), Some("x-y.example.com"));
    let body: serde_json::Value = serde_json::from_slice(request.body()).unwrap();
    assert_eq!(body["label_foo_bar"], "body");
    client.host_labels().input("in").send().await.unwrap();
    assert_eq!(
        transport.last_request().uri().host(),
        Some("in.example.com")
    );
}

#[tokio::test]
async fn errors_named_like_generated_items_are_their_own_variants() {
    use adversarial_operations::error::GetFooError;
    for (code, check) in [
        (
            "Unhandled",
            (|e: &GetFooError| e.is_unhandled_value()) as fn(&GetFooError) -> bool,
        ),
        ("Retryable", |e| e.is_retryable_error() && e.is_retryable()),
        ("Throttling", |e| {
            e.is_throttling_error() && e.is_throttling()
        }),
        ("Status", |e| e.is_status()),
        ("SomethingElse", |e| e.is_unhandled()),
    ] {
        let transport = TestTransport::new(400, &[("x-amzn-errortype", code)], "{}");
        let client = adversarial_operations::Client::new(config(&transport));
        let err = client.get_foo().send().await.unwrap_err();
        let err = err.as_service_error().expect("a service error");
        assert!(check(err), "{code}: {err:?}");
    }
}

#[tokio::test]
async fn codec_functions_that_collide_read_and_write_their_own_types() {
    use adversarial_documents::types::{Either, FooBar, FooBarValue};
    let transport = TestTransport::new(
        200,
        &[],
        r#"{"a": {"x": "underscore"}, "b": {"y": "camel"}, "g": {"foo_bar": {"x": "in union"}}}"#,
    );
    let client = adversarial_documents::Client::new(config(&transport));
    let output = client
        .exchange()
        .a(FooBarValue::builder().x("sent-a").build())
        .b(FooBar::builder().y("sent-b").build())
        .send()
        .await
        .unwrap();
    let sent: serde_json::Value = serde_json::from_slice(transport.last_request().body()).unwrap();
    assert_eq!(
        sent,
        serde_json::json!({"a": {"x": "sent-a"}, "b": {"y": "sent-b"}})
    );
    assert_eq!(output.a.unwrap().x.as_deref(), Some("underscore"));
    assert_eq!(output.b.unwrap().y.as_deref(), Some("camel"));
    let Some(Either::FooBarValue(inner)) = output.g else {
        panic!("the union's `foo_bar` member");
    };
    assert_eq!(inner.x.as_deref(), Some("in union"));
}

#[tokio::test]
async fn rpc_v2_cbor_paths_use_the_model_names() {
    let transport = TestTransport::new(200, &[], "");
    let client = adversarial_cbor::Client::new(config(&transport));
    let _ = client.put_item().send().await;
    let first = transport.last_request().uri().path().to_owned();
    let _ = client.put_item_value().send().await;
    let second = transport.last_request().uri().path().to_owned();
    let mut paths = [first, second];
    paths.sort();
    assert_eq!(
        paths,
        [
            "/service/AdversarialCbor/operation/PutItem",
            "/service/AdversarialCbor/operation/Put_Item"
        ]
    );
}

#[tokio::test]
async fn the_generated_reserved_names_model_keeps_every_operation_apart() {
    use tinsmith_tests::corpus::reserved_names;
    let transport = TestTransport::new(200, &[], "{}");
    let client = reserved_names::Client::new(config(&transport));
    // Operations named like `Client`'s methods (in the order of
    // `names::RESERVED_CLIENT_METHODS`, which numbers their paths).
    client.new_value().send().await.unwrap();
    assert_eq!(transport.last_request().uri().path(), "/method/0");
    // `Config_` (a reserved type name plus `_`) and `config` both want
    // `config`, which `Client` has: the first by shape id gets `_value`,
    // the other `_operation`.
    client.config_value().send().await.unwrap();
    assert_eq!(transport.last_request().uri().path(), "/type/7");
    client.config_operation().send().await.unwrap();
    assert_eq!(transport.last_request().uri().path(), "/method/1");
    client.outbox_value().send().await.unwrap();
    assert_eq!(transport.last_request().uri().path(), "/method/5");
    // A structure named `Result` is `ResultValue`; its operation `Result_`
    // keeps its own request builder.
    let value = reserved_names::types::ResultValue::builder()
        .value("v")
        .build();
    client.result().value(value).send().await.unwrap();
    let body: serde_json::Value = serde_json::from_slice(transport.last_request().body()).unwrap();
    assert_eq!(body, serde_json::json!({"value": {"value": "v"}}));
}

#[tokio::test]
async fn an_input_builder_that_holds_the_client_keeps_its_members_apart() {
    use adversarial_operations::types::{CValue, WithClientInputBuilder};
    let transport = TestTransport::new(200, &[], "{}");
    let client = adversarial_operations::Client::new(config(&transport));
    // The input's builder is the request builder; on its own it needs no
    // type annotation.
    let input = WithClientInputBuilder::default()
        .with_client_value("constructor")
        .client("client")
        .c(CValue::builder().value("c").build())
        .build();
    assert_eq!(input.client.as_deref(), Some("client"));
    #[allow(deprecated)]
    client
        .with_client()
        .with_client_value("constructor")
        .client("client")
        .c(CValue::builder().value("c").build())
        .old("old")
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = serde_json::from_slice(transport.last_request().body()).unwrap();
    assert_eq!(
        body,
        serde_json::json!({
            "withClient": "constructor",
            "client": "client",
            "c": {"value": "c"},
            "old": "old"
        })
    );
}
