//! Protocols: how each operation's input becomes an HTTP request and how a
//! response becomes its output or typed error.
//!
//! Each protocol is one module implementing [`Protocol`], found by
//! [`for_kind`] from the plan's [`ProtocolKind`]. The emitted `protocol`
//! module of a generated crate has, per operation, a `ser_<op>_request`
//! function (input + endpoint → request) and a `de_<op>_response` function
//! (response → output or error), which the client passes to
//! `tinsmith_runtime::pipeline::invoke`.
//!
//! To add a protocol: add its [`ProtocolKind`], write a module implementing
//! [`Protocol`] and return it from [`for_kind`]. Types, errors and the
//! client do not change.

mod aws_json;
pub(crate) mod http;
mod json_rpc;
mod query;
pub(crate) mod rest;
pub(crate) mod rest_json;
mod rest_xml;
mod rpc;
mod rpc_v2;

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use super::codec::CodecSettings;
use super::event_stream::{self, EventSettings};
use super::paths::{self, Scope};
use super::plan::{HostSegment, Operation, Plan, ProtocolKind, Retry, Structure};
use super::types::allow_deprecated;

/// One wire protocol.
pub trait Protocol {
    /// The request serializer of an operation:
    /// `fn ser_<op>_request(input: &Input, endpoint: &str) -> Result<HttpRequest, ConstructionError>`.
    fn request(&self, plan: &Plan<'_>, op: &Operation<'_>) -> TokenStream;

    /// The success half of the response deserializer: statements that end in
    /// an expression of type `Result<Output, rt::DeError>`, reading `response`
    /// (a `&HttpResponse` already known to be a success).
    fn read_output(&self, plan: &Plan<'_>, op: &Operation<'_>) -> Reader;

    /// Statements that end in an expression of type `Result<ErrorShape,
    /// rt::DeError>`, reading a modeled error from `response` and its
    /// parsed `body` (an `rt::Value`).
    fn read_error(&self, plan: &Plan<'_>, error: &Structure<'_>) -> Reader;

    /// The code that names this modeled error on the wire: its shape name
    /// (awsQuery and ec2Query: its `@awsQueryError` code).
    fn wire_code<'p>(&self, error: &'p Structure<'_>) -> &'p str {
        error.error.as_ref().map_or(error.name, |info| info.code)
    }

    /// Fallback error codes by HTTP status, for responses that name no error
    /// type (restJson1's `@httpError`).
    fn status_fallback<'p>(&self, _plan: &'p Plan<'_>, _op: &Operation<'_>) -> Vec<(u16, &'p str)> {
        Vec::new()
    }

    /// An expression of type `Option<String>`: the error code of an error
    /// `response` with its parsed `body`, as a shape name.
    fn error_code(&self) -> TokenStream {
        quote!(rt::error_code(response, &body))
    }

    /// The runtime module its generated code calls `rt`: `json`, `cbor`
    /// or `xml`.
    fn runtime_codec(&self) -> &'static str;

    /// How the protocol frames event-stream payloads; `None` when it cannot
    /// carry event streams.
    fn events(&self) -> Option<EventSettings> {
        None
    }

    /// For protocols whose output members arrive in an `initial-response`
    /// event (awsJson): the body of
    /// `async fn finish_<op>_output(output: Output) -> Result<Output, rt::DeError>`,
    /// which reads them from `output`'s event stream.
    fn initial_response(&self, _plan: &Plan<'_>, _op: &Operation<'_>) -> Option<TokenStream> {
        None
    }

    /// An expression of type `bool`: whether `response` (a `&HttpResponse`)
    /// is a failure, which the error dispatch reads.
    fn failed(&self) -> TokenStream {
        quote!(!binding::is_success(response))
    }

    /// An expression of type `rt::Value`: the document of an error
    /// `response`, which error codes, messages and modeled errors are read
    /// from.
    fn error_body(&self) -> TokenStream {
        quote!(rt::parse_body(response.body()).unwrap_or(rt::null()))
    }

    /// An expression of the `binding::ErrorExtras` of an error (`body`
    /// is the error body): its typed details and the body's metadata.
    fn error_extras(&self) -> TokenStream {
        quote!(rt::error_extras(body))
    }

    /// The document codec of a protocol whose bodies are whole documents
    /// (the RPC protocols), which generated servers read inputs and write
    /// outputs and errors with; `None` for the others.
    fn document_codec(&self) -> Option<CodecSettings> {
        None
    }

    /// Modules of support code (codecs) the protocol functions call, by name.
    fn support_files(&self, plan: &Plan<'_>) -> Vec<(&'static str, TokenStream)>;
}

/// The body of a reader function, and which of its parameters it uses.
pub struct Reader {
    /// Statements ending in the result expression.
    pub tokens: TokenStream,
    /// True when the statements read `response`.
    pub uses_response: bool,
    /// True when the statements read `body`.
    pub uses_body: bool,
    /// True when `tokens` is the result expression alone, with no
    /// statements before it.
    pub expression: bool,
}

impl Reader {
    /// The reader of an operation without output: `Ok(())`.
    pub fn unit() -> Self {
        Reader {
            tokens: quote!(Ok(())),
            uses_response: false,
            uses_body: false,
            expression: true,
        }
    }
}

fn param(name: &str, used: bool) -> Ident {
    if used {
        format_ident!("{name}")
    } else {
        format_ident!("_{name}")
    }
}

/// The emitter of a protocol.
pub fn for_kind(kind: ProtocolKind) -> &'static dyn Protocol {
    match kind {
        ProtocolKind::RestJson1 => &rest_json::RestJson1,
        ProtocolKind::AwsJson1_0 => &aws_json::AwsJson::V1_0,
        ProtocolKind::AwsJson1_1 => &aws_json::AwsJson::V1_1,
        ProtocolKind::RpcV2Cbor => &rpc_v2::RpcV2::Cbor,
        ProtocolKind::RpcV2Json => &rpc_v2::RpcV2::Json,
        ProtocolKind::RestXml => &rest_xml::RestXml,
        ProtocolKind::AwsQuery => &query::Query::Aws,
        ProtocolKind::Ec2Query => &query::Query::Ec2,
        ProtocolKind::JsonRpc2 => &json_rpc::JsonRpc,
    }
}

/// The whole `protocol` module.
pub fn module(plan: &Plan<'_>) -> TokenStream {
    let protocol = for_kind(plan.protocol());
    let ops = plan
        .operations
        .iter()
        .map(|op| operation(plan, protocol, op));
    let readers = plan.errors().into_iter().map(|e| {
        let f = read_error_fn(e);
        let ty = paths::named(plan, e.id, Scope::Sibling);
        let reader = protocol.read_error(plan, e);
        // The service's message, however it cased the member, fills the
        // modeled message member the body left empty.
        let fill = e.error.as_ref().and_then(|i| i.message).map(|i| {
            let field = &e.members[i].field;
            quote!(rt::fill_message(&mut error.#field, body);)
        });
        let response = param("response", reader.uses_response);
        let body = param("body", reader.uses_body || fill.is_some());
        // A reader with statements gets a function of its own, so that its
        // `?`s return from it; the outer function then uses both parameters.
        let (read_fn, read, response, body) = if reader.expression {
            (TokenStream::new(), reader.tokens, response, body)
        } else {
            let tokens = reader.tokens;
            let allow = allow_deprecated(e.uses_deprecated);
            let read_fn = quote! {
                #allow
                fn read(#response: &HttpResponse, #body: &rt::Value) -> Result<#ty, rt::DeError> {
                    #tokens
                }
            };
            let (response, body) = (format_ident!("response"), format_ident!("body"));
            (read_fn, quote!(read(#response, #body)), response, body)
        };
        let read = match fill {
            Some(fill) => quote! {
                let mut result = #read;
                if let Ok(error) = &mut result {
                    #fill
                }
            },
            None => quote!(let result = #read;),
        };
        let code = protocol.wire_code(e);
        let retry = match e.error.as_ref().map_or(Retry::NotModeled, |i| i.retry) {
            Retry::NotModeled => quote!(NotModeled),
            Retry::Retryable => quote!(Retryable),
            Retry::Throttling => quote!(Throttling),
        };
        let doc = format!(" Reads a modeled `{}` error.", e.name);
        let allow = allow_deprecated(e.uses_deprecated);
        quote! {
            #[doc = #doc]
            #allow
            fn #f(
                #response: &HttpResponse,
                #body: &rt::Value,
                status: ErrorStatus,
            ) -> Result<ModeledError<#ty>, ResponseError> {
                #read_fn
                #read
                pipeline::modeled(result, #code, status, Retry::#retry)
            }
        }
    });
    let doc = format!(
        " The `{}` protocol: each operation's request serializer and response deserializer.",
        plan.protocol().trait_id()
    );
    let codec = format_ident!("{}", protocol.runtime_codec());
    let streaming_import = plan
        .operations
        .iter()
        .any(|op| plan.streaming_output(op).is_some())
        .then(|| quote!(, StreamingResponse));
    let (event_import, events) = match protocol
        .events()
        .filter(|_| plan.event_streams().next().is_some())
    {
        Some(settings) => {
            let codecs = event_stream::codecs(plan, settings);
            let wire = event_stream::uses_wire(plan).then(|| quote!(, wire));
            (
                quote!(use tinsmith_runtime::eventstream::{EventCodec, Message, StreamEnd #wire};),
                codecs,
            )
        }
        None => (TokenStream::new(), TokenStream::new()),
    };
    let error_import = (!plan.errors().is_empty()).then(|| {
        quote! {
            use tinsmith_runtime::error::{ErrorStatus, ModeledError, ResponseError, Retry};
            use tinsmith_runtime::pipeline;
        }
    });
    let error_extras = protocol.error_extras();
    // Every operation reads its errors with it.
    let error_status = (!plan.operations.is_empty()).then(|| quote! {
        /// The status of an error response: its `code`, and the message,
        /// request id and metadata its head and `body` carry.
        fn error_status(response: &HttpResponse, body: &rt::Value, code: Option<&str>) -> tinsmith_runtime::ErrorStatus {
            binding::error_status(
                response,
                code,
                rt::error_message(body),
                rt::error_request_id(body),
                #error_extras,
            )
        }
    });
    quote! {
        #![doc = #doc]

        use tinsmith_runtime::__private::http::Method;
        use tinsmith_runtime::binding;
        use tinsmith_runtime::error::ConstructionError;
        use tinsmith_runtime::#codec as rt;
        use tinsmith_runtime::pipeline::ParseError;
        use tinsmith_runtime::transport::{HttpRequest, HttpResponse #streaming_import};
        use tinsmith_runtime::UnhandledError;
        #error_import
        #event_import

        #error_status

        #(#ops)*
        #(#readers)*
        #events
    }
}

/// The reader of a modeled error: `read_<error>_error`.
fn read_error_fn(error: &Structure<'_>) -> Ident {
    format_ident!("read_{}_error", error.stem)
}

fn operation(plan: &Plan<'_>, protocol: &dyn Protocol, op: &Operation<'_>) -> TokenStream {
    let request = protocol.request(plan, op);
    let (de, read_fn) = (&op.fns.de, &op.fns.read);
    let output = paths::io(plan, op.output);
    let error = &op.error_enum;
    let doc = format!(
        " Reads the response of `{}`: its output, or its error.",
        op.name
    );
    let dispatch = error_dispatch(plan, protocol, op);
    let allow = allow_deprecated(op.uses_deprecated);
    if plan.streaming_output(op).is_some() {
        let read = protocol.read_output(plan, op).tokens;
        let read_doc = format!(
            " Reads the head of a successful `{}` response; its body stays streaming.",
            op.name
        );
        let finish = protocol.initial_response(plan, op).map(|body| {
            let f = &op.fns.finish;
            let doc = format!(
                " Completes a `{}` output from its stream's `initial-response` event, when the service sends one.",
                op.name
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
            #allow
            pub(super) fn #de(mut response: StreamingResponse) -> Result<#output, ParseError<super::error::#error>> {
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
    let success = if op.output.is_none() {
        quote!(Ok(()))
    } else {
        // In a closure, so that its `?`s end the reading, not the function.
        let read = protocol.read_output(plan, op).tokens;
        quote!(binding::read_output(response, || -> Result<_, rt::DeError> { #read }))
    };
    let error_fn = &op.fns.error;
    let failed = protocol.failed();
    quote! {
        #request

        #[doc = #doc]
        #allow
        pub(super) fn #de(response: &HttpResponse) -> Result<#output, ParseError<super::error::#error>> {
            if #failed {
                return Err(#error_fn(response));
            }
            #success
        }

        #dispatch
    }
}

/// Turns an error response into the operation's error: the error type from
/// the response picks a modeled variant, anything else is `Unhandled`.
fn error_dispatch(plan: &Plan<'_>, protocol: &dyn Protocol, op: &Operation<'_>) -> TokenStream {
    let error = &op.error_enum;
    let error_fn = &op.fns.error;
    let arms = op.errors.iter().map(|e| {
        let shape = plan.structure(e.id);
        let code = protocol.wire_code(shape);
        let variant = &e.variant;
        let read = read_error_fn(shape);
        quote! {
            Some(#code) => #read(response, &body, status).map(E::#variant),
        }
    });
    let fallback = protocol.status_fallback(plan, op);
    let error_code = protocol.error_code();
    let error_body = protocol.error_body();
    let code = if fallback.is_empty() {
        quote!(let code = #error_code;)
    } else {
        let statuses = fallback.iter().map(|(s, _)| Literal::u16_unsuffixed(*s));
        let codes = fallback.iter().map(|(_, c)| c);
        quote! {
            let code = #error_code.or_else(|| match response.status().as_u16() {
                #(#statuses => Some(String::from(#codes)),)*
                _ => None,
            });
        }
    };
    let dispatch = if op.errors.is_empty() {
        quote!(ParseError::Service(Box::new(E::Unhandled(
            UnhandledError::new(status)
        ))))
    } else {
        quote! {
            pipeline::service_error(match code.as_deref() {
                #(#arms)*
                _ => Ok(E::Unhandled(UnhandledError::new(status))),
            })
        }
    };
    let doc = format!(" Reads an error response of `{}`.", op.name);
    // Streaming operations read errors separately from their output.
    let vis = plan
        .streaming_output(op)
        .is_some()
        .then(|| quote!(pub(super)));
    quote! {
        #[doc = #doc]
        #vis fn #error_fn(response: &HttpResponse) -> ParseError<super::error::#error> {
            use super::error::#error as E;
            let body = #error_body;
            #code
            let status = error_status(response, &body, code.as_deref());
            #dispatch
        }
    }
}

/// Statements that set the request's host prefix from `@endpoint(hostPrefix)`,
/// filling `{label}`s from the input's `@hostLabel` members; empty when the
/// operation has no host prefix.
pub fn host_prefix(op: &Operation<'_>) -> TokenStream {
    let Some(segments) = &op.host_prefix else {
        return TokenStream::new();
    };
    let mut format = String::new();
    let mut labels = TokenStream::new();
    for segment in segments {
        match segment {
            HostSegment::Literal(text) => {
                format.push_str(&text.replace('{', "{{").replace('}', "}}"))
            }
            HostSegment::Label { name, var, field } => {
                format.push_str(&format!("{{{var}}}"));
                // Strings and string enums both have `as_str`.
                labels.extend(match field {
                    Some((field, true)) => quote! {
                        let #var = binding::host_label(#name, match &input.#field {
                            Some(value) => value.as_str(),
                            None => "",
                        })?;
                    },
                    Some((field, false)) => {
                        quote!(let #var = binding::host_label(#name, input.#field.as_str())?;)
                    }
                    None => quote!(let #var = binding::host_label(#name, "")?;),
                });
            }
        }
    }
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
pub fn body_traits(op: &Operation<'_>) -> TokenStream {
    let mut out = TokenStream::new();
    if !op.compression.is_empty() {
        let encodings = &op.compression;
        out.extend(quote!(parts.compress(&[#(#encodings),*], binding::MIN_COMPRESSION_SIZE)?;));
    }
    if op.checksum_required {
        out.extend(quote!(parts.content_md5()?;));
    }
    out
}

/// `x-amzn-query-mode: true` for services migrated from awsQuery
/// (`@awsQueryCompatible`), which then answer with their old error codes.
pub fn query_mode_header(plan: &Plan<'_>) -> TokenStream {
    if plan.service().query_compatible {
        quote!(parts.header("x-amzn-query-mode", "true")?;)
    } else {
        TokenStream::new()
    }
}
