# METADATA
# title: Committed editor settings pin one person's Go paths
# description: |
#   `go.goroot`, `go.gopath`, `go.toolsGopath` and `go.alternateTools` name
#   directories on one machine. Committed with a home directory in them
#   (`/home/alice/sdk/go1.22`, `/Users/bob/go`, `C:\Users\carol\go`), they point
#   everyone else's editor at a Go that does not exist there: the extension fails to
#   find go or gopls, or silently uses another toolchain than the terminal. Decision:
#   a warning for each such setting whose value starts with a home directory, in
#   `.vscode/settings.json` or a devcontainer's VS Code settings. The machine-side
#   counterpart is GO048.
# related_resources:
#   - ref: https://github.com/golang/vscode-go/wiki/settings
#     description: vscode-go settings (go.goroot, go.gopath, go.toolsGopath, go.alternateTools)
# custom:
#   id: REPO031
#   severity: warning
#   since: 1.0.0
#   reads: [vscode-settings, devcontainer]
#   per_file: true
#   category: Editor
#   remediation: |
#     Remove "{{ vars.setting }}" from {{ vars.file }}: the extension finds Go on PATH, and anyone who needs another one sets it in their user settings. A path that must be shared can use ${workspaceFolder} or ${env:HOME}.
package envgate.repo.repo031_editor_personal_go_paths

import data.envgate.repo.lib
import rego.v1

prefixes := [p | some p in lib.list(data.pack_data.repo.personal_path_prefixes)]

deny contains finding if {
	some place in lib.editor_settings
	some setting in ["go.goroot", "go.gopath", "go.toolsGopath"]
	value := lib.text(object.get(place.settings, setting, ""))
	personal(value)
	finding := found(place, setting, [setting])
}

deny contains finding if {
	some place in lib.editor_settings
	some tool, value in lib.mapping(object.get(place.settings, "go.alternateTools", {}))
	personal(lib.text(value))
	finding := found(place, sprintf("go.alternateTools.%s", [tool]), ["go.alternateTools", tool])
}

personal(value) if {
	some prefix in prefixes
	startswith(value, prefix)
}

found(place, setting, path) := {
	"msg": sprintf("%s sets %s to a directory in one person's home: everyone else's editor looks for Go there", [place.doc.path, setting]),
	"location": lib.location(place.doc, array.concat(place.path, path)),
	"vars": {"file": place.doc.path, "setting": setting},
}
