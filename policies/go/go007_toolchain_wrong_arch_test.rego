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

windows_toolchain(arch) := {
	"goroot": `C:\Program Files\Go`,
	"go_binary": `C:\Program Files\Go\bin\go.exe`,
	"path_index": 0,
	"binary_os": "windows",
	"binary_arch": arch,
	"found_by": ["path"],
}

test_windows_arm64_go_on_amd64_is_reinstalled_with_winget if {
	some finding in rule.deny with input as inp("windows", "amd64", windows_toolchain("arm64"))
	contains(finding.msg, `C:\Program Files\Go\bin\go.exe (Go at C:\Program Files\Go, PATH entry 0 reaches it) is built for windows/arm64 but this machine is windows/amd64: Windows cannot start it`)
	not contains(finding.msg, "exec format error")
	startswith(finding.vars.fix, `winget uninstall --id GoLang.Go --exact; Remove-Item -Recurse -Force 'C:\Program Files\Go'; winget install --id GoLang.Go --exact`)
	contains(finding.vars.fix, "windows-amd64 .msi")
}

test_windows_on_arm_emulates_amd64_and_386 if {
	some amd64 in rule.deny with input as inp("windows", "arm64", windows_toolchain("amd64"))
	contains(amd64.msg, "it runs only under Windows on Arm's emulation (an amd64 program needs Windows 11): slowly, building amd64 programs by default")
	some x86 in rule.deny with input as inp("windows", "arm64", windows_toolchain("386"))
	contains(x86.msg, "building 386 programs by default")
	# WOW64 runs 386 Go on amd64 Windows.
	some wow in rule.deny with input as inp("windows", "amd64", windows_toolchain("386"))
	contains(wow.msg, "it runs, but builds 386 programs by default")
	count(rule.deny) == 0 with input as inp("windows", "amd64", windows_toolchain("amd64"))
}
