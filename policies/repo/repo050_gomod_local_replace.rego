# METADATA
# title: go.mod replaces a module with a local directory
# description: |
#   `replace example.com/lib => ../lib` in a committed go.mod works on the machine
#   that has `../lib` checked out beside the repository and nowhere else: CI, a
#   container build and every other clone fail with "replacement directory ../lib does
#   not exist", and `go install module@version` refuses a module with such a line.
#   Working on several modules together is what go.work is for: it stays on the
#   developer's machine (or is committed with directories that are in the repository).
#   Decision: a warning for each `replace` in a go.mod whose target is a file system
#   path (`./`, `../`, `/`) rather than a module version.
# related_resources:
#   - ref: https://go.dev/ref/mod#go-mod-file-replace
#     description: Go modules reference, replace directive
#   - ref: https://go.dev/doc/tutorial/workspaces
#     description: Tutorial, getting started with multi-module workspaces
# custom:
#   id: REPO050
#   severity: warning
#   since: 1.0.0
#   reads: [go.mod]
#   per_file: true
#   category: Modules
#   remediation: |
#     Remove the replace of {{ vars.module }} from {{ vars.file }} (go mod edit -dropreplace={{ vars.module }}) and work on both modules through a workspace instead: go work init . && go work use {{ vars.target }} (add go.work to .gitignore unless {{ vars.target }} is part of this repository).
package envgate.repo.repo050_gomod_local_replace

import data.envgate.repo.lib
import rego.v1

deny contains finding if {
	some doc in lib.docs("go.mod")
	some replace in lib.list(doc.content.replaces)
	local_path(replace.new_path)
	finding := {
		"msg": sprintf("go.mod replaces %s with the directory %s: builds anywhere that directory is not checked out beside this one fail", [replace.old_path, replace.new_path]),
		"location": lib.at(doc, replace.line),
		"vars": {"file": doc.path, "module": replace.old_path, "target": replace.new_path},
	}
}

local_path(path) if startswith(path, "./")

local_path(path) if startswith(path, "../")

local_path(path) if startswith(path, "/")

local_path(path) if regex.match(`^[A-Za-z]:[\\/]`, path)

local_path(path) if path in {".", ".."}
