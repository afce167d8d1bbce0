//! A server for the Chat example model on 127.0.0.1, built on hyper so it
//! speaks HTTP/1.1 and HTTP/2 (h2c, prior knowledge) and can damage its
//! event streams on purpose. Frames are made with the runtime's encoder,
//! which `runtime/tests/eventstream_interop.rs` checks against botocore.
//!
//! `GET /rooms/<room>/events` picks its behaviour by room name:
//! - `many-<n>`: `n` messages (sequence 1..=n), made on the fly, then the
//!   end-of-stream marker;
//! - `mixed`: one event of each kind, an event type the model does not
//!   know, then the marker;
//! - `cut`: two messages, then half a frame, then the connection drops;
//! - `crc`: a message, a message with a flipped CRC byte, a message;
//! - `bad`: a message, a message whose payload is not its shape, a message;
//! - `kicked`: a message, then the modeled `kicked` exception;
//! - `error`: a message, then an `error` message (code and message);
//! - `nomarker`: two messages, then a clean end without the marker;
//! - `stall`: a message, then nothing, forever;
//! - `missing`: a 404 `NoSuchRoom` error.
//!
//! `POST /rooms/<room>/messages` decodes the published stream and answers
//! `{"accepted": n}` after its end marker (400 without one).
//! `POST /rooms/<room>/converse` answers each `ping` with a `pong` and each
//! `say` with a message as soon as it arrives, while the request streams.

#![allow(dead_code)]

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use futures_util::StreamExt as _;
use http_body_util::{BodyExt, Full, StreamBody, combinators::UnsyncBoxBody};
use hyper::body::{Frame, Incoming};
use hyper::{Request, Response, StatusCode};
use tinsmith_runtime::DateTime;
use tinsmith_runtime::eventstream::{Decoder, HeaderValue, Message};

type Body = UnsyncBoxBody<Bytes, std::io::Error>;

/// What the server saw of one published stream.
#[derive(Debug, Clone, Default)]
pub struct Published {
    /// The `:event-type` of each message, in order (the marker included).
    pub event_types: Vec<String>,
    /// The request's content type.
    pub content_type: String,
    /// The texts of the `message` events.
    pub texts: Vec<String>,
}

/// A running server.
#[derive(Clone)]
pub struct ChatServer {
    /// `http://127.0.0.1:PORT`.
    pub endpoint: String,
    published: Arc<Mutex<Vec<Published>>>,
    versions: Arc<Mutex<Vec<hyper::Version>>>,
}

impl ChatServer {
    /// Starts a server on an ephemeral port.
    pub async fn start() -> ChatServer {
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .unwrap();
        let endpoint = format!("http://{}", listener.local_addr().unwrap());
        let server = ChatServer {
            endpoint,
            published: Arc::default(),
            versions: Arc::default(),
        };
        let accept = server.clone();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let server = accept.clone();
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |request| {
                        let server = server.clone();
                        async move { Ok::<_, Infallible>(server.handle(request).await) }
                    });
                    let _ = hyper_util::server::conn::auto::Builder::new(
                        hyper_util::rt::TokioExecutor::new(),
                    )
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                    .await;
                });
            }
        });
        server
    }

    /// The published streams seen so far.
    pub fn published(&self) -> Vec<Published> {
        self.published.lock().unwrap().clone()
    }

    /// The HTTP versions of the requests seen so far.
    pub fn versions(&self) -> Vec<hyper::Version> {
        self.versions.lock().unwrap().clone()
    }

    async fn handle(&self, request: Request<Incoming>) -> Response<Body> {
        self.versions.lock().unwrap().push(request.version());
        let path = request.uri().path().to_owned();
        let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        match (request.method().clone(), parts.as_slice()) {
            (hyper::Method::GET, ["rooms", room, "events"]) => subscribe(room),
            (hyper::Method::POST, ["rooms", _, "messages"]) => self.publish(request).await,
            (hyper::Method::POST, ["rooms", _, "converse"]) => converse(request),
            _ => not_found("no such route"),
        }
    }

    async fn publish(&self, request: Request<Incoming>) -> Response<Body> {
        let content_type = request
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let mut body = request.into_body();
        let mut decoder = Decoder::new();
        let mut seen = Published {
            content_type,
            ..Published::default()
        };
        while let Some(frame) = body.frame().await {
            let Ok(frame) = frame else {
                return plain(StatusCode::BAD_REQUEST, "request body failed");
            };
            if let Ok(data) = frame.into_data() {
                decoder.feed_bytes(data);
            }
            while let Ok(Some(message)) = decoder.next_message() {
                let event_type = message.str_header(":event-type").unwrap_or("").to_owned();
                if event_type == "message" {
                    let value: serde_json::Value =
                        serde_json::from_slice(message.payload()).unwrap_or_default();
                    seen.texts
                        .push(value["text"].as_str().unwrap_or_default().to_owned());
                }
                seen.event_types.push(event_type);
            }
        }
        let ended = seen.event_types.last().map(String::as_str) == Some("end-of-stream");
        let accepted = seen.texts.len();
        self.published.lock().unwrap().push(seen);
        if !ended {
            return plain(
                StatusCode::BAD_REQUEST,
                "the stream ended without its marker",
            );
        }
        let body = format!(r#"{{"accepted":{accepted}}}"#);
        Response::builder()
            .header("content-type", "application/json")
            .body(full(body))
            .unwrap()
    }
}

fn full(body: impl Into<Bytes>) -> Body {
    Full::new(body.into())
        .map_err(|e| match e {})
        .boxed_unsync()
}

fn plain(status: StatusCode, text: &'static str) -> Response<Body> {
    Response::builder()
        .status(status)
        .header("content-type", "text/plain")
        .body(full(text))
        .unwrap()
}

fn not_found(message: &str) -> Response<Body> {
    Response::builder()
        .status(StatusCode::NOT_FOUND)
        .header("content-type", "application/json")
        .header("x-amzn-errortype", "NoSuchRoom")
        .body(full(format!(r#"{{"message":"{message}"}}"#)))
        .unwrap()
}

/// A `message` event.
pub fn message(sequence: i64, text: &str) -> Message {
    let payload = serde_json::json!({ "text": text, "mentions": ["ann"] }).to_string();
    Message::new(payload)
        .with_str(":message-type", "event")
        .with_str(":event-type", "message")
        .with_str(":content-type", "application/json")
        .with_str("sender", "bob")
        .with_header("sequence", HeaderValue::Long(sequence))
        .with_header(
            "sentAt",
            HeaderValue::Timestamp(DateTime::from_secs_and_nanos(1_700_000_000 + sequence, 0)),
        )
}

/// The end-of-stream marker.
pub fn end_marker() -> Message {
    Message::new(Bytes::new())
        .with_str(":message-type", "event")
        .with_str(":event-type", "end-of-stream")
}

fn encode(message: &Message) -> Bytes {
    message.encode().unwrap()
}

type Chunk = Result<Bytes, std::io::Error>;

fn streaming(frames: impl futures_util::Stream<Item = Chunk> + Send + 'static) -> Response<Body> {
    Response::builder()
        .header("content-type", "application/vnd.amazon.eventstream")
        .header("x-room-topic", "testing")
        .body(BodyExt::boxed_unsync(StreamBody::new(
            frames.map(|chunk| chunk.map(Frame::data)),
        )))
        .unwrap()
}

fn frames(messages: Vec<Bytes>) -> Response<Body> {
    streaming(futures_util::stream::iter(messages.into_iter().map(Ok)))
}

fn subscribe(room: &str) -> Response<Body> {
    if let Some(n) = room.strip_prefix("many-") {
        let n: i64 = n.parse().unwrap_or(0);
        // 64 messages to a chunk, as a busy server would write them.
        let events = futures_util::stream::iter(1..=n)
            .map(|i| encode(&message(i, &format!("message {i}"))))
            .chain(futures_util::stream::once(async { encode(&end_marker()) }))
            .ready_chunks(64)
            .map(|frames| Ok(Bytes::from(frames.concat())));
        return streaming(events);
    }
    match room {
        "mixed" => frames(vec![
            encode(&message(1, "hello")),
            encode(
                &Message::new(Bytes::new())
                    .with_str(":message-type", "event")
                    .with_str(":event-type", "presence")
                    .with_str("user", "ann")
                    .with_header("online", HeaderValue::Bool(true)),
            ),
            encode(
                &Message::new(Bytes::from_static(b"\x89PNG..."))
                    .with_str(":message-type", "event")
                    .with_str(":event-type", "attachment")
                    .with_str(":content-type", "application/octet-stream")
                    .with_str("name", "cat.png")
                    .with_str("mediaType", "image/png"),
            ),
            encode(
                &Message::new(Bytes::from_static(b"The room closes at midnight."))
                    .with_str(":message-type", "event")
                    .with_str(":event-type", "notice")
                    .with_str(":content-type", "text/plain"),
            ),
            encode(
                &Message::new(Bytes::from_static(b"{}"))
                    .with_str(":message-type", "event")
                    .with_str(":event-type", "confetti"),
            ),
            encode(&message(2, "bye")),
            encode(&end_marker()),
        ]),
        "cut" => {
            let third = encode(&message(3, "never arrives"));
            let half = third.slice(..third.len() / 2);
            let items: Vec<Chunk> = vec![
                Ok(encode(&message(1, "one"))),
                Ok(encode(&message(2, "two"))),
                Ok(half),
            ];
            // The drop comes once what was sent has been flushed.
            let drop = futures_util::stream::once(async {
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                Err(std::io::Error::other("the server drops the connection"))
            });
            streaming(futures_util::stream::iter(items).chain(drop))
        }
        "crc" => {
            let mut damaged = encode(&message(2, "damaged")).to_vec();
            let last = damaged.len() - 1;
            damaged[last] ^= 0xff;
            frames(vec![
                encode(&message(1, "one")),
                Bytes::from(damaged),
                encode(&message(3, "three")),
                encode(&end_marker()),
            ])
        }
        "bad" => frames(vec![
            encode(&message(1, "one")),
            encode(
                &Message::new(r#"{"text": 5}"#)
                    .with_str(":message-type", "event")
                    .with_str(":event-type", "message")
                    .with_str("sender", "bob")
                    .with_header("sequence", HeaderValue::Long(2)),
            ),
            encode(&message(3, "three")),
            encode(&end_marker()),
        ]),
        "kicked" => frames(vec![
            encode(&message(1, "one")),
            encode(
                &Message::new(r#"{"message":"flooding","by":"moderator"}"#)
                    .with_str(":message-type", "exception")
                    .with_str(":exception-type", "kicked")
                    .with_str(":content-type", "application/json"),
            ),
            encode(&message(2, "never read")),
        ]),
        "error" => frames(vec![
            encode(&message(1, "one")),
            encode(
                &Message::new(Bytes::new())
                    .with_str(":message-type", "error")
                    .with_str(":error-code", "InternalFailure")
                    .with_str(":error-message", "the room server crashed"),
            ),
        ]),
        "nomarker" => frames(vec![encode(&message(1, "one")), encode(&message(2, "two"))]),
        "stall" => {
            let first = futures_util::stream::once(async { Ok(encode(&message(1, "one"))) });
            streaming(first.chain(futures_util::stream::pending()))
        }
        _ => not_found("no room has that name"),
    }
}

/// Answers each request event as it arrives, while the request streams.
fn converse(request: Request<Incoming>) -> Response<Body> {
    let body = request.into_body();
    let answers = futures_util::stream::unfold(
        (body, Decoder::new(), Vec::<Message>::new(), false, 0_i64),
        |(mut body, mut decoder, mut queue, mut done, mut sequence)| async move {
            loop {
                if let Some(message) = queue.pop() {
                    return Some((Ok(encode(&message)), (body, decoder, queue, done, sequence)));
                }
                if done {
                    return None;
                }
                while let Ok(Some(message)) = decoder.next_message() {
                    match message.str_header(":event-type") {
                        Some("ping") => queue.insert(
                            0,
                            Message::new(Bytes::new())
                                .with_str(":message-type", "event")
                                .with_str(":event-type", "pong")
                                .with_header(
                                    "id",
                                    message.header("id").cloned().unwrap_or(HeaderValue::Int(0)),
                                ),
                        ),
                        Some("say") => {
                            sequence += 1;
                            let value: serde_json::Value =
                                serde_json::from_slice(message.payload()).unwrap_or_default();
                            queue.insert(
                                0,
                                self::message(sequence, value["text"].as_str().unwrap_or("")),
                            );
                        }
                        Some("end-of-stream") => {
                            queue.insert(0, end_marker());
                            done = true;
                        }
                        _ => {}
                    }
                }
                if !queue.is_empty() {
                    continue;
                }
                match body.frame().await {
                    Some(Ok(frame)) => {
                        if let Ok(data) = frame.into_data() {
                            decoder.feed_bytes(data);
                        }
                    }
                    _ => done = true,
                }
            }
        },
    );
    streaming(answers)
}
