# METADATA
# title: Privileged compose service
# description: |
#   `privileged: true` gives a service's container every capability and all of the
#   host's devices, and turns off seccomp and AppArmor: escaping to the host takes one
#   `mount`. Decision: an error for each service of a compose file with
#   `privileged: true`. The Kubernetes counterpart is K8S001.
# related_resources:
#   - ref: https://docs.docker.com/reference/compose-file/services/#privileged
#     description: Compose file reference, privileged
#   - ref: https://docs.docker.com/engine/containers/run/#runtime-privilege-and-linux-capabilities
#     description: Docker runtime privilege and Linux capabilities
# custom:
#   id: REPO010
#   severity: error
#   since: 1.0.0
#   reads: [compose]
#   per_file: true
#   category: Security
#   remediation: |
#     In {{ vars.file }}, remove privileged: true from service "{{ vars.service }}"; if it needs one host feature, grant only that:
#       cap_add: [NET_ADMIN]          # for example
#       devices: ["/dev/fuse"]        # for example
package envgate.repo.repo010_compose_privileged

import data.envgate.repo.lib
import rego.v1

deny contains finding if {
	some doc in lib.docs("compose")
	some name, service in lib.mapping(doc.content.services)
	object.get(service, "privileged", false) == true
	finding := {
		"msg": sprintf("service %q runs privileged: it has every capability and the host's devices, so escaping to the host is trivial", [name]),
		"location": lib.location(doc, ["services", name, "privileged"]),
		"vars": {"file": doc.path, "service": name},
	}
}
