package envgate.k8s.lib_pods

# The pod spec of every workload (`pod_specs`).
#
# Kept in a package of its own: regorus evaluates every rule of a package the first
# time a rule of it is used, so a rule that needs only the objects does not pay for
# the pod specs and containers, and the lib's functions cost nothing until called.

import data.envgate.k8s.lib
import data.envgate.k8s.lib_objects
import rego.v1

# Where each kind keeps its pod spec, relative to the object. PodTemplate keeps it at
# `template.spec` (the object has no `spec`).
pod_spec_paths := {
	"Pod": ["spec"],
	"PodTemplate": ["template", "spec"],
	"Deployment": ["spec", "template", "spec"],
	"StatefulSet": ["spec", "template", "spec"],
	"DaemonSet": ["spec", "template", "spec"],
	"ReplicaSet": ["spec", "template", "spec"],
	"ReplicationController": ["spec", "template", "spec"],
	"Job": ["spec", "template", "spec"],
	"CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
}

# Where a workload of any other kind carries a pod template: OpenShift
# DeploymentConfig, Argo Rollout, Knative Service and Configuration, and custom
# resources (KEDA ScaledJob, Flink, Spark operators…) keep one at `spec.template.spec`
# or, like a CronJob, at `spec.jobTemplate.spec.template.spec`. Taken for a pod spec
# only when it has a `containers` list, so an unrelated `template` is left alone.
template_paths := [
	["spec", "template", "spec"],
	["spec", "jobTemplate", "spec", "template", "spec"],
]

# Each object with a pod spec and the spec's path relative to the object.
located := array.concat(
	[[obj, relative] |
		some obj in lib_objects.objects
		relative := pod_spec_paths[obj.kind]
	],
	[[obj, relative] |
		some obj in lib_objects.objects
		not pod_spec_paths[obj.kind]
		some relative in template_paths
		is_array(object.get(obj.object, array.concat(relative, ["containers"]), null))
	],
)

# Every pod spec: the object entry plus `spec` (the pod spec) and `path` (its JSON path
# inside the document). This is the contract's `[pod_spec, path_prefix]` pair, with the
# workload's file, document, kind and object beside it.
pod_specs := [entry |
	some [obj, relative] in located
	spec := object.get(obj.object, relative, null)
	is_object(spec)
	path := array.concat(obj.prefix, relative)
	label := lib.label(obj)
	entry := {
		"file": obj.file,
		"document": obj.document,
		"doc_index": obj.doc_index,
		"prefix": obj.prefix,
		"object": obj.object,
		"kind": obj.kind,
		"spec": spec,
		"path": path,
		# Computed once per pod spec, not once per finding of each of its containers:
		# their sprintf calls were a third of the evaluation of a large check.
		"label": label,
		"vars": {"file": obj.file, "workload": label, "pod_spec_path": lib.dotted(path)},
	}
]
