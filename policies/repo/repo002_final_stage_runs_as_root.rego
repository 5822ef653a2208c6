# METADATA
# title: Container runs as root
# description: |
#   The final stage of a Dockerfile is what runs. Running it as root gives a process
#   that is compromised root inside the container, one kernel bug or a mounted socket
#   away from root on the host, and lets it rewrite its own binaries. Decision: an
#   error when the final stage's last `USER` is root (`root`, `0`, `root:…`, `0:…`),
#   set there or inherited from the stage it builds on; a warning when the final stage
#   sets no `USER` at all (images run as root unless told otherwise), except on base
#   images whose tag says they run as a non-root user (distroless `:nonroot`).
# related_resources:
#   - ref: https://github.com/hadolint/hadolint/wiki/DL3002
#     description: hadolint DL3002 (last USER should not be root)
#   - ref: https://www.checkov.io/5.Policy%20Index/dockerfile.html
#     description: checkov CKV_DOCKER_3 (a user for the container has been created), CKV_DOCKER_8 (the last USER is not root)
# custom:
#   id: REPO002
#   severity: error
#   since: 1.0.0
#   reads: [dockerfile]
#   per_file: true
#   category: Security
#   remediation: |
#     In {{ vars.file }}, end the final stage with an unprivileged user:
#       RUN useradd --system --uid 10001 app   (on Alpine: adduser -S -u 10001 app)
#       USER 10001
#     Steps that need root (package installs) go before that USER line.
package envgate.repo.repo002_final_stage_runs_as_root

import data.envgate.repo.lib
import rego.v1

root_users := {u | some u in lib.list(data.pack_data.repo.root_users)}

deny contains finding if {
	some doc in lib.docs("dockerfile")
	stage := lib.final_stage(doc)
	is_object(stage.user)
	root_users[lower(stage.user.value)]
	finding := {
		"msg": sprintf("the final stage (FROM %s, line %d) runs as USER %s: a process that breaks in is root in the container", [stage.from, stage.line, stage.user.value]),
		"location": lib.at(doc, stage.user.line),
		"vars": {"file": doc.path, "user": stage.user.value},
	}
}

deny contains finding if {
	some doc in lib.docs("dockerfile")
	stage := lib.final_stage(doc)
	stage.user == null
	not contains(lower(lib.text(stage.image.tag)), "nonroot")
	finding := {
		"msg": sprintf("the final stage (FROM %s) sets no USER, so the container runs as root", [stage.from]),
		"severity": "warning",
		"location": lib.at(doc, stage.line),
		"vars": {"file": doc.path, "user": ""},
	}
}
