//! Reads one JSON AST file into a [`RawFile`].
//!
//! serde_json does the JSON; this module checks the AST's shape (types,
//! member layout, `{"target": ...}` references) and reports each problem with
//! the location of the shape it concerns. JSON gives no positions, so
//! [`spans`](super::spans) finds them in one pass over the text.

use serde_json::Value;

use crate::diagnostics::{Code, Diagnostic};
use crate::loader::raw::{
    RawApply, RawFile, RawMember, RawNode, RawRef, RawShape, RawTrait, Version,
};
use crate::model::traits;
use crate::model::{NameMap, Node, ShapeId, ShapeType};
use crate::source::{FileId, Span};

use super::spans::{self, ShapeSpans, SpanIndex};

/// Parses a JSON AST file. Problems are pushed to `diags`.
pub fn read(file: FileId, text: &str, diags: &mut Vec<Diagnostic>) -> RawFile {
    let mut out = RawFile::new(file, Version::V2);
    let whole = Span::new(file, 0..text.len().min(1));
    let root: Value = match serde_json::from_str(text) {
        Ok(v) => v,
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
    let Some(root) = root.as_object() else {
        diags.push(Diagnostic::error(
            Code::Json,
            whole,
            "a JSON AST must be an object",
        ));
        return out;
    };
    let reader = Reader {
        file,
        spans: spans::index(text),
    };
    match root.get("smithy").and_then(Value::as_str) {
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
    if let Some(metadata) = root.get("metadata") {
        match metadata.as_object() {
            Some(m) => {
                for (k, v) in m {
                    out.metadata.push((
                        k.clone(),
                        raw_node(v),
                        reader.span(reader.spans.metadata.get(k).cloned()),
                    ));
                }
            }
            None => diags.push(Diagnostic::error(
                Code::Json,
                whole,
                "`metadata` must be an object",
            )),
        }
    }
    match root.get("shapes") {
        None => {}
        Some(Value::Object(shapes)) => {
            for (id_text, def) in shapes {
                reader.shape(id_text, def, &mut out, diags);
            }
        }
        Some(_) => diags.push(Diagnostic::error(
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

fn raw_node(v: &Value) -> RawNode {
    match v {
        Value::Null => RawNode::Null,
        Value::Bool(b) => RawNode::Bool(*b),
        Value::Number(_) => match Node::from_json(v) {
            Node::Number(n) => RawNode::Number(n),
            _ => RawNode::Null,
        },
        Value::String(s) => RawNode::String(s.clone()),
        Value::Array(a) => RawNode::Array(a.iter().map(raw_node).collect()),
        Value::Object(o) => {
            RawNode::Object(o.iter().map(|(k, v)| (k.clone(), raw_node(v))).collect())
        }
    }
}

struct Reader {
    file: FileId,
    spans: SpanIndex,
}

impl Reader {
    /// A span of this file; the file's start when the position is unknown.
    fn span(&self, range: Option<std::ops::Range<usize>>) -> Span {
        Span::new(self.file, range.unwrap_or(0..0))
    }

    fn shape(&self, id_text: &str, def: &Value, out: &mut RawFile, diags: &mut Vec<Diagnostic>) {
        let spans = self.spans.shapes.get(id_text);
        let span = self.span(spans.map(|s| s.key.clone()));
        let err = |message: String| {
            Diagnostic::error(Code::Json, span, message).with_label("in this shape")
        };
        let Some(obj) = def.as_object() else {
            diags.push(err(format!("shape `{id_text}` must be a JSON object")));
            return;
        };
        let id = match ShapeId::parse(id_text) {
            Ok(id) => id,
            Err(e) => {
                diags.push(err(e.to_string()));
                return;
            }
        };
        let type_name = obj.get("type").and_then(Value::as_str).unwrap_or("");
        let traits = self.traits(obj.get("traits"), span, diags);
        if type_name == "apply" {
            let target = RawRef {
                text: id_text.to_owned(),
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
        let (ty, mut traits) = match (type_name, ShapeType::from_name(type_name)) {
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
        let mut shape = RawShape {
            id,
            ty,
            traits: Vec::new(),
            members: Vec::new(),
            mixins: Vec::new(),
            for_resource: None,
            properties: Default::default(),
            version: out.version,
            span,
        };
        shape.traits.append(&mut traits);
        if let Some(mixins) = obj.get("mixins") {
            match mixins.as_array() {
                Some(items) => {
                    for item in items {
                        match self.target(item, span) {
                            Some(r) => shape.mixins.push(r),
                            None => diags.push(err(
                                "each mixin must be `{\"target\": \"ns#Shape\"}`".into(),
                            )),
                        }
                    }
                }
                None => diags.push(err("`mixins` must be an array".into())),
            }
        }
        match ty {
            ShapeType::List => self.named_members(obj, &["member"], &mut shape, spans, diags),
            ShapeType::Map => self.named_members(obj, &["key", "value"], &mut shape, spans, diags),
            t if t.has_members() => {
                if let Some(members) = obj.get("members") {
                    match members.as_object() {
                        Some(m) => {
                            for (name, def) in m {
                                self.member(name, def, &mut shape, spans, diags);
                            }
                        }
                        None => diags.push(err("`members` must be an object".into())),
                    }
                }
            }
            ShapeType::Service | ShapeType::Resource | ShapeType::Operation => {
                for (key, value) in obj {
                    if matches!(key.as_str(), "type" | "traits" | "mixins") {
                        continue;
                    }
                    let node = self.property(key, value, span);
                    shape.properties.values.insert(key.clone(), (node, span));
                }
            }
            _ => {}
        }
        out.shapes.push(shape);
    }

    fn named_members(
        &self,
        obj: &serde_json::Map<String, Value>,
        names: &[&str],
        shape: &mut RawShape,
        spans: Option<&ShapeSpans>,
        diags: &mut Vec<Diagnostic>,
    ) {
        for name in names {
            if let Some(def) = obj.get(*name) {
                self.member(name, def, shape, spans, diags);
            }
        }
    }

    fn member(
        &self,
        name: &str,
        def: &Value,
        shape: &mut RawShape,
        spans: Option<&ShapeSpans>,
        diags: &mut Vec<Diagnostic>,
    ) {
        let span = match spans.and_then(|s| s.members.get(name)) {
            Some(range) => self.span(Some(range.clone())),
            None => shape.span,
        };
        let target = self.target(def, span);
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
        let traits = self.traits(def.get("traits"), span, diags);
        shape.members.push(RawMember {
            name: name.to_owned(),
            target,
            traits,
            span,
        });
    }

    fn target(&self, v: &Value, span: Span) -> Option<RawRef> {
        let text = v.get("target")?.as_str()?;
        Some(RawRef {
            text: text.to_owned(),
            span,
        })
    }

    fn traits(&self, v: Option<&Value>, span: Span, diags: &mut Vec<Diagnostic>) -> Vec<RawTrait> {
        match v {
            None => Vec::new(),
            Some(Value::Object(traits)) => traits
                .iter()
                .map(|(id, value)| RawTrait {
                    id: RawRef {
                        text: id.clone(),
                        span,
                    },
                    value: Some(raw_node(value)),
                    span,
                })
                .collect(),
            Some(_) => {
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
    fn property(&self, key: &str, value: &Value, span: Span) -> RawNode {
        let as_id = |v: &Value| match self.target(v, span) {
            Some(r) => RawNode::ShapeId(r),
            None => raw_node(v),
        };
        match (key, value) {
            ("version", v) | ("rename", v) => raw_node(v),
            (_, Value::Array(items)) => RawNode::Array(items.iter().map(as_id).collect()),
            ("identifiers" | "properties", Value::Object(o)) => {
                RawNode::Object(o.iter().map(|(k, v)| (k.clone(), as_id(v))).collect())
            }
            (_, v) => as_id(v),
        }
    }
}
