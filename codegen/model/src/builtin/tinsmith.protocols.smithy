// tinsmith.protocols: protocols of tinsmith's own, bundled with the loader.
$version: "2.0"

namespace tinsmith.protocols

/// JSON-RPC 2.0 over HTTP (https://www.jsonrpc.org/specification): every
/// call is a `POST` of a JSON-RPC request object to one path, whose
/// `method` names the operation (`methodPrefix` and the operation's name,
/// `Inventory.GetItem` by default) and whose `params` is the input as a JSON
/// object (members by name, timestamps as epoch seconds unless
/// `@timestampFormat` says otherwise, blobs as base64). A call's response is
/// a JSON-RPC response object with HTTP status 200: `result` holds the
/// output (`null` for operations without one); `error` holds a failure,
/// `{code, message, data}`, where `data` is the modeled error's document
/// with `__type` its absolute shape id. Codes: -32000 for modeled and other
/// service errors, and the standard ones — -32700 the body is not JSON,
/// -32600 not a request object, -32601 no such method, -32602 the params
/// cannot be read or break the model's constraints (a modeled
/// `ValidationException` included), -32603 a handler that failed to
/// answer (it panicked). Requests may be sent in a batch (an array of up to
/// 1000); a request without an `id` is a notification, answered with
/// nothing.
///
/// An operation with an event stream is called alone, never in a batch,
/// and its streams use the `application/vnd.amazon.eventstream` framing of
/// the other RPC protocols, events encoded as in `params`. An input stream
/// is the request body: its first message is the `initial-request` event
/// whose JSON payload is the request object (`params` holding the input's
/// other members), then the events. An output stream is a successful
/// answer's body: its first message is the `initial-response` event whose
/// payload is the response object (`result` holding the output's other
/// members), then the events. Every other answer, failures before the
/// stream included, is a response object (`application/json`), so clients
/// tell the two apart by `Content-Type`.
@trait(selector: "service")
@protocolDefinition
structure jsonRpc2 {
    /// The path every call is posted to; `/` when absent.
    path: String

    /// The text before an operation's name in `method`; the service's
    /// shape name and a dot when absent (`Inventory.`). The empty string
    /// makes the operation's name the method.
    methodPrefix: String
}
