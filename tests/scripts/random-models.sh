#!/usr/bin/env bash
# Random but valid Smithy models (tests/random-models: names chosen to
# collide with Rust keywords, the prelude and the generator's own names;
# every protocol; event streams, bindings, constraints, odd documentation):
# each must either be refused by `tinsmith check` with a diagnostic or
# generate a crate (with a server, where the protocol has them) that lints
# and documents with warnings as errors.
#
#   tests/scripts/random-models.sh [COUNT] [FIRST_SEED] [OUT_DIR]
#
# COUNT models (default 200) from FIRST_SEED (default 1), into OUT_DIR
# (default target/random-models; relative to the repository root). A
# failure names its seed: `target/release/random-model DIR SEED 1` (or
# `target/debug/` with TINSMITH_PROFILE=dev) writes that model again. Environment: TINSMITH_PROFILE (the cargo profile
# tinsmith is built with: `release`, the default, or `dev`),
# TINSMITH_RANDOM_TARGET (the target directory of the crates; default
# OUT_DIR/target).
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"
count="${1:-200}"
first="${2:-1}"
out="${3:-$root/target/random-models}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
profile="${TINSMITH_PROFILE:-release}"
cargo build -q --profile "$profile" -p tinsmith -p tinsmith-random-models
dir="$root/target/$profile"
[ "$profile" = dev ] && dir="$root/target/debug"
rm -rf "$out/models" "$out/crates"
mkdir -p "$out/crates"
"$dir/random-model" "$out/models" "$first" "$count"
generated=0 refused=0 failed=0
members=()
servers=0 client_only=0
for model in "$out"/models/*.smithy; do
  name="$(basename "$model" .smithy)"
  log="$out/crates/$name.log"
  generate() { # [--server]
    "$dir/tinsmith" generate "$@" --crate-name "random-$name" \
      --out "$out/crates/$name" --runtime-path "$root/runtime" "$model" >>"$log" 2>&1
  }
  if ! "$dir/tinsmith" check "$model" >"$log" 2>&1; then
    # Refused with a diagnostic: allowed, and counted.
    refused=$((refused + 1))
    echo "refused: $name: $(grep -m1 '^error' "$log")"
    continue
  fi
  # A server too where the protocol has generated servers; a server the
  # generator refuses (with a diagnostic) leaves the client alone.
  if ! grep -qE '^@aws\.protocols#(restXml|awsQuery|ec2Query)' "$model" && generate --server; then
    servers=$((servers + 1))
  elif generate; then
    client_only=$((client_only + 1))
    grep -q '^@aws\.protocols#\(restXml\|awsQuery\|ec2Query\)' "$model" \
      || echo "server refused: $name: $(grep -m1 '^error' "$log")"
  else
    # `check` accepted it: generation must not fail.
    failed=$((failed + 1))
    echo "generate failed after check passed: $name: $(grep -m1 '^error' "$log")"
    continue
  fi
  generated=$((generated + 1))
  members+=("crates/$name")
done
echo "models $count (seeds $first..$((first + count - 1))): generated $generated ($servers with a server)," \
  "refused by check $refused, generation failed $failed"
# Refusals are allowed, but a batch of them would test nothing.
if [ $((refused * 2)) -gt "$count" ]; then
  echo "more than half of the models were refused: the generator writes invalid models" >&2
  failed=$((failed + 1))
fi
status=0
[ "$failed" -eq 0 ] || status=1
"$root/tests/scripts/lint-crates.sh" "$out" "${TINSMITH_RANDOM_TARGET:-$out/target}" "${members[@]}" || status=1
exit $status
