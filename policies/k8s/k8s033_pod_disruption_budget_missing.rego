# METADATA
# title: Replicated workload without a PodDisruptionBudget
# description: |
#   Without a PodDisruptionBudget, `kubectl drain`, a node upgrade or the cluster
#   autoscaler may evict every replica of a Deployment at once: the replicas that were
#   meant to keep it serving go down together. This rule compares files: the budget
#   usually lives in another file, so it needs the whole repository and is not judged
#   on part of it (`--partial`, what the pre-commit hooks pass).
#   Decision: a Deployment or StatefulSet that runs at least two replicas (info;
#   K8S030 reports a single replica, which a budget cannot help) must be selected by a
#   PodDisruptionBudget of the input in the same namespace. The replica count is
#   `spec.replicas`, or, when a HorizontalPodAutoscaler of the input scales the
#   workload (same namespace, `scaleTargetRef` kind and name), the autoscaler's
#   `minReplicas` (1 when left out), since it owns the count. A workload without
#   `replicas` and without an autoscaler runs one replica and is not judged (kube-score
#   reports it). The budget's selector is evaluated as the API server does
#   (`matchLabels` and `matchExpressions`); a budget without a selector selects
#   nothing, and an empty one every pod of the namespace under policy/v1 but nothing
#   under policy/v1beta1. The namespace is `metadata.namespace`; objects without one
#   are taken to share `default`. A budget that selects nothing in the input is not
#   reported: no peer does, and its pods may come from a chart elsewhere.
# related_resources:
#   - ref: https://kubernetes.io/docs/tasks/run-application/configure-pdb/
#     description: Specifying a Disruption Budget for your Application
#   - ref: https://github.com/zegl/kube-score/blob/master/README_CHECKS.md
#     description: kube-score deployment-has-poddisruptionbudget, statefulset-has-poddisruptionbudget
#   - ref: https://polaris.docs.fairwinds.com/checks/reliability/
#     description: Polaris missingPodDisruptionBudget
# custom:
#   id: K8S033
#   severity: info
#   since: 1.1.0
#   reads: [kubernetes]
#   # It looks inside none of these: the documents kept for it across a large
#   # check's batches have them emptied.
#   never_reads: [containers, initContainers, ephemeralContainers, volumes, annotations, data, stringData, binaryData]
#   category: Reliability
#   autofix: safe
#   remediation: |
#     Add a PodDisruptionBudget for {{ vars.object }} ({{ vars.file }}) in namespace {{ vars.namespace }} whose selector matches its pod template's labels ({{ vars.labels_path }}), as the workload's own spec.selector does, so drains evict its pods one at a time:
#       apiVersion: policy/v1
#       kind: PodDisruptionBudget
#       metadata:
#         name: {{ vars.name }}
#         namespace: {{ vars.namespace }}
#       spec:
#         maxUnavailable: 1
#         selector: <the workload's spec.selector>
package envgate.k8s.k8s033_pod_disruption_budget_missing

import data.envgate.k8s.fix_lib
import data.envgate.k8s.lib
import data.envgate.k8s.lib_objects
import data.envgate.k8s.lib_selectors as selectors
import rego.v1

replicated_kinds := {"Deployment", "StatefulSet"}

# Each budget's namespace and selector, when it can select anything.
budgets := [{"namespace": selectors.namespace(obj.object), "selector": selector} |
	some obj in lib_objects.objects
	obj.kind == "PodDisruptionBudget"
	selector := object.get(obj.object, ["spec", "selector"], null)
	is_object(selector)
	not selects_nothing(obj.object, selector)
]

# Under policy/v1beta1 an empty selector selected no pod.
selects_nothing(budget, selector) if {
	object.get(budget, "apiVersion", "") == "policy/v1beta1"
	count(lib.mapping(object.get(selector, "matchLabels", {}))) == 0
	count(lib.list(object.get(selector, "matchExpressions", []))) == 0
}

# [namespace, kind, name, minReplicas, label] of each autoscaler.
autoscalers := [[selectors.namespace(obj.object), target.kind, target.name, minimum, lib.label(obj)] |
	some obj in lib_objects.objects
	obj.kind == "HorizontalPodAutoscaler"
	target := lib.mapping(object.get(obj.object, ["spec", "scaleTargetRef"], {}))
	minimum := object.get(obj.object, ["spec", "minReplicas"], 1)
]

# How many replicas a workload runs at least, and in words.
replicas(obj, ns) := found if {
	scaling := [[m, hpa] |
		some [hpa_ns, kind, name, m, hpa] in autoscalers
		hpa_ns == ns
		kind == obj.kind
		name == lib.object_name(obj.object)
	]
	count(scaling) > 0
	[minimum, hpa] := sort(scaling)[0]
	found := {"count": minimum, "text": sprintf("at least %v replicas (the minReplicas of %s)", [minimum, hpa])}
	is_object(found)  # holds for any defined value (L012)
} else := {"count": n, "text": sprintf("%v replicas", [n])} if {
	n := object.get(obj.object, ["spec", "replicas"], null)
	is_number(n)
}

# The distinct selectors of the budgets, by namespace (a set: the same budget written in
# many files is matched once).
budget_selectors := {ns: {budget.selector | some budget in budgets; budget.namespace == ns} |
	some ns in {budget.namespace | some budget in budgets}
}

# Namespaces where a budget selects every pod (an empty policy/v1 selector).
selects_all := {budget.namespace |
	some budget in budgets
	count(lib.mapping(object.get(budget.selector, "matchLabels", {}))) == 0
	count(lib.list(object.get(budget.selector, "matchExpressions", []))) == 0
}

# Whether a budget of namespace `ns` selects pods with `labels` (`by_namespace`:
# budget_selectors).
budgeted(ns, _, _) if selects_all[ns]

budgeted(ns, labels, by_namespace) if {
	not selects_all[ns]
	some selector in object.get(by_namespace, ns, set())
	selectors.matches(selector, labels)
}

deny contains finding if {
	some obj in lib_objects.objects
	obj.kind in replicated_kinds
	ns := selectors.namespace(obj.object)
	runs := replicas(obj, ns)
	is_number(runs.count)
	runs.count >= 2
	labels_path := array.concat(obj.prefix, ["spec", "template", "metadata", "labels"])
	not budgeted(ns, object.get(obj.object, ["spec", "template", "metadata", "labels"], {}), budget_selectors)
	finding := {
		"msg": sprintf("%s runs %s and no PodDisruptionBudget in namespace %s selects its pods, so a node drain or upgrade may evict them all at once", [lib.label(obj), runs.text, ns]),
		"location": {"file": obj.file, "document": obj.document, "path": array.concat(obj.prefix, ["spec", "replicas"])},
		"vars": object.union(lib.object_vars(obj), {
			"name": sprintf("%s-pdb", [lib.object_name(obj.object)]),
			"namespace": ns,
			"labels_path": lib.dotted(labels_path),
		}),
		"fix": [edit | fix_lib.wanted; some edit in budget_fix(obj)],
	}
}

# The budget added after the workload in its file: its own selector (the pods it
# manages, and the labels that outlive a release), one pod evicted at a time. Only
# where the file can take it as it is: the workload is a YAML document of its own (not
# a List item, not JSON), it names its namespace (a budget without one would be a new
# K8S019 finding), it has a selector, and no budget of the input has the name already.
# A selector its template does not match is K8S020's finding, whose fix, in the same
# run, gives the template the labels (one run reaches the end: a fix offered only once
# the template matched would need a second); where K8S020 is not fixed, the re-check
# still sees this finding and `fix --apply` puts everything back.
budget_fix(obj) := [edit] if {
	obj.prefix == []
	# `envgate fix` edits .json and .jsonc files as JSON: one document each
	not json_file(obj.file)
	ns := lib.namespace(obj)
	ns != ""
	workload := object.get(obj.object, ["metadata", "name"], "")
	is_string(workload)
	workload != ""
	selector := object.get(obj.object, ["spec", "selector"], null)
	is_object(selector)
	count(selector) > 0
	name := sprintf("%s-pdb", [workload])
	not budget_names[[ns, name]]
	budget := {
		"apiVersion": "policy/v1",
		"kind": "PodDisruptionBudget",
		"metadata": {"name": name, "namespace": ns},
		"spec": {"maxUnavailable": 1, "selector": selector},
	}
	edit := fix_lib.yaml_add_document(obj, budget, true)
	is_object(edit) # holds for any defined value (L012, L013)
} else := []

json_file(path) if endswith(lower(path), ".json")

json_file(path) if endswith(lower(path), ".jsonc")

# [namespace, name] of every budget of the input (a set made once: a function asked
# per finding would go over every object for each).
budget_names contains [selectors.namespace(other.object), lib.object_name(other.object)] if {
	some other in lib_objects.objects
	other.kind == "PodDisruptionBudget"
}
