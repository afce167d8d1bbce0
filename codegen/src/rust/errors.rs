//! Emits the `error` module: one enum per operation, with a variant for each
//! modeled error the operation (or its service) can return and an
//! `Unhandled` variant for everything else. Each modeled variant carries the
//! error structure together with the response's status
//! (`tinsmith_runtime::ModeledError`), so code, message, request id and HTTP
//! status are always at hand; `is_retryable`/`is_throttling` come from the
//! model's `@retryable` trait.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::context::Context;
use super::names;
use crate::model::{Shape, ShapeId};

/// The error enum's name for an operation.
pub fn error_ident(operation: &ShapeId) -> Ident {
    format_ident!(
        "{}Error",
        names::type_name(operation.name())
            .to_string()
            .trim_start_matches("r#")
    )
}

/// The modeled errors of an operation: its own, then the service's, sorted
/// and without duplicates.
pub fn operation_errors<'m>(cx: &Context<'m>, operation: &'m Shape) -> Vec<&'m Shape> {
    let mut ids: Vec<&ShapeId> = operation
        .as_operation()
        .map(|o| o.errors.iter().collect())
        .unwrap_or_default();
    if let Some(service) = cx.service.as_service() {
        ids.extend(&service.errors);
    }
    ids.sort();
    ids.dedup();
    ids.into_iter()
        .filter_map(|id| cx.model.shape(id))
        .collect()
}

/// The variant of an operation error enum for a modeled error.
pub fn variant(shape: &Shape) -> Ident {
    let v = names::variant_name(shape.id.name());
    if v == "Unhandled" {
        format_ident!("UnhandledValue")
    } else {
        v
    }
}

/// The whole `error` module.
pub fn module(cx: &Context<'_>) -> TokenStream {
    let operations = cx.operations();
    let enums = operations.iter().map(|op| operation_error(cx, op));
    let streams = cx
        .event_stream_unions(true)
        .into_iter()
        .map(|union| stream_error(cx, union));
    quote! {
        #![doc = " Errors of each operation. Match on the variants for the errors the model describes; every error also exposes its status (code, message, request id, HTTP status) through `tinsmith_runtime::ProvideErrorStatus`."]
        #(#enums)*
        #(#streams)*
    }
}

/// The error enum of an event stream the client receives: one variant per
/// `@error` member of the union, exhaustive (an error the model does not
/// describe is `StreamErrorKind::Unmodeled`, not a variant).
fn stream_error(cx: &Context<'_>, union: &Shape) -> TokenStream {
    let name = cx.stream_error_ident(&union.id);
    let union_name = union.id.name();
    let members = cx.stream_errors(union);
    let doc = if members.is_empty() {
        format!(
            " Errors the `{union_name}` event stream can carry: none are modeled, so this enum has no \
             values (errors the service sends anyway are `StreamErrorKind::Unmodeled`)."
        )
    } else {
        format!(
            " Errors the service can send on the `{union_name}` event stream; each one ends the \
             stream. The enum is exhaustive: an error the model does not describe arrives as \
             `StreamErrorKind::Unmodeled`."
        )
    };
    let variants = members.iter().map(|m| {
        let v = names::variant_name(m.name());
        let ty = cx.rust_type(&m.target);
        let docs = cx.member_docs(m);
        quote! { #docs #v(#ty), }
    });
    let display_arms = members.iter().map(|m| {
        let v = names::variant_name(m.name());
        let error_name = cx.model.shape(&m.target).map_or(m.name(), |t| t.id.name());
        let message = cx.model.shape(&m.target).and_then(|t| {
            t.members
                .values()
                .find(|f| f.name().eq_ignore_ascii_case("message"))
                .filter(|f| cx.model.type_of(&f.target) == Some(crate::model::ShapeType::String))
                .map(|f| (t, f))
        });
        match message {
            Some((error, field_member)) => {
                let field = names::field_name(field_member.name());
                if cx.is_optional(error, field_member) {
                    let format = format!("{error_name}: {{message}}");
                    quote! {
                        Self::#v(e) => match &e.#field {
                            Some(message) => write!(f, #format),
                            None => f.write_str(#error_name),
                        },
                    }
                } else {
                    let format = format!("{error_name}: {{}}");
                    quote! { Self::#v(e) => write!(f, #format, e.#field), }
                }
            }
            None => quote! { Self::#v(_) => f.write_str(#error_name), },
        }
    });
    let is_fns = members.iter().map(|m| {
        let v = names::variant_name(m.name());
        let snake = heck::ToSnakeCase::to_snake_case(v.to_string().trim_start_matches("r#"));
        let f = format_ident!("is_{}", snake.trim_end_matches('_'));
        let d = format!(" True when this is [`{name}::{v}`].");
        quote! {
            #[doc = #d]
            pub fn #f(&self) -> bool { matches!(self, Self::#v(_)) }
        }
    });
    let display_body = if members.is_empty() {
        quote!(match *self {})
    } else {
        quote!(match self { #(#display_arms)* })
    };
    let inherent = if members.is_empty() {
        quote!()
    } else {
        quote! {
            impl #name {
                #(#is_fns)*
            }
        }
    };
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variants)*
        }

        #inherent

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                #display_body
            }
        }

        impl std::error::Error for #name {}
    }
}

fn operation_error(cx: &Context<'_>, op: &Shape) -> TokenStream {
    let name = error_ident(&op.id);
    let errors = operation_errors(cx, op);
    let doc = format!(" Errors the `{}` operation can return.", op.id.name());
    let variants = errors.iter().map(|e| {
        let v = variant(e);
        let ty = cx.rust_type(&e.id);
        let docs = cx.shape_docs(e);
        quote! { #docs #v(tinsmith_runtime::ModeledError<#ty>), }
    });
    let arms: Vec<_> = errors.iter().map(|e| variant(e)).collect();
    let is_fns = errors.iter().map(|e| {
        let v = variant(e);
        let snake = heck::ToSnakeCase::to_snake_case(v.to_string().as_str());
        let f = format_ident!("is_{}", snake);
        let d = format!(" True when this is [`{name}::{v}`].");
        quote! {
            #[doc = #d]
            pub fn #f(&self) -> bool { matches!(self, Self::#v(_)) }
        }
    });
    let codes = errors.iter().map(|e| e.id.name());
    quote! {
        #[doc = #doc]
        #[non_exhaustive]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variants)*
            /// An error the model does not describe.
            Unhandled(tinsmith_runtime::UnhandledError),
        }

        impl #name {
            /// The codes of the errors the model describes for this operation.
            pub const MODELED_CODES: &'static [&'static str] = &[#(#codes),*];

            #(#is_fns)*

            /// True when the error is not one the model describes.
            pub fn is_unhandled(&self) -> bool { matches!(self, Self::Unhandled(_)) }
        }

        impl tinsmith_runtime::ProvideErrorStatus for #name {
            fn status(&self) -> &tinsmith_runtime::ErrorStatus {
                match self {
                    #(Self::#arms(e) => e.status(),)*
                    Self::Unhandled(e) => e.status(),
                }
            }

            fn is_retryable(&self) -> bool {
                match self {
                    #(Self::#arms(e) => e.is_retryable(),)*
                    Self::Unhandled(_) => false,
                }
            }

            fn is_throttling(&self) -> bool {
                match self {
                    #(Self::#arms(e) => e.is_throttling(),)*
                    Self::Unhandled(_) => false,
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Display::fmt(tinsmith_runtime::ProvideErrorStatus::status(self), f)
            }
        }

        impl std::error::Error for #name {}
    }
}
