//! Emits the `Client` (one method per operation) and the `operation` module:
//! per operation a request builder with the input's setters and `send()`,
//! and for `@paginated` operations a paginator yielding pages or items as a
//! `futures_core::Stream`.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::context::Context;
use super::errors;
use super::names;
use super::protocol::{self, io_type, is_unit};
use crate::model::{Member, Node, Shape, ShapeType};

/// The request builder type of an operation (in `operation`).
pub fn request_ident(op: &Shape) -> Ident {
    names::type_name(op.id.name())
}

/// The client method of an operation.
pub fn method_ident(op: &Shape) -> Ident {
    let name = names::field_name(op.id.name());
    match name.to_string().as_str() {
        "new" | "config" | "clone" => format_ident!("{}_operation", name),
        _ => name,
    }
}

/// The `client` module: the `Client` type.
pub fn client_module(cx: &Context<'_>) -> TokenStream {
    let title = super::crate_files::service_title(cx);
    let doc = format!(
        " A client for {title}. Cloning is cheap: clones share the configuration and the connection pool."
    );
    let methods = cx.operations().into_iter().map(|op| {
        let method = method_ident(op);
        let request = request_ident(op);
        let docs = cx.shape_docs(op);
        let deprecated = cx.deprecated(&op.traits);
        let input = op
            .as_operation()
            .filter(|p| !is_unit(&p.input))
            .map(|_| quote!(input: Default::default(),));
        quote! {
            #docs
            #deprecated
            pub fn #method(&self) -> super::operation::#request {
                super::operation::#request {
                    client: self.clone(),
                    #input
                }
            }
        }
    });
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

            #(#methods)*
        }
    }
}

/// The `operation` module: request builders and paginators.
pub fn operation_module(cx: &Context<'_>, protocol: &dyn protocol::Protocol) -> TokenStream {
    let items = cx
        .operations()
        .into_iter()
        .map(|op| request_builder(cx, protocol, op));
    quote! {
        #![doc = " Request builders, one per operation, returned by the [`Client`](super::Client)'s methods; paginators for paginated operations."]

        use tinsmith_runtime::SdkError;
        use tinsmith_runtime::pipeline::{self, OperationInfo};

        #(#items)*
    }
}

fn request_builder(cx: &Context<'_>, protocol: &dyn protocol::Protocol, op: &Shape) -> TokenStream {
    let Some(props) = op.as_operation() else {
        return TokenStream::new();
    };
    let name = request_ident(op);
    let op_name = op.id.name();
    let service_name = cx.service.id.name();
    let output = io_type(cx, &props.output);
    let error = errors::error_ident(&op.id);
    let ser = protocol::request_fn(&op.id);
    let de = protocol::response_fn(&op.id);
    let input_shape = (!is_unit(&props.input))
        .then(|| cx.model.shape(&props.input))
        .flatten();
    let streaming_in = protocol::streaming_input(cx, op);
    let streaming_out = protocol::streaming_output(cx, op);
    let token_members: Vec<&Member> = input_shape
        .map(|s| {
            s.members
                .values()
                .filter(|m| {
                    m.traits
                        .keys()
                        .any(|k| k.as_str() == "smithy.api#idempotencyToken")
                })
                .collect()
        })
        .unwrap_or_default();
    // Safe to send twice: read-only, idempotent, or made so by a token.
    let idempotent = op.has_trait("smithy.api#readonly")
        || op.has_trait("smithy.api#idempotent")
        || !token_members.is_empty();
    let fill_tokens = token_members.iter().map(|m| {
        let field = names::field_name(m.name());
        match input_shape {
            Some(shape) if cx.is_optional(shape, m) => quote! {
                if input.#field.is_none() {
                    input.#field = Some(self.client.config().idempotency_token());
                }
            },
            _ => quote! {
                if input.#field.is_empty() {
                    input.#field = self.client.config().idempotency_token();
                }
            },
        }
    });
    let doc = if input_shape.is_some_and(|s| !s.members.is_empty()) {
        format!(
            " A request to the `{op_name}` operation: set its input with the methods below, then [`send`](Self::send) it."
        )
    } else {
        format!(" A request to the `{op_name}` operation, ready to [`send`](Self::send).")
    };
    let allow = protocol::allow_deprecated_io(cx, op);
    let (input_field, setters, build) = match input_shape {
        Some(shape) => {
            let builder = cx.builder_ident(&shape.id);
            let setters = shape.members.values().map(|m| setter(cx, m));
            let build = if token_members.is_empty() && streaming_in.is_none() {
                quote!(let input = self.input.build().map_err(|e| SdkError::Construction(e.into()))?;)
            } else if token_members.is_empty() {
                quote!(let mut input = self.input.build().map_err(|e| SdkError::Construction(e.into()))?;)
            } else {
                quote! {
                    let mut input = self.input.build().map_err(|e| SdkError::Construction(e.into()))?;
                    // One token per call: retries repeat it, so the service can deduplicate.
                    #(#fill_tokens)*
                }
            };
            (
                quote!(pub(super) input: super::types::#builder,),
                quote!(#(#setters)*),
                build,
            )
        }
        None => (quote!(), quote!(), quote!(let input = ();)),
    };
    let paginator = paginator(cx, op, &name);
    let auth_schemes = auth_schemes(cx, op);
    let optional_auth = op.has_trait("smithy.api#optionalAuth");
    // A streamed input body can be neither copied nor shared between attempts.
    let (derive, input_arg) = if streaming_in.is_some() {
        (quote!(#[derive(Debug)]), quote!(&mut input))
    } else {
        (quote!(#[derive(Debug, Clone)]), quote!(&input))
    };
    let info = quote! {
        let info = OperationInfo {
            service: #service_name,
            operation: #op_name,
            idempotent: #idempotent,
            auth: &[#(#auth_schemes),*],
            optional_auth: #optional_auth,
        };
    };
    // The call of streaming operations: the output comes back with its
    // body (or event stream) still streaming; errors are read whole.
    let error_fn = protocol::error_fn(&op.id);
    let streaming_call = quote! {
        pipeline::invoke_streaming(
            self.client.config(),
            info,
            |endpoint| super::protocol::#ser(#input_arg, endpoint),
            super::protocol::#de,
            |response| super::protocol::#error_fn(&response),
        )
        .await
    };
    let send = match streaming_out {
        None => quote! {
            /// Sends the request and waits for the response.
            pub async fn send(self) -> Result<#output, SdkError<super::error::#error>> {
                #build
                #info
                pipeline::invoke(
                    self.client.config(),
                    info,
                    |endpoint| super::protocol::#ser(#input_arg, endpoint),
                    |response| super::protocol::#de(&response),
                )
                .await
            }
        },
        Some(body) if cx.event_stream(body).is_some() => {
            let field = names::field_name(body.name());
            let call = match protocol.initial_response(cx, op) {
                Some(_) => {
                    let finish = protocol::finish_fn(&op.id);
                    quote! {
                        let output = #streaming_call?;
                        super::protocol::#finish(output).await.map_err(|e| {
                            SdkError::Response(tinsmith_runtime::error::ResponseError::new(
                                format!("the initial-response event: {e}"),
                                Default::default(),
                            ))
                        })
                    }
                }
                None => streaming_call,
            };
            let send_doc = format!(
                " Sends the request and returns the output as soon as the response head arrives; \
                 its `{field}` then yields the events as they come."
            );
            quote! {
                #[doc = #send_doc]
                ///
                /// Each item is a `Result`: a fault (the connection lost, a
                /// damaged or undecodable message, an error the service sent)
                /// arrives as an
                /// [`Err(StreamError)`](tinsmith_runtime::eventstream::StreamError)
                /// saying which, and the stream ends after it. Dropping the
                /// stream closes its connection.
                pub async fn send(self) -> Result<#output, SdkError<super::error::#error>> {
                    #build
                    #info
                    #call
                }

                /// Sends the request and lends the output to `f` while its
                /// events stream; returns what `f` returns. When `f` ends —
                /// its future completes, returns an error, panics, or is
                /// dropped — the connection is released, even if the stream
                /// was moved out of the output.
                pub async fn send_with<R>(
                    self,
                    f: impl AsyncFnOnce(&mut #output) -> R,
                ) -> Result<R, SdkError<super::error::#error>> {
                    let output = self.send().await?;
                    Ok(pipeline::scoped(output, |output| output.#field.body_mut(), f).await)
                }
            }
        }
        Some(body) => {
            let field = names::field_name(body.name());
            let send_doc = format!(
                " Sends the request and returns the output as soon as the response head arrives, \
                 its `{field}` still streaming."
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
                pub async fn send_with<R>(
                    self,
                    f: impl AsyncFnOnce(&mut #output) -> R,
                ) -> Result<R, SdkError<super::error::#error>> {
                    let output = self.send().await?;
                    Ok(pipeline::scoped(output, |output| &mut output.#field, f).await)
                }

                #[doc = #send_doc]
                ///
                /// The body holds a connection until it is read to its end
                /// or dropped, so read it or drop it. Prefer
                /// [`send_with`](Self::send_with), which releases it for you.
                pub async fn send(self) -> Result<#output, SdkError<super::error::#error>> {
                    #build
                    #info
                    #streaming_call
                }
            }
        }
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

            #send
        }

        #paginator
    }
}

fn setter(cx: &Context<'_>, member: &Member) -> TokenStream {
    let setter = names::setter_name(member.name());
    let option_setter = names::option_setter_name(member.name());
    let docs = cx.member_docs(member);
    let deprecated = cx.deprecated(&member.traits);
    let ty = cx.member_type(member);
    let (param, more_docs, option_doc) = match cx.event_stream(member) {
        Some(union) => {
            let event = cx.rust_type(&union.id);
            (
                quote!(impl tinsmith_runtime::eventstream::Stream<Item = #event> + Send + 'static),
                quote! {
                    ///
                    /// Any `Stream` of events will do; the request body ends when
                    /// the stream does. For push-style producers,
                    /// `tinsmith_runtime::eventstream::EventInput::channel` gives a
                    /// bounded sender (with backpressure) and a stream to pass here.
                },
                format!(
                    " Sets or clears `{}` as an [`EventInput`](tinsmith_runtime::eventstream::EventInput) \
                     (for example the receiving end of `EventInput::channel`).",
                    member.name()
                ),
            )
        }
        None => {
            let value_ty = if cx.boxed_member(member) {
                cx.rust_type(&member.target)
            } else {
                ty.clone()
            };
            (
                quote!(impl Into<#value_ty>),
                TokenStream::new(),
                format!(" Sets or clears `{}`.", member.name()),
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

        #[doc = #option_doc]
        #deprecated
        pub fn #option_setter(mut self, input: Option<#ty>) -> Self {
            self.input = self.input.#option_setter(input);
            self
        }
    }
}

/// The operation's `@paginated` trait, completed from the service's.
fn paginated<'m>(cx: &Context<'m>, op: &'m Shape) -> Option<[Option<&'m str>; 3]> {
    let own = op.trait_value("smithy.api#paginated")?;
    let service = cx.service.trait_value("smithy.api#paginated");
    let get = |k: &str| {
        own.get(k)
            .or_else(|| service.and_then(|s| s.get(k)))
            .and_then(Node::as_str)
    };
    Some([get("inputToken"), get("outputToken"), get("items")])
}

/// Walks a `.`-separated member path from a structure, returning each step's
/// member and whether it is optional.
fn walk<'m>(cx: &Context<'m>, from: &'m Shape, path: &str) -> Option<Vec<(&'m Member, bool)>> {
    let mut shape = from;
    let mut steps = Vec::new();
    for (i, name) in path.split('.').enumerate() {
        if i > 0 {
            shape = cx.model.shape(
                &steps
                    .last()
                    .map(|(m, _): &(&Member, bool)| m.target.clone())?,
            )?;
        }
        let member = shape.members.get(name)?;
        steps.push((member, cx.is_optional(shape, member)));
    }
    Some(steps)
}

fn paginator(cx: &Context<'_>, op: &Shape, request: &Ident) -> TokenStream {
    let (Some([Some(input_token), Some(output_token), items]), Some(props)) =
        (paginated(cx, op), op.as_operation())
    else {
        return TokenStream::new();
    };
    let (Some(input), Some(output)) = (cx.model.shape(&props.input), cx.model.shape(&props.output))
    else {
        return TokenStream::new();
    };
    let Some(token_member) = input.members.get(input_token) else {
        return TokenStream::new();
    };
    let Some(token_steps) = walk(cx, output, output_token) else {
        return TokenStream::new();
    };
    let is_string = |m: &Member| {
        cx.model.shape(&m.target).is_some_and(|t| {
            t.ty == ShapeType::String && t.trait_value("smithy.api#enum").is_none()
        })
    };
    if !is_string(token_member) || !token_steps.last().is_some_and(|(m, _)| is_string(m)) {
        return TokenStream::new();
    }
    let name = format_ident!("{}Paginator", request);
    let output_ty = cx.rust_type(&output.id);
    let error = errors::error_ident(&op.id);
    let token_setter = names::setter_name(token_member.name());

    // `page.a.as_ref().and_then(|v| v.token.as_deref())`-style borrow of the token.
    let mut token = quote!(page);
    let mut optional = false;
    for (member, member_optional) in &token_steps {
        let field = names::field_name(member.name());
        token = match (optional, *member_optional) {
            (false, false) => quote!(#token.#field),
            (false, true) => quote!(#token.#field.as_ref()),
            (true, false) => quote!(#token.map(|v| &v.#field)),
            (true, true) => quote!(#token.and_then(|v| v.#field.as_ref())),
        };
        optional |= *member_optional;
    }
    let token = if let [(member, true)] = token_steps.as_slice() {
        let field = names::field_name(member.name());
        quote!(page.#field.as_deref())
    } else if optional {
        quote!(#token.map(String::as_str))
    } else {
        quote!(Some(#token.as_str()))
    };

    let items_fn = items
        .and_then(|path| walk(cx, output, path))
        .and_then(|steps| {
            let last = steps.last()?.0;
            let list = cx
                .model
                .shape(&last.target)
                .filter(|t| t.ty == ShapeType::List)?;
            let item_member = list.members.get("member")?;
            if list.has_trait("smithy.api#sparse") {
                return None;
            }
            let item_ty = cx.rust_type(&item_member.target);
            let mut expr = quote!(page);
            let mut optional = false;
            for (member, member_optional) in &steps {
                let field = names::field_name(member.name());
                expr = match (optional, *member_optional) {
                    (false, _) => quote!(#expr.#field),
                    (true, false) => quote!(#expr.map(|v| v.#field)),
                    (true, true) => quote!(#expr.and_then(|v| v.#field)),
                };
                optional |= *member_optional;
            }
            let expr = if optional {
                quote!(#expr.unwrap_or_default())
            } else {
                expr
            };
            let doc = format!(
                " Every item (`{}`) of every page, in order.",
                items.unwrap_or_default()
            );
            Some(quote! {
                #[doc = #doc]
                pub fn items(self) -> tinsmith_runtime::Paginated<#item_ty, super::error::#error> {
                    self.pages().items(|page: #output_ty| #expr)
                }
            })
        });
    let doc = format!(
        " Pages of the `{}` operation, fetched one request at a time as the stream is polled.",
        op.id.name()
    );
    quote! {
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

        impl #name {
            /// Every page, in order; the stream ends after the last page or the first error.
            pub fn pages(self) -> tinsmith_runtime::Paginated<#output_ty, super::error::#error> {
                tinsmith_runtime::Paginated::pages(
                    self.request,
                    #request::send,
                    |page: &#output_ty| #token,
                    |request: #request, token: String| request.#token_setter(token),
                )
            }

            #items_fn
        }
    }
}

/// The auth schemes an operation accepts, in order: the operation's
/// `@auth`, else the service's `@auth`, else every scheme the service
/// declares (sorted by id). Schemes the runtime cannot sign (e.g. SigV4) are
/// left out.
fn auth_schemes(cx: &Context<'_>, op: &Shape) -> Vec<TokenStream> {
    let declared = cx.service_traits_defined_by("smithy.api#authDefinition");
    let listed = |shape: &Shape| -> Option<Vec<String>> {
        shape
            .trait_value("smithy.api#auth")
            .and_then(Node::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(Node::as_str)
                    .map(str::to_owned)
                    .collect()
            })
    };
    let mut order = listed(op)
        .or_else(|| listed(cx.service))
        .unwrap_or_else(|| {
            let mut all = declared.clone();
            all.sort();
            all
        });
    order.retain(|id| declared.contains(id));
    order
        .iter()
        .filter_map(|id| {
            let value = cx.service.trait_value(id);
            match id.as_str() {
                "smithy.api#httpBearerAuth" => {
                    Some(quote!(tinsmith_runtime::auth::AuthScheme::Bearer))
                }
                "smithy.api#httpBasicAuth" => {
                    Some(quote!(tinsmith_runtime::auth::AuthScheme::Basic))
                }
                "smithy.api#httpApiKeyAuth" => {
                    let get = |k: &str| value.and_then(|v| v.get(k)).and_then(Node::as_str);
                    let name = get("name").unwrap_or("x-api-key");
                    let location = if get("in") == Some("query") {
                        quote!(tinsmith_runtime::auth::ApiKeyLocation::Query)
                    } else {
                        quote!(tinsmith_runtime::auth::ApiKeyLocation::Header)
                    };
                    let scheme = match get("scheme") {
                        Some(s) => quote!(Some(#s)),
                        None => quote!(None),
                    };
                    Some(quote!(tinsmith_runtime::auth::AuthScheme::ApiKey {
                        name: #name,
                        location: #location,
                        scheme: #scheme,
                    }))
                }
                _ => None,
            }
        })
        .collect()
}
