package envgate.k8s.k8s024_rbac_pod_exec_test

import data.envgate.k8s.k8s024_rbac_pod_exec as rule
import data.envgate.k8s.lib_test as t
import rego.v1

role(rules) := {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "debug", "namespace": "shop"}, "rules": rules}

test_fires_on_exec_and_attach if {
	inp := t.input_of(role([{"apiGroups": [""], "resources": ["pods", "pods/exec", "pods/attach"], "verbs": ["get", "create"]}]))
	found := {[f.msg, f.location.path] | some f in rule.deny} with input as inp
	found == {
		["Role shop/debug rule 0 lets its subjects open sessions in pods (pods/exec: create, get)", ["rules", 0, "resources", 1]],
		["Role shop/debug rule 0 lets its subjects open sessions in pods (pods/attach: create, get)", ["rules", 0, "resources", 2]],
	}
}

test_quiet_on_logs_and_on_exec_without_a_session_verb if {
	inp := t.input_of(role([{"apiGroups": [""], "resources": ["pods/log"], "verbs": ["get"]}, {"apiGroups": [""], "resources": ["pods/exec"], "verbs": ["list"]}]))
	count(rule.deny) == 0 with input as inp
}
