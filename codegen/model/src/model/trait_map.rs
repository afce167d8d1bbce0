//! [`Traits`]: the traits applied to one shape or member, as a small map
//! kept sorted by trait id.
//!
//! Most shapes and members carry one to four traits, and a model has tens
//! of thousands of them. A `BTreeMap` allocates a node of eleven slots for
//! each; a sorted `Vec` holds exactly what is applied, so building, looking
//! up and dropping the traits of a large model costs a fraction of the
//! allocation. The API follows `BTreeMap`'s, with the same meaning:
//! iteration is in id order, lookups take the id or its text
//! (`traits.get("smithy.api#required")`), a later value replaces an earlier
//! one. Building from many traits at once sorts them once, so no input
//! order makes it quadratic.

use std::borrow::Borrow;

use super::{ShapeId, Trait};

/// Up to this many traits, lookups scan rather than search.
const LINEAR_MAX: usize = 8;

/// The traits applied to a shape or member, by trait shape id, in id order.
#[derive(Clone, Default)]
pub struct Traits {
    entries: Vec<(ShapeId, Trait)>,
}

impl std::fmt::Debug for Traits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl Traits {
    /// No traits.
    pub const fn new() -> Self {
        Traits {
            entries: Vec::new(),
        }
    }

    /// The traits `entries` holds, already in id order with no id twice.
    pub(crate) fn from_sorted(entries: Vec<(ShapeId, Trait)>) -> Self {
        debug_assert!(entries.windows(2).all(|w| w[0].0 < w[1].0));
        Traits { entries }
    }

    /// Where `id` is, or would be inserted to keep the order.
    fn position<Q>(&self, id: &Q) -> Result<usize, usize>
    where
        ShapeId: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.entries
            .binary_search_by(|(key, _)| Borrow::<Q>::borrow(key).cmp(id))
    }

    /// Where `id` is. Most shapes and members have a few traits, whose ids
    /// share a long prefix (`smithy.api#`): comparing them for equality,
    /// which a length mismatch settles at once, beats ordering them.
    fn find<Q>(&self, id: &Q) -> Option<usize>
    where
        ShapeId: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        if self.entries.len() <= LINEAR_MAX {
            self.entries
                .iter()
                .position(|(key, _)| Borrow::<Q>::borrow(key) == id)
        } else {
            self.position(id).ok()
        }
    }

    /// The trait applied with id `id`.
    pub fn get<Q>(&self, id: &Q) -> Option<&Trait>
    where
        ShapeId: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.find(id).map(|i| &self.entries[i].1)
    }

    /// The trait applied with id `id`, to change it.
    pub fn get_mut<Q>(&mut self, id: &Q) -> Option<&mut Trait>
    where
        ShapeId: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.find(id).map(|i| &mut self.entries[i].1)
    }

    /// The id and trait applied with id `id`.
    pub fn get_key_value<Q>(&self, id: &Q) -> Option<(&ShapeId, &Trait)>
    where
        ShapeId: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.find(id)
            .map(|i| (&self.entries[i].0, &self.entries[i].1))
    }

    /// True when a trait with id `id` is applied.
    pub fn contains_key<Q>(&self, id: &Q) -> bool
    where
        ShapeId: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.find(id).is_some()
    }

    /// Applies `value` as trait `id`; returns the value it replaces.
    pub fn insert(&mut self, id: ShapeId, value: Trait) -> Option<Trait> {
        if self.entries.last().is_none_or(|(last, _)| *last < id) {
            self.entries.push((id, value));
            return None;
        }
        match self.position(&id) {
            Ok(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            Err(i) => {
                self.entries.insert(i, (id, value));
                None
            }
        }
    }

    /// Removes trait `id`; returns its value.
    pub fn remove<Q>(&mut self, id: &Q) -> Option<Trait>
    where
        ShapeId: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.find(id).map(|i| self.entries.remove(i).1)
    }

    /// Moves every trait of `other` here (replacing those with the same
    /// id), leaving `other` empty.
    pub fn append(&mut self, other: &mut Traits) {
        self.extend(std::mem::take(&mut other.entries));
    }

    /// Keeps the traits `keep` says to.
    pub fn retain(&mut self, mut keep: impl FnMut(&ShapeId, &mut Trait) -> bool) {
        self.entries.retain_mut(|(id, value)| keep(id, value));
    }

    /// How many traits are applied.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when no trait is applied.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The traits in id order.
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            inner: self.entries.iter(),
        }
    }

    /// The trait ids in order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &ShapeId> + ExactSizeIterator {
        self.entries.iter().map(|(id, _)| id)
    }

    /// The applied traits in id order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &Trait> + ExactSizeIterator {
        self.entries.iter().map(|(_, value)| value)
    }
}

/// The traits of a [`Traits`] in id order, by reference.
#[derive(Debug, Clone)]
pub struct Iter<'a> {
    inner: std::slice::Iter<'a, (ShapeId, Trait)>,
}

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a ShapeId, &'a Trait);

    fn next(&mut self) -> Option<Self::Item> {
        self.inner.next().map(|(id, value)| (id, value))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.inner.next_back().map(|(id, value)| (id, value))
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> IntoIterator for &'a Traits {
    type Item = (&'a ShapeId, &'a Trait);
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl IntoIterator for Traits {
    type Item = (ShapeId, Trait);
    type IntoIter = std::vec::IntoIter<(ShapeId, Trait)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl Extend<(ShapeId, Trait)> for Traits {
    /// Inserts each trait, a later one replacing an earlier one with the
    /// same id, as `BTreeMap::extend` does.
    fn extend<I: IntoIterator<Item = (ShapeId, Trait)>>(&mut self, iter: I) {
        let before = self.entries.len();
        self.entries.extend(iter);
        if self.entries.len() == before {
            return;
        }
        // Stable: of equal ids, the one added last comes last, and stays.
        self.entries.sort_by(|a, b| a.0.cmp(&b.0));
        let mut kept: Vec<(ShapeId, Trait)> = Vec::with_capacity(self.entries.len());
        for entry in self.entries.drain(..) {
            match kept.last_mut() {
                Some(last) if last.0 == entry.0 => last.1 = entry.1,
                _ => kept.push(entry),
            }
        }
        self.entries = kept;
    }
}

impl FromIterator<(ShapeId, Trait)> for Traits {
    fn from_iter<I: IntoIterator<Item = (ShapeId, Trait)>>(iter: I) -> Self {
        let mut traits = Traits::new();
        traits.extend(iter);
        traits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Node;
    use crate::source::{SourceMap, Span};

    fn applied(value: &str) -> Trait {
        let file = SourceMap::default().add("test.smithy", "");
        Trait {
            value: Node::String(value.into()),
            span: Span::new(file, 0..0),
        }
    }

    fn id(text: &str) -> ShapeId {
        ShapeId::parse(text).expect("valid id")
    }

    fn value(t: Option<&Trait>) -> Option<&str> {
        t.and_then(|t| t.value.as_str())
    }

    #[test]
    fn keeps_id_order_and_looks_up_by_text() {
        let mut traits = Traits::new();
        for name in ["smithy.api#required", "smithy.api#documentation", "a.b#c"] {
            assert!(traits.insert(id(name), applied(name)).is_none());
        }
        let order: Vec<&str> = traits.keys().map(|k| k.as_str()).collect();
        assert_eq!(
            order,
            ["a.b#c", "smithy.api#documentation", "smithy.api#required"]
        );
        assert_eq!(
            value(traits.get("smithy.api#required")),
            Some("smithy.api#required")
        );
        assert!(traits.contains_key(&id("a.b#c")));
        assert!(!traits.contains_key("smithy.api#length"));
        assert_eq!(traits.len(), 3);
    }

    #[test]
    fn many_traits_in_any_order_are_sorted_once() {
        let ids: Vec<String> = (0..2000).rev().map(|i| format!("t#t{i:05}")).collect();
        let mut one_by_one = Traits::new();
        for name in &ids {
            one_by_one.insert(id(name), applied(name));
        }
        let at_once: Traits = ids.iter().map(|name| (id(name), applied(name))).collect();
        for traits in [&one_by_one, &at_once] {
            assert_eq!(traits.len(), 2000);
            assert!(traits.keys().zip(traits.keys().skip(1)).all(|(a, b)| a < b));
            // Past eight entries, lookups search rather than scan.
            assert_eq!(value(traits.get("t#t01234")), Some("t#t01234"));
            assert!(traits.get("t#t99999").is_none());
        }
    }

    #[test]
    fn a_later_value_replaces_an_earlier_one() {
        let mut traits: Traits = [(id("a#b"), applied("1")), (id("a#b"), applied("2"))]
            .into_iter()
            .collect();
        assert_eq!(traits.len(), 1);
        assert_eq!(value(traits.get("a#b")), Some("2"));
        assert_eq!(
            value(traits.insert(id("a#b"), applied("3")).as_ref()),
            Some("2")
        );
        let mut other: Traits = [(id("a#a"), applied("x")), (id("a#b"), applied("y"))]
            .into_iter()
            .collect();
        traits.append(&mut other);
        assert!(other.is_empty());
        let all: Vec<(&str, Option<&str>)> = traits
            .iter()
            .map(|(k, v)| (k.as_str(), v.value.as_str()))
            .collect();
        assert_eq!(all, [("a#a", Some("x")), ("a#b", Some("y"))]);
        assert_eq!(value(traits.remove("a#a").as_ref()), Some("x"));
        assert!(traits.get("a#a").is_none());
    }
}
