package envgate.go.go044_cross_compile_with_host_cc_test

import data.envgate.go.go044_cross_compile_with_host_cc as rule
import rego.v1

setting(value) := {"value": value, "source": "env", "file": "/etc/environment", "line": 1}

base := {
	"host": {"os": "linux", "arch": "amd64", "home": "/home/dev"},
	"env": {},
	"env_origin": {},
	"go": {
		"env": {"GOARCH": setting("arm64"), "CGO_ENABLED": setting("1")},
		"commands": {"CC": {"command": "gcc", "source": "default", "found": "/usr/bin/gcc"}},
	},
}

with_cc(command) := object.union(base, {"go": {
	"env": {"CC": setting(command)},
	"commands": {"CC": {"command": command, "source": "env", "found": "/usr/bin/x"}},
}})

test_fires_with_the_host_gcc if {
	findings := rule.deny with input as base
	count(findings) == 1
	some f in findings
	f.subject == "go.env.GOARCH"
	contains(f.msg, "GOOS/GOARCH=linux/arm64 (the host is linux/amd64) with CGO_ENABLED=1 in /etc/environment:1, but CC=gcc (by default) is not a cross compiler for linux/arm64")
	f.vars.package == "gcc-aarch64-linux-gnu"
	f.vars.set_cc == "go env -w CC='aarch64-linux-gnu-gcc'"
}

test_fires_with_a_compiler_for_the_wrong_target if {
	some f in rule.deny with input as with_cc("x86_64-linux-gnu-gcc")
	f.subject == "go.env.CC"
	contains(f.msg, "(it targets x86_64-linux-gnu)")
}

test_explains_that_cc_for_is_not_read_at_build_time if {
	inp := object.union(base, {"env": {"CC_FOR_linux_arm64": "aarch64-linux-gnu-gcc"}})
	some f in rule.deny with input as inp
	contains(f.msg, "CC_FOR_linux_arm64 is set, but only make.bash reads it")
}

test_quiet_with_cross_compilers if {
	count(rule.deny) == 0 with input as with_cc("aarch64-linux-gnu-gcc")
	count(rule.deny) == 0 with input as with_cc("/usr/bin/aarch64-linux-gnu-gcc-12 -O2")
	count(rule.deny) == 0 with input as with_cc("zig cc -target aarch64-linux-musl")
	count(rule.deny) == 0 with input as with_cc("clang --target=aarch64-linux-gnu")
}

test_windows_needs_a_windows_compiler if {
	win := object.union(with_cc("x86_64-linux-gnu-gcc"), {"go": {"env": {"GOOS": setting("windows"), "GOARCH": setting("amd64")}}})
	count(rule.deny) == 1 with input as win
	mingw := object.union(with_cc("x86_64-w64-mingw32-gcc"), {"go": {"env": {"GOOS": setting("windows"), "GOARCH": setting("amd64")}}})
	count(rule.deny) == 0 with input as mingw
}

test_quiet_without_cross_compiling_or_explicit_cgo if {
	native := object.union(base, {"go": {"env": {"GOARCH": setting("amd64")}}})
	count(rule.deny) == 0 with input as native
	m32 := object.union(base, {"go": {"env": {"GOARCH": setting("386")}}})
	count(rule.deny) == 0 with input as m32
	no_cgo := {"host": base.host, "env": {}, "go": {"env": {"GOARCH": setting("arm64")}, "commands": base.go.commands}}
	count(rule.deny) == 0 with input as no_cgo
}

test_fires_on_host_pkg_config_dirs if {
	inp := object.union(with_cc("aarch64-linux-gnu-gcc"), {
		"env": {"PKG_CONFIG_PATH": "/opt/arm/lib/pkgconfig:/usr/lib/x86_64-linux-gnu/pkgconfig", "PKG_CONFIG_SYSROOT_DIR": "/"},
		"env_origin": {"PKG_CONFIG_SYSROOT_DIR": {"file": "/etc/environment", "line": 4}},
	})
	findings := rule.deny with input as inp
	count(findings) == 1
	some f in findings
	f.subject == "env.PKG_CONFIG_SYSROOT_DIR"
	f.vars.host_dirs == ["/usr/lib/x86_64-linux-gnu/pkgconfig"]
	contains(f.msg, "pkg-config is pointed at the host (PKG_CONFIG_SYSROOT_DIR=/ (the host's root); PKG_CONFIG_PATH entry /usr/lib/x86_64-linux-gnu/pkgconfig)")
}

test_quiet_on_target_pkg_config_dirs if {
	inp := object.union(with_cc("aarch64-linux-gnu-gcc"), {"env": {"PKG_CONFIG_LIBDIR": "/usr/lib/aarch64-linux-gnu/pkgconfig", "PKG_CONFIG_SYSROOT_DIR": "/srv/sysroot"}})
	count(rule.deny) == 0 with input as inp
}

windows_cross := {
	"host": {"home": `C:\Users\dev`, "os": "windows", "arch": "amd64"},
	"env": {},
	"go": {
		"env": {
			"GOOS": {"value": "linux", "source": "env", "file": `HKCU\Environment\GOOS`},
			"GOARCH": {"value": "arm64", "source": "env", "file": `HKCU\Environment\GOARCH`},
			"CGO_ENABLED": {"value": "1", "source": "env", "file": `HKCU\Environment\CGO_ENABLED`},
		},
		"commands": {"CC": {"command": "gcc", "source": "default", "found": `C:\msys64\ucrt64\bin\gcc.exe`}},
	},
}

test_windows_cross_compiling_with_msys2_gcc_fires if {
	some f in rule.deny with input as windows_cross
	f.subject == "go.env.GOARCH"
	startswith(f.msg, `GOOS/GOARCH=linux/arm64 (the host is windows/amd64) with CGO_ENABLED=1 in HKCU\Environment\CGO_ENABLED, but CC=gcc (by default) is not a cross compiler for linux/arm64`)
	f.vars.zig_target == "aarch64-linux-gnu"
	f.vars.fix == "[Environment]::SetEnvironmentVariable('CGO_ENABLED', '0', 'User')"
}

test_windows_zig_with_a_target_is_quiet if {
	inp := object.union(windows_cross, {"go": {
		"env": {"CC": {"value": "zig cc -target aarch64-linux-gnu", "source": "env", "file": `HKCU\Environment\CC`}},
		"commands": {"CC": {"command": "zig cc -target aarch64-linux-gnu", "source": "env", "found": `C:\tools\zig\zig.exe`}},
	}})
	count(rule.deny) == 0 with input as inp
}

test_a_quoted_cross_compiler_with_spaces_is_one_program if {
	command := `"/opt/cross tools/bin/aarch64-linux-gnu-gcc" -O2`
	quoted := object.union(with_cc(command), {"go": {"commands": {"CC": {"args": ["/opt/cross tools/bin/aarch64-linux-gnu-gcc", "-O2"]}}}})
	count(rule.deny) == 0 with input as quoted
	# Split at the space it would be `"/opt/cross`, no cross compiler.
	count(rule.deny) == 1 with input as with_cc(command)
	unclosed := object.union(with_cc(`"/opt/cross tools/bin/gcc`), {"go": {"commands": {"CC": {"split_error": `unterminated " string`}}}})
	count(rule.deny) == 0 with input as unclosed
}

windows_cc(path) := object.union(windows_cross, {"go": {
	"env": {"CC": {"value": path, "source": "env", "file": `HKCU\Environment\CC`}},
	"commands": {"CC": {"command": path, "source": "env", "args": [path], "found": path}},
}})

test_windows_a_cross_compiler_named_by_its_windows_path_is_quiet if {
	count(rule.deny) == 0 with input as windows_cc(`C:\tools\aarch64-linux-gnu-gcc.exe`)
	count(rule.deny) == 0 with input as windows_cc(`C:\Program Files\cross\bin\AARCH64-LINUX-GNU-GCC.EXE`)
	count(rule.deny) == 0 with input as windows_cc(`C:/tools/aarch64-linux-gnu-gcc-13.exe`)
}

test_windows_a_path_to_a_compiler_for_another_target_fires if {
	some f in rule.deny with input as windows_cc(`C:\msys64\ucrt64\bin\x86_64-w64-mingw32-gcc.exe`)
	f.subject == "go.env.CC"
	contains(f.msg, `but CC=C:\msys64\ucrt64\bin\x86_64-w64-mingw32-gcc.exe (in HKCU\Environment\CC) is not a cross compiler for linux/arm64 (it targets x86_64-w64-mingw32)`)
	count(rule.deny) == 1 with input as windows_cc(`C:\msys64\ucrt64\bin\gcc.exe`)
}

test_a_windows_cross_compiler_run_from_wsl_is_quiet if {
	count(rule.deny) == 0 with input as with_cc("/mnt/c/tools/aarch64-linux-gnu-gcc.exe")
}

