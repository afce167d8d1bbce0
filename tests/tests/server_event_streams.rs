//! Event streams served over the RPC protocols: Smithy's restJson1
//! event-stream operations, re-served over awsJson1_0, awsJson1_1,
//! rpcv2Cbor, rpcv2Json and jsonRpc2 (`tests/models/event-streams-rpc.smithy`), with
//! the generated client against the generated server on 127.0.0.1.
//!
//! The input's other members travel in the `initial-request` event and
//! reach the handler with the stream; the output's go back in the
//! `initial-response` event, which the client reads before returning the
//! output. Every event binding round-trips both ways, and the server's
//! side ends a stream early the ways a client must tell apart: a modeled
//! error, an unmodeled one, and a handler that panics mid-stream.

#![cfg(smithy_protocol_tests)]

mod common;

/// One module of tests per protocol: `$sdk` is the generated crate, `$service`
/// its server trait.
macro_rules! served_over {
    ($module:ident, $sdk:ident, $service:ident) => {
        mod $module {
            use std::sync::{Arc, Mutex};

            use futures_util::StreamExt as _;
            use tinsmith_runtime::eventstream::{EventInput, StreamError, StreamErrorKind};
            use tinsmith_runtime::server::Request;
            use tinsmith_runtime::{Blob, DateTime, RetryConfig};
            use tinsmith_tests::protocol_tests::$sdk as sdk;
            use sdk::error::EventStreamError;
            use sdk::server::{self, $service};
            use sdk::types::*;

            /// How `OutputStream` ends.
            #[derive(Clone, Copy)]
            #[allow(dead_code)]
            pub(super) enum Ending {
                Cleanly,
                Modeled,
                Unmodeled,
                Panic,
            }

            #[derive(Clone)]
            pub(super) struct Server {
                ending: Ending,
                /// The events `InputStream` received, and its stream's fault.
                pub(super) received: Arc<Mutex<Option<(Vec<EventStream>, Option<String>)>>>,
            }

            fn headers(value: bool) -> EventStream {
                EventStream::Headers(
                    HeadersEvent::builder()
                        .boolean_header(value)
                        .byte_header(-1)
                        .short_header(-2)
                        .int_header(3)
                        .long_header(i64::MAX)
                        .blob_header(Blob::new(b"head".to_vec()))
                        .string_header("text")
                        .timestamp_header(DateTime::from_secs(1_700_000_000))
                        .build(),
                )
            }

            /// One event of every kind the stream has.
            fn every_event() -> Vec<EventStream> {
                vec![
                    headers(true),
                    EventStream::BlobPayload(
                        BlobPayloadEvent::builder().payload(Blob::new(vec![0, 1, 2, 255])).build(),
                    ),
                    EventStream::StringPayload(
                        StringPayloadEvent::builder().payload("plain text").build(),
                    ),
                    EventStream::StructurePayload(
                        StructurePayloadEvent::builder()
                            .payload(PayloadStructure::builder().structure_member("s").build())
                            .build(),
                    ),
                    EventStream::UnionPayload(
                        UnionPayloadEvent::builder()
                            .payload(PayloadUnion::UnionMember(String::from("u")))
                            .build(),
                    ),
                    EventStream::HeadersAndExplicitPayload(
                        HeadersAndExplicitPayloadEvent::builder()
                            .header("h")
                            .payload(PayloadStructure::builder().structure_member("e").build())
                            .build(),
                    ),
                    EventStream::HeadersAndImplicitPayload(
                        HeadersAndImplicitPayloadEvent::builder()
                            .header("h")
                            .payload("i")
                            .build(),
                    ),
                    headers(false),
                ]
            }

            /// Each received event back, until the first fault.
            fn echo(
                events: EventInput<EventStream>,
            ) -> tinsmith_runtime::eventstream::EventStream<EventStream, EventStreamError> {
                tinsmith_runtime::eventstream::EventStream::from_results(events.map(|item| {
                    item.map_err(|e| StreamError::unmodeled("BrokenRequestStream", e.to_string()))
                }))
            }

            impl $service for Server {
                async fn input_stream(
                    &self,
                    request: Request<InputStreamInput>,
                ) -> Result<(), server::InputStreamError> {
                    let mut stream = request.into_input().stream;
                    let mut events = Vec::new();
                    let mut fault = None;
                    while let Some(item) = stream.next().await {
                        match item {
                            Ok(event) => events.push(event),
                            Err(e) => fault = Some(e.to_string()),
                        }
                    }
                    *self.received.lock().unwrap() = Some((events, fault));
                    Ok(())
                }

                async fn output_stream(
                    &self,
                    _request: Request<()>,
                ) -> Result<OutputStreamOutput, server::OutputStreamError> {
                    type Item = Result<EventStream, StreamError<EventStreamError>>;
                    let mut items: Vec<Item> = vec![Ok(headers(true))];
                    match self.ending {
                        Ending::Cleanly => items.push(Ok(headers(false))),
                        Ending::Modeled => items.push(Err(EventStreamError::Error(
                            ErrorEvent::builder().message("boom").build(),
                        )
                        .into())),
                        Ending::Unmodeled => {
                            items.push(Err(StreamError::unmodeled("Gone", "the source went away")))
                        }
                        Ending::Panic => items.push(Ok(headers(false))),
                    }
                    let panics = matches!(self.ending, Ending::Panic);
                    let mut sent = 0;
                    let stream = futures_util::stream::iter(items).map(move |item| {
                        sent += 1;
                        assert!(!(panics && sent == 2), "the event source failed");
                        item
                    });
                    Ok(OutputStreamOutput::builder()
                        .stream(tinsmith_runtime::eventstream::EventStream::from_results(stream))
                        .build())
                }

                async fn duplex_stream(
                    &self,
                    request: Request<DuplexStreamInput>,
                ) -> Result<DuplexStreamOutput, server::DuplexStreamError> {
                    let events = request.into_input().stream;
                    Ok(DuplexStreamOutput::builder().stream(echo(events)).build())
                }

                async fn input_stream_with_initial_request(
                    &self,
                    request: Request<InputStreamWithInitialRequestInput>,
                ) -> Result<(), server::InputStreamWithInitialRequestError> {
                    let input = request.into_input();
                    let events: Vec<_> = input.stream.collect().await;
                    *self.received.lock().unwrap() = Some((
                        events.into_iter().map(Result::unwrap).collect(),
                        input.initial_request_member,
                    ));
                    Ok(())
                }

                async fn output_stream_with_initial_response(
                    &self,
                    _request: Request<()>,
                ) -> Result<OutputStreamWithInitialResponseOutput, server::OutputStreamWithInitialResponseError> {
                    Ok(OutputStreamWithInitialResponseOutput::builder()
                        .initial_response_member("from the server")
                        .stream(tinsmith_runtime::eventstream::EventStream::from_events(every_event()))
                        .build()?)
                }

                async fn duplex_stream_with_initial_messages(
                    &self,
                    request: Request<DuplexStreamWithInitialMessagesInput>,
                ) -> Result<DuplexStreamWithInitialMessagesOutput, server::DuplexStreamWithInitialMessagesError> {
                    let input = request.into_input();
                    Ok(DuplexStreamWithInitialMessagesOutput::builder()
                        .initial_response_member(format!("got {}", input.initial_request_member.unwrap_or_default()))
                        .stream(echo(input.stream))
                        .build()?)
                }

                async fn duplex_stream_with_distinct_streams(
                    &self,
                    request: Request<DuplexStreamWithDistinctStreamsInput>,
                ) -> Result<DuplexStreamWithDistinctStreamsOutput, server::DuplexStreamWithDistinctStreamsError> {
                    // The output's union is not a stream: one answer, when
                    // the request stream has ended.
                    let events: Vec<_> = request.into_input().stream.collect().await;
                    let count = events.iter().filter(|e| e.is_ok()).count();
                    Ok(DuplexStreamWithDistinctStreamsOutput::builder()
                        .stream(SingletonEventStream::Singleton(
                            SingletonEvent::builder().value(count.to_string()).build(),
                        ))
                        .build())
                }
            }

            /// Serves a `Server` on 127.0.0.1: its address, and the server.
            #[allow(dead_code)]
            pub(super) async fn listen(ending: Ending) -> (std::net::SocketAddr, Server) {
                let server = Server {
                    ending,
                    received: Arc::default(),
                };
                let app = server::router(server.clone());
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                let addr = listener.local_addr().unwrap();
                tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
                (addr, server)
            }

            async fn start(ending: Ending) -> (sdk::Client, Server) {
                let (addr, server) = listen(ending).await;
                let config = tinsmith_runtime::Config::builder()
                    .endpoint(format!("http://{addr}"))
                    .retry(RetryConfig::disabled())
                    .build();
                (sdk::Client::new(config), server)
            }

            #[tokio::test]
            async fn initial_messages_and_every_event_round_trip() {
                let (client, _) = start(Ending::Cleanly).await;
                let mut output = client
                    .duplex_stream_with_initial_messages()
                    .initial_request_member("hello")
                    .stream(EventInput::from_events(every_event()))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(output.initial_response_member, "got hello");
                let events: Vec<_> = output.stream.by_ref().map(Result::unwrap).collect().await;
                assert_eq!(events, every_event());
                assert_eq!(output.stream.ended_cleanly(), Some(true));

                let mut output = client.output_stream_with_initial_response().send().await.unwrap();
                assert_eq!(output.initial_response_member, "from the server");
                let events: Vec<_> = output.stream.by_ref().map(Result::unwrap).collect().await;
                assert_eq!(events, every_event());
            }

            #[tokio::test]
            async fn the_handler_receives_the_stream_and_the_initial_request() {
                let (client, server) = start(Ending::Cleanly).await;
                let many: Vec<EventStream> = (0..500).map(|i| headers(i % 3 == 0)).collect();
                client
                    .input_stream()
                    .stream(EventInput::from_events(many.clone()))
                    .send()
                    .await
                    .unwrap();
                let (events, fault) = server.received.lock().unwrap().take().unwrap();
                assert!(fault.is_none(), "{fault:?}");
                assert_eq!(events, many);

                client
                    .input_stream_with_initial_request()
                    .initial_request_member("first")
                    .stream(EventInput::from_events(every_event()))
                    .send()
                    .await
                    .unwrap();
                let (events, member) = server.received.lock().unwrap().take().unwrap();
                assert_eq!(member.as_deref(), Some("first"));
                assert_eq!(events, every_event());
            }

            #[tokio::test]
            async fn a_stream_in_and_a_value_out() {
                let (client, _) = start(Ending::Cleanly).await;
                let output = client
                    .duplex_stream_with_distinct_streams()
                    .stream(EventInput::from_events(every_event()))
                    .send()
                    .await
                    .unwrap();
                let count = every_event().len().to_string();
                assert_eq!(
                    output.stream.and_then(|s| s.as_singleton().cloned()).and_then(|s| s.value),
                    Some(count)
                );
            }

            #[tokio::test]
            async fn a_modeled_stream_error_arrives_typed() {
                let (client, _) = start(Ending::Modeled).await;
                let mut output = client.output_stream().send().await.unwrap();
                assert_eq!(output.stream.next().await.unwrap().unwrap(), headers(true));
                let error = output.stream.next().await.unwrap().unwrap_err();
                assert_eq!(error.message(), Some("boom"));
                assert!(
                    matches!(error.modeled(), Some(EventStreamError::Error(e)) if e.message.as_deref() == Some("boom")),
                    "{error:?}"
                );
                assert!(output.stream.next().await.is_none());
            }

            #[tokio::test]
            async fn an_unmodeled_error_and_a_panic_arrive_as_error_messages() {
                let (client, _) = start(Ending::Unmodeled).await;
                let mut output = client.output_stream().send().await.unwrap();
                assert!(output.stream.next().await.unwrap().is_ok());
                let error = output.stream.next().await.unwrap().unwrap_err();
                assert!(
                    matches!(error.kind(), StreamErrorKind::Unmodeled { code } if code == "Gone"),
                    "{error:?}"
                );
                assert_eq!(error.message(), Some("the source went away"));

                let (client, _) = start(Ending::Panic).await;
                let mut output = client.output_stream().send().await.unwrap();
                assert!(output.stream.next().await.unwrap().is_ok());
                let error = output.stream.next().await.unwrap().unwrap_err();
                assert!(
                    matches!(error.kind(), StreamErrorKind::Unmodeled { code } if code == "InternalFailure"),
                    "{error:?}"
                );
                assert!(output.stream.next().await.is_none());
                assert_eq!(output.stream.ended_cleanly(), Some(false));
            }
        }
    };
}

served_over!(aws_json_1_0, event_streams_json10, EventStreamsJson10);
served_over!(aws_json_1_1, event_streams_json11, EventStreamsJson11);
served_over!(rpc_v2_cbor, event_streams_cbor, EventStreamsCbor);
served_over!(rpc_v2_json, event_streams_rpc_json, EventStreamsRpcJson);
served_over!(json_rpc_2, event_streams_json_rpc, EventStreamsJsonRpc);

/// jsonRpc2's own framing of event streams, as a client other than ours
/// sees it: a call that streams opens with the request object in its
/// `initial-request` event and is answered with the response object in
/// the `initial-response` event; what cannot be served that way is
/// refused with the standard error codes.
mod json_rpc_wire {
    use bytes::Bytes;
    use serde_json::{Value, json};
    use tinsmith_runtime::eventstream::{Decoder, Message};

    use super::json_rpc_2::{Ending, listen};

    const METHOD_PREFIX: &str = "EventStreamsJsonRpc.";
    const EVENTS: &str = "application/vnd.amazon.eventstream";

    /// An `event` message of `event_type` with a payload of `content_type`.
    fn event(event_type: &str, content_type: &str, payload: impl Into<Bytes>) -> Vec<u8> {
        Message::new(payload.into())
            .with_str(":message-type", "event")
            .with_str(":event-type", event_type.to_owned())
            .with_str(":content-type", content_type.to_owned())
            .encode()
            .unwrap()
            .to_vec()
    }

    /// The `initial-request` event holding `request`.
    fn opening(request: Value) -> Vec<u8> {
        event("initial-request", "application/json", request.to_string())
    }

    fn messages(body: &[u8]) -> Vec<Message> {
        let mut decoder = Decoder::new();
        decoder.feed(body);
        let mut messages = Vec::new();
        while let Some(message) = decoder.next_message().unwrap() {
            messages.push(message);
        }
        decoder.finish().unwrap();
        messages
    }

    /// Posts `body` as `content_type`: the status, the `Content-Type` and
    /// the body.
    async fn post(
        addr: std::net::SocketAddr,
        content_type: &str,
        body: &[u8],
    ) -> (u16, String, Bytes) {
        post_to(addr, ("/rpc", None), content_type, body).await
    }

    /// Posts `body` as `content_type` to `path` with a bearer `token`: the
    /// status, the `Content-Type` and the body.
    async fn post_to(
        addr: std::net::SocketAddr,
        (path, token): (&str, Option<&str>),
        content_type: &str,
        body: &[u8],
    ) -> (u16, String, Bytes) {
        let authorization = token.map(|t| format!("Bearer {t}"));
        let mut headers = vec![("content-type", content_type)];
        if let Some(authorization) = &authorization {
            headers.push(("authorization", authorization));
        }
        let (status, headers, body) = crate::common::post_raw(addr, path, &headers, body).await;
        let content_type = headers
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        (status, content_type, body)
    }

    fn method(operation: &str) -> String {
        format!("{METHOD_PREFIX}{operation}")
    }

    #[tokio::test]
    async fn a_streaming_call_opens_and_is_answered_with_its_objects() {
        let (addr, _) = listen(Ending::Cleanly).await;
        let mut body = opening(json!({
            "jsonrpc": "2.0",
            "id": 7,
            "method": method("DuplexStreamWithInitialMessages"),
            "params": {"initialRequestMember": "hi"},
        }));
        body.extend(event("stringPayload", "text/plain", "one"));
        body.extend(event("stringPayload", "text/plain", "two"));
        let (status, content_type, answer) = post(addr, EVENTS, &body).await;
        assert_eq!((status, content_type.as_str()), (200, EVENTS));
        let answer = messages(&answer);
        assert_eq!(
            answer[0].str_header(":event-type"),
            Some("initial-response")
        );
        let object: Value = serde_json::from_slice(answer[0].payload()).unwrap();
        assert_eq!(
            object,
            json!({"jsonrpc": "2.0", "id": 7, "result": {"initialResponseMember": "got hi"}})
        );
        let echoed: Vec<&[u8]> = answer[1..].iter().map(|m| m.payload().as_ref()).collect();
        assert_eq!(echoed, [b"one".as_slice(), b"two"]);
        assert!(
            answer[1..]
                .iter()
                .all(|m| m.str_header(":event-type") == Some("stringPayload"))
        );

        // An output stream answers a plain request object the same way.
        let request = json!({"jsonrpc": "2.0", "id": "o", "method": method("OutputStream")});
        let (status, content_type, answer) =
            post(addr, "application/json", request.to_string().as_bytes()).await;
        assert_eq!((status, content_type.as_str()), (200, EVENTS));
        let answer = messages(&answer);
        let object: Value = serde_json::from_slice(answer[0].payload()).unwrap();
        assert_eq!(object, json!({"jsonrpc": "2.0", "id": "o", "result": {}}));
        assert_eq!(answer.len(), 3, "the opening and two events");
    }

    #[tokio::test]
    async fn what_cannot_stream_is_refused_with_the_standard_codes() {
        let (addr, server) = listen(Ending::Cleanly).await;
        let refusal = |body: &Bytes| {
            let answer: Value = serde_json::from_slice(body).unwrap();
            (
                answer["id"].clone(),
                answer["error"]["code"].as_i64().unwrap(),
            )
        };
        // An input stream sent as a request object: invalid.
        let request = json!({"jsonrpc": "2.0", "id": 1, "method": method("InputStream")});
        let (status, content_type, answer) =
            post(addr, "application/json", request.to_string().as_bytes()).await;
        assert_eq!((status, content_type.as_str()), (200, "application/json"));
        assert_eq!(refusal(&answer), (json!(1), -32600));
        // A streamed answer inside a batch: invalid, and the handler not run.
        let batch = json!([{"jsonrpc": "2.0", "id": 2, "method": method("OutputStream")}]);
        let (_, _, answer) = post(addr, "application/json", batch.to_string().as_bytes()).await;
        let answer: Value = serde_json::from_slice(&answer).unwrap();
        assert_eq!(answer[0]["id"], 2);
        assert_eq!(answer[0]["error"]["code"], -32600);
        // A stream to an operation that takes none: invalid.
        let body = opening(json!({"jsonrpc": "2.0", "id": 3, "method": method("OutputStream")}));
        let (_, _, answer) = post(addr, EVENTS, &body).await;
        assert_eq!(refusal(&answer), (json!(3), -32600));
        // A stream to no operation: method not found.
        let body = opening(json!({"jsonrpc": "2.0", "id": 4, "method": method("Nope")}));
        let (_, _, answer) = post(addr, EVENTS, &body).await;
        assert_eq!(refusal(&answer), (json!(4), -32601));
        // A stream that does not open with the request object: invalid.
        let body = event("stringPayload", "text/plain", "first");
        let (_, _, answer) = post(addr, EVENTS, &body).await;
        assert_eq!(refusal(&answer), (Value::Null, -32600));
        // An opening that is not JSON, a damaged frame, an empty stream:
        // parse errors.
        let not_json = event("initial-request", "application/json", "{");
        let mut damaged =
            opening(json!({"jsonrpc": "2.0", "id": 5, "method": method("InputStream")}));
        *damaged.last_mut().unwrap() ^= 1;
        for body in [not_json, damaged, Vec::new()] {
            let (_, _, answer) = post(addr, EVENTS, &body).await;
            assert_eq!(refusal(&answer), (Value::Null, -32700));
        }
        assert!(server.received.lock().unwrap().is_none(), "no handler ran");
    }

    /// A gateway on 127.0.0.1 in front of the server at `worker` (the
    /// worker `events`, taking methods without the worker's name): its
    /// address. The token `t` authenticates.
    async fn gateway(worker: std::net::SocketAddr) -> std::net::SocketAddr {
        use tinsmith_runtime::gateway::{BearerTokens, Caller, Gateway, Registry};
        let registry = Registry::from_toml(&format!(
            "[workers.events]\nurl = \"http://{worker}\"\npath = \"/rpc\"\nstrip_name = true\n"
        ))
        .unwrap();
        let gateway = Gateway::builder()
            .registry(registry)
            .authenticate(BearerTokens::new().with_token("t", Caller::new("ana")))
            .build()
            .unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, gateway.router()).await.unwrap() });
        addr
    }

    #[tokio::test]
    async fn streams_pass_through_a_gateway_and_batches_stay_batches() {
        let (worker, _) = listen(Ending::Cleanly).await;
        let gateway = gateway(worker).await;
        let through = |method: &str| format!("events/{METHOD_PREFIX}{method}");
        let via = ("/api/rpc", Some("t"));

        // A stream both ways, routed by the method of its opening object.
        let mut body = opening(json!({
            "jsonrpc": "2.0",
            "id": "d",
            "method": through("DuplexStreamWithInitialMessages"),
            "params": {"initialRequestMember": "via"},
        }));
        body.extend(event("stringPayload", "text/plain", "one"));
        let (status, content_type, answer) = post_to(gateway, via, EVENTS, &body).await;
        assert_eq!((status, content_type.as_str()), (200, EVENTS));
        let answer = messages(&answer);
        let object: Value = serde_json::from_slice(answer[0].payload()).unwrap();
        assert_eq!(
            object,
            json!({"jsonrpc": "2.0", "id": "d", "result": {"initialResponseMember": "got via"}})
        );
        assert_eq!(answer[1].payload().as_ref(), b"one");

        // A plain call answered with a stream.
        let request = json!({"jsonrpc": "2.0", "id": "o", "method": through("OutputStream")});
        let body = request.to_string();
        let (status, content_type, answer) =
            post_to(gateway, via, "application/json", body.as_bytes()).await;
        assert_eq!((status, content_type.as_str()), (200, EVENTS));
        assert_eq!(messages(&answer).len(), 3, "the opening and two events");

        // Inside a batch the gateway forwards the call alone, marked as
        // batched: the worker refuses it before it runs, as in a batch.
        let batch = json!([{"jsonrpc": "2.0", "id": 2, "method": through("OutputStream")}]);
        let body = batch.to_string();
        let (status, _, answer) = post_to(gateway, via, "application/json", body.as_bytes()).await;
        assert_eq!(status, 200);
        let answer: Value = serde_json::from_slice(&answer).unwrap();
        assert_eq!(
            (&answer[0]["id"], &answer[0]["error"]["code"]),
            (&json!(2), &json!(-32600))
        );
    }
}
