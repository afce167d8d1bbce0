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

use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use super::assemble::Base;
use super::raw::RawFile;
use crate::diagnostics::Diagnostic;
use crate::source::{FileId, SourceMap};

/// One bundled file.
#[derive(Debug, Clone, Copy)]
pub struct Bundled {
    /// Its name in diagnostics, such as `<builtin>/aws.api.json`.
    pub name: &'static str,
    /// The namespace its shapes are in.
    pub namespace: &'static str,
    /// The other bundled namespaces its shapes refer to, besides the
    /// prelude (a unit test checks the list).
    pub needs: &'static [&'static str],
    /// Its JSON AST, generated from the IDL file beside it.
    pub json: &'static str,
}

/// Lists the bundled files once, in load order: [`FILES`], the JSON AST
/// loads read, and (for the test that keeps them in step) `IDL`, the files
/// they are generated from. An entry names its file; `in` gives its
/// namespace where that differs from the file's name, and `needs` the
/// other bundled namespaces it refers to.
macro_rules! bundled {
    ($($file:literal $(in $namespace:literal)? $(needs [$($need:literal),*])?,)*) => {
        /// The bundled files, in load order: JSON AST generated from the
        /// IDL files beside them (`builtin/json/`). The prelude comes
        /// first.
        pub const FILES: &[Bundled] = &[$(Bundled {
            name: concat!("<builtin>/", $file, ".json"),
            namespace: [$($namespace,)? $file][0],
            needs: &[$($($need),*)?],
            json: include_str!(concat!("../builtin/json/", $file, ".json")),
        },)*];

        /// The IDL the files of [`FILES`] are generated from, by name, in
        /// the same order.
        #[cfg(test)]
        const IDL: &[(&str, &str)] = &[$((
            concat!("<builtin>/", $file, ".smithy"),
            include_str!(concat!("../builtin/", $file, ".smithy")),
        ),)*];
    };
}

bundled! {
    "smithy.api",
    "aws.api",
    "aws.apigateway" needs ["aws.api"],
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
    "smithy.test.smoke" in "smithy.test",
    "smithy.waiters",
    "tinsmith.api",
    "tinsmith.protocols",
}

const _: () = assert!(FILES.len() <= 32, "a set of bundled files is a u32");

/// A set of bundled files, chosen by the namespaces a load's files name:
/// a load needs only the built-in namespaces its files refer to, and
/// preparing the others would cost every process for nothing. The prelude
/// is in every set.
///
/// Each front end notes what a file names ([`RawFile::names`]): the JSON
/// AST reader every string that starts with a bundled namespace's shape id
/// (a reference, a definition, or an `idRef` trait value), the IDL parser
/// every bundled namespace's name anywhere in the text (an IDL file can
/// also name one with `namespace` or `use`, then refer to its shapes by
/// relative ids).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Namespaces(u32);

impl Default for Namespaces {
    fn default() -> Self {
        Namespaces::PRELUDE
    }
}

impl Namespaces {
    /// The prelude alone (`smithy.api`, the first of [`FILES`]).
    pub const PRELUDE: Namespaces = Namespaces(1);

    /// Every bundled file.
    pub const ALL: Namespaces = Namespaces(u32::MAX >> (32 - FILES.len()));

    /// Adds the namespace of `reference`, when it is a shape id (`ns#Name`,
    /// perhaps with a `$member`) in a bundled namespace; anything else adds
    /// nothing. It looks at no more than a namespace's length, so it can
    /// see every string of a file.
    pub fn add_reference(&mut self, reference: &str) {
        let bytes = reference.as_bytes();
        // Every bundled namespace starts `aws.`, `smithy.` or `tinsmith.`.
        if !matches!(bytes.first(), Some(b'a' | b's' | b't')) {
            return;
        }
        let longest = bytes.len().min(LONGEST_NAMESPACE + 1);
        let Some(end) = memchr::memchr(b'#', &bytes[..longest]) else {
            return;
        };
        if &bytes[..end] != b"smithy.api" {
            self.add_namespace(&reference[..end]);
        }
    }

    /// Adds every bundled namespace whose name appears in `text`, wherever.
    pub fn add_mentioned(&mut self, text: &str) {
        for (index, file) in FILES.iter().enumerate() {
            if self.0 & 1 << index == 0
                && memchr::memmem::find(text.as_bytes(), file.namespace.as_bytes()).is_some()
            {
                self.0 |= 1 << index;
            }
        }
    }

    /// Adds the files of `namespace`, if it is bundled.
    pub fn add_namespace(&mut self, namespace: &str) {
        for (index, file) in FILES.iter().enumerate() {
            if file.namespace == namespace {
                self.0 |= 1 << index;
            }
        }
    }

    /// The bundled namespaces `model`'s built-in shapes are in: the set it
    /// was loaded with.
    pub fn of_model(model: &crate::model::Model) -> Namespaces {
        let mut names = Namespaces::PRELUDE;
        let mut last = "";
        for shape in model.shapes.values().filter(|s| s.span.is_builtin()) {
            let namespace = shape.id.namespace();
            if namespace != last {
                names.add_namespace(namespace);
                last = namespace;
            }
        }
        names
    }

    /// Both sets' files.
    pub fn union(self, other: Namespaces) -> Namespaces {
        Namespaces(self.0 | other.0)
    }

    /// True when the set holds [`FILES`]`[index]`.
    pub fn contains(self, index: usize) -> bool {
        index < FILES.len() && self.0 & 1 << index != 0
    }

    /// The set with the namespaces its files need, and theirs in turn.
    fn with_needs(mut self) -> Namespaces {
        loop {
            let before = self;
            for (index, file) in FILES.iter().enumerate() {
                if before.contains(index) {
                    for need in file.needs {
                        self.add_namespace(need);
                    }
                }
            }
            if self == before {
                return self;
            }
        }
    }
}

/// The length of the longest bundled namespace's name.
pub(crate) const LONGEST_NAMESPACE: usize = {
    let mut longest = 0;
    let mut index = 0;
    while index < FILES.len() {
        let namespace = FILES[index].namespace.as_bytes();
        // `Namespaces::add_reference` looks at strings starting so only.
        assert!(
            matches!(namespace[0], b'a' | b's' | b't'),
            "a bundled namespace starts with a letter add_reference skips"
        );
        if namespace.len() > longest {
            longest = namespace.len();
        }
        index += 1;
    }
    longest
};

/// Built-in files as loads start from them, prepared once per process for
/// each set of them that loads need: their sources and the model they make
/// on their own (and their read forms, once a load needs them).
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

/// Every bundled file, prepared (by the first call).
pub fn get() -> Arc<Builtin> {
    for_namespaces(Namespaces::ALL)
}

/// The bundled files of `names`, with those they need, prepared by the
/// first call for the same set; later calls share them.
///
/// A process keeps the [`KEPT_SETS`] sets it used last (AWS's models name a
/// handful between them), so a long-lived one that loads models naming
/// ever other sets does not grow without bound. Preparing a set holds no
/// lock other calls wait on, unless they want the same set.
pub fn for_namespaces(names: Namespaces) -> Arc<Builtin> {
    type Slot = Arc<OnceLock<Arc<Builtin>>>;
    /// The sets used last, the latest last.
    static PREPARED: Mutex<Vec<(Namespaces, Slot)>> = Mutex::new(Vec::new());
    let names = names.with_needs();
    let slot = {
        let mut prepared = PREPARED.lock().unwrap_or_else(PoisonError::into_inner);
        let slot = match prepared.iter().position(|(set, _)| *set == names) {
            Some(index) => prepared.remove(index).1,
            None => Slot::default(),
        };
        if prepared.len() == KEPT_SETS {
            prepared.remove(0);
        }
        prepared.push((names, slot.clone()));
        slot
    };
    slot.get_or_init(|| {
        let files = FILES
            .iter()
            .enumerate()
            .filter(|(index, _)| names.contains(*index));
        Arc::new(prepare(files.map(|(_, file)| (file.name, file.json))))
    })
    .clone()
}

/// How many sets of prepared built-in files a process keeps.
pub const KEPT_SETS: usize = 16;

/// Reads, assembles and validates `files` (name and text), each with the
/// front end its name calls for.
fn prepare(files: impl IntoIterator<Item = (&'static str, &'static str)>) -> Builtin {
    let mut sources = SourceMap::default();
    let mut diagnostics = Vec::new();
    let ids: Vec<FileId> = files
        .into_iter()
        .map(|(name, text)| sources.add_builtin(name, text))
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

    use super::{Builtin, FILES, IDL, Namespaces, prepare};

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
        assert_clean(&super::get());
        // A load with no files needs the prelude alone.
        let prelude = super::for_namespaces(Namespaces::PRELUDE);
        assert_clean(&prelude);
        let loaded = crate::Loader::new().load();
        assert!(loaded.diagnostics.is_empty());
        assert_eq!(loaded.model.shapes.len(), prelude.base.model.shapes.len());
        assert!(
            loaded
                .model
                .shapes
                .keys()
                .all(|id| id.namespace() == "smithy.api")
        );
    }

    /// Each file's `namespace` and `needs` say what it defines and refers
    /// to, as the JSON AST reader finds them; the prelude comes first.
    #[test]
    fn bundled_files_declare_what_they_name() {
        assert_eq!(FILES[0].namespace, "smithy.api");
        for file in FILES {
            let mut sources = crate::source::SourceMap::default();
            let id = sources.add(file.name, file.json);
            let raw = crate::json_ast::read(id, file.json, &mut Vec::new());
            assert!(
                raw.shapes
                    .iter()
                    .all(|s| s.id.namespace() == file.namespace),
                "{} defines shapes outside {}",
                file.name,
                file.namespace
            );
            let mut declared = Namespaces::PRELUDE;
            declared.add_namespace(file.namespace);
            for need in file.needs {
                declared.add_namespace(need);
            }
            assert_eq!(raw.names, declared, "{}", file.name);
            // What they name is all they need: prepared alone, with
            // what they declare, they are clean.
            let mut alone = Namespaces::PRELUDE;
            alone.add_namespace(file.namespace);
            assert_clean(&super::for_namespaces(alone));
        }
    }

    /// A set holds the files of the namespaces it was given, with those
    /// they need; sets are prepared once and shared.
    #[test]
    fn sets_hold_the_files_of_their_namespaces() {
        let index = |name: &str| FILES.iter().position(|f| f.name.contains(name)).unwrap();
        let mut names = Namespaces::PRELUDE;
        names.add_reference("smithy.test#httpRequestTests");
        names.add_reference("aws.apigateway#integration$type");
        let names = names.with_needs();
        for (file, expected) in [
            ("smithy.api.", true),
            ("smithy.test.json", true),
            ("smithy.test.smoke.", true),
            ("aws.apigateway.", true),
            ("aws.api.", true),
            ("aws.iam.", false),
        ] {
            assert_eq!(names.contains(index(file)), expected, "{file}");
        }
        assert_eq!(Namespaces::ALL.with_needs(), Namespaces::ALL);
        assert!((0..FILES.len()).all(|i| Namespaces::ALL.contains(i)));
        assert!(!Namespaces::ALL.contains(FILES.len()));
        let a = super::for_namespaces(names);
        assert!(std::sync::Arc::ptr_eq(&a, &super::for_namespaces(names)));
        // A process keeps the sets it used last, not every one.
        for index in 0..super::KEPT_SETS {
            let mut other = Namespaces::PRELUDE;
            other.add_namespace(FILES[index % FILES.len()].namespace);
            other.add_namespace(FILES[(index + 1) % FILES.len()].namespace);
            super::for_namespaces(other);
        }
        let evicted = super::for_namespaces(names);
        assert!(!std::sync::Arc::ptr_eq(&a, &evicted));
        assert!(a.base.model.shape_by_str("aws.api#service").is_some());
        assert!(a.base.model.shape_by_str("aws.iam#actionName").is_none());
    }

    /// Only shape ids in bundled namespaces add to a set; any text that
    /// names one does, for IDL.
    #[test]
    fn what_adds_a_namespace() {
        let named = |texts: &[&str]| {
            let mut names = Namespaces::PRELUDE;
            texts.iter().for_each(|t| names.add_reference(t));
            names
        };
        let prelude = Namespaces::PRELUDE;
        assert_eq!(
            named(&[
                "smithy.api#String",
                "aws.protocols",
                "com.amazonaws.iam#X",
                "#",
                ""
            ]),
            prelude
        );
        assert_eq!(
            named(&["structure", "target", "smithy.waiters.x#Y", "aws.iamx#Y"]),
            prelude
        );
        assert_ne!(named(&["aws.iam#actionName"]), prelude);
        assert_eq!(named(&["aws.iam#actionName"]), named(&["aws.iam#Foo$bar"]));
        let mut mentioned = Namespaces::PRELUDE;
        mentioned.add_mentioned("namespace aws.iam\nstructure X {}");
        assert_eq!(mentioned, named(&["aws.iam#X"]));
    }

    /// Each bundled JSON AST file is what the JSON AST writer prints for the
    /// shapes its IDL file defines. After editing the IDL, run
    /// `TINSMITH_BLESS=1 cargo test -p tinsmith-model builtin` to rewrite
    /// them.
    #[test]
    fn json_files_are_generated_from_the_idl() {
        let idl = prepare(IDL.iter().copied());
        assert_clean(&idl);
        let model = &idl.base.model;
        assert!(model.metadata.is_empty(), "one file would need to carry it");
        let bless = std::env::var_os("TINSMITH_BLESS").is_some();
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/builtin/json");
        let mut stale = Vec::new();
        for (index, ((idl_name, _), bundled)) in IDL.iter().zip(FILES).enumerate() {
            let (json_name, json) = (bundled.name, bundled.json);
            let file = idl.ids[index];
            let shapes = model
                .shapes
                .values()
                .map(Arc::as_ref)
                .filter(|s| s.span.file == file);
            let json_ast = crate::json_ast::write::to_json_of(model, shapes);
            let text = crate::json_ast::write::print_shape_per_line(&json_ast);
            if text != json {
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
        let idl = prepare(IDL.iter().copied());
        let all = super::get();
        let (a, b) = (&idl.base.model, &all.base.model);
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
