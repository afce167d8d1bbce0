$version: "2"

// Odd but valid HTTP bindings: every binding trait on every type it may
// bind, every kind of payload, an extension method, a response code.
namespace tinsmith.odd.bindings

use aws.protocols#restJson1

@restJson1
service OddBindings {
    version: "1"
    operations: [
        Labels
        Headers
        Queries
        StructurePayload
        UnionPayload
        DocumentPayload
        ListPayload
        MapPayload
        TextPayload
        EnumPayload
        BlobPayload
        IntegerPayload
        Propfind
        NoIo
        EnumBindings
        RequiredTokens
    ]
}

@http(method: "GET", uri: "/labels/{s}/{i}/{b}/{t}/{f}/{e}/{ie}/{l}/{bi}/{bd}/{d}/{greedy+}")
@readonly
operation Labels {
    input := {
        @required @httpLabel s: String
        @required @httpLabel i: Integer
        @required @httpLabel b: Boolean
        @required @httpLabel @timestampFormat("epoch-seconds") t: Timestamp
        @required @httpLabel f: Float
        @required @httpLabel e: Color
        @required @httpLabel ie: Level
        @required @httpLabel l: Long
        @required @httpLabel bi: BigInteger
        @required @httpLabel bd: BigDecimal
        @required @httpLabel d: Double
        @required @httpLabel greedy: String
    }
}

@http(method: "POST", uri: "/headers")
operation Headers {
    input := {
        @httpHeader("x-s") s: String
        @httpHeader("x-m") m: JsonText
        @httpHeader("x-i") i: Integer
        @httpHeader("x-by") by: Byte
        @httpHeader("x-sh") sh: Short
        @httpHeader("x-b") b: Boolean
        @httpHeader("x-t") t: Timestamp
        @httpHeader("x-td") @timestampFormat("date-time") td: Timestamp
        @httpHeader("x-f") f: Float
        @httpHeader("x-e") e: Color
        @httpHeader("x-ie") ie: Level
        @httpHeader("x-bi") bi: BigInteger
        @httpHeader("x-ls") ls: Strings
        @httpHeader("x-lt") lt: Timestamps
        @httpHeader("x-li") li: Integers
        @httpHeader("x-le") le: Colors
        @httpPrefixHeaders("x-meta-") meta: StringMap
    }
    output := {
        @httpHeader("x-s") s: String
        @httpHeader("x-m") m: JsonText
        @httpHeader("x-i") i: Integer
        @httpHeader("x-t") t: Timestamp
        @httpHeader("x-ie") ie: Level
        @httpHeader("x-bi") bi: BigInteger
        @httpHeader("x-ls") ls: Strings
        @httpHeader("x-lt") lt: Timestamps
        @httpHeader("x-le") le: Colors
        @httpPrefixHeaders("x-meta-") meta: StringMap
        @httpResponseCode code: Integer
    }
}

@http(method: "GET", uri: "/queries?fixed=1&flag")
@readonly
operation Queries {
    input := {
        @httpQuery("s") s: String
        @httpQuery("i") i: Integer
        @httpQuery("t") t: Timestamp
        @httpQuery("th") @timestampFormat("http-date") th: Timestamp
        @httpQuery("e") e: Color
        @httpQuery("ls") ls: Strings
        @httpQuery("lt") lt: Timestamps
        @httpQuery("li") li: Integers
        @httpQueryParams all: StringListMap
    }
}

@http(method: "PUT", uri: "/structure")
@idempotent
operation StructurePayload {
    input := { @httpPayload body: Point }
    output := { @httpPayload body: Point }
}

@http(method: "PUT", uri: "/union")
@idempotent
operation UnionPayload {
    input := { @httpPayload body: Shape }
    output := { @httpPayload body: Shape }
}

@http(method: "PUT", uri: "/document")
@idempotent
operation DocumentPayload {
    input := { @httpPayload body: Document }
    output := { @httpPayload body: Document }
}

@http(method: "PUT", uri: "/list")
@idempotent
operation ListPayload {
    input := { @httpPayload body: Points }
    output := { @httpPayload body: Points }
}

@http(method: "PUT", uri: "/map")
@idempotent
operation MapPayload {
    input := { @httpPayload body: PointMap }
    output := { @httpPayload body: PointMap }
}

@http(method: "PUT", uri: "/text")
@idempotent
operation TextPayload {
    input := { @httpPayload body: JsonText }
    output := { @httpPayload body: JsonText }
}

@http(method: "PUT", uri: "/enum")
@idempotent
operation EnumPayload {
    input := { @httpPayload body: Color }
    output := { @httpPayload body: Color }
}

@http(method: "PUT", uri: "/blob")
@idempotent
operation BlobPayload {
    input := { @httpPayload body: Picture }
    output := { @httpPayload body: Picture }
}

@http(method: "PUT", uri: "/integer")
@idempotent
operation IntegerPayload {
    input := { @httpPayload body: Integer }
    output := { @httpPayload body: Integer }
}

// An extension method `http::Method` has no constant for.
@http(method: "PROPFIND", uri: "/dav/{path+}")
@readonly
operation Propfind {
    input := {
        @required @httpLabel path: String
        @httpHeader("Depth") depth: String
    }
}

@http(method: "DELETE", uri: "/")
operation NoIo {}

@mediaType("application/json")
string JsonText

@mediaType("image/png")
blob Picture

enum Color {
    RED = "red"
    BLUE = "blue"
}

intEnum Level {
    LOW = 1
    HIGH = 2
}

list Strings { member: String }
list Integers { member: Integer }
list Timestamps { member: Timestamp }
list Colors { member: Color }
list Points { member: Point }
map StringMap { key: String, value: String }
map StringListMap { key: String, value: Strings }
map PointMap { key: String, value: Point }

structure Point {
    x: Integer
    y: Integer
}

union Shape {
    point: Point
    label: String
    empty: Unit
}

// Enums where the bindings take strings: a host label, an idempotency
// token, prefix headers; an intEnum status code.
@http(method: "POST", uri: "/enums")
@endpoint(hostPrefix: "{region}.")
operation EnumBindings {
    input := {
        @required @hostLabel region: Color
        @idempotencyToken token: Color
        @httpPrefixHeaders("x-color-") colors: ColorMap
    }
    output := {
        @httpPrefixHeaders("x-color-") colors: ColorMap
        @httpResponseCode status: Status
    }
}

map ColorMap { key: String, value: Color }

intEnum Status {
    OK = 200
    CREATED = 201
}

// Required idempotency tokens of an input that is not marked @input, so
// the fields are plain values: a string and a string enum.
@http(method: "POST", uri: "/tokens")
operation RequiredTokens {
    input: TokenInput
}

structure TokenInput {
    @required @idempotencyToken token: String
    @required @idempotencyToken colorToken: Color
}
