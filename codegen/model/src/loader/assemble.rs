//! Assembly: many raw files in, one resolved and flattened [`Model`] out.
//!
//! The steps, in order:
//! 1. collect every defined root shape id (forward references just work);
//! 2. resolve each file's shapes in its own scope (`use`, namespace, prelude),
//!    turning annotation traits into their typed empty values;
//! 3. merge definitions: user files replace built-in definitions, identical
//!    user re-definitions are accepted, conflicting ones are errors;
//! 4. flatten mixins in dependency order, resolving elided member targets and
//!    applying `apply` statements to each shape as it is finished (so traits
//!    applied to a mixin's members reach the shapes that use the mixin);
//! 5. normalise: enum member targets and values, 1.0 defaults, list/map members;
//! 6. merge metadata.

use std::collections::BTreeMap;
use std::sync::Arc;

use foldhash::{HashMap, HashMapExt as _, HashSet, HashSetExt as _};

use super::raw::{RawFile, RawMember, RawNode, RawShape, RawTrait, Version};
use super::resolve::Scope;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::traits;
use crate::model::{
    Member, Model, NameMap, Node, Number, OperationProps, Properties, ResourceProps, ServiceProps,
    Shape, ShapeId, ShapeMap, ShapeType, Trait, Traits,
};
use crate::source::Span;

const UNIT: &str = traits::prelude::UNIT;

fn unit() -> ShapeId {
    ShapeId::parse(UNIT).expect("prelude id")
}

fn prelude(name: &str) -> ShapeId {
    ShapeId::from_parts("smithy.api", name).expect("prelude id")
}

/// Shapes being assembled, by id: hashed, as each file's shapes are merged
/// in and flattening looks mixins up. The map keeps the files' order; the
/// shapes are visited in id order (`id_order`).
type PendingMap = indexmap::IndexMap<ShapeId, Pending, foldhash::fast::RandomState>;

struct Pending {
    shape: Shape,
    /// Names of members whose target was elided (`$name`).
    elided: Vec<String>,
    for_resource: Option<ShapeId>,
    version: Version,
    /// Traits that came from mixins, by member name (`None`: the shape itself).
    /// `apply` replaces these instead of conflicting with them.
    inherited: HashSet<(Option<String>, ShapeId)>,
    /// Elided members whose target came from a mixin, with that target.
    elided_from_mixin: Vec<(String, ShapeId)>,
    /// A shape of the base, here only as a mixin or resource of new shapes.
    finished: bool,
}

impl Pending {
    fn finished(shape: Shape) -> Pending {
        Pending {
            shape,
            elided: Vec::new(),
            for_resource: None,
            version: Version::V2,
            inherited: HashSet::new(),
            elided_from_mixin: Vec::new(),
            finished: true,
        }
    }
}

impl Pending {
    /// True when flattening has nothing to do for the shape itself: it
    /// mixes nothing in, binds no resource and elides no target.
    fn is_plain(&self) -> bool {
        self.shape.mixins.is_empty()
            && self.for_resource.is_none()
            && self.elided.is_empty()
            && self.elided_from_mixin.is_empty()
    }
}

struct PendingApply {
    target: ShapeId,
    traits: Traits,
    span: Span,
}

/// The built-in files assembled on their own, which a load extends with
/// its own files instead of assembling the built-in ones again.
pub struct Base {
    /// The built-in shapes, flattened and normalised.
    pub model: Model,
    /// Each built-in shape's id, with its type.
    defined: HashMap<ShapeId, ShapeType>,
}

impl Base {
    /// Wraps the model the built-in files make alone. Its shapes are put
    /// in id order (as assembly leaves them) if they are not: loads merge
    /// their own shapes with them in that order.
    pub fn new(mut model: Model) -> Base {
        if !model.shapes.keys().is_sorted() {
            model.shapes.sort_keys();
        }
        Base {
            defined: model
                .shapes
                .values()
                .map(|s| (s.id.clone(), s.ty))
                .collect(),
            model,
        }
    }

    /// True when `files` leave every built-in shape as it is, so the model
    /// they make with the built-in files is the base plus their shapes: they
    /// define no shape the base has (a user definition replaces a built-in
    /// one, as `merge_definition` says) and `apply` nothing to one.
    pub fn extended_by(&self, files: &[RawFile]) -> bool {
        let mut new_shapes = files.iter().flat_map(|f| &f.shapes);
        if new_shapes.any(|s| self.defined.contains_key(&s.id)) {
            return false;
        }
        if files.iter().all(|f| f.applies.is_empty()) {
            return true;
        }
        // Resolve the targets as assembly will, with every shape defined.
        let mut defined = self.defined.clone();
        defined.extend(
            files
                .iter()
                .flat_map(|f| &f.shapes)
                .map(|s| (s.id.clone(), s.ty)),
        );
        let mut scratch = Vec::new();
        files.iter().all(|file| {
            let scope = Scope::new(file, &defined, &mut scratch);
            file.applies.iter().all(|apply| {
                scope
                    .shape_ref(&apply.target, "the target of `apply`", &mut scratch)
                    .is_none_or(|target| !self.defined.contains_key(&target.root()))
            })
        })
    }
}

/// Assembles raw files into a model. Built-in files must come first.
///
/// The files are consumed: trait values and metadata move into the model
/// rather than being copied.
pub fn assemble(files: Vec<RawFile>, diags: &mut Vec<Diagnostic>) -> Model {
    assemble_with(None, files, diags)
}

/// Assembles user files onto the built-in base; `base.extended_by(&files)`
/// must hold. The result equals [`assemble`] of the built-in files followed
/// by `files`, without assembling the built-in files again.
pub fn assemble_onto(base: &Base, files: Vec<RawFile>, diags: &mut Vec<Diagnostic>) -> Model {
    assemble_with(Some(base), files, diags)
}

fn assemble_with(base: Option<&Base>, files: Vec<RawFile>, diags: &mut Vec<Diagnostic>) -> Model {
    // 1. Every defined root id, with its type (user definitions win).
    let mut defined = match base {
        Some(base) => base.defined.clone(),
        None => HashMap::new(),
    };
    let new_shapes = files.iter().map(|f| f.shapes.len()).sum();
    defined.reserve(new_shapes);
    for file in &files {
        for shape in &file.shapes {
            defined.insert(shape.id.clone(), shape.ty);
        }
    }

    // 2 + 3. Resolve each file and merge its shapes.
    let unit_id = defined
        .get_key_value(UNIT)
        .map_or_else(unit, |(id, _)| id.clone());
    let mut shapes = PendingMap::with_capacity_and_hasher(new_shapes, Default::default());
    let mut applies: BTreeMap<ShapeId, Vec<PendingApply>> = BTreeMap::new();
    let mut metadata: BTreeMap<String, (Node, Span)> = BTreeMap::new();
    // Where each file's new shapes start among `shapes`.
    let mut file_starts = Vec::with_capacity(files.len());
    for mut file in files {
        file_starts.push(shapes.len());
        let scope = Scope::new(&file, &defined, diags);
        let cx = FileCx {
            scope: &scope,
            types: &defined,
            unit: unit_id.clone(),
        };
        for raw in std::mem::take(&mut file.shapes) {
            let pending = cx.shape(raw, diags);
            merge_definition(&mut shapes, pending, diags);
        }
        for apply in std::mem::take(&mut file.applies) {
            let Some(target) = scope.shape_ref(&apply.target, "the target of `apply`", diags)
            else {
                continue;
            };
            let traits = cx.traits(apply.traits, diags);
            applies
                .entry(target.root())
                .or_default()
                .push(PendingApply {
                    target,
                    traits,
                    span: apply.span,
                });
        }
        for (key, raw, span) in std::mem::take(&mut file.metadata) {
            let value = scope.node(raw, diags);
            merge_metadata(&mut metadata, &key, value, span, diags);
        }
    }

    // 4. Flatten mixins and apply `apply` statements. Built-in shapes the
    // new ones mix in (or bind to, with `for`) join them, already done.
    let mut done = HashSet::new();
    if let Some(base) = base {
        let deps: Vec<ShapeId> = shapes
            .values()
            .flat_map(|p| p.shape.mixins.iter().chain(&p.for_resource))
            .filter(|id| !shapes.contains_key(*id))
            .cloned()
            .collect();
        for id in deps {
            if let Some(shape) = base.model.shapes.get(&id) {
                done.insert(id.clone());
                shapes.insert(id, Pending::finished(Shape::clone(shape)));
            }
        }
    }
    // Flattened (and so diagnosed) in id order, whatever the files' order.
    // The map stays in the files' order; its shapes are visited in id order.
    let order = id_order(&shapes.keys().collect::<Vec<_>>(), &file_starts);
    let mut flattener = Flattener {
        shapes,
        applies,
        done,
        visiting: Vec::new(),
    };
    // Most shapes have nothing to flatten: no mixin, no resource, no
    // elided member, no `apply`. They are skipped without a lookup;
    // flattening one anyway (as another's mixin) changes nothing.
    for &i in &order {
        let Some((id, pending)) = flattener.shapes.get_index(i) else {
            continue;
        };
        let untouched = pending.is_plain()
            && (flattener.applies.is_empty() || !flattener.applies.contains_key(id));
        if !untouched {
            let id = id.clone();
            flattener.flatten(&id, diags);
        }
    }
    for (_, pending) in std::mem::take(&mut flattener.applies) {
        for apply in pending {
            diags.push(
                Diagnostic::error(
                    Code::ApplyTarget,
                    apply.span,
                    format!("`apply` targets `{}`, which does not exist", apply.target),
                )
                .with_label("no such shape or member"),
            );
        }
    }

    // 5. Normalise the new shapes (the base's already are). The base's
    // shapes are shared, not copied: each costs a reference count. The
    // built-in files define no metadata (a unit test checks), so the base
    // adds none.
    // Only 1.0 shapes are normalised differently; most models have none.
    let v1: HashSet<ShapeId> = flattener
        .shapes
        .iter()
        .filter(|(_, p)| p.version == Version::V1)
        .map(|(id, _)| id.clone())
        .collect();
    // The new shapes in id order, each moved out once: a moved one is
    // marked finished, so it can never be taken twice.
    let new_count = flattener.shapes.len();
    let new_shapes = order.into_iter().filter_map(|i| {
        let (id, pending) = flattener.shapes.get_index_mut(i)?;
        if pending.finished {
            return None;
        }
        pending.finished = true;
        let left = placeholder(&unit_id, pending.shape.span);
        Some((id.clone(), std::mem::replace(&mut pending.shape, left)))
    });
    let shapes = match base.map(|b| &b.model.shapes) {
        // A small load onto the built-in shapes: their map is copied whole,
        // keeping each id's hash, and the new shapes follow it, a sorted
        // run after a sorted run that one merge puts in order.
        Some(base) if base.len() > new_count => {
            let mut shapes = base.clone();
            shapes.reserve(new_count);
            for (id, shape) in new_shapes {
                shapes.insert(id, Arc::new(shape));
            }
            shapes.sort_keys();
            shapes
        }
        // A large one: both in id order, merged in id order (the new shapes
        // never replace one of the base's; were one to, it would win).
        base => {
            let mut shapes = ShapeMap::with_capacity_and_hasher(
                base.map_or(0, |b| b.len()) + new_count,
                Default::default(),
            );
            let mut base = base.into_iter().flatten().peekable();
            for (id, shape) in new_shapes {
                while let Some((base_id, base_shape)) = base.next_if(|(base_id, _)| **base_id < id)
                {
                    shapes.insert(base_id.clone(), Arc::clone(base_shape));
                }
                base.next_if(|(base_id, _)| **base_id == id);
                shapes.insert(id, Arc::new(shape));
            }
            for (base_id, base_shape) in base {
                shapes.insert(base_id.clone(), Arc::clone(base_shape));
            }
            shapes
        }
    };
    let mut model = Model {
        shapes,
        metadata: metadata.into_iter().map(|(k, (v, _))| (k, v)).collect(),
    };
    normalise(&mut model, &v1, base.is_some(), diags);
    model
}

/// A shape that owns nothing, left where a finished shape was moved out.
fn placeholder(unit: &ShapeId, span: Span) -> Shape {
    Shape {
        id: unit.clone(),
        ty: ShapeType::Structure,
        traits: Traits::new(),
        members: NameMap::default(),
        mixins: Vec::new(),
        properties: Properties::None,
        span,
    }
}

/// The positions of `ids` in id order; `starts` are the (ascending)
/// positions where each file's ids start.
///
/// A file's shapes usually come in id order, and its ids apart from other
/// files' (a namespace each). The runs of ascending ids within each file
/// are then put in order by their first ids: a comparison for each id and
/// a few for each run, where sorting would compare each id many times.
/// Ids that do not fall apart that way are sorted.
fn id_order(ids: &[&ShapeId], starts: &[usize]) -> Vec<usize> {
    let mut runs: Vec<std::ops::Range<usize>> = Vec::new();
    let mut start = 0;
    let mut starts = starts.iter().peekable();
    for i in 1..=ids.len() {
        let mut file_starts = false;
        while let Some(&s) = starts.next_if(|&&s| s <= i) {
            file_starts |= s == i;
        }
        if i == ids.len() || file_starts || ids[i] <= ids[i - 1] {
            runs.push(start..i);
            start = i;
        }
    }
    runs.sort_by(|a, b| ids[a.start].cmp(ids[b.start]));
    if runs.windows(2).all(|w| ids[w[0].end - 1] < ids[w[1].start]) {
        return runs.into_iter().flatten().collect();
    }
    let mut order: Vec<usize> = (0..ids.len()).collect();
    order.sort_by(|&a, &b| ids[a].cmp(ids[b]));
    order
}

struct FileCx<'a> {
    scope: &'a Scope<'a>,
    types: &'a HashMap<ShapeId, ShapeType>,
    /// `smithy.api#Unit`, shared by every enum member and operation that
    /// targets it.
    unit: ShapeId,
}

impl FileCx<'_> {
    fn shape(&self, mut raw: RawShape, diags: &mut Vec<Diagnostic>) -> Pending {
        let mut members = NameMap::with_capacity_and_hasher(raw.members.len(), Default::default());
        let mut elided = Vec::new();
        for mut m in std::mem::take(&mut raw.members) {
            match members.entry(std::mem::take(&mut m.name)) {
                indexmap::map::Entry::Occupied(first) => diags.push(
                    Diagnostic::error(
                        Code::DuplicateMember,
                        m.span,
                        format!("member `{}` is defined twice in `{}`", first.key(), raw.id),
                    )
                    .with_label("duplicate member"),
                ),
                indexmap::map::Entry::Vacant(slot) => {
                    let member = self.member(&raw, slot.key(), m, &mut elided, diags);
                    slot.insert(member);
                }
            }
        }
        let mixins = raw
            .mixins
            .iter()
            .filter_map(|r| self.scope.shape_ref(r, "mixin", diags))
            .collect();
        let for_resource = raw
            .for_resource
            .as_ref()
            .and_then(|r| self.scope.shape_ref(r, "resource", diags));
        let properties = self.properties(&raw, diags);
        Pending {
            shape: Shape {
                id: raw.id.clone(),
                ty: raw.ty,
                traits: self.traits(std::mem::take(&mut raw.traits), diags),
                members,
                mixins,
                properties,
                span: raw.span,
            },
            elided,
            for_resource,
            version: raw.version,
            inherited: HashSet::new(),
            elided_from_mixin: Vec::new(),
            finished: false,
        }
    }

    /// The member `name` of `raw` (`m` without its name, which the
    /// caller keeps as the member's key).
    fn member(
        &self,
        raw: &RawShape,
        name: &str,
        m: RawMember,
        elided: &mut Vec<String>,
        diags: &mut Vec<Diagnostic>,
    ) -> Member {
        let id = raw.id.with_member(name);
        let target = match (&m.target, raw.ty) {
            (_, ShapeType::Enum | ShapeType::IntEnum) => self.unit.clone(),
            (Some(r), _) => self
                .scope
                .shape_ref(r, "member target", diags)
                .unwrap_or_else(|| self.unit.clone()),
            (None, _) => {
                elided.push(name.to_owned());
                self.unit.clone()
            }
        };
        Member {
            id,
            target,
            traits: self.traits(m.traits, diags),
            span: m.span,
        }
    }

    /// Resolves trait applications, merging repeated ones. They are sorted
    /// by id once (keeping the order of repeats) rather than inserted one by
    /// one, which a shape with very many traits would make quadratic.
    fn traits(&self, raw: Vec<RawTrait>, diags: &mut Vec<Diagnostic>) -> Traits {
        let mut applied: Vec<(ShapeId, Trait)> = Vec::with_capacity(raw.len());
        for t in raw {
            let Some(id) = self.scope.trait_id(&t.id.text) else {
                continue;
            };
            let value = match t.value {
                Some(v) => self.scope.node(v, diags),
                None => annotation_value(self.types.get(&id).copied()),
            };
            applied.push((
                id,
                Trait {
                    value,
                    span: t.span,
                },
            ));
        }
        applied.sort_by(|a, b| a.0.cmp(&b.0));
        // A repeat (after the one it repeats) merges into it and goes.
        applied.dedup_by(|repeat, first| {
            let same = repeat.0 == first.0;
            if same {
                let value = std::mem::replace(&mut repeat.1.value, Node::Null);
                let new = Trait {
                    value,
                    span: repeat.1.span,
                };
                merge_trait(&first.0, &mut first.1, new, diags);
            }
            same
        });
        Traits::from_sorted(applied)
    }

    fn properties(&self, raw: &RawShape, diags: &mut Vec<Diagnostic>) -> Properties {
        let props = PropertyReader {
            cx: self,
            shape: raw,
        };
        match raw.ty {
            ShapeType::Service => {
                let mut p = ServiceProps::default();
                for (key, (value, span)) in &raw.properties.values {
                    match key.as_str() {
                        "version" => p.version = props.string(value, *span, key, diags),
                        "operations" => p.operations = props.ids(value, *span, key, diags),
                        "resources" => p.resources = props.ids(value, *span, key, diags),
                        "errors" => p.errors = props.ids(value, *span, key, diags),
                        "rename" => p.rename = props.rename(value, *span, diags),
                        _ => props.unknown(key, *span, diags),
                    }
                }
                Properties::Service(Box::new(p))
            }
            ShapeType::Resource => {
                let mut p = ResourceProps::default();
                for (key, (value, span)) in &raw.properties.values {
                    match key.as_str() {
                        "identifiers" => p.identifiers = props.id_map(value, *span, key, diags),
                        "properties" => p.properties = props.id_map(value, *span, key, diags),
                        "create" => p.create = props.id(value, *span, key, diags),
                        "put" => p.put = props.id(value, *span, key, diags),
                        "read" => p.read = props.id(value, *span, key, diags),
                        "update" => p.update = props.id(value, *span, key, diags),
                        "delete" => p.delete = props.id(value, *span, key, diags),
                        "list" => p.list = props.id(value, *span, key, diags),
                        "operations" => p.operations = props.ids(value, *span, key, diags),
                        "collectionOperations" => {
                            p.collection_operations = props.ids(value, *span, key, diags)
                        }
                        "resources" => p.resources = props.ids(value, *span, key, diags),
                        _ => props.unknown(key, *span, diags),
                    }
                }
                Properties::Resource(Box::new(p))
            }
            ShapeType::Operation => {
                let mut p = OperationProps {
                    input: self.unit.clone(),
                    output: self.unit.clone(),
                    errors: Vec::new(),
                };
                for (key, (value, span)) in &raw.properties.values {
                    match key.as_str() {
                        "input" => {
                            p.input = props.id(value, *span, key, diags).unwrap_or_else(unit)
                        }
                        "output" => {
                            p.output = props.id(value, *span, key, diags).unwrap_or_else(unit)
                        }
                        "errors" => p.errors = props.ids(value, *span, key, diags),
                        _ => props.unknown(key, *span, diags),
                    }
                }
                Properties::Operation(Box::new(p))
            }
            _ => Properties::None,
        }
    }
}

struct PropertyReader<'a> {
    cx: &'a FileCx<'a>,
    shape: &'a RawShape,
}

impl PropertyReader<'_> {
    fn bad(&self, span: Span, key: &str, expected: &str, diags: &mut Vec<Diagnostic>) {
        diags.push(
            Diagnostic::error(
                Code::InvalidShape,
                span,
                format!("property `{key}` of `{}` must be {expected}", self.shape.id),
            )
            .with_label("wrong kind of value"),
        );
    }

    fn unknown(&self, key: &str, span: Span, diags: &mut Vec<Diagnostic>) {
        diags.push(
            Diagnostic::error(
                Code::InvalidShape,
                span,
                format!(
                    "unknown property `{key}` for {} `{}`",
                    self.shape.ty, self.shape.id
                ),
            )
            .with_label("not a property of this shape type"),
        );
    }

    fn string(
        &self,
        v: &RawNode,
        span: Span,
        key: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<String> {
        match v {
            RawNode::String(s) => Some(s.clone()),
            _ => {
                self.bad(span, key, "a string", diags);
                None
            }
        }
    }

    fn id(
        &self,
        v: &RawNode,
        span: Span,
        key: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<ShapeId> {
        match v {
            RawNode::ShapeId(r) => self.cx.scope.shape_ref(r, &format!("`{key}`"), diags),
            RawNode::String(s) => {
                let r = super::raw::RawRef {
                    text: s.as_str().into(),
                    span,
                };
                self.cx.scope.shape_ref(&r, &format!("`{key}`"), diags)
            }
            _ => {
                self.bad(span, key, "a shape id", diags);
                None
            }
        }
    }

    fn ids(&self, v: &RawNode, span: Span, key: &str, diags: &mut Vec<Diagnostic>) -> Vec<ShapeId> {
        match v {
            RawNode::Array(items) => items
                .iter()
                .filter_map(|i| self.id(i, span, key, diags))
                .collect(),
            _ => {
                self.bad(span, key, "a list of shape ids", diags);
                Vec::new()
            }
        }
    }

    fn id_map(
        &self,
        v: &RawNode,
        span: Span,
        key: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> NameMap<ShapeId> {
        match v {
            RawNode::Object(map) => map
                .iter()
                .filter_map(|(k, v)| Some((k.clone(), self.id(v, span, key, diags)?)))
                .collect(),
            _ => {
                self.bad(span, key, "an object of shape ids", diags);
                NameMap::default()
            }
        }
    }

    fn rename(
        &self,
        v: &RawNode,
        span: Span,
        diags: &mut Vec<Diagnostic>,
    ) -> BTreeMap<ShapeId, String> {
        let RawNode::Object(map) = v else {
            self.bad(span, "rename", "an object", diags);
            return BTreeMap::new();
        };
        let mut out = BTreeMap::new();
        for (k, v) in map {
            match (ShapeId::parse(k), v) {
                (Ok(id), RawNode::String(name)) => {
                    out.insert(id, name.clone());
                }
                _ => self.bad(
                    span,
                    "rename",
                    "an object from absolute shape ids to strings",
                    diags,
                ),
            }
        }
        out
    }
}

/// The value of a trait applied without one (`@foo`), by the trait's type.
fn annotation_value(ty: Option<ShapeType>) -> Node {
    match ty {
        Some(ShapeType::List) => Node::Array(Vec::new()),
        Some(ShapeType::Boolean) => Node::Bool(true),
        _ => Node::empty_object(),
    }
}

/// Adds a trait, merging list values and rejecting conflicting values.
fn add_trait(traits: &mut Traits, id: ShapeId, new: Trait, diags: &mut Vec<Diagnostic>) {
    match traits.get_mut(&id) {
        None => {
            traits.insert(id, new);
        }
        Some(existing) => merge_trait(&id, existing, new, diags),
    }
}

/// Applies trait `id` again: list values are concatenated, an equal value
/// is a no-op, a different one is a conflict.
fn merge_trait(id: &ShapeId, existing: &mut Trait, new: Trait, diags: &mut Vec<Diagnostic>) {
    match (&mut existing.value, new.value) {
        (Node::Array(items), Node::Array(more)) => items.extend(more),
        (old, value) if *old == value => {}
        (_, _) => diags.push(
            Diagnostic::error(
                Code::TraitConflict,
                new.span,
                format!("trait `{id}` is applied twice with different values"),
            )
            .with_label("conflicting value")
            .with_secondary(existing.span, "first applied here"),
        ),
    }
}

fn merge_definition(shapes: &mut PendingMap, new: Pending, diags: &mut Vec<Diagnostic>) {
    let mut slot = match shapes.entry(new.shape.id.clone()) {
        indexmap::map::Entry::Vacant(slot) => {
            slot.insert(new);
            return;
        }
        indexmap::map::Entry::Occupied(slot) => slot,
    };
    let existing = slot.get();
    let (old_builtin, new_builtin) = (
        existing.shape.span.is_builtin(),
        new.shape.span.is_builtin(),
    );
    if old_builtin && !new_builtin {
        // A user file that defines a built-in shape (e.g. loading Smithy's own
        // trait files explicitly) replaces the bundled definition.
        slot.insert(new);
    } else if old_builtin == new_builtin && !same_definition(&existing.shape, &new.shape) {
        diags.push(
            Diagnostic::error(
                Code::DuplicateShape,
                new.shape.span,
                format!(
                    "shape `{}` is defined twice with different definitions",
                    new.shape.id
                ),
            )
            .with_label("conflicting definition")
            .with_secondary(existing.shape.span, "first defined here"),
        );
    }
}

fn same_traits(a: &Traits, b: &Traits) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|((ka, va), (kb, vb))| ka == kb && va.value == vb.value)
}

pub(crate) fn same_definition(a: &Shape, b: &Shape) -> bool {
    a.ty == b.ty
        && a.mixins == b.mixins
        && a.properties == b.properties
        && same_traits(&a.traits, &b.traits)
        && a.members.len() == b.members.len()
        && a.members
            .iter()
            .zip(&b.members)
            .all(|((na, ma), (nb, mb))| {
                na == nb && ma.target == mb.target && same_traits(&ma.traits, &mb.traits)
            })
}

fn merge_metadata(
    metadata: &mut BTreeMap<String, (Node, Span)>,
    key: &str,
    value: Node,
    span: Span,
    diags: &mut Vec<Diagnostic>,
) {
    match metadata.get_mut(key) {
        None => {
            metadata.insert(key.to_owned(), (value, span));
        }
        Some((Node::Array(items), _)) if matches!(value, Node::Array(_)) => {
            if let Node::Array(more) = value {
                items.extend(more);
            }
        }
        Some((old, _)) if *old == value => {}
        Some((_, first)) => diags.push(
            Diagnostic::error(
                Code::MetadataConflict,
                span,
                format!("metadata key `{key}` is defined with conflicting values"),
            )
            .with_label("conflicting value")
            .with_secondary(*first, "first defined here"),
        ),
    }
}

struct Flattener {
    shapes: PendingMap,
    applies: BTreeMap<ShapeId, Vec<PendingApply>>,
    done: HashSet<ShapeId>,
    visiting: Vec<ShapeId>,
}

impl Flattener {
    fn flatten(&mut self, id: &ShapeId, diags: &mut Vec<Diagnostic>) {
        if self.done.contains(id) || !self.shapes.contains_key(id) {
            return;
        }
        if self.visiting.contains(id) {
            let span = self.shapes[id].shape.span;
            diags.push(
                Diagnostic::error(
                    Code::MixinConflict,
                    span,
                    format!("mixin cycle through `{id}`"),
                )
                .with_label("this shape mixes itself in, directly or indirectly"),
            );
            return;
        }
        self.visiting.push(id.clone());
        let deps: Vec<ShapeId> = {
            let p = &self.shapes[id];
            p.shape
                .mixins
                .iter()
                .cloned()
                .chain(p.for_resource.clone())
                .collect()
        };
        for dep in &deps {
            self.flatten(dep, diags);
        }
        self.visiting.pop();
        self.apply_mixins(id, diags);
        self.resolve_elided(id, diags);
        self.apply_statements(id, diags);
        self.done.insert(id.clone());
    }

    fn apply_mixins(&mut self, id: &ShapeId, diags: &mut Vec<Diagnostic>) {
        let mixins = self.shapes[id].shape.mixins.clone();
        if mixins.is_empty() {
            return;
        }
        let (ty, span) = (self.shapes[id].shape.ty, self.shapes[id].shape.span);
        let mut members: NameMap<Member> = NameMap::default();
        let mut traits = Traits::new();
        let mut props: Vec<Properties> = Vec::new();
        for mixin_id in &mixins {
            let Some(mixin) = self.shapes.get(mixin_id).map(|p| &p.shape) else {
                continue;
            };
            if !mixin.has_trait(traits::MIXIN) {
                diags.push(
                    Diagnostic::error(
                        Code::MixinConflict,
                        span,
                        format!("`{mixin_id}` is used as a mixin but has no @mixin trait"),
                    )
                    .with_label("not a mixin"),
                );
                continue;
            }
            if mixin.ty != ty {
                diags.push(
                    Diagnostic::error(
                        Code::MixinConflict,
                        span,
                        format!("mixins may only be mixed into shapes of the same type: `{mixin_id}` is a {}, `{id}` is a {ty}", mixin.ty),
                    )
                    .with_label("type mismatch"),
                );
                continue;
            }
            let local: Vec<String> = mixin
                .trait_value(traits::MIXIN)
                .and_then(|m| m.get("localTraits"))
                .and_then(Node::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Node::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default();
            for (tid, t) in &mixin.traits {
                if tid.as_str() != traits::MIXIN && !local.iter().any(|l| l == tid.as_str()) {
                    traits.insert(tid.clone(), t.clone());
                }
            }
            for (name, m) in &mixin.members {
                if let Some(existing) = members.get(name) {
                    if existing.target != m.target {
                        diags.push(
                            Diagnostic::error(
                                Code::MixinConflict,
                                span,
                                format!("member `{name}` is inherited from two mixins with different targets"),
                            )
                            .with_label("conflicting mixins"),
                        );
                    }
                    continue;
                }
                members.insert(
                    name.clone(),
                    Member {
                        id: id.with_member(name),
                        ..m.clone()
                    },
                );
            }
            props.push(mixin.properties.clone());
        }
        let pending = self.shapes.get_mut(id).expect("shape exists");
        for tid in traits.keys() {
            pending.inherited.insert((None, tid.clone()));
        }
        for (name, m) in &members {
            for tid in m.traits.keys() {
                pending.inherited.insert((Some(name.clone()), tid.clone()));
            }
        }
        let shape = &mut pending.shape;
        for (tid, t) in std::mem::take(&mut shape.traits) {
            pending.inherited.remove(&(None, tid.clone()));
            traits.insert(tid, t);
        }
        shape.traits = traits;
        for (name, local) in std::mem::take(&mut shape.members) {
            let elided = pending.elided.contains(&name);
            match members.get_mut(&name) {
                Some(inherited) => {
                    if !elided && inherited.target != local.target {
                        diags.push(
                            Diagnostic::error(
                                Code::MixinConflict,
                                local.span,
                                format!(
                                    "member conflicts with an inherited mixin member: `{}`",
                                    inherited.id
                                ),
                            )
                            .with_label(format!("inherited member targets `{}`", inherited.target)),
                        );
                        continue;
                    }
                    for (tid, t) in local.traits {
                        pending.inherited.remove(&(Some(name.clone()), tid.clone()));
                        inherited.traits.insert(tid, t);
                    }
                    inherited.span = local.span;
                    if elided {
                        pending.elided.retain(|n| *n != name);
                        pending
                            .elided_from_mixin
                            .push((name.clone(), inherited.target.clone()));
                    }
                }
                None => {
                    members.insert(name, local);
                }
            }
        }
        shape.members = members;
        for inherited in props {
            merge_properties(&mut shape.properties, inherited);
        }
    }

    fn resolve_elided(&mut self, id: &ShapeId, diags: &mut Vec<Diagnostic>) {
        let pending = self.shapes.get_mut(id).expect("shape exists");
        let elided = std::mem::take(&mut pending.elided);
        let from_mixin = std::mem::take(&mut pending.elided_from_mixin);
        if elided.is_empty() && from_mixin.is_empty() {
            return;
        }
        let resource = self.shapes[id]
            .for_resource
            .as_ref()
            .and_then(|r| self.shapes.get(r))
            .map(|p| &p.shape);
        if let (Some(r), Some(rid)) = (resource, self.shapes[id].for_resource.as_ref())
            && r.ty != ShapeType::Resource
        {
            diags.push(
                Diagnostic::error(
                    Code::ElidedMember,
                    self.shapes[id].shape.span,
                    format!(
                        "the target of `for` must be a resource, but `{rid}` is a {}",
                        r.ty
                    ),
                )
                .with_label("not a resource"),
            );
        }
        let from_resource: HashMap<String, ShapeId> = resource
            .and_then(Shape::as_resource)
            .map(|r| {
                r.identifiers
                    .iter()
                    .chain(&r.properties)
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            })
            .unwrap_or_default();
        let shape = &mut self.shapes.get_mut(id).expect("shape exists").shape;
        for (name, mixin_target) in from_mixin {
            if let (Some(target), Some(member)) =
                (from_resource.get(&name), shape.members.get(&name))
                && *target != mixin_target
            {
                diags.push(
                        Diagnostic::error(
                            Code::MixinConflict,
                            member.span,
                            format!(
                                "member `{}` conflicts with an inherited mixin member: the mixin targets `{mixin_target}`, the bound resource `{target}`",
                                member.id
                            ),
                        )
                        .with_label("ambiguous elided target"),
                    );
            }
        }
        for name in elided {
            let Some(member) = shape.members.get_mut(&name) else {
                continue;
            };
            match from_resource.get(&name) {
                Some(target) => member.target = target.clone(),
                None => diags.push(
                    Diagnostic::error(
                        Code::ElidedMember,
                        member.span,
                        format!("member `{}` elides its target, but no bound resource or mixin has a member or identifier named `{name}`", member.id),
                    )
                    .with_label("cannot infer the target"),
                ),
            }
        }
    }

    fn apply_statements(&mut self, id: &ShapeId, diags: &mut Vec<Diagnostic>) {
        let Some(applies) = self.applies.remove(id) else {
            return;
        };
        let pending = self.shapes.get_mut(id).expect("shape exists");
        let shape = &mut pending.shape;
        for apply in applies {
            let traits = match apply.target.member() {
                None => &mut shape.traits,
                Some(name) => match shape.members.get_mut(name) {
                    Some(m) => &mut m.traits,
                    None => {
                        diags.push(
                            Diagnostic::error(
                                Code::ApplyTarget,
                                apply.span,
                                format!(
                                    "`apply` targets member `{}`, which does not exist",
                                    apply.target
                                ),
                            )
                            .with_label("no such member"),
                        );
                        continue;
                    }
                },
            };
            for (tid, t) in apply.traits {
                let key = (apply.target.member().map(str::to_owned), tid.clone());
                if pending.inherited.remove(&key) {
                    // Applying a trait to an inherited member overrides the mixin's value.
                    traits.insert(tid, t);
                } else {
                    add_trait(traits, tid, t, diags);
                }
            }
        }
    }
}

fn merge_ids(into: &mut Vec<ShapeId>, inherited: Vec<ShapeId>) {
    let mut merged = inherited;
    for id in into.drain(..) {
        if !merged.contains(&id) {
            merged.push(id);
        }
    }
    *into = merged;
}

pub(crate) fn merge_properties(local: &mut Properties, inherited: Properties) {
    match (local, inherited) {
        (Properties::Service(l), Properties::Service(i)) => {
            l.version = l.version.take().or(i.version);
            merge_ids(&mut l.operations, i.operations);
            merge_ids(&mut l.resources, i.resources);
            merge_ids(&mut l.errors, i.errors);
            for (k, v) in i.rename {
                l.rename.entry(k).or_insert(v);
            }
        }
        (Properties::Resource(l), Properties::Resource(i)) => {
            for (k, v) in i.identifiers {
                l.identifiers.entry(k).or_insert(v);
            }
            for (k, v) in i.properties {
                l.properties.entry(k).or_insert(v);
            }
            for (slot, value) in [
                (&mut l.create, i.create),
                (&mut l.put, i.put),
                (&mut l.read, i.read),
                (&mut l.update, i.update),
                (&mut l.delete, i.delete),
                (&mut l.list, i.list),
            ] {
                if slot.is_none() {
                    *slot = value;
                }
            }
            merge_ids(&mut l.operations, i.operations);
            merge_ids(&mut l.collection_operations, i.collection_operations);
            merge_ids(&mut l.resources, i.resources);
        }
        (Properties::Operation(l), Properties::Operation(i)) => merge_ids(&mut l.errors, i.errors),
        _ => {}
    }
}

/// A new shape, to be normalised in place: held by the model alone (the
/// base's shapes are left alone), so nothing is copied.
fn own(shape: &mut Arc<Shape>) -> &mut Shape {
    debug_assert_eq!(Arc::strong_count(shape), 1, "{} is shared", shape.id);
    Arc::make_mut(shape)
}

/// Enum member values, 1.0 primitive and streaming-blob defaults, list/map
/// member checks.
/// Normalises the model's shapes, leaving built-in ones alone when
/// `builtin_done` (they come from the base, normalised).
fn normalise(
    model: &mut Model,
    v1: &HashSet<ShapeId>,
    builtin_done: bool,
    diags: &mut Vec<Diagnostic>,
) {
    let default_trait = prelude("default");
    let box_trait = prelude("box");
    let enum_value = prelude("enumValue");
    // 1.0 root shapes: unboxed numbers and booleans get a zero default.
    let new_shapes = model
        .shapes
        .values_mut()
        .filter(|s| !(builtin_done && s.span.is_builtin()))
        .map(own);
    for shape in new_shapes {
        if !v1.is_empty()
            && v1.contains(&shape.id)
            && !shape.span.is_builtin()
            && !shape.traits.contains_key(&box_trait)
            && !shape.traits.contains_key(&default_trait)
            && let Some(zero) = zero_value(shape.ty)
        {
            shape.traits.insert(
                default_trait.clone(),
                Trait {
                    value: zero,
                    span: shape.span,
                },
            );
        }
    }
    // What 1.0 structures' members need, gathered only when there are any.
    let shapes_if_v1 = || model.shapes.values().filter(|_| !v1.is_empty());
    let target_defaults: HashMap<ShapeId, Node> = shapes_if_v1()
        .filter(|s| zero_value(s.ty).is_some())
        .filter_map(|s| Some((s.id.clone(), s.traits.get(&default_trait)?.value.clone())))
        .collect();
    let streaming_trait = prelude("streaming");
    let required_trait = prelude("required");
    let streaming_blobs: HashSet<ShapeId> = shapes_if_v1()
        .filter(|s| s.ty == ShapeType::Blob && s.traits.contains_key(&streaming_trait))
        .map(|s| s.id.clone())
        .collect();
    let new_shapes = model
        .shapes
        .values_mut()
        .filter(|s| !(builtin_done && s.span.is_builtin()))
        .map(own);
    for shape in new_shapes {
        let v1 = !v1.is_empty() && v1.contains(&shape.id);
        match shape.ty {
            ShapeType::Enum => {
                for m in shape.members.values_mut() {
                    if !m.traits.contains_key(&enum_value) {
                        let value = Node::String(m.name().to_owned());
                        m.traits.insert(
                            enum_value.clone(),
                            Trait {
                                value,
                                span: m.span,
                            },
                        );
                    }
                }
            }
            ShapeType::List | ShapeType::Map => {
                let expected: &[&str] = if shape.ty == ShapeType::List {
                    &["member"]
                } else {
                    &["key", "value"]
                };
                let missing: Vec<&str> = expected
                    .iter()
                    .copied()
                    .filter(|n| !shape.members.contains_key(*n))
                    .collect();
                if !missing.is_empty() {
                    diags.push(
                        Diagnostic::error(
                            Code::MissingMember,
                            shape.span,
                            format!(
                                "{} `{}` is missing required member(s): {}",
                                shape.ty,
                                shape.id,
                                missing.join(", ")
                            ),
                        )
                        .with_label(format!("add `{}`", missing.join("` and `"))),
                    );
                }
                for m in shape.members.values() {
                    if !expected.contains(&m.name()) {
                        diags.push(
                            Diagnostic::error(
                                Code::InvalidShape,
                                m.span,
                                format!("a {} cannot have a member named `{}`", shape.ty, m.name()),
                            )
                            .with_label(format!("expected {}", expected.join(" or "))),
                        );
                    }
                }
            }
            _ => {}
        }
        if v1 && shape.ty == ShapeType::Structure {
            for m in shape.members.values_mut() {
                if m.traits.contains_key(&box_trait) || m.traits.contains_key(&default_trait) {
                    continue;
                }
                // A 1.0 streaming blob member is implicitly empty when
                // unset; 2.0 says so with `@default("")` (as Smithy's own
                // loader upgrades it).
                if streaming_blobs.contains(&m.target) && !m.traits.contains_key(&required_trait) {
                    m.traits.insert(
                        default_trait.clone(),
                        Trait {
                            value: Node::String(String::new()),
                            span: m.span,
                        },
                    );
                    continue;
                }
                if let Some(value) = target_defaults.get(&m.target) {
                    m.traits.insert(
                        default_trait.clone(),
                        Trait {
                            value: value.clone(),
                            span: m.span,
                        },
                    );
                }
            }
        }
    }
}

fn zero_value(ty: ShapeType) -> Option<Node> {
    match ty {
        ShapeType::Boolean => Some(Node::Bool(false)),
        ShapeType::Byte
        | ShapeType::Short
        | ShapeType::Integer
        | ShapeType::Long
        | ShapeType::Float
        | ShapeType::Double => Some(Node::Number(Number::Int(0))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order_of(texts: &[&str], starts: &[usize]) -> Vec<usize> {
        let ids: Vec<ShapeId> = texts.iter().map(|t| ShapeId::parse(t).unwrap()).collect();
        let order = id_order(&ids.iter().collect::<Vec<_>>(), starts);
        let mut sorted: Vec<usize> = (0..ids.len()).collect();
        sorted.sort_by(|&a, &b| ids[a].cmp(&ids[b]));
        assert_eq!(order, sorted, "{texts:?} in files starting at {starts:?}");
        order
    }

    /// `files` assembled onto the built-in base, and from scratch after
    /// the built-in files.
    fn both_ways(files: &[(&str, String)]) -> (Model, Model) {
        let builtin = crate::loader::builtin::get();
        let mut sources = crate::source::SourceMap::default();
        let mut diags = Vec::new();
        let raw: Vec<RawFile> = files
            .iter()
            .map(|(name, text)| {
                let id = sources.add(*name, text.as_str());
                crate::loader::parse_file(id, name, text, &mut diags)
            })
            .collect();
        assert!(builtin.base.extended_by(&raw));
        let onto = assemble_onto(&builtin.base, raw.clone(), &mut diags);
        let all = builtin.files().iter().cloned().chain(raw).collect();
        let scratch = assemble(all, &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
        (onto, scratch)
    }

    fn assert_same(onto: &Model, scratch: &Model) {
        let ids = |m: &Model| m.shapes.keys().map(ShapeId::to_string).collect::<Vec<_>>();
        assert_eq!(ids(onto), ids(scratch));
        assert!(onto.shapes.keys().is_sorted());
        for (id, shape) in &onto.shapes {
            assert_eq!(*id, shape.id, "a shape under another's id");
            assert!(same_definition(shape, &scratch.shapes[id]), "{id}");
        }
    }

    #[test]
    fn assembling_onto_the_base_equals_assembling_everything() {
        // Namespaces before, among and after the built-in ones, in files
        // out of id order; a shape defined the same in two files.
        let file = |ns: &str, names: &[&str]| {
            let shapes: String = names
                .iter()
                .map(|n| format!("@documentation(\"{n}\")\nstructure {n} {{ a: String, b: {n}Lists }}\nlist {n}Lists {{ member: String }}\n"))
                .collect();
            format!("$version: \"2\"\nnamespace {ns}\n{shapes}")
        };
        let small = [
            ("z.smithy", file("zzz", &["B", "A"])),
            ("a.smithy", file("aaa", &["Y", "X"])),
            ("b.smithy", file("smithy.b", &["M"])),
            ("again.smithy", file("aaa", &["X"])),
        ];
        let (onto, scratch) = both_ways(&small);
        assert_same(&onto, &scratch);
        assert!(onto.shape_by_str("smithy.b#MLists").is_some());
        // More new shapes than built-in ones: merged rather than copied.
        let names: Vec<String> = (0..1500).rev().map(|i| format!("S{i}")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let large = [
            ("m.smithy", file("mmm", &names)),
            ("a.smithy", file("aaa", &names[..10])),
            ("z.smithy", file("zzz", &names[..10])),
        ];
        let (onto, scratch) = both_ways(&large);
        assert!(onto.shapes.len() > 2 * crate::loader::builtin::get().base.model.shapes.len());
        assert_same(&onto, &scratch);
    }

    #[test]
    fn orders_ids() {
        assert_eq!(order_of(&[], &[]), Vec::<usize>::new());
        assert_eq!(order_of(&["a#A"], &[0]), [0]);
        assert_eq!(order_of(&["a#A", "a#B", "a#C"], &[0]), [0, 1, 2]);
        // Files apart from one another: put in order whole.
        let files = ["c#A", "c#B", "a#A", "a#B", "b#A"];
        assert_eq!(order_of(&files, &[0, 2, 4]), [2, 3, 4, 0, 1]);
        assert_eq!(order_of(&files, &[]), [2, 3, 4, 0, 1]);
        // Files whose ids continue one another's run.
        let files = ["a#A", "c#A", "b#A", "d#A"];
        assert_eq!(order_of(&files, &[0, 1, 2, 3]), [0, 2, 1, 3]);
        assert_eq!(order_of(&files, &[0, 2]), [0, 2, 1, 3]);
        // Files with empty ranges, and starts past the end.
        assert_eq!(order_of(&files, &[0, 0, 2, 2, 4, 4]), [0, 2, 1, 3]);
        // Runs that interleave, and a file out of order: sorted.
        assert_eq!(order_of(&["a#A", "a#C", "a#B", "a#D"], &[0]), [0, 2, 1, 3]);
        assert_eq!(
            order_of(&["b#B", "b#A", "a#C", "c#A"], &[0, 2]),
            [2, 1, 0, 3]
        );
    }
}
