# METADATA
# title: No seccomp profile
# description: |
#   Kubernetes runs containers Unconfined by default: without a seccomp profile every
#   system call is allowed, including the rarely used ones most kernel exploits go
#   through. `RuntimeDefault` (the container runtime's own filter) blocks them at no
#   cost to ordinary programs; `Localhost` uses a profile installed on the node.
#   Decision: read as the container sees it: its own
#   `securityContext.seccompProfile.type`, else the pod's, which every container
#   inherits. Fires per container when the effective type is not RuntimeDefault or
#   Localhost (unset, or Unconfined). The seccomp annotations removed in Kubernetes 1.27
#   are not honoured. Pods with `spec.os.name: windows` are skipped.
# related_resources:
#   - ref: https://www.checkov.io/5.Policy%20Index/kubernetes.html
#     description: checkov CKV_K8S_31
#   - ref: https://github.com/zegl/kube-score/blob/master/README_CHECKS.md
#     description: kube-score container-seccomp-profile
# custom:
#   id: K8S016
#   severity: warning
#   since: 1.0.0
#   reads: [kubernetes]
#   autofix: safe
#   per_file: true
#   category: Security
#   remediation: |
#     In {{ vars.file }}, give {{ vars.workload }} the runtime's default seccomp filter; for all its containers at once, in the pod's securityContext ({{ vars.pod_spec_path }}.securityContext):
#       securityContext:
#         seccompProfile:
#           type: RuntimeDefault
#     {% if vars.from == "container" %}and delete the container's own seccompProfile at {{ vars.setting_path }}, which overrides it.{% endif %}
package envgate.k8s.k8s016_no_seccomp_profile

import data.envgate.k8s.fix_lib
import data.envgate.k8s.lib
import data.envgate.k8s.lib_containers
import rego.v1

confining := {"RuntimeDefault", "Localhost"}

deny contains finding if {
	some c in lib_containers.containers
	# a Linux-only control: Windows pods (spec.os.name) are exempt
	object.get(c.pod.spec, ["os", "name"], "linux") != "windows"
	profile := lib.effective(c, "seccompProfile")
	profile_type := object.get(lib.mapping(profile.value), "type", null)
	not profile_type in confining
	finding := {
		"msg": message(c, profile, profile_type),
		"location": {"file": c.file, "document": c.document, "path": location_path(profile, profile_type)},
		"vars": object.union(c.vars, {
			"from": profile.from,
			"type": profile_type,
			"setting_path": lib.dotted(profile.path),
		}),
		"fix": [runtime_default(c, profile, profile_type) | fix_lib.wanted],
	}
}

# RuntimeDefault where the profile is missing (safe) or where its type is (unsafe when
# someone wrote Unconfined or another type on purpose).
runtime_default(c, profile, null) := fix_lib.yaml_set(c, array.concat(profile.path, ["type"]), "RuntimeDefault", true)

runtime_default(c, profile, profile_type) := fix_lib.yaml_set(c, array.concat(profile.path, ["type"]), "RuntimeDefault", false) if {
	profile_type != null
}

# The `type` key when the profile names one, else the profile (or where it is missing).
location_path(profile, profile_type) := path if {
	profile_type != null
	path := array.concat(profile.path, ["type"])
	is_array(path)  # holds for any defined value (L012)
} else := profile.path

message(c, profile, null) := sprintf("%s has no seccomp profile, so it runs Unconfined: every system call is allowed", [c.label]) if {
	profile.value == null
}

message(c, profile, null) := sprintf("%s has a seccomp profile without a type%s, so it runs Unconfined", [c.label, lib.inherited_note(profile)]) if {
	profile.value != null
}

message(c, profile, profile_type) := sprintf("%s runs with seccomp profile %v%s: every system call is allowed", [c.label, profile_type, lib.inherited_note(profile)]) if {
	profile_type != null
}
