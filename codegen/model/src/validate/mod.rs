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
/// checks them once per process, for each set of them loads use (see
/// `loader::builtin`).
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
    };
    let second = |diags: &mut Vec<Diagnostic>| {
        members::validate(model, check_builtin, diags);
        streaming::validate(model, diags);
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
