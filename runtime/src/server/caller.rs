//! Who made a call, as a gateway vouches for it, and the ids a call
//! arrived with: what a worker behind a [gateway](crate::gateway) reads.
//!
//! A gateway authenticates its caller once and forwards the call with the
//! caller's context in the [`CALLER_HEADER`] header: the JSON object
//! `{"id": "<caller>", "attributes": {"<name>": "<value>", ...}}`, encoded as
//! unpadded URL-safe base64 so any UTF-8 fits a header. Workers read it with
//! [`Request::caller`](super::Request::caller) in generated servers, or with
//! the [`Caller`] and [`Incoming`] axum extractors in hand-written ones.
//!
//! The header is only as trustworthy as the network path: a worker should
//! take calls from its gateway alone, which replaces whatever header its
//! own callers sent.

use std::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use http::{HeaderMap, HeaderValue, StatusCode};
use serde_json::{Map, Value};

use crate::chain::RequestChain;

/// The header carrying the caller's context from a gateway to a worker.
pub const CALLER_HEADER: &str = "x-caller-context";

/// The longest caller header a worker decodes, in bytes (a gateway refuses
/// callers whose context is longer).
pub(crate) const MAX_HEADER_LEN: usize = 8 * 1024;

/// The authenticated caller of a call: an id (a user, a service account)
/// and string attributes (roles, tenant, scopes) the gateway attached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    id: String,
    attributes: BTreeMap<String, String>,
}

impl Caller {
    /// A caller with `id` and no attributes.
    pub fn new(id: impl Into<String>) -> Self {
        Caller {
            id: id.into(),
            attributes: BTreeMap::new(),
        }
    }

    /// The caller with one more attribute (replacing one of that name).
    pub fn with_attribute(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.attributes.insert(name.into(), value.into());
        self
    }

    /// The caller's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The attribute `name`, if the gateway set it.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.get(name).map(String::as_str)
    }

    /// Every attribute, by name.
    pub fn attributes(&self) -> &BTreeMap<String, String> {
        &self.attributes
    }

    /// The value of [`CALLER_HEADER`] that carries this caller.
    pub fn header_value(&self) -> HeaderValue {
        let attributes: Map<String, Value> = self
            .attributes
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect();
        let json = serde_json::json!({"id": self.id, "attributes": attributes});
        let encoded = URL_SAFE_NO_PAD.encode(json.to_string());
        // Base64 is always a valid header value.
        HeaderValue::from_str(&encoded).unwrap_or_else(|_| HeaderValue::from_static(""))
    }

    /// The caller a [`CALLER_HEADER`] value carries; `None` when it is not
    /// one (too long, not base64, not the JSON object above).
    pub fn from_header_value(value: &[u8]) -> Option<Caller> {
        if value.len() > MAX_HEADER_LEN {
            return None;
        }
        // Written unpadded; padded is read too, as other gateways write it.
        const LENIENT: GeneralPurpose = GeneralPurpose::new(
            &base64::alphabet::URL_SAFE,
            GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
        );
        let json = LENIENT.decode(value).ok()?;
        let Value::Object(mut object) = serde_json::from_slice(&json).ok()? else {
            return None;
        };
        let Some(Value::String(id)) = object.remove("id") else {
            return None;
        };
        let attributes = match object.remove("attributes") {
            None | Some(Value::Null) => BTreeMap::new(),
            Some(Value::Object(map)) => map
                .into_iter()
                .map(|(k, v)| match v {
                    Value::String(v) => Some((k, v)),
                    _ => None,
                })
                .collect::<Option<_>>()?,
            Some(_) => return None,
        };
        Some(Caller { id, attributes })
    }

    /// The caller the headers of a call carry, if any.
    pub fn from_headers(headers: &HeaderMap) -> Option<Caller> {
        Caller::from_header_value(headers.get(CALLER_HEADER)?.as_bytes())
    }
}

/// Extracts the caller of a call; a call without a valid
/// [`CALLER_HEADER`] is rejected with `401 Unauthorized` (take an
/// `Option<Caller>` to serve it anyway).
impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Caller {
    type Rejection = (StatusCode, &'static str);

    async fn from_request_parts(
        parts: &mut http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        Caller::from_headers(&parts.headers).ok_or((
            StatusCode::UNAUTHORIZED,
            "the call carries no caller context",
        ))
    }
}

impl<S: Send + Sync> axum::extract::OptionalFromRequestParts<S> for Caller {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut http::request::Parts,
        _state: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        Ok(Caller::from_headers(&parts.headers))
    }
}

/// The ids a call arrived with, as an axum extractor for hand-written
/// workers: the request id (the caller's `x-request-id`, sanitized, else a
/// fresh one) and the upstream chain (`x-request-chain`). Generated
/// servers hand the same to handlers through [`Request`](super::Request).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incoming {
    /// The id of this call.
    pub request_id: String,
    /// The upstream requests, oldest first.
    pub chain: RequestChain,
}

impl Incoming {
    /// The ids the headers of a call carry.
    pub fn from_headers(headers: &HeaderMap) -> Self {
        let (request_id, chain) = super::incoming_ids(headers);
        Incoming { request_id, chain }
    }

    /// Runs `call` as the generated servers run handlers: in a tracing span
    /// naming `service`, `operation`, the request id and the chain, inside
    /// the chain extended with `<request id>@<service>`, so the tinsmith
    /// clients it calls carry the chain on.
    pub async fn scope<F: std::future::Future>(
        &self,
        service: &str,
        operation: &str,
        call: F,
    ) -> F::Output {
        super::traced(service, operation, &self.request_id, &self.chain, call).await
    }
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Incoming {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(Incoming::from_headers(&parts.headers))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_caller_survives_its_header() {
        let caller = Caller::new("ana ✓")
            .with_attribute("role", "admin")
            .with_attribute("tenant", "t-1");
        let value = caller.header_value();
        assert_eq!(Caller::from_header_value(value.as_bytes()), Some(caller));
    }

    #[test]
    fn a_malformed_header_is_no_caller() {
        for bad in [
            &b"not base64!"[..],
            URL_SAFE_NO_PAD.encode("[1]").as_bytes(),
            URL_SAFE_NO_PAD.encode(r#"{"attributes":{}}"#).as_bytes(),
            URL_SAFE_NO_PAD
                .encode(r#"{"id":"a","attributes":{"n":1}}"#)
                .as_bytes(),
            &[b'A'; MAX_HEADER_LEN + 1][..],
        ] {
            assert_eq!(Caller::from_header_value(bad), None);
        }
    }
}
