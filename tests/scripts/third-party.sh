#!/usr/bin/env bash
# Slow check (not run by CI): the third-party set. Generates the crates of a
# fixed set of real service models that nobody on this project wrote, chosen
# for what they exercise, and builds them with `cargo clippy -D warnings` and
# `cargo doc` with `-D warnings` (through aws-models.sh, whose environment
# and output it shares):
#
#   cloudtrail                 awsJson1_1; a deprecated shape, 14 deprecated members
#   cognito-identity-provider  awsJson1_1; 47 enums, 13 sensitive shapes
#   emr-serverless             restJson1; idempotency tokens, a union
#   kafka                      restJson1; 12 paginated operations
#   lex-models-v2              restJson1; 101 enums, 28 paginators, deep nesting
#   memorydb                   awsJson1_1; 49 members documented as <p></p>
#   rds-data                   restJson1; unions, a deprecated operation
#   scheduler                  restJson1; client tokens in the body
#   sfn                        awsJson1_0; 16 sensitive shapes, empty docs
#   timestream-write           awsJson1_0; endpoint discovery, 40 <p></p> docs
#   transcribe                 awsJson1_1; paginators, a union
#   verifiedpermissions        awsJson1_0; 17 unions (recursive), deprecations
#   workspaces-web             restJson1; 18 idempotency tokens, pagination
#
#   tests/scripts/third-party.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")"
set=cloudtrail-[0-9]*,cognito-identity-provider-[0-9]*,emr-serverless-[0-9]*,kafka-[0-9]*,lex-models-v2-[0-9]*,memorydb-[0-9]*,rds-data-[0-9]*
set+=,scheduler-[0-9]*,sfn-[0-9]*,timestream-write-[0-9]*,transcribe-[0-9]*,verifiedpermissions-[0-9]*,workspaces-web-[0-9]*
exec ./aws-models.sh "${1:-$PWD/../../target/third-party}" "$set"
