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

use super::{ProtocolTests, has_nan, string_map, strings, test_header, text};
use crate::model::Node;
use crate::rust::names::Namespace;
use crate::rust::paths::{self, Scope};
use crate::rust::plan::{Operation, Plan, ProtocolKind, Structure, Ty};
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
    let protocol_const = (tests.len() > requests).then(|| {
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
    let check = match plan.input(op) {
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
            let Some(received) = harness.received::<#input>() else {
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
            let response = super::server::#write(#answer).into_http(PROTOCOL, "request-id");
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
