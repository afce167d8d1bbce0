#!/usr/bin/env bash
# Slow check (not run by CI): generates a crate for every AWS service model
# of the development set (../shared/aws-models, or $TINSMITH_AWS_MODELS) and
# lints and documents them all with warnings as errors, in one workspace.
#
#   tests/scripts/aws-models.sh [OUT_DIR] [NAMES]
#
# Environment: TINSMITH_AWS_MODELS (the models), TINSMITH_PROFILE (the
# cargo profile tinsmith is built with: `release`, the default, or `dev`),
# TINSMITH_AWS_TARGET (the target directory of the crates; default
# OUT_DIR/target), TINSMITH_SERVER (when `1`, every crate also gets its
# server, `generate --server`, for the models whose protocol servers speak).
#
# OUT_DIR (default target/aws-models) is taken relative to the repository
# root when it is relative.
# NAMES is a comma-separated list of shell patterns matched against the
# model file names without `.json` (default `*`: every model), e.g.
# `sfn-*,kafka-*` or `*sage*`.
#
# Prints, per model, whether it generated (models with a protocol the
# generator lacks are counted apart) and, at the end, the crates that fail
# `cargo clippy -D warnings` (with every feature, so serde too) or
# `cargo doc` with `-D warnings`.
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"
models="${TINSMITH_AWS_MODELS:-$root/../shared/aws-models/models}"
out="${1:-$root/target/aws-models}"
IFS=, read -r -a patterns <<< "${2:-*}"
if [ ! -d "$models" ]; then
  echo "SKIPPED: AWS models not found at $models (set TINSMITH_AWS_MODELS)" >&2
  exit 0
fi
mkdir -p "$out"
out="$(cd "$out" && pwd)"
profile="${TINSMITH_PROFILE:-release}"
servers=0
cargo build -q --profile "$profile" -p tinsmith
if [ "$profile" = dev ]; then
  tinsmith="$root/target/debug/tinsmith"
else
  tinsmith="$root/target/$profile/tinsmith"
fi
rm -rf "$out/crates"
mkdir -p "$out/crates"
generated=0 unsupported=0 failed=0
members=()
for model in "$models"/*.json; do
  name="$(basename "$model" .json)"
  selected=false
  for pattern in "${patterns[@]}"; do
    # shellcheck disable=SC2254 # the patterns are globs on purpose
    case "$name" in $pattern) selected=true ;; esac
  done
  $selected || continue
  log="$out/crates/$name.log"
  server=()
  if [ "${TINSMITH_SERVER:-0}" = 1 ] && grep -q '"aws.protocols#restJson1"\|"aws.protocols#awsJson1_[01]"\|"smithy.protocols#rpcv2Cbor"' "$model"; then
    server=(--server)
    servers=$((servers + 1))
  fi
  if "$tinsmith" generate "${server[@]}" --crate-name "aws-$name" \
      --out "$out/crates/$name" --runtime-path "$root/runtime" "$model" >"$log" 2>&1; then
    generated=$((generated + 1))
    members+=("crates/$name")
  elif grep -q "declares no supported protocol" "$log"; then
    unsupported=$((unsupported + 1))
  else
    failed=$((failed + 1))
    echo "generate failed: $name: $(grep -m1 '^error' "$log")"
  fi
done
echo "generated $generated ($servers with servers), no supported protocol $unsupported, failed $failed"
if [ $((generated + unsupported + failed)) -eq 0 ]; then
  echo "no model matched ${2:-*}" >&2
  exit 1
fi
status=0
[ "$failed" -eq 0 ] || status=1
"$root/tests/scripts/lint-crates.sh" "$out" "${TINSMITH_AWS_TARGET:-$out/target}" "${members[@]}" || status=1
exit $status
