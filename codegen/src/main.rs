//! The `tinsmith` command-line front end (feature `cli`).
//!
//! A thin layer over the library: parse arguments, run a [`tinsmith::Loader`],
//! print diagnostics and results. Exit codes: 0 success; 1 the model has
//! errors, generation failed, or `generate --check` found output out of
//! date; 2 usage or I/O problems.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use tinsmith::diagnostics::{self, Format};

/// Pure-Rust Smithy model tools and Rust SDK generator.
#[derive(Parser)]
#[command(name = "tinsmith", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Load and validate models; print diagnostics on stderr.
    Check {
        #[command(flatten)]
        load: LoadArgs,
        /// How to print diagnostics.
        #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
        message_format: MessageFormat,
    },
    /// Print the assembled model as canonical Smithy JSON AST on stdout.
    Ast {
        #[command(flatten)]
        load: LoadArgs,
    },
    /// Generate a Rust client crate per service (a workspace of them when
    /// the model has several), or a crate of the model's types when it has
    /// none.
    Generate {
        #[command(flatten)]
        load: LoadArgs,
        /// The directory to write the crate into.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// The crate's package name (default: the service name in kebab-case;
        /// for a types-only crate its namespace's).
        #[arg(long, value_name = "NAME")]
        crate_name: Option<String>,
        /// The crate's version.
        #[arg(long, value_name = "V", default_value = "0.1.0")]
        crate_version: String,
        /// The service to generate (default: every service of the model,
        /// each in DIR/<crate name>/ with a workspace Cargo.toml in DIR).
        #[arg(long, value_name = "SHAPE_ID")]
        service: Option<String>,
        /// Generate a crate of the model's types alone (structures, unions,
        /// enums, builders), without a client. Models without a service
        /// always get one.
        #[arg(long)]
        types_only: bool,
        /// Also generate a server: a `server` module with a trait of one
        /// async method per operation and `router`, which serves an
        /// implementation of it on axum (restJson1, awsJson1_0, awsJson1_1,
        /// rpcv2Cbor, rpcv2Json and jsonRpc2 services, event streams
        /// included, streamed blobs in restJson1 only).
        #[arg(long, conflicts_with = "types_only")]
        server: bool,
        /// With --types-only: include the shapes of this namespace (and what
        /// they use); repeat for several. Default: every namespace.
        #[arg(long, value_name = "NAMESPACE")]
        namespace: Vec<String>,
        /// Use the types of NAMESPACE from the crate (or module) at PATH, a
        /// types-only crate generated from the same model, instead of
        /// generating them again; repeat for several. E.g.
        /// `--extern-types example.shared=example_shared`.
        #[arg(long, value_name = "NAMESPACE=PATH")]
        extern_types: Vec<String>,
        /// The protocol to speak, by its trait's shape id (or name):
        /// aws.protocols#restJson1, aws.protocols#awsJson1_0,
        /// aws.protocols#awsJson1_1, smithy.protocols#rpcv2Cbor. Needed when
        /// a service declares none; overrides whatever the services declare.
        #[arg(long, value_name = "SHAPE_ID")]
        protocol: Option<String>,
        /// Depend on tinsmith-runtime by path instead of by version.
        #[arg(long, value_name = "PATH")]
        runtime_path: Option<String>,
        /// Write nothing; exit 1 when the output would change.
        #[arg(long)]
        check: bool,
    },
}

#[derive(Args)]
struct LoadArgs {
    /// Report traits without a definition as warnings instead of errors.
    #[arg(long)]
    allow_unknown_traits: bool,
    /// `.smithy` or `.json` files, or directories searched recursively.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum MessageFormat {
    /// rustc-style diagnostics with source snippets.
    Human,
    /// One line per diagnostic: `PATH:LINE:COL: error[CODE]: MESSAGE`.
    Short,
}

fn load(args: &LoadArgs) -> tinsmith::Loaded {
    args.paths
        .iter()
        .fold(tinsmith::Loader::new(), |loader, p| loader.path(p))
        .allow_unknown_traits(args.allow_unknown_traits)
        .load()
}

fn report(loaded: &tinsmith::Loaded, format: MessageFormat) -> ExitCode {
    let format = match format {
        MessageFormat::Human => Format::Human,
        MessageFormat::Short => Format::Short,
    };
    let color = matches!(format, Format::Human) && std::io::stderr().is_terminal();
    let text = diagnostics::render(&loaded.sources, &loaded.diagnostics, format, color);
    let _ = std::io::stderr().write_all(text.as_bytes());
    if loaded.has_io_errors() {
        ExitCode::from(2)
    } else if loaded.has_errors() {
        let errors = loaded.diagnostics.iter().filter(|d| d.is_error()).count();
        if matches!(format, Format::Human) {
            eprintln!(
                "error: model has {errors} error{}",
                if errors == 1 { "" } else { "s" }
            );
        }
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// What `generate` was asked for, beyond the loaded model.
struct GenerateArgs {
    out: PathBuf,
    crate_name: Option<String>,
    crate_version: String,
    service: Option<String>,
    types_only: bool,
    server: bool,
    namespace: Vec<String>,
    extern_types: Vec<String>,
    protocol: Option<String>,
    runtime_path: Option<String>,
    check: bool,
}

/// Turns the arguments into generation options, or the message of a
/// usage error.
fn options(args: &GenerateArgs) -> Result<tinsmith::rust::Options, String> {
    let service = args
        .service
        .as_deref()
        .map(tinsmith::model::ShapeId::parse)
        .transpose()
        .map_err(|e| format!("--service: {e}"))?;
    let protocol = args
        .protocol
        .as_deref()
        .map(|id| {
            tinsmith::rust::ProtocolKind::from_trait_id(id).ok_or_else(|| {
                format!(
                    "--protocol: `{id}` is not a supported protocol (supported: {})",
                    tinsmith::rust::ProtocolKind::supported().join(", ")
                )
            })
        })
        .transpose()?;
    let mut extern_types = tinsmith::rust::ExternTypes::new();
    for mapping in &args.extern_types {
        let Some((namespace, path)) = mapping.split_once('=') else {
            return Err(format!(
                "--extern-types: `{mapping}` is not NAMESPACE=PATH (e.g. example.shared=example_shared)"
            ));
        };
        extern_types.insert(namespace.trim().to_owned(), path.trim().to_owned());
    }
    if !args.namespace.is_empty() && !args.types_only {
        return Err(
            "--namespace chooses the shapes of a types-only crate; add --types-only".into(),
        );
    }
    if args.types_only && service.is_some() {
        return Err("--types-only generates no service; drop --service".into());
    }
    let mut options = tinsmith::rust::Options {
        service,
        protocol,
        types_only: args.types_only,
        server: args.server,
        namespaces: args.namespace.clone(),
        extern_types,
        crate_version: args.crate_version.clone(),
        ..Default::default()
    };
    if let Some(path) = &args.runtime_path {
        options.runtime = tinsmith::rust::RuntimeDependency::Path(path.clone());
    }
    Ok(options)
}

fn generate(loaded: &tinsmith::Loaded, args: &GenerateArgs) -> ExitCode {
    let options = match options(args) {
        Ok(o) => o,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    // The crates to generate: the service named, each service, or the
    // model's types; chosen as the build.rs Builder chooses.
    let count = tinsmith::rust::crate_options(&loaded.model, &options).len();
    let several = count > 1;
    if several && args.crate_name.is_some() {
        eprintln!(
            "error: --crate-name names one crate, but the model has {count} services; \
             each gets a crate named after it (or pick one with --service)"
        );
        return ExitCode::from(2);
    }
    // Render every crate before writing any, so a failure or a name
    // collision leaves the output directory as it was.
    let progress = Progress::new(count);
    let rendered = tinsmith::rust::render_crates(
        &loaded.model,
        &options,
        |plan| {
            args.crate_name
                .clone()
                .unwrap_or_else(|| tinsmith::rust::names::plan_crate_name(plan))
        },
        |name| progress.rendered(name),
    );
    progress.finish();
    let crates = match rendered {
        Ok(crates) => crates,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    let mut names = std::collections::BTreeSet::new();
    for (crate_name, _) in &crates {
        if !names.insert(crate_name) {
            eprintln!(
                "error: two services would both be the crate `{crate_name}`; generate them one at a time with --service and --crate-name"
            );
            return ExitCode::from(1);
        }
    }
    let mut out_of_date = false;
    let members: Vec<String> = crates.iter().map(|(name, _)| name.clone()).collect();
    for (name, generated) in &crates {
        let dir = if several {
            args.out.join(name)
        } else {
            args.out.clone()
        };
        match write(&dir, generated, args.check) {
            Ok(stale) => out_of_date |= stale,
            Err(code) => return code,
        }
    }
    if several {
        let manifest = tinsmith::output::workspace_manifest(&members);
        let crate_set = tinsmith::rust::GeneratedCrate {
            files: [("Cargo.toml".to_owned(), manifest)].into(),
        };
        match write(&args.out, &crate_set, args.check) {
            Ok(stale) => out_of_date |= stale,
            Err(code) => return code,
        }
    }
    if out_of_date {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// A progress bar for rendering many crates, on stderr: shown only when
/// stderr is a terminal and the run has taken more than a second.
struct Progress {
    bar: indicatif::ProgressBar,
    start: std::time::Instant,
}

impl Progress {
    fn new(crates: usize) -> Self {
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(crates as u64),
            indicatif::ProgressDrawTarget::hidden(),
        );
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} crates  {wide_msg}")
        {
            bar.set_style(style);
        }
        Progress {
            bar,
            start: std::time::Instant::now(),
        }
    }

    fn rendered(&self, name: &str) {
        if self.bar.is_hidden() && self.start.elapsed() > std::time::Duration::from_secs(1) {
            // `stderr()` stays hidden when stderr is not a terminal.
            self.bar
                .set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
        self.bar.set_message(name.to_owned());
        self.bar.inc(1);
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// Writes (or, with `check`, compares) one crate's files; true when
/// `check` found files out of date.
fn write(
    dir: &std::path::Path,
    generated: &tinsmith::rust::GeneratedCrate,
    check: bool,
) -> Result<bool, ExitCode> {
    match tinsmith::output::write_crate(dir, generated, check) {
        Ok(changed) if check => {
            for path in &changed {
                eprintln!("out of date: {}", dir.join(path).display());
            }
            Ok(!changed.is_empty())
        }
        Ok(changed) => {
            eprintln!(
                "generated {} ({} files, {} changed)",
                dir.display(),
                generated.files.len(),
                changed.len()
            );
            Ok(false)
        }
        Err(e) => {
            eprintln!("error: {e}");
            Err(ExitCode::from(2))
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check {
            load: args,
            message_format,
        } => {
            let loaded = load(&args);
            let code = report(&loaded, message_format);
            // The process ends here: the OS takes the model's memory back at
            // once, where dropping it would free each allocation in turn.
            std::mem::forget(loaded);
            code
        }
        Command::Ast { load: args } => {
            let loaded = load(&args);
            let code = report(&loaded, MessageFormat::Human);
            if code == ExitCode::SUCCESS {
                let text = tinsmith::json_ast::to_string(&loaded.model);
                if std::io::stdout().write_all(text.as_bytes()).is_err() {
                    return ExitCode::from(2);
                }
            }
            code
        }
        Command::Generate {
            load: args,
            out,
            crate_name,
            crate_version,
            service,
            types_only,
            server,
            namespace,
            extern_types,
            protocol,
            runtime_path,
            check,
        } => {
            let loaded = load(&args);
            let code = report(&loaded, MessageFormat::Human);
            if code != ExitCode::SUCCESS {
                return code;
            }
            let args = GenerateArgs {
                out,
                crate_name,
                crate_version,
                service,
                types_only,
                server,
                namespace,
                extern_types,
                protocol,
                runtime_path,
                check,
            };
            generate(&loaded, &args)
        }
    }
}
