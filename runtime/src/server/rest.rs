//! The server side of the REST protocols (restJson1): each operation is
//! bound to a method and a URI pattern by its `@http` trait, and its
//! members to path labels, query parameters, headers, the status code or
//! the body by the HTTP binding traits (spec: "HTTP protocol bindings").
//!
//! [`router`] does the routing: it matches the request's method and path
//! against the service's [`Route`]s (literal segments, `{label}`s and one
//! `{greedy+}` label, and the pattern's literal query parameters), picks
//! the most specific match, undoes a `gzip` `Content-Encoding`, and hands
//! the generated dispatcher a [`RestCall`] holding the labels, the query
//! parameters, the headers and the body, all decoded. The generated code
//! reads the typed input from it, runs the handler, and writes the answer
//! into [`ResponseParts`]. A path no route matches is a 404
//! `UnknownOperationException`; a path some route matches with another
//! method, a 405.

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use bytes::Bytes;
use futures_util::FutureExt;
use http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use http_body::Body as _;
use percent_encoding::percent_decode_str;

use super::Request;
use super::rpc::{Protocol, Reply, ReplyFuture};
use crate::bytestream::ByteStream;
use crate::chain::RequestChain;
use crate::error::ConstructionError;

/// One segment of a route's path pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment {
    /// Literal text, matched exactly (after percent-decoding the request).
    Literal(&'static str),
    /// `{name}`: one whole segment.
    Label(&'static str),
    /// `{name+}`: one or more segments, with the `/`s between them.
    Greedy(&'static str),
}

/// The media type of a request or response body, as an operation's
/// bindings imply it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Media {
    /// No body: a request must not send one with a `Content-Type`.
    None,
    /// A body of this type (`application/json`, a payload's `@mediaType`,
    /// `text/plain`, `application/octet-stream`).
    Is(&'static str),
    /// Whatever a member bound to `Content-Type` says.
    Any,
}

/// Where an operation is served: its `@http` method and URI pattern.
#[derive(Debug, Clone, Copy)]
pub struct Route {
    /// The operation's name, as the dispatcher matches it.
    pub operation: &'static str,
    /// The HTTP method (`GET`, `PUT`, or an extension token).
    pub method: &'static str,
    /// The path pattern's segments.
    pub segments: &'static [Segment],
    /// The pattern's literal query parameters: `?key=value` requires that
    /// value, `?flag` the parameter's presence.
    pub query: &'static [(&'static str, Option<&'static str>)],
    /// The operation's input has a `@streaming` blob payload: the body is
    /// handed over as a [`ByteStream`] as it arrives, never buffered (nor
    /// its `Content-Encoding` undone).
    pub streams_input: bool,
    /// The media type requests must send their body as (`Content-Type`);
    /// another is answered 415 `UnsupportedMediaTypeException`.
    pub request_media: Media,
    /// The media type of the output's body, which an `Accept` header
    /// must admit; otherwise 406 `NotAcceptableException`.
    pub response_media: Media,
}

/// The essence of a media type (`type/subtype`, without parameters),
/// lowercased.
fn essence(value: &str) -> String {
    value
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

impl Route {
    /// The reply refusing a request whose `Content-Type` or `Accept` the
    /// operation cannot serve (spec: restJson1, "Content-Type"; the
    /// suite's malformed `content-type` and `accept` cases).
    fn refuse_media(&self, headers: &HeaderMap, body_empty: bool) -> Option<Reply> {
        let protocol = Protocol::RestJson1;
        let sent = headers
            .get(header::CONTENT_TYPE)
            .map(|v| essence(v.to_str().unwrap_or("?")));
        let unsupported = |message: String| {
            Some(Reply::framing(
                protocol,
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "UnsupportedMediaTypeException",
                message,
            ))
        };
        match (self.request_media, &sent) {
            // (A body alone, or the header alone, the suite lets pass.)
            (Media::None, Some(sent)) if !body_empty => {
                return unsupported(format!(
                    "the operation takes no body, and the request sends one as `{sent}`"
                ));
            }
            (Media::Is(expected), Some(sent)) if *sent != expected => {
                return unsupported(format!("the body must be `{expected}`, not `{sent}`"));
            }
            (Media::Is(expected), None) if !body_empty => {
                return unsupported(format!("the body must be `{expected}`, and names none"));
            }
            _ => {}
        }
        let Media::Is(answer) = self.response_media else {
            return None;
        };
        let accept = headers.get(header::ACCEPT)?.to_str().unwrap_or("?");
        let (kind, _) = answer.split_once('/').unwrap_or((answer, ""));
        let admitted = accept.split(',').map(essence).any(|range| {
            range == "*/*" || range == answer || range.strip_suffix("/*") == Some(kind)
        });
        (!admitted).then(|| {
            Reply::framing(
                protocol,
                StatusCode::NOT_ACCEPTABLE,
                "NotAcceptableException",
                format!("the answer is `{answer}`, which `Accept: {accept}` does not admit"),
            )
        })
    }
}

impl Route {
    /// The labels of `path` (decoded segments) when the route's pattern
    /// matches it.
    fn labels(&self, path: &[String]) -> Option<Vec<(&'static str, String)>> {
        // A trailing `/` is no segment, except to a greedy label at the
        // end, whose value it ends (an S3 key such as `photos/`).
        let path = match (path.split_last(), self.segments.last()) {
            (Some((last, rest)), last_segment)
                if last.is_empty() && !matches!(last_segment, Some(Segment::Greedy(_))) =>
            {
                rest
            }
            _ => path,
        };
        let mut labels = Vec::new();
        let mut at = 0;
        for (i, segment) in self.segments.iter().enumerate() {
            match segment {
                Segment::Literal(text) => {
                    if path.get(at)? != text {
                        return None;
                    }
                    at += 1;
                }
                Segment::Label(name) => {
                    // A label is never empty (`/a//b` fills none).
                    let value = path.get(at).filter(|v| !v.is_empty())?;
                    labels.push((*name, value.clone()));
                    at += 1;
                }
                Segment::Greedy(name) => {
                    // The segments after the greedy label take the end of
                    // the path; it takes at least one, and is not empty
                    // (`/`, a value clients send for S3 keys, is not).
                    let rest = self.segments.len() - i - 1;
                    let end = path.len().checked_sub(rest)?;
                    if end <= at {
                        return None;
                    }
                    let value = path[at..end].join("/");
                    if value.is_empty() {
                        return None;
                    }
                    labels.push((*name, value));
                    at = end;
                }
            }
        }
        (at == path.len()).then_some(labels)
    }

    /// True when the request's query holds the pattern's literal
    /// parameters.
    fn query_matches(&self, query: &[(String, String)]) -> bool {
        self.query.iter().all(|(key, value)| {
            query
                .iter()
                .any(|(k, v)| k == key && value.is_none_or(|value| v == value))
        })
    }

    /// Which of two routes matching one request is more specific (spec:
    /// "HTTP binding traits", `@http`, specificity routing): segment by
    /// segment, at the first that differs, a literal beats a label and a
    /// label beats a greedy label; then the longer pattern, then the one
    /// with more literal query parameters.
    fn specificity(&self, other: &Route) -> std::cmp::Ordering {
        fn weight(segment: &Segment) -> u8 {
            match segment {
                Segment::Literal(_) => 2,
                Segment::Label(_) => 1,
                Segment::Greedy(_) => 0,
            }
        }
        self.segments
            .iter()
            .zip(other.segments)
            .map(|(a, b)| weight(a).cmp(&weight(b)))
            .find(|o| o.is_ne())
            .unwrap_or_else(|| self.segments.len().cmp(&other.segments.len()))
            .then(self.query.len().cmp(&other.query.len()))
    }
}

/// A request routed to an operation, as the generated dispatcher receives
/// it: every part decoded, for the generated reader of the operation's
/// input.
#[derive(Debug)]
pub struct RestCall {
    operation: &'static str,
    labels: Vec<(&'static str, String)>,
    query: Vec<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
    stream: Option<ByteStream>,
    request_id: String,
    chain: RequestChain,
}

impl RestCall {
    /// The operation's name.
    pub fn operation(&self) -> &str {
        self.operation
    }

    /// The decoded value of the path label `name` (empty when the route
    /// has no such label).
    pub fn label(&self, name: &str) -> &str {
        self.labels
            .iter()
            .find(|(n, _)| *n == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// The first value of the query parameter `name`.
    pub fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of the query parameter `name`, in order.
    pub fn query_all(&self, name: &str) -> Vec<String> {
        self.query
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// Every query parameter (name, value), in order, decoded.
    pub fn query_params(&self) -> impl Iterator<Item = (&str, &str)> {
        self.query.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The request's headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The value of header `name` (several lines joined with `, `); a
    /// value that is not text is an error.
    pub fn header(&self, name: &str) -> Result<Option<String>, String> {
        crate::binding::header_in(&self.headers, name)
    }

    /// The headers whose names start with `prefix`, keyed by the rest of
    /// the name.
    pub fn prefix_headers(&self, prefix: &str) -> Result<HashMap<String, String>, String> {
        crate::binding::prefix_headers_in(&self.headers, prefix)
    }

    /// The request body, its `Content-Encoding` undone (empty when the
    /// caller sent none).
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The streamed body of an operation whose input has a `@streaming`
    /// payload (taken: a second call gets an empty stream).
    pub fn take_stream(&mut self) -> ByteStream {
        self.stream.take().unwrap_or_default()
    }

    /// The body as text, for a `@httpPayload` string.
    pub fn body_text(&self) -> Result<String, String> {
        String::from_utf8(self.body.to_vec()).map_err(|_| "the body is not UTF-8 text".to_owned())
    }

    /// The call as its handler receives it, with its typed `input`.
    pub fn into_request<T>(self, input: T) -> Request<T> {
        Request::from_call(input, self.headers, self.request_id, self.chain)
    }
}

/// The HTTP response a generated writer assembles from an output or a
/// modeled error: status, the headers its members are bound to, and the
/// body.
#[derive(Debug)]
pub struct ResponseParts {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    stream: Option<ByteStream>,
}

impl ResponseParts {
    /// A response with `status` (the operation's `@http` code, or the
    /// error's `@httpError`).
    pub fn new(status: u16) -> Self {
        ResponseParts {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
            headers: HeaderMap::new(),
            body: Bytes::new(),
            stream: None,
        }
    }

    /// Sets the status from an `@httpResponseCode` member.
    ///
    /// # Errors
    /// When `code` is not the status of a final answer, 200 to 599 (RFC
    /// 9110, section 15; 1xx codes are interim).
    pub fn status(&mut self, code: i32) -> Result<(), ConstructionError> {
        self.status = u16::try_from(code)
            .ok()
            .filter(|c| (200..=599).contains(c))
            .and_then(|c| StatusCode::from_u16(c).ok())
            .ok_or_else(|| ConstructionError::new(format!("{code} is not an HTTP status code")))?;
        Ok(())
    }

    /// Sets a header.
    ///
    /// # Errors
    /// When `name` is not a header name or `value` not a header value, or
    /// the name is one of HTTP's framing (`Transfer-Encoding`,
    /// `Connection`, ...), which the server sets.
    pub fn header(&mut self, name: &str, value: impl AsRef<str>) -> Result<(), ConstructionError> {
        let (name, value) = crate::binding::header_pair(name, value.as_ref())?;
        const FRAMING: &[&str] = &[
            "connection",
            "keep-alive",
            "proxy-connection",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
        ];
        if FRAMING.contains(&name.as_str()) {
            return Err(ConstructionError::new(format!(
                "`{name}` frames the HTTP message; an answer cannot set it"
            )));
        }
        self.headers.insert(name, value);
        Ok(())
    }

    /// Sets the body and, unless a member set it, its media type.
    ///
    /// # Errors
    /// When `content_type` is not a header value.
    pub fn body(
        &mut self,
        content_type: &str,
        body: impl Into<Bytes>,
    ) -> Result<(), ConstructionError> {
        if !self.headers.contains_key(header::CONTENT_TYPE) {
            self.header("content-type", content_type)?;
        }
        self.body = body.into();
        Ok(())
    }

    /// Sets a streamed body (a `@streaming` blob payload) and, unless a
    /// member set it, its media type. It is sent as it is read, with
    /// `Content-Length` when its length is known (or a member set it),
    /// chunked otherwise; `length` says nothing more to a server.
    ///
    /// # Errors
    /// When `content_type` is not a header value.
    pub fn streaming_body(
        &mut self,
        content_type: &str,
        body: ByteStream,
        length: crate::binding::BodyLength,
    ) -> Result<(), ConstructionError> {
        let _ = length;
        if !self.headers.contains_key(header::CONTENT_TYPE) {
            self.header("content-type", content_type)?;
        }
        self.stream = Some(body);
        Ok(())
    }

    /// The reply of an output.
    pub fn into_output(self) -> Reply {
        self.into_reply(None)
    }

    /// The reply of a modeled error named `code` (sent in
    /// `X-Amzn-Errortype`).
    pub fn into_error(self, code: &str) -> Reply {
        self.into_reply(Some(code))
    }

    fn into_reply(mut self, code: Option<&str>) -> Reply {
        // 204 and 304 answers have no body (RFC 9110, sections 15.3.5 and
        // 15.4.5).
        if matches!(self.status.as_u16(), 204 | 304) {
            self.body = Bytes::new();
            self.stream = None;
            self.headers.remove(header::CONTENT_TYPE);
            self.headers.remove(header::CONTENT_LENGTH);
        }
        // Without a body, only a member sets it (a HEAD answer's).
        let content_type = self.headers.remove(header::CONTENT_TYPE);
        Reply::rest(
            self.status,
            self.headers,
            (content_type, self.body, self.stream),
            code,
        )
    }
}

/// The reply when an answer cannot be written (a header value a header
/// cannot carry, a status code out of range): an internal failure.
pub fn unwritable(error: &ConstructionError) -> Reply {
    Reply::status(
        Protocol::RestJson1,
        &super::Status::internal(format!("the answer cannot be written: {error}")),
    )
}

/// The generated dispatcher of a REST service: reads the call's input,
/// runs the handler of `S` and writes its answer.
pub type Dispatch<S> = fn(Arc<S>, RestCall) -> ReplyFuture;

/// Splits a path into its percent-decoded segments (`//` makes an empty
/// segment, which only a greedy label takes, and so does a trailing `/`);
/// `None` when one does not decode to UTF-8.
fn segments(path: &str) -> Option<Vec<String>> {
    let path = path.strip_prefix('/').unwrap_or(path);
    if path.is_empty() {
        return Some(Vec::new());
    }
    path.split('/')
        .map(|s| {
            percent_decode_str(s)
                .decode_utf8()
                .ok()
                .map(|s| s.into_owned())
        })
        .collect()
}

/// The query string's parameters, percent-decoded (`+` stays a plus);
/// `None` when one does not decode to UTF-8.
fn query_pairs(query: &str) -> Option<Vec<(String, String)>> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |s: &str| {
                percent_decode_str(s)
                    .decode_utf8()
                    .ok()
                    .map(|s| s.into_owned())
            };
            Some((decode(key)?, decode(value)?))
        })
        .collect()
}

/// The route a request takes, with its labels; or the reply that says
/// why none does.
fn route(
    routes: &'static [Route],
    method: &Method,
    uri: &http::Uri,
) -> Result<(&'static Route, RoutedParts), Reply> {
    let protocol = Protocol::RestJson1;
    let unreadable = |what: &str| {
        Reply::framing(
            protocol,
            StatusCode::BAD_REQUEST,
            "SerializationException",
            format!("the request {what} is not percent-encoded UTF-8"),
        )
    };
    let path = segments(uri.path()).ok_or_else(|| unreadable("path"))?;
    let query = query_pairs(uri.query().unwrap_or("")).ok_or_else(|| unreadable("query"))?;
    let find = |method: &str, allowed: &mut Vec<&'static str>| {
        let mut best: Option<(&'static Route, Vec<(&'static str, String)>)> = None;
        for route in routes {
            let Some(labels) = route.labels(&path) else {
                continue;
            };
            if !route.query_matches(&query) {
                continue;
            }
            if route.method != method {
                allowed.push(route.method);
                continue;
            }
            if best
                .as_ref()
                .is_none_or(|(b, _)| route.specificity(b).is_gt())
            {
                best = Some((route, labels));
            }
        }
        best
    };
    let mut allowed = Vec::new();
    // HEAD is GET without the body (RFC 9110, section 9.3.2), where the
    // model has no HEAD operation there.
    let best = find(method.as_str(), &mut allowed)
        .or_else(|| (method == Method::HEAD).then(|| find("GET", &mut Vec::new()))?);
    match best {
        Some((route, labels)) => Ok((route, RoutedParts { labels, query })),
        None if !allowed.is_empty() => {
            allowed.sort_unstable();
            allowed.dedup();
            let reply = Reply::framing(
                protocol,
                StatusCode::METHOD_NOT_ALLOWED,
                "UnknownOperationException",
                format!("{method} is not allowed on {}", uri.path()),
            );
            Err(match HeaderValue::from_str(&allowed.join(", ")) {
                Ok(allow) => reply.with_header(header::ALLOW, allow),
                Err(_) => reply,
            })
        }
        None => Err(Reply::framing(
            protocol,
            StatusCode::NOT_FOUND,
            "UnknownOperationException",
            format!("no operation is served at {method} {}", uri.path()),
        )),
    }
}

/// The decoded labels and query of a routed request.
#[derive(Debug)]
struct RoutedParts {
    labels: Vec<(&'static str, String)>,
    query: Vec<(String, String)>,
}

/// An axum [`Router`](axum::Router) serving `service` (an implementation
/// of the service whose shape name is `service_name`) at its `routes`. It
/// claims every path (`/` and `/{*path}`): to serve other routes beside
/// it, `nest` it under a prefix of its own. Generated `router` functions of
/// restJson1 services call it.
pub fn router<S: Send + Sync + 'static>(
    service_name: &'static str,
    routes: &'static [Route],
    service: S,
    dispatch: Dispatch<S>,
) -> axum::Router {
    let protocol = Protocol::RestJson1;
    let service = Arc::new(service);
    let handler = move |request: axum::extract::Request| {
        let service = Arc::clone(&service);
        async move {
            let (parts, body) = request.into_parts();
            let head = parts.method == Method::HEAD;
            let headers = parts.headers.clone();
            let (request_id, chain) = super::incoming_ids(&headers);
            let routed = match route(routes, &parts.method, &parts.uri) {
                Err(reply) => Err(reply),
                Ok((route, routed)) if route.streams_input => {
                    let encoded = super::rpc::encoded(&headers);
                    match route.refuse_media(&headers, body.is_end_stream()) {
                        Some(reply) => Err(reply),
                        // A streamed blob is handed over as sent; one that
                        // would need decoding is refused, not passed on
                        // still encoded.
                        None if encoded => Err(Reply::malformed(
                            protocol,
                            "a streamed body cannot have a Content-Encoding",
                        )),
                        None => Ok((
                            route,
                            routed,
                            (Bytes::new(), Some(ByteStream::from_http_body(body))),
                        )),
                    }
                }
                Ok((route, routed)) => match super::rpc::read_whole(protocol, parts, body).await {
                    Err(reply) => Err(reply),
                    Ok(bytes) => match route.refuse_media(&headers, bytes.is_empty()) {
                        Some(reply) => Err(reply),
                        None => super::rpc::decoded(protocol, &headers, bytes)
                            .map(|bytes| (route, routed, (bytes, None))),
                    },
                },
            };
            let reply = match routed {
                Err(reply) => reply,
                Ok((route, routed, (body, stream))) => {
                    let call = RestCall {
                        operation: route.operation,
                        labels: routed.labels,
                        query: routed.query,
                        headers,
                        body,
                        stream,
                        request_id: request_id.clone(),
                        chain: chain.clone(),
                    };
                    // A handler that panics is answered as an internal
                    // failure, never with a dropped connection.
                    let serve = AssertUnwindSafe(dispatch(service, call)).catch_unwind();
                    super::traced(service_name, route.operation, &request_id, &chain, serve)
                        .await
                        .unwrap_or_else(|_| Reply::panicked(protocol))
                }
            };
            // A length a member sets describes a HEAD answer's absent
            // body; any other answer's is its own.
            let reply = if head {
                reply
            } else {
                reply.without_header(&header::CONTENT_LENGTH)
            };
            reply.into_axum(protocol, &request_id)
        }
    };
    // Every path is the service's: `nest` the router under a prefix of its
    // own to serve other routes beside it (merging routers that both claim
    // `/` panics in axum).
    let handler = super::linger::lingering(handler);
    axum::Router::new()
        .route("/", axum::routing::any(handler.clone()))
        .route("/{*path}", axum::routing::any(handler))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROUTES: &[Route] = &[
        Route {
            operation: "GetCity",
            method: "GET",
            segments: &[Segment::Literal("cities"), Segment::Label("cityId")],
            query: &[],
            streams_input: false,
            request_media: Media::None,
            response_media: Media::None,
        },
        Route {
            operation: "ListCities",
            method: "GET",
            segments: &[Segment::Literal("cities")],
            query: &[],
            streams_input: false,
            request_media: Media::None,
            response_media: Media::None,
        },
        Route {
            operation: "GetObject",
            method: "GET",
            segments: &[
                Segment::Literal("objects"),
                Segment::Greedy("key"),
                Segment::Literal("meta"),
            ],
            query: &[],
            streams_input: false,
            request_media: Media::None,
            response_media: Media::None,
        },
        Route {
            operation: "Special",
            method: "GET",
            segments: &[Segment::Literal("cities"), Segment::Literal("special")],
            query: &[],
            streams_input: false,
            request_media: Media::None,
            response_media: Media::None,
        },
        Route {
            operation: "Flagged",
            method: "GET",
            segments: &[Segment::Literal("cities")],
            query: &[("list", Some("all")), ("flag", None)],
            streams_input: false,
            request_media: Media::None,
            response_media: Media::None,
        },
        Route {
            operation: "PutFile",
            method: "PUT",
            segments: &[Segment::Literal("files"), Segment::Greedy("key")],
            query: &[],
            streams_input: false,
            request_media: Media::None,
            response_media: Media::None,
        },
        Route {
            operation: "Second",
            method: "GET",
            segments: &[
                Segment::Literal("abc"),
                Segment::Label("xyz"),
                Segment::Literal("cde"),
            ],
            query: &[],
            streams_input: false,
            request_media: Media::None,
            response_media: Media::None,
        },
        Route {
            operation: "First",
            method: "GET",
            segments: &[
                Segment::Literal("abc"),
                Segment::Literal("bcd"),
                Segment::Label("xyz"),
            ],
            query: &[],
            streams_input: false,
            request_media: Media::None,
            response_media: Media::None,
        },
    ];

    /// The operation and labels of a request, or the status it is refused with.
    type Routed = Result<(&'static str, Vec<(&'static str, String)>), u16>;

    fn routed(method: Method, uri: &str) -> Routed {
        route(ROUTES, &method, &uri.parse().unwrap())
            .map(|(r, parts)| (r.operation, parts.labels))
            .map_err(|reply| reply.into_http(Protocol::RestJson1, "id").status().as_u16())
    }

    #[test]
    fn labels_are_decoded_and_literals_win() {
        assert_eq!(
            routed(Method::GET, "/cities/a%20b%2Fc").unwrap(),
            ("GetCity", vec![("cityId", "a b/c".to_owned())])
        );
        assert_eq!(routed(Method::GET, "/cities/special").unwrap().0, "Special");
        assert_eq!(routed(Method::GET, "/cities").unwrap().0, "ListCities");
        assert_eq!(
            routed(Method::GET, "/cities?flag&list=all").unwrap().0,
            "Flagged"
        );
        assert_eq!(
            routed(Method::GET, "/cities?list=some&flag").unwrap().0,
            "ListCities"
        );
    }

    #[test]
    fn the_first_literal_decides_between_routes() {
        // The spec's example: `/abc/bcd/{xyz}` over `/abc/{xyz}/cde`,
        // whatever their order.
        assert_eq!(routed(Method::GET, "/abc/bcd/cde").unwrap().0, "First");
        assert_eq!(routed(Method::GET, "/abc/xyz/cde").unwrap().0, "Second");
    }

    #[test]
    fn empty_segments_fill_no_label() {
        assert_eq!(routed(Method::GET, "/cities//"), Err(404));
        assert_eq!(routed(Method::GET, "/cities/"), Ok(("ListCities", vec![])));
        assert_eq!(
            routed(Method::GET, "/objects/a//b/meta").unwrap().1,
            vec![("key", "a//b".to_owned())]
        );
        assert_eq!(routed(Method::GET, "/objects//meta"), Err(404));
    }

    #[test]
    fn a_greedy_label_at_the_end_keeps_its_slashes() {
        // Found by the round-trip property tests: a trailing `/` was
        // dropped, so the key `photos/` arrived as `photos`.
        for (uri, key) in [
            ("/files/photos/", "photos/"),
            ("/files//a", "/a"),
            ("/files//", "/"),
            ("/files/a//b/", "a//b/"),
        ] {
            assert_eq!(
                routed(Method::PUT, uri),
                Ok(("PutFile", vec![("key", key.to_owned())])),
                "{uri}"
            );
        }
        assert_eq!(routed(Method::PUT, "/files/"), Err(404));
    }

    #[test]
    fn head_is_get_without_a_body_and_405_says_what_is_allowed() {
        assert_eq!(routed(Method::HEAD, "/cities/x").unwrap().0, "GetCity");
        let refused = route(ROUTES, &Method::DELETE, &"/cities".parse().unwrap()).unwrap_err();
        let response = refused.into_http(Protocol::RestJson1, "id");
        assert_eq!(response.status(), 405);
        assert_eq!(response.headers()["allow"], "GET");
    }

    #[test]
    fn greedy_labels_take_the_middle() {
        assert_eq!(
            routed(Method::GET, "/objects/a/b/c/meta").unwrap(),
            ("GetObject", vec![("key", "a/b/c".to_owned())])
        );
        assert_eq!(routed(Method::GET, "/objects/meta"), Err(404));
    }

    #[test]
    fn response_codes_are_valid_http_statuses() {
        let mut parts = ResponseParts::new(200);
        for bad in [-1, 0, 99, 101, 199, 600, 722, 1000, i32::MAX] {
            assert!(parts.status(bad).is_err(), "{bad}");
        }
        for good in [200, 204, 418, 599] {
            parts.status(good).unwrap();
        }
        let reply = parts.into_output();
        assert_eq!(reply.into_http(Protocol::RestJson1, "id").status(), 599);
    }

    #[test]
    fn unknown_paths_and_methods() {
        assert_eq!(routed(Method::GET, "/nowhere"), Err(404));
        assert_eq!(routed(Method::DELETE, "/cities"), Err(405));
        assert_eq!(routed(Method::GET, "/cities/%FF"), Err(400));
    }
}
