# METADATA
# title: Committed editor settings turn gopls off
# description: |
#   `"go.useLanguageServer": false` in a repository's `.vscode/settings.json` (or a
#   devcontainer's VS Code settings) turns gopls off for everyone who opens the
#   repository: no completion, diagnostics or refactoring beyond the legacy tools,
#   which no longer support modules well. Decision: a warning for each committed
#   settings file that sets it to false. The machine-side counterpart is GO047.
# related_resources:
#   - ref: https://github.com/golang/vscode-go/wiki/settings#gouselanguageserver
#     description: vscode-go go.useLanguageServer
# custom:
#   id: REPO030
#   severity: warning
#   since: 1.0.0
#   reads: [vscode-settings, devcontainer]
#   per_file: true
#   category: Editor
#   remediation: |
#     In {{ vars.file }}, remove "go.useLanguageServer": false (gopls is the default); if one person needs it off, they can set it in their user settings instead.
package envgate.repo.repo030_editor_language_server_off

import data.envgate.repo.lib
import rego.v1

deny contains finding if {
	some place in lib.editor_settings
	object.get(place.settings, "go.useLanguageServer", true) == false
	finding := {
		"msg": sprintf("%s turns the Go language server (gopls) off for everyone who opens the repository", [place.doc.path]),
		"location": lib.location(place.doc, array.concat(place.path, ["go.useLanguageServer"])),
		"vars": {"file": place.doc.path},
	}
}
