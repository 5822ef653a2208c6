#!/usr/bin/env bash
# hivex's tools, which tests/windows_image.rs uses to build real Windows registry hives
# at test time from .reg text (`hivexregedit --merge`), so no hive is committed. Debian
# ships hivexregedit in libwin-hivex-perl (libhivex-bin has hivexsh and hivexget).
# Idempotent: does nothing when both are installed; runs `apt-get update` only when one
# is missing. Never fails the run: without it the
# Windows disk tests skip with a printed reason.
set -u

if command -v hivexregedit >/dev/null 2>&1 && command -v hivexsh >/dev/null 2>&1; then
  echo "hivex: hivexregedit and hivexsh are installed"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "hivex: hivexregedit missing and no apt-get here; the Windows disk tests will skip"
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo -n"; else
    echo "hivex: hivexregedit missing and not root (no sudo); the Windows disk tests will skip"
    exit 0
  fi
fi
echo "hivex: installing libhivex-bin and libwin-hivex-perl"
if ! $sudo apt-get update -qq; then
  echo "hivex: apt-get update failed; the Windows disk tests will skip"
  exit 0
fi
if ! DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends libhivex-bin libwin-hivex-perl; then
  echo "hivex: installing libhivex-bin and libwin-hivex-perl failed; the Windows disk tests will skip"
fi
exit 0
