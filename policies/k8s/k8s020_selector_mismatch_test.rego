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

with_expressions(expressions, labels) := object.union(t.deployment(t.hardened_pod_spec), {"spec": {
	"selector": {"matchExpressions": expressions},
	"template": {"metadata": {"labels": labels}},
}})

test_fires_on_expressions_the_template_does_not_satisfy if {
	inp := t.input_of(with_expressions(
		[
			{"key": "tier", "operator": "In", "values": ["web", "api"]},
			{"key": "canary", "operator": "DoesNotExist"},
			{"key": "track", "operator": "Exists"},
			{"key": "app", "operator": "NotIn", "values": ["web"]},
		],
		{"tier": "db", "canary": "true"},
	))
	{[f.msg, f.location.path[3]] | some f in rule.deny with input as inp} == {
		["Deployment/web selects pods with tier in (web, api) but its pod template has tier=db, so it does not match its own pods", 0],
		["Deployment/web selects pods with !canary but its pod template has canary=true, so it does not match its own pods", 1],
		["Deployment/web selects pods with track exists but its pod template has no track label, so it does not match its own pods", 2],
		["Deployment/web selects pods with app notin (web) but its pod template has app=web, so it does not match its own pods", 3],
	}
}

test_expression_findings_point_at_the_expression if {
	inp := t.input_of(with_expressions([{"key": "tier", "operator": "In", "values": ["web"]}], {}))
	[f] := [x | some x in rule.deny] with input as inp
	f.location == t.at(["spec", "selector", "matchExpressions", 0])
	f.vars.expression == "tier in (web)"
	f.vars.expression_path == "spec.selector.matchExpressions[0]"
}

test_fires_on_an_unknown_operator if {
	inp := t.input_of(with_expressions([{"key": "app", "operator": "Equals", "values": ["web"]}], {}))
	[f] := [x | some x in rule.deny] with input as inp
	contains(f.msg, `operator "Equals" is not In, NotIn, Exists or DoesNotExist`)
}

test_quiet_when_every_expression_holds if {
	inp := t.input_of(with_expressions(
		[
			{"key": "tier", "operator": "In", "values": ["web", "api"]},
			{"key": "canary", "operator": "DoesNotExist"},
			{"key": "app", "operator": "Exists"},
			{"key": "track", "operator": "NotIn", "values": ["beta"]},
			{"key": "version", "operator": "NotIn", "values": ["1"]},
		],
		{"tier": "api", "track": "stable"},
	))
	count(rule.deny) == 0 with input as inp
}
