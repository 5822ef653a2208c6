package envgate.repo.repo012_compose_docker_socket_test

import data.envgate.repo.lib_test as t
import data.envgate.repo.repo012_compose_docker_socket as rule
import rego.v1

compose(volumes) := {"files": [t.doc("compose.yaml", "compose", {"services": {"ci": {"volumes": volumes}}})]}

test_fires_on_short_and_long_syntax if {
	findings := rule.deny with input as compose([
		"/var/run/docker.sock:/var/run/docker.sock:ro",
		{"type": "bind", "source": "/run/docker.sock", "target": "/run/docker.sock"},
	])
	{f.location.path | some f in findings} == {["services", "ci", "volumes", 0], ["services", "ci", "volumes", 1]}
}

test_quiet_on_other_volumes if {
	count(rule.deny) == 0 with input as compose(["./data:/data", "cache:/root/.cache", {"type": "volume", "source": "db", "target": "/var/lib"}])
}
