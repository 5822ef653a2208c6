#!/usr/bin/env bash
# Instructions executed (all threads) by `envgate check --format json` on 1,000 legacy
# documents (bench/gen-manifests.py --legacy: 100 files of 10, ~15 findings each), for
# each binary given: a count that does not change with the machine's load, where wall
# and CPU time on this shared 2-core machine move by 10% from one run to the next. Use
# it to compare two builds of a change (instructions are not time: a change that saves
# memory traffic or page faults shows less here than in bench/files.sh, so time the
# final build there too).
# Usage: bench/instructions.sh BIN [BIN...]   (needs valgrind and python3)
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v valgrind >/dev/null; then
    echo "bench/instructions.sh: needs valgrind (apt-get install valgrind)" >&2
    exit 2
fi
[ $# -gt 0 ] || { echo "usage: bench/instructions.sh BIN [BIN...]" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 bench/gen-manifests.py --legacy "$work/legacy" 100 10 >/dev/null
for bin in "$@"; do
    # The check exits 1 (it has findings); the count is what matters.
    count="$( (valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
        "$bin" check --format json "$work/legacy" 2>&1 >/dev/null || true) |
        awk '/I *refs/ {print $NF}')"
    printf '%-40s %s instructions\n' "$bin" "$count"
done
