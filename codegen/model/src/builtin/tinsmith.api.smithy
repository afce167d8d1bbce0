// tinsmith.api: traits of tinsmith's own, bundled with the loader.
$version: "2.0"

namespace tinsmith.api

/// The service closes every event stream, in both directions, with an
/// explicit end-of-stream message (`:message-type` `event`, `:event-type`
/// `end-of-stream`, empty payload), and expects clients to do the same.
///
/// Clients of such a service can tell a finished stream from a broken one
/// even when the connection closes cleanly at a message boundary: a
/// response stream that ends without the marker yields an "incomplete"
/// stream error. Without this trait, a clean end of the body at a message
/// boundary is a complete stream (the AWS behaviour).
@trait(selector: "service")
structure endOfStream {}
