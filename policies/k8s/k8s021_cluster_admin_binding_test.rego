package envgate.k8s.k8s021_cluster_admin_binding_test

import data.envgate.k8s.k8s021_cluster_admin_binding as rule
import data.envgate.k8s.lib_test as t
import rego.v1

binding(kind, role_ref, subjects) := {
	"apiVersion": "rbac.authorization.k8s.io/v1",
	"kind": kind,
	"metadata": {"name": "ci", "namespace": "shop"},
	"roleRef": role_ref,
	"subjects": subjects,
}

admin := {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "cluster-admin"}

test_fires_on_a_cluster_role_binding_to_cluster_admin if {
	inp := t.input_of(binding("ClusterRoleBinding", admin, [{"kind": "ServiceAccount", "name": "deployer", "namespace": "ci"}, {"kind": "Group", "name": "devs"}]))
	[f] := [x | some x in rule.deny] with input as inp
	f.msg == "ClusterRoleBinding/ci grants cluster-admin (every verb on every resource in every namespace) to ServiceAccount ci/deployer, Group devs"
	f.location == {"file": "deploy/web.yaml", "document": 0, "path": ["roleRef", "name"]}
}

test_fires_on_a_role_binding_to_cluster_admin_in_its_namespace if {
	[f] := [x | some x in rule.deny] with input as t.input_of(binding("RoleBinding", admin, []))
	f.msg == "RoleBinding/ci grants cluster-admin (every verb on every resource in namespace shop) to no subject"
}

test_quiet_on_other_roles_and_a_role_named_cluster_admin if {
	other := t.input_of_all([
		binding("ClusterRoleBinding", object.union(admin, {"name": "view"}), []),
		binding("RoleBinding", object.union(admin, {"kind": "Role"}), []),
	])
	count(rule.deny) == 0 with input as other
}

test_a_subject_without_kind_or_name_is_still_named if {
	inp := t.input_of(binding("ClusterRoleBinding", admin, [{"namespace": "ci"}, {"name": "x"}]))
	[f] := [x | some x in rule.deny] with input as inp
	f.msg == "ClusterRoleBinding/ci grants cluster-admin (every verb on every resource in every namespace) to  ci/,  x"
}
