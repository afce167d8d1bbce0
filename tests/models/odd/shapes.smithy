$version: "2"

// Odd but valid shapes: recursion through every aggregate, sparse and
// deeply nested collections, every kind of default, deprecation and
// redaction everywhere, mixins, resources, enum-keyed maps, documents.
namespace tinsmith.odd.shapes

use aws.protocols#awsJson1_1

@awsJson1_1
@title("Odd shapes")
service OddShapes {
    version: "1"
    resources: [Forest]
    operations: [Everything, Nothing, Deprecated]
}

@deprecated(message: "Old API.")
@paginated(inputToken: "token", outputToken: "next", items: "items")
@readonly
operation Deprecated {
    input: DeprecatedInput
    output: DeprecatedOutput
    errors: [DeprecatedError]
}

@deprecated
@input
structure DeprecatedInput {
    token: String
    @deprecated
    mode: OldColor
}

@deprecated
@output
structure DeprecatedOutput {
    next: String
    items: OldList
    /// A map of lists of deprecated values, through an undeprecated output.
    nested: OldMap
}

map OldMap { key: String, value: OldList }

/// Deprecated types reached through a union member and a map key.
union HoldsOld {
    old: Old
    keyed: OldKeyed
}

map OldKeyed { key: OldColor, value: String }

/// A union with one large member and one small one.
union Lopsided {
    big: Defaults
    small: Boolean
}

/// Documentation with tabs:
///
/// ```
/// if x {
/// 	tabbed();
/// }
/// ```
structure Tabbed {
    /// A	tab	in text.
    value: String
    lopsided: Lopsided
    old: OldList
    holds: HoldsOld
}

list OldList { member: Old }

@deprecated
@error("client")
structure DeprecatedError {
    message: String
}

resource Forest {
    identifiers: { forestId: String }
    read: GetForest
    list: ListForests
    operations: [PlantTree]
}

@readonly
operation GetForest {
    input := { @required forestId: String }
    output := { @required forestId: String, tree: Tree }
}

@readonly
@paginated(inputToken: "token", outputToken: "page.next", items: "page.forests", pageSize: "limit")
operation ListForests {
    input := { token: String, limit: Integer }
    output := { @required page: ForestPage }
}

structure ForestPage {
    next: String
    @required
    forests: ForestIds
}

list ForestIds { member: String }

operation PlantTree {
    input := {
        @required forestId: String
        @idempotencyToken token: String
        tree: Tree
    }
}

/// Recursive through an optional member, a list, a map and a union.
structure Tree {
    parent: Tree
    children: Trees
    byName: TreeMap
    branch: Branch
}

list Trees { member: Tree }

map TreeMap { key: String, value: Tree }

union Branch {
    leaf: String
    tree: Tree
    branch: Branch
}

@mixin
structure Timestamps {
    createdAt: Timestamp
    @timestampFormat("date-time")
    updatedAt: Timestamp
}

operation Everything {
    input := with [Timestamps] {
        sparse: Sparse
        nested: Nested4
        defaults: Defaults
        old: Old
        secret: Secret
        secretChoice: SecretChoice
        keyed: ColorMap
        doc: Document
        docs: Documents
        big: BigInteger
        dec: BigDecimal
        empty: Empty
        bytes: Blobs
        times: TimestampList
        tabbed: Tabbed
    }
    output := with [Timestamps] {
        sparse: Sparse
        nested: Nested4
        defaults: Defaults
        old: Old
        secret: Secret
        secretChoice: SecretChoice
        keyed: ColorMap
        doc: Document
        docs: Documents
        empty: Empty
    }
}

operation Nothing {}

structure Sparse {
    strings: SparseStrings
    points: SparsePoints
    map: SparseMap
    nestedMap: SparseNestedMap
}

@sparse
list SparseStrings { member: String }

@sparse
list SparsePoints { member: Empty }

@sparse
map SparseMap { key: String, value: Integer }

@sparse
map SparseNestedMap { key: String, value: SparseStrings }

list Nested1 { member: String }
list Nested2 { member: Nested1 }
list Nested3 { member: Nested2 }
list Nested4 { member: Nested3 }

enum Color {
    RED
    GREEN
}

map ColorMap { key: Color, value: Nested2 }

list Documents { member: Document }

list Blobs { member: Blob }

@timestampFormat("http-date")
timestamp HttpDate

list TimestampList { member: HttpDate }

structure Defaults {
    text: String = "text"
    empty: String = ""
    flag: Boolean = false
    tiny: Byte = -128
    small: Short = 32767
    int: Integer = -2147483648
    long: Long = 9007199254740993
    float: Float = 3.5
    double: Double = -0.25
    big: BigInteger = 123456789
    dec: BigDecimal = 1.5
    time: Timestamp = 1700000000
    blob: Blob = "aGVsbG8="
    color: Color = "GREEN"
    list: Nested1 = []
    map: ColorMap = {}
    doc: Document = { a: [1, true, null, "x"] }
    nullDoc: Document = null
}

@deprecated(message: "Use Defaults.", since: "2020")
structure Old {
    @deprecated
    field: String
    color: OldColor
    choice: OldChoice
}

@deprecated(since: "1.0")
enum OldColor {
    @deprecated(message: "gone")
    RED
    BLUE
}

@deprecated
union OldChoice {
    @deprecated
    a: String
    b: Integer
}

@sensitive
structure Secret {
    password: String
}

@sensitive
union SecretChoice {
    pin: Integer
    phrase: String
}

structure Empty {}
