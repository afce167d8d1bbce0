//! Shapes, members and applied traits of an assembled model.

use std::collections::BTreeMap;
use std::fmt;

use super::{NameMap, Node, ShapeId, Traits};
use crate::source::Span;

/// The type of a shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(missing_docs)]
pub enum ShapeType {
    Blob,
    Boolean,
    Document,
    String,
    Byte,
    Short,
    Integer,
    Long,
    Float,
    Double,
    BigInteger,
    BigDecimal,
    Timestamp,
    Enum,
    IntEnum,
    List,
    Map,
    Structure,
    Union,
    Service,
    Resource,
    Operation,
}

impl ShapeType {
    /// Every shape type, in declaration order.
    pub const ALL: [ShapeType; 22] = [
        ShapeType::Blob,
        ShapeType::Boolean,
        ShapeType::Document,
        ShapeType::String,
        ShapeType::Byte,
        ShapeType::Short,
        ShapeType::Integer,
        ShapeType::Long,
        ShapeType::Float,
        ShapeType::Double,
        ShapeType::BigInteger,
        ShapeType::BigDecimal,
        ShapeType::Timestamp,
        ShapeType::Enum,
        ShapeType::IntEnum,
        ShapeType::List,
        ShapeType::Map,
        ShapeType::Structure,
        ShapeType::Union,
        ShapeType::Service,
        ShapeType::Resource,
        ShapeType::Operation,
    ];

    /// The type's name in the IDL and JSON AST (`bigInteger`, `intEnum`, ...).
    pub fn name(self) -> &'static str {
        match self {
            ShapeType::Blob => "blob",
            ShapeType::Boolean => "boolean",
            ShapeType::Document => "document",
            ShapeType::String => "string",
            ShapeType::Byte => "byte",
            ShapeType::Short => "short",
            ShapeType::Integer => "integer",
            ShapeType::Long => "long",
            ShapeType::Float => "float",
            ShapeType::Double => "double",
            ShapeType::BigInteger => "bigInteger",
            ShapeType::BigDecimal => "bigDecimal",
            ShapeType::Timestamp => "timestamp",
            ShapeType::Enum => "enum",
            ShapeType::IntEnum => "intEnum",
            ShapeType::List => "list",
            ShapeType::Map => "map",
            ShapeType::Structure => "structure",
            ShapeType::Union => "union",
            ShapeType::Service => "service",
            ShapeType::Resource => "resource",
            ShapeType::Operation => "operation",
        }
    }

    /// Looks a type up by its IDL/JSON name (`set` is not a type of its own).
    pub fn from_name(name: &str) -> Option<ShapeType> {
        ShapeType::ALL.into_iter().find(|t| t.name() == name)
    }

    /// Simple types: everything that has no members and no properties.
    pub fn is_simple(self) -> bool {
        (self as u8) <= (ShapeType::Timestamp as u8)
    }

    /// byte, short, integer, long, float, double, bigInteger, bigDecimal (and intEnum).
    pub fn is_number(self) -> bool {
        matches!(
            self,
            ShapeType::Byte
                | ShapeType::Short
                | ShapeType::Integer
                | ShapeType::Long
                | ShapeType::Float
                | ShapeType::Double
                | ShapeType::BigInteger
                | ShapeType::BigDecimal
                | ShapeType::IntEnum
        )
    }

    /// Types whose members are declared in a member block.
    pub fn has_members(self) -> bool {
        matches!(
            self,
            ShapeType::Enum
                | ShapeType::IntEnum
                | ShapeType::List
                | ShapeType::Map
                | ShapeType::Structure
                | ShapeType::Union
        )
    }
}

impl fmt::Display for ShapeType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An applied trait: its value and where it was applied.
#[derive(Debug, Clone)]
pub struct Trait {
    /// The trait's value.
    pub value: Node,
    /// Where the trait was applied (or the shape, for implied traits).
    pub span: Span,
}

/// A member of a structure, union, list, map, enum or intEnum.
#[derive(Debug, Clone)]
pub struct Member {
    /// The full id, `ns#Shape$member`.
    pub id: ShapeId,
    /// The shape the member targets (`smithy.api#Unit` for enum members).
    pub target: ShapeId,
    /// Traits applied to the member.
    pub traits: Traits,
    /// Where the member is defined.
    pub span: Span,
}

impl Member {
    /// The member's name.
    pub fn name(&self) -> &str {
        self.id.member().unwrap_or_default()
    }

    /// True when trait `id` is applied to the member (see [`super::traits`]).
    pub fn has_trait(&self, id: &str) -> bool {
        self.traits.contains_key(id)
    }

    /// The value of trait `id`, if applied to the member.
    pub fn trait_value(&self, id: &str) -> Option<&Node> {
        trait_value(&self.traits, id)
    }
}

/// Properties of a service shape.
#[derive(Debug, Clone, Default, PartialEq)]
#[allow(missing_docs)]
pub struct ServiceProps {
    pub version: Option<String>,
    pub operations: Vec<ShapeId>,
    pub resources: Vec<ShapeId>,
    pub errors: Vec<ShapeId>,
    pub rename: BTreeMap<ShapeId, String>,
}

/// Properties of a resource shape.
#[derive(Debug, Clone, Default, PartialEq)]
#[allow(missing_docs)]
pub struct ResourceProps {
    pub identifiers: NameMap<ShapeId>,
    pub properties: NameMap<ShapeId>,
    pub create: Option<ShapeId>,
    pub put: Option<ShapeId>,
    pub read: Option<ShapeId>,
    pub update: Option<ShapeId>,
    pub delete: Option<ShapeId>,
    pub list: Option<ShapeId>,
    pub operations: Vec<ShapeId>,
    pub collection_operations: Vec<ShapeId>,
    pub resources: Vec<ShapeId>,
}

impl ResourceProps {
    /// The operations and resources the resource binds: its lifecycle
    /// operations, its instance and collection operations, and its child
    /// resources (spec: "Service types", section "Resource").
    pub fn bound(&self) -> impl Iterator<Item = &ShapeId> {
        [
            &self.create,
            &self.put,
            &self.read,
            &self.update,
            &self.delete,
            &self.list,
        ]
        .into_iter()
        .flatten()
        .chain(&self.operations)
        .chain(&self.collection_operations)
        .chain(&self.resources)
    }
}

/// Properties of an operation shape. Input and output default to `smithy.api#Unit`.
#[derive(Debug, Clone, PartialEq)]
#[allow(missing_docs)]
pub struct OperationProps {
    pub input: ShapeId,
    pub output: ShapeId,
    pub errors: Vec<ShapeId>,
}

/// Type-specific properties of service, resource and operation shapes,
/// boxed: most shapes have none, and every shape is moved while a model is
/// assembled.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Properties {
    /// Every other shape type.
    #[default]
    None,
    /// A service's properties.
    Service(Box<ServiceProps>),
    /// A resource's properties.
    Resource(Box<ResourceProps>),
    /// An operation's properties.
    Operation(Box<OperationProps>),
}

/// A root shape of the model.
#[derive(Debug, Clone)]
pub struct Shape {
    /// The shape's absolute id.
    pub id: ShapeId,
    /// The shape's type.
    pub ty: ShapeType,
    /// Traits applied to the shape (mixin traits already inherited).
    pub traits: Traits,
    /// Members in declaration order (mixin members first, already flattened).
    pub members: NameMap<Member>,
    /// The mixins the shape was declared with (already applied).
    pub mixins: Vec<ShapeId>,
    /// Service, resource and operation properties.
    pub properties: Properties,
    /// Where the shape is defined.
    pub span: Span,
}

impl Shape {
    /// True when trait `id` is applied (see [`super::traits`]).
    pub fn has_trait(&self, id: &str) -> bool {
        self.traits.contains_key(id)
    }

    /// The value of trait `id`, if applied.
    pub fn trait_value(&self, id: &str) -> Option<&Node> {
        trait_value(&self.traits, id)
    }

    /// The `smithy.api#documentation` text, if any.
    pub fn documentation(&self) -> Option<&str> {
        self.trait_value(super::traits::DOCUMENTATION)
            .and_then(Node::as_str)
    }

    /// Operation properties, when this is an operation.
    pub fn as_operation(&self) -> Option<&OperationProps> {
        match &self.properties {
            Properties::Operation(p) => Some(p),
            _ => None,
        }
    }

    /// Service properties, when this is a service.
    pub fn as_service(&self) -> Option<&ServiceProps> {
        match &self.properties {
            Properties::Service(p) => Some(p),
            _ => None,
        }
    }

    /// Resource properties, when this is a resource.
    pub fn as_resource(&self) -> Option<&ResourceProps> {
        match &self.properties {
            Properties::Resource(p) => Some(p),
            _ => None,
        }
    }
}

/// Looks up a trait by the text of its id.
pub fn trait_value<'a>(traits: &'a Traits, id: &str) -> Option<&'a Node> {
    traits.get(id).map(|t| &t.value)
}
