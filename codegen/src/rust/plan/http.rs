//! The HTTP binding traits as the plan records them (spec: "HTTP protocol
//! bindings"): where each member travels, and the parsed `@http` trait.

use proc_macro2::Ident;

use crate::model::{Member, Node, Shape, traits};

/// Where a member of an input, output or error structure travels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HttpBinding<'m> {
    /// `@httpLabel`: a path label.
    Label,
    /// `@httpQuery`: a query parameter with this name.
    Query(&'m str),
    /// `@httpQueryParams`: a map of further query parameters.
    QueryParams,
    /// `@httpHeader`: a header with this name.
    Header(&'m str),
    /// `@httpPrefixHeaders`: headers starting with this prefix, as a map.
    PrefixHeaders(&'m str),
    /// `@httpPayload`: the whole body.
    Payload,
    /// `@httpResponseCode`: the HTTP status code.
    ResponseCode,
    /// A member of the body document.
    Body,
}

impl<'m> HttpBinding<'m> {
    /// Reads the member's binding trait.
    pub(super) fn of(member: &'m Member) -> Self {
        let text = |t: &str| {
            member
                .trait_value(t)
                .and_then(Node::as_str)
                .unwrap_or_default()
        };
        if member.has_trait(traits::HTTP_LABEL) {
            HttpBinding::Label
        } else if member.has_trait(traits::HTTP_QUERY) {
            HttpBinding::Query(text(traits::HTTP_QUERY))
        } else if member.has_trait(traits::HTTP_QUERY_PARAMS) {
            HttpBinding::QueryParams
        } else if member.has_trait(traits::HTTP_HEADER) {
            HttpBinding::Header(text(traits::HTTP_HEADER))
        } else if member.has_trait(traits::HTTP_PREFIX_HEADERS) {
            HttpBinding::PrefixHeaders(text(traits::HTTP_PREFIX_HEADERS))
        } else if member.has_trait(traits::HTTP_PAYLOAD) {
            HttpBinding::Payload
        } else if member.has_trait(traits::HTTP_RESPONSE_CODE) {
            HttpBinding::ResponseCode
        } else {
            HttpBinding::Body
        }
    }

    /// True for the bindings that mean something in a response (headers,
    /// the status code and the payload); the request-only ones (labels and
    /// query parameters) put a member in the body of a response.
    pub fn in_response(&self) -> bool {
        matches!(
            self,
            HttpBinding::Header(_)
                | HttpBinding::PrefixHeaders(_)
                | HttpBinding::ResponseCode
                | HttpBinding::Payload
        )
    }
}

/// One segment of a URI pattern's path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Literal text.
    Literal(String),
    /// A label, greedy (`{key+}`) or not.
    Label {
        /// The label's name (an input member's name).
        name: String,
        /// `{name+}`.
        greedy: bool,
    },
}

/// A parsed `@http` URI pattern: path segments and literal query parameters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UriPattern {
    /// Path segments, in order.
    pub segments: Vec<Segment>,
    /// Literal query parameters (`?key=value` or `?flag`).
    pub query: Vec<(String, Option<String>)>,
    /// Whether the path ends with `/` (kept as written).
    pub trailing_slash: bool,
}

impl UriPattern {
    /// Parses an `@http` URI such as `/cities/{cityId}/forecast?detail=full`.
    pub fn parse(uri: &str) -> Self {
        let (path, query) = uri.split_once('?').unwrap_or((uri, ""));
        let segments = path
            .split('/')
            .filter(|s| !s.is_empty())
            .map(
                |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                    Some(label) => match label.strip_suffix('+') {
                        Some(name) => Segment::Label {
                            name: name.to_owned(),
                            greedy: true,
                        },
                        None => Segment::Label {
                            name: label.to_owned(),
                            greedy: false,
                        },
                    },
                    None => Segment::Literal(s.to_owned()),
                },
            )
            .collect();
        let query = query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| match p.split_once('=') {
                Some((k, v)) => (k.to_owned(), Some(v.to_owned())),
                None => (p.to_owned(), None),
            })
            .collect();
        UriPattern {
            segments,
            query,
            trailing_slash: path.len() > 1 && path.ends_with('/'),
        }
    }
}

/// An operation's `@http` trait.
#[derive(Debug, Clone)]
pub struct HttpOperation {
    /// The method.
    pub method: HttpMethod,
    /// The URI pattern.
    pub uri: UriPattern,
    /// The status code of a successful response (`code`, 200 unless set).
    pub code: u16,
}

/// An HTTP method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HttpMethod {
    /// One `http::Method` has a constant for (`GET`, ...), as that constant.
    Standard(Ident),
    /// Any other token (`PROPFIND`), as written.
    Extension(String),
}

impl HttpMethod {
    /// The method as written on the wire.
    pub fn as_str(&self) -> String {
        match self {
            HttpMethod::Standard(m) => m.to_string(),
            HttpMethod::Extension(m) => m.clone(),
        }
    }
}

impl HttpOperation {
    /// Reads `@http`, when the operation has it.
    pub(super) fn of(op: &Shape) -> Option<Self> {
        let value = op.trait_value(traits::HTTP)?;
        let get = |k: &str| value.get(k).and_then(Node::as_str);
        let method = get("method").unwrap_or("POST");
        const STANDARD: &[&str] = &[
            "GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "TRACE", "CONNECT",
        ];
        let method = match STANDARD.iter().find(|m| **m == method) {
            Some(m) => HttpMethod::Standard(Ident::new(m, proc_macro2::Span::call_site())),
            None => HttpMethod::Extension(method.to_owned()),
        };
        let code = value
            .get("code")
            .and_then(Node::as_number)
            .and_then(|n| n.as_i64())
            .and_then(|c| u16::try_from(c).ok())
            .unwrap_or(200);
        Some(HttpOperation {
            method,
            uri: UriPattern::parse(get("uri").unwrap_or("/")),
            code,
        })
    }
}
