# METADATA
# title: CGO_ENABLED=1 is set but there is no C compiler
# description: |
#   When CGO_ENABLED is left unset, Go 1.20 and later quietly build without cgo on a
#   machine without a C compiler. Setting CGO_ENABLED=1 explicitly removes that fallback:
#   every build of a package that uses cgo (including the standard library's net and
#   os/user on some setups, and race-detector builds) then fails with
#   `cgo: C compiler "gcc" not found: exec: "gcc": executable file not found in $PATH`.
#   Decision: fires when CGO_ENABLED is exactly `1` and was set explicitly (environment,
#   `go env -w` file or $GOROOT/go.env), and the compiler cgo would run (CC, else cmd/go's
#   default gcc or clang, looked up on PATH or as an absolute path) is not found; a CC
#   that cmd/go cannot split (an unclosed quote) is GO045's finding instead. The message
#   names the program cgo looks for, the first field of CC as cmd/go splits it (`gcc`
#   of `gcc -m32`), quoted as cgo quotes it. On a Windows volume the compiler is looked
#   up on the registry's Path as Go's os/exec does there (PATHEXT: `gcc` is found as
#   `gcc.exe`), and the message names Path; the official Windows Go brings no C
#   compiler, so cgo needs one such as MSYS2's (UCRT64) gcc on Path.
# related_resources:
#   - ref: https://pkg.go.dev/cmd/cgo
# custom:
#   id: GO042
#   severity: error
#   since: 0.1.0
#   category: cgo
#   systems: [linux, darwin, windows]
#   remediation: |
#     {% if host.os == "windows" %}Install a C compiler{% if vars.cc_source != "default" %} (or point CC at one you have){% endif %}, e.g. MSYS2's gcc (winget install MSYS2.MSYS2, then in its UCRT64 shell):
#       pacman -S mingw-w64-ucrt-x86_64-gcc
#     and put its bin on your Path (PowerShell), then open a new terminal:
#       [Environment]::SetEnvironmentVariable('Path', [Environment]::GetEnvironmentVariable('Path', 'User') + ';C:\msys64\ucrt64\bin', 'User'){% else %}Install a C compiler{% if vars.cc_source != "default" %} (or point CC at one you have){% endif %}: sudo apt-get install build-essential   (Fedora: sudo dnf install gcc; macOS: xcode-select --install){% endif %}
#     or, if you do not need cgo, turn it off:
#       {{ vars.fix }}
package envgate.go.go042_cgo_enabled_without_compiler

import data.envgate.go.lib
import rego.v1
cc_origin(cc) := "" if cc.source == "default" else := text if {
	input.go.env.CC
	text := sprintf(" (from CC, set %s)", [lib.origin(input.go.env.CC)])
	is_string(text)  # holds for any defined value (L012)
} else := " (from CC)"

# The program cgo looks for: the first field of CC as cmd/go splits it (`gcc` of
# `gcc -m32`, `C:\Program Files\LLVM\bin\clang.exe` of its quoted form).
program(cc) := p if {
	p := lib.command_program(cc)
	p != ""
} else := cc.command

# Windows names the variable Path (the registry's value).
path_name := "Path" if lib.windows else := "PATH"

deny contains finding if {
	lib.explicit("CGO_ENABLED")
	v := input.go.env.CGO_ENABLED
	v.value == "1"
	cc := input.go.commands.CC
	cc.found == null
	# A CC that cmd/go cannot split stops every build first: GO045 reports it.
	not is_string(object.get(cc, "split_error", null))
	finding := {
		# cgo quotes the program as Go's %q does (gcc.go: `C compiler %q not found`).
		"msg": sprintf("CGO_ENABLED=1 is set %s but the C compiler %s%s is not installed or not on %s, so cgo builds fail with `cgo: C compiler %s not found`", [lib.origin(v), program(cc), cc_origin(cc), path_name, lib.go_quote(program(cc))]),
		"subject": "go.env.CGO_ENABLED",
		"vars": {"cc": cc.command, "cc_source": cc.source, "fix": lib.set_hint("CGO_ENABLED", "0")},
	}
}
