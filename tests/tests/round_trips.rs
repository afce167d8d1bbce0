//! Round-trip property tests: arbitrary values of every kind of shape, sent
//! by the generated client to the generated server and answered back, over
//! each protocol that has servers (`tests/models/server/round-trips.smithy`,
//! one service per protocol with the same operations).
//!
//! Each case makes an input and an output with proptest: the handler must
//! receive the input the client sent, and the client must return the
//! output the handler answered. Values are compared in a canonical form
//! (the generated types' `serde` form, maps sorted) where floats are equal
//! when their bits are, and every NaN equals every NaN.
//!
//! What the strategies produce is what each place can carry:
//! * timestamps of every format keep milliseconds, except `http-date`
//!   (headers by default), which keeps seconds;
//! * floats include NaN, both infinities and negative zero, everywhere;
//! * empty collections are sent apart from absent ones in bodies, where
//!   every protocol keeps them apart; in headers and query strings an
//!   empty list is no list, so only lists with items are sent there;
//! * header values are visible ASCII without leading or trailing blanks
//!   (what HTTP can carry), commas and quotes included; labels, query
//!   values and body strings are any Unicode text.
//!
//! `PROPTEST_CASES` sets the cases per operation and protocol (default
//! [`CASES`]); the runs are seeded alike every time, so a failure in CI
//! reproduces, and `ROUND_TRIPS_SEED` (a number) picks another run.

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde::Serialize;
use tinsmith_runtime::{Blob, DateTime, Document, Number};
use tinsmith_tests::round_trip::{self, Failure, Value, convert, difference, same};
use tinsmith_tests::round_trips::rest_json1::types as t;

/// Cases per operation and protocol.
const CASES: u32 = 96;

/// A runner seeded alike every time.
fn runner() -> TestRunner {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(CASES);
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    // `ROUND_TRIPS_SEED` picks another run (the default one is CI's).
    let rng = match std::env::var("ROUND_TRIPS_SEED")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
    {
        Some(seed) => TestRng::from_seed(RngAlgorithm::ChaCha, &[seed.to_le_bytes(); 4].concat()),
        None => TestRng::deterministic_rng(RngAlgorithm::ChaCha),
    };
    TestRunner::new_with_rng(config, rng)
}

/// `value` in its canonical form: its `serde` form, maps sorted by key,
/// without an empty `prefixHeaders` map (clients read no prefixed header
/// as an empty map, as Smithy's restXml suite asks; the strategies never
/// send an empty one, which headers cannot tell from none).
fn canonical<T: Serialize>(value: &T) -> Value {
    let mut value = round_trip::canonical(value);
    if let Value::Map(entries) = &mut value {
        entries.retain(|(k, v)| {
            !(k.as_text() == Some("prefixHeaders") && v.as_map().is_some_and(Vec::is_empty))
        });
    }
    value
}

// ---- Strategies, over the restJson1 crate's types; the other crates'
// types are converted through the canonical form. ----

/// Timestamps from year 1 to year 9999, whole seconds or milliseconds.
fn timestamp(whole_seconds: bool) -> impl Strategy<Value = DateTime> {
    (-62_135_596_800i64..=253_402_300_799, 0u32..1000).prop_map(move |(secs, millis)| {
        if whole_seconds {
            DateTime::from_secs(secs)
        } else {
            DateTime::from_secs_and_nanos(secs, millis * 1_000_000)
        }
    })
}

fn double() -> impl Strategy<Value = f64> {
    prop_oneof![
        6 => any::<f64>(),
        1 => Just(f64::NAN),
        1 => Just(f64::INFINITY),
        1 => Just(f64::NEG_INFINITY),
        1 => Just(-0.0),
    ]
}

fn float() -> impl Strategy<Value = f32> {
    prop_oneof![
        6 => any::<f32>(),
        1 => Just(f32::NAN),
        1 => Just(f32::INFINITY),
        1 => Just(f32::NEG_INFINITY),
        1 => Just(-0.0),
    ]
}

fn blob() -> impl Strategy<Value = Blob> {
    prop::collection::vec(any::<u8>(), 0..16).prop_map(Blob::new)
}

fn document() -> impl Strategy<Value = Document> {
    let leaf = prop_oneof![
        Just(Document::Null),
        any::<bool>().prop_map(Document::Bool),
        any::<u64>().prop_map(|n| Document::Number(Number::PosInt(n))),
        (i64::MIN..0).prop_map(|n| Document::Number(Number::NegInt(n))),
        any::<f64>()
            .prop_filter("documents hold finite numbers", |f| f.is_finite())
            .prop_map(|f| Document::Number(Number::Float(f))),
        any::<String>().prop_map(Document::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Document::Array),
            prop::collection::btree_map(any::<String>(), inner, 0..4).prop_map(Document::Object),
        ]
    })
}

/// Which enum values a strategy makes: a server refuses values its model
/// does not list (a constraint, checked before the handler runs), while a
/// client keeps them as they are.
#[derive(Clone, Copy)]
enum Enums {
    Known,
    Open,
}

fn suit(enums: Enums) -> BoxedStrategy<t::Suit> {
    let known = prop_oneof![
        Just(t::Suit::Clubs),
        Just(t::Suit::Diamonds),
        Just(t::Suit::Hearts),
        Just(t::Suit::Spades),
    ];
    match enums {
        Enums::Known => known.boxed(),
        Enums::Open => prop_oneof![
            known,
            "[a-zA-Z0-9_]{1,8}".prop_map(|s| t::Suit::from(s.as_str())),
        ]
        .boxed(),
    }
}

fn level(enums: Enums) -> BoxedStrategy<t::Level> {
    match enums {
        Enums::Known => prop_oneof![
            Just(t::Level::Low),
            Just(t::Level::High),
            Just(t::Level::Negative)
        ]
        .boxed(),
        Enums::Open => any::<i32>().prop_map(t::Level::from).boxed(),
    }
}

/// Text HTTP can carry in a header: visible ASCII, no blank at either end.
fn header_text() -> impl Strategy<Value = String> {
    "[!-~]([ -~]{0,10}[!-~])?"
}

/// Every member of `Values` but the ones that hold `Values`.
fn scalars(enums: Enums) -> impl Strategy<Value = t::ValuesBuilder> {
    use prop::option::of;
    (
        (
            of(any::<bool>()),
            of(any::<i8>()),
            of(any::<i16>()),
            of(any::<i32>()),
            of(any::<i64>()),
            of(float()),
            of(double()),
            of(any::<String>()),
            of(blob()),
            of(document()),
        ),
        (
            of(timestamp(false)),
            of(timestamp(false)),
            of(timestamp(true)),
            of(timestamp(false)),
            of(suit(enums)),
            of(level(enums)),
            of(prop::collection::vec(any::<String>(), 0..3)),
            of(prop::collection::vec(of(any::<i32>()), 0..3)),
            of(prop::collection::vec(timestamp(false), 0..3)),
            of(prop::collection::vec(blob(), 0..3)),
            of(prop::collection::hash_map(
                any::<String>(),
                of(any::<String>()),
                0..3,
            )),
            of(any::<i32>()),
        ),
    )
        .prop_map(|(a, b)| {
            t::Values::builder()
                .boolean(a.0)
                .byte(a.1)
                .short(a.2)
                .integer(a.3)
                .long(a.4)
                .float(a.5)
                .double(a.6)
                .string(a.7)
                .blob(a.8)
                .document(a.9)
                .timestamp(b.0)
                .date_time(b.1)
                .http_date(b.2)
                .epoch_seconds(b.3)
                .suit(b.4)
                .level(b.5)
                .strings(b.6)
                .sparse_integers(b.7)
                .timestamps(b.8)
                .blobs(b.9)
                .sparse_strings(b.10)
                .defaulted(b.11)
        })
}

fn choice(values: BoxedStrategy<t::Values>) -> impl Strategy<Value = t::Choice> {
    prop_oneof![
        any::<String>().prop_map(t::Choice::String),
        any::<i32>().prop_map(t::Choice::Integer),
        values.prop_map(|v| t::Choice::Values(Box::new(v))),
        prop::collection::vec(any::<String>(), 0..3).prop_map(t::Choice::Strings),
        Just(t::Choice::Nothing),
    ]
}

/// `Values`, nested a few levels deep through every member that nests.
fn values(enums: Enums) -> BoxedStrategy<t::Values> {
    let leaf = scalars(enums).prop_map(|builder| builder.build());
    leaf.prop_recursive(3, 16, 3, move |inner| {
        use prop::option::of;
        (
            scalars(enums),
            of(choice(inner.clone())),
            of(prop::collection::vec(inner.clone(), 0..3)),
            of(prop::collection::hash_map(
                any::<String>(),
                inner.clone(),
                0..3,
            )),
            of(inner),
        )
            .prop_map(|(builder, choice, children, by_name, child)| {
                builder
                    .choice(choice)
                    .children(children)
                    .by_name(by_name)
                    .child(child)
                    .build()
            })
    })
    .boxed()
}

fn values_input() -> impl Strategy<Value = t::EchoValuesInput> {
    prop::option::of(values(Enums::Known))
        .prop_map(|v| t::EchoValuesInput::builder().values(v).build())
}

fn values_output() -> impl Strategy<Value = t::EchoValuesOutput> {
    prop::option::of(values(Enums::Open))
        .prop_map(|v| t::EchoValuesOutput::builder().values(v).build())
}

fn bindings_input() -> impl Strategy<Value = t::EchoBindingsInput> {
    bindings_input_of(Text::Carried)
}

/// Which text a strategy puts in labels and headers.
#[derive(Clone, Copy)]
enum Text {
    /// What HTTP can carry there: labels not empty, greedy labels of
    /// segments not empty, header values of visible ASCII.
    Carried,
    /// Any text, which a client sends as it is or refuses to send.
    Any,
}

/// Text for a header value.
fn header_value(text: Text) -> BoxedStrategy<String> {
    match text {
        Text::Carried => header_text().boxed(),
        Text::Any => any::<String>().boxed(),
    }
}

fn bindings_input_of(text: Text) -> impl Strategy<Value = t::EchoBindingsInput> {
    use prop::collection::{hash_map, vec};
    use prop::option::of;
    let (label, greedy, key) = match text {
        Text::Carried => (
            any::<String>()
                .prop_filter("labels are not empty", |s| !s.is_empty())
                .boxed(),
            vec("[^/]{1,6}", 1..4)
                .prop_map(|segments| segments.join("/"))
                .boxed(),
            "[a-z0-9]{1,8}".boxed(),
        ),
        Text::Any => (
            any::<String>().boxed(),
            any::<String>().boxed(),
            // Header names are case-insensitive: a key's case is not kept.
            any::<String>().prop_map(|key| key.to_lowercase()).boxed(),
        ),
    };
    (
        (
            label,
            greedy,
            of(any::<String>()),
            of(any::<i32>()),
            of(any::<bool>()),
            of(double()),
            of(timestamp(false)),
            of(vec(any::<String>(), 1..4)),
            of(suit(Enums::Known)),
        ),
        (
            of(prop_oneof![Just(String::new()), header_value(text)]),
            of(any::<i32>()),
            of(any::<bool>()),
            of(double()),
            of(timestamp(true)),
            of(vec(header_value(text), 1..4)),
            of(vec(any::<i32>(), 1..4)),
            of(hash_map(key, header_value(text), 1..3)),
            of(any::<String>()),
        ),
    )
        .prop_map(|(a, b)| {
            t::EchoBindingsInput::builder()
                .label(a.0)
                .greedy(a.1)
                .query_string(a.2)
                .query_integer(a.3)
                .query_boolean(a.4)
                .query_double(a.5)
                .query_timestamp(a.6)
                .query_list(a.7)
                .query_enum(a.8)
                .header_string(b.0)
                .header_integer(b.1)
                .header_boolean(b.2)
                .header_double(b.3)
                .header_timestamp(b.4)
                .header_list(b.5)
                .header_integers(b.6)
                .prefix_headers(b.7)
                .note(b.8)
                .build()
                .expect("the labels are set")
        })
}

fn bindings_output() -> impl Strategy<Value = t::EchoBindingsOutput> {
    use prop::collection::{hash_map, vec};
    use prop::option::of;
    (
        of(header_text()),
        of(any::<i32>()),
        of(double()),
        of(timestamp(true)),
        of(vec(header_text(), 1..4)),
        of(hash_map("[a-z0-9]{1,8}", header_text(), 1..3)),
        of(values(Enums::Open)),
    )
        .prop_map(|(s, i, d, time, list, prefixed, values)| {
            t::EchoBindingsOutput::builder()
                .header_string(s)
                .header_integer(i)
                .header_double(d)
                .header_timestamp(time)
                .header_list(list)
                .prefix_headers(prefixed)
                .values(values)
                .build()
        })
}

/// Why a call returned no output.
fn round_trips<I, O, SI, SO>(
    input: fn() -> SI,
    output: fn() -> SO,
    (answer, received): (
        &std::sync::Mutex<Option<Value>>,
        &std::sync::Mutex<Vec<Value>>,
    ),
    refusals: bool,
    call: impl Fn(&Value) -> Result<Value, Failure> + Sync,
) -> usize
where
    I: Serialize + std::fmt::Debug,
    O: Serialize + std::fmt::Debug,
    SI: Strategy<Value = I>,
    SO: Strategy<Value = O>,
{
    let refused = std::sync::atomic::AtomicUsize::new(0);
    let run = || {
        runner()
            .run(&(input(), output()), |(input, output)| {
                let (input, output) = (canonical(&input), canonical(&output));
                *answer.lock().unwrap() = Some(output.clone());
                received.lock().unwrap().clear();
                let got = match call(&input) {
                    Ok(got) => got,
                    Err(Failure::Refused(why)) if refusals => {
                        prop_assert!(
                            received.lock().unwrap().is_empty(),
                            "refused ({why}), yet the handler was called"
                        );
                        refused.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        return Ok(());
                    }
                    Err(Failure::Refused(why) | Failure::Failed(why)) => {
                        return Err(TestCaseError::fail(why));
                    }
                };
                let seen = received.lock().unwrap().pop();
                let seen = seen.ok_or_else(|| TestCaseError::fail("the handler was not called"))?;
                prop_assert!(
                    same(&seen, &input),
                    "the handler received / the client sent: {}",
                    difference(&seen, &input, "input")
                );
                prop_assert!(
                    same(&got, &output),
                    "the client returned / the handler answered: {}",
                    difference(&got, &output, "output")
                );
                Ok(())
            })
            .map_err(|e| e.to_string())
    };
    let result = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .stack_size(256 << 20)
            .spawn_scoped(scope, run)
            .expect("a thread")
            .join()
            .expect("the cases ran")
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    refused.into_inner()
}

/// One module per protocol: `$sdk` is its crate, `$service` its server
/// trait, and `headers` whether the protocol puts members in headers and
/// the URI (where a client may refuse text they cannot carry).
macro_rules! over {
    ($sdk:ident, $service:ident, headers: $headers:literal) => {
        mod $sdk {
            use std::sync::Mutex;

            use sdk::server::{self, $service};
            use sdk::types;
            use tinsmith_runtime::RetryConfig;
            use tinsmith_runtime::server::Request;
            use tinsmith_tests::round_trips::$sdk as sdk;

            use super::{Value, canonical, convert};

            /// Records what it receives, answers what it is given.
            #[derive(Default)]
            struct Echo {
                answer: Mutex<Option<Value>>,
                received: Mutex<Vec<Value>>,
            }

            impl Echo {
                fn take<T: serde::Serialize, O: serde::de::DeserializeOwned>(
                    &self,
                    input: &T,
                ) -> O {
                    self.received.lock().unwrap().push(canonical(input));
                    convert(&self.answer.lock().unwrap().take().expect("an answer"))
                }
            }

            impl $service for &'static Echo {
                async fn echo_values(
                    &self,
                    request: Request<types::EchoValuesInput>,
                ) -> Result<types::EchoValuesOutput, server::EchoValuesError> {
                    Ok(self.take(request.input()))
                }

                async fn echo_bindings(
                    &self,
                    request: Request<types::EchoBindingsInput>,
                ) -> Result<types::EchoBindingsOutput, server::EchoBindingsError> {
                    Ok(self.take(request.input()))
                }
            }

            fn start(runtime: &tokio::runtime::Runtime) -> (sdk::Client, &'static Echo) {
                let echo: &'static Echo = Box::leak(Box::default());
                let client = runtime.block_on(async {
                    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                    let address = listener.local_addr().unwrap();
                    let app = server::router(echo);
                    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
                    let config = sdk::Config::builder()
                        .endpoint(format!("http://{address}"))
                        .retry(RetryConfig::disabled())
                        .build();
                    sdk::Client::new(config)
                });
                (client, echo)
            }

            #[test]
            fn values() {
                let runtime = tokio::runtime::Runtime::new().unwrap();
                let (client, echo) = start(&runtime);
                super::round_trips(
                    super::values_input,
                    super::values_output,
                    (&echo.answer, &echo.received),
                    false,
                    |input| {
                        let input: types::EchoValuesInput = convert(input);
                        let sent = client.echo_values().values(input.values).send();
                        runtime
                            .block_on(sent)
                            .map(|output| canonical(&output))
                            .map_err(Into::into)
                    },
                );
            }

            /// Sends `input` with the `EchoBindings` request builder.
            fn send_bindings(
                runtime: &tokio::runtime::Runtime,
                client: &sdk::Client,
                input: &Value,
            ) -> Result<Value, super::Failure> {
                let input: types::EchoBindingsInput = convert(input);
                let sent = client
                    .echo_bindings()
                    .label(input.label)
                    .greedy(input.greedy)
                    .query_string(input.query_string)
                    .query_integer(input.query_integer)
                    .query_boolean(input.query_boolean)
                    .query_double(input.query_double)
                    .query_timestamp(input.query_timestamp)
                    .query_list(input.query_list)
                    .query_enum(input.query_enum)
                    .header_string(input.header_string)
                    .header_integer(input.header_integer)
                    .header_boolean(input.header_boolean)
                    .header_double(input.header_double)
                    .header_timestamp(input.header_timestamp)
                    .header_list(input.header_list)
                    .header_integers(input.header_integers)
                    .prefix_headers(input.prefix_headers)
                    .note(input.note)
                    .send();
                runtime
                    .block_on(sent)
                    .map(|output| canonical(&output))
                    .map_err(Into::into)
            }

            #[test]
            fn bindings() {
                let runtime = tokio::runtime::Runtime::new().unwrap();
                let (client, echo) = start(&runtime);
                super::round_trips(
                    super::bindings_input,
                    super::bindings_output,
                    (&echo.answer, &echo.received),
                    false,
                    |input| send_bindings(&runtime, &client, input),
                );
            }

            /// Any text in labels and headers: sent as it is, or (where
            /// the protocol puts it in the URI and headers) refused by the
            /// client before it sends anything; never mangled.
            #[test]
            fn bindings_of_any_text() {
                let runtime = tokio::runtime::Runtime::new().unwrap();
                let (client, echo) = start(&runtime);
                let refused = super::round_trips(
                    || super::bindings_input_of(super::Text::Any),
                    super::bindings_output,
                    (&echo.answer, &echo.received),
                    $headers,
                    |input| send_bindings(&runtime, &client, input),
                );
                eprintln!("refused by the client: {refused}");
            }
        }
    };
}

over!(rest_json1, RoundTripsRest, headers: true);
over!(aws_json1_0, RoundTripsJson10, headers: false);
over!(aws_json1_1, RoundTripsJson11, headers: false);
over!(rpcv2_cbor, RoundTripsCbor, headers: false);
over!(rpcv2_json, RoundTripsRpcJson, headers: false);
over!(json_rpc2, RoundTripsJsonRpc, headers: false);
