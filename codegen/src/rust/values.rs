//! Node values as Rust expressions: `@default` values, the parameters of
//! compliance test cases, and the zero values a client fills in for
//! required members a response left out. One table serves all three, so
//! a value means the same Rust value wherever the model gives it.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::paths::{self, Scope};
use super::plan::{Plan, Ty};
use crate::model::{Node, Number};

/// Where a value comes from and where it goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A `@default` (blobs are base64, spec: "Type refinement traits"),
    /// for a place of its type (numbers need no suffix).
    Default,
    /// A compliance test case's `params` (blobs are their text), for a
    /// setter taking `impl Into<T>` (numbers carry their type).
    TestCase,
    /// A zero value for a setter.
    Zero,
}

/// An expression of type `ty` (unboxed) for `node`.
pub fn expr(
    plan: &Plan<'_>,
    ty: &Ty<'_>,
    node: &Node,
    source: Source,
    scope: Scope,
) -> TokenStream {
    let rust = || paths::ty(plan, ty, scope);
    let int = || node.as_number().and_then(Number::as_i64).unwrap_or(0);
    match ty {
        Ty::Boolean => {
            let b = node.as_bool().unwrap_or_default();
            quote!(#b)
        }
        // Validation has checked that integers fit their types.
        Ty::Byte | Ty::Short | Ty::Integer | Ty::Long if source == Source::Default => {
            lit(Literal::i64_unsuffixed(int()))
        }
        Ty::Byte => lit(Literal::i8_suffixed(int() as i8)),
        Ty::Short => lit(Literal::i16_suffixed(int() as i16)),
        Ty::Integer => lit(Literal::i32_suffixed(int() as i32)),
        Ty::Long => lit(Literal::i64_suffixed(int())),
        Ty::Float => float(node, false, source),
        Ty::Double => float(node, true, source),
        Ty::BigInteger | Ty::BigDecimal if matches!(node, Node::Number(Number::Int(_))) => {
            let ty = rust();
            let v = if source == Source::Default {
                Literal::i64_unsuffixed(int())
            } else {
                Literal::i64_suffixed(int())
            };
            quote!(#ty::from(#v))
        }
        Ty::BigInteger | Ty::BigDecimal => {
            let text = match node {
                Node::Number(n) => number_text(n),
                Node::String(s) => s.clone(),
                _ => "0".to_owned(),
            };
            let ty = rust();
            quote!(#text.parse::<#ty>().expect("a valid number"))
        }
        Ty::String { .. } => match node.as_str().unwrap_or_default() {
            "" => quote!(String::new()),
            s => quote!(String::from(#s)),
        },
        Ty::Blob { .. } => {
            let text = node.as_str().unwrap_or_default();
            match source {
                Source::TestCase | Source::Zero => quote!(tinsmith_runtime::Blob::from(#text)),
                Source::Default => {
                    use base64::Engine as _;
                    let bytes = base64::engine::general_purpose::STANDARD
                        .decode(text)
                        .unwrap_or_else(|_| text.as_bytes().to_vec());
                    let bytes = Literal::byte_string(&bytes);
                    quote!(tinsmith_runtime::Blob::from(&#bytes[..]))
                }
            }
        }
        Ty::Document => document(node),
        Ty::Timestamp { .. } => timestamp(node),
        Ty::Enum(_) => {
            let ty = rust();
            let s = node.as_str().unwrap_or_default();
            quote!(#ty::from(#s))
        }
        Ty::IntEnum(_) => {
            let ty = rust();
            let v = Literal::i32_unsuffixed(int() as i32);
            quote!(#ty::from(#v))
        }
        Ty::Structure(id) => {
            let structure = plan.structure(id);
            let ty = rust();
            let setters = node.as_object().into_iter().flatten().filter_map(|(k, v)| {
                if matches!(v, Node::Null) {
                    return None;
                }
                let member = structure.member(k)?;
                let setter = &member.setter;
                let value = expr(plan, &member.ty, v, source, scope);
                Some(quote!(.#setter(#value)))
            });
            if structure.build_is_fallible() {
                quote!(#ty::builder() #(#setters)* .build().expect("the value is complete"))
            } else {
                quote!(#ty::builder() #(#setters)* .build())
            }
        }
        Ty::Union(id) => {
            let union = plan.union(id);
            let ty = rust();
            // A value that names no member: `Unknown`, where the union has
            // one (the loader rejects such values in traits, so only test
            // cases about unknown members reach here).
            let unknown = || {
                if union.has_unknown() {
                    quote!(#ty::Unknown)
                } else {
                    let message = format!("the value names no member of `{}`", union.name);
                    quote!(unreachable!(#message))
                }
            };
            let Some((key, inner)) = node.as_object().and_then(|o| o.iter().next()) else {
                return unknown();
            };
            let Some(variant) = union.variant(key) else {
                return unknown();
            };
            let name = &variant.ident;
            match &variant.ty {
                None => quote!(#ty::#name),
                Some(inner_ty) => {
                    let value = expr(plan, inner_ty, inner, source, scope);
                    if variant.boxed {
                        quote!(#ty::#name(Box::new(#value)))
                    } else {
                        quote!(#ty::#name(#value))
                    }
                }
            }
        }
        Ty::List { .. } if node.as_array().is_none_or(<[Node]>::is_empty) => quote!(Vec::new()),
        Ty::Map { .. } if node.as_object().is_none_or(|o| o.is_empty()) => {
            quote!(std::collections::HashMap::new())
        }
        Ty::List { item, sparse, .. } => {
            let item_ty = paths::ty(plan, item, scope);
            let items = node
                .as_array()
                .unwrap_or_default()
                .iter()
                .map(|v| match (sparse, v) {
                    (true, Node::Null) => quote!(None),
                    (true, v) => {
                        let v = expr(plan, item, v, source, scope);
                        quote!(Some(#v))
                    }
                    (false, v) => expr(plan, item, v, source, scope),
                });
            if *sparse {
                quote!(Vec::<Option<#item_ty>>::from([#(#items),*]))
            } else {
                quote!(Vec::<#item_ty>::from([#(#items),*]))
            }
        }
        Ty::Map {
            key, value, sparse, ..
        } => {
            let key_ty = paths::ty(plan, key, scope);
            let value_ty = paths::ty(plan, value, scope);
            let entries = node.as_object().into_iter().flatten().map(|(k, v)| {
                let k = expr(plan, key, &Node::String(k.clone()), source, scope);
                let v = match (sparse, v) {
                    (true, Node::Null) => quote!(None),
                    (true, v) => {
                        let v = expr(plan, value, v, source, scope);
                        quote!(Some(#v))
                    }
                    (false, v) => expr(plan, value, v, source, scope),
                };
                quote!((#k, #v))
            });
            if *sparse {
                quote!(std::collections::HashMap::<#key_ty, Option<#value_ty>>::from([#(#entries),*]))
            } else {
                quote!(std::collections::HashMap::<#key_ty, #value_ty>::from([#(#entries),*]))
            }
        }
    }
}

/// True when the expression for `node` is a literal (cheap enough to
/// evaluate eagerly, as `unwrap_or(v)` rather than `unwrap_or_else`).
pub fn is_literal(ty: &Ty<'_>, node: &Node) -> bool {
    match ty {
        Ty::Boolean | Ty::Byte | Ty::Short | Ty::Integer | Ty::Long | Ty::Float | Ty::Double => {
            true
        }
        Ty::Document => {
            matches!(node, Node::Null | Node::Bool(_))
                || matches!(node, Node::Number(n) if n.as_i64().is_some() && !n.is_float())
        }
        _ => false,
    }
}

/// The zero value of a type, as a node: what a client fills in for a
/// `@required` member a response left out, and what a test case's request
/// needs for required members it does not mention.
pub fn zero(ty: &Ty<'_>) -> Node {
    match ty {
        Ty::String { .. } | Ty::Enum(_) | Ty::Blob { .. } => Node::String(String::new()),
        Ty::Boolean => Node::Bool(false),
        Ty::List { .. } => Node::Array(Vec::new()),
        Ty::Structure(_) | Ty::Union(_) | Ty::Map { .. } => Node::Object(Default::default()),
        Ty::Document => Node::Null,
        _ => Node::Number(Number::Int(0)),
    }
}

fn lit(literal: Literal) -> TokenStream {
    quote!(#literal)
}

fn number_text(n: &Number) -> String {
    match n {
        Number::Int(i) => i.to_string(),
        Number::Float(f) => f.to_string(),
        Number::Big(b) => b.as_str().to_owned(),
    }
}

fn float(node: &Node, double: bool, source: Source) -> TokenStream {
    let ty = if double { quote!(f64) } else { quote!(f32) };
    match node {
        Node::String(s) if s == "NaN" => quote!(#ty::NAN),
        Node::String(s) if s == "Infinity" => quote!(#ty::INFINITY),
        Node::String(s) if s == "-Infinity" => quote!(#ty::NEG_INFINITY),
        Node::Number(n) if source == Source::Default => lit(Literal::f64_unsuffixed(n.as_f64())),
        Node::Number(n) if double => lit(Literal::f64_suffixed(n.as_f64())),
        Node::Number(n) => lit(Literal::f32_suffixed(n.as_f64() as f32)),
        _ => quote!(#ty::default()),
    }
}

/// A `DateTime` from a number of seconds or a date-time text.
pub fn timestamp(node: &Node) -> TokenStream {
    match node {
        Node::Number(n) if n.is_float() => {
            let v = n.as_f64();
            quote!(tinsmith_runtime::DateTime::from_secs_f64(#v))
        }
        Node::Number(n) => {
            let v = Literal::i64_unsuffixed(n.as_i64().unwrap_or(0));
            quote!(tinsmith_runtime::DateTime::from_secs(#v))
        }
        Node::String(s) => quote! {
            tinsmith_runtime::DateTime::parse(#s, tinsmith_runtime::TimestampFormat::DateTime)
                .expect("a valid date-time")
        },
        _ => quote!(tinsmith_runtime::DateTime::from_secs(0)),
    }
}

/// A `tinsmith_runtime::Document` for any node.
pub fn document(value: &Node) -> TokenStream {
    match value {
        Node::Null => quote!(tinsmith_runtime::Document::Null),
        Node::Bool(b) => quote!(tinsmith_runtime::Document::Bool(#b)),
        Node::Number(n) => match n.as_i64() {
            Some(i) if !n.is_float() => quote!(tinsmith_runtime::Document::from(#i)),
            _ => {
                let f = n.as_f64();
                quote!(tinsmith_runtime::Document::from(#f))
            }
        },
        Node::String(s) => quote!(tinsmith_runtime::Document::from(#s)),
        Node::Array(items) => {
            let items = items.iter().map(document);
            quote!(tinsmith_runtime::Document::Array(vec![#(#items),*]))
        }
        Node::Object(entries) => {
            let keys = entries.keys();
            let values = entries.values().map(document);
            quote!(tinsmith_runtime::Document::Object([#((String::from(#keys), #values)),*].into_iter().collect()))
        }
    }
}
