//! Emits the `error` module: one enum per operation, with a variant for each
//! modeled error the operation (or its service) can return and an
//! `Unhandled` variant for everything else. Each modeled variant carries the
//! error structure together with the response's status
//! (`tinsmith_runtime::ModeledError`), so code, message, request id and HTTP
//! status are always at hand; `is_retryable`/`is_throttling` come from the
//! model's `@retryable` trait. Received event streams get an exhaustive
//! enum of the errors that can end them.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::docs::doc_attrs;
use super::paths::{self, Scope};
use super::plan::{EventStream, Operation, Plan, Ty, Union};
use super::types::allow_deprecated;

/// The whole `error` module.
pub fn module(plan: &Plan<'_>) -> TokenStream {
    let enums = plan.operations.iter().map(|op| operation_error(plan, op));
    let streams = plan
        .event_streams()
        .filter(|(_, s)| s.received)
        .map(|(union, stream)| stream_error(plan, union, stream));
    quote! {
        #![doc = " Errors of each operation. Match on the variants for the errors the model describes; every error also exposes its status (code, message, request id, HTTP status) through `tinsmith_runtime::ProvideErrorStatus`."]
        #(#enums)*
        #(#streams)*
    }
}

/// The error enum of an event stream the client receives: one variant per
/// `@error` member of the union, exhaustive (an error the model does not
/// describe is `StreamErrorKind::Unmodeled`, not a variant).
fn stream_error(plan: &Plan<'_>, union: &Union<'_>, stream: &EventStream<'_>) -> TokenStream {
    let name = &stream.error_enum;
    let union_name = union.name;
    let doc = if stream.errors.is_empty() {
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
    let variants = stream.errors.iter().map(|v| {
        let ident = &v.ident;
        let ty =
            v.ty.as_ref()
                .map(|t| paths::ty(plan, t, Scope::Sibling))
                .unwrap_or_else(|| quote!(()));
        let docs = doc_attrs(&v.docs);
        quote! { #docs #ident(#ty), }
    });
    let display_arms = stream.errors.iter().map(|v| {
        let ident = &v.ident;
        let Some(Ty::Structure(id)) = &v.ty else {
            let text = v.name;
            return quote! { Self::#ident(_) => f.write_str(#text), };
        };
        let error = plan.structure(id);
        let error_name = error.name;
        let message = error
            .error
            .as_ref()
            .and_then(|e| e.message)
            .map(|i| &error.members[i]);
        match message {
            Some(member) if member.optional => {
                let field = &member.field;
                let format = format!("{error_name}: {{message}}");
                quote! {
                    Self::#ident(e) => match &e.#field {
                        Some(message) => write!(f, #format),
                        None => f.write_str(#error_name),
                    },
                }
            }
            Some(member) => {
                let field = &member.field;
                let format = format!("{error_name}: {{}}");
                quote! { Self::#ident(e) => write!(f, #format, e.#field), }
            }
            None => quote! { Self::#ident(_) => f.write_str(#error_name), },
        }
    });
    let is_fns = stream
        .errors
        .iter()
        .map(|v| is_variant(name, &v.ident, &v.is_fn));
    // An enum without variants has no value to display.
    let (formatter, display_body) = if stream.errors.is_empty() {
        (quote!(_f), quote!(match *self {}))
    } else {
        (quote!(f), quote!(match self { #(#display_arms)* }))
    };
    let allow = allow_deprecated(
        union.uses_deprecated
            || stream.errors.iter().any(|v| {
                v.deprecated.is_some() || v.ty.as_ref().is_some_and(|t| plan.is_deprecated(t))
            }),
    );
    let inherent = (!stream.errors.is_empty()).then(|| {
        quote! {
            #allow
            impl #name {
                #(#is_fns)*
            }
        }
    });
    quote! {
        #[doc = #doc]
        #allow
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)] // The variants are the model's errors.
        pub enum #name {
            #(#variants)*
        }

        #inherent

        #allow
        impl std::fmt::Display for #name {
            fn fmt(&self, #formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                #display_body
            }
        }

        impl std::error::Error for #name {}
    }
}

/// `is_<variant>` of an error enum.
fn is_variant(name: &Ident, variant: &Ident, is_fn: &Ident) -> TokenStream {
    let doc = format!(" True when this is [`{name}::{variant}`].");
    quote! {
        #[doc = #doc]
        pub fn #is_fn(&self) -> bool { matches!(self, Self::#variant(_)) }
    }
}

fn operation_error(plan: &Plan<'_>, op: &Operation<'_>) -> TokenStream {
    let name = &op.error_enum;
    let doc = format!(" Errors the `{}` operation can return.", op.name);
    let variants = op.errors.iter().map(|e| {
        let v = &e.variant;
        let ty = paths::named(plan, e.id, Scope::Sibling);
        let docs = doc_attrs(&plan.structure(e.id).docs);
        quote! { #docs #v(tinsmith_runtime::ModeledError<#ty>), }
    });
    let arms: Vec<_> = op.errors.iter().map(|e| &e.variant).collect();
    let is_fns = op
        .errors
        .iter()
        .map(|e| is_variant(name, &e.variant, &e.is_fn));
    let codes = op
        .errors
        .iter()
        .filter_map(|e| plan.structure(e.id).error.as_ref().map(|info| info.code));
    let allow = allow_deprecated(
        op.errors
            .iter()
            .any(|e| plan.is_deprecated(&super::plan::Ty::Structure(e.id))),
    );
    quote! {
        #[doc = #doc]
        #allow
        #[non_exhaustive]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variants)*
            /// An error the model does not describe.
            Unhandled(tinsmith_runtime::UnhandledError),
        }

        #allow
        impl #name {
            /// The codes of the errors the model describes for this operation.
            pub const MODELED_CODES: &'static [&'static str] = &[#(#codes),*];

            #(#is_fns)*

            /// True when the error is not one the model describes.
            pub fn is_unhandled(&self) -> bool { matches!(self, Self::Unhandled(_)) }

        }

        impl tinsmith_runtime::OperationError for #name {
            fn variant(&self) -> &dyn tinsmith_runtime::ProvideErrorStatus {
                match self {
                    #(Self::#arms(e) => e,)*
                    Self::Unhandled(e) => e,
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
