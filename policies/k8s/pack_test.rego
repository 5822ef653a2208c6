package envgate.k8s.pack_test

# Tests over the whole pack: the hardened Deployment passes every rule, and no rule
# stops the run on malformed manifests.

import data.envgate.k8s.lib_test as t
import rego.v1

# Every finding of every rule, as [id, finding]. Written out (not data.envgate.k8s[x])
# so that the test packages do not depend on each other.
all_findings := (
	{["K8S001", f] | some f in data.envgate.k8s.k8s001_privileged_container.deny} |
	{["K8S002", f] | some f in data.envgate.k8s.k8s002_privilege_escalation_allowed.deny} |
	{["K8S003", f] | some f in data.envgate.k8s.k8s003_may_run_as_root.deny} |
	{["K8S004", f] | some f in data.envgate.k8s.k8s004_writable_root_filesystem.deny} |
	{["K8S005", f] | some f in data.envgate.k8s.k8s005_host_network.deny} |
	{["K8S006", f] | some f in data.envgate.k8s.k8s006_host_pid_ipc.deny} |
	{["K8S007", f] | some f in data.envgate.k8s.k8s007_host_port.deny} |
	{["K8S008", f] | some f in data.envgate.k8s.k8s008_dangerous_capabilities.deny} |
	{["K8S009", f] | some f in data.envgate.k8s.k8s009_capabilities_not_dropped.deny} |
	{["K8S010", f] | some f in data.envgate.k8s.k8s010_resource_requests_missing.deny} |
	{["K8S011", f] | some f in data.envgate.k8s.k8s011_resource_limits_missing.deny} |
	{["K8S012", f] | some f in data.envgate.k8s.k8s012_image_not_pinned.deny} |
	{["K8S013", f] | some f in data.envgate.k8s.k8s013_probes_missing.deny} |
	{["K8S014", f] | some f in data.envgate.k8s.k8s014_plaintext_secret.deny} |
	{["K8S015", f] | some f in data.envgate.k8s.k8s015_sensitive_host_path.deny} |
	{["K8S016", f] | some f in data.envgate.k8s.k8s016_no_seccomp_profile.deny} |
	{["K8S017", f] | some f in data.envgate.k8s.k8s017_service_account_token_mounted.deny} |
	{["K8S018", f] | some f in data.envgate.k8s.k8s018_removed_api_version.deny} |
	{["K8S019", f] | some f in data.envgate.k8s.k8s019_default_namespace.deny} |
	{["K8S020", f] | some f in data.envgate.k8s.k8s020_selector_mismatch.deny} |
	{["K8S021", f] | some f in data.envgate.k8s.k8s021_cluster_admin_binding.deny} |
	{["K8S022", f] | some f in data.envgate.k8s.k8s022_rbac_wildcard.deny} |
	{["K8S023", f] | some f in data.envgate.k8s.k8s023_rbac_secret_read.deny} |
	{["K8S024", f] | some f in data.envgate.k8s.k8s024_rbac_pod_exec.deny} |
	{["K8S025", f] | some f in data.envgate.k8s.k8s025_pull_policy_mutable_tag.deny} |
	{["K8S026", f] | some f in data.envgate.k8s.k8s026_duplicate_env_var.deny} |
	{["K8S027", f] | some f in data.envgate.k8s.k8s027_unmasked_proc_mount.deny} |
	{["K8S028", f] | some f in data.envgate.k8s.k8s028_writable_host_path.deny} |
	{["K8S029", f] | some f in data.envgate.k8s.k8s029_node_port_service.deny} |
	{["K8S030", f] | some f in data.envgate.k8s.k8s030_single_replica.deny} |
	{["K8S032", f] | some f in data.envgate.k8s.k8s032_network_policy_coverage.deny} |
	{["K8S033", f] | some f in data.envgate.k8s.k8s033_pod_disruption_budget_missing.deny}
)

# K8S031 (CPU limit, opt-in) is left out of `all_findings`: the hardened container has
# no CPU limit on purpose, as K8S011's decision recommends.
cpu_limit_findings := {f | some f in data.envgate.k8s.k8s031_cpu_limit_missing.deny}

ids := {id | some [id, _] in all_findings}

# With the NetworkPolicy and PodDisruptionBudget that cover it, in other files.
test_the_hardened_deployment_passes_every_rule if {
	count(all_findings) == 0 with input as t.hardened_input
}

test_a_bare_deployment_fails_most_rules if {
	bare := t.deployment({"containers": [{"name": "app", "image": "nginx"}]})
	ids == {"K8S002", "K8S003", "K8S004", "K8S009", "K8S010", "K8S011", "K8S012", "K8S013", "K8S016", "K8S017", "K8S032", "K8S033"} with input as t.input_of(bare)
}

# A check judged in batches runs with `data.envgate_run.edits` false: the same findings
# (message, location, evidence), each with no edits; by default the rules that have an
# autofix give theirs.
without_fix(findings) := {[id, object.remove(f, ["fix"])] | some [id, f] in findings}

test_edits_are_built_only_when_wanted if {
	bare := t.deployment({"containers": [{"name": "app", "image": "nginx"}]})
	with_edits := all_findings with input as t.input_of(bare)
	without_edits := all_findings with input as t.input_of(bare) with data.envgate_run.edits as false
	count(with_edits) > 10
	without_fix(with_edits) == without_fix(without_edits)
	every finding in without_edits {
		object.get(finding[1], "fix", []) == []
	}
	count({id | some [id, f] in with_edits; count(object.get(f, "fix", [])) > 0}) >= 8
}

test_nothing_without_files if {
	count(all_findings) == 0 with input as {"host": {}, "env": {}}
}

test_junk_manifests_do_not_stop_any_rule if {
	junk := [
		{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": "x", "spec": {"selector": {"matchLabels": "x"}, "template": {"metadata": {"labels": 3}, "spec": {"securityContext": "x", "automountServiceAccountToken": "no", "volumes": [1, {"hostPath": 2}, {"name": 3, "hostPath": {"path": 4}}], "containers": [3, {"name": 4, "image": 5, "env": [1, {"name": 2}, {"name": "TOKEN", "value": 3}], "ports": ["x", {"hostPort": "80"}], "volumeMounts": [1], "securityContext": {"capabilities": {"add": [1, null], "drop": "x"}, "seccompProfile": "x"}, "resources": [], "livenessProbe": null}]}}}},
		{"apiVersion": 1, "kind": ["Pod"], "spec": null},
		{"apiVersion": "v1", "kind": "Secret", "data": []},
		{"apiVersion": "v1", "kind": "List", "items": [null, 1, {"kind": "Pod", "spec": {"containers": [{}]}}]},
		{"apiVersion": "v1", "kind": "ReplicationController", "spec": {"selector": {"app": ["x"]}}},
		{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "rules": [1, {"verbs": "x", "resources": [null, 2], "apiGroups": 3}, {"verbs": [1], "resources": ["secrets"]}]},
		{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "roleRef": "x", "subjects": [1, {"kind": 2}]},
		{"apiVersion": "v1", "kind": "Service", "spec": {"type": "NodePort", "ports": [1, {"nodePort": "x"}]}},
		{"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"namespace": ["x"]}, "spec": {"podSelector": {"matchLabels": "x", "matchExpressions": [1, {"key": 2, "operator": "In", "values": "x"}]}, "policyTypes": "Ingress"}},
		{"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "spec": {"podSelector": "x"}},
		{"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "spec": {"selector": {"matchExpressions": "x"}}},
		{"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "spec": {"scaleTargetRef": "x", "minReplicas": "3"}},
		{"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "spec": {"scaleTargetRef": {"kind": "StatefulSet", "name": null}, "minReplicas": [3]}},
		{"apiVersion": "apps/v1", "kind": "StatefulSet", "spec": {"replicas": "1", "template": {"spec": {"containers": [{"image": "a:1", "imagePullPolicy": 3, "securityContext": {"procMount": null}, "resources": {"limits": "x"}}]}}}},
	]
	is_set(all_findings) with input as t.input_of_all(junk)
	is_set(cpu_limit_findings) with input as t.input_of_all(junk)
}
