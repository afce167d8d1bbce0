"""Seeds `corpus/server_rest`: one request per operation of
tests/models/odd/bindings.smithy, every binding filled (run from this
directory before a long `cargo fuzz run -s none server_rest`)."""

import os

SEEDS = [
    b"\x00GET\n/labels/a%20b/7/true/1700000000/1.5/red/1/-9/123/1.5e3/NaN/x/y/z\n\n",
    b"\x01POST\n/headers\nx-s: hi\nx-i: 5\nx-t: Tue, 14 Nov 2023 22:13:20 GMT\nx-ls: a, \"b,c\"\n"
    b"x-lt: Tue, 14 Nov 2023 22:13:20 GMT, Wed, 15 Nov 2023 22:13:20 GMT\nx-li: 1,2\nx-meta-k: v\n"
    b"x-m: eyJhIjoxfQ==\n\n",
    b"\x02GET\n/queries?fixed=1&flag&s=x&i=3&t=2023-11-14T22:13:20Z&ls=a&ls=b&li=1&li=2&free=q\n\n",
    b"\x03PUT\n/structure\ncontent-type: application/json\n\n{\"x\": 1, \"y\": -2}",
    b"\x03PUT\n/union\ncontent-type: application/json\n\n{\"point\": {\"x\": 1}}",
    b"\x03PUT\n/document\ncontent-type: application/json\n\n{\"a\": [1, 2.5, null, \"x\"]}",
    b"\x03PUT\n/list\ncontent-type: application/json\n\n[{\"x\": 1}, {}]",
    b"\x03PUT\n/map\ncontent-type: application/json\n\n{\"k\": {\"y\": 2}}",
    b"\x03PUT\n/text\ncontent-type: application/json\n\n{\"raw\": true}",
    b"\x03PUT\n/enum\ncontent-type: text/plain\n\nred",
    b"\x03PUT\n/blob\ncontent-type: image/png\n\n\x89PNG",
    b"\x03PUT\n/integer\ncontent-type: application/json\n\n42",
    b"\x04PROPFIND\n/dav/a/b/c\nDepth: 1\n\n",
    b"\x05DELETE\n/\n\n",
    b"\x01POST\n/enums\ncontent-type: application/json\nx-color-a: blue\n\n"
    b"{\"region\": \"red\", \"token\": \"blue\"}",
    b"\x01POST\n/tokens\ncontent-type: application/json\n\n{\"token\": \"t\", \"colorToken\": \"red\"}",
]

os.makedirs("corpus/server_rest", exist_ok=True)
for i, seed in enumerate(SEEDS):
    with open(f"corpus/server_rest/seed{i:02}", "wb") as f:
        f.write(seed)
