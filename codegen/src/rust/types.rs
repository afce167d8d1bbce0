//! Emits the `types` module: one Rust type per structure, union, enum and
//! intEnum the service uses, with builders for structures.
//!
//! Conventions of the output: every type is `#[non_exhaustive]` (models
//! evolve); enums and unions carry an `Unknown` variant for values newer than
//! the client; `@sensitive` data is redacted in `Debug`; fields are public;
//! builders have one setter per member, which takes the value or an
//! `Option` (`tinsmith_runtime::IntoMember`), and `build()` reports every
//! missing required member at once. A structure whose members are all
//! optional is its own builder (`XBuilder` is an alias of `X`).

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::docs::doc_attrs;
use super::names;
use super::paths::{self, Scope};
use super::plan::{
    Deprecation, Enum, IntEnum, Member, MemberKind, Plan, StringEnum, Structure, Subject, Ty,
    TypeDef, Union,
};
use super::serde_support;
use super::values::{self, Source};

/// The whole `types` module.
pub fn module(plan: &Plan<'_>) -> TokenStream {
    let items = plan.local_types().map(|t| match t {
        TypeDef::Structure(s) => structure(plan, s),
        TypeDef::Union(u) => union(plan, u),
        TypeDef::StringEnum(e) => string_enum(plan, e),
        TypeDef::IntEnum(e) => int_enum(plan, e),
    });
    let doc = match &plan.subject {
        Subject::Service(_) => {
            " Data types of the service: inputs, outputs, errors and the shapes they use."
                .to_owned()
        }
        Subject::Types(library) => format!(
            " Data types of the Smithy namespace{} {}, each with its builder.",
            if library.namespaces.len() == 1 {
                ""
            } else {
                "s"
            },
            library.title
        ),
    };
    quote! {
        #![doc = #doc]
        #(#items)*
    }
}

/// `#[deprecated]` for something `@deprecated`.
pub fn deprecated(deprecation: &Option<Deprecation>) -> TokenStream {
    match deprecation {
        Some(Deprecation { note: Some(note) }) => quote!(#[deprecated(note = #note)]),
        Some(Deprecation { note: None }) => quote!(#[deprecated]),
        None => TokenStream::new(),
    }
}

/// `#[allow(deprecated)]` for impls of something that has or uses
/// something deprecated (generated code must not warn).
pub fn allow_deprecated(uses: bool) -> TokenStream {
    if uses {
        quote!(#[allow(deprecated)])
    } else {
        TokenStream::new()
    }
}

/// True when a structure is its own builder: every field is an `Option`
/// and nothing can be missing (no `@required` member, not even a
/// `@clientOptional` one, which is optional yet must be set), so a builder
/// could only hold the same `Option`s. Its `XBuilder` is then an alias of
/// it, with the setters on it (a request builder, which holds a client,
/// stays a type of its own).
pub fn is_own_builder(plan: &Plan<'_>, shape: &Structure<'_>) -> bool {
    plan.request_of(shape).is_none()
        && shape.members.iter().all(|m| m.optional)
        && !shape.build_is_fallible()
}

/// True when a structure's request builder holds the structure itself
/// (beside its client) rather than a copy of its fields: it is an
/// operation's request, and every field is an `Option` or a stream (which
/// defaults to empty), so an empty structure is an empty builder. That is
/// the `@input` structure of one operation (see `Plan::request_of`), whose
/// members are all optional in Rust.
pub fn wraps_input(plan: &Plan<'_>, shape: &Structure<'_>) -> bool {
    plan.request_of(shape).is_some()
        && shape
            .members
            .iter()
            .all(|m| m.optional || m.kind.is_streaming())
}

fn structure(plan: &Plan<'_>, shape: &Structure<'_>) -> TokenStream {
    if is_own_builder(plan, shape) {
        return own_builder_structure(plan, shape);
    }
    if wraps_input(plan, shape) {
        return request_builder_structure(plan, shape);
    }
    let allow = allow_deprecated(shape.uses_deprecated);
    let name = &shape.ident;
    let builder = &shape.builder;
    let builder_fields = shape.members.iter().map(|m| {
        let field = &m.field;
        let ty = paths::field(plan, m, Scope::Types);
        let serde = serde_support::builder_field_attrs(plan, shape, m);
        quote! { #serde #field: Option<#ty>, }
    });
    let serde = serde_support::structure_attrs(plan, shape);
    let serde_builder = serde_support::builder_attrs(plan, shape);
    let serde_impls = serde_support::structure_impls(plan, shape, &allow);
    let setters = shape
        .members
        .iter()
        .map(|m| setters(plan, m, doc_attrs(&m.docs), &Place::Builder));
    let build = build_fn(plan, shape);
    // `Debug` is derived unless something must be redacted, or the builder
    // holds a client.
    let redacts = shape.sensitive || shape.members.iter().any(|m| m.sensitive);
    let request = plan.request_of(shape);
    let derive_debug = (!redacts).then(|| quote!(Debug,));
    let derive_builder_debug = (!redacts && request.is_none()).then(|| quote!(Debug,));
    // A builder that may hold a client implements `Default` by hand.
    let derive_default = request.is_none().then(|| quote!(Default,));
    let debug = redacts.then(|| debug_impl(shape, name, false));
    let builder_debug =
        (redacts || request.is_some()).then(|| debug_impl(shape, builder, request.is_some()));
    // A streamed body or event stream can be neither copied nor compared.
    let (derive, derive_builder) = if shape.streaming_member().is_some() {
        (
            derive_debug.as_ref().map(|d| quote!(#[derive(#d)])),
            if derive_builder_debug.is_some() || derive_default.is_some() {
                quote!(#[derive(#derive_builder_debug #derive_default)])
            } else {
                TokenStream::new()
            },
        )
    } else {
        (
            Some(quote!(#[derive(Clone, #derive_debug PartialEq)])),
            quote!(#[derive(Clone, #derive_builder_debug #derive_default PartialEq)]),
        )
    };
    // An operation's input builder is also its request builder, with the
    // client in it (see `Plan::request_of`).
    let builder_doc = format!(
        " A builder for [`{name}`]. Each setter takes the member's value or an `Option` of it \
         ([`IntoMember`](tinsmith_runtime::IntoMember)); `None` clears the member."
    );
    let (request_doc, params, args, client_field, with_client) = match request {
        None => (
            TokenStream::new(),
            TokenStream::new(),
            TokenStream::new(),
            TokenStream::new(),
            TokenStream::new(),
        ),
        Some(op) => {
            let client = names::ident(names::BUILDER_CLIENT_FIELD);
            let skip = serde_support::skip_attrs(plan, shape);
            let fields: Vec<&Ident> = shape.members.iter().map(|m| &m.field).collect();
            // Linked through `Client`: a method may be a raw identifier
            // (`r#match`), which an intra-doc link cannot name.
            let method = names::plain(&op.method);
            let doc = format!(
                " With the client in it (`C`), it is the request of the `{}` operation, which [`Client::{method}`](super::Client) returns and `send()` sends.",
                op.name,
            );
            let doc = quote!(#[doc = ""] #[doc = #doc]);
            (
                doc,
                quote!(<C = ()>),
                quote!(<C>),
                quote!(#skip pub(crate) #client: C,),
                // `Default` only without a client, so `XBuilder::default()`
                // needs no type annotation.
                quote! {
                    #allow
                    impl Default for #builder {
                        fn default() -> Self {
                            Self::with_client(())
                        }
                    }

                    #allow
                    impl<C> #builder<C> {
                        /// An empty builder with `client` in it.
                        pub(crate) fn with_client(client: C) -> Self {
                            #builder { #(#fields: None,)* #client: client }
                        }
                    }
                },
            )
        }
    };
    let definition = definition(plan, shape, derive, serde, serde_support::field_attrs);
    quote! {
        #definition

        #[doc = #builder_doc]
        #request_doc
        #allow
        #derive_builder
        #serde_builder
        pub struct #builder #params {
            #(#builder_fields)*
            #client_field
        }

        #allow
        impl #args #builder #args {
            #(#setters)*
            #build
        }

        #with_client

        #serde_impls

        #debug

        #builder_debug
    }
}

/// A structure with a builder type of its own: its definition (fields
/// `Option` where the member is optional, each with the serde attributes
/// `field_serde` gives), `X::builder()` and its `Shape` impl.
fn definition(
    plan: &Plan<'_>,
    shape: &Structure<'_>,
    derive: Option<TokenStream>,
    serde: TokenStream,
    field_serde: fn(&Plan<'_>, &Structure<'_>, &Member<'_>) -> TokenStream,
) -> TokenStream {
    let allow = allow_deprecated(shape.uses_deprecated);
    let (name, builder) = (&shape.ident, &shape.builder);
    let docs = doc_attrs(&shape.docs);
    let deprecated_attr = deprecated(&shape.deprecated);
    let fields = shape.members.iter().map(|m| {
        let field = &m.field;
        let ty = paths::field(plan, m, Scope::Types);
        let ty = if m.optional { quote!(Option<#ty>) } else { ty };
        let docs = doc_attrs(&m.docs);
        let deprecated = deprecated(&m.deprecated);
        let serde = field_serde(plan, shape, m);
        quote! { #docs #deprecated #serde pub #field: #ty, }
    });
    let new_builder_doc = format!(" Creates a builder for [`{name}`].");
    let shape_id = shape.id.to_string();
    quote! {
        #docs
        #deprecated_attr
        #allow
        #[non_exhaustive]
        #derive
        #serde
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

        #allow
        impl tinsmith_runtime::Shape for #name {
            const SHAPE_ID: &'static str = #shape_id;
        }
    }
}

/// A structure that is its own builder ([`is_own_builder`]): every field is
/// an `Option`, the setters are the structure's, `build()` returns it, and
/// `XBuilder` is an alias of it.
fn own_builder_structure(plan: &Plan<'_>, shape: &Structure<'_>) -> TokenStream {
    let allow = allow_deprecated(shape.uses_deprecated);
    let name = &shape.ident;
    let builder = &shape.builder;
    let docs = doc_attrs(&shape.docs);
    let deprecated_attr = deprecated(&shape.deprecated);
    let fields = shape.members.iter().map(|m| {
        let field = &m.field;
        let ty = paths::field(plan, m, Scope::Types);
        let docs = doc_attrs(&m.docs);
        let deprecated = deprecated(&m.deprecated);
        let serde = serde_support::direct_field_attrs(plan, shape, m);
        quote! { #docs #deprecated #serde pub #field: Option<#ty>, }
    });
    let serde = serde_support::direct_attrs(plan, shape);
    let setters = shape
        .members
        .iter()
        .map(|m| setters(plan, m, doc_attrs(&m.docs), &Place::Builder));
    let redacts = shape.sensitive || shape.members.iter().any(|m| m.sensitive);
    let derive_debug = (!redacts).then(|| quote!(Debug,));
    let debug = redacts.then(|| debug_impl(shape, name, false));
    let shape_id = shape.id.to_string();
    let builder_doc = format!(
        " A builder for [`{name}`]: the structure itself, whose members are all optional. \
         Each setter takes the member's value or an `Option` of it \
         ([`IntoMember`](tinsmith_runtime::IntoMember)); `None` clears the member."
    );
    let new_builder_doc =
        format!(" Creates a builder for [`{name}`]: an empty one, every member unset.");
    quote! {
        #docs
        #deprecated_attr
        #allow
        #[non_exhaustive]
        #[derive(Clone, #derive_debug Default, PartialEq)]
        #serde
        pub struct #name {
            #(#fields)*
        }

        #[doc = #builder_doc]
        #allow
        pub type #builder = #name;

        #allow
        impl #name {
            #[doc = #new_builder_doc]
            pub fn builder() -> Self {
                Self::default()
            }

            #(#setters)*

            /// Returns the structure: none of its members is required, so
            /// nothing can be missing.
            pub fn build(self) -> Self {
                self
            }
        }

        #allow
        impl tinsmith_runtime::Shape for #name {
            const SHAPE_ID: &'static str = #shape_id;
        }

        #debug
    }
}

/// An operation's input and its request builder when the builder holds the
/// input itself ([`wraps_input`]): `XBuilder<C>` is the input being set
/// plus what sends it (`()`, or the client), the setters write the input's
/// fields, and `build()` checks the required members and returns the input.
/// The input derives `Default` and, with serde, (de)serializes directly:
/// its fields are the builder's `Option`s, so its required members are
/// checked when it is built to be sent.
fn request_builder_structure(plan: &Plan<'_>, shape: &Structure<'_>) -> TokenStream {
    let allow = allow_deprecated(shape.uses_deprecated);
    let name = &shape.ident;
    let builder = &shape.builder;
    let input = names::ident(names::BUILDER_INPUT_FIELD);
    let client = names::ident(names::BUILDER_CLIENT_FIELD);
    let serde = serde_support::direct_attrs(plan, shape);
    let place = Place::Input(input.clone());
    let setters = shape
        .members
        .iter()
        .map(|m| setters(plan, m, doc_attrs(&m.docs), &place));
    let build = if shape.build_is_fallible() {
        let shape_name = shape.name;
        let checks = shape.members.iter().filter(|m| m.needs_value()).map(|m| {
            let (field, member) = (&m.field, m.name);
            quote!((#member, self.#input.#field.is_some()))
        });
        let doc = format!(" Builds the [`{name}`], or reports every missing required member.");
        quote! {
            #[doc = #doc]
            pub fn build(self) -> Result<#name, tinsmith_runtime::BuildError> {
                tinsmith_runtime::BuildError::check(#shape_name, &[#(#checks),*])?;
                Ok(self.#input)
            }
        }
    } else {
        let doc =
            format!(" Builds the [`{name}`]; nothing can be missing, as no member is required.");
        quote! {
            #[doc = #doc]
            pub fn build(self) -> #name {
                self.#input
            }
        }
    };
    let redacts = shape.sensitive || shape.members.iter().any(|m| m.sensitive);
    let derive_debug = (!redacts).then(|| quote!(Debug,));
    let debug = redacts.then(|| debug_impl(shape, name, false));
    // A streamed body or event stream can be neither copied nor compared.
    let (derive, derive_builder) = if shape.streaming_member().is_some() {
        (quote!(#[derive(#derive_debug Default)]), TokenStream::new())
    } else {
        (
            quote!(#[derive(Clone, #derive_debug Default, PartialEq)]),
            quote!(#[derive(Clone, PartialEq)]),
        )
    };
    let op = plan
        .request_of(shape)
        .expect("wraps_input implies a request");
    // Linked through `Client`: a method may be a raw identifier
    // (`r#match`), which an intra-doc link cannot name.
    let method = names::plain(&op.method);
    let builder_doc = format!(
        " A builder for [`{name}`]. Each setter takes the member's value or an `Option` of it \
         ([`IntoMember`](tinsmith_runtime::IntoMember)); `None` clears the member."
    );
    let request_doc = format!(
        " With the client in it (`C`), it is the request of the `{}` operation, which \
         [`Client::{method}`](super::Client) returns and `send()` sends.",
        op.name,
    );
    let label = builder.to_string();
    let definition = definition(
        plan,
        shape,
        Some(derive),
        serde,
        serde_support::direct_field_attrs,
    );
    quote! {
        #definition

        #debug

        #[doc = #builder_doc]
        #[doc = ""]
        #[doc = #request_doc]
        #allow
        #derive_builder
        pub struct #builder<C = ()> {
            pub(crate) #input: #name,
            pub(crate) #client: C,
        }

        #allow
        impl<C> #builder<C> {
            #(#setters)*
            #build
        }

        // `Default` only without a client, so `XBuilder::default()` needs
        // no type annotation.
        #allow
        impl Default for #builder {
            fn default() -> Self {
                #builder { #input: #name::default(), #client: () }
            }
        }

        #allow
        impl<C> std::fmt::Debug for #builder<C> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_tuple(#label).field(&self.#input).finish()
            }
        }
    }
}

/// Where a builder's setters write a member: the builder's own `Option`
/// field, or the field of the input a request builder holds
/// ([`wraps_input`]), where a stream is held as itself.
enum Place {
    Builder,
    Input(Ident),
}

impl Place {
    /// The field that holds `m`, as an expression on `self`.
    fn field(&self, m: &Member<'_>) -> TokenStream {
        let field = &m.field;
        match self {
            Place::Builder => quote!(self.#field),
            Place::Input(input) => quote!(self.#input.#field),
        }
    }

    /// True when the field that holds `m` is an `Option`.
    fn holds_option(&self, m: &Member<'_>) -> bool {
        match self {
            Place::Builder => true,
            Place::Input(_) => m.optional,
        }
    }
}

/// A builder's setter for a member. It takes the value, or an `Option`
/// that sets or clears it (`tinsmith_runtime::IntoMember`); a member sent
/// as an event stream takes any `Stream` of events instead.
fn setters(plan: &Plan<'_>, m: &Member<'_>, docs: TokenStream, place: &Place) -> TokenStream {
    let field = place.field(m);
    let holds_option = place.holds_option(m);
    let setter = &m.setter;
    let deprecated = deprecated(&m.deprecated);
    let docs = quote!(#docs #deprecated);
    let setter = match &m.kind {
        MemberKind::Events {
            union,
            direction: super::plan::Direction::Sent,
        } => {
            let event = paths::named(plan, union, Scope::Types);
            let value = if holds_option {
                quote!(Some(input.into_event_input()))
            } else {
                quote!(input.into_event_input())
            };
            quote! {
                #docs
                ///
                /// Any `Stream` of events will do; the request body ends when
                /// the stream does. For push-style producers,
                /// `tinsmith_runtime::eventstream::EventInput::channel` gives a
                /// bounded sender (with backpressure) and an `EventInput` to pass
                /// here; a server can pass on the `EventInput` it received.
                pub fn #setter(
                    mut self,
                    input: impl tinsmith_runtime::eventstream::IntoEventInput<#event>,
                ) -> Self {
                    #field = #value;
                    self
                }
            }
        }
        MemberKind::Value { boxed: true } => {
            let inner = paths::ty(plan, &m.ty, Scope::Types);
            quote! {
                #docs
                pub fn #setter(mut self, input: impl tinsmith_runtime::IntoMember<#inner>) -> Self {
                    #field = input.into_member().map(Box::new);
                    self
                }
            }
        }
        MemberKind::Value { boxed: false }
        | MemberKind::ByteStream { .. }
        | MemberKind::Events { .. } => {
            let ty = paths::field(plan, m, Scope::Types);
            // An event stream received: how a server's code makes one.
            let events = matches!(m.kind, MemberKind::Events { .. }).then(|| {
                quote! {
                    ///
                    /// A client reads it from the response; a server (or a test
                    /// standing in for one) builds it from its own events with
                    /// `EventStream::from_stream`, `from_events` or `from_results`.
                }
            });
            let value = if holds_option {
                quote!(input.into_member())
            } else {
                quote!(input.into_member().unwrap_or_default())
            };
            quote! {
                #docs
                #events
                pub fn #setter(mut self, input: impl tinsmith_runtime::IntoMember<#ty>) -> Self {
                    #field = #value;
                    self
                }
            }
        }
    };
    let appender = appender(plan, m, place);
    quote! {
        #setter
        #appender
    }
}

/// The appender of a list or map member: adds one item, or one entry.
fn appender(plan: &Plan<'_>, m: &Member<'_>, place: &Place) -> TokenStream {
    let Some(appender) = &m.appender else {
        return TokenStream::new();
    };
    let field = place.field(m);
    let deprecated = deprecated(&m.deprecated);
    // (parameter type, value) of an item or map value, `Option`al when sparse.
    let part = |ty: &Ty<'_>, sparse: bool, name: TokenStream| {
        let rust = paths::ty(plan, ty, Scope::Types);
        if sparse {
            (quote!(impl Into<Option<#rust>>), quote!(#name.into()))
        } else {
            (paths::param(ty, &rust), paths::param_value(ty, name))
        }
    };
    match &m.ty {
        Ty::List { item, sparse, .. } => {
            let (param, value) = part(item, *sparse, quote!(item));
            let doc = format!(" Appends one item to `{}`.", m.name);
            quote! {
                #[doc = #doc]
                #deprecated
                pub fn #appender(mut self, item: #param) -> Self {
                    #field.get_or_insert_with(Vec::new).push(#value);
                    self
                }
            }
        }
        Ty::Map {
            key, value, sparse, ..
        } => {
            let key = paths::ty(plan, key, Scope::Types);
            let (param, value) = part(value, *sparse, quote!(value));
            let doc = format!(
                " Adds one entry to `{}` (replacing the key's value, if any).",
                m.name
            );
            quote! {
                #[doc = #doc]
                #deprecated
                pub fn #appender(mut self, key: impl Into<#key>, value: #param) -> Self {
                    #field
                        .get_or_insert_with(std::collections::HashMap::new)
                        .insert(key.into(), #value);
                    self
                }
            }
        }
        _ => TokenStream::new(),
    }
}

/// `builder.build()` as a `Result` whatever the structure: `Ok(..)` around
/// it when `build` cannot fail, `map_err(on_error)` after it when it can.
pub fn built(shape: &Structure<'_>, builder: TokenStream, on_error: TokenStream) -> TokenStream {
    if shape.build_is_fallible() {
        quote!(#builder.build().map_err(#on_error))
    } else {
        quote!(Ok(#builder.build()))
    }
}

fn build_fn(plan: &Plan<'_>, shape: &Structure<'_>) -> TokenStream {
    let name = &shape.ident;
    let shape_name = shape.name;
    let missing = &shape.missing;
    let required: Vec<&Member<'_>> = shape.members.iter().filter(|m| m.needs_value()).collect();
    let checks = required.iter().map(|m| {
        let field = &m.field;
        let member_name = m.name;
        quote! { if self.#field.is_none() { #missing.push(#member_name); } }
    });
    let unwrapped: Vec<&&Member<'_>> = required.iter().filter(|m| !m.optional).collect();
    let inits = shape.members.iter().map(|m| {
        let field = &m.field;
        if m.kind.is_streaming() {
            return quote! { #field: self.#field.unwrap_or_default(), };
        }
        match m.default {
            Some(value) if !m.optional => {
                let expr = values::expr(plan, &m.ty, value, Source::Default, Scope::Types);
                let expr = if m.kind.is_boxed() {
                    quote!(Box::new(#expr))
                } else {
                    expr
                };
                // Collections can only default to empty; strings and blobs may.
                let empty = matches!(m.ty, Ty::List { .. } | Ty::Map { .. })
                    || (matches!(m.ty, Ty::Blob { .. } | Ty::String { .. })
                        && value.as_str() == Some(""));
                if empty && !m.kind.is_boxed() {
                    quote! { #field: self.#field.unwrap_or_default(), }
                } else if values::is_literal(&m.ty, value) && !m.kind.is_boxed() {
                    quote! { #field: self.#field.unwrap_or(#expr), }
                } else {
                    quote! { #field: self.#field.unwrap_or_else(|| #expr), }
                }
            }
            _ if !m.optional => quote! { #field, },
            _ => quote! { #field: self.#field, },
        }
    });
    let construct = quote! { #name { #(#inits)* } };
    if required.is_empty() {
        let doc =
            format!(" Builds the [`{name}`]; nothing can be missing, as no member is required.");
        return quote! {
            #[doc = #doc]
            pub fn build(self) -> #name {
                #construct
            }
        };
    }
    let body = {
        let checks_block = quote! {
            let mut #missing: Vec<&'static str> = Vec::new();
            #(#checks)*
        };
        let fields: Vec<_> = unwrapped.iter().map(|m| &m.field).collect();
        match fields.as_slice() {
            [] => {
                let set = required.iter().map(|m| {
                    let (field, member) = (&m.field, m.name);
                    quote!((#member, self.#field.is_some()))
                });
                quote! {
                    tinsmith_runtime::BuildError::check(#shape_name, &[#(#set),*])?;
                    Ok(#construct)
                }
            }
            [one] => quote! {
                #checks_block
                match self.#one {
                    Some(#one) if #missing.is_empty() => Ok(#construct),
                    _ => Err(tinsmith_runtime::BuildError::missing_members(#shape_name, #missing)),
                }
            },
            many => quote! {
                #checks_block
                match (#(self.#many),*) {
                    (#(Some(#many)),*) if #missing.is_empty() => Ok(#construct),
                    _ => Err(tinsmith_runtime::BuildError::missing_members(#shape_name, #missing)),
                }
            },
        }
    };
    let doc = format!(" Builds the [`{name}`], or reports every missing required member.");
    // The model's member names become bindings; clippy dislikes a few.
    let allow_names = unwrapped
        .iter()
        .any(|m| matches!(names::plain(&m.field).as_str(), "foo" | "baz" | "quux"))
        .then(|| quote!(#[allow(clippy::disallowed_names)]));
    quote! {
        #[doc = #doc]
        #allow_names
        pub fn build(self) -> Result<#name, tinsmith_runtime::BuildError> {
            #body
        }
    }
}

/// `Debug` for a structure or its builder (`generic`: one that may hold a
/// client, which is left out), when derive will not do: fields by their
/// Rust names, `@sensitive` values redacted.
fn debug_impl(shape: &Structure<'_>, ty: &Ident, generic: bool) -> TokenStream {
    let allow = allow_deprecated(shape.uses_deprecated);
    let fields = shape.members.iter().map(|m| {
        let field = &m.field;
        let label = names::plain(field);
        if shape.sensitive || m.sensitive {
            quote! { .field(#label, &"*** Sensitive Data Redacted ***") }
        } else {
            quote! { .field(#label, &self.#field) }
        }
    });
    let label = ty.to_string();
    let (params, args) = if generic {
        (quote!(<C>), quote!(<C>))
    } else {
        (TokenStream::new(), TokenStream::new())
    };
    quote! {
        #allow
        impl #params std::fmt::Debug for #ty #args {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#label) #(#fields)* .finish()
            }
        }
    }
}

fn union(plan: &Plan<'_>, shape: &Union<'_>) -> TokenStream {
    let allow = allow_deprecated(shape.uses_deprecated);
    let name = &shape.ident;
    let docs = doc_attrs(&shape.docs);
    let deprecated_attr = deprecated(&shape.deprecated);
    let mut variants = Vec::new();
    let mut accessors = Vec::new();
    let stream_doc = shape.stream.as_ref().filter(|s| s.received).map(|s| {
        let error = &s.error_enum;
        let text = format!(
            " Received as an event stream; the modeled errors that end the stream are \
             [`{error}`](super::error::{error})."
        );
        quote!(#[doc = ""] #[doc = #text])
    });
    // A union the client only sends, with one event, has nothing else a
    // value could be.
    let only = !shape.has_unknown() && shape.variants.len() == 1;
    for v in &shape.variants {
        let variant = &v.ident;
        let vdocs = doc_attrs(&v.docs);
        let vdep = deprecated(&v.deprecated);
        let (is_fn, as_fn) = (&v.is_fn, &v.as_fn);
        let is_doc = format!(" True when this is [`{name}::{variant}`].");
        match &v.ty {
            None => {
                variants.push(quote! { #vdocs #vdep #variant, });
                let is = if only {
                    quote!(true)
                } else {
                    quote!(matches!(self, Self::#variant))
                };
                accessors.push(quote! {
                    #[doc = #is_doc]
                    pub fn #is_fn(&self) -> bool { #is }
                });
            }
            Some(ty) => {
                let inner = paths::ty(plan, ty, Scope::Types);
                let (field_ty, get) = if v.boxed {
                    (quote!(Box<#inner>), quote!(Some(v.as_ref())))
                } else {
                    (inner.clone(), quote!(Some(v)))
                };
                variants.push(quote! { #vdocs #vdep #variant(#field_ty), });
                let as_doc = format!(" The value, when this is [`{name}::{variant}`].");
                let rest = (!only).then(|| quote!(_ => None));
                accessors.push(quote! {
                    #[doc = #as_doc]
                    pub fn #as_fn(&self) -> Option<&#inner> {
                        match self { Self::#variant(v) => #get, #rest }
                    }
                    #[doc = #is_doc]
                    pub fn #is_fn(&self) -> bool { self.#as_fn().is_some() }
                });
            }
        }
    }
    let debug = shape.sensitive.then(|| {
        let name_str = name.to_string();
        quote! {
            #allow
            impl std::fmt::Debug for #name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str(concat!(#name_str, "(*** Sensitive Data Redacted ***)"))
                }
            }
        }
    });
    let derive_debug = (!shape.sensitive).then(|| quote!(Debug,));
    let serde = serde_support::union_impls(plan, shape, &allow);
    let (unknown_variant, is_unknown) = if shape.has_unknown() {
        (
            quote! {
                /// A member this version does not know.
                Unknown,
            },
            quote! {
                /// True when the value is a member this version does not know.
                pub fn is_unknown(&self) -> bool { matches!(self, Self::Unknown) }
            },
        )
    } else {
        (TokenStream::new(), TokenStream::new())
    };
    quote! {
        #docs
        #stream_doc
        #deprecated_attr
        #allow
        #[non_exhaustive]
        #[derive(Clone, PartialEq, #derive_debug)]
        // The variants are the model's members: boxing the big ones would
        // make the API depend on sizes the model does not state.
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#variants)*
            #unknown_variant
        }

        #allow
        impl #name {
            #(#accessors)*
            #is_unknown
        }

        #debug
        #serde
    }
}

/// The part of an enum's code that depends on its kind of value.
struct EnumKind {
    /// The value type (`String`, `i32`).
    value: TokenStream,
    /// The type of `values()`'s items (`&'static str`, `i32`).
    listed: TokenStream,
    /// The method giving the wire value, its return type, and how the
    /// catch-all `v` gives it.
    getter: (TokenStream, TokenStream, TokenStream),
    /// `From<T>`'s `T` and how an unknown `other` is kept.
    from: (TokenStream, TokenStream),
    /// What only string enums have: `FromStr`, `AsRef<str>`, `Display`.
    extra: TokenStream,
    /// True for string enums, false for `intEnum`s.
    string: bool,
}

fn enumeration<V: quote::ToTokens>(
    plan: &Plan<'_>,
    shape: &Enum<'_, V>,
    kind: EnumKind,
) -> TokenStream {
    let allow = allow_deprecated(shape.uses_deprecated);
    let name = &shape.ident;
    let docs = doc_attrs(&shape.docs);
    let deprecated_attr = deprecated(&shape.deprecated);
    let variants = shape.values.iter().map(|v| {
        let (ident, docs, dep) = (&v.ident, doc_attrs(&v.docs), deprecated(&v.deprecated));
        quote! { #docs #dep #ident, }
    });
    let to_value = shape.values.iter().map(|v| {
        let (ident, value) = (&v.ident, &v.value);
        quote! { Self::#ident => #value, }
    });
    let from_value = shape.values.iter().map(|v| {
        let (ident, value) = (&v.ident, &v.value);
        quote! { #value => Self::#ident, }
    });
    let all = shape.values.iter().map(|v| &v.value);
    let EnumKind {
        value,
        listed,
        getter: (getter, returns, unknown),
        from: (from, keep),
        extra,
        string,
    } = kind;
    let serde = serde_support::enum_impls(plan, name, &allow, string);
    // Lets setters of members of this enum take the wire value.
    let marker = if string {
        quote!(StringEnum)
    } else {
        quote!(IntEnum)
    };
    quote! {
        #docs
        #deprecated_attr
        #[non_exhaustive]
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#variants)*
            /// A value this version of the client does not know.
            Unknown(tinsmith_runtime::UnknownVariant<#value>),
        }

        #allow
        impl #name {
            /// The value as it is sent on the wire.
            pub fn #getter(&self) -> #returns {
                match self {
                    #(#to_value)*
                    Self::Unknown(v) => #unknown,
                }
            }

            /// Every value this client knows.
            pub const fn values() -> &'static [#listed] {
                &[#(#all),*]
            }
        }

        #allow
        impl From<#from> for #name {
            fn from(v: #from) -> Self {
                match v {
                    #(#from_value)*
                    other => Self::Unknown(tinsmith_runtime::UnknownVariant::new(#keep)),
                }
            }
        }

        #allow
        impl tinsmith_runtime::#marker for #name {}

        #extra
        #serde
    }
}

fn string_enum(plan: &Plan<'_>, shape: &StringEnum<'_>) -> TokenStream {
    let allow = allow_deprecated(shape.uses_deprecated);
    let name = &shape.ident;
    let extra = quote! {
        #allow
        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;

            // Not `Self::Err`: a value named `Err` would make that ambiguous.
            fn from_str(s: &str) -> Result<Self, std::convert::Infallible> {
                Ok(Self::from(s))
            }
        }

        #allow
        impl AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        #allow
        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
    enumeration(
        plan,
        shape,
        EnumKind {
            value: quote!(String),
            listed: quote!(&'static str),
            getter: (quote!(as_str), quote!(&str), quote!(v.value())),
            from: (quote!(&str), quote!(other.to_owned())),
            extra,
            string: true,
        },
    )
}

fn int_enum(plan: &Plan<'_>, shape: &IntEnum<'_>) -> TokenStream {
    enumeration(
        plan,
        shape,
        EnumKind {
            value: quote!(i32),
            listed: quote!(i32),
            getter: (quote!(value), quote!(i32), quote!(*v.value())),
            from: (quote!(i32), quote!(other)),
            extra: TokenStream::new(),
            string: false,
        },
    )
}
