//! Generates SDKs through the build-script API (`tinsmith::Builder`), the way
//! a user's crate would: our own example models, and — when Smithy's
//! protocol-test models are present — services we did not write, so that
//! compiling this crate proves their SDKs compile.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Protocol-test services (restJson1, awsJson1_0, awsJson1_1, rpcv2Cbor) from
/// `smithy-aws-protocol-tests`.
const THIRD_PARTY_SERVICES: &[&str] = &[
    "com.amazonaws.apigateway#BackplaneControlService",
    "com.amazonaws.glacier#Glacier",
    "aws.protocoltests.json10#QueryCompatibleJsonRpc10",
    "com.amazonaws.machinelearning#AmazonML_20141212",
    "aws.protocoltests.rpcv2cbor#QueryCompatibleRpcV2Protocol",
    "aws.protocoltests.rpcv2cbor#NonQueryCompatibleRpcV2Protocol",
    "aws.protocoltests.restxml#RestXml",
    "aws.protocoltests.restxml.xmlns#RestXmlWithNamespace",
    "com.amazonaws.s3#AmazonS3",
    "aws.protocoltests.query#AwsQuery",
    "aws.protocoltests.ec2#AwsEc2",
    // The restJson1 event-stream operations, re-served over restXml
    // (`tests/models/event-streams-xml.smithy`).
    "tinsmith.tests.eventstreams#EventStreamsXml",
];

/// Protocol-test services (awsJson1_0, awsJson1_1, restJson1, and the
/// event-stream operations over the RPC protocols) generated with a
/// server too, so their server cases run (`server_protocol_tests`).
const THIRD_PARTY_SERVED: &[&str] = &[
    "aws.protocoltests.json10#JsonRpc10",
    "aws.protocoltests.json#JsonProtocol",
    "aws.protocoltests.restjson#RestJson",
    "aws.protocoltests.restjson.validation#RestJsonValidation",
    // The restJson1 event-stream operations, re-served over the RPC
    // protocols (`tests/models/event-streams-rpc.smithy`;
    // `tests/tests/server_event_streams.rs`).
    "tinsmith.tests.eventstreams#EventStreamsJson10",
    "tinsmith.tests.eventstreams#EventStreamsJson11",
    "tinsmith.tests.eventstreams#EventStreamsCbor",
    "tinsmith.tests.eventstreams#EventStreamsRpcJson",
    "tinsmith.tests.eventstreams#EventStreamsJsonRpc",
];

/// Services of `smithy-protocol-tests` (rpcv2Cbor, rpcv2Json), generated
/// with a server too.
const SMITHY_SERVICES: &[&str] = &[
    "smithy.protocoltests.rpcv2Cbor#RpcV2Protocol",
    "smithy.protocoltests.rpcv2Json#RpcV2JsonProtocol",
];

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
    ("models/adversarial/server.smithy", &[]),
    ("models/odd/bindings.smithy", &[]),
    ("models/odd/shapes.smithy", &[]),
    ("models/odd/version-one.smithy", &[]),
    ("models/odd/events.smithy", &[]),
    (
        "models/odd/xml.smithy",
        &[
            "tinsmith.odd.xml#OddRestXml",
            "tinsmith.odd.xml#OddQuery",
            "tinsmith.odd.xml#OddEc2",
        ],
    ),
    ("models/docs/documentation.smithy", &[]),
    ("models/aws/signed-events.smithy", &[]),
    ("models/aws/endpoint-params.smithy", &[]),
    (
        "models/timestamps.smithy",
        &[
            "tinsmith.tests.timestamps#TimestampsRest",
            "tinsmith.tests.timestamps#TimestampsJson",
            "tinsmith.tests.timestamps#TimestampsCbor",
        ],
    ),
    (
        "models/ergonomics.smithy",
        &[
            "tinsmith.tests.ergonomics#Tables",
            "tinsmith.tests.ergonomics#Signed",
        ],
    ),
];

/// Corpus files generated with a server too: their adversarial names meet
/// the server module's, and every HTTP binding is read and written by both
/// ends (`tests/tests/server_rest.rs`).
const SERVED: &[&str] = &[
    "models/adversarial/cbor.smithy",
    "models/adversarial/server.smithy",
    "models/adversarial/types.smithy",
    "models/odd/shapes.smithy",
    "models/odd/bindings.smithy",
    "models/docs/documentation.smithy",
];

/// AWS service models of the development set (`../shared/aws-models`),
/// generated with their endpoint tests: one per protocol, which the
/// end-to-end tests run against moto (`tests/tests/aws_moto.rs`), and the
/// only other models whose endpoint tests make calls (`operationInputs`).
const AWS_MODELS: &[&str] = &[
    "s3-2006-03-01",          // restXml
    "ses-2010-12-01",         // awsQuery
    "acm-2015-12-08",         // awsJson1_1
    "swf-2012-01-25",         // awsJson1_0
    "scheduler-2021-06-30",   // restJson1
    "s3-control-2018-08-20",  // restXml, with calls in its endpoint tests
    "eventbridge-2015-10-07", // awsJson1_1, with SigV4a global endpoints
];

/// The services of `tests/models/server/round-trips.smithy`: the same
/// operations over each protocol with servers.
const ROUND_TRIPS: &[&str] = &[
    "tinsmith.tests.roundtrips#RoundTripsRest",
    "tinsmith.tests.roundtrips#RoundTripsJson10",
    "tinsmith.tests.roundtrips#RoundTripsJson11",
    "tinsmith.tests.roundtrips#RoundTripsCbor",
    "tinsmith.tests.roundtrips#RoundTripsRpcJson",
    "tinsmith.tests.roundtrips#RoundTripsJsonRpc",
];

/// The example models whose operations the model-driven round trips run
/// (`build/round_trips.rs`), each re-served over every protocol with a
/// server that it can use. Chat is left out: every operation of it
/// streams events, which `tests/tests/server_event_streams.rs` re-serves.
const ROUND_TRIP_EXAMPLES: &[(&str, &str)] = &[
    ("Weather", "../models/weather"),
    ("Inventory", "../models/inventory"),
    ("Notes", "../models/hub-worker/notes.smithy"),
    ("Obstacles", "../models/naming"),
    ("Storage", "../models/storage"),
];

/// AWS models (of the development set) whose operations the round trips
/// run, when the set is present: restJson1 and awsJson services with
/// unions, recursion, documents, timestamps, idempotency tokens and every
/// HTTP binding between them.
const ROUND_TRIP_AWS: &[(&str, &str)] = &[
    ("RdsData", "rds-data-2018-08-01"),
    ("Scheduler", "scheduler-2021-06-30"),
    ("Recycle", "rbin-2021-06-15"),
    ("KeyValueStore", "cloudfront-keyvaluestore-2022-07-26"),
    ("HealthLake", "healthlake-2017-07-01"),
    ("MediaStore", "mediastore-2017-09-01"),
];

#[path = "build/round_trips.rs"]
mod round_trips;

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("run by Cargo"));
    aws_models(&manifest);
    round_trip_models(&manifest);
    // With its server, for the client <-> server round trips over
    // restJson1 (`tests/tests/server_rest.rs`).
    tinsmith::Builder::new()
        .model(manifest.join("../models/weather"))
        .server(true)
        .generate()
        .unwrap_or_else(|e| panic!("{e}"));
    // The Inventory example with its server, for the client <-> server
    // round trips (`tests/tests/server_inventory.rs`).
    tinsmith::Builder::new()
        .model(manifest.join("../models/inventory"))
        .server(true)
        .serde(true)
        .generate()
        .unwrap_or_else(|e| panic!("models/inventory (server): {e}"));
    // The Storage example with its server: streamed blobs both ways
    // (`tests/tests/server_storage.rs`).
    tinsmith::Builder::new()
        .model(manifest.join("../models/storage"))
        .server(true)
        .generate()
        .unwrap_or_else(|e| panic!("models/storage (server): {e}"));
    // The Chat example with its server: event streams both ways
    // (`tests/tests/server_chat.rs`).
    tinsmith::Builder::new()
        .model(manifest.join("../models/chat"))
        .server(true)
        .generate()
        .unwrap_or_else(|e| panic!("models/chat (server): {e}"));
    // Our JSON-RPC 2.0 protocol, client and server
    // (`tests/tests/server_json_rpc.rs`).
    tinsmith::Builder::new()
        .model(manifest.join("models/server/json-rpc.smithy"))
        .server(true)
        .serde(true)
        .generate()
        .unwrap_or_else(|e| panic!("models/server/json-rpc.smithy: {e}"));
    // Constraint traits checked by a server, over rpcv2Cbor
    // (`tests/tests/server_validation.rs`).
    tinsmith::Builder::new()
        .model(manifest.join("models/server/validation.smithy"))
        .server(true)
        .serde(true)
        .generate()
        .unwrap_or_else(|e| panic!("models/server/validation.smithy: {e}"));
    // Every kind of shape in every binding, served over each protocol that
    // has servers (`tests/tests/round_trips.rs`).
    ROUND_TRIPS
        .iter()
        .fold(
            tinsmith::Builder::new()
                .model(manifest.join("models/server/round-trips.smithy"))
                .server(true)
                .serde(true),
            |builder, service| builder.service(*service),
        )
        .generate()
        .unwrap_or_else(|e| panic!("models/server/round-trips.smithy: {e}"));
    shared_types(&manifest);
    let reserved = reserved_names_model(&PathBuf::from(
        std::env::var_os("OUT_DIR").expect("run by Cargo"),
    ));
    tinsmith::Builder::new()
        .model(reserved)
        .generate()
        .unwrap_or_else(|e| panic!("the reserved-names model: {e}"));
    for (model, services) in CORPUS {
        // With serde and the outbox, so every odd and adversarial model
        // also proves that code compiles without a warning.
        services
            .iter()
            .fold(
                tinsmith::Builder::new()
                    .model(manifest.join(model))
                    .serde(true)
                    .outbox(true)
                    .server(SERVED.contains(model)),
                |b, s| b.service(*s),
            )
            .generate()
            .unwrap_or_else(|e| panic!("{model}: {e}"));
    }

    // A model without a protocol trait, as Smithy's quickstart is.
    tinsmith::Builder::new()
        .model(manifest.join("models/quickstart.smithy"))
        .protocol("aws.protocols#restJson1")
        .generate()
        .unwrap_or_else(|e| panic!("models/quickstart.smithy: {e}"));

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
                .model(manifest.join("models/event-streams-xml.smithy"))
                .protocol_tests(read_expected_failures(&expected_failures)),
            |builder, service| builder.service(*service),
        )
        .generate()
        .unwrap_or_else(|e| panic!("{e}"));
    THIRD_PARTY_SERVED
        .iter()
        .fold(
            tinsmith::Builder::new()
                .model(&models)
                .model(Path::new(&shared_types))
                .model(manifest.join("models/event-streams-rpc.smithy"))
                .server(true)
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
                .server(true)
                .protocol_tests(read_expected_failures(&expected_failures)),
            |builder, service| builder.service(*service),
        )
        .generate()
        .unwrap_or_else(|e| panic!("{e}"));
    println!("cargo:rustc-cfg=smithy_protocol_tests");
}

/// The AWS models of [`AWS_MODELS`], into `$OUT_DIR/aws/`, with their
/// endpoint tests; `cfg(aws_models)` tells the tests they are there.
fn round_trip_models(manifest: &Path) {
    let mut subjects: Vec<round_trips::Subject> = ROUND_TRIP_EXAMPLES
        .iter()
        .map(|(name, path)| round_trips::Subject {
            name,
            models: vec![manifest.join(path)],
        })
        .collect();
    let aws = std::env::var_os("TINSMITH_AWS_MODELS")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest.join("../../shared/aws-models/models"));
    if aws.is_dir() {
        subjects.extend(
            ROUND_TRIP_AWS
                .iter()
                .map(|(name, file)| round_trips::Subject {
                    name,
                    models: vec![aws.join(format!("{file}.json"))],
                }),
        );
    }
    round_trips::generate(
        &subjects,
        Path::new(&std::env::var_os("OUT_DIR").expect("run by Cargo")),
    );
}

fn aws_models(manifest: &Path) {
    println!("cargo::rustc-check-cfg=cfg(aws_models)");
    println!("cargo:rerun-if-env-changed=TINSMITH_AWS_MODELS");
    let models = std::env::var_os("TINSMITH_AWS_MODELS")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest.join("../../shared/aws-models/models"));
    if !models.is_dir() {
        println!(
            "cargo:warning=SKIPPED: AWS models not found at {} (set TINSMITH_AWS_MODELS); AWS SDKs are not generated",
            models.display()
        );
        return;
    }
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("run by Cargo")).join("aws");
    let expected_failures = manifest.join("protocol-tests-expected-failures.txt");
    for name in AWS_MODELS {
        tinsmith::Builder::new()
            .model(models.join(format!("{name}.json")))
            .out_dir(&out)
            .outbox(true)
            .protocol_tests(read_expected_failures(&expected_failures))
            .generate()
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    println!("cargo:rustc-cfg=aws_models");
}

/// A shared-types library and two services that use it
/// (`models/shared/`): the library is generated once, as a types-only
/// SDK, and the services take its types from `crate::corpus::common`.
fn shared_types(manifest: &Path) {
    let dir = manifest.join("models/shared");
    tinsmith::Builder::new()
        .model(&dir)
        .types_only(true)
        .namespace("tinsmith.tests.common")
        .serde(true)
        .generate()
        .unwrap_or_else(|e| panic!("models/shared (types): {e}"));
    tinsmith::Builder::new()
        .model(&dir)
        .extern_types("tinsmith.tests.common", "crate::corpus::common")
        .serde(true)
        .generate()
        .unwrap_or_else(|e| panic!("models/shared (services): {e}"));
}

/// A model that uses every name the generator reserves, taken from the
/// generator's own lists (`tinsmith::rust::names`), so a name added there
/// is exercised here without anyone writing a model for it: shapes and
/// operations named like reserved types, members named like keywords and
/// builder methods, operations named like client methods, errors named like
/// error-enum methods, union members named like union methods.
fn reserved_names_model(out_dir: &Path) -> PathBuf {
    use std::fmt::Write as _;
    use tinsmith::rust::names;
    let identifier = |w: &str| {
        w.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && w.starts_with(|c: char| c.is_ascii_alphabetic())
    };
    let mut types: Vec<&str> = names::RESERVED_TYPES
        .iter()
        .chain(names::OPERATION_MODULE_IMPORTS)
        .chain([&names::UNKNOWN, &names::UNHANDLED])
        .copied()
        .filter(|w| identifier(w))
        .collect();
    types.sort();
    types.dedup();
    let mut text = String::from(
        "$version: \"2\"\nnamespace tinsmith.tests.reserved\nuse aws.protocols#restJson1\n\n",
    );
    let mut operations = vec!["Members".to_owned(), "Choices".to_owned()];
    // Each reserved type name as a structure, and (with a trailing `_`,
    // which UpperCamelCase drops) as an operation.
    for (i, name) in types.iter().enumerate() {
        writeln!(text, "structure {name} {{ value: smithy.api#String }}").unwrap();
        writeln!(text, "@http(method: \"POST\", uri: \"/type/{i}\")").unwrap();
        writeln!(text, "operation {name}_ {{ input := {{ value: {name} }} }}").unwrap();
        operations.push(format!("{name}_"));
    }
    // Client methods as operations.
    for (i, name) in names::RESERVED_CLIENT_METHODS.iter().enumerate() {
        writeln!(text, "@http(method: \"POST\", uri: \"/method/{i}\")").unwrap();
        writeln!(text, "operation {name} {{}}").unwrap();
        operations.push((*name).to_owned());
    }
    // Keywords and builder methods as members.
    let mut members: Vec<&str> = names::KEYWORDS
        .iter()
        .chain(names::RESERVED_SETTERS)
        .copied()
        .filter(|w| identifier(w))
        .collect();
    members.sort_by_key(|w| w.to_ascii_lowercase());
    members.dedup_by_key(|w| w.to_ascii_lowercase());
    let fields: String = members
        .iter()
        .map(|m| format!("    {m}: smithy.api#String\n"))
        .collect();
    writeln!(text, "@http(method: \"POST\", uri: \"/members\")").unwrap();
    writeln!(
        text,
        "operation Members {{ input := {{\n{fields}}} output := {{\n{fields}}} }}"
    )
    .unwrap();
    // Union methods (without `is_`) as union members.
    let variants: String = names::RESERVED_UNION_METHODS
        .iter()
        .map(|m| format!("    {}: smithy.api#String\n", m.trim_start_matches("is_")))
        .collect();
    writeln!(text, "union Choice {{\n{variants}}}").unwrap();
    // Error-enum methods as errors (`is_retryable` is met by `Retryable`).
    let mut errors = Vec::new();
    for method in names::RESERVED_ERROR_METHODS {
        let name = names::camel(method.trim_start_matches("is_"));
        if types.contains(&name.as_str()) || errors.contains(&name) {
            continue;
        }
        writeln!(
            text,
            "@error(\"client\") structure {name} {{ message: smithy.api#String }}"
        )
        .unwrap();
        errors.push(name);
    }
    writeln!(text, "@http(method: \"POST\", uri: \"/choices\")").unwrap();
    writeln!(
        text,
        "operation Choices {{ input := {{ choice: Choice }} errors: [{}] }}",
        errors.join(", ")
    )
    .unwrap();
    writeln!(
        text,
        "@restJson1 service ReservedNames {{ version: \"1\" operations: [{}] }}",
        operations.join(", ")
    )
    .unwrap();
    let path = out_dir.join("reserved-names.smithy");
    std::fs::write(&path, text).expect("OUT_DIR is writable");
    path
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
