//! The `tinsmith` command-line contract: subcommands, output formats, exit
//! codes. Scripts outside the project depend on exactly this.

use std::path::Path;
use std::process::{Command, Output};

fn tinsmith(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tinsmith"))
        .args(args)
        .output()
        .expect("tinsmith runs")
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("tinsmith-cli-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const BROKEN: &str = r#"$version: "2"
namespace ex

structure A {
    b: Missing
}

@nope
string S

string T with
"#;

#[test]
fn check_short_format_lists_every_error_with_position_and_code() {
    let dir = temp_dir("short");
    let file = write(&dir, "broken.smithy", BROKEN);
    let out = tinsmith(&["check", "--message-format", "short", &file]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines,
        [
            format!(
                "{file}:5:8: error[E0100]: member target `Missing` does not resolve to a shape"
            ),
            format!("{file}:8:1: error[E0200]: unknown trait `ex#nope`"),
            format!(
                "{file}:12:1: error[E0001]: expected one of a space, a line break, or `[`, found the end of the file"
            ),
        ]
    );
}

#[test]
fn allow_unknown_traits_turns_the_error_into_a_warning() {
    let dir = temp_dir("allow");
    let file = write(
        &dir,
        "a.smithy",
        "$version: \"2\"\nnamespace ex\n@nope\nstring S\n",
    );
    let out = tinsmith(&[
        "check",
        "--allow-unknown-traits",
        "--message-format",
        "short",
        &file,
    ]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        stderr.trim(),
        format!("{file}:3:1: warning[E0200]: unknown trait `ex#nope`")
    );
}

#[test]
fn human_format_shows_the_source_line_and_a_caret() {
    let dir = temp_dir("human");
    let file = write(&dir, "broken.smithy", BROKEN);
    let out = tinsmith(&["check", &file]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("error[E0100]: member target `Missing` does not resolve to a shape"),
        "{stderr}"
    );
    assert!(stderr.contains(&format!("{file}:5:8")), "{stderr}");
    assert!(stderr.contains("5 │     b: Missing"), "{stderr}");
    assert!(
        stderr.contains("^^^^^^^ resolved to `ex#Missing`"),
        "{stderr}"
    );
    assert!(stderr.contains("error: model has 3 errors"), "{stderr}");
}

#[test]
fn usage_and_io_problems_exit_2() {
    assert_eq!(tinsmith(&["check"]).status.code(), Some(2));
    assert_eq!(
        tinsmith(&["check", "--message-format", "xml", "x"])
            .status
            .code(),
        Some(2)
    );
    let out = tinsmith(&["check", "/definitely/not/here.smithy"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("E0009"));
    assert_eq!(
        tinsmith(&["ast", "/definitely/not/here"]).status.code(),
        Some(2)
    );
}

#[test]
fn ast_is_canonical_across_formats_and_leaves_out_builtins() {
    let dir = temp_dir("ast");
    let idl = write(
        &dir,
        "m.smithy",
        "$version: \"2\"\nnamespace ex\n/// Docs\n@sensitive\nstructure B { z: String, a: Integer = 1 }\nenum E { X, Y = \"y\" }\n",
    );
    let out = tinsmith(&["ast", &idl]);
    assert_eq!(out.status.code(), Some(0));
    let from_idl = out.stdout;
    let text = String::from_utf8(from_idl.clone()).unwrap();
    assert!(text.starts_with("{\n    \"smithy\": \"2.0\",\n"), "{text}");
    assert!(
        !text.contains("smithy.api#String\": {"),
        "prelude shapes must be left out"
    );
    // Feed the output back in as JSON AST: the same bytes must come out.
    let json = write(&dir, "m.json", &text);
    let again = tinsmith(&["ast", &json]);
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(String::from_utf8(again.stdout).unwrap(), text);
    // Member order is kept (z before a); trait keys are sorted.
    assert!(text.find("\"z\"").unwrap() < text.find("\"a\"").unwrap());
    assert!(
        text.find("smithy.api#documentation").unwrap() < text.find("smithy.api#sensitive").unwrap()
    );
}

#[test]
fn ast_of_an_invalid_model_prints_nothing_on_stdout() {
    let dir = temp_dir("ast-bad");
    let file = write(&dir, "broken.smithy", BROKEN);
    let out = tinsmith(&["ast", &file]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
}

#[test]
fn bundled_example_model_checks_cleanly() {
    let model = Path::new(env!("CARGO_MANIFEST_DIR")).join("../models");
    let out = tinsmith(&[
        "check",
        "--message-format",
        "short",
        model.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

const SERVICE_MODEL: &str = "$version: \"2\"\nnamespace ex\nuse aws.protocols#awsJson1_0\n/// Keeps track of widgets.\n@awsJson1_0\nservice Widgets { operations: [GetWidget] }\noperation GetWidget { output := { @required name: String } }\n";

#[test]
fn generate_writes_a_crate_and_check_detects_drift() {
    let dir = temp_dir("generate");
    let model = write(&dir, "m.smithy", SERVICE_MODEL);
    let out = dir.join("sdk");
    let out_s = out.to_str().unwrap();
    let first = tinsmith(&["generate", "--out", out_s, &model]);
    assert_eq!(
        first.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    for file in [
        "Cargo.toml",
        "README.md",
        "rustfmt.toml",
        "src/lib.rs",
        "src/types.rs",
    ] {
        assert!(out.join(file).is_file(), "{file} missing");
    }
    // Up to date: --check passes and nothing is rewritten.
    let mtime = std::fs::metadata(out.join("src/types.rs"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(
        tinsmith(&["generate", "--check", "--out", out_s, &model])
            .status
            .code(),
        Some(0)
    );
    let again = tinsmith(&["generate", "--out", out_s, &model]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("0 changed"));
    assert_eq!(
        std::fs::metadata(out.join("src/types.rs"))
            .unwrap()
            .modified()
            .unwrap(),
        mtime
    );
    // Drift: --check fails, names the file, and writes nothing.
    std::fs::write(out.join("src/types.rs"), "// edited\n").unwrap();
    let check = tinsmith(&["generate", "--check", "--out", out_s, &model]);
    assert_eq!(check.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&check.stderr).contains("types.rs"));
    assert_eq!(
        std::fs::read_to_string(out.join("src/types.rs")).unwrap(),
        "// edited\n"
    );
}

#[test]
fn generated_cargo_toml_has_what_crates_io_requires() {
    let dir = temp_dir("publish");
    let model = write(&dir, "m.smithy", SERVICE_MODEL);
    let out = dir.join("sdk");
    let status = tinsmith(&[
        "generate",
        "--out",
        out.to_str().unwrap(),
        "--crate-version",
        "1.2.3",
        &model,
    ]);
    assert_eq!(status.status.code(), Some(0));
    let toml = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    for needle in [
        "name = \"widgets\"",
        "version = \"1.2.3\"",
        "description = \"Rust client for Widgets: Keeps track of widgets\"",
        "license = \"Apache-2.0\"",
        "readme = \"README.md\"",
        "edition = \"2024\"",
        "keywords = [",
        "categories = [",
    ] {
        assert!(toml.contains(needle), "missing {needle} in\n{toml}");
    }
    // Without --runtime-path the runtime is a version dependency, not a path.
    assert!(
        toml.contains(&format!(
            "tinsmith-runtime = {{ version = \"{}\", default-features = false }}",
            env!("CARGO_PKG_VERSION")
        )),
        "{toml}"
    );
    assert!(!toml.contains("path ="), "{toml}");
}

#[test]
fn generate_without_a_service_is_a_clear_error() {
    let dir = temp_dir("noservice");
    let model = write(
        &dir,
        "m.smithy",
        "$version: \"2\"\nnamespace ex\nstring S\n",
    );
    let out = tinsmith(&[
        "generate",
        "--out",
        dir.join("sdk").to_str().unwrap(),
        &model,
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("the model defines no service and no types"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_model_without_a_service_generates_a_crate_of_its_types() {
    let dir = temp_dir("typesonly");
    let model = write(
        &dir,
        "m.smithy",
        "$version: \"2\"\nnamespace ex.shared\n/// A point.\nstructure Point { @required x: Integer }\n\
         enum Color { RED }\n",
    );
    let out = dir.join("sdk");
    let out_arg = out.display().to_string();
    let run = tinsmith(&["generate", "--out", &out_arg, &model]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let files: Vec<String> = std::fs::read_dir(out.join("src"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let mut files = files;
    files.sort();
    assert_eq!(files, ["lib.rs", "types.rs"]);
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"ex-shared\""), "{manifest}");
    assert!(
        manifest.contains("serde = [\"dep:serde\", \"tinsmith-runtime/serde\"]"),
        "{manifest}"
    );
    let types = std::fs::read_to_string(out.join("src/types.rs")).unwrap();
    assert!(types.contains("pub struct Point"), "{types}");
    assert!(types.contains("pub enum Color"), "{types}");
    // --namespace needs --types-only; a namespace without types is an error.
    let bad = tinsmith(&[
        "generate",
        "--out",
        &out_arg,
        "--namespace",
        "ex.shared",
        &model,
    ]);
    assert_eq!(bad.status.code(), Some(2));
    let empty = tinsmith(&[
        "generate",
        "--out",
        &out_arg,
        "--types-only",
        "--namespace",
        "ex.other",
        &model,
    ]);
    assert_eq!(empty.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&empty.stderr).contains("namespace `ex.other` defines no types"),
        "{}",
        String::from_utf8_lossy(&empty.stderr)
    );
}

#[test]
fn services_use_a_types_crate_of_a_shared_namespace() {
    let dir = temp_dir("externtypes");
    let model = write(
        &dir,
        "m.smithy",
        "$version: \"2\"\nnamespace ex.shared\nstructure Point { x: Integer }\n",
    );
    let services = write(
        &dir,
        "s.smithy",
        "$version: \"2\"\nnamespace ex\nuse aws.protocols#restJson1\nuse ex.shared#Point\n\
         @restJson1\nservice Maps { version: \"1\", operations: [Locate] }\n\
         @restJson1\nservice Routes { version: \"1\", operations: [Locate] }\n\
         @http(method: \"POST\", uri: \"/locate\")\noperation Locate { input := { at: Point } }\n",
    );
    let out = dir.join("sdks");
    let types_dir = out.join("ex-shared").display().to_string();
    let types = tinsmith(&[
        "generate",
        "--out",
        &types_dir,
        "--types-only",
        "--namespace",
        "ex.shared",
        &model,
        &services,
    ]);
    assert!(
        types.status.success(),
        "{}",
        String::from_utf8_lossy(&types.stderr)
    );
    let out_arg = out.display().to_string();
    let args = [
        "generate",
        "--out",
        &out_arg,
        "--extern-types",
        "ex.shared=ex_shared",
        &model,
        &services,
    ];
    let run = tinsmith(&args);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    for name in ["maps", "routes"] {
        let manifest = std::fs::read_to_string(out.join(name).join("Cargo.toml")).unwrap();
        assert!(
            manifest.contains("ex-shared = { path = \"../ex-shared\" }"),
            "{manifest}"
        );
        assert!(manifest.contains("\"ex-shared/serde\"]"), "{manifest}");
        let types = std::fs::read_to_string(out.join(name).join("src/types.rs")).unwrap();
        assert!(!types.contains("pub struct Point"), "{types}");
        assert!(types.contains("ex_shared::types::Point"), "{types}");
    }
    // A changed file makes --check exit 1, across every crate of the run.
    std::fs::write(out.join("routes/src/types.rs"), "// edited\n").unwrap();
    let mut check = args.to_vec();
    check.insert(1, "--check");
    let stale = tinsmith(&check);
    assert_eq!(stale.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&stale.stderr).contains("out of date"),
        "{}",
        String::from_utf8_lossy(&stale.stderr)
    );
    // A mapping must be NAMESPACE=PATH, and PATH a Rust path.
    let bad = tinsmith(&[
        "generate",
        "--out",
        &out_arg,
        "--extern-types",
        "ex.shared",
        &model,
    ]);
    assert_eq!(bad.status.code(), Some(2));
    let not_a_path = tinsmith(&[
        "generate",
        "--out",
        &out_arg,
        "--extern-types",
        "ex.shared=no such",
        &model,
        &services,
    ]);
    assert_eq!(not_a_path.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&not_a_path.stderr).contains("which is not a Rust path"),
        "{}",
        String::from_utf8_lossy(&not_a_path.stderr)
    );
}

#[test]
fn generate_for_a_service_without_a_supported_protocol_is_a_clear_error() {
    let dir = temp_dir("noprotocol");
    let model = write(
        &dir,
        "m.smithy",
        "$version: \"2\"\nnamespace ex\n@trait(selector: \"service\")\n@protocolDefinition\nstructure carrierPigeon {}\n@carrierPigeon\nservice S { version: \"1\" }\n",
    );
    let out = tinsmith(&[
        "generate",
        "--out",
        dir.join("sdk").to_str().unwrap(),
        &model,
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("declares no supported protocol (declared: ex#carrierPigeon; supported: aws.protocols#restJson1"),
        "{stderr}"
    );
}

#[test]
fn protocol_option_chooses_one_for_a_service_that_declares_none() {
    let dir = temp_dir("chooseprotocol");
    let model = write(
        &dir,
        "m.smithy",
        "$version: \"2\"\nnamespace ex\nservice S { version: \"1\", operations: [Ping] }\n@http(method: \"GET\", uri: \"/ping\")\n@readonly\noperation Ping {}\n",
    );
    let out_dir = dir.join("sdk");
    let out = dir.join("sdk").display().to_string();
    let without = tinsmith(&["generate", "--out", &out, &model]);
    assert_eq!(without.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&without.stderr)
            .contains("choose one with `--protocol <shape id>`"),
        "{}",
        String::from_utf8_lossy(&without.stderr)
    );
    let unknown = tinsmith(&["generate", "--out", &out, "--protocol", "soap", &model]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&unknown.stderr)
            .contains("--protocol: `soap` is not a supported protocol"),
        "{}",
        String::from_utf8_lossy(&unknown.stderr)
    );
    let with = tinsmith(&[
        "generate",
        "--out",
        &out,
        "--protocol",
        "aws.protocols#restJson1",
        &model,
    ]);
    assert!(
        with.status.success(),
        "{}",
        String::from_utf8_lossy(&with.stderr)
    );
    let protocol = std::fs::read_to_string(out_dir.join("src/protocol.rs")).unwrap();
    assert!(protocol.contains("\"/ping\""), "restJson1 binds the URI");
}

#[test]
fn several_services_get_a_crate_each_in_a_workspace() {
    let dir = temp_dir("severalservices");
    let model = write(
        &dir,
        "m.smithy",
        "$version: \"2\"\nnamespace ex\nuse aws.protocols#restJson1\nuse smithy.protocols#rpcv2Cbor\n\
         @restJson1\nservice Orders { version: \"1\", operations: [Ping] }\n\
         @rpcv2Cbor\nservice Billing { version: \"1\", operations: [Ping] }\n\
         @http(method: \"GET\", uri: \"/ping\")\n@readonly\noperation Ping {}\n",
    );
    let out = dir.join("sdks");
    let out_arg = out.display().to_string();
    let run = tinsmith(&["generate", "--out", &out_arg, &model]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let workspace = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(
        workspace.contains("members = [\n    \"billing\",\n    \"orders\",\n]"),
        "{workspace}"
    );
    for name in ["billing", "orders"] {
        let manifest = std::fs::read_to_string(out.join(name).join("Cargo.toml")).unwrap();
        assert!(
            manifest.contains(&format!("name = \"{name}\"")),
            "{manifest}"
        );
    }
    // Unchanged output is up to date, including the workspace manifest.
    let check = tinsmith(&["generate", "--check", "--out", &out_arg, &model]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    // One name cannot fit several crates; --service picks one.
    let named = tinsmith(&["generate", "--out", &out_arg, "--crate-name", "x", &model]);
    assert_eq!(named.status.code(), Some(2));
    let one = dir.join("one").display().to_string();
    let picked = tinsmith(&["generate", "--out", &one, "--service", "ex#Billing", &model]);
    assert!(
        picked.status.success(),
        "{}",
        String::from_utf8_lossy(&picked.stderr)
    );
    assert!(dir.join("one/src/lib.rs").is_file());
}
