//! tinsmith: a pure-Rust Smithy toolchain that generates Rust SDKs.
//!
//! Models are loaded by [`tinsmith_model`] (re-exported here as [`model`],
//! [`loader`], [`diagnostics`], ...): Smithy IDL 1.0 and 2.0 and the JSON
//! AST become one validated shape graph, with every problem reported as a
//! diagnostic with a stable code and a source location.
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
pub mod output;
pub mod rust;

pub use builder::{BuildError, Builder};
pub use tinsmith_model::{Loaded, Loader};
pub use tinsmith_model::{diagnostics, idl, json_ast, loader, model, source, validate};
