package envgate.go.go048_vscode_go_paths_missing_or_pinned_test

import data.envgate.go.go048_vscode_go_paths_missing_or_pinned as rule
import rego.v1

path(value, resolved, exists, line) := {"member": null, "value": value, "resolved": resolved, "kind": "path", "exists": exists, "line": line}

with_paths(key, paths) := {"editor": {"settings_files": [{
	"path": "/home/dev/.config/Code/User/settings.json",
	"scope": "user",
	"product": "Code",
	"settings": [{"key": key, "value": "x", "line": 2, "members": [], "paths": paths}],
}]}}

test_fires_on_a_missing_cellar_goroot if {
	inp := with_paths("go.goroot", [path("/usr/local/Cellar/go/1.24.4/libexec", "/usr/local/Cellar/go/1.24.4/libexec", false, 2)])
	findings := rule.deny with input as inp
	count(findings) == 1
	some f in findings
	f.location.line == 2
	contains(f.msg, "sets go.goroot to /usr/local/Cellar/go/1.24.4/libexec, which does not exist and names a Go version")
	f.vars.stable == `"go.goroot": "/usr/local/opt/go/libexec"`
}

test_fires_on_existing_pinned_paths if {
	snap := with_paths("go.goroot", [path("/snap/go/8627", "/snap/go/8627", true, 2)])
	some f in rule.deny with input as snap
	f.vars.stable == `"go.goroot": "/snap/go/current"`
	tarball := with_paths("go.goroot", [path("/usr/local/go1.21.3", "/usr/local/go1.21.3", true, 2)])
	some g in rule.deny with input as tarball
	g.vars.stable == ""
	debian := with_paths("go.goroot", [path("/usr/lib/go-1.19", "/usr/lib/go-1.19", true, 2)])
	some h in rule.deny with input as debian
	h.vars.stable == `"go.goroot": "/usr/lib/go"`
}

test_fires_on_missing_alternate_tools if {
	inp := with_paths("go.alternateTools", [
		{"member": "gopls", "value": "gopls-nightly", "resolved": "gopls-nightly", "kind": "command", "exists": false, "line": 4},
		{"member": "go", "value": "~/sdk/go1.21.3/bin/go", "resolved": "/home/dev/sdk/go1.21.3/bin/go", "kind": "path", "exists": true, "line": 5},
	])
	findings := rule.deny with input as inp
	count(findings) == 2
	some f in findings
	f.location.line == 4
	contains(f.msg, "sets go.alternateTools.gopls to gopls-nightly, which is not found on PATH")
	some g in findings
	contains(g.msg, "go.alternateTools.go to ~/sdk/go1.21.3/bin/go (/home/dev/sdk/go1.21.3/bin/go), which names a Go version")
}

test_quiet_on_stable_existing_or_unresolved_paths if {
	ok := with_paths("go.gopath", [path("/home/dev/go", "/home/dev/go", true, 2), path("/opt/homebrew/opt/go/libexec", "/opt/homebrew/opt/go/libexec", true, 2)])
	count(rule.deny) == 0 with input as ok
	unresolved := with_paths("go.gopath", [path("${workspaceFolder}/.gopath", null, false, 2)])
	count(rule.deny) == 0 with input as unresolved
	not_a_version := with_paths("go.gopath", [path("/home/dev/go-projects", "/home/dev/go-projects", true, 2)])
	count(rule.deny) == 0 with input as not_a_version
}
