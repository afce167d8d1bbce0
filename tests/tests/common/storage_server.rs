//! An object-storage server for the Storage example model, on 127.0.0.1,
//! built on hyper so it can count its open connections (what the release
//! tests measure) and stream bodies both ways, over HTTP/1.1 or HTTP/2
//! (h2c, prior knowledge) as the client chooses.
//!
//! Buckets with special behaviour:
//! - `gen`: `GET gen/<n>` streams `n` bytes of a fixed pattern, made on the
//!   fly (nothing stored), so downloads of any size cost no server memory;
//! - `sink`: `PUT sink/...` hashes the upload and stores nothing;
//! - `stall`: `GET stall/...` sends one chunk, then nothing, forever;
//! - `cut`: `GET cut/...` sends one chunk of a longer body, then aborts it
//!   (HTTP/1.1: the connection closes; HTTP/2: the stream is reset);
//! - `flaky`: `PUT flaky/...` reads the whole upload, then answers 503.
//!
//! Other buckets keep objects in memory, with ranged reads.

#![allow(dead_code)]

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use futures_util::StreamExt as _;
use http_body_util::{BodyExt, Full, StreamBody, combinators::BoxBody};
use hyper::body::{Frame, Incoming};
use hyper::{Request, Response, StatusCode};
use sha2::{Digest as _, Sha256};

/// The size of the chunks the server streams.
pub const CHUNK: usize = 64 * 1024;

type Body = BoxBody<Bytes, std::io::Error>;

/// What the server saw of one upload.
#[derive(Debug, Clone)]
pub struct Upload {
    /// The path.
    pub path: String,
    /// `Content-Length`, when sent.
    pub content_length: Option<u64>,
    /// True when the body came with chunked transfer encoding.
    pub chunked: bool,
    /// The bytes received.
    pub received: u64,
    /// Hex SHA-256 of the bytes received.
    pub sha256: String,
    /// The `x-meta-*` headers.
    pub metadata: Vec<(String, String)>,
}

/// A stored object: content, content type, metadata.
type Object = (Bytes, String, Vec<(String, String)>);

/// Shared server state.
#[derive(Default)]
pub struct State {
    objects: Mutex<HashMap<String, Object>>,
    uploads: Mutex<Vec<Upload>>,
    open: AtomicUsize,
    accepted: AtomicUsize,
}

/// A running server.
#[derive(Clone)]
pub struct StorageServer {
    /// `http://127.0.0.1:PORT`.
    pub endpoint: String,
    state: Arc<State>,
}

impl StorageServer {
    /// Starts a server on an ephemeral port.
    pub async fn start() -> StorageServer {
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .unwrap();
        let endpoint = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(State::default());
        let accept_state = state.clone();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let state = accept_state.clone();
                state.open.fetch_add(1, Ordering::SeqCst);
                state.accepted.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(async move {
                    let service_state = state.clone();
                    let service = hyper::service::service_fn(move |request| {
                        let state = service_state.clone();
                        async move { Ok::<_, Infallible>(handle(&state, request).await) }
                    });
                    let _ = hyper_util::server::conn::auto::Builder::new(
                        hyper_util::rt::TokioExecutor::new(),
                    )
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                    .await;
                    state.open.fetch_sub(1, Ordering::SeqCst);
                });
            }
        });
        StorageServer { endpoint, state }
    }

    /// Connections open now.
    pub fn open_connections(&self) -> usize {
        self.state.open.load(Ordering::SeqCst)
    }

    /// Connections accepted so far.
    pub fn accepted_connections(&self) -> usize {
        self.state.accepted.load(Ordering::SeqCst)
    }

    /// Waits (up to 10 s) until at most `limit` connections are open, and
    /// returns how many are.
    pub async fn settle(&self, limit: usize) -> usize {
        for _ in 0..1000 {
            if self.open_connections() <= limit {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        self.open_connections()
    }

    /// Uploads seen so far.
    pub fn uploads(&self) -> Vec<Upload> {
        self.state.uploads.lock().unwrap().clone()
    }

    /// Stores an object directly.
    pub fn put(&self, bucket: &str, key: &str, data: impl Into<Bytes>) {
        self.state.objects.lock().unwrap().insert(
            format!("{bucket}/{key}"),
            (data.into(), "application/octet-stream".into(), Vec::new()),
        );
    }
}

/// The byte at `offset` of a generated object.
pub fn pattern_byte(offset: u64) -> u8 {
    (offset % 251) as u8
}

/// `len` bytes of the generated pattern starting at `offset`.
pub fn pattern(offset: u64, len: usize) -> Vec<u8> {
    (0..len as u64).map(|i| pattern_byte(offset + i)).collect()
}

/// Hex SHA-256.
pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn full(status: StatusCode, headers: &[(&str, String)], body: impl Into<Bytes>) -> Response<Body> {
    let mut response = Response::builder().status(status);
    for (name, value) in headers {
        response = response.header(*name, value);
    }
    response
        .body(Full::new(body.into()).map_err(|e| match e {}).boxed())
        .unwrap()
}

fn error(status: StatusCode, kind: &str, message: &str, key: &str) -> Response<Body> {
    let body = format!(r#"{{"message":"{message}","key":"{key}"}}"#);
    full(
        status,
        &[
            ("content-type", "application/json".into()),
            ("x-amzn-errortype", kind.into()),
            ("x-amzn-requestid", "storage-1".into()),
        ],
        body,
    )
}

async fn handle(state: &State, request: Request<Incoming>) -> Response<Body> {
    let path = request.uri().path().to_owned();
    let Some(rest) = path.strip_prefix("/buckets/") else {
        return error(StatusCode::NOT_FOUND, "NotFound", "no such route", "");
    };
    let (bucket, kind, key) = match rest.split_once("/objects/") {
        Some((bucket, key)) => (bucket.to_owned(), "objects", key.to_owned()),
        None => match rest.split_once("/archives/") {
            Some((bucket, key)) => (bucket.to_owned(), "archives", key.to_owned()),
            None => return error(StatusCode::NOT_FOUND, "NotFound", "no such route", ""),
        },
    };
    let id = format!("{bucket}/{key}");
    match *request.method() {
        hyper::Method::PUT => put(state, request, &bucket, kind, &id).await,
        hyper::Method::GET => get(state, &request, &bucket, &key, &id),
        hyper::Method::HEAD => head(state, &id, &key),
        hyper::Method::DELETE => {
            state.objects.lock().unwrap().remove(&id);
            full(StatusCode::NO_CONTENT, &[], Bytes::new())
        }
        _ => error(StatusCode::METHOD_NOT_ALLOWED, "NotFound", "method", &key),
    }
}

async fn put(
    state: &State,
    request: Request<Incoming>,
    bucket: &str,
    kind: &str,
    id: &str,
) -> Response<Body> {
    let headers = request.headers().clone();
    let content_length = headers
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    if kind == "archives" && content_length.is_none() {
        return error(
            StatusCode::LENGTH_REQUIRED,
            "LengthRequired",
            "length required",
            id,
        );
    }
    let chunked = headers
        .get("transfer-encoding")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"chunked"));
    let metadata: Vec<(String, String)> = headers
        .iter()
        .filter_map(|(name, value)| {
            let key = name.as_str().strip_prefix("x-meta-")?;
            Some((key.to_owned(), value.to_str().ok()?.to_owned()))
        })
        .collect();
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/octet-stream")
        .to_owned();
    let keep = bucket != "sink" && bucket != "flaky";
    let mut hasher = Sha256::new();
    let mut received = 0u64;
    let mut kept = Vec::new();
    let mut body = request.into_body();
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else {
            return error(StatusCode::BAD_REQUEST, "BadBody", "upload broke", id);
        };
        if let Ok(data) = frame.into_data() {
            hasher.update(&data);
            received += data.len() as u64;
            if keep {
                kept.extend_from_slice(&data);
            }
        }
    }
    let sha256 = hex(&hasher.finalize());
    state.uploads.lock().unwrap().push(Upload {
        path: id.to_owned(),
        content_length,
        chunked,
        received,
        sha256: sha256.clone(),
        metadata: metadata.clone(),
    });
    if bucket == "flaky" {
        return error(
            StatusCode::SERVICE_UNAVAILABLE,
            "ServiceUnavailable",
            "busy",
            id,
        );
    }
    if keep {
        state
            .objects
            .lock()
            .unwrap()
            .insert(id.to_owned(), (Bytes::from(kept), content_type, metadata));
    }
    full(StatusCode::OK, &[("etag", sha256)], Bytes::new())
}

fn get(
    state: &State,
    request: &Request<Incoming>,
    bucket: &str,
    key: &str,
    id: &str,
) -> Response<Body> {
    if bucket == "gen" {
        let Ok(size) = key.parse::<u64>() else {
            return error(StatusCode::NOT_FOUND, "NoSuchKey", "not a size", key);
        };
        return generated(size);
    }
    if bucket == "cut" {
        let body = futures_util::stream::iter([
            Ok(Frame::data(Bytes::from(pattern(0, CHUNK)))),
            Err(std::io::Error::other("the server gave up")),
        ])
        .then(|item| async move {
            if item.is_err() {
                // Let the first chunk reach the client first.
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            item
        });
        return Response::builder()
            .header("content-length", (CHUNK * 4).to_string())
            .body(BodyExt::boxed(StreamBody::new(body)))
            .unwrap();
    }
    if bucket == "stall" {
        let first =
            futures_util::stream::once(async { Ok(Frame::data(Bytes::from(pattern(0, CHUNK)))) });
        let body = first.chain(futures_util::stream::pending());
        return Response::builder()
            .header("content-length", (CHUNK * 4).to_string())
            .body(BodyExt::boxed(StreamBody::new(body)))
            .unwrap();
    }
    let Some((data, content_type, metadata)) = state.objects.lock().unwrap().get(id).cloned()
    else {
        return error(StatusCode::NOT_FOUND, "NoSuchKey", "no such key", key);
    };
    let mut headers = vec![
        ("content-type", content_type),
        ("etag", sha256_hex(&data)),
        ("last-modified", "Sun, 22 Nov 2026 10:00:00 GMT".to_owned()),
    ];
    let meta: Vec<(String, String)> = metadata
        .iter()
        .map(|(k, v)| (format!("x-meta-{k}"), v.clone()))
        .collect();
    let range = request
        .headers()
        .get("range")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("bytes="))
        .map(|v| {
            let (a, b) = v.split_once('-').unwrap_or((v, ""));
            (a.parse::<usize>().ok(), b.parse::<usize>().ok())
        });
    let (status, body) = match range {
        None => (StatusCode::OK, data.clone()),
        Some((Some(start), end)) if start < data.len() => {
            let end = end.unwrap_or(data.len() - 1).min(data.len() - 1);
            headers.push((
                "content-range",
                format!("bytes {start}-{end}/{}", data.len()),
            ));
            (StatusCode::PARTIAL_CONTENT, data.slice(start..=end))
        }
        Some(_) => {
            return error(
                StatusCode::RANGE_NOT_SATISFIABLE,
                "InvalidRange",
                "bad range",
                key,
            );
        }
    };
    let mut response = full(status, &headers, body);
    for (name, value) in meta {
        response.headers_mut().insert(
            hyper::header::HeaderName::from_bytes(name.as_bytes()).unwrap(),
            value.parse().unwrap(),
        );
    }
    response
}

/// `size` bytes of the pattern, made chunk by chunk as the client reads.
fn generated(size: u64) -> Response<Body> {
    // One period-aligned block: the pattern repeats every 251 bytes, and
    // CHUNK_ALIGNED is a multiple of 251, so every chunk is the same bytes.
    const ALIGNED: usize = 251 * 261; // 65,511 bytes
    let block = Bytes::from(pattern(0, ALIGNED));
    let body = futures_util::stream::unfold(0u64, move |sent| {
        let block = block.clone();
        async move {
            if sent >= size {
                return None;
            }
            let n = (size - sent).min(ALIGNED as u64) as usize;
            Some((Ok(Frame::data(block.slice(..n))), sent + n as u64))
        }
    });
    Response::builder()
        .header("content-length", size.to_string())
        .header("content-type", "application/octet-stream")
        .body(BodyExt::boxed(StreamBody::new(body)))
        .unwrap()
}

fn head(state: &State, id: &str, key: &str) -> Response<Body> {
    let Some((data, content_type, metadata)) = state.objects.lock().unwrap().get(id).cloned()
    else {
        // HEAD responses have no body: the error is known by its status.
        return full(
            StatusCode::NOT_FOUND,
            &[("x-amzn-errortype", "NoSuchKey".into())],
            Bytes::new(),
        );
    };
    let _ = key;
    let mut response = Response::builder()
        .header("content-type", content_type)
        .header("content-length", data.len().to_string())
        .header("etag", sha256_hex(&data))
        .header("last-modified", "Sun, 22 Nov 2026 10:00:00 GMT");
    for (k, v) in metadata {
        response = response.header(format!("x-meta-{k}"), v);
    }
    response
        .body(Full::new(Bytes::new()).map_err(|e| match e {}).boxed())
        .unwrap()
}
