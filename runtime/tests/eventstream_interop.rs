//! Interop with an independent event-stream implementation: frames we
//! encode are decoded by botocore (`botocore.eventstream`), and frames
//! encoded by a Python encoder written from the format description are
//! decoded by us — and are byte for byte what we encode for the same
//! messages. Needs `python3` with botocore (`.ci/run` installs it); skipped
//! with a loud notice when either is missing.

use std::process::Command;

use bytes::Bytes;
use tinsmith_runtime::DateTime;
use tinsmith_runtime::eventstream::{HeaderValue, Message, frame::Decoder};

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/interop/eventstream.py");

/// The same messages as `reference_messages()` in the script.
fn reference_messages() -> Vec<Message> {
    vec![
        Message::new(&b"{\"n\":1}"[..])
            .with_str(":message-type", "event")
            .with_str(":event-type", "Ping"),
        Message::new(&b"payload"[..])
            .with_header("t", HeaderValue::Bool(true))
            .with_header("f", HeaderValue::Bool(false))
            .with_header("byte", HeaderValue::Byte(-7))
            .with_header("short", HeaderValue::Short(-300))
            .with_header("int", HeaderValue::Int(70_000))
            .with_header("long", HeaderValue::Long(-5_000_000_000))
            .with_header(
                "bytes",
                HeaderValue::Bytes(Bytes::from_static(b"\x00\x01\xff")),
            )
            .with_header("string", HeaderValue::String("h\u{e9}llo".into()))
            .with_header(
                "time",
                HeaderValue::Timestamp(DateTime::from_secs_and_nanos(1_700_000_000, 123_000_000)),
            )
            .with_header("uuid", HeaderValue::Uuid(std::array::from_fn(|i| i as u8))),
        Message::new(Bytes::new()),
        Message::new(vec![b'x'; 70_000])
            .with_str(":message-type", "error")
            .with_str(":error-code", "Boom"),
    ]
}

fn python_with_botocore() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import botocore.eventstream"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!(
            "SKIPPED: event-stream interop needs python3 with botocore (`python3 -m pip install botocore`)"
        );
    }
    ok
}

/// Runs the interop script in `mode` on `path`; its standard output.
fn run_script(mode: &str, path: &std::path::Path) -> Vec<u8> {
    let output = Command::new("python3")
        .arg(SCRIPT)
        .arg(mode)
        .arg(path)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

/// Our encoding of `messages`, back to back.
fn encode_all(messages: &[Message]) -> Vec<u8> {
    messages
        .iter()
        .flat_map(|m| m.encode().unwrap().to_vec())
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn temp(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("tinsmith-es-interop-{}-{name}", std::process::id()))
}

#[test]
fn botocore_decodes_what_we_encode() {
    if !python_with_botocore() {
        return;
    }
    let path = temp("ours.bin");
    std::fs::write(&path, encode_all(&reference_messages())).unwrap();
    let decoded: serde_json::Value = serde_json::from_slice(&run_script("decode", &path)).unwrap();
    let decoded = decoded.as_array().unwrap();
    let expected = reference_messages();
    assert_eq!(decoded.len(), expected.len());
    for (theirs, ours) in decoded.iter().zip(&expected) {
        assert_eq!(theirs["payload"], hex(ours.payload()));
        let headers = theirs["headers"].as_object().unwrap();
        assert_eq!(headers.len(), ours.headers().len());
        for header in ours.headers() {
            let value = &headers[header.name()];
            let want = match header.value() {
                HeaderValue::Bool(b) => serde_json::json!(b),
                HeaderValue::Byte(v) => serde_json::json!(v),
                HeaderValue::Short(v) => serde_json::json!(v),
                HeaderValue::Int(v) => serde_json::json!(v),
                HeaderValue::Long(v) => serde_json::json!(v),
                HeaderValue::Bytes(v) => serde_json::json!(hex(v)),
                HeaderValue::String(v) => serde_json::json!(v.as_str()),
                HeaderValue::Timestamp(v) => {
                    serde_json::json!(v.secs() * 1000 + i64::from(v.subsec_nanos() / 1_000_000))
                }
                HeaderValue::Uuid(v) => serde_json::json!(hex(v)),
            };
            assert_eq!(value, &want, "header {}", header.name());
        }
    }
}

#[test]
fn we_decode_independently_encoded_frames_byte_for_byte() {
    if !python_with_botocore() {
        return;
    }
    let path = temp("theirs.bin");
    run_script("encode", &path);
    let theirs = std::fs::read(&path).unwrap();
    let mut decoder = Decoder::new();
    decoder.feed(&theirs);
    let mut decoded = Vec::new();
    while let Some(message) = decoder.next_message().unwrap() {
        decoded.push(message);
    }
    decoder.finish().unwrap();
    assert_eq!(decoded, reference_messages());
    let ours = encode_all(&reference_messages());
    assert_eq!(ours, theirs, "the same messages encode to the same bytes");
}
