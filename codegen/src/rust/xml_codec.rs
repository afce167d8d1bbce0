//! Emits the XML codec module of a generated crate (`xml`): one serializer
//! and one deserializer per structure and union the protocol sends or
//! receives, for restXml bodies and the responses of awsQuery and ec2Query.
//!
//! The forms are Smithy's XML bindings (spec: "Protocol traits", `@xmlName`,
//! `@xmlAttribute`, `@xmlFlattened`, `@xmlNamespace`): a member is an
//! element named by its `@xmlName` or its member name (or an attribute);
//! a list is a wrapper element holding one element per item (`member`
//! unless the list member is renamed), or with `@xmlFlattened` the items
//! repeat in the parent under the member's name; a map holds one `entry`
//! per key with `key` and `value` elements, or repeats flattened entries.
//! A member's own `@xmlNamespace` becomes an `xmlns` attribute of its
//! element; a target's applies only to a document's root. Timestamps are
//! `date-time` unless `@timestampFormat` says otherwise. Map entries are
//! written in key order, so bodies are deterministic.
//!
//! Generated functions only call `rt::`, the runtime's `xml` module.

use std::collections::BTreeSet;

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::codec::{Needs, correction};
use super::paths::{self, Scope, timestamp_format};
use super::plan::{
    Member, Plan, Structure, TimestampFormat, Ty, TypeDef, Union, XmlMember, XmlName, XmlNamespace,
};
use super::types::allow_deprecated;
use crate::model::ShapeId;

/// Whether code refers to the `xml` module's functions by their full path
/// (code emitted outside that module) or directly (inside it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Inside the `xml` module.
    Inside,
    /// Elsewhere in the crate (`super::xml::…`).
    Outside,
}

fn path(place: Place, f: Ident) -> TokenStream {
    match place {
        Place::Inside => quote!(#f),
        Place::Outside => quote!(super::xml::#f),
    }
}

fn ser_fn(plan: &Plan<'_>, id: &ShapeId) -> Ident {
    format_ident!("ser_{}", plan.get(id).stem())
}

fn de_fn(plan: &Plan<'_>, id: &ShapeId) -> Ident {
    format_ident!("de_{}", plan.get(id).stem())
}

/// Documents default to `date-time` in XML.
fn xml_timestamp(format: Option<TimestampFormat>) -> TokenStream {
    timestamp_format(format.unwrap_or(TimestampFormat::DateTime))
}

/// The local part of an element name: elements are matched by it.
fn local(name: &str) -> &str {
    name.rsplit_once(':').map_or(name, |(_, l)| l)
}

/// An expression of type `String` (or `&str`): the text of a scalar `v`
/// (a reference), calling `rt::fmt_*`. Aggregates and documents have none.
pub fn text(ty: &Ty<'_>, v: &TokenStream) -> Option<TokenStream> {
    Some(match ty {
        Ty::String { .. } | Ty::BigInteger | Ty::BigDecimal => quote!(#v.as_str()),
        Ty::Enum(_) => quote!(#v.as_str()),
        Ty::IntEnum(_) => quote!(rt::fmt_int(#v.value())),
        Ty::Boolean => quote!(rt::fmt_bool(*#v)),
        Ty::Byte | Ty::Short | Ty::Integer | Ty::Long => quote!(rt::fmt_int(*#v)),
        Ty::Float => quote!(rt::fmt_f32(*#v)),
        Ty::Double => quote!(rt::fmt_float(*#v)),
        Ty::Blob { .. } => quote!(rt::fmt_blob(#v)),
        Ty::Timestamp { format } => {
            let format = xml_timestamp(*format);
            quote!(rt::fmt_timestamp(#v, #format))
        }
        Ty::Document | Ty::Structure(_) | Ty::Union(_) | Ty::List { .. } | Ty::Map { .. } => {
            return None;
        }
    })
}

/// `element` (an expression of type `rt::Element`) with an `xmlns`
/// attribute when `namespace` is set.
pub fn with_namespace(element: TokenStream, namespace: Option<XmlNamespace<'_>>) -> TokenStream {
    match namespace {
        None => element,
        Some(ns) => {
            let attribute = ns.attribute();
            let uri = ns.uri;
            quote!(rt::namespaced(#element, #attribute, #uri))
        }
    }
}

/// An expression of type `rt::Element`: `v` (a reference to a value of
/// `ty`) as the element `name`.
pub fn ser_value(
    plan: &Plan<'_>,
    place: Place,
    ty: &Ty<'_>,
    v: TokenStream,
    name: XmlName<'_>,
) -> TokenStream {
    let element_name = name.name;
    let element = match ty {
        Ty::Structure(id) | Ty::Union(id) => {
            let f = path(place, ser_fn(plan, id));
            quote!(#f(#v, #element_name))
        }
        Ty::List {
            item,
            sparse,
            member,
            ..
        } => {
            let one = ser_value(plan, place, item, quote!(item), *member);
            let items = if *sparse {
                quote!(#v.iter().flatten())
            } else {
                quote!(#v.iter())
            };
            quote! {{
                let mut list = rt::Element::new(#element_name);
                for item in #items {
                    list.push(#one);
                }
                list
            }}
        }
        Ty::Map { .. } => {
            let entries = map_entries(plan, place, ty, &v, quote!(map), "entry", None);
            quote! {{
                let mut map = rt::Element::new(#element_name);
                #entries
                map
            }}
        }
        scalar => {
            let text = text(scalar, &v).unwrap_or_else(|| quote!(String::new()));
            quote!(rt::Element::leaf(#element_name, #text))
        }
    };
    with_namespace(element, name.namespace)
}

/// Statements that push one element per entry of the map `v` into
/// `parent`, each named `entry_name`, in key order.
fn map_entries(
    plan: &Plan<'_>,
    place: Place,
    ty: &Ty<'_>,
    v: &TokenStream,
    parent: TokenStream,
    entry_name: &str,
    entry_namespace: Option<XmlNamespace<'_>>,
) -> TokenStream {
    let Ty::Map {
        key,
        value,
        sparse,
        entry,
    } = ty
    else {
        return TokenStream::new();
    };
    let key_el = ser_value(plan, place, key, quote!(key), entry.key);
    let value_el = ser_value(plan, place, value, quote!(value), entry.value);
    let new_entry = with_namespace(quote!(rt::Element::new(#entry_name)), entry_namespace);
    let iterate = if *sparse {
        quote!(
            entries
                .into_iter()
                .filter_map(|(key, value)| Some((key, value.as_ref()?)))
        )
    } else {
        quote!(entries)
    };
    quote! {
        let mut entries: Vec<_> = #v.iter().collect();
        entries.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
        for (key, value) in #iterate {
            let mut entry = #new_entry;
            entry.push(#key_el);
            entry.push(#value_el);
            #parent.push(entry);
        }
    }
}

/// Statements that write `members` of `input` (a reference to their
/// structure) into `element` (a mutable `rt::Element`): attributes,
/// elements, and flattened lists and maps.
pub fn ser_members(plan: &Plan<'_>, place: Place, members: &[&Member<'_>]) -> TokenStream {
    let stmts = members.iter().map(|m| {
        let body = ser_member(plan, place, &m.ty, &m.xml);
        let field = &m.field;
        if m.optional {
            quote! { if let Some(value) = &input.#field { #body } }
        } else {
            quote! { { let value = &input.#field; #body } }
        }
    });
    quote!(#(#stmts)*)
}

/// Statements that write `value` (a reference to a value of `ty`) into
/// `element` as the member `xml` describes.
fn ser_member(plan: &Plan<'_>, place: Place, ty: &Ty<'_>, xml: &XmlMember<'_>) -> TokenStream {
    let name = xml.name;
    if xml.attribute {
        let text = text(ty, &quote!(value)).unwrap_or_else(|| quote!(String::new()));
        return quote! { element.set_attribute(#name, #text); };
    }
    match ty {
        Ty::List {
            item,
            sparse,
            member,
            ..
        } if xml.flattened => {
            // The items repeat under the member's name, in the list
            // member's namespace.
            let one = ser_value(
                plan,
                place,
                item,
                quote!(item),
                XmlName {
                    name,
                    namespace: member.namespace,
                },
            );
            let items = if *sparse {
                quote!(value.iter().flatten())
            } else {
                quote!(value.iter())
            };
            quote! {
                for item in #items {
                    element.push(#one);
                }
            }
        }
        Ty::Map { .. } if xml.flattened => map_entries(
            plan,
            place,
            ty,
            &quote!(value),
            quote!(element),
            name,
            xml.namespace,
        ),
        _ => {
            let one = ser_value(
                plan,
                place,
                ty,
                quote!(value),
                XmlName {
                    name,
                    namespace: xml.namespace,
                },
            );
            quote! { element.push(#one); }
        }
    }
}

/// An expression of type `Result<T, rt::DeError>`: the value of `ty` in
/// the element `e` (an `&rt::Element`).
pub fn de_value(plan: &Plan<'_>, place: Place, ty: &Ty<'_>, e: TokenStream) -> TokenStream {
    match ty {
        Ty::Enum(_) => {
            let rust = paths::ty(plan, ty, Scope::Sibling);
            quote!(rt::de_string(#e).map(|s| #rust::from(s.as_str())))
        }
        Ty::IntEnum(_) => {
            let rust = paths::ty(plan, ty, Scope::Sibling);
            quote!(rt::de_int::<i32>(#e).map(#rust::from))
        }
        Ty::Structure(id) | Ty::Union(id) => {
            let f = path(place, de_fn(plan, id));
            quote!(#f(#e))
        }
        Ty::String { .. } => quote!(rt::de_string(#e)),
        Ty::Boolean => quote!(rt::de_bool(#e)),
        Ty::Byte => quote!(rt::de_int::<i8>(#e)),
        Ty::Short => quote!(rt::de_int::<i16>(#e)),
        Ty::Integer => quote!(rt::de_int::<i32>(#e)),
        Ty::Long => quote!(rt::de_int::<i64>(#e)),
        Ty::Float => quote!(rt::de_float(#e).map(|f| f as f32)),
        Ty::Double => quote!(rt::de_float(#e)),
        Ty::BigInteger => quote!(rt::de_big_integer(#e)),
        Ty::BigDecimal => quote!(rt::de_big_decimal(#e)),
        Ty::Blob { .. } => quote!(rt::de_blob(#e)),
        Ty::Document => quote!(Err::<tinsmith_runtime::Document, _>(String::from(
            "documents cannot be read from XML"
        ))),
        Ty::Timestamp { format } => {
            let format = xml_timestamp(*format);
            quote!(rt::de_timestamp(#e, #format))
        }
        Ty::List {
            item,
            sparse,
            member,
            ..
        } => {
            let one = de_value(plan, place, item, quote!(item));
            let map = match direct_de(plan, place, item) {
                Some(f) if !*sparse => f,
                _ if *sparse => quote!(|item| #one.map(Some)),
                _ => quote!(|item| #one),
            };
            let name = local(member.name);
            quote! {
                #e.children()
                    .filter(|item| item.local_name() == #name)
                    .map(#map)
                    .collect::<Result<Vec<_>, rt::DeError>>()
            }
        }
        Ty::Map { .. } => {
            let entry = de_entry(plan, place, ty);
            quote! {
                #e.children()
                    .filter(|entry| entry.local_name() == "entry")
                    .map(|entry| #entry)
                    .collect::<Result<std::collections::HashMap<_, _>, rt::DeError>>()
            }
        }
    }
}

/// The function that reads a value of `ty` from an element when that is
/// one call taking the element, so it can be passed to `map` directly (a
/// closure around it would be redundant).
fn direct_de(plan: &Plan<'_>, place: Place, ty: &Ty<'_>) -> Option<TokenStream> {
    Some(match ty {
        Ty::Structure(id) | Ty::Union(id) => path(place, de_fn(plan, id)),
        Ty::String { .. } => quote!(rt::de_string),
        Ty::Boolean => quote!(rt::de_bool),
        Ty::Byte => quote!(rt::de_int::<i8>),
        Ty::Short => quote!(rt::de_int::<i16>),
        Ty::Integer => quote!(rt::de_int::<i32>),
        Ty::Long => quote!(rt::de_int::<i64>),
        Ty::Double => quote!(rt::de_float),
        Ty::BigInteger => quote!(rt::de_big_integer),
        Ty::BigDecimal => quote!(rt::de_big_decimal),
        Ty::Blob { .. } => quote!(rt::de_blob),
        _ => return None,
    })
}

/// An expression of type `Result<(K, V), rt::DeError>`: the key and value
/// of the map entry element `entry`.
fn de_entry(plan: &Plan<'_>, place: Place, ty: &Ty<'_>) -> TokenStream {
    let Ty::Map {
        key,
        value,
        sparse,
        entry,
    } = ty
    else {
        return TokenStream::new();
    };
    let (key_name, value_name) = (local(entry.key.name), local(entry.value.name));
    let key_value = match &**key {
        Ty::Enum(_) => {
            let rust = paths::ty(plan, key, Scope::Sibling);
            quote!(#rust::from(rt::de_string(key)?.as_str()))
        }
        _ => quote!(rt::de_string(key)?),
    };
    let one = de_value(plan, place, value, quote!(value));
    let value_value = if *sparse {
        quote!(match value { Some(value) => Some(#one?), None => None })
    } else {
        quote!(#one?)
    };
    let value_lookup = if *sparse {
        quote!(let value = entry.child(#value_name);)
    } else {
        quote!(let value = rt::required_child(entry, #value_name)?;)
    };
    quote! {{
        let key = rt::required_child(entry, #key_name)?;
        #value_lookup
        Ok::<_, rt::DeError>((#key_value, #value_value))
    }}
}

/// Statements that read `members` from `element` (an `&rt::Element`) into
/// `builder` (a mutable builder of their structure), returning
/// `rt::DeError` on a bad value. Required members a response left out get
/// zero values (client error correction).
pub fn de_members(plan: &Plan<'_>, place: Place, members: &[&Member<'_>]) -> TokenStream {
    let mut locals = TokenStream::new();
    // (element name, statements) of each member read from a child.
    let mut arms: Vec<(&str, TokenStream)> = Vec::new();
    let mut attributes = TokenStream::new();
    let mut finish = TokenStream::new();
    let mut seen = BTreeSet::new();
    for (i, m) in members.iter().enumerate() {
        let (setter, name) = (&m.setter, m.name);
        let local_var = format_ident!("value_{i}");
        let correction =
            correction(plan, m).map(|zero| quote!(else { builder = builder.#setter(#zero); }));
        if m.xml.attribute {
            let attribute = m.xml.name;
            let value = de_value(plan, place, &m.ty, quote!(&value));
            attributes.extend(quote! {
                if let Some(value) = rt::attribute_value(element, #attribute) {
                    builder = builder.#setter(#value.map_err(|e| rt::at(#name, e))?);
                } #correction
            });
            continue;
        }
        let element_name = local(m.xml.name);
        // Two members under one element name: the first reads it.
        if !seen.insert(element_name) {
            continue;
        }
        let flattened = m.xml.flattened.then_some(&m.ty);
        match flattened {
            Some(Ty::List { item, sparse, .. }) => {
                let one = de_value(plan, place, item, quote!(child));
                let one = if *sparse { quote!(#one.map(Some)) } else { one };
                locals.extend(quote!(let mut #local_var = Vec::new();));
                arms.push((
                    element_name,
                    quote!(#local_var.push(#one.map_err(|e| rt::at(#name, e))?);),
                ));
                finish.extend(flattened_finish(&local_var, setter, correction));
            }
            Some(map @ Ty::Map { .. }) => {
                let entry = de_entry(plan, place, map);
                locals.extend(quote!(let mut #local_var = std::collections::HashMap::new();));
                arms.push((
                    element_name,
                    quote! {
                        let entry = child;
                        let (key, value) = #entry.map_err(|e| rt::at(#name, e))?;
                        #local_var.insert(key, value);
                    },
                ));
                finish.extend(flattened_finish(&local_var, setter, correction));
            }
            _ => {
                let value = de_value(plan, place, &m.ty, quote!(child));
                locals.extend(quote!(let mut #local_var = None;));
                arms.push((
                    element_name,
                    quote!(#local_var = Some(#value.map_err(|e| rt::at(#name, e))?);),
                ));
                finish.extend(quote! {
                    if let Some(value) = #local_var {
                        builder = builder.#setter(value);
                    } #correction
                });
            }
        }
    }
    let walk = match arms.as_slice() {
        [] => TokenStream::new(),
        [(name, body)] => quote! {
            for child in element.children() {
                if child.local_name() == #name {
                    #body
                }
            }
        },
        _ => {
            let arms = arms.iter().map(|(name, body)| quote!(#name => { #body }));
            quote! {
                for child in element.children() {
                    match child.local_name() {
                        #(#arms)*
                        _ => {}
                    }
                }
            }
        }
    };
    quote! {
        #attributes
        #locals
        #walk
        #finish
    }
}

fn flattened_finish(
    local_var: &Ident,
    setter: &Ident,
    correction: Option<TokenStream>,
) -> TokenStream {
    quote! {
        if !#local_var.is_empty() {
            builder = builder.#setter(#local_var);
        } #correction
    }
}

/// The whole codec module: the functions `needs` lists.
pub fn module(plan: &Plan<'_>, needs: &Needs) -> TokenStream {
    let fns = plan.types.iter().map(|t| {
        let id = t.id();
        let (ser, de) = (needs.ser.contains(id), needs.de.contains(id));
        match t {
            TypeDef::Structure(s) => structure(plan, s, ser, de),
            TypeDef::Union(u) => union(plan, u, ser, de),
            _ => TokenStream::new(),
        }
    });
    quote! {
        #![doc = " XML serializers and deserializers for the structures and unions the protocol sends and receives."]

        use tinsmith_runtime::xml as rt;

        #(#fns)*
    }
}

fn structure(plan: &Plan<'_>, shape: &Structure<'_>, ser: bool, de: bool) -> TokenStream {
    let ty = paths::named(plan, shape.id, Scope::Sibling);
    let allow = allow_deprecated(shape.uses_deprecated);
    let members: Vec<&Member<'_>> = shape.document_members().collect();
    let name = &shape.ident;
    let mut out = TokenStream::new();
    if ser {
        let f = ser_fn(plan, shape.id);
        let doc = format!(" Serializes a [`{name}`] as the element `name`.");
        let (input, stmts) = if members.is_empty() {
            (quote!(_input), TokenStream::new())
        } else {
            (quote!(input), ser_members(plan, Place::Inside, &members))
        };
        let body = if stmts.is_empty() {
            quote!(rt::Element::new(name))
        } else {
            quote! {
                let mut element = rt::Element::new(name);
                #stmts
                element
            }
        };
        out.extend(quote! {
            #[doc = #doc]
            #allow
            pub(super) fn #f(#input: &#ty, name: &str) -> rt::Element {
                #body
            }
        });
    }
    if de {
        let f = de_fn(plan, shape.id);
        let doc = format!(" Deserializes a [`{name}`] from its element.");
        let on_error = quote!(|e| e.to_string());
        let (param, body) = if members.is_empty() {
            let built = crate::rust::types::built(shape, quote!(#ty::builder()), on_error);
            (quote!(_element), built)
        } else {
            let stmts = de_members(plan, Place::Inside, &members);
            let built = crate::rust::types::built(shape, quote!(builder), on_error);
            (
                quote!(element),
                quote! {
                    let mut builder = #ty::builder();
                    #stmts
                    #built
                },
            )
        };
        out.extend(quote! {
            #[doc = #doc]
            #allow
            pub(super) fn #f(#param: &rt::Element) -> Result<#ty, rt::DeError> {
                #body
            }
        });
    }
    out
}

fn union(plan: &Plan<'_>, shape: &Union<'_>, ser: bool, de: bool) -> TokenStream {
    let ty = paths::named(plan, shape.id, Scope::Sibling);
    let allow = allow_deprecated(shape.uses_deprecated);
    let name = &shape.ident;
    let mut out = TokenStream::new();
    if ser {
        let arms = shape.variants.iter().map(|v| {
            let variant = &v.ident;
            match &v.ty {
                None => {
                    let element = v.xml.name;
                    quote! { #ty::#variant => element.push(rt::Element::new(#element)), }
                }
                Some(inner) => {
                    let body = ser_member(plan, Place::Inside, inner, &v.xml);
                    quote! { #ty::#variant(value) => { #body } }
                }
            }
        });
        let unknown = shape
            .has_unknown()
            .then(|| match plan.extern_path(shape.id) {
                Some(_) => quote!(_ => {}),
                None => quote!(#ty::Unknown => {}),
            });
        let f = ser_fn(plan, shape.id);
        let doc = format!(" Serializes a [`{name}`] as the element `name`.");
        out.extend(quote! {
            #[doc = #doc]
            #allow
            pub(super) fn #f(input: &#ty, name: &str) -> rt::Element {
                let mut element = rt::Element::new(name);
                match input {
                    #(#arms)*
                    #unknown
                }
                element
            }
        });
    }
    if de {
        let mut seen = BTreeSet::new();
        let arms: Vec<TokenStream> = shape
            .variants
            .iter()
            .filter(|v| seen.insert(local(v.xml.name)))
            .map(|v| {
                let variant = &v.ident;
                let element = local(v.xml.name);
                let name = v.name;
                match &v.ty {
                    None => quote! { #element => #ty::#variant, },
                    Some(inner) => {
                        let value = de_value(plan, Place::Inside, inner, quote!(child));
                        let boxed = v.boxed.then(|| quote!(.map(Box::new)));
                        quote! { #element => #ty::#variant(#value #boxed .map_err(|e| rt::at(#name, e))?), }
                    }
                }
            })
            .collect();
        let f = de_fn(plan, shape.id);
        let doc = format!(" Deserializes a [`{name}`] from its element.");
        out.extend(quote! {
            #[doc = #doc]
            #allow
            pub(super) fn #f(element: &rt::Element) -> Result<#ty, rt::DeError> {
                let mut found = None;
                for child in element.children() {
                    if found.is_some() {
                        return Err(String::from("a union value must set exactly one member"));
                    }
                    found = Some(match child.local_name() {
                        #(#arms)*
                        _ => #ty::Unknown,
                    });
                }
                found.ok_or_else(|| String::from("a union value must set exactly one member"))
            }
        });
    }
    out
}
