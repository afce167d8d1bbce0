#!/usr/bin/env bash
# A short run of every fuzz target (30 s each by default; the first
# argument changes it), seeded first: what developers run before resolving
# an issue that touches a reader of untrusted input. Long runs and their
# figures are in each fuzz directory's README. Needs `cargo install
# cargo-fuzz`; runs on stable with `-s none`.
set -euo pipefail

seconds="${1:-30}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
failed=()

run() { # <fuzz directory> <target>
    local dir="$1" target="$2"
    echo "== $target ($dir), ${seconds}s"
    mkdir -p "$dir/corpus/$target" "$dir/artifacts/$target"
    local started
    started="$(mktemp)"
    if ! (cd "$dir" && cargo fuzz run -s none "$target" "corpus/$target" -- \
        -max_total_time="$seconds" -print_final_stats=1 2>&1 | grep -E "^(Done|stat::number_of_executed_units)|panicked|ERROR"); then
        failed+=("$target")
    fi
    # A crash leaves its input under artifacts/ (older ones are not this run's).
    if [ -n "$(find "$dir/artifacts/$target" -newer "$started" -type f)" ]; then
        failed+=("$target (see $dir/artifacts/$target)")
    fi
    rm -f "$started"
}

(cd "$root/runtime/fuzz" && python3 seed_eventstream.py >/dev/null && python3 seed_server_rest.py >/dev/null \
    && python3 seed_server_events.py >/dev/null && python3 seed_endpoint_rules.py >/dev/null \
    && python3 seed_json_rpc_events.py >/dev/null && python3 seed_server_json.py >/dev/null)

for target in idl json_ast; do run "$root/codegen/model/fuzz" "$target"; done
for target in generate docs pattern; do run "$root/codegen/fuzz" "$target"; done
for target in response eventstream server server_json server_rest server_events json_rpc_events \
    gateway_input endpoint_rules; do
    run "$root/runtime/fuzz" "$target"
done

if [ "${#failed[@]}" -gt 0 ]; then
    echo "FAILED: ${failed[*]}"
    exit 1
fi
echo "every target ran ${seconds}s without a crash"
