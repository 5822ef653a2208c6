package envgate.go.go049_vscode_tools_env_differs_test

import data.envgate.go.go049_vscode_tools_env_differs as rule
import rego.v1

with_members(members, env) := {
	"go": {"env": env},
	"editor": {"settings_files": [{
		"path": "/home/dev/proj/.vscode/settings.json",
		"scope": "workspace",
		"product": "Code",
		"settings": [{"key": "go.toolsEnvVars", "value": {}, "line": 3, "members": members, "paths": []}],
	}]},
}

member(key, value, line) := {"key": key, "value": value, "line": line}

proxy := {"GOPROXY": {"value": "https://proxy.golang.org,direct", "source": "default", "file": null, "line": null}}

test_fires_on_a_different_goflags if {
	inp := with_members([member("GOFLAGS", "-mod=mod", 4)], proxy)
	findings := rule.deny with input as inp
	count(findings) == 1
	some f in findings
	f.location == {"file": "/home/dev/proj/.vscode/settings.json", "line": 4}
	contains(f.msg, "sets GOFLAGS=-mod=mod for the editor's Go tools (go.toolsEnvVars), while the shell's go command has it unset")
}

test_fires_on_a_different_goproxy if {
	inp := with_members([member("GOPROXY", "https://goproxy.corp/,direct", 5)], proxy)
	some f in rule.deny with input as inp
	contains(f.msg, "has GOPROXY=https://proxy.golang.org,direct (the default)")
}

test_quiet_on_equal_values_and_other_variables if {
	same := with_members([
		member("GOPROXY", "https://proxy.golang.org,direct", 4),
		member("GO111MODULE", "on", 5),
		member("CGO_ENABLED", "0", 6),
		member("GOROOT", "${env:HOME}/sdk/go", 7),
	], proxy)
	count(rule.deny) == 0 with input as same
}

test_go111module_off_differs if {
	inp := with_members([member("GO111MODULE", "off", 4)], proxy)
	count(rule.deny) == 1 with input as inp
}
