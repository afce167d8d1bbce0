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
use crate::model::Model;

/// Runs every validator over the model. Built-in shapes are checked only
/// with `check_builtin`: they cannot depend on user shapes, and the loader
/// checks them once per process (see `loader::builtin`).
///
/// The validators only read the model, so on a large one they run as two
/// groups on two threads (when the machine has them). Each group's
/// diagnostics are kept in a fixed order, whatever finishes first.
pub fn validate(
    model: &Model,
    allow_unknown_traits: bool,
    check_builtin: bool,
    diags: &mut Vec<Diagnostic>,
) {
    let first = |diags: &mut Vec<Diagnostic>| {
        traits::validate(model, allow_unknown_traits, check_builtin, diags);
        recursion::validate(model, diags);
        paginated::validate(model, diags);
    };
    let second = |diags: &mut Vec<Diagnostic>| {
        members::validate(model, check_builtin, diags);
        streaming::validate(model, diags);
    };
    let parallel = model.shapes.len() >= PARALLEL_MIN_SHAPES
        && std::thread::available_parallelism().is_ok_and(|n| n.get() > 1);
    if !parallel {
        first(diags);
        second(diags);
        return;
    }
    let more = std::thread::scope(|scope| {
        let other = scope.spawn(|| {
            let mut more = Vec::new();
            second(&mut more);
            more
        });
        first(diags);
        other.join()
    });
    match more {
        Ok(more) => diags.extend(more),
        // A validator panicked: a bug; let it surface as one.
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

/// Models with fewer shapes (the built-in ones alone have a few hundred)
/// are validated on one thread: starting another costs about as much as
/// it saves.
const PARALLEL_MIN_SHAPES: usize = 1000;
