"""Seeds `corpus/json_rpc_events`: calls of the Notes worker over JSON-RPC
2.0 — `ImportNotes` streams (selector 0: whole, without the end marker, cut
short, with a rejected note, an `error` message, a first message that is
not the request object) and plain request objects and batches (selector 1)
— run from this directory before a long
`cargo fuzz run -s none json_rpc_events`."""

import json
import os

from seed_server_events import event, frame

MARKER = event("end-of-stream")


def opening(request):
    return event("initial-request", json.dumps(request).encode())


CALL = {"jsonrpc": "2.0", "id": 1, "method": "notes/ImportNotes", "params": {"label": "x"}}
NOTE = event("note", b'{"text":"hello"}')
EMPTY = event("note", b'{"text":""}')
ERROR = frame([(":message-type", "error"), (":error-code", "Gone"), (":error-message", "bye")])

SEEDS = [
    b"\x00" + opening(CALL) + NOTE + NOTE + MARKER,
    b"\x00" + opening(CALL) + NOTE,
    b"\x00" + opening(CALL) + NOTE[:17],
    b"\x00" + opening(CALL) + NOTE + EMPTY + NOTE + MARKER,
    b"\x00" + opening(CALL) + ERROR,
    b"\x00" + opening({"jsonrpc": "2.0", "method": "notes/ImportNotes"}) + MARKER,
    b"\x00" + opening({"jsonrpc": "2.0", "id": 2, "method": "notes/WhoAmI"}) + MARKER,
    b"\x00" + NOTE + MARKER,
    b"\x01" + json.dumps({"jsonrpc": "2.0", "id": 3, "method": "notes/AddNote", "params": {"text": "a"}}).encode(),
    b"\x01" + json.dumps([{"jsonrpc": "2.0", "id": 4, "method": "notes/GetNote", "params": {"id": "n9"}},
                          {"jsonrpc": "2.0", "method": "notes/WhoAmI"}]).encode(),
    b"\x01" + json.dumps({"jsonrpc": "2.0", "id": 5, "method": "notes/ImportNotes"}).encode(),
]

os.makedirs("corpus/json_rpc_events", exist_ok=True)
for i, seed in enumerate(SEEDS):
    with open(f"corpus/json_rpc_events/seed-{i}", "wb") as f:
        f.write(seed)
print(f"{len(SEEDS)} seeds in corpus/json_rpc_events")
