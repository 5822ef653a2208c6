package envgate.go.go007_toolchain_wrong_arch_test

import data.envgate.go.go007_toolchain_wrong_arch as rule
import rego.v1

toolchain(os, arch) := {
	"goroot": "/usr/local/go",
	"go_binary": "/usr/local/go/bin/go",
	"path_index": 2,
	"binary_os": os,
	"binary_arch": arch,
}

inp(host_os, host_arch, t) := {
	"host": {"home": "/home/dev", "os": host_os, "arch": host_arch},
	"go": {"toolchains": [t]},
}

test_fires_for_arm64_go_on_amd64 if {
	some finding in rule.deny with input as inp("linux", "amd64", toolchain("linux", "arm64"))
	finding.subject == "go.toolchains[0]"
	finding.vars.binary == "linux/arm64"
	contains(finding.msg, "/usr/local/go/bin/go (Go at /usr/local/go, PATH entry 2 reaches it) is built for linux/arm64 but this machine is linux/amd64")
	contains(finding.msg, "exec format error")
	contains(finding.vars.fix, "go*.linux-amd64.tar.gz")
}

test_386_on_amd64_runs_but_builds_386 if {
	some finding in rule.deny with input as inp("linux", "amd64", toolchain("linux", "386"))
	contains(finding.msg, "it runs, but builds 386 programs by default")
}

test_rosetta_on_apple_silicon if {
	some finding in rule.deny with input as inp("darwin", "arm64", toolchain("darwin", "amd64"))
	contains(finding.msg, "Rosetta 2")
}

test_quiet_when_arch_matches if {
	count(rule.deny) == 0 with input as inp("linux", "amd64", toolchain("linux", "amd64"))
}

test_quiet_for_unknown_host_or_headerless_toolchains if {
	count(rule.deny) == 0 with input as inp("linux", "unknown", toolchain("linux", "arm64"))
	count(rule.deny) == 0 with input as inp("linux", "amd64", toolchain(null, null))
}
