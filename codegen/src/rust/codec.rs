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

use super::paths::{self, Scope, timestamp_format};
use super::plan::{Member, Plan, Structure, TimestampFormat, Ty, TypeDef, Union};
use super::types::allow_deprecated;
use super::values::{self, Source};
use crate::model::ShapeId;

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
    /// How timestamps are written in documents.
    pub timestamps: DocumentTimestamps,
    /// `bigInteger` and `bigDecimal` are strings of digits (rpcv2Json)
    /// rather than numbers.
    pub big_numbers_as_text: bool,
    /// Read as a server reads requests, with the `strict_de_` functions:
    /// a `@required` member left out is an error (no client error
    /// correction), and an optional member's `@default` fills its absence.
    pub strict: bool,
}

/// How a protocol writes timestamps in its documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentTimestamps {
    /// As `@timestampFormat` says, epoch seconds without it (restJson1,
    /// awsJson; CBOR's tag 1 whatever it says).
    Honoured,
    /// Always epoch seconds: the protocol ignores `@timestampFormat`
    /// (rpcv2Json, "Shape serialization").
    EpochSeconds,
}

impl CodecSettings {
    /// The same settings for reading requests ([`CodecSettings::strict`]).
    pub fn strict(self) -> Self {
        CodecSettings {
            strict: true,
            ..self
        }
    }

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

    /// The key of a member (or union member) in a document.
    pub fn key<'a>(self, name: &'a str, json_name: Option<&'a str>) -> &'a str {
        match json_name {
            Some(json) if self.use_json_name => json,
            _ => name,
        }
    }
}

/// The serializer function for a structure or union.
fn ser_fn(plan: &Plan<'_>, id: &ShapeId) -> Ident {
    format_ident!("ser_{}", plan.get(id).stem())
}

/// The deserializer function for a structure or union: `de_<stem>`, or
/// `strict_de_<stem>` for reading requests (no other codec function starts
/// with `strict_`, so the two kinds never share a name).
fn de_fn(plan: &Plan<'_>, settings: CodecSettings, id: &ShapeId) -> Ident {
    if settings.strict {
        format_ident!("strict_de_{}", plan.get(id).stem())
    } else {
        format_ident!("de_{}", plan.get(id).stem())
    }
}

/// Documents default to epoch seconds (spec: "Protocol traits",
/// `@timestampFormat`), and some protocols ignore the trait.
fn document_timestamp(settings: CodecSettings, format: Option<TimestampFormat>) -> TokenStream {
    timestamp_format(document_format(settings, format))
}

/// The format a document's timestamp is in: the member's, unless the
/// protocol writes every timestamp as epoch seconds.
fn document_format(settings: CodecSettings, format: Option<TimestampFormat>) -> TimestampFormat {
    match settings.timestamps {
        DocumentTimestamps::Honoured => format.unwrap_or(TimestampFormat::EpochSeconds),
        DocumentTimestamps::EpochSeconds => TimestampFormat::EpochSeconds,
    }
}

/// The structures and unions whose serializers (`ser`) and deserializers
/// (`de`) the protocol code calls, directly or through other shapes.
#[derive(Debug, Default)]
pub struct Needs {
    /// Shapes that are serialized.
    pub ser: BTreeSet<ShapeId>,
    /// Shapes that are deserialized.
    pub de: BTreeSet<ShapeId>,
    /// Shapes a server deserializes from requests (strictly).
    pub strict_de: BTreeSet<ShapeId>,
}

impl Needs {
    /// Adds a structure sent to the service, and every aggregate inside it.
    pub fn add_ser(&mut self, plan: &Plan<'_>, id: &ShapeId) {
        aggregates_within(plan, id, &mut self.ser);
    }

    /// Adds a structure received from the service, and every aggregate inside it.
    pub fn add_de(&mut self, plan: &Plan<'_>, id: &ShapeId) {
        aggregates_within(plan, id, &mut self.de);
    }

    /// Adds a structure a server reads from requests, and every aggregate
    /// inside it.
    pub fn add_strict_de(&mut self, plan: &Plan<'_>, id: &ShapeId) {
        aggregates_within(plan, id, &mut self.strict_de);
    }

    /// Adds what a value of `ty` a server reads from requests contains.
    pub fn add_strict_de_ty(&mut self, plan: &Plan<'_>, ty: &Ty<'_>) {
        ty_within(plan, ty, &mut self.strict_de);
    }

    /// Adds what a value of `ty` sent to the service contains.
    pub fn add_ser_ty(&mut self, plan: &Plan<'_>, ty: &Ty<'_>) {
        ty_within(plan, ty, &mut self.ser);
    }

    /// Adds what a value of `ty` received from the service contains.
    pub fn add_de_ty(&mut self, plan: &Plan<'_>, ty: &Ty<'_>) {
        ty_within(plan, ty, &mut self.de);
    }

    /// True when no codec function is needed.
    pub fn is_empty(&self) -> bool {
        self.ser.is_empty() && self.de.is_empty() && self.strict_de.is_empty()
    }
}

fn ty_within(plan: &Plan<'_>, ty: &Ty<'_>, out: &mut BTreeSet<ShapeId>) {
    match ty {
        Ty::Structure(id) | Ty::Union(id) => aggregates_within(plan, id, out),
        Ty::List { item, .. } => ty_within(plan, item, out),
        Ty::Map { value, .. } => ty_within(plan, value, out),
        _ => {}
    }
}

/// Collects `root` (a structure or union) and the aggregates it contains.
fn aggregates_within(plan: &Plan<'_>, root: &ShapeId, out: &mut BTreeSet<ShapeId>) {
    match plan.get(root) {
        // An event stream is not a document: its events are read and
        // written one by one by the event codecs (`event_stream::add_needs`).
        TypeDef::Union(u) if u.stream.is_some() => {}
        TypeDef::Structure(s) if out.insert(root.clone()) => {
            for m in s.document_members() {
                ty_within(plan, &m.ty, out);
            }
        }
        TypeDef::Union(u) if out.insert(root.clone()) => {
            for ty in u.variants.iter().filter_map(|v| v.ty.as_ref()) {
                ty_within(plan, ty, out);
            }
        }
        _ => {}
    }
}

/// The whole codec module: the functions `needs` lists.
pub fn module(plan: &Plan<'_>, settings: CodecSettings, needs: &Needs) -> TokenStream {
    let settings = settings.unqualified();
    let fns = plan.types.iter().map(|t| {
        let id = t.id();
        let want = Want {
            ser: needs.ser.contains(id),
            de: needs.de.contains(id),
            strict_de: needs.strict_de.contains(id),
        };
        match t {
            TypeDef::Structure(s) => structure(plan, s, settings, want),
            TypeDef::Union(u) => union(plan, u, settings, want),
            _ => TokenStream::new(),
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

/// An expression turning `expr` (a reference to a value of `ty`) into a `Value`.
pub fn ser_expr(
    plan: &Plan<'_>,
    settings: CodecSettings,
    ty: &Ty<'_>,
    expr: TokenStream,
) -> TokenStream {
    match ty {
        Ty::Enum(_) => quote!(rt::ser_string(#expr.as_str())),
        Ty::IntEnum(_) => quote!(rt::ser_int(i64::from(#expr.value()))),
        Ty::Structure(id) | Ty::Union(id) => {
            let f = settings.path(ser_fn(plan, id));
            quote!(#f(#expr))
        }
        Ty::String { .. } => quote!(rt::ser_string(#expr)),
        Ty::Boolean => quote!(rt::ser_bool(*#expr)),
        Ty::Long => quote!(rt::ser_int(*#expr)),
        Ty::Byte | Ty::Short | Ty::Integer => quote!(rt::ser_int(i64::from(*#expr))),
        Ty::Float => quote!(rt::ser_f32(*#expr)),
        Ty::Double => quote!(rt::ser_float(*#expr)),
        Ty::BigInteger | Ty::BigDecimal => {
            let f = big_number_ser(settings, ty);
            quote!(#f(#expr))
        }
        Ty::Blob { .. } => quote!(rt::ser_blob(#expr)),
        Ty::Document => quote!(rt::ser_document(#expr)),
        Ty::Timestamp { format } => {
            let format = document_timestamp(settings, *format);
            quote!(rt::ser_timestamp(#expr, #format))
        }
        Ty::List { item, sparse, .. } => {
            let f = direct_fn(plan, settings, item, Way::Ser).unwrap_or_else(|| {
                let one = ser_expr(plan, settings, item, quote!(item));
                quote!(|item| #one)
            });
            if *sparse {
                quote!(rt::ser_sparse_list(#expr, #f))
            } else {
                quote!(rt::ser_list(#expr, #f))
            }
        }
        Ty::Map { value, sparse, .. } => {
            let f = direct_fn(plan, settings, value, Way::Ser).unwrap_or_else(|| {
                let one = ser_expr(plan, settings, value, quote!(value));
                quote!(|value| #one)
            });
            if *sparse {
                quote!(rt::ser_sparse_map(#expr, #f))
            } else {
                quote!(rt::ser_map(#expr, #f))
            }
        }
    }
}

/// The serializer of a big number: as a number, or as text.
fn big_number_ser(settings: CodecSettings, ty: &Ty<'_>) -> TokenStream {
    match (ty, settings.big_numbers_as_text) {
        (Ty::BigInteger, false) => quote!(rt::ser_big_integer),
        (Ty::BigInteger, true) => quote!(rt::ser_big_integer_text),
        (_, false) => quote!(rt::ser_big_decimal),
        (_, true) => quote!(rt::ser_big_decimal_text),
    }
}

#[derive(Clone, Copy)]
enum Way {
    Ser,
    De,
}

/// The function that serializes (or deserializes) a list item of `ty` when
/// that is a single call taking the item, so it can be passed to `map`
/// directly (a closure around it would be redundant).
fn direct_fn(
    plan: &Plan<'_>,
    settings: CodecSettings,
    ty: &Ty<'_>,
    way: Way,
) -> Option<TokenStream> {
    match (way, ty) {
        (Way::Ser, Ty::Structure(id) | Ty::Union(id)) => Some(settings.path(ser_fn(plan, id))),
        (Way::De, Ty::Structure(id) | Ty::Union(id)) => {
            Some(settings.path(de_fn(plan, settings, id)))
        }
        (Way::Ser, Ty::Blob { .. }) => Some(quote!(rt::ser_blob)),
        (Way::Ser, Ty::BigInteger | Ty::BigDecimal) => Some(big_number_ser(settings, ty)),
        (Way::Ser, Ty::Document) => Some(quote!(rt::ser_document)),
        (Way::De, Ty::String { .. }) => Some(quote!(rt::de_string)),
        (Way::De, Ty::Boolean) => Some(quote!(rt::de_bool)),
        (Way::De, Ty::Byte) => Some(quote!(rt::de_int::<i8>)),
        (Way::De, Ty::Short) => Some(quote!(rt::de_int::<i16>)),
        (Way::De, Ty::Integer) => Some(quote!(rt::de_int::<i32>)),
        (Way::De, Ty::Long) => Some(quote!(rt::de_int::<i64>)),
        (Way::De, Ty::Double) => Some(quote!(rt::de_float)),
        (Way::De, Ty::BigInteger) => Some(quote!(rt::de_big_integer)),
        (Way::De, Ty::BigDecimal) => Some(quote!(rt::de_big_decimal)),
        (Way::De, Ty::Blob { .. }) => Some(quote!(rt::de_blob)),
        (Way::De, Ty::Timestamp { format }) if !settings.strict => {
            Some(match document_format(settings, *format) {
                TimestampFormat::EpochSeconds => quote!(rt::de_epoch_seconds),
                TimestampFormat::DateTime => quote!(rt::de_date_time),
                TimestampFormat::HttpDate => quote!(rt::de_http_date),
            })
        }
        _ => None,
    }
}

/// An expression turning `expr` (a `&Value`) into `Result<T, rt::DeError>`.
pub fn de_expr(
    plan: &Plan<'_>,
    settings: CodecSettings,
    ty: &Ty<'_>,
    expr: TokenStream,
) -> TokenStream {
    match ty {
        Ty::Enum(_) => {
            let rust = paths::ty(plan, ty, Scope::Sibling);
            quote!(rt::de_string(#expr).map(|s| #rust::from(s.as_str())))
        }
        Ty::IntEnum(_) => {
            let rust = paths::ty(plan, ty, Scope::Sibling);
            quote!(rt::de_int::<i32>(#expr).map(#rust::from))
        }
        Ty::Structure(id) | Ty::Union(id) => {
            let f = settings.path(de_fn(plan, settings, id));
            quote!(#f(#expr))
        }
        Ty::String { .. } => quote!(rt::de_string(#expr)),
        Ty::Boolean => quote!(rt::de_bool(#expr)),
        Ty::Byte => quote!(rt::de_int::<i8>(#expr)),
        Ty::Short => quote!(rt::de_int::<i16>(#expr)),
        Ty::Integer => quote!(rt::de_int::<i32>(#expr)),
        Ty::Long => quote!(rt::de_int::<i64>(#expr)),
        Ty::Float => quote!(rt::de_float(#expr).map(|f| f as f32)),
        Ty::Double => quote!(rt::de_float(#expr)),
        Ty::BigInteger => quote!(rt::de_big_integer(#expr)),
        Ty::BigDecimal => quote!(rt::de_big_decimal(#expr)),
        Ty::Blob { .. } => quote!(rt::de_blob(#expr)),
        Ty::Document => quote!(Ok::<_, rt::DeError>(rt::de_document(#expr))),
        Ty::Timestamp { format } => {
            let format = document_timestamp(settings, *format);
            if settings.strict {
                quote!(rt::de_timestamp_strict(#expr, #format))
            } else {
                quote!(rt::de_timestamp(#expr, #format))
            }
        }
        Ty::List { item, sparse, .. } => {
            let f = de_fn_or_closure(plan, settings, item);
            if *sparse {
                quote!(rt::de_sparse_list(#expr, #f))
            } else {
                quote!(rt::de_list(#expr, #f))
            }
        }
        Ty::Map { value, sparse, .. } => {
            let f = de_fn_or_closure(plan, settings, value);
            if *sparse {
                quote!(rt::de_sparse_map(#expr, #f))
            } else if settings.strict {
                quote!(rt::strict_de_map(#expr, #f))
            } else {
                quote!(rt::de_map(#expr, #f))
            }
        }
    }
}

/// A function reading a `&Value` into `ty`: a runtime or generated reader
/// when one fits, or a closure around [`de_expr`].
fn de_fn_or_closure(plan: &Plan<'_>, settings: CodecSettings, ty: &Ty<'_>) -> TokenStream {
    direct_fn(plan, settings, ty, Way::De).unwrap_or_else(|| {
        let one = de_expr(plan, settings, ty, quote!(value));
        quote!(|value| #one)
    })
}

/// Statements that insert `members` of `input` (a reference to the
/// structure) into `object` (a mutable `rt::Map`).
pub fn ser_members(
    plan: &Plan<'_>,
    settings: CodecSettings,
    members: &[&Member<'_>],
) -> TokenStream {
    let stmts = members.iter().map(|m| {
        let field = &m.field;
        let key = settings.key(m.name, m.json_name);
        let value = ser_expr(plan, settings, &m.ty, quote!(value));
        if m.optional {
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
/// `builder` (a mutable builder of their structure), returning
/// `rt::DeError` on a bad value.
pub fn de_members(
    plan: &Plan<'_>,
    settings: CodecSettings,
    members: &[&Member<'_>],
) -> TokenStream {
    let stmts = members.iter().map(|m| {
        let setter = &m.setter;
        let key = settings.key(m.name, m.json_name);
        let name = m.name;
        let value = de_expr(plan, settings, &m.ty, quote!(value));
        let fill = fill(plan, settings, m).map(|fill| quote!(else { #fill }));
        let present = present(&key, &m.ty);
        quote! {
            if let Some(value) = #present {
                builder = builder.#setter(#value.map_err(|e| rt::at(#name, e))?);
            } #fill
        }
    });
    quote!(#(#stmts)*)
}

/// The value of member `key` of `object` when it is present: not `null`,
/// unless the member is a document, whose `null` is a value
/// (`Document::Null`).
pub fn present(key: &impl quote::ToTokens, ty: &Ty<'_>) -> TokenStream {
    if matches!(ty, Ty::Document) {
        quote!(object.get(#key))
    } else {
        quote!(object.get(#key).filter(|v| !v.is_null()))
    }
}

/// The statement that fills in a member a document left out: the zero
/// value of client error correction, or the default a server fills in.
fn fill(plan: &Plan<'_>, settings: CodecSettings, m: &Member<'_>) -> Option<TokenStream> {
    if settings.strict {
        let default = server_default(plan, m)?;
        let setter = &m.setter;
        return Some(quote!(builder = builder.#setter(#default);));
    }
    let zero = correction(plan, m)?;
    let setter = &m.setter;
    Some(quote!(builder = builder.#setter(#zero);))
}

/// A server fills in the `@default` of a member a request left out when
/// the member's field is optional (an operation input's, whose defaults
/// clients need not send; spec: `@default`, "Default value serialization").
fn server_default(plan: &Plan<'_>, member: &Member<'_>) -> Option<TokenStream> {
    let default = member.default?;
    member
        .optional
        .then(|| values::expr(plan, &member.ty, default, Source::Default, Scope::Sibling))
}

/// Client error correction: the zero value a client fills in for a
/// `@required` member (without a default) that a response left out, so a
/// service omitting it does not make the whole response unreadable.
/// Structures and unions have no zero value; their absence stays an error.
pub fn correction(plan: &Plan<'_>, member: &Member<'_>) -> Option<TokenStream> {
    if !member.needs_value() || matches!(member.ty, Ty::Structure(_) | Ty::Union(_)) {
        return None;
    }
    let zero = values::zero(&member.ty);
    Some(values::expr(
        plan,
        &member.ty,
        &zero,
        Source::Zero,
        Scope::Sibling,
    ))
}

/// The settings of each deserializer a shape needs: the client's, and
/// the server's strict one.
fn readers(settings: CodecSettings, want: Want) -> impl Iterator<Item = CodecSettings> {
    [
        want.de.then_some(settings),
        want.strict_de.then(|| settings.strict()),
    ]
    .into_iter()
    .flatten()
}

fn de_doc(name: &Ident, format: &str, settings: CodecSettings) -> String {
    if settings.strict {
        format!(" Deserializes a [`{name}`] from {format} as a server reads a request.")
    } else {
        format!(" Deserializes a [`{name}`] from {format}.")
    }
}

/// Which halves of a shape's codec the protocol needs.
#[derive(Debug, Clone, Copy)]
struct Want {
    ser: bool,
    de: bool,
    strict_de: bool,
}

fn structure(
    plan: &Plan<'_>,
    shape: &Structure<'_>,
    settings: CodecSettings,
    want: Want,
) -> TokenStream {
    let ty = paths::named(plan, shape.id, Scope::Sibling);
    let allow = allow_deprecated(shape.uses_deprecated);
    // Streaming members travel beside the document, never in it.
    let members: Vec<&Member<'_>> = shape.document_members().collect();
    let name = &shape.ident;
    let format = settings.module.to_uppercase();
    let mut out = TokenStream::new();
    if want.ser {
        let f = ser_fn(plan, shape.id);
        let doc = format!(" Serializes a [`{name}`] to {format}.");
        out.extend(if members.is_empty() {
            quote! {
                #[doc = #doc]
                #allow
                pub(super) fn #f(_input: &#ty) -> rt::Value {
                    rt::object(rt::Map::new())
                }
            }
        } else {
            let stmts = ser_members(plan, settings, &members);
            quote! {
                #[doc = #doc]
                #allow
                pub(super) fn #f(input: &#ty) -> rt::Value {
                    let mut object = rt::Map::new();
                    #stmts
                    rt::object(object)
                }
            }
        });
    }
    for settings in readers(settings, want) {
        let f = de_fn(plan, settings, shape.id);
        let doc = de_doc(name, &format, settings);
        let on_error = quote!(|e| e.to_string());
        let body = if members.is_empty() {
            let built = crate::rust::types::built(shape, quote!(#ty::builder()), on_error);
            quote! {
                rt::de_object(value)?;
                #built
            }
        } else {
            // Members a document may leave out are set in one chain; those
            // filled in when absent (client error correction, server
            // defaults), one statement each.
            let (corrected, chained): (Vec<&Member<'_>>, Vec<&Member<'_>>) = members
                .iter()
                .partition(|m| fill(plan, settings, m).is_some());
            let setters = chained.iter().map(|m| {
                let setter = &m.setter;
                let key = settings.key(m.name, m.json_name);
                let read = de_fn_or_closure(plan, settings, &m.ty);
                // A document's `null` is a value (`Document::Null`).
                let member = if matches!(m.ty, Ty::Document) {
                    quote!(rt::nullable_member)
                } else {
                    quote!(rt::member)
                };
                quote!(.#setter(#member(object, #key, #read)?))
            });
            let stmts = de_members(plan, settings, &corrected);
            let binding = if corrected.is_empty() {
                quote!(let builder)
            } else {
                quote!(let mut builder)
            };
            let built = crate::rust::types::built(shape, quote!(builder), on_error);
            quote! {
                let object = rt::de_object(value)?;
                #binding = #ty::builder() #(#setters)*;
                #stmts
                #built
            }
        };
        out.extend(quote! {
            #[doc = #doc]
            #allow
            pub(super) fn #f(value: &rt::Value) -> Result<#ty, rt::DeError> {
                #body
            }
        });
    }
    out
}

fn union(plan: &Plan<'_>, shape: &Union<'_>, settings: CodecSettings, want: Want) -> TokenStream {
    let ty = paths::named(plan, shape.id, Scope::Sibling);
    let allow = allow_deprecated(shape.uses_deprecated);
    let name = &shape.ident;
    let format = settings.module.to_uppercase();
    let mut out = TokenStream::new();
    if want.ser {
        let arms = shape.variants.iter().map(|v| {
            let variant = &v.ident;
            let key = settings.key(v.name, v.json_name);
            match &v.ty {
                None => quote! { #ty::#variant => { object.insert(String::from(#key), rt::object(rt::Map::new())); } },
                Some(inner) => {
                    let value = ser_expr(plan, settings, inner, quote!(value));
                    quote! { #ty::#variant(value) => { object.insert(String::from(#key), #value); } }
                }
            }
        });
        let f = ser_fn(plan, shape.id);
        let doc = format!(" Serializes a [`{name}`] to {format}.");
        // A union of another crate is `#[non_exhaustive]` from here.
        let unknown = shape
            .has_unknown()
            .then(|| match plan.extern_path(shape.id) {
                Some(_) => quote!(_ => {}),
                None => quote!(#ty::Unknown => {}),
            });
        out.extend(quote! {
            #[doc = #doc]
            #allow
            pub(super) fn #f(input: &#ty) -> rt::Value {
                let mut object = rt::Map::new();
                match input {
                    #(#arms)*
                    #unknown
                }
                rt::object(object)
            }
        });
    }
    for settings in readers(settings, want) {
        let arms = shape.variants.iter().map(|v| {
            let variant = &v.ident;
            let key = settings.key(v.name, v.json_name);
            let name = v.name;
            match &v.ty {
                None => quote! { #key => #ty::#variant, },
                Some(inner) => {
                    let value = de_expr(plan, settings, inner, quote!(value));
                    let boxed = v.boxed.then(|| quote!(.map(Box::new)));
                    quote! { #key => #ty::#variant(#value #boxed .map_err(|e| rt::at(#name, e))?), }
                }
            }
        });
        let f = de_fn(plan, settings, shape.id);
        let doc = de_doc(name, &format, settings);
        // A client keeps members it does not know as `Unknown`; a server
        // refuses them.
        let unknown = if settings.strict {
            quote!(other => return Err(format!("`{other}` is not a member of the union")),)
        } else {
            quote!(_ => #ty::Unknown,)
        };
        out.extend(quote! {
            #[doc = #doc]
            #allow
            pub(super) fn #f(value: &rt::Value) -> Result<#ty, rt::DeError> {
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
                        #(#arms)*
                        #unknown
                    });
                }
                found.ok_or_else(|| String::from("a union value must set exactly one member"))
            }
        });
    }
    out
}
