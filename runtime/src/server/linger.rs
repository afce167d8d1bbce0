//! Lingering reads: what a caller still sends after its answer is read and
//! thrown away, so the connection closes cleanly.
//!
//! A server may answer before it has read the whole request: a handler
//! that ends an event stream while the caller is still sending events, a
//! refusal of a body too large to read. Dropping the unread body makes
//! hyper close the connection as soon as the answer is written, with the
//! caller's data still in the socket; the kernel then resets the
//! connection, and a reset can reach the caller before it has read the
//! end of the answer, which it then loses (RFC 7230 §6.6 calls for a
//! "lingering close" for this reason).
//!
//! So every router lends its request body to the handler: a body dropped
//! before its end is handed to a task that reads it to the end, while the
//! answer is written and for [`LINGER`] after it, and only then dropped.
//! A body read whole, or still held by a handler's own task, is left
//! alone.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_util::future::BoxFuture;
use http_body::{Body, Frame, SizeHint};
use tokio::sync::oneshot;

/// How long a request body left unread is still read after the answer to
/// it is written (nginx's `lingering_timeout` default).
pub const LINGER: Duration = Duration::from_secs(5);

/// `handler`, lending it each request's body: the part of a body it
/// leaves unread is read and thrown away until the caller ends it or
/// [`LINGER`] after the answer is written.
pub(crate) fn lingering<H, F>(
    handler: H,
) -> impl Fn(axum::extract::Request) -> BoxFuture<'static, axum::response::Response>
+ Clone
+ Send
+ Sync
+ 'static
where
    H: Fn(axum::extract::Request) -> F + Clone + Send + Sync + 'static,
    F: Future<Output = axum::response::Response> + Send + 'static,
{
    move |request| {
        let (over, answered) = oneshot::channel();
        let request = request.map(|body| {
            axum::body::Body::new(Lent {
                body: Some(body),
                answered: Some(answered),
            })
        });
        let answer = handler(request);
        Box::pin(async move {
            answer
                .await
                .map(|body| axum::body::Body::new(Answer { body, _over: over }))
        })
    }
}

/// A request body as a handler reads it; dropped before its end, it is
/// drained by a task of its own.
struct Lent {
    /// `None` once the body has ended.
    body: Option<axum::body::Body>,
    /// Resolves once the answer is written (its sender is dropped).
    answered: Option<oneshot::Receiver<()>>,
}

impl Body for Lent {
    type Data = bytes::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        let Some(body) = self.body.as_mut() else {
            return Poll::Ready(None);
        };
        let frame = std::task::ready!(Pin::new(body).poll_frame(cx));
        if !matches!(frame, Some(Ok(_))) {
            // Ended or broken: nothing is left to drain.
            self.body = None;
        }
        Poll::Ready(frame)
    }

    fn is_end_stream(&self) -> bool {
        self.body.as_ref().is_none_or(Body::is_end_stream)
    }

    fn size_hint(&self) -> SizeHint {
        self.body
            .as_ref()
            .map_or_else(|| SizeHint::with_exact(0), Body::size_hint)
    }
}

impl Drop for Lent {
    fn drop(&mut self) {
        let (Some(body), Some(answered)) = (self.body.take(), self.answered.take()) else {
            return;
        };
        // The runtime may be gone (shut down with the call in flight).
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(drain(body, answered));
        }
    }
}

/// Reads `body` to its end, or until [`LINGER`] after `answered`.
async fn drain(mut body: axum::body::Body, answered: oneshot::Receiver<()>) {
    let read =
        async move { while let Some(Ok(_)) = http_body_util::BodyExt::frame(&mut body).await {} };
    let deadline = async {
        let _ = answered.await;
        tokio::time::sleep(LINGER).await;
    };
    futures_util::future::select(std::pin::pin!(read), std::pin::pin!(deadline)).await;
}

/// An answer's body; when it is dropped (written, or the connection lost),
/// the drain of the request's unread part has [`LINGER`] left.
struct Answer {
    body: axum::body::Body,
    _over: oneshot::Sender<()>,
}

impl Body for Answer {
    type Data = bytes::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

    use super::*;

    /// A server that answers "done" without reading the request body.
    async fn impatient_server() -> std::net::SocketAddr {
        let handler = |request: axum::extract::Request| async move {
            drop(request);
            axum::response::Response::new(axum::body::Body::from("done"))
        };
        let router = axum::Router::new().route("/", axum::routing::post(lingering(handler)));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, router).await });
        address
    }

    /// Reads from `socket` until `text` has arrived.
    async fn read_until(socket: &mut tokio::net::TcpStream, text: &str) -> String {
        let mut read = Vec::new();
        let mut buffer = [0; 4096];
        while !String::from_utf8_lossy(&read).contains(text) {
            let n = tokio::time::timeout(Duration::from_secs(10), socket.read(&mut buffer))
                .await
                .expect("the answer came in time")
                .expect("the connection was not reset");
            assert_ne!(
                n,
                0,
                "closed before {text:?}: {}",
                String::from_utf8_lossy(&read)
            );
            read.extend_from_slice(&buffer[..n]);
        }
        String::from_utf8_lossy(&read).into_owned()
    }

    #[tokio::test]
    async fn a_body_sent_after_its_answer_is_read_and_the_connection_kept() {
        let address = impatient_server().await;
        let mut socket = tokio::net::TcpStream::connect(address).await.unwrap();
        let head = "POST / HTTP/1.1\r\nhost: test\r\ntransfer-encoding: chunked\r\n\r\n";
        let chunk = format!("{:x}\r\n{}\r\n", 64 * 1024, "x".repeat(64 * 1024));
        socket.write_all(head.as_bytes()).await.unwrap();
        socket.write_all(chunk.as_bytes()).await.unwrap();
        // The answer comes while the caller is still sending.
        let answer = read_until(&mut socket, "done").await;
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        // What the caller sends after it is read, not refused with a reset.
        for _ in 0..4 {
            socket.write_all(chunk.as_bytes()).await.unwrap();
        }
        socket.write_all(b"0\r\n\r\n").await.unwrap();
        // And the connection is kept for the next call.
        socket
            .write_all(b"POST / HTTP/1.1\r\nhost: test\r\ncontent-length: 2\r\n\r\nhi")
            .await
            .unwrap();
        let answer = read_until(&mut socket, "done").await;
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    }

    #[tokio::test(start_paused = true)]
    async fn a_caller_that_never_ends_its_body_is_let_go_after_the_linger() {
        let (sender, mut receiver) =
            tokio::sync::mpsc::channel::<Result<bytes::Bytes, std::io::Error>>(1);
        let receiver = futures_util::stream::poll_fn(move |cx| receiver.poll_recv(cx));
        let handler = |request: axum::extract::Request| async move {
            drop(request);
            axum::response::Response::new(axum::body::Body::from("done"))
        };
        let request = axum::extract::Request::new(axum::body::Body::from_stream(receiver));
        let answer = lingering(handler)(request).await;
        // The unread body is held (being drained) while the answer is
        // unwritten...
        tokio::time::sleep(LINGER * 4).await;
        assert!(!sender.is_closed());
        // ...and for the linger after it, then dropped.
        drop(answer);
        tokio::time::sleep(LINGER - Duration::from_millis(10)).await;
        assert!(!sender.is_closed());
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert!(sender.is_closed());
    }
}
