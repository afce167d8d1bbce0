//! The built-in model files: the `smithy.api` prelude and the trait
//! namespaces real models use, bundled so a user's model loads without extra
//! files. They are our own definitions, written from the Smithy
//! specification, in `codegen/model/src/builtin/` (the namespaces are listed in
//! the README's "What is bundled").
//!
//! Shapes defined here yield to user definitions of the same id, so loading
//! Smithy's own trait files alongside works.
//!
//! The IDL files are the source, but loads read the JSON AST generated from
//! them (`builtin/json/`, one shape per line): the first load of every
//! process waits for the built-in files, and the JSON path reads them
//! several times faster than the IDL parser. Two tests keep the two in step:
//! the JSON is what the writer prints for the IDL's model, and it reads back
//! as that same model. After editing the IDL, run
//! `TINSMITH_BLESS=1 cargo test -p tinsmith-model builtin`, then the same
//! without `TINSMITH_BLESS` (a new namespace also needs a line in
//! `bundled!` and a `json/` file to start from, holding `{}`).
//!
//! The JSON leaves out what a shape inherits from its mixins, even where
//! the IDL repeats it (`@private` on the `smithy.test` mixins' users). The
//! two differ only for a load that replaces some of a namespace's mixins
//! and not the shapes using them: those then lose what they repeated.

use std::sync::OnceLock;

use super::assemble::Base;
use super::raw::RawFile;
use crate::diagnostics::Diagnostic;
use crate::source::{FileId, SourceMap};

/// Lists the bundled files once, by namespace: [`FILES`], the JSON AST every
/// load reads, and (for the test that keeps them in step) `IDL`, the files
/// they are generated from.
macro_rules! bundled {
    ($($namespace:literal,)*) => {
        /// The bundled files, by name, in load order: JSON AST generated
        /// from the IDL files beside them (`builtin/json/`).
        pub const FILES: &[(&str, &str)] = &[$((
            concat!("<builtin>/", $namespace, ".json"),
            include_str!(concat!("../builtin/json/", $namespace, ".json")),
        ),)*];

        /// The IDL the files of [`FILES`] are generated from, by name, in
        /// the same order.
        #[cfg(test)]
        const IDL: &[(&str, &str)] = &[$((
            concat!("<builtin>/", $namespace, ".smithy"),
            include_str!(concat!("../builtin/", $namespace, ".smithy")),
        ),)*];
    };
}

bundled! {
    "smithy.api",
    "aws.api",
    "aws.apigateway",
    "aws.auth",
    "aws.cloudformation",
    "aws.customizations",
    "aws.endpoints",
    "aws.iam",
    "aws.protocols",
    "aws.test",
    "smithy.contracts",
    "smithy.framework",
    "smithy.mqtt",
    "smithy.openapi",
    "smithy.protocols",
    "smithy.rules",
    "smithy.test",
    "smithy.test.smoke",
    "smithy.waiters",
    "tinsmith.api",
    "tinsmith.protocols",
}

/// The built-in files as every load starts from them, prepared once per
/// process: their sources and the model they make on their own (and their
/// read forms, once a load needs them).
pub struct Builtin {
    /// The built-in files' sources, shared with each load's [`SourceMap`].
    pub sources: SourceMap,
    /// The built-in files assembled and validated alone.
    pub base: Base,
    /// What reading, assembling and validating them reported: nothing, as a
    /// unit test checks (a bug in them is a bug in tinsmith).
    pub diagnostics: Vec<Diagnostic>,
    /// The files, in load order.
    ids: Vec<FileId>,
    /// The files as read, once a load needs them (see [`Builtin::files`]).
    files: OnceLock<Vec<RawFile>>,
}

impl Builtin {
    /// The files as read, for a load that assembles everything from scratch
    /// (one that redefines a built-in shape or applies traits to one). Few
    /// loads do, so the files are read again the first time one needs them
    /// instead of being kept, at a cost to every process, from the first
    /// read.
    pub fn files(&self) -> &[RawFile] {
        self.files
            .get_or_init(|| super::parse_files(&self.sources, &self.ids, &mut Vec::new()))
    }
}

/// The prepared built-in files (prepared by the first call).
pub fn get() -> &'static Builtin {
    static BUILTIN: OnceLock<Builtin> = OnceLock::new();
    BUILTIN.get_or_init(|| prepare(FILES))
}

/// Reads, assembles and validates `files`, each with the front end its name
/// calls for.
fn prepare(files: &[(&'static str, &'static str)]) -> Builtin {
    let mut sources = SourceMap::default();
    let mut diagnostics = Vec::new();
    let ids: Vec<FileId> = files
        .iter()
        .map(|(name, text)| sources.add_builtin(*name, *text))
        .collect();
    let raw = super::parse_files(&sources, &ids, &mut diagnostics);
    let model = super::assemble::assemble(raw, &mut diagnostics);
    crate::validate::validate(&model, false, true, &mut diagnostics);
    Builtin {
        sources,
        base: Base::new(model),
        diagnostics,
        ids,
        files: OnceLock::new(),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Arc;

    use super::{Builtin, FILES, IDL, prepare};

    fn assert_clean(builtin: &Builtin) {
        let rendered = crate::diagnostics::render(
            &builtin.sources,
            &builtin.diagnostics,
            Default::default(),
            false,
        );
        assert!(builtin.diagnostics.is_empty(), "{rendered}");
    }

    /// Reading, assembling and validating the built-in files reports
    /// nothing; loads rely on it and skip checking them again.
    #[test]
    fn builtin_files_load_cleanly() {
        let builtin = super::get();
        assert_clean(builtin);
        let loaded = crate::Loader::new().load();
        assert!(loaded.diagnostics.is_empty());
        assert_eq!(loaded.model.shapes.len(), builtin.base.model.shapes.len());
    }

    /// Each bundled JSON AST file is what the JSON AST writer prints for the
    /// shapes its IDL file defines. After editing the IDL, run
    /// `TINSMITH_BLESS=1 cargo test -p tinsmith-model builtin` to rewrite
    /// them.
    #[test]
    fn json_files_are_generated_from_the_idl() {
        let idl = prepare(IDL);
        assert_clean(&idl);
        let model = &idl.base.model;
        assert!(model.metadata.is_empty(), "one file would need to carry it");
        let bless = std::env::var_os("TINSMITH_BLESS").is_some();
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/builtin/json");
        let mut stale = Vec::new();
        for (index, ((idl_name, _), (json_name, json))) in IDL.iter().zip(FILES).enumerate() {
            let file = idl.ids[index];
            let shapes = model
                .shapes
                .values()
                .map(Arc::as_ref)
                .filter(|s| s.span.file == file);
            let json_ast = crate::json_ast::write::to_json_of(model, shapes);
            let text = crate::json_ast::write::print_shape_per_line(&json_ast);
            if text != *json {
                let name = json_name.trim_start_matches("<builtin>/");
                if bless {
                    std::fs::write(dir.join(name), &text).expect("write the JSON AST file");
                } else {
                    stale.push(format!("{name} (from {idl_name})"));
                }
            }
        }
        assert!(
            stale.is_empty(),
            "out of date with their IDL: {}; run `TINSMITH_BLESS=1 cargo test -p tinsmith-model builtin` and review the diff",
            stale.join(", ")
        );
    }

    /// The JSON AST files give the model their IDL gives, shape for shape
    /// (where things are in the files aside), in the same order. (Not while
    /// blessing: the JSON this build includes is the old one.)
    #[test]
    fn json_files_give_the_model_of_the_idl() {
        if std::env::var_os("TINSMITH_BLESS").is_some() {
            return;
        }
        let idl = prepare(IDL);
        let (a, b) = (&idl.base.model, &super::get().base.model);
        assert_eq!(a.metadata, b.metadata);
        let ids = |m: &crate::model::Model| m.shapes.keys().cloned().collect::<Vec<_>>();
        assert_eq!(ids(a), ids(b));
        for shape in a.shapes.values() {
            let other = b.shape(&shape.id).expect("same ids");
            assert!(
                crate::loader::assemble::same_definition(shape, other),
                "{shape:#?}\n{other:#?}"
            );
        }
    }
}
