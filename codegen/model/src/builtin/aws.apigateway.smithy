// aws.apigateway traits, as bundled by tinsmith. Definitions only.
$version: "2.0"

namespace aws.apigateway

use aws.api#arnReference

@internal
@tags(["internal"])
@trait(selector: "service")
string apiKeySource

@internal
@tags(["internal"])
@trait(selector: "operation")
structure apiKeyRequired {}

@internal
@tags(["internal"])
@trait(selector: ":test(service, resource, operation)")
string authorizer

@internal
@tags(["internal"])
@trait(selector: "service")
map authorizers {
    key: String
    value: AuthorizerDefinition
}

@internal
@tags(["internal"])
@trait(selector: ":test(service, resource, operation)", conflicts: ["aws.apigateway#mockIntegration"])
structure integration {
    @required
    type: IntegrationType
    @required
    uri: Arn
    credentials: IamRoleArn
    @required
    httpMethod: String
    passThroughBehavior: PassThroughBehavior
    contentHandling: ContentHandling
    timeoutInMillis: Integer
    connectionId: String
    connectionType: ConnectionType = "INTERNET"
    cacheNamespace: String
    payloadFormatVersion: String
    cacheKeyParameters: StringList
    requestParameters: RequestParameters
    requestTemplates: Templates
    responses: IntegrationResponses
    tlsConfig: TlsConfig
    responseTransferMode: String
    integrationTarget: String
}

@internal
@tags(["internal"])
@trait(selector: ":test(service, resource, operation)", conflicts: ["aws.apigateway#integration"])
structure mockIntegration {
    passThroughBehavior: PassThroughBehavior
    requestParameters: RequestParameters
    requestTemplates: Templates
    responses: IntegrationResponses
}

// One of "full", "params-only", "body-only" (a plain string in the definition).
@internal
@tags(["internal"])
@trait(selector: ":test(service, operation)")
string requestValidator

@internal
@tags(["internal"])
@trait(selector: "service")
map gatewayResponses {
    key: String
    value: GatewayResponse
}

@internal
@tags(["internal"])
@trait(selector: "service")
structure endpointConfiguration {
    @required
    types: EndpointTypes
    vpcEndpointIds: VpcEndpointIds
    disableExecuteApiEndpoint: Boolean
    ipAddressType: IpAddressType
}

@internal
@tags(["internal"])
@trait(selector: "service")
@range(min: 0, max: 10485760)
integer minimumCompressionSize

@internal
@tags(["internal"])
@trait(selector: "service")
document resourcePolicy

@internal
@tags(["internal"])
@trait(selector: "service")
structure apiTlsPolicy {
    @required
    securityPolicy: String
    endpointAccessMode: EndpointAccessMode
}

@private
structure AuthorizerDefinition {
    @idRef(
        selector: "[trait|authDefinition]"
        failWhenMissing: true
        errorMessage: "an authorizer's scheme must name an auth trait"
    )
    @required
    scheme: String
    type: String
    customAuthType: String
    uri: String
    credentials: String
    identitySource: String
    identityValidationExpression: String
    resultTtlInSeconds: Integer
    authorizerPayloadFormatVersion: PayloadFormatVersion
    enableSimpleResponses: Boolean
}

@private
structure IntegrationResponse {
    statusCode: String
    contentHandling: ContentHandling
    responseTemplates: Templates
    responseParameters: ResponseParameters
}

@private
structure TlsConfig {
    insecureSkipVerification: Boolean
}

@private
list StringList {
    member: String
}

@private
map IntegrationResponses {
    key: String
    value: IntegrationResponse
}

@private
map RequestParameters {
    key: String
    value: String
}

@private
map ResponseParameters {
    key: String
    value: String
}

@private
map Templates {
    key: String
    value: String
}

// May contain the literals `{serviceName}` and `{operationName}`.
@arnReference
@private
string Arn

@private
enum ConnectionType {
    INTERNET
    VPC_LINK
}

@private
enum ContentHandling {
    CONVERT_TO_TEXT
    CONVERT_TO_BINARY
}

@arnReference(type: "AWS::IAM::Role")
@private
string IamRoleArn

@private
enum IntegrationType {
    AWS = "aws"
    AWS_PROXY = "aws_proxy"
    HTTP = "http"
    HTTP_PROXY = "http_proxy"
}

@private
enum PassThroughBehavior {
    WHEN_NO_TEMPLATES = "when_no_templates"
    WHEN_NO_MATCH = "when_no_match"
    NEVER = "never"
}

@private
enum PayloadFormatVersion {
    V1_0 = "1.0"
    V2_0 = "2.0"
}

@private
structure GatewayResponse {
    statusCode: String
    responseParameters: GatewayResponseParameterMap
    responseTemplates: GatewayResponseTemplateMap
}

@private
map GatewayResponseParameterMap {
    key: String
    value: String
}

@private
map GatewayResponseTemplateMap {
    key: String
    value: String
}

@private
enum EndpointType {
    EDGE
    REGIONAL
    PRIVATE
}

@private
list EndpointTypes {
    member: EndpointType
}

@private
list VpcEndpointIds {
    member: String
}

@private
enum EndpointAccessMode {
    BASIC
    STRICT
}

@private
enum IpAddressType {
    IPV4 = "ipv4"
    DUAL_STACK = "dualstack"
}
