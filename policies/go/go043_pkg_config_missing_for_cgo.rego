# METADATA
# title: pkg-config missing for cgo dependencies
# description: |
#   Some modules link C libraries through `#cgo pkg-config: gtk+-3.0` lines; building
#   them runs pkg-config (or PKG_CONFIG) to find the library's flags. Without it the
#   build stops with `exec: "pkg-config": executable file not found in $PATH` (after
#   the program's name in Go 1.19, the package's path in Go 1.26; a PKG_CONFIG given
#   as a path ends in `/opt/x/pkg-config: no such file or directory` in both, checked
#   with Debian's Go 1.19.8 and Go 1.26.8) before any C compiler error could point at
#   the real cause.
#   Decision: fires when the checked go.mod requires (directly or indirectly) a module
#   from the pack's list of modules known to use `#cgo pkg-config` (data key
#   `cgo_pkg_config_modules`, matched with or without a /vN suffix), and the pkg-config
#   cgo would run (PKG_CONFIG, default `pkg-config`) is not found. Without a go.mod
#   nothing needs pkg-config, so nothing is reported. It stays quiet when cgo is off:
#   CGO_ENABLED=0, or CGO_ENABLED unset with no C compiler (Go 1.20 and later then
#   build without cgo; GO042 covers an explicit CGO_ENABLED=1 without a compiler).
#   On a Windows volume pkg-config is looked up on the registry's Path as Go's os/exec
#   does there (`pkg-config.exe`, PATHEXT), the message names Path and quotes Go's
#   Windows error (`executable file not found in %PATH%`), and the fix is MSYS2's
#   pkgconf.
# related_resources:
#   - ref: https://github.com/golang/go/issues/35882
#   - ref: https://pkg.go.dev/cmd/cgo
# custom:
#   id: GO043
#   severity: warning
#   since: 1.0.0
#   category: cgo
#   systems: [linux, darwin, windows]
#   remediation: |
#     Install pkg-config and the development files of the libraries these modules link ({{ vars.packages | join(sep=", ") }}):
#     {% if host.os == "windows" %}  pacman -S mingw-w64-ucrt-x86_64-pkgconf   (in MSYS2's UCRT64 shell: winget install MSYS2.MSYS2; it installs pkg-config.exe, and the libraries' .pc files come with their mingw-w64-ucrt-x86_64-* packages; C:\msys64\ucrt64\bin must be on Path){% elif host.os == "darwin" %}  brew install pkg-config   (Homebrew's formulae bring their .pc files; its bin, /opt/homebrew/bin on Apple silicon or /usr/local/bin on Intel, must be on PATH){% else %}  sudo apt-get install pkgconf   (Fedora: sudo dnf install pkgconf-pkg-config; macOS: brew install pkg-config){% endif %}
#     {% if vars.explicit %}and point PKG_CONFIG at the installed program, or stop setting it:
#       {{ vars.fix }}{% else %}then check with: pkg-config --cflags {{ vars.packages | join(sep=" ") }}{% endif %}
package envgate.go.go043_pkg_config_missing_for_cgo

import data.envgate.go.lib
import rego.v1

known := object.get(data.pack_data, ["go", "cgo_pkg_config_modules"], {})

# The listed module `path` belongs to: itself or a major version (`/v2`, `/v34`).
listed(path) := path if known[path]

listed(path) := base if {
	not known[path]
	parts := regex.find_all_string_submatch_n(`^(.+)/v[0-9]+$`, path, 1)
	base := parts[0][1]
	known[base]
}

matches := sort([[r.line, r.path, listed(r.path)] |
	some r in object.get(input, ["workspace", "go_mod", "requires"], [])
	is_string(r.path)
	listed(r.path)
])

cgo_off if lib.setting("CGO_ENABLED") == "0"

cgo_off if {
	not lib.explicit("CGO_ENABLED")
	object.get(input, ["go", "commands", "CC", "found"], null) == null
}

# Windows names the variable Path (the registry's value), and Go's os/exec says
# `executable file not found in %PATH%` there (lp_windows.go).
path_name := "Path" if lib.windows else := "PATH"

exec_path := "%PATH%" if lib.windows else := "$PATH"

# The end of Go's error for a program it cannot start, as os/exec words it: a bare name
# is looked up on PATH; a name with a separator is a file (Go 1.26 says `stat P: no such
# file or directory`, Go 1.19 `fork/exec P: …`; on Windows `exec: "P": file does not
# exist`). The name is quoted as Go's %q quotes it.
exec_error(p) := sprintf("exec: %s: file does not exist", [lib.go_quote(p)]) if {
	lib.windows
	regex.match(`[\\/:]`, p)
} else := sprintf("%s: no such file or directory", [p]) if {
	not lib.windows
	contains(p, "/")
} else := sprintf("exec: %s: executable file not found in %s", [lib.go_quote(p), exec_path])

# The program cmd/go runs: the first field of PKG_CONFIG as it splits it.
program(pc) := p if {
	p := lib.command_program(pc)
	p != ""
} else := pc.command

missing := text if {
	pc := input.go.commands.PKG_CONFIG
	pc.source != "default"
	input.go.env.PKG_CONFIG
	text := sprintf("pkg-config (PKG_CONFIG=%s, set %s) is not installed", [pc.command, lib.origin(input.go.env.PKG_CONFIG)])
	is_string(text)  # holds for any defined value (L012)
} else := sprintf("%s is not installed or not on %s", [input.go.commands.PKG_CONFIG.command, path_name])

deny contains finding if {
	count(matches) > 0
	pc := input.go.commands.PKG_CONFIG
	pc.found == null
	not cgo_off
	first := matches[0]
	modules := [m[1] | some m in matches]
	packages := sort({p | some m in matches; some p in known[m[2]]})
	finding := {
		"msg": sprintf("go.mod requires %s, whose cgo code runs pkg-config (for %s), but %s: the build fails with `%s`", [concat(", ", modules), concat(", ", packages), missing, exec_error(program(pc))]),
		"location": {"file": input.workspace.go_mod.file, "line": first[0]},
		"vars": {
			"modules": modules,
			"packages": packages,
			"pkg_config": pc.command,
			"explicit": pc.source != "default",
			"fix": fix(pc),
		},
	}
}

fix(pc) := text if {
	pc.source != "default"
	text := lib.remove_hint("PKG_CONFIG", "pkg-config")
	is_string(text)  # holds for any defined value (L012)
} else := ""
