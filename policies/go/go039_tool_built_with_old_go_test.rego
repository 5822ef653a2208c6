package envgate.go.go039_tool_built_with_old_go_test

import data.envgate.go.go039_tool_built_with_old_go as rule
import rego.v1

gopls := {
	"name": "gopls", "path": "/home/dev/go/bin/gopls", "realpath": "/home/dev/go/bin/gopls",
	"in_tools_dir": true, "path_index": null, "path_winner": false,
	"go_version": "go1.21.5", "package": "golang.org/x/tools/gopls",
	"module": "golang.org/x/tools/gopls", "module_version": "v0.14.2",
}

inp(b, go_line) := {
	"workspace": {"go_mod": {"file": "/home/dev/src/app/go.mod", "go": {"value": go_line, "line": 3}}},
	"go": {"tool_binaries": [b]},
}

test_fires_for_gopls_older_than_go_mod if {
	some finding in rule.deny with input as inp(gopls, "1.22.0")
	finding.subject == "go.tool_binaries[0]"
	finding.vars.install == "go install golang.org/x/tools/gopls@latest"
	finding.vars.system_copy == false
	finding.msg == "/home/dev/go/bin/gopls (gopls, from the go install directory) was built with go1.21.5, older than the go 1.22.0 that /home/dev/src/app/go.mod requires, so gopls fails on the module (`invalid Go version`)"
}

test_fires_for_debian_gopls_without_module_info if {
	debian := object.union(gopls, {
		"path": "/usr/bin/gopls", "in_tools_dir": false, "path_index": 3, "path_winner": true,
		"go_version": "go1.19.5", "package": "golang.org/x/tools/gopls", "module": null, "module_version": null,
	})
	some finding in rule.deny with input as inp(debian, "1.19")
	finding.vars.system_copy == true
	contains(finding.msg, "/usr/bin/gopls (gopls, from PATH entry 3) was built without module information (by go1.19.5)")
}

test_both_reasons_in_one_finding if {
	old := object.union(gopls, {"module": null})
	findings := rule.deny with input as inp(old, "1.22")
	count(findings) == 1
	some finding in findings
	contains(finding.msg, "; and it was built without module information")
}

test_quiet_when_built_with_new_enough_go if {
	count(rule.deny) == 0 with input as inp(gopls, "1.21")
	count(rule.deny) == 0 with input as {"go": {"tool_binaries": [gopls]}}
}

test_quiet_for_shadowed_copies_and_scripts if {
	shadowed := object.union(gopls, {"in_tools_dir": false, "path_index": 5, "path_winner": false})
	count(rule.deny) == 0 with input as inp(shadowed, "1.23")
	script := object.union(gopls, {"go_version": null})
	count(rule.deny) == 0 with input as inp(script, "1.23")
}

test_names_the_path_entry_by_its_directory_too if {
	debian := object.union(gopls, {
		"path": "/usr/bin/gopls", "in_tools_dir": false, "path_index": 1, "path_winner": true,
		"go_version": "go1.19.5", "package": "golang.org/x/tools/gopls", "module": null, "module_version": null,
	})
	entries := {"path": {"entries": [{"raw": "/usr/local/bin"}, {"raw": "/usr/bin"}]}}
	some finding in rule.deny with input as object.union(inp(debian, "1.19"), entries)
	contains(finding.msg, "/usr/bin/gopls (gopls, from PATH entry 1, /usr/bin) was built without module information")
}
