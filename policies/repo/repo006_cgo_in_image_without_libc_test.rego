package envgate.repo.repo006_cgo_in_image_without_libc_test

import data.envgate.repo.lib_test as t
import data.envgate.repo.repo006_cgo_in_image_without_libc as rule
import rego.v1

dockerfile(final) := {"files": [t.with_facts(t.doc("Dockerfile", "dockerfile", {}), {"stages": [
	{"from": "golang:1.23", "env": {"CGO_ENABLED": {"value": "1", "line": 2}}, "cgo_runs": [4]},
	final,
]})]}

test_fires_on_cgo_built_for_scratch if {
	findings := rule.deny with input as dockerfile({"from": "scratch", "no_libc": true, "env": {}, "cgo_runs": []})
	{f.location.line | some f in findings} == {2, 4}
}

test_quiet_when_the_final_image_has_a_c_library if {
	count(rule.deny) == 0 with input as dockerfile({"from": "debian:12", "no_libc": false, "env": {}, "cgo_runs": []})
}
