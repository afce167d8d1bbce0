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
use std::sync::Arc;

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
///
/// The least fixpoint of "has a value", found in time linear in the model:
/// each aggregate waits on the aggregates its value needs (a structure on
/// the targets of its required members without a default, a union on any
/// one of its members' targets), and each aggregate found to have a value
/// releases those waiting on it.
fn values_are_finite(model: &Model, diags: &mut Vec<Diagnostic>) {
    let aggregates: Vec<&Shape> = model
        .shapes
        .values()
        .map(Arc::as_ref)
        .filter(|s| matches!(s.ty, ShapeType::Structure | ShapeType::Union))
        .filter(|s| !s.has_trait(traits::MIXIN))
        .collect();
    let index: HashMap<&ShapeId, usize> = aggregates
        .iter()
        .enumerate()
        .map(|(i, s)| (&s.id, i))
        .collect();
    // How many more aggregates each one waits for, who waits on each one,
    // and the aggregates known to have a value but not yet passed on.
    let mut waiting = vec![0usize; aggregates.len()];
    let mut waiters: Vec<Vec<usize>> = vec![Vec::new(); aggregates.len()];
    let mut found = Vec::new();
    for (i, shape) in aggregates.iter().enumerate() {
        if shape.ty == ShapeType::Structure {
            let needed = shape
                .members
                .values()
                .filter(|m| m.has_trait(traits::REQUIRED) && !m.has_trait(traits::DEFAULT));
            for m in needed {
                // Any shape but a structure or union has a value.
                if let Some(&j) = index.get(&m.target) {
                    waiting[i] += 1;
                    waiters[j].push(i);
                }
            }
        } else {
            let targets: Vec<Option<usize>> = shape
                .members
                .values()
                .map(|m| index.get(&m.target).copied())
                .collect();
            if !targets.is_empty() && targets.iter().all(Option::is_some) {
                // One member with a value is enough.
                waiting[i] = 1;
                for j in targets.into_iter().flatten() {
                    waiters[j].push(i);
                }
            }
        }
        if waiting[i] == 0 {
            found.push(i);
        }
    }
    let mut finite = vec![false; aggregates.len()];
    while let Some(i) = found.pop() {
        finite[i] = true;
        for &w in &waiters[i] {
            if waiting[w] > 0 {
                waiting[w] -= 1;
                if waiting[w] == 0 {
                    found.push(w);
                }
            }
        }
    }
    for (shape, _) in aggregates
        .iter()
        .zip(&finite)
        .filter(|(s, finite)| !s.span.is_builtin() && !**finite)
    {
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
