package envgate.repo.repo041_go_out_of_support_test

import data.envgate.repo.lib_test as t
import data.envgate.repo.repo041_go_out_of_support as rule
import rego.v1

dockerfile(version, role) := {"files": [t.with_facts(t.doc("Dockerfile", "dockerfile", {}), {"dir": "", "go_versions": [t.place(version, role, 1)]})]}

supported := {"repo": {"supported_go": ["1.27", "1.26"], "supported_go_as_of": "2026-11-23"}}

test_fires_on_an_old_release_in_a_container if {
	[f] := [x | some x in rule.deny] with input as dockerfile("1.21", "container") with data.pack_data as supported
	f.msg == "Dockerfile builds with Go 1.21, which no longer gets security fixes (supported: 1.27 and 1.26, as of 2026-11-23)"
	f.vars.newest == "1.27"
}

test_quiet_on_supported_releases_and_on_pins if {
	count(rule.deny) == 0 with input as dockerfile("1.26.3", "container") with data.pack_data as supported
	count(rule.deny) == 0 with input as dockerfile("1.21", "pin") with data.pack_data as supported
}
