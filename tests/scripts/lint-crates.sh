#!/usr/bin/env bash
# Lints and documents generated crates with warnings as errors, as one
# workspace: what aws-models.sh and random-models.sh end with.
#
#   tests/scripts/lint-crates.sh OUT_DIR TARGET_DIR MEMBER...
#
# Writes OUT_DIR/Cargo.toml (a workspace of the MEMBERs, paths relative to
# OUT_DIR), runs `cargo clippy --all-features -D warnings` and `cargo doc`
# with `-D warnings` on it into TARGET_DIR, prints how many crates failed
# each (details in OUT_DIR/clippy.log and OUT_DIR/doc.log), and exits 1
# when any did.
set -euo pipefail
out="$1" target="$2"
shift 2
members=()
for member in "$@"; do members+=("\"$member\""); done
{
  echo "[workspace]"
  echo "resolver = \"3\""
  printf 'members = [%s]\n' "$(IFS=,; echo "${members[*]}")"
} > "$out/Cargo.toml"
cd "$out"
export CARGO_TARGET_DIR="$target"
status=0
cargo clippy --workspace --all-features --keep-going -q -- -D warnings 2>"$out/clippy.log" || status=1
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --keep-going -q 2>"$out/doc.log" || status=1
for log in clippy doc; do
  failures=$(grep -c '^error: could not' "$out/$log.log" || true)
  echo "$log: $failures crate(s) failed (details: $out/$log.log)"
  grep '^error: could not' "$out/$log.log" || true
done
exit $status
