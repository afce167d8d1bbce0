//! Shared fixtures of the end-to-end tests.

pub mod chat_server;
pub mod storage_server;

use tinsmith_runtime::HyperTransport;

/// The HTTP version a test runs over; the test servers speak both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(dead_code)]
pub enum Http {
    /// HTTP/1.1.
    One,
    /// HTTP/2 over plain text with prior knowledge (h2c).
    Two,
}

#[allow(dead_code)]
impl Http {
    /// A transport that speaks this version.
    pub fn transport(self) -> HyperTransport {
        HyperTransport::builder()
            .http2_only(self == Http::Two)
            .build()
    }

    /// The version as hyper names it.
    pub fn version(self) -> hyper::Version {
        match self {
            Http::One => hyper::Version::HTTP_11,
            Http::Two => hyper::Version::HTTP_2,
        }
    }
}

/// For each `async fn <test>(Http)` named, defines the tests
/// `http1::<test>` and `http2::<test>`: a fault must give the same kind
/// whichever HTTP version carried it.
#[macro_export]
macro_rules! over_both_versions {
    ($($name:ident),* $(,)?) => {
        mod http1 {
            $(#[tokio::test]
            async fn $name() {
                super::$name($crate::common::Http::One).await
            })*
        }
        mod http2 {
            $(#[tokio::test]
            async fn $name() {
                super::$name($crate::common::Http::Two).await
            })*
        }
    };
}

/// Posts `body` to `path` on the server at `addr` over one HTTP/1.1
/// connection with `headers`, as a client other than ours would; the
/// response's status, headers and body.
#[allow(dead_code)]
pub async fn post_raw(
    addr: std::net::SocketAddr,
    path: &str,
    headers: &[(&str, &str)],
    body: impl AsRef<[u8]>,
) -> (u16, http::HeaderMap, bytes::Bytes) {
    use http_body_util::BodyExt;
    let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
            .await
            .unwrap();
    tokio::spawn(connection);
    let request = headers
        .iter()
        .fold(
            http::Request::post(path).header("host", addr.to_string()),
            |request, (name, value)| request.header(*name, *value),
        )
        .body(http_body_util::Full::new(bytes::Bytes::copy_from_slice(
            body.as_ref(),
        )))
        .unwrap();
    let response = sender.send_request(request).await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, bytes)
}
