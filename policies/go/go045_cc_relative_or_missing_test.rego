package envgate.go.go045_cc_relative_or_missing_test

import data.envgate.go.go045_cc_relative_or_missing as rule
import rego.v1

with_cmd(name, value, found) := {
	"host": {"home": "/home/dev"},
	"go": {
		"env": {name: {"value": value, "source": "goenv", "file": "/home/dev/.config/go/env", "line": 3}},
		"commands": {name: {"command": value, "source": "goenv", "found": found}},
	},
}

test_fires_on_a_relative_cc if {
	findings := rule.deny with input as with_cmd("CC", "./bin/gcc -m64", "/src/bin/gcc")
	count(findings) == 1
	some f in findings
	f.subject == "go.env.CC"
	contains(f.msg, "CC=./bin/gcc -m64 (set in /home/dev/.config/go/env:3) is a relative path (./bin/gcc)")
	f.vars.fix == "go env -w CC='gcc'"
	f.vars.unset == "go env -u CC"
}

test_fires_on_bin_slash_and_tilde if {
	count(rule.deny) == 1 with input as with_cmd("CC", "bin/gcc", null)
	count(rule.deny) == 1 with input as with_cmd("CXX", "~/bin/g++", null)
}

test_fires_on_a_missing_absolute_cxx if {
	some f in rule.deny with input as with_cmd("CXX", "/opt/llvm-17/bin/clang++", null)
	contains(f.msg, "names /opt/llvm-17/bin/clang++, which does not exist or is not executable")
}

test_fires_on_a_bare_name_not_on_path if {
	some f in rule.deny with input as with_cmd("CC", "clang", null)
	contains(f.msg, "names clang, which is not on PATH")
}

test_leaves_missing_cc_with_cgo_enabled_to_go042 if {
	inp := object.union(with_cmd("CC", "clang", null), {"go": {"env": {"CGO_ENABLED": {"value": "1", "source": "env", "file": null, "line": null}}}})
	count(rule.deny) == 0 with input as inp
	rel := object.union(with_cmd("CC", "bin/cc", null), {"go": {"env": {"CGO_ENABLED": {"value": "1", "source": "env", "file": null, "line": null}}}})
	count(rule.deny) == 1 with input as rel
}

test_quiet_for_found_commands_and_defaults if {
	count(rule.deny) == 0 with input as with_cmd("CC", "gcc", "/usr/bin/gcc")
	count(rule.deny) == 0 with input as with_cmd("CC", "/usr/bin/clang -fcolor-diagnostics", "/usr/bin/clang")
	count(rule.deny) == 0 with input as {"go": {"env": {}, "commands": {"CC": {"command": "gcc", "source": "default", "found": null}}}}
}

windows_cmd(name, value, found) := {
	"host": {"home": `C:\Users\dev`, "os": "windows", "arch": "amd64"},
	"go": {
		"env": {name: {"value": value, "source": "env", "file": sprintf(`HKCU\Environment\%s`, [name])}},
		"commands": {name: {"command": value, "source": "env", "found": found}},
	},
}

test_windows_relative_cc_fires_at_the_registry_value if {
	some f in rule.deny with input as windows_cmd("CC", `tools\gcc.exe`, null)
	f.msg == `CC=tools\gcc.exe (set in HKCU\Environment\CC) is a relative path (tools\gcc.exe), which the go command resolves from each package's directory, so cgo cannot run it`
	f.vars.fix == "[Environment]::SetEnvironmentVariable('CC', 'gcc.exe', 'User')"
	f.vars.unset == "[Environment]::SetEnvironmentVariable('CC', $null, 'User')"
}

test_windows_missing_absolute_cc_fires if {
	some f in rule.deny with input as windows_cmd("CC", `C:\msys64\mingw64\bin\gcc.exe`, null)
	contains(f.msg, `names C:\msys64\mingw64\bin\gcc.exe, which does not exist or is not executable`)
	some g in rule.deny with input as windows_cmd("CXX", "clang++", null)
	contains(g.msg, "names clang++, which is not on PATH")
}

test_windows_absolute_and_found_cc_is_quiet if {
	count(rule.deny) == 0 with input as windows_cmd("CC", `C:\msys64\ucrt64\bin\gcc.exe`, `C:\msys64\ucrt64\bin\gcc.exe`)
	count(rule.deny) == 0 with input as windows_cmd("CC", "C:/msys64/ucrt64/bin/gcc", `C:/msys64/ucrt64/bin/gcc.exe`)
	count(rule.deny) == 0 with input as windows_cmd("CC", "gcc", `C:\msys64\ucrt64\bin\gcc.exe`)
}

test_a_quoted_program_with_spaces_is_one_program if {
	linux := object.union(with_cmd("CC", "'/opt/my tools/gcc' -O2", "/opt/my tools/gcc"), {"go": {"commands": {"CC": {"args": ["/opt/my tools/gcc", "-O2"]}}}})
	count(rule.deny) == 0 with input as linux
	win := `"C:\Program Files\LLVM\bin\clang.exe" -O2`
	found := object.union(windows_cmd("CC", win, `C:\Program Files\LLVM\bin\clang.exe`), {"go": {"commands": {"CC": {"args": [`C:\Program Files\LLVM\bin\clang.exe`, "-O2"]}}}})
	count(rule.deny) == 0 with input as found
	missing := object.union(windows_cmd("CC", win, null), {"go": {"commands": {"CC": {"args": [`C:\Program Files\LLVM\bin\clang.exe`, "-O2"]}}}})
	some f in rule.deny with input as missing
	contains(f.msg, `names C:\Program Files\LLVM\bin\clang.exe, which does not exist or is not executable`)
	f.vars.program == `C:\Program Files\LLVM\bin\clang.exe`
}

unclosed(name) := object.union(windows_cmd(name, `"C:\Program Files\LLVM\bin\clang.exe -O2`, null), {"go": {"commands": {name: {"split_error": `unterminated " string`}}}})

test_an_unclosed_quote_stops_every_build_even_with_cgo_enabled if {
	findings := rule.deny with input as unclosed("CC")
	count(findings) == 1
	some f in findings
	f.msg == concat("", [`CC="C:\Program Files\LLVM\bin\clang.exe -O2 (set in HKCU\Environment\CC) cannot be split into a program and its arguments (unterminated " string), so go build, go test and go install stop with `, "`go: CC environment variable could not be parsed: unterminated \" string`"])
	f.vars.split_error == `unterminated " string`
	f.vars.unset == "[Environment]::SetEnvironmentVariable('CC', $null, 'User')"
	cgo := object.union(unclosed("CC"), {"go": {"env": {"CGO_ENABLED": {"value": "1", "source": "env", "file": null, "line": null}}}})
	count(rule.deny) == 1 with input as cgo
	count(rule.deny) == 1 with input as unclosed("CXX")
}
