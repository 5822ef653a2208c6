package envgate.k8s.lib_containers

# Every container of every pod spec (`containers`).
#
# Kept in a package of its own: regorus evaluates every rule of a package the first
# time a rule of it is used, so a rule that needs only the objects does not pay for
# the pod specs and containers, and the lib's functions cost nothing until called.

import data.envgate.k8s.lib
import data.envgate.k8s.lib_pods
import rego.v1

# Every container of every pod spec ($C in the catalogue): `container` (its object),
# `pod` (its pod spec entry), `field` (containers, initContainers or
# ephemeralContainers), `index` and `path` (its JSON path in the document).
containers := [entry |
	some pod in lib_pods.pod_specs
	some field in ["containers", "initContainers", "ephemeralContainers"]
	list_value := object.get(pod.spec, field, [])
	is_array(list_value)
	some index, container in list_value
	is_object(container)
	name := lib.container_name({"container": container, "field": field, "index": index})
	noun := {
		"containers": "container",
		"initContainers": "init container",
		"ephemeralContainers": "ephemeral container",
	}[field]
	entry := {
		"file": pod.file,
		"document": pod.document,
		"doc_index": pod.doc_index,
		"pod": pod,
		"container": container,
		"field": field,
		"index": index,
		"path": array.concat(pod.path, [field, index]),
		# Computed once per container, not once per finding (a legacy manifest's
		# container has a dozen). Rules read `c.label` and `c.vars` directly: a call
		# to a function that returned them cost the VM ~2,000 instructions a finding.
		"label": sprintf("%s %s %q", [pod.label, noun, name]),
		"vars": object.union(pod.vars, {
			"container": name,
			"container_path": sprintf("%s.%s[%d]", [pod.vars.pod_spec_path, field, index]),
		}),
	}
]
