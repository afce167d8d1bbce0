$version: "2"

// Every way a call's endpoint-rule parameters are set: a client context
// parameter, static parameters, @contextParam members and
// @operationContextParams paths (a field path, a projection over a list, a
// map's keys). tests/tests/endpoint_params.rs checks where each call goes.
namespace tinsmith.tests.endpointparams

use aws.protocols#restJson1
use smithy.rules#clientContextParams
use smithy.rules#contextParam
use smithy.rules#endpointRuleSet
use smithy.rules#operationContextParams
use smithy.rules#staticContextParams

@restJson1
@clientContextParams(
    Stage: { type: "string", documentation: "A deployment stage." }
)
@endpointRuleSet({
    version: "1.0"
    parameters: {
        Stage: { type: "string", required: false, documentation: "A deployment stage." }
        Tenant: { type: "string", required: false, documentation: "The tenant." }
        Fast: { type: "boolean", required: false, documentation: "The fast lane." }
        Keys: { type: "stringArray", required: false, documentation: "Tag keys." }
        Names: { type: "stringArray", required: false, documentation: "Item names." }
    }
    rules: [
        {
            conditions: [
                { fn: "isSet", argv: [{ ref: "Keys" }] }
                { fn: "getAttr", argv: [{ ref: "Keys" }, "[0]"], assign: "FirstKey" }
                { fn: "isSet", argv: [{ ref: "Names" }] }
                { fn: "getAttr", argv: [{ ref: "Names" }, "[0]"], assign: "FirstName" }
            ]
            endpoint: { url: "https://{FirstKey}.{FirstName}.example.com" }
            type: "endpoint"
        }
        {
            conditions: [
                { fn: "isSet", argv: [{ ref: "Tenant" }] }
                { fn: "isSet", argv: [{ ref: "Stage" }] }
            ]
            endpoint: { url: "https://{Tenant}.{Stage}.example.com" }
            type: "endpoint"
        }
        {
            conditions: [
                { fn: "isSet", argv: [{ ref: "Tenant" }] }
                { fn: "booleanEquals", argv: [{ ref: "Fast" }, true] }
            ]
            endpoint: { url: "https://{Tenant}.fast.example.com" }
            type: "endpoint"
        }
        {
            conditions: [{ fn: "isSet", argv: [{ ref: "Tenant" }] }]
            endpoint: { url: "https://{Tenant}.example.com" }
            type: "endpoint"
        }
        { conditions: [], error: "no tenant", type: "error" }
    ]
})
service Params {
    version: "2026-12-01"
    operations: [Tag, Quick]
}

/// Tags things; its endpoint comes from paths through the input.
@http(method: "POST", uri: "/tag")
@operationContextParams(
    Keys: { path: "keys(Tags)" }
    Names: { path: "Items[*].Name" }
    Tenant: { path: "Owner.Tenant" }
    Fast: { path: "Owner.Fast" }
)
operation Tag {
    input := {
        Tags: TagMap
        Items: ItemList
        Owner: Owner
    }
}

/// Always takes the fast lane.
@http(method: "POST", uri: "/quick")
@staticContextParams(Fast: { value: true })
operation Quick {
    input := {
        @contextParam(name: "Tenant")
        @required
        tenant: String
    }
}

map TagMap {
    key: String
    value: String
}

list ItemList {
    member: Item
}

structure Item {
    Name: String
}

structure Owner {
    @required
    Tenant: String

    Fast: Boolean
}
