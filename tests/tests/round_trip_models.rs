//! Model-driven round trips: for every operation of our example models and
//! of a handful of AWS's (re-served over every protocol with a server that
//! each service can use; `build/round_trips.rs`), arbitrary inputs sent by
//! the generated client must reach the generated server's handler
//! unchanged, and arbitrary outputs the handler answers must reach the
//! client unchanged; so must the modeled errors it answers with instead
//! (a quarter of the calls of operations that have errors), as the
//! client's typed error of the same variant.
//!
//! Values are made from the crate's plan, as the generator sees the model:
//! every member's type, its constraints (`@length`, `@range`, `@pattern`,
//! `@uniqueItems`, enum values: a server refuses inputs that break them)
//! and where it travels. What each place can carry decides what is made:
//! * in bodies, anything: floats include NaN, both infinities and −0.0;
//!   empty collections are kept apart from absent ones; outputs carry enum
//!   values the model does not list;
//! * timestamps keep milliseconds, but whole seconds where they travel as
//!   `http-date` (restJson1 headers by default);
//! * headers carry visible ASCII without blanks at either end, labels any
//!   text but empty, query values any text; a list, map or payload that
//!   HTTP cannot tell from none is sent with something in it.
//!
//! `ROUND_TRIP_CASES` sets the cases per operation and crate (default
//! [`CASES`]); runs are seeded alike every time, and `ROUND_TRIPS_SEED` (a
//! number) picks another run. A failure names the crate, the operation and
//! the first difference, with the seed to reproduce it.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use tinsmith::model::{Model, ShapeId};
use tinsmith::rust::plan::{
    Bounds, Constraints, HttpBinding, Member, Operation, Plan, ProtocolKind, Segment, Structure,
    TimestampFormat, Ty, TypeDef,
};
use tinsmith_runtime::{BigDecimal, BigInteger, Blob, DateTime, Document, Number};
use tinsmith_tests::round_trip::{Harness, Recorder, Value, difference, same, sorted};
use tinsmith_tests::round_trip_models::HARNESSES;

/// Cases per operation and crate.
const CASES: u32 = 12;

/// Nesting past which optional members are left out and collections are
/// as short as they may be.
const MAX_DEPTH: usize = 4;

/// Years 1 to 9999, in seconds since the epoch.
const SECONDS: std::ops::RangeInclusive<i64> = -62_135_596_800..=253_402_300_799;

/// Why a value could not be made (the operation is reported as skipped).
#[derive(Debug)]
struct Skip(String);

/// Who makes the value: inputs are checked by the server; outputs are
/// read by the client, which keeps enum values it does not know.
#[derive(Clone, Copy, PartialEq)]
enum Role {
    Input,
    Output,
}

/// Where a value travels, which decides what it can hold.
#[derive(Clone, Copy, PartialEq)]
enum Place {
    Body,
    Label { greedy: bool },
    Query,
    Header,
}

/// Makes values from a plan with a seeded runner.
struct Gen<'p, 'm> {
    plan: &'p Plan<'m>,
    runner: TestRunner,
    role: Role,
    /// Each pattern's strategy and regex, made once.
    patterns: HashMap<String, Result<(BoxedStrategy<String>, fancy_regex::Regex), String>>,
}

impl<'m> Gen<'_, 'm> {
    fn pick<S: Strategy>(&mut self, strategy: S) -> S::Value {
        strategy
            .new_tree(&mut self.runner)
            .expect("a value")
            .current()
    }

    fn chance(&mut self, percent: u32) -> bool {
        self.pick(0u32..100) < percent
    }

    /// An input or output structure of `op`, with its HTTP bindings when
    /// the protocol has them.
    fn top(&mut self, shape: &Structure<'m>, op: &Operation<'m>) -> Result<Value, Skip> {
        let binds = self.plan.protocol() == ProtocolKind::RestJson1;
        let mut entries = Vec::new();
        let query_names: Vec<&str> = shape
            .members
            .iter()
            .filter_map(|m| match m.http {
                HttpBinding::Query(name) => Some(name),
                _ => None,
            })
            .collect();
        for member in &shape.members {
            if member.kind.is_streaming() {
                continue;
            }
            let binding = if binds {
                member.http.clone()
            } else {
                HttpBinding::Body
            };
            let value = match binding {
                // HTTP's framing, which the server writes itself.
                HttpBinding::Header(name) if is_framing(name) => None,
                // A response to HEAD has no body.
                HttpBinding::Body | HttpBinding::Payload
                    if self.role == Role::Output && binds && is_head(op) =>
                {
                    None
                }
                HttpBinding::Label => {
                    let greedy = op.http.as_ref().is_some_and(|http| {
                        http.uri.segments.iter().any(|s| {
                            matches!(s, Segment::Label { name, greedy: true } if name == member.name)
                        })
                    });
                    Some(self.ty(&member.ty, &member.constraints, Place::Label { greedy }, 0)?)
                }
                HttpBinding::Query(_) => self.member(member, Place::Query, 0)?,
                HttpBinding::Header(_) => self.member(member, Place::Header, 0)?,
                HttpBinding::PrefixHeaders(_) => Some(self.keyed(member, Place::Header, &[])?),
                HttpBinding::QueryParams => Some(self.keyed(member, Place::Query, &query_names)?),
                HttpBinding::Payload => Some(self.payload(member)?),
                HttpBinding::ResponseCode => Some(Value::Integer(self.pick(200u16..=203).into())),
                HttpBinding::Body => self.member(member, Place::Body, 0)?,
            };
            if let Some(value) = value {
                entries.push((Value::Text(member.name.to_owned()), value));
            }
        }
        Ok(sorted(Value::Map(entries)))
    }

    /// A member's value, or `None` to leave it out.
    fn member(
        &mut self,
        member: &Member<'m>,
        place: Place,
        depth: usize,
    ) -> Result<Option<Value>, Skip> {
        // A member with a default is always set: left out, the server
        // reads the default where the client has none.
        let needed = member.needs_value()
            || member.default.is_some()
            || member.idempotency_token && self.role == Input;
        if !needed && (depth > MAX_DEPTH || !self.chance(60)) {
            return Ok(None);
        }
        self.ty(&member.ty, &member.constraints, place, depth)
            .map(Some)
    }

    /// A `@httpPrefixHeaders` or `@httpQueryParams` map, never empty (an
    /// empty one is no header or parameter at all).
    fn keyed(&mut self, member: &Member<'m>, place: Place, taken: &[&str]) -> Result<Value, Skip> {
        let Ty::Map { value, .. } = &member.ty else {
            return Err(Skip(format!("{} is not a map", member.name)));
        };
        let values = member
            .constraints
            .items
            .as_deref()
            .cloned()
            .unwrap_or_default();
        let mut entries: Vec<(Value, Value)> = Vec::new();
        for _ in 0..self.pick(1usize..=3) {
            let key: String = self.pick("[a-z][a-z0-9]{0,7}");
            let key = format!("x{key}");
            if taken.contains(&key.as_str())
                || entries.iter().any(|(k, _)| k.as_text() == Some(&key))
            {
                continue;
            }
            let value = match &**value {
                Ty::List { item, .. } => {
                    let items = values.items.as_deref().cloned().unwrap_or_default();
                    let n = self.pick(1usize..=3);
                    let mut list = Vec::new();
                    for _ in 0..n {
                        list.push(self.ty(item, &items, place, 1)?);
                    }
                    Value::Array(list)
                }
                other => self.ty(other, &values, place, 1)?,
            };
            entries.push((Value::Text(key), value));
        }
        Ok(Value::Map(entries))
    }

    /// An `@httpPayload` member: present, and not empty where empty is
    /// what no payload reads as.
    fn payload(&mut self, member: &Member<'m>) -> Result<Value, Skip> {
        let mut constraints = member.constraints.clone();
        if matches!(member.ty, Ty::String { .. } | Ty::Blob { .. }) {
            let length = constraints.length.get_or_insert(Bounds {
                min: None,
                max: None,
            });
            length.min = Some(length.min.unwrap_or(0.0).max(1.0));
        }
        match member.ty {
            Ty::Document => Ok(Value::serialized(&self.document_object(0)).expect("a document")),
            _ => self.ty(&member.ty, &constraints, Place::Body, 0),
        }
    }

    fn ty(
        &mut self,
        ty: &Ty<'m>,
        constraints: &Constraints,
        place: Place,
        depth: usize,
    ) -> Result<Value, Skip> {
        let value = match ty {
            Ty::Boolean => Value::Bool(self.pick(any::<bool>())),
            Ty::Byte => self.integer(constraints, i8::MIN.into(), i8::MAX.into()),
            Ty::Short => self.integer(constraints, i16::MIN.into(), i16::MAX.into()),
            Ty::Integer => self.integer(constraints, i32::MIN.into(), i32::MAX.into()),
            Ty::Long => self.integer(constraints, i64::MIN.into(), i64::MAX.into()),
            Ty::Float => {
                let f = self.float(constraints, f32::MAX.into());
                #[allow(clippy::cast_possible_truncation)]
                Value::Float(f64::from(f as f32))
            }
            Ty::Double => Value::Float(self.float(constraints, f64::MAX)),
            Ty::BigInteger => {
                let text = match constraints.range {
                    Some(_) => match self.integer(constraints, i64::MIN.into(), i64::MAX.into()) {
                        Value::Integer(i) => i128::from(i).to_string(),
                        _ => unreachable!(),
                    },
                    None => self.pick("0|-?[1-9][0-9]{0,30}"),
                };
                Value::serialized(&text.parse::<BigInteger>().expect("an integer")).unwrap()
            }
            Ty::BigDecimal => {
                let text: String = match constraints.range {
                    Some(_) => {
                        let f = self.float(constraints, 1e15);
                        format!("{}", f.trunc())
                    }
                    None => self.pick("0|-?[1-9][0-9]{0,12}(\\.[0-9]{0,5}[1-9])?"),
                };
                Value::serialized(&text.parse::<BigDecimal>().expect("a decimal")).unwrap()
            }
            Ty::String { .. } => Value::Text(self.text(constraints, place)?),
            Ty::Blob { .. } => {
                let (min, max) = self.length(constraints, 0, depth, place);
                let n = self.pick(min..=max);
                let bytes = self.pick(prop::collection::vec(any::<u8>(), n));
                Value::serialized(&Blob::new(bytes)).unwrap()
            }
            Ty::Document => Value::serialized(&self.document(depth)).unwrap(),
            Ty::Timestamp { format } => {
                let http_date = *format == Some(TimestampFormat::HttpDate)
                    || format.is_none() && place == Place::Header;
                let secs = self.pick(SECONDS);
                let time = if http_date {
                    DateTime::from_secs(secs)
                } else {
                    DateTime::from_secs_and_nanos(secs, self.pick(0u32..1000) * 1_000_000)
                };
                Value::serialized(&time).unwrap()
            }
            Ty::Enum(id) => Value::Text(self.enum_value(id)?),
            Ty::IntEnum(id) => {
                let TypeDef::IntEnum(e) = self.plan.get(id) else {
                    return Err(Skip(format!("{id} is not an intEnum")));
                };
                let known: Vec<i32> = e.values.iter().map(|v| v.value).collect();
                if self.role == Role::Output && self.chance(20) || known.is_empty() {
                    Value::Integer(self.pick(any::<i32>()).into())
                } else {
                    Value::Integer(known[self.pick(0..known.len())].into())
                }
            }
            Ty::Structure(id) => {
                let shape = self.plan.structure(id);
                let mut entries = Vec::new();
                for member in &shape.members {
                    if let Some(value) = self.member(member, Place::Body, depth + 1)? {
                        entries.push((Value::Text(member.name.to_owned()), value));
                    }
                }
                Value::Map(entries)
            }
            Ty::Union(id) => {
                let union = self.plan.union(id);
                let simple: Vec<usize> = (0..union.variants.len())
                    .filter(|i| {
                        !matches!(
                            union.variants[*i].ty,
                            Some(
                                Ty::Structure(_) | Ty::Union(_) | Ty::List { .. } | Ty::Map { .. }
                            )
                        )
                    })
                    .collect();
                let i = if depth > MAX_DEPTH && !simple.is_empty() {
                    simple[self.pick(0..simple.len())]
                } else {
                    self.pick(0..union.variants.len())
                };
                let variant = &union.variants[i];
                let value = match &variant.ty {
                    Some(ty) => self.ty(ty, &variant.constraints, Place::Body, depth + 1)?,
                    None => Value::Map(Vec::new()),
                };
                Value::Map(vec![(Value::Text(variant.name.to_owned()), value)])
            }
            Ty::List { item, sparse, .. } => {
                let in_http = matches!(place, Place::Header | Place::Query);
                let floor = usize::from(in_http);
                let (min, max) = self.length(constraints, floor, depth, place);
                let n = self.pick(min..=max);
                let items = constraints.items.as_deref().cloned().unwrap_or_default();
                let mut list: Vec<Value> = Vec::new();
                let mut tries = 0;
                while list.len() < n {
                    tries += 1;
                    if tries > 8 * n + 8 {
                        return Err(Skip(format!("cannot make {n} unique items")));
                    }
                    let value = if *sparse && !in_http && self.chance(15) {
                        Value::Null
                    } else {
                        self.ty(item, &items, place, depth + 1)?
                    };
                    if constraints.unique_items && list.iter().any(|v| same(v, &value)) {
                        continue;
                    }
                    list.push(value);
                }
                Value::Array(list)
            }
            Ty::Map {
                key, value, sparse, ..
            } => {
                let (min, max) = self.length(constraints, 0, depth, place);
                let n = self.pick(min..=max);
                let keys = constraints.keys.as_deref().cloned().unwrap_or_default();
                let values = constraints.items.as_deref().cloned().unwrap_or_default();
                let mut entries: Vec<(Value, Value)> = Vec::new();
                let mut tries = 0;
                while entries.len() < n {
                    tries += 1;
                    if tries > 8 * n + 8 {
                        return Err(Skip(format!("cannot make {n} distinct keys")));
                    }
                    let k = self.ty(key, &keys, Place::Body, depth + 1)?;
                    if entries.iter().any(|(e, _)| same(e, &k)) {
                        continue;
                    }
                    let v = if *sparse && self.chance(15) {
                        Value::Null
                    } else {
                        self.ty(value, &values, Place::Body, depth + 1)?
                    };
                    entries.push((k, v));
                }
                Value::Map(entries)
            }
        };
        Ok(value)
    }

    /// The bounds of a length: the constraint's, at least `floor`, short
    /// past [`MAX_DEPTH`].
    fn length(
        &mut self,
        constraints: &Constraints,
        floor: usize,
        depth: usize,
        _place: Place,
    ) -> (usize, usize) {
        let bounds = constraints.length.unwrap_or(Bounds {
            min: None,
            max: None,
        });
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let min = (bounds.min.unwrap_or(0.0).max(0.0) as usize).max(floor);
        let room = if depth > MAX_DEPTH { 0 } else { 3 };
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let max = bounds
            .max
            .map_or(min + room, |max| (max as usize).min(min + room))
            .max(min);
        (min, max)
    }

    fn integer(&mut self, constraints: &Constraints, lo: i128, hi: i128) -> Value {
        let (mut lo, mut hi) = (lo, hi);
        if let Some(range) = constraints.range {
            #[allow(clippy::cast_possible_truncation)]
            if let Some(min) = range.min {
                lo = lo.max(min.ceil() as i128);
            }
            #[allow(clippy::cast_possible_truncation)]
            if let Some(max) = range.max {
                hi = hi.min(max.floor() as i128);
            }
        }
        let n = match self.pick(0u32..10) {
            0 => lo,
            1 => hi,
            2 if lo <= 0 && 0 <= hi => 0,
            _ => self.pick(lo..=hi),
        };
        Value::Integer(i64::try_from(n).expect("in i64").into())
    }

    fn float(&mut self, constraints: &Constraints, limit: f64) -> f64 {
        match constraints.range {
            Some(range) => {
                let lo = range.min.unwrap_or(-limit).max(-limit);
                let hi = range.max.unwrap_or(limit).min(limit);
                match self.pick(0u32..4) {
                    0 => lo,
                    1 => hi,
                    _ => lo + (hi - lo) * self.pick(0.0f64..=1.0),
                }
            }
            None => match self.pick(0u32..10) {
                0 => f64::NAN,
                1 => f64::INFINITY,
                2 => f64::NEG_INFINITY,
                3 => -0.0,
                _ if limit < f64::MAX => f64::from(self.pick(any::<f32>())),
                _ => self.pick(any::<f64>()),
            },
        }
    }

    fn enum_value(&mut self, id: &ShapeId) -> Result<String, Skip> {
        let TypeDef::StringEnum(e) = self.plan.get(id) else {
            return Err(Skip(format!("{id} is not an enum")));
        };
        if self.role == Role::Output && self.chance(20) || e.values.is_empty() {
            return Ok(self.pick("[a-zA-Z0-9_]{1,8}"));
        }
        let i = self.pick(0..e.values.len());
        Ok(e.values[i].value.clone())
    }

    /// Text with the constraints and what the place can carry.
    fn text(&mut self, constraints: &Constraints, place: Place) -> Result<String, Skip> {
        let bounds = constraints.length.unwrap_or(Bounds {
            min: None,
            max: None,
        });
        let fits = |s: &str| {
            let n = s.chars().count() as f64;
            bounds.min.is_none_or(|min| n >= min)
                && bounds.max.is_none_or(|max| n <= max)
                && match place {
                    Place::Header => {
                        s.bytes().all(|b| (b' '..=b'~').contains(&b))
                            && !s.starts_with(' ')
                            && !s.ends_with(' ')
                    }
                    Place::Label { greedy } => {
                        !s.is_empty() && (!greedy || s.split('/').all(|seg| !seg.is_empty()))
                    }
                    Place::Body | Place::Query => true,
                }
        };
        let (strategy, regex) = match &constraints.pattern {
            Some(pattern) => {
                let made = self
                    .patterns
                    .entry(pattern.clone())
                    .or_insert_with(|| pattern_strategy(pattern).map_err(|Skip(why)| why));
                let (strategy, regex) = made.clone().map_err(Skip)?;
                (strategy, Some(regex))
            }
            None => {
                let (min, max) = self.length(constraints, 0, 0, place);
                let max = max.max(min + 8);
                let chars = match place {
                    Place::Header => "[!-~]".boxed(),
                    Place::Label { greedy: true } => "[^/]|/".boxed(),
                    _ => any::<char>().prop_map(String::from).boxed(),
                };
                (
                    prop::collection::vec(chars, min..=max)
                        .prop_map(|parts| parts.concat())
                        .boxed(),
                    None,
                )
            }
        };
        for _ in 0..64 {
            let text = self.pick(&strategy);
            let matches = regex
                .as_ref()
                .is_none_or(|r| r.is_match(&text).unwrap_or(false));
            if matches && fits(&text) {
                return Ok(text);
            }
        }
        Err(Skip(format!(
            "no text of {constraints:?} found that a {} can carry",
            match place {
                Place::Header => "header",
                Place::Label { .. } => "label",
                _ => "value",
            }
        )))
    }

    fn document(&mut self, depth: usize) -> Document {
        let choice = if depth > 2 {
            self.pick(0u32..6)
        } else {
            self.pick(0u32..8)
        };
        match choice {
            0 => Document::Null,
            1 => Document::Bool(self.pick(any::<bool>())),
            2 => Document::Number(Number::PosInt(self.pick(any::<u64>()))),
            3 => Document::Number(Number::NegInt(self.pick(i64::MIN..0))),
            4 => {
                let f = self.pick(any::<f64>());
                Document::Number(Number::Float(if f.is_finite() { f } else { 0.5 }))
            }
            5 => Document::String(self.pick(any::<String>())),
            6 => {
                let n = self.pick(0usize..3);
                Document::Array((0..n).map(|_| self.document(depth + 1)).collect())
            }
            _ => self.document_object(depth),
        }
    }

    fn document_object(&mut self, depth: usize) -> Document {
        let n = self.pick(0usize..3);
        Document::Object(
            (0..n)
                .map(|_| (self.pick(any::<String>()), self.document(depth + 1)))
                .collect(),
        )
    }
}

use Role::Input;

/// A header of HTTP's framing: a member bound to it is what the server's
/// transport writes, not what the handler answered.
fn is_framing(header: &str) -> bool {
    header.eq_ignore_ascii_case("content-length")
}

/// The `@httpQueryParams` member of `op`'s input (restJson1), and the
/// query parameters bound otherwise (`@httpQuery` members and the URI's
/// literal parameters). A server puts every parameter in that map, these
/// too (Smithy's `RestJsonServersPutAllQueryParamsInMap`), so they are
/// left out of it before the input is compared.
fn query_params<'m>(plan: &Plan<'m>, op: &Operation<'m>) -> Option<(&'m str, Vec<String>)> {
    if plan.protocol() != ProtocolKind::RestJson1 {
        return None;
    }
    let input = plan.input(op)?;
    let member = input
        .members
        .iter()
        .find(|m| matches!(m.http, HttpBinding::QueryParams))?;
    let mut bound: Vec<String> = input
        .members
        .iter()
        .filter_map(|m| match m.http {
            HttpBinding::Query(name) => Some(name.to_owned()),
            _ => None,
        })
        .collect();
    if let Some(http) = &op.http {
        bound.extend(http.uri.query.iter().map(|(key, _)| key.clone()));
    }
    Some((member.name, bound))
}

/// True for an operation bound to `HEAD`, whose responses have no body.
fn is_head(op: &Operation<'_>) -> bool {
    op.http
        .as_ref()
        .is_some_and(|http| http.method.as_str() == "HEAD")
}

/// The members of `op`'s output bound to HTTP's framing (restJson1).
fn framing<'m>(plan: &Plan<'m>, op: &Operation<'m>) -> Vec<&'m str> {
    if plan.protocol() != ProtocolKind::RestJson1 {
        return Vec::new();
    }
    plan.output(op)
        .map(|shape| {
            shape
                .members
                .iter()
                .filter(|m| matches!(m.http, HttpBinding::Header(h) if is_framing(h)))
                .map(|m| m.name)
                .collect()
        })
        .unwrap_or_default()
}

/// A strategy of text that may match `pattern` (Smithy's rule: a match
/// somewhere), and the server engine's regex that decides. The strategy
/// is made from the pattern without its anchors and look-arounds, which
/// text made from the rest may or may not meet.
fn pattern_strategy(pattern: &str) -> Result<(BoxedStrategy<String>, fancy_regex::Regex), Skip> {
    use regex_syntax::hir::{Hir, HirKind};
    fn without_looks(hir: &Hir) -> Hir {
        match hir.kind() {
            HirKind::Look(_) => Hir::empty(),
            HirKind::Repetition(rep) => {
                let mut rep = rep.clone();
                // Repetitions are kept short.
                rep.max = Some(rep.max.unwrap_or(u32::MAX).min(rep.min + 4));
                rep.sub = Box::new(without_looks(&rep.sub));
                Hir::repetition(rep)
            }
            HirKind::Capture(capture) => {
                let mut capture = capture.clone();
                capture.sub = Box::new(without_looks(&capture.sub));
                Hir::capture(capture)
            }
            HirKind::Concat(subs) => Hir::concat(subs.iter().map(without_looks).collect()),
            HirKind::Alternation(subs) => {
                Hir::alternation(subs.iter().map(without_looks).collect())
            }
            _ => hir.clone(),
        }
    }
    let no_generator =
        |e: &dyn std::fmt::Display| Skip(format!("pattern `{pattern}` has no generator: {e}"));
    let engine = tinsmith::rust::pattern::for_engine(pattern).map_err(|e| no_generator(&e))?;
    let regex = fancy_regex::Regex::new(&engine).map_err(|e| no_generator(&e))?;
    let hir = regex_syntax::Parser::new()
        .parse(&without_look_arounds(&engine))
        .map_err(|e| no_generator(&e))?;
    let strategy = proptest::string::string_regex_parsed(&without_looks(&hir))
        .map_err(|e| no_generator(&e))?;
    Ok((strategy.boxed(), regex))
}

/// `pattern` without its look-around groups (`(?=..)`, `(?!..)`, `(?<=..)`,
/// `(?<!..)`), which regex-syntax does not read.
fn without_look_arounds(pattern: &str) -> String {
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(at) = ["(?=", "(?!", "(?<=", "(?<!"]
        .iter()
        .filter_map(|open| rest.find(open))
        .min()
    {
        out.push_str(&rest[..at]);
        // Skip to the group's closing parenthesis.
        let (mut depth, mut escaped, mut end) = (0usize, false, rest.len());
        for (i, c) in rest[at..].char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = at + i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// A runner for one operation of one crate, seeded from the run's seed and
/// the two names (so cases do not shift when operations are added).
fn runner(harness: &str, operation: &str) -> TestRunner {
    let seed = std::env::var("ROUND_TRIPS_SEED")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or(0);
    let mut bytes = [0u8; 32];
    for (i, chunk) in bytes.chunks_mut(8).enumerate() {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        (seed, harness, operation, i).hash(&mut hasher);
        chunk.copy_from_slice(&hasher.finish().to_le_bytes());
    }
    TestRunner::new_with_rng(
        Config {
            failure_persistence: None,
            ..Config::default()
        },
        TestRng::from_seed(RngAlgorithm::ChaCha, &bytes),
    )
}

fn cases() -> u32 {
    std::env::var("ROUND_TRIP_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(CASES)
}

/// The outcome of one crate's operations.
#[derive(Default)]
struct Tally {
    operations: usize,
    cases: usize,
    skipped: Vec<String>,
    failures: Vec<String>,
}

fn run(harness: &Harness, model: &Model, runtime: &tokio::runtime::Runtime, tally: &mut Tally) {
    let options = tinsmith::rust::Options {
        service: Some(ShapeId::parse(harness.service).expect("a shape id")),
        server: true,
        serde: tinsmith::rust::FeatureSupport::Always,
        ..Default::default()
    };
    let plan = tinsmith::rust::plan(model, &options).expect("the crate's plan");
    let recorder: &'static Recorder = Box::leak(Box::default());
    let caller = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let app = (harness.router)(recorder);
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        (harness.connect)(format!("http://{address}"))
    });
    for (op, why) in harness.skipped {
        tally.skipped.push(format!("{} {op}: {why}", harness.name));
    }
    'operations: for name in harness.operations {
        let op = plan
            .operations
            .iter()
            .find(|op| op.name == *name)
            .expect("the operation is planned");
        let mut generator = Gen {
            plan: &plan,
            runner: runner(harness.name, name),
            role: Role::Input,
            patterns: HashMap::new(),
        };
        tally.operations += 1;
        let framing = framing(&plan, op);
        let query_params = query_params(&plan, op);
        for case in 0..cases() {
            generator.role = Role::Input;
            let input = match plan.input(op) {
                Some(shape) => generator.top(shape, op),
                None => Ok(Value::Null),
            };
            generator.role = Role::Output;
            // A quarter of the calls answer one of the operation's errors.
            let error = (!op.errors.is_empty() && generator.chance(25))
                .then(|| &op.errors[generator.pick(0..op.errors.len())]);
            let output = match (error, plan.output(op)) {
                (Some(error), _) => generator.top(plan.structure(error.id), op),
                (None, Some(shape)) => generator.top(shape, op),
                (None, None) => Ok(Value::Null),
            };
            let (input, output) = match (input, output) {
                (Ok(input), Ok(output)) => (input, output),
                (Err(Skip(why)), _) | (_, Err(Skip(why))) => {
                    tally
                        .skipped
                        .push(format!("{} {name}: {why}", harness.name));
                    continue 'operations;
                }
            };
            match error {
                Some(error) => {
                    let answer = (error.variant.to_string(), output.clone());
                    *recorder.error.lock().unwrap() = Some(answer);
                }
                None => *recorder.answer.lock().unwrap() = Some(output.clone()),
            }
            recorder.received.lock().unwrap().clear();
            let result = runtime.block_on(caller(name, input.clone()));
            tally.cases += 1;
            let fail = |why: String| {
                format!(
                    "{} {name} (case {case}): {why}\n  input: {input:?}\n  output: {output:?}",
                    harness.name
                )
            };
            let (sent, mut got) = match result {
                Ok(pair) => pair,
                Err(e) => {
                    tally.failures.push(fail(format!("{e:?}")));
                    continue 'operations;
                }
            };
            let Some(mut received) = recorder.received.lock().unwrap().pop() else {
                tally
                    .failures
                    .push(fail("the handler was not called".into()));
                continue 'operations;
            };
            let answered = recorder
                .answered
                .lock()
                .unwrap()
                .take()
                .unwrap_or(Value::Null);
            if let (None, Value::Map(entries)) = (error, &mut got) {
                entries.retain(|(k, _)| !k.as_text().is_some_and(|k| framing.contains(&k)));
            }
            if let (Some((member, bound)), Value::Map(entries)) = (&query_params, &mut received) {
                for (k, v) in entries.iter_mut() {
                    if let (Some(k), Value::Map(params)) = (k.as_text(), v)
                        && k == *member
                    {
                        params.retain(|(p, _)| {
                            !p.as_text().is_some_and(|p| bound.iter().any(|b| b == p))
                        });
                    }
                }
            }
            if !same(&received, &sent) {
                let why = difference(&received, &sent, "input");
                tally.failures.push(fail(format!(
                    "the handler received / the client sent: {why}"
                )));
                continue 'operations;
            }
            if !same(&got, &answered) {
                let why = difference(&got, &answered, "output");
                tally.failures.push(fail(format!(
                    "the client returned / the handler answered: {why}"
                )));
                continue 'operations;
            }
        }
    }
}

#[test]
fn every_operation_round_trips_over_every_protocol() {
    if HARNESSES.is_empty() {
        eprintln!("SKIPPED: no round-trip crates were generated");
        return;
    }
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let mut models: HashMap<&[&str], Model> = HashMap::new();
    let mut tally = Tally::default();
    // Deep values recurse through the generator and the codecs.
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .stack_size(256 << 20)
            .spawn_scoped(scope, || {
                for harness in HARNESSES {
                    let model = models.entry(harness.models).or_insert_with(|| {
                        let loaded = harness
                            .models
                            .iter()
                            .fold(tinsmith::Loader::new(), |l, p| l.path(p))
                            .load();
                        assert!(!loaded.has_errors(), "{:?} loads", harness.models);
                        loaded.model
                    });
                    run(harness, model, &runtime, &mut tally);
                }
            })
            .expect("a thread")
            .join()
            .expect("the cases ran");
    });
    eprintln!(
        "{} crates, {} operations, {} cases; {} skipped, {} failed",
        HARNESSES.len(),
        tally.operations,
        tally.cases,
        tally.skipped.len(),
        tally.failures.len()
    );
    for skipped in &tally.skipped {
        eprintln!("skipped: {skipped}");
    }
    assert!(
        tally.failures.is_empty(),
        "{} operations failed to round-trip:\n\n{}",
        tally.failures.len(),
        tally.failures.join("\n\n")
    );
}
