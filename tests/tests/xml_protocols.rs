//! The XML-based protocols on `tests/models/odd/xml.smithy`, whose shapes
//! use every XML trait on every kind of member: a restXml value survives a
//! round trip through a server on 127.0.0.1 that echoes the body; awsQuery
//! and ec2Query requests carry the keys each protocol names; their outputs
//! and errors (wrapped as each protocol wraps them, with `@awsQueryError`
//! codes) are read back typed.

use std::collections::HashMap;

use axum::http::HeaderMap;
use bytes::Bytes;
use tinsmith_runtime::test_util::TestTransport;
use tinsmith_runtime::{BigDecimal, BigInteger, Blob, DateTime};
use tinsmith_tests::corpus::{odd_ec2 as ec2, odd_query as query, odd_rest_xml as rest};

use rest::types::{Choice, Everything, Kind, Level, Nested};

fn nested(tag: &str, depth: usize) -> Nested {
    let mut builder = Nested::builder().tag(tag).value(format!("{tag} <&> value"));
    if depth > 0 {
        builder = builder
            .next(nested(&format!("{tag}.next"), depth - 1))
            .children(vec![
                nested(&format!("{tag}.a"), 0),
                nested(&format!("{tag}.b"), 0),
            ]);
    }
    builder.build()
}

/// A value with every member set (those the body carries).
fn everything() -> Everything {
    Everything::builder()
        .id("echo-1")
        .kind(Kind::Large)
        .count(-3)
        .flag(true)
        .seen(DateTime::from_secs(1_700_000_000))
        .name("  spaces, <tags> & \"quotes\"  ")
        .renamed("renamed")
        .spaced("namespaced")
        .byte(-8)
        .short(300)
        .long(-9_000_000_000)
        .float(1.5)
        .double(f64::NEG_INFINITY)
        .big_integer(
            "123456789012345678901234567890"
                .parse::<BigInteger>()
                .unwrap(),
        )
        .big_decimal("-0.000000000000000000001".parse::<BigDecimal>().unwrap())
        .blob(Blob::new(b"\x00\xffbytes".to_vec()))
        .level(Level::High)
        .epoch(DateTime::from_secs(1_500_000_000))
        .date(DateTime::from_secs_and_nanos(1_600_000_000, 123_000_000))
        .http(DateTime::from_secs(1_400_000_000))
        .list(vec!["a".to_owned(), String::new(), "c".to_owned()])
        .flat(vec!["f1".to_owned(), "f2".to_owned()])
        .renamed_list(vec!["r1".to_owned()])
        .flat_renamed(vec!["fr1".to_owned(), "fr2".to_owned()])
        .flat_structs(vec![nested("s1", 1), nested("s2", 0)])
        .lists(vec![
            vec!["x".to_owned()],
            vec![],
            vec!["y".to_owned(), "z".to_owned()],
        ])
        .sparse(vec![Some("one".to_owned()), Some("two".to_owned())])
        .map(HashMap::from([
            ("k1".to_owned(), "v1".to_owned()),
            ("k2".to_owned(), String::new()),
        ]))
        .flat_map(HashMap::from([("fk".to_owned(), "fv".to_owned())]))
        .renamed_map(HashMap::from([("rk".to_owned(), "rv".to_owned())]))
        .flat_renamed_map(HashMap::from([
            ("p1".to_owned(), "q1".to_owned()),
            ("p2".to_owned(), "q2".to_owned()),
        ]))
        .kinds(HashMap::from([
            (Kind::Small, nested("small", 0)),
            (Kind::Large, nested("large", 2)),
        ]))
        .map_of_lists(HashMap::from([(
            "ml".to_owned(),
            vec!["m1".to_owned(), "m2".to_owned()],
        )]))
        .nested(nested("top", 3))
        .choice(Choice::Nested(nested("chosen", 1)))
        .choices(vec![
            Choice::Text("t".to_owned()),
            Choice::List(vec!["l1".to_owned()]),
            Choice::Nothing,
        ])
        .empty(rest::types::Empty::builder().build())
        .build()
        .unwrap()
}

async fn echo_server() -> String {
    let app = axum::Router::new().route(
        "/echo/{id}",
        axum::routing::post(|headers: HeaderMap, body: Bytes| async move {
            let mut response = axum::http::Response::builder().status(200);
            if let Some(when) = headers.get("x-when") {
                response = response.header("x-when", when);
            }
            response.body(axum::body::Body::from(body)).unwrap()
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{address}")
}

#[tokio::test]
async fn rest_xml_values_survive_a_round_trip_through_the_body() {
    let endpoint = echo_server().await;
    let client = rest::Client::new(rest::Config::builder().endpoint(endpoint).build());
    let sent = everything();
    let v = sent.clone();
    let received = client
        .echo()
        .id(v.id)
        .when(DateTime::from_secs(1_234_567_890))
        .tag("query-only")
        .kind(v.kind)
        .count(v.count)
        .flag(v.flag)
        .seen(v.seen)
        .name(v.name)
        .renamed(v.renamed)
        .spaced(v.spaced)
        .byte(v.byte)
        .short(v.short)
        .long(v.long)
        .float(v.float)
        .double(v.double)
        .big_integer(v.big_integer)
        .big_decimal(v.big_decimal)
        .blob(v.blob)
        .level(v.level)
        .epoch(v.epoch)
        .date(v.date)
        .http(v.http)
        .list(v.list)
        .flat(v.flat)
        .renamed_list(v.renamed_list)
        .flat_renamed(v.flat_renamed)
        .flat_structs(v.flat_structs)
        .lists(v.lists)
        .sparse(v.sparse)
        .map(v.map)
        .flat_map(v.flat_map)
        .renamed_map(v.renamed_map)
        .flat_renamed_map(v.flat_renamed_map)
        .kinds(v.kinds)
        .map_of_lists(v.map_of_lists)
        .nested(v.nested)
        .choice(v.choice)
        .choices(v.choices)
        .empty(v.empty)
        .send()
        .await
        .unwrap();
    // The label travels in the path and the query member in the query
    // string: a response carries neither (the required label is then
    // corrected to empty). The header comes back as a header.
    assert_eq!(received.when, Some(DateTime::from_secs(1_234_567_890)));
    let mut expected = sent;
    expected.id = String::new();
    expected.when = received.when;
    expected.tags = None;
    assert_eq!(received, expected);
}

#[tokio::test]
async fn rest_xml_bodies_use_the_names_namespaces_and_attributes_of_the_model() {
    let transport = TestTransport::new(200, &[], Bytes::new());
    let client = rest::Client::new(
        rest::Config::builder()
            .endpoint("https://example.com")
            .transport(transport.clone())
            .build(),
    );
    client
        .echo()
        .id("a b")
        .kind(Kind::Small)
        .flag(false)
        .spaced("s")
        .flat(vec!["1".to_owned(), "2".to_owned()])
        .flat_renamed_map(HashMap::from([("k".to_owned(), "v".to_owned())]))
        .send()
        .await
        .unwrap();
    let request = transport.last_request();
    assert_eq!(request.uri().path(), "/echo/a%20b");
    assert_eq!(request.headers()["content-type"], "application/xml");
    tinsmith_runtime::test_util::assert_body(
        request.body(),
        r#"<EverythingRoot xmlns="https://odd.example.com/rest" kind="small" xsi:flag="false">
            <spaced xmlns:ns="https://ns.example.com">s</spaced>
            <flat>1</flat>
            <flat>2</flat>
            <Pair><K>k</K><V xmlns="https://value.example.com">v</V></Pair>
        </EverythingRoot>"#,
        Some("application/xml"),
    );
}

fn form_pairs(body: &[u8]) -> Vec<(String, String)> {
    body.split(|b| *b == b'&')
        .map(|pair| {
            let text = String::from_utf8(pair.to_vec()).unwrap();
            let (k, v) = text.split_once('=').unwrap();
            let decode = |s: &str| percent_decode(&s.replace('+', " "));
            (decode(k), decode(v))
        })
        .collect()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[tokio::test]
async fn query_requests_name_keys_as_each_protocol_does() {
    let sample = everything();
    // awsQuery: member names, `member` and `entry` wrappers, flattened
    // forms without them, an empty list as the bare key.
    let transport = TestTransport::new(200, &[], Bytes::new());
    query::Client::new(
        query::Config::builder()
            .endpoint("https://example.com")
            .transport(transport.clone())
            .build(),
    )
    .echo()
    .id("x")
    .renamed("r")
    .lists(sample.lists.clone())
    .flat_renamed(sample.flat_renamed.clone())
    .renamed_map(sample.renamed_map.clone())
    .flat_renamed_map(sample.flat_renamed_map.clone())
    .choice(query::types::Choice::Text("t".into()))
    .nested(
        query::types::Nested::builder()
            .tag("outer")
            .next(query::types::Nested::builder().value("inner").build())
            .build(),
    )
    .send()
    .await
    .unwrap();
    let request = transport.last_request();
    assert_eq!(request.method(), "POST");
    assert_eq!(request.uri().path(), "/");
    assert_eq!(
        request.headers()["content-type"],
        "application/x-www-form-urlencoded"
    );
    let pairs = form_pairs(request.body());
    let expected: Vec<(&str, &str)> = vec![
        ("Action", "Echo"),
        ("Version", "2026-12-05"),
        ("id", "x"),
        ("Renamed", "r"),
        ("FlatItem.1", "fr1"),
        ("FlatItem.2", "fr2"),
        ("lists.member.1.member.1", "x"),
        ("lists.member.2", ""),
        ("lists.member.3.member.1", "y"),
        ("lists.member.3.member.2", "z"),
        ("renamedMap.entry.1.K", "rk"),
        ("renamedMap.entry.1.V", "rv"),
        ("Pair.1.K", "p1"),
        ("Pair.1.V", "q1"),
        ("Pair.2.K", "p2"),
        ("Pair.2.V", "q2"),
        ("nested.tag", "outer"),
        ("nested.next.value", "inner"),
        ("choice.text", "t"),
    ];
    let mut actual: Vec<(String, String)> = pairs;
    actual.sort();
    let mut expected: Vec<(String, String)> = expected
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    expected.sort();
    assert_eq!(actual, expected);

    // ec2Query: capitalized names (or @ec2QueryName), lists always `.N`,
    // empty lists left out.
    let transport = TestTransport::new(200, &[], Bytes::new());
    ec2::Client::new(
        ec2::Config::builder()
            .endpoint("https://example.com")
            .transport(transport.clone())
            .build(),
    )
    .echo()
    .id("x")
    .renamed("r")
    .lists(sample.lists.clone())
    .flat_renamed(vec!["fr1".to_owned()])
    .send()
    .await
    .unwrap();
    let mut actual = form_pairs(transport.last_request().body());
    actual.sort();
    let mut expected: Vec<(String, String)> = [
        ("Action", "Echo"),
        ("Version", "2026-12-05"),
        ("Id", "x"),
        ("EcTwo", "r"),
        ("FlatItem.1", "fr1"),
        ("Lists.1.1", "x"),
        ("Lists.3.1", "y"),
        ("Lists.3.2", "z"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    expected.sort();
    assert_eq!(actual, expected);
}

#[tokio::test]
async fn query_outputs_are_read_from_their_wrappers() {
    let body = r#"<EchoResponse xmlns="https://odd.example.com/query">
        <EchoResult>
            <id>i</id>
            <Renamed>r</Renamed>
            <list><member>a</member><member>b</member></list>
            <FlatItem>f1</FlatItem><FlatItem>f2</FlatItem>
            <renamedMap><entry><K>k</K><V>v</V></entry></renamedMap>
            <Pair><K>p</K><V>q</V></Pair>
            <nested tag="t"><value>v</value><children tag="c1"/><children tag="c2"/></nested>
            <level>2</level>
        </EchoResult>
        <ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>
    </EchoResponse>"#;
    let transport = TestTransport::new(200, &[("content-type", "text/xml")], body);
    let output = query::Client::new(
        query::Config::builder()
            .endpoint("https://example.com")
            .transport(transport)
            .build(),
    )
    .echo()
    .id("i")
    .send()
    .await
    .unwrap();
    assert_eq!(output.id, "i");
    assert_eq!(output.renamed.as_deref(), Some("r"));
    assert_eq!(output.list, Some(vec!["a".to_owned(), "b".to_owned()]));
    assert_eq!(
        output.flat_renamed,
        Some(vec!["f1".to_owned(), "f2".to_owned()])
    );
    assert_eq!(output.renamed_map.unwrap()["k"], "v");
    assert_eq!(output.flat_renamed_map.unwrap()["p"], "q");
    let nested = output.nested.unwrap();
    assert_eq!(nested.tag.as_deref(), Some("t"));
    assert_eq!(nested.children.unwrap().len(), 2);
    assert_eq!(output.level, Some(query::types::Level::High));

    // ec2Query: no `Result` wrapper.
    let body =
        r#"<EchoResponse><requestId>r</requestId><id>e</id><Renamed>x</Renamed></EchoResponse>"#;
    let transport = TestTransport::new(200, &[], body);
    let output = ec2::Client::new(
        ec2::Config::builder()
            .endpoint("https://example.com")
            .transport(transport)
            .build(),
    )
    .echo()
    .id("e")
    .send()
    .await
    .unwrap();
    assert_eq!(output.id, "e");
    assert_eq!(output.renamed.as_deref(), Some("x"));
}

#[tokio::test]
async fn errors_are_matched_by_their_query_codes_in_every_wrapping() {
    // awsQuery: <ErrorResponse><Error>, by the @awsQueryError code; the
    // request id comes from the body.
    let body = r#"<ErrorResponse><Error><Type>Sender</Type><Code>OopsCode</Code><Message>it broke</Message><detail tag="d"/></Error><RequestId>rid-1</RequestId></ErrorResponse>"#;
    let transport = TestTransport::new(409, &[], body);
    let error = query::Client::new(
        query::Config::builder()
            .endpoint("https://example.com")
            .transport(transport)
            .build(),
    )
    .fail()
    .send()
    .await
    .unwrap_err();
    match error.as_service_error() {
        Some(query::error::FailError::Oops(oops)) => {
            assert_eq!(oops.message.as_deref(), Some("it broke"));
            assert_eq!(oops.detail.as_ref().unwrap().tag.as_deref(), Some("d"));
            assert_eq!(oops.status().code(), Some("OopsCode"));
            assert_eq!(oops.status().request_id(), Some("rid-1"));
        }
        other => panic!("{other:?}"),
    }

    // ec2Query: <Response><Errors><Error>.
    let body = r#"<Response><Errors><Error><Code>Plain</Code><Message>down</Message></Error></Errors><RequestID>rid-2</RequestID></Response>"#;
    let transport = TestTransport::new(500, &[], body);
    let error = ec2::Client::new(
        ec2::Config::builder()
            .endpoint("https://example.com")
            .transport(transport)
            .retry(tinsmith_runtime::RetryConfig::disabled())
            .build(),
    )
    .fail()
    .send()
    .await
    .unwrap_err();
    match error.as_service_error() {
        Some(ec2::error::FailError::Plain(plain)) => {
            assert_eq!(plain.message.as_deref(), Some("down"));
            assert_eq!(plain.status().request_id(), Some("rid-2"));
        }
        other => panic!("{other:?}"),
    }

    // restXml: by shape name, and by @httpError status without a code.
    let body =
        r#"<ErrorResponse><Error><Code>Oops</Code><Message>rest</Message></Error></ErrorResponse>"#;
    let transport = TestTransport::new(409, &[("x-amzn-requestid", "rid-3")], body);
    let client = rest::Client::new(
        rest::Config::builder()
            .endpoint("https://example.com")
            .transport(transport)
            .build(),
    );
    match client.fail().send().await.unwrap_err().as_service_error() {
        Some(rest::error::FailError::Oops(oops)) => {
            assert_eq!(oops.message.as_deref(), Some("rest"));
            assert_eq!(oops.status().request_id(), Some("rid-3"));
        }
        other => panic!("{other:?}"),
    }
    let transport = TestTransport::new(409, &[], "");
    let client = rest::Client::new(
        rest::Config::builder()
            .endpoint("https://example.com")
            .transport(transport)
            .build(),
    );
    assert!(matches!(
        client.fail().send().await.unwrap_err().as_service_error(),
        Some(rest::error::FailError::Oops(_))
    ));
}

/// An object store on 127.0.0.1 for the restXml streaming operations: PUT
/// keeps the body (answering with its length as the ETag), GET returns it,
/// a missing key is a `Plain` error in restXml's wrapping.
async fn object_server() -> String {
    use axum::extract::{Path, State};
    use std::sync::{Arc, Mutex};
    type Store = Arc<Mutex<HashMap<String, Bytes>>>;
    let store: Store = Arc::default();
    let app = axum::Router::new()
        .route(
            "/objects/{*key}",
            axum::routing::put(
                |State(store): State<Store>, Path(key): Path<String>, headers: HeaderMap, body: Bytes| async move {
                    assert_eq!(headers["x-meta"], "m");
                    let etag = format!("\"{}\"", body.len());
                    store.lock().unwrap().insert(key, body);
                    axum::http::Response::builder()
                        .header("ETag", etag)
                        .body(axum::body::Body::empty())
                        .unwrap()
                },
            )
            .get(|State(store): State<Store>, Path(key): Path<String>| async move {
                match store.lock().unwrap().get(&key) {
                    Some(body) => axum::http::Response::builder()
                        .body(axum::body::Body::from(body.clone()))
                        .unwrap(),
                    None => axum::http::Response::builder()
                        .status(500)
                        .body(axum::body::Body::from(
                            "<ErrorResponse><Error><Code>Plain</Code><Message>no such key</Message></Error></ErrorResponse>",
                        ))
                        .unwrap(),
                }
            }),
        )
        .with_state(store);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{address}")
}

#[tokio::test]
async fn rest_xml_streams_bodies_up_and_down() {
    let endpoint = object_server().await;
    let client = rest::Client::new(
        rest::Config::builder()
            .endpoint(endpoint)
            .retry(tinsmith_runtime::RetryConfig::disabled())
            .build(),
    );
    // A body from memory, then one of unknown length, sent chunked.
    let output = client
        .upload()
        .key("a/b c.txt")
        .meta_value("m")
        .body(tinsmith_runtime::ByteStream::from_static(b"hello, xml"))
        .send()
        .await
        .unwrap();
    assert_eq!(output.etag.as_deref(), Some("\"10\""));
    let chunks = futures_util::stream::iter(
        ["one ", "two ", "three"]
            .map(|c| Ok::<_, std::io::Error>(Bytes::from_static(c.as_bytes()))),
    );
    client
        .upload()
        .key("chunked")
        .meta_value("m")
        .body(tinsmith_runtime::ByteStream::from_stream(chunks))
        .send()
        .await
        .unwrap();
    for (key, expected) in [("a/b c.txt", "hello, xml"), ("chunked", "one two three")] {
        let text = client
            .download()
            .key(key)
            .send_with(async |output| output.body.collect_string().await)
            .await
            .unwrap();
        assert_eq!(text, expected);
    }
    let error = client.download().key("missing").send().await.unwrap_err();
    match error.as_service_error() {
        Some(rest::error::DownloadError::Plain(plain)) => {
            assert_eq!(plain.message.as_deref(), Some("no such key"))
        }
        other => panic!("{other:?}"),
    }
}
