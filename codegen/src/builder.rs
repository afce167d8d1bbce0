//! The build-script front end: [`Builder`] loads a model, generates each
//! requested service (or, for a model without one, its types) as one Rust
//! file in `OUT_DIR`, and tells Cargo to rerun when a model file changes. The crate includes the file with
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
    /// Options that contradict each other, as the CLI would refuse them:
    /// `.service(..)` with `.types_only(true)`, or `.namespace(..)` without it.
    #[error("{0}")]
    Options(&'static str),
    /// No output directory: not running under Cargo and none was set.
    #[error("OUT_DIR is not set; outside a build script, set one with Builder::out_dir")]
    NoOutDir,
    /// Two generated SDKs would be the same file: two services (or a
    /// service and a types-only crate) with the same name in different
    /// namespaces. Generate them with separate builders and out dirs.
    #[error("two generated SDKs would both be {}; generate them with separate builders, each with its own out_dir", path.display())]
    SameFile {
        /// The file.
        path: PathBuf,
    },
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
    types_only: bool,
    namespaces: Vec<String>,
    extern_types: rust::ExternTypes,
    serde: bool,
    outbox: bool,
    server: bool,
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
    /// for services that declare no protocol trait; for the others it
    /// overrides whatever they declare. It applies to every service of
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

    /// Generates the model's types alone (structures, unions, enums and
    /// their builders, in a `types` module), without a client, even when the
    /// model has a service; the file is named after the namespace
    /// (`example.shared` → `example_shared.rs`). A model without a service
    /// always generates its types.
    ///
    /// ```no_run
    /// tinsmith::Builder::new()
    ///     .model("model/shared.smithy")
    ///     .types_only(true)
    ///     .namespace("example.shared");
    /// ```
    pub fn types_only(mut self, types_only: bool) -> Self {
        self.types_only = types_only;
        self
    }

    /// Limits a types-only SDK to the shapes of this namespace (and what
    /// they use). Call it once per namespace; without it, every namespace
    /// of the model's own files is included.
    ///
    /// ```no_run
    /// tinsmith::Builder::new().model("model/").types_only(true).namespace("example.shared");
    /// ```
    pub fn namespace(mut self, namespace: impl Into<String>) -> Self {
        self.namespaces.push(namespace.into());
        self
    }

    /// Uses the types of `namespace` from the crate or module at `path`
    /// (whose `types` module holds them) instead of generating them again.
    /// That SDK must be the types-only SDK of the namespace, generated from
    /// the same model files, so both name every type alike.
    ///
    /// ```no_run
    /// // Two services share `example.shared`, generated once as `crate::shared`.
    /// tinsmith::Builder::new()
    ///     .model("model/")
    ///     .extern_types("example.shared", "crate::shared")
    ///     .service("example.weather#Weather")
    ///     .service("example.maps#Maps");
    /// ```
    pub fn extern_types(mut self, namespace: impl Into<String>, path: impl Into<String>) -> Self {
        self.extern_types.insert(namespace.into(), path.into());
        self
    }

    /// Implements `serde::Serialize` and `Deserialize` for the generated
    /// types (structures through their builders, so required members and
    /// defaults hold; unions as one-key maps; enums as their values). The
    /// including crate then depends on `serde` with its `derive` feature and
    /// enables `tinsmith-runtime`'s `serde` feature.
    ///
    /// ```no_run
    /// tinsmith::Builder::new().model("model/").serde(true);
    /// ```
    pub fn serde(mut self, serde: bool) -> Self {
        self.serde = serde;
        self
    }

    /// Generates outbox support: `Client::outbox`, which opens a durable
    /// outbox (a local SQLite database) that commits requests and sends
    /// them in the background, in order
    /// (`tinsmith_runtime::outbox`). The including crate then enables
    /// `tinsmith-runtime`'s `outbox` feature.
    ///
    /// ```no_run
    /// tinsmith::Builder::new().model("model/").outbox(true);
    /// ```
    pub fn outbox(mut self, outbox: bool) -> Self {
        self.outbox = outbox;
        self
    }

    /// Also generates a server: a `server` module with a trait of one async
    /// method per operation and `router`, which serves an implementation of
    /// it as an axum `Router` (for restJson1, awsJson1_0, awsJson1_1,
    /// rpcv2Cbor, rpcv2Json and jsonRpc2 services, event streams included,
    /// streamed blobs in restJson1 only; anything else is an error naming
    /// the shape). The including crate then enables
    /// `tinsmith-runtime`'s `server` feature.
    ///
    /// ```no_run
    /// tinsmith::Builder::new().model("model/").server(true);
    /// ```
    pub fn server(mut self, server: bool) -> Self {
        self.server = server;
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

    /// Loads the model and writes one file per service (or the types-only
    /// file); returns their paths. Everything is generated before anything
    /// is written. Files whose content is unchanged are not rewritten, so
    /// Cargo does not rebuild needlessly.
    pub fn generate(&self) -> Result<Vec<PathBuf>, BuildError> {
        if !self.quiet {
            for path in &self.models {
                println!("cargo:rerun-if-changed={}", path.display());
            }
        }
        if self.types_only && !self.services.is_empty() {
            return Err(BuildError::Options(
                "types_only(true) generates no service; drop the .service(..) calls",
            ));
        }
        if !self.types_only && !self.namespaces.is_empty() {
            return Err(BuildError::Options(
                ".namespace(..) chooses the shapes of a types-only SDK; add .types_only(true)",
            ));
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
        let options = Options {
            protocol,
            protocol_tests: self.protocol_tests.clone(),
            types_only: self.types_only,
            namespaces: self.namespaces.clone(),
            extern_types: self.extern_types.clone(),
            serde: if self.serde {
                rust::FeatureSupport::Always
            } else {
                rust::FeatureSupport::Off
            },
            outbox: if self.outbox {
                rust::FeatureSupport::Always
            } else {
                rust::FeatureSupport::Off
            },
            server: self.server,
            ..Options::default()
        };
        // The services named, else what the model has (each service, or
        // its types), chosen as the CLI chooses.
        let plans = if self.services.is_empty() {
            rust::plans(&loaded.model, &options)?
        } else {
            let mut plans = Vec::new();
            for id in &self.services {
                let service = ShapeId::parse(id).map_err(|e| BuildError::ServiceId {
                    id: id.clone(),
                    message: e.to_string(),
                })?;
                let one = Options {
                    service: Some(service),
                    ..options.clone()
                };
                plans.push(rust::plan(&loaded.model, &one)?);
            }
            plans
        };
        // Render everything before writing anything, so a failure leaves
        // no half-written output, and two plans never share a file.
        let mut files: Vec<(PathBuf, String)> = Vec::new();
        for plan in &plans {
            let file_name = rust::names::plan_crate_name(plan).replace('-', "_");
            let path = out_dir.join(format!("{file_name}.rs"));
            if files.iter().any(|(p, _)| *p == path) {
                return Err(BuildError::SameFile { path });
            }
            let options = Options {
                crate_name: file_name,
                ..options.clone()
            };
            files.push((path, rust::render_module(plan, &options)?));
        }
        let mut written = Vec::new();
        for (path, text) in files {
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
