//! Rust code generation: a pure function from a model and [`Options`] to the
//! files of a crate ([`GeneratedCrate`]).
//!
//! The pipeline: `context` decides every Rust name and type once; the
//! emitters (`types`, ...) build token streams with `quote`; `format` parses
//! them with `syn` and prints them with `prettyplease`. Nothing here does
//! I/O; the CLI and the build.rs builder write the files.

mod client;
mod context;
mod crate_files;
pub mod docs;
mod errors;
mod format;
mod json;
pub mod names;
mod protocol;
mod types;

use std::collections::BTreeMap;

use crate::model::{Model, ShapeId, ShapeType};

pub use context::Context;

/// How the generated crate depends on `tinsmith-runtime`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeDependency {
    /// A crates.io version requirement, e.g. `"0.1"`.
    Version(String),
    /// A path dependency (for local and in-repository use).
    Path(String),
}

/// Generation options. The CLI and the build.rs builder both fill this in,
/// so both produce identical output for identical options.
#[derive(Debug, Clone)]
pub struct Options {
    /// The service to generate; `None` picks the model's only service.
    pub service: Option<ShapeId>,
    /// The crate's package name.
    pub crate_name: String,
    /// The crate's version.
    pub crate_version: String,
    /// The crate's license expression.
    pub license: String,
    /// The crate's repository URL.
    pub repository: Option<String>,
    /// How to depend on the runtime.
    pub runtime: RuntimeDependency,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            service: None,
            crate_name: "sdk".into(),
            crate_version: "0.1.0".into(),
            license: "Apache-2.0".into(),
            repository: None,
            runtime: RuntimeDependency::Version(env!("CARGO_PKG_VERSION").into()),
        }
    }
}

/// The generated files, by path relative to the crate root, in sorted order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GeneratedCrate {
    /// Path (with `/` separators) → file content.
    pub files: BTreeMap<String, String>,
}

/// Why generation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GenerateError {
    /// The model has no service shape.
    #[error("the model defines no service; nothing to generate")]
    NoService,
    /// More than one service and none was chosen.
    #[error("the model defines several services ({}); choose one with --service", .0.join(", "))]
    SeveralServices(Vec<String>),
    /// The chosen service does not exist.
    #[error("`{0}` is not a service in the model")]
    UnknownService(String),
    /// Two shapes would get the same Rust name.
    #[error(
        "`{first}` and `{second}` would both be named `{name}` in Rust; add a `rename` to the service"
    )]
    NameConflict {
        /// The Rust name.
        name: String,
        /// One shape.
        first: ShapeId,
        /// The other shape.
        second: ShapeId,
    },
    /// The service declares no protocol the generator supports.
    #[error(
        "service `{service}` declares no supported protocol (declared: {}; supported: {})",
        if .declared.is_empty() { "none".to_owned() } else { .declared.join(", ") },
        .supported.join(", ")
    )]
    UnsupportedProtocol {
        /// The service.
        service: ShapeId,
        /// Protocol traits the service has.
        declared: Vec<String>,
        /// Protocol traits the generator supports.
        supported: Vec<String>,
    },
    /// A bug in the generator: it produced tokens that do not parse.
    #[error("internal error generating `{file}`: {message}")]
    Internal {
        /// The file being generated.
        file: String,
        /// What went wrong.
        message: String,
    },
}

/// Picks the service to generate.
pub fn select_service<'m>(
    model: &'m Model,
    wanted: Option<&ShapeId>,
) -> Result<&'m crate::model::Shape, GenerateError> {
    if let Some(id) = wanted {
        return model
            .shape(id)
            .filter(|s| s.ty == ShapeType::Service)
            .ok_or_else(|| GenerateError::UnknownService(id.to_string()));
    }
    let services: Vec<_> = model
        .user_shapes()
        .filter(|s| s.ty == ShapeType::Service)
        .collect();
    match services.as_slice() {
        [] => Err(GenerateError::NoService),
        [one] => Ok(one),
        many => Err(GenerateError::SeveralServices(
            many.iter().map(|s| s.id.to_string()).collect(),
        )),
    }
}

/// Generates the crate for a service.
pub fn generate(model: &Model, options: &Options) -> Result<GeneratedCrate, GenerateError> {
    let service = select_service(model, options.service.as_ref())?;
    let cx = Context::new(model, service)?;
    let mut files = BTreeMap::new();
    files.insert(
        "Cargo.toml".to_owned(),
        crate_files::cargo_toml(&cx, options),
    );
    files.insert("README.md".to_owned(), crate_files::readme(&cx, options));
    files.insert(
        "rustfmt.toml".to_owned(),
        crate_files::RUSTFMT_TOML.to_owned(),
    );
    let protocol = protocol::select(&cx)?;
    let support = protocol.support_files(&cx);
    let private_modules: Vec<&str> = support
        .iter()
        .filter_map(|(path, _)| path.strip_prefix("src/")?.strip_suffix(".rs"))
        .chain(["protocol"])
        .collect();
    let mut add = |path: &str, tokens| -> Result<(), GenerateError> {
        files.insert(path.to_owned(), format::file(path, tokens)?);
        Ok(())
    };
    add(
        "src/lib.rs",
        crate_files::lib_rs(&cx, options, &private_modules),
    )?;
    add("src/client.rs", client::client_module(&cx))?;
    add("src/operation.rs", client::operation_module(&cx))?;
    add("src/types.rs", types::module(&cx))?;
    add("src/error.rs", errors::module(&cx))?;
    add("src/protocol.rs", protocol::module(&cx, protocol))?;
    for (path, tokens) in support {
        add(&path, tokens)?;
    }
    Ok(GeneratedCrate { files })
}
