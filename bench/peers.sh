#!/usr/bin/env bash
# envgate beside the peer linters (kube-score, checkov; Polaris and kube-linter when the
# Go module proxy serves them) on the same manifests: agreement per mapped check, every
# disagreement with its reason, and wall time and peak memory per tool. Installs the
# missing peers into /var/cache/envgate-peers (ENVGATE_PEERS_CACHE) and skips, with the
# reason, those that cannot be had. Writes bench/results/peers.md.
# Usage: bench/peers.sh [--seed N] [--docs N] [--per-file N] [--runs N] [--timeout S]
#                       [--out FILE] [--no-fixtures] [--no-install] [--details FILE]
# Needs python3 and Go (/usr/local/go/bin or on PATH) for the Go peers; about 2 minutes
# once installed (checkov takes most of it), 5 more for the first install.
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
. bench/installed.sh
python3 bench/peers.py "$(installed_envgate "$work")" "$@"
