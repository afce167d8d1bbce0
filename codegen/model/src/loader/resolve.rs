//! Relative shape id resolution for one file.
//!
//! A relative id resolves, in order, through the file's `use` statements,
//! then the file's namespace, then the prelude. An id that resolves nowhere
//! still yields an absolute id (in the file's namespace) so that loading can
//! go on; the caller reports it.

use std::cell::RefCell;

use foldhash::{HashMap, HashMapExt as _};

use crate::diagnostics::{Code, Diagnostic};
use crate::loader::raw::{RawFile, RawNode, RawRef};
use crate::model::{Node, PRELUDE_NAMESPACE, ShapeId, ShapeType, is_identifier};

/// The resolution context of one file.
pub struct Scope<'a> {
    namespace: Option<String>,
    uses: HashMap<String, ShapeId>,
    /// Every defined root shape id, with its type.
    defined: &'a HashMap<ShapeId, ShapeType>,
    /// Trait ids resolved so far. A file applies a few traits many times
    /// over; finding each among every defined shape costs more.
    trait_ids: RefCell<HashMap<String, Option<ShapeId>>>,
}

/// The outcome of resolving a reference.
pub enum Resolved {
    /// It names a shape that exists (or an absolute id, checked later).
    Found(ShapeId),
    /// It resolved nowhere; the id is the best guess.
    Missing(ShapeId),
    /// It is not a shape id at all.
    Invalid,
}

impl<'a> Scope<'a> {
    /// Builds the scope of `file`, reporting conflicting `use` statements.
    pub fn new(
        file: &RawFile,
        defined: &'a HashMap<ShapeId, ShapeType>,
        diags: &mut Vec<Diagnostic>,
    ) -> Self {
        let mut uses: HashMap<String, ShapeId> = HashMap::new();
        for u in &file.uses {
            let Ok(id) = ShapeId::parse(&u.text) else {
                continue;
            };
            // The defined id's text is shared, as `shared` shares it.
            let id = match defined.get_key_value(&id) {
                Some((shared, _)) => shared.clone(),
                None => {
                    diags.push(
                        Diagnostic::error(
                            Code::UnresolvedShape,
                            u.span,
                            format!("`use` names `{id}`, which is not defined"),
                        )
                        .with_label("no such shape"),
                    );
                    id
                }
            };
            match uses.get(id.name()) {
                Some(existing) if *existing != id => diags.push(
                    Diagnostic::error(
                        Code::UseConflict,
                        u.span,
                        format!("cannot use `{id}` because it conflicts with `{existing}`"),
                    )
                    .with_label("both are named the same"),
                ),
                _ => {
                    uses.insert(id.name().to_owned(), id);
                }
            }
        }
        let namespace = file.namespace.clone();
        for shape in &file.shapes {
            if let Some(used) = uses.get(shape.id.name())
                && *used != shape.id
            {
                diags.push(
                    Diagnostic::error(
                        Code::UseConflict,
                        shape.span,
                        format!(
                            "shape name `{}` conflicts with imported shape `{used}`",
                            shape.id.name()
                        ),
                    )
                    .with_label("defined here"),
                );
            }
        }
        Scope {
            namespace,
            uses,
            defined,
            trait_ids: RefCell::default(),
        }
    }

    /// Resolves the id of an applied trait as [`Scope::resolve`] does,
    /// to the best guess when it resolves nowhere; `None` when it is no
    /// shape id.
    pub fn trait_id(&self, text: &str) -> Option<ShapeId> {
        if let Some(id) = self.trait_ids.borrow().get(text) {
            return id.clone();
        }
        let id = match self.resolve(text) {
            Resolved::Found(id) | Resolved::Missing(id) => Some(id),
            Resolved::Invalid => None,
        };
        self.trait_ids
            .borrow_mut()
            .insert(text.to_owned(), id.clone());
        id
    }

    /// The defined root shape id whose text is `text`, shared.
    fn shared(&self, text: &str) -> Option<ShapeId> {
        self.defined.get_key_value(text).map(|(id, _)| id.clone())
    }

    /// Resolves a reference as written.
    pub fn resolve(&self, text: &str) -> Resolved {
        if text.contains('#') {
            // A defined shape's id is shared, not parsed and allocated again.
            if let Some(id) = self.shared(text) {
                return Resolved::Found(id);
            }
            return match ShapeId::parse(text) {
                Ok(id) => Resolved::Found(id),
                Err(_) => Resolved::Invalid,
            };
        }
        let (root, member) = match text.split_once('$') {
            // A member part must be an identifier, as the root part must
            // (checked where the id is built from it).
            Some((_, m)) if !is_identifier(m) => return Resolved::Invalid,
            Some((r, m)) => (r, Some(m)),
            None => (text, None),
        };
        let with_member = |id: ShapeId| match member {
            Some(m) => id.with_member(m),
            None => id,
        };
        if let Some(id) = self.uses.get(root) {
            return Resolved::Found(with_member(id.clone()));
        }
        let local = self
            .namespace
            .as_deref()
            .and_then(|ns| ShapeId::from_parts(ns, root).ok());
        if let Some(id) = local.as_ref().and_then(|id| self.shared(id.as_str())) {
            return Resolved::Found(with_member(id));
        }
        match ShapeId::from_parts(PRELUDE_NAMESPACE, root) {
            Ok(id) if self.defined.contains_key(&id) => {
                let shared = self.shared(id.as_str()).unwrap_or(id);
                Resolved::Found(with_member(shared))
            }
            Ok(prelude) => Resolved::Missing(with_member(local.unwrap_or(prelude))),
            Err(_) => Resolved::Invalid,
        }
    }

    /// Resolves to a shape that exists (`Ok`), or to the best guess of a
    /// missing one (`Err(Some)`), or finds the text is no shape id (`Err(None)`).
    /// Member ids count as existing; their members are checked later.
    fn lookup(&self, text: &str) -> Result<ShapeId, Option<ShapeId>> {
        if text.contains('#') {
            // Absolute, as every reference of a JSON AST is: one lookup.
            if let Some(id) = self.shared(text) {
                return Ok(id);
            }
            return match ShapeId::parse(text) {
                Ok(id) if id.member().is_some() => Ok(id),
                Ok(id) => Err(Some(id)),
                Err(_) => Err(None),
            };
        }
        match self.resolve(text) {
            Resolved::Found(id) if id.member().is_some() || self.defined.contains_key(&id) => {
                Ok(id)
            }
            Resolved::Found(id) | Resolved::Missing(id) => Err(Some(id)),
            Resolved::Invalid => Err(None),
        }
    }

    /// Resolves a reference to a shape, reporting one that does not resolve.
    pub fn shape_ref(
        &self,
        r: &RawRef,
        what: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<ShapeId> {
        match self.lookup(&r.text) {
            Ok(id) => Some(id),
            Err(Some(id)) => {
                diags.push(
                    Diagnostic::error(
                        Code::UnresolvedShape,
                        r.span,
                        format!("{what} `{}` does not resolve to a shape", r.text),
                    )
                    .with_label(format!("resolved to `{id}`, which is not defined")),
                );
                Some(id)
            }
            Err(None) => {
                diags.push(
                    Diagnostic::error(
                        Code::UnresolvedShape,
                        r.span,
                        format!("`{}` is not a valid shape id", r.text),
                    )
                    .with_label("invalid shape id"),
                );
                None
            }
        }
    }

    /// Converts a raw node to a node, resolving syntactic shape ids to
    /// absolute id strings.
    pub fn node(&self, raw: RawNode, diags: &mut Vec<Diagnostic>) -> Node {
        match raw {
            RawNode::Resolved(node) => node,
            RawNode::Null => Node::Null,
            RawNode::Bool(b) => Node::Bool(b),
            RawNode::Number(n) => Node::Number(n),
            RawNode::String(s) => Node::String(s),
            RawNode::ShapeId(r) => match self.lookup(&r.text) {
                Ok(id) => Node::String(id.to_string()),
                Err(Some(id)) => {
                    diags.push(
                        Diagnostic::error(
                            Code::InvalidIdRef,
                            r.span,
                            format!("syntactic shape id `{}` does not resolve to a shape (tried `{id}`)", r.text),
                        )
                        .with_label("unquoted values are shape ids")
                        .with_note("put the value in quotes if it is meant as a string"),
                    );
                    Node::String(id.to_string())
                }
                Err(None) => Node::String(r.text.to_string()),
            },
            RawNode::Array(items) => {
                Node::Array(items.into_iter().map(|i| self.node(i, diags)).collect())
            }
            RawNode::Object(map) => Node::Object(
                map.into_iter()
                    .map(|(k, v)| (k, self.node(v, diags)))
                    .collect(),
            ),
        }
    }
}
