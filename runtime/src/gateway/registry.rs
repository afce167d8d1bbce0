//! The registry of workers: which base URL serves each worker name.
//!
//! Written as TOML, one table per worker under `workers`:
//!
//! ```toml
//! [workers.notes]
//! url = "http://127.0.0.1:7101"   # required: http or https, no path
//! # path = "/api/rpc"             # where the worker takes JSON-RPC calls
//! # strip_name = false            # forward `notes/Add` as `Add`
//! # timeout_ms = 30000            # each forwarded call, retries included
//! # max_answer_bytes = 4194304    # the largest answer taken from it
//! # headers = { authorization = "Bearer …" }  # sent with every call to it
//! ```
//!
//! A call whose answer streams events is bounded differently: `timeout_ms`
//! runs until the answer's `initial-response` event has arrived, and then
//! the stream lasts as long as the worker sends, each pause between chunks
//! bounded by the read timeout of the gateway's
//! [`client_config`](super::GatewayBuilder::client_config);
//! `max_answer_bytes` applies to answers that are not streams (the first
//! message of a stream is bounded by
//! [`SERVER_MAX_MESSAGE_LEN`](crate::eventstream::SERVER_MAX_MESSAGE_LEN)).
//!
//! A name is what callers put before the `/` of a method: non-empty, of
//! letters, digits, `-`, `_` and `.` (a name with a `.` is quoted in TOML:
//! `[workers."notes.v2"]`). Unknown keys are errors, so a typo does not
//! silently change nothing. `headers` is how a gateway proves itself to
//! workers that accept calls from it alone.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

/// Where the workers are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Registry {
    workers: BTreeMap<String, Worker>,
}

/// One worker of a [`Registry`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Worker {
    url: String,
    path: String,
    strip_name: bool,
    timeout: Option<Duration>,
    max_answer_bytes: Option<usize>,
    headers: BTreeMap<String, String>,
}

/// Why a registry could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryError(String);

impl fmt::Display for RegistryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RegistryError {}

impl RegistryError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        RegistryError(message.into())
    }
}

fn error(message: impl Into<String>) -> RegistryError {
    RegistryError(message.into())
}

impl Registry {
    /// An empty registry (every call is to an unknown worker).
    pub fn new() -> Self {
        Registry::default()
    }

    /// The registry with `worker` serving `name` (replacing any other).
    ///
    /// # Errors
    /// When `name` is not a valid worker name.
    pub fn with_worker(mut self, name: &str, worker: Worker) -> Result<Self, RegistryError> {
        check_name(name)?;
        self.workers.insert(name.to_owned(), worker);
        Ok(self)
    }

    /// Reads a registry from its TOML text.
    ///
    /// # Errors
    /// When the text is not TOML, or not a registry: a missing or invalid
    /// `url`, an invalid name, an unknown key, a value of the wrong type.
    pub fn from_toml(text: &str) -> Result<Self, RegistryError> {
        let table: toml::Table = text.parse().map_err(|e| error(format!("{e}")))?;
        let mut registry = Registry::new();
        for (key, value) in table {
            if key != "workers" {
                return Err(error(format!(
                    "unknown key `{key}` (a registry has only `workers`)"
                )));
            }
            let toml::Value::Table(workers) = value else {
                return Err(error("`workers` must be a table of workers"));
            };
            for (name, worker) in workers {
                let toml::Value::Table(worker) = worker else {
                    return Err(error(format!("`workers.{name}` must be a table")));
                };
                let worker = Worker::from_table(&name, worker)?;
                registry = registry.with_worker(&name, worker)?;
            }
        }
        Ok(registry)
    }

    /// The worker serving `name`.
    pub fn worker(&self, name: &str) -> Option<&Worker> {
        self.workers.get(name)
    }

    /// Every worker, by name.
    pub fn workers(&self) -> impl Iterator<Item = (&str, &Worker)> {
        self.workers.iter().map(|(k, v)| (k.as_str(), v))
    }
}

fn check_name(name: &str) -> Result<(), RegistryError> {
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if valid {
        Ok(())
    } else {
        Err(error(format!(
            "`{name}` is not a worker name (letters, digits, `-`, `_`, `.`)"
        )))
    }
}

impl Worker {
    /// A worker at `url` (`http://host:port` or `https://...`, no path),
    /// taking calls at `/api/rpc` under their full `worker/method` name,
    /// with no timeout of its own.
    ///
    /// # Errors
    /// When `url` is not an http or https URL without a path.
    pub fn new(url: &str) -> Result<Self, RegistryError> {
        let trimmed = url.trim_end_matches('/');
        let uri: http::Uri = trimmed
            .parse()
            .map_err(|e| error(format!("`{url}` is not a URL: {e}")))?;
        if !matches!(uri.scheme_str(), Some("http" | "https")) || uri.host().is_none() {
            return Err(error(format!(
                "`{url}` must be an http:// or https:// URL with a host"
            )));
        }
        if uri.authority().is_some_and(|a| a.as_str().contains('@')) {
            return Err(error(format!(
                "`{url}` has credentials in it (give them in the worker's `headers`)"
            )));
        }
        if !matches!(uri.path(), "" | "/") || uri.query().is_some() {
            return Err(error(format!(
                "`{url}` must have no path (set the worker's `path`)"
            )));
        }
        // Written back from its parts: the scheme in lower case (found by
        // fuzzing: `Http://` passed the check but stayed as written).
        let (Some(scheme), Some(authority)) = (uri.scheme_str(), uri.authority()) else {
            return Err(error(format!(
                "`{url}` must be an http:// or https:// URL with a host"
            )));
        };
        Ok(Worker {
            url: format!("{scheme}://{authority}"),
            path: "/api/rpc".to_owned(),
            strip_name: false,
            timeout: None,
            max_answer_bytes: None,
            headers: BTreeMap::new(),
        })
    }

    /// The worker taking calls at `path` (default `/api/rpc`).
    ///
    /// # Errors
    /// When `path` does not start with `/` or is not a valid URL path.
    pub fn with_path(mut self, path: &str) -> Result<Self, RegistryError> {
        let valid = path.starts_with('/')
            && path.parse::<http::uri::PathAndQuery>().is_ok()
            && !path.contains(['?', '#']);
        if !valid {
            return Err(error(format!(
                "`{path}` is not a path (it starts with `/`)"
            )));
        }
        self.path = path.to_owned();
        Ok(self)
    }

    /// Forward `notes/Add` as `Add` (`true`), for workers that do not know
    /// their registry name, or unchanged (`false`, the default), for
    /// generated workers whose `methodPrefix` is `<name>/`.
    pub fn with_strip_name(mut self, strip: bool) -> Self {
        self.strip_name = strip;
        self
    }

    /// The longest a forwarded call may take, retries included (none by
    /// default beyond the gateway's client configuration).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The largest answer taken from this worker, in bytes (default: the
    /// gateway's client configuration's, 4 MiB unless set).
    pub fn with_max_answer_bytes(mut self, bytes: usize) -> Self {
        self.max_answer_bytes = Some(bytes);
        self
    }

    /// The worker with a header sent on every call to it (credentials the
    /// worker expects from its gateway, say).
    ///
    /// # Errors
    /// When `name` is not a header name or `value` not a header value.
    pub fn with_header(mut self, name: &str, value: &str) -> Result<Self, RegistryError> {
        if http::HeaderName::from_bytes(name.as_bytes()).is_err()
            || http::HeaderValue::from_str(value).is_err()
        {
            return Err(error(format!(
                "`{name}` is not a header name with a header value"
            )));
        }
        self.headers
            .insert(name.to_ascii_lowercase(), value.to_owned());
        Ok(self)
    }

    /// The base URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The path calls are posted to.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Whether the worker name is stripped from forwarded methods.
    pub fn strip_name(&self) -> bool {
        self.strip_name
    }

    /// The worker's own timeout.
    pub fn timeout(&self) -> Option<Duration> {
        self.timeout
    }

    /// The worker's own answer size limit.
    pub fn max_answer_bytes(&self) -> Option<usize> {
        self.max_answer_bytes
    }

    /// The headers sent on every call to the worker.
    pub fn headers(&self) -> &BTreeMap<String, String> {
        &self.headers
    }

    fn from_table(name: &str, table: toml::Table) -> Result<Self, RegistryError> {
        let at = |key: &str| format!("`workers.{name}.{key}`");
        let url = match table.get("url") {
            Some(toml::Value::String(url)) => url,
            Some(_) => return Err(error(format!("{} must be a string", at("url")))),
            None => return Err(error(format!("{} is missing", at("url")))),
        };
        let mut worker = Worker::new(url).map_err(|e| error(format!("{}: {}", at("url"), e.0)))?;
        for (key, value) in &table {
            match (key.as_str(), value) {
                ("url", _) => {}
                ("path", toml::Value::String(path)) => {
                    worker = worker
                        .with_path(path)
                        .map_err(|e| error(format!("{}: {}", at("path"), e.0)))?;
                }
                ("strip_name", toml::Value::Boolean(strip)) => {
                    worker = worker.with_strip_name(*strip);
                }
                ("timeout_ms", toml::Value::Integer(ms)) if *ms > 0 => {
                    worker = worker.with_timeout(Duration::from_millis(ms.unsigned_abs()));
                }
                ("max_answer_bytes", toml::Value::Integer(bytes)) if *bytes > 0 => {
                    let bytes = usize::try_from(*bytes).unwrap_or(usize::MAX);
                    worker = worker.with_max_answer_bytes(bytes);
                }
                ("headers", toml::Value::Table(headers)) => {
                    for (name, value) in headers {
                        let toml::Value::String(value) = value else {
                            return Err(error(format!(
                                "{} must be a string",
                                at(&format!("headers.{name}"))
                            )));
                        };
                        worker = worker
                            .with_header(name, value)
                            .map_err(|e| error(format!("{}: {}", at("headers"), e.0)))?;
                    }
                }
                ("path" | "strip_name" | "timeout_ms" | "max_answer_bytes" | "headers", _) => {
                    let expected = match key.as_str() {
                        "path" => "a string",
                        "strip_name" => "true or false",
                        "headers" => "a table of strings",
                        _ => "a positive integer",
                    };
                    return Err(error(format!("{} must be {expected}", at(key))));
                }
                _ => {
                    return Err(error(format!(
                        "unknown key {} (a worker has `url`, `path`, `strip_name`, `timeout_ms`, \
                         `max_answer_bytes`, `headers`)",
                        at(key)
                    )));
                }
            }
        }
        Ok(worker)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_registry_reads_from_toml() {
        let registry = Registry::from_toml(
            r#"
            [workers.notes]
            url = "http://127.0.0.1:7101/"

            [workers.py]
            url = "https://py.internal:8443"
            path = "/rpc"
            strip_name = true
            timeout_ms = 1500
            max_answer_bytes = 1024
            headers = { Authorization = "Bearer gw" }
            "#,
        )
        .unwrap();
        let notes = registry.worker("notes").unwrap();
        assert_eq!(notes.url(), "http://127.0.0.1:7101");
        assert_eq!(notes.path(), "/api/rpc");
        assert!(!notes.strip_name());
        let py = registry.worker("py").unwrap();
        assert_eq!(py.path(), "/rpc");
        assert!(py.strip_name());
        assert_eq!(py.timeout(), Some(Duration::from_millis(1500)));
        assert_eq!(py.max_answer_bytes(), Some(1024));
        assert_eq!(
            py.headers().get("authorization").map(String::as_str),
            Some("Bearer gw")
        );
        assert!(registry.worker("other").is_none());
    }

    #[test]
    fn a_worker_url_is_kept_in_its_normal_form() {
        let worker = Worker::new("HTTP://Workers.internal:7101/").unwrap();
        assert_eq!(worker.url(), "http://Workers.internal:7101");
    }

    #[test]
    fn a_bad_registry_says_what_is_wrong() {
        for (text, says) in [
            ("workers = 1", "`workers` must be a table"),
            ("[other]", "unknown key `other`"),
            ("[workers.a]", "`workers.a.url` is missing"),
            ("[workers.a]\nurl = 1", "`workers.a.url` must be a string"),
            ("[workers.a]\nurl = \"ftp://x\"", "http:// or https://"),
            ("[workers.a]\nurl = \"http://x/p\"", "must have no path"),
            ("[workers.a]\nurl = \"http://u:p@x\"", "credentials"),
            (
                "[workers.a]\nurl = \"http://x\"\nheaders = { \"a b\" = \"c\" }",
                "not a header",
            ),
            (
                "[workers.a]\nurl = \"http://x\"\nheaders = 1",
                "a table of strings",
            ),
            (
                "[workers.a]\nurl = \"http://x\"\npth = \"/\"",
                "unknown key",
            ),
            (
                "[workers.a]\nurl = \"http://x\"\npath = \"rpc\"",
                "not a path",
            ),
            (
                "[workers.a]\nurl = \"http://x\"\ntimeout_ms = 0",
                "positive",
            ),
            ("[workers.\"a/b\"]\nurl = \"http://x\"", "not a worker name"),
            ("[workers", "TOML parse error"),
        ] {
            let e = Registry::from_toml(text).unwrap_err().to_string();
            assert!(e.contains(says), "{text:?}: {e}");
        }
    }
}
