package envgate.go.go042_cgo_enabled_without_compiler_test

import data.envgate.go.go042_cgo_enabled_without_compiler as rule
import rego.v1

base := {
	"host": {"home": "/home/dev"},
	"go": {
		"env": {"CGO_ENABLED": {"value": "1", "source": "env", "file": "/etc/environment", "line": 2}},
		"commands": {"CC": {"command": "gcc", "source": "default", "found": null}},
	},
}

test_fires_without_gcc if {
	some finding in rule.deny with input as base
	finding.subject == "go.env.CGO_ENABLED"
	finding.vars.cc == "gcc"
	finding.vars.fix == `sudo sed -i '/^\s*\(export \)\?CGO_ENABLED=/c CGO_ENABLED=0' /etc/environment`
	contains(finding.msg, "CGO_ENABLED=1 is set in /etc/environment:2 but the C compiler gcc is not installed")
}

test_names_a_configured_cc if {
	inp := object.union(base, {"go": {
		"env": {
			"CGO_ENABLED": {"value": "1", "source": "goenv", "file": "/home/dev/.config/go/env", "line": 1},
			"CC": {"value": "clang", "source": "goenv", "file": "/home/dev/.config/go/env", "line": 2},
		},
		"commands": {"CC": {"command": "clang", "source": "goenv", "found": null}},
	}})
	some finding in rule.deny with input as inp
	finding.vars.fix == "go env -w CGO_ENABLED='0'"
	contains(finding.msg, "the C compiler clang (from CC, set in /home/dev/.config/go/env:2) is not installed")
}

test_quiet_when_compiler_found if {
	inp := object.union(base, {"go": {"commands": {"CC": {"command": "gcc", "source": "default", "found": "/usr/bin/gcc"}}}})
	count(rule.deny) == 0 with input as inp
}

test_quiet_when_cgo_enabled_is_not_explicit if {
	inp := {"host": base.host, "go": {"env": {}, "commands": base.go.commands}}
	count(rule.deny) == 0 with input as inp
}

test_quiet_when_cgo_disabled if {
	inp := object.union(base, {"go": {"env": {"CGO_ENABLED": {"value": "0", "source": "env", "file": "/etc/environment", "line": 2}}}})
	count(rule.deny) == 0 with input as inp
}

windows_base := {
	"host": {"home": `C:\Users\dev`, "os": "windows", "arch": "amd64"},
	"go": {
		"env": {"CGO_ENABLED": {"value": "1", "source": "env", "file": `HKCU\Environment\CGO_ENABLED`}},
		"commands": {"CC": {"command": "gcc", "source": "default", "found": null}},
	},
}

test_windows_fires_at_the_registry_value_with_a_powershell_fix if {
	some finding in rule.deny with input as windows_base
	finding.msg == concat("", [`CGO_ENABLED=1 is set in HKCU\Environment\CGO_ENABLED but the C compiler gcc is not installed or not on Path, so cgo builds fail with `, "`cgo: C compiler \"gcc\" not found`"])
	finding.vars.fix == "[Environment]::SetEnvironmentVariable('CGO_ENABLED', '0', 'User')"
}

test_windows_machine_value_needs_an_elevated_shell if {
	inp := object.union(windows_base, {"go": {"env": {"CGO_ENABLED": {"file": `HKLM\SYSTEM\CurrentControlSet\Control\Session Manager\Environment\CGO_ENABLED`}}}})
	some finding in rule.deny with input as inp
	finding.vars.fix == "[Environment]::SetEnvironmentVariable('CGO_ENABLED', '0', 'Machine')   # from an elevated PowerShell"
}

test_windows_quiet_with_gcc_exe_on_path if {
	inp := object.union(windows_base, {"go": {"commands": {"CC": {"found": `C:\msys64\ucrt64\bin\gcc.exe`}}}})
	count(rule.deny) == 0 with input as inp
}

test_quiet_when_cc_cannot_be_split_which_go045_reports if {
	inp := object.union(base, {"go": {
		"env": {"CC": {"value": `"/opt/my tools/gcc -O2`, "source": "env", "file": "/etc/environment", "line": 3}},
		"commands": {"CC": {"command": `"/opt/my tools/gcc -O2`, "source": "env", "split_error": `unterminated " string`, "found": null}},
	}})
	count(rule.deny) == 0 with input as inp
}

test_names_only_the_program_of_a_cc_with_flags if {
	inp := object.union(base, {"go": {
		"env": {"CC": {"value": "gcc -m32", "source": "env", "file": "/etc/environment", "line": 3}},
		"commands": {"CC": {"command": "gcc -m32", "source": "env", "args": ["gcc", "-m32"], "found": null}},
	}})
	some finding in rule.deny with input as inp
	finding.msg == concat("", ["CGO_ENABLED=1 is set in /etc/environment:2 but the C compiler gcc (from CC, set in /etc/environment:3) is not installed or not on PATH, so cgo builds fail with ", "`cgo: C compiler \"gcc\" not found`"])
	# The whole setting stays in the vars.
	finding.vars.cc == "gcc -m32"
}

test_windows_names_a_quoted_program_as_cgo_quotes_it if {
	command := `"C:\Program Files\LLVM\bin\clang.exe" -O2`
	inp := object.union(windows_base, {"go": {
		"env": {"CC": {"value": command, "source": "env", "file": `HKCU\Environment\CC`}},
		"commands": {"CC": {"command": command, "source": "env", "args": [`C:\Program Files\LLVM\bin\clang.exe`, "-O2"], "found": null}},
	}})
	some finding in rule.deny with input as inp
	finding.msg == concat("", [`CGO_ENABLED=1 is set in HKCU\Environment\CGO_ENABLED but the C compiler C:\Program Files\LLVM\bin\clang.exe (from CC, set in HKCU\Environment\CC) is not installed or not on Path, so cgo builds fail with `, "`cgo: C compiler ", `"C:\\Program Files\\LLVM\\bin\\clang.exe"`, " not found`"])
}

test_a_snapshot_without_args_names_the_first_word if {
	inp := object.union(base, {"go": {"commands": {"CC": {"command": "clang -O2", "source": "env", "found": null}}}})
	some finding in rule.deny with input as inp
	contains(finding.msg, "the C compiler clang (from CC) is not installed")
}
