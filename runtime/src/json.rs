//! JSON helpers for generated protocol code (restJson1, awsJson1_0/1_1):
//! the Smithy JSON encodings of blobs (base64), timestamps (per
//! `@timestampFormat`), non-finite floats (`"NaN"`, `"Infinity"`), big
//! numbers and documents. Generated code reaches serde_json through
//! [`crate::__private`], so it is not part of this crate's public API.

use base64::Engine as _;
use serde_json::Number as JsonNumber;
pub use serde_json::{Map, Value};

pub use crate::tree::{
    de_list, de_map, de_sparse_list, de_sparse_map, ser_list, ser_map, ser_sparse_list,
    ser_sparse_map, strict_de_map,
};
use crate::{BigDecimal, BigInteger, Blob, DateTime, Document, Number, TimestampFormat};

/// A value did not have the expected JSON type or format.
pub type DeError = String;

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn expected(what: &str, v: &Value) -> DeError {
    format!("expected {what}, found {}", kind(v))
}

/// `null`.
pub fn null() -> Value {
    Value::Null
}

/// An object value.
pub fn object(map: Map<String, Value>) -> Value {
    Value::Object(map)
}

/// An array value.
pub fn array(items: Vec<Value>) -> Value {
    Value::Array(items)
}

/// A string.
pub fn ser_string(v: &str) -> Value {
    Value::String(v.to_owned())
}

/// A boolean.
pub fn ser_bool(v: bool) -> Value {
    Value::Bool(v)
}

/// An integer.
pub fn ser_int(v: i64) -> Value {
    Value::from(v)
}

/// A float, with Smithy's string forms for non-finite values.
pub fn ser_float(v: f64) -> Value {
    if v.is_nan() {
        Value::String("NaN".into())
    } else if v.is_infinite() {
        Value::String(if v > 0.0 { "Infinity" } else { "-Infinity" }.into())
    } else {
        JsonNumber::from_f64(v).map_or(Value::Null, Value::Number)
    }
}

/// A `float` as a JSON number with its shortest `f32` digits (`1.1`, not
/// the widened `1.100000023841858`).
pub fn ser_f32(v: f32) -> Value {
    if v.is_finite() {
        v.to_string()
            .parse::<JsonNumber>()
            .map_or(Value::Null, Value::Number)
    } else {
        ser_float(f64::from(v))
    }
}

/// A blob as base64.
pub fn ser_blob(v: &Blob) -> Value {
    Value::String(base64::engine::general_purpose::STANDARD.encode(v.as_bytes()))
}

/// A timestamp in the given format (epoch-seconds is a number, the others strings).
pub fn ser_timestamp(v: &DateTime, format: TimestampFormat) -> Value {
    match format {
        // Milliseconds at most (`DateTime::fmt`); the text is the number.
        TimestampFormat::EpochSeconds => {
            let v = v.truncated_to_millis();
            if v.subsec_nanos() == 0 {
                Value::from(v.secs())
            } else {
                ser_float(v.to_wire_secs_f64())
            }
        }
        _ => v.fmt(format).map_or(Value::Null, Value::String),
    }
}

/// A big integer as a JSON number.
pub fn ser_big_integer(v: &BigInteger) -> Value {
    v.as_str()
        .parse::<JsonNumber>()
        .map_or(Value::Null, Value::Number)
}

/// A big decimal as a JSON number.
pub fn ser_big_decimal(v: &BigDecimal) -> Value {
    v.as_str()
        .parse::<JsonNumber>()
        .map_or(Value::Null, Value::Number)
}

/// A big integer as a JSON string of its digits (rpcv2Json).
pub fn ser_big_integer_text(v: &BigInteger) -> Value {
    Value::String(v.as_str().to_owned())
}

/// A big decimal as a JSON string of its digits (rpcv2Json).
pub fn ser_big_decimal_text(v: &BigDecimal) -> Value {
    Value::String(v.as_str().to_owned())
}

/// A document as JSON.
pub fn ser_document(v: &Document) -> Value {
    match v {
        Document::Null => Value::Null,
        Document::Bool(b) => Value::Bool(*b),
        Document::Number(Number::PosInt(n)) => Value::from(*n),
        Document::Number(Number::NegInt(n)) => Value::from(*n),
        Document::Number(Number::Float(f)) => ser_float(*f),
        Document::String(s) => Value::String(s.clone()),
        Document::Array(items) => Value::Array(items.iter().map(ser_document).collect()),
        Document::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), ser_document(v)))
                .collect(),
        ),
    }
}

/// The object of a structure or union value.
pub fn de_object(v: &Value) -> Result<&Map<String, Value>, DeError> {
    v.as_object().ok_or_else(|| expected("an object", v))
}

/// A member of a structure's object, read with `read`: `None` when the
/// object has no `key` or it is `null`. An error names the key.
pub fn member<T>(
    object: &Map<String, Value>,
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
    object: &Map<String, Value>,
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
        Value::Object(entries.into_iter().collect())
    }
}

/// The items of a list value.
pub fn de_array(v: &Value) -> Result<&Vec<Value>, DeError> {
    v.as_array().ok_or_else(|| expected("an array", v))
}

/// A string.
pub fn de_string(v: &Value) -> Result<String, DeError> {
    v.as_str()
        .map(str::to_owned)
        .ok_or_else(|| expected("a string", v))
}

/// A boolean.
pub fn de_bool(v: &Value) -> Result<bool, DeError> {
    v.as_bool().ok_or_else(|| expected("a boolean", v))
}

/// An integer that must fit `T`.
pub fn de_int<T: TryFrom<i64>>(v: &Value) -> Result<T, DeError> {
    let n = v.as_i64().ok_or_else(|| expected("an integer", v))?;
    T::try_from(n).map_err(|_| format!("integer {n} out of range"))
}

/// A float, accepting Smithy's string forms of non-finite values.
pub fn de_float(v: &Value) -> Result<f64, DeError> {
    match v {
        Value::Number(n) => n.as_f64().ok_or_else(|| expected("a number", v)),
        Value::String(s) if s == "NaN" => Ok(f64::NAN),
        Value::String(s) if s == "Infinity" => Ok(f64::INFINITY),
        Value::String(s) if s == "-Infinity" => Ok(f64::NEG_INFINITY),
        _ => Err(expected("a number", v)),
    }
}

/// A base64 blob.
pub fn de_blob(v: &Value) -> Result<Blob, DeError> {
    let s = v.as_str().ok_or_else(|| expected("a base64 string", v))?;
    base64::engine::general_purpose::STANDARD
        .decode(s)
        .map(Blob::new)
        .map_err(|e| format!("invalid base64: {e}"))
}

/// A timestamp in the given format (epoch-seconds also accepts strings of digits).
pub fn de_timestamp(v: &Value, format: TimestampFormat) -> Result<DateTime, DeError> {
    match (v, format) {
        (Value::Number(n), TimestampFormat::EpochSeconds) => {
            DateTime::parse(&n.to_string(), TimestampFormat::EpochSeconds)
                .map_err(|e| e.to_string())
        }
        (Value::String(s), format) => DateTime::parse(s, format).map_err(|e| e.to_string()),
        _ => Err(expected("a timestamp", v)),
    }
}

/// [`de_timestamp`] in `epoch-seconds`, as a reader function.
pub fn de_epoch_seconds(v: &Value) -> Result<DateTime, DeError> {
    de_timestamp(v, TimestampFormat::EpochSeconds)
}

/// [`de_timestamp`] in `date-time`, as a reader function.
pub fn de_date_time(v: &Value) -> Result<DateTime, DeError> {
    de_timestamp(v, TimestampFormat::DateTime)
}

/// [`de_timestamp`] in `http-date`, as a reader function.
pub fn de_http_date(v: &Value) -> Result<DateTime, DeError> {
    de_timestamp(v, TimestampFormat::HttpDate)
}

/// A timestamp as a server reads a request's: epoch seconds only as a
/// number, date-times only in UTC (`Z`), the strict way
/// [`DateTime::parse_strict`] reads them.
pub fn de_timestamp_strict(v: &Value, format: TimestampFormat) -> Result<DateTime, DeError> {
    match (v, format) {
        (Value::Number(n), TimestampFormat::EpochSeconds) => {
            DateTime::parse(&n.to_string(), TimestampFormat::EpochSeconds)
                .map_err(|e| e.to_string())
        }
        (Value::String(s), TimestampFormat::DateTime | TimestampFormat::HttpDate) => {
            DateTime::parse_strict(s, format).map_err(|e| e.to_string())
        }
        _ => Err(expected("a timestamp", v)),
    }
}

/// A big integer.
pub fn de_big_integer(v: &Value) -> Result<BigInteger, DeError> {
    let text = match v {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        _ => return Err(expected("an integer", v)),
    };
    text.parse()
        .map_err(|e: crate::primitives::ParseBigNumberError| e.to_string())
}

/// A big decimal.
pub fn de_big_decimal(v: &Value) -> Result<BigDecimal, DeError> {
    let text = match v {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        _ => return Err(expected("a number", v)),
    };
    text.parse()
        .map_err(|e: crate::primitives::ParseBigNumberError| e.to_string())
}

/// A document.
pub fn de_document(v: &Value) -> Document {
    match v {
        Value::Null => Document::Null,
        Value::Bool(b) => Document::Bool(*b),
        Value::Number(n) => Document::Number(match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Number::PosInt(u),
            (_, Some(i)) => Number::NegInt(i),
            _ => Number::Float(n.as_f64().unwrap_or(f64::NAN)),
        }),
        Value::String(s) => Document::String(s.clone()),
        Value::Array(items) => Document::Array(items.iter().map(de_document).collect()),
        Value::Object(map) => Document::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), de_document(v)))
                .collect(),
        ),
    }
}

/// Parses a JSON body; an empty body is an empty object.
pub fn parse_body(body: &[u8]) -> Result<Value, DeError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(Map::new()));
    }
    serde_json::from_slice(body).map_err(|e| format!("the body is not valid JSON: {e}"))
}

/// Serializes a JSON body.
pub fn to_body(value: &Value) -> bytes::Bytes {
    bytes::Bytes::from(value.to_string())
}

/// An error's document as a server sends it: `value` (the error
/// structure's object) with `__type` set to the error's absolute shape id.
pub fn error_document(value: Value, shape_id: &str) -> Value {
    let mut map = match value {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    map.insert("__type".into(), Value::String(shape_id.into()));
    Value::Object(map)
}

/// The error type of a JSON error response: the `X-Amzn-Errortype` header,
/// else the body's `__type` or `code` field, sanitized to a shape name.
pub fn error_code(response: &crate::transport::HttpResponse, body: &Value) -> Option<String> {
    let from_header = response
        .headers()
        .get("x-amzn-errortype")
        .and_then(|v| v.to_str().ok());
    let from_body = || {
        ["__type", "code"]
            .iter()
            .find_map(|k| body.get(*k).and_then(Value::as_str))
    };
    from_header
        .or_else(from_body)
        .map(crate::binding::sanitize_error_code)
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
}

/// The error type of an rpcv2Json error response: the body's `__type` (an
/// absolute shape id) alone, sanitized to a shape name. The protocol
/// ignores `X-Amzn-Errortype` and `code`.
pub fn error_type(body: &Value) -> Option<String> {
    body.get("__type")
        .and_then(Value::as_str)
        .map(crate::binding::sanitize_error_code)
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
}

// JSON-RPC 2.0 (`tinsmith.protocols#jsonRpc2`): the request and response
// objects around the documents (https://www.jsonrpc.org/specification).

/// The request object of a call of `method` with `params`, with a fresh
/// `id` (retries of one call resend the same object).
pub fn json_rpc_request(method: &str, params: Value) -> Value {
    serde_json::json!({
        "jsonrpc": "2.0",
        "id": uuid::Uuid::new_v4().to_string(),
        "method": method,
        "params": params,
    })
}

/// True when a JSON-RPC response failed: an HTTP status other than 2xx, or
/// a response object with an `error`.
pub fn json_rpc_failed(response: &crate::transport::HttpResponse) -> bool {
    if !response.status().is_success() {
        return true;
    }
    serde_json::from_slice::<Value>(response.body())
        .is_ok_and(|v| v.get("error").is_some_and(|e| !e.is_null()))
}

/// The `result` of a successful JSON-RPC response object (`null` when the
/// operation has no output).
pub fn json_rpc_result(body: &[u8]) -> Result<Value, DeError> {
    let mut response: Value =
        serde_json::from_slice(body).map_err(|e| format!("the body is not valid JSON: {e}"))?;
    match response.get_mut("result") {
        Some(result) => Ok(result.take()),
        None => match response.pointer("/error/message").and_then(Value::as_str) {
            Some(message) => Err(format!("the JSON-RPC response is an error: {message}")),
            None => Err(String::from("the JSON-RPC response has no `result`")),
        },
    }
}

/// True when a JSON-RPC message's headers say its body is an event stream
/// (`application/vnd.amazon.eventstream`) rather than a JSON document: how
/// calls of operations with event streams are told apart.
pub fn json_rpc_streams(headers: &http::HeaderMap) -> bool {
    headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| {
            v.trim()
                .eq_ignore_ascii_case(crate::eventstream::CONTENT_TYPE)
        })
}

/// The document of a failed JSON-RPC response: the error object's `data`
/// (the modeled error's members and `__type`) as it is; without an object
/// in `data`, the error's `message`. A `__type` named after a standard
/// error code (`MethodNotFound`, `InvalidParams`, ...) is added when the
/// document names no type.
///
/// A modeled error's members are its `data` alone: the envelope's
/// `message` (which JSON-RPC requires, so servers fill it in) is not the
/// error's `message` member when the error has none.
pub fn json_rpc_error_data(body: &[u8]) -> Value {
    let response: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let error = response.get("error");
    let mut data = match error.and_then(|e| e.get("data")) {
        Some(Value::Object(map)) => map.clone(),
        _ => {
            let mut data = Map::new();
            if let Some(message) = error.and_then(|e| e.get("message")).and_then(Value::as_str) {
                data.insert("message".into(), Value::String(message.into()));
            }
            data
        }
    };
    if !data.contains_key("__type") {
        let code = error.and_then(|e| e.get("code")).and_then(Value::as_i64);
        let name = match code {
            Some(-32700) => "ParseError",
            Some(-32600) => "InvalidRequest",
            Some(-32601) => "MethodNotFound",
            Some(-32602) => "InvalidParams",
            Some(-32603) => "InternalError",
            Some(_) => "ServerError",
            None => "",
        };
        if !name.is_empty() {
            data.insert("__type".into(), Value::String(name.into()));
        }
    }
    Value::Object(data)
}

/// The typed details (`__details`) an error document carries.
pub fn error_extras(body: &Value) -> crate::binding::ErrorExtras {
    crate::binding::ErrorExtras::new(crate::error::ErrorDetail::list_from_json(body), Vec::new())
}

/// The typed details (`__details`) and metadata (`__metadata`, an object
/// of strings) of a JSON-RPC 2.0 error's `data`, where one response may
/// answer a batch, so metadata cannot be headers.
pub fn json_rpc_error_extras(data: &Value) -> crate::binding::ErrorExtras {
    let metadata = match data.get("__metadata") {
        Some(Value::Object(map)) => map
            .iter()
            .take(crate::binding::MAX_METADATA)
            .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
            .collect(),
        _ => Vec::new(),
    };
    crate::binding::ErrorExtras::new(crate::error::ErrorDetail::list_from_json(data), metadata)
}

/// The request id an error body carries: none (the protocols send it in
/// a header).
pub fn error_request_id(_body: &Value) -> Option<String> {
    None
}

/// Fills a modeled error's message member from [`error_message`] when the
/// body left it empty (the member is `Message`, the service sent `message`).
pub fn fill_message(slot: &mut impl crate::binding::MessageSlot, body: &Value) {
    slot.fill(error_message(body));
}

/// The error message of a JSON error response: the `message` member,
/// however the service cases it (`message`, `Message`, `MESSAGE`), else
/// `errorMessage` likewise.
pub fn error_message(body: &Value) -> Option<String> {
    let object = body.as_object()?;
    ["message", "errormessage"].iter().find_map(|name| {
        object
            .iter()
            .find(|(k, v)| k.eq_ignore_ascii_case(name) && v.is_string())
            .and_then(|(_, v)| v.as_str())
            .map(str::to_owned)
    })
}

/// Prefixes a member name to an error from inside it.
pub fn at(member: &str, error: DeError) -> DeError {
    format!("{member}: {error}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the model-driven round trips: a modeled error without a
    /// `message` member read back with the envelope's message in it.
    #[test]
    fn a_json_rpc_error_is_its_data() {
        let modeled = br#"{"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"NotFound","data":{"__type":"NotFound","key":"k"}}}"#;
        assert_eq!(
            json_rpc_error_data(modeled),
            serde_json::json!({"__type": "NotFound", "key": "k"})
        );
        let plain =
            br#"{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"no such method"}}"#;
        assert_eq!(
            json_rpc_error_data(plain),
            serde_json::json!({"__type": "MethodNotFound", "message": "no such method"})
        );
    }

    #[test]
    fn error_messages_are_found_however_they_are_cased() {
        for body in [
            r#"{"message":"a"}"#,
            r#"{"Message":"a"}"#,
            r#"{"MESSAGE":"a","errorMessage":"b"}"#,
            r#"{"errorMessage":"a"}"#,
            r#"{"ErrorMessage":"a","code":"x"}"#,
        ] {
            let body: Value = serde_json::from_str(body).unwrap();
            assert_eq!(error_message(&body).as_deref(), Some("a"), "{body}");
        }
        assert_eq!(error_message(&serde_json::json!({"message": 1})), None);
    }

    #[test]
    fn round_trips_smithy_json_encodings() {
        assert_eq!(ser_float(f64::NAN), Value::String("NaN".into()));
        assert!(
            de_float(&Value::String("-Infinity".into()))
                .unwrap()
                .is_infinite()
        );
        let blob = Blob::from("hi");
        assert_eq!(de_blob(&ser_blob(&blob)).unwrap(), blob);
        let t = DateTime::from_secs_and_nanos(1_500_000_000, 250_000_000);
        assert_eq!(
            ser_timestamp(&t, TimestampFormat::EpochSeconds).to_string(),
            "1500000000.25"
        );
        assert_eq!(
            de_timestamp(
                &ser_timestamp(&t, TimestampFormat::DateTime),
                TimestampFormat::DateTime
            )
            .unwrap(),
            t
        );
        assert_eq!(
            de_int::<i8>(&Value::from(300)).unwrap_err(),
            "integer 300 out of range"
        );
        assert_eq!(
            de_string(&Value::from(1)).unwrap_err(),
            "expected a string, found a number"
        );
    }
}
