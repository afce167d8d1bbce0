//! The endpoint rules engine with arbitrary parameters: the rule sets of
//! real services (S3, S3 Control, EventBridge: the largest and most
//! branching of the development set) evaluated with fuzzed parameter
//! values. Parameters come from callers (bucket names, ARNs, regions), so
//! any value must resolve or fail with a `ResolveError`, never panic.
//!
//! The rule sets are read once from the AWS models beside the repository
//! (`../shared/aws-models/models`, or `$TINSMITH_AWS_MODELS`); without
//! them the target has nothing to run and says so.
//!
//! Input: `<selector><value>\0<value>\0...`; the selector picks the rule
//! set and the values go to its parameters in order (a string as is, a
//! boolean from its first byte, a string array split at `,`; an empty
//! value leaves the parameter unset).

#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tinsmith_runtime::endpoint::{ParameterType, RuleSet};
use tinsmith_runtime::endpoint::{Params, Value};

const MODELS: &[&str] = &[
    "s3-2006-03-01.json",
    "s3-control-2018-08-20.json",
    "eventbridge-2015-10-07.json",
];

fn rule_sets() -> &'static [RuleSet] {
    static SETS: OnceLock<Vec<RuleSet>> = OnceLock::new();
    SETS.get_or_init(|| {
        let dir = std::env::var_os("TINSMITH_AWS_MODELS")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("../../../shared/aws-models/models"));
        let sets: Vec<RuleSet> = MODELS
            .iter()
            .filter_map(|name| {
                let text = std::fs::read_to_string(dir.join(name)).ok()?;
                let model: serde_json::Value = serde_json::from_str(&text).ok()?;
                let rules = model["shapes"]
                    .as_object()?
                    .values()
                    .find_map(|shape| shape["traits"].get("smithy.rules#endpointRuleSet"))?;
                RuleSet::from_json(rules).ok()
            })
            .collect();
        assert!(
            !sets.is_empty(),
            "no rule sets found under {} (set TINSMITH_AWS_MODELS)",
            dir.display()
        );
        sets
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let sets = rule_sets();
    let rules = &sets[usize::from(selector) % sets.len()];
    let mut values = rest.split(|b| *b == 0);
    let mut params = Params::new();
    for parameter in rules.parameters() {
        let Some(raw) = values.next() else {
            break;
        };
        if raw.is_empty() {
            continue;
        }
        let text = String::from_utf8_lossy(raw);
        let value = match parameter.ty {
            ParameterType::String => Value::String(text.into_owned()),
            ParameterType::Boolean => Value::Bool(raw[0] & 1 == 1),
            ParameterType::StringArray => Value::Array(
                text.split(',')
                    .map(|s| Value::String(s.to_owned()))
                    .collect(),
            ),
        };
        params.set(&parameter.name, Some(value));
    }
    let _ = rules.resolve(&params);
});
