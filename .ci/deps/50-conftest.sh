#!/usr/bin/env bash
# The real conftest that tests/conftest_oracle.rs compares `envgate test` and
# `envgate verify` against (live, when present; the recorded outputs under
# tests/fixtures/conftest/ are compared always): conftest v0.69.0, built by
# `go install` into $ENVGATE_CI_CACHE/bin (default /var/cache/envgate-ci/bin). No test
# runs OPA, so it is not built here (`go install
# github.com/open-policy-agent/opa@v1.22.4` gives the one docs/regorus-vm-bugs.md used).
# Idempotent: does nothing when the binary of the right version is there. Never
# fails the run: what cannot be built is reported and the live comparison skips with a
# printed reason.
set -u

cache="${ENVGATE_CI_CACHE:-/var/cache/envgate-ci}"
conftest_version="v0.69.0"

ready=0
. "$(dirname "$0")/go-for-fetching.bash" && ready=1
if [ -z "$go" ]; then
  echo "conftest: no Go >= 1.21 to build conftest with; the live comparison will skip"
  exit 0
fi
if [ "$ready" -ne 1 ]; then
  echo "conftest: cannot create $cache; the live comparison will skip"
  exit 0
fi
# Everything the go command writes stays in the cache; no user config applies. The
# toolchain is the one the module asks for (GOTOOLCHAIN=auto fetches it if newer).
fetch_env=(env -u GOFLAGS -u GOROOT GOENV=off GOPATH="$cache/go" GOMODCACHE="$cache/go/pkg/mod"
  GOCACHE="$cache/go-build" GOPROXY=https://proxy.golang.org,direct GOSUMDB=sum.golang.org
  GOTOOLCHAIN=auto CGO_ENABLED=0)

install_tool() { # name module version
  local name="$1" module="$2" version="$3"
  if [ -x "$cache/bin/$name" ] && "$go" version -m "$cache/bin/$name" 2>/dev/null |
    grep -Eq "^[[:space:]]*mod[[:space:]]+$module[[:space:]]+$version([[:space:]]|$)"; then
    echo "conftest: $name $version is in $cache/bin"
  elif (cd "$cache" && "${fetch_env[@]}" GOBIN="$cache/bin" timeout 1800 \
    "$go" install "$module@$version"); then
    echo "conftest: built $name $version into $cache/bin"
  else
    echo "conftest: building $name $version failed; the comparisons that need it will skip"
  fi
}

install_tool conftest github.com/open-policy-agent/conftest "$conftest_version"
exit 0
