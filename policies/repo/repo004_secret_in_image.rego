# METADATA
# title: Secret in a Dockerfile ENV or ARG
# description: |
#   `ENV` values are stored in the image's configuration and `ARG` values in its
#   history (`docker history` prints them): whoever can pull the image can read them,
#   and the Dockerfile keeps them in the repository. Decision: an error for each `ENV`
#   or `ARG` whose value envgate's redactor hid as a secret, by its name (`DB_PASSWORD`,
#   `API_TOKEN`…) or by its form (a GitHub, AWS, Slack… token or key, the same list the
#   k8s pack's K8S014 reads). The value itself is never shown.
# related_resources:
#   - ref: https://docs.docker.com/build/building/secrets/
#     description: Docker build secrets (RUN --mount=type=secret)
#   - ref: https://github.com/gitleaks/gitleaks
#     description: gitleaks (secret detection in repositories)
# custom:
#   id: REPO004
#   severity: error
#   since: 1.0.0
#   reads: [dockerfile]
#   per_file: true
#   category: Security
#   remediation: |
#     Rotate the secret set at {{ vars.file }} line {{ vars.line }} (it is in the repository's history and in every image built from it), then remove it from the Dockerfile: pass it at build time with a build secret (RUN --mount=type=secret,id={{ vars.name | lower }} …, docker build --secret id={{ vars.name | lower }},env={{ vars.name }}) or at run time from the orchestrator's secret store.
package envgate.repo.repo004_secret_in_image

import data.envgate.repo.lib
import rego.v1

deny contains finding if {
	some doc in lib.docs("dockerfile")
	some instruction in lib.list(doc.content.instructions)
	instruction.cmd in {"ENV", "ARG"}
	name := trim_space(regex.split(`[=\t\n\f\r ]`, instruction.args)[0])
	why := lib.secret(name, instruction.args)
	finding := {
		"msg": sprintf("%s %s holds a secret%s: it is stored in the image and in the repository", [instruction.cmd, name, lib.secret_note(why)]),
		"location": lib.at(doc, instruction.line),
		"vars": {"file": doc.path, "line": instruction.line, "name": name, "found_by": why.by},
	}
}
