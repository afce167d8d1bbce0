//! JSON AST text straight into the parts of its shapes ([`Document`]),
//! with no node tree of the shapes in between.
//!
//! A JSON AST is mostly the layout of its shapes: an object per shape, an
//! object per member, an object of traits. Reading it as [`Node`]s first
//! built a map (and a `String` key) for each of those objects, only for the
//! reader to take them apart again. Here serde_json's tokens land in the
//! parts the reader needs ([`ShapeDef`]: the type, the traits as a list,
//! the members with their targets, trait ids and targets as texts shared
//! within the file); only single values (the version, a type) and
//! free-form ones (trait values, metadata, mixins, service properties)
//! become nodes. Values the reader has no use for are
//! still read in full ([`Skip`]), so a file is JSON exactly when the node
//! path would say so.
//!
//! This form is exact when a shape's `"type"` comes first (as every tool
//! writes it) and no key repeats. A shape whose type comes later is read
//! as a node and taken apart by [`ShapeDef::from_node`], exactly as before;
//! a repeated key (where a node keeps the last value, a list would keep
//! both) sets [`Document::repeated`], and the caller reads the whole file
//! through nodes instead.

use std::fmt;
use std::sync::Arc;

use serde::de::{Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::node::{JsonNode, NUMBER_TOKEN, token_number};
use crate::loader::raw::{RawNode, RawRef, RawTrait};
use crate::model::{NameMap, Node, ShapeType};
use crate::source::{FileId, Span};

/// An object's entries in document order, or `Err` when the value is not
/// an object.
pub(super) type Entries<T> = Result<Vec<(String, T)>, ()>;

/// A `traits` object's entries as applications, in document order (their
/// id's text shared, see [`Reading`]), or `Err` when the value is not an
/// object. Their spans are placeholders (the file's start) until the
/// reader sets them.
pub(super) type Traits = Result<Vec<RawTrait>, ()>;

/// What reading the shapes keeps besides them.
struct Reading {
    /// The file being read.
    file: FileId,
    /// A key repeated where this form would not keep only its last value.
    repeated: bool,
    /// The text of each trait id and member target read so far. A file
    /// names a few traits and shapes many times over: each text is kept
    /// once and shared, read without allocating when it is already here.
    ids: foldhash::HashSet<Arc<str>>,
    /// The traits of the object being read, gathered here and then moved
    /// to a list of exactly their number.
    traits: Vec<RawTrait>,
}

impl Reading {
    fn new(file: FileId) -> Reading {
        Reading {
            file,
            repeated: false,
            ids: Default::default(),
            traits: Vec::new(),
        }
    }

    /// The application of trait `id` with `value`.
    fn application(&self, id: Arc<str>, value: Node) -> RawTrait {
        trait_application(self.file, id, value)
    }

    /// The shared text equal to `text`.
    fn id(&mut self, text: &str) -> Arc<str> {
        if let Some(id) = self.ids.get(text) {
            return id.clone();
        }
        let id: Arc<str> = text.into();
        self.ids.insert(id.clone());
        id
    }
}

/// A document's top level, as read.
#[derive(Default)]
pub(super) struct Document {
    /// The `smithy` version's value.
    pub(super) version: Option<Node>,
    /// The `metadata` value.
    pub(super) metadata: Option<Node>,
    /// The `shapes`, in document order; `Err` when not an object.
    pub(super) shapes: Option<Entries<ShapeValue>>,
    /// A key repeated where this form would not keep only its last value.
    pub(super) repeated: bool,
}

/// What a root that is not an object is.
pub(super) struct NotAnObject;

/// One entry of `shapes`.
// Almost every entry is a definition: boxing it would only add an
// allocation per shape.
#[allow(clippy::large_enum_variant)]
pub(super) enum ShapeValue {
    /// An object: a shape's definition.
    Def(ShapeDef),
    /// Anything else.
    NotAnObject,
}

/// The parts of a shape's definition the reader uses. Keys the shape's
/// type has no use for are left out, as the reader would ignore them.
#[derive(Default)]
pub(super) struct ShapeDef {
    /// `type`; empty when absent or not a string.
    pub(super) type_name: String,
    /// `traits`: id and value of each; `Err` when not an object.
    pub(super) traits: Option<Traits>,
    /// `mixins`, as written.
    pub(super) mixins: Option<Node>,
    /// `members` of a structure, union or enum; `Err` when not an object.
    pub(super) members: Option<Entries<MemberDef>>,
    /// A list's `member`.
    pub(super) member: Option<MemberDef>,
    /// A map's `key`.
    pub(super) key: Option<MemberDef>,
    /// A map's `value`.
    pub(super) value: Option<MemberDef>,
    /// Every other key of a service, resource or operation: its
    /// properties, in document order.
    pub(super) properties: Vec<(String, Node)>,
}

/// A member's definition.
#[derive(Default)]
pub(super) struct MemberDef {
    /// `target`, when it is a string.
    pub(super) target: Option<Arc<str>>,
    /// `traits`, as for a shape.
    pub(super) traits: Option<Traits>,
}

/// What a shape's type makes of its keys.
#[derive(Clone, Copy)]
enum Layout {
    /// `member`.
    List,
    /// `key` and `value`.
    Map,
    /// `members`.
    Members,
    /// Properties: every key but `type`, `traits` and `mixins`.
    Properties,
    /// Nothing but `traits` and `mixins`.
    Plain,
}

impl Layout {
    fn of(type_name: &str) -> Layout {
        let ty = if type_name == "set" {
            Some(ShapeType::List)
        } else {
            ShapeType::from_name(type_name)
        };
        match ty {
            Some(ShapeType::List) => Layout::List,
            Some(ShapeType::Map) => Layout::Map,
            Some(t) if t.has_members() => Layout::Members,
            Some(ShapeType::Service | ShapeType::Resource | ShapeType::Operation) => {
                Layout::Properties
            }
            _ => Layout::Plain,
        }
    }
}

/// Parses `text` into its [`Document`]; serde_json's error says where it is
/// not JSON.
pub(super) fn parse(
    text: &str,
    file: FileId,
) -> Result<Result<Document, NotAnObject>, serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let document = deserializer.deserialize_any(DocumentVisitor(file))?;
    deserializer.end()?;
    Ok(document)
}

impl Document {
    /// The document a node tree holds: the form for files with a repeated
    /// key, where the tree already kept each key's last value.
    pub(super) fn from_node(root: Node, file: FileId) -> Result<Document, NotAnObject> {
        let Node::Object(mut root) = root else {
            return Err(NotAnObject);
        };
        let shapes = root.swap_remove("shapes").map(|shapes| match shapes {
            Node::Object(shapes) => Ok(shapes
                .into_iter()
                .map(|(id, def)| {
                    let value = match def {
                        Node::Object(def) => ShapeValue::Def(ShapeDef::from_node(def, file)),
                        _ => ShapeValue::NotAnObject,
                    };
                    (id, value)
                })
                .collect()),
            _ => Err(()),
        });
        Ok(Document {
            version: root.swap_remove("smithy"),
            metadata: root.swap_remove("metadata"),
            shapes,
            repeated: false,
        })
    }
}

impl ShapeDef {
    /// The parts of a shape's definition read as a node.
    pub(super) fn from_node(mut obj: NameMap<Node>, file: FileId) -> ShapeDef {
        let type_name = match obj.shift_remove("type") {
            Some(Node::String(name)) => name,
            _ => String::new(),
        };
        let mut def = ShapeDef {
            traits: obj.shift_remove("traits").map(|t| traits_of_node(t, file)),
            mixins: obj.shift_remove("mixins"),
            ..ShapeDef::default()
        };
        match Layout::of(&type_name) {
            Layout::List => {
                def.member = obj
                    .swap_remove("member")
                    .map(|m| MemberDef::from_node(m, file));
            }
            Layout::Map => {
                def.key = obj
                    .swap_remove("key")
                    .map(|m| MemberDef::from_node(m, file));
                def.value = obj
                    .swap_remove("value")
                    .map(|m| MemberDef::from_node(m, file));
            }
            Layout::Members => {
                def.members = obj.shift_remove("members").map(|members| match members {
                    Node::Object(members) => Ok(members
                        .into_iter()
                        .map(|(name, m)| (name, MemberDef::from_node(m, file)))
                        .collect()),
                    _ => Err(()),
                });
            }
            Layout::Properties => def.properties = obj.into_iter().collect(),
            Layout::Plain => {}
        }
        def.type_name = type_name;
        def
    }
}

impl MemberDef {
    fn from_node(node: Node, file: FileId) -> MemberDef {
        match node {
            Node::Object(mut def) => MemberDef {
                traits: def.swap_remove("traits").map(|t| traits_of_node(t, file)),
                target: match def.swap_remove("target") {
                    Some(Node::String(text)) => Some(text.into()),
                    _ => None,
                },
            },
            _ => MemberDef::default(),
        }
    }
}

fn traits_of_node(node: Node, file: FileId) -> Traits {
    match node {
        Node::Object(traits) => Ok(traits
            .into_iter()
            .map(|(id, v)| trait_application(file, id.into(), v))
            .collect()),
        _ => Err(()),
    }
}

/// The application of trait `id` with `value` in `file`, with a
/// placeholder span (the file's start) until the reader sets where it is.
fn trait_application(file: FileId, id: Arc<str>, value: Node) -> RawTrait {
    let span = Span::new(file, 0..0);
    RawTrait {
        id: RawRef { text: id, span },
        value: Some(RawNode::Resolved(value)),
        span,
    }
}

/// A key of an object this module takes apart: one of the few the layout
/// names, read without allocating, or any other.
enum Field {
    Number,
    Smithy,
    Metadata,
    Shapes,
    Type,
    Traits,
    Mixins,
    Members,
    Member,
    Key,
    Value,
    Target,
    Other(String),
}

struct FieldSeed;

impl<'de> DeserializeSeed<'de> for FieldSeed {
    type Value = Field;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Field, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for FieldSeed {
    type Value = Field;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E>(self, key: &str) -> Result<Field, E> {
        Ok(match key {
            NUMBER_TOKEN => Field::Number,
            "smithy" => Field::Smithy,
            "metadata" => Field::Metadata,
            "shapes" => Field::Shapes,
            "type" => Field::Type,
            "traits" => Field::Traits,
            "mixins" => Field::Mixins,
            "members" => Field::Members,
            "member" => Field::Member,
            "key" => Field::Key,
            "value" => Field::Value,
            "target" => Field::Target,
            other => Field::Other(other.to_owned()),
        })
    }
}

impl Field {
    /// The key's text.
    fn into_string(self) -> String {
        match self {
            Field::Number => NUMBER_TOKEN,
            Field::Smithy => "smithy",
            Field::Metadata => "metadata",
            Field::Shapes => "shapes",
            Field::Type => "type",
            Field::Traits => "traits",
            Field::Mixins => "mixins",
            Field::Members => "members",
            Field::Member => "member",
            Field::Key => "key",
            Field::Value => "value",
            Field::Target => "target",
            Field::Other(key) => return key,
        }
        .to_owned()
    }
}

/// A visitor for a value this module expects to be an object: anything
/// else is consumed and becomes `$other`. A number arrives as an object
/// whose first key is [`NUMBER_TOKEN`]; each `visit_map` checks for it.
macro_rules! not_an_object {
    ($other:expr) => {
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok($other)
        }

        fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
            Ok($other)
        }

        fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
            Ok($other)
        }

        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok($other)
        }

        fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
            Ok($other)
        }

        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok($other)
        }

        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok($other)
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            while seq.next_element::<Skip>()?.is_some() {}
            Ok($other)
        }
    };
}

/// `DeserializeSeed` for visitors that read any JSON value (they are their
/// own seeds, holding what reading keeps besides the shapes).
macro_rules! visitor_seed {
    ($($seed:ident),*) => {$(
        impl<'de> DeserializeSeed<'de> for $seed<'_> {
            type Value = <Self as Visitor<'de>>::Value;

            fn deserialize<D: Deserializer<'de>>(
                self,
                deserializer: D,
            ) -> Result<Self::Value, D::Error> {
                deserializer.deserialize_any(self)
            }
        }
    )*};
}

visitor_seed!(
    ShapesSeed,
    ShapeSeed,
    MembersSeed,
    MemberSeed,
    TraitsSeed,
    TargetSeed
);

struct DocumentVisitor(FileId);

impl<'de> Visitor<'de> for DocumentVisitor {
    type Value = Result<Document, NotAnObject>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    not_an_object!(Err(NotAnObject));

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut doc = Document::default();
        let mut first = true;
        while let Some(key) = map.next_key_seed(FieldSeed)? {
            match key {
                Field::Number if first => {
                    token_number(&mut map)?;
                    return Ok(Err(NotAnObject));
                }
                Field::Smithy => {
                    doc.repeated |= doc.version.is_some();
                    doc.version = Some(map.next_value::<JsonNode>()?.0);
                }
                Field::Metadata => {
                    doc.repeated |= doc.metadata.is_some();
                    doc.metadata = Some(map.next_value::<JsonNode>()?.0);
                }
                Field::Shapes => {
                    doc.repeated |= doc.shapes.is_some();
                    let mut reading = Reading::new(self.0);
                    doc.shapes = Some(map.next_value_seed(ShapesSeed(&mut reading))?);
                    doc.repeated |= reading.repeated;
                }
                _ => {
                    map.next_value::<Skip>()?;
                }
            }
            first = false;
        }
        Ok(Ok(doc))
    }
}

/// `shapes`: each id with its definition.
struct ShapesSeed<'r>(&'r mut Reading);

impl<'de> Visitor<'de> for ShapesSeed<'_> {
    type Value = Entries<ShapeValue>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the shapes")
    }

    not_an_object!(Err(()));

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let reading = self.0;
        entries(map, |map| map.next_value_seed(ShapeSeed(&mut *reading)))
    }
}

/// One shape's definition.
struct ShapeSeed<'r>(&'r mut Reading);

impl<'de> Visitor<'de> for ShapeSeed<'_> {
    type Value = ShapeValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a shape")
    }

    not_an_object!(ShapeValue::NotAnObject);

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut def = ShapeDef::default();
        let layout = match map.next_key_seed(FieldSeed)? {
            None => return Ok(ShapeValue::Def(def)),
            Some(Field::Number) => {
                token_number(&mut map)?;
                return Ok(ShapeValue::NotAnObject);
            }
            Some(Field::Type) => {
                if let Node::String(name) = map.next_value::<JsonNode>()?.0 {
                    def.type_name = name;
                }
                Layout::of(&def.type_name)
            }
            // The type comes later: read the shape as a node, whose keys
            // the type then picks from.
            Some(first) => {
                let mut obj = NameMap::default();
                obj.insert(first.into_string(), map.next_value::<JsonNode>()?.0);
                while let Some((key, JsonNode(value))) = map.next_entry::<String, JsonNode>()? {
                    obj.insert(key, value);
                }
                return Ok(ShapeValue::Def(ShapeDef::from_node(obj, self.0.file)));
            }
        };
        let reading = &mut *self.0;
        while let Some(key) = map.next_key_seed(FieldSeed)? {
            match (key, layout) {
                (Field::Type, _) => {
                    reading.repeated = true;
                    map.next_value::<Skip>()?;
                }
                (Field::Traits, _) => {
                    reading.repeated |= def.traits.is_some();
                    def.traits = Some(map.next_value_seed(TraitsSeed(&mut *reading))?);
                }
                (Field::Mixins, _) => {
                    reading.repeated |= def.mixins.is_some();
                    def.mixins = Some(map.next_value::<JsonNode>()?.0);
                }
                (Field::Members, Layout::Members) => {
                    reading.repeated |= def.members.is_some();
                    def.members = Some(map.next_value_seed(MembersSeed(&mut *reading))?);
                }
                (Field::Member, Layout::List) => {
                    reading.repeated |= def.member.is_some();
                    def.member = Some(map.next_value_seed(MemberSeed(&mut *reading))?);
                }
                (Field::Key, Layout::Map) => {
                    reading.repeated |= def.key.is_some();
                    def.key = Some(map.next_value_seed(MemberSeed(&mut *reading))?);
                }
                (Field::Value, Layout::Map) => {
                    reading.repeated |= def.value.is_some();
                    def.value = Some(map.next_value_seed(MemberSeed(&mut *reading))?);
                }
                (key, Layout::Properties) => {
                    def.properties
                        .push((key.into_string(), map.next_value::<JsonNode>()?.0));
                }
                _ => {
                    map.next_value::<Skip>()?;
                }
            }
        }
        reading.repeated |= has_repeats(&def.properties, |(k, _)| k);
        Ok(ShapeValue::Def(def))
    }
}

/// `members`: each name with its definition.
struct MembersSeed<'r>(&'r mut Reading);

impl<'de> Visitor<'de> for MembersSeed<'_> {
    type Value = Entries<MemberDef>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("members")
    }

    not_an_object!(Err(()));

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let reading = self.0;
        let members = entries(map, |map| map.next_value_seed(MemberSeed(&mut *reading)))?;
        if let Ok(members) = &members {
            reading.repeated |= has_repeats(members, |(k, _)| k);
        }
        Ok(members)
    }
}

/// One member's definition.
struct MemberSeed<'r>(&'r mut Reading);

impl<'de> Visitor<'de> for MemberSeed<'_> {
    type Value = MemberDef;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member")
    }

    not_an_object!(MemberDef::default());

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut def = MemberDef::default();
        let (mut first, mut has_target) = (true, false);
        while let Some(key) = map.next_key_seed(FieldSeed)? {
            match key {
                Field::Number if first => {
                    token_number(&mut map)?;
                    return Ok(MemberDef::default());
                }
                Field::Target => {
                    self.0.repeated |= has_target;
                    has_target = true;
                    def.target = map.next_value_seed(TargetSeed(&mut *self.0))?;
                }
                Field::Traits => {
                    self.0.repeated |= def.traits.is_some();
                    def.traits = Some(map.next_value_seed(TraitsSeed(&mut *self.0))?);
                }
                _ => {
                    map.next_value::<Skip>()?;
                }
            }
            first = false;
        }
        Ok(def)
    }
}

/// `traits`: each id with its value.
struct TraitsSeed<'r>(&'r mut Reading);

impl<'de> Visitor<'de> for TraitsSeed<'_> {
    type Value = Traits;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("traits")
    }

    not_an_object!(Err(()));

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let reading = &mut *self.0;
        reading.traits.clear();
        while let Some(id) = map.next_key_seed(IdSeed(&mut *reading))? {
            if reading.traits.is_empty() && &*id == NUMBER_TOKEN {
                token_number(&mut map)?;
                return Ok(Err(()));
            }
            let value = map.next_value::<JsonNode>()?.0;
            let application = reading.application(id, value);
            reading.traits.push(application);
        }
        reading.repeated |= has_repeats(&reading.traits, |t| &t.id.text);
        Ok(Ok(reading.traits.drain(..).collect()))
    }
}

/// A trait's id, as a key: its shared text.
struct IdSeed<'r>(&'r mut Reading);

impl<'de> DeserializeSeed<'de> for IdSeed<'_> {
    type Value = Arc<str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Arc<str>, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for IdSeed<'_> {
    type Value = Arc<str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a trait id")
    }

    fn visit_str<E>(self, id: &str) -> Result<Arc<str>, E> {
        Ok(self.0.id(id))
    }
}

/// A member's `target`: its shared text when it is a string. Any other
/// value is read as [`Skip`] reads it, and is no target.
struct TargetSeed<'r>(&'r mut Reading);

impl<'de> Visitor<'de> for TargetSeed<'_> {
    type Value = Option<Arc<str>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a target")
    }

    fn visit_str<E>(self, target: &str) -> Result<Self::Value, E> {
        Ok(Some(self.0.id(target)))
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        SkipVisitor.visit_seq(seq).map(|_| None)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        SkipVisitor.visit_map(map).map(|_| None)
    }
}

/// A value the reader has no use for, read in full and dropped. serde's
/// `IgnoredAny` would skip it with fewer checks than a node gets (escapes,
/// nesting depth, a spelt-out number), and so accept files the node path
/// rejects; this checks what a node does, without keeping anything.
struct Skip;

impl<'de> Deserialize<'de> for Skip {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Skip, D::Error> {
        deserializer.deserialize_any(SkipVisitor)
    }
}

struct SkipVisitor;

impl<'de> Visitor<'de> for SkipVisitor {
    type Value = Skip;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_str<E>(self, _: &str) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_unit<E>(self) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_none<E>(self) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Skip, A::Error> {
        while seq.next_element::<Skip>()?.is_some() {}
        Ok(Skip)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Skip, A::Error> {
        let mut first = true;
        while let Some(key) = map.next_key_seed(FieldSeed)? {
            if first && matches!(key, Field::Number) {
                token_number(&mut map)?;
                return Ok(Skip);
            }
            map.next_value::<Skip>()?;
            first = false;
        }
        Ok(Skip)
    }
}

/// The entries of an object, in document order, each value read by
/// `value`; `Err(())` when the object is a number (a map whose first key is
/// [`NUMBER_TOKEN`]), whose digits are checked all the same.
fn entries<'de, A: MapAccess<'de>, T>(
    mut map: A,
    mut value: impl FnMut(&mut A) -> Result<T, A::Error>,
) -> Result<Entries<T>, A::Error> {
    let mut entries = Vec::new();
    while let Some(key) = map.next_key::<String>()? {
        if entries.is_empty() && key == NUMBER_TOKEN {
            token_number(&mut map)?;
            return Ok(Err(()));
        }
        entries.push((key, value(&mut map)?));
    }
    Ok(Ok(entries))
}

/// True when a key appears twice among `entries`.
fn has_repeats<T>(entries: &[T], key: impl Fn(&T) -> &str) -> bool {
    if entries.len() <= 8 {
        return entries
            .iter()
            .enumerate()
            .any(|(i, e)| entries[..i].iter().any(|f| key(f) == key(e)));
    }
    let mut keys: Vec<&str> = entries.iter().map(key).collect();
    keys.sort_unstable();
    keys.windows(2).any(|w| w[0] == w[1])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Result<Document, NotAnObject>, serde_json::Error> {
        let file = crate::source::SourceMap::default().add("test.json", text);
        super::parse(text, file)
    }

    #[test]
    fn shares_the_texts_of_trait_ids_and_targets() {
        let doc = document(
            r#"{"shapes": {
                "ex#A": {"type": "structure", "traits": {"t#a": 1, "t#b": 2},
                         "members": {"x": {"target": "ex#T", "traits": {"t#a": 3}},
                                     "y": {"target": "ex#T"},
                                     "z": {"target": 1}, "w": {"target": [[{}]]},
                                     "v": {"target": null}}},
                "ex#L": {"type": "list", "member": {"target": "ex#\u0054"}}
            }}"#,
        );
        let mut shapes = shapes(doc);
        let ShapeValue::Def(list) = shapes.pop().unwrap().1 else {
            panic!("a definition")
        };
        let ShapeValue::Def(a) = shapes.pop().unwrap().1 else {
            panic!("a definition")
        };
        let traits = a.traits.unwrap().unwrap();
        let members = a.members.unwrap().unwrap();
        let member_traits = members[0].1.traits.as_ref().unwrap().as_ref().unwrap();
        assert!(Arc::ptr_eq(&traits[0].id.text, &member_traits[0].id.text));
        let (x, y) = (&members[0].1, &members[1].1);
        let target = x.target.as_ref().unwrap();
        assert!(Arc::ptr_eq(target, y.target.as_ref().unwrap()));
        // An escape spells the same id, so it is the same text.
        assert!(Arc::ptr_eq(
            target,
            list.member.unwrap().target.as_ref().unwrap()
        ));
        // A target that is no string is none.
        assert!(members[2..].iter().all(|(_, m)| m.target.is_none()));
    }

    fn document(text: &str) -> Document {
        match parse(text) {
            Ok(Ok(doc)) => doc,
            _ => panic!("a JSON AST object: {text}"),
        }
    }

    fn shapes(doc: Document) -> Vec<(String, ShapeValue)> {
        match doc.shapes.expect("shapes") {
            Ok(shapes) => shapes,
            Err(()) => panic!("an object"),
        }
    }

    #[test]
    fn takes_a_type_first_shape_apart() {
        let doc = document(
            r#"{"smithy": "2.0", "shapes": {
                "ex#L": {"type": "list", "member": {"target": "ex#S", "traits": {"t#a": 1}},
                         "members": {"ignored": {}}, "traits": {"t#b": {}}},
                "ex#S": {"type": "structure", "members": {"a": {"target": "ex#L", "x": [1]}, "b": 5}},
                "ex#Svc": {"type": "service", "version": "1", "operations": [{"target": "ex#Op"}]}
            }}"#,
        );
        assert!(!doc.repeated);
        assert!(matches!(doc.version, Some(Node::String(ref v)) if v == "2.0"));
        let shapes = shapes(doc);
        let [
            (l, ShapeValue::Def(l_def)),
            (_, ShapeValue::Def(s_def)),
            (_, ShapeValue::Def(svc)),
        ] = shapes.as_slice()
        else {
            panic!("three definitions");
        };
        assert_eq!(l, "ex#L");
        assert_eq!(l_def.type_name, "list");
        assert!(l_def.members.is_none());
        let member = l_def.member.as_ref().expect("a member");
        assert_eq!(member.target.as_deref(), Some("ex#S"));
        assert_eq!(member.traits.as_ref().unwrap().as_ref().unwrap().len(), 1);
        let members = s_def.members.as_ref().unwrap().as_ref().unwrap();
        assert_eq!(members.len(), 2);
        assert_eq!(members[0].1.target.as_deref(), Some("ex#L"));
        assert!(members[1].1.target.is_none());
        let keys: Vec<&str> = svc.properties.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["version", "operations"]);
    }

    #[test]
    fn a_shape_whose_type_comes_later_reads_as_a_node() {
        let doc = document(
            r#"{"shapes": {"ex#M": {"key": {"target": "ex#K"}, "type": "map", "value": 3}}}"#,
        );
        let shapes = shapes(doc);
        let ShapeValue::Def(def) = &shapes[0].1 else {
            panic!("a definition");
        };
        assert_eq!(def.type_name, "map");
        assert_eq!(def.key.as_ref().unwrap().target.as_deref(), Some("ex#K"));
        assert!(def.value.as_ref().unwrap().target.is_none());
    }

    #[test]
    fn values_of_the_wrong_kind_are_marked_not_failed() {
        let doc = document(
            r#"{"shapes": {"ex#A": 1, "ex#B": {"type": "structure", "members": [1], "traits": "x"},
                           "ex#C": {"type": "union", "members": {"m": {"target": 2, "traits": 3.5}}}}}"#,
        );
        let shapes = shapes(doc);
        assert!(matches!(shapes[0].1, ShapeValue::NotAnObject));
        let ShapeValue::Def(b) = &shapes[1].1 else {
            panic!("a definition");
        };
        assert!(matches!(b.members, Some(Err(()))));
        assert!(matches!(b.traits, Some(Err(()))));
        let ShapeValue::Def(c) = &shapes[2].1 else {
            panic!("a definition");
        };
        let member = &c.members.as_ref().unwrap().as_ref().unwrap()[0].1;
        assert!(member.target.is_none());
        assert!(matches!(member.traits, Some(Err(()))));
        assert!(matches!(parse("[1]"), Ok(Err(NotAnObject))));
        assert!(matches!(parse("12"), Ok(Err(NotAnObject))));
        assert!(matches!(document(r#"{"shapes": 4}"#).shapes, Some(Err(()))));
    }

    #[test]
    fn repeated_keys_are_flagged() {
        for text in [
            r#"{"shapes": {}, "shapes": {}}"#,
            r#"{"shapes": {"ex#A": {"type": "structure", "members": {"a": {}, "a": {}}}}}"#,
            r#"{"shapes": {"ex#A": {"type": "string", "traits": {"t#a": 1, "t#a": 2}}}}"#,
            r#"{"shapes": {"ex#A": {"type": "string", "type": "blob"}}}"#,
            r#"{"shapes": {"ex#A": {"type": "list", "member": {"target": "a", "target": "b"}}}}"#,
            r#"{"shapes": {"ex#A": {"type": "service", "version": "1", "version": "2"}}}"#,
        ] {
            assert!(document(text).repeated, "{text}");
        }
        let many: Vec<String> = (0..20).map(|i| format!(r#""t#a{}": 1"#, i % 19)).collect();
        let text = format!(
            r#"{{"shapes": {{"ex#A": {{"type": "string", "traits": {{{}}}}}}}}}"#,
            many.join(",")
        );
        assert!(document(&text).repeated);
        assert!(
            !document(
                r#"{"shapes": {"ex#A": {"type": "string", "traits": {"t#a": 1, "t#b": 1}}}}"#
            )
            .repeated
        );
    }

    #[test]
    fn values_it_has_no_use_for_are_still_checked() {
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        for text in [
            r#"{"x": "\ud800"}"#.to_owned(),
            format!(r#"{{"x": {deep}}}"#),
            r#"{"shapes": {"ex#A": {"type": "string", "x": {"$serde_json::private::Number": "z"}}}}"#
                .to_owned(),
            r#"{"shapes": {"ex#A": {"type": "list", "member": {"target": "a", "x": ["\ud800"]}}}}"#
                .to_owned(),
        ] {
            assert!(parse(&text).is_err(), "{text}");
            assert!(JsonNode::parse(&text).is_err(), "{text}");
        }
    }

    #[test]
    fn bad_json_fails_with_a_position() {
        let e = parse(r#"{"shapes": {"ex#A": {"type": "string",}}}"#)
            .err()
            .expect("not JSON");
        assert_eq!(e.line(), 1);
        assert!(parse(r#"{"shapes": {}} x"#).is_err());
    }
}
