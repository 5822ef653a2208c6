package envgate.go.go036_language_version_without_patch_test

import data.envgate.go.go036_language_version_without_patch as rule
import rego.v1

base(local, go_line, env) := {
	"host": {"home": "/home/dev", "os": "linux", "arch": "amd64"},
	"go": {"toolchains": [{"goroot": "/usr/local/go", "version": local}], "active": 0, "env": env},
	"workspace": {"go_mod": {"file": "/src/app/go.mod", "go": {"value": go_line, "line": 3}}, "go_work": null},
}

test_fires_for_a_language_version_newer_than_go_1_21_5 if {
	some finding in rule.deny with input as base("go1.21.5", "1.22", {})
	finding.location == {"file": "/src/app/go.mod", "line": 3}
	contains(finding.msg, "`go: download go1.22 for linux/amd64: toolchain not available`")
	finding.vars.release == "1.22.0"
	finding.vars.tool == "mod"
}

test_fires_with_gotoolchain_plus_auto if {
	env := {"GOTOOLCHAIN": {"value": "go1.22.1+auto", "source": "env"}}
	some finding in rule.deny with input as base("go1.22.1", "1.23", env)
	finding.vars.local == "go1.22.1"
}

test_quiet_with_a_patch_release_or_a_toolchain_line if {
	count(rule.deny) == 0 with input as base("go1.21.5", "1.22.0", {})
	with_toolchain := object.union(base("go1.21.5", "1.22", {}), {"workspace": {"go_mod": {"toolchain": {"value": "go1.22.3", "line": 5}}}})
	count(rule.deny) == 0 with input as with_toolchain
}

test_quiet_for_fixed_old_and_new_enough_toolchains if {
	count(rule.deny) == 0 with input as base("go1.22.4", "1.23", {})
	count(rule.deny) == 0 with input as base("go1.21.9", "1.22", {})
	count(rule.deny) == 0 with input as base("go1.19.8", "1.22", {})
	count(rule.deny) == 0 with input as base("go1.22.0", "1.22", {})
	count(rule.deny) == 0 with input as base("go1.21.5", "1.20", {})
}

test_quiet_when_switching_is_off if {
	count(rule.deny) == 0 with input as base("go1.21.5", "1.22", {"GOTOOLCHAIN": {"value": "local", "source": "goroot"}})
}
