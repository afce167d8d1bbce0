//! Loader behaviour on models we write: recovery, multi-file assembly,
//! version semantics, validation rules, determinism.

use tinsmith::Loader;
use tinsmith::diagnostics::{Code, Diagnostic};
use tinsmith::model::{Node, ShapeType};

fn load(files: &[(&str, &str)]) -> tinsmith::Loaded {
    files
        .iter()
        .fold(Loader::new(), |l, (n, t)| l.source(*n, *t))
        .load()
}

fn codes(loaded: &tinsmith::Loaded) -> Vec<(Code, usize)> {
    loaded
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| (d.code, d.span.map_or(0, |s| loaded.sources.line_col(s).0)))
        .collect()
}

fn errors(loaded: &tinsmith::Loaded) -> Vec<&Diagnostic> {
    loaded.diagnostics.iter().filter(|d| d.is_error()).collect()
}

/// The messages of the errors `loaded` reports, in order.
fn error_messages(loaded: &tinsmith::Loaded) -> Vec<String> {
    errors(loaded).iter().map(|d| d.message.clone()).collect()
}

/// Asserts that some message contains `text`.
#[track_caller]
fn assert_mentions(messages: &[String], text: &str) {
    assert!(
        messages.iter().any(|m| m.contains(text)),
        "no `{text}` in {messages:?}"
    );
}

#[test]
fn parser_recovers_and_reports_every_broken_statement() {
    let loaded = load(&[(
        "a.smithy",
        "$version: \"2\"\nnamespace ex\n\nstructure A {\n    a: \n}\n\nstring Fine\n\nlist L {\n    member String\n}\n\ninteger AlsoFine\n",
    )]);
    assert_eq!(codes(&loaded), [(Code::Syntax, 5), (Code::Syntax, 11)]);
    assert!(loaded.model.shape_by_str("ex#Fine").is_some());
    assert!(loaded.model.shape_by_str("ex#AlsoFine").is_some());
}

#[test]
fn errors_from_every_file_are_reported_together() {
    let loaded = load(&[
        (
            "a.smithy",
            "$version: \"2\"\nnamespace a\nstructure A { x: Nope }\n",
        ),
        (
            "b.smithy",
            "$version: \"2\"\nnamespace b\nstring B with [\n",
        ),
        (
            "c.json",
            "{\"smithy\": \"2.0\", \"shapes\": {\"c#C\": {\"type\": \"strang\"}}}",
        ),
    ]);
    let files: Vec<&str> = errors(&loaded)
        .iter()
        .map(|d| loaded.sources.get(d.span.unwrap().file).name.as_str())
        .collect();
    assert_eq!(files, ["a.smithy", "b.smithy", "c.json"]);
}

#[test]
fn relative_ids_resolve_through_use_then_namespace_then_prelude() {
    let loaded = load(&[
        (
            "a.smithy",
            "$version: \"2\"\nnamespace a\nuse b#Thing\nstructure S {\n  t: Thing\n  s: String\n  l: Local\n}\nstring Local\n",
        ),
        (
            "b.smithy",
            "$version: \"2\"\nnamespace b\nstring Thing\n@trait\nstring String\n",
        ),
    ]);
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    let s = loaded.model.shape_by_str("a#S").unwrap();
    let targets: Vec<&str> = s.members.values().map(|m| m.target.as_str()).collect();
    assert_eq!(targets, ["b#Thing", "smithy.api#String", "a#Local"]);
}

#[test]
fn identical_redefinitions_are_accepted_and_conflicting_ones_rejected() {
    let same = "$version: \"2\"\nnamespace ex\n@length(min: 1)\nstring Name\n";
    assert!(!load(&[("a.smithy", same), ("b.smithy", same)]).has_errors());
    let other = "$version: \"2\"\nnamespace ex\n@length(min: 2)\nstring Name\n";
    let loaded = load(&[("a.smithy", same), ("b.smithy", other)]);
    assert_eq!(codes(&loaded), [(Code::DuplicateShape, 4)]);
    assert_eq!(
        errors(&loaded)[0].labels.len(),
        1,
        "points at the first definition too"
    );
}

#[test]
fn apply_merges_traits_and_lists_concatenate() {
    let loaded = load(&[(
        "a.smithy",
        "$version: \"2\"\nnamespace ex\n@tags([\"a\"])\nstring S\napply S @tags([\"b\"])\napply S {\n  @sensitive\n  @documentation(\"d\")\n}\n",
    )]);
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    let s = loaded.model.shape_by_str("ex#S").unwrap();
    assert_eq!(
        s.trait_value("smithy.api#tags"),
        Some(&Node::Array(vec!["a".into(), "b".into()]))
    );
    assert_eq!(s.documentation(), Some("d"));
    let conflict = load(&[(
        "a.smithy",
        "$version: \"2\"\nnamespace ex\n@since(\"1\")\nstring S\napply S @since(\"2\")\n",
    )]);
    assert_eq!(codes(&conflict), [(Code::TraitConflict, 5)]);
}

#[test]
fn mixins_flatten_members_and_traits_and_elided_targets_resolve() {
    let loaded = load(&[(
        "a.smithy",
        r#"$version: "2"
namespace ex
@mixin
@sensitive
structure Base { id: String }
resource R { identifiers: { rid: String }, properties: { size: Integer } }
structure S for R with [Base] {
    $id
    $rid
    $size
    own: Boolean
}
"#,
    )]);
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    let s = loaded.model.shape_by_str("ex#S").unwrap();
    let members: Vec<(&str, &str)> = s
        .members
        .values()
        .map(|m| (m.name(), m.target.as_str()))
        .collect();
    assert_eq!(
        members,
        [
            ("id", "smithy.api#String"),
            ("rid", "smithy.api#String"),
            ("size", "smithy.api#Integer"),
            ("own", "smithy.api#Boolean")
        ]
    );
    assert!(s.has_trait("smithy.api#sensitive"));
    assert!(!s.has_trait("smithy.api#mixin"));
}

#[test]
fn version_1_models_get_sets_and_primitive_defaults() {
    let loaded = load(&[(
        "a.smithy",
        "namespace ex\nset Tags { member: String }\ninteger Count\n@box\ninteger Maybe\nstructure S { c: Count, m: Maybe, p: PrimitiveLong }\n",
    )]);
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    let m = &loaded.model;
    let tags = m.shape_by_str("ex#Tags").unwrap();
    assert_eq!(tags.ty, ShapeType::List);
    assert!(tags.has_trait("smithy.api#uniqueItems"));
    let s = m.shape_by_str("ex#S").unwrap();
    let default = |name: &str| {
        s.members[name]
            .traits
            .iter()
            .any(|(k, _)| k.as_str() == "smithy.api#default")
    };
    assert!(default("c") && default("p") && !default("m"));
    let v2_only = load(&[(
        "a.smithy",
        "namespace ex\nenum E { A }\nstructure S { a: String = \"\" }\n",
    )]);
    assert_eq!(codes(&v2_only), [(Code::Version, 2), (Code::Version, 3)]);
}

#[test]
fn documentation_comments_become_documentation_traits() {
    let loaded = load(&[(
        "a.smithy",
        "$version: \"2\"\nnamespace ex\n/// Shape docs\n/// second line\nstructure S {\n    /// Member docs\n    a: String\n}\n",
    )]);
    let s = loaded.model.shape_by_str("ex#S").unwrap();
    assert_eq!(s.documentation(), Some("Shape docs\nsecond line"));
    let a = &s.members["a"];
    assert_eq!(
        a.traits.values().next().unwrap().value,
        Node::String("Member docs".into())
    );
}

#[test]
fn unknown_traits_are_errors_unless_allowed() {
    let text = "$version: \"2\"\nnamespace ex\n@custom(1)\nstring S\n";
    assert_eq!(
        codes(&load(&[("a.smithy", text)])),
        [(Code::UnknownTrait, 3)]
    );
    let allowed = Loader::new()
        .source("a.smithy", text)
        .allow_unknown_traits(true)
        .load();
    assert!(!allowed.has_errors());
    assert_eq!(allowed.diagnostics.len(), 1);
}

#[test]
fn trait_values_are_type_checked_against_their_shapes() {
    let loaded = load(&[(
        "a.smithy",
        "$version: \"2\"\nnamespace ex\n@http(method: \"GET\")\noperation Op {}\n@length(min: \"one\")\nstring S\n@timestampFormat(\"weekly\")\ntimestamp T\n",
    )]);
    let messages = error_messages(&loaded);
    assert_eq!(messages.len(), 3, "{messages:?}");
    assert!(
        messages[0].contains("missing required member `uri`"),
        "{messages:?}"
    );
    assert!(
        messages[1].contains("expected an integer, found string at `/min`"),
        "{messages:?}"
    );
    assert!(
        messages[2].contains("`weekly` is not a value of enum"),
        "{messages:?}"
    );
}

/// What Smithy's loader accepts loads without errors: members a trait's
/// definition does not have (yet) are warnings, as AWS models set
/// `awsProductName` and `serviceName` on `aws.api#service`; `@arnReference`
/// names services and resources that need not be in the model.
#[test]
fn unknown_trait_members_warn_and_arn_references_may_point_outside() {
    let loaded = load(&[(
        "a.smithy",
        "$version: \"2\"\nnamespace ex\nuse aws.api#service\nuse aws.api#arnReference\n\
         @service(sdkId: \"Ex\", awsProductName: \"Example\", serviceName: \"ex\")\nservice Ex { version: \"1\" }\n\
         @arnReference(service: \"ElsewhereCP\", resource: \"com.other#Thing\")\nstring ThingArn\n",
    )]);
    assert!(errors(&loaded).is_empty(), "{:?}", errors(&loaded));
    let warnings: Vec<&str> = loaded
        .diagnostics
        .iter()
        .filter(|d| !d.is_error() && d.code == Code::TraitValue)
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(
        warnings[0].contains("`awsProductName` is not a member of `aws.api#service`"),
        "{warnings:?}"
    );
}

#[test]
fn codegen_traits_are_checked_against_their_targets() {
    let loaded = load(&[(
        "a.smithy",
        "$version: \"2\"\nnamespace ex\n@error(\"client\")\nstring E\n@http(method: \"GET\", uri: \"/\")\nstructure NotOp {}\nstructure S {\n  @idempotencyToken\n  token: Integer\n}\n",
    )]);
    assert_eq!(
        codes(&loaded),
        [
            (Code::TraitTarget, 3),
            (Code::TraitTarget, 5),
            (Code::TraitTarget, 8)
        ]
    );
}

#[test]
fn default_values_must_match_their_targets() {
    let loaded = load(&[(
        "a.smithy",
        "$version: \"2\"\nnamespace ex\nstructure S {\n  a: Integer = \"x\"\n  b: Boolean = true\n  c: L = [\"x\"]\n}\nlist L { member: String }\n",
    )]);
    assert_eq!(
        codes(&loaded),
        [(Code::InvalidDefault, 4), (Code::InvalidDefault, 6)]
    );
}

#[test]
fn enum_values_are_unique_and_well_typed() {
    let loaded = load(&[(
        "a.smithy",
        "$version: \"2\"\nnamespace ex\nenum E {\n  A = \"x\"\n  B = \"x\"\n}\nintEnum I {\n  A = 1\n  B = 1.5\n  C = 4294967296\n}\n",
    )]);
    assert_eq!(
        codes(&loaded),
        [
            (Code::InvalidEnum, 5),
            (Code::InvalidEnum, 9),
            (Code::InvalidEnum, 10)
        ]
    );
}

#[test]
fn streaming_rules_are_enforced() {
    let loaded = load(&[(
        "a.smithy",
        r#"$version: "2"
namespace ex
@streaming
union Events { a: A, b: String }
structure A {}
@streaming
blob Body
operation Op { input := { e: Events, @required body: Body } }
structure Nested { @required body: Body }
structure Holder { nested: Nested }
operation Op2 { output := { body: Body } }
structure Ev { @eventPayload a: String, b: String }
union Choice { body: Body }
@mixin structure Streams { @required body: Body }
structure Unreferenced with [Streams] {}
"#,
    )]);
    assert_eq!(
        codes(&loaded),
        [
            (Code::EventStream, 4),
            (Code::EventStream, 8),
            (Code::EventStream, 9),
            (Code::EventStream, 11),
            (Code::EventStream, 12),
            (Code::EventStream, 13),
            (Code::EventStream, 13)
        ]
    );
}

#[test]
fn operation_errors_must_be_error_structures() {
    let loaded = load(&[(
        "a.smithy",
        "$version: \"2\"\nnamespace ex\noperation Op { errors: [NotError] }\nstructure NotError {}\n",
    )]);
    assert_eq!(codes(&loaded), [(Code::OperationError, 3)]);
}

#[test]
fn member_names_are_unique_ignoring_case() {
    let loaded = load(&[(
        "a.smithy",
        "$version: \"2\"\nnamespace ex\nstructure S {\n  name: String\n  Name: String\n}\n",
    )]);
    assert_eq!(codes(&loaded), [(Code::DuplicateMember, 5)]);
}

#[test]
fn metadata_merges_lists_and_rejects_conflicts() {
    let ok = load(&[
        ("a.smithy", "metadata x = [1]\nmetadata y = \"s\"\n"),
        ("b.smithy", "metadata x = [2]\nmetadata y = \"s\"\n"),
    ]);
    assert!(!ok.has_errors());
    assert_eq!(
        ok.model.metadata["x"],
        Node::Array(vec![Node::Number(1.into()), Node::Number(2.into())])
    );
    let bad = load(&[
        ("a.smithy", "metadata y = \"s\"\n"),
        ("b.smithy", "metadata y = \"t\"\n"),
    ]);
    assert_eq!(codes(&bad), [(Code::MetadataConflict, 1)]);
}

#[test]
fn deep_nesting_is_rejected_with_a_clear_error() {
    let deep = format!(
        "$version: \"2\"\nnamespace ex\n@tags({}{})\nstring S\n",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    assert_eq!(
        codes(&load(&[("a.smithy", &deep)])),
        [(Code::NestingTooDeep, 3)]
    );
    let deep_json = format!(
        "{{\"smithy\": \"2.0\", \"metadata\": {{\"x\": {}{}}}}}",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    assert_eq!(codes(&load(&[("a.json", &deep_json)]))[0].0, Code::Json);
}

#[test]
fn loading_is_deterministic_whatever_the_file_order() {
    let a = (
        "a.smithy",
        "$version: \"2\"\nnamespace ex\nstructure S { b: B }\nmetadata m = [1]\n",
    );
    let a = (a.0, a.1.replace("metadata m = [1]\n", ""));
    let b = (
        "b.smithy",
        "$version: \"2\"\nnamespace ex\n@tags([\"x\"])\nstring B\n".to_owned(),
    );
    let one = load(&[(a.0, &a.1), (b.0, &b.1)]);
    let two = load(&[(b.0, &b.1), (a.0, &a.1)]);
    assert_eq!(
        tinsmith::json_ast::to_string(&one.model),
        tinsmith::json_ast::to_string(&two.model)
    );
}

#[test]
fn user_files_can_redefine_bundled_trait_shapes() {
    // Loading a definition of a bundled trait (as Smithy's own trait files do)
    // replaces the bundled one instead of conflicting with it.
    let loaded = load(&[(
        "a.smithy",
        "$version: \"2\"\nnamespace aws.protocols\n/// Their docs.\n@trait(selector: \"service\")\nstructure restJson1 { http: Strings }\nlist Strings { member: String }\n",
    )]);
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    let shape = loaded
        .model
        .shape_by_str("aws.protocols#restJson1")
        .unwrap();
    assert_eq!(shape.documentation(), Some("Their docs."));
}

#[test]
fn json_ast_problems_are_reported_not_panicked() {
    for text in [
        "",
        "[]",
        "{\"smithy\": 2}",
        "{\"smithy\": \"2.0\", \"shapes\": {\"bad id\": {}}}",
        "{\"smithy\": \"2.0\", \"shapes\": {\"a#B\": {\"type\": \"structure\", \"members\": {\"x\": {}}}}}",
    ] {
        let loaded = load(&[("a.json", text)]);
        assert!(loaded.has_errors(), "{text}");
    }
}

#[test]
fn json_ast_member_names_are_identifiers() {
    let structure = |name: &str, member: &str| {
        format!(
            "{{\"smithy\": \"2.0\", \"shapes\": {{\"a#B\": {{\"type\": \"structure\", \"members\": {{\"{name}\": {member}}}}}}}}}"
        )
    };
    let target = "{\"target\": \"smithy.api#String\"}";
    for name in ["a", "_1", "__a", "a_B9", "_a_"] {
        let loaded = load(&[("a.json", &structure(name, target))]);
        assert!(!loaded.has_errors(), "{name}");
        let shape = loaded.model.shape_by_str("a#B").unwrap();
        assert_eq!(
            shape.members.get(name).unwrap().id.as_str(),
            format!("a#B${name}")
        );
    }
    for name in ["bad name", "1st", "café", "", "_", "__", "a-b"] {
        let loaded = load(&[("a.json", &structure(name, target))]);
        let messages = error_messages(&loaded);
        assert_eq!(messages.len(), 1, "{name}: {messages:?}");
        assert!(
            messages[0].contains(&format!(
                "member name `{name}` of `a#B` is not an identifier"
            )),
            "{messages:?}"
        );
        // The member is left out; the shape stays.
        assert!(loaded.model.shape_by_str("a#B").unwrap().members.is_empty());
    }
    // The rest of a misnamed member is still checked.
    let loaded = load(&[("a.json", &structure("bad name", "{\"traits\": []}"))]);
    let messages = error_messages(&loaded);
    assert_eq!(messages.len(), 3, "{messages:?}");
    assert_mentions(&messages, "needs a string `target`");
    assert_mentions(&messages, "`traits` must be an object");
}

#[test]
fn references_to_members_need_identifier_member_names() {
    let text = "{\"smithy\": \"2.0\", \"shapes\": {\"a#B\": {\"type\": \"structure\", \"members\": {\"m\": {\"target\": \"String$bad name\"}}}}}";
    let loaded = load(&[("a.json", text)]);
    let messages = error_messages(&loaded);
    assert_mentions(&messages, "`String$bad name` is not a valid shape id");
}

#[test]
fn member_names_differing_only_in_case_are_rejected() {
    // Up to 16 members are scanned, more hashed: both report each later
    // member against the latest earlier one it matches.
    for filler in [0, 12, 13, 40] {
        let extra: String = (0..filler).map(|i| format!(" m{i}: String")).collect();
        let text = format!(
            "$version: \"2\"\nnamespace ex\nstructure S {{ name: String{extra} Name: String _x: String NAME: String }}\n"
        );
        let loaded = load(&[("a.smithy", &text)]);
        let messages = error_messages(&loaded);
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(
            messages[0].contains("`Name` of `ex#S` differs from member `name`"),
            "{messages:?}"
        );
        assert!(
            messages[1].contains("`NAME` of `ex#S` differs from member `Name`"),
            "{messages:?}"
        );
    }
}

#[test]
fn id_refs_that_must_exist_are_checked() {
    let loaded = load(&[(
        "a.smithy",
        "$version: \"2\"\nnamespace ex\n@references([{ resource: Missing }])\nstructure S { id: String }\n@references([{ resource: R }])\nstructure T { id: String }\nresource R { identifiers: { id: String } }\n",
    )]);
    let messages = error_messages(&loaded);
    // The unresolved syntactic id, then the idRef check on the resulting string.
    assert_eq!(
        codes(&loaded),
        [(Code::TraitValue, 3), (Code::InvalidIdRef, 3)],
        "{messages:?}"
    );
    assert!(
        messages[0].contains("`ex#Missing` does not name a shape in the model at `/0/resource`"),
        "{messages:?}"
    );
}

#[test]
fn unclosed_strings_with_multibyte_text_are_reported_not_panicked() {
    for text in [
        "namespace a\n@doc(\"é\n",
        "namespace a\n@doc(\"\"\"\n  日本語 \\\"\n",
        "namespace a\nstring S // ü\n@x(\"ü",
    ] {
        let loaded = load(&[("a.smithy", text)]);
        assert!(loaded.has_errors(), "{text}");
    }
}

#[test]
fn streaming_members_of_http_operations_are_the_payload() {
    let loaded = load(&[(
        "a.smithy",
        r#"$version: "2"
namespace ex
@streaming
blob Body
@http(method: "PUT", uri: "/a")
operation Misplaced { input := { @required @httpHeader("x-body") body: Body } }
@http(method: "PUT", uri: "/b")
operation Payload { input := { @required @httpPayload body: Body } }
@http(method: "PUT", uri: "/c")
operation Unbound { input := { @required body: Body } }
@aws.protocols#restJson1
service Rest { operations: [Misplaced, Payload, Unbound] }
// Protocols without HTTP bindings carry the stream without @httpPayload.
@http(method: "PUT", uri: "/d")
operation Rpc { input := { @required body: Body } }
@aws.protocols#awsJson1_0
service Json { operations: [Rpc] }
"#,
    )]);
    assert_eq!(
        codes(&loaded),
        [
            (Code::TraitTarget, 6),
            (Code::EventStream, 6),
            (Code::EventStream, 10)
        ]
    );
}

#[test]
fn version_1_streaming_blob_members_default_to_empty() {
    let loaded = load(&[(
        "a.smithy",
        r#"$version: "1.0"
namespace ex
@streaming
blob Body
@http(method: "GET", uri: "/a")
operation Get { output: GetOutput }
structure GetOutput { @httpPayload body: Body }
"#,
    )]);
    assert!(errors(&loaded).is_empty(), "{:?}", loaded.diagnostics);
    let member = loaded
        .model
        .member(&tinsmith::model::ShapeId::parse("ex#GetOutput$body").unwrap())
        .unwrap();
    assert_eq!(
        member.trait_value(tinsmith::model::traits::DEFAULT),
        Some(&Node::String(String::new()))
    );
}

#[test]
fn recursive_shapes_need_a_finite_value() {
    let loaded = load(&[(
        "a.smithy",
        r#"$version: "2"
namespace ex
list Lists { member: Lists }
map Maps { key: String, value: MapList }
list MapList { member: Maps }
structure Loop { @required next: Loop }
structure A { @required b: B }
structure B { @required a: A }
union Only { again: Only }
// Fine: through an optional member, a list, or a union with a way out.
structure Tree { children: TreeList, parent: Tree }
list TreeList { member: Tree }
union Expr { lit: Integer, neg: Expr }
structure Defaulted { @required @default([]) more: DefaultedList }
list DefaultedList { member: Defaulted }
// Fine: chains whose value is found from their far end.
structure Chain1 { @required next: Chain2, @required also: Chain3 }
structure Chain2 { @required next: Chain3 }
structure Chain3 { @required end: Ends }
union Ends { more: Ends, stop: Chain4 }
structure Chain4 {}
structure Twice { @required a: Chain4, @required b: Chain4 }
union OneWayOut { stuck: Loop, out: Twice }
"#,
    )]);
    assert_eq!(
        codes(&loaded),
        [
            (Code::Recursion, 3),
            (Code::Recursion, 4),
            (Code::Recursion, 5),
            (Code::Recursion, 6),
            (Code::Recursion, 7),
            (Code::Recursion, 8),
            (Code::Recursion, 9),
        ]
    );
}

#[test]
fn paginated_paths_must_resolve() {
    let loaded = load(&[(
        "a.smithy",
        r#"$version: "2"
namespace ex
@paginated(inputToken: "token", outputToken: "next")
service S { operations: [Good, BadInput, BadOutput, BadItems, Nested] }
@readonly @paginated(items: "items", pageSize: "size")
operation Good {
    input := { token: String, size: Integer }
    output := { next: String, items: Names }
}
@readonly @paginated(inputToken: "nope")
operation BadInput {
    input := { token: String }
    output := { next: String }
}
@readonly @paginated(outputToken: "page.next")
operation BadOutput {
    input := { token: String }
    output := { page: String }
}
@readonly @paginated(items: "next")
operation BadItems {
    input := { token: String }
    output := { next: String }
}
@readonly @paginated(outputToken: "page.next", items: "page.items")
operation Nested {
    input := { token: String }
    output := { page: Page }
}
structure Page { next: String, items: Names }
list Names { member: String }
"#,
    )]);
    assert_eq!(
        codes(&loaded),
        [
            (Code::Paginated, 10),
            (Code::Paginated, 15),
            (Code::Paginated, 20)
        ]
    );
}

#[test]
fn binding_traits_fit_their_targets() {
    let loaded = load(&[(
        "a.smithy",
        r#"$version: "2"
namespace ex
@http(method: "POST", uri: "/{label}")
operation Op {
    input := {
        @httpLabel @required label: Point
        @httpHeader("x-a") header: Point
        @httpQuery("q") query: Document
        @httpPrefixHeaders("x-") prefixed: Numbers
        @httpQuery("ok") fine: Strings
    }
    output := {
        @httpResponseCode code: String
        @timestampFormat("date-time") when: String
    }
}
structure Point {}
list Strings { member: String }
map Numbers { key: String, value: Integer }
structure Defaults {
    tiny: Byte = 300
    small: Float = 1e300
}
"#,
    )]);
    assert_eq!(
        codes(&loaded),
        [
            (Code::TraitTarget, 6),
            (Code::TraitTarget, 7),
            (Code::TraitTarget, 8),
            (Code::TraitTarget, 9),
            (Code::TraitTarget, 13),
            (Code::TraitTarget, 14),
            (Code::InvalidDefault, 21),
            (Code::InvalidDefault, 22),
        ]
    );
}

#[test]
fn bundled_aws_and_smithy_extension_namespaces_are_defined() {
    // One trait from each namespace AWS and third-party models use beyond
    // the core ones; none needs --allow-unknown-traits.
    let loaded = load(&[(
        "a.smithy",
        r#"$version: "2"
namespace ex

@aws.endpoints#standardRegionalEndpoints(regionSpecialCases: {
    "us-east-1": [{ endpoint: "https://ex.us-east-1.amazonaws.com", fips: true }]
})
@aws.iam#defineConditionKeys("ex:Tag": { type: "String" })
service Svc {
    version: "1"
    operations: [Publish]
    resources: [Thing]
}

@aws.cloudformation#cfnResource(name: "Thing")
@aws.iam#iamResource(name: "thing")
resource Thing {
    identifiers: { id: String }
    read: GetThing
}

@readonly
@aws.iam#actionPermissionDescription("Grants permission to read a thing")
@aws.iam#iamAction(requiredActions: ["ex:Other"])
@aws.apigateway#integration(type: "aws_proxy", uri: "arn:aws:lambda:::function:f", httpMethod: "POST")
@smithy.test#smokeTests([
    {
        id: "GetThingFails"
        params: { id: "nope" }
        vendorParamsShape: "aws.test#AwsVendorParams"
        vendorParams: { region: "us-west-2" }
        expect: { failure: { errorId: "ex#NotFound" } }
        tags: ["smoke"]
    }
])
operation GetThing {
    input := {
        @required
        id: String
    }
    output := {
        @aws.cloudformation#cfnMutability("read")
        name: String
    }
    errors: [NotFound]
}

@error("client")
structure NotFound {}

@smithy.mqtt#publish("things/events")
operation Publish {
    input := {
        message: String
    }
}

@trait
@smithy.openapi#specificationExtension(as: "x-ex-marker")
structure marker {}

@smithy.contracts#conditions(
    NameNotEmpty: { expression: "length(name) > `0`", documentation: "Names are not empty." }
)
structure Named {
    name: String
}
"#,
    )]);
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    assert!(
        !loaded
            .diagnostics
            .iter()
            .any(|d| d.code == Code::UnknownTrait),
        "{:?}",
        loaded.diagnostics
    );
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
}

#[test]
fn values_of_bundled_extension_traits_are_type_checked() {
    let loaded = load(&[(
        "a.smithy",
        r#"$version: "2"
namespace ex
@aws.cloudformation#cfnResource(name: 5)
resource R {}
@aws.apigateway#integration(type: "carrier-pigeon", httpMethod: "POST")
operation Op {}
@smithy.test#smokeTests([{ id: "T", expect: { success: {} }, vendorParamsShape: "aws.test#Missing" }])
operation Smoke {}
"#,
    )]);
    let messages = error_messages(&loaded);
    assert_eq!(
        codes(&loaded),
        [
            (Code::TraitValue, 3),
            (Code::TraitValue, 5),
            (Code::TraitValue, 5),
            (Code::TraitValue, 7),
        ],
        "{messages:?}"
    );
    for (message, expected) in messages.iter().zip([
        "expected a string, found number at `/name`",
        "`carrier-pigeon` is not a value of enum `aws.apigateway#IntegrationType`",
        "missing required member `uri`",
        "`aws.test#Missing` does not name a shape in the model at `/0/vendorParamsShape`",
    ]) {
        assert!(message.contains(expected), "{messages:?}");
    }
}

#[test]
fn json_ast_writes_shapes_with_mixins_as_declared() {
    let loaded = load(&[(
        "a.smithy",
        r#"$version: "2"
namespace ex

/// Base docs.
@mixin(localTraits: [internal])
@internal
structure Base {
    @required
    id: String
    name: String
}

structure Thing with [Base] {
    /// The thing's name.
    $name
    extra: Integer
}

@mixin
operation BaseOp {
    errors: [Oops]
}

operation Get with [BaseOp] {
    errors: [Other]
}

@error("client")
structure Oops {}

@error("server")
structure Other {}

@mixin
service BaseService {
    version: "1"
    operations: [Get]
}

service Svc with [BaseService] {
    errors: [Oops]
}
"#,
    )]);
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    let json = tinsmith::json_ast::to_json(&loaded.model);
    let shape = |id: &str| json["shapes"][id].clone();
    // Only what Thing adds: the new member, and the trait it adds to an
    // inherited one; the inherited documentation is not repeated, the
    // local @internal is not inherited.
    assert_eq!(
        shape("ex#Thing"),
        serde_json::json!({
            "type": "structure",
            "mixins": [{ "target": "ex#Base" }],
            "members": {
                "name": {
                    "target": "smithy.api#String",
                    "traits": { "smithy.api#documentation": "The thing's name." }
                },
                "extra": { "target": "smithy.api#Integer" }
            }
        })
    );
    assert_eq!(
        shape("ex#Get")["errors"],
        serde_json::json!([{ "target": "ex#Other" }])
    );
    let svc = shape("ex#Svc");
    assert_eq!(svc["errors"], serde_json::json!([{ "target": "ex#Oops" }]));
    assert!(
        svc.get("version").is_none() && svc.get("operations").is_none(),
        "{svc}"
    );
    // Read back, it is the same model: mixins applied again.
    let text = tinsmith::json_ast::to_string(&loaded.model);
    let again = load(&[("a.json", &text)]);
    assert!(!again.has_errors(), "{:?}", again.diagnostics);
    let thing = again.model.shape_by_str("ex#Thing").unwrap();
    let names: Vec<&str> = thing.members.keys().map(String::as_str).collect();
    assert_eq!(names, ["id", "name", "extra"]);
    assert!(thing.members["id"].has_trait("smithy.api#required"));
    assert_eq!(thing.documentation(), Some("Base docs."));
    assert!(!thing.has_trait("smithy.api#internal"));
    let get = again
        .model
        .shape_by_str("ex#Get")
        .unwrap()
        .as_operation()
        .unwrap();
    assert_eq!(get.errors.len(), 2);
    assert_eq!(tinsmith::json_ast::to_string(&again.model), text);
}

#[test]
fn json_ast_keeps_what_a_model_changes_in_built_in_shapes() {
    // Traits applied to a built-in shape, directly or through a built-in
    // mixin a user shape inherits, are written, so reading the text back
    // gives the same model.
    let loaded = load(&[(
        "a.smithy",
        r#"$version: "2"
namespace ex

apply smithy.test#HttpMessageMixin @documentation("Changed.")
apply smithy.api#String @tags(["changed"])

structure Message with [smithy.test#HttpMessageMixin] {}
"#,
    )]);
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    let text = tinsmith::json_ast::to_string(&loaded.model);
    assert!(text.contains("\"smithy.api#String\""), "{text}");
    let again = load(&[("a.json", &text)]);
    assert!(!again.has_errors(), "{:?}", again.diagnostics);
    let message = again.model.shape_by_str("ex#Message").unwrap();
    assert_eq!(message.documentation(), Some("Changed."));
    let string = again.model.shape_by_str("smithy.api#String").unwrap();
    assert!(string.has_trait("smithy.api#tags"));
    assert_eq!(tinsmith::json_ast::to_string(&again.model), text);
    // A model that changes nothing built in writes none of it.
    let plain = load(&[("b.smithy", "$version: \"2\"\nnamespace ex\nstring S\n")]);
    let text = tinsmith::json_ast::to_string(&plain.model);
    assert!(!text.contains("smithy.api#"), "{text}");
}

#[test]
fn json_ast_1_0_has_no_mixins() {
    let loaded = load(&[(
        "a.json",
        r#"{"smithy": "1.0", "shapes": {
            "ex#M": {"type": "structure", "members": {}, "traits": {"smithy.api#mixin": {}}},
            "ex#S": {"type": "structure", "mixins": [{"target": "ex#M"}], "members": {}}
        }}"#,
    )]);
    let messages = error_messages(&loaded);
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert_mentions(&messages, "mixins can only be used in Smithy 2.0");
}

#[test]
fn a_load_holds_the_bundled_namespaces_its_files_name() {
    // Named only by an `idRef` string in a JSON AST trait value: the
    // reference must still resolve.
    let json = r#"{"smithy": "2.0", "shapes": {
        "ex#Op": {"type": "operation", "traits": {"smithy.test#smokeTests": [
            {"id": "a_case", "vendorParamsShape": "aws.test#AwsVendorParams", "expect": {"success": {}}}
        ]}}
    }}"#;
    let loaded = load(&[("a.json", json)]);
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    let model = &loaded.model;
    assert!(model.shape_by_str("aws.test#AwsVendorParams").is_some());
    assert!(model.shape_by_str("aws.iam#actionName").is_none());

    // IDL, through `use` and then a relative id.
    let loaded = load(&[(
        "a.smithy",
        "$version: \"2\"\nnamespace ex\nuse aws.iam#actionName\n@actionName(\"Get\")\noperation Get {}\n",
    )]);
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    assert!(loaded.model.shape_by_str("aws.iam#actionName").is_some());

    // IDL in a bundled namespace, referring to its shapes by relative ids.
    let loaded = load(&[(
        "a.smithy",
        "$version: \"2\"\nnamespace aws.iam\n@trait\nstructure extraAction { name: actionName }\n",
    )]);
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);

    // A model that names none of them holds the prelude alone besides its own.
    let loaded = load(&[("a.smithy", "$version: \"2\"\nnamespace ex\nstring S\n")]);
    assert!(
        loaded
            .model
            .shapes
            .keys()
            .all(|id| matches!(id.namespace(), "smithy.api" | "ex"))
    );
}

#[test]
fn bundled_namespaces_named_in_unusual_ways_are_held() {
    // Spelt with an escape in an IDL string: the file holds every bundled
    // namespace rather than miss it.
    let loaded = load(&[(
        "a.smithy",
        "$version: \"2\"\nnamespace ex\nuse smithy.test#smokeTests\n@smokeTests([{ id: \"a_case\", vendorParamsShape: \"aws\\u002Etest#AwsVendorParams\", expect: { success: {} } }])\noperation Op {}\n",
    )]);
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    assert!(
        loaded
            .model
            .shape_by_str("aws.test#AwsVendorParams")
            .is_some()
    );

    // `apply` to a built-in shape assembles from scratch, from the
    // namespaces the files name.
    for (name, text) in [
        (
            "a.smithy",
            "$version: \"2\"\nnamespace ex\napply aws.iam#actionName @documentation(\"Ours.\")\n",
        ),
        (
            "a.json",
            r#"{"smithy": "2.0", "shapes": {"aws.iam#actionName": {"type": "apply", "traits": {"smithy.api#documentation": "Ours."}}}}"#,
        ),
    ] {
        let loaded = load(&[(name, text)]);
        assert!(!loaded.has_errors(), "{name}: {:?}", loaded.diagnostics);
        let shape = loaded.model.shape_by_str("aws.iam#actionName").unwrap();
        assert_eq!(shape.documentation(), Some("Ours."), "{name}");
        assert!(loaded.model.shape_by_str("aws.iam#iamAction").is_some());
        assert!(loaded.model.shape_by_str("aws.api#service").is_none());
    }
}
