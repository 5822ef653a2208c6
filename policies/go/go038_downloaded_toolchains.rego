# METADATA
# title: Toolchains downloaded by GOTOOLCHAIN switching
# description: |
#   Since Go 1.21 the go command downloads and runs a newer toolchain when a go.mod or
#   go.work asks for one (GOTOOLCHAIN=auto, the default). The downloads live in the
#   module cache as `golang.org/toolchain@v0.0.1-go<version>.<os>-<arch>` and are what
#   actually builds those modules, whatever `go` is installed: worth knowing when a
#   machine "has Go 1.21" but builds with 1.23, and when an audit asks which toolchains
#   run here.
#   Decision: informational, one finding listing every downloaded toolchain found in
#   `$GOMODCACHE/golang.org` (only that directory is listed).
# related_resources:
#   - ref: https://go.dev/doc/toolchain
# custom:
#   id: GO038
#   severity: info
#   since: 1.0.0
#   category: Toolchain vs go.mod
#   remediation: |
#     Nothing is broken. To decide which toolchain builds a module, pin it in go.mod (`go get toolchain@go1.X.Y` writes a `toolchain` line),
#     or forbid downloads and use only installed toolchains:
#       go env -w GOTOOLCHAIN=local
#     To reclaim the space (module cache files are read-only):
#       chmod -R u+w {{ vars.dirs }} && rm -rf {{ vars.dirs }}
package envgate.go.go038_downloaded_toolchains

import data.envgate.go.lib
import rego.v1

downloaded := input.go.downloaded_toolchains

local := sprintf(" instead of the installed %s", [lib.active_toolchain.version]) if {
	is_string(lib.active_toolchain.version)
} else := ""

deny contains finding if {
	count(downloaded) > 0
	listed := sort([sprintf("%s (%s/%s)", [t.version, t.os, t.arch]) | some t in downloaded])
	dirs := sort([t.dir | some t in downloaded])
	parent := regex.replace(dirs[0], `/[^/]*$`, "")
	finding := {
		"msg": sprintf("GOTOOLCHAIN switching has downloaded %d toolchain(s) into %s: %s; the go command runs them%s whenever a go.mod or go.work asks for a newer Go", [
			count(downloaded), parent, concat(", ", listed), local,
		]),
		"subject": "go.downloaded_toolchains",
		"vars": {
			"versions": sort([t.version | some t in downloaded]),
			"dirs": concat(" ", [sprintf("'%s'", [d]) | some d in dirs]),
		},
	}
}
