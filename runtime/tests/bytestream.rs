//! `ByteStream`: every source, every way of reading, replay, read timeouts
//! and scoped release.

use std::time::Duration;

use bytes::Bytes;
use futures_util::StreamExt as _;
use tinsmith_runtime::ByteStream;
use tinsmith_runtime::bytestream::ByteStreamErrorKind;
use tokio::io::AsyncReadExt as _;

fn chunks(parts: &[&'static str]) -> ByteStream {
    let items: Vec<Result<Bytes, std::io::Error>> = parts
        .iter()
        .map(|p| Ok(Bytes::from_static(p.as_bytes())))
        .collect();
    ByteStream::from_stream(futures_util::stream::iter(items))
}

#[tokio::test]
async fn memory_bodies_read_and_replay() {
    let mut body = ByteStream::from("hello");
    assert_eq!(body.content_length(), Some(5));
    assert!(body.is_replayable());
    let copy = body.try_clone().unwrap();
    assert_eq!(body.collect_bytes().await.unwrap(), "hello");
    // Read to the end: nothing left, but a copy starts over.
    assert_eq!(body.collect_bytes().await.unwrap(), "");
    assert_eq!(body.content_length(), Some(0));
    let mut copy = copy;
    assert_eq!(copy.collect_string().await.unwrap(), "hello");
}

#[tokio::test]
async fn stream_bodies_are_one_shot_and_keep_chunk_order() {
    let mut body = chunks(&["a", "bc", "", "def"]);
    assert_eq!(body.content_length(), None);
    assert!(!body.is_replayable());
    assert!(body.try_clone().is_none());
    assert_eq!(body.collect_bytes().await.unwrap(), "abcdef");
}

#[tokio::test]
async fn a_failing_source_is_an_error_then_the_end() {
    let items: Vec<Result<Bytes, std::io::Error>> = vec![
        Ok(Bytes::from_static(b"ok")),
        Err(std::io::Error::other("disk on fire")),
    ];
    let mut body = ByteStream::from_stream(futures_util::stream::iter(items));
    assert_eq!(body.next_chunk().await.unwrap().unwrap(), "ok");
    let err = body.next_chunk().await.unwrap().unwrap_err();
    assert_eq!(err.kind(), ByteStreamErrorKind::Source);
    assert!(err.to_string().contains("disk on fire"), "{err}");
    assert!(body.next_chunk().await.is_none());
}

#[tokio::test]
async fn files_stream_in_chunks_with_a_known_length_and_replay() {
    let dir = tempdir();
    let path = dir.join("in.bin");
    let data: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&path, &data).unwrap();
    let mut body = ByteStream::from_path(&path).await.unwrap();
    assert_eq!(body.content_length(), Some(data.len() as u64));
    let copy = body.try_clone().unwrap();
    let mut chunks = 0;
    let mut read = Vec::new();
    while let Some(chunk) = body.next().await {
        let chunk = chunk.unwrap();
        assert!(chunk.len() <= 64 * 1024);
        chunks += 1;
        read.extend_from_slice(&chunk);
    }
    assert!(chunks >= 5, "{chunks} chunks");
    assert_eq!(read, data);
    let out = dir.join("out.bin");
    let mut copy = copy;
    assert_eq!(copy.write_to_path(&out).await.unwrap(), data.len() as u64);
    assert_eq!(std::fs::read(&out).unwrap(), data);
}

#[tokio::test]
async fn a_missing_file_is_an_io_error() {
    let err = ByteStream::from_path("/definitely/not/here")
        .await
        .unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::NotFound);
}

#[tokio::test]
async fn readers_in_and_out() {
    let mut body = ByteStream::from_async_read(&b"from a reader"[..]);
    let mut text = String::new();
    body.async_read().read_to_string(&mut text).await.unwrap();
    assert_eq!(text, "from a reader");

    let mut text = String::new();
    ByteStream::from("owned")
        .into_async_read()
        .read_to_string(&mut text)
        .await
        .unwrap();
    assert_eq!(text, "owned");
}

#[tokio::test]
async fn invalid_utf8_is_reported() {
    let err = ByteStream::from(vec![0xff, 0xfe])
        .collect_string()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ByteStreamErrorKind::InvalidUtf8);
}

#[tokio::test(start_paused = true)]
async fn a_stalled_body_times_out() {
    let stalled = futures_util::stream::iter([Ok::<_, std::io::Error>(Bytes::from_static(b"x"))])
        .chain(futures_util::stream::pending());
    let mut body = ByteStream::from_stream(stalled).with_read_timeout(Duration::from_secs(5));
    assert_eq!(body.next_chunk().await.unwrap().unwrap(), "x");
    let err = body.next_chunk().await.unwrap().unwrap_err();
    assert!(err.is_timeout(), "{err}");
    assert!(body.next_chunk().await.is_none());
}

#[tokio::test]
async fn a_scoped_body_is_released_when_its_guard_drops() {
    let mut body = chunks(&["one", "two"]);
    let guard = body.scope();
    assert_eq!(body.next_chunk().await.unwrap().unwrap(), "one");
    // Moving the body out of the scope does not keep it alive.
    let mut escaped = std::mem::take(&mut body);
    drop(guard);
    let err = escaped.next_chunk().await.unwrap().unwrap_err();
    assert_eq!(err.kind(), ByteStreamErrorKind::Released);
    assert!(escaped.next_chunk().await.is_none());
}

fn tempdir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "tinsmith-bytestream-{}-{}",
        std::process::id(),
        fastrand_suffix()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn fastrand_suffix() -> u64 {
    use std::hash::{BuildHasher, RandomState};
    RandomState::new().hash_one(std::time::SystemTime::now())
}
