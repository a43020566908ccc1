#!/usr/bin/env bash
# The checks every commit must pass: formatting, clippy with warnings denied, the tests.
# Usage: scripts/gate.sh && git commit …
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fmt --check
cargo clippy --all-targets --quiet -- -D warnings
cargo test --quiet 2>&1 | grep -E "^test result|FAILED|panicked|error" || true
cargo test --quiet >/dev/null 2>&1
