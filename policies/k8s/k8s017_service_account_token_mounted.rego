# METADATA
# title: Service-account token auto-mounted
# description: |
#   Unless told otherwise, Kubernetes mounts a token for the pod's service account into
#   every container. Most applications never call the Kubernetes API, so the token only
#   serves an intruder: whatever RBAC grants the service account (and in many clusters
#   the `default` account has been granted more than nothing) is one file read away.
#   Decision: fires once per pod spec when the pod runs as the `default` service
#   account (`serviceAccountName` unset, empty or "default") and
#   `automountServiceAccountToken` is not false, neither in the pod spec nor on a
#   `default` ServiceAccount of the same namespace in the same file (the pod's own
#   setting wins). Only the same file counts, so a file gets the same findings whether
#   it is checked alone (a pre-commit hook on the staged files) or with the rest of its
#   repository. A pod with a dedicated service account is taken to need its token.
# related_resources:
#   - ref: https://www.checkov.io/5.Policy%20Index/kubernetes.html
#     description: checkov CKV_K8S_38
#   - ref: https://docs.kubelinter.io/#/generated/checks?id=default-service-account
#     description: kube-linter default-service-account
# custom:
#   id: K8S017
#   severity: info
#   since: 1.0.0
#   reads: [kubernetes]
#   autofix: safe
#   per_file: true
#   category: Security
#   remediation: |
#     In {{ vars.file }}, if {{ vars.workload }} does not call the Kubernetes API, stop mounting the token ({{ vars.pod_spec_path }}):
#       automountServiceAccountToken: false
#     If it does, give it its own ServiceAccount with only the permissions it needs and set serviceAccountName.
package envgate.k8s.k8s017_service_account_token_mounted

import data.envgate.k8s.fix_lib
import data.envgate.k8s.lib
import data.envgate.k8s.lib_objects
import data.envgate.k8s.lib_pods
import rego.v1

service_account(pod) := name if {
	name := pod.spec.serviceAccountName
	is_string(name)
	name != ""
} else := name if {
	# The deprecated alias.
	name := pod.spec.serviceAccount
	is_string(name)
	name != ""
} else := "default"

# [file, namespace] where a `default` ServiceAccount turns automounting off.
opted_out_namespaces := {[obj.file, lib.namespace(obj)] |
	some obj in lib_objects.objects
	obj.kind == "ServiceAccount"
	lib.object_name(obj.object) == "default"
	obj.object.automountServiceAccountToken == false
}

deny contains finding if {
	some pod in lib_pods.pod_specs
	service_account(pod) == "default"
	automount := object.get(pod.spec, "automountServiceAccountToken", null)
	automount != false
	not opted_out(pod, automount)
	finding := {
		"msg": sprintf("%s mounts the token of the default service account into its containers (automountServiceAccountToken is %s)", [lib.label(pod), shown(automount)]),
		"location": {"file": pod.file, "document": pod.document, "path": location_path(pod, automount)},
		"vars": pod.vars,
		"fix": [fix_lib.yaml_set(pod, array.concat(pod.path, ["automountServiceAccountToken"]), false, true) | fix_lib.wanted],
	}
}

# The pod spec's own setting wins over its ServiceAccount's.
opted_out(pod, null) if [pod.file, lib.namespace(pod)] in opted_out_namespaces

shown(null) := "not set"

shown(value) := sprintf("%v", [value]) if value != null

location_path(pod, automount) := path if {
	automount != null
	path := array.concat(pod.path, ["automountServiceAccountToken"])
	is_array(path)  # holds for any defined value (L012)
} else := path if {
	pod.spec.serviceAccountName == "default"
	path := array.concat(pod.path, ["serviceAccountName"])
	is_array(path)  # holds for any defined value (L012)
} else := pod.path
