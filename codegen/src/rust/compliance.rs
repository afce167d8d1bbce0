//! Emits Smithy's protocol compliance tests (`@httpRequestTests`,
//! `@httpResponseTests`) for the selected protocol as a `#[cfg(test)]`
//! module of the SDK.
//!
//! Request cases send the input through the generated client to a
//! `tinsmith_runtime::test_util::TestTransport` and compare method, path,
//! query, headers, host and body. Response cases feed the canned response to
//! the operation's deserializer and compare the output (or the modeled
//! error) with the expected value built through the generated builders.
//! Cases listed in [`ProtocolTests::ignored`] are emitted with
//! `#[ignore = "reason"]`, so they stay visible and counted.

use std::collections::BTreeMap;

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::context::{Context, is_generated_type};
use super::{errors, names, protocol};
use crate::model::{Node, Number, Shape, ShapeType};

/// Which compliance tests to emit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProtocolTests {
    /// Test case id → why it is expected to fail; emitted as `#[ignore]`.
    pub ignored: BTreeMap<String, String>,
}

/// The `protocol_tests` module, or `None` when the service has no cases for
/// its protocol.
pub fn module(cx: &Context<'_>, protocol_id: &str, options: &ProtocolTests) -> Option<TokenStream> {
    let mut tests = Vec::new();
    for op in cx.operations() {
        for case in cases(op, "smithy.test#httpRequestTests", protocol_id) {
            tests.push(request_test(cx, op, case, options));
        }
        for case in cases(op, "smithy.test#httpResponseTests", protocol_id) {
            tests.push(response_test(cx, op, None, case, options));
        }
        for case in cases(op, "smithy.test#eventStreamTests", protocol_id) {
            tests.push(event_stream_test(cx, op, case, options));
        }
    }
    // Error cases run against the first operation (by id) that can return the error.
    let mut seen = std::collections::BTreeSet::new();
    for op in cx.operations() {
        for error in errors::operation_errors(cx, op) {
            if !seen.insert(error.id.clone()) {
                continue;
            }
            for case in cases(error, "smithy.test#httpResponseTests", protocol_id) {
                tests.push(response_test(cx, op, Some(error), case, options));
            }
        }
    }
    if tests.is_empty() {
        return None;
    }
    Some(quote! {
        #![doc = " Smithy protocol compliance tests for this service's protocol."]

        use tinsmith_runtime::test_util;

        #(#tests)*
    })
}

/// The cases of a test trait that apply to clients of `protocol_id`.
fn cases<'m>(shape: &'m Shape, trait_id: &str, protocol_id: &str) -> Vec<&'m Node> {
    let Some(Node::Array(all)) = shape.trait_value(trait_id) else {
        return Vec::new();
    };
    all.iter()
        .filter(|c| c.get("protocol").and_then(Node::as_str) == Some(protocol_id))
        .filter(|c| c.get("appliesTo").and_then(Node::as_str) != Some("server"))
        .collect()
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

fn test_header(id: &str, kind: &str, options: &ProtocolTests) -> TokenStream {
    let name = format_ident!(
        "{}_{}",
        names::field_name(id).to_string().trim_start_matches("r#"),
        kind
    );
    let ignore = options
        .ignored
        .get(id)
        .map(|reason| quote!(#[ignore = #reason]));
    quote! {
        #[tokio::test]
        #ignore
        async fn #name()
    }
}

fn request_test(cx: &Context<'_>, op: &Shape, case: &Node, options: &ProtocolTests) -> TokenStream {
    let id = text(case, "id").unwrap_or("unnamed");
    let header = test_header(id, "request", options);
    let doc = text(case, "documentation").unwrap_or(id);
    let doc = format!(" {}", doc.lines().next().unwrap_or(id));
    let method_name = super::client::method_ident(op);
    let input = op
        .as_operation()
        .filter(|p| !protocol::is_unit(&p.input))
        .and_then(|p| cx.model.shape(&p.input));
    let setters = match (input, case.get("params")) {
        (Some(input), Some(Node::Object(params))) => params
            .iter()
            .filter(|(_, v)| !matches!(v, Node::Null))
            .filter_map(|(k, v)| {
                let member = input.members.get(k)?;
                let target = cx.model.shape(&member.target)?;
                let setter = names::setter_name(k);
                let value = value(cx, target, v);
                Some(quote!(.#setter(#value)))
            })
            .collect(),
        _ => Vec::new(),
    };
    let host = text(case, "host").unwrap_or("example.com");
    let endpoint = format!("https://{host}");
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
        let media = text(case, "bodyMediaType");
        let media = match media {
            Some(m) => quote!(Some(#m)),
            None => quote!(None),
        };
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
    cx: &Context<'_>,
    op: &Shape,
    error: Option<&Shape>,
    case: &Node,
    options: &ProtocolTests,
) -> TokenStream {
    let id = text(case, "id").unwrap_or("unnamed");
    let header = test_header(id, "response", options);
    let doc = text(case, "documentation").unwrap_or(id);
    let doc = format!(" {}", doc.lines().next().unwrap_or(id));
    let code = case
        .get("code")
        .and_then(Node::as_number)
        .and_then(Number::as_i64)
        .and_then(|c| u16::try_from(c).ok())
        .unwrap_or(200);
    let (header_names, header_values): (Vec<_>, Vec<_>) =
        string_map(case, "headers").into_iter().unzip();
    let body = text(case, "body").unwrap_or("");
    let media = match text(case, "bodyMediaType") {
        Some(m) => quote!(Some(#m)),
        None => quote!(None),
    };
    let de = protocol::response_fn(&op.id);
    let empty = Node::Object(Default::default());
    let params = case.get("params").unwrap_or(&empty);
    // NaN is not equal to itself: such cases compare the Debug forms.
    let compare = |actual: TokenStream| {
        if has_nan(params) {
            quote!(assert_eq!(format!("{:?}", #actual), format!("{:?}", expected));)
        } else {
            quote!(assert_eq!(#actual, expected);)
        }
    };
    let streaming = protocol::streaming_output(cx, op);
    let check = match error {
        None => {
            let output_id = op.as_operation().map(|p| p.output.clone());
            match output_id.as_ref().and_then(|id| cx.model.shape(id)) {
                Some(output) if streaming.is_some() => {
                    // A streamed body is compared by its bytes, the other
                    // members one by one (the output has no `PartialEq`).
                    let expected = value(cx, output, params);
                    let checks = output.members.values().map(|m| {
                        let field = names::field_name(m.name());
                        if cx.is_streaming_blob(m) {
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
                Some(output) if !protocol::is_unit(&output.id) => {
                    let expected = value(cx, output, params);
                    let compare = compare(quote!(output));
                    quote! {
                        let output = super::protocol::#de(&response).expect("the response parses");
                        let expected = #expected;
                        #compare
                    }
                }
                _ => quote! {
                    super::protocol::#de(&response).expect("the response parses");
                },
            }
        }
        Some(error) => {
            let error_enum = errors::error_ident(&op.id);
            let variant = errors::variant(error);
            let expected = value(cx, error, params);
            let compare = compare(quote!(error.value()));
            // Streaming operations read error responses on their own.
            let parse = if streaming.is_some() {
                let error_fn = protocol::error_fn(&op.id);
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

/// The operation's event-stream member in its input (`input`) or output.
fn stream_member<'m>(
    cx: &Context<'m>,
    op: &'m Shape,
    input: bool,
) -> Option<(&'m Shape, &'m crate::model::Member)> {
    let props = op.as_operation()?;
    let shape = cx
        .model
        .shape(if input { &props.input } else { &props.output })?;
    let member = shape
        .members
        .values()
        .find(|m| cx.event_stream(m).is_some())?;
    Some((shape, member))
}

/// An `@eventStreamTests` case: the client sends the case's request events
/// (and initial request) through the generated client to a
/// `TestTransport` answering with the case's initial response and response
/// events; the sent messages and the received events (or the failure) are
/// compared with the case.
fn event_stream_test(
    cx: &Context<'_>,
    op: &Shape,
    case: &Node,
    options: &ProtocolTests,
) -> TokenStream {
    let id = text(case, "id").unwrap_or("unnamed");
    let header = test_header(id, "event_stream", options);
    let doc = text(case, "documentation").unwrap_or(id);
    let doc = format!(" {}", doc.lines().next().unwrap_or(id));
    let method_name = super::client::method_ident(op);
    let events: Vec<&Node> = case
        .get("events")
        .and_then(Node::as_array)
        .unwrap_or_default()
        .iter()
        .collect();
    let of_type = |kind: &str| -> Vec<&Node> {
        events
            .iter()
            .copied()
            .filter(|e| text(e, "type") == Some(kind))
            .collect()
    };
    let (request_events, response_events) = (of_type("request"), of_type("response"));

    // The request: initial parameters, then the events as an input stream.
    let mut setters = Vec::new();
    if let Some(input) = op.as_operation().and_then(|p| cx.model.shape(&p.input)) {
        let empty = Default::default();
        let params = match case.get("initialRequestParams") {
            Some(Node::Object(params)) => params,
            _ => &empty,
        };
        for member in input.members.values() {
            let Some(target) = cx.model.shape(&member.target) else {
                continue;
            };
            // A case about the response still needs a valid request: its
            // required members get zero values.
            let zero;
            let v = match params.get(member.name()) {
                Some(v) => v,
                None if member
                    .traits
                    .keys()
                    .any(|k| k.as_str() == "smithy.api#required")
                    && !cx.is_streaming(member) =>
                {
                    zero = zero_node(target);
                    &zero
                }
                None => continue,
            };
            let setter = names::setter_name(member.name());
            let value = value(cx, target, v);
            setters.push(quote!(.#setter(#value)));
        }
    }
    if let Some((_, member)) = stream_member(cx, op, true) {
        let union = cx.event_stream(member).expect("an event stream");
        let mut values = Vec::new();
        for event in &request_events {
            let Some(params) = event.get("params") else {
                continue;
            };
            let key = params.as_object().and_then(|o| o.keys().next());
            if key.and_then(|k| union.members.get(k)).is_some_and(|m| {
                cx.model
                    .shape(&m.target)
                    .is_some_and(|t| t.has_trait("smithy.api#error"))
            }) {
                // The union's errors are not events a client can send.
                let reason =
                    "clients send events only: the union's @error members end response streams";
                return quote! {
                    #[doc = #doc]
                    #header {
                        panic!(#reason);
                    }
                };
            }
            values.push(value(cx, union, params));
        }
        let setter = names::setter_name(member.name());
        setters.push(quote!(.#setter(tinsmith_runtime::eventstream::EventInput::from_events([#(#values),*]))));
    }

    // The canned response: the initial response, then the response events.
    let initial = case.get("initialResponse");
    let code = initial
        .and_then(|r| r.get("code"))
        .and_then(Node::as_number)
        .and_then(Number::as_i64)
        .and_then(|c| u16::try_from(c).ok())
        .unwrap_or(200);
    let mut response_headers = initial
        .map(|r| string_map(r, "headers"))
        .unwrap_or_default();
    if initial.is_none() {
        response_headers.push((
            "content-type".to_owned(),
            "application/vnd.amazon.eventstream".to_owned(),
        ));
    }
    let (header_names, header_values): (Vec<_>, Vec<_>) = response_headers.into_iter().unzip();
    let response_body = match initial.and_then(|r| text(r, "body")) {
        Some(body) => {
            quote!(tinsmith_runtime::__private::bytes::Bytes::from_static(#body.as_bytes()))
        }
        None => {
            let frames: Vec<&str> = response_events
                .iter()
                .filter_map(|e| text(e, "bytes"))
                .collect();
            quote!(test_util::event_bytes(&[#(#frames),*]))
        }
    };

    // What the request must look like.
    let mut request_checks = TokenStream::new();
    if let Some(initial) = case.get("initialRequest") {
        if let Some(method) = text(initial, "method") {
            request_checks
                .extend(quote!(assert_eq!(request.method().as_str(), #method, "method");));
        }
        if let Some(uri) = text(initial, "uri") {
            request_checks.extend(quote!(assert_eq!(request.uri().path(), #uri, "path");));
        }
        let (names_, values_): (Vec<_>, Vec<_>) =
            string_map(initial, "headers").into_iter().unzip();
        let require = strings(initial, "requireHeaders");
        let forbid = strings(initial, "forbidHeaders");
        request_checks.extend(quote! {
            test_util::assert_headers(
                request.headers(),
                &[#((#names_, #values_)),*],
                &[#(#require),*],
                &[#(#forbid),*],
            );
        });
    }
    if !request_events.is_empty() {
        let count = request_events.len();
        let checks = request_events.iter().enumerate().map(|(i, event)| {
            let headers = match event.get("headers") {
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
                    let media = match text(event, "bodyMediaType") {
                        Some(m) => quote!(Some(#m)),
                        None => quote!(None),
                    };
                    quote!(Some((#body, #media)))
                }
                None => quote!(None),
            };
            quote! {
                test_util::assert_event(&messages[#i], &[#(#headers),*], &[#(#require),*], &[#(#forbid),*], #body);
            }
        });
        request_checks.extend(quote! {
            let messages = test_util::event_messages(request.body());
            assert_eq!(messages.len(), #count, "messages sent");
            #(#checks)*
        });
    }

    // What the client must make of the response (a case about the request
    // alone says nothing of it).
    let out = stream_member(cx, op, false);
    let failure = case.get("expectation").and_then(|e| e.get("failure"));
    let about_response = !response_events.is_empty()
        || initial.is_some()
        || case.get("initialResponseParams").is_some()
        || case.get("expectation").is_some();
    let outcome = match failure {
        None if !about_response => quote!(let _ = result;),
        None => {
            let mut checks = TokenStream::new();
            if let (Some(output), Some(Node::Object(params))) = (
                op.as_operation().and_then(|p| cx.model.shape(&p.output)),
                case.get("initialResponseParams"),
            ) {
                for (k, v) in params {
                    if let Some(member) = output.members.get(k)
                        && let Some(target) = cx.model.shape(&member.target)
                    {
                        let field = names::field_name(k);
                        let value = value(cx, target, v);
                        let value = if cx.is_optional(output, member) {
                            quote!(Some(#value))
                        } else {
                            value
                        };
                        checks.extend(quote!(assert_eq!(output.#field, #value);));
                    }
                }
            }
            if let Some((_, member)) = out {
                let union = cx.event_stream(member).expect("an event stream");
                let field = names::field_name(member.name());
                let expected = response_events
                    .iter()
                    .filter_map(|e| e.get("params"))
                    .map(|p| value(cx, union, p));
                checks.extend(quote! {
                    let events: Vec<_> = test_util::collect_events(&mut output.#field)
                        .await
                        .into_iter()
                        .map(|item| item.expect("every event decodes"))
                        .collect();
                    assert_eq!(events, [#(#expected),*]);
                });
            }
            let binding = if out.is_some() {
                quote!(mut output)
            } else {
                quote!(output)
            };
            let binding = if checks.is_empty() {
                quote!(_output)
            } else {
                binding
            };
            quote! {
                let #binding = result.expect("the operation succeeds");
                #checks
            }
        }
        Some(failure) => {
            let error_id = text(failure, "errorId");
            let error_name = error_id.map(|e| e.rsplit('#').next().unwrap_or(e));
            let stream_error = out.and_then(|(_, member)| {
                let union = cx.event_stream(member)?;
                let m = cx
                    .stream_errors(union)
                    .into_iter()
                    .find(|m| Some(m.target.name()) == error_name)?;
                Some((
                    cx.stream_error_type(&union.id),
                    names::variant_name(m.name()),
                ))
            });
            let op_error = errors::operation_errors(cx, op)
                .into_iter()
                .find(|e| Some(e.id.name()) == error_name)
                .map(|e| {
                    let error_enum = errors::error_ident(&op.id);
                    let variant = errors::variant(e);
                    quote!(super::error::#error_enum::#variant(_))
                });
            let on_error = match &op_error {
                Some(pattern) => quote! {
                    assert!(
                        matches!(error.as_service_error(), Some(#pattern)),
                        "expected the modeled error, got {error:?}"
                    );
                },
                None if stream_error.is_some() => {
                    quote!(panic!("expected a stream error, got {error:?}");)
                }
                None => quote!(let _ = error;),
            };
            let on_output = match out {
                Some((_, member)) => {
                    let field = names::field_name(member.name());
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
    };
    let request_var = if request_checks.is_empty() {
        TokenStream::new()
    } else {
        quote!(let request = transport.last_request();)
    };
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
                .build();
            let client = super::Client::new(config);
            let result = client.#method_name() #(#setters)* .send().await;
            #request_var
            #request_checks
            #outcome
        }
    }
}

/// A zero value of a simple shape, as a test-case node.
fn zero_node(target: &Shape) -> Node {
    match target.ty {
        ShapeType::String | ShapeType::Enum | ShapeType::Blob => Node::String(String::new()),
        ShapeType::Boolean => Node::Bool(false),
        ShapeType::List => Node::Array(Vec::new()),
        ShapeType::Structure | ShapeType::Map | ShapeType::Union => {
            Node::Object(Default::default())
        }
        _ => Node::Number(Number::Int(0)),
    }
}

/// A typed event header value from a test case (`{ string: "x" }`, ...).
fn header_value(node: &Node) -> TokenStream {
    let Some((kind, v)) = node.as_object().and_then(|o| o.iter().next()) else {
        return quote!(tinsmith_runtime::eventstream::HeaderValue::String(
            "".into()
        ));
    };
    let int = || v.as_number().and_then(Number::as_i64).unwrap_or(0);
    let hv = quote!(tinsmith_runtime::eventstream::HeaderValue);
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
            let t = timestamp(v);
            quote!(#hv::Timestamp(#t))
        }
        _ => {
            let s = v.as_str().unwrap_or_default();
            quote!(#hv::String(#s.into()))
        }
    }
}

/// A `DateTime` expression from a test case's number or date-time text.
fn timestamp(node: &Node) -> TokenStream {
    match node {
        Node::Number(n) if n.is_float() => {
            let v = n.as_f64();
            quote!(tinsmith_runtime::DateTime::from_secs_f64(#v))
        }
        Node::Number(n) => {
            let v = Literal::i64_suffixed(n.as_i64().unwrap_or(0));
            quote!(tinsmith_runtime::DateTime::from_secs(#v))
        }
        Node::String(s) => quote! {
            tinsmith_runtime::DateTime::parse(#s, tinsmith_runtime::TimestampFormat::DateTime)
                .expect("a valid date-time")
        },
        _ => quote!(tinsmith_runtime::DateTime::from_secs(0)),
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

fn number_text(n: &Number) -> String {
    match n {
        Number::Int(i) => i.to_string(),
        Number::Float(f) => f.to_string(),
        Number::Big(b) => b.as_str().to_owned(),
    }
}

fn float(node: &Node, double: bool) -> TokenStream {
    let ty = if double { quote!(f64) } else { quote!(f32) };
    match node {
        Node::String(s) if s == "NaN" => quote!(#ty::NAN),
        Node::String(s) if s == "Infinity" => quote!(#ty::INFINITY),
        Node::String(s) if s == "-Infinity" => quote!(#ty::NEG_INFINITY),
        Node::Number(n) if double => {
            let v = Literal::f64_suffixed(n.as_f64());
            quote!(#v)
        }
        Node::Number(n) => {
            let v = Literal::f32_suffixed(n.as_f64() as f32);
            quote!(#v)
        }
        _ => quote!(#ty::default()),
    }
}

/// A Rust expression for `node` as a value of `target`, built through the
/// generated types.
fn value(cx: &Context<'_>, target: &Shape, node: &Node) -> TokenStream {
    let ty = cx.rust_type(&target.id);
    let int = || node.as_number().and_then(Number::as_i64).unwrap_or(0);
    match target.ty {
        _ if is_generated_type(target)
            && matches!(target.ty, ShapeType::String | ShapeType::Enum) =>
        {
            let s = node.as_str().unwrap_or_default();
            quote!(#ty::from(#s))
        }
        ShapeType::IntEnum => {
            let v = Literal::i32_suffixed(int() as i32);
            quote!(#ty::from(#v))
        }
        ShapeType::Structure => {
            let setters = match node {
                Node::Object(entries) => entries
                    .iter()
                    .filter(|(_, v)| !matches!(v, Node::Null))
                    .filter_map(|(k, v)| {
                        let member = target.members.get(k)?;
                        let member_target = cx.model.shape(&member.target)?;
                        let setter = names::setter_name(k);
                        let value = value(cx, member_target, v);
                        Some(quote!(.#setter(#value)))
                    })
                    .collect(),
                _ => Vec::new(),
            };
            quote!(#ty::builder() #(#setters)* .build().expect("the expected value is complete"))
        }
        ShapeType::Union => {
            let Some((key, inner)) = node.as_object().and_then(|o| o.iter().next()) else {
                return quote!(#ty::Unknown);
            };
            let Some(member) = target.members.get(key) else {
                return quote!(#ty::Unknown);
            };
            let variant = names::variant_name(key);
            if member.target.as_str() == "smithy.api#Unit" {
                return quote!(#ty::#variant);
            }
            let Some(member_target) = cx.model.shape(&member.target) else {
                return quote!(#ty::Unknown);
            };
            let inner = value(cx, member_target, inner);
            if cx.boxed_member(member) {
                quote!(#ty::#variant(Box::new(#inner)))
            } else {
                quote!(#ty::#variant(#inner))
            }
        }
        ShapeType::List => {
            let Some(item) = target
                .members
                .get("member")
                .and_then(|m| cx.model.shape(&m.target))
            else {
                return quote!(Vec::new());
            };
            let item_ty = cx.rust_type(&item.id);
            let sparse = target.has_trait("smithy.api#sparse");
            let items = node
                .as_array()
                .unwrap_or_default()
                .iter()
                .map(|v| match (sparse, v) {
                    (true, Node::Null) => quote!(None),
                    (true, v) => {
                        let v = value(cx, item, v);
                        quote!(Some(#v))
                    }
                    (false, v) => value(cx, item, v),
                });
            if sparse {
                quote!(Vec::<Option<#item_ty>>::from([#(#items),*]))
            } else {
                quote!(Vec::<#item_ty>::from([#(#items),*]))
            }
        }
        ShapeType::Map => {
            let (Some(key), Some(val)) = (
                target
                    .members
                    .get("key")
                    .and_then(|m| cx.model.shape(&m.target)),
                target
                    .members
                    .get("value")
                    .and_then(|m| cx.model.shape(&m.target)),
            ) else {
                return quote!(Default::default());
            };
            let key_ty = cx.rust_type(&key.id);
            let val_ty = cx.rust_type(&val.id);
            let sparse = target.has_trait("smithy.api#sparse");
            let entries = node.as_object().into_iter().flatten().map(|(k, v)| {
                let k = value(cx, key, &Node::String(k.clone()));
                let v = match (sparse, v) {
                    (true, Node::Null) => quote!(None),
                    (true, v) => {
                        let v = value(cx, val, v);
                        quote!(Some(#v))
                    }
                    (false, v) => value(cx, val, v),
                };
                quote!((#k, #v))
            });
            if sparse {
                quote!(std::collections::HashMap::<#key_ty, Option<#val_ty>>::from([#(#entries),*]))
            } else {
                quote!(std::collections::HashMap::<#key_ty, #val_ty>::from([#(#entries),*]))
            }
        }
        ShapeType::String => {
            let s = node.as_str().unwrap_or_default();
            quote!(String::from(#s))
        }
        ShapeType::Boolean => {
            let b = node.as_bool().unwrap_or_default();
            quote!(#b)
        }
        ShapeType::Byte => {
            let v = Literal::i8_suffixed(int() as i8);
            quote!(#v)
        }
        ShapeType::Short => {
            let v = Literal::i16_suffixed(int() as i16);
            quote!(#v)
        }
        ShapeType::Integer => {
            let v = Literal::i32_suffixed(int() as i32);
            quote!(#v)
        }
        ShapeType::Long => {
            let v = Literal::i64_suffixed(int());
            quote!(#v)
        }
        ShapeType::Float => float(node, false),
        ShapeType::Double => float(node, true),
        ShapeType::Timestamp => timestamp(node),
        ShapeType::Blob => {
            let s = node.as_str().unwrap_or_default();
            quote!(tinsmith_runtime::Blob::from(#s))
        }
        ShapeType::Document => super::context::document_expr(node),
        ShapeType::BigInteger | ShapeType::BigDecimal => {
            let text = match node {
                Node::Number(n) => number_text(n),
                Node::String(s) => s.clone(),
                _ => "0".to_owned(),
            };
            quote!(#text.parse::<#ty>().expect("a valid number"))
        }
        ShapeType::Enum | ShapeType::Service | ShapeType::Resource | ShapeType::Operation => {
            quote!(Default::default())
        }
    }
}
