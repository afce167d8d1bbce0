//! The server side of the RPC protocols: awsJson1_0, awsJson1_1 (every call
//! a `POST /` naming its operation in `X-Amz-Target: Service.Operation`)
//! and rpcv2Cbor, rpcv2Json (a `POST` to
//! `/service/{Service}/operation/{Operation}` with `Smithy-Protocol`). In
//! all four the body is the whole input, output or error as one document,
//! and an error names its shape in the document's `__type` (spec: "AWS JSON
//! 1.0/1.1 protocol" and "Smithy RPC v2 CBOR/JSON", operation and error
//! serialization).
//!
//! [`router`] does the framing: it checks the method and the protocol
//! header (the `Content-Type` is not checked), undoes a `gzip`
//! `Content-Encoding`, finds the operation, and hands a [`Call`] to the
//! generated dispatcher, which reads the typed input, runs the handler and
//! answers with a [`Reply`]. The dispatcher is a function pointer generic
//! only in the service, so each server compiles this framing once.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::Arc;

use bytes::Bytes;
use futures_util::FutureExt;
use http::{HeaderMap, HeaderValue, Method, StatusCode, header};

use super::{Request, Status};
use crate::chain::RequestChain;

/// The header that carries a call's request id, both ways.
const REQUEST_ID: &str = "x-amzn-requestid";

/// One of the RPC protocols a generated server can speak.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// `aws.protocols#awsJson1_0`.
    AwsJson1_0,
    /// `aws.protocols#awsJson1_1`.
    AwsJson1_1,
    /// `smithy.protocols#rpcv2Cbor`.
    RpcV2Cbor,
    /// `smithy.protocols#rpcv2Json`.
    RpcV2Json,
    /// `tinsmith.protocols#jsonRpc2`: the documents are JSON, framed by
    /// [`super::json_rpc`] instead.
    JsonRpc2,
    /// `aws.protocols#restJson1`: JSON bodies, routed by the operations'
    /// `@http` traits in [`super::rest`] instead.
    RestJson1,
}

impl Protocol {
    /// The media type of bodies, both ways.
    pub fn content_type(self) -> &'static str {
        match self {
            Protocol::AwsJson1_0 => "application/x-amz-json-1.0",
            Protocol::AwsJson1_1 => "application/x-amz-json-1.1",
            Protocol::RpcV2Cbor => "application/cbor",
            Protocol::RpcV2Json | Protocol::JsonRpc2 | Protocol::RestJson1 => "application/json",
        }
    }

    /// The `Smithy-Protocol` header of the RPC v2 protocols.
    fn smithy_protocol(self) -> Option<&'static str> {
        match self {
            Protocol::RpcV2Cbor => Some("rpc-v2-cbor"),
            Protocol::RpcV2Json => Some("rpc-v2-json"),
            Protocol::AwsJson1_0
            | Protocol::AwsJson1_1
            | Protocol::JsonRpc2
            | Protocol::RestJson1 => None,
        }
    }

    /// True for the protocols whose clients read an error's code from the
    /// `X-Amzn-Errortype` header.
    fn error_type_header(self) -> bool {
        matches!(
            self,
            Protocol::AwsJson1_0 | Protocol::AwsJson1_1 | Protocol::RestJson1
        )
    }

    /// The HTTP status of a request for an operation the service lacks.
    fn unknown_status(self) -> StatusCode {
        match self {
            Protocol::AwsJson1_0 | Protocol::AwsJson1_1 => StatusCode::BAD_REQUEST,
            Protocol::RpcV2Cbor
            | Protocol::RpcV2Json
            | Protocol::JsonRpc2
            | Protocol::RestJson1 => StatusCode::NOT_FOUND,
        }
    }

    /// The operation `method`, `path` and `headers` call on `service`
    /// (the service shape's name), or why the request names none.
    fn operation(
        self,
        service: &str,
        method: &Method,
        path: &str,
        headers: &HeaderMap,
    ) -> Result<String, Reply> {
        if method != Method::POST {
            // RFC 9110, 15.5.6: a 405 names the methods that are allowed.
            return Err(Reply::framing(
                self,
                StatusCode::METHOD_NOT_ALLOWED,
                "UnknownOperationException",
                format!("{method} is not allowed: every operation is a POST"),
            )
            .with_header(header::ALLOW, HeaderValue::from_static("POST")));
        }
        let unknown = |message: String| {
            Reply::framing(
                self,
                self.unknown_status(),
                "UnknownOperationException",
                message,
            )
        };
        match self.smithy_protocol() {
            None => {
                if path != "/" {
                    return Err(unknown(format!("no operation is served at {path}")));
                }
                let target = headers
                    .get("x-amz-target")
                    .and_then(|v| v.to_str().ok())
                    .ok_or_else(|| unknown("the request has no X-Amz-Target header".into()))?;
                match target.split_once('.') {
                    Some((s, operation)) if s == service => Ok(operation.to_owned()),
                    _ => Err(unknown(format!(
                        "X-Amz-Target `{target}` names no operation of {service}"
                    ))),
                }
            }
            Some(expected) => {
                let sent = headers.get("smithy-protocol").and_then(|v| v.to_str().ok());
                if sent != Some(expected) {
                    return Err(Reply::framing(
                        self,
                        StatusCode::BAD_REQUEST,
                        "SerializationException",
                        format!("the Smithy-Protocol header must be `{expected}`"),
                    ));
                }
                // Its last four segments route (under `nest`, the router
                // sees the path without the prefix).
                let segments: Vec<&str> = path.rsplitn(5, '/').collect();
                match segments.as_slice() {
                    [operation, "operation", s, "service", ..] if *s == service => {
                        Ok((*operation).to_owned())
                    }
                    _ => Err(unknown(format!("no operation is served at {path}"))),
                }
            }
        }
    }

    /// The error document of `status` in this protocol's codec.
    fn error_document(self, status: &Status) -> Bytes {
        let document = status.document(self == Protocol::JsonRpc2);
        match self {
            Protocol::RpcV2Cbor => crate::cbor::to_body(&crate::cbor::from_json(&document)),
            _ => crate::json::to_body(&document),
        }
    }
}

/// A call routed to an operation, as the generated dispatcher receives it.
#[derive(Debug)]
pub struct Call {
    operation: String,
    body: Bytes,
    /// The body as it arrives, for an operation whose input streams.
    stream: Option<crate::bytestream::ByteStream>,
    headers: HeaderMap,
    request_id: String,
    chain: RequestChain,
}

impl Call {
    /// A call of `operation` with `body`.
    pub(super) fn new(
        operation: String,
        body: Bytes,
        headers: HeaderMap,
        (request_id, chain): (String, RequestChain),
    ) -> Self {
        Call {
            operation,
            body,
            stream: None,
            headers,
            request_id,
            chain,
        }
    }

    /// The call with its body as it arrives, for an operation whose input
    /// has an event stream.
    pub(super) fn with_stream(mut self, stream: crate::bytestream::ByteStream) -> Self {
        self.stream = Some(stream);
        self
    }

    /// The body as it arrives, for an operation whose input has an event
    /// stream (taken: a second call gets an empty stream). A body that was
    /// read whole is handed over as one chunk.
    pub fn take_stream(&mut self) -> crate::bytestream::ByteStream {
        self.stream
            .take()
            .unwrap_or_else(|| crate::bytestream::ByteStream::from(std::mem::take(&mut self.body)))
    }

    /// The operation's name.
    pub fn operation(&self) -> &str {
        &self.operation
    }

    /// The request body (empty when the caller sent none).
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The call as its handler receives it, with its typed `input`.
    pub fn into_request<T>(self, input: T) -> Request<T> {
        Request::from_call(input, self.headers, self.request_id, self.chain)
    }
}

/// What the dispatcher answers a call with.
#[derive(Debug)]
pub struct Reply {
    status: StatusCode,
    body: Bytes,
    error_type: Option<String>,
    kind: Kind,
    /// Headers of the reply's own (a status's metadata; a REST answer's
    /// bound members and, for a payload, its `Content-Type`, which then
    /// replaces the protocol's).
    headers: Vec<(http::HeaderName, HeaderValue)>,
    /// A streamed body (a REST output's `@streaming` payload), sent in
    /// place of `body`.
    stream: Option<Box<crate::bytestream::ByteStream>>,
}

/// What a reply says, for protocols that frame it by kind (JSON-RPC's
/// error codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// The output.
    Output,
    /// A modeled error, or an unmodeled failure the handler returned.
    Error,
    /// The input could not be read.
    Malformed,
    /// The input breaks the model's constraints.
    Invalid,
    /// No such operation.
    UnknownOperation,
    /// The handler panicked.
    Internal,
}

impl Reply {
    /// A successful call: the output document's bytes.
    pub fn output(body: Bytes) -> Self {
        Reply {
            status: StatusCode::OK,
            body,
            error_type: None,
            kind: Kind::Output,
            headers: Vec::new(),
            stream: None,
        }
    }

    /// A successful call whose output has an event stream: the events
    /// (after the `initial-response` message with the other members), sent
    /// as they come.
    pub fn events(body: crate::bytestream::ByteStream) -> Self {
        Reply {
            status: StatusCode::OK,
            body: Bytes::new(),
            error_type: None,
            kind: Kind::Output,
            headers: vec![(
                header::CONTENT_TYPE,
                HeaderValue::from_static(crate::eventstream::CONTENT_TYPE),
            )],
            stream: Some(Box::new(body)),
        }
    }

    /// A REST answer (an output, or a modeled error when `error_type` is
    /// set): its status, the headers its members are bound to, and its
    /// body with the body's media type (`None` without a body).
    pub(super) fn rest(
        status: StatusCode,
        headers: HeaderMap,
        (content_type, body, stream): (
            Option<HeaderValue>,
            Bytes,
            Option<crate::bytestream::ByteStream>,
        ),
        error_type: Option<&str>,
    ) -> Self {
        let mut collected = Vec::with_capacity(headers.len() + 1);
        if let Some(content_type) = content_type {
            collected.push((header::CONTENT_TYPE, content_type));
        }
        let mut last = None;
        for (name, value) in headers {
            // `HeaderMap` yields a name once, before all its values.
            if let Some(name) = name {
                last = Some(name);
            }
            if let Some(name) = &last {
                collected.push((name.clone(), value));
            }
        }
        Reply {
            status,
            body,
            error_type: error_type.map(str::to_owned),
            kind: if error_type.is_some() {
                Kind::Error
            } else {
                Kind::Output
            },
            headers: collected,
            stream: stream.map(Box::new),
        }
    }

    /// A successful call of an operation without output: no body (and,
    /// in the RPC v2 protocols, no `Content-Type`).
    pub fn no_output() -> Self {
        Reply::output(Bytes::new())
    }

    /// A modeled error: its HTTP status (from `@httpError`, else 400 for a
    /// client fault and 500 for a server fault), its code (the shape id or
    /// name the protocol sends) and its document's bytes, `__type`
    /// included.
    pub fn error(http_status: u16, code: &str, body: Bytes) -> Self {
        Reply {
            status: StatusCode::from_u16(http_status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            body,
            error_type: Some(code.to_owned()),
            kind: Kind::Error,
            headers: Vec::new(),
            stream: None,
        }
    }

    /// A failure the model does not describe, with its details and
    /// metadata.
    pub fn status(protocol: Protocol, status: &Status) -> Self {
        let http_status =
            StatusCode::from_u16(status.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        Reply {
            status: http_status,
            body: protocol.error_document(status),
            error_type: Some(status.code().to_owned()),
            kind: Kind::Error,
            headers: status.headers().to_vec(),
            stream: None,
        }
    }

    /// An input that could not be read: 400 with `SerializationException`.
    pub fn malformed(protocol: Protocol, problem: &str) -> Self {
        let mut reply = Reply::framing(
            protocol,
            StatusCode::BAD_REQUEST,
            "SerializationException",
            format!("the input could not be read: {problem}"),
        );
        reply.kind = Kind::Malformed;
        reply
    }

    /// An input that breaks the model's constraints, for an operation that
    /// does not model `smithy.framework#ValidationException`: 400 with a
    /// document of that shape (`__type` `ValidationException`, `message`
    /// and `fieldList`, each field's `path` and `message`).
    pub fn invalid(protocol: Protocol, violations: &super::validate::Violations) -> Self {
        let message = violations.message();
        let body = match protocol {
            Protocol::RpcV2Cbor => {
                use crate::cbor;
                let fields = violations
                    .iter()
                    .map(|v| {
                        let mut field = cbor::Map::new();
                        field.insert("path".into(), cbor::ser_string(v.path()));
                        field.insert("message".into(), cbor::ser_string(v.message()));
                        cbor::object(field)
                    })
                    .collect();
                let mut map = cbor::Map::new();
                map.insert("__type".into(), cbor::ser_string("ValidationException"));
                map.insert("message".into(), cbor::ser_string(&message));
                map.insert("fieldList".into(), cbor::array(fields));
                cbor::to_body(&cbor::object(map))
            }
            _ => {
                let fields: Vec<serde_json::Value> = violations
                    .iter()
                    .map(|v| serde_json::json!({"path": v.path(), "message": v.message()}))
                    .collect();
                crate::json::to_body(&serde_json::json!({
                    "__type": "ValidationException",
                    "message": message,
                    "fieldList": fields,
                }))
            }
        };
        Reply {
            status: StatusCode::BAD_REQUEST,
            body,
            error_type: Some("ValidationException".to_owned()),
            kind: Kind::Invalid,
            headers: Vec::new(),
            stream: None,
        }
    }

    /// An operation the service does not have.
    pub fn unknown_operation(protocol: Protocol, operation: &str) -> Self {
        let mut reply = Reply::framing(
            protocol,
            protocol.unknown_status(),
            "UnknownOperationException",
            format!("the service has no operation `{operation}`"),
        );
        reply.kind = Kind::UnknownOperation;
        reply
    }

    pub(super) fn framing(
        protocol: Protocol,
        status: StatusCode,
        code: &str,
        message: String,
    ) -> Self {
        let mut reply = Reply::status(protocol, &Status::new(code, message));
        reply.status = status;
        reply
    }

    /// The handler panicked: an internal failure.
    pub(super) fn panicked(protocol: Protocol) -> Self {
        let mut reply = Reply::status(protocol, &Status::internal("the handler panicked"));
        reply.kind = Kind::Internal;
        reply
    }

    /// The reply's streamed body, taken (an event stream's, a REST
    /// `@streaming` payload's).
    pub(super) fn take_stream(&mut self) -> Option<Box<crate::bytestream::ByteStream>> {
        self.stream.take()
    }

    /// What the reply says.
    pub(super) fn kind(&self) -> Kind {
        self.kind
    }

    /// The error's code, for an error.
    pub(super) fn error_type(&self) -> Option<&str> {
        self.error_type.as_deref()
    }

    /// The reply's document (empty for an operation without output).
    pub(super) fn body(&self) -> &Bytes {
        &self.body
    }

    /// The HTTP response of this reply in `protocol`, carrying
    /// `request_id` back in `x-amzn-requestid`. A streamed body (an event
    /// stream's, a REST `@streaming` payload's) is not part of it: the
    /// routers send those as they are read.
    pub fn into_http(self, protocol: Protocol, request_id: &str) -> http::Response<Bytes> {
        self.into_parts(protocol, request_id).0
    }

    /// The HTTP response of this reply, and its streamed body, if any (then
    /// the response's own body is empty).
    pub(crate) fn into_parts(
        mut self,
        protocol: Protocol,
        request_id: &str,
    ) -> (
        http::Response<Bytes>,
        Option<Box<crate::bytestream::ByteStream>>,
    ) {
        let stream = self.stream.take();
        let response_body_empty = self.body.is_empty() && stream.is_none();
        let length = match &stream {
            Some(stream) => stream.content_length(),
            None => Some(self.body.len() as u64),
        };
        let mut response = http::Response::new(self.body);
        *response.status_mut() = self.status;
        let headers = response.headers_mut();
        for (name, value) in self.headers {
            headers.append(name, value);
        }
        // An empty RPC v2 or REST body has no media type; awsJson always
        // names it.
        let typeless = protocol.smithy_protocol().is_some() || protocol == Protocol::RestJson1;
        if !(headers.contains_key(header::CONTENT_TYPE) || response_body_empty && typeless) {
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(protocol.content_type()),
            );
        }
        if let Some(value) = protocol.smithy_protocol() {
            headers.insert("smithy-protocol", HeaderValue::from_static(value));
        }
        if let Ok(id) = HeaderValue::from_str(request_id) {
            headers.insert(REQUEST_ID, id);
        }
        // The body's own length wins over one a member set; a member's
        // stands for an answer without a body (HEAD's) or a stream of
        // unknown length. 204 and 304 answers name none.
        let bodiless_status = matches!(self.status.as_u16(), 204 | 304);
        match length {
            _ if bodiless_status => {
                headers.remove(header::CONTENT_LENGTH);
            }
            Some(0) if headers.contains_key(header::CONTENT_LENGTH) => {}
            Some(length) => {
                headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
            }
            None => {}
        }
        // awsJson and restJson1 clients read the type from this header
        // before the body.
        if protocol.error_type_header()
            && let Some(code) = self
                .error_type
                .as_deref()
                .and_then(|c| HeaderValue::from_str(c).ok())
        {
            headers.insert("x-amzn-errortype", code);
        }
        (response, stream)
    }
}

impl Reply {
    /// The reply without its own headers named `name`.
    pub(super) fn without_header(mut self, name: &http::HeaderName) -> Self {
        self.headers.retain(|(n, _)| n != name);
        self
    }

    /// The reply with one more header of its own.
    pub(super) fn with_header(mut self, name: http::HeaderName, value: HeaderValue) -> Self {
        self.headers.push((name, value));
        self
    }

    /// The HTTP response of this reply, as [`Reply::into_http`], with a
    /// streamed body streamed.
    pub(super) fn into_axum(
        self,
        protocol: Protocol,
        request_id: &str,
    ) -> http::Response<axum::body::Body> {
        // A stream of unknown length goes chunked, unless a member set its
        // `Content-Length`.
        let (response, stream) = self.into_parts(protocol, request_id);
        response.map(|bytes| match stream {
            Some(stream) => axum::body::Body::new(*stream),
            None => axum::body::Body::from(bytes),
        })
    }
}

/// The request body with its `Content-Encoding` undone: `gzip` (what
/// clients of `@requestCompression` operations send) is decompressed, and
/// an encoding the server cannot undo is a malformed request.
pub(crate) fn decoded(
    protocol: Protocol,
    headers: &HeaderMap,
    body: Bytes,
) -> Result<Bytes, Reply> {
    let encodings = headers
        .get_all(header::CONTENT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|e| !e.is_empty() && !e.eq_ignore_ascii_case("identity"))
        .collect::<Vec<_>>();
    // Encodings apply in order; undo them last to first.
    encodings.iter().rev().try_fold(body, |body, encoding| {
        if !encoding.eq_ignore_ascii_case("gzip") {
            return Err(Reply::malformed(
                protocol,
                &format!("unsupported Content-Encoding `{encoding}`"),
            ));
        }
        if body.is_empty() {
            return Ok(body);
        }
        // Decoded bodies are bounded too: a few compressed megabytes can
        // inflate to gigabytes.
        let mut out = Vec::new();
        let limit = DECODED_BODY_LIMIT as u64;
        let mut decoder = std::io::Read::take(flate2::read::GzDecoder::new(&body[..]), limit + 1);
        std::io::Read::read_to_end(&mut decoder, &mut out).map_err(|e| {
            Reply::malformed(protocol, &format!("the gzip body does not decode: {e}"))
        })?;
        if out.len() > DECODED_BODY_LIMIT {
            return Err(Reply::malformed(
                protocol,
                &format!("the gzip body decodes to more than {DECODED_BODY_LIMIT} bytes"),
            ));
        }
        Ok(Bytes::from(out))
    })
}

/// The most bytes a compressed request body may decode to.
pub const DECODED_BODY_LIMIT: usize = 16 * 1024 * 1024;

/// A boxed future the dispatcher returns.
pub type ReplyFuture = Pin<Box<dyn Future<Output = Reply> + Send>>;

/// The generated dispatcher of a service: reads the call's input, runs the
/// handler of `S` and writes its answer.
pub type Dispatch<S> = fn(Arc<S>, Call) -> ReplyFuture;

/// An axum [`Router`](axum::Router) serving `service` (an implementation of
/// the service whose shape name is `service_name`) in `protocol`: at `/`
/// (awsJson) or `/service/{Service}/operation/{Operation}` (rpcv2); nest it
/// to serve it under a prefix. Generated `router` functions call it;
/// `jsonRpc2` services are served by [`super::json_rpc::router`] instead.
///
/// The body of a call of an operation named in `streaming` (one whose
/// input has an event stream) is handed over as it arrives, never
/// buffered; any other body is read whole, within axum's
/// `DefaultBodyLimit`.
pub fn router<S: Send + Sync + 'static>(
    protocol: Protocol,
    (service_name, streaming): (&'static str, &'static [&'static str]),
    service: S,
    dispatch: Dispatch<S>,
) -> axum::Router {
    let service = Arc::new(service);
    let handler = move |request: axum::extract::Request| {
        let service = Arc::clone(&service);
        async move {
            let (parts, body) = request.into_parts();
            let headers = parts.headers.clone();
            let (request_id, chain) = super::incoming_ids(&headers);
            let routed =
                match protocol.operation(service_name, &parts.method, parts.uri.path(), &headers) {
                    Err(reply) => Err(reply),
                    Ok(operation) if streaming.contains(&operation.as_str()) => {
                        if encoded(&headers) {
                            // Frames are read as they come; an encoded
                            // stream is refused, not passed on encoded.
                            Err(Reply::malformed(
                                protocol,
                                "an event stream cannot have a Content-Encoding",
                            ))
                        } else {
                            let stream = crate::bytestream::ByteStream::from_http_body(body);
                            Ok((operation, Bytes::new(), Some(stream)))
                        }
                    }
                    Ok(operation) => read_whole(protocol, parts, body)
                        .await
                        .and_then(|bytes| decoded(protocol, &headers, bytes))
                        .map(|bytes| (operation, bytes, None)),
                };
            let reply = match routed {
                Err(reply) => reply,
                Ok((operation, body, stream)) => {
                    let mut call = Call::new(
                        operation.clone(),
                        body,
                        headers,
                        (request_id.clone(), chain.clone()),
                    );
                    call.stream = stream;
                    // A handler that panics is answered as an internal
                    // failure, never with a dropped connection.
                    let serve = AssertUnwindSafe(dispatch(service, call)).catch_unwind();
                    super::traced(service_name, &operation, &request_id, &chain, serve)
                        .await
                        .unwrap_or_else(|_| Reply::panicked(protocol))
                }
            };
            reply.into_axum(protocol, &request_id)
        }
    };
    // Real routes, not a fallback: the router merges with others (two
    // services on one host, an application's own routes) and nests under a
    // prefix.
    let path = match protocol {
        Protocol::RpcV2Cbor | Protocol::RpcV2Json => "/service/{service}/operation/{operation}",
        // jsonRpc2 and restJson1 have routers of their own.
        Protocol::AwsJson1_0 | Protocol::AwsJson1_1 | Protocol::JsonRpc2 | Protocol::RestJson1 => {
            "/"
        }
    };
    axum::Router::new().route(path, axum::routing::any(super::linger::lingering(handler)))
}

/// Reads a request body whole, within the limit axum's `DefaultBodyLimit`
/// sets (a body over it is refused with the rejection's status).
pub(super) async fn read_whole(
    protocol: Protocol,
    parts: http::request::Parts,
    body: axum::body::Body,
) -> Result<Bytes, Reply> {
    use axum::extract::FromRequest as _;
    let request = axum::extract::Request::from_parts(parts, body);
    Bytes::from_request(request, &())
        .await
        .map_err(|rejection| {
            Reply::framing(
                protocol,
                rejection.status(),
                "SerializationException",
                rejection.body_text(),
            )
        })
}

/// True when the body has a `Content-Encoding` other than `identity`.
pub(crate) fn encoded(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::CONTENT_ENCODING)
        .iter()
        .flat_map(|v| v.to_str().unwrap_or("?").split(','))
        .any(|e| !e.trim().is_empty() && !e.trim().eq_ignore_ascii_case("identity"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_method_than_post_is_a_405_that_says_post() {
        for protocol in [Protocol::AwsJson1_0, Protocol::RpcV2Cbor] {
            let refused = protocol
                .operation("Svc", &Method::GET, "/", &HeaderMap::new())
                .unwrap_err();
            let response = refused.into_http(protocol, "id");
            assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
            assert_eq!(response.headers()[header::ALLOW], "POST");
        }
    }
}
