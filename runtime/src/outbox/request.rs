//! What an outbox stores of a call, and how generated code hands it over.
//!
//! A record is the operation's request as its serializer built it at
//! enqueue time — method, URI, headers and body, with any idempotency token
//! already filled in — plus the endpoint it was addressed to (its URL,
//! headers and auth properties). What belongs to one attempt is left out
//! and added when the record is sent: request ids and the chain, the
//! endpoint's headers, interceptors' changes and the signature (so a
//! record sent a day later is signed with the credentials and clock of
//! that day).

use std::collections::BTreeMap;
use std::fmt;

use bytes::Bytes;
use serde_json::{Map, Value as Json};

use crate::config::Config;
use crate::endpoint::{Endpoint, Value};
use crate::error::{ConstructionError, ErrorStatus, ProvideErrorStatus, SdkError};
use crate::pipeline::{OperationInfo, ParseError};
use crate::transport::{HttpRequest, HttpResponse};

/// A request that can be stored in an [`Outbox`](super::Outbox): every
/// generated request builder whose operation neither streams its input
/// body nor sends or receives events (those cannot be stored and replayed).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be stored in an outbox",
    label = "not a request an outbox can store",
    note = "an outbox stores requests of operations without streaming bodies or event streams, \
            from a crate generated with outbox support (its `outbox` cargo feature, or \
            `Builder::outbox(true)` in a build script)"
)]
pub trait Enqueue {
    /// The operation's error type.
    type Error;

    /// Builds the request (filling idempotency tokens and resolving the
    /// endpoint) without sending it.
    fn outbox_request(self) -> Result<OutboxRequest, SdkError<Self::Error>>;
}

/// One operation's request, serialized and ready to be stored.
#[derive(Debug, Clone)]
pub struct OutboxRequest {
    pub(super) service: &'static str,
    pub(super) operation: &'static str,
    pub(super) request: StoredRequest,
    pub(super) body: Bytes,
}

impl OutboxRequest {
    /// Serializes an operation's request for later sending (used by
    /// generated code): `build` makes it for the endpoint the call resolves
    /// to now. The body must be in memory.
    #[doc(hidden)]
    pub fn new<E>(
        config: &Config,
        info: OperationInfo<'_>,
        build: impl FnOnce(&str) -> Result<HttpRequest, ConstructionError>,
    ) -> Result<Self, SdkError<E>> {
        let endpoint = match info.endpoint {
            Some(resolved) => resolved.clone(),
            None => Endpoint {
                url: crate::pipeline::target_url(config, &info)?.to_owned(),
                properties: BTreeMap::new(),
                headers: BTreeMap::new(),
            },
        };
        let request = build(&endpoint.url).map_err(SdkError::Construction)?;
        let (parts, body) = request.into_parts();
        let Some(body) = body.in_memory() else {
            return Err(SdkError::Construction(ConstructionError::new(format!(
                "{}.{} streams its body; an outbox stores only requests whose body is in memory",
                info.service, info.operation
            ))));
        };
        let body = Bytes::copy_from_slice(body);
        let mut headers = Vec::with_capacity(parts.headers.len());
        for (name, value) in &parts.headers {
            let Ok(value) = value.to_str() else {
                return Err(SdkError::Construction(ConstructionError::new(format!(
                    "{}.{}: the value of header `{name}` is not text; an outbox cannot store it",
                    info.service, info.operation
                ))));
            };
            headers.push((name.as_str().to_owned(), value.to_owned()));
        }
        Ok(OutboxRequest {
            service: info.service,
            operation: info.operation,
            request: StoredRequest {
                method: parts.method.as_str().to_owned(),
                uri: parts.uri.to_string(),
                headers,
                endpoint,
            },
            body,
        })
    }

    /// The operation's name.
    pub fn operation(&self) -> &str {
        self.operation
    }
}

/// A service's operations as an outbox sends them (generated code builds
/// one per crate): the facts the pipeline needs, and each operation's
/// response reader.
#[derive(Debug)]
#[doc(hidden)]
pub struct OutboxService {
    /// The service's name.
    pub name: &'static str,
    /// Its operations an outbox can send, sorted by name.
    pub operations: &'static [OutboxOperation],
}

impl OutboxService {
    /// The operation of this name.
    pub(super) fn operation(&self, name: &str) -> Option<&'static OutboxOperation> {
        self.operations
            .binary_search_by(|op| op.info.operation.cmp(name))
            .ok()
            .map(|i| &self.operations[i])
    }
}

/// One operation of an [`OutboxService`].
#[doc(hidden)]
pub struct OutboxOperation {
    /// The operation's facts for the pipeline (without an endpoint: each
    /// record brings its own).
    pub info: OperationInfo<'static>,
    /// Reads its response: `Ok` for the output (which the outbox drops),
    /// the error's status otherwise.
    pub read: fn(HttpResponse) -> Result<(), ParseError<ServiceFailure>>,
}

impl fmt::Debug for OutboxOperation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OutboxOperation")
            .field("info", &self.info)
            .finish_non_exhaustive()
    }
}

/// An operation's error as the outbox keeps it: its status, what the model
/// says about retrying it, and how it reads.
#[derive(Debug, Clone)]
pub struct ServiceFailure {
    status: ErrorStatus,
    retryable: bool,
    throttling: bool,
    description: String,
}

impl ProvideErrorStatus for ServiceFailure {
    fn status(&self) -> &ErrorStatus {
        &self.status
    }

    fn is_retryable(&self) -> bool {
        self.retryable
    }

    fn is_throttling(&self) -> bool {
        self.throttling
    }
}

impl fmt::Display for ServiceFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.description)
    }
}

impl std::error::Error for ServiceFailure {}

/// An operation's response as the outbox needs it (used by generated
/// code): the output dropped, the error reduced to a [`ServiceFailure`].
#[doc(hidden)]
pub fn settle<O, E: ProvideErrorStatus + fmt::Display>(
    read: Result<O, ParseError<E>>,
) -> Result<(), ParseError<ServiceFailure>> {
    match read {
        Ok(_) => Ok(()),
        Err(ParseError::Unparseable(e)) => Err(ParseError::Unparseable(e)),
        Err(ParseError::Service(e)) => Err(ParseError::Service(Box::new(ServiceFailure {
            status: e.status().clone(),
            retryable: e.is_retryable(),
            throttling: e.is_throttling(),
            description: e.to_string(),
        }))),
    }
}

/// The stored form of a request, without its body.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct StoredRequest {
    pub method: String,
    pub uri: String,
    pub headers: Vec<(String, String)>,
    pub endpoint: Endpoint,
}

impl StoredRequest {
    /// The request for one attempt.
    pub fn to_http(&self, body: &Bytes) -> Result<HttpRequest, ConstructionError> {
        let mut builder = http::Request::builder()
            .method(self.method.as_str())
            .uri(self.uri.as_str());
        for (name, value) in &self.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        builder
            .body(crate::ByteStream::new(body.clone()))
            .map_err(|e| ConstructionError::with_source("a stored request is not valid", e))
    }

    /// The JSON text stored beside the body.
    pub fn encode(&self) -> String {
        let headers: Vec<Json> = self
            .headers
            .iter()
            .map(|(n, v)| Json::Array(vec![Json::from(n.as_str()), Json::from(v.as_str())]))
            .collect();
        let endpoint_headers: Map<String, Json> = self
            .endpoint
            .headers
            .iter()
            .map(|(n, vs)| {
                (
                    n.clone(),
                    vs.iter().map(|v| Json::from(v.as_str())).collect(),
                )
            })
            .collect();
        let properties: Map<String, Json> = self
            .endpoint
            .properties
            .iter()
            .map(|(k, v)| (k.clone(), v.to_json()))
            .collect();
        serde_json::json!({
            "method": self.method,
            "uri": self.uri,
            "headers": headers,
            "endpoint": {
                "url": self.endpoint.url,
                "headers": endpoint_headers,
                "properties": properties,
            },
        })
        .to_string()
    }

    /// Reads what [`encode`](Self::encode) wrote; `None` when it is not that.
    pub fn decode(text: &str) -> Option<StoredRequest> {
        let json: Json = serde_json::from_str(text).ok()?;
        let headers = json
            .get("headers")?
            .as_array()?
            .iter()
            .map(|pair| {
                let pair = pair.as_array()?;
                Some((
                    pair.first()?.as_str()?.to_owned(),
                    pair.get(1)?.as_str()?.to_owned(),
                ))
            })
            .collect::<Option<Vec<_>>>()?;
        let endpoint = json.get("endpoint")?;
        let endpoint_headers = endpoint
            .get("headers")?
            .as_object()?
            .iter()
            .map(|(name, values)| {
                let values = values
                    .as_array()?
                    .iter()
                    .map(|v| v.as_str().map(str::to_owned))
                    .collect::<Option<Vec<_>>>()?;
                Some((name.clone(), values))
            })
            .collect::<Option<BTreeMap<_, _>>>()?;
        let properties = endpoint
            .get("properties")?
            .as_object()?
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), Value::from_json(v)?)))
            .collect();
        Some(StoredRequest {
            method: json.get("method")?.as_str()?.to_owned(),
            uri: json.get("uri")?.as_str()?.to_owned(),
            headers,
            endpoint: Endpoint {
                url: endpoint.get("url")?.as_str()?.to_owned(),
                properties,
                headers: endpoint_headers,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_requests_read_back_as_written() {
        let request = StoredRequest {
            method: "PUT".into(),
            uri: "https://b.s3.us-east-1.amazonaws.com/k%20ey?x-id=PutObject".into(),
            headers: vec![
                ("content-type".into(), "application/json".into()),
                ("x-amz-meta-é".into(), "ünïcode".into()),
                ("x-dup".into(), "1".into()),
                ("x-dup".into(), "2".into()),
            ],
            endpoint: Endpoint {
                url: "https://b.s3.us-east-1.amazonaws.com".into(),
                properties: BTreeMap::from([(
                    "authSchemes".into(),
                    Value::Array(vec![Value::Object(BTreeMap::from([
                        ("name".into(), Value::from("sigv4")),
                        ("disableDoubleEncoding".into(), Value::Bool(true)),
                        ("n".into(), Value::Int(-3)),
                    ]))]),
                )]),
                headers: BTreeMap::from([("x-amz-h".into(), vec!["a".into(), "b".into()])]),
            },
        };
        assert_eq!(StoredRequest::decode(&request.encode()), Some(request));
        assert_eq!(StoredRequest::decode("{}"), None);
        assert_eq!(StoredRequest::decode("not json"), None);
    }
}
