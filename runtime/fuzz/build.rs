//! Generates the servers the `server` targets serve: the constraint-trait
//! model (rpcv2Cbor), the JSON-RPC 2.0 model and the odd-bindings model
//! (restJson1) of the tests, the Chat example (event streams), the
//! hub/worker example's Notes (event streams over JSON-RPC 2.0), and the
//! round-trips model (every kind of shape) over awsJson1_0, awsJson1_1,
//! rpcv2Json and rpcv2Cbor.

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
    [
        "tinsmith.tests.roundtrips#RoundTripsJson10",
        "tinsmith.tests.roundtrips#RoundTripsJson11",
        "tinsmith.tests.roundtrips#RoundTripsRpcJson",
        "tinsmith.tests.roundtrips#RoundTripsCbor",
    ]
    .iter()
    .fold(
        tinsmith::Builder::new()
            .model("../../tests/models/server/round-trips.smithy")
            .server(true),
        |builder, service| builder.service(*service),
    )
    .generate()
    .unwrap_or_else(|e| panic!("round-trips.smithy: {e}"));
}
