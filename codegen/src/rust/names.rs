//! Every Rust name the generator emits is decided here: case conversion
//! (heck), keyword escaping, and the [`Namespace`]s that keep names unique
//! where Rust needs them unique.
//!
//! A Smithy model can use any name a generator adds: an enum value
//! `Unknown` beside the catch-all `Unknown`, a member `tags` beside the
//! `tag` appender of member `tag`, a shape `FooBuilder` beside `Foo`'s
//! builder, an operation `ErrorFoo` whose functions meet those of error
//! `FooOutput`. So names are not computed where they are used: the plan
//! ([`mod@super::plan`]) asks a namespace for each one, once, and the emitters
//! only read the answers.
//!
//! Architecture invariant: the name of an item depends only on the names
//! that compete with it in its own namespace. Within a namespace, names the
//! generator reserves win, then names taken from the model (in the order of
//! their shape ids), then names the generator derives (builders,
//! appenders, `is_` methods, ...). A loser gets its first alternate that is
//! free (`Value` for types and variants, `_value` for fields), then a
//! number. Adding a shape therefore renames nothing it does not collide
//! with, and the same model always gives the same names.
//!
//! Function names in the private `protocol` and codec modules are built
//! from unique stems (one per operation, one per type) with a prefix and
//! suffix per kind of function, chosen so that no two kinds can produce the
//! same text (`read_<op>_output` can never equal `read_<error>_error`).

use std::collections::{BTreeMap, HashSet};

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

/// Rust keywords (2024 edition, strict and reserved).
pub const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot be raw identifiers; they get a trailing underscore.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// Type names generated code uses unqualified (the prelude's types, traits
/// and variants, `Self`), and the crate root's own items (`Client`,
/// `Config`, `Error`, `Builder`). A shape with one of these names would
/// shadow it, so it gets a `Value` suffix.
pub const RESERVED_TYPES: &[&str] = &[
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
    // The type parameter of an input builder that may hold the client.
    "C",
];

/// The field of an input builder that holds what sends it: `()` for a
/// builder on its own, the client for a request builder (see
/// `Plan::request_of`). No member's field starts with `_` and a letter
/// ([`snake`] prefixes `_` only to a leading digit), so it collides with none.
pub const BUILDER_CLIENT_FIELD: &str = "_client";

/// The field of a request builder that holds the input being set, when it
/// holds the input itself (`types::wraps_input`). The builder's other field
/// is [`BUILDER_CLIENT_FIELD`]; members are the input's fields, so no name
/// collides.
pub const BUILDER_INPUT_FIELD: &str = "input";

/// Names the `operation` module imports, besides [`RESERVED_TYPES`].
pub const OPERATION_MODULE_IMPORTS: &[&str] = &["SdkError", "Info", "Paginated"];

/// Types the `server` module imports or names (its handler methods' type
/// parameter `S` among them), which its trait and error enums must not take.
pub const SERVER_MODULE_IMPORTS: &[&str] = &[
    "Arc",
    "Call",
    "Future",
    "Media",
    "Protocol",
    "Reply",
    "ReplyFuture",
    "Request",
    "ResponseParts",
    "RestCall",
    "Route",
    "S",
    "Segment",
    "Status",
    "Violations",
];

/// Methods of builders (the input's, the request builder that mirrors its
/// setters, and a structure that is its own builder), and methods of the
/// traits they derive or implement that
/// callers reach with method syntax: a setter with one of these names
/// would shadow it (`FooBuilder::default()` would stop compiling).
pub const RESERVED_SETTERS: &[&str] = &[
    // The builders' own methods.
    "build",
    "send",
    "send_with",
    "presigned",
    "into_paginator",
    "with_client",
    "customize",
    "config",
    "into_future",
    "meta",
    "builder",
    // Methods of derived and implemented traits.
    "default",
    "clone",
    "clone_from",
    "fmt",
    "eq",
    "ne",
    "into",
    "try_into",
    "to_owned",
];

/// Methods of `Client` (and of the traits it derives), and those later
/// features add to it.
pub const RESERVED_CLIENT_METHODS: &[&str] =
    &["new", "config", "clone", "clone_from", "fmt", "outbox"];

/// Methods every union has, besides its variants' `as_`/`is_` accessors.
pub const RESERVED_UNION_METHODS: &[&str] =
    &["is_unknown", "clone", "clone_from", "fmt", "eq", "ne"];

/// Methods every operation error enum has (inherent, `ProvideErrorStatus`,
/// `std::error::Error`, derived), besides the `is_` method per variant.
pub const RESERVED_ERROR_METHODS: &[&str] = &[
    "is_unhandled",
    "status",
    "is_retryable",
    "is_throttling",
    "source",
    "description",
    "cause",
    "clone",
    "fmt",
    "eq",
    "ne",
];

/// The catch-all variant of every enum and union.
pub const UNKNOWN: &str = "Unknown";

/// The catch-all variant of every operation error enum.
pub const UNHANDLED: &str = "Unhandled";

// ---------------------------------------------------------------------
// Case conversion and identifiers.

/// An identifier for `name`, which the caller has already made valid Rust
/// text: keywords become raw identifiers (`r#type`), or get a trailing `_`
/// where they cannot (`self_`).
pub fn ident(name: &str) -> Ident {
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

/// The text of an identifier without its `r#`.
pub fn plain(ident: &Ident) -> String {
    let text = ident.to_string();
    text.strip_prefix("r#").map(str::to_owned).unwrap_or(text)
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

/// `UpperCamelCase` text for a Smithy name (shapes, enum values, union
/// members): never empty, never starting with a digit.
pub fn camel(name: &str) -> String {
    let camel = no_leading_digit(sanitize(name).to_upper_camel_case(), "N");
    match camel.as_str() {
        "" => "Value".to_owned(),
        // A keyword that cannot be a raw identifier.
        "Self" => "SelfValue".to_owned(),
        _ => camel,
    }
}

/// The singular of a plural snake-case name, for the appender that adds one
/// entry to a list or map (`tags` → `tag`, `entries` → `entry`,
/// `addresses` → `address`); the name itself when it does not look plural.
pub fn singular(name: &str) -> String {
    let (stem, last) = match name.rsplit_once('_') {
        Some((stem, last)) => (Some(stem), last),
        None => (None, name),
    };
    let one = if let Some(base) = last.strip_suffix("ies").filter(|b| b.len() > 1) {
        format!("{base}y")
    } else if let Some(base) = ["sses", "shes", "ches", "xes", "zzes"]
        .iter()
        .find_map(|s| last.strip_suffix(s).map(|b| (b, &s[..s.len() - 2])))
        .map(|(b, keep)| format!("{b}{keep}"))
    {
        base
    } else if last.len() > 2
        && last.ends_with('s')
        && !last.ends_with("ss")
        && !last.ends_with("us")
    {
        last[..last.len() - 1].to_owned()
    } else {
        last.to_owned()
    };
    match stem {
        Some(stem) => format!("{stem}_{one}"),
        None => one,
    }
}

/// `name` with its first letter in upper case (ec2Query keys).
pub fn capitalize_first(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `snake_case` text for a Smithy name (members, operations): never empty,
/// never starting with a digit, and never a keyword that cannot be raw
/// (`self` becomes `self_`).
pub fn snake(name: &str) -> String {
    let snake = no_leading_digit(sanitize(name).to_snake_case(), "_");
    let snake = if snake.is_empty() || snake == "_" {
        "value".to_owned()
    } else {
        snake
    };
    if NOT_RAW.contains(&snake.as_str()) {
        format!("{snake}_")
    } else {
        snake
    }
}

/// A stem for function names (`ser_<stem>_request`): `snake_case` of the
/// Smithy name, never empty or starting with a digit, and not escaped (it
/// is only ever a part of a name).
pub fn stem(name: &str) -> String {
    let snake = no_leading_digit(sanitize(name).to_snake_case(), "_");
    if snake.is_empty() || snake == "_" {
        "value".to_owned()
    } else {
        snake
    }
}

/// `snake_case` of an identifier that is already camel case (a resolved
/// type or variant name), without keyword escaping: for `is_`/`as_`
/// methods and function stems.
pub fn snake_of(ident: &str) -> String {
    ident.trim_start_matches("r#").to_snake_case()
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

/// The crate name of a plan: its service's ([`crate_name`]), or for a
/// types-only crate its namespace's in kebab case (`example.shared` →
/// `example-shared`), `types` when it holds several.
pub fn plan_crate_name(plan: &super::Plan<'_>) -> String {
    match &plan.subject {
        super::Subject::Service(service) => crate_name(service.name),
        super::Subject::Types(library) => match library.namespaces.as_slice() {
            [one] => crate_name(&one.replace('.', "_")),
            _ => "types".to_owned(),
        },
    }
}

// ---------------------------------------------------------------------
// Namespaces.

/// Where a name comes from, which decides who keeps it on a collision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Origin {
    /// Taken from the model (a shape, member or value name).
    Model,
    /// Made up by the generator from another name (`FooBuilder`, `is_foo`).
    Derived,
}

/// One name wanted in a namespace.
#[derive(Debug, Clone)]
pub struct Claim<K> {
    /// What the name is for (the answer is keyed by it).
    pub key: K,
    /// The name wanted.
    pub preferred: String,
    /// Who keeps it when another claim wants it too.
    pub origin: Origin,
    /// Names to try, in order, when the preferred one is taken; numbered
    /// forms of the preferred name follow.
    pub alternates: Vec<String>,
}

impl<K> Claim<K> {
    /// A name taken from the model; its first alternate is the name with a
    /// `Value` (camel case) or `_value` (snake case) suffix.
    pub fn model(key: K, preferred: String) -> Self {
        let alternate = if is_camel(&preferred) {
            format!("{preferred}Value")
        } else {
            format!("{}_value", preferred.trim_end_matches('_'))
        };
        Claim {
            key,
            preferred,
            origin: Origin::Model,
            alternates: vec![alternate],
        }
    }

    /// A name the generator derives; it is numbered when taken.
    pub fn derived(key: K, preferred: String) -> Self {
        Claim {
            key,
            preferred,
            origin: Origin::Derived,
            alternates: Vec::new(),
        }
    }

    /// Tries `alternate` before the numbered forms.
    pub fn or(mut self, alternate: String) -> Self {
        self.alternates.push(alternate);
        self
    }
}

fn is_camel(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
}

/// The names already taken in one Rust namespace (a module's types, an
/// enum's variants, a type's methods, a structure's fields, ...).
#[derive(Debug, Clone, Default)]
pub struct Namespace {
    taken: HashSet<String>,
}

impl Namespace {
    /// A namespace in which `reserved` are already taken.
    pub fn new(reserved: &[&str]) -> Self {
        Namespace {
            taken: reserved.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// True when `name` is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// Resolves a batch of claims: model names in key order, then derived
    /// names in key order; each gets its preferred name if free, else its
    /// first free alternate, else a numbered form.
    pub fn claim_all<K: Ord + Clone>(
        &mut self,
        claims: impl IntoIterator<Item = Claim<K>>,
    ) -> BTreeMap<K, String> {
        let mut claims: Vec<Claim<K>> = claims.into_iter().collect();
        claims.sort_by(|a, b| a.origin.cmp(&b.origin).then_with(|| a.key.cmp(&b.key)));
        let mut names = BTreeMap::new();
        // First round: every claim whose preferred name is free gets it, so
        // a model name is never pushed aside by another claim's alternate.
        let mut losers = Vec::new();
        for claim in claims {
            if self.taken.insert(claim.preferred.clone()) {
                names.insert(claim.key.clone(), claim.preferred.clone());
            } else {
                losers.push(claim);
            }
        }
        for claim in losers {
            let name = self.first_free(&claim);
            names.insert(claim.key, name);
        }
        names
    }

    /// Resolves a single claim now.
    pub fn claim<K: Ord + Clone>(&mut self, claim: Claim<K>) -> String {
        let key = claim.key.clone();
        self.claim_all([claim]).remove(&key).unwrap_or_default()
    }

    fn first_free<K>(&mut self, claim: &Claim<K>) -> String {
        for alternate in &claim.alternates {
            if self.taken.insert(alternate.clone()) {
                return alternate.clone();
            }
        }
        // Numbered forms of the last alternate (or of the preferred name).
        let base = claim.alternates.last().unwrap_or(&claim.preferred);
        let separator = if is_camel(base) { "" } else { "_" };
        (2..)
            .map(|n| format!("{}{separator}{n}", base.trim_end_matches('_')))
            .find(|name| self.taken.insert(name.clone()))
            .expect("some number is free")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_conversion_escapes_keywords_and_oddities() {
        assert_eq!(ident(&snake("type")).to_string(), "r#type");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("FooBar"), "foo_bar");
        assert_eq!(snake("ARN"), "arn");
        assert_eq!(snake("123abc"), "_123abc");
        assert_eq!(snake("-"), "value");
        assert_eq!(camel("myShape"), "MyShape");
        assert_eq!(camel("FOO_BAR"), "FooBar");
        assert_eq!(camel("1foo"), "N1foo");
        assert_eq!(camel(""), "Value");
        assert_eq!(camel("self"), "SelfValue");
        assert_eq!(stem("Self"), "self");
    }

    #[test]
    fn reserved_names_win_then_model_names_then_derived_ones() {
        let mut variants = Namespace::new(&[UNKNOWN]);
        let names = variants.claim_all([
            Claim::model("a-Unknown", camel("Unknown")),
            Claim::model("b-UnknownValue", camel("UnknownValue")),
        ]);
        assert_eq!(names["a-Unknown"], "UnknownValue2");
        assert_eq!(names["b-UnknownValue"], "UnknownValue");

        let mut types = Namespace::new(RESERVED_TYPES);
        let names = types.claim_all([
            Claim::model("Foo", "Foo".to_owned()),
            Claim::derived("Foo builder", "FooBuilder".to_owned()),
            Claim::model("FooBuilder", "FooBuilder".to_owned()),
            Claim::model("Result", "Result".to_owned()),
        ]);
        assert_eq!(names["FooBuilder"], "FooBuilder");
        assert_eq!(names["Foo builder"], "FooBuilder2");
        assert_eq!(names["Result"], "ResultValue");
    }

    #[test]
    fn claims_are_independent_of_their_order() {
        let claims = || {
            vec![
                Claim::model(1, snake("fooBar")),
                Claim::model(2, snake("foo_bar")),
                Claim::derived(3, "set_foo".to_owned()),
                Claim::model(4, snake("set_foo")),
            ]
        };
        let forward = Namespace::default().claim_all(claims());
        let backward = Namespace::default().claim_all(claims().into_iter().rev());
        assert_eq!(forward, backward);
        assert_eq!(forward[&1], "foo_bar");
        assert_eq!(forward[&2], "foo_bar_value");
        assert_eq!(forward[&3], "set_foo_2");
        assert_eq!(forward[&4], "set_foo");
    }

    #[test]
    fn appenders_are_singular() {
        for (plural, one) in [
            ("tags", "tag"),
            ("entries", "entry"),
            ("addresses", "address"),
            ("branches", "branch"),
            ("boxes", "box"),
            ("attribute_values", "attribute_value"),
            ("status", "status"),
            ("data", "data"),
            ("ids", "id"),
            ("is", "is"),
        ] {
            assert_eq!(singular(plural), one, "{plural}");
        }
    }
}
