//! What the RPC protocols (awsJson1_0/1_1, rpcv2Cbor) share: the whole
//! input is one document, and so is the whole output or error, so the
//! readers and the codec's needs are the same whatever the format.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::codec::{self, CodecSettings, Needs};
use super::super::plan::{Operation, Plan, Structure, Ty};
use super::super::types::allow_deprecated;
use super::Reader;

/// An RPC request: a `POST` to a fixed path with fixed headers and a body.
pub struct Request {
    /// The serializer's input parameter (`input`, or `_input` when unused).
    pub input: TokenStream,
    /// Its type (`&Input`, or `&mut Input` for a streamed body).
    pub input_type: TokenStream,
    /// The path.
    pub path: String,
    /// Headers every request of the protocol carries.
    pub headers: Vec<(&'static str, String)>,
    /// Statements that set the body.
    pub body: TokenStream,
}

/// The serializer of an RPC operation: the request, then what every
/// protocol adds (`x-amzn-query-mode`, compression, checksum, host prefix).
pub fn request(plan: &Plan<'_>, op: &Operation<'_>, request: Request) -> TokenStream {
    let f = &op.fns.ser;
    let Request {
        input,
        input_type,
        path,
        headers,
        body,
    } = request;
    let (names, values): (Vec<_>, Vec<_>) = headers.into_iter().unzip();
    let host_prefix = super::host_prefix(op);
    let body_traits = super::body_traits(op);
    let query_mode = super::query_mode_header(plan);
    let doc = format!(" Builds the HTTP request of `{}`.", op.name);
    let allow = allow_deprecated(op.uses_deprecated);
    quote! {
        #[doc = #doc]
        #allow
        pub(super) fn #f(#input: #input_type, endpoint: &str) -> Result<HttpRequest, ConstructionError> {
            let mut parts = binding::RequestParts::new(Method::POST, String::from(#path));
            #(parts.header(#names, #values)?;)*
            #query_mode
            #body
            #body_traits
            #host_prefix
            parts.build(endpoint)
        }
    }
}

/// Reads the whole output from the response body.
pub fn read_output(plan: &Plan<'_>, settings: CodecSettings, op: &Operation<'_>) -> Reader {
    let Some(output) = op.output else {
        return Reader {
            tokens: quote!(Ok(())),
            uses_response: false,
            uses_body: false,
        };
    };
    let de = codec::de_expr(plan, settings, &Ty::Structure(output), quote!(&body));
    Reader {
        tokens: quote! {
            let body = rt::parse_body(response.body())?;
            #de
        },
        uses_response: true,
        uses_body: false,
    }
}

/// Reads a modeled error from the already parsed body.
pub fn read_error(plan: &Plan<'_>, settings: CodecSettings, error: &Structure<'_>) -> Reader {
    Reader {
        tokens: codec::de_expr(plan, settings, &Ty::Structure(error.id), quote!(body)),
        uses_response: false,
        uses_body: true,
    }
}

/// The codec module: serializers for every input, deserializers for every
/// output and error (and what they contain), plus what `more` adds (the
/// event codecs' needs); none when nothing is needed.
pub fn codec_files(
    plan: &Plan<'_>,
    settings: CodecSettings,
    more: impl FnOnce(&Plan<'_>, &mut Needs),
) -> Vec<(&'static str, TokenStream)> {
    let mut needs = Needs::default();
    for op in &plan.operations {
        if let Some(input) = op.input {
            needs.add_ser(plan, input);
        }
        if let Some(output) = op.output {
            needs.add_de(plan, output);
        }
        for e in &op.errors {
            needs.add_de(plan, e.id);
        }
    }
    more(plan, &mut needs);
    if needs.is_empty() {
        return Vec::new();
    }
    vec![(settings.module, codec::module(plan, settings, &needs))]
}
