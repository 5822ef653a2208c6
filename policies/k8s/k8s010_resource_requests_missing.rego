# METADATA
# title: Resource requests missing
# description: |
#   The scheduler places a pod by its containers' CPU and memory requests. A container
#   without them is scheduled as if it used nothing, so nodes get overcommitted, and
#   under memory pressure it is among the first to be evicted (BestEffort or
#   Burstable QoS).
#   Decision: checked for regular and init containers (ephemeral containers cannot have
#   resources). A limit without a request counts as a request: Kubernetes copies the
#   limit into the missing request. A LimitRange in the namespace may default them;
#   envgate cannot see that, so it still reports. One finding per container, naming
#   the missing resources.
# related_resources:
#   - ref: https://polaris.docs.fairwinds.com/checks/efficiency/
#     description: Polaris cpuRequestsMissing, memoryRequestsMissing
#   - ref: https://www.checkov.io/5.Policy%20Index/kubernetes.html
#     description: checkov CKV_K8S_10, CKV_K8S_12
#   - ref: https://github.com/zegl/kube-score/blob/master/README_CHECKS.md
#     description: kube-score container-resources
# custom:
#   id: K8S010
#   severity: warning
#   since: 1.0.0
#   per_file: true
#   category: Reliability
#   remediation: |
#     In {{ vars.file }}, give {{ vars.workload }} container "{{ vars.container }}" ({{ vars.container_path }}) the {{ vars.missing | join(sep=" and ") }} it normally uses (measure it, e.g. with `kubectl top pod`):
#       resources:
#         requests:{% for r in vars.missing %}
#           {{ r }}: {% if r == "cpu" %}100m{% else %}128Mi{% endif %}{% endfor %}
package envgate.k8s.k8s010_resource_requests_missing

import data.envgate.k8s.lib
import data.envgate.k8s.lib_containers
import rego.v1

deny contains finding if {
	some c in lib_containers.containers
	c.field != "ephemeralContainers"
	missing := [resource | some resource in ["cpu", "memory"]; not requested(c.container, resource)]
	count(missing) > 0
	finding := {
		"msg": sprintf("%s has no %s request, so the scheduler places it as if it used nothing and it is among the first evicted under memory pressure", [lib.container_label(c), concat(" or ", missing)]),
		"location": lib.location(c, array.concat(c.path, ["resources", "requests"])),
		"vars": object.union(lib.container_vars(c), {"missing": missing}),
	}
}

requested(container, resource) if object.get(container, ["resources", "requests", resource], null) != null

# Kubernetes copies a limit into a missing request.
requested(container, resource) if object.get(container, ["resources", "limits", resource], null) != null
