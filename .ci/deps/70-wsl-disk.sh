#!/usr/bin/env bash
# The tools tests/windows_image.rs uses to build a WSL 2 distribution's disk at test
# time: an ext4 file system made from a directory (`mkfs.ext4 -d`, e2fsprogs) wrapped in
# a VHDX container (`qemu-img convert -O vhdx`, qemu-utils), so no disk is committed.
# Idempotent: does nothing when both are installed; runs `apt-get update` only when one
# is missing. Never fails the run: without them the WSL disk tests skip with a printed
# reason.
set -u

if command -v qemu-img >/dev/null 2>&1 && command -v mkfs.ext4 >/dev/null 2>&1; then
  echo "wsl-disk: qemu-img and mkfs.ext4 are installed"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "wsl-disk: qemu-img or mkfs.ext4 missing and no apt-get here; the WSL disk tests will skip"
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo -n"; else
    echo "wsl-disk: qemu-img or mkfs.ext4 missing and not root (no sudo); the WSL disk tests will skip"
    exit 0
  fi
fi
echo "wsl-disk: installing qemu-utils and e2fsprogs"
if ! $sudo apt-get update -qq; then
  echo "wsl-disk: apt-get update failed; the WSL disk tests will skip"
  exit 0
fi
if ! DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends qemu-utils e2fsprogs; then
  echo "wsl-disk: installing qemu-utils and e2fsprogs failed; the WSL disk tests will skip"
fi
exit 0
