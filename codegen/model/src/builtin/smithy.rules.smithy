// smithy.rules traits, as bundled by tinsmith. Definitions only; rule sets
// and decision diagrams are kept as opaque documents.
$version: "2.0"

namespace smithy.rules

@trait(selector: "service")
document endpointRuleSet

@trait(selector: "service")
document endpointBdd

@trait(selector: "service")
structure endpointTests {
    @required
    version: String
    testCases: EndpointTestList
}

@private
list EndpointTestList {
    member: EndpointTest
}

@private
structure EndpointTest {
    documentation: String
    params: Document
    operationInputs: OperationInputs
    @required
    expect: Document
}

@private
list OperationInputs {
    member: OperationInput
}

@private
structure OperationInput {
    @required
    operationName: String
    operationParams: Document
    builtInParams: Document
    clientParams: Document
}

@trait(selector: "operation -[input]-> structure > member")
structure contextParam {
    @required
    name: String
}

@trait(selector: "operation")
map staticContextParams {
    key: String
    value: StaticContextParamDefinition
}

@private
structure StaticContextParamDefinition {
    @required
    value: Document
}

@trait(selector: "operation")
map operationContextParams {
    key: String
    value: OperationContextParamDefinition
}

@private
structure OperationContextParamDefinition {
    @required
    path: String
}

@trait(selector: "service")
map clientContextParams {
    key: String
    value: ClientContextParamDefinition
}

@private
structure ClientContextParamDefinition {
    @required
    type: ShapeType
    documentation: String
}

@private
enum ShapeType {
    STRING = "string"
    BOOLEAN = "boolean"
    STRING_ARRAY = "stringArray"
}
