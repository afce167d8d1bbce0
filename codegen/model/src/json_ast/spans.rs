//! Where things are in a JSON AST file, and which bundled namespaces it
//! names: one linear pass over the text.
//!
//! serde_json gives values, not positions, and diagnostics need positions.
//! Searching the text for each shape's quoted id made loading quadratic in
//! the file's size (and found a reference to the shape as often as its
//! definition). This scanner walks the document's structure once and records
//! the byte range of the keys a diagnostic points at: the `smithy` version,
//! each `metadata` key, each key of `shapes`, and each member of those shapes
//! (`members` entries, and a list's `member` or a map's `key` and `value`).
//!
//! The pass steps over every string of the file, so it also notes each one
//! that starts with a shape id in a bundled namespace
//! ([`Namespaces::add_reference`]): a reference, a definition, or an
//! `idRef` trait value, all of which need that namespace's built-in files.
//!
//! It runs beside serde_json's parse, on text that may not be JSON at all:
//! on anything unexpected it stops recording and returns what it has, and a
//! missing position only makes a diagnostic point at the file start (a
//! text it could not finish names every bundled namespace, to be safe).

use foldhash::HashMap;
use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::ops::Range;

use crate::loader::builtin::{LONGEST_NAMESPACE, Namespaces};

/// The recorded positions; keys are the decoded JSON strings, borrowed
/// from the text unless they hold escapes.
#[derive(Debug, Default)]
pub(super) struct SpanIndex<'t> {
    /// The `smithy` version's value.
    pub(super) version: Option<Range<usize>>,
    /// Each `metadata` key.
    pub(super) metadata: HashMap<Cow<'t, str>, Range<usize>>,
    /// Each shape's key in `shapes`, with its members' keys.
    pub(super) shapes: HashMap<Cow<'t, str>, ShapeSpans<'t>>,
    /// True when a key of `shapes` appears twice.
    pub(super) repeated_shape: bool,
    /// The bundled namespaces the file's strings name.
    pub(super) names: Namespaces,
}

/// Positions within one shape.
#[derive(Debug, Default)]
pub(super) struct ShapeSpans<'t> {
    /// The shape id's key.
    pub(super) key: Range<usize>,
    /// Each member's key.
    pub(super) members: HashMap<Cow<'t, str>, Range<usize>>,
}

/// Indexes `text`, a JSON AST document.
pub(super) fn index(text: &str) -> SpanIndex<'_> {
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        text,
        pos: 0,
        out: SpanIndex::default(),
    };
    // `None` means the text was not what was expected; keep what was found.
    let finished = scanner.object(|scanner, key, _| match key.as_ref() {
        "smithy" => {
            scanner.peek()?;
            let start = scanner.pos;
            scanner.skip()?;
            scanner.out.version = Some(start..scanner.pos);
            Some(())
        }
        "metadata" => scanner.object(|scanner, key, range| {
            scanner.out.metadata.insert(key.clone(), range);
            scanner.skip()
        }),
        "shapes" => scanner.object(|scanner, id, range| {
            let shape = scanner.out.shapes.entry(id.clone());
            scanner.out.repeated_shape |= matches!(shape, Entry::Occupied(_));
            shape.or_default().key = range;
            scanner.shape_body(id)
        }),
        _ => scanner.skip(),
    });
    if finished.is_none() {
        scanner.out.names = Namespaces::ALL;
    }
    scanner.out
}

struct Scanner<'t> {
    bytes: &'t [u8],
    text: &'t str,
    pos: usize,
    out: SpanIndex<'t>,
}

impl<'t> Scanner<'t> {
    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_ws();
        self.bytes.get(self.pos).copied()
    }

    /// Reads a string at the cursor: its range (quotes included) and its
    /// decoded text.
    fn string(&mut self) -> Option<(Range<usize>, Cow<'t, str>)> {
        let (range, escaped) = self.string_range()?;
        let raw = self.text.get(range.clone())?;
        let decoded = if escaped {
            Cow::Owned(serde_json::from_str::<String>(raw).ok()?)
        } else {
            Cow::Borrowed(raw.get(1..raw.len() - 1)?)
        };
        Some((range, decoded))
    }

    /// Steps over a string at the cursor: its range (quotes included), and
    /// whether it has escapes.
    fn string_range(&mut self) -> Option<(Range<usize>, bool)> {
        let start = self.pos;
        if self.bytes.get(start) != Some(&b'"') {
            return None;
        }
        let mut i = start + 1;
        let mut escaped = false;
        loop {
            // Documentation makes most of a model's text: jump to the next
            // quote or backslash rather than stepping byte by byte.
            i += memchr::memchr2(b'"', b'\\', self.bytes.get(i..)?)?;
            match *self.bytes.get(i)? {
                b'"' => break,
                _ => {
                    escaped = true;
                    i += 2;
                }
            }
        }
        self.pos = i + 1;
        let content = self.text.get(start + 1..i)?;
        // `add_reference` reads no further than a namespace's length and
        // the `#`: escapes past that change nothing it sees.
        let seen = &content.as_bytes()[..content.len().min(LONGEST_NAMESPACE + 1)];
        if escaped && memchr::memchr(b'\\', seen).is_some() {
            // A shape id spelt with escapes: decode it to see. (A string
            // that does not decode is the parse's to report.)
            let quoted = self.text.get(start..i + 1)?;
            if let Ok(decoded) = serde_json::from_str::<String>(quoted) {
                self.out.names.add_reference(&decoded);
            }
        } else {
            self.out.names.add_reference(content);
        }
        Some((start..i + 1, escaped))
    }

    /// Skips one value of no interest: a scalar, or a whole array or object
    /// by counting brackets outside strings.
    fn skip(&mut self) -> Option<()> {
        let mut depth = 0usize;
        loop {
            match self.peek()? {
                b'"' => {
                    self.string_range()?;
                }
                b'{' | b'[' => {
                    depth += 1;
                    self.pos += 1;
                }
                b'}' | b']' => {
                    depth = depth.checked_sub(1)?;
                    self.pos += 1;
                }
                b',' | b':' => self.pos += 1,
                _ => {
                    // A number, `true`, `false` or `null`.
                    while let Some(b) = self.bytes.get(self.pos) {
                        if matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                            break;
                        }
                        self.pos += 1;
                    }
                }
            }
            if depth == 0 {
                return Some(());
            }
        }
    }

    /// Reads a shape's object, recording its members' keys.
    fn shape_body(&mut self, id: &str) -> Option<()> {
        self.object(|scanner, key, range| match key.as_ref() {
            "members" => scanner.object(|scanner, name, range| {
                scanner.record_member(id, name.clone(), range);
                scanner.skip()
            }),
            "member" | "key" | "value" => {
                scanner.record_member(id, key.clone(), range);
                scanner.skip()
            }
            _ => scanner.skip(),
        })
    }

    fn record_member(&mut self, id: &str, name: Cow<'t, str>, range: Range<usize>) {
        if let Some(shape) = self.out.shapes.get_mut(id) {
            shape.members.insert(name, range);
        }
    }

    /// Reads an object at the cursor, calling `entry` with each key (and its
    /// range) with the cursor at its value; `entry` must consume the value.
    /// Anything but an object is skipped.
    fn object(
        &mut self,
        mut entry: impl FnMut(&mut Self, &Cow<'t, str>, Range<usize>) -> Option<()>,
    ) -> Option<()> {
        if self.peek()? != b'{' {
            return self.skip();
        }
        self.pos += 1;
        if self.peek()? == b'}' {
            self.pos += 1;
            return Some(());
        }
        loop {
            self.skip_ws();
            let (range, key) = self.string()?;
            if self.peek()? != b':' {
                return None;
            }
            self.pos += 1;
            entry(self, &key, range)?;
            match self.peek()? {
                b',' => self.pos += 1,
                b'}' => {
                    self.pos += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::index;

    #[test]
    fn finds_definitions_not_references() {
        let text = r#"{
  "smithy": "2.0",
  "metadata": {"a": 1, "b\u0041": [1, {"x": 2}]},
  "shapes": {
    "ex#User": {"type": "structure", "members": {"other": {"target": "ex#Thing"}}},
    "ex#Thing": {"type": "list", "member": {"target": "smithy.api#String"}, "traits": {"t#a": {"members": 1}}}
  }
}"#;
        let spans = index(text);
        let at = |r: &std::ops::Range<usize>| &text[r.clone()];
        assert_eq!(at(spans.version.as_ref().unwrap()), r#""2.0""#);
        assert_eq!(at(&spans.metadata["a"]), r#""a""#);
        assert_eq!(at(&spans.metadata["bA"]), r#""b\u0041""#);
        let thing = &spans.shapes["ex#Thing"];
        // The definition's key, after the reference in `ex#User`.
        assert_eq!(at(&thing.key), r#""ex#Thing""#);
        assert!(thing.key.start > text.find("ex#Thing").unwrap());
        assert_eq!(at(&thing.members["member"]), r#""member""#);
        // Keys inside traits are not members.
        assert_eq!(thing.members.len(), 1);
        assert_eq!(at(&spans.shapes["ex#User"].members["other"]), r#""other""#);
        assert!(!spans.repeated_shape);
        assert!(index(r#"{"shapes": {"a#B": {}, "a#B": {}}}"#).repeated_shape);
    }

    /// Every string that starts with a bundled namespace's shape id names
    /// it, escaped or not, wherever it is; a text it cannot finish names
    /// them all.
    #[test]
    fn notes_the_bundled_namespaces_strings_name() {
        use crate::loader::builtin::Namespaces;
        let names = |text: &str| index(text).names;
        let mut expected = Namespaces::PRELUDE;
        expected.add_namespace("aws.iam");
        expected.add_namespace("smithy.test");
        let text = r#"{"smithy": "2.0", "shapes": {"ex#A": {"type": "operation", "traits": {
            "aws.iam#actionName": "A",
            "ex#t": {"ref": ["x", "smithy.test\u0023httpRequestTests"]},
            "smithy.api#documentation": "see aws.protocols#restJson1"}}}}"#;
        assert_eq!(names(text), expected);
        assert_eq!(
            names(r#"{"shapes": {"ex#A": {"type": "string"}}}"#),
            Namespaces::PRELUDE
        );
        assert_eq!(names(r#"{"shapes": {"aws.iam#A": "#), Namespaces::ALL);
    }

    #[test]
    fn keeps_what_it_found_in_broken_text() {
        for text in [
            "",
            "{",
            r#"{"shapes": {"a#B": {"members": {"x""#,
            "[1, 2]",
            r#"{"a": "\"#,
        ] {
            let _ = index(text);
        }
        let spans = index(r#"{"shapes": {"a#B": {}, "a#C": "#);
        assert!(spans.shapes.contains_key("a#B"));
    }
}
