package envgate.go.go002_several_toolchains_on_path_test

import data.envgate.go.go002_several_toolchains_on_path as rule
import rego.v1

toolchain(goroot, version, index) := {"goroot": goroot, "version": version, "path_index": index, "shim": false}

base := {
	"host": {"home": "/home/dev", "login_shell": "/bin/bash"},
	"path": {"entries": [{"raw": "/usr/local/bin"}, {"raw": "/usr/bin"}, {"raw": "/bin"}, {"raw": "/usr/local/go/bin"}]},
	"env_origin": {"PATH": {"file": "/etc/environment", "line": 1}},
	"go": {"toolchains": [
		toolchain("/usr/lib/go-1.19", "go1.19.8", 1),
		toolchain("/usr/local/go", "go1.22.1", 3),
	]},
}

test_fires_for_the_shadowed_toolchain if {
	findings := rule.deny with input as base
	count(findings) == 1
	some finding in findings
	finding.subject == "path.entries[3]"
	finding.vars.goroot == "/usr/local/go"
	finding.vars.winner_goroot == "/usr/lib/go-1.19"
	# The report places it through the subject: the line that added the entry, else
	# where PATH was last set.
	not finding.vars.file
	contains(finding.msg, "Go go1.22.1 at /usr/local/go, which is shadowed by Go go1.19.8 at /usr/lib/go-1.19")
}

test_one_finding_per_shadowed_toolchain if {
	inp := object.union(base, {"go": {"toolchains": [
		toolchain("/home/dev/sdk/go1.23.4", "go1.23.4", 0),
		toolchain("/usr/lib/go-1.19", "go1.19.8", 1),
		object.union(toolchain("/snap/go/current", null, 2), {"snap": true}),
		toolchain("/usr/local/go", "go1.22.1", 3),
	]}})
	findings := rule.deny with input as inp
	{f.subject | some f in findings} == {"path.entries[1]", "path.entries[2]", "path.entries[3]"}
	some f in findings
	f.subject == "path.entries[2]"
	contains(f.msg, "Go an unknown version at /snap/go/current")
}

test_quiet_with_one_toolchain_on_path if {
	inp := object.union(base, {"go": {"toolchains": [
		toolchain("/usr/lib/go-1.19", "go1.19.8", 1),
		toolchain("/usr/local/go", "go1.22.1", null),
	]}})
	count(rule.deny) == 0 with input as inp
}

test_shims_do_not_count if {
	shim := object.union(toolchain("/home/dev/.goenv", null, 0), {"shim": true})
	inp := object.union(base, {"go": {"toolchains": [shim, toolchain("/usr/lib/go-1.19", "go1.19.8", 1)]}})
	count(rule.deny) == 0 with input as inp
}
