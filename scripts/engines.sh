#!/usr/bin/env bash
# `rewrite --build --verify` with podman and docker, for real, where they exist and answer
# (issue 13: buildah runs in the e2e suite; the other engines' command lines are unit-tested,
# and this step runs them when the machine has them). Uses the e2e suite's stand-in images:
# run after `tests/e2e/run.sh`. A missing engine, or a docker CLI with no daemon, is a
# skip, said on one line.
#
# Usage: scripts/engines.sh   (as root, like the e2e suite)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --release
DFSLIM=$PWD/target/release/dfslim
TOP=$PWD/target/e2e
export CONTAINERS_STORAGE_CONF=$TOP/storage.conf
export CONTAINERS_REGISTRIES_CONF=$TOP/registries.conf
export BUILDAH_ISOLATION=chroot
APP=tests/e2e/apps/apt-jq
IMAGES=(docker.io/library/debian:trixie gcr.io/distroless/base-debian13:nonroot)
ran=0
for engine in podman docker; do
  if ! command -v "$engine" >/dev/null; then
    echo "engines: $engine: skipped (not installed)"
    continue
  fi
  if ! timeout 20 "$engine" info >/dev/null 2>&1; then
    echo "engines: $engine: skipped (installed, but \`$engine info\` fails: no daemon or no access)"
    continue
  fi
  if [[ $engine == docker ]]; then
    # docker keeps its own images: the stand-ins go over from buildah's storage.
    for image in "${IMAGES[@]}"; do
      buildah --root "$TOP/storage" --runroot "$TOP/runroot" --storage-driver vfs \
        push "$image" "docker-daemon:$image" >/dev/null
    done
  fi
  out=$("$DFSLIM" rewrite --build --engine "$engine" --verify --format json "$APP/Dockerfile")
  verified=$(jq -r '.files[0].verified' <<<"$out")
  echo "engines: $engine: verified=$verified"
  [[ $verified == true ]] || { echo "$out" >&2; exit 1; }
  ran=$((ran + 1))
done
echo "engines: $ran engine(s) besides buildah ran"
