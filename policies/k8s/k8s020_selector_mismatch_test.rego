package envgate.k8s.k8s020_selector_mismatch_test

import data.envgate.k8s.k8s020_selector_mismatch as rule
import data.envgate.k8s.lib_test as t
import rego.v1

test_fires_on_a_different_value if {
	inp := t.input_of(object.union(t.deployment(t.hardened_pod_spec), {"spec": {"template": {"metadata": {"labels": {"app": "webapp"}}}}}))
	[f] := [x | some x in rule.deny] with input as inp
	f.msg == "Deployment/web selects pods with app=web but its pod template has app=webapp, so it does not match its own pods"
	f.location == t.at(["spec", "selector", "matchLabels", "app"])
	f.vars.labels_path == "spec.template.metadata.labels"
}

test_fires_on_a_missing_label_of_a_replication_controller if {
	rc := {"apiVersion": "v1", "kind": "ReplicationController", "metadata": {"name": "legacy"}, "spec": {
		"selector": {"app": "legacy", "tier": "web"},
		"template": {"metadata": {"labels": {"app": "legacy"}}, "spec": t.hardened_pod_spec},
	}}
	[f] := [x | some x in rule.deny] with input as t.input_of(rc)
	f.msg == "ReplicationController/legacy selects pods with tier=web but its pod template has no tier label, so it does not match its own pods"
	f.location == t.at(["spec", "selector", "tier"])
}

test_quiet_when_the_template_has_more_labels if {
	inp := t.input_of(object.union(t.deployment(t.hardened_pod_spec), {"spec": {"template": {"metadata": {"labels": {"version": "1.4.2"}}}}}))
	count(rule.deny) == 0 with input as inp
}
