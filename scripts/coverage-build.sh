#!/usr/bin/env bash
# What `dfslim rewrite --build` does with real Dockerfiles that the text alone declines: a
# sample of jessfraz/dockerfiles' CLI images (`apt-get install nmap`, then run it), from
# ../shared/corpus/apps. Each is built as written, rewritten with --build, the rewrite is
# built too, and both images run a command that uses the program's data (nmap's script
# engine, pandoc's templates); the outputs must be the same.
#
# No registry is reachable here, so each file's `FROM debian:<release>-slim` (bullseye, sid)
# is replaced by the e2e suite's `debian:bookworm-slim` stand-in, and the distroless targets
# are the suite's stand-ins too (tests/e2e/standins.sh). The first run prepares them through
# tests/e2e/run.sh. The corpus files are read, never copied into the project.
#
# Usage: scripts/coverage-build.sh [CORPUS_DIR]   (default ../shared/corpus/apps)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
corpus=${1:-../shared/corpus/apps}
[ -d "$corpus" ] || { echo "coverage-build.sh: $corpus is missing" >&2; exit 2; }
cargo build --quiet --release
bin=$repo/target/release/dfslim

top=$repo/target/e2e
export BUILDAH_ISOLATION=chroot
export CONTAINERS_STORAGE_CONF=$top/storage.conf
export CONTAINERS_REGISTRIES_CONF=$top/registries.conf
export TMPDIR=$top/tmp
if ! [ -f "$CONTAINERS_STORAGE_CONF" ] || ! buildah inspect --type image \
    docker.io/library/debian:bookworm-slim >/dev/null 2>&1; then
  echo "coverage-build.sh: preparing the stand-ins (tests/e2e/run.sh --only apt-jq)" >&2
  bash tests/e2e/run.sh --only apt-jq >&2
fi
mkdir -p "$TMPDIR"

# name | the command both images run (argv, space-separated)
samples=(
  "nmap|nmap --script-help=http-title"
  "pandoc|pandoc --print-default-template=html5"
  "shellcheck|shellcheck --list-optional"
  "lynx|lynx -dump -force_html /etc/lynx/lynx.lss"
  "stress|stress --version"
  "traceroute|traceroute --version"
  "rt-tests|hackbench -l 10"
  "netcat|netcat -h"
  "nginx-extras|nginx -t"
)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Run times and timestamps differ between any two runs.
normalize() { sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}( [A-Z]+)?/<time>/g; s/^Time: [0-9.]+$/Time: <n>/'; }
run() { # IMAGE ARGV...
  local image=$1 c; shift
  c=$(buildah from --pull-never "$image")
  { timeout 120 buildah run "$c" -- "$@" 2>&1; echo "exit $?"; } | normalize
  buildah rm "$c" >/dev/null
}

rewritten=0 same=0 declined=0 failed=0
printf '| file | dfslim rewrite --build | command | same behaviour |\n|---|---|---|---|\n'
for sample in "${samples[@]}"; do
  name=${sample%%|*}
  read -r -a argv <<<"${sample#*|}"
  src=$corpus/jessfraz__dockerfiles__${name}__Dockerfile.Dockerfile
  [ -f "$src" ] || { echo "coverage-build.sh: $src is missing" >&2; exit 2; }
  dir=$work/$name
  mkdir -p "$dir"
  sed -E 's/^FROM (debian|ubuntu):[a-z0-9.]+(-slim)?/FROM debian:bookworm-slim/' "$src" >"$dir/Dockerfile"
  cp "$dir/Dockerfile" "$dir/original.Dockerfile"
  status=0
  "$bin" rewrite --build --write "$dir/Dockerfile" >"$dir/rewrite.out" 2>&1 || status=$?
  if cmp -s "$dir/Dockerfile" "$dir/original.Dockerfile"; then
    if [ "$status" -eq 2 ]; then
      failed=$((failed + 1))
      why="failed: $(grep -m1 -o 'failed (exit [0-9]*): [^^]*' "$dir/rewrite.out" | head -c 90)"
    else
      declined=$((declined + 1))
      # The built image's own reason when the build was read, else the text's.
      why=$(grep -m1 -o 'cannot be rewritten either: .*' "$dir/rewrite.out" | cut -d: -f2- | cut -c1-110)
      [ -n "$why" ] || why=$(grep -m1 -o 'declined ([a-z-]*): .*' "$dir/rewrite.out" | cut -c1-110)
      why="declined:$why"
    fi
    printf '| %s | %s | | |\n' "$name" "$why"
    continue
  fi
  rewritten=$((rewritten + 1))
  base=$(grep -m1 -o 'FROM [^ ]*distroless[^ ]*' "$dir/Dockerfile" | cut -d' ' -f2)
  verdict=different
  if buildah bud -q --pull=never -t "localhost/dfslim-coverage/$name:before" \
       -f "$dir/original.Dockerfile" "$dir" >/dev/null 2>&1 &&
     buildah bud -q --pull=never -t "localhost/dfslim-coverage/$name:after" \
       -f "$dir/Dockerfile" "$dir" >/dev/null 2>&1; then
    run "localhost/dfslim-coverage/$name:before" "${argv[@]}" >"$dir/before.run"
    run "localhost/dfslim-coverage/$name:after" "${argv[@]}" >"$dir/after.run"
    if cmp -s "$dir/before.run" "$dir/after.run"; then
      verdict="yes ($(tail -1 "$dir/before.run"))"
      same=$((same + 1))
    else
      diff "$dir/before.run" "$dir/after.run" | head -5 >&2 || true
    fi
  else
    verdict="a build failed"
  fi
  buildah rmi "localhost/dfslim-coverage/$name:before" "localhost/dfslim-coverage/$name:after" >/dev/null 2>&1 || true
  printf '| %s | `%s` | `%s` | %s |\n' "$name" "$base" "${argv[*]}" "$verdict"
done
echo
echo "${#samples[@]} files: $rewritten rewritten ($same behave the same), $declined declined, $failed failed to build"
