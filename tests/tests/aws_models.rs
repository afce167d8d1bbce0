//! AWS's published service models (the development set in
//! `../shared/aws-models/models`, or `$TINSMITH_AWS_MODELS`): every one
//! loads without an error and generates a crate, and every case of its
//! `smithy.rules#endpointTests` resolves as expected through the runtime's
//! rules engine. Compiling them all is too slow for CI
//! (`tests/scripts/aws-models.sh` does it, with clippy and rustdoc); CI
//! compiles one per protocol.

mod endpoint_cases;

use std::path::PathBuf;
use std::sync::Mutex;

use tinsmith::Loader;
use tinsmith::rust::{Options, generate};

fn models_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("TINSMITH_AWS_MODELS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/aws-models/models")
        });
    dir.is_dir().then_some(dir)
}

#[test]
fn every_aws_model_loads_without_errors_and_generates() {
    let Some(dir) = models_dir() else {
        eprintln!(
            "\n!!!! SKIPPED: AWS models not found at ../shared/aws-models/models (set TINSMITH_AWS_MODELS) !!!!\n"
        );
        return;
    };
    let mut models: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    models.sort();
    let queue = Mutex::new(models.iter());
    // (model, what went wrong) for every failure.
    let failures: Mutex<Vec<(String, String)>> = Mutex::new(Vec::new());
    let (loaded, generated) = (
        std::sync::atomic::AtomicUsize::new(0),
        std::sync::atomic::AtomicUsize::new(0),
    );
    // The models' endpoint cases were written against the partition data
    // of their day, before the ISO partitions offered dual-stack
    // endpoints; with the bundled (newer) data exactly those differ.
    let contemporary = endpoint_cases::partitions_before_iso_dual_stack();
    let endpoints = Mutex::new((
        endpoint_cases::Tally::default(),
        endpoint_cases::Tally::default(),
    ));
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().min(4));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let Some(path) = queue.lock().unwrap().next() else {
                        return;
                    };
                    let name = path.file_stem().unwrap().to_string_lossy().into_owned();
                    let result = Loader::new().path(path).load();
                    if result.has_errors() {
                        let first = result
                            .diagnostics
                            .iter()
                            .find(|d| d.severity == tinsmith::diagnostics::Severity::Error)
                            .map(|d| d.message.clone())
                            .unwrap_or_default();
                        failures
                            .lock()
                            .unwrap()
                            .push((name, format!("load: {first}")));
                        continue;
                    }
                    loaded.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let (mut then, mut now) = Default::default();
                    endpoint_cases::run_model(&name, &result.model, &contemporary, &mut then);
                    endpoint_cases::run_model(
                        &name,
                        &result.model,
                        tinsmith_runtime::endpoint::Partitions::bundled(),
                        &mut now,
                    );
                    {
                        let mut endpoints = endpoints.lock().unwrap();
                        endpoints.0.absorb(then);
                        endpoints.1.absorb(now);
                    }
                    match generate(&result.model, &Options::default()) {
                        Ok(_) => {
                            generated.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        }
                        Err(e) => failures
                            .lock()
                            .unwrap()
                            .push((name, format!("generate: {e}"))),
                    }
                }
            });
        }
    });
    let total = models.len();
    let (loaded, generated) = (loaded.into_inner(), generated.into_inner());
    eprintln!(
        "AWS models: loaded with zero errors {loaded}/{total}, generated {generated}/{total}"
    );
    let failures = failures.into_inner().unwrap();
    assert!(failures.is_empty(), "{failures:#?}");
}
