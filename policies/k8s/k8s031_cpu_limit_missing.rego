# METADATA
# title: CPU limit missing (opt-in)
# description: |
#   Some teams cap every container's CPU so that one busy workload cannot take a node's
#   spare cycles from its neighbours, or because a quota in the namespace demands it.
#   Decision: off unless `.envgate.yaml` gives it a severity (`severity: {K8S031:
#   warning}`): CPU is compressible, an unlimited container is held to its request's
#   share under contention, and limits add latency through CFS throttling, so most
#   clusters are better without them (K8S011 requires only the memory limit). Checked
#   for regular and init containers. K8S011's `require_cpu_limits` pack data, from
#   1.0.0, still works.
# related_resources:
#   - ref: https://polaris.docs.fairwinds.com/checks/efficiency/
#     description: Polaris cpuLimitsMissing
#   - ref: https://www.checkov.io/5.Policy%20Index/kubernetes.html
#     description: checkov CKV_K8S_11
#   - ref: https://github.com/zegl/kube-score/blob/master/README_CHECKS.md
#     description: kube-score container-resources
# custom:
#   id: K8S031
#   severity: warning
#   since: 1.1.0
#   reads: [kubernetes]
#   per_file: true
#   opt_in: true
#   category: Reliability
#   remediation: |
#     In {{ vars.file }}, cap the CPU of {{ vars.workload }} container "{{ vars.container }}" ({{ vars.container_path }}) a little above its peak use:
#       resources:
#         limits:
#           cpu: 500m
package envgate.k8s.k8s031_cpu_limit_missing

import data.envgate.k8s.fix_lib
import data.envgate.k8s.lib
import data.envgate.k8s.lib_containers
import rego.v1

deny contains finding if {
	some c in lib_containers.containers
	c.field in {"containers", "initContainers"}
	not has_cpu_limit(c.container)
	finding := {
		"msg": sprintf("%s has no CPU limit", [c.label]),
		"location": {"file": c.file, "document": c.document, "path": array.concat(c.path, ["resources", "limits", "cpu"])},
		"vars": c.vars,
		"fix": [fix_lib.yaml_needs(c, array.concat(c.path, ["resources", "limits", "cpu"]), "<cpu>", sprintf("a CPU limit a little above what container %q uses at peak, in place of <cpu>", [lib.container_name(c)])) | fix_lib.wanted],
	}
}

has_cpu_limit(container) if {
	limit := object.get(container, ["resources", "limits", "cpu"], null)
	limit != null
	not limit in {0, "0", ""}
}
