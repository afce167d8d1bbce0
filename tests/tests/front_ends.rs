//! The three front ends produce the same code: the modules of a crate made
//! by `tinsmith generate` (and `tinsmith::rust::generate`) are, token for
//! token, the inline modules of the single file `tinsmith::Builder` writes
//! for build scripts.

use std::path::Path;

use tinsmith::Loader;
use tinsmith::rust::{Options, generate, generate_module};

/// Prints items (with inner attributes) the way a file is printed, so both
/// layouts go through the same printer at the same indentation.
fn print(attrs: &[syn::Attribute], items: &[syn::Item]) -> String {
    prettyplease::unparse(&syn::File {
        shebang: None,
        attrs: attrs.to_vec(),
        items: items.to_vec(),
    })
}

fn check(model_dir: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(model_dir);
    let loaded = Loader::new().path(dir).load();
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    let options = Options::default();
    let krate = generate(&loaded.model, &options).unwrap();
    let single: syn::File =
        syn::parse_file(&generate_module(&loaded.model, &options).unwrap()).unwrap();
    let mut inline_modules = 0;
    for item in &single.items {
        let syn::Item::Mod(module) = item else {
            continue;
        };
        inline_modules += 1;
        let name = module.ident.to_string();
        let path = format!("src/{name}.rs");
        let file: syn::File = syn::parse_file(&krate.files[&path]).unwrap();
        let (_, inline_items) = module.content.as_ref().expect("inline module");
        assert_eq!(
            print(&file.attrs, &file.items),
            print(&module.attrs, inline_items),
            "{model_dir}: {path}"
        );
    }
    let rust_files = krate.files.keys().filter(|p| p.ends_with(".rs")).count();
    assert_eq!(
        inline_modules,
        rust_files - 1,
        "every module but lib.rs is inlined"
    );
}

#[test]
fn crate_and_build_script_output_are_the_same_code() {
    for model in ["models/weather", "models/inventory", "models/naming"] {
        check(model);
    }
}

#[test]
fn output_is_deterministic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../models/weather");
    let first = generate(&Loader::new().path(&dir).load().model, &Options::default()).unwrap();
    let second = generate(&Loader::new().path(&dir).load().model, &Options::default()).unwrap();
    assert_eq!(first, second);
}

/// Without `.service(..)`, a build script generates every service of the
/// model, one file each.
#[test]
fn the_builder_generates_every_service_when_none_is_named() {
    let dir = std::env::temp_dir().join(format!("tinsmith-builder-all-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let model = dir.join("m.smithy");
    std::fs::write(
        &model,
        "$version: \"2\"\nnamespace ex\nuse aws.protocols#awsJson1_0\n\
         @awsJson1_0\nservice Orders { version: \"1\" }\n\
         @awsJson1_0\nservice Billing { version: \"1\" }\n",
    )
    .unwrap();
    let written = tinsmith::Builder::new()
        .model(&model)
        .out_dir(&dir)
        .quiet(true)
        .generate()
        .unwrap();
    let names: Vec<_> = written
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["billing.rs", "orders.rs"]);
}
