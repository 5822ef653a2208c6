package envgate.k8s.k8s018_removed_api_version_test

import data.envgate.k8s.k8s018_removed_api_version as rule
import data.envgate.k8s.lib_test as t
import rego.v1

test_fires_on_a_beta_deployment if {
	old := object.union(t.deployment(t.hardened_pod_spec), {"apiVersion": "extensions/v1beta1"})
	[f] := [x | some x in rule.deny] with input as t.input_of(old)
	f.msg == "Deployment/web uses apiVersion extensions/v1beta1, removed in Kubernetes 1.16: clusters since then reject it; use apps/v1"
	f.location == t.at(["apiVersion"])
	f.vars.replacement == "apps/v1"
}

test_kind_specific_replacements if {
	ingress := {"apiVersion": "extensions/v1beta1", "kind": "Ingress", "metadata": {"name": "web"}}
	cronjob := {"apiVersion": "batch/v1beta1", "kind": "CronJob", "metadata": {"name": "nightly"}}
	psp := {"apiVersion": "policy/v1beta1", "kind": "PodSecurityPolicy", "metadata": {"name": "restricted"}}
	findings := rule.deny with input as t.input_of_all([ingress, cronjob, psp])
	{[f.vars.object, f.vars.removed_in, f.vars.replacement] | some f in findings} == {
		["Ingress/web", "1.22", "networking.k8s.io/v1"],
		["CronJob/nightly", "1.25", "batch/v1"],
		["PodSecurityPolicy/restricted", "1.25", null],
	}
	some f in findings
	f.vars.object == "PodSecurityPolicy/restricted"
	f.msg == "PodSecurityPolicy/restricted uses apiVersion policy/v1beta1, removed in Kubernetes 1.25 with no replacement API (Pod Security Admission replaces PodSecurityPolicy)"
}

test_quiet_on_current_versions if {
	pdb := {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": "web"}}
	count(rule.deny) == 0 with input as t.input_of_all([t.deployment(t.hardened_pod_spec), pdb])
}
