# Helpers shared by the rules of the go pack. Not a rule: it has no METADATA id.
package envgate.go.lib

import rego.v1

# The effective value of a Go setting; "" when nothing sets it.
setting(name) := input.go.env[name].value

setting(name) := "" if not input.go.env[name]

# The setting was made by someone (environment, `go env -w` file or $GOROOT/go.env),
# not left to cmd/go's default or read from the toolchain.
explicit(name) if input.go.env[name].source in {"env", "goenv", "goroot"}

# `dir` is an entry of PATH (a trailing slash does not matter).
on_path(dir) if {
	not input.host.os == "windows"
	some entry in input.path.entries
	trim_right(entry.raw, "/") == trim_right(dir, "/")
}

on_path(dir) if {
	input.host.os == "windows"
	some entry in input.path.entries
	same_windows_dir(entry.raw, dir)
}

# The toolchain PATH's `go` belongs to.
active_toolchain := input.go.toolchains[input.go.active]

# The user's home directory; "~" when the snapshot does not know it.
home := input.host.home if is_string(input.host.home) else := "~"

# The login file of the user's shell, where PATH edits reach every session.
login_profile := sprintf("%s/.zprofile", [home]) if {
	is_string(input.host.login_shell)
	endswith(input.host.login_shell, "/zsh")
} else := sprintf("%s/.profile", [home])

# "go1.19.8", "1.22", "go1.21rc1" -> [1, 19, 8], [1, 22, 0], [1, 21, 0].
version_parts(v) := [to_number(m[1]), minor, patch] if {
	m := regex.find_all_string_submatch_n(`^(?:go)?([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?`, v, 1)[0]
	minor := number_or_zero(m[2])
	patch := number_or_zero(m[3])
}

number_or_zero(s) := 0 if s == ""

number_or_zero(s) := to_number(s) if s != ""

# Go version a is older than b.
version_less(a, b) if {
	pa := version_parts(a)
	pb := version_parts(b)
	pa[0] < pb[0]
}

version_less(a, b) if {
	pa := version_parts(a)
	pb := version_parts(b)
	pa[0] == pb[0]
	pa[1] < pb[1]
}

version_less(a, b) if {
	pa := version_parts(a)
	pb := version_parts(b)
	pa[0] == pb[0]
	pa[1] == pb[1]
	pa[2] < pb[2]
}

# Where a Go setting was made, for messages: "in /etc/environment:3", "with `go env -w`".
origin(v) := sprintf("in %s:%d", [v.file, v.line]) if {
	is_string(v.file)
	is_number(v.line)
}

# A registry value (Windows) has no line.
origin(v) := sprintf("in %s", [v.file]) if {
	is_string(v.file)
	not is_number(v.line)
}

origin(v) := "in the environment" if {
	not is_string(v.file)
	v.source == "env"
}

origin(v) := "with `go env -w`" if {
	not is_string(v.file)
	v.source == "goenv"
}

origin(v) := "in $GOROOT/go.env" if {
	not is_string(v.file)
	v.source == "goroot"
}

# Files outside the user's home need root to edit.
sudo_for(file) := "" if {
	is_string(input.host.home)
	startswith(file, sprintf("%s/", [input.host.home]))
} else := "sudo "

# A command that deletes the line setting `name` from `file`.
delete_line(name, file) := sprintf(`%ssed -i '/^\s*\(export \)\?%s=/d' %s`, [sudo_for(file), name, file])

# How to stop setting `name` where it is set now. $GOROOT/go.env belongs to the
# installation, so there it is overridden with `go env -w name=fallback` instead.
remove_hint(name, _) := delete_line(name, v.file) if {
	not windows
	v := input.go.env[name]
	v.source == "env"
	is_string(v.file)
}

remove_hint(name, _) := windows_set(name, "$null", v.file) if {
	windows
	v := input.go.env[name]
	v.source == "env"
	is_string(v.file)
}

remove_hint(name, _) := sprintf("unset %s   # and delete the line that sets it from your shell startup files", [name]) if {
	v := input.go.env[name]
	v.source == "env"
	not is_string(v.file)
}

remove_hint(name, _) := sprintf("go env -u %s", [name]) if input.go.env[name].source == "goenv"

remove_hint(name, fallback) := sprintf("go env -w %s='%s'", [name, fallback]) if input.go.env[name].source == "goroot"

# How to set `name` to `value` where it is set now (or with `go env -w`).
set_hint(name, value) := sprintf(`%ssed -i '/^\s*\(export \)\?%s=/c %s=%s' %s`, [sudo_for(v.file), name, name, value, v.file]) if {
	not windows
	v := input.go.env[name]
	v.source == "env"
	is_string(v.file)
}

set_hint(name, value) := sprintf("export %s='%s'   # where it is set now", [name, value]) if {
	v := input.go.env[name]
	v.source == "env"
	not is_string(v.file)
}

set_hint(name, value) := windows_set(name, sprintf("'%s'", [value]), v.file) if {
	windows
	v := input.go.env[name]
	v.source == "env"
	is_string(v.file)
}

set_hint(name, value) := sprintf("go env -w %s='%s'", [name, value]) if {
	not input.go.env[name].source == "env"
}

# How to replace the Go installation at `goroot` with a fresh copy for this machine:
# the package manager for distribution packages, the version manager for its installs,
# else a clean extraction of the official archive (which unpacks into a `go` directory).
# Each version-manager branch tests its regex before indexing the match: regorus's
# bytecode VM stops trying the remaining `else` branches when a body fails on a
# missing index, where the interpreter goes on (found by the agreement test).
reinstall_hint(goroot) := sprintf("sudo apt-get install --reinstall golang-%s-go", [trim_prefix(goroot, "/usr/lib/go-")]) if {
	startswith(goroot, "/usr/lib/go-")
} else := "sudo dnf reinstall golang" if {
	goroot == "/usr/lib/golang"
} else := "brew reinstall go" if {
	contains(goroot, "/Cellar/go/")
} else := sprintf("goenv uninstall -f %s && goenv install %s", [v, v]) if {
	regex.match(`/\.goenv/versions/([^/]+)$`, goroot)
	m := regex.find_all_string_submatch_n(`/\.goenv/versions/([^/]+)$`, goroot, 1)[0]
	v := m[1]
	is_string(v)  # holds for any defined value (L012)
} else := sprintf("asdf uninstall golang %s && asdf install golang %s", [v, v]) if {
	regex.match(`/\.asdf/installs/golang/([^/]+)/go$`, goroot)
	m := regex.find_all_string_submatch_n(`/\.asdf/installs/golang/([^/]+)/go$`, goroot, 1)[0]
	v := m[1]
	is_string(v)  # holds for any defined value (L012)
} else := sprintf("mise uninstall go@%s && mise install go@%s", [v, v]) if {
	regex.match(`/mise/installs/go/([^/]+)$`, goroot)
	m := regex.find_all_string_submatch_n(`/mise/installs/go/([^/]+)$`, goroot, 1)[0]
	v := m[1]
	is_string(v)  # holds for any defined value (L012)
} else := sprintf("%srm -rf %s && %star -C %s -xzf go*.%s-%s.tar.gz   # the archive from https://go.dev/dl/", [sudo, goroot, sudo, parent, host_goos, host_goarch]) if {
	endswith(goroot, "/go")
	parent := trim_suffix(goroot, "/go")
	parent != ""
	sudo := sudo_for(goroot)
} else := sprintf("%srm -rf %s, then install Go again from https://go.dev/dl/ (%s-%s)", [sudo_for(goroot), goroot, host_goos, host_goarch])

# The program and arguments of a command cgo runs (`input.go.commands.CC`) as cmd/go
# splits it: the collector's `args` (cmd/internal/quoted.Split, so a quoted program
# keeps its spaces); none when cmd/go cannot split it (`split_error`). A snapshot saved
# before the collector recorded `args` is split at spaces, as envgate did then.
command_args(lookup) := args if {
	args := object.get(lookup, "args", null)
	is_array(args)
} else := [] if {
	is_string(object.get(lookup, "split_error", null))
} else := [w | some w in split(trim_space(object.get(lookup, "command", "")), " "); w != ""]

# The program of command_args, "" when there is none.
command_program(lookup) := program if {
	args := command_args(lookup)
	count(args) > 0
	program := args[0]
	is_string(program)  # holds for any defined value (L012)
} else := ""

# A program's file name without its directory and without `.exe` (any case): the
# name a cross compiler's target prefix is read from. A Windows volume separates
# directories with `\` as well as `/` and ignores case (the name is lowered there);
# elsewhere `\` is part of a file name.
program_name(program) := name if {
	parts := regex.split(path_separators, program)
	name := regex.replace(windows_case(parts[count(parts) - 1]), `(?i)\.exe$`, "")
}

windows_case(name) := lower(name) if windows else := name

path_separators := `[\\/]` if windows else := "/"

# Go's %q (strconv.Quote) of a string, for messages that repeat Go's: `"…"` with `\`
# and `"` escaped, as in `C compiler "C:\\msys64\\ucrt64\\bin\\gcc.exe" not found`.
# Control and non-printable characters, which Go escapes too, are left as they are.
go_quote(s) := concat("", [`"`, replace(replace(s, `\`, `\\`), `"`, `\"`), `"`])

# The machine's GOOS and GOARCH, with the usual defaults when the snapshot lacks them.
host_goos := object.get(input, ["host", "os"], "linux")

host_goarch := object.get(input, ["host", "arch"], "amd64")

# Windows volumes: directories compare without regard to case or a trailing `\`.
same_windows_dir(a, b) if lower(trim_right(a, `\/`)) == lower(trim_right(b, `\/`))

windows_machine_path_key := `HKLM\SYSTEM\CurrentControlSet\Control\Session Manager\Environment\Path`

windows_user_path_key := `HKCU\Environment\Path`

version_suffix(v) := sprintf(" (%s)", [v]) if is_string(v) else := ""

windows := input.host.os == "windows"

# Windows: sets (or with `$null` removes) the variable in the registry key `file`
# names (HKCU\Environment\NAME or the machine's), from PowerShell; new terminals see it.
windows_set(name, value, file) := sprintf("[Environment]::SetEnvironmentVariable('%s', %s, 'Machine')   # from an elevated PowerShell", [name, value]) if {
	startswith(file, "HKLM")
} else := sprintf("[Environment]::SetEnvironmentVariable('%s', %s, 'User')", [name, value])

# reinstall_hint for the audited system: on Windows, the installer that put Go there.
reinstall_fix(goroot) := windows_reinstall_hint(goroot) if windows

reinstall_fix(goroot) := reinstall_hint(goroot) if not windows

# A Windows Go install replaced by what installed it: Scoop, golang.org/dl's goX.Y.Z
# wrapper (%USERPROFILE%\sdk\goX.Y.Z), Chocolatey or winget (both run Go's MSI into
# Program Files\Go), else a clean copy of the zip.
windows_reinstall_hint(goroot) := "scoop uninstall go; scoop install go" if {
	contains(lower(goroot), `\scoop\apps\go\`)
} else := sprintf("Remove-Item -Recurse -Force '%s'; %s download", [goroot, version]) if {
	regex.match(`(?i)\\sdk\\go[0-9][^\\]*$`, goroot)
	parts := split(goroot, `\`)
	version := parts[count(parts) - 1]
	is_string(version)
} else := "choco uninstall golang -y; choco install golang -y   # from an elevated PowerShell" if {
	chocolatey_install(goroot)
} else := sprintf("winget uninstall --id GoLang.Go --exact; Remove-Item -Recurse -Force '%s'; winget install --id GoLang.Go --exact   # from an elevated PowerShell; or the windows-%s .msi from https://go.dev/dl/", [goroot, host_goarch]) if {
	lower(trim_right(goroot, `\`)) in {`c:\program files\go`, `c:\go`}
} else := sprintf("Remove-Item -Recurse -Force '%s'; then extract the go*.windows-%s.zip from https://go.dev/dl/ there", [goroot, host_goarch])

# Chocolatey's golang package installed the toolchain at `goroot`.
chocolatey_install(goroot) if {
	some t in input.go.toolchains
	same_windows_dir(t.goroot, goroot)
	"chocolatey" in t.found_by
}
