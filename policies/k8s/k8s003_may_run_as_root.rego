# METADATA
# title: Container may run as root
# description: |
#   A container whose securityContext neither requires a non-root user
#   (`runAsNonRoot: true`) nor names one (`runAsUser` above 0) runs as whatever user its
#   image says, which for most images is root. Root in a container is root on the node
#   the moment any other isolation fails (a kernel bug, a hostPath mount, a capability).
#   The settings are read as the container sees them: its own securityContext, else the
#   pod's `spec.securityContext`, which every container inherits.
#   Decision: `runAsUser: 0` (root, said out loud) is an error, wherever it is set
#   (with `runAsNonRoot: true` too the kubelet refuses to start the container, and the
#   message says so);
#   otherwise a warning when the effective `runAsNonRoot` is not `true` and the
#   effective `runAsUser` is not a number above 0 (kube-linter and Polaris accept either).
#   The optional "UID below 10000" check (checkov CKV_K8S_40) is not made: it is noisy
#   and a non-root UID is the point. The image's USER cannot be seen from a manifest.
# related_resources:
#   - ref: https://polaris.docs.fairwinds.com/checks/security/
#     description: Polaris runAsRootAllowed
#   - ref: https://docs.kubelinter.io/#/generated/checks?id=run-as-non-root
#     description: kube-linter run-as-non-root
#   - ref: https://www.checkov.io/5.Policy%20Index/kubernetes.html
#     description: checkov CKV_K8S_23, CKV_K8S_40
#   - ref: https://github.com/zegl/kube-score/blob/master/README_CHECKS.md
#     description: kube-score container-security-context-user-group-id
# custom:
#   id: K8S003
#   severity: warning
#   since: 1.0.0
#   reads: [kubernetes]
#   autofix: unsafe
#   per_file: true
#   category: Security
#   remediation: |
#     In {{ vars.file }}, make {{ vars.workload }} run as a non-root user; for every container at once, in the pod's securityContext ({{ vars.pod_spec_path }}.securityContext):
#       securityContext:
#         runAsNonRoot: true
#         runAsUser: 10001    # any non-zero UID the image works with
#     {% if vars.root_level == "container" %}and delete `runAsUser: 0` from the container's own securityContext ({{ vars.root_from }}), which overrides the pod's.{% elif vars.root_level == "pod" %}(replacing `runAsUser: 0` at {{ vars.root_from }}).{% else %}The kubelet then refuses to start the container if its image would run as root.{% endif %}
package envgate.k8s.k8s003_may_run_as_root

import data.envgate.k8s.fix_lib
import data.envgate.k8s.lib
import data.envgate.k8s.lib_containers
import rego.v1

deny contains finding if {
	some c in lib_containers.containers
	user := lib.effective(c, "runAsUser")
	user.value == 0
	finding := {
		"msg": root_message(c, user, lib.effective(c, "runAsNonRoot")),
		"severity": "error",
		"location": {"file": c.file, "document": c.document, "path": user.path},
		"vars": object.union(c.vars, {"root_from": lib.dotted(user.path), "root_level": user.from}),
		"fix": [fix_lib.yaml_needs(c, user.path, "<uid>", "a non-zero UID the image can run as (its USER; 10001 is a common choice), in place of <uid>") | fix_lib.wanted],
	}
}

deny contains finding if {
	some c in lib_containers.containers
	non_root := lib.effective(c, "runAsNonRoot")
	non_root.value != true
	user := lib.effective(c, "runAsUser")
	user.value != 0
	not non_root_uid(user.value)
	finding := {
		"msg": message(c, non_root),
		"location": {"file": c.file, "document": c.document, "path": non_root.path},
		"vars": object.union(c.vars, {"root_from": "", "root_level": ""}),
		# Unsafe: an image whose USER is root (or a name, not a UID) then does not start.
		"fix": [fix_lib.yaml_set(c, array.concat(c.path, ["securityContext", "runAsNonRoot"]), true, false) | fix_lib.wanted],
	}
}

# With runAsNonRoot: true as well the container never runs: the kubelet refuses UID 0
# (CreateContainerConfigError). Still an error: the workload is broken either way.
root_message(c, user, non_root) := sprintf("%s cannot start: runAsUser is 0%s while runAsNonRoot is true%s, so the kubelet refuses to run it as root", [c.label, lib.inherited_note(user), lib.inherited_note(non_root)]) if {
	non_root.value == true
}

root_message(c, user, non_root) := sprintf("%s runs as root: runAsUser is 0%s", [c.label, lib.inherited_note(user)]) if {
	non_root.value != true
}

non_root_uid(uid) if {
	is_number(uid)
	uid > 0
}

message(c, non_root) := text if {
	non_root.value == null
	text := sprintf("%s may run as root: neither it nor its pod sets runAsNonRoot: true or a non-zero runAsUser, so the image's USER decides", [c.label])
	is_string(text)  # holds for any defined value (L012)
} else := sprintf("%s may run as root: runAsNonRoot is %v%s and no non-zero runAsUser is set, so the image's USER decides", [c.label, non_root.value, lib.inherited_note(non_root)])
