//! End-to-end: the generated Storage client (restJson1, `@streaming` blob
//! bodies) against a real HTTP server on 127.0.0.1 that counts its open
//! connections.
//!
//! Uploads from files and streams, downloads to files, checksums, ranged
//! reads, `@requiresLength`, read timeouts, and — the point of the scoped
//! API — proof that a body lent to `send_with` releases its connection
//! however the closure ends: completion, early return, error, panic, or
//! the whole future dropped mid-read. Each ending runs 1,000 times; then no
//! connection beyond the pool's one idle connection may be open, and a
//! following request must succeed. Every test runs over HTTP/1.1 and over
//! HTTP/2 (h2c); a body the server aborts is `Incomplete` over both.

mod common;

use std::time::Duration;

use bytes::Bytes;
use common::Http;
use common::storage_server::{CHUNK, StorageServer, pattern, sha256_hex};
use futures_util::StreamExt as _;
use std::convert::Infallible;
use storage::Client;
use storage::error::{GetObjectError, HeadObjectError};

use tinsmith_runtime::bytestream::{ByteStreamError, ByteStreamErrorKind};
use tinsmith_runtime::error::SendWithError;
use tinsmith_runtime::{ByteStream, Config, RetryConfig, SdkError};

/// Iterations of each ending in the release tests.
const ITERATIONS: usize = 1_000;
/// Size of the object the release tests download: several chunks, so an
/// unread body leaves data in flight.
const OBJECT: usize = 4 * CHUNK;

fn client(server: &StorageServer, version: Http) -> Client {
    Client::new(
        Config::builder()
            .endpoint(&server.endpoint)
            .retry(RetryConfig::disabled())
            .transport(version.transport())
            .build(),
    )
}

fn temp_path(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("tinsmith-e2e-storage-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

async fn upload_from_a_file_and_download_to_a_file_with_matching_checksums(version: Http) {
    let server = StorageServer::start().await;
    let client = client(&server, version);
    let data = pattern(7, 3 * 1024 * 1024 + 17);
    let source = temp_path("upload.bin");
    std::fs::write(&source, &data).unwrap();

    let put = client
        .put_object()
        .bucket("photos")
        .key("2026/11/cat.jpg")
        .content_type("image/jpeg")
        .metadata([("owner".to_owned(), "ada".to_owned())])
        .body(ByteStream::from_path(&source).await.unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(put.etag.as_deref(), Some(sha256_hex(&data).as_str()));
    let upload = server.uploads().pop().unwrap();
    assert_eq!(upload.path, "photos/2026/11/cat.jpg");
    assert_eq!(
        upload.content_length,
        Some(data.len() as u64),
        "a file's length is sent"
    );
    assert!(!upload.chunked);
    assert_eq!(upload.metadata, [("owner".to_owned(), "ada".to_owned())]);

    let target = temp_path("download.bin");
    let (written, output_etag, content_type) = client
        .get_object()
        .bucket("photos")
        .key("2026/11/cat.jpg")
        .send_with(async |output| {
            let written = output.body.write_to_path(&target).await?;
            Ok::<_, ByteStreamError>((written, output.etag.clone(), output.content_type.clone()))
        })
        .await
        .unwrap();
    assert_eq!(written, data.len() as u64);
    let downloaded = std::fs::read(&target).unwrap();
    assert_eq!(sha256_hex(&downloaded), sha256_hex(&data));
    assert_eq!(output_etag.as_deref(), Some(sha256_hex(&data).as_str()));
    assert_eq!(content_type.as_deref(), Some("image/jpeg"));
}

async fn a_stream_of_unknown_length_is_sent_chunked(version: Http) {
    let server = StorageServer::start().await;
    let client = client(&server, version);
    let chunks: Vec<Result<Bytes, std::io::Error>> = (0..10)
        .map(|i| Ok(Bytes::from(pattern(i * 1000, 1000))))
        .collect();
    client
        .put_object()
        .bucket("logs")
        .key("today")
        .body(ByteStream::from_stream(futures_util::stream::iter(chunks)))
        .send()
        .await
        .unwrap();
    let upload = server.uploads().pop().unwrap();
    // No Content-Length: HTTP/1.1 sends it chunked, HTTP/2 in DATA frames.
    assert_eq!(upload.chunked, version == Http::One);
    assert_eq!(upload.content_length, None);
    assert_eq!(upload.sha256, sha256_hex(&pattern(0, 10_000)));
}

async fn requires_length_rejects_unknown_lengths_before_sending(version: Http) {
    let server = StorageServer::start().await;
    let client = client(&server, version);
    let unknown = ByteStream::from_stream(futures_util::stream::iter([Ok::<_, std::io::Error>(
        Bytes::from_static(b"tape"),
    )]));
    let err = client
        .put_archive()
        .bucket("vault")
        .key("a")
        .body(unknown)
        .send()
        .await
        .unwrap_err();
    let SdkError::Construction(e) = &err else {
        panic!("expected a construction error, got {err:?}");
    };
    assert!(e.to_string().contains("@requiresLength"), "{e}");
    assert!(server.uploads().is_empty(), "nothing was sent");

    let sized = ByteStream::from_sized_stream(
        futures_util::stream::iter([Ok::<_, std::io::Error>(Bytes::from_static(b"tape"))]),
        4,
    );
    client
        .put_archive()
        .bucket("vault")
        .key("a")
        .body(sized)
        .send()
        .await
        .unwrap();
    assert_eq!(server.uploads().pop().unwrap().content_length, Some(4));
}

async fn replayable_bodies_are_retried_and_one_shot_bodies_are_not(version: Http) {
    let server = StorageServer::start().await;
    let client = Client::new(
        Config::builder()
            .endpoint(&server.endpoint)
            .retry(
                RetryConfig::default()
                    .with_max_attempts(3)
                    .with_initial_backoff(Duration::from_millis(1)),
            )
            .transport(version.transport())
            .build(),
    );
    let data = pattern(0, 200_000);
    let source = temp_path("retry.bin");
    std::fs::write(&source, &data).unwrap();
    let err = client
        .put_object()
        .bucket("flaky")
        .key("k")
        .body(ByteStream::from_path(&source).await.unwrap())
        .send()
        .await
        .unwrap_err();
    let SdkError::Service(service) = &err else {
        panic!("expected the 503, got {err:?}");
    };
    assert_eq!(service.attempts(), 3);
    let uploads = server.uploads();
    assert_eq!(uploads.len(), 3);
    // Each attempt sent the whole file again.
    for upload in &uploads {
        assert_eq!(upload.sha256, sha256_hex(&data));
    }

    let one_shot = ByteStream::from_stream(futures_util::stream::iter([Ok::<_, std::io::Error>(
        Bytes::from(data.clone()),
    )]));
    let err = client
        .put_object()
        .bucket("flaky")
        .key("k")
        .body(one_shot)
        .send()
        .await
        .unwrap_err();
    let SdkError::Service(service) = &err else {
        panic!("expected the 503, got {err:?}");
    };
    assert_eq!(service.attempts(), 1, "a one-shot body is sent once");
    assert_eq!(server.uploads().len(), 4);
}

async fn ranged_reads_head_and_modeled_errors(version: Http) {
    let server = StorageServer::start().await;
    let client = client(&server, version);
    server.put("docs", "a.txt", "hello, ranged world");
    let (range, text) = client
        .get_object()
        .bucket("docs")
        .key("a.txt")
        .range("bytes=7-12")
        .send_with(async |output| {
            let text = output.body.collect_string().await?;
            Ok::<_, ByteStreamError>((output.content_range.clone(), text))
        })
        .await
        .unwrap();
    assert_eq!(text, "ranged");
    assert_eq!(range.as_deref(), Some("bytes 7-12/19"));

    let head = client
        .head_object()
        .bucket("docs")
        .key("a.txt")
        .send()
        .await
        .unwrap();
    assert_eq!(head.content_length, Some(19));

    let err = client
        .get_object()
        .bucket("docs")
        .key("missing")
        .send_with(async |_| Ok::<_, Infallible>(()))
        .await
        .unwrap_err();
    // The call failed, so the closure never ran (and with an `Infallible`
    // closure, the call's error is the only kind there is).
    let SendWithError::Call(err) = err;
    let Some(GetObjectError::NoSuchKey(e)) = err.as_service_error() else {
        panic!("expected NoSuchKey, got {err:?}");
    };
    assert_eq!(e.value().key.as_deref(), Some("missing"));
    let err = client
        .get_object()
        .bucket("docs")
        .key("a.txt")
        .range("bytes=99-")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err.as_service_error(),
            Some(GetObjectError::InvalidRange(_))
        ),
        "{err:?}"
    );
    let err = client
        .head_object()
        .bucket("docs")
        .key("missing")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(err.as_service_error(), Some(HeadObjectError::NoSuchKey(_))),
        "{err:?}"
    );
}

async fn a_stalled_body_ends_with_a_timeout_error(version: Http) {
    let server = StorageServer::start().await;
    let client = Client::new(
        Config::builder()
            .endpoint(&server.endpoint)
            .read_timeout(Some(Duration::from_millis(300)))
            .transport(version.transport())
            .build(),
    );
    let (first, rest) = client
        .get_object()
        .bucket("stall")
        .key("x")
        .send_with(async |output| {
            let first = output.body.next_chunk().await.map(|c| c.map(|c| c.len()));
            let mut rest = Vec::new();
            while let Some(item) = output.body.next().await {
                rest.push(item.map(|c| c.len()));
            }
            Ok::<_, Infallible>((first, rest))
        })
        .await
        .unwrap();
    assert!(matches!(first, Some(Ok(n)) if n > 0), "{first:?}");
    let last = rest.last().expect("an error, not a silent end");
    let err = last.as_ref().unwrap_err();
    assert_eq!(err.kind(), ByteStreamErrorKind::Timeout, "{err}");
}

async fn a_body_the_server_aborts_is_incomplete(version: Http) {
    let server = StorageServer::start().await;
    let items = client(&server, version)
        .get_object()
        .bucket("cut")
        .key("x")
        .send_with(async |output| {
            let mut items = Vec::new();
            while let Some(item) = output.body.next().await {
                items.push(item.map(|c| c.len()));
            }
            Ok::<_, Infallible>(items)
        })
        .await
        .unwrap();
    assert!(matches!(items.first(), Some(Ok(n)) if *n > 0), "{items:?}");
    let err = items
        .last()
        .unwrap()
        .as_ref()
        .expect_err("an error, not a silent end");
    assert_eq!(err.kind(), ByteStreamErrorKind::Incomplete, "{err}");
}

/// Downloads the release-test object and checks it arrived whole.
async fn read_whole(client: &Client) {
    let body = client
        .get_object()
        .bucket("big")
        .key("obj")
        .send_with(async |output| output.body.collect_bytes().await)
        .await
        .unwrap();
    assert_eq!(body.len(), OBJECT);
}

/// After `ITERATIONS` runs of one ending: at most the pool's one idle
/// connection is open (0 leaked), and a following request succeeds.
async fn assert_released(server: &StorageServer, client: &Client, ending: &str) {
    let open = server.settle(1).await;
    assert!(
        open <= 1,
        "{ending}: {} connection(s) leaked after {ITERATIONS} iterations",
        open - 1
    );
    read_whole(client).await;
}

async fn release_server(version: Http) -> (StorageServer, Client) {
    let server = StorageServer::start().await;
    server.put("big", "obj", pattern(0, OBJECT));
    let client = client(&server, version);
    (server, client)
}

async fn released_after_normal_completion(version: Http) {
    let (server, client) = release_server(version).await;
    for _ in 0..ITERATIONS {
        read_whole(&client).await;
    }
    assert_released(&server, &client, "completion").await;
    // Bodies read to the end hand their connection back to the pool.
    assert!(
        server.accepted_connections() <= 2,
        "{} connections for {ITERATIONS} sequential reads",
        server.accepted_connections()
    );
}

async fn released_after_early_return_with_the_body_unread(version: Http) {
    let (server, client) = release_server(version).await;
    for _ in 0..ITERATIONS {
        let length = client
            .get_object()
            .bucket("big")
            .key("obj")
            .send_with(async |output| Ok::<_, Infallible>(output.content_length))
            .await
            .unwrap();
        assert_eq!(length, Some(OBJECT as i64));
    }
    assert_released(&server, &client, "early return").await;
}

async fn released_after_an_error_inside_the_closure(version: Http) {
    let (server, client) = release_server(version).await;
    for _ in 0..ITERATIONS {
        let result: Result<(), _> = client
            .get_object()
            .bucket("big")
            .key("obj")
            .send_with(async |output| {
                output
                    .body
                    .next_chunk()
                    .await
                    .unwrap()
                    .map_err(|e| e.to_string())?;
                Err("the caller gave up".to_owned())
            })
            .await;
        // One Result: the closure's own error, told apart from the call's.
        match result {
            Err(SendWithError::Closure(message)) => assert_eq!(message, "the caller gave up"),
            other => panic!("expected the closure's error, got {other:?}"),
        }
    }
    assert_released(&server, &client, "error").await;
}

async fn released_after_a_panic_inside_the_closure(version: Http) {
    use futures_util::FutureExt as _;
    let (server, client) = release_server(version).await;
    for _ in 0..ITERATIONS {
        let call = client.get_object().bucket("big").key("obj").send_with(
            async |output| -> Result<(), Infallible> {
                output.body.next_chunk().await;
                // resume_unwind panics without the panic hook's noise.
                std::panic::resume_unwind(Box::new("closure panicked"))
            },
        );
        let outcome = std::panic::AssertUnwindSafe(call).catch_unwind().await;
        let panic = outcome.expect_err("the panic reaches the caller");
        assert_eq!(panic.downcast_ref::<&str>(), Some(&"closure panicked"));
    }
    assert_released(&server, &client, "panic").await;
}

async fn released_when_the_future_is_dropped_mid_read(version: Http) {
    let (server, client) = release_server(version).await;
    for _ in 0..ITERATIONS {
        let (started, read_started) = tokio::sync::oneshot::channel::<()>();
        let mut started = Some(started);
        let call = client
            .get_object()
            .bucket("big")
            .key("obj")
            .send_with(async |output| {
                output.body.next_chunk().await;
                if let Some(started) = started.take() {
                    let _ = started.send(());
                }
                std::future::pending::<Result<(), Infallible>>().await
            });
        tokio::select! {
            _ = call => panic!("the closure never finishes"),
            _ = read_started => {}
        }
    }
    assert_released(&server, &client, "cancellation").await;
}

async fn an_owned_body_dropped_unread_is_released_too(version: Http) {
    let (server, client) = release_server(version).await;
    for _ in 0..100 {
        let output = client
            .get_object()
            .bucket("big")
            .key("obj")
            .send()
            .await
            .unwrap();
        drop(output);
    }
    assert_released(&server, &client, "owned drop").await;
}

async fn a_body_moved_out_of_the_scope_stops_reading(version: Http) {
    let (server, client) = release_server(version).await;
    let mut escaped = client
        .get_object()
        .bucket("big")
        .key("obj")
        .send_with(async |output| Ok::<_, Infallible>(std::mem::take(&mut output.body)))
        .await
        .unwrap();
    let err = escaped.next_chunk().await.unwrap().unwrap_err();
    assert_eq!(err.kind(), ByteStreamErrorKind::Released);
    assert_released(&server, &client, "escape").await;
}

over_both_versions!(
    upload_from_a_file_and_download_to_a_file_with_matching_checksums,
    a_stream_of_unknown_length_is_sent_chunked,
    requires_length_rejects_unknown_lengths_before_sending,
    replayable_bodies_are_retried_and_one_shot_bodies_are_not,
    ranged_reads_head_and_modeled_errors,
    a_stalled_body_ends_with_a_timeout_error,
    a_body_the_server_aborts_is_incomplete,
    released_after_normal_completion,
    released_after_early_return_with_the_body_unread,
    released_after_an_error_inside_the_closure,
    released_after_a_panic_inside_the_closure,
    released_when_the_future_is_dropped_mid_read,
    an_owned_body_dropped_unread_is_released_too,
    a_body_moved_out_of_the_scope_stops_reading,
);
