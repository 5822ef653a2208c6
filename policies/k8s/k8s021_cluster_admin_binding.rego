# METADATA
# title: Binding to cluster-admin
# description: |
#   The `cluster-admin` ClusterRole allows every verb on every resource. Bound with a
#   ClusterRoleBinding it is the whole cluster; bound with a RoleBinding it is still
#   everything in that namespace, Secrets included. A workload or CI account holding it
#   turns any compromise of that account into a compromise of the cluster.
#   Decision: every RoleBinding and ClusterRoleBinding whose `roleRef` is the
#   ClusterRole `cluster-admin` is reported at `roleRef.name`, naming its subjects.
#   Bindings to other roles are judged on the roles themselves (K8S022–K8S024).
# related_resources:
#   - ref: https://docs.kubelinter.io/#/generated/checks?id=cluster-admin-role-binding
#     description: kube-linter cluster-admin-role-binding
#   - ref: https://polaris.docs.fairwinds.com/checks/rbac/
#     description: Polaris clusterrolebindingClusterAdmin
# custom:
#   id: K8S021
#   severity: error
#   since: 1.1.0
#   reads: [kubernetes]
#   per_file: true
#   category: Security
#   remediation: |
#     In {{ vars.file }}, bind {{ vars.subjects }} to a Role (or ClusterRole) that grants only the verbs and resources it needs, instead of cluster-admin ({{ vars.object }}, roleRef).
#     `kubectl auth can-i --list --as=<subject>` shows what a subject can do today.
package envgate.k8s.k8s021_cluster_admin_binding

import data.envgate.k8s.lib
import data.envgate.k8s.lib_objects
import rego.v1

binding_kinds := {"RoleBinding", "ClusterRoleBinding"}

deny contains finding if {
	some obj in lib_objects.objects
	obj.kind in binding_kinds
	role_ref := lib.mapping(object.get(obj.object, "roleRef", {}))
	object.get(role_ref, "kind", "") == "ClusterRole"
	object.get(role_ref, "name", "") == "cluster-admin"
	subjects := [subject_label(s) | some s in lib.list(object.get(obj.object, "subjects", [])); is_object(s)]
	who := describe(subjects)
	finding := {
		"msg": sprintf("%s grants cluster-admin (every verb on every resource%s) to %s", [lib.label(obj), scope(obj), who]),
		"location": {"file": obj.file, "document": obj.document, "path": array.concat(obj.prefix, ["roleRef", "name"])},
		"vars": object.union(lib.object_vars(obj), {"subjects": who}),
	}
}

scope(obj) := " in every namespace" if obj.kind == "ClusterRoleBinding"

scope(obj) := sprintf(" in namespace %s", [lib.namespace(obj)]) if {
	obj.kind == "RoleBinding"
	lib.namespace(obj) != ""
}

scope(obj) := " in its namespace" if {
	obj.kind == "RoleBinding"
	lib.namespace(obj) == ""
}

# Every field read with object.get: a head that is undefined (a subject without a
# kind) must not stop the else from being tried.
subject_label(s) := sprintf("%s %s/%s", [kind, namespace, name]) if {
	kind := lib.text(object.get(s, "kind", ""))
	name := lib.text(object.get(s, "name", ""))
	namespace := lib.text(object.get(s, "namespace", ""))
	namespace != ""
} else := sprintf("%s %s", [lib.text(object.get(s, "kind", "")), lib.text(object.get(s, "name", ""))])

describe(subjects) := "no subject" if count(subjects) == 0

describe(subjects) := concat(", ", subjects) if count(subjects) > 0
