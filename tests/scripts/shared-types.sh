#!/usr/bin/env bash
# The crate form of a shared-types library (run by CI): generates the
# types-only crate of `tinsmith.tests.common` and the two services of
# tests/models/shared/ that use it (--extern-types) as real crates in one
# workspace, then lints them with every feature (serde included) and
# documents them, warnings as errors.
#
#   tests/scripts/shared-types.sh [TARGET_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"
target="${1:-$root/target/readme-sdk}"
out="$(mktemp -d)/shared"
tinsmith() { cargo run -q -p tinsmith -- "$@"; }
tinsmith generate --types-only --namespace tinsmith.tests.common \
  --out "$out/tinsmith-tests-common" --runtime-path "$root/runtime" tests/models/shared
tinsmith generate --extern-types tinsmith.tests.common=tinsmith_tests_common \
  --out "$out" --runtime-path "$root/runtime" tests/models/shared
cd "$out"
export CARGO_TARGET_DIR="$target"
cargo clippy -q --workspace --all-features -- -D warnings
cargo clippy -q --workspace -- -D warnings
RUSTDOCFLAGS="-D warnings" cargo doc -q --workspace --all-features --no-deps
echo "shared types: the library and both services build, lint and document cleanly"
