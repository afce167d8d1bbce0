$version: "2"

// Adversarial names, part 3: the codec functions of document protocols
// (`ser_<stem>`/`de_<stem>`), event codecs (`<STEM>_CODEC`, `decode_…`,
// `read_…_message`) and service errors, over awsJson1_0.
namespace tinsmith.adversarial.documents

use aws.protocols#awsJson1_0

@awsJson1_0
service AdversarialDocuments {
    version: "1"
    operations: [Exchange, Subscribe, Publish]
    errors: [Unhandled]
}

operation Exchange {
    input := {
        a: Foo_Bar
        b: FooBar          // collides: `Foo_Bar`'s codec functions in snake case
        c: Nested
        d: NestedValue
        e: Shape_
        f: Shape           // collides: `Shape_` in UpperCamelCase
        g: Either
    }
    output := {
        a: Foo_Bar
        b: FooBar
        g: Either
    }
    errors: [Exchange_Error]
}

structure Foo_Bar {
    x: String
}

structure FooBar {
    y: String
}

structure Nested {
    value: NestedValue
}

// collides: the alternate name of a type named like a reserved one
structure NestedValue {
    z: String
}

structure Shape_ {
    s: String
}

structure Shape {
    t: String
}

union Either {
    fooBar: FooBar
    foo_bar: Foo_Bar       // collides: `fooBar` in UpperCamelCase
    unknown: Unit          // collides: the catch-all variant
}

// collides: `ExchangeError`, the error enum of `Exchange`, in UpperCamelCase
@error("client")
structure Exchange_Error {
    message: String
}

// collides: the catch-all variant of every operation error enum
@error("server")
structure Unhandled {
    message: String
}

operation Subscribe {
    output := {
        events: Events
    }
}

operation Publish {
    input := {
        events: Events_
    }
}

// collides: `Events_` in UpperCamelCase, and so their codec constants
@streaming
union Events {
    tick: Tick
}

@streaming
union Events_ {
    tick: Tick_
}

structure Tick {
    @eventHeader
    n: Integer
}

// collides: `Tick` in UpperCamelCase, and their message readers and writers
structure Tick_ {
    @eventHeader
    n: Long
}
