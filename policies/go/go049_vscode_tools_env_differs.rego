# METADATA
# title: VS Code's go.toolsEnvVars disagrees with the shell
# description: |
#   `go.toolsEnvVars` sets environment variables for the go command and the tools the
#   VS Code Go extension runs (gopls, dlv, staticcheck). When it sets GO111MODULE,
#   GOFLAGS, GOROOT or GOPROXY differently from the shell and the `go env -w` file, the
#   editor and the terminal build with different settings: gopls reports errors the
#   terminal build does not have (or hides ones it has), and "works in the terminal"
#   stops meaning anything.
#   Decision: for each of those four variables set in go.toolsEnvVars (any settings
#   file) to a plain string, compared with the effective value envgate computed (""
#   when unset). GO111MODULE `on` and unset count as the same (module mode is the
#   default since Go 1.16). Values using `${…}` substitutions are skipped. Info: a
#   difference can be deliberate.
# related_resources:
#   - ref: https://github.com/golang/vscode-go/blob/master/docs/settings.md#gotoolsenvvars
# custom:
#   id: GO049
#   severity: info
#   since: 1.0.0
#   category: Editor
#   remediation: |
#     Keep one source of truth: remove "{{ vars.name }}" from go.toolsEnvVars in {{ vars.file }} (line {{ vars.line }}),
#     and if the editor's value is the one you want, set it for every go command instead:
#       go env -w {{ vars.name }}='{{ vars.editor }}'
package envgate.go.go049_vscode_tools_env_differs

import data.envgate.go.lib
import rego.v1

compared := {"GO111MODULE", "GOFLAGS", "GOROOT", "GOPROXY"}

normal("GO111MODULE", v) := "on" if v == ""

normal(name, v) := trim_right(trim_space(v), "/") if {
	not name == "GO111MODULE"
}

normal("GO111MODULE", v) := lower(trim_space(v)) if v != ""

effective_text(name) := sprintf("%s=%s (%s)", [name, lib.setting(name), where(name)]) if lib.setting(name) != "" else := "it unset"

where(name) := text if {
	lib.explicit(name)
	text := lib.origin(input.go.env[name])
	is_string(text)  # holds for any defined value (L012)
} else := "the default"

deny contains finding if {
	some file in object.get(input, ["editor", "settings_files"], [])
	some setting in file.settings
	setting.key == "go.toolsEnvVars"
	some member in setting.members
	member.key in compared
	is_string(member.value)
	not contains(member.value, "${")
	normal(member.key, member.value) != normal(member.key, lib.setting(member.key))
	finding := {
		"msg": sprintf("%s sets %s=%s for the editor's Go tools (go.toolsEnvVars), while the shell's go command has %s", [file.path, member.key, member.value, effective_text(member.key)]),
		"location": {"file": file.path, "line": member.line},
		"vars": {
			"file": file.path,
			"line": member.line,
			"name": member.key,
			"editor": member.value,
			"shell": lib.setting(member.key),
		},
	}
}
