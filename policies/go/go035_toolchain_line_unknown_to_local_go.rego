# METADATA
# title: go.mod or go.work has a `toolchain` line the local Go does not know
# description: |
#   Go 1.21 added the `toolchain` directive (go.mod and go.work), and `go mod tidy` or
#   `go get` with Go 1.21 or newer writes it by itself. Older go commands do not know it
#   and refuse to read the file at all: every command in the module fails with
#   `go.mod:5: unknown directive: toolchain` (verified on go1.19.8). Tools built with an
#   old golang.org/x/mod print the same error.
#   Decision: fires for each of go.mod and go.work (unless GOWORK=off) that has a
#   `toolchain` line while the version of the `go` on PATH is known and older than 1.21.
#   Nothing is reported when the local version is unknown.
# related_resources:
#   - ref: https://go.dev/doc/toolchain
#   - ref: https://github.com/golang/go/issues/62409
# custom:
#   id: GO035
#   severity: error
#   since: 1.0.0
#   category: Toolchain vs go.mod
#   remediation: |
#     Install Go 1.21 or newer (https://go.dev/dl/) and put its bin first on PATH in {{ vars.profile }}.
#     If the project must keep building with {{ vars.local }}, drop the line instead (with a newer go, or by hand):
#       cd {{ vars.dir }} && go {{ vars.tool }} edit -toolchain=none
package envgate.go.go035_toolchain_line_unknown_to_local_go

import data.envgate.go.lib
import data.envgate.go.modules_lib
import rego.v1

deny contains finding if {
	local := lib.active_toolchain.version
	is_string(local)
	lib.version_less(local, "1.21")
	some manifest in modules_lib.manifests
	line := manifest.toolchain
	is_object(line)
	name := modules_lib.base_name(manifest.file)
	finding := {
		"msg": sprintf("%s has a `toolchain %s` line but the local toolchain is %s, which does not know the directive: go commands here fail with `%s:%d: unknown directive: toolchain`", [name, line.value, local, name, line.line]),
		"subject": sprintf("workspace.go_%s.toolchain", [modules_lib.edit_tool(manifest.file)]),
		"location": {"file": manifest.file, "line": line.line},
		"vars": {
			"toolchain": line.value,
			"local": local,
			"file": manifest.file,
			"dir": modules_lib.dir_of(manifest.file),
			"tool": modules_lib.edit_tool(manifest.file),
			"profile": lib.login_profile,
		},
	}
}
