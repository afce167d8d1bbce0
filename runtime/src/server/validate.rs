//! Checking a request's input against the model's constraint traits
//! (`@length`, `@range`, `@pattern`, `@uniqueItems`, enum values; spec:
//! "Constraint traits") before its handler runs. Generated servers walk the
//! input and report each violation here, with the JSON pointer of the value
//! (`/items/0/name`); the messages are the ones Smithy's validation
//! compliance cases expect (`Value at '/name' failed to satisfy constraint:
//! ...`).

use std::collections::HashSet;
use std::hash::Hash;
use std::sync::{Mutex, OnceLock};

/// One value that breaks a constraint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    path: String,
    message: String,
}

impl Violation {
    /// The JSON pointer of the value in the input (`/items/0/name`).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What is wrong with it.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// The violations found in one input.
#[derive(Debug, Default)]
pub struct Violations {
    list: Vec<Violation>,
}

fn between(min: Option<f64>, max: Option<f64>) -> String {
    match (min, max) {
        (Some(min), Some(max)) => format!("between {min} and {max}, inclusive"),
        (Some(min), None) => format!("greater than or equal to {min}"),
        (None, Some(max)) => format!("less than or equal to {max}"),
        (None, None) => String::from("anything"),
    }
}

fn outside(value: f64, min: Option<f64>, max: Option<f64>) -> bool {
    min.is_some_and(|min| value < min) || max.is_some_and(|max| value > max)
}

impl Violations {
    /// No violations yet.
    pub fn new() -> Self {
        Violations::default()
    }

    /// The violations, in the order the input was walked.
    pub fn iter(&self) -> impl Iterator<Item = &Violation> {
        self.list.iter()
    }

    /// True when the input breaks no constraint.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// One message for them all: `N validation error(s) detected. ...`.
    pub fn message(&self) -> String {
        let n = self.list.len();
        let messages: Vec<&str> = self.list.iter().map(|v| v.message.as_str()).collect();
        format!(
            "{n} validation error{} detected. {}",
            if n == 1 { "" } else { "s" },
            messages.join("; ")
        )
    }

    fn push(&mut self, path: String, message: String) {
        self.list.push(Violation { path, message });
    }

    /// `@length` of a value whose length is `len` (characters of a string,
    /// bytes of a blob, entries of a list or map), at `path`.
    pub fn length(&mut self, len: usize, min: Option<f64>, max: Option<f64>, path: &str) {
        if outside(len as f64, min, max) {
            let message = format!(
                "Value with length {len} at '{path}' failed to satisfy constraint: Member must have length {}",
                between(min, max)
            );
            self.push(path.to_owned(), message);
        }
    }

    /// `@range` of a number, at `path`.
    pub fn range(&mut self, value: f64, min: Option<f64>, max: Option<f64>, path: &str) {
        if value.is_nan() || outside(value, min, max) {
            let message = format!(
                "Value at '{path}' failed to satisfy constraint: Member must be {}",
                between(min, max)
            );
            self.push(path.to_owned(), message);
        }
    }

    /// `@pattern`: `value` must contain a match of `pattern`, at `path`. A
    /// pattern the regular expression engine cannot compile rejects
    /// nothing (the model's author hears of it from `tinsmith check`'s
    /// own validation, not the caller).
    pub fn pattern(&mut self, value: &str, pattern: &'static str, path: &str) {
        if let Some(regex) = compiled(pattern)
            && !regex.is_match(value)
        {
            let message = format!(
                "Value at '{path}' failed to satisfy constraint: Member must satisfy regular expression pattern: {pattern}"
            );
            self.push(path.to_owned(), message);
        }
    }

    /// An enum value the model does not define, at `path`.
    pub fn enumeration(&mut self, values: &[&str], path: &str) {
        let message = format!(
            "Value at '{path}' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
            values.join(", ")
        );
        self.push(path.to_owned(), message);
    }

    /// `@uniqueItems` of a list whose items can be hashed, at `path`.
    pub fn unique_hashed<T: Hash + Eq>(&mut self, items: &[T], path: &str) {
        let mut seen = HashSet::with_capacity(items.len());
        if !items.iter().all(|item| seen.insert(item)) {
            self.not_unique(path);
        }
    }

    /// `@uniqueItems` of a list whose items can only be compared (floats,
    /// documents, structures): quadratic in the list's length, which the
    /// request body limit bounds.
    pub fn unique<T: PartialEq>(&mut self, items: &[T], path: &str) {
        let duplicate = items
            .iter()
            .enumerate()
            .any(|(i, a)| items[i + 1..].iter().any(|b| a == b));
        if duplicate {
            self.not_unique(path);
        }
    }

    fn not_unique(&mut self, path: &str) {
        let message = format!(
            "Value at '{path}' failed to satisfy constraint: Member must have unique values"
        );
        self.push(path.to_owned(), message);
    }
}

/// `pattern` compiled once per process (`None` when it does not compile).
fn compiled(pattern: &'static str) -> Option<regex_lite::Regex> {
    type Cache = Mutex<std::collections::HashMap<&'static str, Option<regex_lite::Regex>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = cache
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    cache
        .entry(pattern)
        .or_insert_with(|| regex_lite::Regex::new(pattern).ok())
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_value_and_the_bound() {
        let mut v = Violations::new();
        v.length(1, Some(2.0), Some(8.0), "/string");
        v.range(9.0, Some(2.0), Some(8.0), "/int");
        v.range(1.0, Some(2.0), None, "/min");
        v.pattern("xyz", "^[a-m]+$", "/pattern");
        v.enumeration(&["abc", "def"], "/enum");
        v.unique_hashed(&["a", "b", "a"], "/list");
        v.unique(&[1.5, 2.5, 1.5], "/floats");
        let messages: Vec<&str> = v.iter().map(Violation::message).collect();
        assert_eq!(
            messages,
            [
                "Value with length 1 at '/string' failed to satisfy constraint: Member must have length between 2 and 8, inclusive",
                "Value at '/int' failed to satisfy constraint: Member must be between 2 and 8, inclusive",
                "Value at '/min' failed to satisfy constraint: Member must be greater than or equal to 2",
                "Value at '/pattern' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-m]+$",
                "Value at '/enum' failed to satisfy constraint: Member must satisfy enum value set: [abc, def]",
                "Value at '/list' failed to satisfy constraint: Member must have unique values",
                "Value at '/floats' failed to satisfy constraint: Member must have unique values",
            ]
        );
        assert!(
            v.message()
                .starts_with("7 validation errors detected. Value with length 1")
        );
    }

    #[test]
    fn values_within_bounds_pass() {
        let mut v = Violations::new();
        v.length(2, Some(2.0), Some(8.0), "/a");
        v.range(8.0, Some(2.0), Some(8.0), "/b");
        v.pattern("abc", "^[a-m]+$", "/c");
        v.pattern("anything", "([", "/bad-pattern");
        v.unique_hashed(&[1, 2, 3], "/d");
        v.unique(&[1.0, 2.0], "/e");
        assert!(v.is_empty(), "{v:?}");
    }
}
