package envgate.repo.repo002_final_stage_runs_as_root_test

import data.envgate.repo.lib_test as t
import data.envgate.repo.repo002_final_stage_runs_as_root as rule
import rego.v1

stage(user, tag) := {"from": "ubuntu:24.04", "line": 1, "user": user, "image": {"tag": tag}}

dockerfile(stages) := {"files": [t.with_facts(t.doc("Dockerfile", "dockerfile", {}), {"stages": stages})]}

test_fires_on_user_root_in_the_final_stage if {
	[f] := [x | some x in rule.deny] with input as dockerfile([stage(null, "1"), stage({"value": "root", "line": 7}, "24.04")])
	f.location == {"file": "Dockerfile", "line": 7}
	f.msg == "the final stage (FROM ubuntu:24.04, line 1) runs as USER root: a process that breaks in is root in the container"
}

test_warns_without_any_user if {
	[f] := [x | some x in rule.deny] with input as dockerfile([stage(null, "24.04")])
	f.severity == "warning"
}

test_quiet_for_a_user_and_for_nonroot_images if {
	count(rule.deny) == 0 with input as dockerfile([stage({"value": "root", "line": 2}, "1"), stage({"value": "10001", "line": 9}, "1")])
	count(rule.deny) == 0 with input as dockerfile([stage(null, "nonroot")])
}
