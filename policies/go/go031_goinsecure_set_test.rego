package envgate.go.go031_goinsecure_set_test

import data.envgate.go.go031_goinsecure_set as rule
import rego.v1

base(value) := {
	"host": {"home": "/home/dev"},
	"go": {"env": {"GOINSECURE": {"value": value, "source": "goenv", "file": "/home/dev/.config/go/env", "line": 3}}},
}

test_private_host_is_a_warning if {
	some finding in rule.deny with input as base("git.corp.example")
	finding.severity == "warning"
	contains(finding.msg, "GOINSECURE=git.corp.example is set in /home/dev/.config/go/env:3: modules matching git.corp.example are fetched over plain HTTP")
	finding.vars.fix == "go env -u GOINSECURE"
}

test_wildcard_is_an_error if {
	some finding in rule.deny with input as base("git.corp.example, *")
	finding.severity == "error"
	contains(finding.msg, "`*` matches every module")
}

test_wildcard_first_element_is_an_error if {
	some finding in rule.deny with input as base("*/*")
	finding.severity == "error"
}

test_public_hosts_are_named if {
	some finding in rule.deny with input as base("github.com/acme/*")
	finding.severity == "warning"
	contains(finding.msg, "github.com/acme/* always serve valid HTTPS")
}

test_quiet_when_empty if {
	count(rule.deny) == 0 with input as base(" , ")
	count(rule.deny) == 0 with input as {"go": {"env": {}}}
}
