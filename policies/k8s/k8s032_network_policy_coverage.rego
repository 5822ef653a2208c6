# METADATA
# title: Pods not isolated by a NetworkPolicy
# description: |
#   Until a NetworkPolicy selects a pod for ingress, every pod of the cluster (and
#   whatever reaches the nodes) can connect to it: one compromised pod can reach the
#   database, the metrics endpoints and every internal API. This rule compares files:
#   the NetworkPolicy that covers a Deployment usually lives in another file, so it
#   needs the whole repository and is not judged on part of it (`--partial`, what the
#   pre-commit hooks pass).
#   Decision: a workload's pods (every pod template: Deployment, StatefulSet,
#   DaemonSet, ReplicaSet, Job, CronJob, Pod and the custom workloads the pack knows;
#   not a PodTemplate, which runs nothing, nor a hostNetwork pod, which NetworkPolicies
#   do not reach) are covered when a NetworkPolicy of the input in the same namespace
#   selects their template's labels and isolates ingress. `podSelector` is evaluated as
#   the API server does (`matchLabels` and `matchExpressions` with In, NotIn, Exists,
#   DoesNotExist; `{}` selects every pod of the namespace), and a policy isolates
#   ingress when its `policyTypes` includes Ingress or is left out (Kubernetes then
#   implies Ingress). Egress-only policies do not count; egress isolation is not judged.
#   The namespace is `metadata.namespace`; objects without one are taken to share
#   `default`. A namespace for which the input holds no ingress NetworkPolicy at all
#   gets one finding, at its first workload, naming its workloads: the fix is one
#   decision for the namespace (a default-deny policy, or a waiver where the policies
#   live in another repository), and a first run on a repository without policies
#   should not bury everything else under one finding per workload. A namespace that
#   has policies gets one finding per workload none of them selects: that workload was
#   forgotten. kube-score (pod-networkpolicy) compares `matchLabels` only, counts a
#   policy when any one label matches and wants egress too; kube-linter
#   (non-isolated-pod, off by default) ignores `policyTypes`; both report each
#   workload.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/services-networking/network-policies/#isolated-and-non-isolated-pods
#     description: Isolated and non-isolated pods
#   - ref: https://github.com/zegl/kube-score/blob/master/README_CHECKS.md
#     description: kube-score pod-networkpolicy
#   - ref: https://docs.kubelinter.io/#/generated/checks?id=non-isolated-pod
#     description: kube-linter non-isolated-pod
#   - ref: https://www.checkov.io/5.Policy%20Index/kubernetes.html
#     description: checkov CKV2_K8S_6
#   - ref: https://polaris.docs.fairwinds.com/checks/security/
#     description: Polaris missingNetworkPolicy
# custom:
#   id: K8S032
#   severity: warning
#   since: 1.1.0
#   reads: [kubernetes]
#   # It looks inside none of these (it only tests that `containers` is a list):
#   # the documents kept for it across a large check's batches have them emptied.
#   never_reads: [containers, initContainers, ephemeralContainers, volumes, annotations, data, stringData, binaryData]
#   category: Security
#   remediation: |
#     {% if vars.scope == "namespace" %}Give namespace {{ vars.namespace }} a NetworkPolicy that isolates its pods, then allow what each workload needs ({{ vars.object }} in {{ vars.file }} is the first of {{ vars.workloads }}). A default deny:
#       apiVersion: networking.k8s.io/v1
#       kind: NetworkPolicy
#       metadata:
#         name: default-deny-ingress
#         namespace: {{ vars.namespace }}
#       spec:
#         podSelector: {}
#         policyTypes: [Ingress]
#     If this repository's policies live elsewhere, waive K8S032 for these files in .envgate.yaml.{% else %}Namespace {{ vars.namespace }} has NetworkPolicies, but none selects the pods of {{ vars.object }} (labels at {{ vars.labels_path }} in {{ vars.file }}): add one that selects these labels and allows only the traffic it needs, or give the namespace a default deny (podSelector: {}, policyTypes: [Ingress]).{% endif %}
package envgate.k8s.k8s032_network_policy_coverage

import data.envgate.k8s.lib
import data.envgate.k8s.lib_objects
import data.envgate.k8s.lib_pods
import data.envgate.k8s.lib_selectors as selectors
import rego.v1

# The distinct podSelectors of the NetworkPolicies that isolate ingress, by namespace
# (a set: the same selector written in many files is matched once).
ingress_selectors := {ns: {selector |
	some policy in policies
	policy.namespace == ns
	selector := policy.selector
} |
	some ns in {policy.namespace | some policy in policies}
}

# How many such policies each namespace has.
policy_counts := {ns: count([1 | some policy in policies; policy.namespace == ns]) |
	some ns in object.keys(ingress_selectors)
}

# Namespaces where a policy selects every pod (an empty podSelector, a default deny):
# every workload there is covered, without matching labels.
selects_all := {policy.namespace |
	some policy in policies
	is_object(policy.selector)
	count(lib.mapping(object.get(policy.selector, "matchLabels", {}))) == 0
	count(lib.list(object.get(policy.selector, "matchExpressions", []))) == 0
}

policies := [{"namespace": selectors.namespace(obj.object), "selector": pod_selector(obj.object)} |
	some obj in lib_objects.objects
	obj.kind == "NetworkPolicy"
	isolates_ingress(obj.object)
]

# A missing or null podSelector decodes as the empty selector: every pod.
pod_selector(policy) := selector if {
	selector := object.get(policy, ["spec", "podSelector"], null)
	selector != null
} else := {}

# `policyTypes` left out: Kubernetes sets Ingress (and Egress when there are egress
# rules).
isolates_ingress(policy) if object.get(policy, ["spec", "policyTypes"], null) == null

isolates_ingress(policy) if "Ingress" in lib.list(object.get(policy, ["spec", "policyTypes"], null))

# Every workload whose pods a NetworkPolicy could isolate, in input order.
workloads := [{"pod": pod, "namespace": selectors.namespace(pod.object), "labels": selectors.pod_labels(pod)} |
	some pod in lib_pods.pod_specs
	pod.kind != "PodTemplate"
	object.get(pod.spec, "hostNetwork", false) != true
]

# Whether one of `selectors_of_namespace` selects pods with `labels`.
selected(selectors_of_namespace, labels) if {
	some selector in selectors_of_namespace
	selectors.matches(selector, labels)
}

# A namespace with policies: each workload none of them selects.
deny contains finding if {
	some workload in workloads
	isolating := ingress_selectors[workload.namespace]
	is_set(isolating)  # holds for any defined value (L012)
	not selects_all[workload.namespace]
	not selected(isolating, workload.labels.labels)
	pod := workload.pod
	finding := {
		"msg": sprintf("%s in namespace %s is selected by no NetworkPolicy that isolates ingress (the namespace has %d), so every pod of the cluster can connect to it", [pod.label, workload.namespace, policy_counts[workload.namespace]]),
		"location": {"file": pod.file, "document": pod.document, "path": workload.labels.path},
		"vars": object.union(pod.vars, {
			"scope": "workload",
			"object": pod.label,
			"namespace": workload.namespace,
			"labels_path": lib.dotted(workload.labels.path),
		}),
	}
}

# Namespaces with workloads and no policy that isolates ingress.
unpoliced := {workload.namespace |
	some workload in workloads
	not ingress_selectors[workload.namespace]
}

# A namespace without policies: one finding, at its first workload (by file, document
# and place in the document), naming the others.
deny contains finding if {
	some namespace in unpoliced
	rows := sort([[pod.file, pod.document, pod.path, i] |
		some i, workload in workloads
		workload.namespace == namespace
		pod := workload.pod
	])
	first := workloads[rows[0][3]]
	pod := first.pod
	names := [workloads[row[3]].pod.label | some row in array.slice(rows, 0, 5)]
	total := count(rows)
	finding := {
		"msg": sprintf("Namespace %s has no NetworkPolicy in the checked files that isolates ingress: %s accept%s connections from every pod of the cluster", [namespace, listed(names, total), verb_ending(total)]),
		"location": {"file": pod.file, "document": pod.document, "path": array.concat(pod.prefix, ["metadata", "namespace"])},
		"vars": object.union(pod.vars, {
			"scope": "namespace",
			"object": pod.label,
			"namespace": namespace,
			"workloads": total,
		}),
	}
}

listed(names, 1) := names[0]

listed(names, total) := sprintf("its %d workloads (%s)", [total, concat(", ", names)]) if {
	total > 1
	total <= count(names)
}

listed(names, total) := sprintf("its %d workloads (%s and %d more)", [total, concat(", ", names), total - count(names)]) if {
	total > count(names)
}

verb_ending(1) := "s"

verb_ending(n) := "" if n != 1
