package envgate.go.go052_go_env_fails_test

import data.envgate.go.go052_go_env_fails as rule
import rego.v1

ok(name) := {"name": name, "command": sprintf("go %s", [name]), "ran": true, "ok": true, "exit_code": 0, "note": null, "output": null}

bad(name) := {"name": name, "command": sprintf("go %s", [name]), "ran": true, "ok": false, "exit_code": 1, "note": null, "output": "go: something broke"}

all_ok := [ok("version"), ok("env"), ok("mod-init"), ok("build"), ok("build-cgo")]

with_failed(name) := [s | some step in all_ok; s := replaced(step, name)]

replaced(step, name) := bad(name) if step.name == name

replaced(step, name) := step if step.name != name

test_fires_when_env_fails if {
	some finding in rule.deny with input as {"probe": {"steps": with_failed("env")}, "path": {"resolved": {"go": {"path": "/usr/bin/go"}}}}
	contains(finding.msg, "exit status 1")
	contains(finding.msg, "go: something broke")
	finding.vars.go == "/usr/bin/go"
}

test_quiet_when_every_step_works if {
	count(rule.deny) == 0 with input as {"probe": {"steps": all_ok}, "path": {"resolved": {}}}
}

test_quiet_without_a_probe if {
	count(rule.deny) == 0 with input as {"probe": null, "path": {"resolved": {}}}
}
