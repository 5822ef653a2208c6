#!/usr/bin/env bash
# Does `doctor --probe net` cost the commands that do not probe anything? Cold-process
# wall time of `envgate doctor --no-exec` and `envgate doctor`, interleaved run by run,
# for two release binaries: BASE (built from the commit before the probe) and NEW.
# Usage: bench/probe_startup.sh BASE_BIN NEW_BIN [RUNS]   (default 60; needs python3)
set -euo pipefail
base="$1"; new="$2"; runs="${3:-60}"
python3 - "$base" "$new" "$runs" <<'PY'
import statistics, subprocess, sys, tempfile, time

base, new, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
workdir = tempfile.mkdtemp(prefix="envgate-bench-")
cases = [["doctor", "--no-exec"], ["doctor"]]

def once(binary, args):
    start = time.perf_counter()
    subprocess.run([binary, *args], cwd=workdir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (time.perf_counter() - start) * 1000

print(f"{'command':<26} {'base median':>12} {'new median':>11} {'base min':>9} {'new min':>8}   ({runs} runs each, interleaved)")
for args in cases:
    once(base, args); once(new, args)  # warm the page cache
    b, n = [], []
    for _ in range(runs):
        b.append(once(base, args))
        n.append(once(new, args))
    name = "envgate " + " ".join(args)
    print(f"{name:<26} {statistics.median(b):>10.1f}ms {statistics.median(n):>9.1f}ms {min(b):>7.1f}ms {min(n):>6.1f}ms")
PY
