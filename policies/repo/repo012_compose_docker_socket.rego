# METADATA
# title: Docker socket mounted into a compose service
# description: |
#   Whoever can talk to the Docker daemon's socket can start a privileged container
#   with the host's root file system mounted: mounting `/var/run/docker.sock` into a
#   service hands it root on the host, read-only mount or not (the socket is written to
#   either way). Decision: an error for each volume of a service whose source is the
#   Docker or Podman socket or its directory, in the short (`/var/run/docker.sock:/…`)
#   or long (`source:`) syntax. The Kubernetes counterpart is K8S015.
# related_resources:
#   - ref: https://docs.docker.com/engine/security/#docker-daemon-attack-surface
#     description: Docker daemon attack surface
#   - ref: https://cheatsheetseries.owasp.org/cheatsheets/Docker_Security_Cheat_Sheet.html
#     description: OWASP Docker security, rule 1 (do not expose the Docker daemon socket)
# custom:
#   id: REPO012
#   severity: error
#   since: 1.0.0
#   reads: [compose]
#   per_file: true
#   category: Security
#   remediation: |
#     In {{ vars.file }}, remove the {{ vars.source }} volume from service "{{ vars.service }}". If it must manage containers, give it a socket proxy that allows only the API calls it needs (for example tecnativa/docker-socket-proxy with CONTAINERS=1 and everything else off).
package envgate.repo.repo012_compose_docker_socket

import data.envgate.repo.lib
import rego.v1

sockets := {s | some s in lib.list(data.pack_data.repo.docker_sockets)}

deny contains finding if {
	some doc in lib.docs("compose")
	some name, service in lib.mapping(doc.content.services)
	some i, volume in lib.list(object.get(service, "volumes", []))
	source := trim_suffix(source_of(volume), "/")
	sockets[source]
	finding := {
		"msg": sprintf("service %q mounts %s: whoever controls the service controls the Docker daemon, which is root on the host", [name, source]),
		"location": lib.location(doc, ["services", name, "volumes", i]),
		"vars": {"file": doc.path, "service": name, "source": source},
	}
}

source_of(volume) := split(volume, ":")[0] if is_string(volume)

source_of(volume) := lib.text(volume.source) if is_object(volume)
