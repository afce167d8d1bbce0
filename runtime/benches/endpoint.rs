//! Endpoint rules: the cost of interpreting a rule set, the choice
//! ARCHITECTURE.md records. Parses S3's rule set (the largest of AWS's
//! models) and a typical service's (ACM), then resolves typical calls:
//! S3 virtual-hosted and path-style addressing, an S3 access point ARN,
//! and ACM in a region with FIPS. Reads the models from
//! `../shared/aws-models/models` (or `TINSMITH_AWS_MODELS`); prints
//! SKIPPED and measures nothing without them.

#![allow(missing_docs)] // criterion_group! generates undocumented functions.

use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use tinsmith_runtime::endpoint::{Params, RuleSet};

/// The rule set of the service in an AWS model (JSON AST) file.
fn rule_set(file: &str) -> Option<String> {
    let dir = std::env::var_os("TINSMITH_AWS_MODELS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/aws-models/models")
        });
    let text = std::fs::read_to_string(dir.join(file)).ok()?;
    let model: serde_json::Value = serde_json::from_str(&text).ok()?;
    model["shapes"].as_object()?.values().find_map(|shape| {
        let rules = shape.get("traits")?.get("smithy.rules#endpointRuleSet")?;
        Some(rules.to_string())
    })
}

fn endpoint(c: &mut Criterion) {
    let (Some(s3), Some(acm)) = (
        rule_set("s3-2006-03-01.json"),
        rule_set("acm-2015-12-08.json"),
    ) else {
        eprintln!("SKIPPED: AWS models not found (set TINSMITH_AWS_MODELS)");
        return;
    };
    let mut group = c.benchmark_group("endpoint");
    group.bench_function("parse S3 rule set", |b| {
        b.iter(|| RuleSet::parse(&s3).unwrap())
    });
    group.bench_function("parse ACM rule set", |b| {
        b.iter(|| RuleSet::parse(&acm).unwrap())
    });
    let s3 = RuleSet::parse(&s3).unwrap();
    let acm = RuleSet::parse(&acm).unwrap();
    let s3_call = |bucket: &str| {
        Params::new()
            .string("Region", "us-west-2")
            .bool("UseFIPS", false)
            .bool("UseDualStack", false)
            .bool("ForcePathStyle", false)
            .bool("Accelerate", false)
            .string("Bucket", bucket)
    };
    let virtual_host = s3_call("my-bucket");
    let path_style = s3_call("my.dotted.bucket");
    let access_point = s3_call("arn:aws:s3:us-west-2:123456789012:accesspoint:myendpoint");
    group.bench_function("resolve S3 virtual-hosted", |b| {
        b.iter(|| s3.resolve(&virtual_host).unwrap())
    });
    group.bench_function("resolve S3 path-style", |b| {
        b.iter(|| s3.resolve(&path_style).unwrap())
    });
    group.bench_function("resolve S3 access point ARN", |b| {
        b.iter(|| s3.resolve(&access_point).unwrap())
    });
    let acm_call = Params::new()
        .string("Region", "eu-central-1")
        .bool("UseFIPS", true)
        .bool("UseDualStack", false);
    group.bench_function("resolve ACM FIPS", |b| {
        b.iter(|| acm.resolve(&acm_call).unwrap())
    });
    group.finish();
}

criterion_group!(benches, endpoint);
criterion_main!(benches);
