use crate::diagnostics::Diagnostic;
use crate::model::Model;
pub fn validate(_m: &Model, _d: &mut Vec<Diagnostic>) {}
