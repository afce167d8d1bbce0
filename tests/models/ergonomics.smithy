$version: "2"

// What real runs found hard to use (tests/tests/ergonomics.rs): paginators
// whose tokens are not strings (a map of attribute values as DynamoDB
// pages, a structure, an integer offset), items that are maps or sparse
// lists; error messages however the model names the member; builders of
// structures with nothing required; per-entry appenders of lists and maps;
// deprecated operations, errors, members and variants that the generated
// code itself names without a warning (the crate is built with -D warnings).
namespace tinsmith.tests.ergonomics

use aws.auth#sigv4
use aws.protocols#awsJson1_0
use aws.protocols#awsQueryCompatible

@awsJson1_0
@awsQueryCompatible
service Tables {
    version: "2026-12-01"
    operations: [
        Scan
        ListByCursor
        ListByOffset
        ListTags
        ListSparse
        Mismatched
        TagTable
        Upload
        Retire
    ]
}

/// A service whose only auth scheme is SigV4, which the runtime cannot sign
/// with yet: its calls fail before sending rather than go out unsigned.
@awsJson1_0
@sigv4(name: "signed")
@auth([sigv4])
service Signed {
    version: "2026-12-01"
    operations: [TagTable]
}

/// Tags a table: lists and maps get per-entry appenders (`tag`, `label`)
/// beside their whole-collection setters. Its errors name their message
/// members three ways.
operation TagTable {
    input := {
        @required
        table: String

        tags: Tags

        labels: Names
    }
    output := {}
    errors: [NoSuchTable, TooManyTags, Conflict]
}

/// The message member is `Message`; services send `message` anyway.
@error("client")
structure NoSuchTable {
    @required
    Message: String
}

/// The message member is `errorMessage`.
@error("client")
structure TooManyTags {
    errorMessage: String
    limit: Integer
}

/// The message member is `message`.
@error("client")
structure Conflict {
    message: String
}

/// Sends a stream of chunks: the event union is only ever sent, so it has
/// no `Unknown` variant that would fail at run time.
operation Upload {
    input := {
        @required
        table: String

        chunks: Chunks
    }
    output := {
        received: Integer
    }
}

@streaming
union Chunks {
    chunk: Chunk
}

structure Chunk {
    @eventPayload
    data: Blob
}

/// An attribute value, as DynamoDB writes its items.
union AttributeValue {
    S: String
    N: String
    L: AttributeList
    M: AttributeMap
}

list AttributeList {
    member: AttributeValue
}

map AttributeMap {
    key: String
    value: AttributeValue
}

list Items {
    member: AttributeMap
}

/// Pages through items; the continuation token is the key of the last item
/// read (a map, as DynamoDB's `ExclusiveStartKey`/`LastEvaluatedKey`).
@readonly
@paginated(inputToken: "ExclusiveStartKey", outputToken: "LastEvaluatedKey", items: "Items", pageSize: "Limit")
operation Scan {
    input := {
        TableName: String
        ExclusiveStartKey: AttributeMap
        Limit: Integer
    }
    output := {
        Items: Items
        LastEvaluatedKey: AttributeMap
    }
}

/// A cursor of several fields.
structure Cursor {
    @required
    after: String

    @required
    generation: Long
}

/// The token is a structure, nested in the output.
@readonly
@paginated(inputToken: "cursor", outputToken: "page.next", items: "page.names")
operation ListByCursor {
    input := {
        cursor: Cursor
    }
    output := {
        page: Page
    }
}

structure Page {
    next: Cursor
    names: Names
}

list Names {
    member: String
}

/// The token is an integer offset.
@readonly
@paginated(inputToken: "offset", outputToken: "nextOffset", items: "names")
operation ListByOffset {
    input := {
        offset: Integer
    }
    output := {
        nextOffset: Integer
        names: Names
    }
}

/// The items are a map: each entry is yielded.
@readonly
@paginated(inputToken: "token", outputToken: "token", items: "tags")
operation ListTags {
    input := {
        token: String
    }
    output := {
        token: String
        tags: Tags
    }
}

map Tags {
    key: String
    value: String
}

/// The items are a sparse list: holes are yielded as `None`.
@readonly
@paginated(inputToken: "token", outputToken: "token", items: "values")
operation ListSparse {
    input := {
        token: String
    }
    output := {
        token: String
        values: SparseNames
    }
}

@sparse
list SparseNames {
    member: String
}

/// The output token cannot be sent back as the input token: a warning, and
/// no paginator (the operation itself still works).
@readonly
@paginated(inputToken: "token", outputToken: "next")
operation Mismatched {
    input := {
        token: String
    }
    output := {
        next: Integer
    }
}

/// A deprecated operation with a deprecated error, input member, enum
/// value and union variant: the generated code uses each (error enums,
/// serializers, readers) and must not warn about its own uses.
@deprecated(message: "Tables are retired by policy now.", since: "2026-11")
operation Retire {
    input := {
        @required
        table: String

        @deprecated
        reason: String

        mode: RetireMode

        when: RetireWhen
    }
    output := {
        @deprecated(message: "Always empty.")
        note: String

        previous: LegacySettings
    }
    errors: [Gone, Conflict]
}

/// Retired long ago.
@deprecated
@error("client")
structure Gone {
    message: String
}

/// How a table is retired.
enum RetireMode {
    /// At once.
    NOW
    /// The old way.
    @deprecated
    LATER
}

/// When a table is retired.
union RetireWhen {
    /// At a time.
    at: Timestamp
    /// After some seconds.
    @deprecated(message: "Use `at`.")
    after: Integer
}

/// Settings kept from before.
@deprecated
structure LegacySettings {
    size: Integer
}
