//! Documentation as models write it (`tests/models/docs/documentation.smithy`):
//! the crate the corpus generates documents without a rustdoc warning (CI
//! runs `cargo doc` with `-D warnings` over this package, which includes
//! it), and here: no code block is lost, code keeps its text, and empty
//! documentation falls back.

use std::path::Path;

use tinsmith::Loader;
use tinsmith::rust::{FeatureSupport, Options, generate};

fn generated_types() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/docs/documentation.smithy");
    let loaded = Loader::new().path(&path).load();
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    // Without serde attributes, so each doc comment sits right above its item.
    let options = Options {
        serde: FeatureSupport::Off,
        ..Options::default()
    };
    let krate = generate(&loaded.model, &options).unwrap();
    krate.files["src/types.rs"].clone()
}

#[test]
fn every_code_block_survives_as_text() {
    let types = generated_types();
    // Fenced (two), indented, <pre>, and the union's fenced block; member
    // docs appear on fields and setters, so blocks are counted once each.
    let mut blocks = std::collections::BTreeSet::new();
    let mut current: Option<Vec<String>> = None;
    for line in types.lines().map(str::trim) {
        match (&mut current, line) {
            (None, "/// ```text") => current = Some(Vec::new()),
            (Some(_), "/// ```") => {
                blocks.insert(current.take().unwrap_or_default());
            }
            (Some(lines), line) => lines.push(line.to_owned()),
            _ => {}
        }
    }
    assert_eq!(blocks.len(), 5, "{blocks:#?}");
    for line in [
        "/// let x = a <b> c;",
        "/// let y = vec![1, 2];",
        "/// fn main() {",
        "///     println!(\"{}\", [1][0]);",
        "/// {\"a\": [1, 2], \"b\": \"<c>\"}",
        "/// aws example describe \\",
        "///   --name <value>",
        "///   --json '{\"a\": [1]}'",
        "/// union {}",
    ] {
        assert!(types.contains(line), "missing `{line}`");
    }
}

#[test]
fn inline_code_keeps_html_and_text_is_escaped() {
    let types = generated_types();
    for line in [
        "/// - Three `List<String>`",
        "/// Use `<Tag>` elements, not \\<Error\\> ones;",
        "/// Brackets \\[like this\\] and \\[\\[double\\]\\], generics Vec\\<T\\>, a \\| pipe,",
        "/// Returns the `Foo` of a [bucket](https://example.com/a%20b%28c%29).",
        "/// See [the docs](https://example.com/docs), a relative link,",
        "/// and a bare <https://bare.example.com/path?q=1>, (in parentheses <https://p.example.com>).",
        "/// > **Note:** Careful: this **matters**.",
    ] {
        assert!(types.contains(line), "missing `{line}`");
    }
    assert!(!types.contains("javascript:"), "unsafe links become text");
}

#[test]
fn empty_documentation_falls_back() {
    let types = generated_types();
    assert!(types.contains("/// The empty paragraph.\n    pub empty_paragraph"));
    assert!(types.contains("/// The blank html.\n    pub blank_html"));
    assert!(types.contains("/// `ERR`.\n    Err,"));
}

#[test]
fn the_crate_description_is_one_line_without_the_title_twice() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/docs/documentation.smithy");
    let loaded = Loader::new().path(&path).load();
    // Without serde attributes, so each doc comment sits right above its item.
    let options = Options {
        serde: FeatureSupport::Off,
        ..Options::default()
    };
    let krate = generate(&loaded.model, &options).unwrap();
    let description = krate.files["Cargo.toml"]
        .lines()
        .find(|l| l.starts_with("description = "))
        .unwrap()
        .to_owned();
    assert_eq!(
        description,
        "description = \"Rust client for Amazon Example Service: Amazon Example Service is a fully managed service\""
    );
}
