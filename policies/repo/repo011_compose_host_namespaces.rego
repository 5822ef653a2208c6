# METADATA
# title: Compose service shares a host namespace
# description: |
#   `network_mode: host` puts a service on the host's network stack (it can bind any
#   port and reach every service listening on localhost); `pid: host` lets it see and
#   signal every process of the host, and read their environments; `ipc: host` shares
#   the host's shared memory. Decision: an error for `pid: host` and `ipc: host`, a
#   warning for `network_mode: host` (sometimes chosen on purpose for performance).
#   The Kubernetes counterparts are K8S005 and K8S006.
# related_resources:
#   - ref: https://docs.docker.com/reference/compose-file/services/#network_mode
#     description: Compose file reference, network_mode, pid, ipc
# custom:
#   id: REPO011
#   severity: error
#   since: 1.0.0
#   reads: [compose]
#   per_file: true
#   category: Security
#   remediation: |
#     In {{ vars.file }}, remove {{ vars.key }}: host from service "{{ vars.service }}"{% if vars.key == "network_mode" %}; publish the ports it serves instead (ports: ["8080:8080"]){% endif %}.
package envgate.repo.repo011_compose_host_namespaces

import data.envgate.repo.lib
import rego.v1

shared := {
	"network_mode": {"severity": "warning", "what": "the host's network stack"},
	"pid": {"severity": "error", "what": "every process of the host"},
	"ipc": {"severity": "error", "what": "the host's shared memory"},
}

deny contains finding if {
	some doc in lib.docs("compose")
	some name, service in lib.mapping(doc.content.services)
	some key, how in shared
	object.get(service, key, "") == "host"
	finding := {
		"msg": sprintf("service %q sets %s: host, so it shares %s", [name, key, how.what]),
		"severity": how.severity,
		"location": lib.location(doc, ["services", name, key]),
		"vars": {"file": doc.path, "service": name, "key": key},
	}
}
