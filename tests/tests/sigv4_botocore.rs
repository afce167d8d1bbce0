//! SigV4 signatures checked against botocore's signer (the AWS CLI's), for
//! the request shapes generated clients send: query strings with reserved
//! characters, JSON bodies with a session token, S3 paths encoded once with
//! the payload hash in `x-amz-content-sha256`, paths with spaces and
//! non-ASCII text. The same request, time and credentials must give the same
//! `Authorization` header. Skipped loudly when botocore is missing (`.ci/run`
//! installs it).

use std::io::Write as _;
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime};

use tinsmith_runtime::ByteStream;
use tinsmith_runtime::aws::Credentials;
use tinsmith_runtime::aws::sigv4::{Placement, SigningScope, sign_request};

const BOTOCORE: &str = r#"
import datetime, json, sys
import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
fixed = datetime.datetime(2024, 5, 17, 12, 30, 45, tzinfo=datetime.timezone.utc)
botocore.auth.get_current_datetime = lambda *a, **k: fixed
out = []
for case in json.load(sys.stdin):
    creds = Credentials(case["akid"], case["secret"], case.get("token"))
    request = AWSRequest(method=case["method"], url=case["url"],
                         data=bytes.fromhex(case["body"]), headers=case["headers"])
    if case.get("presign"):
        botocore.auth.S3SigV4QueryAuth(creds, "s3", case["region"], expires=case["presign"]).add_auth(request)
        out.append(request.url)
        continue
    cls = botocore.auth.S3SigV4Auth if case["service"] == "s3" else botocore.auth.SigV4Auth
    cls(creds, case["service"], case["region"]).add_auth(request)
    out.append(request.headers["Authorization"])
print(json.dumps(out))
"#;

struct Case {
    method: &'static str,
    url: &'static str,
    headers: &'static [(&'static str, &'static str)],
    body: &'static [u8],
    service: &'static str,
    token: Option<&'static str>,
}

const CASES: &[Case] = &[
    Case {
        method: "GET",
        url: "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08&Marker=a%2Fb%20c",
        headers: &[],
        body: b"",
        service: "iam",
        token: None,
    },
    Case {
        method: "POST",
        url: "https://dynamodb.us-west-2.amazonaws.com/",
        headers: &[
            ("content-type", "application/x-amz-json-1.0"),
            ("x-amz-target", "DynamoDB_20120810.ListTables"),
        ],
        body: br#"{"Limit":5}"#,
        service: "dynamodb",
        token: Some("session-token/with+chars="),
    },
    Case {
        method: "PUT",
        url: "http://my-bucket.s3.us-west-2.amazonaws.com/dir/a%20file%2Bplus.txt",
        headers: &[("content-type", "text/plain")],
        body: b"hello, world",
        service: "s3",
        token: None,
    },
    Case {
        method: "GET",
        url: "https://scheduler.us-west-2.amazonaws.com/schedule-groups/caf%C3%A9%20group?MaxResults=10&NamePrefix=a",
        headers: &[],
        body: b"",
        service: "scheduler",
        token: None,
    },
];

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Runs the botocore script over `input`; `None` (with a loud message) when
/// botocore is missing.
fn botocore(input: &serde_json::Value) -> Option<Vec<String>> {
    let child = Command::new("python3")
        .args(["-c", BOTOCORE])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        eprintln!("SKIPPED: python3 is not available");
        return None;
    };
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.to_string().as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        if stderr.contains("No module named 'botocore'") {
            eprintln!("SKIPPED: botocore is not installed (pip install botocore)");
            return None;
        }
        panic!("botocore failed: {stderr}");
    }
    Some(serde_json::from_slice(&output.stdout).unwrap())
}

/// The presigned URL of an S3 `GetObject`, as botocore presigns it.
#[test]
fn presigned_urls_match_botocore() {
    let url = "https://my-bucket.s3.us-west-2.amazonaws.com/a%20key.txt";
    let input = serde_json::json!([{
        "method": "GET", "url": url, "body": "", "headers": {},
        "service": "s3", "region": "us-west-2", "presign": 600,
        "akid": "AKIDEXAMPLE", "secret": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        "token": "a/token",
    }]);
    let Some(expected) = botocore(&input) else {
        return;
    };
    let mut request = http::Request::get(url).body(ByteStream::empty()).unwrap();
    let credentials = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
        .with_session_token("a/token");
    let scope = SigningScope::new("s3", Some("us-west-2"), None).unwrap();
    let time = SystemTime::UNIX_EPOCH + Duration::from_secs(1_715_949_045);
    sign_request(
        &mut request,
        &credentials,
        &scope,
        true,
        time,
        Placement::Query(Duration::from_secs(600)),
    )
    .unwrap();
    let signature = |url: &str| {
        url.split(['?', '&'])
            .find_map(|p| p.strip_prefix("X-Amz-Signature="))
            .map(str::to_owned)
    };
    let ours = request.uri().to_string();
    assert!(signature(&ours).is_some(), "{ours}");
    assert_eq!(
        signature(&ours),
        signature(&expected[0]),
        "{ours}\n{}",
        expected[0]
    );
}

#[test]
fn signatures_match_botocore() {
    let time = SystemTime::UNIX_EPOCH + Duration::from_secs(1_715_949_045);
    let input: Vec<serde_json::Value> = CASES
        .iter()
        .map(|c| {
            serde_json::json!({
                "method": c.method, "url": c.url, "body": hex(c.body),
                "headers": c.headers.iter().map(|(k, v)| (k.to_string(), serde_json::Value::from(*v)))
                    .collect::<serde_json::Map<_, _>>(),
                "service": c.service, "region": "us-west-2",
                "akid": "AKIDEXAMPLE", "secret": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                "token": c.token,
            })
        })
        .collect();
    let Some(expected) = botocore(&serde_json::Value::Array(input)) else {
        return;
    };
    for (case, expected) in CASES.iter().zip(expected) {
        let mut builder = http::Request::builder().method(case.method).uri(case.url);
        for (name, value) in case.headers {
            builder = builder.header(*name, *value);
        }
        let mut request = builder.body(ByteStream::new(case.body.to_vec())).unwrap();
        let mut credentials =
            Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        if let Some(token) = case.token {
            credentials = credentials.with_session_token(token);
        }
        let scope = SigningScope::new(case.service, Some("us-west-2"), None).unwrap();
        sign_request(
            &mut request,
            &credentials,
            &scope,
            false,
            time,
            Placement::Headers,
        )
        .unwrap();
        let ours = request.headers()["authorization"].to_str().unwrap();
        assert_eq!(ours, expected, "{} {}", case.method, case.url);
    }
}
