# METADATA
# title: Selector does not match template labels
# description: |
#   A controller finds its pods by its selector. When `spec.selector.matchLabels` asks
#   for a label the pod template does not carry (or carries with another value), the API
#   server rejects the object (`selector does not match template labels`), or, for the
#   older API versions that did not check, the controller never sees its own pods and
#   keeps creating new ones.
#   Decision: for Deployment, StatefulSet, DaemonSet, ReplicaSet and Job (when it has a
#   selector), each `matchLabels` entry must appear with the same value in
#   `spec.template.metadata.labels`; ReplicationController's plain `spec.selector` map is
#   checked the same way. Each `matchExpressions` entry must hold for the template's
#   labels too (`In`: the label has one of the values; `NotIn`: it is absent or has none
#   of them; `Exists`; `DoesNotExist`); an operator Kubernetes does not know is reported
#   as well, since the API server rejects it. One finding per mismatching label or
#   expression, at the selector's entry.
# related_resources:
#   - ref: https://docs.kubelinter.io/#/generated/checks?id=mismatching-selector
#     description: kube-linter mismatching-selector
#   - ref: https://github.com/zegl/kube-score/blob/master/README_CHECKS.md
#     description: kube-score deployment-pod-selector-labels-match-template-metadata-labels
# custom:
#   id: K8S020
#   severity: error
#   since: 1.0.0
#   reads: [kubernetes]
#   autofix: safe
#   per_file: true
#   category: Reliability
#   remediation: |
#     {% if vars.expression %}In {{ vars.file }}, make the pod template labels of {{ vars.object }} ({{ vars.labels_path }}) satisfy its selector's expression `{{ vars.expression }}`, or change the expression ({{ vars.expression_path }}).{% else %}In {{ vars.file }}, make the selector of {{ vars.object }} and its pod template ({{ vars.labels_path }}) agree:
#       {{ vars.key }}: {{ vars.wanted }}
#     in both.{% endif %} The selector of an existing Deployment, StatefulSet or DaemonSet cannot be changed, so change the template's labels, or delete and recreate the object.
package envgate.k8s.k8s020_selector_mismatch

import data.envgate.k8s.fix_lib
import data.envgate.k8s.lib
import data.envgate.k8s.lib_objects
import rego.v1

with_match_labels := {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"}

# [selector labels, their path relative to the object]
selector(obj) := [labels, ["spec", "selector", "matchLabels"]] if {
	obj.kind in with_match_labels
	labels := object.get(obj.object, ["spec", "selector", "matchLabels"], null)
	is_object(labels)
}

selector(obj) := [labels, ["spec", "selector"]] if {
	obj.kind == "ReplicationController"
	labels := object.get(obj.object, ["spec", "selector"], null)
	is_object(labels)
}

deny contains finding if {
	some obj in lib_objects.objects
	[wanted_labels, relative] := selector(obj)
	template_labels := lib.mapping(object.get(obj.object, ["spec", "template", "metadata", "labels"], {}))
	some key, wanted in wanted_labels
	object.get(template_labels, key, null) != wanted
	labels_path := array.concat(obj.prefix, ["spec", "template", "metadata", "labels"])
	finding := {
		"msg": message(obj, key, wanted, template_labels),
		"location": {"file": obj.file, "document": obj.document, "path": array.concat(array.concat(obj.prefix, relative), [key])},
		"vars": object.union(lib.object_vars(obj), {
			"key": key,
			"wanted": wanted,
			"labels_path": lib.dotted(labels_path),
		}),
		# The template gets the label its selector asks for: safe when it has none (an
		# added label unmatches no selector), unsafe when it carries another value.
		"fix": [fix_lib.yaml_set(obj, array.concat(labels_path, [key]), wanted, absent(template_labels, key)) | fix_lib.wanted],
	}
}

message(obj, key, wanted, template_labels) := text if {
	template_labels[key] != null
	text := sprintf("%s selects pods with %s=%v but its pod template has %s=%v, so it does not match its own pods", [lib.label(obj), key, wanted, key, template_labels[key]])
	is_string(text)  # holds for any defined value (L012)
} else := sprintf("%s selects pods with %s=%v but its pod template has no %s label, so it does not match its own pods", [lib.label(obj), key, wanted, key])

deny contains finding if {
	some obj in lib_objects.objects
	obj.kind in with_match_labels
	expressions := object.get(obj.object, ["spec", "selector", "matchExpressions"], null)
	template_labels := lib.mapping(object.get(obj.object, ["spec", "template", "metadata", "labels"], {}))
	some i, expression in lib.list(expressions)
	is_object(expression)
	key := expression.key
	is_string(key)
	operator := lib.text(object.get(expression, "operator", ""))
	values := [v | some v in lib.list(object.get(expression, "values", []))]
	not holds(operator, object.get(template_labels, key, null), values)
	labels_path := array.concat(obj.prefix, ["spec", "template", "metadata", "labels"])
	expression_path := array.concat(obj.prefix, ["spec", "selector", "matchExpressions", i])
	shown := expression_text(key, operator, values)
	finding := {
		"msg": expression_message(obj, shown, operator, key, template_labels),
		"location": {"file": obj.file, "document": obj.document, "path": expression_path},
		"vars": object.union(lib.object_vars(obj), {
			"key": key,
			"expression": shown,
			"expression_path": lib.dotted(expression_path),
			"labels_path": lib.dotted(labels_path),
		}),
		"fix": [edit | fix_lib.wanted; some edit in expression_fix(obj, labels_path, key, operator, values, template_labels)],
	}
}

# `key In (v)` with a single value and no such label: the template gets it (safe).
expression_fix(obj, labels_path, key, operator, values, template_labels) := edits if {
	operator == "In"
	count(values) == 1
	not key in object.keys(template_labels)
	edits := [fix_lib.yaml_set(obj, array.concat(labels_path, [key]), values[0], true)]
	is_array(edits)  # holds for any defined value (L012)
} else := []

# Whether a template label (null when the template does not have it) satisfies an
# expression, as the API server's label selector evaluates it.
holds("In", label, values) if {
	label != null
	label in values
}

holds("NotIn", label, _) if label == null

holds("NotIn", label, values) if {
	label != null
	not label in values
}

holds("Exists", label, _) if label != null

holds("DoesNotExist", label, _) if label == null

known_operators := {"In", "NotIn", "Exists", "DoesNotExist"}

# `tier in (web, api)`, `canary does not exist`: the expression as the message shows it.
expression_text(key, "In", values) := sprintf("%s in (%s)", [key, concat(", ", [sprintf("%v", [v]) | some v in values])])

expression_text(key, "NotIn", values) := sprintf("%s notin (%s)", [key, concat(", ", [sprintf("%v", [v]) | some v in values])])

expression_text(key, "Exists", _) := sprintf("%s exists", [key])

expression_text(key, "DoesNotExist", _) := sprintf("!%s", [key])

expression_text(key, operator, _) := sprintf("%s %s", [key, operator]) if not operator in known_operators

expression_message(obj, shown, operator, key, template_labels) := text if {
	not operator in known_operators
	text := sprintf("%s selects pods with the expression %s, whose operator %q is not In, NotIn, Exists or DoesNotExist, so the API server rejects it", [lib.label(obj), shown, operator])
	is_string(text)  # holds for any defined value (L012)
} else := text if {
	template_labels[key] != null
	text := sprintf("%s selects pods with %s but its pod template has %s=%v, so it does not match its own pods", [lib.label(obj), shown, key, template_labels[key]])
	is_string(text)  # holds for any defined value (L012)
} else := sprintf("%s selects pods with %s but its pod template has no %s label, so it does not match its own pods", [lib.label(obj), shown, key])

absent(labels, key) := false if key in object.keys(labels) else := true
