//! Endpoints: where a call goes, and (with the `rules` feature) the Smithy
//! endpoint rules engine that decides it from a service's
//! `smithy.rules#endpointRuleSet` (Smithy spec: "Rules engine").
//!
//! An [`Endpoint`] is a URL, properties (`authSchemes`, with the signing
//! name and region a SigV4 signature uses) and headers every request to it
//! carries. Generated clients of services with a rule set build the
//! [`Params`] of each call (from the client's configuration, the input's
//! `@contextParam` members and the operation's static parameters) and
//! resolve them with [`RuleSet::resolve`]; the pipeline then sends to the
//! endpoint's URL, adds its headers and signs with its auth properties.
//!
//! A rule set is read once ([`RuleSet::parse`], from the JSON generated
//! code embeds) into a typed tree, then evaluated per call: rules in order,
//! each rule's conditions in order, a condition holding when its value is
//! neither absent nor `false`, and `assign` binding its value for the rest
//! of the rule. The standard library and the AWS functions
//! (`aws.partition`, `aws.parseArn`, `aws.isVirtualHostableS3Bucket`) are in
//! `functions`; partition data is the bundled `partitions.json`
//! ([`Partitions`]).
//!
//! Untrusted input never panics here: a rule set that does not parse is an
//! error from `parse`; one that misuses a function (a wrong argument type)
//! is an error from `resolve`.

#[cfg(feature = "rules")]
mod functions;
#[cfg(feature = "rules")]
mod partitions;
#[cfg(feature = "rules")]
mod rules;

#[cfg(feature = "rules")]
pub use partitions::Partitions;
#[cfg(feature = "rules")]
pub use rules::{LazyRuleSet, Parameter, ParameterType, RuleSet};
#[cfg(feature = "rules")]
use rules::{PathStep, parse_path};

use std::collections::BTreeMap;
use std::fmt;

#[cfg(any(feature = "rules", feature = "outbox"))]
use serde_json::Value as Json;

/// A value during evaluation: a parameter, an assigned variable or a
/// function's result.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A string.
    String(String),
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// An array (of strings, for `stringArray` parameters and `split`).
    Array(Vec<Value>),
    /// An object (the results of `parseURL`, `aws.partition`,
    /// `aws.parseArn`, and endpoint properties).
    Object(BTreeMap<String, Value>),
}

impl Value {
    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The value of a JSON value (`null` has none).
    #[cfg(any(feature = "rules", feature = "outbox"))]
    pub(crate) fn from_json(json: &Json) -> Option<Value> {
        Some(match json {
            Json::String(s) => Value::String(s.clone()),
            Json::Bool(b) => Value::Bool(*b),
            Json::Number(n) => Value::Int(n.as_i64()?),
            Json::Array(items) => Value::Array(items.iter().filter_map(Value::from_json).collect()),
            Json::Object(map) => Value::Object(
                map.iter()
                    .filter_map(|(k, v)| Some((k.clone(), Value::from_json(v)?)))
                    .collect(),
            ),
            Json::Null => return None,
        })
    }

    /// The value as JSON (for storing an endpoint).
    #[cfg(feature = "outbox")]
    pub(crate) fn to_json(&self) -> Json {
        match self {
            Value::String(s) => Json::from(s.as_str()),
            Value::Bool(b) => Json::from(*b),
            Value::Int(i) => Json::from(*i),
            Value::Array(items) => Json::Array(items.iter().map(Value::to_json).collect()),
            Value::Object(map) => {
                Json::Object(map.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
            }
        }
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}

impl From<Vec<String>> for Value {
    fn from(items: Vec<String>) -> Self {
        Value::Array(items.into_iter().map(Value::String).collect())
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::String(s) => f.write_str(s),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// A resolved endpoint.
#[derive(Debug, Clone, PartialEq)]
pub struct Endpoint {
    /// The URL requests go to.
    pub url: String,
    /// The endpoint's properties (`authSchemes`, ...).
    pub properties: BTreeMap<String, Value>,
    /// Headers every request to it carries, each with its values.
    pub headers: BTreeMap<String, Vec<String>>,
}

/// Why no endpoint resolved: the rule set's own error, or a rule set the
/// engine could not evaluate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolveError(String);

impl ResolveError {
    /// An error with a message.
    pub fn new(message: impl Into<String>) -> Self {
        ResolveError(message.into())
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ResolveError {}

/// The parameter values of one resolution, by parameter name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Params(BTreeMap<String, Value>);

impl Params {
    /// No values yet.
    pub fn new() -> Self {
        Params::default()
    }

    /// Sets a string parameter.
    pub fn string(mut self, name: &str, value: impl Into<String>) -> Self {
        self.0.insert(name.to_owned(), Value::String(value.into()));
        self
    }

    /// Sets a boolean parameter.
    pub fn bool(mut self, name: &str, value: bool) -> Self {
        self.0.insert(name.to_owned(), Value::Bool(value));
        self
    }

    /// Sets a string-array parameter.
    pub fn strings<I: IntoIterator<Item = S>, S: Into<String>>(
        mut self,
        name: &str,
        values: I,
    ) -> Self {
        self.0.insert(
            name.to_owned(),
            Value::Array(
                values
                    .into_iter()
                    .map(|s| Value::String(s.into()))
                    .collect(),
            ),
        );
        self
    }

    /// Sets a parameter to a value, or leaves it unset for `None`.
    pub fn set(&mut self, name: &str, value: Option<Value>) {
        match value {
            Some(v) => {
                self.0.insert(name.to_owned(), v);
            }
            None => {
                self.0.remove(name);
            }
        }
    }

    /// The value of a parameter, when set.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0.get(name)
    }
}
