# METADATA
# title: Resource limits missing
# description: |
#   A container without a memory limit can grow until the node runs out of memory, and
#   then the kernel's OOM killer picks victims among every pod on the node, not only the
#   one that leaked.
#   Decision: the memory limit is required; the CPU limit is not by default (CPU is
#   compressible: an unlimited container is only throttled by its request's share, and
#   CPU limits cause latency through CFS throttling). Set `require_cpu_limits: true` in
#   the pack data (`data.pack_data.k8s`) to require it too. Checked for regular and init
#   containers (ephemeral containers cannot have resources).
# related_resources:
#   - ref: https://polaris.docs.fairwinds.com/checks/efficiency/
#     description: Polaris cpuLimitsMissing, memoryLimitsMissing
#   - ref: https://www.checkov.io/5.Policy%20Index/kubernetes.html
#     description: checkov CKV_K8S_11, CKV_K8S_13
#   - ref: https://github.com/zegl/kube-score/blob/master/README_CHECKS.md
#     description: kube-score container-resources
# custom:
#   id: K8S011
#   severity: warning
#   since: 1.0.0
#   reads: [kubernetes]
#   per_file: true
#   category: Reliability
#   remediation: |
#     In {{ vars.file }}, cap {{ vars.workload }} container "{{ vars.container }}" ({{ vars.container_path }}) a little above what it uses at peak:
#       resources:
#         limits:{% for r in vars.missing %}
#           {{ r }}: {% if r == "cpu" %}500m{% else %}256Mi{% endif %}{% endfor %}
package envgate.k8s.k8s011_resource_limits_missing

import data.envgate.k8s.fix_lib
import data.envgate.k8s.lib
import data.envgate.k8s.lib_containers
import rego.v1

required := ["cpu", "memory"] if {
	object.get(data.pack_data, ["k8s", "require_cpu_limits"], false) == true
} else := ["memory"]

deny contains finding if {
	some c in lib_containers.containers
	c.field != "ephemeralContainers"
	missing := [resource | some resource in required; object.get(c.container, ["resources", "limits", resource], null) == null]
	count(missing) > 0
	finding := {
		"msg": sprintf("%s has no %s limit, %s", [c.label, concat(" or ", missing), consequence(missing)]),
		"location": {"file": c.file, "document": c.document, "path": array.concat(c.path, ["resources", "limits"])},
		"vars": object.union(c.vars, {"missing": missing}),
		"fix": [fix_lib.yaml_needs(c, array.concat(c.path, ["resources", "limits", r]), sprintf("<%s>", [r]), sprintf("a %s limit a little above what container %q uses at peak, in place of <%s>", [what[r], lib.container_name(c), r])) | fix_lib.wanted; some r in missing],
	}
}

consequence(missing) := "so it can use the node's memory until the OOM killer ends other pods too" if {
	"memory" in missing
} else := "so it can take every idle CPU of the node"

what := {"cpu": "CPU", "memory": "memory"}
