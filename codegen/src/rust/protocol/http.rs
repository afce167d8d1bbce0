//! Conversions between member values and the text of path labels, query
//! parameters and headers (spec: "HTTP protocol bindings", serialization
//! rules): how each value type is written, and the default timestamp
//! format of each location.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::super::names;
use super::super::paths::{self, Scope, timestamp_format};
use super::super::plan::{Plan, TimestampFormat, Ty};

/// Where a text value goes: it decides the default timestamp format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextIn {
    /// A path label or query parameter (`date-time`).
    UriOrQuery,
    /// A header (`http-date`; `@mediaType` strings are base64).
    Header,
}

fn format(format: Option<TimestampFormat>, place: TextIn) -> TimestampFormat {
    match (format, place) {
        (Some(f), _) => f,
        (None, TextIn::Header) => TimestampFormat::HttpDate,
        (None, TextIn::UriOrQuery) => TimestampFormat::DateTime,
    }
}

/// True for timestamps sent as HTTP dates (lists of them are not quoted:
/// the dates contain commas of their own).
pub fn is_http_date(ty: &Ty<'_>, place: TextIn) -> bool {
    matches!(ty, Ty::Timestamp { format: f } if format(*f, place) == TimestampFormat::HttpDate)
}

/// The local holding an encoded path label.
pub fn label_var(field: &Ident) -> Ident {
    format_ident!("label_{}", names::plain(field))
}

/// An expression of type `&str` or `String` for `expr` (a reference to a
/// value of `ty`); may use `?` with a `ConstructionError`.
pub fn to_text(ty: &Ty<'_>, expr: TokenStream, place: TextIn) -> TokenStream {
    match ty {
        Ty::Enum(_) => quote!(#expr.as_str()),
        Ty::String {
            media_type: Some(_),
        } if place == TextIn::Header => quote!(binding::fmt_base64(#expr)),
        Ty::String { .. } => quote!(#expr.as_str()),
        Ty::IntEnum(_) => quote!(#expr.value().to_string()),
        Ty::Float => quote!(binding::fmt_f32(*#expr)),
        Ty::Double => quote!(binding::fmt_float(*#expr)),
        Ty::Timestamp { format: f } => {
            let f = timestamp_format(format(*f, place));
            quote!(binding::fmt_timestamp(#expr, #f)?)
        }
        Ty::Blob { .. } => quote!(binding::fmt_base64_bytes(#expr.as_bytes())),
        Ty::BigInteger | Ty::BigDecimal => quote!(#expr.as_str()),
        _ => quote!(#expr.to_string()),
    }
}

/// A parse of text into a value.
pub struct Parsed {
    /// The expression.
    pub expr: TokenStream,
    /// True when `expr` is a `Result<T, rt::DeError>`; false when it is a `T`.
    pub fallible: bool,
}

/// Parses `text` (an expression of type `&str`) as a value of `ty`; when
/// `strict`, as a server reads a request (its date-times only in UTC).
pub fn from_text(
    plan: &Plan<'_>,
    ty: &Ty<'_>,
    text: TokenStream,
    place: TextIn,
    strict: bool,
) -> Parsed {
    let rust = paths::ty(plan, ty, Scope::Sibling);
    let (expr, fallible) = match ty {
        Ty::Enum(_) => (quote!(#rust::from(#text)), false),
        Ty::String {
            media_type: Some(_),
        } if place == TextIn::Header => (quote!(binding::parse_base64(#text)), true),
        Ty::String { .. } => (quote!(#text.to_owned()), false),
        Ty::IntEnum(_) => (quote!(binding::parse::<i32>(#text).map(#rust::from)), true),
        Ty::Float => (quote!(binding::parse_float(#text).map(|f| f as f32)), true),
        Ty::Double => (quote!(binding::parse_float(#text)), true),
        Ty::Timestamp { format: f } => {
            let f = timestamp_format(format(*f, place));
            if strict {
                (quote!(binding::parse_timestamp_strict(#text, #f)), true)
            } else {
                (quote!(binding::parse_timestamp(#text, #f)), true)
            }
        }
        Ty::Blob { .. } => (
            quote!(binding::parse_base64_bytes(#text).map(tinsmith_runtime::Blob::new)),
            true,
        ),
        _ => (quote!(binding::parse::<#rust>(#text)), true),
    };
    Parsed { expr, fallible }
}
