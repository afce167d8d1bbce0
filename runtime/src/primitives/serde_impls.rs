//! `serde` support for the value types (feature `serde`), so generated types
//! can derive `Serialize` and `Deserialize` for users who store or exchange
//! them.
//!
//! The forms follow Smithy's JSON conventions where a value has a text form:
//! a [`DateTime`] is an RFC 3339 string (`date-time`, Smithy spec §
//! "timestampFormat"), a [`Blob`] is standard base64 text, big numbers are
//! their decimal text, and a [`Document`] is the JSON-like value itself. In
//! formats that are not human-readable (bincode, CBOR, ...) a blob is bytes
//! and a timestamp is seconds and nanoseconds, which lose nothing.

use std::collections::BTreeMap;
use std::fmt;

use base64::Engine as _;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq, SerializeTuple, Serializer};
use serde::{Deserialize, Serialize};

use super::{BigDecimal, BigInteger, Blob, DateTime, Document, Number, TimestampFormat};

impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            let text = self
                .fmt(TimestampFormat::DateTime)
                .map_err(serde::ser::Error::custom)?;
            serializer.serialize_str(&text)
        } else {
            let mut tuple = serializer.serialize_tuple(2)?;
            tuple.serialize_element(&self.secs())?;
            tuple.serialize_element(&self.subsec_nanos())?;
            tuple.end()
        }
    }
}

impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DateTimeVisitor;
        impl<'de> Visitor<'de> for DateTimeVisitor {
            type Value = DateTime;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 date-time, epoch seconds, or [seconds, nanoseconds]")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DateTime, E> {
                DateTime::parse(v, TimestampFormat::DateTime).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<DateTime, E> {
                Ok(DateTime::from_secs(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<DateTime, E> {
                i64::try_from(v)
                    .map(DateTime::from_secs)
                    .map_err(|_| E::custom("epoch seconds out of range"))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<DateTime, E> {
                if v.is_finite() {
                    Ok(DateTime::from_secs_f64(v))
                } else {
                    Err(E::custom("epoch seconds must be finite"))
                }
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<DateTime, A::Error> {
                let secs: i64 = seq
                    .next_element()?
                    .ok_or_else(|| de::Error::invalid_length(0, &self))?;
                let nanos: u32 = seq
                    .next_element()?
                    .ok_or_else(|| de::Error::invalid_length(1, &self))?;
                if nanos >= 1_000_000_000 {
                    return Err(de::Error::custom("nanoseconds must be below one second"));
                }
                Ok(DateTime::from_secs_and_nanos(secs, nanos))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<DateTime, A::Error> {
                let text = number_text(map)?;
                match number_from_text(&text) {
                    Some(Number::PosInt(n)) => self.visit_u64(n),
                    Some(Number::NegInt(n)) => self.visit_i64(n),
                    Some(Number::Float(f)) => self.visit_f64(f),
                    None => Err(de::Error::custom(format!("`{text}` is not a number"))),
                }
            }
        }
        if deserializer.is_human_readable() {
            deserializer.deserialize_any(DateTimeVisitor)
        } else {
            deserializer.deserialize_tuple(2, DateTimeVisitor)
        }
    }
}

impl Serialize for Blob {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            let text = base64::engine::general_purpose::STANDARD.encode(self.as_bytes());
            serializer.serialize_str(&text)
        } else {
            serializer.serialize_bytes(self.as_bytes())
        }
    }
}

impl<'de> Deserialize<'de> for Blob {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BlobVisitor;
        impl<'de> Visitor<'de> for BlobVisitor {
            type Value = Blob;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("base64 text or bytes")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Blob, E> {
                base64::engine::general_purpose::STANDARD
                    .decode(v)
                    .map(Blob::new)
                    .map_err(|e| E::custom(format!("invalid base64: {e}")))
            }
            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Blob, E> {
                Ok(Blob::new(v))
            }
            fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<Blob, E> {
                Ok(Blob::new(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Blob, A::Error> {
                let mut bytes = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
                while let Some(b) = seq.next_element::<u8>()? {
                    bytes.push(b);
                }
                Ok(Blob::new(bytes))
            }
        }
        if deserializer.is_human_readable() {
            deserializer.deserialize_str(BlobVisitor)
        } else {
            deserializer.deserialize_byte_buf(BlobVisitor)
        }
    }
}

macro_rules! big_number_serde {
    ($name:ident, $what:literal) => {
        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct NumberVisitor;
                impl<'de> Visitor<'de> for NumberVisitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str($what)
                    }
                    fn visit_str<E: de::Error>(self, v: &str) -> Result<$name, E> {
                        v.parse().map_err(E::custom)
                    }
                    fn visit_i64<E: de::Error>(self, v: i64) -> Result<$name, E> {
                        self.visit_str(&v.to_string())
                    }
                    fn visit_u64<E: de::Error>(self, v: u64) -> Result<$name, E> {
                        self.visit_str(&v.to_string())
                    }
                    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<$name, A::Error> {
                        let text = number_text(map)?;
                        self.visit_str(&text)
                    }
                }
                deserializer.deserialize_any(NumberVisitor)
            }
        }
    };
}

big_number_serde!(BigInteger, "an integer as decimal text");
big_number_serde!(BigDecimal, "a decimal number as text");

impl Serialize for Document {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Document::Null => serializer.serialize_unit(),
            Document::Bool(b) => serializer.serialize_bool(*b),
            Document::Number(Number::PosInt(n)) => serializer.serialize_u64(*n),
            Document::Number(Number::NegInt(n)) => serializer.serialize_i64(*n),
            Document::Number(Number::Float(f)) => serializer.serialize_f64(*f),
            Document::String(s) => serializer.serialize_str(s),
            Document::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Document::Object(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Document {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DocumentVisitor;
        impl<'de> Visitor<'de> for DocumentVisitor {
            type Value = Document;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "a document: null, a boolean, a number, a string, an array or an object",
                )
            }
            fn visit_unit<E: de::Error>(self) -> Result<Document, E> {
                Ok(Document::Null)
            }
            fn visit_none<E: de::Error>(self) -> Result<Document, E> {
                Ok(Document::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Document, D::Error> {
                Document::deserialize(d)
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Document, E> {
                Ok(Document::Bool(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Document, E> {
                Ok(match u64::try_from(v) {
                    Ok(n) => Document::Number(Number::PosInt(n)),
                    Err(_) => Document::Number(Number::NegInt(v)),
                })
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Document, E> {
                Ok(Document::Number(Number::PosInt(v)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Document, E> {
                Ok(Document::Number(Number::Float(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Document, E> {
                Ok(Document::String(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Document, E> {
                Ok(Document::String(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Document, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Document::Array(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Document, A::Error> {
                let mut entries = BTreeMap::new();
                let Some(first) = map.next_key::<String>()? else {
                    return Ok(Document::Object(entries));
                };
                // serde_json with its `arbitrary_precision` feature (which any
                // crate of a build can turn on) hands numbers to
                // `deserialize_any` as a one-entry map holding their text.
                if first == ARBITRARY_PRECISION_NUMBER {
                    let text: String = map.next_value()?;
                    return number_from_text(&text)
                        .map(Document::Number)
                        .ok_or_else(|| de::Error::custom(format!("`{text}` is not a number")));
                }
                entries.insert(first, map.next_value()?);
                while let Some((k, v)) = map.next_entry::<String, Document>()? {
                    entries.insert(k, v);
                }
                Ok(Document::Object(entries))
            }
        }
        deserializer.deserialize_any(DocumentVisitor)
    }
}

/// The key under which serde_json's `arbitrary_precision` feature passes a
/// number's text (serde_json's `Number` deserializer uses the same token).
const ARBITRARY_PRECISION_NUMBER: &str = "$serde_json::private::Number";

/// The text of a number serde_json passes as a map (see
/// [`ARBITRARY_PRECISION_NUMBER`]); any other map is an error.
fn number_text<'de, A: MapAccess<'de>>(mut map: A) -> Result<String, A::Error> {
    match map.next_key::<String>()? {
        Some(key) if key == ARBITRARY_PRECISION_NUMBER => map.next_value(),
        _ => Err(de::Error::invalid_type(
            de::Unexpected::Map,
            &"a number or text",
        )),
    }
}

/// A number from its JSON text: an integer when it is one, else a float.
fn number_from_text(text: &str) -> Option<Number> {
    if let Ok(n) = text.parse::<u64>() {
        return Some(Number::PosInt(n));
    }
    if let Ok(n) = text.parse::<i64>() {
        return Some(Number::NegInt(n));
    }
    text.parse::<f64>().ok().map(Number::Float)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_keep_their_json_forms() {
        let time = DateTime::from_secs_and_nanos(1_700_000_000, 250_000_000);
        let text = serde_json::to_string(&time).unwrap();
        assert_eq!(text, "\"2023-11-14T22:13:20.25Z\"");
        assert_eq!(serde_json::from_str::<DateTime>(&text).unwrap(), time);
        assert_eq!(
            serde_json::from_str::<DateTime>("1700000000").unwrap(),
            DateTime::from_secs(1_700_000_000)
        );

        let blob = Blob::new(b"hi!".to_vec());
        assert_eq!(serde_json::to_string(&blob).unwrap(), "\"aGkh\"");
        assert_eq!(serde_json::from_str::<Blob>("\"aGkh\"").unwrap(), blob);
        assert!(serde_json::from_str::<Blob>("\"not base64!\"").is_err());

        let big: BigInteger = "123456789012345678901234567890".parse().unwrap();
        let text = serde_json::to_string(&big).unwrap();
        assert_eq!(serde_json::from_str::<BigInteger>(&text).unwrap(), big);
        assert_eq!(
            serde_json::from_str::<BigDecimal>("12").unwrap().as_str(),
            "12"
        );
        assert_eq!(
            serde_json::from_str::<DateTime>("1.5").unwrap(),
            DateTime::from_secs_f64(1.5)
        );
        assert!(serde_json::from_str::<BigInteger>("\"1.5\"").is_err());

        let doc: Document =
            serde_json::from_str(r#"{"a":[1,-2,2.5,"x",true,null],"b":{}}"#).unwrap();
        let again: Document = serde_json::from_str(&serde_json::to_string(&doc).unwrap()).unwrap();
        assert_eq!(doc, again);
        match &doc {
            Document::Object(map) => assert_eq!(
                map["a"],
                Document::Array(vec![
                    Document::Number(Number::PosInt(1)),
                    Document::Number(Number::NegInt(-2)),
                    Document::Number(Number::Float(2.5)),
                    Document::String("x".into()),
                    Document::Bool(true),
                    Document::Null,
                ])
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn bad_timestamps_are_errors() {
        assert!(serde_json::from_str::<DateTime>("\"yesterday\"").is_err());
        assert!(serde_json::from_str::<DateTime>("[1, 2000000000]").is_err());
    }
}

/// The value of a `Unit` union member: `{}` (generated code only).
#[doc(hidden)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UnitValue;

impl Serialize for UnitValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_map(Some(0))?.end()
    }
}

impl<'de> Deserialize<'de> for UnitValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct UnitVisitor;

        impl<'de> Visitor<'de> for UnitVisitor {
            type Value = UnitValue;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an empty map")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<UnitValue, A::Error> {
                // A newer version may have given the member a value.
                while map
                    .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(UnitValue)
            }

            fn visit_unit<E: de::Error>(self) -> Result<UnitValue, E> {
                Ok(UnitValue)
            }
        }

        // `null` is accepted too where the format can say so.
        if deserializer.is_human_readable() {
            deserializer.deserialize_any(UnitVisitor)
        } else {
            deserializer.deserialize_map(UnitVisitor)
        }
    }
}

/// `#[serde(with = "..")]` for `float` and `double` fields (plain or
/// optional): human-readable formats write the values JSON cannot hold as
/// Smithy's strings `"NaN"`, `"Infinity"` and `"-Infinity"`, and read them
/// back; other formats keep the bits (generated code only).
#[doc(hidden)]
pub mod float_form {
    use super::*;

    /// A float field: `f32`, `f64`, or either optional.
    pub trait FloatField: Sized {
        /// Writes the value.
        fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
        /// Reads the value.
        fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
    }

    fn write_f64<S: Serializer>(v: f64, serializer: S) -> Result<S::Ok, S::Error> {
        if v.is_finite() || !serializer.is_human_readable() {
            serializer.serialize_f64(v)
        } else if v.is_nan() {
            serializer.serialize_str("NaN")
        } else if v > 0.0 {
            serializer.serialize_str("Infinity")
        } else {
            serializer.serialize_str("-Infinity")
        }
    }

    struct FloatVisitor;

    impl Visitor<'_> for FloatVisitor {
        type Value = f64;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a number, \"NaN\", \"Infinity\" or \"-Infinity\"")
        }

        fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
            Ok(v)
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
            Ok(v as f64)
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
            Ok(v as f64)
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
            match v {
                "NaN" => Ok(f64::NAN),
                "Infinity" => Ok(f64::INFINITY),
                "-Infinity" => Ok(f64::NEG_INFINITY),
                other => Err(E::invalid_value(de::Unexpected::Str(other), &self)),
            }
        }
    }

    fn read_f64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
        if deserializer.is_human_readable() {
            deserializer.deserialize_any(FloatVisitor)
        } else {
            f64::deserialize(deserializer)
        }
    }

    impl FloatField for f64 {
        fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            write_f64(*self, serializer)
        }

        fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            read_f64(deserializer)
        }
    }

    impl FloatField for f32 {
        fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            if self.is_finite() || !serializer.is_human_readable() {
                serializer.serialize_f32(*self)
            } else {
                write_f64(f64::from(*self), serializer)
            }
        }

        fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            read_f64(deserializer).map(|v| v as f32)
        }
    }

    /// A float written in its Smithy form (a union's value, or `Some`).
    pub struct Write<'a, T>(pub &'a T);

    impl<T: FloatField> Serialize for Write<'_, T> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            self.0.write(serializer)
        }
    }

    /// A float read from its Smithy form.
    pub struct Read<T>(pub T);

    impl<'de, T: FloatField> Deserialize<'de> for Read<T> {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            T::read(deserializer).map(Read)
        }
    }

    impl<T: FloatField> FloatField for Option<T> {
        fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            match self {
                Some(v) => serializer.serialize_some(&Write(v)),
                None => serializer.serialize_none(),
            }
        }

        fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            Ok(Option::<Read<T>>::deserialize(deserializer)?.map(|r| r.0))
        }
    }

    /// Serializes a float field.
    pub fn serialize<T: FloatField, S: Serializer>(
        v: &T,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        v.write(serializer)
    }

    /// Deserializes a float field.
    pub fn deserialize<'de, T: FloatField, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<T, D::Error> {
        T::read(deserializer)
    }
}

/// `#[serde(deserialize_with = "..")]` for optional document fields: a
/// present `null` is `Some(Document::Null)`, as it was written; only a
/// missing field is `None` (generated code only).
#[doc(hidden)]
pub fn some_document<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Document>, D::Error> {
    Document::deserialize(deserializer).map(Some)
}
