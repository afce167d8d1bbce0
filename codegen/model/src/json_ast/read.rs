//! Reads one JSON AST file into a [`RawFile`].
//!
//! serde_json tokenizes the JSON into the parts of each shape
//! ([`stream`](super::stream)); this module checks the AST's layout (types, member layout, `{"target": ...}`
//! references) and reports each problem with the location of the shape it
//! concerns. JSON gives no positions, so
//! [`spans`](super::spans) finds them in one pass over the text.

use crate::diagnostics::{Code, Diagnostic};
use crate::loader::builtin::Namespaces;
use crate::loader::raw::{
    RawApply, RawFile, RawMember, RawNode, RawRef, RawShape, RawTrait, Version,
};
use crate::model::traits;
use crate::model::{NameMap, Node, ShapeId, ShapeType};
use crate::source::{FileId, Span};

use super::node::JsonNode;
use super::spans::{self, ShapeSpans, SpanIndex};
use super::stream::{self, Document, MemberDef, NotAnObject, ShapeValue};

/// Files smaller than this are indexed for positions on the calling
/// thread; larger ones on a second thread, while the first parses.
const INDEX_ON_A_THREAD: usize = 64 * 1024;

/// Parses a JSON AST file. Problems are pushed to `diags`.
pub fn read(file: FileId, text: &str, diags: &mut Vec<Diagnostic>) -> RawFile {
    let mut out = RawFile::new(file, Version::V2);
    let whole = Span::new(file, 0..text.len().min(1));
    // Positions are found by a pass of their own over the text, which
    // needs nothing from the parse: on a large file the two run at once.
    let (parsed, spans) = if text.len() < INDEX_ON_A_THREAD {
        (stream::parse(text, file), spans::index(text))
    } else {
        std::thread::scope(|scope| {
            let spans = std::thread::Builder::new().spawn_scoped(scope, || spans::index(text));
            let parsed = stream::parse(text, file);
            let spans = match spans {
                Ok(spans) => spans.join().unwrap_or_else(|_| SpanIndex {
                    // The index never panics; were it to, the file would
                    // lose its positions, and be read the careful way.
                    repeated_shape: true,
                    names: Namespaces::ALL,
                    ..SpanIndex::default()
                }),
                // No thread to be had: index here.
                Err(_) => spans::index(text),
            };
            (parsed, spans)
        })
    };
    out.names = spans.names;
    let document = match parsed {
        // A key repeated where the streamed form would keep both values:
        // read through nodes, which keep the last, as serde_json does.
        Ok(Ok(document)) if document.repeated || spans.repeated_shape => {
            JsonNode::parse(text).map(|root| Document::from_node(root, file))
        }
        other => other,
    };
    let root = match document {
        Ok(Ok(root)) => root,
        Ok(Err(NotAnObject)) => {
            diags.push(Diagnostic::error(
                Code::Json,
                whole,
                "a JSON AST must be an object",
            ));
            return out;
        }
        Err(e) => {
            let offset = line_col_offset(text, e.line(), e.column());
            diags.push(
                Diagnostic::error(
                    Code::Json,
                    Span::new(file, offset..offset + 1),
                    format!("invalid JSON: {e}"),
                )
                .with_label("here"),
            );
            return out;
        }
    };
    let reader = Reader { file, spans };
    match root.version.as_ref().and_then(Node::as_str) {
        Some("1" | "1.0") => out.version = Version::V1,
        Some("2" | "2.0") => out.version = Version::V2,
        Some(other) => diags.push(Diagnostic::error(
            Code::Version,
            reader.span(reader.spans.version.clone()),
            format!("unsupported Smithy version `{other}`"),
        )),
        None => diags.push(Diagnostic::error(
            Code::Json,
            whole,
            "a JSON AST needs a string `\"smithy\"` version",
        )),
    }
    if let Some(metadata) = root.metadata {
        match metadata {
            Node::Object(m) => {
                for (k, v) in m {
                    let span = reader.span(reader.spans.metadata.get(k.as_str()).cloned());
                    out.metadata.push((k, RawNode::Resolved(v), span));
                }
            }
            _ => diags.push(Diagnostic::error(
                Code::Json,
                whole,
                "`metadata` must be an object",
            )),
        }
    }
    match root.shapes {
        None => {}
        Some(Ok(shapes)) => {
            for (id_text, def) in shapes {
                reader.shape(id_text, def, &mut out, diags);
            }
        }
        Some(Err(())) => diags.push(Diagnostic::error(
            Code::Json,
            whole,
            "`shapes` must be an object",
        )),
    }
    let version = out.version;
    for shape in &mut out.shapes {
        shape.version = version;
    }
    out
}

fn line_col_offset(text: &str, line: usize, col: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (start + col.saturating_sub(1)).min(text.len())
}

struct Reader<'t> {
    file: FileId,
    spans: SpanIndex<'t>,
}

impl Reader<'_> {
    /// A span of this file; the file's start when the position is unknown.
    fn span(&self, range: Option<std::ops::Range<usize>>) -> Span {
        Span::new(self.file, range.unwrap_or(0..0))
    }

    fn shape(
        &self,
        id_text: String,
        def: ShapeValue,
        out: &mut RawFile,
        diags: &mut Vec<Diagnostic>,
    ) {
        let spans = self.spans.shapes.get(id_text.as_str());
        let span = self.span(spans.map(|s| s.key.clone()));
        let err = |message: String| {
            Diagnostic::error(Code::Json, span, message).with_label("in this shape")
        };
        let ShapeValue::Def(def) = def else {
            diags.push(err(format!("shape `{id_text}` must be a JSON object")));
            return;
        };
        let id = match ShapeId::parse(&id_text) {
            Ok(id) => id,
            Err(e) => {
                diags.push(err(e.to_string()));
                return;
            }
        };
        let type_name = def.type_name.as_str();
        let traits = self.traits(def.traits, span, diags);
        if type_name == "apply" {
            let target = RawRef {
                text: id_text.into(),
                span,
            };
            out.applies.push(RawApply {
                target,
                traits,
                span,
            });
            return;
        }
        if id.member().is_some() {
            diags.push(err(format!(
                "shape id `{id}` names a member; only `apply` entries may"
            )));
            return;
        }
        let (ty, traits) = match (type_name, ShapeType::from_name(type_name)) {
            ("set", _) => {
                let mut traits = traits;
                traits.push(RawTrait {
                    id: RawRef {
                        text: traits::UNIQUE_ITEMS.into(),
                        span,
                    },
                    value: Some(RawNode::Object(NameMap::default())),
                    span,
                });
                (ShapeType::List, traits)
            }
            (_, Some(ty)) => (ty, traits),
            (_, None) => {
                diags.push(err(format!("shape `{id}` has unknown type `{type_name}`")));
                return;
            }
        };
        let members = def
            .members
            .as_ref()
            .map_or(0, |m| m.as_ref().map_or(0, Vec::len))
            + [&def.member, &def.key, &def.value]
                .iter()
                .filter(|m| m.is_some())
                .count();
        let mut shape = RawShape {
            id,
            ty,
            traits,
            members: Vec::with_capacity(members),
            mixins: Vec::new(),
            for_resource: None,
            properties: Default::default(),
            version: out.version,
            span,
        };
        if out.version == Version::V1 {
            // Mixins came with Smithy 2.0, as the IDL front end also checks.
            let mixin = shape.traits.iter().any(|t| &*t.id.text == traits::MIXIN);
            if mixin || def.mixins.is_some() {
                diags.push(
                    Diagnostic::error(
                        Code::Version,
                        span,
                        "mixins can only be used in Smithy 2.0 or later",
                    )
                    .with_label("in a version 1.0 JSON AST")
                    .with_note("set `\"smithy\": \"2.0\"`"),
                );
            }
        }
        if let Some(mixins) = def.mixins {
            match mixins {
                Node::Array(items) => {
                    for item in items {
                        match self.target(item, span) {
                            Ok(r) => shape.mixins.push(r),
                            Err(_) => diags.push(err(
                                "each mixin must be `{\"target\": \"ns#Shape\"}`".into(),
                            )),
                        }
                    }
                }
                _ => diags.push(err("`mixins` must be an array".into())),
            }
        }
        // `ShapeDef` holds only the keys the type has a use for.
        let named = [
            ("member", def.member),
            ("key", def.key),
            ("value", def.value),
        ];
        for (name, member) in named {
            if let Some(member) = member {
                self.member(name.to_owned(), member, &mut shape, spans, diags);
            }
        }
        match def.members {
            None => {}
            Some(Ok(members)) => {
                for (name, member) in members {
                    self.member(name, member, &mut shape, spans, diags);
                }
            }
            Some(Err(())) => diags.push(err("`members` must be an object".into())),
        }
        for (key, value) in def.properties {
            let node = self.property(&key, value, span);
            shape.properties.values.insert(key, (node, span));
        }
        out.shapes.push(shape);
    }

    fn member(
        &self,
        name: String,
        def: MemberDef,
        shape: &mut RawShape,
        spans: Option<&ShapeSpans<'_>>,
        diags: &mut Vec<Diagnostic>,
    ) {
        let span = match spans.and_then(|s| s.members.get(name.as_str())) {
            Some(range) => self.span(Some(range.clone())),
            None => shape.span,
        };
        // A member whose name is no identifier has no valid id: it is
        // reported, and left out once the rest of it has been checked.
        let named = crate::model::is_identifier(&name);
        if !named {
            diags.push(
                Diagnostic::error(
                    Code::Json,
                    span,
                    format!("member name `{name}` of `{}` is not an identifier", shape.id),
                )
                .with_label("not an identifier")
                .with_note("a member name is ASCII letters, digits and `_`: a letter, or `_`s then a letter or digit, and then any of them"),
            );
        }
        let target = def.target.map(|text| RawRef { text, span });
        let traits = def.traits;
        if target.is_none() {
            diags.push(
                Diagnostic::error(
                    Code::Json,
                    span,
                    format!("member `{}${name}` needs a string `target`", shape.id),
                )
                .with_label("no target"),
            );
        }
        let traits = self.traits(traits, span, diags);
        if !named {
            return;
        }
        shape.members.push(RawMember {
            name,
            target,
            traits,
            span,
        });
    }

    /// The reference `{"target": id}` holds, or the value itself when it
    /// is none.
    fn target(&self, v: Node, span: Span) -> Result<RawRef, Node> {
        match v {
            Node::Object(mut o) if o.get("target").and_then(Node::as_str).is_some() => {
                match o.swap_remove("target") {
                    Some(Node::String(text)) => Ok(RawRef {
                        text: text.into(),
                        span,
                    }),
                    _ => Err(Node::Object(o)),
                }
            }
            v => Err(v),
        }
    }

    fn traits(
        &self,
        v: Option<stream::Traits>,
        span: Span,
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<RawTrait> {
        match v {
            None => Vec::new(),
            Some(Ok(mut traits)) => {
                for t in &mut traits {
                    (t.id.span, t.span) = (span, span);
                }
                traits
            }
            Some(Err(())) => {
                diags.push(Diagnostic::error(
                    Code::Json,
                    span,
                    "`traits` must be an object",
                ));
                Vec::new()
            }
        }
    }

    /// Converts a service/resource/operation property to the IDL's form:
    /// `{"target": id}` becomes a shape id, lists and maps of them likewise.
    fn property(&self, key: &str, value: Node, span: Span) -> RawNode {
        let as_id = |v: Node| match self.target(v, span) {
            Ok(r) => RawNode::ShapeId(r),
            Err(v) => into_raw(v),
        };
        match (key, value) {
            ("version", v) | ("rename", v) => into_raw(v),
            (_, Node::Array(items)) => RawNode::Array(items.into_iter().map(as_id).collect()),
            ("identifiers" | "properties", Node::Object(o)) => {
                RawNode::Object(o.into_iter().map(|(k, v)| (k, as_id(v))).collect())
            }
            (_, v) => as_id(v),
        }
    }
}

/// A node in the raw form, which properties are read from.
fn into_raw(node: Node) -> RawNode {
    match node {
        Node::Null => RawNode::Null,
        Node::Bool(b) => RawNode::Bool(b),
        Node::Number(n) => RawNode::Number(n),
        Node::String(s) => RawNode::String(s),
        Node::Array(items) => RawNode::Array(items.into_iter().map(into_raw).collect()),
        Node::Object(o) => RawNode::Object(o.into_iter().map(|(k, v)| (k, into_raw(v))).collect()),
    }
}
