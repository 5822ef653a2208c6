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
#   envgate cannot see that, so it still reports. A request of zero (`cpu: 0`,
#   `memory: "0Mi"`, an empty string) reserves nothing and counts as missing, and so
#   does a zero limit where it would be copied. One finding per container, naming the
#   missing or zero resources.
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
#   reads: [kubernetes]
#   per_file: true
#   category: Reliability
#   remediation: |
#     In {{ vars.file }}, give {{ vars.workload }} container "{{ vars.container }}" ({{ vars.container_path }}) the {{ vars.missing | join(sep=" and ") }} it normally uses (measure it, e.g. with `kubectl top pod`):
#       resources:
#         requests:{% for r in vars.missing %}
#           {{ r }}: {% if r == "cpu" %}100m{% else %}128Mi{% endif %}{% endfor %}
package envgate.k8s.k8s010_resource_requests_missing

import data.envgate.k8s.fix_lib
import data.envgate.k8s.lib
import data.envgate.k8s.lib_containers
import rego.v1

deny contains finding if {
	some c in lib_containers.containers
	c.field != "ephemeralContainers"
	states := {resource: request_state(c.container, resource) | some resource in ["cpu", "memory"]}
	missing := [resource | some resource in ["cpu", "memory"]; states[resource] != "set"]
	count(missing) > 0
	absent := [resource | some resource in missing; states[resource] == "absent"]
	zero := [resource | some resource in missing; states[resource] == "zero"]
	finding := {
		"msg": sprintf("%s has %s, so the scheduler places it as if it used nothing and it is among the first evicted under memory pressure", [c.label, what_is_missing(absent, zero)]),
		"location": {"file": c.file, "document": c.document, "path": array.concat(c.path, ["resources", "requests"])},
		"vars": object.union(c.vars, {"missing": missing, "zero": zero}),
		"fix": [fix_lib.yaml_needs(c, array.concat(c.path, ["resources", "requests", r]), sprintf("<%s>", [r]), sprintf("the %s container %q normally uses (measure it, e.g. with `kubectl top pod`), in place of <%s>", [what[r], lib.container_name(c), r])) | fix_lib.wanted; some r in missing],
	}
}

# What the scheduler sees for a resource: the request, else the limit (Kubernetes
# copies a limit into a missing request), each "set", "zero" or "absent".
request_state(container, resource) := state if {
	request := object.get(container, ["resources", "requests", resource], null)
	request != null
	state := quantity_state(request)
	is_string(state)  # holds for any defined value (L012)
} else := quantity_state(object.get(container, ["resources", "limits", resource], null))

quantity_state(null) := "absent"

quantity_state(quantity) := "zero" if {
	quantity != null
	zero_quantity(quantity)
} else := "set" if quantity != null

zero_quantity(quantity) if quantity == 0

zero_quantity(quantity) if {
	is_string(quantity)
	# A Kubernetes quantity whose number is zero, whatever its suffix or exponent
	# ("0", "0.0", "0m", "0Mi", "0e3"), or an empty string.
	regex.match(`^[\t\n\f\r ]*[+-]?(0*\.?0*)([eE][+-]?[0-9]+|[a-zA-Z]*)[\t\n\f\r ]*$`, quantity)
}

what_is_missing(absent, []) := sprintf("no %s request", [concat(" or ", absent)])

what_is_missing([], zero) := sprintf("a zero %s request", [concat(" and ", zero)]) if count(zero) > 0

what_is_missing(absent, zero) := sprintf("no %s request and a zero %s request", [concat(" or ", absent), concat(" and ", zero)]) if {
	count(absent) > 0
	count(zero) > 0
}

what := {"cpu": "CPU", "memory": "memory"}
