//! `smithy.protocols#rpcv2Cbor`: every operation is a `POST` to
//! `/service/{Service}/operation/{Operation}` with `Smithy-Protocol:
//! rpc-v2-cbor`, the whole input as a CBOR map (no body for `Unit` input),
//! and the whole output or error as the response body; the error's type is
//! the body's `__type`. HTTP binding traits are ignored.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::codec::{self, CodecSettings};
use super::super::context::Context;
use super::{Protocol, Reader, allow_deprecated_io, io_type, is_unit, request_fn};
use crate::model::Shape;

/// The rpcv2Cbor protocol.
pub struct RpcV2Cbor;

const SETTINGS: CodecSettings = CodecSettings {
    module: "cbor",
    use_json_name: false,
    qualified: true,
};

impl Protocol for RpcV2Cbor {
    fn trait_id(&self) -> &'static str {
        "smithy.protocols#rpcv2Cbor"
    }

    fn request(&self, cx: &Context<'_>, op: &Shape) -> TokenStream {
        let Some(props) = op.as_operation() else {
            return TokenStream::new();
        };
        let f = request_fn(&op.id);
        let input_ty = io_type(cx, &props.input);
        let path = format!(
            "/service/{}/operation/{}",
            cx.service.id.name(),
            op.id.name()
        );
        let (input, body) = if is_unit(&props.input) {
            (quote!(_input), TokenStream::new())
        } else {
            let ser = codec::ser_expr(cx, SETTINGS, None, &props.input, quote!(input));
            (
                quote!(input),
                quote!(parts.body("application/cbor", rt::to_body(&#ser))?;),
            )
        };
        let host_prefix = super::host_prefix(cx, op);
        let body_traits = super::body_traits(op);
        let query_mode = super::query_mode_header(cx);
        let doc = format!(" Builds the HTTP request of `{}`.", op.id.name());
        let allow = allow_deprecated_io(cx, op);
        quote! {
            #[doc = #doc]
            #allow
            pub(super) fn #f(#input: &#input_ty, endpoint: &str) -> Result<HttpRequest, ConstructionError> {
                let mut parts = binding::RequestParts::new(Method::POST, String::from(#path));
                parts.header("smithy-protocol", "rpc-v2-cbor")?;
                parts.header("accept", "application/cbor")?;
                #query_mode
                #body
                #body_traits
                #host_prefix
                parts.build(endpoint)
            }
        }
    }

    fn read_output(&self, cx: &Context<'_>, op: &Shape) -> Reader {
        super::rpc::read_output(cx, SETTINGS, op)
    }

    fn read_error(&self, cx: &Context<'_>, error: &Shape) -> Reader {
        super::rpc::read_error(cx, SETTINGS, error)
    }

    fn codec_module(&self) -> &'static str {
        SETTINGS.module
    }

    fn support_files(&self, cx: &Context<'_>) -> Vec<(String, TokenStream)> {
        super::rpc::codec_files(cx, SETTINGS, |_, _| {})
    }
}
