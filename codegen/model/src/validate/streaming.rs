//! Event stream and streaming blob rules (the Smithy streaming spec):
//! a `@streaming` union's members target structures; a member targeting a
//! streaming shape lives only in a top-level operation input or output, at
//! most one per structure, and that structure is not targeted by members; a
//! streaming blob member is `@required` or has a `@default`; an event
//! structure has at most one `@eventPayload`, and then every other member is
//! an `@eventHeader`; in an operation with HTTP bindings (`@http`), a
//! streaming member is the `@httpPayload`.

use std::collections::HashSet;

use crate::diagnostics::{Code, Diagnostic};
use crate::model::traits;
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
    let targeted: HashSet<&ShapeId> = model
        .shapes
        .values()
        .flat_map(|s| s.members.values())
        .map(|m| &m.target)
        .collect();
    http_payloads(model, diags);
    for shape in model.user_shapes() {
        event_payload(shape, diags);
        if shape.ty == ShapeType::Union && shape.has_trait(traits::STREAMING) {
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
                    .is_some_and(|t| t.has_trait(traits::STREAMING))
            })
            .collect();
        if streaming.is_empty() {
            continue;
        }
        for m in &streaming {
            let blob = model.type_of(&m.target) == Some(ShapeType::Blob);
            if blob && !m.has_trait(traits::REQUIRED) && !m.has_trait(traits::DEFAULT) {
                diags.push(
                    Diagnostic::error(
                        Code::EventStream,
                        m.span,
                        format!(
                            "streaming blob member `{}` must be @required or have a @default",
                            m.id
                        ),
                    )
                    .with_label("add @required or `= \"\"`"),
                );
            }
        }
        let top_level = shape.ty == ShapeType::Structure
            && (io.contains(&shape.id)
                || shape.has_trait(traits::INPUT)
                || shape.has_trait(traits::OUTPUT));
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
        } else if targeted.contains(&shape.id) {
            diags.push(
                Diagnostic::error(
                    Code::EventStream,
                    shape.span,
                    format!(
                        "`{}` has a streaming member, so no member may target it",
                        shape.id
                    ),
                )
                .with_label("targeted by another member"),
            );
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

fn event_payload(shape: &crate::model::Shape, diags: &mut Vec<Diagnostic>) {
    let payloads: Vec<_> = shape
        .members
        .values()
        .filter(|m| m.has_trait(traits::EVENT_PAYLOAD))
        .collect();
    if payloads.len() > 1 {
        diags.push(
            Diagnostic::error(
                Code::EventStream,
                payloads[1].span,
                format!("`{}` has more than one @eventPayload member", shape.id),
            )
            .with_label("second payload")
            .with_secondary(payloads[0].span, "first payload"),
        );
    }
    if let Some(payload) = payloads.first() {
        for m in shape.members.values() {
            if m.id != payload.id && !m.has_trait(traits::EVENT_HEADER) {
                diags.push(
                    Diagnostic::error(
                        Code::EventStream,
                        m.span,
                        format!(
                            "member `{}` must be an @eventHeader because `{}` is the @eventPayload",
                            m.id, payload.id
                        ),
                    )
                    .with_label("not bound to an event header"),
                );
            }
        }
    }
}

/// "If a service supports the httpPayload trait, any member that targets a
/// streaming shape must also be marked as @httpPayload" (spec: "Streaming").
/// An operation with `@http` uses HTTP bindings, so its input and output
/// follow the rule whatever protocol later serves it.
fn http_payloads(model: &Model, diags: &mut Vec<Diagnostic>) {
    let mut checked = HashSet::new();
    for op in model.user_shapes().filter(|s| s.has_trait(traits::HTTP)) {
        let Some(props) = op.as_operation() else {
            continue;
        };
        for io in [&props.input, &props.output] {
            let Some(shape) = model.shape(io).filter(|_| checked.insert(io)) else {
                continue;
            };
            for m in shape.members.values() {
                let streaming = model
                    .shape(&m.target)
                    .is_some_and(|t| t.has_trait(traits::STREAMING));
                if streaming && !m.has_trait(traits::HTTP_PAYLOAD) {
                    diags.push(
                        Diagnostic::error(
                            Code::EventStream,
                            m.span,
                            format!(
                                "member `{}` targets a streaming shape but is not the @httpPayload of `{}`",
                                m.id, shape.id
                            ),
                        )
                        .with_label("add @httpPayload")
                        .with_secondary(op.span, "this operation binds its members to HTTP (`@http`)")
                        .with_note("a stream is the whole body of an HTTP message, so the member that streams must be bound to the payload"),
                    );
                }
            }
        }
    }
}
