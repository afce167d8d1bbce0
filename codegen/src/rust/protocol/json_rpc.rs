//! `tinsmith.protocols#jsonRpc2`, our own: JSON-RPC 2.0 over HTTP. Every
//! call is a `POST` of a request object (`jsonrpc`, `id`, `method` — the
//! method prefix and the operation's name — and `params`, the input as an
//! awsJson-style document) to the service's one path. The response object,
//! HTTP status 200 whatever happened, holds the output in `result` or a
//! failure in `error`: `{code, message, data}`, with the modeled error's
//! document (and its `__type`) in `data`. The protocol's definition,
//! documented for users, is `codegen/model/src/builtin/tinsmith.protocols.smithy`.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::codec::{self, CodecSettings};
use super::super::paths;
use super::super::plan::{Operation, Plan, Structure, Ty};
use super::super::types::allow_deprecated;
use super::{Protocol, Reader, rpc};

/// JSON-RPC 2.0.
pub struct JsonRpc;

/// The documents are awsJson's.
const SETTINGS: CodecSettings = super::aws_json::SETTINGS;

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
        quote! {
            #[doc = #doc]
            #allow
            pub(super) fn #f(#input: &#input_ty, endpoint: &str) -> Result<HttpRequest, ConstructionError> {
                let mut parts = binding::RequestParts::new(Method::POST, String::from(#path));
                parts.body("application/json", rt::to_body(&rt::json_rpc_request(#method, #params)))?;
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
        quote!(rt::json_rpc_error_extras(&body))
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
