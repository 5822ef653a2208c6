package envgate.k8s.k8s033_pod_disruption_budget_missing_test

import data.envgate.k8s.k8s033_pod_disruption_budget_missing as rule
import data.envgate.k8s.lib_test as t
import rego.v1

web := t.deployment(t.hardened_pod_spec)

files(contents) := {"files": [object.union(t.doc(content), {"path": sprintf("deploy/%d.yaml", [i])}) | some i, content in contents]}

# The hardened Deployment's budget with another selector (object.union would merge the
# two selectors).
budget(selector) := {
	"apiVersion": "policy/v1",
	"kind": "PodDisruptionBudget",
	"metadata": {"name": "web", "namespace": "shop"},
	"spec": {"maxUnavailable": 1, "selector": selector},
}

test_quiet_when_a_budget_in_another_file_selects_the_pods if {
	count(rule.deny) == 0 with input as t.hardened_input
}

test_fires_on_two_replicas_without_a_budget if {
	[f] := [x | some x in rule.deny] with input as files([web])
	f.msg == "Deployment/web runs 2 replicas and no PodDisruptionBudget in namespace shop selects its pods, so a node drain or upgrade may evict them all at once"
	f.location == {"file": "deploy/0.yaml", "document": 0, "path": ["spec", "replicas"]}
	f.vars.name == "web-pdb"
}

test_statefulsets_too if {
	db := object.union(web, {"kind": "StatefulSet", "metadata": {"name": "db"}})
	[f] := [x | some x in rule.deny] with input as files([db])
	startswith(f.msg, "StatefulSet/db runs 2 replicas")
}

test_one_replica_unset_and_other_kinds_are_not_judged if {
	count(rule.deny) == 0 with input as files([object.union(web, {"spec": {"replicas": 1}})])
	count(rule.deny) == 0 with input as files([json.remove(web, ["spec/replicas"])])
	count(rule.deny) == 0 with input as files([object.union(web, {"kind": "DaemonSet"})])
}

test_match_expressions_select_pods if {
	count(rule.deny) == 0 with input as files([web, budget({"matchExpressions": [{"key": "app", "operator": "Exists"}]})])
	count(rule.deny) == 1 with input as files([web, budget({"matchExpressions": [{"key": "app", "operator": "NotIn", "values": ["web"]}]})])
	count(rule.deny) == 1 with input as files([web, budget({"matchLabels": {"app": "web"}, "matchExpressions": [{"key": "tier", "operator": "Exists"}]})])
}

test_empty_and_missing_selectors if {
	# policy/v1: an empty selector selects every pod of the namespace
	count(rule.deny) == 0 with input as files([web, budget({})])

	# policy/v1beta1: it selected none
	old := object.union(budget({}), {"apiVersion": "policy/v1beta1"})
	count(rule.deny) == 1 with input as files([web, old])

	# no selector: none
	count(rule.deny) == 1 with input as files([web, json.remove(t.disruption_budget, ["spec/selector"])])
}

test_budgets_of_another_namespace_do_not_count if {
	elsewhere := object.union(t.disruption_budget, {"metadata": {"namespace": "billing"}})
	count(rule.deny) == 1 with input as files([web, elsewhere])
}

hpa(min) := {
	"apiVersion": "autoscaling/v2",
	"kind": "HorizontalPodAutoscaler",
	"metadata": {"name": "web", "namespace": "shop"},
	"spec": object.union({"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"}, "maxReplicas": 10}, min),
}

test_an_autoscaler_owns_the_count if {
	unset := json.remove(web, ["spec/replicas"])
	[f] := [x | some x in rule.deny] with input as files([unset, hpa({"minReplicas": 3})])
	f.msg == "Deployment/web runs at least 3 replicas (the minReplicas of HorizontalPodAutoscaler/web) and no PodDisruptionBudget in namespace shop selects its pods, so a node drain or upgrade may evict them all at once"

	# minReplicas defaults to 1
	count(rule.deny) == 0 with input as files([unset, hpa({})])
	count(rule.deny) == 0 with input as files([web, hpa({"minReplicas": 1})])

	# two autoscalers on one workload do not stop the run: the lower minimum counts
	second := object.union(hpa({"minReplicas": 2}), {"metadata": {"name": "web-2"}})
	[g] := [x | some x in rule.deny] with input as files([unset, hpa({"minReplicas": 3}), second])
	contains(g.msg, "at least 2 replicas")
}

test_the_fix_adds_a_budget_with_the_workload_s_selector if {
	[f] := [x | some x in rule.deny] with input as files([web])
	f.fix == [{
		"kind": "yaml_add_document",
		"file": "deploy/0.yaml",
		"content": {
			"apiVersion": "policy/v1",
			"kind": "PodDisruptionBudget",
			"metadata": {"name": "web-pdb", "namespace": "shop"},
			"spec": {"maxUnavailable": 1, "selector": {"matchLabels": {"app": "web"}}},
		},
		"safe": true,
	}]
}

test_the_budget_takes_the_selector_even_where_the_template_lags if {
	# K8S020's fix gives the template the selector's labels in the same run
	other := object.union(web, {"spec": {"selector": {"matchLabels": {"app": "web", "tier": "front"}}}})
	[f] := [x | some x in rule.deny] with input as files([other])
	f.fix[0].content.spec.selector == {"matchLabels": {"app": "web", "tier": "front"}}
}

test_no_fix_where_the_file_cannot_take_the_budget_as_it_is if {
	# no namespace: the budget would be a K8S019 finding of its own
	[a] := [x | some x in rule.deny] with input as files([json.remove(web, ["metadata/namespace"])])
	a.fix == []

	# no selector (the API server would reject the Deployment)
	[b] := [x | some x in rule.deny] with input as files([json.remove(web, ["spec/selector"])])
	b.fix == []

	# the name is taken by a budget selecting other pods
	taken := object.union(budget({"matchLabels": {"app": "api"}}), {"metadata": {"name": "web-pdb"}})
	[c] := [x | some x in rule.deny] with input as files([web, taken])
	c.fix == []

	# a JSON manifest, and an item of a List
	[d] := [x | some x in rule.deny] with input as {"files": [object.union(t.doc(web), {"path": "deploy/web.json"})]}
	d.fix == []
	[g] := [x | some x in rule.deny] with input as {"files": [object.union(t.doc(web), {"path": "deploy/WEB.JSONC"})]}
	g.fix == []
	list := {"apiVersion": "v1", "kind": "List", "items": [web]}
	[e] := [x | some x in rule.deny] with input as files([list])
	e.fix == []
}
