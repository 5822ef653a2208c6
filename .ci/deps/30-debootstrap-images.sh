#!/usr/bin/env bash
# The real Debian images tests/real_images.rs audits: bookworm and trixie root
# filesystems built by debootstrap (minbase, with Debian's Go, gopls, zsh and fish),
# into a cache outside the repository:
#   $ENVGATE_IMAGE_CACHE/<suite>/         the image (default /var/cache/envgate-images)
#   $ENVGATE_IMAGE_CACHE/<suite>.recipe   the recipe it was built with
# An image is rebuilt only when it is missing or when `recipe` below changes (bump it
# whenever the package list or the post-processing changes). Users are NOT added here:
# the test copies the pristine image into a temp dir and sets up its users there.
# Nothing is run inside the image except debootstrap's own package installation.
# Idempotent; runs `apt-get update` only when debootstrap is missing. Never fails the
# run: what cannot be built is reported and the image tests skip with a printed reason.
set -u

recipe="1: minbase golang-go gopls zsh fish ca-certificates; hostname envgate-<suite>; no resolv.conf; no .deb cache"
cache="${ENVGATE_IMAGE_CACHE:-/var/cache/envgate-images}"
suites=(bookworm trixie)
packages="golang-go,gopls,zsh,fish,ca-certificates"

say() { echo "debootstrap-images: $*"; }

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; else
    say "not root (and no password-less sudo): cannot debootstrap; the image tests will skip"
    exit 0
  fi
fi

# --- debootstrap itself ---------------------------------------------------------
if ! command -v debootstrap >/dev/null 2>&1; then
  if ! command -v apt-get >/dev/null 2>&1; then
    say "debootstrap missing and no apt-get here; the image tests will skip"
    exit 0
  fi
  say "installing debootstrap"
  if ! apt-cache show debootstrap >/dev/null 2>&1; then
    $sudo apt-get update -qq || say "apt-get update failed"
  fi
  if ! DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    debootstrap; then
    say "installing debootstrap failed; the image tests will skip"
    exit 0
  fi
fi

# --- the mirror apt already uses ------------------------------------------------------
# The first Debian archive URI of /etc/apt/sources.list.d/*.sources (deb822) or of a
# `deb` line in /etc/apt/sources.list*; the security archive does not hold the suites.
mirror_from_apt() {
  local uri
  uri=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
    awk 'tolower($1) == "uris:" { for (i = 2; i <= NF; i++) print $i }' |
    grep -v -- '-security' | grep '/debian/\?$' | head -n 1)
  if [ -z "$uri" ]; then
    uri=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
      awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; break } }' |
      grep -v -- '-security' | grep '/debian/\?$' | head -n 1)
  fi
  echo "${uri:-http://deb.debian.org/debian}"
}
mirror=$(mirror_from_apt)

$sudo mkdir -p "$cache" || {
  say "cannot create $cache; the image tests will skip"
  exit 0
}

for suite in "${suites[@]}"; do
  image="$cache/$suite"
  stamp="$cache/$suite.recipe"
  if [ -d "$image" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$recipe" ]; then
    say "$suite: cached at $image"
    continue
  fi
  say "$suite: building at $image from $mirror (recipe $recipe)"
  started=$(date +%s)
  work="$cache/$suite.building"
  $sudo rm -rf "$work" "$stamp"
  log="$cache/$suite.log"
  if ! $sudo debootstrap --variant=minbase --include="$packages" \
    "$suite" "$work" "$mirror" >"$log" 2>&1; then
    say "$suite: debootstrap failed (last lines of $log below); its image tests will skip"
    tail -n 15 "$log"
    $sudo rm -rf "$work"
    continue
  fi
  # debootstrap copies the build machine's /etc/hostname and /etc/resolv.conf (and
  # /etc/hosts naming it) into the image: give the image its own name, and keep the
  # resolver out, so no report about the image says anything about the build machine.
  echo "envgate-$suite" | $sudo tee "$work/etc/hostname" >/dev/null
  $sudo rm -f "$work/etc/resolv.conf"
  printf '127.0.0.1\tlocalhost\n127.0.1.1\tenvgate-%s\n::1\tlocalhost ip6-localhost ip6-loopback\n' \
    "$suite" | $sudo tee "$work/etc/hosts" >/dev/null
  # Package caches are not part of a developer image, and take half its size.
  $sudo rm -rf "$work/var/cache/apt/archives/"*.deb "$work/var/lib/apt/lists/"*_Packages
  $sudo rm -rf "$image"
  $sudo mv "$work" "$image"
  echo "$recipe" | $sudo tee "$stamp" >/dev/null
  say "$suite: built in $(($(date +%s) - started)) s ($(du -sh "$image" | cut -f1))"
done
exit 0
