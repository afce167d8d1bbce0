$version: "2"

// Constraint traits a generated server checks before its handler runs, over
// rpcv2Cbor (`tests/tests/server_validation.rs`): every trait on every type
// it applies to, nested in lists, maps, structures and unions.
namespace tinsmith.tests.validation

use smithy.framework#ValidationException
use smithy.protocols#rpcv2Cbor

@rpcv2Cbor
service Validated {
    version: "1"
    operations: [Check, Loose]
}

/// Models `ValidationException`: violations arrive as that error.
operation Check {
    input := {
        @required
        @length(min: 1)
        id: String

        @length(min: 2, max: 8)
        name: String

        @range(min: 1, max: 10)
        count: Integer

        @range(min: 0.5)
        ratio: Double

        @pattern("^[a-m]+$")
        code: String

        letter: Letter

        @uniqueItems
        tags: Tags

        @length(max: 2)
        limits: Limits

        nested: Nested

        choice: Choice

        @length(min: 1)
        data: Blob

        @uniqueItems
        points: Points

        // Keys checked, values not.
        labels: Labels

        @uniqueItems
        ratios: Ratios

        @range(max: 0.1)
        fraction: Float

        @range(min: 10)
        big: BigInteger

        // Required members inside lists and maps.
        pairs: Pairs

        pairMap: PairMap
    }
    output := {
        accepted: Boolean
    }
    errors: [ValidationException]
}

/// Does not model `ValidationException`: violations are a plain `400`.
operation Loose {
    input := {
        @range(max: 5)
        small: Long
    }
}

enum Letter {
    A
    B

    /// Valid, but not listed in enum-violation messages.
    @internal
    I
}

list Tags {
    member: Tag
}

@length(min: 1, max: 3)
string Tag

map Limits {
    key: Letter
    value: Limit
}

@range(min: 0)
integer Limit

structure Nested {
    @length(max: 3)
    inner: String

    letters: Letters
}

list Letters {
    member: Letter
}

union Choice {
    word: Tag
    number: Limit
}

list Points {
    member: Point
}

structure Point {
    x: Integer
    y: Integer
}

map Labels {
    key: Letter
    value: String
}

list Ratios {
    member: Float
}

list Pairs {
    member: Pair
}

map PairMap {
    key: String
    value: Pair
}

structure Pair {
    @required
    left: String

    right: String
}
