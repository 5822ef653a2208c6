package envgate.k8s.k8s022_rbac_wildcard_test

import data.envgate.k8s.k8s022_rbac_wildcard as rule
import data.envgate.k8s.lib_test as t
import rego.v1

role(kind, rules) := {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": kind, "metadata": {"name": "ops", "namespace": "shop"}, "rules": rules}

test_fires_on_each_wildcard_verb_and_resource if {
	inp := t.input_of(role("Role", [
		{"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]},
		{"apiGroups": ["apps"], "resources": ["deployments", "*"], "verbs": ["*"]},
	]))
	found := {[f.msg, f.location.path] | some f in rule.deny} with input as inp
	found == {
		["Role shop/ops rule 1 grants every resource (`*` in resources)", ["rules", 1, "resources", 1]],
		["Role shop/ops rule 1 grants every verb (`*` in verbs)", ["rules", 1, "verbs", 0]],
	}
}

test_quiet_on_a_wildcard_api_group_and_named_grants if {
	inp := t.input_of(role("ClusterRole", [{"apiGroups": ["*"], "resources": ["pods"], "verbs": ["list"]}, {"nonResourceURLs": ["*"], "verbs": ["get"]}]))
	count(rule.deny) == 0 with input as inp
}
