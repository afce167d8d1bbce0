//! `aws.protocols#awsQuery` and `aws.protocols#ec2Query`: every operation
//! is a form-encoded `POST /` (`Action=<Operation>&Version=<api version>`
//! and the input as dotted keys), and responses are XML. HTTP binding
//! traits are ignored.
//!
//! The two differ in keys and wrappers (spec: "AWS query protocol", "AWS
//! EC2 query protocol"):
//!
//! | | awsQuery | ec2Query |
//! |---|---|---|
//! | member key | `@xmlName`, else the member name | `@ec2QueryName`, else `@xmlName` or the member name, capitalized |
//! | list | `Key.member.N` (the list member's `@xmlName`), `Key.N` flattened; an empty list is `Key=` | always `Key.N`; an empty list is left out |
//! | map | `Key.entry.N.key` / `.value` (renamed by `@xmlName`), `Key.N.key` flattened | as awsQuery |
//! | output | `<OpResponse><OpResult>` | `<OpResponse>` |
//! | error | `<ErrorResponse><Error><Code>` | `<Response><Errors><Error><Code>` |
//!
//! Modeled errors are matched by their `@awsQueryError` code where they
//! have one. Timestamps are `date-time` unless `@timestampFormat` says
//! otherwise. Map entries are sent in key order.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::super::codec::Needs;
use super::super::paths;
use super::super::plan::{Member, Operation, Plan, Structure, Ty, TypeDef, Union, XmlMember};
use super::super::types::allow_deprecated;
use super::super::xml_codec::{self, Place};
use super::{Protocol, Reader};
use crate::model::ShapeId;

/// One of the two query protocols.
pub enum Query {
    /// `aws.protocols#awsQuery`.
    Aws,
    /// `aws.protocols#ec2Query`.
    Ec2,
}

fn ser_fn(plan: &Plan<'_>, id: &ShapeId) -> Ident {
    format_ident!("ser_{}", plan.get(id).stem())
}

impl Query {
    /// The key segment of a structure or union member.
    fn member_key<'x>(&self, xml: &'x XmlMember<'_>) -> &'x str {
        match self {
            Query::Aws => xml.name,
            Query::Ec2 => &xml.ec2_name,
        }
    }

    /// Statements that add `v` (a reference to a value of `ty`) to `form`
    /// under the key `key` (an expression of type `String`); `flattened`
    /// for a member with `@xmlFlattened`.
    fn ser_value(
        &self,
        plan: &Plan<'_>,
        ty: &Ty<'_>,
        v: TokenStream,
        key: TokenStream,
        flattened: bool,
    ) -> TokenStream {
        match ty {
            Ty::Structure(id) | Ty::Union(id) => {
                let f = ser_fn(plan, id);
                quote!(#f(#v, &#key, form);)
            }
            Ty::List {
                item,
                sparse,
                member,
                ..
            } => {
                let one = self.ser_value(plan, item, quote!(item), quote!(key), false);
                let items = if *sparse {
                    quote!(#v.iter().flatten().enumerate())
                } else {
                    quote!(#v.iter().enumerate())
                };
                let prefix = match self {
                    Query::Aws if !flattened => {
                        let member = member.name;
                        quote!(rt::key(&list_key, #member))
                    }
                    _ => quote!(list_key.clone()),
                };
                // awsQuery sends an empty list as the bare key.
                let empty = matches!(self, Query::Aws).then(|| {
                    quote! {
                        if #v.is_empty() {
                            form.push(list_key.clone(), "");
                        }
                    }
                });
                quote! {{
                    let list_key: String = #key;
                    #empty
                    let prefix = #prefix;
                    for (i, item) in #items {
                        let key = rt::item(&prefix, i);
                        #one
                    }
                }}
            }
            Ty::Map {
                value,
                sparse,
                entry,
                ..
            } => {
                let one = self.ser_value(plan, value, quote!(value), quote!(value_key), false);
                let (key_name, value_name) = (entry.key.name, entry.value.name);
                let prefix = if flattened {
                    quote!(#key)
                } else {
                    quote!(rt::key(&#key, "entry"))
                };
                let iterate = if *sparse {
                    quote!(
                        entries
                            .into_iter()
                            .filter_map(|(key, value)| Some((key, value.as_ref()?)))
                            .enumerate()
                    )
                } else {
                    quote!(entries.into_iter().enumerate())
                };
                quote! {{
                    let prefix = #prefix;
                    let mut entries: Vec<_> = #v.iter().collect();
                    entries.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
                    for (i, (key, value)) in #iterate {
                        let entry = rt::item(&prefix, i);
                        form.push(rt::key(&entry, #key_name), key.as_str());
                        let value_key = rt::key(&entry, #value_name);
                        #one
                    }
                }}
            }
            scalar => {
                let text = xml_codec::text(scalar, &v).unwrap_or_else(|| quote!(String::new()));
                quote!(form.push(#key, #text);)
            }
        }
    }

    /// Statements that add the members of `input` to `form` under `prefix`.
    fn ser_members(&self, plan: &Plan<'_>, members: &[&Member<'_>]) -> TokenStream {
        let stmts = members.iter().map(|m| {
            let name = self.member_key(&m.xml);
            let body = self.ser_value(
                plan,
                &m.ty,
                quote!(value),
                quote!(rt::key(prefix, #name)),
                m.xml.flattened,
            );
            let field = &m.field;
            if m.optional {
                quote! { if let Some(value) = &input.#field { #body } }
            } else {
                quote! { { let value = &input.#field; #body } }
            }
        });
        quote!(#(#stmts)*)
    }

    fn structure(&self, plan: &Plan<'_>, shape: &Structure<'_>) -> TokenStream {
        let ty = paths::named(plan, shape.id, paths::Scope::Sibling);
        let allow = allow_deprecated(shape.uses_deprecated);
        let members: Vec<&Member<'_>> = shape.document_members().collect();
        let f = ser_fn(plan, shape.id);
        let doc = format!(" Adds a [`{}`] to a form under `prefix`.", shape.ident);
        if members.is_empty() {
            return quote! {
                #[doc = #doc]
                #allow
                pub(super) fn #f(_input: &#ty, _prefix: &str, _form: &mut rt::Form) {}
            };
        }
        let stmts = self.ser_members(plan, &members);
        quote! {
            #[doc = #doc]
            #allow
            pub(super) fn #f(input: &#ty, prefix: &str, form: &mut rt::Form) {
                #stmts
            }
        }
    }

    fn union(&self, plan: &Plan<'_>, shape: &Union<'_>) -> TokenStream {
        let ty = paths::named(plan, shape.id, paths::Scope::Sibling);
        let allow = allow_deprecated(shape.uses_deprecated);
        let f = ser_fn(plan, shape.id);
        let doc = format!(" Adds a [`{}`] to a form under `prefix`.", shape.ident);
        let arms = shape.variants.iter().map(|v| {
            let variant = &v.ident;
            let name = self.member_key(&v.xml);
            match &v.ty {
                None => quote! { #ty::#variant => form.push(rt::key(prefix, #name), ""), },
                Some(inner) => {
                    let body = self.ser_value(
                        plan,
                        inner,
                        quote!(value),
                        quote!(rt::key(prefix, #name)),
                        v.xml.flattened,
                    );
                    quote! { #ty::#variant(value) => { #body } }
                }
            }
        });
        let unknown = shape
            .has_unknown()
            .then(|| match plan.extern_path(shape.id) {
                Some(_) => quote!(_ => {}),
                None => quote!(#ty::Unknown => {}),
            });
        quote! {
            #[doc = #doc]
            #allow
            pub(super) fn #f(input: &#ty, prefix: &str, form: &mut rt::Form) {
                match input {
                    #(#arms)*
                    #unknown
                }
            }
        }
    }

    /// The generated `query` module: a form serializer per input and what
    /// it contains.
    fn module(&self, plan: &Plan<'_>, needs: &Needs) -> TokenStream {
        let fns = plan
            .types
            .iter()
            .filter(|t| needs.ser.contains(t.id()))
            .map(|t| match t {
                TypeDef::Structure(s) => self.structure(plan, s),
                TypeDef::Union(u) => self.union(plan, u),
                _ => TokenStream::new(),
            });
        quote! {
            #![doc = " Form serializers for the structures and unions the protocol sends."]

            use tinsmith_runtime::query as rt;

            #(#fns)*
        }
    }
}

impl Protocol for Query {
    fn request(&self, plan: &Plan<'_>, op: &Operation<'_>) -> TokenStream {
        let f = &op.fns.ser;
        let input_ty = paths::io(plan, op.input);
        let (action, version) = (op.name, plan.service().version);
        let (input, add) = match op.input {
            Some(id) if !plan.structure(id).members.is_empty() => {
                let ser = ser_fn(plan, id);
                (
                    quote!(input),
                    quote!(super::query::#ser(input, "", &mut form);),
                )
            }
            _ => (quote!(_input), TokenStream::new()),
        };
        let form = if add.is_empty() {
            quote!(let form)
        } else {
            quote!(let mut form)
        };
        let host_prefix = super::host_prefix(op);
        let body_traits = super::body_traits(op);
        let doc = format!(" Builds the HTTP request of `{}`.", op.name);
        let allow = allow_deprecated(op.uses_deprecated);
        quote! {
            #[doc = #doc]
            #allow
            pub(super) fn #f(#input: &#input_ty, endpoint: &str) -> Result<HttpRequest, ConstructionError> {
                let mut parts = binding::RequestParts::new(Method::POST, String::from("/"));
                #form = tinsmith_runtime::query::Form::new(#action, #version);
                #add
                parts.body("application/x-www-form-urlencoded", form.to_body())?;
                #body_traits
                #host_prefix
                parts.build(endpoint)
            }
        }
    }

    fn read_output(&self, plan: &Plan<'_>, op: &Operation<'_>) -> Reader {
        let Some(output) = op.output else {
            return Reader::unit();
        };
        // awsQuery wraps the output in `<OpResult>`; ec2Query does not.
        let element = match self {
            Query::Aws => {
                let result = format!("{}Result", op.name);
                quote!(rt::child_or_empty(&body, #result))
            }
            Query::Ec2 => quote!(&body),
        };
        let de = xml_codec::de_value(plan, Place::Outside, &Ty::Structure(output), element);
        Reader {
            tokens: quote! {
                let body = rt::parse_body(response.body())?;
                #de
            },
            uses_response: true,
            uses_body: false,
            expression: false,
        }
    }

    fn read_error(&self, plan: &Plan<'_>, error: &Structure<'_>) -> Reader {
        Reader {
            tokens: xml_codec::de_value(
                plan,
                Place::Outside,
                &Ty::Structure(error.id),
                quote!(rt::error_element(body)),
            ),
            uses_response: false,
            uses_body: true,
            expression: true,
        }
    }

    fn wire_code<'p>(&self, error: &'p Structure<'_>) -> &'p str {
        match &error.error {
            Some(info) => info.query.map_or(info.code, |q| q.code),
            None => error.name,
        }
    }

    fn runtime_codec(&self) -> &'static str {
        "xml"
    }

    fn support_files(&self, plan: &Plan<'_>) -> Vec<(&'static str, TokenStream)> {
        let (mut sent, mut received) = (Needs::default(), Needs::default());
        for op in &plan.operations {
            // An input without members adds nothing to the form.
            if let Some(input) = op.input
                && !plan.structure(input).members.is_empty()
            {
                sent.add_ser(plan, input);
            }
            if let Some(output) = op.output {
                received.add_de(plan, output);
            }
            for e in &op.errors {
                received.add_de(plan, e.id);
            }
        }
        let mut files = Vec::new();
        if !sent.is_empty() {
            files.push(("query", self.module(plan, &sent)));
        }
        if !received.is_empty() {
            files.push(("xml", xml_codec::module(plan, &received)));
        }
        files
    }
}
