package envgate.k8s.lib_selectors

# Label selectors as the API server evaluates them (metav1.LabelSelectorAsSelector),
# and the namespace an object lands in: what the rules that compare objects
# (NetworkPolicy and PodDisruptionBudget coverage) match workloads with.
#
# Kept in a package of its own, like lib_objects and lib_pods: the per-file rules
# never pay for it.

import data.envgate.k8s.lib
import rego.v1

# Whether `selector` (a LabelSelector object) selects a pod with `labels`: every
# `matchLabels` entry equal, every `matchExpressions` entry satisfied. An empty
# selector selects every pod; a selector the API server rejects (an unknown
# operator, a value list where none belongs, an entry that is not an object)
# selects none.
matches(selector, labels) if {
	is_object(selector)
	pod_labels := lib.mapping(labels)
	not label_differs(selector, pod_labels)
	not expression_fails(selector, pod_labels)
}

label_differs(selector, labels) if {
	some key, value in lib.mapping(object.get(selector, "matchLabels", {}))
	object.get(labels, key, null) != value
}

expression_fails(selector, labels) if {
	some expression in lib.list(object.get(selector, "matchExpressions", []))
	not holds(expression, labels)
}

# One `matchExpressions` entry against a pod's labels. `In` and `NotIn` need values,
# `Exists` and `DoesNotExist` none.
holds(expression, labels) if {
	expression.operator == "In"
	values := in_values(expression)
	value := object.get(labels, expression.key, null)
	value != null
	value in values
}

holds(expression, labels) if {
	expression.operator == "NotIn"
	values := in_values(expression)
	is_array(values)  # holds for any defined value (L012)
	value := object.get(labels, expression.key, null)
	value == value  # true for any value: tested so an undefined one fails the body on unpatched regorus too (lint L012)
	not value in values
}

holds(expression, labels) if {
	expression.operator == "Exists"
	no_values(expression)
	object.get(labels, expression.key, null) != null
}

holds(expression, labels) if {
	expression.operator == "DoesNotExist"
	no_values(expression)
	object.get(labels, expression.key, null) == null
}

in_values(expression) := values if {
	is_string(expression.key)
	values := lib.list(object.get(expression, "values", []))
	count(values) > 0
}

no_values(expression) if {
	is_string(expression.key)
	count(lib.list(object.get(expression, "values", []))) == 0
}

# The namespace an object is applied to. Objects that name none all land in the one
# `kubectl apply` targets; envgate takes that to be `default`, so an object without a
# namespace and one in `default` are judged together.
namespace(obj) := ns if {
	ns := object.get(obj, ["metadata", "namespace"], "")
	is_string(ns)
	ns != ""
} else := "default"

# The labels of the pods a pod spec entry (lib_pods.pod_specs) makes: its template's
# `metadata.labels` (a Pod's own), and where they are in the document.
pod_labels(pod) := {"labels": lib.mapping(object.get(pod.object, relative, {})), "path": array.concat(pod.prefix, relative)} if {
	# The pod spec's path inside the object, without its last `spec`: the template.
	template := array.slice(pod.path, count(pod.prefix), count(pod.path) - 1)
	relative := array.concat(template, ["metadata", "labels"])
}
