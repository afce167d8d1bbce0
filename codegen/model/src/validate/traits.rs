//! Trait rules: every applied trait is defined, its value matches the trait's
//! shape, the traits code generation relies on sit on shapes they allow, and
//! `@default` values match their targets.

use super::ShapeIndex;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::traits;
use crate::model::{Member, Model, Node, Shape, ShapeId, ShapeType, Trait, trait_value};
use crate::source::Span;

/// Values nested deeper than this are not checked further (the loader has
/// already bounded nesting; this keeps the checker's recursion bounded too).
const MAX_DEPTH: usize = 64;

/// Checks the traits of every shape and member (of built-in ones only with
/// `check_builtin`).
pub fn validate(
    index: &ShapeIndex<'_>,
    allow_unknown: bool,
    check_builtin: bool,
    diags: &mut Vec<Diagnostic>,
) {
    let shapes = index
        .model()
        .shapes
        .values()
        .filter(|s| check_builtin || !s.span.is_builtin());
    let mut defs = Definitions::new(index);
    for shape in shapes {
        let builtin = shape.span.is_builtin();
        for (id, t) in &shape.traits {
            check_trait(
                &mut defs,
                id,
                t,
                Target::Shape(shape),
                allow_unknown,
                builtin,
                diags,
            );
        }
        for m in shape.members.values() {
            for (id, t) in &m.traits {
                check_trait(
                    &mut defs,
                    id,
                    t,
                    Target::Member(shape, m),
                    allow_unknown,
                    builtin,
                    diags,
                );
            }
        }
    }
}

/// The shapes applied trait ids name, each looked up once.
///
/// A model applies a few hundred distinct traits tens of thousands of
/// times, and the loader shares the text of a trait's id between the
/// applications it resolves (ids it builds itself have texts of their
/// own): remembering each lookup by the text's address
/// ([`ShapeId::text_addr`]) saves hashing it at almost every application.
/// The ids are borrowed from the model for as long as the cache lives, so
/// no address is freed and reused meanwhile.
///
/// Checking trait values looks up the targets of the trait shapes' members
/// the same way, many times over: those ids are the model's too.
struct Definitions<'m> {
    index: &'m ShapeIndex<'m>,
    model: &'m Model,
    by_addr: foldhash::HashMap<usize, Option<&'m Shape>>,
    /// Trait ids whose shape is defined with `@trait`.
    traits: foldhash::HashMap<usize, Option<&'m Shape>>,
}

impl<'m> Definitions<'m> {
    fn new(index: &'m ShapeIndex<'m>) -> Self {
        Definitions {
            index,
            model: index.model(),
            by_addr: foldhash::HashMap::default(),
            traits: foldhash::HashMap::default(),
        }
    }

    /// The trait shape `id` names: a shape defined with `@trait`.
    fn trait_def(&mut self, id: &'m ShapeId) -> Option<&'m Shape> {
        if let Some(def) = self.traits.get(&id.text_addr()) {
            return *def;
        }
        let def = self.get(id).filter(|s| s.has_trait(traits::TRAIT));
        self.traits.insert(id.text_addr(), def);
        def
    }

    /// The shape `id` names, if any.
    fn get(&mut self, id: &'m ShapeId) -> Option<&'m Shape> {
        let index = self.index;
        *self
            .by_addr
            .entry(id.text_addr())
            .or_insert_with(|| index.shape(id))
    }
}

#[derive(Clone, Copy)]
enum Target<'a> {
    Shape(&'a Shape),
    Member(&'a Shape, &'a Member),
}

impl Target<'_> {
    fn id(&self) -> &ShapeId {
        match self {
            Target::Shape(s) => &s.id,
            Target::Member(_, m) => &m.id,
        }
    }

    /// The type of the shape itself, or of a member's target.
    fn ty(&self, index: &ShapeIndex<'_>) -> Option<ShapeType> {
        match self {
            Target::Shape(s) => Some(s.ty),
            Target::Member(_, m) => index.type_of(&m.target),
        }
    }
}

fn check_trait<'m>(
    defs: &mut Definitions<'m>,
    id: &'m ShapeId,
    t: &Trait,
    target: Target<'m>,
    allow_unknown: bool,
    builtin: bool,
    diags: &mut Vec<Diagnostic>,
) {
    let Some(def) = defs.trait_def(id) else {
        let message = match defs.get(id) {
            Some(_) => format!("`{id}` is applied as a trait but is not defined with @trait"),
            None => format!("unknown trait `{id}`"),
        };
        let d = if allow_unknown {
            Diagnostic::warning(Code::UnknownTrait, t.span, message)
        } else {
            Diagnostic::error(Code::UnknownTrait, t.span, message)
                .with_note("load the model that defines it, or pass --allow-unknown-traits")
        };
        diags.push(d.with_label("no trait definition"));
        return;
    };
    if builtin {
        return;
    }
    let mut found = Found::default();
    check_value(defs, def, &t.value, &mut String::new(), &mut found, 0);
    for w in found.warnings {
        diags.push(
            Diagnostic::warning(
                Code::TraitValue,
                t.span,
                format!("value of trait `{id}` on `{}`: {w}", target.id()),
            )
            .with_label("not in the trait's definition"),
        );
    }
    for e in found.errors {
        diags.push(
            Diagnostic::error(
                Code::TraitValue,
                t.span,
                format!("invalid value for trait `{id}` on `{}`: {e}", target.id()),
            )
            .with_label("invalid trait value"),
        );
    }
    if let Some(reason) = target_problem(defs.index, id.as_str(), target) {
        diags.push(
            Diagnostic::error(
                Code::TraitTarget,
                t.span,
                format!(
                    "trait `{id}` cannot be applied to `{}`: {reason}",
                    target.id()
                ),
            )
            .with_label("not allowed here"),
        );
    }
    if id.as_str() == traits::DEFAULT {
        check_default(defs, &t.value, target, t.span, diags);
    }
}

/// The targeting rules of the built-in traits that code generation depends
/// on: the selectors of their definitions in the prelude (spec: "HTTP
/// protocol bindings", "Streaming", "Endpoint traits", ...), written out.
fn target_problem(
    index: &ShapeIndex<'_>,
    trait_id: &str,
    target: Target<'_>,
) -> Option<&'static str> {
    use ShapeType as T;
    // Most applications are of other traits (documentation, length, ...):
    // they leave before the lookups below.
    const CHECKED: &[&str] = &[
        traits::ERROR,
        traits::INPUT,
        traits::OUTPUT,
        traits::HTTP_ERROR,
        traits::HTTP,
        traits::READONLY,
        traits::IDEMPOTENT,
        traits::ENDPOINT,
        traits::REQUIRED,
        traits::HTTP_LABEL,
        traits::HTTP_HEADER,
        traits::HTTP_QUERY,
        traits::HTTP_PREFIX_HEADERS,
        traits::HTTP_QUERY_PARAMS,
        traits::HTTP_PAYLOAD,
        traits::HTTP_RESPONSE_CODE,
        traits::HOST_LABEL,
        traits::IDEMPOTENCY_TOKEN,
        traits::STREAMING,
        traits::ENUM_VALUE,
        traits::EVENT_HEADER,
        traits::EVENT_PAYLOAD,
        traits::TIMESTAMP_FORMAT,
    ];
    if !CHECKED.contains(&trait_id) {
        return None;
    }
    let (is_member_of, shape_ty) = match target {
        Target::Shape(s) => (None, Some(s.ty)),
        Target::Member(parent, _) => (Some(parent.ty), None),
    };
    let structure_member = is_member_of == Some(T::Structure);
    let ty = target.ty(index);
    let required = matches!(target, Target::Member(_, m) if m.has_trait(traits::REQUIRED));
    // The target of a list member or map value, when `ty` is a list or map.
    let inner = |member_name: &str| -> Option<ShapeType> {
        let Target::Member(_, m) = target else {
            return None;
        };
        let collection = index.shape(&m.target)?;
        index.type_of(&collection.members.get(member_name)?.target)
    };
    // boolean, number, string (and enum), timestamp: what a header or label holds.
    let scalar = |t: Option<ShapeType>| {
        t.is_some_and(|t| {
            matches!(
                t,
                T::Boolean | T::String | T::Enum | T::Timestamp | T::IntEnum
            ) || t.is_number()
        })
    };
    let sparse_target = matches!(target, Target::Member(_, m)
        if index.shape(&m.target).is_some_and(|t| t.has_trait(traits::SPARSE)));
    let input_member =
        matches!(target, Target::Member(parent, _) if parent.has_trait(traits::INPUT));
    let string = |t: Option<ShapeType>| matches!(t, Some(T::String | T::Enum));
    let (ok, why) = match trait_id {
        traits::ERROR | traits::INPUT | traits::OUTPUT | traits::HTTP_ERROR => (
            shape_ty == Some(T::Structure),
            "it applies to structures only",
        ),
        traits::HTTP | traits::READONLY | traits::IDEMPOTENT | traits::ENDPOINT => (
            shape_ty == Some(T::Operation),
            "it applies to operations only",
        ),
        traits::REQUIRED => (structure_member, "it applies to structure members only"),
        traits::HTTP_LABEL => (
            structure_member && required && scalar(ty),
            "it applies to @required structure members that target a boolean, number, string or timestamp",
        ),
        traits::HTTP_HEADER => (
            structure_member && (scalar(ty) || (ty == Some(T::List) && scalar(inner("member")))),
            "it applies to structure members that target a boolean, number, string or timestamp, or a list of them",
        ),
        traits::HTTP_QUERY => (
            structure_member && (scalar(ty) || (ty == Some(T::List) && scalar(inner("member")))),
            "it applies to structure members that target a boolean, number, string or timestamp, or a list of them",
        ),
        traits::HTTP_PREFIX_HEADERS => (
            structure_member && ty == Some(T::Map) && string(inner("value")) && !sparse_target,
            "it applies to structure members that target a map of strings (not @sparse)",
        ),
        traits::HTTP_QUERY_PARAMS => (
            structure_member
                && ty == Some(T::Map)
                && (string(inner("value")) || {
                    // A map of lists of strings: look one level further.
                    let Target::Member(_, m) = target else {
                        unreachable!()
                    };
                    index
                        .shape(&m.target)
                        .and_then(|map| map.members.get("value"))
                        .and_then(|v| index.shape(&v.target))
                        .filter(|l| l.ty == T::List)
                        .and_then(|l| l.members.get("member"))
                        .is_some_and(|item| string(index.type_of(&item.target)))
                }),
            "it applies to structure members that target a map of strings or of lists of strings",
        ),
        traits::HTTP_PAYLOAD => (structure_member, "it applies to structure members only"),
        traits::HTTP_RESPONSE_CODE => (
            structure_member && matches!(ty, Some(T::Integer | T::IntEnum)) && !input_member,
            "it applies to members of structures other than inputs that target an integer",
        ),
        traits::HOST_LABEL => (
            structure_member && required && string(ty),
            "it applies to @required structure members that target a string",
        ),
        traits::IDEMPOTENCY_TOKEN => (
            structure_member && string(ty),
            "it applies to structure members that target strings",
        ),
        traits::STREAMING => (
            shape_ty.is_some_and(|t| matches!(t, T::Blob | T::Union)),
            "it applies to blobs and unions only",
        ),
        traits::ENUM_VALUE => (
            matches!(is_member_of, Some(T::Enum | T::IntEnum)),
            "it applies to enum and intEnum members only",
        ),
        traits::EVENT_HEADER => (
            structure_member
                && matches!(
                    ty,
                    Some(
                        T::Boolean
                            | T::Byte
                            | T::Short
                            | T::Integer
                            | T::Long
                            | T::Blob
                            | T::String
                            | T::Enum
                            | T::IntEnum
                            | T::Timestamp
                    )
                ),
            "it applies to structure members that target a boolean, byte, short, integer, long, blob, string or timestamp",
        ),
        traits::EVENT_PAYLOAD => (
            structure_member
                && matches!(
                    ty,
                    Some(T::Blob | T::String | T::Enum | T::Structure | T::Union)
                ),
            "it applies to structure members that target a blob, string, structure or union",
        ),
        traits::TIMESTAMP_FORMAT => (
            ty == Some(T::Timestamp),
            "it applies to timestamps and members that target them",
        ),
        // A trait added here is added to `CHECKED` too.
        _ => return None,
    };
    (!ok).then_some(why)
}

fn check_default<'m>(
    defs: &mut Definitions<'m>,
    value: &Node,
    target: Target<'m>,
    span: Span,
    diags: &mut Vec<Diagnostic>,
) {
    let shape = match target {
        Target::Shape(s) => Some(s),
        Target::Member(_, m) => defs.get(&m.target),
    };
    let Some(shape) = shape else { return };
    if matches!(value, Node::Null) {
        return;
    }
    let mut errors = Found::default();
    match shape.ty {
        ShapeType::Structure | ShapeType::Union => {
            errors.push(format!("{} shapes cannot have default values", shape.ty))
        }
        ShapeType::List if value.as_array().is_some_and(|a| !a.is_empty()) => {
            errors.push("a list default must be an empty list".into())
        }
        ShapeType::Map if value.as_object().is_some_and(|o| !o.is_empty()) => {
            errors.push("a map default must be an empty map".into())
        }
        _ => check_value(defs, shape, value, &mut String::new(), &mut errors, 0),
    }
    for w in errors.warnings {
        diags.push(Diagnostic::warning(
            Code::InvalidDefault,
            span,
            format!("default for `{}`: {w}", target.id()),
        ));
    }
    for e in errors.errors {
        diags.push(
            Diagnostic::error(
                Code::InvalidDefault,
                span,
                format!("invalid default for `{}`: {e}", target.id()),
            )
            .with_label(format!("does not match {} `{}`", shape.ty, shape.id)),
        );
    }
}

/// What checking a node value found: errors, and warnings for what Smithy
/// only warns about.
#[derive(Default)]
struct Found {
    errors: Vec<String>,
    warnings: Vec<String>,
}

impl Found {
    fn push(&mut self, error: String) {
        self.errors.push(error);
    }

    fn warn(&mut self, warning: String) {
        self.warnings.push(warning);
    }

    fn len(&self) -> usize {
        self.errors.len()
    }
}

/// Checks `value` against `shape`, collecting messages with a JSON-pointer-like path.
fn check_value<'m>(
    defs: &mut Definitions<'m>,
    shape: &'m Shape,
    value: &Node,
    path: &mut String,
    errors: &mut Found,
    depth: usize,
) {
    let model = defs.model;
    if depth > MAX_DEPTH || errors.len() > 20 {
        return;
    }
    let at = |p: &str| {
        if p.is_empty() {
            String::new()
        } else {
            format!(" at `{p}`")
        }
    };
    let mismatch = |expected: &str, errors: &mut Found, path: &str| {
        errors.push(format!(
            "expected {expected}, found {}{}",
            value.kind(),
            at(path)
        ));
    };
    use ShapeType as T;
    match shape.ty {
        T::Document => {}
        T::String => {
            if value.as_str().is_none() {
                mismatch("a string", errors, path);
            }
            check_id_ref(
                model,
                shape.trait_value(traits::ID_REF),
                value,
                path,
                errors,
            );
        }
        T::Enum => match value.as_str() {
            None => mismatch("a string", errors, path),
            Some(s) => {
                let allowed: Vec<&str> = shape
                    .members
                    .values()
                    .filter_map(|m| m.trait_value(traits::ENUM_VALUE))
                    .filter_map(Node::as_str)
                    .collect();
                if !allowed.is_empty() && !allowed.contains(&s) {
                    errors.push(format!(
                        "`{s}` is not a value of enum `{}`{}",
                        shape.id,
                        at(path)
                    ));
                }
            }
        },
        T::Blob => {
            if value.as_str().is_none() {
                mismatch("a string", errors, path);
            }
        }
        T::Boolean => {
            if value.as_bool().is_none() {
                mismatch("a boolean", errors, path);
            }
        }
        T::Byte | T::Short | T::Integer | T::Long | T::IntEnum | T::BigInteger => match value
            .as_number()
        {
            Some(n) if !n.is_float() => {
                // The node value must fit its type (spec: "Simple types").
                let range: Option<(i64, i64)> = match shape.ty {
                    T::Byte => Some((i8::MIN.into(), i8::MAX.into())),
                    T::Short => Some((i16::MIN.into(), i16::MAX.into())),
                    T::Integer | T::IntEnum => Some((i32::MIN.into(), i32::MAX.into())),
                    T::Long => Some((i64::MIN, i64::MAX)),
                    _ => None,
                };
                if let Some((min, max)) = range
                    && !n.as_i64().is_some_and(|v| (min..=max).contains(&v))
                {
                    errors.push(format!(
                        "{} is out of range for {} (from {min} to {max}){}",
                        number_text(n),
                        shape.ty,
                        at(path)
                    ));
                }
            }
            Some(_) => errors.push(format!("expected an integer, found a fraction{}", at(path))),
            None => mismatch("an integer", errors, path),
        },
        T::Float | T::Double | T::BigDecimal => {
            let special = matches!(value.as_str(), Some("NaN" | "Infinity" | "-Infinity"));
            match value.as_number() {
                None if !special => mismatch("a number", errors, path),
                Some(n) if shape.ty != T::BigDecimal && !within_float_range(n, shape.ty) => errors
                    .push(format!(
                        "{} is out of range for {}{}",
                        number_text(n),
                        shape.ty,
                        at(path)
                    )),
                _ => {}
            }
        }
        T::Timestamp => {
            if value.as_number().is_none() && value.as_str().is_none() {
                mismatch("a number or a string", errors, path);
            }
        }
        T::List => match (
            value.as_array(),
            shape
                .members
                .get("member")
                .and_then(|m| defs.get(&m.target)),
        ) {
            (None, _) => mismatch("a list", errors, path),
            (Some(items), Some(member)) => {
                let id_ref = shape
                    .members
                    .get("member")
                    .and_then(|m| trait_value(&m.traits, traits::ID_REF));
                for (i, item) in items.iter().enumerate() {
                    let len = path.len();
                    path.push_str(&format!("/{i}"));
                    check_value(defs, member, item, path, errors, depth + 1);
                    check_id_ref(model, id_ref, item, path, errors);
                    path.truncate(len);
                }
            }
            _ => {}
        },
        T::Map => match (
            value.as_object(),
            shape.members.get("value").and_then(|m| defs.get(&m.target)),
        ) {
            (None, _) => mismatch("an object", errors, path),
            (Some(entries), Some(member)) => {
                for (k, v) in entries {
                    let len = path.len();
                    path.push('/');
                    path.push_str(k);
                    check_value(defs, member, v, path, errors, depth + 1);
                    path.truncate(len);
                }
            }
            _ => {}
        },
        T::Structure | T::Union => {
            let Some(entries) = value.as_object() else {
                mismatch("an object", errors, path);
                return;
            };
            if shape.ty == T::Union && entries.len() != 1 {
                errors.push(format!(
                    "a union value must set exactly one member, found {}{}",
                    entries.len(),
                    at(path)
                ));
            }
            for (k, v) in entries {
                let len = path.len();
                path.push('/');
                path.push_str(k);
                match shape.members.get(k) {
                    // Smithy reads a member it does not know as a warning
                    // (trait shapes gain members over time; AWS models
                    // set some that no published definition has yet).
                    None => errors.warn(format!(
                        "`{k}` is not a member of `{}`{}",
                        shape.id,
                        at(path)
                    )),
                    Some(m) => {
                        if let Some(target) = defs.get(&m.target) {
                            check_value(defs, target, v, path, errors, depth + 1);
                        }
                        check_id_ref(
                            model,
                            trait_value(&m.traits, traits::ID_REF),
                            v,
                            path,
                            errors,
                        );
                    }
                }
                path.truncate(len);
            }
            if shape.ty == T::Structure {
                for m in shape.members.values() {
                    let required = m.traits.contains_key(traits::REQUIRED);
                    let defaulted = m.traits.contains_key(traits::DEFAULT);
                    if required && !defaulted && !entries.contains_key(m.name()) {
                        errors.push(format!(
                            "missing required member `{}`{}",
                            m.name(),
                            at(path)
                        ));
                    }
                }
            }
        }
        T::Service | T::Resource | T::Operation => {
            errors.push(format!("a {} cannot hold a value{}", shape.ty, at(path)));
        }
    }
}

/// Checks a string governed by `@idRef(failWhenMissing: true)` names a shape
/// (or member) that exists.
fn check_id_ref(
    model: &Model,
    id_ref: Option<&Node>,
    value: &Node,
    path: &str,
    errors: &mut Found,
) {
    let Some(id_ref) = id_ref else { return };
    if id_ref.get("failWhenMissing").and_then(Node::as_bool) != Some(true) {
        return;
    }
    let Some(text) = value.as_str() else { return };
    let at = if path.is_empty() {
        String::new()
    } else {
        format!(" at `{path}`")
    };
    let exists = match ShapeId::parse(text) {
        Ok(id) if id.member().is_some() => model.member(&id).is_some(),
        Ok(id) => model.shape(&id).is_some(),
        Err(_) => {
            errors.push(format!("`{text}` is not an absolute shape id{at}"));
            return;
        }
    };
    if !exists {
        errors.push(format!("`{text}` does not name a shape in the model{at}"));
    }
}

fn number_text(n: &crate::model::Number) -> String {
    match n {
        crate::model::Number::Int(i) => i.to_string(),
        crate::model::Number::Float(f) => format!("{f:?}"),
        crate::model::Number::Big(b) => b.as_str().to_owned(),
    }
}

/// A finite float or double value that its type can hold.
fn within_float_range(n: &crate::model::Number, ty: ShapeType) -> bool {
    let v = n.as_f64();
    let max = if ty == ShapeType::Float {
        f64::from(f32::MAX)
    } else {
        f64::MAX
    };
    v.is_finite() && v.abs() <= max
}
