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

test_quiet_for_cluster_scoped_add_on_and_admission_kinds if {
	objects := [
		{"apiVersion": "gateway.networking.k8s.io/v1", "kind": "GatewayClass", "metadata": {"name": "cilium"}},
		{"apiVersion": "cert-manager.io/v1", "kind": "ClusterIssuer", "metadata": {"name": "letsencrypt"}},
		{"apiVersion": "node.k8s.io/v1", "kind": "RuntimeClass", "metadata": {"name": "gvisor"}},
		{"apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingWebhookConfiguration", "metadata": {"name": "v"}},
		{"apiVersion": "admissionregistration.k8s.io/v1", "kind": "MutatingWebhookConfiguration", "metadata": {"name": "m"}},
		{"apiVersion": "constraints.gatekeeper.sh/v1beta1", "kind": "K8sRequiredLabels", "metadata": {"name": "owner"}},
		{"kind": "ClusterRoleBinding", "metadata": {"name": "no-api-version"}},
	]
	count(rule.deny) == 0 with input as t.input_of_all(objects)
}

test_a_cluster_scoped_crd_in_the_same_file_counts if {
	crd := {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": {"name": "backends.example.com"}, "spec": {
		"group": "example.com", "scope": "Cluster", "names": {"kind": "Backend", "plural": "backends"},
	}}
	backend := {"apiVersion": "example.com/v1", "kind": "Backend", "metadata": {"name": "primary"}}
	count(rule.deny) == 0 with input as t.input_of_all([crd, backend])
}

test_fires_on_a_namespaced_crd_and_on_a_same_named_kind_of_another_group if {
	crd := {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": {"name": "backends.example.com"}, "spec": {
		"group": "example.com", "scope": "Namespaced", "names": {"kind": "Backend", "plural": "backends"},
	}}
	backend := {"apiVersion": "example.com/v1", "kind": "Backend", "metadata": {"name": "primary"}}
	issuer := {"apiVersion": "example.com/v1", "kind": "ClusterIssuer", "metadata": {"name": "own"}}
	{f.msg | some f in rule.deny with input as t.input_of_all([crd, backend, issuer])} == {
		"Backend/primary has no namespace, so it lands in whatever namespace is current when it is applied, usually default",
		"ClusterIssuer/own has no namespace, so it lands in whatever namespace is current when it is applied, usually default",
	}
}

test_a_crd_in_another_file_does_not_count if {
	crd := {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": {"name": "backends.example.com"}, "spec": {
		"group": "example.com", "scope": "Cluster", "names": {"kind": "Backend", "plural": "backends"},
	}}
	backend := {"apiVersion": "example.com/v1", "kind": "Backend", "metadata": {"name": "primary"}}
	inp := {"files": [t.doc(crd), object.union(t.doc(backend), {"path": "deploy/backend.yaml"})]}
	[f] := [x | some x in rule.deny] with input as inp
	f.location.file == "deploy/backend.yaml"
}
