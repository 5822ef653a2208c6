# METADATA
# title: Deprecated or removed API version
# description: |
#   Kubernetes removes beta API versions a few releases after their stable replacement
#   ships; a manifest still written against one is rejected by `kubectl apply`
#   ("no matches for kind … in version …") on any cluster at or past that release, and
#   often fails only on the day the cluster is upgraded.
#   Decision: beyond the catalogue's list (extensions/v1beta1, apps/v1beta1,
#   apps/v1beta2, batch/v1beta1, policy/v1beta1) every group version the official
#   deprecation guide lists as removed is reported, with the release that removed it and
#   the version to use (for extensions/v1beta1 it depends on the kind).
#   PodSecurityPolicy has no replacement API: Pod Security Admission replaces it.
# related_resources:
#   - ref: https://kubernetes.io/docs/reference/using-api/deprecation-guide/
#   - ref: https://github.com/zegl/kube-score/blob/master/README_CHECKS.md
#     description: kube-score stable-version
#   - ref: https://docs.kubelinter.io/#/generated/checks?id=no-extensions-v1beta
#     description: kube-linter no-extensions-v1beta
# custom:
#   id: K8S018
#   severity: warning
#   since: 1.0.0
#   per_file: true
#   category: Hygiene
#   remediation: |
#     {% if vars.replacement %}In {{ vars.file }}, move {{ vars.object }} to `apiVersion: {{ vars.replacement }}`{% if vars.api_version == "extensions/v1beta1" or vars.api_version == "apps/v1beta1" or vars.api_version == "apps/v1beta2" %} (apps/v1 requires `spec.selector`){% endif %}. `kubectl convert -f {{ vars.file }} --output-version {{ vars.replacement }}` (the kubectl-convert plugin) does most of it; check the fields the new version renamed.{% else %}{{ vars.object }} cannot be moved: PodSecurityPolicy was removed in Kubernetes 1.25. Delete it from {{ vars.file }} and label the namespaces instead, e.g. `kubectl label ns <namespace> pod-security.kubernetes.io/enforce=restricted`.{% endif %}
package envgate.k8s.k8s018_removed_api_version

import data.envgate.k8s.lib
import data.envgate.k8s.lib_objects
import rego.v1

# Group versions that are gone, with the release that removed them and what replaces
# them (https://kubernetes.io/docs/reference/using-api/deprecation-guide/).
removed := {
	"extensions/v1beta1": {"release": "1.16", "replacement": "apps/v1"},
	"apps/v1beta1": {"release": "1.16", "replacement": "apps/v1"},
	"apps/v1beta2": {"release": "1.16", "replacement": "apps/v1"},
	"networking.k8s.io/v1beta1": {"release": "1.22", "replacement": "networking.k8s.io/v1"},
	"rbac.authorization.k8s.io/v1beta1": {"release": "1.22", "replacement": "rbac.authorization.k8s.io/v1"},
	"admissionregistration.k8s.io/v1beta1": {"release": "1.22", "replacement": "admissionregistration.k8s.io/v1"},
	"apiextensions.k8s.io/v1beta1": {"release": "1.22", "replacement": "apiextensions.k8s.io/v1"},
	"apiregistration.k8s.io/v1beta1": {"release": "1.22", "replacement": "apiregistration.k8s.io/v1"},
	"certificates.k8s.io/v1beta1": {"release": "1.22", "replacement": "certificates.k8s.io/v1"},
	"coordination.k8s.io/v1beta1": {"release": "1.22", "replacement": "coordination.k8s.io/v1"},
	"scheduling.k8s.io/v1beta1": {"release": "1.22", "replacement": "scheduling.k8s.io/v1"},
	"storage.k8s.io/v1beta1": {"release": "1.22", "replacement": "storage.k8s.io/v1"},
	"batch/v1beta1": {"release": "1.25", "replacement": "batch/v1"},
	"policy/v1beta1": {"release": "1.25", "replacement": "policy/v1"},
	"discovery.k8s.io/v1beta1": {"release": "1.25", "replacement": "discovery.k8s.io/v1"},
	"events.k8s.io/v1beta1": {"release": "1.25", "replacement": "events.k8s.io/v1"},
	"node.k8s.io/v1beta1": {"release": "1.25", "replacement": "node.k8s.io/v1"},
	"autoscaling/v2beta1": {"release": "1.25", "replacement": "autoscaling/v2"},
	"autoscaling/v2beta2": {"release": "1.26", "replacement": "autoscaling/v2"},
	"flowcontrol.apiserver.k8s.io/v1beta1": {"release": "1.26", "replacement": "flowcontrol.apiserver.k8s.io/v1"},
	"flowcontrol.apiserver.k8s.io/v1beta2": {"release": "1.29", "replacement": "flowcontrol.apiserver.k8s.io/v1"},
	"flowcontrol.apiserver.k8s.io/v1beta3": {"release": "1.32", "replacement": "flowcontrol.apiserver.k8s.io/v1"},
}

# Where the kind decides (null: no replacement API).
removed_kinds := {
	"extensions/v1beta1": {
		"Ingress": {"release": "1.22", "replacement": "networking.k8s.io/v1"},
		"NetworkPolicy": {"release": "1.16", "replacement": "networking.k8s.io/v1"},
		"PodSecurityPolicy": {"release": "1.16", "replacement": null},
	},
	"policy/v1beta1": {"PodSecurityPolicy": {"release": "1.25", "replacement": null}},
	"storage.k8s.io/v1beta1": {"CSIStorageCapacity": {"release": "1.27", "replacement": "storage.k8s.io/v1"}},
}

# Two exclusive definitions rather than `else`: with `else` here, regorus 0.14's bytecode
# VM found nothing where its interpreter found the removal (caught by tests/k8s.rs).
removal(api_version, kind) := removed_kinds[api_version][kind]

removal(api_version, kind) := removed[api_version] if {
	not removed_kinds[api_version][kind]
}

deny contains finding if {
	some obj in lib_objects.objects
	api_version := obj.object.apiVersion
	removed[api_version]
	gone := removal(api_version, obj.kind)
	finding := {
		"msg": message(obj, api_version, gone),
		"location": lib.location(obj, array.concat(obj.prefix, ["apiVersion"])),
		"vars": object.union(lib.object_vars(obj), {
			"api_version": api_version,
			"removed_in": gone.release,
			"replacement": gone.replacement,
		}),
	}
}

message(obj, api_version, gone) := sprintf("%s uses apiVersion %s, removed in Kubernetes %s: clusters since then reject it; use %s", [lib.label(obj), api_version, gone.release, gone.replacement]) if {
	gone.replacement != null
} else := sprintf("%s uses apiVersion %s, removed in Kubernetes %s with no replacement API (Pod Security Admission replaces PodSecurityPolicy)", [lib.label(obj), api_version, gone.release])
