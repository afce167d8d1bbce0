//! Event streams over the protocols other than restJson1, through SDKs
//! generated from third-party shapes (Smithy's restJson1 event-stream
//! operations re-served over awsJson1_1, rpcv2Cbor and rpcv2Json by
//! `tests/models/event-streams-rpc.smithy`, and over restXml by
//! `tests/models/event-streams-xml.smithy`). Over the RPC protocols the input members
//! other than the stream travel first, as an `initial-request` event; the
//! output members other than the stream arrive in an `initial-response`
//! event, which the client reads before returning the output, and which a
//! service may leave out.

#![cfg(smithy_protocol_tests)]

use bytes::Bytes;
use tinsmith_runtime::eventstream::{EventInput, HeaderValue, Message};
use tinsmith_runtime::test_util::{self, TestTransport};
use tinsmith_tests::protocol_tests::event_streams_json11 as sdk;

fn client(transport: &TestTransport) -> sdk::Client {
    sdk::Client::new(
        tinsmith_runtime::Config::builder()
            .endpoint("https://example.com")
            .transport(transport.clone())
            .retry(tinsmith_runtime::RetryConfig::disabled())
            .build(),
    )
}

fn headers_event(value: bool) -> Message {
    Message::new(Bytes::new())
        .with_str(":message-type", "event")
        .with_str(":event-type", "headers")
        .with_header("booleanHeader", HeaderValue::Bool(value))
}

fn body(messages: &[Message]) -> Bytes {
    let mut all = Vec::new();
    for m in messages {
        all.extend_from_slice(&m.encode().unwrap());
    }
    Bytes::from(all)
}

fn event(value: bool) -> sdk::types::EventStream {
    sdk::types::EventStream::Headers(
        sdk::types::HeadersEvent::builder()
            .boolean_header(value)
            .build(),
    )
}

#[tokio::test]
async fn the_initial_request_goes_first_and_the_initial_response_completes_the_output() {
    let initial_response = Message::new(r#"{"initialResponseMember":"bar"}"#)
        .with_str(":message-type", "event")
        .with_str(":event-type", "initial-response")
        .with_str(":content-type", "application/x-amz-json-1.1");
    let transport = TestTransport::new(
        200,
        &[("content-type", "application/vnd.amazon.eventstream")],
        body(&[initial_response, headers_event(true), headers_event(false)]),
    );
    let mut output = client(&transport)
        .duplex_stream_with_initial_messages()
        .initial_request_member("foo")
        .stream(EventInput::from_events([event(true)]))
        .send()
        .await
        .unwrap();
    assert_eq!(output.initial_response_member, "bar");
    let events: Vec<_> = test_util::collect_events(&mut output.stream)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert_eq!(events, [event(true), event(false)]);

    let request = transport.last_request();
    assert_eq!(
        request.headers()["x-amz-target"],
        "EventStreamsJson11.DuplexStreamWithInitialMessages"
    );
    assert_eq!(
        request.headers()["content-type"],
        "application/vnd.amazon.eventstream"
    );
    let messages = test_util::event_messages(request.body());
    assert_eq!(messages.len(), 2);
    test_util::assert_event(
        &messages[0],
        &[
            (":message-type", HeaderValue::String("event".into())),
            (":event-type", HeaderValue::String("initial-request".into())),
            (
                ":content-type",
                HeaderValue::String("application/x-amz-json-1.1".into()),
            ),
        ],
        &[],
        &[],
        Some((
            r#"{"initialRequestMember":"foo"}"#,
            Some("application/json"),
        )),
    );
    test_util::assert_event(
        &messages[1],
        &[
            (":event-type", HeaderValue::String("headers".into())),
            ("booleanHeader", HeaderValue::Bool(true)),
        ],
        &[],
        &[],
        None,
    );
}

#[tokio::test]
async fn a_missing_initial_response_leaves_every_event_in_the_stream() {
    let transport = TestTransport::new(
        200,
        &[("content-type", "application/vnd.amazon.eventstream")],
        body(&[headers_event(true)]),
    );
    let mut output = client(&transport)
        .output_stream_with_initial_response()
        .send()
        .await
        .unwrap();
    // The required member was never sent: a zero value, not a failure.
    assert_eq!(output.initial_response_member, "");
    let events = test_util::collect_events(&mut output.stream).await;
    assert_eq!(events.len(), 1);
    assert_eq!(*events[0].as_ref().unwrap(), event(true));
}

#[tokio::test]
async fn a_damaged_first_message_is_reported_by_the_stream() {
    let mut damaged = headers_event(true).encode().unwrap().to_vec();
    let last = damaged.len() - 1;
    damaged[last] ^= 1;
    let transport = TestTransport::new(
        200,
        &[("content-type", "application/vnd.amazon.eventstream")],
        damaged,
    );
    let mut output = client(&transport)
        .output_stream_with_initial_response()
        .send()
        .await
        .unwrap();
    let events = test_util::collect_events(&mut output.stream).await;
    let error = events.into_iter().next().unwrap().unwrap_err();
    assert!(
        matches!(
            error.kind(),
            tinsmith_runtime::eventstream::StreamErrorKind::Corrupt
        ),
        "{error}"
    );
}

/// The rpcv2 protocols: the same initial messages, at the rpcv2 path, with
/// the protocol's documents (JSON or CBOR) as their payloads.
mod rpc_v2 {
    use super::*;
    use tinsmith_tests::protocol_tests::{
        event_streams_cbor as cbor, event_streams_rpc_json as json,
    };

    fn config(transport: &TestTransport) -> tinsmith_runtime::Config {
        tinsmith_runtime::Config::builder()
            .endpoint("https://example.com")
            .transport(transport.clone())
            .retry(tinsmith_runtime::RetryConfig::disabled())
            .build()
    }

    fn response(initial: Message) -> TestTransport {
        TestTransport::new(
            200,
            &[
                ("content-type", "application/vnd.amazon.eventstream"),
                ("smithy-protocol", "rpc-v2-json"),
            ],
            body(&[initial, headers_event(true)]),
        )
    }

    fn cbor_map(key: &str, value: &str) -> Vec<u8> {
        let value = ciborium::Value::Map(vec![(key.into(), value.into())]);
        let mut out = Vec::new();
        ciborium::into_writer(&value, &mut out).unwrap();
        out
    }

    fn initial(payload: impl Into<Bytes>, content_type: &str) -> Message {
        Message::new(payload.into())
            .with_str(":message-type", "event")
            .with_str(":event-type", "initial-response")
            .with_str(":content-type", content_type)
    }

    /// The request's path, `Accept` and the initial-request payload.
    fn sent(transport: &TestTransport, operation: &str) -> Bytes {
        let request = transport.last_request();
        assert_eq!(
            request.uri().path(),
            format!("/service/{operation}/operation/DuplexStreamWithInitialMessages")
        );
        assert_eq!(
            request.headers()["accept"],
            "application/vnd.amazon.eventstream"
        );
        assert_eq!(
            request.headers()["content-type"],
            "application/vnd.amazon.eventstream"
        );
        let messages = test_util::event_messages(request.body());
        assert_eq!(messages.len(), 2);
        assert_eq!(
            messages[0].header(":event-type"),
            Some(&HeaderValue::String("initial-request".into()))
        );
        messages[0].payload().clone()
    }

    #[tokio::test]
    async fn rpcv2_json_sends_and_reads_initial_messages_as_json() {
        let transport = response(initial(
            r#"{"initialResponseMember":"bar"}"#,
            "application/json",
        ));
        let mut output = json::Client::new(config(&transport))
            .duplex_stream_with_initial_messages()
            .initial_request_member("foo")
            .stream(EventInput::from_events([
                json::types::EventStream::Headers(
                    json::types::HeadersEvent::builder()
                        .boolean_header(true)
                        .build(),
                ),
            ]))
            .send()
            .await
            .unwrap();
        assert_eq!(output.initial_response_member, "bar");
        let events = test_util::collect_events(&mut output.stream).await;
        assert_eq!(events.len(), 1);
        assert!(events[0].is_ok());
        let payload = sent(&transport, "EventStreamsRpcJson");
        let payload: serde_json::Value = serde_json::from_slice(&payload).unwrap();
        assert_eq!(payload, serde_json::json!({"initialRequestMember": "foo"}));
        assert_eq!(
            transport.last_request().headers()["smithy-protocol"],
            "rpc-v2-json"
        );
    }

    #[tokio::test]
    async fn rpcv2_cbor_sends_and_reads_initial_messages_as_cbor() {
        let transport = response(initial(
            cbor_map("initialResponseMember", "bar"),
            "application/cbor",
        ));
        let mut output = cbor::Client::new(config(&transport))
            .duplex_stream_with_initial_messages()
            .initial_request_member("foo")
            .stream(EventInput::from_events([
                cbor::types::EventStream::Headers(
                    cbor::types::HeadersEvent::builder()
                        .boolean_header(true)
                        .build(),
                ),
            ]))
            .send()
            .await
            .unwrap();
        assert_eq!(output.initial_response_member, "bar");
        let events = test_util::collect_events(&mut output.stream).await;
        assert_eq!(events.len(), 1);
        assert!(events[0].is_ok());
        let payload = sent(&transport, "EventStreamsCbor");
        assert_eq!(payload.as_ref(), cbor_map("initialRequestMember", "foo"));
        assert_eq!(
            transport.last_request().headers()["smithy-protocol"],
            "rpc-v2-cbor"
        );
    }
}

/// restXml: event payloads are XML documents (a structure or union payload
/// is its target's root element; implicit payload members are children of
/// an element named after the event), and modeled errors arrive typed.
mod rest_xml {
    use super::*;
    use tinsmith_runtime::eventstream::StreamErrorKind;
    use tinsmith_tests::protocol_tests::event_streams_xml as xml;

    fn config(transport: &TestTransport) -> tinsmith_runtime::Config {
        tinsmith_runtime::Config::builder()
            .endpoint("https://example.com")
            .transport(transport.clone())
            .retry(tinsmith_runtime::RetryConfig::disabled())
            .build()
    }

    fn event(event_type: &str, payload: &str) -> Message {
        Message::new(Bytes::copy_from_slice(payload.as_bytes()))
            .with_str(":message-type", "event")
            .with_str(":event-type", event_type)
            .with_str(":content-type", "application/xml")
    }

    #[tokio::test]
    async fn xml_payloads_are_read_into_events_and_errors_arrive_typed() {
        let error = Message::new(Bytes::from_static(
            b"<ErrorEvent><message>boom</message></ErrorEvent>",
        ))
        .with_str(":message-type", "exception")
        .with_str(":exception-type", "error")
        .with_str(":content-type", "application/xml");
        let transport = TestTransport::new(
            200,
            &[("content-type", "application/vnd.amazon.eventstream")],
            body(&[
                event(
                    "structurePayload",
                    "<PayloadStructure><structureMember>a &amp; b</structureMember></PayloadStructure>",
                ),
                event(
                    "unionPayload",
                    "<PayloadUnion><unionMember>u</unionMember></PayloadUnion>",
                ),
                event(
                    "headersAndImplicitPayload",
                    "<HeadersAndImplicitPayloadEvent><payload>p</payload></HeadersAndImplicitPayloadEvent>",
                )
                .with_str("header", "h"),
                error,
            ]),
        );
        let mut output = xml::Client::new(config(&transport))
            .output_stream()
            .send()
            .await
            .unwrap();
        let mut events = test_util::collect_events(&mut output.stream)
            .await
            .into_iter();
        use xml::types::{EventStream, PayloadUnion};
        match events.next().unwrap().unwrap() {
            EventStream::StructurePayload(e) => assert_eq!(
                e.payload.unwrap().structure_member.as_deref(),
                Some("a & b")
            ),
            other => panic!("{other:?}"),
        }
        match events.next().unwrap().unwrap() {
            EventStream::UnionPayload(e) => {
                assert_eq!(e.payload, Some(PayloadUnion::UnionMember("u".into())))
            }
            other => panic!("{other:?}"),
        }
        match events.next().unwrap().unwrap() {
            EventStream::HeadersAndImplicitPayload(e) => {
                assert_eq!(e.header.as_deref(), Some("h"));
                assert_eq!(e.payload.as_deref(), Some("p"));
            }
            other => panic!("{other:?}"),
        }
        match events.next().unwrap().unwrap_err().into_kind() {
            StreamErrorKind::Modeled(xml::error::EventStreamError::Error(e)) => {
                assert_eq!(e.message.as_deref(), Some("boom"))
            }
            other => panic!("{other:?}"),
        }
        assert!(events.next().is_none());
    }

    #[tokio::test]
    async fn events_sent_carry_xml_payloads() {
        let transport = TestTransport::new(200, &[], Bytes::new());
        let event = xml::types::EventStream::StructurePayload(
            xml::types::StructurePayloadEvent::builder()
                .payload(
                    xml::types::PayloadStructure::builder()
                        .structure_member("<x>")
                        .build(),
                )
                .build(),
        );
        xml::Client::new(config(&transport))
            .input_stream()
            .stream(EventInput::from_events([event]))
            .send()
            .await
            .unwrap();
        let request = transport.last_request();
        let messages = test_util::event_messages(request.body());
        test_util::assert_event(
            &messages[0],
            &[
                (
                    ":event-type",
                    HeaderValue::String("structurePayload".into()),
                ),
                (
                    ":content-type",
                    HeaderValue::String("application/xml".into()),
                ),
            ],
            &[],
            &[],
            Some((
                "<PayloadStructure><structureMember>&lt;x&gt;</structureMember></PayloadStructure>",
                Some("application/xml"),
            )),
        );
    }
}
