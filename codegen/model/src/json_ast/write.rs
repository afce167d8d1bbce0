//! Writes a model as canonical Smithy JSON AST.

use serde::Serialize as _;
use serde_json::{Map, Value, json};

use crate::model::{Member, Model, Properties, Shape, ShapeId, ShapeType, Traits};

/// The model as a canonical JSON AST value (user shapes only).
pub fn to_json(model: &Model) -> Value {
    let mut root = Map::new();
    root.insert("smithy".into(), json!("2.0"));
    if !model.metadata.is_empty() {
        let metadata = model
            .metadata
            .iter()
            .map(|(k, v)| (k.clone(), v.to_json()))
            .collect();
        root.insert("metadata".into(), Value::Object(metadata));
    }
    let shapes = model
        .user_shapes()
        .map(|s| (s.id.to_string(), shape(s)))
        .collect();
    root.insert("shapes".into(), Value::Object(shapes));
    Value::Object(root)
}

/// The model as canonical JSON AST text, with a trailing newline.
pub fn to_string(model: &Model) -> String {
    let mut buf = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, formatter);
    to_json(model)
        .serialize(&mut ser)
        .expect("serialising a Value into memory cannot fail");
    let mut text = String::from_utf8(buf).expect("serde_json writes UTF-8");
    text.push('\n');
    text
}

fn target(id: &ShapeId) -> Value {
    json!({ "target": id.as_str() })
}

fn traits(traits: &Traits) -> Value {
    Value::Object(
        traits
            .iter()
            .map(|(id, t)| (id.to_string(), t.value.to_json()))
            .collect(),
    )
}

fn member(m: &Member) -> Value {
    let mut out = Map::new();
    out.insert("target".into(), json!(m.target.as_str()));
    if !m.traits.is_empty() {
        out.insert("traits".into(), traits(&m.traits));
    }
    Value::Object(out)
}

fn targets(ids: &[ShapeId]) -> Value {
    Value::Array(ids.iter().map(target).collect())
}

fn shape(s: &Shape) -> Value {
    let mut out = Map::new();
    out.insert("type".into(), json!(s.ty.name()));
    match s.ty {
        ShapeType::List | ShapeType::Map => {
            for m in s.members.values() {
                out.insert(m.name().to_owned(), member(m));
            }
        }
        t if t.has_members() => {
            let members = s
                .members
                .values()
                .map(|m| (m.name().to_owned(), member(m)))
                .collect();
            out.insert("members".into(), Value::Object(members));
        }
        _ => {}
    }
    match &s.properties {
        Properties::None => {}
        Properties::Service(p) => {
            if let Some(v) = &p.version {
                out.insert("version".into(), json!(v));
            }
            for (key, ids) in [
                ("operations", &p.operations),
                ("resources", &p.resources),
                ("errors", &p.errors),
            ] {
                if !ids.is_empty() {
                    out.insert(key.into(), targets(ids));
                }
            }
            if !p.rename.is_empty() {
                let rename = p
                    .rename
                    .iter()
                    .map(|(k, v)| (k.to_string(), json!(v)))
                    .collect();
                out.insert("rename".into(), Value::Object(rename));
            }
        }
        Properties::Resource(p) => {
            for (key, map) in [
                ("identifiers", &p.identifiers),
                ("properties", &p.properties),
            ] {
                if !map.is_empty() {
                    // Identifier and property maps are unordered: sort them.
                    let mut entries: Vec<_> = map.iter().collect();
                    entries.sort();
                    let entries = entries.into_iter().map(|(k, v)| (k.clone(), target(v)));
                    out.insert(key.into(), Value::Object(entries.collect()));
                }
            }
            let lifecycle = [
                ("create", &p.create),
                ("put", &p.put),
                ("read", &p.read),
                ("update", &p.update),
                ("delete", &p.delete),
                ("list", &p.list),
            ];
            for (key, id) in lifecycle {
                if let Some(id) = id {
                    out.insert(key.into(), target(id));
                }
            }
            let lists = [
                ("operations", &p.operations),
                ("collectionOperations", &p.collection_operations),
                ("resources", &p.resources),
            ];
            for (key, ids) in lists {
                if !ids.is_empty() {
                    out.insert(key.into(), targets(ids));
                }
            }
        }
        Properties::Operation(p) => {
            out.insert("input".into(), target(&p.input));
            out.insert("output".into(), target(&p.output));
            if !p.errors.is_empty() {
                out.insert("errors".into(), targets(&p.errors));
            }
        }
    }
    if !s.traits.is_empty() {
        out.insert("traits".into(), traits(&s.traits));
    }
    Value::Object(out)
}
