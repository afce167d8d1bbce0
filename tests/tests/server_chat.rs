//! End-to-end: the generated Chat client against the Chat *server*
//! generated from the same model (restJson1 event streams, a service with
//! `tinsmith.api#endOfStream`), on 127.0.0.1.
//!
//! Server to client: every event binding arrives, a clean end is marked
//! with the end-of-stream marker, and every way the server's side can end
//! a stream early reaches the client as the `Err` of the stated kind,
//! after which the stream ends: a modeled error (its `exception` message),
//! an unmodeled error and a handler's panic (`error` messages), and a
//! stalled handler (the client's read timeout). Client to server: the
//! handler receives the client's events as a `Stream` of results, and a
//! request stream that is cut short, damaged, undecodable or carries an
//! `error` message reaches it as the `Err` of the same kinds a client
//! reports. Converse sends and receives at once. Streams run over HTTP/1.1
//! and HTTP/2 (h2c) alike.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use common::Http;
use futures_util::StreamExt as _;
use http_body_util::BodyExt as _;
use tinsmith_runtime::eventstream::{
    Decoder, EventInput, EventStream, Message, StreamError, StreamErrorKind,
};
use tinsmith_runtime::server::{Request, Status};
use tinsmith_runtime::{DateTime, ProvideErrorStatus, RetryConfig};
use tinsmith_tests::served_chat::error::{
    ConverseResponsesError, RoomEventsError, SubscribeRoomError,
};
use tinsmith_tests::served_chat::server::{self, Chat};
use tinsmith_tests::served_chat::types::*;
use tinsmith_tests::served_chat::{Client, Config};

/// One publish as the handler saw it: the events received, and the fault
/// that ended the stream, if any (as `kind: message`).
type Published = (Vec<PublishEvents>, Option<String>);

/// What the room's handlers saw of the streams clients sent.
#[derive(Clone, Default)]
struct Room {
    published: Arc<Mutex<Vec<Published>>>,
}

fn message(sequence: i64, text: &str) -> MessageEvent {
    MessageEvent::builder()
        .sender("bob")
        .sequence(sequence)
        .sent_at(DateTime::from_secs(1_700_000_000 + sequence))
        .text(text)
        .mentions(vec!["ann".to_owned()])
        .build()
        .unwrap()
}

fn kicked() -> Kicked {
    Kicked::builder().message("too loud").by("mod").build()
}

/// The kind of a stream error, as a word.
fn kind_of<E>(error: &StreamError<E>) -> &'static str {
    match error.kind() {
        StreamErrorKind::Incomplete => "Incomplete",
        StreamErrorKind::Corrupt => "Corrupt",
        StreamErrorKind::Undecodable => "Undecodable",
        StreamErrorKind::Modeled(_) => "Modeled",
        StreamErrorKind::Unmodeled { .. } => "Unmodeled",
        StreamErrorKind::Transport => "Transport",
    }
}

/// Events of a room, by its name: each name is one behaviour of the
/// server's side of the stream.
fn room_events(room: &str, after: i64) -> Result<EventStream<RoomEvents, RoomEventsError>, Status> {
    type Item = Result<RoomEvents, StreamError<RoomEventsError>>;
    let first = RoomEvents::Message(message(after + 1, "hello"));
    let items: Vec<Item> = match room {
        "lobby" => vec![
            Ok(first),
            Ok(RoomEvents::Presence(
                PresenceEvent::builder()
                    .user("ann")
                    .online(true)
                    .build()
                    .unwrap(),
            )),
            Ok(RoomEvents::Attachment(
                AttachmentEvent::builder()
                    .name("cat.png")
                    .media_type("image/png")
                    .data(tinsmith_runtime::Blob::new(b"\x89PNG...".to_vec()))
                    .build()
                    .unwrap(),
            )),
            Ok(RoomEvents::Notice(
                NoticeEvent::builder()
                    .text("The room closes at midnight.")
                    .build()
                    .unwrap(),
            )),
        ],
        "kicked" => vec![Ok(first), Err(RoomEventsError::Kicked(kicked()).into())],
        "overloaded" => vec![Err(RoomEventsError::Overloaded(
            RoomOverloaded::builder().message("slow down").build(),
        )
        .into())],
        "closed" => vec![
            Ok(first),
            Err(StreamError::unmodeled(
                "RoomClosed",
                "closed for maintenance",
            )),
        ],
        "panics" => {
            let events = futures_util::stream::iter(1..=3).map(move |i| {
                assert!(i < 2, "the room's event source failed");
                Ok::<_, StreamError<RoomEventsError>>(RoomEvents::Message(message(i, "hi")))
            });
            return Ok(EventStream::from_results(events));
        }
        "stalls" => {
            let events = futures_util::stream::iter([first]).chain(futures_util::stream::pending());
            return Ok(EventStream::from_stream(events));
        }
        "many" => {
            let events = (1..=10_000).map(|i| RoomEvents::Message(message(i, "again")));
            return Ok(EventStream::from_events(events));
        }
        "empty" => Vec::new(),
        _ => {
            return Err(Status::new("NoSuchRoom", "no such room").with_http_status(404));
        }
    };
    Ok(EventStream::from_results(futures_util::stream::iter(items)))
}

impl Chat for Room {
    async fn subscribe_room(
        &self,
        request: Request<SubscribeRoomInput>,
    ) -> Result<SubscribeRoomOutput, server::SubscribeRoomError> {
        let input = request.into_input();
        let room = input.room.unwrap_or_default();
        if room == "nowhere" {
            return Err(NoSuchRoom::builder()
                .message("nowhere to be found")
                .build()
                .into());
        }
        Ok(SubscribeRoomOutput::builder()
            .topic("testing")
            .events(room_events(&room, input.after.unwrap_or(0))?)
            .build())
    }

    async fn publish_messages(
        &self,
        request: Request<PublishMessagesInput>,
    ) -> Result<PublishMessagesOutput, server::PublishMessagesError> {
        let mut messages = request.into_input().messages;
        let mut events = Vec::new();
        let mut fault = None;
        while let Some(item) = messages.next().await {
            match item {
                Ok(event) => events.push(event),
                Err(error) => {
                    fault = Some(format!("{}: {error}", kind_of(&error)));
                    // After an error, the stream is over.
                    assert!(messages.next().await.is_none());
                }
            }
        }
        let accepted = events
            .iter()
            .filter(|e| matches!(e, PublishEvents::Message(_)))
            .count() as i64;
        self.published.lock().unwrap().push((events, fault.clone()));
        match fault {
            Some(fault) => Err(Status::new("BrokenStream", fault)
                .with_http_status(400)
                .into()),
            None => Ok(PublishMessagesOutput::builder()
                .accepted(accepted)
                .build()
                .unwrap()),
        }
    }

    async fn converse(
        &self,
        request: Request<ConverseInput>,
    ) -> Result<ConverseOutput, server::ConverseError> {
        let requests = request.into_input().requests;
        let mut sequence = 0;
        // Each request event is answered as soon as it arrives.
        let responses = requests.map(move |item| match item {
            Ok(ConverseRequests::Ping(ping)) => Ok(ConverseResponses::Pong(ping)),
            Ok(ConverseRequests::Say(said)) if said.text == "kick me" => {
                Err(StreamError::from(ConverseResponsesError::Kicked(kicked())))
            }
            Ok(ConverseRequests::Say(said)) => {
                sequence += 1;
                Ok(ConverseResponses::Message(message(sequence, &said.text)))
            }
            Ok(other) => Err(StreamError::unmodeled(
                "UnknownRequest",
                format!("cannot answer {other:?}"),
            )),
            Err(error) => Err(StreamError::unmodeled(
                "BrokenRequestStream",
                error.to_string(),
            )),
        });
        Ok(ConverseOutput::builder()
            .responses(EventStream::from_results(responses))
            .build())
    }
}

struct Served {
    addr: std::net::SocketAddr,
    room: Room,
}

async fn serve() -> Served {
    let room = Room::default();
    let app = server::router(room.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Served { addr, room }
}

fn config(served: &Served, version: Http) -> tinsmith_runtime::ConfigBuilder {
    Config::builder()
        .endpoint(format!("http://{}", served.addr))
        .retry(RetryConfig::disabled())
        .transport(version.transport())
}

fn client(served: &Served, version: Http) -> Client {
    Client::new(config(served, version).build())
}

/// Subscribes to `room` and reads the stream to its end: the events, and
/// the error that ended it, if any.
async fn read_room(
    client: &Client,
    room: &str,
) -> (Vec<RoomEvents>, Option<StreamError<RoomEventsError>>) {
    let mut output = client.subscribe_room().room(room).send().await.unwrap();
    assert_eq!(output.topic.as_deref(), Some("testing"));
    let mut events = Vec::new();
    while let Some(item) = output.events.next().await {
        match item {
            Ok(event) => events.push(event),
            Err(error) => {
                assert!(
                    output.events.next().await.is_none(),
                    "nothing after an error"
                );
                assert_eq!(output.events.ended_cleanly(), Some(false));
                return (events, Some(error));
            }
        }
    }
    assert_eq!(output.events.ended_cleanly(), Some(true));
    (events, None)
}

async fn every_event_binding_round_trips_and_the_stream_ends_cleanly(version: Http) {
    let served = serve().await;
    let (events, error) = read_room(&client(&served, version), "lobby").await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(events.len(), 4);
    assert_eq!(events[0], RoomEvents::Message(message(1, "hello")));
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
    // A stream without events ends cleanly too.
    let (events, error) = read_room(&client(&served, version), "empty").await;
    assert!(events.is_empty() && error.is_none(), "{error:?}");
}

async fn ten_thousand_events_arrive_in_order(version: Http) {
    let served = serve().await;
    let (events, error) = read_room(&client(&served, version), "many").await;
    assert!(error.is_none(), "{error:?}");
    let sequences: Vec<i64> = events
        .iter()
        .map(|e| e.as_message().unwrap().sequence)
        .collect();
    assert_eq!(sequences, (1..=10_000).collect::<Vec<_>>());
}

async fn a_modeled_error_arrives_typed_and_ends_the_stream(version: Http) {
    let served = serve().await;
    let client = client(&served, version);
    let (events, error) = read_room(&client, "kicked").await;
    assert_eq!(events, [RoomEvents::Message(message(1, "hello"))]);
    let error = error.expect("the stream ended with an error");
    assert!(!error.is_incomplete());
    assert_eq!(error.message(), Some("too loud"));
    match error.into_kind() {
        StreamErrorKind::Modeled(RoomEventsError::Kicked(k)) => assert_eq!(k, kicked()),
        other => panic!("expected Kicked, got {other:?}"),
    }
    let (events, error) = read_room(&client, "overloaded").await;
    assert!(events.is_empty());
    assert!(matches!(
        error.unwrap().modeled(),
        Some(RoomEventsError::Overloaded(o)) if o.message.as_deref() == Some("slow down")
    ));
}

async fn an_unmodeled_error_arrives_with_its_code_and_message(version: Http) {
    let served = serve().await;
    let (events, error) = read_room(&client(&served, version), "closed").await;
    assert_eq!(events.len(), 1);
    let error = error.unwrap();
    assert_eq!(error.message(), Some("closed for maintenance"));
    assert!(
        matches!(error.kind(), StreamErrorKind::Unmodeled { code } if code == "RoomClosed"),
        "{error:?}"
    );
}

async fn a_handler_that_panics_mid_stream_sends_an_error_message_not_a_cut(version: Http) {
    let served = serve().await;
    let (events, error) = read_room(&client(&served, version), "panics").await;
    assert_eq!(events.len(), 1, "the event before the panic arrives");
    let error = error.unwrap();
    assert!(
        matches!(error.kind(), StreamErrorKind::Unmodeled { code } if code == "InternalFailure"),
        "{error:?}"
    );
    // The panic's own text stays on the server.
    assert!(!error.to_string().contains("event source"), "{error}");
    // The server is still serving.
    let (events, error) = read_room(&client(&served, version), "lobby").await;
    assert!(error.is_none() && events.len() == 4);
}

async fn a_stalled_handler_is_a_timeout_not_a_hang(version: Http) {
    let served = serve().await;
    let client = Client::new(
        config(&served, version)
            .read_timeout(Some(Duration::from_millis(300)))
            .build(),
    );
    let (events, error) =
        tokio::time::timeout(Duration::from_secs(10), read_room(&client, "stalls"))
            .await
            .expect("the read timeout ends the wait");
    assert_eq!(events.len(), 1);
    let error = error.unwrap();
    assert!(
        matches!(error.kind(), StreamErrorKind::Transport),
        "{error:?}"
    );
    assert!(error.is_timeout());
}

async fn errors_before_the_stream_are_typed_responses(version: Http) {
    let served = serve().await;
    let client = client(&served, version);
    // A modeled operation error: the stream never starts.
    let error = client
        .subscribe_room()
        .room("nowhere")
        .send()
        .await
        .unwrap_err();
    let SubscribeRoomError::NoSuchRoom(e) = error.into_service_error().unwrap() else {
        panic!("expected NoSuchRoom");
    };
    assert_eq!(e.message.as_deref(), Some("nowhere to be found"));
    // A room name the model's @pattern refuses never reaches the handler.
    let error = client
        .subscribe_room()
        .room("Not A Room")
        .send()
        .await
        .unwrap_err();
    let status = error
        .as_service_error()
        .map(|e| e.status().clone())
        .unwrap();
    assert_eq!(status.http_status(), Some(400), "{status:?}");
}

async fn published_events_reach_the_handler_as_a_stream(version: Http) {
    let served = serve().await;
    let client = client(&served, version);
    let (sender, input) = EventInput::channel(4);
    let producer = tokio::spawn(async move {
        for i in 0..1000 {
            let event = if i % 10 == 0 {
                PublishEvents::Typing(TypingEvent::builder().user("bob").build().unwrap())
            } else {
                PublishEvents::Message(
                    OutgoingMessage::builder()
                        .text(format!("message {i}"))
                        .build()
                        .unwrap(),
                )
            };
            sender.send(event).await.unwrap();
        }
    });
    let output = client
        .publish_messages()
        .room("lobby")
        .messages(input)
        .send()
        .await
        .unwrap();
    producer.await.unwrap();
    assert_eq!(output.accepted, 900);
    let published = served.room.published.lock().unwrap();
    let (events, fault) = &published[0];
    assert!(fault.is_none(), "{fault:?}");
    assert_eq!(events.len(), 1000);
    assert_eq!(
        events[1],
        PublishEvents::Message(
            OutgoingMessage::builder()
                .text("message 1")
                .build()
                .unwrap()
        )
    );
}

async fn converse_answers_each_request_before_the_next_is_sent(version: Http) {
    let served = serve().await;
    let client = client(&served, version);
    let (sender, input) = EventInput::channel(1);
    let mut output = client
        .converse()
        .room("lobby")
        .requests(input)
        .send()
        .await
        .unwrap();
    for id in 1..=5 {
        sender
            .send(ConverseRequests::Ping(
                PingEvent::builder().id(id).build().unwrap(),
            ))
            .await
            .unwrap();
        let answer = tokio::time::timeout(Duration::from_secs(10), output.responses.next())
            .await
            .expect("answered before the next request")
            .unwrap()
            .unwrap();
        assert_eq!(answer.as_pong().map(|p| p.id), Some(id));
    }
    sender
        .send(ConverseRequests::Say(
            OutgoingMessage::builder().text("hi all").build().unwrap(),
        ))
        .await
        .unwrap();
    let answer = output.responses.next().await.unwrap().unwrap();
    assert_eq!(answer.as_message().map(|m| m.text.as_str()), Some("hi all"));
    // A modeled error from the server ends the conversation.
    sender
        .send(ConverseRequests::Say(
            OutgoingMessage::builder().text("kick me").build().unwrap(),
        ))
        .await
        .unwrap();
    let error = output.responses.next().await.unwrap().unwrap_err();
    assert!(matches!(
        error.modeled(),
        Some(ConverseResponsesError::Kicked(_))
    ));
    assert!(output.responses.next().await.is_none());
    // Ending the requests ends a conversation cleanly.
    let (sender, input) = EventInput::channel(1);
    let mut output = client
        .converse()
        .room("lobby")
        .requests(input)
        .send()
        .await
        .unwrap();
    sender
        .send(ConverseRequests::Ping(
            PingEvent::builder().id(7).build().unwrap(),
        ))
        .await
        .unwrap();
    drop(sender);
    let answers: Vec<_> = output.responses.by_ref().collect().await;
    assert_eq!(answers.len(), 1);
    assert!(answers[0].is_ok());
    assert_eq!(output.responses.ended_cleanly(), Some(true));
}

over_both_versions!(
    every_event_binding_round_trips_and_the_stream_ends_cleanly,
    ten_thousand_events_arrive_in_order,
    a_modeled_error_arrives_typed_and_ends_the_stream,
    an_unmodeled_error_arrives_with_its_code_and_message,
    a_handler_that_panics_mid_stream_sends_an_error_message_not_a_cut,
    a_stalled_handler_is_a_timeout_not_a_hang,
    errors_before_the_stream_are_typed_responses,
    published_events_reach_the_handler_as_a_stream,
    converse_answers_each_request_before_the_next_is_sent,
);

// Raw HTTP: what the server sends, frame by frame, and request streams no
// generated client would send.

/// An event message of the `PublishEvents` stream.
fn publish_event(event_type: &str, payload: &str) -> Message {
    Message::new(Bytes::from(payload.to_owned()))
        .with_str(":message-type", "event")
        .with_str(":event-type", event_type.to_owned())
        .with_str(":content-type", "application/json")
}

fn end_marker() -> Message {
    Message::new(Bytes::new())
        .with_str(":message-type", "event")
        .with_str(":event-type", "end-of-stream")
}

fn frames(messages: &[Message]) -> Vec<u8> {
    messages
        .iter()
        .flat_map(|m| m.encode().unwrap().to_vec())
        .collect()
}

/// Sends `body` as one request over HTTP/1.1; the status and the body.
async fn raw(addr: std::net::SocketAddr, method: &str, path: &str, body: Vec<u8>) -> (u16, Bytes) {
    let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
            .await
            .unwrap();
    tokio::spawn(connection);
    let request = http::Request::builder()
        .method(method)
        .uri(path)
        .header("host", addr.to_string())
        .header("content-type", "application/vnd.amazon.eventstream")
        .body(http_body_util::Full::new(Bytes::from(body)))
        .unwrap();
    let response = sender.send_request(request).await.unwrap();
    let status = response.status().as_u16();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, bytes)
}

/// The messages of an event-stream body.
fn messages_of(body: &[u8]) -> Vec<Message> {
    let mut decoder = Decoder::new();
    decoder.feed(body);
    let mut out = Vec::new();
    while let Some(message) = decoder.next_message().unwrap() {
        out.push(message);
    }
    decoder.finish().unwrap();
    out
}

#[tokio::test]
async fn the_server_marks_a_clean_end_and_sends_nothing_after_a_fault() {
    let served = serve().await;
    let (status, body) = raw(served.addr, "GET", "/rooms/lobby/events", Vec::new()).await;
    assert_eq!(status, 200);
    let messages = messages_of(&body);
    let types: Vec<_> = messages
        .iter()
        .map(|m| m.str_header(":event-type").unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        types,
        [
            "message",
            "presence",
            "attachment",
            "notice",
            "end-of-stream"
        ]
    );
    // A modeled error: its `exception` message, last, with no marker.
    let (_, body) = raw(served.addr, "GET", "/rooms/kicked/events", Vec::new()).await;
    let messages = messages_of(&body);
    assert_eq!(messages.len(), 2);
    let last = &messages[1];
    assert_eq!(last.str_header(":message-type"), Some("exception"));
    assert_eq!(last.str_header(":exception-type"), Some("kicked"));
    assert_eq!(last.str_header(":content-type"), Some("application/json"));
    let payload: serde_json::Value = serde_json::from_slice(last.payload()).unwrap();
    assert_eq!(
        payload,
        serde_json::json!({"message": "too loud", "by": "mod"})
    );
    // An unmodeled one: an `error` message, last.
    let (_, body) = raw(served.addr, "GET", "/rooms/closed/events", Vec::new()).await;
    let messages = messages_of(&body);
    assert_eq!(messages.len(), 2);
    let last = &messages[1];
    assert_eq!(last.str_header(":message-type"), Some("error"));
    assert_eq!(last.str_header(":error-code"), Some("RoomClosed"));
    assert_eq!(
        last.str_header(":error-message"),
        Some("closed for maintenance")
    );
    // A panic: the event before it, then an `error` message, last.
    let (_, body) = raw(served.addr, "GET", "/rooms/panics/events", Vec::new()).await;
    let messages = messages_of(&body);
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[0].str_header(":event-type"), Some("message"));
    assert_eq!(messages[1].str_header(":message-type"), Some("error"));
    assert_eq!(
        messages[1].str_header(":error-code"),
        Some("InternalFailure")
    );
    // No events: the marker alone.
    let (_, body) = raw(served.addr, "GET", "/rooms/empty/events", Vec::new()).await;
    let messages = messages_of(&body);
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].str_header(":event-type"), Some("end-of-stream"));
}

/// Posts `messages` to the publish operation; the fault the handler saw.
async fn publish_raw(served: &Served, body: Vec<u8>) -> (u16, Option<String>) {
    let before = served.room.published.lock().unwrap().len();
    let (status, _) = raw(served.addr, "POST", "/rooms/lobby/messages", body).await;
    let published = served.room.published.lock().unwrap();
    assert_eq!(published.len(), before + 1, "the handler ran");
    (status, published[before].1.clone())
}

#[tokio::test]
async fn request_stream_faults_reach_the_handler_typed() {
    let served = serve().await;
    let good = publish_event("message", r#"{"text":"hi"}"#);
    // Whole and marked: no fault.
    let (status, fault) = publish_raw(&served, frames(&[good.clone(), end_marker()])).await;
    assert_eq!((status, fault), (200, None));

    // Without the marker the service expects: cut short.
    let (status, fault) = publish_raw(&served, frames(std::slice::from_ref(&good))).await;
    assert_eq!(status, 400);
    assert!(fault.unwrap().starts_with("Incomplete"));

    // Ending inside a frame: cut short.
    let mut body = frames(std::slice::from_ref(&good));
    body.extend_from_slice(&frames(std::slice::from_ref(&good))[..20]);
    let (_, fault) = publish_raw(&served, body).await;
    assert!(fault.unwrap().starts_with("Incomplete"));

    // A damaged CRC: corrupt.
    let mut body = frames(&[good.clone(), end_marker()]);
    let last = body.len() - 1;
    body[last / 2] ^= 0xff;
    let (_, fault) = publish_raw(&served, body).await;
    assert!(fault.unwrap().starts_with("Corrupt"));

    // A message over the server's limit: corrupt, refused from its prelude.
    let text = "x".repeat(tinsmith_runtime::eventstream::SERVER_MAX_MESSAGE_LEN);
    let big = publish_event("message", &format!(r#"{{"text":"{text}"}}"#));
    let (_, fault) = publish_raw(&served, frames(&[big, end_marker()])).await;
    let fault = fault.unwrap();
    assert!(fault.starts_with("Corrupt"), "{fault}");

    // An event type the stream does not have: undecodable, named.
    let (_, fault) = publish_raw(
        &served,
        frames(&[good.clone(), publish_event("shout", "{}"), end_marker()]),
    )
    .await;
    let fault = fault.unwrap();
    assert!(fault.starts_with("Undecodable"), "{fault}");
    assert!(fault.contains("shout"), "{fault}");

    // A payload that does not decode into its event: undecodable.
    let (_, fault) = publish_raw(
        &served,
        frames(&[publish_event("message", "not json"), end_marker()]),
    )
    .await;
    assert!(fault.unwrap().starts_with("Undecodable"));

    // An `error` message from the client: unmodeled, with its code.
    let error = Message::new(Bytes::new())
        .with_str(":message-type", "error")
        .with_str(":error-code", "ClientGaveUp")
        .with_str(":error-message", "bye");
    let (_, fault) = publish_raw(&served, frames(&[good.clone(), error])).await;
    let fault = fault.unwrap();
    assert!(
        fault.starts_with("Unmodeled") && fault.contains("ClientGaveUp"),
        "{fault}"
    );

    // Events before the fault were received, in order.
    let published = served.room.published.lock().unwrap();
    assert_eq!(published.last().unwrap().0.len(), 1);
}

#[tokio::test]
async fn a_request_without_the_event_stream_content_type_is_refused() {
    let served = serve().await;
    let stream = tokio::net::TcpStream::connect(served.addr).await.unwrap();
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
            .await
            .unwrap();
    tokio::spawn(connection);
    let request = http::Request::post("/rooms/lobby/messages")
        .header("host", served.addr.to_string())
        .header("content-type", "application/json")
        .body(http_body_util::Full::new(Bytes::from_static(b"{}")))
        .unwrap();
    let response = sender.send_request(request).await.unwrap();
    assert_eq!(response.status().as_u16(), 415);
    assert!(served.room.published.lock().unwrap().is_empty());
}

/// Converse answers each request event as it arrives; a request stream
/// cut short reaches the handler as an error, which it answers with an
/// `error` message after the answers so far.
#[tokio::test]
async fn a_broken_request_stream_is_answered_with_an_error_message() {
    let served = serve().await;
    // The request ends without the marker the service expects.
    let ping = Message::new(Bytes::new())
        .with_str(":message-type", "event")
        .with_str(":event-type", "ping")
        .with_header("id", tinsmith_runtime::eventstream::HeaderValue::Int(3));
    let (status, body) = raw(
        served.addr,
        "POST",
        "/rooms/lobby/converse",
        frames(&[ping]),
    )
    .await;
    assert_eq!(status, 200);
    let messages = messages_of(&body);
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert_eq!(messages[0].str_header(":event-type"), Some("pong"));
    assert_eq!(messages[1].str_header(":message-type"), Some("error"));
    assert_eq!(
        messages[1].str_header(":error-code"),
        Some("BrokenRequestStream")
    );
}

/// `EventStream`s built from events serve as stand-ins in client tests too.
#[tokio::test]
async fn a_local_event_stream_reads_like_a_received_one() {
    let mut stream: EventStream<RoomEvents, RoomEventsError> =
        EventStream::from_results(futures_util::stream::iter([
            Ok::<_, RoomEventsError>(RoomEvents::Message(message(1, "a"))),
            Err(RoomEventsError::Kicked(kicked())),
            Ok(RoomEvents::Message(message(2, "never"))),
        ]));
    assert!(stream.next().await.unwrap().is_ok());
    assert!(
        stream
            .next()
            .await
            .unwrap()
            .unwrap_err()
            .modeled()
            .is_some()
    );
    assert!(stream.next().await.is_none());
    assert_eq!(stream.ended_cleanly(), Some(false));
}
