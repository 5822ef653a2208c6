package envgate.k8s.k8s017_service_account_token_mounted_test

import data.envgate.k8s.k8s017_service_account_token_mounted as rule
import data.envgate.k8s.lib_test as t
import rego.v1

test_fires_when_unset_for_the_default_account if {
	[f] := [x | some x in rule.deny] with input as t.input_of(t.without_pod(["automountServiceAccountToken"]))
	f.msg == "Deployment/web mounts the token of the default service account into its containers (automountServiceAccountToken is not set)"
	f.location == t.at(t.pod_path)
}

test_fires_when_true_with_default_named if {
	inp := t.input_of(t.with_pod({"automountServiceAccountToken": true, "serviceAccountName": "default"}))
	[f] := [x | some x in rule.deny] with input as inp
	f.msg == "Deployment/web mounts the token of the default service account into its containers (automountServiceAccountToken is true)"
	f.location == t.at(array.concat(t.pod_path, ["automountServiceAccountToken"]))
}

test_quiet_with_a_dedicated_account if {
	inp := t.input_of(t.deployment(object.union(json.remove(t.hardened_pod_spec, ["automountServiceAccountToken"]), {"serviceAccountName": "web"})))
	count(rule.deny) == 0 with input as inp
}

test_quiet_when_the_default_account_opts_out if {
	account := {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "default", "namespace": "shop"}, "automountServiceAccountToken": false}
	inp := t.input_of_all([account, t.without_pod(["automountServiceAccountToken"])])
	count(rule.deny) == 0 with input as inp

	# ... but not the one of another namespace
	elsewhere := object.union(account, {"metadata": {"namespace": "other"}})
	count(rule.deny) == 1 with input as t.input_of_all([elsewhere, t.without_pod(["automountServiceAccountToken"])])
}

test_a_service_account_in_another_file_does_not_count if {
	account := {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "default", "namespace": "shop"}, "automountServiceAccountToken": false}
	inp := t.input_of_all([account, t.without_pod(["automountServiceAccountToken"])])
	moved := {"files": [object.union(inp.files[0], {"path": "serviceaccount.yaml"}), inp.files[1]]}
	count(rule.deny) == 1 with input as moved
}
