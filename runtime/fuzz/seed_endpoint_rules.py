"""Seeds `corpus/endpoint_rules`: parameter vectors (`<selector><value>\\0...`)
of the kind real calls give S3, S3 Control and EventBridge (run from this
directory before a long `cargo fuzz run -s none endpoint_rules`)."""

import os

SEEDS = [
    b"\x00" + b"\x00".join([b"my-bucket", b"us-east-1", b"\x00", b"\x00", b"", b"\x01"]),
    b"\x00" + b"\x00".join([b"arn:aws:s3:us-west-2:123456789012:accesspoint/ap", b"us-west-2", b"\x01", b"\x01"]),
    b"\x00" + b"\x00".join([b"bucket--usw2-az1--x-s3", b"us-west-2"]),
    b"\x01" + b"\x00".join([b"us-east-1", b"\x00", b"\x00", b"123456789012"]),
    b"\x02" + b"\x00".join([b"us-east-1", b"\x01", b"\x00", b"abc.def"]),
]

os.makedirs("corpus/endpoint_rules", exist_ok=True)
for i, seed in enumerate(SEEDS):
    with open(f"corpus/endpoint_rules/seed-{i}", "wb") as f:
        f.write(seed)
print(f"{len(SEEDS)} seeds in corpus/endpoint_rules")
