package envgate.k8s.k8s032_network_policy_coverage_test

import data.envgate.k8s.k8s032_network_policy_coverage as rule
import data.envgate.k8s.lib_test as t
import rego.v1

web := t.deployment(t.hardened_pod_spec)

# A workload named `name` in `namespace` whose pods carry `labels`.
workload(kind, name, namespace, labels) := object.union(web, {"kind": kind, "metadata": {"name": name, "namespace": namespace}, "spec": {"template": {"metadata": {"labels": labels}}}})

policy(name, spec) := {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": name, "namespace": "shop"}, "spec": spec}

# The documents in separate files, as a repository holds them.
files(contents) := {"files": [object.union(t.doc(content), {"path": sprintf("deploy/%d.yaml", [i])}) | some i, content in contents]}

test_quiet_when_a_policy_in_another_file_selects_the_pods if {
	count(rule.deny) == 0 with input as t.hardened_input
}

test_a_namespace_without_policies_gets_one_finding_at_its_first_workload if {
	db := workload("StatefulSet", "db", "shop", {"app": "db"})
	other := workload("Deployment", "api", "billing", {"app": "api"})
	findings := [f | some f in rule.deny] with input as files([web, db, other])
	{[f.msg, f.location.file, f.location.path] | some f in findings} == {
		["Namespace shop has no NetworkPolicy in the checked files that isolates ingress: its 2 workloads (Deployment/web, StatefulSet/db) accept connections from every pod of the cluster", "deploy/0.yaml", ["metadata", "namespace"]],
		["Namespace billing has no NetworkPolicy in the checked files that isolates ingress: Deployment/api accepts connections from every pod of the cluster", "deploy/2.yaml", ["metadata", "namespace"]],
	}
}

test_a_long_namespace_list_is_cut if {
	many := [workload("Deployment", sprintf("w%d", [i]), "shop", {"app": "w"}) | some i in numbers.range(1, 7)]
	[f] := [x | some x in rule.deny] with input as files(many)
	f.msg == "Namespace shop has no NetworkPolicy in the checked files that isolates ingress: its 7 workloads (Deployment/w1, Deployment/w2, Deployment/w3, Deployment/w4, Deployment/w5 and 2 more) accept connections from every pod of the cluster"
	f.vars.workloads == 7
	f.vars.scope == "namespace"
}

test_in_a_policed_namespace_each_unselected_workload_is_reported if {
	db := workload("StatefulSet", "db", "shop", {"app": "db"})
	[f] := [x | some x in rule.deny] with input as files([web, db, t.network_policy])
	f.msg == "StatefulSet/db in namespace shop is selected by no NetworkPolicy that isolates ingress (the namespace has 1), so every pod of the cluster can connect to it"
	f.location == {"file": "deploy/1.yaml", "document": 0, "path": ["spec", "template", "metadata", "labels"]}
	f.vars.labels_path == "spec.template.metadata.labels"
}

test_an_empty_pod_selector_covers_the_namespace if {
	db := workload("StatefulSet", "db", "shop", {"app": "db"})
	count(rule.deny) == 0 with input as files([web, db, policy("default-deny", {"podSelector": {}})])
	count(rule.deny) == 0 with input as files([web, db, policy("default-deny", {"policyTypes": ["Ingress", "Egress"]})])
}

test_match_expressions_select_pods if {
	db := workload("StatefulSet", "db", "shop", {"app": "db"})
	both := policy("data", {"podSelector": {"matchExpressions": [{"key": "app", "operator": "In", "values": ["web", "db"]}]}})
	count(rule.deny) == 0 with input as files([web, db, both])
	not_web := policy("data", {"podSelector": {"matchExpressions": [{"key": "app", "operator": "NotIn", "values": ["web"]}]}})
	[f] := [x | some x in rule.deny] with input as files([web, db, not_web])
	startswith(f.msg, "Deployment/web in namespace shop")
}

test_egress_only_policies_do_not_isolate_ingress if {
	egress := policy("egress", {"podSelector": {}, "policyTypes": ["Egress"]})
	[f] := [x | some x in rule.deny] with input as files([web, egress])
	f.vars.scope == "namespace"
}

test_policies_of_another_namespace_do_not_count if {
	elsewhere := object.union(t.network_policy, {"metadata": {"namespace": "billing"}})
	[f] := [x | some x in rule.deny] with input as files([web, elsewhere])
	f.vars.namespace == "shop"
}

test_no_namespace_is_default if {
	bare := json.remove(web, ["metadata/namespace"])
	default_policy := object.union(policy("all", {"podSelector": {}}), {"metadata": {"namespace": "default"}})
	count(rule.deny) == 0 with input as files([bare, default_policy])
	[f] := [x | some x in rule.deny] with input as files([bare])
	f.vars.namespace == "default"
}

test_templates_and_host_network_pods_are_not_judged if {
	template := {"apiVersion": "v1", "kind": "PodTemplate", "metadata": {"name": "t", "namespace": "shop"}, "template": {"spec": t.hardened_pod_spec}}
	host := t.with_pod({"hostNetwork": true})
	count(rule.deny) == 0 with input as files([template, host])
}

test_a_bare_pod_is_judged_by_its_own_labels if {
	pod := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "debug", "namespace": "shop", "labels": {"app": "web"}}, "spec": t.hardened_pod_spec}
	count(rule.deny) == 0 with input as files([pod, t.network_policy])
	unlabelled := json.remove(pod, ["metadata/labels"])
	[f] := [x | some x in rule.deny] with input as files([unlabelled, t.network_policy])
	f.location.path == ["metadata", "labels"]
}
