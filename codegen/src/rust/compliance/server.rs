//! Smithy's protocol compliance cases that apply to servers, as a
//! `#[cfg(test)]` module of an SDK generated with a server.
//!
//! A request case sends the case's HTTP request through the generated
//! `router` in process, to a harness implementing the service's trait that
//! records the input its method receives; the input must equal the case's
//! `params`. A response case hands the case's `params` (an output, or an
//! error for the error structure's cases) to the operation's
//! `write_<op>_result` and compares status, headers and body of the HTTP
//! response with the case's. Case ids in [`ProtocolTests::ignored`]
//! prefixed with `server:` are emitted with `#[ignore = "reason"]`.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::{
    ProtocolTests, events_check, events_of, has_nan, initial_checks, message_checks, stream_of,
    string_map, strings, test_header, text,
};
use crate::model::Node;
use crate::rust::names::Namespace;
use crate::rust::paths::{self, Scope};
use crate::rust::plan::{MemberKind, Operation, Plan, ProtocolKind, Structure, Ty};
use crate::rust::values::{self, Source};

/// The `server_protocol_tests` module, or `None` without a server or
/// without cases for it.
pub fn module(plan: &Plan<'_>, options: &ProtocolTests) -> Option<TokenStream> {
    let server = plan.server.as_ref()?;
    let protocol = match plan.protocol() {
        ProtocolKind::AwsJson1_0 => quote!(AwsJson1_0),
        ProtocolKind::AwsJson1_1 => quote!(AwsJson1_1),
        ProtocolKind::RpcV2Cbor => quote!(RpcV2Cbor),
        ProtocolKind::RpcV2Json => quote!(RpcV2Json),
        ProtocolKind::RestJson1 => quote!(RestJson1),
        _ => return None,
    };
    // Ignored server cases are listed as `server:<id>`.
    let options = ProtocolTests {
        ignored: options
            .ignored
            .iter()
            .filter_map(|(id, why)| Some((id.strip_prefix("server:")?.to_owned(), why.clone())))
            .collect(),
    };
    let mut names = Namespace::default();
    let mut tests = Vec::new();
    let mut requests = 0;
    for op in &plan.operations {
        for case in &op.tests.server_requests {
            tests.push(request_test(plan, op, case, &mut names, &options));
            requests += 1;
        }
        for case in &op.tests.server_responses {
            let answer = match plan.output(op) {
                Some(output) => {
                    let value = expected(plan, output, case);
                    quote!(Ok(#value))
                }
                None => quote!(Ok(())),
            };
            tests.push(response_test(op, answer, case, (&mut names, &options)));
        }
    }
    let mut responses = 0;
    for op in &plan.operations {
        for case in &op.tests.server_event_streams {
            let (test, side) = event_stream_test(plan, op, case, (&mut names, &options));
            tests.push(test);
            match side {
                Side::Request => requests += 1,
                Side::Response => responses += 1,
            }
        }
    }
    for op in &plan.operations {
        for case in &op.tests.malformed {
            for (i, expanded) in expand(case).iter().enumerate() {
                tests.push(malformed_test(expanded, i, (&mut names, &options)));
                requests += 1;
            }
        }
    }
    // Error cases run through the first operation (by id) that can return the error.
    let mut seen = BTreeSet::new();
    for (op, error_enum) in plan.operations.iter().zip(&server.error_enums) {
        for e in &op.errors {
            if !seen.insert(e.id) {
                continue;
            }
            let error = plan.structure(e.id);
            let variant = &e.variant;
            for case in &error.server_tests {
                let value = expected(plan, error, case);
                let answer = quote!(Err(super::server::#error_enum::#variant(Box::new(#value))));
                tests.push(response_test(op, answer, case, (&mut names, &options)));
            }
        }
    }
    if tests.is_empty() {
        return None;
    }
    let handler = &server.handler;
    // What only one kind of case uses.
    let received = (requests > 0).then(|| {
        quote! {
            /// The input of the last call, if it had type `T`.
            fn received<T: 'static>(&self) -> Option<T> {
                let input = self.received.lock().expect("not poisoned").take()?;
                input.downcast::<T>().ok().map(|input| *input)
            }
        }
    });
    let protocol_const = (tests.len() > requests + responses || responses > 0).then(|| {
        quote! {
            /// The protocol the server speaks.
            const PROTOCOL: tinsmith_runtime::server::rpc::Protocol =
                tinsmith_runtime::server::rpc::Protocol::#protocol;
        }
    });
    let methods = plan
        .operations
        .iter()
        .zip(&server.error_enums)
        .map(|(op, error_enum)| {
            let method = &op.method;
            let input = paths::io(plan, op.input);
            let output = paths::io(plan, op.output);
            let record = match op.input {
                Some(_) => quote!(self.record(request.into_input());),
                None => quote! {
                    request.into_input();
                    self.record(());
                },
            };
            quote! {
                async fn #method(
                    &self,
                    request: Request<#input>,
                ) -> Result<#output, super::server::#error_enum> {
                    #record
                    Err(Status::internal("a request case answers nothing").into())
                }
            }
        });
    Some(quote! {
        #![doc = " Smithy protocol compliance tests for this service's server."]
        // Cases exercise deprecated operations and members too.
        #![allow(deprecated)]

        use std::any::Any;
        use std::sync::{Arc, Mutex};

        use tinsmith_runtime::server::{Request, Status};
        use tinsmith_runtime::test_util;

        /// A server that records the input each call brings.
        #[derive(Clone, Default)]
        struct Harness {
            received: Arc<Mutex<Option<Box<dyn Any + Send>>>>,
        }

        impl Harness {
            fn record<T: Send + 'static>(&self, input: T) {
                *self.received.lock().expect("not poisoned") = Some(Box::new(input));
            }

            #received
        }

        impl super::server::#handler for Harness {
            #(#methods)*
        }

        #protocol_const

        #(#tests)*
    })
}

/// The value of a structure from a case's `params`.
fn expected(plan: &Plan<'_>, shape: &Structure<'_>, case: &Node) -> TokenStream {
    let empty = Node::Object(Default::default());
    let params = case.get("params").unwrap_or(&empty);
    values::expr(
        plan,
        &Ty::Structure(shape.id),
        params,
        Source::TestCase,
        Scope::Sibling,
    )
}

fn request_test(
    plan: &Plan<'_>,
    op: &Operation<'_>,
    case: &Node,
    tests: &mut Namespace,
    options: &ProtocolTests,
) -> TokenStream {
    let (header, doc) = test_header(tests, case, "server_request", options);
    let method = text(case, "method").unwrap_or("POST");
    let mut uri = text(case, "uri").unwrap_or("/").to_owned();
    let query = strings(case, "queryParams");
    if !query.is_empty() {
        uri = format!("{uri}?{}", query.join("&"));
    }
    let mut headers = string_map(case, "headers");
    // awsJson routes by `X-Amz-Target`, which cases about other things
    // leave out; the case is a call of `op`, so the harness names it.
    if matches!(
        plan.protocol(),
        ProtocolKind::AwsJson1_0 | ProtocolKind::AwsJson1_1
    ) && !headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("x-amz-target"))
    {
        headers.push((
            String::from("X-Amz-Target"),
            format!("{}.{}", plan.service().name, op.name),
        ));
    }
    let (names, values): (Vec<_>, Vec<_>) = headers.into_iter().unzip();
    let body = text(case, "body").unwrap_or("");
    let media = super::optional(text(case, "bodyMediaType"));
    let input = paths::io(plan, op.input);
    let mut binding = quote!(received);
    let check = match plan.input(op) {
        Some(shape) if shape.streaming_member().is_some() => {
            // A streamed body is compared by its bytes, the other members
            // one by one (the input has no `PartialEq`).
            let expected = expected(plan, shape, case);
            let checks = shape.members.iter().map(|m| {
                let field = &m.field;
                match m.kind {
                    MemberKind::ByteStream { .. } => quote! {
                        assert_eq!(
                            received.#field.collect_bytes().await.expect("the body reads"),
                            expected.#field.collect_bytes().await.expect("the body reads"),
                        );
                    },
                    // An HTTP case carries no events to compare.
                    MemberKind::Events { .. } => TokenStream::new(),
                    MemberKind::Value { .. } => {
                        quote!(assert_eq!(received.#field, expected.#field);)
                    }
                }
            });
            binding = quote!(mut received);
            quote! {
                let mut expected = #expected;
                #(#checks)*
            }
        }
        Some(shape) => {
            let expected = expected(plan, shape, case);
            let empty = Node::Object(Default::default());
            if has_nan(case.get("params").unwrap_or(&empty)) {
                quote! {
                    let expected = #expected;
                    test_util::assert_debug_eq(&received, &expected);
                }
            } else {
                quote! {
                    let expected = #expected;
                    assert_eq!(received, expected);
                }
            }
        }
        None => quote!(let () = received;),
    };
    quote! {
        #[doc = #doc]
        #header {
            let harness = Harness::default();
            let request = tinsmith_runtime::__private::http::Request::builder()
                .method(#method)
                .uri(#uri)
                #(.header(#names, #values))*
                .body(test_util::body_bytes(#body, #media))
                .expect("a valid request");
            let response = test_util::serve(super::server::router(harness.clone()), request).await;
            let Some(#binding) = harness.received::<#input>() else {
                panic!("the handler did not run; the server answered {response:?}");
            };
            #check
        }
    }
}

fn response_test(
    op: &Operation<'_>,
    answer: TokenStream,
    case: &Node,
    (tests, options): (&mut Namespace, &ProtocolTests),
) -> TokenStream {
    let (header, doc) = test_header(tests, case, "server_response", options);
    let code = super::status_code(case);
    let (names, values): (Vec<_>, Vec<_>) = string_map(case, "headers").into_iter().unzip();
    let require = strings(case, "requireHeaders");
    let forbid = strings(case, "forbidHeaders");
    let body = text(case, "body").map(|body| {
        let media = super::optional(text(case, "bodyMediaType"));
        quote!(test_util::assert_body(response.body(), #body, #media);)
    });
    let write = &op.fns.write;
    quote! {
        #[doc = #doc]
        #header {
            let response = test_util::written(super::server::#write(#answer), PROTOCOL).await;
            assert_eq!(response.status().as_u16(), #code, "status");
            test_util::assert_headers(
                response.headers(),
                &[#((#names, #values)),*],
                &[#(#require),*],
                &[#(#forbid),*],
            );
            #body
        }
    }
}

/// Which end of an event-stream case the server is tested at.
enum Side {
    /// The case's request reaches the handler.
    Request,
    /// The handler's answer is written.
    Response,
}

/// An `@eventStreamTests` case that applies to servers. A case about the
/// request sends its initial request and its events' frames through the
/// router to the harness, then reads the stream the handler received: its
/// events must be the case's, or (for a failure) the request is refused
/// before the handler runs or the stream ends with an error. A case about
/// the response writes an output holding the case's initial response
/// parameters and events (an error member's event as the stream's
/// modeled error) and compares the written status, headers and messages.
fn event_stream_test(
    plan: &Plan<'_>,
    op: &Operation<'_>,
    case: &Node,
    (tests, options): (&mut Namespace, &ProtocolTests),
) -> (TokenStream, Side) {
    let about_response = !events_of(case, "response").is_empty()
        || case.get("initialResponse").is_some()
        || case.get("initialResponseParams").is_some();
    let (body, side) = if about_response {
        (event_response(plan, op, case), Side::Response)
    } else {
        (event_request(plan, op, case), Side::Request)
    };
    let (header, doc) = test_header(tests, case, "server_event_stream", options);
    let test = quote! {
        #[doc = #doc]
        #header {
            #body
        }
    };
    (test, side)
}

/// The body of a server event-stream case about the request.
fn event_request(plan: &Plan<'_>, op: &Operation<'_>, case: &Node) -> TokenStream {
    let initial = case.get("initialRequest");
    let http = op.http.as_ref();
    let method = initial
        .and_then(|r| text(r, "method"))
        .map(str::to_owned)
        .or_else(|| http.map(|h| h.method.as_str().to_owned()))
        .unwrap_or_else(|| String::from("POST"));
    let uri = match initial.and_then(|r| text(r, "uri")) {
        Some(uri) => uri.to_owned(),
        None => match http.map(|h| literal_uri(&h.uri)) {
            Some(Some(uri)) => uri,
            Some(None) => {
                return quote!(panic!("the case gives no URI for an operation whose path has labels"););
            }
            None => String::from("/"),
        },
    };
    let mut headers = initial
        .map(|r| string_map(r, "headers"))
        .unwrap_or_default();
    if !headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("content-type"))
    {
        headers.push((
            String::from("content-type"),
            String::from("application/vnd.amazon.eventstream"),
        ));
    }
    let (names, values): (Vec<_>, Vec<_>) = headers.into_iter().unzip();
    let frames: Vec<&str> = events_of(case, "request")
        .iter()
        .filter_map(|e| text(e, "bytes"))
        .collect();
    let input_ty = paths::io(plan, op.input);
    let stream = stream_of(plan, plan.input(op));
    let send = quote! {
        let harness = Harness::default();
        let request = tinsmith_runtime::__private::http::Request::builder()
            .method(#method)
            .uri(#uri)
            #(.header(#names, #values))*
            .body(test_util::event_bytes(&[#(#frames),*]))
            .expect("a valid request");
        let response = test_util::serve(super::server::router(harness.clone()), request).await;
    };
    if let Some(failure) = case.get("expectation").and_then(|e| e.get("failure")) {
        // A client's exception arrives as an unmodeled error named after
        // the error member (input streams have no error type).
        let error_name = text(failure, "errorId").map(|e| e.rsplit('#').next().unwrap_or(e));
        let wire = stream.and_then(|(_, union)| {
            union.stream.as_ref()?.errors.iter().find_map(|v| {
                matches!(&v.ty, Some(Ty::Structure(id)) if Some(id.name()) == error_name)
                    .then_some(v.name)
            })
        });
        let check = match wire {
            Some(wire) => quote! {
                assert!(
                    matches!(failure.kind(), tinsmith_runtime::eventstream::StreamErrorKind::Unmodeled { code } if code == #wire),
                    "expected the client's `{}` exception, got {failure:?}", #wire
                );
            },
            None => quote!(let _ = failure;),
        };
        let on_received = match stream {
            Some((member, _)) => {
                let field = &member.field;
                quote! {
                    let items = test_util::collect_input(&mut received.#field).await;
                    let failure = items
                        .into_iter()
                        .find_map(Result::err)
                        .expect("the request stream reports a failure");
                    #check
                }
            }
            None => quote!(panic!("expected a failure, got {received:?}");),
        };
        return quote! {
            #send
            match harness.received::<#input_ty>() {
                // Refused before the handler ran.
                None => assert!(
                    response.status().is_client_error(),
                    "expected a refusal, got {response:?}"
                ),
                Some(mut received) => {
                    #on_received
                }
            }
        };
    }
    let mut checks = initial_checks(
        plan,
        plan.input(op),
        case.get("initialRequestParams"),
        &quote!(received),
    );
    if let Some((member, union)) = stream {
        let field = &member.field;
        checks.extend(events_check(
            plan,
            union,
            &events_of(case, "request"),
            quote!(test_util::collect_input(&mut received.#field)),
        ));
    }
    let binding = if stream.is_some() {
        quote!(mut received)
    } else {
        quote!(received)
    };
    quote! {
        #send
        let Some(#binding) = harness.received::<#input_ty>() else {
            panic!("the handler did not run; the server answered {response:?}");
        };
        #checks
    }
}

/// The URI of a pattern without labels; `None` when it has some.
fn literal_uri(pattern: &crate::rust::plan::UriPattern) -> Option<String> {
    use crate::rust::plan::Segment;
    let mut uri = String::new();
    for segment in &pattern.segments {
        match segment {
            Segment::Literal(text) => {
                uri.push('/');
                uri.push_str(text);
            }
            Segment::Label { .. } => return None,
        }
    }
    if uri.is_empty() || pattern.trailing_slash {
        uri.push('/');
    }
    let query: Vec<String> = pattern
        .query
        .iter()
        .map(|(k, v)| match v {
            Some(v) => format!("{k}={v}"),
            None => k.clone(),
        })
        .collect();
    if !query.is_empty() {
        uri = format!("{uri}?{}", query.join("&"));
    }
    Some(uri)
}

/// The body of a server event-stream case about the response.
fn event_response(plan: &Plan<'_>, op: &Operation<'_>, case: &Node) -> TokenStream {
    let Some(output) = plan.output(op) else {
        return quote!(panic!("the case is about a response, and the operation has no output"););
    };
    let empty = Default::default();
    let params = match case.get("initialResponseParams") {
        Some(Node::Object(params)) => params,
        _ => &empty,
    };
    let mut setters = Vec::new();
    for member in &output.members {
        if member.kind.is_streaming() {
            continue;
        }
        let zero;
        let v = match params.get(member.name) {
            Some(v) => v,
            None if member.required => {
                zero = values::zero(&member.ty);
                &zero
            }
            None => continue,
        };
        let setter = &member.setter;
        let value = values::expr(plan, &member.ty, v, Source::TestCase, Scope::Sibling);
        setters.push(quote!(.#setter(#value)));
    }
    let response_events = events_of(case, "response");
    if let Some((member, union)) = stream_of(plan, Some(output)) {
        let errors = union
            .stream
            .as_ref()
            .map(|s| s.errors.as_slice())
            .unwrap_or_default();
        let error_ty = paths::stream_error(plan, union.id);
        let items = response_events
            .iter()
            .filter_map(|e| e.get("params"))
            .map(|p| {
                let error = p.as_object().and_then(|o| {
                    let (key, value) = o.iter().next()?;
                    let v = errors.iter().find(|e| e.name == key)?;
                    Some((v, value))
                });
                match error {
                    Some((variant, value)) => {
                        let ident = &variant.ident;
                        let value = match &variant.ty {
                            Some(ty) => {
                                values::expr(plan, ty, value, Source::TestCase, Scope::Sibling)
                            }
                            None => quote!(()),
                        };
                        quote!(Err(#error_ty::#ident(#value)))
                    }
                    None => {
                        let value = values::expr(
                            plan,
                            &Ty::Union(union.id),
                            p,
                            Source::TestCase,
                            Scope::Sibling,
                        );
                        quote!(Ok(#value))
                    }
                }
            });
        let setter = &member.setter;
        setters.push(quote! {
            .#setter(test_util::event_stream::<_, #error_ty>(vec![#(#items),*]))
        });
    }
    let ty = paths::named(plan, output.id, Scope::Sibling);
    let output_value = if output.build_is_fallible() {
        quote!(#ty::builder() #(#setters)* .build().expect("a valid output"))
    } else {
        quote!(#ty::builder() #(#setters)* .build())
    };
    let write = &op.fns.write;
    let mut checks = TokenStream::new();
    if let Some(initial) = case.get("initialResponse") {
        let code = super::status_code(initial);
        let (names, values): (Vec<_>, Vec<_>) = string_map(initial, "headers").into_iter().unzip();
        let require = strings(initial, "requireHeaders");
        let forbid = strings(initial, "forbidHeaders");
        checks.extend(quote! {
            assert_eq!(response.status().as_u16(), #code, "status");
            test_util::assert_headers(
                response.headers(),
                &[#((#names, #values)),*],
                &[#(#require),*],
                &[#(#forbid),*],
            );
        });
    }
    checks.extend(message_checks(
        &response_events,
        quote!(response.body()),
        "messages written",
    ));
    quote! {
        let output = #output_value;
        let response = test_util::written(super::server::#write(Ok(output)), PROTOCOL).await;
        #checks
    }
}

/// The cases of a `@httpMalformedRequestTests` entry: one per index of its
/// `testParameters` (each string of `request` and `response` with `$name:L`
/// replaced by the value, `$name:S` by the value quoted, `$$` by `$`), or
/// the entry itself without parameters.
fn expand(case: &Node) -> Vec<Node> {
    let params: Vec<(&str, Vec<&str>)> = match case.get("testParameters") {
        Some(Node::Object(map)) => map
            .iter()
            .map(|(k, v)| {
                let values = v
                    .as_array()
                    .map(|a| a.iter().filter_map(Node::as_str).collect())
                    .unwrap_or_default();
                (k.as_str(), values)
            })
            .collect(),
        _ => Vec::new(),
    };
    // Without parameters, one case, still with `$$` unescaped.
    let count = params.iter().map(|(_, v)| v.len()).max().unwrap_or(1);
    (0..count)
        .map(|i| {
            let values: Vec<(&str, &str)> = params
                .iter()
                .map(|(k, v)| (*k, v.get(i).copied().unwrap_or_default()))
                .collect();
            let mut expanded = case.clone();
            if let Node::Object(map) = &mut expanded {
                for key in ["request", "response"] {
                    if let Some(node) = map.get_mut(key) {
                        substitute_all(node, &values);
                    }
                }
            }
            expanded
        })
        .collect()
}

fn substitute_all(node: &mut Node, values: &[(&str, &str)]) {
    match node {
        Node::String(text) => *text = substitute(text, values),
        Node::Array(items) => items.iter_mut().for_each(|n| substitute_all(n, values)),
        Node::Object(map) => map.values_mut().for_each(|n| substitute_all(n, values)),
        _ => {}
    }
}

/// `text` with CodeWriter's named parameters replaced.
fn substitute(text: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        rest = &rest[at + 1..];
        if let Some(after) = rest.strip_prefix('$') {
            out.push('$');
            rest = after;
            continue;
        }
        let name_len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let (name, after) = rest.split_at(name_len);
        let value = values.iter().find(|(k, _)| *k == name).map(|(_, v)| *v);
        match (value, after.strip_prefix(":L"), after.strip_prefix(":S")) {
            (Some(value), Some(after), _) => {
                out.push_str(value);
                rest = after;
            }
            (Some(value), None, Some(after)) => {
                out.push_str(&format!("{value:?}"));
                rest = after;
            }
            _ => out.push('$'),
        }
    }
    out.push_str(rest);
    out
}

/// One expanded `@httpMalformedRequestTests` case: its request, sent
/// through the router, is answered with the case's status, headers and
/// body, and never reaches the handler.
fn malformed_test(
    case: &Node,
    index: usize,
    (tests, options): (&mut Namespace, &ProtocolTests),
) -> TokenStream {
    let id = text(case, "id").unwrap_or("unnamed");
    let parameterized = case.get("testParameters").is_some();
    let name = if parameterized {
        format!("{}_{index}_malformed", crate::rust::names::snake(id))
    } else {
        format!("{}_malformed", crate::rust::names::snake(id))
    };
    let name =
        crate::rust::names::ident(&tests.claim(crate::rust::names::Claim::derived((), name)));
    // A listed id skips every case it expands to; `<id>_<index>` one.
    let ignore = options
        .ignored
        .get(&format!("{id}_{index}"))
        .or_else(|| options.ignored.get(id))
        .map(|reason| quote!(#[ignore = #reason]));
    let doc = text(case, "documentation").unwrap_or(id);
    let doc = format!(" {}", doc.lines().next().unwrap_or(id));
    let empty = Node::Object(Default::default());
    let request = case.get("request").unwrap_or(&empty);
    let response = case.get("response").unwrap_or(&empty);
    let method = text(request, "method").unwrap_or("POST");
    let mut uri = text(request, "uri").unwrap_or("/").to_owned();
    let query = strings(request, "queryParams");
    if !query.is_empty() {
        uri = format!("{uri}?{}", query.join("&"));
    }
    let (names, values): (Vec<_>, Vec<_>) = string_map(request, "headers").into_iter().unzip();
    let body = text(request, "body").unwrap_or("");
    let code = response
        .get("code")
        .and_then(Node::as_number)
        .and_then(|n| n.as_i64())
        .and_then(|c| u16::try_from(c).ok())
        .unwrap_or(400);
    let (expect_names, expect_values): (Vec<_>, Vec<_>) =
        string_map(response, "headers").into_iter().unzip();
    let body_check = response.get("body").map(|b| {
        let media = super::optional(text(b, "mediaType"));
        let assertion = b.get("assertion").unwrap_or(&empty);
        if let Some(contents) = text(assertion, "contents") {
            quote!(test_util::assert_body(response.body(), #contents, #media);)
        } else if let Some(regex) = text(assertion, "messageRegex") {
            quote!(test_util::assert_message_matches(response.body(), #regex);)
        } else {
            TokenStream::new()
        }
    });
    quote! {
        #[doc = #doc]
        #[tokio::test]
        #ignore
        async fn #name() {
            let harness = Harness::default();
            let request = tinsmith_runtime::__private::http::Request::builder()
                .method(#method)
                .uri(#uri)
                #(.header(#names, #values))*
                .body(tinsmith_runtime::__private::bytes::Bytes::from_static(#body.as_bytes()))
                .expect("a valid request");
            let response = test_util::serve(super::server::router(harness.clone()), request).await;
            assert_eq!(
                response.status().as_u16(),
                #code,
                "status; the server answered {response:?}"
            );
            test_util::assert_headers(
                response.headers(),
                &[#((#expect_names, #expect_values)),*],
                &[],
                &[],
            );
            #body_check
        }
    }
}
