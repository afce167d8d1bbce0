//! What the RPC protocols (awsJson1_0/1_1, rpcv2Cbor) share: the whole
//! input is one document, and so is the whole output or error, so the
//! readers and the codec's needs are the same whatever the format.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::codec::{self, CodecSettings, Needs};
use super::super::context::Context;
use super::super::errors;
use super::Reader;
use crate::model::Shape;

/// Reads the whole output from the response body.
pub fn read_output(cx: &Context<'_>, settings: CodecSettings, op: &Shape) -> Reader {
    let output = op
        .as_operation()
        .map_or_else(|| op.id.clone(), |p| p.output.clone());
    let de = codec::de_expr(cx, settings, None, &output, quote!(&body));
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
pub fn read_error(cx: &Context<'_>, settings: CodecSettings, error: &Shape) -> Reader {
    Reader {
        tokens: codec::de_expr(cx, settings, None, &error.id, quote!(body)),
        uses_response: false,
        uses_body: true,
    }
}

/// The codec module: serializers for every input, deserializers for every
/// output and error (and what they contain), plus what `more` adds (the
/// event codecs' needs); none when nothing is needed.
pub fn codec_files(
    cx: &Context<'_>,
    settings: CodecSettings,
    more: impl FnOnce(&Context<'_>, &mut Needs),
) -> Vec<(String, TokenStream)> {
    let mut needs = Needs::default();
    for op in cx.operations() {
        let Some(props) = op.as_operation() else {
            continue;
        };
        needs.add_ser(cx, &props.input);
        needs.add_de(cx, &props.output);
        for e in errors::operation_errors(cx, op) {
            needs.add_de(cx, &e.id);
        }
    }
    more(cx, &mut needs);
    if needs.is_empty() {
        return Vec::new();
    }
    vec![(
        format!("src/{}.rs", settings.module),
        codec::module(cx, settings, &needs),
    )]
}
