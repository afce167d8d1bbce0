//! `tinsmith.protocols#jsonRpc2`, our own: JSON-RPC 2.0 over HTTP. Every
//! call is a `POST` of a request object (`jsonrpc`, `id`, `method` — the
//! method prefix and the operation's name — and `params`, the input as an
//! awsJson-style document) to the service's one path. The response object,
//! HTTP status 200 whatever happened, holds the output in `result` or a
//! failure in `error`: `{code, message, data}`, with the modeled error's
//! document (and its `__type`) in `data`. An operation with an event
//! stream is called alone: an input stream is the request body, opened by
//! the `initial-request` event holding the request object; an output
//! stream is the answer, opened by the `initial-response` event holding the
//! response object, while every answer that is not a stream (failures
//! before it included) is a response object. The protocol's definition,
//! documented for users, is `codegen/model/src/builtin/tinsmith.protocols.smithy`.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::codec::{self, CodecSettings};
use super::super::event_stream::EventSettings;
use super::super::paths;
use super::super::plan::{Operation, Plan, Structure, Ty};
use super::super::types::allow_deprecated;
use super::rpc::{self, Documents, UnitInput};
use super::{Protocol, Reader};

/// JSON-RPC 2.0.
pub struct JsonRpc;

/// The documents are awsJson's.
const SETTINGS: CodecSettings = super::aws_json::SETTINGS;

/// The documents, as the RPC framing of event streams sees them.
const DOCUMENTS: Documents = Documents {
    settings: SETTINGS,
    content_type: "application/json",
    unit_input: UnitInput::EmptyObject,
};

impl Protocol for JsonRpc {
    fn request(&self, plan: &Plan<'_>, op: &Operation<'_>) -> TokenStream {
        let settings = &plan.service().json_rpc;
        let method = format!("{}{}", settings.method_prefix, op.name);
        let path = &settings.path;
        let input_ty = paths::io(plan, op.input);
        let (input, params) = match op.input {
            Some(id) => (
                quote!(input),
                codec::ser_expr(plan, SETTINGS, &Ty::Structure(id), quote!(input)),
            ),
            None => (quote!(_input), quote!(rt::object(rt::Map::new()))),
        };
        let body_traits = super::body_traits(op);
        let host_prefix = super::host_prefix(op);
        let f = &op.fns.ser;
        let doc = format!(
            " Builds the HTTP request of `{}`: a JSON-RPC call of `{method}`.",
            op.name
        );
        let allow = allow_deprecated(op.uses_deprecated);
        let object = quote!(rt::to_body(&rt::json_rpc_request(#method, #params)));
        let stream = plan
            .streaming_input(op)
            .and_then(|m| Some((&m.field, rpc::codec_const(plan, &m.kind)?)));
        // An input stream is the body, the request object its first event.
        let (input_type, body) = match stream {
            Some((field, codec)) => (
                quote!(&mut #input_ty),
                rpc::streamed_input((field, codec), "application/json", object),
            ),
            None => (
                quote!(&#input_ty),
                quote!(parts.body("application/json", #object)?;),
            ),
        };
        quote! {
            #[doc = #doc]
            #allow
            pub(super) fn #f(#input: #input_type, endpoint: &str) -> Result<HttpRequest, ConstructionError> {
                let mut parts = binding::RequestParts::new(Method::POST, String::from(#path));
                #body
                #body_traits
                #host_prefix
                parts.build(endpoint)
            }
        }
    }

    fn read_output(&self, plan: &Plan<'_>, op: &Operation<'_>) -> Reader {
        let Some(output) = op.output else {
            return Reader::unit();
        };
        if plan.streaming_output(op).is_some() {
            // The stream; the other members arrive in its first event.
            return rpc::read_output(plan, DOCUMENTS, op);
        }
        let de = codec::de_expr(plan, SETTINGS, &Ty::Structure(output), quote!(&result));
        Reader {
            tokens: quote! {
                let result = rt::json_rpc_result(response.body())?;
                #de
            },
            uses_response: true,
            uses_body: false,
            expression: false,
        }
    }

    fn read_error(&self, plan: &Plan<'_>, error: &Structure<'_>) -> Reader {
        rpc::read_error(plan, SETTINGS, error)
    }

    fn events(&self) -> Option<EventSettings> {
        Some(DOCUMENTS.events())
    }

    fn initial_response(&self, plan: &Plan<'_>, op: &Operation<'_>) -> Option<TokenStream> {
        rpc::initial_response(plan, (DOCUMENTS, quote!(rt::json_rpc_result)), op)
    }

    fn error_code(&self) -> TokenStream {
        quote!(rt::error_type(&body))
    }

    fn failed(&self) -> TokenStream {
        quote!(rt::json_rpc_failed(response))
    }

    fn error_body(&self) -> TokenStream {
        quote!(rt::json_rpc_error_data(response.body()))
    }

    fn error_extras(&self) -> TokenStream {
        quote!(rt::json_rpc_error_extras(body))
    }

    fn runtime_codec(&self) -> &'static str {
        SETTINGS.module
    }

    fn document_codec(&self) -> Option<CodecSettings> {
        Some(SETTINGS)
    }

    fn support_files(&self, plan: &Plan<'_>) -> Vec<(&'static str, TokenStream)> {
        rpc::codec_files(plan, SETTINGS)
    }
}
