#!/usr/bin/env bash
# The shells tests/shell_oracle.rs compares envgate's session model with: bash, zsh,
# fish and dash, from the distribution's packages. Idempotent: does nothing when all
# four are installed; runs `apt-get update` only when one is missing. Never fails the
# run: without a shell, the oracle cases of that shell skip with a printed reason.
set -u

missing=()
for shell in bash zsh fish dash; do
  command -v "$shell" >/dev/null 2>&1 || missing+=("$shell")
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "shells: bash, zsh, fish and dash are installed"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "shells: ${missing[*]} missing and no apt-get here; their oracle tests will skip"
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo -n"; else
    echo "shells: ${missing[*]} missing and not root (no sudo); their oracle tests will skip"
    exit 0
  fi
fi
echo "shells: installing ${missing[*]}"
if ! $sudo apt-get update -qq; then
  echo "shells: apt-get update failed; the oracle tests of ${missing[*]} will skip"
  exit 0
fi
if ! DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
  echo "shells: installing ${missing[*]} failed; their oracle tests will skip"
fi
exit 0
