$version: "2"

// An input event stream signed with SigV4 (as Transcribe Streaming and Lex
// are): tests/tests/aws_event_signing.rs checks each message's signature.
namespace tinsmith.tests.signedevents

use aws.auth#sigv4
use aws.protocols#restJson1

@restJson1
@sigv4(name: "transcribe")
service SignedStreaming {
    version: "2024-01-01"
    operations: [Talk]
}

/// Sends audio chunks as they are recorded.
@http(method: "POST", uri: "/talk")
operation Talk {
    input := {
        @httpHeader("x-language")
        language: String

        @httpPayload
        audio: AudioStream
    }
    output := {}
}

/// The audio, chunk by chunk.
@streaming
union AudioStream {
    chunk: AudioChunk
}

/// One chunk of audio.
structure AudioChunk {
    @eventPayload
    bytes: Blob
}
