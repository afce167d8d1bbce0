"""Event-stream interop with an independent implementation.

`decode FILE`: decode the frames in FILE with botocore's EventStreamBuffer
and print them as JSON (one object per message: headers as name -> value,
bytes as hex, timestamps as milliseconds; payload as hex).

`encode FILE`: write the reference messages to FILE with an encoder written
here from the format description (struct + zlib.crc32), independent of
tinsmith.
"""

import json
import struct
import sys
import zlib


def reference_messages():
    """(headers, payload) pairs; headers are (name, type, value) triples."""
    return [
        ([(":message-type", 7, "event"), (":event-type", 7, "Ping")], b'{"n":1}'),
        (
            [
                ("t", 0, True),
                ("f", 1, False),
                ("byte", 2, -7),
                ("short", 3, -300),
                ("int", 4, 70000),
                ("long", 5, -5000000000),
                ("bytes", 6, b"\x00\x01\xff"),
                ("string", 7, "h\u00e9llo"),
                ("time", 8, 1700000000123),
                ("uuid", 9, bytes(range(16))),
            ],
            b"payload",
        ),
        ([], b""),
        ([(":message-type", 7, "error"), (":error-code", 7, "Boom")], b"x" * 70000),
    ]


def encode_header(name, kind, value):
    raw = name.encode("utf-8")
    out = struct.pack("!B", len(raw)) + raw + struct.pack("!B", kind)
    if kind in (0, 1):
        return out
    if kind == 2:
        return out + struct.pack("!b", value)
    if kind == 3:
        return out + struct.pack("!h", value)
    if kind == 4:
        return out + struct.pack("!i", value)
    if kind in (5, 8):
        return out + struct.pack("!q", value)
    if kind == 6:
        return out + struct.pack("!H", len(value)) + value
    if kind == 7:
        data = value.encode("utf-8")
        return out + struct.pack("!H", len(data)) + data
    if kind == 9:
        return out + value
    raise ValueError(kind)


def encode(headers, payload):
    encoded = b"".join(encode_header(*h) for h in headers)
    total = 16 + len(encoded) + len(payload)
    prelude = struct.pack("!II", total, len(encoded))
    prelude += struct.pack("!I", zlib.crc32(prelude) & 0xFFFFFFFF)
    body = prelude + encoded + payload
    return body + struct.pack("!I", zlib.crc32(body) & 0xFFFFFFFF)


def plain(value):
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    return value


def main():
    mode, path = sys.argv[1], sys.argv[2]
    if mode == "encode":
        with open(path, "wb") as f:
            for headers, payload in reference_messages():
                f.write(encode(headers, payload))
        return
    from botocore.eventstream import EventStreamBuffer

    buffer = EventStreamBuffer()
    with open(path, "rb") as f:
        buffer.add_data(f.read())
    messages = []
    for message in buffer:
        messages.append(
            {
                "headers": {k: plain(v) for k, v in message.headers.items()},
                "payload": message.payload.hex(),
            }
        )
    print(json.dumps(messages))


if __name__ == "__main__":
    main()
