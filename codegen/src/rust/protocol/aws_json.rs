//! `aws.protocols#awsJson1_0` and `awsJson1_1`: every operation is a `POST /`
//! naming the operation in `X-Amz-Target` (`Service.Operation`), with the
//! whole input as a JSON body (member names as keys, no `@jsonName`) and the
//! whole output or error as the response body. The two versions differ only
//! in their content type.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::codec::{self, CodecSettings};
use super::super::context::Context;
use super::{Protocol, Reader, allow_deprecated_io, io_type, is_unit, request_fn};
use crate::model::Shape;

/// One of the two awsJson versions.
pub enum AwsJson {
    /// `aws.protocols#awsJson1_0`.
    V1_0,
    /// `aws.protocols#awsJson1_1`.
    V1_1,
}

const SETTINGS: CodecSettings = CodecSettings {
    module: "json",
    use_json_name: false,
    qualified: true,
};

impl AwsJson {
    fn content_type(&self) -> &'static str {
        match self {
            AwsJson::V1_0 => "application/x-amz-json-1.0",
            AwsJson::V1_1 => "application/x-amz-json-1.1",
        }
    }
}

impl Protocol for AwsJson {
    fn trait_id(&self) -> &'static str {
        match self {
            AwsJson::V1_0 => "aws.protocols#awsJson1_0",
            AwsJson::V1_1 => "aws.protocols#awsJson1_1",
        }
    }

    fn request(&self, cx: &Context<'_>, op: &Shape) -> TokenStream {
        let Some(props) = op.as_operation() else {
            return TokenStream::new();
        };
        let f = request_fn(&op.id);
        let input_ty = io_type(cx, &props.input);
        let target = format!("{}.{}", cx.service.id.name(), op.id.name());
        let content_type = self.content_type();
        let (input, body) = if is_unit(&props.input) {
            (quote!(_input), quote!(rt::object(rt::Map::new())))
        } else {
            let ser = codec::ser_expr(cx, SETTINGS, None, &props.input, quote!(input));
            (quote!(input), ser)
        };
        let host_prefix = super::host_prefix(cx, op);
        let checksum = super::body_traits(op);
        let query_mode = super::query_mode_header(cx);
        let doc = format!(" Builds the HTTP request of `{}`.", op.id.name());
        let allow = allow_deprecated_io(cx, op);
        quote! {
            #[doc = #doc]
            #allow
            pub(super) fn #f(#input: &#input_ty, endpoint: &str) -> Result<HttpRequest, ConstructionError> {
                let mut parts = binding::RequestParts::new(Method::POST, String::from("/"));
                parts.header("x-amz-target", #target)?;
                #query_mode
                parts.body(#content_type, rt::to_body(&#body))?;
                #checksum
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

    fn support_files(&self, cx: &Context<'_>) -> Vec<(String, TokenStream)> {
        super::rpc::codec_files(cx, SETTINGS)
    }
}
