$version: "2"

// Timestamps in every format and every binding location, served over each
// protocol: sent values are truncated to milliseconds, received ones keep
// what was sent (tests/tests/timestamps.rs).
namespace tinsmith.tests.timestamps

use aws.protocols#awsJson1_0
use aws.protocols#restJson1
use smithy.protocols#rpcv2Cbor

@restJson1
service TimestampsRest {
    version: "1"
    operations: [Bindings, Document]
}

@awsJson1_0
service TimestampsJson {
    version: "1"
    operations: [Document]
}

@rpcv2Cbor
service TimestampsCbor {
    version: "1"
    operations: [Document]
}

@http(method: "POST", uri: "/bindings/{label}/{labelEpoch}/{labelHttp}")
operation Bindings {
    input := {
        @required @httpLabel label: Timestamp
        @required @httpLabel @timestampFormat("epoch-seconds") labelEpoch: Timestamp
        @required @httpLabel @timestampFormat("http-date") labelHttp: Timestamp
        @httpQuery("query") query: Timestamp
        @httpQuery("queryEpoch") @timestampFormat("epoch-seconds") queryEpoch: Timestamp
        @httpQuery("queryHttp") @timestampFormat("http-date") queryHttp: Timestamp
        @httpHeader("x-header") header: Timestamp
        @httpHeader("x-header-epoch") @timestampFormat("epoch-seconds") headerEpoch: Timestamp
        @httpHeader("x-header-date") @timestampFormat("date-time") headerDate: Timestamp
        @httpHeader("x-header-list") headerList: DateTimes
    }
    output := {
        @httpHeader("x-header-epoch") @timestampFormat("epoch-seconds") headerEpoch: Timestamp
        @httpHeader("x-header-date") @timestampFormat("date-time") headerDate: Timestamp
    }
}

@http(method: "POST", uri: "/document")
operation Document {
    input: Times
    output: Times
}

structure Times {
    default: Timestamp
    @timestampFormat("epoch-seconds") epoch: Timestamp
    @timestampFormat("date-time") date: Timestamp
    @timestampFormat("http-date") http: Timestamp
    list: DateTimes
}

@timestampFormat("date-time")
timestamp DateTime

list DateTimes {
    member: DateTime
}
