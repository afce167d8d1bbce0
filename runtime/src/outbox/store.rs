//! The outbox's SQLite database, owned by one thread.
//!
//! Every read and write goes through this thread as a [`Command`], so the
//! connection has one owner and writes can be committed in groups: the
//! thread takes every command that is waiting, applies the writes in one
//! transaction (one `fsync` for a burst of enqueues), then answers the
//! reads. A group whose transaction fails (a full disk) is applied again
//! one write at a time, so one record that does not fit fails alone. A
//! delivery or failure that cannot be written is kept and written with the
//! next group, so the database catches up with what the sender did.
//!
//! Architecture invariant: a record's insert is committed before its
//! `enqueue` returns, and a record is deleted only after the service
//! accepted it. Everything in between is kept on disk, so a crash at any
//! point loses nothing committed; a record that was being sent is sent
//! again after a restart.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use rusqlite::{Connection, ErrorCode, OptionalExtension, TransactionBehavior, params};
use tokio::sync::{OwnedSemaphorePermit, mpsc, oneshot};

use super::{Durability, OutboxError, RecordFailure, RecordId, RecordInfo, Shared, StorageError};

/// The database format this version writes (`outbox_meta.format`).
const FORMAT: &str = "1";

/// The most commands applied in one group.
const GROUP: usize = 1024;

/// A request to the store thread.
pub(super) enum Command {
    /// Commit a new record.
    Insert(NewRecord, oneshot::Sender<Result<RecordId, OutboxError>>),
    /// The service accepted the record: delete it.
    Delivered(RecordId),
    /// A send failed for a reason that may pass: remember the attempts.
    Attempted { id: RecordId, attempts: u32 },
    /// The service refused the record: keep it as failed.
    Failed {
        id: RecordId,
        attempts: u32,
        failure: RecordFailure,
    },
    /// Pending records in commit order: after `after`, up to `upto` when
    /// given, of one key when given.
    Fetch {
        after: i64,
        upto: Option<i64>,
        key: Option<String>,
        limit: usize,
        max_bytes: usize,
        reply: oneshot::Sender<Result<Vec<Record>, OutboxError>>,
    },
    /// Pending or failed records, oldest first.
    List {
        failed: bool,
        limit: usize,
        reply: oneshot::Sender<Result<Vec<RecordInfo>, OutboxError>>,
    },
    /// Make a failed record pending again.
    Retry {
        id: RecordId,
        reply: oneshot::Sender<Result<Settled, OutboxError>>,
    },
    /// Delete a pending or failed record.
    Discard {
        id: RecordId,
        reply: oneshot::Sender<Result<Settled, OutboxError>>,
    },
    /// The enqueue time of the oldest pending record.
    Oldest {
        reply: oneshot::Sender<Result<Option<SystemTime>, OutboxError>>,
    },
}

/// A retried or discarded record's key, and the oldest record of the key
/// still failed.
pub(super) type Settled = (String, Option<RecordId>);

/// A record on its way in.
pub(super) struct NewRecord {
    pub key: String,
    pub operation: &'static str,
    pub request: String,
    pub body: Bytes,
    pub size: u64,
    /// Its share of the disk bounds, given back if the insert fails.
    pub reservation: Reservation,
    /// Its share of the memory bound, given back once it is on disk.
    pub permit: OwnedSemaphorePermit,
}

/// A pending record, as the sender reads it.
#[derive(Debug, Clone)]
pub(super) struct Record {
    pub id: RecordId,
    pub key: String,
    pub operation: String,
    pub request: String,
    pub body: Bytes,
    pub attempts: u32,
    pub size: u64,
}

/// Records and bytes counted against the disk bounds for one record not
/// yet committed; released on drop unless committed.
pub(super) struct Reservation {
    shared: Arc<Shared>,
    size: u64,
    committed: bool,
}

impl Reservation {
    pub fn new(shared: Arc<Shared>, size: u64) -> Self {
        Reservation {
            shared,
            size,
            committed: false,
        }
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        if !self.committed {
            self.shared.release(1, self.size);
        }
    }
}

/// What the database holds when it is opened.
pub(super) struct Opened {
    pub conn: Connection,
    pub pending: u64,
    pub failed: u64,
    pub bytes: u64,
    /// Keys with a failed record, and their oldest failed record.
    pub failed_keys: Vec<(String, RecordId)>,
}

/// Opens (creating if needed) the database at `path` for `service`.
pub(super) fn open(
    path: &Path,
    service: &str,
    durability: Durability,
    max_file_bytes: Option<u64>,
) -> Result<Opened, OutboxError> {
    let conn = Connection::open(path).map_err(storage)?;
    // No waiting for another owner: an outbox has one sender.
    conn.busy_timeout(Duration::ZERO).map_err(storage)?;
    // Exclusive locking before the first access to the WAL: the lock is
    // held until the connection closes (or the process dies), and no
    // shared-memory file is needed.
    conn.pragma_update(None, "locking_mode", "EXCLUSIVE")
        .map_err(storage)?;
    let mode: String = conn
        .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
        .map_err(locked)?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(OutboxError::Storage(StorageError::message(format!(
            "the database refused write-ahead logging (journal mode {mode})"
        ))));
    }
    let synchronous = match durability {
        Durability::Full => "FULL",
        Durability::Normal => "NORMAL",
    };
    conn.pragma_update(None, "synchronous", synchronous)
        .map_err(storage)?;
    if let Some(limit) = max_file_bytes {
        let page_size: i64 = conn
            .pragma_query_value(None, "page_size", |row| row.get(0))
            .map_err(storage)?;
        let pages = (limit / page_size.max(1) as u64).clamp(1, i64::MAX as u64) as i64;
        conn.pragma_update(None, "max_page_count", pages)
            .map_err(storage)?;
    }
    let tx = conn.unchecked_transaction().map_err(locked)?;
    tx.execute_batch(
        "CREATE TABLE IF NOT EXISTS outbox_meta (
             name TEXT PRIMARY KEY,
             value TEXT NOT NULL
         );
         CREATE TABLE IF NOT EXISTS outbox_records (
             id INTEGER PRIMARY KEY AUTOINCREMENT,
             key TEXT NOT NULL,
             operation TEXT NOT NULL,
             enqueued_at INTEGER NOT NULL,
             request TEXT NOT NULL,
             body BLOB NOT NULL,
             size INTEGER NOT NULL,
             failed INTEGER NOT NULL DEFAULT 0,
             attempts INTEGER NOT NULL DEFAULT 0,
             failure TEXT
         );
         CREATE INDEX IF NOT EXISTS outbox_pending_by_key
             ON outbox_records (key, id) WHERE failed = 0;",
    )
    .map_err(locked)?;
    let meta = |name: &str| -> Result<Option<String>, OutboxError> {
        tx.query_row(
            "SELECT value FROM outbox_meta WHERE name = ?1",
            [name],
            |row| row.get(0),
        )
        .optional()
        .map_err(storage)
    };
    match meta("format")? {
        None => {}
        Some(format) if format == FORMAT => {}
        Some(format) => {
            return Err(OutboxError::Storage(StorageError::message(format!(
                "the outbox was written in format {format}, which this version does not read"
            ))));
        }
    }
    match meta("service")? {
        Some(owner) if owner != service => {
            return Err(OutboxError::WrongService {
                stored: owner,
                client: service.to_owned(),
            });
        }
        _ => {}
    }
    tx.execute(
        "INSERT OR REPLACE INTO outbox_meta (name, value) VALUES ('format', ?1), ('service', ?2)",
        params![FORMAT, service],
    )
    .map_err(storage)?;
    let (pending, failed, bytes): (i64, i64, i64) = tx
        .query_row(
            "SELECT COALESCE(SUM(failed = 0), 0), COALESCE(SUM(failed = 1), 0), COALESCE(SUM(size), 0)
             FROM outbox_records",
            [],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .map_err(storage)?;
    let failed_keys = {
        let mut statement = tx
            .prepare("SELECT key, MIN(id) FROM outbox_records WHERE failed = 1 GROUP BY key")
            .map_err(storage)?;
        statement
            .query_map([], |row| Ok((row.get(0)?, RecordId(row.get(1)?))))
            .map_err(storage)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(storage)?
    };
    tx.commit().map_err(locked)?;
    Ok(Opened {
        conn,
        pending: pending as u64,
        failed: failed as u64,
        bytes: bytes as u64,
        failed_keys,
    })
}

/// The store thread: applies commands until every sender is gone.
pub(super) fn run(
    conn: Connection,
    shared: Arc<Shared>,
    durability: Durability,
    mut commands: mpsc::UnboundedReceiver<Command>,
) {
    let synchronous = match durability {
        Durability::Full => "FULL",
        Durability::Normal => "NORMAL",
    };
    let mut store = Store {
        conn,
        shared,
        durability,
        synchronous,
        deferred: Vec::new(),
    };
    while let Some(first) = commands.blocking_recv() {
        let mut group = vec![first];
        while group.len() < GROUP {
            match commands.try_recv() {
                Ok(command) => group.push(command),
                Err(_) => break,
            }
        }
        store.apply(group);
    }
}

struct Store {
    conn: Connection,
    shared: Arc<Shared>,
    durability: Durability,
    /// The connection's current `synchronous` setting.
    synchronous: &'static str,
    /// Deliveries, attempts and failures whose write was refused, written
    /// again with the next group.
    deferred: Vec<Write>,
}

/// A write of a group.
enum Write {
    Insert(NewRecord, oneshot::Sender<Result<RecordId, OutboxError>>),
    Delivered(RecordId),
    Attempted(RecordId, u32),
    Failed(RecordId, u32, RecordFailure),
}

/// What a write changed, applied to the counts once it is committed.
#[derive(Default)]
struct Change {
    inserted: Vec<RecordId>,
    /// The sizes of the delivered records deleted.
    deleted: Vec<u64>,
    failed: u64,
}

impl Store {
    fn apply(&mut self, group: Vec<Command>) {
        let mut writes = std::mem::take(&mut self.deferred);
        let mut reads = Vec::new();
        for command in group {
            match command {
                Command::Insert(record, reply) => writes.push(Write::Insert(record, reply)),
                Command::Delivered(id) => writes.push(Write::Delivered(id)),
                Command::Attempted { id, attempts } => writes.push(Write::Attempted(id, attempts)),
                Command::Failed {
                    id,
                    attempts,
                    failure,
                } => writes.push(Write::Failed(id, attempts, failure)),
                read => reads.push(read),
            }
        }
        if !writes.is_empty() {
            self.write_group(writes);
        }
        for read in reads {
            self.read(read);
        }
    }

    /// Applies writes in one transaction; if it fails, one at a time.
    fn write_group(&mut self, writes: Vec<Write>) {
        // Only inserts need their commit on disk before anyone hears of it:
        // a lost deletion or attempt count after a power loss means a
        // record sent again, which the outbox allows anyway. Such groups
        // are committed without a sync of their own; the next insert's
        // sync carries them.
        let inserts = writes.iter().any(|w| matches!(w, Write::Insert(..)));
        let synchronous = match (inserts, self.durability) {
            (true, Durability::Full) => "FULL",
            _ => "NORMAL",
        };
        if self.synchronous != synchronous {
            match self.conn.pragma_update(None, "synchronous", synchronous) {
                Ok(()) => self.synchronous = synchronous,
                Err(e) => tracing::error!(error = %e, "outbox: setting the sync level failed"),
            }
        }
        let outcome = (|| {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut change = Change::default();
            for write in &writes {
                write_one(&tx, write, &mut change)?;
            }
            tx.commit()?;
            Ok::<_, rusqlite::Error>(change)
        })();
        match outcome {
            Ok(change) => self.settle(writes, change),
            Err(e) if writes.len() == 1 => self.refuse(writes, &e),
            Err(_) => {
                for write in writes {
                    self.write_group(vec![write]);
                }
            }
        }
    }

    /// After a commit: counts, bounds, and the enqueuers' answers — in that
    /// order, so an enqueuer that heard back (and then flushes) sees its
    /// record counted.
    fn settle(&mut self, writes: Vec<Write>, change: Change) {
        let new_records = change.inserted.len() as u64;
        let delivered = change.deleted.len() as u64;
        if delivered > 0 {
            self.shared.release(delivered, change.deleted.iter().sum());
            self.shared
                .delivered
                .fetch_add(delivered, std::sync::atomic::Ordering::Relaxed);
        }
        self.shared.counts.send_modify(|c| {
            c.pending = c.pending + new_records - delivered - change.failed;
            c.failed += change.failed;
        });
        let mut inserted = change.inserted.into_iter();
        for write in writes {
            if let Write::Insert(mut record, reply) = write {
                record.reservation.committed = true;
                drop(record.permit);
                let id = inserted.next().expect("one id per insert");
                let _ = reply.send(Ok(id));
            }
        }
        if new_records > 0 {
            self.shared.new_records.notify_one();
        }
    }

    /// A lone write that failed: its enqueuer hears why; other writes are
    /// logged (they are repeated or resent later).
    fn refuse(&mut self, writes: Vec<Write>, error: &rusqlite::Error) {
        for write in writes {
            match write {
                Write::Insert(record, reply) => {
                    drop(record);
                    let _ = reply.send(Err(refusal(error)));
                }
                Write::Delivered(RecordId(id))
                | Write::Attempted(RecordId(id), _)
                | Write::Failed(RecordId(id), _, _) => {
                    tracing::error!(id, error = %error, "outbox: recording a send's outcome failed; trying again with the next write");
                    self.deferred.push(write);
                }
            }
        }
    }

    fn read(&mut self, command: Command) {
        match command {
            Command::Fetch {
                after,
                upto,
                key,
                limit,
                max_bytes,
                reply,
            } => {
                let _ = reply.send(
                    self.fetch(after, upto, key.as_deref(), limit, max_bytes)
                        .map_err(storage),
                );
            }
            Command::List {
                failed,
                limit,
                reply,
            } => {
                let _ = reply.send(self.list(failed, limit).map_err(storage));
            }
            Command::Retry { id, reply } => {
                let _ = reply.send(self.retry(id));
            }
            Command::Discard { id, reply } => {
                let _ = reply.send(self.discard(id));
            }
            Command::Oldest { reply } => {
                let oldest = self
                    .conn
                    .query_row(
                        "SELECT MIN(enqueued_at) FROM outbox_records WHERE failed = 0",
                        [],
                        |row| row.get::<_, Option<i64>>(0),
                    )
                    .map(|ms| ms.map(from_millis))
                    .map_err(storage);
                let _ = reply.send(oldest);
            }
            Command::Insert(..)
            | Command::Delivered(_)
            | Command::Attempted { .. }
            | Command::Failed { .. } => unreachable!("writes are applied in groups"),
        }
    }

    fn oldest_failed(&self, key: &str) -> rusqlite::Result<Option<RecordId>> {
        self.conn
            .prepare_cached("SELECT MIN(id) FROM outbox_records WHERE key = ?1 AND failed = 1")?
            .query_row([key], |row| row.get::<_, Option<i64>>(0))
            .map(|id| id.map(RecordId))
    }

    fn fetch(
        &self,
        after: i64,
        upto: Option<i64>,
        key: Option<&str>,
        limit: usize,
        max_bytes: usize,
    ) -> rusqlite::Result<Vec<Record>> {
        // One statement per shape, so a key's read-back uses its index.
        let mut statement = match key {
            None => self.conn.prepare_cached(
                "SELECT id, key, operation, request, body, attempts, size FROM outbox_records
                 WHERE failed = 0 AND id > ?1 AND id <= ?2
                 ORDER BY id LIMIT ?3",
            )?,
            Some(_) => self.conn.prepare_cached(
                "SELECT id, key, operation, request, body, attempts, size FROM outbox_records
                 WHERE failed = 0 AND key = ?4 AND id > ?1 AND id <= ?2
                 ORDER BY id LIMIT ?3",
            )?,
        };
        let row = |row: &rusqlite::Row<'_>| {
            Ok(Record {
                id: RecordId(row.get(0)?),
                key: row.get(1)?,
                operation: row.get(2)?,
                request: row.get(3)?,
                body: Bytes::from(row.get::<_, Vec<u8>>(4)?),
                attempts: row.get(5)?,
                size: row.get::<_, i64>(6)?.max(0) as u64,
            })
        };
        let (after, upto, limit) = (after, upto.unwrap_or(i64::MAX), limit as i64);
        let rows = match key {
            None => statement.query_map(params![after, upto, limit], row)?,
            Some(key) => statement.query_map(params![after, upto, limit, key], row)?,
        };
        let mut records = Vec::new();
        let mut bytes = 0;
        for row in rows {
            let record = row?;
            bytes += record.size as usize;
            records.push(record);
            if bytes >= max_bytes {
                break;
            }
        }
        Ok(records)
    }

    fn list(&self, failed: bool, limit: usize) -> rusqlite::Result<Vec<RecordInfo>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT id, key, operation, enqueued_at, attempts, size, failure FROM outbox_records
             WHERE failed = ?1 ORDER BY id LIMIT ?2",
        )?;
        let rows = statement.query_map(params![failed as i64, limit as i64], |row| {
            let key: String = row.get(1)?;
            let failure: Option<String> = row.get(6)?;
            Ok(RecordInfo {
                id: RecordId(row.get(0)?),
                key: (!key.is_empty()).then_some(key),
                operation: row.get(2)?,
                enqueued_at: from_millis(row.get(3)?),
                attempts: row.get(4)?,
                size: row.get::<_, i64>(5)?.max(0) as u64,
                failure: failure.as_deref().and_then(RecordFailure::decode),
            })
        })?;
        rows.collect()
    }

    fn retry(&mut self, id: RecordId) -> Result<Settled, OutboxError> {
        let key: Option<String> = self
            .conn
            .query_row(
                "UPDATE outbox_records SET failed = 0, failure = NULL WHERE id = ?1 AND failed = 1
                 RETURNING key",
                [id.0],
                |row| row.get(0),
            )
            .optional()
            .map_err(storage)?;
        let key = key.ok_or(OutboxError::NoSuchRecord(id))?;
        self.shared.counts.send_modify(|c| {
            c.failed -= 1;
            c.pending += 1;
        });
        let failed = self.oldest_failed(&key).map_err(storage)?;
        Ok((key, failed))
    }

    fn discard(&mut self, id: RecordId) -> Result<Settled, OutboxError> {
        let row: Option<(String, i64, bool)> = self
            .conn
            .query_row(
                "DELETE FROM outbox_records WHERE id = ?1 RETURNING key, size, failed",
                [id.0],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
            .optional()
            .map_err(storage)?;
        let (key, size, failed) = row.ok_or(OutboxError::NoSuchRecord(id))?;
        self.shared.release(1, size.max(0) as u64);
        self.shared.counts.send_modify(|c| {
            if failed {
                c.failed -= 1;
            } else {
                c.pending -= 1;
            }
        });
        let failed = self.oldest_failed(&key).map_err(storage)?;
        Ok((key, failed))
    }
}

fn write_one(
    tx: &rusqlite::Transaction<'_>,
    write: &Write,
    change: &mut Change,
) -> rusqlite::Result<()> {
    match write {
        Write::Insert(record, _) => {
            tx.prepare_cached(
                "INSERT INTO outbox_records (key, operation, enqueued_at, request, body, size)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                record.key,
                record.operation,
                millis(SystemTime::now()),
                record.request,
                &record.body[..],
                record.size as i64,
            ])?;
            change.inserted.push(RecordId(tx.last_insert_rowid()));
        }
        Write::Delivered(id) => {
            let size: Option<i64> = tx
                .prepare_cached(
                    "DELETE FROM outbox_records WHERE id = ?1 AND failed = 0 RETURNING size",
                )?
                .query_row([id.0], |row| row.get(0))
                .optional()?;
            if let Some(size) = size {
                change.deleted.push(size.max(0) as u64);
            }
        }
        Write::Attempted(id, attempts) => {
            tx.prepare_cached("UPDATE outbox_records SET attempts = ?2 WHERE id = ?1")?
                .execute(params![id.0, attempts])?;
        }
        Write::Failed(id, attempts, failure) => {
            let changed = tx
                .prepare_cached(
                    "UPDATE outbox_records SET failed = 1, attempts = ?2, failure = ?3
                     WHERE id = ?1 AND failed = 0",
                )?
                .execute(params![id.0, attempts, failure.encode()])?;
            change.failed += changed as u64;
        }
    }
    Ok(())
}

pub(super) fn millis(time: SystemTime) -> i64 {
    time.duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

pub(super) fn from_millis(ms: i64) -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(ms.max(0) as u64)
}

/// A SQLite error as the outbox reports it: a full disk (or database size
/// limit) is its own kind.
fn storage(error: rusqlite::Error) -> OutboxError {
    match error.sqlite_error_code() {
        Some(ErrorCode::DiskFull) => OutboxError::DiskFull,
        _ => OutboxError::Storage(StorageError::sqlite(error)),
    }
}

/// Like [`storage`], but a busy database means another outbox has it open.
fn locked(error: rusqlite::Error) -> OutboxError {
    match error.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => OutboxError::Locked,
        _ => storage(error),
    }
}

/// The error each write of a refused group reports.
fn refusal(error: &rusqlite::Error) -> OutboxError {
    match error.sqlite_error_code() {
        Some(ErrorCode::DiskFull) => OutboxError::DiskFull,
        _ => OutboxError::Storage(StorageError::message(format!(
            "the database failed: {error}"
        ))),
    }
}
