//! SigV4 event-stream signing, checked by an independent implementation of
//! AWS's documented scheme (Transcribe Streaming's "Signature Version 4 for
//! event streams"), written in Python with `hmac` and `hashlib`: the
//! request is signed with the payload `STREAMING-AWS4-HMAC-SHA256-EVENTS`,
//! each event travels inside a message carrying `:date` and a
//! `:chunk-signature` chained from the previous signature (the first from
//! the request's), and an empty signed message ends the stream.

use tinsmith_runtime::aws::Credentials;
use tinsmith_runtime::eventstream::EventInput;
use tinsmith_runtime::test_util::TestTransport;
use tinsmith_tests::corpus::signed_streaming as sdk;

/// Verifies the chain; prints the inner payloads as hex, one per line.
const VERIFY: &str = r#"
import hashlib, hmac, json, struct, sys, datetime
case = json.load(sys.stdin)
body = bytes.fromhex(case["body"])
def key(secret, date, region, service):
    k = ("AWS4" + secret).encode()
    for part in (date, region, service, "aws4_request"):
        k = hmac.new(k, part.encode(), hashlib.sha256).digest()
    return k
def frames(data):
    while data:
        total, hlen = struct.unpack(">II", data[:8])
        yield data[12:12 + hlen], data[12 + hlen:total - 4]
        data = data[total:]
def headers(raw):
    out = {}
    while raw:
        n = raw[0]; name = raw[1:1 + n].decode(); t = raw[1 + n]; rest = raw[2 + n:]
        if t == 8:
            out[name] = (struct.unpack(">q", rest[:8])[0], raw[:2 + n + 8]); raw = rest[8:]
        elif t == 6:
            ln = struct.unpack(">H", rest[:2])[0]; out[name] = (rest[2:2 + ln], None); raw = rest[2 + ln:]
        else:
            raise SystemExit("unexpected header type %d" % t)
    return out
last = case["seed"]
payloads = []
for raw_headers, payload in frames(body):
    h = headers(raw_headers)
    millis, date_header = h[":date"]
    when = datetime.datetime.fromtimestamp(millis / 1000, datetime.timezone.utc)
    stamp = when.strftime("%Y%m%dT%H%M%SZ"); day = when.strftime("%Y%m%d")
    sts = "\n".join(["AWS4-HMAC-SHA256-PAYLOAD", stamp,
                     "%s/%s/%s/aws4_request" % (day, case["region"], case["service"]), last,
                     hashlib.sha256(date_header).hexdigest(), hashlib.sha256(payload).hexdigest()])
    expected = hmac.new(key(case["secret"], day, case["region"], case["service"]),
                        sts.encode(), hashlib.sha256).hexdigest()
    got = h[":chunk-signature"][0].hex()
    if got != expected:
        raise SystemExit("message %d: signature %s, expected %s" % (len(payloads), got, expected))
    last = got
    payloads.append(payload.hex())
print("\n".join(payloads))
"#;

#[tokio::test]
async fn each_event_is_signed_in_a_chain_from_the_request_signature() {
    let transport = TestTransport::new(200, &[("content-type", "application/json")], "{}");
    let config = tinsmith_runtime::Config::builder()
        .endpoint("https://transcribe.example.com")
        .transport(transport.clone())
        .region("us-west-2")
        .credentials_provider(Credentials::new("AKIDEXAMPLE", "secret/key+1"))
        .build();
    let chunk = |bytes: &'static [u8]| {
        sdk::types::AudioStream::Chunk(sdk::types::AudioChunk::builder().bytes(bytes).build())
    };
    sdk::Client::new(config)
        .talk()
        .language("en")
        .audio(EventInput::from_events([chunk(b"first"), chunk(b"second")]))
        .send()
        .await
        .expect("sent");
    let request = transport.last_request();
    assert_eq!(
        request.headers()["x-amz-content-sha256"],
        "STREAMING-AWS4-HMAC-SHA256-EVENTS"
    );
    let authorization = request.headers()["authorization"].to_str().unwrap();
    let seed = authorization
        .rsplit_once("Signature=")
        .map(|(_, s)| s)
        .expect("a signature");
    let input = serde_json::json!({
        "body": request.body().iter().map(|b| format!("{b:02x}")).collect::<String>(),
        "seed": seed, "secret": "secret/key+1", "region": "us-west-2", "service": "transcribe",
    });
    let child = std::process::Command::new("python3")
        .args(["-c", VERIFY])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        eprintln!("SKIPPED: python3 is not available");
        return;
    };
    use std::io::Write as _;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.to_string().as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let payloads: Vec<String> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    // Two events (each an encoded message), then the empty end message.
    assert_eq!(payloads.len(), 3, "{payloads:?}");
    assert!(payloads[2].is_empty());
    let inner = |hex: &str| -> Vec<u8> {
        (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
            .collect()
    };
    let first = tinsmith_runtime::test_util::event_messages(&inner(&payloads[0]).into());
    assert_eq!(first[0].payload().as_ref(), b"first");
    let second = tinsmith_runtime::test_util::event_messages(&inner(&payloads[1]).into());
    assert_eq!(second[0].payload().as_ref(), b"second");
}
