#!/usr/bin/env bash
# The cost limits of docs/limits.md, at full size, on a release build: each input is
# generated, run under a 1 GB address-space limit, and reported with its exit code, time
# and peak RSS. A signal (exit over 128) fails the script.
#
# Usage: scripts/limits.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
dfslim="${CARGO_TARGET_DIR:-$PWD/target}/release/dfslim"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

python3 - "$dir" <<'PY'
import sys
d = sys.argv[1]
def write(name, lines):
    with open(f"{d}/{name}", "w") as f:
        f.write("\n".join(lines) + "\n")
write("doubling-args", ["ARG A0=x"] + [f"ARG A{i+1}=${{A{i}}}${{A{i}}}" for i in range(60)] + ["FROM alpine"])
write("env-path-20000", ["FROM debian:12"] + [f"ENV V{i}=$PATH" for i in range(20000)] + ['CMD ["/app"]'])
lines, size, i = ["FROM debian:12"], 15, 0
while size < 8 * 1024 * 1024 - 200:
    line = f"ENV V{i}=$PATH"; lines.append(line); size += len(line) + 1; i += 1
write("env-8mib", lines)
write("chained-8000", ["FROM alpine AS s0"] + [l for i in range(8000) for l in (f"FROM s{i} AS s{i+1}", f"ENV V{i}=x")])
with open(f"{d}/blank-8m", "w") as f:
    f.write("FROM debian:12\n" + "\n" * 8_000_000 + 'CMD ["/app"]\n')
with open(f"{d}/comments-4m", "w") as f:
    f.write("FROM debian:12\n" + "#\n" * 4_000_000 + 'CMD ["/app"]\n')
with open(f"{d}/labels-8mib", "w") as f:
    f.write("FROM debian:12\n" + "".join(f"LABEL V{i}=$PATH\n" for i in range(400_000)))
import os
big = ("FROM golang:1.24-bookworm AS build\nWORKDIR /src\nCOPY . .\n"
       "RUN CGO_ENABLED=0 go build -o /out/app .\nFROM debian:bookworm-slim\n"
       "COPY --from=build /out/app /app\n" + "".join(f"LABEL k{i}=v{i}\n" for i in range(40000)))
big += ("# " + "x" * 98 + "\n") * ((7 * 1024 * 1024 - len(big)) // 101) + 'ENTRYPOINT ["/app"]\n'
os.makedirs(f"{d}/files-40x7mib")
for i in range(40):
    with open(f"{d}/files-40x7mib/{i}.Dockerfile", "w") as f:
        f.write(big)
for n in (5000, 20000):
    write(f"stages-{n}", [l for i in range(n) for l in (f"FROM s{i//2} AS s{i}", f"RUN echo {i}")])
PY

printf '| input | command | exit | time | peak RSS |\n|---|---|---|---|---|\n'
status=0
for case in doubling-args:check env-path-20000:rewrite env-8mib:rewrite chained-8000:check \
  stages-5000:check stages-20000:check blank-8m:check comments-4m:check labels-8mib:check files-40x7mib:rewrite,--format,json; do
  file=${case%%:*} command=${case#*:} command=${command//,/ }
  set +e
  # shellcheck disable=SC2086  # $command is several words on purpose
  /usr/bin/time -f '%e %M' -o "$dir/time" \
    sh -c 'ulimit -v 1000000; exec "$0" "$@"' "$dfslim" $command "$dir/$file" >/dev/null 2>&1
  code=$?
  set -e
  read -r seconds kib < <(tail -1 "$dir/time")
  printf '| %s | %s | %s | %s s | %s MB |\n' "$file" "$command" "$code" "$seconds" "$((kib / 1024))"
  if [ "$code" -gt 2 ]; then status=1; fi
done
exit $status
