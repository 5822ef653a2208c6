# METADATA
# title: ADD downloads from a URL
# description: |
#   `ADD https://…` fetches a file at build time without checking what arrived: no
#   checksum (unless `--checksum` is given), no signature, and the layer caches
#   whatever the server sent the first time. Decision: a warning for each `ADD` whose
#   source is an `http://` or `https://` URL and that has no `--checksum=`.
# related_resources:
#   - ref: https://github.com/hadolint/hadolint/wiki/DL3020
#     description: hadolint DL3020 (use COPY instead of ADD for files and folders)
#   - ref: https://www.checkov.io/5.Policy%20Index/dockerfile.html
#     description: checkov CKV_DOCKER_4 (COPY is used instead of ADD)
# custom:
#   id: REPO003
#   severity: warning
#   since: 1.0.0
#   reads: [dockerfile]
#   per_file: true
#   category: Security
#   remediation: |
#     In {{ vars.file }} line {{ vars.line }}, pin what is downloaded: ADD --checksum=sha256:<digest> {{ vars.url }} <dest>, or download and verify it in a RUN step (curl -fsSL … && echo "<sha256>  file" | sha256sum -c -).
package envgate.repo.repo003_add_from_url

import data.envgate.repo.lib
import rego.v1

deny contains finding if {
	some doc in lib.docs("dockerfile")
	some instruction in lib.list(doc.content.instructions)
	instruction.cmd == "ADD"
	not contains(instruction.args, "--checksum=")
	some stage in lib.list(lib.facts(doc).stages)
	some add in lib.list(stage.add_urls)
	add.line == instruction.line
	finding := {
		"msg": sprintf("ADD %s downloads at build time without a checksum: the build takes whatever the server returns", [add.value]),
		"location": lib.at(doc, add.line),
		"vars": {"file": doc.path, "line": add.line, "url": add.value},
	}
}
