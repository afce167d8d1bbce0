//! Event streams: the frame codec (round trips, arbitrary chunking, every
//! damage), and the response stream's fault semantics against a real HTTP
//! server on 127.0.0.1 that sends canned bytes, cuts the connection or
//! stalls. Every fault must surface as the stated `StreamError` kind,
//! followed by the end of the stream, over HTTP/1.1 and HTTP/2 alike.

use std::convert::Infallible;
use std::time::Duration;

use bytes::Bytes;
use futures_util::StreamExt as _;
use http_body_util::StreamBody;
use hyper::body::Frame;
use tinsmith_runtime::eventstream::{
    EventCodec, EventInput, EventStream, FrameErrorKind, HeaderValue, Message, StreamEnd,
    StreamErrorKind, frame::Decoder,
};
use tinsmith_runtime::transport::{HyperTransport, Transport};
use tinsmith_runtime::{ByteStream, DateTime};

fn event(event_type: &str, payload: &str) -> Bytes {
    Message::new(payload.to_owned())
        .with_str(":message-type", "event")
        .with_str(":event-type", event_type)
        .encode()
        .unwrap()
}

#[test]
fn every_header_type_round_trips() {
    let message = Message::new(&b"payload"[..])
        .with_header("t", HeaderValue::Bool(true))
        .with_header("f", HeaderValue::Bool(false))
        .with_header("byte", HeaderValue::Byte(-7))
        .with_header("short", HeaderValue::Short(-300))
        .with_header("int", HeaderValue::Int(70_000))
        .with_header("long", HeaderValue::Long(-5_000_000_000))
        .with_header("bytes", HeaderValue::Bytes(Bytes::from_static(b"\x00\x01")))
        .with_header("string", HeaderValue::String("héllo".into()))
        .with_header(
            "time",
            HeaderValue::Timestamp(DateTime::from_secs_and_nanos(1_700_000_000, 123_000_000)),
        )
        .with_header("uuid", HeaderValue::Uuid([7; 16]));
    let frame = message.encode().unwrap();
    assert_eq!(Message::decode(&frame).unwrap(), message);
}

#[test]
fn decoding_works_at_any_chunk_boundary() {
    let frames: Vec<Bytes> = (0..20).map(|i| event("e", &"x".repeat(i * 7))).collect();
    let all: Vec<u8> = frames.iter().flat_map(|f| f.to_vec()).collect();
    for (chunk, copied) in [1, 2, 3, 5, 13, 64, 100, all.len()]
        .into_iter()
        .flat_map(|n| [(n, true), (n, false)])
    {
        let mut decoder = Decoder::new();
        let mut decoded = Vec::new();
        for piece in all.chunks(chunk) {
            if copied {
                decoder.feed(piece);
            } else {
                decoder.feed_bytes(Bytes::copy_from_slice(piece));
            }
            while let Some(message) = decoder.next_message().unwrap() {
                decoded.push(message.payload().len());
            }
        }
        decoder.finish().unwrap();
        let expected: Vec<usize> = (0..20).map(|i| i * 7).collect();
        assert_eq!(decoded, expected, "chunks of {chunk}");
    }
}

#[test]
fn damage_is_reported_by_kind() {
    let frame = event("e", "hello").to_vec();
    let kind = |bytes: &[u8]| Message::decode(bytes).unwrap_err().kind();

    let mut bad_prelude = frame.clone();
    bad_prelude[9] ^= 1;
    assert_eq!(kind(&bad_prelude), FrameErrorKind::PreludeCrc);

    let mut bad_payload = frame.clone();
    let at = frame.len() - 6;
    bad_payload[at] ^= 1;
    assert_eq!(kind(&bad_payload), FrameErrorKind::MessageCrc);

    assert_eq!(kind(&frame[..frame.len() - 1]), FrameErrorKind::Truncated);

    // A huge length with a valid prelude CRC is refused before allocating.
    let mut huge = Vec::new();
    huge.extend_from_slice(&u32::MAX.to_be_bytes());
    huge.extend_from_slice(&0u32.to_be_bytes());
    huge.extend_from_slice(&crc32fast::hash(&huge).to_be_bytes());
    assert_eq!(kind(&huge), FrameErrorKind::InvalidPrelude);

    // An unknown header type, inside an intact frame.
    let mut headers = vec![1u8, b'h', 42];
    headers.extend_from_slice(b"");
    let total = 16 + headers.len();
    let mut raw = Vec::new();
    raw.extend_from_slice(&(total as u32).to_be_bytes());
    raw.extend_from_slice(&(headers.len() as u32).to_be_bytes());
    raw.extend_from_slice(&crc32fast::hash(&raw).to_be_bytes());
    raw.extend_from_slice(&headers);
    raw.extend_from_slice(&crc32fast::hash(&raw).to_be_bytes());
    assert_eq!(kind(&raw), FrameErrorKind::InvalidHeader);
}

// ---- the response stream against a real server ----

/// What the test server sends.
#[derive(Clone)]
enum Step {
    Bytes(Bytes),
    /// Cut the connection.
    Abort,
    /// Send nothing more, forever.
    Stall,
    /// Let what was sent reach the client first.
    Pause,
}

async fn serve(steps: Vec<Step>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let steps = steps.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |_request| {
                    let steps = steps.clone();
                    async move {
                        let body = futures_util::stream::iter(steps).then(|step| async move {
                            match step {
                                Step::Bytes(b) => Ok(Frame::data(b)),
                                Step::Abort => Err(std::io::Error::other("cut")),
                                Step::Stall => std::future::pending().await,
                                Step::Pause => {
                                    tokio::time::sleep(Duration::from_millis(50)).await;
                                    Ok(Frame::data(Bytes::new()))
                                }
                            }
                        });
                        Ok::<_, Infallible>(hyper::Response::new(StreamBody::new(body)))
                    }
                });
                let _ = hyper_util::server::conn::auto::Builder::new(
                    hyper_util::rt::TokioExecutor::new(),
                )
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
            });
        }
    });
    endpoint
}

/// Events are `(type, payload)`; a payload of `bad` does not decode.
type Event = (String, String);

fn codec(end_marker: bool) -> EventCodec<Event, String> {
    EventCodec {
        decode_event: |ty, m| {
            let payload = std::str::from_utf8(m.payload()).map_err(|e| e.to_string())?;
            if payload == "bad" {
                return Err("payload does not match the event's shape".into());
            }
            Ok((ty.to_owned(), payload.to_owned()))
        },
        decode_exception: |ty, m| {
            (ty == "Throttled").then(|| Ok(String::from_utf8_lossy(m.payload()).into_owned()))
        },
        encode_event: |(ty, payload)| {
            Ok(Message::new(payload.clone())
                .with_str(":message-type", "event")
                .with_str(":event-type", ty.clone()))
        },
        encode_exception: |e| {
            Ok(Message::new(e.clone())
                .with_str(":message-type", "exception")
                .with_str(":exception-type", "Throttled"))
        },
        end: if end_marker {
            StreamEnd::Marker
        } else {
            StreamEnd::BodyEnd
        },
    }
}

/// The HTTP version a test runs over; the server speaks both.
#[derive(Debug, Clone, Copy)]
enum Http {
    One,
    /// HTTP/2 over plain text with prior knowledge (h2c).
    Two,
}

/// Defines `http1::<test>` and `http2::<test>` for each `async fn
/// <test>(Http)`.
macro_rules! over_both_versions {
    ($($name:ident),* $(,)?) => {
        mod http1 {
            $(#[tokio::test]
            async fn $name() {
                super::$name(super::Http::One).await
            })*
        }
        mod http2 {
            $(#[tokio::test]
            async fn $name() {
                super::$name(super::Http::Two).await
            })*
        }
    };
}

async fn open(version: Http, steps: Vec<Step>, end_marker: bool) -> EventStream<Event, String> {
    let endpoint = serve(steps).await;
    let request = http::Request::get(endpoint)
        .body(ByteStream::empty())
        .unwrap();
    let transport = HyperTransport::builder()
        .http2_only(matches!(version, Http::Two))
        .build();
    let response = transport.send(request).await.unwrap();
    let expected = match version {
        Http::One => http::Version::HTTP_11,
        Http::Two => http::Version::HTTP_2,
    };
    assert_eq!(response.version(), expected);
    let body = response
        .into_body()
        .with_read_timeout(Duration::from_millis(300));
    EventStream::new(body, codec(end_marker))
}

/// Reads every item: the events, then the error if any; checks the stream
/// ends after an error.
async fn drain(
    stream: &mut EventStream<Event, String>,
) -> (
    Vec<Event>,
    Option<tinsmith_runtime::eventstream::StreamError<String>>,
) {
    let mut events = Vec::new();
    while let Some(item) = stream.next().await {
        match item {
            Ok(event) => events.push(event),
            Err(e) => {
                assert!(
                    stream.next().await.is_none(),
                    "the stream ends after an error"
                );
                assert_eq!(stream.ended_cleanly(), Some(false));
                return (events, Some(e));
            }
        }
    }
    (events, None)
}

async fn a_hundred_thousand_events_arrive_in_order(version: Http) {
    let mut batch = Vec::new();
    let mut steps = Vec::new();
    for i in 0..100_000 {
        batch.extend_from_slice(&event("n", &i.to_string()));
        if batch.len() > 60_000 {
            steps.push(Step::Bytes(Bytes::from(std::mem::take(&mut batch))));
        }
    }
    steps.push(Step::Bytes(Bytes::from(batch)));
    let mut stream = open(version, steps, false).await;
    let (events, error) = drain(&mut stream).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(events.len(), 100_000);
    assert!(
        events
            .iter()
            .enumerate()
            .all(|(i, (_, p))| *p == i.to_string())
    );
    assert_eq!(stream.ended_cleanly(), Some(true));
}

async fn a_disconnect_inside_a_frame_is_incomplete(version: Http) {
    let frame = event("n", "second");
    let steps = vec![
        Step::Bytes(event("n", "first")),
        Step::Bytes(frame.slice(..10)),
        Step::Pause,
        Step::Abort,
    ];
    let mut stream = open(version, steps, false).await;
    let (events, error) = drain(&mut stream).await;
    assert_eq!(events.len(), 1);
    let error = error.expect("an error, not a silent end");
    assert!(
        matches!(error.kind(), StreamErrorKind::Incomplete),
        "{error}"
    );
    assert!(error.is_incomplete());
}

async fn a_body_ending_inside_a_frame_is_incomplete(version: Http) {
    let frame = event("n", "second");
    let steps = vec![
        Step::Bytes(event("n", "first")),
        Step::Bytes(frame.slice(..20)),
    ];
    let mut stream = open(version, steps, false).await;
    let (events, error) = drain(&mut stream).await;
    assert_eq!(events.len(), 1);
    assert!(matches!(error.unwrap().kind(), StreamErrorKind::Incomplete));
}

async fn a_crc_flipped_frame_is_corrupt(version: Http) {
    let mut damaged = event("n", "second").to_vec();
    let at = damaged.len() - 1;
    damaged[at] ^= 0xff;
    let steps = vec![
        Step::Bytes(event("n", "first")),
        Step::Bytes(Bytes::from(damaged)),
        Step::Bytes(event("n", "third")),
    ];
    let mut stream = open(version, steps, false).await;
    let (events, error) = drain(&mut stream).await;
    assert_eq!(events.len(), 1, "nothing after the damaged frame is read");
    let error = error.unwrap();
    assert!(matches!(error.kind(), StreamErrorKind::Corrupt), "{error}");
}

async fn an_undecodable_event_is_reported_and_not_skipped(version: Http) {
    let steps = vec![
        Step::Bytes(event("n", "first")),
        Step::Bytes(event("n", "bad")),
        Step::Bytes(event("n", "third")),
    ];
    let mut stream = open(version, steps, false).await;
    let (events, error) = drain(&mut stream).await;
    assert_eq!(events, [("n".to_owned(), "first".to_owned())]);
    let error = error.unwrap();
    assert!(
        matches!(error.kind(), StreamErrorKind::Undecodable),
        "{error}"
    );
    assert!(error.message().unwrap().contains("does not match"));
}

async fn a_modeled_exception_is_typed(version: Http) {
    let exception = Message::new(&b"slow down"[..])
        .with_str(":message-type", "exception")
        .with_str(":exception-type", "Throttled")
        .encode()
        .unwrap();
    let mut stream = open(version, vec![Step::Bytes(exception)], false).await;
    let (_, error) = drain(&mut stream).await;
    let error = error.unwrap();
    assert!(
        !error.is_incomplete(),
        "the service ended the stream on purpose"
    );
    match error.into_kind() {
        StreamErrorKind::Modeled(value) => assert_eq!(value, "slow down"),
        other => panic!("expected the modeled error, got {other:?}"),
    }
}

async fn an_error_message_is_unmodeled_with_code_and_message(version: Http) {
    let error = Message::new(Bytes::new())
        .with_str(":message-type", "error")
        .with_str(":error-code", "InternalFailure")
        .with_str(":error-message", "the disk is on fire")
        .encode()
        .unwrap();
    let mut stream = open(
        version,
        vec![Step::Bytes(event("n", "1")), Step::Bytes(error)],
        false,
    )
    .await;
    let (events, error) = drain(&mut stream).await;
    assert_eq!(events.len(), 1);
    let error = error.unwrap();
    assert_eq!(error.message(), Some("the disk is on fire"));
    assert!(
        matches!(error.kind(), StreamErrorKind::Unmodeled { code } if code == "InternalFailure")
    );
}

async fn a_promised_end_marker_that_is_missing_is_incomplete(version: Http) {
    let mut stream = open(version, vec![Step::Bytes(event("n", "1"))], true).await;
    let (events, error) = drain(&mut stream).await;
    assert_eq!(events.len(), 1);
    let error = error.expect("a missing marker is an error");
    assert!(
        matches!(error.kind(), StreamErrorKind::Incomplete),
        "{error}"
    );

    // With the marker, the same stream ends cleanly.
    let steps = vec![
        Step::Bytes(event("n", "1")),
        Step::Bytes(event("end-of-stream", "")),
    ];
    let mut stream = open(version, steps, true).await;
    let (events, error) = drain(&mut stream).await;
    assert!(error.is_none());
    assert_eq!(events.len(), 1);
    assert_eq!(stream.ended_cleanly(), Some(true));
}

async fn without_the_trait_a_clean_end_of_body_is_complete(version: Http) {
    let mut stream = open(version, vec![Step::Bytes(event("n", "1"))], false).await;
    let (events, error) = drain(&mut stream).await;
    assert!(error.is_none());
    assert_eq!(events.len(), 1);
    assert_eq!(stream.ended_cleanly(), Some(true));
}

async fn a_stalled_server_is_a_timeout_not_a_hang(version: Http) {
    let mut stream = open(
        version,
        vec![Step::Bytes(event("n", "1")), Step::Stall],
        false,
    )
    .await;
    let (events, error) = drain(&mut stream).await;
    assert_eq!(events.len(), 1);
    let error = error.unwrap();
    assert!(
        matches!(error.kind(), StreamErrorKind::Transport),
        "{error}"
    );
    assert!(error.is_timeout());
}

// Each fault test runs over HTTP/1.1 and over HTTP/2 (h2c): the same
// fault must give the same kind whichever version carried it.
over_both_versions!(
    a_hundred_thousand_events_arrive_in_order,
    a_disconnect_inside_a_frame_is_incomplete,
    a_body_ending_inside_a_frame_is_incomplete,
    a_crc_flipped_frame_is_corrupt,
    an_undecodable_event_is_reported_and_not_skipped,
    a_modeled_exception_is_typed,
    an_error_message_is_unmodeled_with_code_and_message,
    a_promised_end_marker_that_is_missing_is_incomplete,
    without_the_trait_a_clean_end_of_body_is_complete,
    a_stalled_server_is_a_timeout_not_a_hang,
);

#[tokio::test]
async fn input_streams_encode_events_and_the_end_marker() {
    let events = futures_util::stream::iter(vec![
        ("a".to_owned(), "1".to_owned()),
        ("b".to_owned(), "2".to_owned()),
    ]);
    let mut input = EventInput::new(events);
    let bytes = input
        .take_body(codec(true), None)
        .collect_bytes()
        .await
        .unwrap();
    let mut decoder = Decoder::new();
    decoder.feed(&bytes);
    let mut types = Vec::new();
    while let Some(m) = decoder.next_message().unwrap() {
        types.push(m.str_header(":event-type").unwrap().to_owned());
    }
    assert_eq!(types, ["a", "b", "end-of-stream"]);
}

#[tokio::test]
async fn the_channel_sender_applies_backpressure() {
    let (sender, mut input) = EventInput::channel(2);
    sender.send(("a".to_owned(), "1".to_owned())).await.unwrap();
    sender.send(("a".to_owned(), "2".to_owned())).await.unwrap();
    // The channel is full: a third send waits until the body is read.
    let third = sender.send(("a".to_owned(), "3".to_owned()));
    assert!(
        tokio::time::timeout(Duration::from_millis(50), third)
            .await
            .is_err(),
        "a full channel makes the sender wait"
    );
    let mut body = input.take_body(codec(false), None);
    assert!(body.next_chunk().await.is_some());
    sender.send(("a".to_owned(), "3".to_owned())).await.unwrap();
    drop(sender);
    let rest = body.collect_bytes().await.unwrap();
    assert!(!rest.is_empty());
}

/// Found by the fuzzer: near `i64::MIN` milliseconds, seconds × 1000
/// overflows although the timestamp itself fits; every decodable
/// timestamp must encode back to the same milliseconds.
#[test]
fn extreme_timestamps_round_trip() {
    for millis in [
        i64::MIN,
        i64::MIN + 675,
        -1_001,
        -1,
        0,
        1_700_000_000_123,
        i64::MAX,
    ] {
        let time = DateTime::from_secs_and_nanos(
            millis.div_euclid(1000),
            (millis.rem_euclid(1000) as u32) * 1_000_000,
        );
        let message = Message::new(Bytes::new()).with_header("t", HeaderValue::Timestamp(time));
        let frame = message.encode().unwrap();
        assert_eq!(Message::decode(&frame).unwrap(), message, "{millis}");
        assert_eq!(
            &frame[frame.len() - 12..frame.len() - 4],
            &millis.to_be_bytes()
        );
    }
}
