package envgate.go.go035_toolchain_line_unknown_to_local_go_test

import data.envgate.go.go035_toolchain_line_unknown_to_local_go as rule
import rego.v1

base(local, go_mod) := {
	"host": {"home": "/home/dev", "login_shell": "/bin/bash"},
	"go": {"toolchains": [{"goroot": "/usr/lib/go-1.19", "version": local}], "active": 0, "env": {}},
	"workspace": {"go_mod": go_mod, "go_work": null},
}

go_mod := {"file": "/src/app/go.mod", "go": {"value": "1.21", "line": 3}, "toolchain": {"value": "go1.21.5", "line": 5}}

test_fires_for_go_1_19 if {
	some finding in rule.deny with input as base("go1.19.8", go_mod)
	finding.location == {"file": "/src/app/go.mod", "line": 5}
	contains(finding.msg, "`go.mod:5: unknown directive: toolchain`")
	finding.vars.dir == "/src/app"
	finding.vars.tool == "mod"
}

test_fires_for_go_work_too if {
	work := {"file": "/src/go.work", "go": {"value": "1.21.0", "line": 1}, "toolchain": {"value": "go1.21.5", "line": 3}}
	input_value := object.union(base("go1.20.14", null), {"workspace": {"go_work": work}})
	some finding in rule.deny with input as input_value
	finding.vars.tool == "work"
	finding.location.line == 3
}

test_quiet_for_go_1_21_and_without_the_line if {
	count(rule.deny) == 0 with input as base("go1.21.0", go_mod)
	count(rule.deny) == 0 with input as base("go1.19.8", object.remove(go_mod, ["toolchain"]))
	count(rule.deny) == 0 with input as base(null, go_mod)
}
