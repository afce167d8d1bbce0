//! HTTP binding helpers for generated protocol code: building a request from
//! labels, query parameters, headers and a body, and reading headers, status
//! and error details back from a response.
//!
//! Encodings follow Smithy's HTTP binding rules: labels and query strings
//! are percent-encoded per RFC 3986 (greedy labels keep `/`), header lists
//! are comma-separated with quoting, timestamps default to `date-time` in
//! labels and queries and `http-date` in headers, non-finite floats are
//! `NaN`/`Infinity`/`-Infinity`. Hidden from the docs: generated code is the
//! only caller.

use std::collections::HashMap;
use std::str::FromStr;

use base64::Engine as _;
use bytes::Bytes;
use http::header::{HeaderName, HeaderValue};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::bytestream::ByteStream;
use crate::error::{ConstructionError, ErrorStatus, ResponseError};
use crate::transport::{HttpRequest, HttpResponse};
use crate::{DateTime, TimestampFormat};

/// Everything but RFC 3986 unreserved characters is encoded.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');
/// Greedy labels keep their path separators.
const GREEDY: &AsciiSet = &UNRESERVED.remove(b'/');

/// A header's name and value as HTTP types; a name or value HTTP cannot
/// carry (or a value it would change, with a blank at either end) is an
/// error that names the header.
pub(crate) fn header_pair(
    name: &str,
    value: &str,
) -> Result<(HeaderName, HeaderValue), ConstructionError> {
    let name = HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| ConstructionError::new(format!("`{name}` is not a valid HTTP header name")))?;
    if value.starts_with(BLANKS) || value.ends_with(BLANKS) {
        // HTTP drops them (RFC 9110 §5.5): the value would arrive changed.
        return Err(ConstructionError::new(format!(
            "the value of header `{name}` begins or ends with a blank, which HTTP drops"
        )));
    }
    let value = HeaderValue::from_str(value).map_err(|_| {
        ConstructionError::new(format!(
            "the value of header `{name}` contains characters a header cannot carry"
        ))
    })?;
    Ok((name, value))
}

/// Bodies smaller than this are not compressed (`@requestCompression`).
pub const MIN_COMPRESSION_SIZE: usize = 10_240;

/// Header names under which services report the request id, in order of preference.
const REQUEST_ID_HEADERS: &[&str] = &["x-amzn-requestid", "x-amz-request-id", "x-request-id"];

/// A request being assembled by generated serializers.
#[derive(Debug)]
pub struct RequestParts {
    method: http::Method,
    path: String,
    query: Vec<(String, Option<String>)>,
    headers: http::HeaderMap,
    body: Bytes,
    stream: Option<ByteStream>,
    host_prefix: Option<String>,
}

impl RequestParts {
    /// Starts a request with a method and an already-encoded path.
    pub fn new(method: http::Method, path: String) -> Self {
        RequestParts {
            method,
            path,
            query: Vec::new(),
            headers: http::HeaderMap::new(),
            body: Bytes::new(),
            stream: None,
            host_prefix: None,
        }
    }

    /// Prefixes the endpoint's host (`@endpoint(hostPrefix)`), e.g. `data.`.
    pub fn host_prefix(&mut self, prefix: impl Into<String>) {
        self.host_prefix = Some(prefix.into());
    }

    /// Adds a query parameter (encoded here).
    pub fn query(&mut self, key: &str, value: impl Into<String>) {
        self.query.push((key.to_owned(), Some(value.into())));
    }

    /// Adds a query parameter without a value (`?flag`), from a literal in the URI pattern.
    pub fn query_flag(&mut self, key: &str) {
        self.query.push((key.to_owned(), None));
    }

    /// True when a query parameter with this name is already set
    /// (`@httpQuery` wins over `@httpQueryParams`).
    pub fn has_query(&self, key: &str) -> bool {
        self.query.iter().any(|(k, _)| k == key)
    }

    /// Sets a header; a value that is not a valid header value is an error.
    pub fn header(&mut self, name: &str, value: impl AsRef<str>) -> Result<(), ConstructionError> {
        let (name, value) = header_pair(name, value.as_ref())?;
        self.headers.insert(name, value);
        Ok(())
    }

    /// True when the header is set.
    pub fn has_header(&self, name: &str) -> bool {
        self.headers.contains_key(name)
    }

    /// Sets the body and its content type.
    pub fn body(
        &mut self,
        content_type: &str,
        body: impl Into<Bytes>,
    ) -> Result<(), ConstructionError> {
        if !self.has_header("content-type") {
            self.header("content-type", content_type)?;
        }
        self.body = body.into();
        Ok(())
    }

    /// Sets a streamed body (`@streaming` blob payload or event stream) and
    /// its content type. A body of known length is sent with
    /// `Content-Length`; one of unknown length with chunked transfer
    /// encoding, unless [`BodyLength::Required`] (`@requiresLength`) makes
    /// that an error.
    pub fn streaming_body(
        &mut self,
        content_type: &str,
        body: ByteStream,
        length: BodyLength,
    ) -> Result<(), ConstructionError> {
        if !self.has_header("content-type") {
            self.header("content-type", content_type)?;
        }
        match body.content_length() {
            Some(length) => {
                self.headers
                    .insert(http::header::CONTENT_LENGTH, HeaderValue::from(length));
            }
            None if length == BodyLength::Required => {
                return Err(ConstructionError::new(
                    "this operation requires a body of known length (`@requiresLength`); build the ByteStream from memory, a file path, or ByteStream::from_sized_stream",
                ));
            }
            None => {}
        }
        self.stream = Some(body);
        Ok(())
    }

    /// Sets `Content-MD5` to the base64 MD5 digest of the body
    /// (`@httpChecksumRequired`), unless the caller set one.
    pub fn content_md5(&mut self) -> Result<(), ConstructionError> {
        use md5::Digest as _;
        if self.has_header("content-md5") {
            return Ok(());
        }
        let digest = md5::Md5::digest(&self.body);
        let value = base64::engine::general_purpose::STANDARD.encode(digest);
        self.header("content-md5", &value)
    }

    /// Compresses the body with the first encoding the runtime supports
    /// (`@requestCompression`; today `gzip`) when it is at least
    /// `min_size` bytes, and appends the encoding to `Content-Encoding`.
    pub fn compress(
        &mut self,
        encodings: &[&str],
        min_size: usize,
    ) -> Result<(), ConstructionError> {
        use std::io::Write as _;
        if self.body.len() < min_size || !encodings.contains(&"gzip") {
            return Ok(());
        }
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder
            .write_all(&self.body)
            .map_err(|e| ConstructionError::with_source("compressing the body", e))?;
        let compressed = encoder
            .finish()
            .map_err(|e| ConstructionError::with_source("compressing the body", e))?;
        self.body = Bytes::from(compressed);
        let encoding = match self
            .headers
            .get("content-encoding")
            .and_then(|v| v.to_str().ok())
        {
            Some(existing) if !existing.is_empty() => format!("{existing}, gzip"),
            _ => "gzip".to_owned(),
        };
        self.header("content-encoding", &encoding)
    }

    /// Finishes the request against an endpoint (`https://host[:port][/base]`).
    pub fn build(self, endpoint: &str) -> Result<HttpRequest, ConstructionError> {
        let mut uri = String::with_capacity(endpoint.len() + self.path.len() + 16);
        let endpoint = endpoint.trim_end_matches('/');
        match (&self.host_prefix, endpoint.find("://")) {
            (Some(prefix), Some(at)) => {
                uri.push_str(&endpoint[..at + 3]);
                uri.push_str(prefix);
                uri.push_str(&endpoint[at + 3..]);
            }
            _ => uri.push_str(endpoint),
        }
        uri.push_str(&self.path);
        for (i, (key, value)) in self.query.iter().enumerate() {
            uri.push(if i == 0 { '?' } else { '&' });
            uri.extend(utf8_percent_encode(key, UNRESERVED));
            if let Some(value) = value {
                uri.push('=');
                uri.extend(utf8_percent_encode(value, UNRESERVED));
            }
        }
        let mut request = http::Request::builder()
            .method(self.method)
            .uri(&uri)
            .body(())
            .map_err(|e| {
                ConstructionError::with_source(format!("invalid request URI `{uri}`"), e)
            })?;
        *request.headers_mut() = self.headers;
        if let Some(stream) = self.stream {
            return Ok(request.map(|()| stream));
        }
        let length = self.body.len();
        if length > 0
            || request.method() == http::Method::POST
            || request.method() == http::Method::PUT
        {
            request
                .headers_mut()
                .insert(http::header::CONTENT_LENGTH, HeaderValue::from(length));
        }
        Ok(request.map(|()| ByteStream::new(self.body)))
    }
}

/// Whether a streamed request body must have a known length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyLength {
    /// Any body: one of unknown length is sent chunked.
    Any,
    /// `@requiresLength`: the length must be known before sending.
    Required,
}

/// Encodes a path label (`{name}`): everything but unreserved characters
/// is percent-encoded, `/` included. An empty label cannot be sent.
pub fn label(member: &str, value: impl AsRef<str>) -> Result<String, ConstructionError> {
    encode_label(member, value.as_ref(), UNRESERVED)
}

/// Encodes a greedy path label (`{name+}`): like [`label`], but `/` is
/// kept, so the value may span several path segments.
pub fn greedy_label(member: &str, value: impl AsRef<str>) -> Result<String, ConstructionError> {
    encode_label(member, value.as_ref(), GREEDY)
}

fn encode_label(
    member: &str,
    value: &str,
    set: &'static AsciiSet,
) -> Result<String, ConstructionError> {
    if value.is_empty() {
        return Err(ConstructionError::new(format!(
            "`{member}` is bound to the request path and must not be empty"
        )));
    }
    Ok(utf8_percent_encode(value, set).to_string())
}

/// Checks a `@hostLabel` value: it becomes part of a host name, so it must
/// be non-empty letters, digits, `-` and `.`.
pub fn host_label(member: &str, value: &str) -> Result<String, ConstructionError> {
    let valid = !value.is_empty()
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
    if valid {
        Ok(value.to_owned())
    } else {
        Err(ConstructionError::new(format!(
            "`{member}` is part of the host name and must be non-empty letters, digits, `-` or `.`; got `{value}`"
        )))
    }
}

/// A float as Smithy writes it in text.
pub fn fmt_float(value: f64) -> String {
    if value.is_nan() {
        "NaN".to_owned()
    } else if value.is_infinite() {
        if value > 0.0 { "Infinity" } else { "-Infinity" }.to_owned()
    } else {
        value.to_string()
    }
}

/// A `float` as Smithy writes it in text: its shortest `f32` form (`1.1`,
/// not the widened `1.100000023841858`).
pub fn fmt_f32(value: f32) -> String {
    if value.is_finite() {
        value.to_string()
    } else {
        fmt_float(f64::from(value))
    }
}

/// A timestamp in a wire format, for a label, query parameter or header.
pub fn fmt_timestamp(
    value: &DateTime,
    format: TimestampFormat,
) -> Result<String, ConstructionError> {
    value
        .fmt(format)
        .map_err(|e| ConstructionError::with_source("timestamp cannot be sent", e))
}

/// Base64 of a string (`@mediaType` strings in headers).
pub fn fmt_base64(value: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(value)
}

/// Base64 of bytes (blobs in headers).
pub fn fmt_base64_bytes(value: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(value)
}

/// A list header value: items joined with `, `, each quoted when it
/// contains a comma or a double quote, is empty, or begins or ends with a
/// blank.
pub fn fmt_header_list<I, S>(items: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut out = String::new();
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let item = item.as_ref();
        // Quoted where a reader would split, unquote or trim it otherwise
        // (an empty item, one with blanks at either end).
        if item.contains([',', '"'])
            || item.is_empty()
            || item.starts_with(BLANKS)
            || item.ends_with(BLANKS)
        {
            out.push('"');
            out.push_str(&item.replace('\\', "\\\\").replace('"', "\\\""));
            out.push('"');
        } else {
            out.push_str(item);
        }
    }
    out
}

/// The value of a response header (several lines joined with `, `); a value
/// that is not text is an error.
pub fn header<B>(response: &http::Response<B>, name: &str) -> Result<Option<String>, String> {
    header_in(response.headers(), name)
}

/// The value of header `name` in `headers` (several lines joined with
/// `, `); a value that is not text is an error.
pub fn header_in(headers: &http::HeaderMap, name: &str) -> Result<Option<String>, String> {
    let mut values = headers.get_all(name).iter().peekable();
    if values.peek().is_none() {
        return Ok(None);
    }
    let mut out = String::new();
    for (i, value) in values.enumerate() {
        // Bytes beyond ASCII are read as UTF-8, as clients write text
        // there (HTTP's obs-text); anything else is not text.
        let text = std::str::from_utf8(value.as_bytes())
            .map_err(|_| format!("header `{name}` is not UTF-8 text"))?;
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(text);
    }
    Ok(Some(out))
}

/// Response headers whose names start with `prefix`, keyed by the rest of the name.
pub fn prefix_headers<B>(
    response: &http::Response<B>,
    prefix: &str,
) -> Result<HashMap<String, String>, String> {
    prefix_headers_in(response.headers(), prefix)
}

/// The headers of `headers` whose names start with `prefix`, keyed by the
/// rest of the name.
pub fn prefix_headers_in(
    headers: &http::HeaderMap,
    prefix: &str,
) -> Result<HashMap<String, String>, String> {
    let prefix = prefix.to_ascii_lowercase();
    let mut out = HashMap::new();
    for name in headers.keys() {
        if let Some(rest) = name.as_str().strip_prefix(&prefix)
            && let Some(value) = header_in(headers, name.as_str())?
        {
            out.insert(rest.to_owned(), value);
        }
    }
    Ok(out)
}

/// Splits a list header value at commas outside double quotes, unquoting items.
pub fn split_header_list(value: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut was_quoted = false;
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                if !quoted && current.trim_matches(BLANKS).is_empty() {
                    // Whitespace before an opening quote is not part of the item.
                    current.clear();
                }
                quoted = !quoted;
                was_quoted = true;
            }
            '\\' if quoted => current.extend(chars.next()),
            ',' if !quoted => {
                items.push(finish_item(&mut current, was_quoted));
                was_quoted = false;
            }
            c => current.push(c),
        }
    }
    if !current.trim_matches(BLANKS).is_empty() || was_quoted || !items.is_empty() {
        items.push(finish_item(&mut current, was_quoted));
    }
    items
}

/// What HTTP trims around a header value or list item (RFC 9110 §5.6.3,
/// `OWS`): spaces and tabs, not every Unicode blank.
const BLANKS: [char; 2] = [' ', '\t'];

fn finish_item(current: &mut String, was_quoted: bool) -> String {
    let item = std::mem::take(current);
    if was_quoted {
        item
    } else {
        item.trim_matches(BLANKS).to_owned()
    }
}

/// Splits a list of HTTP dates, which contain a comma of their own
/// (`Mon, 16 Dec 2019 23:48:18 GMT, Tue, ...`).
pub fn split_http_dates(value: &str) -> Vec<String> {
    let parts: Vec<&str> = value.split(',').collect();
    parts
        .chunks(2)
        .map(|pair| pair.join(",").trim().to_owned())
        .collect()
}

/// Parses a header or label value of a number or boolean type.
pub fn parse<T: FromStr>(value: &str) -> Result<T, String> {
    value
        .trim()
        .parse()
        .map_err(|_| format!("`{value}` is not a valid {}", std::any::type_name::<T>()))
}

/// Parses a float, accepting `NaN`, `Infinity` and `-Infinity`.
pub fn parse_float(value: &str) -> Result<f64, String> {
    match value.trim() {
        "NaN" => Ok(f64::NAN),
        "Infinity" => Ok(f64::INFINITY),
        "-Infinity" => Ok(f64::NEG_INFINITY),
        other => other
            .parse()
            .map_err(|_| format!("`{value}` is not a valid number")),
    }
}

/// Parses a timestamp header value.
pub fn parse_timestamp(value: &str, format: TimestampFormat) -> Result<DateTime, String> {
    DateTime::parse(value.trim(), format).map_err(|e| e.to_string())
}

/// A timestamp as a server reads one from a label, query parameter or
/// header ([`DateTime::parse_strict`]).
pub fn parse_timestamp_strict(value: &str, format: TimestampFormat) -> Result<DateTime, String> {
    DateTime::parse_strict(value.trim(), format).map_err(|e| e.to_string())
}

/// Decodes a base64 header value into text (`@mediaType` strings).
pub fn parse_base64(value: &str) -> Result<String, String> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(value.trim())
        .map_err(|e| format!("header value is not base64: {e}"))?;
    String::from_utf8(bytes).map_err(|_| "decoded header value is not UTF-8".to_owned())
}

/// Decodes a base64 header value into bytes.
pub fn parse_base64_bytes(value: &str) -> Result<Vec<u8>, String> {
    base64::engine::general_purpose::STANDARD
        .decode(value.trim())
        .map_err(|e| format!("header value is not base64: {e}"))
}

/// The body as text.
pub fn body_text(response: &HttpResponse) -> Result<String, String> {
    String::from_utf8(response.body().to_vec())
        .map_err(|_| "the body is not valid UTF-8".to_owned())
}

/// True for a 2xx response.
pub fn is_success<B>(response: &http::Response<B>) -> bool {
    response.status().is_success()
}

/// The request id the service sent, if any.
pub fn request_id<B>(response: &http::Response<B>) -> Option<String> {
    REQUEST_ID_HEADERS
        .iter()
        .find_map(|name| response.headers().get(*name))
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// Reduces an error type to its shape name: drops anything after `:`, and
/// anything up to `#` (`ns#FooError:http://...` → `FooError`).
pub fn sanitize_error_code(code: &str) -> &str {
    let code = code.split(':').next().unwrap_or(code);
    let code = code.rsplit('#').next().unwrap_or(code);
    code.trim()
}

/// A response body as far as it was read: all of it, or nothing yet for a
/// body still streaming.
pub trait RawBody {
    /// The bytes read so far.
    fn raw(&self) -> &[u8];
}

impl RawBody for Bytes {
    fn raw(&self) -> &[u8] {
        self
    }
}

impl RawBody for ByteStream {
    fn raw(&self) -> &[u8] {
        &[]
    }
}

/// The most metadata entries an error keeps (the body's first, then the
/// headers').
pub(crate) const MAX_METADATA: usize = 64;

/// What an error document carries beside its code and message: typed
/// details and (JSON-RPC 2.0) metadata.
#[derive(Debug, Default)]
pub struct ErrorExtras {
    details: Vec<crate::error::ErrorDetail>,
    metadata: Vec<(String, String)>,
}

impl ErrorExtras {
    /// Details and the body's metadata entries.
    pub fn new(details: Vec<crate::error::ErrorDetail>, metadata: Vec<(String, String)>) -> Self {
        ErrorExtras { details, metadata }
    }
}

/// The status of an error response; `body_request_id` is the request id
/// the body carries (XML protocols), used when no header has one. Its
/// metadata are the response's headers (those with text values) and the
/// body's own.
pub fn error_status<B: RawBody>(
    response: &http::Response<B>,
    code: Option<&str>,
    message: Option<String>,
    body_request_id: Option<String>,
    extras: ErrorExtras,
) -> ErrorStatus {
    // The body's entries first: where a protocol carries metadata in the
    // body, a header a proxy added does not hide it.
    let mut metadata = extras.metadata;
    metadata.extend(response.headers().iter().filter_map(|(name, value)| {
        Some((name.as_str().to_owned(), value.to_str().ok()?.to_owned()))
    }));
    metadata.truncate(MAX_METADATA);
    let mut builder = ErrorStatus::builder()
        .details(extras.details)
        .metadata(metadata)
        .http_status(response.status().as_u16())
        .set_message(message)
        .set_request_id(request_id(response).or(body_request_id))
        .set_query_error(
            response
                .headers()
                .get("x-amzn-query-error")
                .and_then(|v| v.to_str().ok())
                .and_then(crate::error::QueryError::parse),
        )
        .raw_body(response.body().raw().to_vec());
    if let Some(code) = code {
        builder = builder.code(code);
    }
    builder.build()
}

/// The message member of a modeled error, optional or required: filled
/// from the service's message when the body left it empty
/// (`json::fill_message`, `cbor::fill_message`).
pub trait MessageSlot {
    /// Puts `message` here unless the slot already holds a message.
    fn fill(&mut self, message: Option<String>);
}

impl MessageSlot for Option<String> {
    fn fill(&mut self, message: Option<String>) {
        if self.is_none() {
            *self = message;
        }
    }
}

impl MessageSlot for String {
    fn fill(&mut self, message: Option<String>) {
        if let (true, Some(message)) = (self.is_empty(), message) {
            *self = message;
        }
    }
}

/// Reads the output of a successful response with `read`; an error `read`
/// returns becomes [`ParseError::Unparseable`](crate::pipeline::ParseError),
/// with the response's status.
pub fn read_output<B: RawBody, T, D: std::fmt::Display, E>(
    response: &http::Response<B>,
    read: impl FnOnce() -> Result<T, D>,
) -> Result<T, crate::pipeline::ParseError<E>> {
    read().map_err(|e| crate::pipeline::ParseError::Unparseable(unparseable(response, e)))
}

/// A response that could not be understood, with what was wrong.
pub fn unparseable<B: RawBody>(
    response: &http::Response<B>,
    what: impl std::fmt::Display,
) -> ResponseError {
    ResponseError::new(
        what.to_string(),
        error_status(response, None, None, None, ErrorExtras::default()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_percent_encoded() {
        assert_eq!(label("k", "a b/c%").unwrap(), "a%20b%2Fc%25");
        assert_eq!(greedy_label("k", "a b/c").unwrap(), "a%20b/c");
        assert!(label("k", "").is_err());
    }

    #[test]
    fn request_joins_endpoint_path_and_query() {
        let mut parts = RequestParts::new(http::Method::GET, "/cities/x".into());
        parts.query("q", "a&b=c");
        parts.query_flag("flag");
        let request = parts.build("http://localhost:1/base/").unwrap();
        assert_eq!(
            request.uri().to_string(),
            "http://localhost:1/base/cities/x?q=a%26b%3Dc&flag"
        );
    }

    #[test]
    fn header_text_that_http_would_change_is_quoted_or_refused() {
        // Found by the round-trip property tests: an empty item vanished,
        // blanks at an item's ends were trimmed, and Unicode blanks (which
        // HTTP does not trim) were trimmed by the reader.
        let items = ["", " a", "b\t", "\u{2000}", "é"];
        let text = fmt_header_list(items);
        assert_eq!(text, "\"\", \" a\", \"b\t\", \u{2000}, é");
        assert_eq!(split_header_list(&text), items);
        // A single value has no quotes: blanks at its ends are refused.
        for value in [" a", "a ", "\t"] {
            let refused = header_pair("x-a", value).unwrap_err().to_string();
            assert!(refused.contains("blank"), "{refused}");
        }
        // UTF-8 beyond ASCII is written as is and read back.
        let (name, value) = header_pair("x-a", "grüße").unwrap();
        let mut headers = http::HeaderMap::new();
        headers.insert(name, value);
        assert_eq!(
            header_in(&headers, "x-a").unwrap().as_deref(),
            Some("grüße")
        );
    }

    #[test]
    fn header_lists_round_trip() {
        let text = fmt_header_list(["a", "b,c", "d\"e"]);
        assert_eq!(text, r#"a, "b,c", "d\"e""#);
        assert_eq!(split_header_list(&text), vec!["a", "b,c", "d\"e"]);
        assert_eq!(split_header_list(""), Vec::<String>::new());
        assert_eq!(
            split_http_dates("Mon, 16 Dec 2019 23:48:18 GMT, Tue, 17 Dec 2019 23:48:18 GMT"),
            vec![
                "Mon, 16 Dec 2019 23:48:18 GMT",
                "Tue, 17 Dec 2019 23:48:18 GMT"
            ]
        );
    }

    #[test]
    fn error_codes_are_sanitized() {
        for code in [
            "FooError",
            "FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/",
            "aws.protocoltests.restjson#FooError",
            "aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/",
        ] {
            assert_eq!(sanitize_error_code(code), "FooError");
        }
    }

    #[test]
    fn floats_use_smithy_text_forms() {
        assert_eq!(fmt_float(f64::NEG_INFINITY), "-Infinity");
        assert_eq!(fmt_float(1.5), "1.5");
        assert!(parse_float("NaN").unwrap().is_nan());
        assert_eq!(parse::<i32>(" 42").unwrap(), 42);
        assert!(parse::<bool>("yes").is_err());
    }
}
