// The smithy.api prelude, as bundled by tinsmith.
// Written from the Smithy 2.0 specification; definitions only.
$version: "2.0"

namespace smithy.api

string String
blob Blob
bigInteger BigInteger
bigDecimal BigDecimal
timestamp Timestamp
document Document
boolean Boolean
@default(false)
boolean PrimitiveBoolean
byte Byte
@default(0)
byte PrimitiveByte
short Short
@default(0)
short PrimitiveShort
integer Integer
@default(0)
integer PrimitiveInteger
long Long
@default(0)
long PrimitiveLong
float Float
@default(0)
float PrimitiveFloat
double Double
@default(0)
double PrimitiveDouble

@unitType
structure Unit {}

// ---------------------------------------------------------------- trait definition

@trait(selector: "structure")
structure trait {
    selector: String
    conflicts: NonEmptyStringList
    structurallyExclusive: StructurallyExclusive
    breakingChanges: TraitDiffRules
}

@private
enum StructurallyExclusive {
    MEMBER = "member"
    TARGET = "target"
}

@private
list TraitDiffRules {
    member: TraitDiffRule
}

@private
structure TraitDiffRule {
    path: String
    @required
    change: TraitChangeType
    severity: Severity = "ERROR"
    message: String
}

@private
enum TraitChangeType {
    UPDATE = "update"
    ADD = "add"
    REMOVE = "remove"
    PRESENCE = "presence"
    ANY = "any"
}

@private
enum Severity {
    NOTE
    WARNING
    DANGER
    ERROR
}

@trait(selector: "[trait|trait]")
map traitValidators {
    key: String
    value: TraitValidator
}

@private
structure TraitValidator {
    @required
    selector: String
    message: String
    severity: Severity = "ERROR"
}

@trait(selector: ":not(member)")
structure mixin {
    localTraits: LocalMixinTraitList
}

@private
list LocalMixinTraitList {
    member: LocalMixinTrait
}

@private
@idRef(failWhenMissing: true, selector: "[trait|trait]")
string LocalMixinTrait

@trait(selector: "[id=smithy.api#Unit]")
structure unitType {}

// ---------------------------------------------------------------- documentation

@trait
structure deprecated {
    message: String
    since: String
}

@trait
string documentation

@trait
map externalDocumentation {
    key: NonEmptyString
    value: NonEmptyString
}

@trait
structure internal {}

@trait(selector: "shape")
list tags {
    member: String
}

@trait(selector: ":is(service, resource, operation, structure, union, member)")
string title

@trait
string since

@trait
structure unstable {}

@trait(selector: "operation")
list examples {
    member: Example
}

@private
structure Example {
    @required
    title: String
    documentation: String
    input: Document
    output: Document
    error: ExampleError
    allowConstraintErrors: Boolean
}

@private
structure ExampleError {
    @idRef(selector: "structure > member")
    shapeId: String
    content: Document
}

@trait
structure private {}

@trait(selector: ":not(:test(service, operation, resource, member))")
structure sensitive {}

@trait
list suppress {
    member: String
}

@trait(selector: "dataType :not([trait|input]) :not([trait|output])")
structure recommended {
    reason: String
}

// ---------------------------------------------------------------- type refinement

@trait(selector: ":test(boolean, byte, short, integer, long, float, double, member > :test(boolean, byte, short, integer, long, float, double))")
@deprecated
structure box {}

@trait(selector: ":is(simpleType, list, map, structure > member :test(> :is(simpleType, list, map)))")
document default

@trait(selector: "structure > member :test([trait|default])")
structure addedDefault {}

@trait(selector: "structure > member")
structure clientOptional {}

@trait(selector: ":is(enum, intEnum) > member")
document enumValue

@trait(selector: "structure")
enum error {
    CLIENT = "client"
    SERVER = "server"
}

@trait(selector: "structure", conflicts: [output, error])
structure input {}

@trait(selector: "structure", conflicts: [input, error])
structure output {}

@trait(selector: ":is(list, map)")
structure sparse {}

@trait(selector: "structure > member")
structure required {}

@trait(selector: "string")
@deprecated(since: "2.0")
@length(min: 1)
list enum {
    member: EnumDefinition
}

@private
structure EnumDefinition {
    @required
    value: NonEmptyString
    name: EnumConstantBodyName
    documentation: String
    tags: NonEmptyStringList
    deprecated: Boolean
}

@private
@pattern("^[a-zA-Z_]+[a-zA-Z_0-9]*$")
string EnumConstantBodyName

// ---------------------------------------------------------------- constraints

@trait(selector: ":test(string, member > string)")
structure idRef {
    selector: String = "*"
    failWhenMissing: Boolean
    errorMessage: String
}

@trait(selector: ":test(list, map, string, blob, member > :is(list, map, string, blob))")
structure length {
    min: Long
    max: Long
}

@trait(selector: ":test(string, member > string)")
string pattern

@trait(selector: ":test(number, member > number)")
structure range {
    min: BigDecimal
    max: BigDecimal
}

@trait(selector: ":is(list, member > list)")
structure uniqueItems {}

// ---------------------------------------------------------------- behaviour

@trait(selector: "operation", conflicts: [readonly])
structure idempotent {}

@trait(selector: "structure > :test(member > string)")
structure idempotencyToken {}

@trait(selector: "operation", conflicts: [idempotent])
structure readonly {}

@trait(selector: "structure[trait|error]")
structure retryable {
    throttling: Boolean
}

@trait(selector: ":is(service, operation)")
structure paginated {
    inputToken: String
    outputToken: String
    items: String
    pageSize: String
}

@trait(selector: "operation")
structure requestCompression {
    encodings: RequestCompressionEncodingsList
}

@private
list RequestCompressionEncodingsList {
    member: String
}

// ---------------------------------------------------------------- resources

@trait(selector: "resource:test(-[put]->)")
structure noReplace {}

@trait(selector: ":is(structure, string)")
list references {
    member: Reference
}

@private
structure Reference {
    @required
    @idRef(selector: "resource", failWhenMissing: true)
    resource: String
    ids: NonEmptyStringMap
    @idRef(selector: "service", failWhenMissing: true)
    service: String
    rel: NonEmptyString
}

@trait(selector: "structure > :test(member > string)")
string resourceIdentifier

@trait(selector: "structure > member")
structure property {
    name: String
}

@trait(selector: "structure > member")
structure notProperty {}

@trait(selector: "structure > member")
structure nestedProperties {}

// ---------------------------------------------------------------- streaming

@trait(selector: ":is(blob, union)", structurallyExclusive: "target")
structure streaming {}

@trait(selector: "blob[trait|streaming]")
structure requiresLength {}

@trait(selector: "structure > :test(member:not([trait|required]) > :is(blob, string, boolean, byte, short, integer, long, timestamp))")
structure eventHeader {}

@trait(selector: "structure > :test(member:not([trait|required]) > :is(blob, string, structure, union))", structurallyExclusive: "member")
structure eventPayload {}

// ---------------------------------------------------------------- protocols and auth

@trait(selector: "[trait|trait]")
structure protocolDefinition {
    traits: TraitShapeIdList
    noInlineDocumentSupport: Boolean
}

@trait(selector: "[trait|trait]")
structure authDefinition {
    traits: TraitShapeIdList
}

@private
list TraitShapeIdList {
    member: TraitShapeId
}

@private
@idRef(failWhenMissing: true, selector: "[trait|trait]")
string TraitShapeId

@trait(selector: "service")
@authDefinition
structure httpBasicAuth {}

@trait(selector: "service")
@authDefinition
structure httpDigestAuth {}

@trait(selector: "service")
@authDefinition
structure httpBearerAuth {}

@trait(selector: "service")
@authDefinition
structure httpApiKeyAuth {
    @required
    name: NonEmptyString
    @required
    in: HttpApiKeyLocations
    scheme: NonEmptyString
}

@private
enum HttpApiKeyLocations {
    HEADER = "header"
    QUERY = "query"
}

@trait(selector: "operation")
structure optionalAuth {}

@trait(selector: ":is(service, operation)")
@uniqueItems
list auth {
    member: AuthTraitReference
}

@private
@idRef(selector: "[trait|authDefinition]")
string AuthTraitReference

@trait(selector: "member")
string jsonName

@trait(selector: ":test(timestamp, member > timestamp)")
enum timestampFormat {
    DATE_TIME = "date-time"
    EPOCH_SECONDS = "epoch-seconds"
    HTTP_DATE = "http-date"
}

@trait(selector: ":is(blob, string)")
string mediaType

@trait(selector: ":test(member:of(structure), member:of(union))")
structure xmlAttribute {}

@trait(selector: ":test(member > :test(collection, map))")
structure xmlFlattened {}

@trait
@pattern("^[a-zA-Z_][a-zA-Z_0-9-]*(:[a-zA-Z_][a-zA-Z_0-9-]*)?$")
string xmlName

@trait(selector: ":is(service, member, simpleType, collection, map, structure, union)")
structure xmlNamespace {
    @required
    uri: NonEmptyString
    @pattern("^[a-zA-Z_][a-zA-Z_0-9-]*$")
    prefix: NonEmptyString
}

// ---------------------------------------------------------------- HTTP bindings

@trait(selector: "operation")
structure http {
    @required
    method: NonEmptyString
    @required
    uri: NonEmptyString
    @range(min: 100, max: 999)
    code: Integer = 200
}

@trait(selector: "structure > member[trait|required] :test(> :test(string, number, boolean, timestamp))")
structure httpLabel {}

@trait(selector: "structure > :test(member > :test(simpleType, list))")
@length(min: 1)
string httpQuery

@trait(selector: "structure > member :test(> map > member[id|member=value] > :test(string, list > member > string))")
structure httpQueryParams {}

@trait(selector: "structure > :test(member > :test(boolean, number, string, timestamp, list > member > :test(boolean, number, string, timestamp)))")
@length(min: 1)
string httpHeader

@trait(selector: "structure > member :test(> map > member[id|member=value] > string)")
string httpPrefixHeaders

@trait(selector: "structure > :test(member > :test(string, blob, structure, union, document, list, map))")
structure httpPayload {}

@trait(selector: "structure [trait|error]")
@range(min: 200, max: 599)
integer httpError

@trait(selector: "structure :not([trait|input]) > member :test(> integer)")
structure httpResponseCode {}

@trait(selector: "service")
structure cors {
    origin: NonEmptyString = "*"
    maxAge: Integer = 600
    additionalAllowedHeaders: NonEmptyStringList
    additionalExposedHeaders: NonEmptyStringList
}

@trait(selector: "operation")
structure httpChecksumRequired {}

// ---------------------------------------------------------------- endpoints

@trait(selector: "operation")
structure endpoint {
    @required
    hostPrefix: NonEmptyString
}

@trait(selector: "structure > :test(member[trait|required] > string)")
structure hostLabel {}

// ---------------------------------------------------------------- misc

@trait(selector: "operation")
@unstable
structure longPoll {
    timeoutMillis: Integer
}

@trait(selector: "dataType :not([trait|input]) :not([trait|output])")
structure metadata {}

@private
@length(min: 1)
string NonEmptyString

@private
list NonEmptyStringList {
    member: NonEmptyString
}

@private
map NonEmptyStringMap {
    key: NonEmptyString
    value: NonEmptyString
}
