//! HTTP binding traits (`@http`, `@httpLabel`, `@httpQuery`,
//! `@httpHeader`, ...) as the generator sees them: which part of a message
//! each member is bound to, the parsed URI pattern, and conversions between
//! member values and the text of labels, query parameters and headers.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::super::context::{Context, is_generated_type};
use crate::model::{Member, Node, Shape, ShapeType, trait_value};

/// Where a member of an input, output or error structure travels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Binding {
    /// A path label.
    Label,
    /// A query parameter with this name.
    Query(String),
    /// A map of further query parameters.
    QueryParams,
    /// A header with this name.
    Header(String),
    /// Headers starting with this prefix, as a map.
    PrefixHeaders(String),
    /// The whole body.
    Payload,
    /// The HTTP status code.
    ResponseCode,
    /// A member of the JSON body document.
    Body,
}

/// The binding of a member.
pub fn binding(member: &Member) -> Binding {
    let value = |t: &str| trait_value(&member.traits, t);
    let text = |t: &str| {
        value(t)
            .and_then(Node::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    if value("smithy.api#httpLabel").is_some() {
        Binding::Label
    } else if value("smithy.api#httpQuery").is_some() {
        Binding::Query(text("smithy.api#httpQuery"))
    } else if value("smithy.api#httpQueryParams").is_some() {
        Binding::QueryParams
    } else if value("smithy.api#httpHeader").is_some() {
        Binding::Header(text("smithy.api#httpHeader"))
    } else if value("smithy.api#httpPrefixHeaders").is_some() {
        Binding::PrefixHeaders(text("smithy.api#httpPrefixHeaders"))
    } else if value("smithy.api#httpPayload").is_some() {
        Binding::Payload
    } else if value("smithy.api#httpResponseCode").is_some() {
        Binding::ResponseCode
    } else {
        Binding::Body
    }
}

/// One segment of a URI pattern's path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Literal text.
    Literal(String),
    /// A label, greedy (`{key+}`) or not.
    Label { name: String, greedy: bool },
}

/// A parsed `@http` URI pattern: path segments and literal query parameters.
#[derive(Debug, Clone, Default)]
pub struct UriPattern {
    /// Path segments, in order.
    pub segments: Vec<Segment>,
    /// Literal query parameters (`?key=value` or `?flag`).
    pub query: Vec<(String, Option<String>)>,
}

/// Parses an `@http` URI such as `/cities/{cityId}/forecast?detail=full`.
pub fn parse_uri(uri: &str) -> UriPattern {
    let (path, query) = uri.split_once('?').unwrap_or((uri, ""));
    let segments = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(
            |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(label) => match label.strip_suffix('+') {
                    Some(name) => Segment::Label {
                        name: name.to_owned(),
                        greedy: true,
                    },
                    None => Segment::Label {
                        name: label.to_owned(),
                        greedy: false,
                    },
                },
                None => Segment::Literal(s.to_owned()),
            },
        )
        .collect();
    let query = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (k.to_owned(), Some(v.to_owned())),
            None => (p.to_owned(), None),
        })
        .collect();
    UriPattern { segments, query }
}

/// The `@http` trait of an operation: method, URI pattern, success code.
pub struct HttpTrait {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The URI pattern.
    pub uri: UriPattern,
    /// Whether the URI ends with `/` (kept as written).
    pub trailing_slash: bool,
}

/// Reads an operation's `@http` trait (restJson1 requires one; a missing
/// trait is treated as `POST /`).
pub fn http_trait(op: &Shape) -> HttpTrait {
    let value = op.trait_value("smithy.api#http");
    let get = |k: &str| value.and_then(|v| v.get(k)).and_then(Node::as_str);
    let uri = get("uri").unwrap_or("/");
    let path = uri.split('?').next().unwrap_or("/");
    HttpTrait {
        method: get("method").unwrap_or("POST").to_ascii_uppercase(),
        uri: parse_uri(uri),
        trailing_slash: path.len() > 1 && path.ends_with('/'),
    }
}

/// The local variable holding an encoded label.
pub fn label_var(name: &str) -> Ident {
    format_ident!("label_{}", heck::ToSnakeCase::to_snake_case(name))
}

/// Where a text value goes: it decides the default timestamp format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextIn {
    /// A path label or query parameter (`date-time`).
    UriOrQuery,
    /// A header (`http-date`; `@mediaType` strings are base64).
    Header,
}

fn timestamp_format(member: &Member, target: &Shape, place: TextIn) -> TokenStream {
    let value = trait_value(&member.traits, "smithy.api#timestampFormat")
        .or_else(|| target.trait_value("smithy.api#timestampFormat"))
        .and_then(Node::as_str);
    match (value, place) {
        (Some("epoch-seconds"), _) => quote!(tinsmith_runtime::TimestampFormat::EpochSeconds),
        (Some("http-date"), _) | (None, TextIn::Header) => {
            quote!(tinsmith_runtime::TimestampFormat::HttpDate)
        }
        _ => quote!(tinsmith_runtime::TimestampFormat::DateTime),
    }
}

/// True for timestamps sent as HTTP dates (lists of them are not quoted).
pub fn is_http_date(member: &Member, target: &Shape, place: TextIn) -> bool {
    target.ty == ShapeType::Timestamp
        && timestamp_format(member, target, place)
            .to_string()
            .ends_with("HttpDate")
}

/// An expression of type `&str` or `String` for `expr` (a reference to a value of
/// the member's target, or of the list item `target`); may use `?` with a
/// `ConstructionError`.
pub fn to_text(
    cx: &Context<'_>,
    member: &Member,
    target: &Shape,
    expr: TokenStream,
    place: TextIn,
) -> TokenStream {
    match target.ty {
        _ if is_generated_type(target)
            && matches!(target.ty, ShapeType::String | ShapeType::Enum) =>
        {
            quote!(#expr.as_str())
        }
        ShapeType::String
            if place == TextIn::Header && target.has_trait("smithy.api#mediaType") =>
        {
            quote!(binding::fmt_base64(#expr))
        }
        ShapeType::String => quote!(#expr.as_str()),
        ShapeType::IntEnum => quote!(#expr.value().to_string()),
        ShapeType::Float => quote!(binding::fmt_f32(*#expr)),
        ShapeType::Double => quote!(binding::fmt_float(*#expr)),
        ShapeType::Timestamp => {
            let format = timestamp_format(member, target, place);
            quote!(binding::fmt_timestamp(#expr, #format)?)
        }
        ShapeType::Blob => quote!(binding::fmt_base64_bytes(#expr.as_bytes())),
        ShapeType::BigInteger | ShapeType::BigDecimal => quote!(#expr.as_str()),
        _ => {
            let _ = cx;
            quote!(#expr.to_string())
        }
    }
}

/// A parse of header text into a value.
pub struct Parsed {
    /// The expression.
    pub expr: TokenStream,
    /// True when `expr` is a `Result<T, rt::DeError>`; false when it is a `T`.
    pub fallible: bool,
}

/// Parses `text` (an expression of type `&str`, or `String` when `owned`)
/// as a value of `target`.
pub fn from_text(
    cx: &Context<'_>,
    member: &Member,
    target: &Shape,
    text: TokenStream,
    place: TextIn,
) -> Parsed {
    let ty = cx.rust_type(&target.id);
    let (expr, fallible) = match target.ty {
        _ if is_generated_type(target)
            && matches!(target.ty, ShapeType::String | ShapeType::Enum) =>
        {
            (quote!(#ty::from(#text)), false)
        }
        ShapeType::String
            if place == TextIn::Header && target.has_trait("smithy.api#mediaType") =>
        {
            (quote!(binding::parse_base64(#text)), true)
        }
        ShapeType::String => (quote!(#text.to_owned()), false),
        ShapeType::IntEnum => (quote!(binding::parse::<i32>(#text).map(#ty::from)), true),
        ShapeType::Float => (quote!(binding::parse_float(#text).map(|f| f as f32)), true),
        ShapeType::Double => (quote!(binding::parse_float(#text)), true),
        ShapeType::Timestamp => {
            let format = timestamp_format(member, target, place);
            (quote!(binding::parse_timestamp(#text, #format)), true)
        }
        ShapeType::Blob => (
            quote!(binding::parse_base64_bytes(#text).map(tinsmith_runtime::Blob::new)),
            true,
        ),
        _ => (quote!(binding::parse::<#ty>(#text)), true),
    };
    Parsed { expr, fallible }
}
