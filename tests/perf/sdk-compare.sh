#!/usr/bin/env bash
# Performance at AWS scale, measured side by side in one run on this machine:
#
#   1. loading: `Loader` (parse, assemble, validate) against `serde_json`
#      parsing the same files into a `Value`, over the development set and
#      for SageMaker alone (the `aws_load` bench of tinsmith-model); then
#      the same with one process per file, as a build script or a CLI run
#      loads a model: a program that loads one file, and `tinsmith check`,
#      against a program that parses one file with `serde_json` (each run
#      over every file of the development set, alternated, best of 3), so
#      the first load's preparation of the built-in files is counted; and
#      `tinsmith check` of the whole directory, one process loading every
#      file as one model, against one process parsing every file in turn;
#   2. generating the whole development set in one `tinsmith generate` run
#      (wall time; release build of tinsmith);
#   3. the SSM (awsJson1_1) and S3 (restXml) crates generated from the
#      development set against aws-sdk-ssm and aws-sdk-s3 from crates.io:
#      lines of Rust under src/, and the time `cargo build` takes for the
#      crate alone (dependencies prebuilt, `cargo clean -p` before each
#      build, incremental compilation off for both), debug and release,
#      the two crates built alternately.
#
# Usage: tests/perf/sdk-compare.sh [work dir, default target/perf]
# Needs crates.io for the aws-sdk crates (versions: AWS_SDK_SSM, AWS_SDK_S3;
# rounds per build: ROUNDS, default 2). Takes about 15 minutes on 2 cores.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="${1:-$root/target/perf}"
models="${TINSMITH_AWS_MODELS:-$root/../shared/aws-models/models}"
ssm_version="${AWS_SDK_SSM:-=1.133.0}"
s3_version="${AWS_SDK_S3:-=1.157.0}"
rounds="${ROUNDS:-2}"
if [ ! -d "$models" ]; then
  echo "SKIPPED: AWS models not found at $models (set TINSMITH_AWS_MODELS)" >&2
  exit 0
fi
mkdir -p "$work"
work="$(cd "$work" && pwd)"
calc() { python3 -c "print($1)"; }
cd "$root"

echo "== 1. loading against serde_json parsing"
TINSMITH_AWS_MODELS="$models" cargo bench -q -p tinsmith-model --bench aws_load 2>/dev/null

cargo build -q --release -p tinsmith
one="$work/per-process"
mkdir -p "$one/src/bin"
cat > "$one/Cargo.toml" <<TOML
[package]
name = "per-process"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
serde_json = { version = "1", features = ["preserve_order", "arbitrary_precision"] }
tinsmith-model = { path = "$root/codegen/model" }

[profile.release]
debug = 1

[workspace]
TOML
cat > "$one/src/bin/load-one.rs" <<'RUST'
fn main() {
    let path = std::env::args().nth(1).expect("a model file");
    let loaded = tinsmith_model::Loader::new().path(path).load();
    std::process::exit(i32::from(loaded.has_errors()));
}
RUST
cat > "$one/src/bin/parse-one.rs" <<'RUST'
fn main() {
    let path = std::env::args().nth(1).expect("a model file");
    let bytes = std::fs::read(path).expect("readable");
    let value: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON");
    std::hint::black_box(&value);
    // As load-one does: the process ends without freeing what it built.
    std::process::exit(0);
}
RUST
cat > "$one/src/bin/parse-dir.rs" <<'RUST'
fn main() {
    // Every `.json` file of a directory, each parsed and dropped in turn.
    let dir = std::env::args().nth(1).expect("a directory");
    for entry in std::fs::read_dir(dir).expect("readable") {
        let path = entry.expect("readable").path();
        if path.extension().is_some_and(|e| e == "json") {
            let bytes = std::fs::read(&path).expect("readable");
            let value: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON");
            std::hint::black_box(&value);
        }
    }
}
RUST
cp "$root/Cargo.lock" "$one/"
(cd "$one" && cargo build -q --release --target-dir "$one/target" 2>/dev/null)
for bin in parse-one load-one parse-dir; do
  [ -x "$one/target/release/$bin" ] || { echo "could not build $bin" >&2; exit 1; }
done
every_file() { # command...
  local start end
  start=$(date +%s.%N)
  for f in "$models"/*.json; do "$@" "$f" >/dev/null 2>&1 || true; done
  end=$(date +%s.%N)
  calc "$end - $start"
}
parse_best="" load_best="" check_best=""
best() { if [ -z "$1" ] || [ "$(calc "$2 < $1")" = True ]; then echo "$2"; else echo "$1"; fi; }
for _ in 1 2 3; do
  parse_best=$(best "$parse_best" "$(every_file "$one/target/release/parse-one")")
  load_best=$(best "$load_best" "$(every_file "$one/target/release/load-one")")
  check_best=$(best "$check_best" "$(every_file target/release/tinsmith check)")
done
files=$(ls "$models"/*.json | wc -l)
printf 'one process per file (%d files): serde_json parse %.3f s\n' "$files" "$parse_best"
printf '  load + validate: %.3f s: %.2fx\n' "$load_best" "$(calc "$load_best / $parse_best")"
printf '  tinsmith check:  %.3f s: %.2fx\n' "$check_best" "$(calc "$check_best / $parse_best")"
one_run() { # command... ; its wall time
  local start end
  start=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; end=$(date +%s.%N)
  calc "$end - $start"
}
dir_parse="" dir_check=""
for _ in 1 2 3 4 5; do
  dir_parse=$(best "$dir_parse" "$(one_run "$one/target/release/parse-dir" "$models")")
  dir_check=$(best "$dir_check" "$(one_run target/release/tinsmith check "$models")")
done
printf 'the whole directory in one process: serde_json parse of each file %.3f s\n' "$dir_parse"
printf '  tinsmith check of the directory (one model of every file): %.3f s: %.2fx\n' "$dir_check" "$(calc "$dir_check / $dir_parse")"

echo "== 2. generating the whole development set in one run"
rm -rf "$work/all"
start=$(date +%s.%N)
target/release/tinsmith generate --out "$work/all" --runtime-path "$root/runtime" "$models" >/dev/null 2>&1
end=$(date +%s.%N)
crates=$(find "$work/all" -mindepth 2 -maxdepth 2 -name Cargo.toml | wc -l)
printf '%d crates in %.1f s wall on %d cores\n' "$crates" "$(calc "$end - $start")" "$(nproc)"

echo "== 3. generated crates against aws-sdk-rust's"
cmp="$work/compare"
mkdir -p "$cmp/ours"
for pair in "ssm ssm-2014-11-06" "s3 s3-2006-03-01"; do
  set -- $pair
  target/release/tinsmith generate --crate-name "tinsmith-$1" --out "$cmp/ours/$1" \
    --runtime-path "$root/runtime" "$models/$2.json" >/dev/null
done
cat > "$cmp/Cargo.toml" <<TOML
[package]
name = "compare"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
aws-sdk-ssm = "$ssm_version"
aws-sdk-s3 = "$s3_version"
tinsmith-ssm = { path = "ours/ssm" }
tinsmith-s3 = { path = "ours/s3" }

[workspace]
members = [".", "ours/ssm", "ours/s3"]
TOML
mkdir -p "$cmp/src"
echo "fn main() {}" > "$cmp/src/main.rs"
cd "$cmp"
echo "prebuilding dependencies (debug and release)..."
cargo build -q 2>/dev/null
cargo build -q --release 2>/dev/null
lines() {
  find "$1" -name '*.rs' -print0 | xargs -0 cat | wc -l
}
src_of() {
  cargo metadata --format-version 1 -q | python3 -c \
    "import json,sys,os; m=json.load(sys.stdin); print([os.path.dirname(p['manifest_path']) for p in m['packages'] if p['name']==sys.argv[1]][0])" "$1"
}
# Without incremental compilation, for both: cargo compiles a crates.io
# dependency (aws-sdk-*) without it, but a workspace member (ours, here)
# with it in debug builds, and a cold incremental build takes longer. A
# generated crate used as a dependency builds as the aws-sdk crate does.
build_time() { # package, profile flag
  cargo clean -q -p "$1" ${2:+--release}
  local start end
  start=$(date +%s.%N)
  CARGO_INCREMENTAL=0 cargo build -q -p "$1" ${2:+--release} 2>/dev/null
  end=$(date +%s.%N)
  calc "$end - $start"
}
for service in ssm s3; do
  ours="tinsmith-$service" theirs="aws-sdk-$service"
  ours_lines=$(lines "$(src_of "$ours")/src") theirs_lines=$(lines "$(src_of "$theirs")/src")
  printf '%s: lines of Rust %d (%s) vs %d (%s): %.2fx\n' "$service" "$ours_lines" "$ours" \
    "$theirs_lines" "$theirs" "$(calc "$ours_lines / $theirs_lines")"
  for profile in "" release; do
    ours_best="" theirs_best=""
    for _ in $(seq "$rounds"); do
      t=$(build_time "$theirs" "$profile")
      o=$(build_time "$ours" "$profile")
      if [ -z "$theirs_best" ] || [ "$(calc "$t < $theirs_best")" = True ]; then theirs_best=$t; fi
      if [ -z "$ours_best" ] || [ "$(calc "$o < $ours_best")" = True ]; then ours_best=$o; fi
    done
    printf '%s: cargo build %s: %.1f s vs %.1f s: %.2fx (best of %d, alternated)\n' "$service" \
      "${profile:-debug}" "$ours_best" "$theirs_best" "$(calc "$ours_best / $theirs_best")" "$rounds"
  done
done
