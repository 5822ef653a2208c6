package envgate.go.go047_vscode_language_server_disabled_test

import data.envgate.go.go047_vscode_language_server_disabled as rule
import rego.v1

settings_file(path, scope, settings) := {"path": path, "scope": scope, "product": "Code", "error": null, "settings": settings}

setting(key, value, line) := {"key": key, "value": value, "line": line, "members": [], "paths": []}

user := "/home/dev/.config/Code/User/settings.json"

test_fires_at_the_line if {
	inp := {"editor": {"settings_files": [settings_file(user, "user", [setting("go.formatTool", "gofmt", 3), setting("go.useLanguageServer", false, 4)])]}}
	findings := rule.deny with input as inp
	count(findings) == 1
	some f in findings
	f.location == {"file": user, "line": 4}
	contains(f.msg, "(user settings of Code) sets \"go.useLanguageServer\": false")
	f.vars.fix == `sed -i '4s/"go.useLanguageServer"\s*:\s*false/"go.useLanguageServer": true/' '/home/dev/.config/Code/User/settings.json'`
}

test_fires_per_file if {
	inp := {"editor": {"settings_files": [
		settings_file(user, "user", [setting("go.useLanguageServer", false, 2)]),
		settings_file("/home/dev/proj/.vscode/settings.json", "workspace", [setting("go.useLanguageServer", false, 5)]),
	]}}
	count(rule.deny) == 2 with input as inp
}

test_quiet_when_true_or_absent if {
	inp := {"editor": {"settings_files": [settings_file(user, "user", [setting("go.useLanguageServer", true, 2), setting("go.useLanguageServer2", false, 3)])]}}
	count(rule.deny) == 0 with input as inp
	count(rule.deny) == 0 with input as {}
}

test_windows_settings_get_the_same_edit if {
	path := `C:\Users\dev\AppData\Roaming\Code\User\settings.json`
	inp := {"host": {"os": "windows"}, "editor": {"settings_files": [settings_file(path, "user", [setting("go.useLanguageServer", false, 3)])]}}
	some f in rule.deny with input as inp
	f.fix == [{"kind": "json_set", "file": path, "path": ["go.useLanguageServer"], "value": true, "safe": true}]
	startswith(f.vars.fix, "(Get-Content ")
}
