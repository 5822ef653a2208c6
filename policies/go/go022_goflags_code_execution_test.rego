package envgate.go.go022_goflags_code_execution_test

import data.envgate.go.go022_goflags_code_execution as rule
import rego.v1

flag(i, raw, name, value) := {"index": i, "raw": raw, "name": name, "value": value}

base(flags, raw) := {
	"host": {"home": "/home/dev"},
	"go": {"env": {"GOFLAGS": {"value": raw, "source": "env", "file": "/etc/environment", "line": 2}}},
	"go_settings": {"goflags": flags},
}

test_fires_on_toolexec_and_keeps_the_other_flags if {
	input_value := base(
		[flag(0, "-trimpath", "trimpath", null), flag(1, "-toolexec=/tmp/.x/run", "toolexec", "/tmp/.x/run")],
		"-trimpath -toolexec=/tmp/.x/run",
	)
	some finding in rule.deny with input as input_value
	contains(finding.msg, "-toolexec=/tmp/.x/run (runs that program in front of every compiler and linker call)")
	contains(finding.msg, "in /etc/environment:2")
	finding.vars.flags == ["-toolexec=/tmp/.x/run"]
	finding.vars.rest == "-trimpath"
	contains(finding.vars.fix, "GOFLAGS=-trimpath")
}

test_fires_on_ldflags_with_x_and_removes_goflags_when_nothing_is_left if {
	input_value := base([flag(0, "--ldflags=-X=main.server=evil.example", "ldflags", "-X=main.server=evil.example")], "--ldflags=-X=main.server=evil.example")
	some finding in rule.deny with input as input_value
	finding.vars.rest == ""
	startswith(finding.vars.fix, `sudo sed -i '/^\s*\(export \)\?GOFLAGS=/d' /etc/environment`)
}

test_fires_once_for_several_flags if {
	input_value := base(
		[flag(0, "-exec=x", "exec", "x"), flag(1, "-overlay=o.json", "overlay", "o.json"), flag(2, "-modfile=alt.mod", "modfile", "alt.mod")],
		"-exec=x -overlay=o.json -modfile=alt.mod",
	)
	findings := rule.deny with input as input_value
	count(findings) == 1
	some finding in findings
	count(finding.vars.flags) == 3
}

test_quiet_for_harmless_flags if {
	input_value := base(
		[flag(0, "-mod=vendor", "mod", "vendor"), flag(1, "-ldflags=-s", "ldflags", "-s"), flag(2, "-tags=integration", "tags", "integration")],
		"-mod=vendor -ldflags=-s -tags=integration",
	)
	count(rule.deny) == 0 with input as input_value
}

test_quiet_without_goflags if {
	count(rule.deny) == 0 with input as {"go": {"env": {}}, "go_settings": {"goflags": []}}
}
