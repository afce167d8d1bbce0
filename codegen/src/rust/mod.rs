//! Rust code generation: a pure function from a model and [`Options`] to the
//! files of a crate ([`GeneratedCrate`]) or one file of inline modules.
//!
//! The pipeline: [`plan()`] selects the service and builds its typed
//! [`Plan`] (every name, type and wire decision, made once; [`names`]
//! decides the names); the emitters (`types`, `errors`, `client`, the
//! protocol and its codec, `compliance`) render the plan as token streams
//! with `quote`; `format` parses them with `syn` and prints them with
//! `prettyplease`. Nothing here does I/O; [`crate::output`] writes files.

mod client;
mod codec;
pub mod compliance;
mod crate_files;
pub mod docs;
mod endpoint;
mod errors;
mod event_stream;
mod format;
pub mod names;
mod paths;
pub mod pattern;
pub mod plan;
mod protocol;
mod serde_support;
mod server;
mod types;
mod values;
mod xml_codec;

use std::collections::BTreeMap;

use crate::model::{Model, Shape, ShapeId, ShapeType};

pub use plan::{ExternTypes, Plan, ProtocolKind, Subject};

/// How the generated crate depends on `tinsmith-runtime`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeDependency {
    /// A crates.io version requirement, e.g. `"0.1"`.
    Version(String),
    /// A path dependency (for local and in-repository use).
    Path(String),
}

/// How an optional part of the generated code (serde support, the
/// outbox) is included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FeatureSupport {
    /// Not generated.
    Off,
    /// Behind a cargo feature of the generated crate of the same name (off
    /// by default), which turns on the runtime's feature. The default for
    /// crates.
    #[default]
    Feature,
    /// Always: the crate that includes the code enables the runtime's
    /// feature (and, for serde, depends on `serde` with `derive`). For
    /// build scripts, where the including crate has no such feature.
    Always,
}

impl FeatureSupport {
    /// `#[cfg(feature = "...")]` for items of a part behind a feature;
    /// nothing otherwise.
    pub(crate) fn cfg(self, feature: &str) -> proc_macro2::TokenStream {
        match self {
            FeatureSupport::Feature => quote::quote!(#[cfg(feature = #feature)]),
            _ => proc_macro2::TokenStream::new(),
        }
    }
}

/// Generation options. The CLI and the build.rs builder both fill this in,
/// so both produce identical output for identical options.
#[derive(Debug, Clone)]
pub struct Options {
    /// The service to generate; `None` picks the model's only service.
    pub service: Option<ShapeId>,
    /// The protocol to speak. `None` takes the first supported protocol the
    /// service declares; `Some` is spoken whatever the service declares:
    /// it chooses one for a service that declares none (Smithy's quickstart
    /// model, for one), and overrides the service's own choice otherwise.
    pub protocol: Option<ProtocolKind>,
    /// Generate a crate of types alone (structures, unions, enums and
    /// their builders), without a client, even when the model has a
    /// service. A model without a service always gets one.
    pub types_only: bool,
    /// For a types-only crate, the namespaces whose shapes it holds; empty
    /// for every namespace of the model's own files.
    pub namespaces: Vec<String>,
    /// Namespaces whose types another crate or module already holds, so
    /// they are used from there instead of generated again: namespace →
    /// Rust path (`shared_types`, `crate::shared`). That crate is a
    /// types-only crate of the namespace, generated from the same model.
    pub extern_types: ExternTypes,
    /// serde support of the types: `Serialize` and `Deserialize` for every
    /// generated type that has a serde form.
    pub serde: FeatureSupport,
    /// The outbox: `Client::outbox` and the requests it can store (the
    /// runtime's `outbox` feature).
    pub outbox: FeatureSupport,
    /// Also generate a server: a `server` module with a trait of one async
    /// method per operation and a `router` function serving an
    /// implementation of it (the runtime's `server` feature). Supported
    /// for restJson1, awsJson1_0, awsJson1_1, rpcv2Cbor, rpcv2Json and
    /// jsonRpc2 services, event streams included; streamed blobs in
    /// restJson1 only. The server reads requests strictly: a
    /// `@required` member left out is an error, never corrected to a zero
    /// value as the client corrects responses.
    pub server: bool,
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
    /// Emit Smithy's protocol compliance tests as a `#[cfg(test)]` module
    /// (the including crate needs `tokio` and `tinsmith-runtime`'s
    /// `test-util` feature for its tests).
    pub protocol_tests: Option<compliance::ProtocolTests>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            service: None,
            protocol: None,
            types_only: false,
            namespaces: Vec::new(),
            extern_types: ExternTypes::new(),
            serde: FeatureSupport::Feature,
            outbox: FeatureSupport::Feature,
            server: false,
            crate_name: "sdk".into(),
            crate_version: "0.1.0".into(),
            license: "Apache-2.0".into(),
            repository: None,
            runtime: RuntimeDependency::Version(env!("CARGO_PKG_VERSION").into()),
            protocol_tests: None,
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
    /// The model has no service shape, and no structure, union or enum to
    /// make a crate of types from.
    #[error(
        "the model defines no service and no types (structures, unions, enums); nothing to generate"
    )]
    NoService,
    /// More than one service and none was chosen.
    #[error("the model defines several services ({}); choose one with --service", .0.join(", "))]
    SeveralServices(Vec<String>),
    /// A namespace chosen for a types-only crate (or mapped to a crate)
    /// defines no structure, union or enum other than operation inputs and
    /// outputs.
    #[error("namespace `{0}` defines no types a types-only crate can hold")]
    NoTypes(String),
    /// A path of [`Options::extern_types`] is not a Rust path.
    #[error(
        "the types of namespace `{namespace}` are mapped to `{path}`, which is not a Rust path: {message}"
    )]
    ExternPath {
        /// The namespace.
        namespace: String,
        /// The path as given.
        path: String,
        /// What is wrong with it.
        message: String,
    },
    /// The chosen service does not exist.
    #[error("`{0}` is not a service in the model")]
    UnknownService(String),
    /// The generator cannot give a shape a correct Rust form.
    #[error("cannot generate `{shape}`: {reason}")]
    Unsupported {
        /// The shape or member.
        shape: ShapeId,
        /// Why.
        reason: String,
    },
    /// The service declares no protocol the generator supports.
    #[error(
        "service `{service}` declares no supported protocol (declared: {}; supported: {}); \
         choose one with `--protocol <shape id>` (build.rs: `Builder::protocol`): \
         aws.protocols#restJson1 for a model with HTTP bindings (@http), \
         smithy.protocols#rpcv2Cbor or aws.protocols#awsJson1_0 for one without",
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
    /// An operation streams a blob body over a protocol that has no place
    /// for one (only HTTP-binding protocols bind a payload).
    #[error(
        "operation `{operation}` has a @streaming blob member, which protocol `{protocol}` cannot carry (streaming blobs need an HTTP-binding protocol such as aws.protocols#restJson1)"
    )]
    StreamingBlobUnsupported {
        /// The operation.
        operation: ShapeId,
        /// The selected protocol.
        protocol: String,
    },
    /// An event stream on a protocol the generator cannot frame events for.
    #[error(
        "operation `{operation}` has an event stream, which protocol `{protocol}` cannot carry (the query protocols have no event streams)"
    )]
    EventStreamUnsupported {
        /// The operation.
        operation: ShapeId,
        /// The selected protocol.
        protocol: String,
    },
    /// A document member on a protocol without documents.
    #[error(
        "member `{member}` is a document, which protocol `{protocol}` cannot carry (the XML-based protocols have no document type)"
    )]
    DocumentUnsupported {
        /// The member.
        member: ShapeId,
        /// The selected protocol.
        protocol: String,
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

/// The model's services (not those of bundled models), in shape-id order.
pub fn services(model: &Model) -> Vec<&Shape> {
    let mut services: Vec<&Shape> = model
        .user_shapes()
        .filter(|s| s.ty == ShapeType::Service)
        .collect();
    services.sort_by(|a, b| a.id.cmp(&b.id));
    services
}

/// Picks the service to generate: `wanted`, or the model's only service.
pub fn select_service<'m>(
    model: &'m Model,
    wanted: Option<&ShapeId>,
) -> Result<&'m Shape, GenerateError> {
    if let Some(id) = wanted {
        return model
            .shape(id)
            .filter(|s| s.ty == ShapeType::Service)
            .ok_or_else(|| GenerateError::UnknownService(id.to_string()));
    }
    match services(model).as_slice() {
        [] => Err(GenerateError::NoService),
        [one] => Ok(one),
        many => Err(GenerateError::SeveralServices(
            many.iter().map(|s| s.id.to_string()).collect(),
        )),
    }
}

/// Selects the service (`options.service`, or the model's only one) and
/// builds its plan: the one place generation decides anything. A model
/// without a service, or `options.types_only`, gets the plan of a crate of
/// types alone.
pub fn plan<'m>(model: &'m Model, options: &Options) -> Result<Plan<'m>, GenerateError> {
    let types_only = || Plan::types_only(model, &options.namespaces, &options.extern_types);
    let mut plan = if options.types_only {
        types_only()?
    } else {
        match select_service(model, options.service.as_ref()) {
            Ok(service) => Plan::build(model, service, options.protocol, &options.extern_types)?,
            Err(GenerateError::NoService) => types_only()?,
            Err(e) => return Err(e),
        }
    };
    plan.serde = options.serde;
    plan.outbox = options.outbox;
    if options.server {
        plan.add_server()?;
    }
    Ok(plan)
}

/// The options of each crate of one run: the service `options.service`
/// names, else each service of the model (one crate each), else — for a
/// model without a service, or with `options.types_only` — a crate of its
/// types. Both front ends call this (through [`plans`] or
/// [`render_crates`]), so they generate the same crates for the same model.
pub fn crate_options(model: &Model, options: &Options) -> Vec<Options> {
    if options.service.is_some() || options.types_only {
        return vec![options.clone()];
    }
    match services(model).as_slice() {
        many @ [_, _, ..] => many
            .iter()
            .map(|service| Options {
                service: Some(service.id.clone()),
                ..options.clone()
            })
            .collect(),
        _ => vec![options.clone()],
    }
}

/// The plans of one run, one per crate (see [`crate_options`]).
pub fn plans<'m>(model: &'m Model, options: &Options) -> Result<Vec<Plan<'m>>, GenerateError> {
    crate_options(model, options)
        .iter()
        .map(|one| plan(model, one))
        .collect()
}

/// Plans and renders every crate of one run (see [`crate_options`]) on all
/// cores, one rayon task per crate, and returns them in service order with
/// their package names.
///
/// `name` gives a crate its package name from its plan (e.g.
/// [`names::plan_crate_name`]); `rendered` is called with that name as each
/// crate is done, from whichever thread rendered it, for progress reports.
/// Each task builds its own plan: plans hold token streams, which cannot
/// cross threads. The first error in service order is returned.
pub fn render_crates(
    model: &Model,
    options: &Options,
    name: impl Fn(&Plan<'_>) -> String + Sync,
    rendered: impl Fn(&str) + Sync,
) -> Result<Vec<(String, GeneratedCrate)>, GenerateError> {
    use rayon::prelude::*;
    let render = || {
        crate_options(model, options)
            .par_iter()
            .map(|one| {
                let plan = plan(model, one)?;
                let crate_name = name(&plan);
                let one = Options {
                    crate_name: crate_name.clone(),
                    ..one.clone()
                };
                let generated = render_crate(&plan, &one)?;
                rendered(&crate_name);
                Ok((crate_name, generated))
            })
            .collect::<Vec<_>>()
    };
    // Formatting recurses as deep as the generated code nests (a method
    // chain per member, say), so the workers get a main thread's stack.
    let results = match rayon::ThreadPoolBuilder::new()
        .stack_size(RENDER_STACK)
        .build()
    {
        Ok(pool) => pool.install(render),
        Err(_) => render(),
    };
    results.into_iter().collect()
}

/// The stack of a thread that renders crates (see [`render_crates`]).
const RENDER_STACK: usize = 16 << 20;

/// One module of generated code, before it is laid out as a file of a crate
/// or as an inline module of a single file.
struct Module {
    name: &'static str,
    public: bool,
    /// Compiled only for tests (`#[cfg(test)]`).
    test_only: bool,
    tokens: proc_macro2::TokenStream,
}

/// Every module of the SDK, sorted by name.
fn modules(plan: &Plan<'_>, options: &Options) -> Vec<Module> {
    // The modules with the most runtime paths call the runtime `rt`; the
    // codec modules already use that name for their codec.
    let alias = format::runtime_alias;
    let module = |name, public, tokens| Module {
        name,
        public,
        test_only: false,
        tokens,
    };
    if let Subject::Types(_) = plan.subject {
        return vec![module("types", true, alias(types::module(plan)))];
    }
    let protocol = protocol::for_kind(plan.protocol());
    let mut modules = vec![
        module("client", false, client::client_module(plan)),
        module("error", true, alias(errors::module(plan))),
        module("operation", true, alias(client::operation_module(plan))),
        module("protocol", false, protocol::module(plan)),
        module("types", true, alias(types::module(plan))),
    ];
    for (name, tokens) in protocol.support_files(plan) {
        modules.push(module(name, false, tokens));
    }
    if let Some(rules) = endpoint::rules(plan) {
        modules.push(module("endpoint", false, endpoint::module(rules)));
    }
    if let Some(tokens) = server::module(plan) {
        modules.push(module("server", true, tokens));
    }
    if let Some(tests) = &options.protocol_tests {
        if let Some(tokens) = compliance::module(plan, tests) {
            modules.push(Module {
                name: "protocol_tests",
                public: false,
                test_only: true,
                tokens,
            });
        }
        if let Some(tokens) = compliance::server::module(plan, tests) {
            modules.push(Module {
                name: "server_protocol_tests",
                public: false,
                test_only: true,
                tokens,
            });
        }
        if let Some(tokens) = endpoint::tests_module(plan, tests) {
            modules.push(Module {
                name: "endpoint_tests",
                public: false,
                test_only: true,
                tokens,
            });
        }
    }
    modules.sort_by(|a, b| a.name.cmp(b.name));
    modules
}

/// Generates a whole crate for a service: `Cargo.toml`, `README.md` and
/// one source file per module.
pub fn generate(model: &Model, options: &Options) -> Result<GeneratedCrate, GenerateError> {
    render_crate(&plan(model, options)?, options)
}

/// Renders a plan as a whole crate.
pub fn render_crate(plan: &Plan<'_>, options: &Options) -> Result<GeneratedCrate, GenerateError> {
    let modules = modules(plan, options);
    let mut files = BTreeMap::new();
    files.insert(
        "Cargo.toml".to_owned(),
        crate_files::cargo_toml(plan, options),
    );
    files.insert("README.md".to_owned(), crate_files::readme(plan, options));
    files.insert(
        "rustfmt.toml".to_owned(),
        crate_files::RUSTFMT_TOML.to_owned(),
    );
    let declared: Vec<(&str, bool, bool)> = modules
        .iter()
        .map(|m| (m.name, m.public, m.test_only))
        .collect();
    files.insert(
        "src/lib.rs".to_owned(),
        format::file("src/lib.rs", crate_files::lib_rs(plan, options, &declared))?,
    );
    for module in modules {
        let path = format!("src/{}.rs", module.name);
        let text = format::file(&path, module.tokens)?;
        files.insert(path, text);
    }
    Ok(GeneratedCrate { files })
}

/// Generates the SDK as one Rust file of inline modules, for `include!`
/// from a build script's output (see `Builder`). The file has no inner
/// attributes, so it can be included inside any module of the user's crate.
pub fn generate_module(model: &Model, options: &Options) -> Result<String, GenerateError> {
    render_module(&plan(model, options)?, options)
}

/// Renders a plan as one file of inline modules.
pub fn render_module(plan: &Plan<'_>, options: &Options) -> Result<String, GenerateError> {
    let modules = modules(plan, options).into_iter().map(|m| {
        let name = quote::format_ident!("{}", m.name);
        let tokens = m.tokens;
        let cfg = m.test_only.then(|| quote::quote!(#[cfg(test)]));
        if m.public {
            quote::quote!(#cfg pub mod #name { #tokens })
        } else {
            quote::quote!(#cfg mod #name { #tokens })
        }
    });
    let root = crate_files::root_items(plan);
    format::file("sdk.rs", quote::quote! { #(#modules)* #root })
}
