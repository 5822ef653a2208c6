package envgate.repo.repo011_compose_host_namespaces_test

import data.envgate.repo.lib_test as t
import data.envgate.repo.repo011_compose_host_namespaces as rule
import rego.v1

compose(service) := {"files": [t.doc("compose.yaml", "compose", {"services": {"app": service}})]}

test_fires_on_each_host_namespace if {
	findings := rule.deny with input as compose({"network_mode": "host", "pid": "host", "ipc": "host"})
	{[f.vars.key, f.severity] | some f in findings} == {["network_mode", "warning"], ["pid", "error"], ["ipc", "error"]}
}

test_quiet_on_private_namespaces if {
	count(rule.deny) == 0 with input as compose({"network_mode": "bridge", "pid": "service:db", "ipc": "private"})
}
