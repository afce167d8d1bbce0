//! The constraint checks of a generated server: one `check_<stem>` function
//! per structure or union a request can carry that has something to check
//! (`@length`, `@range`, `@pattern`, `@uniqueItems`, an enum value the model
//! does not define), walking nested lists, maps and structures and naming
//! each violation by its JSON pointer. The serving function runs the input's
//! check before the handler and answers violations as the operation's
//! `smithy.framework#ValidationException` when it models one, else as a
//! `400 ValidationException` of the same form.

use std::collections::BTreeSet;

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::model::ShapeId;
use crate::rust::codec::Needs;
use crate::rust::paths::{self, Scope};
use crate::rust::pattern;
use crate::rust::plan::{Bounds, Constraints, Operation, Plan, Structure, Ty, TypeDef};
use crate::rust::types::allow_deprecated;

/// Smithy's validation error, which operations model to receive violations.
const VALIDATION_EXCEPTION: &str = "smithy.framework#ValidationException";

/// The structures and unions requests carry that have something to check.
pub struct Checked {
    ids: BTreeSet<ShapeId>,
}

impl Checked {
    /// Finds them: the aggregates inside every operation input, kept when
    /// a member of theirs is constrained, is an enum, or holds a kept one.
    pub fn find(plan: &Plan<'_>) -> Self {
        Checked {
            ids: input_aggregates_where(plan, |id, ids| shape_checks(plan, id, ids)),
        }
    }

    fn contains(&self, id: &ShapeId) -> bool {
        self.ids.contains(id)
    }
}

/// The aggregates inside every operation input that `keep` keeps, given
/// the ones kept so far: asked again until nothing changes, so a shape
/// holding a kept shape can be kept too (recursive shapes included).
pub(super) fn input_aggregates_where(
    plan: &Plan<'_>,
    keep: impl Fn(&ShapeId, &BTreeSet<ShapeId>) -> bool,
) -> BTreeSet<ShapeId> {
    let mut needs = Needs::default();
    for op in &plan.operations {
        if let Some(input) = op.input {
            needs.add_strict_de(plan, input);
        }
    }
    let mut ids = BTreeSet::new();
    loop {
        let before = ids.len();
        for id in &needs.strict_de {
            if !ids.contains(id) && keep(id, &ids) {
                ids.insert(id.clone());
            }
        }
        if ids.len() == before {
            return ids;
        }
    }
}

fn shape_checks(plan: &Plan<'_>, id: &ShapeId, checked: &BTreeSet<ShapeId>) -> bool {
    let checks =
        |ty: &Ty<'_>, c: &Constraints| !value_checks(plan, checked, ty, c, quote!(v)).is_empty();
    match plan.get(id) {
        TypeDef::Structure(s) => s.document_members().any(|m| checks(&m.ty, &m.constraints)),
        TypeDef::Union(u) => u
            .variants
            .iter()
            .filter_map(|v| Some((v.ty.as_ref()?, &v.constraints)))
            .any(|(ty, c)| checks(ty, c)),
        _ => false,
    }
}

fn check_fn(plan: &Plan<'_>, id: &ShapeId) -> Ident {
    format_ident!("check_{}", plan.get(id).stem())
}

/// The check functions.
pub fn functions(plan: &Plan<'_>, checked: &Checked) -> TokenStream {
    let fns = checked.ids.iter().map(|id| {
        let f = check_fn(plan, id);
        let ty = paths::named(plan, id, Scope::Sibling);
        let (body, name, uses_deprecated) = match plan.get(id) {
            TypeDef::Structure(s) => {
                let stmts = s.document_members().filter_map(|m| {
                    let field = &m.field;
                    let path = pointer(m.name);
                    let checks = value_checks(plan, &checked.ids, &m.ty, &m.constraints, quote!(v));
                    if checks.is_empty() {
                        return None;
                    }
                    Some(if m.optional {
                        quote! {
                            if let Some(v) = &value.#field {
                                let p = format!(#path);
                                #checks
                            }
                        }
                    } else {
                        quote! {
                            {
                                let v = &value.#field;
                                let p = format!(#path);
                                #checks
                            }
                        }
                    })
                });
                (quote!(#(#stmts)*), s.name, s.uses_deprecated)
            }
            TypeDef::Union(u) => {
                let arms = u.variants.iter().filter_map(|v| {
                    let inner = v.ty.as_ref()?;
                    let checks = value_checks(plan, &checked.ids, inner, &v.constraints, quote!(v));
                    if checks.is_empty() {
                        return None;
                    }
                    let (variant, path) = (&v.ident, pointer(v.name));
                    Some(quote! {
                        #ty::#variant(v) => {
                            let p = format!(#path);
                            #checks
                        }
                    })
                });
                (
                    quote! {
                        #[allow(clippy::single_match)]
                        match value {
                            #(#arms)*
                            _ => {}
                        }
                    },
                    u.name,
                    u.uses_deprecated,
                )
            }
            _ => return TokenStream::new(),
        };
        let doc = format!(" Checks a `{name}` against the model's constraints.");
        let allow = allow_deprecated(uses_deprecated);
        quote! {
            #[doc = #doc]
            #allow
            fn #f(value: &#ty, path: &str, violations: &mut Violations) {
                #body
            }
        }
    });
    quote!(#(#fns)*)
}

/// The format string of a member's JSON pointer under `path`: a member
/// name is an identifier, so it needs no escaping of braces; `~` and `/`
/// cannot occur in it either (RFC 6901 escapes).
fn pointer(name: &str) -> String {
    format!("{{path}}/{name}")
}

/// The bounds as `Option<f64>` expressions; a bound `f64` cannot hold
/// (beyond its range) bounds nothing. (`float` ranges are checked in `f32`,
/// `Violations::range_f32`.)
fn bounds(b: &Bounds) -> (TokenStream, TokenStream) {
    let side = |v: Option<f64>| match v.filter(|v| v.is_finite()) {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    };
    (side(b.min), side(b.max))
}

/// Statements checking `v` (a reference to a value of `ty`) whose JSON
/// pointer is the local `p` (a `String`); empty when there is nothing to
/// check.
fn value_checks(
    plan: &Plan<'_>,
    checked: &BTreeSet<ShapeId>,
    ty: &Ty<'_>,
    c: &Constraints,
    v: TokenStream,
) -> TokenStream {
    let mut out = TokenStream::new();
    if let Some(b) = &c.length {
        let (min, max) = bounds(b);
        let len = match ty {
            Ty::String { .. } => Some(quote!(#v.chars().count())),
            Ty::Blob { .. } | Ty::List { .. } | Ty::Map { .. } => Some(quote!(#v.len())),
            _ => None,
        };
        if let Some(len) = len {
            out.extend(quote!(violations.length(#len, #min, #max, &p);));
        }
    }
    if let (Some(b), Ty::Float) = (&c.range, ty) {
        let side = |v: Option<f64>| match v.filter(|v| v.is_finite()) {
            Some(v) => {
                let v = v as f32;
                quote!(Some(#v))
            }
            None => quote!(None),
        };
        let (min, max) = (side(b.min), side(b.max));
        out.extend(quote!(violations.range_f32(*#v, #min, #max, &p);));
    } else if let Some(b) = &c.range {
        let (min, max) = bounds(b);
        let number = match ty {
            Ty::Byte | Ty::Short | Ty::Integer => Some(quote!(f64::from(*#v))),
            Ty::Long => Some(quote!(*#v as f64)),
            Ty::Double => Some(quote!(*#v)),
            // Compared as the nearest f64: exact to 15 significant digits;
            // text that is not a number fails the check.
            Ty::BigInteger | Ty::BigDecimal => {
                Some(quote!(#v.as_str().parse::<f64>().unwrap_or(f64::NAN)))
            }
            _ => None,
        };
        if let Some(number) = number {
            out.extend(quote!(violations.range(#number, #min, #max, &p);));
        }
    }
    if let (Some(pattern), Ty::String { .. }) = (&c.pattern, ty) {
        // The plan refused patterns the engine cannot run.
        if let Ok(engine) = pattern::for_engine(pattern) {
            out.extend(quote!(violations.pattern(#v, (#pattern, #engine), &p);));
        }
    }
    match ty {
        Ty::Enum(id) | Ty::IntEnum(id) => {
            let enum_ty = paths::named(plan, id, Scope::Sibling);
            // The message lists the values users may send; `@internal`
            // ones are valid but not listed.
            let values: Vec<String> = match plan.get(id) {
                TypeDef::StringEnum(e) => e
                    .values
                    .iter()
                    .filter(|v| !v.internal)
                    .map(|v| v.value.clone())
                    .collect(),
                TypeDef::IntEnum(e) => e
                    .values
                    .iter()
                    .filter(|v| !v.internal)
                    .map(|v| v.value.to_string())
                    .collect(),
                _ => Vec::new(),
            };
            out.extend(quote! {
                if let #enum_ty::Unknown(_) = #v {
                    violations.enumeration(&[#(#values),*], &p);
                }
            });
        }
        Ty::Structure(id) | Ty::Union(id) if checked.contains(*id) => {
            let f = check_fn(plan, id);
            out.extend(quote!(#f(#v, &p, violations);));
        }
        Ty::List { item, sparse, .. } => {
            if c.unique_items {
                let hashable = matches!(
                    **item,
                    Ty::String { .. }
                        | Ty::Enum(_)
                        | Ty::IntEnum(_)
                        | Ty::Boolean
                        | Ty::Byte
                        | Ty::Short
                        | Ty::Integer
                        | Ty::Long
                        | Ty::Blob { .. }
                );
                out.extend(match **item {
                    _ if hashable => quote!(violations.unique_hashed(#v, &p);),
                    Ty::Float if !*sparse => {
                        quote!(violations.unique_floats(#v.iter().map(|f| f64::from(*f)), &p);)
                    }
                    Ty::Double if !*sparse => {
                        quote!(violations.unique_floats(#v.iter().copied(), &p);)
                    }
                    _ => quote!(violations.unique(#v, &p);),
                });
            }
            let empty = Constraints::default();
            let inner = value_checks(
                plan,
                checked,
                item,
                c.items.as_deref().unwrap_or(&empty),
                quote!(item),
            );
            if !inner.is_empty() {
                let bind = if *sparse {
                    quote!(let Some(item) = item else { continue; };)
                } else {
                    TokenStream::new()
                };
                out.extend(quote! {
                    for (i, item) in #v.iter().enumerate() {
                        #bind
                        let p = format!("{p}/{i}");
                        #inner
                    }
                });
            }
        }
        Ty::Map {
            key, value, sparse, ..
        } => {
            let empty = Constraints::default();
            let keys = value_checks(
                plan,
                checked,
                key,
                c.keys.as_deref().unwrap_or(&empty),
                quote!(key),
            );
            let values = value_checks(
                plan,
                checked,
                value,
                c.items.as_deref().unwrap_or(&empty),
                quote!(item),
            );
            // A key is not a value with a pointer of its own: its
            // violations are the map's (as Smithy's validation cases
            // expect); a value's pointer ends in its escaped key.
            if !keys.is_empty() {
                out.extend(quote! {
                    for key in #v.keys() {
                        #keys
                    }
                });
            }
            if !values.is_empty() {
                let bind = if *sparse {
                    quote!(let Some(item) = item else { continue; };)
                } else {
                    TokenStream::new()
                };
                out.extend(quote! {
                    for (key, item) in #v {
                        #bind
                        let p = format!("{p}/{}", tinsmith_runtime::server::validate::escape(key.as_str()));
                        #values
                    }
                });
            }
        }
        _ => {}
    }
    out
}

/// The statements of a serving function that check its input and return
/// the violations' reply; empty when the input has nothing to check.
pub fn input_check(plan: &Plan<'_>, checked: &Checked, op: &Operation<'_>) -> TokenStream {
    let Some(input) = op.input.filter(|id| checked.contains(id)) else {
        return TokenStream::new();
    };
    let f = check_fn(plan, input);
    let reply = violations_reply(plan, op);
    quote! {
        let mut violations = Violations::new();
        #f(&input, "", &mut violations);
        if !violations.is_empty() {
            #reply
        }
    }
}

/// Statements that return the reply of `violations` (non-empty): the
/// operation's modeled `ValidationException`, else a plain `400
/// ValidationException`.
pub fn violations_reply(plan: &Plan<'_>, op: &Operation<'_>) -> TokenStream {
    op.errors
        .iter()
        .find(|e| e.id.to_string() == VALIDATION_EXCEPTION)
        .and_then(|e| validation_error(plan, plan.structure(e.id)))
        .unwrap_or_else(|| quote!(return Reply::invalid(PROTOCOL, &violations);))
}

/// The reply of violations as a modeled `ValidationException` (its
/// `message` and `fieldList` of `path` and `message`); `None` when the
/// structure does not have that form.
fn validation_error(plan: &Plan<'_>, error: &Structure<'_>) -> Option<TokenStream> {
    let message = error.member("message")?;
    let list = error.member("fieldList")?;
    let Ty::List { item, .. } = &list.ty else {
        return None;
    };
    let Ty::Structure(field_id) = **item else {
        return None;
    };
    let field = plan.structure(field_id);
    let (path_setter, message_setter) = (
        &field.member("path")?.setter,
        &field.member("message")?.setter,
    );
    let field_ty = paths::named(plan, field_id, Scope::Sibling);
    let error_ty = paths::named(plan, error.id, Scope::Sibling);
    // `build()` as a `Result` with `BuildError`, fallible or not.
    let result = |shape: &Structure<'_>, builder: TokenStream| {
        if shape.build_is_fallible() {
            quote!(#builder.build())
        } else {
            quote!(Ok::<_, tinsmith_runtime::BuildError>(#builder.build()))
        }
    };
    let built_field = result(
        field,
        quote!(#field_ty::builder().#path_setter(v.path()).#message_setter(v.message())),
    );
    let (message_setter, list_setter) = (&message.setter, &list.setter);
    let built_error = result(
        error,
        quote!(#error_ty::builder().#message_setter(violations.message()).#list_setter(fields)),
    );
    let writer = super::write_error_ident(error);
    Some(quote! {
        let error = violations
            .iter()
            .map(|v| #built_field)
            .collect::<Result<Vec<_>, tinsmith_runtime::BuildError>>()
            .and_then(|fields| #built_error);
        return match error {
            Ok(error) => #writer(&error),
            Err(error) => Reply::status(PROTOCOL, &Status::internal(error.to_string())),
        };
    })
}
