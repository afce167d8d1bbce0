//! JSON text straight into [`Node`]s: serde_json tokenizes, and each value
//! lands in the model's own node form with no `serde_json::Value` in
//! between.
//!
//! Going through `Value` built every object and array twice (once as a
//! `Value`, once as a node) and dropped the first copy; a JSON AST is mostly
//! objects, so that was a large share of reading one. A JSON AST has no
//! syntactic shape ids to resolve, so its trait values are final nodes from
//! the start, and assembly takes them as they are. Objects keep their keys
//! in document order, as the IDL's do.

use std::fmt;

use serde::de::{Deserialize, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};

use crate::model::{NameMap, Node, Number};

/// The key serde_json's `arbitrary_precision` feature wraps a number's
/// text in: a number arrives as a one-entry map from this key to its digits.
/// serde_json's own `Value` and `Number` recognise it the same way.
pub(super) const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// A node read from JSON text by serde_json (with its
/// `arbitrary_precision` feature, which the visitor relies on for numbers).
/// Private to the reader: through another deserializer the number handling
/// would not hold.
pub(super) struct JsonNode(pub(super) Node);

impl JsonNode {
    /// Parses `text`; serde_json's error says where it is not JSON.
    pub(super) fn parse(text: &str) -> Result<Node, serde_json::Error> {
        serde_json::from_str::<JsonNode>(text).map(|n| n.0)
    }
}

impl<'de> Deserialize<'de> for JsonNode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<JsonNode, D::Error> {
        deserializer.deserialize_any(NodeVisitor).map(JsonNode)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_bool<E>(self, b: bool) -> Result<Node, E> {
        Ok(Node::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Node, E> {
        Ok(Node::Number(Number::Int(n)))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Node, E> {
        Ok(number(&n.to_string()))
    }

    fn visit_f64<E>(self, n: f64) -> Result<Node, E> {
        Ok(number(&n.to_string()))
    }

    fn visit_str<E>(self, s: &str) -> Result<Node, E> {
        Ok(Node::String(s.to_owned()))
    }

    fn visit_string<E>(self, s: String) -> Result<Node, E> {
        Ok(Node::String(s))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(JsonNode(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let Some(first) = map.next_key::<String>()? else {
            return Ok(Node::Object(NameMap::default()));
        };
        if first == NUMBER_TOKEN {
            return token_number(&mut map);
        }
        let mut object = NameMap::default();
        object.insert(first, map.next_value::<JsonNode>()?.0);
        while let Some((key, JsonNode(value))) = map.next_entry()? {
            // A repeated key keeps its first position and its last value,
            // as serde_json's own objects do.
            object.insert(key, value);
        }
        Ok(Node::Object(object))
    }
}

/// The number a map holds whose first key was [`NUMBER_TOKEN`]: how
/// serde_json hands over a number with `arbitrary_precision`. serde_json
/// checked the digits of a number it read; a document that spells the
/// token out as a key has its text checked here.
pub(super) fn token_number<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Node, A::Error> {
    let digits: String = map.next_value()?;
    let checked: serde_json::Number = digits.parse().map_err(A::Error::custom)?;
    Ok(number(checked.as_str()))
}

/// A number from its JSON text; text no number can hold (which valid JSON
/// never has) reads as `null`, as before.
fn number(text: &str) -> Node {
    Number::parse(text).map_or(Node::Null, Node::Number)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Node {
        JsonNode::parse(text).expect("valid JSON")
    }

    #[test]
    fn objects_keep_document_order_and_numbers_keep_their_digits() {
        let Node::Object(o) = parse(
            r#"{"z": 1, "a": [true, null, "s"], "m": {"n": 0.1}, "big": 123456789012345678901234567890, "e": 1e400}"#,
        ) else {
            panic!("an object");
        };
        let keys: Vec<&str> = o.keys().map(String::as_str).collect();
        assert_eq!(keys, ["z", "a", "m", "big", "e"]);
        assert!(matches!(o["z"], Node::Number(Number::Int(1))));
        let Node::Array(items) = &o["a"] else {
            panic!("an array");
        };
        assert!(matches!(
            items.as_slice(),
            [Node::Bool(true), Node::Null, Node::String(s)] if s == "s"
        ));
        let Node::Object(m) = &o["m"] else {
            panic!("an object");
        };
        assert!(matches!(m["n"], Node::Number(Number::Float(f)) if f == 0.1));
        assert!(
            matches!(&o["big"], Node::Number(Number::Big(b)) if b.as_str() == "123456789012345678901234567890")
        );
        assert!(matches!(&o["e"], Node::Number(Number::Big(b)) if b.as_str() == "1e400"));
    }

    #[test]
    fn the_number_token_spelt_out_as_a_key_is_checked_like_any_number() {
        assert!(matches!(
            parse(r#"{"$serde_json::private::Number": "12"}"#),
            Node::Number(Number::Int(12))
        ));
        for text in ["abc", "nan", "inf", "1.", ""] {
            let json = format!(r#"{{"$serde_json::private::Number": "{text}"}}"#);
            assert!(JsonNode::parse(&json).is_err(), "{text} is no number");
        }
    }

    #[test]
    fn a_repeated_key_keeps_its_last_value() {
        let Node::Object(o) = parse(r#"{"a": 1, "b": 2, "a": 3}"#) else {
            panic!("an object");
        };
        assert_eq!(o.len(), 2);
        assert!(matches!(o["a"], Node::Number(Number::Int(3))));
    }
}
