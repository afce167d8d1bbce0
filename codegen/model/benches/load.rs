//! Loading speed: the whole Smithy protocol-test model set (about 1,150
//! shapes in ~150 files), and synthetic models of 1k, 4k and 16k shapes, in
//! IDL and in JSON AST, whose per-shape time (criterion's throughput in
//! elements) stays flat when loading is linear in model size. Beside them,
//! `serde_json` parsing the JSON AST documents into a `Value`: its
//! per-shape time grows with the model too, as the data outgrows the
//! processor's caches, and that growth is not the loader's.
//!
//! The protocol-test models are read from `$TINSMITH_SMITHY_DIR` (default
//! `../../../shared/smithy` from this crate); that bench is skipped with a notice when absent.

#![allow(missing_docs)] // criterion_group! generates undocumented functions.

use std::path::PathBuf;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

fn smithy_dir() -> PathBuf {
    std::env::var_os("TINSMITH_SMITHY_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/smithy"))
}

fn protocol_tests(c: &mut Criterion) {
    let base = smithy_dir().join("protocol-tests");
    if !base.is_dir() {
        eprintln!(
            "SKIPPED: protocol-test models not found at {}",
            base.display()
        );
        return;
    }
    // Read the files once so the bench measures parsing, assembly and
    // validation, not the file system.
    let mut sources = Vec::new();
    let mut stack = vec![base];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable").flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "smithy") {
                sources.push((
                    p.display().to_string(),
                    std::fs::read_to_string(&p).expect("utf-8"),
                ));
            }
        }
    }
    sources.sort();
    let bytes: usize = sources.iter().map(|(_, t)| t.len()).sum();
    let mut group = c.benchmark_group("load");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(20);
    group.bench_function("protocol-tests", |b| {
        b.iter(|| {
            let loader = sources
                .iter()
                .fold(tinsmith_model::Loader::new(), |l, (name, text)| {
                    l.source(name.clone(), text.clone())
                });
            let loaded = loader.load();
            assert!(!loaded.has_errors());
            loaded
        })
    });
    group.finish();
}

fn synthetic(shapes: usize) -> String {
    let mut text = String::from("$version: \"2\"\nnamespace bench\n\n");
    for i in 0..shapes {
        text.push_str(&format!(
            "/// Structure {i}.\n@tags([\"t\"])\nstructure S{i} {{\n    @required\n    id: String\n    next: S{}\n    count: Integer = 0\n}}\n\n",
            (i + 1) % shapes
        ));
    }
    text
}

/// The same shapes as [`synthetic`], as a JSON AST document.
fn synthetic_json(shapes: usize) -> String {
    let mut defs = serde_json::Map::new();
    for i in 0..shapes {
        defs.insert(
            format!("bench#S{i}"),
            serde_json::json!({
                "type": "structure",
                "members": {
                    "id": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}}},
                    "next": {"target": format!("bench#S{}", (i + 1) % shapes)},
                    "count": {"target": "smithy.api#Integer", "traits": {"smithy.api#default": 0}}
                },
                "traits": {
                    "smithy.api#documentation": format!("Structure {i}."),
                    "smithy.api#tags": ["t"]
                }
            }),
        );
    }
    serde_json::json!({"smithy": "2.0", "shapes": defs}).to_string()
}

fn scaling(c: &mut Criterion) {
    for (format, file, make) in [
        (
            "scaling-idl",
            "bench.smithy",
            synthetic as fn(usize) -> String,
        ),
        ("scaling-json", "bench.json", synthetic_json),
    ] {
        let mut group = c.benchmark_group(format);
        group.sample_size(10);
        for n in [1_000, 4_000, 16_000] {
            let text = make(n);
            group.throughput(Throughput::Elements(n as u64));
            group.bench_with_input(BenchmarkId::from_parameter(n), &text, |b, text| {
                b.iter(|| {
                    let loaded = tinsmith_model::Loader::new()
                        .source(file, text.clone())
                        .load();
                    assert!(!loaded.has_errors());
                    loaded
                })
            });
        }
        group.finish();
    }
    let mut group = c.benchmark_group("scaling-json-parse");
    group.sample_size(10);
    for n in [1_000, 4_000, 16_000] {
        let text = synthetic_json(n);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &text, |b, text| {
            b.iter(|| serde_json::from_str::<serde_json::Value>(text).expect("valid JSON"))
        });
    }
    group.finish();
}

criterion_group!(benches, protocol_tests, scaling);
criterion_main!(benches);
