//! What the RPC protocols (awsJson1_0/1_1, rpcv2Cbor) share: the whole
//! input is one document, and so is the whole output or error, so the
//! readers and the codec's needs are the same whatever the format.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::codec::{self, CodecSettings, Needs};
use super::super::plan::{Operation, Plan, Structure, Ty};
use super::Reader;

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
