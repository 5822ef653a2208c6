# METADATA
# title: VS Code's Go language server is turned off
# description: |
#   `"go.useLanguageServer": false` makes the VS Code Go extension fall back to its
#   legacy tools (gocode, godef, go-outline), which are unmaintained and do not
#   understand modules, workspaces or generics: completion, go-to-definition and
#   diagnostics quietly break, and the extension keeps asking to install tools that no
#   longer build. gopls has been the default since v0.21 and the legacy mode is gone.
#   Decision: one finding per settings file (VS Code user settings of Code, Insiders,
#   Code - OSS, VSCodium and the Flatpak build, on Linux and macOS; a remote server's
#   Machine settings; the `.vscode/settings.json` at or above the checked directory)
#   whose `go.useLanguageServer` is `false`, at its line. A user-level `false` is
#   reported even when the workspace sets `true`: it still applies to every other folder.
# related_resources:
#   - ref: https://github.com/golang/vscode-go/blob/master/docs/settings.md#gouselanguageserver
# custom:
#   id: GO047
#   severity: warning
#   since: 1.0.0
#   autofix: safe
#   category: Editor
#   remediation: |
#     Delete the setting (line {{ vars.line }} of {{ vars.file }}), or set it to true:
#       {{ vars.fix }}
#     then reload VS Code; it installs gopls if it is missing (or run `go install golang.org/x/tools/gopls@latest`).
package envgate.go.go047_vscode_language_server_disabled

import rego.v1

deny contains finding if {
	some file in object.get(input, ["editor", "settings_files"], [])
	some setting in file.settings
	setting.key == "go.useLanguageServer"
	setting.value == false
	finding := {
		"msg": sprintf("%s (%s settings of %s) sets \"go.useLanguageServer\": false, so the Go extension runs without gopls: no module-aware completion, navigation or diagnostics", [file.path, file.scope, file.product]),
		"location": {"file": file.path, "line": setting.line},
		"vars": {
			"file": file.path,
			"line": setting.line,
			"scope": file.scope,
			"fix": edit_command(setting.line, file.path),
		},
		# The settings file's comments and other settings are kept (JSONC); on a
		# Windows volume too (%APPDATA%\Code\User\settings.json).
		"fix": [{"kind": "json_set", "file": file.path, "path": ["go.useLanguageServer"], "value": true, "safe": true}],
	}
}

# The edit as a command: PowerShell on Windows, sed elsewhere.
edit_command(line, path) := sprintf(`(Get-Content '%s') -replace '"go.useLanguageServer"\s*:\s*false', '"go.useLanguageServer": true' | Set-Content '%s'   # PowerShell`, [path, path]) if {
	input.host.os == "windows"
} else := sprintf(`sed -i '%ds/"go.useLanguageServer"\s*:\s*false/"go.useLanguageServer": true/' '%s'`, [line, path])
