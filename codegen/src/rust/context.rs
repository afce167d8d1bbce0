//! The Rust-facing view of a model: which shapes a service needs, what each
//! becomes in Rust (names, types, optionality, boxing, defaults).
//!
//! Every naming and typing decision is made here, once, so the emitters
//! (`types`, and later `error`, `client`, protocols) agree by construction.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use super::GenerateError;
use super::names;
use crate::model::{Member, Model, Node, Number, Shape, ShapeId, ShapeType};

/// Shapes the generator gives a Rust type of their own.
pub fn is_generated_type(shape: &Shape) -> bool {
    match shape.ty {
        ShapeType::Structure | ShapeType::Union | ShapeType::Enum | ShapeType::IntEnum => {
            shape.id.as_str() != "smithy.api#Unit"
        }
        ShapeType::String => shape.has_trait("smithy.api#enum"),
        _ => false,
    }
}

/// Generation context for one service.
pub struct Context<'m> {
    /// The model.
    pub model: &'m Model,
    /// The service being generated.
    pub service: &'m Shape,
    /// Shapes reachable from the service, sorted by id.
    pub closure: BTreeSet<ShapeId>,
    /// Rust type names of generated shapes.
    type_names: HashMap<ShapeId, Ident>,
    /// Members whose target must be boxed to break a recursive cycle.
    boxed: BTreeSet<ShapeId>,
    /// True while emitting the `types` module itself, where generated types
    /// are referred to by their bare names.
    in_types_module: std::cell::Cell<bool>,
}

impl<'m> Context<'m> {
    /// Builds the context for `service`, naming every generated type.
    pub fn new(model: &'m Model, service: &'m Shape) -> Result<Self, GenerateError> {
        let closure = closure(model, service);
        let renames = service
            .as_service()
            .map(|s| s.rename.clone())
            .unwrap_or_default();
        let mut type_names = HashMap::new();
        let mut taken: BTreeMap<String, ShapeId> = BTreeMap::new();
        for id in &closure {
            let Some(shape) = model.shape(id) else {
                continue;
            };
            if !is_generated_type(shape) {
                continue;
            }
            let name = renames.get(id).map(String::as_str).unwrap_or(id.name());
            let ident = names::type_name(name);
            if let Some(other) = taken.insert(ident.to_string(), id.clone()) {
                return Err(GenerateError::NameConflict {
                    name: ident.to_string(),
                    first: other,
                    second: id.clone(),
                });
            }
            type_names.insert(id.clone(), ident);
        }
        let mut cx = Context {
            model,
            service,
            closure,
            type_names,
            boxed: BTreeSet::new(),
            in_types_module: std::cell::Cell::new(false),
        };
        cx.boxed = cx.recursive_members();
        Ok(cx)
    }

    /// The service's operations (including those of its resources), sorted by id.
    pub fn operations(&self) -> Vec<&'m Shape> {
        self.closure
            .iter()
            .filter_map(|id| self.model.shape(id))
            .filter(|s| s.ty == ShapeType::Operation)
            .collect()
    }

    /// The service's traits whose definitions carry `definition` (e.g.
    /// `smithy.api#protocolDefinition`, `smithy.api#authDefinition`), as ids.
    pub fn service_traits_defined_by(&self, definition: &str) -> Vec<String> {
        self.service
            .traits
            .keys()
            .filter(|k| self.model.shape(k).is_some_and(|t| t.has_trait(definition)))
            .map(ToString::to_string)
            .collect()
    }

    /// Runs `f` with generated types named as seen from inside `types`.
    pub fn within_types_module<T>(&self, f: impl FnOnce() -> T) -> T {
        let before = self.in_types_module.replace(true);
        let out = f();
        self.in_types_module.set(before);
        out
    }

    /// The shapes to emit as Rust types, sorted by id.
    pub fn generated_shapes(&self) -> impl Iterator<Item = &'m Shape> + '_ {
        self.closure
            .iter()
            .filter_map(|id| self.model.shape(id))
            .filter(|s| is_generated_type(s))
    }

    /// The Rust name of a generated shape.
    pub fn type_ident(&self, id: &ShapeId) -> Ident {
        self.type_names
            .get(id)
            .cloned()
            .unwrap_or_else(|| names::type_name(id.name()))
    }

    /// The Rust type for a shape, as used in a field (without `Option`).
    pub fn rust_type(&self, id: &ShapeId) -> TokenStream {
        let Some(shape) = self.model.shape(id) else {
            return quote!(());
        };
        if is_generated_type(shape) {
            let ident = self.type_ident(id);
            return if self.in_types_module.get() {
                quote!(#ident)
            } else {
                quote!(super::types::#ident)
            };
        }
        match shape.ty {
            ShapeType::Blob => quote!(tinsmith_runtime::Blob),
            ShapeType::Boolean => quote!(bool),
            ShapeType::Document => quote!(tinsmith_runtime::Document),
            ShapeType::String => quote!(String),
            ShapeType::Byte => quote!(i8),
            ShapeType::Short => quote!(i16),
            ShapeType::Integer => quote!(i32),
            ShapeType::Long => quote!(i64),
            ShapeType::Float => quote!(f32),
            ShapeType::Double => quote!(f64),
            ShapeType::BigInteger => quote!(tinsmith_runtime::BigInteger),
            ShapeType::BigDecimal => quote!(tinsmith_runtime::BigDecimal),
            ShapeType::Timestamp => quote!(tinsmith_runtime::DateTime),
            ShapeType::List => {
                let member = &shape.members["member"];
                let item = self.rust_type(&member.target);
                if shape.has_trait("smithy.api#sparse") {
                    quote!(Vec<Option<#item>>)
                } else {
                    quote!(Vec<#item>)
                }
            }
            ShapeType::Map => {
                let key = self.rust_type(&shape.members["key"].target);
                let value = self.rust_type(&shape.members["value"].target);
                if shape.has_trait("smithy.api#sparse") {
                    quote!(std::collections::HashMap<#key, Option<#value>>)
                } else {
                    quote!(std::collections::HashMap<#key, #value>)
                }
            }
            _ => quote!(()),
        }
    }

    /// True when the member is a `@streaming` blob: a `ByteStream` field,
    /// never optional (an unset body is empty), bound to the HTTP payload.
    pub fn is_streaming_blob(&self, member: &Member) -> bool {
        self.model
            .shape(&member.target)
            .is_some_and(|t| t.ty == ShapeType::Blob && t.has_trait("smithy.api#streaming"))
    }

    /// The structure's `@streaming` blob member, if it has one (only
    /// operation inputs and outputs do).
    pub fn streaming_blob<'s>(&self, shape: &'s Shape) -> Option<&'s Member> {
        shape.members.values().find(|m| self.is_streaming_blob(m))
    }

    /// The `@streaming` union a member targets, when it is an event stream.
    pub fn event_stream(&self, member: &Member) -> Option<&'m Shape> {
        self.model
            .shape(&member.target)
            .filter(|t| t.ty == ShapeType::Union && t.has_trait("smithy.api#streaming"))
    }

    /// True for a streaming member: a streaming blob or an event stream.
    /// Such members are never optional and make their structure neither
    /// `Clone` nor `PartialEq`.
    pub fn is_streaming(&self, member: &Member) -> bool {
        self.is_streaming_blob(member) || self.event_stream(member).is_some()
    }

    /// The structure's streaming member (blob or event stream), if any.
    pub fn streaming_member<'s>(&self, shape: &'s Shape) -> Option<&'s Member> {
        shape.members.values().find(|m| self.is_streaming(m))
    }

    /// True when the event stream member is one the client receives (it
    /// belongs to an operation output).
    pub fn receives_events(&self, member: &Member) -> bool {
        matches!(self.io_owner(&member.id.root()), Some((_, false)))
    }

    /// The events of a streaming union (its members that are not errors).
    pub fn stream_events<'s>(&self, union: &'s Shape) -> Vec<&'s Member> {
        union
            .members
            .values()
            .filter(|m| !self.is_error_member(m))
            .collect()
    }

    /// The modeled errors of a streaming union (members targeting `@error`
    /// structures).
    pub fn stream_errors<'s>(&self, union: &'s Shape) -> Vec<&'s Member> {
        union
            .members
            .values()
            .filter(|m| self.is_error_member(m))
            .collect()
    }

    fn is_error_member(&self, member: &Member) -> bool {
        self.model
            .shape(&member.target)
            .is_some_and(|t| t.has_trait("smithy.api#error"))
    }

    /// The name of a streaming union's error enum (in `error`):
    /// `<Union>Error`, or `<Union>EventError` when an operation's error
    /// enum already has that name.
    pub fn stream_error_ident(&self, union: &ShapeId) -> Ident {
        let base = self.type_ident(union).to_string();
        let base = base.trim_start_matches("r#");
        let plain = format_ident!("{base}Error");
        let taken = self
            .operations()
            .iter()
            .any(|op| super::errors::error_ident(&op.id) == plain);
        if taken {
            format_ident!("{base}EventError")
        } else {
            plain
        }
    }

    /// The Rust type of a stream's error enum, as seen from any module.
    pub fn stream_error_type(&self, union: &ShapeId) -> TokenStream {
        let ident = self.stream_error_ident(union);
        quote!(super::error::#ident)
    }

    /// The streaming unions of the service's operations: those the client
    /// receives (in outputs) when `received`, else those it sends.
    pub fn event_stream_unions(&self, received: bool) -> Vec<&'m Shape> {
        let mut unions: Vec<&'m Shape> = self
            .operations()
            .iter()
            .filter_map(|op| op.as_operation())
            .filter_map(|op| {
                self.model
                    .shape(if received { &op.output } else { &op.input })
            })
            .flat_map(|io| io.members.values())
            .filter_map(|m| self.event_stream(m))
            .collect();
        unions.sort_by(|a, b| a.id.cmp(&b.id));
        unions.dedup_by(|a, b| a.id == b.id);
        unions
    }

    /// True when the service promises (and expects) an end-of-stream
    /// marker on every event stream (`tinsmith.api#endOfStream`).
    pub fn end_of_stream(&self) -> bool {
        self.service.has_trait("tinsmith.api#endOfStream")
    }

    /// The field type of a member, boxed where recursion requires it.
    pub fn member_type(&self, member: &Member) -> TokenStream {
        if self.is_streaming_blob(member) {
            return quote!(tinsmith_runtime::ByteStream);
        }
        if let Some(union) = self.event_stream(member) {
            let event = self.rust_type(&union.id);
            return if self.receives_events(member) {
                let error = self.stream_error_type(&union.id);
                quote!(tinsmith_runtime::eventstream::EventStream<#event, #error>)
            } else {
                quote!(tinsmith_runtime::eventstream::EventInput<#event>)
            };
        }
        let ty = self.rust_type(&member.target);
        if self.boxed.contains(&member.id) {
            quote!(Box<#ty>)
        } else {
            ty
        }
    }

    /// True when the member's target is boxed to break recursion.
    pub fn boxed_member(&self, member: &Member) -> bool {
        self.boxed.contains(&member.id)
    }

    /// True when the member's field is `Option<T>`.
    ///
    /// Clients are not authoritative about required members: members of
    /// `@input` structures and `@clientOptional` members are always optional.
    /// Otherwise `@required` and `@default` members are plain values.
    /// Streaming members are never optional: unset, they are empty.
    pub fn is_optional(&self, parent: &Shape, member: &Member) -> bool {
        if self.is_streaming(member) {
            return false;
        }
        let has = |t: &str| member.traits.keys().any(|k| k.as_str() == t);
        if parent.has_trait("smithy.api#input") || has("smithy.api#clientOptional") {
            return true;
        }
        !(has("smithy.api#required") || self.default_value(member).is_some())
    }

    /// The member's `@default` value, unless it is `null`.
    pub fn default_value(&self, member: &'m Member) -> Option<&'m Node> {
        member
            .traits
            .iter()
            .find(|(k, _)| k.as_str() == "smithy.api#default")
            .map(|(_, t)| &t.value)
            .filter(|v| !matches!(v, Node::Null))
    }

    /// True when the default is a literal (cheap to evaluate eagerly).
    pub fn default_is_literal(&self, member: &Member) -> bool {
        let scalar_document = || {
            self.default_value(member).is_some_and(|v| {
                matches!(v, Node::Null | Node::Bool(_))
                    || matches!(v, Node::Number(n) if n.as_i64().is_some() && !n.is_float())
            })
        };
        !self.boxed.contains(&member.id)
            && self
                .model
                .shape(&member.target)
                .is_some_and(|t| match t.ty {
                    ShapeType::Boolean
                    | ShapeType::Byte
                    | ShapeType::Short
                    | ShapeType::Integer
                    | ShapeType::Long
                    | ShapeType::Float
                    | ShapeType::Double => true,
                    ShapeType::Document => scalar_document(),
                    _ => false,
                })
    }

    /// A Rust expression for a default value of the member's target type.
    pub fn default_expr(&self, member: &Member, value: &Node) -> TokenStream {
        let Some(target) = self.model.shape(&member.target) else {
            return quote!(Default::default());
        };
        let expr = self.value_expr(target, value);
        if self.boxed.contains(&member.id) {
            quote!(Box::new(#expr))
        } else {
            expr
        }
    }

    fn value_expr(&self, target: &Shape, value: &Node) -> TokenStream {
        use ShapeType as T;
        let int = |n: Option<&Number>| n.and_then(Number::as_i64).unwrap_or(0);
        let float = |n: Option<&Number>| n.map(Number::as_f64).unwrap_or(0.0);
        match target.ty {
            _ if is_generated_type(target) && matches!(target.ty, T::String | T::Enum) => {
                let ty = self.rust_type(&target.id);
                let s = value.as_str().unwrap_or_default();
                quote!(#ty::from(#s))
            }
            T::IntEnum => {
                let ty = self.rust_type(&target.id);
                let v = Literal::i64_unsuffixed(int(value.as_number()));
                quote!(#ty::from(#v))
            }
            T::Boolean => {
                let b = value.as_bool().unwrap_or(false);
                quote!(#b)
            }
            T::String => {
                let s = value.as_str().unwrap_or_default();
                quote!(String::from(#s))
            }
            T::Byte | T::Short | T::Integer | T::Long => {
                let v = Literal::i64_unsuffixed(int(value.as_number()));
                quote!(#v)
            }
            T::Float | T::Double => {
                let v = Literal::f64_unsuffixed(float(value.as_number()));
                quote!(#v)
            }
            T::Timestamp => match value.as_number() {
                Some(n) if n.is_float() => {
                    let v = n.as_f64();
                    quote!(tinsmith_runtime::DateTime::from_secs_f64(#v))
                }
                _ => {
                    let v = Literal::i64_unsuffixed(int(value.as_number()));
                    quote!(tinsmith_runtime::DateTime::from_secs(#v))
                }
            },
            T::BigInteger | T::BigDecimal => {
                let ty = self.rust_type(&target.id);
                let v = Literal::i64_unsuffixed(int(value.as_number()));
                quote!(#ty::from(#v))
            }
            T::Document => document_expr(value),
            T::Blob => {
                // Blob defaults are base64 in the model.
                use base64::Engine as _;
                let text = value.as_str().unwrap_or_default();
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(text)
                    .unwrap_or_else(|_| text.as_bytes().to_vec());
                let bytes = Literal::byte_string(&bytes);
                quote!(tinsmith_runtime::Blob::from(&#bytes[..]))
            }
            _ => quote!(Default::default()),
        }
    }

    /// Members that must be boxed: a structure or union member whose target
    /// can reach the member's own shape through structure and union members
    /// only (lists and maps already allocate).
    fn recursive_members(&self) -> BTreeSet<ShapeId> {
        let mut boxed = BTreeSet::new();
        for shape in self.generated_shapes() {
            if !matches!(shape.ty, ShapeType::Structure | ShapeType::Union) {
                continue;
            }
            for member in shape.members.values() {
                if self.reaches_directly(&member.target, &shape.id, &boxed) {
                    boxed.insert(member.id.clone());
                }
            }
        }
        boxed
    }

    fn reaches_directly(&self, from: &ShapeId, to: &ShapeId, boxed: &BTreeSet<ShapeId>) -> bool {
        let mut stack = vec![from.clone()];
        let mut seen = BTreeSet::new();
        while let Some(id) = stack.pop() {
            if &id == to {
                return true;
            }
            if !seen.insert(id.clone()) {
                continue;
            }
            let Some(shape) = self.model.shape(&id) else {
                continue;
            };
            if matches!(shape.ty, ShapeType::Structure | ShapeType::Union) {
                for m in shape.members.values() {
                    if !boxed.contains(&m.id) {
                        stack.push(m.target.clone());
                    }
                }
            }
        }
        false
    }

    /// The documentation of a shape or member.
    pub fn docs<'a>(&self, traits: &'a crate::model::Traits) -> Option<&'a str> {
        crate::model::trait_value(traits, "smithy.api#documentation").and_then(Node::as_str)
    }

    /// Doc attributes for a shape, with a plain fallback when the model has none.
    pub fn shape_docs(&self, shape: &Shape) -> TokenStream {
        if let Some(text) = self.docs(&shape.traits) {
            return super::docs::doc_attrs(Some(text));
        }
        let fallback = match self.io_owner(&shape.id) {
            Some((op, true)) => format!("Input of the `{}` operation.", op.name()),
            Some((op, false)) => format!("Output of the `{}` operation.", op.name()),
            None if shape.has_trait("smithy.api#error") => {
                format!("The `{}` error.", shape.id.name())
            }
            None => format!("{}.", humanize(shape.id.name())),
        };
        super::docs::doc_attrs(Some(&fallback))
    }

    /// Doc attributes for a member, with a plain fallback when the model has none.
    pub fn member_docs(&self, member: &Member) -> TokenStream {
        let fallback;
        let text = match self.docs(&member.traits) {
            Some(t) => t,
            None => {
                fallback = format!("The {}.", humanize(member.name()).to_lowercase());
                &fallback
            }
        };
        super::docs::doc_attrs(Some(text))
    }

    /// The operation a structure is the input (`true`) or output of.
    pub fn io_owner(&self, id: &ShapeId) -> Option<(&'m ShapeId, bool)> {
        self.closure
            .iter()
            .filter_map(|op| self.model.shape(op))
            .find_map(|s| {
                let op = s.as_operation()?;
                if &op.input == id {
                    Some((&s.id, true))
                } else if &op.output == id {
                    Some((&s.id, false))
                } else {
                    None
                }
            })
    }

    /// `#[deprecated]` for a shape or member with `@deprecated`.
    pub fn deprecated(&self, traits: &crate::model::Traits) -> TokenStream {
        let Some(value) = crate::model::trait_value(traits, "smithy.api#deprecated") else {
            return TokenStream::new();
        };
        let message = value.get("message").and_then(Node::as_str);
        let since = value.get("since").and_then(Node::as_str);
        // `since` goes into the note: rustc and clippy want semver there,
        // models use dates and free text.
        let note = match (message, since) {
            (Some(m), Some(s)) => Some(format!("{m} (deprecated since {s})")),
            (Some(m), None) => Some(m.to_owned()),
            (None, Some(s)) => Some(format!("Deprecated since {s}.")),
            (None, None) => None,
        };
        match note {
            Some(note) => quote!(#[deprecated(note = #note)]),
            None => quote!(#[deprecated]),
        }
    }

    /// `#[allow(deprecated)]` for impls of a shape that has or uses
    /// something deprecated (generated code must not warn).
    pub fn allow_deprecated(&self, shape: &Shape) -> TokenStream {
        let deprecated = |traits: &crate::model::Traits| {
            traits.keys().any(|k| k.as_str() == "smithy.api#deprecated")
        };
        let uses_deprecated = deprecated(&shape.traits)
            || shape.members.values().any(|m| {
                deprecated(&m.traits)
                    || self
                        .model
                        .shape(&m.target)
                        .is_some_and(|t| deprecated(&t.traits))
            });
        if uses_deprecated {
            quote!(#[allow(deprecated)])
        } else {
            TokenStream::new()
        }
    }

    /// True when values of this member (or its target) must not be printed.
    pub fn is_sensitive(&self, member: &Member) -> bool {
        member
            .traits
            .keys()
            .any(|k| k.as_str() == "smithy.api#sensitive")
            || self
                .model
                .shape(&member.target)
                .is_some_and(|t| t.has_trait("smithy.api#sensitive"))
    }

    /// An identifier for a builder type.
    pub fn builder_ident(&self, id: &ShapeId) -> Ident {
        format_ident!("{}Builder", self.type_ident(id))
    }
}

/// `cityId` → `City id`, `FOO_BAR` → `Foo bar`.
pub fn humanize(name: &str) -> String {
    use heck::ToSnakeCase;
    let words = name.to_snake_case().replace('_', " ");
    let mut chars = words.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A Rust expression building a `tinsmith_runtime::Document` from a node value.
pub fn document_expr(value: &Node) -> TokenStream {
    match value {
        Node::Null => quote!(tinsmith_runtime::Document::Null),
        Node::Bool(b) => quote!(tinsmith_runtime::Document::Bool(#b)),
        Node::Number(n) => match n.as_i64() {
            Some(i) if !n.is_float() => quote!(tinsmith_runtime::Document::from(#i)),
            _ => {
                let f = n.as_f64();
                quote!(tinsmith_runtime::Document::from(#f))
            }
        },
        Node::String(s) => quote!(tinsmith_runtime::Document::from(#s)),
        Node::Array(items) => {
            let items = items.iter().map(document_expr);
            quote!(tinsmith_runtime::Document::Array(vec![#(#items),*]))
        }
        Node::Object(entries) => {
            let keys = entries.keys();
            let values = entries.values().map(document_expr);
            quote!(tinsmith_runtime::Document::Object([#((String::from(#keys), #values)),*].into_iter().collect()))
        }
    }
}

/// Every shape the service's operations, resources and errors reach.
pub fn closure(model: &Model, service: &Shape) -> BTreeSet<ShapeId> {
    let mut seen = BTreeSet::new();
    let mut stack = vec![service.id.clone()];
    while let Some(id) = stack.pop() {
        if !seen.insert(id.clone()) {
            continue;
        }
        let Some(shape) = model.shape(&id) else {
            continue;
        };
        for m in shape.members.values() {
            stack.push(m.target.clone());
        }
        match &shape.properties {
            crate::model::Properties::Service(s) => {
                stack.extend(
                    s.operations
                        .iter()
                        .chain(&s.resources)
                        .chain(&s.errors)
                        .cloned(),
                );
            }
            crate::model::Properties::Resource(r) => {
                stack.extend(r.identifiers.values().chain(r.properties.values()).cloned());
                stack.extend(
                    [&r.create, &r.put, &r.read, &r.update, &r.delete, &r.list]
                        .into_iter()
                        .flatten()
                        .cloned(),
                );
                stack.extend(
                    r.operations
                        .iter()
                        .chain(&r.collection_operations)
                        .chain(&r.resources)
                        .cloned(),
                );
            }
            crate::model::Properties::Operation(o) => {
                stack.push(o.input.clone());
                stack.push(o.output.clone());
                stack.extend(o.errors.iter().cloned());
                if let Some(s) = service.as_service() {
                    stack.extend(s.errors.iter().cloned());
                }
            }
            crate::model::Properties::None => {}
        }
    }
    seen
}
