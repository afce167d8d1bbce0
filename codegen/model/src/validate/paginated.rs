//! The `@paginated` trait (spec: "Behavior traits", section "paginated
//! trait"): `inputToken` and `pageSize` name members of the operation's
//! input; `outputToken` and `items` are paths (`a.b.c`) through structure
//! members of its output, and `items` ends at a list or map. Within a
//! service, an operation's settings complete the service's, and the two
//! tokens must then both be set.
//!
//! The spec's SHOULDs (string tokens) are left to generators. Two things
//! are warnings, because Smithy accepts them but no client can follow such
//! pages: a `@required` input token, and an output token whose value the
//! input token cannot take back (a page's token must be sent as the next
//! request's, so both must hold the same kind of value).

use std::collections::BTreeSet;

use crate::diagnostics::{Code, Diagnostic};
use crate::model::traits;
use crate::model::{Model, Node, Shape, ShapeId, ShapeType};
use crate::source::Span;

/// Checks every `@paginated` operation, alone and in each service.
pub fn validate(model: &Model, diags: &mut Vec<Diagnostic>) {
    // Checked once per distinct (operation, settings) so an operation in
    // several services with the same settings is reported once; operations
    // outside any service are checked with their own settings alone.
    let mut checked = BTreeSet::new();
    let mut bound = BTreeSet::new();
    for service in model.user_shapes().filter(|s| s.ty == ShapeType::Service) {
        let inherited = service.trait_value(traits::PAGINATED);
        for op in operations_of(model, service) {
            bound.insert(&op.id);
            if op.has_trait(traits::PAGINATED) {
                let settings = Settings::merged(op, inherited);
                if checked.insert((op.id.clone(), settings.key())) {
                    check(model, op, &settings, Some(service), diags);
                }
            }
        }
    }
    for op in model
        .user_shapes()
        .filter(|s| s.ty == ShapeType::Operation && s.has_trait(traits::PAGINATED))
        .filter(|s| !bound.contains(&s.id))
    {
        let settings = Settings::merged(op, None);
        if checked.insert((op.id.clone(), settings.key())) {
            check(model, op, &settings, None, diags);
        }
    }
}

/// The four settings, each a member name or path.
struct Settings<'m> {
    input_token: Option<&'m str>,
    output_token: Option<&'m str>,
    items: Option<&'m str>,
    page_size: Option<&'m str>,
    span: Span,
}

impl<'m> Settings<'m> {
    fn merged(op: &'m Shape, service: Option<&'m Node>) -> Self {
        let own = op.trait_value(traits::PAGINATED);
        let get = |key: &str| {
            own.and_then(|v| v.get(key))
                .or_else(|| service.and_then(|s| s.get(key)))
                .and_then(Node::as_str)
        };
        Settings {
            input_token: get("inputToken"),
            output_token: get("outputToken"),
            items: get("items"),
            page_size: get("pageSize"),
            span: op.traits.get(traits::PAGINATED).map_or(op.span, |t| t.span),
        }
    }

    fn key(&self) -> [Option<String>; 4] {
        [
            self.input_token,
            self.output_token,
            self.items,
            self.page_size,
        ]
        .map(|s| s.map(str::to_owned))
    }
}

fn check(
    model: &Model,
    op: &Shape,
    settings: &Settings<'_>,
    service: Option<&Shape>,
    diags: &mut Vec<Diagnostic>,
) {
    let Some(props) = op.as_operation() else {
        return;
    };
    let error = |message: String, label: &str| {
        Diagnostic::error(Code::Paginated, settings.span, message).with_label(label.to_owned())
    };
    if let Some(service) = service {
        for (name, value) in [
            ("inputToken", settings.input_token),
            ("outputToken", settings.output_token),
        ] {
            if value.is_none() {
                diags.push(error(
                    format!(
                        "paginated operation `{}` in service `{}` sets no `{name}`, and the service does not either",
                        op.id, service.id
                    ),
                    "incomplete @paginated",
                ));
            }
        }
    }
    let input = model.shape(&props.input);
    for (name, value) in [
        ("inputToken", settings.input_token),
        ("pageSize", settings.page_size),
    ] {
        let Some(member) = value else { continue };
        match input.and_then(|i| i.members.get(member)) {
            None => diags.push(error(
                format!(
                    "`{name}` of `{}` names `{member}`, which is not a member of its input `{}`",
                    op.id, props.input
                ),
                "no such input member",
            )),
            Some(m) if name == "inputToken" && m.has_trait(traits::REQUIRED) => diags.push(
                Diagnostic::warning(
                    Code::Paginated,
                    m.span,
                    format!(
                        "the input token `{}` of paginated operation `{}` must not be @required",
                        m.id, op.id
                    ),
                )
                .with_label("a first request has no token"),
            ),
            Some(_) => {}
        }
    }
    for (name, value) in [
        ("outputToken", settings.output_token),
        ("items", settings.items),
    ] {
        let Some(path) = value else { continue };
        match resolve_path(model, &props.output, path) {
            Err(problem) => diags.push(error(
                format!(
                    "`{name}` of `{}` is `{path}`, which does not resolve in its output `{}`: {problem}",
                    op.id, props.output
                ),
                "unresolvable path",
            )),
            Ok(target) if name == "items" && !matches!(target.ty, ShapeType::List | ShapeType::Map) => {
                diags.push(error(
                    format!(
                        "`items` of `{}` is `{path}`, which targets {} `{}`; it must target a list or map",
                        op.id, target.ty, target.id
                    ),
                    "items are not a list or map",
                ))
            }
            Ok(target) if name == "outputToken" => {
                let input_token = settings
                    .input_token
                    .and_then(|m| input?.members.get(m))
                    .and_then(|m| Some((m, model.shape(&m.target)?)));
                if let Some((member, taken)) = input_token
                    && !same_value(model, taken, target)
                {
                    diags.push(
                        Diagnostic::warning(
                            Code::Paginated,
                            settings.span,
                            format!(
                                "the output token `{path}` of paginated operation `{}` targets `{}`, \
                                 but the input token `{}` takes `{}`: a page's token cannot be sent \
                                 back, so clients get no paginator for it",
                                op.id, target.id, member.id, taken.id
                            ),
                        )
                        .with_label("tokens of different types"),
                    );
                }
            }
            Ok(_) => {}
        }
    }
}

/// True when values of `a` are values of `b`: the same shape, or shapes of
/// the same simple type (strings without `@enum`, numbers, blobs,
/// timestamps, ...), or lists and maps of such.
fn same_value(model: &Model, a: &Shape, b: &Shape) -> bool {
    if a.id == b.id {
        return true;
    }
    let target = |shape: &Shape, member: &str| {
        shape
            .members
            .get(member)
            .and_then(|m| model.shape(&m.target))
    };
    let sparse = |shape: &Shape| shape.has_trait(traits::SPARSE);
    match (a.ty, b.ty) {
        (x, y) if x != y => false,
        (ShapeType::String, _) => !a.has_trait(traits::ENUM) && !b.has_trait(traits::ENUM),
        (ShapeType::List, _) => {
            sparse(a) == sparse(b)
                && matches!((target(a, "member"), target(b, "member")), (Some(x), Some(y)) if same_value(model, x, y))
        }
        (ShapeType::Map, _) => {
            sparse(a) == sparse(b)
                && ["key", "value"].iter().all(|m| {
                    matches!((target(a, m), target(b, m)), (Some(x), Some(y)) if same_value(model, x, y))
                })
        }
        (
            ShapeType::Enum
            | ShapeType::IntEnum
            | ShapeType::Structure
            | ShapeType::Union
            | ShapeType::Service
            | ShapeType::Resource
            | ShapeType::Operation,
            _,
        ) => false,
        _ => true,
    }
}

/// Follows a `.`-separated member path from `root` to the last member's target.
pub(crate) fn resolve_path<'m>(
    model: &'m Model,
    root: &ShapeId,
    path: &str,
) -> Result<&'m Shape, String> {
    let mut shape = model
        .shape(root)
        .ok_or_else(|| format!("`{root}` does not exist"))?;
    for name in path.split('.') {
        if shape.ty != ShapeType::Structure {
            return Err(format!("`{}` is a {}, not a structure", shape.id, shape.ty));
        }
        let member = shape
            .members
            .get(name)
            .ok_or_else(|| format!("`{}` has no member `{name}`", shape.id))?;
        shape = model
            .shape(&member.target)
            .ok_or_else(|| format!("`{}` does not exist", member.target))?;
    }
    Ok(shape)
}

/// The operations bound to a service, directly or through its resources.
pub(crate) fn operations_of<'m>(model: &'m Model, service: &'m Shape) -> Vec<&'m Shape> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    let mut stack: Vec<&ShapeId> = Vec::new();
    if let Some(s) = service.as_service() {
        stack.extend(s.operations.iter().chain(&s.resources));
    }
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        let Some(shape) = model.shape(id) else {
            continue;
        };
        match shape.ty {
            ShapeType::Operation => out.push(shape),
            ShapeType::Resource => {
                stack.extend(shape.as_resource().into_iter().flat_map(|r| r.bound()))
            }
            _ => {}
        }
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}
