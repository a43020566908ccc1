#!/usr/bin/env bash
# The pre-commit hooks, run by the real pre-commit against a throwaway git repository.
#
# The throwaway repository holds three full-distro Dockerfiles (Dockerfile,
# deploy/Dockerfile.prod, services/api.dockerfile) and a .pre-commit-config.yaml that
# points at THIS repository by path and at its HEAD commit: pre-commit reads the hooks and
# builds dfslim (`cargo install`, language: rust) from that commit, not from the working
# tree. So commit first; the script refuses to run when .pre-commit-hooks.yaml is not in
# HEAD.
#
# Steps, each with its exit status and output checked:
#   1. `pre-commit run dfslim-check --all-files`   fails and reports DFS001
#   2. `pre-commit run dfslim-rewrite --all-files` rewrites the files (pre-commit says
#      "files were modified by this hook" and exits 1, as it does for every fixer)
#   3. `pre-commit run dfslim-check --all-files`   passes
#
# The first run builds dfslim in release mode (a few minutes on 2 cores). PRE_COMMIT_HOME
# and the cargo target folder of that build are kept under target/precommit/: a run at the
# same commit reuses the installed hook (seconds), a run at a new commit reuses the compiled
# dependencies and rebuilds dfslim itself.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
cache="${CARGO_TARGET_DIR:-$repo/target}/precommit"
start=$(date +%s)
elapsed() { echo "$(( $(date +%s) - start ))s"; }

if ! git -C "$repo" cat-file -e HEAD:.pre-commit-hooks.yaml 2>/dev/null; then
  echo "precommit: .pre-commit-hooks.yaml is not committed at HEAD of $repo." >&2
  echo "precommit: pre-commit reads the hooks from a commit: commit the file, then run again." >&2
  exit 2
fi
rev=$(git -C "$repo" rev-parse HEAD)
if ! git -C "$repo" diff --quiet HEAD -- .pre-commit-hooks.yaml; then
  echo "precommit: note: .pre-commit-hooks.yaml has uncommitted changes; testing HEAD's version"
fi

if ! python3 -m pre_commit --version >/dev/null 2>&1; then
  echo "precommit: installing pre-commit from PyPI"
  python3 -m pip install --quiet --disable-pip-version-check pre-commit
fi
pre_commit() { python3 -m pre_commit "$@"; }
echo "precommit: $(pre_commit --version), hooks from $repo at ${rev:0:12}"

mkdir -p "$cache"
export PRE_COMMIT_HOME="$cache/home"
# `cargo install --path` builds in the package's target folder: make it a lasting one.
export CARGO_TARGET_DIR="$cache/cargo-target"
export PRE_COMMIT_COLOR=never NO_COLOR=1

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
git init -q
git config user.email precommit@example.invalid
git config user.name "dfslim pre-commit test"

mkdir -p deploy services
cat > Dockerfile <<'EOF'
FROM golang:1.24-bookworm
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app .
ENTRYPOINT ["/out/app"]
EOF
cat > deploy/Dockerfile.prod <<'EOF'
FROM golang:1.24-bookworm AS builder
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/server ./cmd/server

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*
COPY --from=builder /out/server /usr/local/bin/server
EXPOSE 8080
CMD ["/usr/local/bin/server"]
EOF
cat > services/api.dockerfile <<'EOF'
FROM golang:1.24-bookworm
WORKDIR /app
COPY . .
RUN CGO_ENABLED=0 go build -o /usr/local/bin/api ./cmd/api
EXPOSE 9000
CMD ["/usr/local/bin/api"]
EOF
echo "# not a Dockerfile: the hooks must not see it" > README.md
cat > .pre-commit-config.yaml <<EOF
repos:
  - repo: $repo
    rev: $rev
    hooks:
      - id: dfslim-check
      - id: dfslim-rewrite
EOF
git add -A
git commit -q -m "full-distro Dockerfiles"

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "PASS: $1 ($(elapsed))"; }
fail() {
  failed=$((failed + 1))
  echo "FAIL: $1 ($(elapsed))"
  sed 's/^/    | /' "$work/out.log"
}

# Runs a hook, keeping its exit status in $status and its output in out.log.
run_hook() {
  status=0
  pre_commit run "$1" --all-files > "$work/out.log" 2>&1 || status=$?
}

echo "precommit: step 1 builds dfslim with cargo install unless cached (at $(elapsed))"
run_hook dfslim-check
if [ "$status" -eq 1 ] \
  && grep -q "Dockerfile:1:6: DFS001" out.log \
  && grep -q "deploy/Dockerfile.prod:6:6: DFS001" out.log \
  && grep -q "services/api.dockerfile:1:6: DFS001" out.log \
  && ! grep -q "README.md" out.log; then
  pass "dfslim-check fails on the full-distro Dockerfiles and reports DFS001 for each"
else
  fail "dfslim-check should exit 1 and report DFS001 for all three files (exit $status)"
fi

run_hook dfslim-rewrite
if [ "$status" -eq 1 ] \
  && grep -q "files were modified by this hook" out.log \
  && grep -q "^FROM gcr.io/distroless/static-debian13:nonroot" Dockerfile \
  && grep -q "^FROM gcr.io/distroless/static-debian13:nonroot" deploy/Dockerfile.prod \
  && grep -q "^FROM gcr.io/distroless/static-debian13:nonroot" services/api.dockerfile \
  && [ "$(git diff --name-only | sort | tr '\n' ' ')" = "Dockerfile deploy/Dockerfile.prod services/api.dockerfile " ]; then
  pass "dfslim-rewrite rewrites the three files in place (pre-commit: files were modified)"
else
  fail "dfslim-rewrite should modify exactly the three Dockerfiles and exit 1 (exit $status)"
  git diff --stat | sed 's/^/    | /'
fi

run_hook dfslim-check
if [ "$status" -eq 0 ] && grep -q "^dfslim check\.*Passed" out.log; then
  pass "dfslim-check passes on the rewritten files"
else
  fail "dfslim-check should pass after the rewrite (exit $status)"
fi

# Drop the environments built for earlier commits (their throwaway configs are gone);
# this run's config still exists, so a run at the same commit reuses its build.
pre_commit gc >/dev/null 2>&1 || true

echo "precommit: $passed passed, $failed failed ($(elapsed))"
[ "$failed" -eq 0 ]
