//! The rule-set tree and its evaluation (see the [module above](super)).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use serde_json::Value as Json;

use super::{Endpoint, Params, ResolveError, Value, functions, partitions::Partitions};

/// The type of a parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParameterType {
    /// `string`.
    String,
    /// `boolean`.
    Boolean,
    /// `stringArray`.
    StringArray,
}

/// A parameter of a rule set.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// Its name.
    pub name: String,
    /// Its type.
    pub ty: ParameterType,
    /// A call without a value (and without a default) cannot resolve.
    pub required: bool,
    /// The value when the call gives none.
    pub default: Option<Value>,
    /// The built-in it takes its value from (`AWS::Region`, ...).
    pub built_in: Option<String>,
}

/// An expression.
#[derive(Debug, Clone, PartialEq)]
enum Expr {
    /// A string with `{...}` references.
    Template(Vec<Part>),
    /// A string without references.
    Literal(Value),
    Bool(bool),
    Int(i64),
    Array(Vec<Expr>),
    Object(Vec<(String, Expr)>),
    Ref(Var),
    Call(Call),
}

/// A variable: a parameter, or what a condition assigned. Its slot (the
/// index of its value in the scope) is bound once the whole rule set is
/// read, so evaluation never looks a name up.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Var {
    name: String,
    slot: usize,
}

impl Var {
    fn new(name: impl Into<String>) -> Self {
        Var {
            name: name.into(),
            slot: 0,
        }
    }
}

/// A piece of a template string.
#[derive(Debug, Clone, PartialEq)]
enum Part {
    Text(String),
    /// `{Name}`, or `{Name#path}`.
    Ref(Var, Option<Vec<PathStep>>),
}

/// A step of a `getAttr` path.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum PathStep {
    Key(String),
    Index(i64),
}

#[derive(Debug, Clone, PartialEq)]
struct Call {
    function: String,
    args: Vec<Expr>,
}

#[derive(Debug, Clone, PartialEq)]
struct Condition {
    call: Call,
    assign: Option<Var>,
}

#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Endpoint {
        url: Expr,
        properties: Vec<(String, Expr)>,
        headers: Vec<(String, Vec<Expr>)>,
    },
    Error(Expr),
    Tree(Vec<Rule>),
}

#[derive(Debug, Clone, PartialEq)]
struct Rule {
    conditions: Vec<Condition>,
    outcome: Outcome,
}

/// A parsed rule set.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSet {
    parameters: Vec<Parameter>,
    rules: Vec<Rule>,
    /// How many variable slots evaluation needs (parameters first).
    slots: usize,
}

/// Rule sets nest at most this deep (trees and expressions).
const MAX_DEPTH: usize = 64;

fn malformed(what: impl fmt::Display) -> ResolveError {
    ResolveError::new(format!("malformed rule set: {what}"))
}

impl RuleSet {
    /// Parses a rule set from its JSON text.
    pub fn parse(json: &str) -> Result<RuleSet, ResolveError> {
        let value: Json = serde_json::from_str(json).map_err(malformed)?;
        RuleSet::from_json(&value)
    }

    /// Reads a rule set from its JSON value.
    pub fn from_json(value: &Json) -> Result<RuleSet, ResolveError> {
        let object = value
            .as_object()
            .ok_or_else(|| malformed("not an object"))?;
        let mut parameters = Vec::new();
        if let Some(params) = object.get("parameters") {
            let params = params
                .as_object()
                .ok_or_else(|| malformed("`parameters` is not an object"))?;
            for (name, p) in params {
                parameters.push(parameter(name, p)?);
            }
        }
        let rules = rules(
            object.get("rules").ok_or_else(|| malformed("no `rules`"))?,
            0,
        )?;
        let mut rules = rules;
        let mut slots: std::collections::HashMap<String, usize> = parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (p.name.clone(), i))
            .collect();
        bind_rules(&mut rules, &mut slots);
        Ok(RuleSet {
            parameters,
            rules,
            slots: slots.len(),
        })
    }

    /// The parameters.
    pub fn parameters(&self) -> &[Parameter] {
        &self.parameters
    }

    /// Resolves the endpoint for these parameter values (missing ones take
    /// their defaults), with the bundled partition data.
    pub fn resolve(&self, params: &Params) -> Result<Endpoint, ResolveError> {
        self.resolve_with(params, Partitions::bundled())
    }

    /// Resolves the endpoint with partition data of the caller's (newer
    /// than the bundled data, or of a private partition).
    pub fn resolve_with(
        &self,
        params: &Params,
        partitions: &Partitions,
    ) -> Result<Endpoint, ResolveError> {
        // Parameters take the first slots, in order (see `bind`).
        let mut scope: Vec<Option<Value>> = vec![None; self.slots];
        for (slot, p) in self.parameters.iter().enumerate() {
            let value = params.0.get(&p.name).cloned().or_else(|| p.default.clone());
            match value {
                Some(value) => {
                    scope[slot] = Some(value);
                }
                None if p.required => {
                    return Err(ResolveError::new(format!(
                        "the endpoint parameter `{}` is required",
                        p.name
                    )));
                }
                None => {}
            }
        }
        let mut scope = Scope {
            vars: scope,
            assigned: Vec::new(),
            partitions,
        };
        match evaluate_rules(&self.rules, &mut scope)? {
            Some(result) => result,
            None => Err(ResolveError::new("no endpoint rule matched")),
        }
    }
}

fn parameter(name: &str, json: &Json) -> Result<Parameter, ResolveError> {
    let ty = match json
        .get("type")
        .and_then(Json::as_str)
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("string") => ParameterType::String,
        Some("boolean") => ParameterType::Boolean,
        Some("stringarray") => ParameterType::StringArray,
        other => return Err(malformed(format!("parameter `{name}` has type {other:?}"))),
    };
    Ok(Parameter {
        name: name.to_owned(),
        ty,
        required: json.get("required").and_then(Json::as_bool) == Some(true),
        default: json.get("default").and_then(Value::from_json),
        built_in: json
            .get("builtIn")
            .and_then(Json::as_str)
            .map(str::to_owned),
    })
}

fn rules(json: &Json, depth: usize) -> Result<Vec<Rule>, ResolveError> {
    if depth > MAX_DEPTH {
        return Err(malformed("rules nest too deeply"));
    }
    json.as_array()
        .ok_or_else(|| malformed("`rules` is not an array"))?
        .iter()
        .map(|r| rule(r, depth))
        .collect()
}

fn rule(json: &Json, depth: usize) -> Result<Rule, ResolveError> {
    let conditions = match json.get("conditions") {
        None => Vec::new(),
        Some(c) => c
            .as_array()
            .ok_or_else(|| malformed("`conditions` is not an array"))?
            .iter()
            .map(|c| condition(c, depth))
            .collect::<Result<_, _>>()?,
    };
    let outcome = match json.get("type").and_then(Json::as_str) {
        Some("endpoint") => {
            let endpoint = json
                .get("endpoint")
                .ok_or_else(|| malformed("an endpoint rule without `endpoint`"))?;
            let url = expr(
                endpoint
                    .get("url")
                    .ok_or_else(|| malformed("an endpoint without `url`"))?,
                depth,
            )?;
            let properties = match endpoint.get("properties") {
                None => Vec::new(),
                Some(p) => p
                    .as_object()
                    .ok_or_else(|| malformed("`properties` is not an object"))?
                    .iter()
                    .map(|(k, v)| Ok((k.clone(), literal(v, depth + 1)?)))
                    .collect::<Result<_, ResolveError>>()?,
            };
            let headers = match endpoint.get("headers") {
                None => Vec::new(),
                Some(h) => h
                    .as_object()
                    .ok_or_else(|| malformed("`headers` is not an object"))?
                    .iter()
                    .map(|(k, v)| {
                        let values = v
                            .as_array()
                            .ok_or_else(|| malformed("a header's values are not an array"))?
                            .iter()
                            .map(|v| expr(v, depth + 1))
                            .collect::<Result<_, _>>()?;
                        Ok((k.clone(), values))
                    })
                    .collect::<Result<_, ResolveError>>()?,
            };
            Outcome::Endpoint {
                url,
                properties,
                headers,
            }
        }
        Some("error") => Outcome::Error(expr(
            json.get("error")
                .ok_or_else(|| malformed("an error rule without `error`"))?,
            depth,
        )?),
        Some("tree") => Outcome::Tree(rules(
            json.get("rules")
                .ok_or_else(|| malformed("a tree rule without `rules`"))?,
            depth + 1,
        )?),
        other => return Err(malformed(format!("a rule of type {other:?}"))),
    };
    Ok(Rule {
        conditions,
        outcome,
    })
}

fn condition(json: &Json, depth: usize) -> Result<Condition, ResolveError> {
    let Expr::Call(call) = expr(json, depth)? else {
        return Err(malformed("a condition is not a function call"));
    };
    Ok(Condition {
        call,
        assign: json.get("assign").and_then(Json::as_str).map(Var::new),
    })
}

/// An argument or value: a string is a template, an object with `ref` or
/// `fn` a reference or a call.
fn expr(json: &Json, depth: usize) -> Result<Expr, ResolveError> {
    if depth > MAX_DEPTH {
        return Err(malformed("expressions nest too deeply"));
    }
    Ok(match json {
        Json::String(s) => match template(s)?.as_slice() {
            [] => Expr::Literal(Value::String(String::new())),
            [Part::Text(text)] => Expr::Literal(Value::String(text.clone())),
            parts => Expr::Template(parts.to_vec()),
        },
        Json::Bool(b) => Expr::Bool(*b),
        Json::Number(n) => Expr::Int(
            n.as_i64()
                .ok_or_else(|| malformed(format!("{n} is not an integer")))?,
        ),
        Json::Array(items) => Expr::Array(
            items
                .iter()
                .map(|i| expr(i, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        Json::Object(map) => {
            if let Some(name) = map.get("ref") {
                let name = name
                    .as_str()
                    .ok_or_else(|| malformed("`ref` is not a string"))?;
                Expr::Ref(Var::new(name))
            } else if let Some(function) = map.get("fn") {
                let function = function
                    .as_str()
                    .ok_or_else(|| malformed("`fn` is not a string"))?;
                let args = map
                    .get("argv")
                    .and_then(Json::as_array)
                    .ok_or_else(|| malformed(format!("`{function}` without `argv`")))?
                    .iter()
                    .map(|a| expr(a, depth + 1))
                    .collect::<Result<_, _>>()?;
                Expr::Call(Call {
                    function: function.to_owned(),
                    args,
                })
            } else {
                return Err(malformed("an object that is neither `ref` nor `fn`"));
            }
        }
        Json::Null => return Err(malformed("null")),
    })
}

/// A value in endpoint properties: objects are literal objects (not
/// references or calls) unless they have `ref` or `fn`.
fn literal(json: &Json, depth: usize) -> Result<Expr, ResolveError> {
    if depth > MAX_DEPTH {
        return Err(malformed("properties nest too deeply"));
    }
    match json {
        Json::Object(map) if !map.contains_key("ref") && !map.contains_key("fn") => {
            Ok(Expr::Object(
                map.iter()
                    .map(|(k, v)| Ok((k.clone(), literal(v, depth + 1)?)))
                    .collect::<Result<_, ResolveError>>()?,
            ))
        }
        Json::Array(items) => Ok(Expr::Array(
            items
                .iter()
                .map(|i| literal(i, depth + 1))
                .collect::<Result<_, _>>()?,
        )),
        other => expr(other, depth),
    }
}

/// Parses a template string: `{Name}` and `{Name#path}` are references,
/// `{{` and `}}` literal braces.
fn template(text: &str) -> Result<Vec<Part>, ResolveError> {
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                literal.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                literal.push('}');
            }
            '{' => {
                let mut inner = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(c) => inner.push(c),
                        None => return Err(malformed(format!("unclosed `{{` in `{text}`"))),
                    }
                }
                if !literal.is_empty() {
                    parts.push(Part::Text(std::mem::take(&mut literal)));
                }
                parts.push(match inner.split_once('#') {
                    Some((name, path)) => Part::Ref(Var::new(name), Some(parse_path(path)?)),
                    None => Part::Ref(Var::new(inner), None),
                });
            }
            c => literal.push(c),
        }
    }
    if !literal.is_empty() || parts.is_empty() {
        parts.push(Part::Text(literal));
    }
    Ok(parts)
}

/// Parses a `getAttr` path: `a.b[0].c`, `[1]`, `a[-1]`.
pub(crate) fn parse_path(path: &str) -> Result<Vec<PathStep>, ResolveError> {
    let mut steps = Vec::new();
    for segment in path.split('.') {
        let (key, mut rest) = match segment.find('[') {
            Some(i) => (&segment[..i], &segment[i..]),
            None => (segment, ""),
        };
        if !key.is_empty() {
            steps.push(PathStep::Key(key.to_owned()));
        }
        while let Some(stripped) = rest.strip_prefix('[') {
            let end = stripped
                .find(']')
                .ok_or_else(|| malformed(format!("unclosed `[` in path `{path}`")))?;
            let index: i64 = stripped[..end].parse().map_err(|_| {
                malformed(format!(
                    "`{}` is not an index in `{path}`",
                    &stripped[..end]
                ))
            })?;
            steps.push(PathStep::Index(index));
            rest = &stripped[end + 1..];
        }
        if !rest.is_empty() {
            return Err(malformed(format!("path `{path}`")));
        }
    }
    Ok(steps)
}

/// Gives every variable its slot: parameters keep theirs, each other name
/// (what conditions assign) gets the next free one. A reference to a name
/// nothing defines gets a slot that stays empty, so it reads as unset.
fn bind_rules(rules: &mut [Rule], slots: &mut std::collections::HashMap<String, usize>) {
    for rule in rules {
        for condition in &mut rule.conditions {
            bind_call(&mut condition.call, slots);
            if let Some(var) = &mut condition.assign {
                bind(var, slots);
            }
        }
        match &mut rule.outcome {
            Outcome::Endpoint {
                url,
                properties,
                headers,
            } => {
                bind_expr(url, slots);
                for (_, value) in properties {
                    bind_expr(value, slots);
                }
                for value in headers.iter_mut().flat_map(|(_, values)| values) {
                    bind_expr(value, slots);
                }
            }
            Outcome::Error(message) => bind_expr(message, slots),
            Outcome::Tree(rules) => bind_rules(rules, slots),
        }
    }
}

fn bind(var: &mut Var, slots: &mut std::collections::HashMap<String, usize>) {
    let next = slots.len();
    var.slot = *slots.entry(var.name.clone()).or_insert(next);
}

fn bind_call(call: &mut Call, slots: &mut std::collections::HashMap<String, usize>) {
    for arg in &mut call.args {
        bind_expr(arg, slots);
    }
}

fn bind_expr(expr: &mut Expr, slots: &mut std::collections::HashMap<String, usize>) {
    match expr {
        Expr::Ref(var) => bind(var, slots),
        Expr::Template(parts) => {
            for part in parts {
                if let Part::Ref(var, _) = part {
                    bind(var, slots);
                }
            }
        }
        Expr::Array(items) => {
            for item in items {
                bind_expr(item, slots);
            }
        }
        Expr::Object(entries) => {
            for (_, value) in entries {
                bind_expr(value, slots);
            }
        }
        Expr::Call(call) => bind_call(call, slots),
        Expr::Literal(_) | Expr::Bool(_) | Expr::Int(_) => {}
    }
}

/// The variables in scope (parameters, then what conditions assigned), and
/// the partition data.
struct Scope<'p> {
    vars: Vec<Option<Value>>,
    /// The names conditions assigned, in order, with what each hid (rule
    /// sets may not shadow, but one that does must not corrupt the scope),
    /// so a rule's assignments can be undone when it ends: they are scoped
    /// to the rule.
    assigned: Vec<(usize, Option<Value>)>,
    partitions: &'p Partitions,
}

type Resolution = Result<Endpoint, ResolveError>;

/// Evaluates rules in order: the first whose conditions hold decides;
/// `None` when none applies. A tree whose conditions hold must resolve: if
/// none of its rules applies, that is an error (rule sets are exhaustive).
/// Nesting is bounded when the rule set is parsed (`MAX_DEPTH`), so the
/// recursion here is too.
fn evaluate_rules(rules: &[Rule], scope: &mut Scope) -> Result<Option<Resolution>, ResolveError> {
    for rule in rules {
        // Assignments last only within the rule.
        let mark = scope.assigned.len();
        let matched = conditions_hold(&rule.conditions, scope)?;
        let result = if matched {
            match &rule.outcome {
                Outcome::Endpoint {
                    url,
                    properties,
                    headers,
                } => Some(Ok(endpoint(url, properties, headers, scope)?)),
                Outcome::Error(message) => {
                    let message = evaluate(message, scope)?
                        .map(|v| v.to_string())
                        .unwrap_or_default();
                    Some(Err(ResolveError::new(message)))
                }
                Outcome::Tree(rules) => match evaluate_rules(rules, scope)? {
                    Some(result) => Some(result),
                    None => {
                        return Err(ResolveError::new("no rule of a matching tree rule applied"));
                    }
                },
            }
        } else {
            None
        };
        while scope.assigned.len() > mark {
            let Some((slot, hidden)) = scope.assigned.pop() else {
                break;
            };
            scope.vars[slot] = hidden;
        }
        if result.is_some() {
            return Ok(result);
        }
    }
    Ok(None)
}

fn conditions_hold(conditions: &[Condition], scope: &mut Scope) -> Result<bool, ResolveError> {
    for c in conditions {
        let value = call(&c.call, scope)?;
        match value {
            None | Some(Value::Bool(false)) => return Ok(false),
            Some(value) => {
                if let Some(var) = &c.assign {
                    let hidden = scope.vars[var.slot].replace(value);
                    scope.assigned.push((var.slot, hidden));
                }
            }
        }
    }
    Ok(true)
}

fn endpoint(
    url: &Expr,
    properties: &[(String, Expr)],
    headers: &[(String, Vec<Expr>)],
    scope: &Scope,
) -> Result<Endpoint, ResolveError> {
    let url = match evaluate(url, scope)? {
        Some(Value::String(url)) => url,
        other => {
            return Err(ResolveError::new(format!(
                "an endpoint's url is not a string: {other:?}"
            )));
        }
    };
    let mut props = BTreeMap::new();
    for (name, value) in properties {
        if let Some(value) = evaluate(value, scope)? {
            props.insert(name.clone(), value);
        }
    }
    let mut heads = BTreeMap::new();
    for (name, values) in headers {
        let mut texts = Vec::new();
        for v in values {
            if let Some(v) = evaluate(v, scope)? {
                texts.push(v.to_string());
            }
        }
        heads.insert(name.clone(), texts);
    }
    Ok(Endpoint {
        url,
        properties: props,
        headers: heads,
    })
}

/// Evaluates an expression; `None` is an absent value.
fn evaluate(expr: &Expr, scope: &Scope) -> Result<Option<Value>, ResolveError> {
    Ok(match expr {
        Expr::Template(parts) => {
            let mut out = String::new();
            for part in parts {
                match part {
                    Part::Text(t) => out.push_str(t),
                    Part::Ref(Var { name, slot }, path) => {
                        let value = scope.vars[*slot].as_ref().ok_or_else(|| {
                            ResolveError::new(format!(
                                "`{name}` is not set where a template uses it"
                            ))
                        })?;
                        let value = match path {
                            Some(path) => functions::get_attr(value, path),
                            None => Some(value.clone()),
                        };
                        match value {
                            Some(v) => out.push_str(&v.to_string()),
                            None => {
                                return Err(ResolveError::new(format!(
                                    "a template's `{name}` has no such attribute"
                                )));
                            }
                        }
                    }
                }
            }
            Some(Value::String(out))
        }
        Expr::Literal(value) => Some(value.clone()),
        Expr::Bool(b) => Some(Value::Bool(*b)),
        Expr::Int(i) => Some(Value::Int(*i)),
        Expr::Array(items) => Some(Value::Array(
            items
                .iter()
                .map(|i| evaluate(i, scope))
                .collect::<Result<Vec<_>, _>>()?
                .into_iter()
                .flatten()
                .collect(),
        )),
        Expr::Object(entries) => {
            let mut map = BTreeMap::new();
            for (k, v) in entries {
                if let Some(v) = evaluate(v, scope)? {
                    map.insert(k.clone(), v);
                }
            }
            Some(Value::Object(map))
        }
        Expr::Ref(var) => scope.vars[var.slot].clone(),
        Expr::Call(c) => call(c, scope)?,
    })
}

fn call(c: &Call, scope: &Scope) -> Result<Option<Value>, ResolveError> {
    // `coalesce` and `ite` need their arguments lazily only in spirit: the
    // arguments have no side effects, so evaluating all is the same.
    // Arguments live on the stack: functions take at most four, and this
    // runs for every condition of every rule tried.
    const ON_STACK: usize = 4;
    if c.args.len() <= ON_STACK {
        let mut args: [Option<Cow<'_, Value>>; ON_STACK] = Default::default();
        for (slot, arg) in args.iter_mut().zip(&c.args) {
            *slot = evaluate_borrowed(arg, scope)?;
        }
        return functions::call(&c.function, &mut args[..c.args.len()], scope.partitions);
    }
    let mut args = c
        .args
        .iter()
        .map(|a| evaluate_borrowed(a, scope))
        .collect::<Result<Vec<_>, _>>()?;
    functions::call(&c.function, &mut args, scope.partitions)
}

/// Evaluates an argument, borrowing variables and literal strings instead
/// of copying them.
fn evaluate_borrowed<'s>(
    expr: &'s Expr,
    scope: &'s Scope,
) -> Result<Option<Cow<'s, Value>>, ResolveError> {
    Ok(match expr {
        Expr::Ref(var) => scope.vars[var.slot].as_ref().map(Cow::Borrowed),
        Expr::Literal(value) => Some(Cow::Borrowed(value)),
        other => evaluate(other, scope)?.map(Cow::Owned),
    })
}

/// A shared, lazily parsed rule set, for generated code: parsed the first
/// time a client resolves an endpoint.
#[derive(Debug)]
pub struct LazyRuleSet {
    json: &'static str,
    parsed: std::sync::OnceLock<Result<Arc<RuleSet>, ResolveError>>,
}

impl LazyRuleSet {
    /// A rule set from its JSON text.
    pub const fn new(json: &'static str) -> Self {
        LazyRuleSet {
            json,
            parsed: std::sync::OnceLock::new(),
        }
    }

    /// The parsed rule set.
    pub fn get(&self) -> Result<Arc<RuleSet>, ResolveError> {
        self.parsed
            .get_or_init(|| RuleSet::parse(self.json).map(Arc::new))
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_and_paths_parse() {
        assert_eq!(
            template("https://{Bucket}.s3.{PartitionResult#dnsSuffix}{{x}}").unwrap(),
            vec![
                Part::Text("https://".into()),
                Part::Ref(Var::new("Bucket"), None),
                Part::Text(".s3.".into()),
                Part::Ref(
                    Var::new("PartitionResult"),
                    Some(vec![PathStep::Key("dnsSuffix".into())])
                ),
                Part::Text("{x}".into()),
            ]
        );
        assert_eq!(
            parse_path("a.b[0][-1]").unwrap(),
            vec![
                PathStep::Key("a".into()),
                PathStep::Key("b".into()),
                PathStep::Index(0),
                PathStep::Index(-1)
            ]
        );
        assert!(template("{open").is_err());
        assert!(parse_path("a[x]").is_err());
    }

    #[test]
    fn rules_resolve_in_order_with_assignments() {
        let set = RuleSet::parse(
            r#"{
                "version": "1.0",
                "parameters": {
                    "Region": {"type": "String", "builtIn": "AWS::Region"},
                    "UseFIPS": {"type": "Boolean", "required": true, "default": false}
                },
                "rules": [
                    {"conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]},
                                    {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "P"}],
                     "type": "tree",
                     "rules": [
                        {"conditions": [{"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, true]}],
                         "endpoint": {"url": "https://svc-fips.{Region}.{P#dnsSuffix}", "properties": {}, "headers": {}},
                         "type": "endpoint"},
                        {"conditions": [],
                         "endpoint": {"url": "https://svc.{Region}.{P#dnsSuffix}",
                                      "properties": {"authSchemes": [{"name": "sigv4", "signingRegion": "{Region}"}]},
                                      "headers": {"x-a": ["1", "{Region}"]}},
                         "type": "endpoint"}
                     ]},
                    {"conditions": [], "error": "Invalid Configuration: Missing Region", "type": "error"}
                ]
            }"#,
        )
        .unwrap();
        let e = set
            .resolve(&Params::new().string("Region", "us-west-2"))
            .unwrap();
        assert_eq!(e.url, "https://svc.us-west-2.amazonaws.com");
        assert_eq!(e.headers["x-a"], vec!["1", "us-west-2"]);
        let Value::Array(schemes) = &e.properties["authSchemes"] else {
            panic!("{e:?}")
        };
        assert_eq!(
            schemes[0],
            Value::Object(BTreeMap::from([
                ("name".to_owned(), Value::String("sigv4".into())),
                (
                    "signingRegion".to_owned(),
                    Value::String("us-west-2".into())
                ),
            ]))
        );
        let e = set
            .resolve(
                &Params::new()
                    .string("Region", "cn-north-1")
                    .bool("UseFIPS", true),
            )
            .unwrap();
        assert_eq!(e.url, "https://svc-fips.cn-north-1.amazonaws.com.cn");
        assert_eq!(
            set.resolve(&Params::new()).unwrap_err().message(),
            "Invalid Configuration: Missing Region"
        );
    }
}
