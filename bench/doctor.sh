#!/usr/bin/env bash
# Cold-process wall time of `envgate doctor` (with and without the one `go env` call)
# against `go env -json`, measured in the same run on this machine.
# Usage: bench/doctor.sh [RUNS]   (default 40; needs python3; go is optional)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-40}"
cargo build --release --quiet
export ENVGATE_BIN="$PWD/target/release/envgate"
python3 - "$runs" <<'PY'
import os, shutil, statistics, subprocess, sys, time

runs = int(sys.argv[1])
bin_ = os.environ["ENVGATE_BIN"]
cases = [
    ("envgate doctor --no-exec", [bin_, "doctor", "--no-exec"]),
    ("envgate doctor", [bin_, "doctor"]),
]
go = shutil.which("go")
if go:
    cases.append(("go env -json", [go, "env", "-json"]))
else:
    print("go is not installed: `go env -json` not measured")

def measure(cmd):
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # warm the page cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times), max(times)

results = {}
print(f"{'command':<28} {'median':>9} {'min':>9} {'max':>9}   ({runs} runs, cold process each)")
for name, cmd in cases:
    med, lo, hi = measure(cmd)
    results[name] = med
    print(f"{name:<28} {med:>7.1f}ms {lo:>7.1f}ms {hi:>7.1f}ms")
if "go env -json" in results:
    base = results["go env -json"]
    for name in ("envgate doctor --no-exec", "envgate doctor"):
        print(f"{name} = {100 * results[name] / base:.0f}% of go env -json (target: <= 25%)")
PY
