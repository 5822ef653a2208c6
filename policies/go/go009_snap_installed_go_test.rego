package envgate.go.go009_snap_installed_go_test

import data.envgate.go.go009_snap_installed_go as rule
import rego.v1

snap := {
	"goroot": "/snap/go/10535",
	"version": null,
	"snap": true,
	"path_index": 1,
	"snap_install": {"command": "/snap/bin/go", "command_exists": true, "revision": "10535", "mounted": false, "packages": ["go_10535.snap"]},
}

inp(t) := {
	"host": {"home": "/home/dev", "login_shell": "/bin/bash"},
	"path": {"entries": [{"index": 0, "raw": "/usr/bin"}, {"index": 1, "raw": "/snap/bin"}]},
	"go": {"toolchains": [t]},
}

test_fires_with_unknown_version_offline if {
	some finding in rule.deny with input as inp(snap)
	finding.subject == "go.toolchains[0]"
	contains(finding.msg, "(snap Go, version unknown offline, revision 10535, GOROOT /snap/go/10535; PATH entry 1 (/snap/bin) runs it through /snap/bin/go -> /usr/bin/snap)")
	finding.vars.profile == "/home/dev/.profile"
}

test_names_the_mounted_version if {
	some finding in rule.deny with input as inp(object.union(snap, {"version": "go1.27.1", "path_index": null}))
	contains(finding.msg, "(snap Go go1.27.1, revision 10535, GOROOT /snap/go/10535; not on PATH)")
}

test_quiet_for_a_tarball_install if {
	count(rule.deny) == 0 with input as inp({"goroot": "/usr/local/go", "version": "go1.27.1", "snap": false, "snap_install": null, "path_index": 1})
}
