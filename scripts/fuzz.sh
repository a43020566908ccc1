#!/usr/bin/env bash
# Run the stable fuzz harnesses for a bounded time, print the executions and crashes of
# each, and exit 1 if any found a crash:
# - tests/fuzz_parse.rs (fuzz_grammar, fuzz_mutation): each for SECONDS of wall time; a
#   crash is shrunk and saved under fuzz/artifacts/stable/ (see fuzz/README.md);
# - tests/fuzz_rewrite.rs counts cases, not time: it gets SECONDS × 1000 cases (at about
#   4,000 cases a second, a quarter of the time).
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET]    (default 60)
set -uo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"

cargo test --profile fuzz --test fuzz_parse --test fuzz_rewrite --no-run --quiet || exit 2

crashed=0
summary=()

# run NAME TEST FILTER SUMMARY_PATTERN [VAR=VALUE…]: one harness, its summary line kept.
run() {
    local name="$1" test="$2" filter="$3" pattern="$4"
    shift 4
    echo "== $name"
    local log status line
    log="$(mktemp)"
    env -u DFSLIM_FUZZ_CASES -u DFSLIM_FUZZ_SECONDS "$@" \
        cargo test --profile fuzz --quiet --test "$test" -- --exact "$filter" --nocapture \
        >"$log" 2>&1
    status=$?
    line="$(grep -E "$pattern" "$log" | tail -n 1)"
    if [ "$status" -eq 0 ] && [ -n "$line" ]; then
        summary+=("$line")
    else
        crashed=1
        local failure
        failure="$(grep -E 'FAILED after|saved as|minimal failing input' "$log" | head -n 2 | tr '\n' ' ')"
        summary+=("$name: 1 crash: ${failure:-see the log above}")
        cat "$log"
    fi
    rm -f "$log"
}

# The patterns are not anchored: libtest's own notes share the log and may precede a line.
run "fuzz_grammar (${seconds} s)" fuzz_parse fuzz_grammar 'grammar: [0-9]+ executions' \
    DFSLIM_FUZZ_SECONDS="$seconds"
run "fuzz_mutation (${seconds} s)" fuzz_parse fuzz_mutation 'mutation: [0-9]+ executions' \
    DFSLIM_FUZZ_SECONDS="$seconds"
run "fuzz_rewrite ($((seconds * 1000)) cases)" fuzz_rewrite rewrite_never_breaks_its_properties \
    'fuzz_rewrite: [0-9]+ cases' DFSLIM_FUZZ_CASES="$((seconds * 1000))"

echo "== summary"
printf '%s\n' "${summary[@]}"
exit "$crashed"
