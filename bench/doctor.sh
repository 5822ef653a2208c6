#!/usr/bin/env bash
# Cold-process wall time of `envgate doctor` (with and without the one `go env` call)
# against `go env -json` (the `go` on PATH, and Debian's 1.19 when installed),
# measured in the same run on this machine, the commands taking turns.
# Usage: bench/doctor.sh [RUNS]   (default 40; needs python3; go is optional)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-40}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
. bench/installed.sh
ENVGATE_BIN="$(installed_envgate "$work")"
export ENVGATE_BIN
python3 - "$runs" <<'PY'
import os, shutil, statistics, subprocess, sys, time

runs = int(sys.argv[1])
bin_ = os.environ["ENVGATE_BIN"]
cases = [
    ("envgate doctor --no-exec", [bin_, "doctor", "--no-exec"]),
    ("envgate doctor", [bin_, "doctor"]),
]
# The `go` on PATH, and Debian's golang-go 1.19 when installed (its `go env -json`
# probes the C compiler on every run, so it costs ten times 1.26's).
gos = []
go = shutil.which("go")
if go:
    gos.append(("go env -json", go))
else:
    print("go is not installed: `go env -json` not measured")
debian = "/usr/lib/go-1.19/bin/go"
if os.path.exists(debian) and (not go or os.path.realpath(go) != os.path.realpath(debian)):
    gos.append(("go env -json (Debian 1.19)", debian))
for name, path in gos:
    cases.append((name, [path, "env", "-json"]))

def run(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (time.perf_counter() - start) * 1000

# Round-robin, one run of each command in turn, so that a change in the machine's load
# during the measurement weighs on every command alike.
for _, cmd in cases:
    run(cmd)  # warm the page cache
times = {name: [] for name, _ in cases}
for _ in range(runs):
    for name, cmd in cases:
        times[name].append(run(cmd))

results = {}
print(f"{'command':<30} {'median':>9} {'min':>9} {'max':>9}   ({runs} runs, cold process each)")
for name, _ in cases:
    med, lo, hi = statistics.median(times[name]), min(times[name]), max(times[name])
    results[name] = med
    print(f"{name:<30} {med:>7.1f}ms {lo:>7.1f}ms {hi:>7.1f}ms")
# Two figures per comparison: the ratio of the medians, and the median of the ratios
# of each round (the commands of a round ran back to back, so a change in the machine's
# load between rounds weighs less on it).
for name, _ in gos:
    base = results[name]
    for ours in ("envgate doctor --no-exec", "envgate doctor"):
        paired = statistics.median(o / g for o, g in zip(times[ours], times[name]))
        print(
            f"{ours} = {100 * results[ours] / base:.0f}% of {name} "
            f"(per round: {100 * paired:.0f}%; target: <= 15%)"
        )
PY
