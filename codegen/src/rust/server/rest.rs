//! What a restJson1 server adds to the shared server module: the route of
//! each operation (its `@http` method and URI pattern, as
//! `tinsmith_runtime::server::rest::Route`s), the reader of each input
//! from the request's labels, query, headers and body, and the writers of
//! outputs and errors into status, headers and body (spec: "HTTP protocol
//! bindings").
//!
//! The writers reuse the client's request emitters
//! ([`rest::response_members`]): a response binds headers, the payload
//! and the body document exactly as a request does, so both ends of the
//! wire are written by one piece of code.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::super::codec::{self, CodecSettings};
use super::super::paths::{self, Scope};
use super::super::plan::{
    HttpBinding, Member, MemberKind, Operation, Plan, Segment, Structure, Ty,
};
use super::super::protocol::http::{Parsed, TextIn};
use super::super::protocol::rest;
use super::super::protocol::rest_json::{Json, SETTINGS};
use super::super::types::{allow_deprecated, built};
use super::{checks, required, write_error_ident};

/// Parses `text` as a server reads a request's labels, query and headers.
fn from_text(plan: &Plan<'_>, ty: &Ty<'_>, text: TokenStream, place: TextIn) -> Parsed {
    super::super::protocol::http::from_text(plan, ty, text, place, true)
}

/// The codec settings a restJson1 server reads bodies with.
fn strict() -> CodecSettings {
    SETTINGS.strict()
}

/// The `ROUTES` constant: every operation's route.
pub fn routes(plan: &Plan<'_>) -> TokenStream {
    let routes = plan.operations.iter().map(|op| {
        let name = op.name;
        let (method, uri) = match &op.http {
            Some(http) => (http.method.as_str(), Some(&http.uri)),
            None => (String::from("POST"), None),
        };
        let segments = uri.iter().flat_map(|u| &u.segments).map(|s| match s {
            Segment::Literal(text) => quote!(Segment::Literal(#text)),
            Segment::Label {
                name,
                greedy: false,
            } => quote!(Segment::Label(#name)),
            Segment::Label { name, greedy: true } => quote!(Segment::Greedy(#name)),
        });
        let query = uri.iter().flat_map(|u| &u.query).map(|(k, v)| match v {
            Some(v) => quote!((#k, Some(#v))),
            None => quote!((#k, None)),
        });
        let streams_input = streams_input(plan, op);
        let request_media = media(plan.input(op), false);
        let head = op
            .http
            .as_ref()
            .is_some_and(|h| h.method.as_str() == "HEAD");
        let response_media = media(plan.output(op), !head);
        quote! {
            Route {
                operation: #name,
                method: #method,
                segments: &[#(#segments),*],
                query: &[#(#query),*],
                streams_input: #streams_input,
                request_media: #request_media,
                response_media: #response_media,
            },
        }
    });
    quote! {
        /// Where each operation is served: its `@http` method and URI pattern.
        const ROUTES: &[Route] = &[#(#routes)*];
    }
}

/// The `Media` of an input's or output's body: what its payload or body
/// members imply (a blob without `@mediaType` takes any); any, when a
/// member is bound to `Content-Type`; JSON for a structure without members
/// (whose body may be `{}`) and for an output without body members
/// (`always_body`: it is answered with `{}`).
fn media(shape: Option<&Structure<'_>>, always_body: bool) -> TokenStream {
    let Some(shape) = shape else {
        return quote!(Media::None);
    };
    let bound = shape.members.iter().any(
        |m| matches!(m.http, HttpBinding::Header(name) if name.eq_ignore_ascii_case("content-type")),
    );
    if bound {
        return quote!(Media::Any);
    }
    let payload = shape
        .members
        .iter()
        .find(|m| m.http == HttpBinding::Payload);
    let has_body = shape.members.iter().any(|m| m.http == HttpBinding::Body);
    if payload.is_some_and(|m| matches!(m.kind, MemberKind::Events { .. })) {
        return quote!(Media::Is("application/vnd.amazon.eventstream"));
    }
    let media = match payload.map(|m| &m.ty) {
        Some(Ty::Blob { media_type: None }) => return quote!(Media::Any),
        Some(Ty::Blob {
            media_type: Some(media_type),
        }) => media_type,
        Some(Ty::String { media_type }) => media_type.unwrap_or("text/plain"),
        Some(Ty::Enum(_)) => "text/plain",
        Some(_) => "application/json",
        None if always_body || has_body || shape.members.is_empty() => "application/json",
        None => return quote!(Media::None),
    };
    // Compared with the essence of what requests send: lower case, no
    // parameters.
    let media = media
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    quote!(Media::Is(#media))
}

/// True when `op`'s input has a `@streaming` payload (a blob or an event
/// stream), read as it arrives.
fn streams_input(plan: &Plan<'_>, op: &Operation<'_>) -> bool {
    plan.streaming_input(op).is_some()
}

/// How an input's body is read: nothing, the members of a JSON object, or
/// one document payload.
#[derive(Clone, Copy, PartialEq, Eq)]
enum BodyKind {
    None,
    Members,
    Payload,
}

fn body_kind(shape: &Structure<'_>) -> BodyKind {
    let mut kind = BodyKind::None;
    for m in &shape.members {
        match m.http {
            HttpBinding::Body => kind = BodyKind::Members,
            // Blobs, strings and enums are the raw body; anything else is
            // a document.
            HttpBinding::Payload
                if matches!(m.kind, MemberKind::Value { .. })
                    && !matches!(m.ty, Ty::Blob { .. } | Ty::String { .. } | Ty::Enum(_)) =>
            {
                return BodyKind::Payload;
            }
            _ => {}
        }
    }
    kind
}

/// The stem of `op`'s server functions (`serve_<stem>`).
fn fn_stem(op: &Operation<'_>) -> String {
    let serve = op.fns.serve.to_string();
    serve.strip_prefix("serve_").unwrap_or(&serve).to_owned()
}

/// The name of the function that reads `op`'s input (no other function
/// of the server module starts with `read_`, nor with `missing_`, the
/// presence check's prefix).
fn read_ident(op: &Operation<'_>) -> Ident {
    format_ident!("read_{}", fn_stem(op))
}

/// A value of `ty` parsed from `text` (a `&str`), with `?` on failure
/// (the error names the member `name`).
fn parsed(plan: &Plan<'_>, ty: &Ty<'_>, text: TokenStream, name: &str) -> TokenStream {
    let parsed = from_text(plan, ty, text, TextIn::UriOrQuery);
    let value = parsed.expr;
    if parsed.fallible {
        quote!(#value.map_err(|e| rt::at(#name, e))?)
    } else {
        value
    }
}

/// `builder = builder.setter(value)`, `value` parsed from `text` (a
/// label's or query parameter's `&str`) with `?` on failure.
fn set_parsed(plan: &Plan<'_>, member: &Member<'_>, text: TokenStream) -> TokenStream {
    let setter = &member.setter;
    let value = parsed(plan, &member.ty, text, member.name);
    quote!(builder = builder.#setter(#value);)
}

/// An expression collecting `items` (an iterator of `&String`) parsed as
/// `item` values into a `Vec`, with `?` on failure.
fn parse_items(plan: &Plan<'_>, item: &Ty<'_>, name: &str, place: TextIn) -> TokenStream {
    let parsed = from_text(plan, item, quote!(item.as_str()), place);
    let parse = parsed.expr;
    if parsed.fallible {
        quote!(items.map(|item| #parse).collect::<Result<Vec<_>, _>>().map_err(|e| rt::at(#name, e))?)
    } else {
        quote!(items.map(|item| #parse).collect::<Vec<_>>())
    }
}

/// Statements reading one input member from `call` into `builder`.
fn read_member(plan: &Plan<'_>, member: &Member<'_>) -> TokenStream {
    let (setter, name) = (&member.setter, member.name);
    match &member.http {
        HttpBinding::Label => {
            let set = set_parsed(plan, member, quote!(text));
            quote! {{
                let text = call.label(#name);
                #set
            }}
        }
        HttpBinding::Query(key) => match &member.ty {
            Ty::List { item, .. } => {
                let items = parse_items(plan, item, name, TextIn::UriOrQuery);
                quote! {
                    let values = call.query_all(#key);
                    if !values.is_empty() {
                        let items = values.iter();
                        builder = builder.#setter(#items);
                    }
                }
            }
            _ => {
                let set = set_parsed(plan, member, quote!(text));
                quote! {
                    if let Some(text) = call.query(#key) {
                        #set
                    }
                }
            }
        },
        HttpBinding::QueryParams => {
            let Ty::Map { value, .. } = &member.ty else {
                return TokenStream::new();
            };
            let collect = match &**value {
                Ty::List { item, .. } => {
                    let parse = parsed(plan, item, quote!(text), name);
                    quote! {
                        let mut params = std::collections::HashMap::<String, Vec<_>>::new();
                        for (key, text) in call.query_params() {
                            params.entry(key.to_owned()).or_default().push(#parse);
                        }
                    }
                }
                ty => {
                    let parse = parsed(plan, ty, quote!(text), name);
                    // The first value of a repeated parameter wins.
                    quote! {
                        let mut params = std::collections::HashMap::new();
                        for (key, text) in call.query_params() {
                            if !params.contains_key(key) {
                                params.insert(key.to_owned(), #parse);
                            }
                        }
                    }
                }
            };
            quote! {
                #collect
                if !params.is_empty() {
                    builder = builder.#setter(params);
                }
            }
        }
        HttpBinding::Header(header) => {
            let header = header.to_ascii_lowercase();
            let value = rest::header_value(plan, member, true);
            quote! {
                if let Some(text) = call.header(#header)? {
                    builder = builder.#setter(#value);
                }
            }
        }
        HttpBinding::PrefixHeaders(prefix) => {
            let headers = rest::prefix_headers_value(plan, member);
            quote! {
                let headers = call.prefix_headers(#prefix)?;
                if !headers.is_empty() {
                    builder = builder.#setter(#headers);
                }
            }
        }
        HttpBinding::Payload if matches!(member.kind, MemberKind::ByteStream { .. }) => {
            quote!(builder = builder.#setter(call.take_stream());)
        }
        HttpBinding::Payload if matches!(member.kind, MemberKind::Events { .. }) => {
            let MemberKind::Events { union, .. } = &member.kind else {
                return TokenStream::new();
            };
            let codec = plan.event_codec(union);
            quote! {
                builder = builder.#setter(tinsmith_runtime::eventstream::EventInput::received(
                    call.take_stream(),
                    #codec,
                ));
            }
        }
        HttpBinding::Payload => {
            let value = match &member.ty {
                Ty::Blob { .. } => quote!(tinsmith_runtime::Blob::new(call.body().to_vec())),
                Ty::Enum(_) => {
                    let rust = paths::ty(plan, &member.ty, Scope::Sibling);
                    quote!(#rust::from(call.body_text()?.as_str()))
                }
                Ty::String { .. } => quote!(call.body_text()?),
                ty => {
                    let de = codec::de_expr(plan, strict(), ty, quote!(body));
                    // Clients send an unset structure payload as `{}`
                    // (the suite's `RestJsonHttpWithEmptyStructurePayload`).
                    let present = if matches!(ty, Ty::Structure(_)) && member.optional {
                        quote!(!body.is_null() && !rt::de_object(body).is_ok_and(|o| o.is_empty()))
                    } else {
                        quote!(!body.is_null())
                    };
                    return quote! {
                        if #present {
                            builder = builder.#setter(#de.map_err(|e| rt::at(#name, e))?);
                        }
                    };
                }
            };
            // A required one is present even when empty.
            if member.optional {
                quote! {
                    if !call.body().is_empty() {
                        builder = builder.#setter(#value);
                    }
                }
            } else {
                quote!(builder = builder.#setter(#value);)
            }
        }
        // Read with the other body members; a status code means nothing
        // in a request.
        HttpBinding::Body | HttpBinding::ResponseCode => TokenStream::new(),
    }
}

/// The functions that serve `op`: `serve_<op>` reads the request, checks
/// it and runs the handler; `read_<op>` reads the typed input;
/// `write_<op>_result` writes the handler's answer.
pub fn serve_fn(
    plan: &Plan<'_>,
    (handler, checked, required): (&Ident, &checks::Checked, &required::Required),
    op: &Operation<'_>,
    error: &Ident,
) -> TokenStream {
    let allow = allow_deprecated(op.uses_deprecated);
    let check = checks::input_check(plan, checked, op);
    let (read_call, read_fn) = match plan.input(op) {
        Some(shape) => {
            let read = read_ident(op);
            let ty = paths::named(plan, shape.id, Scope::Sibling);
            let kind = body_kind(shape);
            let body = match kind {
                BodyKind::None => TokenStream::new(),
                BodyKind::Members => quote! {
                    let body = if call.body().is_empty() {
                        rt::object(rt::Map::new())
                    } else {
                        match rt::parse_body(call.body()) {
                            Ok(body) => body,
                            Err(problem) => return Reply::malformed(PROTOCOL, &problem),
                        }
                    };
                },
                BodyKind::Payload => quote! {
                    let body = if call.body().is_empty() {
                        rt::Value::Null
                    } else {
                        match rt::parse_body(call.body()) {
                            Ok(body) => body,
                            Err(problem) => return Reply::malformed(PROTOCOL, &problem),
                        }
                    };
                },
            };
            let (body_arg, body_param) = if kind == BodyKind::None {
                (TokenStream::new(), TokenStream::new())
            } else {
                (quote!(, &body), quote!(, body: &rt::Value))
            };
            let presence = required::rest_input_check(plan, strict(), required, shape);
            let (presence_call, presence_fn) = if presence.request.is_empty()
                && presence.members.is_empty()
            {
                (None, TokenStream::new())
            } else {
                let f = format_ident!("missing_{}", fn_stem(op));
                let reply = checks::violations_reply(plan, op);
                let call_param = if presence.uses_call {
                    quote!(call)
                } else {
                    quote!(_call)
                };
                // The presence check reads the body only for what it
                // holds.
                let (body_arg, body_param) = if presence.uses_body || !presence.members.is_empty() {
                    (body_arg.clone(), body_param.clone())
                } else {
                    (TokenStream::new(), TokenStream::new())
                };
                let (request, members) = (&presence.request, &presence.members);
                // A body that is not an object is the reader's to reject.
                let members = (!members.is_empty()).then(|| {
                    quote! {
                        let Ok(object) = rt::de_object(body) else {
                            return;
                        };
                        #members
                    }
                });
                let doc = format!(
                    " Reports what a `{}` request must carry but does not.",
                    op.name
                );
                (
                    Some(quote! {
                        let mut violations = Violations::new();
                        #f(&call #body_arg, &mut violations);
                        if !violations.is_empty() {
                            #reply
                        }
                    }),
                    quote! {
                        #[doc = #doc]
                        fn #f(#call_param: &RestCall #body_param, violations: &mut Violations) {
                            #request
                            #members
                        }
                    },
                )
            };
            let mut stmts: TokenStream =
                shape.members.iter().map(|m| read_member(plan, m)).collect();
            if kind == BodyKind::Members {
                let members: Vec<&Member<'_>> = shape
                    .members
                    .iter()
                    .filter(|m| m.http == HttpBinding::Body)
                    .collect();
                let de = codec::de_members(plan, strict(), &members);
                stmts.extend(quote! {
                    let object = rt::de_object(body)?;
                    #de
                });
            }
            let result = built(shape, quote!(builder), quote!(|e| e.to_string()));
            // Everything but the body document is read from `call`.
            let uses_call = shape.members.iter().any(|m| match m.http {
                HttpBinding::Body | HttpBinding::ResponseCode => false,
                HttpBinding::Payload => kind != BodyKind::Payload,
                _ => true,
            });
            let streams = streams_input(plan, op);
            let (call_param, call_ty, call_arg) = match (uses_call, streams) {
                (_, true) => (quote!(call), quote!(&mut RestCall), quote!(&mut call)),
                (true, false) => (quote!(call), quote!(&RestCall), quote!(&call)),
                (false, false) => (quote!(_call), quote!(&RestCall), quote!(&call)),
            };
            let builder = if stmts.is_empty() {
                quote!(let builder = #ty::builder();)
            } else {
                quote!(let mut builder = #ty::builder();)
            };
            let doc = format!(" Reads the input of `{}` from its request.", op.name);
            (
                quote! {
                    #body
                    #presence_call
                    let input = match #read(#call_arg #body_arg) {
                        Ok(input) => input,
                        Err(problem) => return Reply::malformed(PROTOCOL, &problem),
                    };
                    #check
                },
                quote! {
                    #presence_fn

                    #[doc = #doc]
                    #allow
                    fn #read(#call_param: #call_ty #body_param) -> Result<#ty, rt::DeError> {
                        #builder
                        #stmts
                        #result
                    }
                },
            )
        }
        None => (quote!(let input = ();), TokenStream::new()),
    };
    let code = proc_macro2::Literal::u16_unsuffixed(op.http.as_ref().map_or(200, |h| h.code));
    let ok = match plan.output(op) {
        Some(shape) => {
            let ty = paths::named(plan, shape.id, Scope::Sibling);
            let mut stmts = rest::response_members(plan, &Json, shape);
            let input = if stmts.is_empty() {
                quote!(_input)
            } else {
                quote!(input)
            };
            // A HEAD answer has no body, whatever its members.
            let head = op
                .http
                .as_ref()
                .is_some_and(|h| h.method.as_str() == "HEAD");
            let bodiless = op
                .http
                .as_ref()
                .is_some_and(|h| matches!(h.code, 204 | 304));
            if !has_body(shape) && !head && !bodiless {
                stmts.extend(empty_body());
            }
            let parts = if stmts.is_empty() {
                quote!(let parts)
            } else {
                quote!(let mut parts)
            };
            // A streamed payload is taken out of the output.
            let (output_pat, input_ty, output_arg) = if plan.streaming_output(op).is_some() {
                (quote!(mut output), quote!(&mut #ty), quote!(&mut output))
            } else {
                (quote!(output), quote!(&#ty), quote!(&output))
            };
            quote! {
                Ok(#output_pat) => {
                    fn parts(#input: #input_ty) -> Result<ResponseParts, tinsmith_runtime::error::ConstructionError> {
                        #parts = ResponseParts::new(#code);
                        #stmts
                        Ok(parts)
                    }
                    match parts(#output_arg) {
                        Ok(parts) => parts.into_output(),
                        Err(error) => rest::unwritable(&error),
                    }
                }
            }
        }
        None => quote!(Ok(()) => ResponseParts::new(#code).into_output(),),
    };
    let call = if streams_input(plan, op) {
        quote!(mut call: RestCall)
    } else {
        quote!(call: RestCall)
    };
    super::serve_and_write(
        plan,
        (handler, op, error),
        super::Served {
            call,
            read: read_call,
            helpers: read_fn,
            ok,
        },
    )
}

/// True when some member of an output or error travels in the body (a
/// payload, or a member of the body document).
fn has_body(shape: &Structure<'_>) -> bool {
    shape.members.iter().any(|m| {
        !matches!(
            m.http,
            HttpBinding::Header(_) | HttpBinding::PrefixHeaders(_) | HttpBinding::ResponseCode
        )
    })
}

/// An output or error without body members still has a body document,
/// an empty one (as the restJson1 suite's `RestJsonEmptyInputAndEmptyOutput`
/// answers).
fn empty_body() -> TokenStream {
    quote! {
        parts.body("application/json", rt::to_body(&rt::object(rt::Map::new())))?;
    }
}

/// The function that writes one modeled error: its `@httpError` status,
/// its code in `X-Amzn-Errortype`, its bound headers and its members in
/// the body.
pub fn error_writer(plan: &Plan<'_>, e: &Structure<'_>) -> TokenStream {
    let f = write_error_ident(e);
    let ty = paths::named(plan, e.id, Scope::Sibling);
    let status = proc_macro2::Literal::u16_unsuffixed(super::error_status(e));
    let code = e.name;
    let mut stmts = rest::response_members(plan, &Json, e);
    let input = if stmts.is_empty() {
        quote!(_input)
    } else {
        quote!(input)
    };
    if !has_body(e) {
        stmts.extend(empty_body());
    }
    let doc = format!(" Writes a `{}` error.", e.name);
    let allow = allow_deprecated(e.uses_deprecated);
    quote! {
        #[doc = #doc]
        #allow
        fn #f(error: &#ty) -> Reply {
            fn parts(#input: &#ty) -> Result<ResponseParts, tinsmith_runtime::error::ConstructionError> {
                let mut parts = ResponseParts::new(#status);
                #stmts
                Ok(parts)
            }
            match parts(error) {
                Ok(parts) => parts.into_error(#code),
                Err(error) => rest::unwritable(&error),
            }
        }
    }
}
