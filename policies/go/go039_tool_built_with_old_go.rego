# METADATA
# title: gopls, dlv or a linter built with an old Go or without module information
# description: |
#   Go developer tools understand only the Go language and standard library of the Go
#   that built them. gopls built with an older Go than a module's `go` line fails on it
#   (golang/go#66553: panic `invalid Go version`; golang/go#68258), Delve cannot debug
#   programs from much newer toolchains, and staticcheck and golangci-lint report
#   `requires newer Go version` instead of analysing. A tool without module information
#   in its build info was built outside module mode from a source snapshot, like
#   Debian's gopls 0.5.0 package, which reports its version as `master` and is years
#   behind.
#   Decision: looks at gopls, dlv, staticcheck and golangci-lint in the `go install`
#   directory (which editors search first) and the one a PATH lookup finds; copies
#   shadowed further down PATH are not judged. Warns when the Go that built one is older
#   than the checked go.mod's `go` line, or when its build info has no `mod` line.
#   Programs without Go build info (scripts, wrappers) are not judged.
# related_resources:
#   - ref: https://github.com/golang/go/issues/66553
#   - ref: https://github.com/golang/go/issues/68258
#   - ref: https://go.dev/gopls/
# custom:
#   id: GO039
#   severity: warning
#   since: 1.0.0
#   category: Toolchain vs go.mod
#   remediation: |
#     Rebuild it with your current Go{% if vars.required %} (go {{ vars.required }} or newer){% endif %}:
#       {{ vars.install }}
#     {% if vars.system_copy %}and remove the distribution's copy ({{ vars.path }}); `dpkg -S {{ vars.path }}` or `rpm -qf {{ vars.path }}` names its package.
#     {% endif %}Restart the editor's language server afterwards.
package envgate.go.go039_tool_built_with_old_go

import rego.v1

import data.envgate.go.lib

install_command := {
	"gopls": "go install golang.org/x/tools/gopls@latest",
	"dlv": "go install github.com/go-delve/delve/cmd/dlv@latest",
	"staticcheck": "go install honnef.co/go/tools/cmd/staticcheck@latest",
	"golangci-lint": "go install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@latest",
}

symptom := {
	"gopls": "gopls fails on the module (`invalid Go version`)",
	"dlv": "Delve may refuse to debug its programs",
	"staticcheck": "staticcheck cannot analyse it (`requires newer Go version`)",
	"golangci-lint": "golangci-lint cannot analyse it (`requires newer Go version`)",
}

required := input.workspace.go_mod.go.value

judged(b) if b.in_tools_dir

judged(b) if b.path_winner

reasons(b) := array.concat(
	[sprintf("was built with %s, older than the go %s that %s requires, so %s", [b.go_version, required, input.workspace.go_mod.file, symptom[b.name]]) |
		is_string(required)
		lib.version_less(b.go_version, required)
	],
	[sprintf("was built without module information (by %s), like Debian's gopls 0.5.0, which reports its version as `master`", [b.go_version]) |
		not is_string(b.module)
	],
)

# The PATH entry is named by its directory too: a bare index (counted from 0) reads as
# the wrong directory to anyone counting from 1.
where(b) := "the go install directory" if b.in_tools_dir else := sprintf("PATH entry %d, %s", [b.path_index, dir]) if {
	dir := input.path.entries[b.path_index].raw
} else := sprintf("PATH entry %d", [b.path_index])

deny contains finding if {
	some i, b in input.go.tool_binaries
	is_string(b.go_version)
	judged(b)
	why := reasons(b)
	count(why) > 0
	finding := {
		"msg": sprintf("%s (%s, from %s) %s", [b.path, b.name, where(b), concat("; and it ", why)]),
		"subject": sprintf("go.tool_binaries[%d]", [i]),
		"vars": {
			"name": b.name,
			"path": b.path,
			"go_version": b.go_version,
			"required": object.get(input, ["workspace", "go_mod", "go", "value"], null),
			"install": install_command[b.name],
			"system_copy": startswith(b.path, "/usr/"),
		},
	}
}
