# METADATA
# title: Default namespace
# description: |
#   An object without `metadata.namespace` lands in whatever namespace the person or
#   pipeline applying it has selected, usually `default`, where everything else without
#   a home also ends up: RBAC, quotas, NetworkPolicies and Pod Security labels meant for
#   the application's namespace do not apply to it.
#   Decision: info for every namespaced object whose `metadata.namespace` is missing,
#   empty or "default". Cluster-scoped kinds and kustomize's own files are skipped. A
#   kind is cluster-scoped when its API group and kind are in the pack data's
#   `cluster_scoped_kinds` (every built-in kind that `kubectl api-resources
#   --namespaced=false` lists, and well-known add-ons' ones: GatewayClass,
#   ClusterIssuer, Kyverno and Gatekeeper policies, Cilium and Calico cluster-wide
#   objects, Karpenter node pools…), or when a CustomResourceDefinition in the same
#   file declares it with `scope: Cluster`. Only the same file counts, so a file gets
#   the same findings whether it is checked alone or with the rest of the repository;
#   put a CRD's custom resources beside it, or add the kind to the pack data. An object
#   without an apiVersion is matched by kind alone. Tools that set
#   the namespace at deploy time (kustomize `namespace:`, `helm -n`, `kubectl -n`) make
#   this finding expected; it is info for that reason.
# related_resources:
#   - ref: https://www.checkov.io/5.Policy%20Index/kubernetes.html
#     description: checkov CKV_K8S_21
# custom:
#   id: K8S019
#   severity: info
#   since: 1.0.0
#   reads: [kubernetes]
#   per_file: true
#   category: Hygiene
#   remediation: |
#     In {{ vars.file }}, give {{ vars.object }} its application's namespace ({{ vars.metadata_path }}):
#       metadata:
#         namespace: <your-app>
#     or set it for the whole directory in kustomization.yaml (`namespace: <your-app>`).
package envgate.k8s.k8s019_default_namespace

import data.envgate.k8s.fix_lib
import data.envgate.k8s.lib
import data.envgate.k8s.lib_objects
import rego.v1

# Kinds that are not namespaced, by API group ("" is the core group, "*" every kind of
# the group): the pack data's table.
scope_table := object.get(data.pack_data, ["k8s", "cluster_scoped_kinds"], {})

# The API group of an apiVersion: "" for the core group's `v1`.
api_group(api_version) := group if {
	contains(api_version, "/")
	group := split(api_version, "/")[0]
	is_string(group)  # holds for any defined value (L012)
} else := ""

cluster_scoped(obj) if {
	api_version := obj.object.apiVersion
	is_string(api_version)
	kinds := lib.list(scope_table[api_group(api_version)])
	some kind in kinds
	kind in {obj.kind, "*"}
}

# Without an apiVersion the group is unknown: any group's kind of that name counts.
cluster_scoped(obj) if {
	not is_string(object.get(obj.object, "apiVersion", null))
	some kinds in scope_table
	obj.kind in lib.list(kinds)
}

# Kinds declared cluster-scoped by a CustomResourceDefinition in the same file.
cluster_scoped(obj) if {
	api_version := obj.object.apiVersion
	is_string(api_version)
	[obj.file, api_group(api_version), obj.kind] in declared_cluster_scoped
}

# [file, group, kind] of every `scope: Cluster` CustomResourceDefinition.
declared_cluster_scoped contains [crd.file, group, kind] if {
	some crd in lib_objects.objects
	crd.kind == "CustomResourceDefinition"
	object.get(crd.object, ["spec", "scope"], null) == "Cluster"
	group := object.get(crd.object, ["spec", "group"], null)
	is_string(group)
	kind := object.get(crd.object, ["spec", "names", "kind"], null)
	is_string(kind)
}

# Configuration files of deploy tools that look like objects but never reach a cluster.
tool_config(obj) if startswith(lib.text(obj.object.apiVersion), "kustomize.config.k8s.io/")

tool_config(obj) if startswith(lib.text(obj.object.apiVersion), "config.kubernetes.io/")

deny contains finding if {
	some obj in lib_objects.objects
	not cluster_scoped(obj)
	not tool_config(obj)
	namespace := lib.namespace(obj)
	namespace in {"", "default"}
	metadata_path := array.concat(obj.prefix, ["metadata"])
	finding := {
		"msg": message(obj, namespace),
		"location": {"file": obj.file, "document": obj.document, "path": array.concat(metadata_path, ["namespace"])},
		"vars": object.union(lib.object_vars(obj), {"metadata_path": lib.dotted(metadata_path)}),
		"fix": [fix_lib.yaml_needs(obj, array.concat(metadata_path, ["namespace"]), "<namespace>", "the namespace of the application, in place of <namespace>") | fix_lib.wanted],
	}
}

message(obj, "default") := sprintf("%s is in the default namespace (metadata.namespace: default)", [lib.label(obj)])

message(obj, "") := sprintf("%s has no namespace, so it lands in whatever namespace is current when it is applied, usually default", [lib.label(obj)])
