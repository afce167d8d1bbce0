//! AWS credentials: an access key pair with an optional session token and
//! expiry, the providers that load them (static, environment, shared
//! profile files with `credential_process`, a chain of those), and the cache
//! a client keeps them in.
//!
//! The cache refreshes expiring credentials before they expire
//! ([`REFRESH_BEFORE_EXPIRY`]) and single-flight: when many calls find them
//! stale at once, one load runs and the others use its result. Secrets are
//! never printed: `Debug` shows the access key id only, and the pipeline
//! records nothing of them in traces.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::auth::AuthError;

/// Credentials are refreshed this long before they expire, so a request
/// signed with them does not arrive after their end.
pub const REFRESH_BEFORE_EXPIRY: Duration = Duration::from_secs(5 * 60);

/// An AWS access key pair, with a session token for temporary credentials.
/// `Debug` shows only the access key id.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    expiry: Option<SystemTime>,
}

impl Credentials {
    /// Long-term credentials from an access key id and its secret.
    pub fn new(access_key_id: impl Into<String>, secret_access_key: impl Into<String>) -> Self {
        Credentials {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token: None,
            expiry: None,
        }
    }

    /// Adds the session token of temporary credentials.
    pub fn with_session_token(mut self, token: impl Into<String>) -> Self {
        self.session_token = Some(token.into());
        self
    }

    /// Sets when the credentials stop working.
    pub fn with_expiry(mut self, expiry: SystemTime) -> Self {
        self.expiry = Some(expiry);
        self
    }

    /// The access key id (not secret).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret access key.
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }

    /// The session token, for temporary credentials.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }

    /// When the credentials stop working, if they do.
    pub fn expiry(&self) -> Option<SystemTime> {
        self.expiry
    }

    /// True when they expire within `margin` of `now`.
    fn expires_within(&self, now: SystemTime, margin: Duration) -> bool {
        self.expiry.is_some_and(|expiry| expiry <= now + margin)
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"*** redacted ***")
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "*** redacted ***"),
            )
            .field("expiry", &self.expiry)
            .finish()
    }
}

/// The future a credentials provider returns.
pub type CredentialsFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Credentials, AuthError>> + Send + 'a>>;

/// Loads credentials; implement it for a source of your own (a vault, a
/// token exchange). The client caches what it returns until shortly before
/// [`Credentials::expiry`].
pub trait ProvideCredentials: Send + Sync + fmt::Debug + 'static {
    /// Loads credentials.
    fn credentials(&self) -> CredentialsFuture<'_>;
}

/// Fixed credentials are their own provider.
impl ProvideCredentials for Credentials {
    fn credentials(&self) -> CredentialsFuture<'_> {
        let credentials = self.clone();
        Box::pin(async move { Ok(credentials) })
    }
}

impl<P: ProvideCredentials> ProvideCredentials for Arc<P> {
    fn credentials(&self) -> CredentialsFuture<'_> {
        (**self).credentials()
    }
}

/// Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and
/// `AWS_SESSION_TOKEN`, read at each load.
#[derive(Debug, Clone, Copy, Default)]
pub struct EnvironmentCredentials;

impl EnvironmentCredentials {
    fn load() -> Result<Credentials, AuthError> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let (Some(id), Some(secret)) = (var("AWS_ACCESS_KEY_ID"), var("AWS_SECRET_ACCESS_KEY"))
        else {
            return Err(AuthError::new(
                "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set",
            ));
        };
        let mut credentials = Credentials::new(id.trim(), secret.trim());
        if let Some(token) = var("AWS_SESSION_TOKEN") {
            credentials = credentials.with_session_token(token.trim());
        }
        Ok(credentials)
    }
}

impl ProvideCredentials for EnvironmentCredentials {
    fn credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(async { EnvironmentCredentials::load() })
    }
}

/// Credentials from a profile of the shared files (`~/.aws/credentials`
/// and `~/.aws/config`, see [`super::profile`]): static keys, or the output
/// of its `credential_process`.
#[derive(Debug, Clone, Default)]
pub struct ProfileCredentials {
    profile: Option<String>,
}

impl ProfileCredentials {
    /// The profile named by `AWS_PROFILE`, else `default`.
    pub fn new() -> Self {
        ProfileCredentials::default()
    }

    /// A named profile.
    pub fn profile(name: impl Into<String>) -> Self {
        ProfileCredentials {
            profile: Some(name.into()),
        }
    }
}

impl ProvideCredentials for ProfileCredentials {
    fn credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(async move {
            let files = super::profile::ProfileFiles::load().await;
            let name = self
                .profile
                .clone()
                .unwrap_or_else(super::profile::selected_profile);
            super::profile::credentials(&files, &name).await
        })
    }
}

/// The credentials the AWS CLI would use: the environment, then the
/// selected profile of the shared files.
#[derive(Debug, Clone, Default)]
pub struct DefaultCredentials {
    profile: ProfileCredentials,
}

impl DefaultCredentials {
    /// The chain, with the profile named by `AWS_PROFILE` (else `default`).
    pub fn new() -> Self {
        DefaultCredentials::default()
    }
}

impl ProvideCredentials for DefaultCredentials {
    fn credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(async move {
            let from_env = EnvironmentCredentials::load();
            if from_env.is_ok() {
                return from_env;
            }
            self.profile.credentials().await.map_err(|e| {
                AuthError::new(format!(
                    "no AWS credentials: not in the environment (AWS_ACCESS_KEY_ID), \
                     and the shared profile gave none ({e})"
                ))
            })
        })
    }
}

/// A client's credentials: loaded on first use, kept until shortly before
/// they expire, reloaded single-flight.
#[derive(Debug)]
pub(crate) struct CredentialsCache {
    provider: Arc<dyn ProvideCredentials>,
    /// The current credentials and their generation (bumped by each load).
    state: tokio::sync::Mutex<(u64, Option<Credentials>)>,
}

impl CredentialsCache {
    pub(crate) fn new(provider: Arc<dyn ProvideCredentials>) -> Self {
        CredentialsCache {
            provider,
            state: tokio::sync::Mutex::new((0, None)),
        }
    }

    /// The current credentials and their generation, loading them when
    /// there are none or they are about to expire.
    pub(crate) async fn get(&self) -> Result<(u64, Credentials), AuthError> {
        let mut state = self.state.lock().await;
        let now = SystemTime::now();
        if let Some(credentials) = &state.1
            && !credentials.expires_within(now, REFRESH_BEFORE_EXPIRY)
        {
            return Ok((state.0, credentials.clone()));
        }
        match self.provider.credentials().await {
            Ok(credentials) => {
                state.0 += 1;
                state.1 = Some(credentials.clone());
                Ok((state.0, credentials))
            }
            // A failed early reload keeps credentials that still work.
            Err(e) => match &state.1 {
                Some(credentials) if !credentials.expires_within(now, Duration::ZERO) => {
                    tracing::debug!(
                        "reloading credentials failed; using the current ones until they expire"
                    );
                    Ok((state.0, credentials.clone()))
                }
                _ => Err(e),
            },
        }
    }

    /// Reloads after the service rejected generation `generation`, unless
    /// another call already reloaded since (then its result is returned).
    pub(crate) async fn refresh(&self, generation: u64) -> Result<(u64, Credentials), AuthError> {
        let mut state = self.state.lock().await;
        if state.0 == generation || state.1.is_none() {
            let credentials = self.provider.credentials().await?;
            state.0 += 1;
            state.1 = Some(credentials);
        }
        let credentials = state
            .1
            .clone()
            .ok_or_else(|| AuthError::new("refreshing credentials failed"))?;
        Ok((state.0, credentials))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[test]
    fn debug_never_shows_secrets() {
        let c = Credentials::new("AKID", "s3cr3t").with_session_token("t0k3n");
        let shown = format!("{c:?}");
        assert!(shown.contains("AKID"), "{shown}");
        assert!(
            !shown.contains("s3cr3t") && !shown.contains("t0k3n"),
            "{shown}"
        );
    }

    #[derive(Debug, Default)]
    struct Counting(AtomicU32, Duration);

    impl ProvideCredentials for Counting {
        fn credentials(&self) -> CredentialsFuture<'_> {
            Box::pin(async move {
                let n = self.0.fetch_add(1, Ordering::SeqCst) + 1;
                tokio::time::sleep(Duration::from_millis(20)).await;
                Ok(Credentials::new(format!("AKID{n}"), "secret")
                    .with_expiry(SystemTime::now() + self.1))
            })
        }
    }

    #[tokio::test]
    async fn expiring_credentials_reload_once_for_many_callers() {
        // Long-lived: loaded once however many callers ask at once.
        let provider = Arc::new(Counting(AtomicU32::new(0), Duration::from_secs(3600)));
        let cache = Arc::new(CredentialsCache::new(provider.clone()));
        let calls: Vec<_> = (0..16)
            .map(|_| {
                let cache = cache.clone();
                tokio::spawn(async move { cache.get().await.unwrap().1 })
            })
            .collect();
        for call in calls {
            assert_eq!(call.await.unwrap().access_key_id(), "AKID1");
        }
        assert_eq!(provider.0.load(Ordering::SeqCst), 1);
        // Within the refresh margin: every get reloads (single-flight).
        let provider = Arc::new(Counting(AtomicU32::new(0), Duration::from_secs(60)));
        let cache = CredentialsCache::new(provider.clone());
        assert_eq!(cache.get().await.unwrap().1.access_key_id(), "AKID1");
        assert_eq!(cache.get().await.unwrap().1.access_key_id(), "AKID2");
        // A rejected generation reloads once; a stale generation does not.
        let (generation, _) = cache.get().await.unwrap();
        let (next, _) = cache.refresh(generation).await.unwrap();
        let (same, _) = cache.refresh(generation).await.unwrap();
        assert_eq!(next, same);
    }
}
