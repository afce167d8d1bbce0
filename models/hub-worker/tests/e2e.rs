//! The hub/worker example end to end, each part its own process on
//! 127.0.0.1: the `gateway` binary in front of the generated Notes worker
//! (`notes-worker`) and the Python worker (`worker.py`), called with the
//! generated Notes client and with raw JSON-RPC bodies. Checks the
//! caller's context and the request chain in what the workers answer and
//! log, unknown workers, unauthenticated callers, a worker that is down
//! (the gateway's circuit breaker opens), a registry changed while the
//! gateway runs, and a call that streams events both ways through the
//! gateway.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::StreamExt as _;
use hub_worker::notes::error::{GetNoteError, ImportedEventsError};
use hub_worker::notes::types::{ImportEvents, ImportedEvents, NoteText};
use hub_worker::notes::{Client, Config};
use serde_json::{Value, json};
use tinsmith_runtime::auth::StaticIdentity;
use tinsmith_runtime::chain::RequestChain;
use tinsmith_runtime::eventstream::EventInput;
use tinsmith_runtime::{ProvideErrorStatus, RetryConfig, SdkError};

/// A process of the example, killed when dropped, with what it printed.
struct Process {
    child: Child,
    address: String,
    lines: Arc<Mutex<Vec<String>>>,
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Process {
    /// Starts `command` and waits for its `listening on <address>` line.
    fn start(mut command: Command) -> Process {
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {command:?}: {e}"));
        let stdout = child.stdout.take().unwrap();
        let lines = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let kept = Arc::clone(&lines);
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(address) = line.strip_prefix("listening on ") {
                    let _ = tx.send(address.to_owned());
                }
                kept.lock().unwrap().push(line);
            }
        });
        let address = rx
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|_| panic!("{command:?} did not start listening"));
        Process {
            child,
            address,
            lines,
        }
    }

    /// Waits until a line of output contains every one of `parts`.
    fn wait_for_line(&self, parts: &[&str]) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let found = self
                .lines
                .lock()
                .unwrap()
                .iter()
                .find(|l| parts.iter().all(|p| l.contains(p)))
                .cloned();
            if let Some(line) = found {
                return line;
            }
            assert!(
                Instant::now() < deadline,
                "no line with {parts:?} in {:#?}",
                self.lines.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A port nothing listens on, held (bound, not listening) so no other
/// process of the tests takes it while it is in use.
fn closed_port() -> (socket2::Socket, u16) {
    use socket2::{Domain, Socket, Type};
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    let address: std::net::SocketAddr = "127.0.0.1:0".parse().unwrap();
    socket.bind(&address.into()).unwrap();
    let port = socket
        .local_addr()
        .unwrap()
        .as_socket()
        .map(|a| a.port())
        .unwrap();
    (socket, port)
}

fn registry(notes: &str, py: &str, down: u16) -> String {
    format!(
        "[workers.notes]\nurl = \"{notes}\"\n\n\
         [workers.py]\nurl = \"{py}\"\nstrip_name = true\n\n\
         [workers.down]\nurl = \"http://127.0.0.1:{down}\"\n"
    )
}

/// Posts `body` to the gateway with a bearer token (none: `None`):
/// the HTTP status and the JSON answer (`null` for an empty body).
fn post(gateway: &str, token: Option<&str>, body: &Value) -> (u16, Value) {
    let body = body.to_string();
    let (status, answer) = post_bytes(gateway, token, "application/json", body.as_bytes());
    let answer = if answer.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&answer)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&answer)))
    };
    (status, answer)
}

/// Posts `body` of `content_type` to the gateway with a bearer token
/// (none: `None`): the HTTP status and the body of the answer.
fn post_bytes(
    gateway: &str,
    token: Option<&str>,
    content_type: &str,
    body: &[u8],
) -> (u16, Vec<u8>) {
    let authority = gateway.trim_start_matches("http://");
    let mut stream = TcpStream::connect(authority).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let auth = token.map_or(String::new(), |t| format!("authorization: Bearer {t}\r\n"));
    write!(
        stream,
        "POST /api/rpc HTTP/1.1\r\nhost: {authority}\r\ncontent-type: {content_type}\r\n\
         {auth}content-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    stream.write_all(body).unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let status = String::from_utf8_lossy(&response[9..12]).parse().unwrap();
    let head_end = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a whole response head");
    (status, response[head_end + 4..].to_vec())
}

struct Hub {
    notes: Process,
    py: Process,
    gateway: Process,
    registry: PathBuf,
    down: u16,
    _down: socket2::Socket,
    _dir: TempDir,
}

/// A directory removed when dropped.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The hub's three processes, or `None` (the test skips) without Python.
fn start_hub() -> Option<Hub> {
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    if Command::new(&python).arg("--version").output().is_err() {
        eprintln!("SKIPPED: no {python} to run the Python worker (set PYTHON)");
        return None;
    }
    let notes = Process::start({
        let mut c = Command::new(env!("CARGO_BIN_EXE_notes-worker"));
        c.arg("127.0.0.1:0");
        c
    });
    let py = Process::start({
        let mut c = Command::new(&python);
        c.arg(manifest_dir().join("worker.py")).arg("0");
        c
    });
    static HUBS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let hub = HUBS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("hub-worker-e2e-{}-{hub}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let registry_file = dir.join("registry.toml");
    let (held, down) = closed_port();
    std::fs::write(&registry_file, registry(&notes.address, &py.address, down)).unwrap();
    let gateway = Process::start({
        let mut c = Command::new(env!("CARGO_BIN_EXE_gateway"));
        c.arg("127.0.0.1:0")
            .arg(&registry_file)
            .env("HUB_TOKENS", "ana:admin=s3cret, bo=hunter2");
        c
    });
    Some(Hub {
        notes,
        py,
        gateway,
        registry: registry_file,
        down,
        _down: held,
        _dir: TempDir(dir),
    })
}

fn client(gateway: &str, token: &str) -> Client {
    Client::new(
        Config::builder()
            .endpoint(gateway)
            .bearer_token(StaticIdentity::new(token))
            .retry(RetryConfig::disabled())
            .build(),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn calls_through_the_gateway_reach_both_workers() {
    let Some(hub) = start_hub() else { return };
    let gateway = hub.gateway.address.as_str();
    let ana = client(gateway, "s3cret");

    // The generated client, through the gateway, to the generated worker.
    let added = ana.add_note().text("buy milk").send().await.unwrap();
    assert_eq!(added.author, "ana");
    let note = ana.get_note().id(&added.id).send().await.unwrap();
    assert_eq!(
        (note.text.as_str(), note.author.as_str()),
        ("buy milk", "ana")
    );
    let bo = client(gateway, "hunter2");
    let added = bo.add_note().text("call ana").send().await.unwrap();
    assert_eq!(added.author, "bo");

    // A modeled error of the worker arrives typed.
    let error = ana.get_note().id("n999").send().await.unwrap_err();
    let SdkError::Service(error) = error else {
        panic!("{error:?}")
    };
    let GetNoteError::NoteNotFound(not_found) = error.err() else {
        panic!("{:?}", error.err())
    };
    assert!(not_found.message.contains("n999"));

    // The caller's context and the chain: the worker sees the gateway's
    // entry, and logs it.
    let me = ana.who_am_i().send().await.unwrap();
    assert_eq!(me.caller, "ana");
    assert_eq!(
        me.attributes
            .as_ref()
            .and_then(|a| a.get("role"))
            .map(String::as_str),
        Some("admin")
    );
    assert_eq!(me.chain.len(), 1, "{:?}", me.chain);
    let entry = &me.chain[0];
    assert!(entry.ends_with("@gateway"), "{entry}");
    let logged = hub
        .notes
        .wait_for_line(&["WhoAmI", &format!("chain=\"{entry}\"")]);
    assert!(logged.contains(&me.request_id), "{logged}");

    // At the edge, the caller's own ids and chain are claims: the gateway
    // starts the chain afresh.
    let me = RequestChain::parse("forged@admin")
        .scope(ana.who_am_i().send())
        .await
        .unwrap();
    assert_eq!(me.chain.len(), 1, "{:?}", me.chain);
    assert!(me.chain[0].ends_with("@gateway"));

    // Raw JSON-RPC to the Python worker, which knows its methods without
    // the `py/` the gateway strips, and logs the chain and caller.
    let (status, answer) = post(
        gateway,
        Some("s3cret"),
        &json!({"jsonrpc": "2.0", "id": "a-1", "method": "py/add", "params": {"numbers": [1, 2, 3.5]}}),
    );
    assert_eq!(status, 200);
    assert_eq!(answer["id"], "a-1");
    assert_eq!(answer["result"]["sum"], 6.5);
    let line = hub
        .py
        .wait_for_line(&["method='add'", "caller='ana'", "@gateway]"]);
    assert!(line.contains("chain=["), "{line}");

    // A batch reaching both workers and an unknown one, answered in order.
    let (status, answer) = post(
        gateway,
        Some("hunter2"),
        &json!([
            {"jsonrpc": "2.0", "id": 1, "method": "py/echo", "params": {"x": 1}},
            {"jsonrpc": "2.0", "id": 2, "method": "nobody/Anything"},
            {"jsonrpc": "2.0", "id": 3, "method": "notes/WhoAmI"},
            {"jsonrpc": "2.0", "id": 4, "method": "py/nothing"},
            {"jsonrpc": "2.0", "id": 5, "method": "no-slash"},
        ]),
    );
    assert_eq!(status, 200);
    let answers = answer.as_array().unwrap();
    assert_eq!(answers.len(), 5);
    assert_eq!(answers[0]["result"]["caller"]["id"], "bo");
    assert_eq!(answers[1]["error"]["code"], -32601);
    assert_eq!(
        answers[1]["error"]["data"]["__type"],
        "tinsmith.gateway#UnknownWorker"
    );
    assert_eq!(answers[2]["result"]["caller"], "bo");
    // The worker's own error is relayed as it answered it.
    assert_eq!(answers[3]["error"]["code"], -32601);
    assert!(answers[3]["error"].get("data").is_none());
    assert_eq!(answers[4]["error"]["code"], -32601);

    // A notification is forwarded, and nothing answers it.
    let (status, answer) = post(
        gateway,
        Some("s3cret"),
        &json!({"jsonrpc": "2.0", "method": "py/echo", "params": {"note": "fire and forget"}}),
    );
    assert_eq!((status, answer), (204, Value::Null));
    hub.py.wait_for_line(&["method='echo'", "caller='ana'"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn callers_without_a_valid_token_are_refused() {
    let Some(hub) = start_hub() else { return };
    let gateway = hub.gateway.address.as_str();
    let call = json!({"jsonrpc": "2.0", "id": 1, "method": "py/add", "params": {"numbers": []}});
    for token in [None, Some("wrong")] {
        let (status, answer) = post(gateway, token, &call);
        assert_eq!(status, 401);
        assert_eq!(answer["error"]["code"], -32001);
    }
    let error = client(gateway, "wrong")
        .who_am_i()
        .send()
        .await
        .unwrap_err();
    let status = error.as_service_error().map(|e| e.status().clone());
    assert_eq!(status.and_then(|s| s.http_status()), Some(401), "{error:?}");
    // Nothing reached the workers.
    assert!(
        hub.py
            .lines
            .lock()
            .unwrap()
            .iter()
            .all(|l| !l.contains("method="))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_worker_that_is_down_opens_the_circuit_and_the_registry_reloads() {
    let Some(hub) = start_hub() else { return };
    let gateway = hub.gateway.address.as_str();
    let call = json!({"jsonrpc": "2.0", "id": 7, "method": "down/Anything"});
    // The default breaker opens after 5 consecutive failures. A refused
    // connection surely did not reach the worker, so each call retries it
    // (3 attempts): the breaker opens during the second call, and the
    // calls after are not even sent.
    let mut messages = Vec::new();
    for _ in 0..7 {
        let (status, answer) = post(gateway, Some("s3cret"), &call);
        assert_eq!(status, 200);
        assert_eq!(answer["id"], 7);
        assert_eq!(answer["error"]["code"], -32003, "{answer}");
        assert_eq!(
            answer["error"]["data"]["__type"],
            "tinsmith.gateway#WorkerUnavailable"
        );
        assert_eq!(answer["error"]["data"]["worker"], "down");
        messages.push(answer["error"]["message"].as_str().unwrap().to_owned());
    }
    assert!(
        !messages[0].contains("circuit"),
        "the first failure is the worker's own: {}",
        messages[0]
    );
    assert!(messages[6].contains("circuit"), "{messages:#?}");
    assert!(messages[0].ends_with("unreachable"), "{}", messages[0]);
    // Callers are told what happened, not where the worker is.
    assert!(
        messages.iter().all(|m| !m.contains("127.0.0.1")),
        "{messages:#?}"
    );

    // The registry changes while the gateway runs: `notes` moves to the
    // port nothing listens on, and the generated client gets the gateway's
    // typed error.
    let ana = client(gateway, "s3cret");
    ana.who_am_i().send().await.unwrap();
    let down = format!("http://127.0.0.1:{}", hub.down);
    std::fs::write(&hub.registry, registry(&down, &hub.py.address, hub.down)).unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    let error = loop {
        match ana.who_am_i().send().await {
            Err(error) => break error,
            Ok(_) => {
                assert!(Instant::now() < deadline, "the registry was not reloaded");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    };
    let code = error
        .as_service_error()
        .and_then(|e| e.status().code().map(str::to_owned));
    assert_eq!(code.as_deref(), Some("WorkerUnavailable"), "{error:?}");
    // A registry that does not read leaves the workers as they were.
    std::fs::write(&hub.registry, "[workers.notes]\nurl = 1\n").unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(ana.who_am_i().send().await.is_err());
    hub.gateway
        .wait_for_line(&["worker registry not reloaded", "must be a string"]);
    // And back: the worker answers again.
    std::fs::write(
        &hub.registry,
        registry(&hub.notes.address, &hub.py.address, hub.down),
    )
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while ana.who_am_i().send().await.is_err() {
        assert!(Instant::now() < deadline, "the registry was not reloaded");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn note(text: &str) -> ImportEvents {
    ImportEvents::Note(NoteText::builder().text(text).build().unwrap())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_call_streams_both_ways_through_the_gateway() {
    let Some(hub) = start_hub() else { return };
    let ana = client(&hub.gateway.address, "s3cret");
    let step = Duration::from_secs(10);

    // Note by note: each answer arrives before the next note is sent, so
    // neither the gateway nor the worker waits for a whole stream.
    let (sender, notes) = EventInput::channel(1);
    let mut output = ana
        .import_notes()
        .label("trip")
        .notes(notes)
        .send()
        .await
        .unwrap();
    assert_eq!(output.author, "ana");
    let mut ids = Vec::new();
    for text in ["pack", "book the train", "water the plants"] {
        sender.send(note(text)).await.unwrap();
        let answer = tokio::time::timeout(step, output.stored.next())
            .await
            .unwrap_or_else(|_| panic!("no answer to `{text}` before the next note"))
            .unwrap()
            .unwrap();
        let ImportedEvents::Stored(stored) = answer else {
            panic!("{answer:?}")
        };
        assert_eq!(stored.text, format!("[trip] {text}"));
        ids.push(stored.id);
    }
    drop(sender);
    // The worker's end-of-stream marker reaches the caller.
    assert!(output.stored.next().await.is_none());
    assert_eq!(output.stored.ended_cleanly(), Some(true));
    // The notes were stored by the caller the gateway vouched for.
    let first = ana.get_note().id(&ids[0]).send().await.unwrap();
    assert_eq!(
        (first.text.as_str(), first.author.as_str()),
        ("[trip] pack", "ana")
    );
    // The worker logged the call with the gateway's chain entry.
    hub.notes.wait_for_line(&["ImportNotes", "@gateway"]);

    // A note the worker rejects ends the stream with its typed error,
    // through the gateway.
    let mut output = ana
        .import_notes()
        .notes(EventInput::from_events([
            note("fine"),
            note(""),
            note("never stored"),
        ]))
        .send()
        .await
        .unwrap();
    let stored = output.stored.next().await.unwrap().unwrap();
    assert!(matches!(stored, ImportedEvents::Stored(_)), "{stored:?}");
    let error = output.stored.next().await.unwrap().unwrap_err();
    assert!(
        matches!(error.modeled(), Some(ImportedEventsError::Rejected(r)) if r.message.contains("not 0")),
        "{error:?}"
    );
    assert!(output.stored.next().await.is_none());
    assert_eq!(output.stored.ended_cleanly(), Some(false));

    // A streaming method called with a plain request object: the worker's
    // refusal, relayed.
    let gateway = hub.gateway.address.as_str();
    let call = json!({"jsonrpc": "2.0", "id": 1, "method": "notes/ImportNotes"});
    let (status, answer) = post(gateway, Some("s3cret"), &call);
    assert_eq!(status, 200);
    assert_eq!(answer["error"]["code"], -32600, "{answer}");

    // A stream to a worker that is down, or to none: the gateway's typed
    // errors, as for any call.
    let events = "application/vnd.amazon.eventstream";
    for (method, code) in [("down/ImportNotes", -32003), ("nobody/ImportNotes", -32601)] {
        let opening = json!({"jsonrpc": "2.0", "id": 2, "method": method, "params": {}});
        let opening = tinsmith_runtime::eventstream::Message::new(opening.to_string())
            .with_str(":message-type", "event")
            .with_str(":event-type", "initial-request")
            .with_str(":content-type", "application/json")
            .encode()
            .unwrap();
        let (status, answer) = post_bytes(gateway, Some("s3cret"), events, &opening);
        assert_eq!(status, 200);
        let answer: Value = serde_json::from_slice(&answer).unwrap();
        assert_eq!(
            (&answer["id"], &answer["error"]["code"]),
            (&json!(2), &json!(code)),
            "{answer}"
        );
    }
}
