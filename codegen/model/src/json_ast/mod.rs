//! The Smithy JSON AST: reading it into a raw file, and writing a model as
//! canonical JSON AST.
//!
//! Canonical means the same model always prints the same bytes, whatever
//! files or formats it came from: shapes sorted by id, traits sorted by id,
//! object keys sorted, a shape with mixins written as declared (its `mixins`
//! and what it adds to them, so the text reads back as the same model),
//! prelude and built-in shapes left out unless the model changed them,
//! four-space indentation.

mod node;
mod read;
mod spans;
mod stream;
pub(crate) mod write;

pub use read::read;
pub use write::{to_json, to_string};
