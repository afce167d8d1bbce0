//! Turns parsed IDL statements into raw shapes, applies and metadata.
//!
//! This is where the IDL's sugar is expanded: documentation comments become
//! `@documentation`, `= value` becomes `@default` or `@enumValue`, inline
//! operation input/output become structures with `@input`/`@output`, and
//! 1.0 `set` shapes become lists with `@uniqueItems`. Rules that depend on
//! the file's `$version` are checked here, where the version is known.

use pest::iterators::Pair;

use super::grammar::Rule;
use super::strings;
use crate::diagnostics::{Code, Diagnostic};
use crate::loader::raw::{
    RawApply, RawFile, RawMember, RawNode, RawRef, RawShape, RawTrait, Version,
};
use crate::model::{NameMap, Number, ShapeId, ShapeType};
use crate::source::{FileId, Span};

pub(super) struct TreeBuilder<'a> {
    file: FileId,
    _text: &'a str,
    /// Byte offset of the statement being built (pest spans are relative to it).
    pub offset: usize,
    pub version: Version,
    pub namespace: Option<String>,
    pub input_suffix: String,
    pub output_suffix: String,
    out: RawFile,
}

fn inner<'a>(pair: Pair<'a, Rule>) -> impl Iterator<Item = Pair<'a, Rule>> {
    pair.into_inner()
        .filter(|p| p.as_rule() != Rule::doc_comment)
}

impl<'a> TreeBuilder<'a> {
    pub fn new(file: FileId, text: &'a str) -> Self {
        TreeBuilder {
            file,
            _text: text,
            offset: 0,
            version: Version::V1,
            namespace: None,
            input_suffix: "Input".into(),
            output_suffix: "Output".into(),
            out: RawFile::new(file, Version::V1),
        }
    }

    pub fn finish(mut self, version: Version) -> RawFile {
        self.out.version = version;
        self.out.namespace = self.namespace;
        for shape in &mut self.out.shapes {
            shape.version = version;
        }
        self.out
    }

    fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let s = pair.as_span();
        Span::new(self.file, self.offset + s.start()..self.offset + s.end())
    }

    /// The span of a pair without the whitespace the grammar lets it start with.
    fn trimmed_span(&self, pair: &Pair<'_, Rule>) -> Span {
        let text = pair.as_str();
        let skipped = text.len() - text.trim_start().len();
        let span = self.span(pair);
        Span {
            start: span.start + skipped as u32,
            ..span
        }
    }

    fn raw_ref(&self, pair: &Pair<'_, Rule>) -> RawRef {
        RawRef {
            text: pair.as_str().into(),
            span: self.span(pair),
        }
    }

    fn v2_only(&self, span: Span, what: &str, diags: &mut Vec<Diagnostic>) -> bool {
        if self.version == Version::V1 {
            diags.push(
                Diagnostic::error(
                    Code::Version,
                    span,
                    format!("{what} can only be used in Smithy IDL 2.0 or later"),
                )
                .with_label("not available in version 1.0")
                .with_note("add `$version: \"2.0\"` at the top of the file"),
            );
            return false;
        }
        true
    }

    // ------------------------------------------------------------ values

    pub fn string_value(
        &self,
        pair: &Pair<'_, Rule>,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<String> {
        let body = pair.clone().into_inner().next()?;
        let body_start = self.offset + body.as_span().start();
        let (result, what) = match pair.as_rule() {
            Rule::text_block => (strings::text_block(body.as_str()), "text block"),
            _ => (strings::unescape(body.as_str()), "string"),
        };
        result
            .map_err(|e| {
                let open = self.span(pair);
                let open = Span {
                    end: open.start + if what == "string" { 1 } else { 3 },
                    ..open
                };
                let mut d = Diagnostic::error(
                    Code::InvalidString,
                    open,
                    format!("invalid {what}: {}", e.message),
                )
                .with_label(format!("in this {what}"));
                if what == "string" {
                    // Offsets inside a quoted string map 1:1 to the source.
                    let at = body_start + e.offset;
                    d = d.with_secondary(Span::new(self.file, at..at + 2), "here");
                }
                diags.push(d);
            })
            .ok()
    }

    pub fn object_key(&self, pair: &Pair<'_, Rule>, diags: &mut Vec<Diagnostic>) -> String {
        match pair.as_rule() {
            Rule::quoted_text => self.string_value(pair, diags).unwrap_or_default(),
            _ => pair.as_str().to_owned(),
        }
    }

    fn node(&self, pair: Pair<'_, Rule>, diags: &mut Vec<Diagnostic>) -> RawNode {
        match pair.as_rule() {
            Rule::node_array => RawNode::Array(inner(pair).map(|p| self.node(p, diags)).collect()),
            Rule::node_object | Rule::trait_structure => RawNode::Object(self.object(pair, diags)),
            Rule::number => match Number::parse(pair.as_str()) {
                Some(n) => RawNode::Number(n),
                None => {
                    diags.push(Diagnostic::error(
                        Code::InvalidNumber,
                        self.span(&pair),
                        "number out of range",
                    ));
                    RawNode::Null
                }
            },
            Rule::node_keyword => match pair.as_str() {
                "true" => RawNode::Bool(true),
                "false" => RawNode::Bool(false),
                _ => RawNode::Null,
            },
            Rule::quoted_text | Rule::text_block => {
                // On a bad escape, keep the raw text so that later checks do
                // not pile more errors onto the one already reported.
                let raw = || {
                    pair.clone()
                        .into_inner()
                        .next()
                        .map_or("", |b| b.as_str())
                        .to_owned()
                };
                RawNode::String(self.string_value(&pair, diags).unwrap_or_else(raw))
            }
            Rule::shape_id => RawNode::ShapeId(self.raw_ref(&pair)),
            Rule::trait_node => inner(pair)
                .next()
                .map_or(RawNode::Null, |p| self.node(p, diags)),
            other => unreachable!("not a node value: {other:?}"),
        }
    }

    fn object(&self, pair: Pair<'_, Rule>, diags: &mut Vec<Diagnostic>) -> NameMap<RawNode> {
        self.object_with_spans(pair, diags)
            .into_iter()
            .map(|(k, (v, _))| (k, v))
            .collect()
    }

    /// An object's entries with the span of each `key: value` pair,
    /// reporting duplicate keys.
    fn object_with_spans(
        &self,
        pair: Pair<'_, Rule>,
        diags: &mut Vec<Diagnostic>,
    ) -> NameMap<(RawNode, Span)> {
        let mut map = NameMap::default();
        for kvp in inner(pair) {
            let kvp_span = self.span(&kvp);
            let mut parts = inner(kvp);
            let (Some(key), Some(value)) = (parts.next(), parts.next()) else {
                continue;
            };
            let key = self.object_key(&key, diags);
            let value = self.node(value, diags);
            if map.insert(key.clone(), (value, kvp_span)).is_some() {
                diags.push(
                    Diagnostic::error(Code::Syntax, kvp_span, format!("duplicate key `{key}`"))
                        .with_label("key already used in this object"),
                );
            }
        }
        map
    }

    // ------------------------------------------------------------ traits

    fn traits(&self, pair: Pair<'_, Rule>, diags: &mut Vec<Diagnostic>) -> Vec<RawTrait> {
        debug_assert_eq!(pair.as_rule(), Rule::trait_statements);
        inner(pair)
            .map(|t| self.trait_application(t, diags))
            .collect()
    }

    fn trait_application(&self, pair: Pair<'_, Rule>, diags: &mut Vec<Diagnostic>) -> RawTrait {
        let span = self.span(&pair);
        let mut parts = inner(pair);
        let id = self.raw_ref(&parts.next().expect("trait id"));
        let value = parts
            .next()
            .and_then(|body| inner(body).next())
            .map(|v| self.node(v, diags));
        RawTrait { id, value, span }
    }

    fn doc_trait(&self, docs: &[(String, Span)]) -> Option<RawTrait> {
        let first = docs.first()?;
        let last = docs.last()?;
        let text = docs
            .iter()
            .map(|(line, _)| line.strip_prefix(' ').unwrap_or(line))
            .collect::<Vec<_>>()
            .join("\n");
        let span = Span {
            end: last.1.end,
            ..first.1
        };
        Some(RawTrait {
            id: RawRef {
                text: "smithy.api#documentation".into(),
                span,
            },
            value: Some(RawNode::String(text)),
            span,
        })
    }

    fn implied_trait(&self, name: &str, value: RawNode, span: Span) -> RawTrait {
        RawTrait {
            id: RawRef {
                text: format!("smithy.api#{name}").into(),
                span,
            },
            value: Some(value),
            span,
        }
    }

    // -------------------------------------------------------- statements

    pub fn metadata(&mut self, pair: Pair<'_, Rule>, diags: &mut Vec<Diagnostic>) {
        let span = self.span(&pair);
        let mut parts = inner(pair);
        let key = self.object_key(&parts.next().expect("metadata key"), diags);
        let value = self.node(parts.next().expect("metadata value"), diags);
        self.out.metadata.push((key, value, span));
    }

    pub fn use_statement(&mut self, pair: Pair<'_, Rule>, diags: &mut Vec<Diagnostic>) {
        let id = self.raw_ref(&inner(pair).next().expect("use id"));
        match ShapeId::parse(&id.text) {
            Ok(parsed) if parsed.member().is_some() => diags.push(
                Diagnostic::error(
                    Code::UseConflict,
                    id.span,
                    "`use` statements cannot import members",
                )
                .with_label("remove the `$member` part"),
            ),
            Ok(_) => self.out.uses.push(id),
            Err(_) => diags.push(
                Diagnostic::error(
                    Code::Syntax,
                    id.span,
                    "`use` needs an absolute shape id (`namespace#Name`)",
                )
                .with_label("not absolute"),
            ),
        }
    }

    pub fn apply(&mut self, pair: Pair<'_, Rule>, diags: &mut Vec<Diagnostic>) {
        let span = self.span(&pair);
        let mut parts = inner(pair);
        let target = self.raw_ref(&parts.next().expect("apply target"));
        let body = parts.next().expect("apply body");
        let traits = match body.as_rule() {
            Rule::apply_block => inner(body)
                .next()
                .map(|t| self.traits(t, diags))
                .unwrap_or_default(),
            _ => vec![self.trait_application(body, diags)],
        };
        self.out.applies.push(RawApply {
            target,
            traits,
            span,
        });
    }

    fn shape_id(&self, name: &str) -> ShapeId {
        let ns = self.namespace.as_deref().unwrap_or("smithy.example");
        ShapeId::from_parts(ns, name)
            .unwrap_or_else(|_| ShapeId::parse("smithy.api#Unit").expect("prelude id is valid"))
    }

    pub fn shape_statement(
        &mut self,
        pair: Pair<'_, Rule>,
        docs: Vec<(String, Span)>,
        diags: &mut Vec<Diagnostic>,
    ) {
        let mut parts = inner(pair);
        let trait_pair = parts.next().expect("trait statements");
        let mut traits: Vec<RawTrait> = self.doc_trait(&docs).into_iter().collect();
        traits.extend(self.traits(trait_pair, diags));
        let shape = parts.next().expect("shape body");
        let mut parts = inner(shape);
        let type_pair = parts.next().expect("type name");
        let type_name = type_pair.as_str();
        let name_pair = parts.next().expect("shape name");
        let span = self.span(&name_pair);
        let id = self.shape_id(name_pair.as_str());
        if self.version == Version::V1 {
            for t in &traits {
                if matches!(&*t.id.text, "mixin" | "smithy.api#mixin") {
                    self.v2_only(t.span, "the @mixin trait", diags);
                }
            }
        }
        let ty = match type_name {
            "set" => {
                if self.version == Version::V2 {
                    diags.push(
                        Diagnostic::error(
                            Code::Version,
                            self.span(&type_pair),
                            "`set` shapes cannot be used in Smithy IDL 2.0",
                        )
                        .with_label("use a `list` with the @uniqueItems trait"),
                    );
                }
                traits.push(self.implied_trait(
                    "uniqueItems",
                    RawNode::Object(NameMap::default()),
                    span,
                ));
                ShapeType::List
            }
            "enum" | "intEnum" => {
                self.v2_only(
                    self.span(&type_pair),
                    &format!("`{type_name}` shapes"),
                    diags,
                );
                ShapeType::from_name(type_name).expect("grammar only admits known types")
            }
            _ => ShapeType::from_name(type_name).expect("grammar only admits known types"),
        };
        let mut raw = RawShape {
            id,
            ty,
            traits,
            members: Vec::new(),
            mixins: Vec::new(),
            for_resource: None,
            properties: Default::default(),
            version: self.version,
            span,
        };
        for part in parts {
            match part.as_rule() {
                Rule::mixins => raw.mixins = self.mixins(part, diags),
                Rule::for_resource => raw.for_resource = self.for_resource(part, diags),
                Rule::shape_members | Rule::enum_members => {
                    raw.members = self.members(part, ty, diags)
                }
                Rule::node_object => {
                    raw.properties.values = self.object_with_spans(part, diags);
                    if let (ShapeType::Resource, Some((_, span))) =
                        (ty, raw.properties.values.get("properties"))
                    {
                        self.v2_only(*span, "resource properties", diags);
                    }
                }
                Rule::operation_body => self.operation_body(part, &mut raw, diags),
                other => unreachable!("unexpected shape part {other:?}"),
            }
        }
        self.out.shapes.push(raw);
    }

    fn mixins(&self, pair: Pair<'_, Rule>, diags: &mut Vec<Diagnostic>) -> Vec<RawRef> {
        let span = self.trimmed_span(&pair);
        if !self.v2_only(span, "mixins", diags) {
            return Vec::new();
        }
        inner(pair).map(|p| self.raw_ref(&p)).collect()
    }

    fn for_resource(&self, pair: Pair<'_, Rule>, diags: &mut Vec<Diagnostic>) -> Option<RawRef> {
        let span = self.span(&pair);
        if !self.v2_only(span, "`for` resource bindings", diags) {
            return None;
        }
        inner(pair).next().map(|p| self.raw_ref(&p))
    }

    fn members(
        &self,
        pair: Pair<'_, Rule>,
        ty: ShapeType,
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<RawMember> {
        let mut docs: Vec<(String, Span)> = Vec::new();
        let mut members = Vec::new();
        for child in pair.into_inner() {
            if child.as_rule() == Rule::doc_comment {
                let text = child.clone().into_inner().next().map_or("", |t| t.as_str());
                docs.push((text.to_owned(), self.span(&child)));
                continue;
            }
            let member_docs = std::mem::take(&mut docs);
            members.push(self.member(child, ty, &member_docs, diags));
        }
        members
    }

    fn member(
        &self,
        pair: Pair<'_, Rule>,
        ty: ShapeType,
        docs: &[(String, Span)],
        diags: &mut Vec<Diagnostic>,
    ) -> RawMember {
        let mut parts = inner(pair);
        let mut traits: Vec<RawTrait> = self.doc_trait(docs).into_iter().collect();
        traits.extend(self.traits(parts.next().expect("member traits"), diags));
        let (name, target, name_span) = match parts.next() {
            Some(p) if p.as_rule() == Rule::identifier => {
                (p.as_str().to_owned(), None, self.span(&p))
            }
            Some(p) if p.as_rule() == Rule::explicit_member => {
                let mut ip = inner(p);
                let name = ip.next().expect("member name");
                let target = ip.next().expect("member target");
                (
                    name.as_str().to_owned(),
                    Some(self.raw_ref(&target)),
                    self.span(&name),
                )
            }
            Some(p) => {
                let name = inner(p.clone()).next().expect("elided name");
                self.v2_only(self.span(&p), "elided member targets (`$member`)", diags);
                (name.as_str().to_owned(), None, self.span(&name))
            }
            None => unreachable!("member has a name"),
        };
        if let Some(assignment) = parts.next() {
            let equals_span = self.trimmed_span(&assignment);
            let value_pair = inner(assignment).next().expect("assigned value");
            let assign_span = self.span(&value_pair);
            let value = self.node(value_pair, diags);
            let is_enum = matches!(ty, ShapeType::Enum | ShapeType::IntEnum);
            if is_enum || self.v2_only(equals_span, "default values (`= value`)", diags) {
                let name = if is_enum { "enumValue" } else { "default" };
                traits.push(self.implied_trait(name, value, assign_span));
            }
        }
        RawMember {
            name,
            target,
            traits,
            span: name_span,
        }
    }

    fn operation_body(
        &mut self,
        pair: Pair<'_, Rule>,
        raw: &mut RawShape,
        diags: &mut Vec<Diagnostic>,
    ) {
        for property in inner(pair) {
            let span = self.span(&property);
            let key = match property.as_rule() {
                Rule::operation_input => "input",
                Rule::operation_output => "output",
                _ => "errors",
            };
            let value = match property.as_rule() {
                Rule::operation_errors => RawNode::Array(
                    inner(property)
                        .map(|p| RawNode::ShapeId(self.raw_ref(&p)))
                        .collect(),
                ),
                _ => {
                    let target = inner(property.clone()).next().expect("input/output value");
                    if target.as_rule() == Rule::inline_structure {
                        match self.inline_structure(target, raw, key, diags) {
                            Some(r) => RawNode::ShapeId(r),
                            None => continue,
                        }
                    } else {
                        RawNode::ShapeId(self.raw_ref(&target))
                    }
                }
            };
            if raw.properties.values.contains_key(key) {
                diags.push(
                    Diagnostic::error(
                        Code::Syntax,
                        span.with_keyword(key),
                        format!("duplicate operation {key} for `{}`", raw.id),
                    )
                    .with_label(format!("{key} already defined")),
                );
                continue;
            }
            raw.properties.values.insert(key.to_owned(), (value, span));
        }
    }

    fn inline_structure(
        &mut self,
        pair: Pair<'_, Rule>,
        op: &RawShape,
        key: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<RawRef> {
        let span = self.trimmed_span(&pair);
        if !self.v2_only(span, "inline operation input and output (`:=`)", diags) {
            return None;
        }
        let suffix = if key == "input" {
            &self.input_suffix
        } else {
            &self.output_suffix
        };
        let id = self.shape_id(&format!("{}{suffix}", op.id.name()));
        let mut docs = Vec::new();
        let mut shape = RawShape {
            id: id.clone(),
            ty: ShapeType::Structure,
            traits: Vec::new(),
            members: Vec::new(),
            mixins: Vec::new(),
            for_resource: None,
            properties: Default::default(),
            version: self.version,
            span,
        };
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::doc_comment => {
                    let text = part.clone().into_inner().next().map_or("", |t| t.as_str());
                    docs.push((text.to_owned(), self.span(&part)));
                }
                Rule::trait_statements => {
                    shape.traits.extend(self.doc_trait(&docs));
                    shape.traits.extend(self.traits(part, diags));
                }
                Rule::for_resource => shape.for_resource = self.for_resource(part, diags),
                Rule::mixins => shape.mixins = self.mixins(part, diags),
                Rule::shape_members => {
                    shape.members = self.members(part, ShapeType::Structure, diags)
                }
                _ => {}
            }
        }
        shape
            .traits
            .push(self.implied_trait(key, RawNode::Object(NameMap::default()), span));
        self.out.shapes.push(shape);
        Some(RawRef {
            text: id.as_str().into(),
            span,
        })
    }
}

trait KeywordSpan {
    fn with_keyword(self, keyword: &str) -> Self;
}

impl KeywordSpan for Span {
    fn with_keyword(self, keyword: &str) -> Span {
        Span {
            end: (self.start + keyword.len() as u32).min(self.end),
            ..self
        }
    }
}
