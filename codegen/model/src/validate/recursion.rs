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

use super::ShapeIndex;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::traits;
use crate::model::{Shape, ShapeId, ShapeType};

/// Checks the recursion rules.
pub fn validate(index: &ShapeIndex<'_>, diags: &mut Vec<Diagnostic>) {
    collections_through_collections(index, diags);
    values_are_finite(index, diags);
}

/// Rule 1: a list or map reaches itself only through a structure or union.
fn collections_through_collections(index: &ShapeIndex<'_>, diags: &mut Vec<Diagnostic>) {
    let is_collection = |s: &Shape| matches!(s.ty, ShapeType::List | ShapeType::Map);
    let collections = index.model().user_shapes().filter(|s| is_collection(s));
    for shape in collections {
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
            if !seen.insert(id) {
                continue;
            }
            if let Some(s) = index.shape(id).filter(|s| is_collection(s)) {
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
fn values_are_finite(index: &ShapeIndex<'_>, diags: &mut Vec<Diagnostic>) {
    let model = index.model();
    // Each aggregate, and which one (if any) each of the model's shapes is.
    let mut aggregates: Vec<&Shape> = Vec::new();
    let mut aggregate_at = vec![None; model.shapes.len()];
    let candidates = model.shapes.values().map(Arc::as_ref).enumerate();
    for (at, shape) in candidates {
        if matches!(shape.ty, ShapeType::Structure | ShapeType::Union)
            && !shape.has_trait(traits::MIXIN)
        {
            aggregate_at[at] = Some(aggregates.len());
            aggregates.push(shape);
        }
    }
    let aggregate_of = |id: &ShapeId| index.position(id).and_then(|at| aggregate_at[at]);
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
                if let Some(j) = aggregate_of(&m.target) {
                    waiting[i] += 1;
                    waiters[j].push(i);
                }
            }
        } else {
            let targets: Vec<Option<usize>> = shape
                .members
                .values()
                .map(|m| aggregate_of(&m.target))
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
