//! The presence checks of a server: `@required` members without a
//! `@default` that a request left out, found in the request's document
//! before it is read, so each is a constraint violation (`Value at
//! '/name' failed to satisfy constraint: Member must not be null`) in the
//! operation's `ValidationException` — not an unreadable request. A typed
//! value cannot be built without its required members, so this check
//! reads the document itself; when it finds any, they alone are reported
//! (the other constraints need the typed value).
//!
//! One function per aggregate that holds such a member at any depth
//! (`required_<stem>`), walking the document with the codec's own readers
//! (`rt::de_object`, `rt::de_array`), so one emitter serves JSON and CBOR.
//! Anything that is not the expected kind of value is left to the strict
//! reader, which reports it as malformed.

use std::collections::BTreeSet;

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::super::codec::{CodecSettings, Needs};
use super::super::plan::{HttpBinding, Plan, ProtocolKind, Structure, Ty, TypeDef};
use crate::model::ShapeId;

/// The aggregates inside operation inputs that hold a member a request
/// must carry, at any depth.
#[derive(Debug, Default)]
pub struct Required {
    ids: BTreeSet<ShapeId>,
}

impl Required {
    /// Finds them: the input aggregates with such a member, or holding
    /// one that has.
    pub fn find(plan: &Plan<'_>) -> Self {
        let ids = super::checks::input_aggregates_where(plan, |id, ids| match plan.get(id) {
            TypeDef::Structure(s) => s
                .document_members()
                .any(|m| m.needs_value() || holds(&m.ty, ids)),
            TypeDef::Union(u) => u
                .variants
                .iter()
                .any(|v| v.ty.as_ref().is_some_and(|ty| holds(ty, ids))),
            _ => false,
        });
        let ids = if plan.protocol() == ProtocolKind::RestJson1 {
            // A REST input's own members travel in many places (its check
            // is `rest_input_check`); only what its body holds is walked.
            let mut bodies = Needs::default();
            for op in &plan.operations {
                for m in plan.input(op).iter().flat_map(|s| s.document_members()) {
                    if matches!(m.http, HttpBinding::Body | HttpBinding::Payload) {
                        bodies.add_strict_de_ty(plan, &m.ty);
                    }
                }
            }
            ids.intersection(&bodies.strict_de).cloned().collect()
        } else {
            ids
        };
        Required { ids }
    }

    /// True when `id`'s document is walked.
    pub fn contains(&self, id: &ShapeId) -> bool {
        self.ids.contains(id)
    }
}

/// True when a value of `ty` may hold a member whose presence is checked.
fn holds(ty: &Ty<'_>, ids: &BTreeSet<ShapeId>) -> bool {
    match ty {
        Ty::Structure(id) | Ty::Union(id) => ids.contains(*id),
        Ty::List { item, .. } => holds(item, ids),
        Ty::Map { value, .. } => holds(value, ids),
        _ => false,
    }
}

fn required_fn(plan: &Plan<'_>, id: &ShapeId) -> Ident {
    format_ident!("required_{}", plan.get(id).stem())
}

/// Statements that walk `v` (a `&rt::Value` of type `ty`) at the pointer
/// `p` (a `String`); empty when nothing inside is checked.
fn walk(plan: &Plan<'_>, required: &Required, ty: &Ty<'_>) -> TokenStream {
    match ty {
        Ty::Structure(id) | Ty::Union(id) if required.contains(id) => {
            let f = required_fn(plan, id);
            quote!(#f(v, &p, violations);)
        }
        Ty::List { item, .. } if holds(item, &required.ids) => {
            let inner = walk(plan, required, item);
            quote! {
                if let Ok(items) = rt::de_array(v) {
                    for (i, v) in items.iter().enumerate().filter(|(_, v)| !v.is_null()) {
                        let p = format!("{p}/{i}");
                        #inner
                    }
                }
            }
        }
        Ty::Map { value, .. } if holds(value, &required.ids) => {
            let inner = walk(plan, required, value);
            quote! {
                if let Ok(entries) = rt::de_object(v) {
                    for (key, v) in entries.iter().filter(|(_, v)| !v.is_null()) {
                        let p = format!("{p}/{}", tinsmith_runtime::server::validate::escape(key));
                        #inner
                    }
                }
            }
        }
        _ => TokenStream::new(),
    }
}

/// The presence-check functions.
pub fn functions(plan: &Plan<'_>, settings: CodecSettings, required: &Required) -> TokenStream {
    let fns = required.ids.iter().map(|id| {
        let f = required_fn(plan, id);
        let (body, name) = match plan.get(id) {
            TypeDef::Structure(s) => {
                let stmts = s.document_members().filter_map(|m| {
                    let key = settings.key(m.name, m.json_name);
                    let path = format!("{{path}}/{}", m.name);
                    let inner = walk(plan, required, &m.ty);
                    let member = crate::rust::codec::present(&key, &m.ty);
                    match (m.needs_value(), inner.is_empty()) {
                        (false, true) => None,
                        (true, true) => Some(quote! {
                            if #member.is_none() {
                                violations.required(&format!(#path));
                            }
                        }),
                        (true, false) => Some(quote! {
                            match #member {
                                None => violations.required(&format!(#path)),
                                Some(v) => {
                                    let p = format!(#path);
                                    #inner
                                }
                            }
                        }),
                        (false, false) => Some(quote! {
                            if let Some(v) = #member {
                                let p = format!(#path);
                                #inner
                            }
                        }),
                    }
                });
                (quote!(#(#stmts)*), s.name)
            }
            TypeDef::Union(u) => {
                let stmts = u.variants.iter().filter_map(|variant| {
                    let inner = walk(plan, required, variant.ty.as_ref()?);
                    if inner.is_empty() {
                        return None;
                    }
                    let key = settings.key(variant.name, variant.json_name);
                    let path = format!("{{path}}/{}", variant.name);
                    Some(quote! {
                        if let Some(v) = object.get(#key).filter(|v| !v.is_null()) {
                            let p = format!(#path);
                            #inner
                        }
                    })
                });
                // A union setting more than one member is the reader's
                // to reject; nothing inside it is walked.
                let body = quote! {
                    if object.iter().filter(|(k, v)| *k != "__type" && !v.is_null()).count() > 1 {
                        return;
                    }
                    #(#stmts)*
                };
                (body, u.name)
            }
            _ => return TokenStream::new(),
        };
        let doc = format!(" Reports the members a `{name}` document must carry but does not.");
        quote! {
            #[doc = #doc]
            fn #f(value: &rt::Value, path: &str, violations: &mut Violations) {
                let Ok(object) = rt::de_object(value) else {
                    return;
                };
                #body
            }
        }
    });
    quote!(#(#fns)*)
}

/// The statements of a serving function that check the presence of what
/// its input document (`body`) must carry, into `violations`; empty when
/// the input has nothing to check.
pub fn input_check(plan: &Plan<'_>, required: &Required, input: &ShapeId) -> TokenStream {
    if !required.contains(input) {
        return TokenStream::new();
    }
    let f = required_fn(plan, input);
    quote!(#f(&body, "", &mut violations);)
}

/// The presence checks of a REST input: statements over `call` (its
/// headers, query and payload; `body` is the parsed payload) and
/// statements over `object` (the body document's members), each reporting
/// into `violations` (a `&mut Violations`); both empty when the input has
/// nothing to check.
pub struct RestPresence {
    /// Statements reading `call` (and `body`, for a payload).
    pub request: TokenStream,
    /// Statements reading `object`.
    pub members: TokenStream,
    /// True when `request` reads `call`.
    pub uses_call: bool,
    /// True when `request` reads `body` (a payload's document).
    pub uses_body: bool,
}

/// The presence checks of a REST input (see [`RestPresence`]).
pub fn rest_input_check(
    plan: &Plan<'_>,
    settings: CodecSettings,
    required: &Required,
    input: &Structure<'_>,
) -> RestPresence {
    let mut request = TokenStream::new();
    let mut members = TokenStream::new();
    let mut uses_call = false;
    let mut uses_body = false;
    for m in input.document_members() {
        let path = format!("/{}", m.name);
        let needed = m.needs_value();
        match &m.http {
            HttpBinding::Header(header) if needed => {
                uses_call = true;
                request.extend(quote! {
                    if call.headers().get(#header).is_none() {
                        violations.required(#path);
                    }
                });
            }
            HttpBinding::Query(key) if needed => {
                uses_call = true;
                request.extend(quote! {
                    if call.query(#key).is_none() {
                        violations.required(#path);
                    }
                });
            }
            HttpBinding::Payload => {
                let inner = walk(plan, required, &m.ty);
                // An empty blob, string or enum payload is a value, the
                // empty one; a document payload is absent without a body.
                let document = !matches!(m.ty, Ty::Blob { .. } | Ty::String { .. } | Ty::Enum(_));
                if needed && document {
                    uses_call = true;
                    request.extend(quote! {
                        if call.body().is_empty() {
                            violations.required(#path);
                        }
                    });
                }
                if !inner.is_empty() {
                    uses_body = true;
                    request.extend(quote! {
                        if !body.is_null() {
                            let (v, p) = (body, String::from(#path));
                            #inner
                        }
                    });
                }
            }
            HttpBinding::Body => {
                let key = settings.key(m.name, m.json_name);
                let inner = walk(plan, required, &m.ty);
                let member = crate::rust::codec::present(&key, &m.ty);
                members.extend(match (needed, inner.is_empty()) {
                    (false, true) => continue,
                    (true, true) => quote! {
                        if #member.is_none() {
                            violations.required(#path);
                        }
                    },
                    (true, false) => quote! {
                        match #member {
                            None => violations.required(#path),
                            Some(v) => {
                                let p = String::from(#path);
                                #inner
                            }
                        }
                    },
                    (false, false) => quote! {
                        if let Some(v) = #member {
                            let p = String::from(#path);
                            #inner
                        }
                    },
                });
            }
            _ => {}
        }
    }
    RestPresence {
        request,
        members,
        uses_call,
        uses_body,
    }
}
