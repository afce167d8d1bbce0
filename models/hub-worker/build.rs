//! Generates the Notes client and server (`notes.smithy`) into `OUT_DIR`.

fn main() {
    tinsmith::Builder::new()
        .model("notes.smithy")
        .server(true)
        .generate()
        .unwrap_or_else(|e| panic!("notes.smithy: {e}"));
}
