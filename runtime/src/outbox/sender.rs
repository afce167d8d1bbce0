//! The outbox's sender: one task that reads pending records ahead in commit
//! order and sends them through the client's pipeline.
//!
//! Records are sorted into lanes, one per ordering key. A lane sends one
//! record at a time, oldest first; lanes run side by side up to the
//! configured number of sends. A lane pauses after a failure that may pass
//! (growing pauses, or the circuit breaker's own wait — never a spin) and
//! stops at a failed record when the configuration says so.
//!
//! Architecture invariant: a lane never sends a record while an older
//! pending record of its key is on disk but not in memory. Records are
//! read ahead through one cursor over the whole table; a lane that lost
//! track of its records (it stopped, or a failed record was made pending
//! again) ignores what that cursor brings and first reads its own key's
//! records back from the start, up to the cursor.

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use futures_util::stream::{FuturesUnordered, StreamExt as _};
use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;

use super::request::StoredRequest;
use super::store::{Command, Record};
use super::{OnFailure, OutboxConfig, OutboxService, RecordFailure, RecordId, Shared};
use crate::config::Config;
use crate::error::{ProvideErrorStatus, SdkError};
use crate::pipeline;

/// A message from the [`Outbox`](super::Outbox) to its sender.
pub(super) enum Control {
    /// A record of this key was made pending again: read the key back.
    /// `failed` is the key's oldest record still failed.
    Reload {
        key: String,
        failed: Option<RecordId>,
    },
    /// A record was discarded.
    Discarded {
        id: RecordId,
        key: String,
        failed: Option<RecordId>,
    },
    /// Stop sending.
    Stop,
}

pub(super) struct Sender {
    shared: Arc<Shared>,
    commands: mpsc::UnboundedSender<Command>,
    control: mpsc::UnboundedReceiver<Control>,
    client: Arc<Config>,
    service: &'static OutboxService,
    settings: OutboxConfig,
    lanes: HashMap<String, Lane>,
    /// The newest record read ahead through the shared cursor.
    cursor: i64,
    /// The last read-ahead found nothing more.
    exhausted: bool,
    /// Records held in lanes, and their bytes.
    buffered: (usize, usize),
    sending: FuturesUnordered<Pin<Box<dyn Future<Output = Sent> + Send>>>,
}

#[derive(Default)]
struct Lane {
    /// Pending records in commit order; the first is being sent when `busy`.
    queue: VecDeque<Record>,
    busy: bool,
    /// Stopped at this failed record.
    stopped: Option<RecordId>,
    /// Reading its own records back: every pending record of the key up to
    /// this id is in `queue`.
    reloading: Option<i64>,
    /// Paused until then.
    not_before: Option<Instant>,
    /// Failures in a row that may pass.
    failures: u32,
    /// The record being sent was discarded meanwhile.
    discarded: Option<RecordId>,
    /// A failed record of the key that stops it once every pending record
    /// before it is sent (a key can hold several failed records).
    barrier: Option<RecordId>,
}

impl Lane {
    fn idle(&self) -> bool {
        self.queue.is_empty()
            && !self.busy
            && self.stopped.is_none()
            && self.reloading.is_none()
            && self.barrier.is_none()
    }

    /// True when records the shared cursor brings are left for the lane to
    /// read back itself (or not at all, when it is stopped).
    fn reads_itself(&self) -> bool {
        self.stopped.is_some() || self.reloading.is_some() || self.barrier.is_some()
    }

    /// The record it would send next, if it may send now.
    fn ready(&self, now: Instant) -> Option<&Record> {
        if self.busy || self.stopped.is_some() || self.not_before.is_some_and(|t| t > now) {
            return None;
        }
        let head = self.queue.front()?;
        let behind = |limit: Option<i64>| limit.is_some_and(|l| head.id.0 > l);
        if behind(self.reloading) || behind(self.barrier.map(RecordId::get)) {
            return None;
        }
        Some(head)
    }

    /// Drops the records behind the one being sent (or behind the head,
    /// with `keep_head`), to be read back from `after`: the lane then
    /// sends nothing newer than what it has read back.
    fn forget(&mut self, keep_head: bool, after: i64, buffered: &mut (usize, usize)) {
        let keep = usize::from(self.busy || keep_head).min(self.queue.len());
        for record in self.queue.drain(keep..) {
            buffered.0 -= 1;
            buffered.1 -= record.size as usize;
        }
        self.reloading = Some(after);
    }

    /// Adds a record read back, in id order, unless it is already here.
    fn insert(&mut self, record: Record) -> bool {
        if self.queue.iter().any(|r| r.id == record.id) {
            return false;
        }
        let first = usize::from(self.busy);
        let at = self
            .queue
            .iter()
            .skip(first)
            .position(|r| r.id > record.id)
            .map_or(self.queue.len(), |i| i + first);
        self.queue.insert(at, record);
        true
    }
}

/// A finished send.
struct Sent {
    id: RecordId,
    key: String,
    attempts: u32,
    outcome: Outcome,
}

enum Outcome {
    Delivered,
    /// A failure that may pass: try again after a pause.
    Wait(Wait),
    Failed(RecordFailure),
}

/// Why a send is to be tried again (logged instead of the error, whose
/// text may echo the record's content).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Wait {
    /// No response, or one that says to come back (`5xx`, throttling).
    Failed(&'static str),
    /// The client's circuit is open: nothing was sent; the next probe is
    /// this far off.
    Circuit(Duration),
}

impl Sender {
    pub fn new(
        shared: Arc<Shared>,
        commands: mpsc::UnboundedSender<Command>,
        control: mpsc::UnboundedReceiver<Control>,
        client: Arc<Config>,
        service: &'static OutboxService,
        settings: OutboxConfig,
        stopped: Vec<(String, RecordId)>,
    ) -> Self {
        let lanes = stopped
            .into_iter()
            .map(|(key, id)| {
                (
                    key,
                    Lane {
                        stopped: Some(id),
                        ..Lane::default()
                    },
                )
            })
            .collect();
        Sender {
            shared,
            commands,
            control,
            client,
            service,
            settings,
            lanes,
            cursor: 0,
            exhausted: false,
            buffered: (0, 0),
            sending: FuturesUnordered::new(),
        }
    }

    pub async fn run(mut self) {
        let mut metrics = tokio::time::interval(self.settings.metrics_interval);
        metrics.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        metrics.tick().await;
        loop {
            let store_failed = self.read_ahead().await.is_err();
            self.start();
            // Wake for the earliest paused lane (or to read again after
            // the store failed).
            let wake = if store_failed {
                Some(Instant::now() + Duration::from_secs(1))
            } else {
                // Only pauses still to come: a lane that is due but waits
                // for a free slot is woken by a finished send.
                let now = Instant::now();
                self.lanes
                    .values()
                    .filter(|l| !l.busy && l.stopped.is_none() && !l.queue.is_empty())
                    .filter_map(|l| l.not_before.filter(|t| *t > now))
                    .min()
            };
            tokio::select! {
                Some(sent) = self.sending.next(), if !self.sending.is_empty() => self.finish(sent),
                _ = self.shared.new_records.notified() => self.exhausted = false,
                control = self.control.recv() => match control {
                    Some(Control::Reload { key, failed }) => self.reload(key, failed),
                    Some(Control::Discarded { id, key, failed }) => self.discarded(id, key, failed),
                    Some(Control::Stop) | None => break,
                },
                _ = tokio::time::sleep_until(wake.unwrap_or_else(Instant::now)), if wake.is_some() => {}
                _ = metrics.tick() => report(self.shared.clone(), self.commands.clone()).await,
            }
        }
    }

    /// Reads pending records ahead: through the shared cursor while the
    /// lanes hold less than half of what they may, and each reloading
    /// lane's own records.
    async fn read_ahead(&mut self) -> Result<(), ()> {
        let (limit, max_bytes) = (self.settings.prefetch, read_ahead_bytes(&self.settings));
        while !self.exhausted && self.buffered.0 < limit / 2 && self.buffered.1 < max_bytes {
            let records = self
                .fetch(self.cursor, None, None, limit - self.buffered.0)
                .await?;
            self.exhausted = records.is_empty();
            for record in records {
                self.cursor = self.cursor.max(record.id.0);
                let lane = self.lanes.entry(record.key.clone()).or_default();
                if !lane.reads_itself() {
                    self.buffered.0 += 1;
                    self.buffered.1 += record.size as usize;
                    lane.queue.push_back(record);
                }
            }
        }
        let want = limit / 4 + 1;
        // A paused lane reads back once its pause is over.
        let now = Instant::now();
        let reloading: Vec<String> = self
            .lanes
            .iter()
            .filter(|(_, l)| l.stopped.is_none() && l.reloading.is_some())
            .filter(|(_, l)| l.not_before.is_none_or(|t| t <= now))
            .map(|(k, _)| k.clone())
            .collect();
        for key in reloading {
            while let Some(lane) = self.lanes.get(&key) {
                let Some(after) = lane.reloading.filter(|_| lane.queue.len() < want) else {
                    break;
                };
                let upto = lane.barrier.map_or(self.cursor, |b| b.0.min(self.cursor));
                let records = self
                    .fetch(after, Some(upto), Some(key.clone()), want)
                    .await?;
                let lane = self.lanes.entry(key.clone()).or_default();
                let Some(last) = records.last().map(|r| r.id.0) else {
                    // Every pending record of the key up to the cursor is
                    // here: the shared cursor brings the rest.
                    lane.reloading = None;
                    break;
                };
                for record in records {
                    let size = record.size as usize;
                    if lane.insert(record) {
                        self.buffered.0 += 1;
                        self.buffered.1 += size;
                    }
                }
                lane.reloading = Some(last);
            }
        }
        for lane in self.lanes.values_mut() {
            // Everything before its failed record was sent: it stops there.
            if lane.barrier.is_some() && lane.reloading.is_none() && lane.queue.is_empty() {
                lane.stopped = lane.barrier.take();
            }
        }
        self.lanes.retain(|_, lane| !lane.idle());
        Ok(())
    }

    /// Reads records through the store thread (a future that does not
    /// borrow the sender, which is not `Sync`).
    fn fetch(
        &self,
        after: i64,
        upto: Option<i64>,
        key: Option<String>,
        limit: usize,
    ) -> impl Future<Output = Result<Vec<Record>, ()>> + Send + 'static {
        let (reply, answer) = oneshot::channel();
        let command = Command::Fetch {
            after,
            upto,
            key,
            limit,
            max_bytes: read_ahead_bytes(&self.settings),
            reply,
        };
        let sent = self.commands.send(command).is_ok();
        async move {
            if !sent {
                return Err(());
            }
            match answer.await {
                Ok(Ok(records)) => Ok(records),
                Ok(Err(e)) => {
                    tracing::error!(error = %e, "outbox: reading records failed");
                    Err(())
                }
                Err(_) => Err(()),
            }
        }
    }

    /// Starts sends on ready lanes, oldest record first.
    fn start(&mut self) {
        let free = self
            .settings
            .max_in_flight
            .saturating_sub(self.sending.len());
        if free == 0 {
            return;
        }
        let now = Instant::now();
        let mut ready: Vec<(RecordId, String)> = self
            .lanes
            .iter()
            .filter_map(|(key, lane)| Some((lane.ready(now)?.id, key.clone())))
            .collect();
        ready.sort_unstable();
        for (_, key) in ready.into_iter().take(free) {
            let lane = self.lanes.get_mut(&key).expect("a ready lane");
            lane.busy = true;
            let record = lane.queue.front().expect("a ready record").clone();
            self.sending
                .push(Box::pin(send(self.client.clone(), self.service, record)));
        }
    }

    fn finish(&mut self, sent: Sent) {
        let Some(lane) = self.lanes.get_mut(&sent.key) else {
            return;
        };
        lane.busy = false;
        // The record sent is the lane's head: nothing moves it meanwhile.
        debug_assert_eq!(lane.queue.front().map(|r| r.id), Some(sent.id));
        if lane.discarded.take() == Some(sent.id) {
            // Gone from disk while it was out: whatever the service said,
            // the lane goes on without it.
            lane.failures = 0;
            lane.not_before = None;
            pop(lane, &mut self.buffered);
            return;
        }
        if let Some(head) = lane.queue.front_mut() {
            head.attempts = sent.attempts;
        }
        match sent.outcome {
            Outcome::Delivered => {
                lane.failures = 0;
                lane.not_before = None;
                let _ = self.commands.send(Command::Delivered(sent.id));
                tracing::debug!(
                    id = sent.id.0,
                    attempts = sent.attempts,
                    "outbox: delivered"
                );
                pop(lane, &mut self.buffered);
            }
            Outcome::Wait(wait) => {
                let pause = match wait {
                    Wait::Circuit(next_probe) if !next_probe.is_zero() => next_probe,
                    _ => {
                        lane.failures += 1;
                        backoff(&self.settings, lane.failures)
                    }
                };
                lane.not_before = Some(Instant::now() + pause);
                if let Wait::Failed(_) = wait {
                    let _ = self.commands.send(Command::Attempted {
                        id: sent.id,
                        attempts: sent.attempts,
                    });
                }
                // While it waits, its other records make room for other
                // keys'; they are read back when it goes on.
                let head = sent.id.0;
                lane.forget(true, head, &mut self.buffered);
                tracing::debug!(
                    id = sent.id.0,
                    attempts = sent.attempts,
                    pause_ms = pause.as_millis() as u64,
                    reason = ?wait,
                    "outbox: not delivered yet"
                );
            }
            Outcome::Failed(failure) => {
                lane.failures = 0;
                lane.not_before = None;
                tracing::warn!(
                    id = sent.id.0,
                    attempts = sent.attempts,
                    code = failure.code.as_deref().unwrap_or(""),
                    http_status = failure.http_status.unwrap_or(0),
                    "outbox: record failed"
                );
                let _ = self.commands.send(Command::Failed {
                    id: sent.id,
                    attempts: sent.attempts,
                    failure,
                });
                match self.settings.on_failure {
                    OnFailure::StopKey => {
                        lane.stopped = Some(sent.id);
                        lane.reloading = None;
                        lane.barrier = None;
                        while !lane.queue.is_empty() {
                            pop(lane, &mut self.buffered);
                        }
                    }
                    OnFailure::Skip => pop(lane, &mut self.buffered),
                }
            }
        }
    }

    /// A record of `key` is pending again: read the key's records back
    /// from its start, so the retried record goes before newer ones.
    fn reload(&mut self, key: String, failed: Option<RecordId>) {
        let barrier = self.barrier(failed);
        let lane = self.lanes.entry(key).or_default();
        lane.stopped = None;
        lane.barrier = barrier;
        lane.not_before = None;
        lane.forget(false, 0, &mut self.buffered);
    }

    fn discarded(&mut self, id: RecordId, key: String, failed: Option<RecordId>) {
        let barrier = self.barrier(failed);
        let Some(lane) = self.lanes.get_mut(&key) else {
            return;
        };
        if lane.stopped == Some(id) || lane.barrier == Some(id) {
            lane.stopped = None;
            lane.barrier = barrier;
            lane.forget(false, 0, &mut self.buffered);
        } else if lane.busy && lane.queue.front().is_some_and(|r| r.id == id) {
            lane.discarded = Some(id);
        } else if let Some(at) = lane.queue.iter().position(|r| r.id == id)
            && let Some(record) = lane.queue.remove(at)
        {
            self.buffered.0 -= 1;
            self.buffered.1 -= record.size as usize;
        }
    }

    /// Where a key with a failed record stops: at it, unless failures skip.
    fn barrier(&self, failed: Option<RecordId>) -> Option<RecordId> {
        match self.settings.on_failure {
            OnFailure::StopKey => failed,
            OnFailure::Skip => None,
        }
    }
}

/// How many bytes of records the sender reads ahead: half the memory
/// bound, and never none.
fn read_ahead_bytes(settings: &OutboxConfig) -> usize {
    (settings.max_buffered_bytes / 2).max(1)
}

/// The counts and ages, as a tracing event.
async fn report(shared: Arc<Shared>, commands: mpsc::UnboundedSender<Command>) {
    let (reply, answer) = oneshot::channel();
    if commands.send(Command::Oldest { reply }).is_err() {
        return;
    }
    let oldest = answer.await.ok().and_then(Result::ok).flatten();
    let age = oldest.map_or(0, |t| {
        SystemTime::now()
            .duration_since(t)
            .map_or(0, |d| d.as_secs())
    });
    let counts = *shared.counts.borrow();
    let bytes = shared.usage.lock().expect("never poisoned").bytes;
    tracing::info!(
        pending = counts.pending,
        failed = counts.failed,
        bytes,
        delivered = shared.delivered.load(std::sync::atomic::Ordering::Relaxed),
        oldest_pending_s = age,
        "outbox"
    );
}

fn pop(lane: &mut Lane, buffered: &mut (usize, usize)) {
    if let Some(record) = lane.queue.pop_front() {
        buffered.0 -= 1;
        buffered.1 -= record.size as usize;
    }
}

/// The pause after the `failures`-th failure in a row: doubling from the
/// first interval up to the last, with jitter (between half and all of it).
fn backoff(settings: &OutboxConfig, failures: u32) -> Duration {
    let (first, max) = settings.retry_interval;
    let base = first
        .saturating_mul(1 << failures.saturating_sub(1).min(20))
        .min(max);
    base.mul_f64(0.5 + fastrand::f64() / 2.0)
}

/// Sends one record through the client's pipeline.
async fn send(client: Arc<Config>, service: &'static OutboxService, record: Record) -> Sent {
    let operation = &record.operation;
    let outcome = match (
        service.operation(operation),
        StoredRequest::decode(&record.request),
    ) {
        (None, _) => Outcome::Failed(failure(
            None,
            format!(
                "{} has no operation {operation} (the model changed?)",
                service.name
            ),
        )),
        (_, None) => Outcome::Failed(failure(None, "the stored request is unreadable".into())),
        (Some(_), Some(stored)) if stored.to_http(&record.body).is_err() => Outcome::Failed(
            failure(None, "the stored request is not a valid request".into()),
        ),
        (Some(op), Some(stored)) => {
            let info = op.info.with_endpoint(&stored.endpoint);
            let result =
                pipeline::invoke(&client, info, |_| stored.to_http(&record.body), op.read).await;
            outcome(result)
        }
    };
    Sent {
        id: record.id,
        key: record.key,
        attempts: record.attempts + 1,
        outcome,
    }
}

/// What a send's result means for the record.
///
/// The stored request was checked before sending, so a construction
/// error comes from the client's side of the call (typically credentials
/// that could not be fetched): it may pass, like a lost connection.
fn outcome(result: Result<(), SdkError<super::ServiceFailure>>) -> Outcome {
    let passing =
        |status: Option<u16>| matches!(status, Some(s) if s >= 500 || s == 408 || s == 429);
    match result {
        Ok(()) => Outcome::Delivered,
        Err(SdkError::Construction(e)) => {
            tracing::warn!(error = %e, "outbox: the client could not make the request");
            Outcome::Wait(Wait::Failed("construction"))
        }
        Err(SdkError::Timeout(_)) => Outcome::Wait(Wait::Failed("timeout")),
        Err(SdkError::Transport(_)) => Outcome::Wait(Wait::Failed("transport")),
        Err(SdkError::CircuitOpen(open)) => Outcome::Wait(Wait::Circuit(open.retry_after())),
        Err(SdkError::Response(e)) if passing(e.status().http_status()) => {
            Outcome::Wait(Wait::Failed("unreadable response"))
        }
        Err(SdkError::Response(e)) => Outcome::Failed(failure(Some(e.status()), e.to_string())),
        Err(SdkError::Service(e)) => {
            let error = e.err();
            let status = error.status();
            if error.is_throttling() {
                Outcome::Wait(Wait::Failed("throttled"))
            } else if error.is_retryable() || passing(status.http_status()) {
                Outcome::Wait(Wait::Failed("service error"))
            } else {
                Outcome::Failed(failure(Some(status), error.to_string()))
            }
        }
    }
}

fn failure(status: Option<&crate::ErrorStatus>, description: String) -> RecordFailure {
    RecordFailure {
        code: status.and_then(|s| s.code()).map(str::to_owned),
        message: status.and_then(|s| s.message()).map(str::to_owned),
        http_status: status.and_then(|s| s.http_status()),
        request_id: status.and_then(|s| s.request_id()).map(str::to_owned),
        description,
        failed_at: SystemTime::now(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{ErrorStatus, ResponseError, TransportError};

    fn failed(status: u16, retryable: bool) -> Result<(), SdkError<super::super::ServiceFailure>> {
        let read: Result<(), ParseError<super::super::ServiceFailure>> =
            super::super::settle::<(), Probe>(Err(ParseError::Service(Box::new(Probe {
                status: ErrorStatus::builder()
                    .code("Code")
                    .message("text")
                    .http_status(status)
                    .build(),
                retryable,
            }))));
        match read {
            Err(ParseError::Service(e)) => Err(SdkError::service(*e, 1)),
            _ => unreachable!(),
        }
    }

    use crate::pipeline::ParseError;

    struct Probe {
        status: ErrorStatus,
        retryable: bool,
    }

    impl ProvideErrorStatus for Probe {
        fn status(&self) -> &ErrorStatus {
            &self.status
        }

        fn is_retryable(&self) -> bool {
            self.retryable
        }
    }

    impl std::fmt::Display for Probe {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("probe")
        }
    }

    #[test]
    fn what_passes_is_waited_out_and_what_does_not_fails_the_record() {
        for status in [500, 502, 503, 504, 408, 429] {
            assert!(
                matches!(
                    outcome(failed(status, false)),
                    Outcome::Wait(Wait::Failed(_))
                ),
                "{status}"
            );
        }
        assert!(matches!(
            outcome(failed(400, true)),
            Outcome::Wait(Wait::Failed(_))
        ));
        for status in [400, 401, 403, 404, 409, 413] {
            let Outcome::Failed(failure) = outcome(failed(status, false)) else {
                panic!("{status} should fail the record");
            };
            assert_eq!(failure.http_status, Some(status));
            assert_eq!(failure.code.as_deref(), Some("Code"));
            assert_eq!(failure.message.as_deref(), Some("text"));
        }
        assert!(matches!(
            outcome(Err(SdkError::Transport(TransportError::new("reset")))),
            Outcome::Wait(Wait::Failed(_))
        ));
        assert!(matches!(
            outcome(Err(SdkError::Response(ResponseError::new(
                "garbled",
                ErrorStatus::builder().http_status(200).build()
            )))),
            Outcome::Failed(_)
        ));
        assert!(matches!(
            outcome(Err(SdkError::Response(ResponseError::new(
                "garbled",
                ErrorStatus::builder().http_status(502).build()
            )))),
            Outcome::Wait(Wait::Failed(_))
        ));
        assert!(matches!(outcome(Ok(())), Outcome::Delivered));
    }

    #[test]
    fn credentials_that_cannot_be_fetched_and_an_open_circuit_are_waited_out() {
        use crate::error::ConstructionError;
        assert!(matches!(
            outcome(Err(SdkError::Construction(ConstructionError::new(
                "no credentials"
            )))),
            Outcome::Wait(Wait::Failed("construction"))
        ));
        assert!(matches!(
            outcome(failed(429, false)),
            Outcome::Wait(Wait::Failed(_))
        ));
    }

    #[test]
    fn pauses_double_up_to_the_limit_with_jitter() {
        let settings = OutboxConfig::default()
            .with_retry_interval(Duration::from_millis(100), Duration::from_secs(1));
        for failures in 1..40 {
            let pause = backoff(&settings, failures);
            let base = Duration::from_millis(100 * (1 << (failures - 1).min(4)))
                .min(Duration::from_secs(1));
            assert!(pause >= base / 2 && pause <= base, "{failures}: {pause:?}");
        }
    }

    fn record(id: i64) -> Record {
        Record {
            id: RecordId(id),
            key: String::new(),
            operation: "Op".into(),
            request: String::new(),
            body: bytes::Bytes::new(),
            attempts: 0,
            size: 1,
        }
    }

    #[test]
    fn a_record_read_back_goes_in_id_order_behind_the_one_being_sent() {
        let mut lane = Lane::default();
        lane.queue.extend([record(10), record(12)]);
        lane.busy = true;
        assert!(lane.insert(record(5)));
        assert!(lane.insert(record(11)));
        assert!(!lane.insert(record(12)), "already there");
        let ids: Vec<i64> = lane.queue.iter().map(|r| r.id.0).collect();
        assert_eq!(ids, [10, 5, 11, 12]);
        // While reloading, nothing past what was read back is sent.
        lane.busy = false;
        lane.queue.pop_front();
        lane.reloading = Some(4);
        assert!(lane.ready(Instant::now()).is_none());
        lane.reloading = Some(5);
        assert_eq!(lane.ready(Instant::now()).map(|r| r.id.0), Some(5));
    }

    #[test]
    fn forgetting_keeps_the_record_being_sent_and_reads_the_rest_back() {
        let mut buffered = (4, 4);
        let mut lane = Lane::default();
        lane.queue
            .extend([record(7), record(8), record(9), record(10)]);
        lane.busy = true;
        // A retried record 3: everything but the record out is read back
        // from the start, so 3 goes next and nothing newer than what was
        // read back goes before it.
        lane.forget(false, 0, &mut buffered);
        assert_eq!(buffered, (1, 1));
        assert_eq!(lane.queue.len(), 1);
        assert_eq!(lane.reloading, Some(0));
        lane.busy = false;
        assert!(
            lane.ready(Instant::now()).is_none(),
            "7 waits for the read-back"
        );
        for id in [3, 7, 8] {
            lane.insert(record(id));
        }
        lane.reloading = Some(8);
        let ids: Vec<i64> = lane.queue.iter().map(|r| r.id.0).collect();
        assert_eq!(ids, [3, 7, 8]);
        assert_eq!(lane.ready(Instant::now()).map(|r| r.id.0), Some(3));
        // A waiting lane keeps its head only.
        let mut buffered = (3, 3);
        lane.forget(true, 3, &mut buffered);
        assert_eq!(buffered, (1, 1));
        assert_eq!(lane.ready(Instant::now()).map(|r| r.id.0), Some(3));
    }
}
