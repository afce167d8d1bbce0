"""Seeds the `eventstream` fuzz target's corpus with valid frames, so the
fuzzer starts past the CRC checks: the reference messages of
`../tests/interop/eventstream.py` (written by an encoder independent of
tinsmith), each seed prefixed with the chunk size the target cuts at.

Run from `runtime/fuzz`: `python3 seed_eventstream.py`, then
`cargo +nightly fuzz run eventstream`.
"""

import os
import struct
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
corpus = os.path.join(here, "corpus", "eventstream")
os.makedirs(corpus, exist_ok=True)
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "frames.bin")
    subprocess.run(
        [sys.executable, os.path.join(here, "..", "tests", "interop", "eventstream.py"), "encode", path],
        check=True,
    )
    data = open(path, "rb").read()
frames = []
at = 0
while at < len(data):
    total = struct.unpack(">I", data[at : at + 4])[0]
    frames.append(data[at : at + total])
    at += total
for cut in (1, 7, 64, 255):
    with open(os.path.join(corpus, f"seed-all-{cut}"), "wb") as f:
        f.write(bytes([cut]) + data)
for i, frame in enumerate(frames):
    with open(os.path.join(corpus, f"seed-frame-{i}"), "wb") as f:
        f.write(bytes([13]) + frame)
    # Framed mode: the headers and payload alone, the split in two bytes.
    headers_len = struct.unpack(">I", frame[4:8])[0]
    with open(os.path.join(corpus, f"seed-framed-{i}"), "wb") as f:
        f.write(bytes([0x80 | 13]) + struct.pack(">H", headers_len) + frame[12:-4])
print(f"{len(frames)} frames, {4 + 2 * len(frames)} seeds in {corpus}")
