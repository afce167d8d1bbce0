//! Validation of an assembled model: the rules code generation relies on.
//!
//! Each submodule checks one family of rules and pushes diagnostics with its
//! own codes; none of them modifies the model.

mod members;
mod paginated;
mod recursion;
mod streaming;
mod traits;

use crate::diagnostics::Diagnostic;
use crate::model::{Model, Shape, ShapeId, ShapeType};

/// Runs every validator over the model. Built-in shapes are checked only
/// with `check_builtin`: they cannot depend on user shapes, and the loader
/// checks them once per process, for each set of them loads use (see
/// `loader::builtin`).
///
/// The validators only read the model, so on a large one they run as two
/// groups on two threads (when the machine has them). Each group's
/// diagnostics are kept in a fixed order, whatever finishes first; which
/// validator goes first is not part of the contract, so sort the list
/// ([`crate::diagnostics::sort`]) before showing it, as loads do.
pub fn validate(
    model: &Model,
    allow_unknown_traits: bool,
    check_builtin: bool,
    diags: &mut Vec<Diagnostic>,
) {
    let index = ShapeIndex::new(model);
    let index = &index;
    let first = |diags: &mut Vec<Diagnostic>| {
        traits::validate(index, allow_unknown_traits, check_builtin, diags);
        recursion::validate(index, diags);
    };
    let second = |diags: &mut Vec<Diagnostic>| {
        members::validate(index, check_builtin, diags);
        streaming::validate(index, diags);
        paginated::validate(model, diags);
    };
    if model.shapes.len() < PARALLEL_MIN_SHAPES || !several_cores() {
        first(diags);
        second(diags);
        return;
    }
    let more = std::thread::scope(|scope| {
        // The validators recurse into trait values as deep as a model nests
        // them; the thread gets the stack a main thread has.
        let other = std::thread::Builder::new()
            .name("tinsmith-validate".into())
            .stack_size(VALIDATOR_STACK)
            .spawn_scoped(scope, || {
                let mut more = Vec::new();
                second(&mut more);
                more
            });
        first(diags);
        other.map(|handle| handle.join())
    });
    match more {
        Ok(Ok(more)) => diags.extend(more),
        // No thread to be had: the second group runs here.
        Err(_) => second(diags),
        // A validator panicked: a bug; let it surface as one.
        Ok(Err(panic)) => std::panic::resume_unwind(panic),
    }
}

/// True when the machine runs more than one thread at a time (asked once).
fn several_cores() -> bool {
    static SEVERAL: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *SEVERAL.get_or_init(|| std::thread::available_parallelism().is_ok_and(|n| n.get() > 1))
}

/// The second validator thread's stack: a main thread's.
const VALIDATOR_STACK: usize = 8 << 20;

/// Models with fewer shapes (the built-in ones alone have a few hundred)
/// are validated on one thread: starting another costs about as much as
/// it saves.
const PARALLEL_MIN_SHAPES: usize = 1000;

/// The model's root shapes, found by where their id's text is in memory.
///
/// The loader shares a shape id's text with every reference it resolves to
/// that shape, so a member's target is usually the very text of the shape's
/// id. Finding it by that address hashes one word instead of the id's text,
/// whose reading, for each member of a large model, is much of what
/// validating it costs. Ids with a text of their own (built apart, or by
/// hand) are looked up by their text: the answers are always those of
/// [`Model::shape`]. The index borrows the model, so no id's text is freed,
/// and its address reused, while it lives.
pub(crate) struct ShapeIndex<'m> {
    model: &'m Model,
    by_addr: foldhash::HashMap<usize, usize>,
}

impl<'m> ShapeIndex<'m> {
    fn new(model: &'m Model) -> Self {
        let by_addr = model
            .shapes
            .keys()
            .enumerate()
            .map(|(i, id)| (id.text_addr(), i))
            .collect();
        ShapeIndex { model, by_addr }
    }

    /// The model.
    pub(crate) fn model(&self) -> &'m Model {
        self.model
    }

    /// Where the root shape `id` names is among the model's shapes.
    pub(crate) fn position(&self, id: &ShapeId) -> Option<usize> {
        match self.by_addr.get(&id.text_addr()) {
            Some(&i) => Some(i),
            None => self.model.shapes.get_index_of(id),
        }
    }

    /// The root shape `id` names, as [`Model::shape`] finds it.
    pub(crate) fn shape(&self, id: &ShapeId) -> Option<&'m Shape> {
        let i = self.position(id)?;
        self.model.shapes.get_index(i).map(|(_, s)| s.as_ref())
    }

    /// The type of the shape `id` names, as [`Model::type_of`] finds it.
    pub(crate) fn type_of(&self, id: &ShapeId) -> Option<ShapeType> {
        match id.member() {
            Some(_) => self.model.member(id).and_then(|m| self.type_of(&m.target)),
            None => self.shape(id).map(|s| s.ty),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_answers_as_the_model_does() {
        let loaded = crate::Loader::new()
            .source(
                "a.smithy",
                "$version: \"2\"\nnamespace ex\nstructure S { a: L }\nlist L { member: String }\n",
            )
            .load();
        assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
        let model = &loaded.model;
        let index = ShapeIndex::new(model);
        let s = model.shape_by_str("ex#S").unwrap();
        let target = &s.members["a"].target;
        // A target shares its shape's id text; ids parsed apart do not.
        assert_eq!(
            index.shape(target).map(|t| &t.id),
            model.shape(target).map(|t| &t.id)
        );
        for text in [
            "ex#L",
            "ex#S",
            "ex#S$a",
            "ex#L$member",
            "ex#Missing",
            "smithy.api#String",
        ] {
            let id = ShapeId::parse(text).unwrap();
            let found = |s: Option<&Shape>| s.map(|s| s.id.to_string());
            assert_eq!(found(index.shape(&id)), found(model.shape(&id)), "{text}");
            assert_eq!(index.type_of(&id), model.type_of(&id), "{text}");
            let position = index.position(&id);
            assert_eq!(position, model.shapes.get_index_of(&id), "{text}");
        }
        assert_eq!(
            index.type_of(&ShapeId::parse("ex#S$a").unwrap()),
            Some(ShapeType::List)
        );
    }
}
