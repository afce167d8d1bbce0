//! `smithy.protocols#rpcv2Json`: rpcv2Cbor's JSON sibling. Every operation
//! is a `POST` to `/service/{Service}/operation/{Operation}` with
//! `Smithy-Protocol: rpc-v2-json`, the whole input as a JSON object keyed
//! by member names (no body for `Unit` input), the whole output or error as
//! the response body, and the error's type in the body's `__type` (an
//! absolute shape id; `X-Amzn-Errortype` and `code` are ignored).
//! Timestamps are always epoch seconds (`@timestampFormat` is not honoured)
//! and big numbers are strings of digits (spec: "Smithy RPC v2 JSON",
//! shape serialization).

use proc_macro2::TokenStream;
use quote::quote;

use super::super::codec::{CodecSettings, DocumentTimestamps};
use super::super::event_stream::EventSettings;
use super::super::plan::{Operation, Plan, Structure};
use super::rpc::{self, Documents, UnitInput};
use super::{Protocol, Reader};

/// The rpcv2Json protocol.
pub struct RpcV2Json;

const SETTINGS: CodecSettings = CodecSettings {
    module: "json",
    use_json_name: false,
    qualified: true,
    timestamps: DocumentTimestamps::EpochSeconds,
    big_numbers_as_text: true,
};

const DOCUMENTS: Documents = Documents {
    settings: SETTINGS,
    content_type: "application/json",
    unit_input: UnitInput::NoBody,
};

impl Protocol for RpcV2Json {
    fn request(&self, plan: &Plan<'_>, op: &Operation<'_>) -> TokenStream {
        let route = super::rpc_v2_cbor::route(plan, op, DOCUMENTS, "rpc-v2-json");
        rpc::request(plan, op, DOCUMENTS, route)
    }

    fn read_output(&self, plan: &Plan<'_>, op: &Operation<'_>) -> Reader {
        rpc::read_output(plan, DOCUMENTS, op)
    }

    fn read_error(&self, plan: &Plan<'_>, error: &Structure<'_>) -> Reader {
        rpc::read_error(plan, SETTINGS, error)
    }

    fn error_code(&self) -> TokenStream {
        quote!(rt::error_type(&body))
    }

    fn runtime_codec(&self) -> &'static str {
        SETTINGS.module
    }

    fn events(&self) -> Option<EventSettings> {
        Some(DOCUMENTS.events())
    }

    fn initial_response(&self, plan: &Plan<'_>, op: &Operation<'_>) -> Option<TokenStream> {
        rpc::initial_response(plan, DOCUMENTS, op)
    }

    fn support_files(&self, plan: &Plan<'_>) -> Vec<(&'static str, TokenStream)> {
        rpc::codec_files(plan, SETTINGS)
    }
}
