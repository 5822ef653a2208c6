package envgate.repo.repo030_editor_language_server_off_test

import data.envgate.repo.lib_test as t
import data.envgate.repo.repo030_editor_language_server_off as rule
import rego.v1

test_fires_in_vscode_settings_and_devcontainers if {
	inp := {"files": [
		t.doc(".vscode/settings.json", "vscode-settings", {"go.useLanguageServer": false}),
		t.doc(".devcontainer/devcontainer.json", "devcontainer", {"customizations": {"vscode": {"settings": {"go.useLanguageServer": false}}}}),
	]}
	findings := rule.deny with input as inp
	{f.location.path | some f in findings} == {["go.useLanguageServer"], ["customizations", "vscode", "settings", "go.useLanguageServer"]}
}

test_quiet_when_on_or_unset if {
	count(rule.deny) == 0 with input as {"files": [t.doc(".vscode/settings.json", "vscode-settings", {"go.useLanguageServer": true, "editor.tabSize": 4})]}
}
