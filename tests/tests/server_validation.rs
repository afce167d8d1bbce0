//! End-to-end over rpcv2Cbor: a generated client against the generated
//! server of `tests/models/server/validation.smithy`, whose inputs carry
//! every constraint trait. Violations never reach the handler; they arrive
//! as the operation's `ValidationException` (with a JSON pointer and
//! Smithy's message per violation) when it models one, else as a `400
//! ValidationException` the client reads as unhandled.

use std::collections::HashMap;
use std::sync::Mutex;

use tinsmith_runtime::server::{Request, Status};
use tinsmith_runtime::{Blob, ErrorDetail, ProvideErrorStatus, RetryConfig};
use tinsmith_tests::validated::error::CheckError;
use tinsmith_tests::validated::server::{self, Validated};
use tinsmith_tests::validated::types::{
    CheckInput, CheckOutput, Choice, Letter, LooseInput, Nested, Point,
};
use tinsmith_tests::validated::{Client, Config};

/// Counts the calls that reached it.
#[derive(Default)]
struct Handler {
    calls: Mutex<usize>,
}

impl Validated for Handler {
    async fn check(
        &self,
        _request: Request<CheckInput>,
    ) -> Result<CheckOutput, server::CheckError> {
        *self.calls.lock().unwrap() += 1;
        Ok(CheckOutput::builder().accepted(true).build())
    }

    async fn loose(&self, request: Request<LooseInput>) -> Result<(), server::LooseError> {
        *self.calls.lock().unwrap() += 1;
        // `small: 0` fails with a rich status: a typed detail and metadata.
        if request.input().small == Some(0) {
            let point = Point::builder().x(3).y(-4).build();
            return Err(Status::new("Unlucky", "zero is unlucky")
                .with_http_status(409)
                .with_detail(ErrorDetail::of(&point).unwrap())
                .with_metadata("x-lucky-numbers", "7, 13")
                .unwrap()
                .into());
        }
        Ok(())
    }
}

async fn start() -> (Client, &'static Handler) {
    let handler: &'static Handler = Box::leak(Box::default());
    struct Shared(&'static Handler);
    impl Validated for Shared {
        async fn check(
            &self,
            request: Request<CheckInput>,
        ) -> Result<CheckOutput, server::CheckError> {
            self.0.check(request).await
        }
        async fn loose(&self, request: Request<LooseInput>) -> Result<(), server::LooseError> {
            self.0.loose(request).await
        }
    }
    let app = server::router(Shared(handler));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let config = Config::builder()
        .endpoint(format!("http://{addr}"))
        .retry(RetryConfig::disabled())
        .build();
    (Client::new(config), handler)
}

#[tokio::test]
async fn valid_input_reaches_the_handler() {
    let (client, handler) = start().await;
    let out = client
        .check()
        .id("x")
        .name("ab")
        .count(10)
        .ratio(0.5)
        .code("abc")
        .letter(Letter::B)
        .tags(vec!["a".to_owned(), "bcd".to_owned()])
        .limits(HashMap::from([(Letter::A, 0)]))
        .nested(
            Nested::builder()
                .inner("abc")
                // `I` is `@internal`: valid, though messages do not list it.
                .letters(vec![Letter::A, Letter::I])
                .build(),
        )
        .choice(Choice::Word("ok".into()))
        .data(Blob::new(vec![1u8]))
        .points(vec![
            Point::builder().x(1).y(2).build(),
            Point::builder().x(2).y(1).build(),
        ])
        .labels(HashMap::from([(Letter::A, "free text".to_owned())]))
        .ratios(vec![0.5_f32, 1.5])
        // A bound is compared as the member's type holds it.
        .fraction(0.1_f32)
        .big(
            "12345678901234567890"
                .parse::<tinsmith_runtime::BigInteger>()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(out.accepted, Some(true));
    assert_eq!(*handler.calls.lock().unwrap(), 1);
}

#[tokio::test]
async fn every_violation_arrives_as_the_modeled_validation_exception() {
    let (client, handler) = start().await;
    let point = Point::builder().x(1).y(1).build();
    let err = client
        .check()
        .id("")
        .name("a")
        .count(11)
        .ratio(0.25)
        .code("xyz")
        .letter(Letter::from("C"))
        .tags(vec!["a".to_owned(), "a".to_owned(), "long".to_owned()])
        .limits(HashMap::from([
            (Letter::A, -1),
            (Letter::B, 1),
            (Letter::from("Z"), 1),
        ]))
        .nested(
            Nested::builder()
                .inner("abcd")
                .letters(vec![Letter::A, Letter::from("Q")])
                .build(),
        )
        .choice(Choice::Number(-5))
        .data(Blob::new(Vec::<u8>::new()))
        .points(vec![point.clone(), point])
        .labels(HashMap::from([(Letter::from("Q"), String::new())]))
        .ratios(vec![0.0_f32, -0.0])
        .fraction(0.2_f32)
        .big("9".parse::<tinsmith_runtime::BigInteger>().unwrap())
        .send()
        .await
        .unwrap_err();
    assert_eq!(*handler.calls.lock().unwrap(), 0, "the handler never ran");
    let Some(CheckError::ValidationException(e)) = err.as_service_error() else {
        panic!("{err:?}")
    };
    assert_eq!(e.status().http_status(), Some(400));
    let mut fields: Vec<(String, String)> = e
        .field_list
        .as_ref()
        .unwrap()
        .iter()
        .map(|f| (f.path.clone(), f.message.clone()))
        .collect();
    fields.sort();
    let paths: Vec<&str> = fields.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        [
            "/big",
            "/choice/number",
            "/code",
            "/count",
            "/data",
            "/fraction",
            "/id",
            "/labels",
            "/letter",
            "/limits",
            "/limits",
            "/limits/A",
            "/name",
            "/nested/inner",
            "/nested/letters/1",
            "/points",
            "/ratio",
            "/ratios",
            "/tags",
            "/tags/2",
        ],
        "{fields:#?}"
    );
    let message = |path: &str| {
        fields
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, m)| m.as_str())
            .unwrap()
    };
    assert_eq!(
        message("/name"),
        "Value with length 1 at '/name' failed to satisfy constraint: Member must have length between 2 and 8, inclusive"
    );
    assert_eq!(
        message("/count"),
        "Value at '/count' failed to satisfy constraint: Member must be between 1 and 10, inclusive"
    );
    assert_eq!(
        message("/code"),
        "Value at '/code' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-m]+$"
    );
    assert_eq!(
        message("/nested/letters/1"),
        "Value at '/nested/letters/1' failed to satisfy constraint: Member must satisfy enum value set: [A, B]"
    );
    assert_eq!(
        message("/tags"),
        "Value at '/tags' failed to satisfy constraint: Member must have unique values"
    );
    assert!(
        e.message.starts_with("20 validation errors detected. "),
        "{}",
        e.message
    );
}

#[tokio::test]
async fn without_a_modeled_error_violations_are_a_plain_400() {
    let (client, handler) = start().await;
    client.loose().small(5_i64).send().await.unwrap();
    // A rich status over rpcv2Cbor: the detail arrives typed (`__details`
    // in the CBOR error document), the metadata as headers.
    let err = client.loose().small(0_i64).send().await.unwrap_err();
    let status = err.as_service_error().unwrap().status();
    assert_eq!(status.code(), Some("Unlucky"));
    assert_eq!(status.http_status(), Some(409));
    assert_eq!(status.details().len(), 1);
    assert_eq!(
        status.details()[0].shape_id(),
        "tinsmith.tests.validation#Point"
    );
    let point = status.detail::<Point>().unwrap().unwrap();
    assert_eq!((point.x, point.y), (Some(3), Some(-4)));
    assert_eq!(status.metadata("X-Lucky-Numbers"), Some("7, 13"));
    let err = client.loose().small(6_i64).send().await.unwrap_err();
    let e = err.as_service_error().expect("a service error");
    assert!(e.is_unhandled(), "{err:?}");
    assert_eq!(e.status().code(), Some("ValidationException"));
    assert_eq!(e.status().http_status(), Some(400));
    assert_eq!(
        e.status().message(),
        Some(
            "1 validation error detected. Value at '/small' failed to satisfy constraint: Member must be less than or equal to 5"
        )
    );
    // The two valid calls reached the handler; the invalid one did not.
    assert_eq!(*handler.calls.lock().unwrap(), 2);
}

/// Required members a request leaves out, at any depth, are violations
/// (`Member must not be null`) found in the CBOR document before it is
/// read, reported as the operation's `ValidationException`.
#[tokio::test]
async fn missing_required_members_are_violations() {
    use ciborium::Value as Cbor;
    let text = |s: &str| Cbor::Text(s.to_owned());
    let pair = |members: Vec<(&str, &str)>| {
        Cbor::Map(
            members
                .into_iter()
                .map(|(k, v)| (text(k), text(v)))
                .collect(),
        )
    };
    let input = Cbor::Map(vec![
        // `id` is required and left out.
        (text("name"), text("ok")),
        (
            text("pairs"),
            Cbor::Array(vec![pair(vec![("left", "l")]), pair(vec![("right", "r")])]),
        ),
        (
            text("pairMap"),
            Cbor::Map(vec![
                (text("a/b~"), pair(vec![])),
                (text("c"), pair(vec![("left", "l")])),
            ]),
        ),
    ]);
    let mut body = Vec::new();
    ciborium::into_writer(&input, &mut body).unwrap();
    let request = http::Request::post("/service/Validated/operation/Check")
        .header("smithy-protocol", "rpc-v2-cbor")
        .header("content-type", "application/cbor")
        .header("accept", "application/cbor")
        .body(bytes::Bytes::from(body))
        .unwrap();
    let router = server::router(Handler::default());
    let response = tinsmith_runtime::test_util::serve(router, request).await;
    assert_eq!(response.status(), 400);
    let answer: Cbor = ciborium::from_reader(&response.body()[..]).unwrap();
    let field = |v: &Cbor, name: &str| match v {
        Cbor::Map(entries) => entries
            .iter()
            .find(|(k, _)| k.as_text() == Some(name))
            .map(|(_, v)| v.clone()),
        _ => None,
    };
    let fields = field(&answer, "fieldList").unwrap();
    let paths: Vec<String> = fields
        .as_array()
        .unwrap()
        .iter()
        .map(|f| field(f, "path").unwrap().as_text().unwrap().to_owned())
        .collect();
    assert_eq!(paths, ["/id", "/pairs/1/left", "/pairMap/a~1b~0/left"]);
    let message = field(&fields.as_array().unwrap()[0], "message").unwrap();
    assert_eq!(
        message.as_text(),
        Some("Value at '/id' failed to satisfy constraint: Member must not be null")
    );
}
