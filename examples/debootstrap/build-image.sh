#!/usr/bin/env bash
# Builds a real Debian bookworm root filesystem with Debian's Go toolchain and gopls
# into a directory, with one developer account, for `envgate audit` to judge:
#
#   sudo examples/debootstrap/build-image.sh /tmp/devimage
#   envgate audit --root /tmp/devimage
#
# report.txt and report.json beside this script are `envgate audit --root devimage
# --no-color` (and `--format json`) run in the image's parent directory, so they name
# the image `devimage` and no path of the machine that built it.
#
# Needs root, debootstrap (apt-get install debootstrap) and access to a Debian mirror;
# it downloads ~180 MB and the image takes ~900 MB, so it is not part of `cargo test`.
# The account is created by editing the image's files directly: nothing is run inside
# the image after the packages are installed.
set -euo pipefail
target="${1:?usage: build-image.sh TARGET_DIR [MIRROR]}"
mirror="${2:-http://deb.debian.org/debian}"

debootstrap --variant=minbase --include=golang-go,gopls,gcc,libc6-dev,ca-certificates \
  bookworm "$target" "$mirror"

# debootstrap copies the build machine's /etc/hostname and /etc/resolv.conf into the
# image: give the image its own name (JSON reports show it) and drop the resolver.
echo devimage > "$target/etc/hostname"
rm -f "$target/etc/resolv.conf"

# A developer account the way adduser would leave it.
echo 'dev:x:1000:1000:Dev,,,:/home/dev:/bin/bash' >> "$target/etc/passwd"
echo 'dev:x:1000:' >> "$target/etc/group"
echo 'dev:*:19000:0:99999:7:::' >> "$target/etc/shadow"
mkdir -p "$target/home/dev"
cp "$target/etc/skel/.profile" "$target/etc/skel/.bashrc" "$target/home/dev/"
chown -R 1000:1000 "$target/home/dev"

# Keep the image small: package caches are not part of a developer image.
rm -rf "$target/var/cache/apt/archives/"*.deb
