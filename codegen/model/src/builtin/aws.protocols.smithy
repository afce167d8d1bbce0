// aws.protocols traits, as bundled by tinsmith. Definitions only.
$version: "2.0"

namespace aws.protocols

@mixin(localTraits: [private])
@private
structure HttpConfiguration {
    http: StringList
    eventStreamHttp: StringList
}

@trait(selector: "service")
@protocolDefinition(traits: [timestampFormat, cors, endpoint, hostLabel, http, httpError, httpHeader, httpLabel, httpPayload, httpPrefixHeaders, httpQuery, httpQueryParams, httpResponseCode, httpChecksumRequired, jsonName])
structure restJson1 with [HttpConfiguration] {}

@trait(selector: "service")
@protocolDefinition(traits: [timestampFormat, cors, endpoint, hostLabel])
structure awsJson1_0 with [HttpConfiguration] {}

@trait(selector: "service")
@protocolDefinition(traits: [timestampFormat, cors, endpoint, hostLabel])
structure awsJson1_1 with [HttpConfiguration] {}

@trait(selector: "service")
@protocolDefinition(noInlineDocumentSupport: true, traits: [timestampFormat, cors, endpoint, hostLabel, http, httpError, httpHeader, httpLabel, httpPayload, httpPrefixHeaders, httpQuery, httpQueryParams, httpResponseCode, httpChecksumRequired, xmlAttribute, xmlFlattened, xmlName, xmlNamespace])
structure restXml with [HttpConfiguration] {
    noErrorWrapping: Boolean
}

@trait(selector: "service [trait|xmlNamespace]")
@protocolDefinition(noInlineDocumentSupport: true, traits: [timestampFormat, cors, endpoint, hostLabel, xmlAttribute, xmlFlattened, xmlName, xmlNamespace])
structure awsQuery {}

@trait(selector: "service [trait|xmlNamespace]")
@protocolDefinition(noInlineDocumentSupport: true, traits: [timestampFormat, cors, endpoint, hostLabel, xmlAttribute, xmlFlattened, xmlName, xmlNamespace, ec2QueryName])
structure ec2Query {}

@trait(selector: "structure [trait|error]")
structure awsQueryError {
    @required
    code: String
    @required
    httpResponseCode: Integer
}

@trait(selector: "service :test(-[trait|aws.protocols#awsJson1_0]-, -[trait|smithy.protocols#rpcv2Cbor]-)")
structure awsQueryCompatible {}

@trait(selector: "structure > member")
@pattern("^[a-zA-Z_][a-zA-Z_0-9-]*$")
string ec2QueryName

@trait(selector: "operation")
@unstable
structure httpChecksum {
    requestAlgorithmMember: String
    requestChecksumRequired: Boolean
    requestValidationModeMember: String
    responseAlgorithms: ChecksumAlgorithmSet
}

@private
list StringList {
    member: String
}

@private
@uniqueItems
list ChecksumAlgorithmSet {
    member: ChecksumAlgorithm
}

@private
enum ChecksumAlgorithm {
    CRC64NVME
    CRC32C
    CRC32
    SHA1
    SHA256
}
