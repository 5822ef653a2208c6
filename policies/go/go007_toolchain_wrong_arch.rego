# METADATA
# title: Go toolchain built for another CPU or OS
# description: |
#   Reads the executable header of each toolchain's `go` (ELF `e_machine`, Mach-O
#   `cputype`, PE machine) and compares it with this machine (in an image: the header of
#   its `/bin/sh`). A toolchain for another CPU does not run at all (`exec format
#   error`), runs slowly under an emulator, or runs but builds programs for its own
#   architecture by default; on an Apple-silicon Mac an amd64 Go runs under Rosetta 2,
#   where Delve refuses to debug ("can not run under Rosetta").
#   Decision: every toolchain envgate found is judged (on PATH or in a known install
#   place, since a version manager or GOROOT can pick any of them); shims, scripts and
#   unmounted snaps carry no header and are skipped, as is a machine whose own
#   architecture is unknown. The message says which case applies: amd64 machines run
#   386 programs and arm64 Linux machines usually run 32-bit arm ones, so those run but
#   build for the other architecture by default. On a Windows volume (the machine's
#   architecture is its kernel's, `ntoskrnl.exe`) an arm64 machine runs 386 and amd64
#   programs under emulation, anything else for another CPU does not start, and the fix
#   reinstalls Go the way it was installed (winget or the MSI, Chocolatey, Scoop,
#   `goX.Y.Z download`, or the zip).
# related_resources:
#   - ref: https://github.com/golang/vscode-go/issues/1669
#   - ref: https://go.dev/dl/
# custom:
#   id: GO007
#   severity: error
#   since: 1.0.0
#   category: Toolchain
#   remediation: |
#     Install the {{ host.os }}/{{ host.arch }} build of Go in place of {{ vars.goroot }}:
#       {{ vars.fix }}
package envgate.go.go007_toolchain_wrong_arch

import data.envgate.go.lib
import rego.v1

# A machine of the key's architecture runs programs of these natively.
runs_natively := {"amd64": {"386"}, "arm64": {"arm"}}

effect(t) := sprintf("it runs, but builds %s programs by default (GOARCH=%s)", [t.binary_arch, t.binary_arch]) if {
	t.binary_os == input.host.os
	t.binary_arch in object.get(runs_natively, input.host.arch, set())
} else := "it runs only under Rosetta 2: slowly, building amd64 programs by default, and Delve refuses to debug (`can not run under Rosetta`)" if {
	input.host.os == "darwin"
	t.binary_os == "darwin"
	input.host.arch == "arm64"
	t.binary_arch == "amd64"
} else := sprintf("it runs only under Windows on Arm's emulation (an amd64 program needs Windows 11): slowly, building %s programs by default", [t.binary_arch]) if {
	lib.windows
	t.binary_os == "windows"
	input.host.arch == "arm64"
	t.binary_arch in {"amd64", "386"}
} else := "Windows cannot start it (a program for another CPU or system), so every go command fails" if {
	lib.windows
} else := "it cannot run here (`exec format error`), or only under an emulator, slowly, building programs for the wrong machine"

where(t) := sprintf("PATH entry %d reaches it", [t.path_index]) if is_number(t.path_index) else := "it is not on PATH"

deny contains finding if {
	some i, t in input.go.toolchains
	is_string(t.binary_arch)
	is_string(t.binary_os)
	input.host.arch != "unknown"
	sprintf("%s/%s", [t.binary_os, t.binary_arch]) != sprintf("%s/%s", [input.host.os, input.host.arch])
	finding := {
		"msg": sprintf("%s (Go at %s, %s) is built for %s/%s but this machine is %s/%s: %s", [
			t.go_binary, t.goroot, where(t), t.binary_os, t.binary_arch,
			input.host.os, input.host.arch, effect(t),
		]),
		"subject": sprintf("go.toolchains[%d]", [i]),
		"vars": {
			"goroot": t.goroot,
			"binary": sprintf("%s/%s", [t.binary_os, t.binary_arch]),
			"fix": lib.reinstall_fix(t.goroot),
		},
	}
}
