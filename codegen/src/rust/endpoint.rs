//! Emits the `endpoint` module of a service with endpoint rules
//! (`smithy.rules#endpointRuleSet`), the per-operation code that builds a
//! call's rule parameters, and the `endpoint_tests` module that runs the
//! service's `smithy.rules#endpointTests` through the generated client.
//!
//! The rule set is embedded as JSON and interpreted by the runtime's rules
//! engine (`tinsmith_runtime::endpoint::RuleSet`), parsed once on first
//! use: the generated code only gathers parameter values (from the
//! configuration, the operation's static parameters and the input's
//! `@contextParam` members) and hands them over.

use proc_macro2::TokenStream;
use quote::quote;

use super::compliance::ProtocolTests;
use super::names::{self, Claim, Namespace};
use super::paths::Scope;
use super::plan::{
    ConfigSource, EndpointRules, FieldStep, Operation, OperationParamValue, Plan, Subject, Ty,
};
use super::values::{self, Source};
use crate::model::Node;

/// The service's endpoint rules, when it has any.
pub fn rules<'p, 'm>(plan: &'p Plan<'m>) -> Option<&'p EndpointRules<'m>> {
    match &plan.subject {
        Subject::Service(service) => service.endpoint_rules.as_ref(),
        Subject::Types(_) => None,
    }
}

/// True when the crate needs the runtime's AWS support: an operation signs
/// with SigV4, or the rules take the client's region.
pub fn needs_aws(plan: &Plan<'_>) -> bool {
    let sigv4 = plan.operations.iter().any(|op| {
        op.auth
            .iter()
            .any(|a| matches!(a, super::plan::AuthScheme::SigV4 { .. }))
    });
    sigv4
        || rules(plan).is_some_and(|r| {
            r.config_params
                .iter()
                .any(|p| p.source == ConfigSource::Region)
        })
}

/// True when the service's endpoint rules can ask for SigV4a (S3's
/// Multi-Region Access Points), so the crate needs the runtime's `sigv4a`.
pub fn needs_sigv4a(plan: &Plan<'_>) -> bool {
    rules(plan).is_some_and(|r| r.json.contains("\"sigv4a\""))
}

/// The `endpoint` module.
pub fn module(rules: &EndpointRules<'_>) -> TokenStream {
    let json = &rules.json;
    let sets = rules.config_params.iter().map(|p| {
        let name = p.name;
        let value = match &p.source {
            ConfigSource::Region => {
                quote!(config.region().map(tinsmith_runtime::endpoint::Value::from))
            }
            ConfigSource::Endpoint => {
                quote!(
                    config
                        .endpoint()
                        .map(tinsmith_runtime::endpoint::Value::from)
                )
            }
            ConfigSource::Setting(names) => {
                let mut lookups = names.iter();
                let first = lookups.next().map(|n| quote!(config.endpoint_param(#n)));
                let rest = lookups.map(|n| quote!(.or_else(|| config.endpoint_param(#n))));
                quote!(#first #(#rest)* .cloned())
            }
        };
        quote!(params.set(#name, #value);)
    });
    let binding = if rules.config_params.is_empty() {
        quote!(let params)
    } else {
        quote!(let mut params)
    };
    let config_arg = if rules.config_params.is_empty() {
        quote!(_config)
    } else {
        quote!(config)
    };
    quote! {
        //! Endpoint resolution: the service's endpoint rules
        //! (`smithy.rules#endpointRuleSet`), evaluated for each call by the
        //! runtime's rules engine.

        use tinsmith_runtime::Config;
        use tinsmith_runtime::endpoint::{Endpoint, LazyRuleSet, Params, ResolveError};
        use tinsmith_runtime::error::{ConstructionError, SdkError};

        /// The rule set, parsed on first use.
        static RULES: LazyRuleSet = LazyRuleSet::new(#json);

        /// The rule parameters the client's configuration supplies: its
        /// region, endpoint, and the built-ins and client context
        /// parameters set with `ConfigBuilder::endpoint_param`.
        pub(crate) fn params(#config_arg: &Config) -> Params {
            #binding = Params::new();
            #(#sets)*
            params
        }

        /// Resolves the endpoint of a call; a rule set's error (or a rule
        /// set that cannot be evaluated) fails the call before it is sent.
        pub(crate) fn resolve<E>(params: &Params) -> Result<Endpoint, SdkError<E>> {
            resolve_rules(params).map_err(|e| {
                SdkError::Construction(ConstructionError::with_source(
                    "no endpoint for this call",
                    e,
                ))
            })
        }

        /// The rules' endpoint, or their error.
        pub(crate) fn resolve_rules(params: &Params) -> Result<Endpoint, ResolveError> {
            RULES.get().and_then(|rules| rules.resolve(params))
        }
    }
}

/// The statements of `send` that resolve the call's endpoint into
/// `endpoint` (empty without rules).
pub fn resolve_call(plan: &Plan<'_>, op: &Operation<'_>) -> TokenStream {
    if rules(plan).is_none() {
        return TokenStream::new();
    }
    // Input values first, static ones last: a static parameter wins, and an
    // absent input value leaves what the configuration set.
    let mut ordered: Vec<_> = op.endpoint_params.iter().collect();
    ordered.sort_by_key(|p| matches!(p.value, OperationParamValue::Static(_)));
    let sets: Vec<TokenStream> = ordered
        .into_iter()
        .map(|p| {
            let name = p.name;
            let value = match &p.value {
                OperationParamValue::Static(node) => static_value(node),
                OperationParamValue::Member {
                    field,
                    optional,
                    ty,
                } => member_value(field, *optional, ty),
                OperationParamValue::Path {
                    steps,
                    each,
                    keys,
                    ty,
                } => path_value(steps, each.as_deref(), *keys, ty),
            };
            let always = matches!(
                p.value,
                OperationParamValue::Static(_)
                    | OperationParamValue::Member {
                        optional: false,
                        ..
                    }
            );
            if always {
                quote!(params.set(#name, #value);)
            } else {
                quote! {
                    if let Some(value) = #value {
                        params.set(#name, Some(value));
                    }
                }
            }
        })
        .collect();
    let binding = if sets.is_empty() {
        quote!(let params)
    } else {
        quote!(let mut params)
    };
    quote! {
        #binding = super::endpoint::params(client.config());
        #(#sets)*
        let endpoint = super::endpoint::resolve(&params)?;
    }
}

fn static_value(node: &Node) -> TokenStream {
    match node {
        Node::Bool(b) => quote!(Some(tinsmith_runtime::endpoint::Value::Bool(#b))),
        Node::String(s) => quote!(Some(tinsmith_runtime::endpoint::Value::from(#s))),
        Node::Array(items) => {
            let items = items.iter().filter_map(Node::as_str);
            quote!(Some(tinsmith_runtime::endpoint::Value::from(
                vec![#(String::from(#items)),*]
            )))
        }
        _ => quote!(None),
    }
}

/// Follows fields from `start` (an `Option<&T>` expression): `Option`
/// fields with `and_then`, others with `map`.
fn follow(start: TokenStream, steps: &[FieldStep]) -> TokenStream {
    let steps = steps.iter().map(|step| {
        let field = &step.field;
        if step.optional {
            quote!(.and_then(|v| v.#field.as_ref()))
        } else {
            quote!(.map(|v| &v.#field))
        }
    });
    quote!(#start #(#steps)*)
}

/// The text of the string or string enum `v` refers to.
fn text_of(ty: &Ty<'_>, v: TokenStream) -> TokenStream {
    match ty {
        Ty::Enum(_) => quote!(#v.as_str().to_owned()),
        _ => quote!(#v.clone()),
    }
}

/// The value an `operationContextParams` path gives (see
/// `OperationParamValue::Path`).
fn path_value(
    steps: &[FieldStep],
    each: Option<&[FieldStep]>,
    keys: bool,
    ty: &Ty<'_>,
) -> TokenStream {
    let value = quote!(tinsmith_runtime::endpoint::Value);
    let reach = follow(quote!(Some(&input)), steps);
    if keys {
        let texts = match ty {
            Ty::Enum(_) => quote!(map.keys().map(|k| k.as_str().to_owned())),
            _ => quote!(map.keys().cloned()),
        };
        return quote! {
            #reach.map(|map| {
                let mut keys: Vec<String> = #texts.collect();
                keys.sort();
                #value::from(keys)
            })
        };
    }
    if let Some(inner) = each {
        let item = follow(quote!(Some(item)), inner);
        let scalar = match ty {
            Ty::Boolean => quote!(|v| #value::Bool(*v)),
            other => {
                let text = text_of(other, quote!(v));
                quote!(|v| #value::String(#text))
            }
        };
        return quote! {
            #reach.map(|items| #value::Array(
                items.iter().filter_map(|item| #item.map(#scalar)).collect()
            ))
        };
    }
    let convert = match ty {
        Ty::Boolean => quote!(|v| #value::Bool(*v)),
        Ty::List { item, .. } => {
            let text = text_of(item, quote!(e));
            quote!(|v| #value::Array(v.iter().map(|e| #value::String(#text)).collect()))
        }
        other => {
            let text = text_of(other, quote!(v));
            quote!(|v| #value::String(#text))
        }
    };
    quote!(#reach.map(#convert))
}

fn member_value(field: &proc_macro2::Ident, optional: bool, ty: &Ty<'_>) -> TokenStream {
    let value = quote!(tinsmith_runtime::endpoint::Value);
    let (convert, by_ref) = match ty {
        Ty::Boolean => (quote!(#value::Bool), false),
        Ty::Enum(_) => (quote!(|v| #value::from(v.as_str())), true),
        Ty::List { item, .. } if matches!(**item, Ty::Enum(_)) => (
            quote!(|v| #value::Array(v.iter().map(|e| #value::from(e.as_str())).collect())),
            true,
        ),
        _ => (quote!(#value::from), false),
    };
    match (optional, by_ref, ty) {
        (true, true, _) => quote!(input.#field.as_ref().map(#convert)),
        (true, false, Ty::Boolean) => quote!(input.#field.map(#convert)),
        (true, false, _) => quote!(input.#field.clone().map(#convert)),
        (false, true, _) => quote!(Some((#convert)(&input.#field))),
        (false, false, Ty::Boolean) => quote!(Some(#convert(input.#field))),
        (false, false, _) => quote!(Some(#convert(input.#field.clone()))),
    }
}

/// The `endpoint_tests` module: each `smithy.rules#endpointTests` case,
/// resolved from its parameters, and — for cases with `operationInputs` —
/// sent through the client with that configuration and input to a test
/// transport, checking where the request went (or the error it failed
/// with). Cases listed in `options.ignored` by their id
/// (`<Service>/endpoint/<index>`) are emitted with `#[ignore]`.
pub fn tests_module(plan: &Plan<'_>, options: &ProtocolTests) -> Option<TokenStream> {
    let rules = rules(plan)?;
    if rules.tests.is_empty() {
        return None;
    }
    let service = plan.service().name;
    let mut names = Namespace::default();
    let mut tests = Vec::new();
    for (index, case) in rules.tests.iter().enumerate() {
        let id = format!("{service}/endpoint/{index}");
        let ignore = options
            .ignored
            .get(&id)
            .map(|reason| quote!(#[ignore = #reason]));
        let doc = case
            .get("documentation")
            .and_then(Node::as_str)
            .unwrap_or("an endpoint test");
        let doc = format!(" {id}: {}", doc.lines().next().unwrap_or_default());
        let expect = case
            .get("expect")
            .map(|e| e.to_json().to_string())
            .unwrap_or_default();
        let params = case
            .get("params")
            .and_then(Node::as_object)
            .into_iter()
            .flatten()
            .filter_map(|(name, value)| {
                let value = literal_value(value)?;
                Some(quote!(params.set(#name, Some(#value));))
            });
        let name = names::ident(&names.claim(Claim::derived((), format!("case_{index}"))));
        tests.push(quote! {
            #[doc = #doc]
            #[test]
            #ignore
            fn #name() {
                #[allow(unused_mut)]
                let mut params = Params::new();
                #(#params)*
                let result = super::endpoint::resolve_rules(&params).map_err(|e| e.to_string());
                test_util::assert_endpoint(&result, #expect);
            }
        });
        let inputs = case
            .get("operationInputs")
            .and_then(Node::as_array)
            .into_iter()
            .flatten();
        for (n, input) in inputs.enumerate() {
            if let Some(test) = operation_test(plan, input, &expect) {
                let name = names::ident(
                    &names.claim(Claim::derived((), format!("case_{index}_call_{n}"))),
                );
                tests.push(quote! {
                    #[doc = #doc]
                    #[tokio::test]
                    #ignore
                    async fn #name() {
                        #test
                    }
                });
            }
        }
    }
    Some(quote! {
        #![doc = " The service's endpoint rule tests (`smithy.rules#endpointTests`)."]
        #![allow(deprecated)]

        use tinsmith_runtime::endpoint::Params;
        use tinsmith_runtime::test_util;

        #(#tests)*
    })
}

/// A rule parameter's value in a test case.
fn literal_value(node: &Node) -> Option<TokenStream> {
    let value = quote!(tinsmith_runtime::endpoint::Value);
    Some(match node {
        Node::Bool(b) => quote!(#value::Bool(#b)),
        Node::String(s) => quote!(#value::from(#s)),
        Node::Array(items) => {
            let items = items.iter().filter_map(Node::as_str);
            quote!(#value::from(vec![#(String::from(#items)),*]))
        }
        _ => return None,
    })
}

/// One call of a case's `operationInputs`, or `None` when the operation
/// is not in the plan.
fn operation_test(plan: &Plan<'_>, input: &Node, expect: &str) -> Option<TokenStream> {
    let op_name = input.get("operationName").and_then(Node::as_str)?;
    let op = plan.operations.iter().find(|op| op.name == op_name)?;
    let method = &op.method;
    let mut config = Vec::new();
    let settings = [input.get("builtInParams"), input.get("clientParams")];
    for (name, value) in settings
        .into_iter()
        .flatten()
        .filter_map(Node::as_object)
        .flatten()
    {
        config.push(match (name.as_str(), value) {
            ("AWS::Region", Node::String(region)) => quote!(.region(#region)),
            ("SDK::Endpoint", Node::String(url)) => quote!(.endpoint(#url)),
            (name, value) => {
                let value = literal_value(value)?;
                quote!(.endpoint_param(#name, #value))
            }
        });
    }
    let setters = match (plan.input(op), input.get("operationParams")) {
        (Some(shape), Some(params)) => params
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(_, v)| !matches!(v, Node::Null))
            .map(|(k, v)| {
                let member = shape.member(k)?;
                let setter = &member.setter;
                let value = values::expr(plan, &member.ty, v, Source::TestCase, Scope::Sibling);
                Some(quote!(.#setter(#value)))
            })
            .collect::<Option<Vec<_>>>()?,
        _ => Vec::new(),
    };
    let credentials = needs_aws(plan).then(
        || quote!(.credentials_provider(tinsmith_runtime::aws::Credentials::new("AKID", "SECRET"))),
    );
    Some(quote! {
        let transport = test_util::TestTransport::new(200, &[], "");
        let config = tinsmith_runtime::Config::builder()
            .transport(transport.clone())
            .retry(tinsmith_runtime::RetryConfig::disabled())
            #credentials
            #(#config)*
            .build();
        let client = super::Client::new(config);
        let result = client.#method() #(#setters)* .send().await;
        let error = result.err().map(|e| {
            let mut text = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                text.push_str(": ");
                text.push_str(&s.to_string());
                source = s.source();
            }
            text
        });
        test_util::assert_endpoint_sent(&transport, error, #expect);
    })
}
