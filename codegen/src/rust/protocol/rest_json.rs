//! `aws.protocols#restJson1`: the REST bindings ([`super::rest`]) with
//! JSON documents: body members are the keys of one JSON object (named by
//! `@jsonName`), and a structure payload left unset is an empty object.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::codec::{self, CodecSettings, DocumentTimestamps, Needs};
use super::super::event_stream::{EventDocuments, EventSettings};
use super::super::plan::{Member, Operation, Plan, Structure, Ty};
use super::rest::{self, Body, BodySource};
use super::{Protocol, Reader};

/// The restJson1 protocol.
pub struct RestJson1;

pub(crate) const SETTINGS: CodecSettings = CodecSettings {
    module: "json",
    use_json_name: true,
    qualified: true,
    timestamps: DocumentTimestamps::Honoured,
    big_numbers_as_text: false,
    strict: false,
};

/// JSON bodies.
pub(crate) struct Json;

impl Body for Json {
    fn request_body(
        &self,
        plan: &Plan<'_>,
        _shape: &Structure<'_>,
        members: &[&Member<'_>],
    ) -> TokenStream {
        let ser = codec::ser_members(plan, SETTINGS, members);
        quote! {
            let mut object = rt::Map::new();
            #ser
            parts.body("application/json", rt::to_body(&rt::object(object)))?;
        }
    }

    fn request_payload(&self, plan: &Plan<'_>, member: &Member<'_>) -> TokenStream {
        let field = &member.field;
        let ser = codec::ser_expr(plan, SETTINGS, &member.ty, quote!(value));
        match &member.ty {
            // An unset structure payload is an empty JSON object.
            Ty::Structure(_) if member.optional => quote! {
                parts.body("application/json", match &input.#field {
                    Some(value) => rt::to_body(&#ser),
                    None => rt::to_body(&rt::object(rt::Map::new())),
                })?;
            },
            _ => rest::with_value(
                member,
                quote! { parts.body("application/json", rt::to_body(&#ser))?; },
            ),
        }
    }

    fn response_payload(&self, plan: &Plan<'_>, member: &Member<'_>) -> TokenStream {
        let ser = codec::ser_expr(plan, SETTINGS, &member.ty, quote!(value));
        rest::with_value(
            member,
            quote! { parts.body("application/json", rt::to_body(&#ser))?; },
        )
    }

    fn read_body(&self, plan: &Plan<'_>, members: &[&Member<'_>], from: BodySource) -> TokenStream {
        let de = codec::de_members(plan, SETTINGS, members);
        let object = if from != BodySource::Error {
            quote! {
                let body = rt::parse_body(response.body())?;
                let object = rt::de_object(&body)?;
            }
        } else {
            // An error body that is not an object still names its error;
            // its members are then absent.
            quote! {
                let empty = rt::Map::new();
                let object = body.as_object().unwrap_or(&empty);
            }
        };
        quote! { #object #de }
    }

    fn read_payload(&self, plan: &Plan<'_>, member: &Member<'_>) -> TokenStream {
        let name = member.name;
        let de = codec::de_expr(plan, SETTINGS, &member.ty, quote!(&payload));
        quote!({
            let payload = rt::parse_body(response.body())?;
            #de.map_err(|e| rt::at(#name, e))?
        })
    }

    fn codec_module(&self, plan: &Plan<'_>, needs: &Needs) -> (&'static str, TokenStream) {
        (SETTINGS.module, codec::module(plan, SETTINGS, needs))
    }
}

impl Protocol for RestJson1 {
    fn request(&self, plan: &Plan<'_>, op: &Operation<'_>) -> TokenStream {
        rest::request(plan, &Json, op)
    }

    fn read_output(&self, plan: &Plan<'_>, op: &Operation<'_>) -> Reader {
        rest::read_output(plan, &Json, op)
    }

    fn read_error(&self, plan: &Plan<'_>, error: &Structure<'_>) -> Reader {
        rest::read_error(plan, &Json, error)
    }

    fn status_fallback<'p>(&self, plan: &'p Plan<'_>, op: &Operation<'_>) -> Vec<(u16, &'p str)> {
        rest::status_fallback(plan, op)
    }

    fn runtime_codec(&self) -> &'static str {
        SETTINGS.module
    }

    fn events(&self) -> Option<EventSettings> {
        Some(EventSettings {
            codec: EventDocuments::Values(SETTINGS),
            document_content_type: "application/json",
        })
    }

    fn support_files(&self, plan: &Plan<'_>) -> Vec<(&'static str, TokenStream)> {
        rest::support_files(plan, &Json)
    }
}
