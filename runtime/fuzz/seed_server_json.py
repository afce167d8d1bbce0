"""Seeds `corpus/server_json`: calls of the round-trips model's operations
(`tests/models/server/round-trips.smithy`) with values of every kind, as
JSON for awsJson1_0, awsJson1_1 and rpcv2Json and as CBOR for rpcv2Cbor —
run from this directory before a long `cargo fuzz run -s none server_json`.
The first byte picks the operation (bit 0) and the protocol (bits 1-2)."""

import json
import os
import struct

VALUES = {
    "boolean": True, "byte": -128, "short": 32767, "integer": -1, "long": 2**53,
    "float": "NaN", "double": "-Infinity", "string": "ünï", "blob": "aGk=",
    "document": {"a": [1, -2, 3.5, None, True, "x"]},
    "timestamp": 1.5, "dateTime": "1969-12-31T23:59:59.999Z",
    "httpDate": "Mon, 01 Jan 0001 00:00:00 GMT", "epochSeconds": -1.25,
    "suit": "diamonds", "level": -3, "choice": {"nothing": {}},
    "strings": ["", "a"], "sparseIntegers": [None, 1], "timestamps": [0],
    "blobs": [""], "children": [{"choice": {"integer": 5}}],
    "byName": {"": {"defaulted": 1}}, "sparseStrings": {"k": None},
    "child": {"child": {"strings": []}}, "defaulted": 7,
}
BINDINGS = {
    "label": "a b", "greedy": "x/y/", "queryString": "", "queryList": ["a", "b"],
    "queryTimestamp": 0, "queryEnum": "CLUBS", "headerString": "h",
    "headerList": ["a,b", "\"q\""], "headerIntegers": [1, -1],
    "prefixHeaders": {"k": "v"}, "note": "n",
}


def cbor(value):
    """A small CBOR encoder: what the seeds need, floats as doubles."""
    def head(major, n):
        if n < 24:
            return bytes([major << 5 | n])
        for size, code in ((1, 24), (2, 25), (4, 26), (8, 27)):
            if n < 1 << (8 * size):
                return bytes([major << 5 | code]) + n.to_bytes(size, "big")
        raise ValueError(n)
    if value is None:
        return b"\xf6"
    if value is True:
        return b"\xf5"
    if value is False:
        return b"\xf4"
    if isinstance(value, int):
        return head(0, value) if value >= 0 else head(1, -1 - value)
    if isinstance(value, float):
        return b"\xfb" + struct.pack(">d", value)
    if isinstance(value, bytes):
        return head(2, len(value)) + value
    if isinstance(value, str):
        data = value.encode()
        return head(3, len(data)) + data
    if isinstance(value, list):
        return head(4, len(value)) + b"".join(cbor(v) for v in value)
    if isinstance(value, dict):
        return head(5, len(value)) + b"".join(cbor(k) + cbor(v) for k, v in value.items())
    raise TypeError(value)


def as_cbor(values):
    """The JSON seed's values in CBOR's forms: blobs as bytes, timestamps
    under tag 1, NaN and infinities as floats."""
    out = dict(values)
    for key in ("float", "double"):
        if key in out:
            out[key] = float(out[key].lower().replace("infinity", "inf")) if isinstance(out[key], str) else out[key]
    out.pop("dateTime", None)
    out.pop("httpDate", None)
    if "blob" in out:
        out["blob"] = b"hi"
    if "blobs" in out:
        out["blobs"] = [b""]
    return out


def main():
    os.makedirs("corpus/server_json", exist_ok=True)
    seeds = []
    for protocol in range(3):
        seeds.append(bytes([protocol << 1]) + json.dumps({"values": VALUES}).encode())
        seeds.append(bytes([protocol << 1 | 1]) + json.dumps(BINDINGS).encode())
        seeds.append(bytes([protocol << 1]) + b"{}")
    cbor_values = as_cbor(VALUES)
    seeds.append(bytes([3 << 1]) + cbor({"values": cbor_values}))
    seeds.append(bytes([3 << 1 | 1]) + cbor(BINDINGS))
    seeds.append(bytes([3 << 1]) + cbor({}))
    for i, seed in enumerate(seeds):
        with open(f"corpus/server_json/seed{i}", "wb") as f:
            f.write(seed)


if __name__ == "__main__":
    main()
