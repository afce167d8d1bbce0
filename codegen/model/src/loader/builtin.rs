//! The built-in model files: the `smithy.api` prelude and the trait
//! namespaces real models use, bundled so a user's model loads without extra
//! files. They are our own definitions, written from the Smithy
//! specification, in `codegen/model/src/builtin/` (the namespaces are listed in
//! the README's "What is bundled").
//!
//! Shapes defined here yield to user definitions of the same id, so loading
//! Smithy's own trait files alongside works.

use std::sync::OnceLock;

use super::raw::RawFile;
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
];

/// Adds the built-in files to `sources` and returns their parsed forms.
///
/// They are parsed once per process; a bug in them is a bug in tinsmith, so
/// their diagnostics are kept and checked by a unit test.
pub fn raw_files(sources: &mut SourceMap) -> Vec<RawFile> {
    static PARSED: OnceLock<(Vec<RawFile>, Vec<crate::diagnostics::Diagnostic>)> = OnceLock::new();
    let mut ids = Vec::new();
    for (name, text) in FILES {
        ids.push(sources.add_builtin(*name, *text));
    }
    let (files, _) = PARSED.get_or_init(|| {
        let mut diags = Vec::new();
        let files = ids
            .iter()
            .zip(FILES)
            .map(|(id, (_, text))| crate::idl::parse(*id, text, &mut diags))
            .collect();
        (files, diags)
    });
    files.clone()
}

#[cfg(test)]
mod tests {
    #[test]
    fn builtin_files_load_cleanly() {
        let loaded = crate::Loader::new().load();
        let rendered = crate::diagnostics::render(
            &loaded.sources,
            &loaded.diagnostics,
            Default::default(),
            false,
        );
        assert!(loaded.diagnostics.is_empty(), "{rendered}");
    }

    #[test]
    fn builtin_files_parse_cleanly() {
        // `raw_files` keeps only the parsed files, so check the parse itself.
        let mut sources = crate::source::SourceMap::default();
        let mut diags = Vec::new();
        for (name, text) in super::FILES {
            let id = sources.add_builtin(*name, *text);
            crate::idl::parse(id, text, &mut diags);
        }
        let rendered = crate::diagnostics::render(&sources, &diags, Default::default(), false);
        assert!(diags.is_empty(), "{rendered}");
    }
}
