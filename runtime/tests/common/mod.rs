//! What the runtime's integration tests share: a minimal operation error
//! and the description of an operation that is safe to repeat.

pub mod scripted;

use tinsmith_runtime::pipeline::OperationInfo;
use tinsmith_runtime::{ErrorStatus, ProvideErrorStatus};

/// An operation error that is only its status.
#[derive(Debug)]
pub struct TestError(pub ErrorStatus);

impl ProvideErrorStatus for TestError {
    fn status(&self) -> &ErrorStatus {
        &self.0
    }
}

/// An idempotent operation without auth.
pub const SAFE: OperationInfo<'static> = OperationInfo {
    service: "Test",
    operation: "Op",
    idempotent: true,
    auth: &[],
    optional_auth: false,
    endpoint: None,
};
