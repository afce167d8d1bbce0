//! The ids of the traits tools look up, in one place.
//!
//! Trait maps ([`crate::model::Traits`]) are keyed by [`crate::model::ShapeId`],
//! which borrows as `&str`, so a lookup is a map lookup:
//! `shape.traits.get(traits::REQUIRED)` or `member.has_trait(traits::REQUIRED)`.
//! Code that reads traits names them through these constants, never by a
//! string literal of its own, so a misspelt id is a compile error and every
//! reader of a trait can be found by its constant.
//!
//! Grouped as the Smithy specification groups them; the section of the spec
//! that defines each group is named above it.

// Type refinement traits (spec: "Type refinement traits").
/// `@default`: the member's (or shape's) default value.
pub const DEFAULT: &str = "smithy.api#default";
/// `@addedDefault`: the default was added after the member was published.
pub const ADDED_DEFAULT: &str = "smithy.api#addedDefault";
/// `@required`: the member must be set.
pub const REQUIRED: &str = "smithy.api#required";
/// `@clientOptional`: clients treat the member as optional whatever else it has.
pub const CLIENT_OPTIONAL: &str = "smithy.api#clientOptional";
/// `@enumValue`: the wire value of an enum or intEnum member.
pub const ENUM_VALUE: &str = "smithy.api#enumValue";
/// `@error`: the structure is an error (`"client"` or `"server"`).
pub const ERROR: &str = "smithy.api#error";
/// `@input`: the structure is an operation's input.
pub const INPUT: &str = "smithy.api#input";
/// `@output`: the structure is an operation's output.
pub const OUTPUT: &str = "smithy.api#output";
/// `@sparse`: a list or map whose values may be null.
pub const SPARSE: &str = "smithy.api#sparse";
/// `@mixin`: the shape is a mixin.
pub const MIXIN: &str = "smithy.api#mixin";
/// `@box` (IDL 1.0): the shape or member may be null.
pub const BOX: &str = "smithy.api#box";

// Constraint traits (spec: "Constraint traits").
/// `@enum` (IDL 1.0): a string shape's closed set of values.
pub const ENUM: &str = "smithy.api#enum";
/// `@idRef`: the string is a shape id.
pub const ID_REF: &str = "smithy.api#idRef";
/// `@length`: bounds on a length or size.
pub const LENGTH: &str = "smithy.api#length";
/// `@pattern`: a regular expression a string matches.
pub const PATTERN: &str = "smithy.api#pattern";
/// `@range`: bounds on a number.
pub const RANGE: &str = "smithy.api#range";
/// `@uniqueItems`: a list's items are distinct.
pub const UNIQUE_ITEMS: &str = "smithy.api#uniqueItems";

// Documentation traits (spec: "Documentation traits").
/// `@documentation`: CommonMark documentation.
pub const DOCUMENTATION: &str = "smithy.api#documentation";
/// `@deprecated`: the shape or member should no longer be used.
pub const DEPRECATED: &str = "smithy.api#deprecated";
/// `@sensitive`: values must not be logged or printed.
pub const SENSITIVE: &str = "smithy.api#sensitive";
/// `@internal`: the shape or member is not for the service's users.
pub const INTERNAL: &str = "smithy.api#internal";
/// `@tags`: tags (`"internal"` marks what users do not see).
pub const TAGS: &str = "smithy.api#tags";
/// `@title`: a service's display name.
pub const TITLE: &str = "smithy.api#title";
/// `@externalDocumentation`: links to more documentation.
pub const EXTERNAL_DOCUMENTATION: &str = "smithy.api#externalDocumentation";

// Trait definitions (spec: "Defining traits").
/// `@trait`: the shape defines a trait.
pub const TRAIT: &str = "smithy.api#trait";
/// `@protocolDefinition`: the trait selects a protocol.
pub const PROTOCOL_DEFINITION: &str = "smithy.api#protocolDefinition";
/// `@authDefinition`: the trait selects an auth scheme.
pub const AUTH_DEFINITION: &str = "smithy.api#authDefinition";

// Behavior traits (spec: "Behavior traits").
/// `@idempotencyToken`: the member is filled with a fresh token when unset.
pub const IDEMPOTENCY_TOKEN: &str = "smithy.api#idempotencyToken";
/// `@idempotent`: the operation is safe to repeat.
pub const IDEMPOTENT: &str = "smithy.api#idempotent";
/// `@readonly`: the operation changes nothing.
pub const READONLY: &str = "smithy.api#readonly";
/// `@retryable`: the error may be retried (optionally as throttling).
pub const RETRYABLE: &str = "smithy.api#retryable";
/// `@paginated`: the operation returns results in pages.
pub const PAGINATED: &str = "smithy.api#paginated";
/// `@requestCompression`: the request body may be compressed.
pub const REQUEST_COMPRESSION: &str = "smithy.api#requestCompression";

// Endpoint traits (spec: "Endpoint traits").
/// `@endpoint`: a host prefix for the operation.
pub const ENDPOINT: &str = "smithy.api#endpoint";
/// `@hostLabel`: the member fills a label of the host prefix.
pub const HOST_LABEL: &str = "smithy.api#hostLabel";

// Authentication traits (spec: "Authentication traits").
/// `@auth`: the auth schemes a service or operation accepts, in order.
pub const AUTH: &str = "smithy.api#auth";
/// `@optionalAuth`: the operation may be sent without credentials.
pub const OPTIONAL_AUTH: &str = "smithy.api#optionalAuth";
/// `@httpBearerAuth`: HTTP bearer tokens.
pub const HTTP_BEARER_AUTH: &str = "smithy.api#httpBearerAuth";
/// `@httpBasicAuth`: HTTP basic authentication.
pub const HTTP_BASIC_AUTH: &str = "smithy.api#httpBasicAuth";
/// `@httpDigestAuth`: HTTP digest authentication.
pub const HTTP_DIGEST_AUTH: &str = "smithy.api#httpDigestAuth";
/// `@httpApiKeyAuth`: an API key in a header or query parameter.
pub const HTTP_API_KEY_AUTH: &str = "smithy.api#httpApiKeyAuth";
/// `aws.auth#sigv4`: AWS Signature Version 4, with its signing name.
pub const SIGV4: &str = "aws.auth#sigv4";
/// `aws.auth#unsignedPayload`: the operation's body is not signed.
pub const UNSIGNED_PAYLOAD: &str = "aws.auth#unsignedPayload";

// Endpoint rules (spec: "Rules engine").
/// `smithy.rules#endpointRuleSet`: the rules that pick a call's endpoint.
pub const ENDPOINT_RULE_SET: &str = "smithy.rules#endpointRuleSet";
/// `smithy.rules#endpointTests`: cases of the rule set.
pub const ENDPOINT_TESTS: &str = "smithy.rules#endpointTests";
/// `smithy.rules#clientContextParams`: rule parameters the client's
/// configuration sets.
pub const CLIENT_CONTEXT_PARAMS: &str = "smithy.rules#clientContextParams";
/// `smithy.rules#staticContextParams`: fixed rule parameters of an
/// operation.
pub const STATIC_CONTEXT_PARAMS: &str = "smithy.rules#staticContextParams";
/// `smithy.rules#contextParam`: an input member that sets a rule parameter.
pub const CONTEXT_PARAM: &str = "smithy.rules#contextParam";
/// `smithy.rules#operationContextParams`: rule parameters taken from the
/// input by a path.
pub const OPERATION_CONTEXT_PARAMS: &str = "smithy.rules#operationContextParams";

// Protocol traits (spec: "Protocol traits").
/// `@jsonName`: the member's key in JSON documents.
pub const JSON_NAME: &str = "smithy.api#jsonName";
/// `@xmlName`.
pub const XML_NAME: &str = "smithy.api#xmlName";
/// `@xmlAttribute`.
pub const XML_ATTRIBUTE: &str = "smithy.api#xmlAttribute";
/// `@xmlFlattened`.
pub const XML_FLATTENED: &str = "smithy.api#xmlFlattened";
/// `@xmlNamespace`.
pub const XML_NAMESPACE: &str = "smithy.api#xmlNamespace";
/// `@mediaType`: the media type of a string or blob.
pub const MEDIA_TYPE: &str = "smithy.api#mediaType";
/// `@timestampFormat`: the wire format of a timestamp.
pub const TIMESTAMP_FORMAT: &str = "smithy.api#timestampFormat";

// Streaming traits (spec: "Streaming").
/// `@streaming`: a blob or union that streams.
pub const STREAMING: &str = "smithy.api#streaming";
/// `@requiresLength`: a streaming blob whose length must be known.
pub const REQUIRES_LENGTH: &str = "smithy.api#requiresLength";
/// `@eventHeader`: an event member bound to a message header.
pub const EVENT_HEADER: &str = "smithy.api#eventHeader";
/// `@eventPayload`: an event member bound to the message payload.
pub const EVENT_PAYLOAD: &str = "smithy.api#eventPayload";

// HTTP binding traits (spec: "HTTP protocol bindings").
/// `@http`: an operation's method, URI pattern and success code.
pub const HTTP: &str = "smithy.api#http";
/// `@httpError`: an error's HTTP status code.
pub const HTTP_ERROR: &str = "smithy.api#httpError";
/// `@httpHeader`: the member is an HTTP header.
pub const HTTP_HEADER: &str = "smithy.api#httpHeader";
/// `@httpLabel`: the member fills a label of the URI pattern.
pub const HTTP_LABEL: &str = "smithy.api#httpLabel";
/// `@httpPayload`: the member is the whole body.
pub const HTTP_PAYLOAD: &str = "smithy.api#httpPayload";
/// `@httpPrefixHeaders`: a map of headers sharing a prefix.
pub const HTTP_PREFIX_HEADERS: &str = "smithy.api#httpPrefixHeaders";
/// `@httpQuery`: the member is a query parameter.
pub const HTTP_QUERY: &str = "smithy.api#httpQuery";
/// `@httpQueryParams`: a map of further query parameters.
pub const HTTP_QUERY_PARAMS: &str = "smithy.api#httpQueryParams";
/// `@httpResponseCode`: the member is the response's status code.
pub const HTTP_RESPONSE_CODE: &str = "smithy.api#httpResponseCode";
/// `@httpChecksumRequired`: the request carries a `Content-MD5` checksum.
pub const HTTP_CHECKSUM_REQUIRED: &str = "smithy.api#httpChecksumRequired";
/// `@cors`: the service's CORS configuration.
pub const CORS: &str = "smithy.api#cors";

// Protocol compliance tests (`smithy.test`).
/// `@httpRequestTests`: request cases of an operation.
pub const HTTP_REQUEST_TESTS: &str = "smithy.test#httpRequestTests";
/// `@httpResponseTests`: response cases of an operation or error.
pub const HTTP_RESPONSE_TESTS: &str = "smithy.test#httpResponseTests";
/// `@httpMalformedRequestTests`: cases a server must reject.
pub const HTTP_MALFORMED_REQUEST_TESTS: &str = "smithy.test#httpMalformedRequestTests";
/// `@eventStreamTests`: event-stream cases of an operation.
pub const EVENT_STREAM_TESTS: &str = "smithy.test#eventStreamTests";

// Protocols.
/// `aws.protocols#restJson1`.
pub const REST_JSON_1: &str = "aws.protocols#restJson1";
/// `aws.protocols#awsJson1_0`.
pub const AWS_JSON_1_0: &str = "aws.protocols#awsJson1_0";
/// `aws.protocols#awsJson1_1`.
pub const AWS_JSON_1_1: &str = "aws.protocols#awsJson1_1";
/// `smithy.protocols#rpcv2Cbor`.
pub const RPC_V2_CBOR: &str = "smithy.protocols#rpcv2Cbor";
/// `smithy.protocols#rpcv2Json`.
pub const RPC_V2_JSON: &str = "smithy.protocols#rpcv2Json";
/// `aws.protocols#restXml`.
pub const REST_XML: &str = "aws.protocols#restXml";
/// `aws.protocols#awsQuery`.
pub const AWS_QUERY: &str = "aws.protocols#awsQuery";
/// `aws.protocols#ec2Query`.
pub const EC2_QUERY: &str = "aws.protocols#ec2Query";
/// `aws.protocols#awsQueryError`: an awsQuery error's code and status.
pub const AWS_QUERY_ERROR: &str = "aws.protocols#awsQueryError";
/// `aws.protocols#ec2QueryName`: a member's ec2Query key.
pub const EC2_QUERY_NAME: &str = "aws.protocols#ec2QueryName";
/// `aws.protocols#awsQueryCompatible`: an awsJson service migrated from awsQuery.
pub const AWS_QUERY_COMPATIBLE: &str = "aws.protocols#awsQueryCompatible";

// AWS and tinsmith traits.
/// `aws.customizations#s3UnwrappedXmlOutput`: the output's one member is
/// the body's root element itself.
pub const S3_UNWRAPPED_XML_OUTPUT: &str = "aws.customizations#s3UnwrappedXmlOutput";
/// `aws.api#controlPlane`.
pub const AWS_CONTROL_PLANE: &str = "aws.api#controlPlane";
/// `aws.api#dataPlane`.
pub const AWS_DATA_PLANE: &str = "aws.api#dataPlane";
/// `tinsmith.protocols#jsonRpc2`: JSON-RPC 2.0 over HTTP, our own protocol.
pub const JSON_RPC_2: &str = "tinsmith.protocols#jsonRpc2";
/// `tinsmith.api#endOfStream`: every event stream ends with an end-of-stream marker.
pub const END_OF_STREAM: &str = "tinsmith.api#endOfStream";

/// Shapes of the prelude that tools refer to by id.
pub mod prelude {
    /// `smithy.api#Unit`: no value (an operation without input or output,
    /// a union member without data).
    pub const UNIT: &str = "smithy.api#Unit";
    /// `smithy.api#String`.
    pub const STRING: &str = "smithy.api#String";
}
