// aws.auth traits, as bundled by tinsmith. Definitions only.
$version: "2.0"

namespace aws.auth

@trait(selector: "service")
@smithy.api#authDefinition
structure cognitoUserPools {
    @required
    providerArns: StringList
}

@trait(selector: "service[trait|aws.auth#cognitoUserPools] ~> operation")
list cognitoUserPoolsScopes {
    member: String
}

@trait(selector: "service")
@smithy.api#authDefinition(traits: [unsignedPayload])
structure sigv4 {
    @required
    @length(min: 1)
    name: String
}

@trait(selector: "service[trait|aws.auth#sigv4]")
@smithy.api#authDefinition(traits: [unsignedPayload])
structure sigv4a {
    @required
    @length(min: 1)
    name: String
}

@trait(selector: "operation")
structure unsignedPayload {}

@private
list StringList {
    member: String
}
