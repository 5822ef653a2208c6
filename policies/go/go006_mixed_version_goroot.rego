# METADATA
# title: GOROOT mixes files of different Go releases
# description: |
#   Every program in a Go installation is built by the same release that wrote its
#   `VERSION` file. Extracting a new archive over an old tree (instead of into an empty
#   directory), or copying a `go` binary into another installation, leaves programs of
#   two releases side by side; the go command then refuses its own compiler:
#   `compile: version "go1.19.4" does not match go tool version "go1.20.2"`.
#   Decision: per toolchain, the release in the first line of `VERSION` and the Go
#   versions recorded in the build info of `bin/go`, `bin/gofmt` and the compiler
#   (`pkg/tool/<os>_<arch>/compile`) are compared, each by its first word (so a
#   `go1.22.5 X:boringcrypto` build matches `go1.22.5`); development builds (`devel …`)
#   and parts that are missing or carry no build info are left out. Any disagreement
#   fires, one finding per installation, located at its `VERSION` file when it has one.
#   On a Windows volume the parts are `bin/go.exe`, `bin/gofmt.exe` and `compile.exe`
#   (an MSI or zip of one release unpacked over another's tree, or a go.exe copied in),
#   and the fix reinstalls with what installed Go there (winget or the MSI, Chocolatey,
#   Scoop, golang.org/dl).
# related_resources:
#   - ref: https://github.com/gopherdata/gophernotes/issues/259
#   - ref: https://go.dev/doc/install
# custom:
#   id: GO006
#   severity: error
#   since: 1.0.0
#   category: Toolchain
#   systems: [linux, darwin, windows]
#   remediation: |
#     Remove {{ vars.goroot }} and install one release into an empty directory (extracting over an old tree leaves the old files behind):
#       {{ vars.fix }}
package envgate.go.go006_mixed_version_goroot

import data.envgate.go.lib
import rego.v1

release(v) := split(trim_space(v), " ")[0]

separator := `\` if lib.windows else := "/"

# [part, release] pairs that carry a release version.
versions(t) := [[part, r] |
	some [part, raw] in array.concat(
		[["VERSION", t.version_file] | is_string(t.version_file)],
		[[p.part, p.go_version] | some p in t.programs; is_string(p.go_version)],
	)
	r := release(raw)
	startswith(r, "go")
]

distinct(t) := {r | some [_, r] in versions(t)}

# Located at the VERSION file when there is one.
located(t, f) := found if {
	is_string(t.version_file)
	found := object.union(f, {"location": {"file": sprintf("%s%sVERSION", [t.goroot, separator]), "line": 1}})
	is_object(found)  # holds for any defined value (L012)
} else := f

# The typical failure, when the compiler and the go command disagree.
symptom(t) := sprintf(": go commands fail with `compile: version \"%s\" does not match go tool version \"%s\"`", [c, g]) if {
	[c, g] := compile_and_go_versions(t)
	c != g  # holds for any defined pair (L012)
} else := ": the go command mixes an old standard library or tools with a new compiler"

# The compiler's and the go command's versions when they differ, undefined otherwise:
# the loops sit in a rule of their own, so that when they find nothing, symptom's
# `else` is taken (unpatched regorus's VM returns nothing after a loop in a body
# followed by `else` matches nothing, lint L013).
compile_and_go_versions(t) := [c, g] if {
	some [part, c] in versions(t)
	regex.match(`/compile(\.exe)?$`, part)
	some [go_part, g] in versions(t)
	go_part in {"bin/go", "bin/go.exe"}
	c != g
}

deny contains finding if {
	some i, t in input.go.toolchains
	count(distinct(t)) > 1
	described := [sprintf("%s is %s", [part, r]) | some [part, r] in versions(t)]
	finding := located(t, {
		"msg": sprintf("%s mixes Go releases (%s)%s", [t.goroot, concat(", ", described), symptom(t)]),
		"subject": sprintf("go.toolchains[%d]", [i]),
		"vars": {
			"goroot": t.goroot,
			"versions": {part: r | some [part, r] in versions(t)},
			"fix": lib.reinstall_fix(t.goroot),
		},
	})
}
