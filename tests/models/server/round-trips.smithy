$version: "2"

// Every kind of shape, in every place a protocol puts it, served over each
// protocol tinsmith generates servers for: the round-trip property tests
// (`tests/tests/round_trips.rs`) send arbitrary values with the generated
// client to the generated server and back, and check that both ends see
// what the other sent. The same operations are served by one service per
// protocol; the RPC protocols ignore the `@http` bindings.

namespace tinsmith.tests.roundtrips

use aws.protocols#awsJson1_0
use aws.protocols#awsJson1_1
use aws.protocols#restJson1
use smithy.protocols#rpcv2Cbor
use smithy.protocols#rpcv2Json
use tinsmith.protocols#jsonRpc2

@restJson1
service RoundTripsRest {
    version: "2026-12-06"
    operations: [EchoValues, EchoBindings]
}

@awsJson1_0
service RoundTripsJson10 {
    version: "2026-12-06"
    operations: [EchoValues, EchoBindings]
}

@awsJson1_1
service RoundTripsJson11 {
    version: "2026-12-06"
    operations: [EchoValues, EchoBindings]
}

@rpcv2Cbor
service RoundTripsCbor {
    version: "2026-12-06"
    operations: [EchoValues, EchoBindings]
}

@rpcv2Json
service RoundTripsRpcJson {
    version: "2026-12-06"
    operations: [EchoValues, EchoBindings]
}

@jsonRpc2
service RoundTripsJsonRpc {
    version: "2026-12-06"
    operations: [EchoValues, EchoBindings]
}

/// Values in the body, both ways.
@http(method: "POST", uri: "/values")
operation EchoValues {
    input := {
        values: Values
    }
    output := {
        values: Values
    }
}

/// Values in every HTTP binding of a request, and in the headers and body
/// of a response.
@idempotent
@http(method: "PUT", uri: "/bindings/{label}/{greedy+}")
operation EchoBindings {
    input := {
        @required
        @httpLabel
        label: String

        @required
        @httpLabel
        greedy: String

        @httpQuery("s")
        queryString: String

        @httpQuery("i")
        queryInteger: Integer

        @httpQuery("b")
        queryBoolean: Boolean

        @httpQuery("d")
        queryDouble: Double

        @httpQuery("t")
        queryTimestamp: Timestamp

        @httpQuery("l")
        queryList: StringList

        @httpQuery("e")
        queryEnum: Suit

        @httpHeader("x-s")
        headerString: String

        @httpHeader("x-i")
        headerInteger: Integer

        @httpHeader("x-b")
        headerBoolean: Boolean

        @httpHeader("x-d")
        headerDouble: Double

        @httpHeader("x-t")
        headerTimestamp: Timestamp

        @httpHeader("x-l")
        headerList: StringList

        @httpHeader("x-il")
        headerIntegers: IntegerList

        @httpPrefixHeaders("x-p-")
        prefixHeaders: StringMap

        note: String
    }
    output := {
        @httpHeader("x-s")
        headerString: String

        @httpHeader("x-i")
        headerInteger: Integer

        @httpHeader("x-d")
        headerDouble: Double

        @httpHeader("x-t")
        headerTimestamp: Timestamp

        @httpHeader("x-l")
        headerList: StringList

        @httpPrefixHeaders("x-p-")
        prefixHeaders: StringMap

        values: Values
    }
}

/// One member of every kind of shape.
structure Values {
    boolean: Boolean
    byte: Byte
    short: Short
    integer: Integer
    long: Long
    float: Float
    double: Double
    string: String
    blob: Blob
    document: Document
    timestamp: Timestamp

    @timestampFormat("date-time")
    dateTime: Timestamp

    @timestampFormat("http-date")
    httpDate: Timestamp

    @timestampFormat("epoch-seconds")
    epochSeconds: Timestamp

    suit: Suit
    level: Level
    choice: Choice
    strings: StringList
    sparseIntegers: SparseIntegerList
    timestamps: TimestampList
    blobs: BlobList
    children: ValuesList
    byName: ValuesMap
    sparseStrings: SparseStringMap
    child: Values
    defaulted: Integer = 7
}

union Choice {
    string: String
    integer: Integer
    values: Values
    strings: StringList
    nothing: Unit
}

enum Suit {
    CLUBS
    DIAMONDS = "diamonds"
    HEARTS
    SPADES
}

intEnum Level {
    LOW = 1
    HIGH = 10
    NEGATIVE = -3
}

list StringList {
    member: String
}

list IntegerList {
    member: Integer
}

@sparse
list SparseIntegerList {
    member: Integer
}

list TimestampList {
    member: Timestamp
}

list BlobList {
    member: Blob
}

list ValuesList {
    member: Values
}

map ValuesMap {
    key: String
    value: Values
}

map StringMap {
    key: String
    value: String
}

@sparse
map SparseStringMap {
    key: String
    value: String
}
