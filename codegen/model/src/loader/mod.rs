//! Loading: files and directories in, a validated [`Model`] and diagnostics out.
//!
//! [`Loader`] is the one entry point. It reads files (or takes in-memory
//! sources), picks the front end by extension (`.smithy` → [`crate::idl`],
//! `.json` → [`crate::json_ast`]), prepends the built-in model files
//! ([`builtin`]), assembles everything ([`assemble`]) and runs the validators
//! ([`crate::validate`]). Reading files is the only I/O in the whole pipeline,
//! and it happens here.

pub mod assemble;
pub mod builtin;
pub mod raw;
pub mod resolve;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostics::{Code, Diagnostic};
use crate::model::Model;
use crate::source::{FileId, SourceMap};

/// Configures and runs a model load.
///
/// ```
/// let loaded = tinsmith_model::Loader::new()
///     .source("weather.smithy", "$version: \"2\"\nnamespace ex\nstring CityId\n")
///     .load();
/// assert!(!loaded.has_errors());
/// assert!(loaded.model.shape_by_str("ex#CityId").is_some());
/// ```
#[derive(Debug, Clone, Default)]
pub struct Loader {
    inputs: Vec<Input>,
    allow_unknown_traits: bool,
}

#[derive(Debug, Clone)]
enum Input {
    Path(PathBuf),
    Source { name: String, text: Arc<str> },
}

/// The result of a load: the model (as complete as the input allowed), the
/// sources (for rendering diagnostics) and every diagnostic, sorted.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The assembled model. When there are errors it may be incomplete.
    pub model: Model,
    /// Every file that was loaded, user and built-in.
    pub sources: SourceMap,
    /// All problems found, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    /// True when any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// True when a file or directory could not be read.
    pub fn has_io_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.code == Code::Io)
    }

    /// The model, or `self` back when there are errors.
    pub fn into_model(self) -> Result<Model, Box<Loaded>> {
        if self.has_errors() {
            Err(Box::new(self))
        } else {
            Ok(self.model)
        }
    }
}

impl Loader {
    /// A loader with no inputs.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a `.smithy` or `.json` file, or a directory searched recursively
    /// for such files (in sorted order, so loads are deterministic).
    pub fn path(mut self, path: impl Into<PathBuf>) -> Self {
        self.inputs.push(Input::Path(path.into()));
        self
    }

    /// Adds an in-memory source; `name` decides the format (`.json` or IDL).
    /// The text is shared with every load, not copied by each.
    pub fn source(mut self, name: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        self.inputs.push(Input::Source {
            name: name.into(),
            text: text.into(),
        });
        self
    }

    /// Reports traits that have no definition as warnings instead of errors.
    pub fn allow_unknown_traits(mut self, allow: bool) -> Self {
        self.allow_unknown_traits = allow;
        self
    }

    /// Loads, assembles and validates everything added so far.
    ///
    /// The model holds the prelude and the other built-in namespaces the
    /// files name ([`builtin::Namespaces`]), not every bundled one. Those
    /// built-in files are prepared once per process
    /// ([`builtin::for_namespaces`]); a load assembles its own files onto
    /// them, unless they replace or `apply` to a built-in shape, when
    /// everything is assembled from scratch.
    ///
    /// A large model's validators run as two groups, the second on a thread
    /// of its own (when the machine has more than one core); the result is
    /// the same either way.
    pub fn load(&self) -> Loaded {
        let mut sources = SourceMap::default();
        let mut diags = Vec::new();
        // Every file read first, in order; then parsed.
        let mut inputs: Vec<FileId> = Vec::new();
        for input in &self.inputs {
            match input {
                Input::Source { name, text } => {
                    inputs.push(sources.add(name.clone(), text.clone()))
                }
                Input::Path(path) => {
                    for file in collect_files(path, &mut diags) {
                        match std::fs::read_to_string(&file) {
                            Ok(text) => {
                                inputs.push(sources.add_read(file.display().to_string(), text));
                            }
                            Err(e) => diags.push(Diagnostic::error(
                                Code::Io,
                                None,
                                format!("cannot read `{}`: {e}", file.display()),
                            )),
                        }
                    }
                }
            }
        }
        let files = parse_files(&sources, &inputs, &mut diags);
        let names = files
            .iter()
            .fold(builtin::Namespaces::PRELUDE, |names, file| {
                names.union(file.names)
            });
        let builtin = builtin::for_namespaces(names);
        sources.share_builtin_of(&builtin.sources);
        let model = if builtin.base.extended_by(&files) {
            let model = assemble::assemble_onto(&builtin.base, files, &mut diags);
            crate::validate::validate(&model, self.allow_unknown_traits, false, &mut diags);
            model
        } else {
            let all = builtin.files().iter().cloned().chain(files).collect();
            let model = assemble::assemble(all, &mut diags);
            crate::validate::validate(&model, self.allow_unknown_traits, true, &mut diags);
            model
        };
        crate::diagnostics::sort(&mut diags);
        Loaded {
            model,
            sources,
            diagnostics: diags,
        }
    }
}

/// Parses `files`, in order, on the calling thread.
///
/// Files are independent until assembly, and parsing them on several
/// threads was tried: the load got faster, but the model's many small
/// allocations then lay in other threads' malloc arenas, and everything a
/// generator did with the model afterwards (all of it allocation) got
/// slower by more than the load had gained.
fn parse_files(
    sources: &SourceMap,
    files: &[FileId],
    diags: &mut Vec<Diagnostic>,
) -> Vec<raw::RawFile> {
    files
        .iter()
        .map(|&id| {
            let file = sources.get(id);
            parse_file(id, &file.name, file.text(), diags)
        })
        .collect()
}

/// Parses one file with the front end its name calls for.
pub fn parse_file(id: FileId, name: &str, text: &str, diags: &mut Vec<Diagnostic>) -> raw::RawFile {
    if name.ends_with(".json") {
        crate::json_ast::read(id, text, diags)
    } else {
        crate::idl::parse(id, text, diags)
    }
}

fn collect_files(path: &Path, diags: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    if path.is_file() {
        return vec![path.to_path_buf()];
    }
    if !path.is_dir() {
        diags.push(Diagnostic::error(
            Code::Io,
            None,
            format!("`{}` is not a file or directory", path.display()),
        ));
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut stack = vec![path.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) => {
                diags.push(Diagnostic::error(
                    Code::Io,
                    None,
                    format!("cannot read `{}`: {e}", dir.display()),
                ));
                continue;
            }
        };
        for entry in entries.flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("smithy" | "json")
            ) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}
