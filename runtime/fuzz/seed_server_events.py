"""Seeds `corpus/server_events`: request streams of the Chat example's
Converse (selector 0) and PublishMessages (selector 1) operations, whole,
cut short, without the end marker, and with an `error` message (run from
this directory before a long `cargo fuzz run -s none server_events`)."""

import os
import struct
import zlib


def header(name, value):
    """A string header, or an int32 one for an `int` value."""
    raw = name.encode()
    if isinstance(value, int):
        return bytes([len(raw)]) + raw + b"\x04" + struct.pack(">i", value)
    text = value.encode()
    return bytes([len(raw)]) + raw + b"\x07" + struct.pack(">H", len(text)) + text


def frame(headers, payload=b""):
    """One `vnd.amazon.eventstream` message."""
    hs = b"".join(header(n, v) for n, v in headers)
    total = 12 + len(hs) + len(payload) + 4
    prelude = struct.pack(">II", total, len(hs))
    prelude += struct.pack(">I", zlib.crc32(prelude))
    body = prelude + hs + payload
    return body + struct.pack(">I", zlib.crc32(body))


def event(event_type, payload=b"", extra=()):
    hs = [(":message-type", "event"), (":event-type", event_type)]
    if payload:
        hs.append((":content-type", "application/json"))
    return frame(hs + list(extra), payload)


MARKER = event("end-of-stream")
PING = event("ping", extra=[("id", 7)])
SAY = event("say", b'{"text":"hi","mentions":["ann"]}')
MESSAGE = event("message", b'{"text":"hello"}')
TYPING = event("typing", extra=[("user", "bob")])
ERROR = frame([(":message-type", "error"), (":error-code", "Gone"), (":error-message", "bye")])

SEEDS = [
    b"\x00" + PING + SAY + MARKER,
    b"\x00" + PING + SAY,
    b"\x00" + PING + SAY[:20],
    b"\x00" + SAY + ERROR,
    b"\x00" + event("shout", b"{}") + MARKER,
    b"\x00" + MARKER,
    b"\x01" + MESSAGE + TYPING + MARKER,
    b"\x01" + MESSAGE + TYPING,
    b"\x01" + event("message", b"not json") + MARKER,
]

if __name__ == "__main__":
    os.makedirs("corpus/server_events", exist_ok=True)
    for i, seed in enumerate(SEEDS):
        with open(f"corpus/server_events/seed-{i}", "wb") as f:
            f.write(seed)
    print(f"{len(SEEDS)} seeds in corpus/server_events")
