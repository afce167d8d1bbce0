//! Untrusted JSON-RPC 2.0 calls, event streams included, through a
//! generated server: fuzzed bodies posted to the hub/worker example's Notes
//! (`models/hub-worker/notes.smithy`, `tinsmith.api#endOfStream`), whose
//! `ImportNotes` streams both ways and answers each note it reads. No
//! request may panic the server, and every answer must be well formed: a
//! JSON-RPC response object (or a batch of them) answering with exactly
//! one of `result` and `error`, nothing for notifications, or a stream of
//! whole frames that opens with the `initial-response` event holding a
//! response object with `result`, and ends with the end-of-stream marker
//! or an `exception`/`error` message, with nothing after it.
//!
//! Input: `<selector><body>`; the selector's low bit picks the body's
//! `Content-Type` (`application/vnd.amazon.eventstream` or
//! `application/json`).

#![no_main]

use std::sync::OnceLock;

use bytes::Bytes;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use tinsmith_runtime::eventstream::{Decoder, EventStream, Message, StreamError};
use tinsmith_runtime::server::Request;

#[allow(dead_code, unused_imports)]
mod notes {
    tinsmith_runtime::include_sdk!("notes");
}

use notes::{server, types};

struct Worker;

impl server::Notes for Worker {
    async fn add_note(
        &self,
        request: Request<types::AddNoteInput>,
    ) -> Result<types::AddNoteOutput, server::AddNoteError> {
        let text = request.into_input().text.unwrap_or_default();
        Ok(types::AddNoteOutput::builder()
            .id(format!("n{}", text.len()))
            .author("fuzz")
            .build()?)
    }

    async fn get_note(
        &self,
        request: Request<types::GetNoteInput>,
    ) -> Result<types::GetNoteOutput, server::GetNoteError> {
        let id = request.into_input().id.unwrap_or_default();
        Err(types::NoteNotFound::builder().message(id).build()?.into())
    }

    async fn who_am_i(
        &self,
        request: Request<()>,
    ) -> Result<types::WhoAmIOutput, server::WhoAmIError> {
        Ok(types::WhoAmIOutput::builder()
            .caller("fuzz")
            .chain(request.chain().entries().to_vec())
            .request_id(request.request_id())
            .build()?)
    }

    async fn import_notes(
        &self,
        request: Request<types::ImportNotesInput>,
    ) -> Result<types::ImportNotesOutput, server::ImportNotesError> {
        use futures_util::StreamExt as _;
        let answers = request.into_input().notes.map(|item| match item {
            Ok(types::ImportEvents::Note(note)) if note.text.is_empty() => {
                let rejected = types::NoteRejected::builder()
                    .message("empty")
                    .build()
                    .map_err(|e| StreamError::unmodeled("Unbuildable", e.to_string()))?;
                Err(notes::error::ImportedEventsError::Rejected(rejected).into())
            }
            Ok(types::ImportEvents::Note(note)) => types::StoredNote::builder()
                .id("n1")
                .text(note.text)
                .build()
                .map(types::ImportedEvents::Stored)
                .map_err(|e| StreamError::unmodeled("Unbuildable", e.to_string())),
            Err(e) => Err(StreamError::unmodeled("BrokenRequestStream", e.to_string())),
        });
        Ok(types::ImportNotesOutput::builder()
            .author("fuzz")
            .stored(EventStream::from_results(answers))
            .build()?)
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

/// True when `object` is a JSON-RPC 2.0 response object.
fn response_object(object: &Value) -> bool {
    object.get("jsonrpc").and_then(Value::as_str) == Some("2.0")
        && object.get("id").is_some()
        && (object.get("result").is_some() != object.get("error").is_some())
}

fn ends(message: &Message) -> bool {
    matches!(message.str_header(":message-type"), Some("error" | "exception"))
        || message.str_header(":event-type") == Some("end-of-stream")
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let content_type = if selector & 1 == 0 {
        "application/vnd.amazon.eventstream"
    } else {
        "application/json"
    };
    let request = http::Request::post("/api/rpc")
        .header("content-type", content_type)
        .body(Bytes::copy_from_slice(body))
        .expect("a valid request");
    let response = runtime().block_on(tinsmith_runtime::test_util::serve(
        server::router(Worker),
        request,
    ));
    let status = response.status().as_u16();
    // axum's own answers (a body over its limit) aside, JSON-RPC answers
    // are 200, or 204 for notifications alone.
    if status != 200 {
        assert!(status == 204 || (400..500).contains(&status), "status {status}");
        return;
    }
    let answered = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    if answered == "application/json" {
        let answer: Value = serde_json::from_slice(response.body()).expect("a JSON answer");
        match &answer {
            Value::Array(answers) => {
                assert!(!answers.is_empty(), "an empty batch answer");
                assert!(answers.iter().all(response_object), "{answer}");
            }
            object => assert!(response_object(object), "{answer}"),
        }
        return;
    }
    assert_eq!(answered, "application/vnd.amazon.eventstream");
    let mut decoder = Decoder::new();
    decoder.feed(response.body());
    let mut messages = Vec::new();
    while let Some(message) = decoder.next_message().expect("the server writes whole frames") {
        messages.push(message);
    }
    decoder.finish().expect("the server ends on a frame boundary");
    let (first, rest) = messages.split_first().expect("a streamed answer opens with its object");
    assert_eq!(first.str_header(":event-type"), Some("initial-response"));
    let object: Value = serde_json::from_slice(first.payload()).expect("the opening is JSON");
    assert!(response_object(&object) && object.get("result").is_some(), "{object}");
    let last = rest.last().expect("a stream ends with a marker or a fault");
    assert!(ends(last), "the stream ends without a marker or a fault: {last:?}");
    assert!(
        rest[..rest.len() - 1].iter().all(|m| !ends(m)),
        "messages follow the end of the stream"
    );
});
