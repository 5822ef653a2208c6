# METADATA
# title: gopls, dlv or a linter built with an old Go or without module information
# description: |
#   Go developer tools understand only the Go language and standard library of the Go
#   that built them. A gopls built with an older Go than a module's `go` line analyses it
#   with that older Go's rules, so it may not understand the newer release's language
#   features (checked: gopls v0.23.0 built with go1.26.8 loads a `go 1.27.3` module
#   without error when go1.27.3 is on PATH, so this is a blind spot, not a certain
#   failure; no `invalid Go version` was seen). Delve cannot debug programs from much
#   newer toolchains, and staticcheck and golangci-lint report `requires newer Go
#   version` instead of analysing. A tool without module information in its build info
#   was built outside module mode from a source snapshot, like Debian's gopls 0.5.0
#   package, which reports its version as `master` and is years behind.
#   Decision: looks at gopls, dlv, staticcheck and golangci-lint in the `go install`
#   directory (which editors search first) and the one a PATH lookup finds; copies
#   shadowed further down PATH are not judged. Warns when the Go that built one is older
#   than the checked go.mod's `go` line, or when its build info has no `mod` line.
#   Programs without Go build info (scripts, wrappers) are not judged.
#   The gopls to install is one the local Go can build: `@latest` when it builds the
#   newest release in the pack's table (`gopls_releases` in policies/go/data.json: the
#   minimum Go of each release, from its go.mod) or when it is Go 1.21 or newer and
#   GOTOOLCHAIN lets it fetch the Go that release needs; otherwise the newest release
#   whose minimum Go it meets (Go 1.19: v0.16.2); none when it meets no listed minimum.
# related_resources:
#   - ref: https://github.com/golang/go/issues/66553
#   - ref: https://github.com/golang/go/issues/68258
#   - ref: https://go.dev/gopls/
# custom:
#   id: GO039
#   severity: warning
#   since: 1.0.0
#   category: Toolchain vs go.mod
#   systems: [linux, darwin]
#   remediation: |
#     {% if vars.install %}Rebuild it with your Go{% if vars.local %} ({{ vars.local }}){% endif %}{% if vars.pinned %}, which can build at most gopls {{ vars.pinned }} (later releases need Go {{ vars.next_min_go }} or newer){% endif %}:
#       {{ vars.install }}
#     {% else %}No gopls release builds with {{ vars.local }} (the oldest one listed needs Go {{ vars.oldest_min_go }}); install a newer Go first (https://go.dev/dl/), then:
#       go install golang.org/x/tools/gopls@latest
#     {% endif %}{% if vars.needs_newer_go %}A {{ vars.name }} that knows go {{ vars.required }} has to be built by Go {{ vars.required }} or newer, which is not installed (GO034): install that Go first.
#     {% endif %}{% if vars.system_copy %}and remove the distribution's copy ({{ vars.path }}); `dpkg -S {{ vars.path }}` or `rpm -qf {{ vars.path }}` names its package.
#     {% endif %}Restart the editor's language server afterwards.
package envgate.go.go039_tool_built_with_old_go

import rego.v1

import data.envgate.go.lib

install_command := {
	"gopls": gopls_install,
	"dlv": "go install github.com/go-delve/delve/cmd/dlv@latest",
	"staticcheck": "go install honnef.co/go/tools/cmd/staticcheck@latest",
	"golangci-lint": "go install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@latest",
}

symptom := {
	"gopls": "gopls may not understand the module's newer language features",
	"dlv": "Delve may refuse to debug its programs",
	"staticcheck": "staticcheck cannot analyse it (`requires newer Go version`)",
	"golangci-lint": "golangci-lint cannot analyse it (`requires newer Go version`)",
}

required := input.workspace.go_mod.go.value

# gopls releases with the minimum Go each one builds with, newest first (pack data).
releases := data.pack_data.go.gopls_releases

local := lib.active_toolchain.version

buildable := [r | some r in releases; not lib.version_less(local, r.min_go)]

# Go 1.21 or newer fetches the Go a newer gopls needs, unless GOTOOLCHAIN forbids it.
fetches_toolchains if {
	not lib.version_less(local, "1.21")
	switch_allowed(lib.setting("GOTOOLCHAIN"))
}

switch_allowed(gotoolchain) if gotoolchain in {"", "auto"}

switch_allowed(gotoolchain) if endswith(gotoolchain, "+auto")

# The newest gopls the local Go can build, when that is not the newest release.
pinned := buildable[0].version if {
	is_string(local)
	buildable[0].version != releases[0].version
	not fetches_toolchains
}

gopls_install := sprintf("go install golang.org/x/tools/gopls@%s", [pinned]) if {
	is_string(pinned)
} else := "" if {
	is_string(local)
	count(releases) > 0
	count(buildable) == 0
} else := "go install golang.org/x/tools/gopls@latest"

# The minimum Go of the release after the pinned one.
next_min_go := [r.min_go | some i, r in releases; i + 1 < count(releases); releases[i + 1].version == pinned][0]

judged(b) if b.in_tools_dir

judged(b) if b.path_winner

reasons(b) := array.concat(
	[sprintf("was built with %s, older than the go %s that %s requires, so %s", [b.go_version, required, input.workspace.go_mod.file, symptom[b.name]]) |
		is_string(required)
		lib.version_less(b.go_version, required)
	],
	[sprintf("was built without module information (by %s), like Debian's gopls 0.5.0, which reports its version as `master`", [b.go_version]) |
		not is_string(b.module)
	],
)

# The PATH entry is named by its directory too: a bare index (counted from 0) reads as
# the wrong directory to anyone counting from 1.
where(b) := "the go install directory" if b.in_tools_dir else := text if {
	dir := input.path.entries[b.path_index].raw
	text := sprintf("PATH entry %d, %s", [b.path_index, dir])
	is_string(text)  # holds for any defined value (L012)
} else := sprintf("PATH entry %d", [b.path_index])

deny contains finding if {
	some i, b in input.go.tool_binaries
	is_string(b.go_version)
	judged(b)
	why := reasons(b)
	count(why) > 0
	finding := {
		"msg": sprintf("%s (%s, from %s) %s", [b.path, b.name, where(b), concat("; and it ", why)]),
		"subject": sprintf("go.tool_binaries[%d]", [i]),
		"vars": {
			"name": b.name,
			"path": b.path,
			"go_version": b.go_version,
			"required": object.get(input, ["workspace", "go_mod", "go", "value"], null),
			"install": install_command[b.name],
			"local": local_or_null,
			"pinned": pinned_for(b.name),
			"next_min_go": next_min_go_or_null,
			"oldest_min_go": oldest_min_go,
			"system_copy": startswith(b.path, "/usr/"),
			"needs_newer_go": needs_newer_go,
		},
	}
}

# Values that may be missing, as null (an undefined one would drop the finding).
local_or_null := local if is_string(local) else := null

next_min_go_or_null := v if {
	v := next_min_go
	v == v  # true for any value: tested so an undefined one reaches the else on unpatched regorus too (lint L012)
} else := null

oldest_min_go := v if {
	count(releases) > 0
	v := releases[count(releases) - 1].min_go
	v == v  # true for any value: tested so an undefined one reaches the else on unpatched regorus too (lint L012)
} else := null

pinned_for(name) := pinned if {
	name == "gopls"
	is_string(pinned)
} else := null

# The module needs a newer Go than the local one, so no rebuild here can catch up.
needs_newer_go if {
	is_string(required)
	lib.version_less(local, required)
}

default needs_newer_go := false
