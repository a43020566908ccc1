#!/usr/bin/env bash
# Run the stable fuzz harness (tests/fuzz_parse.rs) for a fixed time per generator, print
# the executions and crashes of each, and exit 1 if any generator found a crash. A crash is
# shrunk and saved under fuzz/artifacts/stable/ (see fuzz/README.md for what to do next).
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET]    (default 60)
set -uo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
targets=(fuzz_grammar fuzz_mutation)

cargo test --profile fuzz --test fuzz_parse --no-run --quiet || exit 2

crashed=0
summary=()
for target in "${targets[@]}"; do
    echo "== $target: ${seconds} s"
    log="$(mktemp)"
    env -u DFSLIM_FUZZ_CASES DFSLIM_FUZZ_SECONDS="$seconds" \
        cargo test --profile fuzz --quiet --test fuzz_parse -- --exact "$target" --nocapture \
        >"$log" 2>&1
    status=$?
    line="$(grep -E '^fuzz [a-z]+: [0-9]+ executions' "$log" | tail -n 1)"
    if [ "$status" -eq 0 ] && [ -n "$line" ]; then
        summary+=("$line")
    else
        crashed=1
        failure="$(grep -E 'FAILED after|saved as' "$log" | head -n 2 | tr '\n' ' ')"
        summary+=("fuzz $target: 1 crash: ${failure:-see the log below}")
        cat "$log"
    fi
    rm -f "$log"
done

echo "== summary"
printf '%s\n' "${summary[@]}"
exit "$crashed"
