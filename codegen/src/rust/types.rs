//! Emits the `types` module: one Rust type per structure, union, enum and
//! intEnum the service uses, with builders for structures.
//!
//! Conventions of the output: every type is `#[non_exhaustive]` (models
//! evolve); enums and unions carry an `Unknown` variant for values newer than
//! the client; `@sensitive` data is redacted in `Debug`; fields are public,
//! builders have a value setter and an `Option` setter per member, and
//! `build()` reports every missing required member at once.

use proc_macro2::TokenStream;
use quote::quote;

use super::context::Context;
use super::docs::doc_attrs;
use super::names;
use crate::model::{Node, Shape, ShapeType};

/// The whole `types` module.
pub fn module(cx: &Context<'_>) -> TokenStream {
    let items: Vec<_> = cx.within_types_module(|| {
        cx.generated_shapes()
            .map(|shape| match shape.ty {
                ShapeType::Structure => structure(cx, shape),
                ShapeType::Union => union(cx, shape),
                ShapeType::IntEnum => int_enum(cx, shape),
                _ => string_enum(cx, shape),
            })
            .collect()
    });
    quote! {
        #![doc = " Data types of the service: inputs, outputs, errors and the shapes they use."]
        #(#items)*
    }
}

fn structure(cx: &Context<'_>, shape: &Shape) -> TokenStream {
    let allow = cx.allow_deprecated(shape);
    let name = cx.type_ident(&shape.id);
    let builder = cx.builder_ident(&shape.id);
    let docs = cx.shape_docs(shape);
    let deprecated = cx.deprecated(&shape.traits);
    let members: Vec<_> = shape.members.values().collect();
    let fields = members.iter().map(|m| {
        let field = names::field_name(m.name());
        let ty = cx.member_type(m);
        let ty = if cx.is_optional(shape, m) {
            quote!(Option<#ty>)
        } else {
            ty
        };
        let docs = cx.member_docs(m);
        let deprecated = cx.deprecated(&m.traits);
        quote! { #docs #deprecated pub #field: #ty, }
    });
    let builder_fields = members.iter().map(|m| {
        let field = names::field_name(m.name());
        let ty = cx.member_type(m);
        quote! { #field: Option<#ty>, }
    });
    let setters = members.iter().map(|m| {
        let field = names::field_name(m.name());
        let setter = names::setter_name(m.name());
        let option_setter = names::option_setter_name(m.name());
        let ty = cx.member_type(m);
        let docs = cx.member_docs(m);
        let setter_value = if let Some(union) = cx
            .event_stream(m)
            .filter(|_| !cx.receives_events(m))
        {
            let event = cx.rust_type(&union.id);
            quote! {
                #docs
                pub fn #setter(
                    mut self,
                    input: impl tinsmith_runtime::eventstream::Stream<Item = #event> + Send + 'static,
                ) -> Self {
                    self.#field = Some(tinsmith_runtime::eventstream::EventInput::new(input));
                    self
                }
            }
        } else if cx.boxed_member(m) {
            let inner = cx.rust_type(&m.target);
            quote! {
                #docs
                pub fn #setter(mut self, input: impl Into<#inner>) -> Self {
                    self.#field = Some(Box::new(input.into()));
                    self
                }
            }
        } else {
            quote! {
                #docs
                pub fn #setter(mut self, input: impl Into<#ty>) -> Self {
                    self.#field = Some(input.into());
                    self
                }
            }
        };
        let field_str = m.name();
        let option_doc = format!(" Sets or clears `{field_str}`.");
        quote! {
            #setter_value
            #[doc = #option_doc]
            pub fn #option_setter(mut self, input: Option<#ty>) -> Self {
                self.#field = input;
                self
            }
        }
    });
    let build = build_fn(cx, shape);
    let debug = debug_impl(cx, shape);
    let builder_doc = format!(" A builder for [`{name}`].");
    let new_builder_doc = format!(" Creates a builder for [`{name}`].");
    // A streamed body or event stream can be neither copied nor compared.
    let (derive, derive_builder) = if cx.streaming_member(shape).is_some() {
        (TokenStream::new(), quote!(#[derive(Default)]))
    } else {
        (
            quote!(#[derive(Clone, PartialEq)]),
            quote!(#[derive(Clone, Default, PartialEq)]),
        )
    };
    quote! {
        #docs
        #deprecated
        #allow
        #[non_exhaustive]
        #derive
        pub struct #name {
            #(#fields)*
        }

        #allow
        impl #name {
            #[doc = #new_builder_doc]
            pub fn builder() -> #builder {
                #builder::default()
            }
        }

        #[doc = #builder_doc]
        #allow
        #derive_builder
        pub struct #builder {
            #(#builder_fields)*
        }

        #allow
        impl #builder {
            #(#setters)*
            #build
        }

        #debug
    }
}

fn build_fn(cx: &Context<'_>, shape: &Shape) -> TokenStream {
    let name = cx.type_ident(&shape.id);
    let shape_name = shape.id.name();
    let required: Vec<_> = shape
        .members
        .values()
        .filter(|m| {
            m.traits.keys().any(|k| k.as_str() == "smithy.api#required")
                && cx.default_value(m).is_none()
                && !cx.is_streaming(m)
        })
        .collect();
    let checks = required.iter().map(|m| {
        let field = names::field_name(m.name());
        let member_name = m.name();
        quote! { if self.#field.is_none() { missing.push(#member_name); } }
    });
    let unwrapped: Vec<_> = required
        .iter()
        .filter(|m| !cx.is_optional(shape, m))
        .collect();
    let inits = shape.members.values().map(|m| {
        let field = names::field_name(m.name());
        let optional = cx.is_optional(shape, m);
        if cx.is_streaming(m) {
            return quote! { #field: self.#field.unwrap_or_default(), };
        }
        match cx.default_value(m) {
            Some(value) if !optional => {
                let expr = cx.default_expr(m, value);
                // Collections and blobs can only default to empty (blobs to any text).
                let empty = cx.model.type_of(&m.target).is_some_and(|t| {
                    matches!(t, ShapeType::List | ShapeType::Map)
                        || (t == ShapeType::Blob && value.as_str() == Some(""))
                });
                if empty && !cx.boxed_member(m) {
                    quote! { #field: self.#field.unwrap_or_default(), }
                } else if cx.default_is_literal(m) {
                    quote! { #field: self.#field.unwrap_or(#expr), }
                } else {
                    quote! { #field: self.#field.unwrap_or_else(|| #expr), }
                }
            }
            _ if !optional => quote! { #field, },
            _ => quote! { #field: self.#field, },
        }
    });
    let construct = quote! { #name { #(#inits)* } };
    let body = if required.is_empty() {
        quote! { Ok(#construct) }
    } else {
        let checks_block = quote! {
            let mut missing: Vec<&'static str> = Vec::new();
            #(#checks)*
        };
        let fields: Vec<_> = unwrapped
            .iter()
            .map(|m| names::field_name(m.name()))
            .collect();
        match fields.as_slice() {
            [] => quote! {
                #checks_block
                if !missing.is_empty() {
                    return Err(tinsmith_runtime::BuildError::missing_members(#shape_name, missing));
                }
                Ok(#construct)
            },
            [one] => quote! {
                #checks_block
                match self.#one {
                    Some(#one) if missing.is_empty() => Ok(#construct),
                    _ => Err(tinsmith_runtime::BuildError::missing_members(#shape_name, missing)),
                }
            },
            many => quote! {
                #checks_block
                match (#(self.#many),*) {
                    (#(Some(#many)),*) if missing.is_empty() => Ok(#construct),
                    _ => Err(tinsmith_runtime::BuildError::missing_members(#shape_name, missing)),
                }
            },
        }
    };
    let doc = if required.is_empty() {
        format!(" Builds the [`{name}`].")
    } else {
        format!(" Builds the [`{name}`], or reports every missing required member.")
    };
    // The model's member names become bindings; clippy dislikes a few.
    let allow_names = unwrapped
        .iter()
        .any(|m| matches!(m.name(), "foo" | "baz" | "quux"))
        .then(|| quote!(#[allow(clippy::disallowed_names)]));
    quote! {
        #[doc = #doc]
        #allow_names
        pub fn build(self) -> Result<#name, tinsmith_runtime::BuildError> {
            #body
        }
    }
}

fn debug_impl(cx: &Context<'_>, shape: &Shape) -> TokenStream {
    let allow = cx.allow_deprecated(shape);
    let name = cx.type_ident(&shape.id);
    let name_str = name.to_string();
    let all_sensitive = shape.has_trait("smithy.api#sensitive");
    let fields = shape.members.values().map(|m| {
        let field = names::field_name(m.name());
        let label = m.name();
        if all_sensitive || cx.is_sensitive(m) {
            quote! { .field(#label, &"*** Sensitive Data Redacted ***") }
        } else {
            quote! { .field(#label, &self.#field) }
        }
    });
    let builder = cx.builder_ident(&shape.id);
    let builder_str = builder.to_string();
    let builder_fields = shape.members.values().map(|m| {
        let field = names::field_name(m.name());
        let label = m.name();
        if all_sensitive || cx.is_sensitive(m) {
            quote! { .field(#label, &"*** Sensitive Data Redacted ***") }
        } else {
            quote! { .field(#label, &self.#field) }
        }
    });
    quote! {
        #allow
        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#name_str) #(#fields)* .finish()
            }
        }

        #allow
        impl std::fmt::Debug for #builder {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#builder_str) #(#builder_fields)* .finish()
            }
        }
    }
}

fn union(cx: &Context<'_>, shape: &Shape) -> TokenStream {
    let allow = cx.allow_deprecated(shape);
    let name = cx.type_ident(&shape.id);
    let docs = cx.shape_docs(shape);
    let deprecated = cx.deprecated(&shape.traits);
    let mut variants = Vec::new();
    let mut accessors = Vec::new();
    // An event stream's errors are not events: they end the stream, as the
    // variants of its error enum in `error`.
    let members = if shape.has_trait("smithy.api#streaming") {
        cx.stream_events(shape)
    } else {
        shape.members.values().collect()
    };
    let received = cx
        .event_stream_unions(true)
        .iter()
        .any(|u| u.id == shape.id);
    let stream_doc = (shape.has_trait("smithy.api#streaming") && received).then(|| {
        let error = cx.stream_error_ident(&shape.id);
        let text = format!(
            " Received as an event stream; the modeled errors that end the stream are \
             [`{error}`](super::error::{error})."
        );
        quote!(#[doc = ""] #[doc = #text])
    });
    for m in members {
        let variant = names::variant_name(m.name());
        let vdocs = cx.member_docs(m);
        let vdep = cx.deprecated(&m.traits);
        // Accessors follow the variant name, which is already clear of the
        // catch-all `Unknown` (a member named `unknown` becomes `UnknownValue`).
        let is_field =
            heck::ToSnakeCase::to_snake_case(variant.to_string().trim_start_matches("r#"));
        let is_fn = quote::format_ident!(
            "is_{}",
            is_field.trim_start_matches("r#").trim_end_matches('_')
        );
        let is_doc = format!(" True when this is [`{name}::{variant}`].");
        if m.target.as_str() == "smithy.api#Unit" {
            variants.push(quote! { #vdocs #vdep #variant, });
            accessors.push(quote! {
                #[doc = #is_doc]
                pub fn #is_fn(&self) -> bool { matches!(self, Self::#variant) }
            });
        } else {
            let ty = cx.member_type(m);
            variants.push(quote! { #vdocs #vdep #variant(#ty), });
            let as_fn = quote::format_ident!(
                "as_{}",
                is_field.trim_start_matches("r#").trim_end_matches('_')
            );
            let as_doc = format!(" The value, when this is [`{name}::{variant}`].");
            let (inner, get) = if cx.boxed_member(m) {
                (cx.rust_type(&m.target), quote!(Some(v.as_ref())))
            } else {
                (ty.clone(), quote!(Some(v)))
            };
            accessors.push(quote! {
                #[doc = #as_doc]
                pub fn #as_fn(&self) -> Option<&#inner> {
                    match self { Self::#variant(v) => #get, _ => None }
                }
                #[doc = #is_doc]
                pub fn #is_fn(&self) -> bool { self.#as_fn().is_some() }
            });
        }
    }
    let debug = if shape.has_trait("smithy.api#sensitive") {
        let name_str = name.to_string();
        quote! {
            impl std::fmt::Debug for #name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str(concat!(#name_str, "(*** Sensitive Data Redacted ***)"))
                }
            }
        }
    } else {
        quote!()
    };
    let derive_debug = if debug.is_empty() {
        quote!(Debug,)
    } else {
        quote!()
    };
    quote! {
        #docs
        #stream_doc
        #deprecated
        #[non_exhaustive]
        #[derive(Clone, PartialEq, #derive_debug)]
        pub enum #name {
            #(#variants)*
            /// A member this version of the client does not know.
            Unknown,
        }

        #allow
        impl #name {
            #(#accessors)*
            /// True when the value is a member this client does not know.
            pub fn is_unknown(&self) -> bool { matches!(self, Self::Unknown) }
        }

        #debug
    }
}

/// (variant, wire value, docs) for each value of a string enum, from enum
/// members or from the 1.0 `@enum` trait.
fn enum_values(cx: &Context<'_>, shape: &Shape) -> Vec<(proc_macro2::Ident, String, TokenStream)> {
    if shape.ty == ShapeType::Enum {
        return shape
            .members
            .values()
            .map(|m| {
                let value = crate::model::trait_value(&m.traits, "smithy.api#enumValue")
                    .and_then(Node::as_str)
                    .unwrap_or(m.name())
                    .to_owned();
                let deprecated = cx.deprecated(&m.traits);
                let fallback = format!("`{value}`.");
                let docs = doc_attrs(Some(cx.docs(&m.traits).unwrap_or(&fallback)));
                (
                    names::variant_name(m.name()),
                    value,
                    quote!(#docs #deprecated),
                )
            })
            .collect();
    }
    let defs = shape
        .trait_value("smithy.api#enum")
        .and_then(Node::as_array)
        .unwrap_or(&[]);
    let mut seen = std::collections::BTreeSet::new();
    defs.iter()
        .filter_map(|d| {
            let value = d.get("value")?.as_str()?.to_owned();
            let base = d
                .get("name")
                .and_then(Node::as_str)
                .unwrap_or(&value)
                .to_owned();
            let mut variant = names::variant_name(&base);
            while !seen.insert(variant.to_string()) {
                variant = quote::format_ident!("{}Value", variant.to_string());
            }
            let fallback = format!("`{value}`.");
            let docs = doc_attrs(Some(
                d.get("documentation")
                    .and_then(Node::as_str)
                    .unwrap_or(&fallback),
            ));
            Some((variant, value, docs))
        })
        .collect()
}

fn string_enum(cx: &Context<'_>, shape: &Shape) -> TokenStream {
    let allow = cx.allow_deprecated(shape);
    let name = cx.type_ident(&shape.id);
    let docs = cx.shape_docs(shape);
    let deprecated = cx.deprecated(&shape.traits);
    let values = enum_values(cx, shape);
    let variants = values.iter().map(|(v, _, d)| quote! { #d #v, });
    let to_str = values.iter().map(|(v, s, _)| quote! { Self::#v => #s, });
    let from_str = values.iter().map(|(v, s, _)| quote! { #s => Self::#v, });
    let all = values.iter().map(|(_, s, _)| s);
    quote! {
        #docs
        #deprecated
        #[non_exhaustive]
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#variants)*
            /// A value this version of the client does not know.
            Unknown(tinsmith_runtime::UnknownVariant<String>),
        }

        #allow
        impl #name {
            /// The value as it is sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_str)*
                    Self::Unknown(v) => v.value(),
                }
            }

            /// Every value this client knows.
            pub const fn values() -> &'static [&'static str] {
                &[#(#all),*]
            }
        }

        #allow
        impl From<&str> for #name {
            fn from(s: &str) -> Self {
                match s {
                    #(#from_str)*
                    other => Self::Unknown(tinsmith_runtime::UnknownVariant::new(other.to_owned())),
                }
            }
        }

        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(s))
            }
        }

        impl AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

fn int_enum(cx: &Context<'_>, shape: &Shape) -> TokenStream {
    let allow = cx.allow_deprecated(shape);
    let name = cx.type_ident(&shape.id);
    let docs = cx.shape_docs(shape);
    let deprecated = cx.deprecated(&shape.traits);
    let values: Vec<_> = shape
        .members
        .values()
        .map(|m| {
            let value = crate::model::trait_value(&m.traits, "smithy.api#enumValue")
                .and_then(Node::as_number)
                .and_then(|n| n.as_i64())
                .unwrap_or(0) as i32;
            let fallback = format!("`{value}`.");
            let d = doc_attrs(Some(cx.docs(&m.traits).unwrap_or(&fallback)));
            let dep = cx.deprecated(&m.traits);
            (names::variant_name(m.name()), value, quote!(#d #dep))
        })
        .collect();
    let variants = values.iter().map(|(v, _, d)| quote! { #d #v, });
    let to_int = values.iter().map(|(v, i, _)| quote! { Self::#v => #i, });
    let from_int = values.iter().map(|(v, i, _)| quote! { #i => Self::#v, });
    let all = values.iter().map(|(_, i, _)| i);
    quote! {
        #docs
        #deprecated
        #[non_exhaustive]
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#variants)*
            /// A value this version of the client does not know.
            Unknown(tinsmith_runtime::UnknownVariant<i32>),
        }

        #allow
        impl #name {
            /// The value as it is sent on the wire.
            pub fn value(&self) -> i32 {
                match self {
                    #(#to_int)*
                    Self::Unknown(v) => *v.value(),
                }
            }

            /// Every value this client knows.
            pub const fn values() -> &'static [i32] {
                &[#(#all),*]
            }
        }

        #allow
        impl From<i32> for #name {
            fn from(v: i32) -> Self {
                match v {
                    #(#from_int)*
                    other => Self::Unknown(tinsmith_runtime::UnknownVariant::new(other)),
                }
            }
        }
    }
}
