//! Emits the event codecs of a generated crate's `protocol` module: for
//! each `@streaming` union, the functions that turn a received message into
//! an event (or a modeled error) and an event to send into a message, and
//! the `EventCodec` constant that hands them to the runtime.
//!
//! Message binding (spec: "Streaming"): `:event-type` is the union
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
use super::paths::{self, Scope};
use super::plan::{EventBinding, EventStream, Member, Plan, Structure, Ty, Union, Variant};
use super::types::allow_deprecated;
use super::xml_codec::{self, Place};
use crate::model::ShapeId;

/// How a protocol frames event payloads.
#[derive(Debug, Clone, Copy)]
pub struct EventSettings {
    /// The document codec.
    pub codec: EventDocuments,
    /// The `:content-type` of document payloads.
    pub document_content_type: &'static str,
}

/// The documents of event payloads.
#[derive(Debug, Clone, Copy)]
pub enum EventDocuments {
    /// JSON or CBOR values, through the codec these settings describe.
    Values(CodecSettings),
    /// XML: a structure member's payload is its target's root element; the
    /// members of an event without one are children of an element named
    /// after the event structure.
    Xml,
}

impl EventDocuments {
    /// An expression of type `Result<T, rt::DeError>`: a `ty` read from
    /// `payload`, the parsed payload.
    fn de_value(self, plan: &Plan<'_>, ty: &Ty<'_>) -> TokenStream {
        match self {
            EventDocuments::Values(settings) => {
                codec::de_expr(plan, settings, ty, quote!(&payload))
            }
            EventDocuments::Xml => xml_codec::de_value(plan, Place::Outside, ty, quote!(&payload)),
        }
    }

    /// Statements that read `members` from the message's payload into
    /// `builder`.
    fn de_members(self, plan: &Plan<'_>, members: &[&Member<'_>]) -> TokenStream {
        match self {
            EventDocuments::Values(settings) => {
                let de = codec::de_members(plan, settings, members);
                quote! {
                    let body = if message.payload().is_empty() {
                        rt::object(rt::Map::new())
                    } else {
                        rt::parse_body(message.payload())?
                    };
                    let object = rt::de_object(&body)?;
                    #de
                }
            }
            EventDocuments::Xml => {
                let de = xml_codec::de_members(plan, Place::Outside, members);
                quote! {
                    let body = rt::parse_body(message.payload())?;
                    let element = &body;
                    #de
                }
            }
        }
    }

    /// An expression of type `Bytes`: `value` (a reference to a `ty`) as a
    /// payload.
    fn ser_value(self, plan: &Plan<'_>, ty: &Ty<'_>) -> TokenStream {
        match self {
            EventDocuments::Values(settings) => {
                let ser = codec::ser_expr(plan, settings, ty, quote!(value));
                quote!(rt::to_body(&#ser))
            }
            EventDocuments::Xml => {
                let root = match ty {
                    Ty::Structure(id) | Ty::Union(id) => match plan.get(id) {
                        super::plan::TypeDef::Structure(s) => s.xml,
                        super::plan::TypeDef::Union(u) => u.xml,
                        _ => return TokenStream::new(),
                    },
                    _ => return quote!(wire::Bytes::new()),
                };
                let ser = xml_codec::ser_value(plan, Place::Outside, ty, quote!(value), root);
                quote!(rt::to_body(&#ser))
            }
        }
    }

    /// An expression of type `Bytes`: `members` of `input` (a reference to
    /// `shape`) as a payload.
    fn ser_members(
        self,
        plan: &Plan<'_>,
        shape: &Structure<'_>,
        members: &[&Member<'_>],
    ) -> TokenStream {
        match self {
            EventDocuments::Values(settings) => {
                let ser = codec::ser_members(plan, settings, members);
                quote!({
                    let mut object = rt::Map::new();
                    #ser
                    rt::to_body(&rt::object(object))
                })
            }
            EventDocuments::Xml => {
                let root = xml_codec::with_namespace(
                    {
                        let name = shape.xml.name;
                        quote!(rt::Element::new(#name))
                    },
                    shape.xml.namespace,
                );
                let ser = xml_codec::ser_members(plan, Place::Outside, members);
                quote!({
                    let mut element = #root;
                    #ser
                    rt::to_body(&element)
                })
            }
        }
    }
}

fn read_fn(structure: &Structure<'_>) -> Ident {
    format_ident!("read_{}_message", structure.stem)
}

fn write_fn(structure: &Structure<'_>) -> Ident {
    format_ident!("write_{}_message", structure.stem)
}

fn payload_member<'a, 'm>(shape: &'a Structure<'m>) -> Option<&'a Member<'m>> {
    shape
        .members
        .iter()
        .find(|m| m.event == EventBinding::Payload)
}

/// The members bound to `binding`: headers, or those that travel in a
/// document payload (when there is no `@eventPayload`).
fn bound<'a, 'm>(shape: &'a Structure<'m>, binding: EventBinding) -> Vec<&'a Member<'m>> {
    shape
        .members
        .iter()
        .filter(|m| m.event == binding)
        .collect()
}

fn header_members<'a, 'm>(shape: &'a Structure<'m>) -> Vec<&'a Member<'m>> {
    bound(shape, EventBinding::Header)
}

fn document_members<'a, 'm>(shape: &'a Structure<'m>) -> Vec<&'a Member<'m>> {
    bound(shape, EventBinding::Document)
}

/// The structure a union member (event or error) carries.
fn structure_of<'p, 'm>(plan: &'p Plan<'m>, variant: &Variant<'m>) -> Option<&'p Structure<'m>> {
    match &variant.ty {
        Some(Ty::Structure(id)) => Some(plan.structure(id)),
        _ => None,
    }
}

/// The structures the crate's codecs read (`decoded`) or write, each
/// once: the events of the streams it decodes or encodes, and the errors
/// of the streams whose errors it decodes (clients) or encodes (servers).
fn event_structures<'p, 'm>(
    plan: &'p Plan<'m>,
    decoded: bool,
) -> BTreeMap<&'m ShapeId, &'p Structure<'m>> {
    let mut out = BTreeMap::new();
    for (union, stream) in plan.event_streams() {
        let (events, errors) = if decoded {
            (stream.decodes(), stream.received)
        } else {
            (stream.encodes(), stream.encodes_errors())
        };
        let events = if events {
            union.variants.as_slice()
        } else {
            &[]
        };
        let errors = if errors {
            stream.errors.as_slice()
        } else {
            &[]
        };
        for v in events.iter().chain(errors) {
            if let Some(s) = structure_of(plan, v) {
                out.insert(s.id, s);
            }
        }
    }
    out
}

/// Adds what the event codecs need from the document codec.
pub fn add_needs(plan: &Plan<'_>, needs: &mut Needs) {
    for decoded in [true, false] {
        for shape in event_structures(plan, decoded).values() {
            let members = match payload_member(shape) {
                Some(p) => vec![p],
                None => document_members(shape),
            };
            for m in members {
                if decoded {
                    needs.add_de_ty(plan, &m.ty);
                } else {
                    needs.add_ser_ty(plan, &m.ty);
                }
            }
        }
    }
}

/// True when the codecs call `wire::` helpers: every writer does, and so
/// does a reader of headers or of a blob or text payload.
pub fn uses_wire(plan: &Plan<'_>) -> bool {
    let sends = plan.event_streams().any(|(_, s)| s.encodes());
    let reads_raw = event_structures(plan, true).values().any(|s| {
        !header_members(s).is_empty()
            || payload_member(s)
                .is_some_and(|p| matches!(p.ty, Ty::Blob { .. } | Ty::String { .. } | Ty::Enum(_)))
    });
    sends || reads_raw
}

/// Every event codec of the service.
pub fn codecs(plan: &Plan<'_>, settings: EventSettings) -> TokenStream {
    let mut out = TokenStream::new();
    let end = if plan.service().end_of_stream {
        quote!(StreamEnd::Marker)
    } else {
        quote!(StreamEnd::BodyEnd)
    };
    for (union, stream) in plan.event_streams() {
        if !stream.decodes() && !stream.encodes() {
            continue;
        }
        let event_ty = paths::named(plan, union.id, Scope::Sibling);
        let allow = allow_deprecated(uses_deprecated(plan, union, stream));
        let mut fields = Vec::new();
        if stream.decodes() {
            out.extend(decoders(plan, union, stream, &allow));
            let (event, exception) = (&stream.decode_event, &stream.decode_exception);
            fields.push(quote!(decode_event: #event,));
            if stream.received {
                fields.push(quote!(decode_exception: #exception,));
            }
        }
        if stream.encodes() {
            out.extend(encoder(plan, union, stream, &allow));
            let event = &stream.encode_event;
            fields.push(quote!(encode_event: #event,));
        }
        if stream.encodes_errors() {
            out.extend(exception_encoder(plan, union, stream, &allow));
            let exception = &stream.encode_exception;
            fields.push(quote!(encode_exception: #exception,));
        }
        let error_ty = paths::stream_error(plan, union.id);
        let init = quote! {
            EventCodec {
                #(#fields)*
                ..EventCodec::new(#end)
            }
        };
        let constant = &stream.codec;
        let doc = format!(
            " How the `{}` event stream's messages are read and written.",
            union.name
        );
        out.extend(quote! {
            #[doc = #doc]
            #allow
            pub(super) const #constant: EventCodec<#event_ty, #error_ty> = #init;
        });
    }
    for shape in event_structures(plan, true).values() {
        out.extend(reader(plan, settings, shape));
    }
    for shape in event_structures(plan, false).values() {
        out.extend(writer(plan, settings, shape));
    }
    out
}

/// True when the union, or an event or error it carries, is deprecated.
fn uses_deprecated(plan: &Plan<'_>, union: &Union<'_>, stream: &EventStream<'_>) -> bool {
    union.uses_deprecated
        || union
            .variants
            .iter()
            .chain(&stream.errors)
            .any(|v| v.deprecated.is_some() || v.ty.as_ref().is_some_and(|t| plan.is_deprecated(t)))
}

fn decoders(
    plan: &Plan<'_>,
    union: &Union<'_>,
    stream: &EventStream<'_>,
    allow: &TokenStream,
) -> TokenStream {
    let name = union.name;
    let event_ty = paths::named(plan, union.id, Scope::Sibling);
    let error_ty = paths::stream_error(plan, union.id);
    let (event_fn, exception_fn) = (&stream.decode_event, &stream.decode_exception);
    let event_arms = union.variants.iter().map(|v| {
        let (wire, variant) = (v.name, &v.ident);
        match structure_of(plan, v) {
            None => quote! { #wire => Ok(#event_ty::#variant), },
            Some(s) => {
                let read = read_fn(s);
                quote! { #wire => #read(message).map(#event_ty::#variant), }
            }
        }
    });
    let (exception_param, exception_type, exception_body) = if stream.errors.is_empty() {
        (quote!(_message), quote!(_exception_type), quote!(None))
    } else {
        let arms = stream.errors.iter().filter_map(|v| {
            let (wire, variant) = (v.name, &v.ident);
            let read = read_fn(structure_of(plan, v)?);
            Some(quote! { #wire => Some(#read(message).map(#error_ty::#variant)), })
        });
        (
            quote!(message),
            quote!(exception_type),
            quote! {
                match exception_type {
                    #(#arms)*
                    _ => None,
                }
            },
        )
    };
    // Only a union a client receives has an `Unknown` (forward
    // compatibility); a server knows every event its clients may send.
    let (event_doc, unknown) = if union.has_unknown() {
        (
            format!(
                " Decodes an event of the `{name}` stream; an event type this crate does not know is `Unknown`."
            ),
            quote!(_ => Ok(#event_ty::Unknown),),
        )
    } else {
        (
            format!(" Decodes an event of the `{name}` stream."),
            quote!(other => Err(format!("`{other}` is not an event of this stream")),),
        )
    };
    let exception_doc = format!(
        " Decodes a modeled error of the `{name}` stream; `None` for an exception type the model does not describe."
    );
    let exception = stream.received.then(|| {
        quote! {
            #[doc = #exception_doc]
            #allow
            fn #exception_fn(#exception_type: &str, #exception_param: &Message) -> Option<Result<#error_ty, String>> {
                #exception_body
            }
        }
    });
    quote! {
        #[doc = #event_doc]
        #allow
        fn #event_fn(event_type: &str, message: &Message) -> Result<#event_ty, String> {
            match event_type {
                #(#event_arms)*
                #unknown
            }
        }

        #exception
    }
}

fn encoder(
    plan: &Plan<'_>,
    union: &Union<'_>,
    stream: &EventStream<'_>,
    allow: &TokenStream,
) -> TokenStream {
    let name = union.name;
    let event_ty = paths::named(plan, union.id, Scope::Sibling);
    let encode_fn = &stream.encode_event;
    let arms = union.variants.iter().map(|v| {
        let (wire, variant) = (v.name, &v.ident);
        match structure_of(plan, v) {
            None => {
                quote! { #event_ty::#variant => Ok(wire::event(#wire, None, wire::Bytes::new())), }
            }
            Some(s) => {
                let write = write_fn(s);
                quote! { #event_ty::#variant(event) => Ok(#write(event, #wire)), }
            }
        }
    });
    let doc = format!(" Encodes an event of the `{name}` stream.");
    // Only a union the client also receives has an `Unknown` to refuse.
    let unknown = union.has_unknown().then(|| {
        let message = format!("an `Unknown` {name} event cannot be sent");
        quote!(#event_ty::Unknown => Err(String::from(#message)),)
    });
    quote! {
        #[doc = #doc]
        #allow
        fn #encode_fn(event: &#event_ty) -> Result<Message, String> {
            match event {
                #(#arms)*
                #unknown
            }
        }
    }
}

/// The function that writes a stream's modeled error as its `exception`
/// message (servers).
fn exception_encoder(
    plan: &Plan<'_>,
    union: &Union<'_>,
    stream: &EventStream<'_>,
    allow: &TokenStream,
) -> TokenStream {
    let error_ty = paths::stream_error(plan, union.id);
    let encode_fn = &stream.encode_exception;
    let arms = stream.errors.iter().filter_map(|v| {
        let (wire, variant) = (v.name, &v.ident);
        let write = write_fn(structure_of(plan, v)?);
        Some(quote! { #error_ty::#variant(error) => Ok(wire::exception(#write(error, #wire))), })
    });
    let doc = format!(
        " Encodes a modeled error of the `{}` stream as its `exception` message.",
        union.name
    );
    let (param, body) = if stream.errors.is_empty() {
        (quote!(error), quote!(match *error {}))
    } else {
        (quote!(error), quote!(match error { #(#arms)* }))
    };
    quote! {
        #[doc = #doc]
        #allow
        fn #encode_fn(#param: &#error_ty) -> Result<Message, String> {
            #body
        }
    }
}

/// The Rust type a header member is read as, and the expression (of
/// `value`) that turns it into the member's own type; `None` for types
/// headers cannot carry.
fn header_type(plan: &Plan<'_>, ty: &Ty<'_>) -> Option<(TokenStream, Option<TokenStream>)> {
    Some(match ty {
        Ty::Boolean => (quote!(bool), None),
        Ty::Byte => (quote!(i8), None),
        Ty::Short => (quote!(i16), None),
        Ty::Integer => (quote!(i32), None),
        Ty::Long => (quote!(i64), None),
        Ty::Blob { .. } => (quote!(tinsmith_runtime::Blob), None),
        Ty::Timestamp { .. } => (quote!(tinsmith_runtime::DateTime), None),
        Ty::IntEnum(_) => {
            let rust = paths::ty(plan, ty, Scope::Sibling);
            (quote!(i32), Some(quote!(#rust::from(value))))
        }
        Ty::Enum(_) => {
            let rust = paths::ty(plan, ty, Scope::Sibling);
            (quote!(String), Some(quote!(#rust::from(value.as_str()))))
        }
        Ty::String { .. } => (quote!(String), None),
        _ => return None,
    })
}

fn reader(plan: &Plan<'_>, settings: EventSettings, shape: &Structure<'_>) -> TokenStream {
    let f = read_fn(shape);
    let ty = paths::named(plan, shape.id, Scope::Sibling);
    let rt_settings = settings.codec;
    let mut stmts = TokenStream::new();
    for m in header_members(shape) {
        let Some((wire_ty, convert)) = header_type(plan, &m.ty) else {
            continue;
        };
        let (name, setter) = (m.name, &m.setter);
        let value = convert.unwrap_or_else(|| quote!(value));
        stmts.extend(quote! {
            if let Some(value) = wire::header::<#wire_ty>(message, #name)? {
                builder = builder.#setter(#value);
            }
        });
    }
    match payload_member(shape) {
        Some(p) => {
            let (setter, name) = (&p.setter, p.name);
            stmts.extend(match &p.ty {
                Ty::Blob { .. } => quote! {
                    builder = builder.#setter(wire::payload_blob(message));
                },
                Ty::Enum(_) => {
                    let rust = paths::ty(plan, &p.ty, Scope::Sibling);
                    quote! { builder = builder.#setter(#rust::from(wire::payload_text(message)?.as_str())); }
                }
                Ty::String { .. } => quote! {
                    builder = builder.#setter(wire::payload_text(message)?);
                },
                ty => {
                    let de = rt_settings.de_value(plan, ty);
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
                stmts.extend(rt_settings.de_members(plan, &members));
            }
        }
    }
    let doc = format!(" Reads a `{}` from an event-stream message.", shape.name);
    let allow = allow_deprecated(shape.uses_deprecated);
    let built = crate::rust::types::built(shape, quote!(builder), quote!(|e| e.to_string()));
    if stmts.is_empty() {
        let built_empty =
            crate::rust::types::built(shape, quote!(#ty::builder()), quote!(|e| e.to_string()));
        return quote! {
            #[doc = #doc]
            #allow
            fn #f(_message: &Message) -> Result<#ty, String> {
                #built_empty
            }
        };
    }
    quote! {
        #[doc = #doc]
        #allow
        fn #f(message: &Message) -> Result<#ty, String> {
            let mut builder = #ty::builder();
            #stmts
            #built
        }
    }
}

fn media_type<'m>(ty: &Ty<'m>) -> Option<&'m str> {
    match ty {
        Ty::Blob { media_type } | Ty::String { media_type } => *media_type,
        _ => None,
    }
}

fn writer(plan: &Plan<'_>, settings: EventSettings, shape: &Structure<'_>) -> TokenStream {
    let f = write_fn(shape);
    let ty = paths::named(plan, shape.id, Scope::Sibling);
    let rt_settings = settings.codec;
    let document = settings.document_content_type;
    // (content type, payload expression, whether it reads the input).
    let (content_type, payload, payload_uses_input) = match payload_member(shape) {
        Some(p) => {
            let field = &p.field;
            let (content_type, bytes) = match &p.ty {
                Ty::Blob { .. } => (
                    media_type(&p.ty).unwrap_or("application/octet-stream"),
                    quote!(wire::Bytes::copy_from_slice(value.as_bytes())),
                ),
                Ty::String { .. } | Ty::Enum(_) => {
                    let text = if matches!(p.ty, Ty::Enum(_)) {
                        quote!(value.as_str())
                    } else {
                        quote!(value)
                    };
                    (
                        media_type(&p.ty).unwrap_or("text/plain"),
                        quote!(wire::Bytes::copy_from_slice(#text.as_bytes())),
                    )
                }
                other => (document, rt_settings.ser_value(plan, other)),
            };
            let payload = if p.optional {
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
                (
                    Some(document),
                    rt_settings.ser_members(plan, shape, &members),
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
        .filter(|m| header_type(plan, &m.ty).is_some())
        .map(|m| {
            let (name, field) = (m.name, &m.field);
            let value = match m.ty {
                Ty::IntEnum(_) => quote!(&value.value()),
                Ty::Enum(_) => quote!(&value.as_str().to_owned()),
                _ => quote!(value),
            };
            if m.optional {
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
            }
        })
        .collect();
    let doc = format!(" Writes a `{}` as an event-stream message.", shape.name);
    let allow = allow_deprecated(shape.uses_deprecated);
    let input = if !headers.is_empty() || payload_uses_input {
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
