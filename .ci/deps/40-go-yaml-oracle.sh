#!/usr/bin/env bash
# The Kubernetes YAML differential test (tests/k8s_yaml_oracle.rs) builds a tiny Go
# program over sigs.k8s.io/yaml, kubectl's YAML decoder. This fetches the module into
# Go's module cache ahead of time. Idempotent and quick once cached; never fails the
# CI: without Go or the module proxy the test skips and says why.
set -u
go_bin="$(command -v go || true)"
[ -z "$go_bin" ] && [ -x /usr/local/go/bin/go ] && go_bin=/usr/local/go/bin/go
if [ -z "$go_bin" ]; then
  echo "go-yaml-oracle: no Go toolchain; tests/k8s_yaml_oracle.rs will skip"
  exit 0
fi
export GOTOOLCHAIN=local
module="sigs.k8s.io/yaml@v1.4.0"
cache="$("$go_bin" env GOMODCACHE 2>/dev/null)"
if [ -n "$cache" ] && [ -d "$cache/sigs.k8s.io/yaml@v1.4.0" ]; then
  echo "go-yaml-oracle: $module already in $cache"
  exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 0
printf 'module fetch\n\ngo 1.21\n' > go.mod
if timeout 300 "$go_bin" mod download "$module"; then
  echo "go-yaml-oracle: fetched $module"
else
  echo "go-yaml-oracle: could not fetch $module (no module proxy?); tests/k8s_yaml_oracle.rs will skip"
fi
exit 0
