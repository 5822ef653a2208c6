package envgate.k8s.lib_selectors_test

import data.envgate.k8s.lib_selectors as selectors
import rego.v1

labels := {"app": "web", "tier": "front"}

test_match_labels_must_all_equal if {
	selectors.matches({"matchLabels": {"app": "web"}}, labels)
	selectors.matches({"matchLabels": {"app": "web", "tier": "front"}}, labels)
	not selectors.matches({"matchLabels": {"app": "web", "tier": "back"}}, labels)
	not selectors.matches({"matchLabels": {"release": "1"}}, labels)
}

test_an_empty_selector_selects_every_pod if {
	selectors.matches({}, labels)
	selectors.matches({}, {})
	selectors.matches({"matchLabels": {}, "matchExpressions": []}, labels)
}

test_expressions_as_the_api_server_evaluates_them if {
	selectors.matches({"matchExpressions": [{"key": "tier", "operator": "In", "values": ["front", "api"]}]}, labels)
	not selectors.matches({"matchExpressions": [{"key": "tier", "operator": "In", "values": ["api"]}]}, labels)
	not selectors.matches({"matchExpressions": [{"key": "zone", "operator": "In", "values": ["a"]}]}, labels)
	selectors.matches({"matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["back"]}]}, labels)
	selectors.matches({"matchExpressions": [{"key": "zone", "operator": "NotIn", "values": ["a"]}]}, labels)
	not selectors.matches({"matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["front"]}]}, labels)
	selectors.matches({"matchExpressions": [{"key": "app", "operator": "Exists"}]}, labels)
	not selectors.matches({"matchExpressions": [{"key": "zone", "operator": "Exists"}]}, labels)
	selectors.matches({"matchExpressions": [{"key": "canary", "operator": "DoesNotExist"}]}, labels)
	not selectors.matches({"matchExpressions": [{"key": "app", "operator": "DoesNotExist"}]}, labels)

	# labels and expressions together: all must hold
	not selectors.matches({"matchLabels": {"app": "web"}, "matchExpressions": [{"key": "tier", "operator": "In", "values": ["back"]}]}, labels)
}

test_a_selector_the_api_server_rejects_selects_nothing if {
	not selectors.matches({"matchExpressions": [{"key": "app", "operator": "Equals", "values": ["web"]}]}, labels)
	not selectors.matches({"matchExpressions": [{"key": "app", "operator": "In", "values": []}]}, labels)
	not selectors.matches({"matchExpressions": [{"key": "app", "operator": "Exists", "values": ["web"]}]}, labels)
	not selectors.matches({"matchExpressions": ["app"]}, labels)
	not selectors.matches("app=web", labels)
	not selectors.matches(null, labels)
}

test_namespaces if {
	selectors.namespace({"metadata": {"namespace": "shop"}}) == "shop"
	selectors.namespace({"metadata": {"name": "web"}}) == "default"
	selectors.namespace({"metadata": {"namespace": ""}}) == "default"
	selectors.namespace({"metadata": {"namespace": 3}}) == "default"
}

test_pod_labels_of_a_template_and_of_a_pod if {
	deployment := {"kind": "Deployment", "spec": {"template": {"metadata": {"labels": {"app": "web"}}, "spec": {}}}}
	selectors.pod_labels({"object": deployment, "prefix": [], "path": ["spec", "template", "spec"]}) == {"labels": {"app": "web"}, "path": ["spec", "template", "metadata", "labels"]}
	pod := {"kind": "Pod", "metadata": {"labels": {"app": "debug"}}, "spec": {}}
	selectors.pod_labels({"object": pod, "prefix": ["items", 1], "path": ["items", 1, "spec"]}) == {"labels": {"app": "debug"}, "path": ["items", 1, "metadata", "labels"]}
}
