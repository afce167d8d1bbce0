$version: "2"

// A naming and typing obstacle course for the code generator. Every shape
// here exists to trip up a naive generator: Rust keywords, names of prelude
// and crate items, recursion, odd enum values, HTML documentation, defaults
// of every kind. The generated crate must compile without a single warning.
namespace example.naming

use aws.protocols#restJson1

/// <p>An obstacle course. See <a href="https://smithy.io">Smithy</a> for
/// the <code>[brackets]</code> and <b>HTML</b> it uses.</p>
@restJson1
service Obstacles {
    version: "2024-01-01"
    operations: [Match, Self]
}

@http(method: "POST", uri: "/match")
operation Match {
    input := {
        type: String
        self: String
        build: Integer
        send: Boolean
        meta: String
        async: Result
        fn: Option
        @required
        Box: Vec
        config: Config
        client: Client
        error: Error
        builder: Builder
    }
    output := {
        recursive: Recursive
        union: Choice
        enum: OddEnum
        int: Level
        legacy: LegacyEnum
        defaults: Defaults
        secret: Secret
        old: Old
    }
    errors: [Error]
}

@http(method: "GET", uri: "/self")
@readonly
operation Self {}

structure Result {
    ok: String
}

structure Option {
    some: String
}

list Vec {
    member: Box
}

structure Box {
    value: String
}

structure Config {}

structure Client {}

/// The error.
@error("client")
structure Error {
    message: String
}

structure Builder {
    build: String
}

/// Recursive through itself, a list, a map and a union.
structure Recursive {
    next: Recursive
    children: RecursiveList
    byName: RecursiveMap
    choice: Choice
    mutual: MutualA
}

list RecursiveList {
    member: Recursive
}

map RecursiveMap {
    key: String
    value: Recursive
}

structure MutualA {
    b: MutualB
}

structure MutualB {
    a: MutualA
}

union Choice {
    text: String
    nested: Choice
    recursive: Recursive
    nothing: Unit
    unknown: String
    self: Integer
}

enum OddEnum {
    DASHED = "a-b"
    LEADING_DIGIT = "1foo"
    SPACED = "with space"
    unknown = "unknown"
    Self = "self"
    lower = "lower"
}

intEnum Level {
    LOW = 1
    HIGH = 10
    NEGATIVE = -1
}

@enum([
    { value: "v1", name: "V1", documentation: "Version [one]." }
    { value: "v2" }
])
string LegacyEnum

structure Defaults {
    text: String = "hi"
    flag: Boolean = true
    small: Byte = 1
    short: Short = 2
    int: Integer = 3
    long: Long = 4
    float: Float = 1.5
    double: Double = 2.5
    time: Timestamp = 0
    list: Vec = []
    map: RecursiveMap = {}
    doc: Document = { a: [1, "two", true, null] }
    enum: OddEnum = "a-b"
    level: Level = 10
    big: BigInteger = 1
    decimal: BigDecimal = 2
    blob: Blob = ""
    @required
    required: String
}

@sensitive
string Secret

@deprecated(message: "Use something else.", since: "2024")
structure Old {
    @deprecated
    field: String
    sparse: SparseList
    sparseMap: SparseMap
    when: Timestamp
    data: Blob
    any: Document
}

@sparse
list SparseList {
    member: String
}

@sparse
map SparseMap {
    key: String
    value: Integer
}
