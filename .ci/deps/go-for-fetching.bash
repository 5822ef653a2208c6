# Sourced by the .ci/deps scripts that build Go tools (not run by .ci/run: it is not a
# *.sh). Sets `go` to a Go >= 1.21 (the one on PATH, else /usr/local/go), empty when
# there is none, and makes "$cache/bin" (returns 1 when it cannot).
go=""
for candidate in "$(command -v go 2>/dev/null)" /usr/local/go/bin/go; do
  [ -n "$candidate" ] && [ -x "$candidate" ] || continue
  if GOTOOLCHAIN=local "$candidate" env GOVERSION 2>/dev/null | grep -Eq '^go1\.(2[1-9]|[3-9][0-9])'; then
    go="$candidate"
    break
  fi
done
[ -n "$go" ] && mkdir -p "$cache/bin" 2>/dev/null
