# METADATA
# title: Image weakens Go module verification
# description: |
#   Go verifies every downloaded module against go.sum and the checksum database, and
#   fetches through a proxy that falls back to the origin only when told (`direct`).
#   An image that sets `GOSUMDB=off`, `GONOSUMDB=*`, `GOINSECURE`, or `-insecure` in
#   `GOFLAGS` builds (and runs `go` for whoever uses it) with those checks off: a
#   tampered module is accepted silently. A `GOPROXY` list without `direct` (nor
#   `off`) makes every module the proxy lacks fail to download. Decision: an error for
#   each of the settings that turn verification off; a warning for `GOPROXY` without
#   `direct`. Set by `ENV` in a stage or inherited from the stage it builds on; the
#   line is the `ENV` that set it. The machine-side counterparts are GO027, GO029 and
#   GO031 of the go pack.
# related_resources:
#   - ref: https://go.dev/ref/mod#checksum-database
#     description: Go modules reference, checksum database
#   - ref: https://go.dev/ref/mod#environment-variables
#     description: GOINSECURE, GONOSUMDB, GOSUMDB, GOPROXY
# custom:
#   id: REPO005
#   severity: error
#   since: 1.0.0
#   reads: [dockerfile]
#   per_file: true
#   category: Security
#   remediation: |
#     In {{ vars.file }} line {{ vars.line }}, {% if vars.variable == "GOPROXY" %}end the proxy list with direct: ENV GOPROXY={{ vars.value }},direct{% else %}remove {{ vars.variable }}={{ vars.value }}; for private modules set GOPRIVATE=<your module path prefix> instead, which skips the public checksum database for them only and keeps go.sum verification{% endif %}.
package envgate.repo.repo005_image_disables_module_checks

import data.envgate.repo.lib
import rego.v1

deny contains finding if {
	some doc in lib.docs("dockerfile")
	some stage in lib.list(lib.facts(doc).stages)
	some name, setting in lib.mapping(stage.env)
	why := lib.weakens_module_checks(name, setting.value)
	finding := {
		"msg": sprintf("%s=%s is set in the image (FROM %s): %s", [name, setting.value, stage.from, why.msg]),
		"severity": why.severity,
		"location": lib.at(doc, setting.line),
		"vars": {"file": doc.path, "line": setting.line, "variable": name, "value": setting.value},
	}
}
