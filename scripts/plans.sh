#!/usr/bin/env bash
# Writes what dfslim decides for every real Dockerfile of the corpus, so that a refactor can
# be shown to change nothing: `dfslim rewrite --format json` and `dfslim check --format
# json` over ../shared/corpus/apps, one after the other, into one file.
#
# Usage: scripts/plans.sh OUT     (compare two runs with `cmp` or `diff`)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: scripts/plans.sh OUT}
corpus=../shared/corpus/apps
[ -d "$corpus" ] || { echo "plans.sh: $corpus is missing" >&2; exit 2; }
cargo build --quiet --release
bin=target/release/dfslim
{
  echo "## dfslim rewrite --format json $corpus"
  # Exit 1 means "some file would change": expected here.
  "$bin" rewrite --format json "$corpus" || [ $? -eq 1 ]
  echo
  echo "## dfslim check --format json $corpus"
  "$bin" check --format json "$corpus" || [ $? -eq 1 ]
} >"$out"
echo "plans.sh: wrote $out ($(wc -c <"$out") bytes)"
