package envgate.go.go011_pinned_go_not_installed_test

import data.envgate.go.go011_pinned_go_not_installed as rule
import rego.v1

goenv := {"name": "goenv", "root": "/home/dev/.goenv", "present": true, "versions_dir": "/home/dev/.goenv/versions", "versions": ["1.21.13"]}

pin := {
	"file": "/home/dev/src/app/.go-version", "line": 1, "format": "go-version", "scope": "project",
	"value": "1.22.3", "kind": "version", "read_by": ["goenv", "gvm"], "installed": [],
}

inp(p, managers) := {"go": {"version_pins": [p], "version_managers": managers}}

test_fires_for_a_goenv_pin_that_is_not_installed if {
	some finding in rule.deny with input as inp(pin, [goenv])
	finding.location == {"file": "/home/dev/src/app/.go-version", "line": 1}
	finding.vars.install == "goenv install 1.22.3"
	finding.vars.installed_text == "1.21.13"
	finding.msg == "/home/dev/src/app/.go-version:1 pins Go 1.22.3, which is not installed for goenv (no 1.22.3 in /home/dev/.goenv/versions); go commands in /home/dev/src/app and below fail: `goenv: version '1.22.3' is not installed (set by /home/dev/src/app/.go-version)`"
}

test_tool_versions_for_asdf_and_mise if {
	asdf := {"name": "asdf", "root": "/h/.asdf", "present": true, "versions_dir": "/h/.asdf/installs/golang", "versions": []}
	mise := {"name": "mise", "root": "/h/.local/share/mise", "present": true, "versions_dir": "/h/.local/share/mise/installs/go", "versions": []}
	p := object.union(pin, {"file": "/h/.tool-versions", "line": 3, "format": "tool-versions", "scope": "global", "value": "1.23", "read_by": ["asdf", "mise"]})
	some finding in rule.deny with input as inp(p, [asdf, mise])
	finding.vars.install == "asdf install golang 1.23\n  mise install go@1.23"
	contains(finding.msg, "every directory without its own pin")
	contains(finding.msg, "(no 1.23 or 1.23.x in /h/.asdf/installs/golang; no 1.23 or 1.23.x in /h/.local/share/mise/installs/go)")
	not contains(finding.msg, "goenv:")
}

test_gvm_directories_carry_the_go_prefix if {
	gvm := {"name": "gvm", "root": "/h/.gvm", "present": true, "versions_dir": "/h/.gvm/gos", "versions": []}
	some finding in rule.deny with input as inp(object.union(pin, {"value": "go1.22.3"}), [gvm])
	contains(finding.msg, "no go1.22.3 in /h/.gvm/gos")
	finding.vars.install == "gvm install go1.22.3"
}

test_quiet_when_installed if {
	count(rule.deny) == 0 with input as inp(object.union(pin, {"installed": ["/home/dev/.goenv/versions/1.22.3"]}), [goenv])
}

test_quiet_without_a_manager_that_reads_the_file if {
	count(rule.deny) == 0 with input as inp(pin, [object.union(goenv, {"present": false})])
	count(rule.deny) == 0 with input as inp(pin, [])
}

test_quiet_for_system_and_other_pins if {
	count(rule.deny) == 0 with input as inp(object.union(pin, {"value": "system", "kind": "system"}), [goenv])
	count(rule.deny) == 0 with input as inp(object.union(pin, {"value": "ref:master", "kind": "other"}), [goenv])
}
