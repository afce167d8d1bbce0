//! Writes a model as canonical Smithy JSON AST.
//!
//! A shape declared with mixins is written as it was declared: its `mixins`
//! list, and only what it adds to them (members, traits and properties it
//! does not inherit, or gives another value). Reading the output back gives
//! the same model, mixins included (a test checks it on every model in the
//! test corpora); flattening the mixins into their users would lose them.
//! For the same reason a built-in shape the model changed (with `apply`, or
//! through a built-in mixin it changed) is written too. (What can differ is
//! a bundled namespace the model's files mention without using it, such
//! as one named in documentation: the output does not name it, and the
//! model read back does not hold it.)

use std::sync::Arc;

use serde::Serialize as _;
use serde_json::{Map, Value, json};

use crate::loader::assemble::{merge_properties, same_definition};
use crate::model::{
    Member, Model, NameMap, Node, OperationProps, Properties, Shape, ShapeId, ShapeType, Traits,
    traits as prelude,
};

/// The model as a canonical JSON AST value: its own shapes, and the
/// built-in ones it changed (by `apply`, or through a mixin), which read back
/// as definitions that replace the bundled ones.
pub fn to_json(model: &Model) -> Value {
    // The built-in files the model was loaded with, whose shapes it shares.
    let names = crate::loader::builtin::Namespaces::of_model(model);
    let builtin = crate::loader::builtin::for_namespaces(names);
    let bundled = &builtin.base.model;
    let changed = |s: &Shape| match bundled.shapes.get(&s.id) {
        // Shared with the bundled model (as in most loads): unchanged.
        Some(b) if std::ptr::eq(b.as_ref(), s) => false,
        Some(b) => !same_definition(s, b),
        None => true,
    };
    let shapes = model.shapes.values().map(Arc::as_ref);
    to_json_of(model, shapes.filter(|s| !s.span.is_builtin() || changed(s)))
}

/// The model's metadata and the given shapes as a JSON AST value.
pub(crate) fn to_json_of<'m>(model: &'m Model, shapes: impl Iterator<Item = &'m Shape>) -> Value {
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
    let shapes = shapes
        .map(|s| (s.id.to_string(), shape(model, s)))
        .collect();
    root.insert("shapes".into(), Value::Object(shapes));
    Value::Object(root)
}

/// The model as canonical JSON AST text, with a trailing newline.
pub fn to_string(model: &Model) -> String {
    print(&to_json(model))
}

/// A JSON AST value as canonical text, with a trailing newline.
pub(crate) fn print(value: &Value) -> String {
    let mut buf = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, formatter);
    value
        .serialize(&mut ser)
        .expect("serialising a Value into memory cannot fail");
    let mut text = String::from_utf8(buf).expect("serde_json writes UTF-8");
    text.push('\n');
    text
}

/// A JSON AST value as text with one shape per line: as quick to read as
/// compact text, while a diff or a diagnostic still shows a shape at a time.
/// The bundled model files are written this way.
#[cfg(test)]
pub(crate) fn print_shape_per_line(value: &Value) -> String {
    let mut text = String::from("{");
    let Value::Object(root) = value else {
        return value.to_string();
    };
    for (i, (key, value)) in root.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        text.push('\n');
        text.push_str(&Value::from(key.as_str()).to_string());
        text.push(':');
        match value {
            Value::Object(shapes) if key == "shapes" && !shapes.is_empty() => {
                text.push('{');
                for (j, (id, shape)) in shapes.iter().enumerate() {
                    text.push_str(if j > 0 { ",\n" } else { "\n" });
                    text.push_str(&Value::from(id.as_str()).to_string());
                    text.push(':');
                    text.push_str(&shape.to_string());
                }
                text.push_str("\n}");
            }
            _ => text.push_str(&value.to_string()),
        }
    }
    text.push_str("\n}\n");
    text
}

fn target(id: &ShapeId) -> Value {
    json!({ "target": id.as_str() })
}

fn targets<'a>(ids: impl IntoIterator<Item = &'a ShapeId>) -> Value {
    Value::Array(ids.into_iter().map(target).collect())
}

/// The traits of `traits` that `inherited` does not already give with the
/// same value.
fn traits(traits: &Traits, inherited: Option<&Traits>) -> Map<String, Value> {
    traits
        .iter()
        .filter(|(id, t)| inherited.and_then(|i| i.get(*id)).map(|i| &i.value) != Some(&t.value))
        .map(|(id, t)| (id.to_string(), t.value.to_json()))
        .collect()
}

/// A member as declared: its target, and the traits it does not inherit.
/// `None` when it is inherited unchanged.
fn member(m: &Member, inherited: Option<&Member>) -> Option<Value> {
    let traits = traits(&m.traits, inherited.map(|i| &i.traits));
    if traits.is_empty() && inherited.is_some_and(|i| i.target == m.target) {
        return None;
    }
    let mut out = Map::new();
    out.insert("target".into(), json!(m.target.as_str()));
    if !traits.is_empty() {
        out.insert("traits".into(), Value::Object(traits));
    }
    Some(Value::Object(out))
}

/// What a shape inherits from its mixins, as the loader applies them
/// (Smithy specification, "Mixins"): members (the first mixin to declare a
/// name wins), traits other than `@mixin` and the mixin's `localTraits`
/// (a later mixin's value wins), and properties (merged as assembly merges
/// them).
struct Inherited<'m> {
    members: NameMap<&'m Member>,
    traits: Traits,
    properties: Properties,
}

impl<'m> Inherited<'m> {
    fn of(model: &'m Model, shape: &Shape) -> Self {
        let mut inherited = Inherited {
            members: NameMap::default(),
            traits: Traits::new(),
            properties: match &shape.properties {
                Properties::None => Properties::None,
                Properties::Service(_) => Properties::Service(Box::default()),
                Properties::Resource(_) => Properties::Resource(Box::default()),
                Properties::Operation(p) => Properties::Operation(Box::new(OperationProps {
                    input: p.input.clone(),
                    output: p.output.clone(),
                    errors: Vec::new(),
                })),
            },
        };
        for mixin in shape.mixins.iter().filter_map(|id| model.shape(id)) {
            let local: Vec<&str> = mixin
                .trait_value(prelude::MIXIN)
                .and_then(|m| m.get("localTraits"))
                .and_then(Node::as_array)
                .map(|a| a.iter().filter_map(Node::as_str).collect())
                .unwrap_or_default();
            for (id, t) in &mixin.traits {
                if id.as_str() != prelude::MIXIN && !local.contains(&id.as_str()) {
                    inherited.traits.insert(id.clone(), t.clone());
                }
            }
            for (name, m) in &mixin.members {
                inherited.members.entry(name.clone()).or_insert(m);
            }
            merge_properties(&mut inherited.properties, mixin.properties.clone());
        }
        inherited
    }
}

/// Writes the ids of `ids` that `inherited` does not list under `key`,
/// unless there are none.
fn id_list(out: &mut Map<String, Value>, key: &str, ids: &[ShapeId], inherited: &[ShapeId]) {
    let local: Vec<&ShapeId> = ids.iter().filter(|id| !inherited.contains(id)).collect();
    if !local.is_empty() {
        out.insert(key.into(), targets(local));
    }
}

/// Writes `id` under `key` unless it is unset or inherited.
fn id_slot(
    out: &mut Map<String, Value>,
    key: &str,
    id: &Option<ShapeId>,
    inherited: &Option<ShapeId>,
) {
    if let Some(id) = id
        && inherited.as_ref() != Some(id)
    {
        out.insert(key.into(), target(id));
    }
}

/// Writes the entries of `map` that `inherited` does not give, sorted (the
/// maps are unordered), under `key`, unless there are none.
fn id_map(
    out: &mut Map<String, Value>,
    key: &str,
    map: &NameMap<ShapeId>,
    inherited: &NameMap<ShapeId>,
) {
    let mut entries: Vec<_> = map
        .iter()
        .filter(|(k, v)| inherited.get(*k) != Some(*v))
        .collect();
    if !entries.is_empty() {
        entries.sort();
        let entries = entries.into_iter().map(|(k, v)| (k.clone(), target(v)));
        out.insert(key.into(), Value::Object(entries.collect()));
    }
}

fn shape(model: &Model, s: &Shape) -> Value {
    let inherited = Inherited::of(model, s);
    let mut out = Map::new();
    out.insert("type".into(), json!(s.ty.name()));
    if !s.mixins.is_empty() {
        out.insert("mixins".into(), targets(&s.mixins));
    }
    let members = s.members.values().filter_map(|m| {
        let written = member(m, inherited.members.get(m.name()).copied())?;
        Some((m.name().to_owned(), written))
    });
    match s.ty {
        ShapeType::List | ShapeType::Map => out.extend(members),
        t if t.has_members() => {
            out.insert("members".into(), Value::Object(members.collect()));
        }
        _ => {}
    }
    match (&s.properties, &inherited.properties) {
        (Properties::Service(p), Properties::Service(i)) => {
            if let Some(v) = &p.version
                && i.version.as_ref() != Some(v)
            {
                out.insert("version".into(), json!(v));
            }
            id_list(&mut out, "operations", &p.operations, &i.operations);
            id_list(&mut out, "resources", &p.resources, &i.resources);
            id_list(&mut out, "errors", &p.errors, &i.errors);
            let rename: Map<String, Value> = p
                .rename
                .iter()
                .filter(|(k, v)| i.rename.get(*k) != Some(*v))
                .map(|(k, v)| (k.to_string(), json!(v)))
                .collect();
            if !rename.is_empty() {
                out.insert("rename".into(), Value::Object(rename));
            }
        }
        (Properties::Resource(p), Properties::Resource(i)) => {
            id_map(&mut out, "identifiers", &p.identifiers, &i.identifiers);
            id_map(&mut out, "properties", &p.properties, &i.properties);
            id_slot(&mut out, "create", &p.create, &i.create);
            id_slot(&mut out, "put", &p.put, &i.put);
            id_slot(&mut out, "read", &p.read, &i.read);
            id_slot(&mut out, "update", &p.update, &i.update);
            id_slot(&mut out, "delete", &p.delete, &i.delete);
            id_slot(&mut out, "list", &p.list, &i.list);
            id_list(&mut out, "operations", &p.operations, &i.operations);
            let collection = &p.collection_operations;
            id_list(
                &mut out,
                "collectionOperations",
                collection,
                &i.collection_operations,
            );
            id_list(&mut out, "resources", &p.resources, &i.resources);
        }
        (Properties::Operation(p), Properties::Operation(i)) => {
            out.insert("input".into(), target(&p.input));
            out.insert("output".into(), target(&p.output));
            id_list(&mut out, "errors", &p.errors, &i.errors);
        }
        _ => {}
    }
    let traits = traits(&s.traits, Some(&inherited.traits));
    if !traits.is_empty() {
        out.insert("traits".into(), Value::Object(traits));
    }
    Value::Object(out)
}
