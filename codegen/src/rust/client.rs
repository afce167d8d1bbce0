//! Emits the `Client` (one method per operation) and the `operation` module:
//! per operation a request builder with the input's setters and `send()`,
//! and for `@paginated` operations a paginator yielding pages or items as a
//! `futures_core::Stream`.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::FeatureSupport;
use super::docs::doc_attrs;
use super::names;
use super::paths::{self, Scope};
use super::plan::{AuthScheme, Member, MemberKind, Operation, Paginator, Plan, ProtocolKind, Ty};
use super::types::{allow_deprecated, deprecated};

/// The `client` module: the `Client` type.
pub fn client_module(plan: &Plan<'_>) -> TokenStream {
    let title = &plan.service().title;
    let doc = format!(
        " A client for {title}. Cloning is cheap: clones share the configuration and the connection pool."
    );
    let methods = plan.operations.iter().map(|op| {
        let (method, request) = (&op.method, &op.request);
        let docs = doc_attrs(&op.docs);
        let deprecated = deprecated(&op.deprecated);
        let unsigned = unsigned_doc(op);
        let body = match plan.input(op) {
            Some(input) if plan.request_is_input_builder(op) => {
                // The builder, not `Input::builder()`: an input may be deprecated.
                let builder = paths::builder(plan, input, Scope::Sibling);
                if super::types::wraps_input(plan, input) {
                    let input = names::ident(names::BUILDER_INPUT_FIELD);
                    let client = names::ident(names::BUILDER_CLIENT_FIELD);
                    quote!(#builder { #input: Default::default(), #client: self.clone() })
                } else {
                    quote!(#builder::with_client(self.clone()))
                }
            }
            input => {
                let input = input.map(|_| quote!(input: Default::default(),));
                quote! {
                    super::operation::#request {
                        client: self.clone(),
                        #input
                    }
                }
            }
        };
        quote! {
            #docs
            #unsigned
            #deprecated
            pub fn #method(&self) -> super::operation::#request {
                #body
            }
        }
    });
    let outbox = outbox_method(plan);
    quote! {
        #![doc = " The service client."]

        use std::sync::Arc;

        use tinsmith_runtime::Config;

        #[doc = #doc]
        ///
        /// Each operation has a method returning a request builder: set the
        /// input with its methods, then `send().await` it.
        #[derive(Debug, Clone)]
        pub struct Client {
            config: Arc<Config>,
        }

        impl Client {
            /// Creates a client with the given configuration.
            pub fn new(config: Config) -> Self {
                Client { config: Arc::new(config) }
            }

            /// The client's configuration.
            pub fn config(&self) -> &Config {
                &self.config
            }

            #outbox

            #(#methods)*
        }
    }
}

/// True when an outbox can store the operation's requests: nothing of it
/// streams (a streamed body or events cannot be stored and replayed, and
/// a streamed output has no one to read it).
fn enqueueable(plan: &Plan<'_>, op: &Operation<'_>) -> bool {
    plan.streaming_input(op).is_none() && plan.streaming_output(op).is_none()
}

/// True when the crate has outbox support: it is on, and some operation
/// can be stored.
pub fn has_outbox(plan: &Plan<'_>) -> bool {
    plan.outbox != FeatureSupport::Off
        && matches!(plan.subject, super::plan::Subject::Service(_))
        && plan.operations.iter().any(|op| enqueueable(plan, op))
}

/// `Client::outbox`, when outbox support is on and some operation can be
/// stored.
fn outbox_method(plan: &Plan<'_>) -> TokenStream {
    if !has_outbox(plan) {
        return TokenStream::new();
    }
    let cfg = plan.outbox.cfg("outbox");
    quote! {
        /// Opens (or creates) the durable outbox at `path`: requests
        /// enqueued there are committed to it (SQLite) before `enqueue`
        /// returns, and sent in the background in commit order through
        /// this client (its credentials, retries and circuit breaker), on
        /// the current tokio runtime. Records left by an earlier run are
        /// sent first.
        ///
        /// Operations that stream a body or events cannot be enqueued.
        /// See [`Outbox`](tinsmith_runtime::outbox::Outbox) for ordering
        /// keys, bounds, failed records and shutdown.
        ///
        /// Errors: [`OutboxError::Locked`](tinsmith_runtime::outbox::OutboxError::Locked)
        /// when another outbox has the file open,
        /// [`WrongService`](tinsmith_runtime::outbox::OutboxError::WrongService)
        /// when it holds another service's calls, and storage errors.
        #cfg
        pub async fn outbox(
            &self,
            path: impl AsRef<std::path::Path>,
            config: tinsmith_runtime::outbox::OutboxConfig,
        ) -> Result<tinsmith_runtime::outbox::Outbox, tinsmith_runtime::outbox::OutboxError> {
            tinsmith_runtime::outbox::Outbox::open(
                path,
                config,
                self.config.clone(),
                &super::operation::OUTBOX,
            )
            .await
        }
    }
}

/// The `operation` module: request builders and paginators.
pub fn operation_module(plan: &Plan<'_>) -> TokenStream {
    let common = common_auth(plan);
    let items = plan
        .operations
        .iter()
        .map(|op| request_builder(plan, op, common));
    let auth = common.map(|schemes| {
        let schemes = schemes.iter().map(auth_scheme);
        quote! {
            /// The auth schemes most operations accept, in the model's order.
            const AUTH: &[tinsmith_runtime::auth::AuthScheme] = &[#(#schemes),*];
        }
    });
    let outbox = outbox_service(plan);
    let service = plan.service().name;
    // A service without operations has no `INFO` to give these to.
    let info = (!plan.operations.is_empty()).then(|| {
        quote! {
            /// What the pipeline needs to know about an operation.
            type Info = pipeline::OperationInfo<'static>;

            /// The service's name, as each operation's [`Info`] gives it.
            const SERVICE: &str = #service;
        }
    });
    quote! {
        #![doc = " Request builders, one per operation, returned by the [`Client`](super::Client)'s methods; paginators for paginated operations."]

        use tinsmith_runtime::SdkError;
        use tinsmith_runtime::pipeline;

        #info

        #auth

        #(#items)*

        #outbox
    }
}

/// The operations an outbox sends, for `Client::outbox`: each with its
/// facts for the pipeline and its response reader, sorted by name.
fn outbox_service(plan: &Plan<'_>) -> TokenStream {
    if !has_outbox(plan) {
        return TokenStream::new();
    }
    let mut ops: Vec<&Operation<'_>> = plan
        .operations
        .iter()
        .filter(|op| enqueueable(plan, op))
        .collect();
    if ops.is_empty() {
        return TokenStream::new();
    }
    ops.sort_by_key(|op| op.name);
    let cfg = plan.outbox.cfg("outbox");
    let service = plan.service().name;
    let operations = ops.iter().map(|op| {
        let (request, de) = (&op.request, &op.fns.de);
        quote! {
            tinsmith_runtime::outbox::OutboxOperation {
                info: #request::INFO,
                read: |response| tinsmith_runtime::outbox::settle(super::protocol::#de(&response)),
            }
        }
    });
    quote! {
        /// The service's operations as an outbox sends them.
        #cfg
        pub(super) static OUTBOX: tinsmith_runtime::outbox::OutboxService =
            tinsmith_runtime::outbox::OutboxService {
                name: #service,
                operations: &[#(#operations),*],
            };
    }
}

/// `Enqueue` for a request builder an outbox can store: the request as
/// `send` would build it, not sent.
fn enqueue_impl(plan: &Plan<'_>, op: &Operation<'_>) -> TokenStream {
    if plan.outbox == FeatureSupport::Off || !enqueueable(plan, op) {
        return TokenStream::new();
    }
    let cfg = plan.outbox.cfg("outbox");
    let (name, error) = (&op.request, &op.error_enum);
    let allow = allow_deprecated(op.uses_deprecated);
    let prepare = prepare(plan, op);
    let ser = &op.fns.ser;
    let input_arg = input_arg(plan, op);
    quote! {
        #cfg
        #allow
        impl tinsmith_runtime::outbox::Enqueue for #name {
            type Error = super::error::#error;

            fn outbox_request(self) -> Result<tinsmith_runtime::outbox::OutboxRequest, SdkError<Self::Error>> {
                #prepare
                tinsmith_runtime::outbox::OutboxRequest::new(client.config(), info, |endpoint| super::protocol::#ser(#input_arg, endpoint))
            }
        }
    }
}

/// The auth schemes most operations accept, when at least two do: the
/// operation module names them once, as `AUTH`.
fn common_auth<'p>(plan: &'p Plan<'_>) -> Option<&'p [AuthScheme<'p>]> {
    // Services have one or a few distinct lists.
    let mut counts: Vec<(&[AuthScheme<'_>], usize)> = Vec::new();
    for op in plan.operations.iter().filter(|op| !op.auth.is_empty()) {
        match counts
            .iter_mut()
            .find(|(schemes, _)| *schemes == op.auth.as_slice())
        {
            Some((_, count)) => *count += 1,
            None => counts.push((&op.auth, 1)),
        }
    }
    let mut best: Option<(&[AuthScheme<'_>], usize)> = None;
    for (schemes, count) in counts {
        if count >= 2 && best.is_none_or(|(_, c)| count > c) {
            best = Some((schemes, count));
        }
    }
    best.map(|(schemes, _)| schemes)
}

fn request_builder(
    plan: &Plan<'_>,
    op: &Operation<'_>,
    common_auth: Option<&[AuthScheme<'_>]>,
) -> TokenStream {
    let name = &op.request;
    let input = plan.input(op);
    let allow = allow_deprecated(op.uses_deprecated);
    let send = send_methods(plan, op);
    let presign = presign_method(plan, op);
    let info = info_const(op, common_auth);
    let enqueue = enqueue_impl(plan, op);
    let paginator = op
        .paginator
        .as_ref()
        .map(|p| paginator(plan, op, p))
        .unwrap_or_default();
    let methods = quote! {
        #info

        #send

        #presign
    };
    if let Some(shape) = input.filter(|_| plan.request_is_input_builder(op)) {
        // The input's builder with the client in it: its setters are the
        // request's, written once.
        let builder = paths::builder(plan, shape, Scope::Sibling);
        let doc = format!(
            " A request to the `{}` operation: the input's builder, [`{1}`](super::types::{1}), with the client in it. Set the input with the builder's methods, then `send()` it.",
            op.name, shape.builder,
        );
        return quote! {
            #[doc = #doc]
            pub type #name = #builder<super::Client>;

            #allow
            impl #name {
                #methods
            }

            #enqueue

            #paginator
        };
    }
    let doc = if input.is_some_and(|s| !s.members.is_empty()) {
        format!(
            " A request to the `{}` operation: set its input with the methods below, then [`send`](Self::send) it.",
            op.name
        )
    } else {
        format!(
            " A request to the `{}` operation, ready to [`send`](Self::send).",
            op.name
        )
    };
    let (input_field, setters) = match input {
        Some(shape) => {
            let builder = paths::builder(plan, shape, Scope::Sibling);
            let setters = shape.members.iter().map(|m| setter(plan, m));
            (quote!(pub(super) input: #builder,), quote!(#(#setters)*))
        }
        None => (TokenStream::new(), TokenStream::new()),
    };
    // A streamed input body can be neither copied nor shared between attempts.
    let derive = if plan.streaming_input(op).is_some() {
        quote!(#[derive(Debug)])
    } else {
        quote!(#[derive(Debug, Clone)])
    };
    quote! {
        #[doc = #doc]
        #derive
        pub struct #name {
            pub(super) client: super::Client,
            #input_field
        }

        #allow
        impl #name {
            #setters

            #methods
        }

        #enqueue

        #paginator
    }
}

/// Statements that build the input (filling idempotency tokens) and the
/// operation's facts for the pipeline.
fn prepare(plan: &Plan<'_>, op: &Operation<'_>) -> TokenStream {
    let build = match plan.input(op) {
        None => quote!(let client = self.client;),
        Some(shape) => {
            let tokens: Vec<&Member<'_>> = shape
                .members
                .iter()
                .filter(|m| m.idempotency_token)
                .collect();
            let binding = if tokens.is_empty() && plan.streaming_input(op).is_none() {
                quote!(let input)
            } else {
                quote!(let mut input)
            };
            let fill = tokens.iter().map(|m| idempotency_token(plan, m));
            let comment = (!tokens.is_empty()).then(|| {
                quote!(
                    // One token per call: retries repeat it, so the service can deduplicate.
                )
            });
            let (client, built) = if plan.request_is_input_builder(op) {
                let field = names::ident(names::BUILDER_CLIENT_FIELD);
                (quote!(let client = self.#field.clone();), quote!(self))
            } else {
                (quote!(let client = self.client;), quote!(self.input))
            };
            let build = if shape.build_is_fallible() {
                quote!(#built.build().map_err(|e| SdkError::Construction(e.into()))?)
            } else {
                quote!(#built.build())
            };
            quote! {
                #client
                #binding = #build;
                #comment
                #(#fill)*
            }
        }
    };
    let resolve = super::endpoint::resolve_call(plan, op);
    let info = if resolve.is_empty() {
        quote!(Self::INFO)
    } else {
        quote!(Self::INFO.with_endpoint(&endpoint))
    };
    quote! {
        #build
        #resolve
        let info = #info;
    }
}

/// The request builder's `INFO`: the operation's facts for the pipeline,
/// which `send`, `presigned` and the outbox share.
fn info_const(op: &Operation<'_>, common_auth: Option<&[AuthScheme<'_>]>) -> TokenStream {
    let operation = op.name;
    let (idempotent, optional_auth) = (op.idempotent, op.optional_auth);
    let auth = if common_auth == Some(op.auth.as_slice()) {
        quote!(AUTH)
    } else {
        let schemes = op.auth.iter().map(auth_scheme);
        quote!(&[#(#schemes),*])
    };
    let idempotent = idempotent.then(|| quote!(.idempotent()));
    let optional_auth = optional_auth.then(|| quote!(.optional_auth()));
    let doc = format!(" What the pipeline needs to know about `{operation}`.");
    quote! {
        #[doc = #doc]
        const INFO: Info = Info::new(SERVICE, #operation, #auth) #idempotent #optional_auth;
    }
}

/// Fills an unset `@idempotencyToken` member (a string, or a string enum)
/// from the client's provider.
fn idempotency_token(plan: &Plan<'_>, m: &Member<'_>) -> TokenStream {
    let field = &m.field;
    let token = match &m.ty {
        Ty::Enum(_) => {
            let ty = paths::ty(plan, &m.ty, Scope::Sibling);
            quote!(#ty::from(client.config().idempotency_token().as_str()))
        }
        _ => quote!(client.config().idempotency_token()),
    };
    let unset = match &m.ty {
        Ty::Enum(_) => quote!(input.#field.as_str().is_empty()),
        _ => quote!(input.#field.is_empty()),
    };
    if m.optional {
        quote! {
            if input.#field.is_none() {
                input.#field = Some(#token);
            }
        }
    } else {
        quote! {
            if #unset {
                input.#field = #token;
            }
        }
    }
}

/// A doc note for an operation that only accepts schemes the runtime
/// cannot sign with: its calls fail before sending.
fn unsigned_doc(op: &Operation<'_>) -> TokenStream {
    let unsupported: Vec<String> = op
        .auth
        .iter()
        .filter_map(|s| match s {
            AuthScheme::Unsupported(id) => Some(format!("`{id}`")),
            _ => None,
        })
        .collect();
    if op.optional_auth || unsupported.is_empty() || unsupported.len() != op.auth.len() {
        return TokenStream::new();
    }
    let note = format!(
        " **Signing:** the model requires {}, which this client cannot sign with yet: a call \
         fails with `SdkError::Construction` before anything is sent, unless the configuration \
         allows unsigned requests (`ConfigBuilder::allow_unsigned`).",
        unsupported.join(" or ")
    );
    quote! {
        ///
        #[doc = #note]
    }
}

fn auth_scheme(scheme: &AuthScheme<'_>) -> TokenStream {
    match scheme {
        AuthScheme::Bearer => quote!(tinsmith_runtime::auth::AuthScheme::Bearer),
        AuthScheme::Basic => quote!(tinsmith_runtime::auth::AuthScheme::Basic),
        AuthScheme::Unsupported(id) => quote!(tinsmith_runtime::auth::AuthScheme::Unsupported(#id)),
        AuthScheme::SigV4 {
            name,
            unsigned_payload,
        } => quote!(tinsmith_runtime::auth::AuthScheme::SigV4 {
            name: #name,
            unsigned_payload: #unsigned_payload,
        }),
        AuthScheme::ApiKey {
            name,
            in_query,
            scheme,
        } => {
            let location = if *in_query {
                quote!(tinsmith_runtime::auth::ApiKeyLocation::Query)
            } else {
                quote!(tinsmith_runtime::auth::ApiKeyLocation::Header)
            };
            let scheme = match scheme {
                Some(s) => quote!(Some(#s)),
                None => quote!(None),
            };
            quote!(tinsmith_runtime::auth::AuthScheme::ApiKey {
                name: #name,
                location: #location,
                scheme: #scheme,
            })
        }
    }
}

/// How `send` and `presigned` pass the input to the serializer: mutably
/// when it streams a body (the body is taken), by reference otherwise.
fn input_arg(plan: &Plan<'_>, op: &Operation<'_>) -> TokenStream {
    if plan.streaming_input(op).is_some() {
        quote!(&mut input)
    } else if op.input.is_some() {
        quote!(&input)
    } else {
        quote!(&())
    }
}

/// `presigned`, for operations a user may hand to another program as a
/// signed URL (S3's `GetObject` and `PutObject`, ...).
fn presign_method(plan: &Plan<'_>, op: &Operation<'_>) -> TokenStream {
    if !op.presignable {
        return TokenStream::new();
    }
    let error = &op.error_enum;
    let prepare = prepare(plan, op);
    let ser = &op.fns.ser;
    let input_arg = input_arg(plan, op);
    quote! {
        /// Signs this request to be sent later, by anyone, without
        /// credentials: the method, URL (with the SigV4 signature in its
        /// query string) and headers, valid for `expires_in` (at most seven
        /// days). Nothing is sent. A body set here is not part of the
        /// request; whoever sends it brings their own.
        pub async fn presigned(
            self,
            expires_in: std::time::Duration,
        ) -> Result<tinsmith_runtime::aws::sigv4::PresignedRequest, SdkError<super::error::#error>> {
            #prepare
            pipeline::presign(client.config(), info, expires_in, |endpoint| {
                super::protocol::#ser(#input_arg, endpoint)
            })
            .await
        }
    }
}

/// `send` (and `send_with` for streaming outputs): how the call is made
/// depends on whether the output is read whole, streams a body, or
/// streams events.
fn send_methods(plan: &Plan<'_>, op: &Operation<'_>) -> TokenStream {
    let output = paths::io(plan, op.output);
    let error = &op.error_enum;
    let prepare = prepare(plan, op);
    let (ser, de, error_fn) = (&op.fns.ser, &op.fns.de, &op.fns.error);
    let input_arg = input_arg(plan, op);
    let Some(body) = plan.streaming_output(op) else {
        return quote! {
            /// Sends the request and waits for the response.
            pub async fn send(self) -> Result<#output, SdkError<super::error::#error>> {
                #prepare
                pipeline::invoke(
                    client.config(),
                    info,
                    |endpoint| super::protocol::#ser(#input_arg, endpoint),
                    |response| super::protocol::#de(&response),
                )
                .await
            }
        };
    };
    // The output comes back with its body (or event stream) still
    // streaming; errors are read whole. A JSON-RPC answer streams only
    // when it says so: any other is a response object.
    let streaming_call = if plan.protocol() == ProtocolKind::JsonRpc2 {
        quote! {
            pipeline::invoke_streaming_when(
                client.config(),
                info,
                |endpoint| super::protocol::#ser(#input_arg, endpoint),
                tinsmith_runtime::json::json_rpc_streams,
                super::protocol::#de,
                |response| Err(super::protocol::#error_fn(&response)),
            )
            .await
        }
    } else {
        quote! {
        pipeline::invoke_streaming(
            client.config(),
            info,
            |endpoint| super::protocol::#ser(#input_arg, endpoint),
            super::protocol::#de,
            |response| super::protocol::#error_fn(&response),
        )
        .await
        }
    };
    let field = &body.field;
    let field_name = names::plain(field);
    if let MemberKind::Events { .. } = body.kind {
        let call = if plan.protocol().initial_messages() {
            let finish = &op.fns.finish;
            quote! {
                let output = #streaming_call?;
                super::protocol::#finish(output).await.map_err(|e| {
                    SdkError::Response(tinsmith_runtime::error::ResponseError::new(
                        format!("the initial-response event: {e}"),
                        Default::default(),
                    ))
                })
            }
        } else {
            streaming_call
        };
        let send_doc = format!(
            " Sends the request and returns the output as soon as the response head arrives; \
             its `{field_name}` then yields the events as they come."
        );
        return quote! {
            #[doc = #send_doc]
            ///
            /// Each item is a `Result`: a fault (the connection lost, a
            /// damaged or undecodable message, an error the service sent)
            /// arrives as an
            /// [`Err(StreamError)`](tinsmith_runtime::eventstream::StreamError)
            /// saying which, and the stream ends after it. Dropping the
            /// stream closes its connection.
            pub async fn send(self) -> Result<#output, SdkError<super::error::#error>> {
                #prepare
                #call
            }

            /// Sends the request and lends the output to `f` while its
            /// events stream; returns what `f` returns. When `f` ends —
            /// its future completes, returns an error, panics, or is
            /// dropped — the connection is released, even if the stream
            /// was moved out of the output.
            ///
            /// The one `Result` says which failed:
            /// [`SendWithError::Call`](tinsmith_runtime::error::SendWithError::Call)
            /// when the call did (`f` never ran),
            /// [`SendWithError::Closure`](tinsmith_runtime::error::SendWithError::Closure)
            /// with `f`'s own error otherwise.
            pub async fn send_with<T, X>(
                self,
                f: impl std::ops::AsyncFnOnce(&mut #output) -> Result<T, X>,
            ) -> Result<T, tinsmith_runtime::error::SendWithError<super::error::#error, X>> {
                let output = self.send().await.map_err(tinsmith_runtime::error::SendWithError::Call)?;
                pipeline::scoped(output, |output| output.#field.body_mut(), f)
                    .await
                    .map_err(tinsmith_runtime::error::SendWithError::Closure)
            }
        };
    }
    let send_doc = format!(
        " Sends the request and returns the output as soon as the response head arrives, \
         its `{field_name}` still streaming."
    );
    quote! {
        /// Sends the request and lends the output to `f` while its
        /// body streams; returns what `f` returns.
        ///
        /// When `f` ends — its future completes, returns an error,
        /// panics, or is dropped — the body is released: its
        /// connection goes back to the pool if the body was read to
        /// its end, and is closed otherwise. The body cannot outlive
        /// `f`: it is lent by reference, and even a body moved out
        /// of the output stops reading (with a
        /// [`Released`](tinsmith_runtime::bytestream::ByteStreamErrorKind::Released)
        /// error) when `f` ends. A panic in `f` resumes after the
        /// release.
        ///
        /// The one `Result` says which failed:
        /// [`SendWithError::Call`](tinsmith_runtime::error::SendWithError::Call)
        /// when the call did (`f` never ran),
        /// [`SendWithError::Closure`](tinsmith_runtime::error::SendWithError::Closure)
        /// with `f`'s own error otherwise (such as a
        /// [`ByteStreamError`](tinsmith_runtime::ByteStreamError) reading the body).
        pub async fn send_with<T, X>(
            self,
            f: impl std::ops::AsyncFnOnce(&mut #output) -> Result<T, X>,
        ) -> Result<T, tinsmith_runtime::error::SendWithError<super::error::#error, X>> {
            let output = self.send().await.map_err(tinsmith_runtime::error::SendWithError::Call)?;
            pipeline::scoped(output, |output| &mut output.#field, f)
                .await
                .map_err(tinsmith_runtime::error::SendWithError::Closure)
        }

        #[doc = #send_doc]
        ///
        /// The body holds a connection until it is read to its end
        /// or dropped, so read it or drop it. Prefer
        /// [`send_with`](Self::send_with), which releases it for you.
        pub async fn send(self) -> Result<#output, SdkError<super::error::#error>> {
            #prepare
            #streaming_call
        }
    }
}

/// The request builder's setter for an input member: it forwards to the
/// input builder's setter of the same name, and takes what that one takes.
fn setter(plan: &Plan<'_>, member: &Member<'_>) -> TokenStream {
    let setter = &member.setter;
    let appender = appender(plan, member);
    let docs = doc_attrs(&member.docs);
    let deprecated = deprecated(&member.deprecated);
    let (param, more_docs) = match &member.kind {
        MemberKind::Events { union, .. } => {
            let event = paths::named(plan, union, Scope::Sibling);
            (
                quote!(impl tinsmith_runtime::eventstream::IntoEventInput<#event>),
                quote! {
                    ///
                    /// Any `Stream` of events will do; the request body ends when
                    /// the stream does. For push-style producers,
                    /// `tinsmith_runtime::eventstream::EventInput::channel` gives a
                    /// bounded sender (with backpressure) and an `EventInput` to pass
                    /// here.
                },
            )
        }
        _ => {
            let value = paths::value(plan, member, Scope::Sibling);
            (
                quote!(impl tinsmith_runtime::IntoMember<#value>),
                TokenStream::new(),
            )
        }
    };
    quote! {
        #docs
        #more_docs
        #deprecated
        pub fn #setter(mut self, input: #param) -> Self {
            self.input = self.input.#setter(input);
            self
        }

        #appender
    }
}

/// The request builder's appender of a list or map member, forwarding to
/// the input builder's.
fn appender(plan: &Plan<'_>, member: &Member<'_>) -> TokenStream {
    let Some(appender) = &member.appender else {
        return TokenStream::new();
    };
    let deprecated = deprecated(&member.deprecated);
    // The parameter type of an item or map value, `Option`al when sparse.
    let param = |ty: &Ty<'_>, sparse: bool| {
        let rust = paths::ty(plan, ty, Scope::Sibling);
        if sparse {
            quote!(impl Into<Option<#rust>>)
        } else {
            paths::param(ty, &rust)
        }
    };
    let name = member.name;
    match &member.ty {
        Ty::List { item, sparse, .. } => {
            let item = param(item, *sparse);
            let doc = format!(" Appends one item to `{name}`.");
            quote! {
                #[doc = #doc]
                #deprecated
                pub fn #appender(mut self, item: #item) -> Self {
                    self.input = self.input.#appender(item);
                    self
                }
            }
        }
        Ty::Map {
            key, value, sparse, ..
        } => {
            let key = paths::ty(plan, key, Scope::Sibling);
            let value = param(value, *sparse);
            let doc = format!(" Adds one entry to `{name}` (replacing the key's value, if any).");
            quote! {
                #[doc = #doc]
                #deprecated
                pub fn #appender(mut self, key: impl Into<#key>, value: #value) -> Self {
                    self.input = self.input.#appender(key, value);
                    self
                }
            }
        }
        _ => TokenStream::new(),
    }
}

/// The continuation token at `steps` of a borrowed `page`, cloned, as an
/// `Option`: `page.a.as_ref().and_then(|v| v.token.clone())` and the like.
/// An empty string, blob, list or map is no token (spec: "Behavior
/// traits", `paginated`, client behavior step 2).
fn token_expr(p: &Paginator<'_>) -> TokenStream {
    let steps = &p.output_token;
    // Optional only at the end: `page.a.b.clone()`.
    let token = if let [path @ .., (last, true)] = steps.as_slice()
        && path.iter().all(|(_, optional)| !optional)
    {
        let path = path.iter().map(|(field, _)| field);
        if p.token_boxed {
            quote!(page #(.#path)* .#last.as_deref().cloned())
        } else if p.token.is_copy() {
            quote!(page #(.#path)* .#last)
        } else {
            quote!(page #(.#path)* .#last.clone())
        }
    } else {
        let mut token = quote!(page);
        let mut optional = false;
        for (field, member_optional) in steps {
            token = match (optional, *member_optional) {
                (false, false) => quote!(#token.#field),
                (false, true) => quote!(#token.#field.as_ref()),
                (true, false) => quote!(#token.map(|v| &v.#field)),
                (true, true) => quote!(#token.and_then(|v| v.#field.as_ref())),
            };
            optional |= *member_optional;
        }
        match (optional, p.token_boxed) {
            (true, false) if p.token.is_copy() => quote!(#token.copied()),
            (true, false) => quote!(#token.cloned()),
            (true, true) => quote!(#token.map(|t| (**t).clone())),
            (false, false) if p.token.is_copy() => quote!(Some(#token)),
            (false, false) => quote!(Some(#token.clone())),
            (false, true) => quote!(Some((*#token).clone())),
        }
    };
    if p.token.has_empty_value() {
        quote!(#token.filter(|token| !token.is_empty()))
    } else {
        token
    }
}

/// The items at `steps` of an owned `page`, as a `Vec` (empty when absent).
fn items_expr(steps: &[(Ident, bool)]) -> TokenStream {
    let mut expr = quote!(page);
    let mut optional = false;
    for (field, member_optional) in steps {
        expr = match (optional, *member_optional) {
            (false, _) => quote!(#expr.#field),
            (true, false) => quote!(#expr.map(|v| v.#field)),
            (true, true) => quote!(#expr.and_then(|v| v.#field)),
        };
        optional |= *member_optional;
    }
    if optional {
        quote!(#expr.unwrap_or_default())
    } else {
        expr
    }
}

fn paginator(plan: &Plan<'_>, op: &Operation<'_>, p: &Paginator<'_>) -> TokenStream {
    let request = &op.request;
    let name = &p.ident;
    let output_ty = paths::io(plan, op.output);
    let error = &op.error_enum;
    let token_setter = &p.input_token;
    let token = token_expr(p);
    let token_ty = paths::ty(plan, &p.token, Scope::Sibling);
    let items_fn = p.items.as_ref().map(|items| {
        let item_ty = paths::item(plan, &items.collection, Scope::Sibling);
        let expr = items_expr(&items.fields);
        let (what, collect) = match &items.collection {
            Ty::Map { .. } => (
                "entry, as a `(key, value)` pair in the map's order,",
                quote!(#expr.into_iter().collect()),
            ),
            _ => ("item", expr),
        };
        let doc = format!(" Every {what} (`{}`) of every page, in order.", items.path);
        quote! {
            #[doc = #doc]
            pub fn items(self) -> tinsmith_runtime::Paginated<#item_ty, super::error::#error> {
                self.pages().items(|page: #output_ty| #collect)
            }
        }
    });
    let doc = format!(
        " Pages of the `{}` operation, fetched one request at a time as the stream is polled.",
        op.name
    );
    let allow = allow_deprecated(
        op.uses_deprecated
            || plan.is_deprecated(&p.token)
            || p.items
                .as_ref()
                .is_some_and(|i| plan.is_deprecated(&i.collection)),
    );
    quote! {
        #allow
        impl #request {
            /// Turns the request into a paginator: a stream of pages (or
            /// items) that follows the continuation token.
            pub fn into_paginator(self) -> #name {
                #name { request: self }
            }
        }

        #[doc = #doc]
        #[derive(Debug, Clone)]
        pub struct #name {
            request: #request,
        }

        #allow
        impl #name {
            /// Every page, in order; the stream ends after the last page or the first error.
            pub fn pages(self) -> tinsmith_runtime::Paginated<#output_ty, super::error::#error> {
                tinsmith_runtime::Paginated::pages(
                    self.request,
                    #request::send,
                    |page: &#output_ty| #token,
                    |request: #request, token: #token_ty| request.#token_setter(token),
                )
            }

            #items_fn
        }
    }
}
