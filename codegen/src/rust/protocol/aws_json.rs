//! `aws.protocols#awsJson1_0` and `awsJson1_1`: every operation is a `POST /`
//! naming the operation in `X-Amz-Target` (`Service.Operation`), with the
//! whole input as a JSON body (member names as keys, no `@jsonName`) and the
//! whole output or error as the response body. The two versions differ only
//! in their content type.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::codec::{self, CodecSettings};
use super::super::event_stream::{self, EventSettings};
use super::super::paths;
use super::super::plan::{MemberKind, Operation, Plan, Structure, Ty};
use super::{Protocol, Reader};

/// One of the two awsJson versions.
pub enum AwsJson {
    /// `aws.protocols#awsJson1_0`.
    V1_0,
    /// `aws.protocols#awsJson1_1`.
    V1_1,
}

const SETTINGS: CodecSettings = CodecSettings {
    module: "json",
    use_json_name: false,
    qualified: true,
};

impl AwsJson {
    fn content_type(&self) -> &'static str {
        match self {
            AwsJson::V1_0 => "application/x-amz-json-1.0",
            AwsJson::V1_1 => "application/x-amz-json-1.1",
        }
    }
}

/// The codec constant of an event-stream member.
fn codec_const<'p>(plan: &'p Plan<'_>, kind: &MemberKind<'_>) -> Option<&'p proc_macro2::Ident> {
    match kind {
        MemberKind::Events { union, .. } => Some(plan.event_codec(union)),
        _ => None,
    }
}

impl Protocol for AwsJson {
    fn request(&self, plan: &Plan<'_>, op: &Operation<'_>) -> TokenStream {
        let input_ty = paths::io(plan, op.input);
        let target = format!("{}.{}", plan.service().name, op.name);
        let content_type = self.content_type();
        let (input, body) = match op.input {
            None => (quote!(_input), quote!(rt::object(rt::Map::new()))),
            Some(id) => (
                quote!(input),
                codec::ser_expr(plan, SETTINGS, &Ty::Structure(id), quote!(input)),
            ),
        };
        // An input event stream is the whole body; the other input members
        // go first, as its `initial-request` event.
        let stream = plan
            .streaming_input(op)
            .and_then(|m| Some((&m.field, codec_const(plan, &m.kind)?)));
        let (input_ref, body) = match stream {
            Some((field, codec)) => (
                quote!(&mut #input_ty),
                quote! {
                    let initial = tinsmith_runtime::eventstream::wire::event(
                        "initial-request",
                        Some(#content_type),
                        rt::to_body(&#body),
                    );
                    let events = input.#field.take_body(#codec, Some(initial));
                    parts.streaming_body(tinsmith_runtime::eventstream::CONTENT_TYPE, events, binding::BodyLength::Any)?;
                },
            ),
            None => (
                quote!(&#input_ty),
                quote!(parts.body(#content_type, rt::to_body(&#body))?;),
            ),
        };
        super::rpc::request(
            plan,
            op,
            super::rpc::Request {
                input,
                input_type: input_ref,
                path: String::from("/"),
                headers: vec![("x-amz-target", target)],
                body,
            },
        )
    }

    fn read_output(&self, plan: &Plan<'_>, op: &Operation<'_>) -> Reader {
        let stream = plan
            .streaming_output(op)
            .and_then(|m| Some((&m.field, codec_const(plan, &m.kind)?)));
        let (Some(output), Some((field, codec))) = (op.output, stream) else {
            return super::rpc::read_output(plan, SETTINGS, op);
        };
        // The body is the event stream; the other members arrive in its
        // `initial-response` event (read by `finish_<op>_output`). Until
        // then they are absent (required ones get zero values).
        let de = codec::de_expr(
            plan,
            SETTINGS,
            &Ty::Structure(output),
            quote!(&rt::object(rt::Map::new())),
        );
        Reader {
            tokens: quote! {
                let mut output = #de?;
                output.#field = tinsmith_runtime::eventstream::EventStream::new(
                    std::mem::take(response.body_mut()),
                    #codec,
                );
                Ok(output)
            },
            uses_response: true,
            uses_body: false,
        }
    }

    fn read_error(&self, plan: &Plan<'_>, error: &Structure<'_>) -> Reader {
        super::rpc::read_error(plan, SETTINGS, error)
    }

    fn codec(&self) -> CodecSettings {
        SETTINGS
    }

    fn events(&self) -> Option<EventSettings> {
        Some(EventSettings {
            codec: SETTINGS,
            document_content_type: self.content_type(),
        })
    }

    fn initial_response(&self, plan: &Plan<'_>, op: &Operation<'_>) -> Option<TokenStream> {
        let output = op.output?;
        let member = plan
            .streaming_output(op)
            .filter(|m| matches!(m.kind, MemberKind::Events { .. }))?;
        let field = &member.field;
        let de = codec::de_expr(plan, SETTINGS, &Ty::Structure(output), quote!(&value));
        Some(quote! {
            if let Some(message) = output.#field.take_initial("initial-response").await {
                let value = if message.payload().is_empty() {
                    rt::object(rt::Map::new())
                } else {
                    rt::parse_body(message.payload())?
                };
                let mut full = #de?;
                full.#field = std::mem::take(&mut output.#field);
                output = full;
            }
            Ok(output)
        })
    }

    fn support_files(&self, plan: &Plan<'_>) -> Vec<(&'static str, TokenStream)> {
        super::rpc::codec_files(plan, SETTINGS, event_stream::add_needs)
    }
}
