package envgate.go.go001_go_not_on_path_test

import data.envgate.go.go001_go_not_on_path as rule
import rego.v1

toolchain(goroot, version) := {
	"goroot": goroot,
	"version": version,
	"path_index": null,
	"shim": false,
	"snap": false,
	"layout": {"bin_go": true},
}

base := {
	"host": {"home": "/home/dev", "login_shell": "/bin/bash"},
	"path": {"entries": [{"raw": "/usr/bin"}], "resolved": {}},
	"go": {"toolchains": [toolchain("/usr/local/go", "go1.22.1")], "active": null},
}

test_fires_when_installed_go_is_not_on_path if {
	some finding in rule.deny with input as base
	finding.vars.dir == "/usr/local/go/bin"
	finding.vars.profile == "/home/dev/.profile"
	contains(finding.msg, "/usr/local/go (go1.22.1)")
	finding.subject == "path"
}

test_suggests_the_newest_of_several_installs if {
	inp := object.union(base, {"go": {"toolchains": [
		toolchain("/home/dev/sdk/go1.23.4", "go1.23.4"),
		toolchain("/usr/local/go", "go1.22.1"),
		toolchain("/usr/lib/go-1.19", null),
	]}})
	some finding in rule.deny with input as inp
	finding.vars.dir == "/home/dev/sdk/go1.23.4/bin"
	contains(finding.msg, "/usr/lib/go-1.19, /usr/local/go (go1.22.1)")
}

test_says_go_is_not_installed_when_nothing_was_found if {
	inp := object.union(base, {"host": {"home": "/home/dev", "login_shell": "/usr/bin/zsh"}, "go": {"toolchains": []}})
	some finding in rule.deny with input as inp
	finding.vars.dir == ""
	finding.vars.profile == "/home/dev/.zprofile"
	contains(finding.msg, "no Go installation")
}

test_shims_and_empty_roots_do_not_count_as_installs if {
	shim := object.union(toolchain("/home/dev/.goenv", null), {"shim": true})
	empty := object.union(toolchain("/usr/local/go", null), {"layout": {"bin_go": false}})
	inp := object.union(base, {"go": {"toolchains": [shim, empty]}})
	some finding in rule.deny with input as inp
	finding.vars.installed == []
}

test_quiet_when_go_resolves if {
	inp := object.union(base, {"path": {"resolved": {"go": {"index": 0, "path": "/usr/bin/go", "realpath": "/usr/lib/go-1.19/bin/go"}}}})
	count(rule.deny) == 0 with input as inp
}

test_an_unmounted_snap_counts_as_installed if {
	snap := object.union(toolchain("/snap/go/10535", null), {"snap": true, "layout": {"bin_go": false}})
	inp := object.union(base, {"go": {"toolchains": [snap]}})
	some finding in rule.deny with input as inp
	finding.vars.dir == "/snap/bin"
	contains(finding.msg, "Go is installed at /snap/go/10535; add /snap/bin to PATH")
}
