# METADATA
# title: Default namespace
# description: |
#   An object without `metadata.namespace` lands in whatever namespace the person or
#   pipeline applying it has selected, usually `default`, where everything else without
#   a home also ends up: RBAC, quotas, NetworkPolicies and Pod Security labels meant for
#   the application's namespace do not apply to it.
#   Decision: info for every namespaced object whose `metadata.namespace` is missing,
#   empty or "default". Cluster-scoped kinds (Namespace, ClusterRole, CRDs, storage and
#   scheduling classes, webhooks…) and kustomize's own files are skipped. Tools that set
#   the namespace at deploy time (kustomize `namespace:`, `helm -n`, `kubectl -n`) make
#   this finding expected; it is info for that reason.
# related_resources:
#   - ref: https://www.checkov.io/5.Policy%20Index/kubernetes.html
#     description: checkov CKV_K8S_21
# custom:
#   id: K8S019
#   severity: info
#   since: 1.0.0
#   per_file: true
#   category: Hygiene
#   remediation: |
#     In {{ vars.file }}, give {{ vars.object }} its application's namespace ({{ vars.metadata_path }}):
#       metadata:
#         namespace: <your-app>
#     or set it for the whole directory in kustomization.yaml (`namespace: <your-app>`).
package envgate.k8s.k8s019_default_namespace

import data.envgate.k8s.lib
import data.envgate.k8s.lib_objects
import rego.v1

cluster_scoped := {
	"Namespace", "Node", "PersistentVolume", "ClusterRole", "ClusterRoleBinding",
	"CustomResourceDefinition", "StorageClass", "CSIDriver", "CSINode", "VolumeAttachment",
	"PriorityClass", "RuntimeClass", "IngressClass", "PodSecurityPolicy", "APIService",
	"MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
	"ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
	"MutatingAdmissionPolicy", "MutatingAdmissionPolicyBinding",
	"CertificateSigningRequest", "FlowSchema", "PriorityLevelConfiguration",
	"ComponentStatus", "ClusterTrustBundle", "DeviceClass",
}

# Configuration files of deploy tools that look like objects but never reach a cluster.
tool_config(obj) if startswith(lib.text(obj.object.apiVersion), "kustomize.config.k8s.io/")

tool_config(obj) if startswith(lib.text(obj.object.apiVersion), "config.kubernetes.io/")

deny contains finding if {
	some obj in lib_objects.objects
	not obj.kind in cluster_scoped
	not tool_config(obj)
	namespace := lib.namespace(obj)
	namespace in {"", "default"}
	metadata_path := array.concat(obj.prefix, ["metadata"])
	finding := {
		"msg": message(obj, namespace),
		"location": lib.location(obj, array.concat(metadata_path, ["namespace"])),
		"vars": object.union(lib.object_vars(obj), {"metadata_path": lib.dotted(metadata_path)}),
	}
}

message(obj, "default") := sprintf("%s is in the default namespace (metadata.namespace: default)", [lib.label(obj)])

message(obj, "") := sprintf("%s has no namespace, so it lands in whatever namespace is current when it is applied, usually default", [lib.label(obj)])
