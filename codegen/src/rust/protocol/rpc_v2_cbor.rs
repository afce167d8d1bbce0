//! `smithy.protocols#rpcv2Cbor`: every operation is a `POST` to
//! `/service/{Service}/operation/{Operation}` with `Smithy-Protocol:
//! rpc-v2-cbor`, the whole input as a CBOR map (no body for `Unit` input),
//! and the whole output or error as the response body; the error's type is
//! the body's `__type`. HTTP binding traits are ignored. Event streams
//! carry CBOR documents, with the other members in initial messages.

use proc_macro2::TokenStream;

use super::super::codec::{CodecSettings, DocumentTimestamps};
use super::super::event_stream::EventSettings;
use super::super::plan::{Operation, Plan, Structure};
use super::rpc::{self, Documents, Route, UnitInput};
use super::{Protocol, Reader};

/// The rpcv2Cbor protocol.
pub struct RpcV2Cbor;

const SETTINGS: CodecSettings = CodecSettings {
    module: "cbor",
    use_json_name: false,
    qualified: true,
    timestamps: DocumentTimestamps::Honoured,
    big_numbers_as_text: false,
};

const DOCUMENTS: Documents = Documents {
    settings: SETTINGS,
    content_type: "application/cbor",
    unit_input: UnitInput::NoBody,
};

/// The route of an rpcv2 protocol (spec: "Smithy RPC v2", requests).
pub fn route(plan: &Plan<'_>, op: &Operation<'_>, docs: Documents, protocol: &str) -> Route {
    Route {
        path: format!("/service/{}/operation/{}", plan.service().name, op.name),
        headers: vec![
            ("smithy-protocol", String::from(protocol)),
            rpc::accept(plan, op, docs),
        ],
    }
}

impl Protocol for RpcV2Cbor {
    fn request(&self, plan: &Plan<'_>, op: &Operation<'_>) -> TokenStream {
        let route = route(plan, op, DOCUMENTS, "rpc-v2-cbor");
        rpc::request(plan, op, DOCUMENTS, route)
    }

    fn read_output(&self, plan: &Plan<'_>, op: &Operation<'_>) -> Reader {
        rpc::read_output(plan, DOCUMENTS, op)
    }

    fn read_error(&self, plan: &Plan<'_>, error: &Structure<'_>) -> Reader {
        rpc::read_error(plan, SETTINGS, error)
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
