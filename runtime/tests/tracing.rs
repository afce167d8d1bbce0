//! Tracing of the pipeline, in a test binary of its own: `tracing` caches
//! whether a callsite is enabled process-wide, so a test that installs a
//! subscriber must not race other tests that hit the same callsites.

use std::sync::{Arc, Mutex};

use tinsmith_runtime::Config;

mod common;

use common::SAFE;
use common::scripted::{call, fast_retries, server};

/// Captures formatted tracing output.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn tracing_records_operation_and_attempts_but_no_secrets() {
    let (url, _, _) = server(|n| if n == 1 { 503 } else { 200 }).await;
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let config = Config::builder()
        .endpoint(&url)
        .retry(fast_retries(2))
        .build();
    let dispatch = tracing::Dispatch::new(subscriber);
    let result = {
        let _guard = tracing::dispatcher::set_default(&dispatch);
        call(&config, SAFE).await
    };
    assert_eq!(result.unwrap(), "#2");
    let text = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(text.contains("tinsmith.operation"), "{text}");
    assert!(text.contains("service=\"Test\""), "{text}");
    assert!(text.contains("operation=\"Op\""), "{text}");
    assert!(text.contains("attempt=1"), "{text}");
    assert!(text.contains("attempt=2"), "{text}");
    assert!(text.contains("request_id="), "{text}");
    assert!(text.contains("attempt failed"), "{text}");
    assert!(text.contains("attempt succeeded"), "{text}");
    assert!(
        !text.contains("secret-token"),
        "no auth header in logs: {text}"
    );
    assert!(!text.to_lowercase().contains("authorization"), "{text}");
}
