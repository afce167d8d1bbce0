//! tinsmith-model: a pure-Rust Smithy model loader.
//!
//! It turns Smithy IDL (1.0 and 2.0) and JSON AST files into one validated
//! [`model::Model`] — a resolved, flattened shape graph — and reports every
//! problem as a [`diagnostics::Diagnostic`] with a stable code and a source
//! location, rendered the way rustc renders its errors. It knows nothing of
//! Rust code generation, so documentation tools, linters and other
//! generators can use it on its own.
//!
//! ```no_run
//! let loaded = tinsmith_model::Loader::new().path("model/").load();
//! for d in &loaded.diagnostics {
//!     eprintln!("{}", tinsmith_model::diagnostics::render_short(&loaded.sources, d));
//! }
//! let model = loaded.into_model().expect("model has errors");
//! println!("{} shapes", model.shapes.len());
//! ```
//!
//! The pipeline: [`idl`] and [`json_ast`] parse files into a per-file IR,
//! [`loader`] assembles them (ids resolved, mixins flattened, `apply`
//! merged, IDL 1.0 upgraded) and [`validate`] checks the rules Smithy
//! defines. Every stage reports and carries on, so one run shows every
//! problem.

pub mod diagnostics;
pub mod idl;
pub mod json_ast;
pub mod loader;
pub mod model;
pub mod source;
pub mod validate;

pub use loader::{Loaded, Loader};
