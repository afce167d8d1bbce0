$version: "2"

// The event-stream operations of Smithy's restJson1 protocol tests
// (aws.protocoltests.restjson, loaded from ../shared/smithy), served over
// restXml: the same HTTP bindings, with XML documents as event payloads
// (as S3's SelectObjectContent sends its Stats and Progress events).

namespace tinsmith.tests.eventstreams

use aws.protocols#restXml

@restXml
service EventStreamsXml {
    version: "2026-12-05"
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
