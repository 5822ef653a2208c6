#!/usr/bin/env bash
# `envgate test` side by side with the real conftest, same policies (the kubernetes
# example of tests/fixtures/conftest) and same inputs, cold process each run:
#   - one file with one Deployment (a pre-commit hook);
#   - 1,000 files of 10 documents (bench/gen-manifests.py, a repository of manifests).
# Prints median and minimum wall time of each tool, the speed-up, and checks that both
# gave the same exit code and summary line.
# Usage: bench/conftest.sh [RUNS]   (default 10 for one file, 3 for 1,000 files; needs
# python3 and conftest: $CONFTEST, else ${ENVGATE_CI_CACHE:-/var/cache/envgate-ci}/bin/conftest,
# which .ci/deps/50-conftest.sh builds)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-10}"
conftest="${CONFTEST:-${ENVGATE_CI_CACHE:-/var/cache/envgate-ci}/bin/conftest}"
[ -x "$conftest" ] || { echo "bench/conftest.sh: no conftest (run .ci/deps/50-conftest.sh)" >&2; exit 1; }
policy="$PWD/tests/fixtures/conftest/kubernetes/policy"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
. bench/installed.sh
bin="$(installed_envgate "$work")"
python3 bench/gen-manifests.py "$work/one" 1 1 >/dev/null
python3 bench/gen-manifests.py "$work/thousand" 1000 10 >/dev/null

python3 - "$bin" "$conftest" "$policy" "$work" "$runs" <<'PY'
import statistics, subprocess, sys, time

envgate, conftest, policy, work, runs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
cases = [("1 file, 1 Deployment", "one", runs), ("1,000 files x 10 docs", "thousand", max(3, runs // 3))]

def timed(cmd, n):
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # warm caches
    times = []
    for _ in range(n):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)

def summary(cmd):
    out = subprocess.run(cmd, capture_output=True, text=True)
    lines = [l for l in out.stdout.splitlines() if l.strip()]
    return out.returncode, (lines[-1] if lines else "")

def fmt(s):
    return f"{s * 1000:.1f}ms" if s < 1 else f"{s:.2f}s"

print(f"{'case':<24} {'envgate':>10} {'conftest':>10} {'speed-up':>9}   (median of cold runs; min in brackets)")
for name, dir_, n in cases:
    args = ["test", "--no-color", "-p", policy, f"{work}/{dir_}"]
    e_code, e_sum = summary([envgate] + args)
    c_code, c_sum = summary([conftest] + args)
    if (e_code, e_sum) != (c_code, c_sum):
        print(f"DISAGREE on {name}: envgate exit {e_code} '{e_sum}' vs conftest exit {c_code} '{c_sum}'")
        sys.exit(1)
    e_med, e_min = timed([envgate] + args, n)
    c_med, c_min = timed([conftest] + args, n)
    print(f"{name:<24} {fmt(e_med):>10} {fmt(c_med):>10} {c_med / e_med:>8.1f}x   [{fmt(e_min)} / {fmt(c_min)}]")
    print(f"{'':<24} both: exit {e_code}, {e_sum}")
PY
