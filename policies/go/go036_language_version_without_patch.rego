# METADATA
# title: go line names a language version (`go 1.N`) the local Go cannot download
# description: |
#   Since Go 1.21 the first release of each Go version is `go1.N.0`; `1.N` alone is a
#   language version, not a release. When go.mod (or go.work) says `go 1.22` and the
#   local go command is older, it switches toolchains by downloading the release named
#   by the go line — `go1.22`, which does not exist: every command fails with `go:
#   downloading go1.22 (linux/amd64)` / `go: download go1.22 for linux/amd64: toolchain
#   not available`. Go 1.21.9, 1.22.4 and later releases ask for `go1.N.0` instead
#   (as reported in cli/cli#9489).
#   Decision: fires when the `go` line is exactly `1.N` with N ≥ 21, no `toolchain`
#   line names a release at least that new (it would be used instead), the local
#   toolchain is known, is 1.21 or newer (older ones never switch; GO034 covers them),
#   older than the go line, and one of the affected releases (1.21.0–1.21.8,
#   1.22.0–1.22.3), and GOTOOLCHAIN lets it switch (unset, `auto` or `<name>+auto`;
#   otherwise GO034 reports the refusal). GOWORK=off makes go.mod win over go.work.
# related_resources:
#   - ref: https://github.com/golang/go/issues/62278
#   - ref: https://github.com/golang/go/issues/65580
#   - ref: https://github.com/cloudprober/cloudprober/pull/931
#   - ref: https://github.com/cli/cli/issues/9489
#   - ref: https://go.dev/doc/toolchain#version
# custom:
#   id: GO036
#   severity: warning
#   since: 1.0.0
#   category: Toolchain vs go.mod
#   remediation: |
#     Name a release that exists, so every go command can switch to it:
#       cd {{ vars.dir }} && go {{ vars.tool }} edit -go={{ vars.release }}
#     (or keep `go {{ vars.required }}` and add `go {{ vars.tool }} edit -toolchain=go{{ vars.release }}`). Upgrading the local Go to 1.22.4 or newer also avoids it.
package envgate.go.go036_language_version_without_patch

import data.envgate.go.lib
import rego.v1

# The manifest whose go line decides the toolchain, as for GO034.
manifest := input.workspace.go_work if {
	is_object(input.workspace.go_work)
	lib.setting("GOWORK") != "off"
} else := input.workspace.go_mod if {
	is_object(input.workspace.go_mod)
}

gotoolchain := lib.setting("GOTOOLCHAIN")

switch_allowed if gotoolchain in {"", "auto"}

switch_allowed if endswith(gotoolchain, "+auto")

# Local releases that download `go1.N` for a `go 1.N` line.
affected(local) if {
	not lib.version_less(local, "1.21")
	lib.version_less(local, "1.21.9")
}

affected(local) if {
	not lib.version_less(local, "1.22")
	lib.version_less(local, "1.22.4")
}

# A toolchain line that names at least the go line's release wins over it.
toolchain_covers(required) if {
	t := manifest.toolchain.value
	is_string(t)
	not lib.version_less(t, required)
}

edit_tool(file) := "work" if endswith(file, "go.work") else := "mod"

platform := sprintf("%s/%s", [input.host.os, input.host.arch]) if {
	is_string(input.host.os)
	is_string(input.host.arch)
} else := "linux/amd64"

deny contains finding if {
	required := manifest.go.value
	is_string(required)
	m := regex.find_all_string_submatch_n(`^1\.([0-9]+)$`, required, 1)[0]
	to_number(m[1]) >= 21
	not toolchain_covers(required)
	local := lib.active_toolchain.version
	is_string(local)
	lib.version_less(local, required)
	affected(local)
	switch_allowed
	name := regex.replace(manifest.file, `^.*/`, "")
	tool := edit_tool(manifest.file)
	finding := {
		"msg": sprintf("%s says `go %s`, a language version rather than a release, and the local %s switches to the release it names: go commands fail with `go: download go%s for %s: toolchain not available`", [name, required, local, required, platform]),
		"subject": sprintf("workspace.go_%s.go", [tool]),
		"location": {"file": manifest.file, "line": manifest.go.line},
		"vars": {
			"required": required,
			"release": sprintf("%s.0", [required]),
			"local": local,
			"file": manifest.file,
			"dir": regex.replace(manifest.file, `/[^/]*$`, ""),
			"tool": tool,
		},
	}
}
