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
	f.msg == "PodSecurityPolicy/restricted uses apiVersion policy/v1beta1, removed in Kubernetes 1.25: clusters since then reject it; it has no replacement API (Pod Security Admission replaces PodSecurityPolicy: label the namespaces with pod-security.kubernetes.io/enforce)"
}

test_quiet_on_current_versions if {
	pdb := {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": "web"}}
	count(rule.deny) == 0 with input as t.input_of_all([t.deployment(t.hardened_pod_spec), pdb])
}

cronjob := {"apiVersion": "batch/v1beta1", "kind": "CronJob", "metadata": {"name": "nightly"}}

hpa := {"apiVersion": "autoscaling/v2beta2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "web"}}

test_unset_target_is_the_newest_release_in_the_table if {
	[f] := [x | some x in rule.deny] with input as t.input_of(cronjob)
	f.vars.target == data.pack_data.k8s.api_lifecycle.newest_release
	f.vars.status == "removed"
	not f.severity
}

test_a_target_before_the_removal_gives_info_for_a_deprecated_api if {
	findings := rule.deny with input as t.input_of_all([cronjob, hpa]) with data.pack_data.k8s.kubernetes_version as "v1.24.3"
	{[f.vars.object, f.vars.status, f.severity] | some f in findings} == {
		["CronJob/nightly", "deprecated", "info"],
		["HorizontalPodAutoscaler/web", "deprecated", "info"],
	}
	some f in findings
	f.vars.object == "CronJob/nightly"
	f.msg == "CronJob/nightly uses apiVersion batch/v1beta1, deprecated since Kubernetes 1.21 and removed in 1.25, after the target 1.24: use batch/v1"
}

test_the_target_decides_removed_deprecated_or_nothing if {
	count(rule.deny) == 0 with input as t.input_of(hpa) with data.pack_data.k8s.kubernetes_version as "1.22"
	[d] := [f.vars.status | some f in rule.deny] with input as t.input_of(hpa) with data.pack_data.k8s.kubernetes_version as "1.23"
	d == "deprecated"
	[r] := [f.vars.status | some f in rule.deny] with input as t.input_of(hpa) with data.pack_data.k8s.kubernetes_version as "1.26"
	r == "removed"
}

test_an_unreadable_target_falls_back_to_the_newest_release if {
	every version in [1.3, "latest", "", "1", "1.x", null] {
		{[f.vars.status, f.vars.target] | some f in rule.deny} == {["removed", data.pack_data.k8s.api_lifecycle.newest_release]} with input as t.input_of(hpa) with data.pack_data.k8s.kubernetes_version as version
	}
}

test_alpha_versions_removed_without_deprecation if {
	alpha := {"apiVersion": "batch/v2alpha1", "kind": "CronJob", "metadata": {"name": "old"}}
	[f] := [x | some x in rule.deny] with input as t.input_of(alpha)
	f.vars.removed_in == "1.21"
	f.vars.deprecated_in == null
	count(rule.deny) == 0 with input as t.input_of(alpha) with data.pack_data.k8s.kubernetes_version as "1.20"
}

test_group_versions_reused_for_other_kinds_are_judged_by_kind if {
	current := [
		{"apiVersion": "admissionregistration.k8s.io/v1beta1", "kind": "ValidatingAdmissionPolicy", "metadata": {"name": "p"}},
		{"apiVersion": "certificates.k8s.io/v1beta1", "kind": "ClusterTrustBundle", "metadata": {"name": "b"}},
		{"apiVersion": "storage.k8s.io/v1beta1", "kind": "VolumeAttributesClass", "metadata": {"name": "gold"}},
		{"apiVersion": "networking.k8s.io/v1beta1", "kind": "ServiceCIDR", "metadata": {"name": "extra"}},
		{"apiVersion": "coordination.k8s.io/v1beta1", "kind": "LeaseCandidate", "metadata": {"name": "c"}},
	]
	count(rule.deny) == 0 with input as t.input_of_all(current)
	webhook := {"apiVersion": "admissionregistration.k8s.io/v1beta1", "kind": "ValidatingWebhookConfiguration", "metadata": {"name": "w"}}
	[f] := [x | some x in rule.deny] with input as t.input_of(webhook)
	f.vars.replacement == "admissionregistration.k8s.io/v1"
}

test_every_table_entry_is_well_formed if {
	count(data.pack_data.k8s.api_lifecycle.apis) > 30
	every entry in data.pack_data.k8s.api_lifecycle.apis {
		well_formed(entry)
	}
}

well_formed(entry) if {
	is_string(entry.api_version)
	rule.release(entry.removed)
	entry.deprecated == null
}

well_formed(entry) if {
	is_string(entry.api_version)
	rule.release(entry.deprecated) <= rule.release(entry.removed)
	entry.replacement != null
}

well_formed(entry) if {
	is_string(entry.api_version)
	rule.release(entry.deprecated) <= rule.release(entry.removed)
	is_string(entry.note)
}
