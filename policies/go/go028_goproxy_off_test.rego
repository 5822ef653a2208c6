package envgate.go.go028_goproxy_off_test

import data.envgate.go.go028_goproxy_off as rule
import rego.v1

with_goproxy(value, source, file, line) := {
	"host": {"home": "/home/dev"},
	"go": {"env": {"GOPROXY": {"value": value, "source": source, "file": file, "line": line}}},
}

test_fires_on_off_from_environment_d if {
	inp := with_goproxy("off", "env", "/home/dev/.config/environment.d/go.conf", 1)
	some finding in rule.deny with input as inp
	finding.subject == "go.env.GOPROXY"
	finding.vars.fix == `sed -i '/^\s*\(export \)\?GOPROXY=/d' /home/dev/.config/environment.d/go.conf`
	contains(finding.msg, "GOPROXY=off is set in /home/dev/.config/environment.d/go.conf:1")
	contains(finding.msg, "module lookup disabled by GOPROXY=off")
}

test_fires_on_off_from_goenv if {
	some finding in rule.deny with input as with_goproxy("off", "goenv", "/home/dev/.config/go/env", 3)
	finding.vars.fix == "go env -u GOPROXY"
	finding.vars.proxy_fix == "go env -w GOPROXY='https://goproxy.example.com,direct'"
}

test_quiet_on_direct_only if {
	count(rule.deny) == 0 with input as with_goproxy("direct", "env", "/etc/environment", 1)
}

test_quiet_on_a_list_ending_in_off if {
	count(rule.deny) == 0 with input as with_goproxy("https://goproxy.corp.example.com,off", "env", "/etc/environment", 1)
}

test_fix_deletes_the_environment_d_line_unsafely if {
	inp := object.union(
		with_goproxy("off", "env", "/home/dev/.config/environment.d/go.conf", 1),
		{"systemd_user": {"environment_d": [{"path": "/home/dev/.config/environment.d/go.conf"}]}},
	)
	some finding in rule.deny with input as inp
	finding.fix == [{"kind": "delete_line", "file": "/home/dev/.config/environment.d/go.conf", "line": 1, "expect": "GOPROXY=off", "safe": false}]
}

test_fix_unsets_it_in_the_goenv_file_unsafely if {
	inp := object.union(
		with_goproxy("off", "goenv", "/home/dev/.config/go/env", 3),
		{"go": {"goenv_file": {"path": "/home/dev/.config/go/env"}}},
	)
	some finding in rule.deny with input as inp
	finding.fix == [{"kind": "go_env_unset", "file": "/home/dev/.config/go/env", "key": "GOPROXY", "safe": false}]
}
