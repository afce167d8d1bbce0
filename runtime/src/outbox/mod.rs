//! A durable outbox: calls that must not be lost, committed to a local
//! SQLite database and sent in the background, in order.
//!
//! A program that records facts a backend must eventually receive (a
//! training job's metrics, a device's readings, a service's audit events)
//! should neither block on the backend nor lose a fact when the backend is
//! down or the process dies. An [`Outbox`], opened from a generated client
//! (`client.outbox(path, config)`), takes any request builder of the
//! client whose operation has no streaming body or event stream:
//!
//! ```ignore
//! let outbox = client.outbox("events.db", OutboxConfig::default()).await?;
//! let id = outbox.enqueue(client.record_event().name("started")).await?;
//! // ... later, at shutdown:
//! let left = outbox.close(Duration::from_secs(10)).await;
//! ```
//!
//! * **Committed before it returns.** [`Outbox::enqueue`] serializes the
//!   request as the operation's serializer builds it (an unset
//!   `@idempotencyToken` member is filled now, so every resend carries the
//!   same token) and returns its [`RecordId`] once the record is committed
//!   (write-ahead log; `fsync` per commit with [`Durability::Full`]).
//!   Enqueues that arrive together share a commit.
//! * **Sent in order.** One background task sends records in commit order
//!   through the client's own pipeline: auth, retries, retry budget,
//!   circuit breaker, timeouts, interceptors. Records enqueued under an
//!   ordering key ([`Outbox::enqueue_keyed`]) keep their order within the
//!   key, and independent keys do not wait for each other (up to
//!   [`OutboxConfig::with_max_in_flight`] sends at once).
//! * **Delivered, failed or waiting.** A record is deleted only after the
//!   service accepted it. A refusal that will not pass (a `4xx` other than
//!   `408`/`429`, a modeled error that is not `@retryable`, a request that
//!   cannot be built) marks it failed, with its error status and attempts,
//!   and by default stops its key ([`OnFailure`]); [`Outbox::retry`] and
//!   [`Outbox::discard`] settle it. Anything else (no connection, a
//!   timeout, `5xx`, throttling, an open circuit) is waited out: with
//!   growing pauses, or until the circuit breaker lets its probe through.
//! * **Bounded.** Records and bytes on disk, and bytes waiting in memory
//!   for their commit, have bounds; when one is reached, `enqueue` waits
//!   for space or fails at once ([`WhenFull`]). A full disk is
//!   [`OutboxError::DiskFull`] and loses nothing committed.
//! * **Crash-safe.** After a crash, reopening the outbox resumes where it
//!   was: nothing committed is lost, and a record that was being sent is
//!   sent again — at least once, and exactly once at a service that honours
//!   the idempotency token.
//!
//! Nothing of a record's content is ever logged: tracing events carry ids,
//! operation names, counts and ages.

mod request;
mod sender;
mod store;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use tokio::sync::{Notify, Semaphore, mpsc, oneshot, watch};

use crate::config::Config;
use crate::error::{ConstructionError, SdkError};

pub use request::{Enqueue, OutboxRequest, ServiceFailure};
#[doc(hidden)]
pub use request::{OutboxOperation, OutboxService, settle};

/// A durable outbox of one client. See the [module documentation](self).
///
/// Dropping it stops the sender (a record being sent is sent again after
/// the next open) and closes the database in the background, so opening
/// the file again at once may find it [`Locked`](OutboxError::Locked);
/// [`close`](Self::close) first waits for the queue to drain, and returns
/// once the database is closed.
pub struct Outbox {
    shared: Arc<Shared>,
    commands: mpsc::UnboundedSender<store::Command>,
    control: mpsc::UnboundedSender<sender::Control>,
    memory: Arc<Semaphore>,
    settings: OutboxConfig,
    service: &'static OutboxService,
    sender: Option<tokio::task::JoinHandle<()>>,
    store: Option<std::thread::JoinHandle<()>>,
    path: PathBuf,
}

impl fmt::Debug for Outbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let counts = *self.shared.counts.borrow();
        f.debug_struct("Outbox")
            .field("path", &self.path)
            .field("service", &self.service.name)
            .field("pending", &counts.pending)
            .field("failed", &counts.failed)
            .finish_non_exhaustive()
    }
}

impl Outbox {
    /// Opens (or creates) the outbox at `path` for a client of `service`
    /// and starts its sender on the current tokio runtime. Generated
    /// clients call this from `Client::outbox`.
    ///
    /// Fails with [`OutboxError::Locked`] when another outbox (in this
    /// process or another) has the file open, and with
    /// [`OutboxError::WrongService`] when it holds another service's calls.
    #[doc(hidden)]
    pub async fn open(
        path: impl AsRef<Path>,
        settings: OutboxConfig,
        client: Arc<Config>,
        service: &'static OutboxService,
    ) -> Result<Outbox, OutboxError> {
        let path = path.as_ref().to_owned();
        let opened = {
            let (path, durability, max_file_bytes) =
                (path.clone(), settings.durability, settings.max_file_bytes);
            tokio::task::spawn_blocking(move || {
                store::open(&path, service.name, durability, max_file_bytes)
            })
            .await
            .map_err(|_| OutboxError::Closed)??
        };
        let (counts, _) = watch::channel(Counts {
            pending: opened.pending,
            failed: opened.failed,
        });
        let shared = Arc::new(Shared {
            usage: Mutex::new(Usage {
                records: opened.pending + opened.failed,
                bytes: opened.bytes,
            }),
            space: Notify::new(),
            new_records: Notify::new(),
            counts,
            delivered: AtomicU64::new(0),
        });
        let (commands, receiver) = mpsc::unbounded_channel();
        let store = {
            let shared = shared.clone();
            let (conn, durability) = (opened.conn, settings.durability);
            std::thread::Builder::new()
                .name("tinsmith-outbox".into())
                .spawn(move || store::run(conn, shared, durability, receiver))
                .map_err(|e| OutboxError::Storage(StorageError::message(e.to_string())))?
        };
        let (control, control_receiver) = mpsc::unbounded_channel();
        let stopped = match settings.on_failure {
            OnFailure::StopKey => opened.failed_keys,
            OnFailure::Skip => Vec::new(),
        };
        let sender = tokio::spawn(
            sender::Sender::new(
                shared.clone(),
                commands.clone(),
                control_receiver,
                client,
                service,
                settings.clone(),
                stopped,
            )
            .run(),
        );
        tracing::debug!(
            path = %path.display(),
            pending = opened.pending,
            failed = opened.failed,
            "outbox opened"
        );
        Ok(Outbox {
            memory: Arc::new(Semaphore::new(settings.max_buffered_bytes)),
            shared,
            commands,
            control,
            settings,
            service,
            sender: Some(sender),
            store: Some(store),
            path,
        })
    }

    /// Commits a request to be sent in the background, in commit order
    /// with every other record without a key; returns once it is on disk.
    ///
    /// Errors: [`OutboxError::Construction`] when the request cannot be
    /// built (a missing required member), [`OutboxError::Full`] when a
    /// bound is reached and the outbox fails fast, [`OutboxError::TooLarge`]
    /// when the record alone exceeds a bound, [`OutboxError::DiskFull`]
    /// when the disk is full.
    pub async fn enqueue<R: Enqueue>(&self, request: R) -> Result<RecordId, OutboxError> {
        self.enqueue_keyed("", request).await
    }

    /// Like [`enqueue`](Self::enqueue), under an ordering key: records of
    /// one key are sent in commit order, one at a time; records of other
    /// keys do not wait for them. The empty key is the key of
    /// [`enqueue`](Self::enqueue).
    pub async fn enqueue_keyed<R: Enqueue>(
        &self,
        key: impl Into<String>,
        request: R,
    ) -> Result<RecordId, OutboxError> {
        let key = key.into();
        let request = request.outbox_request().map_err(|e| match e {
            SdkError::Construction(e) => OutboxError::Construction(e),
            _ => {
                OutboxError::Construction(ConstructionError::new("the request could not be built"))
            }
        })?;
        if request.service != self.service.name
            || self.service.operation(request.operation).is_none()
        {
            return Err(OutboxError::WrongService {
                stored: self.service.name.to_owned(),
                client: request.service.to_owned(),
            });
        }
        let encoded = request.request.encode();
        let size =
            (encoded.len() + request.body.len() + key.len() + request.operation.len()) as u64;
        let limit = self
            .settings
            .max_bytes
            .min(self.settings.max_buffered_bytes as u64);
        if size > limit {
            return Err(OutboxError::TooLarge { size, limit });
        }
        let reservation = self.reserve(size).await?;
        let permits = size.max(1) as u32;
        let permit = match self.settings.when_full {
            WhenFull::Wait => self
                .memory
                .clone()
                .acquire_many_owned(permits)
                .await
                .map_err(|_| OutboxError::Closed)?,
            WhenFull::Fail => self
                .memory
                .clone()
                .try_acquire_many_owned(permits)
                .map_err(|_| {
                    let usage = *self.shared.usage.lock().expect("never poisoned");
                    OutboxError::Full {
                        records: usage.records,
                        bytes: usage.bytes,
                    }
                })?,
        };
        let (reply, answer) = oneshot::channel();
        let record = store::NewRecord {
            key,
            operation: request.operation,
            request: encoded,
            body: request.body,
            size,
            reservation,
            permit,
        };
        self.commands
            .send(store::Command::Insert(record, reply))
            .map_err(|_| OutboxError::Closed)?;
        answer.await.map_err(|_| OutboxError::Closed)?
    }

    /// Counts a record of `size` bytes against the disk bounds, waiting for
    /// space (or failing, per [`WhenFull`]).
    async fn reserve(&self, size: u64) -> Result<store::Reservation, OutboxError> {
        loop {
            let space = self.shared.space.notified();
            tokio::pin!(space);
            space.as_mut().enable();
            {
                let mut usage = self.shared.usage.lock().expect("never poisoned");
                if usage.records < self.settings.max_records
                    && usage.bytes + size <= self.settings.max_bytes
                {
                    usage.records += 1;
                    usage.bytes += size;
                    return Ok(store::Reservation::new(self.shared.clone(), size));
                }
                if self.settings.when_full == WhenFull::Fail {
                    return Err(OutboxError::Full {
                        records: usage.records,
                        bytes: usage.bytes,
                    });
                }
            }
            space.await;
        }
    }

    /// Waits until every pending record was delivered (or marked failed),
    /// or `timeout` passed; reports what is left either way.
    pub async fn flush(&self, timeout: Duration) -> FlushReport {
        let mut counts = self.shared.counts.subscribe();
        let _ = tokio::time::timeout(timeout, counts.wait_for(|c| c.pending == 0)).await;
        let counts = *self.shared.counts.borrow();
        FlushReport {
            pending: counts.pending,
            failed: counts.failed,
        }
    }

    /// [`flush`](Self::flush)es, then stops the sender and closes the
    /// database. What is left stays on disk for the next open.
    pub async fn close(mut self, timeout: Duration) -> FlushReport {
        let report = self.flush(timeout).await;
        let _ = self.control.send(sender::Control::Stop);
        if let Some(sender) = self.sender.take() {
            let _ = sender.await;
        }
        let store = self.store.take();
        // The store thread ends once every command sender is gone.
        drop(self);
        if let Some(store) = store {
            let _ = tokio::task::spawn_blocking(move || store.join()).await;
        }
        report
    }

    /// The counts and ages of the records.
    pub async fn stats(&self) -> Result<OutboxStats, OutboxError> {
        let (reply, answer) = oneshot::channel();
        self.command(store::Command::Oldest { reply })?;
        let oldest = answer.await.map_err(|_| OutboxError::Closed)??;
        let counts = *self.shared.counts.borrow();
        let usage = *self.shared.usage.lock().expect("never poisoned");
        Ok(OutboxStats {
            pending: counts.pending,
            failed: counts.failed,
            bytes: usage.bytes,
            delivered: self
                .shared
                .delivered
                .load(std::sync::atomic::Ordering::Relaxed),
            oldest_pending: oldest.map(|t| t.elapsed().unwrap_or_default()),
        })
    }

    /// Pending records (waiting or being sent), oldest first, at most `limit`.
    pub async fn pending(&self, limit: usize) -> Result<Vec<RecordInfo>, OutboxError> {
        self.list(false, limit).await
    }

    /// Failed records, oldest first, at most `limit`, each with its error.
    pub async fn failed(&self, limit: usize) -> Result<Vec<RecordInfo>, OutboxError> {
        self.list(true, limit).await
    }

    async fn list(&self, failed: bool, limit: usize) -> Result<Vec<RecordInfo>, OutboxError> {
        let (reply, answer) = oneshot::channel();
        self.command(store::Command::List {
            failed,
            limit,
            reply,
        })?;
        answer.await.map_err(|_| OutboxError::Closed)?
    }

    /// Makes a failed record pending again: it is sent next among its
    /// key's records, and a key it stopped resumes.
    pub async fn retry(&self, id: RecordId) -> Result<(), OutboxError> {
        let (reply, answer) = oneshot::channel();
        self.command(store::Command::Retry { id, reply })?;
        let (key, failed) = answer.await.map_err(|_| OutboxError::Closed)??;
        let _ = self.control.send(sender::Control::Reload { key, failed });
        Ok(())
    }

    /// Deletes a record, failed or pending, without sending it; a key it
    /// stopped resumes. A pending record already being sent may still
    /// arrive.
    pub async fn discard(&self, id: RecordId) -> Result<(), OutboxError> {
        let (reply, answer) = oneshot::channel();
        self.command(store::Command::Discard { id, reply })?;
        let (key, failed) = answer.await.map_err(|_| OutboxError::Closed)??;
        let _ = self
            .control
            .send(sender::Control::Discarded { id, key, failed });
        Ok(())
    }

    fn command(&self, command: store::Command) -> Result<(), OutboxError> {
        self.commands.send(command).map_err(|_| OutboxError::Closed)
    }
}

impl Drop for Outbox {
    fn drop(&mut self) {
        if let Some(sender) = self.sender.take() {
            sender.abort();
        }
    }
}

/// How an outbox behaves. Start from [`OutboxConfig::default`]:
///
/// ```
/// use std::time::Duration;
/// use tinsmith_runtime::outbox::{OutboxConfig, WhenFull};
///
/// let config = OutboxConfig::default()
///     .with_max_records(100_000)
///     .with_max_bytes(64 << 20)
///     .with_when_full(WhenFull::Fail)
///     .with_retry_interval(Duration::from_millis(100), Duration::from_secs(30));
/// ```
#[derive(Debug, Clone)]
pub struct OutboxConfig {
    max_records: u64,
    max_bytes: u64,
    max_buffered_bytes: usize,
    max_file_bytes: Option<u64>,
    when_full: WhenFull,
    on_failure: OnFailure,
    durability: Durability,
    max_in_flight: usize,
    prefetch: usize,
    retry_interval: (Duration, Duration),
    metrics_interval: Duration,
}

impl Default for OutboxConfig {
    /// One million records, 1 GiB on disk, 16 MiB waiting in memory; wait
    /// when full; a failed record stops its key; `fsync` on every commit;
    /// four sends at once (across keys); pauses of 200 ms growing to 30 s;
    /// metrics every minute.
    fn default() -> Self {
        OutboxConfig {
            max_records: 1_000_000,
            max_bytes: 1 << 30,
            max_buffered_bytes: 16 << 20,
            max_file_bytes: None,
            when_full: WhenFull::Wait,
            on_failure: OnFailure::StopKey,
            durability: Durability::Full,
            max_in_flight: 4,
            prefetch: 256,
            retry_interval: (Duration::from_millis(200), Duration::from_secs(30)),
            metrics_interval: Duration::from_secs(60),
        }
    }
}

impl OutboxConfig {
    /// The most records kept (pending and failed).
    pub fn with_max_records(mut self, records: u64) -> Self {
        self.max_records = records.max(1);
        self
    }

    /// The most bytes of records kept (pending and failed; a record's size
    /// is its request, body and key).
    pub fn with_max_bytes(mut self, bytes: u64) -> Self {
        self.max_bytes = bytes.max(1);
        self
    }

    /// The most bytes of records held in memory waiting for their commit
    /// (an enqueue waits, or fails fast, beyond it); the sender reads ahead
    /// at most half as much again.
    pub fn with_max_buffered_bytes(mut self, bytes: usize) -> Self {
        self.max_buffered_bytes = bytes.clamp(1, u32::MAX as usize);
        self
    }

    /// A hard limit on the database file's size (SQLite's
    /// `max_page_count`): an enqueue that would grow it further fails with
    /// [`OutboxError::DiskFull`], as on a full disk. `None` (the default)
    /// leaves the size to the bounds above and the disk.
    pub fn with_max_file_bytes(mut self, bytes: Option<u64>) -> Self {
        self.max_file_bytes = bytes;
        self
    }

    /// What `enqueue` does when a bound is reached.
    pub fn with_when_full(mut self, when_full: WhenFull) -> Self {
        self.when_full = when_full;
        self
    }

    /// What a failed record does to the records after it.
    pub fn with_on_failure(mut self, on_failure: OnFailure) -> Self {
        self.on_failure = on_failure;
        self
    }

    /// How hard a commit holds.
    pub fn with_durability(mut self, durability: Durability) -> Self {
        self.durability = durability;
        self
    }

    /// The most records sent at once, each of a different key (records of
    /// one key are always sent one at a time).
    pub fn with_max_in_flight(mut self, sends: usize) -> Self {
        self.max_in_flight = sends.max(1);
        self
    }

    /// The pause after a send that failed for a reason that may pass: from
    /// `first`, doubling per failure in a row, up to `max` (each with
    /// jitter). An open circuit breaker's own wait takes precedence.
    pub fn with_retry_interval(mut self, first: Duration, max: Duration) -> Self {
        self.retry_interval = (first, max.max(first));
        self
    }

    /// How often the counts and ages are reported as a tracing event (at
    /// `info`, target `tinsmith_runtime::outbox`).
    pub fn with_metrics_interval(mut self, interval: Duration) -> Self {
        self.metrics_interval = interval.max(Duration::from_millis(10));
        self
    }
}

/// What `enqueue` does when a bound is reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhenFull {
    /// Wait until delivered (or discarded) records make room.
    Wait,
    /// Fail at once with [`OutboxError::Full`].
    Fail,
}

/// What a failed record does to the records enqueued after it under the
/// same key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnFailure {
    /// They wait until the failed record is retried or discarded, so no
    /// record overtakes one before it.
    StopKey,
    /// They go on; the failed record waits for inspection.
    Skip,
}

/// How hard a commit holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// Synced to disk on every commit: survives a power loss.
    Full,
    /// Synced at checkpoints: survives the process dying (a crash, `kill
    /// -9`) but a power loss may lose the last commits. Faster.
    Normal,
}

/// A record's id: its place in commit order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RecordId(i64);

impl RecordId {
    /// The id as a number.
    pub fn get(self) -> i64 {
        self.0
    }
}

impl fmt::Display for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A record, as inspection shows it (never its content).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RecordInfo {
    /// Its id.
    pub id: RecordId,
    /// Its ordering key, if it has one.
    pub key: Option<String>,
    /// The operation it calls.
    pub operation: String,
    /// When it was enqueued.
    pub enqueued_at: SystemTime,
    /// Sends so far (each may have made several attempts, per the client's
    /// retry configuration).
    pub attempts: u32,
    /// Its size in bytes.
    pub size: u64,
    /// Why it failed, for a failed record.
    pub failure: Option<RecordFailure>,
}

/// Why a record failed: the service's error status, or the client's reason.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RecordFailure {
    /// The error code.
    pub code: Option<String>,
    /// The error message.
    pub message: Option<String>,
    /// The HTTP status.
    pub http_status: Option<u16>,
    /// The service's request id.
    pub request_id: Option<String>,
    /// The whole error, as text.
    pub description: String,
    /// When it failed.
    pub failed_at: SystemTime,
}

impl RecordFailure {
    fn encode(&self) -> String {
        serde_json::json!({
            "code": self.code,
            "message": self.message,
            "http_status": self.http_status,
            "request_id": self.request_id,
            "description": self.description,
            "failed_at": store::millis(self.failed_at),
        })
        .to_string()
    }

    fn decode(text: &str) -> Option<RecordFailure> {
        let json: serde_json::Value = serde_json::from_str(text).ok()?;
        let text = |name: &str| json.get(name).and_then(|v| v.as_str()).map(str::to_owned);
        Some(RecordFailure {
            code: text("code"),
            message: text("message"),
            http_status: json
                .get("http_status")
                .and_then(|v| v.as_u64())
                .and_then(|s| u16::try_from(s).ok()),
            request_id: text("request_id"),
            description: text("description")?,
            failed_at: store::from_millis(json.get("failed_at")?.as_i64()?),
        })
    }
}

/// The counts and ages of an outbox's records.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct OutboxStats {
    /// Records waiting or being sent.
    pub pending: u64,
    /// Records that failed.
    pub failed: u64,
    /// Bytes of records kept.
    pub bytes: u64,
    /// Records delivered since the outbox was opened.
    pub delivered: u64,
    /// How long the oldest pending record has waited.
    pub oldest_pending: Option<Duration>,
}

/// What a [`flush`](Outbox::flush) left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct FlushReport {
    /// Records still pending (the timeout passed first, or their key is
    /// stopped by a failed record).
    pub pending: u64,
    /// Records that failed.
    pub failed: u64,
}

impl FlushReport {
    /// True when nothing is pending.
    pub fn is_drained(&self) -> bool {
        self.pending == 0
    }
}

/// Why an outbox operation failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum OutboxError {
    /// The request could not be built; nothing was stored.
    Construction(ConstructionError),
    /// A bound is reached and the outbox fails fast ([`WhenFull::Fail`]);
    /// nothing was stored.
    Full {
        /// Records kept (and being committed).
        records: u64,
        /// Their bytes.
        bytes: u64,
    },
    /// The record alone exceeds a bound (`max_bytes` or
    /// `max_buffered_bytes`); nothing was stored.
    TooLarge {
        /// The record's size.
        size: u64,
        /// The bound.
        limit: u64,
    },
    /// The disk, or the database's size limit, is full; nothing was
    /// stored for this call, and every record committed before is intact.
    DiskFull,
    /// Another outbox has this database open.
    Locked,
    /// The database holds another service's calls, or the request is not
    /// one of this outbox's service.
    WrongService {
        /// The outbox's service.
        stored: String,
        /// The other service.
        client: String,
    },
    /// No record with this id (in the state the call expects).
    NoSuchRecord(RecordId),
    /// The database failed.
    Storage(StorageError),
    /// The outbox was closed.
    Closed,
}

impl fmt::Display for OutboxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OutboxError::Construction(e) => write!(f, "outbox: {e}"),
            OutboxError::Full { records, bytes } => write!(
                f,
                "outbox: full ({records} records, {bytes} bytes); nothing was stored"
            ),
            OutboxError::TooLarge { size, limit } => write!(
                f,
                "outbox: a record of {size} bytes exceeds the bound of {limit} bytes"
            ),
            OutboxError::DiskFull => f.write_str(
                "outbox: the disk (or the database's size limit) is full; nothing was stored",
            ),
            OutboxError::Locked => f.write_str("outbox: the database is open in another outbox"),
            OutboxError::WrongService { stored, client } => {
                write!(f, "outbox: it holds calls of {stored}, not of {client}")
            }
            OutboxError::NoSuchRecord(id) => write!(f, "outbox: no record {id}"),
            OutboxError::Storage(e) => write!(f, "outbox: {e}"),
            OutboxError::Closed => f.write_str("outbox: closed"),
        }
    }
}

impl std::error::Error for OutboxError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            OutboxError::Construction(e) => Some(e),
            OutboxError::Storage(e) => Some(e),
            _ => None,
        }
    }
}

/// The database failed (other than a full disk).
#[derive(Debug)]
pub struct StorageError {
    message: String,
    source: Option<rusqlite::Error>,
}

impl StorageError {
    fn sqlite(error: rusqlite::Error) -> Self {
        StorageError {
            message: "the database failed".into(),
            source: Some(error),
        }
    }

    fn message(message: String) -> Self {
        StorageError {
            message,
            source: None,
        }
    }
}

impl fmt::Display for StorageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(source) = &self.source {
            write!(f, ": {source}")?;
        }
        Ok(())
    }
}

impl std::error::Error for StorageError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_ref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// What the outbox's parts share.
struct Shared {
    /// Records and bytes counted against the disk bounds: committed, and
    /// being committed.
    usage: Mutex<Usage>,
    /// Signalled when records leave (room for waiting enqueues).
    space: Notify,
    /// Signalled when records are committed (work for the sender).
    new_records: Notify,
    /// Pending and failed records on disk.
    counts: watch::Sender<Counts>,
    /// Records delivered since the outbox was opened.
    delivered: AtomicU64,
}

impl Shared {
    fn release(&self, records: u64, bytes: u64) {
        {
            let mut usage = self.usage.lock().expect("never poisoned");
            usage.records = usage.records.saturating_sub(records);
            usage.bytes = usage.bytes.saturating_sub(bytes);
        }
        self.space.notify_waiters();
    }
}

#[derive(Debug, Clone, Copy)]
struct Usage {
    records: u64,
    bytes: u64,
}

#[derive(Debug, Clone, Copy)]
struct Counts {
    pending: u64,
    failed: u64,
}
