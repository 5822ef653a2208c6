# METADATA
# title: Secret in a compose service's environment
# description: |
#   A password or token written into a compose file's `environment` is in the
#   repository and its history, and `docker inspect` shows it to anyone who can talk
#   to the daemon. Decision: an error for each `environment` entry (map or
#   `NAME=value` list form) whose value envgate's redactor hid as a secret, by its name
#   or by its form (the list K8S014 reads too). `${VAR}` references are fine: the value
#   comes from the shell or an untracked `.env` file. The value is never shown.
# related_resources:
#   - ref: https://docs.docker.com/compose/how-tos/use-secrets/
#     description: Compose secrets
#   - ref: https://github.com/gitleaks/gitleaks
#     description: gitleaks (secret detection in repositories)
# custom:
#   id: REPO013
#   severity: error
#   since: 1.0.0
#   reads: [compose]
#   per_file: true
#   category: Security
#   remediation: |
#     Rotate {{ vars.variable }} (it is in the repository's history), then take it out of {{ vars.file }}: write {{ vars.variable }}: {{ "${" ~ vars.variable ~ "}" }} and keep the value in an untracked .env file, or use compose secrets (secrets: [{{ vars.variable | lower }}] with the file outside the repository).
package envgate.repo.repo013_compose_secret_in_environment

import data.envgate.repo.lib
import rego.v1

deny contains finding if {
	some doc in lib.docs("compose")
	some name, service in lib.mapping(doc.content.services)
	some entry in entries(object.get(service, "environment", {}))
	why := lib.secret(entry.name, entry.value)
	finding := {
		"msg": sprintf("service %q sets %s to a literal secret%s in the compose file", [name, entry.name, lib.secret_note(why)]),
		"location": lib.location(doc, ["services", name, "environment", entry.key]),
		"vars": {"file": doc.path, "service": name, "variable": entry.name, "found_by": why.by},
	}
}

entries(env) := [{"name": k, "key": k, "value": v} | some k, v in env] if is_object(env)

entries(env) := [{"name": split(v, "=")[0], "key": i, "value": v} | some i, v in env; is_string(v)] if is_array(env)
