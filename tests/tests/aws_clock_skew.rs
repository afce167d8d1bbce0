//! A signature rejected for the client's clock is corrected once: the
//! generated ACM client (awsJson1_1) against a server on 127.0.0.1 whose
//! clock is an hour ahead and which rejects signatures dated more than
//! five minutes from it, as AWS does.

#![cfg(aws_models)]

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use tinsmith_runtime::Config;
use tinsmith_runtime::aws::Credentials;
use tinsmith_tests::aws::acm;

/// The `X-Amz-Date` of each request the server saw.
type Seen = Arc<Mutex<Vec<String>>>;

fn amz_date(time: SystemTime) -> String {
    let t = time::OffsetDateTime::from(time);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

async fn server(ahead: Duration) -> (String, Seen) {
    let seen: Seen = Arc::default();
    let state = seen.clone();
    let app = axum::Router::new().fallback(move |headers: HeaderMap| {
        let seen = state.clone();
        async move {
            let server_now = SystemTime::now() + ahead;
            let date = headers
                .get("x-amz-date")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            seen.lock().unwrap().push(date.clone());
            let within = |d: Duration| {
                let lo = amz_date(server_now - d);
                let hi = amz_date(server_now + d);
                lo <= date && date <= hi
            };
            let http_date = httpdate::fmt_http_date(server_now);
            if !within(Duration::from_secs(300)) {
                return (
                    StatusCode::BAD_REQUEST,
                    [
                        ("x-amzn-errortype", "InvalidSignatureException".to_owned()),
                        ("date", http_date),
                    ],
                    r#"{"__type":"InvalidSignatureException","message":"Signature expired"}"#,
                )
                    .into_response();
            }
            (
                StatusCode::OK,
                [
                    ("date", http_date),
                    ("content-type", "application/x-amz-json-1.1".to_owned()),
                ],
                r#"{"CertificateSummaryList":[]}"#,
            )
                .into_response()
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, seen)
}

fn config(url: &str) -> Config {
    Config::builder()
        .endpoint(url)
        .region("us-east-1")
        .credentials_provider(Credentials::new("AKID", "SECRET"))
        .build()
}

#[tokio::test]
async fn a_skewed_clock_is_corrected_once_and_remembered() {
    let (url, seen) = server(Duration::from_secs(3600)).await;
    let client = acm::Client::new(config(&url));
    client
        .list_certificates()
        .send()
        .await
        .expect("the second attempt, with the corrected clock, succeeds");
    {
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 2, "{seen:?}");
        assert!(
            seen[0] < seen[1],
            "the resend is dated by the server's clock: {seen:?}"
        );
    }
    // The client remembers the offset: the next call needs no correction.
    client
        .list_certificates()
        .send()
        .await
        .expect("second call");
    assert_eq!(seen.lock().unwrap().len(), 3);
}

#[tokio::test]
async fn a_clock_within_tolerance_is_left_alone() {
    // The server is two minutes ahead: within what AWS accepts, so the
    // first attempt succeeds and nothing is corrected.
    let (url, seen) = server(Duration::from_secs(120)).await;
    let client = acm::Client::new(config(&url));
    client.list_certificates().send().await.expect("call");
    assert_eq!(seen.lock().unwrap().len(), 1);
}
