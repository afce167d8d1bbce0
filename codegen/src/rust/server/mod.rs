//! The `server` module of a service generated with a server
//! ([`Options::server`](super::Options::server)): the trait a server
//! implements (one async method per operation, typed input to typed output
//! or the operation's server error), each method's error enum, and
//! `router`, which serves an implementation through the runtime's RPC
//! framing (`tinsmith_runtime::server::rpc`).
//!
//! The generated code only converts: it reads the input with the same
//! document codec the client writes it with, and writes the output and
//! errors with the codec the client reads them with. Routing, headers and
//! framing errors live in the runtime, compiled once.

mod checks;
mod required;
mod rest;

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::codec::{self, CodecSettings};
use super::docs::doc_attrs;
use super::paths::{self, Scope};
use super::plan::{Operation, Plan, ProtocolKind, Server, Structure, Ty};
use super::protocol;
use super::types::allow_deprecated;

/// The whole `server` module; `None` without a server.
pub fn module(plan: &Plan<'_>) -> Option<TokenStream> {
    let server = plan.server.as_ref()?;
    let is_rest = plan.protocol() == ProtocolKind::RestJson1;
    let settings = if is_rest {
        crate::rust::protocol::rest_json::SETTINGS
    } else {
        protocol::for_kind(plan.protocol()).document_codec()?
    };
    let service = plan.service();
    let handler = &server.handler;
    let runtime_protocol = match plan.protocol() {
        ProtocolKind::AwsJson1_0 => quote!(AwsJson1_0),
        ProtocolKind::AwsJson1_1 => quote!(AwsJson1_1),
        ProtocolKind::RpcV2Cbor => quote!(RpcV2Cbor),
        ProtocolKind::RpcV2Json => quote!(RpcV2Json),
        ProtocolKind::JsonRpc2 => quote!(JsonRpc2),
        ProtocolKind::RestJson1 => quote!(RestJson1),
        // `Plan::add_server` admits these protocols alone.
        _ => return None,
    };
    let service_name = service.name;
    // Operations whose input streams (their bodies are read as they
    // arrive), and whose output does.
    let streaming_input: Vec<&str> = plan
        .operations
        .iter()
        .filter(|op| plan.streaming_input(op).is_some())
        .map(|op| op.name)
        .collect();
    let serve = match plan.protocol() {
        ProtocolKind::JsonRpc2 => {
            let (path, prefix) = (&service.json_rpc.path, &service.json_rpc.method_prefix);
            let all = plan.operations.iter().map(|op| op.name);
            let streaming_output = plan
                .operations
                .iter()
                .filter(|op| plan.streaming_output(op).is_some())
                .map(|op| op.name);
            quote! {
                tinsmith_runtime::server::json_rpc::router(
                    (#path, #service_name),
                    #prefix,
                    tinsmith_runtime::server::json_rpc::Operations {
                        all: &[#(#all),*],
                        input_streams: &[#(#streaming_input),*],
                        output_streams: &[#(#streaming_output),*],
                    },
                    service,
                    dispatch::<S>,
                )
            }
        }
        ProtocolKind::RestJson1 => quote! {
            tinsmith_runtime::server::rest::router(#service_name, ROUTES, service, dispatch::<S>)
        },
        _ => {
            let streaming = &streaming_input;
            quote! {
                tinsmith_runtime::server::rpc::router(
                    PROTOCOL,
                    (#service_name, &[#(#streaming),*]),
                    service,
                    dispatch::<S>,
                )
            }
        }
    };
    let codec = format_ident!("{}", settings.module);
    let methods = plan
        .operations
        .iter()
        .map(|op| trait_method(plan, server, op));
    let error_enums = plan
        .operations
        .iter()
        .zip(&server.error_enums)
        .map(|(op, name)| error_enum(plan, op, name));
    let checked = checks::Checked::find(plan);
    let required = required::Required::find(plan);
    let calls: Vec<TokenStream> = plan
        .operations
        .iter()
        .zip(&server.error_enums)
        .map(|(op, error)| {
            let context = (handler, &checked, &required);
            if is_rest {
                rest::serve_fn(plan, context, op, error)
            } else {
                serve_fn(plan, settings, context, op, error)
            }
        })
        .collect();
    let check_fns = checks::functions(plan, &checked);
    let required_fns = required::functions(plan, settings.strict(), &required);
    let arms = plan.operations.iter().map(|op| {
        let name = op.name;
        let f = &op.fns.serve;
        quote!(#name => #f(&*service, call).await,)
    });
    let writers: Vec<TokenStream> = plan
        .errors()
        .into_iter()
        .map(|e| {
            if is_rest {
                rest::error_writer(plan, e)
            } else {
                error_writer(plan, settings, e)
            }
        })
        .collect();
    let routes = is_rest.then(|| rest::routes(plan));
    let trait_doc = format!(
        " The `{}` service, as a server implements it: one method per operation, each taking the \
         operation's input and returning its output or one of its errors. Serve an implementation \
         with [`router`].",
        service.name
    );
    let service_docs = doc_attrs(&service.docs);
    let service_docs = (!service.docs.is_empty()).then(|| quote!(#service_docs #[doc = ""]));
    let router_doc = format!(
        " An axum router serving `service` as `{}` in `{}`, on every path the protocol routes.",
        service.name,
        plan.protocol().trait_id()
    );
    let module_doc = format!(
        " The server side of `{}`: implement [`{}`] (one async method per operation) and serve it \
         with [`router`], an axum `Router`.",
        service.name, handler
    );
    let call_ty = if is_rest {
        quote!(RestCall)
    } else {
        quote!(Call)
    };
    let body = quote! {
        /// The protocol the server speaks.
        const PROTOCOL: Protocol = Protocol::#runtime_protocol;

        #routes

        #service_docs
        #[doc = #trait_doc]
        pub trait #handler: Send + Sync + 'static {
            #(#methods)*
        }

        #[doc = #router_doc]
        pub fn router<S: #handler>(service: S) -> tinsmith_runtime::server::axum::Router {
            #serve
        }

        /// Runs the operation a call names.
        fn dispatch<S: #handler>(service: Arc<S>, call: #call_ty) -> ReplyFuture {
            Box::pin(async move {
                match call.operation() {
                    #(#arms)*
                    _ => Reply::unknown_operation(PROTOCOL, call.operation()),
                }
            })
        }

        #(#calls)*

        #check_fns
        #required_fns

        #(#writers)*

        #(#error_enums)*
    };
    // Imports only what the module uses: a service without operations
    // has no methods; one whose operations carry nothing reads and writes
    // no documents.
    let has_ops = !plan.operations.is_empty();
    let uses = |name: &str| path_head(&body, name);
    let mut imports = TokenStream::new();
    if has_ops {
        imports.extend(quote!(
            use std::future::Future;
        ));
    }
    imports.extend(quote!(
        use std::sync::Arc;
    ));
    if uses("rt") {
        imports.extend(quote!(use tinsmith_runtime::#codec as rt;));
    }
    if uses("binding") {
        imports.extend(quote!(
            use tinsmith_runtime::binding;
        ));
    }
    if is_rest {
        let mut items = Vec::new();
        if uses("rest") {
            items.push(quote!(self));
        }
        items.extend([quote!(RestCall), quote!(Route)]);
        if uses("Media") {
            items.push(quote!(Media));
        }
        for (name, item) in [
            ("ResponseParts", quote!(ResponseParts)),
            ("Segment", quote!(Segment)),
        ] {
            if uses(name) {
                items.push(item);
            }
        }
        imports.extend(quote!(use tinsmith_runtime::server::rest::{#(#items),*};));
        imports.extend(quote!(
            use tinsmith_runtime::server::rpc::{Protocol, Reply, ReplyFuture};
        ));
    } else {
        imports.extend(quote!(
            use tinsmith_runtime::server::rpc::{Call, Protocol, Reply, ReplyFuture};
        ));
    }
    if has_ops {
        imports.extend(quote!(
            use tinsmith_runtime::server::{Request, Status};
        ));
    }
    if uses("Violations") {
        imports.extend(quote!(
            use tinsmith_runtime::server::validate::Violations;
        ));
    }
    // The event codecs live with the client's, in `protocol`.
    let codecs: Vec<&Ident> = plan
        .event_streams()
        .map(|(_, s)| &s.codec)
        .filter(|codec| mentions(&body, codec))
        .collect();
    if !codecs.is_empty() {
        imports.extend(quote!(use super::protocol::{#(#codecs),*};));
    }
    Some(quote! {
        #![doc = #module_doc]

        #imports

        #body
    })
}

/// True when `tokens` use `name` as the head of a path (`name::item`,
/// not after `::` or `.`): how the module's code names what it imports,
/// and never how it names a model's shapes or members.
fn path_head(tokens: &TokenStream, name: &str) -> bool {
    use proc_macro2::TokenTree;
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    let is_punct =
        |t: Option<&TokenTree>, c: char| matches!(t, Some(TokenTree::Punct(p)) if p.as_char() == c);
    trees.iter().enumerate().any(|(i, tree)| match tree {
        TokenTree::Ident(ident) => {
            let before = |n: usize| i.checked_sub(n).and_then(|j| trees.get(j));
            let after_path = is_punct(before(1), ':') && is_punct(before(2), ':');
            ident == name
                && !after_path
                && !is_punct(before(1), '.')
                && is_punct(trees.get(i + 1), ':')
                && is_punct(trees.get(i + 2), ':')
        }
        TokenTree::Group(group) => path_head(&group.stream(), name),
        _ => false,
    })
}

/// True when `tokens` mention the identifier `name` anywhere.
fn mentions(tokens: &TokenStream, name: &Ident) -> bool {
    use proc_macro2::TokenTree;
    tokens.clone().into_iter().any(|tree| match tree {
        TokenTree::Ident(ident) => ident == *name,
        TokenTree::Group(group) => mentions(&group.stream(), name),
        _ => false,
    })
}

fn write_error_ident(error: &Structure<'_>) -> Ident {
    format_ident!("write_{}_error", error.stem)
}

/// The trait's method for `op`.
fn trait_method(plan: &Plan<'_>, server: &Server, op: &Operation<'_>) -> TokenStream {
    let method = &op.method;
    let input = paths::io(plan, op.input);
    let output = paths::io(plan, op.output);
    let index = plan
        .operations
        .iter()
        .position(|o| o.id == op.id)
        .unwrap_or_default();
    let error = &server.error_enums[index];
    let docs = doc_attrs(&op.docs);
    let docs = (!op.docs.is_empty()).then(|| quote!(#docs #[doc = ""]));
    let doc = format!(" Serves `{}`.", op.name);
    let allow = allow_deprecated(op.uses_deprecated);
    quote! {
        #docs
        #[doc = #doc]
        #allow
        fn #method(
            &self,
            request: Request<#input>,
        ) -> impl Future<Output = Result<#output, #error>> + Send;
    }
}

/// The error enum of `op`'s method.
fn error_enum(plan: &Plan<'_>, op: &Operation<'_>, name: &Ident) -> TokenStream {
    let doc = format!(
        " Errors the server's `{}` method can return: the errors the model describes for the \
         operation (boxed, as error structures can be large; `?` and `.into()` box them), or any \
         other failure as a [`Status`].",
        op.name
    );
    let variants = op.errors.iter().map(|e| {
        let variant = &e.variant;
        let ty = paths::named(plan, e.id, Scope::Sibling);
        let docs = doc_attrs(&plan.structure(e.id).docs);
        quote! { #docs #variant(Box<#ty>), }
    });
    let froms = op.errors.iter().map(|e| {
        let variant = &e.variant;
        let ty = paths::named(plan, e.id, Scope::Sibling);
        quote! {
            impl From<#ty> for #name {
                fn from(error: #ty) -> Self {
                    #name::#variant(Box::new(error))
                }
            }
        }
    });
    let allow = allow_deprecated(
        op.errors
            .iter()
            .any(|e| plan.structure(e.id).uses_deprecated),
    );
    quote! {
        #[doc = #doc]
        #allow
        #[derive(Debug)]
        pub enum #name {
            #(#variants)*
            /// A failure the model does not describe, answered with its code and message.
            Unhandled(Status),
        }

        #(#allow #froms)*

        impl From<Status> for #name {
            fn from(status: Status) -> Self {
                #name::Unhandled(status)
            }
        }

        /// A value the handler could not build is the server's fault: an
        /// internal failure.
        impl From<tinsmith_runtime::BuildError> for #name {
            fn from(error: tinsmith_runtime::BuildError) -> Self {
                #name::Unhandled(Status::internal(error.to_string()))
            }
        }

        /// A detail the handler could not encode is an internal failure.
        impl From<tinsmith_runtime::DetailError> for #name {
            fn from(error: tinsmith_runtime::DetailError) -> Self {
                #name::Unhandled(Status::internal(error.to_string()))
            }
        }

        /// Metadata the handler could not send is an internal failure.
        impl From<tinsmith_runtime::server::InvalidMetadata> for #name {
            fn from(error: tinsmith_runtime::server::InvalidMetadata) -> Self {
                #name::Unhandled(Status::internal(error.to_string()))
            }
        }
    }
}

/// The functions that serve one call of `op`: `serve_<op>` reads the
/// input and runs the handler, `write_<op>_result` writes what it returned.
fn serve_fn(
    plan: &Plan<'_>,
    settings: CodecSettings,
    (handler, checked, required): (&Ident, &checks::Checked, &required::Required),
    op: &Operation<'_>,
    error: &Ident,
) -> TokenStream {
    let check = checks::input_check(plan, checked, op);
    let input_stream = events_member(plan, plan.streaming_input(op));
    let read = match op.input {
        Some(input) => {
            let de = codec::de_expr(
                plan,
                settings.strict(),
                &Ty::Structure(input),
                quote!(&body),
            );
            // What the request must carry is checked in its document, as a
            // value cannot be built without it.
            let presence = required::input_check(plan, required, input);
            let presence = (!presence.is_empty()).then(|| {
                let reply = checks::violations_reply(plan, op);
                quote! {
                    let mut violations = Violations::new();
                    #presence
                    if !violations.is_empty() {
                        #reply
                    }
                }
            });
            let alone = plan.structure(input).members.len() == 1;
            match &input_stream {
                // Without other members, the handler gets the stream at
                // once (a leading `initial-request` is dropped).
                Some((field, codec)) if alone => quote! {
                    let body = rt::object(rt::Map::new());
                    let mut input = match #de {
                        Ok(input) => input,
                        Err(problem) => return Reply::malformed(PROTOCOL, &problem),
                    };
                    input.#field = tinsmith_runtime::eventstream::EventInput::received_skipping(
                        call.take_stream(),
                        #codec,
                        "initial-request",
                    );
                    #check
                },
                // The other members arrive in the `initial-request` event
                // (none: an empty document), the events after it.
                Some((field, codec)) => quote! {
                    let (initial, events) = tinsmith_runtime::eventstream::EventInput::received_after(
                        call.take_stream(),
                        #codec,
                        "initial-request",
                    )
                    .await;
                    let body = match initial {
                        Some(message) if !message.payload().is_empty() => {
                            match rt::parse_body(message.payload()) {
                                Ok(body) => body,
                                Err(problem) => return Reply::malformed(PROTOCOL, &problem),
                            }
                        }
                        _ => rt::object(rt::Map::new()),
                    };
                    #presence
                    let mut input = match #de {
                        Ok(input) => input,
                        Err(problem) => return Reply::malformed(PROTOCOL, &problem),
                    };
                    input.#field = events;
                    #check
                },
                None => quote! {
                    let body = match rt::parse_body(call.body()) {
                        Ok(body) => body,
                        Err(problem) => return Reply::malformed(PROTOCOL, &problem),
                    };
                    #presence
                    let input = match #de {
                        Ok(input) => input,
                        Err(problem) => return Reply::malformed(PROTOCOL, &problem),
                    };
                    #check
                },
            }
        }
        None => quote!(let input = ();),
    };
    let ok = match (op.output, events_member(plan, plan.streaming_output(op))) {
        // The other members go first, in the `initial-response` event.
        (Some(id), Some((field, codec))) => {
            let ser = codec::ser_expr(plan, settings, &Ty::Structure(id), quote!(&output));
            quote! {
                Ok(mut output) => {
                    let initial = tinsmith_runtime::eventstream::wire::event(
                        "initial-response",
                        Some(PROTOCOL.content_type()),
                        rt::to_body(&#ser),
                    );
                    Reply::events(output.#field.take_body(#codec, Some(initial)))
                }
            }
        }
        (Some(id), None) => {
            let ser = codec::ser_expr(plan, settings, &Ty::Structure(id), quote!(&output));
            quote!(Ok(output) => Reply::output(rt::to_body(&#ser)),)
        }
        (None, _) => quote!(Ok(()) => Reply::no_output(),),
    };
    let call = if input_stream.is_some() {
        quote!(mut call: Call)
    } else {
        quote!(call: Call)
    };
    serve_and_write(
        plan,
        (handler, op, error),
        Served {
            call,
            read,
            helpers: TokenStream::new(),
            ok,
        },
    )
}

/// The field of an event-stream member and its codec constant.
fn events_member<'a>(
    plan: &'a Plan<'_>,
    member: Option<&'a super::plan::Member<'_>>,
) -> Option<(&'a Ident, &'a Ident)> {
    let member = member?;
    match &member.kind {
        super::plan::MemberKind::Events { union, .. } => {
            Some((&member.field, plan.event_codec(union)))
        }
        _ => None,
    }
}

/// What differs between the framings in the functions that serve an
/// operation.
struct Served {
    /// The serving function's call parameter (`call: Call`).
    call: TokenStream,
    /// Statements that read (and check) `input` from `call`, or return.
    read: TokenStream,
    /// Functions emitted beside (readers, presence checks).
    helpers: TokenStream,
    /// The `match` arm that writes an `Ok` output.
    ok: TokenStream,
}

/// `serve_<op>`, which reads the input and runs the handler, and
/// `write_<op>_result`, which writes its answer: the output by
/// `served.ok`, each modeled error by its writer, a `Status` as itself.
fn serve_and_write(
    plan: &Plan<'_>,
    (handler, op, error): (&Ident, &Operation<'_>, &Ident),
    served: Served,
) -> TokenStream {
    let (serve, write, method) = (&op.fns.serve, &op.fns.write, &op.method);
    let output = paths::io(plan, op.output);
    let Served {
        call,
        read,
        helpers,
        ok,
    } = served;
    let errors = op.errors.iter().map(|e| {
        let variant = &e.variant;
        let writer = write_error_ident(plan.structure(e.id));
        quote!(Err(#error::#variant(error)) => #writer(&error),)
    });
    let serve_doc = format!(
        " Serves a call of `{}`: reads its input, runs the handler, writes its answer.",
        op.name
    );
    let write_doc = format!(" Writes the answer of a `{}` handler.", op.name);
    let allow = allow_deprecated(op.uses_deprecated);
    quote! {
        #[doc = #serve_doc]
        #allow
        async fn #serve<S: #handler>(service: &S, #call) -> Reply {
            #read
            #write(service.#method(call.into_request(input)).await)
        }

        #helpers

        #[doc = #write_doc]
        #allow
        pub(super) fn #write(result: Result<#output, #error>) -> Reply {
            match result {
                #ok
                #(#errors)*
                Err(#error::Unhandled(status)) => Reply::status(PROTOCOL, &status),
            }
        }
    }
}

/// The HTTP status of a modeled error: its `@httpError`, else 400 for a
/// client fault and 500 for a server fault.
fn error_status(e: &Structure<'_>) -> u16 {
    let info = e.error.as_ref();
    info.and_then(|i| i.http_status)
        .unwrap_or(if info.is_some_and(|i| i.server_fault) {
            500
        } else {
            400
        })
}

/// The function that writes one modeled error as its reply.
fn error_writer(plan: &Plan<'_>, settings: CodecSettings, e: &Structure<'_>) -> TokenStream {
    let f = write_error_ident(e);
    let ty = paths::named(plan, e.id, Scope::Sibling);
    let status = error_status(e);
    // awsJson1_1 services name errors by shape name, the others by
    // absolute shape id (what Smithy's compliance cases expect of each).
    let code = match plan.protocol() {
        ProtocolKind::AwsJson1_1 => e.name.to_owned(),
        _ => e.id.to_string(),
    };
    let ser = codec::ser_expr(plan, settings, &Ty::Structure(e.id), quote!(error));
    let doc = format!(" Writes a `{}` error.", e.name);
    let allow = allow_deprecated(e.uses_deprecated);
    quote! {
        #[doc = #doc]
        #allow
        fn #f(error: &#ty) -> Reply {
            Reply::error(#status, #code, rt::to_body(&rt::error_document(#ser, #code)))
        }
    }
}
