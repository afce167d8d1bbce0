//! Timestamps on the wire, in every format and binding location, over each
//! protocol (`tests/models/timestamps.smithy`): a sent value is truncated
//! to milliseconds (`@timestampFormat`, spec: "Protocol traits"), a received
//! value keeps every digit the service sent.

use tinsmith_runtime::test_util::TestTransport;
use tinsmith_runtime::{Config, DateTime, RetryConfig};
use tinsmith_tests::corpus::{timestamps_cbor, timestamps_json, timestamps_rest};

/// 2022-03-05T07:08:09 UTC plus 123,456,780 ns: eight fractional digits.
fn instant() -> DateTime {
    DateTime::from_secs_and_nanos(1_646_464_089, 123_456_780)
}

const EPOCH: &str = "1646464089.123";
const DATE_TIME: &str = "2022-03-05T07:08:09.123Z";
const HTTP_DATE: &str = "Sat, 05 Mar 2022 07:08:09 GMT";

fn config(transport: &TestTransport) -> Config {
    Config::builder()
        .endpoint("https://example.com")
        .transport(transport.clone())
        .retry(RetryConfig::disabled())
        .build()
}

fn header<'a>(request: &'a tinsmith_runtime::test_util::RecordedRequest, name: &str) -> &'a str {
    request.headers()[name].to_str().unwrap()
}

#[tokio::test]
async fn rest_json_labels_queries_and_headers_send_milliseconds() {
    let transport = TestTransport::new(200, &[], "");
    let client = timestamps_rest::Client::new(config(&transport));
    let t = instant();
    let _ = client
        .bindings()
        .label(t)
        .label_epoch(t)
        .label_http(t)
        .query(t)
        .query_epoch(t)
        .query_http(t)
        .header(t)
        .header_epoch(t)
        .header_date(t)
        .header_list(vec![t, t])
        .send()
        .await;
    let request = transport.last_request();
    let path = request.uri().path();
    let segments: Vec<String> = path.split('/').map(percent_decode).collect();
    assert_eq!(segments[2..], [DATE_TIME, EPOCH, HTTP_DATE], "{path}");
    let query: Vec<(String, String)> = request
        .uri()
        .query()
        .unwrap_or_default()
        .split('&')
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap();
            (k.to_owned(), percent_decode(v))
        })
        .collect();
    let value = |key: &str| &query.iter().find(|(k, _)| k == key).unwrap().1;
    assert_eq!(value("query"), DATE_TIME);
    assert_eq!(value("queryEpoch"), EPOCH);
    assert_eq!(value("queryHttp"), HTTP_DATE);
    assert_eq!(header(&request, "x-header"), HTTP_DATE);
    assert_eq!(header(&request, "x-header-epoch"), EPOCH);
    assert_eq!(header(&request, "x-header-date"), DATE_TIME);
    assert_eq!(
        header(&request, "x-header-list"),
        format!("{DATE_TIME}, {DATE_TIME}")
    );
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 3 <= bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[tokio::test]
async fn rest_json_headers_received_keep_their_digits() {
    let transport = TestTransport::new(
        200,
        &[
            ("x-header-epoch", "1646464089.12345678"),
            ("x-header-date", "2022-03-05T07:08:09.12345678Z"),
        ],
        "",
    );
    let client = timestamps_rest::Client::new(config(&transport));
    let t = instant();
    let output = client
        .bindings()
        .label(t)
        .label_epoch(t)
        .label_http(t)
        .send()
        .await
        .unwrap();
    assert_eq!(output.header_epoch, Some(t));
    assert_eq!(output.header_date, Some(t));
}

/// The JSON documents of restJson1 and awsJson1_0 send the same text.
fn assert_json_document(body: &[u8]) {
    let json: serde_json::Value = serde_json::from_slice(body).unwrap();
    // Epoch seconds are a JSON number: its text is what is sent.
    assert_eq!(json["default"].to_string(), EPOCH, "{json}");
    assert_eq!(json["epoch"].to_string(), EPOCH);
    assert_eq!(json["date"], DATE_TIME);
    assert_eq!(json["http"], HTTP_DATE);
    assert_eq!(json["list"], serde_json::json!([DATE_TIME, DATE_TIME]));
}

const RECEIVED_JSON: &str = r#"{"default": 1646464089.12345678, "epoch": 1646464089.12345678,
    "date": "2022-03-05T07:08:09.12345678Z", "http": "Sat, 05 Mar 2022 07:08:09 GMT",
    "list": ["2022-03-05T07:08:09.12345678Z"]}"#;

#[tokio::test]
async fn rest_json_documents_send_milliseconds_and_keep_received_digits() {
    let transport = TestTransport::new(200, &[("content-type", "application/json")], RECEIVED_JSON);
    let client = timestamps_rest::Client::new(config(&transport));
    let t = instant();
    let output = client
        .document()
        .default_value(t)
        .epoch(t)
        .date(t)
        .http(t)
        .list(vec![t, t])
        .send()
        .await
        .unwrap();
    assert_json_document(transport.last_request().body());
    // f64 keeps about seven fractional digits of these seconds.
    let near = |d: Option<DateTime>| {
        let d = d.unwrap();
        (d.secs(), d.subsec_nanos() / 1_000)
    };
    assert_eq!(near(output.default), (1_646_464_089, 123_456));
    assert_eq!(near(output.epoch), (1_646_464_089, 123_456));
    assert_eq!(output.date, Some(t));
    assert_eq!(output.http, Some(DateTime::from_secs(1_646_464_089)));
    assert_eq!(output.list, Some(vec![t]));
}

#[tokio::test]
async fn aws_json_documents_send_milliseconds_and_keep_received_digits() {
    let transport = TestTransport::new(
        200,
        &[("content-type", "application/x-amz-json-1.0")],
        RECEIVED_JSON,
    );
    let client = timestamps_json::Client::new(config(&transport));
    let t = instant();
    let output = client
        .document()
        .default_value(t)
        .epoch(t)
        .date(t)
        .http(t)
        .list(vec![t, t])
        .send()
        .await
        .unwrap();
    assert_json_document(transport.last_request().body());
    assert_eq!(output.date, Some(t));
    assert_eq!(output.list, Some(vec![t]));
}

#[tokio::test]
async fn cbor_documents_send_milliseconds_and_keep_received_digits() {
    use tinsmith_runtime::cbor::Value;
    // The response: epoch seconds as a tag-1 double with more digits than
    // milliseconds (CBOR has one timestamp format, whatever the trait says).
    let received = {
        let mut map = tinsmith_runtime::cbor::Map::new();
        map.insert(
            "default".to_owned(),
            Value::Tag(1, Box::new(Value::Float(1_646_464_089.123_456))),
        );
        tinsmith_runtime::cbor::to_body(&Value::Map(map))
    };
    let transport = TestTransport::new(200, &[("smithy-protocol", "rpc-v2-cbor")], received);
    let client = timestamps_cbor::Client::new(config(&transport));
    let t = instant();
    let output = client
        .document()
        .default_value(t)
        .date(t)
        .list(vec![t])
        .send()
        .await
        .unwrap();
    let sent = tinsmith_runtime::cbor::parse_body(transport.last_request().body()).unwrap();
    let sent = sent.as_object().unwrap();
    let millis = Value::Tag(1, Box::new(Value::Float(1_646_464_089.123)));
    assert_eq!(sent.get("default").unwrap(), &millis);
    assert_eq!(sent.get("date").unwrap(), &millis);
    assert_eq!(
        sent.get("list").unwrap(),
        &Value::Array(vec![millis.clone()])
    );
    let received = output.default.unwrap();
    assert_eq!(
        (received.secs(), received.subsec_nanos() / 1_000),
        (1_646_464_089, 123_456)
    );
}
