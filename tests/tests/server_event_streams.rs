//! Event streams served over the RPC protocols: Smithy's restJson1
//! event-stream operations, re-served over awsJson1_0, awsJson1_1,
//! rpcv2Cbor and rpcv2Json (`tests/models/event-streams-rpc.smithy`), with
//! the generated client against the generated server on 127.0.0.1.
//!
//! The input's other members travel in the `initial-request` event and
//! reach the handler with the stream; the output's go back in the
//! `initial-response` event, which the client reads before returning the
//! output. Every event binding round-trips both ways, and the server's
//! side ends a stream early the ways a client must tell apart: a modeled
//! error, an unmodeled one, and a handler that panics mid-stream.

#![cfg(smithy_protocol_tests)]

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
            enum Ending {
                Cleanly,
                Modeled,
                Unmodeled,
                Panic,
            }

            #[derive(Clone)]
            struct Server {
                ending: Ending,
                /// The events `InputStream` received, and its stream's fault.
                received: Arc<Mutex<Option<(Vec<EventStream>, Option<String>)>>>,
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

            async fn start(ending: Ending) -> (sdk::Client, Server) {
                let server = Server {
                    ending,
                    received: Arc::default(),
                };
                let app = server::router(server.clone());
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                let addr = listener.local_addr().unwrap();
                tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
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
