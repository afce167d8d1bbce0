//! Generates the servers the `server` targets serve: the constraint-trait
//! model (rpcv2Cbor), the JSON-RPC 2.0 model and the odd-bindings model
//! (restJson1) of the tests, the Chat example (event streams) and the
//! hub/worker example's Notes (event streams over JSON-RPC 2.0).

fn main() {
    for model in [
        "../../tests/models/server/validation.smithy",
        "../../tests/models/server/json-rpc.smithy",
        "../../tests/models/odd/bindings.smithy",
        "../../models/chat",
        "../../models/hub-worker/notes.smithy",
    ] {
        tinsmith::Builder::new()
            .model(model)
            .server(true)
            .generate()
            .unwrap_or_else(|e| panic!("{model}: {e}"));
    }
}
