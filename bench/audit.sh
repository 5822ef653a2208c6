#!/usr/bin/env bash
# Cold-process wall time of `envgate audit --root ROOT` on an unpacked image (by default
# the debootstrap example, see examples/debootstrap/build-image.sh), and the time per
# audited user. The image is only read: nothing in it runs.
# Usage: bench/audit.sh [ROOT] [RUNS]   (default /work/images/devimage, 20 runs; needs
# python3)
set -euo pipefail
root="${1:-/work/images/devimage}"
runs="${2:-20}"
[ -d "$root/etc" ] || { echo "bench/audit.sh: $root is not a root filesystem" >&2; exit 2; }
root="$(cd "$root" && pwd)"
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
. bench/installed.sh
ENVGATE_BIN="$(installed_envgate "$work")"
export ENVGATE_BIN
python3 - "$root" "$runs" <<'PY'
import json, os, statistics, subprocess, sys, time

root, runs = sys.argv[1], int(sys.argv[2])
# --no-config: a .envgate.yaml in the current directory would change what is measured.
cmd = [os.environ["ENVGATE_BIN"], "audit", "--root", root, "--no-config"]

out = subprocess.run(cmd + ["--format", "json"], capture_output=True, text=True)
if out.returncode not in (0, 1):
    sys.exit(f"envgate audit failed ({out.returncode}):\n{out.stderr}")
summary = json.loads(out.stdout)["summary"]
users = summary["users"]

subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # warm the page cache
times, cpu = [], []
for _ in range(runs):
    start = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(child.pid, 0)
    times.append((time.perf_counter() - start) * 1000)
    cpu.append((usage.ru_utime + usage.ru_stime) * 1000)
med = statistics.median(times)
print(f"envgate audit --root {root}   ({runs} runs, cold process each, {os.cpu_count()} CPUs)")
print(f"wall time: median {med:.1f} ms, min {min(times):.1f} ms, max {max(times):.1f} ms")
# CPU time (user + system, all threads) does not grow when other programs compete for
# the cores, so it is the steadier figure on a busy machine.
print(f"cpu time:  median {statistics.median(cpu):.1f} ms")
print(f"users audited: {users} ({summary['errors']} errors, {summary['warnings']} warnings, "
      f"{summary['infos']} info)")
if users:
    print(f"median per user: {med / users:.1f} ms (target: < 100 ms)")
PY
