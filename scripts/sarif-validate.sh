#!/usr/bin/env bash
# Validates dfslim's SARIF with Microsoft's SARIF validator (the SARIF Multitool from npm),
# as GitHub code scanning reads it: one run over the corpus by a relative path (URIs on
# %SRCROOT%), one by an absolute path (file:// URIs). Any result of level error fails.
# The validator exits 0 even when it finds errors, so its own SARIF output is read; a
# copy with a deliberately broken URI must produce errors, which shows the check can fail.
#
# Usage: scripts/sarif-validate.sh   (installs the multitool under target/ with npm)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1
tools="$repo/target/sarif-multitool"
multitool="$tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
if [ ! -x "$multitool" ]; then
  mkdir -p "$tools"
  npm install --silent --prefix "$tools" @microsoft/sarif-multitool-linux >/dev/null
fi
cargo build --release --quiet
dfslim="${CARGO_TARGET_DIR:-$repo/target}/release/dfslim"
corpus="$(cd ../shared/corpus && pwd)"
out="$repo/target/sarif"
mkdir -p "$out"

# Exit 1 means findings: expected.
(cd "$corpus/.." && "$dfslim" check --format sarif corpus/apps > "$out/relative.sarif") || [ $? -eq 1 ]
"$dfslim" check --format sarif "$corpus/apps" > "$out/absolute.sarif" || [ $? -eq 1 ]
sed 's#"uri": "file:///#"uri": "/#' "$out/absolute.sarif" > "$out/broken.sarif"

errors() {
  "$multitool" validate --output "$out/$1.validation.sarif" "$out/$1.sarif" >/dev/null
  python3 - "$out/$1.validation.sarif" <<'PY'
import json, sys
runs = json.load(open(sys.argv[1]))["runs"]
errors = [r for run in runs for r in run.get("results", []) if r.get("level", "warning") == "error"]
for r in errors[:5]:
    print(f"  {r['ruleId']}: {r['message'].get('text', '')[:200]}", file=sys.stderr)
print(len(errors))
PY
}

status=0
for name in relative absolute; do
  count=$(errors "$name")
  results=$(python3 -c 'import json,sys; print(sum(len(r["results"]) for r in json.load(open(sys.argv[1]))["runs"]))' "$out/$name.sarif")
  echo "sarif: $name run: $results results, $count validator errors"
  [ "$count" -eq 0 ] || status=1
done
broken=$(errors broken 2>/dev/null)
echo "sarif: the deliberately broken copy: $broken validator errors (must be more than 0)"
[ "$broken" -gt 0 ] || status=1
exit $status
