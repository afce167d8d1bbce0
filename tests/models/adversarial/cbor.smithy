$version: "2"

// Adversarial names, part 4: rpcv2Cbor, whose paths and error types are
// built from shape names, and whose codec is the CBOR one.
namespace tinsmith.adversarial.cbor

use smithy.protocols#rpcv2Cbor

@rpcv2Cbor
service AdversarialCbor {
    version: "1"
    operations: [Put_Item, PutItem, GetItem]
}

// collides: `PutItem` in UpperCamelCase (request builder, method, error
// enum, functions), and so do their inputs
operation Put_Item {
    input := {
        item: Item
        item_: Item_       // collides: `item` in snake case, `Item` in UpperCamelCase
    }
}

operation PutItem {
    input := {
        other: String
    }
}

@readonly
operation GetItem {
    output := {
        item: Item
        choice: Choice
        when: Timestamp
    }
    errors: [GetItemError_]
}

structure Item {
    id: String
    build: Integer      // collides: build()
    set_id: String      // collides: the `set_` setter of `id`
}

structure Item_ {
    other: String
}

union Choice {
    item: Item
    item_: Item_        // collides: `item` in UpperCamelCase
}

// collides: `GetItemError`, the error enum of `GetItem`
@error("client")
structure GetItemError_ {
    message: String
}
