//! Authentication: the Smithy auth schemes (`@httpBearerAuth`,
//! `@httpApiKeyAuth`, `@httpBasicAuth`), identity providers, and refresh.
//!
//! A client is given an [`IdentityProvider`] per scheme it should use
//! (`ConfigBuilder::bearer_token`, `api_key`, `basic_auth`). For each
//! operation, the generated code lists the schemes the model allows, in the
//! model's `@auth` order; the first one with a provider signs the request.
//! An operation with `@optionalAuth` is sent unsigned when no provider fits.
//!
//! On 401 (and on 403 when the client is configured so) the provider is
//! asked to [`refresh`](IdentityProvider::refresh) once and the request is
//! sent again once. Refreshes are single-flight: when many requests fail
//! with the same stale identity at the same time, one refresh runs and the
//! others use its result.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use base64::Engine as _;

use crate::transport::HttpRequest;

/// Where an API key goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyLocation {
    /// A header.
    Header,
    /// A query parameter.
    Query,
}

/// An auth scheme an operation accepts (from the model).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthScheme {
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// An API key in a header (optionally with a scheme prefix) or query parameter.
    ApiKey {
        /// The header or query parameter name.
        name: &'static str,
        /// Header or query.
        location: ApiKeyLocation,
        /// The header value's scheme prefix, e.g. `ApiKey`.
        scheme: Option<&'static str>,
    },
    /// `Authorization: Basic <base64(user:password)>`.
    Basic,
    /// AWS Signature Version 4 (`aws.auth#sigv4`), with the runtime's `aws`
    /// feature (see [`crate::aws::sigv4`]); without it, a scheme this
    /// runtime cannot sign with.
    SigV4 {
        /// The signing name of the model's `@sigv4(name)` (the endpoint's
        /// auth properties may override it).
        name: &'static str,
        /// `@unsignedPayload`: the body is not part of the signature.
        unsigned_payload: bool,
    },
    /// A scheme this runtime cannot sign with yet (such as
    /// `aws.auth#sigv4`), by its shape id. An operation that accepts only
    /// such schemes is not sent unsigned: the call fails with a
    /// construction error, unless the client is configured with
    /// [`allow_unsigned`](crate::ConfigBuilder::allow_unsigned).
    Unsupported(&'static str),
}

impl AuthScheme {
    /// Which provider slot the scheme uses; `None` for unsupported schemes.
    pub(crate) fn kind(&self) -> Option<SchemeKind> {
        match self {
            AuthScheme::Bearer => Some(SchemeKind::Bearer),
            AuthScheme::ApiKey { .. } => Some(SchemeKind::ApiKey),
            AuthScheme::Basic => Some(SchemeKind::Basic),
            AuthScheme::SigV4 { .. } | AuthScheme::Unsupported(_) => None,
        }
    }

    /// The scheme, and the configuration setting that supplies its
    /// credentials.
    pub(crate) fn setting(&self) -> &'static str {
        match self {
            AuthScheme::Bearer => "smithy.api#httpBearerAuth (bearer_token)",
            AuthScheme::ApiKey { .. } => "smithy.api#httpApiKeyAuth (api_key)",
            AuthScheme::Basic => "smithy.api#httpBasicAuth (basic_auth)",
            AuthScheme::SigV4 { .. } => "aws.auth#sigv4 (credentials_provider or aws_defaults)",
            AuthScheme::Unsupported(id) => id,
        }
    }

    /// Signs `request` with `identity`.
    pub(crate) fn apply(&self, request: &mut HttpRequest, identity: &Identity) {
        let header = |request: &mut HttpRequest, name: &str, value: String| {
            if let (Ok(name), Ok(mut value)) = (
                http::header::HeaderName::from_bytes(name.as_bytes()),
                http::HeaderValue::from_str(&value),
            ) {
                value.set_sensitive(true);
                request.headers_mut().insert(name, value);
            }
        };
        match self {
            AuthScheme::Bearer => header(
                request,
                "authorization",
                format!("Bearer {}", identity.secret),
            ),
            AuthScheme::Basic => header(
                request,
                "authorization",
                format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(&identity.secret)
                ),
            ),
            AuthScheme::ApiKey {
                name,
                location: ApiKeyLocation::Header,
                scheme,
            } => {
                let value = match scheme {
                    Some(scheme) => format!("{scheme} {}", identity.secret),
                    None => identity.secret.clone(),
                };
                header(request, name, value);
            }
            AuthScheme::ApiKey {
                name,
                location: ApiKeyLocation::Query,
                ..
            } => {
                let uri = request.uri().to_string();
                let separator = if uri.contains('?') { '&' } else { '?' };
                let encoded = crate::binding::label(name, &identity.secret).unwrap_or_default();
                if let Ok(new) = format!("{uri}{separator}{name}={encoded}").parse() {
                    *request.uri_mut() = new;
                }
            }
            // Never chosen: no identity provider serves them (SigV4 signs
            // through `crate::aws::sigv4`).
            AuthScheme::SigV4 { .. } | AuthScheme::Unsupported(_) => {}
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum SchemeKind {
    Bearer,
    ApiKey,
    Basic,
}

/// A credential: a bearer token, an API key, or `user:password` for basic
/// auth. Its `Debug` form never shows the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Identity {
    secret: String,
}

impl Identity {
    /// A credential from its secret text.
    pub fn new(secret: impl Into<String>) -> Self {
        Identity {
            secret: secret.into(),
        }
    }

    /// Basic-auth credentials.
    pub fn basic(user: &str, password: &str) -> Self {
        Identity::new(format!("{user}:{password}"))
    }
}

impl fmt::Debug for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Identity(*** redacted ***)")
    }
}

/// Why no identity could be had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthError(String);

impl AuthError {
    /// An error with a message.
    pub fn new(message: impl Into<String>) -> Self {
        AuthError(message.into())
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no credentials: {}", self.0)
    }
}

impl std::error::Error for AuthError {}

/// The future an identity provider returns.
pub type IdentityFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Identity, AuthError>> + Send + 'a>>;

/// Supplies credentials; implement it for tokens that expire.
pub trait IdentityProvider: Send + Sync + fmt::Debug + 'static {
    /// The current identity.
    fn identity(&self) -> IdentityFuture<'_>;

    /// A fresh identity after the service rejected the current one. The
    /// default asks [`identity`](Self::identity) again.
    fn refresh(&self) -> IdentityFuture<'_> {
        self.identity()
    }
}

/// A shared provider is a provider (so callers can keep a handle to it).
impl<P: IdentityProvider> IdentityProvider for Arc<P> {
    fn identity(&self) -> IdentityFuture<'_> {
        (**self).identity()
    }

    fn refresh(&self) -> IdentityFuture<'_> {
        (**self).refresh()
    }
}

/// A fixed credential.
#[derive(Clone)]
pub struct StaticIdentity(Identity);

impl StaticIdentity {
    /// A provider that always returns `secret`.
    pub fn new(secret: impl Into<String>) -> Self {
        StaticIdentity(Identity::new(secret))
    }
}

impl fmt::Debug for StaticIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StaticIdentity(*** redacted ***)")
    }
}

impl IdentityProvider for StaticIdentity {
    fn identity(&self) -> IdentityFuture<'_> {
        let identity = self.0.clone();
        Box::pin(async move { Ok(identity) })
    }
}

/// A credential read from an environment variable at each request (so a
/// refresh sees a new value).
#[derive(Debug, Clone)]
pub struct EnvIdentity(pub String);

impl IdentityProvider for EnvIdentity {
    fn identity(&self) -> IdentityFuture<'_> {
        Box::pin(async move {
            std::env::var(&self.0)
                .map(Identity::new)
                .map_err(|_| AuthError::new(format!("environment variable {} is not set", self.0)))
        })
    }
}

/// A provider with a cached identity and single-flight refresh.
#[derive(Debug)]
pub(crate) struct CachedIdentity {
    provider: Arc<dyn IdentityProvider>,
    /// The current identity and its generation (bumped by each refresh).
    state: tokio::sync::Mutex<(u64, Option<Identity>)>,
}

impl CachedIdentity {
    pub(crate) fn new(provider: Arc<dyn IdentityProvider>) -> Self {
        CachedIdentity {
            provider,
            state: tokio::sync::Mutex::new((0, None)),
        }
    }

    /// The current identity and its generation.
    pub(crate) async fn get(&self) -> Result<(u64, Identity), AuthError> {
        let mut state = self.state.lock().await;
        if let Some(identity) = &state.1 {
            return Ok((state.0, identity.clone()));
        }
        let identity = self.provider.identity().await?;
        state.1 = Some(identity.clone());
        Ok((state.0, identity))
    }

    /// Refreshes, unless another request already refreshed since
    /// `generation` (then its identity is returned).
    pub(crate) async fn refresh(&self, generation: u64) -> Result<(u64, Identity), AuthError> {
        let mut state = self.state.lock().await;
        if state.0 == generation || state.1.is_none() {
            let identity = self.provider.refresh().await?;
            state.0 += 1;
            state.1 = Some(identity);
        }
        let identity = state
            .1
            .clone()
            .ok_or_else(|| AuthError::new("refresh failed"))?;
        Ok((state.0, identity))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signed(scheme: AuthScheme, secret: &str) -> HttpRequest {
        let mut request = http::Request::get("https://example.com/x?a=1")
            .body(crate::ByteStream::empty())
            .unwrap();
        scheme.apply(&mut request, &Identity::new(secret));
        request
    }

    #[test]
    fn every_scheme_signs_where_the_model_says() {
        let r = signed(AuthScheme::Bearer, "t");
        assert_eq!(r.headers()["authorization"], "Bearer t");
        assert!(r.headers()["authorization"].is_sensitive());
        let r = signed(AuthScheme::Basic, "user:pw");
        assert_eq!(r.headers()["authorization"], "Basic dXNlcjpwdw==");
        let r = signed(
            AuthScheme::ApiKey {
                name: "X-Api-Key",
                location: ApiKeyLocation::Header,
                scheme: Some("ApiKey"),
            },
            "k",
        );
        assert_eq!(r.headers()["x-api-key"], "ApiKey k");
        let r = signed(
            AuthScheme::ApiKey {
                name: "key",
                location: ApiKeyLocation::Query,
                scheme: None,
            },
            "a b",
        );
        assert_eq!(r.uri().query(), Some("a=1&key=a%20b"));
        assert_eq!(
            format!("{:?}", Identity::new("s3cret")),
            "Identity(*** redacted ***)"
        );
    }
}
