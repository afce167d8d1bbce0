//! Untrusted requests through generated servers: rpcv2Cbor bodies into the
//! constraint-trait model (strict reading, then every constraint check),
//! JSON-RPC 2.0 bodies (single calls, batches, notifications) into the
//! Echo model, with fuzzed request ids, chains and content encodings. No
//! request may panic the server or go unanswered.

#![no_main]

use std::sync::OnceLock;

use bytes::Bytes;
use libfuzzer_sys::fuzz_target;
use tinsmith_runtime::server::{Request, Status};

// A binary uses only the servers of these crates.
#[allow(dead_code, unused_imports)]
mod validated {
    tinsmith_runtime::include_sdk!("validated");
}

#[allow(dead_code, unused_imports)]
mod echo {
    tinsmith_runtime::include_sdk!("echo");
}

struct Validated;

impl validated::server::Validated for Validated {
    async fn check(
        &self,
        _request: Request<validated::types::CheckInput>,
    ) -> Result<validated::types::CheckOutput, validated::server::CheckError> {
        Ok(validated::types::CheckOutput::builder().accepted(true).build())
    }

    async fn loose(
        &self,
        _request: Request<validated::types::LooseInput>,
    ) -> Result<(), validated::server::LooseError> {
        Ok(())
    }
}

struct Echo;

impl echo::server::Echo for Echo {
    async fn say(
        &self,
        request: Request<echo::types::SayInput>,
    ) -> Result<echo::types::SayOutput, echo::server::SayError> {
        let input = request.into_input();
        Ok(echo::types::SayOutput::builder()
            .text(input.text.unwrap_or_default())
            .at(input.at)
            .build()?)
    }

    async fn ping(&self, _request: Request<()>) -> Result<(), echo::server::PingError> {
        Ok(())
    }

    async fn fail(
        &self,
        _request: Request<echo::types::FailInput>,
    ) -> Result<(), echo::server::FailError> {
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

/// Text for a header from fuzzed bytes (what a header value can hold).
fn header_text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .chars()
        .filter(|c| c.is_ascii() && !c.is_ascii_control())
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    // Optional fuzzed ids: `<id>\0<chain>\0<body>` when the selector's
    // high bit is set.
    let (id, chain, body) = if selector & 0x80 != 0 {
        let mut parts = rest.splitn(3, |b| *b == 0);
        let id = header_text(parts.next().unwrap_or_default());
        let chain = header_text(parts.next().unwrap_or_default());
        (id, chain, parts.next().unwrap_or_default())
    } else {
        (String::new(), String::new(), rest)
    };
    let gzip = selector & 0x40 != 0;
    let (router, uri, content_type) = match selector & 0x3 {
        0 => (
            validated::server::router(Validated),
            "/service/Validated/operation/Check",
            "application/cbor",
        ),
        1 => (
            validated::server::router(Validated),
            "/service/Validated/operation/Loose",
            "application/cbor",
        ),
        _ => (echo::server::router(Echo), "/api/rpc", "application/json"),
    };
    let mut request = http::Request::post(uri)
        .header("content-type", content_type)
        .header("smithy-protocol", "rpc-v2-cbor");
    if !id.is_empty() {
        request = request.header("x-request-id", id);
    }
    if !chain.is_empty() {
        request = request.header("x-request-chain", chain);
    }
    if gzip {
        request = request.header("content-encoding", "gzip");
    }
    let Ok(request) = request.body(Bytes::copy_from_slice(body)) else {
        return;
    };
    let response = runtime().block_on(tinsmith_runtime::test_util::serve(router, request));
    assert!(
        response.status().as_u16() < 600,
        "an answer, whatever the request"
    );
});
