#!/usr/bin/env bash
# Records what the real conftest prints (standard output) and its exit code for every
# case of tests/fixtures/conftest/cases.txt into tests/fixtures/conftest/expected/<name>.txt
# (first line `exit=<code>`, then the output as is). tests/conftest_oracle.rs compares
# envgate's output with these files. Run after changing a case:
#   tests/support/record-conftest.sh            # every case
#   tests/support/record-conftest.sh NAME…      # some
# conftest is found as $CONFTEST, else in ${ENVGATE_CI_CACHE:-/var/cache/envgate-ci}/bin
# (.ci/deps/50-conftest.sh builds it), else on PATH.
set -euo pipefail
root="$(cd "$(dirname "$0")/../fixtures/conftest" && pwd)"
conftest="${CONFTEST:-${ENVGATE_CI_CACHE:-/var/cache/envgate-ci}/bin/conftest}"
[ -x "$conftest" ] || conftest="$(command -v conftest || true)"
if [ -z "$conftest" ]; then
  echo "record-conftest: no conftest (run .ci/deps/50-conftest.sh)" >&2
  exit 1
fi
mkdir -p "$root/expected"
while read -r name dir words; do
  case "$name" in '' | '#'*) continue ;; esac
  if [ $# -gt 0 ] && ! printf '%s\n' "$@" | grep -qx "$name"; then continue; fi
  # shellcheck disable=SC2206
  args=($words)
  stdin=/dev/null
  last="${args[${#args[@]}-1]}"
  if [ "${last:0:1}" = "<" ]; then
    stdin="${last:1}"
    unset 'args[${#args[@]}-1]'
  fi
  set +e
  out="$(cd "$root/$dir" && ENVGATE_FIXTURE_FLAG=on "$conftest" "${args[@]}" <"$stdin" 2>/dev/null; echo "exit=$?")"
  set -e
  code="${out##*exit=}"
  body="${out%exit=*}"
  printf 'exit=%s\n%s' "$code" "$body" >"$root/expected/$name.txt"
  echo "$name: exit $code"
done <"$root/cases.txt"
