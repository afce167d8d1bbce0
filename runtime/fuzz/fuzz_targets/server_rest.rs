//! Untrusted requests through a generated restJson1 server: fuzzed method,
//! path, query string, headers and body into the odd-bindings model, whose
//! operations bind every HTTP binding trait to every type it may bind
//! (labels, greedy labels, query lists and maps, headers and prefix
//! headers, every kind of payload). The handlers echo what they can, so
//! what was read is written back. No request may panic the server or go
//! unanswered.
//!
//! Input: `<selector><method>\n<path and query>\n<header lines>\n\n<body>`;
//! the selector's low bits pick a method when the fuzzed one is not a token.

#![no_main]

use std::sync::OnceLock;

use bytes::Bytes;
use libfuzzer_sys::fuzz_target;
use tinsmith_runtime::server::{Request, Status};

#[allow(dead_code, unused_imports)]
mod bindings {
    tinsmith_runtime::include_sdk!("odd_bindings");
}

use bindings::{server, types};

struct Echo;

impl server::OddBindings for Echo {
    async fn blob_payload(
        &self,
        request: Request<types::BlobPayloadInput>,
    ) -> Result<types::BlobPayloadOutput, server::BlobPayloadError> {
        Ok(types::BlobPayloadOutput::builder()
            .body(request.into_input().body)
            .build())
    }

    async fn document_payload(
        &self,
        request: Request<types::DocumentPayloadInput>,
    ) -> Result<types::DocumentPayloadOutput, server::DocumentPayloadError> {
        Ok(types::DocumentPayloadOutput::builder()
            .body(request.into_input().body)
            .build())
    }

    async fn enum_payload(
        &self,
        request: Request<types::EnumPayloadInput>,
    ) -> Result<types::EnumPayloadOutput, server::EnumPayloadError> {
        Ok(types::EnumPayloadOutput::builder()
            .body(request.into_input().body)
            .build())
    }

    async fn integer_payload(
        &self,
        request: Request<types::IntegerPayloadInput>,
    ) -> Result<types::IntegerPayloadOutput, server::IntegerPayloadError> {
        Ok(types::IntegerPayloadOutput::builder()
            .body(request.into_input().body)
            .build())
    }

    async fn list_payload(
        &self,
        request: Request<types::ListPayloadInput>,
    ) -> Result<types::ListPayloadOutput, server::ListPayloadError> {
        Ok(types::ListPayloadOutput::builder()
            .body(request.into_input().body)
            .build())
    }

    async fn map_payload(
        &self,
        request: Request<types::MapPayloadInput>,
    ) -> Result<types::MapPayloadOutput, server::MapPayloadError> {
        Ok(types::MapPayloadOutput::builder()
            .body(request.into_input().body)
            .build())
    }

    async fn structure_payload(
        &self,
        request: Request<types::StructurePayloadInput>,
    ) -> Result<types::StructurePayloadOutput, server::StructurePayloadError> {
        Ok(types::StructurePayloadOutput::builder()
            .body(request.into_input().body)
            .build())
    }

    async fn text_payload(
        &self,
        request: Request<types::TextPayloadInput>,
    ) -> Result<types::TextPayloadOutput, server::TextPayloadError> {
        Ok(types::TextPayloadOutput::builder()
            .body(request.into_input().body)
            .build())
    }

    async fn union_payload(
        &self,
        request: Request<types::UnionPayloadInput>,
    ) -> Result<types::UnionPayloadOutput, server::UnionPayloadError> {
        Ok(types::UnionPayloadOutput::builder()
            .body(request.into_input().body)
            .build())
    }

    async fn headers(
        &self,
        request: Request<types::HeadersInput>,
    ) -> Result<types::HeadersOutput, server::HeadersError> {
        let input = request.into_input();
        Ok(types::HeadersOutput::builder()
            .s(input.s)
            .t(input.t)
            .bi(input.bi)
            .ls(input.ls)
            .lt(input.lt)
            .meta_value(input.meta)
            .code(input.i)
            .build())
    }

    async fn enum_bindings(
        &self,
        request: Request<types::EnumBindingsInput>,
    ) -> Result<types::EnumBindingsOutput, server::EnumBindingsError> {
        Ok(types::EnumBindingsOutput::builder()
            .colors(request.into_input().colors)
            .build())
    }

    async fn labels(&self, _request: Request<types::LabelsInput>) -> Result<(), server::LabelsError> {
        Ok(())
    }

    async fn propfind(&self, _request: Request<types::PropfindInput>) -> Result<(), server::PropfindError> {
        Ok(())
    }

    async fn queries(&self, _request: Request<types::QueriesInput>) -> Result<(), server::QueriesError> {
        Ok(())
    }

    async fn required_tokens(&self, _request: Request<types::TokenInput>) -> Result<(), server::RequiredTokensError> {
        Ok(())
    }

    async fn no_io(&self, _request: Request<()>) -> Result<(), server::NoIoError> {
        Err(Status::new("Fuzzed", "as asked").into())
    }
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime")
    })
}

const METHODS: &[&str] = &["GET", "POST", "PUT", "DELETE", "PROPFIND", "HEAD", "PATCH", "OPTIONS"];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let (head, body) = text.split_once("\n\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let method = lines.next().unwrap_or_default().trim();
    let method = if method.is_empty() {
        METHODS[usize::from(selector) % METHODS.len()]
    } else {
        method
    };
    let target = lines.next().unwrap_or("/");
    let target = if target.starts_with('/') {
        target.to_owned()
    } else {
        format!("/{target}")
    };
    let mut request = http::Request::builder().method(method).uri(target);
    for line in lines {
        if let Some((name, value)) = line.split_once(':') {
            request = request.header(name.trim(), value.trim());
        }
    }
    let Ok(request) = request.body(Bytes::copy_from_slice(body.as_bytes())) else {
        return;
    };
    let router = server::router(Echo);
    let response = runtime().block_on(tinsmith_runtime::test_util::serve(router, request));
    assert!(
        response.status().as_u16() < 600,
        "an answer, whatever the request"
    );
});
