//! `aws.protocols#restXml`: the REST bindings ([`super::rest`]) with XML
//! documents. Body members are the children (or attributes) of one root
//! element named after the input (`@xmlName`), in the input's or else the
//! service's `@xmlNamespace`; a structure or union payload is the root
//! itself, named by the payload member's `@xmlName` or its target's. Error
//! bodies wrap the error in `<ErrorResponse><Error>`, or not at all (the
//! `noErrorWrapping` option); the error's members are read from `<Error>`
//! and its code from `<Code>`.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::codec::Needs;
use super::super::event_stream::{EventDocuments, EventSettings};
use super::super::plan::{Member, Operation, Plan, Structure, Ty, TypeDef, XmlName};
use super::super::xml_codec::{self, Place};
use super::rest::{self, Body, BodySource};
use super::{Protocol, Reader};

/// The restXml protocol.
pub struct RestXml;

/// XML bodies.
struct Xml;

/// The root element of a structure or union payload: the member's
/// `@xmlName`, else its target's (or the target's shape name); the member's
/// namespace, else its target's.
fn payload_root<'m>(plan: &Plan<'m>, member: &Member<'m>) -> XmlName<'m> {
    let target = match &member.ty {
        Ty::Structure(id) | Ty::Union(id) => match plan.get(id) {
            TypeDef::Structure(s) => Some(s.xml),
            TypeDef::Union(u) => Some(u.xml),
            _ => None,
        },
        _ => None,
    };
    XmlName {
        name: match target {
            Some(t) if !member.xml.renamed => t.name,
            _ => member.xml.name,
        },
        namespace: member.xml.namespace.or(target.and_then(|t| t.namespace)),
    }
}

impl Body for Xml {
    fn request_body(
        &self,
        plan: &Plan<'_>,
        shape: &Structure<'_>,
        members: &[&Member<'_>],
    ) -> TokenStream {
        let root = shape.xml.name;
        let namespace = shape.xml.namespace.or(plan.service().xml_namespace);
        let new = xml_codec::with_namespace(quote!(rt::Element::new(#root)), namespace);
        let ser = xml_codec::ser_members(plan, Place::Outside, members);
        quote! {
            let mut element = #new;
            #ser
            parts.body("application/xml", rt::to_body(&element))?;
        }
    }

    fn request_payload(&self, plan: &Plan<'_>, member: &Member<'_>) -> TokenStream {
        let root = payload_root(plan, member);
        let ser = xml_codec::ser_value(plan, Place::Outside, &member.ty, quote!(value), root);
        // An unset payload sends no body.
        rest::with_value(
            member,
            quote! { parts.body("application/xml", rt::to_body(&#ser))?; },
        )
    }

    fn read_body(&self, plan: &Plan<'_>, members: &[&Member<'_>], from: BodySource) -> TokenStream {
        let de = xml_codec::de_members(plan, Place::Outside, members);
        let element = match from {
            BodySource::Response => quote! {
                let body = rt::parse_body(response.body())?;
                let element = &body;
            },
            // The root is the member: read it as the child of a wrapper.
            BodySource::UnwrappedResponse => quote! {
                let body = rt::wrapped(rt::parse_body(response.body())?);
                let element = &body;
            },
            BodySource::Error => quote!(let element = rt::error_element(body);),
        };
        quote! { #element #de }
    }

    fn read_payload(&self, plan: &Plan<'_>, member: &Member<'_>) -> TokenStream {
        let name = member.name;
        let de = xml_codec::de_value(plan, Place::Outside, &member.ty, quote!(&payload));
        quote!({
            let payload = rt::parse_body(response.body())?;
            #de.map_err(|e| rt::at(#name, e))?
        })
    }

    fn codec_module(&self, plan: &Plan<'_>, needs: &Needs) -> (&'static str, TokenStream) {
        ("xml", xml_codec::module(plan, needs))
    }
}

impl Protocol for RestXml {
    fn request(&self, plan: &Plan<'_>, op: &Operation<'_>) -> TokenStream {
        rest::request(plan, &Xml, op)
    }

    fn read_output(&self, plan: &Plan<'_>, op: &Operation<'_>) -> Reader {
        rest::read_output(plan, &Xml, op)
    }

    fn read_error(&self, plan: &Plan<'_>, error: &Structure<'_>) -> Reader {
        rest::read_error(plan, &Xml, error)
    }

    fn status_fallback<'p>(&self, plan: &'p Plan<'_>, op: &Operation<'_>) -> Vec<(u16, &'p str)> {
        rest::status_fallback(plan, op)
    }

    fn runtime_codec(&self) -> &'static str {
        "xml"
    }

    fn events(&self) -> Option<EventSettings> {
        Some(EventSettings {
            codec: EventDocuments::Xml,
            document_content_type: "application/xml",
        })
    }

    fn support_files(&self, plan: &Plan<'_>) -> Vec<(&'static str, TokenStream)> {
        rest::support_files(plan, &Xml)
    }
}
