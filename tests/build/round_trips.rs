//! The crates of the model-driven round trips
//! (`tests/tests/round_trip_models.rs`): each subject service (our example
//! models, and a handful of AWS's) re-served over every protocol with a
//! server that it can use, each crate generated with its server and serde
//! support, and beside it a harness (`tinsmith_tests::round_trip::Harness`)
//! written from the crate's plan: a recording handler for every operation
//! and a client call of each operation from an input in canonical form.
//!
//! The services are re-declared in a model this script writes (one file
//! per subject, in `OUT_DIR`): the same operations, resources, errors and
//! renames under a new name and one protocol trait, without the original's
//! auth and endpoint rules, so a client can call the server on 127.0.0.1.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use tinsmith::model::{Model, Shape, ShapeId, ShapeType, traits};
use tinsmith::rust::plan::{MemberKind, Plan, ProtocolKind};

/// A service whose operations round-trip: a name (the stem of the
/// re-declared services' names) and the model files whose only service it
/// is.
pub struct Subject {
    pub name: &'static str,
    pub models: Vec<PathBuf>,
}

/// The protocols with servers: the trait, and the suffix of the service
/// re-served over it. restJson1 only for services whose operations all
/// have `@http` bindings.
const PROTOCOLS: &[(ProtocolKind, &str, &str)] = &[
    (ProtocolKind::RestJson1, "aws.protocols#restJson1", "Rest"),
    (
        ProtocolKind::AwsJson1_0,
        "aws.protocols#awsJson1_0",
        "Json10",
    ),
    (
        ProtocolKind::AwsJson1_1,
        "aws.protocols#awsJson1_1",
        "Json11",
    ),
    (
        ProtocolKind::RpcV2Cbor,
        "smithy.protocols#rpcv2Cbor",
        "Cbor",
    ),
    (
        ProtocolKind::RpcV2Json,
        "smithy.protocols#rpcv2Json",
        "RpcJson",
    ),
    (
        ProtocolKind::JsonRpc2,
        "tinsmith.protocols#jsonRpc2",
        "JsonRpc",
    ),
];

/// The namespace of the re-declared services.
const NAMESPACE: &str = "tinsmith.tests.roundtrip";

/// Generates the crates of `subjects` and writes `round_trip_models.rs`
/// into `out_dir`: a module per crate (the crate and its harness) and
/// `HARNESSES`, every harness.
pub fn generate(subjects: &[Subject], out_dir: &Path) {
    let mut modules = Vec::new();
    let mut harnesses = Vec::new();
    for subject in subjects {
        let source = load(&subject.models);
        let service = match tinsmith::rust::services(&source).as_slice() {
            [one] => *one,
            _ => panic!("{}: not one service", subject.name),
        };
        let (text, services) = declare(&source, service, subject.name);
        let declared = out_dir.join(format!("round-trip-{}.smithy", subject.name));
        tinsmith::output::write_if_changed(&declared, text.as_bytes()).expect("written");
        let mut models = subject.models.clone();
        models.push(declared);
        services
            .iter()
            .fold(
                models
                    .iter()
                    .fold(tinsmith::Builder::new(), |b, m| b.model(m))
                    .server(true)
                    .serde(true),
                |b, s| b.service(s),
            )
            .generate()
            .unwrap_or_else(|e| panic!("round trips of {}: {e}", subject.name));
        let model = load(&models);
        for service in &services {
            let options = tinsmith::rust::Options {
                service: Some(ShapeId::parse(service).expect("a shape id")),
                server: true,
                serde: tinsmith::rust::FeatureSupport::Always,
                ..Default::default()
            };
            let plan = tinsmith::rust::plan(&model, &options).unwrap_or_else(|e| panic!("{e}"));
            let (module, harness) = harness(&plan, &models);
            modules.push(module);
            harnesses.push(harness);
        }
    }
    let file = quote! {
        #(#modules)*

        /// Every crate of the round trips.
        pub static HARNESSES: &[crate::round_trip::Harness] = &[#(#harnesses),*];
    };
    let file = syn::parse2(file.clone()).unwrap_or_else(|e| panic!("{e}: {file}"));
    tinsmith::output::write_if_changed(
        &out_dir.join("round_trip_models.rs"),
        prettyplease::unparse(&file).as_bytes(),
    )
    .expect("written");
}

/// The model re-declaring `service` as `Rt<name><protocol>`, once per
/// protocol it can use, and the new services' ids.
fn declare(model: &Model, service: &Shape, name: &str) -> (String, Vec<String>) {
    let props = service.as_service().expect("a service");
    let operations = all_operations(model, &service.id);
    let rest = operations
        .iter()
        .all(|op| model.shape(op).is_some_and(|s| s.has_trait(traits::HTTP)));
    // Streamed blobs travel only in HTTP-binding protocols.
    let rpc = !operations.iter().any(|op| streams_blob(model, op));
    let list = |ids: &[ShapeId]| {
        ids.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let renames: String = props
        .rename
        .iter()
        .map(|(from, to)| format!("\"{from}\": \"{to}\", "))
        .collect();
    // The service traits its operations depend on.
    let copied: String = [traits::PAGINATED]
        .iter()
        .filter_map(|t| {
            service
                .trait_value(t)
                .map(|v| format!("@{t}({})\n", v.to_json()))
        })
        .collect();
    let mut text = format!("$version: \"2\"\nnamespace {NAMESPACE}\n");
    let mut services = Vec::new();
    for (kind, protocol, suffix) in PROTOCOLS {
        if !(if *kind == ProtocolKind::RestJson1 {
            rest
        } else {
            rpc
        }) {
            continue;
        }
        let declared = format!("Rt{name}{suffix}");
        writeln!(
            text,
            "\n{copied}@{protocol}\nservice {declared} {{\n    version: {:?}\n    operations: [{}]\n    \
             resources: [{}]\n    errors: [{}]\n    rename: {{ {renames} }}\n}}",
            props.version.as_deref().unwrap_or("1"),
            list(&props.operations),
            list(&props.resources),
            list(&props.errors),
        )
        .unwrap();
        services.push(format!("{NAMESPACE}#{declared}"));
    }
    (text, services)
}

fn load(models: &[PathBuf]) -> Model {
    let loaded = models
        .iter()
        .fold(tinsmith::Loader::new(), |l, p| l.path(p))
        .load();
    assert!(!loaded.has_errors(), "{models:?} does not load");
    loaded.model
}

/// The operations of a service, bound directly or through its resources.
fn all_operations(model: &Model, service: &ShapeId) -> Vec<ShapeId> {
    let mut out = Vec::new();
    let mut resources = Vec::new();
    if let Some(props) = model.shape(service).and_then(|s| s.as_service()) {
        out.extend(props.operations.iter().cloned());
        resources.extend(props.resources.iter().cloned());
    }
    while let Some(id) = resources.pop() {
        if let Some(props) = model.shape(&id).and_then(|s| s.as_resource()) {
            // `bound` holds the child resources too, walked next.
            out.extend(
                props
                    .bound()
                    .filter(|id| model.type_of(id) == Some(ShapeType::Operation))
                    .cloned(),
            );
            resources.extend(props.resources.iter().cloned());
        }
    }
    out
}

/// True when `op`'s input or output has a `@streaming` blob member.
fn streams_blob(model: &Model, op: &ShapeId) -> bool {
    let Some(props) = model.shape(op).and_then(|s| s.as_operation()) else {
        return false;
    };
    [&props.input, &props.output]
        .into_iter()
        .filter_map(|id| model.shape(id))
        .flat_map(|s| s.members.values())
        .filter_map(|m| model.shape(&m.target))
        .any(|t| t.ty == ShapeType::Blob && t.has_trait(traits::STREAMING))
}

/// The module of one crate (the crate and its harness) and its
/// `Harness` value.
fn harness(plan: &Plan<'_>, models: &[PathBuf]) -> (TokenStream, TokenStream) {
    let name = tinsmith::rust::names::plan_crate_name(plan).replace('-', "_");
    let module = format_ident!("{name}");
    let server = plan.server.as_ref().expect("generated with a server");
    let handler = &server.handler;
    let service = plan.service();
    let service_id = service.id.to_string();
    let protocol = plan.protocol().trait_id();
    let mut methods = Vec::new();
    let mut arms = Vec::new();
    let mut operations = Vec::new();
    let mut skipped = Vec::new();
    for (op, error) in plan.operations.iter().zip(&server.error_enums) {
        let method = &op.method;
        let op_name = op.name;
        let io = |id: Option<&ShapeId>| match id {
            Some(id) => {
                let ident = &plan.structure(id).ident;
                quote!(super::types::#ident)
            }
            None => quote!(()),
        };
        let (input, output) = (io(op.input), io(op.output));
        let why = if plan.streaming_input(op).is_some() || plan.streaming_output(op).is_some() {
            Some("streams its input or output")
        } else if op.host_prefix.is_some() {
            Some("prefixes the host")
        } else {
            None
        };
        if let Some(why) = why {
            methods.push(quote! {
                async fn #method(
                    &self,
                    _request: Request<#input>,
                ) -> Result<#output, super::server::#error> {
                    Err(Status::internal("not a round trip").into())
                }
            });
            skipped.push(quote!((#op_name, #why)));
            continue;
        }
        let error_enum = &op.error_enum;
        let (answers, returns): (Vec<_>, Vec<_>) = op
            .errors
            .iter()
            .map(|e| {
                let variant = &e.variant;
                let name = variant.to_string();
                let answer = quote! {
                    #name => super::server::#error::#variant(Box::new(self.modeled_error(#name, &value))),
                };
                let back = quote! {
                    Some(super::error::#error_enum::#variant(modeled)) => {
                        Ok((sent, error_form(#name, modeled.value())))
                    }
                };
                (answer, back)
            })
            .unzip();
        let errors = if answers.is_empty() {
            quote! {
                if self.receive(request.input()).is_some() {
                    return Err(Status::internal("no modeled errors").into());
                }
            }
        } else {
            quote! {
                if let Some((name, value)) = self.receive(request.input()) {
                    return Err(match name.as_str() {
                        #(#answers)*
                        _ => Status::internal("no such error").into(),
                    });
                }
            }
        };
        methods.push(quote! {
            async fn #method(
                &self,
                request: Request<#input>,
            ) -> Result<#output, super::server::#error> {
                #errors
                Ok(self.output())
            }
        });
        let call = match plan.input(op) {
            Some(shape) => {
                let setters = shape.members.iter().map(|m| {
                    let (field, setter) = (&m.field, &m.setter);
                    let boxed = matches!(m.kind, MemberKind::Value { boxed: true });
                    match (m.optional, boxed) {
                        (true, false) => quote!(.#setter(input.#field)),
                        (true, true) => quote!(.#setter(input.#field.map(|v| *v))),
                        (false, false) => quote!(.#setter(Some(input.#field))),
                        (false, true) => quote!(.#setter(Some(*input.#field))),
                    }
                });
                quote! {
                    let input: #input = convert(&input);
                    let sent = canonical(&input);
                    let result = client.#method() #(#setters)* .send().await;
                }
            }
            None => quote! {
                let sent = canonical(&());
                let result = client.#method().send().await;
            },
        };
        let call = quote! {
            #call
            match result {
                Ok(output) => Ok((sent, canonical(&output))),
                Err(error) => match error.as_service_error() {
                    #(#returns)*
                    _ => Err(error.into()),
                },
            }
        };
        arms.push(quote! {
            #op_name => Box::pin(async move { #call }),
        });
        operations.push(op_name);
    }
    let models: Vec<String> = models.iter().map(|p| p.display().to_string()).collect();
    let doc = format!(" `{}` over {protocol}.", service.name);
    let items = quote! {
        #[doc = #doc]
        pub mod #module {
            tinsmith_runtime::include_sdk!(#name);

            /// The round trips' harness of this crate.
            #[allow(deprecated, clippy::all)]
            pub mod harness {
                use tinsmith_runtime::server::{Request, Status};
                use crate::round_trip::{Call, Caller, Recorder, Value, canonical, convert, error_form};

                impl super::server::#handler for &'static Recorder {
                    #(#methods)*
                }

                /// The server, serving `recorder`.
                pub fn router(recorder: &'static Recorder) -> tinsmith_runtime::server::axum::Router {
                    super::server::router(recorder)
                }

                /// A client of the server at `endpoint`.
                pub fn connect(endpoint: String) -> Caller {
                    let config = super::Config::builder()
                        .endpoint(endpoint)
                        .retry(tinsmith_runtime::RetryConfig::disabled())
                        .build();
                    let client = super::Client::new(config);
                    Box::new(move |operation, input| call(client.clone(), operation, input))
                }

                fn call(client: super::Client, operation: &'static str, input: Value) -> Call {
                    match operation {
                        #(#arms)*
                        other => Box::pin(async move {
                            Err(crate::round_trip::Failure::Failed(format!("no operation {other}")))
                        }),
                    }
                }
            }
        }
    };
    let harness = quote! {
        crate::round_trip::Harness {
            name: #name,
            service: #service_id,
            protocol: #protocol,
            models: &[#(#models),*],
            operations: &[#(#operations),*],
            skipped: &[#(#skipped),*],
            router: crate::round_trip_models::#module::harness::router,
            connect: crate::round_trip_models::#module::harness::connect,
        }
    };
    (items, harness)
}
