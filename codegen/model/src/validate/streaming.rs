//! Event stream and streaming blob rules (spec: "Streaming"): a
//! `@streaming` union's members target structures; a member targeting a
//! streaming shape belongs to a structure (at most one such member), and
//! that structure is not targeted by other members, so it can only be an
//! operation's input or output; a streaming blob member is `@required` or
//! has a `@default`; an event structure has at most one `@eventPayload`, and
//! then every other member is an `@eventHeader`; in a service whose protocol
//! binds members with the HTTP binding traits, a streaming member is the
//! `@httpPayload`.

use foldhash::{HashSet, HashSetExt as _};

use super::ShapeIndex;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::traits;
use crate::model::{Member, Shape, ShapeType};

/// Checks the streaming rules.
pub fn validate(index: &ShapeIndex<'_>, diags: &mut Vec<Diagnostic>) {
    let model = index.model();
    // What every member is checked against, gathered once: the streaming
    // shapes (few), by position.
    let streaming_shapes: HashSet<usize> = model
        .shapes
        .values()
        .enumerate()
        .filter(|(_, s)| s.has_trait(traits::STREAMING))
        .map(|(i, _)| i)
        .collect();
    let streams = |m: &Member| {
        index
            .position(&m.target)
            .is_some_and(|i| streaming_shapes.contains(&i))
    };
    // Structures with streaming members, checked last against the members
    // that target them.
    let mut holders: Vec<(&Shape, Vec<&Member>)> = Vec::new();
    http_payloads(index, diags);
    for shape in model.user_shapes() {
        event_payload(shape, diags);
        if shape.ty == ShapeType::Union && shape.has_trait(traits::STREAMING) {
            for m in shape.members.values() {
                if index
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
        let streaming: Vec<_> = shape.members.values().filter(|m| streams(m)).collect();
        if streaming.is_empty() {
            continue;
        }
        for m in &streaming {
            let blob = index.type_of(&m.target) == Some(ShapeType::Blob);
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
        if shape.ty != ShapeType::Structure {
            for m in &streaming {
                diags.push(
                    Diagnostic::error(
                        Code::EventStream,
                        m.span,
                        format!(
                            "member `{}` targets a streaming shape but `{}` is a {}",
                            m.id, shape.id, shape.ty
                        ),
                    )
                    .with_label("streaming members are only allowed in top-level operation input and output structures"),
                );
            }
        } else if shape.has_trait(traits::MIXIN) {
            // Checked where the mixin is used.
        } else {
            holders.push((shape, streaming));
        }
    }
    if holders.is_empty() {
        return;
    }
    let holder_ids: HashSet<usize> = holders
        .iter()
        .filter_map(|(s, _)| index.position(&s.id))
        .collect();
    let targeted: HashSet<usize> = model
        .shapes
        .values()
        .flat_map(|s| s.members.values())
        .filter_map(|m| index.position(&m.target))
        .filter(|i| holder_ids.contains(i))
        .collect();
    for (shape, streaming) in holders {
        if index
            .position(&shape.id)
            .is_some_and(|i| targeted.contains(&i))
        {
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
/// A service supports it when its protocol's definition lists it.
fn http_payloads(index: &ShapeIndex<'_>, diags: &mut Vec<Diagnostic>) {
    let model = index.model();
    let mut checked = HashSet::new();
    for service in model.user_shapes().filter(|s| s.ty == ShapeType::Service) {
        let binds_payload = service.traits.keys().any(|t| {
            model
                .shape(t)
                .and_then(|def| def.trait_value(traits::PROTOCOL_DEFINITION))
                .and_then(|d| d.get("traits"))
                .and_then(crate::model::Node::as_array)
                .is_some_and(|listed| {
                    listed
                        .iter()
                        .any(|t| t.as_str() == Some(traits::HTTP_PAYLOAD))
                })
        });
        if !binds_payload {
            continue;
        }
        for op in super::paginated::operations_of(model, service) {
            let Some(props) = op.as_operation() else {
                continue;
            };
            for io in [&props.input, &props.output] {
                let Some(shape) = index.shape(io).filter(|_| checked.insert(io)) else {
                    continue;
                };
                streaming_payloads(index, service, op, shape, diags);
            }
        }
    }
}

fn streaming_payloads(
    index: &ShapeIndex<'_>,
    service: &crate::model::Shape,
    op: &crate::model::Shape,
    shape: &crate::model::Shape,
    diags: &mut Vec<Diagnostic>,
) {
    for m in shape.members.values() {
        let streaming = index
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
                .with_secondary(
                    op.span,
                    format!("`{}` serves this operation with HTTP bindings", service.id),
                )
                .with_note("a stream is the whole body of an HTTP message, so the member that streams must be bound to the payload"),
            );
        }
    }
}
