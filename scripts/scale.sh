#!/usr/bin/env bash
# Scale: a generated tree of N Dockerfiles (default 100,000) built by cycling the real files
# of ../shared/corpus/{apps,base}, then `dfslim check` and `dfslim rewrite` over the whole
# tree in one process each, with wall time and peak RSS (GNU time).
#
# Usage: scripts/scale.sh [N] [DIR]   (DIR default: target/scale)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-100000}"
dir="${2:-target/scale}"
corpus="../shared/corpus"
[ -d "$corpus/apps" ] || { echo "scale: $corpus is absent" >&2; exit 1; }
[ -x /usr/bin/time ] || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }
cargo build --release --quiet
dfslim="${CARGO_TARGET_DIR:-$PWD/target}/release/dfslim"

if [ ! -f "$dir/.complete-$n" ]; then
  rm -rf "$dir"
  mkdir -p "$dir"
  python3 - "$n" "$dir" "$corpus" <<'PY'
import os, sys
n, root, corpus = int(sys.argv[1]), sys.argv[2], sys.argv[3]
sources = sorted(os.path.join(d, f) for sub in ("apps", "base")
                 for d, _, fs in os.walk(os.path.join(corpus, sub)) for f in fs)
texts = [open(p, "rb").read() for p in sources]
for i in range(n):
    folder = os.path.join(root, f"team{i // 1000:03d}", f"svc{i % 1000:03d}")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "Dockerfile"), "wb") as f:
        f.write(texts[i % len(texts)])
PY
  touch "$dir/.complete-$n"
fi
echo "tree: $n Dockerfiles, $(du -sh "$dir" | cut -f1) in $dir; $(nproc) cores"
for cmd in "check --format concise --failure-threshold none" "check --format json" "check --format sarif" "rewrite --format json"; do
  /usr/bin/time -f "%e s wall, %M KiB peak RSS" -o target/scale-time.txt \
    "$dfslim" $cmd "$dir" > target/scale-out.txt 2>/dev/null || true
  echo "dfslim $cmd: $(cat target/scale-time.txt | tail -1); $(wc -l < target/scale-out.txt) lines of output"
done
