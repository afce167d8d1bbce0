//! Smithy's protocol compliance models (third-party, ~1,150 shapes) must
//! load without a single diagnostic, with the bundled trait namespaces alone
//! and again with Smithy's own trait definition files loaded alongside.

use std::path::{Path, PathBuf};

use tinsmith::Loader;

fn smithy_dir() -> Option<PathBuf> {
    let base = std::env::var_os("TINSMITH_SMITHY_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/smithy"));
    if base.join("protocol-tests").is_dir() {
        Some(base)
    } else {
        eprintln!(
            "\n!!!! SKIPPED: Smithy protocol-test models not found under {} (set TINSMITH_SMITHY_DIR) !!!!\n",
            base.display()
        );
        None
    }
}

fn check(paths: &[PathBuf]) -> usize {
    let loaded = paths.iter().fold(Loader::new(), |l, p| l.path(p)).load();
    let rendered = tinsmith::diagnostics::render(
        &loaded.sources,
        &loaded.diagnostics,
        Default::default(),
        false,
    );
    assert!(loaded.diagnostics.is_empty(), "{rendered}");
    loaded.model.user_shapes().count()
}

#[test]
fn protocol_test_models_load_cleanly() {
    let Some(base) = smithy_dir() else { return };
    for suite in ["smithy-aws-protocol-tests", "smithy-protocol-tests"] {
        let model = base.join("protocol-tests").join(suite).join("model");
        let alone = check(std::slice::from_ref(&model));
        let with_traits = check(&[model.clone(), base.join("traits")]);
        println!(
            "{suite}: {alone} shapes (bundled traits), {with_traits} shapes (with Smithy's trait files)"
        );
        assert!(alone > 100);
    }
}
