# METADATA
# title: cgo binary for an image without a C library
# description: |
#   With `CGO_ENABLED=1` a Go binary links the C library dynamically (net and os/user
#   use it, and so does any cgo package). An image built `FROM scratch` or from
#   distroless `static` has no C library and no dynamic loader: the binary fails at
#   start with "no such file or directory", which names neither the library nor cgo.
#   Decision: an error when the final stage has no C library and a stage of the same
#   Dockerfile turns cgo on (`ENV CGO_ENABLED=1`, or `CGO_ENABLED=1` in a `RUN`),
#   pointing at the line that does.
# related_resources:
#   - ref: https://pkg.go.dev/cmd/cgo
#     description: cgo (CGO_ENABLED)
#   - ref: https://github.com/GoogleContainerTools/distroless/blob/main/base/README.md
#     description: distroless static vs base (glibc)
# custom:
#   id: REPO006
#   severity: error
#   since: 1.0.0
#   reads: [dockerfile]
#   per_file: true
#   category: Build
#   remediation: |
#     In {{ vars.file }}, build with CGO_ENABLED=0 at line {{ vars.line }} (a static binary runs on {{ vars.final }}), or, if the program needs cgo, base the final stage on an image with the C library it was linked against (gcr.io/distroless/base-debian12, or the build stage's distribution).
package envgate.repo.repo006_cgo_in_image_without_libc

import data.envgate.repo.lib
import rego.v1

deny contains finding if {
	some doc in lib.docs("dockerfile")
	final := lib.final_stage(doc)
	final.no_libc == true
	some line in cgo_lines(doc)
	finding := {
		"msg": sprintf("cgo is turned on here, but the final stage (FROM %s) has no C library: the binary will not start there", [final.from]),
		"location": lib.at(doc, line),
		"vars": {"file": doc.path, "line": line, "final": final.from},
	}
}

cgo_lines(doc) := {line |
	some stage in lib.list(lib.facts(doc).stages)
	some line in cgo_lines_of(stage)
}

cgo_lines_of(stage) := array.concat(env_line(stage), lib.list(stage.cgo_runs))

env_line(stage) := [stage.env.CGO_ENABLED.line] if stage.env.CGO_ENABLED.value == "1"

env_line(stage) := [] if not stage.env.CGO_ENABLED.value == "1"
