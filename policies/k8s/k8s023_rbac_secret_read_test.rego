package envgate.k8s.k8s023_rbac_secret_read_test

import data.envgate.k8s.k8s023_rbac_secret_read as rule
import data.envgate.k8s.lib_test as t
import rego.v1

role(rules) := {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "reader"}, "rules": rules}

test_fires_on_listing_secrets if {
	inp := t.input_of(role([{"apiGroups": [""], "resources": ["configmaps", "secrets"], "verbs": ["watch", "list"]}]))
	[f] := [x | some x in rule.deny] with input as inp
	f.msg == "ClusterRole/reader rule 0 can read Secrets (list, watch)"
	f.location.path == ["rules", 0, "resources", 1]
}

test_fires_on_a_wildcard_verb_and_named_secrets_listed if {
	inp := t.input_of(role([{"apiGroups": [""], "resources": ["secrets"], "resourceNames": ["tls"], "verbs": ["*"]}]))
	count(rule.deny) == 1 with input as inp
}

test_quiet_on_getting_named_secrets_writing_them_or_other_groups if {
	inp := t.input_of(role([
		{"apiGroups": [""], "resources": ["secrets"], "resourceNames": ["tls"], "verbs": ["get"]},
		{"apiGroups": [""], "resources": ["secrets"], "verbs": ["create", "delete"]},
		{"apiGroups": ["example.com"], "resources": ["secrets"], "verbs": ["get"]},
	]))
	count(rule.deny) == 0 with input as inp
}
