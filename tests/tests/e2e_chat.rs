//! End-to-end: the generated Chat client (restJson1 event streams, a
//! service with `tinsmith.api#endOfStream`) against a real hyper server on
//! 127.0.0.1 (`common/chat_server.rs`).
//!
//! Every fault a response stream can meet is injected and must arrive as
//! an `Err(StreamError)` of the stated kind, after which the stream ends:
//! a disconnect inside a frame, a damaged CRC, a message that does not
//! decode into its event, a modeled exception, an unmodeled `error`
//! message, a missing end-of-stream marker and a stalled server. Also:
//! 100,000 events in order, every event binding (headers, JSON, blob and
//! text payloads), unknown event types, input streams from any `Stream`
//! and from a bounded channel, and a conversation over HTTP/2 in which
//! each request event is answered before the next one is sent. Every test
//! but the last runs over HTTP/1.1 and over HTTP/2 (h2c), with the same
//! outcome.

mod common;

use std::time::Duration;

use chat::Client;
use chat::error::RoomEventsError;
use chat::types::{
    ConverseRequests, ConverseResponses, OutgoingMessage, PingEvent, PublishEvents, RoomEvents,
    TypingEvent,
};
use common::Http;
use common::chat_server::ChatServer;
use futures_util::StreamExt as _;
use tinsmith_runtime::eventstream::{EventInput, StreamError, StreamErrorKind};
use tinsmith_runtime::{Config, RetryConfig, SdkError};

fn config(server: &ChatServer, version: Http) -> tinsmith_runtime::ConfigBuilder {
    Config::builder()
        .endpoint(&server.endpoint)
        .retry(RetryConfig::disabled())
        .transport(version.transport())
}

fn client(server: &ChatServer, version: Http) -> Client {
    Client::new(config(server, version).build())
}

/// Subscribes to `room` and reads the stream to its end: the events, and
/// the error that ended it, if any.
async fn read_room(
    client: &Client,
    room: &str,
) -> (
    Vec<RoomEvents>,
    Option<tinsmith_runtime::eventstream::StreamError<RoomEventsError>>,
) {
    let mut output = client.subscribe_room().room(room).send().await.unwrap();
    let mut events = Vec::new();
    while let Some(item) = output.events.next().await {
        match item {
            Ok(event) => events.push(event),
            Err(error) => {
                // After an error the stream is over.
                assert!(output.events.next().await.is_none());
                assert_eq!(output.events.ended_cleanly(), Some(false));
                return (events, Some(error));
            }
        }
    }
    assert_eq!(output.events.ended_cleanly(), Some(true));
    (events, None)
}

fn sequence(event: &RoomEvents) -> i64 {
    event.as_message().expect("a message event").sequence
}

async fn hundred_thousand_events_arrive_in_order_and_the_stream_ends_cleanly(version: Http) {
    let server = ChatServer::start().await;
    let client = client(&server, version);
    let mut output = client
        .subscribe_room()
        .room("many-100000")
        .send()
        .await
        .unwrap();
    assert_eq!(output.topic.as_deref(), Some("testing"));
    let mut expected = 1;
    while let Some(event) = output.events.next().await {
        let event = event.unwrap();
        let message = event.as_message().unwrap();
        assert_eq!(message.sequence, expected);
        assert_eq!(message.sender, "bob");
        expected += 1;
    }
    assert_eq!(expected, 100_001);
    assert_eq!(output.events.ended_cleanly(), Some(true));
    assert_eq!(server.versions(), [version.version()]);
}

async fn every_event_binding_decodes_and_unknown_events_are_not_errors(version: Http) {
    let server = ChatServer::start().await;
    let (events, error) = read_room(&client(&server, version), "mixed").await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(events.len(), 6);
    let first = events[0].as_message().unwrap();
    assert_eq!(first.text, "hello");
    assert_eq!(first.mentions.as_deref(), Some(&["ann".to_owned()][..]));
    assert_eq!(first.sent_at.map(|t| t.secs()), Some(1_700_000_001));
    let presence = events[1].as_presence().unwrap();
    assert_eq!((presence.user.as_str(), presence.online), ("ann", true));
    let attachment = events[2].as_attachment().unwrap();
    assert_eq!(attachment.name, "cat.png");
    assert_eq!(attachment.media_type.as_deref(), Some("image/png"));
    assert_eq!(
        attachment.data.as_ref().map(|b| b.as_bytes()),
        Some(&b"\x89PNG..."[..])
    );
    assert_eq!(
        events[3].as_notice().unwrap().text,
        "The room closes at midnight."
    );
    // An event type newer than the model: forward compatible, not an error.
    assert!(events[4].is_unknown());
    assert_eq!(sequence(&events[5]), 2);
}

async fn a_disconnect_inside_a_frame_is_incomplete(version: Http) {
    let server = ChatServer::start().await;
    let (events, error) = read_room(&client(&server, version), "cut").await;
    assert_eq!(events.iter().map(sequence).collect::<Vec<_>>(), [1, 2]);
    let error = error.expect("an error, not a quiet end");
    assert!(
        matches!(error.kind(), StreamErrorKind::Incomplete),
        "{error}"
    );
    assert_eq!(
        error.flags() & tinsmith_runtime::eventstream::FLAG_INCOMPLETE,
        1
    );
}

async fn a_damaged_crc_is_corrupt_and_nothing_after_it_is_read(version: Http) {
    let server = ChatServer::start().await;
    let (events, error) = read_room(&client(&server, version), "crc").await;
    assert_eq!(events.iter().map(sequence).collect::<Vec<_>>(), [1]);
    let error = error.unwrap();
    assert!(matches!(error.kind(), StreamErrorKind::Corrupt), "{error}");
    assert!(error.is_incomplete());
}

async fn an_event_that_does_not_match_its_shape_is_undecodable_not_skipped(version: Http) {
    let server = ChatServer::start().await;
    let (events, error) = read_room(&client(&server, version), "bad").await;
    // The third message is intact, but the stream does not go on past the
    // one it could not decode.
    assert_eq!(events.iter().map(sequence).collect::<Vec<_>>(), [1]);
    let error = error.unwrap();
    assert!(
        matches!(error.kind(), StreamErrorKind::Undecodable),
        "{error}"
    );
    assert!(error.to_string().contains("message"), "{error}");
}

async fn a_modeled_exception_arrives_typed(version: Http) {
    let server = ChatServer::start().await;
    let (events, error) = read_room(&client(&server, version), "kicked").await;
    assert_eq!(events.len(), 1);
    let error = error.unwrap();
    assert!(!error.is_incomplete(), "the service ended it on purpose");
    // An exhaustive match over the stream's modeled errors.
    match error.into_kind() {
        StreamErrorKind::Modeled(RoomEventsError::Kicked(kicked)) => {
            assert_eq!(kicked.message.as_deref(), Some("flooding"));
            assert_eq!(kicked.by.as_deref(), Some("moderator"));
        }
        StreamErrorKind::Modeled(RoomEventsError::Overloaded(_)) => panic!("wrong error"),
        other => panic!("expected a modeled error, got {other:?}"),
    }
}

async fn an_error_message_is_unmodeled_with_its_code_and_message(version: Http) {
    let server = ChatServer::start().await;
    let (_, error) = read_room(&client(&server, version), "error").await;
    let error = error.unwrap();
    assert_eq!(error.message(), Some("the room server crashed"));
    match error.kind() {
        StreamErrorKind::Unmodeled { code } => assert_eq!(code, "InternalFailure"),
        other => panic!("expected an unmodeled error, got {other:?}"),
    }
}

async fn a_missing_end_of_stream_marker_is_incomplete_for_a_service_that_promises_one(
    version: Http,
) {
    let server = ChatServer::start().await;
    let (events, error) = read_room(&client(&server, version), "nomarker").await;
    assert_eq!(events.len(), 2);
    let error = error.expect("the body ended cleanly, but without the promised marker");
    assert!(
        matches!(error.kind(), StreamErrorKind::Incomplete),
        "{error}"
    );
}

async fn a_stalled_server_is_a_timeout_not_a_hang(version: Http) {
    let server = ChatServer::start().await;
    let client = Client::new(
        config(&server, version)
            .read_timeout(Some(Duration::from_millis(300)))
            .build(),
    );
    let (events, error) =
        tokio::time::timeout(Duration::from_secs(10), read_room(&client, "stall"))
            .await
            .expect("the stream must not hang");
    assert_eq!(events.len(), 1);
    let error = error.unwrap();
    assert!(
        matches!(error.kind(), StreamErrorKind::Transport),
        "{error}"
    );
    assert!(error.is_timeout());
}

async fn an_error_before_the_stream_is_the_operations_modeled_error(version: Http) {
    let server = ChatServer::start().await;
    let error = client(&server, version)
        .subscribe_room()
        .room("missing")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, SdkError::Service(_)), "{error:?}");
    assert!(error.as_service_error().unwrap().is_no_such_room());
}

async fn send_with_lends_the_stream_and_releases_it(version: Http) {
    let server = ChatServer::start().await;
    let first_two = client(&server, version)
        .subscribe_room()
        .room("many-1000")
        .send_with(async |output| {
            let mut seen = Vec::new();
            while let Some(event) = output.events.next().await {
                seen.push(sequence(&event?));
                if seen.len() == 2 {
                    break;
                }
            }
            Ok::<_, StreamError<RoomEventsError>>(seen)
        })
        .await
        .unwrap();
    assert_eq!(first_two, [1, 2]);
}

async fn an_input_stream_from_any_stream_ends_with_the_marker(version: Http) {
    let server = ChatServer::start().await;
    let messages = futures_util::stream::iter(0..1000).map(|i| {
        if i % 100 == 0 {
            PublishEvents::Typing(TypingEvent::builder().user("ann").build().unwrap())
        } else {
            PublishEvents::Message(
                OutgoingMessage::builder()
                    .text(format!("text {i}"))
                    .build()
                    .unwrap(),
            )
        }
    });
    let output = client(&server, version)
        .publish_messages()
        .room("lobby")
        .messages(messages)
        .send()
        .await
        .unwrap();
    assert_eq!(output.accepted, 990);
    let published = server.published();
    let seen = &published[0];
    assert_eq!(seen.content_type, "application/vnd.amazon.eventstream");
    assert_eq!(seen.event_types.len(), 1001);
    assert_eq!(seen.event_types[0], "typing");
    assert_eq!(seen.event_types[1], "message");
    assert_eq!(seen.event_types.last().unwrap(), "end-of-stream");
    assert_eq!(seen.texts[0], "text 1");
    assert_eq!(seen.texts.last().unwrap(), "text 999");
}

async fn a_bounded_channel_feeds_an_input_stream_with_backpressure(version: Http) {
    let server = ChatServer::start().await;
    let (sender, input) = EventInput::channel(4);
    let producer = tokio::spawn(async move {
        for i in 0..200 {
            let event = PublishEvents::Message(
                OutgoingMessage::builder()
                    .text(format!("pushed {i}"))
                    .build()
                    .unwrap(),
            );
            sender.send(event).await.unwrap();
        }
        // Dropping the sender ends the stream.
    });
    let output = client(&server, version)
        .publish_messages()
        .room("lobby")
        .messages(input)
        .send()
        .await
        .unwrap();
    producer.await.unwrap();
    assert_eq!(output.accepted, 200);
    assert_eq!(server.published()[0].texts[199], "pushed 199");
}

over_both_versions!(
    hundred_thousand_events_arrive_in_order_and_the_stream_ends_cleanly,
    every_event_binding_decodes_and_unknown_events_are_not_errors,
    a_disconnect_inside_a_frame_is_incomplete,
    a_damaged_crc_is_corrupt_and_nothing_after_it_is_read,
    an_event_that_does_not_match_its_shape_is_undecodable_not_skipped,
    a_modeled_exception_arrives_typed,
    an_error_message_is_unmodeled_with_its_code_and_message,
    a_missing_end_of_stream_marker_is_incomplete_for_a_service_that_promises_one,
    a_stalled_server_is_a_timeout_not_a_hang,
    an_error_before_the_stream_is_the_operations_modeled_error,
    send_with_lends_the_stream_and_releases_it,
    an_input_stream_from_any_stream_ends_with_the_marker,
    a_bounded_channel_feeds_an_input_stream_with_backpressure,
);

#[tokio::test]
async fn a_conversation_over_http2_answers_each_event_before_the_next_is_sent() {
    let server = ChatServer::start().await;
    let client = Client::new(config(&server, Http::Two).build());
    let (sender, input) = EventInput::channel(1);
    let mut output = client
        .converse()
        .room("lobby")
        .requests(input)
        .send()
        .await
        .unwrap();
    // Each answer arrives while the request is still open: the next ping
    // is only sent once the previous pong has been read.
    for id in 1..=50 {
        let ping = PingEvent::builder().id(id).build().unwrap();
        sender.send(ConverseRequests::Ping(ping)).await.unwrap();
        let answer = tokio::time::timeout(Duration::from_secs(10), output.responses.next())
            .await
            .expect("the pong arrives while the request streams")
            .unwrap()
            .unwrap();
        match answer {
            ConverseResponses::Pong(pong) => assert_eq!(pong.id, id),
            other => panic!("expected a pong, got {other:?}"),
        }
    }
    let say = OutgoingMessage::builder().text("bye").build().unwrap();
    sender.send(ConverseRequests::Say(say)).await.unwrap();
    let echo = output.responses.next().await.unwrap().unwrap();
    assert_eq!(echo.as_message().unwrap().text, "bye");
    drop(sender);
    // The request's end marker makes the server end its stream cleanly.
    assert!(output.responses.next().await.is_none());
    assert_eq!(output.responses.ended_cleanly(), Some(true));
    assert!(
        server
            .versions()
            .iter()
            .all(|v| *v == hyper::Version::HTTP_2)
    );
}
