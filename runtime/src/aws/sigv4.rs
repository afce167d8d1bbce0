//! AWS Signature Version 4 (`aws.auth#sigv4`), through the `aws-sigv4`
//! crate, the signer AWS's own Rust SDK uses: no cryptography here, only
//! the choices the Smithy model and the endpoint make.
//!
//! * **Scope.** The signing name is the model's `@sigv4(name)` unless the
//!   resolved endpoint's `authSchemes` property names one
//!   (`signingName`); the region is the endpoint's `signingRegion`, else
//!   the client's region. The first endpoint scheme this signer supports
//!   (`sigv4`, and `sigv4a` with the `sigv4a` feature, signed for the
//!   endpoint's `signingRegionSet`) is used; an endpoint that offers only
//!   schemes it lacks (`sigv4-s3express`) is a clear error (no request goes
//!   out unsigned).
//! * **Payload.** A body in memory is hashed; a streaming body, and every
//!   body of an `@unsignedPayload` operation, is signed as
//!   `UNSIGNED-PAYLOAD`. S3's signing names (and any unsigned payload) send
//!   the hash in `x-amz-content-sha256`, as S3 requires.
//! * **Encoding.** S3 (and endpoints with `disableDoubleEncoding`) encode
//!   the path once and do not normalize it; other services double-encode
//!   and normalize, as the SigV4 specification says.
//! * **Presigning.** The same signature in the query string, valid for a
//!   given time, so a request can be handed to another program.
//! * **Event streams.** A request whose body is an event stream is signed
//!   with the payload `STREAMING-AWS4-HMAC-SHA256-EVENTS`; then each message
//!   is wrapped in a signed message (`:date`, `:chunk-signature`) whose
//!   signature chains from the previous one, starting at the request's, and
//!   an empty signed message ends the stream (as Transcribe Streaming and
//!   Lex require).

use std::time::{Duration, SystemTime};

use aws_sigv4::http_request::{
    PayloadChecksumKind, PercentEncodingMode, SignableBody, SignableRequest, SignatureLocation,
    SigningSettings, UriPathNormalizationMode, sign,
};
use aws_sigv4::sign::v4;

use super::credentials::Credentials;
use crate::endpoint::{Endpoint, Value};
use crate::transport::HttpRequest;

/// Signing names of S3 and its relatives, which take the payload hash in
/// `x-amz-content-sha256` and a path encoded once.
const S3_NAMES: &[&str] = &["s3", "s3-outposts", "s3-object-lambda", "s3express"];

/// What a signature is scoped to, and how the request is canonicalized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningScope {
    /// The signing name (`s3`, `dynamodb`, ...).
    pub name: String,
    /// The signing region.
    pub region: String,
    /// Percent-encode the path a second time (all services but S3).
    pub double_encode: bool,
    /// Normalize `.` and `..` in the path (all services but S3).
    pub normalize_path: bool,
    /// SigV4a's region set (`us-west-2,us-east-1`, or `*`), when the
    /// endpoint chose SigV4a; `None` for SigV4.
    pub region_set: Option<String>,
}

impl SigningScope {
    /// The scope for the model's signing name, the client's region and the
    /// resolved endpoint's auth properties.
    pub fn new(
        model_name: &str,
        region: Option<&str>,
        endpoint: Option<&Endpoint>,
    ) -> Result<SigningScope, String> {
        let s3 = |name: &str| S3_NAMES.contains(&name);
        let mut scope = SigningScope {
            name: model_name.to_owned(),
            region: region.unwrap_or_default().to_owned(),
            double_encode: !s3(model_name),
            normalize_path: !s3(model_name),
            region_set: None,
        };
        if let Some(schemes) = endpoint.and_then(|e| match e.properties.get("authSchemes") {
            Some(Value::Array(schemes)) => Some(schemes),
            _ => None,
        }) {
            let mut offered = Vec::new();
            let chosen = schemes.iter().find_map(|scheme| {
                let Value::Object(scheme) = scheme else {
                    return None;
                };
                let name = scheme.get("name").and_then(Value::as_str)?;
                offered.push(name.to_owned());
                let supported = name == "sigv4" || (name == "sigv4a" && cfg!(feature = "sigv4a"));
                supported.then_some(scheme)
            });
            let Some(chosen) = chosen else {
                return Err(format!(
                    "the endpoint asks for {} signing, which this client cannot do \
                     (it signs with sigv4)",
                    offered.join(" or ")
                ));
            };
            if let Some(name) = chosen.get("signingName").and_then(Value::as_str) {
                scope.name = name.to_owned();
                scope.double_encode = !s3(name);
                scope.normalize_path = !s3(name);
            }
            if let Some(region) = chosen.get("signingRegion").and_then(Value::as_str) {
                scope.region = region.to_owned();
            }
            if chosen.get("name").and_then(Value::as_str) == Some("sigv4a") {
                let set: Vec<String> = match chosen.get("signingRegionSet") {
                    Some(Value::Array(regions)) => regions.iter().map(Value::to_string).collect(),
                    _ => vec![scope.region.clone()],
                };
                scope.region_set = Some(set.join(","));
                if scope.region.is_empty() {
                    scope.region = set.join(",");
                }
            }
            if chosen.get("disableDoubleEncoding").and_then(Value::as_bool) == Some(true) {
                scope.double_encode = false;
            }
            if chosen.get("disableNormalizePath").and_then(Value::as_bool) == Some(true) {
                scope.normalize_path = false;
            }
        }
        if scope.region.is_empty() {
            return Err(
                "no region to sign for: set one on the client's config (region), \
                 or in AWS_REGION or the profile"
                    .to_owned(),
            );
        }
        Ok(scope)
    }

    fn settings(&self, unsigned_payload: bool) -> SigningSettings {
        let mut settings = SigningSettings::default();
        settings.percent_encoding_mode = if self.double_encode {
            PercentEncodingMode::Double
        } else {
            PercentEncodingMode::Single
        };
        settings.uri_path_normalization_mode = if self.normalize_path {
            UriPathNormalizationMode::Enabled
        } else {
            UriPathNormalizationMode::Disabled
        };
        if unsigned_payload || S3_NAMES.contains(&self.name.as_str()) {
            settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
        }
        settings
    }
}

/// A request signed to be sent later, by anyone: its method, URL (the
/// signature in the query string) and the headers it must be sent with
/// (those the signature covers, and the endpoint's). It holds no secret
/// beyond the signature itself and a session token in the URL, and it
/// expires. `Debug` hides the signature and the session token, which work
/// as a credential until then.
#[derive(Clone, PartialEq, Eq)]
pub struct PresignedRequest {
    method: String,
    uri: String,
    headers: Vec<(String, String)>,
}

impl std::fmt::Debug for PresignedRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (path, query) = self.uri.split_once('?').unwrap_or((&self.uri, ""));
        let query: Vec<String> = query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|pair| match pair.split_once('=') {
                Some((k @ ("X-Amz-Signature" | "X-Amz-Security-Token"), _)) => {
                    format!("{k}=*** redacted ***")
                }
                _ => pair.to_owned(),
            })
            .collect();
        f.debug_struct("PresignedRequest")
            .field("method", &self.method)
            .field("uri", &format_args!("{path}?{}", query.join("&")))
            .field("headers", &self.headers)
            .finish()
    }
}

impl PresignedRequest {
    pub(crate) fn new(request: HttpRequest) -> Self {
        PresignedRequest {
            method: request.method().as_str().to_owned(),
            uri: request.uri().to_string(),
            headers: request
                .headers()
                .iter()
                .filter(|(name, _)| *name != http::header::CONTENT_LENGTH)
                .filter_map(|(name, value)| {
                    Some((name.as_str().to_owned(), value.to_str().ok()?.to_owned()))
                })
                .collect(),
        }
    }

    /// The HTTP method (`GET`, `PUT`, ...).
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The URL, with the signature in its query string.
    pub fn uri(&self) -> &str {
        &self.uri
    }

    /// The headers to send with it, as name and value.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }
}

/// How a request is signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// `Authorization` and `x-amz-*` headers.
    Headers,
    /// A presigned URL, valid for this long.
    Query(Duration),
}

/// The payload hash of a request whose body is an event stream.
const EVENTS_PAYLOAD: &str = "STREAMING-AWS4-HMAC-SHA256-EVENTS";

/// Signs `request` in place at `time`; a request whose body is an event
/// stream (`application/vnd.amazon.eventstream`) has its messages signed as
/// they are sent.
pub fn sign_request(
    request: &mut HttpRequest,
    credentials: &Credentials,
    scope: &SigningScope,
    unsigned_payload: bool,
    time: SystemTime,
    placement: Placement,
) -> Result<(), String> {
    let events = placement == Placement::Headers
        && request
            .headers()
            .get(http::header::CONTENT_TYPE)
            .is_some_and(|v| v.as_bytes() == b"application/vnd.amazon.eventstream");
    let in_memory = request.body().in_memory();
    let unsigned = unsigned_payload || in_memory.is_none();
    let body = match in_memory {
        _ if events => SignableBody::Precomputed(EVENTS_PAYLOAD.to_owned()),
        Some(bytes) if !unsigned_payload => SignableBody::Bytes(bytes),
        _ => SignableBody::UnsignedPayload,
    };
    let mut settings = scope.settings(unsigned || events);
    if let Placement::Query(expires_in) = placement {
        settings.signature_location = SignatureLocation::QueryParams;
        settings.expires_in = Some(expires_in);
        // A presigned URL carries no header; the payload is not signed.
        settings.payload_checksum_kind = PayloadChecksumKind::NoHeader;
    }
    let identity = aws_credential_types::Credentials::new(
        credentials.access_key_id(),
        credentials.secret_access_key(),
        credentials.session_token().map(str::to_owned),
        credentials.expiry(),
        "tinsmith",
    )
    .into();
    let params: aws_sigv4::http_request::SigningParams<'_> = match &scope.region_set {
        #[cfg(feature = "sigv4a")]
        Some(region_set) => {
            if events {
                return Err("event streams cannot be signed with sigv4a".to_owned());
            }
            aws_sigv4::sign::v4a::SigningParams::builder()
                .identity(&identity)
                .region_set(region_set)
                .name(&scope.name)
                .time(time)
                .settings(settings)
                .build()
                .map_err(|e| format!("signing parameters: {e}"))?
                .into()
        }
        _ => v4::SigningParams::builder()
            .identity(&identity)
            .region(&scope.region)
            .name(&scope.name)
            .time(time)
            .settings(settings)
            .build()
            .map_err(|e| format!("signing parameters: {e}"))?
            .into(),
    };
    let uri = request.uri().to_string();
    let headers: Vec<(&str, &str)> = request
        .headers()
        .iter()
        .filter_map(|(name, value)| Some((name.as_str(), value.to_str().ok()?)))
        .collect();
    let signable = SignableRequest::new(request.method().as_str(), uri, headers.into_iter(), body)
        .map_err(|e| format!("the request cannot be signed: {e}"))?;
    let (instructions, signature) = sign(signable, &params)
        .map_err(|e| format!("signing failed: {e}"))?
        .into_parts();
    instructions.apply_to_request_http1x(request);
    if events {
        let body = std::mem::take(request.body_mut());
        let offset = time
            .duration_since(SystemTime::now())
            .map(|ahead| ahead.as_millis() as i64)
            .unwrap_or_else(|behind| -(behind.duration().as_millis() as i64));
        *request.body_mut() =
            sign_messages(body, signature, credentials.clone(), scope.clone(), offset);
    }
    // The signature and token are secrets: keep them out of HPACK tables
    // and out of `Debug` output.
    for name in ["authorization", "x-amz-security-token"] {
        if let Some(value) = request.headers_mut().get_mut(name) {
            value.set_sensitive(true);
        }
    }
    Ok(())
}

/// The signed form of an event-stream body: each message wrapped in a
/// signed one, chained from `seed` (the request's signature), then the
/// empty signed message that ends the stream. Messages are signed when they
/// are sent, at the clock (plus `offset_ms`) of that moment.
fn sign_messages(
    body: crate::ByteStream,
    seed: String,
    credentials: Credentials,
    scope: SigningScope,
    offset_ms: i64,
) -> crate::ByteStream {
    use bytes::{Buf as _, Bytes, BytesMut};
    use futures_util::StreamExt as _;
    type BoxError = Box<dyn std::error::Error + Send + Sync>;
    struct State {
        body: crate::ByteStream,
        buffer: BytesMut,
        last: String,
        ended: bool,
        credentials: Credentials,
        scope: SigningScope,
        offset_ms: i64,
    }
    impl State {
        fn now(&self) -> SystemTime {
            let now = SystemTime::now();
            if self.offset_ms >= 0 {
                now + Duration::from_millis(self.offset_ms as u64)
            } else {
                now - Duration::from_millis(self.offset_ms.unsigned_abs())
            }
        }

        /// Signs one message (or, with `None`, the empty end message).
        fn sign(&mut self, frame: Option<Bytes>) -> Result<Bytes, BoxError> {
            let identity = aws_credential_types::Credentials::new(
                self.credentials.access_key_id(),
                self.credentials.secret_access_key(),
                self.credentials.session_token().map(str::to_owned),
                self.credentials.expiry(),
                "tinsmith",
            )
            .into();
            let params = v4::SigningParams::builder()
                .identity(&identity)
                .region(&self.scope.region)
                .name(&self.scope.name)
                .time(self.now())
                .settings(())
                .build()?;
            let signed = match frame {
                Some(frame) => {
                    let message = aws_smithy_eventstream::frame::read_message_from(frame)?;
                    aws_sigv4::event_stream::sign_message(&message, &self.last, &params)?
                }
                None => aws_sigv4::event_stream::sign_empty_message(&self.last, &params)?,
            };
            let (message, signature) = signed.into_parts();
            self.last = signature;
            let mut out = Vec::new();
            aws_smithy_eventstream::frame::write_message_to(&message, &mut out)?;
            Ok(Bytes::from(out))
        }

        /// The next whole message of the body, if one is buffered.
        fn next_frame(&mut self) -> Option<Bytes> {
            if self.buffer.len() < 4 {
                return None;
            }
            let total = (&self.buffer[..4]).get_u32() as usize;
            (total >= 16 && self.buffer.len() >= total)
                .then(|| self.buffer.split_to(total).freeze())
        }
    }
    let state = State {
        body,
        buffer: BytesMut::new(),
        last: seed,
        ended: false,
        credentials,
        scope,
        offset_ms,
    };
    let frames = futures_util::stream::unfold(state, |mut state| async move {
        loop {
            if state.ended {
                return None;
            }
            if let Some(frame) = state.next_frame() {
                let signed = state.sign(Some(frame));
                return Some((signed, state));
            }
            match state.body.next().await {
                Some(Ok(chunk)) => state.buffer.extend_from_slice(&chunk),
                Some(Err(e)) => {
                    state.ended = true;
                    return Some((Err(BoxError::from(e)), state));
                }
                None => {
                    state.ended = true;
                    if !state.buffer.is_empty() {
                        let error = BoxError::from("the event stream ended inside a message");
                        return Some((Err(error), state));
                    }
                    let end = state.sign(None);
                    return Some((end, state));
                }
            }
        }
    });
    crate::ByteStream::from_stream(frames)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn endpoint(schemes: Vec<Value>) -> Endpoint {
        Endpoint {
            url: "https://example.com".into(),
            properties: BTreeMap::from([("authSchemes".to_owned(), Value::Array(schemes))]),
            headers: BTreeMap::new(),
        }
    }

    fn scheme(entries: &[(&str, Value)]) -> Value {
        Value::Object(
            entries
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
        )
    }

    #[test]
    fn the_endpoint_decides_name_region_and_encoding() {
        let e = endpoint(vec![
            scheme(&[("name", Value::String("sigv4-s3express".into()))]),
            scheme(&[
                ("name", Value::String("sigv4".into())),
                ("signingName", Value::String("s3".into())),
                ("signingRegion", Value::String("eu-west-1".into())),
                ("disableDoubleEncoding", Value::Bool(true)),
            ]),
        ]);
        let scope = SigningScope::new("s3", Some("us-east-1"), Some(&e)).unwrap();
        assert_eq!(
            (scope.name.as_str(), scope.region.as_str()),
            ("s3", "eu-west-1")
        );
        assert!(!scope.double_encode && !scope.normalize_path);
        let scope = SigningScope::new("dynamodb", Some("us-east-1"), None).unwrap();
        assert!(scope.double_encode && scope.normalize_path);
        let express = endpoint(vec![scheme(&[(
            "name",
            Value::String("sigv4-s3express".into()),
        )])]);
        let e = SigningScope::new("s3", Some("us-east-1"), Some(&express)).unwrap_err();
        assert!(e.contains("sigv4-s3express"), "{e}");
        assert!(SigningScope::new("s3", None, None).is_err());
    }

    /// The example of the SigV4 documentation ("Examples of the complete
    /// Signature Version 4 signing process", IAM `ListUsers`), whose
    /// signature is published.
    #[test]
    fn signs_the_documented_example() {
        let mut request =
            http::Request::get("https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08")
                .header(
                    "content-type",
                    "application/x-www-form-urlencoded; charset=utf-8",
                )
                .header("x-amz-date", "20150830T123600Z")
                .body(crate::ByteStream::empty())
                .unwrap();
        let scope = SigningScope::new("iam", Some("us-east-1"), None).unwrap();
        let time = SystemTime::UNIX_EPOCH + Duration::from_secs(1_440_938_160);
        let credentials =
            Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        sign_request(
            &mut request,
            &credentials,
            &scope,
            false,
            time,
            Placement::Headers,
        )
        .unwrap();
        let authorization = request.headers()["authorization"].to_str().unwrap();
        assert!(
            authorization.starts_with(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
            ),
            "{authorization}"
        );
        assert!(
            authorization.ends_with(
                "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
            ),
            "{authorization}"
        );
        assert!(request.headers()["authorization"].is_sensitive());
        assert!(format!("{request:?}").contains("Sensitive"));
    }

    #[cfg(feature = "sigv4a")]
    #[test]
    fn sigv4a_signs_for_the_endpoint_region_set() {
        let e = endpoint(vec![scheme(&[
            ("name", Value::String("sigv4a".into())),
            ("signingName", Value::String("s3".into())),
            (
                "signingRegionSet",
                Value::Array(vec![Value::String("*".into())]),
            ),
        ])]);
        let scope = SigningScope::new("s3", Some("us-east-1"), Some(&e)).unwrap();
        assert_eq!(scope.region_set.as_deref(), Some("*"));
        let mut request = http::Request::get("https://mrap.accesspoint.s3-global.amazonaws.com/k")
            .body(crate::ByteStream::empty())
            .unwrap();
        let credentials = Credentials::new("AKID", "secret");
        sign_request(
            &mut request,
            &credentials,
            &scope,
            false,
            SystemTime::now(),
            Placement::Headers,
        )
        .unwrap();
        let authorization = request.headers()["authorization"].to_str().unwrap();
        assert!(
            authorization.starts_with("AWS4-ECDSA-P256-SHA256 Credential=AKID/"),
            "{authorization}"
        );
        assert_eq!(request.headers()["x-amz-region-set"], "*");
    }

    #[test]
    fn s3_sends_the_payload_hash_and_presigned_urls_carry_the_signature() {
        let credentials = Credentials::new("AKID", "secret").with_session_token("token");
        let scope = SigningScope::new("s3", Some("us-east-1"), None).unwrap();
        let mut put = http::Request::put("https://bucket.s3.amazonaws.com/key")
            .body(crate::ByteStream::new("hello"))
            .unwrap();
        sign_request(
            &mut put,
            &credentials,
            &scope,
            false,
            SystemTime::now(),
            Placement::Headers,
        )
        .unwrap();
        assert_eq!(
            put.headers()["x-amz-content-sha256"],
            "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
        );
        assert!(put.headers()["x-amz-security-token"].is_sensitive());
        let mut get = http::Request::get("https://bucket.s3.amazonaws.com/key")
            .body(crate::ByteStream::empty())
            .unwrap();
        sign_request(
            &mut get,
            &credentials,
            &scope,
            false,
            SystemTime::now(),
            Placement::Query(Duration::from_secs(900)),
        )
        .unwrap();
        let query = get.uri().query().unwrap();
        for part in [
            "X-Amz-Algorithm=AWS4-HMAC-SHA256",
            "X-Amz-Expires=900",
            "X-Amz-Signature=",
            "X-Amz-Security-Token=token",
        ] {
            assert!(query.contains(part), "{query}");
        }
        assert!(get.headers().get("authorization").is_none());
    }
}
