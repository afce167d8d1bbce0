//! Lists and maps of a self-describing wire value (JSON's [`json::Value`],
//! CBOR's [`cbor::Value`]), read and written item by item for generated
//! code.
//!
//! Items go through plain function pointers (`fn(&V) -> Result<T, _>`), not
//! closures: each helper is then compiled once per item type and codec,
//! where an iterator chain at each call site would be compiled once per
//! site. Generated crates reach these through [`json`] and [`cbor`].
//!
//! [`json`]: crate::json
//! [`cbor`]: crate::cbor
//! [`json::Value`]: crate::json::Value
//! [`cbor::Value`]: crate::cbor::Value

use std::collections::HashMap;
use std::hash::Hash;

use crate::json::DeError;

/// A wire value that holds lists and maps with text keys.
pub trait Tree: Sized {
    /// `null` (or CBOR's `null`/`undefined`).
    fn null() -> Self;
    /// True for `null`.
    fn is_null(&self) -> bool;
    /// The items of a list value, or an error naming what it is instead.
    fn items(&self) -> Result<&[Self], DeError>;
    /// Calls `f` with each entry of a map value, in order, or fails naming
    /// what it is instead.
    fn entries<'a>(
        &'a self,
        f: &mut dyn FnMut(&'a str, &'a Self) -> Result<(), DeError>,
    ) -> Result<(), DeError>;
    /// A list value.
    fn list(items: Vec<Self>) -> Self;
    /// A map value from entries with distinct keys.
    fn map(entries: Vec<(String, Self)>) -> Self;
}

/// A list: each item read with `item`.
pub fn de_list<V: Tree, T>(v: &V, item: fn(&V) -> Result<T, DeError>) -> Result<Vec<T>, DeError> {
    let items = v.items()?;
    let mut list = Vec::with_capacity(items.len());
    for value in items {
        list.push(item(value)?);
    }
    Ok(list)
}

/// A `@sparse` list: `null` items are `None`, the others read with `item`.
pub fn de_sparse_list<V: Tree, T>(
    v: &V,
    item: fn(&V) -> Result<T, DeError>,
) -> Result<Vec<Option<T>>, DeError> {
    let items = v.items()?;
    let mut list = Vec::with_capacity(items.len());
    for value in items {
        list.push(if value.is_null() {
            None
        } else {
            Some(item(value)?)
        });
    }
    Ok(list)
}

/// A map: each value read with `value`; entries whose value is `null` are
/// left out.
pub fn de_map<V: Tree, K, T>(
    v: &V,
    value: fn(&V) -> Result<T, DeError>,
) -> Result<HashMap<K, T>, DeError>
where
    K: for<'a> From<&'a str> + Eq + Hash,
{
    read_map(v, value, false)
}

/// A map as a server reads a request's: as [`de_map`], except that a
/// `null` value is an error (only `@sparse` maps hold nulls).
pub fn strict_de_map<V: Tree, K, T>(
    v: &V,
    value: fn(&V) -> Result<T, DeError>,
) -> Result<HashMap<K, T>, DeError>
where
    K: for<'a> From<&'a str> + Eq + Hash,
{
    read_map(v, value, true)
}

fn read_map<V: Tree, K, T>(
    v: &V,
    value: fn(&V) -> Result<T, DeError>,
    strict: bool,
) -> Result<HashMap<K, T>, DeError>
where
    K: for<'a> From<&'a str> + Eq + Hash,
{
    let mut map = HashMap::new();
    v.entries(&mut |key, entry| {
        if !entry.is_null() {
            map.insert(K::from(key), value(entry)?);
        } else if strict {
            return Err(format!("`{key}`: a map that is not @sparse holds no nulls"));
        }
        Ok(())
    })?;
    Ok(map)
}

/// A `@sparse` map: `null` values are `None`, the others read with `value`.
pub fn de_sparse_map<V: Tree, K, T>(
    v: &V,
    value: fn(&V) -> Result<T, DeError>,
) -> Result<HashMap<K, Option<T>>, DeError>
where
    K: for<'a> From<&'a str> + Eq + Hash,
{
    let mut map = HashMap::new();
    v.entries(&mut |key, entry| {
        let read = if entry.is_null() {
            None
        } else {
            Some(value(entry)?)
        };
        map.insert(K::from(key), read);
        Ok(())
    })?;
    Ok(map)
}

/// A list value: each item written with `item`.
pub fn ser_list<V: Tree, T>(items: &[T], item: fn(&T) -> V) -> V {
    V::list(items.iter().map(item).collect())
}

/// A `@sparse` list value: `None` items are `null`.
pub fn ser_sparse_list<V: Tree, T>(items: &[Option<T>], item: fn(&T) -> V) -> V {
    V::list(
        items
            .iter()
            .map(|i| i.as_ref().map_or_else(V::null, item))
            .collect(),
    )
}

/// A map value: each value written with `value`.
pub fn ser_map<V: Tree, K: AsRef<str>, T>(map: &HashMap<K, T>, value: fn(&T) -> V) -> V {
    V::map(
        map.iter()
            .map(|(k, v)| (k.as_ref().to_owned(), value(v)))
            .collect(),
    )
}

/// A `@sparse` map value: `None` values are `null`.
pub fn ser_sparse_map<V: Tree, K: AsRef<str>, T>(
    map: &HashMap<K, Option<T>>,
    value: fn(&T) -> V,
) -> V {
    V::map(
        map.iter()
            .map(|(k, v)| {
                (
                    k.as_ref().to_owned(),
                    v.as_ref().map_or_else(V::null, value),
                )
            })
            .collect(),
    )
}
