//! Odd but valid models (`tests/models/odd/`): they compile without a
//! warning (the crate would not build otherwise), and the bindings that
//! take text work for the enums the spec lets them bind.

use tinsmith_runtime::test_util::TestTransport;
use tinsmith_runtime::{Config, RetryConfig};
use tinsmith_tests::corpus::odd_bindings;

#[tokio::test]
async fn enums_bind_where_strings_do() {
    use odd_bindings::types::{Color, Status};
    let transport = TestTransport::new(201, &[("x-color-a", "blue")], "{}");
    let config = Config::builder()
        .endpoint("https://example.com")
        .transport(transport.clone())
        .retry(RetryConfig::disabled())
        .idempotency_token_provider(|| String::from("red"))
        .build();
    let client = odd_bindings::Client::new(config);
    let output = client
        .enum_bindings()
        .region(Color::Blue)
        .colors(
            [(String::from("b"), Color::Red)]
                .into_iter()
                .collect::<std::collections::HashMap<_, _>>(),
        )
        .send()
        .await
        .unwrap();
    let request = transport.last_request();
    assert_eq!(request.uri().host(), Some("blue.example.com"));
    assert_eq!(request.headers()["x-color-b"], "red");
    let body: serde_json::Value = serde_json::from_slice(request.body()).unwrap();
    assert_eq!(body["token"], "red", "the token is generated: {body}");
    assert_eq!(output.colors.unwrap()["a"], Color::Blue);
    assert_eq!(output.status, Some(Status::Created));
}
