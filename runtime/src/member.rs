//! What a builder's setter accepts for a member: its value, something that
//! converts into it, or an `Option` that sets or clears it.
//!
//! Generated builders have one setter per member (`limit`, `name`, `tags`),
//! declared as `fn limit(self, input: impl IntoMember<i64>) -> Self`. One
//! setter takes both forms a caller has at hand:
//!
//! ```
//! # use tinsmith_runtime::IntoMember;
//! # #[derive(Default)] struct Builder { limit: Option<i64>, name: Option<String> }
//! # impl Builder {
//! #     fn limit(mut self, input: impl IntoMember<i64>) -> Self { self.limit = input.into_member(); self }
//! #     fn name(mut self, input: impl IntoMember<String>) -> Self { self.name = input.into_member(); self }
//! # }
//! let from_config: Option<i64> = None;
//! let builder = Builder::default()
//!     .limit(5) // a literal infers the member's type
//!     .name("weather") // a `&str` for a string member
//!     .limit(from_config); // an `Option`: `None` clears the member
//! assert_eq!(builder.limit, None);
//! assert_eq!(builder.name.as_deref(), Some("weather"));
//! ```
//!
//! The conversions are the ones a member's type has (`&str` into `String`,
//! `SystemTime` into [`DateTime`](crate::DateTime), an array into a list or
//! a map), listed on [`IntoMember`]. A generic `T: Into<M>` cannot be one of
//! them: it would overlap with `Option<M>`, and `None` would stop inferring.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::Hash;
use std::time::SystemTime;

use bytes::Bytes;

use crate::{BigDecimal, BigInteger, Blob, ByteStream, DateTime, Document};

/// A value a builder's setter accepts for a member of type `M`: `Some`
/// value to set, or `None` to clear the member.
///
/// Implemented for `M` itself, for `Option<M>`, and for the conversions the
/// member types have: see the implementations below. Generated string
/// enums also take a `&str` (through [`StringEnum`]) and int enums an `i32`
/// (through [`IntEnum`]).
pub trait IntoMember<M> {
    /// The member's new value: `None` clears it.
    fn into_member(self) -> Option<M>;
}

impl<M> IntoMember<M> for M {
    fn into_member(self) -> Option<M> {
        Some(self)
    }
}

impl<M> IntoMember<M> for Option<M> {
    fn into_member(self) -> Option<M> {
        self
    }
}

/// A generated string enum (a Smithy `enum`, or a `string` with
/// `@enum`): a setter of such a member also takes its value as a `&str`,
/// which becomes the variant of that value (or the unknown variant).
/// `String`, [`Blob`] and [`Document`] implement it too, so their members
/// take a `&str` the same way.
pub trait StringEnum: for<'a> From<&'a str> {}

impl<E: StringEnum> IntoMember<E> for &str {
    fn into_member(self) -> Option<E> {
        Some(E::from(self))
    }
}

/// A generated int enum (a Smithy `intEnum`): a setter of such a member
/// also takes its value as an `i32`.
pub trait IntEnum: From<i32> {}

impl<E: IntEnum> IntoMember<E> for i32 {
    fn into_member(self) -> Option<E> {
        Some(E::from(self))
    }
}

/// Conversions by `From`, one `IntoMember` implementation each.
macro_rules! by_from {
    ($($member:ty: $($from:ty),+;)*) => {$($(
        impl IntoMember<$member> for $from {
            fn into_member(self) -> Option<$member> {
                Some(<$member>::from(self))
            }
        }
    )+)*};
}

by_from! {
    String: &String, Box<str>, Cow<'_, str>;
    Blob: Vec<u8>, &[u8];
    DateTime: SystemTime;
    Document: bool, String, i64, f64;
    BigInteger: i64;
    BigDecimal: i64;
    ByteStream: Bytes, Vec<u8>, String, &'static [u8], Blob;
}

// `&str` into a string, blob or document goes through `StringEnum` too:
// one rule for every `&str` conversion. (`Option<&str>` is not accepted:
// beside `Option<M>`, it would leave `None` without one type to infer.)
impl StringEnum for String {}
impl StringEnum for Blob {}
impl StringEnum for Document {}

impl IntoMember<ByteStream> for &'static str {
    fn into_member(self) -> Option<ByteStream> {
        Some(ByteStream::from(self))
    }
}

impl<T: Into<Document>> IntoMember<Document> for Vec<T> {
    fn into_member(self) -> Option<Document> {
        Some(Document::from(self))
    }
}

impl<T, const N: usize> IntoMember<Vec<T>> for [T; N] {
    fn into_member(self) -> Option<Vec<T>> {
        Some(Vec::from(self))
    }
}

impl<T: Clone> IntoMember<Vec<T>> for &[T] {
    fn into_member(self) -> Option<Vec<T>> {
        Some(self.to_vec())
    }
}

impl<K: Eq + Hash, V, const N: usize> IntoMember<HashMap<K, V>> for [(K, V); N] {
    fn into_member(self) -> Option<HashMap<K, V>> {
        Some(HashMap::from(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Stands in for a generated builder.
    #[derive(Default)]
    struct Builder {
        limit: Option<i64>,
        small: Option<i8>,
        ratio: Option<f64>,
        name: Option<String>,
        tags: Option<Vec<String>>,
        labels: Option<HashMap<String, i32>>,
        color: Option<Color>,
        level: Option<Level>,
        body: Option<ByteStream>,
        doc: Option<Document>,
        when: Option<DateTime>,
    }

    impl Builder {
        fn limit(mut self, input: impl IntoMember<i64>) -> Self {
            self.limit = input.into_member();
            self
        }
        fn small(mut self, input: impl IntoMember<i8>) -> Self {
            self.small = input.into_member();
            self
        }
        fn ratio(mut self, input: impl IntoMember<f64>) -> Self {
            self.ratio = input.into_member();
            self
        }
        fn name(mut self, input: impl IntoMember<String>) -> Self {
            self.name = input.into_member();
            self
        }
        fn tags(mut self, input: impl IntoMember<Vec<String>>) -> Self {
            self.tags = input.into_member();
            self
        }
        fn labels(mut self, input: impl IntoMember<HashMap<String, i32>>) -> Self {
            self.labels = input.into_member();
            self
        }
        fn color(mut self, input: impl IntoMember<Color>) -> Self {
            self.color = input.into_member();
            self
        }
        fn level(mut self, input: impl IntoMember<Level>) -> Self {
            self.level = input.into_member();
            self
        }
        fn body(mut self, input: impl IntoMember<ByteStream>) -> Self {
            self.body = input.into_member();
            self
        }
        fn doc(mut self, input: impl IntoMember<Document>) -> Self {
            self.doc = input.into_member();
            self
        }
        fn when(mut self, input: impl IntoMember<DateTime>) -> Self {
            self.when = input.into_member();
            self
        }
    }

    #[derive(Debug, PartialEq)]
    enum Color {
        Red,
        Unknown(String),
    }

    impl From<&str> for Color {
        fn from(value: &str) -> Self {
            match value {
                "RED" => Color::Red,
                other => Color::Unknown(other.to_owned()),
            }
        }
    }

    impl StringEnum for Color {}

    #[derive(Debug, PartialEq)]
    enum Level {
        One,
        Unknown(i32),
    }

    impl From<i32> for Level {
        fn from(value: i32) -> Self {
            match value {
                1 => Level::One,
                other => Level::Unknown(other),
            }
        }
    }

    impl IntEnum for Level {}

    #[test]
    fn literals_infer_the_member_type() {
        let b = Builder::default().limit(5).small(-3).ratio(0.5).level(1);
        assert_eq!(b.limit, Some(5));
        assert_eq!(b.small, Some(-3));
        assert_eq!(b.ratio, Some(0.5));
        assert_eq!(b.level, Some(Level::One));
    }

    #[test]
    fn none_clears_and_some_sets() {
        let b = Builder::default().limit(5).limit(None).name("x").name(None);
        assert_eq!((b.limit, b.name), (None, None));
        let b = Builder::default()
            .limit(Some(7))
            .color(Some(Color::Red))
            .name(Some(String::from("y")));
        assert_eq!(b.limit, Some(7));
        assert_eq!(b.color, Some(Color::Red));
        assert_eq!(b.name.as_deref(), Some("y"));
    }

    #[test]
    fn strings_convert_from_what_string_does() {
        let owned = String::from("owned");
        let b = Builder::default().name(&owned);
        assert_eq!(b.name.as_deref(), Some("owned"));
        let b = b.name(Cow::Borrowed("cow")).color("BLUE");
        assert_eq!(b.name.as_deref(), Some("cow"));
        assert_eq!(b.color, Some(Color::Unknown("BLUE".into())));
        assert_eq!(Builder::default().color("RED").color, Some(Color::Red));
    }

    #[test]
    fn arrays_become_lists_and_maps() {
        let b = Builder::default()
            .tags([String::from("a"), String::from("b")])
            .labels([(String::from("k"), 1)]);
        assert_eq!(b.tags.unwrap(), ["a", "b"]);
        assert_eq!(b.labels.unwrap()["k"], 1);
        let slice: &[String] = &[String::from("c")];
        assert_eq!(Builder::default().tags(slice).tags.unwrap(), ["c"]);
    }

    #[test]
    fn runtime_types_convert_as_their_from_does() {
        let b = Builder::default()
            .body("static text")
            .doc(true)
            .when(SystemTime::UNIX_EPOCH);
        assert!(b.body.is_some());
        assert_eq!(b.doc, Some(Document::Bool(true)));
        assert_eq!(b.when.unwrap().secs(), 0);
        assert_eq!(
            Builder::default().doc(vec![1i64, 2]).doc,
            Some(Document::from(vec![1i64, 2]))
        );
    }
}
