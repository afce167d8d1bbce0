//! Recursive shape definitions (spec: "Aggregate types", section "Recursive
//! shape definitions"): a list or map may not reach itself through lists and
//! maps alone, a structure may not be made up of a cycle of required
//! members, and a union needs a member that can be set without recursing.
//!
//! The last two are one rule: every structure and union must have a finite
//! value. A structure has one when each of its required members (without a
//! default) does; a union when one of its members does; lists and maps
//! always do (they can be empty), and so does every simple shape. Languages
//! cannot represent the shapes these rules reject (`Vec<Vec<...>>` without
//! end), so the rules guard code generation too.

use std::collections::BTreeSet;

use foldhash::HashMap;

use crate::diagnostics::{Code, Diagnostic};
use crate::model::traits;
use crate::model::{Model, Shape, ShapeId, ShapeType};

/// Checks the recursion rules.
pub fn validate(model: &Model, diags: &mut Vec<Diagnostic>) {
    collections_through_collections(model, diags);
    values_are_finite(model, diags);
}

/// Rule 1: a list or map reaches itself only through a structure or union.
fn collections_through_collections(model: &Model, diags: &mut Vec<Diagnostic>) {
    let is_collection = |id: &ShapeId| {
        model
            .shape(id)
            .is_some_and(|s| matches!(s.ty, ShapeType::List | ShapeType::Map))
    };
    for shape in model.user_shapes().filter(|s| is_collection(&s.id)) {
        let mut stack: Vec<&ShapeId> = shape.members.values().map(|m| &m.target).collect();
        let mut seen = BTreeSet::new();
        while let Some(id) = stack.pop() {
            if id == &shape.id {
                diags.push(
                    Diagnostic::error(
                        Code::Recursion,
                        shape.span,
                        format!(
                            "{} `{}` contains itself through lists and maps only",
                            shape.ty, shape.id
                        ),
                    )
                    .with_label("recursive collection")
                    .with_note(
                        "a list or map may recurse only through a structure or union member",
                    ),
                );
                break;
            }
            if !seen.insert(id) || !is_collection(id) {
                continue;
            }
            if let Some(s) = model.shape(id) {
                stack.extend(s.members.values().map(|m| &m.target));
            }
        }
    }
}

/// Rules 2 and 3: every structure and union can be given a finite value.
fn values_are_finite(model: &Model, diags: &mut Vec<Diagnostic>) {
    let aggregates: Vec<&Shape> = model
        .shapes
        .values()
        .filter(|s| matches!(s.ty, ShapeType::Structure | ShapeType::Union))
        .filter(|s| !s.has_trait(traits::MIXIN))
        .collect();
    // Least fixpoint: start from "no value known", add what can be built.
    let mut finite: HashMap<&ShapeId, bool> = aggregates.iter().map(|s| (&s.id, false)).collect();
    let has_value = |finite: &HashMap<&ShapeId, bool>, id: &ShapeId| -> bool {
        finite.get(id).copied().unwrap_or(true)
    };
    loop {
        let mut changed = false;
        for shape in &aggregates {
            if finite[&shape.id] {
                continue;
            }
            let ok = match shape.ty {
                ShapeType::Structure => shape
                    .members
                    .values()
                    .filter(|m| m.has_trait(traits::REQUIRED) && !m.has_trait(traits::DEFAULT))
                    .all(|m| has_value(&finite, &m.target)),
                _ => {
                    shape.members.is_empty()
                        || shape
                            .members
                            .values()
                            .any(|m| has_value(&finite, &m.target))
                }
            };
            if ok {
                finite.insert(&shape.id, true);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    for shape in aggregates.iter().filter(|s| !s.span.is_builtin()) {
        if finite[&shape.id] {
            continue;
        }
        let (label, note) = match shape.ty {
            ShapeType::Structure => (
                "every value would contain another one without end",
                "a recursive structure needs a member on the cycle that is not @required (or has a @default)",
            ),
            _ => (
                "no member can be set without recursing",
                "a recursive union needs a member whose value does not lead back to the union, or leads through a list, map or optional member",
            ),
        };
        diags.push(
            Diagnostic::error(
                Code::Recursion,
                shape.span,
                format!("{} `{}` can never be given a value", shape.ty, shape.id),
            )
            .with_label(label)
            .with_note(note),
        );
    }
}
