//! Emits a document codec module of a generated crate (`json` or `cbor`):
//! one serializer and one deserializer per structure and union the protocol
//! sends or receives.
//!
//! The generated code only calls `rt::` functions (`ser_string`, `de_int`,
//! `object`, ...) and `rt::Map`/`rt::Value`, where `rt` is the runtime's
//! `json` or `cbor` module: both have the same API, so one emitter serves
//! every document format. The format decides the encodings (JSON: base64
//! blobs, `@timestampFormat` timestamps, non-finite floats as strings; CBOR:
//! byte strings, tag-1 timestamps); `null` is always treated as absent.
//! restJson1 honours `@jsonName`; the other protocols do not.

use std::collections::BTreeSet;

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::context::{Context, is_generated_type};
use super::names;
use crate::model::{Member, Node, Shape, ShapeId, ShapeType, trait_value};

/// How the protocol maps members to documents.
#[derive(Debug, Clone, Copy)]
pub struct CodecSettings {
    /// The generated module and the runtime module it uses: `json` or `cbor`.
    pub module: &'static str,
    /// Use `@jsonName` for member keys (restJson1).
    pub use_json_name: bool,
    /// Refer to the codec module's functions by their full path (in code
    /// emitted outside that module).
    pub qualified: bool,
}

impl CodecSettings {
    fn unqualified(self) -> Self {
        CodecSettings {
            qualified: false,
            ..self
        }
    }

    fn path(self, f: Ident) -> TokenStream {
        if self.qualified {
            let module = format_ident!("{}", self.module);
            quote!(super::#module::#f)
        } else {
            quote!(#f)
        }
    }
}

fn snake(cx: &Context<'_>, id: &ShapeId) -> String {
    heck::ToSnakeCase::to_snake_case(cx.type_ident(id).to_string().trim_start_matches("r#"))
}

/// The serializer function for a structure or union.
pub fn ser_fn(cx: &Context<'_>, id: &ShapeId) -> Ident {
    format_ident!("ser_{}", snake(cx, id))
}

/// The deserializer function for a structure or union.
pub fn de_fn(cx: &Context<'_>, id: &ShapeId) -> Ident {
    format_ident!("de_{}", snake(cx, id))
}

fn key(member: &Member, settings: CodecSettings) -> String {
    if settings.use_json_name
        && let Some(name) =
            trait_value(&member.traits, "smithy.api#jsonName").and_then(Node::as_str)
    {
        return name.to_owned();
    }
    member.name().to_owned()
}

fn timestamp_format(member: Option<&Member>, target: &Shape) -> TokenStream {
    let value = member
        .and_then(|m| trait_value(&m.traits, "smithy.api#timestampFormat"))
        .or_else(|| target.trait_value("smithy.api#timestampFormat"))
        .and_then(Node::as_str);
    match value {
        Some("date-time") => quote!(tinsmith_runtime::TimestampFormat::DateTime),
        Some("http-date") => quote!(tinsmith_runtime::TimestampFormat::HttpDate),
        _ => quote!(tinsmith_runtime::TimestampFormat::EpochSeconds),
    }
}

/// Which halves of a shape's codec the protocol needs.
#[derive(Debug, Clone, Copy, Default)]
struct Want {
    ser: bool,
    de: bool,
}

/// The structures and unions whose serializers (`ser`) and deserializers
/// (`de`) the protocol code calls, directly or through other shapes.
#[derive(Debug, Default)]
pub struct Needs {
    /// Shapes that are serialized.
    pub ser: BTreeSet<ShapeId>,
    /// Shapes that are deserialized.
    pub de: BTreeSet<ShapeId>,
}

impl Needs {
    /// Adds a shape sent to the service, and every aggregate inside it.
    pub fn add_ser(&mut self, cx: &Context<'_>, root: &ShapeId) {
        aggregates_within(cx, root, &mut self.ser);
    }

    /// Adds a shape received from the service, and every aggregate inside it.
    pub fn add_de(&mut self, cx: &Context<'_>, root: &ShapeId) {
        aggregates_within(cx, root, &mut self.de);
    }

    /// True when no codec function is needed.
    pub fn is_empty(&self) -> bool {
        self.ser.is_empty() && self.de.is_empty()
    }
}

/// Collects the structures and unions reachable from `root` (itself included).
fn aggregates_within(cx: &Context<'_>, root: &ShapeId, out: &mut BTreeSet<ShapeId>) {
    let mut stack = vec![root.clone()];
    let mut seen = BTreeSet::new();
    while let Some(id) = stack.pop() {
        if !seen.insert(id.clone()) {
            continue;
        }
        let Some(shape) = cx.model.shape(&id) else {
            continue;
        };
        // An event stream is not a document: its events are read and
        // written one by one by the event codecs (`event_stream::add_needs`).
        if shape.ty == ShapeType::Union && shape.has_trait("smithy.api#streaming") {
            continue;
        }
        match shape.ty {
            ShapeType::Structure | ShapeType::Union if id.as_str() != "smithy.api#Unit" => {
                out.insert(id.clone());
            }
            ShapeType::List | ShapeType::Map | ShapeType::Structure | ShapeType::Union => {}
            _ => continue,
        }
        stack.extend(shape.members.values().map(|m| m.target.clone()));
    }
}

/// The whole codec module: the functions `needs` lists.
pub fn module(cx: &Context<'_>, settings: CodecSettings, needs: &Needs) -> TokenStream {
    let settings = settings.unqualified();
    let fns = cx
        .generated_shapes()
        .filter(|s| matches!(s.ty, ShapeType::Structure | ShapeType::Union))
        .map(|s| {
            let want = Want {
                ser: needs.ser.contains(&s.id),
                de: needs.de.contains(&s.id),
            };
            match s.ty {
                ShapeType::Structure => structure(cx, s, settings, want),
                _ => union(cx, s, settings, want),
            }
        });
    let doc = format!(
        " {} serializers and deserializers for the structures and unions the protocol sends and receives.",
        settings.module.to_uppercase()
    );
    let runtime = format_ident!("{}", settings.module);
    quote! {
        #![doc = #doc]

        use tinsmith_runtime::#runtime as rt;

        #(#fns)*
    }
}

/// An expression turning `expr` (a reference to a value of `target`) into a `Value`.
pub fn ser_expr(
    cx: &Context<'_>,
    settings: CodecSettings,
    member: Option<&Member>,
    target_id: &ShapeId,
    expr: TokenStream,
) -> TokenStream {
    let Some(target) = cx.model.shape(target_id) else {
        return quote!(rt::null());
    };
    match target.ty {
        _ if is_generated_type(target)
            && matches!(target.ty, ShapeType::String | ShapeType::Enum) =>
        {
            quote!(rt::ser_string(#expr.as_str()))
        }
        ShapeType::IntEnum => quote!(rt::ser_int(i64::from(#expr.value()))),
        ShapeType::Structure | ShapeType::Union => {
            let f = settings.path(ser_fn(cx, target_id));
            quote!(#f(#expr))
        }
        ShapeType::String => quote!(rt::ser_string(#expr)),
        ShapeType::Boolean => quote!(rt::ser_bool(*#expr)),
        ShapeType::Long => quote!(rt::ser_int(*#expr)),
        ShapeType::Byte | ShapeType::Short | ShapeType::Integer => {
            quote!(rt::ser_int(i64::from(*#expr)))
        }
        ShapeType::Float => quote!(rt::ser_f32(*#expr)),
        ShapeType::Double => quote!(rt::ser_float(*#expr)),
        ShapeType::BigInteger => quote!(rt::ser_big_integer(#expr)),
        ShapeType::BigDecimal => quote!(rt::ser_big_decimal(#expr)),
        ShapeType::Blob => quote!(rt::ser_blob(#expr)),
        ShapeType::Document => quote!(rt::ser_document(#expr)),
        ShapeType::Timestamp => {
            let format = timestamp_format(member, target);
            quote!(rt::ser_timestamp(#expr, #format))
        }
        ShapeType::List => {
            let item_member = &target.members["member"];
            let item = ser_expr(
                cx,
                settings,
                Some(item_member),
                &item_member.target,
                quote!(item),
            );
            if target.has_trait("smithy.api#sparse") {
                quote!(rt::array(#expr.iter().map(|item| match item { Some(item) => #item, None => rt::null() }).collect()))
            } else if let Some(f) = direct_fn(cx, settings, &item_member.target, Direction::Ser) {
                quote!(rt::array(#expr.iter().map(#f).collect()))
            } else {
                quote!(rt::array(#expr.iter().map(|item| #item).collect()))
            }
        }
        ShapeType::Map => {
            let value_member = &target.members["value"];
            let value = ser_expr(
                cx,
                settings,
                Some(value_member),
                &value_member.target,
                quote!(value),
            );
            let key = map_key_to_string(cx, &target.members["key"].target);
            if target.has_trait("smithy.api#sparse") {
                quote!(rt::object(#expr.iter().map(|(key, value)| (#key, match value { Some(value) => #value, None => rt::null() })).collect()))
            } else {
                quote!(rt::object(#expr.iter().map(|(key, value)| (#key, #value)).collect()))
            }
        }
        ShapeType::Enum | ShapeType::Service | ShapeType::Resource | ShapeType::Operation => {
            quote!(rt::null())
        }
    }
}

#[derive(Clone, Copy)]
enum Direction {
    Ser,
    De,
}

/// The function that serializes (or deserializes) a list item of `target`
/// when that is a single call taking the item, so it can be passed to `map`
/// directly (a closure around it would be redundant).
fn direct_fn(
    cx: &Context<'_>,
    settings: CodecSettings,
    target: &ShapeId,
    direction: Direction,
) -> Option<TokenStream> {
    let shape = cx.model.shape(target)?;
    if is_generated_type(shape) && !matches!(shape.ty, ShapeType::Structure | ShapeType::Union) {
        return None;
    }
    match (direction, shape.ty) {
        (Direction::Ser, ShapeType::Structure | ShapeType::Union) => {
            Some(settings.path(ser_fn(cx, target)))
        }
        (Direction::De, ShapeType::Structure | ShapeType::Union) => {
            Some(settings.path(de_fn(cx, target)))
        }
        (Direction::Ser, ShapeType::Blob) => Some(quote!(rt::ser_blob)),
        (Direction::Ser, ShapeType::BigInteger) => Some(quote!(rt::ser_big_integer)),
        (Direction::Ser, ShapeType::BigDecimal) => Some(quote!(rt::ser_big_decimal)),
        (Direction::Ser, ShapeType::Document) => Some(quote!(rt::ser_document)),
        (Direction::De, ShapeType::String) => Some(quote!(rt::de_string)),
        (Direction::De, ShapeType::Boolean) => Some(quote!(rt::de_bool)),
        (Direction::De, ShapeType::Byte) => Some(quote!(rt::de_int::<i8>)),
        (Direction::De, ShapeType::Short) => Some(quote!(rt::de_int::<i16>)),
        (Direction::De, ShapeType::Integer) => Some(quote!(rt::de_int::<i32>)),
        (Direction::De, ShapeType::Long) => Some(quote!(rt::de_int::<i64>)),
        (Direction::De, ShapeType::Double) => Some(quote!(rt::de_float)),
        (Direction::De, ShapeType::BigInteger) => Some(quote!(rt::de_big_integer)),
        (Direction::De, ShapeType::BigDecimal) => Some(quote!(rt::de_big_decimal)),
        (Direction::De, ShapeType::Blob) => Some(quote!(rt::de_blob)),
        _ => None,
    }
}

fn map_key_to_string(cx: &Context<'_>, key_target: &ShapeId) -> TokenStream {
    match cx.model.shape(key_target) {
        Some(k) if is_generated_type(k) => quote!(key.as_str().to_owned()),
        _ => quote!(key.clone()),
    }
}

/// An expression turning `expr` (a `&Value`) into `Result<T, rt::DeError>`.
pub fn de_expr(
    cx: &Context<'_>,
    settings: CodecSettings,
    member: Option<&Member>,
    target_id: &ShapeId,
    expr: TokenStream,
) -> TokenStream {
    let Some(target) = cx.model.shape(target_id) else {
        return quote!(Err(String::from("unknown shape")));
    };
    match target.ty {
        _ if is_generated_type(target)
            && matches!(target.ty, ShapeType::String | ShapeType::Enum) =>
        {
            let ty = cx.rust_type(target_id);
            quote!(rt::de_string(#expr).map(|s| #ty::from(s.as_str())))
        }
        ShapeType::IntEnum => {
            let ty = cx.rust_type(target_id);
            quote!(rt::de_int::<i32>(#expr).map(#ty::from))
        }
        ShapeType::Structure | ShapeType::Union => {
            let f = settings.path(de_fn(cx, target_id));
            quote!(#f(#expr))
        }
        ShapeType::String => quote!(rt::de_string(#expr)),
        ShapeType::Boolean => quote!(rt::de_bool(#expr)),
        ShapeType::Byte => quote!(rt::de_int::<i8>(#expr)),
        ShapeType::Short => quote!(rt::de_int::<i16>(#expr)),
        ShapeType::Integer => quote!(rt::de_int::<i32>(#expr)),
        ShapeType::Long => quote!(rt::de_int::<i64>(#expr)),
        ShapeType::Float => quote!(rt::de_float(#expr).map(|f| f as f32)),
        ShapeType::Double => quote!(rt::de_float(#expr)),
        ShapeType::BigInteger => quote!(rt::de_big_integer(#expr)),
        ShapeType::BigDecimal => quote!(rt::de_big_decimal(#expr)),
        ShapeType::Blob => quote!(rt::de_blob(#expr)),
        ShapeType::Document => quote!(Ok::<_, rt::DeError>(rt::de_document(#expr))),
        ShapeType::Timestamp => {
            let format = timestamp_format(member, target);
            quote!(rt::de_timestamp(#expr, #format))
        }
        ShapeType::List => {
            let item_member = &target.members["member"];
            let item = de_expr(
                cx,
                settings,
                Some(item_member),
                &item_member.target,
                quote!(item),
            );
            if target.has_trait("smithy.api#sparse") {
                quote!(rt::de_array(#expr).and_then(|items| items.iter().map(|item| if item.is_null() { Ok(None) } else { #item.map(Some) }).collect::<Result<Vec<_>, _>>()))
            } else if let Some(f) = direct_fn(cx, settings, &item_member.target, Direction::De) {
                quote!(rt::de_array(#expr).and_then(|items| items.iter().map(#f).collect::<Result<Vec<_>, _>>()))
            } else {
                quote!(rt::de_array(#expr).and_then(|items| items.iter().map(|item| #item).collect::<Result<Vec<_>, _>>()))
            }
        }
        ShapeType::Map => {
            let value_member = &target.members["value"];
            let value = de_expr(
                cx,
                settings,
                Some(value_member),
                &value_member.target,
                quote!(value),
            );
            let key = match cx.model.shape(&target.members["key"].target) {
                Some(k) if is_generated_type(k) => {
                    let ty = cx.rust_type(&k.id);
                    quote!(#ty::from(key.as_str()))
                }
                _ => quote!(key.clone()),
            };
            if target.has_trait("smithy.api#sparse") {
                quote!(rt::de_object(#expr).and_then(|entries| entries.iter().map(|(key, value)| Ok((#key, if value.is_null() { None } else { Some(#value?) }))).collect::<Result<std::collections::HashMap<_, _>, rt::DeError>>()))
            } else {
                quote!(rt::de_object(#expr).and_then(|entries| entries.iter().filter(|(_, value)| !value.is_null()).map(|(key, value)| Ok((#key, #value?))).collect::<Result<std::collections::HashMap<_, _>, rt::DeError>>()))
            }
        }
        ShapeType::Enum | ShapeType::Service | ShapeType::Resource | ShapeType::Operation => {
            quote!(Err(String::from("not data")))
        }
    }
}

/// Statements that insert `members` of `input` (a `&Struct` of `shape`)
/// into `object` (a mutable `rt::Map`).
pub fn ser_members(
    cx: &Context<'_>,
    settings: CodecSettings,
    shape: &Shape,
    members: &[&Member],
) -> TokenStream {
    let stmts = members.iter().map(|m| {
        let field = names::field_name(m.name());
        let key = key(m, settings);
        let value = ser_expr(cx, settings, Some(m), &m.target, quote!(value));
        if cx.is_optional(shape, m) {
            quote! { if let Some(value) = &input.#field { object.insert(String::from(#key), #value); } }
        } else {
            quote! {
                let value = &input.#field;
                object.insert(String::from(#key), #value);
            }
        }
    });
    quote!(#(#stmts)*)
}

/// Statements that read `members` from `object` (a `&rt::Map`) into
/// `builder` (a mutable builder of `shape`), returning `rt::DeError` on a
/// bad value.
pub fn de_members(cx: &Context<'_>, settings: CodecSettings, members: &[&Member]) -> TokenStream {
    let stmts = members.iter().map(|m| {
        let setter = names::setter_name(m.name());
        let key = key(m, settings);
        let name = m.name();
        let value = de_expr(cx, settings, Some(m), &m.target, quote!(value));
        let correction =
            correction(cx, m).map(|zero| quote!(else { builder = builder.#setter(#zero); }));
        quote! {
            if let Some(value) = object.get(#key).filter(|v| !v.is_null()) {
                builder = builder.#setter(#value.map_err(|e| rt::at(#name, e))?);
            } #correction
        }
    });
    quote!(#(#stmts)*)
}

/// Client error correction: the zero value a client fills in for a
/// `@required` member (without a default) that a response left out, so a
/// service omitting it does not make the whole response unreadable.
/// Structures and unions have no zero value; their absence stays an error.
pub fn correction(cx: &Context<'_>, member: &Member) -> Option<TokenStream> {
    let required = member
        .traits
        .keys()
        .any(|k| k.as_str() == "smithy.api#required");
    if !required || cx.default_value(member).is_some() {
        return None;
    }
    let target = cx.model.shape(&member.target)?;
    let ty = cx.rust_type(&target.id);
    Some(match target.ty {
        _ if is_generated_type(target)
            && matches!(target.ty, ShapeType::String | ShapeType::Enum) =>
        {
            quote!(#ty::from(""))
        }
        ShapeType::IntEnum => quote!(#ty::from(0)),
        ShapeType::String => quote!(String::new()),
        ShapeType::Boolean => quote!(false),
        ShapeType::Byte => quote!(0_i8),
        ShapeType::Short => quote!(0_i16),
        ShapeType::Integer => quote!(0_i32),
        ShapeType::Long => quote!(0_i64),
        ShapeType::Float => quote!(0.0_f32),
        ShapeType::Double => quote!(0.0_f64),
        ShapeType::Timestamp => quote!(tinsmith_runtime::DateTime::from_secs(0)),
        ShapeType::Blob => quote!(tinsmith_runtime::Blob::default()),
        ShapeType::Document => quote!(tinsmith_runtime::Document::Null),
        ShapeType::List => quote!(Vec::new()),
        ShapeType::Map => quote!(std::collections::HashMap::new()),
        ShapeType::BigInteger | ShapeType::BigDecimal => quote!(#ty::from(0)),
        _ => return None,
    })
}

fn structure(cx: &Context<'_>, shape: &Shape, settings: CodecSettings, want: Want) -> TokenStream {
    let ty = cx.rust_type(&shape.id);
    let allow = cx.allow_deprecated(shape);
    // Streaming members travel beside the document, never in it.
    let members: Vec<&Member> = shape
        .members
        .values()
        .filter(|m| !cx.is_streaming(m))
        .collect();
    let name = cx.type_ident(&shape.id);
    let mut out = TokenStream::new();
    if want.ser {
        let ser = ser_fn(cx, &shape.id);
        let doc = format!(" Serializes a [`{name}`] to JSON.");
        out.extend(if members.is_empty() {
            quote! {
                #[doc = #doc]
                #allow
                pub(super) fn #ser(_input: &#ty) -> rt::Value {
                    rt::object(rt::Map::new())
                }
            }
        } else {
            let stmts = ser_members(cx, settings, shape, &members);
            quote! {
                #[doc = #doc]
                #allow
                pub(super) fn #ser(input: &#ty) -> rt::Value {
                    let mut object = rt::Map::new();
                    #stmts
                    rt::object(object)
                }
            }
        });
    }
    if want.de {
        let de = de_fn(cx, &shape.id);
        let doc = format!(" Deserializes a [`{name}`] from JSON.");
        let body = if members.is_empty() {
            quote! {
                rt::de_object(value)?;
                #ty::builder().build().map_err(|e| e.to_string())
            }
        } else {
            let stmts = de_members(cx, settings, &members);
            quote! {
                let object = rt::de_object(value)?;
                let mut builder = #ty::builder();
                #stmts
                builder.build().map_err(|e| e.to_string())
            }
        };
        out.extend(quote! {
            #[doc = #doc]
            #allow
            pub(super) fn #de(value: &rt::Value) -> Result<#ty, rt::DeError> {
                #body
            }
        });
    }
    out
}

fn union(cx: &Context<'_>, shape: &Shape, settings: CodecSettings, want: Want) -> TokenStream {
    let ty = cx.rust_type(&shape.id);
    let ser = ser_fn(cx, &shape.id);
    let de = de_fn(cx, &shape.id);
    let allow = cx.allow_deprecated(shape);
    let ser_arms = shape.members.values().map(|m| {
        let variant = names::variant_name(m.name());
        let key = key(m, settings);
        if m.target.as_str() == "smithy.api#Unit" {
            quote! { #ty::#variant => { object.insert(String::from(#key), rt::object(rt::Map::new())); } }
        } else {
            let value = ser_expr(cx, settings, Some(m), &m.target, quote!(value));
            quote! { #ty::#variant(value) => { object.insert(String::from(#key), #value); } }
        }
    });
    let de_arms = shape.members.values().map(|m| {
        let variant = names::variant_name(m.name());
        let key = key(m, settings);
        let name = m.name();
        if m.target.as_str() == "smithy.api#Unit" {
            quote! { #key => #ty::#variant, }
        } else {
            let value = de_expr(cx, settings, Some(m), &m.target, quote!(value));
            let boxed = if cx.boxed_member(m) {
                quote!(.map(Box::new))
            } else {
                quote!()
            };
            quote! { #key => #ty::#variant(#value #boxed .map_err(|e| rt::at(#name, e))?), }
        }
    });
    let ser_doc = format!(" Serializes a [`{}`] to JSON.", cx.type_ident(&shape.id));
    let de_doc = format!(
        " Deserializes a [`{}`] from JSON.",
        cx.type_ident(&shape.id)
    );
    let ser_fn_tokens = quote! {
        #[doc = #ser_doc]
        #allow
        pub(super) fn #ser(input: &#ty) -> rt::Value {
            let mut object = rt::Map::new();
            match input {
                #(#ser_arms)*
                #ty::Unknown => {}
            }
            rt::object(object)
        }
    };
    let de_fn_tokens = quote! {
        #[doc = #de_doc]
        #allow
        pub(super) fn #de(value: &rt::Value) -> Result<#ty, rt::DeError> {
            let mut found = None;
            for (key, value) in rt::de_object(value)? {
                // `__type` names the union's shape in some services' output.
                if value.is_null() || key == "__type" {
                    continue;
                }
                if found.is_some() {
                    return Err(String::from("a union value must set exactly one member"));
                }
                found = Some(match key.as_str() {
                    #(#de_arms)*
                    _ => #ty::Unknown,
                });
            }
            found.ok_or_else(|| String::from("a union value must set exactly one member"))
        }
    };
    let mut out = TokenStream::new();
    if want.ser {
        out.extend(ser_fn_tokens);
    }
    if want.de {
        out.extend(de_fn_tokens);
    }
    out
}
