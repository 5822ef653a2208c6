# METADATA
# title: Cross-compiling with cgo but the host's C compiler
# description: |
#   With GOOS/GOARCH set to another platform, cgo is off by default; CGO_ENABLED=1 turns
#   it back on, and cgo then compiles C with CC for the target. The host's gcc or clang
#   produces host objects, so the build fails (`gcc: error: unrecognized command-line
#   option '-marm'`, or a link error on the wrong architecture), or links host
#   libraries. pkg-config pointed at the host's .pc files hands the build host paths
#   the same way.
#   Decision: fires when GOOS or GOARCH is set explicitly to differ from the host,
#   CGO_ENABLED=1 is set explicitly, and CC is not a cross compiler for the target. A
#   cross compiler is one whose program name carries a target prefix whose architecture
#   (and operating system, when it names one) matches GOARCH/GOOS
#   (`aarch64-linux-gnu-gcc`, `x86_64-w64-mingw32-gcc`, `o64-clang` for darwin), or one
#   given `-target`/`--target=` (clang, `zig cc`). The name is the program's last path
#   element (after `/`, and on a Windows volume also after `\`) without `.exe` in any
#   case, so `C:\tools\aarch64-linux-gnu-gcc.exe` and WSL's
#   `/mnt/c/tools/aarch64-linux-gnu-gcc.exe` are cross compilers for linux/arm64.
#   linux/386 on a linux/amd64 host is not reported: cmd/go passes -m32 to the host
#   gcc. `CC_FOR_${GOOS}_${GOARCH}` is read by make.bash when Go itself is built, not by
#   the go command at build time, so setting it in the environment does not stop the
#   finding (the message says so). A second
#   finding reports, under the same conditions, PKG_CONFIG_SYSROOT_DIR=/ and
#   PKG_CONFIG_PATH or PKG_CONFIG_LIBDIR entries that are the host's own pkgconfig
#   directories (/usr/lib/pkgconfig, /usr/lib64/pkgconfig, /usr/local/lib/pkgconfig, or
#   the host's multiarch directory such as /usr/lib/x86_64-linux-gnu/pkgconfig).
#   A Windows volume is judged the same way for the C compiler (its host is the
#   toolchain's windows/<arch>; MSYS2's gcc targets Windows only), and the fix names
#   a cross compiler Windows can run (zig cc -target).
# related_resources:
#   - ref: https://pkg.go.dev/cmd/cgo
#   - ref: https://go.dev/doc/install/source#environment
# custom:
#   id: GO044
#   severity: error
#   since: 1.0.0
#   category: cgo
#   systems: [linux, darwin, windows]
#   remediation: |
#     {% if vars.kind == "cc" and host.os == "windows" %}Give cgo a C compiler for {{ vars.target }}, e.g. zig's (winget install zig.zig), for this terminal (PowerShell):
#       $env:CC = 'zig cc -target {{ vars.zig_target }}'
#     or, if the build does not need cgo, cross-compile without it:
#       {{ vars.fix }}{% elif vars.kind == "cc" %}Give cgo a C compiler for {{ vars.target }}, e.g. on Debian:
#       sudo apt-get install {{ vars.package }}
#       {{ vars.set_cc }}
#     or, if the build does not need cgo, cross-compile without it:
#       {{ vars.fix }}{% else %}Point pkg-config at the target's libraries, not the host's:
#       export PKG_CONFIG_SYSROOT_DIR=/path/to/{{ vars.triple }}-sysroot
#       export PKG_CONFIG_LIBDIR=$PKG_CONFIG_SYSROOT_DIR/usr/lib/{{ vars.triple }}/pkgconfig:$PKG_CONFIG_SYSROOT_DIR/usr/share/pkgconfig
#     and remove the host directories ({{ vars.host_dirs | join(sep=", ") }}) from where they are set{% if finding.file %} ({{ finding.file }}){% endif %}.{% endif %}
package envgate.go.go044_cross_compile_with_host_cc

import data.envgate.go.lib
import rego.v1

# Architecture names used in target triples, by GOARCH.
triple_arches := {
	"amd64": {"x86_64", "amd64", "x64"},
	"386": {"i386", "i486", "i586", "i686", "x86"},
	"arm64": {"aarch64", "arm64", "aarch64_be"},
	"arm": {"arm", "armv5", "armv5te", "armv6", "armv7", "armv7a", "armv7l", "armhf", "armel", "armeb"},
	"riscv64": {"riscv64"},
	"ppc64le": {"powerpc64le", "ppc64le"},
	"ppc64": {"powerpc64", "ppc64"},
	"s390x": {"s390x"},
	"mips": {"mips"},
	"mipsle": {"mipsel"},
	"mips64": {"mips64"},
	"mips64le": {"mips64el"},
	"loong64": {"loongarch64"},
}

# Words in a target triple that name an operating system, by GOOS.
triple_os := {
	"linux": {"linux", "android"},
	"android": {"android", "linux"},
	"windows": {"mingw32", "w64", "windows", "mingw"},
	"darwin": {"apple", "darwin", "macos"},
	"ios": {"apple", "ios"},
	"freebsd": {"freebsd"},
	"netbsd": {"netbsd"},
	"openbsd": {"openbsd"},
}

# Debian's cross compiler package, by GOOS/GOARCH.
debian_package := {
	"linux/arm64": ["gcc-aarch64-linux-gnu", "aarch64-linux-gnu"],
	"linux/arm": ["gcc-arm-linux-gnueabihf", "arm-linux-gnueabihf"],
	"linux/amd64": ["gcc-x86-64-linux-gnu", "x86_64-linux-gnu"],
	"linux/386": ["gcc-i686-linux-gnu", "i686-linux-gnu"],
	"linux/riscv64": ["gcc-riscv64-linux-gnu", "riscv64-linux-gnu"],
	"linux/ppc64le": ["gcc-powerpc64le-linux-gnu", "powerpc64le-linux-gnu"],
	"linux/s390x": ["gcc-s390x-linux-gnu", "s390x-linux-gnu"],
	"windows/amd64": ["gcc-mingw-w64-x86-64", "x86_64-w64-mingw32"],
	"windows/386": ["gcc-mingw-w64-i686", "i686-w64-mingw32"],
}

target_os := os if {
	lib.explicit("GOOS")
	os := lib.setting("GOOS")
	os == os  # true for any value: tested so an undefined one reaches the else on unpatched regorus too (lint L012)
} else := input.host.os

target_arch := arch if {
	lib.explicit("GOARCH")
	arch := lib.setting("GOARCH")
	arch == arch  # true for any value: tested so an undefined one reaches the else on unpatched regorus too (lint L012)
} else := input.host.arch

target := sprintf("%s/%s", [target_os, target_arch])

cross_compiling if {
	lib.explicit("GOOS")
	target_os != input.host.os
}

cross_compiling if {
	lib.explicit("GOARCH")
	target_arch != input.host.arch
}

# gcc -m32 builds linux/386 on linux/amd64.
multilib if {
	input.host.os == "linux"
	input.host.arch == "amd64"
	target == "linux/386"
}

cgo_for_target if {
	lib.explicit("CGO_ENABLED")
	lib.setting("CGO_ENABLED") == "1"
	cross_compiling
	not multilib
}

cc := object.get(input, ["go", "commands", "CC", "command"], "")

# As cmd/go splits CC: `"/opt/x tools/aarch64-linux-gnu-gcc" -O2` is one program.
cc_words := lib.command_args(object.get(input, ["go", "commands", "CC"], {}))

cc_program := program if {
	count(cc_words) > 0
	program := cc_words[0]
	is_string(program)  # holds for any defined value (L012)
} else := ""

# The compiler's name without its directory and, when it has one, its `.exe`
# (`C:\tools\aarch64-linux-gnu-gcc.exe` is aarch64-linux-gnu-gcc).
cc_base := lib.program_name(cc_program)

# `clang --target=aarch64-linux-gnu`, `zig cc -target aarch64-linux-musl`.
has_target_flag if {
	some w in cc_words
	startswith(w, "--target=")
}

has_target_flag if {
	some w in cc_words
	w in {"-target", "--target"}
}

# The target prefix of a compiler name: `aarch64-linux-gnu` of `aarch64-linux-gnu-gcc-12`.
prefix := m[0][1] if {
	m := regex.find_all_string_submatch_n(`^(.+)-(gcc|g\+\+|cc|c\+\+|clang|clang\+\+)(-[0-9.]+)?$`, cc_base, 1)
	count(m) > 0
}

prefix_words := split(prefix, "-")

prefix_arch_ok if prefix_words[0] in object.get(triple_arches, target_arch, set())

prefix_os_ok if {
	known := {w | some ws in triple_os; some w in ws}
	count({w | some w in prefix_words; w in known}) == 0
}

prefix_os_ok if {
	some w in prefix_words
	w in object.get(triple_os, target_os, set())
}

# osxcross names its compilers o64-clang (x86_64) and oa64-clang (arm64).
osxcross if {
	target_os == "darwin"
	regex.match(`^oa?64h?-clang(\+\+)?$`, cc_base)
}

cross_compiler if has_target_flag

cross_compiler if {
	prefix_arch_ok
	prefix_os_ok
}

cross_compiler if osxcross

cc_for_var := sprintf("CC_FOR_%s_%s", [target_os, target_arch])

cc_for_note := sprintf("; %s is set, but only make.bash reads it (when Go itself is built), the go command does not", [cc_for_var]) if {
	object.get(input, ["env", cc_for_var], "") != ""
} else := ""

cc_note := sprintf(" (it targets %s)", [prefix]) if prefix else := ""

where(name) := text if {
	lib.explicit(name)
	text := lib.origin(input.go.env[name])
	is_string(text)  # holds for any defined value (L012)
} else := "by default"

cc_subject := "go.env.CC" if lib.explicit("CC") else := "go.env.GOARCH" if {
	lib.explicit("GOARCH")
	target_arch != input.host.arch
} else := "go.env.GOOS"

package_for := object.get(debian_package, target, [sprintf("a cross compiler for %s", [target]), sprintf("<%s-triple>", [target_arch])])

# zig's name for the target (`aarch64-linux-gnu`, `x86_64-windows-gnu`, `aarch64-macos`).
zig_arches := {"amd64": "x86_64", "386": "x86", "arm64": "aarch64", "arm": "arm", "riscv64": "riscv64", "ppc64le": "powerpc64le", "s390x": "s390x", "loong64": "loongarch64"}

zig_os := {"linux": "linux-gnu", "windows": "windows-gnu", "darwin": "macos", "freebsd": "freebsd"}

zig_target := sprintf("%s-%s", [object.get(zig_arches, target_arch, target_arch), object.get(zig_os, target_os, target_os)])

# A CC that cmd/go cannot split stops every build before cgo runs: GO045 reports it.
cc_unsplit if is_string(object.get(input, ["go", "commands", "CC", "split_error"], null))

deny contains finding if {
	cgo_for_target
	not cross_compiler
	not cc_unsplit
	finding := {
		"msg": sprintf("GOOS/GOARCH=%s (the host is %s/%s) with CGO_ENABLED=1 %s, but CC=%s (%s) is not a cross compiler for %s%s, so cgo compiles C for the wrong platform%s", [target, input.host.os, input.host.arch, where("CGO_ENABLED"), cc, where("CC"), target, cc_note, cc_for_note]),
		"subject": cc_subject,
		"vars": {
			"kind": "cc",
			"target": target,
			"cc": cc,
			"package": package_for[0],
			"triple": package_for[1],
			"set_cc": lib.set_hint("CC", sprintf("%s-gcc", [package_for[1]])),
			"zig_target": zig_target,
			"fix": lib.set_hint("CGO_ENABLED", "0"),
		},
	}
}

# --- pkg-config pointed at the host ----------------------------------------------

generic_host_dirs := {"/usr/lib/pkgconfig", "/usr/lib64/pkgconfig", "/usr/local/lib/pkgconfig"}

host_multiarch(dir) if {
	some arch in object.get(triple_arches, input.host.arch, set())
	regex.match(sprintf(`^/usr/(local/)?lib/%s-linux-[a-z0-9]+/pkgconfig/?$`, [arch]), dir)
}

host_dir(dir) if trim_right(dir, "/") in generic_host_dirs

host_dir(dir) if host_multiarch(dir)

pkg_config_problems := array.concat(sysroot_problem, dir_problems)

sysroot_problem := [sprintf("PKG_CONFIG_SYSROOT_DIR=%s (the host's root)", [v])] if {
	v := object.get(input, ["env", "PKG_CONFIG_SYSROOT_DIR"], "")
	v != ""
	trim_right(v, "/") == ""
} else := []

pkg_config_vars := ["PKG_CONFIG_SYSROOT_DIR", "PKG_CONFIG_LIBDIR", "PKG_CONFIG_PATH"]

host_dirs_in(name) := [dir |
	some dir in split(object.get(input, ["env", name], ""), ":")
	host_dir(dir)
]

dir_problems := [sprintf("%s entry %s", [name, dir]) |
	some name in ["PKG_CONFIG_LIBDIR", "PKG_CONFIG_PATH"]
	some dir in host_dirs_in(name)
]

host_dirs := [dir | some name in ["PKG_CONFIG_LIBDIR", "PKG_CONFIG_PATH"]; some dir in host_dirs_in(name)]

# The variables at fault, in the order above; the first is the finding's subject.
faulty_vars := [name |
	some name in pkg_config_vars
	some p in pkg_config_problems
	startswith(p, sprintf("%s", [name]))
]

deny contains finding if {
	cgo_for_target
	count(pkg_config_problems) > 0
	finding := {
		"msg": sprintf("cgo builds for %s with CGO_ENABLED=1, but pkg-config is pointed at the host (%s), so the build gets the host's headers and libraries", [target, concat("; ", pkg_config_problems)]),
		"subject": sprintf("env.%s", [faulty_vars[0]]),
		"vars": {
			"kind": "pkg-config",
			"target": target,
			"triple": package_for[1],
			"host_dirs": host_dirs,
		},
	}
}
