// aws.api traits, as bundled by tinsmith. Definitions only.
$version: "2.0"

namespace aws.api

@trait(selector: "resource")
structure arn {
    @required
    template: String
    absolute: Boolean
    noRegion: Boolean
    noAccount: Boolean
    resourceDelimiter: ResourceDelimiter
    reusable: Boolean
}

@private
enum ResourceDelimiter {
    FORWARD_SLASH = "/"
    COLON = ":"
}

@trait(selector: "string")
structure arnReference {
    type: String
    // Shape ids, but the targets need not be in the model (aws-core.rst,
    // "aws.api#arnReference trait"): no @idRef.
    resource: String
    service: String
}

@trait(selector: "blob[trait|streaming]")
structure awsChunked {}

@trait(selector: "operation")
structure clientDiscoveredEndpoint {
    @required
    required: Boolean
}

@trait(selector: "service")
structure clientEndpointDiscovery {
    @required
    @idRef(failWhenMissing: true, selector: "operation")
    operation: String
    @idRef(failWhenMissing: true, selector: "structure[trait|error]")
    error: String
}

@trait(selector: "operation -[input]-> structure > :test(member[trait|required] > string)")
structure clientEndpointDiscoveryId {}

@trait(selector: ":test(service, resource, operation)", conflicts: ["aws.api#dataPlane"])
structure controlPlane {}

@trait(selector: ":test(service, resource, operation)", conflicts: ["aws.api#controlPlane"])
structure dataPlane {}

@trait(selector: ":test(simpleType, list, structure, union, member)")
enum data {
    CUSTOMER_CONTENT = "content"
    CUSTOMER_ACCOUNT_INFORMATION = "account"
    SERVICE_ATTRIBUTES = "usage"
    TAG_DATA = "tagging"
    PERMISSIONS_DATA = "permissions"
}

@trait(selector: "service")
structure service {
    @required
    sdkId: String
    arnNamespace: ArnNamespace
    cloudFormationName: CloudFormationName
    cloudTrailEventSource: String
    docId: String
    endpointPrefix: String
    cloudWatchNamespace: CloudWatchMetricNamespace
}

@private
@pattern("^[a-z0-9.\\-]{1,63}$")
string ArnNamespace

@private
@pattern("^[A-Z][A-Za-z0-9]+$")
string CloudFormationName

@private
@pattern("^[A-Za-z0-9./#:\\-]+$")
string CloudWatchMetricNamespace

@trait(selector: "service")
structure tagEnabled {
    disableDefaultOperations: Boolean
    apiConfig: TaggableServiceApiConfig
}

@private
structure TaggableServiceApiConfig {
    tagApi: OperationReference
    untagApi: OperationReference
    listTagsApi: OperationReference
}

@trait(selector: "resource")
structure taggable {
    property: String
    apiConfig: TaggableApiConfig
    disableSystemTags: Boolean
}

@private
structure TaggableApiConfig {
    @required
    tagApi: OperationReference
    @required
    untagApi: OperationReference
    @required
    listTagsApi: OperationReference
}

@private
@idRef(failWhenMissing: true, selector: "operation")
string OperationReference
