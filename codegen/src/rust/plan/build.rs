//! Builds a [`Plan`] from the model: the only place in the generator that
//! reads traits.
//!
//! In order: the service's closure; the protocol; every name (types and
//! builders, operation items, error enums, client methods, stems); which
//! members are boxed; then each type, and last each operation (paginators
//! refer to the members of the types built before them).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use proc_macro2::{Ident, TokenStream};

use super::http::{HttpBinding, HttpOperation};
use super::*;
use crate::model::{self, Model, Node, Number, Properties, Shape, ShapeId, ShapeType};
use crate::rust::GenerateError;
use crate::rust::docs;
use crate::rust::names::{self, Claim, Namespace, ident};

/// Lists and maps nest at most this deep before the generator gives up
/// (validation already rejects lists and maps that contain themselves).
const MAX_TYPE_DEPTH: usize = 64;

impl<'m> Plan<'m> {
    /// Builds the plan of `service`'s SDK, speaking `protocol` (or, when
    /// `None`, the first protocol the service declares that the generator
    /// supports). Shapes of the namespaces in `externs` are not generated
    /// but named from the crate or module each one maps to.
    pub fn build(
        model: &'m Model,
        service: &'m Shape,
        protocol: Option<ProtocolKind>,
        externs: &ExternTypes,
    ) -> Result<Self, GenerateError> {
        let protocol = match protocol {
            Some(p) => p,
            None => select_protocol(model, service)?,
        };
        let externs = parse_externs(externs)?;
        let builder = Builder::new(
            model,
            Some(service),
            Some(protocol),
            closure(model, [&service.id]),
            &externs,
        )?;
        builder.check_stream_directions()?;
        let mut plan = builder.plan(Subject::Service(builder.service_info(protocol)))?;
        let operations = builder
            .operations
            .iter()
            .map(|op| builder.operation(&plan, op))
            .collect::<Result<Vec<_>, _>>()?;
        plan.operations = operations;
        plan.request_inputs = request_inputs(&plan);
        check_protocol(&plan)?;
        Ok(plan)
    }

    /// Builds the plan of a crate of types alone: every structure, union
    /// and enum defined in `namespaces` (every namespace of the model's own
    /// files when empty), with the shapes they use, except operation inputs
    /// and outputs, which belong to a service's crate.
    pub fn types_only(
        model: &'m Model,
        namespaces: &[String],
        externs: &ExternTypes,
    ) -> Result<Self, GenerateError> {
        let externs = parse_externs(externs)?;
        let namespaces: Vec<String> = if namespaces.is_empty() {
            // Every namespace of the model's own files but those held elsewhere.
            let mut all: Vec<String> = library_candidates(model)
                .into_iter()
                .filter(|s| !externs.contains_key(s.id.namespace()))
                .map(|s| s.id.namespace().to_owned())
                .collect();
            all.sort();
            all.dedup();
            if all.is_empty() {
                return Err(GenerateError::NoService);
            }
            all
        } else {
            let mut listed = namespaces.to_vec();
            listed.sort();
            listed.dedup();
            listed
        };
        let shapes = closure(model, library_roots(model, &namespaces)?);
        let builder = Builder::new(model, None, None, shapes, &externs)?;
        builder.check_no_streams()?;
        let title = namespaces.join(", ");
        let plural = if namespaces.len() == 1 { "" } else { "s" };
        let library = Library {
            description: docs::one_line(&format!(
                "Rust types of the Smithy namespace{plural} {title}"
            )),
            title,
            namespaces,
        };
        builder.plan(Subject::Types(library))
    }
}

/// The first supported protocol the service declares.
fn select_protocol(model: &Model, service: &Shape) -> Result<ProtocolKind, GenerateError> {
    ProtocolKind::ALL
        .into_iter()
        .find(|p| service.has_trait(p.trait_id()))
        .ok_or_else(|| GenerateError::UnsupportedProtocol {
            service: service.id.clone(),
            declared: service
                .traits
                .keys()
                .filter(|k| {
                    model
                        .shape(k)
                        .is_some_and(|t| t.has_trait(model::traits::PROTOCOL_DEFINITION))
                })
                .map(ToString::to_string)
                .collect(),
            supported: ProtocolKind::supported(),
        })
}

/// Streaming members and documents the protocol cannot carry.
fn check_protocol(plan: &Plan<'_>) -> Result<(), GenerateError> {
    if plan.protocol().lacks_documents() {
        fn holds_document(ty: &Ty<'_>) -> bool {
            match ty {
                Ty::Document => true,
                Ty::List { item, .. } => holds_document(item),
                Ty::Map { value, .. } => holds_document(value),
                _ => false,
            }
        }
        let members = plan.types.iter().flat_map(|t| match t {
            TypeDef::Structure(s) => s.members.iter().map(|m| (m.id, &m.ty)).collect(),
            TypeDef::Union(u) => u
                .variants
                .iter()
                .filter_map(|v| Some((v.id, v.ty.as_ref()?)))
                .collect(),
            _ => Vec::new(),
        });
        for (id, ty) in members {
            if holds_document(ty) {
                return Err(GenerateError::DocumentUnsupported {
                    member: id.clone(),
                    protocol: plan.protocol().trait_id().to_owned(),
                });
            }
        }
    }
    for op in &plan.operations {
        let streams = [plan.streaming_input(op), plan.streaming_output(op)];
        for member in streams.into_iter().flatten() {
            match member.kind {
                MemberKind::ByteStream { .. } if !plan.protocol().binds_http() => {
                    return Err(GenerateError::StreamingBlobUnsupported {
                        operation: op.id.clone(),
                        protocol: plan.protocol().trait_id().to_owned(),
                    });
                }
                MemberKind::Events { .. } if !plan.protocol().carries_events() => {
                    return Err(GenerateError::EventStreamUnsupported {
                        operation: op.id.clone(),
                        protocol: plan.protocol().trait_id().to_owned(),
                    });
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// `@xmlNamespace` among these traits.
fn xml_namespace(traits: &model::Traits) -> Option<XmlNamespace<'_>> {
    let value = &traits.get(model::traits::XML_NAMESPACE)?.value;
    Some(XmlNamespace {
        uri: value.get("uri")?.as_str()?,
        prefix: value.get("prefix").and_then(Node::as_str),
    })
}

/// `@xmlName` among these traits.
fn xml_rename(traits: &model::Traits) -> Option<&str> {
    traits
        .get(model::traits::XML_NAME)
        .and_then(|t| t.value.as_str())
}

/// The element of a list member or map key or value: its `@xmlName`, else
/// `default`, and its own `@xmlNamespace` (a target's namespace applies
/// only to a document's root).
fn xml_name<'m>(member: &'m model::Member, default: &'m str) -> XmlName<'m> {
    XmlName {
        name: xml_rename(&member.traits).unwrap_or(default),
        namespace: xml_namespace(&member.traits),
    }
}

/// The element of a structure or union as a document's root.
fn root_xml_name(shape: &Shape) -> XmlName<'_> {
    XmlName {
        name: xml_rename(&shape.traits).unwrap_or(shape.id.name()),
        namespace: xml_namespace(&shape.traits),
    }
}

/// How a structure or union member travels in XML and query strings.
fn xml_member(member: &model::Member) -> XmlMember<'_> {
    let renamed = xml_rename(&member.traits);
    let ec2_name = match member
        .trait_value(model::traits::EC2_QUERY_NAME)
        .and_then(Node::as_str)
    {
        Some(name) => name.to_owned(),
        None => names::capitalize_first(renamed.unwrap_or(member.name())),
    };
    XmlMember {
        name: renamed.unwrap_or(member.name()),
        renamed: renamed.is_some(),
        attribute: member.has_trait(model::traits::XML_ATTRIBUTE),
        flattened: member.has_trait(model::traits::XML_FLATTENED),
        namespace: xml_namespace(&member.traits),
        ec2_name,
    }
}

/// True for shapes that get a Rust type of their own.
fn is_generated(shape: &Shape) -> bool {
    match shape.ty {
        ShapeType::Structure | ShapeType::Union | ShapeType::Enum | ShapeType::IntEnum => {
            shape.id.as_str() != model::traits::prelude::UNIT
        }
        ShapeType::String => shape.has_trait(model::traits::ENUM),
        _ => false,
    }
}

/// Names of the items of one operation.
#[derive(Debug, Clone)]
struct OperationNames {
    request: String,
    paginator: String,
    error_enum: String,
    method: String,
    stem: String,
}

/// Which end of a connection a compliance case tests.
#[derive(Debug, Clone, Copy)]
enum Side {
    Client,
    Server,
}

struct Builder<'m> {
    model: &'m Model,
    /// The service; `None` for a types-only crate.
    service: Option<&'m Shape>,
    /// The protocol; `None` for a types-only crate.
    protocol: Option<ProtocolKind>,
    /// Generated shapes, in id order.
    generated: Vec<&'m Shape>,
    /// Operations, in id order.
    operations: Vec<&'m Shape>,
    /// Type name, builder name and stem of each generated shape.
    type_names: HashMap<&'m ShapeId, (String, String, String)>,
    operation_names: HashMap<&'m ShapeId, OperationNames>,
    /// Error enums of received event streams.
    stream_errors: HashMap<&'m ShapeId, String>,
    /// Members boxed to break recursion.
    boxed: BTreeSet<&'m ShapeId>,
    /// For operation inputs and outputs: the operation, and whether it is
    /// the input.
    io_owner: HashMap<&'m ShapeId, (&'m ShapeId, bool)>,
    /// Event-stream unions in some output (received) or input (sent).
    received: BTreeSet<&'m ShapeId>,
    sent: BTreeSet<&'m ShapeId>,
    /// Structures that are some operation's input, and some operation's output.
    inputs: BTreeSet<&'m ShapeId>,
    outputs: BTreeSet<&'m ShapeId>,
    /// Planned shapes another crate holds: the path of that crate (or
    /// module), whose `types` module has them.
    externs: HashMap<&'m ShapeId, TokenStream>,
}

impl<'m> Builder<'m> {
    /// Plans the shapes in `shapes` (a closure: every shape a member of one
    /// targets is in it) for `service` (none for a types-only crate).
    fn new(
        model: &'m Model,
        service: Option<&'m Shape>,
        protocol: Option<ProtocolKind>,
        shapes: BTreeSet<&'m ShapeId>,
        externs: &Externs,
    ) -> Result<Self, GenerateError> {
        let shapes: Vec<&'m Shape> = shapes.iter().filter_map(|id| model.shape(id)).collect();
        let generated: Vec<&'m Shape> =
            shapes.iter().copied().filter(|s| is_generated(s)).collect();
        let operations: Vec<&'m Shape> = shapes
            .iter()
            .copied()
            .filter(|s| s.ty == ShapeType::Operation)
            .collect();
        let mut io_owner = HashMap::new();
        let (mut received, mut sent) = (BTreeSet::new(), BTreeSet::new());
        let (mut inputs, mut outputs) = (BTreeSet::new(), BTreeSet::new());
        for op in &operations {
            let Some(props) = op.as_operation() else {
                continue;
            };
            for (io, is_input) in [(&props.output, false), (&props.input, true)] {
                // The first operation (by id) owns a shared structure.
                io_owner.entry(io).or_insert((&op.id, is_input));
                if is_input {
                    inputs.insert(io);
                } else {
                    outputs.insert(io);
                }
                for m in model.shape(io).into_iter().flat_map(|s| s.members.values()) {
                    if model.shape(&m.target).is_some_and(|t| {
                        t.ty == ShapeType::Union && t.has_trait(model::traits::STREAMING)
                    }) {
                        if is_input {
                            sent.insert(&m.target);
                        } else {
                            received.insert(&m.target);
                        }
                    }
                }
            }
        }
        let mut builder = Builder {
            model,
            service,
            protocol,
            generated,
            operations,
            type_names: HashMap::new(),
            operation_names: HashMap::new(),
            stream_errors: HashMap::new(),
            boxed: BTreeSet::new(),
            io_owner,
            received,
            sent,
            inputs,
            outputs,
            externs: HashMap::new(),
        };
        let adopted = builder.adopt_externs(externs)?;
        builder.name_types(&adopted);
        builder.name_operations();
        builder.boxed = builder.recursive_members();
        // An extern type is boxed where its own crate boxes it.
        for (id, (_, boxed)) in &adopted {
            if let Some(shape) = model.shape(id) {
                for member in shape.members.values() {
                    builder.boxed.remove(&member.id);
                }
            }
            builder.boxed.extend(boxed.iter().copied());
        }
        Ok(builder)
    }

    /// Finds the planned shapes that another crate (or module) holds, by
    /// the namespace mappings of `externs`, and the names and boxed members
    /// that crate gives them: those of the types-only plan of their
    /// namespace, which is how that crate was generated.
    #[allow(clippy::type_complexity)]
    fn adopt_externs(
        &mut self,
        externs: &Externs,
    ) -> Result<HashMap<&'m ShapeId, ((String, String), BTreeSet<&'m ShapeId>)>, GenerateError>
    {
        let mut adopted = HashMap::new();
        let planned: BTreeSet<&'m ShapeId> = self.generated.iter().map(|s| &s.id).collect();
        // The namespaces mapped to one crate were generated together, as
        // one types-only plan of them all.
        let mut crates: BTreeMap<String, (Vec<String>, TokenStream)> = BTreeMap::new();
        for (namespace, path) in externs {
            crates
                .entry(path.to_string())
                .or_insert_with(|| (Vec::new(), path.clone()))
                .0
                .push(namespace.clone());
        }
        for (namespaces, path) in crates.values() {
            let roots = library_roots(self.model, namespaces)?;
            if !roots.iter().any(|id| planned.contains(id)) {
                continue;
            }
            // The other mappings hold for the library too, as they did
            // when its crate was generated.
            let mut others = externs.clone();
            others.retain(|namespace, _| !namespaces.contains(namespace));
            let library =
                Builder::new(self.model, None, None, closure(self.model, roots), &others)?;
            for shape in &library.generated {
                let id = &shape.id;
                if library.externs.contains_key(id) || !planned.contains(id) {
                    continue;
                }
                if let Some(previous) = self.externs.get(id) {
                    return Err(GenerateError::Unsupported {
                        shape: id.clone(),
                        reason: format!(
                            "the crates of two mapped namespaces both hold it (`{}` and `{}`); map its namespace `{}` to a crate of its own too",
                            previous,
                            path,
                            id.namespace()
                        ),
                    });
                }
                if shape.has_trait(model::traits::STREAMING) {
                    return Err(GenerateError::Unsupported {
                        shape: id.clone(),
                        reason: format!(
                            "it is an event stream, which `{path}` cannot hold (a crate of types alone holds values); keep it in the service's namespace"
                        ),
                    });
                }
                if self.renamed(id) != id.name() {
                    return Err(GenerateError::Unsupported {
                        shape: id.clone(),
                        reason: format!(
                            "the service renames it, but it is held by `{path}` under its own name"
                        ),
                    });
                }
                let (ident, builder, _) = library.type_names[id].clone();
                let boxed: BTreeSet<&'m ShapeId> = shape
                    .members
                    .values()
                    .map(|m| &m.id)
                    .filter(|m| library.boxed.contains(m))
                    .collect();
                self.externs.insert(id, path.clone());
                adopted.insert(id, ((ident, builder), boxed));
            }
        }
        Ok(adopted)
    }

    /// A types-only crate holds values: a structure with a streaming
    /// member (an operation's input or output) has no place in one.
    fn check_no_streams(&self) -> Result<(), GenerateError> {
        for shape in &self.generated {
            if shape.ty == ShapeType::Union && shape.has_trait(model::traits::STREAMING) {
                return Err(GenerateError::Unsupported {
                    shape: shape.id.clone(),
                    reason: "it is an event stream, and a crate of types alone holds values, not streams; keep it in the namespace of the service that uses it".to_owned(),
                });
            }
            let streams = shape.members.values().any(|m| {
                self.model
                    .shape(&m.target)
                    .is_some_and(|t| t.has_trait(model::traits::STREAMING))
            });
            if streams {
                return Err(GenerateError::Unsupported {
                    shape: shape.id.clone(),
                    reason: "it streams, and a crate of types alone holds values, not streams; generate it with the service that uses it".to_owned(),
                });
            }
        }
        Ok(())
    }

    /// The plan of the types, with no operations yet.
    fn plan(&self, subject: Subject<'m>) -> Result<Plan<'m>, GenerateError> {
        let types = self
            .generated
            .iter()
            .map(|shape| self.type_def(shape))
            .collect::<Result<Vec<_>, _>>()?;
        let index = types.iter().enumerate().map(|(i, t)| (t.id(), i)).collect();
        Ok(Plan {
            subject,
            types,
            operations: Vec::new(),
            index,
            request_inputs: HashMap::new(),
            externs: self.externs.clone(),
            serde: crate::rust::FeatureSupport::Off,
            outbox: crate::rust::FeatureSupport::Off,
            server: None,
        })
    }

    /// An event stream flows one way: a structure that is one operation's
    /// input and another's output (Smithy allows it, with a warning) cannot
    /// carry one, as its field would be both an `EventInput` and an
    /// `EventStream`.
    fn check_stream_directions(&self) -> Result<(), GenerateError> {
        for id in self.inputs.intersection(&self.outputs) {
            let Some(shape) = self.model.shape(id) else {
                continue;
            };
            let streams = shape.members.values().any(|m| {
                self.model.shape(&m.target).is_some_and(|t| {
                    t.ty == ShapeType::Union && t.has_trait(model::traits::STREAMING)
                })
            });
            if streams {
                return Err(GenerateError::Unsupported {
                    shape: (*id).clone(),
                    reason: "it is both an operation's input and an operation's output, and streams events, which flow one way".to_owned(),
                });
            }
        }
        Ok(())
    }

    /// The shape's name after the service's `rename`.
    fn renamed(&self, id: &'m ShapeId) -> &'m str {
        self.service
            .and_then(Shape::as_service)
            .and_then(|s| s.rename.get(id))
            .map_or(id.name(), String::as_str)
    }

    /// Names the generated types: extern types as their crate names them
    /// (`adopted`), the others here.
    #[allow(clippy::type_complexity)]
    fn name_types(
        &mut self,
        adopted: &HashMap<&'m ShapeId, ((String, String), BTreeSet<&'m ShapeId>)>,
    ) {
        let local: Vec<&'m Shape> = self
            .generated
            .iter()
            .copied()
            .filter(|s| !adopted.contains_key(&s.id))
            .collect();
        let mut types = Namespace::new(names::RESERVED_TYPES);
        let idents = types.claim_all(
            local
                .iter()
                .map(|s| Claim::model(&s.id, names::camel(self.renamed(&s.id)))),
        );
        let builders = types.claim_all(
            local
                .iter()
                .filter(|s| s.ty == ShapeType::Structure)
                .map(|s| Claim::derived(&s.id, format!("{}Builder", idents[&s.id]))),
        );
        let ident_of = |id: &ShapeId| match adopted.get(id) {
            Some(((ident, _), _)) => ident.clone(),
            None => idents[id].clone(),
        };
        let mut stems = Namespace::default();
        let stems = stems.claim_all(
            self.generated
                .iter()
                .map(|s| Claim::derived(&s.id, names::snake_of(&ident_of(&s.id)))),
        );
        for shape in &self.generated {
            let id = &shape.id;
            let (ident, builder) = match adopted.get(id) {
                Some(((ident, builder), _)) => (ident.clone(), builder.clone()),
                None => (
                    idents[id].clone(),
                    builders.get(id).cloned().unwrap_or_default(),
                ),
            };
            self.type_names
                .insert(id, (ident, builder, stems[id].clone()));
        }
    }

    fn name_operations(&mut self) {
        let ops = &self.operations;
        let mut module = Namespace::new(names::RESERVED_TYPES);
        for reserved in names::OPERATION_MODULE_IMPORTS {
            module.claim(Claim::derived("", (*reserved).to_owned()));
        }
        let requests = module.claim_all(
            ops.iter()
                .map(|op| Claim::model(&op.id, names::camel(self.renamed(&op.id)))),
        );
        let paginators = module.claim_all(
            ops.iter()
                .map(|op| Claim::derived(&op.id, format!("{}Paginator", requests[&op.id]))),
        );
        let mut errors = Namespace::new(names::RESERVED_TYPES);
        let error_enums = errors.claim_all(
            ops.iter()
                .map(|op| Claim::derived(&op.id, format!("{}Error", requests[&op.id]))),
        );
        let mut unions: Vec<&'m ShapeId> = self.received.iter().copied().collect();
        unions.retain(|id| self.type_names.contains_key(id));
        let stream_errors = errors.claim_all(unions.iter().map(|id| {
            let base = &self.type_names[id].0;
            Claim::derived(*id, format!("{base}Error")).or(format!("{base}EventError"))
        }));
        self.stream_errors = stream_errors.into_iter().collect();
        let mut client = Namespace::new(names::RESERVED_CLIENT_METHODS);
        let methods = client.claim_all(ops.iter().map(|op| {
            let snake = names::snake(self.renamed(&op.id));
            Claim::model(&op.id, snake.clone()).or(format!("{snake}_operation"))
        }));
        let mut stems = Namespace::default();
        let stems = stems.claim_all(
            ops.iter()
                .map(|op| Claim::model(&op.id, names::stem(self.renamed(&op.id)))),
        );
        for op in ops {
            let id = &op.id;
            self.operation_names.insert(
                id,
                OperationNames {
                    request: requests[id].clone(),
                    paginator: paginators[id].clone(),
                    error_enum: error_enums[id].clone(),
                    method: methods[id].clone(),
                    stem: stems[id].clone(),
                },
            );
        }
    }

    /// Members that must be boxed: a structure or union member whose target
    /// can reach the member's own shape through structure and union members
    /// only (lists and maps already allocate).
    fn recursive_members(&self) -> BTreeSet<&'m ShapeId> {
        let mut boxed = BTreeSet::new();
        for shape in &self.generated {
            if !matches!(shape.ty, ShapeType::Structure | ShapeType::Union) {
                continue;
            }
            for member in shape.members.values() {
                if self.reaches_directly(&member.target, &shape.id, &boxed) {
                    boxed.insert(&member.id);
                }
            }
        }
        boxed
    }

    fn reaches_directly(&self, from: &ShapeId, to: &ShapeId, boxed: &BTreeSet<&ShapeId>) -> bool {
        let mut stack = vec![from];
        let mut seen = BTreeSet::new();
        while let Some(id) = stack.pop() {
            if id == to {
                return true;
            }
            if !seen.insert(id) {
                continue;
            }
            let Some(shape) = self.model.shape(id) else {
                continue;
            };
            if matches!(shape.ty, ShapeType::Structure | ShapeType::Union) {
                stack.extend(
                    shape
                        .members
                        .values()
                        .filter(|m| !boxed.contains(&m.id))
                        .map(|m| &m.target),
                );
            }
        }
        false
    }

    /// The service of a client plan: operations, paginators and auth are
    /// planned only for one (a types-only closure has no operations).
    fn service_shape(&self) -> &'m Shape {
        self.service
            .expect("operations are planned only for a service")
    }

    fn service_info(&self, protocol: ProtocolKind) -> Service<'m> {
        let service = self.service_shape();
        let title = service
            .trait_value(model::traits::TITLE)
            .and_then(Node::as_str)
            .map_or_else(|| service.id.name().to_owned(), str::to_owned);
        let docs = service
            .documentation()
            .map(docs::rustdoc_lines)
            .unwrap_or_default();
        let summary = service
            .documentation()
            .map(|d| docs::summary(d, &title))
            .filter(|s| !s.is_empty());
        let description = match summary {
            Some(s) => format!("Rust client for {title}: {s}"),
            None => format!("Rust client for {title}"),
        };
        Service {
            id: &service.id,
            name: service.id.name(),
            protocol,
            title,
            docs,
            description: docs::one_line(&description),
            end_of_stream: service.has_trait(model::traits::END_OF_STREAM),
            query_compatible: service.has_trait(model::traits::AWS_QUERY_COMPATIBLE),
            version: service
                .as_service()
                .and_then(|s| s.version.as_deref())
                .unwrap_or(""),
            xml_namespace: xml_namespace(&service.traits),
            endpoint_rules: self.endpoint_rules(),
            json_rpc: {
                let settings = service.trait_value(model::traits::JSON_RPC_2);
                let get = |key: &str| settings.and_then(|v| v.get(key)).and_then(Node::as_str);
                let path = get("path").unwrap_or("/");
                JsonRpc {
                    path: if path.starts_with('/') {
                        path.to_owned()
                    } else {
                        format!("/{path}")
                    },
                    method_prefix: get("methodPrefix")
                        .map_or_else(|| format!("{}.", service.id.name()), str::to_owned),
                }
            },
        }
    }

    /// True when an operation gets a `presigned` method (see
    /// [`Operation::presignable`]).
    fn presignable(
        &self,
        plan: &Plan<'m>,
        op: &'m Shape,
        input: Option<&Structure<'m>>,
        output: Option<&Structure<'m>>,
    ) -> bool {
        let sigv4 = self
            .auth(op)
            .iter()
            .any(|a| matches!(a, AuthScheme::SigV4 { .. }));
        let events = |s: Option<&Structure<'m>>| {
            s.is_some_and(|s| {
                s.members
                    .iter()
                    .any(|m| matches!(m.kind, MemberKind::Events { .. }))
            })
        };
        // A document body (or a structure payload) would be signed and then
        // dropped: only blob payloads, which the holder of the URL brings.
        let body = input.is_some_and(|s| {
            s.members.iter().any(|m| match m.http {
                HttpBinding::Body => true,
                HttpBinding::Payload => !matches!(m.ty, Ty::Blob { .. }),
                _ => false,
            })
        });
        sigv4 && plan.protocol().binds_http() && !body && !events(input) && !events(output)
    }

    /// S3's operations bind the bucket as the first label of their path
    /// (`/{Bucket}/{Key+}`), but S3's endpoint rules put the bucket in the
    /// endpoint (in the host, or in the path for path-style addressing), so
    /// a client that resolves endpoints by the rules leaves it out of the
    /// path, as AWS's SDKs do. Without rules the path keeps it.
    fn without_bucket_label(&self, mut http: HttpOperation) -> HttpOperation {
        let service = self.service_shape();
        if service.id.as_str() == "com.amazonaws.s3#AmazonS3"
            && service.has_trait(model::traits::ENDPOINT_RULE_SET)
            && matches!(
                http.uri.segments.first(),
                Some(super::http::Segment::Label { name, greedy: false }) if name == "Bucket"
            )
        {
            http.uri.segments.remove(0);
        }
        http
    }

    /// `smithy.rules#endpointRuleSet`, with where each parameter the
    /// configuration supplies comes from: a client context parameter
    /// (`smithy.rules#clientContextParams`) or a built-in.
    fn endpoint_rules(&self) -> Option<EndpointRules<'m>> {
        let service = self.service_shape();
        let rules = service.trait_value(model::traits::ENDPOINT_RULE_SET)?;
        let client_params = service.trait_value(model::traits::CLIENT_CONTEXT_PARAMS);
        let mut config_params = Vec::new();
        if let Some(Node::Object(params)) = rules.get("parameters") {
            for (name, param) in params {
                let built_in = param.get("builtIn").and_then(Node::as_str);
                let client = client_params.and_then(|c| c.get(name)).is_some();
                let source = match built_in {
                    Some("AWS::Region") if !client => ConfigSource::Region,
                    Some("SDK::Endpoint") if !client => ConfigSource::Endpoint,
                    _ => {
                        let names: Vec<&'m str> = client
                            .then_some(name.as_str())
                            .into_iter()
                            .chain(built_in)
                            .collect();
                        if names.is_empty() {
                            continue;
                        }
                        ConfigSource::Setting(names)
                    }
                };
                config_params.push(ConfigParam { name, source });
            }
        }
        let tests = service
            .trait_value(model::traits::ENDPOINT_TESTS)
            .and_then(|t| t.get("testCases"))
            .and_then(Node::as_array)
            .map(|cases| cases.iter().collect())
            .unwrap_or_default();
        Some(EndpointRules {
            json: rules.to_json().to_string(),
            config_params,
            tests,
        })
    }

    /// The endpoint-rule parameters an operation supplies: its
    /// `smithy.rules#staticContextParams`, then its input's
    /// `smithy.rules#contextParam` members.
    fn endpoint_params(
        &self,
        plan: &Plan<'m>,
        op: &'m Shape,
        input: Option<&Structure<'m>>,
    ) -> Result<Vec<OperationParam<'m>>, GenerateError> {
        if self
            .service_shape()
            .trait_value(model::traits::ENDPOINT_RULE_SET)
            .is_none()
        {
            return Ok(Vec::new());
        }
        let mut params = Vec::new();
        if let Some(Node::Object(fixed)) = op.trait_value(model::traits::STATIC_CONTEXT_PARAMS) {
            for (name, param) in fixed {
                if let Some(value) = param.get("value") {
                    params.push(OperationParam {
                        name,
                        value: OperationParamValue::Static(value),
                    });
                }
            }
        }
        if let (Some(Node::Object(paths)), Some(input)) = (
            op.trait_value(model::traits::OPERATION_CONTEXT_PARAMS),
            input,
        ) {
            for (name, param) in paths {
                let Some(path) = param.get("path").and_then(Node::as_str) else {
                    continue;
                };
                let value = context_path(plan, input, path).map_err(|reason| {
                    GenerateError::Unsupported {
                        shape: op.id.clone(),
                        reason: format!(
                            "its @operationContextParams path `{path}` for `{name}`: {reason}"
                        ),
                    }
                })?;
                params.push(OperationParam { name, value });
            }
        }
        let input_model = input.and_then(|s| self.model.shape(s.id));
        for member in input.iter().flat_map(|s| &s.members) {
            let Some(model_member) = input_model.and_then(|s| s.members.get(member.name)) else {
                continue;
            };
            let Some(name) = model_member
                .trait_value(model::traits::CONTEXT_PARAM)
                .and_then(|t| t.get("name"))
                .and_then(Node::as_str)
            else {
                continue;
            };
            let fits = match &member.ty {
                Ty::String { .. } | Ty::Boolean | Ty::Enum(_) => true,
                Ty::List { item, sparse, .. } => {
                    !sparse && matches!(**item, Ty::String { .. } | Ty::Enum(_))
                }
                _ => false,
            };
            if !fits || !matches!(member.kind, MemberKind::Value { boxed: false }) {
                return Err(GenerateError::Unsupported {
                    shape: member.id.clone(),
                    reason: format!(
                        "its @contextParam(name: \"{name}\") needs a string, boolean, enum \
                         or list of strings"
                    ),
                });
            }
            params.push(OperationParam {
                name,
                value: OperationParamValue::Member {
                    field: member.field.clone(),
                    optional: member.optional,
                    ty: member.ty.clone(),
                },
            });
        }
        Ok(params)
    }

    // -----------------------------------------------------------------
    // Types.

    fn type_def(&self, shape: &'m Shape) -> Result<TypeDef<'m>, GenerateError> {
        Ok(match shape.ty {
            ShapeType::Structure => TypeDef::Structure(self.structure(shape)?),
            ShapeType::Union => TypeDef::Union(self.union(shape)?),
            ShapeType::IntEnum => TypeDef::IntEnum(self.int_enum(shape)),
            _ => TypeDef::StringEnum(self.string_enum(shape)),
        })
    }

    fn shape_docs(&self, shape: &Shape) -> Vec<String> {
        let lines = shape
            .documentation()
            .map(docs::rustdoc_lines)
            .unwrap_or_default();
        if !lines.is_empty() {
            return lines;
        }
        let fallback = match self.io_owner.get(&shape.id) {
            Some((op, true)) if shape.ty == ShapeType::Structure => {
                format!("Input of the `{}` operation.", op.name())
            }
            Some((op, false)) if shape.ty == ShapeType::Structure => {
                format!("Output of the `{}` operation.", op.name())
            }
            _ if shape.has_trait(model::traits::ERROR) => {
                format!("The `{}` error.", shape.id.name())
            }
            _ => format!("{}.", humanize(shape.id.name())),
        };
        docs::rustdoc_lines(&fallback)
    }

    fn member_docs(&self, member: &model::Member) -> Vec<String> {
        let lines = member
            .trait_value(model::traits::DOCUMENTATION)
            .and_then(Node::as_str)
            .map(docs::rustdoc_lines)
            .unwrap_or_default();
        if lines.is_empty() {
            docs::rustdoc_lines(&format!("The {}.", humanize(member.name()).to_lowercase()))
        } else {
            lines
        }
    }

    /// True when the shape, one of its members, or what a member holds
    /// (through lists and maps) is deprecated.
    fn uses_deprecated(&self, shape: &Shape) -> bool {
        shape.has_trait(model::traits::DEPRECATED)
            || shape.members.values().any(|m| {
                m.has_trait(model::traits::DEPRECATED) || self.holds_deprecated(&m.target, 0)
            })
    }

    fn holds_deprecated(&self, id: &ShapeId, depth: usize) -> bool {
        let Some(shape) = self.model.shape(id) else {
            return false;
        };
        if shape.has_trait(model::traits::DEPRECATED) {
            return true;
        }
        // A list's items, a map's keys and values.
        let inner = match shape.ty {
            ShapeType::List | ShapeType::Map => shape.members.values().collect(),
            _ => Vec::new(),
        };
        depth < MAX_TYPE_DEPTH
            && inner
                .iter()
                .any(|m| self.holds_deprecated(&m.target, depth + 1))
    }

    /// The constraint traits of a member and its target (the member's win),
    /// and those of a list's items and a map's keys and values, as deep as
    /// [`Builder::ty`] goes.
    fn constraints(&self, member: &'m model::Member, depth: usize) -> Constraints {
        let Some(target) = self.model.shape(&member.target) else {
            return Constraints::default();
        };
        let get = |id: &str| member.trait_value(id).or_else(|| target.trait_value(id));
        let bound =
            |node: &Node, key: &str| node.get(key).and_then(Node::as_number).map(|n| n.as_f64());
        let deeper = |name: &str| {
            target
                .members
                .get(name)
                .filter(|_| depth < MAX_TYPE_DEPTH)
                .map(|m| Box::new(self.constraints(m, depth + 1)))
                .filter(|c| !c.is_empty())
        };
        let (items, keys) = match target.ty {
            ShapeType::List => (deeper("member"), None),
            ShapeType::Map => (deeper("value"), deeper("key")),
            _ => (None, None),
        };
        Constraints {
            length: get(model::traits::LENGTH).map(|n| Bounds {
                min: bound(n, "min"),
                max: bound(n, "max"),
            }),
            range: get(model::traits::RANGE).map(|n| Bounds {
                min: bound(n, "min"),
                max: bound(n, "max"),
            }),
            pattern: get(model::traits::PATTERN)
                .and_then(Node::as_str)
                .map(str::to_owned),
            unique_items: get(model::traits::UNIQUE_ITEMS).is_some(),
            items,
            keys,
        }
    }

    /// The value type of a member's target, with the member's encoding traits.
    fn ty(&self, member: &'m model::Member, depth: usize) -> Result<Ty<'m>, GenerateError> {
        let unsupported = |reason: &str| GenerateError::Unsupported {
            shape: member.id.clone(),
            reason: reason.to_owned(),
        };
        if depth > MAX_TYPE_DEPTH {
            return Err(unsupported("its lists and maps nest too deeply"));
        }
        let target = self
            .model
            .shape(&member.target)
            .ok_or_else(|| unsupported("its target does not exist"))?;
        let media_type = || {
            target
                .trait_value(model::traits::MEDIA_TYPE)
                .and_then(Node::as_str)
        };
        Ok(match target.ty {
            _ if is_generated(target) => match target.ty {
                ShapeType::Structure => Ty::Structure(&target.id),
                ShapeType::Union => Ty::Union(&target.id),
                ShapeType::IntEnum => Ty::IntEnum(&target.id),
                _ => Ty::Enum(&target.id),
            },
            ShapeType::Blob => Ty::Blob {
                media_type: media_type(),
            },
            ShapeType::Boolean => Ty::Boolean,
            ShapeType::Document => Ty::Document,
            ShapeType::String => Ty::String {
                media_type: media_type(),
            },
            ShapeType::Byte => Ty::Byte,
            ShapeType::Short => Ty::Short,
            ShapeType::Integer => Ty::Integer,
            ShapeType::Long => Ty::Long,
            ShapeType::Float => Ty::Float,
            ShapeType::Double => Ty::Double,
            ShapeType::BigInteger => Ty::BigInteger,
            ShapeType::BigDecimal => Ty::BigDecimal,
            ShapeType::Timestamp => Ty::Timestamp {
                format: member
                    .trait_value(model::traits::TIMESTAMP_FORMAT)
                    .or_else(|| target.trait_value(model::traits::TIMESTAMP_FORMAT))
                    .and_then(Node::as_str)
                    .and_then(|f| match f {
                        "date-time" => Some(TimestampFormat::DateTime),
                        "http-date" => Some(TimestampFormat::HttpDate),
                        "epoch-seconds" => Some(TimestampFormat::EpochSeconds),
                        _ => None,
                    }),
            },
            ShapeType::List => {
                let item = target
                    .members
                    .get("member")
                    .ok_or_else(|| unsupported("its list has no member"))?;
                Ty::List {
                    item: Box::new(self.ty(item, depth + 1)?),
                    sparse: target.has_trait(model::traits::SPARSE),
                    member: xml_name(item, "member"),
                }
            }
            ShapeType::Map => {
                let (Some(key), Some(value)) =
                    (target.members.get("key"), target.members.get("value"))
                else {
                    return Err(unsupported("its map lacks a key or value"));
                };
                Ty::Map {
                    key: Box::new(self.ty(key, depth + 1)?),
                    value: Box::new(self.ty(value, depth + 1)?),
                    sparse: target.has_trait(model::traits::SPARSE),
                    entry: MapEntryXml {
                        key: xml_name(key, "key"),
                        value: xml_name(value, "value"),
                    },
                }
            }
            ShapeType::Structure => {
                return Err(unsupported(
                    "it targets `smithy.api#Unit`, which holds no value",
                ));
            }
            ShapeType::Enum | ShapeType::IntEnum | ShapeType::Union => {
                unreachable!("generated types are handled first")
            }
            ShapeType::Service | ShapeType::Resource | ShapeType::Operation => {
                return Err(unsupported("it targets a service, resource or operation"));
            }
        })
    }

    fn structure(&self, shape: &'m Shape) -> Result<Structure<'m>, GenerateError> {
        let (ident_text, builder, stem) = &self.type_names[&shape.id];
        let members: Vec<&'m model::Member> = shape.members.values().collect();
        // Fields, then setters: setters mirror fields unless reserved.
        let mut fields = Namespace::default();
        let field_names = fields.claim_all(
            members
                .iter()
                .map(|m| Claim::model(&m.id, names::snake(m.name()))),
        );
        let mut methods = Namespace::new(names::RESERVED_SETTERS);
        let setters = methods.claim_all(
            members
                .iter()
                .map(|m| Claim::model(&m.id, field_names[&m.id].clone())),
        );
        // One appender per list or map member: the singular of its name
        // (`tags` → `tag`), else `push_<field>` / `insert_<field>`.
        let appenders = methods.claim_all(members.iter().filter_map(|m| {
            let field = field_names[&m.id].trim_end_matches('_');
            let fallback = match self.model.shape(&m.target)?.ty {
                ShapeType::List => format!("push_{field}"),
                ShapeType::Map => format!("insert_{field}"),
                _ => return None,
            };
            // Claimed as the identifier it becomes: `super` is `super_`,
            // the setter's name already.
            let one = names::snake(&names::singular(field));
            Some(Claim::derived(&m.id, one).or(fallback))
        }));
        let missing = fields.claim(Claim::derived("missing", "missing".to_owned()));
        let input = shape.has_trait(model::traits::INPUT);
        let mut planned = Vec::new();
        for m in &members {
            let ty = self.ty(m, 0)?;
            let kind = self.member_kind(m);
            let default = m
                .trait_value(model::traits::DEFAULT)
                .filter(|v| !matches!(v, Node::Null));
            let required = m.has_trait(model::traits::REQUIRED);
            let optional = !kind.is_streaming()
                && (input
                    || m.has_trait(model::traits::CLIENT_OPTIONAL)
                    || !(required || default.is_some()));
            let target = self.model.shape(&m.target);
            let constraints = self.constraints(m, 0);
            planned.push(Member {
                id: &m.id,
                constraints,
                name: m.name(),
                field: ident(&field_names[&m.id]),
                setter: ident(&setters[&m.id]),
                appender: appenders.get(&m.id).map(|a| ident(a)),
                ty,
                kind,
                optional,
                required,
                default,
                docs: self.member_docs(m),
                deprecated: deprecation(&m.traits),
                sensitive: m.has_trait(model::traits::SENSITIVE)
                    || target.is_some_and(|t| t.has_trait(model::traits::SENSITIVE)),
                http: HttpBinding::of(m),
                json_name: m
                    .trait_value(model::traits::JSON_NAME)
                    .and_then(Node::as_str),
                xml: xml_member(m),
                idempotency_token: m.has_trait(model::traits::IDEMPOTENCY_TOKEN),
                event: if m.has_trait(model::traits::EVENT_PAYLOAD) {
                    EventBinding::Payload
                } else if m.has_trait(model::traits::EVENT_HEADER) {
                    EventBinding::Header
                } else {
                    EventBinding::Document
                },
            });
        }
        let error = shape.has_trait(model::traits::ERROR).then(|| ErrorInfo {
            code: shape.id.name(),
            server_fault: shape
                .trait_value(model::traits::ERROR)
                .and_then(Node::as_str)
                == Some("server"),
            retry: match shape.trait_value(model::traits::RETRYABLE) {
                None => Retry::NotModeled,
                Some(v) if v.get("throttling").and_then(Node::as_bool) == Some(true) => {
                    Retry::Throttling
                }
                Some(_) => Retry::Retryable,
            },
            http_status: shape
                .trait_value(model::traits::HTTP_ERROR)
                .and_then(Node::as_number)
                .and_then(Number::as_i64)
                .and_then(|n| u16::try_from(n).ok()),
            query: shape
                .trait_value(model::traits::AWS_QUERY_ERROR)
                .and_then(|v| {
                    Some(QueryErrorCode {
                        code: v.get("code")?.as_str()?,
                        http_status: v
                            .get("httpResponseCode")?
                            .as_number()?
                            .as_i64()
                            .and_then(|n| u16::try_from(n).ok())?,
                    })
                }),
            message: ["message", "errorMessage"].iter().find_map(|name| {
                planned.iter().position(|m: &Member<'_>| {
                    m.name.eq_ignore_ascii_case(name)
                        && matches!(m.ty, Ty::String { .. })
                        && matches!(m.kind, MemberKind::Value { .. })
                })
            }),
        });
        Ok(Structure {
            id: &shape.id,
            name: shape.id.name(),
            ident: ident(ident_text),
            builder: ident(builder),
            stem: stem.clone(),
            docs: self.shape_docs(shape),
            deprecated: deprecation(&shape.traits),
            uses_deprecated: self.uses_deprecated(shape),
            members: planned,
            sensitive: shape.has_trait(model::traits::SENSITIVE),
            error,
            missing: ident(&missing),
            tests: self.cases(shape, model::traits::HTTP_RESPONSE_TESTS, Side::Client),
            server_tests: self.cases(shape, model::traits::HTTP_RESPONSE_TESTS, Side::Server),
            xml: root_xml_name(shape),
        })
    }

    fn member_kind(&self, member: &'m model::Member) -> MemberKind<'m> {
        let Some(target) = self
            .model
            .shape(&member.target)
            .filter(|t| t.has_trait(model::traits::STREAMING))
        else {
            return MemberKind::Value {
                boxed: self.boxed.contains(&member.id),
            };
        };
        match target.ty {
            ShapeType::Blob => MemberKind::ByteStream {
                requires_length: target.has_trait(model::traits::REQUIRES_LENGTH),
            },
            _ => MemberKind::Events {
                union: &target.id,
                direction: match self.io_owner.get(&member.id.root()) {
                    Some((_, true)) => Direction::Sent,
                    _ => Direction::Received,
                },
            },
        }
    }

    fn variants(
        &self,
        members: &[&'m model::Member],
        reserved_variants: &[&str],
        reserved_methods: &[&str],
    ) -> Result<Vec<Variant<'m>>, GenerateError> {
        let mut variant_names = Namespace::new(reserved_variants);
        let idents = variant_names.claim_all(
            members
                .iter()
                .map(|m| Claim::model(&m.id, names::camel(m.name()))),
        );
        let mut methods = Namespace::new(reserved_methods);
        let as_fns = methods.claim_all(
            members
                .iter()
                .map(|m| Claim::derived(&m.id, format!("as_{}", names::snake_of(&idents[&m.id])))),
        );
        let is_fns = methods.claim_all(
            members
                .iter()
                .map(|m| Claim::derived(&m.id, format!("is_{}", names::snake_of(&idents[&m.id])))),
        );
        members
            .iter()
            .map(|m| {
                let ty = if m.target.as_str() == model::traits::prelude::UNIT {
                    None
                } else {
                    Some(self.ty(m, 0)?)
                };
                Ok(Variant {
                    id: &m.id,
                    name: m.name(),
                    ident: ident(&idents[&m.id]),
                    as_fn: ident(&as_fns[&m.id]),
                    is_fn: ident(&is_fns[&m.id]),
                    ty,
                    constraints: self.constraints(m, 0),
                    boxed: self.boxed.contains(&m.id),
                    docs: self.member_docs(m),
                    deprecated: deprecation(&m.traits),
                    json_name: m
                        .trait_value(model::traits::JSON_NAME)
                        .and_then(Node::as_str),
                    xml: xml_member(m),
                })
            })
            .collect()
    }

    fn union(&self, shape: &'m Shape) -> Result<Union<'m>, GenerateError> {
        let (ident_text, _, stem) = &self.type_names[&shape.id];
        let is_error = |m: &&'m model::Member| {
            self.model
                .shape(&m.target)
                .is_some_and(|t| t.has_trait(model::traits::ERROR))
        };
        let streaming = shape.has_trait(model::traits::STREAMING);
        let all: Vec<&'m model::Member> = shape.members.values().collect();
        // An event stream's errors are not events: they end the stream, as
        // the variants of its error enum.
        let (events, errors): (Vec<_>, Vec<_>) = if streaming {
            all.iter().partition(|m| !is_error(m))
        } else {
            (all.clone(), Vec::new())
        };
        let variants = self.variants(&events, &[names::UNKNOWN], names::RESERVED_UNION_METHODS)?;
        let stream = if streaming {
            let received = self.received.contains(&shape.id);
            Some(EventStream {
                received,
                sent: self.sent.contains(&shape.id),
                errors: self.variants(&errors, &[], &["clone", "fmt", "eq", "ne", "source"])?,
                error_enum: ident(
                    self.stream_errors
                        .get(&shape.id)
                        .map_or("NoErrors", String::as_str),
                ),
                codec: ident(&format!("{}_CODEC", stem.to_uppercase())),
                decode_event: ident(&format!("decode_{stem}_event")),
                decode_exception: ident(&format!("decode_{stem}_exception")),
                encode_event: ident(&format!("encode_{stem}_event")),
                encode_exception: ident(&format!("encode_{stem}_exception")),
                served: false,
            })
        } else {
            None
        };
        Ok(Union {
            id: &shape.id,
            name: shape.id.name(),
            ident: ident(ident_text),
            stem: stem.clone(),
            docs: self.shape_docs(shape),
            deprecated: deprecation(&shape.traits),
            uses_deprecated: self.uses_deprecated(shape),
            sensitive: shape.has_trait(model::traits::SENSITIVE),
            variants,
            stream,
            xml: root_xml_name(shape),
        })
    }

    fn string_enum(&self, shape: &'m Shape) -> StringEnum<'m> {
        let (ident_text, _, stem) = &self.type_names[&shape.id];
        // (key, preferred variant, value, docs, deprecated, internal)
        type Entry = (
            String,
            String,
            String,
            Vec<String>,
            Option<Deprecation>,
            bool,
        );
        let mut entries: Vec<Entry> = Vec::new();
        let mut seen = BTreeSet::new();
        if shape.ty == ShapeType::Enum {
            for m in shape.members.values() {
                let value = m
                    .trait_value(model::traits::ENUM_VALUE)
                    .and_then(Node::as_str)
                    .unwrap_or(m.name())
                    .to_owned();
                if !seen.insert(value.clone()) {
                    continue;
                }
                let docs = m
                    .trait_value(model::traits::DOCUMENTATION)
                    .and_then(Node::as_str)
                    .map(docs::rustdoc_lines)
                    .filter(|d| !d.is_empty())
                    .unwrap_or_else(|| docs::rustdoc_lines(&format!("`{value}`.")));
                let internal = is_internal(m);
                entries.push((
                    m.name().to_owned(),
                    names::camel(m.name()),
                    value,
                    docs,
                    deprecation(&m.traits),
                    internal,
                ));
            }
        } else {
            // IDL 1.0 `@enum`: values named by `name` (else by the value).
            let defs = shape
                .trait_value(model::traits::ENUM)
                .and_then(Node::as_array)
                .unwrap_or(&[]);
            for (i, d) in defs.iter().enumerate() {
                let Some(value) = d.get("value").and_then(Node::as_str) else {
                    continue;
                };
                if !seen.insert(value.to_owned()) {
                    continue;
                }
                let name = d.get("name").and_then(Node::as_str).unwrap_or(value);
                let docs = d
                    .get("documentation")
                    .and_then(Node::as_str)
                    .map(docs::rustdoc_lines)
                    .filter(|d| !d.is_empty())
                    .unwrap_or_else(|| docs::rustdoc_lines(&format!("`{value}`.")));
                let deprecated = (d.get("deprecated").and_then(Node::as_bool) == Some(true))
                    .then_some(Deprecation { note: None });
                let internal = tagged_internal(d.get("tags"));
                entries.push((
                    format!("{i:08}"),
                    names::camel(name),
                    value.to_owned(),
                    docs,
                    deprecated,
                    internal,
                ));
            }
        }
        let mut variants = Namespace::new(&[names::UNKNOWN]);
        let idents = variants.claim_all(
            entries
                .iter()
                .map(|(key, preferred, ..)| Claim::model(key.clone(), preferred.clone())),
        );
        StringEnum {
            id: &shape.id,
            ident: ident(ident_text),
            stem: stem.clone(),
            docs: self.shape_docs(shape),
            deprecated: deprecation(&shape.traits),
            uses_deprecated: self.uses_deprecated(shape),
            values: entries
                .into_iter()
                .map(|(key, _, value, docs, deprecated, internal)| EnumValue {
                    ident: ident(&idents[&key]),
                    value,
                    docs,
                    deprecated,
                    internal,
                })
                .collect(),
        }
    }

    fn int_enum(&self, shape: &'m Shape) -> IntEnum<'m> {
        let (ident_text, _, stem) = &self.type_names[&shape.id];
        let mut seen = BTreeSet::new();
        let members: Vec<(&'m model::Member, i32)> = shape
            .members
            .values()
            .filter_map(|m| {
                let value = m
                    .trait_value(model::traits::ENUM_VALUE)
                    .and_then(Node::as_number)
                    .and_then(Number::as_i64)
                    .and_then(|v| i32::try_from(v).ok())?;
                seen.insert(value).then_some((m, value))
            })
            .collect();
        let mut variants = Namespace::new(&[names::UNKNOWN]);
        let idents = variants.claim_all(
            members
                .iter()
                .map(|(m, _)| Claim::model(&m.id, names::camel(m.name()))),
        );
        IntEnum {
            id: &shape.id,
            ident: ident(ident_text),
            stem: stem.clone(),
            docs: self.shape_docs(shape),
            deprecated: deprecation(&shape.traits),
            uses_deprecated: self.uses_deprecated(shape),
            values: members
                .iter()
                .map(|(m, value)| EnumValue {
                    ident: ident(&idents[&m.id]),
                    value: *value,
                    docs: m
                        .trait_value(model::traits::DOCUMENTATION)
                        .and_then(Node::as_str)
                        .map(docs::rustdoc_lines)
                        .filter(|d| !d.is_empty())
                        .unwrap_or_else(|| docs::rustdoc_lines(&format!("`{value}`."))),
                    deprecated: deprecation(&m.traits),
                    internal: is_internal(m),
                })
                .collect(),
        }
    }

    // -----------------------------------------------------------------
    // Operations.

    fn operation(&self, plan: &Plan<'m>, op: &'m Shape) -> Result<Operation<'m>, GenerateError> {
        let names = &self.operation_names[&op.id];
        let props = op
            .as_operation()
            .ok_or_else(|| GenerateError::Unsupported {
                shape: op.id.clone(),
                reason: "it is not an operation".to_owned(),
            })?;
        let io = |id: &'m ShapeId| (id.as_str() != model::traits::prelude::UNIT).then_some(id);
        let (input, output) = (io(&props.input), io(&props.output));
        for id in [input, output].into_iter().flatten() {
            if !matches!(
                plan.index.get(id).map(|i| &plan.types[*i]),
                Some(TypeDef::Structure(_))
            ) {
                return Err(GenerateError::Unsupported {
                    shape: op.id.clone(),
                    reason: format!("its input or output `{id}` is not a structure"),
                });
            }
        }
        let input_shape = input.map(|id| plan.structure(id));
        let output_shape = output.map(|id| plan.structure(id));
        let errors = self.operation_errors(plan, op);
        let has_token = input_shape.is_some_and(|s| s.members.iter().any(|m| m.idempotency_token));
        let stem = &names.stem;
        let deprecated_io = [input_shape, output_shape]
            .into_iter()
            .flatten()
            .any(|s| s.uses_deprecated);
        let docs = op
            .documentation()
            .map(docs::rustdoc_lines)
            .unwrap_or_default();
        let docs = if docs.is_empty() {
            docs::rustdoc_lines(&format!("{}.", humanize(op.id.name())))
        } else {
            docs
        };
        Ok(Operation {
            id: &op.id,
            name: op.id.name(),
            docs,
            deprecated: deprecation(&op.traits),
            uses_deprecated: op.has_trait(model::traits::DEPRECATED) || deprecated_io,
            method: ident(&names.method),
            request: ident(&names.request),
            error_enum: ident(&names.error_enum),
            fns: OperationFns {
                ser: ident(&format!("ser_{stem}_request")),
                de: ident(&format!("de_{stem}_response")),
                error: ident(&format!("de_{stem}_error")),
                read: ident(&format!("read_{stem}_output")),
                finish: ident(&format!("finish_{stem}_output")),
                serve: ident(&format!("serve_{stem}")),
                write: ident(&format!("write_{stem}_result")),
            },
            input,
            output,
            errors,
            http: HttpOperation::of(op).map(|http| self.without_bucket_label(http)),
            idempotent: op.has_trait(model::traits::READONLY)
                || op.has_trait(model::traits::IDEMPOTENT)
                || has_token,
            paginator: self.paginator(plan, op, input_shape, output_shape),
            auth: self.auth(op),
            optional_auth: op.has_trait(model::traits::OPTIONAL_AUTH),
            endpoint_params: self.endpoint_params(plan, op, input_shape)?,
            presignable: self.presignable(plan, op, input_shape, output_shape),
            host_prefix: self.host_prefix(op, input_shape),
            compression: op
                .trait_value(model::traits::REQUEST_COMPRESSION)
                .and_then(|v| v.get("encodings"))
                .and_then(Node::as_array)
                .map(|e| e.iter().filter_map(Node::as_str).collect())
                .unwrap_or_default(),
            checksum_required: op.has_trait(model::traits::HTTP_CHECKSUM_REQUIRED),
            unwrapped_output: op.has_trait(model::traits::S3_UNWRAPPED_XML_OUTPUT),
            tests: OperationTests {
                requests: self.cases(op, model::traits::HTTP_REQUEST_TESTS, Side::Client),
                responses: self.cases(op, model::traits::HTTP_RESPONSE_TESTS, Side::Client),
                event_streams: self.cases(op, model::traits::EVENT_STREAM_TESTS, Side::Client),
                server_requests: self.cases(op, model::traits::HTTP_REQUEST_TESTS, Side::Server),
                server_responses: self.cases(op, model::traits::HTTP_RESPONSE_TESTS, Side::Server),
                malformed: self.cases(
                    op,
                    model::traits::HTTP_MALFORMED_REQUEST_TESTS,
                    Side::Server,
                ),
                server_event_streams: self.cases(
                    op,
                    model::traits::EVENT_STREAM_TESTS,
                    Side::Server,
                ),
            },
        })
    }

    /// The operation's errors and the service's, sorted, each once.
    fn operation_errors(&self, plan: &Plan<'m>, op: &'m Shape) -> Vec<OperationError<'m>> {
        let mut ids: Vec<&'m ShapeId> = op
            .as_operation()
            .map(|o| o.errors.iter().collect())
            .unwrap_or_default();
        if let Some(service) = self.service.and_then(Shape::as_service) {
            ids.extend(&service.errors);
        }
        ids.sort();
        ids.dedup();
        ids.retain(|id| {
            matches!(
                plan.index.get(id).map(|i| &plan.types[*i]),
                Some(TypeDef::Structure(_))
            )
        });
        let mut variants = Namespace::new(&[names::UNHANDLED]);
        let idents = variants.claim_all(
            ids.iter()
                .map(|id| Claim::model(*id, names::camel(self.renamed(id)))),
        );
        let mut methods = Namespace::new(names::RESERVED_ERROR_METHODS);
        let is_fns = methods.claim_all(ids.iter().map(|id| {
            let snake = names::snake_of(&idents[*id]);
            Claim::derived(*id, format!("is_{snake}")).or(format!("is_{snake}_error"))
        }));
        ids.into_iter()
            .map(|id| OperationError {
                id,
                variant: ident(&idents[id]),
                is_fn: ident(&is_fns[id]),
            })
            .collect()
    }

    /// The compliance cases of a test trait that apply to `side` (a case
    /// without `appliesTo` applies to both) of the selected protocol.
    fn cases(&self, shape: &'m Shape, trait_id: &str, side: Side) -> Vec<&'m Node> {
        let Some(Node::Array(all)) = shape.trait_value(trait_id) else {
            return Vec::new();
        };
        all.iter()
            .filter(|c| {
                let protocol = self.protocol.map(ProtocolKind::trait_id);
                protocol.is_some() && c.get("protocol").and_then(Node::as_str) == protocol
            })
            .filter(|c| {
                let other = match side {
                    Side::Client => "server",
                    Side::Server => "client",
                };
                c.get("appliesTo").and_then(Node::as_str) != Some(other)
            })
            .collect()
    }

    /// A paginator for a `@paginated` operation whose input token takes
    /// what its output token holds (validation warns about the others).
    fn paginator(
        &self,
        plan: &Plan<'m>,
        op: &'m Shape,
        input: Option<&Structure<'m>>,
        output: Option<&Structure<'m>>,
    ) -> Option<Paginator<'m>> {
        let own = op.trait_value(model::traits::PAGINATED)?;
        let inherited = self.service_shape().trait_value(model::traits::PAGINATED);
        let get = |k: &str| {
            own.get(k)
                .or_else(|| inherited.and_then(|s| s.get(k)))
                .and_then(Node::as_str)
        };
        let (input, output) = (input?, output?);
        let token = input.member(get("inputToken")?)?;
        let path = get("outputToken")?;
        let (steps, last) = walk(plan, output, path)?;
        if !token.ty.same_rust_type(last) || !matches!(token.kind, MemberKind::Value { .. }) {
            return None;
        }
        let token_boxed = member_at(plan, output, path)
            .is_some_and(|m| matches!(m.kind, MemberKind::Value { boxed: true }));
        let items = get("items").and_then(|path| {
            let (fields, ty) = walk(plan, output, path)?;
            matches!(ty, Ty::List { .. } | Ty::Map { .. }).then(|| Items {
                path,
                fields,
                collection: ty.clone(),
            })
        });
        Some(Paginator {
            ident: ident(&self.operation_names[&op.id].paginator),
            input_token: token.setter.clone(),
            output_token: steps,
            token: token.ty.clone(),
            token_boxed,
            items,
        })
    }

    /// The auth schemes an operation accepts, in order: the operation's
    /// `@auth`, else the service's `@auth`, else every scheme the service
    /// declares (sorted by id). Schemes the runtime cannot sign (such as
    /// SigV4) stay, as `Unsupported`, so the call can refuse to go unsigned.
    fn auth(&self, op: &'m Shape) -> Vec<AuthScheme<'m>> {
        let declared: Vec<&'m ShapeId> = self
            .service_shape()
            .traits
            .keys()
            .filter(|k| {
                self.model
                    .shape(k)
                    .is_some_and(|t| t.has_trait(model::traits::AUTH_DEFINITION))
            })
            .collect();
        let listed = |shape: &'m Shape| -> Option<Vec<&'m str>> {
            shape
                .trait_value(model::traits::AUTH)
                .and_then(Node::as_array)
                .map(|items| items.iter().filter_map(Node::as_str).collect())
        };
        let mut order = listed(op)
            .or_else(|| listed(self.service_shape()))
            .unwrap_or_else(|| declared.iter().map(|id| id.as_str()).collect());
        order.retain(|id| declared.iter().any(|d| d.as_str() == *id));
        order
            .into_iter()
            .map(|id| {
                let value = self.service_shape().trait_value(id);
                let get = |k: &str| value.and_then(|v| v.get(k)).and_then(Node::as_str);
                match id {
                    model::traits::HTTP_BEARER_AUTH => AuthScheme::Bearer,
                    model::traits::HTTP_BASIC_AUTH => AuthScheme::Basic,
                    model::traits::HTTP_API_KEY_AUTH => AuthScheme::ApiKey {
                        name: get("name").unwrap_or("x-api-key"),
                        in_query: get("in") == Some("query"),
                        scheme: get("scheme"),
                    },
                    model::traits::SIGV4 => AuthScheme::SigV4 {
                        name: get("name").unwrap_or_default(),
                        unsigned_payload: op.has_trait(model::traits::UNSIGNED_PAYLOAD),
                    },
                    other => AuthScheme::Unsupported(other),
                }
            })
            .collect()
    }

    /// `@endpoint(hostPrefix)`, split into literal text and `{label}`s.
    fn host_prefix(
        &self,
        op: &'m Shape,
        input: Option<&Structure<'m>>,
    ) -> Option<Vec<HostSegment>> {
        let prefix = op
            .trait_value(model::traits::ENDPOINT)
            .and_then(|v| v.get("hostPrefix"))
            .and_then(Node::as_str)?;
        let mut segments = Vec::new();
        let mut rest = prefix;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else {
                break;
            };
            if open > 0 {
                segments.push(HostSegment::Literal(rest[..open].to_owned()));
            }
            let name = &rest[open + 1..open + close];
            let member = input.and_then(|i| i.member(name));
            let var = match member {
                Some(m) => format!("host_{}", names::plain(&m.field)),
                None => format!("host_{}", names::snake(name)),
            };
            segments.push(HostSegment::Label {
                name: name.to_owned(),
                var: ident(&var),
                field: member.map(|m| (m.field.clone(), m.optional)),
            });
            rest = &rest[open + close + 1..];
        }
        if !rest.is_empty() {
            segments.push(HostSegment::Literal(rest.to_owned()));
        }
        Some(segments)
    }
}

/// Follows a `.`-separated member path from `from`: each step's field and
/// optionality, and the last member's type.
/// The member at the end of a `.`-separated path from `from`.
fn member_at<'p, 'm>(
    plan: &'p Plan<'m>,
    from: &'p Structure<'m>,
    path: &str,
) -> Option<&'p Member<'m>> {
    let mut shape = from;
    let mut names = path.split('.').peekable();
    while let Some(name) = names.next() {
        let member = shape.member(name)?;
        if names.peek().is_none() {
            return Some(member);
        }
        let Ty::Structure(id) = &member.ty else {
            return None;
        };
        shape = plan.structure(id);
    }
    None
}

fn walk<'p, 'm>(
    plan: &'p Plan<'m>,
    from: &'p Structure<'m>,
    path: &str,
) -> Option<(Vec<(Ident, bool)>, &'p Ty<'m>)> {
    let mut shape = from;
    let mut steps = Vec::new();
    let mut last: Option<&Ty<'m>> = None;
    for (i, name) in path.split('.').enumerate() {
        if i > 0 {
            let Some(Ty::Structure(id)) = last else {
                return None;
            };
            shape = plan.structure(id);
        }
        let member = shape.member(name)?;
        steps.push((member.field.clone(), member.optional));
        last = Some(&member.ty);
    }
    Some((steps, last?))
}

/// What `@deprecated` says, as a `#[deprecated]` note. `since` goes into
/// the note: rustc and clippy want semver there, models use dates and text.
fn deprecation(traits: &model::Traits) -> Option<Deprecation> {
    let value = traits.get(model::traits::DEPRECATED)?;
    let message = value.value.get("message").and_then(Node::as_str);
    let since = value.value.get("since").and_then(Node::as_str);
    let note = match (message, since) {
        (Some(m), Some(s)) => Some(format!("{m} (deprecated since {s})")),
        (Some(m), None) => Some(m.to_owned()),
        (None, Some(s)) => Some(format!("Deprecated since {s}.")),
        (None, None) => None,
    };
    Some(Deprecation {
        note: note.map(|n| docs::one_line(&n)),
    })
}

/// `cityId` → `City id`, `FOO_BAR` → `Foo bar`.
pub fn humanize(name: &str) -> String {
    let words = names::snake_of(name).replace('_', " ");
    let mut chars = words.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Every shape the roots reach: through members, and from a service or
/// resource through its operations, resources and errors.
fn closure<'m>(
    model: &'m Model,
    roots: impl IntoIterator<Item = &'m ShapeId>,
) -> BTreeSet<&'m ShapeId> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<&'m ShapeId> = roots.into_iter().collect();
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        let Some(shape) = model.shape(id) else {
            continue;
        };
        for m in shape.members.values() {
            stack.push(&m.target);
        }
        match &shape.properties {
            Properties::Service(s) => {
                stack.extend(s.operations.iter().chain(&s.resources).chain(&s.errors));
            }
            Properties::Resource(r) => {
                stack.extend(r.identifiers.values().chain(r.properties.values()));
                stack.extend(r.bound());
            }
            Properties::Operation(o) => {
                stack.push(&o.input);
                stack.push(&o.output);
                stack.extend(o.errors.iter());
            }
            Properties::None => {}
        }
    }
    seen
}

/// Namespace → the path (checked to be a Rust path) of the crate or module
/// holding its types.
type Externs = BTreeMap<String, TokenStream>;

/// Parses the paths of [`ExternTypes`] at the edge.
fn parse_externs(externs: &ExternTypes) -> Result<Externs, GenerateError> {
    externs
        .iter()
        .map(|(namespace, path)| {
            syn::parse_str::<syn::Path>(path)
                .map(|parsed| {
                    (
                        namespace.clone(),
                        quote::ToTokens::into_token_stream(parsed),
                    )
                })
                .map_err(|e| GenerateError::ExternPath {
                    namespace: namespace.clone(),
                    path: path.clone(),
                    message: e.to_string(),
                })
        })
        .collect()
}

/// The shapes a types-only crate can start from: every structure, union
/// and enum of the model's own files, except operation inputs and outputs
/// (they belong to their service's crate).
fn library_candidates(model: &Model) -> Vec<&Shape> {
    let io: BTreeSet<&ShapeId> = model
        .shapes
        .values()
        .filter_map(|s| s.as_operation())
        .flat_map(|o| [&o.input, &o.output])
        .collect();
    model
        .user_shapes()
        .filter(|s| is_generated(s) && !io.contains(&s.id))
        .filter(|s| !s.has_trait(model::traits::INPUT) && !s.has_trait(model::traits::OUTPUT))
        .collect()
}

/// The shapes a types-only crate of `namespaces` starts from (see
/// [`library_candidates`]), sorted; an error when a namespace has none.
fn library_roots<'m>(
    model: &'m Model,
    namespaces: &[String],
) -> Result<Vec<&'m ShapeId>, GenerateError> {
    let candidates = library_candidates(model);
    let mut roots = Vec::new();
    for namespace in namespaces {
        let before = roots.len();
        roots.extend(
            candidates
                .iter()
                .filter(|s| s.id.namespace() == namespace)
                .map(|s| &s.id),
        );
        if roots.len() == before {
            return Err(GenerateError::NoTypes(namespace.clone()));
        }
    }
    roots.sort();
    Ok(roots)
}

/// Plans an `operationContextParams` path (a JMESPath subset, as the rules
/// engine spec allows): fields separated by `.`, at most one `[*]`
/// projection over a list, and `keys(...)` of a map, ending at a string,
/// boolean, string enum or list of strings.
fn context_path<'m>(
    plan: &Plan<'m>,
    input: &Structure<'m>,
    path: &str,
) -> Result<OperationParamValue<'m>, String> {
    let (keys, path) = match path.strip_prefix("keys(").and_then(|p| p.strip_suffix(')')) {
        Some(inner) => (true, inner),
        None => (false, path),
    };
    let mut structure = Some(input);
    let mut ty: Option<Ty<'m>> = None;
    let mut steps = Vec::new();
    let mut each: Option<Vec<FieldStep>> = None;
    for segment in path.split('.') {
        let (name, project) = match segment.strip_suffix("[*]") {
            Some(name) => (name, true),
            None => (segment, false),
        };
        let current =
            structure.ok_or_else(|| format!("`{name}` follows a value that is not a structure"))?;
        let member = current
            .member(name)
            .ok_or_else(|| format!("`{name}` is not a member of `{}`", current.id))?;
        let step = FieldStep {
            field: member.field.clone(),
            optional: member.optional,
        };
        match &mut each {
            Some(inner) => inner.push(step),
            None => steps.push(step),
        }
        let mut reached = member.ty.clone();
        if project {
            if each.is_some() {
                return Err("only one `[*]` projection is supported".to_owned());
            }
            let Ty::List {
                item,
                sparse: false,
                ..
            } = reached
            else {
                return Err(format!(
                    "`{name}[*]` projects a member that is not a dense list"
                ));
            };
            reached = *item;
            each = Some(Vec::new());
        }
        structure = match &reached {
            Ty::Structure(id) => Some(plan.structure(id)),
            _ => None,
        };
        ty = Some(reached);
    }
    let ty = ty.ok_or("the path is empty")?;
    let fits = match (&ty, keys) {
        (Ty::Map { key, .. }, true) => {
            each.is_none() && matches!(**key, Ty::String { .. } | Ty::Enum(_))
        }
        (_, true) => false,
        (Ty::String { .. } | Ty::Enum(_), false) => true,
        (Ty::Boolean, false) => each.is_none(),
        (
            Ty::List {
                item,
                sparse: false,
                ..
            },
            false,
        ) => each.is_none() && matches!(**item, Ty::String { .. } | Ty::Enum(_)),
        _ => false,
    };
    if !fits {
        return Err(
            "it must end at a string, boolean, enum, list of strings or a map's keys".to_owned(),
        );
    }
    let ty = match ty {
        Ty::Map { key, .. } if keys => *key,
        other => other,
    };
    Ok(OperationParamValue::Path {
        steps,
        each,
        keys,
        ty,
    })
}

/// The input structures whose builder is also their operation's request
/// builder (see [`Plan::request_of`]): each this crate generates, and the
/// input of that one operation only. Maps the input to the operation's
/// index.
fn request_inputs<'m>(plan: &Plan<'m>) -> HashMap<&'m ShapeId, usize> {
    let mut takers: HashMap<&'m ShapeId, Vec<usize>> = HashMap::new();
    for (i, op) in plan.operations.iter().enumerate() {
        if let Some(input) = op.input {
            takers.entry(input).or_default().push(i);
        }
    }
    takers
        .into_iter()
        .filter(|(id, ops)| ops.len() == 1 && plan.extern_path(id).is_none())
        .map(|(id, ops)| (id, ops[0]))
        .collect()
}

/// `@internal`: an enum member that is valid but not shown to users
/// (enum-violation messages leave it out). A member merely tagged
/// `internal` is shown, as the restJson1 suite's `EnumString` has it; in
/// the `@enum` trait, the tag is what marks a value internal.
fn is_internal(member: &model::Member) -> bool {
    member.has_trait(model::traits::INTERNAL)
}

/// True when a `tags` list holds `internal` (an `@enum` trait value's).
fn tagged_internal(tags: Option<&Node>) -> bool {
    tags.and_then(Node::as_array)
        .is_some_and(|tags| tags.iter().any(|t| t.as_str() == Some("internal")))
}
