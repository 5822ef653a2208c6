# METADATA
# title: Base image not pinned
# description: |
#   A `FROM` without a tag pulls `latest`, and `latest` is whatever was pushed last: the
#   same Dockerfile builds a different image next week, on another machine or in CI,
#   and a rebuild can pull a new major version of the distribution or of Go. Decision:
#   an error for each `FROM` naming an image without a tag or digest, or with the tag
#   `latest`. `scratch`, earlier stages (`FROM build`) and images named by a build
#   argument (`FROM ${BASE}`) are not judged.
# related_resources:
#   - ref: https://github.com/hadolint/hadolint/wiki/DL3006
#     description: hadolint DL3006 (always tag the image explicitly)
#   - ref: https://github.com/hadolint/hadolint/wiki/DL3007
#     description: hadolint DL3007 (using latest is prone to errors)
#   - ref: https://www.checkov.io/5.Policy%20Index/dockerfile.html
#     description: checkov CKV_DOCKER_7 (base image uses a latest version tag)
# custom:
#   id: REPO001
#   severity: error
#   since: 1.0.0
#   reads: [dockerfile]
#   per_file: true
#   category: Reproducibility
#   remediation: |
#     In {{ vars.file }} line {{ vars.line }}, name the release the image is built from instead of "{{ vars.from }}":
#       FROM {{ vars.repository }}:<version>
#     and, for builds that must not change at all, its digest too (FROM {{ vars.repository }}:<version>@sha256:…; `docker buildx imagetools inspect {{ vars.repository }}:<version>` prints it).
package envgate.repo.repo001_base_image_not_pinned

import data.envgate.repo.lib
import rego.v1

deny contains finding if {
	some doc in lib.docs("dockerfile")
	some stage in lib.list(lib.facts(doc).stages)
	stage.from_stage == null
	not stage.variable
	lower(stage.from) != "scratch"
	stage.image.digest == null
	problem := unpinned(stage.image.tag)
	finding := {
		"msg": sprintf("FROM %s %s: the image changes whenever a new one is pushed, so builds are not repeatable", [stage.from, problem]),
		"location": lib.at(doc, stage.line),
		"vars": {"file": doc.path, "line": stage.line, "from": stage.from, "repository": stage.image.repository},
	}
}

unpinned(null) := "has no tag (docker pulls latest)"

unpinned("latest") := "uses the latest tag"
