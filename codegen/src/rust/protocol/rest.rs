//! What the REST protocols (restJson1, restXml) share: operations bound to
//! HTTP by the `@http` trait, members bound to labels, query parameters,
//! headers, the status code or the payload by the HTTP binding traits
//! (spec: "HTTP protocol bindings"), and everything else in a document
//! body, whose format ([`Body`]) is the one thing the protocols differ in.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::super::codec::Needs;
use super::super::event_stream;
use super::super::paths::{self, Scope};
use super::super::plan::{
    HttpBinding, HttpMethod, Member, MemberKind, Operation, Plan, Segment, Structure, Ty,
};
use super::super::types::allow_deprecated;
use super::Reader;
use super::http::{TextIn, is_http_date, label_var, to_text};

/// Where the body members of a structure are read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodySource {
    /// `response.body()`, whose root holds the members.
    Response,
    /// `response.body()`, whose root is the one member itself
    /// (`@s3UnwrappedXmlOutput`).
    UnwrappedResponse,
    /// `body`, the already parsed body of an error response.
    Error,
}

/// The document format of a REST protocol's bodies.
pub trait Body {
    /// Statements that set the body from `members` (the input's members
    /// bound to the body, at least one) of `input`, a reference to `shape`.
    fn request_body(
        &self,
        plan: &Plan<'_>,
        shape: &Structure<'_>,
        members: &[&Member<'_>],
    ) -> TokenStream;

    /// Statements that set the body from a structure, union or other
    /// document `@httpPayload` member of `input`.
    fn request_payload(&self, plan: &Plan<'_>, member: &Member<'_>) -> TokenStream;

    /// Statements that set a response's body from a structure, union or
    /// other document `@httpPayload` member of `input`: as a request's,
    /// except that an unset payload is no body at all.
    fn response_payload(&self, plan: &Plan<'_>, member: &Member<'_>) -> TokenStream {
        self.request_payload(plan, member)
    }

    /// Statements that read `members` from the body into `builder`.
    fn read_body(&self, plan: &Plan<'_>, members: &[&Member<'_>], from: BodySource) -> TokenStream;

    /// An expression of the member's type (with `?` on `rt::DeError`): a
    /// structure, union or other document `@httpPayload` member read from
    /// the non-empty `response.body()`.
    fn read_payload(&self, plan: &Plan<'_>, member: &Member<'_>) -> TokenStream;

    /// The codec module, given what it must serialize and deserialize.
    fn codec_module(&self, plan: &Plan<'_>, needs: &Needs) -> (&'static str, TokenStream);
}

/// `if let Some(value) = &input.field { body }`, or the plain value for
/// members that are never absent.
pub fn with_value(member: &Member<'_>, body: TokenStream) -> TokenStream {
    let field = &member.field;
    if member.optional {
        quote! { if let Some(value) = &input.#field { #body } }
    } else {
        quote! { { let value = &input.#field; #body } }
    }
}

/// Statements that put one input member into the request's query, headers
/// or body.
fn request_member(plan: &Plan<'_>, body: &dyn Body, member: &Member<'_>) -> TokenStream {
    match &member.http {
        HttpBinding::Query(name) => {
            let body = match &member.ty {
                Ty::List { item, .. } => {
                    let text = to_text(item, quote!(item), TextIn::UriOrQuery);
                    quote! { for item in value { parts.query(#name, #text); } }
                }
                ty => {
                    let text = to_text(ty, quote!(value), TextIn::UriOrQuery);
                    quote! { parts.query(#name, #text); }
                }
            };
            with_value(member, body)
        }
        HttpBinding::QueryParams => {
            let body = match &member.ty {
                Ty::Map { value, .. } if matches!(**value, Ty::List { .. }) => {
                    let Ty::List { item, .. } = &**value else {
                        unreachable!()
                    };
                    let text = to_text(item, quote!(item), TextIn::UriOrQuery);
                    quote! {
                        for (key, items) in value {
                            if parts.has_query(key) {
                                continue;
                            }
                            for item in items {
                                parts.query(key, #text);
                            }
                        }
                    }
                }
                _ => quote! {
                    for (key, value) in value {
                        if !parts.has_query(key) {
                            parts.query(key, value.as_str());
                        }
                    }
                },
            };
            with_value(member, body)
        }
        HttpBinding::Header(name) => {
            let body = match &member.ty {
                Ty::List { item, .. } => {
                    let text = to_text(item, quote!(item), TextIn::Header);
                    let joined = if is_http_date(item, TextIn::Header) {
                        quote!(items.join(", "))
                    } else {
                        quote!(binding::fmt_header_list(&items))
                    };
                    // An empty list is sent as an empty header.
                    quote! {
                        let mut items = Vec::with_capacity(value.len());
                        for item in value {
                            items.push(#text);
                        }
                        parts.header(#name, #joined)?;
                    }
                }
                ty => {
                    let text = to_text(ty, quote!(value), TextIn::Header);
                    quote! { parts.header(#name, #text)?; }
                }
            };
            with_value(member, body)
        }
        HttpBinding::PrefixHeaders(prefix) => with_value(
            member,
            quote! {
                for (key, value) in value {
                    parts.header(&[#prefix, key.as_str()].concat(), value)?;
                }
            },
        ),
        HttpBinding::Payload => payload(plan, body, member),
        HttpBinding::Label | HttpBinding::ResponseCode | HttpBinding::Body => TokenStream::new(),
    }
}

/// Statements that make the `@httpPayload` member the request body.
fn payload(plan: &Plan<'_>, body: &dyn Body, member: &Member<'_>) -> TokenStream {
    let field = &member.field;
    match &member.kind {
        MemberKind::Events { union, .. } => {
            let codec = plan.event_codec(union);
            return quote! {
                parts.streaming_body(
                    tinsmith_runtime::eventstream::CONTENT_TYPE,
                    input.#field.take_body(#codec, None),
                    binding::BodyLength::Any,
                )?;
            };
        }
        MemberKind::ByteStream { requires_length } => {
            let content_type = match &member.ty {
                Ty::Blob { media_type } => media_type.unwrap_or("application/octet-stream"),
                _ => "application/octet-stream",
            };
            let length = if *requires_length {
                quote!(binding::BodyLength::Required)
            } else {
                quote!(binding::BodyLength::Any)
            };
            return quote! {
                parts.streaming_body(#content_type, input.#field.take_for_attempt(), #length)?;
            };
        }
        MemberKind::Value { .. } => {}
    }
    let (content_type, bytes) = match &member.ty {
        Ty::Blob { media_type } => (
            media_type.unwrap_or("application/octet-stream"),
            quote!(value.as_bytes().to_vec()),
        ),
        Ty::String { media_type } => (media_type.unwrap_or("text/plain"), quote!(value.clone())),
        Ty::Enum(_) => ("text/plain", quote!(value.as_str().to_owned())),
        _ => return body.request_payload(plan, member),
    };
    with_value(member, quote! { parts.body(#content_type, #bytes)?; })
}

/// Statements that read `shape`'s bound members from `response` into
/// `builder`. Body members come from `body` (a `&rt::Value`), parsed here
/// when `parse_body` is set.
fn read_members(
    plan: &Plan<'_>,
    body: &dyn Body,
    shape: &Structure<'_>,
    from: BodySource,
) -> Reader {
    let parse_body = from != BodySource::Error;
    let mut stmts = TokenStream::new();
    let mut body_members = Vec::new();
    for member in &shape.members {
        let setter = &member.setter;
        match &member.http {
            HttpBinding::Header(header) => {
                let header = header.to_ascii_lowercase();
                let value = header_value(plan, member, false);
                stmts.extend(quote! {
                    if let Some(text) = binding::header(response, #header)? {
                        builder = builder.#setter(#value);
                    }
                });
            }
            HttpBinding::PrefixHeaders(prefix) => {
                let headers = prefix_headers_value(plan, member);
                // Present, and empty when no header has the prefix (as the
                // restXml suite's `HttpPrefixHeadersAreNotPresent` reads it).
                stmts.extend(quote! {
                    let headers = binding::prefix_headers(response, #prefix)?;
                    builder = builder.#setter(#headers);
                });
            }
            HttpBinding::ResponseCode => stmts.extend(quote! {
                builder = builder.#setter(i32::from(response.status().as_u16()));
            }),
            HttpBinding::Payload => stmts.extend(read_payload(plan, body, member)),
            // Request-only bindings mean nothing in a response: such
            // members travel in the body there.
            HttpBinding::Label
            | HttpBinding::Query(_)
            | HttpBinding::QueryParams
            | HttpBinding::Body => body_members.push(member),
        }
    }
    if !body_members.is_empty() {
        stmts.extend(body.read_body(plan, &body_members, from));
    }
    let ty = paths::named(plan, shape.id, Scope::Sibling);
    let reads_body = !body_members.is_empty();
    let reads_response = shape.members.iter().any(|m| m.http.in_response());
    let on_error = quote!(|e| e.to_string());
    let expression = stmts.is_empty();
    let tokens = if expression {
        crate::rust::types::built(shape, quote!(#ty::builder()), on_error)
    } else {
        let built = crate::rust::types::built(shape, quote!(builder), on_error);
        quote! {
            let mut builder = #ty::builder();
            #stmts
            #built
        }
    };
    Reader {
        tokens,
        uses_response: reads_response || (parse_body && reads_body),
        uses_body: !parse_body && reads_body,
        expression,
    }
}

/// The value of a `@httpHeader` member, from `text` (a `String` holding
/// the header's value); uses `?` with `rt::DeError`. `strict` reads as a
/// server reads a request.
pub fn header_value(plan: &Plan<'_>, member: &Member<'_>, strict: bool) -> TokenStream {
    let name = member.name;
    let from_text = |ty: &Ty<'_>, text: TokenStream, place: TextIn| {
        super::http::from_text(plan, ty, text, place, strict)
    };
    match &member.ty {
        Ty::List { item, .. } => {
            let parsed = from_text(item, quote!(item.as_str()), TextIn::Header);
            let split = if is_http_date(item, TextIn::Header) {
                quote!(binding::split_http_dates(&text))
            } else {
                quote!(binding::split_header_list(&text))
            };
            let parse = parsed.expr;
            if parsed.fallible {
                quote!(#split.iter().map(|item| #parse).collect::<Result<Vec<_>, _>>().map_err(|e| rt::at(#name, e))?)
            } else {
                quote!(#split.iter().map(|item| #parse).collect::<Vec<_>>())
            }
        }
        Ty::String { media_type: None } => quote!(text),
        ty => {
            let parsed = from_text(ty, quote!(text.as_str()), TextIn::Header);
            let parse = parsed.expr;
            if parsed.fallible {
                quote!(#parse.map_err(|e| rt::at(#name, e))?)
            } else {
                parse
            }
        }
    }
}

/// The value of a `@httpPrefixHeaders` member, from `headers` (a
/// `HashMap<String, String>` of the headers with the prefix).
pub fn prefix_headers_value(plan: &Plan<'_>, member: &Member<'_>) -> TokenStream {
    match &member.ty {
        Ty::Map { value, .. } if matches!(**value, Ty::Enum(_)) => {
            let value = paths::ty(plan, value, Scope::Sibling);
            quote! {
                headers
                    .into_iter()
                    .map(|(key, text)| (key, #value::from(text.as_str())))
                    .collect::<std::collections::HashMap<_, _>>()
            }
        }
        _ => quote!(headers),
    }
}

/// Statements that put a response's members into `parts` (a server's
/// `ResponseParts`) from `input` (a reference to the output or error):
/// headers, the status code, and the payload or the body document.
pub fn response_members(plan: &Plan<'_>, body: &dyn Body, shape: &Structure<'_>) -> TokenStream {
    let mut stmts = TokenStream::new();
    let mut body_members = Vec::new();
    for member in &shape.members {
        match &member.http {
            HttpBinding::Payload
                if !member.kind.is_streaming()
                    && !matches!(member.ty, Ty::Blob { .. } | Ty::String { .. } | Ty::Enum(_)) =>
            {
                stmts.extend(body.response_payload(plan, member));
            }
            HttpBinding::Header(_) | HttpBinding::PrefixHeaders(_) | HttpBinding::Payload => {
                stmts.extend(request_member(plan, body, member));
            }
            HttpBinding::ResponseCode => {
                let code = match member.ty {
                    Ty::IntEnum(_) => quote!(value.value()),
                    _ => quote!(*value),
                };
                stmts.extend(with_value(member, quote! { parts.status(#code)?; }));
            }
            // Request-only bindings put a member in the body of a response.
            HttpBinding::Label
            | HttpBinding::Query(_)
            | HttpBinding::QueryParams
            | HttpBinding::Body => body_members.push(member),
        }
    }
    if !body_members.is_empty() {
        stmts.extend(body.request_body(plan, shape, &body_members));
    }
    stmts
}

/// Statements that read the `@httpPayload` member from the response.
fn read_payload(plan: &Plan<'_>, body: &dyn Body, member: &Member<'_>) -> TokenStream {
    let setter = &member.setter;
    match &member.kind {
        MemberKind::Events { union, .. } => {
            let codec = plan.event_codec(union);
            return quote! {
                builder = builder.#setter(tinsmith_runtime::eventstream::EventStream::new(
                    std::mem::take(response.body_mut()),
                    #codec,
                ));
            };
        }
        MemberKind::ByteStream { .. } => {
            return quote! {
                builder = builder.#setter(std::mem::take(response.body_mut()));
            };
        }
        MemberKind::Value { .. } => {}
    }
    let value = match &member.ty {
        Ty::Blob { .. } => quote!(tinsmith_runtime::Blob::new(response.body().to_vec())),
        Ty::Enum(_) => {
            let rust = paths::ty(plan, &member.ty, Scope::Sibling);
            quote!(#rust::from(binding::body_text(response)?.as_str()))
        }
        Ty::String { .. } => quote!(binding::body_text(response)?),
        _ => body.read_payload(plan, member),
    };
    quote! {
        if !response.body().is_empty() {
            builder = builder.#setter(#value);
        }
    }
}

/// The path of the request: each label is encoded into a local first,
/// then the path is formatted from them.
fn path(op: &Operation<'_>, input: Option<&Structure<'_>>) -> (TokenStream, TokenStream) {
    let Some(http) = &op.http else {
        return (TokenStream::new(), quote!(String::from("/")));
    };
    let mut labels = TokenStream::new();
    let mut path = String::new();
    for segment in &http.uri.segments {
        path.push('/');
        match segment {
            Segment::Literal(text) => path.push_str(&text.replace('{', "{{").replace('}', "}}")),
            Segment::Label { name, greedy } => {
                let encode = if *greedy {
                    quote!(binding::greedy_label)
                } else {
                    quote!(binding::label)
                };
                let Some(member) = input.and_then(|s| s.member(name)) else {
                    // A label without a member cannot be filled.
                    let var = quote::format_ident!("label_{}", super::super::names::snake(name));
                    path.push_str(&format!("{{{var}}}"));
                    labels.extend(quote! { let #var = #encode(#name, "")?; });
                    continue;
                };
                let var = label_var(&member.field);
                path.push_str(&format!("{{{var}}}"));
                let text = to_text(&member.ty, quote!(value), TextIn::UriOrQuery);
                let field = &member.field;
                let missing = format!("`{name}` is required: it is part of the request path");
                labels.extend(if member.optional {
                    quote! {
                        let #var = match &input.#field {
                            Some(value) => #encode(#name, #text)?,
                            None => return Err(ConstructionError::new(#missing)),
                        };
                    }
                } else {
                    quote! {
                        let #var = {
                            let value = &input.#field;
                            #encode(#name, #text)?
                        };
                    }
                });
            }
        }
    }
    if path.is_empty() || http.uri.trailing_slash {
        path.push('/');
    }
    let path = if labels.is_empty() {
        quote!(String::from(#path))
    } else {
        quote!(format!(#path))
    };
    (labels, path)
}

/// The serializer of an operation: path, method, query, headers, and the
/// body in `body`'s format.
pub fn request(plan: &Plan<'_>, body: &dyn Body, op: &Operation<'_>) -> TokenStream {
    let f = &op.fns.ser;
    let input_ty = paths::io(plan, op.input);
    let shape = plan.input(op);
    let (labels, path) = path(op, shape);
    let method = match op.http.as_ref().map(|h| &h.method) {
        Some(HttpMethod::Standard(m)) => quote!(Method::#m),
        Some(HttpMethod::Extension(m)) => quote! {
            Method::from_bytes(#m.as_bytes()).map_err(|e| ConstructionError::with_source("invalid HTTP method", e))?
        },
        None => quote!(Method::POST),
    };
    let mut stmts = TokenStream::new();
    for (key, value) in op.http.iter().flat_map(|h| &h.uri.query) {
        stmts.extend(match value {
            Some(v) => quote! { parts.query(#key, #v); },
            None => quote! { parts.query_flag(#key); },
        });
    }
    if let Some(shape) = shape {
        // `@httpQuery` before `@httpQueryParams`, which never overrides it.
        let mut members: Vec<&Member<'_>> = shape.members.iter().collect();
        members.sort_by_key(|m| matches!(m.http, HttpBinding::QueryParams));
        let body_members: Vec<&Member<'_>> = members
            .iter()
            .copied()
            .filter(|m| m.http == HttpBinding::Body)
            .collect();
        for member in members {
            stmts.extend(request_member(plan, body, member));
        }
        if !body_members.is_empty() {
            stmts.extend(body.request_body(plan, shape, &body_members));
        }
    }
    stmts.extend(super::host_prefix(op));
    stmts.extend(super::body_traits(op));
    let uses_input =
        !labels.is_empty() || !stmts.is_empty() && shape.is_some_and(|s| !s.members.is_empty());
    let input = if uses_input {
        quote!(input)
    } else {
        quote!(_input)
    };
    let parts = if stmts.is_empty() {
        quote!(let parts)
    } else {
        quote!(let mut parts)
    };
    let doc = format!(" Builds the HTTP request of `{}`.", op.name);
    let allow = allow_deprecated(op.uses_deprecated);
    // A streamed body is taken from the input (or copied, when it can
    // be sent again) for each attempt.
    let input_ref = if plan.streaming_input(op).is_some() {
        quote!(&mut #input_ty)
    } else {
        quote!(&#input_ty)
    };
    quote! {
        #[doc = #doc]
        #allow
        pub(super) fn #f(#input: #input_ref, endpoint: &str) -> Result<HttpRequest, ConstructionError> {
            #labels
            #parts = binding::RequestParts::new(#method, #path);
            #stmts
            parts.build(endpoint)
        }
    }
}

/// Reads the output: bound members from the head, the rest from the body.
pub fn read_output(plan: &Plan<'_>, body: &dyn Body, op: &Operation<'_>) -> Reader {
    match plan.output(op) {
        Some(shape) => {
            let from = if op.unwrapped_output {
                BodySource::UnwrappedResponse
            } else {
                BodySource::Response
            };
            read_members(plan, body, shape, from)
        }
        None => Reader::unit(),
    }
}

/// Reads a modeled error: bound members from the head, the rest from the
/// parsed error body.
pub fn read_error(plan: &Plan<'_>, body: &dyn Body, error: &Structure<'_>) -> Reader {
    read_members(plan, body, error, BodySource::Error)
}

/// Error codes by `@httpError` status, for responses that name no error:
/// each status that exactly one of the operation's errors has.
pub fn status_fallback<'p>(plan: &'p Plan<'_>, op: &Operation<'_>) -> Vec<(u16, &'p str)> {
    let mut by_status: BTreeMap<u16, Vec<&'p str>> = BTreeMap::new();
    for e in &op.errors {
        let shape = plan.structure(e.id);
        if let Some(info) = &shape.error
            && let Some(status) = info.http_status
        {
            by_status.entry(status).or_default().push(info.code);
        }
    }
    by_status
        .into_iter()
        .filter(|(_, codes)| codes.len() == 1)
        .map(|(status, codes)| (status, codes[0]))
        .collect()
}

/// The codec module: what the bodies, payloads and events of every
/// operation send and receive.
pub fn support_files(plan: &Plan<'_>, body: &dyn Body) -> Vec<(&'static str, TokenStream)> {
    let mut needs = Needs::default();
    for op in &plan.operations {
        for m in plan.input(op).iter().flat_map(|s| &s.members) {
            if matches!(m.http, HttpBinding::Body | HttpBinding::Payload) && !m.kind.is_streaming()
            {
                needs.add_ser_ty(plan, &m.ty);
            }
        }
        let received = op
            .errors
            .iter()
            .map(|e| plan.structure(e.id))
            .chain(plan.output(op));
        for shape in received {
            // Request-only bindings travel in the body of a response.
            for m in &shape.members {
                let read = !matches!(
                    m.http,
                    HttpBinding::Header(_)
                        | HttpBinding::PrefixHeaders(_)
                        | HttpBinding::ResponseCode
                );
                if read && !m.kind.is_streaming() {
                    needs.add_de_ty(plan, &m.ty);
                }
            }
        }
    }
    if plan.server.is_some() {
        add_server_needs(plan, &mut needs);
    }
    event_stream::add_needs(plan, &mut needs);
    if needs.is_empty() {
        return Vec::new();
    }
    vec![body.codec_module(plan, &needs)]
}

/// What a server reads (the bodies and payloads of inputs) and writes
/// (those of outputs and errors).
fn add_server_needs(plan: &Plan<'_>, needs: &mut Needs) {
    for op in &plan.operations {
        for m in plan.input(op).iter().flat_map(|s| s.document_members()) {
            if matches!(m.http, HttpBinding::Body | HttpBinding::Payload) {
                needs.add_strict_de_ty(plan, &m.ty);
            }
        }
        let sent = op
            .errors
            .iter()
            .map(|e| plan.structure(e.id))
            .chain(plan.output(op));
        for shape in sent {
            for m in shape.document_members() {
                if !matches!(
                    m.http,
                    HttpBinding::Header(_)
                        | HttpBinding::PrefixHeaders(_)
                        | HttpBinding::ResponseCode
                ) {
                    needs.add_ser_ty(plan, &m.ty);
                }
            }
        }
    }
}
