//! Untrusted requests through generated servers of every kind of shape
//! (`tests/models/server/round-trips.smithy`) over awsJson1_0, awsJson1_1,
//! rpcv2Json and rpcv2Cbor: strict reading of structures, unions, sparse
//! and dense collections, documents, enums, every number and timestamp
//! form, then the constraint checks. Handlers echo what they read. No
//! request may panic the server; every answer is a whole body in the
//! protocol's format, and every refusal names its error.

#![no_main]

use std::sync::OnceLock;

use bytes::Bytes;
use libfuzzer_sys::fuzz_target;

macro_rules! served {
    ($module:ident, $sdk:literal, $service:ident) => {
        // A binary uses only the servers of these crates.
        #[allow(dead_code, unused_imports)]
        mod $module {
            tinsmith_runtime::include_sdk!($sdk);

            use tinsmith_runtime::server::Request;

            /// Echoes the values it reads.
            pub struct Echo;

            impl server::$service for Echo {
                async fn echo_values(
                    &self,
                    request: Request<types::EchoValuesInput>,
                ) -> Result<types::EchoValuesOutput, server::EchoValuesError> {
                    let values = request.into_input().values;
                    Ok(types::EchoValuesOutput::builder().values(values).build())
                }

                async fn echo_bindings(
                    &self,
                    request: Request<types::EchoBindingsInput>,
                ) -> Result<types::EchoBindingsOutput, server::EchoBindingsError> {
                    let input = request.into_input();
                    Ok(types::EchoBindingsOutput::builder()
                        .header_string(input.header_string)
                        .header_list(input.header_list)
                        .prefix_headers(input.prefix_headers)
                        .build())
                }
            }
        }
    };
}

served!(json10, "round_trips_json10", RoundTripsJson10);
served!(json11, "round_trips_json11", RoundTripsJson11);
served!(rpc_json, "round_trips_rpc_json", RoundTripsRpcJson);
served!(cbor, "round_trips_cbor", RoundTripsCbor);

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime")
    })
}

/// How a protocol frames a call, and reads back.
#[derive(Clone, Copy, PartialEq)]
enum Framing {
    AwsJson(&'static str),
    RpcV2Json,
    RpcV2Cbor,
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let operation = if selector & 0x1 == 0 {
        "EchoValues"
    } else {
        "EchoBindings"
    };
    let (router, service, framing) = match (selector >> 1) & 0x3 {
        0 => (
            json10::server::router(json10::Echo),
            "RoundTripsJson10",
            Framing::AwsJson("application/x-amz-json-1.0"),
        ),
        1 => (
            json11::server::router(json11::Echo),
            "RoundTripsJson11",
            Framing::AwsJson("application/x-amz-json-1.1"),
        ),
        2 => (
            rpc_json::server::router(rpc_json::Echo),
            "RoundTripsRpcJson",
            Framing::RpcV2Json,
        ),
        _ => (cbor::server::router(cbor::Echo), "RoundTripsCbor", Framing::RpcV2Cbor),
    };
    let request = match framing {
        Framing::AwsJson(content_type) => http::Request::post("/")
            .header("content-type", content_type)
            .header("x-amz-target", format!("{service}.{operation}")),
        Framing::RpcV2Json => http::Request::post(format!("/service/{service}/operation/{operation}"))
            .header("content-type", "application/json")
            .header("smithy-protocol", "rpc-v2-json"),
        Framing::RpcV2Cbor => http::Request::post(format!("/service/{service}/operation/{operation}"))
            .header("content-type", "application/cbor")
            .header("smithy-protocol", "rpc-v2-cbor"),
    };
    let request = if selector & 0x80 != 0 {
        request.header("content-encoding", "gzip")
    } else {
        request
    };
    let Ok(request) = request.body(Bytes::copy_from_slice(body)) else {
        return;
    };
    let response = runtime().block_on(tinsmith_runtime::test_util::serve(router, request));
    let status = response.status().as_u16();
    assert!((200..600).contains(&status), "an answer, whatever the request");
    let body = response.body();
    match framing {
        Framing::RpcV2Cbor => {
            assert!(
                ciborium::from_reader::<ciborium::Value, _>(&body[..]).is_ok(),
                "a whole CBOR body ({status}): {body:?}"
            );
        }
        _ => {
            let answer: serde_json::Value = serde_json::from_slice(body)
                .unwrap_or_else(|e| panic!("a whole JSON body ({status}): {e}: {body:?}"));
            if status >= 400 {
                assert!(answer.get("__type").is_some(), "a refusal names its error: {answer}");
            }
        }
    }
});
