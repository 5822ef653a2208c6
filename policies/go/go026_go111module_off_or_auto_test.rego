package envgate.go.go026_go111module_off_or_auto_test

import data.envgate.go.go026_go111module_off_or_auto as rule
import rego.v1

with_setting(value, source, file, line) := {
	"host": {"home": "/home/dev"},
	"go": {"env": {"GO111MODULE": {"value": value, "source": source, "file": file, "line": line}}},
}

test_fires_on_off_from_goenv_file if {
	some finding in rule.deny with input as with_setting("off", "goenv", "/home/dev/.config/go/env", 1)
	finding.subject == "go.env.GO111MODULE"
	finding.vars.fix == "go env -u GO111MODULE"
	contains(finding.msg, "GO111MODULE=off is set in /home/dev/.config/go/env:1: module mode is off")
}

test_fires_on_auto_from_etc_environment if {
	some finding in rule.deny with input as with_setting("auto", "env", "/etc/environment", 3)
	finding.vars.fix == `sudo sed -i '/^\s*\(export \)\?GO111MODULE=/d' /etc/environment`
	contains(finding.msg, "GO111MODULE=auto is set in /etc/environment:3: outside a directory with go.mod")
}

test_fix_for_live_environment_and_goroot if {
	some live in rule.deny with input as with_setting("off", "env", null, null)
	startswith(live.vars.fix, "unset GO111MODULE")
	contains(live.msg, "set in the environment")
	some distro in rule.deny with input as with_setting("off", "goroot", "/usr/lib/golang/go.env", 4)
	distro.vars.fix == "go env -w GO111MODULE='on'"
}

test_quiet_when_on if {
	count(rule.deny) == 0 with input as with_setting("on", "env", "/etc/environment", 1)
}

test_quiet_when_unset if {
	count(rule.deny) == 0 with input as {"host": {"home": "/home/dev"}, "go": {"env": {}}}
}
