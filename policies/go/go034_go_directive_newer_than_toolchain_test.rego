package envgate.go.go034_go_directive_newer_than_toolchain_test

import data.envgate.go.go034_go_directive_newer_than_toolchain as rule
import rego.v1

gomod(file, version) := {"file": file, "go": {"value": version, "line": 3}}

setup(local, required, gotoolchain) := {
	"host": {"home": "/home/dev", "login_shell": "/bin/bash"},
	"go": {
		"toolchains": [{"goroot": "/usr/local/go", "version": local}],
		"active": 0,
		"env": {"GOTOOLCHAIN": {"value": gotoolchain, "source": "goenv", "file": "/home/dev/.config/go/env", "line": 1}},
	},
	"workspace": {"go_mod": gomod("/home/dev/src/app/go.mod", required), "go_work": null},
}

only_finding(inp) := f if {
	findings := rule.deny with input as inp
	count(findings) == 1
	some f in findings
}

# An error like every case where the toolchain cannot build the module as written;
# graded a warning before, it let `check` pass the module.
test_old_toolchain_is_an_error if {
	f := only_finding(setup("go1.19.8", "1.22.0", "local"))
	f.severity == "error"
	f.location == {"file": "/home/dev/src/app/go.mod", "line": 3}
	f.vars.dir == "/home/dev/src/app"
	f.vars.local_number == "1.19"
	contains(f.msg, "go.mod requires go 1.22.0 but the local toolchain is go1.19.8, which predates toolchain switching and cannot read that version: go commands fail with `go: errors parsing go.mod: invalid go version '1.22.0'`")
}

test_old_toolchain_builds_a_two_part_go_line_with_its_own_semantics if {
	f := only_finding(setup("go1.19.8", "1.22", ""))
	f.severity == "error"
	contains(f.msg, "it builds the module anyway with go1.19.8's semantics")
}

test_gotoolchain_local_is_an_error if {
	f := only_finding(setup("go1.21.5", "1.22.0", "local"))
	f.severity == "error"
	f.vars.fix == "go env -w GOTOOLCHAIN='auto'"
	f.vars.local_number == "1.21.5"
	contains(f.msg, "`go: go.mod requires go >= 1.22.0 (running go 1.21.5; GOTOOLCHAIN=local)`")
}

test_path_and_too_old_pin_are_errors if {
	only_finding(setup("go1.21.5", "1.22.0", "path")).severity == "error"
	only_finding(setup("go1.21.5", "1.22.0", "go1.21.0+path")).severity == "error"
	pinned := only_finding(setup("go1.21.5", "1.22.0", "go1.21.9"))
	pinned.severity == "error"
	contains(pinned.msg, "(running go 1.21.9; GOTOOLCHAIN=go1.21.9)")
}

test_automatic_switch_is_info if {
	f := only_finding(setup("go1.21.5", "1.22.0", "auto"))
	f.severity == "info"
	contains(f.msg, "with GOTOOLCHAIN=auto the go command downloads a newer toolchain")
	only_finding(setup("go1.21.5", "1.22.0", "")).severity == "info"
	only_finding(setup("go1.21.5", "1.22.0", "local+auto")).severity == "info"
	only_finding(setup("go1.21.5", "1.22.0", "go1.22.3")).severity == "info"
}

test_go_work_wins_over_go_mod if {
	inp := object.union(setup("go1.21.5", "1.20", "local"), {"workspace": {"go_work": gomod("/home/dev/src/go.work", "1.23.1")}})
	f := only_finding(inp)
	f.vars.file == "/home/dev/src/go.work"
	f.vars.tool == "work"
	contains(f.msg, "go: go.work requires go >= 1.23.1")
}

test_gowork_off_ignores_go_work if {
	inp := object.union(setup("go1.21.5", "1.20", "local"), {
		"workspace": {"go_work": gomod("/home/dev/src/go.work", "1.23.1")},
		"go": {"env": {"GOWORK": {"value": "off", "source": "env"}}},
	})
	count(rule.deny) == 0 with input as inp
}

test_quiet_when_toolchain_is_new_enough if {
	count(rule.deny) == 0 with input as setup("go1.22.0", "1.22", "local")
	count(rule.deny) == 0 with input as setup("go1.22.1", "1.21.0", "local")
}

test_quiet_when_a_version_is_unknown if {
	count(rule.deny) == 0 with input as setup(null, "1.22.0", "local")
	count(rule.deny) == 0 with input as object.union(setup("go1.19.8", "1.22.0", "local"), {"workspace": {"go_mod": {"file": "/x/go.mod", "go": null}}})
	count(rule.deny) == 0 with input as object.union(setup("go1.19.8", "1.22.0", "local"), {"workspace": {"go_mod": null}})
}
