//! Emits the event codecs of a generated crate's `protocol` module: for
//! each `@streaming` union, the functions that turn a received message into
//! an event (or a modeled error) and an event to send into a message, and
//! the `EventCodec` constant that hands them to the runtime.
//!
//! Message binding (Smithy's streaming spec): `:event-type` is the union
//! member's name; `@eventHeader` members are typed headers named after the
//! member; the `@eventPayload` member is the whole payload (a blob as is, a
//! string as UTF-8 text, a structure or union as a document); without one,
//! the members that are not headers form a document payload. Documents use
//! the protocol's codec (`rt`), so the same emitter serves every protocol
//! that can carry event streams.

use std::collections::BTreeMap;

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::codec::{self, CodecSettings, Needs};
use super::context::{Context, is_generated_type};
use super::names;
use crate::model::{Member, Node, Shape, ShapeId, ShapeType};

/// How a protocol frames event payloads.
#[derive(Debug, Clone, Copy)]
pub struct EventSettings {
    /// The document codec.
    pub codec: CodecSettings,
    /// The `:content-type` of document payloads.
    pub document_content_type: &'static str,
}

fn snake(cx: &Context<'_>, id: &ShapeId) -> String {
    heck::ToSnakeCase::to_snake_case(cx.type_ident(id).to_string().trim_start_matches("r#"))
}

/// The `EventCodec` constant of a streaming union.
pub fn codec_const(cx: &Context<'_>, union: &ShapeId) -> Ident {
    format_ident!("{}_CODEC", snake(cx, union).to_uppercase())
}

fn read_fn(cx: &Context<'_>, id: &ShapeId) -> Ident {
    format_ident!("read_{}_message", snake(cx, id))
}

fn write_fn(cx: &Context<'_>, id: &ShapeId) -> Ident {
    format_ident!("write_{}_message", snake(cx, id))
}

fn has(member: &Member, id: &str) -> bool {
    member.traits.keys().any(|k| k.as_str() == id)
}

fn payload_member(shape: &Shape) -> Option<&Member> {
    shape
        .members
        .values()
        .find(|m| has(m, "smithy.api#eventPayload"))
}

fn header_members(shape: &Shape) -> Vec<&Member> {
    shape
        .members
        .values()
        .filter(|m| has(m, "smithy.api#eventHeader"))
        .collect()
}

/// Members that travel in a document payload (no `@eventPayload`).
fn document_members(shape: &Shape) -> Vec<&Member> {
    shape
        .members
        .values()
        .filter(|m| !has(m, "smithy.api#eventHeader"))
        .collect()
}

/// The structures a stream reads (`received`) or writes, each once: the
/// events, and for received streams the errors.
fn event_structures<'m>(cx: &Context<'m>, received: bool) -> BTreeMap<ShapeId, &'m Shape> {
    let mut out = BTreeMap::new();
    for union in cx.event_stream_unions(received) {
        let members = if received {
            union.members.values().collect()
        } else {
            cx.stream_events(union)
        };
        for m in members {
            if let Some(s) = cx.model.shape(&m.target).filter(|s| is_generated_type(s)) {
                out.insert(s.id.clone(), s);
            }
        }
    }
    out
}

/// Adds what the event codecs need from the document codec.
pub fn add_needs(cx: &Context<'_>, needs: &mut Needs) {
    for (received, shapes) in [
        (true, event_structures(cx, true)),
        (false, event_structures(cx, false)),
    ] {
        for shape in shapes.values() {
            let targets: Vec<&ShapeId> = match payload_member(shape) {
                Some(p) => vec![&p.target],
                None => document_members(shape).iter().map(|m| &m.target).collect(),
            };
            for target in targets {
                if received {
                    needs.add_de(cx, target);
                } else {
                    needs.add_ser(cx, target);
                }
            }
        }
    }
}

/// True when the `protocol` module needs the event-stream imports.
pub fn any(cx: &Context<'_>) -> bool {
    !cx.event_stream_unions(true).is_empty() || !cx.event_stream_unions(false).is_empty()
}

/// Every event codec of the service.
pub fn codecs(cx: &Context<'_>, settings: EventSettings) -> TokenStream {
    let received = cx.event_stream_unions(true);
    let sent = cx.event_stream_unions(false);
    let mut out = TokenStream::new();
    let mut unions: Vec<&Shape> = received.iter().chain(sent.iter()).copied().collect();
    unions.sort_by(|a, b| a.id.cmp(&b.id));
    unions.dedup_by(|a, b| a.id == b.id);
    let end_marker = cx.end_of_stream();
    for union in unions {
        let receives = received.iter().any(|u| u.id == union.id);
        let sends = sent.iter().any(|u| u.id == union.id);
        let name = union.id.name();
        let snake = snake(cx, &union.id);
        let event_ty = cx.rust_type(&union.id);
        let decode_event = format_ident!("decode_{snake}_event");
        let decode_exception = format_ident!("decode_{snake}_exception");
        let encode_event = format_ident!("encode_{snake}_event");
        let constant = codec_const(cx, &union.id);
        if receives {
            out.extend(decoders(cx, union, &decode_event, &decode_exception));
        }
        if sends {
            out.extend(encoder(cx, union, &encode_event));
        }
        let (error_ty, init) = match (receives, sends) {
            (true, true) => (
                cx.stream_error_type(&union.id),
                quote! {
                    EventCodec {
                        decode_event: #decode_event,
                        decode_exception: #decode_exception,
                        encode_event: #encode_event,
                        end_marker: #end_marker,
                    }
                },
            ),
            (true, false) => (
                cx.stream_error_type(&union.id),
                quote!(EventCodec::receiving(#decode_event, #decode_exception, #end_marker)),
            ),
            _ => (
                quote!(std::convert::Infallible),
                quote!(EventCodec::sending(#encode_event, #end_marker)),
            ),
        };
        let doc = format!(" How the `{name}` event stream's messages are read and written.");
        out.extend(quote! {
            #[doc = #doc]
            pub(super) const #constant: EventCodec<#event_ty, #error_ty> = #init;
        });
    }
    for shape in event_structures(cx, true).values() {
        out.extend(reader(cx, settings, shape));
    }
    for shape in event_structures(cx, false).values() {
        out.extend(writer(cx, settings, shape));
    }
    out
}

fn decoders(
    cx: &Context<'_>,
    union: &Shape,
    event_fn: &Ident,
    exception_fn: &Ident,
) -> TokenStream {
    let name = union.id.name();
    let event_ty = cx.rust_type(&union.id);
    let error_ty = cx.stream_error_type(&union.id);
    let event_arms = cx.stream_events(union).into_iter().map(|m| {
        let wire = m.name();
        let variant = names::variant_name(m.name());
        if m.target.as_str() == "smithy.api#Unit" {
            quote! { #wire => Ok(#event_ty::#variant), }
        } else {
            let read = read_fn(cx, &m.target);
            quote! { #wire => #read(message).map(#event_ty::#variant), }
        }
    });
    let errors = cx.stream_errors(union);
    let exception_param = if errors.is_empty() {
        quote!(_message)
    } else {
        quote!(message)
    };
    let exception_type = if errors.is_empty() {
        quote!(_exception_type)
    } else {
        quote!(exception_type)
    };
    let exception_body = if errors.is_empty() {
        quote!(None)
    } else {
        let arms = errors.iter().map(|m| {
            let wire = m.name();
            let variant = names::variant_name(m.name());
            let read = read_fn(cx, &m.target);
            quote! { #wire => Some(#read(message).map(#error_ty::#variant)), }
        });
        quote! {
            match exception_type {
                #(#arms)*
                _ => None,
            }
        }
    };
    let event_doc = format!(
        " Decodes an event of the `{name}` stream; an event type this client does not know is `Unknown`."
    );
    let exception_doc = format!(
        " Decodes a modeled error of the `{name}` stream; `None` for an exception type the model does not describe."
    );
    quote! {
        #[doc = #event_doc]
        fn #event_fn(event_type: &str, message: &Message) -> Result<#event_ty, String> {
            match event_type {
                #(#event_arms)*
                _ => Ok(#event_ty::Unknown),
            }
        }

        #[doc = #exception_doc]
        fn #exception_fn(#exception_type: &str, #exception_param: &Message) -> Option<Result<#error_ty, String>> {
            #exception_body
        }
    }
}

fn encoder(cx: &Context<'_>, union: &Shape, encode_fn: &Ident) -> TokenStream {
    let name = union.id.name();
    let event_ty = cx.rust_type(&union.id);
    let arms = cx.stream_events(union).into_iter().map(|m| {
        let wire = m.name();
        let variant = names::variant_name(m.name());
        if m.target.as_str() == "smithy.api#Unit" {
            quote! { #event_ty::#variant => Ok(wire::event(#wire, None, wire::Bytes::new())), }
        } else {
            let write = write_fn(cx, &m.target);
            quote! { #event_ty::#variant(event) => Ok(#write(event, #wire)), }
        }
    });
    let doc = format!(" Encodes an event of the `{name}` stream.");
    let unknown = format!("an `Unknown` {name} event cannot be sent");
    quote! {
        #[doc = #doc]
        fn #encode_fn(event: &#event_ty) -> Result<Message, String> {
            match event {
                #(#arms)*
                #event_ty::Unknown => Err(String::from(#unknown)),
            }
        }
    }
}

/// The Rust type a header member is read as, and the expression (of
/// `value`) that turns it into the member's own type; `None` for types
/// headers cannot carry.
fn header_type(cx: &Context<'_>, target: &Shape) -> Option<(TokenStream, Option<TokenStream>)> {
    Some(match target.ty {
        ShapeType::Boolean => (quote!(bool), None),
        ShapeType::Byte => (quote!(i8), None),
        ShapeType::Short => (quote!(i16), None),
        ShapeType::Integer => (quote!(i32), None),
        ShapeType::Long => (quote!(i64), None),
        ShapeType::Blob => (quote!(tinsmith_runtime::Blob), None),
        ShapeType::Timestamp => (quote!(tinsmith_runtime::DateTime), None),
        ShapeType::IntEnum => {
            let ty = cx.rust_type(&target.id);
            (quote!(i32), Some(quote!(#ty::from(value))))
        }
        ShapeType::String | ShapeType::Enum if is_generated_type(target) => {
            let ty = cx.rust_type(&target.id);
            (quote!(String), Some(quote!(#ty::from(value.as_str()))))
        }
        ShapeType::String => (quote!(String), None),
        _ => return None,
    })
}

fn reader(cx: &Context<'_>, settings: EventSettings, shape: &Shape) -> TokenStream {
    let f = read_fn(cx, &shape.id);
    let ty = cx.rust_type(&shape.id);
    let mut stmts = TokenStream::new();
    for m in header_members(shape) {
        let Some((wire_ty, convert)) = cx.model.shape(&m.target).and_then(|t| header_type(cx, t))
        else {
            continue;
        };
        let name = m.name();
        let setter = names::setter_name(m.name());
        let value = convert.unwrap_or_else(|| quote!(value));
        stmts.extend(quote! {
            if let Some(value) = wire::header::<#wire_ty>(message, #name)? {
                builder = builder.#setter(#value);
            }
        });
    }
    let rt_settings = settings.codec;
    match payload_member(shape) {
        Some(p) => {
            let setter = names::setter_name(p.name());
            let name = p.name();
            let target = cx.model.shape(&p.target);
            stmts.extend(match target.map(|t| t.ty) {
                Some(ShapeType::Blob) => quote! {
                    builder = builder.#setter(wire::payload_blob(message));
                },
                Some(ShapeType::String | ShapeType::Enum) if target.is_some_and(is_generated_type) => {
                    let ty = cx.rust_type(&p.target);
                    quote! { builder = builder.#setter(#ty::from(wire::payload_text(message)?.as_str())); }
                }
                Some(ShapeType::String) => quote! {
                    builder = builder.#setter(wire::payload_text(message)?);
                },
                _ => {
                    let de = codec::de_expr(cx, rt_settings, Some(p), &p.target, quote!(&payload));
                    quote! {
                        if !message.payload().is_empty() {
                            let payload = rt::parse_body(message.payload())?;
                            builder = builder.#setter(#de.map_err(|e| rt::at(#name, e))?);
                        }
                    }
                }
            });
        }
        None => {
            let members = document_members(shape);
            if !members.is_empty() {
                let de = codec::de_members(cx, rt_settings, &members);
                stmts.extend(quote! {
                    let body = if message.payload().is_empty() {
                        rt::object(rt::Map::new())
                    } else {
                        rt::parse_body(message.payload())?
                    };
                    let object = rt::de_object(&body)?;
                    #de
                });
            }
        }
    }
    let doc = format!(
        " Reads a `{}` from an event-stream message.",
        shape.id.name()
    );
    let allow = cx.allow_deprecated(shape);
    if stmts.is_empty() {
        return quote! {
            #[doc = #doc]
            #allow
            fn #f(_message: &Message) -> Result<#ty, String> {
                #ty::builder().build().map_err(|e| e.to_string())
            }
        };
    }
    quote! {
        #[doc = #doc]
        #allow
        fn #f(message: &Message) -> Result<#ty, String> {
            let mut builder = #ty::builder();
            #stmts
            builder.build().map_err(|e| e.to_string())
        }
    }
}

fn media_type(target: Option<&Shape>) -> Option<&str> {
    target
        .and_then(|t| t.trait_value("smithy.api#mediaType"))
        .and_then(Node::as_str)
}

fn writer(cx: &Context<'_>, settings: EventSettings, shape: &Shape) -> TokenStream {
    let f = write_fn(cx, &shape.id);
    let ty = cx.rust_type(&shape.id);
    let rt_settings = settings.codec;
    let document = settings.document_content_type;
    // (content type, payload expression) of the message.
    let (content_type, payload, payload_uses_input) = match payload_member(shape) {
        Some(p) => {
            let field = names::field_name(p.name());
            let target = cx.model.shape(&p.target);
            let (content_type, bytes) = match target.map(|t| t.ty) {
                Some(ShapeType::Blob) => (
                    media_type(target).unwrap_or("application/octet-stream"),
                    quote!(wire::Bytes::copy_from_slice(value.as_bytes())),
                ),
                Some(ShapeType::String | ShapeType::Enum) => {
                    let text = if target.is_some_and(is_generated_type) {
                        quote!(value.as_str())
                    } else {
                        quote!(value)
                    };
                    (
                        media_type(target).unwrap_or("text/plain"),
                        quote!(wire::Bytes::copy_from_slice(#text.as_bytes())),
                    )
                }
                _ => {
                    let ser = codec::ser_expr(cx, rt_settings, Some(p), &p.target, quote!(value));
                    (document, quote!(rt::to_body(&#ser)))
                }
            };
            let payload = if cx.is_optional(shape, p) {
                quote! {
                    match &input.#field {
                        Some(value) => #bytes,
                        None => wire::Bytes::new(),
                    }
                }
            } else {
                quote!({ let value = &input.#field; #bytes })
            };
            (Some(content_type), payload, true)
        }
        None => {
            let members = document_members(shape);
            if members.is_empty() {
                (None, quote!(wire::Bytes::new()), false)
            } else {
                let ser = codec::ser_members(cx, rt_settings, shape, &members);
                (
                    Some(document),
                    quote!({
                        let mut object = rt::Map::new();
                        #ser
                        rt::to_body(&rt::object(object))
                    }),
                    true,
                )
            }
        }
    };
    let content_type = match content_type {
        Some(ct) => quote!(Some(#ct)),
        None => quote!(None),
    };
    let headers: Vec<TokenStream> = header_members(shape)
        .into_iter()
        .filter_map(|m| {
            let target = cx.model.shape(&m.target)?;
            header_type(cx, target)?;
            let name = m.name();
            let field = names::field_name(m.name());
            let value = match target.ty {
                ShapeType::IntEnum => quote!(&value.value()),
                ShapeType::String | ShapeType::Enum if is_generated_type(target) => {
                    quote!(&value.as_str().to_owned())
                }
                _ => quote!(value),
            };
            Some(if cx.is_optional(shape, m) {
                quote! {
                    if let Some(value) = &input.#field {
                        message = wire::with_header(message, #name, #value);
                    }
                }
            } else {
                quote! {
                    let value = &input.#field;
                    message = wire::with_header(message, #name, #value);
                }
            })
        })
        .collect();
    let doc = format!(
        " Writes a `{}` as an event-stream message.",
        shape.id.name()
    );
    let allow = cx.allow_deprecated(shape);
    let uses_input = !headers.is_empty() || payload_uses_input;
    let input = if uses_input {
        quote!(input)
    } else {
        quote!(_input)
    };
    let body = if headers.is_empty() {
        quote!(wire::event(event_type, #content_type, #payload))
    } else {
        quote! {
            let mut message = wire::event(event_type, #content_type, #payload);
            #(#headers)*
            message
        }
    };
    quote! {
        #[doc = #doc]
        #allow
        fn #f(#input: &#ty, event_type: &'static str) -> Message {
            #body
        }
    }
}
