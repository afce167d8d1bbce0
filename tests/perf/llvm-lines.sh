#!/usr/bin/env bash
# Where a generated crate's compile time goes: builds the crate once in
# debug with one codegen unit, emitting LLVM IR, and prints the lines of IR
# per function family (generic instances grouped), largest first, like
# `cargo llvm-lines` — whose install this does not need.
#
# Usage: tests/perf/llvm-lines.sh <crate dir> [families to print, default 40]
# The crate's dependencies build first if they are not built yet; the IR
# file (hundreds of MB for a large service) lands in its target directory.
set -euo pipefail
crate="$(cd "$1" && pwd)"
top="${2:-40}"
cd "$crate"
name="$(sed -n 's/^name = "\(.*\)"/\1/p' Cargo.toml | head -1 | tr - _)"
touch src/lib.rs
cargo rustc -q --lib -- --emit=llvm-ir -C codegen-units=1
target_dir="$(cargo metadata -q --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
ir="$(ls -t "$target_dir"/debug/deps/"$name"-*.ll | head -1)"
python3 - "$ir" "$top" <<'PY'
import collections, re, subprocess, sys

path, top = sys.argv[1], int(sys.argv[2])
functions, name, lines = [], None, 0
for line in open(path, encoding="utf-8", errors="replace"):
    if line.startswith("define "):
        found = re.search(r'@("?[^\s(]+"?)\(', line)
        name, lines = found.group(1).strip('"'), 0
    elif line.startswith("}") and name:
        functions.append((name, lines))
        name = None
    elif name:
        lines += 1
demangled = subprocess.run(
    ["c++filt"], input="\n".join(n for n, _ in functions), capture_output=True, text=True
).stdout.split("\n")
total, count = collections.Counter(), collections.Counter()
for (_, n), full in zip(functions, demangled):
    family = re.sub(r"::h[0-9a-f]{16}$", "", full)
    for _ in range(4):  # drop generic arguments, innermost first
        family = re.sub(r"<[^<>]*>", "<>", family)
    total[family] += n
    count[family] += 1
print(f"{sum(n for _, n in functions)} lines of LLVM IR in {len(functions)} functions ({path})")
print(f"{'lines':>8} {'copies':>7}  function")
for family, n in total.most_common(top):
    print(f"{n:8d} {count[family]:7d}  {family[:140]}")
PY
