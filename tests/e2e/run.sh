#!/usr/bin/env bash
# End-to-end proof for dfslim: builds each fixture app in tests/e2e/apps/ with buildah as it is
# written, rewrites its Dockerfile, builds and runs the rewrite, and checks that it behaves the
# same with no shell, no package manager and a non-root user. See tests/e2e/README.md.
#
#   tests/e2e/run.sh [--rewriter dfslim|expected] [--only NAME]... [--keep] [--fresh]
#   tests/e2e/run.sh --self-test      # the harness must report the rewrites in wrong/ as failures
set -euo pipefail
shopt -s inherit_errexit nullglob

E2E=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$E2E/../.." && pwd)
TOP=$REPO/target/e2e
STORE=$TOP/storage
RUNROOT=$TOP/runroot
WORK=$TOP/work
CACHE=${DFSLIM_E2E_CACHE:-/var/cache/dfslim-e2e}
# shellcheck disable=SC2034  # used by standins.sh
MIRROR=${DFSLIM_E2E_MIRROR:-http://deb.debian.org/debian}
DFSLIM=${DFSLIM:-$REPO/target/release/dfslim}
RUN_TIMEOUT=${DFSLIM_E2E_RUN_TIMEOUT:-180}
RUN_RETRIES=${DFSLIM_E2E_RUN_RETRIES:-2}

usage() {
  sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'
  cat <<'EOF'
Options:
  --rewriter dfslim    run "$DFSLIM rewrite --write Dockerfile $(cat dfslim.args)" (default;
                       DFSLIM defaults to target/release/dfslim, built when missing)
  --rewriter expected  use the app's expected.Dockerfile as the rewrite
  --only NAME          run only this app (repeatable)
  --keep               keep the containers (they are removed at the end otherwise)
  --fresh              start from an empty storage root (the stand-in tarball cache is kept)
  --self-test          feed the wrong rewrites in tests/e2e/wrong/ and check each is caught
Environment: DFSLIM_E2E_CACHE (stand-in cache, default /var/cache/dfslim-e2e),
  DFSLIM_E2E_MIRROR (Debian mirror), DFSLIM_E2E_RUN_TIMEOUT (seconds per container run),
  DFSLIM_E2E_RUN_RETRIES (re-runs of both images when their outputs differ, default 2).
EOF
}

REWRITER=dfslim KEEP=0 SELF_TEST=0 FRESH=0
ONLY=()
while (($#)); do
  case $1 in
    --rewriter) REWRITER=${2:?--rewriter needs dfslim or expected}; shift 2 ;;
    --rewriter=*) REWRITER=${1#*=}; shift ;;
    --only) ONLY+=("${2:?--only needs an app name}"); shift 2 ;;
    --only=*) ONLY+=("${1#*=}"); shift ;;
    --keep) KEEP=1; shift ;;
    --fresh) FRESH=1; shift ;;
    --self-test) SELF_TEST=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done
case $REWRITER in dfslim|expected) ;; *) echo "run.sh: --rewriter must be dfslim or expected" >&2; exit 2 ;; esac

if ((SELF_TEST)); then RES=$TOP/self-test; else RES=$TOP; fi

apps=()
for d in "$E2E"/apps/*/; do apps+=("$(basename "$d")"); done
if ((${#ONLY[@]})); then
  for n in "${ONLY[@]}"; do
    [[ -d $E2E/apps/$n ]] || { echo "run.sh: no app named $n (have: ${apps[*]})" >&2; exit 2; }
  done
  apps=("${ONLY[@]}")
fi

T0=$SECONDS
clock() { local s=$((SECONDS - T0)); printf '%02d:%02d' $((s / 60)) $((s % 60)); }
say() { printf '[%s] %s\n' "$(clock)" "$*"; }

BFLAGS=(--root "$STORE" --runroot "$RUNROOT" --storage-driver vfs)
B() { buildah "${BFLAGS[@]}" "$@"; }
export BUILDAH_ISOLATION=chroot
# `dfslim rewrite --build` runs buildah without these flags: the same storage, by the
# standard containers-storage configuration file.
mkdir -p "$TOP"
cat >"$TOP/storage.conf" <<CONF
[storage]
driver = "vfs"
graphroot = "$STORE"
runroot = "$RUNROOT"
CONF
export CONTAINERS_STORAGE_CONF=$TOP/storage.conf
export CONTAINERS_REGISTRIES_CONF=$TOP/registries.conf
export TMPDIR=$TOP/tmp

# shellcheck source-path=SCRIPTDIR source=standins.sh
source "$E2E/standins.sh"

CONTAINERS=()
exec 8>&1   # the console, for cleanup: a signal may arrive while a step's output goes to a log
cleanup() {
  local rc=$?
  trap - EXIT
  si_util_umount_under "$WORK" 2>/dev/null || true
  if ((KEEP == 0)) && ((${#CONTAINERS[@]})); then
    local t=$SECONDS
    B rm "${CONTAINERS[@]}" >/dev/null 2>&1 || true
    say "cleanup: removed ${#CONTAINERS[@]} containers ($((SECONDS - t))s)" >&8
  elif ((KEEP)) && ((${#CONTAINERS[@]})); then
    say "kept containers: ${CONTAINERS[*]} (storage: --root $STORE --runroot $RUNROOT)" >&8
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# one run at a time on a storage root
mkdir -p "$TOP"
exec 9>"$TOP/lock"
flock -n 9 || { echo "run.sh: another run holds $TOP/lock" >&2; exit 2; }

# --- phase: setup -----------------------------------------------------------------------------
phase_setup() {
  local need=() t=$SECONDS
  command -v buildah >/dev/null || need+=(buildah)
  command -v debootstrap >/dev/null || need+=(debootstrap)
  command -v jq >/dev/null || need+=(jq)
  if ((${#need[@]})); then
    say "setup: apt-get install ${need[*]}"
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/dev/null
  fi
  if ((FRESH)); then
    say "setup: --fresh, removing the storage root"
    B rm --all >/dev/null 2>&1 || true
    si_util_rmtree "$STORE"; rm -rf "$RUNROOT"
  fi
  mkdir -p "$TOP" "$STORE" "$RUNROOT" "$TMPDIR" "$CACHE"
  si_util_rmtree "$WORK"; mkdir -p "$WORK"
  rm -rf "$RES/logs" "$RES/cases"; mkdir -p "$RES/logs" "$RES/cases"
  printf '%s\n' 'unqualified-search-registries = ["docker.io"]' 'short-name-mode = "permissive"' \
    > "$CONTAINERS_REGISTRIES_CONF"
  # leftovers of earlier runs: containers, and app images (stand-ins are kept when unchanged)
  B rm --all >/dev/null 2>&1 || true
  local img
  for img in $(B images --format '{{.Name}}:{{.Tag}}' 2>/dev/null | grep '^localhost/dfslim-e2e/' || true); do
    B rmi -f "$img" >/dev/null 2>&1 || true
  done
  B rmi --prune >/dev/null 2>&1 || true
  say "setup: $(buildah --version), storage $STORE (vfs), cache $CACHE ($((SECONDS - t))s)"
}

# --- phase: dfslim ------------------------------------------------------------------------------
phase_dfslim() {
  [[ $REWRITER == dfslim ]] && ((SELF_TEST == 0)) || return 0
  if [[ ! -x $DFSLIM ]]; then
    local t=$SECONDS
    if [[ $DFSLIM == "$REPO/target/release/dfslim" ]] &&
       (cd "$REPO" && cargo build --release --quiet) >"$TOP/cargo-build.log" 2>&1; then
      say "dfslim: built $DFSLIM ($((SECONDS - t))s)"
    else
      say "dfslim: $DFSLIM is missing and could not be built (see $TOP/cargo-build.log); every rewrite will fail"
    fi
  fi
}

# --- phase: stand-ins -----------------------------------------------------------------------------
phase_standins() {
  local t=$SECONDS id t1
  for id in "${SI_IDS[@]}"; do
    t1=$SECONDS
    si_import "$id"
    say "$(printf '%-32s %-13s %-4s %4ss  %s' "stand-in $id" import ok $((SECONDS - t1)) "${SI_REFS[$id]}")"
  done
  say "stand-ins: ready ($((SECONDS - t))s)"
}

# --- helpers for the apps -----------------------------------------------------------------------

img_config() { # IMG -> the image's OCI config as JSON (buildah 1.28 templates have no `json`)
  B inspect --type image "$1" | jq '.OCIv1.config'
}

image_size() { # IMG -> bytes (the uncompressed layers, as podman/docker images count them)
  B inspect --type image "$1" | jq '.Manifest | fromjson | [.layers[].size] | add'
}

# The base image of the final stage, following FROM <stage> to that stage's base.
final_base() { # DOCKERFILE
  awk '
    toupper($1) == "FROM" {
      i = 2; while ($i ~ /^--/) i++
      img = $i; name = ""
      if (toupper($(i + 1)) == "AS") name = $(i + 2)
      if (img in stage) img = stage[img]
      if (name != "") stage[name] = img
      last = img }
    END { print last }' "$1"
}

diff_summary() { # BEFORE AFTER -> "; < line > line" (the first differing lines), never fails
  { diff "$1" "$2" || true; } | { grep '^[<>]' || true; } | head -n 4 | tr '\n' ' ' | sed 's/^./; &/; s/ $//'
}

outputs_match() { # APP AFTER_RC AFTER_OUT: same exit code and stdout as the original
  [[ $2 == "${BEFORE_RC[$1]}" ]] && cmp -s "${BEFORE_OUT[$1]}" "$3"
}

stderr_summary() { # ERRFILE -> "; stderr: <last line that is not buildah's own>", never fails
  local l
  l=$({ grep -Ev '^(Error: exit status|subprocess exited with status)' "$1" 2>/dev/null || true; } | tail -n 1 |
      sed 's/process exited with error.*//')
  [[ -z $l ]] || printf '; stderr: %s' "$l"
}

mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1000000 }'; }

declare -A RUN_CTR
# Runs the image's own ENTRYPOINT + CMD in a container of its own (made on the first run), as the image's USER and WORKDIR.
# Sets RUN_RC and RUN_CONTAINER; stdout goes to OUT, stderr to OUT.err.
run_image() { # IMG OUT
  local img=$1 out=$2 argv=() c
  RUN_RC=none RUN_CONTAINER=""
  mapfile -d '' -t argv < <(img_config "$img" | jq -j '((.Entrypoint // []) + (.Cmd // []))[] | . + "\u0000"')
  if ((${#argv[@]} == 0)); then echo "$img has neither ENTRYPOINT nor CMD"; return 1; fi
  c=${RUN_CTR[$img]:-}
  if [[ -z $c ]]; then
    c=$(B from --pull=never "$img") || return 1
    CONTAINERS+=("$c"); RUN_CTR[$img]=$c
  fi
  RUN_CONTAINER=$c
  echo "run $img as user '$(img_config "$img" | jq -r '.User // ""')': ${argv[*]}"
  RUN_RC=0
  if [[ -n ${PROBES:-} && -f $PROBES ]]; then
    # A server: it runs in the background while each probe (one a line, on the host) is
    # tried until it answers; the probes' output is what is compared, then it is stopped.
    timeout "$RUN_TIMEOUT" buildah "${BFLAGS[@]}" run --isolation chroot "$c" -- "${argv[@]}" \
      >"$out.app" 2>"$out.err" </dev/null &
    local pid=$! probe tries
    : >"$out"
    while IFS= read -r probe; do
      [[ -z $probe || $probe == \#* ]] && continue
      for ((tries = 0; tries < 40; tries++)); do
        if bash -c "$probe" >"$out.probe" 2>/dev/null; then break; fi
        sleep 0.5
      done
      { echo "\$ $probe"; cat "$out.probe"; } >>"$out"
    done <"$PROBES"
    # twice: a server may fork while its tree is read
    kill_tree "$pid"; sleep 0.3; kill_chrooted; wait "$pid" 2>/dev/null || true
  else
    timeout "$RUN_TIMEOUT" buildah "${BFLAGS[@]}" run --isolation chroot "$c" -- "${argv[@]}" \
      >"$out" 2>"$out.err" </dev/null || RUN_RC=$?
  fi
  echo "exit code $RUN_RC; stdout:"; sed 's/^/  | /' "$out"
  echo "stderr:"; sed 's/^/  ! /' "$out.err"
  return 0
}

kill_tree() { # PID: the process and everything below it (buildah's chroot helper starts a session of its own)
  local child
  for child in $(pgrep -P "$1" 2>/dev/null); do kill_tree "$child"; done
  kill -KILL "$1" 2>/dev/null || true
}

kill_chrooted() { # every process still running in a buildah chroot of this run (a server's orphaned workers)
  local p root
  for p in /proc/[0-9]*; do
    root=$(readlink "$p/root" 2>/dev/null) || continue
    [[ $root == "$TMPDIR"/buildah* ]] && kill -KILL "${p#/proc/}" 2>/dev/null
  done
  return 0
}

build_image() { # CONTEXT IMG
  B bud --isolation chroot --pull=never --layers=false -f "$1/Dockerfile" -t "$2" "$1"
}

# Writes the rewritten Dockerfile into CONTEXT; fails (with the reason on stdout) when the
# rewriter fails or leaves the file as it was.
rewrite() { # REWRITER SRC CONTEXT
  local how=$1 src=$2 ctx=$3 st=0
  case $how in
    expected) cp "$src/expected.Dockerfile" "$ctx/Dockerfile" ;;
    wrong:*) cp "$E2E/wrong/${how#wrong:}" "$ctx/Dockerfile" ;;
    dfslim)
      local args=()
      if [[ -f $ctx/dfslim.trace ]]; then
        # `dfslim trace`: one argument a line (probes hold spaces); `#` lines ignored.
        mapfile -t args < <(grep -v '^[[:space:]]*#' "$ctx/dfslim.trace" | grep -v '^[[:space:]]*$')
        echo "+ dfslim trace --write Dockerfile ${args[*]}"
        (cd "$ctx" && "$DFSLIM" trace --write Dockerfile "${args[@]}") || st=$?
        if ((st != 0)); then echo "dfslim trace exited $st"; return 1; fi
        if cmp -s "$src/Dockerfile" "$ctx/Dockerfile"; then echo "the trace left the Dockerfile unchanged"; return 1; fi
        diff -u --label Dockerfile --label Dockerfile.rewritten "$src/Dockerfile" "$ctx/Dockerfile" || true
        return 0
      fi
      if [[ -f $ctx/dfslim.args ]]; then
        read -r -a args < <(grep -v '^[[:space:]]*#' "$ctx/dfslim.args" | tr '\n' ' ')
      fi
      echo "+ dfslim rewrite --write Dockerfile ${args[*]}"
      (cd "$ctx" && "$DFSLIM" rewrite --write Dockerfile "${args[@]}") || st=$?
      if ((st != 0)); then echo "dfslim rewrite exited $st"; return 1; fi ;;
  esac
  if cmp -s "$src/Dockerfile" "$ctx/Dockerfile"; then echo "the rewrite left the Dockerfile unchanged"; return 1; fi
  diff -u --label Dockerfile --label Dockerfile.rewritten "$src/Dockerfile" "$ctx/Dockerfile" || true
}

# Checks of the rewritten image, on the container it ran in. Sets SHELL_ABSENT, PM_ABSENT, USER_OK.
check_image() { # IMG CONTAINER
  local img=$1 c=$2 m found user
  SHELL_ABSENT=true PM_ABSENT=true USER_OK=true
  if B run --isolation chroot "$c" -- /bin/sh -c true </dev/null; then
    echo "/bin/sh -c true ran in $img"; SHELL_ABSENT=false
  else
    echo "/bin/sh -c true failed, as it should"
  fi
  m=$(B mount "$c") || return 1
  found=$(si_util_find_shell_or_pm "$m")
  B umount "$c" >/dev/null
  if grep -Eq '/(sh|bash|dash|ash|zsh|busybox)$' <<<"$found"; then SHELL_ABSENT=false; fi
  if grep -Eq '/(apt|apt-get|dpkg|apk|microdnf|dnf|yum|rpm)$' <<<"$found"; then PM_ABSENT=false; fi
  [[ -z $found ]] || { echo "found in $img:"; sed 's/^/  /' <<<"$found"; }
  user=$(img_config "$img" | jq -r '.User // ""')
  case ${user%%:*} in
    ''|0|root)
      if [[ -f $CASE_SRC/expect-root ]]; then
        echo "runs as root, as the app's expect-root file says dfslim must: $(head -n 1 "$CASE_SRC/expect-root")"
      else
        USER_OK=false; echo "runs as root (USER '$user')"
      fi ;;
    *) echo "USER $user" ;;
  esac
}

# step CASE PHASE FUNCTION ARGS...: runs it with its output in the case's log, prints one line.
step() {
  local name=$1 ph=$2; shift 2
  local t=$SECONDS st=0
  echo "== $ph" >>"$LOG"
  "$@" >>"$LOG" 2>&1 || st=$?
  STEP_SECS=$((SECONDS - t))
  return "$st"
}
line() { # CASE PHASE RESULT DETAIL
  say "$(printf '%-32s %-13s %-4s %4ss  %s' "$1" "$2" "$3" "$STEP_SECS" "$4")"
}

declare -A BEFORE_RC BEFORE_OUT
# One case: an app built as written, then rewritten by REWRITER, built, run and checked.
# An app whose build needs wheels from PyPI (its `wheels.txt`: pinned, with hashes) gets a copy
# of its folder with them in `wheels/`, downloaded on the host once (cached): the image build
# reaches no index. Prints the folder to build from.
with_wheels() { # APP SRC
  local app=$1 src=$2 dir=$RES/prepared/$1 cache=$CACHE/wheels/$1
  if [[ ! -f $src/wheels.txt ]]; then echo "$src"; return 0; fi
  if ! python3 -m pip download --quiet --no-deps --only-binary=:all: --require-hashes \
      -r "$src/wheels.txt" -d "$cache" >&2; then
    echo "$app: pip download of wheels.txt failed" >&2; return 1
  fi
  rm -rf "$dir"; mkdir -p "$dir/wheels"
  cp -a "$src/." "$dir/"
  cp "$cache"/*.whl "$dir/wheels/"
  echo "$dir"
}

run_case() { # NAME APP REWRITER
  local name=$1 app=$2 how=$3
  local src=$E2E/apps/$app dir=$RES/cases/$name
  src=$(with_wheels "$app" "$src") || src=$E2E/apps/$app
  local before=localhost/dfslim-e2e/$app:before after=localhost/dfslim-e2e/$name:after
  LOG=$RES/logs/$name.log
  : >"$LOG"; mkdir -p "$dir"
  local status=pass reasons=() size_before=null size_after=null same=false shell=false pm=false retries=0
  local base_before base_after=null
  base_before=$(final_base "$src/Dockerfile")
  PROBES=$src/probes CASE_SRC=$src

  # 1. the original, built once per app and run
  if [[ -z ${BEFORE_RC[$app]:-} ]]; then
    if step "$name" build-before build_image "$src" "$before"; then
      line "$name" build-before ok "$base_before"
      step "$name" run-before run_image "$before" "$dir/before.out" || true
      BEFORE_RC[$app]=$RUN_RC; BEFORE_OUT[$app]=$dir/before.out
      line "$name" run-before "$([[ $RUN_RC == 0 ]] && echo ok || echo FAIL)" "exit $RUN_RC, $(wc -l <"$dir/before.out" 2>/dev/null || echo 0) lines"
    else
      line "$name" build-before FAIL "see $LOG"
      BEFORE_RC[$app]=build-failed
    fi
  else
    echo "== original: built and run earlier in this run (exit ${BEFORE_RC[$app]})" >>"$LOG"
  fi
  if [[ ${BEFORE_RC[$app]} != 0 ]]; then
    status=fail; reasons+=("the original image did not build or run (${BEFORE_RC[$app]})")
  else
    size_before=$(image_size "$before") || true
    [[ -n $size_before ]] || size_before=null
  fi

  # 2. the rewrite
  local ctx=$dir/context
  rm -rf "$ctx"; mkdir -p "$ctx"; cp -a "$src/." "$ctx/"
  if [[ $status == pass ]]; then
    if step "$name" rewrite rewrite "$how" "$src" "$ctx"; then
      base_after=$(final_base "$ctx/Dockerfile")
      line "$name" rewrite ok "$base_before -> $base_after"
    else
      line "$name" rewrite FAIL "$(tail -n 1 "$LOG")"
      status=fail; reasons+=("rewrite: $(tail -n 1 "$LOG")")
    fi
  fi

  # 3. the rewrite, built, run and checked
  if [[ $status == pass ]]; then
    if step "$name" build-after build_image "$ctx" "$after"; then
      line "$name" build-after ok "$base_after"
      size_after=$(image_size "$after") || true
      [[ -n $size_after ]] || size_after=null
      step "$name" run-after run_image "$after" "$dir/after.out" || true
      # buildah 1.28's chroot runs have been seen to lose a program's stdout on a loaded
      # machine (exit 0, nothing printed): on a difference, both run again, RUN_RETRIES times
      # at most, in the same containers. The fixtures print the same thing on every run.
      while ! outputs_match "$app" "$RUN_RC" "$dir/after.out" && ((retries < RUN_RETRIES)); do
        retries=$((retries + 1))
        echo "== outputs differ: both run again ($retries/$RUN_RETRIES)" >>"$LOG"
        step "$name" run-before run_image "$before" "${BEFORE_OUT[$app]}" || true
        BEFORE_RC[$app]=$RUN_RC
        step "$name" run-after run_image "$after" "$dir/after.out" || true
      done
      local again=""
      ((retries == 0)) || again=" (matched on retry $retries)"
      if outputs_match "$app" "$RUN_RC" "$dir/after.out"; then
        same=true; line "$name" run-after ok "exit $RUN_RC, same output$again"
      else
        line "$name" run-after FAIL "exit $RUN_RC, output differs"
        reasons+=("behaviour differs: exit ${BEFORE_RC[$app]} -> $RUN_RC$(diff_summary "${BEFORE_OUT[$app]}" "$dir/after.out")$(stderr_summary "$dir/after.out.err")")
        { echo "== output diff (before, after)"; diff "${BEFORE_OUT[$app]}" "$dir/after.out" || true; } >>"$LOG"
      fi
      SHELL_ABSENT=false PM_ABSENT=false USER_OK=false
      [[ -z $RUN_CONTAINER ]] || step "$name" checks check_image "$after" "$RUN_CONTAINER" || true
      shell=$SHELL_ABSENT pm=$PM_ABSENT
      local checks=""
      [[ $SHELL_ABSENT == true ]] && checks+="no shell" || { checks+="SHELL PRESENT"; reasons+=("the image has a shell"); }
      [[ $PM_ABSENT == true ]] && checks+=", no package manager" || { checks+=", PACKAGE MANAGER"; reasons+=("the image has a package manager"); }
      [[ $USER_OK == true ]] && checks+=", non-root" || { checks+=", ROOT"; reasons+=("the image runs as root"); }
      line "$name" checks "$([[ $SHELL_ABSENT$PM_ABSENT$USER_OK == truetruetrue ]] && echo ok || echo FAIL)" "$checks"
      line "$name" size ok "$(mb "$size_before") -> $(mb "$size_after")"
    else
      line "$name" build-after FAIL "see $LOG"
      reasons+=("the rewritten Dockerfile does not build: $({ grep -E 'error|Error' "$LOG" || true; } | tail -n 1)")
    fi
    ((${#reasons[@]} == 0)) || status=fail
  fi

  local reason="" tail=""
  if [[ $status == fail ]]; then
    reason=$(printf '%s; ' "${reasons[@]}"); reason=${reason%; }
    tail=$(tail -n 40 "$LOG")
  fi
  say "$(printf '%-32s %-13s %s' "$name" result "${status^^}${reason:+: $reason}")"
  jq -nc --arg name "$name" --arg app "$app" --arg bb "$base_before" --arg ba "$base_after" \
    --argjson sb "$size_before" --argjson sa "$size_after" --argjson same "$same" \
    --argjson shell "$shell" --argjson pm "$pm" --arg status "$status" --arg reason "$reason" \
    --arg log "${LOG#"$REPO"/}" --arg tail "$tail" --arg rw "$how" --argjson retries "$retries" \
    '{name: $name, app: $app, rewriter: $rw, base_before: $bb,
      base_after: (if $ba == "null" then null else $ba end), size_before: $sb, size_after: $sa,
      same_behaviour: $same, shell_absent: $shell, package_manager_absent: $pm,
      run_retries: $retries, status: $status, reason: $reason, log: $log, log_tail: $tail}' >>"$RES/results.ndjson"
}

yn() { # BOOL AFTER_SIZE: yes/no, or — when the rewrite was never built
  if [[ -z $2 ]]; then echo "—"; elif [[ $1 == true ]]; then echo yes; else echo no; fi
}

write_report() {
  touch "$RES/results.ndjson"
  jq -s '{apps: .}' "$RES/results.ndjson" >"$RES/results.json"
  {
    echo "| app | base before → after | size before → after | ratio | shell gone | same behaviour | status |"
    echo "|---|---|---|---|---|---|---|"
    # fields joined by \x1f: with a tab, `read` would merge empty fields
    jq -r '.apps[] | [.name, .base_before, (.base_after // "—"), (.size_before // ""), (.size_after // ""),
        .shell_absent, .same_behaviour, .status, .reason] | map(tostring) | join("\u001f")' "$RES/results.json" |
    while IFS=$'\x1f' read -r n bb ba sb sa sh same st why; do
      local sizes="—" ratio="—"
      if [[ -n $sb && -n $sa ]]; then
        sizes="$(mb "$sb") → $(mb "$sa")"
        ratio=$(awk -v a="$sb" -v b="$sa" 'BEGIN { printf "%.1f×", a / b }')
      fi
      printf '| %s | `%s` → `%s` | %s | %s | %s | %s | %s |\n' "$n" "$bb" "$ba" "$sizes" "$ratio" \
        "$(yn "$sh" "$sa")" "$(yn "$same" "$sa")" \
        "$st${why:+ ($why)}"
    done
    # The median size ratio of the apps whose rewrite built, original size over rewritten.
    local median
    median=$(jq -r '[.apps[] | select(.size_before != null and .size_after != null and .size_after > 0)
        | .size_before / .size_after] | sort
        | if length == 0 then "—"
          elif length % 2 == 1 then (.[length / 2 | floor] * 10 | round / 10 | tostring) + "×"
          else ((.[length / 2 - 1] + .[length / 2]) / 2 * 10 | round / 10 | tostring) + "×" end' \
        "$RES/results.json")
    echo
    echo "Median size ratio (original ÷ rewrite): $median"
  } >"$RES/report.md"
}

# --- main -----------------------------------------------------------------------------------------
phase_setup
phase_dfslim
phase_standins

rm -f "$RES/results.ndjson"
t_apps=$SECONDS
if ((SELF_TEST)); then
  # Each wrong/*.Dockerfile names its app and the check that must catch it in its header:
  #   # app: NAME
  #   # caught-by: behaviour|shell|build
  declare -A WANT
  for f in "$E2E"/wrong/*.Dockerfile; do
    [[ -n ${ONLY[*]:-} ]] && [[ " ${ONLY[*]} " != *" $(sed -n 's/^# app: *//p' "$f" | head -n 1) "* ]] && continue
    case_name=wrong-$(basename "$f" .Dockerfile)
    app=$(sed -n 's/^# app: *//p' "$f" | head -n 1)
    WANT[$case_name]=$(sed -n 's/^# caught-by: *//p' "$f" | head -n 1)
    run_case "$case_name" "$app" "wrong:$(basename "$f")"
  done
  # `dfslim trace` cases: its own verification must fail when a probe is missing, and
  # name the file the new image lacks. `# app:` and `# names:` headers, then one argument
  # of `dfslim trace` a line.
  declare -A TRACE_OK
  for f in "$E2E"/wrong/*.trace; do
    [[ -f $f ]] || continue
    case_name=wrong-$(basename "$f" .trace)
    app=$(sed -n 's/^# app: *//p' "$f" | head -n 1)
    names=$(sed -n 's/^# names: *//p' "$f" | head -n 1)
    ctx=$RES/cases/$case_name/context
    rm -rf "$ctx"; mkdir -p "$ctx"; cp -a "$E2E/apps/$app/." "$ctx/"
    mapfile -t targs < <(grep -v '^[[:space:]]*#' "$f" | grep -v '^[[:space:]]*$')
    t=$SECONDS
    (cd "$ctx" && "$DFSLIM" trace --format json Dockerfile "${targs[@]}") \
      >"$RES/cases/$case_name/trace.json" 2>"$RES/logs/$case_name.log" || true
    code=$(jq -r '.code // ""' "$RES/cases/$case_name/trace.json" 2>/dev/null || true)
    named=$(jq -r --arg n "$names" '(.missing // []) | index($n) != null' "$RES/cases/$case_name/trace.json" 2>/dev/null || true)
    if [[ $code == unverified && $named == true ]] && cmp -s "$E2E/apps/$app/Dockerfile" "$ctx/Dockerfile"; then
      TRACE_OK[$case_name]=1
      say "self-test: $case_name: dfslim trace declined (unverified), naming $names, and wrote nothing: caught ($((SECONDS - t))s)"
    else
      TRACE_OK[$case_name]=0
      say "self-test: $case_name NOT caught (code '$code', names $names: $named)"
    fi
  done
  write_report
  caught=0 missed=0
  for n in "${!TRACE_OK[@]}"; do
    if ((TRACE_OK[$n])); then caught=$((caught + 1)); else missed=$((missed + 1)); fi
  done
  while IFS=$'\t' read -r n st same sh; do
    ok=0
    case ${WANT[$n]} in
      behaviour) [[ $st == fail && $same == false ]] && ok=1 ;;
      shell) [[ $st == fail && $sh == false ]] && ok=1 ;;
      *) [[ $st == fail ]] && ok=1 ;;
    esac
    if ((ok)); then caught=$((caught + 1)); say "self-test: $n reported as fail (${WANT[$n]}): caught"
    else missed=$((missed + 1)); say "self-test: $n NOT caught (status $st, same_behaviour $same, shell_absent $sh)"; fi
  done < <(jq -r '.apps[] | [.name, .status, .same_behaviour, .shell_absent] | @tsv' "$RES/results.json")
  echo
  cat "$RES/report.md"
  echo
  say "self-test: $((SECONDS - t_apps))s for the cases, $((SECONDS - T0))s in all; results in ${RES#"$REPO"/}/results.json"
  echo "self-test: $caught passed, $missed failed"
  ((missed == 0 && caught > 0))
  exit
fi

for app in "${apps[@]}"; do
  run_case "$app" "$app" "$REWRITER"
done
write_report
echo
cat "$RES/report.md"
echo
passed=$(jq '[.apps[] | select(.status == "pass")] | length' "$RES/results.json")
failed=$(jq '[.apps[] | select(.status != "pass")] | length' "$RES/results.json")
say "apps: $((SECONDS - t_apps))s; total $((SECONDS - T0))s; results in ${RES#"$REPO"/}/results.json and report.md"
echo "e2e ($REWRITER): $passed passed, $failed failed"
((failed == 0))
