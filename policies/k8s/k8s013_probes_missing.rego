# METADATA
# title: Probes missing
# description: |
#   Without a readinessProbe a container receives traffic from its Service as soon as
#   it starts, before it can answer, and keeps receiving it while it is overloaded or
#   stuck; without a livenessProbe a deadlocked process is never restarted. A
#   livenessProbe identical to the readinessProbe restarts a container that is only
#   busy, which turns a load spike into a restart storm.
#   Decision: regular containers only (init containers run to completion, ephemeral
#   ones cannot have probes), and not for pods that run to completion: Jobs, CronJobs
#   and pods with `restartPolicy` Never or OnFailure. One warning per container naming
#   the missing probes; identical liveness and readiness probes are an info finding at
#   the livenessProbe.
# related_resources:
#   - ref: https://polaris.docs.fairwinds.com/checks/reliability/
#     description: Polaris readinessProbeMissing, livenessProbeMissing
#   - ref: https://www.checkov.io/5.Policy%20Index/kubernetes.html
#     description: checkov CKV_K8S_8, CKV_K8S_9
#   - ref: https://github.com/zegl/kube-score/blob/master/README_CHECKS.md
#     description: kube-score pod-probes
# custom:
#   id: K8S013
#   severity: warning
#   since: 1.0.0
#   reads: [kubernetes]
#   per_file: true
#   category: Reliability
#   remediation: |
#     {% if vars.identical %}In {{ vars.file }}, make the livenessProbe of {{ vars.workload }} container "{{ vars.container }}" ({{ vars.container_path }}) check only that the process is alive (a cheap endpoint, a higher failureThreshold), and keep the readinessProbe for "ready to serve".{% else %}In {{ vars.file }}, give {{ vars.workload }} container "{{ vars.container }}" ({{ vars.container_path }}) the probes it lacks ({{ vars.missing | join(sep=", ") }}), for example:
#       readinessProbe:
#         httpGet: {path: /ready, port: 8080}
#         periodSeconds: 5
#       livenessProbe:
#         httpGet: {path: /healthz, port: 8080}
#         failureThreshold: 6{% endif %}
package envgate.k8s.k8s013_probes_missing

import data.envgate.k8s.fix_lib
import data.envgate.k8s.lib
import data.envgate.k8s.lib_containers
import rego.v1

# Pods that run to completion: probes do not apply.
runs_to_completion(pod) if pod.kind in {"Job", "CronJob"}

runs_to_completion(pod) if pod.spec.restartPolicy in {"Never", "OnFailure"}

# An array, like lib_containers.containers: a set of container entries would compare
# whole entries on every insertion and every step of a loop over it.
long_running := [c |
	some c in lib_containers.containers
	c.field == "containers"
	not runs_to_completion(c.pod)
]

deny contains finding if {
	some c in long_running
	missing := [probe | some probe in ["readinessProbe", "livenessProbe"]; object.get(c.container, probe, null) == null]
	count(missing) > 0
	finding := {
		"msg": sprintf("%s has no %s: %s", [c.label, concat(" or ", missing), consequence(missing)]),
		"location": {"file": c.file, "document": c.document, "path": c.path},
		"vars": object.union(c.vars, {"missing": missing, "identical": false}),
		"fix": [fix_lib.yaml_needs(c, array.concat(c.path, [probe]), probe_template[probe], sprintf("the path and port where container %q answers, in place of <path> and <port>", [lib.container_name(c)])) | fix_lib.wanted; some probe in missing],
	}
}

deny contains finding if {
	some c in long_running
	liveness := c.container.livenessProbe
	liveness != null
	liveness == c.container.readinessProbe
	finding := {
		"msg": sprintf("%s has identical liveness and readiness probes: when it is only overloaded, it is restarted instead of taken out of the Service", [c.label]),
		"severity": "info",
		"location": {"file": c.file, "document": c.document, "path": array.concat(c.path, ["livenessProbe"])},
		"vars": object.union(c.vars, {"missing": [], "identical": true}),
	}
}

consequence(missing) := "it gets traffic before it can answer, and a hung process is never restarted" if {
	count(missing) == 2
} else := "it gets traffic before it can answer and while it is stuck" if {
	missing == ["readinessProbe"]
} else := "a hung process is never restarted"

probe_template := {
	"readinessProbe": {"httpGet": {"path": "<path>", "port": "<port>"}, "periodSeconds": 5},
	"livenessProbe": {"httpGet": {"path": "<path>", "port": "<port>"}, "failureThreshold": 6},
}
