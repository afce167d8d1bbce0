//! Generates the servers the `server` target serves: the constraint-trait
//! model (rpcv2Cbor) and the JSON-RPC 2.0 model of the tests.

fn main() {
    for model in [
        "../../tests/models/server/validation.smithy",
        "../../tests/models/server/json-rpc.smithy",
    ] {
        tinsmith::Builder::new()
            .model(model)
            .server(true)
            .generate()
            .unwrap_or_else(|e| panic!("{model}: {e}"));
    }
}
