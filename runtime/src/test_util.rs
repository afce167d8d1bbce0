//! Test support (feature `test-util`): a [`TestTransport`] that records
//! requests and answers with a canned response, and the comparisons Smithy's
//! protocol compliance tests need (query parameters, headers, bodies by media
//! type). Generated protocol tests use these; so can users' own tests.

use std::sync::{Arc, Mutex};

use bytes::Bytes;

use crate::bytestream::ByteStream;
use crate::transport::{HttpRequest, SendFuture, Transport};

/// A request as the [`TestTransport`] recorded it, its body read whole.
pub type RecordedRequest = http::Request<Bytes>;

/// Status, headers and body of the canned response.
type Canned = (u16, Vec<(String, String)>, Bytes);

/// A transport that records every request and answers each with a copy of
/// one canned response, without any network.
#[derive(Debug, Clone)]
pub struct TestTransport {
    response: Arc<Canned>,
    requests: Arc<Mutex<Vec<RecordedRequest>>>,
}

impl TestTransport {
    /// Answers every request with `status`, `headers` and `body`.
    pub fn new(status: u16, headers: &[(&str, &str)], body: impl Into<Bytes>) -> Self {
        TestTransport {
            response: Arc::new((
                status,
                headers
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                    .collect(),
                body.into(),
            )),
            requests: Arc::default(),
        }
    }

    /// The requests sent so far.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// The last request sent; panics when none was.
    pub fn last_request(&self) -> RecordedRequest {
        self.requests().pop().expect("no request was sent")
    }
}

impl Transport for TestTransport {
    fn send(&self, request: HttpRequest) -> SendFuture {
        let requests = self.requests.clone();
        let canned = self.response.clone();
        Box::pin(async move {
            let (parts, mut body) = request.into_parts();
            let body = body.collect_bytes().await.map_err(|e| {
                crate::error::TransportError::with_source("reading the request body failed", e)
            })?;
            if let Ok(mut requests) = requests.lock() {
                requests.push(http::Request::from_parts(parts, body));
            }
            let (status, headers, body) = &*canned;
            let mut builder = http::Response::builder().status(*status);
            for (k, v) in headers {
                builder = builder.header(k, v);
            }
            Ok(builder
                .body(ByteStream::new(body.clone()))
                .expect("canned response is valid"))
        })
    }
}

/// The request's query as its raw `key=value` pairs (still percent-encoded).
pub fn query_pairs(request: &RecordedRequest) -> Vec<String> {
    request
        .uri()
        .query()
        .map(|q| {
            q.split('&')
                .filter(|p| !p.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// The key of a raw `key=value` query pair.
pub fn query_key(pair: &str) -> &str {
    pair.split('=').next().unwrap_or(pair)
}

/// Asserts the expected query pairs are present (with their multiplicity),
/// required keys are present and forbidden keys absent.
pub fn assert_query(
    request: &RecordedRequest,
    expected: &[&str],
    required: &[&str],
    forbidden: &[&str],
) {
    let mut actual = query_pairs(request);
    for pair in expected {
        let at = actual.iter().position(|a| a == pair).unwrap_or_else(|| {
            panic!(
                "query parameter `{pair}` missing; query is {:?}",
                query_pairs(request)
            )
        });
        actual.remove(at);
    }
    let keys: Vec<String> = query_pairs(request)
        .iter()
        .map(|p| query_key(p).to_owned())
        .collect();
    for key in required {
        assert!(
            keys.iter().any(|k| k == key),
            "query key `{key}` required; query is {keys:?}"
        );
    }
    for key in forbidden {
        assert!(
            !keys.iter().any(|k| k == key),
            "query key `{key}` forbidden; query is {keys:?}"
        );
    }
}

/// Asserts headers: expected values (list values compared item by item
/// after splitting), required names present, forbidden names absent.
pub fn assert_headers(
    headers: &http::HeaderMap,
    expected: &[(&str, &str)],
    required: &[&str],
    forbidden: &[&str],
) {
    for (name, value) in expected {
        let actual: Vec<&str> = headers
            .get_all(*name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        assert!(
            !actual.is_empty(),
            "header `{name}` missing; headers are {headers:?}"
        );
        let actual = actual.join(", ");
        assert_eq!(
            normalize_list(&actual),
            normalize_list(value),
            "header `{name}`"
        );
    }
    for name in required {
        assert!(
            headers.contains_key(*name),
            "header `{name}` required; headers are {headers:?}"
        );
    }
    for name in forbidden {
        assert!(
            !headers.contains_key(*name),
            "header `{name}` forbidden; headers are {headers:?}"
        );
    }
}

fn normalize_list(value: &str) -> String {
    value
        .split(',')
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(",")
}

/// The bytes of a test case's body: CBOR bodies are written as base64 in
/// the test models, everything else as text.
pub fn body_bytes(body: &'static str, media_type: Option<&str>) -> Bytes {
    use base64::Engine as _;
    if is_cbor(media_type) {
        let compact: String = body.split_whitespace().collect();
        Bytes::from(
            base64::engine::general_purpose::STANDARD
                .decode(compact)
                .expect("a CBOR test body is base64"),
        )
    } else {
        Bytes::from_static(body.as_bytes())
    }
}

fn is_cbor(media_type: Option<&str>) -> bool {
    media_type.is_some_and(|m| m.contains("cbor"))
}

/// Asserts a body equals the expected one, comparing JSON and CBOR
/// semantically and anything else byte for byte.
pub fn assert_body(actual: &[u8], expected: &'static str, media_type: Option<&str>) {
    if is_cbor(media_type) {
        let expected = body_bytes(expected, media_type);
        if expected.is_empty() {
            assert!(
                actual.is_empty(),
                "expected no body, got {} bytes",
                actual.len()
            );
            return;
        }
        let parse = |bytes: &[u8]| -> ciborium::Value {
            ciborium::from_reader(bytes).unwrap_or_else(|e| panic!("body is not CBOR: {e}"))
        };
        let (actual, expected) = (parse(actual), parse(&expected));
        assert!(
            cbor_eq(&actual, &expected),
            "body differs:\n  actual:   {actual:?}\n  expected: {expected:?}"
        );
        return;
    }
    if media_type.is_some_and(|m| m.contains("xml")) && !expected.is_empty() {
        let parse = |bytes: &[u8], which: &str| {
            crate::xml::parse_body(bytes).unwrap_or_else(|e| {
                panic!(
                    "the {which} body is not XML ({e}): {}",
                    String::from_utf8_lossy(bytes)
                )
            })
        };
        let (a, e) = (
            parse(actual, "actual"),
            parse(expected.as_bytes(), "expected"),
        );
        assert!(
            xml_eq(&a, &e),
            "body differs:\n  actual:   {}\n  expected: {expected}",
            String::from_utf8_lossy(actual)
        );
        return;
    }
    if media_type.is_some_and(|m| m.contains("x-www-form-urlencoded")) {
        let (a, e) = (form_pairs(actual), form_pairs(expected.as_bytes()));
        assert_eq!(a, e, "form body differs");
        return;
    }
    let is_json = media_type.is_some_and(|m| m.contains("json"));
    if is_json && !expected.is_empty() {
        let actual: serde_json::Value = serde_json::from_slice(actual).unwrap_or_else(|e| {
            panic!(
                "body is not JSON ({e}): {}",
                String::from_utf8_lossy(actual)
            )
        });
        let expected: serde_json::Value =
            serde_json::from_str(expected).expect("expected body is JSON");
        assert!(
            json_eq(&actual, &expected),
            "body differs:\n  actual:   {actual}\n  expected: {expected}"
        );
    } else {
        assert_eq!(String::from_utf8_lossy(actual), expected, "body differs");
    }
}

/// XML equality by meaning: the same names, the same attributes in any
/// order, the same text in elements without children (whitespace between
/// elements is layout), and the same children in any order. Children are
/// compared as a multiset because the suites write members in an order of
/// their own, and map entries from parameters that have none; the order of
/// list items is kept by construction (they are written as iterated).
fn xml_eq(a: &crate::xml::Element, b: &crate::xml::Element) -> bool {
    let attributes = |e: &crate::xml::Element| {
        let mut all: Vec<(String, String)> = e
            .attribute_pairs()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        all.sort();
        all
    };
    let leaf = a.children().len() == 0 && b.children().len() == 0;
    a.name() == b.name()
        && attributes(a) == attributes(b)
        && (!leaf || a.text() == b.text())
        && a.children().len() == b.children().len()
        && {
            let mut unmatched: Vec<&crate::xml::Element> = b.children().collect();
            a.children()
                .all(|x| match unmatched.iter().position(|y| xml_eq(x, y)) {
                    Some(i) => {
                        unmatched.swap_remove(i);
                        true
                    }
                    None => false,
                })
        }
}

/// The decoded pairs of a form body, sorted (their order carries no meaning).
fn form_pairs(body: &[u8]) -> Vec<(String, String)> {
    let compact: Vec<u8> = body
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    let mut pairs: Vec<(String, String)> = form_urlencoded::parse(&compact)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    pairs.sort();
    pairs
}

/// JSON equality that treats numbers by value (`1` equals `1.0`).
fn json_eq(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| json_eq(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

/// CBOR equality by meaning: maps regardless of key order, numbers by value
/// whatever their width (NaN equals NaN).
fn cbor_eq(a: &ciborium::Value, b: &ciborium::Value) -> bool {
    use ciborium::Value as C;
    let number = |v: &C| match v {
        C::Integer(i) => Some(i128::from(*i) as f64),
        C::Float(f) => Some(*f),
        _ => None,
    };
    match (a, b) {
        (C::Map(x), C::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.iter().any(|(k2, v2)| cbor_eq(k, k2) && cbor_eq(v, v2)))
        }
        (C::Array(x), C::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| cbor_eq(x, y))
        }
        (C::Tag(t, x), C::Tag(u, y)) => t == u && cbor_eq(x, y),
        _ => match (number(a), number(b)) {
            (Some(x), Some(y)) => x == y || (x.is_nan() && y.is_nan()),
            _ => a == b,
        },
    }
}

/// Bytes written as base64 in a test model.
pub fn base64(text: &str) -> Bytes {
    use base64::Engine as _;
    Bytes::from(
        base64::engine::general_purpose::STANDARD
            .decode(text)
            .expect("valid base64 in a test case"),
    )
}

/// The concatenated wire bytes of a test case's events (each base64).
pub fn event_bytes(events: &[&str]) -> Bytes {
    let mut all = Vec::new();
    for event in events {
        all.extend_from_slice(&base64(event));
    }
    Bytes::from(all)
}

/// Every message of an event-stream body; panics when it is not one.
pub fn event_messages(body: &Bytes) -> Vec<crate::eventstream::Message> {
    let mut decoder = crate::eventstream::Decoder::new();
    decoder.feed_bytes(body.clone());
    let mut messages = Vec::new();
    while let Some(message) = decoder
        .next_message()
        .unwrap_or_else(|e| panic!("the request body is not an event stream: {e}"))
    {
        messages.push(message);
    }
    decoder
        .finish()
        .unwrap_or_else(|e| panic!("the request body ends inside a message: {e}"));
    messages
}

/// Asserts a sent message has the expected headers (by name and typed
/// value), has the required ones, lacks the forbidden ones, and carries
/// the expected payload (compared by media type, as bodies are).
pub fn assert_event(
    message: &crate::eventstream::Message,
    headers: &[(&str, crate::eventstream::HeaderValue)],
    require: &[&str],
    forbid: &[&str],
    body: Option<(&'static str, Option<&str>)>,
) {
    for (name, expected) in headers {
        assert_eq!(
            message.header(name),
            Some(expected),
            "event header `{name}` (headers: {:?})",
            message.headers()
        );
    }
    for name in require {
        assert!(
            message.header(name).is_some(),
            "event header `{name}` is missing"
        );
    }
    for name in forbid {
        assert!(
            message.header(name).is_none(),
            "event header `{name}` is forbidden"
        );
    }
    if let Some((expected, media_type)) = body {
        assert_body(message.payload(), expected, media_type);
    }
}

/// Reads a stream to its end.
async fn collect<S: futures_core::Stream + Unpin>(stream: &mut S) -> Vec<S::Item> {
    let mut items = Vec::new();
    while let Some(item) = std::future::poll_fn(|cx| {
        futures_core::Stream::poll_next(std::pin::Pin::new(&mut *stream), cx)
    })
    .await
    {
        items.push(item);
    }
    items
}

/// Reads an event stream to its end: every item, errors included.
pub async fn collect_events<T, E>(
    stream: &mut crate::eventstream::EventStream<T, E>,
) -> Vec<Result<T, crate::eventstream::StreamError<E>>> {
    collect(stream).await
}

/// Reads a request's event stream (as a server received it) to its end:
/// every item, errors included.
pub async fn collect_input<T>(
    stream: &mut crate::eventstream::EventInput<T>,
) -> Vec<Result<T, crate::eventstream::StreamError<std::convert::Infallible>>> {
    collect(stream).await
}

/// An event stream of `items`, in order (a handler's answer in tests).
pub fn event_stream<T: Send + 'static, E: Send + 'static>(
    items: Vec<Result<T, E>>,
) -> crate::eventstream::EventStream<T, E> {
    crate::eventstream::EventStream::from_results(futures_util::stream::iter(items))
}

/// A resolved endpoint value as endpoint tests write it.
fn endpoint_json(value: &crate::endpoint::Value) -> serde_json::Value {
    use crate::endpoint::Value;
    match value {
        Value::String(s) => serde_json::Value::String(s.clone()),
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Int(i) => serde_json::Value::from(*i),
        Value::Array(items) => serde_json::Value::Array(items.iter().map(endpoint_json).collect()),
        Value::Object(map) => serde_json::Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), endpoint_json(v)))
                .collect(),
        ),
    }
}

/// Asserts that an endpoint resolution gave what a
/// `smithy.rules#endpointTests` case's `expect` (as JSON text) says: the
/// URL, properties and headers, or an error containing its message.
pub fn assert_endpoint(result: &Result<crate::endpoint::Endpoint, String>, expect: &str) {
    let expect: serde_json::Value = serde_json::from_str(expect).expect("expectation is JSON");
    let empty = || serde_json::Value::Object(Default::default());
    match (result, expect.get("endpoint"), expect.get("error")) {
        (Ok(endpoint), Some(want), _) => {
            assert_eq!(
                endpoint.url,
                want["url"].as_str().unwrap_or_default(),
                "url"
            );
            let properties: serde_json::Map<String, serde_json::Value> = endpoint
                .properties
                .iter()
                .map(|(k, v)| (k.clone(), endpoint_json(v)))
                .collect();
            assert_eq!(
                serde_json::Value::Object(properties),
                want.get("properties").cloned().unwrap_or_else(empty),
                "properties"
            );
            let headers: serde_json::Map<String, serde_json::Value> = endpoint
                .headers
                .iter()
                .map(|(k, v)| (k.clone(), serde_json::Value::from(v.clone())))
                .collect();
            assert_eq!(
                serde_json::Value::Object(headers),
                want.get("headers").cloned().unwrap_or_else(empty),
                "headers"
            );
        }
        (Err(error), _, Some(want)) => {
            let want = want.as_str().unwrap_or_default();
            assert!(error.contains(want), "error `{error}`, expected `{want}`");
        }
        (Ok(endpoint), _, _) => panic!("resolved {} where {expect} was expected", endpoint.url),
        (Err(error), _, _) => panic!("error `{error}` where {expect} was expected"),
    }
}

/// Asserts that a call made with an endpoint test's operation inputs went
/// where the case's `expect` says (the request's URL starts with the
/// endpoint's URL and carries its headers), or failed with its error
/// (`error`: the call's error with its sources, `None` when it succeeded).
pub fn assert_endpoint_sent(transport: &TestTransport, error: Option<String>, expect: &str) {
    let expect: serde_json::Value = serde_json::from_str(expect).expect("expectation is JSON");
    if let Some(want) = expect.get("error").and_then(serde_json::Value::as_str) {
        let error = error.unwrap_or_else(|| panic!("the call succeeded; expected `{want}`"));
        assert!(error.contains(want), "error `{error}`, expected `{want}`");
        assert!(transport.requests().is_empty(), "a request was sent");
        return;
    }
    let want = &expect["endpoint"];
    let url = want["url"].as_str().unwrap_or_default();
    let Some(request) = transport.requests().pop() else {
        panic!(
            "no request was sent (expected one to {url}): {}",
            error.unwrap_or_default()
        );
    };
    // The request may add an operation's host prefix (`@endpoint`) to the
    // endpoint's host, and its own path after the endpoint's.
    let sent = request.uri().to_string();
    let (want_scheme, want_rest) = url.split_once("://").unwrap_or(("", url));
    let (sent_scheme, sent_rest) = sent.split_once("://").unwrap_or(("", &sent));
    let want_rest = want_rest.trim_end_matches('/');
    let prefixed = sent_rest.starts_with(want_rest)
        || sent_rest
            .split_once('.')
            .is_some_and(|(_, rest)| rest.starts_with(want_rest));
    let at = sent_rest.find(want_rest).map(|i| i + want_rest.len());
    assert!(
        want_scheme == sent_scheme
            && prefixed
            && at
                .is_some_and(|at| matches!(sent_rest.as_bytes().get(at), None | Some(b'/' | b'?'))),
        "sent to {sent}, expected {url}"
    );
    for (name, values) in want["headers"].as_object().into_iter().flatten() {
        let sent: Vec<&str> = request
            .headers()
            .get_all(name.as_str())
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        let wanted: Vec<&str> = values
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(serde_json::Value::as_str)
            .collect();
        assert_eq!(sent, wanted, "header {name}");
    }
}

/// The HTTP response a handler's answer is written as, with a streamed
/// body read whole: how server compliance cases see what a generated
/// server writes.
#[cfg(feature = "server")]
pub async fn written(
    reply: crate::server::rpc::Reply,
    protocol: crate::server::rpc::Protocol,
) -> http::Response<Bytes> {
    let (response, stream) = reply.into_parts(protocol, "request-id");
    let Some(mut stream) = stream else {
        return response;
    };
    let mut body = Vec::new();
    while let Some(chunk) = std::future::poll_fn(|cx| {
        futures_core::Stream::poll_next(std::pin::Pin::new(&mut *stream), cx)
    })
    .await
    {
        body.extend_from_slice(&chunk.expect("the written body reads"));
    }
    response.map(|_| Bytes::from(body))
}

/// Sends `request` to `router` in process (no socket) and returns its
/// response with the body collected: how server compliance cases reach a
/// generated server.
#[cfg(feature = "server")]
pub async fn serve(router: axum::Router, request: http::Request<Bytes>) -> http::Response<Bytes> {
    use http_body_util::BodyExt as _;
    use tower_service::Service as _;
    let mut service = router.into_service::<axum::body::Body>();
    std::future::poll_fn(|cx| service.poll_ready(cx))
        .await
        .unwrap_or_else(|e| match e {});
    let response = service
        .call(request.map(axum::body::Body::from))
        .await
        .unwrap_or_else(|e| match e {});
    let (parts, body) = response.into_parts();
    let bytes = body
        .collect()
        .await
        .expect("an in-process body reads")
        .to_bytes();
    http::Response::from_parts(parts, bytes)
}

/// Asserts that two values print the same with `{:#?}`, the entries of
/// every map and structure in any order: how cases compare values holding
/// NaN (which equals nothing, itself included) when those values also hold
/// maps (whose `Debug` order is the hash map's).
pub fn assert_debug_eq(actual: &impl std::fmt::Debug, expected: &impl std::fmt::Debug) {
    let (actual, expected) = (format!("{actual:#?}"), format!("{expected:#?}"));
    assert_eq!(
        canonical_debug(&actual),
        canonical_debug(&expected),
        "values differ:\n{actual}\n!=\n{expected}"
    );
}

/// `{:#?}` text with the entries of each `{ .. }` block sorted. Pretty
/// `Debug` puts every entry on lines of its own, indented one level deeper
/// than its block's opening line, and escapes line breaks inside strings,
/// so the lines alone give the structure.
fn canonical_debug(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut at = 0;
    debug_entries(&lines, &mut at, 0).join("\n")
}

fn debug_indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// The entries starting at `lines[*at]` indented by `depth` or more: each
/// a line with what is nested under it and its closing line.
fn debug_entries(lines: &[&str], at: &mut usize, depth: usize) -> Vec<String> {
    let mut out = Vec::new();
    while let Some(line) = lines.get(*at).filter(|l| debug_indent(l) >= depth) {
        *at += 1;
        let mut entry = (*line).to_owned();
        let own = debug_indent(line);
        if let Some(next) = lines.get(*at).filter(|l| debug_indent(l) > own) {
            let mut children = debug_entries(lines, at, debug_indent(next));
            if line.trim_end().ends_with('{') {
                children.sort();
            }
            for child in children {
                entry.push('\n');
                entry.push_str(&child);
            }
            // The block's closing line belongs to it.
            if let Some(close) = lines
                .get(*at)
                .filter(|l| debug_indent(l) == own && l.trim_start().starts_with(['}', ']', ')']))
            {
                entry.push('\n');
                entry.push_str(close);
                *at += 1;
            }
        }
        out.push(entry);
    }
    out
}

/// Asserts that `body`, a JSON error document, has a `message` (or
/// `Message`) matching the regular expression `pattern` (a malformed
/// request case's `messageRegex`).
#[cfg(feature = "server")]
pub fn assert_message_matches(body: &[u8], pattern: &str) {
    let document: serde_json::Value = serde_json::from_slice(body)
        .unwrap_or_else(|e| panic!("the error body is not JSON ({e}): {body:?}"));
    let message = document
        .get("message")
        .or_else(|| document.get("Message"))
        .and_then(serde_json::Value::as_str)
        .unwrap_or_else(|| panic!("the error body has no message: {document}"));
    let regex = fancy_regex::Regex::new(pattern)
        .unwrap_or_else(|e| panic!("`{pattern}` is not a regular expression: {e}"));
    assert!(
        regex.is_match(message).unwrap_or(false),
        "the message `{message}` does not match `{pattern}`"
    );
}

#[cfg(test)]
mod debug_tests {
    use std::collections::HashMap;

    #[derive(Debug)]
    #[allow(dead_code)]
    struct Holder {
        value: f64,
        map: HashMap<String, Vec<f64>>,
        list: Vec<u8>,
    }

    #[test]
    fn map_order_does_not_matter_but_list_order_does() {
        let holder = |keys: &[&str], list: Vec<u8>| Holder {
            value: f64::NAN,
            map: keys
                .iter()
                .map(|k| ((*k).to_owned(), vec![f64::NAN, 1.0]))
                .collect(),
            list,
        };
        let many: Vec<String> = (0..20).map(|i| format!("k{i}")).collect();
        let keys: Vec<&str> = many.iter().map(String::as_str).collect();
        let mut reversed = keys.clone();
        reversed.reverse();
        super::assert_debug_eq(&holder(&keys, vec![1, 2]), &holder(&reversed, vec![1, 2]));
        let differs = std::panic::catch_unwind(|| {
            super::assert_debug_eq(&holder(&keys, vec![1, 2]), &holder(&keys, vec![2, 1]))
        });
        assert!(differs.is_err());
    }
}
