//! tinsmith: a pure-Rust Smithy model loader and Rust SDK generator.
//!
//! The loader turns Smithy IDL (1.0 and 2.0) and JSON AST files into one
//! validated [`model::Model`], reporting every problem as a
//! [`diagnostics::Diagnostic`] with a stable code and a source location.
//!
//! ```no_run
//! let loaded = tinsmith::Loader::new().path("model/").load();
//! for d in &loaded.diagnostics {
//!     eprintln!("{}", tinsmith::diagnostics::render_short(&loaded.sources, d));
//! }
//! let model = loaded.into_model().expect("model has errors");
//! println!("{} shapes", model.shapes.len());
//! ```
//!
//! The code generator ([`rust`]) has three front ends over the same options
//! and output: the `tinsmith generate` CLI (whole crates), [`Builder`] for
//! build scripts, and the library functions themselves.

mod builder;
pub mod diagnostics;
pub mod idl;
pub mod json_ast;
pub mod loader;
pub mod model;
pub mod output;
pub mod rust;
pub mod source;
pub mod validate;

pub use builder::{BuildError, Builder};
pub use loader::{Loaded, Loader};
