#!/usr/bin/env bash
# What `dfslim rewrite` does with the real Dockerfiles of the corpus: rewritten, declined and
# unchanged over the files whose final stage is full-distro (also with
# --allow-version-change), single-stage against
# multi-stage files, by language (from the final stage's base image, or from the build
# image when the final stage is a plain distro), and the decline codes: the first blocker
# of each decline, and any of its blockers.
#
# Usage: scripts/coverage.sh [CORPUS_DIR]   (default ../shared/corpus/apps)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpus/apps}
[ -d "$corpus" ] || { echo "coverage.sh: $corpus is missing" >&2; exit 2; }
cargo build --quiet --release
json=$(mktemp)
changed=$(mktemp)
trap 'rm -f "$json" "$changed"' EXIT
target/release/dfslim rewrite --format json "$corpus" >"$json" || [ $? -eq 1 ]
target/release/dfslim rewrite --format json --allow-version-change "$corpus" >"$changed" || [ $? -eq 1 ]
python3 - "$json" "$changed" <<'PY'
import collections, json, re, sys

files = json.load(open(sys.argv[1]))["files"]
with_change = json.load(open(sys.argv[2]))["files"]
# The image's repository name (`golang` of `docker.io/library/golang:1.23`) → language.
LANGS = {"golang": "go", "rust": "rust", "python": "python", "node": "node", "bun": "bun",
         "deno": "deno", "eclipse-temurin": "java", "openjdk": "java", "maven": "java",
         "gradle": "java", "amazoncorretto": "java", "sdk": ".net", "aspnet": ".net",
         "runtime": ".net", "gcc": "c"}

def language(f):
    names = [f.get("base_before") or ""]
    text = open(f["path"], encoding="utf-8", errors="replace").read()
    names += re.findall(r"(?im)^\s*FROM\s+(?:--\S+\s+)*(\S+)", text)
    for name in names:
        repository = name.lower().split("@")[0].split(":")[0].split("/")[-1]
        if repository in LANGS:
            return LANGS[repository]
    return "other"

def stages(f):
    text = open(f["path"], encoding="utf-8", errors="replace").read()
    return len(re.findall(r"(?im)^\s*FROM\s", text))

full = [f for f in files if f.get("level_before") == "full-distro"]
def line(label, group):
    n = len(group)
    r = sum(f["status"] == "rewritten" for f in group)
    pct = 100 * r / n if n else 0
    print(f"| {label} | {n} | {r} | {pct:.1f} % |")

status = collections.Counter(f["status"] for f in files)
print(f"{len(files)} files: {status['rewritten']} rewritten, {status['declined']} declined, "
      f"{status['unchanged']} unchanged\n")
print("| full-distro final stages | files | rewritten | share |\n|---|---|---|---|")
line("all", full)
line("all, with --allow-version-change",
     [f for f in with_change if f.get("level_before") == "full-distro"])
line("single-stage", [f for f in full if stages(f) == 1])
line("multi-stage", [f for f in full if stages(f) > 1])
by_lang = collections.defaultdict(list)
for f in full:
    by_lang[language(f)].append(f)
for lang in sorted(by_lang, key=lambda l: -len(by_lang[l])):
    line(lang, by_lang[lang])
codes = collections.Counter(f.get("code") for f in files if f["status"] == "declined")
# Every blocker a decline names, not only its first: how many files each would still hold
# back once the ones before it were gone.
blocking = collections.Counter(
    code for f in files if f["status"] == "declined"
    for code in {b["code"] for b in f.get("blockers") or []})
print("\n| decline code | files (first blocker) | files (any blocker) |\n|---|---|---|")
for code, n in codes.most_common():
    print(f"| {code} | {n} | {blocking[code]} |")
PY
