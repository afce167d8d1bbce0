//! The unresolved, per-file form of a model that both front ends produce.
//!
//! The IDL parser and the JSON AST reader each turn one file into a
//! [`RawFile`]. Shape references in it may still be relative (IDL), trait
//! values may still hold syntactic shape ids, and mixins are not applied yet:
//! `loader::assemble` does all of that once every file is known.

use std::sync::Arc;

use super::builtin::Namespaces;
use crate::model::{NameMap, Node, Number, ShapeId, ShapeType};
use crate::source::{FileId, Span};

/// The IDL/JSON version a file declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// `1.0` (or no `$version` in an IDL file).
    V1,
    /// `2.0` or `2`.
    V2,
}

/// A shape reference as written: absolute (`a.b#C`) or relative (`C`, `C$m`).
#[derive(Debug, Clone)]
pub struct RawRef {
    /// The text as written. A front end may share one text between the
    /// references that spell it the same (the JSON AST reader does, for the
    /// few traits and targets a file names many times).
    pub text: Arc<str>,
    /// Where it was written.
    pub span: Span,
}

/// A node value before shape ids are resolved.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum RawNode {
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number.
    Number(Number),
    /// A quoted string or text block.
    String(String),
    /// An unquoted shape id (IDL only), resolved during assembly.
    ShapeId(RawRef),
    /// An array.
    Array(Vec<RawNode>),
    /// An object.
    Object(NameMap<RawNode>),
    /// A value with no shape id left to resolve (the JSON AST's trait
    /// values and metadata): assembly takes it as it is.
    Resolved(Node),
}

/// A trait application.
#[derive(Debug, Clone)]
pub struct RawTrait {
    /// The trait's shape id as written.
    pub id: RawRef,
    /// The value; `None` for an annotation with no value (`@foo` or `@foo()`).
    pub value: Option<RawNode>,
    /// The whole application.
    pub span: Span,
}

/// A member, as declared.
#[derive(Debug, Clone)]
pub struct RawMember {
    /// The member name.
    pub name: String,
    /// The target; `None` when elided (`$name`) or for enum members.
    pub target: Option<RawRef>,
    /// Traits, including `@default`/`@enumValue` from `= value`.
    pub traits: Vec<RawTrait>,
    /// Where the member is declared.
    pub span: Span,
}

/// Service, resource and operation properties as written.
#[derive(Debug, Clone, Default)]
pub struct RawProperties {
    /// Property name to value (IDL node object or JSON AST members).
    pub values: NameMap<(RawNode, Span)>,
}

/// A shape definition, as declared in one file.
#[derive(Debug, Clone)]
pub struct RawShape {
    /// The absolute id.
    pub id: ShapeId,
    /// The type (`set` already became `list` + `@uniqueItems`).
    pub ty: ShapeType,
    /// Traits in application order.
    pub traits: Vec<RawTrait>,
    /// Members in declaration order.
    pub members: Vec<RawMember>,
    /// Mixins in declaration order.
    pub mixins: Vec<RawRef>,
    /// `for Resource` (structures, including inline input/output).
    pub for_resource: Option<RawRef>,
    /// Service/resource/operation properties.
    pub properties: RawProperties,
    /// The file's version.
    pub version: Version,
    /// Where the shape is defined (its name).
    pub span: Span,
}

/// An `apply` statement or a JSON AST `"type": "apply"` entry.
#[derive(Debug, Clone)]
pub struct RawApply {
    /// The target shape or member.
    pub target: RawRef,
    /// The traits to apply.
    pub traits: Vec<RawTrait>,
    /// The statement.
    pub span: Span,
}

/// Everything one file contributes.
#[derive(Debug, Clone)]
pub struct RawFile {
    /// The file.
    pub file: FileId,
    /// The declared version.
    pub version: Version,
    /// The file's namespace (IDL); used to resolve relative ids.
    pub namespace: Option<String>,
    /// `use` statements.
    pub uses: Vec<RawRef>,
    /// Metadata entries.
    pub metadata: Vec<(String, RawNode, Span)>,
    /// Shape definitions.
    pub shapes: Vec<RawShape>,
    /// `apply` statements.
    pub applies: Vec<RawApply>,
    /// The bundled namespaces the file names: which built-in files a load
    /// of it needs.
    pub names: Namespaces,
}

impl RawFile {
    /// An empty file record.
    pub fn new(file: FileId, version: Version) -> RawFile {
        RawFile {
            file,
            version,
            namespace: None,
            uses: Vec::new(),
            metadata: Vec::new(),
            shapes: Vec::new(),
            applies: Vec::new(),
            names: Namespaces::PRELUDE,
        }
    }
}
