$version: "2"

// The XML-based protocols at their edges: one set of operations served over
// restXml, awsQuery and ec2Query, whose shapes use every XML trait on every
// kind of member (attributes of each scalar type, renamed, namespaced and
// flattened lists and maps, nested and sparse collections, enum keys,
// unions, recursion, every timestamp format), and errors with
// @awsQueryError codes.
namespace tinsmith.odd.xml

use aws.protocols#awsQuery
use aws.protocols#awsQueryError
use aws.protocols#ec2Query
use aws.protocols#ec2QueryName
use aws.protocols#restXml

@restXml
@xmlNamespace(uri: "https://odd.example.com/rest")
service OddRestXml {
    version: "2026-12-05"
    operations: [Echo, Fail, Nothing, Upload, Download]
}

@awsQuery
@xmlNamespace(uri: "https://odd.example.com/query")
service OddQuery {
    version: "2026-12-05"
    operations: [Echo, Fail, Nothing]
}

@ec2Query
@xmlNamespace(uri: "https://odd.example.com/ec2")
service OddEc2 {
    version: "2026-12-05"
    operations: [Echo, Fail, Nothing]
}

/// Sends everything and gets it back.
@http(method: "POST", uri: "/echo/{id}")
operation Echo {
    input: Everything
    output: Everything
    errors: [Oops, Plain]
}

/// Always fails.
@http(method: "POST", uri: "/fail")
operation Fail {
    input := {
        reason: String
    }
    errors: [Oops, Plain]
}

/// Sends and receives nothing.
@http(method: "GET", uri: "/nothing")
operation Nothing {}

/// Every XML form.
@xmlName("EverythingRoot")
structure Everything {
    @httpLabel
    @required
    id: String

    @httpHeader("x-when")
    when: Timestamp

    @httpQuery("tag")
    tags: Strings

    @xmlAttribute
    @xmlName("kind")
    kind: Kind

    @xmlAttribute
    count: Integer

    @xmlAttribute
    @xmlName("xsi:flag")
    flag: Boolean

    @xmlAttribute
    @timestampFormat("epoch-seconds")
    seen: Timestamp

    name: String

    @xmlName("Renamed")
    @ec2QueryName("EcTwo")
    renamed: String

    @xmlNamespace(uri: "https://ns.example.com", prefix: "ns")
    spaced: String

    byte: Byte
    short: Short
    long: Long
    float: Float
    double: Double
    bigInteger: BigInteger
    bigDecimal: BigDecimal
    blob: Blob
    level: Level

    @timestampFormat("epoch-seconds")
    epoch: Timestamp

    date: Timestamp

    @timestampFormat("http-date")
    http: Timestamp

    list: Strings

    @xmlFlattened
    flat: Strings

    renamedList: RenamedStrings

    @xmlFlattened
    @xmlName("FlatItem")
    flatRenamed: RenamedStrings

    @xmlFlattened
    flatStructs: NestedList

    lists: ListOfLists

    sparse: SparseStrings

    map: StringMap

    @xmlFlattened
    flatMap: StringMap

    renamedMap: RenamedMap

    @xmlFlattened
    @xmlName("Pair")
    flatRenamedMap: RenamedMap

    kinds: KindMap

    mapOfLists: MapOfLists

    nested: Nested

    choice: Choice

    choices: ChoiceList

    empty: Empty
}

enum Kind {
    SMALL = "small"
    LARGE = "large"
}

intEnum Level {
    LOW = 1
    HIGH = 2
}

list Strings {
    member: String
}

list RenamedStrings {
    @xmlName("item")
    member: String
}

list NestedList {
    member: Nested
}

list ListOfLists {
    member: Strings
}

@sparse
list SparseStrings {
    member: String
}

map StringMap {
    key: String
    value: String
}

map RenamedMap {
    @xmlName("K")
    key: String

    @xmlName("V")
    @xmlNamespace(uri: "https://value.example.com")
    value: String
}

map KindMap {
    key: Kind
    value: Nested
}

map MapOfLists {
    key: String
    value: Strings
}

/// Recursive, with an attribute of its own.
structure Nested {
    @xmlAttribute
    tag: String

    value: String

    next: Nested

    @xmlFlattened
    children: NestedList
}

union Choice {
    text: String
    nested: Nested
    list: Strings
    nothing: Unit
}

list ChoiceList {
    member: Choice
}

structure Empty {}

/// A modeled error with its own awsQuery code and status.
@error("client")
@httpError(409)
@awsQueryError(code: "OopsCode", httpResponseCode: 409)
structure Oops {
    Message: String
    detail: Nested
}

/// A modeled error named by its shape name.
@error("server")
structure Plain {
    message: String
}

/// A streamed body up (restXml only: the query protocols cannot stream).
@http(method: "PUT", uri: "/objects/{key+}")
operation Upload {
    input := {
        @httpLabel
        @required
        key: String

        @httpHeader("x-meta")
        meta: String

        @httpPayload
        @required
        body: Stream
    }
    output := {
        @httpHeader("ETag")
        etag: String
    }
}

/// A streamed body down.
@readonly
@http(method: "GET", uri: "/objects/{key+}")
operation Download {
    input := {
        @httpLabel
        @required
        key: String
    }
    output := {
        @httpHeader("content-length")
        length: Long

        @httpPayload
        @required
        body: Stream
    }
    errors: [Plain]
}

@streaming
blob Stream
