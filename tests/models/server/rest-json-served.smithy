$version: "2"

// The operations of Smithy's restJson1 protocol tests
// (aws.protocoltests.restjson#RestJson, loaded from ../shared/smithy) that
// a generated server serves, in a service of their own, so the suite's
// server cases run (`tests/build.rs`). Left out, as generated servers do
// not stream yet: StreamingTraits, StreamingTraitsRequireLength,
// StreamingTraitsWithMediaType and the seven event-stream operations.

namespace tinsmith.tests.restjson

use aws.protocols#restJson1

@restJson1
service RestJsonServed {
    version: "2019-12-16"
    rename: { "aws.protocoltests.restjson.nested#GreetingStruct": "RenamedGreeting" }
    operations: [
        aws.protocoltests.restjson#NoInputAndNoOutput
        aws.protocoltests.restjson#NoInputAndOutput
        aws.protocoltests.restjson#EmptyInputAndEmptyOutput
        aws.protocoltests.restjson#UnitInputAndOutput
        aws.protocoltests.restjson#InputAndOutputWithHeaders
        aws.protocoltests.restjson#NullAndEmptyHeadersClient
        aws.protocoltests.restjson#NullAndEmptyHeadersServer
        aws.protocoltests.restjson#TimestampFormatHeaders
        aws.protocoltests.restjson#MediaTypeHeader
        aws.protocoltests.restjson#HttpRequestWithLabels
        aws.protocoltests.restjson#HttpRequestWithLabelsAndTimestampFormat
        aws.protocoltests.restjson#HttpRequestWithGreedyLabelInPath
        aws.protocoltests.restjson#HttpRequestWithFloatLabels
        aws.protocoltests.restjson#HttpRequestWithRegexLiteral
        aws.protocoltests.restjson#AllQueryStringTypes
        aws.protocoltests.restjson#ConstantQueryString
        aws.protocoltests.restjson#ConstantAndVariableQueryString
        aws.protocoltests.restjson#IgnoreQueryParamsInResponse
        aws.protocoltests.restjson#OmitsNullSerializesEmptyString
        aws.protocoltests.restjson#OmitsSerializingEmptyLists
        aws.protocoltests.restjson#QueryIdempotencyTokenAutoFill
        aws.protocoltests.restjson#QueryPrecedence
        aws.protocoltests.restjson#HttpQueryParamsOnlyOperation
        aws.protocoltests.restjson#QueryParamsAsStringListMap
        aws.protocoltests.restjson#HttpPrefixHeaders
        aws.protocoltests.restjson#HttpPrefixHeadersInResponse
        aws.protocoltests.restjson#HttpEmptyPrefixHeaders
        aws.protocoltests.restjson#HttpPayloadTraits
        aws.protocoltests.restjson#HttpPayloadTraitsWithMediaType
        aws.protocoltests.restjson#HttpPayloadWithStructure
        aws.protocoltests.restjson#HttpEnumPayload
        aws.protocoltests.restjson#HttpStringPayload
        aws.protocoltests.restjson#HttpPayloadWithUnion
        aws.protocoltests.restjson#HttpResponseCode
        aws.protocoltests.restjson#ResponseCodeRequired
        aws.protocoltests.restjson#ResponseCodeHttpFallback
        aws.protocoltests.restjson#GreetingWithErrors
        aws.protocoltests.restjson#SimpleScalarProperties
        aws.protocoltests.restjson#JsonTimestamps
        aws.protocoltests.restjson#JsonEnums
        aws.protocoltests.restjson#JsonIntEnums
        aws.protocoltests.restjson#RecursiveShapes
        aws.protocoltests.restjson#JsonLists
        aws.protocoltests.restjson#SparseJsonLists
        aws.protocoltests.restjson#JsonMaps
        aws.protocoltests.restjson#SparseJsonMaps
        aws.protocoltests.restjson#JsonBlobs
        aws.protocoltests.restjson#DocumentType
        aws.protocoltests.restjson#DocumentTypeAsPayload
        aws.protocoltests.restjson#DocumentTypeAsMapValue
        aws.protocoltests.restjson#JsonUnions
        aws.protocoltests.restjson#PostPlayerAction
        aws.protocoltests.restjson#PostUnionWithJsonName
        aws.protocoltests.restjson#EndpointOperation
        aws.protocoltests.restjson#EndpointWithHostLabelOperation
        aws.protocoltests.restjson#HostWithPathOperation
        aws.protocoltests.restjson#HttpChecksumRequired
        aws.protocoltests.restjson#MalformedRequestBody
        aws.protocoltests.restjson#MalformedInteger
        aws.protocoltests.restjson#MalformedUnion
        aws.protocoltests.restjson#MalformedBoolean
        aws.protocoltests.restjson#MalformedList
        aws.protocoltests.restjson#MalformedMap
        aws.protocoltests.restjson#MalformedBlob
        aws.protocoltests.restjson#MalformedByte
        aws.protocoltests.restjson#MalformedShort
        aws.protocoltests.restjson#MalformedLong
        aws.protocoltests.restjson#MalformedFloat
        aws.protocoltests.restjson#MalformedDouble
        aws.protocoltests.restjson#MalformedString
        aws.protocoltests.restjson#MalformedTimestampPathDefault
        aws.protocoltests.restjson#MalformedTimestampPathHttpDate
        aws.protocoltests.restjson#MalformedTimestampPathEpoch
        aws.protocoltests.restjson#MalformedTimestampQueryDefault
        aws.protocoltests.restjson#MalformedTimestampQueryHttpDate
        aws.protocoltests.restjson#MalformedTimestampQueryEpoch
        aws.protocoltests.restjson#MalformedTimestampHeaderDefault
        aws.protocoltests.restjson#MalformedTimestampHeaderDateTime
        aws.protocoltests.restjson#MalformedTimestampHeaderEpoch
        aws.protocoltests.restjson#MalformedTimestampBodyDefault
        aws.protocoltests.restjson#MalformedTimestampBodyDateTime
        aws.protocoltests.restjson#MalformedTimestampBodyHttpDate
        aws.protocoltests.restjson#MalformedContentTypeWithoutBody
        aws.protocoltests.restjson#MalformedContentTypeWithoutBodyEmptyInput
        aws.protocoltests.restjson#MalformedContentTypeWithBody
        aws.protocoltests.restjson#MalformedContentTypeWithPayload
        aws.protocoltests.restjson#MalformedContentTypeWithGenericString
        aws.protocoltests.restjson#MalformedAcceptWithBody
        aws.protocoltests.restjson#MalformedAcceptWithPayload
        aws.protocoltests.restjson#MalformedAcceptWithGenericString
        aws.protocoltests.restjson#TestBodyStructure
        aws.protocoltests.restjson#TestPayloadStructure
        aws.protocoltests.restjson#TestPayloadBlob
        aws.protocoltests.restjson#TestGetNoPayload
        aws.protocoltests.restjson#TestPostNoPayload
        aws.protocoltests.restjson#TestGetNoInputNoPayload
        aws.protocoltests.restjson#TestPostNoInputNoPayload
        aws.protocoltests.restjson#DatetimeOffsets
        aws.protocoltests.restjson#FractionalSeconds
        aws.protocoltests.restjson#PutWithContentEncoding
        aws.protocoltests.restjson#ContentTypeParameters
        aws.protocoltests.restjson#OperationWithDefaults
        aws.protocoltests.restjson#OperationWithNestedStructure
    ]
}
