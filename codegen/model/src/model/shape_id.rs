//! Absolute shape ids (`namespace#Name` or `namespace#Name$member`).
//!
//! A [`ShapeId`] is always absolute and syntactically valid: the only ways to
//! build one check the text. Relative ids exist only inside the loader, which
//! resolves them before anything else sees them.

use std::fmt;
use std::sync::Arc;

/// An absolute Smithy shape id, e.g. `smithy.api#String` or `ex#Foo$bar`.
///
/// Equality, ordering and hashing are those of the id's text, so maps keyed
/// by `ShapeId` iterate in a stable, human-predictable order and can be
/// looked up by `&str` (`traits.get("smithy.api#required")`, or with the
/// constants of [`crate::model::traits`]).
///
/// The text is shared: cloning an id, which the loader and the generator do
/// for every reference, costs a reference count, not an allocation.
///
/// An id is the shared text and the positions of its `#` and `$` (`0` for
/// none: no id starts with `$`), 24 bytes on 64-bit targets. Models hold
/// hundreds of thousands of ids, so their size is much of the model's.
#[derive(Clone)]
pub struct ShapeId {
    text: Arc<str>,
    hash: u32,
    dollar: u32,
}

/// Why a string is not an absolute shape id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a valid absolute shape id")]
pub struct InvalidShapeId(pub String);

impl ShapeId {
    /// Parses an absolute shape id, with or without a member part.
    pub fn parse(text: &str) -> Result<Self, InvalidShapeId> {
        let bad = || InvalidShapeId(text.to_owned());
        if u32::try_from(text.len()).is_err() {
            return Err(bad());
        }
        let hash = text.find('#').ok_or_else(bad)?;
        let (ns, rest) = (&text[..hash], &text[hash + 1..]);
        if !ns.split('.').all(is_identifier) {
            return Err(bad());
        }
        let dollar = match rest.find('$') {
            Some(d) => {
                if !is_identifier(&rest[..d]) || !is_identifier(&rest[d + 1..]) {
                    return Err(bad());
                }
                hash + 1 + d
            }
            None if is_identifier(rest) => 0,
            None => return Err(bad()),
        };
        Ok(ShapeId {
            text: text.into(),
            hash: u32::try_from(hash).map_err(|_| bad())?,
            dollar: u32::try_from(dollar).map_err(|_| bad())?,
        })
    }

    /// Builds `namespace#name`, checking both parts.
    pub fn from_parts(namespace: &str, name: &str) -> Result<Self, InvalidShapeId> {
        let hash = u32::try_from(namespace.len());
        let fits = u32::try_from(namespace.len() + 1 + name.len()).is_ok();
        if !namespace.split('.').all(is_identifier) || !is_identifier(name) || !fits {
            return Err(InvalidShapeId(format!("{namespace}#{name}")));
        }
        Ok(ShapeId {
            text: joined(&[namespace, "#", name]),
            hash: hash.unwrap_or_default(),
            dollar: 0,
        })
    }

    /// The namespace, e.g. `smithy.api`.
    pub fn namespace(&self) -> &str {
        &self.text[..self.hash as usize]
    }

    /// Where the member part's `$` is, if there is one.
    fn dollar(&self) -> Option<usize> {
        (self.dollar != 0).then_some(self.dollar as usize)
    }

    /// The shape name without namespace or member, e.g. `String`.
    pub fn name(&self) -> &str {
        &self.text[self.hash as usize + 1..self.dollar().unwrap_or(self.text.len())]
    }

    /// The member name, if this id names a member.
    pub fn member(&self) -> Option<&str> {
        self.dollar().map(|d| &self.text[d + 1..])
    }

    /// The id of the root shape (drops the member part).
    pub fn root(&self) -> ShapeId {
        match self.dollar() {
            Some(d) => ShapeId {
                text: self.text[..d].into(),
                hash: self.hash,
                dollar: 0,
            },
            None => self.clone(),
        }
    }

    /// The id of member `name` of this (root) shape.
    pub fn with_member(&self, name: &str) -> ShapeId {
        let end = self.dollar().unwrap_or(self.text.len());
        ShapeId {
            text: joined(&[&self.text[..end], "$", name]),
            hash: self.hash,
            // `end` is within `self`, whose positions fit `u32` (the
            // constructors check the whole text; a root is no longer). The
            // member name is not counted: it follows the last position.
            dollar: u32::try_from(end).unwrap_or(self.hash),
        }
    }

    /// The full text of the id.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Where the id's text is in memory: ids that are clones of one another
    /// share it. While both live, two ids at the same address are equal,
    /// which lets a pass over a model remember what it looked up for an id
    /// without hashing its text again. (Equal ids built apart have
    /// different addresses.)
    pub(crate) fn text_addr(&self) -> usize {
        self.text.as_ptr() as usize
    }

    /// True for shapes in the `smithy.api` prelude namespace.
    pub fn is_prelude(&self) -> bool {
        self.namespace() == crate::model::PRELUDE_NAMESPACE
    }
}

/// `parts` joined, in one allocation: an id's text is put together in a
/// buffer each thread keeps, then copied once to where it is shared from.
/// (Going through a `String` of its own would allocate twice.) The loader
/// builds an id for every member of a model this way.
fn joined(parts: &[&str]) -> Arc<str> {
    thread_local! {
        static BUFFER: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    let join = |buffer: &mut String| {
        buffer.clear();
        parts.iter().for_each(|part| buffer.push_str(part));
        let text = Arc::from(buffer.as_str());
        // A rare huge id is not kept alive in the buffer.
        buffer.shrink_to(256);
        text
    };
    // While the thread is being torn down the buffer may be gone: a
    // buffer of its own does then.
    BUFFER
        .try_with(|buffer| buffer.try_borrow_mut().ok().map(|mut b| join(&mut b)))
        .ok()
        .flatten()
        .unwrap_or_else(|| join(&mut String::new()))
}

/// True when `s` is a Smithy identifier (`_*[A-Za-z0-9]` start, then `[A-Za-z0-9_]*`).
pub fn is_identifier(s: &str) -> bool {
    let bytes = s.as_bytes();
    let lead = bytes.iter().take_while(|b| **b == b'_').count();
    match bytes.get(lead) {
        None => false,
        Some(b) if lead == 0 && !b.is_ascii_alphabetic() => false,
        Some(b) if !b.is_ascii_alphanumeric() => false,
        _ => bytes[lead..]
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'_'),
    }
}

// `hash` and `dollar` are derived from `text`, so comparing the text alone
// is the same comparison, and agrees with `str`'s as `Borrow` requires.
// The loader shares a defined shape's text with the references it resolves
// to that shape, so equal ids are usually the same allocation: that is
// checked first.
impl PartialEq for ShapeId {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.text, &other.text) || self.text == other.text
    }
}

impl Eq for ShapeId {}

impl PartialOrd for ShapeId {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for ShapeId {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.text.cmp(&other.text)
    }
}

impl std::hash::Hash for ShapeId {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.text.hash(state);
    }
}

impl std::borrow::Borrow<str> for ShapeId {
    fn borrow(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for ShapeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for ShapeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ShapeId({})", self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_parts() {
        let id = ShapeId::parse("a.b#C$d").unwrap();
        assert_eq!(
            (id.namespace(), id.name(), id.member()),
            ("a.b", "C", Some("d"))
        );
        assert_eq!(id.root().as_str(), "a.b#C");
        assert_eq!(id.root().with_member("e").as_str(), "a.b#C$e");
    }

    #[test]
    fn looks_up_by_text() {
        let mut map = std::collections::BTreeMap::new();
        map.insert(ShapeId::parse("a#B").unwrap(), 1);
        map.insert(ShapeId::parse("a#A$m").unwrap(), 2);
        assert_eq!(map.get("a#B"), Some(&1));
        assert_eq!(map.get("a#A$m"), Some(&2));
        assert_eq!(map.get("a#C"), None);
        let mut set = std::collections::HashSet::new();
        set.insert(ShapeId::parse("a#B").unwrap());
        assert!(set.contains("a#B"));
    }

    #[test]
    fn is_small() {
        assert!(std::mem::size_of::<ShapeId>() <= 24);
    }

    #[test]
    fn rejects_bad_ids() {
        for bad in ["C", "#C", "a#", "a#C$", "a..b#C", "a#1C", "a#_", "a#C$d$e"] {
            assert!(ShapeId::parse(bad).is_err(), "{bad}");
        }
        assert!(ShapeId::parse("a#_1").is_ok());
    }
}
