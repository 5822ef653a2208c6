# METADATA
# title: Go tools directory is not on PATH
# description: |
#   `go install` puts programs in GOBIN, or else in the `bin` directory of the first
#   GOPATH entry (by default ~/go/bin). When that directory is not on PATH, editors
#   report "gopls not found" and freshly installed tools seem to vanish.
#   Decision: the check fires only when that directory exists and holds programs, so a
#   machine where nothing was ever `go install`ed is not flagged.
# related_resources:
#   - ref: https://github.com/microsoft/vscode-go/issues/10
#   - ref: https://github.com/microsoft/vscode-go/issues/1039
# custom:
#   id: GO013
#   severity: error
#   since: 0.1.0
#   category: Shell & PATH
#   remediation: |
#     Add it to PATH in your login file, which every session (terminal and desktop) reads:
#       echo 'export PATH="$PATH:{{ vars.dir }}"' >> {{ vars.profile }}
#     then log out and back in, or run `. {{ vars.profile }}` in open terminals.
package envgate.go.go013_tools_dir_not_on_path

import data.envgate.go.lib
import rego.v1

deny contains finding if {
	dir := input.go.tools_dir
	dir.exists
	count(dir.programs) > 0
	not lib.on_path(dir.path)
	finding := {
		"msg": sprintf("%s (from %s) is not on PATH, so %s installed there cannot be found", [dir.path, dir.source, concat(", ", dir.programs)]),
		"subject": sprintf("go.env.%s", [dir.source]),
		"vars": {"dir": dir.path, "programs": dir.programs, "profile": lib.login_profile},
	}
}
