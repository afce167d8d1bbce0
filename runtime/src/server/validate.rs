//! Checking a request's input against the model's constraint traits
//! (`@required`, `@length`, `@range`, `@pattern`, `@uniqueItems`, enum
//! values; spec: "Constraint traits") before its handler runs. Generated
//! servers walk the request's document for `@required` members it left out
//! (a typed input cannot be built without them; when any is missing, only
//! those are reported), then the typed input for the rest, and report each
//! violation here with the JSON pointer of the value (`/items/0/name`); the
//! messages are the ones Smithy's validation compliance cases expect
//! (`Value at '/name' failed to satisfy constraint: ...`).

use std::collections::{HashMap, HashSet};
use std::hash::Hash;
use std::sync::{OnceLock, RwLock};

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

/// The violations found in one input: the first [`Violations::LIMIT`]
/// kept, the rest counted (an input of a million bad items must not make a
/// response a hundred times its size).
#[derive(Debug, Default)]
pub struct Violations {
    list: Vec<Violation>,
    more: usize,
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
    /// How many violations are kept.
    pub const LIMIT: usize = 100;

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

    /// One message for them all: `N validation error(s) detected. ...`,
    /// with the kept violations' messages.
    pub fn message(&self) -> String {
        let n = self.list.len() + self.more;
        let messages: Vec<&str> = self.list.iter().map(|v| v.message.as_str()).collect();
        let more = if self.more > 0 {
            format!(" (and {} more)", self.more)
        } else {
            String::new()
        };
        format!(
            "{n} validation error{} detected. {}{more}",
            if n == 1 { "" } else { "s" },
            messages.join("; ")
        )
    }

    fn push(&mut self, path: String, message: String) {
        self.push_with(&path, move || message);
    }

    /// Records a violation, making its message only when it is kept.
    fn push_with(&mut self, path: &str, message: impl FnOnce() -> String) {
        if self.list.len() < Self::LIMIT {
            let message = message();
            self.list.push(Violation {
                path: path.to_owned(),
                message,
            });
        } else {
            self.more += 1;
        }
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

    /// `@range` on a `float` member: as [`Violations::range`], with the
    /// bounds rounded to `f32` as the values are (a value equal to a bound
    /// passes) and written as the model writes them (`2.2`, not
    /// `2.200000047683716`).
    pub fn range_f32(&mut self, value: f32, min: Option<f32>, max: Option<f32>, path: &str) {
        let (value, lower, upper) = (f64::from(value), min.map(f64::from), max.map(f64::from));
        if value.is_nan() || outside(value, lower, upper) {
            let bounds = match (min, max) {
                (Some(min), Some(max)) => format!("between {min} and {max}, inclusive"),
                (Some(min), None) => format!("greater than or equal to {min}"),
                (None, Some(max)) => format!("less than or equal to {max}"),
                (None, None) => String::from("anything"),
            };
            let message =
                format!("Value at '{path}' failed to satisfy constraint: Member must be {bounds}");
            self.push(path.to_owned(), message);
        }
    }

    /// `@pattern`: `value` must contain a match of `pattern`, at `path`.
    /// `pattern` is the model's (ECMA 262) and the engine's form of it
    /// (fancy-regex syntax, as generation writes it: the ASCII `\d` and
    /// `\w` spelled out). Generation refuses patterns the engine cannot
    /// compile; one that does not compile here rejects every value, as
    /// does a match that gives up (its backtracking limit).
    pub fn pattern(
        &mut self,
        value: &str,
        (pattern, engine): (&'static str, &'static str),
        path: &str,
    ) {
        if !compiled(engine).is_some_and(|regex| regex.is_match(value).unwrap_or(false)) {
            let message = format!(
                "Value at '{path}' failed to satisfy constraint: Member must satisfy regular expression pattern: {pattern}"
            );
            self.push(path.to_owned(), message);
        }
    }

    /// A `@required` member the request left out (or sent as null), at
    /// `path`.
    pub fn required(&mut self, path: &str) {
        self.push_with(path, || {
            format!("Value at '{path}' failed to satisfy constraint: Member must not be null")
        });
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

    /// The most items of a list whose items can only be compared that
    /// [`Violations::unique`] checks: comparing each with each, a list of
    /// more would let one request keep a core busy for seconds.
    pub const UNIQUE_COMPARED_LIMIT: usize = 2_000;

    /// `@uniqueItems` of a list whose items can only be compared
    /// (structures, unions, documents): quadratic in its length, so a
    /// longer list than [`Violations::UNIQUE_COMPARED_LIMIT`] is a
    /// violation of its own.
    pub fn unique<T: PartialEq>(&mut self, items: &[T], path: &str) {
        if items.len() > Self::UNIQUE_COMPARED_LIMIT {
            let message = format!(
                "Value with length {} at '{path}' failed to satisfy constraint: Member must have unique values, \
                 checked for lists of at most {} items",
                items.len(),
                Self::UNIQUE_COMPARED_LIMIT
            );
            self.push(path.to_owned(), message);
            return;
        }
        let duplicate = items
            .iter()
            .enumerate()
            .any(|(i, a)| items.iter().skip(i + 1).any(|b| a == b));
        if duplicate {
            self.not_unique(path);
        }
    }

    /// `@uniqueItems` of a list of floats, compared by value (`0.0` and
    /// `-0.0` are one value, as are all NaNs).
    pub fn unique_floats(&mut self, items: impl Iterator<Item = f64>, path: &str) {
        let mut seen = HashSet::new();
        let canonical = |f: f64| {
            if f.is_nan() {
                f64::NAN.to_bits()
            } else if f == 0.0 {
                0
            } else {
                f.to_bits()
            }
        };
        if !items.map(canonical).all(|bits| seen.insert(bits)) {
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

/// `key` as a JSON pointer segment (RFC 6901: `~` as `~0`, `/` as `~1`).
pub fn escape(key: &str) -> std::borrow::Cow<'_, str> {
    if key.contains(['~', '/']) {
        key.replace('~', "~0").replace('/', "~1").into()
    } else {
        key.into()
    }
}

/// `pattern` compiled once per process (`None` when it does not compile;
/// generation refuses such patterns, so only a hand-written caller meets
/// it). Compiled patterns are leaked: a program has a fixed set, the ones
/// in its generated code.
fn compiled(pattern: &'static str) -> Option<&'static fancy_regex::Regex> {
    type Cache = RwLock<HashMap<&'static str, Option<&'static fancy_regex::Regex>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(found) = cache
        .read()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .get(pattern)
    {
        return *found;
    }
    let mut cache = cache
        .write()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    *cache.entry(pattern).or_insert_with(|| {
        fancy_regex::Regex::new(pattern)
            .ok()
            .map(|regex| &*Box::leak(Box::new(regex)))
    })
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
        v.pattern("xyz", ("^[a-m]+$", "^[a-m]+$"), "/pattern");
        v.enumeration(&["abc", "def"], "/enum");
        v.unique_hashed(&["a", "b", "a"], "/list");
        v.unique_floats([1.5, 2.5, 1.5].into_iter(), "/floats");
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
        v.pattern("abc", ("^[a-m]+$", "^[a-m]+$"), "/c");
        v.unique_hashed(&[1, 2, 3], "/d");
        v.unique(&[1.0, 2.0], "/e");
        v.unique_floats([0.5, 1.5].into_iter(), "/f");
        assert!(v.is_empty(), "{v:?}");
    }
}

#[cfg(test)]
mod limits {
    use super::*;

    #[test]
    fn violations_are_counted_beyond_the_limit() {
        let mut v = Violations::new();
        for i in 0..Violations::LIMIT + 5 {
            v.length(0, Some(1.0), None, &format!("/items/{i}"));
        }
        assert_eq!(v.iter().count(), Violations::LIMIT);
        assert!(v.message().starts_with("105 validation errors detected."));
        assert!(v.message().ends_with("(and 5 more)"));
    }

    #[test]
    fn long_lists_are_not_compared_each_with_each() {
        let mut v = Violations::new();
        let items = vec![(); Violations::UNIQUE_COMPARED_LIMIT + 1];
        v.unique(&items, "/units");
        assert_eq!(v.iter().count(), 1);
        let mut v = Violations::new();
        v.unique_floats([0.0, -0.0].into_iter(), "/zeros");
        assert_eq!(v.iter().count(), 1, "0.0 and -0.0 are one value");
    }

    #[test]
    fn keys_are_escaped_as_pointer_segments() {
        assert_eq!(escape("a/b~c"), "a~1b~0c");
        assert_eq!(escape("plain"), "plain");
    }
}
