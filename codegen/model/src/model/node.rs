//! Node values: the JSON-like data model of trait values and metadata.
//!
//! Object keys keep their declaration order (it matters for readable
//! output); equality ignores that order, as JSON's does.

use super::NameMap;

/// A Smithy node value.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, integral or not.
    Number(Number),
    /// A string (shape ids in the IDL become strings once resolved).
    String(String),
    /// An array.
    Array(Vec<Node>),
    /// An object; key order is preserved but ignored by `==`.
    Object(NameMap<Node>),
}

/// A node number. Integers that fit `i64` stay exact.
#[derive(Debug, Clone)]
pub enum Number {
    /// An integer.
    Int(i64),
    /// A number with a fraction or exponent that fits `f64`.
    Float(f64),
    /// A number that fits neither `i64` nor `f64` exactly (bigInteger and
    /// bigDecimal values), kept as normalised text.
    Big(BigNumber),
}

/// The normalised text of a number too big for `i64`/`f64`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BigNumber(String);

impl BigNumber {
    /// The number's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Number {
    /// The value as `f64` (possibly rounded).
    pub fn as_f64(&self) -> f64 {
        match self {
            Number::Int(i) => *i as f64,
            Number::Float(f) => *f,
            Number::Big(b) => b.0.parse().unwrap_or(f64::NAN),
        }
    }

    /// The value as `i64` when it is integral and in range.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Number::Int(i) => Some(*i),
            Number::Float(f) if f.fract() == 0.0 && f.abs() < 9.2e18 => Some(*f as i64),
            Number::Float(_) | Number::Big(_) => None,
        }
    }

    /// True when the number was written with a fraction or exponent.
    pub fn is_float(&self) -> bool {
        match self {
            Number::Int(_) => false,
            Number::Float(_) => true,
            Number::Big(b) => b.0.contains(['.', 'e']),
        }
    }

    /// Parses the text of a Smithy/JSON number.
    pub fn parse(text: &str) -> Option<Number> {
        if let Ok(i) = text.parse::<i64>() {
            return Some(Number::Int(i));
        }
        let normalised = text.to_ascii_lowercase().replace("e+", "e");
        let integral = !normalised.contains(['.', 'e']);
        match normalised.parse::<f64>() {
            Ok(f) if f.is_finite() && !integral && same_digits(&normalised, f) => {
                Some(Number::Float(f))
            }
            Ok(_) => Some(Number::Big(BigNumber(normalised))),
            Err(_) => None,
        }
    }
}

/// True when `f` (parsed from `text`) keeps every significant digit of
/// `text`: the digits of its shortest round-trip form are the text's.
/// `0.1` is exact in this sense; `0.100000000000000000000001` is not, and
/// stays text so a `bigDecimal` keeps its precision.
fn same_digits(text: &str, f: f64) -> bool {
    fn significant(mantissa: &str) -> String {
        let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
        digits
            .trim_start_matches('0')
            .trim_end_matches('0')
            .to_owned()
    }
    let mantissa = text.split('e').next().unwrap_or(text);
    let shortest = format!("{f:e}");
    let shortest = shortest.split('e').next().unwrap_or(&shortest);
    significant(mantissa) == significant(shortest)
}

impl PartialEq for Number {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Number::Int(a), Number::Int(b)) => a == b,
            (Number::Big(a), Number::Big(b)) => a == b,
            (Number::Big(_), _) | (_, Number::Big(_)) => false,
            _ => self.as_f64() == other.as_f64(),
        }
    }
}

impl Node {
    /// An empty object, the value of annotation traits.
    pub fn empty_object() -> Node {
        Node::Object(NameMap::default())
    }

    /// The string value, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Node::String(s) => Some(s),
            _ => None,
        }
    }

    /// The object members, if this is an object.
    pub fn as_object(&self) -> Option<&NameMap<Node>> {
        match self {
            Node::Object(o) => Some(o),
            _ => None,
        }
    }

    /// The array items, if this is an array.
    pub fn as_array(&self) -> Option<&[Node]> {
        match self {
            Node::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The boolean value, if this is a boolean.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Node::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The number, if this is a number.
    pub fn as_number(&self) -> Option<&Number> {
        match self {
            Node::Number(n) => Some(n),
            _ => None,
        }
    }

    /// Looks up `key` in an object.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_object().and_then(|o| o.get(key))
    }

    /// A short name of the value's kind, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Node::Null => "null",
            Node::Bool(_) => "boolean",
            Node::Number(_) => "number",
            Node::String(_) => "string",
            Node::Array(_) => "array",
            Node::Object(_) => "object",
        }
    }

    /// Converts to a `serde_json::Value` with object keys sorted, the
    /// canonical form used by the JSON AST emitter.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(*b),
            Node::Number(Number::Int(i)) => Value::from(*i),
            Node::Number(Number::Float(f)) => serde_json::Number::from_f64(*f)
                .map(Value::Number)
                .unwrap_or(Value::Null),
            Node::Number(Number::Big(b)) => {
                b.0.parse::<serde_json::Number>()
                    .map(Value::Number)
                    .unwrap_or(Value::Null)
            }
            Node::String(s) => Value::String(s.clone()),
            Node::Array(a) => Value::Array(a.iter().map(Node::to_json).collect()),
            Node::Object(o) => {
                let mut entries: Vec<_> = o.iter().collect();
                entries.sort_by(|a, b| a.0.cmp(b.0));
                Value::Object(
                    entries
                        .into_iter()
                        .map(|(k, v)| (k.clone(), v.to_json()))
                        .collect(),
                )
            }
        }
    }

    /// Converts from a `serde_json::Value`.
    pub fn from_json(value: &serde_json::Value) -> Node {
        use serde_json::Value;
        match value {
            Value::Null => Node::Null,
            Value::Bool(b) => Node::Bool(*b),
            Value::Number(n) => Number::parse(&n.to_string()).map_or(Node::Null, Node::Number),
            Value::String(s) => Node::String(s.clone()),
            Value::Array(a) => Node::Array(a.iter().map(Node::from_json).collect()),
            Value::Object(o) => Node::Object(
                o.iter()
                    .map(|(k, v)| (k.clone(), Node::from_json(v)))
                    .collect(),
            ),
        }
    }
}

impl From<&str> for Node {
    fn from(s: &str) -> Node {
        Node::String(s.to_owned())
    }
}

impl From<i64> for Number {
    fn from(i: i64) -> Number {
        Number::Int(i)
    }
}

impl From<i64> for Node {
    fn from(i: i64) -> Node {
        Node::Number(Number::Int(i))
    }
}

#[cfg(test)]
mod tests {
    use super::Number;

    #[test]
    fn numbers_keep_digits_f64_cannot_hold() {
        assert_eq!(Number::parse("1"), Some(Number::Int(1)));
        assert_eq!(Number::parse("0.1"), Some(Number::Float(0.1)));
        assert_eq!(Number::parse("1.50"), Some(Number::Float(1.5)));
        assert_eq!(Number::parse("-2.5E+3"), Some(Number::Float(-2500.0)));
        let big = Number::parse("0.100000000000000000000001").unwrap();
        assert!(matches!(&big, Number::Big(b) if b.as_str() == "0.100000000000000000000001"));
        assert!(big.is_float());
        assert_eq!(big.as_f64(), 0.1);
        assert!(matches!(
            Number::parse("123456789012345678901234567890"),
            Some(Number::Big(_))
        ));
    }
}
