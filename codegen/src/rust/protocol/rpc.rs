//! What the RPC protocols (awsJson1_0/1_1, rpcv2Cbor, rpcv2Json) share: the
//! whole input is one document, and so is the whole output or error. An
//! event stream is the whole body instead, and the other members travel as
//! its `initial-request` / `initial-response` event (spec: "Streaming",
//! initial messages), encoded as the protocol's documents.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::codec::{self, CodecSettings, Needs};
use super::super::event_stream::{self, EventDocuments, EventSettings};
use super::super::paths;
use super::super::plan::{MemberKind, Operation, Plan, Structure, Ty};
use super::super::types::allow_deprecated;
use super::Reader;

/// How an RPC protocol encodes its documents.
#[derive(Debug, Clone, Copy)]
pub struct Documents {
    /// The codec.
    pub settings: CodecSettings,
    /// The `Content-Type` of a document body (and of an initial message).
    pub content_type: &'static str,
    /// What a request of an operation without input carries.
    pub unit_input: UnitInput,
}

/// The body of a request for an operation whose input is `Unit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitInput {
    /// An empty object (awsJson).
    EmptyObject,
    /// No body and no `Content-Type` (rpcv2Cbor, rpcv2Json).
    NoBody,
}

impl Documents {
    /// The event framing of these documents.
    pub fn events(self) -> EventSettings {
        EventSettings {
            codec: EventDocuments::Values(self.settings),
            document_content_type: self.content_type,
        }
    }
}

/// Where an RPC request goes and what identifies its operation.
pub struct Route {
    /// The path.
    pub path: String,
    /// Headers every request of the protocol carries.
    pub headers: Vec<(&'static str, String)>,
}

/// The codec constant of an event-stream member.
pub(super) fn codec_const<'p>(
    plan: &'p Plan<'_>,
    kind: &MemberKind<'_>,
) -> Option<&'p proc_macro2::Ident> {
    match kind {
        MemberKind::Events { union, .. } => Some(plan.event_codec(union)),
        _ => None,
    }
}

/// The serializer of an RPC operation: a `POST` to the route with the input
/// as the body (or, beside an input event stream, as its `initial-request`),
/// then what every protocol adds (`x-amzn-query-mode`, compression,
/// checksum, host prefix).
pub fn request(plan: &Plan<'_>, op: &Operation<'_>, docs: Documents, route: Route) -> TokenStream {
    let settings = docs.settings;
    let content_type = docs.content_type;
    let input_ty = paths::io(plan, op.input);
    let (input, document) = match op.input {
        None => (quote!(_input), None),
        Some(id) => (
            quote!(input),
            Some(codec::ser_expr(
                plan,
                settings,
                &Ty::Structure(id),
                quote!(input),
            )),
        ),
    };
    let stream = plan
        .streaming_input(op)
        .and_then(|m| Some((&m.field, codec_const(plan, &m.kind)?)));
    let (input_type, body) = match (stream, document) {
        (Some((field, codec)), document) => {
            let document = document.unwrap_or_else(|| quote!(rt::object(rt::Map::new())));
            (
                quote!(&mut #input_ty),
                streamed_input(
                    (field, codec),
                    content_type,
                    quote!(rt::to_body(&#document)),
                ),
            )
        }
        (None, Some(document)) => (
            quote!(&#input_ty),
            quote!(parts.body(#content_type, rt::to_body(&#document))?;),
        ),
        (None, None) => (
            quote!(&#input_ty),
            match docs.unit_input {
                UnitInput::EmptyObject => {
                    quote!(parts.body(#content_type, rt::to_body(&rt::object(rt::Map::new())))?;)
                }
                UnitInput::NoBody => TokenStream::new(),
            },
        ),
    };
    let f = &op.fns.ser;
    let Route { path, headers } = route;
    let (names, values): (Vec<_>, Vec<_>) = headers.into_iter().unzip();
    let host_prefix = super::host_prefix(op);
    let body_traits = super::body_traits(op);
    let query_mode = super::query_mode_header(plan);
    let doc = format!(" Builds the HTTP request of `{}`.", op.name);
    let allow = allow_deprecated(op.uses_deprecated);
    quote! {
        #[doc = #doc]
        #allow
        pub(super) fn #f(#input: #input_type, endpoint: &str) -> Result<HttpRequest, ConstructionError> {
            let mut parts = binding::RequestParts::new(Method::POST, String::from(#path));
            #(parts.header(#names, #values)?;)*
            #query_mode
            #body
            #body_traits
            #host_prefix
            parts.build(endpoint)
        }
    }
}

/// Statements that make the request body an input's event stream, opened
/// by the `initial-request` event whose payload (`payload`, an expression
/// of type `Bytes` with media type `content_type`) carries what else the
/// call sends.
pub(super) fn streamed_input(
    (field, codec): (&proc_macro2::Ident, &proc_macro2::Ident),
    content_type: &str,
    payload: TokenStream,
) -> TokenStream {
    quote! {
        let initial = tinsmith_runtime::eventstream::wire::event(
            "initial-request",
            Some(#content_type),
            #payload,
        );
        let events = input.#field.take_body(#codec, Some(initial));
        parts.streaming_body(tinsmith_runtime::eventstream::CONTENT_TYPE, events, binding::BodyLength::Any)?;
    }
}

/// The `Accept` header of the rpcv2 protocols: the event-stream type for
/// operations whose output is an event stream, else the document type.
pub fn accept(plan: &Plan<'_>, op: &Operation<'_>, docs: Documents) -> (&'static str, String) {
    let events = plan
        .streaming_output(op)
        .is_some_and(|m| matches!(m.kind, MemberKind::Events { .. }));
    let accept = if events {
        "application/vnd.amazon.eventstream"
    } else {
        docs.content_type
    };
    ("accept", String::from(accept))
}

/// Reads the whole output from the response body; for an output event
/// stream, the stream (its other members arrive with `initial-response`,
/// read by [`initial_response`]'s function; until then they are absent and
/// required ones have zero values).
pub fn read_output(plan: &Plan<'_>, docs: Documents, op: &Operation<'_>) -> Reader {
    let settings = docs.settings;
    let Some(output) = op.output else {
        return Reader::unit();
    };
    let stream = plan
        .streaming_output(op)
        .and_then(|m| Some((&m.field, codec_const(plan, &m.kind)?)));
    let Some((field, codec)) = stream else {
        let de = codec::de_expr(plan, settings, &Ty::Structure(output), quote!(&body));
        return Reader {
            tokens: quote! {
                let body = rt::parse_body(response.body())?;
                #de
            },
            uses_response: true,
            uses_body: false,
            expression: false,
        };
    };
    let de = codec::de_expr(
        plan,
        settings,
        &Ty::Structure(output),
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
        expression: false,
    }
}

/// The body of `finish_<op>_output` for an output event stream: reads the
/// other members from the `initial-response` event, when one comes, whose
/// payload `read` (a function `&[u8] -> Result<rt::Value, rt::DeError>`,
/// `rt::parse_body` for a plain document) turns into the output's
/// document.
pub fn initial_response(
    plan: &Plan<'_>,
    (docs, read): (Documents, TokenStream),
    op: &Operation<'_>,
) -> Option<TokenStream> {
    let output = op.output?;
    let member = plan
        .streaming_output(op)
        .filter(|m| matches!(m.kind, MemberKind::Events { .. }))?;
    let field = &member.field;
    let de = codec::de_expr(plan, docs.settings, &Ty::Structure(output), quote!(&value));
    Some(quote! {
        if let Some(message) = output.#field.take_initial("initial-response").await {
            let value = if message.payload().is_empty() {
                rt::object(rt::Map::new())
            } else {
                #read(message.payload())?
            };
            let mut full = #de?;
            full.#field = std::mem::take(&mut output.#field);
            output = full;
        }
        Ok(output)
    })
}

/// Reads a modeled error from the already parsed body.
pub fn read_error(plan: &Plan<'_>, settings: CodecSettings, error: &Structure<'_>) -> Reader {
    Reader {
        tokens: codec::de_expr(plan, settings, &Ty::Structure(error.id), quote!(body)),
        uses_response: false,
        uses_body: true,
        expression: true,
    }
}

/// The codec module: serializers for every input, deserializers for every
/// output and error (and what they contain), and what the event codecs
/// need; none when nothing is needed.
pub fn codec_files(plan: &Plan<'_>, settings: CodecSettings) -> Vec<(&'static str, TokenStream)> {
    let mut needs = Needs::default();
    for op in &plan.operations {
        if let Some(input) = op.input {
            needs.add_ser(plan, input);
        }
        if let Some(output) = op.output {
            needs.add_de(plan, output);
        }
        for e in &op.errors {
            needs.add_de(plan, e.id);
        }
        // A server reads inputs and writes outputs and errors.
        if plan.server.is_some() {
            if let Some(input) = op.input {
                needs.add_strict_de(plan, input);
            }
            if let Some(output) = op.output {
                needs.add_ser(plan, output);
            }
            for e in &op.errors {
                needs.add_ser(plan, e.id);
            }
        }
    }
    event_stream::add_needs(plan, &mut needs);
    if needs.is_empty() {
        return Vec::new();
    }
    vec![(settings.module, codec::module(plan, settings, &needs))]
}
