package envgate.repo.repo001_base_image_not_pinned_test

import data.envgate.repo.lib_test as t
import data.envgate.repo.repo001_base_image_not_pinned as rule
import rego.v1

stage(from, repository, tag, digest) := {
	"from": from, "line": 2, "from_stage": null, "variable": false,
	"image": {"repository": repository, "tag": tag, "digest": digest},
}

dockerfile(stages) := {"files": [t.with_facts(t.doc("Dockerfile", "dockerfile", {}), {"stages": stages})]}

test_fires_on_latest_and_on_no_tag if {
	findings := rule.deny with input as dockerfile([stage("ubuntu:latest", "ubuntu", "latest", null), stage("alpine", "alpine", null, null)])
	count(findings) == 2
	some f in findings
	f.msg == "FROM ubuntu:latest uses the latest tag: the image changes whenever a new one is pushed, so builds are not repeatable"
	f.location == {"file": "Dockerfile", "line": 2}
}

test_quiet_on_tags_digests_scratch_and_stages if {
	later := object.union(stage("build", "build", null, null), {"from_stage": 0})
	arg := object.union(stage("${BASE}", "${BASE}", null, null), {"variable": true})
	stages := [
		stage("golang:1.23", "golang", "1.23", null),
		stage("alpine@sha256:ab", "alpine", null, "sha256:ab"),
		stage("scratch", "scratch", null, null),
		later, arg,
	]
	count(rule.deny) == 0 with input as dockerfile(stages)
}
