//! The `tinsmith` command-line front end (feature `cli`).
//!
//! A thin layer over the library: parse arguments, run a [`tinsmith::Loader`],
//! print diagnostics and results. Exit codes: 0 no errors, 1 the model has
//! errors, 2 usage or I/O problems.

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
    /// Generate a Rust client crate for a service.
    Generate {
        #[command(flatten)]
        load: LoadArgs,
        /// The directory to write the crate into.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// The crate's package name (default: the service name in kebab-case).
        #[arg(long, value_name = "NAME")]
        crate_name: Option<String>,
        /// The crate's version.
        #[arg(long, value_name = "V", default_value = "0.1.0")]
        crate_version: String,
        /// The service to generate (default: the model's only service).
        #[arg(long, value_name = "SHAPE_ID")]
        service: Option<String>,
        /// The protocol to speak, by its trait's shape id (or name):
        /// aws.protocols#restJson1, aws.protocols#awsJson1_0,
        /// aws.protocols#awsJson1_1, smithy.protocols#rpcv2Cbor. Needed when
        /// the service declares none; overrides the service's choice.
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

#[allow(clippy::too_many_arguments)]
fn generate(
    loaded: &tinsmith::Loaded,
    out: &std::path::Path,
    crate_name: Option<String>,
    crate_version: String,
    service: Option<String>,
    protocol: Option<String>,
    runtime_path: Option<String>,
    check: bool,
) -> ExitCode {
    let service = match service
        .as_deref()
        .map(tinsmith::model::ShapeId::parse)
        .transpose()
    {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: --service: {e}");
            return ExitCode::from(2);
        }
    };
    let protocol = match protocol.as_deref().map(|id| {
        tinsmith::rust::ProtocolKind::from_trait_id(id).ok_or_else(|| {
            format!(
                "`{id}` is not a supported protocol (supported: {})",
                tinsmith::rust::ProtocolKind::supported().join(", ")
            )
        })
    }) {
        None => None,
        Some(Ok(p)) => Some(p),
        Some(Err(e)) => {
            eprintln!("error: --protocol: {e}");
            return ExitCode::from(2);
        }
    };
    let mut options = tinsmith::rust::Options {
        protocol,
        crate_version,
        ..Default::default()
    };
    if let Some(path) = runtime_path {
        options.runtime = tinsmith::rust::RuntimeDependency::Path(path);
    }
    // Without --service, a model with several services gets a crate for
    // each, in a directory of `out` named after the crate.
    let services: Vec<Option<tinsmith::model::ShapeId>> = match service {
        Some(id) => vec![Some(id)],
        None => match tinsmith::rust::services(&loaded.model).as_slice() {
            many @ [_, _, ..] => many.iter().map(|s| Some(s.id.clone())).collect(),
            _ => vec![None],
        },
    };
    let several = services.len() > 1;
    if several && crate_name.is_some() {
        eprintln!(
            "error: --crate-name names one crate, but the model has {} services; \
             each gets a crate named after it (or pick one with --service)",
            services.len()
        );
        return ExitCode::from(2);
    }
    let mut members: Vec<String> = Vec::new();
    let mut out_of_date = false;
    for service in services {
        options.service = service;
        // The service is selected once, here; the plan holds it from then on.
        let generated = tinsmith::rust::plan(&loaded.model, &options).and_then(|plan| {
            options.crate_name = crate_name
                .clone()
                .unwrap_or_else(|| tinsmith::rust::names::crate_name(plan.service.name));
            tinsmith::rust::render_crate(&plan, &options)
        });
        let generated = match generated {
            Ok(g) => g,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(1);
            }
        };
        if members.contains(&options.crate_name) {
            eprintln!(
                "error: two services would both be the crate `{}`; generate them one at a time with --service and --crate-name",
                options.crate_name
            );
            return ExitCode::from(1);
        }
        let dir = if several {
            out.join(&options.crate_name)
        } else {
            out.to_path_buf()
        };
        match write(&dir, &generated, check) {
            Ok(stale) => out_of_date |= stale,
            Err(code) => return code,
        }
        members.push(options.crate_name.clone());
    }
    if several {
        let manifest = tinsmith::output::workspace_manifest(&members);
        let crate_set = tinsmith::rust::GeneratedCrate {
            files: [("Cargo.toml".to_owned(), manifest)].into(),
        };
        match write(out, &crate_set, check) {
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
        } => report(&load(&args), message_format),
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
            protocol,
            runtime_path,
            check,
        } => {
            let loaded = load(&args);
            let code = report(&loaded, MessageFormat::Human);
            if code != ExitCode::SUCCESS {
                return code;
            }
            generate(
                &loaded,
                &out,
                crate_name,
                crate_version,
                service,
                protocol,
                runtime_path,
                check,
            )
        }
    }
}
