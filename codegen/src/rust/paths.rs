//! How generated code spells types: generated types by their path from
//! the module doing the naming, runtime types by their full path, and
//! member fields with their `Box`, `ByteStream` or event-stream wrapper.

use proc_macro2::TokenStream;
use quote::quote;

use super::plan::{Direction, Member, MemberKind, Plan, Structure, TimestampFormat, Ty};
use crate::model::ShapeId;

/// Where the type is named from: generated code refers to its siblings
/// with `super::`, so the same tokens work in a crate and inline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Inside the `types` module: generated types by their bare names.
    Types,
    /// Any other module: `super::types::Name`.
    Sibling,
}

/// The path of a generated type (a type another crate holds by its path
/// there, from any scope).
pub fn named(plan: &Plan<'_>, id: &ShapeId, scope: Scope) -> TokenStream {
    let ident = plan.get(id).ident();
    if let Some(path) = plan.extern_path(id) {
        return quote!(#path::types::#ident);
    }
    match scope {
        Scope::Types => quote!(#ident),
        Scope::Sibling => quote!(super::types::#ident),
    }
}

/// The path of a structure's builder.
pub fn builder(plan: &Plan<'_>, shape: &Structure<'_>, scope: Scope) -> TokenStream {
    let ident = &shape.builder;
    match (plan.extern_path(shape.id), scope) {
        (Some(path), _) => quote!(#path::types::#ident),
        (None, Scope::Types) => quote!(#ident),
        (None, Scope::Sibling) => quote!(super::types::#ident),
    }
}

/// The Rust type of a value type.
pub fn ty(plan: &Plan<'_>, ty: &Ty<'_>, scope: Scope) -> TokenStream {
    match ty {
        Ty::Boolean => quote!(bool),
        Ty::Byte => quote!(i8),
        Ty::Short => quote!(i16),
        Ty::Integer => quote!(i32),
        Ty::Long => quote!(i64),
        Ty::Float => quote!(f32),
        Ty::Double => quote!(f64),
        Ty::BigInteger => quote!(tinsmith_runtime::BigInteger),
        Ty::BigDecimal => quote!(tinsmith_runtime::BigDecimal),
        Ty::String { .. } => quote!(String),
        Ty::Blob { .. } => quote!(tinsmith_runtime::Blob),
        Ty::Document => quote!(tinsmith_runtime::Document),
        Ty::Timestamp { .. } => quote!(tinsmith_runtime::DateTime),
        Ty::Enum(id) | Ty::IntEnum(id) | Ty::Structure(id) | Ty::Union(id) => {
            named(plan, id, scope)
        }
        Ty::List { item, sparse, .. } => {
            let item = self::ty(plan, item, scope);
            if *sparse {
                quote!(Vec<Option<#item>>)
            } else {
                quote!(Vec<#item>)
            }
        }
        Ty::Map {
            key, value, sparse, ..
        } => {
            let key = self::ty(plan, key, scope);
            let value = self::ty(plan, value, scope);
            if *sparse {
                quote!(std::collections::HashMap<#key, Option<#value>>)
            } else {
                quote!(std::collections::HashMap<#key, #value>)
            }
        }
    }
}

/// What iterating over a collection yields: a list's items (`Option<T>`
/// when sparse) or a map's `(key, value)` entries.
pub fn item(plan: &Plan<'_>, collection: &Ty<'_>, scope: Scope) -> TokenStream {
    let optional = |ty: &Ty<'_>, sparse: bool| {
        let ty = self::ty(plan, ty, scope);
        if sparse { quote!(Option<#ty>) } else { ty }
    };
    match collection {
        Ty::List { item, sparse, .. } => optional(item, *sparse),
        Ty::Map {
            key, value, sparse, ..
        } => {
            let key = self::ty(plan, key, scope);
            let value = optional(value, *sparse);
            quote!((#key, #value))
        }
        other => self::ty(plan, other, scope),
    }
}

/// True for the types a setter takes as they are rather than through
/// `impl Into<T>`: numbers and booleans, so that a literal (`.short(300)`,
/// `.float(1.5)`) gets the parameter's type instead of defaulting to `i32`
/// or `f64`, which no `Into` would accept.
fn taken_as_is(ty: &Ty<'_>) -> bool {
    matches!(
        ty,
        Ty::Boolean | Ty::Byte | Ty::Short | Ty::Integer | Ty::Long | Ty::Float | Ty::Double
    )
}

/// The parameter type of a setter or appender of a value of `ty` (spelt
/// `rust`): `rust` itself for numbers and booleans, else `impl Into<rust>`.
pub fn param(ty: &Ty<'_>, rust: &TokenStream) -> TokenStream {
    if taken_as_is(ty) {
        rust.clone()
    } else {
        quote!(impl Into<#rust>)
    }
}

/// The value of a parameter declared by [`param`]: `name` or `name.into()`.
pub fn param_value(ty: &Ty<'_>, name: TokenStream) -> TokenStream {
    if taken_as_is(ty) {
        name
    } else {
        quote!(#name.into())
    }
}

/// The type a member's setter accepts: its value type (unboxed), the
/// `ByteStream`, or the event stream.
pub fn value(plan: &Plan<'_>, member: &Member<'_>, scope: Scope) -> TokenStream {
    match &member.kind {
        MemberKind::Value { .. } => ty(plan, &member.ty, scope),
        _ => field(plan, member, scope),
    }
}

/// The type of a member's field (without the `Option` of optional members).
pub fn field(plan: &Plan<'_>, member: &Member<'_>, scope: Scope) -> TokenStream {
    match &member.kind {
        MemberKind::Value { boxed: true } => {
            let inner = ty(plan, &member.ty, scope);
            quote!(Box<#inner>)
        }
        MemberKind::Value { boxed: false } => ty(plan, &member.ty, scope),
        MemberKind::ByteStream { .. } => quote!(tinsmith_runtime::ByteStream),
        MemberKind::Events { union, direction } => {
            let event = named(plan, union, scope);
            match direction {
                Direction::Received => {
                    let error = stream_error(plan, union);
                    quote!(tinsmith_runtime::eventstream::EventStream<#event, #error>)
                }
                Direction::Sent => quote!(tinsmith_runtime::eventstream::EventInput<#event>),
            }
        }
    }
}

/// The error enum of a received event stream, from any module.
pub fn stream_error(plan: &Plan<'_>, union: &ShapeId) -> TokenStream {
    let stream = plan.union(union).stream.as_ref();
    match stream {
        Some(s) if s.received => {
            let ident = &s.error_enum;
            quote!(super::error::#ident)
        }
        _ => quote!(std::convert::Infallible),
    }
}

/// The Rust type of an operation's input or output (`()` for `Unit`).
pub fn io(plan: &Plan<'_>, id: Option<&ShapeId>) -> TokenStream {
    match id {
        Some(id) => named(plan, id, Scope::Sibling),
        None => quote!(()),
    }
}

/// The runtime's `TimestampFormat` value.
pub fn timestamp_format(format: TimestampFormat) -> TokenStream {
    match format {
        TimestampFormat::DateTime => quote!(tinsmith_runtime::TimestampFormat::DateTime),
        TimestampFormat::HttpDate => quote!(tinsmith_runtime::TimestampFormat::HttpDate),
        TimestampFormat::EpochSeconds => quote!(tinsmith_runtime::TimestampFormat::EpochSeconds),
    }
}
