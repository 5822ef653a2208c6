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
	finding.msg == "/home/dev/go/bin/gopls (gopls, from the go install directory) was built with go1.21.5, older than the go 1.22.0 that /home/dev/src/app/go.mod requires, so gopls may not understand the module's newer language features"
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

releases := [
	{"version": "v0.24.0", "min_go": "1.27.0"},
	{"version": "v0.23.0", "min_go": "1.26.0"},
	{"version": "v0.17.1", "min_go": "1.23.1"},
	{"version": "v0.16.2", "min_go": "1.19"},
	{"version": "v0.15.3", "min_go": "1.18"},
]

# The Debian gopls on a machine whose go is `local`, with GOTOOLCHAIN `gotoolchain`.
with_local_go(local, gotoolchain) := object.union(inp(object.union(gopls, {"module": null}), "1.19"), {"go": {
	"toolchains": [{"goroot": "/usr/lib/go-1.19", "version": local}],
	"active": 0,
	"env": {"GOTOOLCHAIN": {"value": gotoolchain, "source": "env"}},
}})

advice(local, gotoolchain) := f.vars if {
	findings := rule.deny with input as with_local_go(local, gotoolchain) with data.pack_data.go.gopls_releases as releases
	count(findings) == 1
	some f in findings
}

test_go_1_19_is_told_the_newest_gopls_it_can_build if {
	vars := advice("go1.19.8", "")
	vars.install == "go install golang.org/x/tools/gopls@v0.16.2"
	vars.pinned == "v0.16.2"
	vars.next_min_go == "1.23.1"
	vars.local == "go1.19.8"
}

test_go_1_21_fetches_what_latest_needs_unless_gotoolchain_forbids_it if {
	advice("go1.21.5", "auto").install == "go install golang.org/x/tools/gopls@latest"
	advice("go1.21.5", "").pinned == null
	advice("go1.21.5", "local").install == "go install golang.org/x/tools/gopls@v0.16.2"
	advice("go1.23.4", "path").install == "go install golang.org/x/tools/gopls@v0.17.1"
}

test_latest_when_the_local_go_builds_the_newest_release if {
	advice("go1.27.3", "local").install == "go install golang.org/x/tools/gopls@latest"
}

test_no_command_when_no_release_builds_with_the_local_go if {
	vars := advice("go1.17.13", "")
	vars.install == ""
	vars.oldest_min_go == "1.18"
}

test_other_tools_keep_latest if {
	dlv := object.union(gopls, {"name": "dlv", "path": "/home/dev/go/bin/dlv", "module": null})
	inp2 := object.union(with_local_go("go1.19.8", ""), {"go": {"tool_binaries": [dlv]}})
	some f in rule.deny with input as inp2 with data.pack_data.go.gopls_releases as releases
	f.vars.install == "go install github.com/go-delve/delve/cmd/dlv@latest"
	f.vars.pinned == null
}

test_says_when_only_a_newer_go_can_build_a_gopls_for_the_module if {
	advice("go1.19.8", "").needs_newer_go == false
	inp := object.union(with_local_go("go1.19.8", ""), {"workspace": {"go_mod": {"file": "/m/go.mod", "go": {"value": "1.22", "line": 3}}}})
	some f in rule.deny with input as inp with data.pack_data.go.gopls_releases as releases
	f.vars.needs_newer_go == true
}
