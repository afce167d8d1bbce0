//! The Smithy RPC v2 protocols, `smithy.protocols#rpcv2Cbor` and
//! `smithy.protocols#rpcv2Json`: every operation is a `POST` to
//! `/service/{Service}/operation/{Operation}` with `Smithy-Protocol:
//! rpc-v2-cbor` (or `rpc-v2-json`), the whole input as one document (no
//! body for `Unit` input), and the whole output or error as the response
//! body; the error's type is the body's `__type`, an absolute shape id.
//! HTTP binding traits are ignored. Event streams carry the same documents,
//! with the other members in initial messages.
//!
//! rpcv2Json differs from its CBOR sibling in its documents alone
//! (spec: "Smithy RPC v2 JSON", shape serialization): timestamps are always
//! epoch seconds (`@timestampFormat` is not honoured), big numbers are
//! strings of digits, and `X-Amzn-Errortype` and `code` never name the error.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::codec::{CodecSettings, DocumentTimestamps};
use super::super::event_stream::EventSettings;
use super::super::plan::{Operation, Plan, Structure};
use super::rpc::{self, Documents, Route, UnitInput};
use super::{Protocol, Reader};

/// One of the two RPC v2 protocols.
pub enum RpcV2 {
    /// `smithy.protocols#rpcv2Cbor`.
    Cbor,
    /// `smithy.protocols#rpcv2Json`.
    Json,
}

impl RpcV2 {
    fn documents(&self) -> Documents {
        match self {
            RpcV2::Cbor => Documents {
                settings: CodecSettings {
                    module: "cbor",
                    use_json_name: false,
                    qualified: true,
                    timestamps: DocumentTimestamps::Honoured,
                    big_numbers_as_text: false,
                    strict: false,
                },
                content_type: "application/cbor",
                unit_input: UnitInput::NoBody,
            },
            RpcV2::Json => Documents {
                settings: CodecSettings {
                    module: "json",
                    use_json_name: false,
                    qualified: true,
                    timestamps: DocumentTimestamps::EpochSeconds,
                    big_numbers_as_text: true,
                    strict: false,
                },
                content_type: "application/json",
                unit_input: UnitInput::NoBody,
            },
        }
    }

    /// The `Smithy-Protocol` header's value.
    fn header(&self) -> &'static str {
        match self {
            RpcV2::Cbor => "rpc-v2-cbor",
            RpcV2::Json => "rpc-v2-json",
        }
    }
}

impl Protocol for RpcV2 {
    fn request(&self, plan: &Plan<'_>, op: &Operation<'_>) -> TokenStream {
        let docs = self.documents();
        let route = Route {
            path: format!("/service/{}/operation/{}", plan.service().name, op.name),
            headers: vec![
                ("smithy-protocol", String::from(self.header())),
                rpc::accept(plan, op, docs),
            ],
        };
        rpc::request(plan, op, docs, route)
    }

    fn read_output(&self, plan: &Plan<'_>, op: &Operation<'_>) -> Reader {
        rpc::read_output(plan, self.documents(), op)
    }

    fn read_error(&self, plan: &Plan<'_>, error: &Structure<'_>) -> Reader {
        rpc::read_error(plan, self.documents().settings, error)
    }

    fn error_code(&self) -> TokenStream {
        match self {
            // The CBOR codec reads `__type` alone already.
            RpcV2::Cbor => quote!(rt::error_code(response, &body)),
            RpcV2::Json => quote!(rt::error_type(&body)),
        }
    }

    fn runtime_codec(&self) -> &'static str {
        self.documents().settings.module
    }

    fn document_codec(&self) -> Option<CodecSettings> {
        Some(self.documents().settings)
    }

    fn events(&self) -> Option<EventSettings> {
        Some(self.documents().events())
    }

    fn initial_response(&self, plan: &Plan<'_>, op: &Operation<'_>) -> Option<TokenStream> {
        rpc::initial_response(plan, (self.documents(), quote!(rt::parse_body)), op)
    }

    fn support_files(&self, plan: &Plan<'_>) -> Vec<(&'static str, TokenStream)> {
        rpc::codec_files(plan, self.documents().settings)
    }
}
