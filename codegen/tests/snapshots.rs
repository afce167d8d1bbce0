//! Snapshots of generated code for small, focused models. Review changes
//! with `cargo insta review`; never accept them blindly.

use tinsmith::Loader;
use tinsmith::rust::{Options, generate};

fn types_rs(model: &str) -> String {
    let loaded = Loader::new().source("model.smithy", model).load();
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    let generated = generate(&loaded.model, &Options::default()).expect("generates");
    generated.files["src/types.rs"].clone()
}

const SERVICE: &str = "$version: \"2\"\nnamespace ex\nservice S { operations: [Op] }\n";

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
