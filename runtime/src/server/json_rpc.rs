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
//! body was notifications); only what never reaches the handler (another
//! method than `POST`, another path, a body over axum's limit) gets axum's
//! own status. A batch holds at most [`BATCH_LIMIT`] calls, run a few at a
//! time, each with its own request id (`<id>.<index>`).

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use bytes::Bytes;
use futures_util::{FutureExt, StreamExt};
use http::{HeaderMap, HeaderValue, StatusCode, header};
use serde_json::{Value, json};

use super::rpc::{Call, Dispatch, Kind, Protocol, Reply};
use crate::chain::RequestChain;

/// The header that carries a call's request id back.
const REQUEST_ID: &str = "x-amzn-requestid";

/// The most requests one batch may hold.
pub const BATCH_LIMIT: usize = 1_000;

/// How many calls of one batch run at once.
const BATCH_CONCURRENCY: usize = 16;

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
    /// The answer to this request with `outcome` (`None` for a notification).
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

/// One element of a request body, answered: `None` for a notification.
async fn call<S>(
    (service, dispatch): (&Arc<S>, Dispatch<S>),
    (service_name, method_prefix): (&str, &str),
    request: Value,
    headers: &HeaderMap,
    (request_id, chain): (&str, &RequestChain),
) -> Option<Value> {
    let request = match envelope(request) {
        Ok(request) => request,
        Err(answer) => return answer,
    };
    let params = match &request.params {
        None => Value::Object(Default::default()),
        Some(params @ Value::Object(_)) => params.clone(),
        Some(_) => {
            let by_position = error(-32602, "`params` must be an object (members by name)", None);
            return request.answer(Err(by_position));
        }
    };
    let reply = match request.method.strip_prefix(method_prefix) {
        Some(operation) if !operation.is_empty() => {
            let call = Call::new(
                operation.to_owned(),
                Bytes::from(params.to_string()),
                headers.clone(),
                (request_id.to_owned(), chain.clone()),
            );
            let serve = AssertUnwindSafe(dispatch(Arc::clone(service), call)).catch_unwind();
            super::traced(service_name, operation, request_id, chain, serve)
                .await
                .unwrap_or_else(|_| Reply::panicked(Protocol::JsonRpc2))
        }
        _ => Reply::unknown_operation(Protocol::JsonRpc2, &request.method),
    };
    request.answer(outcome(&reply))
}

/// Answers a whole request body: a single request object, or a batch of
/// 1 to [`BATCH_LIMIT`] of them whose calls run at most
/// `BATCH_CONCURRENCY` at a time, each with a request id of its own
/// (`<request_id>.<index>`), answered in order. `each` answers one element
/// given its request id. `None` when nothing is answered (notifications).
pub(crate) async fn answer_body<F, Fut>(
    headers: &HeaderMap,
    body: Bytes,
    request_id: &str,
    each: F,
) -> Option<Value>
where
    F: Fn(Value, String) -> Fut,
    Fut: Future<Output = Option<Value>>,
{
    let body = match super::rpc::decoded(Protocol::JsonRpc2, headers, body) {
        Ok(body) => body,
        Err(reply) => return Some(response(Value::Null, outcome(&reply))),
    };
    match serde_json::from_slice::<Value>(&body) {
        Err(e) => Some(response(
            Value::Null,
            Err(error(-32700, &format!("the body is not JSON: {e}"), None)),
        )),
        Ok(Value::Array(batch)) if batch.is_empty() || batch.len() > BATCH_LIMIT => {
            let message = format!("a batch holds 1 to {BATCH_LIMIT} requests");
            Some(response(Value::Null, Err(error(-32600, &message, None))))
        }
        Ok(Value::Array(batch)) => {
            let each = &each;
            let calls = batch
                .into_iter()
                .enumerate()
                .map(|(i, request)| each(request, format!("{request_id}.{i}")));
            let answers: Vec<Value> = futures_util::stream::iter(calls)
                .buffered(BATCH_CONCURRENCY)
                .collect::<Vec<_>>()
                .await
                .into_iter()
                .flatten()
                .collect();
            (!answers.is_empty()).then_some(Value::Array(answers))
        }
        Ok(request) => each(request, request_id.to_owned()).await,
    }
}

/// An axum [`Router`](axum::Router) serving `service` (an implementation of
/// the service whose shape name is `service_name`) over JSON-RPC 2.0 at
/// `path`, where each operation is the method `method_prefix` + its name.
/// Generated `router` functions of `jsonRpc2` services call it.
pub fn router<S: Send + Sync + 'static>(
    (path, service_name): (&str, &'static str),
    method_prefix: &'static str,
    service: S,
    dispatch: Dispatch<S>,
) -> axum::Router {
    let service = Arc::new(service);
    let handler = move |headers: HeaderMap, body: Bytes| {
        let service = Arc::clone(&service);
        async move {
            let (request_id, chain) = super::incoming_ids(&headers);
            let names = (service_name, method_prefix);
            let (service, headers_ref, chain) = (&service, &headers, &chain);
            let answer = answer_body(&headers, body, &request_id, |request, id| async move {
                call(
                    (service, dispatch),
                    names,
                    request,
                    headers_ref,
                    (&id, chain),
                )
                .await
            })
            .await;
            answered(answer, &request_id)
        }
    };
    axum::Router::new().route(path, axum::routing::post(handler))
}

/// The HTTP response of a body's answer: the response object (or array of
/// them) with status 200, or 204 when nothing is answered (notifications).
pub(crate) fn answered(answer: Option<Value>, request_id: &str) -> axum::response::Response {
    let mut response = match answer {
        Some(answer) => {
            let mut response =
                axum::response::Response::new(axum::body::Body::from(answer.to_string()));
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            response
        }
        None => {
            let mut response = axum::response::Response::new(axum::body::Body::empty());
            *response.status_mut() = StatusCode::NO_CONTENT;
            response
        }
    };
    if let Ok(id) = HeaderValue::from_str(request_id) {
        response.headers_mut().insert(REQUEST_ID, id);
    }
    response
}
