//! Rust names for Smithy names: case conversion (heck), keyword escaping,
//! and the renames that keep generated items from colliding with the
//! standard prelude or with methods the generator itself defines.
//!
//! Every rule is applied in exactly one place so the same Smithy name always
//! becomes the same Rust name.

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

/// Rust keywords (2024 edition, strict and reserved).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot be raw identifiers; they get a trailing underscore.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// Type names that would shadow the prelude or the crate's own root items in
/// generated code. Shapes with these names get a `Value` suffix.
const RESERVED_TYPES: &[&str] = &[
    "Result",
    "Option",
    "Some",
    "None",
    "Ok",
    "Err",
    "Box",
    "Vec",
    "String",
    "Send",
    "Sync",
    "Sized",
    "Copy",
    "Clone",
    "Default",
    "Debug",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "Iterator",
    "IntoIterator",
    "From",
    "Into",
    "ToString",
    "ToOwned",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "Hash",
    "AsRef",
    "AsMut",
    "Self",
    "Client",
    "Config",
    "Error",
    "Builder",
    "Unknown",
];

/// Builder and fluent-builder methods a member setter must not shadow.
const RESERVED_METHODS: &[&str] = &[
    "build",
    "send",
    "customize",
    "config",
    "into_future",
    "meta",
    "builder",
];

fn ident(name: &str) -> Ident {
    if NOT_RAW.contains(&name) {
        return Ident::new(&format!("{name}_"), Span::call_site());
    }
    if KEYWORDS.contains(&name) {
        return Ident::new_raw(name, Span::call_site());
    }
    // Every caller passes sanitized text; this guard keeps a bad name from
    // ever panicking inside proc-macro2.
    let valid = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name != "_";
    Ident::new(if valid { name } else { "value" }, Span::call_site())
}

/// Keeps `[A-Za-z0-9_]` and replaces everything else with `_`.
fn sanitize(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// Case conversion can produce a leading digit (`1foo`): prefix it.
fn no_leading_digit(name: String, prefix: &str) -> String {
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{prefix}{name}")
    } else {
        name
    }
}

/// `UpperCamelCase` for a shape name, renamed away from reserved names.
pub fn type_name(shape_name: &str) -> Ident {
    let camel = no_leading_digit(sanitize(shape_name).to_upper_camel_case(), "N");
    let camel = if camel.is_empty() {
        "Shape".to_owned()
    } else {
        camel
    };
    if RESERVED_TYPES.contains(&camel.as_str()) {
        return ident(&format!("{camel}Value"));
    }
    ident(&camel)
}

/// `snake_case` for a member or operation name, keyword-escaped.
pub fn field_name(member_name: &str) -> Ident {
    let snake = no_leading_digit(sanitize(member_name).to_snake_case(), "_");
    let snake = if snake.is_empty() || snake == "_" {
        "value".to_owned()
    } else {
        snake
    };
    ident(&snake)
}

/// The builder setter for a member: its field name, unless that would
/// shadow a builder method (`build`, `send`, ...), then with `_value`.
pub fn setter_name(member_name: &str) -> Ident {
    let field = field_name(member_name).to_string();
    let plain = field.trim_start_matches("r#");
    if RESERVED_METHODS.contains(&plain) {
        return ident(&format!("{plain}_value"));
    }
    field_name(member_name)
}

/// `set_<field>`: the builder's `Option` setter.
pub fn option_setter_name(member_name: &str) -> Ident {
    let field = field_name(member_name).to_string();
    ident(&format!(
        "set_{}",
        field.trim_start_matches("r#").trim_end_matches('_')
    ))
}

/// An enum variant for an enum/intEnum/union member name.
pub fn variant_name(member_name: &str) -> Ident {
    let camel = no_leading_digit(sanitize(member_name).to_upper_camel_case(), "N");
    let camel = match camel.as_str() {
        "" => "Value".to_owned(),
        // `Unknown` is the generator's catch-all variant; `Self` is a keyword.
        "Unknown" | "Self" => format!("{camel}Value"),
        _ => camel,
    };
    ident(&camel)
}

/// A crate name for a service name: kebab-case, e.g. `Weather` → `weather`.
pub fn crate_name(service_name: &str) -> String {
    use heck::ToKebabCase;
    let name = sanitize(service_name).to_kebab_case();
    if name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name
    } else {
        format!("sdk-{name}")
    }
}

/// A module name for a Smithy name.
pub fn module_name(name: &str) -> Ident {
    field_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_keywords_and_reserved_names() {
        assert_eq!(field_name("type").to_string(), "r#type");
        assert_eq!(field_name("self").to_string(), "self_");
        assert_eq!(field_name("FooBar").to_string(), "foo_bar");
        assert_eq!(field_name("ARN").to_string(), "arn");
        assert_eq!(field_name("123abc").to_string(), "_123abc");
        assert_eq!(type_name("Result").to_string(), "ResultValue");
        assert_eq!(type_name("client").to_string(), "ClientValue");
        assert_eq!(type_name("myShape").to_string(), "MyShape");
        assert_eq!(setter_name("build").to_string(), "build_value");
        assert_eq!(setter_name("type").to_string(), "r#type");
        assert_eq!(option_setter_name("type").to_string(), "set_type");
        assert_eq!(option_setter_name("self").to_string(), "set_self");
        assert_eq!(variant_name("unknown").to_string(), "UnknownValue");
        assert_eq!(variant_name("FOO_BAR").to_string(), "FooBar");
        assert_eq!(variant_name("Self").to_string(), "SelfValue");
        assert_eq!(variant_name("1foo").to_string(), "N1foo");
        assert_eq!(type_name("").to_string(), "Shape");
        assert_eq!(field_name("-").to_string(), "value");
    }
}
