#!/usr/bin/env bash
# Commit only what passes the gate: scripts/commit.sh "message" [--amend]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fmt
if ! scripts/gate.sh > target/gate.log 2>&1; then
  tail -40 target/gate.log
  echo "gate failed: not committed" >&2
  exit 1
fi
git add -A
git commit -q "${@:2}" -m "$1"
git log --oneline -1
