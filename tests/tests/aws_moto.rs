//! Generated AWS clients against a real AWS-compatible server: moto
//! (`moto_server`, from PyPI's `moto[server]`, which `.ci/run` installs),
//! started on 127.0.0.1 on a free port for each test and stopped after.
//! One service per protocol: S3 (restXml), SES (awsQuery), ACM
//! (awsJson1_1), SWF (awsJson1_0) and EventBridge Scheduler (restJson1).
//!
//! The clients resolve their endpoint through each service's rules
//! (`SDK::Endpoint` = the server's URL) and sign with SigV4: moto keeps
//! its data per region, which it reads from the signature's credential
//! scope, so a resource made in one region and missing from another shows
//! the signature was made for the region the client was given.
//!
//! When moto cannot start (not installed), each test says so and passes
//! without checking anything ("SKIPPED" in its output).

#![cfg(aws_models)]

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tinsmith_runtime::aws::Credentials;
use tinsmith_runtime::{ByteStream, Config};
use tinsmith_tests::aws::{acm, s3, scheduler, ses, swf};

/// A moto server on 127.0.0.1, stopped when dropped.
struct Moto {
    child: Child,
    url: String,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Moto {
    /// Starts moto on a free port and waits until it answers; `None` (with
    /// a loud message) when it cannot start.
    fn start() -> Option<Moto> {
        let port = TcpListener::bind("127.0.0.1:0")
            .ok()?
            .local_addr()
            .ok()?
            .port();
        let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_owned());
        let child = Command::new(python)
            .args([
                "-m",
                "moto.server",
                "-H",
                "127.0.0.1",
                "-p",
                &port.to_string(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        let Ok(child) = child else {
            eprintln!("SKIPPED: python3 could not be started for moto_server");
            return None;
        };
        let moto = Moto {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(60) {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Some(moto);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        eprintln!("SKIPPED: moto_server did not start (pip install 'moto[server]')");
        None
    }

    /// A client configuration for `region`, signed with moto's test keys.
    fn config(&self, region: &str) -> Config {
        Config::builder()
            .endpoint(&self.url)
            .region(region)
            .credentials_provider(Credentials::new("testing", "testing"))
            .build()
    }
}

#[tokio::test]
async fn s3_objects_round_trip_through_rules_and_signatures() {
    let Some(moto) = Moto::start() else { return };
    let client = s3::Client::new(moto.config("us-east-1"));
    client
        .create_bucket()
        .bucket("tinsmith-bucket")
        .send()
        .await
        .expect("create bucket");
    let body = "hello from tinsmith ".repeat(1000);
    client
        .put_object()
        .bucket("tinsmith-bucket")
        .key("dir/hello world.txt")
        .body(ByteStream::new(body.clone()))
        .send()
        .await
        .expect("put object");
    let mut object = client
        .get_object()
        .bucket("tinsmith-bucket")
        .key("dir/hello world.txt")
        .send()
        .await
        .expect("get object");
    assert_eq!(object.body.collect_string().await.unwrap(), body);
    let listed = client
        .list_objects_v2()
        .bucket("tinsmith-bucket")
        .send()
        .await
        .expect("list objects");
    let keys: Vec<_> = listed
        .contents
        .unwrap_or_default()
        .into_iter()
        .filter_map(|o| o.key)
        .collect();
    assert_eq!(keys, ["dir/hello world.txt"]);
    // A modeled error, read from S3's XML error body.
    let missing = client
        .get_object()
        .bucket("tinsmith-bucket")
        .key("missing")
        .send()
        .await
        .unwrap_err();
    let status = missing.as_service_error().map(|e| e.to_string());
    assert!(
        status.as_deref().is_some_and(|s| s.contains("NoSuchKey")),
        "{missing:?}"
    );
}

#[tokio::test]
async fn ses_over_aws_query() {
    let Some(moto) = Moto::start() else { return };
    let client = ses::Client::new(moto.config("us-east-1"));
    client
        .verify_email_identity()
        .email_address("someone@example.com")
        .send()
        .await
        .expect("verify");
    let listed = client.list_identities().send().await.expect("list");
    assert_eq!(listed.identities, ["someone@example.com"]);
}

#[tokio::test]
async fn acm_over_aws_json_1_1_keeps_regions_apart() {
    let Some(moto) = Moto::start() else { return };
    let west = acm::Client::new(moto.config("us-west-2"));
    let requested = west
        .request_certificate()
        .domain_name("example.com")
        .send()
        .await
        .expect("request certificate");
    let arn = requested.certificate_arn.expect("an ARN");
    assert!(arn.starts_with("arn:aws:acm:us-west-2:"), "{arn}");
    let listed = west.list_certificates().send().await.expect("list");
    let arns: Vec<_> = listed
        .certificate_summary_list
        .unwrap_or_default()
        .into_iter()
        .filter_map(|c| c.certificate_arn)
        .collect();
    assert_eq!(arns, [arn]);
    // The same server, signed for another region: moto keeps it apart.
    let east = acm::Client::new(moto.config("us-east-1"));
    let listed = east.list_certificates().send().await.expect("list");
    assert!(
        listed
            .certificate_summary_list
            .unwrap_or_default()
            .is_empty(),
        "the certificate is in us-west-2 only"
    );
}

#[tokio::test]
async fn swf_over_aws_json_1_0() {
    let Some(moto) = Moto::start() else { return };
    let client = swf::Client::new(moto.config("us-east-1"));
    client
        .register_domain()
        .name("tinsmith")
        .workflow_execution_retention_period_in_days("1")
        .send()
        .await
        .expect("register domain");
    let listed = client
        .list_domains()
        .registration_status(swf::types::RegistrationStatus::Registered)
        .send()
        .await
        .expect("list domains");
    let names: Vec<_> = listed.domain_infos.into_iter().map(|d| d.name).collect();
    assert_eq!(names, ["tinsmith"]);
}

#[tokio::test]
async fn scheduler_over_rest_json_1() {
    let Some(moto) = Moto::start() else { return };
    let client = scheduler::Client::new(moto.config("eu-west-1"));
    client
        .create_schedule_group()
        .name("tinsmith-group")
        .send()
        .await
        .expect("create schedule group");
    let listed = client
        .list_schedule_groups()
        .send()
        .await
        .expect("list schedule groups");
    let names: Vec<_> = listed
        .schedule_groups
        .into_iter()
        .filter_map(|g| g.name)
        .collect();
    assert!(names.contains(&"tinsmith-group".to_owned()), "{names:?}");
}

#[tokio::test]
async fn calls_without_credentials_are_not_sent_unsigned() {
    let Some(moto) = Moto::start() else { return };
    let config = Config::builder()
        .endpoint(&moto.url)
        .region("us-east-1")
        .build();
    let error = ses::Client::new(config)
        .list_identities()
        .send()
        .await
        .unwrap_err();
    assert!(
        error.to_string().contains("credentials"),
        "{error}: a call that must be signed fails before sending"
    );
}

/// Sends a presigned request with a plain HTTP client (no credentials) and
/// returns the status and body.
async fn send_presigned(
    presigned: &tinsmith_runtime::aws::sigv4::PresignedRequest,
    body: &'static str,
) -> (u16, String) {
    use http_body_util::BodyExt as _;
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build_http::<http_body_util::Full<bytes::Bytes>>();
    let mut request = http::Request::builder()
        .method(presigned.method())
        .uri(presigned.uri());
    for (name, value) in presigned.headers() {
        request = request.header(name, value);
    }
    let request = request
        .body(http_body_util::Full::new(bytes::Bytes::from_static(
            body.as_bytes(),
        )))
        .unwrap();
    let response = client.request(request).await.expect("send presigned");
    let status = response.status().as_u16();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test]
async fn s3_presigned_urls_work_without_credentials() {
    let Some(moto) = Moto::start() else { return };
    let client = s3::Client::new(moto.config("us-east-1"));
    client
        .create_bucket()
        .bucket("shared")
        .send()
        .await
        .expect("create bucket");
    let put = client
        .put_object()
        .bucket("shared")
        .key("note.txt")
        .presigned(Duration::from_secs(600))
        .await
        .expect("presign put");
    assert_eq!(put.method(), "PUT");
    for part in [
        "X-Amz-Signature=",
        "X-Amz-Expires=600",
        "X-Amz-Credential=testing%2F",
    ] {
        assert!(put.uri().contains(part), "{}", put.uri());
    }
    let (status, _) = send_presigned(&put, "shared text").await;
    assert_eq!(status, 200);
    let get = client
        .get_object()
        .bucket("shared")
        .key("note.txt")
        .presigned(Duration::from_secs(600))
        .await
        .expect("presign get");
    assert_eq!(
        send_presigned(&get, "").await,
        (200, "shared text".to_owned())
    );
    // Longer than SigV4 allows: refused before anything is signed.
    let too_long = client
        .get_object()
        .bucket("shared")
        .key("note.txt")
        .presigned(Duration::from_secs(8 * 24 * 3600))
        .await;
    assert!(too_long.is_err());
}
