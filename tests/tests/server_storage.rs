//! End-to-end: the generated Storage client against the Storage *server*
//! generated from the same model, over restJson1 on 127.0.0.1. Objects go
//! up and come down as `ByteStream`s: the handler reads an upload chunk by
//! chunk as it arrives (never the whole body at once) and answers a
//! download with a stream; ranges, HEAD, DELETE's 204 and the typed errors
//! round-trip.

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use common::storage_server::{pattern, sha256_hex};
use futures_util::StreamExt;
use sha2::{Digest, Sha256};
use tinsmith_runtime::server::Request;
use tinsmith_runtime::{ByteStream, DateTime, ProvideErrorStatus, RetryConfig};
use tinsmith_tests::served_storage::error::{GetObjectError, HeadObjectError};
use tinsmith_tests::served_storage::server::{self, Storage};
use tinsmith_tests::served_storage::types::*;
use tinsmith_tests::served_storage::{Client, Config};

#[derive(Clone)]
struct Object {
    data: Bytes,
    content_type: Option<String>,
    metadata: Option<HashMap<String, String>>,
    etag: String,
}

/// An in-memory store; each upload's chunk count is kept, to show the
/// body arrived as a stream.
#[derive(Clone, Default)]
struct Store {
    objects: Arc<Mutex<HashMap<(String, String), Object>>>,
    chunks: Arc<Mutex<Vec<usize>>>,
}

impl Store {
    /// Reads `body` as it arrives, hashing it.
    async fn read(
        &self,
        mut body: ByteStream,
    ) -> Result<(Bytes, String), tinsmith_runtime::server::Status> {
        let mut data = Vec::new();
        let mut hash = Sha256::new();
        let mut chunks = 0;
        while let Some(chunk) = body.next().await {
            let chunk =
                chunk.map_err(|e| tinsmith_runtime::server::Status::internal(e.to_string()))?;
            hash.update(&chunk);
            data.extend_from_slice(&chunk);
            chunks += 1;
        }
        self.chunks.lock().unwrap().push(chunks);
        let etag = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
        Ok((Bytes::from(data), etag))
    }

    fn get(&self, bucket: &str, key: &str) -> Option<Object> {
        self.objects
            .lock()
            .unwrap()
            .get(&(bucket.to_owned(), key.to_owned()))
            .cloned()
    }
}

fn no_such_key(key: &str) -> NoSuchKey {
    NoSuchKey::builder().message("no such key").key(key).build()
}

impl Storage for Store {
    async fn put_object(
        &self,
        request: Request<PutObjectInput>,
    ) -> Result<PutObjectOutput, server::PutObjectError> {
        let input = request.into_input();
        let (data, etag) = self.read(input.body).await?;
        let object = Object {
            data,
            content_type: input.content_type,
            metadata: input.metadata,
            etag: etag.clone(),
        };
        self.objects
            .lock()
            .unwrap()
            .insert((input.bucket.unwrap(), input.key.unwrap()), object);
        Ok(PutObjectOutput::builder().etag(etag).build())
    }

    async fn put_archive(
        &self,
        request: Request<PutArchiveInput>,
    ) -> Result<PutArchiveOutput, server::PutArchiveError> {
        let length = request
            .headers()
            .get("content-length")
            .map(|v| v.to_str().unwrap().to_owned());
        let input = request.into_input();
        let (data, etag) = self.read(input.body).await?;
        assert_eq!(length, Some(data.len().to_string()), "sent with its length");
        let object = Object {
            data,
            content_type: None,
            metadata: None,
            etag: etag.clone(),
        };
        self.objects
            .lock()
            .unwrap()
            .insert((input.bucket.unwrap(), input.key.unwrap()), object);
        Ok(PutArchiveOutput::builder().etag(etag).build())
    }

    async fn get_object(
        &self,
        request: Request<GetObjectInput>,
    ) -> Result<GetObjectOutput, server::GetObjectError> {
        let input = request.into_input();
        let key = input.key.unwrap();
        let object = self
            .get(&input.bucket.unwrap(), &key)
            .ok_or_else(|| no_such_key(&key))?;
        let size = object.data.len();
        let (data, range) = match input
            .range
            .as_deref()
            .and_then(|r| r.strip_prefix("bytes="))
        {
            None => (object.data.clone(), None),
            Some(range) => {
                let (start, end) = range.split_once('-').unwrap();
                let start: usize = start.parse().unwrap();
                let end: usize = end.parse::<usize>().unwrap().min(size - 1);
                if start >= size {
                    return Err(InvalidRange::builder()
                        .message("past the end")
                        .build()
                        .into());
                }
                (
                    object.data.slice(start..=end),
                    Some(format!("bytes {start}-{end}/{size}")),
                )
            }
        };
        // The answer streams in 64 KiB chunks.
        let length = data.len() as u64;
        let chunks: Vec<Result<Bytes, std::io::Error>> = data
            .chunks(64 * 1024)
            .map(|c| Ok(Bytes::copy_from_slice(c)))
            .collect();
        Ok(GetObjectOutput::builder()
            .body(ByteStream::from_sized_stream(
                futures_util::stream::iter(chunks),
                length,
            ))
            .content_type(object.content_type)
            .content_length(length as i64)
            .content_range(range)
            .etag(object.etag)
            .last_modified(DateTime::from_secs(1_700_000_000))
            .metadata(object.metadata)
            .build())
    }

    async fn head_object(
        &self,
        request: Request<HeadObjectInput>,
    ) -> Result<HeadObjectOutput, server::HeadObjectError> {
        let input = request.into_input();
        let key = input.key.unwrap();
        let object = self
            .get(&input.bucket.unwrap(), &key)
            .ok_or_else(|| no_such_key(&key))?;
        Ok(HeadObjectOutput::builder()
            .content_type(object.content_type)
            .content_length(object.data.len() as i64)
            .etag(object.etag)
            .last_modified(DateTime::from_secs(1_700_000_000))
            .metadata(object.metadata)
            .build())
    }

    async fn delete_object(
        &self,
        request: Request<DeleteObjectInput>,
    ) -> Result<(), server::DeleteObjectError> {
        let input = request.into_input();
        self.objects
            .lock()
            .unwrap()
            .remove(&(input.bucket.unwrap(), input.key.unwrap()));
        Ok(())
    }
}

async fn start() -> (Client, Store) {
    let store = Store::default();
    let app = server::router(store.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let config = Config::builder()
        .endpoint(format!("http://{addr}"))
        .retry(
            RetryConfig::default()
                .with_max_attempts(1)
                .with_initial_backoff(Duration::from_millis(1)),
        )
        .build();
    (Client::new(config), store)
}

/// A body of `len` pattern bytes, produced in 16 KiB chunks of unknown
/// total length (sent chunked).
fn streamed(len: usize) -> ByteStream {
    let chunks: Vec<Result<Bytes, std::io::Error>> = pattern(0, len)
        .chunks(16 * 1024)
        .map(|c| Ok(Bytes::copy_from_slice(c)))
        .collect();
    ByteStream::from_stream(futures_util::stream::iter(chunks))
}

#[tokio::test]
async fn blobs_stream_both_ways() {
    let (client, store) = start().await;
    const SIZE: usize = 8 * 1024 * 1024 + 17;
    let put = client
        .put_object()
        .bucket("photos")
        .key("2026/dec/big.bin")
        .content_type("application/x-test")
        .metadata(HashMap::from([("owner".to_owned(), "ada".to_owned())]))
        .body(streamed(SIZE))
        .send()
        .await
        .unwrap();
    let expected = sha256_hex(&pattern(0, SIZE));
    assert_eq!(put.etag.as_deref(), Some(expected.as_str()));
    // The handler read the upload as it arrived, in many chunks.
    let chunks = store.chunks.lock().unwrap()[0];
    assert!(chunks > 1, "the upload arrived in {chunks} chunk");

    let mut got = client
        .get_object()
        .bucket("photos")
        .key("2026/dec/big.bin")
        .send()
        .await
        .unwrap();
    assert_eq!(got.content_type.as_deref(), Some("application/x-test"));
    assert_eq!(got.content_length, Some(SIZE as i64));
    assert_eq!(got.etag.as_deref(), Some(expected.as_str()));
    assert_eq!(got.last_modified, Some(DateTime::from_secs(1_700_000_000)));
    assert_eq!(got.metadata.unwrap()["owner"], "ada");
    let mut hash = Sha256::new();
    let (mut received, mut pieces) = (0, 0);
    while let Some(chunk) = got.body.next().await {
        let chunk = chunk.unwrap();
        hash.update(&chunk);
        received += chunk.len();
        pieces += 1;
    }
    assert_eq!(received, SIZE);
    assert!(pieces > 1);
    let digest: String = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(digest, expected);

    let mut ranged = client
        .get_object()
        .bucket("photos")
        .key("2026/dec/big.bin")
        .range("bytes=1000-1999")
        .send()
        .await
        .unwrap();
    assert_eq!(
        ranged.content_range.as_deref(),
        Some(format!("bytes 1000-1999/{SIZE}").as_str())
    );
    assert_eq!(
        ranged.body.collect_bytes().await.unwrap(),
        pattern(1000, 1000)
    );

    let head = client
        .head_object()
        .bucket("photos")
        .key("2026/dec/big.bin")
        .send()
        .await
        .unwrap();
    assert_eq!(head.content_length, Some(SIZE as i64));
    assert_eq!(head.content_type.as_deref(), Some("application/x-test"));
    assert_eq!(head.etag.as_deref(), Some(expected.as_str()));

    // `@requiresLength`: sent with its Content-Length.
    let archive = pattern(7, 300_000);
    let put = client
        .put_archive()
        .bucket("photos")
        .key("a.tar")
        .body(ByteStream::new(archive.clone()))
        .send()
        .await
        .unwrap();
    assert_eq!(put.etag.as_deref(), Some(sha256_hex(&archive).as_str()));

    client
        .delete_object()
        .bucket("photos")
        .key("2026/dec/big.bin")
        .send()
        .await
        .unwrap();
    assert!(store.get("photos", "2026/dec/big.bin").is_none());
}

#[tokio::test]
async fn errors_arrive_typed() {
    let (client, _) = start().await;
    let missing = client
        .get_object()
        .bucket("bkt")
        .key("nope")
        .send()
        .await
        .unwrap_err()
        .into_service_error()
        .unwrap();
    assert_eq!(missing.status().http_status(), Some(404));
    match missing {
        GetObjectError::NoSuchKey(e) => assert_eq!(e.key.as_deref(), Some("nope")),
        other => panic!("unexpected {other:?}"),
    }
    client
        .put_object()
        .bucket("bkt")
        .key("small")
        .body(ByteStream::new(vec![1u8, 2, 3]))
        .send()
        .await
        .unwrap();
    let range = client
        .get_object()
        .bucket("bkt")
        .key("small")
        .range("bytes=10-20")
        .send()
        .await
        .unwrap_err()
        .into_service_error()
        .unwrap();
    assert_eq!(range.status().http_status(), Some(416));
    assert!(matches!(range, GetObjectError::InvalidRange(_)));
    // HEAD answers carry no body: the error is read from the status alone.
    let head = client
        .head_object()
        .bucket("bkt")
        .key("nope")
        .send()
        .await
        .unwrap_err()
        .into_service_error()
        .unwrap();
    assert_eq!(head.status().http_status(), Some(404));
    assert!(matches!(head, HeadObjectError::NoSuchKey(_)), "{head:?}");
    // The empty upload is a stream too.
    client
        .put_object()
        .bucket("bkt")
        .key("empty")
        .body(ByteStream::empty())
        .send()
        .await
        .unwrap();
    let mut empty = client
        .get_object()
        .bucket("bkt")
        .key("empty")
        .send()
        .await
        .unwrap();
    assert!(empty.body.collect_bytes().await.unwrap().is_empty());
}
