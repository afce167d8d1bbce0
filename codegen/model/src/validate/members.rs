//! Shape-level rules: member names and targets, enums, mixin restrictions,
//! operation and service references.

use foldhash::{HashMap, HashMapExt as _};

use super::ShapeIndex;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::traits;
use crate::model::{Node, Properties, Shape, ShapeId, ShapeType};

/// Checks every shape (built-in ones only with `check_builtin`).
pub fn validate(index: &ShapeIndex<'_>, check_builtin: bool, diags: &mut Vec<Diagnostic>) {
    let shapes = index
        .model()
        .shapes
        .values()
        .filter(|s| check_builtin || !s.span.is_builtin());
    for shape in shapes {
        unique_member_names(shape, diags);
        member_targets(index, shape, diags);
        match shape.ty {
            ShapeType::Enum | ShapeType::IntEnum => enum_values(shape, diags),
            ShapeType::Operation => operation(index, shape, diags),
            ShapeType::Service => service(index, shape, diags),
            ShapeType::Resource => resource(shape, diags),
            _ => {}
        }
    }
}

fn unique_member_names(shape: &Shape, diags: &mut Vec<Diagnostic>) {
    // Member names are identifiers, which are ASCII (both front ends check
    // them; a model built by hand must keep to them too): ASCII case folding
    // is the whole of "ignoring case". Most shapes have a few members, whose
    // earlier ones are scanned; more are hashed.
    const SCAN_MAX: usize = 16;
    let mut folded: HashMap<String, &str> = HashMap::new();
    for (i, m) in shape.members.values().enumerate() {
        let first = if shape.members.len() <= SCAN_MAX {
            let mut earlier = shape.members.values().take(i).rev();
            earlier
                .find(|e| e.name().eq_ignore_ascii_case(m.name()))
                .map(|e| e.name())
        } else {
            folded.insert(m.name().to_ascii_lowercase(), m.name())
        };
        if let Some(first) = first {
            diags.push(
                Diagnostic::error(
                    Code::DuplicateMember,
                    m.span,
                    format!(
                        "member `{}` of `{}` differs from member `{first}` only in case",
                        m.name(),
                        shape.id
                    ),
                )
                .with_label("names must be unique ignoring case"),
            );
        }
    }
}

fn member_targets(index: &ShapeIndex<'_>, shape: &Shape, diags: &mut Vec<Diagnostic>) {
    for m in shape.members.values() {
        let Some(target) = index.shape(&m.target) else {
            if m.target.member().is_some() {
                diags.push(
                    Diagnostic::error(
                        Code::InvalidMemberTarget,
                        m.span,
                        format!("member `{}` targets a member, `{}`", m.id, m.target),
                    )
                    .with_label("members must target root shapes"),
                );
            }
            // Missing targets were reported while resolving.
            continue;
        };
        let invalid = matches!(
            target.ty,
            ShapeType::Service | ShapeType::Resource | ShapeType::Operation
        );
        let bad_key = shape.ty == ShapeType::Map
            && m.name() == "key"
            && !matches!(target.ty, ShapeType::String | ShapeType::Enum);
        if invalid || bad_key {
            let why = if bad_key {
                "map keys must target a string or enum"
            } else {
                "members cannot target services, resources or operations"
            };
            diags.push(
                Diagnostic::error(
                    Code::InvalidMemberTarget,
                    m.span,
                    format!("member `{}` targets {} `{}`", m.id, target.ty, target.id),
                )
                .with_label(why),
            );
        }
        if target.has_trait(traits::MIXIN) {
            diags.push(
                Diagnostic::error(
                    Code::InvalidMemberTarget,
                    m.span,
                    format!("member `{}` targets mixin `{}`", m.id, target.id),
                )
                .with_label("mixins cannot be targeted by members"),
            );
        }
    }
}

fn enum_values(shape: &Shape, diags: &mut Vec<Diagnostic>) {
    if shape.members.is_empty() && !shape.has_trait(traits::MIXIN) {
        diags.push(
            Diagnostic::error(
                Code::InvalidEnum,
                shape.span,
                format!("{} `{}` must have at least one member", shape.ty, shape.id),
            )
            .with_label("empty"),
        );
    }
    let mut seen: HashMap<String, &str> = HashMap::new();
    for m in shape.members.values() {
        let value = m.trait_value(traits::ENUM_VALUE);
        let error = |msg: String| {
            Diagnostic::error(Code::InvalidEnum, m.span, msg).with_label("invalid enum value")
        };
        let key = match (shape.ty, value) {
            (ShapeType::Enum, Some(Node::String(s))) if s.is_empty() => {
                diags.push(error(format!("enum member `{}` has an empty value", m.id)));
                continue;
            }
            (ShapeType::Enum, Some(Node::String(s))) => s.clone(),
            (ShapeType::Enum, Some(other)) => {
                diags.push(error(format!(
                    "enum member `{}` must have a string value, found a {}",
                    m.id,
                    other.kind()
                )));
                continue;
            }
            (_, None) => {
                diags.push(error(format!(
                    "intEnum member `{}` needs an integer value (`= 1`)",
                    m.id
                )));
                continue;
            }
            (_, Some(Node::Number(n))) if n.is_float() => {
                diags.push(error(format!(
                    "intEnum member `{}` cannot have a floating point value",
                    m.id
                )));
                continue;
            }
            (_, Some(Node::Number(n))) => match n.as_i64().filter(|v| i32::try_from(*v).is_ok()) {
                Some(v) => v.to_string(),
                None => {
                    diags.push(error(format!(
                        "intEnum member `{}` value must fit in a 32-bit integer",
                        m.id
                    )));
                    continue;
                }
            },
            (_, Some(other)) => {
                diags.push(error(format!(
                    "intEnum member `{}` must have an integer value, found a {}",
                    m.id,
                    other.kind()
                )));
                continue;
            }
        };
        if let Some(first) = seen.insert(key.clone(), m.name()) {
            diags.push(error(format!(
                "enum member `{}` repeats the value `{key}` of member `{first}`",
                m.id
            )));
        }
    }
}

fn expect_type(
    index: &ShapeIndex<'_>,
    at: &Shape,
    id: &ShapeId,
    allowed: &[ShapeType],
    role: &str,
    diags: &mut Vec<Diagnostic>,
) {
    if let Some(target) = index.shape(id)
        && !allowed.contains(&target.ty)
    {
        diags.push(
            Diagnostic::error(
                Code::InvalidShape,
                at.span,
                format!(
                    "{role} of `{}` must be a {}, but `{id}` is a {}",
                    at.id, allowed[0], target.ty
                ),
            )
            .with_label(format!("wrong {role}")),
        );
    }
}

fn error_structures(
    index: &ShapeIndex<'_>,
    at: &Shape,
    errors: &[ShapeId],
    diags: &mut Vec<Diagnostic>,
) {
    for e in errors {
        let Some(target) = index.shape(e) else {
            continue;
        };
        if target.ty != ShapeType::Structure || !target.has_trait(traits::ERROR) {
            diags.push(
                Diagnostic::error(Code::OperationError, at.span, format!("`{e}` is listed as an error of `{}` but is not a structure with the @error trait", at.id))
                    .with_label("errors must be @error structures"),
            );
        }
    }
}

fn operation(index: &ShapeIndex<'_>, shape: &Shape, diags: &mut Vec<Diagnostic>) {
    let Some(op) = shape.as_operation() else {
        return;
    };
    if shape.has_trait(traits::MIXIN)
        && (op.input.as_str() != traits::prelude::UNIT
            || op.output.as_str() != traits::prelude::UNIT)
    {
        diags.push(
            Diagnostic::error(
                Code::MixinConflict,
                shape.span,
                format!(
                    "operation mixin `{}` cannot define input or output",
                    shape.id
                ),
            )
            .with_label("operation mixins must use smithy.api#Unit for input and output"),
        );
    }
    expect_type(
        index,
        shape,
        &op.input,
        &[ShapeType::Structure],
        "input",
        diags,
    );
    expect_type(
        index,
        shape,
        &op.output,
        &[ShapeType::Structure],
        "output",
        diags,
    );
    error_structures(index, shape, &op.errors, diags);
}

fn service(index: &ShapeIndex<'_>, shape: &Shape, diags: &mut Vec<Diagnostic>) {
    let Some(svc) = shape.as_service() else {
        return;
    };
    for op in &svc.operations {
        expect_type(
            index,
            shape,
            op,
            &[ShapeType::Operation],
            "operation",
            diags,
        );
    }
    for r in &svc.resources {
        expect_type(index, shape, r, &[ShapeType::Resource], "resource", diags);
    }
    error_structures(index, shape, &svc.errors, diags);
}

fn resource(shape: &Shape, diags: &mut Vec<Diagnostic>) {
    if let Properties::Resource(r) = &shape.properties
        && shape.has_trait(traits::MIXIN)
        && (!r.identifiers.is_empty() || !r.properties.is_empty())
    {
        diags.push(
            Diagnostic::error(
                Code::MixinConflict,
                shape.span,
                format!(
                    "resource mixin `{}` cannot define identifiers or properties",
                    shape.id
                ),
            )
            .with_label("resource mixins may not define properties"),
        );
    }
}
