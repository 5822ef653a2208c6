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
#   checked the same way. One finding per mismatching label, at the selector's entry.
#   `matchExpressions` are not evaluated.
# related_resources:
#   - ref: https://docs.kubelinter.io/#/generated/checks?id=mismatching-selector
#     description: kube-linter mismatching-selector
#   - ref: https://github.com/zegl/kube-score/blob/master/README_CHECKS.md
#     description: kube-score deployment-pod-selector-labels-match-template-metadata-labels
# custom:
#   id: K8S020
#   severity: error
#   since: 1.0.0
#   per_file: true
#   category: Reliability
#   remediation: |
#     In {{ vars.file }}, make the selector of {{ vars.object }} and its pod template ({{ vars.labels_path }}) agree:
#       {{ vars.key }}: {{ vars.wanted }}
#     in both. The selector of an existing Deployment, StatefulSet or DaemonSet cannot be changed, so change the template's labels, or delete and recreate the object.
package envgate.k8s.k8s020_selector_mismatch

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
		"location": lib.location(obj, array.concat(array.concat(obj.prefix, relative), [key])),
		"vars": object.union(lib.object_vars(obj), {
			"key": key,
			"wanted": wanted,
			"labels_path": lib.dotted(labels_path),
		}),
	}
}

message(obj, key, wanted, template_labels) := sprintf("%s selects pods with %s=%v but its pod template has %s=%v, so it does not match its own pods", [lib.label(obj), key, wanted, key, template_labels[key]]) if {
	template_labels[key] != null
} else := sprintf("%s selects pods with %s=%v but its pod template has no %s label, so it does not match its own pods", [lib.label(obj), key, wanted, key])
