package envgate.k8s.k8s019_default_namespace_test

import data.envgate.k8s.k8s019_default_namespace as rule
import data.envgate.k8s.lib_test as t
import rego.v1

test_fires_without_a_namespace if {
	inp := t.input_of(json.remove(t.deployment(t.hardened_pod_spec), ["metadata/namespace"]))
	[f] := [x | some x in rule.deny] with input as inp
	f.msg == "Deployment/web has no namespace, so it lands in whatever namespace is current when it is applied, usually default"
	f.location == t.at(["metadata", "namespace"])
}

test_fires_on_the_default_namespace if {
	inp := t.input_of(object.union(t.deployment(t.hardened_pod_spec), {"metadata": {"namespace": "default"}}))
	[f] := [x | some x in rule.deny] with input as inp
	f.msg == "Deployment/web is in the default namespace (metadata.namespace: default)"
	f.location == t.at(["metadata", "namespace"])
}

test_quiet_for_cluster_scoped_kinds_and_kustomize if {
	ns := {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}}
	role := {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "reader"}}
	kustomization := {"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization", "resources": ["web.yaml"]}
	count(rule.deny) == 0 with input as t.input_of_all([ns, role, kustomization, t.deployment(t.hardened_pod_spec)])
}
