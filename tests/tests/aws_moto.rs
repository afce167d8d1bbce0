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
        Moto::start_with(&[])
    }

    /// Starts moto with these environment variables.
    fn start_with(env: &[(&str, &str)]) -> Option<Moto> {
        let port = TcpListener::bind("127.0.0.1:0")
            .ok()?
            .local_addr()
            .ok()?
            .port();
        let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_owned());
        let child = Command::new(python)
            .envs(env.iter().copied())
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

/// Sends each request to the moto server, keeping the URL's host as the
/// `Host` header: so a client can use AWS's own endpoints (where S3 puts the
/// bucket in the host name) and still reach moto on 127.0.0.1. It only
/// redirects; the real `HyperTransport` sends.
#[derive(Debug)]
struct ToMoto {
    inner: tinsmith_runtime::HyperTransport,
    port: u16,
}

impl tinsmith_runtime::Transport for ToMoto {
    fn send(
        &self,
        mut request: tinsmith_runtime::transport::HttpRequest,
    ) -> tinsmith_runtime::transport::SendFuture {
        let authority = request.uri().authority().map(|a| a.to_string());
        if let Some(authority) = authority {
            request
                .headers_mut()
                .insert(http::header::HOST, authority.parse().unwrap());
        }
        let path = request
            .uri()
            .path_and_query()
            .map_or("/".to_owned(), |p| p.to_string());
        *request.uri_mut() = format!("http://127.0.0.1:{}{path}", self.port)
            .parse()
            .unwrap();
        self.inner.send(request)
    }
}

impl Moto {
    fn port(&self) -> u16 {
        self.url.rsplit(':').next().unwrap().parse().unwrap()
    }

    /// A client configuration that resolves AWS's real S3 endpoints (no
    /// endpoint override) and reaches moto through [`ToMoto`], recording
    /// each request's URL.
    fn aws_endpoints(&self, path_style: bool, urls: Urls) -> Config {
        Config::builder()
            .transport(ToMoto {
                inner: tinsmith_runtime::HyperTransport::new(),
                port: self.port(),
            })
            .region("us-east-1")
            .credentials_provider(Credentials::new("testing", "testing"))
            .endpoint_param("ForcePathStyle", path_style)
            .interceptor(urls)
            .build()
    }
}

/// Records the URL of each request, to see how the rules addressed it.
#[derive(Debug, Default, Clone)]
struct Urls(std::sync::Arc<std::sync::Mutex<Vec<String>>>);

impl tinsmith_runtime::Interceptor for Urls {
    fn modify_request(
        &self,
        request: &mut tinsmith_runtime::transport::HttpRequest,
        _info: tinsmith_runtime::interceptor::AttemptInfo<'_>,
    ) {
        self.0.lock().unwrap().push(request.uri().to_string());
    }
}

#[tokio::test]
async fn s3_objects_of_every_size_round_trip() {
    let Some(moto) = Moto::start() else { return };
    let client = s3::Client::new(moto.config("us-east-1"));
    client
        .create_bucket()
        .bucket("tinsmith-bucket")
        .send()
        .await
        .expect("create bucket");
    let big: Vec<u8> = (0..20 * 1024 * 1024).map(|i| (i % 251) as u8).collect();
    let objects: [(&str, Vec<u8>); 3] = [
        ("empty", Vec::new()),
        ("dir/one kib.txt", vec![b'k'; 1024]),
        ("big/20 MiB.bin", big),
    ];
    for (key, data) in &objects {
        client
            .put_object()
            .bucket("tinsmith-bucket")
            .key(*key)
            .body(ByteStream::new(data.clone()))
            .send()
            .await
            .unwrap_or_else(|e| panic!("put {key}: {e:?}"));
        let head = client
            .head_object()
            .bucket("tinsmith-bucket")
            .key(*key)
            .send()
            .await
            .expect("head");
        assert_eq!(head.content_length, Some(data.len() as i64), "{key}");
        // Read inside send_with: the body streams chunk by chunk and is
        // released when the closure ends.
        let (length, same) = client
            .get_object()
            .bucket("tinsmith-bucket")
            .key(*key)
            .send_with(async |output| {
                let mut read = Vec::with_capacity(data.len());
                while let Some(chunk) = futures_util::StreamExt::next(&mut output.body).await {
                    read.extend_from_slice(&chunk?);
                }
                Ok::<_, tinsmith_runtime::ByteStreamError>((read.len(), read == *data))
            })
            .await
            .expect("get");
        assert_eq!(length, data.len(), "{key}");
        assert!(same, "{key} came back as it was sent");
    }
    // Every key, through the paginator, one per page.
    let pages = client
        .list_objects_v2()
        .bucket("tinsmith-bucket")
        .max_keys(1)
        .into_paginator()
        .pages()
        .collect_all()
        .await
        .expect("list");
    assert_eq!(pages.len(), 3, "one key per page");
    let keys: Vec<String> = pages
        .into_iter()
        .flat_map(|page| page.contents.unwrap_or_default())
        .filter_map(|o| o.key)
        .collect();
    assert_eq!(keys, ["big/20 MiB.bin", "dir/one kib.txt", "empty"]);
    for (key, _) in &objects {
        client
            .delete_object()
            .bucket("tinsmith-bucket")
            .key(*key)
            .send()
            .await
            .expect("delete");
    }
    // A modeled error, typed, read from S3's XML error body.
    let missing = client
        .get_object()
        .bucket("tinsmith-bucket")
        .key("dir/one kib.txt")
        .send()
        .await
        .unwrap_err();
    match missing.as_service_error() {
        Some(s3::error::GetObjectError::NoSuchKey(e)) => {
            assert_eq!(e.status().code(), Some("NoSuchKey"));
            assert_eq!(e.status().http_status(), Some(404));
        }
        other => panic!("expected NoSuchKey, got {other:?}"),
    }
}

#[tokio::test]
async fn s3_addressing_follows_the_rules() {
    let Some(moto) = Moto::start() else { return };
    for (path_style, bucket, expected) in [
        (
            false,
            "virtual-bucket",
            "https://virtual-bucket.s3.us-east-1.amazonaws.com/k?x-id=GetObject",
        ),
        (
            true,
            "path-bucket",
            "https://s3.us-east-1.amazonaws.com/path-bucket/k?x-id=GetObject",
        ),
        // A name with dots cannot be a TLS host label: path-style.
        (
            false,
            "dotted.bucket",
            "https://s3.us-east-1.amazonaws.com/dotted.bucket/k?x-id=GetObject",
        ),
    ] {
        let urls = Urls::default();
        let client = s3::Client::new(moto.aws_endpoints(path_style, urls.clone()));
        client
            .create_bucket()
            .bucket(bucket)
            .send()
            .await
            .unwrap_or_else(|e| panic!("create {bucket}: {e:?}"));
        client
            .put_object()
            .bucket(bucket)
            .key("k")
            .body(ByteStream::new("addressed"))
            .send()
            .await
            .expect("put");
        let mut object = client
            .get_object()
            .bucket(bucket)
            .key("k")
            .send()
            .await
            .expect("get");
        assert_eq!(object.body.collect_string().await.unwrap(), "addressed");
        let urls = urls.0.lock().unwrap().clone();
        assert_eq!(urls.last().map(String::as_str), Some(expected), "{urls:?}");
    }
}

#[tokio::test]
async fn ses_over_aws_query() {
    let Some(moto) = Moto::start() else { return };
    let client = ses::Client::new(moto.config("us-east-1"));
    let addresses = ["a@example.com", "b@example.com", "c@example.com"];
    for address in addresses {
        client
            .verify_email_identity()
            .email_address(address)
            .send()
            .await
            .expect("verify");
    }
    // Listed one per page through the paginator.
    let mut listed = client
        .list_identities()
        .max_items(1)
        .into_paginator()
        .items()
        .collect_all()
        .await
        .expect("list");
    listed.sort();
    assert_eq!(listed, addresses);
    let attributes = client
        .get_identity_verification_attributes()
        .identities(vec!["a@example.com".to_owned()])
        .send()
        .await
        .expect("get");
    assert_eq!(
        attributes.verification_attributes["a@example.com"].verification_status,
        ses::types::VerificationStatus::Success
    );
    client
        .delete_identity()
        .identity("a@example.com")
        .send()
        .await
        .expect("delete");
    let mut left = client
        .list_identities()
        .send()
        .await
        .expect("list")
        .identities;
    left.sort();
    assert_eq!(left, ["b@example.com", "c@example.com"]);
    // A modeled error, by its awsQuery code.
    let error = client
        .get_template()
        .template_name("missing")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            error.as_service_error(),
            Some(ses::error::GetTemplateError::TemplateDoesNotExistException(
                _
            ))
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn acm_over_aws_json_1_1_keeps_regions_apart() {
    let Some(moto) = Moto::start() else { return };
    let west = acm::Client::new(moto.config("us-west-2"));
    let requested = west
        .request_certificate()
        .domain_name("example.com")
        .subject_alternative_names(vec!["www.example.com".to_owned()])
        .send()
        .await
        .expect("request certificate");
    let arn = requested.certificate_arn.expect("an ARN");
    assert!(arn.starts_with("arn:aws:acm:us-west-2:"), "{arn}");
    let described = west
        .describe_certificate()
        .certificate_arn(&arn)
        .send()
        .await
        .expect("describe")
        .certificate
        .expect("a certificate");
    assert_eq!(described.certificate_arn.as_deref(), Some(arn.as_str()));
    assert_eq!(described.domain_name.as_deref(), Some("example.com"));
    west.add_tags_to_certificate()
        .certificate_arn(&arn)
        .tag(
            acm::types::Tag::builder()
                .key("team")
                .value("tinsmith")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .expect("tag");
    let tags = west
        .list_tags_for_certificate()
        .certificate_arn(&arn)
        .send()
        .await
        .expect("tags")
        .tags
        .unwrap_or_default();
    assert_eq!(tags.len(), 1);
    assert_eq!(
        (tags[0].key.as_str(), tags[0].value.as_deref()),
        ("team", Some("tinsmith"))
    );
    let listed = west.list_certificates().send().await.expect("list");
    let arns: Vec<_> = listed
        .certificate_summary_list
        .unwrap_or_default()
        .into_iter()
        .filter_map(|c| c.certificate_arn)
        .collect();
    assert_eq!(arns, std::slice::from_ref(&arn));
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
    west.delete_certificate()
        .certificate_arn(&arn)
        .send()
        .await
        .expect("delete");
    let gone = west
        .describe_certificate()
        .certificate_arn(&arn)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            gone.as_service_error(),
            Some(acm::error::DescribeCertificateError::ResourceNotFoundException(_))
        ),
        "{gone:?}"
    );
}

#[tokio::test]
async fn swf_over_aws_json_1_0() {
    let Some(moto) = Moto::start() else { return };
    let client = swf::Client::new(moto.config("us-east-1"));
    client
        .register_domain()
        .name("tinsmith")
        .workflow_execution_retention_period_in_days("3")
        .send()
        .await
        .expect("register domain");
    let described = client
        .describe_domain()
        .name("tinsmith")
        .send()
        .await
        .expect("describe");
    assert_eq!(described.domain_info.name, "tinsmith");
    assert_eq!(
        described
            .configuration
            .workflow_execution_retention_period_in_days,
        "3"
    );
    let listed = client
        .list_domains()
        .registration_status(swf::types::RegistrationStatus::Registered)
        .send()
        .await
        .expect("list domains");
    let names: Vec<_> = listed.domain_infos.into_iter().map(|d| d.name).collect();
    assert_eq!(names, ["tinsmith"]);
    let again = client
        .register_domain()
        .name("tinsmith")
        .workflow_execution_retention_period_in_days("3")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            again.as_service_error(),
            Some(swf::error::RegisterDomainError::DomainAlreadyExistsFault(_))
        ),
        "{again:?}"
    );
    client
        .deprecate_domain()
        .name("tinsmith")
        .send()
        .await
        .expect("deprecate");
    let deprecated = client
        .list_domains()
        .registration_status(swf::types::RegistrationStatus::Deprecated)
        .send()
        .await
        .expect("list deprecated");
    let names: Vec<_> = deprecated
        .domain_infos
        .into_iter()
        .map(|d| d.name)
        .collect();
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
    let group = client
        .get_schedule_group()
        .name("tinsmith-group")
        .send()
        .await
        .expect("get");
    assert_eq!(group.name.as_deref(), Some("tinsmith-group"));
    assert!(
        group
            .arn
            .as_deref()
            .is_some_and(|a| a.starts_with("arn:aws:scheduler:eu-west-1:")),
        "{group:?}"
    );
    let listed = client
        .list_schedule_groups()
        .send()
        .await
        .expect("list schedule groups");
    let mut names: Vec<_> = listed
        .schedule_groups
        .into_iter()
        .filter_map(|g| g.name)
        .collect();
    names.sort();
    assert_eq!(names, ["default", "tinsmith-group"]);
    client
        .delete_schedule_group()
        .name("tinsmith-group")
        .send()
        .await
        .expect("delete");
    let gone = client
        .get_schedule_group()
        .name("tinsmith-group")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            gone.as_service_error(),
            Some(scheduler::error::GetScheduleGroupError::ResourceNotFoundException(_))
        ),
        "{gone:?}"
    );
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

/// Creates an IAM user allowed everything, with an access key, through
/// botocore (the only calls moto lets through unsigned); `None` when
/// botocore is missing.
fn iam_user(moto: &Moto) -> Option<(String, String)> {
    let script = format!(
        r#"
import json, botocore.session
iam = botocore.session.get_session().create_client(
    "iam", region_name="us-east-1", endpoint_url="{url}",
    aws_access_key_id="bootstrap", aws_secret_access_key="bootstrap")
iam.create_user(UserName="tinsmith")
key = iam.create_access_key(UserName="tinsmith")["AccessKey"]
iam.put_user_policy(UserName="tinsmith", PolicyName="all", PolicyDocument=json.dumps(
    {{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "*", "Resource": "*"}}]}}))
print(key["AccessKeyId"], key["SecretAccessKey"])
"#,
        url = moto.url
    );
    let output = Command::new("python3")
        .args(["-c", &script])
        .output()
        .ok()?;
    if !output.status.success() {
        eprintln!(
            "SKIPPED: could not create an IAM user in moto: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        return None;
    }
    let text = String::from_utf8(output.stdout).ok()?;
    let (id, secret) = text.trim().split_once(' ')?;
    Some((id.to_owned(), secret.to_owned()))
}

/// Changes one byte of each request's body after it was signed (a
/// transport between the client and moto, as a proxy that tampers would).
#[derive(Debug)]
struct Tamper(tinsmith_runtime::HyperTransport);

impl tinsmith_runtime::Transport for Tamper {
    fn send(
        &self,
        request: tinsmith_runtime::transport::HttpRequest,
    ) -> tinsmith_runtime::transport::SendFuture {
        let inner = self.0.clone();
        Box::pin(async move {
            let (parts, mut body) = request.into_parts();
            let mut bytes = body.collect_bytes().await.unwrap().to_vec();
            // `Action=ListIdentities` becomes `Action=ListIdentitieS`.
            if let Some(last) = bytes.iter().rposition(|b| *b == b's') {
                bytes[last] = b'S';
            }
            let request = http::Request::from_parts(parts, ByteStream::new(bytes));
            tinsmith_runtime::Transport::send(&inner, request).await
        })
    }
}

#[tokio::test]
async fn moto_checking_signatures_accepts_ours_and_rejects_tampering() {
    // Moto checks signatures (and IAM policies) after the first three
    // actions, which create the user.
    let Some(moto) = Moto::start_with(&[("INITIAL_NO_AUTH_ACTION_COUNT", "3")]) else {
        return;
    };
    let Some((id, secret)) = iam_user(&moto) else {
        return;
    };
    let config = |secret: &str| {
        Config::builder()
            .endpoint(&moto.url)
            .region("us-east-1")
            .credentials_provider(Credentials::new(id.clone(), secret))
            .retry(tinsmith_runtime::RetryConfig::disabled())
    };
    // Signed right: accepted, over awsQuery and awsJson.
    let ses_client = ses::Client::new(config(&secret).build());
    ses_client
        .verify_email_identity()
        .email_address("signed@example.com")
        .send()
        .await
        .expect("a correctly signed call is accepted");
    let listed = ses_client.list_identities().send().await.expect("list");
    assert_eq!(listed.identities, ["signed@example.com"]);
    acm::Client::new(config(&secret).build())
        .list_certificates()
        .send()
        .await
        .expect("a correctly signed awsJson call is accepted");
    // Signed with the wrong secret: rejected.
    let wrong = ses::Client::new(config("not-the-secret").build())
        .list_identities()
        .send()
        .await
        .unwrap_err();
    assert!(
        format!("{wrong:?}").contains("SignatureDoesNotMatch"),
        "{wrong:?}"
    );
    // Changed after signing: rejected.
    let tampered = ses::Client::new(
        config(&secret)
            .transport(Tamper(tinsmith_runtime::HyperTransport::new()))
            .build(),
    )
    .list_identities()
    .send()
    .await
    .unwrap_err();
    assert!(
        format!("{tampered:?}").contains("SignatureDoesNotMatch"),
        "{tampered:?}"
    );
}
