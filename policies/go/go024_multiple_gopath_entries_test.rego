package envgate.go.go024_multiple_gopath_entries_test

import data.envgate.go.go024_multiple_gopath_entries as rule
import rego.v1

base(raws) := {
	"host": {"home": "/home/dev"},
	"go": {"env": {"GOPATH": {"value": concat(":", raws), "source": "env"}}},
	"go_settings": {"gopath": [{"index": i, "raw": r} | some i, r in raws]},
}

test_fires_for_two_entries if {
	some finding in rule.deny with input as base(["/home/dev/go", "/opt/gopath"])
	contains(finding.msg, "GOPATH has 2 entries (/home/dev/go, /opt/gopath)")
	contains(finding.msg, "/home/dev/go/bin")
	finding.vars.others == ["/opt/gopath"]
	finding.vars.fix == "export GOPATH='/home/dev/go'   # where it is set now"
}

test_empty_entries_do_not_count if {
	count(rule.deny) == 0 with input as base(["/home/dev/go", ""])
}

test_quiet_for_one_entry if {
	count(rule.deny) == 0 with input as base(["/home/dev/go"])
}
