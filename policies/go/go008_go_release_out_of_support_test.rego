package envgate.go.go008_go_release_out_of_support_test

import data.envgate.go.go008_go_release_out_of_support as rule
import rego.v1

policy := {"supported_go": ["1.27", "1.26"], "supported_go_as_of": "2026-11-23"}

inp(version, goroot) := {
	"host": {"home": "/home/dev", "login_shell": "/bin/bash", "os": "linux", "arch": "amd64"},
	"go": {"toolchains": [{"goroot": goroot, "version": version}], "active": 0},
}

test_fires_for_debian_go_1_19 if {
	some finding in rule.deny with input as inp("go1.19.8", "/usr/lib/go-1.19") with data.pack_data.go as policy
	finding.vars.newest == "1.27"
	finding.vars.package == "golang-1.19-go"
	finding.msg == "the go on PATH is go1.19.8 (/usr/lib/go-1.19), which no longer gets security fixes: the Go team supports only the two newest releases, 1.27 and 1.26 (as of 2026-11-23)"
}

test_fires_just_below_the_oldest_supported if {
	some finding in rule.deny with input as inp("go1.25.9", "/usr/local/go") with data.pack_data.go as policy
	finding.vars.package == ""
}

test_quiet_for_supported_releases if {
	count(rule.deny) == 0 with input as inp("go1.26.0", "/usr/local/go") with data.pack_data.go as policy
	count(rule.deny) == 0 with input as inp("go1.27.3", "/usr/local/go") with data.pack_data.go as policy
}

test_quiet_for_unknown_versions if {
	count(rule.deny) == 0 with input as inp(null, "/snap/go/current") with data.pack_data.go as policy
	count(rule.deny) == 0 with input as inp("devel go1.28-abc", "/home/dev/src/go") with data.pack_data.go as policy
}

test_shipped_data_names_two_releases if {
	count(data.pack_data.go.supported_go) == 2
}
