// smithy.test traits (protocol compliance tests), as bundled by tinsmith.
// Definitions only.
$version: "2.0"

namespace smithy.test

@trait(selector: "operation")
list httpRequestTests {
    member: HttpRequestTestCase
}

@trait(selector: ":test(operation, structure[trait|error])")
list httpResponseTests {
    member: HttpResponseTestCase
}

@private
@mixin
structure TestCaseMixin {
    @required
    id: String
    @required
    @idRef(selector: "[trait|protocolDefinition]", failWhenMissing: true)
    protocol: String
    @idRef(selector: "[trait|authDefinition]", failWhenMissing: true)
    authScheme: String
    params: Document
    vendorParams: Document
    @idRef(selector: "[trait|trait]", failWhenMissing: true)
    vendorParamsShape: String
    documentation: String
    tags: NonEmptyStringList
    appliesTo: AppliesTo
}

@private
@mixin
structure HttpMessageMixin {
    headers: StringMap
    forbidHeaders: StringList
    requireHeaders: StringList
    body: String
    bodyMediaType: String
}

@private
@mixin
structure HttpRequestMixin with [HttpMessageMixin] {
    @required
    method: String
    @required
    uri: String
    host: String
    resolvedHost: String
    queryParams: StringList
    forbidQueryParams: StringList
    requireQueryParams: StringList
}

@private
@mixin
structure HttpResponseMixin with [HttpMessageMixin] {
    @required
    code: Integer
}

@private
structure HttpRequestTestCase with [TestCaseMixin, HttpRequestMixin] {}

@private
structure HttpResponseTestCase with [TestCaseMixin, HttpResponseMixin] {}

@private
enum AppliesTo {
    CLIENT = "client"
    SERVER = "server"
}

@trait(selector: "operation")
list httpMalformedRequestTests {
    member: HttpMalformedRequestTestCase
}

@private
structure HttpMalformedRequestTestCase {
    @required
    id: String
    @required
    @idRef(selector: "[trait|protocolDefinition]", failWhenMissing: true)
    protocol: String
    @required
    request: HttpMalformedRequestDefinition
    @required
    response: HttpMalformedResponseDefinition
    documentation: String
    tags: NonEmptyStringList
    testParameters: HttpMalformedRequestTestParametersDefinition
}

@private
structure HttpMalformedRequestDefinition {
    @required
    method: String
    @required
    uri: String
    host: String
    queryParams: StringList
    headers: StringMap
    body: String
    bodyMediaType: String
}

@private
structure HttpMalformedResponseDefinition {
    headers: StringMap
    @required
    code: Integer
    body: HttpMalformedResponseBodyDefinition
}

@private
structure HttpMalformedResponseBodyDefinition {
    @required
    assertion: HttpMalformedResponseBodyAssertion
    @required
    mediaType: String
}

@private
union HttpMalformedResponseBodyAssertion {
    contents: String
    messageRegex: String
}

@private
map HttpMalformedRequestTestParametersDefinition {
    key: String
    value: StringList
}

@trait(selector: "operation")
list eventStreamTests {
    member: EventStreamTestCase
}

@private
structure EventStreamTestCase {
    @required
    id: String
    @required
    @idRef(selector: "[trait|protocolDefinition]", failWhenMissing: true)
    protocol: String
    initialRequestParams: Document
    initialRequest: Document
    @idRef(selector: "[trait|trait]", failWhenMissing: true)
    initialRequestShape: String
    initialResponseParams: Document
    initialResponse: Document
    @idRef(selector: "[trait|trait]", failWhenMissing: true)
    initialResponseShape: String
    events: Events
    expectation: TestExpectation
    vendorParams: Document
    @idRef(selector: "[trait|trait]", failWhenMissing: true)
    vendorParamsShape: String
    documentation: String
    appliesTo: AppliesTo
}

@trait(selector: "structure")
structure InitialHttpRequest with [HttpRequestMixin] {}

@trait(selector: "structure")
structure InitialHttpResponse with [HttpResponseMixin] {}

@private
list Events {
    member: Event
}

@private
structure Event {
    @required
    type: EventType
    params: Document
    headers: EventHeaders
    forbidHeaders: StringList
    requireHeaders: StringList
    body: Blob
    bodyMediaType: String
    bytes: Blob
    vendorParams: Document
    @idRef(selector: "[trait|trait]", failWhenMissing: true)
    vendorParamsShape: String
}

@private
enum EventType {
    REQUEST = "request"
    RESPONSE = "response"
}

@private
map EventHeaders {
    key: String
    value: EventHeaderValue
}

@private
union EventHeaderValue {
    boolean: Boolean
    byte: Byte
    short: Short
    integer: Integer
    long: Long
    blob: Blob
    string: String
    timestamp: Timestamp
}

@private
union TestExpectation {
    success: Unit
    failure: TestFailureExpectation
}

@private
structure TestFailureExpectation {
    @idRef(selector: "structure[trait|error]", failWhenMissing: true)
    errorId: String
}

@private
map StringMap {
    key: String
    value: String
}

@private
list StringList {
    member: String
}

@private
list NonEmptyStringList {
    member: NonEmptyString
}

@private
@length(min: 1)
string NonEmptyString
