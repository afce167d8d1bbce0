//! What the round-trip tests share: the canonical form values are compared
//! in, the recording handler the generated servers are served with, and
//! the [`Harness`] of each generated crate whose operations the
//! model-driven round trips run (`tests/tests/round_trip_models.rs`; the
//! harnesses are written by `build.rs` from each crate's plan).
//!
//! The canonical form of a value is its `serde` form (the model's own:
//! structures keyed by member names, unions as one-key maps, enums as
//! their values) in CBOR's data model, maps sorted by key. Two forms are
//! [`same`] when they are equal, floats compared by their bits and any NaN
//! equal to any NaN.

use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;

pub use ciborium::Value;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// `value` in its canonical form.
pub fn canonical<T: Serialize>(value: &T) -> Value {
    sorted(Value::serialized(value).expect("a generated type serializes"))
}

/// `value` with every map's entries sorted by key.
pub fn sorted(value: Value) -> Value {
    match value {
        Value::Map(entries) => {
            let mut entries: Vec<_> = entries
                .into_iter()
                .map(|(k, v)| (sorted(k), sorted(v)))
                .collect();
            entries.sort_by_key(|(k, _)| format!("{k:?}"));
            Value::Map(entries)
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        Value::Tag(tag, inner) => Value::Tag(tag, Box::new(sorted(*inner))),
        other => other,
    }
}

/// Equal canonical forms: floats by their bits, any NaN equal to any NaN.
pub fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Float(x), Value::Float(y)) => {
            x.to_bits() == y.to_bits() || x.is_nan() && y.is_nan()
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((xk, xv), (yk, yv))| same(xk, yk) && same(xv, yv))
        }
        (Value::Tag(x, xv), Value::Tag(y, yv)) => x == y && same(xv, yv),
        _ => a == b,
    }
}

/// Where `a` and `b` first differ, and how (for failure messages).
pub fn difference(a: &Value, b: &Value, path: &str) -> String {
    match (a, b) {
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find(|(_, (x, y))| !same(x, y))
            .map(|(i, (x, y))| difference(x, y, &format!("{path}[{i}]")))
            .unwrap_or_default(),
        (Value::Map(x), Value::Map(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .find(|((xk, xv), (yk, yv))| !same(xk, yk) || !same(xv, yv))
            .map(|((xk, xv), (yk, yv))| {
                if same(xk, yk) {
                    difference(xv, yv, &format!("{path}.{xk:?}"))
                } else {
                    format!("at {path}: key {xk:?} / {yk:?}")
                }
            })
            .unwrap_or_default(),
        (Value::Map(x), Value::Map(y)) => {
            let keys =
                |m: &[(Value, Value)]| m.iter().map(|(k, _)| format!("{k:?}")).collect::<Vec<_>>();
            let (xs, ys) = (keys(x), keys(y));
            let only = |a: &[String], b: &[String]| {
                a.iter()
                    .filter(|k| !b.contains(k))
                    .cloned()
                    .collect::<Vec<_>>()
            };
            format!(
                "at {path}: members only on the left {:?}, only on the right {:?}",
                only(&xs, &ys),
                only(&ys, &xs)
            )
        }
        _ => format!("at {path}: {a:?}\n   / {b:?}"),
    }
}

/// The value of a generated type with this canonical form.
///
/// # Panics
/// When `value` is not the form of a `T`: a fault of the test's values.
pub fn convert<T: DeserializeOwned>(value: &Value) -> T {
    value
        .deserialized()
        .unwrap_or_else(|e| panic!("{e}: {value:?}"))
}

/// Why a call did not return an output.
#[derive(Debug)]
pub enum Failure {
    /// The client refused the input before sending anything
    /// (`SdkError::Construction`).
    Refused(String),
    /// Anything else: the server's error, a transport fault, an unreadable
    /// response.
    Failed(String),
}

impl<E: std::fmt::Debug> From<tinsmith_runtime::SdkError<E>> for Failure {
    fn from(error: tinsmith_runtime::SdkError<E>) -> Self {
        match error {
            tinsmith_runtime::SdkError::Construction(e) => Failure::Refused(e.to_string()),
            other => Failure::Failed(format!("{other:?}")),
        }
    }
}

/// The handler every generated server of a round trip is served with: it
/// records the input each call received and answers the output, or the
/// modeled error, it was given.
#[derive(Default)]
pub struct Recorder {
    /// The next call's output, in canonical form.
    pub answer: Mutex<Option<Value>>,
    /// The next call's modeled error instead: its variant's name and its
    /// value in canonical form.
    pub error: Mutex<Option<(String, Value)>>,
    /// The canonical forms of the inputs received.
    pub received: Mutex<Vec<Value>>,
    /// What was last answered, in canonical form, as the typed value the
    /// handler returned (defaults filled in): an output, or an error in
    /// [`error_form`].
    pub answered: Mutex<Option<Value>>,
}

impl Recorder {
    /// Records `input`; returns the modeled error to answer with, if any.
    pub fn receive<T: Serialize>(&self, input: &T) -> Option<(String, Value)> {
        self.received.lock().unwrap().push(canonical(input));
        self.error.lock().unwrap().take()
    }

    /// The answer as an `O`.
    ///
    /// # Panics
    /// When no answer was set: a fault of the test.
    pub fn output<O: Serialize + DeserializeOwned>(&self) -> O {
        let answer = self.answer.lock().unwrap().take().expect("an answer");
        let output: O = convert(&answer);
        *self.answered.lock().unwrap() = Some(canonical(&output));
        output
    }

    /// The modeled error `variant` with `value`, as an `E`.
    pub fn modeled_error<E: Serialize + DeserializeOwned>(
        &self,
        variant: &str,
        value: &Value,
    ) -> E {
        let error: E = convert(value);
        *self.answered.lock().unwrap() = Some(error_form(variant, &error));
        error
    }
}

/// The canonical form of a modeled error: its variant's name and value.
pub fn error_form<E: Serialize>(variant: &str, error: &E) -> Value {
    Value::Map(vec![
        (Value::Text("error".into()), Value::Text(variant.into())),
        (Value::Text("value".into()), canonical(error)),
    ])
}

/// One call of an operation: the canonical forms of the input as the
/// client sent it (defaults filled in) and of the output it returned, or
/// of the modeled error ([`error_form`]).
pub type Call = Pin<Box<dyn Future<Output = Result<(Value, Value), Failure>> + Send>>;

/// Calls an operation by name with an input in canonical form.
pub type Caller = Box<dyn Fn(&'static str, Value) -> Call + Send + Sync>;

/// A generated crate whose operations the model-driven round trips run:
/// a client and a server of one service, re-served over one protocol.
pub struct Harness {
    /// The crate's name.
    pub name: &'static str,
    /// The service the crate serves (its shape id).
    pub service: &'static str,
    /// The protocol trait.
    pub protocol: &'static str,
    /// The model files the crate was generated from.
    pub models: &'static [&'static str],
    /// The operations whose values round-trip (by name).
    pub operations: &'static [&'static str],
    /// The operations left out, with the reason.
    pub skipped: &'static [(&'static str, &'static str)],
    /// The crate's server, serving `recorder`.
    pub router: fn(&'static Recorder) -> tinsmith_runtime::server::axum::Router,
    /// The crate's client of the server at an endpoint.
    pub connect: fn(String) -> Caller,
}
