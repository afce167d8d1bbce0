//! The built-in model files: the `smithy.api` prelude and the trait
//! namespaces real models use, bundled so a user's model loads without extra
//! files. They are our own definitions, written from the Smithy
//! specification, in `codegen/model/src/builtin/` (the namespaces are listed in
//! the README's "What is bundled").
//!
//! Shapes defined here yield to user definitions of the same id, so loading
//! Smithy's own trait files alongside works.

use std::sync::OnceLock;

use super::assemble::Base;
use super::raw::RawFile;
use crate::diagnostics::Diagnostic;
use crate::source::SourceMap;

/// The bundled files, by name, in load order.
pub const FILES: &[(&str, &str)] = &[
    (
        "<builtin>/smithy.api.smithy",
        include_str!("../builtin/smithy.api.smithy"),
    ),
    (
        "<builtin>/aws.api.smithy",
        include_str!("../builtin/aws.api.smithy"),
    ),
    (
        "<builtin>/aws.apigateway.smithy",
        include_str!("../builtin/aws.apigateway.smithy"),
    ),
    (
        "<builtin>/aws.auth.smithy",
        include_str!("../builtin/aws.auth.smithy"),
    ),
    (
        "<builtin>/aws.cloudformation.smithy",
        include_str!("../builtin/aws.cloudformation.smithy"),
    ),
    (
        "<builtin>/aws.customizations.smithy",
        include_str!("../builtin/aws.customizations.smithy"),
    ),
    (
        "<builtin>/aws.endpoints.smithy",
        include_str!("../builtin/aws.endpoints.smithy"),
    ),
    (
        "<builtin>/aws.iam.smithy",
        include_str!("../builtin/aws.iam.smithy"),
    ),
    (
        "<builtin>/aws.protocols.smithy",
        include_str!("../builtin/aws.protocols.smithy"),
    ),
    (
        "<builtin>/aws.test.smithy",
        include_str!("../builtin/aws.test.smithy"),
    ),
    (
        "<builtin>/smithy.contracts.smithy",
        include_str!("../builtin/smithy.contracts.smithy"),
    ),
    (
        "<builtin>/smithy.framework.smithy",
        include_str!("../builtin/smithy.framework.smithy"),
    ),
    (
        "<builtin>/smithy.mqtt.smithy",
        include_str!("../builtin/smithy.mqtt.smithy"),
    ),
    (
        "<builtin>/smithy.openapi.smithy",
        include_str!("../builtin/smithy.openapi.smithy"),
    ),
    (
        "<builtin>/smithy.protocols.smithy",
        include_str!("../builtin/smithy.protocols.smithy"),
    ),
    (
        "<builtin>/smithy.rules.smithy",
        include_str!("../builtin/smithy.rules.smithy"),
    ),
    (
        "<builtin>/smithy.test.smithy",
        include_str!("../builtin/smithy.test.smithy"),
    ),
    (
        "<builtin>/smithy.test.smoke.smithy",
        include_str!("../builtin/smithy.test.smoke.smithy"),
    ),
    (
        "<builtin>/smithy.waiters.smithy",
        include_str!("../builtin/smithy.waiters.smithy"),
    ),
    (
        "<builtin>/tinsmith.api.smithy",
        include_str!("../builtin/tinsmith.api.smithy"),
    ),
    (
        "<builtin>/tinsmith.protocols.smithy",
        include_str!("../builtin/tinsmith.protocols.smithy"),
    ),
];

/// The built-in files as every load starts from them, prepared once per
/// process: their sources, their parsed forms, and the model they make on
/// their own.
pub struct Builtin {
    /// The built-in files' sources, shared with each load's [`SourceMap`].
    pub sources: SourceMap,
    /// The parsed files, for loads that assemble everything from scratch.
    pub files: Vec<RawFile>,
    /// The built-in files assembled and validated alone.
    pub base: Base,
    /// What parsing, assembling and validating them reported: nothing, as a
    /// unit test checks (a bug in them is a bug in tinsmith).
    pub diagnostics: Vec<Diagnostic>,
}

/// The prepared built-in files.
pub fn get() -> &'static Builtin {
    static BUILTIN: OnceLock<Builtin> = OnceLock::new();
    BUILTIN.get_or_init(|| {
        let mut sources = SourceMap::default();
        let mut diagnostics = Vec::new();
        let files: Vec<RawFile> = FILES
            .iter()
            .map(|(name, text)| {
                let id = sources.add_builtin(*name, *text);
                crate::idl::parse(id, text, &mut diagnostics)
            })
            .collect();
        let model = super::assemble::assemble(files.clone(), &mut diagnostics);
        crate::validate::validate(&model, false, true, &mut diagnostics);
        Builtin {
            sources,
            files,
            base: Base::new(model),
            diagnostics,
        }
    })
}

#[cfg(test)]
mod tests {
    /// Parsing, assembling and validating the built-in files reports
    /// nothing; loads rely on it and skip checking them again.
    #[test]
    fn builtin_files_load_cleanly() {
        let builtin = super::get();
        let rendered = crate::diagnostics::render(
            &builtin.sources,
            &builtin.diagnostics,
            Default::default(),
            false,
        );
        assert!(builtin.diagnostics.is_empty(), "{rendered}");
        let loaded = crate::Loader::new().load();
        assert!(loaded.diagnostics.is_empty());
        assert_eq!(loaded.model.shapes.len(), builtin.base.model.shapes.len());
    }
}
