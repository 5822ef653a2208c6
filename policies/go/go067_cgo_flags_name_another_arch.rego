# METADATA
# title: cgo flags name another CPU than Go builds for
# description: |
#   On macOS the go command hands clang the architecture itself (`-arch arm64` or
#   `-arch x86_64`, from GOARCH). An `-arch` of another CPU in CGO_CFLAGS,
#   CGO_CPPFLAGS, CGO_CXXFLAGS or CGO_LDFLAGS — a line copied from an Intel Mac, or
#   an attempt at a Rosetta build — gives clang two architectures: cgo's
#   preprocessing step fails (`clang: error: cannot use 'cpp' output with multiple
#   -arch options`) or the link mixes objects for two CPUs. The plain CFLAGS and
#   LDFLAGS are not read by cgo, so an `-arch` there does nothing.
#   Decision: reported (error) when GOOS is darwin, cgo is not turned off
#   (CGO_ENABLED is not 0), and one of the four cgo flag settings holds `-arch A`
#   for an A that is not GOARCH's name in Apple's tools (arm64/arm64e for arm64,
#   x86_64/x86_64h for amd64). To build for the other CPU, set GOARCH; the go
#   command then passes the matching `-arch`.
# related_resources:
#   - ref: https://pkg.go.dev/cmd/cgo
#     description: cgo, CGO_CFLAGS and friends
# custom:
#   id: GO067
#   severity: error
#   since: 1.2.0
#   category: cgo
#   remediation: |
#     Take `-arch {{ vars.arch }}` out of {{ vars.name }}{% if vars.file %} ({{ vars.file }}{% if vars.line %} line {{ vars.line }}{% endif %}){% endif %}:
#       {{ vars.name }}='{{ vars.without }}'
#     The go command passes clang the -arch of GOARCH ({{ vars.goarch }}) itself. To build for {{ vars.wanted }} instead, set the Go architecture:
#       GOARCH={{ vars.wanted }} go build ./...
package envgate.go.go067_cgo_flags_name_another_arch

import data.envgate.go.lib
import rego.v1

# Apple's architecture names, by the GOARCH they build for.
apple_goarch := {
	"arm64": "arm64",
	"arm64e": "arm64",
	"x86_64": "amd64",
	"x86_64h": "amd64",
	"i386": "386",
}

cgo_flags := ["CGO_CFLAGS", "CGO_CPPFLAGS", "CGO_CXXFLAGS", "CGO_LDFLAGS"]

deny contains finding if {
	lib.setting("GOOS") == "darwin"
	lib.setting("CGO_ENABLED") != "0"
	goarch := lib.setting("GOARCH")
	some name in cgo_flags
	v := input.go.env[name]
	words := [w | some w in regex.split(`[\t\n\f\r ]+`, trim_space(v.value)); w != ""]
	some i, word in words
	word == "-arch"
	i + 1 < count(words)
	arch := words[i + 1]
	object.get(apple_goarch, arch, "") != goarch
	without := concat(" ", [w | some j, w in words; j != i; j != i + 1])
	finding := {
		"msg": sprintf("%s holds -arch %s (set %s) but Go builds for %s: clang gets two architectures, and cgo's preprocessing fails with `cannot use 'cpp' output with multiple -arch options`", [name, arch, lib.origin(v), goarch]),
		"subject": sprintf("go.env.%s", [name]),
		"vars": {
			"name": name,
			"arch": arch,
			"goarch": goarch,
			"wanted": object.get(apple_goarch, arch, arch),
			"without": without,
			"file": object.get(v, "file", ""),
			"line": object.get(v, "line", 0),
		},
	}
}
