#!/usr/bin/env bash
# Wall time and peak memory of `envgate check FILES` with the built-in file packs, cold
# process each run: one Deployment (the pre-commit case), 100 files, and 10,000
# documents in 1,000 files, typical (many findings), hardened (`--clean`, few) and
# legacy (`--legacy`, ~15 per document, JSON output), and a mixed repository for the
# repo pack beside it (bench/gen-repo.py: 500 Go services with a Dockerfile, compose
# file and .env each, CI, devcontainer and version pins, plus 1,000 manifest documents).
# Usage: bench/files.sh [RUNS]   (default 20 for the small cases, 3 for the big ones;
# needs python3 and /usr/bin/time)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-20}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
. bench/installed.sh
bin="$(installed_envgate "$work")"

python3 bench/gen-manifests.py "$work/one" 1 1 >/dev/null
python3 bench/gen-manifests.py "$work/hundred" 100 1 >/dev/null
python3 bench/gen-manifests.py "$work/typical" 1000 10 >/dev/null
python3 bench/gen-manifests.py --clean "$work/clean" 1000 10 >/dev/null
python3 bench/gen-manifests.py --legacy "$work/legacy" 1000 10 >/dev/null
python3 bench/gen-repo.py "$work/mixed" 500
python3 bench/gen-manifests.py "$work/mixed/deploy" 100 10 >/dev/null

python3 - "$bin" "$work" "$runs" <<'PY'
import re, statistics, subprocess, sys, time

bin_, work, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
cases = [
    ("1 Deployment", "one", runs),
    ("100 files", "hundred", runs),
    ("10,000 docs, typical", "typical", max(3, runs // 7)),
    ("10,000 docs, hardened", "clean", max(3, runs // 7)),
    # A first run on a legacy repository: ~15 findings per document, JSON report.
    ("10,000 docs, legacy, json", "legacy", max(3, runs // 7)),
    # The repo pack's kinds and its drift rule (judged once, beside the batches).
    ("mixed repository", "mixed", max(3, runs // 7)),
]

def peak_kib(cmd):
    out = subprocess.run(["/usr/bin/time", "-v"] + cmd, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True).stderr
    return int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", out).group(1))

def findings(cmd):
    json_cmd = cmd if "--format" in cmd else cmd + ["--format", "json"]
    out = subprocess.run(json_cmd, capture_output=True, text=True).stdout
    return out.count('"remediation"')

print(f"{'case':<24} {'median':>9} {'min':>9} {'peak RSS':>9} {'findings':>9}   (cold process each)")
for name, dir_, n in cases:
    cmd = [bin_, "check", f"{work}/{dir_}"]
    if dir_ == "legacy":
        cmd += ["--format", "json"]
    subprocess.run(cmd, stdout=subprocess.DEVNULL)  # warm the page cache
    times = []
    for _ in range(n):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL)
        times.append((time.perf_counter() - start) * 1000)
    med = statistics.median(times)
    shown = f"{med:.1f}ms" if med < 1000 else f"{med / 1000:.2f}s"
    low = min(times)
    low = f"{low:.1f}ms" if low < 1000 else f"{low / 1000:.2f}s"
    print(f"{name:<24} {shown:>9} {low:>9} {peak_kib(cmd) / 1024:>7.0f}MB {findings(cmd):>9}")
PY
