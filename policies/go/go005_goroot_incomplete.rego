# METADATA
# title: GOROOT is incomplete, or a Go install link dangles
# description: |
#   A Go installation needs `bin/go`, the standard library (`src/runtime`), the compiler
#   in `pkg/tool/<os>_<arch>/compile` and the `VERSION` file. An interrupted download, a
#   half-removed package or a GOROOT pointed at the wrong directory leaves some of them
#   out, and the go command then fails with `go: cannot find GOROOT directory`,
#   `package runtime is not in std` or `go: no such tool "compile"`. The same happens when
#   a well-known install link (`/usr/local/go`, `/usr/lib/go`, a PATH entry's `go`) points
#   at a directory that was removed.
#   Decision: the effective GOROOT (whichever source set it) is judged when it exists;
#   a GOROOT that does not exist at all is GO003's finding (or GO001's, with no `go` on
#   PATH). The compiler is looked for in the tool directory of the platform `bin/go` was
#   built for, as the go command does. `VERSION` is not required in a Go source checkout
#   (a `.git` directory), whose version comes from git. A GOROOT the go command derives
#   from a version-manager shim or a snap is not judged: the shim's directory is not a
#   GOROOT, and a snap's files are not visible in an image. Every dangling link among
#   the known install places and PATH's `go` programs is reported once. On a Windows
#   volume the same parts are looked for with Windows names (`bin\go.exe`,
#   `pkg\tool\windows_amd64\compile.exe`), and the fix reinstalls with what installed
#   Go there (winget or the MSI, Chocolatey, Scoop, golang.org/dl); Windows has no
#   install links.
# related_resources:
#   - ref: https://github.com/golang/go/issues/68107
#   - ref: https://go.dev/doc/install
# custom:
#   id: GO005
#   severity: error
#   since: 1.0.0
#   category: Toolchain
#   systems: [linux, darwin, windows]
#   remediation: |
#     {% if vars.case == "incomplete" %}Install Go again into a clean directory rather than repairing {{ vars.goroot }}:
#       {{ vars.fix }}{% else %}Remove the dangling link:
#       {{ vars.sudo }}rm {{ vars.link }}
#     then install Go (https://go.dev/dl/), or point the link at an existing installation:
#       {{ vars.sudo }}ln -sfn /path/to/existing/go {{ vars.link }}{% endif %}
package envgate.go.go005_goroot_incomplete

import data.envgate.go.lib
import rego.v1

g := input.go.goroot

layout := input.go.goroot_layout

# The effective GOROOT is judged when someone set it, or when the go command derives
# it from a real toolchain (not a shim directory, not an unmounted snap).
judged if g.source in {"env", "goenv"}

judged if {
	g.source == "toolchain"
	t := lib.active_toolchain
	t == t  # true for any value: tested so an undefined one fails the body on unpatched regorus too (lint L012)
	not t.shim
	not t.snap
}

compile_part := sprintf("%s/compile", [layout.tool_dir]) if is_string(layout.tool_dir) else := "pkg/tool/<os>_<arch>/compile"

missing contains "bin/go" if not layout.bin_go

missing contains "src/runtime" if not layout.src_runtime

missing contains compile_part if not layout.compile

missing contains "VERSION" if {
	not layout.version_file
	not layout.source_checkout
}

# A part as the system names it: `bin\go.exe`, `pkg\tool\windows_amd64\compile.exe`.
part_name(p) := name if {
	lib.windows
	regex.match(`(^bin/go|/compile)$`, p)
	name := sprintf("%s.exe", [replace(p, "/", `\`)])
	is_string(name)  # holds for any defined value (L012)
} else := name if {
	lib.windows
	name := replace(p, "/", `\`)
	is_string(name)  # holds for any defined value (L012)
} else := p

how_set := text if {
	g.source in {"env", "goenv"}
	text := sprintf("set %s", [lib.origin(input.go.env.GOROOT)])
	is_string(text)  # holds for any defined value (L012)
} else := sprintf("found from the go on PATH, %s", [input.path.resolved.go.path])

deny contains finding if {
	judged
	is_object(layout)
	count(missing) > 0
	parts := sort([part_name(p) | some p in missing])
	finding := {
		"msg": sprintf("GOROOT %s (%s) lacks %s, so it is not a complete Go installation: go commands fail with errors such as `go: cannot find GOROOT directory` or `package runtime is not in std`", [g.value, how_set, concat(", ", parts)]),
		"subject": "go.env.GOROOT",
		"vars": {
			"case": "incomplete",
			"goroot": g.value,
			"missing": parts,
			"fix": lib.reinstall_fix(g.value),
		},
	}
}

# What reaches Go through a link: the PATH entries under it.
through(link) := [sprintf("PATH entry %d (%s)", [e.index, e.raw]) |
	some e in input.path.entries
	startswith(e.raw, sprintf("%s/", [link.path]))
]

reached_by(link) := text if {
	link.kind == "path"
	text := sprintf("; PATH entry %d (%s) holds this `go`", [link.path_index, input.path.entries[link.path_index].raw])
	is_string(text)  # holds for any defined value (L012)
} else := sprintf("; %s goes through it", [concat(", ", through(link))]) if {
	count(through(link)) > 0
} else := ""

why(link) := link.error if is_string(link.error) else := "its target does not exist"

subject(link) := sprintf("path.entries[%d]", [link.path_index]) if link.kind == "path"

subject(link) := sprintf("go.install_links[%d]", [i]) if {
	link.kind != "path"
	some i, l in input.go.install_links
	l.path == link.path
}

deny contains finding if {
	some link in input.go.install_links
	not is_string(link.realpath)
	finding := {
		"msg": sprintf("%s is a symbolic link that leads nowhere (%s)%s", [link.path, why(link), reached_by(link)]),
		"subject": subject(link),
		"vars": {
			"case": "dangling-link",
			"link": link.path,
			"sudo": lib.sudo_for(link.path),
		},
	}
}
