//! Emits Smithy's protocol compliance tests (`@httpRequestTests`,
//! `@httpResponseTests`, `@eventStreamTests`) for the selected protocol as
//! a `#[cfg(test)]` module of the SDK.
//!
//! Request cases send the input through the generated client to a
//! `tinsmith_runtime::test_util::TestTransport` and compare method, path,
//! query, headers, host and body. Response cases feed the canned response to
//! the operation's deserializer and compare the output (or the modeled
//! error) with the expected value built through the generated builders.
//! Event-stream cases send their request events through the client, decode
//! what was sent message by message, and read their response events through
//! the client's stream. Cases listed in [`ProtocolTests::ignored`] are
//! emitted with `#[ignore = "reason"]`, so they stay visible and counted.

pub mod server;

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::names::{self, Claim, Namespace};
use super::paths::Scope;
use super::plan::{MemberKind, Operation, Plan, Structure, Ty, Union};
use super::values::{self, Source};
use crate::model::{Node, Number};

/// Which compliance tests to emit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProtocolTests {
    /// Test case id → why it is expected to fail; emitted as `#[ignore]`.
    pub ignored: BTreeMap<String, String>,
}

/// The `protocol_tests` module, or `None` when the service has no cases for
/// its protocol.
pub fn module(plan: &Plan<'_>, options: &ProtocolTests) -> Option<TokenStream> {
    let mut tests = Vec::new();
    let mut names = Namespace::default();
    for op in &plan.operations {
        for case in &op.tests.requests {
            tests.push(request_test(plan, op, case, (&mut names, options)));
        }
        for case in &op.tests.responses {
            tests.push(response_test(plan, op, None, case, (&mut names, options)));
        }
        for case in &op.tests.event_streams {
            tests.push(event_stream_test(plan, op, case, (&mut names, options)));
        }
    }
    // Error cases run against the first operation (by id) that can return the error.
    let mut seen = BTreeSet::new();
    for op in &plan.operations {
        for e in &op.errors {
            if !seen.insert(e.id) {
                continue;
            }
            let error = plan.structure(e.id);
            for case in &error.tests {
                tests.push(response_test(
                    plan,
                    op,
                    Some(error),
                    case,
                    (&mut names, options),
                ));
            }
        }
    }
    if tests.is_empty() {
        return None;
    }
    Some(quote! {
        #![doc = " Smithy protocol compliance tests for this service's protocol."]
        // Cases exercise deprecated operations and members too.
        #![allow(deprecated)]

        use tinsmith_runtime::test_util;

        #(#tests)*
    })
}

fn text<'a>(case: &'a Node, key: &str) -> Option<&'a str> {
    case.get(key).and_then(Node::as_str)
}

fn strings(case: &Node, key: &str) -> Vec<String> {
    match case.get(key) {
        Some(Node::Array(items)) => items
            .iter()
            .filter_map(Node::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}

fn string_map(case: &Node, key: &str) -> Vec<(String, String)> {
    match case.get(key) {
        Some(Node::Object(entries)) => entries
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
            .collect(),
        _ => Vec::new(),
    }
}

/// The test function's attributes and signature (named in `tests`, where
/// two case ids may meet once in snake case), and its doc line.
fn test_header(
    tests: &mut Namespace,
    case: &Node,
    kind: &str,
    options: &ProtocolTests,
) -> (TokenStream, String) {
    let id = text(case, "id").unwrap_or("unnamed");
    let name = tests.claim(Claim::derived(
        (),
        format!("{}_{kind}", names::snake(id).trim_end_matches('_')),
    ));
    let name = names::ident(&name);
    let ignore = options
        .ignored
        .get(id)
        .map(|reason| quote!(#[ignore = #reason]));
    let doc = text(case, "documentation").unwrap_or(id);
    let doc = format!(" {}", doc.lines().next().unwrap_or(id));
    (
        quote! {
            #[tokio::test]
            #ignore
            async fn #name()
        },
        doc,
    )
}

/// A response case's HTTP status (`code`), 200 when it gives none.
fn status_code(case: &Node) -> u16 {
    case.get("code")
        .and_then(Node::as_number)
        .and_then(Number::as_i64)
        .and_then(|c| u16::try_from(c).ok())
        .unwrap_or(200)
}

fn optional(value: Option<&str>) -> TokenStream {
    match value {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    }
}

/// Setters for the `params` of a case on a request builder (or any builder).
fn param_setters(plan: &Plan<'_>, shape: &Structure<'_>, params: &Node) -> Vec<TokenStream> {
    params
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(_, v)| !matches!(v, Node::Null))
        .filter_map(|(k, v)| {
            let member = shape.member(k)?;
            let setter = &member.setter;
            let value = values::expr(plan, &member.ty, v, Source::TestCase, Scope::Sibling);
            Some(quote!(.#setter(#value)))
        })
        .collect()
}

/// The module's test names, and which cases to ignore.
type Context<'a> = (&'a mut Namespace, &'a ProtocolTests);

fn request_test(
    plan: &Plan<'_>,
    op: &Operation<'_>,
    case: &Node,
    (tests, options): Context<'_>,
) -> TokenStream {
    let (header, doc) = test_header(tests, case, "request", options);
    let method_name = &op.method;
    let setters = match (plan.input(op), case.get("params")) {
        (Some(input), Some(params)) => param_setters(plan, input, params),
        _ => Vec::new(),
    };
    let endpoint = format!("https://{}", text(case, "host").unwrap_or("example.com"));
    let method = text(case, "method").unwrap_or("GET");
    let uri = text(case, "uri").unwrap_or("/");
    let query = strings(case, "queryParams");
    let require_query = strings(case, "requireQueryParams");
    let forbid_query = strings(case, "forbidQueryParams");
    let (header_names, header_values): (Vec<_>, Vec<_>) =
        string_map(case, "headers").into_iter().unzip();
    let require_headers = strings(case, "requireHeaders");
    let forbid_headers = strings(case, "forbidHeaders");
    let body = text(case, "body").map(|body| {
        let media = optional(text(case, "bodyMediaType"));
        quote!(test_util::assert_body(request.body(), #body, #media);)
    });
    let resolved_host = text(case, "resolvedHost")
        .map(|h| quote!(assert_eq!(request.uri().host(), Some(#h), "resolved host");));
    quote! {
        #[doc = #doc]
        #header {
            let transport = test_util::TestTransport::new(200, &[], "");
            let config = tinsmith_runtime::Config::builder()
                .endpoint(#endpoint)
                .transport(transport.clone())
                .retry(tinsmith_runtime::RetryConfig::disabled())
                // The cases are about the wire format, not signatures.
                .allow_unsigned(true)
                .idempotency_token_provider(|| String::from("00000000-0000-4000-8000-000000000000"))
                .build();
            let client = super::Client::new(config);
            let _ = client.#method_name() #(#setters)* .send().await;
            let request = transport.last_request();
            assert_eq!(request.method().as_str(), #method, "method");
            assert_eq!(request.uri().path(), #uri, "path");
            test_util::assert_query(&request, &[#(#query),*], &[#(#require_query),*], &[#(#forbid_query),*]);
            test_util::assert_headers(
                request.headers(),
                &[#((#header_names, #header_values)),*],
                &[#(#require_headers),*],
                &[#(#forbid_headers),*],
            );
            #body
            #resolved_host
        }
    }
}

fn response_test(
    plan: &Plan<'_>,
    op: &Operation<'_>,
    error: Option<&Structure<'_>>,
    case: &Node,
    (tests, options): Context<'_>,
) -> TokenStream {
    let (header, doc) = test_header(tests, case, "response", options);
    let code = status_code(case);
    let (header_names, header_values): (Vec<_>, Vec<_>) =
        string_map(case, "headers").into_iter().unzip();
    let body = text(case, "body").unwrap_or("");
    let media = optional(text(case, "bodyMediaType"));
    let de = &op.fns.de;
    let empty = Node::Object(Default::default());
    let params = case.get("params").unwrap_or(&empty);
    // NaN is not equal to itself: such cases compare the Debug forms.
    let compare = |actual: TokenStream| {
        if has_nan(params) {
            quote!(test_util::assert_debug_eq(&#actual, &expected);)
        } else {
            quote!(assert_eq!(#actual, expected);)
        }
    };
    let streaming = plan.streaming_output(op).is_some();
    let check = match (error, plan.output(op)) {
        (None, Some(output)) if streaming => {
            // A streamed body is compared by its bytes, the other members
            // one by one (the output has no `PartialEq`).
            let expected = values::expr(
                plan,
                &Ty::Structure(output.id),
                params,
                Source::TestCase,
                Scope::Sibling,
            );
            let checks = output.members.iter().map(|m| {
                let field = &m.field;
                if let MemberKind::ByteStream { .. } = m.kind {
                    quote! {
                        assert_eq!(
                            output.#field.collect_bytes().await.expect("the body reads"),
                            expected.#field.collect_bytes().await.expect("the body reads"),
                        );
                    }
                } else {
                    quote!(assert_eq!(output.#field, expected.#field);)
                }
            });
            quote! {
                let response = response.map(tinsmith_runtime::ByteStream::new);
                let mut output = super::protocol::#de(response).expect("the response parses");
                let mut expected = #expected;
                #(#checks)*
            }
        }
        (None, Some(output)) => {
            let expected = values::expr(
                plan,
                &Ty::Structure(output.id),
                params,
                Source::TestCase,
                Scope::Sibling,
            );
            let compare = compare(quote!(output));
            quote! {
                let output = super::protocol::#de(&response).expect("the response parses");
                let expected = #expected;
                #compare
            }
        }
        (None, None) => quote! {
            super::protocol::#de(&response).expect("the response parses");
        },
        (Some(error), _) => {
            let error_enum = &op.error_enum;
            let variant = op
                .errors
                .iter()
                .find(|e| e.id == error.id)
                .map(|e| &e.variant)
                .expect("the operation returns the error");
            let expected = values::expr(
                plan,
                &Ty::Structure(error.id),
                params,
                Source::TestCase,
                Scope::Sibling,
            );
            let compare = compare(quote!(error.value()));
            // Streaming operations read error responses on their own.
            let parse = if streaming {
                let error_fn = &op.fns.error;
                quote!(Err::<(), _>(super::protocol::#error_fn(&response)))
            } else {
                quote!(super::protocol::#de(&response))
            };
            quote! {
                let result = #parse;
                let Err(tinsmith_runtime::pipeline::ParseError::Service(error)) = result else {
                    panic!("expected a service error, got {result:?}");
                };
                let super::error::#error_enum::#variant(error) = *error else {
                    panic!("expected the modeled error, got {error:?}");
                };
                let expected = &#expected;
                #compare
            }
        }
    };
    quote! {
        #[doc = #doc]
        #header {
            let response = tinsmith_runtime::__private::http::Response::builder()
                .status(#code)
                #(.header(#header_names, #header_values))*
                .body(test_util::body_bytes(#body, #media))
                .expect("a valid response");
            #check
        }
    }
}

/// The events of a case, of one `type` (`request` or `response`).
pub(super) fn events_of<'c>(case: &'c Node, kind: &str) -> Vec<&'c Node> {
    case.get("events")
        .and_then(Node::as_array)
        .unwrap_or_default()
        .iter()
        .filter(|e| text(e, "type") == Some(kind))
        .collect()
}

/// The event-stream member of an operation's input (`sent`) or output, and
/// its union.
pub(super) fn stream_of<'p, 'm>(
    plan: &'p Plan<'m>,
    shape: Option<&'p Structure<'m>>,
) -> Option<(&'p super::plan::Member<'m>, &'p Union<'m>)> {
    let member = shape?.streaming_member()?;
    match &member.kind {
        MemberKind::Events { union, .. } => Some((member, plan.union(union))),
        _ => None,
    }
}

/// An `@eventStreamTests` case: the client sends the case's request events
/// (and initial request) through the generated client to a
/// `TestTransport` answering with the case's initial response and response
/// events; the sent messages and the received events (or the failure) are
/// compared with the case.
fn event_stream_test(
    plan: &Plan<'_>,
    op: &Operation<'_>,
    case: &Node,
    (tests, options): Context<'_>,
) -> TokenStream {
    let (header, doc) = test_header(tests, case, "event_stream", options);
    let method_name = &op.method;
    let setters = match event_request(plan, op, case) {
        Ok(setters) => setters,
        Err(reason) => {
            return quote! {
                #[doc = #doc]
                #header {
                    panic!(#reason);
                }
            };
        }
    };
    let (code, header_names, header_values, response_body) = canned_response(case);
    let request_checks = sent_checks(case);
    let request_var =
        (!request_checks.is_empty()).then(|| quote!(let request = transport.last_request();));
    let outcome = event_outcome(plan, op, case);
    quote! {
        #[doc = #doc]
        #header {
            let transport = test_util::TestTransport::new(
                #code,
                &[#((#header_names, #header_values)),*],
                #response_body,
            );
            let config = tinsmith_runtime::Config::builder()
                .endpoint("https://example.com")
                .transport(transport.clone())
                .retry(tinsmith_runtime::RetryConfig::disabled())
                // The cases are about the wire format, not signatures.
                .allow_unsigned(true)
                .build();
            let client = super::Client::new(config);
            let result = client.#method_name() #(#setters)* .send().await;
            #request_var
            #request_checks
            #outcome
        }
    }
}

/// The request of an event-stream case: its initial parameters (required
/// members it leaves out get zero values: a case about the response still
/// needs a valid request), then its request events as an input stream.
/// `Err` with the reason when the case cannot be sent by a client.
fn event_request(
    plan: &Plan<'_>,
    op: &Operation<'_>,
    case: &Node,
) -> Result<Vec<TokenStream>, &'static str> {
    let mut setters = Vec::new();
    let Some(input) = plan.input(op) else {
        return Ok(setters);
    };
    let empty = Default::default();
    let params = match case.get("initialRequestParams") {
        Some(Node::Object(params)) => params,
        _ => &empty,
    };
    for member in &input.members {
        let zero;
        let v = match params.get(member.name) {
            Some(v) => v,
            None if member.required && !member.kind.is_streaming() => {
                zero = values::zero(&member.ty);
                &zero
            }
            None => continue,
        };
        let setter = &member.setter;
        let value = values::expr(plan, &member.ty, v, Source::TestCase, Scope::Sibling);
        setters.push(quote!(.#setter(#value)));
    }
    if let Some((member, union)) = stream_of(plan, Some(input)) {
        let errors = union
            .stream
            .as_ref()
            .map(|s| s.errors.as_slice())
            .unwrap_or_default();
        let mut events = Vec::new();
        for event in events_of(case, "request") {
            let Some(params) = event.get("params") else {
                continue;
            };
            let key = params.as_object().and_then(|o| o.keys().next());
            if key.is_some_and(|k| errors.iter().any(|e| e.name == k)) {
                return Err(
                    "clients send events only: the union's @error members end response streams",
                );
            }
            events.push(values::expr(
                plan,
                &Ty::Union(union.id),
                params,
                Source::TestCase,
                Scope::Sibling,
            ));
        }
        let setter = &member.setter;
        setters.push(quote!(.#setter(tinsmith_runtime::eventstream::EventInput::from_events([#(#events),*]))));
    }
    Ok(setters)
}

/// The canned response of an event-stream case: status, headers and body
/// (its initial response's body, else its response events' frames).
fn canned_response(case: &Node) -> (u16, Vec<String>, Vec<String>, TokenStream) {
    let initial = case.get("initialResponse");
    let code = initial
        .and_then(|r| r.get("code"))
        .and_then(Node::as_number)
        .and_then(Number::as_i64)
        .and_then(|c| u16::try_from(c).ok())
        .unwrap_or(200);
    let mut headers = initial
        .map(|r| string_map(r, "headers"))
        .unwrap_or_default();
    if initial.is_none() {
        headers.push((
            "content-type".to_owned(),
            "application/vnd.amazon.eventstream".to_owned(),
        ));
    }
    let (names, values): (Vec<_>, Vec<_>) = headers.into_iter().unzip();
    let body = match initial.and_then(|r| text(r, "body")) {
        Some(body) => {
            quote!(tinsmith_runtime::__private::bytes::Bytes::from_static(#body.as_bytes()))
        }
        None => {
            let frames: Vec<&str> = events_of(case, "response")
                .iter()
                .filter_map(|e| text(e, "bytes"))
                .collect();
            quote!(test_util::event_bytes(&[#(#frames),*]))
        }
    };
    (code, names, values, body)
}

/// What the sent request must look like: its initial request, and each
/// message sent, header by header.
fn sent_checks(case: &Node) -> TokenStream {
    let mut checks = TokenStream::new();
    if let Some(initial) = case.get("initialRequest") {
        if let Some(method) = text(initial, "method") {
            checks.extend(quote!(assert_eq!(request.method().as_str(), #method, "method");));
        }
        if let Some(uri) = text(initial, "uri") {
            checks.extend(quote!(assert_eq!(request.uri().path(), #uri, "path");));
        }
        let (names, values): (Vec<_>, Vec<_>) = string_map(initial, "headers").into_iter().unzip();
        let require = strings(initial, "requireHeaders");
        let forbid = strings(initial, "forbidHeaders");
        checks.extend(quote! {
            test_util::assert_headers(
                request.headers(),
                &[#((#names, #values)),*],
                &[#(#require),*],
                &[#(#forbid),*],
            );
        });
    }
    let request_events = events_of(case, "request");
    if !request_events.is_empty() {
        checks.extend(message_checks(
            &request_events,
            quote!(request.body()),
            "messages sent",
        ));
    }
    checks
}

/// Checks that the events `collect` (an expression: a future of the
/// stream's items) reads are the `params` of the case's `events`, in order.
fn events_check(
    plan: &Plan<'_>,
    union: &Union<'_>,
    events: &[&Node],
    collect: TokenStream,
) -> TokenStream {
    let expected = events.iter().filter_map(|e| e.get("params")).map(|p| {
        values::expr(
            plan,
            &Ty::Union(union.id),
            p,
            Source::TestCase,
            Scope::Sibling,
        )
    });
    quote! {
        let events: Vec<_> = #collect
            .await
            .into_iter()
            .map(|item| item.expect("every event decodes"))
            .collect();
        assert_eq!(events, [#(#expected),*]);
    }
}

/// Checks that `value`, an input or output, holds the members of an
/// event-stream case's initial request or response parameters.
fn initial_checks(
    plan: &Plan<'_>,
    shape: Option<&Structure<'_>>,
    params: Option<&Node>,
    value: &TokenStream,
) -> TokenStream {
    let (Some(shape), Some(Node::Object(params))) = (shape, params) else {
        return TokenStream::new();
    };
    params
        .iter()
        .filter_map(|(k, v)| {
            let member = shape.member(k)?;
            let field = &member.field;
            let expected = values::expr(plan, &member.ty, v, Source::TestCase, Scope::Sibling);
            let expected = if member.optional {
                quote!(Some(#expected))
            } else {
                expected
            };
            Some(quote!(assert_eq!(#value.#field, #expected);))
        })
        .collect()
}

/// Checks that the messages of an event-stream body (`body`, an
/// expression of type `&Bytes`) are `events`, header by header and
/// payload by payload.
pub(super) fn message_checks(events: &[&Node], body: TokenStream, what: &str) -> TokenStream {
    let count = events.len();
    let each = events.iter().enumerate().map(|(i, event)| {
        let headers: Vec<TokenStream> = match event.get("headers") {
            Some(Node::Object(entries)) => entries
                .iter()
                .map(|(name, v)| {
                    let value = header_value(v);
                    quote!((#name, #value))
                })
                .collect(),
            _ => Vec::new(),
        };
        let require = strings(event, "requireHeaders");
        let forbid = strings(event, "forbidHeaders");
        let body = match text(event, "body") {
            Some(body) => {
                let media = optional(text(event, "bodyMediaType"));
                quote!(Some((#body, #media)))
            }
            None => quote!(None),
        };
        quote! {
            test_util::assert_event(&messages[#i], &[#(#headers),*], &[#(#require),*], &[#(#forbid),*], #body);
        }
    });
    quote! {
        let messages = test_util::event_messages(#body);
        assert_eq!(messages.len(), #count, #what);
        #(#each)*
    }
}

/// What the client must make of the response of an event-stream case (a
/// case about the request alone says nothing of it).
fn event_outcome(plan: &Plan<'_>, op: &Operation<'_>, case: &Node) -> TokenStream {
    let out = stream_of(plan, plan.output(op));
    let initial = case.get("initialResponse");
    let response_events = events_of(case, "response");
    let about_response = !response_events.is_empty()
        || initial.is_some()
        || case.get("initialResponseParams").is_some()
        || case.get("expectation").is_some();
    if let Some(failure) = case.get("expectation").and_then(|e| e.get("failure")) {
        return expected_failure(plan, op, out, failure);
    }
    if !about_response {
        return quote!(let _ = result;);
    }
    let mut checks = initial_checks(
        plan,
        plan.output(op),
        case.get("initialResponseParams"),
        &quote!(output),
    );
    if let Some((member, union)) = out {
        let field = &member.field;
        checks.extend(events_check(
            plan,
            union,
            &response_events,
            quote!(test_util::collect_events(&mut output.#field)),
        ));
    }
    let binding = match (checks.is_empty(), out.is_some()) {
        (true, _) => quote!(_output),
        (false, true) => quote!(mut output),
        (false, false) => quote!(output),
    };
    quote! {
        let #binding = result.expect("the operation succeeds");
        #checks
    }
}

/// Checks for a case that expects a failure: the operation's modeled
/// error, or a modeled error of the output stream.
fn expected_failure(
    plan: &Plan<'_>,
    op: &Operation<'_>,
    out: Option<(&super::plan::Member<'_>, &Union<'_>)>,
    failure: &Node,
) -> TokenStream {
    let error_id = text(failure, "errorId");
    let error_name = error_id.map(|e| e.rsplit('#').next().unwrap_or(e));
    let stream_error = out.and_then(|(_, union)| {
        let stream = union.stream.as_ref()?;
        let v = stream
            .errors
            .iter()
            .find(|v| matches!(&v.ty, Some(Ty::Structure(id)) if Some(id.name()) == error_name))?;
        Some((super::paths::stream_error(plan, union.id), v.ident.clone()))
    });
    let op_error = op
        .errors
        .iter()
        .find(|e| Some(e.id.name()) == error_name)
        .map(|e| {
            let (error_enum, variant) = (&op.error_enum, &e.variant);
            quote!(super::error::#error_enum::#variant(_))
        });
    let on_error = match &op_error {
        Some(pattern) => quote! {
            assert!(
                matches!(error.as_service_error(), Some(#pattern)),
                "expected the modeled error, got {error:?}"
            );
        },
        None if stream_error.is_some() => quote!(panic!("expected a stream error, got {error:?}");),
        None => quote!(let _ = error;),
    };
    let on_output = match out {
        Some((member, _)) => {
            let field = &member.field;
            let check = match (&stream_error, &op_error) {
                (Some((ty, variant)), _) => quote! {
                    assert!(
                        matches!(failure.kind(), tinsmith_runtime::eventstream::StreamErrorKind::Modeled(#ty::#variant(_))),
                        "expected the modeled stream error, got {failure:?}"
                    );
                },
                (None, Some(_)) => {
                    quote!(panic!("expected the operation's error, got {failure:?}");)
                }
                (None, None) => quote!(let _ = failure;),
            };
            quote! {
                let items = test_util::collect_events(&mut output.#field).await;
                let failure = items
                    .into_iter()
                    .find_map(Result::err)
                    .expect("the stream reports a failure");
                #check
            }
        }
        None => quote!(panic!("expected a failure, got {output:?}");),
    };
    let binding = if out.is_some() {
        quote!(mut output)
    } else {
        quote!(output)
    };
    quote! {
        match result {
            Err(error) => { #on_error }
            Ok(#binding) => { #on_output }
        }
    }
}

/// A typed event header value from a test case (`{ string: "x" }`, ...).
fn header_value(node: &Node) -> TokenStream {
    let hv = quote!(tinsmith_runtime::eventstream::HeaderValue);
    let Some((kind, v)) = node.as_object().and_then(|o| o.iter().next()) else {
        return quote!(#hv::String("".into()));
    };
    let int = || v.as_number().and_then(Number::as_i64).unwrap_or(0);
    match kind.as_str() {
        "boolean" => {
            let b = v.as_bool().unwrap_or_default();
            quote!(#hv::Bool(#b))
        }
        "byte" => {
            let b = Literal::i8_suffixed(int() as i8);
            quote!(#hv::Byte(#b))
        }
        "short" => {
            let b = Literal::i16_suffixed(int() as i16);
            quote!(#hv::Short(#b))
        }
        "integer" => {
            let b = Literal::i32_suffixed(int() as i32);
            quote!(#hv::Int(#b))
        }
        "long" => {
            let b = Literal::i64_suffixed(int());
            quote!(#hv::Long(#b))
        }
        "blob" => {
            let s = v.as_str().unwrap_or_default();
            quote!(#hv::Bytes(test_util::base64(#s)))
        }
        "timestamp" => {
            let t = values::timestamp(v);
            quote!(#hv::Timestamp(#t))
        }
        _ => {
            let s = v.as_str().unwrap_or_default();
            quote!(#hv::String(#s.into()))
        }
    }
}

fn has_nan(node: &Node) -> bool {
    match node {
        Node::String(s) => s == "NaN",
        Node::Array(items) => items.iter().any(has_nan),
        Node::Object(entries) => entries.values().any(has_nan),
        _ => false,
    }
}
