//! Generates SDKs through the build-script API (`tinsmith::Builder`), the way
//! a user's crate would: our own example models, and — when Smithy's
//! protocol-test models are present — services we did not write, so that
//! compiling this crate proves their SDKs compile.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Protocol-test services (restJson1, awsJson1_0, awsJson1_1, rpcv2Cbor) from
/// `smithy-aws-protocol-tests`.
const THIRD_PARTY_SERVICES: &[&str] = &[
    "aws.protocoltests.restjson#RestJson",
    "aws.protocoltests.restjson.validation#RestJsonValidation",
    "com.amazonaws.apigateway#BackplaneControlService",
    "com.amazonaws.glacier#Glacier",
    "aws.protocoltests.json10#JsonRpc10",
    "aws.protocoltests.json10#QueryCompatibleJsonRpc10",
    "aws.protocoltests.json#JsonProtocol",
    "com.amazonaws.machinelearning#AmazonML_20141212",
    "aws.protocoltests.rpcv2cbor#QueryCompatibleRpcV2Protocol",
    "aws.protocoltests.rpcv2cbor#NonQueryCompatibleRpcV2Protocol",
    // The restJson1 event-stream operations, re-served over awsJson
    // (`tests/models/event-streams-aws-json.smithy`).
    "tinsmith.tests.eventstreams#EventStreamsJson10",
    "tinsmith.tests.eventstreams#EventStreamsJson11",
];

/// Services of `smithy-protocol-tests` (rpcv2Cbor).
const SMITHY_SERVICES: &[&str] = &["smithy.protocoltests.rpcv2Cbor#RpcV2Protocol"];

/// Our own corpora (`tests/models/`), each file with its services (none:
/// the file's only service): models whose names collide with every name
/// the generator adds, odd but valid models, documentation as models write
/// it, and timestamps in every location. Compiling, linting and documenting
/// this crate holds the rule that a model `tinsmith check` accepts
/// generates a crate that compiles without a warning.
const CORPUS: &[(&str, &[&str])] = &[
    ("models/adversarial/types.smithy", &[]),
    ("models/adversarial/operations.smithy", &[]),
    ("models/adversarial/documents.smithy", &[]),
    ("models/adversarial/cbor.smithy", &[]),
    ("models/odd/bindings.smithy", &[]),
    ("models/odd/shapes.smithy", &[]),
    ("models/odd/version-one.smithy", &[]),
    ("models/odd/events.smithy", &[]),
    ("models/docs/documentation.smithy", &[]),
    (
        "models/timestamps.smithy",
        &[
            "tinsmith.tests.timestamps#TimestampsRest",
            "tinsmith.tests.timestamps#TimestampsJson",
            "tinsmith.tests.timestamps#TimestampsCbor",
        ],
    ),
];

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("run by Cargo"));
    tinsmith::Builder::new()
        .model(manifest.join("../models/weather"))
        .generate()
        .unwrap_or_else(|e| panic!("{e}"));
    for (model, services) in CORPUS {
        services
            .iter()
            .fold(
                tinsmith::Builder::new().model(manifest.join(model)),
                |b, s| b.service(*s),
            )
            .generate()
            .unwrap_or_else(|e| panic!("{model}: {e}"));
    }

    println!("cargo::rustc-check-cfg=cfg(smithy_protocol_tests)");
    println!("cargo:rerun-if-env-changed=TINSMITH_SMITHY_DIR");
    let smithy = std::env::var_os("TINSMITH_SMITHY_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest.join("../../shared/smithy"));
    let models = smithy.join("protocol-tests/smithy-aws-protocol-tests/model");
    let shared_types =
        smithy.join("protocol-tests/smithy-protocol-tests/model/shared-types.smithy");
    if !models.is_dir() {
        println!(
            "cargo:warning=SKIPPED: Smithy protocol-test models not found under {} (set TINSMITH_SMITHY_DIR); third-party SDKs are not generated",
            smithy.display()
        );
        return;
    }
    let expected_failures = manifest.join("protocol-tests-expected-failures.txt");
    println!("cargo:rerun-if-changed={}", expected_failures.display());
    THIRD_PARTY_SERVICES
        .iter()
        .fold(
            tinsmith::Builder::new()
                .model(&models)
                .model(Path::new(&shared_types))
                .model(manifest.join("models/event-streams-aws-json.smithy"))
                .protocol_tests(read_expected_failures(&expected_failures)),
            |builder, service| builder.service(*service),
        )
        .generate()
        .unwrap_or_else(|e| panic!("{e}"));
    let smithy_models = smithy.join("protocol-tests/smithy-protocol-tests/model");
    SMITHY_SERVICES
        .iter()
        .fold(
            tinsmith::Builder::new()
                .model(&smithy_models)
                .protocol_tests(read_expected_failures(&expected_failures)),
            |builder, service| builder.service(*service),
        )
        .generate()
        .unwrap_or_else(|e| panic!("{e}"));
    println!("cargo:rustc-cfg=smithy_protocol_tests");
}

/// `ID  reason` lines (blank lines and `#` comments skipped).
fn read_expected_failures(path: &Path) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (id, reason) = l.split_once(char::is_whitespace).unwrap_or((l, ""));
            (id.to_owned(), reason.trim().to_owned())
        })
        .collect()
}
