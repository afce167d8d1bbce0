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
    }
}
