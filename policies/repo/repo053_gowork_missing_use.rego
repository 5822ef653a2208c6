# METADATA
# title: go.work uses a directory that is not there
# description: |
#   Every `use` directory of a go.work must hold a go.mod; one that does not exist (a
#   module moved or deleted, a path that only exists on the author's machine) makes
#   every go command in the workspace fail with "go: cannot load module … listed in
#   go.work file". Decision: an error for each `use` of a committed go.work whose
#   directory has no go.mod, relative to the go.work file.
# related_resources:
#   - ref: https://go.dev/ref/mod#go-work-file-use
#     description: Go modules reference, go.work use directive
# custom:
#   id: REPO053
#   severity: error
#   since: 1.0.0
#   reads: [go.work]
#   per_file: true
#   category: Modules
#   remediation: |
#     Remove the directory from {{ vars.file }} (go work edit -dropuse={{ vars.dir }}), or, if go.work is personal to your checkout, stop committing it (add go.work and go.work.sum to .gitignore).
package envgate.repo.repo053_gowork_missing_use

import data.envgate.repo.lib
import rego.v1

deny contains finding if {
	some doc in lib.docs("go.work")
	some use in lib.list(lib.facts(doc).missing_uses)
	finding := {
		"msg": sprintf("go.work uses %s, which holds no go.mod: every go command in the workspace fails", [use.value]),
		"location": lib.at(doc, use.line),
		"vars": {"file": doc.path, "dir": use.value},
	}
}
