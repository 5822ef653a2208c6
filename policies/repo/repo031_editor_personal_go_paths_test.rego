package envgate.repo.repo031_editor_personal_go_paths_test

import data.envgate.repo.lib_test as t
import data.envgate.repo.repo031_editor_personal_go_paths as rule
import rego.v1

settings(s) := {"files": [t.doc(".vscode/settings.json", "vscode-settings", s)]}

test_fires_on_home_directories if {
	findings := rule.deny with input as settings({
		"go.goroot": "/home/alice/sdk/go1.22.1",
		"go.toolsGopath": "C:\\Users\\carol\\go",
		"go.alternateTools": {"gopls": "/Users/bob/go/bin/gopls"},
	})
	{f.vars.setting | some f in findings} == {"go.goroot", "go.toolsGopath", "go.alternateTools.gopls"}
}

test_quiet_on_shared_paths if {
	count(rule.deny) == 0 with input as settings({"go.goroot": "/usr/local/go", "go.gopath": "${workspaceFolder}/.gopath"})
}
