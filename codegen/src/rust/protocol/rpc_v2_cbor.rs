//! `smithy.protocols#rpcv2Cbor`: every operation is a `POST` to
//! `/service/{Service}/operation/{Operation}` with `Smithy-Protocol:
//! rpc-v2-cbor`, the whole input as a CBOR map (no body for `Unit` input),
//! and the whole output or error as the response body; the error's type is
//! the body's `__type`. HTTP binding traits are ignored.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::codec::{self, CodecSettings};
use super::super::paths;
use super::super::plan::{Operation, Plan, Structure, Ty};
use super::{Protocol, Reader};

/// The rpcv2Cbor protocol.
pub struct RpcV2Cbor;

const SETTINGS: CodecSettings = CodecSettings {
    module: "cbor",
    use_json_name: false,
    qualified: true,
};

impl Protocol for RpcV2Cbor {
    fn request(&self, plan: &Plan<'_>, op: &Operation<'_>) -> TokenStream {
        let input_ty = paths::io(plan, op.input);
        let path = format!("/service/{}/operation/{}", plan.service().name, op.name);
        let (input, body) = match op.input {
            None => (quote!(_input), TokenStream::new()),
            Some(id) => {
                let ser = codec::ser_expr(plan, SETTINGS, &Ty::Structure(id), quote!(input));
                (
                    quote!(input),
                    quote!(parts.body("application/cbor", rt::to_body(&#ser))?;),
                )
            }
        };
        super::rpc::request(
            plan,
            op,
            super::rpc::Request {
                input,
                input_type: quote!(&#input_ty),
                path,
                headers: vec![
                    ("smithy-protocol", String::from("rpc-v2-cbor")),
                    ("accept", String::from("application/cbor")),
                ],
                body,
            },
        )
    }

    fn read_output(&self, plan: &Plan<'_>, op: &Operation<'_>) -> Reader {
        super::rpc::read_output(plan, SETTINGS, op)
    }

    fn read_error(&self, plan: &Plan<'_>, error: &Structure<'_>) -> Reader {
        super::rpc::read_error(plan, SETTINGS, error)
    }

    fn codec(&self) -> CodecSettings {
        SETTINGS
    }

    fn support_files(&self, plan: &Plan<'_>) -> Vec<(&'static str, TokenStream)> {
        super::rpc::codec_files(plan, SETTINGS, |_, _| {})
    }
}
