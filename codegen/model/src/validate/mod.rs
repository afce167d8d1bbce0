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
pub fn validate(
    model: &Model,
    allow_unknown_traits: bool,
    check_builtin: bool,
    diags: &mut Vec<Diagnostic>,
) {
    members::validate(model, check_builtin, diags);
    traits::validate(model, allow_unknown_traits, check_builtin, diags);
    streaming::validate(model, diags);
    recursion::validate(model, diags);
    paginated::validate(model, diags);
}
