//! Event stream and streaming blob rules (the Smithy streaming spec):
//! a `@streaming` union's members target structures; a member targeting a
//! streaming shape lives only in a top-level operation input or output, at
//! most one per structure.

use std::collections::HashSet;

use crate::diagnostics::{Code, Diagnostic};
use crate::model::{Model, ShapeId, ShapeType};

/// Checks the streaming rules.
pub fn validate(model: &Model, diags: &mut Vec<Diagnostic>) {
    let mut io: HashSet<&ShapeId> = HashSet::new();
    for shape in model.shapes.values() {
        if let Some(op) = shape.as_operation() {
            io.insert(&op.input);
            io.insert(&op.output);
        }
    }
    for shape in model.user_shapes() {
        if shape.ty == ShapeType::Union && shape.has_trait("smithy.api#streaming") {
            for m in shape.members.values() {
                if model
                    .type_of(&m.target)
                    .is_some_and(|t| t != ShapeType::Structure)
                {
                    diags.push(
                        Diagnostic::error(
                            Code::EventStream,
                            m.span,
                            format!("event stream member `{}` must target a structure", m.id),
                        )
                        .with_label("events are structures"),
                    );
                }
            }
        }
        let streaming: Vec<_> = shape
            .members
            .values()
            .filter(|m| {
                model
                    .shape(&m.target)
                    .is_some_and(|t| t.has_trait("smithy.api#streaming"))
            })
            .collect();
        if streaming.is_empty() {
            continue;
        }
        let top_level = shape.ty == ShapeType::Structure
            && (io.contains(&shape.id)
                || shape.has_trait("smithy.api#input")
                || shape.has_trait("smithy.api#output"));
        if !top_level {
            for m in &streaming {
                diags.push(
                    Diagnostic::error(
                        Code::EventStream,
                        m.span,
                        format!("member `{}` targets a streaming shape but `{}` is not an operation's input or output", m.id, shape.id),
                    )
                    .with_label("streaming members are only allowed in top-level operation input and output"),
                );
            }
        } else if streaming.len() > 1 {
            diags.push(
                Diagnostic::error(
                    Code::EventStream,
                    streaming[1].span,
                    format!("`{}` has more than one streaming member", shape.id),
                )
                .with_label("a structure can have at most one streaming member")
                .with_secondary(streaming[0].span, "first streaming member"),
            );
        }
    }
}
