//! The semantic model: an assembled, resolved, flattened graph of shapes.
//!
//! Everything in here is plain data: the loader builds it, validators read it,
//! the JSON AST emitter and the code generator consume it. No I/O, no parsing.

mod node;
mod shape;
mod shape_id;
mod trait_map;
pub mod traits;

use std::collections::BTreeMap;
use std::sync::Arc;

pub use node::{BigNumber, Node, Number};
pub use shape::{
    Member, OperationProps, Properties, ResourceProps, ServiceProps, Shape, ShapeType, Trait,
    trait_value,
};
pub use shape_id::{InvalidShapeId, ShapeId, is_identifier};
pub use trait_map::{Iter as TraitsIter, Traits};

/// A map keyed by name that keeps insertion order: members, object node
/// entries, resource identifiers and properties. Hashing uses `foldhash`,
/// which is fast on the short keys models have.
pub type NameMap<V> = indexmap::IndexMap<String, V, foldhash::fast::RandomState>;

/// Root shapes by id, in the order of their ids: looked up by hash, iterated
/// sorted, so everything built from a model is deterministic.
///
/// Each shape is behind an [`Arc`]: every load shares the built-in shapes
/// (the prelude and the trait definitions, prepared once per process for
/// each set of namespaces loads name) instead of copying them, and cloning
/// a model copies no shape.
pub type ShapeMap = indexmap::IndexMap<ShapeId, Arc<Shape>, foldhash::fast::RandomState>;

/// The namespace of the Smithy prelude.
pub const PRELUDE_NAMESPACE: &str = "smithy.api";

/// A loaded model: every shape by id, and the merged metadata.
///
/// Mixins are already applied (each shape lists all its members and inherited
/// traits), relative ids are resolved and `apply` statements are merged.
#[derive(Debug, Clone, Default)]
pub struct Model {
    /// Root shapes by id, including the prelude and built-in trait shapes,
    /// sorted by id.
    pub shapes: ShapeMap,
    /// Model metadata, merged across files.
    pub metadata: BTreeMap<String, Node>,
}

impl Model {
    /// The root shape with this id.
    pub fn shape(&self, id: &ShapeId) -> Option<&Shape> {
        self.shapes.get(id).map(Arc::as_ref)
    }

    /// The shape with this id text, e.g. `"smithy.api#String"`.
    pub fn shape_by_str(&self, id: &str) -> Option<&Shape> {
        ShapeId::parse(id).ok().and_then(|id| self.shape(&id))
    }

    /// The member with this id (`ns#Shape$member`).
    pub fn member(&self, id: &ShapeId) -> Option<&Member> {
        let name = id.member()?;
        self.shapes.get(&id.root())?.members.get(name)
    }

    /// The type of the shape `id` names (a member's own id resolves to its target's type).
    pub fn type_of(&self, id: &ShapeId) -> Option<ShapeType> {
        match id.member() {
            Some(_) => self.member(id).and_then(|m| self.type_of(&m.target)),
            None => self.shapes.get(id).map(|s| s.ty),
        }
    }

    /// Shapes that are not part of the prelude or the built-in trait namespaces.
    pub fn user_shapes(&self) -> impl Iterator<Item = &Shape> {
        self.shapes
            .values()
            .map(Arc::as_ref)
            .filter(|s| !s.span.is_builtin())
    }
}
