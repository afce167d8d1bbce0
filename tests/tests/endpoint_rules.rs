//! The endpoint rules engine (`tinsmith_runtime::endpoint`) against every
//! `smithy.rules#endpointTests` case of Smithy's rules-engine suite (the
//! valid models under `rules-engine/`): each case's parameters resolve to
//! its expected URL, properties and headers, or to its expected error. The
//! AWS development set's cases run in `aws_models.rs`, which loads those
//! models once for everything it checks.

mod endpoint_cases;

use std::path::{Path, PathBuf};

use tinsmith_runtime::endpoint::Partitions;

fn smithy_dir() -> Option<PathBuf> {
    let base = std::env::var_os("TINSMITH_SMITHY_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/smithy"));
    base.is_dir().then_some(base)
}

fn smithy_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            smithy_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "smithy")
            && path.to_string_lossy().contains("/valid/")
        {
            out.push(path);
        }
    }
}

#[test]
fn smithys_rules_engine_suite_resolves_as_expected() {
    let Some(smithy) = smithy_dir() else {
        eprintln!(
            "\n!!!! SKIPPED: Smithy's rules-engine suite not found (set TINSMITH_SMITHY_DIR) !!!!\n"
        );
        return;
    };
    let mut files = Vec::new();
    smithy_files(&smithy.join("rules-engine"), &mut files);
    files.sort();
    let mut tally = endpoint_cases::Tally::default();
    endpoint_cases::run_files(&files, Partitions::bundled(), &mut tally);
    eprintln!(
        "rules-engine suite: {} passed, {} failed",
        tally.passed,
        tally.failures.len()
    );
    assert!(
        tally.passed > 0,
        "no cases found under {}",
        smithy.display()
    );
    assert!(tally.failures.is_empty(), "{:#?}", tally.failures);
}
