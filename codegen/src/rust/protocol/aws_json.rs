//! `aws.protocols#awsJson1_0` and `awsJson1_1`: every operation is a `POST /`
//! naming the operation in `X-Amz-Target` (`Service.Operation`), with the
//! whole input as a JSON body (member names as keys, no `@jsonName`) and the
//! whole output or error as the response body. The two versions differ only
//! in their content type.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::codec::{self, CodecSettings};
use super::super::context::Context;
use super::super::event_stream::{self, EventSettings};
use super::super::names;
use super::{
    Protocol, Reader, allow_deprecated_io, io_type, is_unit, request_fn, streaming_input,
    streaming_output,
};
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
        // An input event stream is the whole body; the other input members
        // go first, as its `initial-request` event.
        let (input_ref, body) = match streaming_input(cx, op) {
            Some(member) => {
                let field = names::field_name(member.name());
                let codec = event_stream::codec_const(cx, &member.target);
                (
                    quote!(&mut #input_ty),
                    quote! {
                        let initial = tinsmith_runtime::eventstream::wire::event(
                            "initial-request",
                            Some(#content_type),
                            rt::to_body(&#body),
                        );
                        let events = input.#field.take_body(#codec, Some(initial));
                        parts.streaming_body(tinsmith_runtime::eventstream::CONTENT_TYPE, events, false)?;
                    },
                )
            }
            None => (
                quote!(&#input_ty),
                quote!(parts.body(#content_type, rt::to_body(&#body))?;),
            ),
        };
        let host_prefix = super::host_prefix(cx, op);
        let checksum = super::body_traits(op);
        let query_mode = super::query_mode_header(cx);
        let doc = format!(" Builds the HTTP request of `{}`.", op.id.name());
        let allow = allow_deprecated_io(cx, op);
        quote! {
            #[doc = #doc]
            #allow
            pub(super) fn #f(#input: #input_ref, endpoint: &str) -> Result<HttpRequest, ConstructionError> {
                let mut parts = binding::RequestParts::new(Method::POST, String::from("/"));
                parts.header("x-amz-target", #target)?;
                #query_mode
                #body
                #checksum
                #host_prefix
                parts.build(endpoint)
            }
        }
    }

    fn read_output(&self, cx: &Context<'_>, op: &Shape) -> Reader {
        let (Some(props), Some(member)) = (op.as_operation(), streaming_output(cx, op)) else {
            return super::rpc::read_output(cx, SETTINGS, op);
        };
        // The body is the event stream; the other members arrive in its
        // `initial-response` event (read by `finish_<op>_output`). Until
        // then they are absent (required ones get zero values).
        let field = names::field_name(member.name());
        let codec = event_stream::codec_const(cx, &member.target);
        let de = codec::de_expr(
            cx,
            SETTINGS,
            None,
            &props.output,
            quote!(&rt::object(rt::Map::new())),
        );
        Reader {
            tokens: quote! {
                let mut output = #de?;
                output.#field = tinsmith_runtime::eventstream::EventStream::new(
                    std::mem::take(response.body_mut()),
                    #codec,
                );
                Ok(output)
            },
            uses_response: true,
            uses_body: false,
        }
    }

    fn events(&self) -> Option<EventSettings> {
        Some(EventSettings {
            codec: SETTINGS,
            document_content_type: self.content_type(),
        })
    }

    fn initial_response(&self, cx: &Context<'_>, op: &Shape) -> Option<TokenStream> {
        let props = op.as_operation()?;
        let member = streaming_output(cx, op).filter(|m| cx.event_stream(m).is_some())?;
        let field = names::field_name(member.name());
        let de = codec::de_expr(cx, SETTINGS, None, &props.output, quote!(&value));
        Some(quote! {
            if let Some(message) = output.#field.take_initial("initial-response").await {
                let value = if message.payload().is_empty() {
                    rt::object(rt::Map::new())
                } else {
                    rt::parse_body(message.payload())?
                };
                let mut full = #de?;
                full.#field = std::mem::take(&mut output.#field);
                output = full;
            }
            Ok(output)
        })
    }

    fn read_error(&self, cx: &Context<'_>, error: &Shape) -> Reader {
        super::rpc::read_error(cx, SETTINGS, error)
    }

    fn support_files(&self, cx: &Context<'_>) -> Vec<(String, TokenStream)> {
        super::rpc::codec_files(cx, SETTINGS, event_stream::add_needs)
    }
}
