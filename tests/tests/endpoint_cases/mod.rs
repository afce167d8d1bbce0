//! Running `smithy.rules#endpointTests` cases through the runtime's rules
//! engine (shared by `endpoint_rules.rs` and `aws_models.rs`).

#![allow(dead_code)]

use std::path::Path;

use serde_json::Value as Json;
use tinsmith_runtime::endpoint::{Params, Partitions, RuleSet, Value};

/// A resolved value as the tests write it.
fn to_json(value: &Value) -> Json {
    match value {
        Value::String(s) => Json::String(s.clone()),
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => Json::from(*i),
        Value::Array(items) => Json::Array(items.iter().map(to_json).collect()),
        Value::Object(map) => {
            Json::Object(map.iter().map(|(k, v)| (k.clone(), to_json(v))).collect())
        }
    }
}

fn from_json(json: &Json) -> Option<Value> {
    Some(match json {
        Json::String(s) => Value::String(s.clone()),
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => Value::Int(n.as_i64()?),
        Json::Array(items) => Value::Array(items.iter().filter_map(from_json).collect()),
        Json::Object(map) => Value::Object(
            map.iter()
                .filter_map(|(k, v)| Some((k.clone(), from_json(v)?)))
                .collect(),
        ),
        Json::Null => return None,
    })
}

/// The result of one service's cases: (passed, failures).
#[derive(Default)]
pub struct Tally {
    pub passed: usize,
    pub failures: Vec<String>,
}

impl Tally {
    /// Adds another tally's counts to this one.
    pub fn absorb(&mut self, other: Tally) {
        self.passed += other.passed;
        self.failures.extend(other.failures);
    }
}

/// Runs every test case of every service of `model`, naming failures after
/// `name`.
pub fn run_model(
    name: &str,
    model: &tinsmith::model::Model,
    partitions: &Partitions,
    tally: &mut Tally,
) {
    for shape in model.user_shapes() {
        let (Some(rules), Some(tests)) = (
            shape.trait_value("smithy.rules#endpointRuleSet"),
            shape.trait_value("smithy.rules#endpointTests"),
        ) else {
            continue;
        };
        let rules = match RuleSet::from_json(&rules.to_json()) {
            Ok(rules) => rules,
            Err(e) => {
                tally.failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        let tests = tests.to_json();
        for (i, case) in tests["testCases"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            let label = format!(
                "{name} case {i} ({})",
                case["documentation"].as_str().unwrap_or_default()
            );
            match check(&rules, partitions, case) {
                Ok(()) => tally.passed += 1,
                Err(why) => tally.failures.push(format!("{label}: {why}")),
            }
        }
    }
}

/// Runs every test case of every service in the files under `paths`.
pub fn run_files(paths: &[std::path::PathBuf], partitions: &Partitions, tally: &mut Tally) {
    for path in paths {
        let loaded = tinsmith::Loader::new().path(path).load();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if loaded.has_errors() {
            tally.failures.push(format!("{name}: does not load"));
            continue;
        }
        run_model(&name, &loaded.model, partitions, tally);
    }
}

pub fn check(rules: &RuleSet, partitions: &Partitions, case: &Json) -> Result<(), String> {
    let mut params = Params::new();
    for (name, value) in case["params"].as_object().into_iter().flatten() {
        params.set(name, from_json(value));
    }
    let result = rules.resolve_with(&params, partitions);
    let expect = &case["expect"];
    match (result, expect.get("endpoint"), expect.get("error")) {
        (Ok(endpoint), Some(want), _) => {
            if endpoint.url != want["url"].as_str().unwrap_or_default() {
                return Err(format!("url {} (expected {})", endpoint.url, want["url"]));
            }
            let properties: serde_json::Map<String, Json> = endpoint
                .properties
                .iter()
                .map(|(k, v)| (k.clone(), to_json(v)))
                .collect();
            let want_properties = want
                .get("properties")
                .cloned()
                .unwrap_or(Json::Object(Default::default()));
            if Json::Object(properties.clone()) != want_properties {
                return Err(format!(
                    "properties {} (expected {want_properties})",
                    Json::Object(properties)
                ));
            }
            let headers: serde_json::Map<String, Json> = endpoint
                .headers
                .iter()
                .map(|(k, v)| (k.clone(), Json::from(v.clone())))
                .collect();
            let want_headers = want
                .get("headers")
                .cloned()
                .unwrap_or(Json::Object(Default::default()));
            if Json::Object(headers.clone()) != want_headers {
                return Err(format!(
                    "headers {} (expected {want_headers})",
                    Json::Object(headers)
                ));
            }
            Ok(())
        }
        (Err(error), _, Some(want)) => {
            if error.message() == want.as_str().unwrap_or_default() {
                Ok(())
            } else {
                Err(format!("error `{}` (expected {want})", error.message()))
            }
        }
        (Ok(endpoint), None, _) => Err(format!(
            "resolved {} where an error was expected",
            endpoint.url
        )),
        (Err(error), None, None) => Err(format!("error `{}` and no expectation", error.message())),
        (Err(error), Some(want), _) => Err(format!(
            "error `{}` (expected {})",
            error.message(),
            want["url"]
        )),
    }
}

/// The bundled partition data as it was before the ISO partitions gained
/// dual-stack endpoints.
pub fn partitions_before_iso_dual_stack() -> Partitions {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime/src/endpoint/partitions.json");
    let mut data: Json = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    for partition in data["partitions"].as_array_mut().unwrap() {
        if partition["id"]
            .as_str()
            .is_some_and(|id| id.starts_with("aws-iso"))
        {
            let outputs = partition["outputs"].as_object_mut().unwrap();
            let dns = outputs["dnsSuffix"].clone();
            outputs.insert("dualStackDnsSuffix".to_owned(), dns);
            outputs.insert("supportsDualStack".to_owned(), Json::Bool(false));
        }
    }
    Partitions::from_json(&data.to_string()).unwrap()
}
