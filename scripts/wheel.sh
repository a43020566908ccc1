#!/usr/bin/env bash
# `pip install dfslim`, proven: builds the wheel with maturin (pyproject.toml), installs it
# in a fresh venv, and runs the installed `dfslim`. Debian's pip refuses system installs, so
# maturin and the wheel each get a venv of their own.
#
# Usage: scripts/wheel.sh   (prints `wheel: N passed, N failed` last)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' 2>/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 -m venv "$work/build"
"$work/build/bin/pip" install --quiet --disable-pip-version-check 'maturin>=1.5,<2.0'
"$work/build/bin/maturin" build --release --quiet --out "$work/dist" --manifest-path "$repo/Cargo.toml" >/dev/null
wheel=$(ls "$work"/dist/dfslim-*.whl)
echo "wheel: built $(basename "$wheel")"

python3 -m venv "$work/user"
"$work/user/bin/pip" install --quiet --disable-pip-version-check "$wheel"
dfslim="$work/user/bin/dfslim"

passed=0 failed=0
check() { if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "wheel: FAILED: $*" >&2; fi; }

version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
check grep -q "dfslim $version" <<<"$("$dfslim" --version)"
set +e
out=$("$dfslim" check --format concise docs/examples/quickstart/Dockerfile)
code=$?
set -e
# One check per command: `--version`, then `check` (exit 1 with a DFS001 finding).
check_run() { [ "$code" -eq 1 ] && grep -q "DFS001" <<<"$out"; }
check check_run
echo "wheel: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
