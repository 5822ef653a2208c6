# METADATA
# title: GOTOOLCHAIN pinned to `local` or `path`
# description: |
#   From Go 1.21 the go command downloads and runs the Go release a go.mod or go.work
#   asks for when the installed one is too old (GOTOOLCHAIN=auto, the upstream default).
#   Some distributions turn that off in $GOROOT/go.env — Fedora and Microsoft's Go
#   ship `GOTOOLCHAIN=local` — and users or images set `local` or `path` (switch only to
#   `goX.Y.Z` programs already on PATH). Then a module that needs a newer Go fails with
#   `go: go.mod requires go >= 1.N (running go 1.M; GOTOOLCHAIN=local)` instead of
#   fetching it, and editors and CI behave differently from a stock install.
#   Decision: an info note whenever the effective GOTOOLCHAIN is `local`, `path` or
#   `<name>+path`, wherever it is set (environment, `go env -w` file, $GOROOT/go.env),
#   unless the local go is known to be older than 1.21, which ignores GOTOOLCHAIN.
#   GO034 reports the error when a module actually needs a newer Go.
# related_resources:
#   - ref: https://github.com/golang/vscode-go/issues/3430
#   - ref: https://github.com/microsoft/go/issues/946
#   - ref: https://go.dev/doc/toolchain#select
# custom:
#   id: GO037
#   severity: info
#   since: 1.0.0
#   autofix: unsafe
#   category: Toolchain vs go.mod
#   remediation: |
#     Nothing to fix if this is what you want: install the Go releases your modules need yourself.
#     To let the go command fetch them when a go.mod asks for a newer Go:
#       go env -w GOTOOLCHAIN=auto
package envgate.go.go037_gotoolchain_pinned_local

import data.envgate.go.fix_lib
import data.envgate.go.lib
import rego.v1

pinned(value) if value in {"local", "path"}

pinned(value) if endswith(value, "+path")

too_old_to_care if {
	local := lib.active_toolchain.version
	is_string(local)
	lib.version_less(local, "1.21")
}

where(v) := text if {
	v.source == "goroot"
	text := sprintf("%s, the installation's defaults file", [lib.origin(v)])
	is_string(text)  # holds for any defined value (L012)
} else := lib.origin(v)

meaning(value) := "the go command never switches to another Go release" if value == "local" else := "the go command switches only to goX.Y.Z programs already on PATH, never downloading one"

deny contains finding if {
	v := input.go.env.GOTOOLCHAIN
	pinned(v.value)
	v.source in {"env", "goenv", "goroot"}
	not too_old_to_care
	finding := {
		"msg": sprintf("GOTOOLCHAIN=%s is set %s: %s, so modules needing a newer Go fail with `go: go.mod requires go >= …; GOTOOLCHAIN=%s` until you install it", [v.value, where(v), meaning(v.value), v.value]),
		"subject": "go.env.GOTOOLCHAIN",
		"vars": {"value": v.value, "source": v.source},
		# Unsafe: the go command then downloads and runs other releases.
		"fix": auto_fix(v),
	}
}

auto_fix(v) := fix_lib.set_in_place("GOTOOLCHAIN", "auto", false) if {
	v.source in {"env", "goenv"}
} else := edits if {
	fix_lib.goenv_file
	edits := [object.union(fix_lib.go_env_set("GOTOOLCHAIN", "auto"), {"safe": false})]
	is_array(edits)  # holds for any defined value (L012)
} else := []
