// smithy.protocols traits, as bundled by tinsmith. Definitions only.
$version: "2.0"

namespace smithy.protocols

@trait(selector: "service")
@protocolDefinition(traits: [cors, endpoint, hostLabel, httpError, requestCompression])
structure rpcv2Cbor {
    http: StringList
    eventStreamHttp: StringList
}

@trait(selector: "service")
@protocolDefinition(traits: [cors, endpoint, hostLabel, httpError, requestCompression])
structure rpcv2Json {
    http: StringList
    eventStreamHttp: StringList
}

@private
list StringList {
    member: String
}
