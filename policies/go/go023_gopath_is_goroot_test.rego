package envgate.go.go023_gopath_is_goroot_test

import data.envgate.go.go023_gopath_is_goroot as rule
import rego.v1

base(gopath, goroot_realpath) := {
	"host": {"home": "/home/dev"},
	"go": {
		"env": {"GOPATH": {"value": gopath, "source": "goenv", "file": "/home/dev/.config/go/env", "line": 1}},
		"goroot": {"value": "/usr/local/go", "realpath": goroot_realpath, "exists": true},
	},
	"go_settings": {"gopath": [{"index": 0, "raw": gopath, "absolute": true, "exists": true, "realpath": gopath}]},
}

test_fires_when_gopath_is_goroot if {
	some finding in rule.deny with input as base("/usr/local/go", "/usr/local/go")
	finding.vars.relation == "equal"
	contains(finding.msg, "warning: GOPATH set to GOROOT (/usr/local/go) has no effect")
	contains(finding.msg, "/home/dev/.config/go/env:1")
	finding.vars.fix == "go env -w GOPATH='/home/dev/go'"
}

test_compares_realpaths if {
	# /usr/local/go is a link to /opt/go1.22; GOPATH names the target.
	some finding in rule.deny with input as base("/opt/go1.22/", "/opt/go1.22")
	finding.vars.relation == "equal"
}

test_fires_when_goroot_is_inside_gopath if {
	some finding in rule.deny with input as base("/usr/local", "/usr/local/go")
	finding.vars.relation == "contains"
	contains(finding.msg, "/usr/local/bin")
}

test_quiet_for_a_sibling_directory if {
	count(rule.deny) == 0 with input as base("/usr/local/gopath", "/usr/local/go")
	count(rule.deny) == 0 with input as base("/usr/local/go-work", "/usr/local/go")
}

test_quiet_without_goroot if {
	count(rule.deny) == 0 with input as object.union(base("/usr/local/go", "/usr/local/go"), {"go": {"goroot": null}})
}
