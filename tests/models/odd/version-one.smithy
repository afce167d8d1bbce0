$version: "1.0"

// An IDL 1.0 model as older services publish them: boxed and primitive
// members, `@enum` strings, `set`, and a streaming payload whose member
// is neither @required nor defaulted (1.0 makes it empty).
namespace tinsmith.odd.v1

use aws.protocols#restJson1

@restJson1
service OddVersionOne {
    version: "2014-01-01"
    operations: [Download, Upload]
}

@http(method: "GET", uri: "/objects/{key}")
@readonly
operation Download {
    input: DownloadInput
    output: DownloadOutput
}

structure DownloadInput {
    @required
    @httpLabel
    key: String
}

structure DownloadOutput {
    @httpPayload
    body: Body

    @httpHeader("x-size")
    size: PrimitiveLong

    @httpHeader("x-count")
    count: BoxedInteger

    @httpHeader("x-kind")
    kind: Kind
}

@http(method: "PUT", uri: "/objects/{key}")
@idempotent
operation Upload {
    input: UploadInput
}

structure UploadInput {
    @required
    @httpLabel
    key: String

    @httpPayload
    body: Body

    @httpHeader("x-tags")
    tags: TagSet

    @httpHeader("x-flag")
    flag: PrimitiveBoolean
}

@streaming
blob Body

@box
integer BoxedInteger

@enum([
    { value: "file", name: "FILE", documentation: "A <b>file</b>." }
    { value: "dir", name: "DIRECTORY" }
])
string Kind

set TagSet {
    member: String
}
