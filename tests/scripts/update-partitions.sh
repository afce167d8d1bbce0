#!/usr/bin/env bash
# Refreshes the AWS partition data the runtime bundles for the endpoint
# rules engine (runtime/src/endpoint/partitions.json) from a newer copy of
# AWS's published partitions.json (default: ../shared/smithy/rules-engine/).
#
#   tests/scripts/update-partitions.sh [PATH_TO_PARTITIONS_JSON]
set -euo pipefail
cd "$(dirname "$0")/../.."
source="${1:-../shared/smithy/rules-engine/partitions.json}"
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert d["partitions"], "no partitions"' "$source"
cp "$source" runtime/src/endpoint/partitions.json
echo "updated runtime/src/endpoint/partitions.json from $source"
