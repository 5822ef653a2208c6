package envgate.go.go037_gotoolchain_pinned_local_test

import data.envgate.go.go037_gotoolchain_pinned_local as rule
import rego.v1

base(value, source, local) := {
	"host": {"home": "/home/dev"},
	"go": {
		"toolchains": [{"goroot": "/usr/lib/golang", "version": local}],
		"active": 0,
		"env": {"GOTOOLCHAIN": {"value": value, "source": source, "file": "/usr/lib/golang/go.env", "line": 12}},
	},
}

test_fires_for_fedora_go_env if {
	some finding in rule.deny with input as base("local", "goroot", "go1.22.5")
	contains(finding.msg, "GOTOOLCHAIN=local is set in /usr/lib/golang/go.env:12, the installation's defaults file: the go command never switches")
	finding.vars.source == "goroot"
}

test_fires_for_path_forms if {
	some finding in rule.deny with input as base("go1.22.0+path", "env", "go1.22.5")
	contains(finding.msg, "only to goX.Y.Z programs already on PATH")
}

test_quiet_for_auto_and_old_toolchains if {
	count(rule.deny) == 0 with input as base("auto", "goroot", "go1.22.5")
	count(rule.deny) == 0 with input as base("go1.22.0+auto", "env", "go1.22.5")
	count(rule.deny) == 0 with input as base("local", "env", "go1.19.8")
}
