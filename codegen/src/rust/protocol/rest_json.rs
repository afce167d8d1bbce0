//! `aws.protocols#restJson1`: operations bound to HTTP by the `@http`
//! trait, members bound to labels, query parameters, headers, the status
//! code or the payload by the HTTP binding traits, and everything else as
//! members of a JSON body (keys from `@jsonName`).

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::super::codec::{self, CodecSettings, Needs};
use super::super::context::{Context, is_generated_type};
use super::super::errors;
use super::super::event_stream::{self, EventSettings};
use super::super::names;
use super::http::{
    Binding, Segment, TextIn, binding, from_text, http_trait, is_http_date, label_var, to_text,
};
use super::{Protocol, Reader, allow_deprecated_io, io_type, is_unit, request_fn};
use crate::model::{Member, Shape, ShapeType};

/// The restJson1 protocol.
pub struct RestJson1;

const SETTINGS: CodecSettings = CodecSettings {
    module: "json",
    use_json_name: true,
    qualified: true,
};

fn members_bound(shape: Option<&Shape>, wanted: impl Fn(&Binding) -> bool) -> Vec<&Member> {
    shape
        .map(|s| s.members.values().filter(|m| wanted(&binding(m))).collect())
        .unwrap_or_default()
}

/// `if let Some(value) = &input.field { body }`, or the plain value for
/// members that are never absent.
fn with_value(cx: &Context<'_>, shape: &Shape, member: &Member, body: TokenStream) -> TokenStream {
    let field = names::field_name(member.name());
    if cx.is_optional(shape, member) {
        quote! { if let Some(value) = &input.#field { #body } }
    } else {
        quote! { { let value = &input.#field; #body } }
    }
}

fn list_item<'m>(cx: &Context<'m>, target: &'m Shape) -> Option<(&'m Member, &'m Shape)> {
    if target.ty != ShapeType::List {
        return None;
    }
    let member = target.members.get("member")?;
    Some((member, cx.model.shape(&member.target)?))
}

fn request_member(cx: &Context<'_>, shape: &Shape, member: &Member) -> TokenStream {
    let Some(target) = cx.model.shape(&member.target) else {
        return TokenStream::new();
    };
    match binding(member) {
        Binding::Query(name) => {
            let body = match list_item(cx, target) {
                Some((item_member, item)) => {
                    let text = to_text(cx, item_member, item, quote!(item), TextIn::UriOrQuery);
                    quote! { for item in value { parts.query(#name, #text); } }
                }
                None => {
                    let text = to_text(cx, member, target, quote!(value), TextIn::UriOrQuery);
                    quote! { parts.query(#name, #text); }
                }
            };
            with_value(cx, shape, member, body)
        }
        Binding::QueryParams => {
            let value_target = target
                .members
                .get("value")
                .and_then(|m| cx.model.shape(&m.target));
            let body = match value_target.and_then(|t| list_item(cx, t)) {
                Some((item_member, item)) => {
                    let text = to_text(cx, item_member, item, quote!(item), TextIn::UriOrQuery);
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
                None => quote! {
                    for (key, value) in value {
                        if !parts.has_query(key) {
                            parts.query(key, value.as_str());
                        }
                    }
                },
            };
            with_value(cx, shape, member, body)
        }
        Binding::Header(name) => {
            let body = match list_item(cx, target) {
                Some((item_member, item)) => {
                    let text = to_text(cx, item_member, item, quote!(item), TextIn::Header);
                    let joined = if is_http_date(item_member, item, TextIn::Header) {
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
                None => {
                    let text = to_text(cx, member, target, quote!(value), TextIn::Header);
                    quote! { parts.header(#name, #text)?; }
                }
            };
            with_value(cx, shape, member, body)
        }
        Binding::PrefixHeaders(prefix) => with_value(
            cx,
            shape,
            member,
            quote! {
                for (key, value) in value {
                    parts.header(&[#prefix, key.as_str()].concat(), value)?;
                }
            },
        ),
        Binding::Payload if cx.event_stream(member).is_some() => {
            let field = names::field_name(member.name());
            let codec = event_stream::codec_const(cx, &member.target);
            quote! {
                parts.streaming_body(
                    tinsmith_runtime::eventstream::CONTENT_TYPE,
                    input.#field.take_body(#codec, None),
                    false,
                )?;
            }
        }
        Binding::Payload if cx.is_streaming_blob(member) => {
            let content_type = target
                .trait_value("smithy.api#mediaType")
                .and_then(crate::model::Node::as_str)
                .unwrap_or("application/octet-stream");
            let requires_length = target.has_trait("smithy.api#requiresLength");
            let field = names::field_name(member.name());
            quote! {
                parts.streaming_body(#content_type, input.#field.take_for_attempt(), #requires_length)?;
            }
        }
        Binding::Payload => {
            let media_type = target
                .trait_value("smithy.api#mediaType")
                .and_then(crate::model::Node::as_str);
            let (content_type, bytes) = match target.ty {
                ShapeType::Blob => (
                    media_type.unwrap_or("application/octet-stream"),
                    quote!(value.as_bytes().to_vec()),
                ),
                ShapeType::String | ShapeType::Enum => (
                    media_type.unwrap_or("text/plain"),
                    if is_generated_type(target) {
                        quote!(value.as_str().to_owned())
                    } else {
                        quote!(value.clone())
                    },
                ),
                ShapeType::Structure => {
                    // An unset structure payload is an empty JSON object.
                    let ser =
                        codec::ser_expr(cx, SETTINGS, Some(member), &member.target, quote!(value));
                    let field = names::field_name(member.name());
                    let value = if cx.is_optional(shape, member) {
                        quote! {
                            match &input.#field {
                                Some(value) => rt::to_body(&#ser),
                                None => rt::to_body(&rt::object(rt::Map::new())),
                            }
                        }
                    } else {
                        quote!({ let value = &input.#field; rt::to_body(&#ser) })
                    };
                    return quote! { parts.body("application/json", #value)?; };
                }
                _ => {
                    let ser =
                        codec::ser_expr(cx, SETTINGS, Some(member), &member.target, quote!(value));
                    ("application/json", quote!(rt::to_body(&#ser)))
                }
            };
            with_value(
                cx,
                shape,
                member,
                quote! { parts.body(#content_type, #bytes)?; },
            )
        }
        Binding::Label | Binding::ResponseCode | Binding::Body => TokenStream::new(),
    }
}

/// Statements that read `shape`'s bound members from `response` into
/// `builder`. Body members come from `body` (a `&rt::Value`), parsed here
/// when `parse_body` is set.
fn read_members(cx: &Context<'_>, shape: &Shape, parse_body: bool) -> Reader {
    let mut stmts = TokenStream::new();
    let mut body_members = Vec::new();
    for member in shape.members.values() {
        let Some(target) = cx.model.shape(&member.target) else {
            continue;
        };
        let setter = names::setter_name(member.name());
        let name = member.name();
        match binding(member) {
            Binding::Header(header) => {
                let header = header.to_ascii_lowercase();
                let value = match list_item(cx, target) {
                    Some((item_member, item)) => {
                        let parsed =
                            from_text(cx, item_member, item, quote!(item.as_str()), TextIn::Header);
                        let split = if is_http_date(item_member, item, TextIn::Header) {
                            quote!(binding::split_http_dates(&text))
                        } else {
                            quote!(binding::split_header_list(&text))
                        };
                        if parsed.fallible {
                            let parse = parsed.expr;
                            quote!(#split.iter().map(|item| #parse).collect::<Result<Vec<_>, _>>().map_err(|e| rt::at(#name, e))?)
                        } else {
                            let parse = parsed.expr;
                            quote!(#split.iter().map(|item| #parse).collect::<Vec<_>>())
                        }
                    }
                    None => {
                        let parsed =
                            from_text(cx, member, target, quote!(text.as_str()), TextIn::Header);
                        let parse = parsed.expr;
                        if parsed.fallible {
                            quote!(#parse.map_err(|e| rt::at(#name, e))?)
                        } else if target.ty == ShapeType::String && !is_generated_type(target) {
                            quote!(text)
                        } else {
                            parse
                        }
                    }
                };
                stmts.extend(quote! {
                    if let Some(text) = binding::header(response, #header)? {
                        builder = builder.#setter(#value);
                    }
                });
            }
            Binding::PrefixHeaders(prefix) => stmts.extend(quote! {
                let headers = binding::prefix_headers(response, #prefix)?;
                if !headers.is_empty() {
                    builder = builder.#setter(headers);
                }
            }),
            Binding::ResponseCode => stmts.extend(quote! {
                builder = builder.#setter(i32::from(response.status().as_u16()));
            }),
            Binding::Payload if cx.event_stream(member).is_some() => {
                let codec = event_stream::codec_const(cx, &member.target);
                stmts.extend(quote! {
                    builder = builder.#setter(tinsmith_runtime::eventstream::EventStream::new(
                        std::mem::take(response.body_mut()),
                        #codec,
                    ));
                });
            }
            Binding::Payload if cx.is_streaming_blob(member) => stmts.extend(quote! {
                builder = builder.#setter(std::mem::take(response.body_mut()));
            }),
            Binding::Payload => {
                let value = match target.ty {
                    ShapeType::Blob => {
                        quote!(tinsmith_runtime::Blob::new(response.body().to_vec()))
                    }
                    ShapeType::String | ShapeType::Enum if is_generated_type(target) => {
                        let ty = cx.rust_type(&target.id);
                        quote!(#ty::from(binding::body_text(response)?.as_str()))
                    }
                    ShapeType::String => quote!(binding::body_text(response)?),
                    _ => {
                        let de = codec::de_expr(
                            cx,
                            SETTINGS,
                            Some(member),
                            &member.target,
                            quote!(&payload),
                        );
                        quote!({
                            let payload = rt::parse_body(response.body())?;
                            #de.map_err(|e| rt::at(#name, e))?
                        })
                    }
                };
                stmts.extend(quote! {
                    if !response.body().is_empty() {
                        builder = builder.#setter(#value);
                    }
                });
            }
            // Request-only bindings mean nothing in a response: such
            // members travel in the body there.
            Binding::Label | Binding::Query(_) | Binding::QueryParams | Binding::Body => {
                body_members.push(member)
            }
        }
    }
    if !body_members.is_empty() {
        let de = codec::de_members(cx, SETTINGS, &body_members);
        let object = if parse_body {
            quote! {
                let body = rt::parse_body(response.body())?;
                let object = rt::de_object(&body)?;
            }
        } else {
            // An error body that is not an object still names its error;
            // its members are then absent.
            quote! {
                let empty = rt::Map::new();
                let object = body.as_object().unwrap_or(&empty);
            }
        };
        stmts.extend(quote! { #object #de });
    }
    let ty = cx.rust_type(&shape.id);
    let reads_body = !body_members.is_empty();
    let tokens = if stmts.is_empty() {
        quote!(#ty::builder().build().map_err(|e| e.to_string()))
    } else {
        quote! {
            let mut builder = #ty::builder();
            #stmts
            builder.build().map_err(|e| e.to_string())
        }
    };
    Reader {
        tokens,
        uses_response: reads_response(shape) || (parse_body && reads_body),
        uses_body: !parse_body && reads_body,
    }
}

/// True when reading the shape looks at the response (not only the body).
fn reads_response(shape: &Shape) -> bool {
    shape.members.values().any(|m| {
        !matches!(
            binding(m),
            Binding::Body | Binding::Label | Binding::Query(_) | Binding::QueryParams
        )
    })
}

impl Protocol for RestJson1 {
    fn trait_id(&self) -> &'static str {
        "aws.protocols#restJson1"
    }

    fn request(&self, cx: &Context<'_>, op: &Shape) -> TokenStream {
        let Some(props) = op.as_operation() else {
            return TokenStream::new();
        };
        let f = request_fn(&op.id);
        let input_ty = io_type(cx, &props.input);
        let shape = (!is_unit(&props.input))
            .then(|| cx.model.shape(&props.input))
            .flatten();
        let http = http_trait(op);
        let method = proc_macro2::Ident::new(&http.method, proc_macro2::Span::call_site());

        // The path, with each label encoded into a local variable first.
        let mut labels = TokenStream::new();
        let mut path = String::new();
        for segment in &http.uri.segments {
            path.push('/');
            match segment {
                Segment::Literal(text) => {
                    path.push_str(&text.replace('{', "{{").replace('}', "}}"))
                }
                Segment::Label { name, greedy } => {
                    let var = label_var(name);
                    path.push_str(&format!("{{{var}}}"));
                    let member = shape.and_then(|s| s.members.get(name.as_str()).map(|m| (s, m)));
                    let stmt = match member
                        .and_then(|(s, m)| Some((s, m, cx.model.shape(&m.target)?)))
                    {
                        Some((s, m, target)) => {
                            let text = to_text(cx, m, target, quote!(value), TextIn::UriOrQuery);
                            let field = names::field_name(m.name());
                            let missing =
                                format!("`{name}` is required: it is part of the request path");
                            if cx.is_optional(s, m) {
                                quote! {
                                    let #var = match &input.#field {
                                        Some(value) => binding::label(#name, #text, #greedy)?,
                                        None => return Err(ConstructionError::new(#missing)),
                                    };
                                }
                            } else {
                                quote! {
                                    let #var = {
                                        let value = &input.#field;
                                        binding::label(#name, #text, #greedy)?
                                    };
                                }
                            }
                        }
                        None => quote! { let #var = binding::label(#name, "", #greedy)?; },
                    };
                    labels.extend(stmt);
                }
            }
        }
        if path.is_empty() || http.trailing_slash {
            path.push('/');
        }
        let path = if labels.is_empty() {
            quote!(String::from(#path))
        } else {
            quote!(format!(#path))
        };

        let mut stmts = TokenStream::new();
        for (key, value) in &http.uri.query {
            stmts.extend(match value {
                Some(v) => quote! { parts.query(#key, #v); },
                None => quote! { parts.query_flag(#key); },
            });
        }
        let mut body_members = Vec::new();
        if let Some(shape) = shape {
            // `@httpQuery` before `@httpQueryParams`, which never overrides it.
            let mut members: Vec<&Member> = shape.members.values().collect();
            members.sort_by_key(|m| matches!(binding(m), Binding::QueryParams));
            for member in members {
                if binding(member) == Binding::Body {
                    body_members.push(member);
                } else {
                    stmts.extend(request_member(cx, shape, member));
                }
            }
            if !body_members.is_empty() {
                let ser = codec::ser_members(cx, SETTINGS, shape, &body_members);
                stmts.extend(quote! {
                    let mut object = rt::Map::new();
                    #ser
                    parts.body("application/json", rt::to_body(&rt::object(object)))?;
                });
            }
        }
        stmts.extend(super::host_prefix(cx, op));
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
        let doc = format!(" Builds the HTTP request of `{}`.", op.id.name());
        let allow = allow_deprecated_io(cx, op);
        // A streamed body is taken from the input (or copied, when it can
        // be sent again) for each attempt.
        let input_ref = if super::streaming_input(cx, op).is_some() {
            quote!(&mut #input_ty)
        } else {
            quote!(&#input_ty)
        };
        quote! {
            #[doc = #doc]
            #allow
            pub(super) fn #f(#input: #input_ref, endpoint: &str) -> Result<HttpRequest, ConstructionError> {
                #labels
                #parts = binding::RequestParts::new(Method::#method, #path);
                #stmts
                parts.build(endpoint)
            }
        }
    }

    fn read_output(&self, cx: &Context<'_>, op: &Shape) -> Reader {
        match op.as_operation().and_then(|p| cx.model.shape(&p.output)) {
            Some(shape) => read_members(cx, shape, true),
            None => Reader {
                tokens: quote!(Ok(())),
                uses_response: false,
                uses_body: false,
            },
        }
    }

    fn read_error(&self, cx: &Context<'_>, error: &Shape) -> Reader {
        read_members(cx, error, false)
    }

    fn status_fallback(&self, cx: &Context<'_>, op: &Shape) -> Vec<(u16, String)> {
        let mut by_status: BTreeMap<u16, Vec<String>> = BTreeMap::new();
        for e in errors::operation_errors(cx, op) {
            let status = e
                .trait_value("smithy.api#httpError")
                .and_then(|v| v.as_number())
                .and_then(|n| n.as_i64())
                .and_then(|n| u16::try_from(n).ok());
            if let Some(status) = status {
                by_status
                    .entry(status)
                    .or_default()
                    .push(e.id.name().to_owned());
            }
        }
        by_status
            .into_iter()
            .filter(|(_, codes)| codes.len() == 1)
            .map(|(status, mut codes)| (status, codes.remove(0)))
            .collect()
    }

    fn binds_payload(&self) -> bool {
        true
    }

    fn events(&self) -> Option<EventSettings> {
        Some(EventSettings {
            codec: SETTINGS,
            document_content_type: "application/json",
        })
    }

    fn support_files(&self, cx: &Context<'_>) -> Vec<(String, TokenStream)> {
        let mut needs = Needs::default();
        for op in cx.operations() {
            let Some(props) = op.as_operation() else {
                continue;
            };
            let sent = (!is_unit(&props.input))
                .then(|| cx.model.shape(&props.input))
                .flatten();
            for m in members_bound(sent, |b| matches!(b, Binding::Body | Binding::Payload)) {
                needs.add_ser(cx, &m.target);
            }
            let mut received: Vec<&Shape> = errors::operation_errors(cx, op);
            received.extend(
                (!is_unit(&props.output))
                    .then(|| cx.model.shape(&props.output))
                    .flatten(),
            );
            for shape in received {
                // Request-only bindings travel in the body of a response.
                for m in members_bound(Some(shape), |b| {
                    !matches!(
                        b,
                        Binding::Header(_) | Binding::PrefixHeaders(_) | Binding::ResponseCode
                    )
                }) {
                    needs.add_de(cx, &m.target);
                }
            }
        }
        event_stream::add_needs(cx, &mut needs);
        if needs.is_empty() {
            return Vec::new();
        }
        vec![(
            "src/json.rs".to_owned(),
            codec::module(cx, SETTINGS, &needs),
        )]
    }
}
