//! The shared AWS configuration files, as the AWS CLI reads them:
//! `~/.aws/config` (`AWS_CONFIG_FILE`) and `~/.aws/credentials`
//! (`AWS_SHARED_CREDENTIALS_FILE`), the profile named by `AWS_PROFILE`
//! (else `default`), and what a profile gives: a region, static keys, or a
//! `credential_process` to run.
//!
//! The format (AWS SDKs and Tools reference guide, "Shared config and
//! credentials files") is INI-like: `[profile name]` sections in the config
//! file (`[default]` too), `[name]` sections in the credentials file, `key =
//! value` lines, full-line comments starting with `#` or `;`, and indented
//! lines continuing the property above (sub-properties, which nothing here
//! reads). The credentials file wins where both set a property of one
//! profile. The reader is ours because its rules (the two section styles,
//! the merge) are AWS's, not a generic INI dialect's; it never fails on a
//! line it does not understand, it skips it.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::SystemTime;

use super::credentials::Credentials;
use crate::auth::AuthError;

/// The profiles of both files, merged: profile name → property → value.
/// `Debug` shows the profile names only (the files hold secrets).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ProfileFiles {
    profiles: BTreeMap<String, BTreeMap<String, String>>,
}

impl std::fmt::Debug for ProfileFiles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProfileFiles")
            .field("profiles", &self.profiles.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// Which file a text came from: the section headers differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `~/.aws/config`: `[profile name]` and `[default]`.
    Config,
    /// `~/.aws/credentials`: `[name]`.
    Credentials,
}

fn home() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .map(PathBuf::from)
}

fn path(variable: &str, default: &str) -> Option<PathBuf> {
    match std::env::var_os(variable) {
        Some(path) => Some(PathBuf::from(path)),
        None => Some(home()?.join(".aws").join(default)),
    }
}

/// Where the two files are: `AWS_CONFIG_FILE` and
/// `AWS_SHARED_CREDENTIALS_FILE`, else under `~/.aws/`.
fn file_paths() -> impl Iterator<Item = (PathBuf, FileKind)> {
    [
        ("AWS_CONFIG_FILE", "config", FileKind::Config),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            "credentials",
            FileKind::Credentials,
        ),
    ]
    .into_iter()
    .filter_map(|(variable, default, kind)| Some((path(variable, default)?, kind)))
}

/// The profile `AWS_PROFILE` names, else `default`.
pub fn selected_profile() -> String {
    std::env::var("AWS_PROFILE")
        .ok()
        .filter(|p| !p.trim().is_empty())
        .unwrap_or_else(|| "default".to_owned())
}

impl ProfileFiles {
    /// Reads both files (a missing or unreadable file is an empty one).
    pub async fn load() -> Self {
        let mut files = ProfileFiles::default();
        for (path, kind) in file_paths() {
            if let Ok(text) = tokio::fs::read_to_string(&path).await {
                files.add(&text, kind);
            }
        }
        files
    }

    /// Reads both files without an async runtime (for building a
    /// configuration).
    pub fn load_blocking() -> Self {
        let mut files = ProfileFiles::default();
        for (path, kind) in file_paths() {
            if let Ok(text) = std::fs::read_to_string(&path) {
                files.add(&text, kind);
            }
        }
        files
    }

    /// Adds a file's profiles; later files win property by property.
    pub fn add(&mut self, text: &str, kind: FileKind) {
        let mut current: Option<String> = None;
        // An indented line continues a property (sub-properties) only when
        // one came before it in the section; otherwise it is a property.
        let mut has_property = false;
        for line in text.lines() {
            let trimmed = line.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
                continue;
            }
            if let Some(rest) = trimmed.strip_prefix('[') {
                current = rest
                    .split_once(']')
                    .and_then(|(header, _)| section(header.trim(), kind));
                has_property = false;
                continue;
            }
            if has_property && line.starts_with([' ', '\t']) {
                continue;
            }
            let (Some(profile), Some((key, value))) = (&current, trimmed.split_once('=')) else {
                continue;
            };
            let key = key.trim();
            if key.is_empty() {
                continue;
            }
            has_property = true;
            self.profiles
                .entry(profile.clone())
                .or_default()
                .insert(key.to_owned(), value.trim().to_owned());
        }
    }

    /// A profile's property.
    pub fn get(&self, profile: &str, key: &str) -> Option<&str> {
        self.profiles
            .get(profile)?
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// True when the profile appears in either file.
    pub fn has_profile(&self, profile: &str) -> bool {
        self.profiles.contains_key(profile)
    }
}

/// The profile a section header names, or `None` for sections that are not
/// profiles (`[sso-session x]`, `[services x]`).
fn section(header: &str, kind: FileKind) -> Option<String> {
    match kind {
        FileKind::Credentials => Some(header.to_owned()),
        FileKind::Config => {
            if header == "default" {
                return Some(header.to_owned());
            }
            let name = header.strip_prefix("profile")?;
            name.starts_with([' ', '\t'])
                .then(|| name.trim().to_owned())
                .filter(|n| !n.is_empty())
        }
    }
}

/// The region of the environment (`AWS_REGION`, then `AWS_DEFAULT_REGION`)
/// or of the selected profile.
pub fn region() -> Option<String> {
    for variable in ["AWS_REGION", "AWS_DEFAULT_REGION"] {
        if let Ok(region) = std::env::var(variable)
            && !region.trim().is_empty()
        {
            return Some(region.trim().to_owned());
        }
    }
    ProfileFiles::load_blocking()
        .get(&selected_profile(), "region")
        .map(str::to_owned)
}

/// The credentials profile `name` gives.
pub async fn credentials(files: &ProfileFiles, name: &str) -> Result<Credentials, AuthError> {
    if !files.has_profile(name) {
        return Err(AuthError::new(format!(
            "the profile `{name}` is in neither ~/.aws/config nor ~/.aws/credentials"
        )));
    }
    for unsupported in [
        "role_arn",
        "web_identity_token_file",
        "sso_session",
        "sso_start_url",
    ] {
        if files.get(name, unsupported).is_some() {
            return Err(AuthError::new(format!(
                "the profile `{name}` gets credentials through `{unsupported}`, which this client \
                 cannot follow; give it `credential_process` or static keys, or supply a \
                 credentials provider"
            )));
        }
    }
    if let (Some(id), Some(secret)) = (
        files.get(name, "aws_access_key_id"),
        files.get(name, "aws_secret_access_key"),
    ) {
        let mut credentials = Credentials::new(id, secret);
        if let Some(token) = files.get(name, "aws_session_token") {
            credentials = credentials.with_session_token(token);
        }
        return Ok(credentials);
    }
    if let Some(command) = files.get(name, "credential_process") {
        return credential_process(command).await;
    }
    Err(AuthError::new(format!(
        "the profile `{name}` has no credentials (aws_access_key_id or credential_process)"
    )))
}

/// Runs a `credential_process` command and reads its JSON output
/// (`Version` 1, `AccessKeyId`, `SecretAccessKey`, optional `SessionToken`
/// and RFC 3339 `Expiration`). Its output is never shown in errors.
pub async fn credential_process(command: &str) -> Result<Credentials, AuthError> {
    let mut process = if cfg!(windows) {
        let mut c = tokio::process::Command::new("cmd");
        c.arg("/C").arg(command);
        c
    } else {
        let mut c = tokio::process::Command::new("sh");
        c.arg("-c").arg(command);
        c
    };
    let output = process
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true)
        .output()
        .await
        .map_err(|e| AuthError::new(format!("credential_process could not start: {e}")))?;
    if !output.status.success() {
        return Err(AuthError::new(format!(
            "credential_process failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    parse_process_output(&output.stdout)
}

fn parse_process_output(stdout: &[u8]) -> Result<Credentials, AuthError> {
    let json: serde_json::Value = serde_json::from_slice(stdout)
        .map_err(|_| AuthError::new("credential_process printed something other than JSON"))?;
    let field = |name: &str| json.get(name).and_then(serde_json::Value::as_str);
    if json.get("Version").and_then(serde_json::Value::as_i64) != Some(1) {
        return Err(AuthError::new(
            "credential_process output has no `Version: 1`",
        ));
    }
    let (Some(id), Some(secret)) = (field("AccessKeyId"), field("SecretAccessKey")) else {
        return Err(AuthError::new(
            "credential_process output lacks AccessKeyId or SecretAccessKey",
        ));
    };
    let mut credentials = Credentials::new(id, secret);
    if let Some(token) = field("SessionToken") {
        credentials = credentials.with_session_token(token);
    }
    if let Some(expiration) = field("Expiration") {
        let at =
            time::OffsetDateTime::parse(expiration, &time::format_description::well_known::Rfc3339)
                .ok()
                .filter(|at| (1970..=9999).contains(&at.year()))
                .ok_or_else(|| {
                    AuthError::new(format!(
                        "credential_process gave an Expiration that is not an RFC 3339 time \
                         after 1970: {expiration}"
                    ))
                })?;
        credentials = credentials.with_expiry(SystemTime::from(at));
    }
    Ok(credentials)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_files_merge_with_their_own_section_styles() {
        let mut files = ProfileFiles::default();
        files.add(
            "# comment\n[default]\nregion = us-west-2\n\n[profile dev]\nregion=eu-west-1\n\
             s3 =\n  max_concurrent_requests = 10\naws_access_key_id = FROMCONFIG\n\
             [sso-session x]\nregion = nowhere\n[profilebad]\nregion = no\n",
            FileKind::Config,
        );
        files.add(
            "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = secret\n; c\n",
            FileKind::Credentials,
        );
        assert_eq!(files.get("default", "region"), Some("us-west-2"));
        assert_eq!(files.get("dev", "region"), Some("eu-west-1"));
        assert_eq!(files.get("dev", "aws_access_key_id"), Some("AKIDDEV"));
        assert_eq!(files.get("dev", "max_concurrent_requests"), None);
        assert!(!files.has_profile("x") && !files.has_profile("profilebad"));
    }

    #[tokio::test]
    async fn profiles_give_static_keys_or_run_their_process() {
        let mut files = ProfileFiles::default();
        files.add(
            "[a]\naws_access_key_id = AKID\naws_secret_access_key = s\naws_session_token = t\n\
             [p]\ncredential_process = printf '{\"Version\": 1, \"AccessKeyId\": \"PROC\", \
             \"SecretAccessKey\": \"s\", \"Expiration\": \"2030-01-01T00:00:00Z\"}'\n\
             [failing]\ncredential_process = echo nope >&2; exit 3\n\
             [role]\nrole_arn = arn:aws:iam::1:role/x\n",
            FileKind::Credentials,
        );
        let a = credentials(&files, "a").await.unwrap();
        assert_eq!((a.access_key_id(), a.session_token()), ("AKID", Some("t")));
        if cfg!(unix) {
            let p = credentials(&files, "p").await.unwrap();
            assert_eq!(p.access_key_id(), "PROC");
            assert!(p.expiry().is_some());
            let e = credentials(&files, "failing").await.unwrap_err();
            assert!(e.to_string().contains("nope"), "{e}");
        }
        let e = credentials(&files, "role").await.unwrap_err();
        assert!(e.to_string().contains("role_arn"), "{e}");
        let e = credentials(&files, "missing").await.unwrap_err();
        assert!(e.to_string().contains("neither"), "{e}");
    }

    #[test]
    fn process_output_is_checked() {
        assert!(parse_process_output(b"{\"Version\": 2}").is_err());
        assert!(parse_process_output(b"not json").is_err());
        let bad =
            br#"{"Version": 1, "AccessKeyId": "a", "SecretAccessKey": "s", "Expiration": "soon"}"#;
        assert!(parse_process_output(bad).is_err());
    }
}
