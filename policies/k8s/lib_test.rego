package envgate.k8s.lib_test

# Builders the rule tests share (a hardened Deployment every rule passes, and inputs
# made of documents), and the tests of the helpers themselves.

import data.envgate.k8s.lib
import data.envgate.k8s.lib_containers
import data.envgate.k8s.lib_objects
import data.envgate.k8s.lib_pods
import rego.v1

# One document of a checked file, as the `files` collector gives it.
doc(content) := {
	"path": "deploy/web.yaml",
	"document": 0,
	"line": 1,
	"kind": "kubernetes",
	"api_version": object.get(content, "apiVersion", null),
	"resource_kind": object.get(content, "kind", null),
	"content": content,
} if is_object(content)

doc(content) := {"path": "deploy/web.yaml", "document": 0, "line": 1, "kind": "kubernetes", "content": content} if not is_object(content)

# The input for one manifest.
input_of(content) := {"files": [doc(content)]}

# The input for several documents of one file.
input_of_all(contents) := {"files": [object.union(doc(content), {"document": i}) | some i, content in contents]}

# A container that passes every rule of the pack.
hardened_container := {
	"name": "app",
	"image": "registry.example.com/shop/web:1.4.2@sha256:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
	"ports": [{"containerPort": 8080}],
	"securityContext": {
		"allowPrivilegeEscalation": false,
		"readOnlyRootFilesystem": true,
		"capabilities": {"drop": ["ALL"]},
	},
	"resources": {
		"requests": {"cpu": "100m", "memory": "128Mi"},
		"limits": {"memory": "256Mi"},
	},
	"readinessProbe": {"httpGet": {"path": "/ready", "port": 8080}},
	"livenessProbe": {"httpGet": {"path": "/healthz", "port": 8080}, "failureThreshold": 6},
}

# A pod spec that passes every rule of the pack.
hardened_pod_spec := {
	"automountServiceAccountToken": false,
	"securityContext": {
		"runAsNonRoot": true,
		"runAsUser": 10001,
		"seccompProfile": {"type": "RuntimeDefault"},
	},
	"containers": [hardened_container],
}

# A Deployment around a pod spec.
deployment(pod_spec) := {
	"apiVersion": "apps/v1",
	"kind": "Deployment",
	"metadata": {"name": "web", "namespace": "shop"},
	"spec": {
		"replicas": 2,
		"selector": {"matchLabels": {"app": "web"}},
		"template": {
			"metadata": {"labels": {"app": "web"}},
			"spec": pod_spec,
		},
	},
}

# The hardened Deployment with its one container changed by `patch`.
with_container(patch) := deployment(object.union(hardened_pod_spec, {"containers": [object.union(hardened_container, patch)]}))

# The hardened Deployment with its pod spec changed by `patch`.
with_pod(patch) := deployment(object.union(hardened_pod_spec, patch))

container_path := ["spec", "template", "spec", "containers", 0]

pod_path := ["spec", "template", "spec"]

test_pod_specs_of_every_workload_kind if {
	cronjob := {
		"apiVersion": "batch/v1",
		"kind": "CronJob",
		"metadata": {"name": "nightly"},
		"spec": {"jobTemplate": {"spec": {"template": {"spec": {"containers": [{"name": "job"}]}}}}},
	}
	pod := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "debug"}, "spec": {"containers": []}}
	template := {"apiVersion": "v1", "kind": "PodTemplate", "metadata": {"name": "t"}, "template": {"spec": {}}}
	config := {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {}}
	specs := lib_pods.pod_specs with input as input_of_all([deployment(hardened_pod_spec), cronjob, pod, template, config])
	paths := {[lib.label(p), p.path, p.document] | some p in specs}
	paths == {
		["Deployment/web", ["spec", "template", "spec"], 0],
		["CronJob/nightly", ["spec", "jobTemplate", "spec", "template", "spec"], 1],
		["Pod/debug", ["spec"], 2],
		["PodTemplate/t", ["template", "spec"], 3],
	}
}

test_pod_templates_of_other_workloads_and_custom_resources if {
	template := {"spec": {"template": {"spec": {"containers": [hardened_container]}}}}
	dc := object.union({"apiVersion": "apps.openshift.io/v1", "kind": "DeploymentConfig", "metadata": {"name": "dc"}}, template)
	rollout := object.union({"apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout", "metadata": {"name": "r"}}, template)
	knative := object.union({"apiVersion": "serving.knative.dev/v1", "kind": "Service", "metadata": {"name": "k"}}, template)
	scaled := {
		"apiVersion": "keda.sh/v1alpha1", "kind": "ScaledJob", "metadata": {"name": "s"},
		"spec": {"jobTemplate": {"spec": {"template": {"spec": {"containers": [hardened_container]}}}}},
	}
	# A `template` that holds no containers is not a pod template.
	other := {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}, "spec": {"template": {"spec": {"color": "red"}}}}
	specs := lib_pods.pod_specs with input as input_of_all([dc, rollout, knative, scaled, other])
	{[lib.label(p), p.path] | some p in specs} == {
		["DeploymentConfig/dc", ["spec", "template", "spec"]],
		["Rollout/r", ["spec", "template", "spec"]],
		["Service/k", ["spec", "template", "spec"]],
		["ScaledJob/s", ["spec", "jobTemplate", "spec", "template", "spec"]],
	}
	cs := lib_containers.containers with input as input_of_all([dc, rollout, knative, scaled, other])
	count(cs) == 4
}

test_containers_of_all_three_lists if {
	pod_spec := object.union(hardened_pod_spec, {
		"initContainers": [{"name": "migrate"}],
		"ephemeralContainers": [{"name": "debugger"}, {"image": "busybox"}],
	})
	cs := lib_containers.containers with input as input_of(deployment(pod_spec))
	labels := {[c.label, c.path] | some c in cs}
	labels == {
		[`Deployment/web container "app"`, array.concat(pod_path, ["containers", 0])],
		[`Deployment/web init container "migrate"`, array.concat(pod_path, ["initContainers", 0])],
		[`Deployment/web ephemeral container "debugger"`, array.concat(pod_path, ["ephemeralContainers", 0])],
		[`Deployment/web ephemeral container "ephemeralContainers[1]"`, array.concat(pod_path, ["ephemeralContainers", 1])],
	}
}

test_list_documents_yield_their_items if {
	items := {"apiVersion": "v1", "kind": "List", "items": [deployment(hardened_pod_spec), "junk"]}
	objs := lib_objects.objects with input as input_of(items)
	[[lib.label(o), o.prefix] | some o in objs] == [["Deployment/web", ["items", 0]]]
	cs := lib_containers.containers with input as input_of(items)
	[c.path | some c in cs] == [["items", 0, "spec", "template", "spec", "containers", 0]]
}

test_junk_does_not_stop_the_run if {
	junk := {"apiVersion": "apps/v1", "kind": "Deployment", "spec": {"template": {"spec": {"containers": null, "initContainers": "x", "volumes": 3}}}}
	count(lib_containers.containers) == 0 with input as input_of(junk)
	count(lib_pods.pod_specs) == 1 with input as input_of(junk)
	count(lib_objects.objects) == 0 with input as {"files": [object.union(doc(null), {"error": {"message": "bad", "line": 3, "column": 1}})]}
	count(lib_objects.objects) == 0 with input as {"files": null}
	count(lib_objects.objects) == 0 with input as {}
}

test_other_file_kinds_are_ignored if {
	compose := object.union(doc({"services": {}}), {"kind": "compose"})
	count(lib_objects.objects) == 0 with input as {"files": [compose]}
}

test_effective_prefers_the_container if {
	spec := object.union(hardened_pod_spec, {"containers": [object.union(hardened_container, {"securityContext": {"runAsUser": 0}})]})
	c := [x | some x in lib_containers.containers][0] with input as input_of(deployment(spec))
	lib.effective(c, "runAsUser") == {"value": 0, "from": "container", "path": array.concat(container_path, ["securityContext", "runAsUser"])} with input as input_of(deployment(spec))
	lib.effective(c, "runAsNonRoot") == {"value": true, "from": "pod", "path": array.concat(pod_path, ["securityContext", "runAsNonRoot"])} with input as input_of(deployment(spec))

	# privileged exists only on containers: the pod's value is never inherited
	lib.effective(c, "privileged") == {"value": null, "from": null, "path": array.concat(container_path, ["securityContext", "privileged"])} with input as input_of(deployment(spec))
}


test_dotted if {
	lib.dotted(["spec", "template", "spec", "containers", 0, "image"]) == "spec.template.spec.containers[0].image"
	lib.dotted(["items", 2, "metadata"]) == "items[2].metadata"
	lib.dotted([]) == ""
}

test_capability_names if {
	lib.capability("cap_net_raw") == "NET_RAW"
	lib.capability("all") == "ALL"
}

# The hardened Deployment with fields of its container removed (JSON pointers, e.g.
# "securityContext/capabilities").
without_container(paths) := deployment(object.union(hardened_pod_spec, {"containers": [json.remove(hardened_container, paths)]}))

# The hardened Deployment with fields of its pod spec removed.
without_pod(paths) := deployment(json.remove(hardened_pod_spec, paths))

# A finding's location in the test document.
at(path) := {"file": "deploy/web.yaml", "document": 0, "path": path}

# A NetworkPolicy isolating the ingress of the hardened Deployment's pods.
network_policy := {
	"apiVersion": "networking.k8s.io/v1",
	"kind": "NetworkPolicy",
	"metadata": {"name": "web", "namespace": "shop"},
	"spec": {"podSelector": {"matchLabels": {"app": "web"}}, "policyTypes": ["Ingress"]},
}

# A PodDisruptionBudget for the hardened Deployment's pods.
disruption_budget := {
	"apiVersion": "policy/v1",
	"kind": "PodDisruptionBudget",
	"metadata": {"name": "web", "namespace": "shop"},
	"spec": {"maxUnavailable": 1, "selector": {"matchLabels": {"app": "web"}}},
}

# The hardened Deployment with the objects that cover it in other files: what the
# rules that compare files want beside it.
hardened_input := {"files": [
	doc(deployment(hardened_pod_spec)),
	object.union(doc(network_policy), {"path": "deploy/policies.yaml"}),
	object.union(doc(disruption_budget), {"path": "deploy/budgets.yaml"}),
]}
