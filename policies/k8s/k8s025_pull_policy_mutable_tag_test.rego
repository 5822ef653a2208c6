package envgate.k8s.k8s025_pull_policy_mutable_tag_test

import data.envgate.k8s.k8s025_pull_policy_mutable_tag as rule
import data.envgate.k8s.lib_test as t
import rego.v1

test_fires_on_a_tag_with_the_default_policy if {
	inp := t.input_of(t.with_container({"image": "registry.example.com/shop/web:1.4"}))
	[f] := [x | some x in rule.deny] with input as inp
	f.msg == `Deployment/web container "app" runs image registry.example.com/shop/web:1.4 with imagePullPolicy IfNotPresent (the default for a tag other than latest): a node keeps the copy it pulled first when the tag is moved`
	f.location == t.at(array.concat(t.container_path, ["image"]))
}

test_fires_on_latest_with_a_written_policy if {
	inp := t.input_of(t.with_container({"image": "nginx:latest", "imagePullPolicy": "Never"}))
	[f] := [x | some x in rule.deny] with input as inp
	f.location == t.at(array.concat(t.container_path, ["imagePullPolicy"]))
}

test_quiet_on_digests_always_and_the_latest_default if {
	every patch in [
		{"imagePullPolicy": "IfNotPresent"},
		{"image": "web:1.4", "imagePullPolicy": "Always"},
		{"image": "web:latest"},
		{"image": "web"},
	] {
		count(rule.deny) == 0 with input as t.input_of(t.with_container(patch))
	}
}
