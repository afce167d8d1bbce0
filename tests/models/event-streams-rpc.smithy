$version: "2"

// The event-stream operations of Smithy's restJson1 protocol tests
// (aws.protocoltests.restjson, loaded from ../shared/smithy), served over
// the RPC protocols (awsJson1_0, awsJson1_1, rpcv2Cbor, rpcv2Json) and our
// JSON-RPC 2.0, so that
// the generator is also exercised on event-stream models it did not write
// for those protocols: input, output and duplex streams, initial requests
// and responses, modeled stream errors. The operations' `@http` bindings
// mean nothing to these protocols.

namespace tinsmith.tests.eventstreams

use aws.protocols#awsJson1_0
use aws.protocols#awsJson1_1
use smithy.protocols#rpcv2Cbor
use smithy.protocols#rpcv2Json
use tinsmith.protocols#jsonRpc2

@awsJson1_0
service EventStreamsJson10 {
    version: "2026-11-22"
    operations: [
        aws.protocoltests.restjson#InputStream
        aws.protocoltests.restjson#OutputStream
        aws.protocoltests.restjson#DuplexStream
        aws.protocoltests.restjson#InputStreamWithInitialRequest
        aws.protocoltests.restjson#OutputStreamWithInitialResponse
        aws.protocoltests.restjson#DuplexStreamWithInitialMessages
        aws.protocoltests.restjson#DuplexStreamWithDistinctStreams
    ]
}

@awsJson1_1
service EventStreamsJson11 {
    version: "2026-11-22"
    operations: [
        aws.protocoltests.restjson#InputStream
        aws.protocoltests.restjson#OutputStream
        aws.protocoltests.restjson#DuplexStream
        aws.protocoltests.restjson#InputStreamWithInitialRequest
        aws.protocoltests.restjson#OutputStreamWithInitialResponse
        aws.protocoltests.restjson#DuplexStreamWithInitialMessages
        aws.protocoltests.restjson#DuplexStreamWithDistinctStreams
    ]
}

@rpcv2Cbor
service EventStreamsCbor {
    version: "2026-11-22"
    operations: [
        aws.protocoltests.restjson#InputStream
        aws.protocoltests.restjson#OutputStream
        aws.protocoltests.restjson#DuplexStream
        aws.protocoltests.restjson#InputStreamWithInitialRequest
        aws.protocoltests.restjson#OutputStreamWithInitialResponse
        aws.protocoltests.restjson#DuplexStreamWithInitialMessages
        aws.protocoltests.restjson#DuplexStreamWithDistinctStreams
    ]
}

@rpcv2Json
service EventStreamsRpcJson {
    version: "2026-11-22"
    operations: [
        aws.protocoltests.restjson#InputStream
        aws.protocoltests.restjson#OutputStream
        aws.protocoltests.restjson#DuplexStream
        aws.protocoltests.restjson#InputStreamWithInitialRequest
        aws.protocoltests.restjson#OutputStreamWithInitialResponse
        aws.protocoltests.restjson#DuplexStreamWithInitialMessages
        aws.protocoltests.restjson#DuplexStreamWithDistinctStreams
    ]
}

@jsonRpc2(path: "/rpc")
service EventStreamsJsonRpc {
    version: "2026-12-06"
    operations: [
        aws.protocoltests.restjson#InputStream
        aws.protocoltests.restjson#OutputStream
        aws.protocoltests.restjson#DuplexStream
        aws.protocoltests.restjson#InputStreamWithInitialRequest
        aws.protocoltests.restjson#OutputStreamWithInitialResponse
        aws.protocoltests.restjson#DuplexStreamWithInitialMessages
        aws.protocoltests.restjson#DuplexStreamWithDistinctStreams
    ]
}
