$version: "2"

// Adversarial names, part 1: every name the generator adds to the `types`
// module (builders, catch-all variants, accessors, setters, locals of
// build()), used by the model itself. Each `// collides:` comment names
// what the line meets.
namespace tinsmith.adversarial.types

use aws.protocols#restJson1

@restJson1
service AdversarialTypes {
    version: "1"
    operations: [PutThing]
}

@http(method: "POST", uri: "/things")
operation PutThing {
    input := {
        thing: Thing
        thingBuilder: ThingBuilder
        underscore: Foo_Bar
        camel: FooBar
        result: Result
        resultValue: ResultValue
        unknownShape: Unknown
        unknownValueShape: UnknownValue
        setters: Setters
        locals: Locals
        keywords: Keywords
        keywordCollections: KeywordCollections
        odd: OddEnum
        legacy: LegacyEnum
        level: Level
        choice: Choice
        accessors: Accessors
    }
    output := {
        thing: Thing
    }
}

structure Thing {
    name: String
}

// collides: the builder of `Thing`
structure ThingBuilder {
    value: String
}

// collides: `FooBar` once in UpperCamelCase (and their codec functions)
structure Foo_Bar {
    a: String
}

structure FooBar {
    b: String
}

// collides: the prelude's `Result`, then its alternate with `ResultValue`
structure Result {
    ok: String
}

structure ResultValue {
    also: String
}

// collides: the generator's catch-all name, and its alternate
structure Unknown {
    u: String
}

structure UnknownValue {
    v: String
}

// Members that are builder methods, trait methods the builders derive,
// each other's `set_` setter, and each other once in snake case.
structure Setters {
    build: String          // collides: build()
    build_value: String    // collides: the alternate of `build`
    set_build: String      // collides: the `set_` setter of `build`
    send: String           // collides: send() of request builders
    send_with: String      // collides: send_with()
    into_paginator: String // collides: into_paginator()
    default: String        // collides: Default::default()
    clone: String          // collides: Clone::clone()
    clone_from: String     // collides: Clone::clone_from()
    fmt: String            // collides: Debug::fmt()
    eq: String             // collides: PartialEq::eq()
    ne: String             // collides: PartialEq::ne()
    into: String           // collides: Into::into()
    try_into: String       // collides: TryInto::try_into()
    to_owned: String       // collides: ToOwned::to_owned()
    config: String         // collides: config()
    customize: String      // collides: customize()
    meta: String           // collides: meta()
    builder: String        // collides: builder()
    into_future: String    // collides: into_future()
    foo: String
    set_foo: String        // collides: the `set_` setter of `foo`
    fooBar: String
    foo_bar: String        // collides: `fooBar` in snake case
    FOO_BAZ: String
    fooBaz: String         // collides: `FOO_BAZ` in snake case
}

// Members named like the locals and parameters of generated functions.
structure Locals {
    @required
    missing: String        // collides: build()'s list of missing members
    @required
    missing_value: String  // collides: the alternate of `missing`
    @required
    input: String
    @required
    builder: String
    @required
    object: String
    @required
    value: String
    f: String
    e: String
    v: String
    item: String
    key: String
    text: String
    body: String
    response: String
    parts: String
    endpoint: String
    status: String
    found: String
}

structure Keywords {
    type: String
    fn: String
    async: String
    await: String
    dyn: String
    match: String
    mod: String
    move: String
    ref: String
    self: String           // collides: the keyword `self`
    self_: String          // collides: the escape of `self`
    crate: String
    super: String
    gen: String
    try: String
    yield: String
    box: String
    abstract: String
}

/// Collections named by keywords that cannot be raw identifiers: their
/// setters are `super_` and `self_`, so their appenders cannot be.
structure KeywordCollections {
    super: KeywordList     // collides: the appender's singular, escaped
    self: KeywordMap       // collides: the same, for a map
}

list KeywordList {
    member: String
}

map KeywordMap {
    key: String
    value: String
}

enum OddEnum {
    Unknown = "UNKNOWN"            // collides: the catch-all variant
    UnknownValue = "unknown-value" // collides: the alternate of `Unknown`
    A_B = "a_b"
    AB = "ab"                      // collides: `A_B` in UpperCamelCase
    V1 = "v1"
    V_1 = "v_1"                    // collides: `V1` in UpperCamelCase
    Self = "self"                  // collides: the keyword `Self`
    SelfValue = "self-value"       // collides: the alternate of `Self`
    Err = "err"                    // collides: `FromStr::Err` as `Self::Err`
    Ok = "ok"
    None = "none"
    Some = "some"
}

@enum([
    { value: "one", name: "ONE" }
    { value: "One" }               // collides: `ONE` in UpperCamelCase
    { value: "unknown" }           // collides: the catch-all variant
])
string LegacyEnum

intEnum Level {
    Unknown = 1                    // collides: the catch-all variant
    UnknownValue = 2
    LOW_ONE = 3
    LowOne = 4                     // collides: `LOW_ONE` in UpperCamelCase
}

union Choice {
    unknown: String                // collides: the catch-all variant
    unknownValue: String           // collides: the alternate of `unknown`
    Unknown_: String               // collides: both, once in UpperCamelCase
    self: Integer                  // collides: the keyword `Self`
    nothing: Unit
}

union Accessors {
    x_y: String
    xy: String                     // collides: `x_y`'s as_/is_ accessors once in snake case
    fmt: String
    eq: String
}
