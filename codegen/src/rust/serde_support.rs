//! `serde` support of generated types (`Options::serde`): the attributes
//! and impls that let users store or exchange values of the model's types
//! with any serde format.
//!
//! The form is the model's own: structures are maps keyed by Smithy member
//! names with absent optional members left out, unions are maps with one
//! key (the member), enums are their wire values. Deserializing goes through
//! the builder, so required members are checked and `@default` values
//! filled exactly as `build()` does them. Streaming structures and event
//! streams have no serde form; `Unknown` union values cannot be serialized.

use proc_macro2::TokenStream;
use quote::quote;

use super::SerdeSupport;
use super::plan::{Member, Plan, Structure, Union, Variant};

/// The attributes `inner` (comma-separated, e.g. `derive(..), serde(..)`),
/// conditional on the crate's `serde` feature when the support is a
/// feature; nothing when it is off or `inner` is empty.
fn attr(plan: &Plan<'_>, inner: TokenStream) -> TokenStream {
    if inner.is_empty() {
        return TokenStream::new();
    }
    match plan.serde {
        SerdeSupport::Off => TokenStream::new(),
        SerdeSupport::Feature => quote!(#[cfg_attr(feature = "serde", #inner)]),
        SerdeSupport::Always => {
            let attrs = split_attrs(inner);
            quote!(#(#[#attrs])*)
        }
    }
}

/// `a(..), b(..)` → `[a(..), b(..)]`, for attributes written one by one.
fn split_attrs(inner: TokenStream) -> Vec<TokenStream> {
    let mut attrs = vec![TokenStream::new()];
    for token in inner {
        match &token {
            proc_macro2::TokenTree::Punct(p) if p.as_char() == ',' => {
                attrs.push(TokenStream::new())
            }
            _ => attrs.last_mut().expect("never empty").extend([token]),
        }
    }
    attrs.retain(|a| !a.is_empty());
    attrs
}

/// `serde(..)` with these arguments, or nothing without any.
fn serde_args(args: Vec<TokenStream>) -> TokenStream {
    if args.is_empty() {
        TokenStream::new()
    } else {
        quote!(serde(#(#args),*))
    }
}

/// `#[cfg(feature = "serde")]` for impl items, when the support is a feature.
fn cfg(plan: &Plan<'_>) -> TokenStream {
    match plan.serde {
        SerdeSupport::Feature => quote!(#[cfg(feature = "serde")]),
        _ => TokenStream::new(),
    }
}

/// True when a structure gets serde support: it is on, and the structure
/// holds values rather than streams.
pub fn for_structure(plan: &Plan<'_>, shape: &Structure<'_>) -> bool {
    plan.serde != SerdeSupport::Off && shape.streaming_member().is_none()
}

/// The attributes of a structure: serialized from its fields, deserialized
/// through its builder.
pub fn structure_attrs(plan: &Plan<'_>, shape: &Structure<'_>) -> TokenStream {
    if !for_structure(plan, shape) {
        return TokenStream::new();
    }
    let builder = shape.builder.to_string();
    let via = if shape.build_is_fallible() {
        quote!(try_from = #builder)
    } else {
        quote!(from = #builder)
    };
    attr(
        plan,
        quote!(derive(serde::Serialize, serde::Deserialize), serde(#via)),
    )
}

/// The attributes of a structure's field: its member name, and absent
/// when `None`.
pub fn field_attrs(plan: &Plan<'_>, shape: &Structure<'_>, member: &Member<'_>) -> TokenStream {
    if !for_structure(plan, shape) {
        return TokenStream::new();
    }
    // `Option` is a reserved type name: no generated type shadows it.
    let args = rename(member.name, &member.field.to_string())
        .into_iter()
        .chain(
            member
                .optional
                .then(|| quote!(skip_serializing_if = "Option::is_none")),
        )
        .collect();
    attr(plan, serde_args(args))
}

/// The attributes of a builder: deserialized from the structure's form,
/// absent members left unset.
pub fn builder_attrs(plan: &Plan<'_>, shape: &Structure<'_>) -> TokenStream {
    if !for_structure(plan, shape) {
        return TokenStream::new();
    }
    attr(plan, quote!(derive(serde::Deserialize), serde(default)))
}

/// The attributes of a builder's field.
pub fn builder_field_attrs(
    plan: &Plan<'_>,
    shape: &Structure<'_>,
    member: &Member<'_>,
) -> TokenStream {
    if !for_structure(plan, shape) {
        return TokenStream::new();
    }
    attr(
        plan,
        serde_args(
            rename(member.name, &member.field.to_string())
                .into_iter()
                .collect(),
        ),
    )
}

/// `From<Builder>` or `TryFrom<Builder>`, which deserializing uses.
pub fn structure_impls(plan: &Plan<'_>, shape: &Structure<'_>, allow: &TokenStream) -> TokenStream {
    if !for_structure(plan, shape) {
        return TokenStream::new();
    }
    let (name, builder) = (&shape.ident, &shape.builder);
    let cfg = cfg(plan);
    let doc = format!(" Builds the [`{name}`], as [`{builder}::build`] does.");
    if shape.build_is_fallible() {
        quote! {
            #cfg
            #allow
            impl std::convert::TryFrom<#builder> for #name {
                type Error = tinsmith_runtime::BuildError;

                #[doc = #doc]
                fn try_from(builder: #builder) -> std::result::Result<Self, Self::Error> {
                    builder.build()
                }
            }
        }
    } else {
        quote! {
            #cfg
            #allow
            impl std::convert::From<#builder> for #name {
                #[doc = #doc]
                fn from(builder: #builder) -> Self {
                    builder.build()
                }
            }
        }
    }
}

/// True when a union gets serde support: it is on, and the union is not
/// an event stream.
fn for_union(plan: &Plan<'_>, shape: &Union<'_>) -> bool {
    plan.serde != SerdeSupport::Off && shape.stream.is_none()
}

/// The attributes of a union.
pub fn union_attrs(plan: &Plan<'_>, shape: &Union<'_>) -> TokenStream {
    if !for_union(plan, shape) {
        return TokenStream::new();
    }
    attr(plan, quote!(derive(serde::Serialize, serde::Deserialize)))
}

/// The attributes of a union's variant: its member name.
pub fn variant_attrs(plan: &Plan<'_>, shape: &Union<'_>, variant: &Variant<'_>) -> TokenStream {
    if !for_union(plan, shape) {
        return TokenStream::new();
    }
    attr(
        plan,
        serde_args(
            rename(variant.name, &variant.ident.to_string())
                .into_iter()
                .collect(),
        ),
    )
}

/// The attributes of a union's `Unknown` variant: it has no form.
pub fn unknown_attrs(plan: &Plan<'_>, shape: &Union<'_>) -> TokenStream {
    if !for_union(plan, shape) {
        return TokenStream::new();
    }
    attr(plan, quote!(serde(skip)))
}

/// `Serialize` and `Deserialize` of an enum (a string enum when `string`,
/// else an `intEnum`): its wire value, kept as `Unknown` when this version
/// does not know it.
pub fn enum_impls(
    plan: &Plan<'_>,
    name: &proc_macro2::Ident,
    allow: &TokenStream,
    string: bool,
) -> TokenStream {
    if plan.serde == SerdeSupport::Off {
        return TokenStream::new();
    }
    let cfg = cfg(plan);
    let (ser, de) = if string {
        (
            quote!(serializer.serialize_str(self.as_str())),
            quote!(Ok(Self::from(
                <std::string::String as serde::Deserialize>::deserialize(deserializer)?.as_str()
            ))),
        )
    } else {
        (
            quote!(serializer.serialize_i32(self.value())),
            quote!(Ok(Self::from(<i32 as serde::Deserialize>::deserialize(
                deserializer
            )?))),
        )
    };
    quote! {
        #cfg
        #allow
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
                #ser
            }
        }

        #cfg
        #allow
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
                #de
            }
        }
    }
}

/// `rename = ".."` when the Rust name is not the Smithy one.
fn rename(smithy: &str, rust: &str) -> Option<TokenStream> {
    (smithy != rust.trim_start_matches("r#")).then(|| quote!(rename = #smithy))
}
