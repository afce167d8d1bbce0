//! AWS partition data for `aws.partition`: which partition a region is in,
//! and that partition's DNS suffixes and capabilities.
//!
//! The data is AWS's published `partitions.json` (Apache-2.0), bundled at
//! `partitions.json` beside this file and read once, on first use.
//! `tests/scripts/update-partitions.sh` refreshes it from a newer copy; a
//! program can also resolve with data of its own
//! ([`RuleSet::resolve_with`](super::RuleSet::resolve_with)).
//!
//! A region matches a partition that lists it (its own entry may override
//! the partition's outputs), else a partition whose `regionRegex` matches
//! it, else the `aws` partition (spec: AWS rules, `aws.partition`).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde_json::Value as Json;

use super::Value;

/// The bundled partition data.
const PARTITIONS: &str = include_str!("partitions.json");

struct Partition {
    id: String,
    region_regex: Option<regex_lite::Regex>,
    regions: BTreeMap<String, BTreeMap<String, Value>>,
    outputs: BTreeMap<String, Value>,
}

fn outputs(json: Option<&Json>) -> BTreeMap<String, Value> {
    json.and_then(Json::as_object)
        .map(|map| {
            map.iter()
                .filter_map(|(k, v)| Some((k.clone(), Value::from_json(v)?)))
                .collect()
        })
        .unwrap_or_default()
}

/// Partition data: which partition each region is in, and what each
/// partition offers.
pub struct Partitions(Vec<Partition>);

impl std::fmt::Debug for Partitions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.0.iter().map(|p| &p.id))
            .finish()
    }
}

impl Partitions {
    /// Partition data in the form of AWS's `partitions.json`.
    pub fn from_json(text: &str) -> Result<Partitions, super::ResolveError> {
        let json: Json = serde_json::from_str(text)
            .map_err(|e| super::ResolveError::new(format!("partition data: {e}")))?;
        let partitions = json
            .get("partitions")
            .and_then(Json::as_array)
            .ok_or_else(|| super::ResolveError::new("partition data without `partitions`"))?;
        Ok(Partitions(
            partitions
                .iter()
                .filter_map(|p| {
                    Some(Partition {
                        id: p.get("id")?.as_str()?.to_owned(),
                        region_regex: p
                            .get("regionRegex")
                            .and_then(Json::as_str)
                            .and_then(|r| regex_lite::Regex::new(r).ok()),
                        regions: p
                            .get("regions")
                            .and_then(Json::as_object)
                            .map(|regions| {
                                regions
                                    .iter()
                                    .map(|(name, r)| (name.clone(), outputs(Some(r))))
                                    .collect()
                            })
                            .unwrap_or_default(),
                        outputs: outputs(p.get("outputs")),
                    })
                })
                .collect(),
        ))
    }

    /// The bundled data, read on first use.
    pub fn bundled() -> &'static Partitions {
        static PARSED: OnceLock<Partitions> = OnceLock::new();
        PARSED.get_or_init(|| Partitions::from_json(PARTITIONS).unwrap_or(Partitions(Vec::new())))
    }

    /// The outputs of `region`'s partition, as `aws.partition` returns
    /// them.
    pub fn partition(&self, region: &str) -> Value {
        let all = &self.0;
        let chosen = all
            .iter()
            .find(|p| p.regions.contains_key(region))
            .map(|p| (p, p.regions.get(region)))
            .or_else(|| {
                all.iter()
                    .find(|p| p.region_regex.as_ref().is_some_and(|r| r.is_match(region)))
                    .map(|p| (p, None))
            })
            .or_else(|| all.iter().find(|p| p.id == "aws").map(|p| (p, None)));
        let Some((partition, overrides)) = chosen else {
            return Value::Object(BTreeMap::new());
        };
        let mut out = partition.outputs.clone();
        for (key, value) in overrides.into_iter().flatten() {
            // A region's entry describes it; only output fields override.
            if out.contains_key(key) {
                out.insert(key.clone(), value.clone());
            }
        }
        out.insert("name".to_owned(), Value::String(partition.id.clone()));
        Value::Object(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(region: &str, key: &str) -> Value {
        let Value::Object(map) = Partitions::bundled().partition(region) else {
            panic!()
        };
        map[key].clone()
    }

    #[test]
    fn regions_find_their_partitions() {
        assert_eq!(field("us-west-2", "name"), Value::String("aws".into()));
        assert_eq!(
            field("cn-north-1", "dnsSuffix"),
            Value::String("amazonaws.com.cn".into())
        );
        assert_eq!(
            field("us-gov-west-1", "name"),
            Value::String("aws-us-gov".into())
        );
        // By pattern, then the default.
        assert_eq!(field("us-east-99", "name"), Value::String("aws".into()));
        assert_eq!(field("mars-east-1", "name"), Value::String("aws".into()));
        assert_eq!(field("aws-global", "supportsFIPS"), Value::Bool(true));
    }
}
