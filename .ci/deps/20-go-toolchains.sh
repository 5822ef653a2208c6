#!/usr/bin/env bash
# The real Go toolchains tests/real_go.rs compares envgate against:
#   - Debian's Go 1.19 (package golang-1.19-go, in /usr/lib/go-1.19; the package
#     golang-go depends on, without the /usr/bin/go link, so the machine's `go` on
#     PATH stays what it was);
#   - go1.27.3, fetched by the installed go with GOTOOLCHAIN=go1.27.3 into the module
#     cache under $ENVGATE_CI_CACHE (default /var/cache/envgate-ci), so a fresh clone
#     does not download it again;
#   - gopls v0.23.0, built by `go install` into $ENVGATE_CI_CACHE/bin.
# Idempotent: does nothing when all three are there; runs `apt-get update` only when
# the Debian package is missing. Never fails the run: what cannot be installed is
# reported and the tests that need it skip with a printed reason.
set -u

cache="${ENVGATE_CI_CACHE:-/var/cache/envgate-ci}"
toolchain="go1.27.3"
gopls_version="v0.23.0"

# --- Debian's Go 1.19 --------------------------------------------------------------
if [ -x /usr/lib/go-1.19/bin/go ]; then
  echo "go-toolchains: Debian's Go 1.19 is installed"
elif ! command -v apt-get >/dev/null 2>&1; then
  echo "go-toolchains: no apt-get here; the Go 1.19 cases will skip"
else
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo -n"; else sudo="unavailable"; fi
  fi
  if [ "$sudo" = "unavailable" ]; then
    echo "go-toolchains: not root (no sudo); the Go 1.19 cases will skip"
  else
    echo "go-toolchains: installing golang-1.19-go"
    if ! apt-cache show golang-1.19-go >/dev/null 2>&1; then
      $sudo apt-get update -qq || echo "go-toolchains: apt-get update failed"
    fi
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
      golang-1.19-go ||
      echo "go-toolchains: installing golang-1.19-go failed; the Go 1.19 cases will skip"
  fi
fi

# --- a Go >= 1.21 to fetch with -----------------------------------------------------
ready=0
. "$(dirname "$0")/go-for-fetching.bash" && ready=1
if [ -z "$go" ]; then
  echo "go-toolchains: no Go >= 1.21 to fetch $toolchain and gopls with; those cases will skip"
  exit 0
fi
if [ "$ready" -ne 1 ]; then
  echo "go-toolchains: cannot create $cache; the $toolchain and gopls cases will skip"
  exit 0
fi
# Everything the go command writes stays in the cache; no user config applies.
fetch_env=(env -u GOFLAGS -u GOROOT GOENV=off GOPATH="$cache/go" GOMODCACHE="$cache/go/pkg/mod"
  GOCACHE="$cache/go-build" GOPROXY=https://proxy.golang.org,direct GOSUMDB=sum.golang.org)

# --- go1.27.3 via GOTOOLCHAIN switching ---------------------------------------------
downloaded="$cache/go/pkg/mod/golang.org/toolchain@v0.0.1-$toolchain.linux-amd64/bin/go"
if [ -x "$downloaded" ]; then
  echo "go-toolchains: $toolchain is in $cache"
elif [ "$(uname -m)" != "x86_64" ]; then
  echo "go-toolchains: not linux-amd64; the $toolchain cases will skip"
elif (cd "$cache" && "${fetch_env[@]}" GOTOOLCHAIN="$toolchain" timeout 600 "$go" version); then
  echo "go-toolchains: fetched $toolchain"
else
  echo "go-toolchains: fetching $toolchain failed; its cases will skip"
fi

# --- gopls v0.23.0 ------------------------------------------------------------------
if [ -x "$cache/bin/gopls" ] && "$go" version -m "$cache/bin/gopls" 2>/dev/null |
  grep -q "mod[[:space:]]*golang.org/x/tools/gopls[[:space:]]*$gopls_version"; then
  echo "go-toolchains: gopls $gopls_version is in $cache/bin"
elif (cd "$cache" && "${fetch_env[@]}" GOTOOLCHAIN=local GOBIN="$cache/bin" timeout 1200 \
  "$go" install "golang.org/x/tools/gopls@$gopls_version"); then
  echo "go-toolchains: built gopls $gopls_version into $cache/bin"
else
  echo "go-toolchains: building gopls $gopls_version failed; its cases will skip"
fi
exit 0
