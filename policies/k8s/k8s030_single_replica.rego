# METADATA
# title: Single replica
# description: |
#   A Deployment or StatefulSet with one replica is down whenever its pod is: on every
#   node drain, upgrade, eviction or crash, and a PodDisruptionBudget cannot help (it
#   would only block the drain).
#   Decision: reported (info) when `spec.replicas` is written as 1. A workload without
#   `replicas` is not judged, since a HorizontalPodAutoscaler, which may be in another
#   file, then sets the count; 0 is a workload turned off on purpose. How replicas are
#   spread over nodes is not judged: the scheduler's default topology spreading
#   (since Kubernetes 1.24) already spreads them, so peers' anti-affinity checks
#   mostly report clusters that are fine.
# related_resources:
#   - ref: https://polaris.docs.fairwinds.com/checks/reliability/
#     description: Polaris deploymentMissingReplicas
#   - ref: https://github.com/zegl/kube-score/blob/master/README_CHECKS.md
#     description: kube-score deployment-replicas
# custom:
#   id: K8S030
#   severity: info
#   since: 1.1.0
#   reads: [kubernetes]
#   autofix: unsafe
#   per_file: true
#   category: Reliability
#   remediation: |
#     In {{ vars.file }}, run at least two replicas of {{ vars.object }} ({{ vars.replicas_path }}) and give it a PodDisruptionBudget with `maxUnavailable: 1`, so drains and upgrades keep it serving.
package envgate.k8s.k8s030_single_replica

import data.envgate.k8s.fix_lib
import data.envgate.k8s.lib
import data.envgate.k8s.lib_objects
import rego.v1

replicated_kinds := {"Deployment", "StatefulSet"}

deny contains finding if {
	some obj in lib_objects.objects
	obj.kind in replicated_kinds
	object.get(obj.object, ["spec", "replicas"], null) == 1
	replicas_path := array.concat(obj.prefix, ["spec", "replicas"])
	finding := {
		"msg": sprintf("%s runs a single replica: it is down during every drain, upgrade or crash of its pod", [lib.label(obj)]),
		"location": {"file": obj.file, "document": obj.document, "path": replicas_path},
		"vars": object.union(lib.object_vars(obj), {"replicas_path": lib.dotted(replicas_path)}),
		# Unsafe: twice the pods (and, for a StatefulSet, a second volume), and not every
		# program can run twice.
		"fix": [fix_lib.yaml_set(obj, replicas_path, 2, false) | fix_lib.wanted],
	}
}
