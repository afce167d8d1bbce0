//! Untrusted event streams through a generated server: fuzzed frames as
//! the request body of the Chat example's streaming operations (restJson1,
//! `tinsmith.api#endOfStream`). `Converse` relays each event it receives
//! into its answer and a fault as an `error` message; `PublishMessages`
//! reads the stream to its end. No request may panic the server, and the
//! answer must keep the rule of served streams: whole frames only, nothing
//! after an `exception` or `error` message, and a stream that does not end
//! with one of those ends with the end-of-stream marker.
//!
//! Input: `<selector><body>`; the selector's low bit picks the operation.

#![no_main]

use std::sync::OnceLock;

use bytes::Bytes;
use libfuzzer_sys::fuzz_target;
use tinsmith_runtime::eventstream::{Decoder, EventStream, StreamError};
use tinsmith_runtime::server::{Request, Status};

#[allow(dead_code, unused_imports)]
mod chat {
    tinsmith_runtime::include_sdk!("chat");
}

use chat::{server, types};

struct Room;

impl server::Chat for Room {
    async fn subscribe_room(
        &self,
        _request: Request<types::SubscribeRoomInput>,
    ) -> Result<types::SubscribeRoomOutput, server::SubscribeRoomError> {
        Ok(types::SubscribeRoomOutput::builder()
            .events(EventStream::from_events([]))
            .build())
    }

    async fn publish_messages(
        &self,
        request: Request<types::PublishMessagesInput>,
    ) -> Result<types::PublishMessagesOutput, server::PublishMessagesError> {
        use futures_util::StreamExt as _;
        let mut messages = request.into_input().messages;
        let mut accepted = 0;
        while let Some(item) = messages.next().await {
            match item {
                Ok(_) => accepted += 1,
                Err(e) => return Err(Status::new("BrokenStream", e.to_string()).into()),
            }
        }
        Ok(types::PublishMessagesOutput::builder()
            .accepted(accepted)
            .build()?)
    }

    async fn converse(
        &self,
        request: Request<types::ConverseInput>,
    ) -> Result<types::ConverseOutput, server::ConverseError> {
        use futures_util::StreamExt as _;
        let answers = request.into_input().requests.map(|item| match item {
            Ok(types::ConverseRequests::Ping(ping)) => Ok(types::ConverseResponses::Pong(ping)),
            Ok(types::ConverseRequests::Say(said)) => Ok(types::ConverseResponses::Message(
                types::MessageEvent::builder()
                    .sender("fuzz")
                    .sequence(1)
                    .text(said.text)
                    .mentions(said.mentions)
                    .build()
                    .map_err(|e| StreamError::unmodeled("Unbuildable", e.to_string()))?,
            )),
            Err(e) => Err(StreamError::unmodeled("BrokenRequestStream", e.to_string())),
        });
        Ok(types::ConverseOutput::builder()
            .responses(EventStream::from_results(answers))
            .build())
    }
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime")
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let converse = selector & 1 == 0;
    let path = if converse {
        "/rooms/lobby/converse"
    } else {
        "/rooms/lobby/messages"
    };
    let request = http::Request::post(path)
        .header("content-type", "application/vnd.amazon.eventstream")
        .body(Bytes::copy_from_slice(body))
        .expect("a valid request");
    let response = runtime().block_on(tinsmith_runtime::test_util::serve(
        server::router(Room),
        request,
    ));
    let status = response.status().as_u16();
    assert!((200..600).contains(&status), "status {status}");
    if !converse || status != 200 {
        return;
    }
    // The answer's stream: whole frames, ended by a marker or a fault.
    let mut decoder = Decoder::new();
    decoder.feed(response.body());
    let mut messages = Vec::new();
    while let Some(message) = decoder.next_message().expect("the server writes whole frames") {
        messages.push(message);
    }
    decoder.finish().expect("the server ends on a frame boundary");
    let last = messages.last().expect("a served stream is never empty: it ends with a marker or a fault");
    let ends = |m: &tinsmith_runtime::eventstream::Message| {
        matches!(m.str_header(":message-type"), Some("error" | "exception"))
            || m.str_header(":event-type") == Some("end-of-stream")
    };
    assert!(ends(last), "the stream ends without a marker or a fault: {last:?}");
    assert!(
        messages[..messages.len() - 1].iter().all(|m| !ends(m)),
        "messages follow the end of the stream"
    );
});
