//! `serde` support of generated types (`Options::serde`): the attributes
//! and impls that let users store or exchange values of the model's types
//! with any serde format.
//!
//! The form is the model's own: structures are maps keyed by Smithy member
//! names with absent optional members left out, unions are maps with one
//! key (the member), enums are their wire values. Deserializing goes through
//! the builder, so required members are checked and `@default` values
//! filled exactly as `build()` does them. Two kinds of structure deserialize
//! directly, as their fields are the `Option`s a builder would hold: one
//! that is its own builder (nothing required, no defaults), and an
//! operation's input that its request builder holds (`types::wraps_input`),
//! whose required members are checked when it is built to be sent.
//! Streaming structures and event streams have no serde form; `Unknown`
//! union values cannot be serialized.

use proc_macro2::TokenStream;
use quote::quote;

use super::FeatureSupport;
use super::plan::{Member, Plan, Structure, Ty, Union};

/// The attributes `inner` (comma-separated, e.g. `derive(..), serde(..)`),
/// conditional on the crate's `serde` feature when the support is a
/// feature; nothing when it is off or `inner` is empty.
fn attr(plan: &Plan<'_>, inner: TokenStream) -> TokenStream {
    if inner.is_empty() {
        return TokenStream::new();
    }
    match plan.serde {
        FeatureSupport::Off => TokenStream::new(),
        FeatureSupport::Feature => quote!(#[cfg_attr(feature = "serde", #inner)]),
        FeatureSupport::Always => {
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
    plan.serde.cfg("serde")
}

/// True when a structure gets serde support: it is on, and the structure
/// holds values rather than streams.
pub fn for_structure(plan: &Plan<'_>, shape: &Structure<'_>) -> bool {
    plan.serde != FeatureSupport::Off && shape.streaming_member().is_none()
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
    let rename_all = RenameAll::of(shape).attr();
    attr(
        plan,
        quote!(derive(serde::Serialize, serde::Deserialize), serde(#via #rename_all)),
    )
}

/// The container rule (`rename_all`) that maps the most of a structure's
/// field names to their member names, so only the others need a `rename`.
#[derive(Clone, Copy, PartialEq)]
enum RenameAll {
    None,
    Pascal,
    Camel,
}

impl RenameAll {
    fn of(shape: &Structure<'_>) -> RenameAll {
        let matching = |rule: RenameAll| {
            shape
                .members
                .iter()
                .filter(|m| rule.apply(&m.field.to_string()) == m.name)
                .count()
        };
        [RenameAll::None, RenameAll::Pascal, RenameAll::Camel]
            .into_iter()
            .max_by_key(|rule| (matching(*rule), *rule == RenameAll::None))
            .unwrap_or(RenameAll::None)
    }

    /// What serde's rule makes of a (snake_case) field name.
    fn apply(self, field: &str) -> String {
        let field = field.trim_start_matches("r#");
        if self == RenameAll::None {
            return field.to_owned();
        }
        // serde's PascalCase: `_` dropped, the first letter and each one
        // after a `_` upper-cased; camelCase lowers the first letter of that.
        let mut out = String::with_capacity(field.len());
        let mut upper = true;
        for c in field.chars() {
            if c == '_' {
                upper = true;
            } else if upper {
                out.push(c.to_ascii_uppercase());
                upper = false;
            } else {
                out.push(c);
            }
        }
        if self == RenameAll::Camel
            && let Some(first) = out.get_mut(..1)
        {
            first.make_ascii_lowercase();
        }
        out
    }

    /// `, rename_all = ".."`, or nothing.
    fn attr(self) -> TokenStream {
        match self {
            RenameAll::None => TokenStream::new(),
            RenameAll::Pascal => quote!(, rename_all = "PascalCase"),
            RenameAll::Camel => quote!(, rename_all = "camelCase"),
        }
    }

    /// `rename = ".."` for a member the rule does not name right.
    fn rename(self, member: &Member<'_>) -> Option<TokenStream> {
        let name = member.name;
        (self.apply(&member.field.to_string()) != name).then(|| quote!(rename = #name))
    }
}

/// The attributes of a structure's field: its member name, and absent
/// when `None`.
pub fn field_attrs(plan: &Plan<'_>, shape: &Structure<'_>, member: &Member<'_>) -> TokenStream {
    if !for_structure(plan, shape) {
        return TokenStream::new();
    }
    // `Option` is a reserved type name: no generated type shadows it.
    let args = RenameAll::of(shape)
        .rename(member)
        .into_iter()
        .chain(
            member
                .optional
                .then(|| quote!(skip_serializing_if = "Option::is_none")),
        )
        .chain(float_form(member))
        .collect();
    attr(plan, serde_args(args))
}

/// `with = ".."` for `float` and `double` members, whose non-finite values
/// JSON cannot hold as numbers (Smithy writes them as strings).
fn float_form(member: &Member<'_>) -> Option<TokenStream> {
    matches!(member.ty, Ty::Float | Ty::Double)
        .then(|| quote!(with = "tinsmith_runtime::primitives::float_form"))
}

/// The attributes of a builder: deserialized from the structure's form,
/// absent members left unset.
pub fn builder_attrs(plan: &Plan<'_>, shape: &Structure<'_>) -> TokenStream {
    if !for_structure(plan, shape) {
        return TokenStream::new();
    }
    let rename_all = RenameAll::of(shape).attr();
    // A builder that may hold a client deserializes without one.
    let bound = plan.request_of(shape).map(|_| {
        // Named, not `Self`: serde repeats the bound on its own helpers.
        let bound = format!("{}<C>: Default", shape.builder);
        quote!(, bound(deserialize = #bound))
    });
    attr(
        plan,
        quote!(derive(serde::Deserialize), serde(default #rename_all #bound)),
    )
}

/// The attributes of the field of a builder that holds its client: not
/// part of the serde form.
pub fn skip_attrs(plan: &Plan<'_>, shape: &Structure<'_>) -> TokenStream {
    if !for_structure(plan, shape) {
        return TokenStream::new();
    }
    attr(plan, quote!(serde(skip)))
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
    attr(plan, serde_args(builder_field_args(shape, member, false)))
}

/// A builder field's serde arguments: its member name, its float form, and
/// for a document, `null` read as `Some(Document::Null)` rather than
/// absent. `skip_none` adds `skip_serializing_if` (a structure that is its
/// own builder serializes the field too).
fn builder_field_args(
    shape: &Structure<'_>,
    member: &Member<'_>,
    skip_none: bool,
) -> Vec<TokenStream> {
    let document = (member.ty == Ty::Document)
        .then(|| quote!(deserialize_with = "tinsmith_runtime::primitives::some_document"));
    RenameAll::of(shape)
        .rename(member)
        .into_iter()
        .chain(skip_none.then(|| quote!(skip_serializing_if = "Option::is_none")))
        .chain(float_form(member))
        .chain(document)
        .collect()
}

/// The attributes of a structure that is its own builder, or that a
/// request builder holds: serialized from its fields and deserialized into
/// them, absent members left unset.
pub fn direct_attrs(plan: &Plan<'_>, shape: &Structure<'_>) -> TokenStream {
    if !for_structure(plan, shape) {
        return TokenStream::new();
    }
    let rename_all = RenameAll::of(shape).attr();
    attr(
        plan,
        quote!(derive(serde::Serialize, serde::Deserialize), serde(default #rename_all)),
    )
}

/// The attributes of a field of a structure that deserializes directly
/// (see [`direct_attrs`]): a builder field's, and absent when `None`.
pub fn direct_field_attrs(
    plan: &Plan<'_>,
    shape: &Structure<'_>,
    member: &Member<'_>,
) -> TokenStream {
    if !for_structure(plan, shape) {
        return TokenStream::new();
    }
    attr(plan, serde_args(builder_field_args(shape, member, true)))
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
    plan.serde != FeatureSupport::Off && shape.stream.is_none()
}

/// `Serialize` and `Deserialize` of a union: a map with one entry, the
/// member's name to its value (`{}` for a `Unit` member), as Smithy writes
/// unions. A member this version does not know is read as `Unknown`; an
/// `Unknown` value cannot be written, since nothing of it was kept.
pub fn union_impls(plan: &Plan<'_>, shape: &Union<'_>, allow: &TokenStream) -> TokenStream {
    if !for_union(plan, shape) {
        return TokenStream::new();
    }
    let cfg = cfg(plan);
    let name = &shape.ident;
    let ser_arms = shape.variants.iter().map(|v| {
        let (variant, key) = (&v.ident, v.name);
        match &v.ty {
            None => quote! {
                Self::#variant => map.serialize_entry(#key, &tinsmith_runtime::primitives::UnitValue)?,
            },
            Some(Ty::Float | Ty::Double) => quote! {
                Self::#variant(value) => map.serialize_entry(#key, &tinsmith_runtime::primitives::float_form::Write(value))?,
            },
            Some(_) => quote! { Self::#variant(value) => map.serialize_entry(#key, value)?, },
        }
    });
    let de_arms = shape.variants.iter().map(|v| {
        let (variant, key) = (&v.ident, v.name);
        match &v.ty {
            None => quote! {
                #key => {
                    map.next_value::<tinsmith_runtime::primitives::UnitValue>()?;
                    #name::#variant
                }
            },
            Some(Ty::Float | Ty::Double) => quote! {
                #key => #name::#variant(map.next_value::<tinsmith_runtime::primitives::float_form::Read<_>>()?.0),
            },
            Some(_) => quote! { #key => #name::#variant(map.next_value()?), },
        }
    });
    let (ser_unknown, de_unknown) = if shape.has_unknown() {
        let message = format!("an unknown member of {name} cannot be serialized");
        (
            quote! {
                Self::Unknown => return Err(serde::ser::Error::custom(#message)),
            },
            quote! {
                _ => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                    #name::Unknown
                }
            },
        )
    } else {
        (
            TokenStream::new(),
            quote! {
                other => {
                    return Err(serde::de::Error::unknown_field(other, &[]));
                }
            },
        )
    };
    let expecting = format!("a map with one member of {name}");
    quote! {
        #cfg
        #allow
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap as _;
                let mut map = serializer.serialize_map(Some(1))?;
                match self {
                    #(#ser_arms)*
                    #ser_unknown
                }
                map.end()
            }
        }

        #cfg
        #allow
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
                struct Visitor;

                impl<'de> serde::de::Visitor<'de> for Visitor {
                    type Value = #name;

                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(#expecting)
                    }

                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> std::result::Result<#name, A::Error> {
                        let mut found = None;
                        while let Some(key) = map.next_key::<std::string::String>()? {
                            let value = match key.as_str() {
                                #(#de_arms)*
                                #de_unknown
                            };
                            if found.replace(value).is_some() {
                                return Err(serde::de::Error::custom("a union value must set exactly one member"));
                            }
                        }
                        found.ok_or_else(|| serde::de::Error::custom("a union value must set exactly one member"))
                    }
                }

                deserializer.deserialize_map(Visitor)
            }
        }
    }
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
    if plan.serde == FeatureSupport::Off {
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
