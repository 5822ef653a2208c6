package envgate.go.go064_windows_long_paths_disabled_test

import data.envgate.go.go064_windows_long_paths_disabled as rule
import rego.v1

test_fires_when_not_set if {
	inp := {"host": {"os": "windows"}, "windows": {"long_paths": null}}
	some finding in rule.deny with input as inp
	contains(finding.msg, "is not set")
}

test_fires_when_zero if {
	inp := {"host": {"os": "windows"}, "windows": {"long_paths": {"value": "0"}}}
	some finding in rule.deny with input as inp
	contains(finding.msg, "= 0")
}

test_quiet_when_enabled if {
	inp := {"host": {"os": "windows"}, "windows": {"long_paths": {"value": "1"}}}
	count(rule.deny) == 0 with input as inp
}
