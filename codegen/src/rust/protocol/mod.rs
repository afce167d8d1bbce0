//! Protocols: how each operation's input becomes an HTTP request and how a
//! response becomes its output or typed error.
//!
//! Each protocol is one module implementing [`Protocol`]; [`select`] picks
//! the first one the service declares that the generator supports. The
//! emitted `protocol` module of a generated crate has, per operation, a
//! `ser_<op>_request` function (input + endpoint → request) and a
//! `de_<op>_response` function (response → output or error), which the
//! client passes to `tinsmith_runtime::pipeline::invoke`.
//!
//! To add a protocol: write a module implementing [`Protocol`] and add it to
//! [`PROTOCOLS`]. Nothing else in the generator changes.

mod aws_json;
mod http;
mod rest_json;
mod rpc;
mod rpc_v2_cbor;

use heck::ToSnakeCase;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::GenerateError;
use super::context::Context;
use super::errors;
use super::event_stream::{self, EventSettings};
use crate::model::{Shape, ShapeId};

/// One wire protocol.
pub trait Protocol {
    /// The service trait that selects this protocol, e.g. `aws.protocols#restJson1`.
    fn trait_id(&self) -> &'static str;

    /// The request serializer of an operation:
    /// `fn ser_<op>_request(input: &Input, endpoint: &str) -> Result<HttpRequest, ConstructionError>`.
    fn request(&self, cx: &Context<'_>, op: &Shape) -> TokenStream;

    /// The success half of the response deserializer: statements that end in
    /// an expression of type `Result<Output, rt::DeError>`, reading `response`
    /// (a `&HttpResponse` already known to be a success).
    fn read_output(&self, cx: &Context<'_>, op: &Shape) -> Reader;

    /// Statements that end in an expression of type `Result<ErrorShape,
    /// rt::DeError>`, reading a modeled error from `response` and its parsed
    /// JSON `body`.
    fn read_error(&self, cx: &Context<'_>, error: &Shape) -> Reader;

    /// Fallback error codes by HTTP status, for responses that name no error
    /// type (restJson1's `@httpError`).
    fn status_fallback(&self, _cx: &Context<'_>, _op: &Shape) -> Vec<(u16, String)> {
        Vec::new()
    }

    /// The runtime module (and generated codec module) of the protocol's
    /// document format: `json` or `cbor`.
    fn codec_module(&self) -> &'static str {
        "json"
    }

    /// True when the protocol binds members to the HTTP payload, so it can
    /// carry `@streaming` blobs.
    fn binds_payload(&self) -> bool {
        false
    }

    /// How the protocol frames event-stream payloads; `None` when it cannot
    /// carry event streams.
    fn events(&self) -> Option<EventSettings> {
        None
    }

    /// For protocols whose output members arrive in an `initial-response`
    /// event (awsJson): the body of
    /// `async fn finish_<op>_output(output: Output) -> Result<Output, rt::DeError>`,
    /// which reads them from `output`'s event stream. `None` when the
    /// output is complete once its head is read.
    fn initial_response(&self, _cx: &Context<'_>, _op: &Shape) -> Option<TokenStream> {
        None
    }

    /// Files of support code (codecs) the protocol functions call, by path.
    fn support_files(&self, cx: &Context<'_>) -> Vec<(String, TokenStream)>;
}

/// The body of a reader function, and which of its parameters it uses.
pub struct Reader {
    /// Statements ending in the result expression.
    pub tokens: TokenStream,
    /// True when the statements read `response`.
    pub uses_response: bool,
    /// True when the statements read `body`.
    pub uses_body: bool,
}

fn param(name: &str, used: bool) -> Ident {
    if used {
        format_ident!("{name}")
    } else {
        format_ident!("_{name}")
    }
}

/// Protocols the generator supports, in order of preference.
const PROTOCOLS: &[&(dyn Protocol + Sync)] = &[
    &rest_json::RestJson1,
    &aws_json::AwsJson::V1_0,
    &aws_json::AwsJson::V1_1,
    &rpc_v2_cbor::RpcV2Cbor,
];

/// The protocol to generate for the service; an error when the service
/// declares none we support, or needs something the protocol cannot carry.
pub fn select(cx: &Context<'_>) -> Result<&'static (dyn Protocol + Sync), GenerateError> {
    let protocol = PROTOCOLS
        .iter()
        .copied()
        .find(|p| cx.service.has_trait(p.trait_id()))
        .ok_or_else(|| {
            let declared = cx.service_traits_defined_by("smithy.api#protocolDefinition");
            GenerateError::UnsupportedProtocol {
                service: cx.service.id.clone(),
                declared,
                supported: PROTOCOLS.iter().map(|p| p.trait_id().to_owned()).collect(),
            }
        })?;
    for op in cx.operations() {
        let Some(member) = streaming_input(cx, op).or_else(|| streaming_output(cx, op)) else {
            continue;
        };
        if cx.is_streaming_blob(member) && !protocol.binds_payload() {
            return Err(GenerateError::StreamingBlobUnsupported {
                operation: op.id.clone(),
                protocol: protocol.trait_id().to_owned(),
            });
        }
        if cx.event_stream(member).is_some() && protocol.events().is_none() {
            return Err(GenerateError::EventStreamUnsupported {
                operation: op.id.clone(),
                protocol: protocol.trait_id().to_owned(),
            });
        }
    }
    Ok(protocol)
}

/// The operation input's streaming member (blob or event stream), if any.
pub fn streaming_input<'m>(cx: &Context<'m>, op: &'m Shape) -> Option<&'m crate::model::Member> {
    let props = op.as_operation()?;
    cx.streaming_member(cx.model.shape(&props.input)?)
}

/// The operation output's streaming member (blob or event stream), if any.
pub fn streaming_output<'m>(cx: &Context<'m>, op: &'m Shape) -> Option<&'m crate::model::Member> {
    let props = op.as_operation()?;
    cx.streaming_member(cx.model.shape(&props.output)?)
}

/// The `finish_<op>_output` function of protocols with initial responses.
pub fn finish_fn(op: &ShapeId) -> Ident {
    format_ident!("finish_{}_output", op_snake(op))
}

/// `GetCity` → `get_city`.
pub fn op_snake(op: &ShapeId) -> String {
    op.name().to_snake_case()
}

/// The request serializer's name.
pub fn request_fn(op: &ShapeId) -> Ident {
    format_ident!("ser_{}_request", op_snake(op))
}

/// The response deserializer's name.
pub fn response_fn(op: &ShapeId) -> Ident {
    format_ident!("de_{}_response", op_snake(op))
}

/// The error deserializer's name.
pub fn error_fn(op: &ShapeId) -> Ident {
    format_ident!("de_{}_error", op_snake(op))
}

fn read_error_fn(error: &ShapeId) -> Ident {
    format_ident!("read_error_{}", error.name().to_snake_case())
}

/// True when the operation's input or output is `smithy.api#Unit`.
pub fn is_unit(id: &ShapeId) -> bool {
    id.as_str() == "smithy.api#Unit"
}

/// The Rust type of an operation's input or output.
pub fn io_type(cx: &Context<'_>, id: &ShapeId) -> TokenStream {
    if is_unit(id) {
        quote!(())
    } else {
        cx.rust_type(id)
    }
}

/// The whole `protocol` module.
pub fn module(cx: &Context<'_>, protocol: &dyn Protocol) -> TokenStream {
    let operations = cx.operations();
    let ops = operations.iter().map(|op| operation(cx, protocol, op));
    let mut error_shapes: Vec<&Shape> = operations
        .iter()
        .flat_map(|op| errors::operation_errors(cx, op))
        .collect();
    error_shapes.sort_by(|a, b| a.id.cmp(&b.id));
    error_shapes.dedup_by(|a, b| a.id == b.id);
    let readers = error_shapes.iter().map(|e| {
        let f = read_error_fn(&e.id);
        let ty = cx.rust_type(&e.id);
        let reader = protocol.read_error(cx, e);
        let response = param("response", reader.uses_response);
        let body_param = param("body", reader.uses_body);
        let body = reader.tokens;
        let doc = format!(" Reads a modeled `{}` error.", e.id.name());
        let allow = cx.allow_deprecated(e);
        quote! {
            #[doc = #doc]
            #allow
            fn #f(#response: &HttpResponse, #body_param: &rt::Value) -> Result<#ty, rt::DeError> {
                #body
            }
        }
    });
    let doc = format!(
        " The `{}` protocol: each operation's request serializer and response deserializer.",
        protocol.trait_id()
    );
    let codec = format_ident!("{}", protocol.codec_module());
    let streaming_import = operations
        .iter()
        .any(|op| streaming_output(cx, op).is_some())
        .then(|| quote!(, StreamingResponse));
    let (event_import, events) = match protocol.events().filter(|_| event_stream::any(cx)) {
        Some(settings) => {
            let codecs = event_stream::codecs(cx, settings);
            // Whether any codec reads or writes headers or raw payloads.
            let wire = codecs
                .to_string()
                .contains("wire ::")
                .then(|| quote!(, wire));
            (
                quote!(use tinsmith_runtime::eventstream::{EventCodec, Message #wire};),
                codecs,
            )
        }
        None => (TokenStream::new(), TokenStream::new()),
    };
    quote! {
        #![doc = #doc]

        use tinsmith_runtime::__private::http::Method;
        use tinsmith_runtime::binding;
        use tinsmith_runtime::error::ConstructionError;
        use tinsmith_runtime::#codec as rt;
        use tinsmith_runtime::pipeline::ParseError;
        use tinsmith_runtime::transport::{HttpRequest, HttpResponse #streaming_import};
        #event_import

        #(#ops)*
        #(#readers)*
        #events
    }
}

fn operation(cx: &Context<'_>, protocol: &dyn Protocol, op: &Shape) -> TokenStream {
    let Some(props) = op.as_operation() else {
        return TokenStream::new();
    };
    let request = protocol.request(cx, op);
    let response_fn = response_fn(&op.id);
    let error_fn = error_fn(&op.id);
    let output = io_type(cx, &props.output);
    let error = errors::error_ident(&op.id);
    let mut read_fns = TokenStream::new();
    let doc = format!(
        " Reads the response of `{}`: its output, or its error.",
        op.id.name()
    );
    let dispatch = error_dispatch(cx, protocol, op);
    let allow = allow_deprecated_io(cx, op);
    if streaming_output(cx, op).is_some() {
        let read_fn = format_ident!("read_{}_output", op_snake(&op.id));
        let reader = protocol.read_output(cx, op);
        let read = reader.tokens;
        let read_doc = format!(
            " Reads the head of a successful `{}` response; its body stays streaming.",
            op.id.name()
        );
        let finish = protocol.initial_response(cx, op).map(|body| {
            let f = finish_fn(&op.id);
            let doc = format!(
                " Completes a `{}` output from its stream's `initial-response` event, when the service sends one.",
                op.id.name()
            );
            quote! {
                #[doc = #doc]
                #allow
                pub(super) async fn #f(mut output: #output) -> Result<#output, rt::DeError> {
                    #body
                }
            }
        });
        return quote! {
            #request

            #finish

            #[doc = #doc]
            pub(super) fn #response_fn(mut response: StreamingResponse) -> Result<#output, ParseError<super::error::#error>> {
                #read_fn(&mut response).map_err(|e| ParseError::Unparseable(binding::unparseable(&response, e)))
            }

            #[doc = #read_doc]
            #allow
            fn #read_fn(response: &mut StreamingResponse) -> Result<#output, rt::DeError> {
                #read
            }

            #dispatch
        };
    }
    let success = if is_unit(&props.output) {
        quote!(Ok(()))
    } else {
        let read_fn = format_ident!("read_{}_output", op_snake(&op.id));
        let reader = protocol.read_output(cx, op);
        let response_param = param("response", reader.uses_response);
        let read = reader.tokens;
        let read_doc = format!(
            " Reads the output of a successful `{}` response.",
            op.id.name()
        );
        read_fns.extend(quote! {
            #[doc = #read_doc]
            #allow
            fn #read_fn(#response_param: &HttpResponse) -> Result<#output, rt::DeError> {
                #read
            }
        });
        quote!(#read_fn(response).map_err(|e| ParseError::Unparseable(binding::unparseable(response, e))))
    };
    quote! {
        #request

        #[doc = #doc]
        pub(super) fn #response_fn(response: &HttpResponse) -> Result<#output, ParseError<super::error::#error>> {
            if !binding::is_success(response) {
                return Err(#error_fn(response));
            }
            #success
        }

        #read_fns

        #dispatch
    }
}

/// Turns an error response into the operation's error: the error type from
/// the response picks a modeled variant, anything else is `Unhandled`.
fn error_dispatch(cx: &Context<'_>, protocol: &dyn Protocol, op: &Shape) -> TokenStream {
    let error = errors::error_ident(&op.id);
    let error_fn = error_fn(&op.id);
    let modeled = errors::operation_errors(cx, op);
    let arms = modeled.iter().map(|e| {
        let code = e.id.name();
        let variant = errors::variant(e);
        let read = read_error_fn(&e.id);
        let (retryable, throttling) = retry_flags(e);
        quote! {
            Some(#code) => tinsmith_runtime::pipeline::modeled_error(
                #read(response, &body),
                #code,
                status,
                #retryable,
                #throttling,
                super::error::#error::#variant,
            ),
        }
    });
    let fallback = protocol.status_fallback(cx, op);
    let code = if fallback.is_empty() {
        quote!(let code = rt::error_code(response, &body);)
    } else {
        let statuses = fallback
            .iter()
            .map(|(s, _)| proc_macro2::Literal::u16_unsuffixed(*s));
        let codes = fallback.iter().map(|(_, c)| c);
        quote! {
            let code = rt::error_code(response, &body).or_else(|| match response.status().as_u16() {
                #(#statuses => Some(String::from(#codes)),)*
                _ => None,
            });
        }
    };
    let unhandled = quote! {
        ParseError::Service(Box::new(super::error::#error::Unhandled(
            tinsmith_runtime::UnhandledError::new(status),
        )))
    };
    let dispatch = if modeled.is_empty() {
        unhandled
    } else {
        quote! {
            match code.as_deref() {
                #(#arms)*
                _ => #unhandled,
            }
        }
    };
    let doc = format!(" Reads an error response of `{}`.", op.id.name());
    // Streaming operations read errors separately from their output.
    let vis = if streaming_output(cx, op).is_some() {
        quote!(pub(super))
    } else {
        TokenStream::new()
    };
    quote! {
        #[doc = #doc]
        #vis fn #error_fn(response: &HttpResponse) -> ParseError<super::error::#error> {
            let body = rt::parse_body(response.body()).unwrap_or(rt::null());
            #code
            let status = binding::error_status(response, code.as_deref(), rt::error_message(&body));
            #dispatch
        }
    }
}

/// `#[allow(deprecated)]` when the operation or its input or output uses
/// something deprecated.
pub fn allow_deprecated_io(cx: &Context<'_>, op: &Shape) -> TokenStream {
    let mut shapes = vec![op];
    if let Some(props) = op.as_operation() {
        shapes.extend(
            [&props.input, &props.output]
                .into_iter()
                .filter_map(|id| cx.model.shape(id)),
        );
    }
    if shapes.iter().any(|s| !cx.allow_deprecated(s).is_empty()) {
        quote!(#[allow(deprecated)])
    } else {
        TokenStream::new()
    }
}

/// Statements that set the request's host prefix from `@endpoint(hostPrefix)`,
/// filling `{label}`s from the input's `@hostLabel` members; empty when the
/// operation has no host prefix.
pub fn host_prefix(cx: &Context<'_>, op: &Shape) -> TokenStream {
    let Some(prefix) = op
        .trait_value("smithy.api#endpoint")
        .and_then(|v| v.get("hostPrefix"))
        .and_then(crate::model::Node::as_str)
    else {
        return TokenStream::new();
    };
    let input = op
        .as_operation()
        .filter(|p| !is_unit(&p.input))
        .and_then(|p| cx.model.shape(&p.input));
    let mut format = String::new();
    let mut labels = TokenStream::new();
    let mut rest = prefix;
    while let Some(open) = rest.find('{') {
        format.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let name = &rest[open + 1..open + close];
        rest = &rest[open + close + 1..];
        let var = format_ident!("host_{}", name.to_snake_case());
        format.push_str(&format!("{{{var}}}"));
        let member = input.and_then(|i| i.members.get(name).map(|m| (i, m)));
        labels.extend(match member {
            Some((shape, m)) if cx.is_optional(shape, m) => {
                let field = super::names::field_name(m.name());
                quote! {
                    let #var = binding::host_label(#name, input.#field.as_deref().unwrap_or_default())?;
                }
            }
            Some((_, m)) => {
                let field = super::names::field_name(m.name());
                quote!(let #var = binding::host_label(#name, &input.#field)?;)
            }
            None => quote!(let #var = binding::host_label(#name, "")?;),
        });
    }
    format.push_str(rest);
    if labels.is_empty() {
        let literal = format.replace("{{", "{").replace("}}", "}");
        quote!(parts.host_prefix(#literal);)
    } else {
        quote! {
            #labels
            parts.host_prefix(format!(#format));
        }
    }
}

/// Statements that finish the body: `@requestCompression` (gzip above the
/// runtime's size threshold), then `@httpChecksumRequired` (`Content-MD5`
/// of the body as sent).
pub fn body_traits(op: &Shape) -> TokenStream {
    let mut out = TokenStream::new();
    if let Some(encodings) = op
        .trait_value("smithy.api#requestCompression")
        .and_then(|v| v.get("encodings"))
        .and_then(crate::model::Node::as_array)
    {
        let encodings: Vec<&str> = encodings
            .iter()
            .filter_map(crate::model::Node::as_str)
            .collect();
        out.extend(quote!(parts.compress(&[#(#encodings),*], binding::MIN_COMPRESSION_SIZE)?;));
    }
    if op.has_trait("smithy.api#httpChecksumRequired") {
        out.extend(quote!(parts.content_md5()?;));
    }
    out
}

/// `x-amzn-query-mode: true` for services migrated from awsQuery
/// (`@awsQueryCompatible`), which then answer with their old error codes.
pub fn query_mode_header(cx: &Context<'_>) -> TokenStream {
    if cx.service.has_trait("aws.protocols#awsQueryCompatible") {
        quote!(parts.header("x-amzn-query-mode", "true")?;)
    } else {
        TokenStream::new()
    }
}

/// `@retryable` and its `throttling` flag.
fn retry_flags(error: &Shape) -> (bool, bool) {
    match error.trait_value("smithy.api#retryable") {
        Some(value) => (
            true,
            value
                .get("throttling")
                .and_then(crate::model::Node::as_bool)
                .unwrap_or(false),
        ),
        None => (false, false),
    }
}
