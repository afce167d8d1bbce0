//! The server side of `tinsmith.protocols#jsonRpc2`: JSON-RPC 2.0 over HTTP
//! (<https://www.jsonrpc.org/specification>). [`router`] takes `POST`s of
//! request objects, or batches of them, at one path; finds each call's
//! operation by its `method` (the service's method prefix and the
//! operation's name); hands it to the generated dispatcher as a [`Call`]
//! whose body is `params`; and frames what the dispatcher answers as
//! response objects: the output as `result`, a failure as `error` with its
//! code — -32000 for the service's errors (their document, `__type`
//! included, in `data`), -32602 for params that cannot be read or break
//! the model's constraints, -32601 for unknown methods, -32603 for a
//! handler that panicked, -32700 and -32600 for bodies that are not JSON or
//! not requests. A request without an `id` is a notification: it runs, and
//! nothing answers it. Every answer has HTTP status 200 (204 when a whole
//! body was notifications); only what never reaches the handler gets
//! another status: axum's for another method than `POST` or another path,
//! 413 with a `SerializationException` document for a body over axum's
//! limit. A batch holds at most [`BATCH_LIMIT`] calls, run a few at a
//! time, each with its own request id (`<id>.<index>`).
//!
//! ## Event streams
//!
//! An operation with an event stream is called alone, never in a batch.
//! When its input streams, the request body is an event stream
//! (`Content-Type: application/vnd.amazon.eventstream`) whose first message
//! is the `initial-request` event holding the request object (its `params`
//! are the input's other members), followed by the events, encoded as
//! awsJson encodes them. When its output streams, a successful answer is
//! an event stream too, whose first message is the `initial-response` event
//! holding the response object (its `result` the output's other members);
//! any answer that is not a stream is a response object as usual
//! (`application/json`), as is every failure before the stream starts.
//! Events are read and written as they come: neither side buffers a
//! stream. A notification of a method whose output streams runs its
//! handler, but the stream is dropped unread, so what its events would do
//! is not done.
//!
//! A gateway that forwards the calls of a batch one by one marks each with
//! [`BATCHED_HEADER`]: a method whose answer streams is then refused before
//! it runs, as it is inside a batch.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use bytes::Bytes;
use futures_util::{FutureExt, StreamExt};
use http::{HeaderMap, HeaderValue, StatusCode, header};
use serde_json::{Value, json};

use super::rpc::{Call, Dispatch, Kind, Protocol, Reply};
use crate::bytestream::ByteStream;
use crate::chain::RequestChain;
use crate::eventstream::{SERVER_MAX_MESSAGE_LEN, prepend, split_first};

/// The header that carries a call's request id back.
const REQUEST_ID: &str = "x-amzn-requestid";

/// The most requests one batch may hold.
pub const BATCH_LIMIT: usize = 1_000;

/// How many calls of one batch run at once.
const BATCH_CONCURRENCY: usize = 16;

/// The header that marks a call as one of a batch (sent by a gateway that
/// forwards a batch's calls one by one): a method that answers with an
/// event stream is refused (`-32600`) before it runs.
pub const BATCHED_HEADER: &str = "x-jsonrpc-batched";

/// A JSON-RPC error object.
pub(crate) fn error(code: i64, message: &str, data: Option<Value>) -> Value {
    let mut error = json!({"code": code, "message": message});
    if let Some(data) = data {
        error["data"] = data;
    }
    error
}

/// A response object with `id`.
pub(crate) fn response(id: Value, outcome: Result<Value, Value>) -> Value {
    match outcome {
        Ok(result) => json!({"jsonrpc": "2.0", "id": id, "result": result}),
        Err(error) => json!({"jsonrpc": "2.0", "id": id, "error": error}),
    }
}

/// The JSON-RPC form of a dispatcher's reply: `result`, or `error`.
pub(crate) fn outcome(reply: &Reply) -> Result<Value, Value> {
    let document = || serde_json::from_slice::<Value>(reply.body()).unwrap_or(Value::Null);
    let message = |doc: &Value| {
        doc.get("message")
            .and_then(Value::as_str)
            .or_else(|| doc.get("__type").and_then(Value::as_str))
            .unwrap_or("the call failed")
            .to_owned()
    };
    let code = match reply.kind() {
        Kind::Output if reply.body().is_empty() => return Ok(Value::Null),
        Kind::Output => return Ok(document()),
        // A modeled `ValidationException` is invalid params too.
        Kind::Error
            if reply
                .error_type()
                .is_some_and(|t| t.rsplit('#').next() == Some("ValidationException")) =>
        {
            -32602
        }
        Kind::Error => -32000,
        Kind::Malformed | Kind::Invalid => -32602,
        Kind::UnknownOperation => -32601,
        Kind::Internal => -32603,
    };
    let doc = document();
    Err(error(code, &message(&doc), Some(doc)))
}

/// A request object, checked: what is left to do is call `method`.
pub(crate) struct Envelope {
    /// The request's id (`null` for a notification).
    pub(crate) id: Value,
    /// A request without an `id`: nothing answers it.
    pub(crate) notification: bool,
    /// The method named.
    pub(crate) method: String,
    /// The parameters as sent: absent, an object or an array.
    pub(crate) params: Option<Value>,
}

impl Envelope {
    /// The answer to this request with `outcome` (`None` for a
    /// notification).
    pub(crate) fn answer(self, outcome: Result<Value, Value>) -> Option<Value> {
        (!self.notification).then(|| response(self.id, outcome))
    }
}

/// Checks one element of a request body: the envelope, or the answer to
/// give instead (`None`: a notification with unusable params).
pub(crate) fn envelope(request: Value) -> Result<Envelope, Option<Value>> {
    let Value::Object(mut request) = request else {
        let invalid = error(-32600, "a request must be an object", None);
        return Err(Some(response(Value::Null, Err(invalid))));
    };
    // A missing id is a notification; a present one must be a string,
    // number or null.
    let id = request.remove("id");
    let notification = id.is_none();
    let id = id.unwrap_or(Value::Null);
    if !matches!(id, Value::Null | Value::String(_) | Value::Number(_)) {
        let invalid = error(-32600, "`id` must be a string, a number or null", None);
        return Err(Some(response(Value::Null, Err(invalid))));
    }
    // From here the id is known: answers carry it.
    let invalid = |message: &str| {
        Err(Some(response(
            id.clone(),
            Err(error(-32600, message, None)),
        )))
    };
    if request.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
        return invalid("`jsonrpc` must be \"2.0\"");
    }
    let Some(Value::String(method)) = request.remove("method") else {
        return invalid("`method` must be a string");
    };
    let params = request.remove("params");
    if params
        .as_ref()
        .is_some_and(|p| !matches!(p, Value::Object(_) | Value::Array(_)))
    {
        let invalid = error(-32600, "`params` must be an object or an array", None);
        return Err((!notification).then(|| response(id, Err(invalid))));
    }
    Ok(Envelope {
        id,
        notification,
        method,
        params,
    })
}

/// A service's operations by name (generated servers list them), and
/// which have event streams: those are called alone, their streams framed
/// as the [module](self) says.
#[derive(Debug, Clone, Copy)]
pub struct Operations {
    /// Every operation.
    pub all: &'static [&'static str],
    /// Operations whose input has an event stream.
    pub input_streams: &'static [&'static str],
    /// Operations whose output has an event stream.
    pub output_streams: &'static [&'static str],
}

/// What a call is answered with.
pub(crate) enum Answer {
    /// A response object (or array of them), or nothing at all (a
    /// notification).
    Object(Option<Value>),
    /// An event stream whose first message is the `initial-response` event
    /// holding the response object.
    Events(Box<ByteStream>),
}

impl From<Option<Value>> for Answer {
    fn from(answer: Option<Value>) -> Self {
        Answer::Object(answer)
    }
}

/// What a generated server's router serves: the service, its dispatcher
/// and names.
struct Served<S> {
    service: Arc<S>,
    dispatch: Dispatch<S>,
    service_name: &'static str,
    method_prefix: &'static str,
    operations: Operations,
}

impl<S> Served<S> {
    /// The operation `method` names, if the service has one by that name.
    fn operation<'a>(&self, method: &'a str) -> Option<&'a str> {
        method
            .strip_prefix(self.method_prefix)
            .filter(|operation| self.operations.all.contains(operation))
    }

    /// The params of `request` as a document, and the operation it calls,
    /// or the error object refusing it: params that are not an object
    /// (`-32602`), a method the service lacks (`-32601`).
    fn routed<'r>(&self, request: &'r Envelope) -> Result<(Bytes, &'r str), Value> {
        let params = match &request.params {
            None => Bytes::from_static(b"{}"),
            Some(params @ Value::Object(_)) => Bytes::from(params.to_string()),
            Some(_) => {
                let by_position = "`params` must be an object (members by name)";
                return Err(error(-32602, by_position, None));
            }
        };
        match self.operation(&request.method) {
            Some(operation) => Ok((params, operation)),
            None => {
                let reply = Reply::unknown_operation(Protocol::JsonRpc2, &request.method);
                Err(outcome(&reply).err().unwrap_or(Value::Null))
            }
        }
    }

    /// Runs the dispatcher on `call` (a panic is an internal failure).
    async fn run(&self, call: Call, (request_id, chain): (&str, &RequestChain)) -> Reply {
        let operation = call.operation().to_owned();
        let serve =
            AssertUnwindSafe((self.dispatch)(Arc::clone(&self.service), call)).catch_unwind();
        super::traced(self.service_name, &operation, request_id, chain, serve)
            .await
            .unwrap_or_else(|_| Reply::panicked(Protocol::JsonRpc2))
    }

    /// One element of a request body (`batched` when it is part of a
    /// batch), answered.
    async fn call(
        &self,
        request: Value,
        batched: bool,
        headers: &HeaderMap,
        (request_id, chain): (&str, &RequestChain),
    ) -> Answer {
        let request = match envelope(request) {
            Ok(request) => request,
            Err(answer) => return Answer::Object(answer),
        };
        let (params, operation) = match self.routed(&request) {
            Ok(routed) => routed,
            Err(refused) => return request.answer(Err(refused)).into(),
        };
        if self.operations.input_streams.contains(&operation) {
            let message = format!(
                "`{}` takes an event stream: send it alone as {}, the request object in its \
                 `initial-request` event",
                request.method,
                crate::eventstream::CONTENT_TYPE
            );
            return request.answer(Err(error(-32600, &message, None))).into();
        }
        if batched && self.operations.output_streams.contains(&operation) {
            let message = format!(
                "`{}` answers with an event stream: call it alone, not in a batch",
                request.method
            );
            return request.answer(Err(error(-32600, &message, None))).into();
        }
        let call = Call::new(
            operation.to_owned(),
            params,
            headers.clone(),
            (request_id.to_owned(), chain.clone()),
        );
        let reply = self.run(call, (request_id, chain)).await;
        answer(request, reply).await
    }

    /// A call whose request body is an event stream: the request object in
    /// its `initial-request` event, the input's events after it.
    async fn streamed_call(
        &self,
        headers: HeaderMap,
        body: axum::body::Body,
        (request_id, chain): (&str, &RequestChain),
    ) -> Answer {
        let refused = |code: i64, message: &str| {
            Answer::Object(Some(response(Value::Null, Err(error(code, message, None)))))
        };
        if super::rpc::encoded(&headers) {
            return refused(-32600, "an event stream cannot have a Content-Encoding");
        }
        let body = ByteStream::from_http_body(body);
        let (first, rest) = match split_first(body, SERVER_MAX_MESSAGE_LEN).await {
            Ok(split) => split,
            Err(problem) => return refused(-32700, &problem),
        };
        if !crate::eventstream::wire::is_event(&first, "initial-request") {
            let message = "an event stream's first message must be the `initial-request` event \
                           holding the request object";
            return refused(-32600, message);
        }
        let request = match serde_json::from_slice::<Value>(first.payload()) {
            Ok(request) => request,
            Err(e) => {
                let message = format!("the `initial-request` event is not JSON: {e}");
                return refused(-32700, &message);
            }
        };
        let request = match envelope(request) {
            Ok(request) => request,
            Err(answer) => return Answer::Object(answer),
        };
        let (params, operation) = match self.routed(&request) {
            Ok(routed) => routed,
            Err(refused) => return request.answer(Err(refused)).into(),
        };
        if !self.operations.input_streams.contains(&operation) {
            let message = format!(
                "`{}` takes no event stream: send its request object as application/json",
                request.method
            );
            return request.answer(Err(error(-32600, &message, None))).into();
        }
        // The dispatcher reads the input's other members from the
        // `initial-request` event, as in the other RPC protocols.
        let initial =
            crate::eventstream::wire::event("initial-request", Some("application/json"), params);
        let initial = match initial.encode() {
            Ok(initial) => initial,
            Err(e) => {
                let message = format!("`params` cannot be passed on: {e}");
                return request.answer(Err(error(-32600, &message, None))).into();
            }
        };
        let call = Call::new(
            operation.to_owned(),
            Bytes::new(),
            headers,
            (request_id.to_owned(), chain.clone()),
        )
        .with_stream(prepend(initial, rest));
        let reply = self.run(call, (request_id, chain)).await;
        answer(request, reply).await
    }
}

/// The answer to `request` that `reply` gives: its output's event stream,
/// opened by the `initial-response` event with the response object (the
/// output's other members as `result`), or a response object.
async fn answer(request: Envelope, mut reply: Reply) -> Answer {
    let Some(events) = reply.take_stream() else {
        return request.answer(outcome(&reply)).into();
    };
    if request.notification {
        // Nothing answers a notification: the stream is dropped unread (see
        // the module's documentation).
        return Answer::Object(None);
    }
    // The dispatcher opens the stream with the output's document, as the
    // other RPC protocols send it; it becomes the response object.
    let internal = |problem: String| {
        let message = format!("the answer could not be framed: {problem}");
        tracing::error!(%message, "jsonRpc2 answer");
        error(-32603, "the answer could not be framed", None)
    };
    let framed = split_first(*events, SERVER_MAX_MESSAGE_LEN)
        .await
        .and_then(|(first, rest)| {
            let result = match first.payload().as_ref() {
                b"" => Value::Object(Default::default()),
                document => serde_json::from_slice(document).map_err(|e| e.to_string())?,
            };
            let object = response(request.id.clone(), Ok(result));
            let initial = crate::eventstream::wire::event(
                "initial-response",
                Some("application/json"),
                Bytes::from(object.to_string()),
            );
            let initial = initial.encode().map_err(|e| e.to_string())?;
            Ok(prepend(initial, rest))
        });
    match framed {
        Ok(stream) => Answer::Events(Box::new(stream)),
        Err(problem) => request.answer(Err(internal(problem))).into(),
    }
}

/// Answers a whole request body: a single request object, or a batch of
/// 1 to [`BATCH_LIMIT`] of them whose calls run at most
/// `BATCH_CONCURRENCY` at a time, each with a request id of its own
/// (`<request_id>.<index>`), answered in order. `each` answers one element
/// given its request id and whether it is part of a batch (where a
/// streamed answer has no place: one is answered as an internal error).
pub(crate) async fn answer_body<F, Fut>(
    headers: &HeaderMap,
    body: Bytes,
    request_id: &str,
    each: F,
) -> Answer
where
    F: Fn(Value, String, bool) -> Fut,
    Fut: Future<Output = Answer>,
{
    let body = match super::rpc::decoded(Protocol::JsonRpc2, headers, body) {
        Ok(body) => body,
        Err(reply) => return Some(response(Value::Null, outcome(&reply))).into(),
    };
    match serde_json::from_slice::<Value>(&body) {
        Err(e) => Some(response(
            Value::Null,
            Err(error(-32700, &format!("the body is not JSON: {e}"), None)),
        ))
        .into(),
        Ok(Value::Array(batch)) if batch.is_empty() || batch.len() > BATCH_LIMIT => {
            let message = format!("a batch holds 1 to {BATCH_LIMIT} requests");
            Some(response(Value::Null, Err(error(-32600, &message, None)))).into()
        }
        Ok(Value::Array(batch)) => {
            let each = &each;
            let calls = batch
                .into_iter()
                .enumerate()
                .map(|(i, request)| each(request, format!("{request_id}.{i}"), true));
            let answers: Vec<Value> = futures_util::stream::iter(calls)
                .buffered(BATCH_CONCURRENCY)
                .collect::<Vec<_>>()
                .await
                .into_iter()
                .filter_map(|answer| match answer {
                    Answer::Object(answer) => answer,
                    Answer::Events(_) => {
                        let message = "a streamed answer cannot be part of a batch";
                        Some(response(Value::Null, Err(error(-32603, message, None))))
                    }
                })
                .collect();
            Some(Value::Array(answers))
                .filter(|answers| answers.as_array().is_some_and(|a| !a.is_empty()))
                .into()
        }
        Ok(request) => each(request, request_id.to_owned(), false).await,
    }
}

/// An axum [`Router`](axum::Router) serving `service` (an implementation of
/// the service whose shape name is `service_name`) over JSON-RPC 2.0 at
/// `path`, where each of its `operations` is the method `method_prefix` +
/// its name. Generated `router` functions of `jsonRpc2` services call it.
pub fn router<S: Send + Sync + 'static>(
    (path, service_name): (&str, &'static str),
    method_prefix: &'static str,
    operations: Operations,
    service: S,
    dispatch: Dispatch<S>,
) -> axum::Router {
    let served = Arc::new(Served {
        service: Arc::new(service),
        dispatch,
        service_name,
        method_prefix,
        operations,
    });
    let handler = move |request: axum::extract::Request| {
        let served = Arc::clone(&served);
        async move {
            let (parts, body) = request.into_parts();
            let headers = parts.headers.clone();
            let (request_id, chain) = super::incoming_ids(&headers);
            let ids = (request_id.as_str(), &chain);
            if crate::json::json_rpc_streams(&headers) {
                let answer = served.streamed_call(headers, body, ids).await;
                return answered(answer, &request_id);
            }
            let body = match super::rpc::read_whole(Protocol::JsonRpc2, parts, body).await {
                Ok(body) => body,
                // Too large for axum's limit: its status, with an error.
                Err(reply) => return reply.into_axum(Protocol::JsonRpc2, &request_id),
            };
            // A call a gateway took out of a batch is still one of a batch.
            let forwarded_from_batch = headers.contains_key(BATCHED_HEADER);
            let (served, headers_ref, chain) = (&served, &headers, &chain);
            let answer = answer_body(&headers, body, &request_id, |request, id, batched| {
                let batched = batched || forwarded_from_batch;
                async move {
                    served
                        .call(request, batched, headers_ref, (&id, chain))
                        .await
                }
            })
            .await;
            answered(answer, &request_id)
        }
    };
    axum::Router::new().route(path, axum::routing::post(super::linger::lingering(handler)))
}

/// The HTTP response of a body's answer, with status 200: the response
/// object (or array of them), or the event stream; 204 when nothing is
/// answered (notifications).
pub(crate) fn answered(answer: Answer, request_id: &str) -> axum::response::Response {
    let (body, content_type) = match answer {
        Answer::Object(Some(answer)) => (
            axum::body::Body::from(answer.to_string()),
            Some("application/json"),
        ),
        Answer::Events(events) => (
            axum::body::Body::new(*events),
            Some(crate::eventstream::CONTENT_TYPE),
        ),
        Answer::Object(None) => (axum::body::Body::empty(), None),
    };
    let mut response = axum::response::Response::new(body);
    match content_type {
        Some(content_type) => {
            response
                .headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        }
        None => *response.status_mut() = StatusCode::NO_CONTENT,
    }
    if let Ok(id) = HeaderValue::from_str(request_id) {
        response.headers_mut().insert(REQUEST_ID, id);
    }
    response
}
