//! Loading AWS's models against parsing them. First the time a process's
//! first load spends preparing the built-in namespaces it names. Then, for
//! each model of the development set (`$TINSMITH_AWS_MODELS`, default
//! `../../shared/aws-models/models`), the time `serde_json` takes to parse
//! the file into a `serde_json::Value`, and the time `Loader` takes to
//! parse, assemble and validate it (from text in memory to a model, both
//! results dropped), each the best of a few runs taken in turn so that
//! both meet the same machine. Prints both totals and their ratio, the
//! same for SageMaker (the largest model), and then the whole set loaded
//! as one model, as `tinsmith generate` does for a multi-model run. The
//! parse is on one thread; the load validates a model of a thousand shapes
//! or more on two, when the machine has them. Skipped with a notice when
//! the models are absent.
//!
//! `cargo bench -p tinsmith-model --bench aws_load`

#![allow(missing_docs)]

use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The bundled namespaces every model of the development set names,
/// besides the prelude.
const AWS_NAMESPACES: [&str; 4] = ["aws.api", "aws.auth", "aws.protocols", "smithy.rules"];

/// Runs of each measurement; the fastest counts.
const RUNS: usize = 3;

/// Runs of the measurements of SageMaker and of the whole set, which are
/// fewer and each reported on its own.
const RUNS_LARGE: usize = 9;

fn models_dir() -> PathBuf {
    std::env::var_os("TINSMITH_AWS_MODELS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/aws-models/models")
        })
}

fn timed(f: impl FnOnce()) -> Duration {
    let start = Instant::now();
    f();
    start.elapsed()
}

fn parse(text: &str) {
    let value: serde_json::Value = serde_json::from_str(text).expect("valid JSON");
    std::hint::black_box(value);
}

/// The time `Loader::load` takes on `files`, from text in memory to a
/// validated model, dropped (as `parse` drops its `Value`). Handing the
/// text to the loader is not timed, as reading it is not for `parse`.
fn load(files: &[(String, String)]) -> Duration {
    let loader = files
        .iter()
        .fold(tinsmith_model::Loader::new(), |l, (name, text)| {
            l.source(name.clone(), text.as_str())
        });
    timed(|| {
        let loaded = loader.load();
        assert!(!loaded.has_errors(), "{} does not load", files[0].0);
        drop(std::hint::black_box(loaded));
    })
}

/// The best parse time and the best load time of `files` over `runs`
/// runs of each, taken in turn so that both meet the same machine.
fn best_pair(runs: usize, files: &[(String, String)]) -> (Duration, Duration) {
    (0..runs)
        .map(|_| {
            let p = timed(|| files.iter().for_each(|(_, text)| parse(text)));
            (p, load(files))
        })
        .fold((Duration::MAX, Duration::MAX), |(p, l), (p2, l2)| {
            (p.min(p2), l.min(l2))
        })
}

fn main() {
    let dir = models_dir();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!(
            "SKIPPED: AWS models not found at {} (set TINSMITH_AWS_MODELS)",
            dir.display()
        );
        return;
    };
    let mut files: Vec<(String, String)> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("readable model");
            (
                p.file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned(),
                text,
            )
        })
        .collect();
    files.sort();
    // A process prepares the built-in namespaces its first load names
    // (read, assembled and validated once per process for each set of
    // them); later loads naming the same ones share them. Timed on the
    // namespaces every AWS model names, then on every bundled one.
    use tinsmith_model::loader::builtin::{self, Namespaces};
    let mut aws = Namespaces::PRELUDE;
    for namespace in AWS_NAMESPACES {
        aws.add_namespace(namespace);
    }
    let prepare_aws = timed(|| drop(builtin::for_namespaces(aws)));
    let prepare_all = timed(|| drop(builtin::for_namespaces(Namespaces::ALL)));
    println!(
        "the first load of a process prepares the built-in namespaces it names: {:.2} ms for those every AWS model names ({}), {:.2} ms for all",
        prepare_aws.as_secs_f64() * 1e3,
        AWS_NAMESPACES.join(", "),
        prepare_all.as_secs_f64() * 1e3
    );
    let bytes: usize = files.iter().map(|(_, t)| t.len()).sum();
    let (mut parse_total, mut load_total) = (Duration::ZERO, Duration::ZERO);
    let mut worst: Vec<(f64, &str)> = Vec::new();
    let mut sagemaker = None;
    for file in &files {
        let runs = if file.0.starts_with("sagemaker-2017") {
            RUNS_LARGE
        } else {
            RUNS
        };
        let (p, l) = best_pair(runs, std::slice::from_ref(file));
        parse_total += p;
        load_total += l;
        worst.push((l.as_secs_f64() / p.as_secs_f64(), &file.0));
        if file.0.starts_with("sagemaker-2017") {
            sagemaker = Some((p, l));
        }
    }
    worst.sort_by(|a, b| b.0.total_cmp(&a.0));
    let ratio = |l: Duration, p: Duration| l.as_secs_f64() / p.as_secs_f64();
    println!(
        "{} models, {:.1} MB; each loaded on its own:",
        files.len(),
        bytes as f64 / 1e6
    );
    println!(
        "  serde_json parse {:8.3} s   load + validate {:8.3} s   ratio {:.2}",
        parse_total.as_secs_f64(),
        load_total.as_secs_f64(),
        ratio(load_total, parse_total)
    );
    if let Some((p, l)) = sagemaker {
        println!(
            "  SageMaker alone: parse {:8.4} s   load {:8.4} s   ratio {:.2}",
            p.as_secs_f64(),
            l.as_secs_f64(),
            ratio(l, p)
        );
    }
    let highest: Vec<String> = worst
        .iter()
        .take(3)
        .map(|(r, name)| format!("{name} {r:.1}"))
        .collect();
    println!("  highest ratios: {}", highest.join(", "));
    let (p, l) = best_pair(RUNS_LARGE, &files);
    println!(
        "the whole set as one model: parse {:.3} s   load + validate {:.3} s   ratio {:.2}",
        p.as_secs_f64(),
        l.as_secs_f64(),
        ratio(l, p)
    );
}
