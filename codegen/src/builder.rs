//! The build-script front end: [`Builder`] loads a model, generates each
//! requested service as one Rust file in `OUT_DIR`, and tells Cargo to rerun
//! when a model file changes. The crate includes the file with
//! `tinsmith_runtime::include_sdk!`.
//!
//! ```no_run
//! // In build.rs, inside `fn main()`:
//! tinsmith::Builder::new()
//!     .model("model/weather.smithy")
//!     .generate()
//!     .expect("generating the Weather SDK");
//! ```
//!
//! ```ignore
//! // src/lib.rs
//! pub mod weather {
//!     tinsmith_runtime::include_sdk!("weather");
//! }
//! ```
//!
//! Generation is the same pure function the CLI uses ([`crate::rust`]), so
//! the modules are identical to those of a crate made by `tinsmith generate`
//! with the same options. Depend on `tinsmith` with
//! `default-features = false` so the build does not compile the CLI.

use std::path::PathBuf;

use crate::diagnostics::{self, Format};
use crate::model::ShapeId;
use crate::rust::{self, GenerateError, Options};

/// Why a build-script generation failed.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The model did not load; the text has every diagnostic.
    #[error("the Smithy model has errors:\n{0}")]
    Model(String),
    /// A service id is not a valid shape id.
    #[error("`{id}` is not a valid service shape id: {message}")]
    ServiceId {
        /// The id as given.
        id: String,
        /// What is wrong with it.
        message: String,
    },
    /// The protocol given to [`Builder::protocol`] is not one the generator
    /// supports.
    #[error("`{id}` is not a supported protocol (supported: {})", supported.join(", "))]
    Protocol {
        /// The protocol as given.
        id: String,
        /// The supported protocols' trait ids.
        supported: Vec<String>,
    },
    /// Generation failed (no such service, unsupported protocol, ...).
    #[error(transparent)]
    Generate(#[from] GenerateError),
    /// No output directory: not running under Cargo and none was set.
    #[error("OUT_DIR is not set; outside a build script, set one with Builder::out_dir")]
    NoOutDir,
    /// Writing a generated file failed.
    #[error("cannot write {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
}

/// Configures and runs generation from a build script.
#[derive(Debug, Clone, Default)]
pub struct Builder {
    models: Vec<PathBuf>,
    services: Vec<String>,
    protocol: Option<String>,
    out_dir: Option<PathBuf>,
    allow_unknown_traits: bool,
    quiet: bool,
    protocol_tests: Option<rust::compliance::ProtocolTests>,
}

impl Builder {
    /// A builder with no models yet.
    pub fn new() -> Self {
        Builder::default()
    }

    /// Adds a model file or directory (`.smithy` and `.json` files, recursively).
    ///
    /// ```no_run
    /// tinsmith::Builder::new().model("model/").model("shared/common.smithy");
    /// ```
    pub fn model(mut self, path: impl Into<PathBuf>) -> Self {
        self.models.push(path.into());
        self
    }

    /// Adds a service to generate, by absolute shape id. Call it once per
    /// service; without it every service of the model is generated. Each
    /// service's file is named after the service in snake case
    /// (`example.weather#Weather` → `weather.rs`).
    ///
    /// ```no_run
    /// tinsmith::Builder::new()
    ///     .model("model/")
    ///     .service("example.weather#Weather")
    ///     .service("example.maps#Maps");
    /// ```
    pub fn service(mut self, id: impl Into<String>) -> Self {
        self.services.push(id.into());
        self
    }

    /// Speaks this protocol, named by its trait's shape id (or name alone):
    /// `aws.protocols#restJson1`, `aws.protocols#awsJson1_0`,
    /// `aws.protocols#awsJson1_1` or `smithy.protocols#rpcv2Cbor`. Needed
    /// for services that declare no protocol trait; for one that declares
    /// several it overrides the choice. It applies to every service of
    /// this builder.
    ///
    /// ```no_run
    /// tinsmith::Builder::new()
    ///     .model("model/weather.smithy")
    ///     .protocol("aws.protocols#restJson1");
    /// ```
    pub fn protocol(mut self, id: impl Into<String>) -> Self {
        self.protocol = Some(id.into());
        self
    }

    /// Writes into `dir` instead of `$OUT_DIR`.
    ///
    /// ```no_run
    /// tinsmith::Builder::new().model("model/").out_dir("src/generated");
    /// ```
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Accepts traits the model applies but never defines (as `tinsmith
    /// check --allow-unknown-traits` does).
    ///
    /// ```no_run
    /// tinsmith::Builder::new().model("model/").allow_unknown_traits(true);
    /// ```
    pub fn allow_unknown_traits(mut self, allow: bool) -> Self {
        self.allow_unknown_traits = allow;
        self
    }

    /// Also emits Smithy's protocol compliance tests (`@httpRequestTests`,
    /// `@httpResponseTests`) as a `#[cfg(test)]` module of each SDK; cases
    /// in `ignored` (id → reason) are emitted with `#[ignore]`. The crate's
    /// tests then need `tokio` and `tinsmith-runtime`'s `test-util` feature.
    ///
    /// ```no_run
    /// tinsmith::Builder::new().model("model/").protocol_tests(Default::default());
    /// ```
    pub fn protocol_tests(mut self, ignored: std::collections::BTreeMap<String, String>) -> Self {
        self.protocol_tests = Some(rust::compliance::ProtocolTests { ignored });
        self
    }

    /// Stops printing `cargo:rerun-if-changed` lines (for use outside build scripts).
    ///
    /// ```no_run
    /// tinsmith::Builder::new().model("model/").out_dir("out").quiet(true);
    /// ```
    pub fn quiet(mut self, quiet: bool) -> Self {
        self.quiet = quiet;
        self
    }

    /// Loads the model and writes one file per service; returns their paths.
    /// Files whose content is unchanged are not rewritten, so Cargo does not
    /// rebuild needlessly.
    pub fn generate(&self) -> Result<Vec<PathBuf>, BuildError> {
        if !self.quiet {
            for path in &self.models {
                println!("cargo:rerun-if-changed={}", path.display());
            }
        }
        let loaded = self
            .models
            .iter()
            .fold(crate::Loader::new(), |loader, p| loader.path(p))
            .allow_unknown_traits(self.allow_unknown_traits)
            .load();
        if loaded.has_errors() {
            return Err(BuildError::Model(diagnostics::render(
                &loaded.sources,
                &loaded.diagnostics,
                Format::Human,
                false,
            )));
        }
        let out_dir = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or(BuildError::NoOutDir)?,
        };
        let services: Vec<Option<ShapeId>> = if self.services.is_empty() {
            // Every service of the model, each in its own file.
            match rust::services(&loaded.model).as_slice() {
                many @ [_, _, ..] => many.iter().map(|s| Some(s.id.clone())).collect(),
                _ => vec![None],
            }
        } else {
            self.services
                .iter()
                .map(|id| {
                    ShapeId::parse(id)
                        .map(Some)
                        .map_err(|e| BuildError::ServiceId {
                            id: id.clone(),
                            message: e.to_string(),
                        })
                })
                .collect::<Result<_, _>>()?
        };
        let protocol =
            match &self.protocol {
                None => None,
                Some(id) => Some(rust::ProtocolKind::from_trait_id(id).ok_or_else(|| {
                    BuildError::Protocol {
                        id: id.clone(),
                        supported: rust::ProtocolKind::supported(),
                    }
                })?),
            };
        let mut written = Vec::new();
        for service in services {
            let mut options = Options {
                service,
                protocol,
                protocol_tests: self.protocol_tests.clone(),
                ..Options::default()
            };
            // The service is selected once, by the plan.
            let plan = rust::plan(&loaded.model, &options)?;
            let file_name = heck::ToSnakeCase::to_snake_case(plan.service.name);
            options.crate_name = file_name.clone();
            let text = rust::render_module(&plan, &options)?;
            let path = out_dir.join(format!("{file_name}.rs"));
            crate::output::write_if_changed(&path, text.as_bytes()).map_err(|source| {
                BuildError::Io {
                    path: path.clone(),
                    source,
                }
            })?;
            written.push(path);
        }
        Ok(written)
    }
}
