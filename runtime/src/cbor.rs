//! CBOR helpers for generated rpcv2Cbor code, with the same API as
//! [`crate::json`] so one generated codec serves both: a [`Value`] tree with
//! text-keyed [`Map`]s, `ser_*`/`de_*` per Smithy type, body parsing and
//! error-type extraction. CBOR is read and written by `ciborium`; this module
//! only maps Smithy types onto it (blobs as byte strings, timestamps as tag 1
//! epoch seconds, big numbers as tags 2/3 and 4). Hidden from the docs.

pub use crate::json::DeError;
pub use crate::tree::{
    de_list, de_map, de_sparse_list, de_sparse_map, ser_list, ser_map, ser_sparse_list,
    ser_sparse_map, strict_de_map,
};
use crate::{BigDecimal, BigInteger, Blob, DateTime, Document, Number, TimestampFormat};

/// A CBOR data item as generated code sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null` (and `undefined`).
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer (major types 0 and 1).
    Int(i128),
    /// A float of any width.
    Float(f64),
    /// A `float` member, written as single precision.
    Float32(f32),
    /// A byte string.
    Bytes(Vec<u8>),
    /// A text string.
    Text(String),
    /// An array.
    Array(Vec<Value>),
    /// A map with text keys.
    Map(Map),
    /// A tagged item.
    Tag(u64, Box<Value>),
}

impl Value {
    /// True for `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The map, when this is one.
    pub fn as_object(&self) -> Option<&Map> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) | Value::Float32(_) => "a float",
            Value::Bytes(_) => "a byte string",
            Value::Text(_) => "a text string",
            Value::Array(_) => "an array",
            Value::Map(_) => "a map",
            Value::Tag(..) => "a tagged item",
        }
    }
}

/// A CBOR map with text keys, in insertion order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Map(Vec<(String, Value)>);

impl Map {
    /// An empty map.
    pub fn new() -> Self {
        Map(Vec::new())
    }

    /// Adds or replaces an entry.
    pub fn insert(&mut self, key: String, value: Value) {
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some(entry) => entry.1 = value,
            None => self.0.push((key, value)),
        }
    }

    /// The value of a key.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The entries, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

/// A later entry with the same key replaces the earlier one in its place,
/// as [`Map::insert`] does, in time linear in the entries (a response's
/// map can be large; inserting one by one would be quadratic).
impl FromIterator<(String, Value)> for Map {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(iter: I) -> Self {
        let mut index: std::collections::HashMap<String, usize> = Default::default();
        let mut entries: Vec<(String, Value)> = Vec::new();
        for (k, v) in iter {
            match index.get(&k) {
                Some(&at) => entries[at].1 = v,
                None => {
                    index.insert(k.clone(), entries.len());
                    entries.push((k, v));
                }
            }
        }
        Map(entries)
    }
}

impl<'a> IntoIterator for &'a Map {
    type Item = (&'a String, &'a Value);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, Value)>,
        fn(&'a (String, Value)) -> (&'a String, &'a Value),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

fn expected(what: &str, v: &Value) -> DeError {
    format!("expected {what}, found {}", v.kind())
}

/// `null`.
pub fn null() -> Value {
    Value::Null
}

/// A map value.
pub fn object(map: Map) -> Value {
    Value::Map(map)
}

/// An array value.
pub fn array(items: Vec<Value>) -> Value {
    Value::Array(items)
}

/// A text string.
pub fn ser_string(v: &str) -> Value {
    Value::Text(v.to_owned())
}

/// A boolean.
pub fn ser_bool(v: bool) -> Value {
    Value::Bool(v)
}

/// An integer, in its smallest encoding.
pub fn ser_int(v: i64) -> Value {
    Value::Int(i128::from(v))
}

/// A `float` (single precision).
pub fn ser_f32(v: f32) -> Value {
    Value::Float32(v)
}

/// A `double`.
pub fn ser_float(v: f64) -> Value {
    Value::Float(v)
}

/// A blob as a byte string.
pub fn ser_blob(v: &Blob) -> Value {
    Value::Bytes(v.as_bytes().to_vec())
}

/// A timestamp: tag 1 around epoch seconds (an integer when whole, else a
/// double with millisecond resolution). The format is ignored: the protocol
/// fixes it.
pub fn ser_timestamp(v: &DateTime, _format: TimestampFormat) -> Value {
    // Milliseconds at most, truncated as in every other format.
    let v = v.truncated_to_millis();
    let inner = if v.subsec_nanos() == 0 {
        Value::Int(i128::from(v.secs()))
    } else {
        Value::Float(v.to_wire_secs_f64())
    };
    Value::Tag(1, Box::new(inner))
}

/// A big integer: an integer when it fits, else a bignum (tag 2 or 3
/// around its big-endian bytes, RFC 8949 §3.4.3).
pub fn ser_big_integer(v: &BigInteger) -> Value {
    ser_integer_text(v.as_str())
}

/// Decimal integer text (an optional sign, digits) as an integer, or a
/// bignum beyond 64 bits.
fn ser_integer_text(text: &str) -> Value {
    if let Ok(i) = text.parse::<i128>()
        && (i64::try_from(i).is_ok() || u64::try_from(i).is_ok())
    {
        return Value::Int(i);
    }
    let (negative, digits) = match text.strip_prefix('-') {
        Some(digits) => (true, digits),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let magnitude = digits_to_bytes(digits);
    if negative {
        // Tag 3 holds -1 - n: the magnitude less one.
        Value::Tag(3, Box::new(Value::Bytes(decrement(magnitude))))
    } else {
        Value::Tag(2, Box::new(Value::Bytes(magnitude)))
    }
}

/// A big decimal: tag 4 (decimal fraction, RFC 8949 §3.4.4) of exponent
/// and mantissa, the mantissa a bignum beyond 64 bits.
pub fn ser_big_decimal(v: &BigDecimal) -> Value {
    let text = v.as_str();
    let (number, exponent) = match text.split_once(['e', 'E']) {
        Some((number, exponent)) => (number, exponent.parse::<i64>().ok()),
        None => (text, Some(0)),
    };
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    let exponent = exponent.and_then(|e| e.checked_sub(i64::try_from(fraction.len()).ok()?));
    let Some(exponent) = exponent else {
        return Value::Text(text.to_owned());
    };
    let mantissa = ser_integer_text(&format!("{whole}{fraction}"));
    Value::Tag(
        4,
        Box::new(Value::Array(vec![Value::Int(exponent.into()), mantissa])),
    )
}

/// Most bytes of a bignum read: 1 KiB, some 2,466 decimal digits (the
/// conversion to text is quadratic in the length).
const MAX_BIGNUM_BYTES: usize = 1024;

/// The big-endian bytes of a magnitude written in decimal digits (no
/// leading zero bytes; none for zero).
fn digits_to_bytes(digits: &str) -> Vec<u8> {
    // Little-endian base-256 limbs, multiplied by ten per digit.
    let mut bytes: Vec<u8> = Vec::new();
    for digit in digits.bytes().filter(u8::is_ascii_digit) {
        let mut carry = u32::from(digit - b'0');
        for byte in &mut bytes {
            let v = u32::from(*byte) * 10 + carry;
            *byte = (v & 0xff) as u8;
            carry = v >> 8;
        }
        while carry > 0 {
            bytes.push((carry & 0xff) as u8);
            carry >>= 8;
        }
    }
    bytes.reverse();
    bytes
}

/// The decimal digits of a big-endian magnitude.
fn bytes_to_digits(bytes: &[u8]) -> String {
    // Little-endian base-10 digits, multiplied by 256 per byte.
    let mut digits: Vec<u8> = Vec::new();
    for &byte in bytes {
        let mut carry = u32::from(byte);
        for digit in &mut digits {
            let v = u32::from(*digit) * 256 + carry;
            *digit = (v % 10) as u8;
            carry = v / 10;
        }
        while carry > 0 {
            digits.push((carry % 10) as u8);
            carry /= 10;
        }
    }
    if digits.is_empty() {
        return "0".to_owned();
    }
    digits.iter().rev().map(|d| char::from(b'0' + d)).collect()
}

/// A big-endian magnitude less one (at least one).
fn decrement(mut bytes: Vec<u8>) -> Vec<u8> {
    for byte in bytes.iter_mut().rev() {
        if *byte > 0 {
            *byte -= 1;
            break;
        }
        *byte = 0xff;
    }
    let zeros = bytes.iter().take_while(|b| **b == 0).count();
    bytes.split_off(zeros)
}

/// A big-endian magnitude plus one.
fn increment(mut bytes: Vec<u8>) -> Vec<u8> {
    for byte in bytes.iter_mut().rev() {
        if *byte < 0xff {
            *byte += 1;
            return bytes;
        }
        *byte = 0;
    }
    bytes.insert(0, 1);
    bytes
}

/// A document in CBOR's own data model: maps with text keys, arrays, text,
/// integers, floats, booleans and `null`. The rpcv2Cbor spec leaves
/// documents out ("not currently supported"); this is the form both ends
/// of a tinsmith client and server agree on, and the obvious one for any
/// other.
pub fn ser_document(v: &Document) -> Value {
    match v {
        Document::Null => Value::Null,
        Document::Bool(b) => Value::Bool(*b),
        Document::Number(Number::PosInt(n)) => Value::Int(i128::from(*n)),
        Document::Number(Number::NegInt(n)) => Value::Int(i128::from(*n)),
        Document::Number(Number::Float(f)) => Value::Float(*f),
        Document::String(s) => Value::Text(s.clone()),
        Document::Array(items) => Value::Array(items.iter().map(ser_document).collect()),
        Document::Object(map) => Value::Map(
            map.iter()
                .map(|(k, v)| (k.clone(), ser_document(v)))
                .collect(),
        ),
    }
}

/// The map of a structure or union value.
pub fn de_object(v: &Value) -> Result<&Map, DeError> {
    v.as_object().ok_or_else(|| expected("a map", v))
}

/// The items of an array.
pub fn de_array(v: &Value) -> Result<&Vec<Value>, DeError> {
    match v {
        Value::Array(items) => Ok(items),
        _ => Err(expected("an array", v)),
    }
}

/// A text string.
pub fn de_string(v: &Value) -> Result<String, DeError> {
    match v {
        Value::Text(s) => Ok(s.clone()),
        _ => Err(expected("a text string", v)),
    }
}

/// A boolean.
pub fn de_bool(v: &Value) -> Result<bool, DeError> {
    match v {
        Value::Bool(b) => Ok(*b),
        _ => Err(expected("a boolean", v)),
    }
}

/// An integer that must fit `T`.
pub fn de_int<T: TryFrom<i64>>(v: &Value) -> Result<T, DeError> {
    let Value::Int(n) = v else {
        return Err(expected("an integer", v));
    };
    i64::try_from(*n)
        .ok()
        .and_then(|n| T::try_from(n).ok())
        .ok_or_else(|| format!("integer {n} out of range"))
}

/// A float of any width (integers are accepted when exact).
pub fn de_float(v: &Value) -> Result<f64, DeError> {
    match v {
        Value::Float(f) => Ok(*f),
        Value::Float32(f) => Ok(f64::from(*f)),
        Value::Int(i) => Ok(*i as f64),
        _ => Err(expected("a float", v)),
    }
}

/// A blob from a byte string.
pub fn de_blob(v: &Value) -> Result<Blob, DeError> {
    match v {
        Value::Bytes(b) => Ok(Blob::new(b.clone())),
        _ => Err(expected("a byte string", v)),
    }
}

/// A timestamp as a server reads a request's; CBOR's are numbers (tag 1)
/// whatever the format, read as [`de_timestamp`] reads them.
pub fn de_timestamp_strict(v: &Value, format: TimestampFormat) -> Result<DateTime, DeError> {
    de_timestamp(v, format)
}

/// [`de_timestamp`] as a reader function of an `epoch-seconds` member.
/// CBOR's timestamps are epoch seconds whatever the member's format, so
/// [`de_date_time`] and [`de_http_date`] read the same.
pub fn de_epoch_seconds(v: &Value) -> Result<DateTime, DeError> {
    de_timestamp(v, TimestampFormat::EpochSeconds)
}

/// [`de_timestamp`] as a reader function of a `date-time` member.
pub fn de_date_time(v: &Value) -> Result<DateTime, DeError> {
    de_timestamp(v, TimestampFormat::DateTime)
}

/// [`de_timestamp`] as a reader function of an `http-date` member.
pub fn de_http_date(v: &Value) -> Result<DateTime, DeError> {
    de_timestamp(v, TimestampFormat::HttpDate)
}

/// A timestamp: tag 1 around epoch seconds (the tag is optional on input).
pub fn de_timestamp(v: &Value, _format: TimestampFormat) -> Result<DateTime, DeError> {
    let inner = match v {
        Value::Tag(1, inner) => inner,
        other => other,
    };
    match inner {
        Value::Int(i) => i64::try_from(*i)
            .map(DateTime::from_secs)
            .map_err(|_| format!("timestamp {i} out of range")),
        Value::Float(_) | Value::Float32(_) => {
            let secs = de_float(inner)?;
            if secs.is_finite() {
                Ok(DateTime::from_wire_secs_f64(secs))
            } else {
                Err(format!("timestamp {secs} is not finite"))
            }
        }
        _ => Err(expected("a timestamp (tag 1)", v)),
    }
}

/// A big integer (an integer, or a bignum: tag 2/3 around big-endian
/// bytes, at most 1 KiB).
pub fn de_big_integer(v: &Value) -> Result<BigInteger, DeError> {
    integer_text(v)?
        .parse()
        .map_err(|e: crate::primitives::ParseBigNumberError| e.to_string())
}

/// The decimal text of an integer or a bignum.
fn integer_text(v: &Value) -> Result<String, DeError> {
    match v {
        Value::Int(i) => Ok(i.to_string()),
        Value::Tag(tag @ (2 | 3), inner) => {
            let Value::Bytes(bytes) = &**inner else {
                return Err(expected("a bignum", v));
            };
            if bytes.len() > MAX_BIGNUM_BYTES {
                return Err(format!("a bignum of {} bytes is too large", bytes.len()));
            }
            Ok(if *tag == 3 {
                format!("-{}", bytes_to_digits(&increment(bytes.clone())))
            } else {
                bytes_to_digits(bytes)
            })
        }
        _ => Err(expected("a big integer", v)),
    }
}

/// A big decimal (tag 4, or a plain number).
pub fn de_big_decimal(v: &Value) -> Result<BigDecimal, DeError> {
    let text = match v {
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Tag(4, inner) => match &**inner {
            Value::Array(parts) => match parts.as_slice() {
                [Value::Int(exponent), mantissa] => {
                    // The text form spells out every digit: bound it before allocating.
                    let exponent = i32::try_from(*exponent)
                        .ok()
                        .filter(|e| e.unsigned_abs() <= MAX_DECIMAL_EXPONENT)
                        .ok_or_else(|| format!("decimal exponent {exponent} out of range"))?;
                    decimal_text(&integer_text(mantissa)?, exponent)
                }
                _ => return Err(expected("a decimal fraction", v)),
            },
            _ => return Err(expected("a decimal fraction", v)),
        },
        _ => return Err(expected("a big decimal", v)),
    };
    text.parse()
        .map_err(|e: crate::primitives::ParseBigNumberError| e.to_string())
}

/// The largest decimal-fraction exponent accepted (its text has that many digits).
const MAX_DECIMAL_EXPONENT: u32 = 4096;

fn decimal_text(mantissa: &str, exponent: i32) -> String {
    if exponent >= 0 {
        return format!("{mantissa}{}", "0".repeat(exponent as usize));
    }
    let (sign, digits) = match mantissa.strip_prefix('-') {
        Some(digits) => ("-", digits),
        None => ("", mantissa),
    };
    let scale = exponent.unsigned_abs() as usize;
    if digits.len() > scale {
        let (whole, fraction) = digits.split_at(digits.len() - scale);
        format!("{sign}{whole}.{fraction}")
    } else {
        format!("{sign}0.{}{digits}", "0".repeat(scale - digits.len()))
    }
}

/// A document read from CBOR's data model ([`ser_document`]'s form).
/// What documents do not have is read as the nearest they do: a byte
/// string as its base64 text (as blobs are in JSON), a tagged item as the
/// item, an integer beyond 64 bits as a float.
pub fn de_document(v: &Value) -> Document {
    match v {
        Value::Null => Document::Null,
        Value::Bool(b) => Document::Bool(*b),
        Value::Int(i) => Document::Number(match (u64::try_from(*i), i64::try_from(*i)) {
            (Ok(n), _) => Number::PosInt(n),
            (_, Ok(n)) => Number::NegInt(n),
            _ => Number::Float(*i as f64),
        }),
        Value::Float(f) => Document::Number(Number::Float(*f)),
        Value::Float32(f) => Document::Number(Number::Float(f64::from(*f))),
        Value::Bytes(bytes) => {
            use base64::Engine as _;
            Document::String(base64::engine::general_purpose::STANDARD.encode(bytes))
        }
        Value::Text(s) => Document::String(s.clone()),
        Value::Array(items) => Document::Array(items.iter().map(de_document).collect()),
        Value::Map(map) => Document::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), de_document(v)))
                .collect(),
        ),
        Value::Tag(_, inner) => de_document(inner),
    }
}

/// A member of a structure's map, read with `read`: `None` when the map
/// has no `key` or it is `null`. An error names the key.
pub fn member<T>(
    object: &Map,
    key: &str,
    read: fn(&Value) -> Result<T, DeError>,
) -> Result<Option<T>, DeError> {
    match object.get(key) {
        Some(value) if !value.is_null() => match read(value) {
            Ok(read) => Ok(Some(read)),
            Err(e) => Err(at(key, e)),
        },
        _ => Ok(None),
    }
}

/// A member whose `null` is a value, not an absence: a document's (a
/// document member set to `null` reads back as `Document::Null`).
pub fn nullable_member<T>(
    object: &Map,
    key: &str,
    read: fn(&Value) -> Result<T, DeError>,
) -> Result<Option<T>, DeError> {
    object
        .get(key)
        .map(|value| read(value).map_err(|e| at(key, e)))
        .transpose()
}

impl crate::tree::Tree for Value {
    fn null() -> Self {
        Value::Null
    }

    fn is_null(&self) -> bool {
        Value::is_null(self)
    }

    fn items(&self) -> Result<&[Self], DeError> {
        de_array(self).map(Vec::as_slice)
    }

    fn entries<'a>(
        &'a self,
        f: &mut dyn FnMut(&'a str, &'a Self) -> Result<(), DeError>,
    ) -> Result<(), DeError> {
        de_object(self)?.iter().try_for_each(|(k, v)| f(k, v))
    }

    fn list(items: Vec<Self>) -> Self {
        Value::Array(items)
    }

    fn map(entries: Vec<(String, Self)>) -> Self {
        Value::Map(Map(entries))
    }
}

/// Prefixes a member name to an error from inside it.
pub fn at(member: &str, error: DeError) -> DeError {
    crate::json::at(member, error)
}

fn from_ciborium(v: ciborium::Value) -> Result<Value, DeError> {
    use ciborium::Value as C;
    Ok(match v {
        C::Null => Value::Null,
        C::Bool(b) => Value::Bool(b),
        C::Integer(i) => Value::Int(i128::from(i)),
        C::Float(f) => Value::Float(f),
        C::Bytes(b) => Value::Bytes(b),
        C::Text(t) => Value::Text(t),
        C::Array(items) => Value::Array(
            items
                .into_iter()
                .map(from_ciborium)
                .collect::<Result<_, _>>()?,
        ),
        C::Map(entries) => Value::Map(
            entries
                .into_iter()
                .map(|(k, v)| match k {
                    C::Text(k) => Ok((k, from_ciborium(v)?)),
                    _ => Err("a map key is not a text string".to_owned()),
                })
                .collect::<Result<Map, _>>()?,
        ),
        C::Tag(tag, inner) => Value::Tag(tag, Box::new(from_ciborium(*inner)?)),
        _ => Value::Null,
    })
}

/// An error's document as a server sends it: `value` (the error
/// structure's map) with `__type` set to the error's absolute shape id.
pub fn error_document(value: Value, shape_id: &str) -> Value {
    let mut map = match value {
        Value::Map(map) => map,
        _ => Map::new(),
    };
    map.insert("__type".into(), ser_string(shape_id));
    Value::Map(map)
}

/// Parses a CBOR body; an empty body is an empty map.
pub fn parse_body(body: &[u8]) -> Result<Value, DeError> {
    if body.is_empty() {
        return Ok(Value::Map(Map::new()));
    }
    let value: ciborium::Value =
        ciborium::from_reader(body).map_err(|e| format!("the body is not valid CBOR: {e}"))?;
    from_ciborium(value)
}

/// Serializes a CBOR body (definite lengths, smallest integer heads).
pub fn to_body(value: &Value) -> bytes::Bytes {
    let mut out = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = ciborium::into_writer(&to_ciborium(value), &mut out);
    bytes::Bytes::from(out)
}

fn to_ciborium(value: &Value) -> ciborium::Value {
    use ciborium::Value as C;
    match value {
        Value::Null => C::Null,
        Value::Bool(b) => C::Bool(*b),
        Value::Int(i) => ciborium::value::Integer::try_from(*i).map_or(C::Null, C::Integer),
        Value::Float(f) => C::Float(*f),
        Value::Float32(f) => C::Float(f64::from(*f)),
        Value::Bytes(b) => C::Bytes(b.clone()),
        Value::Text(t) => C::Text(t.clone()),
        Value::Array(items) => C::Array(items.iter().map(to_ciborium).collect()),
        Value::Map(map) => C::Map(
            map.0
                .iter()
                .map(|(k, v)| (C::Text(k.clone()), to_ciborium(v)))
                .collect(),
        ),
        Value::Tag(tag, inner) => C::Tag(*tag, Box::new(to_ciborium(inner))),
    }
}

/// The error type of an rpcv2Cbor error response: the body's `__type`
/// (an absolute shape id), sanitized to the shape name.
pub fn error_code(_response: &crate::transport::HttpResponse, body: &Value) -> Option<String> {
    let code = body.as_object()?.get("__type")?;
    let Value::Text(code) = code else {
        return None;
    };
    let code = crate::binding::sanitize_error_code(code);
    (!code.is_empty()).then(|| code.to_owned())
}

/// The typed details (`__details`) an error document carries.
pub fn error_extras(body: &Value) -> crate::binding::ErrorExtras {
    let details = match body {
        Value::Map(map) => match map.get("__details") {
            // At most the details a client keeps are converted.
            Some(Value::Array(details)) => {
                let kept = details.iter().take(crate::error::MAX_DETAILS).map(to_json);
                let json = serde_json::json!({"__details": kept.collect::<Vec<_>>()});
                crate::error::ErrorDetail::list_from_json(&json)
            }
            Some(_) => Vec::new(),
            None => Vec::new(),
        },
        _ => Vec::new(),
    };
    crate::binding::ErrorExtras::new(details, Vec::new())
}

/// A CBOR value as JSON, for typed error details (which travel in their
/// serde form): byte strings become base64 text, tags their content,
/// non-finite floats `null`.
pub(crate) fn to_json(value: &Value) -> serde_json::Value {
    use base64::Engine as _;
    match value {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => (*b).into(),
        Value::Int(i) => i64::try_from(*i)
            .map(serde_json::Value::from)
            .or_else(|_| u64::try_from(*i).map(serde_json::Value::from))
            .unwrap_or_else(|_| (*i as f64).into()),
        Value::Float(f) => {
            serde_json::Number::from_f64(*f).map_or(serde_json::Value::Null, Into::into)
        }
        Value::Float32(f) => {
            serde_json::Number::from_f64(f64::from(*f)).map_or(serde_json::Value::Null, Into::into)
        }
        Value::Bytes(b) => base64::engine::general_purpose::STANDARD.encode(b).into(),
        Value::Text(t) => t.clone().into(),
        Value::Array(items) => items.iter().map(to_json).collect(),
        Value::Map(map) => {
            serde_json::Value::Object(map.iter().map(|(k, v)| (k.clone(), to_json(v))).collect())
        }
        Value::Tag(_, inner) => to_json(inner),
    }
}

/// A JSON value as CBOR (typed error details, written by servers).
#[cfg(feature = "server")]
pub(crate) fn from_json(value: &serde_json::Value) -> Value {
    match value {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => Value::Int(i128::from(i)),
            (_, Some(u)) => Value::Int(i128::from(u)),
            _ => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        serde_json::Value::String(s) => Value::Text(s.clone()),
        serde_json::Value::Array(items) => Value::Array(items.iter().map(from_json).collect()),
        serde_json::Value::Object(map) => {
            Value::Map(map.iter().map(|(k, v)| (k.clone(), from_json(v))).collect())
        }
    }
}

/// The request id an error body carries: none (the protocol sends it in
/// a header).
pub fn error_request_id(_body: &Value) -> Option<String> {
    None
}

/// Fills a modeled error's message member from [`error_message`] when the
/// body left it empty (the member is `Message`, the service sent `message`).
pub fn fill_message(slot: &mut impl crate::binding::MessageSlot, body: &Value) {
    slot.fill(error_message(body));
}

/// The error message: the `message` member however it is cased, else
/// `errorMessage` likewise.
pub fn error_message(body: &Value) -> Option<String> {
    let map = body.as_object()?;
    ["message", "errormessage"].iter().find_map(|name| {
        map.iter().find_map(|(k, v)| match v {
            Value::Text(s) if k.eq_ignore_ascii_case(name) => Some(s.clone()),
            _ => None,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "server")]
    #[test]
    fn json_survives_cbor() {
        let json = serde_json::json!({
            "a": [1, -2, 3.5, u64::MAX, null, true, "text"],
            "b": {"c": {}},
        });
        assert_eq!(to_json(&from_json(&json)), json);
    }

    #[test]
    fn a_map_keeps_the_last_value_of_a_repeated_key_in_its_first_place() {
        let map: Map = [("a", 1), ("b", 2), ("a", 3)]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), ser_int(v)))
            .collect();
        let entries: Vec<(&String, &Value)> = map.iter().collect();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0], (&"a".to_owned(), &ser_int(3)));
        assert_eq!(entries[1], (&"b".to_owned(), &ser_int(2)));
    }

    #[test]
    fn round_trips_through_bytes() {
        let mut map = Map::new();
        map.insert("a".into(), ser_int(-500));
        map.insert("b".into(), ser_f32(1.5));
        map.insert(
            "c".into(),
            ser_timestamp(&DateTime::from_secs(1_000), TimestampFormat::EpochSeconds),
        );
        map.insert("d".into(), ser_blob(&Blob::from("hi")));
        let value = object(map);
        let parsed = parse_body(&to_body(&value)).unwrap();
        let parsed = de_object(&parsed).unwrap();
        assert_eq!(de_int::<i32>(parsed.get("a").unwrap()).unwrap(), -500);
        assert_eq!(de_float(parsed.get("b").unwrap()).unwrap(), 1.5);
        assert_eq!(
            de_timestamp(parsed.get("c").unwrap(), TimestampFormat::EpochSeconds).unwrap(),
            DateTime::from_secs(1_000)
        );
        assert_eq!(de_blob(parsed.get("d").unwrap()).unwrap(), Blob::from("hi"));
    }

    #[test]
    fn documents_round_trip_through_bytes() {
        // Found by the round-trip property tests: documents were written
        // as `null` and read as `null`, whatever they held.
        let document = Document::Object(
            [
                ("null", Document::Null),
                ("yes", Document::Bool(true)),
                ("big", Document::Number(Number::PosInt(u64::MAX))),
                ("low", Document::Number(Number::NegInt(i64::MIN))),
                ("half", Document::Number(Number::Float(-0.5))),
                ("text", Document::String("ünï".into())),
                (
                    "list",
                    Document::Array(vec![
                        Document::Array(vec![]),
                        Document::Object(Default::default()),
                    ]),
                ),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
        );
        let parsed = parse_body(&to_body(&ser_document(&document))).unwrap();
        assert_eq!(de_document(&parsed), document);
        // What documents lack is read as the nearest they have.
        assert_eq!(
            de_document(&Value::Bytes(b"hi".to_vec())),
            Document::String("aGk=".into())
        );
        assert_eq!(
            de_document(&Value::Tag(1, Box::new(Value::Int(5)))),
            Document::Number(Number::PosInt(5))
        );
    }

    #[test]
    fn huge_decimal_exponents_are_rejected_before_allocating() {
        // Found by the `response` fuzz target: tag 4 with exponent -1.5e9.
        let body = [
            0xa1, 0x60, 0xc4, 0x82, 0x3b, 0, 0, 0, 0, 0x5a, 0, 0x20, 0, 0, 0, 0x30,
        ];
        let value = parse_body(&body).unwrap();
        let map = de_object(&value).unwrap();
        let err = de_big_decimal(map.get("").unwrap()).unwrap_err();
        assert!(err.contains("out of range"), "{err}");
    }

    #[test]
    fn decimal_fractions() {
        assert_eq!(decimal_text("12345", -2), "123.45");
        assert_eq!(decimal_text("-5", -3), "-0.005");
        assert_eq!(decimal_text("7", 2), "700");
    }

    /// Found by the model-driven round trips: big numbers beyond 64 bits
    /// were written as text, which no reader takes.
    #[test]
    fn big_numbers_beyond_64_bits_are_bignums() {
        for text in [
            "18446744073709551616",
            "-18446744073709551617",
            "775894292795402389953648",
            "-340282366920938463463374607431768211456000",
            "18446744073709551615",
            "-18446744073709551616",
            "0",
            "-1",
        ] {
            let big: BigInteger = text.parse().unwrap();
            let value = ser_big_integer(&big);
            assert!(!matches!(value, Value::Text(_)), "{text}: {value:?}");
            assert_eq!(de_big_integer(&value).unwrap().as_str(), text);
        }
        // 2^64 is tag 2 around 01 00 .. 00; -2^64 - 1 is tag 3 around the same.
        let two_64 = Value::Tag(2, Box::new(Value::Bytes([&[1u8][..], &[0; 8]].concat())));
        assert_eq!(
            ser_big_integer(&"18446744073709551616".parse().unwrap()),
            two_64
        );
        for text in [
            "1.50",
            "-0.5",
            "123456789012345678901234.5",
            "-98765432109876543210987654321.000",
            "0",
        ] {
            let big: BigDecimal = text.parse().unwrap();
            let value = ser_big_decimal(&big);
            assert!(matches!(value, Value::Tag(4, _)), "{text}: {value:?}");
            assert_eq!(de_big_decimal(&value).unwrap().as_str(), text);
        }
        assert_eq!(
            de_big_decimal(&ser_big_decimal(&"1.5e-3".parse().unwrap()))
                .unwrap()
                .as_str(),
            "0.0015"
        );
    }

    #[test]
    fn bignums_are_bounded() {
        let huge = Value::Tag(2, Box::new(Value::Bytes(vec![0xff; MAX_BIGNUM_BYTES + 1])));
        assert!(de_big_integer(&huge).unwrap_err().contains("too large"));
        let most = Value::Tag(3, Box::new(Value::Bytes(vec![0xff; MAX_BIGNUM_BYTES])));
        assert!(de_big_integer(&most).unwrap().as_str().starts_with("-"));
    }
}
