//! Snapshots of generated code for small, focused models. Review changes
//! with `cargo insta review`; never accept them blindly.

use tinsmith::Loader;
use tinsmith::rust::{Options, generate};

fn generated_file(model: &str, path: &str) -> String {
    let loaded = Loader::new().source("model.smithy", model).load();
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    let generated = generate(&loaded.model, &Options::default()).expect("generates");
    generated.files[path].clone()
}

fn types_rs(model: &str) -> String {
    generated_file(model, "src/types.rs")
}

const SERVICE: &str =
    "$version: \"2\"\nnamespace ex\n@aws.protocols#restJson1\nservice S { operations: [Op] }\n";

#[test]
fn structure_with_required_default_and_optional_members() {
    let model = format!(
        "{SERVICE}operation Op {{ output := {{\n  /// The id.\n  @required\n  id: String\n  count: Integer = 1\n  note: String\n}} }}\n"
    );
    insta::assert_snapshot!(types_rs(&model));
}

#[test]
fn enum_and_union() {
    let model = format!(
        "{SERVICE}operation Op {{ output := {{ e: Color, u: Shape }} }}\nenum Color {{\n  RED = \"red\"\n  DARK_BLUE = \"dark-blue\"\n}}\nunion Shape {{\n  circle: Integer\n  dot: Unit\n}}\n"
    );
    insta::assert_snapshot!(types_rs(&model));
}

/// Every restJson1 HTTP binding on one operation: the request serializer and
/// response deserializer.
#[test]
fn rest_json_http_bindings() {
    let model = format!(
        r#"{SERVICE}
@http(method: "PUT", uri: "/things/{{id}}/files/{{path+}}?kind=doc")
@idempotent
operation Op {{
    input := {{
        @required @httpLabel id: String
        @required @httpLabel path: String
        @httpQuery("limit") limit: Integer
        @httpQuery("tag") tags: Tags
        @httpQuery("since") since: Timestamp
        @httpQueryParams extra: Params
        @httpHeader("X-Flag") flag: Boolean
        @httpHeader("X-Tags") headerTags: Tags
        @httpHeader("X-When") when: Timestamp
        @httpPrefixHeaders("X-Meta-") meta: Params
        @jsonName("Body") body: String
        count: Integer
    }}
    output := {{
        @httpResponseCode code: Integer
        @httpHeader("ETag") etag: String
        @httpPrefixHeaders("X-Meta-") meta: Params
        @httpPayload data: Blob
    }}
    errors: [Missing]
}}
list Tags {{ member: String }}
map Params {{ key: String, value: String }}
@error("client") @httpError(404)
structure Missing {{ message: String, @httpHeader("X-Reason") reason: String }}
"#
    );
    insta::assert_snapshot!(generated_file(&model, "src/protocol.rs"));
}

/// awsJson1_0: a target header, the whole input as the body, and a
/// paginator over a nested token.
#[test]
fn aws_json_operation_and_paginator() {
    let model = r#"$version: "2"
namespace ex
use aws.protocols#awsJson1_0
@awsJson1_0
service S { operations: [ListThings] }
@readonly
@paginated(inputToken: "after", outputToken: "page.next", items: "things", pageSize: "max")
operation ListThings {
    input := { after: String, max: Integer }
    output := { page: Page, @required things: Things }
}
structure Page { next: String }
list Things { member: String }
"#;
    insta::assert_snapshot!(
        "aws_json_protocol",
        generated_file(model, "src/protocol.rs")
    );
    insta::assert_snapshot!(
        "aws_json_operation",
        generated_file(model, "src/operation.rs")
    );
}

/// A `@streaming` blob both ways: the input body is taken (or copied) per
/// attempt and sent as a stream; the output keeps its body streaming, with
/// an owned `send` and a scoped `send_with`.
#[test]
fn streaming_blob_operation() {
    let model = format!(
        r#"{SERVICE}
@http(method: "PUT", uri: "/files/{{name}}")
operation Op {{
    input := {{
        @required @httpLabel name: String
        @required @httpPayload data: Data
    }}
    output := {{
        @httpHeader("ETag") etag: String
        @required @httpPayload data: Data
    }}
}}
@streaming
@requiresLength
@mediaType("application/x-tar")
blob Data
"#
    );
    let operation = generated_file(&model, "src/operation.rs");
    let protocol = generated_file(&model, "src/protocol.rs");
    let types = generated_file(&model, "src/types.rs");
    insta::assert_snapshot!(format!(
        "// src/operation.rs\n{operation}\n// src/protocol.rs\n{protocol}\n// src/types.rs\n{types}"
    ));
}

/// An event stream both ways: the input stream is any `Stream` of events,
/// the output an `EventStream` whose modeled errors are an exhaustive enum;
/// per event, `@eventHeader` members are typed headers and the payload is
/// the `@eventPayload` member or a JSON document of the others.
#[test]
fn event_stream_operation() {
    let model = format!(
        r#"{SERVICE}
@http(method: "POST", uri: "/chat")
operation Op {{
    input := {{
        @httpHeader("X-Room") room: String
        @required @httpPayload events: Events
    }}
    output := {{
        @required @httpPayload events: Events
    }}
}}
@streaming
union Events {{
    said: Said
    file: File
    stop: Stop
}}
structure Said {{
    @required @eventHeader seq: Long
    @eventHeader at: Timestamp
    text: String
}}
structure File {{
    @eventHeader name: String
    @eventPayload data: Blob
}}
@error("client")
structure Stop {{ message: String }}
"#
    );
    let operation = generated_file(&model, "src/operation.rs");
    let protocol = generated_file(&model, "src/protocol.rs");
    let error = generated_file(&model, "src/error.rs");
    insta::assert_snapshot!(format!(
        "// src/operation.rs\n{operation}\n// src/protocol.rs\n{protocol}\n// src/error.rs\n{error}"
    ));
}

/// The documentation corpus (`tests/models/docs/documentation.smithy`):
/// CommonMark and AWS-style HTML as rustdoc.
#[test]
fn documentation_corpus() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/models/docs/documentation.smithy");
    let model = std::fs::read_to_string(path).expect("the corpus is in the repository");
    insta::assert_snapshot!(types_rs(&model));
}
